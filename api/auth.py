"""Passwords, bearer tokens, who is asking, and how often sign-in may be tried.

Passwords are hashed with argon2id (argon2-cffi). A token is ``<user name>~<secret>``: the secret
is 32 random bytes, kept only as its SHA-256 hash in the credential store
(``domain.accounts.credentials``), valid until it expires or is revoked; the log names it by a
random id.

A command (any request but GET, HEAD and OPTIONS) asks the store about its token every time, so
a revocation or a disabling that has returned refuses it in every worker. A read may use this
worker's last check of the token for up to ``RECHECK_SECONDS`` (docs/api.md states the bound).

Sign-in attempts that fail are counted in the store too, so every worker shares the limits: per
account and per client address, in a fixed window from the first counted attempt.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from domain.accounts.account import USERNAME, UserAccount
from domain.accounts.errors import AccountDisabledError
from domain.application import Thucthi
from domain.shared.actors import Actor

TOKEN_LIFETIME = timedelta(hours=12)
# How long a read may rely on this worker's last check of a token (docs/api.md says so).
RECHECK_SECONDS = 1.0
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ACCOUNT_LIMIT = 10  # failed sign-ins per account per window, whichever address they come from
ADDRESS_LIMIT = 20  # failed sign-ins per client address per window, whichever accounts they try
LIMIT_WINDOW = timedelta(minutes=1)
_SEPARATOR = "~"
_HASHER = PasswordHasher()
# A hash of a random password, verified against when the user does not exist, so that a missing
# account takes as long to refuse as a wrong password.
_DUMMY_HASH = _HASHER.hash(secrets.token_urlsafe(16))


class SignInError(Exception):
    """Wrong user name or password, or a disabled account: deliberately not saying which."""


class TooManyAttemptsError(Exception):
    """Too many failed sign-in attempts for an account or from an address in a short time."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many sign-in attempts; retry after {retry_after} s")
        self.retry_after = retry_after


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


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
    stored = app.password_hash(username) if account is not None else None
    if not verify_password(stored or _DUMMY_HASH, password) or stored is None:
        raise SignInError
    if account is None or not account.active:
        raise SignInError
    secret = secrets.token_urlsafe(32)
    expires_at = app.clock.now() + TOKEN_LIFETIME
    try:
        app.sign_in(
            username,
            secret_hash=token_hash(secret),
            token_id=secrets.token_hex(8),  # random: it tells nothing of the secret
            expires_at=expires_at,
            request_id=request_id,
        )
    except AccountDisabledError:  # disabled a moment ago: refused like any other failure
        raise SignInError from None
    return Issued(token=f"{username}{_SEPARATOR}{secret}", expires_at=expires_at)


def split_token(token: str) -> tuple[str, str] | None:
    username, separator, secret = token.partition(_SEPARATOR)
    if not separator or not USERNAME.match(username) or not secret:
        return None
    return username, secret


@dataclass(frozen=True, slots=True)
class Authenticated:
    """Who a valid token stands for. ``token_hash`` (its secret's hash) stays in this process:
    the pages' form token is derived from it; the log knows the token by ``token_id``."""

    actor: Actor
    token_hash: str
    token_id: str


@dataclass(frozen=True, slots=True)
class _Checked:
    account: UserAccount
    version: int
    found: Authenticated
    expires_at: datetime
    checked_at: float  # monotonic


class CheckedTokens:
    """Tokens the store said were valid, with the account as it stood then, so that a read with
    the same token within ``max_age`` seconds skips the store while neither the account (the
    same role, still active) nor the clock (before its expiry) has moved past them.

    Keyed by the token's hash; at most ``size`` of them, the oldest forgotten first.
    """

    def __init__(self, size: int = 10_000, max_age: float = RECHECK_SECONDS) -> None:
        self.size = size
        self.max_age = max_age
        self._checked: dict[str, _Checked] = {}
        self._lock = threading.Lock()

    def get(self, hashed: str, account: UserAccount, now: datetime) -> Authenticated | None:
        checked = self._checked.get(hashed)
        if (
            checked is not None
            and checked.account is account
            and checked.version == account.version
            and now < checked.expires_at
            and time.monotonic() - checked.checked_at < self.max_age
        ):
            return checked.found
        return None

    def put(self, hashed: str, checked: _Checked) -> None:
        with self._lock:
            self._checked.pop(hashed, None)
            self._checked[hashed] = checked
            if len(self._checked) > self.size:
                self._checked.pop(next(iter(self._checked)))

    def forget(self, hashed: str) -> None:
        with self._lock:
            self._checked.pop(hashed, None)


def authenticate(
    app: Thucthi, token: str, checked: CheckedTokens | None = None, *, command: bool = True
) -> Authenticated | None:
    """Who a bearer token stands for; None if it is not valid now.

    A ``command`` asks the credential store whatever was checked before; a read may rely on a
    check made within ``checked.max_age`` seconds.
    """
    parts = split_token(token)
    if parts is None:
        return None
    username, secret = parts
    account: UserAccount | None = app.cached_user(username)
    if account is None:
        return None
    hashed = token_hash(secret)
    now = app.clock.now()
    if checked is not None and not command:
        found = checked.get(hashed, account, now)
        if found is not None:
            return found
    version = account.version  # before the checks: a change while checking is seen next time
    kept = app.credentials.token(hashed)
    if kept is None or not kept.valid_for(username, now) or not account.active:
        if checked is not None:
            checked.forget(hashed)
        return None
    found = Authenticated(account.as_actor(), hashed, kept.token_id)
    if checked is not None:
        checked.put(hashed, _Checked(account, version, found, kept.expires_at, time.monotonic()))
    return found


@dataclass(frozen=True, slots=True)
class Attempt:
    """A sign-in attempt counted against its account and its address until it succeeds."""

    keys: tuple[str, ...]


class SignInLimiter:
    """At most ``per_account`` failed sign-ins per account and ``per_address`` per client
    address in each ``window``, counted in the credential store that every worker shares.

    An attempt is counted before its password is checked, so attempts at the same moment cannot
    all slip under the limit; one that succeeds is taken back, so an office signing in from one
    address is never refused for its successes.
    """

    def __init__(
        self,
        app: Thucthi,
        *,
        per_account: int = ACCOUNT_LIMIT,
        per_address: int = ADDRESS_LIMIT,
        window: timedelta = LIMIT_WINDOW,
    ) -> None:
        self.app = app
        self.per_account = per_account
        self.per_address = per_address
        self.window = window

    def attempt(self, username: str, address: str) -> Attempt:
        """Count an attempt; TooManyAttemptsError if its account or its address is over its
        limit (then it counts for neither: no password was checked)."""
        store, now = self.app.credentials, self.app.clock.now()
        limits = (
            (f"account:{username.strip().lower()[:100]}", self.per_account),
            (f"address:{address[:100]}", self.per_address),
        )
        waits = []
        for key, limit in limits:
            counted = store.count_attempt(key, now, self.window)
            if counted.count > limit:
                waits.append(counted.window_ends - now)
        attempt = Attempt(tuple(key for key, _ in limits))
        if waits:
            self.succeeded(attempt)
            raise TooManyAttemptsError(max(1, int(max(waits).total_seconds()) + 1))
        return attempt

    def succeeded(self, attempt: Attempt) -> None:
        """Take the attempt back: it succeeded (or was refused before a password was checked)."""
        for key in attempt.keys:
            self.app.credentials.forgive_attempt(key)
