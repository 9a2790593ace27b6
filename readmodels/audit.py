"""The audit read models: what the trail stores and the one interface every backend answers
(``AuditStore``; ``readmodels.audit_sqlite`` and ``readmodels.audit_postgres`` implement it).

``{prefix}_entries``: an event's position, its leaf index in the tree, when it was recorded, who
acted (user, role, unit) in answer to which request, the directive concerned, the action told in
Vietnamese and English, what changed, and the record's leaf hash and running chain hash.
``{prefix}_nodes``: the hashes of the complete subtrees whose height is a multiple of four, so
that a proof needs a few dozen rows whatever the size of the log. ``{prefix}_checkpoints``: signed
notes. ``{prefix}_state``: the tree's frontier and the chain's head, written in the same
transaction as ``{prefix}_tracking``, which a batch moves forward only from where it started.

Moments are stored as fixed-width UTC text on both backends, so that both compare and key them
alike.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal, Protocol
from uuid import UUID

from eventsourcing.persistence import IntegrityError, StoredEvent

from domain.shared.merkle import event_record

STORED_LEVELS = 4  # subtrees are kept at heights 4, 8, 12, ...
KEY_COLUMNS = (
    "recorded_at",
    "originator_id",
    "originator_version",
    "action",
    "actor",
    "actor_unit",
    "directive",
    "subject_unit",
)
Keys = tuple[str, str, int, str, str | None, str | None, str | None, str | None]
"""An entry's keys, what the trail is searched by, in the order of ``KEY_COLUMNS``."""
TrailRow = tuple[int, int, bytes, bytes]  # position, leaf index, leaf hash, chain hash
TrailPage = tuple[list[int], list[int], bytes]  # positions, leaf indexes, (leaf, chain) joined


def key_text(keys: Keys) -> str:
    """An entry's keys written so that no two differ and read the same: each text as its
    length, a colon and itself, or ``-`` when there is none; the version as digits and a colon.
    """
    at, originator, version, action, actor, unit, directive, subject = keys
    return (
        f"{len(at)}:{at}{len(originator)}:{originator}{version}:{len(action)}:{action}"
        f"{'-' if actor is None else f'{len(actor)}:{actor}'}"
        f"{'-' if unit is None else f'{len(unit)}:{unit}'}"
        f"{'-' if directive is None else f'{len(directive)}:{directive}'}"
        f"{'-' if subject is None else f'{len(subject)}:{subject}'}"
    )


ZERO = bytes(32)
TABLES = ("entries", "nodes", "checkpoints", "state", "tracking")
_PREFIX = re.compile(r"^[a-z][a-z0-9_]{0,40}$")


def check_trail_prefix(prefix: str) -> str:
    """The trail's tables are named ``{prefix}_{table}``: only plain lower-case names pass, so
    that a prefix can stand in SQL where no identifier can be composed (SQLite)."""
    if not _PREFIX.match(prefix):
        msg = f"not a table prefix: {prefix!r}"
        raise ValueError(msg)
    return prefix


