"""Personal data that the log may hold only sealed: a petitioner's name, personal identification
number, address and phone (basic personal data under Decree 13/2023/NĐ-CP, Art. 2, and the Law
on Personal Data Protection 2025; docs/personal-data.md cites them).

An event carries a ``SealedPerson``: the person's record encrypted under a key of that person's
own, kept apart from the log by a ``PersonalVault`` (``domain.shared.sealing`` seals and opens;
``adapters.personal_keys`` keeps the keys on a database). Destroying the key erases the person
(crypto-shredding): the log's bytes stay as they were, so the audit trail still verifies, and
what they hold can no longer be read by anyone.

A person's details are checked when a ``Person`` is made: every text by the rule all commands'
texts pass (``domain.shared.text``), the identification number and the phone by their forms. A
refusal never repeats what was given: a mistyped identification number is still personal data,
and errors reach logs and pages.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol
from uuid import UUID

from domain.shared.errors import DomainError
from domain.shared.text import checked

# Số định danh cá nhân: 12 digits (Decree 137/2015/NĐ-CP, Art. 13: the place of birth registration,
# century and sex, year of birth, then 6 random digits; the Law on Identification 2023 keeps it).
ID_NUMBER = re.compile(r"^[0-9]{12}$")
# A phone number as people write it: digits, after a + for an international one; spaces, dots,
# hyphens and brackets between them are taken out. E.164 allows at most 15 digits; a Vietnamese
# mobile number has had 10 since 2019 and a landline 11, all under 02 (Ministry of Information
# and Communications, 2017-2019: https://tienphong.vn/nam-2018-chuyen-thue-bao-11-so-ve-10-so-post962146.tpo).
PHONE = re.compile(r"^\+?[0-9]{8,15}$")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_ID_SEPARATORS = re.compile(r"[\s.\-]")


class InvalidPersonError(DomainError):
    """A petitioner's personal details are not in a form the law knows."""

    code = "invalid-person"
    kind = "invalid"
    SAID: ClassVar[Mapping[str, str]] = {
        "id_number": "a personal identification number has exactly 12 digits",
        "name_needed": "a petitioner who signs needs a full name",
        "phone": "a phone number is 8 to 15 digits, after a + for an international number",
    }


class PersonErasedError(DomainError):
    """The person's data was erased: nothing can be sealed for that person again."""

    code = "person-erased"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "erased": "the person {person_id} was erased: their details cannot be kept again",
    }


def id_number_of(value: object) -> str:
    """A personal identification number as kept: its 12 ASCII digits (full-width digits and the
    spaces, dots or hyphens people write between groups taken out); else InvalidPersonError
    (or InvalidTextError for what is not a one-line text)."""
    if not isinstance(value, str):
        raise InvalidPersonError("id_number")
    text = checked("id_number", value)
    digits = _ID_SEPARATORS.sub("", unicodedata.normalize("NFKC", text))
    if not ID_NUMBER.fullmatch(digits):
        raise InvalidPersonError("id_number")
    return digits


def _phone_of(value: object) -> str:
    text = checked("phone", value)
    if not text:
        return ""
    compact = _PHONE_SEPARATORS.sub("", unicodedata.normalize("NFKC", text))
    if not PHONE.fullmatch(compact):
        raise InvalidPersonError("phone")
    return compact


@dataclass(frozen=True, slots=True)
class Person:
    """A petitioner as given at the reception, checked and normalised when made (texts NFC and
    trimmed, the number and the phone as digits). ``id_number`` is None for an anonymous
    denunciation or when none was given ("" counts as none)."""

    full_name: str
    id_number: str | None = None
    address: str = ""
    phone: str = ""

    def __post_init__(self) -> None:
        name = checked("full_name", self.full_name)
        if not name:
            raise InvalidPersonError("name_needed")
        given = self.id_number
        number = None if given is None or given == "" else id_number_of(given)
        object.__setattr__(self, "full_name", name)
        object.__setattr__(self, "id_number", number)
        object.__setattr__(self, "address", checked("address", self.address))
        object.__setattr__(self, "phone", _phone_of(self.phone))

    @property
    def id_last4(self) -> str | None:
        return None if self.id_number is None else self.id_number[-4:]

    def record(self) -> dict[str, Any]:
        """What is sealed: the fields by name."""
        return {
            "full_name": self.full_name,
            "id_number": self.id_number,
            "address": self.address,
            "phone": self.phone,
        }

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> Person:
        return cls(
            full_name=record["full_name"],
            id_number=record.get("id_number"),
            address=record.get("address", ""),
            phone=record.get("phone", ""),
        )


@dataclass(frozen=True, slots=True)
class SealedPerson:
    """What an event holds of a person: an id and the record encrypted under the person's own
    key (``sealed``: base64url, unpadded, of the 12-byte nonce and the AES-256-GCM ciphertext,
    the id's 16 bytes as associated data; ``domain.shared.sealing``)."""

    person_id: UUID
    sealed: str


class PersonalVault(Protocol):
    """Seals and opens persons under keys of their own, kept apart from the log."""

    def seal(self, person_id: UUID, person: Person) -> SealedPerson:
        """A new key for the person (or the one it has), and the record sealed under it;
        PersonErasedError if the person was erased."""
        ...

    def open(self, sealed: SealedPerson) -> Person | None:
        """The person, or None once erased (its key destroyed). A record altered, or sealed under
        another key, does not open (``domain.shared.sealing.SealBrokenError``)."""
        ...

    def open_many(self, sealed: Iterable[SealedPerson]) -> Mapping[UUID, Person | None]:
        """The same for many persons, in one round trip to the key store."""
        ...

    def erase(self, person_id: UUID) -> bool:
        """Destroy the person's key and everything kept beside it; False if it was gone. An
        erasure ordered by someone is ``Thucthi.erase_personal_data``, which records it first."""
        ...

    def persons_with(self, id_number: str) -> tuple[UUID, ...]:
        """The persons sealed with that identification number (a keyed hash beside the key,
        destroyed with it), for an erasure ordered by number and for matching duplicates."""
        ...

    def id_hash(self, id_number: str) -> bytes:
        """The keyed hash (HMAC) of an identification number, as the vault keeps it beside a
        person's key: computed in this process, never stored for the asking."""
        ...

    def persons_hashed(self, id_hashes: Collection[bytes]) -> Mapping[UUID, bytes]:
        """The persons whose identification number has one of these keyed hashes, each with
        its hash, in one round trip to the key store (the candidate search)."""
        ...

    def carry_out(self, person_ids: Collection[UUID], *, up_to: int | None = None) -> int:
        """Erase these persons: their keys destroyed, no readable copy left in the key store,
        none ever sealed again; with ``up_to``, in the same transaction, note that every
        erasure the log recorded up to that position is carried out. The keys destroyed."""
        ...

    def erased_up_to(self) -> int:
        """The log position up to which every recorded erasure is carried out (0: none yet)."""
        ...

    def erasures(self) -> int:
        """How many erasures destroyed keys here: a count that moves with every erasure that
        destroys one, in the same transaction, and that every process sharing the store reads
        alike (a page showing persons is kept per this count as well as per log position)."""
        ...
