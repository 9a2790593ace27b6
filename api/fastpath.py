"""The fast read path, in one place: oversight answers and pages kept per log position and served
in front of Falcon when already made, and the few lookups their key needs (today's city day, the
latest signed checkpoint, where the read models stand) made cheap."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Generic, Protocol, TypeVar
from wsgiref.types import StartResponse, WSGIEnvironment

import falcon

from adapters.freshness import Freshness
from adapters.standbys import ReadRouting
from api import auth
from api.http import (
    CONNECTION_LOST,
    ProblemError,
    bearer_token,
    problem_body,
    read_chunked_body,
)
from api.pipeline import Pipeline, refused
from api.read_positions import ReadPositions
from api.routes import BY_KEY, PAGE_BY_KEY, Route
from api.web.headers import LANGUAGE_COOKIE, SECURITY_HEADERS
from api.web.session import SESSION_COOKIE, cookie_value, with_form_token
from domain.shared.actors import Actor
from domain.shared.clock import Clock, city_date, end_of_city_day
from readmodels.audit import AuditStore
from readmodels.model import Counted
from readmodels.open import OversightView

T = TypeVar("T")


@dataclass(eq=False)
class _Flight(Generic[T]):
    """An answer being made by one thread while others asking the same question wait for it."""

    done: threading.Event = field(default_factory=threading.Event)
    body: T | None = None


class AnswerCache(Generic[T]):
    """The last few hundred answers of this worker (oversight documents, pages, the reports
    pages are made from), least recently used dropped first.

    An answer missing from the cache is made once however many ask for it at the same moment:
    the first asker makes it, the others wait for its answer: a summary over a city's board is
    costly, and a dashboard opened by a room of officials right after a write must not make it
    thirty times over.
    """

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._answers: OrderedDict[Hashable, T] = OrderedDict()
        self._flights: dict[Hashable, _Flight[T]] = {}
        self._lock = threading.Lock()
        self.made = 0  # answers made rather than found, for tests and metrics

    def put(self, key: Hashable, body: T) -> None:
        with self._lock:
            self._answers[key] = body
            self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)

    def get(self, key: Hashable) -> T | None:
        """The answer if it is here; never makes one."""
        with self._lock:
            body = self._answers.get(key)
            if body is not None:
                self._answers.move_to_end(key)
            return body

    def get_or_make(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            body = self._answers.get(key)
            if body is not None:
                self._answers.move_to_end(key)
                return body
            flight = self._flights.get(key)
            leading = flight is None
            if flight is None:
                flight = self._flights[key] = _Flight[T]()
        if not leading:
            flight.done.wait()
            return flight.body if flight.body is not None else make()  # the maker failed
        try:
            body = make()
            self.made += 1
            flight.body = body
            self.put(key, body)
            return body
        finally:
            with self._lock:
                self._flights.pop(key, None)
            flight.done.set()


class Answerable(Protocol):
    """What the fast path asks of the oversight resource (``api.resources.oversight``)."""

    answers: AnswerCache[bytes]

    @property
    def has_read_models(self) -> bool: ...

    def key(self, template: str, query: str, actor: Actor) -> Hashable: ...


PAGE_HEADERS = (
    ("Content-Type", "text/html; charset=utf-8"),
    ("Cache-Control", "no-store"),
    *SECURITY_HEADERS.items(),
)


class Standing:
    """Where an answer made now stands: the city's day, the read models' position and the size of
    the latest signed checkpoint. None of them moved, an answer made before is the same."""

    def __init__(
        self,
        view: OversightView | None,
        positions: Positions,
        day: CityDay,
        checkpoint: LatestCheckpoint,
    ) -> None:
        self.view, self.positions, self.day, self.checkpoint = view, positions, day, checkpoint

    def now(self) -> tuple[date, int, int] | None:
        """None without read models: nothing is kept."""
        if self.view is None:
            return None
        return self.day.today(), self.positions.of(self.view), self.checkpoint.size()


class NotKeptError(Exception):
    """A page answered otherwise than 200 with a page: sent as it is, and not kept."""


class KeptPage:
    """A page whose answers are kept, as the API's oversight answers are: a page is a function of
    the question (its path and query string, the language cookie), of the reader (whose name,
    role and unit the header shows, and who may see only some of what is asked) and of where the
    read models stand (every event moves them, ``projections.oversight``), so until they move a
    page made once for a reader is that reader's page. Kept with a mark for the session's form
    token (``api.web.session.FORM_TOKEN_MARK``), put in at each sending.

    Wraps one GET responder of the page's resource (``responder``: ``on_get``, or
    ``on_get_<suffix>`` for a suffix's, routed without the suffix); the route's other methods are
    the resource's own (``on_post``, or ``on_post_<suffix>``).
    """

    def __init__(
        self,
        resource: Any,
        standing: Standing,
        responder: str = "on_get",
        size: int = 128,
        *,
        beside: Callable[[Actor], Hashable] | None = None,
        public: bool = False,
    ) -> None:
        """``beside``: what else the page shows that the read models' position does not say,
        for the reader (the inspector's: how far the audit trail and the log have gone; the
        notifications': where the reader's notices stand); ``public``: the page is also kept
        for whoever is not signed in (one page for them all)."""
        self.resource, self.standing, self.beside = resource, standing, beside
        self.public = public
        self.responder = getattr(resource, responder)
        self.suffix = responder.removeprefix("on_get")
        self.kept: AnswerCache[bytes] = AnswerCache(size)

    def __getattr__(self, name: str) -> Any:
        # Falcon asks for each method's responder by name: the route's POST is the resource's.
        if "suffix" in self.__dict__ and name.startswith("on_") and "_" not in name[3:]:
            return getattr(self.resource, name + self.suffix)
        raise AttributeError(name)

    def page_key(
        self, path: str, query: str, language: str | None, actor: Actor | None
    ) -> Hashable | None:
        """What the page depends on; None when nothing is kept (no read models, or no reader
        on a page that is not public)."""
        now = self.standing.now()
        if now is None or (actor is None and not self.public):
            return None
        lang = "en" if language == "en" else "vi"  # api.web.i18n.language_of
        if actor is None:
            return (path, query, lang, None, None, None, *now, None)
        also = None if self.beside is None else self.beside(actor)
        return (path, query, lang, actor.user_id, actor.role, actor.unit, *now, also)

    def on_get(self, req: falcon.Request, resp: falcon.Response, **params: Any) -> None:
        actor: Actor | None = req.context.actor
        languages = req.get_cookie_values(LANGUAGE_COOKIE)
        key = self.page_key(req.path, req.query_string, languages[0] if languages else None, actor)
        if key is None:
            self.responder(req, resp, **params)
            return

        def make() -> bytes:
            req.context.keeping = True  # Pages.render writes the mark for the form token
            try:
                self.responder(req, resp, **params)
            finally:
                req.context.keeping = False
            if resp.status_code != 200 or not isinstance(resp.data, bytes):
                raise NotKeptError
            return resp.data

        try:
            page = self.kept.get_or_make(key, make)
        except NotKeptError:
            page = resp.data if isinstance(resp.data, bytes) else b""
            resp.data = with_form_token(page, req.context.token_hash)
            return
        resp.status = 200
        resp.content_type = "text/html; charset=utf-8"
        for name, value in PAGE_HEADERS[1:]:
            resp.set_header(name, value)
        resp.data = with_form_token(page, req.context.token_hash)


class AnsweredBefore:
    """In front of Falcon, as a caching proxy would be: an oversight answer already made for the
    same question at the same log position is sent without building Falcon's request and
    response, which were much of a cached answer's cost (docs/performance.md).

    It serves only what it is sure of: a GET of one of the oversight paths as written, with a
    valid bearer token whose role may ask it, whose answer is in the cache. Everything else,
    refusals included, goes to Falcon. The same request id, authentication, authorization,
    cache key, metrics and request log as Falcon's pipeline, from the same code.
    """

    PATHS = (
        "/api/oversight",
        "/api/oversight/index",
        "/api/oversight/late",
        "/api/oversight/due-soon",
    )
    HEADERS = (("Content-Type", falcon.MEDIA_JSON),)

    def __init__(
        self,
        app: falcon.App[falcon.Request, falcon.Response],
        pipeline: Pipeline,
        oversight: Answerable,
        authenticate: Callable[[str], auth.Authenticated | None],
        pages: dict[str, KeptPage] | None = None,
        *,
        positions: ReadPositions | None = None,
    ) -> None:
        """``positions``: when reads may go to standbys, the position each request needs and
        the one its answer names (``api.read_positions``)."""
        self.app = app
        self.positions = positions
        self.pipeline = pipeline
        self.oversight = oversight
        self.authenticate = authenticate
        self.routes = {path: BY_KEY[("GET", path)] for path in self.PATHS}
        self.pages = pages or {}
        self.served = 0  # answers sent from here, for tests

    def __call__(self, env: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if self.positions is not None:
            return self.positions.around(env, start_response, self.answer_any)
        return self.answer_any(env, start_response)

    def answer_any(self, env: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if "HTTP_TRANSFER_ENCODING" in env and not env.get("CONTENT_LENGTH"):
            refused = read_chunked_body(env)
            if refused is not None:
                return self.refuse(env, refused, start_response)
        if env.get("REQUEST_METHOD") == "GET":
            path = env.get("PATH_INFO", "")
            route = self.routes.get(path)
            if route is not None:
                try:
                    answer = self.answer(env, path, route, start_response)
                except CONNECTION_LOST:
                    answer = None  # Falcon asks again, and says what it could not
                if answer is not None:
                    return answer
            kept = self.pages.get(path)
            if kept is not None:
                try:
                    answer = self.page(env, path, kept, start_response)
                except CONNECTION_LOST:
                    answer = None
                if answer is not None:
                    return answer
        return self.app(env, start_response)

    def refuse(
        self, env: dict[str, Any], problem: ProblemError, start_response: StartResponse
    ) -> list[bytes]:
        """A problem answered before Falcon sees the request, logged and counted as Falcon's."""
        request_id = self.pipeline.request_id(env)
        body = problem_body(problem, env.get("PATH_INFO", ""))
        start_response(
            falcon.util.code_to_http_status(problem.status),
            [
                ("Content-Type", "application/problem+json"),
                ("Content-Length", str(len(body))),
                ("X-Request-Id", request_id),
            ],
        )
        method = env.get("REQUEST_METHOD", "")
        self.pipeline.record(
            request_id, None, method=method, route="unmatched", status=problem.status, seconds=0.0
        )
        return [body]

    def answer(
        self, env: dict[str, Any], path: str, route: Route, start_response: StartResponse
    ) -> list[bytes] | None:
        started = time.perf_counter()
        token = bearer_token(env)
        if not self.oversight.has_read_models or token is None:
            return None
        found = self.authenticate(token)
        actor = None if found is None else found.actor
        if actor is None or self.pipeline.refusal(route, actor) is not None:
            return None  # Falcon refuses it, in full
        key = self.oversight.key(path, env.get("QUERY_STRING", ""), actor)
        body = self.oversight.answers.get(key)
        if body is None:
            return None
        request_id = self.pipeline.request_id(env)
        start_response(
            "200 OK",
            [*self.HEADERS, ("Content-Length", str(len(body))), ("X-Request-Id", request_id)],
        )
        self.served += 1
        seconds = time.perf_counter() - started
        self.pipeline.record(
            request_id, actor, method="GET", route=path, status=200, seconds=seconds
        )
        return [body]

    def page(
        self, env: dict[str, Any], path: str, kept: KeptPage, start_response: StartResponse
    ) -> list[bytes] | None:
        """A page already made for this reader at this position, as Falcon would send it: only
        for a session cookie (no bearer token) whose role the page lets in and does not send
        home; anything else goes to Falcon."""
        started = time.perf_counter()
        token = cookie_value(env, SESSION_COOKIE)
        if token is None or "HTTP_AUTHORIZATION" in env:
            return None
        found = self.authenticate(token.strip())
        if found is None:
            return None
        actor, rule = found.actor, PAGE_BY_KEY[("GET", path)]
        if actor.role in rule.sent_home or refused(rule.roles_for({}), actor) is not None:
            return None
        key = kept.page_key(
            path, env.get("QUERY_STRING", ""), cookie_value(env, LANGUAGE_COOKIE), actor
        )
        body = None if key is None else kept.kept.get(key)
        if body is None:
            return None
        body = with_form_token(body, found.token_hash)
        request_id = self.pipeline.request_id(env)
        start_response(
            "200 OK",
            [*PAGE_HEADERS, ("Content-Length", str(len(body))), ("X-Request-Id", request_id)],
        )
        self.served += 1
        seconds = time.perf_counter() - started
        self.pipeline.record(
            request_id, actor, method="GET", route=path, status=200, seconds=seconds
        )
        return [body]


