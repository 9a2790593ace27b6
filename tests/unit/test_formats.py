"""Numbers, percentages, days and moments as each language writes them (CLDR through Babel), days
and moments that never break across lines, the city's time, and one encoding of a hash for
people."""

from __future__ import annotations

import base64
from datetime import UTC, date, datetime

from api.web.formats import day, hex_digest, moment, number, percent

OCT_18 = date(2026, 10, 18)
NBSP = "\u00a0"


def test_vietnamese_writes_a_dot_between_thousands_and_a_decimal_comma() -> None:
    """1.116 and 63,4% in Vietnamese; 1,116 and 63.4% in English (the issue's "1,116", "63.4%")."""
    assert number(1116, "vi") == "1.116"
    assert number(1116, "en") == "1,116"
    assert number(12.345, "vi", 1) == "12,3"
    assert number(12.345, "en", 1) == "12.3"
    assert percent(0.634, "vi") == "63,4%"
    assert percent(0.634, "en") == "63.4%"
    assert percent(0.4, "vi", 0) == "40%"
    assert number(None, "vi") == percent(None, "en") == "—"


def test_vietnamese_writes_day_month_year_and_english_the_month_in_words() -> None:
    """18/10/2026 in Vietnamese; Oct 18, 2026 in English, never an ambiguous 10/18."""
    assert day(OCT_18, "vi") == "18/10/2026"
    assert day(date(2026, 3, 5), "vi") == "5/3/2026"
    assert day(OCT_18, "en") == f"Oct{NBSP}18,{NBSP}2026"
    assert day("2026-10-18", "vi") == "18/10/2026"
    assert day(None, "vi") == "—"


def test_a_moment_is_shown_in_the_citys_time() -> None:
    """17:30 UTC on 18 October is 00:30 on the 19th in the city."""
    late = datetime(2026, 10, 18, 17, 30, tzinfo=UTC)
    assert moment(late, "vi") == f"00:30{NBSP}19/10/2026"
    assert moment("2026-10-18T17:30:00+00:00", "vi") == f"00:30{NBSP}19/10/2026"
    assert moment(late, "en") == f"Oct{NBSP}19,{NBSP}2026,{NBSP}12:30\u202fAM"


def test_no_day_or_moment_has_a_space_a_line_may_break_at() -> None:
    """ "2026-10-" / "18" wrapped in the middle: what is shown now has only no-break spaces."""
    for language in ("vi", "en"):
        for shown in (day(OCT_18, language), moment(datetime(2026, 1, 1, tzinfo=UTC), language)):
            assert " " not in shown, shown
            assert "-" not in shown, shown


def test_a_hash_is_shown_in_hex_whatever_encoding_it_travelled_in() -> None:
    """The API's base64 and the bytes themselves give the same 64 hex digits."""
    raw = bytes(range(32))
    assert hex_digest(raw) == raw.hex()
    assert hex_digest(base64.b64encode(raw).decode()) == raw.hex()
    assert hex_digest(None) == "—"
