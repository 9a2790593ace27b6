"""How a command's changes reach the log: the write path every context's commands go through.

A command loads its aggregate, lets it check its rules and saves it. Commands saving at the same
moment share one transaction (``domain.group_commit``). Writers of one aggregate take turns:
threads of one process by striped locks, processes by the store's lock for that aggregate when it
has one (PostgreSQL advisory locks, ``domain.ports.AggregateLocks``), taken only while the
aggregate is contended, so under contention they queue instead of starving. The version
constraint stays the backstop: a save that still loses is re-run on fresh state with jittered
back-off, a bounded number of times, before a ConcurrencyConflictError is surfaced.

A process keeps the state it last saved of each aggregate it wrote and runs the next command on
a copy of it while the change feed (``domain.ports.ChangeFeed``) has heard of no later save; a
state wrongly taken as current is refused by the version constraint and re-run fresh.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from contextlib import nullcontext
from copy import deepcopy
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.application import ProcessingEvent
from eventsourcing.persistence import IntegrityError

from domain.group_commit import GroupCommit
from domain.ports import AggregateLocks, ChangeFeed
from domain.shared.clock import Clock
from domain.shared.errors import ConcurrencyConflictError
from domain.shared.text import checked as checked_text

_COMMAND_CACHE = 1_000  # aggregates whose last saved state this process keeps for commands
_LOCK_STRIPES = 64
_BACKOFF_CAP_SECONDS = 0.1
# After a conflict on an aggregate, this process takes its cross-process lock for this long.
CONTENDED_SECONDS = 10.0
_CONTENDED_KEPT = 10_000

_A = TypeVar("_A")


def replay(aggregate: Any, events: Iterable[Any]) -> Any:  # the library's ProjectorFunction
    """Apply events in turn: the library's ``project_aggregate`` without its assertion.

    That assertion is an ``isinstance`` against a runtime-checkable Protocol, which inspects the
    protocol's members on every call, a large share of reading a directive at a past version.
    """
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


class AggregateWriter:
    """Runs commands on aggregates and saves them, for the application service.

    ``load(id)`` reads an aggregate's current state from the store; ``store(*aggregates)`` saves
    them atomically and returns the recordings (the library's ``Application.save``).
    """

    def __init__(
        self,
        *,
        load: Callable[[UUID], Any],
        store: Callable[..., Sequence[Any]],
        clock: Clock,
        changes: ChangeFeed,
        locks: AggregateLocks,
        max_attempts: int = 16,
    ) -> None:
        self.load, self.store, self.clock = load, store, clock
        self.changes, self.locks, self.max_attempts = changes, locks, max_attempts
        self._stripes = tuple(threading.Lock() for _ in range(_LOCK_STRIPES))
        self._contended: dict[UUID, float] = {}  # aggregate -> monotonic time its lock is used to
        self._saved = threading.local()  # this thread's last stored aggregate: ``last_saved``
        # The last state this process saved of each aggregate it wrote, for its next command.
        self._latest: dict[UUID, tuple[Any, Hashable | None]] = {}
        self._latest_lock = threading.Lock()
        self._group_commit: GroupCommit[Any] = GroupCommit(store)

    def close(self) -> None:
        self.locks.close()

    def update(self, aggregate_id: UUID, command: Callable[[_A, Any], object]) -> int:
        """Run ``command(aggregate, now)`` on the aggregate and save it; the position recorded."""
        self._saved.aggregate = None
        stripe = self._stripes[aggregate_id.int % _LOCK_STRIPES]
        for attempt in range(1, self.max_attempts + 1):
            # Optimistic first: the version constraint catches a rival process. Once one has
            # been caught, writers of that aggregate queue on its cross-process lock for a while,
            # so that none of them keeps losing the race (without a round trip each otherwise).
            shared = self._is_contended(aggregate_id)
            with stripe, self.locks.hold(aggregate_id) if shared else nullcontext():
                aggregate, mark = self._for_command(aggregate_id)
                command(aggregate, self.clock.now())
                try:
                    position = self.save(aggregate)
                except IntegrityError:
                    self._forget(aggregate_id)
                    self._contend(aggregate_id)  # another process saved it first: redo, queued
                else:
                    self._remember(aggregate, mark)
                    return position
            if attempt < self.max_attempts:
                ceiling = min(_BACKOFF_CAP_SECONDS, 0.002 * 2**attempt)
                time.sleep(random.uniform(0, ceiling))  # noqa: S311 - jitter, not secrets
        raise ConcurrencyConflictError("gave_up", attempts=self.max_attempts)

    def save(self, *aggregates: Any) -> int:
        """Save new aggregates (or ones a command changed): the last position recorded."""
        for aggregate in aggregates:
            for event in aggregate.pending_events:
                _check_origin(event)
        if len(aggregates) == 1:
            position: int = self._group_commit.save(aggregates[0])  # with whatever saves now
            self._saved.aggregate = aggregates[0]
            return position
        recordings = self.store(*aggregates)
        last: int = max(r.notification.id for r in recordings)
        return last

    def last_saved(self) -> Any | None:
        """The aggregate this thread's last command saved, taken once (None after that)."""
        saved = getattr(self._saved, "aggregate", None)
        self._saved.aggregate = None
        return saved

    def unchanged(self, aggregate: Any, mark: Hashable | None) -> bool:
        """Whether the change feed has heard of no save of the aggregate since ``mark``."""
        return mark is not None and self.changes.unchanged(aggregate.id, aggregate.version, mark)

    def _for_command(self, aggregate_id: UUID) -> tuple[Any, Hashable | None]:
        """A copy of the aggregate for a command to change, and the feed's mark for it.

        The state this process last saved serves when the change feed has heard of no later
        save; otherwise the store is asked (the library's cache brings it up to date)."""
        with self._latest_lock:
            kept = self._latest.get(aggregate_id)
        if kept is not None and self.unchanged(*kept):
            return deepcopy(kept[0]), kept[1]
        mark = self.changes.mark()
        return self.load(aggregate_id), mark

    def _remember(self, aggregate: Any, mark: Hashable | None) -> None:
        if mark is None:
            return
        with self._latest_lock:
            self._latest.pop(aggregate.id, None)
            if len(self._latest) >= _COMMAND_CACHE:
                self._latest.pop(next(iter(self._latest)))
            self._latest[aggregate.id] = (aggregate, mark)

    def _forget(self, aggregate_id: UUID) -> None:
        with self._latest_lock:
            self._latest.pop(aggregate_id, None)

    def _is_contended(self, aggregate_id: UUID) -> bool:
        return self._contended.get(aggregate_id, 0.0) > time.monotonic()

    def _contend(self, aggregate_id: UUID) -> None:
        now = time.monotonic()
        if len(self._contended) >= _CONTENDED_KEPT:
            for key, until in list(self._contended.items()):
                if until <= now:
                    self._contended.pop(key, None)
        self._contended[aggregate_id] = now + CONTENDED_SECONDS


def take_snapshots(
    snapshots: Any,
    intervals: Mapping[type[Any], int],
    rebuild: Callable[[UUID, int], object],
    processing_event: ProcessingEvent[UUID],
) -> None:
    """Snapshot from the aggregates just saved, all of a save in one write.

    The library rebuilds each aggregate due a snapshot from the store (two queries) and writes
    each snapshot in a transaction of its own, in the group commit's leader while the others
    wait. The aggregate in hand already is that state when the event due a snapshot is its last;
    an earlier event of several saved at once is rebuilt as the library does
    (``rebuild(id, version)``: the library's ``take_snapshot``).
    """
    if snapshots is None:
        return
    taken = []
    for event in processing_event.events:
        aggregate = processing_event.aggregates.get(event.originator_id)
        interval = intervals.get(type(aggregate))
        if aggregate is None or interval is None or event.originator_version % interval:
            continue
        snapshot = getattr(type(aggregate), "Snapshot", None)
        if snapshot is not None and aggregate.version == event.originator_version:
            taken.append(snapshot.take(aggregate))
        else:
            rebuild(event.originator_id, event.originator_version)
    if taken:
        snapshots.put(taken)


def _check_origin(event: Any) -> None:
    """Who acted and in answer to which request are text a command carries, like any other."""
    checked_text("request_id", event.request_id)
    checked_text("actor", event.actor.user_id)
    if event.actor.unit is not None:
        checked_text("unit", event.actor.unit)
