"""Numbers, percentages, days and moments written the way the page's language writes them.

Everything comes from the Unicode CLDR through Babel, never from a hand-written pattern:
Vietnamese writes 1.116, 63,4% and 18/10/2026, 16:05 18/10/2026; English 1,116, 63.4% and
Oct 18, 2026, 4:05 PM (the month in words, so that no reader takes 10/11 for 11 October). Only
the number of decimals is chosen here. A moment is shown in the city's time (UTC+7), on every
page, the audit trail's included. A day or a moment never breaks across two lines: its spaces
are no-break spaces.

These are for people. The API, the command line's ``--json`` and the exports' dates stay ISO 8601.
"""

from __future__ import annotations

import base64
import copy
import functools
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal

from babel import Locale
from babel.dates import format_date, format_time, get_datetime_format, match_skeleton
from babel.numbers import NumberPattern
from jinja2 import pass_context
from jinja2.runtime import Context

from domain.narration import Sentence
from domain.shared.clock import CITY_TIMEZONE

Language = Literal["vi", "en"]
LOCALES: dict[Language, Locale] = {"vi": Locale.parse("vi"), "en": Locale.parse("en")}
# The fields of a day, as CLDR skeletons: day, month in digits and year in Vietnamese
# (18/10/2026); in English the month in words (Oct 18, 2026).
DAY_SKELETONS: dict[Language, str] = {"vi": "yMMdd", "en": "yMMMd"}
NO_BREAK = "\u00a0"
NOTHING = "—"


def _unbroken(text: str) -> str:
    return text.replace(" ", NO_BREAK)


def _with_decimals(pattern: NumberPattern, digits: int) -> NumberPattern:
    fixed = copy.copy(pattern)
    fixed.frac_prec = (digits, digits)
    return fixed


def number(value: float | None, language: Language, digits: int | None = None) -> str:
    """A number with the language's separators (1.116,5 / 1,116.5); ``digits``: exactly that
    many decimals, else a whole number as it is and up to three decimals otherwise."""
    if value is None:
        return NOTHING
    locale = LOCALES[language]
    pattern = locale.decimal_formats[None]
    if digits is not None:
        pattern = _with_decimals(pattern, digits)
    return str(pattern.apply(value, locale))


def percent(rate: float | None, language: Language, digits: int = 1) -> str:
    """A share (0.634) as a percentage, the language's way (63,4% / 63.4%)."""
    if rate is None:
        return NOTHING
    locale = LOCALES[language]
    return str(_with_decimals(locale.percent_formats[None], digits).apply(rate, locale))


@functools.cache  # matching a skeleton was most of a page's dates' cost
def _day_pattern(language: Language) -> str:
    locale = LOCALES[language]
    skeleton = DAY_SKELETONS[language]
    found = match_skeleton(skeleton, locale.datetime_skeletons) or skeleton
    return str(locale.datetime_skeletons[found])


def day(value: date | str | None, language: Language) -> str:
    """A calendar day (18/10/2026 / Oct 18, 2026); a text is read as ISO 8601."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.date()
    return _unbroken(format_date(value, _day_pattern(language), locale=LOCALES[language]))


def told_days(value: date) -> Sentence:
    """A day as each language writes it, for the sentences that tell events on the pages
    (``domain.narration.Days``): "hạn 18/10/2026" / "due Oct 18, 2026"."""
    return Sentence(day(value, "vi"), day(value, "en"))


def moment(value: datetime | str | None, language: Language) -> str:
    """A moment in the city's time, to the minute (16:05 18/10/2026 / Oct 18, 2026, 4:05 PM); a
    text is read as ISO 8601 (the stored texts are in UTC)."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    local = value.astimezone(CITY_TIMEZONE)
    locale = LOCALES[language]
    shown_day = format_date(local.date(), _day_pattern(language), locale=locale)
    shown_time = format_time(local, "short", tzinfo=CITY_TIMEZONE, locale=locale)
    glue = str(get_datetime_format("short", locale=locale))
    return _unbroken(glue.replace("{1}", shown_day).replace("{0}", shown_time))


def hex_digest(value: str | bytes | None) -> str:
    """A hash as people are shown it everywhere (pages, exports, the command line, the docs):
    lower-case hex, as ``sha256sum`` and RFC 9162's tooling print it. The API and the signed
    checkpoint notes carry the same bytes in base64, which is given here as text."""
    if value is None or value == "":
        return NOTHING
    if isinstance(value, str):
        value = base64.b64decode(value, validate=True)
    return value.hex()


def _filter(
    show: Callable[..., str],
) -> Callable[..., str]:
    """A Jinja2 filter that writes its value in the language of the page being rendered (the
    template's ``lang``)."""

    @pass_context
    def shown(context: Context, value: Any, *args: Any) -> str:
        return show(value, context["lang"], *args)

    return shown


# The templates' filters: ``{{ count | number }}``, ``{{ rate | percent }}``,
# ``{{ d.deadline | date }}``, ``{{ event.timestamp | datetime }}``, ``{{ root | hex }}``.
FILTERS: dict[str, Callable[..., str]] = {
    "number": _filter(number),
    "percent": _filter(percent),
    "date": _filter(day),
    "datetime": _filter(moment),
    "hex": hex_digest,
}
