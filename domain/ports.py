"""The domain's ports: what the application needs from the world, as protocols, with plain
defaults for a store that offers nothing more. Their PostgreSQL and SQLite implementations are in
``adapters/``; the composition root chooses them.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from domain.accounts.credentials import Attempts, BearerToken


class PastVersions(Protocol):
    """What rebuilding an aggregate at a version reads, in one round trip to the store.

    The newest snapshot at or before the version, then the events after it up to the version,
    in order (no snapshot: the events from the first). The library asks for the snapshot and the
    events in two queries; a store that can ask once halves the round trips of the inspectors'
    version slider (``adapters.past_versions``).
    """

    def read(self, aggregate_id: UUID, version: int) -> Sequence[StoredEvent]: ...

    def read_many(self, wanted: Mapping[UUID, int]) -> Mapping[UUID, Sequence[StoredEvent]]:
        """The same for many aggregates, each at its own version, in one round trip."""
        ...


class AggregateLocks(Protocol):
    """A lock per aggregate shared by every process using the store (e.g. PostgreSQL advisory)."""

    def hold(self, aggregate_id: UUID) -> AbstractContextManager[None]: ...

    def close(self) -> None: ...


class ChangeFeed(Protocol):
    """What this process has heard of aggregates stored by anyone, without asking the store.

    ``mark()`` is taken before reading an aggregate from the store; ``unchanged(id, version,
    mark)`` is then True only if the feed has heard of no later version of that aggregate since
    the mark. A save still in flight may not be heard of yet: state taken as unchanged is good
    for commands, which the version constraint guards, and for accounts, which are checked
    again as soon as the save is heard of. ``mark()`` is None when the feed knows nothing now.
    """

    def mark(self) -> Hashable | None: ...

    def unchanged(self, aggregate_id: UUID, version: int, mark: Hashable) -> bool: ...

    def close(self) -> None:
        """Stop listening: the application that was given the feed closes it with itself."""
        ...


class NoChangeFeed:
    """For stores that cannot tell: every read asks the store."""

    def mark(self) -> Hashable | None:
        return None

    def unchanged(self, aggregate_id: UUID, version: int, mark: Hashable) -> bool:
        return False

    def close(self) -> None:
        pass


class NoAggregateLocks:
    """For stores without cross-process locks: the version constraint and retries suffice."""

    def hold(self, aggregate_id: UUID) -> AbstractContextManager[None]:
        return nullcontext()

    def close(self) -> None:
        pass


class Credentials(Protocol):
    """The port: what the application keeps of credentials, outside the log."""

    def password_hash(self, username: str) -> str | None:
        """The account's password hash; None if it has none here."""
        ...

    def set_password(
        self, username: str, password_hash: str, at: datetime, *, only_if_none: bool = False
    ) -> None:
        """Keep a new password hash (``only_if_none``: unless one is kept already)."""
        ...

    def issue(self, secret_hash: str, token: BearerToken) -> bool:
        """Keep a new token under the hash of its secret; False if the account is disabled."""
        ...

    def token(self, secret_hash: str) -> BearerToken | None:
        """The token whose secret has this hash, revoked or not; None if there is none."""
        ...

    def revoke(self, username: str, token_id: str, at: datetime) -> bool:
        """Revoke one of the account's tokens; False if it has no token of that id."""
        ...

    def revoke_all(self, username: str, at: datetime) -> None:
        """Revoke every token of the account."""
        ...

    def disable(self, username: str, at: datetime) -> None:
        """Refuse every token of the account from now on, and revoke them all."""
        ...

    def enable(self, username: str) -> None:
        """Let the account be given tokens again (the revoked ones stay revoked)."""
        ...

    def count_attempt(self, key: str, at: datetime, window: timedelta) -> Attempts:
        """Count a sign-in attempt under ``key``: in the current window, or in a new one from
        ``at`` if it has ended. Atomic, so attempts at the same moment are all counted."""
        ...

    def forgive_attempt(self, key: str) -> None:
        """Take one attempt back (it succeeded)."""
        ...
