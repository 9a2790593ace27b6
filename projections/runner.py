"""Driving the projections: catch-up in batches, following the log, rebuilding, status.

On PostgreSQL the live follower catches up each time the log's channel is NOTIFYed (one LISTEN
connection; eventsourcing's ``ProjectionRunner`` held a second application and view, each with
a pool of its own, and died with its connection); SQLite cannot notify, so there the same
projection is driven by a polling catch-up loop. Catch-up reads pages of notifications and
writes each page in one transaction with one tracking position.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import random
import socket
import sqlite3
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import cast

import psycopg
from eventsourcing.persistence import InterfaceError, OperationalError, Tracking

from adapters.follower import Heartbeat
from adapters.recorder import saves_heard
from domain.application import Thucthi
from projections.audit import AuditProjection
from projections.oversight import (
    DEFAULT_BATCH,
    OversightProjection,
    catch_up,
)
from projections.rebuild import HELD_ROWS, Share, rebuild_into, rebuild_petitions
from readmodels.audit import AuditStore
from readmodels.open import OversightView, open_view
from readmodels.postgres import PostgresOversightView

PROJECTIONS = ("oversight",)  # what `projections rebuild` rebuilds
POLL_SECONDS = 0.05
AUDIT_POLL_SECONDS = 0.1
MAX_WORKERS = 4  # processes of a PostgreSQL rebuild
CHECKPOINT_SECONDS = 10.0  # an idle log's tail is signed at most this long after it was written
LISTEN_SECONDS = 1.0  # the longest the PostgreSQL follower waits for a notification
BEAT_SECONDS = 1.0  # how often a following follower says so
UPKEEP_SECONDS = 600.0  # how often the follower's upkeep runs (the log's partitions kept ahead)
BACKOFF_FIRST = 0.1  # seconds before beginning again after losing the database, doubling ...
BACKOFF_MOST = 5.0  # ... up to this
# Losing the database, rather than anything wrong in what is projected: begin again.
RECONNECTABLE = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
    sqlite3.OperationalError,
)
_log = logging.getLogger("thucthi.follower")


class ProjectionLagError(TimeoutError):
    """The read models did not reach a position in time."""


@dataclass(frozen=True, slots=True)
class ProjectionStatus:
    name: str
    position: int
    head: int

    @property
    def lag(self) -> int:
        return max(self.head - self.position, 0)


class Backoff:
    """Pauses before beginning again: doubling from ``first`` up to ``most``, each drawn at random
    from its upper half so that processes that failed together do not retry together."""

    def __init__(self, first: float, most: float, rng: random.Random | None = None) -> None:
        self.first = first
        self.most = most
        self.rng = rng or random.Random()  # noqa: S311 - spreading retries, not a secret
        self.failures = 0

    def next(self) -> float:
        ceiling = min(self.most, self.first * 2 ** min(self.failures, 32))
        self.failures += 1
        return self.rng.uniform(ceiling / 2, ceiling)

    def reset(self) -> None:
        self.failures = 0


class Follower:
    """Keeps the oversight view, and the audit trail if given, following the log until stopped.

    Each follows in a thread of its own and begins again, with back-off, from its own tracking
    position whenever it loses the database (a terminated backend, a restarted server, a network
    cut); any other failure stops the follower, is kept in ``error`` and raised by
    ``run_until_stopped``, and the process exits for whoever supervises it to start again. While
    both follow, a third thread beats the follower's heartbeat row (``adapters.follower``), which
    the API's readiness reads, and runs ``upkeep`` at its start and every ``UPKEEP_SECONDS``
    (on PostgreSQL: a partition of the log kept ready ahead of its head).
    """

    def __init__(
        self,
        app: Thucthi,
        view: OversightView,
        *,
        batch_size: int = DEFAULT_BATCH,
        audit: AuditProjection | None = None,
        heartbeat: Heartbeat | None = None,
        upkeep: Callable[[], object] | None = None,
        checkpoint_seconds: float = CHECKPOINT_SECONDS,
        backoff: Callable[[], Backoff] = lambda: Backoff(BACKOFF_FIRST, BACKOFF_MOST),
    ) -> None:
        self.app = app
        self.audit = audit
        self.checkpoint_seconds = checkpoint_seconds
        self.view = view
        self.projection = OversightProjection(self.view)
        self.batch_size = batch_size
        self.backoff = backoff
        self.heartbeat = heartbeat
        self.upkeep = upkeep
        self.error: BaseException | None = None
        self.reconnects = 0  # times a thread lost the database and began again
        self._reported = 0  # of which the heartbeat row has been told
        self._failing: set[str] = set()  # the threads waiting to begin again
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads = [
            threading.Thread(target=self._run, name="oversight-follower", daemon=True),
            threading.Thread(target=self._run_audit, name="audit-follower", daemon=True),
            threading.Thread(target=self._beat, name="follower-heartbeat", daemon=True),
        ]
        if audit is None:
            del self._threads[1]

    def start(self) -> Follower:
        for thread in self._threads:
            thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        for thread in self._threads:
            if thread.is_alive():
                thread.join(timeout)

    def run_until_stopped(self) -> None:
        """Follow in this thread (``thucthi projections run``); the rest in others."""
        for thread in self._threads[1:]:
            thread.start()
        try:
            self._run()
        finally:
            self._stop.set()
            for thread in self._threads[1:]:
                thread.join()
        if self.error is not None:
            raise self.error

    def request_stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        if isinstance(self.view, PostgresOversightView):
            self._keep_following("oversight", self._listen)
        else:
            self._keep_following("oversight", self._poll)

    def _run_audit(self) -> None:
        self._keep_following("audit", self._follow_audit)

    def _keep_following(self, name: str, follow: Callable[[Callable[[], None]], None]) -> None:
        """``follow(healthy)`` until stopped, beginning again after losing the database;
        ``healthy()`` is called after each round that went well."""
        backoff = self.backoff()

        def healthy() -> None:
            if name in self._failing:
                with self._lock:
                    self._failing.discard(name)
            backoff.reset()

        while not self._stop.is_set():
            try:
                follow(healthy)
            except RECONNECTABLE as e:
                with self._lock:
                    self._failing.add(name)
                    self.reconnects += 1
                pause = backoff.next()
                _log.warning(
                    "%s: mất kết nối cơ sở dữ liệu, chạy lại sau %.1f giây / lost the database, "
                    "beginning again in %.1f s: %s",
                    name,
                    pause,
                    pause,
                    _first_line(e),
                )
                self._stop.wait(pause)
            except BaseException as e:  # kept for whoever stops the follower; the others stop too
                self.error = e
                self._stop.set()
                raise

    def _poll(self, healthy: Callable[[], None]) -> None:
        while not self._stop.is_set():
            done = catch_up(self.app, self.projection, batch_size=self.batch_size, stop=self._stop)
            healthy()
            if not done:
                self._stop.wait(POLL_SECONDS)

    def _listen(self, healthy: Callable[[], None]) -> None:
        """Catch up whenever the log's channel says events were stored (each save NOTIFYs it),
        and at least every ``LISTEN_SECONDS``."""
        with saves_heard(self.app.recorder) as heard:
            while not self._stop.is_set():
                # After LISTEN: whatever commits from now on is heard, so nothing is missed.
                catch_up(self.app, self.projection, batch_size=self.batch_size, stop=self._stop)
                healthy()
                heard(LISTEN_SECONDS)

    def _follow_audit(self, healthy: Callable[[], None]) -> None:
        assert self.audit is not None  # noqa: S101 - only started with one
        while not self._stop.is_set():
            done = self.audit.catch_up(batch_size=self.batch_size, stop=self._stop)
            self.audit.sign_if_due(self.checkpoint_seconds)
            healthy()
            if not done:
                self._stop.wait(AUDIT_POLL_SECONDS)

    def _beat(self) -> None:
        """Say in the database that this follower is alive, while no thread is failing."""
        heartbeat = self.heartbeat
        if heartbeat is None:
            return
        pid, host = os.getpid(), socket.gethostname()
        started = False
        upkept = -UPKEEP_SECONDS
        while not self._stop.is_set():
            if self.upkeep is not None and time.monotonic() - upkept >= UPKEEP_SECONDS:
                try:
                    self.upkeep()
                    upkept = time.monotonic()
                except RECONNECTABLE as e:
                    _log.warning("bảo trì / upkeep: %s", _first_line(e))
            with self._lock:
                failing = bool(self._failing)
                reconnects = self.reconnects - self._reported
            try:
                if not started:
                    heartbeat.started(pid, host)
                    started = True
                elif not failing:
                    heartbeat.beat(pid, host, reconnects)
                    self._reported += reconnects
            except RECONNECTABLE as e:
                _log.warning("nhịp tim / follower heartbeat: %s", _first_line(e))
            self._stop.wait(BEAT_SECONDS)


def _first_line(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0]


def status(
    app: Thucthi, view: OversightView, trail: AuditStore | None = None
) -> list[ProjectionStatus]:
    """Where each projection stands against the head of the log: the oversight read models and,
    if given, the audit trail."""
    head = app.max_notification_id()
    found = [ProjectionStatus("oversight", view.max_tracking_id(app.name) or 0, head)]
    if trail is not None:
        found.append(ProjectionStatus("audit", trail.max_tracking_id(app.name), head))
    return found


def wait_for(view: OversightView, app_name: str, position: int, timeout: float = 5.0) -> None:
    """Read-your-writes: block until the view has processed ``position``, or raise after timeout."""
    deadline = time.monotonic() + timeout
    pause = 0.002
    while (view.max_tracking_id(app_name) or 0) < position:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            msg = f"the read models did not reach position {position} within {timeout:.1f} s"
            raise ProjectionLagError(msg)
        time.sleep(min(pause, remaining))
        pause = min(pause * 2, 0.05)


def rebuild(
    app: Thucthi,
    *,
    batch_size: int = DEFAULT_BATCH,
    hold: int = HELD_ROWS,
    workers: int | None = None,
) -> int:
    """Project the whole log into fresh tables, then swap them in at once; events projected.

    The old view keeps answering (and a follower keeps updating it) until the swap; see
    ``projections.rebuild`` for how the fresh one is written. On PostgreSQL the log is split by
    aggregate across ``workers`` processes (default: one per core, at most ``MAX_WORKERS``),
    each writing its share's rows; SQLite has one writer, so one process does it all. The rebuild
    covers the log up to its head when it started; a follower takes it on from there.
    """
    fresh = open_view(app, prefix="oversight_next", create=False)
    fresh.drop_tables()
    fresh.create_table(indexes=False)
    stop = app.max_notification_id()
    if not isinstance(fresh, PostgresOversightView):
        done = rebuild_into(app, fresh, stop=stop, batch_size=batch_size, hold=hold)
    else:
        count = workers or min(os.cpu_count() or 1, MAX_WORKERS)
        if count == 1:
            done = rebuild_into(
                app, fresh, stop=stop, batch_size=batch_size, hold=hold, background=True
            )
        else:
            done = _rebuild_in_processes(app, stop, count, batch_size, hold)
    rebuild_petitions(app, fresh, stop=stop, batch_size=batch_size)
    fresh.finish(Tracking(app.name, stop) if stop else None)
    open_view(app).replace_with(fresh)
    return done


def _rebuild_in_processes(app: Thucthi, stop: int, count: int, batch_size: int, hold: int) -> int:
    # Spawned, not forked: the parent holds connection pools and threads.
    context = multiprocessing.get_context("spawn")
    env = dict(app.env)
    with ProcessPoolExecutor(count, mp_context=context) as pool:
        shares = [
            pool.submit(
                _rebuild_share, env, Share(i, count), stop, batch_size, max(hold // count, 1)
            )
            for i in range(count)
        ]
        finished, _ = wait(shares, return_when=FIRST_EXCEPTION)
        failed = [f for f in finished if f.exception() is not None]
        if failed:
            for process in multiprocessing.active_children():
                process.terminate()  # the other shares' work is of no use now
            raise cast(BaseException, failed[0].exception())
        return sum(f.result() for f in shares)


def _rebuild_share(env: dict[str, str], share: Share, stop: int, batch_size: int, hold: int) -> int:
    """One worker process's share of a rebuild."""
    app = Thucthi({**env, "CREATE_TABLE": "no"})
    try:
        view = open_view(app, prefix="oversight_next", create=False)
        return rebuild_into(
            app, view, stop=stop, share=share, batch_size=batch_size, hold=hold, background=True
        )
    finally:
        app.close()
