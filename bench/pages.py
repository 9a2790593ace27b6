"""How fast the web pages load on the demo year, in the browser officials use (Chromium).

In one run, on a fresh database (SQLite by default, as ``make run``; ``--backend postgres`` for a
fresh PostgreSQL schema, dropped at the end):
- loads the demo year, rebuilds the read models and signs a checkpoint;
- starts ``thucthi serve`` (2 workers) and signs in, in Debian's headless Chromium, as the role
  each page is for;
- loads every page ``--repeat`` times and reads the browser's navigation timing: the time to the
  last byte of the page (the server's work and the transfer) and to the ``load`` event (every
  stylesheet, script and chart drawn);
- prints a JSON document and a Markdown table of medians, with the sign-in page (no data) as the
  baseline measured in the same run.

Chromium, the server and the database share the machine's cores: read medians, not single loads.

    python -m bench.pages [--directives N] [--repeat R] [--backend sqlite|postgres]
"""

from __future__ import annotations

import argparse
import os
import platform
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
import psycopg
from playwright.sync_api import Page, sync_playwright
from psycopg import sql

from bench.http import PASSWORD, POSTGRES, BenchError, Server, free_port, run_cli

CHROMIUM = "/usr/bin/chromium"
# Quiet, deterministic headless Chromium: no sandbox (root in a container), no GPU, no calls home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMING = """() => {
  const n = performance.getEntriesByType("navigation")[0];
  return {last_byte: n.responseEnd - n.startTime, load: n.loadEventEnd - n.startTime,
          bytes: n.encodedBodySize};
}"""


def note(text: str) -> None:
    """Progress, on stderr so stdout stays the report."""
    sys.stderr.write(f"[bench.pages] {text}\n")
    sys.stderr.flush()


def load(page: Page, path: str) -> dict[str, float]:
    response = page.goto(path, wait_until="load")
    if response is None or response.status != 200:
        status = None if response is None else response.status
        raise BenchError(f"{path} answered {status}")
    timing: dict[str, float] = page.evaluate(TIMING)
    return timing


def sign_in(page: Page, username: str) -> None:
    page.goto("/sign-in")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    with page.expect_navigation():
        page.click("#sign-in button[type=submit]")


def measure(base: str, reference: str, repeat: int) -> list[dict[str, Any]]:
    """Median timings per page, each page loaded by the role it is for."""
    ref = reference.replace("/", "~")
    plan = [
        ("sign-in (baseline, no data)", None, "/sign-in"),
        ("dashboard, today", "leader.chutich", "/dashboard"),
        ("dashboard, as of 200 days ago", "leader.chutich", "/dashboard?as_of={past}"),
        ("directive list", "leader.chutich", "/directives"),
        ("search 'cho truyen thong'", "leader.chutich", "/directives?q=cho+truyen+thong"),
        ("directive page", "leader.chutich", f"/directives/{ref}"),
        ("unit inbox (SO-CT)", "so-ct.canbo", "/units/SO-CT"),
        ("inspector", "thanhtra", "/inspector"),
        ("version slider", "thanhtra", f"/inspector/directives/{ref}?version=2"),
    ]
    past = time.strftime("%Y-%m-%d", time.localtime(time.time() - 200 * 86400))
    rows: list[dict[str, Any]] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            contexts: dict[str | None, Page] = {}
            for name, user, path in plan:
                if user not in contexts:
                    page = browser.new_context(base_url=base).new_page()
                    if user is not None:
                        sign_in(page, user)
                    contexts[user] = page
                page = contexts[user]
                target = path.format(past=past)
                load(page, target)  # warm: templates compiled, caches filled
                samples = [load(page, target) for _ in range(repeat)]
                rows.append(
                    {
                        "page": name,
                        "path": target,
                        "last_byte_ms": round(
                            statistics.median(s["last_byte"] for s in samples), 1
                        ),
                        "load_ms": round(statistics.median(s["load"] for s in samples), 1),
                        "max_load_ms": round(max(s["load"] for s in samples), 1),
                        "kb": round(samples[-1]["bytes"] / 1024, 1),
                    }
                )
                note(f"{name}: {rows[-1]['load_ms']} ms to load")
        finally:
            browser.close()
    baseline = rows[0]["load_ms"] or 1.0
    for row in rows:
        row["load_vs_sign_in"] = round(row["load_ms"] / baseline, 2)
    return rows


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| page | to last byte, median | to load event, median | slowest load | size | × sign-in |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {r['page']} | {r['last_byte_ms']} ms | {r['load_ms']} ms | {r['max_load_ms']} ms "
        f"| {r['kb']} KB | {r['load_vs_sign_in']} |"
        for r in rows
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace, url: str, folder: Path) -> dict[str, Any]:
    env = {
        **os.environ,
        "THUCTHI_DATABASE_URL": url,
        "THUCTHI_SIGNING_KEY": str(folder / "signing-key.pem"),
    }
    note(f"loading the demo year ({args.directives} directives) on {args.backend}")
    demo = run_cli(url, env, "demo", "--directives", str(args.directives), "--quiet")
    note(run_cli(url, env, "projections", "rebuild").strip())
    run_cli(url, env, "init")
    run_cli(url, env, "audit", "checkpoint")
    port = free_port()
    server = Server(
        "thucthi serve",
        [sys.executable, "-m", "cli.main", "--db", url, "serve", "--port", str(port)],
        env,
        port,
        folder / "serve.log",
    )
    try:
        server.start("/readyz")
        rows = measure(server.base, args.reference or first_directive(url, env), args.repeat)
    finally:
        note(f"server {server.stop()}")
    return {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.platform()}",
        "backend": args.backend,
        "demo": demo.splitlines()[0] if demo else "",
        "repeat": args.repeat,
        "pages": rows,
    }


def first_directive(url: str, env: dict[str, str]) -> str:
    """The demo's first directive (``1/<its symbol>``), whose page holds the whole year. The demo
    year ends today and its draws change with the code, so no reference is fixed in advance."""
    for symbol in ("UBND-TH", "UBND-VX", "UBND-KT", "UBND-DT", "UBND-NC"):
        try:
            run_cli(url, env, "show", f"1/{symbol}", "--json")
        except BenchError:
            continue
        return f"1/{symbol}"
    raise BenchError("the demo year has no directive numbered 1")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pages", description=__doc__)
    parser.add_argument("--directives", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument(
        "--reference",
        default=None,
        help="the directive whose pages are loaded (default: the demo's first)",
    )
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        note(f"{CHROMIUM} is missing: `make chromium` installs Debian's Chromium")
        return 1
    with tempfile.TemporaryDirectory(prefix="thucthi-bench-pages-") as tmp:
        folder = Path(tmp)
        try:
            if args.backend == "sqlite":
                report = run(args, f"sqlite:///{folder / 'bench.db'}", folder)
            else:
                schema = f"bench_pages_{secrets.token_hex(4)}"
                with psycopg.connect(POSTGRES, autocommit=True) as conn:
                    conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
                try:
                    report = run(args, f"{POSTGRES}?schema={schema}", folder)
                finally:
                    with psycopg.connect(POSTGRES, autocommit=True) as conn:
                        conn.execute(
                            sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema))
                        )
        except BenchError as e:
            note(str(e))
            return 1
    sys.stdout.write(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() + "\n\n")
    sys.stdout.write(f"{report['machine']}; {report['backend']}; {report['demo']}\n\n")
    sys.stdout.write(markdown(report["pages"]) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
