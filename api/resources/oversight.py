"""The oversight figures (summary, execution index, late and due-soon lists) as of a day or a log
position, and a unit's inbox."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import falcon
import orjson

from api.documents import (
    inbox_document,
    late_document,
    oversight_checkpoint,
    score_document,
    summary_document,
    unit_document,
)
from api.fastpath import AnswerCache, CityDay, LatestCheckpoint, Positions
from api.http import (
    json,
    read_models,
)
from api.params import (
    AS_OF,
    BASIS,
    DUE,
    DUE_SOON_DAYS,
    ISSUED,
    ISSUER,
    LIST_LIMIT,
    POSITION,
    UNIT,
    URGENCY,
    WINDOW,
)
from api.resources.directives import seen_now
from domain.application import Thucthi
from domain.shared.actors import Actor, Role
from readmodels.audit import AuditStore
from readmodels.index import IndexWeights, score_units
from readmodels.model import AsOf, Basis, Filters, LateItem
from readmodels.open import OversightView
from readmodels.petitions import PetitionFigures, PetitionFilters


class Oversight:
    """The summary, the index, and the late and due-soon lists, as of a day or a position."""

    def __init__(
        self,
        *,
        view: OversightView | None,
        trail: AuditStore | None,
        log_name: str,
        answers: AnswerCache[bytes],
        positions: Positions,
        day: CityDay,
        checkpoint: LatestCheckpoint,
        weights: IndexWeights,
    ) -> None:
        self.view, self.trail, self.log_name = view, trail, log_name
        self.answers, self.positions, self.day = answers, positions, day
        self.checkpoint, self.weights = checkpoint, weights

    @property
    def has_read_models(self) -> bool:
        return self.view is not None

    def point(self, req: falcon.Request) -> tuple[AsOf, Filters]:
        actor: Actor = req.context.actor
        day = AS_OF.read(req) or self.day.today()
        position = POSITION.read(req)
        issued = ISSUED.read(req)
        due = DUE.read(req)
        unit = UNIT.read(req)
        if actor.role is Role.DEPARTMENT:
            unit = actor.unit  # a unit sees its own figures only
        filters = Filters(
            unit=unit,
            issuer=ISSUER.read(req),
            urgency=URGENCY.read(req),
            issued_from=issued[0] if issued else None,
            issued_to=issued[1] if issued else None,
            deadline_from=due[0] if due else None,
            deadline_to=due[1] if due else None,
        )
        return AsOf(day, position), filters

    def answer(self, req: falcon.Request, resp: falcon.Response, make: _Document) -> None:
        """Answer from the cache when nothing was projected since the same question was asked.

        An answer is a function of the question (path and query string, the unit a department
        officer is confined to, the day) and of the log position the read models stand at: it
        cannot change until the position does, so the position is part of the key. The question
        is parsed and checked only when its answer is made, so a question asked before costs no
        parsing; one that fails its checks leaves nothing in the cache.

        Every figure of an answer is made from one point of view, the day and the position it
        names (``OversightReadModel.position_of``, never past the position in the key), so the
        two asked again give the same answer whatever was recorded since.
        """
        view = read_models(self.view)
        position = self.positions.of(view)
        key = self.key_at(req.uri_template or "", req.query_string, req.context.actor, position)

        def answer() -> bytes:
            asked, filters = self.point(req)
            point = AsOf(asked.day, min(position, view.position_of(asked)))
            document = make(req, view, point, filters)
            # A day still to come: what it will be if nothing changes by then.
            document["forecast"] = point.day > self.day.today()
            # The signed checkpoint whose tree includes every event this answer was made from.
            document["checkpoint"] = oversight_checkpoint(
                self.trail, self.log_name, point.position or 0
            )
            return orjson.dumps(document, option=orjson.OPT_NON_STR_KEYS)

        resp.content_type = falcon.MEDIA_JSON
        resp.data = self.answers.get_or_make(key, answer)

    def key(self, template: str, query: str, actor: Actor) -> Hashable:
        """What an answer to this question depends on now (``api.fastpath`` asks it)."""
        return self.key_at(template, query, actor, self.positions.of(read_models(self.view)))

    def key_at(self, template: str, query: str, actor: Actor, position: int) -> Hashable:
        """What an answer depends on; asked of the question as it came, before any parsing."""
        confined = actor.unit if actor.role is Role.DEPARTMENT else None
        signed = self.checkpoint.size()
        return (template, query, confined, self.day.today(), position, signed)

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.answer(req, resp, _summary)

    def on_get_index(self, req: falcon.Request, resp: falcon.Response) -> None:
        weights = self.weights
        self.answer(
            req,
            resp,
            lambda _, view, as_of, filters: {
                "as_of": as_of.day,
                "position": as_of.position,
                "units": [
                    score_document(s)
                    for s in score_units(
                        view.responsiveness(as_of, filters),
                        weights,
                        petition_component(view, as_of, filters, weights),
                    )
                ],
            },
        )

    def on_get_late(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.answer(req, resp, _late)

    def on_get_due_soon(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.answer(req, resp, _due_soon)


def petition_component(
    view: OversightView, as_of: AsOf, filters: Filters, weights: IndexWeights
) -> dict[str, PetitionFigures] | None:
    """Each agency's petition figures at the index's point of view, for its petitions'
    component (``readmodels.index``); None when the component is off."""
    if not weights.petitions:
        return None
    return view.petitions.summary(as_of, PetitionFilters(agency=filters.unit)).agencies


# An oversight document from the question's own parameters and the point it is asked about,
# whose position is settled; ``answer`` adds whether it is a forecast, and the checkpoint.
_Document = Callable[[falcon.Request, OversightView, AsOf, Filters], dict[str, Any]]


def _summary(
    req: falcon.Request, view: OversightView, as_of: AsOf, filters: Filters
) -> dict[str, Any]:
    basis: Basis = "original" if BASIS.read(req) == "original" else "in_force"
    window = DUE_SOON_DAYS.get(req, 3)
    return summary_document(view.summary(as_of, basis=basis, filters=filters, due_soon_days=window))


def _late(
    req: falcon.Request, view: OversightView, as_of: AsOf, filters: Filters
) -> dict[str, Any]:
    limit = LIST_LIMIT.get(req, 100)
    items = _seen(view, req.context.actor, view.late(as_of, filters, limit=limit))
    return {
        "as_of": as_of.day,
        "position": as_of.position,
        "items": [late_document(i) for i in items],
    }


def _due_soon(
    req: falcon.Request, view: OversightView, as_of: AsOf, filters: Filters
) -> dict[str, Any]:
    window = WINDOW.get(req, 7)
    limit = LIST_LIMIT.get(req, 100)
    items = _seen(view, req.context.actor, view.due_soon(as_of, window, filters, limit=limit))
    return {
        "as_of": as_of.day,
        "position": as_of.position,
        "items": [late_document(i) for i in items],
    }


def _seen(view: OversightView, actor: Actor, items: list[LateItem]) -> list[LateItem]:
    seen = seen_now(view, actor)
    return items if seen is None else [i for i in items if i.directive_id in seen]


class Units:
    """The unit registry, and a unit's inbox."""

    def __init__(self, app: Thucthi, view: OversightView | None) -> None:
        self.app, self.view = app, view

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        registry = self.app.unit_registry()
        json(resp, {"items": [unit_document(u) for u in registry.listed()]})

    def on_get_inbox(self, req: falcon.Request, resp: falcon.Response, code: str) -> None:
        view = read_models(self.view)
        self.app.unit_registry().get(code)
        json(
            resp,
            {
                "unit": code,
                "position": view.position(),
                "items": [inbox_document(i) for i in view.inbox(code)],
            },
        )
