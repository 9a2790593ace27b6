"""The fast read path, in one place: oversight answers kept per log position and served in front
of Falcon when already made, and the few lookups their key needs (today's city day, the latest
signed checkpoint, where the read models stand) made cheap."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol
from wsgiref.types import StartResponse, WSGIEnvironment

import falcon

from adapters.freshness import Freshness
from api import auth
from api.http import (
    CONNECTION_LOST,
    ProblemError,
    bearer_token,
    problem_body,
    read_chunked_body,
)
from api.pipeline import Pipeline
from api.routes import BY_KEY, Route
from domain.shared.actors import Actor
from domain.shared.clock import Clock, city_date, end_of_city_day
from readmodels.audit import AuditStore
from readmodels.model import Counted
from readmodels.open import OversightView


@dataclass(eq=False)
class _Flight:
    """An answer being made by one thread while others asking the same question wait for it."""

    done: threading.Event = field(default_factory=threading.Event)
    body: bytes | None = None


class AnswerCache:
    """The last few hundred oversight answers of this worker, least recently used dropped first.

    An answer missing from the cache is made once however many ask for it at the same moment:
    the first asker makes it, the others wait for its answer: a summary over a city's board is
    costly, and a dashboard opened by a room of officials right after a write must not make it
    thirty times over.
    """

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self._answers: OrderedDict[Hashable, bytes] = OrderedDict()
        self._flights: dict[Hashable, _Flight] = {}
        self._lock = threading.Lock()
        self.made = 0  # answers made rather than found, for tests and metrics

    def put(self, key: Hashable, body: bytes) -> None:
        with self._lock:
            self._answers[key] = body
            self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)

    def get(self, key: Hashable) -> bytes | None:
        """The answer if it is here; never makes one."""
        with self._lock:
            body = self._answers.get(key)
            if body is not None:
                self._answers.move_to_end(key)
            return body

    def get_or_make(self, key: Hashable, make: Callable[[], bytes]) -> bytes:
        with self._lock:
            body = self._answers.get(key)
            if body is not None:
                self._answers.move_to_end(key)
                return body
            flight = self._flights.get(key)
            leading = flight is None
            if flight is None:
                flight = self._flights[key] = _Flight()
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

    answers: AnswerCache

    @property
    def has_read_models(self) -> bool: ...

    def key(self, template: str, query: str, actor: Actor) -> Hashable: ...


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
    ) -> None:
        self.app = app
        self.pipeline = pipeline
        self.oversight = oversight
        self.authenticate = authenticate
        self.routes = {path: BY_KEY[("GET", path)] for path in self.PATHS}
        self.served = 0  # answers sent from here, for tests

    def __call__(self, env: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
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


class Positions:
    """Where the read models stand: as last notified (PostgreSQL), or asked of the database."""

    def __init__(self, freshness: Freshness | None) -> None:
        self.freshness = freshness

    def of(self, view: OversightView) -> int:
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
