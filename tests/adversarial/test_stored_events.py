"""Events written beneath the application, as an older version or someone with access to the
database would write them, never stop a projection: on SQLite and PostgreSQL, incrementally, in
the live follower and in a rebuild, the oversight read models and the audit trail follow past
NUL, other control characters, lone surrogates and bytes that cannot be decoded at all. The log's
bytes stay exactly as they were written."""

from __future__ import annotations

import copy
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import orjson
import pytest
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import StoredEvent

from adapters.database import open_application, parse_database_url
from cli.main import main
from domain.application import SYSTEM_ACTOR, Thucthi
from domain.directives.commands import IssueDirective
from domain.directives.directive import Directive
from domain.shared.actors import Actor, Role
from domain.shared.clock import SimulatedClock
from projections.audit import AuditProjection
from projections.oversight import OversightProjection, catch_up
from projections.runner import Follower, rebuild, wait_for
from projections.trail import describe
from readmodels.audit import AuditFilters
from readmodels.open import OversightView, open_trail, open_view
from readmodels.text import storable
from tests.api.conftest import make_api
from tests.api.test_pages import visitor
from tests.builders import COORDINATOR, LEAD, LEAD_OFFICER, LEADER
from tests.conftest import START
from tests.integration.readmodels import table_rows
from tests.postgres import fresh_schema, require_server

KINDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]

# What the forged events carry, and the escaped form the read models must show instead.
TITLE = "Tiêu đề\x00 có NUL\x07 và BEL"
TITLE_SHOWN = "Tiêu đề\\u0000 có NUL\\u0007 và BEL"
ISSUER = "leader\x7f\x85.pct"
ISSUER_SHOWN = "leader\\u007f\\u0085.pct"
NEW_LEAD = "SO-\x00X"
NEW_LEAD_SHOWN = "SO-\\u0000X"
NARRATIVE = "Đã làm\ud800 một nửa\x1b[31m\tcột\n"
UNIT_NAME_VI = "Phường\x00 Mới\udfff"
UNIT_NAME_VI_SHOWN = "Phường\\u0000 Mới\\udfff"
UNIT_NAME_EN = "New \ud83d ward"
UNIT_NAME_EN_SHOWN = "New \\ud83d ward"


@dataclass
class Poisoned:
    """A log with forged events among ordinary ones, and where each landed."""

    app: Thucthi
    view: OversightView
    url: str
    stored: dict[int, tuple[str, bytes]]  # every record's topic and bytes, as written
    poisoned_id: UUID  # the directive whose events carry control characters and surrogates
    unreadable: list[int]  # positions whose events cannot be projected at all
    after: str  # a directive issued after all of them

    def head(self) -> int:
        return self.app.max_notification_id()


def as_written_by_an_older_version(
    app: Thucthi, event: DomainEventProtocol[UUID], **fields: Any
) -> StoredEvent:
    """The event's record with ``fields`` replaced, in the standard library's JSON: NUL as
    ``\\u0000`` and a lone surrogate as ``\\ud800``, an escape that orjson refuses to read."""
    record = app.mapper.to_stored_event(event)
    state = orjson.loads(record.state)
    state.update(fields)
    return StoredEvent(
        originator_id=record.originator_id,
        originator_version=record.originator_version,
        topic=record.topic,
        state=json.dumps(state).encode(),
    )


def write(app: Thucthi, *records: StoredEvent) -> list[int]:
    """Straight into the store, beneath the application."""
    positions = app.recorder.insert_events(list(records))
    assert positions is not None
    return list(positions)


def clean(app: Thucthi, event: DomainEventProtocol[UUID]) -> StoredEvent:
    return app.mapper.to_stored_event(event)


