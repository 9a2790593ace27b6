"""What waits for whom ("Việc cần làm"): the queues of directives each role owes a step on, read
in SQL from the board's current rows and, where a queue needs a moment the current row does not
hold, from the row's earlier versions of the same directive (never the whole board).

- a leader: the completion reports awaiting their acceptance and the extension requests awaiting
  their decision on the directives they issued, oldest first;
- the Office: the overdue directives no reminder was sent on for ``quiet_days`` days, and the
  explanation requests answered in those days (to read and bring to the leader);
- a department officer: what their unit, as lead, has to acknowledge, to answer (explanations
  requested) and to report progress on (no report for ``progress_days`` days).

The petitions' steps (classify, decide, handle, resolve) come from the petitions' own queue per
agency (``readmodels.petitions.PetitionReadModel.queue``). Each queue is counted in SQL apart
from its items, so that the header's count never reads more than a count.

The SQL is written once, with ``:name`` parameters and ``{board}``/``{members}`` for the tables;
each backend (``todo_sqlite``, ``todo_postgres``) fills them in its own way. The board's versions
line up one to one with the directive's (``projections.board``), so a version's predecessor is
``version - 1``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any, Literal, Protocol

from domain.shared.clock import city_date, end_of_city_day
from readmodels.queries import NOT_CLOSED

DEFAULT_QUIET_DAYS = 7  # the Office: overdue, and no reminder for this many days
DEFAULT_PROGRESS_DAYS = 14  # a lead unit: no progress report for this many days
SHOWN = 100  # items of one queue in one answer; the count is always the whole queue's


class Kind(StrEnum):
    """The step owed, which names its queue."""

    DECIDE_COMPLETION = "decide_completion"  # leader: accept or return a completion report
    DECIDE_EXTENSION = "decide_extension"  # leader: grant or deny an extension
    REMIND = "remind"  # office: overdue, no reminder for N days
    READ_EXPLANATION = "read_explanation"  # office: an explanation answered in the last N days
    ACKNOWLEDGE = "acknowledge"  # department: acknowledge receipt
    ANSWER_EXPLANATION = "answer_explanation"  # department: answer an explanation request
    REPORT_PROGRESS = "report_progress"  # department: no progress report for N days
    CLASSIFY = "classify"  # petitions: reception (or head) classifies a received petition
    DECIDE = "decide"  # petitions: the head accepts, guides, transfers or does not accept
    HANDLE = "handle"  # petitions: the officer assigned handles (verifies, dialogues)
    RESOLVE = "resolve"  # petitions: the head signs the result of a case in handling


@dataclass(frozen=True, slots=True)
class TodoItem:
    """One step owed. For a directive: its reference, title, lead unit, urgency, deadline in
    force, current version (the form's guard) and, for an extension, the request's number. For
    a petition: its receipt code, agency, kind and the last day of its term (no personal data)."""

    kind: Kind
    subject: Literal["directive", "petition"]
    reference: str
    title: str
    unit: str
    urgency: str | None
    deadline: date | None
    since: date | None  # the day it has waited since: reported, requested, due, assigned
    version: int | None = None
    number: int | None = None

    def waited(self, today: date) -> int | None:
        """Days waited by ``today``."""
        return None if self.since is None else max((today - self.since).days, 0)


@dataclass(frozen=True, slots=True)
class Queue:
    kind: Kind
    count: int  # the whole queue
    items: list[TodoItem] = field(default_factory=list)  # its first ``SHOWN`` at most


@dataclass(frozen=True, slots=True)
class Windows:
    """The days the queues look back (settings ``THUCTHI_TODO_QUIET_DAYS`` and
    ``THUCTHI_TODO_PROGRESS_DAYS``)."""

    quiet_days: int = DEFAULT_QUIET_DAYS
    progress_days: int = DEFAULT_PROGRESS_DAYS


@dataclass(frozen=True, slots=True)
class Asked:
    """Whose queues, as of which day, with which windows."""

    day: date
    user: str | None = None  # a leader's user name (issuer)
    unit: str | None = None  # a department officer's unit
    windows: Windows = field(default_factory=Windows)

    def params(self) -> dict[str, Any]:
        """The named parameters of every query, as moments and days (each backend stores them
        in its own way): a step counts as taken within N days when it was recorded after the
        end of the day N days before."""
        quiet, progress = self.windows.quiet_days, self.windows.progress_days
        return {
            "user": self.user,
            "unit": self.unit,
            "day": self.day,
            "quiet_since": end_of_city_day(self.day - timedelta(days=quiet)),
            "stale_before": end_of_city_day(self.day - timedelta(days=progress)),
        }


ITEM = (
    "b.reference AS reference, b.title AS title, b.lead_unit AS unit, b.urgency AS urgency, "
    "b.deadline AS deadline, b.version AS version"
)
_CURRENT = "b.valid_to_position IS NULL"


@dataclass(frozen=True, slots=True)
class Query:
    """A queue's SQL: its count, and its items (``{item}``: the columns of ``ITEM``, then
    ``since`` and ``number``, and ``kind`` where the query has none), with ``:name``
    parameters."""

    kind: Kind | None  # None: each row names its kind (the department's one queue of three)
    count: str
    items: str


def _counted(source: str) -> str:
    return f"SELECT count(*) FROM {source}"


_COMPLETIONS = (
    f"{{board}} b WHERE {_CURRENT} AND b.status = 'completion_reported' AND b.issuer = :user"
)
_EXTENSIONS = f"{{board}} b WHERE {_CURRENT} AND b.extension_pending AND b.issuer = :user"
# Overdue and open, and as many reminders now as the version standing at the window's start
# had: none sent within the window. A report awaiting a decision cannot be reminded about. (Open
# said twice: the second as the open versions' index says it, so that both backends read it.)
_UNREMINDED = (
    f"{{board}} b WHERE {_CURRENT} AND b.status IN ('issued', 'in_progress') "
    f"AND b.{NOT_CLOSED} "
    "AND b.deadline < :day AND b.reminders = COALESCE((SELECT r.reminders FROM {board} r "
    "WHERE r.directive_id = b.directive_id AND r.recorded_at <= :quiet_since "
    "ORDER BY r.version DESC LIMIT 1), 0)"
)
# A version with fewer open explanations than the one before: an answer, at its moment. Found
# from the version before it, which had one open and was closed by it within the window (its
# ``valid_to_time`` is the answer's moment): what the index of versions with explanations open
# holds, rather than every version of the window.
_ANSWERED = (
    "{board} p JOIN {board} a ON a.directive_id = p.directive_id AND a.version = p.version + 1 "
    f"JOIN {{board}} b ON b.directive_id = a.directive_id AND {_CURRENT} "
    "WHERE p.open_explanations > 0 AND p.valid_to_time > :quiet_since "
    "AND a.recorded_at > :quiet_since AND a.open_explanations < p.open_explanations"
)
_OWED = (
    "{members} m JOIN {board} b ON b.directive_id = m.directive_id AND "
    f"{_CURRENT} WHERE m.unit = :unit AND m.role = 'lead' AND (b.status = 'issued' "
    "OR (b.open_explanations > 0 AND b.status IN ('in_progress', 'completion_reported')) "
    "OR (b.status = 'in_progress' AND COALESCE(b.progress_at, b.acknowledged_at) <= :stale_before))"
)
# The moment the open explanation request was made: the last version that added one.
_ASKED_AT = (
    "(SELECT max(r.recorded_at) FROM {board} r JOIN {board} q ON q.directive_id = r.directive_id "
    "AND q.version = r.version - 1 WHERE r.directive_id = b.directive_id "
    "AND r.open_explanations > q.open_explanations)"
)

LEADER_QUERIES = (
    Query(
        Kind.DECIDE_COMPLETION,
        _counted(_COMPLETIONS),
        f"SELECT {{item}}, b.completion_reported_at AS since, NULL AS number FROM {_COMPLETIONS} "
        "ORDER BY b.completion_reported_at, b.reference LIMIT :limit",
    ),
    Query(
        Kind.DECIDE_EXTENSION,
        _counted(_EXTENSIONS),
        # The pending request's number is the count of requests made (each starts with the flag
        # raised on a version whose predecessor had none: one request pends at a time) and its
        # moment the last such start, from the versions of these directives alone.
        "SELECT {item}, s.since AS since, s.number AS number FROM {board} b JOIN ("
        "SELECT directive_id, count(*) AS number, max(recorded_at) AS since FROM ("
        "SELECT h.directive_id AS directive_id, h.recorded_at AS recorded_at, "
        "h.extension_pending AS pending, LAG(h.extension_pending) OVER "
        "(PARTITION BY h.directive_id ORDER BY h.version) AS before FROM {board} h "
        f"WHERE h.directive_id IN (SELECT b.directive_id FROM {_EXTENSIONS})) t "
        "WHERE pending AND (before IS NULL OR NOT before) GROUP BY directive_id) s "
        f"ON s.directive_id = b.directive_id WHERE {_CURRENT} ORDER BY s.since, b.reference "
        "LIMIT :limit",
    ),
)
OFFICE_QUERIES = (
    Query(
        Kind.REMIND,
        _counted(_UNREMINDED),
        f"SELECT {{item}}, b.deadline AS since, NULL AS number FROM {_UNREMINDED} "
        "ORDER BY b.deadline, b.reference LIMIT :limit",
    ),
    Query(
        Kind.READ_EXPLANATION,
        _counted(_ANSWERED),
        f"SELECT {{item}}, a.recorded_at AS since, NULL AS number FROM {_ANSWERED} "
        "ORDER BY a.recorded_at, b.reference LIMIT :limit",
    ),
)
UNIT_QUERIES = (
    Query(
        None,
        "SELECT CASE WHEN b.status = 'issued' THEN 'acknowledge' "
        "WHEN b.open_explanations > 0 THEN 'answer_explanation' ELSE 'report_progress' END "
        f"AS kind, count(*) FROM {_OWED} GROUP BY 1",
        "SELECT kind, reference, title, unit, urgency, deadline, version, since, number FROM ("
        "SELECT CASE WHEN b.status = 'issued' THEN 'acknowledge' "
        "WHEN b.open_explanations > 0 THEN 'answer_explanation' ELSE 'report_progress' END "
        "AS kind, {item}, CASE WHEN b.status = 'issued' THEN b.assigned_at "
        f"WHEN b.open_explanations > 0 THEN {_ASKED_AT} "
        "ELSE COALESCE(b.progress_at, b.acknowledged_at) END AS since, NULL AS number "
        f"FROM {_OWED}) o ORDER BY since, reference LIMIT :limit",
    ),
)
UNIT_KINDS = (Kind.ACKNOWLEDGE, Kind.ANSWER_EXPLANATION, Kind.REPORT_PROGRESS)


def day_of(value: date | datetime | str | None) -> date | None:
    """A ``since`` as a city day, from either backend: a moment, a day, or their stored text."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    if isinstance(value, datetime):
        return city_date(value)
    return value


def item_of(kind: Kind | None, row: dict[str, Any]) -> TodoItem:
    """A row of a query's items; ``kind`` None: the row names it."""
    deadline = row["deadline"]
    return TodoItem(
        kind=Kind(row["kind"]) if kind is None else kind,
        subject="directive",
        reference=row["reference"],
        title=row["title"],
        unit=row["unit"],
        urgency=row["urgency"],
        deadline=date.fromisoformat(deadline) if isinstance(deadline, str) else deadline,
        since=day_of(row["since"]),
        version=row["version"],
        number=None if row["number"] is None else int(row["number"]),
    )


class TodoReadModel(Protocol):
    """The directives' queues, on each backend; ``limit`` 0 counts without reading items."""

    def queues(self, queries: tuple[Query, ...], asked: Asked, limit: int = SHOWN) -> list[Queue]:
        """Each query's queue (the department's one query gives its three), as the read models
        now stand."""
        ...


def unit_queues(counts: dict[str, int], items: list[TodoItem]) -> list[Queue]:
    """The department's three queues from the one query's counts and items."""
    return [
        Queue(kind, counts.get(kind.value, 0), [i for i in items if i.kind is kind])
        for kind in UNIT_KINDS
    ]
