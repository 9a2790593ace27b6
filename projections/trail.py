"""What an audit trail entry is searched by and what it shows, both made from the stored records.

An entry's *keys* (when, which action, who and of which unit, which directive, which unit it
concerned) are the trail's searchable columns. ``KeyFold`` makes them from the records in log
order: the projection stores them, and ``audit verify`` makes them again from the records it
reads and compares, so an edited column is named at its position. The keys come from the stored
JSON itself (the codec's plain JSON), not from decoded events, so that the verifier can afford
them: a parse per record, and three facts per aggregate carried along (a directive's reference
and lead unit, an account's unit).

What an entry *shows* (who did what in both languages, the actor's role, the request, what
changed) is made when the trail is read (``describe``): from the record at the entry's position
and the records of the same aggregate before it, replayed from the log alone (no snapshot, which
the tree does not cover). Nothing of it is stored, so nothing of it can be edited.
"""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, is_dataclass, replace
from datetime import UTC, datetime
from typing import Any, Literal
from uuid import UUID

import orjson
from eventsourcing.domain import OriginatorVersionError
from eventsourcing.persistence import MapperDeserialisationError
from eventsourcing.utils import TopicError

from domain.accounts.account import UserAccount
from domain.application import Thucthi
from domain.directives.directive import Directive
from domain.narration import Days, Sentence, iso_days, tell, unit_sentences
from domain.shared.codec import decode
from domain.shared.merkle import leaf_hash
from domain.units.registry import REGISTRY_ID, UnitRegistry
from readmodels.audit import AuditStore, Entry, Keys, StoredRecord
from readmodels.text import storable

_DIRECTIVE = Directive.Issued.TOPIC.rpartition(".")[0] + "."
_ACCOUNT = UserAccount.Created.TOPIC.rpartition(".")[0] + "."
_REGISTRY = UnitRegistry.UnitAdded.TOPIC.rpartition(".")[0] + "."
# The events that set what the keys carry along: a directive's reference and lead unit, an
# account's unit (the fields the aggregates' own mutators set; a test compares with them).
_ISSUED, _REASSIGNED = Directive.Issued.TOPIC, Directive.Reassigned.TOPIC
_ACCOUNT_UNIT = frozenset({UserAccount.Created.TOPIC, UserAccount.RoleChanged.TOPIC})
# The topics whose records the keys of later records depend on: what seeding reads.
CARRYING_TOPICS = (_ISSUED, _REASSIGNED, *sorted(_ACCOUNT_UNIT))


def action_of(topic: str) -> str:
    """The event's name from its topic: ``thucthi:Directive.Acknowledged`` -> ``Acknowledged``."""
    return topic.rpartition(":")[2].rpartition(".")[2]


def moment_text(value: object) -> str:
    """The stored form of a recorded moment (``readmodels.audit.utc_text``) from the JSON's
    RFC 3339 text; empty when the record has none that can be read."""
    if not isinstance(value, str):
        return ""
    if value.endswith("+00:00"):  # what the codec writes: no need to parse
        if len(value) == 32:  # with microseconds
            return value
        if len(value) == 25:  # whole seconds
            return value[:19] + ".000000+00:00"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _text(value: object) -> str | None:
    """A text of the record as the trail's columns hold it (``readmodels.text.storable``)."""
    return storable(value) if type(value) is str else None


def uuid_text(originator: bytes) -> str:
    """The canonical text of a UUID from its 16 bytes (``str(UUID(bytes=...))``, cheaper)."""
    h = originator.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


# What a record's topic says of its keys: of no aggregate whose keys carry anything, of a
# directive (its reference and lead unit carried; set by its issue, the lead by a reassignment),
# of an account (its unit carried; set by its creation and role changes), of the registry.
_OTHER, _OF_DIRECTIVE, _ISSUES, _REASSIGNS, _OF_ACCOUNT, _SETS_UNIT, _OF_REGISTRY = range(7)
_NOTHING: tuple[None, None] = (None, None)
_IDS_KEPT = 65_536
_EMPTY: dict[str, Any] = {}


def _kind(topic: str) -> int:
    if topic == _ISSUED:
        return _ISSUES
    if topic == _REASSIGNED:
        return _REASSIGNS
    if topic in _ACCOUNT_UNIT:
        return _SETS_UNIT
    if topic.startswith(_DIRECTIVE):
        return _OF_DIRECTIVE
    if topic.startswith(_ACCOUNT):
        return _OF_ACCOUNT
    return _OF_REGISTRY if topic.startswith(_REGISTRY) else _OTHER


