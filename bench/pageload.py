"""Every page under wrk, beside ``GET /api/oversight`` in the same run (``python -m bench``).

Each page is loaded by the role it is for, signed in as a browser is (the session cookie; the
public look-up signed in as nobody), with 32 connections, as the API's GET is: the dashboard, the
periodic report, the list of directives and its paged, filtered, sorted and searched forms (a
leader's and a department officer's), a directive and a directive at a past version, the issuing
form, a unit's inbox, the queue of what waits ("Việc cần làm") of every role, the notifications,
the inspector, the administrator's pages, the petitions' pages and the public look-up. Each
page's run follows a warm-up of its own and a run of the oversight GET, so the ratio is of two
figures taken side by side on the same busy machine.

Then each page is opened alone right after an event was recorded (a progress report), a few
times: what it costs when it is made afresh at a new log position, which a page kept per
position (``api.fastpath.KeptPage``) pays once per position and worker, and any other page on
every request.

Targets (issue 27): the dashboard at least 0.25× the oversight GET, and no page's p99 above
200 ms. ``bench.pages`` times the demo year's pages in Chromium, to the load event.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.http import BenchError, Target, WrkRun, call, expect, path_ref, sign_in

DASHBOARD = "dashboard"
DASHBOARD_RATIO = 0.25
P99_MS = 200.0
LEADER = "leader.chutich"
OFFICE = "office.vp"
OFFICER = "so-ct.canbo"  # a department officer of SO-CT
INSPECTOR = "thanhtra"
ADMIN = "admin"
RECEPTION = "so-xd.tiepdan"  # the petitions desk of SO-XD (thucthi demo's accounts)
HEAD = "so-xd.thutruong"
HANDLER = "so-xd.canbo"
PAGE_ROWS = 50  # the list page's rows (api.web.pages.directives.LIST_SHOWN)


@dataclass(frozen=True)
class Page:
    name: str
    user: str | None  # None: the public, signed in as nobody
    path: str


@dataclass(frozen=True)
class Found:
    """What the pages' addresses name, found in the data set: a directive (late, so that its
    page has a history), a petition of SO-XD, the list's 21st page and a day in the past."""

    reference: str
    receipt: str
    deep: str  # the token of the list's 21st page (``after``)
    past: str


def plan(found: Found) -> list[Page]:
    """The pages, each with the role it is for."""
    ref, receipt = path_ref(found.reference), found.receipt
    return [
        Page(DASHBOARD, LEADER, "/dashboard"),
        Page("dashboard, as of a past day", LEADER, f"/dashboard?as_of={found.past}"),
        Page("periodic report", OFFICE, "/reports/periodic"),
        Page("directive list", LEADER, "/directives"),
        Page("directive list, page 21", LEADER, f"/directives?after={found.deep}"),
        Page("directive list, open by deadline", LEADER, "/directives?status=open&sort=deadline"),
        Page("directive list, searched", LEADER, "/directives?q=tan+binh"),
        Page("directive list, by title", LEADER, "/directives?sort=title&order=asc"),
        Page("directive list, a unit's urgent", LEADER, "/directives?unit=SO-CT&urgency=urgent"),
        Page("directive list (a department)", OFFICER, "/directives"),
        Page("directive", LEADER, f"/directives/{ref}"),
        Page("directive at version 2", INSPECTOR, f"/inspector/directives/{ref}?version=2"),
        Page("issuing form", OFFICE, "/directives/new"),
        Page("unit inbox (SO-CT)", OFFICER, "/units/SO-CT"),
        Page("to do (leader)", LEADER, "/todo"),
        Page("to do (office)", OFFICE, "/todo"),
        Page("to do (department)", OFFICER, "/todo"),
        Page("to do (petitions reception)", RECEPTION, "/todo"),
        Page("to do (agency head)", HEAD, "/todo"),
        Page("to do (petitions officer)", HANDLER, "/todo"),
        Page("to do (inspector)", INSPECTOR, "/todo"),
        Page("to do (admin)", ADMIN, "/todo"),
        Page("notifications (leader)", LEADER, "/notifications"),
        Page("notifications (office)", OFFICE, "/notifications"),
        Page("inspector", INSPECTOR, "/inspector"),
        Page("accounts (admin)", ADMIN, "/admin/users"),
        Page("an account (admin)", ADMIN, f"/admin/users/{OFFICER}"),
        Page("units (admin)", ADMIN, "/admin/units"),
        Page("petitions", LEADER, "/petitions"),
        Page("petitions' dashboard", LEADER, "/petitions/dashboard"),
        Page("petitions' queue (SO-XD reception)", RECEPTION, "/petitions/queue"),
        Page("petitions' queue (SO-XD head)", HEAD, "/petitions/queue"),
        Page("a petition (SO-XD head)", HEAD, f"/petitions/{receipt}"),
        Page("petition intake form", RECEPTION, "/petitions/new"),
        Page("public look-up", None, "/tra-cuu"),
        Page("public look-up from a QR code", None, f"/tra-cuu/{receipt}"),
    ]


