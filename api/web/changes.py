"""What an event changed, as an inspector reads it: each field by its label in the reader's
language and each value in words (units and people by name, statuses and urgencies as officials
say them, days and moments the reader's way and in city time, a request as one sentence), never
a field's name or a Python value. The API keeps the fields and values as they are
(``projections.trail.changes``).
"""

from __future__ import annotations

import dataclasses
import enum
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from api.web.formats import day, moment, percent
from api.web.i18n import MESSAGES, Language, message, term
from domain.directives.directive import ExplanationRequest, ExtensionRequest
from domain.units.registry import Unit
from projections.trail import REDACTED, Kind

# Fields that hold a unit's code, one or several; a person's user name; a status of a kind.
_UNIT_FIELDS = frozenset({"lead_unit", "unit", "to_unit", "from_unit", "parent"})
_UNITS_FIELDS = frozenset({"coordinating_units"})
_PERSON_FIELDS = frozenset({"issuer", "requested_by", "declared_by"})
_TERMS = {"status": "status", "urgency": "urgency", "role": "role"}
# "extensions[0]" (the first request), "units.SO-CT" (one unit of the registry).
_ITEM = re.compile(r"^(?P<name>\w+)(?:\[(?P<index>\d+)\]|\.(?P<key>.+))?$")


@dataclass(frozen=True, slots=True)
class Changed:
    """One changed field, in words."""

    field: str  # the field's name, kept for the page's markup (``data-field``), never shown
    label: str
    before: str
    after: str


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a state, in words."""

    field: str
    label: str
    value: str


class Words:
    """Fields and values in one reader's language, naming units and people as the pages do."""

    def __init__(
        self,
        lang: Language,
        *,
        unit_name: Callable[[str], str],
        person: Callable[[str | None], str],
        reference_of: Callable[[UUID], str | None] = lambda _: None,
    ) -> None:
        self.lang = lang
        self.unit_name, self.person, self.reference_of = unit_name, person, reference_of

    def t(self, key: str, **values: object) -> str:
        return message(self.lang, key, **values)

    # --- labels --------------------------------------------------------------------------------

    def label(self, field: str, kind: Kind = "directive") -> str:
        """A field's label: "extensions[0]" is "Gia hạn lần 1", "units.SO-CT" names the unit."""
        found = _ITEM.match(field)
        if found is None:
            return field
        name = found["name"]
        own = f"state.{kind}.{name}"
        base = self.t(own) if own in MESSAGES else self._plain_label(name)
        if found["index"] is not None:
            return self.t("state.item", field=base, number=int(found["index"]) + 1)
        return base  # one unit of the registry ("units.SO-CT"): its value names it

    def _plain_label(self, name: str) -> str:
        key = f"state.{name}"
        return self.t(key) if key in MESSAGES else name.replace("_", " ")

    # --- values --------------------------------------------------------------------------------

    def value(self, field: str, value: Any) -> str:  # noqa: PLR0911 - one branch per kind of value
        """A field's value in words."""
        name = re.split(r"[\[.]", field, maxsplit=1)[0]
        if value is None or value == "":
            return "—"
        if name in REDACTED:
            return self.t("state.redacted")
        if isinstance(value, bool):
            return self.t("yes") if value else self.t("no")
        if isinstance(value, ExtensionRequest):
            return self.extension(value)
        if isinstance(value, ExplanationRequest):
            return self.explanation(value)
        if isinstance(value, Unit):
            return self.unit(value)
        if isinstance(value, tuple | list):
            return self.listed(name, value)
        if name in _UNIT_FIELDS and isinstance(value, str):
            return self.unit_name(value)
        if name in _PERSON_FIELDS and isinstance(value, str):
            return self.person(value)
        if name == "parent_id" and isinstance(value, UUID):
            return self.reference_of(value) or str(value)
        if name in _TERMS and isinstance(value, str | enum.Enum):
            return term(self.lang, _TERMS[name], str(getattr(value, "value", value)))
        if name == "percent" and isinstance(value, int):
            return percent(value / 100, self.lang, 0)
        return self.plain(value)

    def listed(self, name: str, values: Iterable[Any]) -> str:
        items = list(values)
        if not items:
            return "—"
        if name in _UNITS_FIELDS:
            return "; ".join(self.unit_name(str(v)) for v in items)
        return "; ".join(self.value(name, v) for v in items)

    def plain(self, value: Any) -> str:
        """A value of no known field: moments in city time and days the reader's way
        (``api.web.formats``), enums by value, records and mappings as "label: value" pairs."""
        if isinstance(value, datetime):
            return moment(value, self.lang)
        if isinstance(value, date):
            return day(value, self.lang)
        if isinstance(value, enum.Enum):
            return str(value.value)
        if isinstance(value, Mapping):
            pairs = (f"{self.label(str(k))}: {self.value(str(k), v)}" for k, v in value.items())
            return "; ".join(pairs)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return "; ".join(
                f"{self.label(f.name)}: {self.value(f.name, getattr(value, f.name))}"
                for f in dataclasses.fields(value)
            )
        return str(value)

    def extension(self, e: ExtensionRequest) -> str:
        """ "Xin đến 06/01/2027 — đã duyệt đến 31/12/2026 — lý do: “…”"."""
        said = self.t("state.extension.asked", day=self.plain(e.requested_deadline))
        status = self.t(f"extension.{e.status.value}")
        if e.granted_deadline is not None:
            status = self.t(
                "state.extension.granted", status=status, day=self.plain(e.granted_deadline)
            )
        parts = [said, status]
        if e.reason:
            parts.append(self.t("state.said.reason", text=e.reason))
        if e.decision_note:
            parts.append(self.t("state.said.note", text=e.decision_note))
        return " — ".join(parts)

    def explanation(self, e: ExplanationRequest) -> str:
        """ "“Vì sao chậm?” — trả lời: “…”"."""
        asked = self.t("state.quoted", text=e.question)
        if e.answer is None:
            return f"{asked} — {self.t('state.explanation.open')}"
        return f"{asked} — {self.t('state.explanation.answer', text=e.answer)}"

    def unit(self, u: Unit) -> str:
        """A unit of the registry: its name in the reader's language and what it belongs to."""
        name = u.name_vi if self.lang == "vi" else u.name_en
        parts = [self.t("state.unit.named", name=name, code=u.code)]
        if u.parent is not None:
            parts.append(self.t("state.unit.parent", name=self.unit_name(u.parent)))
        if not u.active:
            parts.append(self.t("state.unit.inactive"))
        return "; ".join(parts)

    # --- changes and states ------------------------------------------------------------------

    def changes(
        self, changes: Iterable[Mapping[str, Any]], kind: Kind = "directive"
    ) -> list[Changed]:
        """What an event changed (``projections.trail.changes``), each field in words."""
        return [
            Changed(
                field=str(c["field"]),
                label=self.label(str(c["field"]), kind),
                before=self.value(str(c["field"]), c["before"]),
                after=self.value(str(c["field"]), c["after"]),
            )
            for c in changes
        ]

    def state(self, fields: Mapping[str, Any], kind: Kind = "directive") -> list[Field]:
        """An aggregate's fields (``projections.trail.fields_of``), each in words, in the order
        the aggregate keeps them."""
        return [
            Field(name, self.label(name, kind), self.value(name, value))
            for name, value in fields.items()
        ]
