"""``thucthi demo``: a simulated year of the city's work, deterministic for a seed and an end date.

The period ends on the end day and starts on the earlier of 365 days before it and 1 January 2025
(``cli.demo_units``): a demo ending after Ho Chi Minh City's reorganisation of 1 July 2025 spans
it, with months of the city of 2024 before it. On that day the demo records the reorganisation
(the registry's events, as ``thucthi init`` records them) and hands every open directive and
petition of a unit that ended to its heir, as the application's hand-over does; from then on it
issues to the units of 2026 (the merged departments, wards and communes instead of districts).

Each directive gets a plan: a list of dated actions (acknowledge, report, ask for more time, be
reminded, complete late, be returned for rework …) drawn from its lead unit's diligence. Plans run
against the real aggregates, so every rule is enforced, and the resulting events are stored in the
order of their moments, so the log reads like the year it simulates.

What a directive says agrees with whom it goes to: its title and content name its lead unit and
the place of the work as the unit registry names them (a district's or ward's task is in that
district or ward, a department's in the one coordinating it, or city-wide), in the words of its
day (no district after they ended), and a unit reports its work done at 100% before it reports
completion. A step of a directive handed over is taken by the unit that now holds its part.
"""

from __future__ import annotations

import heapq
import queue
import random
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import IntEnum
from typing import Any, TextIO, TypeVar
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from cli import demo_corpus as corpus
from cli.demo_petitions import Truth, petition_year
from cli.demo_units import DemoUnits, period_start
from domain.application import Thucthi
from domain.directives.directive import Directive, Urgency
from domain.petitions.desk import seeded_receipts
from domain.shared.actors import Actor, Role
from domain.shared.clock import CITY_TIMEZONE, SimulatedClock
from domain.units.hcmc import REORGANISED_ON, UNITS_2024
from domain.units.registry import REGISTRY_ID, UnitRegistry

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
    "agriculture_environment": "DT",
    "district": "TH",
}
OFFICE = Actor(user_id="office.vp", role=Role.OFFICE)
SAVE_BATCH = 10_000  # events per transaction: the store's per-commit cost is paid once per batch
QUEUED_BATCHES = 4  # batches waiting for the writer thread while the next ones are simulated


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
# Who takes a step: a person, or whoever holds the part when the step is taken (the lead unit's
# officer after a hand-over is the heir's); None: nobody, the step is not taken.
Who = Actor | Callable[[Directive, Any, datetime], Actor | None]
_T = TypeVar("_T")


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
    petitions: int = 0
    truth: Truth | None = None  # which petitions are the same matter (``cli.demo_petitions``)

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
    batch: int = SAVE_BATCH,
    petitions: int = 0,
) -> DemoResult:
    """Fill the application with a simulated year ending on ``end``; refuse a non-empty store.

    The year starts on the earlier of ``end`` − 365 days and 1 January 2025
    (``cli.demo_units.period_start``), so that it spans the reorganisation of 1 July 2025 when
    it ends after it, which the demo then records at its moment (see the module's docstring).

    The bulk loader for every size, from the quick start's 2,000 directives to the benchmarks'
    city and nation: the year is simulated directive by directive and streamed, in the order of
    its moments, to a writer thread that stores ``batch`` events per transaction through the
    library's own recorder. Simulating (Python) and storing (mostly the database) overlap, and
    memory holds only the directives still open, not the year.

    ``petitions``: how many matters citizens bring to the city's agencies in the year, each filed
    once or several times (``cli.demo_petitions``); their events join the directives' in the
    order of their moments, and the result carries the truth of which filings are the same
    matter.
    """
    started = time.perf_counter()
    if app.holds_records() and not force:
        msg = "the database already holds events: pass --force to add the demo year anyway"
        raise DatabaseNotEmptyError(msg)
    start = period_start(end)
    if isinstance(app.clock, SimulatedClock):
        app.clock.set(_moment(start - timedelta(days=1), 0, 0))
    app.open_unit_registry(UNITS_2024)
    # A copy of its own: the demo records the reorganisation on it, in the stream.
    registry: UnitRegistry = app.repository.get(REGISTRY_ID)
    units = DemoUnits(registry, start, end)
    simulation = _Simulation(random.Random(seed), units)
    year = None
    if petitions:
        year = petition_year(
            seed=seed,
            start=start,
            end=end,
            matters=petitions,
            seal=app.vault.seal,
            receipts=seeded_receipts(random.Random(f"{seed}/receipts")),
            moment=_moment,
            units=units,
        )
    convert = app.mapper.to_stored_event
    # At one moment the registry's change comes first, then the directives', then the rest.
    changes = ((e.timestamp, convert(e)) for e in units.events)
    alongside = () if year is None else ((e.timestamp, convert(e)) for e in year.events)
    bar = _Bar(progress, directives)
    stream = simulation.stream(directives, convert, bar, alongside=alongside, first=changes)
    events = _store(app, stream, batch)
    _analyze(app)
    bar.finish()
    return DemoResult(
        directives=directives,
        events=events,
        seconds=time.perf_counter() - started,
        petitions=0 if year is None else year.petitions,
        truth=None if year is None else year.truth,
    )


