"""The fuzz suite: no query or path parameter of any route, API or page, gets a server error.

On SQLite and on PostgreSQL, signed in as each role that may call the route:

- every parameter of every route (``api.params.QUERY``; path parameters from the route
  templates) is sent every value of a list an attacker starts with: Unicode digits, control
  characters, the ends of the calendar and of 64-bit integers, malformed percent-encodings,
  overlong texts; and the parameters read are checked to be the ones declared;
- hypothesis then draws routes, roles and several parameters at once, from that list, from any
  text and from values inside each parameter's range, so that valid requests reach the queries;
- schemathesis generates requests from the OpenAPI description, more per operation than
  ``tests/api/test_schemathesis.py`` (ten times more under the thorough hypothesis profile:
  ``tests/hypothesis_profiles.py``), each sent as one of the roles the operation allows.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from urllib.parse import quote, urlencode

import falcon.testing
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error

from api import auth, params
from api.openapi import document
from api.params import QUERY, Param
from api.routes import BY_KEY, DTI_FORMS, PAGES, ROUTES
from api.web.session import SESSION_COOKIE
from domain.shared.actors import Role
from tests.api.conftest import PASSWORD, USERS, Api, make_api
from tests.api.test_pages import Visitor, visitor
from tests.hypothesis_profiles import examples
from tests.postgres import fresh_schema, require_server

HYPOTHESIS_EXAMPLES = examples(100, thorough=1_000)
SCHEMATHESIS_EXAMPLES = examples(10, thorough=100)
REF = "1/UBND-FZ"
REF_PATH = "1~UBND-FZ"
RECEIPT = "2024-FVZZ0001"  # a petition's receipt code, as the desk draws them

# What an attacker tries first: numbers in other scripts, signs, overflow, control characters,
# the ends of the calendar, malformed encodings, and words of every kind of parameter.
NASTY = (
    "",
    " ",
    "²",
    "٣",
    "𝟙",
    "１２",
    "0",
    "-1",
    "+1",
    "1.5",
    "0x10",
    "00000000000000000000001",
    "9223372036854775808",
    str(2**62 + 1),
    "99999999999999999999999999999",
    "\x00",
    "a\x00b",
    "\t",
    "\r\n",
    "\x1b[2J",
    "\u0085",
    "\u202e",
    "0001-01-01",
    "1899-12-31",
    "2999-12-31",
    "9999-12-31",
    "2024-02-30",
    "٢٠٢٤-01-01",
    "2024-W01-1",
    "0001-01-01T00:00:00+07:00",
    "9999-12-31T23:59:59-12:00",
    "2024",
    "9999-Q4",
    "eyJvIjotMX0=",  # a cursor of -1
    "x" * 5_000,
    "'; DROP TABLE events; --",
    "~",
    "%",
    "desc",
    "urgent",
)
ZONES = (
    UTC,
    timezone(timedelta(hours=7)),
    timezone(timedelta(hours=-12)),
    timezone(timedelta(hours=14)),
)
RAW = ("%FF", "%ED%A0%80", "%C0%AF")
PATH_VALUES = (
    *("²", "٣", "0", "-1", "9223372036854775808", "\x00", "\r\n", "\u202e", "x" * 5_000),
    *("..", "%", "~", "~~", "0001-01-01", "'; DROP TABLE events; --", "%FF"),
    *(REF_PATH, "SO-CT", "leader.chutich", "1", "inclusion", "csv", "remind", "app.css"),
    *(RECEIPT, RECEIPT.lower(), "extend", "not-accept"),
)


@dataclass
class World:
    """One backend's application, with a token and a page session per role."""

    api: Api
    pages: dict[Role, Visitor]


