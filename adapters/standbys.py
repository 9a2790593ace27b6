"""Reads from PostgreSQL hot standbys: which server answers a request's reads.

A standby replays the primary's tables, the read models' among them, so it can answer what the
read models answer, once it has replayed far enough. How far is its read models' own tracking
position, as the standby holds it (one row: cheap to read). A request needs a position: the last
one its caller saw (``api.fastpath``: the ``Log-Position`` header or the session's cookie), so
that nobody is shown anything older than their own last write or read. Its reads go to a
standby whose read models stand at that position or later; if none does, the request waits for
one up to ``wait`` seconds, asking again every ``POLL_SECONDS``, and then reads from the primary,
which holds the newest. A command, and anything a command reads, uses the primary: only a safe
request (GET, HEAD) is routed at all, and what writes (the projections, idempotency, advisory
locks, the log) never sees this module.

``RoutedView`` stands where the read resources expect the oversight view: each call goes to the
view chosen for the request the calling thread serves (chosen at its first read, then kept for
the whole request, so that one answer is made from one server), or to the primary's outside a
request. A standby that fails is left aside for ``DOWN_SECONDS``; a query it cancels to replay the
primary's changes is made again on the primary.
"""

from __future__ import annotations

import contextvars
import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar, cast

import psycopg
import psycopg.errors
from eventsourcing.persistence import InterfaceError, OperationalError

_log = logging.getLogger("thucthi.standbys")
POLL_SECONDS = 0.01  # how often a waiting request asks a lagging standby again
FRESH_SECONDS = 0.05  # a standby's position known this recently is not asked again
DOWN_SECONDS = 5.0  # a standby that failed is left aside this long
DEFAULT_WAIT = 0.25  # seconds a request waits for a standby before reading from the primary
LOST = (psycopg.OperationalError, psycopg.InterfaceError, OperationalError, InterfaceError)


def replay_conflict(error: BaseException) -> bool:
    """A standby's query cancelled because replaying the primary's changes needed its rows
    (``max_standby_streaming_delay``): the standby is sound, the query is made elsewhere."""
    cause = error.__cause__ if error.__cause__ is not None else error
    return isinstance(cause, psycopg.errors.SerializationFailure)


class Positioned(Protocol):
    """What routing asks of a read model: where it stands (``readmodels``' views)."""

    def position(self) -> int: ...


V = TypeVar("V", bound=Positioned)


class Standby(Generic[V]):
    """One hot standby: the read models as it holds them, and how far they stand."""

    def __init__(self, name: str, view: V, close: Callable[[], None]) -> None:
        self.name, self.view, self.close = name, view, close
        self._position = -1  # -1: not known
        self._asked = float("-inf")
        self._down_until = float("-inf")
        self._lock = threading.Lock()

    def position(self, *, now: float, fresh: float = FRESH_SECONDS) -> int:
        """Its read models' position, asked again if not known within ``fresh`` seconds; -1
        while it is left aside, or failing."""
        if now < self._down_until:
            return -1
        if now - self._asked < fresh:
            return self._position
        with self._lock:
            if now - self._asked < fresh:  # another thread asked meanwhile
                return self._position
            try:
                self._position = self.view.position()
            except LOST as e:
                self.failed(e, now=now)
                return -1
            self._asked = now
            return self._position

    def failed(self, error: BaseException, *, now: float) -> None:
        _log.warning("standby %s left aside for %.0f s: %s", self.name, DOWN_SECONDS, error)
        self._down_until = now + DOWN_SECONDS
        self._position = -1
        self._asked = float("-inf")


@dataclass(slots=True)
class Request:
    """What routing knows of the request being served: the position it needs, whether it may
    read from a standby at all, and once its first read chose, where and at which position."""

    needed: int
    safe: bool
    standby: Standby[Any] | None = None
    position: int | None = None  # of the view chosen; None until the first read
    waited: float = 0.0
    chosen: bool = field(default=False)
    written: int | None = None  # the position a command of the request stored at, if said


_REQUEST: contextvars.ContextVar[Request | None] = contextvars.ContextVar(
    "thucthi_read_request", default=None
)


@dataclass(slots=True)
class Counts:
    """How reads were routed, for /metrics and the tests."""

    standby: int = 0
    waited: int = 0  # of those, after waiting for the standby to replay far enough
    wait_seconds: float = 0.0  # waited in all, by reads from a standby or the primary
    primary: int = 0  # safe requests that fell back on the primary after waiting
    writes: int = 0  # unsafe requests, always on the primary


