"""What the environment sets beside the database URL: pool sizes, readiness, and the
connection budget they add up to. Read once, by the composition root (``bootstrap``)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

DEFAULT_POOL_SIZE = 8  # PostgreSQL connections of an API worker's (and a command's) pool
DEFAULT_LOCK_POOL_SIZE = 2  # an API worker's connections holding advisory locks
POOL_KEPT_OPEN = 2  # connections a process's pool keeps open while idle (at most its size)
SERVE_POOL_SIZE = 2  # `thucthi serve` itself: it creates the tables, then closes its pool
LISTENERS = 1  # each API worker's and each follower's LISTEN connection
# The connection on which an API worker holds the lock its Idempotency-Key claims live by
# (adapters/idempotency.py), opened at its first request with a key.
IDEMPOTENCY_CLAIMS = 1


class SettingsError(ValueError):
    """A THUCTHI_... setting in the environment cannot be understood."""


@dataclass(frozen=True, slots=True)
class Settings:
    """What the environment sets beside the database URL; each field is the THUCTHI_ variable
    of its name in capitals (``pool_size``: ``THUCTHI_DB_POOL_SIZE`` is the one exception)."""

    pool_size: int = DEFAULT_POOL_SIZE
    lock_pool_size: int = DEFAULT_LOCK_POOL_SIZE  # adapters.locks
    follower_pool_size: int = 4  # a follower's pool (`projections run`, serve's own)
    ready_lag: int = 10_000  # events a projection may be behind the log while /readyz says ready
    follower_timeout: float = 10.0  # seconds without a heartbeat before the follower is down

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        default = cls()

        def number(variable: str, value: float, kind: type[int] | type[float]) -> float:
            text = environ.get(variable, "").strip()
            if not text:
                return value
            try:
                given = kind(text)
            except ValueError:
                given = -1
            if not 0 < given < 1_000_000:
                msg = f"{variable} phải là một số dương / must be a positive number, not {text!r}"
                raise SettingsError(msg)
            return given

        return cls(
            pool_size=int(number("THUCTHI_DB_POOL_SIZE", default.pool_size, int)),
            lock_pool_size=int(number("THUCTHI_LOCK_POOL_SIZE", default.lock_pool_size, int)),
            follower_pool_size=int(
                number("THUCTHI_FOLLOWER_POOL_SIZE", default.follower_pool_size, int)
            ),
            ready_lag=int(number("THUCTHI_READY_LAG", default.ready_lag, int)),
            follower_timeout=number("THUCTHI_FOLLOWER_TIMEOUT", default.follower_timeout, float),
        )

    def connection_budget(self, *, workers: int, followers: int = 1) -> dict[str, int]:
        """The most PostgreSQL connections each kind of process holds, and in all, for a
        ``thucthi serve --workers N`` with its follower and ``followers - 1`` separate
        ``projections run``. Whatever opens connections of its own adds itself here (and to the
        table in docs/api.md). Creating tables at start takes one more for a moment
        (adapters.database),
        and ``serve`` itself holds its few only before it starts the workers."""
        worker = self.pool_size + self.lock_pool_size + LISTENERS + IDEMPOTENCY_CLAIMS
        follower = self.follower_pool_size + LISTENERS
        return {
            "worker": worker,
            "follower": follower,
            "total": workers * worker + followers * follower,
        }


def pool_settings(size: int) -> dict[str, str]:
    """The library's pool settings for a pool of at most ``size`` connections."""
    kept = min(POOL_KEPT_OPEN, size)
    return {"POSTGRES_POOL_SIZE": str(kept), "POSTGRES_MAX_OVERFLOW": str(size - kept)}


def name_connections(role: str) -> None:
    """Name this process's PostgreSQL connections ``thucthi-<role>`` (``application_name`` in
    pg_stat_activity), unless the operator named them (``PGAPPNAME`` not ours)."""
    given = os.environ.get("PGAPPNAME", "")
    if not given or given.startswith("thucthi-"):
        os.environ["PGAPPNAME"] = f"thucthi-{role}"
