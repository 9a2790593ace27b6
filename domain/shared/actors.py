"""Who does things: the roles of the brief, the actor on every event, what each role may do."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from domain.shared.errors import NotPermittedError


class Role(StrEnum):
    """The kinds of user in the brief: the five of directives, and the two of an agency's
    petitions desk (its reception officer and its head; a petition's handling officer is a
    department officer the head assigns)."""

    LEADER = "leader"
    OFFICE = "office"
    DEPARTMENT = "department"
    INSPECTOR = "inspector"
    ADMIN = "admin"
    RECEPTION = "reception"  # cán bộ tiếp công dân, xử lý đơn
    AGENCY_HEAD = "agency_head"  # thủ trưởng cơ quan

    @property
    def bound_to_unit(self) -> bool:
        """An officer of one agency, who sees only that agency's cases."""
        return self in UNIT_ROLES


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
        if self.role.bound_to_unit and not self.unit:
            msg = f"a {self.role.value} officer belongs to a unit"
            raise ValueError(msg)

    def sees(self, lead_unit: str, coordinating_units: Collection[str]) -> bool:
        """A department officer sees only the directives its unit leads or coordinates; every
        other role sees them all (what is not seen does not exist for them: 404, not 403)."""
        if not self.role.bound_to_unit:
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
    COMMENT = "comment"
    MANAGE_UNITS = "manage_units"
    MANAGE_USERS = "manage_users"
    RECEIVE_PETITION = "receive_petition"
    CLASSIFY_PETITION = "classify_petition"
    DECIDE_PETITION = "decide_petition"
    HANDLE_PETITION = "handle_petition"
    EXTEND_PETITION = "extend_petition"
    RESOLVE_PETITION = "resolve_petition"
    WITHDRAW_PETITION = "withdraw_petition"
    LINK_PETITION = "link_petition"
    ERASE_PERSONAL_DATA = "erase_personal_data"
    MANAGE_CALENDAR = "manage_calendar"
    PUBLISH_DTI_FRAMEWORK = "publish_dti_framework"
    ASSESS_DTI = "assess_dti"
    APPRAISE_DTI = "appraise_dti"
    PUBLISH_DTI_RESULTS = "publish_dti_results"
    CORRECT_DTI = "correct_dti"


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
    # The discussion of a directive (thảo luận): its lead and coordinating units' officers (the
    # directive checks the unit), the Office that follows it up and the leaders who direct it.
    # Inspectors and administrators read it; they take no part in the work.
    Command.COMMENT: frozenset({Role.LEADER, Role.OFFICE, Role.DEPARTMENT}),
    Command.MANAGE_UNITS: frozenset({Role.ADMIN}),
    Command.MANAGE_USERS: frozenset({Role.ADMIN}),
    # Petitions: the reception registers and classifies; the head decides, extends and signs
    # the result; verification and dialogue are the assigned officer's (or the head's).
    Command.RECEIVE_PETITION: frozenset({Role.RECEPTION}),
    Command.CLASSIFY_PETITION: frozenset({Role.RECEPTION, Role.AGENCY_HEAD}),
    Command.DECIDE_PETITION: frozenset({Role.AGENCY_HEAD}),
    Command.HANDLE_PETITION: frozenset({Role.DEPARTMENT, Role.AGENCY_HEAD}),
    Command.EXTEND_PETITION: frozenset({Role.AGENCY_HEAD}),
    Command.RESOLVE_PETITION: frozenset({Role.AGENCY_HEAD}),
    Command.WITHDRAW_PETITION: frozenset({Role.RECEPTION, Role.AGENCY_HEAD}),
    # The same matter (issue 26): the reception at intake, the head, or the officer handling it
    # marks a filing as one matter with an earlier one, or undoes a wrong link.
    Command.LINK_PETITION: frozenset({Role.RECEPTION, Role.AGENCY_HEAD, Role.DEPARTMENT}),
    Command.ERASE_PERSONAL_DATA: frozenset({Role.ADMIN}),
    # The government's swaps of working days (domain.calendar), which every working-day term
    # of petitions and directives is counted by.
    Command.MANAGE_CALENDAR: frozenset({Role.ADMIN}),
    # The digital-transformation index (domain.dti): the Office publishes the framework the
    # committee decided (or the administrator loads it), a unit's officers assess their unit
    # and the appraising body's officers appraise (both checked by the assessment: the unit's
    # own, the framework's appraiser), and the Office publishes the results and corrects them.
    Command.PUBLISH_DTI_FRAMEWORK: frozenset({Role.OFFICE, Role.ADMIN}),
    Command.ASSESS_DTI: frozenset({Role.DEPARTMENT}),
    Command.APPRAISE_DTI: frozenset({Role.DEPARTMENT}),
    Command.PUBLISH_DTI_RESULTS: frozenset({Role.OFFICE}),
    Command.CORRECT_DTI: frozenset({Role.OFFICE}),
}


UNIT_ROLES = frozenset({Role.DEPARTMENT, Role.RECEPTION, Role.AGENCY_HEAD})


def require_permission(actor: Actor, command: Command) -> None:
    """Raise NotPermittedError unless the actor's role may perform the command."""
    if actor.role not in PERMISSIONS[command]:
        raise NotPermittedError("role", role=actor.role.value, command=command.value)
