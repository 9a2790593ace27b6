"""The petitions' oversight pages: the dashboard with its as-of picker, an officer's queue
("Việc cần làm — Đơn thư"), the list, and the exports of the dashboard and the list.

What an officer of an agency sees is confined to its agency, as in the API
(``api.resources.petitions_oversight``); nothing personal is shown or exported, the read models
holding none.
"""

from __future__ import annotations

from urllib.parse import urlencode

import falcon

from api.documents import oversight_checkpoint
from api.http import read_models
from api.params import (
    AGENCY,
    AS_OF,
    OVERDUE,
    PETITION_CURSOR,
    PETITION_KIND,
    PETITION_STATUS,
    POSITION,
    RECEIVED,
    given,
)
from api.resources.petitions_oversight import (
    confined,
    list_filters,
    petition_filters,
    queue_of,
)
from api.web.export import (
    PetitionReport,
    checkpoint_rows,
    petition_list_csv,
    petition_list_xlsx,
    petitions_csv,
    petitions_xlsx,
)
from api.web.i18n import coverage_said, message
from api.web.pages.base import Pages, language, signed_in
from domain.petitions.petition import Status
from domain.shared.clock import Clock, city_date
from domain.shared.ordering import natural_key
from projections.audit import coverage
from readmodels.audit import AuditStore
from readmodels.model import AsOf
from readmodels.open import OversightView
from readmodels.petitions import CHANNELS, KINDS, OLDEST_SHOWN, PetitionItem

