"""Signing in and out, the signed-in account and its saved views, and the administrator's
accounts."""

from __future__ import annotations

import threading

import falcon

from api import auth
from api.commands import command_of, request_model
from api.documents import (
    user_document,
)
from api.http import (
    ProblemError,
    json,
)
from api.idempotency import (
    Found,
)
from api.params import list_question
from api.schemas import (
    NewUser,
    PasswordResetBody,
    SignIn,
)
from api.writes import Commands
from domain.accounts.account import UserAccount
from domain.accounts.commands import AccountCommand, DeleteView, SaveView
from domain.application import Thucthi
from domain.shared.actors import Actor
from domain.shared.ordering import natural_key

_ACCOUNTS_PAGE = 1_000


class Directory:
    """Every account the log created, by user name: read once, then only those created since
    (each as it now stands is ``Thucthi.cached_user``'s)."""

    def __init__(self, app: Thucthi) -> None:
        self.app = app
        self._usernames: list[str] = []
        self._after = 0
        self._lock = threading.Lock()

    def usernames(self) -> list[str]:
        """The user names, in their natural order (``leader.pct2`` before ``leader.pct10``)."""
        return sorted(self.known(), key=natural_key)

    def known(self) -> list[str]:
        """The user names, in the order the log created them."""
        with self._lock:
            while True:
                page = self.app.recorder.select_notifications(
                    start=self._after,
                    limit=_ACCOUNTS_PAGE,
                    inclusive_of_start=False,
                    topics=[UserAccount.Created.TOPIC],
                )
                for notification in page:
                    event = self.app.mapper.to_domain_event(notification)
                    if isinstance(event, UserAccount.Created):
                        self._usernames.append(event.username)
                if page:
                    self._after = page[-1].id
                if len(page) < _ACCOUNTS_PAGE:
                    return list(self._usernames)

    def accounts(self) -> list[UserAccount]:
        found = (self.app.cached_user(name) for name in self.usernames())
        return [account for account in found if account is not None]


class Session:
    def __init__(
        self,
        app: Thucthi,
        commands: Commands,
        limiter: auth.SignInLimiter,
        checked_tokens: auth.CheckedTokens,
    ) -> None:
        self.app, self.commands = app, commands
        self.limiter, self.checked_tokens = limiter, checked_tokens

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body, raw = self.commands.body(req, SignIn)
        try:
            attempt = self.limiter.attempt(body.username, req.remote_addr or "unknown")
        except auth.TooManyAttemptsError as e:
            raise ProblemError(
                429,
                "too-many-sign-ins",
                "Too many sign-in attempts",
                str(e),
                headers={"Retry-After": str(e.retry_after)},
            ) from e

        def produce() -> None:
            try:
                issued = auth.sign_in(
                    self.app, body.username, body.password, req.context.request_id
                )
            except auth.SignInError as e:
                raise ProblemError(401, "sign-in-failed", "Wrong user name or password") from e
            account = self.app.get_user(body.username)
            json(
                resp,
                {
                    "token": issued.token,
                    "token_type": "Bearer",
                    "expires_at": issued.expires_at,
                    "user": user_document(account),
                },
                201,
            )

        def recover(found: Found) -> None:
            """Signed in by an attempt that could not answer: its token is lost to everyone."""
            account = self.app.get_user(body.username)
            document = {"token_type": "Bearer", "user": user_document(account)}
            json(resp, {**document, "withheld": ["token"]}, 201)

        self.commands.once(
            req, resp, raw, produce, recover, kind=UserAccount.Event, secret=("password", "token")
        )
        if resp.status_code == 201:  # signed in (or the answer to it replayed): not a failure
            self.limiter.succeeded(attempt)

    def on_delete(self, req: falcon.Request, resp: falcon.Response) -> None:
        actor: Actor = req.context.actor
        self.app.revoke_token(
            actor.user_id,
            token_id=req.context.token_id,
            actor=actor,
            request_id=req.context.request_id,
        )
        self.checked_tokens.forget(req.context.token_hash)
        resp.status = falcon.HTTP_204


class Me:
    def __init__(self, app: Thucthi) -> None:
        self.app = app

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        actor: Actor = req.context.actor
        json(resp, user_document(self.app.get_user(actor.user_id)))


def views_document(account: UserAccount) -> list[dict[str, str]]:
    """An account's saved views, by name: each with its question and where it is asked."""
    return [
        {
            "name": name,
            "query": query,
            "page": "/directives" + (f"?{query}" if query else ""),
            "api": "/api/directives" + (f"?{query}" if query else ""),
        }
        for name, query in sorted(account.views.items())
    ]


