"""The tallies' arithmetic (readmodels.tallies): a day's row carried at once to any later day is the
row rolled there a day at a time, and the figures of a row are those of its directives counted
by hand."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from readmodels.tallies import AHEAD, Delta, Fold, Kind

START = date(2026, 1, 1)
KINDS: tuple[Kind, ...] = ("on_time", "late", "done", "open", "awaiting")


@st.composite
def changes(draw: st.DrawFn) -> list[Delta]:
    """Directives of one unit entering on a day and some leaving later, in day order."""
    deltas: list[Delta] = []
    for _ in range(draw(st.integers(0, 25))):
        kind = draw(st.sampled_from(KINDS))
        day = START + timedelta(draw(st.integers(0, 20)))
        deadline = None
        if kind in ("open", "awaiting") and draw(st.booleans()):
            deadline = START + timedelta(draw(st.integers(-5, 80)))
        deltas.append(Delta(day, "SO-XD", 0, kind, deadline, 1))
        if draw(st.booleans()):
            gone = day + timedelta(draw(st.integers(0, 10)))
            deltas.append(Delta(gone, "SO-XD", 0, kind, deadline, -1))
    return sorted(deltas, key=lambda d: d.day)


@given(changes(), st.integers(0, 90))
def test_a_row_carried_at_once_to_a_later_day_is_the_row_rolled_there_day_by_day(
    deltas: list[Delta], gap: int
) -> None:
    fold = Fold(None, {}, {})
    for delta in deltas:
        fold.add(delta)
    if fold.last is None:
        return
    last = fold.last
    day = last + timedelta(gap)
    due = {deadline: counts for (deadline, _, _), counts in fold.deadlines.items()}
    row = fold.rows.get(("SO-XD", 0))
    if row is None:
        return
    carried = row.carried(last, day, {d: c for d, c in due.items() if last <= d})
    fold.roll_to(day)
    assert carried == fold.rows["SO-XD", 0]


@given(changes(), st.integers(0, 30), st.integers(0, AHEAD - 1))
def test_a_rows_figures_are_its_directives_counted_by_hand(
    deltas: list[Delta], offset: int, window: int
) -> None:
    fold = Fold(None, {}, {})
    for delta in deltas:
        fold.add(delta)
    if fold.last is None:
        return
    day = fold.last + timedelta(offset)
    fold.roll_to(day)
    standing: dict[tuple[Kind, date | None], int] = {}
    for d in deltas:
        standing[d.kind, d.deadline] = standing.get((d.kind, d.deadline), 0) + d.count
    opened = [(k, dl, n) for (k, dl), n in standing.items() if k in ("open", "awaiting")]
    expected = {
        "lead_unit": "SO-XD",
        "on_time": standing.get(("on_time", None), 0),
        "late": standing.get(("late", None), 0),
        "in_progress": sum(n for _, dl, n in opened if dl is not None and dl >= day),
        "due_soon": sum(
            n for _, dl, n in opened if dl is not None and day <= dl <= day + timedelta(window)
        ),
        "overdue": sum(n for _, dl, n in opened if dl is not None and dl < day),
        "no_deadline": sum(n for _, dl, n in opened if dl is None),
        "days": sum(n * (day - dl).days for _, dl, n in opened if dl is not None and dl < day),
        "awaiting": sum(n for k, _, n in opened if k == "awaiting"),
        "awaiting_overdue": sum(
            n for k, dl, n in opened if k == "awaiting" and dl is not None and dl < day
        ),
    }
    row = fold.rows.get(("SO-XD", 0))
    figures = None if row is None else row.figures("SO-XD", day, window)
    assert figures == (expected if row is not None else None)
