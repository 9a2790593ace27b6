"""The calendar of working days: a year's public holidays and swaps, each with its source, now or
as the calendar stood at a log position; and the administrator's swaps, declared and withdrawn."""

from __future__ import annotations

from datetime import date
from importlib.metadata import version
from typing import Any

import falcon

from api.commands import command_of, request_model
from api.http import json
from api.idempotency import Found
from api.params import POSITION, YEAR
from api.writes import Commands
from domain.application import Thucthi
from domain.calendar.commands import DeclareSwap, WithdrawSwap
from domain.calendar.work_calendar import WorkCalendar
from domain.shared.calendar import FIRST_YEAR, LAST_YEAR, WorkingCalendar
from domain.shared.clock import city_date

LIBRARY = f"holidays {version('holidays')}"


def calendar_document(app: Thucthi, year: int, position: int | None = None) -> dict[str, Any]:
    """A year of the calendar: its statutory holidays with the article of the law each comes
    from, the swaps in force with the decision each comes from and who entered it, and how many
    working days the year has; as the calendar stands now, or right after ``position``."""
    found = app.work_calendar(position)
    calendar = WorkingCalendar() if found is None else found.calendar()
    declared = {} if found is None else found.swaps
    swaps = []
    for swap in calendar.swaps_in(year):
        entered = declared[swap.day_off.isoformat()]
        swaps.append(
            {
                "day_off": swap.day_off,
                "make_up_day": swap.make_up_day,
                "decision_reference": swap.decision_reference,
                "note": swap.note,
                "declared_at": entered.declared_at,
                "declared_by": entered.declared_by,
                "source": f"{swap.decision_reference} (entered by {entered.declared_by})",
            }
        )
    document: dict[str, Any] = {
        "year": year,
        "years": {"first": FIRST_YEAR, "last": LAST_YEAR},
        "working_days": calendar.working_days_between(date(year, 1, 1), date(year, 12, 31))
        + calendar.is_working_day(date(year, 1, 1)),
        "holidays": [
            {
                "day": h.day,
                "name_vi": h.name_vi,
                "name_en": h.name_en,
                "working_day": calendar.is_working_day(h.day),  # a holiday made up is worked
                "source": h.basis,
                "computed_by": LIBRARY,
            }
            for h in calendar.holidays(year)
        ],
        "swaps": swaps,
    }
    if position is not None:
        document["position"] = position
    return document


class Calendar:
    """``GET /api/calendar``: a year of the calendar (this year by default)."""

    def __init__(self, app: Thucthi) -> None:
        self.app = app

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        year = YEAR.get(req, city_date(self.app.clock.now()).year)
        json(resp, calendar_document(self.app, year, POSITION.read(req)))


class CalendarCommand:
    """An administrator's command on the calendar (``domain.calendar.commands``), answered with
    the year of the day it swapped, as the calendar now stands."""

    def __init__(
        self, app: Thucthi, commands: Commands, command: type[DeclareSwap | WithdrawSwap]
    ) -> None:
        self.app, self.commands, self.command = app, commands, command
        self.model = request_model(command)
        self.status = 201 if command is DeclareSwap else 200

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body, raw = self.commands.body(req, self.model)
        command: DeclareSwap | WithdrawSwap = command_of(self.command, body)

        def answer() -> None:
            year = command.day_off.year
            if self.status == 201:
                resp.location = f"/api/calendar?year={year}"
            json(resp, calendar_document(self.app, year), self.status)

        def produce() -> None:
            actor, request_id = req.context.actor, req.context.request_id
            if isinstance(command, DeclareSwap):
                self.app.declare_swap(command, actor=actor, request_id=request_id)
            else:
                self.app.withdraw_swap(command, actor=actor, request_id=request_id)
            answer()

        def recover(found: Found) -> None:
            answer()

        self.commands.once(req, resp, raw, produce, recover, kind=WorkCalendar.Event)
