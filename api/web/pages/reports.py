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
from datetime import date

import falcon

from api.documents import oversight_checkpoint
from api.http import read_models
from api.params import POSITION, REPORT_NUMBER, REPORT_PERIOD
from api.web.i18n import Language, coverage_said, message
from api.web.pages.base import Pages, language
from domain.shared.clock import Clock, city_date
from domain.shared.ordering import natural_key
from projections.audit import coverage
from readmodels.audit import AuditStore
from readmodels.model import AsOf, Figures, Filters, LateItem
from readmodels.model import period as period_of
from readmodels.open import OversightView

LATE_LISTED = 100  # the longest overdue, listed; the count says how many there are
# English month names for the period's title (the reader's language; Babel writes the days).
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class UnitRow:
    code: str
    name: str
    figures: Figures


def leading_zero(n: int, *, month: bool) -> str:
    """A day or month in the place and date as the form writes it (Nghị định 30/2020, Phụ lục
    I, Phần I, II.4): a day below 10, and the months 1 and 2, take a leading zero."""
    return f"{n:02d}" if (n <= 2 if month else n < 10) else str(n)


def place_and_date(lang: Language, on: date) -> str:
    """ "Thành phố Hồ Chí Minh, ngày 07 tháng 02 năm 2026" / "Ho Chi Minh City, Feb 7, 2026"."""
    if lang == "en":
        return message(
            lang, "report.place_date", day=str(on.day), month=MONTHS_EN[on.month - 1],
            year=str(on.year),
        )  # fmt: skip
    return message(
        lang,
        "report.place_date",
        day=leading_zero(on.day, month=False),
        month=leading_zero(on.month, month=True),
        year=str(on.year),
    )


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
    ) -> None:
        self.pages, self.view, self.trail, self.log_name = pages, view, trail, log_name
        self.clock = clock

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
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
        self.pages.render(
            req,
            resp,
            "report.html",
            period=text,
            period_words=period_said(lang, text),
            first=first,
            last=last,
            day=day,
            today=today,
            place_date=place_and_date(lang, today),
            number=(REPORT_NUMBER.read(req) or "").strip(),
            city=summary.city,
            units=units,
            late=late,
            position=position,
            checkpoint=oversight_checkpoint(self.trail, self.log_name, position),
            coverage=coverage_said(
                lang,
                None if self.trail is None else coverage(self.trail, self.log_name, position),
            ),
        )
