"""``python -m bench.petitions``: the oversight of petitions on a year of N petitions, each figure
against a baseline measured in the same run (docs/performance.md: read the ratios).

One run, on SQLite (a temporary file) or on a fresh PostgreSQL schema (dropped after):

1. a simulated year of ``--petitions`` petitions across twelve agencies (received, classified,
   accepted, guided, transferred, not accepted, archived, verified, extended, resolved,
   withdrawn), saved day by day, and two swaps of working days declared during it;
2. projected by the oversight projection (catch-up in batches) against reading and decoding the
   same notifications without projecting;
3. the petitions' dashboard query (``summary`` and the oldest open cases, as the page asks them)
   as of today and as of a random past day and its position, against selecting the same rows
   and counting them (the least a query over the point of view does); the list's first page and
   an agency's queue, against the same count.

Medians of ``--repeat`` calls each, baselines interleaved.
"""

from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import uuid4

import psycopg
from psycopg import sql

from adapters.database import open_application, parse_database_url
from domain.application import Thucthi
from domain.calendar.commands import DeclareSwap
from domain.petitions.law import ArchiveGround, NotAcceptedGround
from domain.petitions.petition import (
    VERDICTS,
    Channel,
    Competence,
    Field,
    Kind,
    Petition,
)
from domain.shared.actors import Actor, Role
from domain.shared.clock import CITY_TIMEZONE, SimulatedClock, city_date
from domain.shared.personal import SealedPerson
from projections.oversight import OversightProjection, catch_up, read
from readmodels.model import AsOf
from readmodels.open import OversightView, open_view
from readmodels.petitions import ListFilters
from readmodels.points import postgres_clause, sqlite_clause
from readmodels.postgres import PostgresOversightView
from readmodels.sqlite import SQLiteOversightView

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"
AGENCIES = (
    "SO-XD", "SO-TC", "SO-CT", "SO-YT", "SO-GDDT", "SO-LDTBXH", "UBND-Q1", "UBND-Q3",
    "UBND-Q5", "UBND-Q10", "UBND-TD", "THANH-TRA",
)  # fmt: skip
START = date(2025, 1, 2)
DAYS = 365


def note(text: str) -> None:
    sys.stderr.write(f"[bench.petitions] {text}\n")


def moment(day: date, rng: random.Random) -> datetime:
    hour, minute = rng.randint(8, 16), rng.randint(0, 59)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=CITY_TIMEZONE).astimezone(
        UTC
    )


def actor(agency: str, role: Role) -> Actor:
    suffix = {Role.RECEPTION: "tiepdan", Role.AGENCY_HEAD: "thutruong"}.get(role, "canbo")
    return Actor(f"{agency.lower()}.{suffix}", role, agency)


def step(p: Petition, at: datetime, rng: random.Random, n: int) -> int | None:  # noqa: PLR0911 - a way out per step
    """Take the petition one step on; the days until its next step (None: no more)."""
    kw: dict[str, Any] = {"request_id": f"b{n}", "at": at}
    head = actor(p.agency, Role.AGENCY_HEAD)
    status = p.status.value
    if status == "received":
        competence = rng.choices(list(Competence), (8, 1, 1))[0]
        p.classify(
            kind=rng.choices(list(Kind), (4, 3, 5, 1))[0], field=rng.choice(list(Field)),
            competence=competence, actor=actor(p.agency, Role.RECEPTION), **kw,
        )  # fmt: skip
        return rng.randint(1, 12)
    if status == "classified":
        if p.competence is not Competence.OURS:
            if p.competence is Competence.CITY_AGENCY and not p.transferred_from:
                others = [a for a in AGENCIES if a != p.agency]
                p.transfer(to_agency=rng.choice(others), actor=head, **kw)
                return rng.randint(1, 5)
            p.guide(body="Cơ quan có thẩm quyền", actor=head, **kw)
            return None
        choice = rng.random()
        if choice < 0.8:
            p.accept(handler=actor(p.agency, Role.DEPARTMENT).user_id, actor=head, **kw)
            return rng.randint(3, 20)
        if choice < 0.9 and p.kind is Kind.DENUNCIATION:
            p.not_accept(ground=NotAcceptedGround.NO_BASIS, actor=head, **kw)
            return None
        p.archive(ground=ArchiveGround.DUPLICATE, actor=head, **kw)
        return None
    if status == "in_handling":
        choice = rng.random()
        if choice < 0.15:
            p.record_verification(summary="Xác minh", actor=actor(p.agency, Role.DEPARTMENT), **kw)
            return rng.randint(3, 15)
        if choice < 0.22 and p.extensions < p.extensions_allowed():
            p.extend(reason="Vụ việc phức tạp", actor=head, **kw)
            return rng.randint(5, 30)
        if choice < 0.25:
            p.withdraw(reason="Rút đơn", actor=actor(p.agency, Role.RECEPTION), **kw)
            return None
        verdict = rng.choice(sorted(VERDICTS[p.kind or Kind.MIXED]))
        p.resolve(verdict=verdict, summary="Kết luận", actor=head, **kw)
        return None
    return None


