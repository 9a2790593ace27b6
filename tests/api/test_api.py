"""The HTTP API through Falcon's TestClient: a whole lifecycle by the right roles, problems,
idempotency, preconditions, the feed, OpenAPI, metrics and logs."""

from __future__ import annotations

import io
import logging
import threading
import time
from datetime import timedelta

import orjson
import pytest

from api import observability
from api.observability import JSONLineFormatter
from domain.directives.commands import IssueDirective
from domain.directives.directive import Directive
from domain.shared.actors import Role
from readmodels.sqlite import SQLiteOversightView
from tests.api.conftest import COORDINATOR, OUTSIDER, PASSWORD, Api

REF = "1234/UBND-VX"
D = "/api/directives/1234~UBND-VX"


def issue(api: Api, reference: str = REF, **changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "reference": reference,
        "title": "Triển khai Kế hoạch chuyển đổi số năm 2024",
        "content": "Giao Sở Công Thương chủ trì.",
        "lead_unit": "SO-CT",
        "coordinating_units": ["SO-TC"],
        "deadline": "2024-03-20",
        "urgency": "urgent",
    }
    body.update(changes)
    response = api.post("/api/directives", Role.LEADER, body)
    assert response.status_code == 201, response.text
    document: dict[str, object] = response.json
    return document


def test_a_directive_lives_its_whole_lifecycle_over_http(api: Api) -> None:
    created = issue(api)
    assert created["version"] == 1
    assert created["deadline"] == "2024-03-20"
    coordinator = COORDINATOR[0]
    steps = [
        (D + "/acknowledgement", Role.DEPARTMENT, {}, 200),
        (
            D + "/progress-reports",
            Role.DEPARTMENT,
            {"percent": 40, "narrative": "Đã xong 40%"},
            201,
        ),
        (D + "/contributions", coordinator, {"narrative": "Số liệu"}, 201),
        (
            D + "/extension-requests",
            Role.DEPARTMENT,
            {"new_deadline": "2024-03-31", "reason": "Chờ"},
            201,
        ),
        (D + "/extension-requests/1/decision", Role.LEADER, {"decision": "grant"}, 200),
        (D + "/reminders", Role.OFFICE, {"message": "Khẩn trương"}, 201),
        (D + "/explanation-requests", Role.LEADER, {"question": "Vì sao chậm?"}, 201),
        (D + "/explanation-requests/1/answer", Role.DEPARTMENT, {"answer": "Chờ số liệu"}, 200),
        (D + "/completion-report", Role.DEPARTMENT, {"summary": "Xong"}, 201),
        (
            D + "/completion-report/decision",
            Role.LEADER,
            {"decision": "return", "note": "Thiếu"},
            200,
        ),
        (D + "/completion-report", Role.DEPARTMENT, {"summary": "Bổ sung"}, 201),
        (D + "/completion-report/decision", Role.LEADER, {"decision": "accept"}, 200),
    ]
    for version, (path, who, body, status) in enumerate(steps, start=2):
        response = api.post(path, who, body)
        assert response.status_code == status, (path, response.text)
        assert response.json["version"] == version
        assert response.headers["etag"] == f'"{version}"'
        assert response.headers["location"] == f"/api/directives/{created['id']}"
    final = api.get(D, Role.INSPECTOR).json
    assert (final["status"], final["deadline"], final["original_deadline"]) == (
        "completed",
        "2024-03-31",
        "2024-03-20",
    )
    # The read models were brought up to date before each answer.
    board = api.get("/api/directives", Role.LEADER).json
    assert board["items"][0]["status"] == "completed"
    assert board["position"] == api.app.max_notification_id()


def test_the_request_id_travels_with_the_events_it_caused(api: Api) -> None:
    response = api.client.simulate_post(
        "/api/directives",
        json={"reference": REF, "title": "t", "lead_unit": "SO-CT"},
        headers=api.headers(Role.OFFICE, **{"X-Request-Id": "req-abc-123"}),
    )
    assert response.status_code == 422  # the office must name the issuer
    response = api.client.simulate_post(
        "/api/directives",
        json={"reference": REF, "title": "t", "lead_unit": "SO-CT", "issuer": "leader.pct1"},
        headers=api.headers(Role.OFFICE, **{"X-Request-Id": "req-abc-124"}),
    )
    assert response.status_code == 201
    assert response.headers["x-request-id"] == "req-abc-124"
    (event,) = api.app.history(REF)
    assert event.request_id == "req-abc-124"
    assert event.actor.user_id == "office.vp"


