"""The directive board's fold: from a directive's previous row and one event, its next row.

Pure and total over the directive's events, so the projection, a rebuild and the live follower
all compute the same rows. Events that change nothing on the board still make a new version,
because the board's versions line up one to one with the directive's. Unit codes are compared as
the view holds them (``storable``): a row read back from the view holds them escaped, a row held
in memory as the log has them.
"""

from __future__ import annotations

from dataclasses import fields
from operator import attrgetter
from typing import Any

from domain.directives.directive import Directive, handed_over
from domain.shared.clock import city_date
from readmodels.model import BoardRow
from readmodels.text import storable

_FIELDS = tuple(f.name for f in fields(BoardRow))
_INDEX = {name: i for i, name in enumerate(_FIELDS)}
_values = attrgetter(*_FIELDS)


def replace(row: BoardRow, **changes: Any) -> BoardRow:
    """``dataclasses.replace`` for board rows, cheaper: a rebuild makes one per event.

    The values are read at once and passed by position, not looked up field by field by name.
    """
    values = list(_values(row))
    for name, value in changes.items():
        values[_INDEX[name]] = value
    return BoardRow(*values)


def evolve(row: BoardRow | None, event: Directive.Event, position: int) -> BoardRow:  # noqa: PLR0911, PLR0912 - a branch per event
    """The board row after ``event``, recorded at ``position``."""
    if isinstance(event, Directive.Issued):
        return BoardRow(
            directive_id=event.originator_id,
            version=event.originator_version,
            position=position,
            recorded_at=event.timestamp,
            reference=event.reference,
            title=event.title,
            lead_unit=event.lead_unit,
            coordinators=event.coordinating_units,
            issuer=event.issuer,
            urgency=str(event.urgency),
            issued_on=event.issued_on,
            issued_at=event.timestamp,
            assigned_at=event.timestamp,
            original_deadline=event.deadline,
            deadline=event.deadline,
            extensions_granted=0,
            extension_pending=False,
            percent=0,
            progress_at=None,
            acknowledged_at=None,
            completion_reported_at=None,
            completion_on=None,
            accepted_at=None,
            status="issued",
            withdrawn=False,
            open_explanations=0,
            reminders=0,
            returns=0,
            contributed=(),
        )
    if row is None:
        msg = f"{type(event).__name__} v{event.originator_version} arrived before its directive"
        raise ValueError(msg)
    current = row

    def nxt(**changes: Any) -> BoardRow:
        """One replace per event: each version carries its own version, position and moment."""
        return replace(
            current,
            version=event.originator_version,
            position=position,
            recorded_at=event.timestamp,
            **changes,
        )

    if isinstance(event, Directive.Acknowledged):
        return nxt(status="in_progress", acknowledged_at=event.timestamp)
    if isinstance(event, Directive.ProgressReported):
        return nxt(percent=event.percent, progress_at=event.timestamp)
    if isinstance(event, Directive.ContributionReported):
        known = {storable(u) for u in row.contributed}
        contributed = (
            row.contributed if storable(event.unit) in known else (*row.contributed, event.unit)
        )
        return nxt(contributed=contributed)
    if isinstance(event, Directive.ExtensionRequested):
        return nxt(extension_pending=True)
    if isinstance(event, Directive.ExtensionGranted):
        return nxt(
            extension_pending=False,
            deadline=event.new_deadline,
            extensions_granted=row.extensions_granted + 1,
        )
    if isinstance(event, Directive.ExtensionDenied):
        return nxt(extension_pending=False)
    if isinstance(event, Directive.CompletionReported):
        return nxt(
            status="completion_reported",
            completion_reported_at=event.timestamp,
            completion_on=city_date(event.timestamp),
        )
    if isinstance(event, Directive.CompletionAccepted):
        return nxt(status="completed", accepted_at=event.timestamp, extension_pending=False)
    if isinstance(event, Directive.CompletionReturned):
        return nxt(
            status="in_progress",
            completion_reported_at=None,
            completion_on=None,
            returns=row.returns + 1,
        )
    if isinstance(event, Directive.Reassigned):
        return nxt(
            lead_unit=event.to_unit,
            coordinators=tuple(
                u for u in row.coordinators if storable(u) != storable(event.to_unit)
            ),
            status="issued",
            assigned_at=event.timestamp,
            acknowledged_at=None,
            extension_pending=False,
        )
    if isinstance(event, Directive.HandedOver):
        # The heir carries on where the work stands (docs/units.md): only the units change.
        held = {storable(u): u for u in (row.lead_unit, *row.coordinators)}
        lead, coordinators = handed_over(
            storable(row.lead_unit),
            tuple(storable(u) for u in row.coordinators),
            storable(event.from_unit),
            storable(event.to_unit),
        )
        return nxt(
            lead_unit=held.get(lead, event.to_unit),
            coordinators=tuple(held.get(u, event.to_unit) for u in coordinators),
        )
    if isinstance(event, Directive.Withdrawn):
        return nxt(status="withdrawn", withdrawn=True, extension_pending=False)
    if isinstance(event, Directive.ReminderSent):
        return nxt(reminders=row.reminders + 1)
    if isinstance(event, Directive.ExplanationRequested):
        return nxt(open_explanations=row.open_explanations + 1)
    if isinstance(event, Directive.ExplanationGiven):
        return nxt(open_explanations=row.open_explanations - 1)
    return nxt()
