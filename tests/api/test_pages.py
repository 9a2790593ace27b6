"""The web application's public face: health and a landing page that shows no data."""

from __future__ import annotations

from datetime import date

import falcon.testing

from api.app import AppConfig, create_app
from api.demo import run_demo
from domain.application import Thucthi


def client(app: Thucthi) -> falcon.testing.TestClient:
    return falcon.testing.TestClient(create_app(AppConfig(service=app)))


def test_health_names_the_log_position(app: Thucthi) -> None:
    response = client(app).simulate_get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "position": app.max_notification_id()}


def test_the_front_page_points_to_the_api_and_shows_no_directive(app: Thucthi) -> None:
    run_demo(app, directives=20, end=date(2024, 12, 31), force=True, progress=None)
    page = client(app).simulate_get("/")
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "/api/openapi.json" in page.text
    assert "UBND-" not in page.text  # no reference, title or unit leaks to anonymous readers
