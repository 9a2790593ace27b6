"""The oversight projection: directive and unit events into the board, units, inbox and search,
and petition events into the petitions' rows (``projections.petitions``).

One projection writes every oversight read model, so that they all move together with one
tracking position. A batch of events becomes one set of changes written with the batch's last
tracking position in one transaction: replaying a batch that was already written fails on the
tracking row and changes nothing, so each event counts exactly once whatever crashes when.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import (
    IntegrityError,
    Mapper,
    MapperDeserialisationError,
    StoredEvent,
    Tracking,
)
from eventsourcing.projection import Projection
from eventsourcing.utils import TopicError, get_topic

from domain.application import Thucthi
from domain.directives.directive import Directive
from domain.documents.document import Document
from domain.petitions.petition import Petition
from domain.units.registry import UnitRegistry
from projections.board import evolve
from projections.petitions import CALENDAR_CHANGES, Batch, PetitionFolder
from readmodels.changes import Changes, OversightWriter, Role, SearchDocument
from readmodels.filed import FiledRow
from readmodels.model import BoardRow, SkippedEvent, Succession, UnitRow
from readmodels.text import storable

Item = tuple[DomainEventProtocol[Any], Tracking]
DEFAULT_BATCH = 5_000  # events per transaction when catching up or rebuilding
REMEMBERED_ROWS = 20_000  # current board rows kept in memory: about the directives still open


class OversightProjection(Projection[Any]):
    """Projects the Thucthi application's events into an oversight view."""

    name = "Oversight"
    topics = ()  # every event: directives and the unit registry

    def __init__(
        self, view: OversightWriter, source: Thucthi | None = None, remember: int = REMEMBERED_ROWS
    ) -> None:
        super().__init__(view=view)
        self.writer = view
        self.source = source
        self.projected_upto = 0  # highest position this object has seen written
        # The current row of the directives this object wrote last, so that the next event of
        # a directive still open evolves it without reading it back; least recently used first.
        self.remember = remember
        self.remembered: OrderedDict[UUID, BoardRow] = OrderedDict()
        self.petitions = PetitionFolder()

    def forget(self) -> None:
        """Another writer may have moved the view: read current rows from it again."""
        self.remembered.clear()
        self.petitions.forget()

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        """How eventsourcing's ProjectionRunner hands over each event on PostgreSQL.

        With a ``source`` application, the first event of a burst triggers a batched catch-up
        that covers it and everything recorded since; the events that follow are then already
        projected and skipped. Without one, the event is written alone.
        """
        if tracking.notification_id <= self.projected_upto:
            return
        if self.source is None:
            self.process_batch([(domain_event, tracking)])
        else:
            catch_up(self.source, self)

    def process_batch(self, items: Sequence[Item]) -> None:
        """Many events, one transaction, tracking written once at the last position."""
        if items:
            changes, petitions = self.folded(items)
            self.writer.apply(changes, items[-1][1])
            self.projected_upto = max(self.projected_upto, items[-1][1].notification_id)
            remembered = self.remembered
            for row in changes.versions:  # written: now the current rows, in version order
                remembered[row.directive_id] = row
                remembered.move_to_end(row.directive_id)
            while len(remembered) > self.remember:
                remembered.popitem(last=False)
            self.petitions.written(petitions, changes)

    def changes(self, items: Sequence[Item]) -> Changes:
        return self.folded(items)[0]

    def folded(self, items: Sequence[Item]) -> tuple[Changes, Batch]:
        """The batch's changes, and the petitions' folding of it."""
        changes = Changes()
        directive_ids = list(
            {
                e.originator_id: None
                for e, _ in items
                if isinstance(e, Directive.Event) and not isinstance(e, Directive.Issued)
            }
        )
        current: dict[Any, BoardRow] = {}
        unknown = []
        for directive_id in directive_ids:
            row = self.remembered.get(directive_id)
            if row is None:
                unknown.append(directive_id)
            else:
                current[directive_id] = row
        current.update(self.writer.current_rows(unknown))
        written = set(current)  # directives whose open row is in the view: their first new
        closes = changes.closes  # version here closes it
        petitions = self.petitions.begin([e for e, _ in items], self.writer)
        skip = skipping(changes)
        for event, tracking in items:
            position = tracking.notification_id
            if isinstance(event, (Petition.Event, *CALENDAR_CHANGES)):
                self.petitions.take(petitions, changes, event, position, skip)
                continue
            if not isinstance(event, Directive.Event):
                other_change(changes, event, position)
                continue
            directive_id = event.originator_id
            try:
                row = next_row(current.get(directive_id), event, position)
            except UnprojectableError as e:
                changes.skipped.append(skipped(event, position, str(e)))
                continue
            if directive_id in written and directive_id not in closes:
                closes[directive_id] = row
                changes.replaced[directive_id] = current[directive_id]
            current[directive_id] = row
            changes.versions.append(row)
            if isinstance(event, Directive.Issued | Directive.Reassigned | Directive.HandedOver):
                changes.memberships[row.directive_id] = _members(row)
            document(changes, event, row)
        return changes, petitions


