"""For random histories of petitions, the petitions' figures equal a plain fold over the events
(tests/petition_reference.py) as of random days and log positions, on SQLite and PostgreSQL; a
rebuild gives the rows of incremental processing; a batch is counted once whatever fails."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.application import Thucthi
from domain.calendar.commands import DeclareSwap, WithdrawSwap
from domain.petitions.law import ArchiveGround, NotAcceptedGround
from domain.petitions.petition import (
    VERDICTS,
    Channel,
    Competence,
    Field,
    Kind,
    Petition,
    Relation,
    Status,
)
from domain.shared.actors import Actor, Role
from domain.shared.clock import SimulatedClock, city_date, end_of_city_day
from domain.shared.errors import DomainError
from domain.shared.personal import SealedPerson
from projections.oversight import OversightProjection, catch_up
from projections.runner import rebuild
from readmodels.model import AsOf
from readmodels.open import OversightView, open_view
from readmodels.petitions import Calendar, PetitionFilters
from tests import petition_reference as reference
from tests.integration.readmodels import all_events, backend, project, table_rows

AGENCIES = ("SO-XD", "UBND-Q1", "UBND-Q3")
COMMANDS = (
    "receive", "classify", "accept", "guide", "transfer", "not_accept", "archive", "verify",
    "dialogue", "extend", "suspend", "resume", "resolve", "publish", "withdraw", "swap",
    "unswap",
)  # fmt: skip
ADMIN = Actor("admin", Role.ADMIN)


# Drawn so that most steps move a case on: a new petition one step in six, an open one four
# times in five.
NEW = (False, False, False, False, False, True)
OPEN_FIRST = (True, True, True, True, False)
# Now and then the government swaps working days, or a swap is withdrawn.
SWAP = (False,) * 11 + (True,)
# Hours between two steps: mostly within days, now and then three weeks, past a term.
HOURS = (0, 2, 9, 24, 30, 48, 60, 500)


def reception(agency: str) -> Actor:
    return Actor(f"{agency.lower()}.tiepdan", Role.RECEPTION, agency)


def head(agency: str) -> Actor:
    return Actor(f"{agency.lower()}.thutruong", Role.AGENCY_HEAD, agency)


def handler(agency: str) -> Actor:
    return Actor(f"{agency.lower()}.canbo", Role.DEPARTMENT, agency)


def _likely(p: Petition) -> list[str]:
    """Commands weighted towards what the petition's step invites, the rest still drawn."""
    ours = p.competence is Competence.OURS
    invited = {
        Status.RECEIVED: ["classify"] * 12,
        Status.CLASSIFIED: ["accept"] * 8 + ["not_accept", "archive"]
        if ours
        else ["transfer"] * 6 + ["guide", "guide", "archive"],
        Status.IN_HANDLING: ["resume"] * 8
        if p.suspended_since is not None
        else ["resolve"] * 6 + ["verify", "extend", "extend", "dialogue", "suspend"] * 2,
        Status.RESOLVED: ["publish"],
    }.get(p.status, [])
    return invited + list(COMMANDS)


