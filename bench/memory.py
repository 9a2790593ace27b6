"""Resident memory (RSS) of processes while a benchmark runs, read from ``/proc`` (Linux).

A sampler thread reads the RSS of a root process and all its descendants every ``interval``
seconds, naming each process by a rule over its command line, and keeps every sample, so that a
peak can be given with how it grew: the peak of the first half of the run against the second.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

PROC = Path("/proc")
Namer = Callable[[int, str], str | None]  # pid, command line -> a name, or None to ignore


def rss_mb(pid: int) -> float | None:
    """The process's resident set in MiB, or None if it is gone."""
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def command_line(pid: int) -> str:
    try:
        raw = (PROC / str(pid) / "cmdline").read_bytes()
    except OSError:
        return ""
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()


def descendants(root: int) -> list[int]:
    """The root and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after it.
        fields = stat[stat.rindex(")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


@dataclass
class Series:
    """One named process's samples: (seconds since the start, MiB)."""

    samples: list[tuple[float, float]] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        values = [mb for _, mb in self.samples]
        if not values:
            return {}
        half = len(values) // 2 or 1
        first, second = max(values[:half]), max(values[half:] or values[:half])
        return {
            "peak_mb": round(max(values), 1),
            "first_half_peak_mb": round(first, 1),
            "second_half_peak_mb": round(second, 1),
            "growth": round(second / first, 3) if first else 0.0,
            "samples": len(values),
        }


class Sampler:
    """Samples a process tree's RSS in a thread, between ``start`` and ``stop``."""

    def __init__(self, root: int, namer: Namer, interval: float = 0.25) -> None:
        self.root = root
        self.namer = namer
        self.interval = interval
        self.series: dict[str, Series] = {}
        self._names: dict[int, str | None] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="rss-sampler", daemon=True)
        self._started = 0.0

    def __enter__(self) -> Sampler:
        self._started = time.monotonic()
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def sample(self) -> None:
        now = time.monotonic() - self._started
        peaks: dict[str, float] = {}
        for pid in descendants(self.root):
            if pid not in self._names:
                self._names[pid] = self.namer(pid, command_line(pid))
            name = self._names[pid]
            mb = rss_mb(pid) if name is not None else None
            if name is not None and mb is not None:
                peaks[name] = max(peaks.get(name, 0.0), mb)  # the largest of its kind
        for name, mb in peaks.items():
            self.series.setdefault(name, Series()).samples.append((now, mb))

    def summary(self) -> dict[str, dict[str, float]]:
        return {name: series.summary() for name, series in sorted(self.series.items())}

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)
        self.sample()
