"""schemathesis against /api/openapi.json: for every operation, signed in as each role, a bounded
number of generated requests, valid and invalid; no 5xx and no answer that breaks the schema.

The application is built when the module is imported (schemathesis reads the schema then), on a
throwaway SQLite database that is removed when the test session ends.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from api import auth
from api.routes import ROUTES
from domain.directives.commands import IssueDirective
from domain.shared.actors import Role
from tests.api.conftest import PASSWORD, USERS, make_api

EXAMPLES_PER_OPERATION = 4

_folder = Path(tempfile.mkdtemp(prefix="thucthi-fuzz-"))
atexit.register(shutil.rmtree, _folder, True)
API, _app = make_api(f"sqlite:///{_folder / 'fuzz.db'}")
atexit.register(_app.close)
_app.issue(
    IssueDirective(reference="1/FUZZ", title="Nhiệm vụ", content="", lead_unit="SO-CT"),
    actor=_app.get_user("leader.chutich").as_actor(),
    request_id="setup",
)


def fresh_token(username: str) -> str:
    """A token of its own, signed in beneath the API: the generated sign-ins have used up the
    client's sign-in limit by then."""
    return auth.sign_in(_app, username, PASSWORD, "fuzz").token


schema = schemathesis.openapi.from_wsgi("/api/openapi.json", API.client.app)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck)
)
def test_no_request_gives_a_server_error_or_breaks_the_schema(case: Any) -> None:
    """Each generated request is sent once signed in as every role."""
    for role in Role:
        token = API.tokens[USERS[role][0]]
        if (case.operation.method.upper(), case.operation.path) == ("DELETE", "/api/session"):
            token = fresh_token(USERS[role][0])  # revoking the shared one would 401 the rest
        case.call_and_validate(
            headers={"Authorization": f"Bearer {token}"},
            checks=[
                not_a_server_error,
                status_code_conformance,
                content_type_conformance,
                response_schema_conformance,
            ],
        )


def test_the_schema_covers_every_route() -> None:
    documented = {
        (method.upper(), path)
        for path, item in schema.raw_schema["paths"].items()
        for method in item
    }
    assert documented == {(r.method, r.path) for r in ROUTES}
