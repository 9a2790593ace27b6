"""HTTP helpers of the benchmarks: a client, server subprocesses, and wrk's runs and output.

Used by ``bench.run`` (``python -m bench``: the load tests against bare endpoints) and
``bench.pages``. wrk runs on the same small, shared machine as the servers and PostgreSQL.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from cli.demo_users import DEMO_PASSWORD

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
PASSWORD = DEMO_PASSWORD
ROOT = Path(__file__).resolve().parent.parent
UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


class BenchError(Exception):
    """A step failed; the message says which and why."""


def note(text: str) -> None:
    """Progress, on stderr so stdout stays the report."""
    sys.stderr.write(f"[bench.http] {text}\n")
    sys.stderr.flush()


# --- HTTP client ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        return orjson.loads(self.body)


def call(method: str, url: str, *, token: str | None = None, body: bytes | None = None) -> Answer:
    """One request; an HTTP error status is an answer, not an exception."""
    headers = {"Accept": "application/json"}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=body, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return Answer(response.status, response.read())
    except urllib.error.HTTPError as e:
        return Answer(e.code, e.read())


def expect(answer: Answer, statuses: Sequence[int], what: str) -> Answer:
    if answer.status not in statuses:
        text = answer.body.decode(errors="replace")[:2000]
        raise BenchError(f"{what}: answered {answer.status}, expected {statuses}: {text}")
    return answer


# --- processes -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def run_cli(url: str, env: dict[str, str], *args: str) -> str:
    """``python -m cli.main --db URL ARGS``; its output, or a BenchError with its stderr."""
    argv = [sys.executable, "-m", "cli.main", "--db", url, *args]
    try:
        done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
            argv, check=True, capture_output=True, text=True, env=env, cwd=ROOT
        )
    except subprocess.CalledProcessError as e:
        raise BenchError(
            f"{' '.join(args)} failed with exit status {e.returncode}:\n{e.stderr[-4000:]}"
        ) from e
    return done.stdout


@dataclass
class Server:
    """A server subprocess in a session of its own, its output in a log file."""

    name: str
    argv: list[str]
    env: dict[str, str]
    port: int
    log: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, ready_path: str, timeout: float = 30.0) -> None:
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                self.argv,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self.env,
                cwd=ROOT,
                start_new_session=True,
            )
        deadline = time.monotonic() + timeout
        last = "no answer yet"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(
                    f"{self.name} exited with status {self.process.returncode} before answering "
                    f"{ready_path}:\n{self.tail()}"
                )
            try:
                answer = call("GET", self.base + ready_path)
            except OSError as e:
                last = str(e)
            else:
                if answer.status == 200:
                    note(f"{self.name} ready on port {self.port}")
                    return
                last = f"status {answer.status}"
            time.sleep(0.25)
        raise BenchError(
            f"{self.name} did not answer 200 on {ready_path} in {timeout:.0f} s ({last}):\n"
            f"{self.tail()}"
        )

    def stop(self) -> str:
        """SIGTERM, up to 10 s to exit, then SIGKILL to its process group; how it ended."""
        process = self.process
        if process is None:
            return "not started"
        if process.poll() is not None:
            return f"had already exited with status {process.returncode}"
        process.send_signal(signal.SIGTERM)
        try:
            return f"exited with status {process.wait(timeout=10)} after SIGTERM"
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            return f"killed after 10 s: status {process.wait(timeout=10)}"

    def tail(self, lines: int = 40) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def suspicious(self, most: int = 200) -> list[str]:
        """Lines of its output that look like errors (``most`` of them), read a line at a time:
        under wrk a server's request log runs to gigabytes."""
        pattern = re.compile(r"error|exception|critical|panic", re.IGNORECASE)
        found: list[str] = []
        try:
            with self.log.open(errors="replace") as log:
                for line in log:
                    if line.startswith("Traceback"):
                        # The first one whole: where, not just what.
                        return [line.rstrip("\n"), *(next(log, "").rstrip("\n") for _ in range(59))]
                    if len(found) < most and pattern.search(line) and not is_request_line(line):
                        found.append(line.rstrip("\n"))
        except OSError:
            return []
        return found

    def keep_log(self, folder: Path) -> Path:
        """Its output in ``folder``, without the request log's lines of answered requests
        (millions under wrk), which a line at the end counts; where it was written."""
        folder.mkdir(parents=True, exist_ok=True)
        kept = folder / self.log.name
        left_out = 0
        with self.log.open(errors="replace") as log, kept.open("w") as out:
            for line in log:
                if is_request_line(line):
                    left_out += 1
                else:
                    out.write(line)
            out.write(f"({left_out:,} request lines of answered requests left out)\n")
        return kept


