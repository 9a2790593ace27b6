"""The calendar of working days as an event-sourced aggregate: the government's swaps of working
days in force, each declared and withdrawn by an administrator as an event.

One aggregate holds them all: a year has a handful of swaps, a day is swapped at most once at a
time without a separate index, and every change is an event of its own. The statutory holidays
are not events: they come from the law, through ``domain.shared.calendar``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event
from eventsourcing.domain import Snapshot as _Snapshot

from domain.calendar.errors import InvalidSwapError, SwapNotFoundError
from domain.shared.actors import Actor, Command, require_permission
from domain.shared.calendar import Swap, WorkingCalendar, in_calendar
from domain.shared.text import checked

CALENDAR_ID: UUID = uuid5(NAMESPACE_URL, "thucthi:work-calendar")


@dataclass(frozen=True, slots=True)
class DeclaredSwap:
    """A swap in force, with who declared it and when."""

    day_off: date
    make_up_day: date | None
    decision_reference: str
    note: str
    declared_at: datetime
    declared_by: str

    def swap(self) -> Swap:
        return Swap(self.day_off, self.make_up_day, self.decision_reference, self.note)


class WorkCalendar(Aggregate):
    """The swaps of working days in force; there is exactly one calendar per database."""

    TOPIC = "thucthi:WorkCalendar"

    swaps: dict[str, DeclaredSwap]  # by the day made a day off, as YYYY-MM-DD

    class Event(Aggregate.Event):
        """Every event says who acted and in answer to which request. No TOPIC here on purpose:
        each concrete event names its own, and one that forgets fails at import."""

        actor: Actor
        request_id: str

    class Created(Event, Aggregate.Created):
        """The library's generic creation event; never triggered, named so no topic is implied."""

        TOPIC = "thucthi:WorkCalendar.Created"

    class Opened(Event, Aggregate.Created):
        TOPIC = "thucthi:WorkCalendar.Opened"

    class SwapDeclared(Event):
        TOPIC = "thucthi:WorkCalendar.SwapDeclared"
        day_off: date
        make_up_day: date | None
        decision_reference: str
        note: str

    class SwapWithdrawn(Event):
        TOPIC = "thucthi:WorkCalendar.SwapWithdrawn"
        day_off: date
        reason: str

    class Snapshot(_Snapshot):
        TOPIC = "thucthi:WorkCalendar.Snapshot"

    @classmethod
    def open(cls, *, actor: Actor, request_id: str, at: datetime) -> WorkCalendar:
        """Open the calendar, with no swap yet."""
        require_permission(actor, Command.MANAGE_CALENDAR)
        return cls._create(
            cls.Opened, id=CALENDAR_ID, actor=actor, request_id=request_id, timestamp=at
        )

    @event(Opened)
    def __init__(self, *, actor: Actor, request_id: str) -> None:
        self.swaps = {}

    # --- queries -----------------------------------------------------------------------------

    def calendar(self) -> WorkingCalendar:
        """The working days with the swaps in force."""
        return WorkingCalendar.from_swaps(s.swap() for s in self.swaps.values())

    def swap_of(self, day: date) -> DeclaredSwap | None:
        """The swap in force that ``day`` is the day off or the make-up day of, if any."""
        found = self.swaps.get(day.isoformat())
        if found is None:
            found = next((s for s in self.swaps.values() if s.make_up_day == day), None)
        return found

    # --- commands ----------------------------------------------------------------------------

    def declare_swap(
        self,
        *,
        day_off: date,
        make_up_day: date | None,
        decision_reference: str,
        note: str,
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        """Make a working day a day off and, if given, a day off a working day (làm bù)."""
        require_permission(actor, Command.MANAGE_CALENDAR)
        decision_reference = checked(
            "decision_reference", decision_reference, method="declare_swap"
        )
        note = checked("note", note)
        for day in (day_off, make_up_day):
            swapped = self.swap_of(day) if day is not None else None
            if swapped is not None:
                raise InvalidSwapError("already_swapped", day=day, swapped=swapped.day_off)
        calendar = self.calendar()
        if not calendar.is_working_day(in_calendar(day_off)):
            raise InvalidSwapError("day_off_not_working", day=day_off)
        if make_up_day is not None and calendar.is_working_day(in_calendar(make_up_day)):
            raise InvalidSwapError("make_up_not_off", day=make_up_day)
        self._swap_declared(
            actor=actor,
            request_id=request_id,
            timestamp=at,
            day_off=day_off,
            make_up_day=make_up_day,
            decision_reference=decision_reference,
            note=note,
        )

    def withdraw_swap(
        self, *, day_off: date, reason: str, actor: Actor, request_id: str, at: datetime
    ) -> None:
        """The swap that makes ``day_off`` a day off no longer holds (a decision withdrawn, a
        mistake in entering it): both its days are what the law makes them again."""
        require_permission(actor, Command.MANAGE_CALENDAR)
        if day_off.isoformat() not in self.swaps:
            raise SwapNotFoundError("none", day=day_off)
        reason = checked("reason", reason, method="withdraw_swap")
        self._swap_withdrawn(
            actor=actor, request_id=request_id, timestamp=at, day_off=day_off, reason=reason
        )

    # --- mutators: replay runs these, so they only change state ------------------------------

    @event(SwapDeclared)
    def _swap_declared(
        self,
        *,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
        day_off: date,
        make_up_day: date | None,
        decision_reference: str,
        note: str,
    ) -> None:
        self.swaps[day_off.isoformat()] = DeclaredSwap(
            day_off=day_off,
            make_up_day=make_up_day,
            decision_reference=decision_reference,
            note=note,
            declared_at=timestamp,
            declared_by=actor.user_id,
        )

    @event(SwapWithdrawn)
    def _swap_withdrawn(
        self, *, actor: Actor, request_id: str, timestamp: datetime, day_off: date, reason: str
    ) -> None:
        del self.swaps[day_off.isoformat()]


# The topics of the calendar's events, by which they are found in the log (``Thucthi``).
TOPICS: tuple[str, ...] = (
    WorkCalendar.Opened.TOPIC,
    WorkCalendar.SwapDeclared.TOPIC,
    WorkCalendar.SwapWithdrawn.TOPIC,
)
