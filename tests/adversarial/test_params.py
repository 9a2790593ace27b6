"""Bad parameters are refused, naming the parameter, never answered with a server error.

The six 500s an attacker found (issue 22, item 8) on SQLite and PostgreSQL, the parser's rules
for any text (hypothesis), and request bodies sent in chunks, without Content-Length, through the
Falcon test client and to a real ``thucthi serve``.
"""

from __future__ import annotations

import http.client
import io
import re
import signal
import subprocess
import sys
import time
from collections.abc import Generator, Iterator
from datetime import UTC, date, timedelta
from pathlib import Path
from typing import Any

import falcon.testing
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import cli.main
from api import params
from api.params import FIRST_DAY, LAST_DAY, POSITION_MAX, QUERY, ParameterError
from api.web import formats
from domain.shared.actors import Role
from domain.shared.clock import end_of_city_day
from tests.api.conftest import PASSWORD, USERS, Api, make_api
from tests.api.test_pages import visitor
from tests.e2e.test_serve import free_port
from tests.postgres import fresh_schema, require_server

REF = "1/UBND-TT"
API_ROOT = Path(__file__).parents[2] / "api"


def api_on(backend: str, folder: Path) -> Generator[Api, None, None]:
    """The API on a fresh SQLite database or a fresh PostgreSQL schema, with one directive that
    has an open explanation request; closed after."""
    if backend == "sqlite":
        built, app = make_api(f"sqlite:///{folder / 'params.db'}")
        try:
            yield with_a_directive(built)
        finally:
            app.close()
        return
    with fresh_schema(require_server()) as url:
        built, app = make_api(url)
        try:
            yield with_a_directive(built)
        finally:
            app.close()


@pytest.fixture(params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    """The API, with its directive, on each backend, fresh for a test that writes."""
    yield from api_on(request.param, tmp_path)


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def refusing(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Api]:
    """The same API, with its directive, shared on each backend by the tests whose requests are
    all reads or refusals: they write nothing, so each finds it as a fresh one would be, and
    building it once per backend instead of once per test saves most of their time. That they
    wrote nothing is checked once they have all run: the log ends where it ended before them."""
    worlds = api_on(request.param, tmp_path_factory.mktemp("params"))
    built = next(worlds)
    try:
        head = built.app.max_notification_id()
        yield built
        assert built.app.max_notification_id() == head, "a read or a refused request wrote"
    finally:
        worlds.close()


def with_a_directive(api: Api) -> Api:
    body = {"reference": REF, "title": "Kiểm tra", "lead_unit": "SO-CT", "deadline": "2024-06-30"}
    assert api.post("/api/directives", Role.LEADER, body).status_code == 201
    path = "/api/directives/" + REF.replace("/", "~")
    assert api.post(path + "/acknowledgement", Role.DEPARTMENT).status_code == 200
    asked = api.post(path + "/explanation-requests", Role.LEADER, {"question": "Vì sao?"})
    assert asked.status_code == 201, asked.text
    return api


def refused(result: falcon.testing.Result, name: str) -> None:
    """A 422 problem document that names the parameter ``name``."""
    assert result.status_code == 422, (result.status_code, result.text)
    assert result.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in result.json["errors"]] == [name]


# --- the six 500s ------------------------------------------------------------------------------


@pytest.mark.parametrize("digits", ["²", "٣", "¹²", "۱", "𝟙"])
def test_a_position_in_unicode_digits_is_refused_naming_it(refusing: Api, digits: str) -> None:
    """``?position=²`` passed ``isdigit()`` and then failed ``int()``: it is refused now."""
    refused(refusing.get("/api/oversight", Role.LEADER, position=digits), "position")
    refused(refusing.get("/api/audit/proof/inclusion", Role.INSPECTOR, position=digits), "position")


