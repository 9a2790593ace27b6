"""The Petition aggregate: a complaint, denunciation, proposal or feedback (khiếu nại, tố cáo,
kiến nghị, phản ánh) from its receipt at an agency to its result.

Its life, in the words of Thông tư 05/2021/TT-TTCP and the laws (``domain.petitions.law``):
received (tiếp nhận) → classified (phân loại) → a processing decision (xử lý đơn): accepted for
handling (thụ lý), guided to the competent body (hướng dẫn), transferred (chuyển đơn), not
accepted (không thụ lý) or archived (lưu đơn) → handled (giải quyết: verification, a dialogue for
complaints, extensions the law allows) → resolved, its result published. The petitioner may
withdraw it (rút đơn) at any step before the result. A transfer to another agency of the city
moves the case, with its history, to that agency's reception; the same content is transferred
once.

Public methods are commands: they check the rules in a fixed order (role, closed, agency,
step) and compute the payload; the ``@event`` methods only change state. A refused command
raises its own error and records nothing. The petitioners' personal data never enter an event
in clear: events carry them sealed (``domain.shared.personal``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event
from eventsourcing.domain import Snapshot as _Snapshot

from domain.petitions.errors import (
    CompetenceError,
    DialogueError,
    ExtensionLimitError,
    FilingLimitError,
    GroundError,
    InvalidPetitionError,
    NotHandlerError,
    NotOurAgencyError,
    OutcomeError,
    PetitionClosedError,
    SameMatterError,
    TransferredOnceError,
    WrongStepError,
)
from domain.petitions.law import (
    COMPLAINT_MAX_EXTENSIONS,
    DENUNCIATION_MAX_EXTENSIONS,
    GROUNDS,
    TERMS,
    ArchiveGround,
    NotAcceptedGround,
    TermName,
)
from domain.shared.actors import Actor, Command, Role, require_permission
from domain.shared.clock import city_date
from domain.shared.personal import SealedPerson
from domain.shared.text import ATTACHMENT_DIGEST, checked

# Mã biên nhận: the year, then eight letters and digits of Crockford's base32 drawn at random,
# so that a code cannot be guessed from another (the public look-up rests on it).
RECEIPT_CODE = re.compile(r"^[0-9]{4}-[0-9A-HJKMNP-TV-Z]{8}$")
RECEIPT_EXAMPLE = "2026-K7M3Q9XD"
# Đơn đông người: a petition signed by five or more (Thông tư 05/2021/TT-TTCP).
MANY_SIGNERS = 5


class Channel(StrEnum):
    """How the petition reached the agency."""

    IN_PERSON = "in_person"  # tại trụ sở tiếp công dân
    POST = "post"  # qua bưu chính
    ONLINE = "online"  # trực tuyến
    TRANSFERRED = "transferred"  # chuyển đến từ cơ quan khác


class Kind(StrEnum):
    COMPLAINT = "complaint"  # khiếu nại
    DENUNCIATION = "denunciation"  # tố cáo
    PROPOSAL = "proposal"  # kiến nghị, phản ánh
    MIXED = "mixed"  # nhiều nội dung


class Field(StrEnum):
    LAND = "land"  # đất đai
    COMPENSATION = "compensation"  # bồi thường, giải phóng mặt bằng
    CONSTRUCTION = "construction"  # trật tự xây dựng
    ENVIRONMENT = "environment"  # môi trường
    CONDUCT = "conduct"  # tác phong, đạo đức công vụ
    SOCIAL_POLICY = "social_policy"  # chính sách xã hội
    OTHER = "other"


class Competence(StrEnum):
    OURS = "ours"  # thuộc thẩm quyền
    CITY_AGENCY = "city_agency"  # thuộc cơ quan khác của Thành phố
    OUTSIDE_CITY = "outside_city"  # ngoài Thành phố


class Status(StrEnum):
    RECEIVED = "received"  # awaiting classification
    CLASSIFIED = "classified"  # awaiting the head's decision
    IN_HANDLING = "in_handling"  # thụ lý, being handled
    RESOLVED = "resolved"  # a result was issued
    GUIDED = "guided"
    TRANSFERRED = "transferred"  # sent to a body outside the system
    NOT_ACCEPTED = "not_accepted"
    ARCHIVED = "archived"
    WITHDRAWN = "withdrawn"


OPEN = frozenset({Status.RECEIVED, Status.CLASSIFIED, Status.IN_HANDLING})
AWAITING_DECISION = frozenset({Status.RECEIVED, Status.CLASSIFIED})


class Verdict(StrEnum):
    """The result: a complaint or denunciation found right, partly right or wrong, or a
    proposal answered."""

    RIGHT = "right"  # đúng
    PARTLY_RIGHT = "partly_right"  # đúng một phần
    WRONG = "wrong"  # sai
    ANSWERED = "answered"  # đã trả lời


VERDICTS: dict[Kind, frozenset[Verdict]] = {
    Kind.COMPLAINT: frozenset({Verdict.RIGHT, Verdict.PARTLY_RIGHT, Verdict.WRONG}),
    Kind.DENUNCIATION: frozenset({Verdict.RIGHT, Verdict.PARTLY_RIGHT, Verdict.WRONG}),
    Kind.PROPOSAL: frozenset({Verdict.ANSWERED}),
    Kind.MIXED: frozenset(Verdict),
}


class Relation(StrEnum):
    """How a petition follows an earlier one it names."""

    SECOND_ROUND = "second_round"  # khiếu nại lần hai, at the higher level
    REPEAT = "repeat"  # tố cáo tiếp, or the same matter again


class Calendar(Protocol):
    """What a deadline needs of the working-day calendar (``domain.shared.calendar``)."""

    def add_working_days(self, start: date, n: int) -> date: ...

    def add_days(self, start: date, n: int) -> date: ...


@dataclass(frozen=True, slots=True)
class Deadline:
    """The term in force for the petition's current step: from ``start``, ``days`` days
    (working days if ``working``), under the law's ``terms``."""

    start: date
    days: int
    working: bool
    terms: tuple[TermName, ...]

    def due(self, calendar: Calendar) -> date:
        if self.working:
            return calendar.add_working_days(self.start, self.days)
        return calendar.add_days(self.start, self.days)


