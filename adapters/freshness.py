"""What changed in the database, from PostgreSQL's notifications rather than a query per request.

Every request used to ask the database small questions: has this user's account changed (a
revoked token, a disabled user), is the directive a command is about still as this worker last
saved it, and where do the read models stand (the key of the cached oversight answers). On
PostgreSQL a worker now listens instead, on one connection of its own:

- the recorder (``adapters.recorder``) NOTIFYs ``<events table>_saved_<schema>`` with the
  aggregates each transaction saved and their new versions: the worker remembers the latest
  version heard of per aggregate, and an account, the unit registry or a directive it holds is
  read again only when a later version was heard of (the domain's ``ChangeFeed``: ``mark`` and
  ``unchanged``);
- the oversight projection NOTIFYs its channel with the position it wrote, in the same
  transaction, so ``position`` is the read models' position as soon as they commit.

Notifications arrive when the writer's transaction commits, about a millisecond later. While the
listener is not connected (starting, or after losing its connection) nothing is known and every
request asks the database again, as before; after reconnecting it starts from fresh answers.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import threading
from collections.abc import Callable, Hashable
from uuid import UUID

import psycopg
from psycopg import sql

from adapters.recorder import EVERYTHING

_log = logging.getLogger("thucthi.freshness")
RETRY_SECONDS = 1.0
VERSIONS_KEPT = 100_000  # aggregates whose latest heard-of version is kept (~15 MB at most)


class Freshness:
    """Listens in a daemon thread; ``mark()`` and ``position()`` are None when nothing is known.

    A mark is the epoch of the versions heard of. It moves on, and every earlier mark stops
    vouching for anything, when the listener (re)connects (it may have missed saves meanwhile),
    hears ``*``, or forgets the versions it holds to stay within ``VERSIONS_KEPT``.
    """

    def __init__(self, conninfo: str) -> None:
        """Made before the application, whose change feed it is; ``start`` it once the log's and
        the view's channels are known."""
        self.conninfo = conninfo
        self.saved_channel = self.view_channel = ""
        self.read_position: Callable[[], int] = lambda: 0
        self._versions: dict[str, int] = {}  # aggregate id (hex) -> latest version heard of
        self._epoch = 0
        self._position = 0
        self._live = False
        self._lock = threading.Lock()
        # Threads waiting for a position: each is woken only once it is reached (a condition
        # woke all of them at every position, a dozen wake-ups per worker per batch projected).
        self._waiting: list[tuple[int, int, threading.Event]] = []  # a heap by position
        self._waiters = itertools.count()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="freshness", daemon=True)

    def start(
        self, *, saved_channel: str, view_channel: str, read_position: Callable[[], int]
    ) -> Freshness:
        """Listen for the saves on ``saved_channel`` (``adapters.recorder.saved_channel``) and the
        positions the view NOTIFYs on ``view_channel``; ``read_position`` asks the view."""
        self.saved_channel, self.view_channel = saved_channel, view_channel
        self.read_position = read_position
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def close(self) -> None:
        self.stop()

    def mark(self) -> Hashable | None:
        """Taken before reading an aggregate from the database; None: nothing is known now."""
        with self._lock:
            return self._epoch if self._live else None

    def unchanged(self, aggregate_id: UUID, version: int, mark: Hashable) -> bool:
        """No version of the aggregate after ``version`` was heard of since ``mark``."""
        key = aggregate_id.hex
        with self._lock:
            return self._live and mark == self._epoch and self._versions.get(key, 0) <= version

    def heard(self, payload: str) -> None:
        """A ``_saved`` notification's payload (``adapters.recorder``)."""
        with self._lock:
            if payload == EVERYTHING or len(self._versions) >= VERSIONS_KEPT:
                self._forget_versions()
                if payload == EVERYTHING:
                    return
            versions = self._versions
            for item in payload.split(","):
                key, _, number = item.partition(":")
                version = int(number)
                if version > versions.get(key, 0):
                    versions[key] = version

    def _forget_versions(self) -> None:
        self._versions.clear()
        self._epoch += 1

    def position(self) -> int | None:
        """The read models' position as last notified; None: ask the database."""
        with self._lock:
            return self._position if self._live else None

    def wait_for(self, position: int, timeout: float) -> bool:
        """Block until the read models are known to stand at ``position`` or later; False if
        they did not within ``timeout`` seconds, or nothing is known (not listening)."""
        with self._lock:
            if not self._live:
                return False
            if self._position >= position:
                return True
            reached = threading.Event()
            heapq.heappush(self._waiting, (position, next(self._waiters), reached))
        reached.wait(timeout)
        with self._lock:
            return self._live and self._position >= position

    def reached(self, position: int) -> None:
        """This worker saw the read models reach ``position`` itself (read-your-writes)."""
        with self._lock:
            self._moved_to(position)

    def _moved_to(self, position: int) -> None:
        """The read models stand at ``position`` (lock held): wake whoever waited for it."""
        self._position = max(self._position, position)
        waiting = self._waiting
        while waiting and waiting[0][0] <= self._position:
            heapq.heappop(waiting)[2].set()

    def _wake_all(self) -> None:
        """Listening stopped (lock held): every waiter returns at once, knowing nothing."""
        for _, _, reached in self._waiting:
            reached.set()
        self._waiting.clear()

    def wait_live(self, timeout: float) -> bool:
        """For tests and start-up: block until listening, or give up after ``timeout``."""
        waited = 0.0
        while waited < timeout:
            if self.mark() is not None:
                return True
            self._stop.wait(0.01)
            waited += 0.01
        return False

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._listen()
            except Exception as e:  # whatever failed, stop trusting what was learnt
                _log.warning("freshness: listening failed, asking the database meanwhile: %s", e)
            with self._lock:
                self._live = False
                self._forget_versions()  # saves made while not listening were not heard of
                self._wake_all()
            self._stop.wait(RETRY_SECONDS)

    def _listen(self) -> None:
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            for channel in (self.saved_channel, self.view_channel):
                conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
            position = self.read_position()  # after LISTEN: nothing committed later is missed
            with self._lock:
                self._forget_versions()  # only what is heard from now on vouches for anything
                self._position = position
                self._live = True
                self._moved_to(position)
            while not self._stop.is_set():
                for notice in conn.notifies(timeout=1.0):
                    if notice.channel == self.saved_channel:
                        self.heard(notice.payload)
                    elif notice.payload.isdigit():
                        with self._lock:
                            self._moved_to(int(notice.payload))
                    else:  # the tables were replaced by a rebuild: ask where they stand now
                        position = self.read_position()
                        with self._lock:
                            self._position = position  # a rebuild may stand before the old
                            self._moved_to(position)
