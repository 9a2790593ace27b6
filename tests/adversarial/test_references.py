"""References: one form, normalised, the rest refused; a text shaped like an id never answers with
a directive that was not meant; directives an earlier version recorded under another spelling are
still found and never issued twice (docs/api.md, "References")."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr
from pathlib import Path
from uuid import UUID, uuid4

import orjson
import pytest
from eventsourcing.persistence import StoredEvent
from hypothesis import given
from hypothesis import strategies as st

from adapters.database import open_application, parse_database_url
from cli.main import main
from domain.accounts.account import user_id
from domain.application import Thucthi
from domain.directives.commands import Acknowledge, IssueDirective
from domain.directives.directive import Directive, directive_id
from domain.directives.errors import (
    AmbiguousReferenceError,
    DirectiveNotFoundError,
    DuplicateReferenceError,
)
from domain.directives.references import REFERENCE_FORM, normalise_reference
from domain.shared.clock import SimulatedClock
from domain.shared.errors import InvalidTextError
from domain.units.registry import REGISTRY_ID
from tests.api.conftest import Api, make_api
from tests.api.test_pages import visitor
from tests.builders import LEAD, LEAD_OFFICER, LEADER
from tests.conftest import START
from tests.postgres import fresh_schema, require_server

KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


# --- the form ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "normalised"),
    [
        ("  2008 / ubnd-kt ", "2008/UBND-KT"),
        ("2008/UBND-KT", "2008/UBND-KT"),
        ("1234/UBND-VX", "1234/UBND-VX"),
        ("15/2024/qđ-ubnd", "15/2024/QĐ-UBND"),
        ("15 / 2024 / QĐ - UBND", "15/2024/QĐ-UBND"),
        ("123/KH-UBND", "123/KH-UBND"),
        ("456/tb-vp", "456/TB-VP"),
        ("35/CT-TTg", "35/CT-TTG"),
        ("9/Q3", "9/Q3"),
        ("1/UBND-E2E", "1/UBND-E2E"),
        ("9/qđ-acl-1a2b3c", "9/QĐ-ACL-1A2B3C"),
        ("15/2024/Q\u0110-UBND", "15/2024/QĐ-UBND"),
    ],
)
def test_a_reference_is_normalised_to_one_form(given: str, normalised: str) -> None:
    """NFC, trimmed, no spaces around / and -, upper case (đ becomes Đ)."""
    assert normalise_reference(given) == normalised


@pytest.mark.parametrize(
    "given",
    [
        "1234/UBND~VX",  # "~" stands for "/" in paths
        "6ba7b810-9dad-11d1-80b4-00c04fd430c8",  # shaped like an id
        "Số 12/UBND",
        "12/UBND VX",
        "12/UBND-",
        "/UBND",
        "12//UBND",
        "12/2024",
        "12/2024/2A",
        "UBND/12",
        "１２/UBND",  # fullwidth digits
        "12/STRAßE",  # "ß" upper-cases to "SS"
        "12/ﬁ",  # a ligature upper-cases to "FI"
        "12/UBND\x00",
        "12/UBND\u202e",
        "12/UBND.VX",
        "1/" + "A" * 63,
        "",
    ],
)
def test_anything_else_is_refused_naming_the_reference(given: str) -> None:
    """A tilde, an id, a space inside, other letters or signs, or too long: refused."""
    with pytest.raises(InvalidTextError) as refused:
        normalise_reference(given)
    assert refused.value.field == "reference"


SPELLINGS = st.builds(
    lambda number, year, parts, spaces, lower: (number, year, parts, spaces, lower),
    st.integers(1, 9_999_999).map(str),
    st.one_of(st.none(), st.integers(1900, 2100).map(str)),
    st.lists(st.from_regex(r"[A-ZĐ][A-ZĐ0-9]{0,5}", fullmatch=True), min_size=1, max_size=3),
    st.lists(st.sampled_from(["", " ", "  "]), min_size=12, max_size=12),
    st.lists(st.booleans(), min_size=30, max_size=30),
)


def spelled(
    number: str, year: str | None, parts: list[str], spaces: list[str], lower: list[bool]
) -> tuple[str, str]:
    """The reference's one form, and a spelling of it with other case and spaces."""
    canonical = "/".join([number, *([year] if year else []), "-".join(parts)])
    pieces = []
    for i, ch in enumerate(canonical):
        if ch in "/-":
            pieces.append(spaces[i % 12] + ch + spaces[(i + 1) % 12])
        else:
            pieces.append(ch.lower() if lower[i % 30] else ch)
    return canonical, spaces[0] + "".join(pieces) + spaces[1]


