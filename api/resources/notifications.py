"""``GET /api/notifications``: what the signed-in person was told, latest first, each said in
both languages, and whether it went out by e-mail (``docs/notifications.md``)."""

from __future__ import annotations

from typing import Any

import falcon

from adapters.notifications import NotificationStore, StoredNotice
from api.http import json
from domain.accounts.account import Language
from domain.notifications.digest import told
from domain.shared.actors import Actor

SHOWN = 100  # the latest notices shown


def notice_document(notice: StoredNotice) -> dict[str, Any]:
    return {
        "id": notice.id,
        "kind": notice.kind.value,
        "reference": notice.reference,
        "title": notice.title,
        "day": notice.day,
        "decided_at": notice.decided_at,
        "mailed": notice.mailed,
        "values": notice.values,
        "text": {lang.value: told(notice.kind, notice.values, lang) for lang in Language},
    }


class Notifications:
    def __init__(self, store: NotificationStore | None) -> None:
        self.store = store

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        actor: Actor = req.context.actor
        found = [] if self.store is None else self.store.notices_of(actor.user_id, limit=SHOWN)
        json(
            resp, {"username": actor.user_id, "notifications": [notice_document(n) for n in found]}
        )
