"""``/reports/periodic``: the Office's periodic report on the directives of a period, to print on
A4 and sign, on the official form of an administrative document (Nghị định 30/2020/NĐ-CP, Phụ
lục I: docs/reports.md): the issuing body and the document's number, the national title and
motto, the place and date, the kind and subject, the figures per lead unit, the overdue list, and
the signature block with its recipients.

The period is a year, quarter or month (``2026``, ``2026-Q3``, ``2026-07``), by default the
current quarter; its directives are those issued in it, as of its last day (or today, while it
runs), from one log position, which the report names with the checkpoint covering it.

The Office issues it (``POST /reports/periodic``): the report shown, at its period, number and
position, typeset in Vietnamese, signed by the officer's certificate and filed as a public
document (``api.report_filing``), whose page the QR code opens.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import falcon

from api.documents import oversight_checkpoint
from api.filing import PUBLIC_PATH
from api.http import ProblemError, from_parameter, read_models
from api.official import (
    MONTHS_EN,
    ReportRow,
    file_name,
    place_and_date,
    report_content,
    send_pdf,
    signature_of,
)
from api.params import POSITION, REPORT_NUMBER, REPORT_PERIOD, ParameterError
from api.report_filing import IssuedReport, ReportFiling
from api.web.formats import day as day_said
from api.web.formats import hex_digest
from api.web.formats import number as number_said
from api.web.formats import percent as percent_said
from api.web.i18n import Language, coverage_said, message
from api.web.pages.base import Pages, domain_refusal, language, posted_form, signed_in
from domain.documents.layout import DocumentContent, DocumentRenderer, Signature
from domain.shared.actors import Actor
from domain.shared.clock import CITY_TIMEZONE, Clock, city_date
from domain.shared.errors import DomainError
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
        filing: ReportFiling | None = None,
        caught_up: Callable[[int, str], object] | None = None,
    ) -> None:
        """``filing``: signs and files the report the Office issues (None: not offered);
        ``caught_up``: waits for the read models to reach a position (read-your-writes)."""
        self.pages, self.view, self.trail, self.log_name = pages, view, trail, log_name
        self.clock, self.documents = clock, documents
        self.filing, self.caught_up = filing, caught_up

    def report(self, req: falcon.Request) -> dict[str, Any]:
        """What the report says, from one log position: the page and the PDF show it alike."""
        return self.report_at(
            language(req),
            REPORT_PERIOD.text(req),
            (REPORT_NUMBER.read(req) or "").strip(),
            POSITION.read(req),
        )

    def report_at(
        self, lang: Language, text: str | None, number: str, asked: int | None
    ) -> dict[str, Any]:
        """The report of the period ``text`` (None: the current quarter) numbered ``number``,
        at the log position ``asked`` (None: the latest), in ``lang``."""
        view = read_models(self.view)
        today = city_date(self.clock.now())
        text = (text or current_quarter(today)).strip().upper()
        chosen = period_of(text)
        first, last = chosen
        day = min(last, today)  # a period still running: its figures so far
        position = view.position_of(AsOf(day, asked))
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
            "number": number,
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
        self.pages.render(req, resp, "report.html", problem=None, **self.report(req))

    def on_get_pdf(self, req: falcon.Request, resp: falcon.Response) -> None:
        """``/reports/periodic.pdf``: the same report, typeset in the same form, unsigned."""
        r = self.report(req)
        name = file_name(r["number"] or f"bao-cao-{r['period']}")
        send_pdf(resp, self.documents.render(self.content(language(req), r)), name)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        """The Office issues the report shown (its period, number and log position, sent with
        the form): signed by the officer's certificate and filed (``api.report_filing``), then
        its public page; the same report issued again, the one filed. Refused on the page in
        the reader's language: no number, no certificate, a signing that failed."""
        actor = signed_in(req)
        lang = language(req)
        form = posted_form(req)
        try:
            issued = self.issue(
                REPORT_PERIOD.text_in(form),
                REPORT_NUMBER.needed_in(form),
                POSITION.value_in(form),
                actor=actor,
                request_id=req.context.request_id,
            )
        except ParameterError as e:
            self.refused(req, resp, form, from_parameter(e, lang))
            return
        except DomainError as e:
            self.refused(req, resp, form, domain_refusal(e, lang))
            return
        raise falcon.HTTPSeeOther(f"{PUBLIC_PATH}/{issued.public_id}")

    def issue(
        self, text: str | None, number: str, asked: int | None, *, actor: Actor, request_id: str
    ) -> IssuedReport:
        """Issue the report of the period ``text`` numbered ``number`` at the log position
        ``asked``: typeset in Vietnamese, an administrative document's language, signed by
        ``actor`` and filed (``api.report_filing``), the read models caught up with it; the
        one filed before where it was. ParameterError (the period), SignerMissingError,
        DocumentNotSignedError: nothing filed."""
        if self.filing is None:
            raise falcon.HTTPNotFound
        r = self.report_at("vi", text, number.strip(), asked)
        first, last, number = r["first"], r["last"], r["number"]
        content = self.content(
            "vi",
            r,
            signature=signature_of("vi", self.pages.accounts(actor.user_id), actor.user_id),
            qr_url=self.filing.qr_url(first, last, number),
        )
        issued = self.filing.issue(
            content, first=first, last=last, number=number, actor=actor, request_id=request_id
        )
        if issued.position is not None and self.caught_up is not None:
            self.caught_up(issued.position, request_id)
        return issued

    def refused(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        form: dict[str, Any],
        problem: ProblemError,
    ) -> None:
        """The report as the form asked for it, with why it was not issued."""
        lang = language(req)
        try:
            r = self.report_at(
                lang,
                REPORT_PERIOD.text_in(form),
                (REPORT_NUMBER.value_in(form) or "").strip(),
                POSITION.value_in(form),
            )
        except ParameterError:
            r = self.report_at(lang, None, "", None)
        self.pages.render(req, resp, "report.html", problem.status, problem=problem, **r)

    def content(
        self,
        lang: Language,
        r: dict[str, Any],
        *,
        signature: Signature | None = None,
        qr_url: str | None = None,
    ) -> DocumentContent:
        """The report ``r`` (``report_at``'s) typeset as the PDF is: a draft, or signed by
        ``signature``'s signer with the QR code of its page."""
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
        return report_content(
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
            signature=signature,
            qr_url=qr_url,
        )