def test_departments_see_and_act_on_their_own_directives_only(api: Api) -> None:
    issue(api)
    assert api.get(D, OUTSIDER[0]).status_code == 404
    assert api.post(D + "/acknowledgement", OUTSIDER[0], {}).status_code == 404
    assert api.get(D, COORDINATOR[0]).status_code == 200
    assert api.post(D + "/acknowledgement", COORDINATOR[0], {}).status_code == 403
    assert api.get("/api/directives", OUTSIDER[0]).json["items"] == []
    assert len(api.get("/api/directives", Role.DEPARTMENT).json["items"]) == 1
    assert api.get("/api/units/SO-TC/inbox", Role.DEPARTMENT).status_code == 403
    inbox = api.get("/api/units/SO-CT/inbox", Role.DEPARTMENT).json["items"]
    assert [(i["reference"], i["owes"]) for i in inbox] == [(REF, "acknowledge")]
    summary = api.get("/api/oversight", Role.DEPARTMENT).json
    assert set(summary["units"]) == {"SO-CT"}


@pytest.mark.parametrize(
    ("request_kwargs", "status", "code"),
    [
        (
            {"body": b"{not json", "headers": {"Content-Type": "application/json"}},
            400,
            "malformed-json",
        ),
        (
            {"body": b"a=1", "headers": {"Content-Type": "application/x-www-form-urlencoded"}},
            415,
            "unsupported-media-type",
        ),
        (
            {"body": b"x" * (1024 * 1024 + 1), "headers": {"Content-Type": "application/json"}},
            413,
            "body-too-large",
        ),
        ({"json": {"percent": 40, "colour": "red"}}, 422, "invalid-fields"),
        ({"json": {"percent": 140}}, 422, "invalid-fields"),
        ({"json": {"percent": "40"}}, 422, "invalid-fields"),
    ],
)
def test_malformed_requests_get_problem_documents(
    api: Api, request_kwargs: dict[str, object], status: int, code: str
) -> None:
    issue(api)
    api.post(D + "/acknowledgement", Role.DEPARTMENT, {})
    extra: dict[str, str] = request_kwargs.pop("headers", {})  # type: ignore[assignment]  # a parametrised dict
    headers = {**api.headers(Role.DEPARTMENT), **extra}
    response = api.client.simulate_post(
        D + "/progress-reports",
        headers=headers,
        body=request_kwargs.get("body"),
        json=request_kwargs.get("json"),
    )
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json["type"] == f"urn:thucthi:problem:{code}"
    assert response.json["status"] == status
    assert api.app.get_directive(REF).version == 2  # nothing recorded


def test_invalid_fields_are_named(api: Api) -> None:
    response = api.post("/api/directives", Role.LEADER, {"reference": REF, "colour": "red"})
    assert response.status_code == 422
    fields = {e["field"] for e in response.json["errors"]}
    assert {"title", "lead_unit", "colour"} <= fields


def test_domain_errors_have_stable_types_and_statuses(api: Api) -> None:
    issue(api)
    duplicate = api.post(
        "/api/directives", Role.LEADER, {"reference": REF, "title": "x", "lead_unit": "SO-CT"}
    )
    assert (duplicate.status_code, duplicate.json["type"]) == (
        409,
        "urn:thucthi:problem:duplicate-reference",
    )
    unknown = api.post(
        "/api/directives", Role.LEADER, {"reference": "2/X", "title": "x", "lead_unit": "NOPE"}
    )
    assert (unknown.status_code, unknown.json["type"]) == (404, "urn:thucthi:problem:unknown-unit")
    early = api.post(D + "/progress-reports", Role.DEPARTMENT, {"percent": 5})
    assert (early.status_code, early.json["type"]) == (409, "urn:thucthi:problem:not-acknowledged")
    missing = api.get("/api/directives/404~NOPE", Role.LEADER)
    assert (missing.status_code, missing.json["type"]) == (
        404,
        "urn:thucthi:problem:directive-not-found",
    )
    nowhere = api.get("/api/nowhere", Role.LEADER)
    assert nowhere.status_code == 404
    assert nowhere.headers["content-type"] == "application/problem+json"


