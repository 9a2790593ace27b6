"""Group commit: commands that finish at the same moment are saved in one transaction.

Each save to the store pays a fixed price (a round trip, the log's table lock, a commit) that
dwarfs the events themselves. When several threads of a process save at once, the first becomes
the leader: it takes every save waiting, stores them together with one ``save(*aggregates)`` (the
library writes all their events atomically), hands each its own positions, and leads again while
more have queued meanwhile. A thread alone saves alone, with no added wait.

If a batch is refused because one aggregate was saved elsewhere first (the version constraint),
the batch is retried one by one, so that only that command learns of the conflict and is re-run
by its caller; the others are stored as they were. Saving takes an aggregate's pending events
(the library's ``collect_events``), refused or not, so each is given back the events it came with
before it is saved again: otherwise the retry stores nothing and reports success, a lost write.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from eventsourcing.persistence import IntegrityError


class _Recording(Protocol):
    @property
    def domain_event(self) -> Any: ...

    @property
    def notification(self) -> Any: ...


class _Aggregate(Protocol):
    @property
    def id(self) -> Any: ...

    @property
    def pending_events(self) -> list[Any]: ...


_Agg = TypeVar("_Agg", bound=_Aggregate)


@dataclass(eq=False)
class _Waiting(Generic[_Agg]):
    aggregate: _Agg
    events: list[Any]  # its pending events when it came: a refused batch has taken them
    done: threading.Event = field(default_factory=threading.Event)
    position: int = 0
    error: BaseException | None = None


class GroupCommit(Generic[_Agg]):
    """``save(aggregate)`` from many threads; concurrent ones share one transaction."""

    def __init__(self, save: Callable[..., Sequence[_Recording]]) -> None:
        self._save = save
        self._lock = threading.Lock()
        self._queue: list[_Waiting[_Agg]] = []
        self._leading = False
        self.saves = 0  # aggregates stored, for tests and metrics

    def save(self, aggregate: _Agg) -> int:
        """Store the aggregate's pending events; the highest position they were given."""
        waiting = _Waiting(aggregate, list(aggregate.pending_events))
        with self._lock:
            self._queue.append(waiting)
            lead = not self._leading
            self._leading = True
        if lead:
            self._lead()
        waiting.done.wait()
        if waiting.error is not None:
            raise waiting.error
        return waiting.position

    def _lead(self) -> None:
        while True:
            with self._lock:
                batch, self._queue = self._queue, []
                if not batch:
                    self._leading = False
                    return
            self._commit(batch)

    def _commit(self, batch: list[_Waiting[_Agg]]) -> None:
        try:
            try:
                self._store(batch)
            except IntegrityError as e:
                if len(batch) == 1:
                    batch[0].error = e
                else:
                    for waiting in batch:  # find who conflicted; store the others
                        waiting.aggregate.pending_events[:] = waiting.events
                        try:
                            self._store([waiting])
                        except IntegrityError as conflict:
                            waiting.error = conflict
        except BaseException as e:
            for waiting in batch:
                if not waiting.position and waiting.error is None:
                    waiting.error = e
        finally:
            for waiting in batch:
                waiting.done.set()

    def _store(self, batch: list[_Waiting[_Agg]]) -> None:
        recordings = self._save(*(w.aggregate for w in batch))
        self.saves += len(batch)
        highest: dict[Any, int] = {}
        for recording in recordings:
            originator = recording.domain_event.originator_id
            highest[originator] = max(highest.get(originator, 0), recording.notification.id)
        for waiting in batch:
            waiting.position = highest.get(waiting.aggregate.id, 0)
