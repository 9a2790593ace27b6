"""The rules of a directive's life that a command can break, each its own error."""

from __future__ import annotations

from domain.shared.errors import DomainError


class NotLeadUnitError(DomainError):
    """Only an officer of the lead unit may do this."""

    code = "not-lead-unit"
    kind = "forbidden"


class NotCoordinatorError(DomainError):
    """Only an officer of a coordinating unit may contribute."""

    code = "not-coordinator"
    kind = "forbidden"


class DirectiveNotFoundError(DomainError):
    """No directive has this reference or id."""

    code = "directive-not-found"
    kind = "not_found"


class DuplicateReferenceError(DomainError):
    """A directive with this reference was already issued."""

    code = "duplicate-reference"
    kind = "conflict"


class DirectiveClosedError(DomainError):
    """The directive was withdrawn or its completion accepted: it can only be read."""

    code = "directive-closed"
    kind = "conflict"


class AlreadyAcknowledgedError(DomainError):
    """The lead unit has already acknowledged receipt."""

    code = "already-acknowledged"
    kind = "conflict"


class NotAcknowledgedError(DomainError):
    """The lead unit must acknowledge receipt before reporting on the directive."""

    code = "not-acknowledged"
    kind = "conflict"


class CompletionPendingError(DomainError):
    """A completion report awaits the leader's decision; decide it first."""

    code = "completion-pending"
    kind = "conflict"


class NoCompletionReportError(DomainError):
    """Acceptance and return only follow a completion report awaiting decision."""

    code = "no-completion-report"
    kind = "conflict"


class NoDeadlineError(DomainError):
    """The directive has no deadline, so there is nothing to extend."""

    code = "no-deadline"
    kind = "conflict"


class ExtensionTooLateError(DomainError):
    """An extension must be asked for on or before the deadline in force."""

    code = "extension-too-late"
    kind = "conflict"


class ExtensionAlreadyPendingError(DomainError):
    """At most one extension request may be pending."""

    code = "extension-already-pending"
    kind = "conflict"


class NoPendingExtensionError(DomainError):
    """There is no pending extension request with that number."""

    code = "no-pending-extension"
    kind = "conflict"


class DeadlineNotLaterError(DomainError):
    """A new deadline must be later than the deadline it replaces."""

    code = "deadline-not-later"
    kind = "invalid"


class NoOpenExplanationError(DomainError):
    """There is no open explanation request with that number."""

    code = "no-open-explanation"
    kind = "conflict"


class SameLeadUnitError(DomainError):
    """Reassignment must name a different lead unit."""

    code = "same-lead-unit"
    kind = "invalid"


class InvalidPercentError(DomainError):
    """Progress is a whole percentage from 0 to 100."""

    code = "invalid-percent"
    kind = "invalid"


class InvalidAttachmentError(DomainError):
    """An attachment is named by its digest, written ``sha256:`` and 64 lower-case hex digits."""

    code = "invalid-attachment"
    kind = "invalid"


class InvalidDirectiveError(DomainError):
    """The directive's fields are malformed (empty title, bad reference, deadline before issue)."""

    code = "invalid-directive"
    kind = "invalid"


class AmbiguousReferenceError(DomainError):
    """The text is one directive's id and another's reference, kept from an earlier version."""

    code = "ambiguous-reference"
    kind = "conflict"


class ParentDirectiveNotFoundError(DomainError):
    """The parent directive named does not exist."""

    code = "parent-not-found"
    kind = "not_found"
