"""User accounts: who may sign in, with which role, and the sign-ins and tokens they were given.

Creating an account, changing its role, its person's name and title or its password, disabling
and enabling it, every sign-in and every revoked token are events, audited like everything else;
so is each list view its person saves under a name, and each one deleted (the person's own
preference, kept with the account rather than in a table beside the log, so that it is audited
and replayed like the rest of the account).

No event holds anything that helps to guess a credential: the password's hash and the token's
secret hash live in the credential store beside the log (``domain.accounts.credentials``); a
token is named in the log by a random id unrelated to its secret. Events written by the
earlier version did hold those hashes: they are upcast away when read, and ``stored_secrets``
tells the layers that show stored bytes what to withhold.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

import orjson
from eventsourcing.domain import Aggregate, event
from eventsourcing.domain import Snapshot as _Snapshot

from domain.accounts.errors import (
    AccountDisabledError,
    InvalidUserError,
    SavedViewError,
    SavedViewNotFoundError,
)
from domain.shared.actors import Actor, Command, Role, require_permission
from domain.shared.errors import NotPermittedError
from domain.shared.text import PERSON_TITLE, TextRule, checked

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")
# The fields in which the earlier version stored a password's or a token's hash.
SECRET_FIELDS = ("password_hash", "token_hash")
# A saved view: its name, and the list's question as the address's query (checked by the API
# against the list's parameters); at most this many an account.
VIEW_NAME = TextRule(80, required=True)
VIEW_QUERY = TextRule(2_000)
VIEWS_MAX = 30


class Language(StrEnum):
    """The language a person reads Thucthi in, where no page tells it: their notifications and
    e-mails. Vietnamese unless they chose English."""

    VI = "vi"
    EN = "en"


def user_id(username: str) -> UUID:
    """An account's id, derived from its user name: user names are unique by construction."""
    return uuid5(NAMESPACE_URL, "thucthi:user:" + username)


def _drop_secrets(state: dict[str, Any]) -> None:
    for name in SECRET_FIELDS:
        state.pop(name, None)


