"""Bare Falcon WSGI endpoints: the baselines the real server is measured against.

Served by granian with the same settings as ``thucthi serve`` (WSGI, pre-forked workers, one
blocking thread each), they measure what the server, Falcon and one psycopg round trip cost on
their own, so the real endpoints can be read as a ratio to them:

- ``GET /fixed``: one fixed JSON document, built once at start-up to about the size of the
  oversight answer: ``BENCH_BARE_BYTES`` (set by the harness from the real answer) or a default;
- ``POST /rows``: a naive CRUD write, the request body INSERTed as one row with psycopg
  (autocommit, one pooled connection per worker, opened after the fork) into the table named by
  ``BENCH_BARE_TABLE`` in ``BENCH_BARE_POSTGRES``; only when that is set.

    python -m granian --interface wsgi --workers 2 --blocking-threads 1 --factory \\
        --port 8001 bench.bare:build
"""

from __future__ import annotations

import os
import threading

import falcon
import orjson
import psycopg
from psycopg import sql

BYTES_VARIABLE = "BENCH_BARE_BYTES"
POSTGRES_VARIABLE = "BENCH_BARE_POSTGRES"
TABLE_VARIABLE = "BENCH_BARE_TABLE"
DEFAULT_BYTES = 1_500


def document(size: int) -> bytes:
    """A JSON document shaped like a summary (counts per unit), of at least ``size`` bytes."""
    units: list[dict[str, object]] = []
    body: dict[str, object] = {
        "as_of": "2026-11-26",
        "position": 123_456,
        "basis": "in_force",
        "totals": {"issued": 2000, "done": 1500, "in_progress": 400, "late": 100},
        "units": units,
    }
    encoded = orjson.dumps(body)
    while len(encoded) < size:
        n = len(units)
        units.append(
            {
                "unit": f"UNIT-{n:03d}",
                "issued": 100 + n,
                "done": 70 + n,
                "in_progress": 20,
                "late": n % 7,
                "on_time_rate": 0.875,
            }
        )
        encoded = orjson.dumps(body)
    return encoded


class Fixed:
    """``GET /fixed``: the same bytes every time."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = falcon.MEDIA_JSON
        resp.data = self.data


class Rows:
    """``POST /rows``: the body stored as one row, one INSERT in its own transaction."""

    def __init__(self, conninfo: str, table: str) -> None:
        self.conninfo = conninfo
        self.insert = sql.SQL("INSERT INTO {} (body) VALUES (%s) RETURNING id").format(
            sql.Identifier(*table.split("."))
        )
        self._connection: psycopg.Connection[tuple[int]] | None = None
        self._lock = threading.Lock()

    def connection(self) -> psycopg.Connection[tuple[int]]:
        if self._connection is None or self._connection.closed:
            self._connection = psycopg.connect(self.conninfo, autocommit=True)
        return self._connection

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body = req.bounded_stream.read()
        with self._lock:
            row = self.connection().execute(self.insert, (body.decode(),)).fetchone()
        resp.status = falcon.HTTP_201
        resp.content_type = falcon.MEDIA_JSON
        resp.data = orjson.dumps({"id": row[0] if row else None})


def build() -> falcon.App[falcon.Request, falcon.Response]:
    """The WSGI app, its document encoded once, here; the write route if a database is named."""
    size = int(os.environ.get(BYTES_VARIABLE, DEFAULT_BYTES))
    app: falcon.App[falcon.Request, falcon.Response] = falcon.App()
    app.add_route("/fixed", Fixed(document(size)))
    conninfo = os.environ.get(POSTGRES_VARIABLE)
    if conninfo:
        app.add_route("/rows", Rows(conninfo, os.environ.get(TABLE_VARIABLE, "bench_rows")))
    return app