@given(SPELLINGS)
def test_every_spelling_that_differs_by_case_or_spaces_is_one_reference(
    spelling: tuple[str, str | None, list[str], list[str], list[bool]],
) -> None:
    """Any spelling of a reference in form normalises to it, and so derives its id."""
    canonical, variant = spelled(*spelling)
    if len(canonical) > 64:
        return
    assert normalise_reference(variant) == canonical == normalise_reference(canonical)
    assert REFERENCE_FORM.fullmatch(canonical)
    assert directive_id(normalise_reference(variant)) == directive_id(canonical)


# --- one application on each backend ------------------------------------------------------------


@contextmanager
def application(kind: str, tmp_path: Path) -> Iterator[tuple[Thucthi, str]]:
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'refs.db'}"
        app = open_application(parse_database_url(url), clock=SimulatedClock(START))
        try:
            app.open_unit_registry()
            yield app, url
        finally:
            app.close()
    else:
        with fresh_schema(require_server()) as url:
            app = open_application(parse_database_url(url), clock=SimulatedClock(START))
            try:
                app.open_unit_registry()
                yield app, url
            finally:
                app.close()


def issue(app: Thucthi, reference: str) -> int:
    return app.issue(
        IssueDirective(reference=reference, title="Kiểm tra", content="", lead_unit=LEAD),
        actor=LEADER,
        request_id="r",
    )


def recorded_by_an_earlier_version(app: Thucthi, reference: str) -> UUID:
    """A directive issued by an earlier version, which kept the reference as given (trimmed)
    and derived the id from it: written beneath the application, as that version wrote it."""
    directive = Directive.issue(
        reference="1/UBND", title="Cũ", content="", issuer=None, lead_unit=LEAD, actor=LEADER,
        request_id="old", at=app.clock.now(),
    )  # fmt: skip
    (issued,) = directive.collect_events()
    record = app.mapper.to_stored_event(issued)
    state = orjson.loads(record.state)
    state["reference"] = reference
    legacy_id = directive_id(reference)
    app.recorder.insert_events([StoredEvent(legacy_id, 1, record.topic, orjson.dumps(state))])
    return legacy_id