def term_in_force(
    *,
    status: Status,
    kind: Kind | None,
    several_places: bool,
    relation: Relation | None,
    arrived_on: date,
    accepted_on: date | None,
    extensions: int,
    suspended: bool = False,
    suspended_days: int = 0,
) -> Deadline | None:
    """The term in force for a petition in ``status`` (``Petition.deadline``), from what it
    holds: a pure function, so that the read models judge deadlines by the same rule. None once
    closed, and while suspended: the clock stands still."""
    if status in AWAITING_DECISION:
        return processing_term(
            kind=kind, several_places=several_places, relation=relation, arrived_on=arrived_on
        )
    if status is Status.IN_HANDLING and not suspended:
        return handling_term_for(
            kind=kind,
            relation=relation,
            accepted_on=accepted_on,
            extensions=extensions,
            suspended_days=suspended_days,
        )
    return None


def processing_term(
    *, kind: Kind | None, several_places: bool, relation: Relation | None, arrived_on: date
) -> Deadline:
    """The term for the processing decision (xử lý đơn), from the day it arrived at the agency
    that holds it; before classification a denunciation's, the shortest."""
    if kind is Kind.COMPLAINT and relation is Relation.SECOND_ROUND:
        name = TermName.COMPLAINT_SECOND_ROUND_ACCEPTANCE
    elif kind is Kind.COMPLAINT:
        name = TermName.COMPLAINT_ACCEPTANCE
    elif kind is Kind.PROPOSAL:
        name = TermName.PROPOSAL_ANSWER
    elif kind is Kind.DENUNCIATION and several_places:
        name = TermName.DENUNCIATION_ACCEPTANCE_SEVERAL_PLACES
    else:
        name = TermName.DENUNCIATION_ACCEPTANCE
    term = TERMS[name]
    return Deadline(arrived_on, term.days, term.working, (name,))


def handling_term_for(
    *,
    kind: Kind | None,
    relation: Relation | None,
    accepted_on: date | None,
    extensions: int,
    suspended_days: int = 0,
) -> Deadline | None:
    """The handling term (giải quyết) from acceptance, with its extensions and the days it
    stood suspended; None if never accepted (``Petition.handling_term``)."""
    if accepted_on is None:
        return None
    if kind is Kind.DENUNCIATION:
        names = (TermName.DENUNCIATION_HANDLING,) + (TermName.DENUNCIATION_EXTENSION,) * extensions
        days = sum(TERMS[n].days for n in names) + suspended_days
        return Deadline(accepted_on, days, TERMS[names[0]].working, names)
    second_round = relation is Relation.SECOND_ROUND and kind in {Kind.COMPLAINT, Kind.MIXED}
    if kind is Kind.PROPOSAL:
        name = TermName.PROPOSAL_HANDLING
    elif second_round:
        name = (
            TermName.COMPLAINT_SECOND_ROUND_COMPLEX
            if extensions
            else TermName.COMPLAINT_SECOND_ROUND
        )
    else:
        name = (
            TermName.COMPLAINT_FIRST_ROUND_COMPLEX if extensions else TermName.COMPLAINT_FIRST_ROUND
        )
    term = TERMS[name]
    return Deadline(accepted_on, term.days + suspended_days, term.working, (name,))


def petition_id(receipt: str) -> UUID:
    """The petition's id, derived from its receipt code: a code is given once."""
    return uuid5(NAMESPACE_URL, "thucthi:petition:" + receipt)


