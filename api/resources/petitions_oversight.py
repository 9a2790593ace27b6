"""The oversight of petitions through the API: the list (keyset-paged), the signed-in officer's
queue, and the dashboard's figures as of a day and a log position.

An officer of an agency (reception, head, handling officer) sees that agency's cases only: the
list, the queue and the dashboard are confined to it, and asking about another agency is refused
as asking about another unit is (``not-your-unit``). The inspectorate, the Office and the
leadership see every agency. Nothing personal is in any answer: the read models hold none.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable
from datetime import date
from typing import Any

import falcon
import orjson

from api.documents import (
    oversight_checkpoint,
    petition_item_document,
    petition_summary_document,
)
from api.fastpath import AnswerCache, CityDay, LatestCheckpoint, Positions
from api.http import ProblemError, json, read_models
from api.params import (
    AGENCY,
    AS_OF,
    DUE_SOON_DAYS,
    OVERDUE,
    PETITION_CURSOR,
    PETITION_KIND,
    PETITION_LIMIT,
    PETITION_STATUS,
    POSITION,
    RECEIVED,
)
from domain.shared.actors import Actor, Role
from readmodels.audit import AuditStore
from readmodels.model import AsOf
from readmodels.open import OversightView
from readmodels.petitions import OLDEST_SHOWN, ListFilters, PetitionFilters


def confined(actor: Actor) -> str | None:
    """The one agency an officer of an agency sees; None for those who see them all."""
    return actor.unit if actor.role.bound_to_unit else None


def agency_asked(req: falcon.Request) -> str | None:
    """The agency the question is about: the one asked for, within what the actor may see (an
    officer's own when none is asked; another agency is refused)."""
    actor: Actor = req.context.actor
    asked = AGENCY.read(req)
    own = confined(actor)
    if own is None:
        return asked
    if asked is not None and asked != own:
        raise ProblemError(
            403,
            "not-your-unit",
            "A unit sees its own work only",
            f"{own}",
            case="own",
            values={"unit": own},
        )
    return own


def list_filters(req: falcon.Request) -> ListFilters:
    return ListFilters(
        agency=agency_asked(req),
        kind=PETITION_KIND.read(req),
        status=PETITION_STATUS.read(req),
        overdue=OVERDUE.read(req),
    )


def petition_filters(req: falcon.Request) -> PetitionFilters:
    received = RECEIVED.read(req)
    return PetitionFilters(
        agency=agency_asked(req),
        kind=PETITION_KIND.read(req),
        received_from=received[0] if received else None,
        received_to=received[1] if received else None,
    )


def queue_of(view: OversightView, actor: Actor, today: date) -> tuple[str, str | None, Any]:
    """An officer's queue: the agency's open cases, or for a handling officer the ones
    assigned to them; the agency, the handler it is narrowed to, and the items."""
    agency = confined(actor)
    if agency is None:  # the routes let only an agency's officers ask
        raise ProblemError(403, "not-permitted", "Your role has no queue of petitions")
    handler = actor.user_id if actor.role is Role.DEPARTMENT else None
    return agency, handler, view.petitions.queue(agency, today, handler)


class PetitionsOversight:
    """``/api/petitions``, ``/api/petitions/queue``, ``/api/petitions/dashboard``."""

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
        due_soon_days: int,
    ) -> None:
        self.view, self.trail, self.log_name = view, trail, log_name
        self.answers, self.positions, self.day = answers, positions, day
        self.checkpoint, self.due_soon_days = checkpoint, due_soon_days

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """The current cases, latest arrived first, a page at a time (keyset: ``next``)."""
        view = read_models(self.view)
        today = self.day.today()
        page = view.petitions.page(
            list_filters(req),
            today,
            after=PETITION_CURSOR.read(req),
            limit=PETITION_LIMIT.get(req, 50),
        )
        json(
            resp,
            {
                "today": today,
                "position": view.position(),
                "items": [petition_item_document(i) for i in page.items],
                "next": None if page.next is None else page.next.text(),
            },
        )

    def on_get_queue(self, req: falcon.Request, resp: falcon.Response) -> None:
        """What the signed-in officer has to do, the most urgent first."""
        view = read_models(self.view)
        today = self.day.today()
        agency, handler, items = queue_of(view, req.context.actor, today)
        json(
            resp,
            {
                "today": today,
                "agency": agency,
                "handler": handler,
                "position": view.position(),
                "items": [petition_item_document(i) for i in items],
            },
        )

    def on_get_dashboard(self, req: falcon.Request, resp: falcon.Response) -> None:
        """The figures as of the day and position asked (today and the position the day is
        answered at, by default), with the oldest open cases; kept per log position, and
        answered 304 to an ``If-None-Match`` naming the same answer."""
        view = read_models(self.view)
        position = self.positions.of(view)
        actor: Actor = req.context.actor
        key = self.key(req.uri_template or "", req.query_string, actor, position)

        def answer() -> bytes:
            filters = petition_filters(req)
            asked = AsOf(AS_OF.read(req) or self.day.today(), POSITION.read(req))
            point = AsOf(asked.day, min(position, view.position_of(asked)))
            window = DUE_SOON_DAYS.get(req, self.due_soon_days)
            summary = view.petitions.summary(point, filters, due_soon_days=window)
            document = petition_summary_document(summary)
            document["oldest_open"] = [
                petition_item_document(i)
                for i in view.petitions.oldest_open(point, filters, OLDEST_SHOWN)
            ]
            document["forecast"] = point.day > self.day.today()
            document["checkpoint"] = oversight_checkpoint(
                self.trail, self.log_name, point.position or 0
            )
            return orjson.dumps(document, option=orjson.OPT_NON_STR_KEYS)

        body = self.answers.get_or_make(key, answer)
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        resp.etag = etag
        resp.set_header("Cache-Control", "private, no-cache")
        if etag in {tag.strip() for tag in (req.get_header("If-None-Match") or "").split(",")}:
            resp.status = falcon.HTTP_304
            return
        resp.content_type = falcon.MEDIA_JSON
        resp.data = body

    def key(self, template: str, query: str, actor: Actor, position: int) -> Hashable:
        """What a dashboard answer depends on (``api.resources.oversight.Oversight.key_at``)."""
        signed = self.checkpoint.size()
        return (template, query, confined(actor), self.day.today(), position, signed)
