"""``thucthi serve`` as a real process on PostgreSQL (granian, two workers), driven over HTTP:
sign in, issue, acknowledge, report progress with an idempotency key (repeated), read the
oversight, and stop on SIGTERM."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from typing import Any

import orjson
import pytest

PASSWORD = "thucthi-demo"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def http(
    method: str, url: str, body: object = None, token: str | None = None, **headers: str
) -> tuple[int, dict[str, str], Any]:
    data = None if body is None else orjson.dumps(body)
    request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - local server
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    for name, value in headers.items():
        request.add_header(name.replace("_", "-"), value)
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310 - local server
            raw = response.read()
            return (
                response.status,
                {k.lower(): v for k, v in response.headers.items()},
                orjson.loads(raw) if raw else None,
            )
    except urllib.error.HTTPError as error:
        raw = error.read()
        return (
            error.code,
            {k.lower(): v for k, v in error.headers.items()},
            orjson.loads(raw) if raw else None,
        )


@pytest.mark.postgres
@pytest.mark.slow
def test_the_served_api_on_postgresql_does_a_directives_work(postgres_url: str) -> None:
    thucthi = [sys.executable, "-m", "cli.main", "--db", postgres_url]
    subprocess.run(
        [*thucthi, "demo", "--directives", "20", "--end", "2024-12-31", "--quiet"],
        check=True, capture_output=True,
    )  # fmt: skip
    port = free_port()
    server = subprocess.Popen(
        [*thucthi, "serve", "--port", str(port), "--workers", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if http("GET", base + "/readyz")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, server.communicate()[1].decode()
            assert time.monotonic() < deadline, "the server did not become ready"
            time.sleep(0.2)

        status, _, signed = http(
            "POST", base + "/api/session", {"username": "leader.chutich", "password": PASSWORD}
        )
        assert status == 201
        leader = signed["token"]
        officer = http(
            "POST", base + "/api/session", {"username": "so-ct.canbo", "password": PASSWORD}
        )[2]["token"]

        directive = {
            "reference": "9001/UBND-E2E",
            "title": "Kiểm thử đầu cuối",
            "lead_unit": "SO-CT",
            "deadline": "2099-01-01",
        }
        status, headers, created = http("POST", base + "/api/directives", directive, leader)
        assert status == 201, created
        assert headers["location"] == f"/api/directives/{created['id']}"
        d = base + "/api/directives/9001~UBND-E2E"
        assert http("POST", d + "/acknowledgement", {}, officer)[0] == 200
        first = http(
            "POST", d + "/progress-reports", {"percent": 60}, officer, Idempotency_Key="e2e-1"
        )
        again = http(
            "POST", d + "/progress-reports", {"percent": 60}, officer, Idempotency_Key="e2e-1"
        )
        assert (first[0], again[0]) == (201, 201)
        assert again[1].get("idempotent-replayed") == "true"
        assert again[2]["version"] == first[2]["version"] == 3

        inbox = http("GET", base + "/api/units/SO-CT/inbox", token=officer)[2]
        assert "9001/UBND-E2E" in [i["reference"] for i in inbox["items"]]
        summary = http("GET", base + "/api/oversight", token=leader)[2]
        assert summary["units"]["SO-CT"]["in_progress"] >= 1
        assert http("GET", base + "/api/oversight", token=officer)[2]["units"].keys() <= {"SO-CT"}
        assert http("GET", base + "/api/events?limit=5", token=leader)[0] == 403
        status, _, problem = http("POST", d + "/progress-reports", {"percent": 600}, officer)
        assert (status, problem["type"]) == (422, "urn:thucthi:problem:invalid-fields")
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            _, err = server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            _, err = server.communicate()
    assert server.returncode == 0, err.decode()[-2000:]
