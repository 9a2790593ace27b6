"""Passwords, bearer tokens and who is asking.

Passwords are hashed with argon2id (argon2-cffi). A token is ``<user name>~<secret>``: the secret
is 32 random bytes, stored only as its SHA-256 hash on the account's ``SignedIn`` event, valid
until it expires or is revoked. Resolving a token reads the account from the application's
incrementally updated cache, so a request costs one small query, not a replay.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from domain.accounts import USERNAME, UserAccount
from domain.actors import Actor
from domain.application import Thucthi

TOKEN_LIFETIME = timedelta(hours=12)
_SEPARATOR = "~"
_HASHER = PasswordHasher()
# A hash of a random password, verified against when the user does not exist, so that a missing
# account takes as long to refuse as a wrong password.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


class SignInError(Exception):
    """Wrong user name or password, or a disabled account: deliberately not saying which."""


class TooManyAttemptsError(Exception):
    """Too many sign-in attempts from one client in a short time."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many sign-in attempts; retry after {retry_after} s")
        self.retry_after = retry_after


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def new_password() -> str:
    return secrets.token_urlsafe(12)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Issued:
    token: str
    expires_at: datetime


def sign_in(app: Thucthi, username: str, password: str, request_id: str) -> Issued:
    """Check the password and record a sign-in; the token is returned once and never stored."""
    account = app.cached_user(username) if USERNAME.match(username) else None
    stored = account.password_hash if account is not None else _DUMMY_HASH
    try:
        _HASHER.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        raise SignInError from None
    if account is None or not account.active:
        raise SignInError
    secret = secrets.token_urlsafe(32)
    expires_at = app.clock.now() + TOKEN_LIFETIME
    app.sign_in(
        username, token_hash=token_hash(secret), expires_at=expires_at, request_id=request_id
    )
    return Issued(token=f"{username}{_SEPARATOR}{secret}", expires_at=expires_at)


def split_token(token: str) -> tuple[str, str] | None:
    username, separator, secret = token.partition(_SEPARATOR)
    if not separator or not USERNAME.match(username) or not secret:
        return None
    return username, secret


@dataclass(frozen=True, slots=True)
class _Checked:
    account: UserAccount
    version: int
    actor: Actor
    expires_at: datetime


class CheckedTokens:
    """Tokens found valid, with the account as it stood then, so that the next request with the
    same token skips the checks while neither the account (no event since: not revoked, not
    disabled, the same role) nor the clock (before its expiry) has moved past them.

    Keyed by the token's hash, as the account keeps it; at most ``size`` of them, the oldest
    forgotten first.
    """

    def __init__(self, size: int = 10_000) -> None:
        self.size = size
        self._checked: dict[str, _Checked] = {}
        self._lock = threading.Lock()

    def get(self, hashed: str, account: UserAccount, now: datetime) -> Actor | None:
        checked = self._checked.get(hashed)
        if (
            checked is not None
            and checked.account is account
            and checked.version == account.version
            and now < checked.expires_at
        ):
            return checked.actor
        return None

    def put(self, hashed: str, checked: _Checked) -> None:
        with self._lock:
            self._checked.pop(hashed, None)
            self._checked[hashed] = checked
            if len(self._checked) > self.size:
                self._checked.pop(next(iter(self._checked)))


def authenticate(
    app: Thucthi, token: str, checked: CheckedTokens | None = None
) -> tuple[Actor, str] | None:
    """The actor a bearer token stands for, with the token's hash; None if it is not valid."""
    parts = split_token(token)
    if parts is None:
        return None
    username, secret = parts
    account: UserAccount | None = app.cached_user(username)
    if account is None:
        return None
    hashed = token_hash(secret)
    now = app.clock.now()
    if checked is not None:
        actor = checked.get(hashed, account, now)
        if actor is not None:
            return actor, hashed
    version = account.version  # before the checks: a change while checking is seen next time
    grant = account.tokens.get(hashed)
    if grant is None or not hmac.compare_digest(grant.token_hash, hashed):
        return None
    if not account.valid_token(hashed, now):
        return None
    actor = account.as_actor()
    if checked is not None:
        checked.put(hashed, _Checked(account, version, actor, grant.expires_at))
    return actor, hashed


class SignInLimiter:
    """At most ``limit`` sign-in attempts per client key in a sliding ``window`` of seconds."""

    def __init__(self, limit: int = 10, window: float = 60.0) -> None:
        self.limit = limit
        self.window = window
        self._attempts: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, key: str) -> None:
        now = time.monotonic()
        with self._lock:
            attempts = self._attempts.setdefault(key, deque())
            while attempts and attempts[0] <= now - self.window:
                attempts.popleft()
            if len(attempts) >= self.limit:
                raise TooManyAttemptsError(int(attempts[0] + self.window - now) + 1)
            attempts.append(now)
            if len(self._attempts) > 100_000:  # forget idle clients rather than grow without bound
                self._attempts = {k: v for k, v in self._attempts.items() if v}
