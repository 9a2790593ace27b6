"""The petitions' fold: from a petition's current row and one event, its next rows; and the
folding of a batch of events into the read models' changes, for the follower and a rebuild alike.

``evolve`` is pure and total over a petition's events, with the working-day calendar it is given:
the projection, a rebuild and the tests' reference all compute the same rows. A row is the
petition's stint at one agency (``readmodels.petitions``); a transfer to another agency of the
city closes the stint as transferred and opens the next one, received by transfer. The row keeps
no personal data: the petitioners are sealed in the event and never read here, and neither the
content nor the subject is copied. The candidate store of the duplicate search
(``readmodels.candidates``) takes, beside the rows, each received petition's text normalised,
its subject's keys and its petitioners still sealed (``domain.petitions.duplicates.filed_text``),
and each result's summary.

Deadlines are the domain's (``domain.petitions.petition.term_in_force``), their last day counted
in Vietnam's working days as the calendar stood at the event (``Deadline.due``); a swap of working
days recorded later counts every case open then again, from the swap's position on
(``PetitionFolder``), so that a past point of view shows each deadline as it was then.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from operator import attrgetter
from typing import Any, Protocol
from uuid import UUID

from domain.calendar.work_calendar import TOPICS as CALENDAR_TOPICS
from domain.calendar.work_calendar import WorkCalendar
from domain.petitions.duplicates import filed_text
from domain.petitions.petition import (
    Kind,
    Petition,
    Relation,
    Status,
    handling_term_for,
    term_in_force,
)
from domain.shared.calendar import Swap, WorkingCalendar
from domain.shared.clock import city_date
from domain.shared.errors import DomainError
from readmodels.changes import Changes
from readmodels.petitions import (
    Calendar,
    CalendarChange,
    Counted,
    LinkRow,
    PetitionRow,
    swaps_after,
    undone,
)

_FIELDS = tuple(f.name for f in fields(PetitionRow))
_INDEX = {name: i for i, name in enumerate(_FIELDS)}
_values = attrgetter(*_FIELDS)
REMEMBERED_PETITIONS = 20_000  # current rows kept in memory: about the petitions still open

# Every event a petition records, by the topics the log stores them under: what a rebuild reads.
TOPICS: tuple[str, ...] = tuple(
    sorted(
        str(cls.TOPIC)  # type: ignore[attr-defined]  # each event names its own topic
        for cls in vars(Petition).values()
        if isinstance(cls, type)
        and issubclass(cls, Petition.Event)
        and cls not in {Petition.Event, Petition.Created}
    )
)


def replace(row: PetitionRow, **changes: Any) -> PetitionRow:
    """``dataclasses.replace`` for petition rows, by position (``projections.board.replace``)."""
    values = list(_values(row))
    for name, value in changes.items():
        values[_INDEX[name]] = value
    return PetitionRow(*values)


def deadlines(row: PetitionRow, calendar: Calendar) -> dict[str, Any]:
    """The term in force and its last day, and the handling term's last day, for a row whose
    other fields are settled: counted again while the stint is open, kept once it closes."""
    status = Status(row.status)
    kind = None if row.kind is None else Kind(row.kind)
    relation = None if row.relation is None else Relation(row.relation)
    term = term_in_force(
        status=status,
        kind=kind,
        several_places=row.several_places,
        relation=relation,
        arrived_on=row.arrived_on,
        accepted_on=row.accepted_on,
        extensions=row.extensions,
        suspended=row.suspended_since is not None,
        suspended_days=row.suspended_days,
    )
    handling = row.handling_due
    if status is Status.IN_HANDLING:
        found = handling_term_for(
            kind=kind,
            relation=relation,
            accepted_on=row.accepted_on,
            extensions=row.extensions,
            suspended_days=row.suspended_days,
        )
        handling = None if found is None else found.due(calendar)
    return {
        "term": None if term is None else "+".join(term.terms),
        "due": None if term is None else term.due(calendar),
        "handling_due": handling,
    }


def evolve(  # noqa: PLR0911, PLR0912 - a branch per event
    row: PetitionRow | None, event: Petition.Event, position: int, calendar: Calendar
) -> tuple[PetitionRow, ...]:
    """The rows ``event``, recorded at ``position``, makes of the petition's current row (that of
    the agency holding it): one new version, or on a transfer within the city the closed stint
    and the next one. The calendar is the one in force at the event."""
    at: datetime = event.timestamp
    day = city_date(at)
    if isinstance(event, Petition.Received):
        if row is not None:
            msg = "a petition is received once"
            raise ValueError(msg)
        fresh = PetitionRow(
            petition_id=event.originator_id,
            stint=0,
            position=position,
            recorded_at=at,
            version=event.originator_version,
            receipt=event.receipt,
            agency=event.agency,
            channel=str(event.channel),
            kind=None,
            field=None,
            competence=None,
            several_places=False,
            status=Status.RECEIVED.value,
            transferred_to=None,
            received_on=event.received_on,
            arrived_on=event.received_on,
            accepted_on=None,
            decided_on=None,
            handler=None,
            term=None,
            due=None,
            handling_due=None,
            extensions=0,
            suspended_since=None,
            suspended_days=0,
            verifications=0,
            dialogues=0,
            resolved_on=None,
            closed_on=None,
            verdict=None,
            published_on=None,
            signers=int(event.signers),
            anonymous=bool(event.anonymous),
            relation=None if event.relation is None else str(event.relation),
            follows=event.follows,
        )
        return (_settled(fresh, calendar),)
    if row is None:
        msg = f"{type(event).__name__} v{event.originator_version} arrived before its petition"
        raise ValueError(msg)
    current = row

    def nxt(**changes: Any) -> PetitionRow:
        return _settled(
            replace(
                current,
                position=position,
                recorded_at=at,
                version=event.originator_version,
                **changes,
            ),
            calendar,
        )

    # A stint that closes while suspended counts the days it stood so (``Petition._close``).
    stood = {"suspended_since": None, "suspended_days": _suspended_days(row, day)}
    closed = {"closed_on": day, "decided_on": day, **stood}
    if isinstance(event, Petition.Classified):
        return (
            nxt(
                kind=str(event.kind),
                field=str(event.field),
                competence=str(event.competence),
                several_places=bool(event.several_places),
                status=Status.CLASSIFIED.value,
            ),
        )
    if isinstance(event, Petition.Accepted):
        return (
            nxt(
                handler=event.handler,
                accepted_on=day,
                decided_on=day,
                status=Status.IN_HANDLING.value,
            ),
        )
    if isinstance(event, Petition.Guided):
        return (nxt(status=Status.GUIDED.value, **closed),)
    if isinstance(event, Petition.Transferred):
        out = nxt(status=Status.TRANSFERRED.value, transferred_to=event.to_agency, **closed)
        if event.to_agency is None:
            return (out,)
        arrived = replace(
            out,
            stint=row.stint + 1,
            agency=event.to_agency,
            channel="transferred",
            kind=None,
            field=None,
            competence=None,
            several_places=False,
            status=Status.RECEIVED.value,
            transferred_to=None,
            arrived_on=day,
            accepted_on=None,
            decided_on=None,
            handler=None,
            handling_due=None,
            extensions=0,
            suspended_since=None,
            suspended_days=0,
            verifications=0,
            dialogues=0,
            resolved_on=None,
            closed_on=None,
            verdict=None,
            published_on=None,
        )
        return (out, _settled(arrived, calendar))
    if isinstance(event, Petition.NotAccepted):
        return (nxt(status=Status.NOT_ACCEPTED.value, **closed),)
    if isinstance(event, Petition.Archived):
        return (nxt(status=Status.ARCHIVED.value, **closed),)
    if isinstance(event, Petition.VerificationRecorded):
        return (nxt(verifications=row.verifications + 1),)
    if isinstance(event, Petition.DialogueHeld):
        return (nxt(dialogues=row.dialogues + 1),)
    if isinstance(event, Petition.Extended):
        return (nxt(extensions=row.extensions + 1),)
    if isinstance(event, Petition.Suspended):
        return (nxt(suspended_since=day),)
    if isinstance(event, Petition.Resumed):
        return (nxt(**stood),)
    if isinstance(event, Petition.Resolved):
        # The handling term's last day as the calendar stands now, then kept: on time or late
        # is judged once, when the result is recorded.
        resolving = _settled(replace(row, status=Status.IN_HANDLING.value), calendar)
        return (
            nxt(
                status=Status.RESOLVED.value,
                resolved_on=day,
                closed_on=day,
                verdict=str(event.verdict),
                handling_due=resolving.handling_due,
                **stood,
            ),
        )
    if isinstance(event, Petition.ResultPublished):
        return (nxt(published_on=day),)
    if isinstance(event, Petition.Withdrawn):
        return (nxt(status=Status.WITHDRAWN.value, closed_on=day, **stood),)
    if isinstance(event, Petition.AnsweredWithEarlier):
        return (nxt(status=Status(event.status).value, **closed),)
    if isinstance(event, Petition.HandedOver):
        # The same stint carried on by the heir (docs/units.md): its terms keep running.
        return (nxt(agency=event.to_agency),)
    return (nxt(),)


def _suspended_days(row: PetitionRow, day: date) -> int:
    """The days the stint stood suspended, counting a suspension that ends on ``day``."""
    since = row.suspended_since
    return row.suspended_days + (0 if since is None else (day - since).days)


def _settled(row: PetitionRow, calendar: Calendar) -> PetitionRow:
    """The row with its deadlines computed from its other fields."""
    found = deadlines(row, calendar)
    if (row.term, row.due, row.handling_due) == (
        found["term"],
        found["due"],
        found["handling_due"],
    ):
        return row
    return replace(row, **found)


def recounted(
    row: PetitionRow, position: int, recorded_at: datetime, calendar: Calendar
) -> PetitionRow | None:
    """An open row's next version when the calendar changes at ``position`` (a swap of working
    days recorded): its deadlines counted again; None when they stay the same."""
    if not row.is_open:
        return None
    again = _settled(row, calendar)
    if again is row:
        return None
    return replace(again, position=position, recorded_at=recorded_at)


Skip = Callable[[Any, int, str], None]
# The calendar's events that change the working days (``domain.calendar``).
CALENDAR_CHANGES = (WorkCalendar.SwapDeclared, WorkCalendar.SwapWithdrawn)
# Every event the petitions' rows follow, by the topics the log stores them under.
FOLDED_TOPICS: tuple[str, ...] = (*TOPICS, *CALENDAR_TOPICS)


class PetitionSource(Protocol):
    """What the folding reads back from the view it writes (``readmodels.changes``)."""

    def current_petitions(self, petition_ids: list[UUID]) -> dict[UUID, PetitionRow]: ...

    def open_petitions(self) -> list[PetitionRow]: ...

    def calendar_changes(self) -> list[CalendarChange]: ...


@dataclass
class Batch:
    """One batch's folding: the current rows of its petitions, which of them the view holds
    open (their first new version here closes them), and the working days as the batch leaves
    them."""

    source: PetitionSource
    current: dict[UUID, PetitionRow]
    in_view: set[tuple[UUID, int]]
    swaps: dict[date, Swap]
    calendar: Calendar
    every_open: bool = False  # every open row of the view is in ``current``
    # The links made in this batch and not undone yet, by (later, earlier): their index in
    # the batch's ``Changes.links``.
    links_made: dict[tuple[str, str], int] = field(default_factory=dict)


class PetitionFolder:
    """Folds the petition events of each batch into ``Changes``: the rows, and for each stint
    whose open row the view holds, the version that closes it. Remembers the current rows it
    wrote last, so that the next event of a petition still open needs no read back, and the
    working days its last batch left (read from the view again after ``forget``).

    When the calendar changes (a swap of working days declared or withdrawn), every case open
    then is counted again: a new version of its row at the change's position where its
    deadline moves. A point of view before the change sees the deadline as it was."""

    def __init__(self, remember: int = REMEMBERED_PETITIONS) -> None:
        self.remember = remember
        self.remembered: OrderedDict[UUID, PetitionRow] = OrderedDict()
        self.swaps: dict[date, Swap] | None = None  # None: read from the view when needed
        self.calendar: Calendar = Counted(WorkingCalendar())

    def forget(self) -> None:
        self.remembered.clear()
        self.swaps = None

    def begin(self, events: Sequence[object], source: PetitionSource) -> Batch:
        if self.swaps is None:
            swaps: dict[date, Swap] = {}
            for change in source.calendar_changes():
                swaps = swaps_after(swaps, change)
            self.swaps, self.calendar = swaps, Counted(WorkingCalendar.from_swaps(swaps.values()))
        wanted = list(
            {
                e.originator_id: None
                for e in events
                if isinstance(e, Petition.Event) and not isinstance(e, Petition.Received)
            }
        )
        current: dict[UUID, PetitionRow] = {}
        unknown = []
        for petition_id in wanted:
            row = self.remembered.get(petition_id)
            if row is None:
                unknown.append(petition_id)
            else:
                current[petition_id] = row
        if unknown:
            current.update(source.current_petitions(unknown))
        in_view = {(r.petition_id, r.stint) for r in current.values()}
        return Batch(source, current, in_view, self.swaps, self.calendar)

    def take(
        self, batch: Batch, changes: Changes, event: object, position: int, skip: Skip
    ) -> None:
        """One event into the batch's changes (a petition's, or a change of the working days);
        one that cannot follow is skipped, said why."""
        if isinstance(event, CALENDAR_CHANGES):
            self._recount(batch, changes, event, position, skip)
            return
        if not isinstance(event, Petition.Event):
            return
        petition_id = event.originator_id
        row = batch.current.get(petition_id)
        try:
            if isinstance(event, Petition.Received) and event.originator_version != 1:
                msg = f"a petition is received at version 1, not {event.originator_version}"
                raise ValueError(msg)
            versions = evolve(row, event, position, batch.calendar)
        except (ValueError, TypeError, AttributeError, KeyError, DomainError) as e:
            skip(event, position, f"cannot be projected: {type(e).__name__}: {e}")
            return
        for version in versions:
            _add(batch, changes, version)
        batch.current[petition_id] = versions[-1]
        if isinstance(event, Petition.SameMatterMarked | Petition.SameMatterUnmarked):
            _link(batch, changes, versions[-1].receipt, event, position)
        if isinstance(event, Petition.Received):
            changes.filed.append(
                filed_text(
                    petition_id,
                    event.receipt,
                    event.content,
                    event.subject,
                    event.petitioners,
                )
            )
        elif isinstance(event, Petition.Resolved):
            changes.results[petition_id] = event.summary

    def _recount(
        self, batch: Batch, changes: Changes, event: Any, position: int, skip: Skip
    ) -> None:
        withdrawn = isinstance(event, WorkCalendar.SwapWithdrawn)
        change = CalendarChange(
            position=position,
            recorded_at=event.timestamp,
            day_off=event.day_off,
            make_up_day=None if withdrawn else event.make_up_day,
            withdrawn=withdrawn,
        )
        try:
            swaps = swaps_after(batch.swaps, change)
            calendar = Counted(WorkingCalendar.from_swaps(swaps.values()))
        except (ValueError, TypeError, AttributeError) as e:
            skip(event, position, f"cannot be projected: {type(e).__name__}: {e}")
            return
        changes.calendar.append(change)
        batch.swaps, batch.calendar = swaps, calendar
        if not batch.every_open:
            for row in batch.source.open_petitions():
                if row.petition_id not in batch.current:
                    batch.current[row.petition_id] = row
                    batch.in_view.add((row.petition_id, row.stint))
            batch.every_open = True
        for petition_id, row in list(batch.current.items()):
            try:
                again = recounted(row, position, event.timestamp, calendar)
            except DomainError as e:  # a deadline the calendar cannot count (years it lacks)
                skip(event, position, f"cannot be projected: {type(e).__name__}: {e}")
                continue
            if again is not None:
                _add(batch, changes, again)
                batch.current[petition_id] = again

    def written(self, batch: Batch, changes: Changes) -> None:
        """The batch was written: its rows are now the current ones, its calendar in force."""
        self.swaps, self.calendar = batch.swaps, batch.calendar
        remembered = self.remembered
        for row in changes.petitions:
            current = remembered.get(row.petition_id)
            if current is None or current.stint <= row.stint:
                remembered[row.petition_id] = row
                remembered.move_to_end(row.petition_id)
        while len(remembered) > self.remember:
            remembered.popitem(last=False)


def _link(
    batch: Batch,
    changes: Changes,
    later: str,
    event: Petition.SameMatterMarked | Petition.SameMatterUnmarked,
    position: int,
) -> None:
    """A link between two filings of one matter made or undone: a new link, or the one the
    batch made undone in place, or the view's undone when the batch is written."""
    key = (later, event.earlier)
    if isinstance(event, Petition.SameMatterMarked):
        batch.links_made[key] = len(changes.links)
        changes.links.append(LinkRow(later, event.earlier, position, event.timestamp))
        return
    made = batch.links_made.pop(key, None)
    if made is None:
        changes.link_closes[key] = (position, event.timestamp)
    else:
        changes.links[made] = undone(changes.links[made], position, event.timestamp)


def _add(batch: Batch, changes: Changes, version: PetitionRow) -> None:
    key = (version.petition_id, version.stint)
    changes.petitions.append(version)
    if key in batch.in_view and key not in changes.petition_closes:
        changes.petition_closes[key] = version
