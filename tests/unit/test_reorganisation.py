"""Units that reorganise (issue 27, docs/units.md): the registry's rules for mergers, splits and
successions, the default registry of 2026, and the hand-over of open directives and petitions."""

from __future__ import annotations

from datetime import UTC, date, datetime
from io import StringIO
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cli.main import main
from domain.application import SYSTEM_ACTOR, Thucthi
from domain.directives.commands import Acknowledge, IssueDirective, ReportProgress
from domain.directives.directive import handed_over
from domain.petitions.petition import Status
from domain.shared.actors import Actor, Role
from domain.shared.clock import SimulatedClock
from domain.shared.errors import NotPermittedError
from domain.units.commands import MergeUnits, SplitUnit, SucceedUnit
from domain.units.errors import InactiveUnitError, InvalidUnitError
from domain.units.hcmc import REORGANISATION_2025, UNITS_2024
from projections.board import evolve
from tests.petition_builders import HEAD, accepted, desk_app

BASIS = "Nghị quyết 1685/NQ-UBTVQH15"
NOW = datetime(2026, 3, 9, 2, 0, tzinfo=UTC)
# The 15 agencies the merged city's People's Council established on 1 July 2025.
AGENCIES_2025 = {
    "VP-UBND",
    "SO-NV",
    "SO-TP",
    "SO-TC",
    "THANH-TRA",
    "SO-XD",
    "SO-NNMT",
    "SO-GDDT",
    "SO-YT",
    "SO-ATTP",
    "SO-CT",
    "SO-KHCN",
    "SO-VHTT",
    "SO-DL",
    "SO-DTTG",
}


def city() -> Thucthi:
    app = Thucthi(clock=SimulatedClock(NOW))
    app.open_city_registry()
    return app


def test_the_default_registry_is_the_city_of_2026_and_every_code_of_2024_still_resolves() -> None:
    registry = city().unit_registry()
    active = {u.code for u in registry.units.values() if u.active}
    departments = {c for c in active if c.startswith("SO-") or c in {"VP-UBND", "THANH-TRA"}}
    assert departments == AGENCIES_2025
    assert not any(c.startswith("UBND-Q") or c == "UBND-TPTHUDUC" for c in active)
    for seed in UNITS_2024:
        unit = registry.get(seed.code)
        assert registry.get(registry.heir_of(seed.code)).active, seed.code
        if not unit.active:
            assert unit.ended_on == date(2025, 7, 1)
            assert unit.basis
    assert registry.get("UBND-Q1").successors[0] == "UBND-P-SAIGON"
    assert registry.heir_of("UBND-Q1-BENNGHE") == "UBND-P-SAIGON"
    assert set(registry.get("SO-XD").predecessors) == {"SO-QHKT", "SO-GTVT"}
    assert len(REORGANISATION_2025) == len({c.predecessors for c in REORGANISATION_2025})


@pytest.mark.parametrize(
    ("command", "case"),
    [
        (MergeUnits(predecessors=("UBND-TP",), successor="SO-CT", basis=BASIS), "committee"),
        (MergeUnits(predecessors=("SO-CT",), successor="SO-CT", basis=BASIS), "own_successor"),
        (MergeUnits(predecessors=(), successor="SO-CT", basis=BASIS), "no_predecessor"),
        (SplitUnit(predecessor="SO-DL", successors=("SO-VHTT",), basis=BASIS), "split_in_two"),
        (SucceedUnit(predecessor="UBND-Q1", successor="VP-UBND", basis=BASIS), "active_children"),
        (
            SucceedUnit(
                predecessor="SO-DL",
                successor="SO-VHTT",
                basis=BASIS,
                effective_on=date(2026, 3, 10),
            ),
            "in_future",
        ),
    ],
)
def test_a_reorganisation_that_breaks_a_rule_is_refused_naming_it(
    command: MergeUnits | SplitUnit | SucceedUnit, case: str
) -> None:
    app = Thucthi(clock=SimulatedClock(NOW))
    app.open_unit_registry()
    with pytest.raises(InvalidUnitError) as refused:
        app.reorganise(command, actor=SYSTEM_ACTOR, request_id="r")
    assert refused.value.case == case


def test_only_an_administrator_reorganises_and_an_ended_unit_takes_no_new_work() -> None:
    app = Thucthi(clock=SimulatedClock(NOW))
    app.open_unit_registry()
    merge = MergeUnits(predecessors=("SO-DL",), successor="SO-VHTT", basis=BASIS)
    with pytest.raises(NotPermittedError):
        app.reorganise(merge, actor=Actor("office.vp", Role.OFFICE), request_id="r")
    app.reorganise(merge, actor=SYSTEM_ACTOR, request_id="r")
    with pytest.raises(InactiveUnitError):
        app.reorganise(merge, actor=SYSTEM_ACTOR, request_id="r")
    with pytest.raises(InactiveUnitError):
        app.require_active_units("SO-DL")


