"""Time for the domain: an injected clock, and the city's calendar day of a moment.

Deadlines are calendar dates in Ho Chi Minh City; every recorded moment is UTC. Vietnam has kept
UTC+7 without daylight saving since 1975, so a fixed offset is exact and needs no tz database.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Protocol

CITY_TIMEZONE = timezone(timedelta(hours=7), "ICT")


class Clock(Protocol):
    """Tells the current moment, timezone-aware."""

    def now(self) -> datetime: ...


class SystemClock:
    """The real time, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class SimulatedClock:
    """A clock the demo and the tests move by hand; it never runs by itself."""

    def __init__(self, start: datetime) -> None:
        self._now = _require_aware(start)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = _require_aware(moment)

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._now = self._now + delta
            return self._now


def city_date(moment: datetime) -> date:
    """The calendar day in the city at the given moment."""
    return _require_aware(moment).astimezone(CITY_TIMEZONE).date()


def end_of_city_day(day: date) -> datetime:
    """The last microsecond of a calendar day in the city, as a UTC moment."""
    local_midnight = datetime(day.year, day.month, day.day, tzinfo=CITY_TIMEZONE)
    return (local_midnight + timedelta(days=1, microseconds=-1)).astimezone(UTC)


def parse_moment(text: str) -> datetime:
    """An ISO 8601 moment; without an offset it is city time, a bare date means the end of that
    city day. Raises ValueError for anything else."""
    text = text.strip()
    if len(text) == 10:
        return end_of_city_day(date.fromisoformat(text))
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=CITY_TIMEZONE)


def _require_aware(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        msg = f"a moment needs a timezone: {moment.isoformat()}"
        raise ValueError(msg)
    return moment.astimezone(UTC)
