"""Who does things: the roles of the brief, the actor on every event, what each role may do."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from domain.shared.errors import NotPermittedError


class Role(StrEnum):
    """The five kinds of user in the brief."""

    LEADER = "leader"
    OFFICE = "office"
    DEPARTMENT = "department"
    INSPECTOR = "inspector"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Actor:
    """The person behind a command: recorded on every event so the audit trail needs no side table.

    ``unit`` is the unit a ``department`` officer belongs to; other roles act for the committee.
    """

    user_id: str
    role: Role
    unit: str | None = None

    def __post_init__(self) -> None:
        if not self.user_id.strip():
            msg = "an actor needs a user id"
            raise ValueError(msg)
        if self.role is Role.DEPARTMENT and not self.unit:
            msg = "a department officer belongs to a unit"
            raise ValueError(msg)

    def sees(self, lead_unit: str, coordinating_units: Collection[str]) -> bool:
        """A department officer sees only the directives its unit leads or coordinates; every
        other role sees them all (what is not seen does not exist for them: 404, not 403)."""
        if self.role is not Role.DEPARTMENT:
            return True
        return self.unit == lead_unit or self.unit in coordinating_units


class Command(StrEnum):
    """Every command that changes something; the keys of the permission table."""

    ISSUE = "issue"
    ACKNOWLEDGE = "acknowledge"
    REPORT_PROGRESS = "report_progress"
    CONTRIBUTE = "contribute"
    REQUEST_EXTENSION = "request_extension"
    DECIDE_EXTENSION = "decide_extension"
    REPORT_COMPLETION = "report_completion"
    DECIDE_COMPLETION = "decide_completion"
    REASSIGN = "reassign"
    WITHDRAW = "withdraw"
    SEND_REMINDER = "send_reminder"
    REQUEST_EXPLANATION = "request_explanation"
    GIVE_EXPLANATION = "give_explanation"
    MANAGE_UNITS = "manage_units"
    MANAGE_USERS = "manage_users"
    MANAGE_CALENDAR = "manage_calendar"


# The one table of which role may issue which command. Unit membership (lead or coordinator) is
# checked by the directive itself, because it depends on the directive's state.
PERMISSIONS: dict[Command, frozenset[Role]] = {
    Command.ISSUE: frozenset({Role.LEADER, Role.OFFICE}),
    Command.ACKNOWLEDGE: frozenset({Role.DEPARTMENT}),
    Command.REPORT_PROGRESS: frozenset({Role.DEPARTMENT}),
    Command.CONTRIBUTE: frozenset({Role.DEPARTMENT}),
    Command.REQUEST_EXTENSION: frozenset({Role.DEPARTMENT}),
    Command.DECIDE_EXTENSION: frozenset({Role.LEADER}),
    Command.REPORT_COMPLETION: frozenset({Role.DEPARTMENT}),
    Command.DECIDE_COMPLETION: frozenset({Role.LEADER}),
    Command.REASSIGN: frozenset({Role.LEADER, Role.OFFICE}),
    Command.WITHDRAW: frozenset({Role.LEADER}),
    Command.SEND_REMINDER: frozenset({Role.LEADER, Role.OFFICE}),
    Command.REQUEST_EXPLANATION: frozenset({Role.LEADER}),
    Command.GIVE_EXPLANATION: frozenset({Role.DEPARTMENT}),
    Command.MANAGE_UNITS: frozenset({Role.ADMIN}),
    Command.MANAGE_USERS: frozenset({Role.ADMIN}),
    # The government's swaps of working days (domain.calendar), which every working-day term
    # of petitions and directives is counted by.
    Command.MANAGE_CALENDAR: frozenset({Role.ADMIN}),
}


def require_permission(actor: Actor, command: Command) -> None:
    """Raise NotPermittedError unless the actor's role may perform the command."""
    if actor.role not in PERMISSIONS[command]:
        raise NotPermittedError("role", role=actor.role.value, command=command.value)
