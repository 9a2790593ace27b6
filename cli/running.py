"""``thucthi serve`` and ``thucthi projections …``: the server, and the follower that keeps the
read models and the audit trail up with the log."""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, TextIO

from adapters.idempotency import open_store as open_idempotency
from api.server import Supervisor, serve
from bootstrap import DATABASE_URL_VARIABLE, FOLLOWER_OF_VARIABLE, Process, Services
from cli.common import (
    OPENED,
    CliError,
    opened,
    positive_int,
    settings_of,
    signer_of,
    trail_of,
    view_of,
)
from projections.audit import AuditProjection
from projections.oversight import DEFAULT_BATCH
from projections.runner import PROJECTIONS, Follower, rebuild, status

# On PostgreSQL a worker's requests mostly wait on the database, so several are served at once;
# SQLite serialises writers and its threads contend for one file, so there one at a time.
POSTGRES_THREADS = 16
_SKIPPED_SHOWN = 20  # positions of skipped events named by ``projections status``


def add_commands(sub: Any) -> None:
    projections = sub.add_parser("projections", help="run, rebuild or inspect the read models")
    projection_commands = projections.add_subparsers(dest="action", required=True, metavar="ACTION")
    run = projection_commands.add_parser("run", help="follow the log until stopped (SIGTERM)")
    run.add_argument("--batch", type=positive_int, default=DEFAULT_BATCH, metavar="N")
    run.set_defaults(handler=projections_run_command)
    rebuild_parser = projection_commands.add_parser(
        "rebuild", help="project the whole log into fresh tables, then swap them in"
    )
    rebuild_parser.add_argument("name", nargs="?", choices=PROJECTIONS, default="oversight")
    rebuild_parser.add_argument("--batch", type=positive_int, default=DEFAULT_BATCH, metavar="N")
    rebuild_parser.set_defaults(handler=projections_rebuild_command)
    status_parser = projection_commands.add_parser("status", help="position and lag per projection")
    status_parser.set_defaults(handler=projections_status_command)

    serve_parser = sub.add_parser(
        "serve", help="serve the web application (and keep projections following)"
    )
    serve_parser.add_argument("--host", default="127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8000)
    serve_parser.add_argument(
        "--workers", type=positive_int, default=os.cpu_count() or 1, help="default: one per core"
    )
    serve_parser.add_argument(
        "--threads",
        type=positive_int,
        default=None,
        help="requests served at once per worker (default: 1 on SQLite, "
        f"{POSTGRES_THREADS} on PostgreSQL)",
    )
    serve_parser.set_defaults(handler=serve_command)


def refuse_busy_port(host: str, port: int) -> None:
    """granian listens with SO_REUSEPORT, so a second server on a port in use would start and
    silently share its connections; refuse instead, before opening anything."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is not "in use"
        try:
            probe.bind((host, port))
        except OSError as e:
            raise CliError(f"cannot serve on {host}:{port}: {e.strerror}") from None


def serve_command(args: argparse.Namespace, out: TextIO) -> int:
    refuse_busy_port(args.host, args.port)
    # Everything the workers and the follower will open exists before they start: the tables,
    # the unit registry, the signing key (the workers create nothing).
    memory = settings_of(args).database.backend == "memory"
    services = opened(
        args, process=Process.SERVE, read_models=True, signer="none" if memory else "create"
    )
    settings, database = services.settings, services.database
    services.app.open_city_registry()
    services.keep_log_ahead()
    open_idempotency(
        getattr(services.app.factory, "datastore", None),
        events_table=getattr(services.app.recorder, "events_table_name", ""),
        head=services.app.max_notification_id,
    )
    # The server forks its workers: no thread or connection pool of ours may be alive then (a
    # lock held by another thread at the fork stays locked for ever in the child). So the
    # projections follow in a process of their own, and this process closes what it opened;
    # the one thread it keeps only waits on that process.
    OPENED.close()
    threads = args.threads or (POSTGRES_THREADS if database.backend == "postgres" else 1)
    workers = 1 if database.backend == "memory" else args.workers
    if database.backend == "postgres":
        budget = settings.pools.connection_budget(workers=workers)
        print(
            f"kết nối PostgreSQL: tối đa {budget['total']} / PostgreSQL connections: at most "
            f"{budget['total']} ({workers} worker(s) × {budget['worker']}, follower "
            f"{budget['follower']})",
            file=out,
        )
    follower = notifier = None
    if database.backend != "memory":
        # The URL (and its password) goes through the environment: a command line is public.
        env = {
            **os.environ,
            DATABASE_URL_VARIABLE: database.url,
            FOLLOWER_OF_VARIABLE: str(os.getpid()),
        }
        follower = Supervisor(
            [sys.executable, "-m", "cli.main", "projections", "run"], env, err=sys.stderr
        ).start()
        # The notification scheduler, in a process of its own for the same reason; the SMTP
        # password, if any, reaches it through the environment too.
        notifier = Supervisor(
            [sys.executable, "-m", "cli.main", "notify", "run"], env, err=sys.stderr
        ).start()
    try:
        serve(database, host=args.host, port=args.port, workers=workers, threads=threads, out=out)
    finally:
        for supervised in (follower, notifier):
            if supervised is not None:
                supervised.stop()
    return 0


def projections_run_command(args: argparse.Namespace, out: TextIO) -> int:
    services = opened(args, process=Process.FOLLOWER, read_models=True, signer="create")
    database = services.database
    follower = follower_of(services, args.batch)
    signal.signal(signal.SIGTERM, lambda signum, frame: follower.request_stop())
    signal.signal(signal.SIGINT, lambda signum, frame: follower.request_stop())
    parent = services.settings.follower_of
    if parent is not None:  # started by `thucthi serve`: do not outlive it
        stop_when_orphaned(parent, follower.request_stop)
    print(f"following {database.display} from position {follower.view.position()}", file=out)
    out.flush()
    follower.run_until_stopped()
    print(f"stopped at position {follower.view.position()}", file=out)
    return 0


def stop_when_orphaned(parent: int, stop: Callable[[], object]) -> None:
    """``stop()`` once ``parent`` is no longer this process's parent (it died, even by
    SIGKILL, which it could not pass on)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        stop()

    threading.Thread(target=watch, name="orphan-watch", daemon=True).start()


