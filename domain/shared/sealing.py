"""Sealing persons under keys of their own, and the vault that keeps those keys apart from the log.

A person's record (``Person.record``, serialised with orjson and padded with spaces to a
multiple of 256 bytes, so that its length says little of the name's) is encrypted with
AES-256-GCM under a random 256-bit key of that person's, the person's id as associated data, so
that a sealed record moved onto another person does not open. ``SealedPerson.sealed`` is the
base64url (unpadded) of the 12-byte random nonce followed by the ciphertext and its tag.

The key store (``KeyStore``: in memory here, on the database in ``adapters.personal_keys``)
keeps each person's key *wrapped*: encrypted under a key derived from one secret kept outside
the database (``MasterKey``), so a copy of the database alone (a backup, a dump) opens nobody.
From the same secret comes the key of the HMAC-SHA256 that finds persons by identification
number, and a check value the store records when the secret is first used, so that a process
given another secret refuses to seal or open rather than make every person look erased.
Destroying a person's wrapped key erases them; the store also remembers that the person was
erased, so that nothing is ever sealed for them again.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import threading
from collections.abc import Callable, Collection, Iterable
from typing import Protocol
from uuid import UUID

import orjson
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from domain.shared.personal import (
    Person,
    PersonErasedError,
    SealedPerson,
    id_number_of,
)

KEY_BYTES = 32  # AES-256
NONCE_BYTES = 12  # GCM's own size: random nonces, one key per person, few records per key
PADDED_TO = 256
_WRAP_CONTEXT = b"thucthi:personal-key:"


class SealBrokenError(ValueError):
    """A sealed record or a wrapped key does not open: altered, or sealed under another key."""


class PersonalDataKeyError(RuntimeError):
    """The secret that wraps the persons' keys is missing, unreadable or not the one in use."""


def seal_record(key: bytes, person_id: UUID, person: Person) -> str:
    """The person's record sealed under ``key`` (``SealedPerson.sealed``)."""
    plain = orjson.dumps(person.record())
    plain += b" " * (-len(plain) % PADDED_TO)
    nonce = os.urandom(NONCE_BYTES)
    sealed = nonce + AESGCM(key).encrypt(nonce, plain, person_id.bytes)
    return base64.urlsafe_b64encode(sealed).rstrip(b"=").decode("ascii")


def open_record(key: bytes, person_id: UUID, sealed: str) -> Person:
    """The person sealed under ``key``; SealBrokenError if it does not open."""
    try:
        raw = base64.urlsafe_b64decode(sealed + "=" * (-len(sealed) % 4))
        nonce, ciphertext = raw[:NONCE_BYTES], raw[NONCE_BYTES:]
        plain = AESGCM(key).decrypt(nonce, ciphertext, person_id.bytes)
    except (InvalidTag, ValueError, binascii.Error) as e:
        msg = f"the sealed record of {person_id} does not open under its key"
        raise SealBrokenError(msg) from e
    return Person.from_record(orjson.loads(plain))


def _derive(secret: bytes, purpose: bytes) -> bytes:
    return HKDF(hashes.SHA256(), KEY_BYTES, salt=None, info=b"thucthi " + purpose).derive(secret)


class MasterKey:
    """What the one secret outside the database gives: the key that wraps every person's key,
    the key of the identification numbers' HMAC, and the check value that names it."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) != KEY_BYTES:
            msg = f"the personal-data key is {KEY_BYTES} bytes, not {len(secret)}"
            raise PersonalDataKeyError(msg)
        self._wrapping = AESGCM(_derive(secret, b"personal-data wrapping v1"))
        self._numbers = _derive(secret, b"personal-data id numbers v1")
        self.check = _derive(secret, b"personal-data key check v1")[:16].hex()

    def wrap(self, person_id: UUID, key: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._wrapping.encrypt(nonce, key, _WRAP_CONTEXT + person_id.bytes)

    def unwrap(self, person_id: UUID, wrapped: bytes) -> bytes:
        try:
            return self._wrapping.decrypt(
                wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:], _WRAP_CONTEXT + person_id.bytes
            )
        except InvalidTag as e:
            msg = f"the key of {person_id} does not open under the personal-data key"
            raise SealBrokenError(msg) from e

    def id_hash(self, id_number: str) -> bytes:
        """The keyed hash of a normalised identification number (``id_number_of``)."""
        return hmac.new(self._numbers, id_number.encode("ascii"), hashlib.sha256).digest()


class KeyStore(Protocol):
    """Where a vault keeps the persons' wrapped keys, apart from the log."""

    def keep(self, person_id: UUID, wrapped: bytes, id_hash: bytes | None) -> bytes | None:
        """Keep the person's wrapped key unless it has one (its id hash follows the latest);
        the wrapped key it has now, or None if the person was erased."""
        ...

    def wrapped_keys(self, person_ids: Collection[UUID]) -> dict[UUID, bytes]:
        """The wrapped keys of those persons that have one, in one query."""
        ...

    def with_id_hash(self, id_hash: bytes) -> tuple[UUID, ...]:
        """The persons whose identification number has this keyed hash."""
        ...

    def with_id_hashes(self, id_hashes: Collection[bytes]) -> dict[UUID, bytes]:
        """The persons whose identification number has one of these keyed hashes, each with
        its hash, in one query (the candidate search's 120 hashes of a number and its typos)."""
        ...

    def destroy(self, person_ids: Collection[UUID], *, up_to: int | None = None) -> int:
        """``PersonalVault.carry_out`` in the store: the keys destroyed."""
        ...

    def erased_up_to(self) -> int: ...

    def erasures(self) -> int:
        """``PersonalVault.erasures``."""
        ...

    def key_check(self, check: str | None = None) -> str | None:
        """The check value of the secret in use; with ``check``, recorded first if none is."""
        ...