def poison(app: Thucthi, clock: SimulatedClock) -> tuple[UUID, list[int], str]:
    """Forged events among ordinary ones; the poisoned directive, the unprojectable positions
    and a reference issued after them."""
    at = clock.now()
    app.issue(
        IssueDirective(reference="1/UBND-VX", title="Bình thường", content="", lead_unit=LEAD),
        actor=LEADER,
        request_id="before",
    )

    registry = copy.deepcopy(app.unit_registry())
    registry.add_unit(
        code="PHUONG-MOI", name_vi="Phường mới", name_en="New ward", parent=None,
        actor=SYSTEM_ACTOR, request_id="forged-unit", at=at,
    )  # fmt: skip
    (added,) = registry.collect_events()
    write(
        app, as_written_by_an_older_version(app, added, name_vi=UNIT_NAME_VI, name_en=UNIT_NAME_EN)
    )

    directive = Directive.issue(
        reference="2/UBND-VX", title="t", content="c", issuer=None, lead_unit=LEAD,
        coordinating_units=[COORDINATOR], actor=LEADER, request_id="forged-issue", at=at,
    )  # fmt: skip
    directive.acknowledge(actor=LEAD_OFFICER, request_id="forged-ack", at=at)
    directive.report_progress(
        percent=40, narrative="n", actor=LEAD_OFFICER, request_id="forged-progress", at=at
    )
    directive.reassign(to_unit="UBND-Q1", reason="r", actor=LEADER, request_id="forged-move", at=at)
    issued, acknowledged, progress, reassigned = directive.collect_events()
    write(
        app,
        as_written_by_an_older_version(
            app, issued, title=TITLE, content="nội dung\x1b[31m\ud800", issuer=ISSUER
        ),
        clean(app, acknowledged),
        as_written_by_an_older_version(app, progress, narrative=NARRATIVE),
        as_written_by_an_older_version(app, reassigned, to_unit=NEW_LEAD, reason="lý do\x00"),
    )

    # A directive whose first record is not JSON at all, then an event of it that follows.
    lost = Directive.issue(
        reference="3/UBND-VX", title="t", content="", issuer=None, lead_unit=LEAD,
        actor=LEADER, request_id="lost", at=at,
    )  # fmt: skip
    lost.acknowledge(actor=LEAD_OFFICER, request_id="lost-ack", at=at)
    lost_issued, lost_acknowledged = lost.collect_events()
    garbage = StoredEvent(
        originator_id=lost_issued.originator_id,
        originator_version=1,
        topic="thucthi:Directive.Issued",
        state=b'{"title": "\xff\xfe not JSON',
    )
    unknown = StoredEvent(
        originator_id=uuid4(), originator_version=1, topic="thucthi:Nothing.Happened", state=b"{}"
    )
    unreadable = write(app, garbage, clean(app, lost_acknowledged), unknown)

    later = Directive.issue(
        reference="5/UBND-VX", title="Sau đó", content="", issuer=None, lead_unit=LEAD,
        actor=LEADER, request_id="after", at=at,
    )  # fmt: skip
    write(app, *(clean(app, e) for e in later.collect_events()))
    return directive.id, unreadable, "5/UBND-VX"


@contextmanager
def database(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'poisoned.db'}"
    else:
        with fresh_schema(require_server()) as url:
            yield url


@pytest.fixture(params=KINDS)
def poisoned(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Poisoned]:
    with database(request.param, tmp_path) as url:
        clock = SimulatedClock(START)
        app = open_application(parse_database_url(url), clock=clock)
        try:
            app.open_unit_registry()
            view = open_view(app)
            poisoned_id, unreadable, after = poison(app, clock)
            stored = {
                n.id: (n.topic, n.state)
                for n in app.recorder.select_notifications(start=1, limit=10_000)
            }
            yield Poisoned(app, view, url, stored, poisoned_id, unreadable, after)
        finally:
            app.close()


def assert_followed_past_the_poison(p: Poisoned) -> None:
    """Every read model reached the head and holds the escaped form of what it cannot hold."""
    view = p.view
    assert view.position() == p.head()
    rows = {r.directive_id: r for r in view.board()}
    row = rows[p.poisoned_id]
    assert (row.title, row.issuer, row.lead_unit, row.percent) == (
        TITLE_SHOWN,
        ISSUER_SHOWN,
        NEW_LEAD_SHOWN,
        40,
    )
    assert p.after in {r.reference for r in rows.values()}
    units = {u.code: u for u in view.units()}
    assert (units["PHUONG-MOI"].name_vi, units["PHUONG-MOI"].name_en) == (
        UNIT_NAME_VI_SHOWN,
        UNIT_NAME_EN_SHOWN,
    )
    assert [i.reference for i in view.inbox(NEW_LEAD_SHOWN)] == ["2/UBND-VX"]
    assert [h.directive_id for h in view.search("tieu de co nul")] == [p.poisoned_id]
    assert [s.position for s in view.skipped()] == p.unreadable


