"""The inspectors' endpoints through Falcon's TestClient: the audit trail and its filters and
pages, the log's public key, signed checkpoints, RFC 9162 proofs checked with the domain's own
verifier, whole-log verification, why directives were late, and the checkpoint that oversight
answers name."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_public_key

from domain.directives.commands import (
    Acknowledge,
    DecideCompletion,
    IssueDirective,
    ReportCompletion,
    ReportProgress,
)
from domain.shared import merkle
from domain.shared.actors import Actor, Role
from domain.shared.clock import CITY_TIMEZONE, end_of_city_day
from domain.shared.notes import Checkpoint, NoteError, open_checkpoint, parse_verifier_key
from projections.audit import AuditProjection, record_of
from readmodels.audit import AuditStore, utc_text
from readmodels.open import open_trail
from tests.api.conftest import COORDINATOR, ORIGIN, OUTSIDER, Api

REF = "1234/UBND-VX"
D = "/api/directives/1234~UBND-VX"
OTHER = "77/UBND-Q1"  # led by UBND-Q1: none of SO-CT's business
OVERSIGHT = (
    "/api/oversight",
    "/api/oversight/late",
    "/api/oversight/due-soon",
    "/api/oversight/index",
)


# --- helpers -----------------------------------------------------------------------------------


def b64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def store(api: Api) -> AuditStore:
    return open_trail(api.app, create=False)


def audit_up(api: Api) -> int:
    """What the follower process does in production: bring the audit trail up to the log's head."""
    return AuditProjection(api.app, store(api), signer=None).catch_up()


def story(api: Api) -> dict[str, datetime]:
    """A directive issued, acknowledged, reported at 60% and helped by its coordinator, two hours
    apart; then another unit's directive. Returns when each step happened."""
    moments = {"issued": api.clock.now()}
    issued = api.post(
        "/api/directives",
        Role.LEADER,
        {
            "reference": REF,
            "title": "Triển khai Kế hoạch chuyển đổi số năm 2024",
            "lead_unit": "SO-CT",
            "coordinating_units": ["SO-TC"],
            "deadline": "2024-03-20",
        },
        **{"X-Request-Id": "req-issue-1"},
    )
    assert issued.status_code == 201, issued.text
    moments["acknowledged"] = api.clock.advance(timedelta(hours=2))
    assert api.post(D + "/acknowledgement", Role.DEPARTMENT, {}).status_code == 200
    moments["progress"] = api.clock.advance(timedelta(hours=2))
    progress = api.post(
        D + "/progress-reports",
        Role.DEPARTMENT,
        {"percent": 60, "narrative": "Đã xong 60%"},
        **{"X-Request-Id": "req-progress-60"},
    )
    assert progress.status_code == 201, progress.text
    assert (
        api.post(D + "/contributions", COORDINATOR[0], {"narrative": "Số liệu"}).status_code == 201
    )
    moments["other"] = api.clock.advance(timedelta(hours=2))
    other = api.post(
        "/api/directives",
        Role.LEADER,
        {"reference": OTHER, "title": "Việc quận", "lead_unit": "UBND-Q1"},
    )
    assert other.status_code == 201, other.text
    assert (
        api.post("/api/directives/77~UBND-Q1/acknowledgement", OUTSIDER[0], {}).status_code == 200
    )
    return moments


def walk(api: Api, who: str | Role, **params: str) -> tuple[list[dict[str, Any]], int]:
    """Every entry of the trail for these parameters, following the ``next`` links; and how many
    pages that took."""
    response = api.get("/api/audit", who, **params)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = list(response.json["items"])
    pages = 1
    while (following := response.json["next"]) is not None:
        path, _, query = following.partition("?")
        response = api.client.simulate_get(path, query_string=query, headers=api.headers(who))
        assert response.status_code == 200, response.text
        items += response.json["items"]
        pages += 1
        assert pages < 1_000, "the next links go round in circles"
    return items, pages


def concerns(api: Api, unit: str, item: dict[str, Any]) -> bool:
    """Whether an entry was done by someone of the unit or is about the unit (its directive, its
    accounts, its place in the registry), as the audit store recorded it."""
    entry = store(api).record_at(item["position"])
    assert entry is not None
    return unit in {entry.actor_unit, entry.subject_unit}


