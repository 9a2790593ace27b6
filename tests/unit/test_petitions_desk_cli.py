"""``thucthi petitions …`` (issue 25, item 8): a petition received and carried through its life
from the command line as named officers, on SQLite and PostgreSQL; what each step did and what
is refused said in Vietnamese and English; a case shown as the account named may see it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import orjson
import pytest

from adapters.database import open_application, parse_database_url
from cli.main import main
from domain.accounts.commands import DisableUser
from domain.application import SYSTEM_ACTOR
from domain.shared.actors import Role
from tests.api.conftest import PASSWORD_HASH
from tests.postgres import fresh_schema, require_server

ACCOUNTS = {
    "so-xd.tiepdan": Role.RECEPTION,
    "so-xd.thutruong": Role.AGENCY_HEAD,
    "so-xd.canbo": Role.DEPARTMENT,
    "so-xd.canbo2": Role.DEPARTMENT,
}
AN = "Nguyễn Văn An|079085001234|12 Lê Lợi, phường Bến Thành|0903123456"


def run(*argv: str) -> tuple[int, str]:
    out = StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


@pytest.fixture(params=["sqlite", "postgres"])
def db(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A database made by ``thucthi init``, with Sở Xây dựng's petitions desk; the signing key
    and the personal-data key beside it are this test's, as every command finds them."""
    monkeypatch.setenv("THUCTHI_SIGNING_KEY", str(tmp_path / "keys" / "signing-key.pem"))
    monkeypatch.setenv("THUCTHI_CHECKPOINT_LOG", str(tmp_path / "keys" / "checkpoints.jsonl"))
    monkeypatch.delenv("THUCTHI_PERSONAL_DATA_KEY", raising=False)

    def prepared(url: str) -> str:
        assert run("--db", url, "init")[0] == 0
        app = open_application(parse_database_url(url))
        try:
            for username, role in ACCOUNTS.items():
                app.create_user(
                    username=username,
                    display_name=username,
                    role=role,
                    unit="SO-XD",
                    password_hash=PASSWORD_HASH,
                    actor=SYSTEM_ACTOR,
                    request_id="setup",
                )
        finally:
            app.close()
        return url

    if request.param == "sqlite":
        yield prepared(f"sqlite:///{tmp_path / 'petitions.db'}")
        return
    with fresh_schema(require_server()) as url:
        yield prepared(url)


def petitions(db: str, *argv: str) -> tuple[int, str]:
    return run("--db", db, "petitions", *argv)


def received(db: str, *extra: str) -> str:
    code, out = petitions(
        db,
        "receive",
        "--as",
        "so-xd.tiepdan",
        "--petitioner",
        AN,
        "--content",
        "Tố cáo cán bộ địa chính nhận tiền để làm nhanh hồ sơ.",
        *extra,
    )
    assert code == 0, out
    found = re.match(r"^(\d{4}-[0-9A-Z]{8}) v1 ", out)
    assert found is not None, out
    return found[1]


def test_a_petitions_whole_life_runs_from_the_command_line(db: str) -> None:
    """Each command prints the receipt, the new version and the step in both languages."""
    receipt = received(db)
    steps = [
        ("classify", "so-xd.tiepdan", "--kind", "denunciation", "--field", "conduct",
         "--competence", "ours"),
        ("accept", "so-xd.thutruong", "--handler", "so-xd.canbo"),
        ("verify", "so-xd.canbo", "--summary", "Đã làm việc với người bị tố cáo."),
        ("extend", "so-xd.thutruong", "--reason", "Vụ việc phức tạp."),
        ("resolve", "so-xd.thutruong", "--verdict", "partly_right", "--summary",
         "Tố cáo đúng một phần.", "--decision-reference", "7/KL-SXD"),
        ("publish", "so-xd.thutruong"),
    ]  # fmt: skip
    for version, (name, who, *options) in enumerate(steps, start=2):
        code, out = petitions(db, name, receipt, "--as", who, *options)
        assert code == 0, (name, out)
        assert out.startswith(f"{receipt} v{version} (vị trí / position "), out
    assert out.rstrip().endswith("Công khai kết quả giải quyết / Published the result")
    code, shown = petitions(db, "show", receipt, "--as", "so-xd.thutruong")
    assert code == 0
    assert "Nguyễn Văn An | 079085001234" in shown
    assert "Kết quả / Result:         partly_right: Tố cáo đúng một phần." in shown
    assert "Thụ lý giải quyết, giao so-xd.canbo xác minh" in shown
    code, as_json = petitions(db, "show", receipt, "--as", "so-xd.thutruong", "--json")
    document = orjson.loads(as_json)
    assert (document["status"], document["version"]) == ("resolved", 7)
    assert document["petitioners"][0]["id_number"] == "079085001234"


