"""The oversight projection: directive and unit events into the board, units, inbox and search.

One projection writes every oversight read model, so that they all move together with one
tracking position. A batch of events becomes one set of changes written with the batch's last
tracking position in one transaction: replaying a batch that was already written fails on the
tracking row and changes nothing, so each event counts exactly once whatever crashes when.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import IntegrityError, Tracking
from eventsourcing.projection import Projection

from domain.application import Thucthi
from domain.directive import Directive
from domain.units import UnitRegistry
from projections.board import evolve
from readmodels.changes import Changes, OversightWriter, Role, SearchDocument
from readmodels.model import BoardRow, UnitRow

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

    def forget(self) -> None:
        """Another writer may have moved the view: read current rows from it again."""
        self.remembered.clear()

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
            changes = self.changes(items)
            self.writer.apply(changes, items[-1][1])
            self.projected_upto = max(self.projected_upto, items[-1][1].notification_id)
            remembered = self.remembered
            for row in changes.versions:  # written: now the current rows, in version order
                remembered[row.directive_id] = row
                remembered.move_to_end(row.directive_id)
            while len(remembered) > self.remember:
                remembered.popitem(last=False)

    def changes(self, items: Sequence[Item]) -> Changes:
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
        for event, tracking in items:
            if isinstance(event, Directive.Event):
                directive_id = event.originator_id
                row = evolve(current.get(directive_id), event, tracking.notification_id)
                current[directive_id] = row
                changes.versions.append(row)
                if directive_id in written and directive_id not in closes:
                    closes[directive_id] = row
                if isinstance(event, Directive.Issued | Directive.Reassigned):
                    changes.memberships[row.directive_id] = _members(row)
                document(changes, event, row)
            else:
                unit_change(changes, event)
        return changes


def document(changes: Changes, event: Directive.Event, row: BoardRow) -> None:
    """A directive's search document, from the event that issued it."""
    if isinstance(event, Directive.Issued):
        changes.documents.append(
            SearchDocument(row.directive_id, event.reference, event.title, event.content)
        )


def unit_change(changes: Changes, event: object) -> None:
    """A change to the unit registry, if the event is one."""
    if isinstance(event, UnitRegistry.UnitAdded):
        changes.units_added.append(
            UnitRow(event.code, event.name_vi, event.name_en, event.parent, active=True)
        )
    elif isinstance(event, UnitRegistry.UnitRenamed):
        changes.units_renamed.append((event.code, event.name_vi, event.name_en))
    elif isinstance(event, UnitRegistry.UnitDeactivated):
        changes.units_deactivated.append(event.code)


def _members(row: BoardRow) -> list[tuple[str, Role]]:
    lead: list[tuple[str, Role]] = [(row.lead_unit, "lead")]
    return lead + [(unit, "coordinator") for unit in row.coordinators]


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
        items = [(app.mapper.to_domain_event(n), Tracking(app.name, n.id)) for n in notifications]
        try:
            projection.process_batch(items)
        except IntegrityError:
            # Another process wrote this stretch first: its tracking row refused ours, and
            # our transaction rolled back. Carry on from wherever the view now stands.
            position = projection.writer.max_tracking_id(app.name) or 0
            projection.projected_upto = position
            projection.forget()
            continue
        position = notifications[-1].id
        done += len(notifications)
    return done
