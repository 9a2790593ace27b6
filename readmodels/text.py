"""Text in the read models: folded for accent-insensitive search ("Sở Lao động" and
"so lao dong" meet), and escaped where a read model cannot hold a character (``storable``).

Unicode decomposition strips tones and vowel marks, but "đ" has no decomposition, so it is mapped
by hand. The same fold is applied to what is indexed and to what is asked.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import fields, is_dataclass
from typing import Any

_NOT_WORD = re.compile(r"[^\w]+")
_COMBINING = re.compile("[\u0300-\u036f]+")  # tones, circumflex, breve, horn, dot below …


def fold(text: str) -> str:
    """Lower-case words without diacritics, separated by single spaces."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return _NOT_WORD.sub(" ", _COMBINING.sub("", decomposed).lower()).strip()


def terms(query: str) -> list[str]:
    """The folded words of a query, in order, without repeats."""
    return list(dict.fromkeys(fold(query).split()))


# What a read model never holds as it is: C0 controls but tab, line feed and carriage return;
# DEL and the C1 controls; lone surrogates. PostgreSQL text cannot hold NUL, UTF-8 cannot carry a
# lone surrogate, and the others are invisible on a page and refused by spreadsheets.
_UNHOLDABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _escape(found: re.Match[str]) -> str:
    return f"\\u{ord(found[0]):04x}"


def storable(text: str) -> str:
    """The text as a read model holds it: each character it cannot hold written ``\\uXXXX``.

    Every read-model writer passes its text through here. Escaping an escaped text changes
    nothing, so a row read back and written again stays as it was (docs/oversight.md).
    """
    if text.isprintable() or _UNHOLDABLE.search(text) is None:
        return text
    return _UNHOLDABLE.sub(_escape, text)


def storable_row(values: Iterable[Any]) -> tuple[Any, ...]:
    """A row of parameters with every text, and every text in a list or tuple, made storable."""
    return tuple(_storable_value(v) for v in values)


def storable_texts(texts: tuple[str, ...]) -> tuple[str, ...]:
    """A tuple of texts (a board row's unit codes) made storable, itself if nothing needs it."""
    if "".join(texts).isprintable():
        return texts
    return tuple(storable(t) for t in texts)


def storable_value(value: Any) -> Any:
    """A JSON-ready value (dicts, lists, tuples, dataclasses) with every text made storable."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, dict):
        return {storable_value(k): storable_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [storable_value(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: storable_value(getattr(value, f.name)) for f in fields(value)}
    return value


def _storable_value(value: Any) -> Any:
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, list | tuple) and any(isinstance(v, str) for v in value):
        return type(value)(storable(v) if isinstance(v, str) else v for v in value)
    return value
