"""The pure fold of a petition's rows (``projections.petitions.evolve``): a stint per agency, the
domain's deadlines in working days, nothing personal; and its ``replace``."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.petitions.commands import Accept, Classify, Resume, Suspend, Transfer
from domain.petitions.petition import Competence, Field, Kind
from domain.shared.calendar import WorkingCalendar
from domain.shared.clock import SimulatedClock
from projections.petitions import evolve, replace
from readmodels.petitions import PetitionRow
from tests.petition_builders import (
    HANDLER,
    HEAD,
    MONDAY,
    NGUYEN,
    OTHER_AGENCY,
    RECEPTION,
    TRAN,
    desk_app,
    received,
)


def rows_of(app: object, receipt: str) -> list[PetitionRow]:
    """Every row the petition's events fold into, in order, with Vietnam's working days."""
    calendar = WorkingCalendar()
    rows: list[PetitionRow] = []
    current = None
    for position, event in enumerate(app.petitions.history(receipt), start=1):  # type: ignore[attr-defined]
        made = evolve(current, event, position, calendar)
        rows += made
        current = made[-1]
    return rows


def test_a_transfer_within_the_city_closes_the_stint_and_opens_the_next() -> None:
    app = desk_app(SimulatedClock(MONDAY))
    receipt = received(app)
    app.petitions.execute(
        Classify(kind=Kind.COMPLAINT, field=Field.LAND, competence=Competence.CITY_AGENCY),
        receipt,
        actor=RECEPTION,
        request_id="r",
    )
    app.clock.advance(timedelta(days=2))  # type: ignore[attr-defined]
    app.petitions.execute(Transfer(to_agency=OTHER_AGENCY), receipt, actor=HEAD, request_id="r")
    *_, out, arrived = rows_of(app, receipt)
    assert (out.stint, out.agency, out.status, out.transferred_to) == (
        0,
        "SO-XD",
        "transferred",
        OTHER_AGENCY,
    )
    assert (out.due, out.closed_on) == (None, date(2026, 3, 11))
    assert (arrived.stint, arrived.agency, arrived.channel, arrived.status) == (
        1,
        OTHER_AGENCY,
        "transferred",
        "received",
    )
    assert (arrived.kind, arrived.arrived_on, arrived.received_on) == (
        None,
        date(2026, 3, 11),
        date(2026, 3, 9),
    )
    # Before classification a denunciation's 7 working days: Wednesday 11 → Friday 20 March.
    assert arrived.due == date(2026, 3, 20)


def test_a_suspension_stops_the_clock_and_its_days_are_added_to_the_term() -> None:
    app = desk_app(SimulatedClock(MONDAY))
    receipt = received(app)
    app.petitions.execute(
        Classify(kind=Kind.COMPLAINT, field=Field.LAND, competence=Competence.OURS),
        receipt,
        actor=RECEPTION,
        request_id="r",
    )
    app.petitions.execute(Accept(handler=HANDLER.user_id), receipt, actor=HEAD, request_id="r")
    accepted = rows_of(app, receipt)[-1]
    assert accepted.due == accepted.handling_due == date(2026, 4, 8)  # 30 days
    app.petitions.execute(Suspend(reason="Chờ giám định"), receipt, actor=HEAD, request_id="r")
    assert rows_of(app, receipt)[-1].due is None
    app.clock.advance(timedelta(days=10))  # type: ignore[attr-defined]
    app.petitions.execute(Resume(), receipt, actor=HEAD, request_id="r")
    resumed = rows_of(app, receipt)[-1]
    assert (resumed.suspended_since, resumed.suspended_days) == (None, 10)
    assert resumed.due == date(2026, 4, 20)  # 18 April is a Saturday: the next working day


def test_no_row_holds_anything_of_the_petitioners_or_the_content() -> None:
    app = desk_app(SimulatedClock(MONDAY))
    receipt = received(app, petitioners=(NGUYEN, TRAN), subject="Ông Trần Văn Cán")
    held = repr(rows_of(app, receipt))
    for personal in (NGUYEN.full_name, str(NGUYEN.id_number), NGUYEN.phone, TRAN.address):
        assert personal not in held
    assert "Khiếu nại Quyết định" not in held
    assert "Trần Văn Cán" not in held


@given(st.builds(PetitionRow), st.builds(PetitionRow))
def test_a_petition_row_replaced_in_part_is_the_dataclass_replacement(
    row: PetitionRow, other: PetitionRow
) -> None:
    names = [f.name for f in dataclasses.fields(PetitionRow)]
    for chosen in (names[::2], names[1::3], names[-1:], []):
        changes = {name: getattr(other, name) for name in chosen}
        assert replace(row, **changes) == dataclasses.replace(row, **changes)