class SavedViews:
    """``/api/me/views``: the signed-in person's saved views of the list of directives; saving
    one (``SaveView``: its query is checked as the list checks it, and kept in one order) and
    deleting one by name."""

    def __init__(self, app: Thucthi, commands: Commands) -> None:
        self.app, self.commands = app, commands
        self.model = request_model(SaveView)

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        json(resp, {"items": views_document(self.app.get_user(req.context.actor.user_id))})

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body, raw = self.commands.body(req, self.model)
        asked: SaveView = command_of(SaveView, body)
        command = SaveView(name=asked.name, query=list_question(asked.query))
        actor: Actor = req.context.actor

        def answer() -> None:
            resp.location = "/api/me/views"
            json(resp, {"items": views_document(self.app.get_user(actor.user_id))}, 201)

        def produce() -> None:
            self.app.manage(command, actor.user_id, actor=actor, request_id=req.context.request_id)
            answer()

        self.commands.once(req, resp, raw, produce, lambda _: answer(), kind=UserAccount.Event)

    def on_delete_one(self, req: falcon.Request, resp: falcon.Response, name: str) -> None:
        actor: Actor = req.context.actor
        self.app.manage(
            DeleteView(name=name), actor.user_id, actor=actor, request_id=req.context.request_id
        )
        json(resp, {"items": views_document(self.app.get_user(actor.user_id))})


class Users:
    """``GET /api/users``: every account; ``POST``: a new one, its password shown once."""

    def __init__(self, app: Thucthi, commands: Commands, directory: Directory) -> None:
        self.app, self.commands, self.directory = app, commands, directory

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        json(resp, {"items": [user_document(a) for a in self.directory.accounts()]})

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body, raw = self.commands.body(req, NewUser)

        def produce() -> None:
            password = body.password or auth.new_password()
            self.app.create_user(
                username=body.username,
                display_name=body.display_name,
                title=body.title,
                role=body.role,
                unit=body.unit,
                password_hash=auth.hash_password(password),
                actor=req.context.actor,
                request_id=req.context.request_id,
            )
            document = user_document(self.app.get_user(body.username))
            if body.password is None:
                document["password"] = password  # shown once, never stored in clear
            resp.location = f"/api/users/{body.username}"
            json(resp, document, 201)

        def recover(found: Found) -> None:
            document = user_document(self.app.get_user(body.username))
            if body.password is None:
                document["withheld"] = ["password"]  # generated by an attempt that was lost
            resp.location = f"/api/users/{body.username}"
            json(resp, document, 201)

        self.commands.once(
            req, resp, raw, produce, recover, kind=UserAccount.Event, secret=("password",)
        )


class AccountCommandResource:
    """An administrator's command on an account (``domain.accounts.commands``), posted to its
    path in ``api.commands.ACCOUNT_POSTED``; answered with the account as it now stands."""

    def __init__(self, app: Thucthi, commands: Commands, command: type[AccountCommand]) -> None:
        self.app, self.commands, self.command = app, commands, command
        self.model = request_model(command)

    def on_post(self, req: falcon.Request, resp: falcon.Response, username: str) -> None:
        body, raw = self.commands.body(req, self.model)

        def produce() -> None:
            self.app.manage(
                command_of(self.command, body),
                username,
                actor=req.context.actor,
                request_id=req.context.request_id,
            )
            json(resp, user_document(self.app.get_user(username)))

        def recover(found: Found) -> None:
            json(resp, user_document(self.app.get_user(username)))

        self.commands.once(req, resp, raw, produce, recover, kind=UserAccount.Event)


class OneUser:
    """``GET /api/users/{username}``: one account as it now stands."""

    def __init__(self, app: Thucthi) -> None:
        self.app = app

    def on_get(self, req: falcon.Request, resp: falcon.Response, username: str) -> None:
        json(resp, user_document(self.app.get_user(username)))


def reset_password(app: Thucthi, username: str, actor: Actor, request_id: str) -> str:
    """Give an account a new password made here, recorded as changed (by whom, when) with its
    hash kept beside the log and every session of the account ended; the password is returned to
    be shown once, and kept nowhere in clear."""
    app.get_user(username)  # an unknown account is refused before a password is made
    password = auth.new_password()
    app.change_password(
        username, password_hash=auth.hash_password(password), actor=actor, request_id=request_id
    )
    return password


class PasswordReset:
    """``POST /api/users/{username}/password-reset``: an administrator gives the account a new
    password, answered once with it (a repeat of the request answers without it)."""

    def __init__(self, app: Thucthi, commands: Commands) -> None:
        self.app, self.commands = app, commands

    def on_post(self, req: falcon.Request, resp: falcon.Response, username: str) -> None:
        _, raw = self.commands.body(req, PasswordResetBody)

        def produce() -> None:
            actor, request_id = req.context.actor, req.context.request_id
            password = reset_password(self.app, username, actor, request_id)
            json(resp, {**user_document(self.app.get_user(username)), "password": password})

        def recover(found: Found) -> None:
            document = user_document(self.app.get_user(username))
            json(resp, {**document, "withheld": ["password"]})

        self.commands.once(
            req, resp, raw, produce, recover, kind=UserAccount.Event, secret=("password",)
        )