class KeyFold:
    """The keys of records taken in log order. What it carries per aggregate is kept for at most
    ``held`` aggregates (None: all, as a verifier walking the whole log does); one let go, or
    never seen, is ``seed``-ed from its earlier records before its next record is taken.

    A verifier makes the keys of every record of the log, so this is written for speed: one
    parse of the record's JSON, what a topic says looked up once per topic.
    """

    def __init__(self, held: int | None = None) -> None:
        self.held = held
        self._carried: dict[bytes, tuple[str | None, str | None]] = (
            {} if held is None else OrderedDict()
        )
        self._topics: dict[str, tuple[str, int]] = {}
        self._ids: dict[bytes, str] = {}  # originators' canonical text, recently seen

    def needs(self, originator: bytes, version: int, topic: str) -> bool:
        """Whether the keys of this record need what the fold does not hold."""
        return (
            version > 1
            and originator not in self._carried
            and _kind(topic) in {_OF_DIRECTIVE, _REASSIGNS, _OF_ACCOUNT}
        )

    def seed(self, originator: bytes, earlier: Iterable[StoredRecord]) -> None:
        """Carry what the aggregate's earlier records (in version order) set."""
        self._carried.pop(originator, None)
        for r in earlier:
            self.keys(r.position, originator, r.originator_version, r.topic, r.state)

    def keys(  # noqa: PLR0912, PLR0915 - one pass per record, branches inlined for speed
        self, position: int, originator: bytes, version: int, topic: str, state: bytes
    ) -> Keys:
        """The keys of the record, carrying along what it sets for the records after it."""
        try:
            payload = orjson.loads(state)
        except orjson.JSONDecodeError:
            try:  # a lone surrogate or stray bytes that orjson refuses: read as the codec does
                payload = decode(state)
            except ValueError:
                payload = _EMPTY
        if type(payload) is not dict:
            payload = _EMPTY
        known = self._topics.get(topic)
        if known is None:
            known = self._topics[topic] = (storable(action_of(topic)), _kind(topic))
        action, kind = known
        actor = payload.get("actor")
        if type(actor) is dict:
            user, unit = _text(actor.get("user_id")), _text(actor.get("unit"))
        else:
            user = unit = None
        at = payload.get("timestamp")
        if type(at) is not str or not at.endswith("+00:00"):
            at = moment_text(at)
        elif len(at) == 25:  # as the codec writes whole seconds
            at = at[:19] + ".000000+00:00"
        elif len(at) != 32:  # not as the codec writes microseconds
            at = moment_text(at)
        directive = subject = None
        if kind:
            carried = self._carried
            if kind == _OF_REGISTRY:
                subject = _text(payload.get("code"))
            elif kind in {_OF_DIRECTIVE, _OF_ACCOUNT}:
                held = carried.get(originator, _NOTHING)
                if self.held is not None and originator in carried:
                    carried.move_to_end(originator)  # type: ignore[attr-defined]
                directive, subject = held
            else:
                if kind == _ISSUES:
                    held = (_text(payload.get("reference")), _text(payload.get("lead_unit")))
                elif kind == _REASSIGNS:
                    held = (carried.get(originator, _NOTHING)[0], _text(payload.get("to_unit")))
                else:
                    held = (None, _text(payload.get("unit")))
                if self.held is None:
                    carried[originator] = held
                else:
                    carried.pop(originator, None)
                    carried[originator] = held
                    if len(carried) > self.held:
                        carried.popitem(last=False)  # type: ignore[call-arg]
                directive, subject = held
        named = self._ids.get(originator)
        if named is None:
            if len(self._ids) >= _IDS_KEPT:
                self._ids.clear()  # an aggregate's records come close together in the log
            h = originator.hex()
            named = self._ids[originator] = f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
        return (
            at,
            named,
            version,
            action,
            user,
            unit,
            directive,
            subject,
        )


def entry_keys(entry: Entry) -> Keys:
    """The keys an entry holds, to compare with the keys its record makes."""
    return (
        entry.recorded_at,
        entry.originator_id,
        entry.originator_version,
        entry.action,
        entry.actor,
        entry.actor_unit,
        entry.directive,
        entry.subject_unit,
    )


# --- what an entry shows ----------------------------------------------------------------------


# Whose event an entry is: what names its fields (a directive's "title" is not an account's).
Kind = Literal["directive", "account", "registry", "other"]


@dataclass(frozen=True, slots=True)
class Shown:
    """An entry as the trail shows it, made from its record when read."""

    position: int
    recorded_at: str
    actor: str | None
    role: str | None
    unit: str | None
    request_id: str | None
    directive: str | None
    action: str
    vi: str
    en: str
    changes: list[dict[str, Any]]
    leaf_hash: bytes
    intact: bool  # the record at the position still hashes to the trail's leaf
    kind: Kind = "other"  # whose event it is