def city(day: date, hour: int) -> str:
    return datetime(day.year, day.month, day.day, hour, tzinfo=CITY_TIMEZONE).isoformat()


def public_key(api: Api) -> Any:
    answer = api.client.simulate_get("/api/audit/public-key")
    assert answer.status_code == 200, answer.text
    name, key = parse_verifier_key(answer.json["vkey"])
    assert name == ORIGIN
    return key


def sign(api: Api, who: Role = Role.INSPECTOR) -> dict[str, Any]:
    signed = api.post("/api/audit/checkpoint", who)
    assert signed.status_code == 201, signed.text
    document: dict[str, Any] = signed.json
    return document


def opened(api: Api, note: str) -> Checkpoint:
    return open_checkpoint(note, ORIGIN, public_key(api))


def leaves_up_to(api: Api, position: int) -> int:
    """How many records of the audit trail are at or before ``position``."""
    found = store(api).leaf_at(position)
    assert found is not None
    return found[0] + 1


def is_problem(response: Any) -> bool:
    return bool(
        400 <= response.status_code < 500
        and response.headers["content-type"] == "application/problem+json"
        and response.json["status"] == response.status_code
        and response.json["type"].startswith("urn:thucthi:problem:")
    )


# --- the trail ---------------------------------------------------------------------------------


def test_the_trail_has_one_entry_per_event_in_log_order(api: Api) -> None:
    story(api)
    audit_up(api)
    notifications = api.app.recorder.select_notifications(start=1, limit=10_000)
    items, _ = walk(api, Role.INSPECTOR, limit="500")
    assert len(items) == len(notifications) == api.app.max_notification_id()
    assert [i["position"] for i in items] == [n.id for n in notifications]
    assert [i["action"] for i in items] == [n.topic.rsplit(".", 1)[-1] for n in notifications]
    for item, n in zip(items, notifications, strict=True):
        assert b64(item["leaf_hash"]) == merkle.leaf_hash(record_of(n))
    answer = api.get("/api/audit", Role.INSPECTOR).json
    assert answer["position"] == api.app.max_notification_id()


def test_an_entry_says_who_did_what_when_in_answer_to_which_request_and_what_changed(
    api: Api,
) -> None:
    moments = story(api)
    audit_up(api)
    (progress,) = walk(api, Role.INSPECTOR, action="ProgressReported")[0]
    assert progress["recorded_at"] == utc_text(moments["progress"])
    assert progress["actor"] == {"user": "so-ct.canbo", "role": "department", "unit": "SO-CT"}
    assert progress["request_id"] == "req-progress-60"
    assert progress["directive"] == REF
    assert progress["vi"] == "Sở Công Thương báo cáo tiến độ 60%"
    assert progress["en"] == "Department of Industry and Trade reported progress 60%"
    assert {"field": "percent", "before": 0, "after": 60} in progress["changes"]
    assert {c["field"] for c in progress["changes"]} >= {"percent", "progress_reports"}

    issued = walk(api, Role.INSPECTOR, action="Issued", directive=REF)[0][0]
    assert issued["request_id"] == "req-issue-1"
    assert issued["recorded_at"] == utc_text(moments["issued"])
    assert issued["actor"] == {"user": "leader.chutich", "role": "leader", "unit": None}
    created = {c["field"]: (c["before"], c["after"]) for c in issued["changes"]}
    assert created["reference"] == (None, REF)
    assert created["lead_unit"] == (None, "SO-CT")

    (contribution,) = walk(api, Role.INSPECTOR, action="ContributionReported")[0]
    assert contribution["actor"]["unit"] == "SO-TC"
    assert contribution["vi"].startswith("Sở Tài chính ")


