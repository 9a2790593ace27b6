"""``thucthi user add`` and ``user password``: accounts, whose passwords are shown once."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from api.auth import hash_password, new_password
from cli.common import opened
from domain.application import SYSTEM_ACTOR
from domain.shared.actors import Role


def add_commands(sub: Any) -> None:
    user = sub.add_parser("user", help="manage accounts")
    user_commands = user.add_subparsers(dest="action", required=True, metavar="ACTION")
    user_add = user_commands.add_parser("add", help="create an account; prints its password once")
    user_add.add_argument("name")
    user_add.add_argument("--role", required=True, choices=[r.value for r in Role])
    user_add.add_argument("--unit", default=None, help="the unit of a department officer")
    user_add.add_argument("--display-name", default=None, help="the person's name")
    user_add.add_argument(
        "--title", default="", help='what the person is, e.g. "Phó Chủ tịch UBND Thành phố"'
    )
    user_add.set_defaults(handler=user_add_command)
    user_password = user_commands.add_parser(
        "password", help="give an account a new password (printed once); ends its sessions"
    )
    user_password.add_argument("name")
    user_password.set_defaults(handler=user_password_command)


def user_add_command(args: argparse.Namespace, out: TextIO) -> int:
    app = opened(args).app
    app.open_city_registry()
    password = new_password()
    app.create_user(
        username=args.name,
        display_name=args.display_name or args.name,
        title=args.title,
        role=Role(args.role),
        unit=args.unit,
        password_hash=hash_password(password),
        actor=SYSTEM_ACTOR,
        request_id="cli",
    )
    print(f"created {args.name} ({args.role}{', ' + args.unit if args.unit else ''})", file=out)
    print(f"password (shown once): {password}", file=out)
    return 0


def user_password_command(args: argparse.Namespace, out: TextIO) -> int:
    app = opened(args).app
    password = new_password()
    app.change_password(
        args.name, password_hash=hash_password(password), actor=SYSTEM_ACTOR, request_id="cli"
    )
    print(f"new password for {args.name}; every session of the account ended", file=out)
    print(f"password (shown once): {password}", file=out)
    return 0
