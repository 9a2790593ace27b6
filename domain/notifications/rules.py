"""What each person is told, and when: pure rules over the directives' events and the days.

Two sources. An event tells the units it concerns at once (a directive issued to them, an
extension or a completion decided, an explanation requested, a comment in its discussion). The
days tell the rest: N working days before a deadline (each N of the policy, on the working-day
calendar), on the first day a directive is overdue and every ``overdue_every`` days after,
and, once, the Office when it has been overdue ``escalate_after`` days. A directive whose
completion is reported waits for the leader, not for its unit: the days tell nobody about it
until the report is returned.

Each notice has a key that names what it is about and who it is for, so that deciding the same
thing twice (a batch replayed after a crash) finds the key already taken and tells nobody twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import StrEnum
from uuid import UUID

from domain.accounts.account import Language, UserAccount
from domain.directives.directive import Directive, handed_over
from domain.shared.actors import Role
from domain.shared.calendar import WorkingCalendar


class Kind(StrEnum):
    """What a notice is about."""

    ISSUED = "issued"  # a directive issued to my unit (lead or coordinating)
    DUE_SOON = "due_soon"  # N working days before its deadline
    OVERDUE = "overdue"  # the first day overdue, then every week
    ESCALATED = "escalated"  # to the Office, M days overdue
    EXTENSION_GRANTED = "extension_granted"
    EXTENSION_DENIED = "extension_denied"
    COMPLETION_ACCEPTED = "completion_accepted"
    COMPLETION_RETURNED = "completion_returned"
    EXPLANATION_REQUESTED = "explanation_requested"
    COMMENTED = "commented"  # a comment in the discussion of a directive my unit works on


@dataclass(frozen=True, slots=True)
class Policy:
    """When the days tell: settings ``THUCTHI_NOTIFY_DUE_DAYS`` (3,1),
    ``THUCTHI_NOTIFY_OVERDUE_EVERY`` (7) and ``THUCTHI_NOTIFY_ESCALATE_AFTER`` (5)."""

    due_days: tuple[int, ...] = (3, 1)  # working days before the deadline
    overdue_every: int = 7  # calendar days between reminders of an overdue directive
    escalate_after: int = 5  # calendar days overdue before the Office is told

    def __post_init__(self) -> None:
        if any(n < 1 for n in self.due_days) or self.overdue_every < 1 or self.escalate_after < 1:
            msg = f"every number of days of the notification policy is at least 1: {self}"
            raise ValueError(msg)


@dataclass(frozen=True, slots=True)
class Tracked:
    """What the rules keep of a directive: whom it concerns and its deadline in force."""

    directive_id: UUID
    reference: str
    title: str
    lead_unit: str
    coordinators: tuple[str, ...]
    deadline: date | None
    waiting: bool = False  # its completion is reported: the leader's turn, not the unit's
    open: bool = True


@dataclass(frozen=True, slots=True)
class Person:
    """An account as the rules need it: whom a unit's notice goes to, in which language."""

    username: str
    role: Role
    unit: str | None
    active: bool = True
    language: Language = Language.VI
    name: str = ""  # how a digest greets them


@dataclass(frozen=True, slots=True)
class Notice:
    """One thing one person is told; ``key`` is unique to what and whom."""

    key: str
    username: str
    kind: Kind
    reference: str
    title: str
    day: date  # the city day it was decided for
    values: Mapping[str, str] = field(default_factory=dict)


def officers_of(people: Iterable[Person], units: Iterable[str]) -> list[Person]:
    """The active department officers of these units: who acts on a directive for them."""
    wanted = set(units)
    return [p for p in people if p.active and p.role is Role.DEPARTMENT and p.unit in wanted]


def office(people: Iterable[Person]) -> list[Person]:
    return [p for p in people if p.active and p.role is Role.OFFICE]


def person_after(  # noqa: PLR0911 - one return for each kind of account event
    person: Person | None, event: UserAccount.Event
) -> Person | None:
    """The person after an account's event (None: not an account the rules know)."""
    if isinstance(event, UserAccount.Created):
        return Person(event.username, event.role, event.unit, name=event.display_name)
    if person is None:
        return None
    if isinstance(event, UserAccount.RoleChanged):
        return replace(person, role=event.role, unit=event.unit)
    if isinstance(event, UserAccount.Disabled):
        return replace(person, active=False)
    if isinstance(event, UserAccount.Enabled):
        return replace(person, active=True)
    if isinstance(event, UserAccount.LanguageChosen):
        return replace(person, language=event.language)
    if isinstance(event, UserAccount.ProfileChanged):
        return replace(person, name=event.display_name)
    return person


