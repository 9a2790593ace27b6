"""The dashboard of leadership and its exports: every figure from one log position, as of the day
asked, with the signed checkpoint that covers it.

What is made at a position is kept, as the API keeps its oversight answers (``api.fastpath``):
the figures (a ``Report``) here, for everyone who asks the same question; the page for each
reader by ``api.fastpath.KeptPage``."""

from __future__ import annotations

from urllib.parse import urlencode

import falcon

from api.documents import oversight_checkpoint
from api.fastpath import AnswerCache, Standing
from api.http import read_models
from api.params import POSITION
from api.resources.oversight import petition_component
from api.web import charts
from api.web.export import Report, UnitFigures, to_csv, to_xlsx
from api.web.i18n import coverage_said
from api.web.pages.base import Pages, language, question
from domain.shared.clock import Clock, city_date
from domain.shared.ordering import natural_key
from projections.audit import coverage
from readmodels.audit import AuditStore
from readmodels.index import IndexWeights, score_units
from readmodels.model import AsOf, Figures
from readmodels.open import OversightView

LATE_SHOWN = 50  # the late and awaiting lists' rows on the page, which reads no more
LISTED = 1000  # the late and awaiting lists' rows in the exports


class Dashboard:
    """``/dashboard`` and its exports (``/dashboard/export.csv``, ``.xlsx``)."""

    def __init__(
        self,
        pages: Pages,
        *,
        view: OversightView | None,
        trail: AuditStore | None,
        log_name: str,
        clock: Clock,
        weights: IndexWeights,
        standing: Standing | None = None,
    ) -> None:
        """``standing``: where the read models stand, for keeping what is made (None: nothing
        is kept)."""
        self.pages, self.view, self.trail, self.log_name = pages, view, trail, log_name
        self.clock, self.weights, self.standing = clock, weights, standing
        self.reports: AnswerCache[Report] = AnswerCache(size=64)

    def report(self, req: falcon.Request, listed: int) -> Report:
        """The figures, with up to ``listed`` rows of the late and awaiting lists; made once
        per question and position (``report_made``)."""
        now = None if self.standing is None else self.standing.now()
        if now is None:
            return self.report_made(req, listed)
        key = (req.query_string, language(req), listed, *now)
        return self.reports.get_or_make(key, lambda: self.report_made(req, listed))

    def report_made(self, req: falcon.Request, listed: int) -> Report:
        """The dashboard's figures, all from one point of view: the day asked, and the log
        position asked or the one the day alone is answered at (``readmodels.model.AsOf``).
        Both are named, and asked again give the same figures."""
        view = read_models(self.view)
        asked = question(req, city_date(self.clock.now()))
        day, filters = asked.day, asked.filters
        position = view.position_of(AsOf(day, POSITION.read(req)))
        as_of = AsOf(day, position)
        summary = view.summary(as_of, basis=asked.basis, filters=filters)
        petitions = petition_component(view, as_of, filters, self.weights)
        # The summary is the in-force one the index is made from, unless the other was asked.
        responsive = view.responsiveness(as_of, filters, summary)
        scores = {s.unit: s for s in score_units(responsive, self.weights, petitions)}
        names = self.pages.unit_names(language(req))
        units = tuple(
            sorted(
                (
                    UnitFigures(code, names.get(code, code), figures, scores.get(code))
                    for code, figures in summary.units.items()
                ),
                key=lambda u: (u.score.rank if u.score else 10**9, natural_key(u.name)),
            )
        )
        late = tuple(view.late(as_of, filters, limit=listed))
        awaiting = tuple(view.awaiting_acceptance(as_of, filters, limit=listed))
        checkpoint = oversight_checkpoint(self.trail, self.log_name, position)
        issuers = [u.awaiting.held_by for u in awaiting] + [
            i.awaiting.held_by for i in late if i.awaiting is not None
        ]
        return Report(
            names=names,
            people={
                name: self.pages.person(name)
                for name in {*issuers, *([filters.issuer] if filters.issuer else [])}
            },
            as_of=day,
            basis=asked.basis,
            filters={k: v for k, v in asked.chosen.items() if k not in {"basis", "as_of"}},
            position=position,
            checkpoint=checkpoint,
            city=summary.city,
            units=units,
            late=late,
            awaiting=awaiting,
            skipped=summary.skipped,
            forecast=day > asked.today,
            coverage=None if self.trail is None else coverage(self.trail, self.log_name, position),
            carried=tuple(
                (
                    UnitFigures(
                        heir, names.get(heir, heir), summary.units.get(heir, Figures()), None
                    ),
                    UnitFigures(code, names.get(code, code), figures, None),
                )
                for heir, held in sorted(summary.carried.items(), key=lambda i: natural_key(i[0]))
                for code, figures in sorted(held.items(), key=lambda i: natural_key(i[0]))
            ),
        )

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        report = self.report(req, LATE_SHOWN)
        chart = charts.unit_chart(
            [
                (
                    u.code,
                    u.name,
                    u.figures.completed_on_time,
                    u.figures.completed_late,
                    u.figures.overdue,
                )
                for u in report.units
            ]
        )
        query = {k: v for k, v in req.params.items() if k != "lang" and isinstance(v, str)}
        self.pages.render(
            req,
            resp,
            "dashboard.html",
            report=report,
            chart=chart,
            late=report.late,
            awaiting=report.awaiting,
            query=query,
            export_query=urlencode(query),
            # The exports are of the figures shown, even once the log has moved on.
            download_query=urlencode({**query, "position": str(report.position)}),
            issuers=self.pages.people(read_models(self.view).issuers()),
            coverage=coverage_said(language(req), report.coverage),
            today=city_date(self.clock.now()),
        )

    def on_get_export(self, req: falcon.Request, resp: falcon.Response, kind: str) -> None:
        report = self.report(req, LISTED)
        lang = language(req)
        name = f"thucthi-{report.as_of.isoformat()}-p{report.position}"
        if kind == "csv":
            resp.content_type = "text/csv; charset=utf-8"
            resp.data = to_csv(report, lang)
        elif kind == "xlsx":
            resp.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            resp.data = to_xlsx(report, lang)
        else:
            raise falcon.HTTPNotFound
        resp.set_header("Content-Disposition", f'attachment; filename="{name}.{kind}"')
        resp.set_header("Cache-Control", "no-store")
