"""Every query and path parameter of the API and the pages, parsed here, strictly, within ranges.

A parameter is read by a spec of its kind (``Integer``, ``Day``, ``Moment``, ``Period``,
``Choice``, ``Text``, ``Cursor``) that knows its range; what does not fit is refused with
``ParameterError``, which the API answers as 422 problem+json naming the parameter and the pages
as an error page in words. ``QUERY`` says which parameters each route takes: the OpenAPI
description and the fuzz tests are made from it. Path parameters, the few form fields that are
numbers, the headers kept as given and the command line's arguments go through the same rules.

The rules every parameter shares: it is given at most once; spaces around it are ignored and an
empty value is as if it were not given (an HTML form sends its empty fields); it holds no control
character and at most ``MAX_LENGTH`` characters. Numbers are the ASCII digits 0-9 only
(``str.isdigit`` also takes "²" and "٣", which ``int`` then refuses or reads as 3); integers fit a
signed 64-bit column (SQLite's INTEGER, PostgreSQL's bigint) with room for the +1 of a range
query. Days lie between ``FIRST_DAY`` and ``LAST_DAY``, far enough inside the calendars of
Python and of both databases that the end of a day in any time zone, the next day or a year's
window after it can always be computed.
"""

from __future__ import annotations

import base64
import binascii
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Generic, Literal, TypeVar
from urllib.parse import parse_qs, urlencode
from uuid import UUID

import falcon
import orjson

from api.web.i18n import Language, message
from domain.directives.directive import Urgency
from domain.petitions.petition import Status
from domain.shared.calendar import FIRST_YEAR, LAST_YEAR
from domain.shared.clock import CITY_TIMEZONE, parse_moment
from readmodels.model import LIST_STATUSES, SORTS, PageKey, period
from readmodels.petitions import KINDS, ListCursor

T = TypeVar("T")

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)
POSITION_MAX = 2**62  # a log position or tree size; bigint's 2**63 - 1 leaves room for +1
COUNT_MAX = 2**31 - 1  # a directive's version, an extension's or explanation's number
MAX_LENGTH = 200  # any text parameter but a page to go back to
ADDRESS_MAX = 2_000  # a page on this site to go back to (``next``, ``back``), query included
IDEMPOTENCY_KEY_MAX = 255
_DIGITS = re.compile(r"[0-9]{1,19}")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MOMENT = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"(?:[T ][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?(?:Z|[+-][0-9]{2}:[0-9]{2})?)?"
)
_PERIOD = re.compile(r"[0-9]{4}(?:-(?:0[1-9]|1[0-2]|[Qq][1-4]))?")
_CURSOR = re.compile(r"[A-Za-z0-9_-]{1,64}={0,2}")


class ParameterError(Exception):
    """A parameter (of a query, a path, a form or a header) is not what it must be."""

    def __init__(self, name: str, rule: str, code: str = "invalid-fields", **context: Any):
        self.name, self.rule, self.code, self.context = name, rule, code, context
        super().__init__(f"{name}: {self.describe('en')}")

    def describe(self, language: Language) -> str:
        """What the parameter must be, in words."""
        return message(language, f"param.{self.rule}", **self.context)


def is_ascii_number(text: str) -> bool:
    """Whether ``text`` is a whole number in the digits 0-9 (``isdigit`` takes "²" too)."""
    return _DIGITS.fullmatch(text) is not None


def check_text(
    name: str, text: str, max_length: int = MAX_LENGTH, code: str = "invalid-fields"
) -> str:
    """``text`` if it is short enough and holds no control character (nor a lone surrogate)."""
    if len(text) > max_length or any(
        unicodedata.category(c) in {"Cc", "Cs"} for c in text if not c.isprintable()
    ):
        raise ParameterError(name, "text", code, max_length=max_length)
    return text


def _given(values: Mapping[str, Any], name: str, max_length: int) -> str | None:
    """The parameter's one value, stripped; None when it was not given or given empty."""
    value = values.get(name)
    if value is None:
        return None
    if isinstance(value, list):
        raise ParameterError(name, "once")
    text = check_text(name, value.strip(" "), max_length)
    return text or None


