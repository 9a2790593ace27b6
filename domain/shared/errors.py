"""The errors every context shares: the base class the API maps once to problem+json, and the
refusals that are not one context's (who may act, texts, versions, contention).

Each class carries a stable ``code`` (used in problem types and by clients) and the HTTP-neutral
``kind`` a caller needs to choose a status: the request was invalid, the thing does not exist,
it conflicts with the current state, the actor may not do it, or something it needs is out of
order for now.

Each error raised also says which of its class's cases it is and with which values
(``raise NoDeadlineError("no_deadline", reference=...)``): the case is a key of the class's
``SAID``, whose English sentence is ``str(error)`` (logs, the API's ``detail``, the command line),
and the pages say the same case in the reader's language from their own table
(``api.web.i18n``: ``refusal.<code>.<case>``), the values formatted the reader's way. Nothing is
translated from the English text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Literal

# ``unavailable``: the rule holds, but something the command needs (a signer's token, a
# certificate) is out of order; asking again once it is mended may succeed.
ErrorKind = Literal["invalid", "not_found", "conflict", "forbidden", "precondition", "unavailable"]


class DomainError(Exception):
    """A command broke a rule of the domain; nothing was recorded."""

    code: ClassVar[str] = "domain-error"
    kind: ClassVar[ErrorKind] = "invalid"
    # Each case of this error, in English, with ``{name}`` for the values it is raised with.
    SAID: ClassVar[Mapping[str, str]] = {}

    def __init__(self, case: str = "", /, **values: object) -> None:
        """``case``: one of ``SAID``'s keys, filled from ``values``. A text that is not one
        (how errors were raised before cases) is kept as the English sentence, and the pages
        say only the rule the class stands for."""
        known = case in self.SAID
        self.case = case if known else ""
        self.values: dict[str, object] = dict(values)
        super().__init__(self.SAID[case].format(**values) if known else case)


class NotPermittedError(DomainError):
    """The actor's role may not perform this command."""

    code = "not-permitted"
    kind = "forbidden"
    SAID: ClassVar[Mapping[str, str]] = {"role": "a {role} may not {command}"}


class VersionNotFoundError(DomainError):
    """The directive has no such version, or did not exist at that moment."""

    code = "version-not-found"
    kind = "not_found"
    SAID: ClassVar[Mapping[str, str]] = {
        "from_one": "versions start at 1, not {version}",
        "past_last": "{reference} has {versions} versions, not {version}",
        "before_issue": "{reference} was issued after {at}",
    }


class InvalidTextError(DomainError):
    """A text field is empty, too long, malformed, or holds a character it may not."""

    code = "invalid-text"
    kind = "invalid"
    SAID: ClassVar[Mapping[str, str]] = {
        "not_text": "must be text",
        "empty": "must not be empty",
        "too_long": "is {length} characters long, more than the {limit} allowed",
        "control": "holds a control character ({character}) at character {at}",
        "surrogate": "holds a lone surrogate ({character}), not a character, at character {at}",
        "line_break": "is one line: a line break or tab ({character}) at character {at}",
        "format": "is not in the form of {example}",
    }

    def __init__(self, field: str, problem: str, **details: object) -> None:
        """``problem`` is one of ``SAID``'s keys (the case); ``details`` fill its sentence."""
        super().__init__(problem, **details)
        self.field = field
        self.problem = problem
        self.details = details
        self.args = (f"{field} {self.reason}",)

    @property
    def reason(self) -> str:
        """What is wrong, in English, without the field's name."""
        return self.SAID[self.problem].format(**self.details)


class VersionMismatchError(DomainError):
    """The directive moved on since the version the caller decided on (If-Match)."""

    code = "version-mismatch"
    kind = "precondition"
    SAID: ClassVar[Mapping[str, str]] = {
        "moved_on": (
            "{reference} is at version {version}, not {expected}: reload it and decide again"
        ),
    }


class ConcurrencyConflictError(DomainError):
    """Others kept changing the same directive; the command was retried and gave up."""

    code = "concurrency-conflict"
    kind = "conflict"
    SAID: ClassVar[Mapping[str, str]] = {
        "gave_up": "gave up after {attempts} attempts: the record kept changing underneath"
    }


class OutsideCalendarError(DomainError):
    """The day lies in a year whose public holidays the working-day calendar does not know."""

    code = "outside-calendar"
    kind = "invalid"
    SAID: ClassVar[Mapping[str, str]] = {
        "outside": "{day} is outside the working-day calendar, which knows {first} to {last}",
    }
