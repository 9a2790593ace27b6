"""Group commit: concurrent saves share transactions, and each caller gets its own outcome."""
# The fake store takes each aggregate's pending events as the library's save does (refused or
# not): a batch refused for one conflict once made the others' retries store nothing.

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from eventsourcing.persistence import IntegrityError
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.group_commit import GroupCommit


@dataclass(frozen=True)
class Aggregate:
    id: int
    pending_events: list[str] = field(default_factory=lambda: ["a", "b"])


@dataclass(frozen=True)
class Event:
    originator_id: int


@dataclass(frozen=True)
class Notification:
    id: int


@dataclass(frozen=True)
class Recording:
    domain_event: Event
    notification: Notification


class Store:
    """Stores each aggregate's two events; refuses any batch holding a conflicting aggregate."""

    def __init__(self, conflicting: set[int], pause: float = 0.002) -> None:
        self.conflicting = conflicting
        self.pause = pause
        self.stored: list[int] = []
        self.transactions: list[list[int]] = []
        self._lock = threading.Lock()

    def save(self, *aggregates: Aggregate) -> list[Recording]:
        time.sleep(self.pause)  # the round trip, during which others queue
        with self._lock:
            taken = {a.id: a.pending_events[:] for a in aggregates}
            for a in aggregates:
                a.pending_events.clear()  # collected, as the library does, before storing
            ids = [a.id for a in aggregates]
            if self.conflicting & set(ids):
                msg = f"{sorted(self.conflicting & set(ids))} saved elsewhere first"
                raise IntegrityError(msg)
            self.transactions.append(ids)
            recordings = []
            for a in aggregates:
                for _ in taken[a.id]:
                    self.stored.append(a.id)
                    event = Event(a.id)
                    recordings.append(Recording(event, Notification(len(self.stored))))
            return recordings


def save_all(group: GroupCommit[Any], count: int) -> dict[int, int | BaseException]:
    outcomes: dict[int, int | BaseException] = {}
    start = threading.Barrier(count)

    def one(n: int) -> None:
        start.wait()
        try:
            outcomes[n] = group.save(Aggregate(n))
        except IntegrityError as e:
            outcomes[n] = e

    threads = [threading.Thread(target=one, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_saves_made_at_the_same_moment_share_transactions() -> None:
    store = Store(conflicting=set())
    group: GroupCommit[Aggregate] = GroupCommit(store.save)
    outcomes = save_all(group, 16)
    assert sorted(store.stored) == sorted(n for n in range(16) for _ in range(2))
    assert len(store.transactions) < 16
    assert max(len(t) for t in store.transactions) > 1
    for n, position in outcomes.items():  # each learns the position of its own last event
        assert isinstance(position, int)
        assert store.stored[position - 1] == n
        assert store.stored[position - 2] == n


def test_a_thread_alone_saves_alone() -> None:
    store = Store(conflicting=set(), pause=0)
    group: GroupCommit[Aggregate] = GroupCommit(store.save)
    assert [group.save(Aggregate(n)) for n in range(3)] == [2, 4, 6]
    assert store.transactions == [[0], [1], [2]]


@settings(max_examples=25, deadline=None)
@given(
    count=st.integers(min_value=1, max_value=12),
    conflicting=st.sets(st.integers(min_value=0, max_value=11), max_size=4),
)
def test_only_the_conflicting_saves_fail_and_every_other_is_stored_once(
    count: int, conflicting: set[int]
) -> None:
    store = Store(conflicting=conflicting)
    group: GroupCommit[Aggregate] = GroupCommit(store.save)
    outcomes = save_all(group, count)
    failed = {n for n, outcome in outcomes.items() if isinstance(outcome, BaseException)}
    assert failed == conflicting & set(range(count))
    assert sorted(store.stored) == sorted(n for n in range(count) if n not in failed for _ in "ab")
    assert group.saves == count - len(failed)