@dataclass(frozen=True, slots=True)
class Param(Generic[T]):
    """A parameter: its name, and how a text given for it becomes a value."""

    name: str

    @property
    def max_length(self) -> int:
        return MAX_LENGTH

    def parse(self, text: str) -> T:
        raise NotImplementedError

    def schema(self) -> dict[str, Any]:
        """Its JSON Schema, for the OpenAPI description."""
        raise NotImplementedError

    def text(self, req: falcon.Request) -> str | None:
        """The text given, checked (for links that ask the same question again)."""
        return self.text_in(req.params)

    def text_in(self, values: Mapping[str, Any]) -> str | None:
        """The text given in a query's or a form's fields, checked; None if none was."""
        text = _given(values, self.name, self.max_length)
        if text is not None:
            self.parse(text)
        return text

    def read(self, req: falcon.Request) -> T | None:
        """The value given, or None if none was."""
        return self.value_in(req.params)

    def value_in(self, values: Mapping[str, Any]) -> T | None:
        """The value given in a query's or a form's fields, or None if none was."""
        text = _given(values, self.name, self.max_length)
        return None if text is None else self.parse(text)

    def get(self, req: falcon.Request, default: T) -> T:
        """The value given, or ``default``."""
        value = self.read(req)
        return default if value is None else value

    def need(self, req: falcon.Request) -> T:
        """The value given; refused if none was."""
        return self.needed_in(req.params)

    def needed_in(self, values: Mapping[str, Any]) -> T:
        """The value given in a query's or a form's fields; refused if none was."""
        value = self.value_in(values)
        if value is None:
            raise ParameterError(self.name, "required")
        return value

    def from_path(self, segment: str) -> T:
        """The value of a path segment."""
        return self.parse(check_text(self.name, segment, self.max_length))


@dataclass(frozen=True, slots=True)
class Integer(Param[int]):
    """A whole number from ``low`` to ``high``, in the digits 0-9."""

    low: int = 0
    high: int = POSITION_MAX

    def parse(self, text: str) -> int:
        if not is_ascii_number(text) or not self.low <= int(text) <= self.high:
            raise ParameterError(self.name, "integer", low=self.low, high=self.high)
        return int(text)

    def schema(self) -> dict[str, Any]:
        return {"type": "integer", "minimum": self.low, "maximum": self.high}


def _in_range(name: str, rule: str, day: date) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ParameterError(name, rule, first=FIRST_DAY, last=LAST_DAY)
    return day


@dataclass(frozen=True, slots=True)
class Day(Param[date]):
    """A calendar day, YYYY-MM-DD, from FIRST_DAY to LAST_DAY."""

    def parse(self, text: str) -> date:
        try:
            day = date.fromisoformat(text) if _DAY.fullmatch(text) else None
        except ValueError:
            day = None
        if day is None:
            raise ParameterError(self.name, "day", first=FIRST_DAY, last=LAST_DAY)
        return _in_range(self.name, "day", day)

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "format": "date"}


@dataclass(frozen=True, slots=True)
class Moment(Param[datetime]):
    """A moment in ISO 8601 (city time without an offset), or a bare day meaning its end, its
    start (``day="start"``) or the start of the next day (``day="next"``)."""

    day: Literal["end", "start", "next"] = "end"

    def parse(self, text: str) -> datetime:
        try:
            moment = parse_moment(text) if _MOMENT.fullmatch(text) else None
        except ValueError:
            moment = None
        # The day in its own zone first: converting 0001-01-01T00:00+07:00 to UTC overflows.
        if moment is None or not FIRST_DAY <= moment.date() <= LAST_DAY:
            raise ParameterError(self.name, "moment", first=FIRST_DAY, last=LAST_DAY)
        if len(text) == 10 and self.day != "end":
            day = date.fromisoformat(text) + timedelta(days=1 if self.day == "next" else 0)
            return datetime(day.year, day.month, day.day, tzinfo=CITY_TIMEZONE).astimezone(UTC)
        return moment.astimezone(UTC)

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "maxLength": 32}


