"""``thucthi petitions …``: receiving a petition and running each command of its life from the
command line, as a named officer (``--as``), and showing a case as that officer may see it.

Each command's options are derived from its dataclass (``domain.petitions.commands``), as the
API's schemas and the pages' forms are; the names are the API's (``api.commands``). What a
command did and what is refused are said in Vietnamese and English. Whoever runs the command
line holds the database, so ``--as`` names the account that acts: its role and agency decide,
as they would on the pages, and it is recorded on the event.
"""

from __future__ import annotations

import argparse
import dataclasses
import enum
import typing
from datetime import date
from typing import Any, TextIO

import orjson

from api.commands import PETITION_BY_NAME, PETITION_POSTED
from api.petition_documents import case_document, confidentiality, counted, timeline
from api.routes import BY_KEY, P
from api.web.i18n import said_error
from cli import lienthong
from cli.common import CliError, date_argument, opened, positive_int
from domain.application import Thucthi
from domain.narration import named, unit_sentences
from domain.petitions.commands import PetitionerGiven, ReceivePetition
from domain.petitions.petition import Channel, Petition
from domain.shared.actors import Actor
from domain.shared.clock import CITY_TIMEZONE, city_date
from domain.shared.errors import DomainError

PERSON_FIELDS = tuple(f.name for f in dataclasses.fields(PetitionerGiven))
FIELD = "field_"  # where the parser keeps a command's field


def add_commands(sub: Any) -> None:
    petitions = sub.add_parser(
        "petitions", help="receive a petition, run the steps of its life, show a case"
    )
    commands = petitions.add_subparsers(dest="petition_command", required=True, metavar="COMMAND")
    lienthong.add_subcommands(commands)  # export, import: liên thông with the national database
    receive = commands.add_parser("receive", help=BY_KEY[("POST", "/api/petitions")].summary)
    _acting(receive)
    receive.add_argument(
        "--agency", default=None, help="the receiving agency (default: the account's unit)"
    )
    receive.add_argument("--channel", choices=[c.value for c in Channel], default="in_person")
    receive.add_argument("--received-on", type=date_argument, default=None, metavar="YYYY-MM-DD")
    receive.add_argument(
        "--petitioner",
        action="append",
        default=[],
        metavar="'NAME|ID|ADDRESS|PHONE'",
        help="a petitioner, the fields after the name optional (repeat for several)",
    )
    receive.add_argument("--anonymous", action="store_true")
    receive.add_argument("--signers", type=positive_int, default=None, metavar="N")
    receive.add_argument("--content", required=True)
    receive.add_argument("--subject", default="")
    receive.add_argument("--decision-known-on", type=date_argument, default=None)
    receive.add_argument("--previous-receipt", default=None, metavar="RECEIPT")
    receive.add_argument("--attachment", action="append", default=[], metavar="sha256:…")
    receive.set_defaults(handler=receive_command)
    for posted in PETITION_POSTED:
        parser = commands.add_parser(
            posted.name, help=BY_KEY[("POST", f"{P}/{posted.name}")].summary
        )
        parser.add_argument("receipt")
        _acting(parser)
        parser.add_argument(
            "--expected-version",
            type=positive_int,
            default=None,
            metavar="N",
            help="run only if the petition is still at this version",
        )
        _options_of(parser, posted.command)
        parser.set_defaults(handler=step_command, step=posted.name)
    show = commands.add_parser(
        "show", help="Một đơn: trạng thái, thời hạn, diễn biến / A case, its deadline and timeline"
    )
    show.add_argument("receipt")
    show.add_argument(
        "--as",
        dest="as_user",
        default=None,
        metavar="USER",
        help="show what this account may see (the petitioners for those handling the case)",
    )
    show.add_argument("--json", action="store_true", help="print JSON instead of text")
    show.set_defaults(handler=show_command)


def _acting(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as", dest="as_user", required=True, metavar="USER", help="the account that acts"
    )
    parser.add_argument("--json", action="store_true", help="print the answer as JSON")


