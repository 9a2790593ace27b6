"""The pages' authorization table (``api.routes.PAGES``), rule by rule: every routed page has
exactly one rule, the pipeline enforces it for every role, a refusal is the error page (or, for
whoever is not signed in, the sign-in page) as it always was, and docs/web.md shows the table."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import falcon
import falcon.testing
import pytest

from api.app import AppConfig, create_app
from api.routes import (
    ADMIN_UNIT_FORMS,
    ADMIN_USER_FORMS,
    BY_KEY,
    DOCUMENT_FORMS,
    DTI_FORMS,
    FORMS,
    PAGES,
    PETITION_FORMS,
    Page,
    pages_markdown,
)
from api.web.i18n import term
from api.web.session import home_of, is_page
from domain.shared.actors import Role
from tests.api.conftest import USERS, Api
from tests.api.test_pages import Visitor, alert, visitor

DOCS = Path(__file__).parents[2] / "docs" / "web.md"
REF = "1/MATRIX"
PATH_VALUES = {"ref": "1~MATRIX", "code": "SO-CT", "name": "app.css", "receipt": "2024-MATRIX00"}
NOT_PERMITTED = "Vai trò của bạn không được làm việc này."
KINDS = {
    "/dashboard/export.{kind}": "csv",
    "/inspector/public-key.{kind}": "vkey",
    "/inspector/proof/{kind}": "inclusion",
    "/petitions/export.{kind}": "csv",
    "/petitions/dashboard/export.{kind}": "csv",
    "/dti/export.{kind}": "xlsx",
}


def routed(api: Api, monkeypatch: pytest.MonkeyPatch) -> set[tuple[str, str]]:
    """Every (method, path) ``create_app`` routes to a responder, as Falcon is told of them."""
    found: set[tuple[str, str]] = set()
    original = falcon.App.add_route

    def recording(app: Any, uri_template: str, resource: object, **kwargs: Any) -> None:
        suffix = kwargs.get("suffix")
        for method in falcon.constants.COMBINED_METHODS:
            name = f"on_{method.lower()}" + (f"_{suffix}" if suffix else "")
            if callable(getattr(resource, name, None)):
                found.add((method, uri_template))
        original(app, uri_template, resource, **kwargs)

    monkeypatch.setattr(falcon.App, "add_route", recording)
    create_app(AppConfig(services=api.services))
    return found


def test_every_routed_page_has_exactly_one_rule_and_every_rule_a_page(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A page added to ``create_app`` without its line in ``PAGES`` (or with two) fails here,
    and so does a rule left behind for a page no longer routed."""
    pages = routed(api, monkeypatch) - set(BY_KEY)
    rules = [(page.method, page.path) for page in PAGES]
    for key in pages:
        assert rules.count(key) == 1, key
    assert set(rules) == pages
    assert not set(rules) & set(BY_KEY)  # a path is an endpoint's or a page's, never both
    # A page's refusal is a page (the error page, or signing in), not problem+json.
    assert all(is_page(page.path) for page in PAGES if page.roles is not None)


def requests(page: Page) -> list[tuple[str, frozenset[Role] | None]]:
    """The page's paths to ask, each with the roles its rule lets in: one per form of a
    directive's page."""
    path = page.path
    for name, value in PATH_VALUES.items():
        path = path.replace("{" + name + "}", value)
    path = path.replace("{kind}", KINDS.get(page.path, ""))
    if page.forms is None:
        return [(path, page.roles)]
    name, forms = page.forms
    return [(path.replace("{" + name + "}", form), route.roles) for form, route in forms.items()]


def ask(who: Visitor, method: str, path: str) -> falcon.testing.Result:
    return who.get(path) if method == "GET" else who.post(path, {"reason": "thử", "note": "thử"})