@pytest.mark.parametrize("text", ["\x00", "a\x00b", "\x1b[31m", "x\ny", "\x7f", "\x85"])
def test_a_control_character_in_a_text_parameter_is_refused_naming_it(
    refusing: Api, text: str
) -> None:
    """``?unit=%00`` reached PostgreSQL, which cannot hold NUL in text, and answered 500."""
    refused(refusing.get("/api/oversight", Role.LEADER, unit=text), "unit")
    refused(refusing.get("/api/directives", Role.LEADER, unit=text), "unit")
    refused(refusing.get("/api/audit", Role.INSPECTOR, actor=text), "actor")
    refused(refusing.get("/api/oversight/late", Role.LEADER, issuer=text), "issuer")


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "3000-01-01", "1899-12-31"])
def test_an_as_of_day_past_the_supported_calendar_is_refused(refusing: Api, day: str) -> None:
    """``/api/oversight?as_of=9999-12-31`` overflowed computing the end of that day."""
    for path in ("/api/oversight", "/api/oversight/late", "/api/oversight/due-soon"):
        refused(refusing.get(path, Role.LEADER, as_of=day), "as_of")
    refused(refusing.get("/api/units/SO-CT/why-late", Role.LEADER, as_of=day), "as_of")


def test_the_trail_refuses_days_at_the_ends_of_the_calendar(refusing: Api) -> None:
    """``/api/audit?from=0001-01-01`` and ``to=9999-12-31`` overflowed turning them into moments."""
    refused(refusing.get("/api/audit", Role.INSPECTOR, **{"from": "0001-01-01"}), "from")
    refused(refusing.get("/api/audit", Role.INSPECTOR, to="9999-12-31"), "to")
    refused(refusing.get("/api/audit", Role.INSPECTOR, to="0001-01-01T00:00:00+07:00"), "to")
    path = "/api/directives/" + REF.replace("/", "~")
    refused(refusing.get(path, Role.LEADER, at="0001-01-01T00:00:00+07:00"), "at")
    refused(refusing.get(path, Role.LEADER, at="9999-12-31T23:59:59-12:00"), "at")
    assert refusing.get("/api/audit", Role.INSPECTOR, to="2999-12-31").status_code == 200


@pytest.mark.parametrize("n", ["abc", "²", "٣", "0", "-1", "1.0", "99999999999999999999999"])
def test_a_request_number_in_a_path_that_is_not_a_whole_number_is_refused(api: Api, n: str) -> None:
    """A non-integer explanation number in a path failed ``int()``: it is refused, named."""
    path = "/api/directives/" + REF.replace("/", "~")
    answer = api.post(f"{path}/explanation-requests/{n}/answer", Role.DEPARTMENT, {"answer": "Vì"})
    refused(answer, "n")
    decision = api.post(
        f"{path}/extension-requests/{n}/decision",
        Role.LEADER,
        {"decision": "deny", "note": "Không"},
    )
    refused(decision, "n")
    answered = api.post(f"{path}/explanation-requests/1/answer", Role.DEPARTMENT, {"answer": "Vì"})
    assert answered.status_code == 200, answered.text


def test_the_inspector_page_refuses_a_position_past_64_bits_in_words(api: Api) -> None:
    """``/inspector?after=9223372036854775808`` overflowed SQLite's integers: the page now says
    what the parameter must be, in Vietnamese and in English."""
    inspector = visitor(api, USERS[Role.INSPECTOR][0])
    for after in ("9223372036854775808", "²", "-1"):
        page = inspector.get(f"/inspector?after={after}")
        assert page.status_code == 422, page.text
        assert page.headers["content-type"].startswith("text/html")
        assert "Một số nguyên từ 0 đến" in page.text
        assert "after" in page.text
        english = inspector.get(f"/inspector?after={after}&lang=en")
        assert english.status_code == 422
        assert "A whole number from 0 to" in english.text
    assert inspector.get(f"/inspector?after={POSITION_MAX}").status_code == 200


def test_a_page_refuses_a_day_past_the_calendar_in_words(api: Api) -> None:
    """The dashboard's as-of day, like the API's, is refused with what it must be."""
    leader = visitor(api, USERS[Role.LEADER][0])
    page = leader.get("/dashboard?as_of=9999-12-31")
    assert page.status_code == 422
    assert "Một ngày dạng YYYY-MM-DD, từ 1900-01-01 đến 2999-12-31" in page.text
    english = leader.get("/dashboard?as_of=9999-12-31&lang=en")
    assert "A day written YYYY-MM-DD, from 1900-01-01 to 2999-12-31" in english.text