def assert_log_untouched(p: Poisoned) -> None:
    now = {
        n.id: (n.topic, n.state) for n in p.app.recorder.select_notifications(start=1, limit=10_000)
    }
    assert now == p.stored


def test_incremental_processing_follows_past_forged_events_one_at_a_time(p: Poisoned) -> None:
    """One event per transaction, as a follower keeping up does."""
    catch_up(p.app, OversightProjection(p.view), batch_size=1)
    assert_followed_past_the_poison(p)
    assert_log_untouched(p)


def test_incremental_processing_follows_past_forged_events_in_one_batch(p: Poisoned) -> None:
    """The whole log in one transaction, as a follower catching up does."""
    catch_up(p.app, OversightProjection(p.view), batch_size=1_000)
    assert_followed_past_the_poison(p)


def test_the_live_follower_follows_past_forged_events(p: Poisoned) -> None:
    """The follower of ``thucthi projections run`` (the runner on PostgreSQL, polling on SQLite),
    with the audit trail in its thread beside it, reaches the head and is still running, with no
    error kept."""
    store = open_trail(p.app)
    audit = AuditProjection(p.app, store)
    follower = Follower(p.app, p.view, batch_size=2, audit=audit).start()
    try:
        wait_for(p.view, p.app.name, p.head(), timeout=20)
        deadline = time.monotonic() + 20
        while store.max_tracking_id(p.app.name) < p.head() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert store.max_tracking_id(p.app.name) == p.head()
        assert follower.error is None
        still = p.app.issue(
            IssueDirective(reference="6/UBND-VX", title="Vẫn theo", content="", lead_unit=LEAD),
            actor=LEADER,
            request_id="still",
        )
        wait_for(p.view, p.app.name, still, timeout=20)  # it did not exit
    finally:
        follower.stop()
    assert follower.error is None
    assert_followed_past_the_poison(p)


def test_a_rebuild_follows_past_forged_events_and_equals_incremental_processing(
    p: Poisoned,
) -> None:
    """``projections rebuild`` gives the same rows, the skipped events included, as one event
    at a time."""
    catch_up(p.app, OversightProjection(p.view), batch_size=1)
    incremental = table_rows(p.view), p.view.skipped()
    assert rebuild(p.app, batch_size=3) == p.head()
    rebuilt = open_view(p.app)
    assert (table_rows(rebuilt), rebuilt.skipped()) == incremental
    assert_followed_past_the_poison(p)
    assert_log_untouched(p)


def test_the_audit_trail_follows_past_forged_events(p: Poisoned) -> None:
    """One entry per record whatever it holds; what a column cannot hold is escaped, and the
    record that cannot be read at all is said to be so."""
    store = open_trail(p.app)
    projection = AuditProjection(p.app, store)
    assert projection.catch_up(batch_size=2) == p.head()
    assert store.max_tracking_id(p.app.name) == p.head()
    entries = store.entries(AuditFilters(), after=0, limit=1_000)
    assert len(entries) == p.head()
    stored = " ".join(
        f"{e.actor} {e.actor_unit} {e.directive} {e.subject_unit} {e.action}" for e in entries
    )
    assert "\x00" not in stored  # the columns hold the escaped form
    described = {s.position: s for s in describe(p.app, store, entries)}
    for position in (p.unreadable[0], p.unreadable[2]):
        assert described[position].en.startswith("The stored event cannot be read")
        assert described[position].vi.startswith("Không đọc được sự kiện đã lưu")
    issued = next(
        e for e in entries if e.action == "Issued" and e.originator_id == str(p.poisoned_id)
    )
    title = next(c for c in described[issued.position].changes if c["field"] == "title")
    assert storable(str(title["after"])) == TITLE_SHOWN  # shown as the event holds it
    moved = next(e for e in entries if e.action == "Reassigned")
    assert moved.subject_unit == NEW_LEAD_SHOWN
    assert_log_untouched(p)


