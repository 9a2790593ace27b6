"""``thucthi serve``: granian serving the Falcon app with pre-forked workers.

granian's WSGI server measured fastest among the robust candidates on these machines (see
MEASURED.md: ~65k req/s for a fixed JSON document on 2 workers against ~11k for gunicorn and
~36k for uvicorn; bjoern was faster but is unmaintained; our own runs gave 48-56k). On SQLite
one blocking thread per worker avoids the thread contention that costs 4x there; on PostgreSQL
several let a worker's requests wait on the database together (``thucthi serve --threads``).
Each worker builds its own application (``api.wsgi:build``); the projections follow in a
separate ``thucthi projections run`` process started by the command line.
"""

from __future__ import annotations

import os
from typing import TextIO

from granian import Granian
from granian.constants import Interfaces

from api.config import DATABASE_URL_VARIABLE, Database

THREADS_VARIABLE = "THUCTHI_SERVE_THREADS"  # how many threads each worker has, for the worker


def serve(
    database: Database, *, host: str, port: int, workers: int, threads: int = 1, out: TextIO
) -> None:
    """Serve until SIGTERM or Ctrl-C; returns when the workers have stopped."""
    os.environ[DATABASE_URL_VARIABLE] = database.url  # what each worker opens
    os.environ[THREADS_VARIABLE] = str(threads)
    if database.backend == "memory":
        workers = 1  # every worker would have a store of its own
    server = Granian(
        "api.wsgi:build",
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        factory=True,
        log_enabled=False,
        respawn_failed_workers=True,
        # A worker still starting when SIGTERM comes can miss it; do not wait for it for ever.
        workers_kill_timeout=5,
    )
    out.write(f"serving on http://{host}:{port} with {workers} worker(s) of {threads} thread(s)\n")
    out.flush()
    server.serve()
    out.write("stopped\n")
