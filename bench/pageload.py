"""Every page under wrk, beside ``GET /api/oversight`` in the same run (``python -m bench``).

Each page is loaded by the role it is for, signed in as a browser is (the session cookie), with
32 connections, as the API's GET is; each page's run follows a warm-up of its own and an
oversight run, so the ratio is of two figures taken side by side on the same busy machine.
Targets (issue 27): the dashboard at least 0.25× the oversight GET, and no page's p99 above
200 ms. ``bench.pages`` times the same pages in Chromium, to the load event.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import dataclass
from typing import Any

from bench.http import Target, WrkRun, call, expect, path_ref, sign_in

DASHBOARD = "dashboard"
DASHBOARD_RATIO = 0.25
P99_MS = 200.0


@dataclass(frozen=True)
class Page:
    name: str
    user: str
    path: str


def plan(reference: str, past: str) -> list[Page]:
    """The pages, each with the role it is for; ``reference``: a directive of the data set."""
    ref = path_ref(reference)
    return [
        Page(DASHBOARD, "leader.chutich", "/dashboard"),
        Page("dashboard, as of a past day", "leader.chutich", f"/dashboard?as_of={past}"),
        Page("directive list", "leader.chutich", "/directives"),
        Page("directive", "leader.chutich", f"/directives/{ref}"),
        Page("issuing form", "office.vp", "/directives/new"),
        Page("unit inbox (SO-CT)", "so-ct.canbo", "/units/SO-CT"),
        Page("inspector", "thanhtra", "/inspector"),
        Page("directive at version 2", "thanhtra", f"/inspector/directives/{ref}?version=2"),
        Page("notifications", "leader.chutich", "/notifications"),
        Page("petitions", "leader.chutich", "/petitions"),
        Page("petitions' dashboard", "leader.chutich", "/petitions/dashboard"),
        Page("petitions' queue (SO-XD reception)", "so-xd.tiepdan", "/petitions/queue"),
    ]


def note(text: str) -> None:
    sys.stderr.write(f"[bench.pageload] {time.strftime('%H:%M:%S')} {text}\n")
    sys.stderr.flush()


def a_directive(base: str, token: str) -> str:
    """A directive of the data set that is late (its page has a history worth reading)."""
    answer = expect(
        call("GET", base + "/api/oversight/late?limit=1", token=token), (200,), "late list"
    )
    items = answer.json()["items"]
    if not items:
        return "1/UBND-TH"
    reference: str = items[0]["reference"]
    return reference


def loads(  # noqa: PLR0917 - the run's settings, each named at the one call
    wrk: str,
    options: argparse.Namespace,
    base: str,
    seconds: float,
    warmup: float,
    rounds: int,
) -> dict[str, Any]:
    """Each page's req/s, p50 and p99 (medians of ``rounds``), and the oversight GET's."""
    tokens: dict[str, str] = {}

    def token(user: str) -> str:
        if user not in tokens:
            tokens[user] = sign_in(base, user)
        return tokens[user]

    past = time.strftime("%Y-%m-%d", time.localtime(time.time() - 200 * 86400))
    pages = plan(a_directive(base, token("leader.chutich")), past)
    oversight = Target(
        "GET /api/oversight",
        base + "/api/oversight",
        headers=[f"Authorization: Bearer {token('leader.chutich')}"],
    )
    targets = [
        (p, Target(p.name, base + p.path, headers=[f"Cookie: thucthi_session={token(p.user)}"]))
        for p in pages
    ]
    beside: dict[str, list[WrkRun]] = {p.name: [] for p in pages}
    for n in range(1, rounds + 1):
        for page, target in targets:
            oversight.run(wrk, options, warmup)
            beside[page.name].append(oversight.run(wrk, options, seconds))
            target.run(wrk, options, warmup)
            run = target.run(wrk, options, seconds)
            target.runs.append(run)
            note(
                f"round {n} {page.name}: {run.requests_per_s:,.0f} req/s, p50 {run.p50_ms:.1f} "
                f"ms, p99 {run.p99_ms:.1f} ms, non-2xx {run.non_2xx} (oversight "
                f"{beside[page.name][-1].requests_per_s:,.0f} req/s)"
            )
    rows = []
    for page, target in targets:
        rate = statistics.median(r.requests_per_s for r in target.runs)
        api = statistics.median(r.requests_per_s for r in beside[page.name])
        rows.append(
            {
                "page": page.name,
                "path": page.path,
                "user": page.user,
                "requests_per_s": round(rate, 1),
                "p50_ms": round(statistics.median(r.p50_ms for r in target.runs), 2),
                "p99_ms": round(statistics.median(r.p99_ms for r in target.runs), 2),
                "non_2xx": sum(r.non_2xx for r in target.runs),
                "oversight_requests_per_s": round(api, 1),
                "ratio": round(rate / api, 4) if api else None,
            }
        )
    return {
        "pages": rows,
        "wrk": f"wrk -t2 -c{options.connections} -d{seconds:g}s --latency, {rounds} rounds, "
        f"each page after a {warmup:g} s warm-up and beside an oversight run of its own",
    }


def figures(pages: dict[str, Any]) -> list[tuple[str, str, str, float | None, str, bool]]:
    """The rows of the figures' table: (figure, value, baseline, ratio, target, met)."""
    rows = []
    for r in pages["pages"]:
        dashboard = r["page"] == DASHBOARD
        target = f"≥ {DASHBOARD_RATIO}×; p99 ≤ {P99_MS:.0f} ms" if dashboard else "p99 ≤ 200 ms"
        met = r["p99_ms"] <= P99_MS and r["non_2xx"] == 0
        if dashboard:
            met = met and (r["ratio"] or 0) >= DASHBOARD_RATIO
        rows.append(
            (
                f"page: {r['page']}, req/s and p99",
                f"{r['requests_per_s']:,.0f} (p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms)",
                f"GET /api/oversight {r['oversight_requests_per_s']:,.0f}",
                r["ratio"],
                target,
                met,
            )
        )
    return rows
