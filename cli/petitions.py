"""``thucthi petitions …``: the petitions' commands; those of liên thông with the national
database (``export``, ``import``) are ``cli.lienthong``'s."""

from __future__ import annotations

from typing import Any

from cli import lienthong


def add_commands(sub: Any) -> None:
    petitions = sub.add_parser("petitions", help="complaints, denunciations and petitions")
    commands = petitions.add_subparsers(dest="petition_command", required=True, metavar="COMMAND")
    lienthong.add_subcommands(commands)
