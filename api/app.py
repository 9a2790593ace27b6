"""The Falcon WSGI application: ``create_app(config)`` wires resources, authorization, errors.

Who may call what is decided in one place (``Authorization``, reading ``api.routes.ROUTES``);
errors become RFC 9457 problem documents in one place (``problem``); every POST may carry an
``Idempotency-Key``; commands answer after the read models include them, with ``Location``,
``ETag`` and the directive's new state.
"""

from __future__ import annotations

import contextlib
import io
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeVar
from uuid import UUID
from wsgiref.types import StartResponse, WSGIEnvironment

import falcon
import orjson
import psycopg
from eventsourcing.persistence import (
    InterfaceError,
    Notification,
    OperationalError,
    PersistenceError,
)
from pydantic import BaseModel, ValidationError

from adapters.follower import FollowerState
from adapters.idempotency import (
    DATABASE_ERRORS,
    Answered,
    Attempt,
    Claimed,
    KeyReusedError,
    StoredResponse,
    open_store,
)
from adapters.signing import Signer
from api import auth, openapi
from api.documents import (
    board_document,
    directive_document,
    inbox_document,
    late_document,
    oversight_checkpoint,
    score_document,
    summary_document,
    unit_document,
    user_document,
)
from api.idempotency import (
    RETRY_AFTER_SECONDS,
    WAIT_SECONDS,
    WAITERS,
    Claims,
    Found,
    StillRunningError,
    fingerprint,
    stored_by,
    withhold,
)
from api.observability import Metrics, RequestIds, configure_logging, log_request
from api.params import (
    AS_OF,
    AT,
    BASIS,
    CATEGORY,
    CURSOR,
    DEADLINE_FROM,
    DEADLINE_TO,
    DUE,
    DUE_SOON_DAYS,
    EVENTS_AFTER,
    ISSUED,
    ISSUER,
    LIST_LIMIT,
    NUMBER,
    POSITION,
    SEARCH,
    UNIT,
    URGENCY,
    VERSION,
    WINDOW,
    Cursor,
    ParameterError,
    check_headers,
    check_path,
)
from api.routes import BY_KEY, Route
from api.schemas import (
    CompletionDecision,
    CompletionReport,
    Contribution,
    Disabling,
    Empty,
    ExplanationAnswer,
    ExplanationRequest,
    ExtensionDecision,
    ExtensionRequest,
    IssueDirective,
    NewUser,
    ProgressReport,
    Reassignment,
    Reminder,
    RoleChange,
    SignIn,
    Withdrawal,
)
from api.web.i18n import Language
from api.web.session import is_page, session_token
from bootstrap import Services
from domain.accounts.account import UserAccount, stored_secrets, without_secrets
from domain.application import Thucthi
from domain.directives.directive import Directive
from domain.directives.errors import DirectiveNotFoundError
from domain.narration import narrate
from domain.shared.actors import Actor, Role
from domain.shared.clock import city_date, end_of_city_day
from domain.shared.errors import DomainError, InvalidTextError
from projections.audit import signing_refusal
from projections.oversight import OversightProjection, catch_up
from projections.runner import status as projection_status
from readmodels.index import IndexWeights, score_units
from readmodels.model import AsOf, Basis, Filters, LateItem
from readmodels.open import OversightView
from readmodels.queries import category_of
from readmodels.text import storable_value

if TYPE_CHECKING:
    from api.web.pages import Web

# What a dropped database connection raises: through the library, and from psycopg directly.
CONNECTION_LOST: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)
MAX_BODY = 1024 * 1024
READ_MODELS = "Read-Models"  # "behind" on a command's answer the read models do not include yet
PAGE_SIZE = 100
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
_new_request_id = RequestIds()
_IF_MATCH = re.compile(r'^(?:W/)?"([0-9]{1,18})"$')
_M = TypeVar("_M", bound=BaseModel)
STATUS_OF_KIND = {
    "invalid": 422,
    "not_found": 404,
    "conflict": 409,
    "forbidden": 403,
    "precondition": 412,
}


@dataclass
class AppConfig:
    """What the web application is built from: the services (``bootstrap.open_services``) and
    the HTTP settings; tests pass their own."""

    services: Services
    ready_lag: int = 10_000  # events any projection may be behind while /readyz says ready
    # Seconds the follower's heartbeat may be old while /readyz says ready; None: no follower is
    # expected (tests, whose commands project for themselves).
    follower_timeout: float | None = None
    sign_in_limit: int = auth.ACCOUNT_LIMIT  # failed sign-ins per account per minute
    sign_in_address_limit: int = auth.ADDRESS_LIMIT  # failed sign-ins per client address
    index_weights: IndexWeights = field(default_factory=IndexWeights)
    idempotency_waiters: int = WAITERS  # threads that may wait for a busy key; 0: answer at once
    idempotency_wait: float = WAIT_SECONDS

    @property
    def signer(self) -> Signer | None:
        return self.services.signer


# --- problems (RFC 9457) ------------------------------------------------------------------------


