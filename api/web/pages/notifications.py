"""``/notifications``: what the signed-in person was told, latest first, in the page's language,
with whether it went out by e-mail."""

from __future__ import annotations

import falcon

from adapters.notifications import NotificationStore
from api.resources.notifications import SHOWN
from api.web.pages.base import Pages, language, signed_in
from domain.accounts.account import Language
from domain.notifications.digest import told


class NotificationsPage:
    def __init__(self, pages: Pages, store: NotificationStore | None) -> None:
        self.pages, self.store = pages, store

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        actor = signed_in(req)
        found = [] if self.store is None else self.store.notices_of(actor.user_id, limit=SHOWN)
        lang = Language(language(req))
        items = [(n, told(n.kind, n.values, lang)) for n in found]
        self.pages.render(req, resp, "notifications.html", items=items)
