"""Directives: the list, one directive (now, at a version, at a moment), its history, issuing,
and one POST sub-resource per command of its lifecycle."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar
from uuid import UUID

import falcon

from api.commands import ISSUE, Posted, command_of, request_model
from api.documents import (
    board_document,
    directive_document,
)
from api.http import (
    ProblemError,
    json,
    read_models,
)
from api.idempotency import (
    Found,
)
from api.params import (
    AT,
    CATEGORY,
    CURSOR,
    DEADLINE_FROM,
    DEADLINE_TO,
    ISSUER,
    NUMBER,
    SEARCH,
    UNIT,
    URGENCY,
    VERSION,
    Cursor,
)
from api.writes import READ_MODELS, Commands
from domain.application import Thucthi
from domain.directives.commands import IssueDirective
from domain.directives.directive import Directive
from domain.directives.errors import DirectiveNotFoundError
from domain.narration import narrate, unit_sentences
from domain.shared.actors import Actor, Role
from domain.shared.clock import city_date
from readmodels.model import AsOf, Basis, BoardRow, Filters
from readmodels.open import OversightView
from readmodels.queries import category_of

PAGE_SIZE = 100


_IF_MATCH = re.compile(r'^(?:W/)?"([0-9]{1,18})"$')


def visible(actor: Actor, lead: str, coordinators: tuple[str, ...] | list[str]) -> bool:
    """A department officer sees only directives its unit leads or coordinates."""
    return actor.sees(lead, coordinators)


def seen_now(view: OversightView, actor: Actor) -> dict[UUID, str] | None:
    """The directives a department officer sees (its unit leads or coordinates them now), by id
    with their references; None for the roles that see every directive. Lists as of an earlier
    day name only these, whoever led what that day (docs/api.md, "What a department sees")."""
    if actor.role is not Role.DEPARTMENT or actor.unit is None:
        return None
    return view.directives_of(actor.unit)


class Directives:
    """The list of directives (filtered, searched, paged) and issuing one."""

    def __init__(self, app: Thucthi, view: OversightView | None, commands: Commands) -> None:
        self.app, self.view, self.commands = app, view, commands

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body, raw = self.commands.body(req, ISSUE)
        command: IssueDirective = command_of(IssueDirective, body)

        def produce() -> None:
            rid = req.context.request_id
            position = self.app.issue(command, actor=req.context.actor, request_id=rid)
            answer_directive(self.commands, resp, command.reference, position, 201, request_id=rid)

        recover = recovered_directive(self.commands, req, resp, 201)
        self.commands.once(req, resp, raw, produce, recover, kind=Directive.Event)

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        view = read_models(self.view)
        actor: Actor = req.context.actor
        filters = Filters(
            unit=UNIT.read(req),
            issuer=ISSUER.read(req),
            urgency=URGENCY.read(req),
            deadline_from=DEADLINE_FROM.read(req),
            deadline_to=DEADLINE_TO.read(req),
        )
        category = CATEGORY.read(req)
        offset = CURSOR.get(req, 0)
        position = view.position()
        asked = Listing(
            filters,
            day=city_date(self.app.clock.now()),
            search=SEARCH.read(req) or "",
            category=category or "",
        )
        page, total = listed(view, actor, asked, offset, PAGE_SIZE)
        following = offset + PAGE_SIZE if offset + PAGE_SIZE < total else None
        json(
            resp,
            {
                "position": position,
                "items": [board_document(r) for r in page],
                "next_cursor": Cursor.encode(following) if following is not None else None,
            },
        )


@dataclass(frozen=True, slots=True)
class Listing:
    """What a list of directives was asked (by the API or the pages' list)."""

    filters: Filters
    day: date  # the day each directive's category is judged on
    earlier: bool = False  # the directives as they stood at the end of ``day``, not as they are
    basis: Basis = "in_force"
    search: str = ""  # words, accent-insensitive: best match first instead of newest first
    category: str = ""  # only the directives of this category (``readmodels.queries``)


def listed(
    view: OversightView, actor: Actor, asked: Listing, offset: int, limit: int
) -> tuple[list[BoardRow], int]:
    """The list of directives asked: filtered, searched (best match first) or newest first,
    only those the actor sees and of the category asked; ``limit`` of them from ``offset``, and
    how many there are in all."""
    rows = view.board(AsOf(asked.day) if asked.earlier else None, asked.filters)
    if asked.search:
        ranked = {
            hit.directive_id: i for i, hit in enumerate(view.search(asked.search, limit=10_000))
        }
        rows = sorted(
            (r for r in rows if r.directive_id in ranked), key=lambda r: ranked[r.directive_id]
        )
    else:
        rows.reverse()  # newest first
    if asked.earlier:
        seen = seen_now(view, actor)  # as of an earlier day too: those it sees now
        rows = [r for r in rows if seen is None or r.directive_id in seen]
    else:  # the rows as they are say who leads and coordinates now
        rows = [r for r in rows if visible(actor, r.lead_unit, r.coordinators)]
    if asked.category:
        rows = [r for r in rows if category_of(r, asked.day, asked.basis) == asked.category]
    return rows[offset : offset + limit], len(rows)


def from_path(segment: str) -> str:
    """A directive's id, or its reference with every "/" written "~" (a WSGI path segment
    cannot carry "/", even encoded): ``/api/directives/1234~UBND-VX``."""
    return segment.replace("~", "/")


_K = TypeVar("_K")


def on_path_directive(app: Thucthi, segment: str, attempt: Callable[[str], _K]) -> _K:
    """``attempt`` on what a path segment names (``from_path``). References hold no "~", but an
    earlier version took them: if nothing is found and the segment has one, the directive
    recorded under the segment as it is, if any, is tried instead."""
    try:
        return attempt(from_path(segment))
    except DirectiveNotFoundError:
        earlier = app.find_directive(segment) if "~" in segment else None
        if earlier is None:
            raise
        return attempt(str(earlier))


def load_visible(app: Thucthi, actor: Actor, ref: str) -> Directive:
    """The directive, or 404 if it does not exist or the actor's unit may not see it."""
    directive = on_path_directive(app, ref, app.get_directive)
    if not visible(actor, directive.lead_unit, directive.coordinating_units):
        raise DirectiveNotFoundError("unknown", reference=from_path(ref))
    return directive


def answer_directive(
    commands: Commands,
    resp: falcon.Response,
    key: str,
    position: int,
    status: int,
    *,
    request_id: str = "",
) -> None:
    """The directive a command named by ``key`` (its id or reference) just changed."""
    caught_up = commands.caught_up(position, request_id)
    app = commands.app
    directive = app.saved_directive(key) or app.get_directive(key)
    answer_with(resp, directive, position, status, caught_up=caught_up)


def answer_with(
    resp: falcon.Response, directive: Directive, position: int, status: int, *, caught_up: bool
) -> None:
    """A command's answer: the directive as the command left it, where it stands in the log,
    and whether the read models include it yet."""
    resp.location = f"/api/directives/{directive.id}"
    resp.etag = f'"{directive.version}"'
    document = directive_document(directive)
    document["position"] = position
    json(resp, document, status)
    if caught_up:
        resp.delete_header(READ_MODELS)
    else:
        resp.set_header(READ_MODELS, "behind")


def recovered_directive(
    commands: Commands, req: falcon.Request, resp: falcon.Response, status: int
) -> Callable[[Found], None]:
    """The answer of a directive command made from the event it stored."""

    def recover(found: Found) -> None:
        event = found.event
        caught_up = commands.caught_up(found.position, req.context.request_id)
        app = commands.app
        directive = app.get_directive(event.originator_id, version=event.originator_version)
        answer_with(resp, directive, found.position, status, caught_up=caught_up)

    return recover


class OneDirective:
    """One directive now, at a version or at a moment, and its history."""

    def __init__(self, app: Thucthi) -> None:
        self.app = app

    def on_get(self, req: falcon.Request, resp: falcon.Response, ref: str) -> None:
        """Now, right after version N (``?version=N``), or as it stood at a moment (``?at=``)."""
        current = load_visible(self.app, req.context.actor, ref)
        version, moment = VERSION.read(req), AT.read(req)
        if version is not None and moment is not None:
            raise ProblemError(422, "invalid-fields", "Ask for a version or a moment, not both")
        directive = current
        if version is not None:
            directive = self.app.get_directive(current.id, version=version)
        elif moment is not None:
            directive = self.app.directive_at(current.id, moment)
        resp.etag = f'"{current.version}"'
        json(resp, directive_document(directive))

    def on_get_history(self, req: falcon.Request, resp: falcon.Response, ref: str) -> None:
        """Every event of the directive, oldest first: who did it, why, in both languages."""
        directive = load_visible(self.app, req.context.actor, ref)
        items = []
        names = unit_sentences(self.app.unit_registry())
        for event in self.app.history(directive.id):
            sentence = narrate(event, names)
            items.append(
                {
                    "version": event.originator_version,
                    "recorded_at": event.timestamp,
                    "event": type(event).__name__,
                    "actor": event.actor,
                    "request_id": event.request_id,
                    "vi": sentence.vi,
                    "en": sentence.en,
                }
            )
        resp.etag = f'"{directive.version}"'
        json(resp, {"id": str(directive.id), "reference": directive.reference, "items": items})


class DirectiveCommand:
    """One POST sub-resource per command of the lifecycle (``api.commands.POSTED``)."""

    def __init__(self, commands: Commands, posted: Posted) -> None:
        self.app, self.commands = commands.app, commands
        self.posted = posted
        self.model = request_model(posted.command)

    def on_post(self, req: falcon.Request, resp: falcon.Response, ref: str, n: str = "") -> None:
        actor: Actor = req.context.actor
        number = NUMBER.from_path(n) if n else None
        body, raw = self.commands.body(req, self.model)
        expected = _if_match(req)
        command = command_of(self.posted.command, body, number)

        def produce() -> None:
            # Whether the actor may see the directive is checked by the command itself, on the
            # state it runs on (DirectiveNotFoundError, 404), not by reading it once more first.
            def run(key: str) -> tuple[str, int]:
                rid = req.context.request_id
                position = self.app.execute(
                    command, key, actor=actor, request_id=rid, expected_version=expected
                )
                return key, position

            key, position = on_path_directive(self.app, ref, run)
            answer_directive(
                self.commands,
                resp,
                key,
                position,
                self.posted.status,
                request_id=req.context.request_id,
            )

        recover = recovered_directive(self.commands, req, resp, self.posted.status)
        self.commands.once(req, resp, raw, produce, recover, kind=Directive.Event)


def _if_match(req: falcon.Request) -> int | None:
    header = req.get_header("If-Match")
    if header is None:
        return None
    match = _IF_MATCH.match(header.strip())
    if match is None:
        raise ProblemError(412, "version-mismatch", 'If-Match takes the ETag given, e.g. "7"')
    return int(match[1])
