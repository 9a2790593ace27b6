"""The queues of ``readmodels.todo`` on SQLite: the shared SQL with the view's table names, days
as ISO text and moments as the board's fixed-width UTC text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from eventsourcing.sqlite import SQLiteDatastore

from readmodels.points import ts
from readmodels.todo import ITEM, SHOWN, Asked, Query, Queue, item_of, unit_queues


def _stored(value: object) -> object:
    if isinstance(value, datetime):
        return ts(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


class SQLiteTodo:
    """Part of ``SQLiteOversightView``: reads its board and memberships."""

    def __init__(self, datastore: SQLiteDatastore, table: Callable[[str], str]) -> None:
        self.datastore, self.table = datastore, table

    def _sql(self, template: str) -> str:
        return template.format(
            board=self.table("board"), members=self.table("directive_units"), item=ITEM
        )

    def queues(self, queries: tuple[Query, ...], asked: Asked, limit: int = SHOWN) -> list[Queue]:
        params: dict[str, Any] = {k: _stored(v) for k, v in asked.params().items()}
        params["limit"] = limit
        found: list[Queue] = []
        with self.datastore.transaction(commit=False) as c:
            for query in queries:
                c.execute(self._sql(query.count), params)
                counted = c.fetchall()
                rows: list[dict[str, Any]] = []
                if limit:
                    c.execute(self._sql(query.items), params)
                    rows = [dict(r) for r in c.fetchall()]
                if query.kind is None:
                    counts = {r[0]: r[1] for r in counted}
                    found.extend(unit_queues(counts, [item_of(None, r) for r in rows]))
                else:
                    kind = query.kind
                    found.append(Queue(kind, counted[0][0], [item_of(kind, r) for r in rows]))
        return found
