"""Signing in and out through the pages, the language chosen, and the home page of a role."""

from __future__ import annotations

import hmac

import falcon

from api import auth
from api.params import BACK, NEXT, TO_LANGUAGE
from api.web.headers import LANGUAGE_COOKIE
from api.web.i18n import language_of, message
from api.web.pages.base import Pages, language, posted_form, safe_next
from api.web.session import (
    SESSION_COOKIE,
    SIGN_IN_COOKIE,
    home_of,
    new_sign_in_nonce,
    sign_in_form_token,
    sign_in_nonce,
)
from domain.application import Thucthi
from domain.shared.actors import Actor


class SessionPages:
    """``/``, ``/sign-in``, ``/sign-out`` and ``/language``: who is asking, in which language."""

    def __init__(
        self,
        pages: Pages,
        app: Thucthi,
        limiter: auth.SignInLimiter,
        checked_tokens: auth.CheckedTokens,
    ) -> None:
        self.pages, self.app = pages, app
        self.limiter, self.checked_tokens = limiter, checked_tokens

    def sign_in_form(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        status: int = 200,
        *,
        next: str,
        failure: str,
    ) -> None:
        """The sign-in page, with the form's token and the cookie it is derived from."""
        nonce = sign_in_nonce(req) or new_sign_in_nonce()
        resp.set_cookie(
            SIGN_IN_COOKIE,
            nonce,
            max_age=int(auth.TOKEN_LIFETIME.total_seconds()),
            path="/sign-in",
            secure=req.scheme == "https",
            http_only=True,
            same_site="Strict",
        )
        self.pages.render(
            req,
            resp,
            "sign_in.html",
            status,
            next=next,
            failure=failure,
            sign_in_token=sign_in_form_token(nonce),
        )

    def on_get_sign_in(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.sign_in_form(req, resp, next=safe_next(NEXT.read(req)), failure="")

    def on_post_sign_in(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = posted_form(req, session=False)
        username = str(form.get("username", "")).strip()
        password = str(form.get("password", ""))
        target = safe_next(form.get("next"))
        lang = language(req)
        nonce, sent = sign_in_nonce(req), form.get("csrf")
        if not (
            nonce is not None
            and isinstance(sent, str)
            and hmac.compare_digest(sent, sign_in_form_token(nonce))
        ):
            # Not this browser's form (or it outlived its cookie): nobody is signed in.
            failure = message(lang, "signin.expired")
            self.sign_in_form(req, resp, 403, next=target, failure=failure)
            return
        try:
            attempt = self.limiter.attempt(username, req.remote_addr or "unknown")
        except auth.TooManyAttemptsError as e:
            failure = message(lang, "signin.too_many", seconds=e.retry_after)
            resp.set_header("Retry-After", str(e.retry_after))
            self.sign_in_form(req, resp, 429, next=target, failure=failure)
            return
        try:
            issued = auth.sign_in(self.app, username, password, req.context.request_id)
        except (auth.SignInError, ValueError):
            failure = message(lang, "signin.failed")
            self.sign_in_form(req, resp, 401, next=target, failure=failure)
            return
        self.limiter.succeeded(attempt)
        resp.set_cookie(
            SESSION_COOKIE,
            issued.token,
            max_age=int(auth.TOKEN_LIFETIME.total_seconds()),
            path="/",
            secure=req.scheme == "https",
            http_only=True,
            same_site="Lax",
        )
        resp.unset_cookie(SIGN_IN_COOKIE, path="/sign-in")
        account = self.app.get_user(username)
        raise falcon.HTTPSeeOther(target if target != "/" else home_of(account.as_actor()))

    def on_post_sign_out(self, req: falcon.Request, resp: falcon.Response) -> None:
        actor = req.context.actor
        if actor is not None:
            posted_form(req)
            self.app.revoke_token(
                actor.user_id,
                token_id=req.context.token_id,
                actor=actor,
                request_id=req.context.request_id,
            )
            self.checked_tokens.forget(req.context.token_hash)
        resp.unset_cookie(SESSION_COOKIE, path="/")
        raise falcon.HTTPSeeOther("/sign-in")

    def on_get_language(self, req: falcon.Request, resp: falcon.Response) -> None:
        lang = language_of(TO_LANGUAGE.read(req))
        resp.set_cookie(
            LANGUAGE_COOKIE,
            lang,
            max_age=365 * 86400,
            path="/",
            secure=req.scheme == "https",
            http_only=True,
            same_site="Lax",
        )
        raise falcon.HTTPSeeOther(safe_next(BACK.read(req)))

    def on_get_home(self, req: falcon.Request, resp: falcon.Response) -> None:
        actor: Actor | None = req.context.actor
        raise falcon.HTTPSeeOther(home_of(actor) if actor else "/sign-in")