def load(app: Thucthi, clock: SimulatedClock, petitions: int, seed: int) -> int:
    """A year of petitions, saved day by day; the events recorded."""
    rng = random.Random(seed)  # noqa: S311 - a reproducible simulation, not a secret
    schedule: dict[date, list[Petition]] = {}
    per_day = petitions / DAYS
    received = 0
    n = 0
    admin = Actor("admin", Role.ADMIN)
    for offset in range(DAYS):  # the year ends today: what is scheduled after it is still open
        day = START + timedelta(offset)
        clock.set(moment(day, rng).replace(hour=1))
        if offset in {40, 200}:  # the government's swaps of working days, as in a real year
            off = day + timedelta(days=(14 - day.weekday()) % 7 + 3)  # a Thursday two weeks on
            app.declare_swap(
                DeclareSwap(
                    day_off=off, make_up_day=off + timedelta(days=2), decision_reference="1/TB"
                ),
                actor=admin,
                request_id="swap",
            )
        touched: dict[Any, Petition] = {}
        if day.weekday() < 5:
            count = int(per_day * 7 / 5) + (rng.random() < (per_day * 7 / 5) % 1)
            for _ in range(min(count, petitions - received)):
                agency = rng.choice(AGENCIES)
                received += 1
                signers = rng.choices([1, 2, 3, 6, 12], (70, 10, 8, 8, 4))[0]
                p = Petition.receive(
                    receipt=f"{day.year}-{received:08d}", agency=agency,
                    channel=rng.choice([Channel.IN_PERSON, Channel.POST, Channel.ONLINE]),
                    received_on=day, petitioners=(SealedPerson(uuid4(), ""),),
                    signers=signers, content="Nội dung", actor=actor(agency, Role.RECEPTION),
                    request_id=f"b{received}", at=moment(day, rng),
                )  # fmt: skip
                touched[p.id] = p
                schedule.setdefault(day + timedelta(rng.randint(0, 6)), []).append(p)
        for p in schedule.pop(day, []):
            n += 1
            wait = step(p, max(moment(day, rng), p.modified_on), rng, n)
            touched[p.id] = p
            if wait is not None:
                schedule.setdefault(day + timedelta(wait), []).append(p)
        if touched:
            app.save(*touched.values())
    return app.max_notification_id()


def median(seconds: list[float]) -> float:
    return statistics.median(seconds)


def timed(call: Callable[[], object], repeat: int) -> float:
    took = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        took.append(time.perf_counter() - started)
    return median(took)


def count_rows(view: OversightView, as_of: AsOf) -> int:
    """The baseline: the rows of the point of view selected and counted, nothing else."""
    if isinstance(view, PostgresOversightView):
        with view.datastore.transaction(commit=False) as c:
            point = view._settle(c, as_of)
            selected, params = postgres_clause(point)
            c.execute(
                sql.SQL("SELECT count(*) AS n FROM {} WHERE {}").format(
                    view.table("petitions"), selected
                ),
                params,
            )
            found = c.fetchone()
            return 0 if found is None else int(found["n"])
    assert isinstance(view, SQLiteOversightView)  # noqa: S101 - one of the two
    with view.datastore.transaction(commit=False) as c:
        point = view._settle(c, as_of)
        clause, params = sqlite_clause(point)
        c.execute(f"SELECT count(*) FROM {view.table('petitions')} WHERE {clause}", params)  # noqa: S608
        return int(c.fetchone()[0])


