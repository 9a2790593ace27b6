"""``thucthi notify …``: the notification scheduler, and a person's address and language.

``notify run`` decides and sends until SIGTERM (``thucthi serve`` starts one beside its
workers); ``notify once`` does one round and says what it did; ``notify address`` keeps a
person's e-mail address beside the log (never in it); ``notify language`` records the language
of their notifications as an event of their account; ``notify status`` says where it stands.
"""

from __future__ import annotations

import argparse
import re
import signal
import threading
from typing import Any, TextIO

from adapters.notifications import NotificationStore
from bootstrap import Process, Services
from cli.common import MEMORY_HAS_NO_READ_MODELS, CliError, opened
from cli.running import stop_when_orphaned
from domain.accounts.account import Language
from domain.application import SYSTEM_ACTOR
from domain.shared.clock import SystemClock
from projections.notifications import Scheduler

SCHEDULER_POOL = 2  # PostgreSQL connections of `notify run`
# An address as a mail server takes it: one @, no space; the server is the judge of the rest.
ADDRESS = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


def add_commands(sub: Any) -> None:
    notify = sub.add_parser("notify", help="notifications: the scheduler, addresses, languages")
    actions = notify.add_subparsers(dest="action", required=True, metavar="ACTION")
    run = actions.add_parser("run", help="decide and send the notifications until SIGTERM")
    run.set_defaults(handler=notify_run_command)
    once = actions.add_parser("once", help="one round: decide, make the digests, send")
    once.set_defaults(handler=notify_once_command)
    address = actions.add_parser("address", help="a person's e-mail address (beside the log)")
    address.add_argument("username")
    address.add_argument("address", nargs="?", help="none: remove it (told in the app only)")
    address.set_defaults(handler=notify_address_command)
    language = actions.add_parser("language", help="the language of a person's notifications")
    language.add_argument("username")
    language.add_argument("language", choices=[x.value for x in Language])
    language.set_defaults(handler=notify_language_command)
    state = actions.add_parser("status", help="where the scheduler stands, mails by status")
    state.set_defaults(handler=notify_status_command)


def store_of(services: Services) -> NotificationStore:
    if services.notifications is None:
        raise CliError(MEMORY_HAS_NO_READ_MODELS)
    return services.notifications


def scheduler_of(services: Services) -> Scheduler:
    return Scheduler(
        services.app,
        store_of(services),
        sender=services.mail_sender(),
        clock=SystemClock(),
        settings=services.settings.notify,
    )


def notify_run_command(args: argparse.Namespace, out: TextIO) -> int:
    # One round at a time, one statement at a time: two connections are enough.
    services = opened(args, process=Process.FOLLOWER, read_models=True, pool_size=SCHEDULER_POOL)
    scheduler = scheduler_of(services)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda signum, frame: stop.set())
    signal.signal(signal.SIGINT, lambda signum, frame: stop.set())
    parent = services.settings.follower_of
    if parent is not None:  # started by `thucthi serve`: do not outlive it
        stop_when_orphaned(parent, stop.set)
    smtp = services.settings.smtp
    where = f"{smtp.host}:{smtp.port}" if smtp else "không gửi thư / no e-mail (in the app only)"
    print(f"notifications of {services.database.display}, mail: {where}", file=out)
    out.flush()
    scheduler.run(stop)
    print("stopped", file=out)
    return 0


def notify_once_command(args: argparse.Namespace, out: TextIO) -> int:
    services = opened(args, read_models=True)
    done = scheduler_of(services).run_once()
    print(
        f"{done.events} events, {done.days} days, {done.notices} notices, "
        f"{done.composed} digests made, {done.sent} sent, {done.failed} refused",
        file=out,
    )
    return 0


def notify_address_command(args: argparse.Namespace, out: TextIO) -> int:
    services = opened(args, read_models=True)
    services.app.get_user(args.username)  # an unknown user is refused, in both languages
    address = args.address.strip() if args.address else None
    if address is not None and not ADDRESS.fullmatch(address):
        raise CliError(f"không phải địa chỉ thư / not an e-mail address: {address!r}")
    store_of(services).set_address(args.username, address)
    print(f"{args.username}: {address or '—'}", file=out)
    return 0


def notify_language_command(args: argparse.Namespace, out: TextIO) -> int:
    services = opened(args)
    position = services.app.choose_language(
        args.username, Language(args.language), actor=SYSTEM_ACTOR, request_id="cli"
    )
    print(f"{args.username}: {args.language} (position {position})", file=out)
    return 0


def notify_status_command(args: argparse.Namespace, out: TextIO) -> int:
    services = opened(args, read_models=True)
    store = store_of(services)
    position, swept = store.state()
    head = services.app.max_notification_id()
    counts = store.mail_counts()
    print(f"position {position}  head {head}  lag {max(head - position, 0)}", file=out)
    print(f"days swept through {swept.isoformat() if swept else '—'}", file=out)
    print(
        "mails: " + ", ".join(f"{k} {counts.get(k, 0)}" for k in ("pending", "sent", "failed")),
        file=out,
    )
    return 0
