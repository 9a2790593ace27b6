"""``thucthi``: the one command-line entry point, with subcommands.

Every failure a user can cause (a bad URL, an unreachable server, an unknown reference, a malformed
timestamp) ends with one line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TextIO, TypeVar

import orjson

from adapters.checkpoint_log import CheckpointLog
from adapters.checkpoint_log import default_path as checkpoint_log_path
from adapters.follower import open_heartbeat
from adapters.idempotency import open_store
from api.auth import hash_password, new_password
from api.config import (
    DATABASE_URL_VARIABLE,
    DEFAULT_DATABASE_URL,
    SERVE_POOL_SIZE,
    Database,
    DatabaseUnavailableError,
    DatabaseURLError,
    Settings,
    SettingsError,
    database_url_from_env,
    name_connections,
    open_application,
    parse_database_url,
)
from api.demo import DatabaseNotEmptyError, run_demo
from api.documents import directive_document, summary_document
from api.params import POSITION_MAX, Day, Integer, Moment, Param, ParameterError
from api.server import Supervisor, serve
from api.web.i18n import text_refusal
from domain.actors import Role
from domain.application import SYSTEM_ACTOR, Thucthi
from domain.clock import CITY_TIMEZONE, SimulatedClock, SystemClock, city_date
from domain.directive import Directive
from domain.errors import DomainError, DuplicateUserError, InvalidTextError
from domain.narration import narrate
from domain.notes import NoteError, parse_verifier_key
from projections.audit import (
    AuditProjection,
    Signer,
    SigningRefusedError,
    default_key_path,
    origin_from_env,
    signer_at,
)
from projections.audit import (
    open_store as open_audit_store,
)
from projections.oversight import DEFAULT_BATCH
from projections.runner import (
    PROJECTIONS,
    Follower,
    ReadModelsUnavailableError,
    open_view,
    rebuild,
    status,
)
from projections.verify import verify
from readmodels.model import AsOf, Filters

_T = TypeVar("_T")
# On PostgreSQL a worker's requests mostly wait on the database, so several are served at once;
# SQLite serialises writers and its threads contend for one file, so there one at a time.
POSTGRES_THREADS = 16
DEMO_PASSWORD = "thucthi-demo"  # noqa: S105 - printed for the demo; real users get random ones
DEMO_USERS: tuple[tuple[str, Role, str | None], ...] = (
    ("leader.chutich", Role.LEADER, None),
    ("office.vp", Role.OFFICE, None),
    ("so-ct.canbo", Role.DEPARTMENT, "SO-CT"),
    ("thanhtra", Role.INSPECTOR, None),
    ("admin", Role.ADMIN, None),
)

_SKIPPED_SHOWN = 20  # positions of skipped events named by ``projections status``
EXIT_USAGE = 2
EXIT_FAILURE = 1
FOLLOWER_OF = "THUCTHI_FOLLOWER_OF"  # the pid of the `thucthi serve` that started a follower


class CliError(Exception):
    """A user-facing failure: printed as one line, exit non-zero."""


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    if out is None and isinstance(sys.stdout, io.TextIOWrapper):
        # A text read from the log that the terminal's encoding cannot carry (a lone surrogate
        # an earlier version let in) is printed escaped, as the read models show it.
        sys.stdout.reconfigure(errors="backslashreplace")
    out = out or sys.stdout
    parser = _parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace, TextIO], int] = args.handler
    try:
        return handler(args, out)
    except InvalidTextError as e:
        print(
            f"thucthi: lỗi / error: {text_refusal('vi', e)} / {text_refusal('en', e)}",
            file=sys.stderr,
        )
        return EXIT_FAILURE
    except (CliError, DomainError, DatabaseURLError, DatabaseUnavailableError, SettingsError) as e:
        print(f"thucthi: error: {e}", file=sys.stderr)
        return EXIT_FAILURE
    except DatabaseNotEmptyError as e:
        print(f"thucthi: {e}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("thucthi: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:  # noqa: PLR0915 - every command in one place
    parser = argparse.ArgumentParser(
        prog="thucthi",
        description="Thucthi: event-sourced executive governance for city governments.",
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help=(
            "database URL: sqlite:///path.db or postgresql://user:pass@host:port/db[?schema=s] "
            f"(default: $THUCTHI_DATABASE_URL, else {DEFAULT_DATABASE_URL})"
        ),
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    init = sub.add_parser(
        "init", help="create the tables, the default unit registry and the signing key"
    )
    init.add_argument("--signing-key", default=None, metavar="FILE", help=_KEY_HELP)
    init.set_defaults(handler=_init)

    demo = sub.add_parser("demo", help="fill the database with a simulated year of the city's work")
    demo.add_argument("--directives", type=_positive_int, default=2_000, metavar="N")
    demo.add_argument("--seed", type=int, default=2024)
    demo.add_argument(
        "--end",
        type=_date,
        default=None,
        metavar="YYYY-MM-DD",
        help="last simulated day (default: today in Ho Chi Minh City)",
    )
    group = demo.add_mutually_exclusive_group()
    group.add_argument("--force", action="store_true", help="add the year to a non-empty database")
    group.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing (and succeed) if the database has events",
    )
    demo.add_argument("--quiet", action="store_true", help="no progress bar")
    demo.set_defaults(handler=_demo)

    show = sub.add_parser("show", help="a directive's state now, at a version or at a moment")
    show.add_argument("reference")
    when = show.add_mutually_exclusive_group()
    when.add_argument("--version", type=_positive_int, metavar="N")
    when.add_argument(
        "--at",
        type=_moment,
        metavar="TIMESTAMP",
        help="ISO 8601 moment (no offset: city time; a bare date: the end of that day)",
    )
    show.add_argument("--json", action="store_true", help="print JSON instead of text")
    show.set_defaults(handler=_show)

    history = sub.add_parser("history", help="a directive's events with their actors")
    history.add_argument("reference")
    history.add_argument("--json", action="store_true", help="print JSON lines instead of text")
    history.set_defaults(handler=_history)

    user = sub.add_parser("user", help="manage accounts")
    user_commands = user.add_subparsers(dest="action", required=True, metavar="ACTION")
    user_add = user_commands.add_parser("add", help="create an account; prints its password once")
    user_add.add_argument("name")
    user_add.add_argument("--role", required=True, choices=[r.value for r in Role])
    user_add.add_argument("--unit", default=None, help="the unit of a department officer")
    user_add.add_argument("--display-name", default=None)
    user_add.set_defaults(handler=_user_add)
    user_password = user_commands.add_parser(
        "password", help="give an account a new password (printed once); ends its sessions"
    )
    user_password.add_argument("name")
    user_password.set_defaults(handler=_user_password)

    units = sub.add_parser("units", help="list the unit registry")
    units.set_defaults(handler=_units)

    projections = sub.add_parser("projections", help="run, rebuild or inspect the read models")
    projection_commands = projections.add_subparsers(dest="action", required=True, metavar="ACTION")
    run = projection_commands.add_parser("run", help="follow the log until stopped (SIGTERM)")
    run.add_argument("--batch", type=_positive_int, default=DEFAULT_BATCH, metavar="N")
    run.set_defaults(handler=_projections_run)
    rebuild_parser = projection_commands.add_parser(
        "rebuild", help="project the whole log into fresh tables, then swap them in"
    )
    rebuild_parser.add_argument("name", nargs="?", choices=PROJECTIONS, default="oversight")
    rebuild_parser.add_argument("--batch", type=_positive_int, default=DEFAULT_BATCH, metavar="N")
    rebuild_parser.set_defaults(handler=_projections_rebuild)
    status_parser = projection_commands.add_parser("status", help="position and lag per projection")
    status_parser.set_defaults(handler=_projections_status)

    audit = sub.add_parser("audit", help="the audit trail: verify it, sign it, read it")
    audit_commands = audit.add_subparsers(dest="action", required=True, metavar="ACTION")
    verify_parser = audit_commands.add_parser(
        "verify", help="recompute the chain and tree from the stored events and check them"
    )
    verify_parser.add_argument(
        "--checkpoint", default=None, metavar="FILE", help="a signed checkpoint you kept"
    )
    verify_parser.add_argument(
        "--checkpoint-log",
        default=None,
        metavar="FILE",
        help="the checkpoint log the signer published to (default: $THUCTHI_CHECKPOINT_LOG, "
        "else checkpoints.jsonl beside the signing key, if there)",
    )
    verify_parser.add_argument(
        "--public-key", default=None, metavar="FILE", help="the log's verifier key file"
    )
    verify_parser.add_argument("--signing-key", default=None, metavar="FILE", help=_KEY_HELP)
    verify_parser.add_argument("--json", action="store_true", help="print the report as JSON")
    verify_parser.add_argument("--quiet", action="store_true", help="no progress")
    verify_parser.set_defaults(handler=_audit_verify)
    checkpoint_parser = audit_commands.add_parser(
        "checkpoint", help="bring the trail up to date and sign a checkpoint of it now"
    )
    checkpoint_parser.add_argument("--signing-key", default=None, metavar="FILE", help=_KEY_HELP)
    checkpoint_parser.set_defaults(handler=_audit_checkpoint)
    key_parser = audit_commands.add_parser("public-key", help="print the log's verifier key")
    key_parser.add_argument("--signing-key", default=None, metavar="FILE", help=_KEY_HELP)
    key_parser.set_defaults(handler=_audit_public_key)

    oversight = sub.add_parser("oversight", help="the oversight summary as of a day or position")
    oversight.add_argument("--as-of", type=_date, default=None, metavar="YYYY-MM-DD")
    oversight.add_argument("--position", type=_positive_int, default=None, metavar="P")
    oversight.add_argument("--basis", choices=("in_force", "original"), default="in_force")
    oversight.add_argument("--unit", default=None)
    oversight.add_argument("--json", action="store_true")
    oversight.set_defaults(handler=_oversight)

    serve = sub.add_parser(
        "serve", help="serve the web application (and keep projections following)"
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument(
        "--workers", type=_positive_int, default=os.cpu_count() or 1, help="default: one per core"
    )
    serve.add_argument(
        "--threads",
        type=_positive_int,
        default=None,
        help="requests served at once per worker (default: 1 on SQLite, "
        f"{POSTGRES_THREADS} on PostgreSQL)",
    )
    serve.set_defaults(handler=_serve)
    return parser


# --- argument types ------------------------------------------------------------------------------


def _argument(spec: Param[_T], text: str) -> _T:
    """An argument read by the parser the API's parameters use, refused in both languages."""
    try:
        return spec.parse(text.strip(" "))
    except ParameterError as e:
        raise argparse.ArgumentTypeError(f"{e.describe('vi')} / {e.describe('en')}") from None