def record_history(app: Thucthi, clock: SimulatedClock, data: st.DataObject, steps: int) -> None:
    """Random commands on random petitions; those the rules refuse are simply not recorded."""
    petitions: list[Petition] = []
    for n in range(steps):
        clock.advance(timedelta(hours=data.draw(st.sampled_from(HOURS), label="hours")))
        at = clock.now()
        kw: dict[str, Any] = {"request_id": f"r{n}", "at": at}
        open_ = [p for p in petitions if p.is_open]
        if not open_ or data.draw(st.sampled_from(NEW), label="new?"):
            command = "receive"
        elif data.draw(st.sampled_from(SWAP), label="calendar?"):
            command = data.draw(st.sampled_from(["swap", "swap", "unswap"]), label="swap")
        else:
            chosen = open_ if data.draw(st.sampled_from(OPEN_FIRST), label="open?") else petitions
            p = chosen[data.draw(st.integers(0, len(chosen) - 1), label="petition")]
            command = data.draw(st.sampled_from(_likely(p)), label="command")
        try:
            if command in {"swap", "unswap"}:
                swap(app, data, city_date(at), n, withdraw=command == "unswap")
                continue
            if command == "receive":
                agency = data.draw(st.sampled_from(AGENCIES), label="agency")
                anonymous = data.draw(st.booleans(), label="anonymous")
                named = 0 if anonymous else data.draw(st.integers(1, 3), label="named")
                follows = (
                    petitions[data.draw(st.integers(0, len(petitions) - 1), label="follows")]
                    if petitions and data.draw(st.integers(0, 3), label="repeat?") == 0
                    else None
                )
                p = Petition.receive(
                    receipt=f"{at.year}-T{n:07d}",
                    agency=agency,
                    channel=data.draw(st.sampled_from(list(Channel)), label="channel"),
                    received_on=city_date(at) - timedelta(data.draw(st.integers(0, 3))),
                    petitioners=tuple(SealedPerson(uuid4(), "") for _ in range(named)),
                    anonymous=anonymous,
                    signers=named + data.draw(st.integers(0, 6), label="more signers"),
                    content="Nội dung",
                    follows=None if follows is None else follows.id,
                    follows_receipt=None if follows is None else follows.receipt,
                    relation=None
                    if follows is None
                    else data.draw(st.sampled_from(list(Relation)), label="relation"),
                    actor=reception(agency),
                    **kw,
                )
                petitions.append(p)
                app.save(p)
                continue
            if command == "classify":
                kind = data.draw(st.sampled_from(list(Kind)), label="kind")
                competence = data.draw(
                    st.sampled_from([Competence.OURS, *Competence]), label="competence"
                )
                p.classify(
                    kind=kind, field=Field.LAND, competence=competence,
                    several_places=data.draw(st.booleans()), actor=reception(p.agency), **kw,
                )  # fmt: skip
            elif command == "accept":
                p.accept(handler=handler(p.agency).user_id, actor=head(p.agency), **kw)
            elif command == "guide":
                p.guide(body="Tòa án nhân dân", actor=head(p.agency), **kw)
            elif command == "transfer":
                to = data.draw(st.sampled_from([None, *AGENCIES]), label="to")
                p.transfer(
                    to_agency=to, body="" if to else "Bộ Xây dựng", actor=head(p.agency), **kw
                )
            elif command == "not_accept":
                ground = data.draw(st.sampled_from(list(NotAcceptedGround)), label="ground")
                p.not_accept(ground=ground, actor=head(p.agency), **kw)
            elif command == "archive":
                why = data.draw(st.sampled_from(list(ArchiveGround)), label="ground")
                p.archive(ground=why, actor=head(p.agency), **kw)
            elif command == "verify":
                p.record_verification(summary="Xác minh", actor=handler(p.agency), **kw)
            elif command == "dialogue":
                p.hold_dialogue(
                    held_on=city_date(at), summary="Đối thoại", actor=handler(p.agency), **kw
                )
            elif command == "extend":
                p.extend(reason="Phức tạp", actor=head(p.agency), **kw)
            elif command == "suspend":
                p.suspend(reason="Chờ kết quả giám định", actor=head(p.agency), **kw)
            elif command == "resume":
                p.resume(actor=head(p.agency), **kw)
            elif command == "resolve":
                allowed = sorted(VERDICTS[p.kind or Kind.MIXED])
                verdict = data.draw(st.sampled_from(allowed), label="verdict")
                p.resolve(verdict=verdict, summary="Kết luận", actor=head(p.agency), **kw)
            elif command == "publish":
                p.publish_result(actor=head(p.agency), **kw)
            elif command == "withdraw":
                p.withdraw(reason="Rút đơn", actor=reception(p.agency), **kw)
        except DomainError:
            continue
        app.save(p)


def swap(app: Thucthi, data: st.DataObject, today: date, n: int, *, withdraw: bool) -> None:
    """A swap of working days declared on a day soon (a working day made a day off, the
    Saturday after it made up), or one declared before withdrawn."""
    calendar = app.work_calendar()
    if withdraw:
        declared = sorted(calendar.swaps) if calendar is not None else []
        if declared:
            day_off = date.fromisoformat(data.draw(st.sampled_from(declared), label="unswap"))
            app.withdraw_swap(
                WithdrawSwap(day_off=day_off, reason="Nhập nhầm"), actor=ADMIN, request_id=f"r{n}"
            )
        return
    day_off = today + timedelta(data.draw(st.integers(0, 20), label="day off"))
    saturday = day_off + timedelta((5 - day_off.weekday()) % 7 or 7)
    app.declare_swap(
        DeclareSwap(
            day_off=day_off,
            make_up_day=data.draw(st.sampled_from([saturday, None]), label="made up"),
            decision_reference=f"{n}/TB-VPCP",
        ),
        actor=ADMIN,
        request_id=f"r{n}",
    )