def note(text: str) -> None:
    sys.stderr.write(f"[bench.pageload] {time.strftime('%H:%M:%S')} {text}\n")
    sys.stderr.flush()


def find(base: str, token: Callable[[str], str]) -> Found:
    """The directive, petition and list page the plan names, read through the API."""
    leader = token(LEADER)
    late = expect(call("GET", base + "/api/oversight/late?limit=1", token=leader), (200,), "late")
    items = late.json()["items"]
    reference = items[0]["reference"] if items else "1/UBND-TH"
    queue = expect(
        call("GET", base + "/api/petitions/queue", token=token(HEAD)), (200,), "SO-XD's queue"
    ).json()["items"]
    if not queue:
        raise BenchError("SO-XD has no petition in its queue: the data set has no petitions")
    first = f"{base}/api/directives?limit={PAGE_ROWS}"
    after = expect(call("GET", first, token=leader), (200,), "the list").json()["next"]
    for _ in range(19):
        if after is None:
            break
        deeper = call("GET", f"{first}&after={after}", token=leader)
        after = expect(deeper, (200,), "a page of the list").json()["next"]
    past = time.strftime("%Y-%m-%d", time.localtime(time.time() - 200 * 86400))
    return Found(reference, queue[0]["receipt"], after or "", past)


def headers(page: Page, token: Callable[[str], str]) -> list[str]:
    return [] if page.user is None else [f"Cookie: thucthi_session={token(page.user)}"]


def opened(base: str, page: Page, token: Callable[[str], str]) -> float:
    """One load of the page, alone; its time in ms (a BenchError if not 200)."""
    request = urllib.request.Request(  # noqa: S310 - the bench's own server
        base + page.path,
        headers=dict(h.split(": ", 1) for h in headers(page, token)),
    )
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            response.read()
            status = response.status
    except urllib.error.HTTPError as e:
        status = e.code
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200:
        raise BenchError(f"{page.name} ({page.path}) answered {status}")
    return elapsed