def _positive_int(text: str) -> int:
    return _argument(Integer("N", 1, POSITION_MAX), text)


def _date(text: str) -> date:
    return _argument(Day("YYYY-MM-DD"), text)


def _moment(text: str) -> datetime:
    """An ISO 8601 moment; naive means city time, a bare date the end of that city day."""
    return _argument(Moment("MOMENT"), text)


# --- commands -----------------------------------------------------------------------------------


def _open(args: argparse.Namespace, *, simulated: bool = False) -> Thucthi:
    database = parse_database_url(args.db or database_url_from_env())
    clock = SimulatedClock(SystemClock().now()) if simulated else None
    return open_application(database, clock=clock)


_KEY_HELP = "the Ed25519 signing key (PEM), kept outside the database (default: " + (
    "$THUCTHI_SIGNING_KEY, else ~/.config/thucthi/signing-key.pem)"
)


def _init(args: argparse.Namespace, out: TextIO) -> int:
    app = _open(args)
    made = app.open_unit_registry()
    count = len(app.unit_registry().units)
    print(f"unit registry {'created' if made else 'already there'}: {count} units", file=out)
    path = _key_path(args)
    existed = path.exists()
    signer = _signer(args, create=True)
    print(f"signing key {'already at' if existed else 'created at'} {path}", file=out)
    print(f"verifier key (publish it): {signer.vkey}", file=out)
    if signer.published is not None:
        print(f"checkpoint log (back it up, give witnesses copies): {signer.published.path}",
              file=out)  # fmt: skip
    return 0


