"""``thucthi calendar``: the working-day calendar for administrators: a year's holidays and swaps
(``show``), the government's swaps entered and withdrawn (``swap``, ``withdraw``), and the day a
term ends (``deadline``), now or as the calendar stood at a log position."""

from __future__ import annotations

import argparse
from typing import Any, TextIO

import orjson

from api.params import YEAR, Integer
from api.resources.calendar import calendar_document
from cli.common import argument, date_argument, opened, position_argument
from domain.application import SYSTEM_ACTOR
from domain.calendar.commands import DeclareSwap, WithdrawSwap
from domain.shared.clock import city_date

_WEEKDAYS = ("T2/Mon", "T3/Tue", "T4/Wed", "T5/Thu", "T6/Fri", "T7/Sat", "CN/Sun")


def year_argument(text: str) -> int:
    return argument(YEAR, text)


def days_argument(text: str) -> int:
    return argument(Integer("N", 0, 36_500), text)


def add_commands(sub: Any) -> None:
    calendar = sub.add_parser("calendar", help="the working-day calendar: holidays and swaps")
    actions = calendar.add_subparsers(dest="action", required=True, metavar="ACTION")

    show = actions.add_parser("show", help="a year's public holidays and swaps, with sources")
    show.add_argument("--year", type=year_argument, default=None, help="default: this year")
    show.add_argument("--position", type=position_argument, default=None, metavar="P",
                      help="as the calendar stood right after log position P")  # fmt: skip
    show.add_argument("--json", action="store_true", help="print JSON instead of text")
    show.set_defaults(handler=show_command)

    swap = actions.add_parser(
        "swap", help="enter the government's swap of working days (hoán đổi, làm bù)"
    )
    swap.add_argument("day_off", type=date_argument, metavar="DAY_OFF",
                      help="the working day made a day off (YYYY-MM-DD)")  # fmt: skip
    swap.add_argument("--make-up", type=date_argument, default=None, metavar="DAY",
                      help="the day off worked instead (làm bù), if any")  # fmt: skip
    swap.add_argument("--decision", required=True, metavar="REF",
                      help="the decision's number, e.g. 12729/VPCP-KGVX")  # fmt: skip
    swap.add_argument("--note", default="", help="what the decision says")
    swap.set_defaults(handler=swap_command)

    withdraw = actions.add_parser("withdraw", help="withdraw a swap that no longer holds")
    withdraw.add_argument("day_off", type=date_argument, metavar="DAY_OFF")
    withdraw.add_argument("--reason", required=True, help="why it no longer holds")
    withdraw.set_defaults(handler=withdraw_command)

    deadline = actions.add_parser("deadline", help="the day a term started on a day ends")
    deadline.add_argument("start", type=date_argument, metavar="START",
                          help="the day that starts the term (not counted)")  # fmt: skip
    term = deadline.add_mutually_exclusive_group(required=True)
    term.add_argument("--working-days", type=days_argument, metavar="N")
    calendar_days = "calendar days; a last day off ends on the next working day"
    term.add_argument("--days", type=days_argument, metavar="N", help=calendar_days)
    deadline.add_argument("--position", type=position_argument, default=None, metavar="P")
    deadline.set_defaults(handler=deadline_command)


def show_command(args: argparse.Namespace, out: TextIO) -> int:
    app = opened(args).app
    year = args.year if args.year is not None else city_date(app.clock.now()).year
    document = calendar_document(app, year, args.position)
    if args.json:
        out.write(orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    at = "" if args.position is None else f" (vị trí / position {args.position})"
    print(
        f"Lịch ngày làm việc năm {year} / Working-day calendar {year}{at}: "
        f"{document['working_days']} ngày làm việc / working days",
        file=out,
    )
    print("Ngày lễ, Tết / Public holidays:", file=out)
    for h in document["holidays"]:
        worked = " [làm bù / worked]" if h["working_day"] else ""
        print(
            f"  {h['day']} {_WEEKDAYS[h['day'].weekday()]}  {h['name_vi']} / {h['name_en']}"
            f"{worked} — {h['source']}",
            file=out,
        )
    print("Hoán đổi ngày làm việc / Swaps of working days:", file=out)
    if not document["swaps"]:
        print("  —", file=out)
    for s in document["swaps"]:
        made_up = s["make_up_day"]
        worked = f", làm bù / worked {made_up} {_WEEKDAYS[made_up.weekday()]}" if made_up else ""
        note = f" — {s['note']}" if s["note"] else ""
        print(
            f"  nghỉ / off {s['day_off']} {_WEEKDAYS[s['day_off'].weekday()]}{worked}"
            f" — {s['decision_reference']} ({s['declared_by']}, "
            f"{city_date(s['declared_at'])}){note}",
            file=out,
        )
    return 0


def swap_command(args: argparse.Namespace, out: TextIO) -> int:
    app = opened(args).app
    command = DeclareSwap(
        day_off=args.day_off,
        make_up_day=args.make_up,
        decision_reference=args.decision,
        note=args.note,
    )
    position = app.declare_swap(command, actor=SYSTEM_ACTOR, request_id="cli")
    worked = f", làm bù / worked {args.make_up}" if args.make_up else ""
    print(f"nghỉ / off {args.day_off}{worked} ({args.decision}), vị trí / position {position}",
          file=out)  # fmt: skip
    return 0


def withdraw_command(args: argparse.Namespace, out: TextIO) -> int:
    app = opened(args).app
    command = WithdrawSwap(day_off=args.day_off, reason=args.reason)
    position = app.withdraw_swap(command, actor=SYSTEM_ACTOR, request_id="cli")
    print(f"đã hủy hoán đổi / withdrew the swap of {args.day_off}, vị trí / position {position}",
          file=out)  # fmt: skip
    return 0


def deadline_command(args: argparse.Namespace, out: TextIO) -> int:
    calendar = opened(args).app.working_calendar(args.position)
    if args.working_days is not None:
        end = calendar.add_working_days(args.start, args.working_days)
        said = f"{args.working_days} ngày làm việc / working days"
    else:
        end = calendar.add_days(args.start, args.days)
        said = f"{args.days} ngày / days"
    print(f"{args.start} + {said} → {end} {_WEEKDAYS[end.weekday()]}", file=out)
    return 0