class ReadRouting(Generic[V]):
    """Chooses, per request, the view its reads go to (module text); ``view`` stands for the
    chosen one."""

    def __init__(
        self,
        primary: V,
        standbys: Sequence[Standby[V]],
        *,
        primary_position: Callable[[], int],
        wait: float = DEFAULT_WAIT,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.primary = primary
        self.standbys = list(standbys)
        self.primary_position = primary_position
        self.wait = wait
        self.clock, self.sleep = clock, sleep
        self.counts = Counts()
        self.view: V = cast("V", RoutedView(self))

    def begin(self, needed: int, *, safe: bool) -> contextvars.Token[Request | None]:
        """A request starts in this thread, needing ``needed`` (0: nothing in particular)."""
        return _REQUEST.set(Request(max(needed, 0), safe))

    def end(self, token: contextvars.Token[Request | None]) -> None:
        _REQUEST.reset(token)

    def current(self) -> Request | None:
        return _REQUEST.get()

    def chosen(self) -> tuple[V, int | None]:
        """The view the current request reads from, chosen now if it has not read yet, and the
        position it stands at (None outside a request)."""
        request = _REQUEST.get()
        if request is None:
            return self.primary, None
        if not request.chosen:
            self._choose(request)
        standby = request.standby
        return (self.primary if standby is None else cast("V", standby.view)), request.position

    def wrote(self, position: int) -> None:
        """The current request's command stored its events up to ``position``."""
        request = _REQUEST.get()
        if request is not None:
            request.written = max(request.written or 0, position)

    def written(self) -> int | None:
        """The position the current request's command said it stored at, if it said."""
        request = _REQUEST.get()
        return None if request is None else request.written

    def served(self) -> int | None:
        """The position the current request's reads were made at, if it read."""
        request = _REQUEST.get()
        return None if request is None or not request.chosen else request.position

    def _choose(self, request: Request) -> None:
        request.chosen = True
        if not request.safe or not self.standbys:
            if not request.safe:
                self.counts.writes += 1
            request.position = self.primary_position()
            return
        primary = self.primary_position()
        if request.needed > primary:
            # Not even the primary is known to stand there yet (nor a position beyond the log,
            # which a caller could name to hold a thread): no standby can, so no waiting.
            self.counts.primary += 1
            request.position = primary
            return
        started = self.clock()
        deadline = started + self.wait
        fresh = FRESH_SECONDS
        while True:
            now = self.clock()
            ready = [
                (standby, position)
                for standby in self.standbys
                if (position := standby.position(now=now, fresh=fresh)) >= request.needed
            ]
            if ready:
                request.standby, request.position = random.choice(ready)  # noqa: S311 - spread, not secrecy
                request.waited = now - started
                self.counts.standby += 1
                if request.waited > 0:
                    self.counts.waited += 1
                    self.counts.wait_seconds += request.waited
                return
            if now >= deadline:
                break
            fresh = POLL_SECONDS  # while waiting, ask again at each look (threads share one)
            self.sleep(min(POLL_SECONDS, max(deadline - now, 0.0)))
        self.counts.primary += 1
        request.waited = self.clock() - started
        self.counts.wait_seconds += request.waited
        request.position = self.primary_position()

    def failed(self, error: BaseException) -> None:
        """The current request's standby failed it: the request reads on from the primary
        (newer than the standby, so never older than what the request needs), and unless the
        standby only cancelled a query to replay, it is left aside."""
        request = _REQUEST.get()
        if request is None or request.standby is None:
            return
        if not replay_conflict(error):
            request.standby.failed(error, now=self.clock())
        request.standby = None

    def close(self) -> None:
        for standby in self.standbys:
            standby.close()


class RoutedView:
    """The oversight view as the read resources see it: every attribute is the chosen view's
    (``ReadRouting.chosen``). A method that loses its standby's connection, or whose query the
    standby cancelled to replay, is called again on the primary."""

    def __init__(self, routing: ReadRouting[Any]) -> None:
        self._routing = routing

    def position(self, application_name: str = "Thucthi") -> int:
        """Where the chosen view stands, as known when it was chosen: what an answer made from
        it is kept under (``api.fastpath``)."""
        view, position = self._routing.chosen()
        return view.position() if position is None else position

    def __getattr__(self, name: str) -> Any:
        routing = self._routing
        view, _ = routing.chosen()
        found = getattr(view, name)
        if not callable(found) or view is routing.primary:
            return found

        def on_primary_if_lost(*args: Any, **kwargs: Any) -> Any:
            try:
                return found(*args, **kwargs)
            except LOST as e:
                routing.failed(e)
                return getattr(routing.primary, name)(*args, **kwargs)

        return on_primary_if_lost