def _analyze(app: Thucthi) -> None:
    """Statistics for the tables just filled, as PostgreSQL advises after a bulk load.

    Until autovacuum gets to them (and it is off on some servers) the planner guesses: over ten
    million events it guessed so high that each of a rebuild's page reads was JIT-compiled.
    """
    datastore = getattr(app.factory, "datastore", None)
    if not isinstance(datastore, PostgresDatastore):
        return
    tables = [app.recorder.events_table_name]  # type: ignore[attr-defined]
    if app.snapshots is not None:
        tables.append(app.snapshots.recorder.events_table_name)  # type: ignore[attr-defined]
    with datastore.get_connection() as conn:
        for table in tables:
            conn.execute(
                sql.SQL("ANALYZE {}.{}").format(
                    sql.Identifier(datastore.schema), sql.Identifier(table)
                )
            )


def _store(app: Thucthi, stored: Iterable[StoredEvent], batch: int) -> int:
    """Insert the stored events ``batch`` at a time from a writer thread; how many were stored."""
    batches: queue.Queue[list[StoredEvent] | None] = queue.Queue(maxsize=QUEUED_BATCHES)
    failure: list[BaseException] = []

    def write() -> None:
        while (events := batches.get()) is not None:
            if failure:
                continue  # drain, so that the producer is never left blocked on a full queue
            try:
                app.recorder.insert_events(events)
            except BaseException as e:
                failure.append(e)

    writer = threading.Thread(target=write, name="demo-writer", daemon=True)
    writer.start()
    count = 0
    pending: list[StoredEvent] = []
    try:
        for event in stored:
            pending.append(event)
            if len(pending) >= batch:
                batches.put(pending)
                count += len(pending)
                pending = []
                if failure:
                    break
        if pending and not failure:
            batches.put(pending)
            count += len(pending)
    finally:
        batches.put(None)
        writer.join()
    if failure:
        raise failure[0]
    return count