class Petition(Aggregate):
    """A petition received by an agency, and where its handling stands."""

    TOPIC = "thucthi:Petition"

    receipt: str
    received_by: str  # the agency that received it first
    agency: str  # the agency that holds it now
    channel: Channel
    received_on: date
    arrived_on: date  # at the agency that holds it now
    petitioners: tuple[SealedPerson, ...]
    anonymous: bool
    signers: int
    content: str
    subject: str
    attachments: tuple[str, ...]
    decision_known_on: date | None
    follows: UUID | None
    follows_receipt: str | None
    relation: Relation | None
    kind: Kind | None
    field: Field | None
    competence: Competence | None
    several_places: bool
    competent_body: str
    status: Status
    transferred_from: tuple[str, ...]
    handler: str | None
    accepted_on: date | None
    excused_delay: str
    extensions: int
    suspended_since: date | None
    suspended_days: int
    verifications: int
    dialogues: int
    decision_note: str
    ground: str | None
    resolved_on: date | None
    verdict: Verdict | None
    result: str
    decision_reference: str
    published_on: date | None
    closed_on: date | None
    # Issue 26: the earlier filings this one is marked as the same matter as (the link is kept
    # here, on the later filing, and undone here), and the earlier result it was answered with.
    # Class defaults, so that a snapshot taken before they existed still reads.
    same_matter: tuple[str, ...] = ()
    answered_with: str | None = None
    earlier_verdict: Verdict | None = None
    earlier_result: str = ""
    earlier_decision_reference: str = ""
    # Issue 27: the agencies that ended in a reorganisation while holding it, the first first
    # (docs/units.md); a class default, so that an earlier snapshot still reads.
    handed_over_from: tuple[str, ...] = ()

    # --- events ------------------------------------------------------------------------------

    class Event(Aggregate.Event):
        """Every event says who acted and in answer to which request."""

        actor: Actor
        request_id: str

    class Created(Event, Aggregate.Created):
        """The library's generic creation event; never triggered, named so no topic is implied."""

        TOPIC = "thucthi:Petition.Created"

    class Received(Event, Aggregate.Created):
        TOPIC = "thucthi:Petition.Received"
        receipt: str
        agency: str
        channel: Channel
        received_on: date
        petitioners: tuple[SealedPerson, ...]
        anonymous: bool
        signers: int
        content: str
        subject: str
        attachments: tuple[str, ...]
        decision_known_on: date | None
        follows: UUID | None
        follows_receipt: str | None
        relation: Relation | None

    class Classified(Event):
        TOPIC = "thucthi:Petition.Classified"
        kind: Kind
        field: Field
        competence: Competence
        several_places: bool
        competent_body: str

    class Accepted(Event):
        TOPIC = "thucthi:Petition.Accepted"
        handler: str
        excused_delay: str
        note: str

    class Guided(Event):
        TOPIC = "thucthi:Petition.Guided"
        body: str
        note: str

    class Transferred(Event):
        TOPIC = "thucthi:Petition.Transferred"
        to_agency: str | None  # an agency of the city: the case moves there
        body: str  # a body outside the system: the case closes here
        note: str

    class NotAccepted(Event):
        TOPIC = "thucthi:Petition.NotAccepted"
        ground: NotAcceptedGround
        note: str

    class Archived(Event):
        TOPIC = "thucthi:Petition.Archived"
        ground: ArchiveGround
        note: str

    class VerificationRecorded(Event):
        TOPIC = "thucthi:Petition.VerificationRecorded"
        summary: str
        attachments: tuple[str, ...]

    class DialogueHeld(Event):
        TOPIC = "thucthi:Petition.DialogueHeld"
        held_on: date
        summary: str

    class Extended(Event):
        TOPIC = "thucthi:Petition.Extended"
        reason: str

    class Suspended(Event):
        TOPIC = "thucthi:Petition.Suspended"
        reason: str

    class Resumed(Event):
        TOPIC = "thucthi:Petition.Resumed"
        note: str

    class Resolved(Event):
        TOPIC = "thucthi:Petition.Resolved"
        verdict: Verdict
        summary: str
        decision_reference: str
        attachments: tuple[str, ...]

    class ResultPublished(Event):
        TOPIC = "thucthi:Petition.ResultPublished"

    class Withdrawn(Event):
        TOPIC = "thucthi:Petition.Withdrawn"
        reason: str

    class SameMatterMarked(Event):
        """An officer found this filing to be the same matter as an earlier one: nothing is
        merged, each keeps its record; the link counts the two as one matter."""

        TOPIC = "thucthi:Petition.SameMatterMarked"
        earlier: str  # the earlier filing's receipt code
        earlier_agency: str  # the agency that held it when the link was made
        reason: str

    class SameMatterUnmarked(Event):
        """The link was wrong and is undone, with the reason; the trail keeps both."""

        TOPIC = "thucthi:Petition.SameMatterUnmarked"
        earlier: str
        reason: str

    class AnsweredWithEarlier(Event):
        """A repeat of a matter already resolved, with no new facts, answered with the
        earlier result instead of being handled again (the processing decision the law allows:
        ``ground``); the earlier result is copied as it stood, for the look-up and the trail."""

        TOPIC = "thucthi:Petition.AnsweredWithEarlier"
        earlier: str
        status: Status  # not accepted (a complaint, a denunciation) or archived (the rest)
        ground: str
        earlier_verdict: Verdict
        earlier_result: str
        earlier_decision_reference: str
        note: str

    class HandedOver(Event):
        """The agency that held it ended in a reorganisation of units (docs/units.md), and its
        heir carries the case on where it stands: its terms keep running, nothing starts again."""

        TOPIC = "thucthi:Petition.HandedOver"
        from_agency: str
        to_agency: str
        basis: str

    class Snapshot(_Snapshot):
        TOPIC = "thucthi:Petition.Snapshot"

    # --- receiving ---------------------------------------------------------------------------

    @classmethod
    def receive(
        cls,
        *,
        receipt: str,
        agency: str,
        channel: Channel,
        received_on: date,
        petitioners: tuple[SealedPerson, ...],
        anonymous: bool = False,
        signers: int | None = None,
        content: str,
        subject: str = "",
        attachments: tuple[str, ...] = (),
        decision_known_on: date | None = None,
        follows: UUID | None = None,
        follows_receipt: str | None = None,
        relation: Relation | None = None,
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> Petition:
        """Tiếp nhận: the reception of ``agency`` registers what it received."""
        require_permission(actor, Command.RECEIVE_PETITION)
        if actor.unit != agency:
            raise NotOurAgencyError("holder", receipt=receipt, agency=agency, unit=actor.unit)
        if not RECEIPT_CODE.match(receipt):
            raise InvalidPetitionError("receipt_code", example=RECEIPT_EXAMPLE, given=receipt)
        today = city_date(at)
        if received_on > today:
            raise InvalidPetitionError("received_in_future", received_on=received_on, today=today)
        if anonymous and petitioners:
            raise InvalidPetitionError("anonymous_named")
        if not anonymous and not petitioners:
            raise InvalidPetitionError("no_petitioner")
        counted = len(petitioners) if signers is None else signers
        if counted < len(petitioners):
            raise InvalidPetitionError("signers", signers=counted, named=len(petitioners))
        if decision_known_on is not None and decision_known_on > received_on:
            raise InvalidPetitionError(
                "known_after_receipt", known_on=decision_known_on, received_on=received_on
            )
        if follows is not None and follows == petition_id(receipt):
            raise InvalidPetitionError("previous_is_self")
        return cls._received(
            receipt=receipt,
            agency=agency,
            channel=channel,
            received_on=received_on,
            petitioners=petitioners,
            anonymous=anonymous,
            signers=counted,
            content=checked("content", content, method="receive"),
            subject=checked("subject", subject),
            attachments=_digests(attachments),
            decision_known_on=decision_known_on,
            follows=follows,
            follows_receipt=follows_receipt,
            relation=relation if follows is not None else None,
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    @classmethod
    def _received(cls, **kwargs: object) -> Petition:
        return cls._create(cls.Received, id=petition_id(str(kwargs["receipt"])), **kwargs)

    @event(Received)
    def __init__(
        self,
        *,
        receipt: str,
        agency: str,
        channel: Channel,
        received_on: date,
        petitioners: tuple[SealedPerson, ...],
        anonymous: bool,
        signers: int,
        content: str,
        subject: str,
        attachments: tuple[str, ...],
        decision_known_on: date | None,
        follows: UUID | None,
        follows_receipt: str | None,
        relation: Relation | None,
        actor: Actor,
        request_id: str,
    ) -> None:
        self.receipt = receipt
        self.received_by = agency
        self.agency = agency
        self.channel = channel
        self.received_on = received_on
        self.arrived_on = received_on
        self.petitioners = tuple(petitioners)
        self.anonymous = anonymous
        self.signers = signers
        self.content = content
        self.subject = subject
        self.attachments = tuple(attachments)
        self.decision_known_on = decision_known_on
        self.follows = follows
        self.follows_receipt = follows_receipt
        self.relation = relation
        self.kind = None
        self.field = None
        self.competence = None
        self.several_places = False
        self.competent_body = ""
        self.status = Status.RECEIVED
        self.transferred_from = ()
        self.handler = None
        self.accepted_on = None
        self.excused_delay = ""
        self.extensions = 0
        self.suspended_since = None
        self.suspended_days = 0
        self.verifications = 0
        self.dialogues = 0
        self.decision_note = ""
        self.ground = None
        self.resolved_on = None
        self.verdict = None
        self.result = ""
        self.decision_reference = ""
        self.published_on = None
        self.closed_on = None

    # --- what it is --------------------------------------------------------------------------

    @property
    def is_open(self) -> bool:
        return self.status in OPEN

    @property
    def many_signers(self) -> bool:
        """Đơn đông người."""
        return self.signers >= MANY_SIGNERS

    @property
    def second_round(self) -> bool:
        return self.relation is Relation.SECOND_ROUND and self.kind in {
            Kind.COMPLAINT,
            Kind.MIXED,
        }

    def deadline(self) -> Deadline | None:
        """The term in force for the current step (None once closed): the processing term
        from the day it arrived at the agency that holds it, then the handling term from
        acceptance. Before classification the shortest processing term (a denunciation's)
        applies, so that nothing is late for want of a classification."""
        return term_in_force(
            status=self.status,
            kind=self.kind,
            several_places=self.several_places,
            relation=self.relation,
            arrived_on=self.arrived_on,
            accepted_on=self.accepted_on,
            extensions=self.extensions,
            suspended=self.suspended_since is not None,
            suspended_days=self.suspended_days,
        )

    def handling_term(self) -> Deadline | None:
        """The handling term from acceptance, with its extensions and the days it stood
        suspended (which the law does not count: Luật Tố cáo 2018, Điều 34; for complaints,
        Law 136/2025/QH15); None if never accepted. Kept after the result, to judge whether
        it came on time."""
        return handling_term_for(
            kind=self.kind,
            relation=self.relation,
            accepted_on=self.accepted_on,
            extensions=self.extensions,
            suspended_days=self.suspended_days,
        )

    def extensions_allowed(self) -> int:
        if self.kind is Kind.DENUNCIATION:
            return DENUNCIATION_MAX_EXTENSIONS
        if self.kind in {Kind.COMPLAINT, Kind.MIXED}:
            return COMPLAINT_MAX_EXTENSIONS  # a complex case: 30 → 45 days (45 → 60 at round 2)
        return 0

    def may_see_identity(self, actor: Actor) -> bool:
        """Whether the actor may see who filed it. A denouncer's identity is confidential
        (Luật Tố cáo 2018): only the holding agency's reception and head and the officer
        handling it see it. Other petitioners are also seen by the inspectorate and the
        Office, which oversee every agency."""
        handles = actor.unit == self.agency and (
            actor.role in {Role.RECEPTION, Role.AGENCY_HEAD} or actor.user_id == self.handler
        )
        if handles:
            return True
        if self.kind in {Kind.DENUNCIATION, Kind.MIXED} or self.kind is None:
            return False
        return actor.role in {Role.INSPECTOR, Role.OFFICE}

    def seen_by(self, actor: Actor) -> bool:
        """An agency's officers see the petitions it holds or once held; the inspectorate,
        the Office and the leadership see them all."""
        if not actor.role.bound_to_unit:
            return actor.role in {Role.LEADER, Role.OFFICE, Role.INSPECTOR}
        return actor.unit == self.agency or actor.unit in self.agencies

    @property
    def agencies(self) -> tuple[str, ...]:
        """Every agency that held it, the first first."""
        return (*self.transferred_from, *self.handed_over_from, self.agency)

    # --- classifying -------------------------------------------------------------------------

    def classify(
        self,
        *,
        kind: Kind,
        field: Field,
        competence: Competence,
        several_places: bool = False,
        competent_body: str = "",
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        """Phân loại: what it is, what about, and whose it is to handle. Again as often as
        needed until the head decides."""
        self._check(actor, Command.CLASSIFY_PETITION)
        if self.status not in AWAITING_DECISION:
            raise WrongStepError("decided", receipt=self.receipt)
        self._classified(
            kind=kind,
            field=field,
            competence=competence,
            several_places=several_places and kind in {Kind.DENUNCIATION, Kind.MIXED},
            competent_body=checked("competent_body", competent_body),
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    # --- the head's decision -----------------------------------------------------------------

    def accept(
        self,
        *,
        handler: str,
        excused_delay: str = "",
        note: str = "",
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        """Thụ lý: accept for handling and assign the officer who handles it. A complaint past
        the law's filing limit is accepted only with the obstacle that excuses it."""
        self._decide(actor)
        if self.competence is not Competence.OURS:
            raise CompetenceError("not_ours", receipt=self.receipt, competence=self.competence)
        excuse = checked("excused_delay", excused_delay)
        days = self._days_after_decision()
        limit = self._filing_limit()
        if days is not None and days > limit and not excuse:
            raise FilingLimitError("late", days=days, limit=limit)
        self._accepted(
            handler=checked("handler", handler),
            excused_delay=excuse,
            note=checked("note", note),
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    def guide(
        self, *, body: str, note: str = "", actor: Actor, request_id: str, at: datetime
    ) -> None:
        """Hướng dẫn: tell the petitioner which body is competent; once for the same content,
        so the petition closes here."""
        self._decide(actor)
        if self.competence is Competence.OURS:
            raise CompetenceError("ours", receipt=self.receipt)
        self._guided(
            body=checked("body", body, method="guide"),
            note=checked("note", note),
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    def transfer(
        self,
        *,
        to_agency: str | None = None,
        body: str = "",
        note: str = "",
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        """Chuyển đơn: to an agency of the city (the case moves there, with its history, to be
        received again) or to a body outside the system (the case closes here). Once."""
        self._decide(actor)
        if self.competence is Competence.OURS:
            raise CompetenceError("ours", receipt=self.receipt)
        if self.transferred_from:
            raise TransferredOnceError(
                "transferred", receipt=self.receipt, agency=self.transferred_from[-1]
            )
        outside = checked("body", body)
        if to_agency is None and not outside:
            raise CompetenceError("target_needed")
        if to_agency is not None and to_agency == self.agency:
            raise CompetenceError("same_agency", receipt=self.receipt, agency=self.agency)
        if to_agency is None and self.competence is Competence.CITY_AGENCY:
            raise CompetenceError("outside_in_city", receipt=self.receipt)
        self._transferred(
            to_agency=to_agency,
            body="" if to_agency is not None else outside,
            note=checked("note", note),
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    def not_accept(
        self,
        *,
        ground: NotAcceptedGround,
        note: str = "",
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        """Không thụ lý, on one of the law's grounds for this kind of petition."""
        self._decide(actor)
        wanted = "complaint." if self.kind in {Kind.COMPLAINT} else "denunciation."
        if self.kind is Kind.MIXED:
            fits = True
        else:
            fits = ground.value.startswith(wanted) and self.kind is not Kind.PROPOSAL
        if not fits:
            raise GroundError("kind", ground=ground.value, kind=self.kind)
        if ground is NotAcceptedGround.TIME_LIMIT:
            days = self._days_after_decision()
            limit = self._filing_limit()
            if days is None or days <= limit:
                raise GroundError("within_limit", days=days, limit=limit)
        since = GROUNDS[ground].in_force_from
        if since is not None and self.received_on < since:
            raise GroundError("not_yet_law", ground=ground.value, since=since)
        self._not_accepted(
            ground=ground,
            note=checked("note", note),
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    def archive(
        self, *, ground: ArchiveGround, note: str = "", actor: Actor, request_id: str, at: datetime
    ) -> None:
        """Lưu đơn: keep it without processing, on one of the grounds of Thông tư 05/2021."""
        self._decide(actor)
        self._archived(
            ground=ground,
            note=checked("note", note),
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    # --- handling ----------------------------------------------------------------------------

    def record_verification(
        self,
        *,
        summary: str,
        attachments: tuple[str, ...] = (),
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        """Xác minh: what the handling officer found, with digests of the records."""
        self._handle(actor, Command.HANDLE_PETITION)
        self._verification_recorded(
            summary=checked("summary", summary),
            attachments=_digests(attachments),
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    def hold_dialogue(
        self, *, held_on: date, summary: str, actor: Actor, request_id: str, at: datetime
    ) -> None:
        """Đối thoại: the dialogue with the complainant (a complaint's handling only)."""
        self._handle(actor, Command.HANDLE_PETITION)
        if self.kind not in {Kind.COMPLAINT, Kind.MIXED}:
            raise DialogueError("kind", kind=self.kind)
        today = city_date(at)
        if held_on > today:
            raise InvalidPetitionError("received_in_future", received_on=held_on, today=today)
        self._dialogue_held(
            held_on=held_on,
            summary=checked("summary", summary),
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    def extend(self, *, reason: str, actor: Actor, request_id: str, at: datetime) -> None:
        """Gia hạn: a longer handling term for a complex case, as far as the law allows."""
        self._handle(actor, Command.EXTEND_PETITION)
        allowed = self.extensions_allowed()
        if allowed == 0:
            raise ExtensionLimitError("none", kind=self.kind)
        if self.extensions >= allowed:
            raise ExtensionLimitError("used", receipt=self.receipt, allowed=allowed)
        self._extended(
            reason=checked("reason", reason, method="extend"),
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    def suspend(self, *, reason: str, actor: Actor, request_id: str, at: datetime) -> None:
        """Tạm đình chỉ: handling waits (a party cannot take part, or a related matter must be
        settled first); the days it waits do not count against the term."""
        self._handle(actor, Command.EXTEND_PETITION)
        if self.suspended_since is not None:
            raise WrongStepError("suspended", receipt=self.receipt, since=self.suspended_since)
        self._suspended(
            reason=checked("reason", reason, method="suspend"),
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    def resume(self, *, note: str = "", actor: Actor, request_id: str, at: datetime) -> None:
        """Tiếp tục giải quyết: the suspension ends and the clock runs again."""
        self._check(actor, Command.EXTEND_PETITION)
        if self.suspended_since is None:
            raise WrongStepError("not_suspended", receipt=self.receipt)
        self._resumed(note=checked("note", note), actor=actor, request_id=request_id, timestamp=at)

    def resolve(
        self,
        *,
        verdict: Verdict,
        summary: str,
        decision_reference: str = "",
        attachments: tuple[str, ...] = (),
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        """Giải quyết: the head signs the result (a complaint decision, a denunciation's
        conclusion, an answer to a proposal)."""
        self._handle(actor, Command.RESOLVE_PETITION)
        kind = self.kind or Kind.MIXED  # an accepted petition was classified
        if verdict not in VERDICTS[kind]:
            raise OutcomeError("verdict", kind=kind.value, verdict=verdict.value)
        self._resolved(
            verdict=verdict,
            summary=checked("summary", summary),
            decision_reference=checked("decision_reference", decision_reference),
            attachments=_digests(attachments),
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    def publish_result(self, *, actor: Actor, request_id: str, at: datetime) -> None:
        """Công khai: the result becomes visible on the public look-up."""
        require_permission(actor, Command.RESOLVE_PETITION)
        self._require_holder(actor)
        if self.status is not Status.RESOLVED:
            raise WrongStepError("not_resolved", receipt=self.receipt)
        if self.published_on is not None:
            raise WrongStepError("published", receipt=self.receipt)
        self._result_published(actor=actor, request_id=request_id, timestamp=at)

    def withdraw(self, *, reason: str, actor: Actor, request_id: str, at: datetime) -> None:
        """Rút đơn: the petitioner withdraws it, recorded by the agency that holds it."""
        self._check(actor, Command.WITHDRAW_PETITION)
        self._withdrawn(
            reason=checked("reason", reason, method="withdraw"),
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    def hand_over(
        self, *, to_agency: str, basis: str, actor: Actor, request_id: str, at: datetime
    ) -> None:
        """Bàn giao theo sắp xếp tổ chức: an open case passes from the agency that ended to its
        heir, as it stands (the registry checks the heir; an administrator records it)."""
        require_permission(actor, Command.MANAGE_UNITS)
        if not self.is_open:
            raise PetitionClosedError("closed", receipt=self.receipt, status=self.status.value)
        to_agency = checked("to_unit", to_agency)
        if to_agency == self.agency:
            raise CompetenceError("same_agency", receipt=self.receipt, agency=self.agency)
        self._handed_over(
            from_agency=self.agency,
            to_agency=to_agency,
            basis=checked("basis", basis),
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    # --- the same matter (issue 26) ------------------------------------------------------------

    def mark_same_matter(
        self, *, earlier: Petition, reason: str, actor: Actor, request_id: str, at: datetime
    ) -> None:
        """Cùng nội dung: mark this filing as the same matter as ``earlier``, with the reason.
        Any step, open or closed: a duplicate found late is still one matter. The agency
        holding this filing decides; the earlier filing is not changed."""
        require_permission(actor, Command.LINK_PETITION)
        self._require_holder(actor)
        if earlier.receipt == self.receipt:
            raise SameMatterError("self", receipt=self.receipt)
        if earlier.receipt in self.same_matter:
            raise SameMatterError("linked", receipt=self.receipt, earlier=earlier.receipt)
        self._same_matter_marked(
            earlier=earlier.receipt,
            earlier_agency=earlier.agency,
            reason=checked("reason", reason, method="mark_same_matter"),
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    def unmark_same_matter(
        self, *, earlier: str, reason: str, actor: Actor, request_id: str, at: datetime
    ) -> None:
        """Undo a link found wrong, with the reason: the two filings count as two matters
        again. A filing answered with the earlier result keeps that link."""
        require_permission(actor, Command.LINK_PETITION)
        self._require_holder(actor)
        code = earlier.strip().upper()
        if code not in self.same_matter:
            raise SameMatterError("not_linked", receipt=self.receipt, earlier=code)
        if code == self.answered_with:
            raise SameMatterError("answered", receipt=self.receipt, earlier=code)
        self._same_matter_unmarked(
            earlier=code,
            reason=checked("reason", reason, method="unmark_same_matter"),
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    def answer_with_earlier(
        self, *, earlier: Petition, note: str = "", actor: Actor, request_id: str, at: datetime
    ) -> None:
        """Trả lời bằng kết quả đã giải quyết: a classified filing marked as the same matter as
        ``earlier``, which was resolved, is closed with the earlier result instead of being
        handled again: not accepted for a complaint already decided at second round or a
        denunciation already concluded (no new facts), archived for a proposal or feedback
        already answered (Thông tư 05/2021/TT-TTCP, Điều 28 khoản 1 điểm b)."""
        self._decide(actor)
        if earlier.receipt not in self.same_matter:
            raise SameMatterError("not_linked", receipt=self.receipt, earlier=earlier.receipt)
        if earlier.status is not Status.RESOLVED or earlier.verdict is None:
            raise SameMatterError("not_resolved", receipt=self.receipt, earlier=earlier.receipt)
        status, ground = self._repeat_ground(earlier)
        self._answered_with_earlier(
            earlier=earlier.receipt,
            status=status,
            ground=ground,
            earlier_verdict=earlier.verdict,
            earlier_result=earlier.result,
            earlier_decision_reference=earlier.decision_reference,
            note=checked("note", note),
            actor=actor,
            request_id=request_id,
            timestamp=at,
        )

    def _repeat_ground(self, earlier: Petition) -> tuple[Status, str]:
        """How the law closes a repeat of ``earlier``'s resolved matter. A complaint after a
        first-round decision is the second round, which must be handled: refused here."""
        if self.kind in {Kind.COMPLAINT, Kind.MIXED}:
            if not earlier.second_round:
                raise SameMatterError("first_round", receipt=self.receipt, earlier=earlier.receipt)
            return Status.NOT_ACCEPTED, NotAcceptedGround.SECOND_ROUND_DONE.value
        if self.kind is Kind.DENUNCIATION:
            return Status.NOT_ACCEPTED, NotAcceptedGround.ALREADY_HANDLED.value
        return Status.ARCHIVED, ArchiveGround.ALREADY_ANSWERED.value

    # --- rules shared by the commands ----------------------------------------------------------

    def _check(self, actor: Actor, command: Command) -> None:
        require_permission(actor, command)
        if not self.is_open:
            raise PetitionClosedError("closed", receipt=self.receipt, status=self.status.value)
        self._require_holder(actor)

    def _require_holder(self, actor: Actor) -> None:
        if actor.unit != self.agency:
            raise NotOurAgencyError(
                "holder", receipt=self.receipt, agency=self.agency, unit=actor.unit
            )

    def _decide(self, actor: Actor) -> None:
        self._check(actor, Command.DECIDE_PETITION)
        if self.status is not Status.CLASSIFIED:
            if self.status is Status.RECEIVED:
                raise WrongStepError("not_classified", receipt=self.receipt)
            raise WrongStepError("decided", receipt=self.receipt)

    def _handle(self, actor: Actor, command: Command) -> None:
        self._check(actor, command)
        if self.status is not Status.IN_HANDLING:
            raise WrongStepError("not_in_handling", receipt=self.receipt, status=self.status.value)
        if actor.role is not Role.AGENCY_HEAD and actor.user_id != self.handler:
            raise NotHandlerError(
                "handler", receipt=self.receipt, handler=self.handler, user=actor.user_id
            )
        if self.suspended_since is not None:
            raise WrongStepError("suspended", receipt=self.receipt, since=self.suspended_since)

    def _filing_limit(self) -> int:
        """Days a complaint may come after the decision: 90 at first round (Điều 9), 30 from
        the first round's decision at the second (Điều 33)."""
        name = (
            TermName.COMPLAINT_SECOND_ROUND_FILING_LIMIT
            if self.relation is Relation.SECOND_ROUND
            else TermName.COMPLAINT_FILING_LIMIT
        )
        return TERMS[name].days

    def _days_after_decision(self) -> int | None:
        """Days from knowing of the decision complained of to the receipt, for a complaint."""
        if self.decision_known_on is None or self.kind not in {Kind.COMPLAINT, Kind.MIXED}:
            return None
        return (self.received_on - self.decision_known_on).days

    # --- events' effects -----------------------------------------------------------------------

    @event(Classified)
    def _classified(
        self,
        *,
        kind: Kind,
        field: Field,
        competence: Competence,
        several_places: bool,
        competent_body: str,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
    ) -> None:
        self.kind = kind
        self.field = field
        self.competence = competence
        self.several_places = several_places
        self.competent_body = competent_body
        self.status = Status.CLASSIFIED

    @event(Accepted)
    def _accepted(
        self,
        *,
        handler: str,
        excused_delay: str,
        note: str,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
    ) -> None:
        self.handler = handler
        self.excused_delay = excused_delay
        self.decision_note = note
        self.accepted_on = city_date(timestamp)
        self.status = Status.IN_HANDLING

    @event(Guided)
    def _guided(
        self, *, body: str, note: str, actor: Actor, request_id: str, timestamp: datetime
    ) -> None:
        self.competent_body = body
        self.decision_note = note
        self._close(Status.GUIDED, timestamp)

    @event(Transferred)
    def _transferred(
        self,
        *,
        to_agency: str | None,
        body: str,
        note: str,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
    ) -> None:
        self.decision_note = note
        if to_agency is None:
            self.competent_body = body
            self._close(Status.TRANSFERRED, timestamp)
            return
        self.transferred_from = (*self.transferred_from, self.agency)
        self.agency = to_agency
        self.arrived_on = city_date(timestamp)
        self.channel = Channel.TRANSFERRED
        self.status = Status.RECEIVED
        self.kind = None
        self.field = None
        self.competence = None
        self.several_places = False
        self.competent_body = ""

    @event(NotAccepted)
    def _not_accepted(
        self,
        *,
        ground: NotAcceptedGround,
        note: str,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
    ) -> None:
        self.ground = ground.value
        self.decision_note = note
        self._close(Status.NOT_ACCEPTED, timestamp)

    @event(Archived)
    def _archived(
        self,
        *,
        ground: ArchiveGround,
        note: str,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
    ) -> None:
        self.ground = ground.value
        self.decision_note = note
        self._close(Status.ARCHIVED, timestamp)

    @event(VerificationRecorded)
    def _verification_recorded(
        self,
        *,
        summary: str,
        attachments: tuple[str, ...],
        actor: Actor,
        request_id: str,
        timestamp: datetime,
    ) -> None:
        self.verifications += 1

    @event(DialogueHeld)
    def _dialogue_held(
        self, *, held_on: date, summary: str, actor: Actor, request_id: str, timestamp: datetime
    ) -> None:
        self.dialogues += 1

    @event(Extended)
    def _extended(self, *, reason: str, actor: Actor, request_id: str, timestamp: datetime) -> None:
        self.extensions += 1

    @event(Suspended)
    def _suspended(
        self, *, reason: str, actor: Actor, request_id: str, timestamp: datetime
    ) -> None:
        self.suspended_since = city_date(timestamp)

    @event(Resumed)
    def _resumed(self, *, note: str, actor: Actor, request_id: str, timestamp: datetime) -> None:
        since = self.suspended_since or city_date(timestamp)
        self.suspended_days += (city_date(timestamp) - since).days
        self.suspended_since = None

    @event(Resolved)
    def _resolved(
        self,
        *,
        verdict: Verdict,
        summary: str,
        decision_reference: str,
        attachments: tuple[str, ...],
        actor: Actor,
        request_id: str,
        timestamp: datetime,
    ) -> None:
        self.verdict = verdict
        self.result = summary
        self.decision_reference = decision_reference
        self.resolved_on = city_date(timestamp)
        self._close(Status.RESOLVED, timestamp)

    @event(ResultPublished)
    def _result_published(self, *, actor: Actor, request_id: str, timestamp: datetime) -> None:
        self.published_on = city_date(timestamp)

    @event(Withdrawn)
    def _withdrawn(
        self, *, reason: str, actor: Actor, request_id: str, timestamp: datetime
    ) -> None:
        self.decision_note = reason
        self._close(Status.WITHDRAWN, timestamp)

    @event(SameMatterMarked)
    def _same_matter_marked(
        self,
        *,
        earlier: str,
        earlier_agency: str,
        reason: str,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
    ) -> None:
        self.same_matter = (*self.same_matter, earlier)

    @event(SameMatterUnmarked)
    def _same_matter_unmarked(
        self, *, earlier: str, reason: str, actor: Actor, request_id: str, timestamp: datetime
    ) -> None:
        self.same_matter = tuple(r for r in self.same_matter if r != earlier)

    @event(AnsweredWithEarlier)
    def _answered_with_earlier(
        self,
        *,
        earlier: str,
        status: Status,
        ground: str,
        earlier_verdict: Verdict,
        earlier_result: str,
        earlier_decision_reference: str,
        note: str,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
    ) -> None:
        self.answered_with = earlier
        self.earlier_verdict = earlier_verdict
        self.earlier_result = earlier_result
        self.earlier_decision_reference = earlier_decision_reference
        self.ground = ground
        self.decision_note = note
        self._close(status, timestamp)

    @event(HandedOver)
    def _handed_over(
        self,
        *,
        from_agency: str,
        to_agency: str,
        basis: str,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
    ) -> None:
        self.handed_over_from = (*self.handed_over_from, from_agency)
        self.agency = to_agency

    def _close(self, status: Status, timestamp: datetime) -> None:
        if self.suspended_since is not None:
            self.suspended_days += (city_date(timestamp) - self.suspended_since).days
            self.suspended_since = None
        self.status = status
        self.closed_on = city_date(timestamp)


def _digests(attachments: tuple[str, ...]) -> tuple[str, ...]:
    for digest in attachments:
        if not ATTACHMENT_DIGEST.match(digest):
            raise InvalidPetitionError("attachment", digest=digest)
    return tuple(attachments)