@dataclass(frozen=True, slots=True)
class Period(Param[tuple[date, date]]):
    """A year (2024), a quarter (2024-Q3) or a month (2024-07): its first and last day."""

    def parse(self, text: str) -> tuple[date, date]:
        if _PERIOD.fullmatch(text) and FIRST_DAY.year <= int(text[:4]) <= LAST_DAY.year:
            return period(text)
        raise ParameterError(self.name, "period", first=FIRST_DAY.year, last=LAST_DAY.year)

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "pattern": r"^\d{4}(-(0[1-9]|1[0-2]|Q[1-4]))?$"}


@dataclass(frozen=True, slots=True)
class Choice(Param[str]):
    """One of a few words."""

    choices: tuple[str, ...] = ()

    def parse(self, text: str) -> str:
        if text not in self.choices:
            raise ParameterError(self.name, "choice", choices=", ".join(self.choices))
        return text

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": list(self.choices)}


@dataclass(frozen=True, slots=True)
class Text(Param[str]):
    """Free text: a name, a code, words to search for."""

    longest: int = MAX_LENGTH

    @property
    def max_length(self) -> int:
        return self.longest

    def parse(self, text: str) -> str:
        return text

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "maxLength": self.longest}


@dataclass(frozen=True, slots=True)
class Cursor(Param[int]):
    """Where the next page starts: an opaque text this API gave (an offset, encoded)."""

    def parse(self, text: str) -> int:
        value: Any = None
        if _CURSOR.fullmatch(text):
            try:
                value = orjson.loads(base64.urlsafe_b64decode(text))
            except (binascii.Error, ValueError):  # orjson.JSONDecodeError is a ValueError
                value = None
        offset = value.get("o") if isinstance(value, dict) and len(value) == 1 else None
        if type(offset) is not int or not 0 <= offset <= COUNT_MAX:
            raise ParameterError(self.name, "cursor", code="invalid-cursor")
        return offset

    @staticmethod
    def encode(offset: int) -> str:
        return base64.urlsafe_b64encode(orjson.dumps({"o": offset})).decode()

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "maxLength": 66}


@dataclass(frozen=True, slots=True)
class Keyset(Param[ListCursor]):
    """Where the next page of a keyset-paged list starts: the key of the last row shown
    (``readmodels.petitions.ListCursor``), as this API gave it."""

    def parse(self, text: str) -> ListCursor:
        try:
            return ListCursor.parse(text)
        except ValueError:
            raise ParameterError(self.name, "cursor", code="invalid-cursor") from None

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "maxLength": 60}


@dataclass(frozen=True, slots=True)
class ListPlace:
    """Where the next page of the list of directives starts, as the API hands it out: the
    order it was walked in, the last row's key (``readmodels.model.PageKey``) and, for a list
    as of an earlier day, the log position the walk is read at, so that every page of it is
    read at the same one."""

    sort: str
    descending: bool
    key: PageKey
    position: int | None = None

    def text(self) -> str:
        """The opaque token: base64url of a small JSON document."""
        document = {
            "s": self.sort,
            "d": self.descending,
            "v": self.key.value,
            "i": str(self.key.directive_id),
            "p": self.position,
        }
        return base64.urlsafe_b64encode(orjson.dumps(document)).decode()


_KEYSET = re.compile(r"[A-Za-z0-9_-]{1,6000}={0,2}")
# A page key holds the sorted value: a directive's title is up to 1,000 characters, each up to
# three bytes in UTF-8 and four characters in four thirds of that in base64.
_KEYSET_MAX = 6_000


@dataclass(frozen=True, slots=True)
class ListAfter(Param[ListPlace]):
    """Where the next page of the list of directives starts (``ListPlace``), as given."""

    @property
    def max_length(self) -> int:
        return _KEYSET_MAX

    def parse(self, text: str) -> ListPlace:
        place = None
        if _KEYSET.fullmatch(text):
            try:
                place = _place(orjson.loads(base64.urlsafe_b64decode(text)))
            except (binascii.Error, ValueError):  # orjson.JSONDecodeError is a ValueError
                place = None
        if place is None:
            raise ParameterError(self.name, "cursor", code="invalid-cursor")
        return place

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "maxLength": _KEYSET_MAX}