def test_a_denouncer_is_not_shown_to_a_colleague_who_does_not_handle_the_case(db: str) -> None:
    """``show --as`` an officer of the agency not handling a denunciation says why, in both
    languages, and prints nothing of the person; without ``--as`` no one is shown either."""
    receipt = received(db)
    petitions(
        db, "classify", receipt, "--as", "so-xd.tiepdan",
        "--kind", "denunciation", "--field", "conduct", "--competence", "ours",
    )  # fmt: skip
    for argv in (("--as", "so-xd.canbo2"), ()):
        code, shown = petitions(db, "show", receipt, *argv)
        assert code == 0
        assert "Luật Tố cáo 2018" in shown
        assert "Law on Denunciations 2018" in shown
        for value in AN.split("|"):
            assert value not in shown


def test_the_other_ends_of_a_petition_run_from_the_command_line(db: str) -> None:
    """Guide, transfer to another agency, not accept on a ground, archive, withdraw."""
    classify = ("--kind", "complaint", "--field", "land")

    def ready(competence: str, *extra: str) -> str:
        receipt = received(db, *extra)
        code, out = petitions(
            db, "classify", receipt, "--as", "so-xd.tiepdan", *classify, "--competence", competence
        )
        assert code == 0, out
        return receipt

    head = ("--as", "so-xd.thutruong")
    outcomes = [
        (ready("outside_city"), "guide", "--body", "Tòa án nhân dân", "guided"),
        (ready("city_agency"), "transfer", "--to-agency", "UBND-P-SAIGON", "received"),
        (
            ready("ours", "--decision-known-on", "2020-01-02"),
            "not-accept",
            "--ground",
            "complaint.time_limit",
            "not_accepted",
        ),
        (ready("ours"), "archive", "--ground", "duplicate", "archived"),
        (ready("ours"), "withdraw", "--reason", "Công dân rút đơn.", "withdrawn"),
    ]
    for receipt, name, *options, status in outcomes:
        code, out = petitions(db, name, receipt, *head, *options, "--json")
        assert code == 0, (name, out)
        assert orjson.loads(out)["status"] == status, name


def test_a_refusal_is_one_line_in_both_languages_and_exits_one(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A step out of turn, a role that may not, an unknown or disabled account: one line on
    stderr, Vietnamese then English, exit 1, nothing recorded."""
    receipt = received(db)
    capsys.readouterr()
    code, _ = petitions(db, "accept", receipt, "--as", "so-xd.thutruong", "--handler", "x")
    err = capsys.readouterr().err
    assert code == 1
    assert err == (
        f"thucthi: error: Đơn {receipt} cần được phân loại trước khi xử lý. / "
        f"{receipt} must be classified before a decision is taken on it.\n"
    )
    code, _ = petitions(db, "publish", receipt, "--as", "so-xd.tiepdan")
    assert code == 1
    assert "Vai trò" in capsys.readouterr().err
    code, _ = petitions(db, "withdraw", receipt, "--as", "no.one", "--reason", "x")
    assert code == 1
    assert capsys.readouterr().err == (
        "thucthi: error: không có tài khoản đang hoạt động no.one / no active account no.one\n"
    )
    app = open_application(parse_database_url(db))
    try:
        app.manage(
            DisableUser(reason="Nghỉ việc"), "so-xd.canbo2", actor=SYSTEM_ACTOR, request_id="r"
        )
        version = app.petitions.get(receipt).version
    finally:
        app.close()
    code, _ = petitions(db, "withdraw", receipt, "--as", "so-xd.canbo2", "--reason", "x")
    assert code == 1
    assert version == 1