def test_the_trail_is_filtered_by_actor_unit_directive_action_and_time(api: Api) -> None:
    moments = story(api)
    audit_up(api)
    everything, _ = walk(api, Role.INSPECTOR, limit="500")

    by_officer, _ = walk(api, Role.LEADER, actor="so-ct.canbo")
    assert by_officer
    assert {i["actor"]["user"] for i in by_officer} == {"so-ct.canbo"}
    assert {"SignedIn", "Acknowledged", "ProgressReported"} <= {i["action"] for i in by_officer}
    assert by_officer == [i for i in everything if i["actor"]["user"] == "so-ct.canbo"]

    on_ref, _ = walk(api, Role.LEADER, directive=REF)
    assert [i["action"] for i in on_ref] == [
        "Issued",
        "Acknowledged",
        "ProgressReported",
        "ContributionReported",
    ]
    issues, _ = walk(api, Role.OFFICE, action="Issued")
    assert [i["directive"] for i in issues] == [REF, OTHER]

    finance, _ = walk(api, Role.INSPECTOR, unit="SO-TC")
    assert "ContributionReported" in {i["action"] for i in finance}
    assert finance == [i for i in everything if concerns(api, "SO-TC", i)]

    def between(start: datetime, end: datetime, **more: str) -> list[str]:
        window = {"from": start.isoformat(), "to": end.isoformat(), **more}
        return [i["action"] for i in walk(api, Role.INSPECTOR, **window)[0]]

    one_hour = timedelta(hours=1)
    assert between(moments["issued"] + one_hour, moments["progress"] + one_hour) == [
        "Acknowledged",
        "ProgressReported",
        "ContributionReported",
    ]
    # ``from`` is inclusive and ``to`` exclusive.
    assert between(moments["acknowledged"], moments["progress"]) == ["Acknowledged"]
    assert between(moments["issued"], moments["other"] + one_hour, directive=OTHER) == [
        "Issued",
        "Acknowledged",
    ]
    # Without an offset a moment is city time; a bare date is a whole city day.
    day = moments["issued"].astimezone(CITY_TIMEZONE).date()
    assert len(walk(api, Role.INSPECTOR, **{"from": day.isoformat()})[0]) == len(everything)
    assert walk(api, Role.INSPECTOR, to=(day - timedelta(days=1)).isoformat())[0] == []
    assert walk(api, Role.INSPECTOR, to=day.isoformat())[0] == everything
    local = {"from": city(day, 10)[:19], "to": city(day, 12)[:19]}  # 10:00 and 12:00 city time
    assert [i["action"] for i in walk(api, Role.INSPECTOR, **local)[0]] == ["Acknowledged"]

    assert is_problem(api.get("/api/audit", Role.INSPECTOR, **{"from": "last tuesday"}))
    assert is_problem(api.get("/api/audit", Role.INSPECTOR, to="2024-13-01"))


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_the_next_links_walk_every_entry_exactly_once(api: Api, order: str) -> None:
    story(api)
    audit_up(api)
    total = api.app.max_notification_id()
    items, pages = walk(api, Role.INSPECTOR, limit="7", order=order)
    positions = [i["position"] for i in items]
    expected = list(range(1, total + 1))
    assert positions == (expected if order == "asc" else expected[::-1])
    assert pages == -(-total // 7)
    # The filters travel with the links.
    filtered, pages = walk(api, Role.INSPECTOR, limit="2", order=order, directive=REF)
    assert len(filtered) == 4
    assert pages == 2
    assert {i["directive"] for i in filtered} == {REF}
    assert [i["position"] for i in filtered] == sorted(
        (i["position"] for i in filtered), reverse=order == "desc"
    )
    last = api.get("/api/audit", Role.INSPECTOR, limit=str(total), order=order).json
    assert last["next"] is None
    assert len(last["items"]) == total
    assert api.get("/api/audit", Role.INSPECTOR, limit="0").status_code == 422
    assert api.get("/api/audit", Role.INSPECTOR, limit="501").status_code == 422


def test_a_department_reads_only_the_entries_of_its_own_unit(api: Api) -> None:
    story(api)
    audit_up(api)
    everything, _ = walk(api, Role.INSPECTOR, limit="500")
    own, _ = walk(api, Role.DEPARTMENT, limit="500")
    assert own == [i for i in everything if concerns(api, "SO-CT", i)]
    assert OTHER not in {i["directive"] for i in own}
    assert "UBND-Q1" not in {i["actor"]["unit"] for i in own}
    assert {"Issued", "Acknowledged", "ProgressReported"} <= {
        i["action"] for i in own if i["directive"] == REF
    }
    # Asking for another unit's entries still gives only one's own.
    assert walk(api, Role.DEPARTMENT, unit="UBND-Q1", limit="500")[0] == own
    district, _ = walk(api, OUTSIDER[0], limit="500")
    assert district == [i for i in everything if concerns(api, "UBND-Q1", i)]
    assert REF not in {i["directive"] for i in district}
    assert [i["action"] for i in district if i["directive"] == OTHER] == ["Issued", "Acknowledged"]


# --- the key and checkpoints -------------------------------------------------------------------


def test_the_public_key_is_published_without_signing_in(api: Api) -> None:
    answer = api.client.simulate_get("/api/audit/public-key")
    assert answer.status_code == 200
    document = answer.json
    assert (document["origin"], document["algorithm"]) == (ORIGIN, "Ed25519")
    name, key = parse_verifier_key(document["vkey"])
    assert name == ORIGIN
    assert document["vkey"].split("+")[1] == document["key_id"]
    pem = load_pem_public_key(document["pem"].encode())
    raw = (Encoding.Raw, PublicFormat.Raw)
    assert pem.public_bytes(*raw) == key.public_bytes(*raw)


def test_inspectors_sign_checkpoints_that_open_with_the_published_key(api: Api) -> None:
    story(api)
    missing = api.get("/api/audit/checkpoint", Role.INSPECTOR)
    assert (missing.status_code, missing.json["type"]) == (404, "urn:thucthi:problem:no-checkpoint")
    for refused in (Role.LEADER, Role.OFFICE, Role.DEPARTMENT):
        denied = api.post("/api/audit/checkpoint", refused)
        assert denied.status_code == 403
        assert is_problem(denied)

    signed = sign(api)
    events = api.app.max_notification_id()
    assert signed["tree_size"] == events
    assert signed["position"] == events
    checkpoint = opened(api, signed["note"])
    assert (checkpoint.origin, checkpoint.size) == (ORIGIN, events)
    assert checkpoint.root == b64(signed["root"])
    assert signed["signed_at"] == utc_text(api.clock.now())
    latest = api.get("/api/audit/checkpoint", Role.DEPARTMENT)
    assert latest.status_code == 200
    assert latest.json == signed

    # Altering the note breaks the signature.
    forged = signed["note"].replace(f"\n{events}\n", f"\n{events + 1}\n", 1)
    with pytest.raises(NoteError):
        opened(api, forged)

    # Nothing new: the same checkpoint. Something new: an administrator signs a bigger tree.
    assert sign(api) == signed
    api.clock.advance(timedelta(hours=1))
    api.post(D + "/reminders", Role.OFFICE, {"message": "Khẩn trương"})
    bigger = sign(api, Role.ADMIN)
    assert bigger["tree_size"] == api.app.max_notification_id() == events + 1
    assert opened(api, bigger["note"]).size == events + 1
    assert api.get("/api/audit/checkpoint", Role.LEADER).json == bigger


# --- proofs ------------------------------------------------------------------------------------


def test_inclusion_proofs_verify_against_the_signed_root(api: Api) -> None:
    story(api)
    first = sign(api)
    size = first["tree_size"]
    api.clock.advance(timedelta(hours=1))
    api.post(D + "/reminders", Role.OFFICE, {"message": "Khẩn trương"})
    api.post(D + "/progress-reports", Role.DEPARTMENT, {"percent": 80})
    second = sign(api)
    assert second["tree_size"] == size + 2
    roots = {
        size: opened(api, first["note"]).root,
        second["tree_size"]: opened(api, second["note"]).root,
    }
    stored = {n.id: n for n in api.app.recorder.select_notifications(start=1, limit=10_000)}

    cases = [(p, size) for p in (1, 2, 16, 17, size // 2, size)]
    cases += [(p, second["tree_size"]) for p in (1, 33, size, size + 1, size + 2)]
    for position, tree_size in cases:
        answer = api.get(
            "/api/audit/proof/inclusion",
            Role.INSPECTOR,
            position=str(position),
            size=str(tree_size),
        )
        assert answer.status_code == 200, (position, answer.text)
        proof = answer.json
        assert (proof["position"], proof["tree_size"]) == (position, tree_size)
        assert proof["leaf_index"] == position - 1
        record = b64(proof["record"])
        assert record == record_of(stored[position])
        leaf = b64(proof["leaf_hash"])
        assert leaf == merkle.leaf_hash(record)
        path = [b64(p) for p in proof["proof"]]
        root = opened(api, proof["checkpoint"]).root
        assert root == roots[tree_size] == b64(proof["root"])
        merkle.verify_inclusion(leaf, proof["leaf_index"], tree_size, path, root)
        with pytest.raises(merkle.ProofError):
            merkle.verify_inclusion(
                merkle.leaf_hash(record + b"!"), position - 1, tree_size, path, root
            )

    # Without a size, the proof is against the latest checkpoint.
    latest = api.get("/api/audit/proof/inclusion", Role.LEADER, position="5").json
    assert latest["tree_size"] == second["tree_size"]
    assert latest["checkpoint"] == second["note"]


def test_consistency_proofs_connect_checkpoints_signed_at_different_times(api: Api) -> None:
    story(api)
    first = sign(api)
    api.clock.advance(timedelta(days=1, hours=1))
    api.sign_in_again()
    api.post(D + "/reminders", Role.OFFICE, {"message": "Khẩn trương"})
    second = sign(api)
    assert second["signed_at"] > first["signed_at"]
    m, n = first["tree_size"], second["tree_size"]
    assert m < n

    answer = api.get(
        "/api/audit/proof/consistency", Role.DEPARTMENT, **{"from": str(m), "to": str(n)}
    )
    assert answer.status_code == 200, answer.text
    proof = answer.json
    assert (proof["from"], proof["to"]) == (m, n)
    older = opened(api, proof["first_checkpoint"])
    newer = opened(api, proof["second_checkpoint"])
    assert (older.size, newer.size) == (m, n)
    assert (b64(proof["first_root"]), b64(proof["second_root"])) == (older.root, newer.root)
    path = [b64(p) for p in proof["proof"]]
    merkle.verify_consistency(m, n, path, older.root, newer.root)
    with pytest.raises(merkle.ProofError):
        merkle.verify_consistency(m, n, path, newer.root, older.root)

    # ``to`` defaults to the latest checkpoint; equal sizes need no proof.
    assert api.get("/api/audit/proof/consistency", Role.LEADER, **{"from": str(m)}).json == proof
    same = api.get("/api/audit/proof/consistency", Role.LEADER, **{"from": str(n), "to": str(n)})
    assert same.json["proof"] == []
    # A size no checkpoint was signed at still has a proof, without notes.
    unsigned = api.get("/api/audit/proof/consistency", Role.LEADER, **{"from": "10", "to": str(n)})
    assert unsigned.json["first_checkpoint"] is None
    merkle.verify_consistency(
        10,
        n,
        [b64(p) for p in unsigned.json["proof"]],
        b64(unsigned.json["first_root"]),
        newer.root,
    )


def test_impossible_proof_requests_are_problems_never_server_errors(api: Api) -> None:
    story(api)
    size = sign(api)["tree_size"]
    inclusion = "/api/audit/proof/inclusion"
    consistency = "/api/audit/proof/consistency"
    requests: list[tuple[str, dict[str, str]]] = [
        (inclusion, {"position": str(size + 1)}),  # beyond the signed tree
        (inclusion, {"position": "1", "size": str(size + 1)}),  # beyond the trail
        (inclusion, {"position": str(size), "size": "3"}),  # after the tree asked about
        (inclusion, {}),
        (inclusion, {"size": "3"}),
        (inclusion, {"position": "0"}),
        (inclusion, {"position": "-1"}),
        (inclusion, {"position": "first"}),
        (inclusion, {"position": "1", "size": "0"}),
        (inclusion, {"position": str(2**70)}),
        (consistency, {"from": str(size), "to": "3"}),  # from > to
        (consistency, {"from": "1", "to": str(size + 1)}),
        (consistency, {}),
        (consistency, {"to": "3"}),
        (consistency, {"from": "0"}),
        (consistency, {"from": "x", "to": "3"}),
    ]
    for path, params in requests:
        answer = api.get(path, Role.INSPECTOR, **params)
        assert is_problem(answer), (path, params, answer.status_code, answer.text)
    missing = api.get(inclusion, Role.INSPECTOR)
    assert (missing.status_code, missing.json["type"]) == (
        422,
        "urn:thucthi:problem:invalid-fields",
    )
    beyond = api.get(inclusion, Role.INSPECTOR, position=str(size + 1))
    assert (beyond.status_code, beyond.json["type"]) == (404, "urn:thucthi:problem:no-proof")
    backwards = api.get(consistency, Role.INSPECTOR, **{"from": str(size), "to": "3"})
    assert (backwards.status_code, backwards.json["type"]) == (404, "urn:thucthi:problem:no-proof")
    assert api.get(inclusion, OUTSIDER[0], position="1").status_code == 403


# --- verification ------------------------------------------------------------------------------


def test_the_whole_log_verifies_for_inspectors_only(api: Api) -> None:
    story(api)
    sign(api)
    api.post(D + "/reminders", Role.OFFICE, {"message": "Khẩn trương"})
    report = api.get("/api/audit/verify", Role.INSPECTOR)
    assert report.status_code == 200, report.text
    document = report.json
    assert document["ok"] is True
    assert document["records"] == api.app.max_notification_id()
    assert document["tree_size"] == document["records"]
    assert document["first_failure"] is None
    assert document["problems"] == []
    assert document["checkpoints_checked"] == 1
    assert document["checkpoint"]["tree_size"] == api.app.max_notification_id() - 1
    assert api.get("/api/audit/verify", Role.ADMIN).json["ok"] is True
    for refused in (Role.DEPARTMENT, OUTSIDER[0]):
        denied = api.get("/api/audit/verify", refused)
        assert denied.status_code == 403
        assert is_problem(denied)


# --- why late ----------------------------------------------------------------------------------


def at(day: int, hour: int = 9) -> datetime:
    """A moment in March 2024, city time."""
    return datetime(2024, 3, day, hour, tzinfo=CITY_TIMEZONE).astimezone(UTC)


LATE_DONE, LATE_OPEN, ON_TIME = "10/UBND-KT", "11/UBND-KT", "12/UBND-KT"


def lateness(api: Api) -> None:
    """Three directives of SO-CT: one completed eight days late after a rework, one still open
    seven days after its deadline, one completed on time; now is 20 March, 09:00."""
    app, clock = api.app, api.clock
    leader = app.get_user("leader.chutich").as_actor()
    officer = Actor("so-ct.canbo", Role.DEPARTMENT, "SO-CT")
    clock.set(at(4))
    for ref, deadline in ((LATE_DONE, 10), (LATE_OPEN, 13), (ON_TIME, 30)):
        app.issue(
            IssueDirective(
                reference=ref,
                title="Báo cáo",
                content="",
                lead_unit="SO-CT",
                coordinating_units=("SO-TC",),
                deadline=date(2024, 3, deadline),
            ),
            actor=leader,
            request_id="r",
        )
    clock.set(at(5))
    for ref in (LATE_DONE, LATE_OPEN, ON_TIME):
        app.execute(Acknowledge(), ref, actor=officer, request_id="r")
    clock.set(at(6))
    app.execute(ReportProgress(percent=60, narrative=""), LATE_DONE, actor=officer, request_id="r")
    app.execute(ReportCompletion(summary="Xong"), ON_TIME, actor=officer, request_id="r")
    clock.set(at(7))
    app.execute(DecideCompletion(decision="accept"), ON_TIME, actor=leader, request_id="r")
    clock.set(at(15))
    app.execute(ReportCompletion(summary="Xong"), LATE_DONE, actor=officer, request_id="r")
    clock.set(at(16))
    app.execute(
        DecideCompletion(decision="return", note="Thiếu"), LATE_DONE, actor=leader, request_id="r"
    )
    clock.set(at(18))
    app.execute(ReportCompletion(summary="Bổ sung"), LATE_DONE, actor=officer, request_id="r")
    clock.set(at(19))
    app.execute(DecideCompletion(decision="accept"), LATE_DONE, actor=leader, request_id="r")
    clock.set(at(20))
    api.sign_in_again()
    # A command through the API brings the oversight read models up to the head of the log.
    assert api.post("/api/directives/11~UBND-KT/reminders", Role.OFFICE, {}).status_code == 201


def spans_of(document: dict[str, Any]) -> list[tuple[str, str, float, float]]:
    return [
        (s["phase"], s["holder"], s["days"], s["days_after_deadline"]) for s in document["spans"]
    ]


def test_why_a_directive_was_late_phase_by_phase(api: Api) -> None:
    lateness(api)
    answer = api.get("/api/directives/10~UBND-KT/why-late", Role.LEADER)
    assert answer.status_code == 200, answer.text
    done = answer.json
    assert (done["reference"], done["lead_unit"]) == (LATE_DONE, "SO-CT")
    assert (done["deadline"], done["original_deadline"]) == ("2024-03-10", "2024-03-10")
    assert done["days_late"] == 8  # the accepted report was submitted on 18 March
    assert datetime.fromisoformat(done["finished_at"]) == at(18)
    approx = pytest.approx
    assert spans_of(done) == [
        ("awaiting_acknowledgement", "lead", 1.0, 0.0),
        ("in_progress", "lead", 10.0, approx(4.375, abs=0.006)),
        ("awaiting_acceptance", "committee", 1.0, 1.0),
        ("returned_for_rework", "lead", 2.0, 2.0),
        ("awaiting_acceptance", "committee", 1.0, 1.0),
    ]
    assert done["spans"][0]["units"] == ["SO-CT"]
    assert done["spans"][2]["units"] == []
    assert datetime.fromisoformat(done["spans"][0]["start"]) == at(4)
    assert datetime.fromisoformat(done["spans"][-1]["end"]) == at(19)
    assert [(t["phase"], t["holder"], t["days"]) for t in done["totals"]] == [
        ("awaiting_acknowledgement", "lead", 1.0),
        ("in_progress", "lead", 10.0),
        ("awaiting_acceptance", "committee", 2.0),
        ("returned_for_rework", "lead", 2.0),
    ]

    still_open = api.get("/api/directives/11~UBND-KT/why-late", COORDINATOR[0]).json
    assert still_open["days_late"] == 7
    assert still_open["finished_at"] is None
    assert spans_of(still_open) == [
        ("awaiting_acknowledgement", "lead", 1.0, 0.0),
        ("in_progress", "lead", 15.0, approx(6.375, abs=0.006)),
    ]
    on_time = api.get("/api/directives/12~UBND-KT/why-late", Role.DEPARTMENT).json
    assert on_time["days_late"] == 0
    assert sum(s["days_after_deadline"] for s in on_time["spans"]) == 0


def test_why_a_unit_was_late_sums_its_late_directives(api: Api) -> None:
    lateness(api)
    answer = api.get("/api/units/SO-CT/why-late", Role.INSPECTOR)
    assert answer.status_code == 200, answer.text
    unit = answer.json
    assert (unit["unit"], unit["as_of"]) == ("SO-CT", "2024-03-20")
    assert sorted((i["reference"], i["days_late"]) for i in unit["items"]) == [
        (LATE_DONE, 8),
        (LATE_OPEN, 7),
    ]
    assert (unit["directives"], unit["days_late"]) == (2, 15)
    totals = {
        (t["phase"], t["holder"]): (t["days"], t["days_after_deadline"]) for t in unit["totals"]
    }
    approx = pytest.approx
    # As of today as of any day: up to its end, the open one's progress running on until then
    # (15 hours after now), so that the day and the position it names give it again.
    assert totals == {
        ("awaiting_acknowledgement", "lead"): (2.0, 0.0),
        ("in_progress", "lead"): (approx(25.625, abs=0.01), approx(11.375, abs=0.01)),
        ("awaiting_acceptance", "committee"): (2.0, 2.0),
        ("returned_for_rework", "lead"): (2.0, 2.0),
    }
    assert unit["position"] == api.app.max_notification_id()
    asked_again = api.get(
        "/api/units/SO-CT/why-late", Role.INSPECTOR, position=str(unit["position"])
    )
    assert asked_again.json == unit
    # The unit's sums are the sums of its directives' own breakdowns, taken at the day's end.
    api.clock.set(end_of_city_day(date(2024, 3, 20)))
    api.sign_in_again()
    for phase_holder, (days, _) in totals.items():
        parts = [
            t["days"]
            for ref in ("10~UBND-KT", "11~UBND-KT")
            for t in api.get(f"/api/directives/{ref}/why-late", Role.LEADER).json["totals"]
            if (t["phase"], t["holder"]) == phase_holder
        ]
        assert days == approx(sum(parts), abs=0.02)

    # As of 12 March only the first was late, by two days.
    earlier = api.get("/api/units/SO-CT/why-late", Role.DEPARTMENT, as_of="2024-03-12").json
    assert [(i["reference"], i["days_late"]) for i in earlier["items"]] == [(LATE_DONE, 2)]
    assert (earlier["directives"], earlier["days_late"]) == (1, 2)

    # As of a day to come, an open directive's lateness runs on to that day.
    later = api.get("/api/units/SO-CT/why-late", Role.INSPECTOR, as_of="2024-03-30").json
    assert {i["reference"]: i["days_late"] for i in later["items"]}[LATE_OPEN] == 17


def test_why_late_is_hidden_from_units_that_may_not_see_the_directive(api: Api) -> None:
    lateness(api)
    hidden = api.get("/api/directives/10~UBND-KT/why-late", OUTSIDER[0])
    assert (hidden.status_code, hidden.json["type"]) == (
        404,
        "urn:thucthi:problem:directive-not-found",
    )
    other_unit = api.get("/api/units/SO-CT/why-late", OUTSIDER[0])
    assert (other_unit.status_code, other_unit.json["type"]) == (
        403,
        "urn:thucthi:problem:not-your-unit",
    )
    own_unit = api.get("/api/units/UBND-Q1/why-late", OUTSIDER[0]).json
    assert (own_unit["directives"], own_unit["items"]) == (0, [])
    assert api.get("/api/units/NOPE/why-late", Role.LEADER).status_code == 404
    assert api.get("/api/directives/404~NOPE/why-late", Role.LEADER).status_code == 404
    assert api.get("/api/units/SO-CT/why-late", Role.ADMIN).status_code == 403
    assert is_problem(api.get("/api/units/SO-CT/why-late", Role.LEADER, as_of="soon"))


# --- the checkpoint in oversight answers -------------------------------------------------------


def test_oversight_answers_name_the_checkpoint_that_covers_them_once_one_is_signed(
    api: Api,
) -> None:
    story(api)
    audit_up(api)
    before = {path: api.get(path, Role.LEADER).json for path in OVERSIGHT}
    assert {path: answer["checkpoint"] for path, answer in before.items()} == dict.fromkeys(
        OVERSIGHT
    )
    signed = sign(api)
    for path in OVERSIGHT:
        answer = api.get(path, Role.LEADER).json
        assert {k: v for k, v in answer.items() if k != "checkpoint"} == {
            k: v for k, v in before[path].items() if k != "checkpoint"
        }
        checkpoint = answer["checkpoint"]
        assert checkpoint == signed, path
        assert checkpoint["tree_size"] >= leaves_up_to(api, answer["position"])
        assert opened(api, checkpoint["note"]).size == checkpoint["tree_size"]

    # An answer about an earlier position names the first checkpoint that covers it.
    issued = walk(api, Role.INSPECTOR, action="Issued", directive=REF)[0][0]["position"]
    early = api.get("/api/oversight", Role.OFFICE, as_of="2024-03-04", position=str(issued)).json
    assert early["position"] == issued
    assert early["checkpoint"]["tree_size"] >= leaves_up_to(api, issued)


def test_an_oversight_answer_never_names_a_checkpoint_that_stops_short_of_it(api: Api) -> None:
    story(api)
    signed = sign(api)  # the audit trail stands at the head of the log, and is signed there
    api.post(D + "/reminders", Role.OFFICE, {"message": "Khẩn trương"})  # the view moves on alone
    answer = api.get("/api/oversight", Role.LEADER).json
    assert answer["position"] == signed["position"] + 1
    assert answer["checkpoint"] is None or answer["checkpoint"]["tree_size"] > signed["tree_size"]
