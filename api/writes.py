"""How a command is answered: its body read, run once per ``Idempotency-Key`` (a repeat gets the
first answer, a crashed attempt is answered from the events it stored), and answered only once
the read models include it (read-your-writes), or saying they do not yet."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable

import falcon

from adapters.freshness import Freshness
from adapters.idempotency import (
    DATABASE_ERRORS,
    Answered,
    Attempt,
    Claimed,
    KeyReusedError,
    StoredResponse,
)
from api.http import (
    ModelT,
    ProblemError,
    from_domain,
    read_body,
    render,
)
from api.idempotency import (
    RETRY_AFTER_SECONDS,
    Claims,
    Found,
    StillRunningError,
    fingerprint,
    stored_by,
    withhold,
)
from api.observability import log_request
from domain.application import Thucthi
from domain.shared.actors import Actor
from domain.shared.errors import DomainError
from projections.oversight import OversightProjection, catch_up
from readmodels.open import OversightView

READ_MODELS = "Read-Models"  # "behind" on a command's answer the read models do not include yet


# Read-your-writes on PostgreSQL: a command waits up to FOLLOWER_WAIT seconds for the projection
# follower to take its events in (it reacts to each commit's notification within milliseconds)
# before projecting them itself; API workers projecting too only competed with the follower, on
# the view's lock and on the rows it remembers. When a wait fails, the worker projects for
# itself for FOLLOWER_RETRY seconds before waiting again.
FOLLOWER_WAIT = 0.5


FOLLOWER_RETRY = 10.0


def replay(resp: falcon.Response, first: StoredResponse) -> None:
    resp.status = first.status
    resp.data = first.body
    for name, value in first.headers.items():
        resp.set_header(name, value)
    resp.set_header("Idempotent-Replayed", "true")


class ReadYourWrites:
    """A command's answer waits until the read models include its events: the follower takes
    them in within milliseconds (on PostgreSQL, heard of through ``freshness``); when it is late
    or not running, the worker projects them itself for a while (a batched catch-up, safe beside
    the follower because the tracking row only moves forward)."""

    def __init__(
        self,
        app: Thucthi,
        view: OversightView | None,
        freshness: Freshness | None,
        stored: Callable[[int], None] | None = None,
    ) -> None:
        """``stored``: told the position each command stored at (``api.read_positions``
        names it in the answer)."""
        self.app = app
        self.freshness = freshness
        self.stored = stored
        self._projection = OversightProjection(view) if view is not None else None
        self._lock = threading.Lock()
        self._until = 0.0  # monotonic time until which commands project for themselves

    def caught_up(self, position: int, request_id: str = "") -> bool:
        """Read-your-writes: project up to ``position`` before answering (a batched catch-up; safe
        beside the follower process, because the tracking row only moves forward). False if the
        read models could not take the events in: the command stands, its answer says so."""
        if self.stored is not None:
            self.stored(position)
        if self._projection is None:
            return True
        known = None if self.freshness is None else self.freshness.position()
        if max(known or 0, self._projection.projected_upto) >= position:
            return True  # the follower, or a catch-up for a command saved with this one, did it
        if self.freshness is not None and time.monotonic() >= self._until:
            if self.freshness.wait_for(position, FOLLOWER_WAIT):
                return True  # the follower did it: projecting here too would only compete
            # The follower is late or not running: project here, without waiting, for a while.
            self._until = time.monotonic() + FOLLOWER_RETRY
        try:
            with self._lock:
                catch_up(self.app, self._projection, until=position)
        # The command's events are stored whatever failed here (a read model that cannot hold a
        # value, a lost connection, a bug in a view): it must not become an error or be run again.
        except Exception as e:
            self._projection.forget()
            log_request(
                {"request_id": request_id, "event": "read models behind", "position": position},
                error=e,
            )
            return False
        if self.freshness is not None:
            self.freshness.reached(position)
        return True


class Commands:
    """Reads a command's body, runs it once per Idempotency-Key and waits for the read models:
    what every resource that changes something shares."""

    def __init__(self, app: Thucthi, claims: Claims, reads: ReadYourWrites) -> None:
        self.app = app
        self.idempotency = claims
        self.reads = reads

    def body(self, req: falcon.Request, model: type[ModelT]) -> tuple[ModelT, bytes]:
        return read_body(req, model)

    def caught_up(self, position: int, request_id: str = "") -> bool:
        return self.reads.caught_up(position, request_id)

    def once(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        raw: bytes,
        produce: Callable[[], None],
        recover: Callable[[Found], None],
        *,
        kind: type,
        secret: tuple[str, ...] = (),
    ) -> None:
        """Run ``produce`` once per Idempotency-Key; a repeat gets the first response back.

        ``recover`` answers from the events an attempt stored (of ``kind``, with its request id)
        when the attempt could not answer itself: its process died, or something failed after
        its events were stored. ``secret`` names the fields of the request and of the answer
        that are secrets: none is kept (``api.idempotency.withhold``).
        """
        key = req.get_header("Idempotency-Key")
        if not key:
            self._guarded(req, resp, produce)
            return
        actor: Actor | None = req.context.actor
        owner = actor.user_id if actor else "anonymous"
        request_id: str = req.context.request_id
        claim = self._claim(owner, key, fingerprint(req.method, req.path, raw, secret), request_id)
        if isinstance(claim, Answered):
            replay(resp, claim.response)
            return
        try:
            found = None
            position = claim.position
            if claim.earlier is not None:  # an attempt that died or failed: did it store?
                found = stored_by(self.app, claim.earlier, kind, owner)
                if found is not None:
                    recover(found)
                    resp.set_header("Idempotent-Replayed", "true")
                else:
                    position = self.idempotency.restart(owner, key, request_id)
            if found is None:
                attempt = Attempt(request_id, position)
                self._produce_or_recover(
                    req, resp, produce, recover, attempt=attempt, kind=kind, owner=owner
                )
        except BaseException:
            # Nothing of this attempt is known to be stored; the next one looks before running.
            with contextlib.suppress(*DATABASE_ERRORS):  # else given up by this process later
                self.idempotency.abandon(owner, key)
            raise
        headers: dict[str, str] = {}
        for name in ("Content-Type", "Location", "ETag", READ_MODELS):
            header = resp.get_header(name)
            if header is not None:
                headers[name] = header
        body = resp.data or b""
        if headers.get("Content-Type", "").startswith(falcon.MEDIA_JSON):
            body = withhold(body, secret)
        try:
            self.idempotency.complete(
                owner, key, StoredResponse(int(resp.status_code), headers, body)
            )
        except DATABASE_ERRORS as e:
            # The answer stands; the next request with the key finds the events and answers
            # from them (the claim is given up now, or by the next claim of this process).
            log_request({"request_id": request_id, "event": "answer not kept"}, error=e)
            with contextlib.suppress(*DATABASE_ERRORS):
                self.idempotency.abandon(owner, key)

    def _claim(self, owner: str, key: str, fingerprint: str, request_id: str) -> Claimed | Answered:
        if len(key) > 255:
            raise ProblemError(
                422, "invalid-idempotency-key", "An Idempotency-Key is 1-255 characters"
            )
        try:
            return self.idempotency.claim(owner, key, fingerprint, request_id)
        except KeyReusedError as e:
            raise ProblemError(
                422, "idempotency-key-reused", "This key was used for another request"
            ) from e
        except StillRunningError as e:
            raise ProblemError(
                409,
                "idempotency-key-busy",
                "The first request is still running",
                "send it again later with the same key",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            ) from e

    def _produce_or_recover(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        produce: Callable[[], None],
        recover: Callable[[Found], None],
        *,
        attempt: Attempt,
        kind: type,
        owner: str,
    ) -> None:
        try:
            self._guarded(req, resp, produce)
        # Whatever failed, the command's events may be stored: if they were, the command
        # succeeded and says so; only if they were not is the failure the answer.
        except Exception as e:
            found = stored_by(self.app, attempt, kind, owner)
            if found is None:
                raise
            log_request(
                {"request_id": attempt.request_id, "event": "answered from the stored events"},
                error=e,
            )
            recover(found)

    def _guarded(
        self, req: falcon.Request, resp: falcon.Response, produce: Callable[[], None]
    ) -> None:
        """Domain refusals are answers too (and are replayed as such)."""
        try:
            produce()
        except DomainError as e:
            render(resp, from_domain(e), req.path)
