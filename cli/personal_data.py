"""``thucthi personal-data erase``: an administrator's order to erase persons' data, recorded in
the log and carried out by destroying their keys (docs/personal-data.md)."""

from __future__ import annotations

import argparse
import uuid
from typing import Any, TextIO

from cli.common import CliError, opened
from domain.application import SYSTEM_ACTOR
from domain.personal.erasure import Erasure
from domain.shared.actors import Actor, Role


def add_commands(sub: Any) -> None:
    personal = sub.add_parser(
        "personal-data", help="personal data sealed in the log: erase a person's"
    )
    actions = personal.add_subparsers(dest="action", required=True, metavar="ACTION")
    erase = actions.add_parser(
        "erase",
        help="record an order to erase persons' data and destroy their keys (cannot be undone)",
    )
    erase.add_argument(
        "--id-number",
        default=None,
        metavar="NUMBER",
        help="every person sealed with this 12-digit personal identification number",
    )
    erase.add_argument(
        "--person",
        action="append",
        default=[],
        metavar="ID",
        type=_person_id,
        help="a person's id (repeatable)",
    )
    erase.add_argument(
        "--reason", required=True, help="why: the legal basis, e.g. the request and its date"
    )
    erase.add_argument(
        "--by",
        default=None,
        metavar="USER",
        help="the administrator's account that ordered it (default: system)",
    )
    erase.set_defaults(handler=erase_command)


def _person_id(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        msg = f"không phải mã người / not a person's id: {text!r}"
        raise argparse.ArgumentTypeError(msg) from None


def erase_command(args: argparse.Namespace, out: TextIO) -> int:
    if args.id_number is None and not args.person:
        raise CliError("name the persons: --id-number NUMBER or --person ID")
    app = opened(args).app
    actor = SYSTEM_ACTOR
    if args.by is not None:
        account = app.cached_user(args.by)
        if account is None or not account.active or account.role is not Role.ADMIN:
            raise CliError(f"{args.by} is not an active administrator's account")
        actor = Actor(user_id=args.by, role=Role.ADMIN)
    position = app.erase_personal_data(
        person_ids=args.person,
        id_number=args.id_number,
        reason=args.reason,
        actor=actor,
        request_id=f"cli-{uuid.uuid4()}",
    )
    saved = app.writer.last_saved()
    persons = len(saved.person_ids) if isinstance(saved, Erasure) else 0
    print(
        f"đã ghi lệnh xóa ở vị trí {position} và hủy khóa của {persons} người / "
        f"erasure recorded at position {position}; the keys of {persons} person(s) destroyed",
        file=out,
    )
    return 0