def _place(document: Any) -> ListPlace | None:
    """A ``ListPlace`` from its token's document, or None if it is not one."""
    if not isinstance(document, dict) or set(document) != {"s", "d", "v", "i", "p"}:
        return None
    sort, descending, value, position = document["s"], document["d"], document["v"], document["p"]
    if sort not in SORTS or type(descending) is not bool:
        return None
    if type(value) not in {str, int, float} or (type(value) is str and len(value) > 4_000):
        return None
    if position is not None and (type(position) is not int or not 0 <= position <= POSITION_MAX):
        return None
    try:
        directive_id = UUID(document["i"]) if isinstance(document["i"], str) else None
    except ValueError:
        directive_id = None
    if directive_id is None:
        return None
    return ListPlace(sort, descending, PageKey(value, directive_id), position)


@dataclass(frozen=True, slots=True)
class Flag(Param[bool]):
    """Yes or no: ``true`` or ``false``."""

    def parse(self, text: str) -> bool:
        if text not in {"true", "false"}:
            raise ParameterError(self.name, "choice", choices="true, false")
        return text == "true"

    def schema(self) -> dict[str, Any]:
        return {"type": "string", "enum": ["true", "false"]}


def given(req: falcon.Request, specs: Iterable[Param[Any]]) -> dict[str, str]:
    """The texts given for these parameters, each checked, by name (for the links and forms that
    ask the same question again)."""
    return {spec.name: text for spec in specs if (text := spec.text(req)) is not None}


def check_path(values: dict[str, Any]) -> None:
    """Every path parameter is a text without control characters, of at most MAX_LENGTH."""
    for name, value in values.items():
        if isinstance(value, str):
            check_text(name, value)


def check_headers(req: falcon.Request) -> None:
    """The headers kept or compared as given: an Idempotency-Key is stored (PostgreSQL's text
    cannot hold NUL), so it holds no control character either."""
    key = req.get_header("Idempotency-Key")
    if key is not None:
        check_text("Idempotency-Key", key, IDEMPOTENCY_KEY_MAX, "invalid-idempotency-key")


# --- the parameters -----------------------------------------------------------------------------

CATEGORIES = ("completed_on_time", "completed_late", "in_progress", "overdue", "no_deadline")
URGENCIES = tuple(u.value for u in Urgency)

