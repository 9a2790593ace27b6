"""The administrator's commands on the calendar of working days, as data: the API's request
schemas and the command line are derived from them (``api.commands``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.shared.commands import Command


@dataclass(frozen=True, kw_only=True)
class DeclareSwap(Command):
    """Hoán đổi ngày làm việc: ``day_off`` becomes a day off and ``make_up_day`` (if any) a
    working day, per the government's decision ``decision_reference``."""

    method = "declare_swap"
    day_off: date
    make_up_day: date | None = None
    decision_reference: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class WithdrawSwap(Command):
    """Hủy hoán đổi: the swap that makes ``day_off`` a day off no longer holds; why is said."""

    method = "withdraw_swap"
    day_off: date
    reason: str