def calendar_upto(events: list[tuple[int, Any]]) -> Callable[[int], Calendar]:
    """The working days as they stood after a position, by the calendar's own events."""
    return lambda position: reference.working_days(events, upto=position)


def check_point(
    view: OversightView, events: list[tuple[int, Any]], day: date, position: int | None
) -> None:
    as_of = AsOf(day, position)
    end = end_of_city_day(day)
    state = reference.fold(events, calendar_upto(events), until=end, upto=position)
    calendar = reference.working_days(events, until=end, upto=position)
    summary = view.petitions.summary(as_of)
    city, agencies = reference.figures(state, day, calendar)
    assert dataclasses.asdict(summary.city) == city, f"the city as of {day}, position {position}"
    assert {a: dataclasses.asdict(f) for a, f in summary.agencies.items()} == agencies
    oldest = [(i.receipt, i.agency) for i in view.petitions.oldest_open(as_of, limit=5)]
    assert oldest == reference.oldest_open(state, calendar, 5)
    for agency in AGENCIES:
        one = view.petitions.summary(as_of, PetitionFilters(agency=agency))
        assert {a: dataclasses.asdict(f) for a, f in one.agencies.items()} == (
            {agency: agencies[agency]} if agency in agencies else {}
        )


def check_history(
    app: Thucthi, view: OversightView, clock: SimulatedClock, data: st.DataObject
) -> None:
    events = all_events(app)
    petition_events = [(p, e) for p, e in events if isinstance(e, Petition.Event)]
    first, last = city_date(petition_events[0][1].timestamp), city_date(clock.now())
    days = {first - timedelta(1), last, last + timedelta(15)}
    days |= {first + timedelta(data.draw(st.integers(0, (last - first).days))) for _ in range(3)}
    for day in sorted(days):
        check_point(view, events, day, None)
    for _ in range(2):
        position = data.draw(st.sampled_from([p for p, _ in petition_events]), label="position")
        day = last + timedelta(data.draw(st.integers(-5, 10), label="day after"))
        check_point(view, events, day, position)


@pytest.mark.parametrize(("kind", "examples"), [("sqlite", 25), ("postgres", 8)])
def test_the_petition_figures_equal_a_plain_fold_over_the_events(
    kind: str, examples: int, tmp_path: Path
) -> None:
    """Each example gets its own empty store, so what hypothesis draws depends on nothing else;
    PostgreSQL draws fewer, the SQL being the same in meaning and the suite's time counted."""
    numbered = iter(range(10**6))

    @settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(data=st.data())
    def check(data: st.DataObject) -> None:
        folder = tmp_path / str(next(numbered))
        folder.mkdir()
        with backend(kind, folder) as (app, view, clock):
            record_history(app, clock, data, data.draw(st.integers(5, 45), label="steps"))
            project(app, view, batch_size=data.draw(st.integers(1, 30), label="batch"))
            check_history(app, view, clock, data)

    check()


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_rebuild_gives_the_petition_rows_of_incremental_processing(
    kind: str, tmp_path: Path
) -> None:
    """Incremental: one event per transaction; rebuild: the directives' pass, then the
    petitions' own in batches."""
    with backend(kind, tmp_path) as (app, view, clock):
        history(app, clock)
        catch_up(app, OversightProjection(view), batch_size=1)
        incremental = table_rows(view)
        assert incremental["petitions"]
        assert rebuild(app, batch_size=7, workers=1) == (app.max_notification_id())
        assert table_rows(open_view(app)) == incremental


