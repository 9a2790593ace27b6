"""Random command sequences against the Directive aggregate and a plain reference model.

After every step the aggregate agrees with the model; a rejected command raised the error the
model predicts and changed nothing; and the directive rebuilt from its stored events equals the
live one (the events are really stored, through the orjson mapper, in an in-memory store).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from domain.application import Thucthi
from domain.directives.directive import Directive, Status
from domain.directives.errors import (
    AlreadyAcknowledgedError,
    CompletionPendingError,
    DeadlineNotLaterError,
    DirectiveClosedError,
    ExtensionAlreadyPendingError,
    ExtensionTooLateError,
    InvalidPercentError,
    NoCompletionReportError,
    NoDeadlineError,
    NoOpenExplanationError,
    NoPendingExtensionError,
    NoSuchCommentError,
    NotAcknowledgedError,
    NotCoordinatorError,
    NotLeadUnitError,
    NotParticipantError,
    SameLeadUnitError,
)
from domain.shared.actors import PERMISSIONS, Actor, Command, Role
from domain.shared.clock import city_date
from domain.shared.errors import DomainError, InvalidTextError, NotPermittedError
from tests.hypothesis_profiles import examples
from tests.strategies import (
    UNITS,
    committee_people,
    coordinator_people,
    leader_people,
    unit_people,
)

START = datetime(2024, 1, 1, 1, 0, tzinfo=UTC)
# A text a command may be given: one that says something, or one that says nothing.
texts = st.sampled_from(["Đã xong", "", "  \n "])


@dataclass
class Model:
    """The rules of the brief written as plainly as possible, independently of the aggregate."""

    lead: str
    coordinators: tuple[str, ...]
    deadline: date | None
    original_deadline: date | None
    status: str = "issued"
    percent: int = 0
    progress_reports: int = 0
    contributions: int = 0
    extensions: int = 0
    pending_extension: int | None = None
    returns: int = 0
    reassignments: int = 0
    reminders: int = 0
    explanations: int = 0
    open_explanations: set[int] = field(default_factory=set)
    comments: list[tuple[str, int | None]] = field(default_factory=list)  # author, reply to

    def refuse(self, actor: Actor, command: Command) -> type[DomainError] | None:
        """The error the rules demand before any command-specific check, or None."""
        if actor.role not in PERMISSIONS[command]:
            return NotPermittedError
        if self.status in ("completed", "withdrawn"):
            return DirectiveClosedError
        return None

    def lead_working(self, actor: Actor) -> type[DomainError] | None:
        if actor.unit != self.lead:
            return NotLeadUnitError
        if self.status == "issued":
            return NotAcknowledgedError
        if self.status == "completion_reported":
            return CompletionPendingError
        return None

    def lapse(self) -> None:
        self.pending_extension = None

    @property
    def progress(self) -> int:
        """A completion report says the work is done; a return takes that back."""
        if self.status in ("completion_reported", "completed"):
            return 100
        return self.percent


class DirectiveLifecycle(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.app = Thucthi({"PERSISTENCE_MODULE": "eventsourcing.popo"})
        self.now = START
        self.directive: Directive
        self.model: Model
        self.requested = START.date()

    @initialize(
        coordinators=st.lists(st.sampled_from(UNITS[1:]), unique=True, max_size=2),
        deadline_days=st.integers(-1, 30),
    )
    def issue(self, coordinators: list[str], deadline_days: int) -> None:
        """Issue with a deadline 0 to 30 days ahead, or (for -1) none."""
        deadline = None if deadline_days < 0 else city_date(START) + timedelta(deadline_days)
        self.directive = Directive.issue(
            reference="1/UBND-VX",
            title="Nhiệm vụ",
            content="",
            issuer=None,
            lead_unit=UNITS[0],
            coordinating_units=coordinators,
            deadline=deadline,
            actor=Actor("leader.1", Role.LEADER),
            request_id="r0",
            at=self.now,
        )
        self.app.save(self.directive)
        self.model = Model(UNITS[0], tuple(coordinators), deadline, deadline)

    # --- the harness ---------------------------------------------------------------------------

    def attempt(self, expected: type[DomainError] | None, command: object) -> bool:
        """Run the command; check it failed as the model says, or succeeded and was stored."""
        before = copy.deepcopy(vars(self.directive))
        try:
            assert callable(command)
            command()
        except DomainError as e:
            # The model predicts the exact error, which pytest.raises cannot take as a variable.
            assert type(e) is expected, f"expected {expected}, got {type(e).__name__}: {e}"  # noqa: PT017
            assert vars(self.directive) == before, "a rejected command changed state"
            assert self.directive.collect_events() == []
            return False
        assert expected is None, f"expected {expected.__name__}, but the command was accepted"
        self.app.save(self.directive)
        return True

    def actor(self, who: str) -> Actor:
        """A person of the given kind, relative to the directive's current units."""
        m = self.model
        if who in ("lead", "coordinator", "other"):
            others = [u for u in UNITS if u != m.lead and u not in m.coordinators]
            unit = {
                "lead": m.lead,
                "coordinator": m.coordinators[0] if m.coordinators else others[0],
                "other": others[0],
            }[who]
            return Actor(f"{unit.lower()}.canbo", Role.DEPARTMENT, unit)
        return Actor(f"{who}.1", Role(who))

    @rule(days=st.integers(0, 12), hours=st.integers(0, 23))
    def time_passes(self, days: int, hours: int) -> None:
        self.now += timedelta(days=days, hours=hours)

    # --- the commands --------------------------------------------------------------------------

    @rule(who=unit_people)
    def acknowledge(self, who: str) -> None:
        actor = self.actor(who)
        m = self.model
        expected = m.refuse(actor, Command.ACKNOWLEDGE)
        if expected is None and actor.unit != m.lead:
            expected = NotLeadUnitError
        if expected is None and m.status != "issued":
            expected = AlreadyAcknowledgedError
        if self.attempt(
            expected, lambda: self.directive.acknowledge(actor=actor, request_id="r", at=self.now)
        ):
            m.status = "in_progress"

    @rule(who=unit_people, percent=st.integers(-5, 105))
    def report_progress(self, who: str, percent: int) -> None:
        actor = self.actor(who)
        m = self.model
        expected = m.refuse(actor, Command.REPORT_PROGRESS) or m.lead_working(actor)
        if expected is None and not 0 <= percent <= 100:
            expected = InvalidPercentError
        if self.attempt(
            expected,
            lambda: self.directive.report_progress(
                percent=percent, narrative="n", actor=actor, request_id="r", at=self.now
            ),
        ):
            m.percent = percent
            m.progress_reports += 1

    @rule(who=coordinator_people)
    def contribute(self, who: str) -> None:
        actor = self.actor(who)
        m = self.model
        expected = m.refuse(actor, Command.CONTRIBUTE)
        if expected is None and actor.unit not in m.coordinators:
            expected = NotCoordinatorError
        if self.attempt(
            expected,
            lambda: self.directive.contribute(
                narrative="c", actor=actor, request_id="r", at=self.now
            ),
        ):
            m.contributions += 1

    @rule(who=unit_people, extra_days=st.integers(-3, 20))
    def request_extension(self, who: str, extra_days: int) -> None:
        actor = self.actor(who)
        m = self.model
        expected = m.refuse(actor, Command.REQUEST_EXTENSION) or m.lead_working(actor)
        base = m.deadline or city_date(self.now)
        new_deadline = base + timedelta(days=extra_days)
        if expected is None:
            if m.deadline is None:
                expected = NoDeadlineError
            elif city_date(self.now) > m.deadline:
                expected = ExtensionTooLateError
            elif m.pending_extension is not None:
                expected = ExtensionAlreadyPendingError
            elif new_deadline <= m.deadline:
                expected = DeadlineNotLaterError
        if self.attempt(
            expected,
            lambda: self.directive.request_extension(
                new_deadline=new_deadline, reason="x", actor=actor, request_id="r", at=self.now
            ),
        ):
            m.extensions += 1
            m.pending_extension = m.extensions
            self.requested = new_deadline

    @rule(
        who=leader_people, number=st.integers(1, 2), grant=st.booleans(), shift=st.integers(-5, 5)
    )
    def decide_extension(self, who: str, number: int, grant: bool, shift: int) -> None:
        actor = self.actor(who)
        m = self.model
        expected = m.refuse(actor, Command.DECIDE_EXTENSION)
        if expected is None and m.pending_extension != number:
            expected = NoPendingExtensionError
        granted: date | None = None
        if expected is None and grant:
            granted = self.requested + timedelta(days=shift)
            if m.deadline is None or granted <= m.deadline:
                expected = DeadlineNotLaterError
        d = self.directive
        if grant:
            accepted = self.attempt(
                expected,
                lambda: d.grant_extension(
                    number=number, new_deadline=granted, actor=actor, request_id="r", at=self.now
                ),
            )
        else:
            accepted = self.attempt(
                expected,
                lambda: d.deny_extension(
                    number=number, reason="no", actor=actor, request_id="r", at=self.now
                ),
            )
        if accepted:
            m.pending_extension = None
            if grant:
                m.deadline = granted

    @rule(who=unit_people, summary=texts)
    def report_completion(self, who: str, summary: str) -> None:
        actor = self.actor(who)
        m = self.model
        expected = m.refuse(actor, Command.REPORT_COMPLETION) or m.lead_working(actor)
        if expected is None and not summary.strip():
            expected = InvalidTextError
        if self.attempt(
            expected,
            lambda: self.directive.report_completion(
                summary=summary, actor=actor, request_id="r", at=self.now
            ),
        ):
            m.status = "completion_reported"

    @rule(who=leader_people, accept=st.integers(0, 2).map(lambda n: n == 0))
    def decide_completion(self, who: str, accept: bool) -> None:
        actor = self.actor(who)
        m = self.model
        expected = m.refuse(actor, Command.DECIDE_COMPLETION)
        if expected is None and m.status != "completion_reported":
            expected = NoCompletionReportError
        d = self.directive
        if accept:
            if self.attempt(
                expected, lambda: d.accept_completion(actor=actor, request_id="r", at=self.now)
            ):
                m.status = "completed"
                m.lapse()
        elif self.attempt(
            expected,
            lambda: d.return_completion(reason="x", actor=actor, request_id="r", at=self.now),
        ):
            m.status = "in_progress"
            m.returns += 1

    @rule(who=committee_people, to_unit=st.sampled_from(UNITS), chance=st.integers(0, 3))
    def reassign(self, who: str, to_unit: str, chance: int) -> None:
        """Starts the directive over, so tried only a quarter of the times it is drawn."""
        if chance:
            return
        actor = self.actor(who)
        m = self.model
        expected = m.refuse(actor, Command.REASSIGN)
        if expected is None and to_unit == m.lead:
            expected = SameLeadUnitError
        if expected is None and m.status == "completion_reported":
            expected = CompletionPendingError
        if self.attempt(
            expected,
            lambda: self.directive.reassign(
                to_unit=to_unit, reason="x", actor=actor, request_id="r", at=self.now
            ),
        ):
            m.lead = to_unit
            m.coordinators = tuple(u for u in m.coordinators if u != to_unit)
            m.status = "issued"
            m.reassignments += 1
            m.lapse()

    @rule(who=leader_people, chance=st.integers(0, 3), reason=texts)
    def withdraw(self, who: str, chance: int, reason: str) -> None:
        """Terminal, so tried only a quarter of the times it is drawn: runs get further."""
        if chance:
            return
        actor = self.actor(who)
        m = self.model
        expected = m.refuse(actor, Command.WITHDRAW)
        if expected is None and not reason.strip():
            expected = InvalidTextError
        if self.attempt(
            expected,
            lambda: self.directive.withdraw(
                reason=reason, actor=actor, request_id="r", at=self.now
            ),
        ):
            m.status = "withdrawn"
            m.lapse()

    @rule(who=committee_people)
    def send_reminder(self, who: str) -> None:
        """Not while a completion report awaits the leader: then nothing waits on the unit."""
        actor = self.actor(who)
        expected = self.model.refuse(actor, Command.SEND_REMINDER)
        if expected is None and self.model.status == "completion_reported":
            expected = CompletionPendingError
        if self.attempt(
            expected,
            lambda: self.directive.send_reminder(
                message="x", actor=actor, request_id="r", at=self.now
            ),
        ):
            self.model.reminders += 1

    @rule(who=leader_people, question=texts)
    def request_explanation(self, who: str, question: str) -> None:
        actor = self.actor(who)
        m = self.model
        expected = m.refuse(actor, Command.REQUEST_EXPLANATION)
        if expected is None and not question.strip():
            expected = InvalidTextError
        if self.attempt(
            expected,
            lambda: self.directive.request_explanation(
                question=question, actor=actor, request_id="r", at=self.now
            ),
        ):
            m.explanations += 1
            m.open_explanations.add(m.explanations)

    @rule(who=unit_people, number=st.integers(1, 3))
    def give_explanation(self, who: str, number: int) -> None:
        actor = self.actor(who)
        m = self.model
        expected = m.refuse(actor, Command.GIVE_EXPLANATION)
        if expected is None and actor.unit != m.lead:
            expected = NotLeadUnitError
        if expected is None and number not in m.open_explanations:
            expected = NoOpenExplanationError
        if self.attempt(
            expected,
            lambda: self.directive.give_explanation(
                number=number, answer="a", actor=actor, request_id="r", at=self.now
            ),
        ):
            m.open_explanations.discard(number)

    @rule(
        who=st.sampled_from(["lead", "coordinator", "other", "leader", "office", "inspector"]),
        text=texts,
        reply_to=st.none() | st.integers(0, 4),
    )
    def comment(self, who: str, text: str, reply_to: int | None) -> None:
        """Anyone in the work, at any stage of it until it is closed, and never a unit that
        takes no part; a reply answers a comment already made."""
        actor = self.actor(who)
        m = self.model
        expected = m.refuse(actor, Command.COMMENT)
        if expected is None and who == "other":
            expected = NotParticipantError
        if expected is None and who == "coordinator" and not m.coordinators:
            expected = NotParticipantError  # ``actor`` then gives a unit that takes no part
        if expected is None and not text.strip():
            expected = InvalidTextError
        if expected is None and reply_to is not None and not 1 <= reply_to <= len(m.comments):
            expected = NoSuchCommentError
        if self.attempt(
            expected,
            lambda: self.directive.comment(
                text=text, reply_to=reply_to, actor=actor, request_id="r", at=self.now
            ),
        ):
            m.comments.append((actor.user_id, reply_to))

    # --- what must always hold -----------------------------------------------------------------

    @invariant()
    def agrees_with_the_model(self) -> None:
        d, m = self.directive, self.model
        assert d.status == Status(m.status)
        assert (d.lead_unit, d.coordinating_units) == (m.lead, m.coordinators)
        assert (d.deadline, d.original_deadline) == (m.deadline, m.original_deadline)
        assert (d.percent, d.progress_reports, d.contributions) == (
            m.percent,
            m.progress_reports,
            m.contributions,
        )
        assert d.progress == m.progress
        assert len(d.extensions) == m.extensions
        pending = d.pending_extension
        assert (pending.number if pending else None) == m.pending_extension
        assert (d.returns, d.reassignments, d.reminders) == (
            m.returns,
            m.reassignments,
            m.reminders,
        )
        assert {e.number for e in d.explanations if e.answer is None} == m.open_explanations
        assert len(d.explanations) == m.explanations
        assert [(c.author, c.reply_to) for c in d.comments] == m.comments
        assert [c.number for c in d.comments] == list(range(1, len(m.comments) + 1))

    @invariant()
    def holds_only_immutable_values_so_its_copy_is_its_own(self) -> None:
        """``Directive.__deepcopy__`` copies the fields alone: that is only a deep copy while
        every value is immutable, which hashing checks all the way down."""
        for name, value in vars(self.directive).items():
            if name != "_pending_events":
                hash(value)  # a list, dict or mutable record anywhere inside raises
        copied = copy.deepcopy(self.directive)
        assert copied == self.directive
        assert copied.pending_events is not self.directive.pending_events

    @invariant()
    def rebuilds_from_its_stored_events(self) -> None:
        rebuilt: Directive = self.app.repository.get(self.directive.id)
        assert rebuilt == self.directive
        events = list(self.app.events.get(self.directive.id))
        assert [e.originator_version for e in events] == list(range(1, self.directive.version + 1))
        assert all(isinstance(e, Directive.Event) and e.request_id for e in events)


DirectiveLifecycle.TestCase.settings = settings(
    max_examples=examples(100, thorough=500),
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_directive_lifecycle_matches_the_reference_model = DirectiveLifecycle.TestCase
