"""``thucthi serve`` as a user starts it: a real process on a real port, stopped by SIGTERM."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import orjson
import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own local server
        return response.status, response.read()


@pytest.mark.slow
def test_serve_answers_health_and_the_directive_page_then_stops_on_sigterm(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'serve.db'}"
    thucthi = [sys.executable, "-m", "cli.main", "--db", db]
    subprocess.run(
        [*thucthi, "demo", "--directives", "30", "--end", "2024-12-31", "--quiet"], check=True
    )
    port = free_port()
    server = subprocess.Popen(
        [*thucthi, "serve", "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                status, body = get(f"http://127.0.0.1:{port}/healthz")
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.1)
        assert status == 200
        assert orjson.loads(body)["position"] > 30
        status, page = get(f"http://127.0.0.1:{port}/")
        assert status == 200
        assert "Văn bản chỉ đạo" in page.decode()  # the sign-in page, where / sends a stranger
        second = subprocess.run(
            [*thucthi, "serve", "--port", str(port)],
            check=False,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert second.returncode == 1  # not a second server silently sharing the port
        assert f"cannot serve on 127.0.0.1:{port}" in second.stderr
        last = urllib.request.Request(  # answered just before SIGTERM: its log line is held back
            f"http://127.0.0.1:{port}/healthz", headers={"X-Request-Id": "the-last-request"}
        )
        with urllib.request.urlopen(last, timeout=5) as response:  # noqa: S310 - our own server
            assert response.status == 200
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            out, err = server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            out, err = server.communicate()
    assert server.returncode == 0, err.decode()
    assert f"serving on http://127.0.0.1:{port}" in out.decode()
    logged = [orjson.loads(line) for line in err.decode().splitlines() if line.startswith("{")]
    assert "the-last-request" in [line.get("request_id") for line in logged]  # written at exit