_REQUEST_LINE = re.compile(r'^\{"request_id":.*"status":[1-4][0-9][0-9],"duration_ms":')


def is_request_line(line: str) -> bool:
    """A line of the request log for a request answered without a server error."""
    return _REQUEST_LINE.match(line) is not None


# --- wrk -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WrkRun:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: dict[str, int] = field(default_factory=dict)


def to_ms(text: str) -> float:
    match = re.fullmatch(r"([0-9.]+)(us|ms|s|m)", text)
    if match is None:
        raise BenchError(f"unreadable wrk latency {text!r}")
    return float(match[1]) * UNITS_MS[match[2]]


def parse_wrk(output: str) -> WrkRun:
    rate = re.search(r"^Requests/sec:\s+([0-9.]+)", output, re.MULTILINE)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.MULTILINE)
    total = re.search(r"^\s+(\d+) requests in", output, re.MULTILINE)
    if rate is None or p50 is None or p99 is None or total is None:
        raise BenchError(f"could not read wrk's output:\n{output}")
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    socket_errors = {}
    if errors is not None:
        kinds = ("connect", "read", "write", "timeout")
        socket_errors = {k: int(v) for k, v in zip(kinds, errors.groups(), strict=True)}
    return WrkRun(
        requests_per_s=float(rate[1]),
        p50_ms=to_ms(p50[1]),
        p99_ms=to_ms(p99[1]),
        requests=int(total[1]),
        non_2xx=int(non_2xx[1]) if non_2xx else 0,
        socket_errors=socket_errors,
    )


@dataclass
class Target:
    name: str
    url: str
    headers: list[str] = field(default_factory=list)
    script: Path | None = None
    runs: list[WrkRun] = field(default_factory=list)

    def wrk_argv(self, wrk: str, args: argparse.Namespace, duration: float) -> list[str]:
        argv = [wrk, "-t2", f"-c{args.connections}", f"-d{duration:g}s", "--latency"]
        argv += ["--timeout", f"{args.timeout:g}s"]
        for header in self.headers:
            argv += ["-H", header]
        if self.script is not None:
            argv += ["-s", str(self.script)]
        return [*argv, self.url]

    def run(self, wrk: str, args: argparse.Namespace, duration: float) -> WrkRun:
        argv = self.wrk_argv(wrk, args, duration)
        done = subprocess.run(  # noqa: S603 - wrk, found on PATH, with our arguments
            argv, capture_output=True, text=True, check=False, timeout=duration + 60
        )
        if done.returncode != 0:
            raise BenchError(f"wrk failed ({done.returncode}) on {self.name}:\n{done.stderr}")
        return parse_wrk(done.stdout)


# --- signing in ----------------------------------------------------------------------------------


def sign_in(base: str, username: str) -> str:
    body = orjson.dumps({"username": username, "password": PASSWORD})
    answer = expect(call("POST", base + "/api/session", body=body), (201,), f"sign in {username}")
    token: str = answer.json()["token"]
    return token


def path_ref(reference: str) -> str:
    return reference.replace("/", "~")
