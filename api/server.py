"""``thucthi serve``: granian serving the Falcon app with pre-forked workers.

granian's WSGI server was the fastest of the maintained candidates on these machines
(docs/performance.md). On SQLite one blocking thread per worker avoids the contention of
threads over one file; on PostgreSQL several let a worker's requests wait on the database
together (``thucthi serve --threads``).
Each worker builds its own application (``api.wsgi:build``); the projections follow in a
separate ``thucthi projections run`` process, which ``Supervisor`` starts again whenever it exits.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Mapping, Sequence
from typing import TextIO

from granian import Granian
from granian.constants import Interfaces

from adapters.database import Database
from bootstrap import DATABASE_URL_VARIABLE, THREADS_VARIABLE
from projections.runner import Backoff

RESTART_FIRST = 0.5  # seconds before starting an exited follower again, doubling ...
RESTART_MOST = 30.0  # ... up to this
STABLE_SECONDS = 60.0  # a follower that ran this long starts again after the shortest pause


class Supervisor:
    """Keeps a child process running until stopped: whenever it exits, for whatever reason, it
    is reaped and started again after a pause that grows while it keeps failing.

    A thread of the server's own process starts the child and waits on it, while the server
    forks its workers. So the child is started with ``posix_spawn``, which opens nothing in this
    process: ``subprocess`` holds a pipe open until the child has started, and a worker forked
    meanwhile inherited it and kept it open, so that the thread waited for ever and never reaped
    the child again. The child gets its own process group, so that a Ctrl-C in the terminal
    reaches the server, which stops it, rather than the child alone.
    """

    def __init__(
        self,
        argv: Sequence[str],
        env: Mapping[str, str],
        *,
        err: TextIO,
        backoff: Backoff | None = None,
    ) -> None:
        self.argv = list(argv)
        self.env = dict(env)
        self.err = err
        self.backoff = backoff or Backoff(RESTART_FIRST, RESTART_MOST)
        self.pid: int | None = None  # the child now running, if any
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="supervisor", daemon=True)

    def start(self) -> Supervisor:
        self._thread.start()
        return self

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the child with SIGTERM (SIGKILL after ``timeout``) and start no other."""
        self._stopping.set()
        for signal_number in (signal.SIGTERM, signal.SIGKILL):
            with self._lock:
                if self.pid is not None:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(self.pid, signal_number)
            self._thread.join(timeout)
            if not self._thread.is_alive():
                return

    def _run(self) -> None:
        while True:
            with self._lock:  # stop() either signals this child or stops us starting it
                if self._stopping.is_set():
                    return
                started = time.monotonic()
                self.pid = os.posix_spawn(
                    self.argv[0],
                    self.argv,
                    self.env,
                    file_actions=[
                        (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
                        *((os.POSIX_SPAWN_CLOSE, fd) for fd in _inherited()),
                    ],
                    setpgroup=0,
                )
            code = _wait(self.pid)
            with self._lock:
                self.pid = None
            if self._stopping.is_set():
                return
            if time.monotonic() - started >= STABLE_SECONDS:
                self.backoff.reset()
            pause = self.backoff.next()
            self.err.write(
                f"thucthi: tiến trình theo dõi đã dừng (mã {code}), khởi động lại sau {pause:.1f} "
                f"giây / the follower exited (status {code}); starting it again in {pause:.1f} s\n"
            )
            self.err.flush()
            if self._stopping.wait(pause):
                return


def _inherited() -> list[int]:
    """This process's descriptors a child would inherit, beyond stdin, stdout and stderr (what
    ``subprocess``'s ``close_fds`` closes): the child needs none of the server's."""
    found = []
    for name in os.listdir("/proc/self/fd") if os.path.isdir("/proc/self/fd") else []:
        fd = int(name)
        with contextlib.suppress(OSError):  # the listing's own, closed by now
            if fd > 2 and os.get_inheritable(fd):
                found.append(fd)
    return found


def _wait(pid: int) -> int:
    """Reap the child; its exit status (negative: the signal that killed it)."""
    try:
        _, status = os.waitpid(pid, 0)
    except ChildProcessError:  # reaped by someone else: it has exited all the same
        return 0
    return os.waitstatus_to_exitcode(status)


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
