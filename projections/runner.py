"""Driving the oversight projection: catch-up in batches, following the log, rebuilding, status.

On PostgreSQL the live follower is eventsourcing's ``ProjectionRunner`` (LISTEN/NOTIFY); SQLite's
recorder cannot subscribe, so there the same projection is driven by a polling catch-up loop.
Catch-up (first start, rebuild, SQLite polling) reads pages of notifications and writes each page
in one transaction with one tracking position.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Mapping
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.projection import ProjectionRunner
from eventsourcing.sqlite import SQLiteDatastore

from domain.application import Thucthi
from projections.oversight import (
    DEFAULT_BATCH,
    OversightProjection,
    ProjectingThucthi,
    catch_up,
)
from projections.rebuild import HELD_ROWS, Share, rebuild_into
from readmodels.postgres import PostgresOversightView
from readmodels.sqlite import SQLiteOversightView

OversightView = SQLiteOversightView | PostgresOversightView
if TYPE_CHECKING:
    from projections.audit import AuditProjection

PROJECTIONS = ("oversight",)
POLL_SECONDS = 0.05
AUDIT_POLL_SECONDS = 0.1
MAX_WORKERS = 4  # processes of a PostgreSQL rebuild
CHECKPOINT_SECONDS = 10.0  # an idle log's tail is signed at most this long after it was written


class ReadModelsUnavailableError(RuntimeError):
    """The in-memory backend keeps no read models."""


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


def open_view(app: Thucthi, *, prefix: str = "oversight", create: bool = True) -> OversightView:
    """The oversight view in the application's own database (tables created if missing)."""
    datastore = getattr(app.factory, "datastore", None)
    if isinstance(datastore, SQLiteDatastore):
        sqlite_view = SQLiteOversightView(datastore, prefix=prefix)
        if create:
            sqlite_view.create_table()
        return sqlite_view
    if isinstance(datastore, PostgresDatastore):
        postgres_view = PostgresOversightView(datastore, tracking_table_name=f"{prefix}_tracking")
        if create:
            postgres_view.create_table()
        return postgres_view
    msg = "read models need SQLite or PostgreSQL; memory:// keeps only events"
    raise ReadModelsUnavailableError(msg)


class Follower:
    """Keeps the oversight view following the log in a background thread until stopped."""

    def __init__(
        self,
        app: Thucthi,
        *,
        env: Mapping[str, str],
        batch_size: int = DEFAULT_BATCH,
        audit: AuditProjection | None = None,
        checkpoint_seconds: float = CHECKPOINT_SECONDS,
    ) -> None:
        """``env`` is the application's eventsourcing settings, for the PostgreSQL runner;
        ``audit``, if given, is kept following too, in a thread of its own."""
        self.app = app
        self.audit = audit
        self.checkpoint_seconds = checkpoint_seconds
        self._audit_thread = threading.Thread(
            target=self._run_audit, name="audit-follower", daemon=True
        )
        self.env = dict(env)
        self.view = open_view(app)
        self.projection = OversightProjection(self.view)
        self.batch_size = batch_size
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="oversight-follower", daemon=True)

    def start(self) -> Follower:
        self._thread.start()
        if self.audit is not None:
            self._audit_thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._thread.join(timeout)
        if self._audit_thread.is_alive():
            self._audit_thread.join(timeout)

    def run_until_stopped(self) -> None:
        """Follow in this thread (``thucthi projections run``); the audit trail in another."""
        if self.audit is not None:
            self._audit_thread.start()
        try:
            self._run()
        finally:
            self._stop.set()
            if self._audit_thread.is_alive():
                self._audit_thread.join()
        if self.error is not None:
            raise self.error

    def _run_audit(self) -> None:
        assert self.audit is not None  # noqa: S101 - only started with one
        try:
            while not self._stop.is_set():
                done = self.audit.catch_up(batch_size=self.batch_size, stop=self._stop)
                self.audit.sign_if_due(self.checkpoint_seconds)
                if not done:
                    self._stop.wait(AUDIT_POLL_SECONDS)
        except BaseException as e:  # kept for whoever stops the follower; the other stops too
            self.error = e
            self._stop.set()
            raise

    def request_stop(self) -> None:
        self._stop.set()

    def _run(self) -> None:
        try:
            catch_up(self.app, self.projection, batch_size=self.batch_size, stop=self._stop)
            if isinstance(self.view, PostgresOversightView):
                self._follow_with_runner()
            else:
                self._poll()
        except BaseException as e:  # the thread's failure is kept for whoever stops it
            self.error = e
            raise

    def _poll(self) -> None:
        while not self._stop.is_set():
            if not catch_up(self.app, self.projection, batch_size=self.batch_size, stop=self._stop):
                self._stop.wait(POLL_SECONDS)

    def _follow_with_runner(self) -> None:
        runner: ProjectionRunner[Thucthi, Any] = ProjectionRunner(
            application_class=ProjectingThucthi,  # never stops on a record it cannot decode
            projection_class=cast(Any, OversightProjection),
            view_class=PostgresOversightView,
            env=self.env,
        )
        # The runner delivers each new event; the projection answers the first of a burst by
        # catching up in batches from its own position, and skips those already projected.
        cast(OversightProjection, runner.projection).source = runner.app
        with runner:
            while not self._stop.is_set():
                runner.run_forever(timeout=0.2)
                if runner.is_interrupted.is_set():
                    break


def status(app: Thucthi, view: OversightView) -> list[ProjectionStatus]:
    head = app.max_notification_id()
    return [ProjectionStatus("oversight", view.max_tracking_id(app.name) or 0, head)]


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
