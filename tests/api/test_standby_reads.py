"""Reads from a standby over HTTP (``THUCTHI_READ_DATABASE_URL``): a command's answer names its
position, the caller's session keeps the newest it saw, and no read is made from read models
behind it. The standby here is a second schema holding the read models projected from the same
log only as far as each test replays them: a standby that lags exactly where a test says
(tests/cluster has real ones, replicated by PostgreSQL)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.settings import Settings as PoolSettings
from adapters.standbys import ReadRouting
from api.read_positions import POSITION_COOKIE, POSITION_HEADER
from domain.shared.actors import Role
from projections.oversight import OversightProjection, catch_up
from readmodels.open import OversightView
from tests.api.conftest import Api, make_api
from tests.postgres import fresh_schema, require_server

pytestmark = pytest.mark.postgres
_references = itertools.count(1)


@dataclass
class Stood:
    api: Api
    reads: ReadRouting[OversightView]
    copy: OversightProjection  # what writes the standby's read models

    def replay(self, until: int | None = None) -> None:
        """The standby replays the log's read models up to ``until`` (default: the head)."""
        catch_up(self.api.app, self.copy, until=until)

    @property
    def standby_at(self) -> int:
        return self.reads.standbys[0].view.position()

    def issue(self, who: Role = Role.LEADER) -> tuple[str, int]:
        """A directive issued over HTTP: its reference and the position its answer names."""
        reference = f"{next(_references)}/UBND-VX"
        body = {"reference": reference, "title": "Báo cáo số liệu", "lead_unit": "SO-CT"}
        if who is Role.OFFICE:
            body["issuer"] = "leader.pct1"  # the office issues on a leader's behalf
        response = self.api.post("/api/directives", who, body)
        assert response.status_code == 201, response.text
        return reference, int(response.headers[POSITION_HEADER.lower()])

    def listed(self, who: Role, position: int | None = None, **headers: str) -> Listed:
        sent = {} if position is None else {POSITION_HEADER: str(position)}
        response = self.api.client.simulate_get(
            "/api/directives", headers=self.api.headers(who, **sent, **headers)
        )
        assert response.status_code == 200, response.text
        return Listed(
            int(response.json["position"]),
            int(response.headers[POSITION_HEADER.lower()]),
            [item["reference"] for item in response.json["items"]],
        )


@dataclass(frozen=True)
class Listed:
    """The directive list as one caller was answered: the position its rows were read at, the
    position the answer names, and the references listed."""

    position: int
    answered_at: int
    references: list[str]


@pytest.fixture(scope="module")
def stood(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stood]:
    """The API with one standby, a schema of its own whose read models replay when told."""
    files: Path = tmp_path_factory.mktemp("files")
    with fresh_schema(require_server()) as url, fresh_schema(require_server()) as standby_url:
        api, app = make_api(
            url,
            files,
            read_database_urls=(standby_url,),
            read_wait=5.0,
            pools=PoolSettings(pool_size=3),  # the suite's server is shared: few connections
        )
        try:
            reads = api.services.reads
            assert reads is not None
            view = reads.standbys[0].view
            view.create_table()  # PostgreSQL's standby would have replicated the primary's
            yield Stood(api, reads, OversightProjection(view))
        finally:
            app.close()


def test_a_commands_answer_names_the_position_it_stored_at_and_the_session_keeps_it(
    stood: Stood,
) -> None:
    reference = f"{next(_references)}/UBND-VX"
    response = stood.api.post(
        "/api/directives",
        Role.LEADER,
        {"reference": reference, "title": "Báo cáo", "lead_unit": "SO-CT"},
    )
    assert response.status_code == 201
    named = int(response.headers[POSITION_HEADER.lower()])
    assert named == response.json["position"]  # its own events: the directive's version
    assert response.cookies[POSITION_COOKIE].value == str(named)
    assert response.cookies[POSITION_COOKIE].http_only


def test_a_read_after_ones_own_write_waits_no_longer_than_set_then_reads_the_primary(
    stood: Stood,
) -> None:
    stood.reads.wait = 0.02  # the standby replays nothing meanwhile: no wait would be enough
    try:
        reference, position = stood.issue()
        assert stood.standby_at < position
        before = stood.reads.counts.primary
        listed = stood.listed(Role.LEADER, position)
    finally:
        stood.reads.wait = 5.0
    assert stood.reads.counts.primary == before + 1
    assert listed.answered_at >= position
    assert reference in listed.references


def test_a_read_is_made_from_the_standby_once_it_has_replayed_the_callers_write(
    stood: Stood,
) -> None:
    reference, position = stood.issue()
    stood.replay()
    before = stood.reads.counts.standby
    listed = stood.listed(Role.OFFICE, position)
    assert stood.reads.counts.standby == before + 1
    assert listed.answered_at == listed.position == stood.standby_at >= position
    assert reference in listed.references


def test_a_caller_who_saw_nothing_reads_the_standby_as_it_stands_and_keeps_that_position(
    stood: Stood,
) -> None:
    stood.replay()
    held = stood.standby_at
    reference, _ = stood.issue()  # not yet on the standby
    response = stood.api.client.simulate_get(
        "/api/directives", headers=stood.api.headers(Role.INSPECTOR)
    )
    assert response.json["position"] == held
    assert reference not in [item["reference"] for item in response.json["items"]]
    assert int(response.headers[POSITION_HEADER.lower()]) == held
    assert response.cookies[POSITION_COOKIE].value == str(held)


def test_the_position_cookie_counts_as_the_header_does(stood: Stood) -> None:
    """A browser sends back the cookie the answer set: the pages need no header."""
    reference, position = stood.issue()
    listed = stood.listed(Role.LEADER, Cookie=f"{POSITION_COOKIE}={position}")
    assert listed.answered_at >= position
    assert reference in listed.references


def test_a_position_that_is_not_a_number_is_no_position(stood: Stood) -> None:
    response = stood.api.client.simulate_get(
        "/api/directives", headers=stood.api.headers(Role.LEADER, **{POSITION_HEADER: "1e9"})
    )
    assert response.status_code == 200


Step = tuple[str, int]
STEPS = st.lists(
    st.one_of(
        st.tuples(st.just("write"), st.integers(0, 1)),
        st.tuples(st.just("read"), st.integers(0, 1)),
        st.tuples(st.just("replay"), st.integers(0, 100)),
    ),
    min_size=1,
    max_size=8,
)


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=STEPS)
def test_nobody_is_shown_read_models_older_than_their_own_last_write(
    stood: Stood, steps: list[Step]
) -> None:
    """Two officials write and read in any order while the standby replays any share of what
    it lacks: each read of theirs includes each directive they issued, and names a position
    no earlier than the last one they were answered with."""
    stood.reads.wait = 0.01  # whether the standby or the primary answers, the rule holds
    callers = (Role.LEADER, Role.OFFICE)
    issued: dict[Role, list[str]] = {who: [] for who in callers}
    seen = dict.fromkeys(callers, 0)
    try:
        for kind, number in steps:
            if kind == "replay":
                head = stood.api.app.max_notification_id() or 0
                at = stood.standby_at
                stood.replay(at + (head - at) * number // 100)
                continue
            who = callers[number]
            if kind == "write":
                reference, position = stood.issue(who)
                issued[who].append(reference)
                seen[who] = max(seen[who], position)
                continue
            listed = stood.listed(who, seen[who])
            assert listed.answered_at >= seen[who]
            assert set(issued[who]) <= set(listed.references)
            seen[who] = listed.answered_at
    finally:
        stood.reads.wait = 5.0