def _options_of(parser: argparse.ArgumentParser, command: type[Any]) -> None:
    """An option per field of the command's dataclass: a choice for an enumeration, a day for
    a date, a flag for a yes or no, repeated for a list."""
    hints = typing.get_type_hints(command)
    for field in dataclasses.fields(command):
        flag = "--" + field.name.replace("_", "-")
        dest = FIELD + field.name  # apart from the parser's own (a field named "handler")
        hint = hints[field.name]
        required = field.default is dataclasses.MISSING
        if typing.get_origin(hint) is tuple:
            parser.add_argument(flag, dest=dest, action="append", default=[], metavar="sha256:…")
        elif isinstance(hint, type) and issubclass(hint, enum.Enum):
            parser.add_argument(
                flag,
                dest=dest,
                type=hint,
                choices=list(hint),
                required=required,
                metavar=field.name.upper(),
                help="one of: " + ", ".join(str(v.value) for v in hint),
            )
        elif hint is bool:
            parser.add_argument(flag, dest=dest, action="store_true")
        elif hint is date:
            parser.add_argument(
                flag, dest=dest, type=date_argument, required=True, metavar="YYYY-MM-DD"
            )
        else:
            default = None if required else field.default
            parser.add_argument(
                flag, dest=dest, required=required, default=default, metavar=field.name.upper()
            )


def _actor(app: Thucthi, username: str) -> Actor:
    account = app.cached_user(username)
    if account is None or not account.active:
        message = f"không có tài khoản đang hoạt động {username} / no active account {username}"
        raise CliError(message)
    return account.as_actor()


def _refused(error: DomainError) -> CliError:
    return CliError(f"{said_error('vi', error)} / {said_error('en', error)}")


def petitioner_of(text: str) -> PetitionerGiven:
    """``NAME|ID|ADDRESS|PHONE``, the fields after the name optional."""
    parts = [p.strip() for p in text.split("|")]
    if len(parts) > len(PERSON_FIELDS):
        message = (
            "người gửi đơn ghi dạng 'HỌ TÊN|SỐ ĐỊNH DANH|ĐỊA CHỈ|ĐIỆN THOẠI' / "
            "a petitioner is written 'NAME|ID|ADDRESS|PHONE'"
        )
        raise CliError(message)
    given: dict[str, Any] = dict(zip(PERSON_FIELDS, parts, strict=False))
    if not given.get("id_number"):
        given["id_number"] = None
    return PetitionerGiven(**given)


def receive_command(args: argparse.Namespace, out: TextIO) -> int:
    app = opened(args).app
    actor = _actor(app, args.as_user)
    command = ReceivePetition(
        agency=args.agency or actor.unit or "",
        channel=Channel(args.channel),
        received_on=args.received_on,
        petitioners=tuple(petitioner_of(p) for p in args.petitioner),
        anonymous=args.anonymous,
        signers=args.signers,
        content=args.content,
        subject=args.subject,
        attachments=tuple(args.attachment),
        decision_known_on=args.decision_known_on,
        previous_receipt=args.previous_receipt,
    )
    try:
        receipt, position = app.petitions.receive(command, actor=actor, request_id="cli")
    except DomainError as e:
        raise _refused(e) from None
    return _answer(app, receipt, position, args.json, out)


def step_command(args: argparse.Namespace, out: TextIO) -> int:
    app = opened(args).app
    actor = _actor(app, args.as_user)
    posted = PETITION_BY_NAME[args.step]
    values = {f.name: getattr(args, FIELD + f.name) for f in dataclasses.fields(posted.command)}
    hints = typing.get_type_hints(posted.command)
    for name, value in values.items():
        if typing.get_origin(hints[name]) is tuple:
            values[name] = tuple(value)
    try:
        command = posted.command(**values)
        position = app.petitions.execute(
            command,
            args.receipt,
            actor=actor,
            request_id="cli",
            expected_version=args.expected_version,
        )
    except DomainError as e:
        raise _refused(e) from None
    return _answer(app, args.receipt, position, args.json, out)