@pytest.mark.parametrize("key", ["\x00", "k\x00", "\x1b", "k" * 256])
def test_an_idempotency_key_that_cannot_be_kept_is_refused_naming_it(
    refusing: Api, key: str
) -> None:
    """A key is stored as given, and PostgreSQL's text cannot hold NUL: it answered 500."""
    body = {"reference": "2/UBND-TT", "title": "Kiểm tra", "lead_unit": "SO-CT"}
    result = refusing.post("/api/directives", Role.LEADER, body, **{"Idempotency-Key": key})
    assert result.status_code == 422, result.text
    assert result.json["type"] == "urn:thucthi:problem:invalid-idempotency-key"
    assert [e["field"] for e in result.json["errors"]] == ["Idempotency-Key"]


def test_a_parameter_given_twice_is_refused(refusing: Api) -> None:
    """Which of two values counts is not left to chance: a parameter is given once."""
    twice = refusing.client.simulate_get(
        "/api/oversight",
        query_string="as_of=2024-03-01&as_of=2024-03-02",
        headers=refusing.headers(Role.LEADER),
    )
    refused(twice, "as_of")


def test_a_directive_due_on_the_last_day_of_the_calendar_still_shows_its_page(api: Api) -> None:
    """A deadline of 9999-12-31, which the API takes and an older log may hold, has no next
    midnight: the directive's page drew its chart to it and overflowed."""
    body = {"reference": "9/UBND-TT", "title": "Mãi mãi", "lead_unit": "SO-CT"}
    issued = api.post("/api/directives", Role.LEADER, {**body, "deadline": "9999-12-31"})
    assert issued.status_code == 201, issued.text
    leader = visitor(api, USERS[Role.LEADER][0])
    page = leader.get("/directives/9~UBND-TT")
    assert page.status_code == 200
    assert formats.day(date(9999, 12, 31), "vi") in page.text  # 31/12/9999, as the page writes days