def test_authentication_is_required_and_checked(api: Api) -> None:
    anonymous = api.client.simulate_get("/api/directives")
    assert anonymous.status_code == 401
    assert anonymous.headers["www-authenticate"].startswith("Bearer")
    forged = api.client.simulate_get(
        "/api/directives", headers={"Authorization": "Bearer admin~forged"}
    )
    assert forged.status_code == 401
    wrong = api.client.simulate_post("/api/session", json={"username": "admin", "password": "sai"})
    assert (wrong.status_code, wrong.json["type"]) == (401, "urn:thucthi:problem:sign-in-failed")
    ghost = api.client.simulate_post("/api/session", json={"username": "nobody", "password": "sai"})
    assert ghost.status_code == 401


def test_signing_out_revokes_the_token(api: Api) -> None:
    assert api.get("/api/me", Role.INSPECTOR).json["role"] == "inspector"
    assert (
        api.client.simulate_delete("/api/session", headers=api.headers(Role.INSPECTOR)).status_code
        == 204
    )
    assert api.get("/api/me", Role.INSPECTOR).status_code == 401


def test_a_disabled_account_is_signed_out_at_once(api: Api) -> None:
    assert api.get("/api/me", Role.INSPECTOR).status_code == 200  # the token is known good
    response = api.post("/api/users/thanhtra/disabling", Role.ADMIN, {"reason": "Nghỉ việc"})
    assert response.status_code == 200
    assert response.json["active"] is False
    assert api.get("/api/me", Role.INSPECTOR).status_code == 401
    again = api.client.simulate_post(
        "/api/session", json={"username": "thanhtra", "password": PASSWORD}
    )
    assert again.status_code == 401


def test_admins_create_users_and_change_roles_as_events(api: Api) -> None:
    created = api.post(
        "/api/users", Role.ADMIN, {"username": "new.officer", "role": "department", "unit": "SO-YT"}
    )
    assert created.status_code == 201
    password = created.json["password"]
    signed = api.client.simulate_post(
        "/api/session", json={"username": "new.officer", "password": password}
    )
    assert signed.status_code == 201
    theirs = {"Authorization": f"Bearer {signed.json['token']}"}
    index = "/api/oversight/index"  # for the committee's office, not for a department
    assert api.client.simulate_get(index, headers=theirs).status_code == 403
    changed = api.post("/api/users/new.officer/role", Role.ADMIN, {"role": "office"})
    assert changed.json["role"] == "office"
    # The token already checked now stands for the new role, from its very next request.
    assert api.client.simulate_get(index, headers=theirs).status_code == 200
    bad = api.post("/api/users", Role.ADMIN, {"username": "x2", "role": "department"})
    assert (bad.status_code, bad.json["type"]) == (422, "urn:thucthi:problem:invalid-user")
    assert (
        api.post("/api/users", Role.LEADER, {"username": "x3", "role": "leader"}).status_code == 403
    )


def test_flooding_sign_in_gets_429_with_retry_after(api: Api) -> None:
    statuses = [
        api.client.simulate_post(
            "/api/session", json={"username": "nobody.x", "password": "sai"}
        ).status_code
        for _ in range(12)
    ]
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429, 429]
    limited = api.client.simulate_post(
        "/api/session", json={"username": "nobody.x", "password": "sai"}
    )
    assert int(limited.headers["retry-after"]) > 0


def test_if_match_refuses_a_decision_on_a_directive_that_moved_on(api: Api) -> None:
    created = issue(api)
    etag = f'"{created["version"]}"'
    api.post(D + "/reminders", Role.OFFICE, {"message": "x"})
    stale = api.post(D + "/withdrawal", Role.LEADER, {"reason": "y"}, **{"If-Match": etag})
    assert (stale.status_code, stale.json["type"]) == (412, "urn:thucthi:problem:version-mismatch")
    fresh = api.post(D + "/withdrawal", Role.LEADER, {"reason": "y"}, **{"If-Match": '"2"'})
    assert fresh.status_code == 200