_GONE = Sentence(
    "Bản ghi ở vị trí này không còn trong nhật ký",
    "The record at this position is gone from the log",
)
_UNREADABLE = Sentence("Không đọc được sự kiện đã lưu", "The stored event cannot be read")
# An event as replayed, with the aggregate's fields before and after it; or why it could not be.
_Replayed = tuple[Any, dict[str, Any], dict[str, Any]] | str


class TrailReader:
    """Makes what entries show (``describe``), keeping the last ``kept`` it made: what an entry
    shows cannot change while its record does not, and a record changed since is not found in
    the cache (it is looked up by the record's hash as it is now). Its sentences write days by
    ``days`` (ISO 8601 for the API; the pages pass the readers' way)."""

    def __init__(
        self, app: Thucthi, store: AuditStore, kept: int = 5_000, days: Days = iso_days
    ) -> None:
        self.app, self.store, self.kept, self.days = app, store, kept, days
        self._made: OrderedDict[tuple[int, bytes], Shown] = OrderedDict()
        self._lock = threading.Lock()

    def describe(self, entries: Sequence[Entry]) -> list[Shown]:
        """What each entry shows, made from the log: the record at the entry's position, replayed
        on the records of its aggregate before it, told with the unit names of that moment."""
        table: str = self.app.recorder.events_table_name  # type: ignore[attr-defined]
        at = {r.position: r for r in self.store.records_at(table, [e.position for e in entries])}
        leaves = {p: leaf_hash(r.leaf()) for p, r in at.items()}
        with self._lock:
            made = {p: self._made.get((p, leaf)) for p, leaf in leaves.items()}
        missing = [r for p, r in at.items() if made[p] is None]
        if missing:
            made |= self._make(table, missing)
        shown = []
        for entry in entries:
            found = made.get(entry.position)
            if found is None:  # no record at that position any more
                shown.append(_plain(entry, _GONE, leaf=b"", intact=False))
                continue
            intact = leaves[entry.position] == entry.leaf_hash
            shown.append(replace(found, leaf_hash=entry.leaf_hash, intact=intact))
        with self._lock:
            for r in missing:
                self._made[r.position, leaves[r.position]] = made[r.position]  # type: ignore[assignment]
            while len(self._made) > self.kept:
                self._made.popitem(last=False)
        return shown

    def _make(self, table: str, records: Sequence[StoredRecord]) -> dict[int, Shown | None]:
        app = self.app
        needed: dict[UUID, set[int]] = {}
        for r in records:
            needed.setdefault(r.originator, set()).add(r.originator_version)
        wanted = {REGISTRY_ID: 2**62} | {o: max(versions) for o, versions in needed.items()}
        history: dict[UUID, list[StoredRecord]] = {}
        for r in self.store.records_of(table, wanted):
            history.setdefault(r.originator, []).append(r)
        names = _Names(app, history.get(REGISTRY_ID, []), [r.position for r in records])
        replayed: dict[tuple[UUID, int], _Replayed] = {}
        for originator, versions in needed.items():
            replayed |= _replay(app, originator, history.get(originator, []), versions)
        made: dict[int, Shown | None] = {}
        for r in records:
            state = replayed.get((r.originator, r.originator_version), "")
            if isinstance(state, str):
                why = f"{_UNREADABLE.en}: {state}" if state else _UNREADABLE.en
                told = Sentence(_UNREADABLE.vi, why)
                made[r.position] = _plain(r, told, leaf=b"", action=action_of(r.topic))
            else:
                made[r.position] = _told(r.position, state, names.at(r.position), self.days)
        return made


def describe(app: Thucthi, store: AuditStore, entries: Sequence[Entry]) -> list[Shown]:
    """What each entry shows (``TrailReader.describe``, nothing kept)."""
    return TrailReader(app, store, kept=0).describe(entries)


def _replay(
    app: Thucthi, originator: UUID, records: Sequence[StoredRecord], versions: set[int]
) -> dict[tuple[UUID, int], _Replayed]:
    """The aggregate replayed from its first record to the last version wanted, with its fields
    before and after each wanted version's event."""
    found: dict[tuple[UUID, int], _Replayed] = {}
    aggregate: Any = None
    last = max(versions)
    for r in records:
        if r.originator_version > last:
            break
        wanted = r.originator_version in versions
        try:
            event: Any = app.mapper.to_domain_event(r.stored_event())
            before = fields_of(aggregate) if wanted and aggregate is not None else {}
            aggregate = event.mutate(aggregate)
        except (MapperDeserialisationError, TopicError, OriginatorVersionError) as e:
            for v in versions:  # this record and every later one cannot be replayed
                if v >= r.originator_version:
                    found[originator, v] = str(e)
            break
        if wanted:
            found[originator, r.originator_version] = (event, before, fields_of(aggregate))
    return found


