"""Every text a command carries is checked in the domain, whoever calls it: no control character,
no lone surrogate, trimmed, NFC, at most its field's length. The API answers 422 naming the field
and stores nothing; the pages and the command line say it in words, in Vietnamese and English."""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from adapters.database import open_application, parse_database_url
from cli.demo import run_demo
from cli.main import main
from domain.accounts.commands import DisableUser
from domain.application import SYSTEM_ACTOR, Thucthi
from domain.directives.commands import (
    Acknowledge,
    Contribute,
    DecideCompletion,
    DecideExtension,
    GiveExplanation,
    IssueDirective,
    Reassign,
    ReportCompletion,
    ReportProgress,
    RequestExplanation,
    RequestExtension,
    SendReminder,
    Withdraw,
)
from domain.shared.actors import Actor, Role
from domain.shared.clock import SimulatedClock
from domain.shared.errors import InvalidTextError
from domain.shared.text import RULES, checked
from tests.api.conftest import PASSWORD_HASH, Api, make_api
from tests.api.test_pages import FORM, alert, visitor
from tests.api.test_pages import issue as issue_on_the_page
from tests.builders import COORDINATOR, COORDINATOR_OFFICER, LEAD, LEAD_OFFICER, LEADER, OFFICE
from tests.conftest import START

# Characters no text may hold: C0 controls but tab, line feed and carriage return; DEL; C1
# controls; bidirectional embeddings and overrides; lone surrogates.
FORBIDDEN = st.one_of(
    st.sampled_from([chr(c) for c in (*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20))]),
    st.sampled_from([chr(c) for c in range(0x7F, 0xA0)]),
    st.sampled_from([chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]),
    st.integers(0xD800, 0xDFFF).map(chr),
)
GOOD = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Cf")), min_size=1, max_size=30
).filter(lambda t: t.strip())
SINGLE_LINE = sorted(f for f, rule in RULES.items() if not rule.lines)
MULTI_LINE = sorted(f for f, rule in RULES.items() if rule.lines)


# --- the rule ----------------------------------------------------------------------------------


@given(field=st.sampled_from(sorted(RULES)), text=GOOD, bad=FORBIDDEN, data=st.data())
def test_a_forbidden_character_anywhere_in_any_field_is_refused_naming_the_field(
    field: str, text: str, bad: str, data: st.DataObject
) -> None:
    """Wherever it stands in the text, and whatever the field."""
    at = data.draw(st.integers(0, len(text)))
    with pytest.raises(InvalidTextError) as refused:
        checked(field, text[:at] + bad + text[at:])
    assert refused.value.field == field
    assert refused.value.problem in ("control", "surrogate")
    assert f"U+{ord(bad):04X}" in str(refused.value)


@given(field=st.sampled_from(SINGLE_LINE), head=GOOD, tail=GOOD, brk=st.sampled_from("\n\t\r"))
def test_a_line_break_or_tab_inside_a_one_line_field_is_refused(
    field: str, head: str, tail: str, brk: str
) -> None:
    """A title, a name or a code is one line."""
    with pytest.raises(InvalidTextError) as refused:
        checked(field, head.strip() + brk + tail.strip())
    assert (refused.value.field, refused.value.problem) == (field, "line_break")


@given(field=st.sampled_from(MULTI_LINE), lines=st.lists(GOOD, min_size=2, max_size=4))
def test_several_lines_are_kept_where_a_field_allows_them_each_break_a_line_feed(
    field: str, lines: list[str]
) -> None:
    """Content, reports, reasons and the like keep their lines, each break stored as a line feed."""
    kept = [line.strip() for line in lines]
    assert checked(field, "\r\n".join(kept)) == unicodedata.normalize("NFC", "\n".join(kept))


@given(field=st.sampled_from(sorted(RULES)), text=GOOD)
def test_a_text_is_trimmed_and_normalised_to_nfc(field: str, text: str) -> None:
    """Decomposed Vietnamese (as some keyboards type it) is stored composed, trimmed."""
    decomposed = unicodedata.normalize("NFD", text)
    assert checked(field, f"  {decomposed}\t ") == unicodedata.normalize("NFC", text).strip()


@pytest.mark.parametrize("field", sorted(RULES))
def test_each_field_has_a_length_limit_counted_after_normalising(field: str) -> None:
    """The limit is inclusive and counts composed characters."""
    limit = RULES[field].limit
    assert checked(field, "ệ" * limit) == "ệ" * limit
    assert checked(field, unicodedata.normalize("NFD", "ệ") * limit) == "ệ" * limit
    with pytest.raises(InvalidTextError) as refused:
        checked(field, "a" * (limit + 1))
    assert (refused.value.field, refused.value.problem) == (field, "too_long")