def _key_path(args: argparse.Namespace) -> Path:
    given = getattr(args, "signing_key", None)
    return Path(given) if given else default_key_path()


def _signer(args: argparse.Namespace, *, create: bool) -> Signer:
    try:
        return signer_at(_key_path(args), create=create)
    except (FileNotFoundError, TypeError, ValueError) as e:
        raise CliError(str(e)) from None


def _audit_verify(args: argparse.Namespace, out: TextIO) -> int:
    app = _open(args)
    store = _read_models(lambda: open_audit_store(app))
    origin = origin_from_env()
    if args.public_key:
        try:
            origin, public_key = parse_verifier_key(Path(args.public_key).read_text())
        except (OSError, NoteError) as e:
            raise CliError(f"the verifier key: {e}") from None
    else:
        public_key = _signer(args, create=False).public_key
    kept = None
    if args.checkpoint:
        try:
            kept = Path(args.checkpoint).read_text()
        except OSError as e:
            raise CliError(f"the kept checkpoint: {e}") from None
    published = _checkpoint_log(args)
    # Bring the trail up to the head first, so that every stored record has been seen by it.
    AuditProjection(app, store).catch_up()

    def progress(done: int, total: int) -> None:
        if not args.quiet:
            share = done / total if total else 1.0
            print(f"\rverifying {done:,}/{total:,} ({share:.0%})", end="", file=sys.stderr)

    report = verify(
        app,
        store,
        origin=origin,
        public_key=public_key,
        kept=kept,
        published=published,
        progress=progress,
    )
    if not args.quiet:
        print(file=sys.stderr)
    if args.json:
        out.write(orjson.dumps(report.document(), option=orjson.OPT_INDENT_2).decode() + "\n")
    else:
        rate = report.records / report.seconds if report.seconds else 0.0
        print(
            f"{report.records:,} records, tree size {report.tree_size:,}, "
            f"root {report.root.hex()}, {report.checkpoints_checked} checkpoints checked, "
            f"{report.seconds:.2f} s = {rate:,.0f} events/s",
            file=out,
        )
        if report.kept_checkpoint is not None and report.kept_checkpoint["extended"]:
            size = report.kept_checkpoint["tree_size"]
            print(f"the log extends the kept checkpoint of {size:,} records", file=out)
        if report.published is not None and report.published["checkpoints"]:
            print(
                f"checkpoint log {report.published['path']}: {report.published['checkpoints']:,} "
                f"checkpoints published, the last of {report.published['tree_size']:,} records",
                file=out,
            )
        print(report.statement["vi"], file=out)
        print(report.statement["en"], file=out)
        for problem in report.problems:
            where = "" if problem.position is None else f"position {problem.position}: "
            print(f"FAILED {problem.kind}: {where}{problem.detail}", file=out)
        if report.ok:
            print("OK: the log is intact", file=out)
    return 0 if report.ok else EXIT_FAILURE