class UnprojectableError(ValueError):
    """A stored event the read models cannot take: unreadable, or not following its aggregate's
    earlier events. The projections leave it out and say so (``SkippedEvent``)."""


@dataclass(frozen=True, slots=True)
class Unreadable:
    """A stored record that cannot be decoded into an event (not JSON, an unknown topic, a field
    of the wrong kind): the projections skip it, visibly."""

    originator_id: UUID
    originator_version: int
    topic: str
    reason: str


def read(mapper: Mapper[UUID], record: StoredEvent) -> Any:
    """The record's event, or ``Unreadable`` saying why there is none."""
    try:
        return mapper.to_domain_event(record)
    except (MapperDeserialisationError, TopicError) as e:
        return unreadable(record, e)


def unreadable(record: StoredEvent, error: Exception) -> Unreadable:
    originator = record.originator_id
    return Unreadable(
        originator if isinstance(originator, UUID) else UUID(str(originator)),
        record.originator_version,
        record.topic,
        f"cannot be read: {error}",
    )


def skipped(event: Any, position: int, reason: str) -> SkippedEvent:
    """What the read models keep of an event they leave out."""
    return SkippedEvent(
        position=position,
        originator_id=str(event.originator_id),
        originator_version=event.originator_version,
        topic=event.topic if isinstance(event, Unreadable) else get_topic(type(event)),
        reason=reason,
    )


def skipping(changes: Changes) -> Callable[[Any, int, str], None]:
    """How a fold says it leaves an event out: into the batch's skipped events."""

    def skip(event: Any, position: int, reason: str) -> None:
        changes.skipped.append(skipped(event, position, reason))

    return skip


# The board's values each kind of event brings, and what they must be to be written; the rest of
# a row is the row before it, already checked.
_DAY_OR_NONE = (date, type(None))
_ISSUED_TYPES: tuple[tuple[str, type | tuple[type, ...]], ...] = (
    ("reference", str),
    ("title", str),
    ("lead_unit", str),
    ("issuer", str),
    ("urgency", str),
    ("issued_on", date),
    ("original_deadline", _DAY_OR_NONE),
    ("deadline", _DAY_OR_NONE),
    ("recorded_at", datetime),
    ("coordinators", tuple),
)
_BROUGHT: dict[type, tuple[tuple[str, type | tuple[type, ...]], ...]] = {
    Directive.Issued: _ISSUED_TYPES,
    Directive.ProgressReported: (("percent", int),),
    Directive.ExtensionGranted: (("deadline", _DAY_OR_NONE),),
    Directive.Reassigned: (("lead_unit", str), ("coordinators", tuple)),
    Directive.HandedOver: (("lead_unit", str), ("coordinators", tuple)),
    Directive.ContributionReported: (("contributed", tuple),),
}


def next_row(row: BoardRow | None, event: Any, position: int) -> BoardRow:
    """The board row after the event (``evolve``), or UnprojectableError saying why the event
    cannot be taken: it is unreadable, or it does not follow from the directive's earlier events
    as the domain records them. The same one event at a time as in a rebuild."""
    if isinstance(event, Unreadable):
        raise UnprojectableError(event.reason)
    if isinstance(event, Directive.Issued):
        if event.originator_version != 1:
            msg = f"a directive is issued at version 1, not {event.originator_version}"
            raise UnprojectableError(msg)
    elif row is None:
        msg = "its directive's issue is not in the read models"
        raise UnprojectableError(msg)
    try:
        new = evolve(row, event, position)
    except (ValueError, TypeError, AttributeError, KeyError) as e:
        msg = f"cannot be projected: {type(e).__name__}: {e}"
        raise UnprojectableError(msg) from e
    for name, kind in _BROUGHT.get(type(event), ()):
        value = getattr(new, name)
        if isinstance(value, tuple):
            fits = kind is tuple and all(isinstance(u, str) for u in value)
        else:
            fits = isinstance(value, kind)
        if not fits:
            msg = f"its {name} is not what a board row holds: {value!r}"
            raise UnprojectableError(msg)
    return new


def document(changes: Changes, event: Directive.Event, row: BoardRow) -> None:
    """A directive's search document, from the event that issued it."""
    if isinstance(event, Directive.Issued):
        changes.documents.append(
            SearchDocument(row.directive_id, row.reference, row.title, str(event.content))
        )


def other_change(changes: Changes, event: object, position: int) -> None:
    """What an event that is not a directive's changes: a filed document's file, or the unit
    registry."""
    if isinstance(event, Document.Filed | Document.VersionFiled):
        filed_file(changes, event, position)
    else:
        unit_change(changes, event, position)


