"""What the unit registry refuses."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from domain.shared.errors import DomainError


class UnknownUnitError(DomainError):
    """No unit has this code."""

    code = "unknown-unit"
    kind = "not_found"
    SAID: ClassVar[Mapping[str, str]] = {
        "unknown": "no unit has code {code!r}",
    }


class DuplicateUnitError(DomainError):
    """A unit with this code already exists."""

    code = "duplicate-unit"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "exists": "unit {code} already exists",
    }


class InactiveUnitError(DomainError):
    """The unit has been deactivated and cannot be given work or changed."""

    code = "inactive-unit"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "inactive": "unit {code} has been deactivated",
    }


class InvalidUnitError(DomainError):
    """The unit's fields are malformed (bad code, empty name, unknown parent)."""

    code = "invalid-unit"
    kind = "invalid"
    SAID: ClassVar[Mapping[str, str]] = {
        "code_form": "a unit code is upper-case letters and digits joined by hyphens: {code!r}",
        "same_names": "unit {code} already has these names",
        "active_children": "deactivate the active sub-units of {code} first: {children}",
        "no_predecessor": "a reorganisation ends at least one unit",
        "committee": "{code} is the committee itself, which never ends",
        "own_successor": "{code} cannot succeed itself",
        "split_in_two": "{code} splits into two or more units",
        "in_future": "a reorganisation takes effect by the day it is recorded ({today}), "
        "not on {effective_on}",
    }
