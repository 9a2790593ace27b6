"""Reading a document's PDF back as a reader would, with Debian's poppler-utils (pdftotext,
pdffonts, pdfinfo): its text in the order drawn, its page size and its fonts. Without poppler or
the fonts the tests skip, or fail when CI=true (``make`` installs both with apt-get)."""

from __future__ import annotations

import os
import shutil
import unicodedata
from collections.abc import Sequence

import pytest

from adapters.pdf import FACES, FONTS_DIR
from bench.pdf_libraries import ReadBack, read_back, squeezed

A4_POINTS = "595.276 x 841.89 pts (A4)"


def require_tools() -> None:
    """poppler-utils and Liberation Serif are installed, or the test skips (fails in CI)."""
    missing = [t for t in ("pdftotext", "pdffonts", "pdfinfo") if shutil.which(t) is None]
    missing += [str(FONTS_DIR / f) for f in FACES.values() if not (FONTS_DIR / f).is_file()]
    if missing:
        reason = f"missing {', '.join(missing)}: `make poppler fonts` installs them"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


def read(pdf: bytes) -> ReadBack:
    require_tools()
    return read_back(pdf)


def without_page_numbers(text: str) -> str:
    """The text less the page numbers: each page after the first opens with its number, drawn
    in the top margin before the page's text (pdftotext ends a page with a form feed)."""
    pages = text.split("\f")
    kept = [pages[0]]
    for number, page in enumerate(pages[1:], 2):
        first, _, rest = page.partition("\n")
        kept.append(rest if first.strip() == str(number) else page)
    return "\f".join(kept)


def in_order(text: str, parts: Sequence[str]) -> list[str]:
    """The parts not found in ``text`` (less its page numbers) in the order given (spaces and
    line breaks ignored, both sides in NFC): each is looked for after the one before it."""
    haystack = squeezed(without_page_numbers(text))
    missing, at = [], 0
    for part in parts:
        found = haystack.find(squeezed(part), at)
        if found < 0:
            missing.append(part)
        else:
            at = found + len(squeezed(part))
    return missing


def nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)