class ProblemError(Exception):
    """An HTTP problem to answer with; ``code`` names its type."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str = "",
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail or title)
        self.status, self.code, self.title, self.detail = status, code, title, detail
        self.errors = errors
        self.headers = headers or {}


def problem_body(p: ProblemError, instance: str) -> bytes:
    doc: dict[str, Any] = {
        "type": f"urn:thucthi:problem:{p.code}",
        "title": p.title,
        "status": p.status,
        "instance": instance,
    }
    if p.detail:
        doc["detail"] = p.detail
    if p.errors:
        doc["errors"] = p.errors
    return orjson.dumps(doc)


def from_domain(error: DomainError) -> ProblemError:
    title = (type(error).__doc__ or error.code).strip().splitlines()[0]
    errors = (
        [{"field": error.field, "message": error.reason}]
        if isinstance(error, InvalidTextError)
        else None
    )
    return ProblemError(STATUS_OF_KIND[error.kind], error.code, title, str(error), errors=errors)


def from_validation(error: ValidationError) -> ProblemError:
    errors = [
        {"field": ".".join(str(p) for p in e["loc"]) or "(body)", "message": e["msg"]}
        for e in error.errors(include_url=False, include_context=False, include_input=False)
    ]
    return ProblemError(422, "invalid-fields", "Some fields are invalid", errors=errors)


def from_parameter(error: ParameterError, language: Language = "en") -> ProblemError:
    """A parameter refused, named, with what it must be (in words, on a page)."""
    rule = error.describe(language)
    return ProblemError(
        422,
        error.code,
        f"Invalid parameter: {error.name}",
        errors=[{"field": error.name, "message": rule}],
    )


def render(resp: falcon.Response, p: ProblemError, instance: str) -> None:
    resp.status = p.status
    resp.content_type = "application/problem+json"
    resp.data = problem_body(p, instance)
    for name, value in p.headers.items():
        resp.set_header(name, value)


# --- the pipeline -------------------------------------------------------------------------------


class Pipeline:
    """Request ids, authentication, the authorization matrix, metrics and the request log."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def process_request(self, req: falcon.Request, resp: falcon.Response) -> None:
        env = req.env  # headers read from the environment: get_header's name mangling is a cost
        req.context.request_id = self.request_id(env)
        req.context.started = time.perf_counter()
        req.context.actor = None
        req.context.token_hash = None
        req.context.token_id = None
        token = bearer_token(env)
        if token is None and is_page(req.path):
            token = session_token(req)  # the pages sign in with a cookie
        if token:
            found = auth.authenticate(
                self.ctx.app,
                token.strip(),
                self.ctx.checked_tokens,
                command=req.method not in auth.SAFE_METHODS,
            )
            if found is not None:
                req.context.actor = found.actor
                req.context.token_hash = found.token_hash
                req.context.token_id = found.token_id

    @staticmethod
    def request_id(env: dict[str, Any]) -> str:
        """The caller's X-Request-Id if it is a sensible one, else a new one."""
        given = env.get("HTTP_X_REQUEST_ID") or ""
        return given if _REQUEST_ID.match(given) else _new_request_id()

    def process_resource(
        self, req: falcon.Request, resp: falcon.Response, resource: object, params: dict[str, Any]
    ) -> None:
        refusal = self.refusal(BY_KEY.get((req.method, req.uri_template or "")), req.context.actor)
        if refusal is not None:
            raise refusal
        check_path(params)
        check_headers(req)

    @staticmethod
    def refusal(route: Route | None, actor: Actor | None) -> ProblemError | None:
        """Why the authorization matrix refuses this actor this route, if it does."""
        if route is None or route.roles is None:
            return None
        if actor is None:
            return ProblemError(
                401,
                "unauthenticated",
                "Sign in first",
                "send Authorization: Bearer <token> from POST /api/session",
                headers={"WWW-Authenticate": 'Bearer realm="thucthi"'},
            )
        if actor.role not in route.roles:
            return ProblemError(403, "not-permitted", "Your role may not do this", f"{actor.role}")
        return None

    def process_response(
        self, req: falcon.Request, resp: falcon.Response, resource: object, req_succeeded: bool
    ) -> None:
        request_id = getattr(req.context, "request_id", "")
        resp.set_header("X-Request-Id", request_id)
        started = getattr(req.context, "started", time.perf_counter())
        actor: Actor | None = getattr(req.context, "actor", None)
        self.record(
            request_id,
            actor,
            method=req.method,
            route=req.uri_template or "unmatched",
            status=int(resp.status_code),
            seconds=time.perf_counter() - started,
        )

    def record(
        self,
        request_id: str,
        actor: Actor | None,
        *,
        method: str,
        route: str,
        status: int,
        seconds: float,
    ) -> None:
        """A request's metrics and its line in the request log."""
        self.ctx.metrics.observe(route, method, status, seconds)
        log_request(
            {
                "request_id": request_id,
                "user": actor.user_id if actor else None,
                "method": method,
                "route": route,
                "status": status,
                "duration_ms": round(seconds * 1000, 2),
            }
        )