@pytest.mark.parametrize("value", [None, 12, b"title", ["t"]])
def test_a_value_that_is_not_text_is_refused(value: object) -> None:
    """Only a string is a text."""
    with pytest.raises(InvalidTextError, match="title must be text"):
        checked("title", value)


# --- every command of every aggregate -----------------------------------------------------------

NUL = "Tiêu\x00 đề"
REF = "1234/UBND-VX"


@pytest.fixture
def memory_app() -> Iterator[Thucthi]:
    app = open_application(parse_database_url("memory://"), clock=SimulatedClock(START))
    app.open_unit_registry()
    try:
        yield app
    finally:
        app.close()


def issue(app: Thucthi, **fields: Any) -> int:
    values: dict[str, Any] = {
        "reference": REF,
        "title": "Triển khai",
        "content": "Nội dung",
        "lead_unit": LEAD,
        "coordinating_units": (COORDINATOR,),
        "deadline": date(2024, 4, 30),
        **fields,
    }
    actor, request_id = values.pop("actor", LEADER), values.pop("request_id", "r")
    return app.issue(IssueDirective(**values), actor=actor, request_id=request_id)


def acknowledged(app: Thucthi) -> None:
    issue(app)
    app.execute(Acknowledge(), REF, actor=LEAD_OFFICER, request_id="r")


def extension_asked(app: Thucthi) -> None:
    acknowledged(app)
    app.execute(
        RequestExtension(new_deadline=date(2024, 5, 30), reason="Chờ số liệu"),
        REF,
        actor=LEAD_OFFICER,
        request_id="r",
    )


def completion_reported(app: Thucthi) -> None:
    acknowledged(app)
    app.execute(ReportCompletion(summary="Xong"), REF, actor=LEAD_OFFICER, request_id="r")


def explanation_asked(app: Thucthi) -> None:
    issue(app)
    app.execute(RequestExplanation(question="Vì sao?"), REF, actor=LEADER, request_id="r")


def user_made(app: Thucthi) -> None:
    app.create_user(
        username="thanhtra.2", display_name="Thanh tra", role=Role.INSPECTOR, unit=None,
        password_hash=PASSWORD_HASH, actor=SYSTEM_ACTOR, request_id="r",
    )  # fmt: skip


Setup = Callable[[Thucthi], object]
Command = Callable[[Thucthi, str], object]
ADMIN = Actor("admin.1", Role.ADMIN)

