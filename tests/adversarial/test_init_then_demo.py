"""`thucthi init` and then `thucthi demo`: what init writes is not data the demo would mix into."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest

from adapters.database import open_application, parse_database_url
from cli.demo_units import period_start
from cli.demo_users import demo_users
from cli.main import main
from domain.directives.directive import Directive
from domain.shared.clock import SystemClock, city_date
from domain.units.registry import REGISTRY_ID
from tests.postgres import fresh_schema, require_server


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'thucthi.db'}"
    else:
        with fresh_schema(require_server()) as schema_url:
            yield schema_url


def run(*argv: str) -> tuple[int, str]:
    out = StringIO()
    return main(list(argv), out=out), out.getvalue()


def test_the_demo_loads_into_a_database_that_init_just_created(url: str, tmp_path: Path) -> None:
    """A database holding only the unit registry that init wrote is empty for the demo."""
    key = str(tmp_path / "key.pem")
    assert run("--db", url, "init", "--signing-key", key)[0] == 0
    code, text = run("--db", url, "demo", "--directives", "20", "--end", "2024-12-31", "--quiet")
    assert code == 0, text
    assert "loaded 20 directives" in text


def test_make_run_loads_the_demo_after_init(url: str, tmp_path: Path) -> None:
    """`demo --if-empty` (what `make run` does) loads the year after init, and not a second time."""
    assert run("--db", url, "init", "--signing-key", str(tmp_path / "key.pem"))[0] == 0
    args = ("--db", url, "demo", "--if-empty", "--directives", "20", "--end", "2024-12-31")
    code, text = run(*args, "--quiet")
    assert code == 0
    assert "loaded 20 directives" in text
    code, text = run(*args, "--quiet")
    assert code == 0
    assert "demo data not loaded" in text


def test_make_run_loads_the_demo_of_today_after_init(url: str, tmp_path: Path) -> None:
    """After init recorded the city of 2026, `demo --if-empty` with the default end (today)
    loads a year spanning the reorganisation of 1 July 2025: the registry keeps init's record
    of it (not a second one), and every demo account is of a unit in force today."""
    assert run("--db", url, "init", "--signing-key", str(tmp_path / "key.pem"))[0] == 0
    before = registry_events(url)
    code, text = run("--db", url, "demo", "--if-empty", "--directives", "40", "--quiet")
    assert code == 0, text
    assert "loaded 40 directives" in text
    assert f"({period_start(city_date(SystemClock().now()))} →" in text
    assert registry_events(url) == before
    app = open_application(parse_database_url(url))
    try:
        registry = app.unit_registry()
        today = city_date(SystemClock().now())
        for user in demo_users(today):
            account = app.get_user(user.username)
            assert account.unit == user.unit
            if user.unit is not None:
                assert registry.get(user.unit).active, user
        handed = app.recorder.select_notifications(1, 10**6, topics=[Directive.HandedOver.TOPIC])
        assert handed  # the open work of 2024's units passed to their heirs
    finally:
        app.close()
    code, text = run("--db", url, "demo", "--if-empty", "--directives", "40", "--quiet")
    assert code == 0
    assert "demo data not loaded" in text


def registry_events(url: str) -> list[str]:
    """The registry's events, by topic, as the log holds them."""
    app = open_application(parse_database_url(url))
    try:
        return [e.topic for e in app.recorder.select_events(REGISTRY_ID, limit=10**6)]
    finally:
        app.close()


def test_the_demo_still_refuses_a_database_holding_directives(url: str) -> None:
    """Anything beyond init's registry is data: the demo refuses it unless forced."""
    args = ("--db", url, "demo", "--directives", "5", "--end", "2024-12-31", "--quiet")
    assert run(*args)[0] == 0
    code, _ = run(*args)
    assert code == 1
