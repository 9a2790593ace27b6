"""What operators and other systems read: the event feed (liên thông), the OpenAPI description,
health, readiness and metrics."""

from __future__ import annotations

import time
from typing import Any

import falcon
import orjson
from eventsourcing.persistence import (
    Notification,
    PersistenceError,
)

from adapters.follower import FollowerState, Heartbeat
from adapters.signing import Signer
from adapters.standbys import ReadRouting
from api import openapi
from api.http import (
    json,
)
from api.observability import Metrics
from api.params import (
    EVENTS_AFTER,
    LIST_LIMIT,
)
from domain.accounts.account import stored_secrets, without_secrets
from domain.application import Thucthi
from projections.audit import signing_refusal
from projections.runner import status as projection_status
from readmodels.audit import AuditStore
from readmodels.open import OversightView

SIGNING_LOOKED_UP = 5.0  # seconds a signing refusal found for /readyz and /metrics is reused


class Readiness:
    """What /readyz and /metrics judge: how far each projection is behind the log, whether the
    follower beats, whether the signer refuses to sign. Asked of the database, since the follower
    may run anywhere."""

    def __init__(
        self,
        *,
        app: Thucthi,
        view: OversightView | None,
        trail: AuditStore | None,
        heartbeat: Heartbeat | None,
        signer: Signer | None,
        ready_lag: int,
        follower_timeout: float | None,
    ) -> None:
        self.app, self.view, self.trail = app, view, trail
        self.heartbeat, self.signer = heartbeat, signer
        self.ready_lag, self.follower_timeout = ready_lag, follower_timeout
        self._refusal: tuple[float, str | None] = (-SIGNING_LOOKED_UP, None)

    def signing_refusal(self) -> str | None:
        """Why the log's signer refuses to sign (its trail does not extend the checkpoint log's
        last checkpoint); looked up at most every few seconds, for /readyz and /metrics."""
        signer = self.signer
        if self.trail is None or signer is None or signer.published is None:
            return None
        looked, why = self._refusal
        now = time.monotonic()
        if now - looked >= SIGNING_LOOKED_UP:
            at_head = self.trail.max_tracking_id(self.app.name) >= (self.app.max_notification_id())
            why = signing_refusal(self.trail, self.app.name, signer.published, at_head=at_head)
            self._refusal = (now, why)
        return why

    def projection_lags(self) -> tuple[int, dict[str, int]]:
        """The head of the log, and how far behind it each projection stands (asked of the
        database: what the follower, not this worker, has done)."""
        if self.view is None:
            return self.app.max_notification_id(), {}
        found = projection_status(self.app, self.view, self.trail)
        return found[0].head, {s.name: s.lag for s in found}

    def follower_state(self) -> FollowerState | None:
        return None if self.heartbeat is None else self.heartbeat.state()


class Events:
    """The ordered event feed other systems integrate through (liên thông)."""

    def __init__(self, app: Thucthi) -> None:
        self.app = app

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        after = EVENTS_AFTER.get(req, 0)
        limit = LIST_LIMIT.get(req, 100)
        notifications = self.app.recorder.select_notifications(
            start=after, limit=limit, inclusive_of_start=False
        )
        items = [feed_item(n) for n in notifications]
        json(
            resp,
            {
                "after": after,
                "items": items,
                "next_after": notifications[-1].id if notifications else after,
            },
        )


def feed_item(n: Notification) -> dict[str, Any]:
    """One stored event for the feed: its state as stored, except the password or token hashes
    an event written by the earlier version holds, which are left out and named in
    ``withheld``."""
    item: dict[str, Any] = {
        "position": n.id,
        "topic": n.topic,
        "originator_id": str(n.originator_id),
        "originator_version": n.originator_version,
        "state": orjson.Fragment(n.state),
    }
    withheld = stored_secrets(n.topic, n.state)
    if withheld:
        item["state"] = (
            None if withheld == ("state",) else orjson.Fragment(without_secrets(n.state))
        )
        item["withheld"] = list(withheld)
    return item


class OpenAPI:
    def __init__(self) -> None:
        self.document = orjson.dumps(openapi.document())

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.content_type = falcon.MEDIA_JSON
        resp.data = self.document


class Health:
    def __init__(self, app: Thucthi) -> None:
        self.app = app

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        json(resp, {"status": "ok", "position": self.app.max_notification_id()})


class Ready:
    """Ready while the database answers, the follower beats (if one is expected) and no
    projection is behind the log by more than ``ready_lag`` events."""

    def __init__(self, readiness: Readiness) -> None:
        self.readiness = readiness

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        try:
            head, lags = self.readiness.projection_lags()
            follower = self.readiness.follower_state()
        except PersistenceError as e:
            json(resp, {"status": "database unreachable", "detail": str(e)}, 503)
            return
        timeout = self.readiness.follower_timeout
        lag = max(lags.values(), default=0)
        refusal = self.readiness.signing_refusal()
        if refusal is not None:  # the log is no longer what was signed: nobody should rely on it
            state = "signing refused"
        elif timeout is not None and (follower is None or follower.age > timeout):
            state = "follower down"
        elif lag > self.readiness.ready_lag:
            state = "lagging"
        else:
            state = "ready"
        document: dict[str, Any] = {"status": state, "head": head, "lag": lag, "lags": lags}
        if refusal is not None:
            document["detail"] = refusal
        if follower is not None:
            document["follower"] = {
                "pid": follower.pid,
                "host": follower.host,
                "heartbeat_age": round(follower.age, 3),
            }
        json(resp, document, 200 if state == "ready" else 503)


class MetricsResource:
    def __init__(
        self, readiness: Readiness, metrics: Metrics, reads: ReadRouting[Any] | None = None
    ) -> None:
        """``reads``: where this worker's reads went, when standbys are named."""
        self.readiness, self.metrics, self.reads = readiness, metrics, reads

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        def gauges() -> dict[str, float]:
            head, lags = self.readiness.projection_lags()
            values: dict[str, float] = {"thucthi_log_head": head}
            for name, lag in lags.items():
                values[f'thucthi_projection_lag_events{{projection="{name}"}}'] = lag
            follower = self.readiness.follower_state()
            if follower is not None:
                timeout = self.readiness.follower_timeout or float("inf")
                values["thucthi_follower_up"] = int(follower.age <= timeout)
                values["thucthi_follower_heartbeat_age_seconds"] = round(follower.age, 3)
                values['thucthi_follower_restarts_total{kind="process"}'] = follower.restarts
                values['thucthi_follower_restarts_total{kind="reconnect"}'] = follower.reconnects
            elif self.readiness.follower_timeout is not None:
                values["thucthi_follower_up"] = 0
            refused = self.readiness.signing_refusal() is not None
            values["thucthi_audit_signing_refused"] = 1 if refused else 0
            if self.reads is not None:
                counts = self.reads.counts
                for served_by, count in (
                    ("standby", counts.standby),
                    ("primary_after_waiting", counts.primary),
                    ("primary_for_a_command", counts.writes),
                ):
                    values[f'thucthi_reads_total{{served_by="{served_by}"}}'] = count
                values["thucthi_reads_waited_total"] = counts.waited
                values["thucthi_reads_wait_seconds_total"] = round(counts.wait_seconds, 3)
            return values

        resp.content_type = "text/plain; version=0.0.4"
        resp.text = self.metrics.render(gauges)