def _checkpoint_log(args: argparse.Namespace) -> CheckpointLog | None:
    """The checkpoint log to verify against: the one given, else the signer's if it exists."""
    if args.checkpoint_log:
        path = Path(args.checkpoint_log)
        if not path.exists():
            raise CliError(f"no checkpoint log at {path}")
        return CheckpointLog(path)
    path = checkpoint_log_path(os.environ, _key_path(args))
    return CheckpointLog(path) if path.exists() else None


def _audit_checkpoint(args: argparse.Namespace, out: TextIO) -> int:
    app = _open(args)
    store = _read_models(lambda: open_audit_store(app))
    try:
        checkpoint = AuditProjection(app, store, _signer(args, create=False)).sign_now()
    except SigningRefusedError as e:
        raise CliError(f"refusing to sign / từ chối ký: {e}") from None
    if checkpoint is None:
        raise CliError("the log is empty: nothing to sign")
    out.write(checkpoint.note)
    return 0


def _audit_public_key(args: argparse.Namespace, out: TextIO) -> int:
    print(_signer(args, create=False).vkey, file=out)
    return 0


def _demo(args: argparse.Namespace, out: TextIO) -> int:
    app = _open(args, simulated=True)
    if args.if_empty and app.holds_records():
        print("the database already holds events: demo data not loaded", file=out)
        return 0
    end = args.end or city_date(SystemClock().now())
    result = run_demo(
        app,
        directives=args.directives,
        seed=args.seed,
        end=end,
        force=args.force,
        progress=None if args.quiet else sys.stderr,
    )
    print(
        f"loaded {result.directives} directives, {result.events} events "
        f"({end - timedelta(days=365)} → {end}) in {result.seconds:.1f} s "
        f"= {result.events_per_second:,.0f} events/s",
        file=out,
    )
    print(f"demo users (password {DEMO_PASSWORD!r}), sign in with POST /api/session:", file=out)
    for username, role, unit in DEMO_USERS:
        # A forced second demo keeps the users of the first.
        with contextlib.suppress(DuplicateUserError):
            app.create_user(
                username=username,
                display_name=username,
                role=role,
                unit=unit,
                password_hash=hash_password(DEMO_PASSWORD),
                actor=SYSTEM_ACTOR,
                request_id="demo",
            )
        print(f"  {username:<16} {role}{' of ' + unit if unit else ''}", file=out)
    return 0


