"""The geometry of the two charts, drawn as inline SVG by the templates (no script, no CDN).

A chart is always accompanied by its numbers in text, so a screen reader, a printout and a
projector all carry the same figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from domain.shared.clock import CITY_TIMEZONE
from domain.shared.ordering import natural_key

BARS_WIDTH = 1000  # the bars' own scale; the page stretches it to the space there is


@dataclass(frozen=True, slots=True)
class Segment:
    kind: str  # completed_on_time, completed_late, overdue
    x: float
    width: float
    value: int


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    code: str
    segments: tuple[Segment, ...]
    total: int


@dataclass(frozen=True, slots=True)
class UnitChart:
    bars: tuple[Bar, ...]
    bars_width: int


def unit_chart(rows: list[tuple[str, str, int, int, int]]) -> UnitChart:
    """One stacked bar per unit from (code, label, on time, late, overdue), longest first, all
    on one scale; the labels are the page's own text, so they stay readable on any screen."""
    rows = [r for r in rows if r[2] + r[3] + r[4] > 0]
    rows.sort(key=lambda r: (-(r[2] + r[3] + r[4]), natural_key(r[1])))
    longest = max((r[2] + r[3] + r[4] for r in rows), default=1)
    bars = []
    for code, label, on_time, late, overdue in rows:
        x = 0.0
        segments = []
        for kind, value in (
            ("completed_on_time", on_time),
            ("completed_late", late),
            ("overdue", overdue),
        ):
            width = BARS_WIDTH * value / longest
            if value:
                segments.append(Segment(kind, round(x, 1), round(width, 1), value))
            x += width
        bars.append(Bar(label, code, tuple(segments), on_time + late + overdue))
    return UnitChart(tuple(bars), BARS_WIDTH)


PLOT_LEFT = 72
PLOT_TOP = 12
PLOT_WIDTH = 1000
PLOT_HEIGHT = 240


@dataclass(frozen=True, slots=True)
class Marker:
    x: float
    day: date
    kind: str  # deadline, original_deadline


@dataclass(frozen=True, slots=True)
class ProgressChart:
    path: str  # the SVG path of the step line
    points: tuple[tuple[float, float, int, datetime], ...]  # x, y, percent, when
    markers: tuple[Marker, ...]
    start_day: date  # the city days the time axis begins and ends on
    end_day: date
    width: int
    height: int
    left: int
    top: int
    plot_width: int
    plot_height: int


def _end_of(day: date) -> datetime:
    # A deadline on the calendar's last day (9999-12-31, stored by a careless client) has no
    # next midnight: its end is the last moment there is.
    if day == date.max:
        return datetime.max.replace(tzinfo=CITY_TIMEZONE)
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=CITY_TIMEZONE)


def progress_chart(
    start: datetime,
    end: datetime,
    reports: list[tuple[datetime, int]],
    deadlines: list[tuple[date, str]],
) -> ProgressChart:
    """A step line of percent done from ``start`` (0 %) to ``end``, with deadline markers.

    The time axis stretches to include every deadline, so a deadline after the last report is
    still drawn where it falls.
    """
    last = max([end, *(_end_of(day) for day, _ in deadlines)])
    span = max((last - start).total_seconds(), 1.0)

    def x_of(moment: datetime) -> float:
        seconds = min(max((moment - start).total_seconds(), 0.0), span)
        return round(PLOT_LEFT + PLOT_WIDTH * seconds / span, 1)

    def y_of(percent: int) -> float:
        return round(PLOT_TOP + PLOT_HEIGHT * (100 - percent) / 100, 1)

    steps = [f"M{x_of(start)},{y_of(0)}"]
    points = []
    for moment, percent in sorted(reports):
        x = x_of(moment)
        steps.append(f"H{x}")
        steps.append(f"V{y_of(percent)}")
        points.append((x, y_of(percent), percent, moment))
    steps.append(f"H{x_of(end)}")
    markers = tuple(Marker(x_of(_end_of(day)), day, kind) for day, kind in deadlines)
    return ProgressChart(
        path=" ".join(steps),
        points=tuple(points),
        markers=markers,
        start_day=start.astimezone(CITY_TIMEZONE).date(),
        # The axis ends at the close of its last day: label that day, not the next midnight.
        end_day=(last - timedelta(seconds=1)).astimezone(CITY_TIMEZONE).date(),
        width=PLOT_LEFT + PLOT_WIDTH + 16,
        height=PLOT_TOP + PLOT_HEIGHT + 40,
        left=PLOT_LEFT,
        top=PLOT_TOP,
        plot_width=PLOT_WIDTH,
        plot_height=PLOT_HEIGHT,
    )