def test_the_status_command_names_the_skipped_events(p: Poisoned) -> None:
    """``thucthi projections status`` says how many stored events the read models left out and
    where, so that figures never change without a trace."""
    catch_up(p.app, OversightProjection(p.view), batch_size=100)
    out = io.StringIO()
    assert main(["--db", p.url, "projections", "status"], out=out) == 0
    said = out.getvalue()
    assert f"skipped {len(p.unreadable)} stored events" in said
    assert ", ".join(str(n) for n in p.unreadable) in said


@pytest.fixture
def p(poisoned: Poisoned) -> Poisoned:
    return poisoned


POISONS = {
    "a NUL in a title": ("title", "Báo cáo\x00"),
    "other control characters in the content": ("content", "a\x01b\x1b[0m\x7f\x9f"),
    "a lone surrogate in the title": ("title", "Báo cáo \udc80"),
}


@pytest.mark.parametrize("poison_kind", sorted(POISONS))
@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_forged_text_alone_is_followed_past(
    kind: str, poison_kind: str, tmp_path: Path
) -> None:
    """Each forged value on its own, as the attacker stored it (a title with NUL is what stopped
    the follower on PostgreSQL with CharacterNotInRepertoire), then an ordinary directive."""
    field, value = POISONS[poison_kind]
    with database(kind, tmp_path) as url:
        clock = SimulatedClock(START)
        app = open_application(parse_database_url(url), clock=clock)
        try:
            app.open_unit_registry()
            view = open_view(app)
            forged = Directive.issue(
                reference="1/UBND-VX", title="t", content="c", issuer=None, lead_unit=LEAD,
                actor=LEADER, request_id="forged", at=clock.now(),
            )  # fmt: skip
            (issued,) = forged.collect_events()
            write(app, as_written_by_an_older_version(app, issued, **{field: value}))
            app.issue(
                IssueDirective(reference="2/UBND-VX", title="Sau", content="", lead_unit=LEAD),
                actor=LEADER,
                request_id="after",
            )
            catch_up(app, OversightProjection(view), batch_size=1)
            assert view.position() == app.max_notification_id()
            assert sorted(r.reference for r in view.board()) == ["1/UBND-VX", "2/UBND-VX"]
            assert view.skipped() == []
        finally:
            app.close()


def test_bytes_that_are_not_utf8_are_read_faithfully_and_shown_escaped(tmp_path: Path) -> None:
    """A stray byte inside a stored string is kept as the surrogate that stands for it
    (U+DC80-U+DCFF), so nothing is lost, and shown escaped; the record is not skipped."""
    with database("sqlite", tmp_path) as url:
        clock = SimulatedClock(START)
        app = open_application(parse_database_url(url), clock=clock)
        try:
            app.open_unit_registry()
            view = open_view(app)
            forged = Directive.issue(
                reference="1/UBND-VX", title="MARK", content="", issuer=None, lead_unit=LEAD,
                actor=LEADER, request_id="forged", at=clock.now(),
            )  # fmt: skip
            (issued,) = forged.collect_events()
            record = clean(app, issued)
            state = record.state.replace(b"MARK", b"Nh\xe1\xbb\xafng \xff\xfe")
            write(app, StoredEvent(record.originator_id, 1, record.topic, state))
            assert app.get_directive("1/UBND-VX").title == "Những \udcff\udcfe"
            catch_up(app, OversightProjection(view))
            assert [r.title for r in view.board()] == ["Những \\udcff\\udcfe"]
        finally:
            app.close()


def test_a_directive_holding_a_lone_surrogate_is_read_and_acted_on_through_the_api_and_pages(
    tmp_path: Path,
) -> None:
    """The application reads the forged directive faithfully and keeps working on it, past a
    snapshot; the API's JSON and the pages, which UTF-8 cannot carry it in, show it escaped."""
    web, app = make_api(f"sqlite:///{tmp_path / 'api.db'}")
    try:
        forged = Directive.issue(
            reference="1/UBND-VX", title="t", content="c", issuer=None, lead_unit="SO-CT",
            actor=LEADER, request_id="forged", at=app.clock.now(),
        )  # fmt: skip
        (issued,) = forged.collect_events()
        write(app, as_written_by_an_older_version(app, issued, title="Báo\ud800 cáo\x00"))
        for n in range(12):  # past the snapshot taken at version 10
            reminded = web.post(
                "/api/directives/1~UBND-VX/reminders", "office.vp", {"message": f"{n}"}
            )
            assert reminded.status_code == 201, reminded.text
        read = web.get("/api/directives/1~UBND-VX", "leader.chutich")
        assert read.status_code == 200, read.text
        assert read.json["title"] in ("Báo\\ud800 cáo\\u0000", "Báo\\ud800 cáo\x00")
        assert app.get_directive("1/UBND-VX").title == "Báo\ud800 cáo\x00"
        page = visitor(web, "leader.chutich").get("/directives/1~UBND-VX")
        assert page.status_code == 200
        assert "Báo\\ud800 cáo" in page.text
    finally:
        app.close()


