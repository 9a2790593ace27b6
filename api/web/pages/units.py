"""A unit's page: its figures as of today and its inbox, what it owes next, most urgent first."""

from __future__ import annotations

import falcon

from api.http import read_models
from api.web.pages.base import Pages, signed_in
from domain.application import Thucthi
from domain.shared.clock import city_date
from readmodels.model import AsOf, Filters
from readmodels.open import OversightView


class UnitPage:
    """``/units/{code}``: a department officer's home (its own unit only)."""

    def __init__(self, pages: Pages, app: Thucthi, view: OversightView | None) -> None:
        self.pages, self.app, self.view = pages, app, view

    def on_get(self, req: falcon.Request, resp: falcon.Response, code: str) -> None:
        signed_in(req)  # the pipeline let in only a unit's own officer (api.routes)
        unit = self.app.unit_registry().get(code)
        view = read_models(self.view)
        today = city_date(self.app.clock.now())
        position = view.position()
        summary = view.summary(AsOf(today, position), filters=Filters(unit=code))
        figures = summary.units.get(code, summary.city)
        items = [
            (item, None if item.deadline is None else (item.deadline - today).days)
            for item in view.inbox(code)
        ]
        self.pages.render(
            req,
            resp,
            "unit.html",
            unit=unit,
            figures=figures,
            items=items,
            position=position,
            today=today,
        )