@pytest.mark.parametrize(
    "argv",
    [
        ["oversight", "--as-of", "9999-12-31"],
        ["oversight", "--position", "²"],
        ["oversight", "--position", "9223372036854775808"],
        ["show", REF, "--at", "0001-01-01T00:00:00+07:00"],
        ["show", REF, "--version", "٣"],
    ],
)
def test_the_command_line_reads_its_arguments_with_the_same_parser(
    tmp_path: Path, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """``thucthi oversight --as-of 9999-12-31`` overflowed with a traceback: it is a usage error
    now, saying in both languages what the argument must be."""
    with pytest.raises(SystemExit) as exited:
        cli.main.main(["--db", f"sqlite:///{tmp_path / 'cli.db'}", *argv])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert " / " in err  # Vietnamese, then English


# --- the parser, for any text ------------------------------------------------------------------

SPECS = sorted({spec for specs in QUERY.values() for spec in specs}, key=repr)


@settings(max_examples=400, deadline=None)
@given(spec=st.sampled_from(SPECS), text=st.text())
def test_any_text_for_any_parameter_is_a_value_or_a_parameter_error(
    spec: params.Param[Any], text: str
) -> None:
    """Whatever is given, the parser answers with a value or ParameterError, nothing else."""
    refusal: ParameterError | None = None
    try:
        spec.value_in({spec.name: text})
    except ParameterError as e:
        refusal = e
    if refusal is not None:
        assert refusal.name == spec.name
        assert refusal.describe("vi")
        assert refusal.describe("en")


@given(text=st.text(st.characters(categories=["Nd", "No"]), min_size=1, max_size=6))
def test_only_the_ascii_digits_make_a_number(text: str) -> None:
    """Unicode digits and other numerals are refused; the digits 0-9 are read."""
    spec = params.Integer("n", 0, POSITION_MAX)
    if re.fullmatch("[0-9]+", text):
        assert spec.parse(text) == int(text)
    else:
        with pytest.raises(ParameterError):
            spec.parse(text)


@given(number=st.integers(min_value=-(2**70), max_value=2**70))
def test_an_integer_is_read_within_its_range_only(number: int) -> None:
    """A number inside the range is read as itself, any other refused, 2**63 among them."""
    spec = params.Integer("after", 0, POSITION_MAX)
    if 0 <= number <= POSITION_MAX:
        assert spec.parse(str(number)) == number
    else:
        with pytest.raises(ParameterError):
            spec.parse(str(number))


@given(day=st.dates())
def test_a_day_read_leaves_room_for_the_arithmetic_after_it(day: date) -> None:
    """A day is read only within the supported calendar, where its end, the next day and a
    year's window after it can always be computed, as moments and in every time zone."""
    for spec in (params.Day("as_of"), params.Moment("from", day="start"), params.Moment("to")):
        try:
            spec.parse(day.isoformat())
        except ParameterError:
            assert not FIRST_DAY <= day <= LAST_DAY
            continue
        assert FIRST_DAY <= day <= LAST_DAY
        end_of_city_day(day + timedelta(days=366)).astimezone(UTC)
        end_of_city_day(day - timedelta(days=366)).astimezone(UTC)


def test_no_other_module_reads_a_parameter() -> None:
    """The API and the pages read their parameters through api.params only."""
    readers = [
        f"{path.relative_to(API_ROOT)}:{number}"
        for path in sorted(API_ROOT.rglob("*.py"))
        if path.name != "params.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if re.search(r"get_param\(|\.isdigit\(\)|_date_param|_int_param", line)
        and "notice.payload" not in line  # a notification from our own database, not a request
    ]
    assert readers == []


# --- chunked bodies ----------------------------------------------------------------------------


def chunked_post(api: Api, path: str, body: bytes, **headers: str) -> falcon.testing.Result:
    """A POST with its body in chunks: no Content-Length, and an input the server ends."""
    return api.client.simulate_request(
        "POST",
        path,
        headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked", **headers},
        extras={"wsgi.input": io.BytesIO(body), "wsgi.input_terminated": True},
    )


def test_a_chunked_body_is_read_through_the_test_client(api: Api) -> None:
    """A body sent without Content-Length signs in and reports progress, as with one."""
    signed = chunked_post(
        api, "/api/session", orjson.dumps({"username": "so-ct.canbo", "password": PASSWORD})
    )
    assert signed.status_code == 201, signed.text
    path = "/api/directives/" + REF.replace("/", "~") + "/progress-reports"
    body = orjson.dumps({"percent": 40, "narrative": "Đang làm"})
    reported = chunked_post(api, path, body, Authorization=f"Bearer {signed.json['token']}")
    assert reported.status_code == 201, reported.text
    assert reported.json["percent"] == 40
    too_big = chunked_post(api, "/api/session", b" " * (1024 * 1024 + 1))
    assert too_big.status_code == 413


def test_a_chunked_body_the_server_does_not_end_is_refused_not_dropped(refusing: Api) -> None:
    """Without the server's word that the input ends with the body, it is not read blindly."""
    result = refusing.client.simulate_request(
        "POST",
        "/api/session",
        headers={"Content-Type": "application/json", "Transfer-Encoding": "chunked"},
        extras={"wsgi.input": io.BytesIO(b'{"username": "admin", "password": "x"}')},
    )
    assert result.status_code == 411
    assert result.json["type"] == "urn:thucthi:problem:length-required"


@pytest.mark.slow
def test_a_chunked_body_is_read_by_a_real_server(tmp_path: Path) -> None:
    """``thucthi serve`` (granian) reads a body sent in chunks, as curl or a proxy would send it."""
    db = f"sqlite:///{tmp_path / 'chunked.db'}"
    thucthi = [sys.executable, "-m", "cli.main", "--db", db]
    made = subprocess.run(
        [*thucthi, "user", "add", "chunky", "--role", "leader"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    password = re.findall(r"\S+", made.stdout)[-1]
    port = free_port()
    server = subprocess.Popen(
        [*thucthi, "serve", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                status, _ = post_in_chunks(port, "/healthz", [])
                break
            except OSError:
                assert server.poll() is None, server.communicate()[1].decode()
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        body = orjson.dumps({"username": "chunky", "password": password})
        status, answer = post_in_chunks(port, "/api/session", [body[:7], body[7:20], body[20:]])
        assert status == 201, answer
        assert orjson.loads(answer)["user"]["username"] == "chunky"
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.communicate()


def post_in_chunks(port: int, path: str, chunks: list[bytes]) -> tuple[int, bytes]:
    """POST ``chunks`` with Transfer-Encoding: chunked and no Content-Length."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(
            "POST",
            path,
            body=iter(chunks),
            headers={"Content-Type": "application/json"},
            encode_chunked=True,
        )
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()
