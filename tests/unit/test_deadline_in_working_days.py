"""A directive's deadline given as a number of working days: the N-th working day after the
issue day by the calendar in force; a date and a number together, or fewer than one day, are
refused with cases of their own."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from domain.directives.directive import Directive
from domain.directives.errors import InvalidDirectiveError
from domain.shared.calendar import Swap, WorkingCalendar
from domain.shared.errors import NotPermittedError
from tests.builders import LEAD, LEADER, OFFICE, officer

AT = datetime(2026, 2, 11, 2, 0, tzinfo=UTC)  # Wednesday 11/2/2026, 09:00 in the city


def issue(calendar: WorkingCalendar | None = None, **changes: Any) -> Directive:
    fields: dict[str, Any] = {
        "reference": "15/UBND-VX",
        "title": "Kiểm tra công tác tiếp công dân",
        "content": "",
        "issuer": None,
        "lead_unit": LEAD,
        "actor": LEADER,
        "request_id": "r",
        "at": AT,
        "calendar": calendar if calendar is not None else WorkingCalendar(),
    }
    fields.update(changes)
    return Directive.issue(**fields)


def test_ten_working_days_from_an_issue_before_tet_end_after_it() -> None:
    """Issued Wed 11/2/2026: Thu 12 (1), Fri 13 (2), [Sat 14 - Sun 22 off: Tết Bính Ngọ],
    Mon 23 (3) ... Fri 27 (7), Mon 2/3 (8), Tue 3/3 (9), Wed 4/3/2026 (10)."""
    directive = issue(deadline_in_working_days=10)
    assert directive.deadline == directive.original_deadline == date(2026, 3, 4)


def test_the_days_are_counted_from_the_issue_day_given() -> None:
    """Issued on Wed 31/12/2025 (recorded later), 6 working days by a calendar with the New Year
    swap: [Thu 1/1, Fri 2/1 off], Mon 5 (1) ... Fri 9 (5), Sat 10/1/2026 (6), the make-up day."""
    swapped = WorkingCalendar.from_swaps([Swap(date(2026, 1, 2), date(2026, 1, 10), "12729")])
    directive = issue(swapped, issued_on=date(2025, 12, 31), deadline_in_working_days=6)
    assert directive.deadline == date(2026, 1, 10)


@pytest.mark.parametrize(
    ("case", "changes"),
    [
        (
            "deadline_and_working_days",
            {"deadline": date(2026, 3, 1), "deadline_in_working_days": 5},
        ),
        ("working_days_not_positive", {"deadline_in_working_days": 0}),
        ("working_days_not_positive", {"deadline_in_working_days": -3}),
    ],
)
def test_a_deadline_given_twice_or_of_no_day_is_refused(case: str, changes: dict[str, Any]) -> None:
    """Each with its own case, so the form can say which."""
    with pytest.raises(InvalidDirectiveError) as refused:
        issue(**changes)
    assert refused.value.case == case


def test_who_may_issue_is_checked_before_the_deadline() -> None:
    """The rules in their fixed order: the role first."""
    with pytest.raises(NotPermittedError):
        issue(actor=officer(), deadline=date(2026, 3, 1), deadline_in_working_days=5)


def test_the_office_gets_the_same_deadline() -> None:
    """Issued on behalf of a leader: the next working day, Thursday 12/2/2026."""
    directive = issue(actor=OFFICE, issuer="leader.chutich", deadline_in_working_days=1)
    assert directive.deadline == date(2026, 2, 12)
