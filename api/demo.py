"""``thucthi demo``: a simulated year of the city's work, deterministic for a seed and an end date.

Each directive gets a plan: a list of dated actions (acknowledge, report, ask for more time, be
reminded, complete late, be returned for rework …) drawn from its lead unit's diligence. Plans run
against the real aggregates, so every rule is enforced, and the resulting events are stored in the
order of their moments, so the log reads like the year it simulates.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import IntEnum
from typing import Any, TextIO
from uuid import UUID

from api import demo_corpus as corpus
from domain.actors import Actor, Role
from domain.application import Thucthi
from domain.clock import CITY_TIMEZONE, SimulatedClock
from domain.directive import Directive, Urgency
from domain.units import Unit

_URGENCY_WEIGHTS = (
    (Urgency.NORMAL, 60),
    (Urgency.URGENT, 25),
    (Urgency.VERY_URGENT, 10),
    (Urgency.IMMEDIATE, 5),
)
_DEADLINE_DAYS = {
    Urgency.NORMAL: (15, 90),
    Urgency.URGENT: (7, 30),
    Urgency.VERY_URGENT: (3, 10),
    Urgency.IMMEDIATE: (1, 4),
}
_REFERENCE_SUFFIX = {
    "labour": "VX",
    "education": "VX",
    "health": "VX",
    "culture_tourism": "VX",
    "industry_trade": "KT",
    "planning_investment": "KT",
    "finance": "KT",
    "agriculture": "KT",
    "science": "KT",
    "construction": "DT",
    "transport": "DT",
    "environment": "DT",
    "ict": "TH",
    "home_affairs": "NC",
    "justice": "NC",
    "district": "TH",
}
OFFICE = Actor(user_id="office.vp", role=Role.OFFICE)
SAVE_BATCH = 2_000


class Step(IntEnum):
    """Actions on the same day run in this order, so that a plan never contradicts itself."""

    ISSUE = 0
    REASSIGN = 1
    ACKNOWLEDGE = 2
    CONTRIBUTE = 3
    PROGRESS = 4
    REMIND = 5
    REQUEST_EXTENSION = 6
    DECIDE_EXTENSION = 7
    REQUEST_EXPLANATION = 8
    GIVE_EXPLANATION = 9
    REPORT_COMPLETION = 10
    RETURN = 11
    ACCEPT = 12
    WITHDRAW = 13


Action = Callable[[Directive, Any, datetime], None]


@dataclass(order=True)
class Planned:
    day: date
    step: Step
    order: int
    act: Action = field(compare=False)


@dataclass(frozen=True, slots=True)
class DemoResult:
    directives: int
    events: int
    seconds: float

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


class DatabaseNotEmptyError(RuntimeError):
    """The demo would mix its simulated year into existing records."""


def department_officer(unit: str) -> Actor:
    return Actor(user_id=f"{unit.lower()}.canbo", role=Role.DEPARTMENT, unit=unit)


def leader(user_id: str) -> Actor:
    return Actor(user_id=user_id, role=Role.LEADER)


def run_demo(
    app: Thucthi,
    *,
    directives: int = 2_000,
    seed: int = 2024,
    end: date,
    force: bool = False,
    progress: TextIO | None = sys.stderr,
) -> DemoResult:
    """Fill the application with a simulated year ending on ``end``; refuse a non-empty store."""
    started = time.perf_counter()
    if app.max_notification_id() and not force:
        msg = "the database already holds events: pass --force to add the demo year anyway"
        raise DatabaseNotEmptyError(msg)
    start = end - timedelta(days=365)
    if isinstance(app.clock, SimulatedClock):
        app.clock.set(_moment(start - timedelta(days=1), 0, 0))
    app.open_unit_registry()
    registry = app.unit_registry()
    simulation = _Simulation(random.Random(seed), list(registry.units.values()), start, end)
    events = simulation.run(directives)
    _save(app, events, progress)
    return DemoResult(
        directives=directives, events=len(events), seconds=time.perf_counter() - started
    )


def _save(app: Thucthi, events: list[Any], progress: TextIO | None) -> None:
    total = len(events)
    for offset in range(0, total, SAVE_BATCH):
        app.save(*events[offset : offset + SAVE_BATCH])
        if progress is not None:
            _draw_bar(progress, min(offset + SAVE_BATCH, total), total)
    if progress is not None:
        progress.write("\n")
        progress.flush()


def _draw_bar(out: TextIO, done: int, total: int, width: int = 30) -> None:
    filled = width * done // total if total else width
    out.write(
        f"\rđang ghi / recording [{'#' * filled}{'.' * (width - filled)}] {done}/{total} events"
    )
    out.flush()


def _moment(day: date, rank: int, jitter: int) -> datetime:
    """A moment in office hours on a city day; later ranks are later in the day."""
    minutes = min(8 * 60 + rank * 20 + jitter, 23 * 60 + 59)
    local = datetime(
        day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=CITY_TIMEZONE
    )
    return local.astimezone(UTC)


class _Simulation:
    def __init__(self, rng: random.Random, units: list[Unit], start: date, end: date) -> None:
        self.rng = rng
        self.start = start
        self.end = end
        self.units = {u.code: u for u in units}
        self.leads = [
            u.code
            for u in units
            if u.active and u.parent is not None and self.units[u.parent].parent is None
        ]
        # Each unit's habits: how reliably it finishes on time and how fast it answers.
        self.diligence = {code: rng.uniform(0.35, 0.97) for code in self.leads}

    def run(self, count: int) -> list[Any]:
        issue_days = sorted(
            self.start + timedelta(days=self.rng.randrange(0, 360)) for _ in range(count)
        )
        issued: list[tuple[date, UUID]] = []
        events: list[tuple[datetime, int, int, Any]] = []
        nth_today = 0
        for number, day in enumerate(issue_days, start=1):
            nth_today = nth_today + 1 if issued and issued[-1][0] == day else 0
            directive, produced = self._one(number, day, nth_today, issued)
            issued.append((day, directive.id))
            events.extend((e.timestamp, number, e.originator_version, e) for e in produced)
        events.sort(key=lambda t: (t[0], t[1], t[2]))
        return [e for *_, e in events]

    def _request_id(self) -> str:
        return str(UUID(int=self.rng.getrandbits(128), version=4))

    def _one(
        self, number: int, day: date, nth_today: int, issued: list[tuple[date, UUID]]
    ) -> tuple[Directive, list[Any]]:
        """Directive ``number``, the ``nth_today`` issued on ``day``: issued, then its plan run."""
        rng = self.rng
        lead = rng.choice(self.leads)
        sector = corpus.SECTOR_OF_UNIT.get(lead, "district")
        others = [c for c in self.leads if c != lead]
        coordinators = rng.sample(others, k=rng.choice((0, 0, 1, 1, 2, 3)))
        urgency = rng.choices([u for u, _ in _URGENCY_WEIGHTS], [w for _, w in _URGENCY_WEIGHTS])[0]
        deadline: date | None = None
        if rng.random() < 0.85:
            low, high = _DEADLINE_DAYS[urgency]
            deadline = day + timedelta(days=rng.randint(low, high))
        issuer_id = rng.choice(corpus.ISSUERS)[0]
        by_office = rng.random() < 0.4
        actor = OFFICE if by_office else leader(issuer_id)
        parent_id = None
        earlier = [i for d, i in issued if d < day]
        if earlier and rng.random() < 0.05:
            parent_id = rng.choice(earlier[-200:])
        placeholders = {
            "year": day.year,
            "quarter": (day.month - 1) // 3 + 1,
            "month": day.month,
            "area": rng.choice(corpus.AREAS),
            "lead": self.units[lead].name_vi,
        }
        title = rng.choice(corpus.TITLE_TEMPLATES[sector]).format(**placeholders)
        content = rng.choice(corpus.CONTENT_TEMPLATES).format(**placeholders)
        reference = f"{number}/UBND-{_REFERENCE_SUFFIX[sector]}"

        directive = Directive.issue(
            reference=reference,
            title=title,
            content=content,
            issuer=issuer_id if by_office else None,
            lead_unit=lead,
            coordinating_units=coordinators,
            deadline=deadline,
            urgency=urgency,
            parent_id=parent_id,
            actor=actor,
            request_id=self._request_id(),
            at=_moment(day, 0, nth_today),  # numbered in the order they are issued
        )
        last = directive.modified_on
        for planned in self._plan(directive, day):
            if planned.day > self.end:
                break
            # Strictly increasing moments, so that sorting the year by time keeps each
            # directive's events in version order.
            at = max(
                _moment(planned.day, int(planned.step) + 1, rng.randrange(0, 15)),
                last + timedelta(minutes=1),
            )
            planned.act(directive, self, at)
            last = at
        return directive, list(directive.collect_events())

    def _plan(  # noqa: PLR0912, PLR0915 - a directive's life reads best as one story
        self, d: Directive, issued_on: date
    ) -> Iterator[Planned]:
        """The actions in a directive's life, in the order they will happen."""
        rng = self.rng
        plan: list[Planned] = []

        def add(day: date, step: Step, act: Action) -> None:
            plan.append(Planned(day, step, len(plan), act))

        lead = d.lead_unit
        t = issued_on
        if rng.random() < 0.03:
            t += timedelta(days=rng.randint(1, 4))
            new_lead = rng.choice([c for c in self.leads if c != lead])
            reason = rng.choice(corpus.REASSIGN_REASONS)
            add(t, Step.REASSIGN, _as(OFFICE, "reassign", to_unit=new_lead, reason=reason))
            lead = new_lead
        diligence = self.diligence[lead]
        officer = department_officer(lead)
        ack_days = rng.choice((0, 0, 1, 1, 2)) if rng.random() < diligence else rng.randint(2, 8)
        t_ack = t + timedelta(days=ack_days)
        add(t_ack, Step.ACKNOWLEDGE, _as(officer, "acknowledge"))

        deadline = d.deadline
        on_time = rng.random() < diligence
        if deadline is None:
            t_done = t_ack + timedelta(days=rng.randint(20, 150))
        elif on_time:
            room = max((deadline - t_ack).days, 0)
            t_done = t_ack + timedelta(days=rng.randint(room // 2, room) if room else 0)
        else:
            t_done = max(t_ack, deadline + timedelta(days=rng.randint(1, 45)))

        if deadline is not None and rng.random() < 0.15 and (deadline - t_ack).days >= 2:
            t_ask = t_ack + timedelta(days=rng.randint(1, (deadline - t_ack).days))
            t_decide = t_ask + timedelta(days=rng.randint(0, 3))
            asked = deadline + timedelta(days=rng.randint(7, 30))
            if t_decide < t_done:
                add(
                    t_ask,
                    Step.REQUEST_EXTENSION,
                    _as(
                        officer,
                        "request_extension",
                        new_deadline=asked,
                        reason=rng.choice(corpus.EXTENSION_REASONS),
                    ),
                )
                chief = leader(d.issuer)
                if rng.random() < 0.7:
                    add(t_decide, Step.DECIDE_EXTENSION, _as(chief, "grant_extension", number=1))
                    if not on_time and rng.random() < 0.6:
                        # More time often is enough time.
                        t_done = max(t_decide, asked - timedelta(days=rng.randint(0, 6)))
                else:
                    add(
                        t_decide,
                        Step.DECIDE_EXTENSION,
                        _as(
                            chief,
                            "deny_extension",
                            number=1,
                            reason=rng.choice(corpus.DENIAL_REASONS),
                        ),
                    )

        t_report = t_ack + timedelta(days=rng.randint(5, 20))
        percent = 0
        while t_report < t_done:
            percent = min(95, percent + rng.randint(10, 35))
            add(
                t_report,
                Step.PROGRESS,
                _as(
                    officer,
                    "report_progress",
                    percent=percent,
                    narrative=rng.choice(corpus.PROGRESS_NOTES),
                ),
            )
            t_report += timedelta(days=rng.randint(7, 25))

        for coordinator in d.coordinating_units:
            if coordinator != lead and rng.random() < 0.8:
                t_help = t + timedelta(days=rng.randint(1, max(1, (t_done - t).days)))
                add(
                    t_help,
                    Step.CONTRIBUTE,
                    _as(
                        department_officer(coordinator),
                        "contribute",
                        narrative=rng.choice(corpus.CONTRIBUTION_NOTES),
                    ),
                )

        if deadline is not None and t_done > deadline:
            t_remind = deadline - timedelta(days=rng.randint(0, 3))
            if t_remind > t_ack:
                add(
                    t_remind,
                    Step.REMIND,
                    _as(OFFICE, "send_reminder", message=rng.choice(corpus.REMINDER_MESSAGES)),
                )
            if (t_done - deadline).days > 12:
                t_ask = deadline + timedelta(days=rng.randint(5, 10))
                add(
                    t_ask,
                    Step.REQUEST_EXPLANATION,
                    _as(
                        leader(d.issuer),
                        "request_explanation",
                        question=rng.choice(corpus.EXPLANATION_QUESTIONS),
                    ),
                )
                t_answer = t_ask + timedelta(days=rng.randint(1, 6))
                if t_answer <= t_done and rng.random() < 0.85:
                    add(
                        t_answer,
                        Step.GIVE_EXPLANATION,
                        _as(
                            officer,
                            "give_explanation",
                            number=1,
                            answer=rng.choice(corpus.EXPLANATION_ANSWERS),
                        ),
                    )

        withdraw = rng.random() < 0.02
        if withdraw:
            t_withdraw = t + timedelta(days=rng.randint(2, 40))
            plan = [p for p in plan if (p.day, p.step) < (t_withdraw, Step.WITHDRAW)]
            add(
                t_withdraw,
                Step.WITHDRAW,
                _as(leader(d.issuer), "withdraw", reason=rng.choice(corpus.WITHDRAW_REASONS)),
            )
            return iter(sorted(plan))

        add(
            t_done,
            Step.REPORT_COMPLETION,
            _as(officer, "report_completion", summary=rng.choice(corpus.COMPLETION_SUMMARIES)),
        )
        chief = leader(d.issuer)
        t_decide = t_done + timedelta(days=rng.randint(1, 7))
        if rng.random() < 0.15:
            add(
                t_decide,
                Step.RETURN,
                _as(chief, "return_completion", reason=rng.choice(corpus.RETURN_REASONS)),
            )
            t_again = t_decide + timedelta(days=rng.randint(3, 12))
            add(
                t_again,
                Step.REPORT_COMPLETION,
                _as(officer, "report_completion", summary=rng.choice(corpus.COMPLETION_SUMMARIES)),
            )
            t_decide = t_again + timedelta(days=rng.randint(1, 5))
        add(t_decide, Step.ACCEPT, _as(chief, "accept_completion"))
        return iter(sorted(plan))


def _as(actor: Actor, command: str, **payload: Any) -> Action:
    def act(directive: Directive, simulation: _Simulation, at: datetime) -> None:
        getattr(directive, command)(
            actor=actor, request_id=simulation._request_id(), at=at, **payload
        )

    return act
