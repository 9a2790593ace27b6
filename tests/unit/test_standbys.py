"""Routing reads among hot standbys (``adapters.standbys``), with views that say where they stand
and a clock the tests move: a request is never read from read models behind the position it
needs, waits a bounded time for a standby, and otherwise reads from the primary."""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg
import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.standbys import DOWN_SECONDS, POLL_SECONDS, ReadRouting, Standby


@dataclass
class View:
    """A read model that stands at ``at``, and moves on by ``step`` each time it is asked."""

    name: str
    at: int
    step: int = 0
    fails: bool = False
    asked: int = 0
    reads: list[str] = field(default_factory=list)

    def position(self) -> int:
        self.asked += 1
        if self.fails:
            raise psycopg.OperationalError("the standby went away")
        self.at += self.step
        return self.at

    def summary(self) -> str:
        if self.fails:
            raise psycopg.OperationalError("the standby went away")
        self.reads.append(self.name)
        return self.name


@dataclass
class Clock:
    now: float = 0.0
    slept: float = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds
        self.slept += seconds


def routing(
    primary_at: int, *standbys: View, wait: float = 0.2, clock: Clock | None = None
) -> tuple[ReadRouting[View], View, Clock]:
    clock = clock or Clock()
    primary = View("primary", primary_at)
    routed = ReadRouting(
        primary,
        [Standby(s.name, s, lambda: None) for s in standbys],
        primary_position=lambda: primary.at,
        wait=wait,
        clock=clock,
        sleep=clock.sleep,
    )
    return routed, primary, clock


def read(routed: ReadRouting[View], needed: int, *, safe: bool = True) -> tuple[str, int | None]:
    """One request: what its read returned and the position its answer names."""
    token = routed.begin(needed, safe=safe)
    try:
        answer = routed.view.summary()
        return answer, routed.served()
    finally:
        routed.end(token)


def test_a_read_goes_to_a_standby_that_stands_where_its_caller_needs() -> None:
    routed, _, clock = routing(100, View("standby", 90))
    assert read(routed, 80) == ("standby", 90)
    assert clock.slept == 0
    assert routed.counts.standby == 1


def test_a_read_needing_more_than_the_standby_has_waits_for_it_to_replay() -> None:
    standby = View("standby", 90, step=1)
    routed, _, clock = routing(100, standby)
    answer, position = read(routed, 95)
    assert answer == "standby"
    assert position is not None
    assert position >= 95
    assert 0 < clock.slept <= 0.2
    assert routed.counts.waited == 1


def test_a_standby_that_does_not_catch_up_in_time_leaves_the_read_to_the_primary() -> None:
    routed, _, clock = routing(100, View("standby", 90), wait=0.2)
    assert read(routed, 95) == ("primary", 100)
    assert clock.slept == pytest.approx(0.2)
    assert routed.counts.primary == 1


def test_a_position_the_primary_itself_is_not_known_at_is_read_from_it_without_waiting() -> None:
    """A caller who names a position beyond the log cannot make a thread wait."""
    routed, _, clock = routing(100, View("standby", 100))
    assert read(routed, 10**15) == ("primary", 100)
    assert clock.slept == 0


def test_a_commands_reads_always_go_to_the_primary() -> None:
    routed, _, _ = routing(100, View("standby", 100))
    assert read(routed, 0, safe=False) == ("primary", 100)
    assert routed.counts.writes == 1


def test_outside_a_request_the_routed_view_is_the_primarys() -> None:
    routed, _, _ = routing(100, View("standby", 100))
    assert routed.view.summary() == "primary"
    assert routed.served() is None


def test_one_request_reads_from_one_server_however_often_it_reads() -> None:
    standby = View("standby", 90, step=1)
    routed, _, _ = routing(100, standby)
    token = routed.begin(0, safe=True)
    try:
        first = routed.served()
        answers = {routed.view.summary() for _ in range(5)}
        assert routed.view.position() == routed.served()
    finally:
        routed.end(token)
    assert first is None  # nothing chosen before the first read
    assert answers == {"standby"}
    assert standby.asked == 1  # the position asked once, when chosen


def test_a_standby_that_fails_is_left_aside_and_the_request_reads_on_from_the_primary() -> None:
    standby = View("standby", 100)
    routed, _, clock = routing(100, standby)
    token = routed.begin(0, safe=True)
    try:
        assert routed.view.position() == 100  # the standby chosen, by the first read
        assert routed.served() == 100
        standby.fails = True
        assert routed.view.summary() == "primary"
    finally:
        routed.end(token)
    standby.fails = False
    assert standby.reads == []
    clock.now += 1.0
    assert read(routed, 0) == ("primary", 100)  # still left aside
    clock.now += DOWN_SECONDS
    assert read(routed, 0) == ("standby", 100)


def test_a_standby_that_cannot_say_where_it_stands_is_not_read_from() -> None:
    routed, _, _ = routing(100, View("broken", 100, fails=True), View("standby", 99))
    assert read(routed, 50) == ("standby", 99)


def test_a_known_position_is_asked_again_only_when_older_than_a_moment() -> None:
    standby = View("standby", 100)
    routed, _, clock = routing(100, standby)
    read(routed, 0)
    read(routed, 0)
    assert standby.asked == 1
    clock.now += 1.0
    read(routed, 0)
    assert standby.asked == 2


@given(
    primary=st.integers(0, 1_000),
    standbys=st.lists(st.tuples(st.integers(0, 1_000), st.integers(0, 5)), max_size=3),
    needs=st.lists(st.integers(0, 1_200), min_size=1, max_size=8),
    wait=st.sampled_from([0.0, POLL_SECONDS, 0.1]),
)
def test_no_read_is_ever_made_from_read_models_behind_what_it_needs(
    primary: int, standbys: list[tuple[int, int]], needs: list[int], wait: float
) -> None:
    """Whatever the standbys' lags and however they replay, a read is made from a standby at
    the position it needs or later, or from the primary; and it waits at most ``wait``."""
    views = [View(f"standby{i}", min(at, primary), step) for i, (at, step) in enumerate(standbys)]
    routed, primary_view, clock = routing(primary, *views, wait=wait)
    for needed in needs:
        before = clock.now
        answer, position = read(routed, needed)
        assert clock.now - before <= wait + POLL_SECONDS
        assert position is not None
        if answer == "primary":
            assert position == primary_view.at
        else:
            assert position >= needed
            assert needed <= primary_view.at


def test_a_query_the_standby_cancelled_to_replay_is_made_on_the_primary_and_the_standby_kept() -> (
    None
):
    """``max_standby_streaming_delay``: a standby cancels a query whose rows replay needs."""
    standby = View("standby", 100)
    routed, _, _ = routing(100, standby)
    token = routed.begin(0, safe=True)
    try:
        assert routed.view.position() == 100
        original = standby.summary

        def cancelled() -> str:
            raise psycopg.errors.SerializationFailure("conflict with recovery")

        standby.summary = cancelled  # type: ignore[method-assign]
        assert routed.view.summary() == "primary"
    finally:
        routed.end(token)
    standby.summary = original  # type: ignore[method-assign]
    assert read(routed, 0) == ("standby", 100)  # not left aside