# (what the directive or registry needs first, the command with one text replaced, its field)
COMMANDS: list[tuple[Setup, Command, str]] = [
    (lambda a: None, lambda a, t: issue(a, reference=t), "reference"),
    (lambda a: None, lambda a, t: issue(a, title=t), "title"),
    (lambda a: None, lambda a, t: issue(a, content=t), "content"),
    (lambda a: None, lambda a, t: issue(a, issuer=t, actor=OFFICE), "issuer"),
    (lambda a: None, lambda a, t: issue(a, lead_unit=t), "lead_unit"),
    (lambda a: None, lambda a, t: issue(a, coordinating_units=[t]), "coordinating_units"),
    (lambda a: None, lambda a, t: issue(a, request_id=t), "request_id"),
    (
        acknowledged,
        lambda a, t: a.execute(
            ReportProgress(percent=10, narrative=t), REF, actor=LEAD_OFFICER, request_id="r"
        ),
        "narrative",
    ),
    (
        issue,
        lambda a, t: a.execute(
            Contribute(narrative=t), REF, actor=COORDINATOR_OFFICER, request_id="r"
        ),
        "narrative",
    ),
    (
        acknowledged,
        lambda a, t: a.execute(
            RequestExtension(new_deadline=date(2024, 5, 30), reason=t),
            REF,
            actor=LEAD_OFFICER,
            request_id="r",
        ),
        "reason",
    ),
    (
        extension_asked,
        lambda a, t: a.execute(
            DecideExtension(decision="grant", number=1, note=t), REF, actor=LEADER, request_id="r"
        ),
        "note",
    ),
    (
        extension_asked,
        lambda a, t: a.execute(
            DecideExtension(decision="deny", number=1, note=t), REF, actor=LEADER, request_id="r"
        ),
        "reason",
    ),
    (
        acknowledged,
        lambda a, t: a.execute(
            ReportCompletion(summary=t), REF, actor=LEAD_OFFICER, request_id="r"
        ),
        "summary",
    ),
    (
        completion_reported,
        lambda a, t: a.execute(
            DecideCompletion(decision="accept", note=t), REF, actor=LEADER, request_id="r"
        ),
        "note",
    ),
    (
        completion_reported,
        lambda a, t: a.execute(
            DecideCompletion(decision="return", note=t), REF, actor=LEADER, request_id="r"
        ),
        "reason",
    ),
    (
        issue,
        lambda a, t: a.execute(Reassign(to_unit=t, reason="r"), REF, actor=OFFICE, request_id="r"),
        "to_unit",
    ),
    (
        issue,
        lambda a, t: a.execute(
            Reassign(to_unit="SO-TC", reason=t), REF, actor=OFFICE, request_id="r"
        ),
        "reason",
    ),
    (
        issue,
        lambda a, t: a.execute(Withdraw(reason=t), REF, actor=LEADER, request_id="r"),
        "reason",
    ),
    (
        issue,
        lambda a, t: a.execute(SendReminder(message=t), REF, actor=OFFICE, request_id="r"),
        "message",
    ),
    (
        issue,
        lambda a, t: a.execute(RequestExplanation(question=t), REF, actor=LEADER, request_id="r"),
        "question",
    ),
    (
        explanation_asked,
        lambda a, t: a.execute(
            GiveExplanation(number=1, answer=t), REF, actor=LEAD_OFFICER, request_id="r"
        ),
        "answer",
    ),
    (
        issue,
        lambda a, t: a.execute(Acknowledge(), REF, actor=LEAD_OFFICER, request_id=t),
        "request_id",
    ),
    (
        lambda a: None,
        lambda a, t: a.add_unit(
            code=t, name_vi="Phường", name_en="Ward", parent=None, actor=ADMIN, request_id="r"
        ),
        "code",
    ),
    (
        lambda a: None,
        lambda a, t: a.add_unit(
            code="PHUONG-MOI", name_vi=t, name_en="Ward", parent=None, actor=ADMIN, request_id="r"
        ),
        "name_vi",
    ),
    (
        lambda a: None,
        lambda a, t: a.add_unit(
            code="PHUONG-MOI",
            name_vi="Phường",
            name_en=t,
            parent=None,
            actor=ADMIN,
            request_id="r",
        ),
        "name_en",
    ),
    (
        lambda a: None,
        lambda a, t: a.rename_unit(
            code="SO-CT", name_vi=t, name_en="Industry", actor=ADMIN, request_id="r"
        ),
        "name_vi",
    ),
    (
        lambda a: None,
        lambda a, t: a.deactivate_unit(code="SO-CT", reason=t, actor=ADMIN, request_id="r"),
        "reason",
    ),
    (
        lambda a: None,
        lambda a, t: a.create_user(
            username="thanhtra.2",
            display_name=t,
            role=Role.INSPECTOR,
            unit=None,
            password_hash=PASSWORD_HASH,
            actor=SYSTEM_ACTOR,
            request_id="r",
        ),
        "display_name",
    ),
    (
        user_made,
        lambda a, t: a.manage(
            DisableUser(reason=t), "thanhtra.2", actor=SYSTEM_ACTOR, request_id="r"
        ),
        "reason",
    ),
]


@pytest.mark.parametrize(("setup", "command", "field"), COMMANDS)
@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x85", "\u202e", "\ud800"])
def test_every_command_refuses_a_control_character_in_each_text_naming_it_and_records_nothing(
    memory_app: Thucthi, setup: Setup, command: Command, field: str, bad: str
) -> None:
    """Through the application, as the API, the pages, the CLI and the demo reach it."""
    setup(memory_app)
    before = memory_app.max_notification_id()
    valid = "SO-TC" if field == "to_unit" else ("PHUONG-MOI" if field == "code" else "Mot")
    with pytest.raises(InvalidTextError) as refused:
        command(memory_app, valid[:2] + bad + valid[2:])
    assert refused.value.field == field
    assert memory_app.max_notification_id() == before


def test_texts_are_stored_trimmed_normalised_and_with_line_feeds(memory_app: Thucthi) -> None:
    """Through the application, the stored event holds the cleaned text."""
    decomposed = unicodedata.normalize("NFD", "Triển khai kế hoạch")
    issue(memory_app, title=f"  {decomposed} ", content="Dòng một\r\nDòng hai\rBa ")
    directive = memory_app.get_directive(REF)
    assert directive.title == "Triển khai kế hoạch"
    assert directive.content == "Dòng một\nDòng hai\nBa"


# --- the API, the pages, the command line ---------------------------------------------------------


@pytest.fixture
def web(tmp_path: Path) -> Iterator[Api]:
    """The API and the pages on a fresh SQLite database, one signed-in user per role."""
    built, app = make_api(f"sqlite:///{tmp_path / 'api.db'}")
    try:
        yield built
    finally:
        app.close()


DIRECTIVE = {
    "reference": "1/UBND-VX",
    "title": "Kiểm tra",
    "content": "",
    "lead_unit": "SO-CT",
    "deadline": "2024-04-30",
}


