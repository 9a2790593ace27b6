"""The middleware every request passes: its request id, who is asking (the bearer token or the
pages' cookie), the authorization matrix of the API and of the pages (``api.routes``, enforced
here and nowhere else), and its metrics and line in the request log."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

import falcon

from api import auth
from api.http import (
    ProblemError,
    bearer_token,
)
from api.observability import Metrics, RequestIds, log_request
from api.params import (
    check_headers,
    check_path,
)
from api.routes import BY_KEY, PAGE_BY_KEY, Page, Route
from api.web.session import home_of, is_page, session_token
from domain.shared.actors import Actor, Role

REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


_new_request_id = RequestIds()


def refused(roles: frozenset[Role] | None, actor: Actor | None) -> ProblemError | None:
    """Why a rule that lets ``roles`` in (None: anyone) refuses this actor, if it does."""
    if roles is None:
        return None
    if actor is None:
        return ProblemError(
            401,
            "unauthenticated",
            "Sign in first",
            "send Authorization: Bearer <token> from POST /api/session",
            headers={"WWW-Authenticate": 'Bearer realm="thucthi"'},
        )
    if actor.role not in roles:
        return ProblemError(
            403,
            "not-permitted",
            "Your role may not do this",
            f"{actor.role}",
            case="route",
            values={"role": actor.role.value},
        )
    return None


def outside_own_unit(
    own_unit: str | None, params: dict[str, Any], actor: Actor | None
) -> ProblemError | None:
    """Why a department officer may not ask about the unit a path names, if it may not: a
    unit sees its own work only (``own_unit`` names the path parameter; None: no such rule)."""
    if own_unit is None or actor is None or not actor.role.bound_to_unit:
        return None
    if str(params.get(own_unit, "")) == actor.unit:
        return None
    return ProblemError(
        403,
        "not-your-unit",
        "A unit sees its own work only",
        f"{actor.unit}",
        case="own",
        values={"unit": actor.unit},
    )


class Pipeline:
    """Request ids, authentication, the authorization matrix, metrics and the request log."""

    def __init__(
        self, authenticate: Callable[[str, bool], auth.Authenticated | None], metrics: Metrics
    ) -> None:
        """``authenticate(token, command)``: who the token stands for (``api.auth``)."""
        self.authenticate, self.metrics = authenticate, metrics

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
            found = self.authenticate(token.strip(), req.method not in auth.SAFE_METHODS)
            if found is not None:
                req.context.actor = found.actor
                req.context.token_hash = found.token_hash
                req.context.token_id = found.token_id

    @staticmethod
    def request_id(env: dict[str, Any]) -> str:
        """The caller's X-Request-Id if it is a sensible one, else a new one."""
        given = env.get("HTTP_X_REQUEST_ID") or ""
        return given if REQUEST_ID.match(given) else _new_request_id()

    def process_resource(
        self, req: falcon.Request, resp: falcon.Response, resource: object, params: dict[str, Any]
    ) -> None:
        key = (req.method, req.uri_template or "")
        page = PAGE_BY_KEY.get(key)
        if page is None:
            route = BY_KEY.get(key)
            refusal = self.refusal(route, req.context.actor) or (
                None
                if route is None
                else outside_own_unit(route.own_unit, params, req.context.actor)
            )
            if refusal is not None:
                raise refusal
        check_path(params)
        check_headers(req)
        if page is not None:
            # After the path is read, as the pages always were: a path no page can read is
            # answered so, whoever asks.
            self.admit(page, params, req.context.actor)

    @staticmethod
    def refusal(route: Route | None, actor: Actor | None) -> ProblemError | None:
        """Why the authorization matrix refuses this actor this route, if it does."""
        return None if route is None else refused(route.roles, actor)

    @staticmethod
    def admit(page: Page, params: dict[str, Any], actor: Actor | None) -> None:
        """A page's rule (``api.routes.PAGES``): a role the page sends home goes there, and a
        refusal is raised as the API's is (the pages answer 401 with the sign-in page, and 403
        with the error page)."""
        if actor is not None and actor.role in page.sent_home:
            raise falcon.HTTPSeeOther(home_of(actor))
        refusal = refused(page.roles_for(params), actor) or outside_own_unit(
            page.own_unit, params, actor
        )
        if refusal is not None:
            raise refusal

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
        self.metrics.observe(route, method, status, seconds)
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
