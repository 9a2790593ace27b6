"""The dashboard as a file: CSV (UTF-8 with a byte-order mark, so Excel reads Vietnamese) and XLSX.

Both carry where the figures came from: the day they are as of, the filters, the log position
they were computed from, and the signed checkpoint covering it (tree size and root hash, in hex as
everywhere people see it), so that anyone holding the file can ask the system the same question
and check the answer. Days stay ISO 8601 and numbers stay numbers: a file is data, which a
spreadsheet then shows the reader's way. It is also read by people: every header and label is in
the reader's language, units and people are named, and a share is a percentage (62.9, under a
header that says %), never a code or a fraction.

No text becomes a formula, whoever wrote it (a title, a unit's name, a filter from a link): a
spreadsheet runs a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or a
line feed, so, as OWASP's guidance on CSV injection says
(https://owasp.org/www-community/attacks/CSV_Injection), such a text is written behind an
apostrophe in the CSV, and every text there is quoted, so that a separator inside it cannot start a
cell either. In the XLSX every text is a string cell, never a formula, and one that begins like a
formula is marked as text the way Excel marks what is typed behind an apostrophe (``quotePrefix``),
so the text is kept exactly. Numbers stay numbers in both, negative ones too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from api.web.formats import hex_digest
from api.web.i18n import MESSAGES, Language, coverage_said, message, term
from projections.audit import Coverage
from readmodels.index import UnitScore
from readmodels.model import AwaitingItem, Figures, LateItem
from readmodels.petitions import MatterFigures, PetitionFigures, PetitionItem, RepeatedMatter

CATEGORIES = ("completed_on_time", "completed_late", "in_progress", "overdue", "no_deadline")
# What a spreadsheet reads as the start of a formula (OWASP, CSV Injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
# XML 1.0 cannot hold these, so openpyxl refuses them: they are shown by their control pictures
# (U+2400 + the code: "␀", "␁", ...), as the text would be read aloud, rather than dropped.
_NOT_XML = {c: 0x2400 + c for c in (*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20))}


@dataclass(frozen=True, slots=True)
class UnitFigures:
    code: str
    name: str
    figures: Figures
    score: UnitScore | None


@dataclass(frozen=True, slots=True)
class Report:
    """What the dashboard shows, as data: the page and both exports are made from it."""

    as_of: date
    basis: str
    filters: dict[str, str]
    position: int
    checkpoint: dict[str, Any] | None  # tree_size, root (base64, as the API gives it), signed_at
    city: Figures
    units: tuple[UnitFigures, ...]
    late: tuple[LateItem, ...]
    # Completion reports awaiting the leader's decision: in their categories still, shown apart.
    awaiting: tuple[AwaitingItem, ...] = ()
    skipped: int = 0  # stored events the read models left out (docs/oversight.md)
    forecast: bool = False  # the day is still to come: what it will be if nothing changes
    # Which signed checkpoint covers the position, or the latest and what it leaves out.
    coverage: Coverage | None = None
    # Units ended by a reorganisation by then, each under its heir (docs/units.md).
    carried: tuple[tuple[UnitFigures, UnitFigures], ...] = ()
    # Each unit's name and each issuer's person, in the reader's language, as the page shows them.
    names: dict[str, str] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)


def percent(rate: float | None) -> float | None:
    """A share as a percentage with one decimal (0.6293 -> 62.9), under a header saying %."""
    return None if rate is None else round(rate * 100, 1)


def percent_header(lang: Language, key: str) -> str:
    return message(lang, "export.percent", label=message(lang, key))


def filter_rows(
    filters: dict[str, str], lang: Language, names: dict[str, str], people: dict[str, str]
) -> list[tuple[str, str]]:
    """The filters chosen, each said in words, a unit by its name and an issuer by the person."""
    rows = []
    for name, given in sorted(filters.items()):
        key = f"export.filter.{name}"
        label = message(lang, key) if key in MESSAGES else name
        said = given
        if name in {"unit", "agency"}:
            said = names.get(given, given)
        elif name == "issuer":
            said = people.get(given, given)
        elif name == "urgency":
            said = term(lang, "urgency", given)
        rows.append((label, said))
    return rows


def provenance(report: Report, lang: Language) -> list[tuple[str, str]]:
    """The rows that say where the figures came from."""
    rows = [
        (message(lang, "dash.as_of"), report.as_of.isoformat()),
        (message(lang, "dash.basis"), message(lang, f"dash.basis.{report.basis}")),
        *filter_rows(report.filters, lang, report.names, report.people),
        (message(lang, "export.position"), str(report.position)),
    ]
    if report.forecast:
        rows.append((message(lang, "export.forecast"), message(lang, "forecast")))
    return rows + checkpoint_rows(report.checkpoint, report.coverage, lang)


def checkpoint_rows(
    checkpoint: dict[str, Any] | None, covered: Coverage | None, lang: Language
) -> list[tuple[str, str]]:
    """The rows that name the signed checkpoint covering the figures, and say so."""
    if checkpoint is None:
        rows = [(message(lang, "export.checkpoint"), message(lang, "checkpoint.none"))]
    else:
        rows = [
            (message(lang, "export.checkpoint.size"), str(checkpoint["tree_size"])),
            # In hex, as every page and the command line show it: never behind a formula
            # guard's apostrophe, as a base64 root beginning with "+" was.
            (message(lang, "export.checkpoint.root"), hex_digest(checkpoint["root"])),
            (message(lang, "export.checkpoint.signed_at"), str(checkpoint["signed_at"])),
        ]
    # The sentence the dashboard says it in, word for word.
    rows.append((message(lang, "export.checkpoint.coverage"), coverage_said(lang, covered)))
    return rows


def _unit_header(lang: Language) -> list[str]:
    return [
        message(lang, "dash.unit"),
        message(lang, "export.code"),
        *(message(lang, f"category.{c}") for c in CATEGORIES),
        message(lang, "dash.total"),
        percent_header(lang, "dash.on_time_rate"),
        message(lang, "dash.rank"),
        message(lang, "dash.score"),
        message(lang, "dash.grade"),
        message(lang, "awaiting.title"),
        message(lang, "awaiting.overdue"),
    ]


def _unit_row(
    name: str, code: str, f: Figures, score: UnitScore | None, lang: Language
) -> list[Any]:
    rate = percent(f.on_time_rate)
    grade = None if score is None else (score.grade_vi if lang == "vi" else score.grade_en)
    return [
        name,
        code,
        *(getattr(f, c) for c in CATEGORIES),
        f.total,
        rate,
        None if score is None else score.rank,
        None if score is None else score.score,
        grade,
        f.awaiting_acceptance,
        f.awaiting_acceptance_overdue,
    ]


def _late_header(lang: Language) -> list[str]:
    return [
        message(lang, "directive.reference"),
        message(lang, "directive.title"),
        message(lang, "directive.lead_unit"),
        message(lang, "directive.urgency"),
        message(lang, "directive.deadline"),
        message(lang, "dash.late.days"),
        percent_header(lang, "directive.percent"),
        message(lang, "awaiting.reported_on"),
        message(lang, "awaiting.days"),
        message(lang, "awaiting.held_by"),
    ]


def _late_row(item: LateItem, report: Report, lang: Language) -> list[Any]:
    waiting = item.awaiting
    return [
        item.reference,
        item.title,
        report.names.get(item.lead_unit, item.lead_unit),
        term(lang, "urgency", item.urgency),
        item.deadline.isoformat(),
        item.days,
        item.percent,
        None if waiting is None else waiting.reported_on.isoformat(),
        None if waiting is None else waiting.days,
        None if waiting is None else report.people.get(waiting.held_by, waiting.held_by),
    ]


def _awaiting_header(lang: Language) -> list[str]:
    return [
        message(lang, "directive.reference"),
        message(lang, "directive.title"),
        message(lang, "directive.lead_unit"),
        message(lang, "directive.deadline"),
        message(lang, "awaiting.reported_on"),
        message(lang, "awaiting.days"),
        message(lang, "awaiting.held_by"),
        message(lang, "awaiting.late_at_report"),
        message(lang, "category.overdue"),
    ]


def _awaiting_row(item: AwaitingItem, report: Report, lang: Language) -> list[Any]:
    return [
        item.reference,
        item.title,
        report.names.get(item.lead_unit, item.lead_unit),
        None if item.deadline is None else item.deadline.isoformat(),
        item.awaiting.reported_on.isoformat(),
        item.awaiting.days,
        report.people.get(item.awaiting.held_by, item.awaiting.held_by),
        item.days_late_at_report,
        message(lang, "yes" if item.overdue else "no"),
    ]


def csv_cell(value: Any) -> Any:
    """A value as a CSV field: a number as it is; a text behind an apostrophe if it begins like a
    formula (OWASP, CSV Injection)."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


