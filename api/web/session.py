"""How a page request says who is asking: the session cookie, and the form token derived from it.

Kept apart from the pages so the request pipeline (``api.app``) can read the cookie without
importing the pages, which build on it.
"""

from __future__ import annotations

import hashlib
import hmac

import falcon

SESSION_COOKIE = "thucthi_session"
_NOT_PAGES = ("/api/", "/static/")
_PLAIN_ROUTES = frozenset({"/healthz", "/readyz", "/metrics"})


def is_page(path: str) -> bool:
    """Whether a path belongs to the pages (cookies, HTML errors) rather than the API (bearer
    tokens, problem+json) or the probes."""
    return not path.startswith(_NOT_PAGES) and path not in _PLAIN_ROUTES


def session_token(req: falcon.Request) -> str | None:
    """The bearer token a page request carries in its session cookie."""
    values = req.get_cookie_values(SESSION_COOKIE)
    return values[0] if values else None


def csrf_token(token_hash: str) -> str:
    """The form token of a session: derived from it, so it needs no storage and dies with it."""
    return hmac.new(token_hash.encode(), b"thucthi form", hashlib.sha256).hexdigest()[:32]
