"""The petitions' application service: receiving a petition, running the commands of its life,
reading it back for those who may see it.

It writes through the application's ``AggregateWriter`` (locks, retries, group commit) into
the same log as directives, so that petitions share the audit trail, the projections and the
as-of views. The petitioners' personal data are sealed by the ``PersonalVault`` before the
receipt is recorded, and opened only for those the petition lets see them.
"""

from __future__ import annotations

import dataclasses
import random
import secrets
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, Protocol
from uuid import UUID, uuid4

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError

from domain.petitions.commands import PetitionCommand, ReceivePetition
from domain.petitions.duplicates import (
    OVERSEERS,
    CandidateStore,
    CandidateView,
    DuplicateSearch,
    NoCandidates,
)
from domain.petitions.errors import (
    DuplicateReceiptError,
    InvalidPetitionError,
    NotHandlerError,
    NotOurAgencyError,
    PetitionNotFoundError,
)
from domain.petitions.petition import (
    RECEIPT_CODE,
    Kind,
    Petition,
    Relation,
    Status,
    petition_id,
)
from domain.shared.actors import Actor, Role, require_permission
from domain.shared.actors import Command as Permission
from domain.shared.clock import Clock, city_date
from domain.shared.commands import Origin
from domain.shared.errors import VersionMismatchError
from domain.shared.personal import Person, PersonalVault, SealedPerson
from domain.writer import AggregateWriter, replay

# Crockford's base32: no I, L, O or U, so that a code read aloud or copied by hand stays itself.
_CODE_LETTERS = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_ATTEMPTS = 8


def random_receipt(day: date) -> str:
    """A receipt code for a petition received in ``day``'s year: eight random characters, one
    of about 10¹² codes a year, so a code is not found by trying."""
    return f"{day.year:04d}-" + "".join(secrets.choice(_CODE_LETTERS) for _ in range(8))


def seeded_receipts(rng: random.Random) -> Callable[[date], str]:
    """Receipt codes of the same form drawn from ``rng``: the same for the same seed, for the
    demo and the tests (never for real petitions, whose codes must not be guessable)."""

    def receipt(day: date) -> str:
        return f"{day.year:04d}-" + "".join(rng.choice(_CODE_LETTERS) for _ in range(8))

    return receipt


class Repository(Protocol):
    def get(
        self, aggregate_id: UUID, *, version: int | None = ..., projector_func: Any = ...
    ) -> Any:
        """The aggregate, now or at a version (the library's repository)."""
        ...

    def __contains__(self, aggregate_id: UUID) -> bool: ...


