"""User accounts: who may sign in, with which role, and the sign-ins and tokens they were given.

Creating an account, changing its role, disabling it and every sign-in are events, audited like
everything else. The domain never sees a password or a token: the caller hashes them (passwords
with a memory-hard hash, tokens with SHA-256 of a random secret) and hands over only the hashes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event
from eventsourcing.domain import Snapshot as _Snapshot

from domain.actors import Actor, Command, Role, require_permission
from domain.errors import AccountDisabledError, InvalidUserError
from domain.text import checked

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,62}$")


def user_id(username: str) -> UUID:
    """An account's id, derived from its user name: user names are unique by construction."""
    return uuid5(NAMESPACE_URL, "thucthi:user:" + username)


@dataclass(frozen=True, slots=True)
class TokenGrant:
    """A bearer token given at sign-in, known only by the hash of its secret."""

    token_hash: str
    issued_at: datetime
    expires_at: datetime


class UserAccount(Aggregate):
    """One person who can sign in."""

    TOPIC = "thucthi:UserAccount"

    username: str
    display_name: str
    role: Role
    unit: str | None
    password_hash: str
    active: bool
    tokens: dict[str, TokenGrant]

    class Event(Aggregate.Event):
        """Every event says who acted and in answer to which request."""

        actor: Actor
        request_id: str

    class Created(Event, Aggregate.Created):
        TOPIC = "thucthi:UserAccount.Created"
        username: str
        display_name: str
        role: Role
        unit: str | None
        password_hash: str

    class RoleChanged(Event):
        TOPIC = "thucthi:UserAccount.RoleChanged"
        role: Role
        unit: str | None

    class PasswordChanged(Event):
        TOPIC = "thucthi:UserAccount.PasswordChanged"
        password_hash: str

    class Disabled(Event):
        TOPIC = "thucthi:UserAccount.Disabled"
        reason: str

    class Enabled(Event):
        TOPIC = "thucthi:UserAccount.Enabled"

    class SignedIn(Event):
        TOPIC = "thucthi:UserAccount.SignedIn"
        token_hash: str
        expires_at: datetime

    class TokenRevoked(Event):
        TOPIC = "thucthi:UserAccount.TokenRevoked"
        token_hash: str

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
        password_hash: str,
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> UserAccount:
        require_permission(actor, Command.MANAGE_USERS)
        if not isinstance(username, str) or not USERNAME.fullmatch(username):
            msg = f"a user name is 2-63 lower-case letters, digits, '.', '_' or '-': {username!r}"
            raise InvalidUserError(msg)
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
            password_hash=password_hash,
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
        password_hash: str,
    ) -> None:
        self.username = username
        self.display_name = display_name
        self.role = role
        self.unit = unit
        self.password_hash = password_hash
        self.active = True
        self.tokens = {}

    def as_actor(self) -> Actor:
        return Actor(user_id=self.username, role=self.role, unit=self.unit)

    def valid_token(self, token_hash: str, now: datetime) -> bool:
        grant = self.tokens.get(token_hash)
        return self.active and grant is not None and now < grant.expires_at

    # --- commands ----------------------------------------------------------------------------

    def change_role(
        self, *, role: Role, unit: str | None, actor: Actor, request_id: str, at: datetime
    ) -> None:
        require_permission(actor, Command.MANAGE_USERS)
        _check_role(role, unit)
        if (role, unit) == (self.role, self.unit):
            msg = f"{self.username} already has role {role}" + (f" in {unit}" if unit else "")
            raise InvalidUserError(msg)
        self._role_changed(actor=actor, request_id=request_id, timestamp=at, role=role, unit=unit)

    def change_password(
        self, *, password_hash: str, actor: Actor, request_id: str, at: datetime
    ) -> None:
        if actor.user_id != self.username:
            require_permission(actor, Command.MANAGE_USERS)
        self._password_changed(
            actor=actor, request_id=request_id, timestamp=at, password_hash=password_hash
        )

    def disable(self, *, reason: str, actor: Actor, request_id: str, at: datetime) -> None:
        require_permission(actor, Command.MANAGE_USERS)
        if not self.active:
            msg = f"{self.username} is already disabled"
            raise AccountDisabledError(msg)
        reason = checked("reason", reason)
        self._disabled(actor=actor, request_id=request_id, timestamp=at, reason=reason)

    def enable(self, *, actor: Actor, request_id: str, at: datetime) -> None:
        require_permission(actor, Command.MANAGE_USERS)
        if self.active:
            msg = f"{self.username} is not disabled"
            raise InvalidUserError(msg)
        self._enabled(actor=actor, request_id=request_id, timestamp=at)

    def sign_in(
        self, *, token_hash: str, expires_at: datetime, request_id: str, at: datetime
    ) -> None:
        """Record a sign-in whose password the caller has verified."""
        if not self.active:
            msg = f"{self.username} is disabled"
            raise AccountDisabledError(msg)
        self._signed_in(
            actor=self.as_actor(),
            request_id=request_id,
            timestamp=at,
            token_hash=token_hash,
            expires_at=expires_at,
        )

    def revoke_token(self, *, token_hash: str, actor: Actor, request_id: str, at: datetime) -> None:
        if actor.user_id != self.username:
            require_permission(actor, Command.MANAGE_USERS)
        if token_hash not in self.tokens:
            msg = "no such token"
            raise InvalidUserError(msg)
        self._token_revoked(actor=actor, request_id=request_id, timestamp=at, token_hash=token_hash)

    # --- mutators ----------------------------------------------------------------------------

    @event(RoleChanged)
    def _role_changed(
        self, *, actor: Actor, request_id: str, timestamp: datetime, role: Role, unit: str | None
    ) -> None:
        self.role = role
        self.unit = unit

    @event(PasswordChanged)
    def _password_changed(
        self, *, actor: Actor, request_id: str, timestamp: datetime, password_hash: str
    ) -> None:
        self.password_hash = password_hash

    @event(Disabled)
    def _disabled(self, *, actor: Actor, request_id: str, timestamp: datetime, reason: str) -> None:
        self.active = False
        self.tokens = {}

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
        token_hash: str,
        expires_at: datetime,
    ) -> None:
        # Expired grants are dropped here, so the account does not grow with every sign-in.
        live = {h: g for h, g in self.tokens.items() if g.expires_at > timestamp}
        live[token_hash] = TokenGrant(token_hash, timestamp, expires_at)
        self.tokens = live

    @event(TokenRevoked)
    def _token_revoked(
        self, *, actor: Actor, request_id: str, timestamp: datetime, token_hash: str
    ) -> None:
        self.tokens = {h: g for h, g in self.tokens.items() if h != token_hash}


def _check_role(role: Role, unit: str | None) -> None:
    if role is Role.DEPARTMENT and not unit:
        msg = "a department officer belongs to a unit"
        raise InvalidUserError(msg)
    if role is not Role.DEPARTMENT and unit:
        msg = f"only department officers belong to a unit, not a {role}"
        raise InvalidUserError(msg)
