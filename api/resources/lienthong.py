"""The export to the national database for the Office and the inspectorate
(``GET /api/petitions/lien-thong?after=&limit=``): one batch of the national record as JSON
Lines, its first line saying where it starts and ends and which signed checkpoint covers it
(``projections.lienthong``; the format: docs/lien-thong.md).

The records hold petitioners' names and addresses, opened from the vault for this answer only:
it is never cached, by this server or any on the way.
"""

from __future__ import annotations

from typing import Any

import falcon

from api.params import LIENTHONG_AFTER, LIENTHONG_LIMIT
from api.web.formats import moment, number
from api.web.i18n import Language, message
from domain.application import Thucthi
from projections.lienthong import export_batch
from readmodels.audit import AuditStore

MEDIA_JSONL = "application/jsonl; charset=utf-8"
DEFAULT_LIMIT = 1_000


def coverage_words(header: dict[str, Any], head: int) -> dict[str, str]:
    """What the batch's checkpoint covers, in Vietnamese and English, as the inspector's pages
    say it: the checkpoint its records are within, and the newest events no checkpoint covers
    yet, which a later batch will carry."""

    def said(language: Language) -> str:
        checkpoint = header.get("checkpoint")
        if checkpoint is None:
            text = message(language, "lienthong.none")
        else:
            text = message(
                language,
                "lienthong.covered",
                number=number(int(checkpoint["number"]), language),
                signed_at=moment(str(checkpoint["signed_at"]), language),
                last=number(int(checkpoint["position"]), language),
            )
        pending = head - int(header["covered_through"])
        if pending > 0:
            text += " " + message(language, "lienthong.pending", pending=number(pending, language))
        return text

    return {"vi": said("vi"), "en": said("en")}


class LienThong:
    """One batch of the national record after a log position."""

    def __init__(self, app: Thucthi, trail: AuditStore | None, source: str) -> None:
        self.app, self.trail, self.source = app, trail, source

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        after = LIENTHONG_AFTER.get(req, 0)
        limit = LIENTHONG_LIMIT.get(req, DEFAULT_LIMIT)
        batch = export_batch(self.app, self.trail, after=after, limit=limit, source=self.source)
        batch.header["coverage"] = coverage_words(batch.header, self.app.max_notification_id())
        resp.content_type = MEDIA_JSONL
        resp.cache_control = ["no-store"]
        resp.data = b"".join(batch.lines())
