"""``thucthi show``, ``history``, ``units`` and ``oversight``: directives and the figures, as
the terminal shows them."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any, TextIO

import orjson

from api.documents import directive_document, summary_document
from cli import units as units_cli
from cli.common import (
    date_argument,
    moment_argument,
    opened,
    position_argument,
    positive_int,
    view_of,
)
from domain.application import Thucthi
from domain.directives.directive import Directive, ExtensionRequest, ExtensionStatus, Status
from domain.narration import ROLE_NAMES, named, narrate, unit_sentences
from domain.shared.clock import CITY_TIMEZONE, SystemClock, city_date
from domain.shared.ordering import natural_key
from readmodels.model import AsOf, Filters


def add_commands(sub: Any) -> None:
    show = sub.add_parser("show", help="a directive's state now, at a version or at a moment")
    show.add_argument("reference")
    when = show.add_mutually_exclusive_group()
    when.add_argument("--version", type=positive_int, metavar="N")
    when.add_argument(
        "--at",
        type=moment_argument,
        metavar="TIMESTAMP",
        help="ISO 8601 moment (no offset: city time; a bare date: the end of that day)",
    )
    show.add_argument("--json", action="store_true", help="print JSON instead of text")
    show.set_defaults(handler=show_command)

    history = sub.add_parser("history", help="a directive's events with their actors")
    history.add_argument("reference")
    history.add_argument("--json", action="store_true", help="print JSON lines instead of text")
    history.set_defaults(handler=history_command)

    units = sub.add_parser(
        "units", help="list the unit registry; merge, split or succeed units (docs/units.md)"
    )
    units.set_defaults(handler=units_command)
    units_cli.add_actions(units)

    oversight = sub.add_parser("oversight", help="the oversight summary as of a day or position")
    oversight.add_argument("--as-of", type=date_argument, default=None, metavar="YYYY-MM-DD")
    oversight.add_argument(
        "--position",
        type=position_argument,
        default=None,
        metavar="P",
        help="the log position to answer from (default: for the day alone, the last position "
        "recorded by its end); the day and position printed give the same figures again",
    )
    oversight.add_argument("--basis", choices=("in_force", "original"), default="in_force")
    oversight.add_argument("--unit", default=None)
    oversight.add_argument("--json", action="store_true")
    oversight.set_defaults(handler=oversight_command)


def show_command(args: argparse.Namespace, out: TextIO) -> int:
    app = opened(args).app
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


def history_command(args: argparse.Namespace, out: TextIO) -> int:
    app = opened(args).app
    names = unit_sentences(app.unit_registry())
    for event in app.history(args.reference):
        sentence = narrate(event, names)
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
        role = named(actor.unit, names) if actor.unit else ROLE_NAMES[actor.role]
        who = f"{actor.user_id} ({role.vi})"
        out.write(
            f"v{event.originator_version:<3} {local}  {who:<40} {sentence.vi} / {sentence.en}\n"
        )
    return 0


def units_command(args: argparse.Namespace, out: TextIO) -> int:
    app = opened(args).app
    app.open_city_registry()
    for unit in app.unit_registry().listed():
        flag = "" if unit.active else "  [ngừng hoạt động / inactive]"
        if unit.heir is not None:
            flag = f"  [→ {', '.join(unit.successors)} {unit.ended_on}]"
        out.write(f"{unit.code:<18} {unit.name_vi} / {unit.name_en}{flag}\n")
    return 0


def oversight_command(args: argparse.Namespace, out: TextIO) -> int:
    view = view_of(opened(args, read_models=True))
    today = city_date(SystemClock().now())
    day = args.as_of or today
    summary = view.summary(
        AsOf(day, args.position), basis=args.basis, filters=Filters(unit=args.unit)
    )
    forecast = day > today
    if args.json:
        document = {**summary_document(summary), "forecast": forecast}
        out.write(orjson.dumps(document, option=orjson.OPT_INDENT_2).decode())
        out.write("\n")
        return 0
    print(
        f"as of {summary.as_of} (deadline {summary.basis}), log position {summary.position}",
        file=out,
    )
    if forecast:
        print(
            "ngày chưa đến: dự báo nếu không có gì thay đổi / "
            "a day still to come: a forecast, if nothing changes until then",
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
    # Asked for one unit, the city's figures are that unit's: one row, not a CITY row repeating it.
    units = sorted(summary.units.items(), key=lambda item: natural_key(item[0]))
    rows = [(args.unit, summary.city)] if args.unit else [*units, ("CITY", summary.city)]
    for name, figures in rows:
        rate = "—" if figures.on_time_rate is None else f"{figures.on_time_rate:.0%}"
        print(
            f"{name:<18}{figures.completed_on_time:>8}{figures.completed_late:>6}"
            f"{figures.in_progress:>8}{figures.due_soon:>6}{figures.overdue:>8}"
            f"{figures.no_deadline:>7}{rate:>7}{figures.days_overdue_total:>7}",
            file=out,
        )
    return 0


def signer(app: Thucthi, issuer: str) -> str:
    """Who issued a directive: the person with their title and login, else the text given."""
    account = app.cached_user(issuer)
    return issuer if account is None else f"{account.signature()} ({issuer})"


def describe(d: Directive, app: Thucthi) -> str:
    registry = app.unit_registry()

    def unit(code: str) -> str:
        found = registry.units.get(code)
        return f"{code} — {found.name_vi}" if found else code

    def moment(value: datetime | None) -> str:
        return value.astimezone(CITY_TIMEZONE).strftime("%Y-%m-%d %H:%M") if value else "—"

    deadline = d.deadline.isoformat() if d.deadline else "không thời hạn / none"
    progress = f"{d.progress}%"
    if d.progress != d.percent and d.progress_reports:
        progress += f" (báo cáo tiến độ gần nhất / last progress report {d.percent}%)"
    completion = moment(d.completion_reported_at)
    if d.status is Status.COMPLETION_REPORTED:
        completion += f", chờ nghiệm thu / awaiting acceptance by {signer(app, d.issuer)}"
    original = d.original_deadline.isoformat() if d.original_deadline else "—"
    lines = [
        f"{d.reference}  (phiên bản / version {d.version}, "
        f"ghi lúc / recorded {moment(d.modified_on)})",
        f"  Trích yếu / Title:        {d.title}",
        f"  Người ký / Issuer:        {signer(app, d.issuer)}, ngày / on {d.issued_on.isoformat()}",
        f"  Chủ trì / Lead:           {unit(d.lead_unit)}",
        "  Phối hợp / Coordinating:  "
        + ("; ".join(unit(c) for c in d.coordinating_units) if d.coordinating_units else "—"),
        f"  Độ khẩn / Urgency:        {d.urgency}",
        f"  Hạn / Deadline:           {deadline} (ban đầu / original {original})",
        f"  Trạng thái / Status:      {d.status}",
        f"  Tiếp nhận / Acknowledged: {moment(d.acknowledged_at)}",
        f"  Tiến độ / Progress:       {progress} ({d.progress_reports} báo cáo / reports, "
        f"lần cuối / last {moment(d.progress_reported_at)})",
        "  Gia hạn / Extensions:     " + ("; ".join(map(extension, d.extensions)) or "—"),
        f"  Báo cáo hoàn thành / Completion reported: {completion}",
        f"  Nghiệm thu / Accepted:    {moment(d.accepted_at)}; trả lại / returned {d.returns}×",
        f"  Đôn đốc / Reminders:      {d.reminders}; "
        f"giải trình / explanations {len(d.explanations)}",
    ]
    if d.withdrawn_at:
        lines.append(f"  Thu hồi / Withdrawn:      {moment(d.withdrawn_at)}")
    return "\n".join(lines) + "\n"


def extension(e: ExtensionRequest) -> str:
    """An extension request: the date asked for, and once granted the date granted, which the
    leader may have set otherwise."""
    asked = f"#{e.number} xin / asked {e.requested_deadline.isoformat()}"
    if e.granted_deadline is not None:
        return f"{asked}, duyệt đến / granted until {e.granted_deadline.isoformat()}"
    return f"{asked}, {_EXTENSION_STATUS.get(e.status, e.status)}"


_EXTENSION_STATUS = {
    ExtensionStatus.PENDING: "chờ quyết định / pending",
    ExtensionStatus.DENIED: "từ chối / denied",
    ExtensionStatus.LAPSED: "hết hiệu lực / lapsed",
}