ENTRY_COLUMNS = (
    "position",
    "leaf_index",
    "recorded_at",
    "originator_id",
    "originator_version",
    "action",
    "actor",
    "actor_unit",
    "directive",
    "subject_unit",
    "leaf_hash",
    "chain_hash",
)
# Columns of the trail as an earlier version wrote it (each entry's story was stored): a trail
# that has them is made again from the log (``create_tables``).
EARLIER_COLUMNS = ("summary_vi", "summary_en", "changes")


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of the trail as stored: its place, its keys (what it is searched by) and its
    hashes. What it shows is made from its record when read (``projections.trail``)."""

    position: int
    leaf_index: int
    recorded_at: str
    originator_id: str
    originator_version: int
    action: str
    actor: str | None
    actor_unit: str | None
    directive: str | None
    subject_unit: str | None
    leaf_hash: bytes
    chain_hash: bytes

    def row(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in ENTRY_COLUMNS)


@dataclass(frozen=True, slots=True)
class StoredRecord:
    """A row of the event log as stored, with its position."""

    position: int
    originator: UUID
    originator_version: int
    topic: str
    state: bytes

    def leaf(self) -> bytes:
        """Its leaf record (``domain.shared.merkle.event_record``)."""
        return event_record(
            self.position, self.originator.bytes, self.originator_version, self.topic, self.state
        )

    def stored_event(self) -> StoredEvent:
        return StoredEvent(self.originator, self.originator_version, self.topic, self.state)


@dataclass(frozen=True, slots=True)
class StoredCheckpoint:
    tree_size: int
    position: int  # the position of the last record the tree covers
    root: bytes
    note: str
    signed_at: str


@dataclass(slots=True)
class TreeState:
    """Where the projection stands: its position, the tree's frontier and the chain's head."""

    position: int = 0
    size: int = 0
    frontier: list[bytes] = field(default_factory=list)
    chain: bytes = ZERO


@dataclass(frozen=True, slots=True)
class Confinement:
    """What a department officer may read of the trail: every entry of the directives its unit
    leads or coordinates now, and the entries of no directive that its people made or that
    concern its unit (its accounts, its place in the registry)."""

    unit: str
    directives: tuple[str, ...]  # references


@dataclass(frozen=True, slots=True)
class AuditFilters:
    actor: str | None = None
    unit: str | None = None  # the actor's unit or the unit the event concerns
    directive: str | None = None
    action: str | None = None
    recorded_from: str | None = None
    recorded_to: str | None = None
    confined: Confinement | None = None


class TrackingConflictError(IntegrityError):
    """Another process moved the audit projection on since this batch started."""


Condition = Literal[
    "actor", "directive", "action", "unit", "confined", "recorded_from", "recorded_to", "after",
    "before",
]  # fmt: skip
"""The conditions an ``entries`` query may apply; each backend writes each in its own SQL."""


def entry_conditions(
    filters: AuditFilters,
    after: int | None,
    before: int | None,
    listed: Callable[[list[str]], Any],
) -> list[tuple[Condition, tuple[Any, ...]]]:
    """The conditions ``filters`` and the bounds ask for, with the values each binds in order;
    ``listed`` binds a list of references as the backend's SQL takes it."""
    terms: list[tuple[Condition, tuple[Any, ...]]] = []
    if filters.actor is not None:
        terms.append(("actor", (filters.actor,)))
    if filters.directive is not None:
        terms.append(("directive", (filters.directive,)))
    if filters.action is not None:
        terms.append(("action", (filters.action,)))
    if filters.unit is not None:
        terms.append(("unit", (filters.unit, filters.unit)))
    if (confined := filters.confined) is not None:
        references = listed(list(confined.directives))
        terms.append(("confined", (confined.unit, confined.unit, references)))
    if filters.recorded_from is not None:
        terms.append(("recorded_from", (filters.recorded_from,)))
    if filters.recorded_to is not None:
        terms.append(("recorded_to", (filters.recorded_to,)))
    if after is not None:
        terms.append(("after", (after,)))
    if before is not None:
        terms.append(("before", (before,)))
    return terms


