"""The obviously-correct reference for the petitions' figures: events replayed into ``Petition``
aggregates, their deadlines asked of the aggregate itself (``Petition.deadline().due``), and the
figures' rules applied in plain Python. Nothing here is shared with the projections.

A petition transferred to another agency of the city leaves a closed stint behind at the agency
that transferred it, noted when the transfer is replayed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from uuid import UUID

from domain.calendar.work_calendar import WorkCalendar
from domain.petitions.petition import Petition, Status
from domain.shared.calendar import WorkingCalendar
from readmodels.petitions import Calendar

OPEN = {Status.RECEIVED, Status.CLASSIFIED, Status.IN_HANDLING}
KINDS = ("complaint", "denunciation", "proposal", "mixed", "unclassified")
CHANNELS = ("in_person", "post", "online", "transferred")


@dataclass
class Stint:
    """A petition's time at one agency, as the reference sees it."""

    agency: str
    first: bool
    kind: str | None
    channel: str
    status: str
    transferred_within: bool
    accepted: bool
    arrived_on: date
    receipt: str
    due: date | None = None
    resolved_on: date | None = None
    handling_due: date | None = None
    suspended: bool = False


@dataclass
class Plain:
    petition: Petition
    closed: list[Stint] = field(default_factory=list)
    handling_due_at_result: date | None = None


def fold(
    events: list[tuple[int, Any]],
    calendar: Callable[[int], Calendar],
    *,
    until: datetime | None = None,
    upto: int | None = None,
) -> dict[UUID, Plain]:
    """The petitions as they stood after the events recorded by ``until`` / at or before
    ``upto``; ``calendar(position)``: the working days in force after that position."""
    state: dict[UUID, Plain] = {}
    for position, e in events:
        if not isinstance(e, Petition.Event):
            continue
        if until is not None and e.timestamp > until:
            continue
        if upto is not None and position > upto:
            continue
        plain = state.get(e.originator_id)
        if isinstance(e, Petition.Transferred) and e.to_agency is not None and plain is not None:
            p = plain.petition
            plain.closed.append(
                Stint(
                    agency=p.agency,
                    first=not p.transferred_from,
                    kind=None if p.kind is None else p.kind.value,
                    channel=p.channel.value,
                    status="transferred",
                    transferred_within=True,
                    accepted=False,
                    arrived_on=p.arrived_on,
                    receipt=p.receipt,
                )
            )
        if isinstance(e, Petition.Resolved) and plain is not None:
            term = plain.petition.handling_term()
            plain.handling_due_at_result = None if term is None else term.due(calendar(position))
        petition = e.mutate(None if plain is None else plain.petition)
        assert isinstance(petition, Petition)
        if plain is None:
            state[e.originator_id] = Plain(petition)
        else:
            plain.petition = petition
    return state


def stints(plain: Plain, calendar: Calendar) -> list[Stint]:
    """Every stint of the petition, the current one last, its deadline counted with
    ``calendar`` (the one in force at the point of view) while it is open."""
    p = plain.petition
    deadline = p.deadline()
    current = Stint(
        agency=p.agency,
        first=not p.transferred_from,
        kind=None if p.kind is None else p.kind.value,
        channel=p.channel.value,
        status=p.status.value,
        transferred_within=False,
        accepted=p.accepted_on is not None,
        arrived_on=p.arrived_on,
        receipt=p.receipt,
        due=None if deadline is None or p.status not in OPEN else deadline.due(calendar),
        resolved_on=p.resolved_on,
        handling_due=plain.handling_due_at_result,
        suspended=p.suspended_since is not None and p.status in OPEN,
    )
    return [*plain.closed, current]


def empty() -> dict[str, Any]:
    return {
        "received": 0,
        "by_kind": dict.fromkeys(KINDS, 0),
        "by_channel": dict.fromkeys(CHANNELS, 0),
        "many_signers": 0,
        "many_signers_open": 0,
        "repeated": 0,
        "second_round": 0,
        "accepted": 0,
        "guided": 0,
        "transferred": 0,
        "transferred_within": 0,
        "not_accepted": 0,
        "archived": 0,
        "withdrawn": 0,
        "awaiting_decision": 0,
        "in_handling": 0,
        "within_deadline": 0,
        "due_soon": 0,
        "overdue": 0,
        "overdue_decision": 0,
        "days_overdue_total": 0,
        "suspended": 0,
        "resolved_on_time": 0,
        "resolved_late": 0,
    }


def _count(
    f: dict[str, Any], s: Stint, p: Petition, day: date, soon: date, *, received: bool
) -> None:
    if received:
        f["received"] += 1
        f["by_kind"][s.kind or "unclassified"] += 1
        f["by_channel"][s.channel] += 1
        f["many_signers"] += p.signers >= 5
        f["repeated"] += p.relation is not None
        f["second_round"] += p.relation is not None and p.relation.value == "second_round"
    open_ = s.status in {"received", "classified", "in_handling"}
    f["many_signers_open"] += open_ and p.signers >= 5
    f["accepted"] += s.accepted
    for name in ("guided", "transferred", "not_accepted", "archived", "withdrawn"):
        f[name] += s.status == name
    f["transferred_within"] += s.transferred_within
    f["awaiting_decision"] += s.status in {"received", "classified"}
    f["in_handling"] += s.status == "in_handling"
    if s.suspended:
        f["suspended"] += 1
    elif open_:
        assert s.due is not None
        if day > s.due:
            f["overdue"] += 1
            f["overdue_decision"] += s.status != "in_handling"
            f["days_overdue_total"] += (day - s.due).days
        else:
            f["within_deadline"] += 1
            f["due_soon"] += s.due <= soon
    if s.status == "resolved":
        assert s.resolved_on is not None
        on_time = s.handling_due is None or s.resolved_on <= s.handling_due
        f["resolved_on_time" if on_time else "resolved_late"] += 1


def figures(
    state: dict[UUID, Plain], day: date, calendar: Calendar, soon_days: int = 3
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The city's figures and each agency's, as of ``day``."""
    soon = calendar.add_working_days(day, soon_days)
    city = empty()
    agencies: dict[str, dict[str, Any]] = {}
    for plain in state.values():
        for s in stints(plain, calendar):
            _count(
                agencies.setdefault(s.agency, empty()), s, plain.petition, day, soon, received=True
            )
            _count(city, s, plain.petition, day, soon, received=s.first)
    return city, agencies


def oldest_open(state: dict[UUID, Plain], calendar: Calendar, limit: int) -> list[tuple[str, str]]:
    """The open cases longest waiting first: (receipt, agency)."""
    found = [
        (s.arrived_on, s.receipt, s.agency)
        for plain in state.values()
        for s in stints(plain, calendar)
        if s.status in {"received", "classified", "in_handling"}
    ]
    return [(r, a) for _, r, a in sorted(found)[:limit]]


def working_days(
    events: list[tuple[int, Any]], *, until: datetime | None = None, upto: int | None = None
) -> WorkingCalendar:
    """The working days as the calendar's own events say they stood after the events recorded
    by ``until`` / at or before ``upto``."""
    calendar = None
    for position, e in events:
        if not isinstance(e, WorkCalendar.Event):
            continue
        if (until is not None and e.timestamp > until) or (upto is not None and position > upto):
            continue
        calendar = e.mutate(calendar)
    return WorkingCalendar() if calendar is None else calendar.calendar()
