"""What the tests of refusals share: every error class of the domain, and a detector of English
sentences inside Vietnamese text (the words every English sentence is built with and no
Vietnamese one is: written without diacritics, "may", "than", "can", "in", "to", "an" and "on"
are Vietnamese syllables, so they are not on the list)."""

from __future__ import annotations

import re

# The modules of the domain's errors, imported so that every class is found.
import domain.accounts.errors
import domain.calendar.errors
import domain.directives.errors
import domain.dti.errors
import domain.personal.errors
import domain.shared.errors
import domain.shared.personal
import domain.units.errors
from domain.shared.errors import DomainError

ERROR_MODULES = (
    domain.accounts.errors,
    domain.calendar.errors,
    domain.directives.errors,
    domain.dti.errors,
    domain.personal.errors,
    domain.shared.errors,
    domain.shared.personal,
    domain.units.errors,
)


def domain_errors() -> list[type[DomainError]]:
    """Every error class of the domain."""
    found: list[type[DomainError]] = []
    todo: list[type[DomainError]] = [DomainError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    return [c for c in found if c.__module__.startswith("domain.")]


STOP_WORDS = (
    "the",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "has",
    "have",
    "does",
    "not",
    "no",
    "cannot",
    "must",
    "only",
    "already",
    "before",
    "after",
    "this",
    "that",
    "there",
    "with",
    "of",
    "from",
    "for",
    "and",
    "or",
    "it",
    "its",
    "by",
    "at",
    "you",
    "your",
    "please",
    "should",
    "which",
    "will",
    "into",
)
_WORDS = re.compile(r"(?<!\w)(" + "|".join(STOP_WORDS) + r")(?!\w)", re.IGNORECASE)


def english_words(text: str) -> list[str]:
    """The English stop words in ``text`` (none in a Vietnamese sentence)."""
    return [m[0] for m in _WORDS.finditer(text)]