class Vault:
    """The ``PersonalVault`` over a key store, with the secret read when first needed
    (``secret(create)``: it may be made only while the store has recorded none), so that what
    never seals or opens (``audit verify``, a destroyed key's erasure) never needs it."""

    def __init__(self, store: KeyStore, secret: Callable[[bool], bytes]) -> None:
        self.store = store
        self._secret = secret
        self._master: MasterKey | None = None
        self._lock = threading.Lock()

    def master_key(self) -> MasterKey:
        """The master key, checked against the store's record of the one in use."""
        with self._lock:
            if self._master is None:
                recorded = self.store.key_check()
                master = MasterKey(self._secret(recorded is None))
                recorded = self.store.key_check(master.check)
                if recorded != master.check:
                    msg = (
                        "this personal-data key is not the one the persons' keys were wrapped "
                        "with: give this process the same key file as the others"
                    )
                    raise PersonalDataKeyError(msg)
                self._master = master
            return self._master

    def seal(self, person_id: UUID, person: Person) -> SealedPerson:
        master = self.master_key()
        key = os.urandom(KEY_BYTES)
        wrapped = master.wrap(person_id, key)
        id_hash = None if person.id_number is None else master.id_hash(person.id_number)
        kept = self.store.keep(person_id, wrapped, id_hash)
        if kept is None:
            raise PersonErasedError("erased", person_id=str(person_id))
        if kept != wrapped:
            key = master.unwrap(person_id, kept)
        return SealedPerson(person_id, seal_record(key, person_id, person))

    def open(self, sealed: SealedPerson) -> Person | None:
        return self.open_many([sealed])[sealed.person_id]

    def open_many(self, sealed: Iterable[SealedPerson]) -> dict[UUID, Person | None]:
        records = list(sealed)
        if not records:
            return {}
        wrapped = self.store.wrapped_keys({s.person_id for s in records})
        master = self.master_key() if wrapped else None
        opened: dict[UUID, Person | None] = {}
        for s in records:
            found = wrapped.get(s.person_id)
            if found is None or master is None:
                opened[s.person_id] = None
            else:
                key = master.unwrap(s.person_id, found)
                opened[s.person_id] = open_record(key, s.person_id, s.sealed)
        return opened

    def erase(self, person_id: UUID) -> bool:
        return self.store.destroy([person_id]) == 1

    def persons_with(self, id_number: str) -> tuple[UUID, ...]:
        return self.store.with_id_hash(self.master_key().id_hash(id_number_of(id_number)))

    def id_hash(self, id_number: str) -> bytes:
        return self.master_key().id_hash(id_number_of(id_number))

    def persons_hashed(self, id_hashes: Collection[bytes]) -> dict[UUID, bytes]:
        if not id_hashes:
            return {}
        return self.store.with_id_hashes(id_hashes)

    def carry_out(self, person_ids: Collection[UUID], *, up_to: int | None = None) -> int:
        return self.store.destroy(person_ids, up_to=up_to)

    def erased_up_to(self) -> int:
        return self.store.erased_up_to()

    def erasures(self) -> int:
        return self.store.erasures()


class MemoryKeys:
    """A key store in this process only: for ``memory://`` and a bare application."""

    def __init__(self) -> None:
        self.keys: dict[UUID, tuple[bytes, bytes | None]] = {}
        self.erased: set[UUID] = set()
        self.position = 0
        self.erased_count = 0
        self.check: str | None = None
        self._lock = threading.Lock()

    def keep(self, person_id: UUID, wrapped: bytes, id_hash: bytes | None) -> bytes | None:
        with self._lock:
            if person_id in self.erased:
                return None
            kept = self.keys.get(person_id, (wrapped, id_hash))[0]
            self.keys[person_id] = (kept, id_hash)
            return kept

    def wrapped_keys(self, person_ids: Collection[UUID]) -> dict[UUID, bytes]:
        with self._lock:
            return {i: self.keys[i][0] for i in person_ids if i in self.keys}

    def with_id_hash(self, id_hash: bytes) -> tuple[UUID, ...]:
        with self._lock:
            return tuple(sorted(i for i, (_, h) in self.keys.items() if h == id_hash))

    def with_id_hashes(self, id_hashes: Collection[bytes]) -> dict[UUID, bytes]:
        wanted = set(id_hashes)
        with self._lock:
            return {i: h for i, (_, h) in self.keys.items() if h is not None and h in wanted}

    def destroy(self, person_ids: Collection[UUID], *, up_to: int | None = None) -> int:
        with self._lock:
            destroyed = sum(self.keys.pop(i, None) is not None for i in set(person_ids))
            self.erased.update(person_ids)
            if destroyed:
                self.erased_count += 1
            if up_to is not None:
                self.position = max(self.position, up_to)
            return destroyed

    def erased_up_to(self) -> int:
        return self.position

    def erasures(self) -> int:
        return self.erased_count

    def key_check(self, check: str | None = None) -> str | None:
        with self._lock:
            if self.check is None and check is not None:
                self.check = check
            return self.check


class MemoryVault(Vault):
    """A vault whose keys and secret live and die with this process: for ``memory://``, a bare
    application and tests."""

    def __init__(self) -> None:
        secret = os.urandom(KEY_BYTES)
        super().__init__(MemoryKeys(), lambda _create: secret)