def _user_add(args: argparse.Namespace, out: TextIO) -> int:
    app = _open(args)
    app.open_unit_registry()
    password = new_password()
    app.create_user(
        username=args.name,
        display_name=args.display_name or args.name,
        role=Role(args.role),
        unit=args.unit,
        password_hash=hash_password(password),
        actor=SYSTEM_ACTOR,
        request_id="cli",
    )
    print(f"created {args.name} ({args.role}{', ' + args.unit if args.unit else ''})", file=out)
    print(f"password (shown once): {password}", file=out)
    return 0


def _user_password(args: argparse.Namespace, out: TextIO) -> int:
    app = _open(args)
    password = new_password()
    app.change_password(
        args.name, password_hash=hash_password(password), actor=SYSTEM_ACTOR, request_id="cli"
    )
    print(f"new password for {args.name}; every session of the account ended", file=out)
    print(f"password (shown once): {password}", file=out)
    return 0


def _show(args: argparse.Namespace, out: TextIO) -> int:
    app = _open(args)
    if args.at is not None:
        directive = app.directive_at(args.reference, args.at)
    else:
        directive = app.get_directive(args.reference, version=args.version)
    if args.json:
        out.write(orjson.dumps(directive_document(directive), option=orjson.OPT_INDENT_2).decode())
        out.write("\n")
    else:
        out.write(describe(directive, app))
    return 0


def _history(args: argparse.Namespace, out: TextIO) -> int:
    app = _open(args)
    for event in app.history(args.reference):
        sentence = narrate(event)
        actor = event.actor
        if args.json:
            line = {
                "version": event.originator_version,
                "recorded_at": event.timestamp,
                "actor": actor,
                "request_id": event.request_id,
                "event": type(event).__name__,
                "vi": sentence.vi,
                "en": sentence.en,
            }
            out.write(orjson.dumps(line).decode() + "\n")
            continue
        local = event.timestamp.astimezone(CITY_TIMEZONE).strftime("%Y-%m-%d %H:%M")
        who = f"{actor.user_id} ({actor.role}{', ' + actor.unit if actor.unit else ''})"
        out.write(
            f"v{event.originator_version:<3} {local}  {who:<40} {sentence.vi} / {sentence.en}\n"
        )
    return 0


def _units(args: argparse.Namespace, out: TextIO) -> int:
    app = _open(args)
    app.open_unit_registry()
    for unit in app.unit_registry().units.values():
        flag = "" if unit.active else "  [ngừng hoạt động / inactive]"
        out.write(f"{unit.code:<18} {unit.name_vi} / {unit.name_en}{flag}\n")
    return 0


def _refuse_busy_port(host: str, port: int) -> None:
    """granian listens with SO_REUSEPORT, so a second server on a port in use would start and
    silently share its connections; refuse instead, before opening anything."""
    family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # TIME_WAIT is not "in use"
        try:
            probe.bind((host, port))
        except OSError as e:
            raise CliError(f"cannot serve on {host}:{port}: {e.strerror}") from None


