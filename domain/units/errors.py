"""What the unit registry refuses."""

from __future__ import annotations

from domain.shared.errors import DomainError


class UnknownUnitError(DomainError):
    """No unit has this code."""

    code = "unknown-unit"
    kind = "not_found"


class DuplicateUnitError(DomainError):
    """A unit with this code already exists."""

    code = "duplicate-unit"
    kind = "conflict"


class InactiveUnitError(DomainError):
    """The unit has been deactivated and cannot be given work or changed."""

    code = "inactive-unit"
    kind = "conflict"


class InvalidUnitError(DomainError):
    """The unit's fields are malformed (bad code, empty name, unknown parent)."""

    code = "invalid-unit"
    kind = "invalid"
