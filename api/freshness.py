"""What changed in the database, from PostgreSQL's notifications rather than a query per request.

Every request used to ask the database two small questions: has this user's account changed
(a revoked token, a disabled user), and where do the read models stand (the key of the cached
oversight answers). On PostgreSQL a worker now listens instead, on one connection of its own:

- the library's recorder NOTIFYs ``<events table>`` whenever events are stored: each one bumps
  ``generation``, and an account is looked at again only when the generation moved since;
- the oversight projection NOTIFYs its channel with the position it wrote, in the same
  transaction, so ``position`` is the read models' position as soon as they commit.

Notifications arrive when the writer's transaction commits, about a millisecond later. While the
listener is not connected (starting, or after losing its connection) nothing is known and every
request asks the database again, as before; after reconnecting it starts from fresh answers.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import psycopg
from psycopg import sql

from api.config import Database
from domain.application import Thucthi
from readmodels.postgres import PostgresOversightView

_log = logging.getLogger("thucthi.freshness")
RETRY_SECONDS = 1.0


class Freshness:
    """Listens in a daemon thread; ``generation()`` and ``position()`` are None when unknown."""

    def __init__(
        self,
        conninfo: str,
        *,
        events_channel: str,
        view_channel: str,
        read_position: Callable[[], int],
    ) -> None:
        self.conninfo = conninfo
        self.events_channel = events_channel
        self.view_channel = view_channel
        self.read_position = read_position
        self._generation = 0
        self._position = 0
        self._live = False
        self._lock = threading.Lock()
        self._moved = threading.Condition(self._lock)  # notified when the position moves on
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="freshness", daemon=True)

    def start(self) -> Freshness:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def generation(self) -> int | None:
        """A number that changes whenever events may have been stored; None: ask every time."""
        with self._lock:
            return self._generation if self._live else None

    def position(self) -> int | None:
        """The read models' position as last notified; None: ask the database."""
        with self._lock:
            return self._position if self._live else None

    def wait_for(self, position: int, timeout: float) -> bool:
        """Block until the read models are known to stand at ``position`` or later; False if
        they did not within ``timeout`` seconds, or nothing is known (not listening)."""
        with self._moved:
            return self._live and self._moved.wait_for(
                lambda: self._live and self._position >= position, timeout=timeout
            )

    def reached(self, position: int) -> None:
        """This worker saw the read models reach ``position`` itself (read-your-writes)."""
        with self._lock:
            self._position = max(self._position, position)
            self._moved.notify_all()

    def wait_live(self, timeout: float) -> bool:
        """For tests and start-up: block until listening, or give up after ``timeout``."""
        waited = 0.0
        while waited < timeout:
            if self.generation() is not None:
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
                self._generation += 1  # whatever was learnt before may be stale now
            self._stop.wait(RETRY_SECONDS)

    def _listen(self) -> None:
        with psycopg.connect(self.conninfo, autocommit=True) as conn:
            for channel in (self.events_channel, self.view_channel):
                conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(channel)))
            position = self.read_position()  # after LISTEN: nothing committed later is missed
            with self._lock:
                self._generation += 1
                self._position = position
                self._live = True
                self._moved.notify_all()
            while not self._stop.is_set():
                for notice in conn.notifies(timeout=1.0):
                    if notice.channel != self.view_channel:
                        with self._lock:
                            self._generation += 1
                    elif notice.payload.isdigit():
                        with self._lock:
                            self._position = max(self._position, int(notice.payload))
                            self._moved.notify_all()
                    else:  # the tables were replaced by a rebuild: ask where they stand now
                        position = self.read_position()
                        with self._lock:
                            self._position = position
                            self._moved.notify_all()


def listen(database: Database, service: Thucthi, view: PostgresOversightView) -> Freshness:
    """A started listener for this application's events and this view's positions."""
    return Freshness(
        database.conninfo(),
        events_channel=service.recorder.channel_name,  # type: ignore[attr-defined]
        view_channel=view.notify_channel,
        read_position=view.position,
    ).start()
