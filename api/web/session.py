"""How a page request says who is asking: the session cookie, and the form token derived from it;
before there is a session, the sign-in form's own token; and, after, the page each role opens on.

Kept apart from the pages so the request pipeline (``api.pipeline``) can read the cookie and send
a role home without importing the pages, which build on it.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import falcon

from domain.shared.actors import Actor, Role

SESSION_COOKIE = "thucthi_session"
# A random value the sign-in form's token is derived from: a page of another site can neither
# read it nor, the cookie being SameSite=Strict, send it with a form it posts (login CSRF).
SIGN_IN_COOKIE = "thucthi_sign_in"
_SIGN_IN_NONCE = re.compile(r"^[A-Za-z0-9_-]{22,64}$")
_NOT_PAGES = ("/api/", "/static/")
_PLAIN_ROUTES = frozenset({"/healthz", "/readyz", "/metrics"})


def is_page(path: str) -> bool:
    """Whether a path belongs to the pages (cookies, HTML errors) rather than the API (bearer
    tokens, problem+json) or the probes."""
    return not path.startswith(_NOT_PAGES) and path not in _PLAIN_ROUTES


def home_of(actor: Actor) -> str:
    """The page a role opens on: a unit's own, an agency's intake form (its reception) or
    petitions to do (its head), the dashboard, or the inspector."""
    if actor.role is Role.DEPARTMENT:
        return f"/units/{quote(actor.unit or '')}"
    if actor.role is Role.RECEPTION:
        return "/petitions/new"
    if actor.role is Role.AGENCY_HEAD:
        return "/petitions/queue"
    if actor.role in {Role.LEADER, Role.OFFICE}:
        return "/dashboard"
    return "/inspector"


def session_token(req: falcon.Request) -> str | None:
    """The bearer token a page request carries in its session cookie."""
    values = req.get_cookie_values(SESSION_COOKIE)
    return values[0] if values else None


def cookie_value(env: Mapping[str, Any], name: str) -> str | None:
    """The first value of a cookie as the browser sent it, read from the WSGI environment; None
    also for one quoted or escaped, which Falcon reads instead."""
    for part in env.get("HTTP_COOKIE", "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return None if '"' in value or "\\" in value else value
    return None


def csrf_token(token_hash: str) -> str:
    """The form token of a session: derived from it, so it needs no storage and dies with it."""
    return hmac.new(token_hash.encode(), b"thucthi form", hashlib.sha256).hexdigest()[:32]


# Where a page kept for a reader (``api.fastpath.KeptPage``) carries the session's form token:
# each sending puts the session's own in its place. Random per process, so that no text shown on
# a page can be it.
FORM_TOKEN_MARK = "form-token-" + secrets.token_hex(16)


def with_form_token(page: bytes, token_hash: str | None) -> bytes:
    """A kept page with the session's own form token where the mark is."""
    token = csrf_token(token_hash) if token_hash else ""
    return page.replace(FORM_TOKEN_MARK.encode(), token.encode())


def sign_in_nonce(req: falcon.Request) -> str | None:
    """The sign-in cookie's value, if the browser sent a sane one."""
    values = req.get_cookie_values(SIGN_IN_COOKIE)
    return values[0] if values and _SIGN_IN_NONCE.match(values[0]) else None


def new_sign_in_nonce() -> str:
    return secrets.token_urlsafe(24)


def sign_in_form_token(nonce: str) -> str:
    """The sign-in form's token: derived from the cookie, so it needs no storage and works on
    whichever worker the form is posted to."""
    return hmac.new(nonce.encode(), b"thucthi sign-in form", hashlib.sha256).hexdigest()[:32]
