"""The ``thucthi`` command line: replaying a directive, and one-line errors with a non-zero exit."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from io import StringIO
from pathlib import Path

import orjson
import pytest

from adapters.database import open_application, parse_database_url
from api import auth
from cli.main import main
from domain.application import SYSTEM_ACTOR
from domain.directives.commands import IssueDirective, Reassign
from domain.shared.actors import Actor, Role
from tests.builders import LEADER, OFFICE
from tests.postgres import fresh_schema, require_server

END = "2024-12-31"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli') / 'demo.db'}"
    out = StringIO()
    assert main(["--db", url, "demo", "--directives", "60", "--end", END, "--quiet"], out=out) == 0
    assert "loaded 60 directives" in out.getvalue()
    return url


@pytest.fixture(scope="module")
def projected_db(demo_db: str) -> str:
    """The demo year with its read models built, as ``projections run`` would keep them."""
    assert run("--db", demo_db, "projections", "rebuild")[0] == 0
    return demo_db


def run(*argv: str) -> tuple[int, str]:
    out = StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


def a_reference(url: str) -> str:
    for suffix in ("TH", "VX", "KT", "DT", "NC"):
        if run("--db", url, "history", f"1/UBND-{suffix}", "--json")[0] == 0:
            return f"1/UBND-{suffix}"
    raise AssertionError("the first directive has an unexpected reference")


def test_show_prints_the_state_now_at_a_version_and_at_a_moment(demo_db: str) -> None:
    ref = a_reference(demo_db)
    code, now = run("--db", demo_db, "show", ref, "--json")
    assert code == 0
    current = orjson.loads(now)
    assert current["reference"] == ref
    code, first = run("--db", demo_db, "show", ref, "--version", "1", "--json")
    assert code == 0
    assert orjson.loads(first)["version"] == 1
    assert orjson.loads(first)["status"] == "issued"
    issued_on = date.fromisoformat(current["issued_on"])
    code, at = run("--db", demo_db, "show", ref, "--at", issued_on.isoformat(), "--json")
    assert code == 0
    assert orjson.loads(at)["version"] >= 1
    code, text = run("--db", demo_db, "show", ref)
    assert code == 0
    assert "Trích yếu / Title" in text


def test_history_lists_each_event_with_its_actor(demo_db: str) -> None:
    ref = a_reference(demo_db)
    code, text = run("--db", demo_db, "history", ref, "--json")
    assert code == 0
    lines = [orjson.loads(line) for line in text.splitlines()]
    assert [line["version"] for line in lines] == list(range(1, len(lines) + 1))
    assert lines[0]["event"] == "Issued"
    assert lines[0]["actor"]["role"] in ("leader", "office")
    assert all(line["request_id"] for line in lines)
    assert lines[0]["vi"].startswith("Ban hành")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "404/KHONG-CO"], "no directive"),
        (["history", "404/KHONG-CO"], "no directive"),
        (["show", "REF", "--version", "9999"], "versions"),
        (["show", "REF", "--at", "2000-01-01"], "issued after"),
    ],
)
def test_user_mistakes_end_in_one_line_and_exit_one(
    demo_db: str, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [a.replace("REF", a_reference(demo_db)) for a in argv]
    capsys.readouterr()
    code, _ = run("--db", demo_db, *argv)
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("thucthi: error:")
    assert message in err
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    "argv",
    [["show", "X", "--at", "yesterday"], ["show", "X", "--version", "0"], ["demo", "--end", "x"]],
)
def test_malformed_arguments_are_usage_errors(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--db", "memory://", *argv])
    assert exited.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://x/y", "must start with"),
        ("postgresql://postgres@127.0.0.1:1/x", "cannot reach"),
        ("sqlite:////no/such/dir/x.db", "does not exist"),
    ],
)
def test_database_problems_are_one_line(
    url: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run("--db", url, "show", "1/UBND")
    err = capsys.readouterr().err
    assert code == 1
    assert message in err
    assert err.count("\n") == 1


def test_the_demo_refuses_a_non_empty_database_unless_told(
    demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _ = run("--db", demo_db, "demo", "--directives", "5", "--end", END, "--quiet")
    assert code == 1
    assert "--force" in capsys.readouterr().err
    code, out = run("--db", demo_db, "demo", "--if-empty", "--quiet")
    assert code == 0
    assert "not loaded" in out


def test_the_database_url_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("THUCTHI_DATABASE_URL", f"sqlite:///{tmp_path / 'env.db'}")
    code, out = run("init")
    assert code == 0
    assert "created" in out
    assert (tmp_path / "env.db").exists()
    code, out = run("units")
    assert "SO-LDTBXH" in out


def test_a_new_password_replaces_the_old_one_and_ends_the_accounts_sessions(
    tmp_path: Path,
) -> None:
    """``thucthi user password`` prints a new password once: it signs in, the old one does not,
    and a token given before no longer works."""
    url = f"sqlite:///{tmp_path / 'users.db'}"
    code, out = run("--db", url, "user", "add", "thanh.tra", "--role", "inspector")
    assert code == 0
    first = out.split("password (shown once): ")[1].strip()
    app = open_application(parse_database_url(url))
    try:
        before = auth.sign_in(app, "thanh.tra", first, "r1")
        code, out = run("--db", url, "user", "password", "thanh.tra")
        assert code == 0
        second = out.split("password (shown once): ")[1].strip()
        assert second != first
        assert auth.authenticate(app, before.token) is None
        with pytest.raises(auth.SignInError):
            auth.sign_in(app, "thanh.tra", first, "r2")
        after = auth.sign_in(app, "thanh.tra", second, "r3")
        assert auth.authenticate(app, after.token) is not None
    finally:
        app.close()
    code, _ = run("--db", url, "user", "password", "nobody")
    assert code == 1


MONTH_ENDS = ((3, 31), (4, 30), (5, 31), (6, 30), (7, 31), (8, 31), (9, 30), (10, 31), (11, 30))


def oversight(url: str, day: str) -> str:
    code, text = run("--db", url, "oversight", "--as-of", day, "--json")
    assert code == 0
    return text


def test_an_oversight_summary_of_a_day_is_given_again_by_the_position_it_names(
    projected_db: str,
) -> None:
    """The issue's ``thucthi oversight --as-of D`` then ``--position P``: the same figures, in
    JSON and as text, although the demo year goes on long after D. D is the first month's end
    with directives overdue, which a later acceptance would have counted as completed late."""
    day, first = next(
        (day, answer)
        for day in (f"2024-{month:02}-{end}" for month, end in MONTH_ENDS)
        if (answer := orjson.loads(oversight(projected_db, day)))["city"]["overdue"] > 0
    )
    position = str(first["position"])
    code, again = run(
        "--db", projected_db, "oversight", "--as-of", day, "--position", position, "--json"
    )
    assert code == 0
    assert orjson.loads(again) == first
    assert first["city"]["overdue"] > 0
    assert first["forecast"] is False
    code, head = run("--db", projected_db, "oversight", "--json")
    assert orjson.loads(head)["position"] > first["position"]
    text = run("--db", projected_db, "oversight", "--as-of", day)
    assert text == run("--db", projected_db, "oversight", "--as-of", day, "--position", position)
    assert f"log position {position}" in text[1]


def test_one_units_summary_has_that_units_row_and_no_city_row(projected_db: str) -> None:
    code, text = run("--db", projected_db, "oversight", "--as-of", "2024-06-30", "--unit", "SO-CT")
    assert code == 0
    rows = text.splitlines()[2:]  # after the point of view and the header
    assert [row.split()[0] for row in rows] == ["SO-CT"]
    assert "CITY" not in text
    _, everyone = run("--db", projected_db, "oversight", "--as-of", "2024-06-30")
    assert rows[0] in everyone.splitlines()  # the unit's own figures, as the city's list has them


@pytest.mark.parametrize("command", [["oversight", "--json"], ["oversight"], ["units"]])
def test_a_reader_that_goes_away_ends_the_command_quietly_with_status_141(
    projected_db: str, command: list[str]
) -> None:
    """``thucthi oversight | head``: once the reader has closed the pipe, the command ends with
    the status a shell gives a command ended by SIGPIPE (128 + 13), saying nothing on stderr."""
    root = Path(__file__).resolve().parents[2]
    argv = [sys.executable, "-m", "cli.main", "--db", projected_db, *command]
    env = {**os.environ, "PYTHONPATH": str(root)}
    process = subprocess.Popen(
        argv, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()  # before the command has written anything: it is still starting
    errors = process.stderr.read().decode()
    process.stderr.close()
    assert process.wait(timeout=120) == 141
    assert errors == ""
    # Read to the end, the same command says everything and succeeds.
    whole = subprocess.run(argv, cwd=root, env=env, capture_output=True, check=False)
    assert (whole.returncode, whole.stderr) == (0, b"")
    assert whole.stdout


# --- names, not codes (issue 24, items 7 and 10) -----------------------------------------------


@pytest.fixture(params=["sqlite", "postgres"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database made by ``thucthi init``, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'names.db'}"
        assert run("--db", url, "init", "--signing-key", str(tmp_path / "key.pem"))[0] == 0
        yield url
        return
    with fresh_schema(require_server()) as url:
        assert run("--db", url, "init", "--signing-key", str(tmp_path / "key.pem"))[0] == 0
        yield url


def test_history_names_the_units_and_says_when_there_is_no_deadline(db_url: str) -> None:
    """``thucthi history`` tells who leads and coordinates by the units' names, and a
    directive without a deadline as having none (it said "hạn không thời hạn")."""
    app = open_application(parse_database_url(db_url))
    try:
        app.issue(
            IssueDirective(
                reference="77/UBND-KT",
                title="Bình ổn thị trường",
                lead_unit="SO-CT",
                coordinating_units=("SO-TC", "UBND-P-BANCO"),
            ),
            actor=LEADER,
            request_id="r",
        )
        app.execute(
            Reassign(to_unit="UBND-P-SAIGON", reason="Phân cấp cho phường"),
            "77/UBND-KT",
            actor=OFFICE,
            request_id="r",
        )
    finally:
        app.close()
    code, text = run("--db", db_url, "history", "77/UBND-KT")
    assert code == 0
    issued, reassigned = text.splitlines()
    assert (
        "giao Sở Công Thương chủ trì, Sở Tài chính, Ủy ban nhân dân phường Bàn Cờ phối hợp, "
        "không có thời hạn" in issued
    )
    assert "with no deadline" in issued
    assert "hạn không thời hạn" not in text
    assert "from Ủy ban nhân dân phường Bàn Cờ" not in reassigned
    assert "từ Sở Công Thương sang Ủy ban nhân dân phường Sài Gòn" in reassigned
    assert not re.search(r"\b(SO-CT|SO-TC|UBND-P-BANCO|UBND-P-SAIGON)\b", text)


def test_an_account_is_given_a_title_and_a_directive_names_its_signer_by_it(db_url: str) -> None:
    """``thucthi user add --title``: the account has the title, and ``thucthi show`` names the
    person who signed a directive as "Name — Title", not by their user name alone."""
    code, out = run(
        "--db",
        db_url,
        "user",
        "add",
        "leader.pct3",
        "--role",
        "leader",
        "--display-name",
        "Nguyễn Hoàng Long",
        "--title",
        "Phó Chủ tịch UBND Thành phố",
    )
    assert code == 0, out
    app = open_application(parse_database_url(db_url))
    try:
        account = app.get_user("leader.pct3")
        assert (account.display_name, account.title) == (
            "Nguyễn Hoàng Long",
            "Phó Chủ tịch UBND Thành phố",
        )
        app.issue(
            IssueDirective(reference="78/UBND-KT", title="Kiểm tra chợ", lead_unit="SO-CT"),
            actor=Actor("leader.pct3", Role.LEADER),
            request_id="r",
        )
    finally:
        app.close()
    code, text = run("--db", db_url, "show", "78/UBND-KT")
    assert code == 0
    assert "Nguyễn Hoàng Long — Phó Chủ tịch UBND Thành phố (leader.pct3)" in text


def test_the_registry_is_listed_in_natural_order(db_url: str) -> None:
    """``thucthi units``: a unit added later (Quận 2) is listed between Quận 1 and Quận 3, and
    Quận 3 comes before Quận 10, as a person counts, not as the characters sort."""
    app = open_application(parse_database_url(db_url))
    try:
        app.add_unit(
            code="UBND-Q2",
            name_vi="Ủy ban nhân dân Quận 2",
            name_en="District 2 People's Committee",
            parent="UBND-TP",
            actor=SYSTEM_ACTOR,
            request_id="r",
        )
    finally:
        app.close()
    code, text = run("--db", db_url, "units")
    assert code == 0
    districts = [line.split()[0] for line in text.splitlines() if re.match(r"UBND-Q\d+ ", line)]
    assert districts == [f"UBND-Q{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12)]


def test_the_demo_accounts_are_the_committees_leaders_by_name_and_title(demo_db: str) -> None:
    """The demo's leaders are the chairman and the vice-chairmen of the committee, each with
    a name and a title, and they are who signed the demo's directives."""
    app = open_application(parse_database_url(demo_db))
    try:
        chairman = app.get_user("leader.chutich")
        assert chairman.title == "Chủ tịch UBND Thành phố"
        assert chairman.display_name != "leader.chutich"
        vice = [app.get_user(f"leader.pct{n}") for n in range(1, 6)]
        assert {v.title for v in vice} == {"Phó Chủ tịch UBND Thành phố"}
        assert all(v.role is Role.LEADER and v.display_name for v in vice)
        for username in ("office.vp", "so-ct.canbo", "thanhtra", "admin"):
            assert app.get_user(username).title, username
    finally:
        app.close()
    code, text = run("--db", demo_db, "show", a_reference(demo_db))
    assert code == 0
    assert re.search(r"Người ký / Issuer: +\S.* — (Phó )?Chủ tịch UBND Thành phố \(leader\.", text)