class _Bar:
    """Directives simulated so far, drawn on ``out`` (stderr) if given."""

    def __init__(self, out: TextIO | None, total: int, width: int = 30) -> None:
        self.out, self.total, self.width = out, total, width
        self.step = max(total // 200, 1)

    def __call__(self, done: int) -> None:
        if self.out is not None and (done % self.step == 0 or done == self.total):
            filled = self.width * done // self.total if self.total else self.width
            self.out.write(
                f"\rđang ghi / recording [{'#' * filled}{'.' * (self.width - filled)}] "
                f"{done}/{self.total} directives"
            )
            self.out.flush()

    def finish(self) -> None:
        if self.out is not None:
            self.out.write("\n")
            self.out.flush()


def _moment(day: date, rank: int, jitter: int) -> datetime:
    """A moment in office hours on a city day; later ranks are later in the day."""
    minutes = min(8 * 60 + rank * 20 + jitter, 23 * 60 + 59)
    local = datetime(
        day.year, day.month, day.day, minutes // 60, minutes % 60, tzinfo=CITY_TIMEZONE
    )
    return local.astimezone(UTC)


class _Simulation:
    def __init__(self, rng: random.Random, units: DemoUnits) -> None:
        self.rng = rng
        self.era = units
        self.start = units.start
        self.end = units.end
        self.units = units.units
        # The district-level units and the wards and communes, by the place their name says
        # ("Ủy ban nhân dân Quận 3" is in "Quận 3"): the units the corpus gives no sector of
        # their own.
        self.places = {
            code: self.units[code].name_vi.removeprefix(corpus.DISTRICT_PREFIX)
            for code in units.all_leads()
            if code not in corpus.SECTOR_OF_UNIT
        }
        # Each unit's habits: how reliably it finishes on time and how fast it answers.
        self.diligence = {code: rng.uniform(0.35, 0.97) for code in units.all_leads()}
        # The days over which directives are issued: the whole period, less its last days.
        self.issue_span = max((self.end - self.start).days - 5, 1)

    def run(self, count: int) -> list[Any]:
        """The whole year's events, in the order of their moments."""
        return list(self.stream(count, lambda event: event))

    def stream(
        self,
        count: int,
        convert: Callable[[Any], _T],
        done: Callable[[int], None] | None = None,
        *,
        alongside: Iterable[tuple[datetime, _T]] = (),
        first: Iterable[tuple[datetime, _T]] = (),
    ) -> Iterator[_T]:
        """The year's directive events (``timed``), ``first`` (the registry's) and
        ``alongside`` (others, in the order of their moments: the petitions'), merged in the
        order of their moments; at one moment, ``first``'s, then the directives'."""
        merged = heapq.merge(
            first, self.timed(count, convert, done), alongside, key=lambda item: item[0]
        )
        for _, item in merged:
            yield item

    def timed(
        self, count: int, convert: Callable[[Any], _T], done: Callable[[int], None] | None = None
    ) -> Iterator[tuple[datetime, _T]]:
        """The year's events converted, in the order of their moments, as they become final.

        Directives are simulated in the order they are issued, and each one's events are
        converted at once and held in a heap ordered by (moment, issue number, version). The
        next directive is issued at a moment no earlier than the last, and all its events come
        at or after that moment, so everything in the heap before it is final and is yielded:
        the heap holds only the lives still open, and the order is exactly that of sorting the
        whole year.
        """
        issue_days = sorted(
            self.start + timedelta(days=self.rng.randrange(0, self.issue_span))
            for _ in range(count)
        )
        issued: list[tuple[date, UUID]] = []
        first_today = 0  # index in ``issued`` of the first directive issued on the current day
        heap: list[tuple[datetime, int, int, _T]] = []
        nth_today = 0
        for number, day in enumerate(issue_days, start=1):
            if issued and issued[-1][0] == day:
                nth_today += 1
            else:
                nth_today, first_today = 0, len(issued)
            earlier = (i for _, i in issued[max(first_today - 200, 0) : first_today])
            directive, produced = self._one(number, day, nth_today, earlier, first_today > 0)
            while heap and heap[0][:2] < (produced[0].timestamp, number):
                popped = heapq.heappop(heap)
                yield popped[0], popped[3]
            for event in produced:
                heapq.heappush(
                    heap, (event.timestamp, number, event.originator_version, convert(event))
                )
            issued.append((day, directive.id))
            if done is not None:
                done(number)
        while heap:
            popped = heapq.heappop(heap)
            yield popped[0], popped[3]

    def _request_id(self) -> str:
        return str(UUID(int=self.rng.getrandbits(128), version=4))

    def _one(
        self, number: int, day: date, nth_today: int, recent: Iterable[UUID], any_earlier: bool
    ) -> tuple[Directive, list[Any]]:
        """Directive ``number``, the ``nth_today`` issued on ``day``: issued, then its plan run."""
        rng = self.rng
        leads = self.era.leads(day)  # the units of the day: of 2024, or of 2026
        after = day >= REORGANISED_ON  # worded as the two-level city is
        lead = rng.choice(leads)  # who leads it in the end
        sector = corpus.SECTOR_OF_UNIT.get(lead, "district")
        # A few are issued to another unit first, and the office hands the lead on (``_plan``).
        first = lead
        if rng.random() < 0.03:
            first = rng.choice([c for c in leads if c != lead])
        # A district's or ward's task is its own: the units it works with are departments and
        # boards.
        others = [
            c
            for c in leads
            if c not in {lead, first} and (sector != "district" or c not in self.places)
        ]
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
        if any_earlier and rng.random() < 0.05:
            # One of the (up to) 200 directives issued last before today.
            parent_id = rng.choice(list(recent))
        placeholders = {
            "year": day.year,
            "quarter": (day.month - 1) // 3 + 1,
            "month": day.month,
            "area": self._area(lead, coordinators, after),
            "lead": self.units[lead].name_vi,
        }
        title = corpus.worded(rng.choice(corpus.TITLE_TEMPLATES[sector]), after)
        content = corpus.worded(rng.choice(self._contents(lead, first)), after)
        title, content = title.format(**placeholders), content.format(**placeholders)
        reference = f"{number}/UBND-{_REFERENCE_SUFFIX[sector]}"

        directive = Directive.issue(
            reference=reference,
            title=title,
            content=content,
            issuer=issuer_id if by_office else None,
            lead_unit=first,
            coordinating_units=coordinators,
            deadline=deadline,
            urgency=urgency,
            parent_id=parent_id,
            actor=actor,
            request_id=self._request_id(),
            at=_moment(day, 0, nth_today),  # numbered in the order they are issued
        )
        last = directive.modified_on
        # Issued before the reorganisation: handed over at its moment if still open then.
        handing = self.era.due_for_hand_over(last, None)
        for planned in self._plan(directive, day, lead):
            if planned.day > self.end:
                break
            # Strictly increasing moments, so that sorting the year by time keeps each
            # directive's events in version order.
            at = max(
                _moment(planned.day, int(planned.step) + 1, rng.randrange(0, 15)),
                last + timedelta(minutes=1),
            )
            if handing and self.era.due_for_hand_over(last, at):
                self.era.hand_over(directive)
                handing = False
            planned.act(directive, self, at)
            last = at
        if handing:
            self.era.hand_over(directive)
        return directive, list(directive.collect_events())

    def _area(self, lead: str, coordinators: list[str], after: bool) -> str:
        """Where the work is: a district's or ward's own place; for a department, the place of
        the first district or ward coordinating it, else somewhere city-wide."""
        if lead in self.places:
            return self.places[lead]
        districts = [self.places[c] for c in coordinators if c in self.places]
        return districts[0] if districts else self.rng.choice(corpus.city_areas(after))

    def _contents(self, lead: str, first: str) -> tuple[str, ...]:
        """The contents a directive may have: none naming a unit if its lead is to change
        (the text would name one that no longer leads it), none naming its own lead as another
        unit (Sở Tài chính is not asked to work with Sở Tài chính), and none calling on every
        district for a district's own task."""
        if first != lead:
            return corpus.UNNAMED_CONTENT_TEMPLATES
        own = self.units[lead].name_vi
        chosen = corpus.CONTENT_TEMPLATES
        if lead not in self.places:
            chosen += corpus.DEPARTMENT_CONTENT_TEMPLATES
        return tuple(c for c in chosen if own not in c)

    def _plan(  # noqa: PLR0912, PLR0915 - a directive's life reads best as one story
        self, d: Directive, issued_on: date, lead: str
    ) -> Iterator[Planned]:
        """The actions in a directive's life, in the order they will happen; ``lead``: who
        leads it in the end (the office hands it on first if it was issued to another)."""
        rng = self.rng
        plan: list[Planned] = []

        def add(day: date, step: Step, act: Action) -> None:
            plan.append(Planned(day, step, len(plan), act))

        t = issued_on
        if lead != d.lead_unit:
            t += timedelta(days=rng.randint(1, 4))
            reason = _worded(rng.choice(corpus.REASSIGN_REASONS), t)
            add(t, Step.REASSIGN, _reassign(lead, reason))
        diligence = self.diligence[lead]
        officer = _lead_officer
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
                        reason=_worded(rng.choice(corpus.EXTENSION_REASONS), t_ask),
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
                    narrative=_worded(rng.choice(corpus.PROGRESS_NOTES), t_report),
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
                        _coordinator(coordinator),
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

        # Done means all of it: the unit reports 100% first, then the completion.
        add(t_done, Step.PROGRESS, self._done(officer))
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
            add(t_again, Step.PROGRESS, self._done(officer))
            add(
                t_again,
                Step.REPORT_COMPLETION,
                _as(officer, "report_completion", summary=rng.choice(corpus.COMPLETION_SUMMARIES)),
            )
            t_decide = t_again + timedelta(days=rng.randint(1, 5))
        add(t_decide, Step.ACCEPT, _as(chief, "accept_completion"))
        return iter(sorted(plan))

    def _done(self, officer: Who) -> Action:
        """The lead unit's report that all of the work is done (100%)."""
        note = self.rng.choice(corpus.FINAL_PROGRESS_NOTES)
        return _as(officer, "report_progress", percent=100, narrative=note)


def _as(who: Who, command: str, **payload: Any) -> Action:
    def act(directive: Directive, simulation: _Simulation, at: datetime) -> None:
        actor = who if isinstance(who, Actor) else who(directive, simulation, at)
        if actor is None:
            return
        getattr(directive, command)(
            actor=actor, request_id=simulation._request_id(), at=at, **payload
        )

    return act


def _lead_officer(directive: Directive, simulation: _Simulation, at: datetime) -> Actor:
    """The officer of the unit leading the directive when the step is taken: the unit it was
    planned for, or that unit's heir once it was handed over."""
    return department_officer(directive.lead_unit)


def _coordinator(unit: str) -> Who:
    """The officer of ``unit``, or of its heir once the directive was handed over; nobody if
    that unit no longer coordinates it (the heir leads it)."""

    def who(directive: Directive, simulation: _Simulation, at: datetime) -> Actor | None:
        now = simulation.era.current(unit, at)
        return department_officer(now) if now in directive.coordinating_units else None

    return who


def _reassign(to_unit: str, reason: str) -> Action:
    """The Office hands the lead on to ``to_unit``, or to its heir if the directive was handed
    over meanwhile; nothing if that unit already leads it (both had the same heir)."""

    def act(directive: Directive, simulation: _Simulation, at: datetime) -> None:
        unit = simulation.era.current(to_unit, at)
        if unit != directive.lead_unit:
            directive.reassign(
                to_unit=unit,
                reason=reason,
                actor=OFFICE,
                request_id=simulation._request_id(),
                at=at,
            )

    return act


def _worded(text: str, day: date) -> str:
    """A note as it is written on ``day``: of the districts before the reorganisation, of the
    wards and communes from it on."""
    return corpus.worded(text, day >= REORGANISED_ON)
