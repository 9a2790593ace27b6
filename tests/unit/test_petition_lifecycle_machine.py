"""Random command sequences against the Petition aggregate and a plain model of the law's steps.

After every step the petition agrees with the model; a refused command raised the error the
model predicts and recorded nothing; and the petition read back from its stored events (through
the orjson mapper) equals the live one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from domain.petitions.commands import (
    Accept,
    Archive,
    Classify,
    Extend,
    Guide,
    HoldDialogue,
    NotAccept,
    PetitionCommand,
    PublishResult,
    RecordVerification,
    Resolve,
    Resume,
    Suspend,
    Transfer,
    WithdrawPetition,
)
from domain.petitions.errors import (
    CompetenceError,
    DialogueError,
    ExtensionLimitError,
    FilingLimitError,
    GroundError,
    NotHandlerError,
    NotOurAgencyError,
    OutcomeError,
    PetitionClosedError,
    PetitionNotFoundError,
    TransferredOnceError,
    WrongStepError,
)
from domain.petitions.law import GROUNDS, ArchiveGround, NotAcceptedGround
from domain.petitions.petition import Competence, Field, Kind, Verdict
from domain.shared.actors import PERMISSIONS, Actor, Command, Role
from domain.shared.clock import SimulatedClock, city_date
from domain.shared.errors import DomainError, NotPermittedError
from tests.petition_builders import (
    AGENCY,
    COLLEAGUE,
    HANDLER,
    HEAD,
    INSPECTORATE,
    LEADER,
    MONDAY,
    OTHER_AGENCY,
    OTHER_HEAD,
    OTHER_RECEPTION,
    RECEPTION,
    desk_app,
    received,
)

OTHER_HANDLER = Actor("q1.canbo", Role.DEPARTMENT, OTHER_AGENCY)
ACTORS = (RECEPTION, HEAD, HANDLER, COLLEAGUE, OTHER_RECEPTION, OTHER_HEAD, OTHER_HANDLER)
actors = st.sampled_from(ACTORS)
OPEN = {"received", "classified", "in_handling"}


# Steps that close the case are tried a quarter as often as the others, so stories get far.
rarely = st.integers(0, 3).map(lambda n: n == 0)


HOLDERS = {
    AGENCY: {"reception": RECEPTION, "head": HEAD, "handler": HANDLER},
    OTHER_AGENCY: {"reception": OTHER_RECEPTION, "head": OTHER_HEAD, "handler": OTHER_HANDLER},
}


def mostly(role: str) -> st.SearchStrategy[tuple[str, int]]:
    """Half the time the holding agency's officer of ``role`` (the step's rightful actor, where
    the petition is now), anyone otherwise: so that stories get far."""
    return st.tuples(st.just(role), st.one_of(st.just(-1), st.integers(0, len(ACTORS) - 1)))


@dataclass
class Model:
    """The steps of Thông tư 05/2021 and the two laws, written as plainly as possible."""

    late: bool  # filed more than 90 days after the decision was known
    agency: str = AGENCY
    agencies: set[str] = field(default_factory=lambda: {AGENCY})
    status: str = "received"
    kind: Kind | None = None
    competence: Competence | None = None
    transferred: bool = False
    handler: str | None = None
    extensions: int = 0
    verifications: int = 0
    dialogues: int = 0
    published: bool = False
    suspended: bool = False

    def sees(self, actor: Actor) -> bool:
        if actor.role in {Role.LEADER, Role.OFFICE, Role.INSPECTOR}:
            return True
        return actor.unit in self.agencies

    def refuse(self, actor: Actor, command: Command) -> type[DomainError] | None:
        """What every command checks first: seen, role, open, holder."""
        if not self.sees(actor):
            return PetitionNotFoundError
        if actor.role not in PERMISSIONS[command]:
            return NotPermittedError
        if self.status not in OPEN:
            return PetitionClosedError
        if actor.unit != self.agency:
            return NotOurAgencyError
        return None

    def refuse_decision(self, actor: Actor) -> type[DomainError] | None:
        return self.refuse(actor, Command.DECIDE_PETITION) or (
            WrongStepError if self.status != "classified" else None
        )

    def refuse_handling(self, actor: Actor, command: Command) -> type[DomainError] | None:
        first = self.refuse(actor, command)
        if first is not None:
            return first
        if self.status != "in_handling":
            return WrongStepError
        if actor.role is not Role.AGENCY_HEAD and actor.user_id != self.handler:
            return NotHandlerError
        if self.suspended:
            return WrongStepError
        return None

    def extensions_allowed(self) -> int:
        return {Kind.DENUNCIATION: 2, Kind.COMPLAINT: 1, Kind.MIXED: 1}.get(self.kind, 0)  # type: ignore[arg-type]


class PetitionLife(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.app = desk_app(SimulatedClock(MONDAY))
        self.receipt = ""
        self.model = Model(late=False)

    @initialize(
        late=st.booleans(),
        start=st.sampled_from(["received", "classified", "in_handling", "transferred"]),
        kind=st.sampled_from(Kind),
        competence=st.sampled_from(Competence),
        extensions=st.sampled_from([0, 3]),
    )
    def receive(
        self, late: bool, start: str, kind: Kind, competence: Competence, extensions: int
    ) -> None:
        """A petition received, and taken on by its rightful officers as far as ``start``
        (through the same rules), so that every story begins somewhere along the way."""
        known = MONDAY.date() - timedelta(days=91 if late else 30)
        self.receipt = received(self.app, decision_known_on=known)
        self.model = Model(late=late)
        if start != "received":
            self.classify(
                RECEPTION, kind, Competence.OURS if start == "in_handling" else competence
            )
        if start == "in_handling":
            self.accept(HEAD, excused=True, handler=HANDLER)
            for _ in range(extensions):
                self.extend(HEAD)

    def actor(self, who: tuple[str, int] | Actor) -> Actor:
        """The officer a drawn ``(role, index)`` names: the holding agency's of that role for
        index -1, else one of everyone."""
        if isinstance(who, Actor):
            return who
        role, index = who
        return HOLDERS[self.model.agency][role] if index < 0 else ACTORS[index]

    def attempt(
        self, command: PetitionCommand, actor: Actor, expected: type[DomainError] | None
    ) -> bool:
        """Run the command; it must be refused with ``expected`` (recording nothing) or pass."""
        before = self.app.max_notification_id()
        run = {"actor": actor, "request_id": "r"}
        if expected is None:
            self.app.petitions.execute(command, self.receipt, **run)  # type: ignore[arg-type]
            return True
        with pytest.raises(DomainError) as refused:
            self.app.petitions.execute(command, self.receipt, **run)  # type: ignore[arg-type]
        assert type(refused.value) is expected, f"{command} by {actor.user_id}: {refused.value!r}"
        assert self.app.max_notification_id() == before
        return False

    @rule(
        who=mostly("reception"),
        kind=st.sampled_from(Kind),
        competence=st.sampled_from(
            [Competence.OURS, Competence.OURS, Competence.CITY_AGENCY, Competence.OUTSIDE_CITY]
        ),
    )
    def classify(self, who: tuple[str, int] | Actor, kind: Kind, competence: Competence) -> None:
        m = self.model
        actor = self.actor(who)
        expected = m.refuse(actor, Command.CLASSIFY_PETITION) or (
            WrongStepError if m.status not in {"received", "classified"} else None
        )
        if self.attempt(
            Classify(kind=kind, field=Field.LAND, competence=competence), actor, expected
        ):
            m.kind, m.competence, m.status = kind, competence, "classified"

    @rule(
        who=mostly("head"),
        excused=st.booleans(),
        handler=st.sampled_from([HANDLER, HANDLER, COLLEAGUE, OTHER_HANDLER]),
    )
    def accept(self, who: tuple[str, int] | Actor, excused: bool, handler: Actor) -> None:
        m = self.model
        actor = self.actor(who)
        expected = m.refuse_decision(actor)
        if expected is None and m.competence is not Competence.OURS:
            expected = CompetenceError
        if expected is None and m.late and m.kind in {Kind.COMPLAINT, Kind.MIXED} and not excused:
            expected = FilingLimitError
        command = Accept(handler=handler.user_id, excused_delay="Ốm nặng" if excused else "")
        if self.attempt(command, actor, expected):
            m.status, m.handler = "in_handling", handler.user_id

    @rule(now=rarely, who=mostly("head"))
    def guide(self, now: bool, who: tuple[str, int] | Actor) -> None:
        if not now:
            return
        m = self.model
        actor = self.actor(who)
        expected = m.refuse_decision(actor)
        if expected is None and m.competence is Competence.OURS:
            expected = CompetenceError
        if self.attempt(Guide(body="Tòa án nhân dân"), actor, expected):
            m.status = "guided"

    @rule(who=mostly("head"), inside=st.booleans())
    def transfer(self, who: tuple[str, int] | Actor, inside: bool) -> None:
        m = self.model
        actor = self.actor(who)
        target = OTHER_AGENCY if m.agency == AGENCY else AGENCY
        command = Transfer(to_agency=target) if inside else Transfer(body="Bộ Công an")
        expected = m.refuse_decision(actor)
        if expected is None and m.competence is Competence.OURS:
            expected = CompetenceError
        if expected is None and m.transferred:
            expected = TransferredOnceError
        if expected is None and not inside and m.competence is Competence.CITY_AGENCY:
            expected = CompetenceError
        if self.attempt(command, actor, expected):
            if inside:
                m.agency, m.transferred, m.status = target, True, "received"
                m.agencies.add(target)
                m.kind = m.competence = None
            else:
                m.status = "transferred"

    @rule(now=rarely, who=mostly("head"), ground=st.sampled_from(NotAcceptedGround))
    def not_accept(
        self, now: bool, who: tuple[str, int] | Actor, ground: NotAcceptedGround
    ) -> None:
        if not now:
            return
        m = self.model
        actor = self.actor(who)
        expected = m.refuse_decision(actor)
        if expected is None:
            for_complaints = ground.value.startswith("complaint.")
            fits = m.kind is Kind.MIXED or (
                (m.kind is Kind.COMPLAINT) == for_complaints and m.kind is not Kind.PROPOSAL
            )
            # A ground the amended law added holds only for petitions received since it took
            # effect (the petition here was received on MONDAY, March 2026).
            since = GROUNDS[ground].in_force_from
            not_yet = since is not None and city_date(MONDAY) < since
            if not fits or not_yet or (ground is NotAcceptedGround.TIME_LIMIT and not m.late):
                expected = GroundError
        if self.attempt(NotAccept(ground=ground), actor, expected):
            m.status = "not_accepted"

    @rule(now=rarely, who=mostly("head"), ground=st.sampled_from(ArchiveGround))
    def archive(self, now: bool, who: tuple[str, int] | Actor, ground: ArchiveGround) -> None:
        if not now:
            return
        m = self.model
        actor = self.actor(who)
        if self.attempt(Archive(ground=ground), actor, m.refuse_decision(actor)):
            m.status = "archived"

    @rule(who=mostly("handler"))
    def verify(self, who: tuple[str, int] | Actor) -> None:
        m = self.model
        actor = self.actor(who)
        expected = m.refuse_handling(actor, Command.HANDLE_PETITION)
        if self.attempt(RecordVerification(summary="Đã làm việc với các bên"), actor, expected):
            m.verifications += 1

    @rule(who=mostly("handler"))
    def dialogue(self, who: tuple[str, int] | Actor) -> None:
        m = self.model
        actor = self.actor(who)
        expected = m.refuse_handling(actor, Command.HANDLE_PETITION)
        if expected is None and m.kind not in {Kind.COMPLAINT, Kind.MIXED}:
            expected = DialogueError
        command = HoldDialogue(held_on=MONDAY.date(), summary="Đối thoại với người khiếu nại")
        if self.attempt(command, actor, expected):
            m.dialogues += 1

    @rule(who=mostly("head"))
    def extend(self, who: tuple[str, int] | Actor) -> None:
        m = self.model
        actor = self.actor(who)
        expected = m.refuse_handling(actor, Command.EXTEND_PETITION)
        if expected is None and m.extensions >= m.extensions_allowed():
            expected = ExtensionLimitError
        if self.attempt(Extend(reason="Vụ việc phức tạp"), actor, expected):
            m.extensions += 1

    @rule(who=mostly("head"))
    def suspend(self, who: tuple[str, int] | Actor) -> None:
        m = self.model
        actor = self.actor(who)
        expected = m.refuse_handling(actor, Command.EXTEND_PETITION)
        if self.attempt(Suspend(reason="Chờ giám định"), actor, expected):
            m.suspended = True

    @rule(who=mostly("head"))
    def resume(self, who: tuple[str, int] | Actor) -> None:
        m = self.model
        actor = self.actor(who)
        expected = m.refuse(actor, Command.EXTEND_PETITION) or (
            None if m.suspended else WrongStepError
        )
        if self.attempt(Resume(), actor, expected):
            m.suspended = False

    @rule(who=mostly("head"), verdict=st.sampled_from(Verdict))
    def resolve(self, who: tuple[str, int] | Actor, verdict: Verdict) -> None:
        m = self.model
        actor = self.actor(who)
        expected = m.refuse_handling(actor, Command.RESOLVE_PETITION)
        if expected is None:
            answered = verdict is Verdict.ANSWERED
            fits = m.kind is Kind.MIXED or (answered == (m.kind is Kind.PROPOSAL))
            expected = None if fits else OutcomeError
        if self.attempt(Resolve(verdict=verdict, summary="Kết luận"), actor, expected):
            m.status = "resolved"

    @rule(who=mostly("head"))
    def publish(self, who: tuple[str, int] | Actor) -> None:
        m = self.model
        actor = self.actor(who)
        expected: type[DomainError] | None
        if not m.sees(actor):
            expected = PetitionNotFoundError
        elif actor.role not in PERMISSIONS[Command.RESOLVE_PETITION]:
            expected = NotPermittedError
        elif actor.unit != m.agency:
            expected = NotOurAgencyError
        elif m.status != "resolved" or m.published:
            expected = WrongStepError
        else:
            expected = None
        if self.attempt(PublishResult(), actor, expected):
            m.published = True

    @rule(now=rarely, who=mostly("reception"))
    def withdraw(self, now: bool, who: tuple[str, int] | Actor) -> None:
        if not now:
            return
        m = self.model
        actor = self.actor(who)
        expected = m.refuse(actor, Command.WITHDRAW_PETITION)
        if self.attempt(WithdrawPetition(reason="Công dân rút đơn"), actor, expected):
            m.status = "withdrawn"
            m.suspended = False

    @invariant()
    def the_petition_agrees_with_the_model(self) -> None:
        if not self.receipt:
            return
        petition = self.app.petitions.get(self.receipt)
        m = self.model
        assert petition.status.value == m.status
        assert petition.agency == m.agency
        assert set(petition.agencies) == m.agencies
        assert petition.kind == m.kind
        assert petition.handler == m.handler or m.status != "in_handling"
        assert (petition.extensions, petition.verifications, petition.dialogues) == (
            m.extensions,
            m.verifications,
            m.dialogues,
        )
        assert (petition.published_on is not None) == m.published
        assert petition.is_open == (m.status in OPEN)
        assert (petition.suspended_since is not None) == m.suspended
        for actor in (*ACTORS, INSPECTORATE, LEADER):
            assert petition.seen_by(actor) == m.sees(actor)

    @invariant()
    def the_stored_events_rebuild_the_same_petition(self) -> None:
        if not self.receipt:
            return
        live = self.app.petitions.get(self.receipt)
        events = self.app.petitions.history(self.receipt)
        assert len(events) == live.version
        rebuilt = None
        for e in events:
            rebuilt = e.mutate(rebuilt)
        assert rebuilt is not None
        assert vars(rebuilt) | {"_pending_events": []} == vars(live) | {"_pending_events": []}


PetitionLife.TestCase.settings = settings(
    max_examples=200,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_the_petition_life_follows_the_law = PetitionLife.TestCase