def history(app: Thucthi, clock: SimulatedClock) -> None:
    """A fixed history of 60 steps, drawn once by the same generator, derandomized."""

    @settings(max_examples=1, deadline=None, database=None, derandomize=True)
    @given(data=st.data())
    def draw(data: st.DataObject) -> None:
        record_history(app, clock, data, 60)

    draw()


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_batch_that_fails_half_written_is_counted_once_when_projected_again(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The petitions' rows are written after the board's in the batch's transaction: a failure
    there (a crash, a lost connection) rolls the board back too, and the next catch-up writes
    the whole batch once, its tracking position with it."""
    with backend(kind, tmp_path) as (app, view, clock):
        history(app, clock)
        written: Any = type(view.petitions)
        write = written.write
        calls = {"n": 0}

        def fails_the_second_time(self: object, c: object, changes: object) -> None:
            calls["n"] += 1
            write(self, c, changes)
            if calls["n"] == 2:
                raise ConnectionError("the connection went away mid-batch")

        monkeypatch.setattr(written, "write", fails_the_second_time)
        projection = OversightProjection(view)
        with pytest.raises(ConnectionError):
            catch_up(app, projection, batch_size=10)
        stopped = view.position()
        assert 0 < stopped < app.max_notification_id()
        projection.forget()  # what a restarted process knows
        catch_up(app, OversightProjection(view), batch_size=10)
        catch_up(app, OversightProjection(view), batch_size=10)  # nothing left: nothing again
        events = all_events(app)
        day = city_date(clock.now())
        state = reference.fold(events, calendar_upto(events))
        city, _ = reference.figures(state, day, reference.working_days(events))
        assert dataclasses.asdict(view.petitions.summary(AsOf(day)).city) == city
        incremental = table_rows(view)
        rebuild(app, batch_size=500)
        assert table_rows(open_view(app)) == incremental


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_swap_of_working_days_moves_the_deadlines_of_open_cases_from_when_it_is_recorded(
    kind: str, tmp_path: Path
) -> None:
    """Received on Monday 4 March 2024, a petition awaiting classification has 7 working days:
    Wednesday 13 March. Friday 8 March swapped for a Saturday after the term makes it Thursday
    14 March from the swap's position on; before it, the figures keep the 13th; withdrawing the
    swap brings the 13th back. A case already closed keeps what it had."""
    with backend(kind, tmp_path) as (app, view, clock):
        p = Petition.receive(
            receipt="2024-SWAP0001", agency="SO-XD", channel=Channel.IN_PERSON,
            received_on=date(2024, 3, 4), petitioners=(SealedPerson(uuid4(), ""),),
            content="Nội dung", actor=reception("SO-XD"), request_id="r", at=clock.now(),
        )  # fmt: skip
        app.save(p)
        closed = Petition.receive(
            receipt="2024-SWAP0002", agency="SO-XD", channel=Channel.ONLINE,
            received_on=date(2024, 3, 4), petitioners=(), anonymous=True, content="Nội dung",
            actor=reception("SO-XD"), request_id="r", at=clock.now(),
        )  # fmt: skip
        closed.withdraw(reason="Rút", actor=reception("SO-XD"), request_id="r", at=clock.now())
        app.save(closed)
        before = app.max_notification_id()
        clock.advance(timedelta(days=1))
        app.declare_swap(
            DeclareSwap(
                day_off=date(2024, 3, 8), make_up_day=date(2024, 3, 23), decision_reference="1/TB"
            ),
            actor=ADMIN,
            request_id="swap",
        )
        swapped = app.max_notification_id()
        project(app, view)

        def due(as_of: AsOf | None) -> list[tuple[str, date | None]]:
            return [(r.receipt, r.due) for r in view.petitions.rows(as_of)]

        thirteenth, fourteenth = date(2024, 3, 13), date(2024, 3, 14)
        assert due(None) == [("2024-SWAP0001", fourteenth), ("2024-SWAP0002", None)]
        assert due(AsOf(date(2024, 3, 4))) == [
            ("2024-SWAP0001", thirteenth),
            ("2024-SWAP0002", None),
        ]
        assert due(AsOf(date(2024, 3, 20), before))[0] == ("2024-SWAP0001", thirteenth)
        was = view.petitions.summary(AsOf(fourteenth, before))
        now = view.petitions.summary(AsOf(fourteenth, swapped))
        assert (was.city.overdue, was.city.within_deadline) == (1, 0)
        assert (now.city.overdue, now.city.within_deadline, now.city.due_soon) == (0, 1, 1)
        # The due-soon window is counted in the working days as they stood: three working days
        # after Tuesday 5 March reach Friday 8 March with the swap not yet recorded, but only
        # Monday 11 March once it is.
        assert view.petitions.calendar(AsOf(date(2024, 3, 5), before)).add_working_days(
            date(2024, 3, 5), 3
        ) == date(2024, 3, 8)
        assert view.petitions.calendar().add_working_days(date(2024, 3, 5), 3) == date(2024, 3, 11)
        clock.advance(timedelta(days=1))
        app.withdraw_swap(
            WithdrawSwap(day_off=date(2024, 3, 8), reason="Nhập nhầm"), actor=ADMIN, request_id="w"
        )
        project(app, view)
        assert due(None)[0] == ("2024-SWAP0001", thirteenth)
        assert due(AsOf(date(2024, 3, 5)))[0] == ("2024-SWAP0001", fourteenth)
        incremental = table_rows(view)
        rebuild(app, batch_size=3)
        assert table_rows(open_view(app)) == incremental
