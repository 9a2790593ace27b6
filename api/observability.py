"""Request metrics in Prometheus text format, and one structured JSON log line per request."""

from __future__ import annotations

import atexit
import bisect
import itertools
import logging
import multiprocessing.util
import os
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from typing import TextIO

import orjson

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
_log = logging.getLogger("thucthi.http")


class _Series:
    """The requests of one route, method and status: how many, their total time, and how many
    fell in each bucket (the first bound at or above their time; made cumulative in render)."""

    __slots__ = ("buckets", "count", "seconds")

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0
        self.buckets = [0] * len(BUCKETS)


class Metrics:
    """Counters and latency histograms per route, method and status, for one process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._series: dict[tuple[str, str, int], _Series] = {}

    def observe(self, route: str, method: str, status: int, seconds: float) -> None:
        first = bisect.bisect_left(BUCKETS, seconds)  # the first bucket with seconds <= its bound
        key = (route, method, status)
        with self._lock:
            series = self._series.get(key)
            if series is None:
                series = self._series[key] = _Series()
            series.count += 1
            series.seconds += seconds
            if first < len(BUCKETS):
                series.buckets[first] += 1

    def render(self, gauges: Callable[[], dict[str, float]]) -> str:
        lines = [
            "# HELP thucthi_http_requests_total HTTP requests by route, method and status.",
            "# TYPE thucthi_http_requests_total counter",
        ]
        histograms: dict[tuple[str, str], _Series] = defaultdict(_Series)
        with self._lock:
            for (route, method, status), series in sorted(self._series.items()):
                lines.append(
                    f'thucthi_http_requests_total{{route="{route}",method="{method}",'
                    f'status="{status}"}} {series.count}'
                )
                histogram = histograms[(route, method)]
                histogram.count += series.count
                histogram.seconds += series.seconds
                pairs = zip(histogram.buckets, series.buckets, strict=True)
                histogram.buckets = [a + b for a, b in pairs]
        lines += [
            "# HELP thucthi_http_request_duration_seconds Time to answer a request.",
            "# TYPE thucthi_http_request_duration_seconds histogram",
        ]
        for (route, method), histogram in sorted(histograms.items()):
            labels = f'route="{route}",method="{method}"'
            for bound, n in zip(BUCKETS, itertools.accumulate(histogram.buckets), strict=True):
                lines.append(
                    f'thucthi_http_request_duration_seconds_bucket{{{labels},le="{bound}"}} {n}'
                )
            count = histogram.count
            lines.append(
                f'thucthi_http_request_duration_seconds_bucket{{{labels},le="+Inf"}} {count}'
            )
            lines.append(
                f"thucthi_http_request_duration_seconds_sum{{{labels}}} {histogram.seconds:.6f}"
            )
            lines.append(f"thucthi_http_request_duration_seconds_count{{{labels}}} {count}")
        typed: set[str] = set()
        for name, value in gauges().items():
            family = name.partition("{")[0]  # a sample's labels follow its family's name
            if family not in typed:
                typed.add(family)
                kind = "counter" if family.endswith("_total") else "gauge"
                lines.append(f"# TYPE {family} {kind}")
            lines.append(f"{name} {value}")
        return "\n".join(lines) + "\n"


class RequestIds:
    """Request ids for requests that bring none: a random prefix per process and a counter.

    Unique without asking the operating system for randomness per request (``uuid4`` was a
    tenth of a cached answer); the prefix is drawn again in a forked worker.
    """

    def __init__(self) -> None:
        self._start()
        os.register_at_fork(after_in_child=self._start)

    def _start(self) -> None:
        self._prefix = os.urandom(8).hex()
        self._counter = itertools.count(1)

    def __call__(self) -> str:
        return f"{self._prefix}-{next(self._counter):x}"


class JSONLineFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", None)
        data = dict(fields) if isinstance(fields, dict) else {"message": record.getMessage()}
        data.setdefault("level", record.levelname.lower())
        if record.exc_info:
            data["error"] = self.formatException(record.exc_info)
        return orjson.dumps(data, default=str).decode()


# The request log is written in batches, as nginx's ``access_log ... buffer= flush=`` does: a
# write per request was a large part of a cached answer's cost. A batch goes out when it reaches
# BATCH_BYTES, FLUSH_SECONDS after its first line at the latest, before any line logged through
# logging (so the order holds), and when the process exits; a process killed outright loses at
# most FLUSH_SECONDS of request lines, never an event (those are in the database).
BATCH_BYTES = 64 * 1024
FLUSH_SECONDS = 0.2


class _Direct:
    """The handler configure_logging installed, whose lines log_request may write itself, and
    the lines written but not yet sent to its stream."""

    def __init__(self) -> None:
        self.handler: logging.StreamHandler[TextIO] | None = None
        self._reset()
        os.register_at_fork(after_in_child=self._reset)
        atexit.register(self.flush)

    def _reset(self) -> None:
        """In a new process: no lines yet (the parent's are the parent's to write), no flusher."""
        self._lock = threading.Lock()
        self._pending: list[str] = []
        self._size = 0
        self._due = threading.Event()
        self._flusher: threading.Thread | None = None

    def write(self, line: str) -> None:
        with self._lock:
            self._pending.append(line)
            self._size += len(line)
            full = self._size >= BATCH_BYTES
            first = len(self._pending) == 1
            if self._flusher is None:
                self._flusher = threading.Thread(
                    target=self._flush_when_due, name="request-log", daemon=True
                )
                self._flusher.start()
                # granian's workers are multiprocessing processes, which end in os._exit after
                # multiprocessing's own exit finalizers, without atexit: register there too,
                # here, in the process that writes (a fork's registrations are cleared).
                multiprocessing.util.Finalize(None, self.flush, exitpriority=10)
        if full:
            self.flush()
        elif first:
            self._due.set()

    def flush(self) -> None:
        with self._lock:  # held while writing, so that batches reach the stream in order
            lines, self._pending, self._size = self._pending, [], 0
            handler = self.handler
            if not lines or handler is None:
                return
            with handler.lock:  # type: ignore[union-attr]  # created by Handler.__init__
                handler.stream.write("".join(lines))
                handler.stream.flush()

    def _flush_when_due(self) -> None:
        while True:
            self._due.wait()
            self._due.clear()
            time.sleep(FLUSH_SECONDS)
            self.flush()


_direct = _Direct()


def flush_request_log() -> None:
    """Write the request lines still held back (tests, and before reading the log in process)."""
    _direct.flush()


def configure_logging(stream: TextIO | None = None) -> None:
    """Send the request log to stderr as JSON lines (once per process)."""
    if _log.handlers:
        return
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(JSONLineFormatter())
    # A log line per request: skip what the lines never show (the caller's frame, found by
    # walking the stack, and thread and process names), which cost more than the line.
    logging._srcfile = None  # the documented way to skip findCaller
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    _log.addHandler(handler)
    _log.setLevel(logging.INFO)
    _log.propagate = False
    _direct.handler = handler


def log_request(fields: dict[str, object], *, error: BaseException | None = None) -> None:
    handler = _direct.handler
    if (
        error is None
        and handler is not None
        and len(_log.handlers) == 1
        and _log.handlers[0] is handler
        and not (handler.filters or _log.filters or _log.disabled)
        and _log.isEnabledFor(logging.INFO)
    ):
        # Only our own handler listens: write the line JSONLineFormatter would make, without
        # building a LogRecord and passing it through logging (a fifth of a cached answer), in
        # batches.
        data = dict(fields)
        data.setdefault("level", "info")
        line = orjson.dumps(data, default=str).decode()
        _direct.write(line + handler.terminator)
        return
    _direct.flush()  # the lines held back go first
    if error is None:
        _log.info("request", extra={"fields": fields})
    else:
        _log.error("request", extra={"fields": fields}, exc_info=error)
