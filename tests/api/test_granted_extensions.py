"""An extension granted to another date than the one asked for shows both dates: on the directive
page, in ``thucthi show`` and in the JSON document, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from api.web import formats
from cli.main import main
from domain.shared.actors import Role
from tests.api.conftest import Api, make_api
from tests.api.test_pages import page_of, visitor
from tests.postgres import fresh_schema, require_server

REF = "1890/UBND-VX"
PATH = "/api/directives/1890~UBND-VX"
ASKED, GRANTED = "2024-06-06", "2024-05-31"


@pytest.fixture(params=["sqlite", "postgres"])
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Api, str]]:
    """The API and pages, and the database URL the command line is given."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'extensions.db'}"
        built, app = make_api(url)
        try:
            yield built, url
        finally:
            app.close()
        return
    with fresh_schema(require_server()) as url:
        built, app = make_api(url)
        try:
            yield built, url
        finally:
            app.close()


def granted_earlier_than_asked(api: Api) -> None:
    """The unit asked for 6 June; the leader granted until 31 May."""
    issued = api.post(
        "/api/directives",
        Role.LEADER,
        {"reference": REF, "title": "Lắp camera", "lead_unit": "SO-CT", "deadline": "2024-04-30"},
    )
    assert issued.status_code == 201, issued.text
    for suffix, who, body in (
        ("/acknowledgement", Role.DEPARTMENT, {}),
        ("/extension-requests", Role.DEPARTMENT, {"new_deadline": ASKED, "reason": "Mưa"}),
        (
            "/extension-requests/1/decision",
            Role.LEADER,
            {"decision": "grant", "new_deadline": GRANTED},
        ),
    ):
        answer = api.post(PATH + suffix, who, body)
        assert answer.status_code in (200, 201), answer.text


def day_pattern(iso: str) -> str:
    """A day as a Vietnamese page writes it (api.web.formats)."""
    return re.escape(formats.day(date.fromisoformat(iso), "vi"))


def test_the_directive_page_shows_the_date_asked_for_and_the_date_granted(
    served: tuple[Api, str],
) -> None:
    api, _ = served
    granted_earlier_than_asked(api)
    page = visitor(api, "leader.chutich").get(page_of(REF)).text
    line = re.search(r'<ul class="extensions">\s*<li[^>]*>(.*?)</li>', page, re.S)
    assert line, "the extension is listed"
    text = re.sub(r"<[^>]+>", "", line[1])
    assert re.search(day_pattern(ASKED) + ".*" + day_pattern(GRANTED), text), text
    assert re.search(r'id="deadline-in-force"[^>]*><strong>' + day_pattern(GRANTED), page)


def test_thucthi_show_prints_the_date_asked_for_and_the_date_granted(
    served: tuple[Api, str],
) -> None:
    api, url = served
    granted_earlier_than_asked(api)
    out = io.StringIO()
    assert main(["--db", url, "show", REF], out=out) == 0
    (line,) = [x for x in out.getvalue().splitlines() if "Gia hạn / Extensions" in x]
    assert ASKED in line
    assert GRANTED in line
    assert line.index(ASKED) < line.index(GRANTED)


def test_the_json_document_keeps_both_dates(served: tuple[Api, str]) -> None:
    api, url = served
    granted_earlier_than_asked(api)
    (extension,) = api.get(PATH, Role.LEADER).json["extensions"]
    assert (extension["requested_deadline"], extension["granted_deadline"]) == (ASKED, GRANTED)
    assert extension["status"] == "granted"
    out = io.StringIO()
    assert main(["--db", url, "show", REF, "--json"], out=out) == 0
    assert f'"granted_deadline": "{GRANTED}"' in out.getvalue()