def a_world(api: Api) -> World:
    """A directive with an acknowledged receipt, an explanation and an extension pending; a
    petition accepted for handling, under a receipt code drawn as the test says."""
    body = {"reference": REF, "title": "Nhiệm vụ", "lead_unit": "SO-CT", "deadline": "2024-06-30"}
    assert api.post("/api/directives", Role.LEADER, body).status_code == 201
    path = f"/api/directives/{REF_PATH}"
    assert api.post(path + "/acknowledgement", Role.DEPARTMENT).status_code == 200
    assert (
        api.post(path + "/explanation-requests", Role.LEADER, {"question": "?"}).status_code == 201
    )
    asked = api.post(path + "/extension-requests", Role.DEPARTMENT, {"new_deadline": "2024-07-30"})
    assert asked.status_code == 201, asked.text
    api.app.petitions.receipts = lambda _day: RECEIPT
    received = {"agency": "SO-CT", "content": "Đơn.", "petitioners": [{"full_name": "An"}]}
    assert api.post("/api/petitions", Role.RECEPTION, received).status_code == 201
    classify = {"kind": "complaint", "field": "land", "competence": "ours"}
    petition = f"/api/petitions/{RECEIPT}"
    assert api.post(petition + "/classify", Role.RECEPTION, classify).status_code == 200
    accept = {"handler": USERS[Role.DEPARTMENT][0]}
    assert api.post(petition + "/accept", Role.AGENCY_HEAD, accept).status_code == 200
    assert api.post("/api/audit/checkpoint", Role.INSPECTOR).status_code == 201
    return World(api, {role: visitor(api, USERS[role][0]) for role in Role})


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def world(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The world on a fresh SQLite database, then on a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        built, app = make_api(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.db'}")
        try:
            yield a_world(built)
        finally:
            app.close()
        return
    with fresh_schema(require_server()) as url:
        built, app = make_api(url)
        try:
            yield a_world(built)
        finally:
            app.close()


# --- the routes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A route to fuzz: its method and template, who may call it, and what it takes."""

    method: str
    template: str
    roles: tuple[Role, ...]
    query: tuple[Param[Any], ...]
    page: bool

    @property
    def path_names(self) -> list[str]:
        return re.findall(r"{(\w+)}", self.template)


def page_routes() -> list[tuple[str, str]]:
    """Every page route with its methods, read from the pages' table (which holds exactly the
    routed pages: tests/api/test_page_rules.py)."""
    return [(page.method, page.path) for page in PAGES]


# The form fields a page reads as it reads a parameter: the version shown, the request's number.
FORM_FIELDS = {
    ("POST", "/directives/{ref}/{action}"): (params.FORM_VERSION, params.FORM_NUMBER),
    ("POST", "/petitions/{receipt}/{action}"): (params.FORM_VERSION,),
}


def targets() -> list[Target]:
    found = [
        Target(
            r.method,
            r.path,
            tuple(Role) if r.roles is None else tuple(sorted(r.roles, key=list(Role).index)),
            QUERY.get(r.path, ()) if r.method == "GET" else (),
            page=False,
        )
        for r in ROUTES
    ]
    found += [
        Target(
            method,
            template,
            tuple(Role),
            (*QUERY.get(template, ()), *params.PAGE)
            if method == "GET"
            else FORM_FIELDS.get((method, template), ()),
            page=True,
        )
        for method, template in page_routes()
    ]
    return found


TARGETS = targets()
UNMATCHED = Target("GET", "", tuple(Role), (), page=True)
DASHBOARD = next(t for t in TARGETS if (t.method, t.template) == ("GET", "/dashboard"))
ANY_PATH = {
    "ref": REF_PATH,
    "n": "1",
    "code": "SO-CT",
    "username": "office.vp",
    "name": "app.css",
    "receipt": RECEIPT,
    "digest": "sha256:" + "0" * 64,  # no file has it: answered not found
    "index": "hcm-dti",
    "version": "1",
    "key": "hcm-dti~1~2025~SO-CT",  # no such assessment in this world: answered not found
    "public_id": "00000000-0000-4000-8000-000000000000",  # no document filed under it
}
PAGE_PATH = {"kind": {"/dashboard/export.{kind}": "csv", "/inspector/proof/{kind}": "inclusion"}}


def valid_path(target: Target, name: str) -> str:
    if name == "kind":
        return PAGE_PATH["kind"].get(target.template, "vkey")
    if name == "action" and target.template.startswith("/petitions/"):
        return "extend"  # refused for want of a reason: the form's fields are read
    if name == "action" and target.template.startswith("/dti/"):
        return next(iter(DTI_FORMS))  # the form's fields are read before the assessment is sought
    if name == "action":
        return "decide_extension"  # refused for want of a decision: the form's fields are read
    return ANY_PATH[name]


def send(
    world: World,
    target: Target,
    role: Role,
    query: dict[str, str] | None = None,
    raw_query: str = "",
    path: dict[str, str] | None = None,
) -> falcon.testing.Result:
    """The request, as ``role``, with a valid value for every path parameter not given.

    Nothing it sends changes the world: a command's body is refused (an unknown field), a
    page's form lacks its decision, and signing out or revoking uses a session of its own.
    """
    segments = {name: valid_path(target, name) for name in target.path_names} | (path or {})
    url = target.template
    for name, value in segments.items():
        url = url.replace("{" + name + "}", quote(value, safe=""))
    query_string = "&".join(q for q in (urlencode(query or {}), raw_query) if q)
    client = world.api.client
    if target.page:
        page = world.pages[role]
        if target.template == "/sign-out":
            page = Visitor(client)
            page.cookies[SESSION_COOKIE] = fresh_token(world, role)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in page.cookies.items())}
        if target.method == "POST":
            form = {"csrf": page.csrf, "version": "1", "number": "1", **(query or {})}
            return client.simulate_post(
                url,
                body="&".join(q for q in (urlencode(form), raw_query) if q),
                headers={**headers, "Content-Type": "application/x-www-form-urlencoded"},
            )
        return client.simulate_get(url, query_string=query_string, headers=headers)
    headers = world.api.headers(role)
    if target.method == "DELETE":
        headers = {"Authorization": f"Bearer {fresh_token(world, role)}"}
        return client.simulate_delete(url, query_string=query_string, headers=headers)
    if target.method == "POST":
        body = {"unknown_field": True}
        return client.simulate_post(url, json=body, query_string=query_string, headers=headers)
    return client.simulate_get(url, query_string=query_string, headers=headers)