LIST_SHOWN = 100  # rows of the list a page shows; the next page follows from the last
REPEATED_SHOWN = 20  # matters filed more than once the dashboard lists, the most filed first
EXPORTED = 10_000  # rows of the list an export holds at most
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PetitionPages:
    """``/petitions``, ``/petitions/queue``, ``/petitions/dashboard`` and their exports."""

    def __init__(
        self,
        pages: Pages,
        *,
        view: OversightView | None,
        trail: AuditStore | None,
        log_name: str,
        clock: Clock,
        due_soon_days: int,
    ) -> None:
        self.pages, self.view, self.trail, self.log_name = pages, view, trail, log_name
        self.clock, self.due_soon_days = clock, due_soon_days

    # --- the dashboard ---------------------------------------------------------------------------

    def report(self, req: falcon.Request) -> PetitionReport:
        """The figures, all from one point of view: the day asked and the log position asked or
        the one the day alone is answered at (``readmodels.model.AsOf``), both named."""
        view = read_models(self.view)
        today = city_date(self.clock.now())
        filters = petition_filters(req)
        day = AS_OF.read(req) or today
        position = view.position_of(AsOf(day, POSITION.read(req)))
        point = AsOf(day, position)
        summary = view.petitions.summary(point, filters, due_soon_days=self.due_soon_days)
        names = self.pages.unit_names(language(req))
        agencies = tuple(
            sorted(
                ((code, names.get(code, code), f) for code, f in summary.agencies.items()),
                key=lambda a: natural_key(a[1]),
            )
        )
        chosen = given(req, (AGENCY, PETITION_KIND, RECEIVED))
        if filters.agency is not None:
            chosen["agency"] = filters.agency
        return PetitionReport(
            as_of=day,
            position=position,
            filters=chosen,
            due_soon_days=self.due_soon_days,
            checkpoint=oversight_checkpoint(self.trail, self.log_name, position),
            city=summary.city,
            agencies=agencies,
            oldest=tuple(view.petitions.oldest_open(point, filters, OLDEST_SHOWN)),
            forecast=day > today,
            coverage=None if self.trail is None else coverage(self.trail, self.log_name, position),
            matters=summary.matters,
            agency_matters=summary.agency_matters,
            repeated=tuple(summary.repeated_matters[:REPEATED_SHOWN]),
            names=names,
        )

    def on_get_dashboard(self, req: falcon.Request, resp: falcon.Response) -> None:
        actor = signed_in(req)
        report = self.report(req)
        query = {k: v for k, v in req.params.items() if k != "lang" and isinstance(v, str)}
        self.pages.render(
            req,
            resp,
            "petitions_dashboard.html",
            report=report,
            query=query,
            own_agency=confined(actor),
            kinds=KINDS,
            channels=CHANNELS,
            download_query=urlencode({**query, "position": str(report.position)}),
            coverage=coverage_said(language(req), report.coverage),
            today=city_date(self.clock.now()),
            repeated_more=max(report.matters.repeated - len(report.repeated), 0),
        )

    def on_get_dashboard_export(
        self, req: falcon.Request, resp: falcon.Response, kind: str
    ) -> None:
        report = self.report(req)
        lang = language(req)
        names = self.pages.unit_names(lang)
        name = f"thucthi-don-thu-{report.as_of.isoformat()}-p{report.position}"
        if kind == "csv":
            resp.content_type = "text/csv; charset=utf-8"
            resp.data = petitions_csv(report, names, lang)
        elif kind == "xlsx":
            resp.content_type = XLSX
            resp.data = petitions_xlsx(report, names, lang)
        else:
            raise falcon.HTTPNotFound
        resp.set_header("Content-Disposition", f'attachment; filename="{name}.{kind}"')
        resp.set_header("Cache-Control", "no-store")

    # --- an officer's queue ----------------------------------------------------------------------

    def on_get_queue(self, req: falcon.Request, resp: falcon.Response) -> None:
        actor = signed_in(req)
        view = read_models(self.view)
        today = city_date(self.clock.now())
        agency, handler, items = queue_of(view, actor, today)
        self.pages.render(
            req,
            resp,
            "petitions_queue.html",
            agency=agency,
            handler=handler,
            items=items,
            today=today,
            position=view.position(),
        )

    # --- the list --------------------------------------------------------------------------------

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        actor = signed_in(req)
        view = read_models(self.view)
        today = city_date(self.clock.now())
        filters = list_filters(req)
        page = view.petitions.page(
            filters, today, after=PETITION_CURSOR.read(req), limit=LIST_SHOWN
        )
        chosen = given(req, (AGENCY, PETITION_KIND, PETITION_STATUS, OVERDUE))
        self.pages.render(
            req,
            resp,
            "petitions.html",
            items=page.items,
            chosen=chosen,
            next_query=None
            if page.next is None
            else urlencode({**chosen, "cursor": page.next.text()}),
            export_query=urlencode(chosen),
            own_agency=confined(actor),
            kinds=KINDS,
            statuses=[s.value for s in Status],
            today=today,
            continued=PETITION_CURSOR.read(req) is not None,
        )

    def on_get_export(self, req: falcon.Request, resp: falcon.Response, kind: str) -> None:
        view = read_models(self.view)
        lang = language(req)
        today = city_date(self.clock.now())
        filters = list_filters(req)
        items: list[PetitionItem] = []
        after = None
        while len(items) < EXPORTED:
            page = view.petitions.page(filters, today, after=after, limit=500)
            items += page.items
            if page.next is None:
                break
            after = page.next
        items = items[:EXPORTED]
        chosen = given(req, (AGENCY, PETITION_KIND, PETITION_STATUS, OVERDUE))
        if filters.agency is not None:
            chosen["agency"] = filters.agency
        position = view.position()
        source = [
            (message(lang, "pet.list.today"), today.isoformat()),
            *sorted(chosen.items()),
            ("log_position", str(position)),
            ("rows", str(len(items))),
            *checkpoint_rows(
                oversight_checkpoint(self.trail, self.log_name, position),
                None if self.trail is None else coverage(self.trail, self.log_name, position),
                lang,
            ),
        ]
        names = self.pages.unit_names(lang)
        if kind == "csv":
            resp.content_type = "text/csv; charset=utf-8"
            resp.data = petition_list_csv(items, names, source, lang)
        elif kind == "xlsx":
            resp.content_type = XLSX
            resp.data = petition_list_xlsx(items, names, source, lang)
        else:
            raise falcon.HTTPNotFound
        name = f"thucthi-danh-sach-don-thu-{today.isoformat()}-p{position}"
        resp.set_header("Content-Disposition", f'attachment; filename="{name}.{kind}"')
        resp.set_header("Cache-Control", "no-store")