def filed_file(
    changes: Changes, event: Document.Filed | Document.VersionFiled, position: int
) -> None:
    """The file a document's filing event filed, for the index by digest. A document's version
    is its event's: it is filed first (version 1), then each later version until it is revoked,
    after which nothing more is filed (``Document.revoke``)."""
    try:
        (file,) = event.files
        digest = file.digest
        if not isinstance(digest, str) or not isinstance(event.timestamp, datetime):
            msg = "a filed file has a digest and a moment"
            raise UnprojectableError(msg)
        row = FiledRow(
            digest, event.originator_id, event.originator_version, position, event.timestamp
        )
    except (AttributeError, TypeError, ValueError) as e:
        changes.skipped.append(skipped(event, position, f"cannot be projected: {e}"))
        return
    changes.filed_files.append(row)


def unit_change(changes: Changes, event: object, position: int) -> None:
    """A change to the unit registry, if the event is one; one that is unreadable or malformed
    is left out and said to be."""
    try:
        if isinstance(event, Unreadable):
            raise UnprojectableError(event.reason)
        if isinstance(event, UnitRegistry.UnitAdded):
            added = UnitRow(event.code, event.name_vi, event.name_en, event.parent, active=True)
            _require_text(added.code, added.name_vi, added.name_en)
            changes.units_added.append(added)
        elif isinstance(event, UnitRegistry.UnitRenamed):
            renamed = (event.code, event.name_vi, event.name_en)
            _require_text(*renamed)
            changes.units_renamed.append(renamed)
        elif isinstance(event, UnitRegistry.UnitDeactivated):
            _require_text(event.code)
            changes.units_deactivated.append(event.code)
        elif isinstance(event, REORGANISATIONS):
            changes.successions.extend(successions(event, position))
    except (AttributeError, IndexError) as e:
        changes.skipped.append(skipped(event, position, f"cannot be projected: {e}"))
    except UnprojectableError as e:
        changes.skipped.append(skipped(event, position, str(e)))


REORGANISATIONS = (UnitRegistry.UnitsMerged, UnitRegistry.UnitSplit, UnitRegistry.UnitSucceeded)


def successions(
    event: UnitRegistry.UnitsMerged | UnitRegistry.UnitSplit | UnitRegistry.UnitSucceeded,
    position: int,
) -> list[Succession]:
    """What a reorganisation tells the read models: each unit it ends, its heir (the first
    successor), the day it took effect and the log position that says so."""
    if isinstance(event, UnitRegistry.UnitsMerged):
        ending, heir = tuple(event.predecessors), event.successor
    elif isinstance(event, UnitRegistry.UnitSplit):
        ending, heir = (event.predecessor,), event.successors[0]
    else:
        ending, heir = (event.predecessor,), event.successor
    _require_text(heir, *ending)
    if not isinstance(event.effective_on, date):
        msg = "a reorganisation takes effect on a day"
        raise UnprojectableError(msg)
    return [Succession(code, heir, event.effective_on, position) for code in ending]


def _require_text(*values: object) -> None:
    if not all(isinstance(v, str) for v in values):
        msg = "a unit's code and names are text"
        raise UnprojectableError(msg)


def _members(row: BoardRow) -> list[tuple[str, Role]]:
    lead: list[tuple[str, Role]] = [(row.lead_unit, "lead")]
    held = storable(row.lead_unit)  # compared as the view holds them (projections.board)
    return lead + [(unit, "coordinator") for unit in row.coordinators if storable(unit) != held]


def catch_up(
    app: Thucthi,
    projection: OversightProjection,
    *,
    batch_size: int = DEFAULT_BATCH,
    stop: threading.Event | None = None,
    until: int | None = None,
) -> int:
    """Project every notification after the view's position (up to ``until``); events done."""
    done = 0
    position = projection.writer.max_tracking_id(app.name) or 0
    if position != projection.projected_upto:
        projection.forget()  # another writer moved the view: what this one remembers may be old
    while stop is None or not stop.is_set():
        if until is not None and position >= until:
            break
        notifications = app.recorder.select_notifications(
            start=position, limit=batch_size, stop=until, inclusive_of_start=False
        )
        if not notifications:
            break
        items = [(read(app.mapper, n), Tracking(app.name, n.id)) for n in notifications]
        try:
            projection.process_batch(items)
        except IntegrityError:
            # Another process wrote this stretch first: its tracking row refused ours, and
            # our transaction rolled back. Carry on from wherever the view now stands. If it
            # has not moved, nobody else wrote: the batch itself was refused, and trying it
            # again would spin for ever, so the error is raised.
            moved = projection.writer.max_tracking_id(app.name) or 0
            if moved <= position:
                raise
            position = moved
            projection.projected_upto = position
            projection.forget()
            continue
        position = notifications[-1].id
        done += len(notifications)
    return done