def test_an_open_petition_passes_to_the_heir_as_it_stands_and_a_closed_one_stays() -> None:
    """The case keeps its step, its handler and the day it arrived; only its agency changes,
    and the agency that ended is kept among those that held it."""
    app = desk_app(SimulatedClock(NOW))
    receipt = accepted(app)
    before = app.petitions.get(receipt, actor=HEAD)
    app.reorganise(
        MergeUnits(predecessors=("SO-XD",), successor="SO-NNMT", basis=BASIS),
        actor=SYSTEM_ACTOR,
        request_id="r",
    )
    after = app.petitions.get(receipt, actor=Actor("so-nnmt.tiepdan", Role.RECEPTION, "SO-NNMT"))
    assert after.agency == "SO-NNMT"
    assert (after.status, after.handler, after.arrived_on) == (
        Status.IN_HANDLING,
        before.handler,
        before.arrived_on,
    )
    assert after.agencies == ("SO-XD", "SO-NNMT")
    assert type(app.petitions.history(receipt)[-1]).__name__ == "HandedOver"


_UNITS = st.sampled_from(["A", "B", "C", "D", "E"])


@given(
    lead=_UNITS,
    coordinators=st.lists(_UNITS, unique=True, max_size=4),
    old=_UNITS,
    new=_UNITS,
)
def test_a_hand_over_leaves_one_lead_no_repeated_coordinator_and_no_trace_of_the_old_unit(
    lead: str, coordinators: list[str], old: str, new: str
) -> None:
    held = tuple(u for u in coordinators if u != lead)
    if old == new or (old != lead and old not in held):
        return
    after_lead, after = handed_over(lead, held, old, new)
    assert old not in (after_lead, *after)
    assert after_lead not in after
    assert len(set(after)) == len(after)
    assert new in (after_lead, *after)


def test_the_board_follows_the_directive_through_a_hand_over() -> None:
    """The board's fold and the aggregate agree on the units after a hand-over, and the row
    keeps its status, acknowledgement and progress."""
    app = Thucthi(clock=SimulatedClock(NOW))
    app.open_unit_registry()
    leader = Actor("leader.chutich", Role.LEADER)
    gtvt = Actor("so-gtvt.canbo", Role.DEPARTMENT, "SO-GTVT")
    issue = IssueDirective(
        reference="5/DT", title="Cầu", lead_unit="SO-GTVT", coordinating_units=("SO-XD", "SO-TC")
    )
    app.issue(issue, actor=leader, request_id="r")
    app.execute(Acknowledge(), "5/DT", actor=gtvt, request_id="r")
    app.execute(ReportProgress(percent=30, narrative="x"), "5/DT", actor=gtvt, request_id="r")
    app.reorganise(
        MergeUnits(predecessors=("SO-GTVT",), successor="SO-XD", basis=BASIS),
        actor=SYSTEM_ACTOR,
        request_id="r",
    )
    row = None
    for position, event in enumerate(app.history("5/DT"), start=1):
        row = evolve(row, event, position)
    directive = app.get_directive("5/DT")
    assert row is not None
    assert (row.lead_unit, row.coordinators) == (directive.lead_unit, directive.coordinating_units)
    assert (row.lead_unit, row.coordinators) == ("SO-XD", ("SO-TC",))
    assert (row.status, row.percent, row.acknowledged_at) == (
        "in_progress",
        30,
        directive.acknowledged_at,
    )


def test_the_command_line_merges_and_lists_the_units_with_their_successors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``thucthi units merge``: says what ended, into what, and how much work passed; ``thucthi
    units`` then lists the ended unit with its successor; a refusal is one line, in both
    languages, and exit status 1."""
    url = f"sqlite:///{tmp_path / 'units.db'}"
    out = StringIO()
    argv = ["--db", url, "units", "merge", "SO-DL", "--into", "SO-VHTT", "--basis", BASIS]
    assert main(argv, out=out) == 0
    said = out.getvalue()
    assert "SO-DL (Sở Du lịch) → SO-VHTT (Sở Văn hóa và Thể thao)" in said
    assert "handed over 0 open directives and petitions" in said
    listed = StringIO()
    assert main(["--db", url, "units"], out=listed) == 0
    (line,) = [t for t in listed.getvalue().splitlines() if t.startswith("SO-DL ")]
    assert "[→ SO-VHTT" in line
    assert main(argv, out=StringIO()) == 1
    error = capsys.readouterr().err
    assert "SO-DL đã ngừng hoạt động" in error
    assert "SO-DL has been deactivated" in error


@pytest.mark.parametrize(
    ("day", "given_work"),
    [(date(2025, 6, 30), True), (date(2025, 7, 1), False), (date(2026, 3, 9), False)],
)
def test_a_unit_a_reorganisation_ended_takes_work_on_the_days_before_it_took_effect(
    day: date, given_work: bool
) -> None:
    """A log catching up on a past year (the demo's, after ``thucthi init`` recorded the city of
    2026) issues to the units of that year: SO-TNMT ended on 1 July 2025, not before."""
    clock = SimulatedClock(NOW)
    app = Thucthi(clock=clock)
    app.open_city_registry()
    clock.set(datetime(day.year, day.month, day.day, 3, tzinfo=UTC))
    registry = app.unit_registry()
    assert registry.get("SO-TNMT").ended_on == date(2025, 7, 1)
    if given_work:
        app.require_active_units("SO-TNMT")
        assert registry.require_active("SO-TNMT", on=day).code == "SO-TNMT"
    else:
        with pytest.raises(InactiveUnitError):
            app.require_active_units("SO-TNMT")


def test_a_unit_deactivated_without_a_reorganisation_is_refused_on_every_day() -> None:
    app = city()
    app.deactivate_unit(code="SO-DL", reason="thử", actor=SYSTEM_ACTOR, request_id="t")
    with pytest.raises(InactiveUnitError):
        app.unit_registry().require_active("SO-DL", on=date(2000, 1, 1))