class CityDay:
    """The city's calendar day now, worked out again only when the clock has left it."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._today = (datetime.max.replace(tzinfo=UTC), datetime.min.replace(tzinfo=UTC), date.min)

    def today(self) -> date:
        now = self.clock.now()
        start, end, day = self._today
        if not start <= now < end:
            day = city_date(now)
            start = end_of_city_day(day - timedelta(days=1)) + timedelta(microseconds=1)
            end = end_of_city_day(day) + timedelta(microseconds=1)
            self._today = (start, end, day)
        return day


class LatestCheckpoint:
    """The size of the latest signed checkpoint, looked up at most once a second (an oversight
    answer names the checkpoint that covers it, so the size is part of the answer's key)."""

    def __init__(self, trail: AuditStore | None) -> None:
        self.trail = trail
        self._size: tuple[float, int] = (0.0, 0)

    def size(self) -> int:
        if self.trail is None:
            return 0
        looked, size = self._size
        now = time.monotonic()
        if now - looked > 1.0:
            latest = self.trail.latest_checkpoint()
            size = 0 if latest is None else latest.tree_size
            self._size = (now, size)
        return size

    def forget(self) -> None:
        """After signing: the next answer looks the latest checkpoint up again."""
        self._size = (0.0, 0)


class AtMostEverySecond:
    """A lookup made again at most once a second, as ``LatestCheckpoint`` is: what a kept page
    shows beside the read models' position may then be a second old."""

    def __init__(
        self, lookup: Callable[[], Hashable], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.lookup, self.clock = lookup, clock
        self._value: tuple[float, Hashable] = (-2.0, None)

    def __call__(self, reader: Actor | None = None) -> Hashable:
        """The value, the same for every reader."""
        looked, value = self._value
        now = self.clock()
        if now - looked > 1.0:
            value = self.lookup()
            self._value = (now, value)
        return value


class EachReaderEverySecond:
    """A lookup of the reader's own made again at most once a second for each (the last few
    hundred readers'): what their kept page shows beside the read models' position may then be
    a second old."""

    def __init__(
        self,
        lookup: Callable[[Actor], Hashable],
        clock: Callable[[], float] = time.monotonic,
        size: int = 512,
    ) -> None:
        self.lookup, self.clock, self.size = lookup, clock, size
        self._values: OrderedDict[str, tuple[float, Hashable]] = OrderedDict()
        self._lock = threading.Lock()

    def __call__(self, reader: Actor) -> Hashable:
        now = self.clock()
        with self._lock:
            looked, value = self._values.get(reader.user_id, (-2.0, None))
        if now - looked > 1.0:
            value = self.lookup(reader)
            with self._lock:
                self._values[reader.user_id] = (now, value)
                self._values.move_to_end(reader.user_id)
                while len(self._values) > self.size:
                    self._values.popitem(last=False)
        return value


class Positions:
    """Where the read models stand: those chosen for the request when reads may go to standbys
    (``adapters.standbys``), else the primary's, as last notified (PostgreSQL) or asked of the
    database."""

    def __init__(
        self, freshness: Freshness | None, reads: ReadRouting[OversightView] | None = None
    ) -> None:
        self.freshness, self.reads = freshness, reads

    def of(self, view: OversightView) -> int:
        if self.reads is not None:
            _, chosen = self.reads.chosen()
            if chosen is not None:
                return chosen
        known = None if self.freshness is None else self.freshness.position()
        return view.position() if known is None else known


class ListCounts:
    """How many directives each list asked lately held, and at which log position (the last
    few hundred, least recently used dropped first): the next page of the same list, or the
    same list asked again, read at that position, does not count again."""

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._counts: OrderedDict[Hashable, Counted] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Counted | None:
        with self._lock:
            counted = self._counts.get(key)
            if counted is not None:
                self._counts.move_to_end(key)
            return counted

    def put(self, key: Hashable, counted: Counted) -> None:
        with self._lock:
            self._counts[key] = counted
            self._counts.move_to_end(key)
            while len(self._counts) > self.size:
                self._counts.popitem(last=False)
