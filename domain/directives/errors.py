"""The rules of a directive's life that a command can break, each its own error, with its cases
(``domain.shared.errors``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from domain.shared.errors import DomainError


class NotLeadUnitError(DomainError):
    """Only an officer of the lead unit may do this."""

    code = "not-lead-unit"
    kind = "forbidden"
    SAID: ClassVar[Mapping[str, str]] = {
        "not_lead": "only the lead unit {lead_unit} may do this, not {unit}",
    }


class NotCoordinatorError(DomainError):
    """Only an officer of a coordinating unit may contribute."""

    code = "not-coordinator"
    kind = "forbidden"
    SAID: ClassVar[Mapping[str, str]] = {
        "not_coordinator": "{unit} does not coordinate on {reference}",
    }


class DirectiveNotFoundError(DomainError):
    """No directive has this reference or id."""

    code = "directive-not-found"
    kind = "not_found"
    SAID: ClassVar[Mapping[str, str]] = {
        "unknown": "no directive {reference}",
    }


class DuplicateReferenceError(DomainError):
    """A directive with this reference was already issued."""

    code = "duplicate-reference"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "issued": "a directive with reference {reference} was already issued",
        "issued_earlier": (
            "a directive with reference {reference} was already issued by an earlier version, "
            "as {earlier!r}"
        ),
    }


class DirectiveClosedError(DomainError):
    """The directive was withdrawn or its completion accepted: it can only be read."""

    code = "directive-closed"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "completed": "{reference} is completed: it can only be read",
        "withdrawn": "{reference} is withdrawn: it can only be read",
    }


class AlreadyAcknowledgedError(DomainError):
    """The lead unit has already acknowledged receipt."""

    code = "already-acknowledged"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "acknowledged": "{unit} already acknowledged {reference}",
    }


class NotAcknowledgedError(DomainError):
    """The lead unit must acknowledge receipt before reporting on the directive."""

    code = "not-acknowledged"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "not_acknowledged": "{unit} must acknowledge {reference} first",
    }


class CompletionPendingError(DomainError):
    """A completion report awaits the leader's decision; decide it first."""

    code = "completion-pending"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "awaiting": "the completion report awaits the leader's decision",
        "before_reassigning": (
            "a completion report awaits decision: accept or return it before reassigning"
        ),
        "nothing_to_remind": (
            "{reference} was reported complete and awaits the leader's decision: there is "
            "nothing to remind the unit of"
        ),
    }


class NoCompletionReportError(DomainError):
    """Acceptance and return only follow a completion report awaiting decision."""

    code = "no-completion-report"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "none": "{reference} has no completion report awaiting decision",
    }


class NoDeadlineError(DomainError):
    """The directive has no deadline, so there is nothing to extend."""

    code = "no-deadline"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "no_deadline": "{reference} has no deadline to extend",
    }


class ExtensionTooLateError(DomainError):
    """An extension must be asked for on or before the deadline in force."""

    code = "extension-too-late"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "passed": (
            "the deadline {deadline} has passed: an extension must be asked for on or before it"
        ),
    }


class ExtensionAlreadyPendingError(DomainError):
    """At most one extension request may be pending."""

    code = "extension-already-pending"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "pending": "extension request {number} is still pending",
    }


class NoPendingExtensionError(DomainError):
    """There is no pending extension request with that number."""

    code = "no-pending-extension"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "none_pending": "there is no pending extension request {number} on {reference}",
    }


class DeadlineNotLaterError(DomainError):
    """A new deadline must be later than the deadline it replaces."""

    code = "deadline-not-later"
    kind = "invalid"
    SAID: ClassVar[Mapping[str, str]] = {
        "requested": "the requested deadline {requested} is not later than {deadline}",
        "granted": "the new deadline {granted} is not later than the one in force",
    }


class NoOpenExplanationError(DomainError):
    """There is no open explanation request with that number."""

    code = "no-open-explanation"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "none_open": "there is no open explanation request {number} on {reference}",
    }


class SameLeadUnitError(DomainError):
    """Reassignment must name a different lead unit."""

    code = "same-lead-unit"
    kind = "invalid"
    SAID: ClassVar[Mapping[str, str]] = {
        "same": "{unit} already leads {reference}",
    }


class InvalidPercentError(DomainError):
    """Progress is a whole percentage from 0 to 100."""

    code = "invalid-percent"
    kind = "invalid"
    SAID: ClassVar[Mapping[str, str]] = {
        "below_zero": "progress is a whole percentage from 0 to 100, not {percent!r}",
        "above_hundred": "progress is a whole percentage from 0 to 100, not {percent!r}",
        "not_whole": "progress is a whole percentage from 0 to 100, not {percent!r}",
    }


class InvalidAttachmentError(DomainError):
    """An attachment is named by its digest, written ``sha256:`` and 64 lower-case hex digits."""

    code = "invalid-attachment"
    kind = "invalid"
    SAID: ClassVar[Mapping[str, str]] = {
        "not_a_digest": (
            "an attachment is named by its digest, sha256:<64 hex digits>, not {digest!r}"
        ),
    }


class InvalidDirectiveError(DomainError):
    """The directive's fields are malformed (empty title, bad reference, deadline before issue)."""

    code = "invalid-directive"
    kind = "invalid"
    SAID: ClassVar[Mapping[str, str]] = {
        "issuer_needed": "the office issues on a leader's behalf: name the issuer",
        "issued_in_future": "a directive cannot be issued in the future ({issued_on})",
        "deadline_before_issue": "the deadline {deadline} is before the issue date",
        "lead_also_coordinates": "{unit} cannot both lead and coordinate",
        "committee_unit": "{unit} is the committee itself and cannot be given a directive",
        "deadline_and_working_days": (
            "give a deadline ({deadline}) or a number of working days ({days}), not both"
        ),
        "working_days_not_positive": "a deadline in working days is at least 1 day, not {days}",
    }


class AmbiguousReferenceError(DomainError):
    """The text is one directive's id and another's reference, kept from an earlier version."""

    code = "ambiguous-reference"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "ambiguous": (
            "{text} is the id of directive {text} and the reference of directive {reference}: "
            "ask for one by its id"
        ),
    }


class ParentDirectiveNotFoundError(DomainError):
    """The parent directive named does not exist."""

    code = "parent-not-found"
    kind = "not_found"
    SAID: ClassVar[Mapping[str, str]] = {
        "unknown": "no directive {reference!r} to be the parent",
    }


class NotParticipantError(DomainError):
    """Only the lead unit, the coordinating units, the Office and the leadership discuss a
    directive."""

    code = "not-participant"
    kind = "forbidden"
    SAID: ClassVar[Mapping[str, str]] = {
        "not_participant": "{unit} neither leads nor coordinates {reference}",
    }


class NoSuchCommentError(DomainError):
    """A reply answers a comment of the same directive's discussion."""

    code = "no-such-comment"
    kind = "invalid"
    SAID: ClassVar[Mapping[str, str]] = {
        "unknown": "{reference} has no comment {number} to reply to",
    }
