"""The order in which names are listed to people: numbers as numbers ("Quận 3" before "Quận 10")
and letters as the Vietnamese alphabet has them, accents second ("Ủy ban" between "Thanh tra"
and "Văn phòng", not after every unaccented name as the code points would put it).

Every list of units or people a page, an export or the command line shows is sorted by
``natural_key``; nothing else decides an order of names.
"""

from __future__ import annotations

import re
import unicodedata

_DIGITS = re.compile(r"(\d+)")
# "Đ" has no decomposition: it is a letter of its own, listed right after "D".
_OWN_LETTERS = str.maketrans({"đ": "d", "Đ": "d"})

NaturalKey = tuple[tuple[str | int, ...], str, str]


def folded(text: str) -> str:
    """The text without its accents and in lower case: what it is first ordered by."""
    decomposed = unicodedata.normalize("NFD", text.translate(_OWN_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def natural_key(text: str) -> NaturalKey:
    """The key that lists ``text`` in natural order: its runs of digits compared as numbers,
    the rest without accents or case, then with accents, then exactly (so the order is total)."""
    parts = _DIGITS.split(folded(text))
    runs = tuple(int(part) if i % 2 else part for i, part in enumerate(parts))
    return runs, text.casefold(), text
