"""``/reports/periodic``: the Office's periodic report on the directives of a period, to print on
A4 and sign, on the official form of an administrative document (Nghị định 30/2020/NĐ-CP, Phụ
lục I: docs/reports.md): the issuing body and the document's number, the national title and
motto, the place and date, the kind and subject, the figures per lead unit, the overdue list, and
the signature block with its recipients.

The period is a year, quarter or month (``2026``, ``2026-Q3``, ``2026-07``), by default the
current quarter; its directives are those issued in it, as of its last day (or today, while it
runs), from one log position, which the report names with the checkpoint covering it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import falcon

from api.documents import oversight_checkpoint
from api.http import read_models
from api.official import MONTHS_EN, ReportRow, file_name, place_and_date, report_content, send_pdf
from api.params import POSITION, REPORT_NUMBER, REPORT_PERIOD
from api.web.formats import day as day_said
from api.web.formats import hex_digest
from api.web.formats import number as number_said
from api.web.formats import percent as percent_said
from api.web.i18n import Language, coverage_said, message
from api.web.pages.base import Pages, language
from domain.documents.layout import DocumentRenderer
from domain.shared.clock import CITY_TIMEZONE, Clock, city_date
from domain.shared.ordering import natural_key
from projections.audit import coverage
from readmodels.audit import AuditStore
from readmodels.model import AsOf, Figures, Filters, LateItem
from readmodels.model import period as period_of
from readmodels.open import OversightView

LATE_LISTED = 100  # the longest overdue, listed; the count says how many there are
CATEGORY_KEYS = ("completed_on_time", "completed_late", "in_progress", "overdue", "no_deadline")


@dataclass(frozen=True, slots=True)
class UnitRow:
    code: str
    name: str
    figures: Figures


def period_said(lang: Language, text: str) -> str:
    """The period in words: "quý 3 năm 2026" / "quarter 3 of 2026"."""
    text = text.strip().upper()
    year = text[:4]
    if "-Q" in text:
        return message(lang, "report.period.quarter", quarter=text[-1], year=year)
    if "-" in text:
        month = int(text[5:7])
        said = MONTHS_EN[month - 1] if lang == "en" else str(month)
        return message(lang, "report.period.month", month=said, year=year)
    return message(lang, "report.period.year", year=year)


def current_quarter(today: date) -> str:
    return f"{today.year}-Q{(today.month - 1) // 3 + 1}"


class PeriodicReport:
    """``/reports/periodic``: the page, which the browser prints."""

    def __init__(
        self,
        pages: Pages,
        *,
        view: OversightView | None,
        trail: AuditStore | None,
        log_name: str,
        clock: Clock,
        documents: DocumentRenderer,
    ) -> None:
        self.pages, self.view, self.trail, self.log_name = pages, view, trail, log_name
        self.clock, self.documents = clock, documents

    def report(self, req: falcon.Request) -> dict[str, Any]:
        """What the report says, from one log position: the page and the PDF show it alike."""
        view = read_models(self.view)
        lang = language(req)
        today = city_date(self.clock.now())
        chosen = REPORT_PERIOD.read(req)
        text = REPORT_PERIOD.text(req) or current_quarter(today)
        if chosen is None:
            chosen = period_of(text)
        first, last = chosen
        day = min(last, today)  # a period still running: its figures so far
        position = view.position_of(AsOf(day, POSITION.read(req)))
        as_of = AsOf(day, position)
        filters = Filters(issued_from=first, issued_to=last)
        summary = view.summary(as_of, filters=filters)
        names = self.pages.unit_names(lang)
        units = sorted(
            (UnitRow(code, names.get(code, code), f) for code, f in summary.units.items()),
            key=lambda u: natural_key(u.name),
        )
        late: list[LateItem] = view.late(as_of, filters, limit=LATE_LISTED)
        return {
            "period": text,
            "period_words": period_said(lang, text),
            "first": first,
            "last": last,
            "day": day,
            "today": today,
            "place_date": place_and_date(lang, today),
            "number": (REPORT_NUMBER.read(req) or "").strip(),
            "city": summary.city,
            "units": units,
            "late": late,
            "position": position,
            "checkpoint": oversight_checkpoint(self.trail, self.log_name, position),
            "coverage": coverage_said(
                lang,
                None if self.trail is None else coverage(self.trail, self.log_name, position),
            ),
        }

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.pages.render(req, resp, "report.html", **self.report(req))

    def on_get_pdf(self, req: falcon.Request, resp: falcon.Response) -> None:
        """``/reports/periodic.pdf``: the same report, typeset in the same form."""
        lang = language(req)
        r = self.report(req)
        names = self.pages.unit_names(lang)

        def figures(f: Figures) -> tuple[str, ...]:
            cells = [number_said(getattr(f, key), lang) for key in CATEGORY_KEYS]
            return (*cells, number_said(f.total, lang), percent_said(f.on_time_rate, lang))

        city: Figures = r["city"]
        late: list[LateItem] = r["late"]
        source = message(
            lang, "report.source", position=number_said(r["position"], lang), coverage=r["coverage"]
        )
        checkpoint: dict[str, Any] | None = r["checkpoint"]  # the JSON document's fields
        if checkpoint is not None:
            source += " " + message(
                lang,
                "print.checkpoint",
                size=number_said(checkpoint["tree_size"], lang),
                root=hex_digest(checkpoint["root"]),
            )
        content = report_content(
            lang=lang,
            number=r["number"],
            place_date=r["place_date"],
            subject=message(lang, "report.subject", period=r["period_words"]),
            intro=message(
                lang,
                "report.intro",
                first=day_said(r["first"], lang),
                last=day_said(r["last"], lang),
                day=day_said(r["day"], lang),
            ),
            figures_header=(
                message(lang, "report.no"),
                message(lang, "dash.unit"),
                *(message(lang, f"category.{key}") for key in CATEGORY_KEYS),
                message(lang, "dash.total"),
                message(lang, "dash.on_time_rate"),
            ),
            figures=[ReportRow(u.name, figures(u.figures)) for u in r["units"]],
            total=("", message(lang, "report.city"), *figures(city)),
            late_title=message(lang, "report.late"),
            late_said=(
                message(lang, "report.late.count", count=city.overdue, shown=len(late))
                if late
                else message(lang, "report.late.none")
            ),
            late_header=(
                message(lang, "report.no"),
                message(lang, "directive.reference"),
                message(lang, "directive.title"),
                message(lang, "directive.lead_unit"),
                message(lang, "directive.deadline"),
                message(lang, "dash.late.days"),
                message(lang, "directive.percent"),
            ),
            late=[
                (
                    str(i),
                    item.reference,
                    item.title,
                    names.get(item.lead_unit, item.lead_unit),
                    day_said(item.deadline, lang),
                    number_said(item.days, lang),
                    percent_said(item.percent / 100, lang, 0),
                )
                for i, item in enumerate(late, 1)
            ],
            source=source,
            created=datetime.combine(r["today"], time(), CITY_TIMEZONE),
        )
        name = file_name(r["number"] or f"bao-cao-{r['period']}")
        send_pdf(resp, self.documents.render(content), name)
