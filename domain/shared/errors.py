"""The errors every context shares: the base class the API maps once to problem+json, and the
refusals that are not one context's (who may act, texts, versions, contention).

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


class NotPermittedError(DomainError):
    """The actor's role may not perform this command."""

    code = "not-permitted"
    kind = "forbidden"


class VersionNotFoundError(DomainError):
    """The directive has no such version, or did not exist at that moment."""

    code = "version-not-found"
    kind = "not_found"


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


class VersionMismatchError(DomainError):
    """The directive moved on since the version the caller decided on (If-Match)."""

    code = "version-mismatch"
    kind = "precondition"


class ConcurrencyConflictError(DomainError):
    """Others kept changing the same directive; the command was retried and gave up."""

    code = "concurrency-conflict"
    kind = "conflict"