AS_OF = Day("as_of")
# An oversight answer about a day before the first event names position 0: it can be asked again.
POSITION = Integer("position", 0, POSITION_MAX)
UNIT = Text("unit")
ISSUER = Text("issuer")
URGENCY = Choice("urgency", URGENCIES)
ISSUED = Period("issued")
DUE = Period("due")
BASIS = Choice("basis", ("in_force", "original"))
DUE_SOON_DAYS = Integer("due_soon_days", 0, 365)
WINDOW = Integer("window", 0, 365)
LIST_LIMIT = Integer("limit", 1, 1000)
CATEGORY = Choice("category", CATEGORIES)
REPORT_PERIOD = Period("period")  # the periodic report's (api.web.pages.reports)
REPORT_NUMBER = Text("number")  # the periodic report's document number
SEARCH = Text("q")
DEADLINE_FROM = Day("deadline_from")
DEADLINE_TO = Day("deadline_to")
CURSOR = Cursor("cursor")
# The list of directives: paged (keyset), sorted and filtered in the database.
LIST_AFTER = ListAfter("after")
DIRECTIVE_LIMIT = Integer("limit", 1, 500)
SORT = Choice("sort", SORTS)
LIST_STATUS = Choice("status", LIST_STATUSES)
DUE_FROM = Day("due_from")
DUE_TO = Day("due_to")
UNIT_ROLE = Choice("role", ("lead", "coordinating"))
VERSION = Integer("version", 1, COUNT_MAX)
AT = Moment("at")
NUMBER = Integer("n", 1, COUNT_MAX)  # an extension request's or explanation request's number
# A page's form says which request it decides or answers, and the version it was shown.
FORM_NUMBER = Integer("number", 1, COUNT_MAX)
FORM_VERSION = Integer("version", 1, COUNT_MAX)
EVENTS_AFTER = Integer("after", 0, POSITION_MAX)
# The export to the national database: a log position, and at most this many records a batch.
LIENTHONG_AFTER = Integer("after", 0, POSITION_MAX)
LIENTHONG_LIMIT = Integer("limit", 1, 10_000)
TRAIL_ACTOR = Text("actor")
TRAIL_DIRECTIVE = Text("directive")
TRAIL_ACTION = Text("action")
TRAIL_FROM = Moment("from", day="start")
TRAIL_TO = Moment("to", day="next")
ORDER = Choice("order", ("asc", "desc"))
TRAIL_LIMIT = Integer("limit", 1, 500)
TRAIL_AFTER = Integer("after", 0, POSITION_MAX)
TRAIL_BEFORE = Integer("before", 1, POSITION_MAX)
PROOF_POSITION = Integer("position", 1, POSITION_MAX)
PROOF_SIZE = Integer("size", 1, POSITION_MAX)
PROOF_FROM = Integer("from", 1, POSITION_MAX)
PROOF_TO = Integer("to", 1, POSITION_MAX)
LANG = Choice("lang", ("vi", "en"))
TO_LANGUAGE = Choice("to", ("vi", "en"))
NEXT = Text("next", ADDRESS_MAX)
BACK = Text("back", ADDRESS_MAX)
DONE = Text("done", 40)
REFERENCE = Text("ref")
# The petitions' oversight (``api.resources.petitions_oversight``, ``api.web.pages.petitions``).
AGENCY = Text("agency")
PETITION_KIND = Choice("kind", KINDS)
PETITION_STATUS = Choice("status", tuple(s.value for s in Status))
OVERDUE = Flag("overdue")
RECEIVED = Period("received")
PETITION_CURSOR = Keyset("cursor")
PETITION_LIMIT = Integer("limit", 1, 500)
_PETITIONS: tuple[Param[Any], ...] = (AS_OF, POSITION, AGENCY, PETITION_KIND, RECEIVED)
_PETITION_LIST: tuple[Param[Any], ...] = (AGENCY, PETITION_KIND, PETITION_STATUS, OVERDUE)
YEAR = Integer("year", FIRST_YEAR, LAST_YEAR)  # the years whose holidays the calendar knows
# The digital-transformation index (``api.resources.dti``): which index, period, version and
# group, and the version to score again under.
DTI_INDEX = Text("index", 63)
DTI_PERIOD = Integer("period", 2000, 2100)
DTI_VERSION = Integer("version", 1, COUNT_MAX)
DTI_UNDER = Integer("under", 1, COUNT_MAX)
DTI_GROUP = Choice("group", ("departments", "localities", "others"))
_DTI: tuple[Param[Any], ...] = (DTI_INDEX, DTI_PERIOD, DTI_VERSION, DTI_GROUP, AS_OF, POSITION)

_OVERSIGHT: tuple[Param[Any], ...] = (AS_OF, POSITION, UNIT, ISSUER, URGENCY, ISSUED, DUE)
_DASHBOARD: tuple[Param[Any], ...] = (AS_OF, UNIT, ISSUER, URGENCY, ISSUED, BASIS)
_TRAIL: tuple[Param[Any], ...] = (
    UNIT,
    TRAIL_ACTOR,
    TRAIL_DIRECTIVE,
    TRAIL_ACTION,
    TRAIL_FROM,
    TRAIL_TO,
    ORDER,
)
# The list of directives' question, in the API and the page alike (``deadline_from`` and
# ``deadline_to`` are the earlier names of ``due_from`` and ``due_to``).
_LIST: tuple[Param[Any], ...] = (
    AS_OF, UNIT, UNIT_ROLE, ISSUER, URGENCY, ISSUED, LIST_STATUS, CATEGORY, BASIS, DUE_FROM,
    DUE_TO, DEADLINE_FROM, DEADLINE_TO, SEARCH, SORT, ORDER,
)  # fmt: skip


