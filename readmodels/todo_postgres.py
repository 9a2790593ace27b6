"""The queues of ``readmodels.todo`` on PostgreSQL: the shared SQL composed with ``psycopg.sql``,
the tables as quoted identifiers and the parameters as psycopg's."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

from readmodels.todo import ITEM, SHOWN, Asked, Query, Queue, item_of, unit_queues

_PARAMETER = re.compile(r":([a-z_]+)")


class PostgresTodo:
    """Part of ``PostgresOversightView``: reads its board and memberships."""

    def __init__(
        self, datastore: PostgresDatastore, table: Callable[[str], sql.Composable]
    ) -> None:
        self.datastore, self.table = datastore, table

    def _sql(self, template: str) -> sql.Composed:
        return sql.SQL(_PARAMETER.sub(r"%(\1)s", template)).format(
            board=self.table("board"), members=self.table("directive_units"), item=sql.SQL(ITEM)
        )

    def queues(self, queries: tuple[Query, ...], asked: Asked, limit: int = SHOWN) -> list[Queue]:
        params: dict[str, Any] = {**asked.params(), "limit": limit}
        found: list[Queue] = []
        with self.datastore.transaction(commit=False) as c:
            # Each queue reads a few thousand index entries at most, which a board without
            # fresh statistics is costed high enough to JIT-compile: the compiling took longer.
            c.execute("SET LOCAL jit = off")
            for query in queries:
                c.execute(self._sql(query.count), params)
                counted = [list(r.values()) for r in c.fetchall()]
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
