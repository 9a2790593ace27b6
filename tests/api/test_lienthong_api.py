"""``GET /api/petitions/lien-thong``: the national record for the Office and the inspectorate,
as JSON Lines, never cached; no other role gets it."""

from __future__ import annotations

import orjson

from domain.shared.actors import Role
from tests.api.conftest import Api
from tests.petition_builders import NGUYEN, Receipts, accepted

PATH = "/api/petitions/lien-thong"


def test_the_office_and_the_inspectorate_get_the_batch_as_json_lines_never_cached(api: Api) -> None:
    """A header naming the checkpoint that covers it, in both languages, then one record a line;
    ``after`` the header's ``next_after`` gives nothing more."""
    api.app.petitions.receipts = Receipts()
    receipt = accepted(api.app)
    assert api.post("/api/audit/checkpoint", Role.INSPECTOR).status_code == 201
    for role in (Role.OFFICE, Role.INSPECTOR):
        answer = api.get(PATH, role)
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("application/jsonl")
        assert "no-store" in answer.headers["cache-control"]
        header, *records = [orjson.loads(line) for line in answer.text.splitlines()]
        assert header["type"] == "batch"
        assert header["checkpoint"]["number"] == 1
        assert "điểm kiểm tra số 1" in header["coverage"]["vi"]
        assert "checkpoint no. 1" in header["coverage"]["en"]
        assert [(r["case_id"], r["step"]) for r in records] == [(receipt, "accepted")]
        assert records[0]["case"]["petitioners"][0]["full_name"] == NGUYEN.full_name
        after = api.get(PATH, role, after=str(header["next_after"]))
        assert after.text.count("\n") == 1  # the header alone


def test_no_other_role_gets_the_national_record(api: Api) -> None:
    """It holds petitioners' names: a leader, a department officer, an administrator get 403."""
    for role in (Role.LEADER, Role.DEPARTMENT, Role.ADMIN):
        assert api.get(PATH, role).status_code == 403, role


def test_a_bad_position_or_limit_is_a_problem_not_a_batch(api: Api) -> None:
    for params in ({"after": "-1"}, {"after": "x"}, {"limit": "0"}, {"limit": "10001"}):
        answer = api.get(PATH, Role.INSPECTOR, **params)
        assert answer.status_code == 422, params
        assert answer.headers["content-type"].startswith("application/problem+json")
