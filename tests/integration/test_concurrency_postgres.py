"""Concurrent writers on PostgreSQL: nothing lost, nothing duplicated, versions contiguous."""

from __future__ import annotations

import threading
from datetime import date

import pytest

from adapters.database import Database, open_application, parse_database_url
from domain.application import Thucthi
from domain.directives.commands import Acknowledge, IssueDirective, ReportProgress
from domain.directives.directive import Directive, directive_id
from tests.builders import LEAD, LEAD_OFFICER, LEADER

REF = "77/UBND-KT"
THREADS = 8
REPORTS_EACH = 50


@pytest.fixture
def pg(postgres_url: str) -> Database:
    return parse_database_url(postgres_url)


def acknowledged(app: Thucthi, reference: str) -> None:
    """A directive issued to LEAD and acknowledged: ready for progress reports."""
    app.issue(
        IssueDirective(
            reference=reference,
            title="Báo cáo",
            content="",
            lead_unit=LEAD,
            deadline=date(2099, 1, 1),
        ),
        actor=LEADER,
        request_id="r",
    )
    app.execute(Acknowledge(), reference, actor=LEAD_OFFICER, request_id="r")


@pytest.fixture
def directive(pg: Database) -> None:
    app = open_application(pg)
    app.open_unit_registry()
    acknowledged(app, REF)
    app.close()


def hammer(
    apps: list[Thucthi], references: tuple[str, ...] = (REF,)
) -> tuple[list[BaseException], list[str]]:
    """Each of THREADS threads makes REPORTS_EACH progress reports through its own app instance,
    cycling over the references: the errors, and the request ids of the reports that returned."""
    errors: list[BaseException] = []
    returned: list[str] = []
    start = threading.Barrier(THREADS)

    def worker(n: int) -> None:
        app = apps[n % len(apps)]
        start.wait()
        try:
            for i in range(REPORTS_EACH):
                app.execute(
                    ReportProgress(percent=i * 2, narrative=f"thread {n} report {i}"),
                    references[(n + i) % len(references)],
                    actor=LEAD_OFFICER,
                    request_id=f"t{n}-{i}",
                )
                returned.append(f"t{n}-{i}")
        except BaseException as e:
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors, returned


def check_log(app: Thucthi) -> None:
    events = list(app.events.get(directive_id(REF)))
    versions = [e.originator_version for e in events]
    assert versions == list(range(1, len(events) + 1)), "versions are not contiguous"
    reports = [e for e in events if isinstance(e, Directive.ProgressReported)]
    assert len(reports) == THREADS * REPORTS_EACH
    request_ids = [e.request_id for e in reports]
    assert len(set(request_ids)) == len(request_ids), "a report was recorded twice"
    assert set(request_ids) == {f"t{n}-{i}" for n in range(THREADS) for i in range(REPORTS_EACH)}
    assert app.get_directive(REF).progress_reports == THREADS * REPORTS_EACH


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.usefixtures("directive")
def test_eight_processes_worth_of_writers_lose_nothing(pg: Database) -> None:
    """Eight application instances (as eight worker processes would be) race on one directive."""
    # Each used by one thread: two connections each, not ten, leave the server room for others.
    apps = [open_application(pg, pool_size=2) for _ in range(THREADS)]
    try:
        errors, _ = hammer(apps)
        assert errors == []
        check_log(apps[0])
    finally:
        for app in apps:
            app.close()


@pytest.mark.postgres
@pytest.mark.usefixtures("directive")
def test_eight_threads_of_one_process_take_turns(pg: Database) -> None:
    """Threads sharing one application never collide: its per-aggregate locks serialise them."""
    app = open_application(pg)
    try:
        assert hammer([app])[0] == []
        check_log(app)
    finally:
        app.close()


SEVERAL = tuple(f"{n}/UBND-KT" for n in range(80, 84))


@pytest.mark.postgres
@pytest.mark.slow
def test_two_processes_of_threads_on_several_directives_lose_nothing(pg: Database) -> None:
    """Threads of two application instances cycle over four directives: their saves share
    transactions (group commit) that the other instance's saves make conflict. Every command
    that returned is stored exactly once, and every directive's versions are contiguous."""
    apps = [open_application(pg) for _ in range(2)]
    try:
        apps[0].open_unit_registry()
        for reference in SEVERAL:
            acknowledged(apps[0], reference)
        errors, returned = hammer(apps, SEVERAL)
        assert errors == []
        stored: list[str] = []
        for reference in SEVERAL:
            events = list(apps[0].events.get(directive_id(reference)))
            versions = [e.originator_version for e in events]
            assert versions == list(range(1, len(events) + 1)), f"{reference}: a gap"
            stored += [e.request_id for e in events if isinstance(e, Directive.ProgressReported)]
        assert sorted(stored) == sorted(returned), "a command returned but was not stored"
        assert len(returned) == THREADS * REPORTS_EACH
    finally:
        for app in apps:
            app.close()
