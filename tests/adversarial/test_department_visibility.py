"""One rule of what a department sees (issue 22, item 12): a directive, and all of its trail,
exactly when its unit leads or coordinates it now, as GET of the directive answers. Checked in
every place that shows a directive to a department officer, on SQLite and PostgreSQL, with the
issue's case: a directive reassigned away from a unit before it acknowledged."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from domain.shared.actors import Role
from projections.audit import AuditProjection
from readmodels.open import open_trail
from tests.api.conftest import COORDINATOR, OUTSIDER, Api, make_api
from tests.api.test_pages import page_of, visitor
from tests.postgres import fresh_schema, require_server

KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
REF = "9/UBND-KT"
PATH = "/api/directives/9~UBND-KT"
PAST = "2024-03-06"  # the day after its deadline, while SO-CT still led it


@contextmanager
def database(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'visibility.db'}"
    else:
        with fresh_schema(require_server()) as url:
            yield url


@pytest.fixture(params=KINDS)
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    """The issue's case: issued to SO-CT (SO-TC coordinating), due on 5 March; overdue on the
    6th; reassigned to UBND-Q1 on the 7th, before SO-CT acknowledged it. Another directive
    SO-CT still leads, for contrast."""
    with database(request.param, tmp_path) as url:
        built, app = make_api(url)
        try:
            issued = built.post(
                "/api/directives",
                Role.LEADER,
                {
                    "reference": REF,
                    "title": "Kiểm tra an toàn thực phẩm",
                    "lead_unit": "SO-CT",
                    "coordinating_units": [COORDINATOR[1]],
                    "deadline": "2024-03-05",
                },
            )
            assert issued.status_code == 201, issued.text
            kept = built.post(
                "/api/directives",
                Role.LEADER,
                {"reference": "10/UBND-KT", "title": "Báo cáo", "lead_unit": "SO-CT"},
            )
            assert kept.status_code == 201, kept.text
            built.clock.advance(timedelta(days=3))
            built.sign_in_again()
            moved = built.post(
                PATH + "/reassignment", Role.OFFICE, {"to_unit": OUTSIDER[1], "reason": "Địa bàn"}
            )
            assert moved.status_code == 200, moved.text
            AuditProjection(app, open_trail(app, create=False)).catch_up()
            yield built
        finally:
            app.close()


def shown(api: Api, who: str | Role, path: str, **params: str) -> tuple[int, str]:
    answer = api.get(path, who, **params)
    return answer.status_code, answer.text


def trail(api: Api, who: str | Role) -> list[dict[str, Any]]:
    answer = api.get("/api/audit", who, limit="500")
    assert answer.status_code == 200, answer.text
    items: list[dict[str, Any]] = answer.json["items"]
    return items


def test_a_unit_no_longer_leading_a_directive_sees_it_nowhere(api: Api) -> None:
    """SO-CT led it until it was reassigned away: the directive, its trail entries and its
    place in lists as of days it still led it are hidden alike."""
    officer = Role.DEPARTMENT
    assert api.get(PATH, officer).status_code == 404
    assert api.get(PATH + "/history", officer).status_code == 404
    assert api.get(PATH + "/why-late", officer).status_code == 404
    assert REF not in {i["directive"] for i in trail(api, officer)}, "the Issued entry shows"
    assert "10/UBND-KT" in {i["directive"] for i in trail(api, officer)}
    for path, params in (
        ("/api/directives", {}),
        ("/api/units/SO-CT/inbox", {}),
        ("/api/oversight/late", {"as_of": PAST}),
        ("/api/oversight/due-soon", {"as_of": "2024-03-04"}),
        ("/api/units/SO-CT/why-late", {"as_of": PAST}),
    ):
        status, text = shown(api, officer, path, **params)
        assert status == 200, (path, text)
        assert REF not in text, path
    for path in ("/api/events", "/api/audit/proof/inclusion"):
        assert api.get(path, officer).status_code == 403, path
    page = visitor(api, "so-ct.canbo")
    assert page.get(page_of(REF)).status_code == 404
    for path in ("/directives", f"/directives?as_of={PAST}"):
        listed = page.get(path)
        assert listed.status_code == 200
        assert REF not in listed.text, path
    assert REF not in page.get("/units/SO-CT").text


def test_its_figures_as_of_a_day_it_led_the_directive_still_count_it(api: Api) -> None:
    """Figures are counts, not the directive: SO-CT's overdue count on the 6th is what it was."""
    late = api.get("/api/oversight", Role.DEPARTMENT, as_of=PAST).json
    assert late["units"]["SO-CT"]["overdue"] == 1


@pytest.mark.parametrize("unit", ["new lead", "coordinator"])
def test_the_units_that_lead_or_coordinate_it_now_see_it_and_all_of_its_trail(
    api: Api, unit: str
) -> None:
    who = OUTSIDER[0] if unit == "new lead" else COORDINATOR[0]
    assert api.get(PATH, who).status_code == 200
    actions = [i["action"] for i in trail(api, who) if i["directive"] == REF]
    assert actions == ["Issued", "Reassigned"]
    for path in ("/api/directives", f"/api/units/{OUTSIDER[1]}/inbox"):
        if unit == "new lead" or "inbox" not in path:
            assert REF in shown(api, who, path)[1], path
    page = visitor(api, who)
    assert page.get(page_of(REF)).status_code == 200
    assert REF in page.get("/directives").text