def test_a_repeated_idempotency_key_returns_the_first_answer_and_records_nothing(api: Api) -> None:
    issue(api)
    api.post(D + "/acknowledgement", Role.DEPARTMENT, {})
    first = api.post(
        D + "/progress-reports", Role.DEPARTMENT, {"percent": 10}, **{"Idempotency-Key": "k-1"}
    )
    again = api.post(
        D + "/progress-reports", Role.DEPARTMENT, {"percent": 10}, **{"Idempotency-Key": "k-1"}
    )
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json == first.json
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["etag"] == first.headers["etag"]
    assert api.app.get_directive(REF).progress_reports == 1
    reused = api.post(
        D + "/progress-reports", Role.DEPARTMENT, {"percent": 20}, **{"Idempotency-Key": "k-1"}
    )
    assert (reused.status_code, reused.json["type"]) == (
        422,
        "urn:thucthi:problem:idempotency-key-reused",
    )


def test_concurrent_repeats_of_one_key_record_one_event(api: Api) -> None:
    """Repeats sent while the first runs get its answer, or, beyond the few that may wait, 409
    with Retry-After; sent again, they get the answer; one event is recorded."""
    issue(api)
    api.post(D + "/acknowledgement", Role.DEPARTMENT, {})
    results: list[tuple[int, str | None]] = []
    barrier = threading.Barrier(6)

    def send() -> None:
        barrier.wait()
        response = api.post(
            D + "/progress-reports", Role.DEPARTMENT, {"percent": 30}, **{"Idempotency-Key": "same"}
        )
        results.append((response.status_code, response.headers.get("retry-after")))

    threads = [threading.Thread(target=send) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert {status for status, _ in results} <= {201, 409}
    assert (201, None) in results
    assert all(after == "1" for status, after in results if status == 409)
    again = api.post(
        D + "/progress-reports", Role.DEPARTMENT, {"percent": 30}, **{"Idempotency-Key": "same"}
    )
    assert (again.status_code, again.headers["idempotent-replayed"]) == (201, "true")
    reports = [e for e in api.app.history(REF) if isinstance(e, Directive.ProgressReported)]
    assert len(reports) == 1


def test_the_event_feed_is_ordered_and_for_inspectors_and_admins(api: Api) -> None:
    issue(api)
    page = api.get("/api/events", Role.INSPECTOR, after="0", limit="5").json
    positions = [i["position"] for i in page["items"]]
    assert positions == sorted(positions)
    assert len(positions) == 5
    rest = api.get("/api/events", Role.ADMIN, after=str(page["next_after"]), limit="1000").json
    assert rest["items"][-1]["topic"] == "thucthi:Directive.Issued"
    assert rest["items"][-1]["state"]["reference"] == REF
    assert api.get("/api/events", Role.LEADER).status_code == 403


def test_oversight_endpoints_answer_with_their_log_position(api: Api) -> None:
    issue(api, deadline="2024-03-05")
    summary = api.get("/api/oversight", Role.LEADER, as_of="2024-03-10").json
    assert summary["units"]["SO-CT"]["overdue"] == 1
    assert summary["position"] == api.app.max_notification_id()
    late = api.get("/api/oversight/late", Role.OFFICE, as_of="2024-03-10").json
    assert [(i["reference"], i["days"]) for i in late["items"]] == [(REF, 5)]
    soon = api.get("/api/oversight/due-soon", Role.OFFICE, as_of="2024-03-04", window="3").json
    assert [i["reference"] for i in soon["items"]] == [REF]
    index = api.get("/api/oversight/index", Role.INSPECTOR, as_of="2024-03-10").json
    assert index["units"][0]["unit"] == "SO-CT"
    assert index["units"][0]["grade"]["vi"]
    assert api.get("/api/oversight", Role.LEADER, as_of="not-a-date").status_code == 422
    assert api.get("/api/oversight", Role.LEADER, issued="2024-Q5").status_code == 422
    searched = api.get("/api/directives", Role.LEADER, q="chuyen doi so").json
    assert [i["reference"] for i in searched["items"]] == [REF]
    assert api.get("/api/directives", Role.LEADER, category="overdue").json["items"] == []


def test_lists_are_paged_with_an_opaque_cursor(api: Api) -> None:
    for n in range(105):
        api.app.issue(
            IssueDirective(reference=f"{n}/P", title="t", content="", lead_unit="SO-CT"),
            actor=api.app.get_user("leader.chutich").as_actor(),
            request_id="r",
        )
    api.post("/api/directives/0~P/reminders", Role.OFFICE, {})  # brings the board up to date
    first = api.get("/api/directives", Role.LEADER).json
    assert (len(first["items"]), first["total"]) == (100, 105)
    second = api.get("/api/directives", Role.LEADER, after=first["next"]).json
    assert (len(second["items"]), second["total"]) == (5, 105)
    assert second["next"] is None
    assert api.get("/api/directives", Role.LEADER, after="garbage").status_code == 422


def test_openapi_health_readiness_and_metrics(api: Api) -> None:
    spec = api.client.simulate_get("/api/openapi.json").json
    assert spec["openapi"].startswith("3.1")
    assert "/api/directives/{ref}/progress-reports" in spec["paths"]
    body = spec["paths"]["/api/directives/{ref}/progress-reports"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ReportProgress"
    }
    assert spec["components"]["schemas"]["ReportProgress"]["additionalProperties"] is False
    assert api.client.simulate_get("/healthz").json["status"] == "ok"
    ready = api.client.simulate_get("/readyz")
    assert (ready.status_code, ready.json["status"]) == (200, "ready")
    api.get("/api/units", Role.LEADER)
    metrics = api.client.simulate_get("/metrics").text
    assert 'thucthi_http_requests_total{route="/api/units",method="GET",status="200"} 1' in metrics
    assert "thucthi_projection_lag_events" in metrics


def test_each_request_is_one_json_log_line(api: Api) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JSONLineFormatter())
    logger = logging.getLogger("thucthi.http")
    logger.addHandler(handler)
    try:
        api.client.simulate_get(
            "/api/units", headers=api.headers(Role.LEADER, **{"X-Request-Id": "log-me"})
        )
    finally:
        logger.removeHandler(handler)
    (line,) = [orjson.loads(text) for text in stream.getvalue().splitlines()]
    assert line["request_id"] == "log-me"
    assert line["user"] == "leader.chutich"
    assert line["route"] == "/api/units"
    assert line["status"] == 200
    assert line["duration_ms"] >= 0