def test_a_nul_in_a_title_answers_422_naming_the_field_and_stores_nothing(web: Api) -> None:
    """The attack of issue 22: a leader's POST with ``\\u0000`` in the title answered 500 and
    stored the event; now it is refused before anything is stored, with the field named."""
    before = web.app.max_notification_id()
    answer = web.post("/api/directives", "leader.chutich", {**DIRECTIVE, "title": "Tiêu\u0000 đề"})
    assert answer.status_code == 422, answer.text
    assert answer.json["type"] == "urn:thucthi:problem:invalid-text"
    assert answer.json["errors"] == [
        {"field": "title", "message": "holds a control character (U+0000) at character 5"}
    ]
    assert web.app.max_notification_id() == before
    again = web.post("/api/directives", "leader.chutich", {**DIRECTIVE, "title": "Tiêu\u0000 đề"})
    assert again.status_code == 422
    assert web.app.max_notification_id() == before


@pytest.mark.parametrize(
    ("path", "who", "body", "field"),
    [
        (
            "/api/directives/1~UBND-VX/reminders",
            "office.vp",
            {"message": "đôn\u0007 đốc"},
            "message",
        ),
        ("/api/directives/1~UBND-VX/withdrawal", "leader.chutich", {"reason": "\u0085"}, "reason"),
        (
            "/api/directives/1~UBND-VX/reassignment",
            "office.vp",
            {"to_unit": "SO-\u0000TC", "reason": ""},
            "to_unit",
        ),
        (
            "/api/users",
            "admin",
            {"username": "thanhtra.9", "display_name": "A\u001bB", "role": "inspector"},
            "display_name",
        ),
    ],
)
def test_every_command_of_the_api_answers_422_naming_the_refused_text(
    web: Api, path: str, who: str, body: dict[str, Any], field: str
) -> None:
    """Lifecycle commands and the admin's alike, nothing stored."""
    assert web.post("/api/directives", "leader.chutich", DIRECTIVE).status_code == 201
    before = web.app.max_notification_id()
    answer = web.post(path, who, body)
    assert answer.status_code == 422, answer.text
    assert [e["field"] for e in answer.json["errors"]] == [field]
    assert web.app.max_notification_id() == before


def test_the_issue_form_says_which_field_and_why_in_vietnamese_and_english(web: Api) -> None:
    """The page names the field by its label and the character and where it is."""
    leader = visitor(web, "leader.chutich")
    refused = issue_on_the_page(leader, title="Báo cáo\x07 quý")
    assert refused.status_code == 422
    said = alert(refused.text)
    assert "Trích yếu" in said
    assert "ký tự điều khiển (U+0007) ở vị trí 8" in said
    leader.get("/language?to=en&back=/")
    refused = issue_on_the_page(leader, title="Báo cáo\x07 quý")
    said = alert(refused.text)
    assert "Title" in said
    assert "control character (U+0007) at character 8" in said


def test_the_command_line_says_in_one_line_which_text_is_refused(tmp_path: Path) -> None:
    """One line on stderr, in both languages, naming the field; exit status 1."""
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    err = io.StringIO()
    with redirect_stderr(err):
        code = main(["--db", db, "user", "add", "thanhtra.2", "--role", "inspector",
                     "--display-name", "Thanh\x07 tra"])  # fmt: skip
    assert code == 1
    lines = err.getvalue().splitlines()
    assert len(lines) == 1
    assert "Tên hiển thị" in lines[0]
    assert "Display name" in lines[0]
    assert "U+0007" in lines[0]


def test_a_form_with_a_tab_in_a_one_line_field_is_refused_in_words(web: Api) -> None:
    """A tab in a title is refused, said to be a one-line field."""
    leader = visitor(web, "leader.chutich")
    body = urlencode(
        {"reference": "7/UBND-VX", "title": "a\tb", "content": "", "lead_unit": "SO-CT",
         "urgency": "normal", "issuer": "UBND TP", "csrf": leader.csrf}
    )  # fmt: skip
    cookie = "; ".join(f"{k}={v}" for k, v in leader.cookies.items())
    refused = web.client.simulate_post(
        "/directives/new", body=body, headers={**FORM, "Cookie": cookie}
    )
    assert refused.status_code == 422
    assert re.search(r"một dòng", refused.text)


def test_the_demo_year_passes_the_text_rule(tmp_path: Path) -> None:
    """The demo generator builds every directive through the same commands."""
    app = open_application(parse_database_url("memory://"), clock=SimulatedClock(START))
    try:
        run_demo(app, directives=30, seed=3, end=START.date() + timedelta(days=90), progress=None)
        assert app.max_notification_id() > 30
    finally:
        app.close()
