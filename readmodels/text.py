"""Folding Vietnamese text for accent-insensitive search: "Sở Lao động" and "so lao dong" meet.

Unicode decomposition strips tones and vowel marks, but "đ" has no decomposition, so it is mapped
by hand. The same fold is applied to what is indexed and to what is asked.
"""

from __future__ import annotations

import re
import unicodedata

_NOT_WORD = re.compile(r"[^\w]+")
_COMBINING = re.compile("[\u0300-\u036f]+")  # tones, circumflex, breve, horn, dot below …


def fold(text: str) -> str:
    """Lower-case words without diacritics, separated by single spaces."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return _NOT_WORD.sub(" ", _COMBINING.sub("", decomposed).lower()).strip()


def terms(query: str) -> list[str]:
    """The folded words of a query, in order, without repeats."""
    return list(dict.fromkeys(fold(query).split()))