def test_the_request_log_written_directly_is_the_line_its_formatter_would_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    logger = logging.getLogger("thucthi.http")
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setattr(observability._direct, "handler", None)
    handled: list[logging.LogRecord] = []

    def handle(record: logging.LogRecord) -> None:
        handled.append(record)
        logging.Logger.handle(logger, record)

    monkeypatch.setattr(logger, "handle", handle)
    ours, theirs = io.StringIO(), io.StringIO()
    observability.configure_logging(ours)
    fields: dict[str, object] = {"request_id": "r-1", "user": None, "at": Role.LEADER}
    observability.log_request(fields)
    assert handled == []  # no LogRecord made
    assert ours.getvalue() == ""  # held back for a batch
    observability.flush_request_log()
    record = logging.LogRecord("thucthi.http", logging.INFO, "", 0, "request", None, None)
    record.fields = fields
    assert ours.getvalue() == JSONLineFormatter().format(record) + "\n"
    assert fields == {"request_id": "r-1", "user": None, "at": Role.LEADER}

    # Once anyone else listens, every line goes through logging to both, after those held back.
    observability.log_request({"request_id": "r-2"})
    other = logging.StreamHandler(theirs)
    other.setFormatter(JSONLineFormatter())
    logger.addHandler(other)
    observability.log_request({"request_id": "r-3"})
    assert len(handled) == 1
    assert [orjson.loads(line)["request_id"] for line in ours.getvalue().splitlines()] == [
        "r-1",
        "r-2",
        "r-3",
    ]
    assert orjson.loads(theirs.getvalue()) == {"request_id": "r-3", "level": "info"}


