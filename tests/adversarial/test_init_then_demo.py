"""`thucthi init` and then `thucthi demo`: what init writes is not data the demo would mix into."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest

from cli.main import main
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


def test_the_demo_still_refuses_a_database_holding_directives(url: str) -> None:
    """Anything beyond init's registry is data: the demo refuses it unless forced."""
    args = ("--db", url, "demo", "--directives", "5", "--end", "2024-12-31", "--quiet")
    assert run(*args)[0] == 0
    code, _ = run(*args)
    assert code == 1