@pytest.fixture(params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_spellings_of_one_reference_are_one_directive(kind: str, tmp_path: Path) -> None:
    """Issued under one spelling, the directive is found under others and not issued again."""
    with application(kind, tmp_path) as (app, _):
        issue(app, "  2008 / ubnd-kt ")
        directive = app.get_directive("2008/UBND-KT")
        assert directive.reference == "2008/UBND-KT"
        assert directive.id == directive_id("2008/UBND-KT")
        assert app.get_directive("2008/ubnd-kt ").id == directive.id
        with pytest.raises(DuplicateReferenceError):
            issue(app, "2008/UBND-KT")
        with pytest.raises(DuplicateReferenceError):
            issue(app, "2008/Ubnd-Kt")


def test_directives_an_earlier_version_recorded_are_found_and_never_issued_twice(
    kind: str, tmp_path: Path
) -> None:
    """Under the spelling it was recorded with, under the normalised one, and under any other
    spelling of it; a new directive of the same reference is refused, naming the old one."""
    with application(kind, tmp_path) as (app, _):
        lower = recorded_by_an_earlier_version(app, "1234/ubnd-vx")
        spaced = recorded_by_an_earlier_version(app, "12 / UBND-KT")
        for spelling, expected in [
            ("1234/ubnd-vx", lower),
            ("1234/UBND-VX", lower),
            ("1234 / Ubnd-Vx", lower),
            ("12 / UBND-KT", spaced),
            ("12/UBND-KT", spaced),
            ("12/ubnd-kt", spaced),
        ]:
            assert app.get_directive(spelling).id == expected, spelling
            assert app.history(spelling)[0].originator_id == expected
        for spelling in ["1234/UBND-VX", "1234/ubnd-vx", "12/UBND-KT"]:
            with pytest.raises(DuplicateReferenceError, match="earlier version"):
                issue(app, spelling)
        app.execute(Acknowledge(), "1234/UBND-VX", actor=LEAD_OFFICER, request_id="r")
        assert app.get_directive(lower).status == "in_progress"
        issue(app, "1235/UBND-VX")  # a neighbour is still free


def test_a_text_shaped_like_an_id_never_answers_with_a_directive_not_meant(
    kind: str, tmp_path: Path
) -> None:
    """An id names its directive; an earlier version's reference shaped like an id names that
    directive while no directive has that id; when both exist the text names neither."""
    with application(kind, tmp_path) as (app, _):
        issue(app, "1/UBND-VX")
        target = app.get_directive("1/UBND-VX").id
        with pytest.raises(InvalidTextError):
            issue(app, str(uuid4()))
        lone = str(uuid4())
        shaped = recorded_by_an_earlier_version(app, lone)
        assert app.get_directive(lone).id == shaped
        hijack = recorded_by_an_earlier_version(app, str(target))
        assert hijack != target
        with pytest.raises(AmbiguousReferenceError):
            app.get_directive(str(target))
        assert app.get_directive(target).id == target
        for other in (REGISTRY_ID, user_id("nobody"), uuid4()):
            with pytest.raises(DirectiveNotFoundError):
                app.get_directive(str(other))


def test_the_aggregates_that_are_not_directives_are_not_directives(tmp_path: Path) -> None:
    """The unit registry's id (a constant) and an account's (derived from its user name) name
    no directive: reading or commanding one answers 404, not 500."""
    web, app = make_api(f"sqlite:///{tmp_path / 'api.db'}")
    try:
        for other in (REGISTRY_ID, user_id("leader.chutich")):
            assert web.get(f"/api/directives/{other}", "leader.chutich").status_code == 404
            assert web.get(f"/api/directives/{other}/history", "thanhtra").status_code == 404
            refused = web.post(f"/api/directives/{other}/reminders", "office.vp", {"message": "x"})
            assert refused.status_code == 404, refused.text
    finally:
        app.close()


# --- through the API, the pages and the command line ---------------------------------------------


@pytest.fixture
def web(tmp_path: Path) -> Iterator[Api]:
    built, app = make_api(f"sqlite:///{tmp_path / 'api.db'}")
    try:
        yield built
    finally:
        app.close()


BODY = {"title": "Kiểm tra", "content": "", "lead_unit": "SO-CT", "deadline": "2024-04-30"}


def test_the_api_stores_the_normalised_reference_and_finds_it_by_any_spelling(web: Api) -> None:
    """The API answers with the normalised reference, opens it by any spelling, refuses it again."""
    made = web.post("/api/directives", "leader.chutich", {**BODY, "reference": " 2008 / ubnd-kt "})
    assert made.status_code == 201, made.text
    assert made.json["reference"] == "2008/UBND-KT"
    for path in ("2008~UBND-KT", "2008~ubnd-kt", made.json["id"]):
        found = web.get(f"/api/directives/{path}", "leader.chutich")
        assert (found.status_code, found.json["reference"]) == (200, "2008/UBND-KT")
    again = web.post("/api/directives", "leader.chutich", {**BODY, "reference": "2008/UBND-KT"})
    assert (again.status_code, again.json["type"]) == (
        409,
        "urn:thucthi:problem:duplicate-reference",
    )


@pytest.mark.parametrize("reference", ["12~UBND", "6ba7b810-9dad-11d1-80b4-00c04fd430c8", "x"])
def test_the_api_refuses_a_reference_out_of_form_naming_the_field(web: Api, reference: str) -> None:
    """422 naming reference, nothing stored."""
    before = web.app.max_notification_id()
    refused = web.post("/api/directives", "leader.chutich", {**BODY, "reference": reference})
    assert refused.status_code == 422, refused.text
    assert [e["field"] for e in refused.json["errors"]] == ["reference"]
    assert web.app.max_notification_id() == before


def test_an_earlier_reference_holding_a_tilde_is_opened_by_its_path(web: Api) -> None:
    """ "~" stands for "/" in a path; a directive an earlier version recorded with a "~" of its
    own is still opened by the path its pages link to, and commanded there."""
    legacy = recorded_by_an_earlier_version(web.app, "7~UBND")
    opened = web.get("/api/directives/7~UBND", "leader.chutich")
    assert (opened.status_code, opened.json["id"]) == (200, str(legacy))
    reminded = web.post("/api/directives/7~UBND/reminders", "office.vp", {"message": "Đôn đốc"})
    assert reminded.status_code == 201, reminded.text


def test_the_pages_open_and_link_directives_of_earlier_spellings(web: Api) -> None:
    """A directive page opens by the spelling it was recorded under and by the normalised one."""
    recorded_by_an_earlier_version(web.app, "55/ubnd-vx")
    leader = visitor(web, "leader.chutich")
    for path in ("/directives/55~ubnd-vx", "/directives/55~UBND-VX"):
        page = leader.get(path)
        assert page.status_code == 200, path
        assert "55/ubnd-vx" in page.text


def test_the_command_line_shows_a_directive_by_any_spelling(tmp_path: Path) -> None:
    """thucthi show and history find it by any spelling; an unknown one ends in one line."""
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    app = open_application(parse_database_url(db), clock=SimulatedClock(START))
    try:
        app.open_unit_registry()
        issue(app, "3/UBND-VX")
        recorded_by_an_earlier_version(app, "4/ubnd-vx")
    finally:
        app.close()
    for spelling, shown in [("3/ubnd-vx", "3/UBND-VX"), ("4/UBND-VX", "4/ubnd-vx")]:
        for command in ("show", "history"):
            out = io.StringIO()
            assert main(["--db", db, command, spelling], out=out) == 0, (command, spelling)
            assert shown in out.getvalue() or command == "history"
    err = io.StringIO()
    with redirect_stderr(err):
        assert main(["--db", db, "show", "9/UBND-VX"]) == 1
    assert len(err.getvalue().splitlines()) == 1
