"""``thucthi demo``: the simulated year (``cli.demo``) loaded into a database, with one user per
role to sign in with."""

from __future__ import annotations

import argparse
import contextlib
import sys
from datetime import timedelta
from typing import Any, TextIO

from api.auth import hash_password
from cli.common import date_argument, opened, positive_int
from cli.demo import run_demo
from domain.accounts.errors import DuplicateUserError
from domain.application import SYSTEM_ACTOR
from domain.shared.actors import Role
from domain.shared.clock import SystemClock, city_date


def add_commands(sub: Any) -> None:
    demo = sub.add_parser("demo", help="fill the database with a simulated year of the city's work")
    demo.add_argument("--directives", type=positive_int, default=2_000, metavar="N")
    demo.add_argument("--seed", type=int, default=2024)
    demo.add_argument(
        "--end",
        type=date_argument,
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
    demo.set_defaults(handler=demo_command)


DEMO_PASSWORD = "thucthi-demo"  # noqa: S105 - printed for the demo; real users get random ones

DEMO_USERS: tuple[tuple[str, Role, str | None], ...] = (
    ("leader.chutich", Role.LEADER, None),
    ("office.vp", Role.OFFICE, None),
    ("so-ct.canbo", Role.DEPARTMENT, "SO-CT"),
    ("thanhtra", Role.INSPECTOR, None),
    ("admin", Role.ADMIN, None),
)


def demo_command(args: argparse.Namespace, out: TextIO) -> int:
    app = opened(args, simulated=True).app
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