def list_question(query: str) -> str:
    """The list's question in ``query`` (an address's query, as a saved view keeps it): each
    parameter checked by its spec, the page's place and size left out, in one order; a
    parameter the list does not take is refused."""
    try:
        values = parse_qs(query.lstrip("?"), max_num_fields=len(_LIST) + 4)
    except ValueError:
        raise ParameterError("query", "text", max_length=MAX_LENGTH) from None
    taken = {spec.name for spec in _LIST}
    for name in values:
        if name not in taken and name not in {"after", "limit", "lang"}:
            raise ParameterError(name, "unknown")
    given_values = {k: v[0] if len(v) == 1 else v for k, v in values.items()}
    kept: dict[str, str] = {}
    for spec in _LIST:
        text = _given(given_values, spec.name, spec.max_length)
        if text is not None:
            spec.parse(text)
            kept[spec.name] = text
    return urlencode(kept)


# Every page reads these two: the language asked for, and the words in the header's search box.
PAGE: tuple[Param[Any], ...] = (LANG, SEARCH)

# The query parameters of each GET route of the API and the pages (no other method takes any).
QUERY: dict[str, tuple[Param[Any], ...]] = {
    "/api/directives": (*_LIST, LIST_AFTER, DIRECTIVE_LIMIT),
    "/api/directives/{ref}": (VERSION, AT),
    "/api/directives/{ref}/files": (VERSION, AT),
    "/api/directives/{ref}/files/{digest}": (AT,),
    "/api/oversight": (*_OVERSIGHT, BASIS, DUE_SOON_DAYS),
    "/api/oversight/index": _OVERSIGHT,
    "/api/oversight/late": (*_OVERSIGHT, LIST_LIMIT),
    "/api/oversight/due-soon": (*_OVERSIGHT, WINDOW, LIST_LIMIT),
    "/api/units/{code}/why-late": (AS_OF, POSITION),
    "/api/audit": (*_TRAIL, TRAIL_LIMIT, TRAIL_AFTER, TRAIL_BEFORE),
    "/api/audit/proof/inclusion": (PROOF_POSITION, PROOF_SIZE),
    "/api/audit/proof/consistency": (PROOF_FROM, PROOF_TO),
    "/api/events": (EVENTS_AFTER, LIST_LIMIT),
    "/api/petitions": (*_PETITION_LIST, PETITION_CURSOR, PETITION_LIMIT),
    "/api/petitions/dashboard": (*_PETITIONS, DUE_SOON_DAYS),
    "/api/petitions/lien-thong": (LIENTHONG_AFTER, LIENTHONG_LIMIT),
    "/api/calendar": (YEAR, POSITION),
    "/api/dti/results": _DTI,
    "/api/dti/results/rescored": (DTI_INDEX, DTI_PERIOD, DTI_UNDER, DTI_GROUP, AS_OF, POSITION),
    "/api/directives/{ref}/document.pdf": (LANG,),
    "/api/petitions/{receipt}/receipt.pdf": (LANG,),
    "/api/petitions/{receipt}/result.pdf": (LANG,),
    # the pages
    "/sign-in": (NEXT,),
    "/language": (TO_LANGUAGE, BACK),
    "/dashboard": (*_DASHBOARD, POSITION),
    "/dashboard/export.{kind}": (*_DASHBOARD, POSITION),
    "/directives": (*_LIST, LIST_AFTER),
    "/reports/periodic": (REPORT_PERIOD, REPORT_NUMBER, POSITION),
    "/reports/periodic.pdf": (REPORT_PERIOD, REPORT_NUMBER, POSITION, LANG),
    "/directives/{ref}/document.pdf": (LANG,),
    "/petitions/{receipt}/receipt.pdf": (LANG,),
    "/petitions/{receipt}/result.pdf": (LANG,),
    "/directives/{ref}": (DONE,),
    "/petitions/{receipt}": (DONE,),
    "/inspector": (*_TRAIL, TRAIL_AFTER, TRAIL_BEFORE),
    "/inspector/proof/{kind}": (PROOF_POSITION, PROOF_SIZE, PROOF_FROM, PROOF_TO),
    "/inspector/directives": (REFERENCE,),
    "/inspector/directives/{ref}": (VERSION,),
    "/petitions": (*_PETITION_LIST, PETITION_CURSOR),
    "/petitions/export.{kind}": _PETITION_LIST,
    "/petitions/dashboard": _PETITIONS,
    "/petitions/dashboard/export.{kind}": _PETITIONS,
}