def measure(app: Thucthi, view: OversightView, repeat: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)  # noqa: S311
    head = app.max_notification_id()
    notes: dict[str, Any] = {"events": head}
    started = time.perf_counter()
    catch_up(app, OversightProjection(view))
    notes["project_s"] = time.perf_counter() - started
    started = time.perf_counter()
    position = 0
    while page := app.recorder.select_notifications(
        start=position, limit=5_000, inclusive_of_start=False
    ):
        for n in page:
            read(app.mapper, n)
        position = page[-1].id
    notes["read_decode_s"] = time.perf_counter() - started
    rows = view.petitions.rows()
    notes["rows_now"] = len(rows)
    notes["open_now"] = sum(1 for r in rows if r.is_open)
    today = city_date(app.clock.now())
    past = START + timedelta(rng.randint(60, DAYS - 30))
    points = {"today": AsOf(today), "past": AsOf(past, view.position_of(AsOf(past)))}
    for name, as_of in points.items():

        def dashboard(as_of: AsOf = as_of) -> None:
            view.petitions.summary(as_of)
            view.petitions.oldest_open(as_of, limit=10)

        def baseline(as_of: AsOf = as_of) -> None:
            count_rows(view, as_of)

        dashboard()  # warm: statements prepared, pages cached, as for any request after the first
        baseline()
        took, base = [], []
        for _ in range(repeat):
            took.append(timed(dashboard, 1))
            base.append(timed(baseline, 1))
        notes[f"dashboard_{name}_ms"] = 1000 * median(took)
        notes[f"baseline_{name}_ms"] = 1000 * median(base)
        notes[f"dashboard_{name}_ratio"] = median(took) / median(base)
        notes[f"rows_{name}"] = count_rows(view, as_of)
    listing = timed(lambda: view.petitions.page(ListFilters(), today, limit=100), repeat)
    queue = timed(lambda: view.petitions.queue("SO-XD", today), repeat)
    counted = timed(lambda: count_rows(view, AsOf(today)), repeat)
    notes["list_page_ms"], notes["list_page_ratio"] = 1000 * listing, listing / counted
    notes["queue_ms"], notes["queue_ratio"] = 1000 * queue, queue / counted
    notes["project_ratio"] = notes["project_s"] / notes["read_decode_s"]
    return notes


def run(url: str, petitions: int, repeat: int, seed: int) -> dict[str, Any]:
    clock = SimulatedClock(datetime(2025, 1, 2, 1, tzinfo=UTC))
    app = open_application(parse_database_url(url), clock=clock)
    try:
        app.open_unit_registry()
        view = open_view(app)
        started = time.perf_counter()
        load(app, clock, petitions, seed)
        note(f"loaded {app.max_notification_id()} events in {time.perf_counter() - started:.1f} s")
        return {"petitions": petitions, **measure(app, view, repeat, seed)}
    finally:
        app.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.petitions", description=__doc__)
    parser.add_argument("--petitions", type=int, default=2_000)
    parser.add_argument("--backend", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres", default=os.environ.get("THUCTHI_TEST_POSTGRES_URL", POSTGRES))
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    if args.backend == "sqlite":
        with tempfile.TemporaryDirectory(prefix="bench-petitions-") as folder:
            report = run(
                f"sqlite:///{Path(folder) / 'petitions.db'}", args.petitions, args.repeat, args.seed
            )
    else:
        schema = f"bench_petitions_{secrets.token_hex(4)}"
        url = f"{args.postgres}?schema={schema}"
        conninfo = parse_database_url(url).conninfo()
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
        try:
            report = run(url, args.petitions, args.repeat, args.seed)
        finally:
            with psycopg.connect(conninfo, autocommit=True) as conn:
                conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(schema)))
    for name, value in report.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        sys.stdout.write(f"{name}\t{shown}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
