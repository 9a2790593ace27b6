"""What the calendar of working days refuses, each its own error, with its cases
(``domain.shared.errors``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from domain.shared.errors import DomainError


class InvalidSwapError(DomainError):
    """A swap makes a working day a day off and a day off a working day: not the other way."""

    code = "invalid-swap"
    kind = "invalid"
    SAID: ClassVar[Mapping[str, str]] = {
        "day_off_not_working": "{day} is already a day off: only a working day can be swapped off",
        "make_up_not_off": "{day} is already a working day: a make-up day is a day off worked",
        "already_swapped": "{day} is already in the swap of {swapped}: withdraw that one first",
    }


class SwapNotFoundError(DomainError):
    """No swap in force makes this day a day off."""

    code = "swap-not-found"
    kind = "not_found"
    SAID: ClassVar[Mapping[str, str]] = {
        "none": "no swap in force makes {day} a day off",
    }