class _InertWriter:
    """csv.writer's rows, with every field made inert; texts quoted, numbers not."""

    def __init__(self, out: io.StringIO) -> None:
        self._writer = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC)

    def writerow(self, row: Iterable[Any]) -> None:
        self._writer.writerow([csv_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def to_csv(report: Report, lang: Language) -> bytes:
    out = io.StringIO()
    writer = _InertWriter(out)
    writer.writerow([message(lang, "dash.title")])
    writer.writerows(provenance(report, lang))
    writer.writerow([])
    writer.writerow(_unit_header(lang))
    writer.writerow(_unit_row(message(lang, "app.city"), "", report.city, None, lang))
    for unit in report.units:
        writer.writerow(_unit_row(unit.name, unit.code, unit.figures, unit.score, lang))
    writer.writerow([])
    writer.writerow([message(lang, "dash.late")])
    writer.writerow(_late_header(lang))
    for item in report.late:
        writer.writerow(_late_row(item, report, lang))
    writer.writerow([])
    writer.writerow([message(lang, "awaiting.title")])
    writer.writerow(_awaiting_header(lang))
    for waiting in report.awaiting:
        writer.writerow(_awaiting_row(waiting, report, lang))
    return ("\ufeff" + out.getvalue()).encode()


def xlsx_text(text: str) -> str:
    """A text as a cell can hold it: one kind of line break, no character XML cannot carry."""
    return text.replace("\r\n", "\n").replace("\r", "\n").translate(_NOT_XML)


def append(sheet: Worksheet, row: Iterable[Any]) -> None:
    """Add a row whose texts are string cells, never formulas (openpyxl makes a text beginning
    with "=" a formula); one that begins like a formula is marked as text, as Excel does."""
    cells: list[Any] = []
    for value in row:
        if not isinstance(value, str):
            cells.append(value)
            continue
        cell = WriteOnlyCell(sheet, xlsx_text(value))  # placed by append
        cell.data_type = "s"
        cell.quotePrefix = value.startswith(FORMULA_TRIGGERS)
        cells.append(cell)
    sheet.append(cells)


def to_xlsx(report: Report, lang: Language) -> bytes:
    book = Workbook()
    bold = Font(bold=True)
    summary = book.worksheets[0]
    summary.title = message(lang, "dash.tiles")[:31]
    append(summary, _unit_header(lang))
    append(summary, _unit_row(message(lang, "app.city"), "", report.city, None, lang))
    for unit in report.units:
        append(summary, _unit_row(unit.name, unit.code, unit.figures, unit.score, lang))
    for cell in summary[1]:
        cell.font = bold
    summary.column_dimensions["A"].width = 40

    late = book.create_sheet(message(lang, "dash.late")[:31])
    append(late, _late_header(lang))
    for item in report.late:
        append(late, _late_row(item, report, lang))
    for cell in late[1]:
        cell.font = bold
    late.column_dimensions["B"].width = 60

    awaiting = book.create_sheet(message(lang, "awaiting.sheet")[:31])
    append(awaiting, _awaiting_header(lang))
    for waiting in report.awaiting:
        append(awaiting, _awaiting_row(waiting, report, lang))
    for cell in awaiting[1]:
        cell.font = bold
    awaiting.column_dimensions["B"].width = 60

    source = book.create_sheet(message(lang, "export.sheet.source"))
    for name, value in provenance(report, lang):
        append(source, [name, value])
    source.column_dimensions["A"].width = 32
    source.column_dimensions["B"].width = 60
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- the petitions' dashboard and list -----------------------------------------------------------
# No personal data: the read models they are made from hold none (no petitioner, no content).

PETITION_COLUMNS = (
    "received", "accepted", "guided", "transferred", "transferred_within", "not_accepted",
    "archived", "withdrawn", "awaiting_decision", "in_handling", "within_deadline", "due_soon",
    "overdue", "days_overdue_total", "suspended", "resolved_on_time", "resolved_late",
    "many_signers", "repeated", "second_round",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class PetitionReport:
    """What the petitions' dashboard shows, as data: the page and both exports are made from
    it. ``agencies``: (code, name, figures), in the order shown."""

    as_of: date
    position: int
    filters: dict[str, str]
    due_soon_days: int
    checkpoint: dict[str, Any] | None
    city: PetitionFigures
    agencies: tuple[tuple[str, str, PetitionFigures], ...]
    oldest: tuple[PetitionItem, ...]
    forecast: bool = False
    coverage: Coverage | None = None
    # Counted by matter (issue 26): the scope's, each agency's, and the matters filed more
    # than once (docs/petitions-oversight.md, "Matters").
    matters: MatterFigures = field(default_factory=MatterFigures)
    agency_matters: dict[str, MatterFigures] = field(default_factory=dict)
    repeated: tuple[RepeatedMatter, ...] = ()
    names: dict[str, str] = field(default_factory=dict)  # each agency's, in the reader's language


def _petition_provenance(report: PetitionReport, lang: Language) -> list[tuple[str, str]]:
    rows = [
        (message(lang, "dash.as_of"), report.as_of.isoformat()),
        *filter_rows(report.filters, lang, report.names, {}),
        (message(lang, "export.position"), str(report.position)),
        (message(lang, "export.due_soon_days"), str(report.due_soon_days)),
    ]
    if report.forecast:
        rows.append((message(lang, "export.forecast"), message(lang, "forecast")))
    return rows + checkpoint_rows(report.checkpoint, report.coverage, lang)


def _petition_header(lang: Language) -> list[str]:
    return [
        message(lang, "pet.agency"),
        message(lang, "export.code"),
        *(message(lang, f"pet.fig.{c}") for c in PETITION_COLUMNS),
        percent_header(lang, "pet.fig.share_on_time"),
    ]


def _petition_row(name: str, code: str, f: PetitionFigures) -> list[Any]:
    return [name, code, *(getattr(f, c) for c in PETITION_COLUMNS), percent(f.share_on_time)]


def _petition_breakdown(report: PetitionReport, lang: Language) -> list[list[Any]]:
    """Received by kind and by channel, for the city and each agency."""
    header = [
        message(lang, "pet.agency"),
        message(lang, "export.code"),
        *(term(lang, "petition.kind", k) for k in report.city.by_kind),
        *(term(lang, "petition.channel", c) for c in report.city.by_channel),
    ]
    rows: list[list[Any]] = [header]
    for name, code, f in (
        (message(lang, "app.city"), "", report.city),
        *((n, c, g) for c, n, g in report.agencies),
    ):
        rows.append([name, code, *f.by_kind.values(), *f.by_channel.values()])
    return rows


def _item_header(lang: Language) -> list[str]:
    return [
        message(lang, "pet.receipt"),
        message(lang, "pet.agency"),
        message(lang, "pet.kind"),
        message(lang, "pet.status"),
        message(lang, "pet.channel"),
        message(lang, "pet.arrived_on"),
        message(lang, "pet.due"),
        message(lang, "pet.days_left"),
        message(lang, "pet.days_open"),
        message(lang, "pet.signers"),
        message(lang, "pet.relation"),
        message(lang, "pet.transferred_to"),
        message(lang, "pet.resolved_on"),
        message(lang, "pet.on_time"),
    ]


def _item_row(item: PetitionItem, names: dict[str, str], lang: Language) -> list[Any]:
    return [
        item.receipt,
        _named(names, item.agency),
        term(lang, "petition.kind", str(item.kind)),
        term(lang, "petition.status", item.status),
        term(lang, "petition.channel", item.channel),
        item.arrived_on.isoformat(),
        None if item.due is None else item.due.isoformat(),
        item.days_left,
        item.days_open,
        item.signers,
        None if item.relation is None else term(lang, "petition.relation", item.relation),
        None
        if item.transferred_to is None
        else names.get(item.transferred_to, item.transferred_to),
        None if item.resolved_on is None else item.resolved_on.isoformat(),
        None if item.on_time is None else message(lang, "yes" if item.on_time else "no"),
    ]


def _named(names: dict[str, str], code: str) -> str:
    return names.get(code, code)


MATTER_FIGURES = (
    "filings",
    "matters",
    "repeated",
    "resolved_on_time",
    "resolved_late",
    "overdue",
    "share_on_time",
)


def _matter_rows(report: PetitionReport, names: dict[str, str], lang: Language) -> list[list[Any]]:
    """The figures counted by matter, and the matters filed more than once."""
    m = report.matters
    rows: list[list[Any]] = [
        [message(lang, f"pet.matter.fig.{key}"), getattr(m, key)]
        if key != "share_on_time"
        else [percent_header(lang, f"pet.matter.fig.{key}"), percent(m.share_on_time)]
        for key in MATTER_FIGURES
    ]
    rows.append([])
    rows.append(
        [
            message(lang, "pet.matter.receipts"),
            message(lang, "pet.matter.filed"),
            message(lang, "pet.matter.agencies"),
            message(lang, "pet.matter.first_result"),
            message(lang, "pet.on_time"),
        ]
    )
    for r in report.repeated:
        rows.append(
            [
                " ".join(r.receipts),
                r.filings,
                "; ".join(names.get(a, a) for a in r.agencies),
                "" if r.first_result_on is None else r.first_result_on.isoformat(),
                "" if r.on_time is None else message(lang, "yes" if r.on_time else "no"),
            ]
        )
    return rows


def petitions_csv(report: PetitionReport, names: dict[str, str], lang: Language) -> bytes:
    out = io.StringIO()
    writer = _InertWriter(out)
    writer.writerow([message(lang, "pet.dash.title")])
    writer.writerows(_petition_provenance(report, lang))
    writer.writerow([])
    writer.writerow(_petition_header(lang))
    writer.writerow(_petition_row(message(lang, "app.city"), "", report.city))
    for code, name, figures in report.agencies:
        writer.writerow(_petition_row(name, code, figures))
    writer.writerow([])
    writer.writerow([message(lang, "pet.matters.title")])
    writer.writerows(_matter_rows(report, names, lang))
    writer.writerow([])
    writer.writerow([message(lang, "pet.received_by")])
    writer.writerows(_petition_breakdown(report, lang))
    writer.writerow([])
    writer.writerow([message(lang, "pet.oldest")])
    writer.writerow(_item_header(lang))
    for item in report.oldest:
        writer.writerow(_item_row(item, names, lang))
    return ("\ufeff" + out.getvalue()).encode()


def petitions_xlsx(report: PetitionReport, names: dict[str, str], lang: Language) -> bytes:
    book = Workbook()
    figures = book.worksheets[0]
    figures.title = message(lang, "pet.dash.sheet")[:31]
    append(figures, _petition_header(lang))
    append(figures, _petition_row(message(lang, "app.city"), "", report.city))
    for code, name, f in report.agencies:
        append(figures, _petition_row(name, code, f))
    _bold_header(figures, 40)
    received = book.create_sheet(message(lang, "pet.received_by")[:31])
    for row in _petition_breakdown(report, lang):
        append(received, row)
    _bold_header(received, 40)
    matters = book.create_sheet(message(lang, "pet.matters.title")[:31])
    for row in _matter_rows(report, names, lang):
        append(matters, row)
    _bold_header(matters, 40)
    oldest = book.create_sheet(message(lang, "pet.oldest")[:31])
    append(oldest, _item_header(lang))
    for item in report.oldest:
        append(oldest, _item_row(item, names, lang))
    _bold_header(oldest, 18)
    _source(book, _petition_provenance(report, lang), lang)
    return _saved(book)


def petition_list_csv(
    items: Iterable[PetitionItem],
    names: dict[str, str],
    source: list[tuple[str, str]],
    lang: Language,
) -> bytes:
    out = io.StringIO()
    writer = _InertWriter(out)
    writer.writerow([message(lang, "pet.list.title")])
    writer.writerows(source)
    writer.writerow([])
    writer.writerow(_item_header(lang))
    for item in items:
        writer.writerow(_item_row(item, names, lang))
    return ("\ufeff" + out.getvalue()).encode()


def petition_list_xlsx(
    items: Iterable[PetitionItem],
    names: dict[str, str],
    source: list[tuple[str, str]],
    lang: Language,
) -> bytes:
    book = Workbook()
    listed = book.worksheets[0]
    listed.title = message(lang, "pet.list.title")[:31]
    append(listed, _item_header(lang))
    for item in items:
        append(listed, _item_row(item, names, lang))
    _bold_header(listed, 18)
    _source(book, source, lang)
    return _saved(book)


def _bold_header(sheet: Worksheet, width: int) -> None:
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    sheet.column_dimensions["A"].width = width


def _source(book: Workbook, rows: list[tuple[str, str]], lang: Language) -> None:
    source = book.create_sheet(message(lang, "export.sheet.source"))
    for name, value in rows:
        append(source, [name, value])
    source.column_dimensions["A"].width = 32
    source.column_dimensions["B"].width = 60


def _saved(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- the digital-transformation index's ranking, in the shape the city publishes ---------------


def dti_ranking_xlsx(
    results: dict[str, Any],
    indicators: dict[tuple[str, int], list[tuple[str, str]]],
    names: dict[str, str],
    source: list[tuple[str, str]],
    lang: Language,
) -> bytes:
    """The ranking of a period (``api.dti_documents.results_document``) as the city publishes
    it: per group of units, a sheet of rank (shared on a tie), unit, the points of each main
    indicator (``indicators``: code and name, by group and version), total and band; then the
    sheet saying where the figures came from."""
    book = Workbook()
    book.remove(book.worksheets[0])
    used: set[str] = set()
    for g in results["groups"]:
        title = (g["name_vi"] if lang == "vi" else g["name_en"])[:28]
        if title in used:
            title = f"{title[:25]} v{g['version']}"
        used.add(title)
        sheet = book.create_sheet(title)
        columns = indicators.get((g["group"], g["version"]), [])
        append(
            sheet,
            [
                message(lang, "dti.rank"),
                message(lang, "dti.unit"),
                *(f"{code}. {name}" for code, name in columns),
                message(lang, "dti.total"),
                message(lang, "dti.band"),
            ],
        )
        for u in g["units"]:
            points = {i["code"]: i["points"] for p in u["pillars"] for i in p["indicators"]}
            append(
                sheet,
                [
                    u["shared_rank"],
                    names.get(u["unit"], u["unit"]),
                    *(points.get(code) for code, _ in columns),
                    u["total"],
                    u["band_vi"] if lang == "vi" else u["band_en"],
                ],
            )
        _bold_header(sheet, 8)
        sheet.column_dimensions["B"].width = 48
    _source(book, source, lang)
    return _saved(book)
