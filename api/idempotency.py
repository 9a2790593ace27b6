"""What an ``Idempotency-Key`` means to the API; the records are kept by ``adapters.idempotency``.

The first request with a key runs and its answer is kept for 24 hours; a repeat gets that answer
back and records nothing. A repeat that comes while the first is still running waits a little,
in at most ``waiters`` threads of a process and for at most ``wait`` seconds, and is otherwise
answered 409 with ``Retry-After``: waiting retries never take the threads that health checks and
other requests need. A claim whose process died, or whose attempt failed unexpectedly, is taken
over by the next request with the key, which first looks for that attempt's events in the log
(by its request id, after the position recorded as it began). If they were stored, the answer is
made from them: once its event is stored, a command is never run again for its key.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson

from adapters.idempotency import (
    Answered,
    Attempt,
    Busy,
    Claimed,
    IdempotencyStore,
    StoredResponse,
)
from domain.application import Thucthi

WAITERS = 4  # threads of a process that may wait for a key's first request at once
WAIT_SECONDS = 2.0  # how long each may wait
RETRY_AFTER_SECONDS = 1
SCAN_PAGE = 1_000


class StillRunningError(Exception):
    """The first request with this key is still running."""


def fingerprint(method: str, path: str, body: bytes, secret: Iterable[str] = ()) -> str:
    """What tells a repeat from another request with the same key. A request that carries a
    secret (a password) is compared without it: a fast hash of it would help to guess it."""
    hidden = set(secret)
    if hidden and body.strip():
        document = orjson.loads(body)
        if isinstance(document, dict):
            kept = {k: v for k, v in document.items() if k not in hidden}
            body = orjson.dumps(kept, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(b"\0".join((method.encode(), path.encode(), body))).hexdigest()


def withhold(body: bytes, secret: Iterable[str]) -> bytes:
    """A JSON answer as it is kept for repeats: its secret fields out, and named in
    ``withheld`` (a token or a generated password is shown once, to the first request)."""
    hidden = set(secret)
    if not hidden or not body:
        return body
    document = orjson.loads(body)
    if not isinstance(document, dict) or not hidden & document.keys():
        return body
    removed = sorted(hidden & document.keys())
    kept = {k: v for k, v in document.items() if k not in hidden}
    kept["withheld"] = removed
    return orjson.dumps(kept)


@dataclass(frozen=True, slots=True)
class Found:
    """The last event an attempt stored, and its position in the log."""

    position: int
    event: Any


def stored_by(app: Thucthi, attempt: Attempt, kind: type, owner: str) -> Found | None:
    """The last event of ``kind`` recorded for ``owner`` with the attempt's request id, in the
    log after the position the attempt began at (only that part of the log is read)."""
    mapper = app.mapper
    plain = mapper.compressor is None and mapper.cipher is None
    needle = orjson.dumps(attempt.request_id)  # as the codec writes it, for a first sieve
    found = None
    after = attempt.position
    while True:
        notifications = app.recorder.select_notifications(
            start=after, limit=SCAN_PAGE, inclusive_of_start=False
        )
        for n in notifications:
            if plain and needle not in n.state:
                continue
            event: Any = mapper.to_domain_event(n)
            of_kind = isinstance(event, kind)
            if (
                of_kind
                and event.request_id == attempt.request_id
                and owner in ("anonymous", event.actor.user_id)
            ):
                found = Found(n.id, event)
        if len(notifications) < SCAN_PAGE:
            return found
        after = notifications[-1].id


class Claims:
    """The store's claims, with the bounded wait for a key whose first request still runs."""

    def __init__(
        self, store: IdempotencyStore, *, waiters: int = WAITERS, wait: float = WAIT_SECONDS
    ) -> None:
        self.store = store
        self.wait = wait
        self._slots = threading.Semaphore(max(waiters, 0))  # none: busy keys answered at once

    def claim(self, owner: str, key: str, fingerprint: str, request_id: str) -> Claimed | Answered:
        """The key for this request, or the first answer; StillRunningError if neither comes
        within the wait, or no thread of this process is free to wait."""
        outcome = self.store.claim(owner, key, fingerprint, request_id)
        if not isinstance(outcome, Busy):
            return outcome
        if not self._slots.acquire(blocking=False):
            raise StillRunningError
        try:
            deadline = time.monotonic() + self.wait
            pause = 0.01
            while isinstance(outcome, Busy):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise StillRunningError
                if outcome.here is not None:
                    outcome.here.wait(left)  # the first request runs in this process
                else:
                    time.sleep(min(pause, left))
                    pause = min(pause * 2, 0.25)
                outcome = self.store.claim(owner, key, fingerprint, request_id)
            return outcome
        finally:
            self._slots.release()

    def restart(self, owner: str, key: str, request_id: str) -> int:
        return self.store.restart(owner, key, request_id)

    def complete(self, owner: str, key: str, response: StoredResponse) -> None:
        self.store.complete(owner, key, response)

    def abandon(self, owner: str, key: str) -> None:
        self.store.abandon(owner, key)
