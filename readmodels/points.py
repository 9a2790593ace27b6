"""How a settled point of view (``readmodels.queries.Point``) selects the versions of a temporal
table of the read models, on each backend: the board's and the petitions' alike, each with its
``position``, ``recorded_at``, ``valid_to_position`` and ``valid_to_time``."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from psycopg import sql

from domain.shared.clock import end_of_city_day
from readmodels.queries import Point


@lru_cache(maxsize=65_536)  # a row's moments repeat in every later version of it
def ts(moment: datetime) -> str:
    """Fixed-width UTC text (``2024-03-04T02:00:00.000000+00:00``): text order is time order."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def sqlite_clause(point: Point | None, *, bounded: bool = False) -> tuple[str, dict[str, Any]]:
    """The versions true at ``point`` (None: the current ones), with named SQLite parameters;
    ``bounded``: the table's versions are those ``{prefix}_days`` bounds (the board's), so a
    point at the current versions selects them as such (``readmodels.queries.Point``)."""
    if point is None or (bounded and point.selection == "current"):
        return "valid_to_position IS NULL", {}
    if point.selection in ("position", "current"):
        clause = (
            "position <= :position AND (valid_to_position IS NULL OR valid_to_position > :position)"
        )
    elif point.selection == "moment":
        clause = "recorded_at <= :t AND (valid_to_time IS NULL OR valid_to_time > :t)"
    else:
        clause = (
            "position <= :position AND recorded_at <= :t AND (valid_to_position IS NULL "
            "OR valid_to_position > :position OR valid_to_time > :t)"
        )
    return clause, {"position": point.position, "t": ts(end_of_city_day(point.day))}


def postgres_clause(
    point: Point | None, *, bounded: bool = False
) -> tuple[sql.Composable, dict[str, Any]]:
    """The versions true at ``point`` (None: the current ones), with named psycopg parameters;
    ``bounded`` as for ``sqlite_clause``."""
    if point is None or (bounded and point.selection == "current"):
        return sql.SQL("valid_to_position IS NULL"), {}
    if point.selection in ("position", "current"):
        clause = sql.SQL(
            "position <= %(position)s "
            "AND (valid_to_position IS NULL OR valid_to_position > %(position)s)"
        )
    elif point.selection == "moment":
        clause = sql.SQL(
            "recorded_at <= %(t)s AND (valid_to_time IS NULL OR valid_to_time > %(t)s)"
        )
    else:
        clause = sql.SQL(
            "position <= %(position)s AND recorded_at <= %(t)s AND (valid_to_position IS NULL "
            "OR valid_to_position > %(position)s OR valid_to_time > %(t)s)"
        )
    return clause, {"position": point.position, "t": end_of_city_day(point.day)}
