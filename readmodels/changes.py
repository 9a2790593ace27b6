"""What one batch of events changes in the read models, handed by the projection to a view."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol
from uuid import UUID

from eventsourcing.persistence import Tracking

from domain.petitions.duplicates import FiledText
from readmodels.filed import FiledRow
from readmodels.model import BoardRow, SkippedEvent, Succession, UnitRow
from readmodels.petitions import CalendarChange, LinkRow, PetitionRow

Role = Literal["lead", "coordinator"]


@dataclass(frozen=True, slots=True)
class SearchDocument:
    directive_id: UUID
    reference: str
    title: str
    content: str


@dataclass
class Changes:
    """Board versions in log order; units added, renamed (code, name_vi, name_en) and deactivated,
    each in log order (a unit is added before it can be renamed, and renamed only while active);
    the units a reorganisation ended, each with its heir; new search documents; for each
    directive whose units changed, its whole (unit, role) list; and the stored events the batch
    left out (``SkippedEvent``).

    Each of ``versions`` is written closed by the next version of its directive in the list, the
    last one open (current). ``closes`` holds, for each directive whose open row is already in
    the view, the version that closes it. A rebuild, which knows a version's successor before it
    writes it, hands those pairs over as ``superseded``: written closed at once, never updated.
    ``replaced`` holds, beside ``closes``, the open row each of those closes (what the summary's
    tallies take out, ``readmodels.tallies``).

    ``petitions`` and ``petition_closes`` are the same for the petitions' rows, one per petition
    and agency (``readmodels.petitions``), keyed by petition and stint; ``calendar``, the changes
    to the working days their deadlines are counted in.

    ``links`` are the links between filings of one matter made in the batch, each written
    undone if the batch undoes it too; ``link_closes``, for links already in the view, the
    position and moment the batch undoes them at (written before the new links).

    ``filed`` and ``results`` are the candidate store's (``readmodels.candidates``): each
    petition received, as the search keeps it, and the result each resolved petition's holder
    recorded (its summary).

    ``filed_files`` are the files of documents filed in the batch (``readmodels.filed``).
    """

    versions: list[BoardRow] = field(default_factory=list)
    closes: dict[UUID, BoardRow] = field(default_factory=dict)
    replaced: dict[UUID, BoardRow] = field(default_factory=dict)
    superseded: list[tuple[BoardRow, BoardRow]] = field(default_factory=list)
    units_added: list[UnitRow] = field(default_factory=list)
    units_renamed: list[tuple[str, str, str]] = field(default_factory=list)
    units_deactivated: list[str] = field(default_factory=list)
    successions: list[Succession] = field(default_factory=list)  # units ended, each its heir
    documents: list[SearchDocument] = field(default_factory=list)
    memberships: dict[UUID, list[tuple[str, Role]]] = field(default_factory=dict)
    skipped: list[SkippedEvent] = field(default_factory=list)
    petitions: list[PetitionRow] = field(default_factory=list)
    petition_closes: dict[tuple[UUID, int], PetitionRow] = field(default_factory=dict)
    calendar: list[CalendarChange] = field(default_factory=list)
    links: list[LinkRow] = field(default_factory=list)
    link_closes: dict[tuple[str, str], tuple[int, datetime]] = field(default_factory=dict)
    filed: list[FiledText] = field(default_factory=list)
    results: dict[UUID, str] = field(default_factory=dict)
    filed_files: list[FiledRow] = field(default_factory=list)


class OversightWriter(Protocol):
    """The write side of an oversight view: what the projection needs from a backend."""

    def current_rows(self, directive_ids: list[UUID]) -> dict[UUID, BoardRow]: ...

    def current_petitions(self, petition_ids: list[UUID]) -> dict[UUID, PetitionRow]:
        """Each petition's current row at the agency that holds it (its last stint)."""
        ...

    def open_petitions(self) -> list[PetitionRow]:
        """Every open stint's current row."""
        ...

    def calendar_changes(self) -> list[CalendarChange]:
        """The changes to the working days the view holds, in log order."""
        ...

    def apply(self, changes: Changes, tracking: Tracking) -> None:
        """Write the changes and the tracking position in one transaction."""
        ...

    def max_tracking_id(self, application_name: str) -> int | None: ...


class BulkWriter(OversightWriter, Protocol):
    """A view being rebuilt from nothing: appended to without tracking, then finished at once."""

    def append(self, changes: Changes) -> None:
        """Write the changes in a transaction of their own; no tracking, no memberships."""
        ...

    def finish(self, tracking: Tracking | None) -> None:
        """Derive the memberships from the current rows, create the deferred indexes, and
        record the tracking position (None: the log was empty), in one transaction."""
        ...
