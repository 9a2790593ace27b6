"""Personal data that the log may hold only sealed: a petitioner's name, personal identification
number, address and phone (personal data under Decree 13/2023/NĐ-CP).

An event carries a ``SealedPerson``: the person's record encrypted under a key of that person's
own, kept apart from the log by a ``PersonalVault`` (``adapters.personal_keys`` on a database).
Destroying the key erases the person (crypto-shredding): the log's bytes stay as they were, so
the audit trail still verifies, and what they hold can no longer be read by anyone.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import ClassVar, Protocol
from uuid import UUID

from domain.shared.errors import DomainError

# Số định danh cá nhân: 12 digits (Law on Identification 2023; Decree 137/2015 on its structure).
ID_NUMBER = re.compile(r"^[0-9]{12}$")


class InvalidPersonError(DomainError):
    """A petitioner's personal details are not in a form the law knows."""

    code = "invalid-person"
    kind = "invalid"
    SAID: ClassVar[Mapping[str, str]] = {
        "id_number": "a personal identification number has exactly 12 digits",
        "name_needed": "a petitioner who signs needs a full name",
    }


@dataclass(frozen=True, slots=True)
class Person:
    """A petitioner as given at the reception. ``id_number`` is None for an anonymous
    denunciation or when none was given."""

    full_name: str
    id_number: str | None = None
    address: str = ""
    phone: str = ""

    @property
    def id_last4(self) -> str | None:
        return None if self.id_number is None else self.id_number[-4:]


@dataclass(frozen=True, slots=True)
class SealedPerson:
    """What an event holds of a person: an id and the record encrypted under the person's own
    key (``sealed``, base64url of nonce and AES-GCM ciphertext, the id as associated data)."""

    person_id: UUID
    sealed: str


class PersonalVault(Protocol):
    """Seals and opens persons under keys of their own, kept apart from the log."""

    def seal(self, person_id: UUID, person: Person) -> SealedPerson:
        """A new key for the person (or the one it has), and the record sealed under it."""
        ...

    def open(self, sealed: SealedPerson) -> Person | None:
        """The person, or None once erased (its key destroyed)."""
        ...

    def open_many(self, sealed: Iterable[SealedPerson]) -> Mapping[UUID, Person | None]:
        """The same for many persons, in one round trip to the key store."""
        ...

    def erase(self, person_id: UUID) -> bool:
        """Destroy the person's key and everything kept beside it; False if it was gone."""
        ...

    def persons_with(self, id_number: str) -> tuple[UUID, ...]:
        """The persons sealed with that identification number (a keyed hash beside the key,
        destroyed with it), for an erasure ordered by number and for matching duplicates."""
        ...


class MemoryVault:
    """Persons kept in this process's memory, for tests. Interim, until the sealing vault
    lands: it seals nothing (``sealed`` is empty) and keeps the person beside the log."""

    def __init__(self) -> None:
        self._kept: dict[UUID, Person] = {}

    def seal(self, person_id: UUID, person: Person) -> SealedPerson:
        self._kept[person_id] = person
        return SealedPerson(person_id, "")

    def open(self, sealed: SealedPerson) -> Person | None:
        return self._kept.get(sealed.person_id)

    def open_many(self, sealed: Iterable[SealedPerson]) -> Mapping[UUID, Person | None]:
        return {s.person_id: self._kept.get(s.person_id) for s in sealed}

    def erase(self, person_id: UUID) -> bool:
        return self._kept.pop(person_id, None) is not None

    def persons_with(self, id_number: str) -> tuple[UUID, ...]:
        return tuple(k for k, p in self._kept.items() if p.id_number == id_number)
