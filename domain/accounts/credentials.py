"""Credentials beside the log: password hashes, bearer tokens and sign-in attempts.

The log records *that* a password was set or changed, a token issued or revoked, an account
disabled: by whom, when, in answer to which request. What would help to guess a credential (a
password's hash, a token's hash) lives only here, in a store of its own (``adapters.credentials``
on SQLite and PostgreSQL). A token is known to the log by a random id unrelated to its secret.

The store is also the authority a command asks whether a token may act: a revocation or a
disabling is written here before it returns, so every process sees it from its next question.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, replace
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True)
class BearerToken:
    """A token as the store knows it (by the hash of its secret), and where it stands now."""

    token_id: str
    username: str
    issued_at: datetime
    expires_at: datetime
    revoked: bool = False
    account_disabled: bool = False

    def valid_for(self, username: str, now: datetime) -> bool:
        """Whether it lets ``username`` act at ``now``."""
        return (
            self.username == username
            and not self.revoked
            and not self.account_disabled
            and now < self.expires_at
        )


@dataclass(frozen=True, slots=True)
class Attempts:
    """Sign-in attempts counted under one key in the current window."""

    count: int
    window_ends: datetime


class MemoryCredentials:
    """For ``memory://`` and a bare application: kept in this process only."""

    def __init__(self) -> None:
        self._passwords: dict[str, str] = {}
        self._disabled: set[str] = set()
        self._tokens: dict[str, BearerToken] = {}
        self._attempts: dict[str, Attempts] = {}
        self._lock = threading.Lock()

    def password_hash(self, username: str) -> str | None:
        with self._lock:
            return self._passwords.get(username)

    def set_password(
        self, username: str, password_hash: str, at: datetime, *, only_if_none: bool = False
    ) -> None:
        with self._lock:
            if not (only_if_none and username in self._passwords):
                self._passwords[username] = password_hash

    def issue(self, secret_hash: str, token: BearerToken) -> bool:
        with self._lock:
            if token.username in self._disabled:
                return False
            self._tokens[secret_hash] = token
            return True

    def token(self, secret_hash: str) -> BearerToken | None:
        with self._lock:
            token = self._tokens.get(secret_hash)
            if token is None:
                return None
            return replace(token, account_disabled=token.username in self._disabled)

    def revoke(self, username: str, token_id: str, at: datetime) -> bool:
        with self._lock:
            for secret_hash, token in self._tokens.items():
                if token.username == username and token.token_id == token_id:
                    self._tokens[secret_hash] = replace(token, revoked=True)
                    return True
            return False

    def revoke_all(self, username: str, at: datetime) -> None:
        with self._lock:
            self._revoke_all(username)

    def _revoke_all(self, username: str) -> None:
        for secret_hash, token in self._tokens.items():
            if token.username == username:
                self._tokens[secret_hash] = replace(token, revoked=True)

    def disable(self, username: str, at: datetime) -> None:
        with self._lock:
            self._disabled.add(username)
            self._revoke_all(username)

    def enable(self, username: str) -> None:
        with self._lock:
            self._disabled.discard(username)

    def count_attempt(self, key: str, at: datetime, window: timedelta) -> Attempts:
        with self._lock:
            current = self._attempts.get(key)
            if current is None or current.window_ends <= at:
                current = Attempts(1, at + window)
            else:
                current = Attempts(current.count + 1, current.window_ends)
            self._attempts[key] = current
            return current

    def forgive_attempt(self, key: str) -> None:
        with self._lock:
            current = self._attempts.get(key)
            if current is not None and current.count > 0:
                self._attempts[key] = Attempts(current.count - 1, current.window_ends)