class PetitionDesk:
    """Receives petitions and runs the commands of their life."""

    def __init__(
        self,
        *,
        writer: AggregateWriter,
        repository: Repository,
        clock: Clock,
        vault: PersonalVault,
        events: Callable[[UUID], Iterable[Any]],
        require_agencies: Callable[..., None],
        receipts: Callable[[date], str] = random_receipt,
        person_ids: Callable[[], UUID] = uuid4,
        candidates: CandidateStore | None = None,
    ) -> None:
        """``events(id)`` reads an aggregate's events; ``require_agencies(*codes)`` refuses a
        code that is not an active unit; ``receipts`` and ``person_ids`` are injected so that
        tests and the demo can reproduce them; ``candidates`` is the store the duplicate search
        reads (none where there are no read models: no candidate is found)."""
        self.writer = writer
        self.repository = repository
        self.clock = clock
        self.vault = vault
        self.events = events
        self.require_agencies = require_agencies
        self.receipts = receipts
        self.person_ids = person_ids
        self.duplicates = DuplicateSearch(candidates or NoCandidates(), vault)

    # --- writing -------------------------------------------------------------------------------

    def receive(
        self, command: ReceivePetition, *, actor: Actor, request_id: str
    ) -> tuple[str, int]:
        """Tiếp nhận: record a new petition under a new receipt code; the code and the position
        recorded. The petitioners are sealed first: no event holds them in clear."""
        self.require_agencies(command.agency)
        at = self.clock.now()
        received_on = command.received_on or city_date(at)
        follows, relation = self._previous(command.previous_receipt)
        petitioners = self._sealed(command)
        for _ in range(_CODE_ATTEMPTS):
            receipt = self.receipts(received_on)
            if petition_id(receipt) in self.repository:
                continue
            petition = Petition.receive(
                receipt=receipt,
                agency=command.agency,
                channel=command.channel,
                received_on=received_on,
                petitioners=petitioners,
                anonymous=command.anonymous,
                signers=command.signers,
                content=command.content,
                subject=command.subject,
                attachments=command.attachments,
                decision_known_on=command.decision_known_on,
                follows=None if follows is None else follows.id,
                follows_receipt=None if follows is None else follows.receipt,
                relation=relation,
                actor=actor,
                request_id=request_id,
                at=at,
            )
            try:
                return receipt, self.writer.save(petition)
            except IntegrityError:
                continue  # another desk took the same code at the same moment: draw again
        raise DuplicateReceiptError("used", receipt=receipt)

    def execute(
        self,
        command: PetitionCommand,
        receipt: str,
        *,
        actor: Actor,
        request_id: str,
        expected_version: int | None = None,
    ) -> int:
        """Run a command of the petition's life on the petition ``receipt`` names; with
        ``expected_version`` only if it has not moved on. A petition the actor may not see is
        not there for them. The position recorded."""

        other = self._other(command)

        def run(petition: Petition, at: datetime) -> None:
            if not isinstance(petition, Petition) or not petition.seen_by(actor):
                raise PetitionNotFoundError("unknown", receipt=receipt)
            if expected_version is not None and petition.version != expected_version:
                raise VersionMismatchError(
                    "moved_on",
                    reference=petition.receipt,
                    version=petition.version,
                    expected=expected_version,
                )
            command.apply_beside(petition, other, Origin(actor, request_id, at))
            if command.units_assigned():
                self.require_agencies(*command.units_assigned())

        try:
            return self.writer.update(self._id(receipt), run)
        except AggregateNotFoundError:
            raise PetitionNotFoundError("unknown", receipt=receipt) from None

    # --- reading -------------------------------------------------------------------------------

    def get(
        self, receipt: str, *, actor: Actor | None = None, version: int | None = None
    ) -> Petition:
        """The petition now (or right after ``version``), if the actor may see it."""
        try:
            found = self.repository.get(self._id(receipt), version=version, projector_func=replay)
        except AggregateNotFoundError:
            raise PetitionNotFoundError("unknown", receipt=receipt) from None
        if not isinstance(found, Petition) or (actor is not None and not found.seen_by(actor)):
            raise PetitionNotFoundError("unknown", receipt=receipt)
        return found

    def case(self, receipt: str, *, actor: Actor) -> tuple[Petition, list[Petition.Event]]:
        """The petition now, if the actor may see it, and every event of it in order, from one
        read of its events (the case page shows both: ``get`` and ``history`` read them
        twice, and each reads the petition once more to find its id)."""
        events = list(self.events(self._id(receipt)))
        found = replay(None, events) if events else None
        if not isinstance(found, Petition) or not found.seen_by(actor):
            raise PetitionNotFoundError("unknown", receipt=receipt)
        return found, [e for e in events if isinstance(e, Petition.Event)]

    def petitioners(self, petition: Petition, actor: Actor) -> tuple[Person | None, ...] | None:
        """Who filed it, for an actor the petition lets see them (None for anyone else; a None
        among them is a person whose data were erased)."""
        if not petition.may_see_identity(actor):
            return None
        opened = self.vault.open_many(petition.petitioners)
        return tuple(opened.get(p.person_id) for p in petition.petitioners)

    def candidates(self, receipt: str, *, actor: Actor) -> list[CandidateView]:
        """The filings most likely of the same matter as the petition ``receipt`` names, at
        every agency of the city and from the national feed, best first (issue 26): for the
        reception, the head and the handling officer of the agency holding it, the inspectorate
        and the Office. Its petitioners count only for those who may see them."""
        return self.candidates_of(self.get(receipt, actor=actor), actor=actor)

    def candidates_of(self, petition: Petition, *, actor: Actor) -> list[CandidateView]:
        """``candidates`` of a petition already read for the actor (``get`` or ``case``)."""
        self._may_search(petition, actor)
        persons = (
            self.vault.open_many(petition.petitioners).values()
            if petition.may_see_identity(actor)
            else ()
        )
        query = self.duplicates.query(petition.receipt, petition.content, petition.subject, persons)
        found = self.duplicates.search(query, viewer=actor, exclude=petition.id)
        return self.duplicates.views(found, actor)

    def candidates_for(self, command: ReceivePetition, *, actor: Actor) -> list[CandidateView]:
        """The same for a petition the reception is entering, before it is registered: nothing
        is recorded or sealed, its petitioners are compared in this process only."""
        require_permission(actor, Permission.RECEIVE_PETITION)
        if actor.unit != command.agency:
            raise NotOurAgencyError("holder", receipt="—", agency=command.agency, unit=actor.unit)
        persons = [
            Person(**{f.name: getattr(given, f.name) for f in dataclasses.fields(given)})
            for given in command.petitioners
        ]
        query = self.duplicates.query("", command.content, command.subject, persons)
        return self.duplicates.views(self.duplicates.search(query, viewer=actor), actor)

    def history(self, receipt: str) -> list[Petition.Event]:
        """Every event of the petition, in order (for the case page's timeline and the trail)."""
        petition = self.get(receipt)
        return [e for e in self.events(petition.id) if isinstance(e, Petition.Event)]

    # --- inside ----------------------------------------------------------------------------------

    @staticmethod
    def _may_search(petition: Petition, actor: Actor) -> None:
        """The candidates of a petition are for the inspectorate and the Office, and for the
        reception, the head and the handling officer of the agency that holds it."""
        if actor.role in OVERSEERS:
            return
        if actor.unit != petition.agency:
            raise NotOurAgencyError(
                "holder", receipt=petition.receipt, agency=petition.agency, unit=actor.unit
            )
        if actor.role not in {Role.RECEPTION, Role.AGENCY_HEAD} and actor.user_id != (
            petition.handler
        ):
            raise NotHandlerError(
                "handler",
                receipt=petition.receipt,
                handler=petition.handler or "—",
                user=actor.user_id,
            )

    def _id(self, receipt: str) -> UUID:
        code = receipt.strip().upper()
        if not RECEIPT_CODE.match(code):
            raise PetitionNotFoundError("unknown", receipt=receipt)
        return petition_id(code)

    def _other(self, command: PetitionCommand) -> Petition | None:
        """The other petition a command names, as it stands, whichever agency holds it (the
        officer marking a candidate from another agency may not see that case itself)."""
        receipt = command.other()
        if receipt is None:
            return None
        try:
            return self.get(receipt)
        except PetitionNotFoundError:
            raise InvalidPetitionError("other_unknown", receipt=receipt) from None

    def _previous(self, receipt: str | None) -> tuple[Petition | None, Relation | None]:
        """The petition a new one follows, and how: a complaint resolved at first round is
        followed by a second round; anything else, by a repeat of the same matter."""
        if receipt is None or not receipt.strip():
            return None, None
        try:
            previous = self.get(receipt)
        except PetitionNotFoundError:
            raise InvalidPetitionError("previous_unknown", receipt=receipt) from None
        first_round_done = (
            previous.kind in {Kind.COMPLAINT, Kind.MIXED}
            and previous.status is Status.RESOLVED
            and previous.relation is not Relation.SECOND_ROUND
        )
        return previous, Relation.SECOND_ROUND if first_round_done else Relation.REPEAT

    def _sealed(self, command: ReceivePetition) -> tuple[SealedPerson, ...]:
        people = tuple(
            Person(**{f.name: getattr(given, f.name) for f in dataclasses.fields(given)})
            for given in command.petitioners
        )
        return tuple(self.vault.seal(self.person_ids(), person) for person in people)