def bearer_token(env: dict[str, Any]) -> str | None:
    """The token of an ``Authorization: Bearer`` header, if there is one."""
    scheme, _, token = (env.get("HTTP_AUTHORIZATION") or "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


# Read-your-writes on PostgreSQL: a command waits up to FOLLOWER_WAIT seconds for the projection
# follower to take its events in (it reacts to each commit's notification within milliseconds)
# before projecting them itself; API workers projecting too only competed with the follower, on
# the view's lock and on the rows it remembers (POST at small: ~120 -> ~165 requests/s). When a
# wait fails, the worker projects for itself for FOLLOWER_RETRY seconds before waiting again.
FOLLOWER_WAIT = 0.5
FOLLOWER_RETRY = 10.0
SIGNING_LOOKED_UP = 5.0  # seconds a signing refusal found for /readyz and /metrics is reused


class Context:
    """What every resource shares."""

    def __init__(self, config: AppConfig) -> None:
        self.config = config
        services = config.services
        self.app = services.app
        self.view = services.view
        self.metrics = Metrics()
        self.idempotency = Claims(
            services.idempotency
            or open_store(None, events_table="", head=self.app.max_notification_id),
            waiters=config.idempotency_waiters,
            wait=config.idempotency_wait,
        )
        self.limiter = auth.SignInLimiter(
            self.app, per_account=config.sign_in_limit, per_address=config.sign_in_address_limit
        )
        self.checked_tokens = auth.CheckedTokens()
        self.answers = AnswerCache()
        self._inline = OversightProjection(self.view) if self.view is not None else None
        self.audit_store = services.trail
        self.heartbeat = services.heartbeat
        self._checkpoint_size: tuple[float, int] = (0.0, 0)
        self._refusal: tuple[float, str | None] = (-SIGNING_LOOKED_UP, None)
        self._inline_lock = threading.Lock()
        self._inline_until = 0.0  # monotonic time until which commands project for themselves
        self._today = (datetime.max.replace(tzinfo=UTC), datetime.min.replace(tzinfo=UTC), date.min)
        self.freshness = services.freshness

    def require_view(self) -> OversightView:
        if self.view is None:
            raise ProblemError(503, "no-read-models", "Read models are not available on memory://")
        return self.view

    def latest_checkpoint_size(self) -> int:
        """The size of the latest signed checkpoint, looked up at most once a second."""
        if self.audit_store is None:
            return 0
        looked, size = self._checkpoint_size
        now = time.monotonic()
        if now - looked > 1.0:
            latest = self.audit_store.latest_checkpoint()
            size = 0 if latest is None else latest.tree_size
            self._checkpoint_size = (now, size)
        return size

    def signing_refusal(self) -> str | None:
        """Why the log's signer refuses to sign (its trail does not extend the checkpoint log's
        last checkpoint); looked up at most every few seconds, for /readyz and /metrics."""
        signer = self.config.signer
        if self.audit_store is None or signer is None or signer.published is None:
            return None
        looked, why = self._refusal
        now = time.monotonic()
        if now - looked >= SIGNING_LOOKED_UP:
            at_head = self.audit_store.max_tracking_id(self.app.name) >= (
                self.app.max_notification_id()
            )
            why = signing_refusal(
                self.audit_store, self.app.name, signer.published, at_head=at_head
            )
            self._refusal = (now, why)
        return why

    def forget_checkpoint_size(self) -> None:
        """After signing: the next oversight answer looks the latest checkpoint up again."""
        self._checkpoint_size = (0.0, 0)

    def caught_up(self, position: int, request_id: str = "") -> bool:
        """Read-your-writes: project up to ``position`` before answering (a batched catch-up; safe
        beside the follower process, because the tracking row only moves forward). False if the
        read models could not take the events in: the command stands, its answer says so."""
        if self._inline is None:
            return True
        known = None if self.freshness is None else self.freshness.position()
        if max(known or 0, self._inline.projected_upto) >= position:
            return True  # the follower, or a catch-up for a command saved with this one, did it
        if self.freshness is not None and time.monotonic() >= self._inline_until:
            if self.freshness.wait_for(position, FOLLOWER_WAIT):
                return True  # the follower did it: projecting here too would only compete
            # The follower is late or not running: project here, without waiting, for a while.
            self._inline_until = time.monotonic() + FOLLOWER_RETRY
        try:
            with self._inline_lock:
                catch_up(self.app, self._inline, until=position)
        # The command's events are stored whatever failed here (a read model that cannot hold a
        # value, a lost connection, a bug in a view): it must not become an error or be run again.
        except Exception as e:
            self._inline.forget()
            log_request(
                {"request_id": request_id, "event": "read models behind", "position": position},
                error=e,
            )
            return False
        if self.freshness is not None:
            self.freshness.reached(position)
        return True

    def today(self) -> date:
        """The city's calendar day now, worked out again only when the clock has left it."""
        now = self.app.clock.now()
        start, end, day = self._today
        if not start <= now < end:
            day = city_date(now)
            start = end_of_city_day(day - timedelta(days=1)) + timedelta(microseconds=1)
            end = end_of_city_day(day) + timedelta(microseconds=1)
            self._today = (start, end, day)
        return day

    def projection_lags(self) -> tuple[int, dict[str, int]]:
        """The head of the log, and how far behind it each projection stands (asked of the
        database: what the follower, not this worker, has done)."""
        if self.view is None:
            return self.app.max_notification_id(), {}
        found = projection_status(self.app, self.view, self.audit_store)
        return found[0].head, {s.name: s.lag for s in found}

    def follower_state(self) -> FollowerState | None:
        return None if self.heartbeat is None else self.heartbeat.state()

    def view_position(self, view: OversightView) -> int:
        """Where the read models stand: as last notified, or asked of the database."""
        known = None if self.freshness is None else self.freshness.position()
        return view.position() if known is None else known

    # --- request helpers ---------------------------------------------------------------------

    def body(self, req: falcon.Request, model: type[_M]) -> tuple[_M, bytes]:
        if req.content_length is not None and req.content_length > MAX_BODY:
            raise ProblemError(413, "body-too-large", "The body is over 1 MiB")
        raw = req.bounded_stream.read(MAX_BODY + 1)
        if len(raw) > MAX_BODY:
            raise ProblemError(413, "body-too-large", "The body is over 1 MiB")
        if not raw.strip():
            data: Any = {}
        else:
            media_type = (req.content_type or "").split(";")[0].strip().lower()
            if media_type != "application/json":
                raise ProblemError(415, "unsupported-media-type", "Send application/json")
            try:
                data = orjson.loads(raw)
            except orjson.JSONDecodeError as e:
                raise ProblemError(
                    400, "malformed-json", "The body is not valid JSON", str(e)
                ) from e
            if not isinstance(data, dict):
                raise ProblemError(422, "invalid-fields", "The body must be a JSON object")
        try:
            return model.model_validate(data), raw
        except ValidationError as e:
            raise from_validation(e) from e

    def once(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        raw: bytes,
        produce: Callable[[], None],
        recover: Callable[[Found], None],
        *,
        kind: type,
        secret: tuple[str, ...] = (),
    ) -> None:
        """Run ``produce`` once per Idempotency-Key; a repeat gets the first response back.

        ``recover`` answers from the events an attempt stored (of ``kind``, with its request id)
        when the attempt could not answer itself: its process died, or something failed after
        its events were stored. ``secret`` names the fields of the request and of the answer
        that are secrets: none is kept (``api.idempotency.withhold``).
        """
        key = req.get_header("Idempotency-Key")
        if not key:
            self._guarded(req, resp, produce)
            return
        actor: Actor | None = req.context.actor
        owner = actor.user_id if actor else "anonymous"
        request_id: str = req.context.request_id
        claim = self._claim(owner, key, fingerprint(req.method, req.path, raw, secret), request_id)
        if isinstance(claim, Answered):
            replay(resp, claim.response)
            return
        try:
            found = None
            position = claim.position
            if claim.earlier is not None:  # an attempt that died or failed: did it store?
                found = stored_by(self.app, claim.earlier, kind, owner)
                if found is not None:
                    recover(found)
                    resp.set_header("Idempotent-Replayed", "true")
                else:
                    position = self.idempotency.restart(owner, key, request_id)
            if found is None:
                attempt = Attempt(request_id, position)
                self._produce_or_recover(
                    req, resp, produce, recover, attempt=attempt, kind=kind, owner=owner
                )
        except BaseException:
            # Nothing of this attempt is known to be stored; the next one looks before running.
            with contextlib.suppress(*DATABASE_ERRORS):  # else given up by this process later
                self.idempotency.abandon(owner, key)
            raise
        headers: dict[str, str] = {}
        for name in ("Content-Type", "Location", "ETag", READ_MODELS):
            header = resp.get_header(name)
            if header is not None:
                headers[name] = header
        body = resp.data or b""
        if headers.get("Content-Type", "").startswith(falcon.MEDIA_JSON):
            body = withhold(body, secret)
        try:
            self.idempotency.complete(
                owner, key, StoredResponse(int(resp.status_code), headers, body)
            )
        except DATABASE_ERRORS as e:
            # The answer stands; the next request with the key finds the events and answers
            # from them (the claim is given up now, or by the next claim of this process).
            log_request({"request_id": request_id, "event": "answer not kept"}, error=e)
            with contextlib.suppress(*DATABASE_ERRORS):
                self.idempotency.abandon(owner, key)

    def _claim(self, owner: str, key: str, fingerprint: str, request_id: str) -> Claimed | Answered:
        if len(key) > 255:
            raise ProblemError(
                422, "invalid-idempotency-key", "An Idempotency-Key is 1-255 characters"
            )
        try:
            return self.idempotency.claim(owner, key, fingerprint, request_id)
        except KeyReusedError as e:
            raise ProblemError(
                422, "idempotency-key-reused", "This key was used for another request"
            ) from e
        except StillRunningError as e:
            raise ProblemError(
                409,
                "idempotency-key-busy",
                "The first request is still running",
                "send it again later with the same key",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            ) from e

    def _produce_or_recover(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        produce: Callable[[], None],
        recover: Callable[[Found], None],
        *,
        attempt: Attempt,
        kind: type,
        owner: str,
    ) -> None:
        try:
            self._guarded(req, resp, produce)
        # Whatever failed, the command's events may be stored: if they were, the command
        # succeeded and says so; only if they were not is the failure the answer.
        except Exception as e:
            found = stored_by(self.app, attempt, kind, owner)
            if found is None:
                raise
            log_request(
                {"request_id": attempt.request_id, "event": "answered from the stored events"},
                error=e,
            )
            recover(found)

    def _guarded(
        self, req: falcon.Request, resp: falcon.Response, produce: Callable[[], None]
    ) -> None:
        """Domain refusals are answers too (and are replayed as such)."""
        try:
            produce()
        except DomainError as e:
            render(resp, from_domain(e), req.path)


def replay(resp: falcon.Response, first: StoredResponse) -> None:
    resp.status = first.status
    resp.data = first.body
    for name, value in first.headers.items():
        resp.set_header(name, value)
    resp.set_header("Idempotent-Replayed", "true")


def json(resp: falcon.Response, document: Any, status: int = 200) -> None:
    resp.status = status
    resp.content_type = falcon.MEDIA_JSON
    try:
        resp.data = orjson.dumps(document, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:
        # A text from the log that UTF-8 cannot carry (a lone surrogate an earlier version or
        # the store itself let in): shown escaped, as the read models show it.
        resp.data = orjson.dumps(storable_value(document), option=orjson.OPT_NON_STR_KEYS)


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


# --- resources ----------------------------------------------------------------------------------


class Session:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body, raw = self.ctx.body(req, SignIn)
        try:
            attempt = self.ctx.limiter.attempt(body.username, req.remote_addr or "unknown")
        except auth.TooManyAttemptsError as e:
            raise ProblemError(
                429,
                "too-many-sign-ins",
                "Too many sign-in attempts",
                str(e),
                headers={"Retry-After": str(e.retry_after)},
            ) from e

        def produce() -> None:
            try:
                issued = auth.sign_in(
                    self.ctx.app, body.username, body.password, req.context.request_id
                )
            except auth.SignInError as e:
                raise ProblemError(401, "sign-in-failed", "Wrong user name or password") from e
            account = self.ctx.app.get_user(body.username)
            json(
                resp,
                {
                    "token": issued.token,
                    "token_type": "Bearer",
                    "expires_at": issued.expires_at,
                    "user": user_document(account),
                },
                201,
            )

        def recover(found: Found) -> None:
            """Signed in by an attempt that could not answer: its token is lost to everyone."""
            account = self.ctx.app.get_user(body.username)
            document = {"token_type": "Bearer", "user": user_document(account)}
            json(resp, {**document, "withheld": ["token"]}, 201)

        self.ctx.once(
            req, resp, raw, produce, recover, kind=UserAccount.Event, secret=("password", "token")
        )
        if resp.status_code == 201:  # signed in (or the answer to it replayed): not a failure
            self.ctx.limiter.succeeded(attempt)

    def on_delete(self, req: falcon.Request, resp: falcon.Response) -> None:
        actor: Actor = req.context.actor
        self.ctx.app.revoke_token(
            actor.user_id,
            token_id=req.context.token_id,
            actor=actor,
            request_id=req.context.request_id,
        )
        self.ctx.checked_tokens.forget(req.context.token_hash)
        resp.status = falcon.HTTP_204


class Me:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        actor: Actor = req.context.actor
        json(resp, user_document(self.ctx.app.get_user(actor.user_id)))


class Users:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body, raw = self.ctx.body(req, NewUser)

        def produce() -> None:
            password = body.password or auth.new_password()
            self.ctx.app.create_user(
                username=body.username,
                display_name=body.display_name,
                role=body.role,
                unit=body.unit,
                password_hash=auth.hash_password(password),
                actor=req.context.actor,
                request_id=req.context.request_id,
            )
            document = user_document(self.ctx.app.get_user(body.username))
            if body.password is None:
                document["password"] = password  # shown once, never stored in clear
            resp.location = f"/api/users/{body.username}"
            json(resp, document, 201)

        def recover(found: Found) -> None:
            document = user_document(self.ctx.app.get_user(body.username))
            if body.password is None:
                document["withheld"] = ["password"]  # generated by an attempt that was lost
            resp.location = f"/api/users/{body.username}"
            json(resp, document, 201)

        self.ctx.once(
            req, resp, raw, produce, recover, kind=UserAccount.Event, secret=("password",)
        )


class UserRole:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def on_post(self, req: falcon.Request, resp: falcon.Response, username: str) -> None:
        body, raw = self.ctx.body(req, RoleChange)

        def produce() -> None:
            self.ctx.app.change_role(
                username,
                role=body.role,
                unit=body.unit,
                actor=req.context.actor,
                request_id=req.context.request_id,
            )
            json(resp, user_document(self.ctx.app.get_user(username)))

        def recover(found: Found) -> None:
            json(resp, user_document(self.ctx.app.get_user(username)))

        self.ctx.once(req, resp, raw, produce, recover, kind=UserAccount.Event)


class UserDisabling:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def on_post(self, req: falcon.Request, resp: falcon.Response, username: str) -> None:
        body, raw = self.ctx.body(req, Disabling)

        def produce() -> None:
            self.ctx.app.disable_user(
                username,
                reason=body.reason,
                actor=req.context.actor,
                request_id=req.context.request_id,
            )
            json(resp, user_document(self.ctx.app.get_user(username)))

        def recover(found: Found) -> None:
            json(resp, user_document(self.ctx.app.get_user(username)))

        self.ctx.once(req, resp, raw, produce, recover, kind=UserAccount.Event)


class Directives:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body, raw = self.ctx.body(req, IssueDirective)

        def produce() -> None:
            position = issue(self.ctx.app, body, req.context.actor, req.context.request_id)
            answer_directive(
                self.ctx, resp, body.reference, position, 201, request_id=req.context.request_id
            )

        recover = recovered_directive(self.ctx, req, resp, 201)
        self.ctx.once(req, resp, raw, produce, recover, kind=Directive.Event)

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        view = self.ctx.require_view()
        actor: Actor = req.context.actor
        today = city_date(self.ctx.app.clock.now())
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
        rows = view.board(None, filters)
        query = SEARCH.read(req)
        if query:
            ranked = {hit.directive_id: i for i, hit in enumerate(view.search(query, limit=10_000))}
            rows = sorted(
                (r for r in rows if r.directive_id in ranked), key=lambda r: ranked[r.directive_id]
            )
        else:
            rows.reverse()  # newest first
        rows = [r for r in rows if visible(actor, r.lead_unit, r.coordinators)]
        if category is not None:
            rows = [r for r in rows if category_of(r, today) == category]
        page = rows[offset : offset + PAGE_SIZE]
        following = offset + PAGE_SIZE if offset + PAGE_SIZE < len(rows) else None
        json(
            resp,
            {
                "position": position,
                "items": [board_document(r) for r in page],
                "next_cursor": Cursor.encode(following) if following is not None else None,
            },
        )


def issue(app: Thucthi, body: IssueDirective, actor: Actor, request_id: str) -> int:
    """Issue a directive as asked (by the API's JSON or a page's form); the position recorded."""
    return app.issue_directive(
        reference=body.reference,
        title=body.title,
        content=body.content,
        lead_unit=body.lead_unit,
        coordinating_units=body.coordinating_units,
        deadline=body.deadline,
        urgency=body.urgency,
        issuer=body.issuer,
        parent_reference=body.parent_reference,
        issued_on=body.issued_on,
        actor=actor,
        request_id=request_id,
    )


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


def load_visible(ctx: Context, actor: Actor, ref: str) -> Directive:
    """The directive, or 404 if it does not exist or the actor's unit may not see it."""
    directive = on_path_directive(ctx.app, ref, ctx.app.get_directive)
    if not visible(actor, directive.lead_unit, directive.coordinating_units):
        msg = f"no directive {ref}"
        raise DirectiveNotFoundError(msg)
    return directive


def answer_directive(
    ctx: Context,
    resp: falcon.Response,
    key: str,
    position: int,
    status: int,
    *,
    request_id: str = "",
) -> None:
    """The directive a command named by ``key`` (its id or reference) just changed."""
    caught_up = ctx.caught_up(position, request_id)
    directive = ctx.app.saved_directive(key) or ctx.app.get_directive(key)
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
    ctx: Context, req: falcon.Request, resp: falcon.Response, status: int
) -> Callable[[Found], None]:
    """The answer of a directive command made from the event it stored."""

    def recover(found: Found) -> None:
        event = found.event
        caught_up = ctx.caught_up(found.position, req.context.request_id)
        directive = ctx.app.get_directive(event.originator_id, version=event.originator_version)
        answer_with(resp, directive, found.position, status, caught_up=caught_up)

    return recover


class OneDirective:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def on_get(self, req: falcon.Request, resp: falcon.Response, ref: str) -> None:
        """Now, right after version N (``?version=N``), or as it stood at a moment (``?at=``)."""
        current = load_visible(self.ctx, req.context.actor, ref)
        version, moment = VERSION.read(req), AT.read(req)
        if version is not None and moment is not None:
            raise ProblemError(422, "invalid-fields", "Ask for a version or a moment, not both")
        directive = current
        if version is not None:
            directive = self.ctx.app.get_directive(current.id, version=version)
        elif moment is not None:
            directive = self.ctx.app.directive_at(current.id, moment)
        resp.etag = f'"{current.version}"'
        json(resp, directive_document(directive))

    def on_get_history(self, req: falcon.Request, resp: falcon.Response, ref: str) -> None:
        """Every event of the directive, oldest first: who did it, why, in both languages."""
        directive = load_visible(self.ctx, req.context.actor, ref)
        items = []
        for event in self.ctx.app.history(directive.id):
            sentence = narrate(event)
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


Command = Callable[[Thucthi, str, Any, Actor, str, int | None], int]


class DirectiveCommand:
    """One POST sub-resource per command of the lifecycle."""

    def __init__(self, ctx: Context, model: type[BaseModel], command: Command, status: int) -> None:
        self.ctx, self.model, self.command, self.status = ctx, model, command, status

    def on_post(self, req: falcon.Request, resp: falcon.Response, ref: str, n: str = "") -> None:
        actor: Actor = req.context.actor
        number = NUMBER.from_path(n) if n else None
        body, raw = self.ctx.body(req, self.model)
        expected = _if_match(req)

        def produce() -> None:
            # Whether the actor may see the directive is checked by the command itself, on the
            # state it runs on (DirectiveNotFoundError, 404), not by reading it once more first.
            payload = (body, number) if number is not None else body

            def run(key: str) -> tuple[str, int]:
                rid = req.context.request_id
                return key, self.command(self.ctx.app, key, payload, actor, rid, expected)

            key, position = on_path_directive(self.ctx.app, ref, run)
            answer_directive(
                self.ctx, resp, key, position, self.status, request_id=req.context.request_id
            )

        recover = recovered_directive(self.ctx, req, resp, self.status)
        self.ctx.once(req, resp, raw, produce, recover, kind=Directive.Event)


def _if_match(req: falcon.Request) -> int | None:
    header = req.get_header("If-Match")
    if header is None:
        return None
    match = _IF_MATCH.match(header.strip())
    if match is None:
        raise ProblemError(412, "version-mismatch", 'If-Match takes the ETag given, e.g. "7"')
    return int(match[1])


def _number(payload: Any) -> tuple[Any, int]:
    body, number = payload
    if number < 1:
        raise ProblemError(404, "not-found", "Numbers start at 1")
    return body, number


def _decide_extension(  # noqa: PLR0917 - the shape of every Command
    app: Thucthi, ref: str, payload: Any, actor: Actor, rid: str, expected: int | None
) -> int:
    body, number = _number(payload)
    if body.decision == "grant":
        return app.grant_extension(
            ref,
            number=number,
            new_deadline=body.new_deadline,
            note=body.note,
            actor=actor,
            request_id=rid,
            expected_version=expected,
        )
    return app.deny_extension(
        ref,
        number=number,
        reason=body.note,
        actor=actor,
        request_id=rid,
        expected_version=expected,
    )


def _decide_completion(  # noqa: PLR0917 - the shape of every Command
    app: Thucthi, ref: str, body: Any, actor: Actor, rid: str, expected: int | None
) -> int:
    if body.decision == "accept":
        return app.accept_completion(
            ref, note=body.note, actor=actor, request_id=rid, expected_version=expected
        )
    return app.return_completion(
        ref, reason=body.note, actor=actor, request_id=rid, expected_version=expected
    )


def _give_explanation(  # noqa: PLR0917 - the shape of every Command
    app: Thucthi, ref: str, payload: Any, actor: Actor, rid: str, expected: int | None
) -> int:
    body, number = _number(payload)
    return app.give_explanation(
        ref,
        number=number,
        answer=body.answer,
        actor=actor,
        request_id=rid,
        expected_version=expected,
    )


COMMANDS: dict[str, tuple[type[BaseModel], Command, int]] = {
    "/acknowledgement": (
        Empty,
        lambda app, ref, b, actor, rid, v: app.acknowledge(
            ref, actor=actor, request_id=rid, expected_version=v
        ),
        200,
    ),
    "/progress-reports": (
        ProgressReport,
        lambda app, ref, b, actor, rid, v: app.report_progress(
            ref,
            percent=b.percent,
            narrative=b.narrative,
            attachments=b.attachments,
            actor=actor,
            request_id=rid,
            expected_version=v,
        ),
        201,
    ),
    "/contributions": (
        Contribution,
        lambda app, ref, b, actor, rid, v: app.contribute(
            ref,
            narrative=b.narrative,
            attachments=b.attachments,
            actor=actor,
            request_id=rid,
            expected_version=v,
        ),
        201,
    ),
    "/extension-requests": (
        ExtensionRequest,
        lambda app, ref, b, actor, rid, v: app.request_extension(
            ref,
            new_deadline=b.new_deadline,
            reason=b.reason,
            actor=actor,
            request_id=rid,
            expected_version=v,
        ),
        201,
    ),
    "/extension-requests/{n}/decision": (ExtensionDecision, _decide_extension, 200),
    "/completion-report": (
        CompletionReport,
        lambda app, ref, b, actor, rid, v: app.report_completion(
            ref,
            summary=b.summary,
            attachments=b.attachments,
            actor=actor,
            request_id=rid,
            expected_version=v,
        ),
        201,
    ),
    "/completion-report/decision": (CompletionDecision, _decide_completion, 200),
    "/reassignment": (
        Reassignment,
        lambda app, ref, b, actor, rid, v: app.reassign(
            ref,
            to_unit=b.to_unit,
            reason=b.reason,
            actor=actor,
            request_id=rid,
            expected_version=v,
        ),
        200,
    ),
    "/withdrawal": (
        Withdrawal,
        lambda app, ref, b, actor, rid, v: app.withdraw(
            ref, reason=b.reason, actor=actor, request_id=rid, expected_version=v
        ),
        200,
    ),
    "/reminders": (
        Reminder,
        lambda app, ref, b, actor, rid, v: app.send_reminder(
            ref, message=b.message, actor=actor, request_id=rid, expected_version=v
        ),
        201,
    ),
    "/explanation-requests": (
        ExplanationRequest,
        lambda app, ref, b, actor, rid, v: app.request_explanation(
            ref, question=b.question, actor=actor, request_id=rid, expected_version=v
        ),
        201,
    ),
    "/explanation-requests/{n}/answer": (ExplanationAnswer, _give_explanation, 200),
}


class Oversight:
    """The summary, the index, and the late and due-soon lists, as of a day or a position."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def point(self, req: falcon.Request) -> tuple[AsOf, Filters]:
        actor: Actor = req.context.actor
        day = AS_OF.read(req) or self.ctx.today()
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
        """
        view = self.ctx.require_view()
        position = self.ctx.view_position(view)
        key = self.key(req.uri_template or "", req.query_string, req.context.actor, position)

        def answer() -> bytes:
            as_of, filters = self.point(req)
            shown = min(position, as_of.position or position)
            document = make(req, view, as_of, filters, shown)
            # The signed checkpoint whose tree includes every event this answer was made from.
            document["checkpoint"] = oversight_checkpoint(
                self.ctx.audit_store, self.ctx.app.name, shown
            )
            return orjson.dumps(document, option=orjson.OPT_NON_STR_KEYS)

        resp.content_type = falcon.MEDIA_JSON
        resp.data = self.ctx.answers.get_or_make(key, answer)

    def key(self, template: str, query: str, actor: Actor, position: int) -> Hashable:
        """What an answer depends on; asked of the question as it came, before any parsing."""
        confined = actor.unit if actor.role is Role.DEPARTMENT else None
        signed = self.ctx.latest_checkpoint_size()
        return (template, query, confined, self.ctx.today(), position, signed)

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.answer(req, resp, _summary)

    def on_get_index(self, req: falcon.Request, resp: falcon.Response) -> None:
        weights = self.ctx.config.index_weights
        self.answer(
            req,
            resp,
            lambda _, view, as_of, filters, position: {
                "as_of": as_of.day,
                "position": position,
                "units": [
                    score_document(s)
                    for s in score_units(view.responsiveness(as_of, filters), weights)
                ],
            },
        )

    def on_get_late(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.answer(req, resp, _late)

    def on_get_due_soon(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.answer(req, resp, _due_soon)


# An oversight document from the question's own parameters and the point it is asked about.
_Document = Callable[[falcon.Request, OversightView, AsOf, Filters, int], dict[str, Any]]


def _summary(
    req: falcon.Request, view: OversightView, as_of: AsOf, filters: Filters, _: int
) -> dict[str, Any]:
    basis: Basis = "original" if BASIS.read(req) == "original" else "in_force"
    window = DUE_SOON_DAYS.get(req, 3)
    return summary_document(view.summary(as_of, basis=basis, filters=filters, due_soon_days=window))


def _late(
    req: falcon.Request, view: OversightView, as_of: AsOf, filters: Filters, position: int
) -> dict[str, Any]:
    limit = LIST_LIMIT.get(req, 100)
    items = _seen(view, req.context.actor, view.late(as_of, filters, limit=limit))
    return {"as_of": as_of.day, "position": position, "items": [late_document(i) for i in items]}


def _due_soon(
    req: falcon.Request, view: OversightView, as_of: AsOf, filters: Filters, position: int
) -> dict[str, Any]:
    window = WINDOW.get(req, 7)
    limit = LIST_LIMIT.get(req, 100)
    items = _seen(view, req.context.actor, view.due_soon(as_of, window, filters, limit=limit))
    return {"as_of": as_of.day, "position": position, "items": [late_document(i) for i in items]}


def _seen(view: OversightView, actor: Actor, items: list[LateItem]) -> list[LateItem]:
    seen = seen_now(view, actor)
    return items if seen is None else [i for i in items if i.directive_id in seen]


@dataclass(eq=False)
class _Flight:
    """An answer being made by one thread while others asking the same question wait for it."""

    done: threading.Event = field(default_factory=threading.Event)
    body: bytes | None = None


class AnswerCache:
    """The last few hundred oversight answers of this worker, least recently used dropped first.

    An answer missing from the cache is made once however many ask for it at the same moment:
    the first asker makes it, the others wait for its answer (at city scale a summary takes
    ~150 ms, and a dashboard opened by a room of officials right after a write must not make
    it thirty times over).
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


class Units:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        registry = self.ctx.app.unit_registry()
        json(resp, {"items": [unit_document(u) for u in registry.units.values()]})

    def on_get_inbox(self, req: falcon.Request, resp: falcon.Response, code: str) -> None:
        view = self.ctx.require_view()
        actor: Actor = req.context.actor
        self.ctx.app.unit_registry().get(code)
        if actor.role is Role.DEPARTMENT and actor.unit != code:
            raise ProblemError(403, "not-permitted", "A unit sees its own inbox only")
        json(
            resp,
            {
                "unit": code,
                "position": view.position(),
                "items": [inbox_document(i) for i in view.inbox(code)],
            },
        )


class Events:
    """The ordered event feed other systems integrate through (liên thông)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        after = EVENTS_AFTER.get(req, 0)
        limit = LIST_LIMIT.get(req, 100)
        notifications = self.ctx.app.recorder.select_notifications(
            start=after, limit=limit, inclusive_of_start=False
        )
        items = [feed_item(n) for n in notifications]
        json(
            resp,
            {
                "after": after,
                "items": items,
                "next_after": notifications[-1].id if notifications else after,
            },
        )


def feed_item(n: Notification) -> dict[str, Any]:
    """One stored event for the feed: its state as stored, except the password or token hashes
    an event written by the earlier version holds, which are left out and named in
    ``withheld``."""
    item: dict[str, Any] = {
        "position": n.id,
        "topic": n.topic,
        "originator_id": str(n.originator_id),
        "originator_version": n.originator_version,
        "state": orjson.Fragment(n.state),
    }
    withheld = stored_secrets(n.topic, n.state)
    if withheld:
        item["state"] = (
            None if withheld == ("state",) else orjson.Fragment(without_secrets(n.state))
        )
        item["withheld"] = list(withheld)
    return item


class OpenAPI:
    def __init__(self, ctx: Context) -> None:
        self.document = orjson.dumps(openapi.document())

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = falcon.MEDIA_JSON
        resp.data = self.document


class Health:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        json(resp, {"status": "ok", "position": self.ctx.app.max_notification_id()})


class Ready:
    """Ready while the database answers, the follower beats (if one is expected) and no
    projection is behind the log by more than ``ready_lag`` events."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        try:
            head, lags = self.ctx.projection_lags()
            follower = self.ctx.follower_state()
        except PersistenceError as e:
            json(resp, {"status": "database unreachable", "detail": str(e)}, 503)
            return
        timeout = self.ctx.config.follower_timeout
        lag = max(lags.values(), default=0)
        refusal = self.ctx.signing_refusal()
        if refusal is not None:  # the log is no longer what was signed: nobody should rely on it
            state = "signing refused"
        elif timeout is not None and (follower is None or follower.age > timeout):
            state = "follower down"
        elif lag > self.ctx.config.ready_lag:
            state = "lagging"
        else:
            state = "ready"
        document: dict[str, Any] = {"status": state, "head": head, "lag": lag, "lags": lags}
        if refusal is not None:
            document["detail"] = refusal
        if follower is not None:
            document["follower"] = {
                "pid": follower.pid,
                "host": follower.host,
                "heartbeat_age": round(follower.age, 3),
            }
        json(resp, document, 200 if state == "ready" else 503)


class MetricsResource:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        def gauges() -> dict[str, float]:
            head, lags = self.ctx.projection_lags()
            values: dict[str, float] = {"thucthi_log_head": head}
            for name, lag in lags.items():
                values[f'thucthi_projection_lag_events{{projection="{name}"}}'] = lag
            follower = self.ctx.follower_state()
            if follower is not None:
                timeout = self.ctx.config.follower_timeout or float("inf")
                values["thucthi_follower_up"] = int(follower.age <= timeout)
                values["thucthi_follower_heartbeat_age_seconds"] = round(follower.age, 3)
                values['thucthi_follower_restarts_total{kind="process"}'] = follower.restarts
                values['thucthi_follower_restarts_total{kind="reconnect"}'] = follower.reconnects
            elif self.ctx.config.follower_timeout is not None:
                values["thucthi_follower_up"] = 0
            refused = self.ctx.signing_refusal() is not None
            values["thucthi_audit_signing_refused"] = 1 if refused else 0
            return values

        resp.content_type = "text/plain; version=0.0.4"
        resp.text = self.ctx.metrics.render(gauges)


# --- the application ----------------------------------------------------------------------------


class AnsweredBefore:
    """In front of Falcon, as a caching proxy would be: an oversight answer already made for the
    same question at the same log position is sent without building Falcon's request and
    response (at city scale a third of a cached answer's time went there).

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
        oversight: Oversight,
    ) -> None:
        self.app = app
        self.pipeline = pipeline
        self.oversight = oversight
        self.ctx = pipeline.ctx
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
        view = self.ctx.view
        token = bearer_token(env)
        if view is None or token is None:
            return None
        found = auth.authenticate(self.ctx.app, token, self.ctx.checked_tokens, command=False)
        actor = None if found is None else found.actor
        if actor is None or self.pipeline.refusal(route, actor) is not None:
            return None  # Falcon refuses it, in full
        position = self.ctx.view_position(view)
        key = self.oversight.key(path, env.get("QUERY_STRING", ""), actor, position)
        body = self.ctx.answers.get(key)
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


def read_chunked_body(env: WSGIEnvironment) -> ProblemError | None:
    """A body sent in chunks (no Content-Length) read into the environment, as a proxy would.

    Falcon reads a body as long as Content-Length says, so it read nothing of a chunked one and
    the command ran on an empty body. A server that sets ``wsgi.input_terminated`` (granian does)
    ends the input where the body ends, so it is read here, up to one byte past MAX_BODY (the
    413 check then refuses it), and given a Content-Length. Without that promise reading could
    wait forever: 411 asks for a Content-Length instead.
    """
    if not env.get("wsgi.input_terminated"):
        return ProblemError(
            411, "length-required", "Send Content-Length", "this server cannot end a chunked body"
        )
    data = env["wsgi.input"].read(MAX_BODY + 1)
    env["wsgi.input"] = io.BytesIO(data)
    env["CONTENT_LENGTH"] = str(len(data))
    return None


def create_app(config: AppConfig) -> AnsweredBefore:
    """Build the WSGI application around an open service."""
    configure_logging()
    ctx = Context(config)
    pipeline = Pipeline(ctx)
    app = falcon.App(middleware=[pipeline])
    app.req_options.strip_url_path_trailing_slash = True
    handler = falcon.media.JSONHandler(dumps=orjson.dumps, loads=orjson.loads)
    app.req_options.media_handlers[falcon.MEDIA_JSON] = handler
    app.resp_options.media_handlers[falcon.MEDIA_JSON] = handler

    app.add_route("/api/session", Session(ctx))
    app.add_route("/api/me", Me(ctx))
    app.add_route("/api/users", Users(ctx))
    app.add_route("/api/users/{username}/role", UserRole(ctx))
    app.add_route("/api/users/{username}/disabling", UserDisabling(ctx))
    app.add_route("/api/directives", Directives(ctx))
    one = OneDirective(ctx)
    app.add_route("/api/directives/{ref}", one)
    app.add_route("/api/directives/{ref}/history", one, suffix="history")
    for suffix, (model, command, status) in COMMANDS.items():
        app.add_route(
            "/api/directives/{ref}" + suffix, DirectiveCommand(ctx, model, command, status)
        )
    oversight = Oversight(ctx)
    app.add_route("/api/oversight", oversight)
    app.add_route("/api/oversight/index", oversight, suffix="index")
    app.add_route("/api/oversight/late", oversight, suffix="late")
    app.add_route("/api/oversight/due-soon", oversight, suffix="due_soon")
    units = Units(ctx)
    app.add_route("/api/units", units)
    app.add_route("/api/units/{code}/inbox", units, suffix="inbox")
    app.add_route("/api/events", Events(ctx))
    app.add_route("/api/openapi.json", OpenAPI(ctx))
    app.add_route("/healthz", Health(ctx))
    app.add_route("/readyz", Ready(ctx))
    app.add_route("/metrics", MetricsResource(ctx))
    # api.audit and the pages build on this module, so they are imported here, not above.
    from api.audit import add_routes  # noqa: PLC0415
    from api.web.pages import add_routes as add_pages  # noqa: PLC0415

    web = add_pages(app, ctx, add_routes(app, ctx))
    add_error_handlers(app, web)
    return AnsweredBefore(app, pipeline, oversight)


def add_error_handlers(app: falcon.App[falcon.Request, falcon.Response], web: Web) -> None:
    """Errors become answers here, once: problem+json for the API, a page for the pages."""

    def answer(req: falcon.Request, resp: falcon.Response, problem: ProblemError) -> None:
        """Every problem answered in one place: problem+json for the API, a page for pages."""
        if is_page(req.path):
            try:
                web.error(req, resp, problem)
            except falcon.HTTPStatus:
                raise  # a page's way to say "sign in first": a redirect
            except Exception as e:  # the error page itself failed: answer plainly below
                log_request({"request_id": req.context.request_id, "event": "error page"}, error=e)
            else:
                return
        render(resp, problem, req.path)

    def on_problem(
        req: falcon.Request, resp: falcon.Response, ex: ProblemError, params: Any
    ) -> None:
        answer(req, resp, ex)

    def on_domain(req: falcon.Request, resp: falcon.Response, ex: DomainError, params: Any) -> None:
        answer(req, resp, from_domain(ex))

    def on_parameter(
        req: falcon.Request, resp: falcon.Response, ex: ParameterError, params: Any
    ) -> None:
        answer(req, resp, from_parameter(ex, web.language(req) if is_page(req.path) else "en"))

    def on_http(
        req: falcon.Request, resp: falcon.Response, ex: falcon.HTTPError, params: Any
    ) -> None:
        status = int(ex.status_code)
        code = (
            "not-found"
            if status == 404
            else re.sub(r"[^a-z]+", "-", str(ex.title).lower()).strip("-")
        )
        answer(
            req,
            resp,
            ProblemError(status, code or "http-error", str(ex.title), ex.description or ""),
        )

    def on_unexpected(
        req: falcon.Request, resp: falcon.Response, ex: Exception, params: Any
    ) -> None:
        log_request(
            {
                "request_id": getattr(req.context, "request_id", ""),
                "route": req.uri_template,
                "event": "unexpected error",
            },
            error=ex,
        )
        answer(
            req,
            resp,
            ProblemError(
                500,
                "internal-error",
                "Something went wrong on our side",
                "the request id says where to look",
            ),
        )

    def on_connection_lost(
        req: falcon.Request, resp: falcon.Response, ex: Exception, params: dict[str, Any]
    ) -> None:
        """A connection the database dropped (a restart, a failover): the pool replaces it, so
        the same request a moment later is answered. Say so rather than "our fault"."""
        log_request(
            {"request_id": getattr(req.context, "request_id", ""), "event": "connection lost"},
            error=ex,
        )
        answer(
            req,
            resp,
            ProblemError(
                503,
                "database-unavailable",
                "The database cannot be reached just now",
                "try again in a moment",
                headers={"Retry-After": "1"},
            ),
        )

    app.add_error_handler(Exception, on_unexpected)
    for lost in CONNECTION_LOST:
        app.add_error_handler(lost, on_connection_lost)
    app.add_error_handler(falcon.HTTPError, on_http)
    app.add_error_handler(DomainError, on_domain)
    app.add_error_handler(ParameterError, on_parameter)
    app.add_error_handler(ProblemError, on_problem)