class AuditStore(Protocol):
    """The audit tables in the application's own database (``readmodels.open.open_trail``)."""

    # --- schema ------------------------------------------------------------------------------

    def create_tables(self) -> None:
        """The tables if missing, and the tree's empty state. A trail an earlier version wrote
        (``EARLIER_COLUMNS``) is dropped, to be made again from the log; its checkpoints stay."""
        ...

    def drop_tables(self) -> None: ...

    # --- the projection's writes -------------------------------------------------------------

    def load_state(self, application_name: str) -> TreeState:
        """Where the projection stands; LookupError if the tables have no state row."""
        ...

    def write(
        self,
        *,
        application_name: str,
        start: int,
        state: TreeState,
        entries: Sequence[Entry],
        nodes: Sequence[tuple[int, int, bytes]],
        checkpoints: Sequence[StoredCheckpoint],
    ) -> None:
        """A batch, the tree's new state and the new tracking position, in one transaction; refused
        (TrackingConflictError, nothing written) unless the projection still stands at ``start``."""
        ...

    def add_checkpoint(self, checkpoint: StoredCheckpoint) -> bool:
        """Store an on-demand checkpoint; False if one of that size was already there."""
        ...

    def max_tracking_id(self, application_name: str) -> int: ...

    # --- reading -----------------------------------------------------------------------------

    def entries(
        self,
        filters: AuditFilters,
        *,
        after: int | None = None,
        before: int | None = None,
        limit: int = 100,
        newest_first: bool = False,
    ) -> list[Entry]:
        """The entries ``filters`` admit between the positions ``after`` and ``before``
        (both excluded), in log order or newest first, at most ``limit``."""
        ...

    def recorded_position(self, originator_id: str, originator_version: int) -> int | None:
        """Where the audit trail saw this event of this aggregate recorded."""
        ...

    def leaves(
        self, after: int, upto: int | None = None, limit: int | None = None
    ) -> list[TrailRow]:
        """(position, leaf index, leaf hash, chain hash) after ``after`` and up to ``upto``, in
        log order, for verification."""
        ...

    def key_rows(self, after: int, upto: int) -> list[tuple[int, Keys]]:
        """(position, keys) of the entries after ``after`` up to ``upto``, in log order."""
        ...

    def key_page(self, after: int, upto: int) -> tuple[list[int], str]:
        """The positions of the entries after ``after`` up to ``upto`` and their keys written one
        after another (``key_text``), in log order: what a verifier compares a page by. The
        database may write the text (it only lays the stored values side by side; what they must
        be, and the comparison, stay with the verifier)."""
        ...

    def leaf_rows(self, first: int, end: int) -> list[tuple[int, int, bytes]]:
        """(leaf index, position, leaf hash) of the leaves with indexes from ``first`` up to
        ``end`` (excluded), in order."""
        ...

    def leaf_page(self, after: int, upto: int) -> TrailPage:
        """The trail after ``after`` up to ``upto`` as one page: positions, leaf indexes, and
        each entry's leaf hash and chain hash joined (64 bytes an entry), in log order. A
        verifier compares the page whole with what it recomputed."""
        ...

    def records(self, events_table: str, after: int, limit: int) -> list[tuple[int, bytes]]:
        """(position, leaf record) of the next stored events after ``after``, in log order.

        The record is ``domain.shared.merkle.event_record`` of the row. The database may join
        the row's columns into it (the same bytes): it only copies the stored columns side by
        side, and the hashing and every comparison stay with the verifier, so nothing here asks
        the database to vouch for itself. A test compares the two.
        """
        ...

    def records_at(self, events_table: str, positions: Sequence[int]) -> list[StoredRecord]:
        """The stored events at these positions (those still there)."""
        ...

    def records_of(
        self,
        events_table: str,
        wanted: Mapping[UUID, int],
        topics: Sequence[str] | None = None,
    ) -> list[StoredRecord]:
        """Each aggregate's stored events up to its given version (of these topics only, if
        given), in version order."""
        ...

    def leaf_at(self, position: int) -> tuple[int, int] | None:
        """(leaf index, position) of the last record at or before ``position``."""
        ...

    def position_of_leaf(self, leaf_index: int) -> int | None: ...

    def record_at(self, position: int) -> Entry | None: ...

    def hashes(
        self, leaves: set[int], nodes: set[tuple[int, int]]
    ) -> tuple[dict[int, bytes], dict[tuple[int, int], bytes]]:
        """Stored leaf hashes by leaf index and subtree hashes by (height, index)."""
        ...

    def iter_nodes(self) -> Iterator[tuple[int, int, bytes]]:
        """Every stored subtree: (height, index, hash), by height then index."""
        ...

    def checkpoints(self) -> list[StoredCheckpoint]:
        """Every stored checkpoint, smallest tree first."""
        ...

    def checkpoints_between(self, low: int, high: int) -> list[StoredCheckpoint]:
        """The checkpoints of trees of more than ``low`` and at most ``high`` records."""
        ...

    def latest_checkpoint(self) -> StoredCheckpoint | None: ...

    def checkpoint_covering(self, tree_size: int) -> StoredCheckpoint | None:
        """The first checkpoint whose tree holds at least ``tree_size`` records."""
        ...

    def checkpoint_of_size(self, tree_size: int) -> StoredCheckpoint | None: ...

    def checkpoint_count(self, tree_size: int) -> int:
        """How many checkpoints have trees of at most ``tree_size`` records: the place of the
        checkpoint of that size among those signed, the first being 1."""
        ...


# --- rows as the backends read them ----------------------------------------------------------


def tree_state(row: Mapping[str, Any] | None, position: int) -> TreeState:
    """The projection's state from its state row (size, frontier, chain) and tracking position."""
    if row is None:
        msg = "the audit tables have no state row: create them first"
        raise LookupError(msg)
    frontier = bytes(row["frontier"])
    nodes = [frontier[i : i + 32] for i in range(0, len(frontier), 32)]
    return TreeState(position, int(row["size"]), nodes, bytes(row["chain"]))


def entry_of(r: Mapping[str, Any]) -> Entry:
    return Entry(
        position=int(r["position"]),
        leaf_index=int(r["leaf_index"]),
        recorded_at=r["recorded_at"],
        originator_id=r["originator_id"],
        originator_version=int(r["originator_version"]),
        action=r["action"],
        actor=r["actor"],
        actor_unit=r["actor_unit"],
        directive=r["directive"],
        subject_unit=r["subject_unit"],
        leaf_hash=bytes(r["leaf_hash"]),
        chain_hash=bytes(r["chain_hash"]),
    )


def keys_of(values: Sequence[Any]) -> Keys:
    """Keys as read (SQLite gives integers as ints already; both give text as str)."""
    at, originator, version, action, actor, unit, directive, subject = values
    return (at, originator, int(version), action, actor, unit, directive, subject)


def checkpoint_of(r: Mapping[str, Any]) -> StoredCheckpoint:
    return StoredCheckpoint(
        int(r["tree_size"]), int(r["position"]), bytes(r["root"]), r["note"], r["signed_at"]
    )


def up_to_versions(records: list[StoredRecord], wanted: Mapping[UUID, int]) -> list[StoredRecord]:
    """The records at or below each aggregate's wanted version (``records_of``)."""
    return [r for r in records if r.originator_version <= wanted[r.originator]]


def utc_text(moment: datetime) -> str:
    """The stored form of a moment, the same as the oversight tables' (``ts``), made afresh:
    every entry's moment is its own, so ``ts``'s cache would only fill with them (a follower
    grew by 20 MB before it was full) and evict the board's moments, which do repeat."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")
