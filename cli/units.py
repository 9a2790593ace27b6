"""``thucthi units merge|split|succeed``: an administrator's reorganisation of units, with the
open directives and petitions of every unit it ends handed to the unit that carries on its work
(docs/units.md). Said in Vietnamese and English; a refusal as any command's."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

from api.web.i18n import said_error
from cli.common import CliError, date_argument, opened
from domain.application import SYSTEM_ACTOR, Thucthi
from domain.shared.errors import DomainError
from domain.units.commands import MergeUnits, SplitUnit, SucceedUnit, UnitChange


def add_actions(units: Any) -> None:
    """The reorganisations, as actions of ``thucthi units`` (which alone lists the registry)."""
    actions = units.add_subparsers(dest="action", metavar="ACTION")
    basis = "the decision it follows, e.g. 'Nghị quyết 1685/NQ-UBTVQH15'"
    effective = "the day it took effect (YYYY-MM-DD; default today, never later)"

    merge = actions.add_parser("merge", help="merge units into one (hợp nhất, sáp nhập)")
    merge.add_argument("predecessors", nargs="+", metavar="CODE", help="the units that end")
    merge.add_argument("--into", required=True, metavar="CODE", help="the unit carrying on")
    merge.set_defaults(handler=merge_command)

    split = actions.add_parser("split", help="split a unit into several (chia tách)")
    split.add_argument("predecessor", metavar="CODE", help="the unit that ends")
    split.add_argument("--into", required=True, nargs="+", metavar="CODE",
                       help="the units carrying on; the first takes its open work")  # fmt: skip
    split.set_defaults(handler=split_command)

    succeed = actions.add_parser("succeed", help="a unit succeeded by another (kế thừa)")
    succeed.add_argument("predecessor", metavar="CODE", help="the unit that ends")
    succeed.add_argument("--by", required=True, metavar="CODE", help="the unit carrying on")
    succeed.set_defaults(handler=succeed_command)

    for action in (merge, split, succeed):
        action.add_argument("--basis", required=True, metavar="DECISION", help=basis)
        action.add_argument("--effective-on", type=date_argument, default=None,
                            metavar="DAY", help=effective)  # fmt: skip


def merge_command(args: argparse.Namespace, out: TextIO) -> int:
    command = MergeUnits(
        predecessors=tuple(args.predecessors),
        successor=args.into,
        effective_on=args.effective_on,
        basis=args.basis,
    )
    return _reorganise(opened(args).app, command, out)


def split_command(args: argparse.Namespace, out: TextIO) -> int:
    command = SplitUnit(
        predecessor=args.predecessor,
        successors=tuple(args.into),
        effective_on=args.effective_on,
        basis=args.basis,
    )
    return _reorganise(opened(args).app, command, out)


def succeed_command(args: argparse.Namespace, out: TextIO) -> int:
    command = SucceedUnit(
        predecessor=args.predecessor,
        successor=args.by,
        effective_on=args.effective_on,
        basis=args.basis,
    )
    return _reorganise(opened(args).app, command, out)


def _reorganise(app: Thucthi, command: UnitChange, out: TextIO) -> int:
    app.open_city_registry()  # the city's units, if this database has none yet
    ending = command.ending()
    handed = len(app.open_work(ending))
    try:
        position = app.reorganise(command, actor=SYSTEM_ACTOR, request_id="cli")
    except DomainError as e:  # said in both languages, as the petitions' commands say it
        raise CliError(f"{said_error('vi', e)} / {said_error('en', e)}") from None
    registry = app.unit_registry()
    for code in ending:
        unit = registry.get(code)
        heir = registry.get(registry.heir_of(code))
        print(
            f"{unit.code} ({unit.name_vi}) → {heir.code} ({heir.name_vi}), "
            f"{unit.ended_on} — {unit.basis}",
            file=out,
        )
    print(
        f"bàn giao {handed} văn bản, hồ sơ đang mở / handed over {handed} open directives and "
        f"petitions; vị trí / position {position}",
        file=out,
    )
    return 0
