"""What accounts refuse."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from domain.shared.errors import DomainError


class UserNotFoundError(DomainError):
    """No account has this user name."""

    code = "user-not-found"
    kind = "not_found"
    SAID: ClassVar[Mapping[str, str]] = {
        "unknown": "no user {username!r}",
    }


class DuplicateUserError(DomainError):
    """An account with this user name already exists."""

    code = "duplicate-user"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "exists": "user {username} already exists",
    }


class InvalidUserError(DomainError):
    """The account is malformed: bad user name, a department role without unit, or the reverse."""

    code = "invalid-user"
    kind = "invalid"
    SAID: ClassVar[Mapping[str, str]] = {
        "username_form": (
            "a user name is 2-63 lower-case letters, digits, '.', '_' or '-': {username!r}"
        ),
        "same_role": "{username} already has role {role}",
        "same_role_in_unit": "{username} already has role {role} in {unit}",
        "not_disabled": "{username} is not disabled",
        "same_profile": "{username} already has this name and title",
        "unit_needed": "an officer of an agency (unit officer, reception, head) belongs to a unit",
        "unit_not_allowed": "only officers of an agency belong to a unit, not a {role}",
        "no_token": "no such token",
    }


class AccountDisabledError(DomainError):
    """The account is disabled."""

    code = "account-disabled"
    kind = "forbidden"
    SAID: ClassVar[Mapping[str, str]] = {
        "disabled": "{username} is disabled",
        "already_disabled": "{username} is already disabled",
    }


class SavedViewError(DomainError):
    """A list view cannot be saved: the account has as many as it may keep."""

    code = "invalid-saved-view"
    kind = "invalid"
    SAID: ClassVar[Mapping[str, str]] = {
        "too_many": "an account keeps at most {limit} saved views: delete one first",
    }


class SavedViewNotFoundError(DomainError):
    """The account has no saved view of this name."""

    code = "saved-view-not-found"
    kind = "not_found"
    SAID: ClassVar[Mapping[str, str]] = {
        "unknown": "no saved view named {name!r}",
    }