def test_each_page_gives_each_role_what_its_rule_says(api: Api) -> None:
    """Every page with a rule, as every role and as nobody: whoever is not signed in is sent to
    sign in and back; a role the page sends home goes there; a role the rule leaves out gets the
    error page that says its role may not (in Vietnamese, with its role) and nothing is
    recorded; a role it lets in is never refused so."""
    leader = visitor(api, USERS[Role.LEADER][0])
    issued = leader.post(
        "/directives/new", {"reference": REF, "title": "Ma trận", "lead_unit": "SO-CT"}
    )
    assert issued.status_code == 303, issued.text
    visitors = {role: visitor(api, USERS[role][0]) for role in Role}
    checked = 0
    for page in PAGES:
        if page.roles is None:
            continue
        for path, roles in requests(page):
            before = api.app.max_notification_id()
            nobody = ask(Visitor(api.client), page.method, path)
            assert nobody.status_code == 303, (page.method, path)
            assert nobody.headers["location"] == "/sign-in?" + urlencode({"next": path})
            assert api.app.max_notification_id() == before, (page.method, path)
            for role in Role:
                before = api.app.max_notification_id()
                answer = ask(visitors[role], page.method, path)
                what = (page.method, path, role, answer.status_code)
                if role in page.sent_home:
                    assert answer.status_code == 303, what
                    home = home_of(api.app.get_user(USERS[role][0]).as_actor())
                    assert answer.headers["location"] == home, what
                elif roles is not None and role not in roles:
                    assert answer.status_code == 403, what
                    assert answer.headers["content-type"].startswith("text/html"), what
                    assert answer.headers["cache-control"] == "no-store", what
                    shown = alert(answer.text)
                    assert NOT_PERMITTED in shown, what
                    assert term("vi", "role", role.value) in shown, what  # named in words
                    assert "Không có quyền" in answer.text, what  # the title: 403 in words
                    assert api.app.max_notification_id() == before, what
                else:
                    assert answer.status_code < 500, what
                    assert answer.status_code != 401, what
                    assert answer.status_code != 403 or NOT_PERMITTED not in answer.text, what
                    if answer.status_code == 303:
                        assert not answer.headers["location"].startswith("/sign-in"), what
                checked += 1
    assert checked == len(Role) * sum(len(requests(p)) for p in PAGES if p.roles is not None)


def test_a_directive_form_takes_the_roles_of_the_command_it_runs() -> None:
    """Each form of a directive's page is one API command, and its rule is that command's; the
    same for a petition's page, an account's, the units' and an assessment's."""
    pages = {p.path: p for p in PAGES if p.forms is not None}
    assert set(pages) == {
        "/directives/{ref}/{action}",
        "/directives/{ref}/document/{action}",
        "/petitions/{receipt}/{action}",
        "/admin/users/{username}/{action}",
        "/admin/units/{action}",
        "/dti/assessments/{key}/{action}",
    }
    for path, forms, api_path in (
        ("/directives/{ref}/{action}", FORMS, "/api/directives/{ref}/"),
        ("/directives/{ref}/document/{action}", DOCUMENT_FORMS, "/api/directives/{ref}/document"),
        ("/petitions/{receipt}/{action}", PETITION_FORMS, "/api/petitions/{receipt}/"),
        ("/admin/users/{username}/{action}", ADMIN_USER_FORMS, "/api/users/{username}/"),
        ("/admin/units/{action}", ADMIN_UNIT_FORMS, "/api/units/"),
        ("/dti/assessments/{key}/{action}", DTI_FORMS, "/api/dti/assessments/{key}/"),
    ):
        page = pages[path]
        for form, route in forms.items():
            assert route.method == "POST"
            assert route.path.startswith(api_path)
            assert page.roles_for({"ref": "x", "action": form}) == route.roles
        assert page.roles_for({"ref": "x", "action": "no-such-form"}) == page.roles


def test_the_documented_page_table_is_the_enforced_one() -> None:
    assert pages_markdown() in DOCS.read_text(encoding="utf-8")
    assert re.search(r"`GET /dashboard` \| ✓ \| ✓ \| home \| ✓ \| — \|", pages_markdown())