class UserAccount(Aggregate):
    """One person who can sign in."""

    TOPIC = "thucthi:UserAccount"
    # Version 1 (before issue 22) kept the password hash and the tokens' hashes in its state,
    # so in its snapshots: they are dropped when such a snapshot is read. Version 2 (before
    # issue 24) had no title: a snapshot of it reads as an account without one. Version 3
    # (before issue 27) had no language: a snapshot of it reads as one in Vietnamese. Version 4
    # (issue 27, before the lists) had no saved views.
    class_version = 5

    username: str
    display_name: str
    title: str  # what the person is, as officials write it: "Phó Chủ tịch UBND Thành phố"
    role: Role
    unit: str | None
    active: bool
    language: Language
    views: dict[str, str]  # the list views saved, by name: the list's query

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        state.pop("password_hash", None)
        state.pop("tokens", None)

    @staticmethod
    def upcast_v2_v3(state: dict[str, Any]) -> None:
        state.setdefault("title", "")

    @staticmethod
    def upcast_v3_v4(state: dict[str, Any]) -> None:
        state.setdefault("language", Language.VI.value)

    @staticmethod
    def upcast_v4_v5(state: dict[str, Any]) -> None:
        state.setdefault("views", {})

    class Event(Aggregate.Event):
        """Every event says who acted and in answer to which request."""

        actor: Actor
        request_id: str

    class Created(Event, Aggregate.Created):
        """An account made; ``title`` is absent from the events recorded before accounts had
        one (version 2), which read as an account without a title."""

        TOPIC = "thucthi:UserAccount.Created"
        class_version = 3  # version 1 carried the password's hash, version 2 no title
        upcast_v1_v2 = staticmethod(_drop_secrets)
        username: str
        display_name: str
        role: Role
        unit: str | None
        title: str = ""

        @staticmethod
        def upcast_v2_v3(state: dict[str, Any]) -> None:
            state.setdefault("title", "")

    class RoleChanged(Event):
        TOPIC = "thucthi:UserAccount.RoleChanged"
        role: Role
        unit: str | None

    class ProfileChanged(Event):
        """The person's name and title as the pages show them, corrected or changed."""

        TOPIC = "thucthi:UserAccount.ProfileChanged"
        display_name: str
        title: str

    class PasswordChanged(Event):
        TOPIC = "thucthi:UserAccount.PasswordChanged"
        class_version = 2  # version 1 carried the new password's hash
        upcast_v1_v2 = staticmethod(_drop_secrets)

    class Disabled(Event):
        TOPIC = "thucthi:UserAccount.Disabled"
        reason: str

    class Enabled(Event):
        TOPIC = "thucthi:UserAccount.Enabled"

    class SignedIn(Event):
        """A token was issued; ``token_id`` is None on events of version 1, which named the
        token by its secret's hash."""

        TOPIC = "thucthi:UserAccount.SignedIn"
        class_version = 2
        token_id: str | None
        expires_at: datetime

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            _drop_secrets(state)
            state["token_id"] = None

    class TokenRevoked(Event):
        TOPIC = "thucthi:UserAccount.TokenRevoked"
        class_version = 2
        token_id: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            _drop_secrets(state)
            state["token_id"] = None

    class LanguageChosen(Event):
        """The language of the person's notifications and e-mails."""

        TOPIC = "thucthi:UserAccount.LanguageChosen"
        language: Language

    class ViewSaved(Event):
        """The person saved the list's question under a name (replacing one of that name)."""

        TOPIC = "thucthi:UserAccount.ViewSaved"
        name: str
        query: str

    class ViewDeleted(Event):
        TOPIC = "thucthi:UserAccount.ViewDeleted"
        name: str

    class Snapshot(_Snapshot):
        TOPIC = "thucthi:UserAccount.Snapshot"

    @classmethod
    def create(
        cls,
        *,
        username: str,
        display_name: str,
        role: Role,
        unit: str | None,
        actor: Actor,
        request_id: str,
        at: datetime,
        title: str = "",
    ) -> UserAccount:
        require_permission(actor, Command.MANAGE_USERS)
        if not isinstance(username, str) or not USERNAME.fullmatch(username):
            raise InvalidUserError("username_form", username=username)
        _check_role(role, unit)
        return cls._create(
            cls.Created,
            id=user_id(username),
            actor=actor,
            request_id=request_id,
            timestamp=at,
            username=username,
            display_name=checked("display_name", display_name) or username,
            role=role,
            unit=unit,
            title=checked("title", title, PERSON_TITLE),
        )

    @event(Created)
    def __init__(
        self,
        *,
        actor: Actor,
        request_id: str,
        username: str,
        display_name: str,
        role: Role,
        unit: str | None,
        title: str = "",
    ) -> None:
        self.username = username
        self.display_name = display_name
        self.title = title
        self.role = role
        self.unit = unit
        self.active = True
        self.language = Language.VI
        self.views = {}

    def as_actor(self) -> Actor:
        return Actor(user_id=self.username, role=self.role, unit=self.unit)

    def signature(self) -> str:
        """The person as a directive names its signer: "Name — Title", or the name alone."""
        return f"{self.display_name} — {self.title}" if self.title else self.display_name

    # --- commands ----------------------------------------------------------------------------

    def change_role(
        self, *, role: Role, unit: str | None, actor: Actor, request_id: str, at: datetime
    ) -> None:
        require_permission(actor, Command.MANAGE_USERS)
        _check_role(role, unit)
        if (role, unit) == (self.role, self.unit):
            raise InvalidUserError(
                "same_role_in_unit" if unit else "same_role",
                username=self.username,
                role=role.value,
                unit=unit,
            )
        self._role_changed(actor=actor, request_id=request_id, timestamp=at, role=role, unit=unit)

    def change_profile(
        self, *, display_name: str, title: str, actor: Actor, request_id: str, at: datetime
    ) -> None:
        """The person's name (the user name where none is given) and title (may be none)."""
        require_permission(actor, Command.MANAGE_USERS)
        display_name = checked("display_name", display_name) or self.username
        title = checked("title", title, PERSON_TITLE)
        if (display_name, title) == (self.display_name, self.title):
            raise InvalidUserError("same_profile", username=self.username)
        self._profile_changed(
            actor=actor,
            request_id=request_id,
            timestamp=at,
            display_name=display_name,
            title=title,
        )

    def change_password(self, *, actor: Actor, request_id: str, at: datetime) -> None:
        """Record that the password was changed (the new hash goes to the credential store)."""
        if actor.user_id != self.username:
            require_permission(actor, Command.MANAGE_USERS)
        self._password_changed(actor=actor, request_id=request_id, timestamp=at)

    def choose_language(
        self, *, language: Language, actor: Actor, request_id: str, at: datetime
    ) -> None:
        """The person's own choice, or an administrator's for them."""
        if actor.user_id != self.username:
            require_permission(actor, Command.MANAGE_USERS)
        self._language_chosen(
            actor=actor, request_id=request_id, timestamp=at, language=Language(language)
        )

    def disable(self, *, reason: str, actor: Actor, request_id: str, at: datetime) -> None:
        require_permission(actor, Command.MANAGE_USERS)
        if not self.active:
            raise AccountDisabledError("already_disabled", username=self.username)
        reason = checked("reason", reason)
        self._disabled(actor=actor, request_id=request_id, timestamp=at, reason=reason)

    def enable(self, *, actor: Actor, request_id: str, at: datetime) -> None:
        require_permission(actor, Command.MANAGE_USERS)
        if self.active:
            raise InvalidUserError("not_disabled", username=self.username)
        self._enabled(actor=actor, request_id=request_id, timestamp=at)

    def sign_in(
        self, *, token_id: str, expires_at: datetime, request_id: str, at: datetime
    ) -> None:
        """Record a sign-in whose password the caller has verified, naming its token's id."""
        if not self.active:
            raise AccountDisabledError("disabled", username=self.username)
        self._signed_in(
            actor=self.as_actor(),
            request_id=request_id,
            timestamp=at,
            token_id=token_id,
            expires_at=expires_at,
        )

    def revoke_token(self, *, token_id: str, actor: Actor, request_id: str, at: datetime) -> None:
        """Record a token's revocation; whether the account has that token, the credential store
        says (``Thucthi.revoke_token``)."""
        if actor.user_id != self.username:
            require_permission(actor, Command.MANAGE_USERS)
        self._token_revoked(actor=actor, request_id=request_id, timestamp=at, token_id=token_id)

    def save_view(
        self, *, name: str, query: str, actor: Actor, request_id: str, at: datetime
    ) -> None:
        """Keep the list's question under a name: the person's own, for no one else to set."""
        self._own(actor, "save a view")
        name = checked("view_name", name, VIEW_NAME)
        query = checked("view_query", query, VIEW_QUERY)
        if name not in self.views and len(self.views) >= VIEWS_MAX:
            raise SavedViewError("too_many", limit=VIEWS_MAX)
        self._view_saved(actor=actor, request_id=request_id, timestamp=at, name=name, query=query)

    def delete_view(self, *, name: str, actor: Actor, request_id: str, at: datetime) -> None:
        self._own(actor, "delete a view")
        name = checked("view_name", name, VIEW_NAME)
        if name not in self.views:
            raise SavedViewNotFoundError("unknown", name=name)
        self._view_deleted(actor=actor, request_id=request_id, timestamp=at, name=name)

    def _own(self, actor: Actor, command: str) -> None:
        if actor.user_id != self.username:
            raise NotPermittedError("role", role=actor.role.value, command=command)

    # --- mutators ----------------------------------------------------------------------------

    @event(RoleChanged)
    def _role_changed(
        self, *, actor: Actor, request_id: str, timestamp: datetime, role: Role, unit: str | None
    ) -> None:
        self.role = role
        self.unit = unit

    @event(ProfileChanged)
    def _profile_changed(
        self, *, actor: Actor, request_id: str, timestamp: datetime, display_name: str, title: str
    ) -> None:
        self.display_name = display_name
        self.title = title

    @event(PasswordChanged)
    def _password_changed(self, *, actor: Actor, request_id: str, timestamp: datetime) -> None:
        pass

    @event(LanguageChosen)
    def _language_chosen(
        self, *, actor: Actor, request_id: str, timestamp: datetime, language: Language
    ) -> None:
        self.language = language

    @event(Disabled)
    def _disabled(self, *, actor: Actor, request_id: str, timestamp: datetime, reason: str) -> None:
        self.active = False

    @event(Enabled)
    def _enabled(self, *, actor: Actor, request_id: str, timestamp: datetime) -> None:
        self.active = True

    @event(SignedIn)
    def _signed_in(
        self,
        *,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
        token_id: str | None,
        expires_at: datetime,
    ) -> None:
        pass  # the token itself is the credential store's

    @event(TokenRevoked)
    def _token_revoked(
        self, *, actor: Actor, request_id: str, timestamp: datetime, token_id: str | None
    ) -> None:
        pass

    @event(ViewSaved)
    def _view_saved(
        self, *, actor: Actor, request_id: str, timestamp: datetime, name: str, query: str
    ) -> None:
        self.views = {**self.views, name: query}

    @event(ViewDeleted)
    def _view_deleted(
        self, *, actor: Actor, request_id: str, timestamp: datetime, name: str
    ) -> None:
        self.views = {k: v for k, v in self.views.items() if k != name}


def _check_role(role: Role, unit: str | None) -> None:
    if role.bound_to_unit and not unit:
        raise InvalidUserError("unit_needed")
    if not role.bound_to_unit and unit:
        raise InvalidUserError("unit_not_allowed", role=role.value)


def stored_secrets(topic: str, state: bytes) -> tuple[str, ...]:
    """The fields of a stored account event that hold a password's or a token's hash (written
    by the earlier version), for the layers that show stored bytes to withhold them. An account
    event whose state cannot be read is withheld whole: ``("state",)``."""
    if not topic.startswith("thucthi:UserAccount."):
        return ()
    try:
        data = orjson.loads(state)
    except orjson.JSONDecodeError:
        return ("state",)
    if not isinstance(data, dict):
        return ("state",)
    return tuple(name for name in SECRET_FIELDS if name in data)


def without_secrets(state: bytes) -> bytes:
    """A stored account event's JSON without the fields ``stored_secrets`` names."""
    data = orjson.loads(state)
    return orjson.dumps({k: v for k, v in data.items() if k not in SECRET_FIELDS})