def projections_rebuild_command(args: argparse.Namespace, out: TextIO) -> int:
    app = opened(args).app
    started = time.perf_counter()
    done = rebuild(app, batch_size=args.batch)
    seconds = time.perf_counter() - started
    rate = done / seconds if seconds else 0.0
    print(f"rebuilt {args.name}: {done} events in {seconds:.1f} s = {rate:,.0f} events/s", file=out)
    return 0


def projections_status_command(args: argparse.Namespace, out: TextIO) -> int:
    services = opened(args, read_models=True)
    view = view_of(services)
    for s in status(services.app, view, trail_of(services)):
        print(f"{s.name:<12} position {s.position:>10}  head {s.head:>10}  lag {s.lag}", file=out)
    left_out = view.skipped()
    if left_out:
        shown = ", ".join(str(e.position) for e in left_out[:_SKIPPED_SHOWN])
        more = ", …" if len(left_out) > _SKIPPED_SHOWN else ""
        print(
            f"{'oversight':<12} skipped {len(left_out)} stored events at positions {shown}{more} "
            f"/ bỏ qua {len(left_out)} sự kiện không đưa được vào (docs/oversight.md)",
            file=out,
        )
    return 0


def follower_of(services: Services, batch: int) -> Follower:
    """The oversight follower, with the audit trail signing its checkpoints."""
    audit = AuditProjection(services.app, trail_of(services), signer_of(services))
    return Follower(
        services.app,
        view_of(services),
        batch_size=batch,
        audit=audit,
        heartbeat=services.heartbeat,
        upkeep=services.keep_log_ahead,
    )