@pytest.mark.parametrize("kind", KINDS)
def test_a_value_of_the_wrong_kind_is_skipped_the_same_way_incrementally_and_in_a_rebuild(
    kind: str, tmp_path: Path
) -> None:
    """A percent that is text, or a title that is a number, would fail the database's column
    types: the event is left out and named, and the directive goes on without it."""
    with database(kind, tmp_path) as url:
        clock = SimulatedClock(START)
        app = open_application(parse_database_url(url), clock=clock)
        try:
            app.open_unit_registry()
            view = open_view(app)
            at = clock.now()
            directive = Directive.issue(
                reference="1/UBND-VX", title="t", content="", issuer=None, lead_unit=LEAD,
                actor=LEADER, request_id="r", at=at,
            )  # fmt: skip
            directive.acknowledge(actor=LEAD_OFFICER, request_id="r", at=at)
            directive.report_progress(
                percent=20, narrative="", actor=LEAD_OFFICER, request_id="r", at=at
            )
            directive.report_progress(
                percent=30, narrative="", actor=LEAD_OFFICER, request_id="r", at=at
            )
            other = Directive.issue(
                reference="2/UBND-VX", title="t", content="", issuer=None, lead_unit=LEAD,
                actor=LEADER, request_id="r", at=at,
            )  # fmt: skip
            issued, acknowledged, twenty, thirty = directive.collect_events()
            (other_issued,) = other.collect_events()
            skipped_at = write(
                app,
                clean(app, issued),
                clean(app, acknowledged),
                as_written_by_an_older_version(app, twenty, percent="twenty"),
                clean(app, thirty),
                as_written_by_an_older_version(app, other_issued, title=12),
            )
            catch_up(app, OversightProjection(view), batch_size=1)
            assert [s.position for s in view.skipped()] == [skipped_at[2], skipped_at[4]]
            assert [(r.reference, r.percent) for r in view.board()] == [("1/UBND-VX", 30)]
            incremental = table_rows(view), view.skipped()
            rebuild(app)
            assert (table_rows(open_view(app)), open_view(app).skipped()) == incremental
        finally:
            app.close()


