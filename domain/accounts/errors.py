"""What accounts refuse."""

from __future__ import annotations

from domain.shared.errors import DomainError


class UserNotFoundError(DomainError):
    """No account has this user name."""

    code = "user-not-found"
    kind = "not_found"


class DuplicateUserError(DomainError):
    """An account with this user name already exists."""

    code = "duplicate-user"
    kind = "conflict"


class InvalidUserError(DomainError):
    """The account is malformed: bad user name, a department role without unit, or the reverse."""

    code = "invalid-user"
    kind = "invalid"


class AccountDisabledError(DomainError):
    """The account is disabled."""

    code = "account-disabled"
    kind = "forbidden"
