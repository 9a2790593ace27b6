"""Directives: the list, one directive (now, at a version, at a moment), its history, issuing,
and one POST sub-resource per command of its lifecycle."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, TypeVar
from uuid import UUID

import falcon

from api.commands import ISSUE, Posted, command_of, request_model
from api.documents import (
    board_document,
    directive_document,
)
from api.fastpath import AnswerCache, ListCounts, Positions
from api.filing import DirectiveFiling
from api.http import (
    ProblemError,
    json,
    json_bytes,
    read_models,
)
from api.idempotency import (
    Found,
)
from api.params import (
    AS_OF,
    AT,
    BASIS,
    CATEGORY,
    DEADLINE_FROM,
    DEADLINE_TO,
    DIRECTIVE_LIMIT,
    DUE_FROM,
    DUE_TO,
    ISSUED,
    ISSUER,
    LIST_AFTER,
    LIST_STATUS,
    NUMBER,
    ORDER,
    SEARCH,
    SORT,
    UNIT,
    UNIT_ROLE,
    URGENCY,
    VERSION,
    ListPlace,
    ParameterError,
)
from api.writes import READ_MODELS, Commands
from domain.application import Thucthi
from domain.directives.commands import IssueDirective
from domain.directives.directive import Directive
from domain.directives.errors import DirectiveNotFoundError
from domain.directives.references import normalise_reference
from domain.narration import narrate, unit_sentences
from domain.shared.actors import Actor, Role
from domain.shared.clock import city_date
from readmodels.model import AsOf, Counted, DirectivePage, DirectiveQuery, Filters
from readmodels.open import OversightView

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
    """The list of directives (filtered, searched, sorted, paged) and issuing one."""

    def __init__(
        self,
        app: Thucthi,
        view: OversightView | None,
        commands: Commands,
        *,
        counts: ListCounts | None = None,
        filing: DirectiveFiling | None = None,
        positions: Positions | None = None,
    ) -> None:
        """``filing`` signs and files the directive's document once issued; ``positions``: where
        the read models stand, for keeping the pages of the list made at a position, as the
        oversight answers are (None: nothing is kept)."""
        self.app, self.view, self.commands = app, view, commands
        self.filing = filing
        self.counts = counts if counts is not None else ListCounts()
        self.positions = positions
        self.answers: AnswerCache[bytes] = AnswerCache()

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body, raw = self.commands.body(req, ISSUE)
        command: IssueDirective = command_of(IssueDirective, body)

        def produce() -> None:
            rid = req.context.request_id
            position = self.app.issue(command, actor=req.context.actor, request_id=rid)
            said: dict[str, Any] = {}
            if self.filing is not None:
                reference = normalise_reference(command.reference)
                filing = self.filing.file_issued(reference, actor=req.context.actor, request_id=rid)
                position = filing.position or position
                said["filing"] = filing.said()
            answer_directive(
                self.commands, resp, command.reference, position, 201, request_id=rid, said=said
            )

        recover = recovered_directive(self.commands, req, resp, 201)
        self.commands.once(req, resp, raw, produce, recover, kind=Directive.Event)

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """A page of the list, filtered and sorted in the database, with the whole list's
        count and where the next page starts (``next``, for ``after``).

        A page is a function of the question as it came (the query string), of what the reader
        may see (a department officer: their unit's), of the city's day and of where the read
        models stand: made once there, it is kept and sent again until one of them moves."""
        view = read_models(self.view)
        actor: Actor = req.context.actor
        today = city_date(self.app.clock.now())

        def answer() -> bytes:
            found = list_directives(
                req, view, actor, today, DIRECTIVE_LIMIT.get(req, 100), self.counts
            )
            return json_bytes(
                {
                    "position": found.page.position,
                    "total": found.page.total,
                    "items": [board_document(r) for r in found.page.rows],
                    "next": found.next,
                }
            )

        resp.content_type = falcon.MEDIA_JSON
        if self.positions is None:
            resp.data = answer()
            return
        seen_by = actor.unit if actor.role.bound_to_unit else None
        key = (req.query_string, seen_by, today, self.positions.of(view))
        resp.data = self.answers.get_or_make(key, answer)


@dataclass(frozen=True, slots=True)
class Listed:
    """A page of the list of directives as asked (by the API or the page), and the token of
    the next page (None: this is the last)."""

    page: DirectivePage
    query: DirectiveQuery
    as_of: AsOf | None  # the point of view of an earlier day; None: the directives as they are
    next: str | None


def list_directives(  # noqa: PLR0917 - the request, and what it is answered with
    req: falcon.Request,
    view: OversightView,
    actor: Actor,
    today: date,
    limit: int,
    counts: ListCounts | None = None,
) -> Listed:
    """The page of the list the request asks for (``api.params.QUERY["/api/directives"]``):
    as of a day (an earlier one is read at one log position for the whole walk), filtered,
    searched and sorted in the database, only what the actor sees (a department officer: the
    directives its unit leads or coordinates now, even as of an earlier day)."""
    day = AS_OF.read(req) or today
    issued = ISSUED.read(req)
    search = SEARCH.read(req) or ""
    sort = SORT.read(req) or ("relevance" if search else "issued")
    if sort == "relevance" and not search:
        raise ParameterError("sort", "relevance_unsearched")
    order = ORDER.read(req) or ("desc" if sort in {"issued", "relevance"} else "asc")
    query = DirectiveQuery(
        day=day,
        filters=Filters(
            unit=UNIT.read(req),
            issuer=ISSUER.read(req),
            urgency=URGENCY.read(req),
            issued_from=issued[0] if issued else None,
            issued_to=issued[1] if issued else None,
            deadline_from=DUE_FROM.read(req) or DEADLINE_FROM.read(req),
            deadline_to=DUE_TO.read(req) or DEADLINE_TO.read(req),
        ),
        role="coordinating" if UNIT_ROLE.read(req) == "coordinating" else "lead",
        status=LIST_STATUS.read(req),
        category=CATEGORY.read(req),
        basis="original" if BASIS.read(req) == "original" else "in_force",
        search=search,
        sort=sort,
        descending=order == "desc",
        seen_by=actor.unit if actor.role.bound_to_unit else None,
    )
    place = LIST_AFTER.read(req)
    if place is not None and (place.sort, place.descending) != (sort, query.descending):
        raise ParameterError("after", "cursor", code="invalid-cursor")
    as_of = None
    if day < today:
        as_of = AsOf(day, None if place is None else place.position)
    # The count is the same for every page and order of one list at one position: the list's
    # question without its order, and the point of view, name it.
    counted_as = (replace(query, sort="", descending=False), as_of)
    known = None if counts is None else counts.get(counted_as)
    page = view.directive_page(as_of, query, None if place is None else place.key, limit, known)
    if counts is not None and (known is None or known.position != page.position):
        counts.put(counted_as, Counted(page.position, page.total))
    following = None
    if page.next is not None:
        position = page.position if as_of is not None else None
        following = ListPlace(sort, query.descending, page.next, position).text()
    return Listed(page, query, as_of, following)


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
    said: dict[str, Any] | None = None,
) -> None:
    """The directive a command named by ``key`` (its id or reference) just changed; ``said``:
    what the answer says beside it (what became of its signed document)."""
    caught_up = commands.caught_up(position, request_id)
    app = commands.app
    directive = app.saved_directive(key) or app.get_directive(key)
    answer_with(resp, directive, position, status, caught_up=caught_up, said=said)


def answer_with(
    resp: falcon.Response,
    directive: Directive,
    position: int,
    status: int,
    *,
    caught_up: bool,
    said: dict[str, Any] | None = None,
) -> None:
    """A command's answer: the directive as the command left it, where it stands in the log,
    and whether the read models include it yet."""
    resp.location = f"/api/directives/{directive.id}"
    resp.etag = f'"{directive.version}"'
    document = directive_document(directive) | (said or {})
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