def test_the_command_line_shows_a_directive_holding_a_lone_surrogate(tmp_path: Path) -> None:
    """``thucthi show`` and ``history`` print to a real terminal's UTF-8, which cannot carry
    a lone surrogate: they show it escaped instead of ending in a traceback."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    app = open_application(parse_database_url(url), clock=SimulatedClock(START))
    try:
        app.open_unit_registry()
        forged = Directive.issue(
            reference="1/UBND-VX", title="t", content="", issuer=None, lead_unit=LEAD,
            actor=LEADER, request_id="forged", at=app.clock.now(),
        )  # fmt: skip
        (issued,) = forged.collect_events()
        write(app, as_written_by_an_older_version(app, issued, title="Báo\ud800 cáo"))
    finally:
        app.close()
    for command in ("show", "history"):
        done = subprocess.run(
            [sys.executable, "-m", "cli.main", "--db", url, command, "1/UBND-VX"],
            capture_output=True,
            env={**os.environ, "PYTHONIOENCODING": "utf-8"},
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode()
        assert b"B\xc3\xa1o\\ud800 c\xc3\xa1o" in done.stdout or command == "history"


def test_figures_say_how_many_stored_events_they_leave_out(tmp_path: Path) -> None:
    """Where the figures are read (the summary, the API, the dashboard, ``thucthi oversight``),
    a figure never changes without a trace: the events left out are counted beside it."""
    url = f"sqlite:///{tmp_path / 'api.db'}"
    web, app = make_api(url)
    try:
        assert web.post("/api/directives", "leader.chutich", {
            "reference": "1/UBND-VX", "title": "t", "lead_unit": "SO-CT",
        }).status_code == 201  # fmt: skip
        summary = web.get("/api/oversight", "leader.chutich").json
        assert summary["skipped_events"] == 0
        write(app, StoredEvent(uuid4(), 1, "thucthi:Directive.Issued", b"not JSON"))
        assert web.post("/api/directives", "leader.chutich", {
            "reference": "2/UBND-VX", "title": "t", "lead_unit": "SO-CT",
        }).status_code == 201  # fmt: skip
        summary = web.get("/api/oversight", "leader.chutich").json
        assert (summary["city"]["total"], summary["skipped_events"]) == (2, 1)
        dashboard = visitor(web, "leader.chutich").get("/dashboard")
        assert 'id="skipped-events"' in dashboard.text
        assert "chưa tính 1 sự kiện" in dashboard.text
        out = io.StringIO()
        assert main(["--db", url, "oversight"], out=out) == 0
        assert "leaving out 1 stored events" in out.getvalue()
    finally:
        app.close()


def test_thucthi_projections_run_follows_past_forged_events_as_a_process(p: Poisoned) -> None:
    """The real ``thucthi projections run``: the oversight read models and the audit trail both
    reach the head, the process is still running, and it stops cleanly on SIGTERM."""
    store = open_trail(p.app)
    process = subprocess.Popen(
        [sys.executable, "-m", "cli.main", "--db", p.url, "projections", "run", "--batch", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and process.poll() is None:
            if p.view.position() == p.head() and store.max_tracking_id(p.app.name) == p.head():
                break
            time.sleep(0.1)
        assert process.poll() is None, process.communicate()[1].decode()[-2000:]
        assert p.view.position() == p.head()
        assert store.max_tracking_id(p.app.name) == p.head()
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err.decode()[-2000:]
    assert_followed_past_the_poison(p)


@pytest.mark.parametrize("kind", KINDS)
def test_a_forged_unit_code_is_one_unit_whether_a_row_is_read_back_or_held(
    kind: str, tmp_path: Path
) -> None:
    """A row read back from the view holds the escaped code, a row held in memory the code as
    the log has it: the fold compares them as the view holds them, so that a contribution is
    counted once, a reassignment removes the new lead from the coordinators, and one event at
    a time with nothing remembered gives the rows of a rebuild."""
    with database(kind, tmp_path) as url:
        clock = SimulatedClock(START)
        app = open_application(parse_database_url(url), clock=clock)
        try:
            app.open_unit_registry()
            view = open_view(app)
            at = clock.now()
            unit = "SO-\x00TC"
            directive = Directive.issue(
                reference="1/UBND-VX", title="t", content="", issuer=None, lead_unit=LEAD,
                coordinating_units=["SO-TC"], actor=LEADER, request_id="r", at=at,
            )  # fmt: skip
            helper = Actor("so-tc.canbo", Role.DEPARTMENT, "SO-TC")
            directive.contribute(narrative="", actor=helper, request_id="r", at=at)
            directive.contribute(narrative="", actor=helper, request_id="r", at=at)
            directive.reassign(to_unit="UBND-Q1", reason="", actor=LEADER, request_id="r", at=at)
            issued, first, second, moved = directive.collect_events()
            write(
                app,
                as_written_by_an_older_version(app, issued, coordinating_units=[unit, "SO-TP"]),
                as_written_by_an_older_version(app, first, unit=unit),
                as_written_by_an_older_version(app, second, unit=unit),
                as_written_by_an_older_version(app, moved, to_unit=unit),
            )
            catch_up(app, OversightProjection(view, remember=0), batch_size=1)
            (row,) = view.board()
            escaped = "SO-\\u0000TC"
            assert (row.lead_unit, row.coordinators, row.contributed) == (
                escaped,
                ("SO-TP",),
                (escaped,),
            )
            incremental = table_rows(view)
            rebuild(app)
            assert table_rows(open_view(app)) == incremental
        finally:
            app.close()
