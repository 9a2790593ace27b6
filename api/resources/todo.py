"""``GET /api/me/todo``: what waits for the signed-in person ("Việc cần làm"), queue by queue,
each with its count and its oldest (or most urgent) items, read from the read models as they now
stand (``readmodels.todo``). The header of every page shows the same count (``count_of``).

Whose steps are in whose queues: a leader's, the directives they issued; the Office's, every
directive; a department officer's, their unit's as lead, and the petitions assigned to them; a
reception's and an agency head's, their agency's petitions (``readmodels.petitions`` queue).
The inspector and the administrator owe no step: their queues are empty.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import falcon

from api.fastpath import AnswerCache, CityDay, Positions
from api.http import json, read_models
from api.resources.petitions_oversight import queue_of
from domain.shared.actors import Actor, Role
from domain.shared.clock import Clock
from readmodels.open import OversightView
from readmodels.petitions import PetitionItem
from readmodels.todo import (
    LEADER_QUERIES,
    OFFICE_QUERIES,
    SHOWN,
    UNIT_QUERIES,
    Asked,
    Kind,
    Queue,
    TodoItem,
    Windows,
)

# The petitions' steps each role of an agency takes (domain.shared.actors.PERMISSIONS): the
# reception classifies, the head decides and signs the result, the officer assigned handles.
_PETITION_STEPS: dict[Role, dict[str, Kind]] = {
    Role.RECEPTION: {"classify": Kind.CLASSIFY},
    Role.AGENCY_HEAD: {"decide": Kind.DECIDE, "handle": Kind.RESOLVE},
    Role.DEPARTMENT: {"handle": Kind.HANDLE},
}


def _petition_item(kind: Kind, item: PetitionItem) -> TodoItem:
    return TodoItem(
        kind=kind,
        subject="petition",
        reference=item.receipt,
        title=item.kind or "",
        unit=item.agency,
        urgency=None,
        deadline=item.due,
        since=item.arrived_on,
    )


def _petition_queues(view: OversightView, actor: Actor, today: date, limit: int) -> list[Queue]:
    steps = _PETITION_STEPS.get(actor.role)
    if not steps or actor.unit is None:
        return []
    _, _, items = queue_of(view, actor, today)
    owed: dict[Kind, list[TodoItem]] = {kind: [] for kind in steps.values()}
    for item in items:
        kind = steps.get(item.step or "")
        if kind is not None and not item.suspended:
            owed[kind].append(_petition_item(kind, item))
    return [Queue(kind, len(found), found[:limit]) for kind, found in owed.items()]


def todo_of(
    view: OversightView, actor: Actor, today: date, windows: Windows, limit: int = SHOWN
) -> list[Queue]:
    """The signed-in person's queues as the read models now stand; ``limit`` 0: counts only."""
    if actor.role is Role.LEADER:
        asked = Asked(today, user=actor.user_id, windows=windows)
        return view.todo.queues(LEADER_QUERIES, asked, limit)
    if actor.role is Role.OFFICE:
        return view.todo.queues(OFFICE_QUERIES, Asked(today, windows=windows), limit)
    queues: list[Queue] = []
    if actor.role is Role.DEPARTMENT and actor.unit is not None:
        asked = Asked(today, unit=actor.unit, windows=windows)
        queues = view.todo.queues(UNIT_QUERIES, asked, limit)
    return queues + _petition_queues(view, actor, today, limit)


def count_of(view: OversightView, actor: Actor, today: date, windows: Windows) -> int:
    """How many steps wait for the signed-in person: the header's count."""
    return sum(q.count for q in todo_of(view, actor, today, windows, limit=0))


# The roles that owe steps, whose header shows the count.
QUEUED = frozenset({Role.LEADER, Role.OFFICE, Role.DEPARTMENT, Role.RECEPTION, Role.AGENCY_HEAD})


def todo_counter(
    view: OversightView | None,
    clock: Clock,
    windows: Windows,
    positions: Positions | None = None,
) -> Callable[[Actor], int | None]:
    """The header's count for a signed-in person; None for a role that owes no step, or where
    there are no read models (memory://).

    With ``positions``, a count is kept with the day and the read models' position it was made
    at, as the oversight answers are: every page a person opens shows it, and it cannot change
    until one of them moves (the last few hundred readers' counts are kept)."""
    day = CityDay(clock)
    kept: AnswerCache[int] = AnswerCache(size=512)

    def count(actor: Actor) -> int | None:
        if view is None or actor.role not in QUEUED:
            return None
        today = day.today()
        if positions is None:
            return count_of(view, actor, today, windows)
        key = (actor.user_id, actor.role, actor.unit, today, positions.of(view))
        return kept.get_or_make(key, lambda: count_of(view, actor, today, windows))

    return count


def item_document(item: TodoItem, today: date) -> dict[str, Any]:
    return {
        "kind": item.kind.value,
        "subject": item.subject,
        "reference": item.reference,
        "title": item.title,
        "unit": item.unit,
        "urgency": item.urgency,
        "deadline": item.deadline,
        "since": item.since,
        "days_waiting": item.waited(today),
        "version": item.version,
        "number": item.number,
    }


class Todo:
    """``/api/me/todo``."""

    def __init__(self, view: OversightView | None, day: CityDay, windows: Windows) -> None:
        self.view, self.day, self.windows = view, day, windows

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Each queue of the signed-in person: its kind, count and first items."""
        view = read_models(self.view)
        today = self.day.today()
        actor: Actor = req.context.actor
        position = view.position()
        queues = todo_of(view, actor, today, self.windows)
        json(
            resp,
            {
                "today": today,
                "position": position,
                "role": actor.role.value,
                "count": sum(q.count for q in queues),
                "windows": {
                    "quiet_days": self.windows.quiet_days,
                    "progress_days": self.windows.progress_days,
                },
                "queues": [
                    {
                        "kind": q.kind.value,
                        "count": q.count,
                        "items": [item_document(i, today) for i in q.items],
                    }
                    for q in queues
                ],
            },
        )
