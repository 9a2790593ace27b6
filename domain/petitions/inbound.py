"""Cases transferred in from another system (liên thông): each case of a national record file
(``domain.petitions.national``) becomes a petition received by transfer at the agency it was
sent to, its petitioners sealed at once.

What makes an import idempotent is an aggregate of its own, ``TransferIn``, whose id is derived
from the source system and the source's case id and which is saved in the same transaction as
the petition it made: a case imported again finds it there and records nothing, and two imports
at once cannot both make one (the second's save conflicts and finds the first's).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event
from eventsourcing.persistence import IntegrityError

from domain.petitions.desk import PetitionDesk
from domain.petitions.errors import (
    DuplicateReceiptError,
    InvalidPetitionError,
    TransferInRefusedError,
)
from domain.petitions.national import Identity, InboundCase
from domain.petitions.petition import Channel, Petition, petition_id
from domain.shared.actors import Actor, Role
from domain.shared.clock import city_date
from domain.shared.errors import DomainError
from domain.shared.personal import SealedPerson
from domain.shared.text import TextRule, checked

# Who records an imported case: the link itself, at the reception of the agency it goes to.
LINK_USER = "lien-thong"
_CODE_ATTEMPTS = 8
# A source system's name and its case ids: one line each.
SOURCE = TextRule(300, required=True)


def transfer_in_id(source: str, case_id: str) -> UUID:
    """The import of one case of one source system: a case is imported once."""
    return uuid5(NAMESPACE_URL, f"thucthi:transfer-in:{len(source)}:{source}:{case_id}")


def withheld_person_id(source: str, case_id: str, n: int) -> UUID:
    """The id that names the n-th petitioner of a case whose identity the source keeps: a person
    this system holds no data of (its vault has no key for them, as after an erasure)."""
    return uuid5(NAMESPACE_URL, f"thucthi:withheld:{len(source)}:{source}:{case_id}:{n}")


class TransferIn(Aggregate):
    """A case another system transferred in, and the petition it became here."""

    TOPIC = "thucthi:TransferIn"

    source: str
    case_id: str
    receipt: str
    agency: str

    class Event(Aggregate.Event):
        actor: Actor
        request_id: str

    class Created(Event, Aggregate.Created):
        """The library's generic creation event; never triggered, named so no topic is implied."""

        TOPIC = "thucthi:TransferIn.Created"

    class Recorded(Event, Aggregate.Created):
        TOPIC = "thucthi:TransferIn.Recorded"
        source: str
        case_id: str
        receipt: str
        agency: str
        received_at_source: date
        identity: Identity

    @classmethod
    def record(
        cls,
        *,
        source: str,
        case_id: str,
        receipt: str,
        agency: str,
        received_at_source: date,
        identity: Identity,
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> TransferIn:
        return cls._create(
            cls.Recorded,
            id=transfer_in_id(source, case_id),
            source=source,
            case_id=case_id,
            receipt=receipt,
            agency=agency,
            received_at_source=received_at_source,
            identity=identity,
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    @event(Recorded)
    def __init__(
        self,
        *,
        source: str,
        case_id: str,
        receipt: str,
        agency: str,
        received_at_source: date,
        identity: Identity,
        actor: Actor,
        request_id: str,
    ) -> None:
        self.source = source
        self.case_id = case_id
        self.receipt = receipt
        self.agency = agency


class Outcome(StrEnum):
    IMPORTED = "imported"
    ALREADY = "already"  # imported before: nothing recorded


@dataclass(frozen=True, slots=True)
class Imported:
    """What became of one case: the petition it is here (new or from an earlier import)."""

    source: str
    case_id: str
    outcome: Outcome
    receipt: str
    agency: str
    position: int | None  # where it was recorded, if it was now


def link_actor(agency: str) -> Actor:
    return Actor(user_id=LINK_USER, role=Role.RECEPTION, unit=agency)


def receive_transferred(
    desk: PetitionDesk, case: InboundCase, *, agency: str, request_id: str
) -> Imported:
    """Record ``case`` as a petition received by transfer at ``agency`` today, unless it was
    imported before. Its petitioners are sealed before anything is recorded; a denouncer whose
    identity the source keeps is named by an id only (``withheld_person_id``)."""
    link = transfer_in_id(case.source, case.case_id)
    found = _found(desk, link, case)
    if found is not None:
        return found
    desk.require_agencies(agency)
    actor = link_actor(agency)
    at = desk.clock.now()
    today = city_date(at)
    # What the petition and the link will be refused for is checked before anyone is sealed.
    source = checked("source", case.source, rule=SOURCE)
    case_id = checked("case_id", case.case_id, rule=SOURCE)
    checked("content", case.content, method="receive")
    checked("subject", case.subject)
    known = case.decision_known_on
    if known is not None and known > today:
        raise InvalidPetitionError("known_after_receipt", known_on=known, received_on=today)
    petitioners: tuple[SealedPerson, ...] = ()
    if case.identity is Identity.GIVEN:
        petitioners = tuple(
            SealedPerson(withheld_person_id(source, case_id, n), "")
            if person is None
            else desk.vault.seal(desk.person_ids(), person)
            for n, person in enumerate(case.petitioners)
        )
    elif case.identity is Identity.WITHHELD:
        petitioners = (SealedPerson(withheld_person_id(source, case_id, 0), ""),)
    receipt = ""
    for _ in range(_CODE_ATTEMPTS):
        receipt = desk.receipts(today)
        if petition_id(receipt) in desk.repository:
            continue
        petition = Petition.receive(
            receipt=receipt,
            agency=agency,
            channel=Channel.TRANSFERRED,
            received_on=today,
            petitioners=petitioners,
            anonymous=case.identity is Identity.ANONYMOUS,
            signers=max(case.signers, len(petitioners)),
            content=case.content,
            subject=case.subject,
            attachments=case.attachments,
            decision_known_on=case.decision_known_on,
            actor=actor,
            request_id=request_id,
            at=at,
        )
        record = TransferIn.record(
            source=source,
            case_id=case_id,
            receipt=receipt,
            agency=agency,
            received_at_source=case.received_on,
            identity=case.identity,
            actor=actor,
            request_id=request_id,
            at=at,
        )
        try:
            position = desk.writer.save(petition, record)
        except IntegrityError:
            found = _found(desk, link, case)
            if found is not None:
                return found  # another import of the same case went first
            continue  # the receipt code was taken at the same moment: draw again
        return Imported(case.source, case.case_id, Outcome.IMPORTED, receipt, agency, position)
    raise DuplicateReceiptError("used", receipt=receipt)


def _found(desk: PetitionDesk, link: UUID, case: InboundCase) -> Imported | None:
    if link not in desk.repository:
        return None
    earlier = desk.repository.get(link)
    return Imported(
        case.source, case.case_id, Outcome.ALREADY, earlier.receipt, earlier.agency, None
    )


@dataclass(frozen=True, slots=True)
class Refused:
    """A case that could not be received here, and why (nothing of it was recorded)."""

    source: str
    case_id: str
    error: DomainError


def import_cases(
    desk: PetitionDesk,
    cases: Iterable[InboundCase],
    *,
    own_source: str,
    request_id: str,
    agency: str | None = None,
) -> list[Imported | Refused]:
    """Receive each case by transfer at ``agency``, else at the agency of this system its latest
    transfer named; a case of this system itself, or naming none of its agencies, is refused.
    Each case is its own transaction: what one case is refused for leaves the others."""
    done: list[Imported | Refused] = []
    for case in cases:
        try:
            if case.source == own_source:
                raise TransferInRefusedError("own_source", case_id=case.case_id, source=case.source)
            target = agency or case.transferred_to
            if target is None:
                raise TransferInRefusedError("no_agency", case_id=case.case_id, source=case.source)
            done.append(receive_transferred(desk, case, agency=target, request_id=request_id))
        except DomainError as e:
            done.append(Refused(case.source, case.case_id, e))
    return done