def tracked_after(  # noqa: PLR0911 - one return for each kind of directive event
    directive: Tracked | None, event: Directive.Event
) -> Tracked | None:
    """The directive after its event (None before it is issued)."""
    if isinstance(event, Directive.Issued):
        return Tracked(
            event.originator_id,
            event.reference,
            event.title,
            event.lead_unit,
            tuple(event.coordinating_units),
            event.deadline,
        )
    if directive is None:
        return None
    if isinstance(event, Directive.ExtensionGranted):
        return replace(directive, deadline=event.new_deadline)
    if isinstance(event, Directive.Reassigned):
        others = tuple(u for u in directive.coordinators if u != event.to_unit)
        return replace(directive, lead_unit=event.to_unit, coordinators=others)
    if isinstance(event, Directive.HandedOver):
        lead, coordinators = handed_over(
            directive.lead_unit, directive.coordinators, event.from_unit, event.to_unit
        )
        return replace(directive, lead_unit=lead, coordinators=coordinators)
    if isinstance(event, Directive.CompletionReported):
        return replace(directive, waiting=True)
    if isinstance(event, Directive.CompletionReturned):
        return replace(directive, waiting=False)
    if isinstance(event, Directive.CompletionAccepted | Directive.Withdrawn):
        return replace(directive, open=False, waiting=False)
    return directive


# What the lead unit is told of a decision on its directive, and the event's values it says.
_DECIDED: Mapping[type, tuple[Kind, tuple[str, ...]]] = {
    Directive.ExtensionGranted: (Kind.EXTENSION_GRANTED, ("new_deadline", "note")),
    Directive.ExtensionDenied: (Kind.EXTENSION_DENIED, ("reason",)),
    Directive.CompletionAccepted: (Kind.COMPLETION_ACCEPTED, ("note",)),
    Directive.CompletionReturned: (Kind.COMPLETION_RETURNED, ("reason",)),
    Directive.ExplanationRequested: (Kind.EXPLANATION_REQUESTED, ("question",)),
}


def told_of_event(
    before: Tracked | None,
    after: Tracked | None,
    event: Directive.Event,
    *,
    position: int,
    day: date,
    people: Sequence[Person],
) -> list[Notice]:
    """Whom the event tells at once, and what; ``before``/``after``: the directive around it."""
    if after is None:
        return []
    if isinstance(event, Directive.Issued):
        kind, values = Kind.ISSUED, {"deadline": _day(after.deadline)}
        told = officers_of(people, (after.lead_unit, *after.coordinators))
    elif type(event) in _DECIDED:
        kind, names = _DECIDED[type(event)]
        values = {name: str(getattr(event, name)) for name in names}
        unit = (before or after).lead_unit
        told = officers_of(people, (unit,))
    elif isinstance(event, Directive.Commented):
        kind, told = Kind.COMMENTED, discussing(after, people, author=event.actor.user_id)
        values = {
            "author": event.actor.user_id,
            "number": str(event.number),
            "excerpt": excerpt(event.text),
        }
    else:
        return []
    return [
        Notice(
            f"event:{position}:{p.username}",
            p.username,
            kind,
            after.reference,
            after.title,
            day,
            values,
        )
        for p in told
    ]


EXCERPT = 200  # characters of a comment a notice quotes


def discussing(directive: Tracked, people: Sequence[Person], *, author: str) -> list[Person]:
    """Who is told of a comment: the officers of the lead and the coordinating units and the
    Office, as the directive stands when it is made, but not its author."""
    units = (directive.lead_unit, *directive.coordinators)
    return [p for p in (*officers_of(people, units), *office(people)) if p.username != author]


def excerpt(text: str) -> str:
    """The start of a comment, on one line, cut at a word within ``EXCERPT`` characters."""
    line = " ".join(text.split())
    if len(line) <= EXCERPT:
        return line
    cut = line[: EXCERPT - 1].rsplit(" ", 1)[0] or line[: EXCERPT - 1]
    return cut + "…"


def told_on(
    day: date,
    directives: Iterable[Tracked],
    people: Sequence[Person],
    policy: Policy,
    calendar: WorkingCalendar,
) -> list[Notice]:
    """Whom the day tells, and what: due soon, overdue, escalated."""
    found: list[Notice] = []
    working = calendar.is_working_day(day)
    for d in directives:
        if not d.open or d.waiting or d.deadline is None:
            continue
        about = f"{d.directive_id}:{d.deadline.isoformat()}"
        values = {"deadline": d.deadline.isoformat()}
        if day <= d.deadline:
            if not working:
                continue
            left = calendar.working_days_between(day, d.deadline)
            if left in policy.due_days:
                found += [
                    Notice(
                        f"due:{about}:{left}:{p.username}",
                        p.username,
                        Kind.DUE_SOON,
                        d.reference,
                        d.title,
                        day,
                        {**values, "working_days": str(left)},
                    )
                    for p in officers_of(people, (d.lead_unit,))
                ]
            continue
        late = (day - d.deadline).days
        if (late - 1) % policy.overdue_every == 0:
            found += [
                Notice(
                    f"overdue:{about}:{late}:{p.username}",
                    p.username,
                    Kind.OVERDUE,
                    d.reference,
                    d.title,
                    day,
                    {**values, "days_overdue": str(late)},
                )
                for p in officers_of(people, (d.lead_unit,))
            ]
        if late == policy.escalate_after:
            found += [
                Notice(
                    f"escalated:{about}:{p.username}",
                    p.username,
                    Kind.ESCALATED,
                    d.reference,
                    d.title,
                    day,
                    {**values, "days_overdue": str(late), "lead_unit": d.lead_unit},
                )
                for p in office(people)
            ]
    return found


def _day(value: date | None) -> str:
    return "" if value is None else value.isoformat()
