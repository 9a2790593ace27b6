"""The inspectors' endpoints: the audit trail, the log's public key, checkpoints, RFC 9162 proofs,
verification, and why directives are late.

Hashes and signatures travel as standard base64, as in the checkpoint notes themselves.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import falcon
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from adapters.signing import Signer
from api.documents import plain
from api.fastpath import LatestCheckpoint
from api.http import ProblemError, json, read_models
from api.params import (
    AS_OF,
    ORDER,
    POSITION,
    PROOF_FROM,
    PROOF_POSITION,
    PROOF_SIZE,
    PROOF_TO,
    TRAIL_ACTION,
    TRAIL_ACTOR,
    TRAIL_AFTER,
    TRAIL_BEFORE,
    TRAIL_DIRECTIVE,
    TRAIL_FROM,
    TRAIL_LIMIT,
    TRAIL_TO,
    UNIT,
)
from api.resources.directives import load_visible, seen_now
from domain.accounts.account import stored_secrets
from domain.application import Thucthi
from domain.directives.why_late import WhyLate, unit_why_late, why_late
from domain.narration import Days, iso_days
from domain.shared.actors import Actor
from domain.shared.clock import city_date, end_of_city_day
from domain.shared.notes import key_id
from projections.audit import (
    AuditProjection,
    ProofRequestError,
    Proofs,
    SigningRefusedError,
    checkpoint_document,
    record_of,
)
from projections.trail import Shown, TrailReader
from projections.verify import verify
from readmodels.audit import (
    AuditFilters,
    AuditStore,
    Confinement,
    Entry,
    StoredCheckpoint,
    utc_text,
)
from readmodels.model import AsOf, Filters
from readmodels.open import OversightView
from readmodels.queries import category_of

VERIFY_CACHE_SECONDS = 60.0  # a verification is reused while the log has not moved
WITHHELD_RECORD = (
    "this record was written by an earlier version and holds a password's or a token's hash, "
    "so its bytes are not shown; the proof is of its leaf hash. Withheld: "
)


class Audit:
    """Everything under /api/audit, sharing the store and an audit projection for signing."""

    def __init__(
        self,
        *,
        app: Thucthi,
        view: OversightView | None,
        trail: AuditStore | None,
        signer: Signer | None,
        checkpoint: LatestCheckpoint,
    ) -> None:
        self.app, self.view, self.trail, self.signer = app, view, trail, signer
        self.checkpoint = checkpoint
        self._verified: tuple[tuple[int, int], float, dict[str, Any]] | None = None
        self._verify_lock = threading.Lock()
        self._readers: dict[Days, TrailReader] = {}

    def describe(self, entries: list[Entry], days: Days = iso_days) -> list[Shown]:
        """What the entries show, made from the log (``projections.trail``), their sentences'
        days written by ``days`` (ISO 8601 here; the pages pass the readers' way)."""
        reader = self._readers.get(days)
        if reader is None:
            reader = self._readers.setdefault(days, TrailReader(self.app, self.store, days=days))
        return reader.describe(entries)

    @property
    def store(self) -> AuditStore:
        if self.trail is None:
            raise ProblemError(503, "no-read-models", "The audit trail needs SQLite or PostgreSQL")
        return self.trail

    def projection(self) -> AuditProjection:
        return AuditProjection(self.app, self.store, self.signer)

    # --- the trail -----------------------------------------------------------------------------

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        """The audit trail, filtered, in log order (``order=desc``: newest first), by pages."""
        actor: Actor = req.context.actor
        seen = seen_now(read_models(self.view), actor)
        confined = None
        if seen is not None and actor.unit is not None:
            # A unit reads the whole trail of the directives it leads or coordinates now, and
            # of no other; beside them, what its people did and what concerned it.
            confined = Confinement(actor.unit, tuple(sorted(seen.values())))
        # Confined: its own unit, whatever was asked.
        filters = trail_filters(req, None if confined else UNIT.read(req), confined)
        newest_first = ORDER.read(req) == "desc"
        limit = TRAIL_LIMIT.get(req, 100)
        after = TRAIL_AFTER.read(req)
        before = TRAIL_BEFORE.read(req)
        entries = self.store.entries(
            filters, after=after, before=before, limit=limit + 1, newest_first=newest_first
        )
        more = len(entries) > limit
        entries = entries[:limit]
        following = None
        if more:
            key = "before" if newest_first else "after"
            params = {k: v for k, v in req.params.items() if k not in {"after", "before"}}
            params[key] = str(entries[-1].position)
            following = req.path + "?" + falcon.to_query_str(params, prefix=False)
        json(
            resp,
            {
                "position": self.store.max_tracking_id(self.app.name),
                "items": [entry_document(e) for e in self.describe(entries)],
                "next": following,
            },
        )

    # --- key and checkpoints ------------------------------------------------------------------

    def on_get_public_key(self, req: falcon.Request, resp: falcon.Response) -> None:
        signer = self.signer
        if signer is None:
            raise ProblemError(503, "no-signing-key", "This server was started without its key")
        public = signer.public_key
        json(
            resp,
            {
                "origin": signer.origin,
                "algorithm": "Ed25519",
                "vkey": signer.vkey,
                "key_id": key_id(signer.origin, public).hex(),
                "pem": public.public_bytes(
                    Encoding.PEM, PublicFormat.SubjectPublicKeyInfo
                ).decode(),
            },
        )

    def on_get_checkpoint(self, req: falcon.Request, resp: falcon.Response) -> None:
        latest = self.store.latest_checkpoint()
        if latest is None:
            raise ProblemError(404, "no-checkpoint", "No checkpoint has been signed yet")
        json(resp, plain(checkpoint_document(latest)))

    def on_post_checkpoint(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Sign the trail as it now stands (after bringing it up to the head of the log)."""
        if self.signer is None:
            raise ProblemError(503, "no-signing-key", "This server was started without its key")
        try:
            checkpoint = self.projection().sign_now()
        except SigningRefusedError as e:
            raise ProblemError(409, "signing-refused", "Signing is refused", str(e)) from e
        self.checkpoint.forget()
        if checkpoint is None:
            raise ProblemError(409, "empty-log", "The log is empty: there is nothing to sign")
        json(resp, plain(checkpoint_document(checkpoint)), 201)

    # --- proofs -------------------------------------------------------------------------------

    def _default_size(self) -> int:
        latest = self.store.latest_checkpoint()
        return latest.tree_size if latest is not None else Proofs(self.store, self.app.name).size()

    def inclusion_document(self, req: falcon.Request) -> dict[str, Any]:
        """The inclusion proof of ``?position=P`` in the tree of ``?size=N`` (default: the latest
        checkpoint's), with the record's bytes and the checkpoint of that size."""
        position = PROOF_POSITION.need(req)
        size = PROOF_SIZE.read(req) or self._default_size()
        proofs = Proofs(self.store, self.app.name)
        try:
            proof = proofs.inclusion(position, size)
        except ProofRequestError as e:
            raise ProblemError(404, "no-proof", "No such proof", str(e)) from e
        stored = self.app.recorder.select_notifications(start=position, limit=1)
        if stored and stored[0].id == position:
            withheld = stored_secrets(stored[0].topic, stored[0].state)
            if withheld:
                # Written by the earlier version, with a password's or a token's hash in it:
                # the leaf hash above still proves it is in the tree; its bytes are not shown.
                proof["record_withheld"] = WITHHELD_RECORD + ", ".join(withheld)
            else:
                proof["record"] = record_of(stored[0])
        proof["checkpoint"] = _note(self.store.checkpoint_of_size(size))
        document: dict[str, Any] = plain(proof)
        return document

    def consistency_document(self, req: falcon.Request) -> dict[str, Any]:
        """The consistency proof from ``?from=M`` to ``?to=N`` (default: the latest checkpoint)."""
        first = PROOF_FROM.need(req)
        second = PROOF_TO.read(req) or self._default_size()
        try:
            proof = Proofs(self.store, self.app.name).consistency(first, second)
        except ProofRequestError as e:
            raise ProblemError(404, "no-proof", "No such proof", str(e)) from e
        proof["first_checkpoint"] = _note(self.store.checkpoint_of_size(first))
        proof["second_checkpoint"] = _note(self.store.checkpoint_of_size(second))
        document: dict[str, Any] = plain(proof)
        return document

    def on_get_inclusion(self, req: falcon.Request, resp: falcon.Response) -> None:
        json(resp, self.inclusion_document(req))

    def on_get_consistency(self, req: falcon.Request, resp: falcon.Response) -> None:
        json(resp, self.consistency_document(req))

    # --- verification -------------------------------------------------------------------------

    def verification(self, kept: str | None = None) -> dict[str, Any]:
        """What ``thucthi audit verify`` says, with the latest checkpoint; without a kept
        checkpoint, reused while neither the log nor the latest checkpoint has moved."""
        signer = self.signer
        if signer is None:
            raise ProblemError(503, "no-signing-key", "This server was started without its key")
        with self._verify_lock:
            self.projection().catch_up()
            latest = self.store.latest_checkpoint()
            key = (self.app.max_notification_id(), latest.tree_size if latest else 0)
            cached = self._verified
            if (
                kept is not None
                or cached is None
                or cached[0] != key
                or time.monotonic() - cached[1] > VERIFY_CACHE_SECONDS
            ):
                published = signer.published
                report = verify(
                    self.app,
                    self.store,
                    origin=signer.origin,
                    public_key=signer.public_key,
                    kept=kept,
                    published=published if published and published.path.exists() else None,
                )
                document: dict[str, Any] = plain(report.document())
                document["checkpoint"] = (
                    None if latest is None else plain(checkpoint_document(latest))
                )
                if kept is not None:
                    return document
                cached = (key, time.monotonic(), document)
                self._verified = cached
        return cached[2]

    def on_get_verify(self, req: falcon.Request, resp: falcon.Response) -> None:
        """What ``thucthi audit verify`` says, for the web page (reused for a few seconds)."""
        json(resp, self.verification())


class WhyLateResource:
    """Days per phase, and who held the directive then; for a unit, summed over its late ones."""

    def __init__(self, app: Thucthi, view: OversightView | None) -> None:
        self.app, self.view = app, view

    def on_get_directive(self, req: falcon.Request, resp: falcon.Response, ref: str) -> None:
        directive = load_visible(self.app, req.context.actor, ref)
        now = self.app.clock.now()
        json(resp, why_late_document(why_late(self.app.history(directive.id), now)))

    def on_get_unit(self, req: falcon.Request, resp: falcon.Response, code: str) -> None:
        """As of the end of a day (today's too, as if nothing changed until then), from the
        point of view the oversight figures take (``readmodels.model.AsOf``), which it names:
        the day and the position asked again give the same answer."""
        actor: Actor = req.context.actor
        self.app.unit_registry().get(code)
        view = read_models(self.view)
        today = city_date(self.app.clock.now())
        day = AS_OF.read(req) or today
        point = AsOf(day, view.position_of(AsOf(day, POSITION.read(req))))
        rows = [
            row
            for row in view.board(point, Filters(unit=code))
            if row.lead_unit == code and category_of(row, day) in {"completed_late", "overdue"}
        ]
        # Each directive's events up to the version the point of view holds, which are those
        # recorded by the end of the day at or before the position.
        breakdowns: list[WhyLate] = [
            why_late(self.app.history(row.directive_id)[: row.version], end_of_city_day(day))
            for row in rows
        ]
        total = unit_why_late(code, breakdowns)
        seen = seen_now(view, actor)
        if seen is not None:  # the totals count them all; the items name those seen now
            shown = set(seen.values())
            breakdowns = [b for b in breakdowns if b.reference in shown]
        json(
            resp,
            {
                "unit": code,
                "as_of": day,
                "position": point.position,
                "forecast": day > today,
                "directives": total.directives,
                "days_late": total.days_late,
                "totals": [_total(t) for t in total.totals],
                "items": [{"reference": b.reference, "days_late": b.days_late} for b in breakdowns],
            },
        )


def why_late_document(w: WhyLate) -> dict[str, Any]:
    return {
        "reference": w.reference,
        "lead_unit": w.lead_unit,
        "deadline": w.deadline,
        "original_deadline": w.original_deadline,
        "finished_at": w.finished_at,
        "days_late": w.days_late,
        "spans": [
            {
                "phase": s.phase.value,
                "holder": s.holder.value,
                "units": list(s.units),
                "start": s.start,
                "end": s.end,
                "days": round(s.days, 2),
                "days_after_deadline": round(s.days_after_deadline, 2),
            }
            for s in w.spans
        ],
        "totals": [_total(t) for t in w.totals],
    }


def _total(t: Any) -> dict[str, Any]:
    return {
        "phase": t.phase.value,
        "holder": t.holder.value,
        "days": round(t.days, 2),
        "days_after_deadline": round(t.days_after_deadline, 2),
    }


def entry_document(e: Shown) -> dict[str, Any]:
    """An entry as the API shows it: everything in it made from the log when read."""
    return {
        "position": e.position,
        "recorded_at": e.recorded_at,
        "actor": {"user": e.actor, "role": e.role, "unit": e.unit},
        "request_id": e.request_id,
        "directive": e.directive,
        "action": e.action,
        "vi": e.vi,
        "en": e.en,
        "changes": e.changes,
        "leaf_hash": plain(e.leaf_hash),
        "intact": e.intact,
    }


def _note(checkpoint: StoredCheckpoint | None) -> str | None:
    return None if checkpoint is None else checkpoint.note


def trail_filters(
    req: falcon.Request, unit: str | None, confined: Confinement | None = None
) -> AuditFilters:
    """What the trail is asked for (from a day's start, to the next day's start)."""
    recorded_from, recorded_to = TRAIL_FROM.read(req), TRAIL_TO.read(req)
    return AuditFilters(
        actor=TRAIL_ACTOR.read(req),
        unit=unit,
        confined=confined,
        directive=TRAIL_DIRECTIVE.read(req),
        action=TRAIL_ACTION.read(req),
        recorded_from=None if recorded_from is None else utc_text(recorded_from),
        recorded_to=None if recorded_to is None else utc_text(recorded_to),
    )
