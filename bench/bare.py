"""A bare Falcon WSGI app answering one fixed JSON document: the ceiling for ``bench.http``.

Served by granian with the same settings as ``thucthi serve`` (WSGI, pre-forked workers, one
blocking thread each), it measures what the server and Falcon cost on their own, so the real
endpoints can be read as a ratio to it. The document is built once, at start-up, to about the
size of the oversight answer: ``BENCH_BARE_BYTES`` (set by ``bench.http`` from the real answer)
or a default of that order.

    python -m granian --interface wsgi --workers 2 --blocking-threads 1 --factory \\
        --port 8001 bench.bare:build
"""

from __future__ import annotations

import os

import falcon
import orjson

BYTES_VARIABLE = "BENCH_BARE_BYTES"
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


def build() -> falcon.App[falcon.Request, falcon.Response]:
    """The WSGI app: one route, its document encoded once, here."""
    size = int(os.environ.get(BYTES_VARIABLE, DEFAULT_BYTES))
    app: falcon.App[falcon.Request, falcon.Response] = falcon.App()
    app.add_route("/fixed", Fixed(document(size)))
    return app