def _serve(args: argparse.Namespace, out: TextIO) -> int:
    _refuse_busy_port(args.host, args.port)
    database = _database(args)
    settings = Settings.from_env()
    name_connections("serve")
    app = open_application(database, pool_size=SERVE_POOL_SIZE)
    app.open_unit_registry()
    open_store(  # the workers will not create tables
        getattr(app.factory, "datastore", None),
        events_table=getattr(app.recorder, "events_table_name", ""),
        head=app.max_notification_id,
    )
    if database.backend != "memory":
        open_view(app)
        open_audit_store(app)
        open_heartbeat(getattr(app.factory, "datastore", None))
        _signer(args, create=True)  # the key exists before the workers look for it
    # The server forks its workers: no thread or connection pool of ours may be alive then (a
    # lock held by another thread at the fork stays locked for ever in the child). So the
    # projections follow in a process of their own, and this process closes what it opened;
    # the one thread it keeps only waits on that process.
    app.close()
    threads = args.threads or (POSTGRES_THREADS if database.backend == "postgres" else 1)
    workers = 1 if database.backend == "memory" else args.workers
    if database.backend == "postgres":
        budget = settings.connection_budget(workers=workers)
        print(
            f"kết nối PostgreSQL: tối đa {budget['total']} / PostgreSQL connections: at most "
            f"{budget['total']} ({workers} worker(s) × {budget['worker']}, follower "
            f"{budget['follower']})",
            file=out,
        )
    follower = None
    if database.backend != "memory":
        # The URL (and its password) goes through the environment: a command line is public.
        env = {**os.environ, DATABASE_URL_VARIABLE: database.url, FOLLOWER_OF: str(os.getpid())}
        follower = Supervisor(
            [sys.executable, "-m", "api.cli", "projections", "run"], env, err=sys.stderr
        ).start()
    try:
        serve(database, host=args.host, port=args.port, workers=workers, threads=threads, out=out)
    finally:
        if follower is not None:
            follower.stop()
    return 0


def _projections_run(args: argparse.Namespace, out: TextIO) -> int:
    database = _database(args)
    settings = Settings.from_env()
    name_connections("follower")
    app = open_application(database, pool_size=settings.follower_pool_size)
    follower = _follower(app, args.batch, _signer(args, create=True))
    signal.signal(signal.SIGTERM, lambda signum, frame: follower.request_stop())
    signal.signal(signal.SIGINT, lambda signum, frame: follower.request_stop())
    parent = os.environ.get(FOLLOWER_OF, "")
    if parent.isascii() and parent.isdecimal():  # started by `thucthi serve`: do not outlive it
        _stop_when_orphaned(int(parent), follower)
    print(f"following {database.display} from position {follower.view.position()}", file=out)
    out.flush()
    follower.run_until_stopped()
    print(f"stopped at position {follower.view.position()}", file=out)
    return 0


