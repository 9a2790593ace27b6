"""The stop-gap web application: health and a plain list of directives."""

from __future__ import annotations

from datetime import date

import falcon.testing

from api.app import PAGE_SIZE, AppConfig, create_app
from api.demo import run_demo
from domain.application import Thucthi
from tests.builders import LEADER


def client(app: Thucthi) -> falcon.testing.TestClient:
    return falcon.testing.TestClient(create_app(AppConfig(service=app)))


def test_health_names_the_log_position(app: Thucthi) -> None:
    response = client(app).simulate_get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "position": app.max_notification_id()}


def test_the_front_page_lists_directives_a_page_at_a_time(app: Thucthi) -> None:
    run_demo(app, directives=PAGE_SIZE + 20, end=date(2024, 12, 31), force=True, progress=None)
    first = client(app).simulate_get("/")
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("text/html")
    assert first.text.count("<tr><td>") == PAGE_SIZE
    assert "1/UBND-" in first.text
    assert 'href="/?after=' in first.text
    after = first.text.split('href="/?after=')[1].split('"')[0]
    second = client(app).simulate_get("/", params={"after": after})
    assert second.text.count("<tr><td>") == 20
    assert "after=" not in second.text


def test_titles_are_escaped(app: Thucthi) -> None:
    app.issue_directive(
        reference="1/UBND",
        title="<script>alert(1)</script>",
        content="",
        lead_unit="SO-CT",
        actor=LEADER,
        request_id="r",
    )
    page = client(app).simulate_get("/").text
    assert "<script>alert" not in page
    assert "&lt;script&gt;" in page
