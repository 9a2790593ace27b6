"""Domain errors: one small class per broken rule, mapped once to problem+json by the API.

Each class carries a stable ``code`` (used in problem types and by clients) and the HTTP-neutral
``kind`` a caller needs to choose a status: the request was invalid, the thing does not exist,
it conflicts with the current state, or the actor may not do it.
"""

from __future__ import annotations

from typing import ClassVar, Literal

ErrorKind = Literal["invalid", "not_found", "conflict", "forbidden", "precondition"]


class DomainError(Exception):
    """A command broke a rule of the domain; nothing was recorded."""

    code: ClassVar[str] = "domain-error"
    kind: ClassVar[ErrorKind] = "invalid"


# --- who may act -----------------------------------------------------------------------------


class NotPermittedError(DomainError):
    """The actor's role may not perform this command."""

    code = "not-permitted"
    kind = "forbidden"


class NotLeadUnitError(DomainError):
    """Only an officer of the lead unit may do this."""

    code = "not-lead-unit"
    kind = "forbidden"


class NotCoordinatorError(DomainError):
    """Only an officer of a coordinating unit may contribute."""

    code = "not-coordinator"
    kind = "forbidden"


# --- what exists ----------------------------------------------------------------------------


class DirectiveNotFoundError(DomainError):
    """No directive has this reference or id."""

    code = "directive-not-found"
    kind = "not_found"


class VersionNotFoundError(DomainError):
    """The directive has no such version, or did not exist at that moment."""

    code = "version-not-found"
    kind = "not_found"


class UnknownUnitError(DomainError):
    """No unit has this code."""

    code = "unknown-unit"
    kind = "not_found"


class DuplicateReferenceError(DomainError):
    """A directive with this reference was already issued."""

    code = "duplicate-reference"
    kind = "conflict"


class DuplicateUnitError(DomainError):
    """A unit with this code already exists."""

    code = "duplicate-unit"
    kind = "conflict"


class InactiveUnitError(DomainError):
    """The unit has been deactivated and cannot be given work or changed."""

    code = "inactive-unit"
    kind = "conflict"


# --- lifecycle ------------------------------------------------------------------------------


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


class InvalidUnitError(DomainError):
    """The unit's fields are malformed (bad code, empty name, unknown parent)."""

    code = "invalid-unit"
    kind = "invalid"


class InvalidTextError(DomainError):
    """A text field is empty, too long, malformed, or holds a character it may not."""

    code = "invalid-text"
    kind = "invalid"
    _SAID: ClassVar[dict[str, str]] = {
        "not_text": "must be text",
        "empty": "must not be empty",
        "too_long": "is {length} characters long, more than the {limit} allowed",
        "control": "holds a control character ({character}) at character {at}",
        "surrogate": "holds a lone surrogate ({character}), not a character, at character {at}",
        "line_break": "is one line: a line break or tab ({character}) at character {at}",
        "format": "is not in the form of {example}",
    }

    def __init__(self, field: str, problem: str, **details: object) -> None:
        """``problem`` is one of ``_SAID``'s keys; ``details`` fill its sentence."""
        self.field = field
        self.problem = problem
        self.details = details
        super().__init__(f"{field} {self._SAID[problem].format(**details)}")

    @property
    def reason(self) -> str:
        """What is wrong, in English, without the field's name."""
        return self._SAID[self.problem].format(**self.details)


class AmbiguousReferenceError(DomainError):
    """The text is one directive's id and another's reference, kept from an earlier version."""

    code = "ambiguous-reference"
    kind = "conflict"


class ParentDirectiveNotFoundError(DomainError):
    """The parent directive named does not exist."""

    code = "parent-not-found"
    kind = "not_found"


# --- accounts ------------------------------------------------------------------------------


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


# --- infrastructure surfaced as domain outcomes ---------------------------------------------


class VersionMismatchError(DomainError):
    """The directive moved on since the version the caller decided on (If-Match)."""

    code = "version-mismatch"
    kind = "precondition"


class ConcurrencyConflictError(DomainError):
    """Others kept changing the same directive; the command was retried and gave up."""

    code = "concurrency-conflict"
    kind = "conflict"
