"""HTTP throughput and latency of the real server, against a bare Falcon app on the same setup.

In one run, on a fresh PostgreSQL schema (dropped at the end):
- loads the demo year and rebuilds the read models;
- starts ``thucthi serve`` (2 workers) and a bare granian app (``bench.bare``, same settings);
- load-tests with wrk: ``GET /api/oversight`` as the leader, ``POST .../progress-reports`` as a
  department officer (each records an event and waits for the read models), and ``GET /fixed``
  on the bare app, interleaving the targets round by round;
- prints a JSON document and a Markdown table: requests/s, p50 and p99 latency (medians over the
  rounds) and the ratio to the bare endpoint's requests/s.

wrk runs on the same small, shared machine as the servers and PostgreSQL: read the ratios.

    python -m bench.http [--directives N] [--duration S] [--connections C] [--rounds R]
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson
import psycopg
from psycopg import sql

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
PASSWORD = "thucthi-demo"  # noqa: S105 - the demo accounts' published password
LEADER = "leader.chutich"
DEPARTMENT = "so-ct.canbo"
UNIT = "SO-CT"
PROGRESS_BODY = b'{"percent": 50, "narrative": "bench"}'
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
    """``python -m api.cli --db URL ARGS``; its output, or a BenchError with its stderr."""
    argv = [sys.executable, "-m", "api.cli", "--db", url, *args]
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

    def suspicious(self) -> list[str]:
        """Lines of its output that look like errors."""
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return []
        lines = text.splitlines()
        for number, line in enumerate(lines):
            if line.startswith("Traceback"):
                return lines[number : number + 60]  # the first one whole: where, not just what
        pattern = re.compile(r"error|exception|critical|panic", re.IGNORECASE)
        return [line for line in lines if pattern.search(line)]


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


def post_script(folder: Path, token: str) -> Path:
    """The wrk Lua script for the progress report POST."""
    path = folder / "progress.lua"
    path.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {orjson.dumps(PROGRESS_BODY.decode()).decode()}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Authorization"] = {orjson.dumps("Bearer " + token).decode()}\n'
    )
    return path


# --- the run -------------------------------------------------------------------------------------


def sign_in(base: str, username: str) -> str:
    body = orjson.dumps({"username": username, "password": PASSWORD})
    answer = expect(call("POST", base + "/api/session", body=body), (201,), f"sign in {username}")
    token: str = answer.json()["token"]
    return token


def path_ref(reference: str) -> str:
    return reference.replace("/", "~")


def pick_directive(base: str, token: str) -> str:
    """A directive the department may report progress on, acknowledging one if need be."""
    inbox = expect(
        call("GET", f"{base}/api/units/{UNIT}/inbox", token=token), (200,), f"{UNIT} inbox"
    ).json()["items"]
    for item in inbox:
        if item["owes"] == "report_progress" and item["status"] == "in_progress":
            ref: str = item["reference"]
            note(f"progress reports on {ref} (in progress, owes report_progress)")
            return ref
    for item in inbox:
        if item["owes"] == "acknowledge":
            ref = item["reference"]
            url = f"{base}/api/directives/{path_ref(ref)}/acknowledgement"
            expect(call("POST", url, token=token, body=b"{}"), (200, 201), f"acknowledge {ref}")
            note(f"acknowledged {ref}; progress reports go there")
            return ref
    owes = sorted({str(item["owes"]) for item in inbox})
    raise BenchError(f"{UNIT}'s inbox has nothing to report on or acknowledge (owes: {owes})")


def position(base: str) -> int:
    value: int = expect(call("GET", base + "/healthz"), (200,), "healthz").json()["position"]
    return value


def measure(targets: list[Target], wrk: str, args: argparse.Namespace, real: str) -> dict[str, int]:
    """Warm each target up, then run them round by round; progress events counted by position."""
    for target in targets:
        note(f"warm-up {target.name} ({args.warmup:g} s)")
        target.run(wrk, args, args.warmup)
    events = {"requests_2xx": 0, "position_delta": 0}
    for round_ in range(1, args.rounds + 1):
        for target in targets:
            before = position(real) if target.name.startswith("POST") else 0
            run = target.run(wrk, args, args.duration)
            target.runs.append(run)
            note(
                f"round {round_} {target.name}: {run.requests_per_s:,.0f} req/s, "
                f"p50 {run.p50_ms:.2f} ms, p99 {run.p99_ms:.2f} ms, non-2xx {run.non_2xx}"
            )
            if target.name.startswith("POST"):
                time.sleep(1.0)  # requests still in flight when wrk stopped
                events["position_delta"] += position(real) - before
                events["requests_2xx"] += run.requests - run.non_2xx
    return events


def summarise(targets: list[Target]) -> list[dict[str, Any]]:
    bare = statistics.median(r.requests_per_s for r in targets[0].runs)
    rows = []
    for target in targets:
        rate = statistics.median(r.requests_per_s for r in target.runs)
        rows.append(
            {
                "target": target.name,
                "requests_per_s": round(rate, 1),
                "p50_ms": round(statistics.median(r.p50_ms for r in target.runs), 3),
                "p99_ms": round(statistics.median(r.p99_ms for r in target.runs), 3),
                "ratio_to_bare": round(rate / bare, 4),
                "non_2xx": sum(r.non_2xx for r in target.runs),
                "socket_errors": {
                    k: sum(r.socket_errors.get(k, 0) for r in target.runs)
                    for k in ("connect", "read", "write", "timeout")
                },
                "runs": [asdict(r) for r in target.runs],
            }
        )
    return rows


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| target | requests/s | p50 ms | p99 ms | ratio to bare | non-2xx |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['target']} | {row['requests_per_s']:,.0f} | {row['p50_ms']:.2f} "
            f"| {row['p99_ms']:.2f} | {row['ratio_to_bare']:.4f} | {row['non_2xx']} |"
        )
    return "\n".join(lines)


def error_samples(targets: list[Target], ref_token: tuple[str, str], leader: str) -> list[str]:
    """For a target that had non-2xx answers, one request made by hand, and its answer."""
    samples = []
    for target in targets:
        if sum(r.non_2xx for r in target.runs) == 0:
            continue
        if target.name.startswith("POST"):
            answer = call("POST", target.url, token=ref_token[1], body=PROGRESS_BODY)
        elif target.headers:
            answer = call("GET", target.url, token=leader)
        else:
            answer = call("GET", target.url)
        text = answer.body.decode(errors="replace")[:1000]
        samples.append(f"{target.name} -> {answer.status}: {text}")
    return samples


def benchmark(args: argparse.Namespace, url: str, folder: Path, servers: list[Server]) -> None:
    env = {**os.environ, "THUCTHI_DATABASE_URL": url}
    note(f"loading the demo year ({args.directives} directives)")
    started = time.perf_counter()
    demo = run_cli(url, env, "demo", "--directives", str(args.directives), "--quiet")
    note(f"demo loaded in {time.perf_counter() - started:.0f} s")
    note(run_cli(url, env, "projections", "rebuild").strip())

    port = free_port()
    real = Server(
        "thucthi serve",
        [
            sys.executable,
            "-m",
            "api.cli",
            "--db",
            url,
            "serve",
            "--port",
            str(port),
            "--workers",
            "2",
        ],
        env,
        port,
        folder / "serve.log",
    )
    servers.append(real)
    real.start("/healthz")
    leader = sign_in(real.base, LEADER)
    department = sign_in(real.base, DEPARTMENT)
    ref = pick_directive(real.base, department)
    oversight = expect(call("GET", real.base + "/api/oversight", token=leader), (200,), "oversight")
    probe_url = f"{real.base}/api/directives/{path_ref(ref)}/progress-reports"
    expect(call("POST", probe_url, token=department, body=PROGRESS_BODY), (200, 201), "progress")

    port2 = free_port()
    bare = Server(
        "bare granian",
        [
            sys.executable,
            "-m",
            "granian",
            "--interface",
            "wsgi",
            "--workers",
            "2",
            "--blocking-threads",
            "1",
            "--factory",
            "--port",
            str(port2),
            "bench.bare:build",
        ],
        {**env, "BENCH_BARE_BYTES": str(len(oversight.body)), "PYTHONPATH": str(ROOT)},
        port2,
        folder / "bare.log",
    )
    servers.append(bare)
    bare.start("/fixed")
    fixed = expect(call("GET", bare.base + "/fixed"), (200,), "bare /fixed")

    targets = [
        Target("GET /fixed (bare)", bare.base + "/fixed"),
        Target(
            "GET /api/oversight",
            real.base + "/api/oversight",
            headers=[f"Authorization: Bearer {leader}"],
        ),
        Target("POST progress-reports", probe_url, script=post_script(folder, department)),
    ]
    events = measure(targets, args.wrk, args, real.base)
    rows = summarise(targets)
    report = {
        "setup": {
            "directives": args.directives,
            "duration_s": args.duration,
            "connections": args.connections,
            "rounds": args.rounds,
            "wrk": f"wrk -t2 -c{args.connections} -d{args.duration:g}s --latency "
            f"--timeout {args.timeout:g}s",
            "servers": "granian WSGI, 2 workers, 1 blocking thread each",
            "machine": f"{os.cpu_count()} cores shared by wrk, both servers and PostgreSQL",
            "statistic": f"median over {args.rounds} rounds, targets interleaved",
            "oversight_bytes": len(oversight.body),
            "bare_bytes": len(fixed.body),
            "progress_directive": ref,
            "demo_output": demo.strip().splitlines()[-12:],
        },
        "results": rows,
        "progress_events": events,
        "error_samples": error_samples(targets, (ref, department), leader),
    }
    sys.stdout.write(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() + "\n\n")
    sys.stdout.write(markdown(rows) + "\n\n")
    sys.stdout.write(
        f"Medians of {args.rounds} rounds of {args.duration:g} s, {args.connections} connections. "
        f"wrk shares the machine's {os.cpu_count()} cores with both servers and PostgreSQL.\n"
        f"POST runs: {events['requests_2xx']} 2xx answers counted by wrk, "
        f"{events['position_delta']} events recorded (healthz position delta).\n"
        f"Non-2xx answers: "
        + ", ".join(f"{row['target']}: {row['non_2xx']}" for row in rows)
        + "\n"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--directives", type=int, default=2_000)
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per wrk run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3, help="runs per target (median)")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds, per target")
    parser.add_argument("--timeout", type=float, default=10.0, help="wrk's request timeout, s")
    parser.add_argument("--postgres", default=POSTGRES)
    parser.add_argument("--logs", type=Path, help="copy the servers' output to this folder")
    args = parser.parse_args()
    args.wrk = shutil.which("wrk")
    if args.wrk is None:
        sys.stderr.write("wrk is not installed: apt-get update && apt-get install -y wrk\n")
        return 2
    schema = f"bench_http_{secrets.token_hex(6)}"
    url = f"{args.postgres}?schema={schema}"
    servers: list[Server] = []
    status = 0
    with tempfile.TemporaryDirectory(prefix="bench-http-") as folder:
        try:
            with psycopg.connect(args.postgres, autocommit=True) as conn:
                conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
            note(f"schema {schema}")
            benchmark(args, url, Path(folder), servers)
        except BenchError as e:
            sys.stderr.write(f"bench.http failed: {e}\n")
            status = 1
        finally:
            for server in reversed(servers):
                note(f"{server.name} {server.stop()}")
                for line in server.suspicious()[:60]:
                    note(f"{server.name} output: {line}")
                if args.logs is not None:
                    args.logs.mkdir(parents=True, exist_ok=True)
                    shutil.copy(server.log, args.logs / server.log.name)
            try:
                with psycopg.connect(args.postgres, autocommit=True) as conn:
                    drop = sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE")
                    conn.execute(drop.format(sql.Identifier(schema)))
                note(f"dropped schema {schema}")
            except psycopg.Error as e:
                sys.stderr.write(f"could not drop schema {schema}: {e}\n")
                status = status or 1
    return status


if __name__ == "__main__":
    sys.exit(main())