def _answer(app: Thucthi, receipt: str, position: int, as_json: bool, out: TextIO) -> int:
    """What a command did: the receipt, the version, and the step told in both languages."""
    petition = app.petitions.get(receipt)
    names = unit_sentences(app.unit_registry())
    last = timeline(app.petitions.history(petition.receipt), names)[-1]
    if as_json:
        line = {
            "receipt": petition.receipt,
            "version": petition.version,
            "status": petition.status,
            "position": position,
            "vi": last.said.vi,
            "en": last.said.en,
        }
        out.write(orjson.dumps(line).decode() + "\n")
        return 0
    out.write(
        f"{petition.receipt} v{petition.version} (vị trí / position {position}): "
        f"{last.said.vi} / {last.said.en}\n"
    )
    return 0


def show_command(args: argparse.Namespace, out: TextIO) -> int:
    app = opened(args).app
    actor = None if args.as_user is None else _actor(app, args.as_user)
    try:
        petition = app.petitions.get(args.receipt, actor=actor)
    except DomainError as e:
        raise _refused(e) from None
    today = city_date(app.clock.now())
    calendar = app.working_calendar()
    names = unit_sentences(app.unit_registry())
    steps = timeline(app.petitions.history(petition.receipt), names)
    people = None if actor is None else app.petitions.petitioners(petition, actor)
    if args.json:
        document = case_document(petition, calendar, today, steps, people)
        out.write(orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    out.write(describe(petition, app, today, people))
    for step in steps:
        event = step.event
        local = event.timestamp.astimezone(CITY_TIMEZONE).strftime("%Y-%m-%d %H:%M")
        out.write(
            f"  v{step.version:<3} {local}  {event.actor.user_id:<20} "
            f"{step.said.vi} / {step.said.en}\n"
        )
    return 0


def describe(p: Petition, app: Thucthi, today: date, people: tuple[Any, ...] | None) -> str:
    """A case in both languages, as the terminal shows it."""
    names = unit_sentences(app.unit_registry())
    agency = named(p.agency, names)
    lines = [
        f"{p.receipt}  (phiên bản / version {p.version})",
        f"  Trạng thái / Status:      {p.status}",
        f"  Loại / Kind:              {p.kind or '—'}"
        + (f", {p.field}, {p.competence}" if p.field and p.competence else ""),
        f"  Cơ quan / Agency:         {agency.vi} / {agency.en}",
        f"  Ngày nhận / Received:     {p.received_on.isoformat()} ({p.channel})",
        f"  Người ký / Signers:       {'nặc danh / anonymous' if p.anonymous else p.signers}",
        f"  Nội dung / Content:       {p.content}",
    ]
    if p.handler:
        lines.append(f"  Giải quyết / Handler:     {p.handler}")
    current = p.deadline()
    if p.suspended_since is not None:
        lines.append(
            f"  Tạm đình chỉ / Suspended: từ / since {p.suspended_since.isoformat()} "
            "(thời hạn tạm dừng / the term stands still)"
        )
    if current is not None:
        term = counted(current, app.working_calendar(), today)
        unit = "ngày làm việc / working days" if term.working else "ngày / days"
        state = (
            f"quá hạn / overdue {term.overdue} {unit}"
            if term.overdue
            else f"còn / left {term.left} {unit}"
        )
        lines.append(f"  Hạn / Due:                {term.due.isoformat()}, {state}")
    if p.verdict is not None:
        lines.append(f"  Kết quả / Result:         {p.verdict}: {p.result}")
    if people is None:
        hidden = confidentiality(p)
        lines.append(f"  Người gửi / Petitioners:  {hidden.vi} / {hidden.en}")
    else:
        for person in people:
            shown = (
                "đã xóa / erased"
                if person is None
                else " | ".join(
                    v
                    for v in (person.full_name, person.id_number, person.address, person.phone)
                    if v
                )
            )
            lines.append(f"  Người gửi / Petitioner:   {shown}")
    lines.append("  Diễn biến / Timeline:")
    return "\n".join(lines) + "\n"