def _stop_when_orphaned(parent: int, follower: Follower) -> None:
    """Stop following once ``parent`` is no longer this process's parent (it died, even by
    SIGKILL, which it could not pass on)."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        follower.request_stop()

    threading.Thread(target=watch, name="orphan-watch", daemon=True).start()


def _projections_rebuild(args: argparse.Namespace, out: TextIO) -> int:
    app = _open(args)
    started = time.perf_counter()
    done = _read_models(lambda: rebuild(app, batch_size=args.batch))
    seconds = time.perf_counter() - started
    rate = done / seconds if seconds else 0.0
    print(f"rebuilt {args.name}: {done} events in {seconds:.1f} s = {rate:,.0f} events/s", file=out)
    return 0


def _projections_status(args: argparse.Namespace, out: TextIO) -> int:
    app = _open(args)
    view = _read_models(lambda: open_view(app))
    for s in status(app, view, open_audit_store(app)):
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


def _oversight(args: argparse.Namespace, out: TextIO) -> int:
    app = _open(args)
    view = _read_models(lambda: open_view(app))
    day = args.as_of or city_date(SystemClock().now())
    summary = view.summary(
        AsOf(day, args.position), basis=args.basis, filters=Filters(unit=args.unit)
    )
    if args.json:
        out.write(orjson.dumps(summary_document(summary), option=orjson.OPT_INDENT_2).decode())
        out.write("\n")
        return 0
    print(
        f"as of {summary.as_of} (deadline {summary.basis}), log position {summary.position}",
        file=out,
    )
    if summary.skipped:
        print(
            f"leaving out {summary.skipped} stored events that could not be taken in "
            "(projections status names them)",
            file=out,
        )
    header = f"{'unit':<18}{'on time':>8}{'late':>6}{'in prog':>8}{'soon':>6}{'overdue':>8}"
    print(header + f"{'no dl':>7}{'rate':>7}{'days':>7}", file=out)
    for name, figures in [*sorted(summary.units.items()), ("CITY", summary.city)]:
        rate = "—" if figures.on_time_rate is None else f"{figures.on_time_rate:.0%}"
        print(
            f"{name:<18}{figures.completed_on_time:>8}{figures.completed_late:>6}"
            f"{figures.in_progress:>8}{figures.due_soon:>6}{figures.overdue:>8}"
            f"{figures.no_deadline:>7}{rate:>7}{figures.days_overdue_total:>7}",
            file=out,
        )
    return 0


def _database(args: argparse.Namespace) -> Database:
    return parse_database_url(args.db or database_url_from_env())


def _follower(app: Thucthi, batch: int, signer: Signer) -> Follower:
    """The oversight follower, with the audit trail signing its checkpoints."""

    def make() -> Follower:
        audit = AuditProjection(app, open_audit_store(app), signer)
        return Follower(app, batch_size=batch, audit=audit)

    return _read_models(make)


def _read_models(make: Callable[[], _T]) -> _T:
    try:
        return make()
    except ReadModelsUnavailableError as e:
        raise CliError(str(e)) from None


# --- presenting a directive ---------------------------------------------------------------------


def describe(d: Directive, app: Thucthi) -> str:
    registry = app.unit_registry()

    def unit(code: str) -> str:
        found = registry.units.get(code)
        return f"{code} — {found.name_vi}" if found else code

    def moment(value: datetime | None) -> str:
        return value.astimezone(CITY_TIMEZONE).strftime("%Y-%m-%d %H:%M") if value else "—"

    deadline = d.deadline.isoformat() if d.deadline else "không thời hạn / none"
    original = d.original_deadline.isoformat() if d.original_deadline else "—"
    lines = [
        f"{d.reference}  (phiên bản / version {d.version}, "
        f"ghi lúc / recorded {moment(d.modified_on)})",
        f"  Trích yếu / Title:        {d.title}",
        f"  Người ký / Issuer:        {d.issuer}, ngày / on {d.issued_on.isoformat()}",
        f"  Chủ trì / Lead:           {unit(d.lead_unit)}",
        "  Phối hợp / Coordinating:  "
        + (", ".join(d.coordinating_units) if d.coordinating_units else "—"),
        f"  Độ khẩn / Urgency:        {d.urgency}",
        f"  Hạn / Deadline:           {deadline} (ban đầu / original {original})",
        f"  Trạng thái / Status:      {d.status}",
        f"  Tiếp nhận / Acknowledged: {moment(d.acknowledged_at)}",
        f"  Tiến độ / Progress:       {d.percent}% ({d.progress_reports} báo cáo / reports, "
        f"lần cuối / last {moment(d.progress_reported_at)})",
        "  Gia hạn / Extensions:     "
        + (
            "; ".join(f"#{e.number} {e.requested_deadline} {e.status}" for e in d.extensions) or "—"
        ),
        f"  Báo cáo hoàn thành / Completion reported: {moment(d.completion_reported_at)}",
        f"  Nghiệm thu / Accepted:    {moment(d.accepted_at)}; trả lại / returned {d.returns}×",
        f"  Đôn đốc / Reminders:      {d.reminders}; "
        f"giải trình / explanations {len(d.explanations)}",
    ]
    if d.withdrawn_at:
        lines.append(f"  Thu hồi / Withdrawn:      {moment(d.withdrawn_at)}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