def test_the_request_log_is_written_within_its_flush_interval_or_once_a_batch_is_full(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    logger = logging.getLogger("thucthi.http")
    monkeypatch.setattr(logger, "handlers", [])
    monkeypatch.setattr(observability._direct, "handler", None)
    stream = io.StringIO()
    observability.configure_logging(stream)
    started = time.monotonic()
    observability.log_request({"request_id": "soon"})
    while not stream.getvalue() and time.monotonic() - started < 5:
        time.sleep(0.01)
    waited = time.monotonic() - started
    assert orjson.loads(stream.getvalue())["request_id"] == "soon"
    assert waited >= observability.FLUSH_SECONDS / 2  # it was held back, not written at once

    stream.seek(0)
    stream.truncate()
    line: dict[str, object] = {"request_id": "x" * 1000}
    for _ in range(observability.BATCH_BYTES // 1000 + 1):
        observability.log_request(line)
    assert len(stream.getvalue()) >= observability.BATCH_BYTES  # without waiting


def test_a_directive_can_be_read_at_a_version_or_a_moment_and_its_history_listed(
    api: Api,
) -> None:
    issue(api)
    api.clock.advance(timedelta(days=2))
    api.sign_in_again()  # tokens last 12 hours, on the application's clock too
    api.post(D + "/acknowledgement", Role.DEPARTMENT, {})
    api.clock.advance(timedelta(days=2))
    api.sign_in_again()
    api.post(D + "/progress-reports", Role.DEPARTMENT, {"percent": 70})
    assert api.get(D, Role.LEADER, version="1").json["status"] == "issued"
    at_version_3 = api.get(D, Role.LEADER, version="3")
    assert at_version_3.json["percent"] == 70
    assert at_version_3.headers["etag"] == '"3"'  # the ETag is always the current version
    on_day_two = api.get(D, Role.LEADER, at="2024-03-06").json  # end of 6 March, city time
    assert (on_day_two["version"], on_day_two["status"]) == (2, "in_progress")
    assert api.get(D, Role.LEADER, version="4").status_code == 404
    assert api.get(D, Role.LEADER, at="yesterday").status_code == 422
    assert api.get(D, Role.LEADER, at="2024-03-01").status_code == 404  # before it was issued
    history = api.get(D + "/history", Role.INSPECTOR).json["items"]
    assert [h["event"] for h in history] == ["Issued", "Acknowledged", "ProgressReported"]
    assert history[2]["vi"] == "Báo cáo tiến độ 70%"
    assert history[1]["actor"] == {"user_id": "so-ct.canbo", "role": "department", "unit": "SO-CT"}
    assert api.get(D + "/history", OUTSIDER[0]).status_code == 404


def test_an_oversight_answer_for_today_is_made_again_when_the_citys_day_turns(api: Api) -> None:
    api.clock.advance(timedelta(hours=14, minutes=59, seconds=59))  # 23:59:59 in the city
    api.sign_in_again()
    assert api.get("/api/oversight", Role.LEADER).json["as_of"] == "2024-03-04"
    api.clock.advance(timedelta(seconds=2))  # nothing recorded since, but a new day
    assert api.get("/api/oversight", Role.LEADER).json["as_of"] == "2024-03-05"


def test_tokens_expire_after_twelve_hours(api: Api) -> None:
    assert api.get("/api/me", Role.LEADER).status_code == 200
    api.clock.advance(timedelta(hours=12, seconds=1))
    assert api.get("/api/me", Role.LEADER).status_code == 401


def test_oversight_answers_are_reused_until_the_log_moves(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[object] = []
    original = SQLiteOversightView.summary

    def counted(self: SQLiteOversightView, *args: object, **kwargs: object) -> object:
        calls.append(args)
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(SQLiteOversightView, "summary", counted)
    issue(api, deadline="2024-03-05")
    first = api.get("/api/oversight", Role.LEADER, as_of="2024-03-10")
    again = api.get("/api/oversight", Role.LEADER, as_of="2024-03-10")
    assert again.content == first.content
    assert len(calls) == 1
    assert api.get("/api/oversight", Role.OFFICE, as_of="2024-03-10").content == first.content
    scoped = api.get("/api/oversight", Role.DEPARTMENT, as_of="2024-03-10").json
    assert set(scoped["units"]) == {"SO-CT"}  # a department's question is its own
    theirs = api.get("/api/oversight", COORDINATOR[0], as_of="2024-03-10").json
    assert set(theirs["units"]) <= {"SO-TC"}  # and another department's is theirs
    assert api.get("/api/oversight", Role.LEADER, as_of="2024-03-1x").status_code == 422
    assert api.get("/api/oversight", Role.LEADER, as_of="2024-03-1x").status_code == 422
    issue(api, "2/UBND-VX", deadline="2024-03-06")
    after = api.get("/api/oversight", Role.LEADER, as_of="2024-03-10").json
    assert after["units"]["SO-CT"]["overdue"] == 2
    assert after["position"] > first.json["position"]
