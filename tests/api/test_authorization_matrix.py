"""The authorization matrix, cell by cell: every endpoint × every role gets exactly what the
table in api/routes.py (and docs/api.md) says: 403 where the role is not listed, never 401 or
403 where it is, and public endpoints answer anyone."""

from __future__ import annotations

import re
from pathlib import Path

import falcon.testing

from api.routes import PAGES, ROUTES, Page, Route, matrix_markdown
from domain.directives.commands import IssueDirective
from domain.shared.actors import Role
from tests.api.conftest import COORDINATOR, OUTSIDER, PASSWORD, USERS, Api

DOCS = Path(__file__).parents[2] / "docs" / "api.md"
BODIES: dict[str, object] = {
    "signIn": {"username": "admin", "password": PASSWORD},
    "createUser": {"username": "matrix.{role}", "role": "inspector"},
    "changeRole": {"role": "office"},
    "disableUser": {"reason": "matrix"},
    "issueDirective": {
        "reference": "1/M-{role}",
        "title": "t",
        "lead_unit": "SO-CT",
        "issuer": "leader.chutich",
    },
    "reportProgress": {"percent": 10},
    "requestExtension": {"new_deadline": "2099-01-01"},
    "decideExtension": {"decision": "deny"},
    "decideCompletion": {"decision": "return"},
    "reassign": {"to_unit": "SO-YT"},
    "requestExplanation": {"question": "?"},
    "giveExplanation": {"answer": "!"},
    "declareSwap": {"day_off": "2030-01-07", "decision_reference": "1/MATRIX"},
    "withdrawSwap": {"day_off": "2030-01-07", "reason": "matrix"},
    "saveView": {"name": "matrix", "query": "status=open"},
    "amendDirectiveDocument": {"reason": "matrix"},
    "replaceDirectiveDocument": {"reason": "matrix", "content": "matrix"},
    "revokeDirectiveDocument": {"reason": "matrix"},
}


def path_of(route: Route) -> str:
    return re.sub(
        r"{(\w+)}",
        lambda m: {
            "ref": "1~MATRIX",
            "n": "1",
            "code": "SO-CT",
            "username": "target.user",
            "receipt": "2024-MATRIX00",
            "digest": "sha256:" + "0" * 64,
            "name": "matrix",
            "index": "hcm-dti",
            "version": "1",
            "key": "hcm-dti~1~2023~SO-CT",
        }[m[1]],
        route.path,
    )


def call(api: Api, route: Route, role: Role) -> falcon.testing.Result:
    username = USERS[role][0]
    if role is Role.DEPARTMENT and route.operation == "contribute":
        username = COORDINATOR[0]  # a coordinator contributes; the lead reports progress
    body = BODIES.get(route.operation, {} if route.method == "POST" else None)
    if isinstance(body, dict):
        body = {
            k: v.replace("{role}", role.value) if isinstance(v, str) else v for k, v in body.items()
        }
    headers = {"Authorization": f"Bearer {api.tokens[username]}"}
    return api.client.simulate_request(route.method, path_of(route), json=body, headers=headers)


def test_every_endpoint_gives_every_role_exactly_what_the_matrix_says(api: Api) -> None:
    api.app.issue(
        IssueDirective(
            reference="1/MATRIX",
            title="Ma trận",
            content="",
            lead_unit="SO-CT",
            coordinating_units=("SO-TC",),
        ),
        actor=api.app.get_user("leader.chutich").as_actor(),
        request_id="setup",
    )
    created = api.client.simulate_post(
        "/api/users",
        json={"username": "target.user", "role": "inspector"},
        headers={"Authorization": f"Bearer {api.tokens['admin']}"},
    )
    assert created.status_code == 201
    checked = 0
    sign_out = [r for r in ROUTES if r.operation == "signOut"]
    for route in [r for r in ROUTES if r.operation != "signOut"] + sign_out:
        for role in Role:
            status = call(api, route, role).status_code
            if route.roles is None:
                assert status not in (401, 403), (route.path, role, status)
            elif role in route.roles:
                assert status not in (401, 403, 500), (route.method, route.path, role, status)
            else:
                assert status == 403, (route.method, route.path, role, status)
            checked += 1
    assert checked == len(ROUTES) * len(Role)


def test_anonymous_callers_get_401_on_every_protected_endpoint(api: Api) -> None:
    for route in ROUTES:
        status = api.client.simulate_request(route.method, path_of(route), json={}).status_code
        if route.roles is None:
            assert status != 401, route.path
        else:
            assert status == 401, (route.method, route.path, status)


def test_the_documented_matrix_is_the_enforced_one() -> None:
    assert matrix_markdown() in DOCS.read_text(encoding="utf-8")


def test_every_path_that_names_a_unit_confines_a_department_officer_to_its_own() -> None:
    """The row-level rule lives in the tables: no route or page that takes a unit code leaves
    it to its resource to remember."""
    rules: list[Route | Page] = [*ROUTES, *PAGES]
    for rule in rules:
        if "{code}" in rule.path:
            assert rule.own_unit == "code", (rule.method, rule.path)


def test_a_department_officer_opens_its_own_unit_and_no_other(api: Api) -> None:
    own, other = USERS[Role.DEPARTMENT][1], OUTSIDER[1]
    paths = [r.path for r in ROUTES if r.own_unit] + [p.path for p in PAGES if p.own_unit]
    assert own is not None
    assert other is not None
    assert len(paths) == 3
    for path in paths:
        mine = api.get(path.replace("{code}", own), Role.DEPARTMENT)
        assert mine.status_code == 200, (path, mine.status_code)
        theirs = api.get(path.replace("{code}", other), Role.DEPARTMENT)
        assert theirs.status_code == 403, (path, theirs.status_code)
        if path.startswith("/api/"):
            assert theirs.json["type"].endswith("not-your-unit"), theirs.json
        # Nor a unit that does not exist: its existence is not the officer's to learn.
        unknown = api.get(path.replace("{code}", "NO-SUCH-UNIT"), Role.DEPARTMENT)
        assert unknown.status_code == 403, (path, unknown.status_code)
        # An overseer of the city opens any unit.
        assert api.get(path.replace("{code}", other), Role.OFFICE).status_code == 200, path
