"""The obviously-correct reference: read-model answers computed by folding raw events in Python.

Nothing here is shared with the projections: events up to a moment (or a position) are folded
into a small dict per directive, and the categories of the brief are applied to it directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from domain.directives.directive import Directive
from domain.shared.clock import city_date, end_of_city_day

# Most urgent first among equals: immediate, very urgent, urgent, normal; then by reference.
RANK = {"normal": 0, "urgent": 1, "very_urgent": 2, "immediate": 3}


@dataclass
class Plain:
    reference: str
    lead: str
    coordinators: list[str]
    issuer: str
    urgency: str
    issued_on: date
    original: date | None
    deadline: date | None
    assigned_at: datetime
    status: str = "issued"
    acknowledged_at: datetime | None = None
    progress_at: datetime | None = None
    percent: int = 0
    completion_on: date | None = None
    withdrawn: bool = False
    granted: int = 0
    open_explanations: int = 0
    contributed: list[str] = field(default_factory=list)

    @property
    def progress(self) -> int:
        """A completion report says the work is done; its return takes that back."""
        return 100 if self.status in ("completion_reported", "completed") else self.percent


def fold(
    events: list[tuple[int, Any]], *, until: datetime | None = None, upto: int | None = None
) -> dict[UUID, Plain]:
    """Directives as they stood after the events recorded by ``until`` / at or before ``upto``."""
    state: dict[UUID, Plain] = {}
    for position, e in events:
        if not isinstance(e, Directive.Event):
            continue
        if until is not None and e.timestamp > until:
            continue
        if upto is not None and position > upto:
            continue
        if isinstance(e, Directive.Issued):
            state[e.originator_id] = Plain(
                e.reference,
                e.lead_unit,
                list(e.coordinating_units),
                e.issuer,
                str(e.urgency),
                e.issued_on,
                e.deadline,
                e.deadline,
                e.timestamp,
            )
            continue
        d = state[e.originator_id]
        if isinstance(e, Directive.Acknowledged):
            d.status, d.acknowledged_at = "in_progress", e.timestamp
        elif isinstance(e, Directive.ProgressReported):
            d.percent, d.progress_at = e.percent, e.timestamp
        elif isinstance(e, Directive.ContributionReported):
            if e.unit not in d.contributed:
                d.contributed.append(e.unit)
        elif isinstance(e, Directive.ExtensionGranted):
            d.deadline, d.granted = e.new_deadline, d.granted + 1
        elif isinstance(e, Directive.CompletionReported):
            d.status, d.completion_on = "completion_reported", city_date(e.timestamp)
        elif isinstance(e, Directive.CompletionAccepted):
            d.status = "completed"
        elif isinstance(e, Directive.CompletionReturned):
            d.status, d.completion_on = "in_progress", None
        elif isinstance(e, Directive.Reassigned):
            d.lead = e.to_unit
            d.coordinators = [u for u in d.coordinators if u != e.to_unit]
            d.status, d.acknowledged_at, d.assigned_at = "issued", None, e.timestamp
        elif isinstance(e, Directive.Withdrawn):
            d.status, d.withdrawn = "withdrawn", True
        elif isinstance(e, Directive.ExplanationRequested):
            d.open_explanations += 1
        elif isinstance(e, Directive.ExplanationGiven):
            d.open_explanations -= 1
    return state


def category(d: Plain, day: date, *, original: bool = False) -> str:
    deadline = d.original if original else d.deadline
    if d.status == "completed":
        assert d.completion_on is not None
        if deadline is None or d.completion_on <= deadline:
            return "completed_on_time"
        return "completed_late"
    if deadline is None:
        return "no_deadline"
    return "overdue" if day > deadline else "in_progress"


def figures(
    state: dict[UUID, Plain], day: date, *, original: bool = False, soon_days: int = 3
) -> dict[str, dict[str, int]]:
    """Per lead unit: the count in each category, due soon, and total days overdue."""
    result: dict[str, dict[str, int]] = {}
    for d in state.values():
        if d.withdrawn:
            continue
        unit = result.setdefault(
            d.lead,
            {
                "completed_on_time": 0,
                "completed_late": 0,
                "in_progress": 0,
                "due_soon": 0,
                "overdue": 0,
                "no_deadline": 0,
                "days_overdue_total": 0,
                "awaiting_acceptance": 0,
                "awaiting_acceptance_overdue": 0,
            },
        )
        c = category(d, day, original=original)
        unit[c] += 1
        deadline = d.original if original else d.deadline
        if c == "overdue":
            assert deadline is not None
            unit["days_overdue_total"] += (day - deadline).days
        if d.status == "completion_reported":
            unit["awaiting_acceptance"] += 1
            unit["awaiting_acceptance_overdue"] += c == "overdue"
        if c == "in_progress" and deadline is not None and deadline <= day + timedelta(soon_days):
            unit["due_soon"] += 1
    return result


def late(state: dict[UUID, Plain], day: date) -> list[tuple[str, int]]:
    items = [
        (d.reference, (day - d.deadline).days, RANK[d.urgency])
        for d in state.values()
        if not d.withdrawn and category(d, day) == "overdue" and d.deadline is not None
    ]
    return [(r, days) for r, days, _ in sorted(items, key=lambda i: (-i[1], -i[2], i[0]))]


def awaiting(state: dict[UUID, Plain], day: date) -> list[tuple[str, date, int, bool]]:
    """Completion reports awaiting a decision: reference, day reported, days waited, overdue;
    the longest waiting first."""
    items = [
        (d.reference, d.completion_on, (day - d.completion_on).days, category(d, day) == "overdue")
        for d in state.values()
        if d.status == "completion_reported" and d.completion_on is not None
    ]
    return sorted(items, key=lambda i: (i[1], i[0]))


def due_soon(state: dict[UUID, Plain], day: date, window: int) -> list[tuple[str, int]]:
    items = [
        (d.reference, (d.deadline - day).days, RANK[d.urgency])
        for d in state.values()
        if not d.withdrawn
        and category(d, day) == "in_progress"
        and d.deadline is not None
        and d.deadline <= day + timedelta(window)
    ]
    return [(r, days) for r, days, _ in sorted(items, key=lambda i: (i[1], -i[2], i[0]))]


def inbox(state: dict[UUID, Plain], unit: str) -> set[tuple[str, str, str]]:
    items = set()
    for d in state.values():
        if d.status in ("completed", "withdrawn"):
            continue
        if d.lead == unit:
            if d.status == "issued":
                owes = "acknowledge"
            elif d.open_explanations:
                owes = "answer_explanation"
            elif d.status == "completion_reported":
                owes = "await_decision"
            else:
                owes = "report_progress"
            items.add((d.reference, "lead", owes))
        elif unit in d.coordinators:
            items.add(
                (
                    d.reference,
                    "coordinator",
                    "await_lead" if unit in d.contributed else "contribute",
                )
            )
    return items


def responsiveness(state: dict[UUID, Plain], day: date) -> dict[str, tuple[int, float, float, int]]:
    """Per lead unit: directives, acknowledgement hours, staleness days, directives in progress."""
    now = end_of_city_day(day)
    result: dict[str, tuple[int, float, float, int]] = {}
    for d in state.values():
        if d.withdrawn:
            continue
        n, hours, stale, stale_n = result.get(d.lead, (0, 0.0, 0.0, 0))
        hours += ((d.acknowledged_at or now) - d.assigned_at).total_seconds() / 3600
        if d.status == "in_progress":
            since = d.progress_at or d.acknowledged_at
            assert since is not None
            stale += (now - since).total_seconds() / 86400
            stale_n += 1
        result[d.lead] = (n + 1, hours, stale, stale_n)
    return result