def loads(  # noqa: PLR0917 - the run's settings, each named at the one call
    wrk: str,
    options: argparse.Namespace,
    base: str,
    seconds: float,
    warmup: float,
    rounds: int,
    afresh: int = 0,
    move: Callable[[], object] | None = None,
) -> dict[str, Any]:
    """Each page's req/s, p50 and p99 (medians of ``rounds``) and the oversight GET's; then,
    ``afresh`` times each, the page opened alone just after ``move`` recorded an event."""
    tokens: dict[str, str] = {}

    def token(user: str) -> str:
        if user not in tokens:
            tokens[user] = sign_in(base, user)
        return tokens[user]

    pages = plan(find(base, token))
    oversight = Target(
        "GET /api/oversight",
        base + "/api/oversight",
        headers=[f"Authorization: Bearer {token(LEADER)}"],
    )
    targets = [(p, Target(p.name, base + p.path, headers=headers(p, token))) for p in pages]
    beside: dict[str, list[WrkRun]] = {p.name: [] for p in pages}
    for page in pages:
        opened(base, page, token)  # each answers 200 (else the run stops, naming it)
    for n in range(1, rounds + 1):
        for page, target in targets:
            if warmup:  # wrk runs whole seconds; none at all proves the harness soonest
                oversight.run(wrk, options, min(warmup, 1))
            beside[page.name].append(oversight.run(wrk, options, seconds))
            if warmup:
                target.run(wrk, options, warmup)
            run = target.run(wrk, options, seconds)
            target.runs.append(run)
            note(
                f"round {n} {page.name}: {run.requests_per_s:,.0f} req/s, p50 {run.p50_ms:.1f} "
                f"ms, p99 {run.p99_ms:.1f} ms, non-2xx {run.non_2xx} (oversight "
                f"{beside[page.name][-1].requests_per_s:,.0f} req/s)"
            )
    made: dict[str, list[float]] = {p.name: [] for p in pages}
    if move is not None:
        for _ in range(afresh):
            for page in pages:
                move()
                # The workers hear of the new position by LISTEN/NOTIFY: a moment for both.
                time.sleep(0.05)
                made[page.name].append(opened(base, page, token))
        for page in pages:
            note(f"{page.name} made afresh: {', '.join(f'{t:.0f}' for t in made[page.name])} ms")
    rows = []
    for page, target in targets:
        rate = statistics.median(r.requests_per_s for r in target.runs)
        api = statistics.median(r.requests_per_s for r in beside[page.name])
        fresh = made[page.name]
        rows.append(
            {
                "page": page.name,
                "path": page.path,
                "user": page.user,
                "requests_per_s": round(rate, 1),
                "p50_ms": round(statistics.median(r.p50_ms for r in target.runs), 2),
                "p99_ms": round(statistics.median(r.p99_ms for r in target.runs), 2),
                "non_2xx": sum(r.non_2xx for r in target.runs),
                "runs": [round(r.requests_per_s) for r in target.runs],
                "oversight_requests_per_s": round(api, 1),
                "ratio": round(rate / api, 4) if api else None,
                "afresh_ms": [round(t, 1) for t in fresh],
                "afresh_median_ms": round(statistics.median(fresh), 1) if fresh else None,
            }
        )
    return {
        "pages": rows,
        "wrk": f"wrk -t2 -c{options.connections} -d{seconds:g}s --latency, {rounds} rounds, "
        f"each page after a {warmup:g} s warm-up and beside an oversight run of its own "
        f"(after {min(warmup, 1):g} s of warm-up)",
        "afresh": f"each page opened alone {afresh} times, each just after a progress report "
        "was recorded (a new log position)",
    }


def figures(pages: dict[str, Any]) -> list[tuple[str, str, str, float | None, str, bool]]:
    """The rows of the figures' table: (figure, value, baseline, ratio, target, met)."""
    rows = []
    for r in pages["pages"]:
        dashboard = r["page"] == DASHBOARD
        target = f"≥ {DASHBOARD_RATIO}×; p99 ≤ {P99_MS:.0f} ms" if dashboard else "p99 ≤ 200 ms"
        # A page none of whose requests was answered within a run has no p99 to meet.
        met = r["requests_per_s"] > 0 and r["p99_ms"] <= P99_MS and r["non_2xx"] == 0
        if dashboard:
            met = met and (r["ratio"] or 0) >= DASHBOARD_RATIO
        fresh = r.get("afresh_median_ms")
        made = "" if fresh is None else f"; made afresh {fresh:,.0f} ms"
        rows.append(
            (
                f"page: {r['page']}, req/s and p99",
                f"{r['requests_per_s']:,.0f} (p50 {r['p50_ms']:.1f} ms, p99 {r['p99_ms']:.1f} ms"
                f"{made})",
                f"GET /api/oversight {r['oversight_requests_per_s']:,.0f}",
                r["ratio"],
                target,
                met,
            )
        )
    return rows
