"""Moments as the audit trail and the oversight tables store them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st

from readmodels.audit import utc_text
from readmodels.points import ts


@given(
    st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1)),
    st.integers(min_value=-12, max_value=14),
)
def test_the_trail_writes_a_moment_as_the_oversight_tables_do(moment: datetime, hours: int) -> None:
    aware = moment.replace(tzinfo=UTC).astimezone(timezone(timedelta(hours=hours)))
    assert utc_text(aware) == ts(aware)


def test_the_trails_moments_leave_the_boards_cache_of_moments_alone() -> None:
    """Every entry's moment is its own: cached, they filled a follower's memory by 20 MB."""
    before = ts.cache_info().currsize
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for n in range(1_000):
        utc_text(start + timedelta(microseconds=n))
    assert ts.cache_info().currsize == before