def _told(
    position: int,
    replayed: tuple[Any, dict[str, Any], dict[str, Any]],
    names: Mapping[str, Sentence],
    days: Days,
) -> Shown:
    event, before, after = replayed
    actor = getattr(event, "actor", None)
    sentence = (
        tell(event, actor, names, days)
        if actor is not None
        else Sentence(type(event).__name__, type(event).__name__)
    )
    return Shown(
        position=position,
        recorded_at=_moment(event),
        actor=actor.user_id if actor else None,
        role=actor.role.value if actor else None,
        unit=actor.unit if actor else None,
        request_id=_text(getattr(event, "request_id", None)),
        directive=after.get("reference") if isinstance(event, Directive.Event) else None,
        action=type(event).__name__,
        vi=sentence.vi,
        en=sentence.en,
        changes=changes(before, after),
        leaf_hash=b"",
        intact=True,
        kind=_kind_of(event),
    )


def _kind_of(event: object) -> Kind:
    if isinstance(event, Directive.Event):
        return "directive"
    if isinstance(event, UserAccount.Event):
        return "account"
    return "registry" if isinstance(event, UnitRegistry.Event) else "other"


def _moment(event: Any) -> str:
    moment = getattr(event, "timestamp", None)
    return moment.astimezone(UTC).isoformat(timespec="microseconds") if moment else ""


def _plain(
    entry: Entry | StoredRecord,
    told: Sentence,
    *,
    leaf: bytes,
    intact: bool = True,
    action: str | None = None,
) -> Shown:
    return Shown(
        position=entry.position,
        recorded_at="",
        actor=None,
        role=None,
        unit=None,
        request_id=None,
        directive=None,
        action=action or "Unreadable",
        vi=told.vi,
        en=told.en,
        changes=[],
        leaf_hash=leaf,
        intact=intact,
    )


class _Names:
    """The units' names as the registry stood at log positions, replayed from its records."""

    def __init__(
        self, app: Thucthi, records: Sequence[StoredRecord], wanted: Iterable[int]
    ) -> None:
        positions = [r.position for r in records]
        needed = {bisect.bisect_right(positions, p) - 1 for p in wanted}  # the last one before
        self.positions: list[int] = []
        self.names: list[Mapping[str, Sentence]] = []
        registry: Any = None
        for i, r in enumerate(records):
            try:
                event: Any = app.mapper.to_domain_event(r.stored_event())
                registry = event.mutate(registry)
            except (MapperDeserialisationError, TopicError, OriginatorVersionError):
                break
            if i in needed and isinstance(registry, UnitRegistry):
                self.positions.append(r.position)
                self.names.append(unit_sentences(registry))

    def at(self, position: int) -> Mapping[str, Sentence]:
        i = bisect.bisect_right(self.positions, position)
        return self.names[i - 1] if i else {}


# --- what changed ------------------------------------------------------------------------------

# Fields an earlier version's accounts held: shown only as changed (docs/audit.md).
REDACTED = frozenset({"password_hash", "tokens"})


def fields_of(aggregate: Any) -> dict[str, Any]:
    """An aggregate's public fields; containers copied one level, so later changes do not leak."""
    result: dict[str, Any] = {}
    for name, value in vars(aggregate).items():
        if name.startswith("_"):
            continue
        result[name] = dict(value) if isinstance(value, dict) else value
    return result


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What an event changed: ``field``, ``before`` and ``after`` for each field that differs.

    A dictionary (the unit registry's units) and a tuple of records (a directive's extension and
    explanation requests) are compared item by item, so one changed request shows as one line.
    Password hashes and tokens are never shown, only that they changed.
    """
    result: list[dict[str, Any]] = []
    for name in list(after) + [k for k in before if k not in after]:
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if name in REDACTED:
            result.append({"field": name, "before": None, "after": "(changed, not shown)"})
        elif isinstance(old, dict) and isinstance(new, dict):
            result.extend(
                {"field": f"{name}.{k}", "before": old.get(k), "after": new.get(k)}
                for k in sorted(old.keys() | new.keys())
                if old.get(k) != new.get(k)
            )
        elif isinstance(old, tuple) and isinstance(new, tuple) and _records(old + new):
            count = max(len(old), len(new))
            result.extend(
                {"field": f"{name}[{i}]", "before": _item(old, i), "after": _item(new, i)}
                for i in range(count)
                if _item(old, i) != _item(new, i)
            )
        else:
            result.append({"field": name, "before": old, "after": new})
    return result


def _records(value: object) -> bool:
    return isinstance(value, tuple) and any(is_dataclass(v) for v in value)


def _item(values: tuple[Any, ...], i: int) -> Any:
    return values[i] if i < len(values) else None