def fresh_token(world: World, role: Role) -> str:
    """A token of its own for ``role``, to revoke without revoking the world's (signed in
    beneath the API, whose sign-in limit this many would reach)."""
    return auth.sign_in(world.api.app, USERS[role][0], PASSWORD, "fuzz").token


def no_server_error(result: falcon.testing.Result, what: object) -> None:
    assert result.status_code < 500, (what, result.status_code, result.text[:500])


# --- every parameter, every value --------------------------------------------------------------


def test_every_route_of_the_application_is_fuzzed() -> None:
    """The targets are every API route and every page route, each with its declared parameters."""
    api = {(t.method, t.template) for t in TARGETS if not t.page}
    assert api == set(BY_KEY)
    page = {t.template for t in TARGETS if t.page}
    assert {"/dashboard", "/inspector", "/directives/{ref}/{action}", "/static/{name}"} <= page
    assert set(QUERY) <= {t.template for t in TARGETS}


def test_every_parameter_takes_every_nasty_value_without_a_server_error(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each declared parameter of each route, and each path parameter, is sent each value of
    the attacker's list, as the roles that may call the route in turn; no answer is a 5xx, and
    no route reads a parameter it does not declare."""
    read: set[tuple[str, str]] = set()
    for method in ("read", "text"):
        original = getattr(Param, method)

        def recording(self: Param[Any], req: Any, _original: Any = original) -> Any:
            read.add((req.uri_template or "", self.name))
            return _original(self, req)

        monkeypatch.setattr(Param, method, recording)
    turn = itertools.count()
    for target in TARGETS:
        # Every page reads its two (language, search box) alike: one page stands for all here.
        for spec in (s for s in target.query if s not in params.PAGE or target is DASHBOARD):
            for value in NASTY:
                role = target.roles[next(turn) % len(target.roles)]
                no_server_error(send(world, target, role, {spec.name: value}), (target, value))
            for raw in RAW:
                role = target.roles[next(turn) % len(target.roles)]
                result = send(world, target, role, raw_query=f"{spec.name}={raw}")
                no_server_error(result, (target, raw))
        for name in target.path_names:
            for value in PATH_VALUES:
                role = target.roles[next(turn) % len(target.roles)]
                no_server_error(send(world, target, role, path={name: value}), (target, value))
    # The headers a command keeps or compares, on one command (they are read before its route's
    # own work): a directive issued again is refused, whatever the key, so nothing is stored.
    issue = {"reference": REF, "title": "Lại", "lead_unit": "SO-CT"}
    for header, value in itertools.product(("Idempotency-Key", "If-Match"), NASTY):
        if value.isascii():  # a header's other bytes are read as latin-1, not as this text
            result = world.api.client.simulate_post(
                "/api/directives",
                json=issue,
                headers=world.api.headers(Role.LEADER, **{header: value}),
            )
            no_server_error(result, (header, value))
    declared = {(target.template, spec.name) for target in TARGETS for spec in target.query}
    # Any page, and the error page of a path that matched none, reads the page's own two; a
    # refused form shows the directive page again, which reads what its GET declares.
    declared |= {(t.template, spec.name) for t in [*TARGETS, UNMATCHED] for spec in params.PAGE}
    declared |= {("/directives/{ref}/{action}", spec.name) for spec in QUERY["/directives/{ref}"]}
    declared |= {
        ("/petitions/{receipt}/{action}", spec.name) for spec in QUERY["/petitions/{receipt}"]
    }
    assert read - declared == set()


# --- several at once, drawn by hypothesis --------------------------------------------------------


def in_range(spec: Param[Any]) -> st.SearchStrategy[str]:
    """Values a parameter accepts, or nearly, so that drawn requests also reach the queries."""
    if isinstance(spec, params.Integer):
        low, high = spec.low, spec.high
        return st.integers(min_value=low - 2, max_value=min(high + 2, 2**64)).map(
            str
        ) | st.sampled_from([str(low), str(high), str(high + 1)])
    if isinstance(spec, params.Day):
        return st.dates(date(1899, 12, 1), date(3000, 1, 31)).map(date.isoformat)
    if isinstance(spec, params.Moment):
        return st.datetimes(
            datetime(1899, 12, 28), datetime(3000, 1, 3), timezones=st.sampled_from(ZONES)
        ).map(datetime.isoformat)
    if isinstance(spec, params.Period):
        return st.from_regex(r"\A[0-9]{4}(-(0[0-9]|1[0-3]|Q[0-5]))?\Z")
    if isinstance(spec, params.Choice):
        return st.sampled_from(spec.choices)
    return st.text(max_size=30) | st.sampled_from(["SO-CT", "leader.chutich", REF, "Issued"])


def value_for(spec: Param[Any]) -> st.SearchStrategy[str]:
    return st.sampled_from(NASTY) | st.text() | in_range(spec)


@st.composite
def requests(draw: st.DrawFn) -> tuple[Target, Role, dict[str, str], dict[str, str]]:
    target = draw(st.sampled_from(TARGETS))
    role = draw(st.sampled_from(target.roles))
    chosen = draw(
        st.lists(st.sampled_from(target.query), unique=True) if target.query else st.just([])
    )
    query = {spec.name: draw(value_for(spec)) for spec in chosen}
    if draw(st.booleans()):
        query[draw(st.text(min_size=1, max_size=10))] = draw(st.text(max_size=10))  # undeclared
    path = {
        name: draw(st.sampled_from(PATH_VALUES) | st.text(min_size=1, max_size=40))
        for name in target.path_names
        if draw(st.booleans())
    }
    return target, role, query, path


@settings(
    max_examples=HYPOTHESIS_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(asked=requests())
def test_no_drawn_request_gets_a_server_error(
    world: World, asked: tuple[Target, Role, dict[str, str], dict[str, str]]
) -> None:
    """Routes, roles and several parameters drawn at once never give a 5xx."""
    target, role, query, path = asked
    try:
        urlencode(query)
        quote("".join(path.values()))
    except UnicodeEncodeError:
        return  # a lone surrogate cannot be sent: RAW covers what a client can send instead
    no_server_error(send(world, target, role, query, path=path), asked)


# --- schemathesis, from the OpenAPI description --------------------------------------------------

# Signing in and creating a user take no parameter and spend their time hashing passwords:
# tests/api/test_schemathesis.py sends them its examples.
schema = schemathesis.openapi.from_dict(document()).exclude(operation_id=["signIn", "createUser"])
_turns = itertools.count()


@schema.parametrize()
@settings(
    max_examples=SCHEMATHESIS_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck)
)
def test_no_generated_request_gets_a_server_error(case: Any, world: World) -> None:
    """Each generated request is sent as one of the roles the operation allows, in turn."""
    route = BY_KEY[(case.operation.method.upper(), case.operation.path)]
    roles = list(Role) if route.roles is None else sorted(route.roles, key=list(Role).index)
    role = roles[next(_turns) % len(roles)]
    token = world.api.tokens[USERS[role][0]]
    if (route.method, route.path) == ("DELETE", "/api/session"):
        token = fresh_token(world, role)
    case.call_and_validate(
        app=world.api.client.app,
        headers={"Authorization": f"Bearer {token}"},
        checks=[not_a_server_error],
    )
