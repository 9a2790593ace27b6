"""The credential store (``domain.accounts.credentials.Credentials``) in the application's own
database, beside the log: on the same SQLite file or PostgreSQL schema, through the event
store's own connection pool (no connection of its own).

Tables: ``credentials`` (an account's password hash and whether it is disabled),
``bearer_tokens`` (by the SHA-256 of their secret, with the token's id, expiry and revocation) and
``sign_in_attempts`` (failed attempts per key in the current window).

Issuing a token and disabling its account may run at the same moment in two processes: on
PostgreSQL the issue reads the account's row ``FOR SHARE`` and the disabling updates it, so one
waits for the other and a token is either refused or revoked; SQLite writes one at a time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from psycopg import sql

from adapters.schema import in_turn
from domain.accounts.credentials import Attempts, BearerToken, MemoryCredentials
from domain.ports import Credentials

# Expired tokens and ended windows are swept this long after they end, on the account's next
# sign-in and every SWEEP_EVERY-th attempt, so the tables do not grow with time.
KEEP_ENDED = timedelta(days=1)
SWEEP_EVERY = 1_000


_SQLITE_KEEP_HASH = (
    "INSERT INTO credentials (username, password_hash, changed_at) VALUES (?, ?, ?) "
    "ON CONFLICT (username) DO UPDATE SET password_hash = excluded.password_hash, "
    "changed_at = excluded.changed_at"
)
_SQLITE_KEEP_HASH_IF_NONE = _SQLITE_KEEP_HASH + " WHERE credentials.password_hash IS NULL"


class SQLiteCredentials:
    """The credential store in the application's SQLite file."""

    def __init__(self, datastore: SQLiteDatastore, *, create: bool = True) -> None:
        self.datastore = datastore
        self._attempts = 0
        if not create:
            return
        with datastore.transaction(commit=True) as c:
            c.execute(
                "CREATE TABLE IF NOT EXISTS credentials (username TEXT PRIMARY KEY, "
                "password_hash TEXT, disabled INTEGER NOT NULL DEFAULT 0, changed_at TEXT NOT NULL)"
            )
            c.execute(
                "CREATE TABLE IF NOT EXISTS bearer_tokens (secret_hash TEXT PRIMARY KEY, "
                "token_id TEXT NOT NULL UNIQUE, username TEXT NOT NULL, issued_at REAL NOT NULL, "
                "expires_at REAL NOT NULL, revoked_at REAL) WITHOUT ROWID"
            )
            c.execute(
                "CREATE INDEX IF NOT EXISTS bearer_tokens_username ON bearer_tokens (username)"
            )
            c.execute(
                "CREATE TABLE IF NOT EXISTS sign_in_attempts (key TEXT PRIMARY KEY, "
                "attempts INTEGER NOT NULL, window_ends REAL NOT NULL) WITHOUT ROWID"
            )

    def password_hash(self, username: str) -> str | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT password_hash FROM credentials WHERE username = ?", (username,))
            row = c.fetchone()
        return None if row is None else row[0]

    def set_password(
        self, username: str, password_hash: str, at: datetime, *, only_if_none: bool = False
    ) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                _SQLITE_KEEP_HASH_IF_NONE if only_if_none else _SQLITE_KEEP_HASH,
                (username, password_hash, at.isoformat()),
            )

    def issue(self, secret_hash: str, token: BearerToken) -> bool:
        # SQLite: a transaction that writes starts with a write, so that it takes the write lock
        # (waiting for it if need be) before it reads anything another writer could change.
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "DELETE FROM bearer_tokens WHERE username = ? AND expires_at < ?",
                (token.username, (token.issued_at - KEEP_ENDED).timestamp()),
            )
            c.execute("SELECT disabled FROM credentials WHERE username = ?", (token.username,))
            row = c.fetchone()
            if row is not None and row[0]:
                return False
            c.execute(
                "INSERT INTO bearer_tokens (secret_hash, token_id, username, issued_at, "
                "expires_at) VALUES (?, ?, ?, ?, ?)",
                (
                    secret_hash,
                    token.token_id,
                    token.username,
                    token.issued_at.timestamp(),
                    token.expires_at.timestamp(),
                ),
            )
        return True

    def token(self, secret_hash: str) -> BearerToken | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT t.token_id, t.username, t.issued_at, t.expires_at, "
                "t.revoked_at IS NOT NULL, coalesce(c.disabled, 0) FROM bearer_tokens t "
                "LEFT JOIN credentials c ON c.username = t.username WHERE t.secret_hash = ?",
                (secret_hash,),
            )
            row = c.fetchone()
        if row is None:
            return None
        return BearerToken(
            token_id=row[0],
            username=row[1],
            issued_at=datetime.fromtimestamp(row[2], UTC),
            expires_at=datetime.fromtimestamp(row[3], UTC),
            revoked=bool(row[4]),
            account_disabled=bool(row[5]),
        )

    def revoke(self, username: str, token_id: str, at: datetime) -> bool:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "UPDATE bearer_tokens SET revoked_at = coalesce(revoked_at, ?) "
                "WHERE token_id = ? AND username = ? RETURNING token_id",
                (at.timestamp(), token_id, username),
            )
            return c.fetchone() is not None

    def revoke_all(self, username: str, at: datetime) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "UPDATE bearer_tokens SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL",
                (at.timestamp(), username),
            )

    def disable(self, username: str, at: datetime) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "INSERT INTO credentials (username, disabled, changed_at) VALUES (?, 1, ?) "
                "ON CONFLICT (username) DO UPDATE SET disabled = 1",
                (username, at.isoformat()),
            )
            c.execute(
                "UPDATE bearer_tokens SET revoked_at = ? WHERE username = ? AND revoked_at IS NULL",
                (at.timestamp(), username),
            )

    def enable(self, username: str) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute("UPDATE credentials SET disabled = 0 WHERE username = ?", (username,))

    def count_attempt(self, key: str, at: datetime, window: timedelta) -> Attempts:
        now, ends = at.timestamp(), (at + window).timestamp()
        with self.datastore.transaction(commit=True) as c:
            # One statement, so attempts at the same moment are counted one after the other.
            c.execute(
                "INSERT INTO sign_in_attempts (key, attempts, window_ends) VALUES (?, 1, ?) "
                "ON CONFLICT (key) DO UPDATE SET "
                "attempts = CASE WHEN window_ends <= ? THEN 1 ELSE attempts + 1 END, "
                "window_ends = CASE WHEN window_ends <= ? THEN excluded.window_ends "
                "ELSE window_ends END RETURNING attempts, window_ends",
                (key, ends, now, now),
            )
            row = c.fetchone()
            self._attempts += 1
            if self._attempts % SWEEP_EVERY == 0:
                c.execute(
                    "DELETE FROM sign_in_attempts WHERE window_ends < ?",
                    ((at - KEEP_ENDED).timestamp(),),
                )
        return Attempts(row[0], datetime.fromtimestamp(row[1], UTC))

    def forgive_attempt(self, key: str) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                "UPDATE sign_in_attempts SET attempts = attempts - 1 "
                "WHERE key = ? AND attempts > 0",
                (key,),
            )


class PostgresCredentials:
    """The credential store in the application's PostgreSQL schema."""

    def __init__(self, datastore: PostgresDatastore, *, create: bool = True) -> None:
        self.datastore = datastore
        self._attempts = 0
        schema = sql.Identifier(datastore.schema)
        self.accounts = sql.SQL("{}.credentials").format(schema)
        self.tokens = sql.SQL("{}.bearer_tokens").format(schema)
        self.attempts = sql.SQL("{}.sign_in_attempts").format(schema)
        if not create:
            return
        with datastore.transaction(commit=True) as c:
            # Processes starting at the same moment (serve, projections run) create these one
            # after the other: concurrent CREATE ... IF NOT EXISTS can still collide in pg_type.
            c.execute("SELECT pg_advisory_xact_lock(hashtext('thucthi credential tables'))")
            c.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (username text PRIMARY KEY, "
                    "password_hash text, disabled boolean NOT NULL DEFAULT false, "
                    "changed_at timestamptz NOT NULL)"
                ).format(self.accounts)
            )
            c.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (secret_hash text PRIMARY KEY, "
                    "token_id text NOT NULL UNIQUE, username text NOT NULL, "
                    "issued_at timestamptz NOT NULL, expires_at timestamptz NOT NULL, "
                    "revoked_at timestamptz)"
                ).format(self.tokens)
            )
            c.execute(
                sql.SQL(
                    "CREATE INDEX IF NOT EXISTS bearer_tokens_username ON {} (username)"
                ).format(self.tokens)
            )
            c.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (key text PRIMARY KEY, "
                    "attempts integer NOT NULL, window_ends timestamptz NOT NULL)"
                ).format(self.attempts)
            )

    def _one(self, statement: sql.Composed, params: tuple[Any, ...], *, commit: bool) -> Any:
        if commit:
            with self.datastore.transaction(commit=True) as c:
                c.execute(statement, params)
                return c.fetchone()
        # A read is one statement on an autocommit connection: one round trip, prepared, since
        # every command asks it (a transaction around it took three).
        with self.datastore.get_connection() as conn, conn.cursor() as cursor:
            cursor.execute(statement, params, prepare=True)
            return cursor.fetchone()

    def password_hash(self, username: str) -> str | None:
        row = self._one(
            sql.SQL("SELECT password_hash FROM {} WHERE username = %s").format(self.accounts),
            (username,),
            commit=False,
        )
        return None if row is None else row["password_hash"]

    def set_password(
        self, username: str, password_hash: str, at: datetime, *, only_if_none: bool = False
    ) -> None:
        keep = sql.SQL("WHERE credentials.password_hash IS NULL" if only_if_none else "")
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                sql.SQL(
                    "INSERT INTO {} AS credentials (username, password_hash, changed_at) "
                    "VALUES (%s, %s, %s) ON CONFLICT (username) DO UPDATE SET "
                    "password_hash = EXCLUDED.password_hash, changed_at = EXCLUDED.changed_at {}"
                ).format(self.accounts, keep),
                (username, password_hash, at),
            )

    def issue(self, secret_hash: str, token: BearerToken) -> bool:
        with self.datastore.transaction(commit=True) as c:
            # FOR SHARE: a disabling of the account at this moment waits for this transaction
            # (and then revokes the token), or this one waits for it (and refuses).
            c.execute(
                sql.SQL("SELECT disabled FROM {} WHERE username = %s FOR SHARE").format(
                    self.accounts
                ),
                (token.username,),
            )
            row = c.fetchone()
            if row is not None and row["disabled"]:
                return False
            c.execute(
                sql.SQL("DELETE FROM {} WHERE username = %s AND expires_at < %s").format(
                    self.tokens
                ),
                (token.username, token.issued_at - KEEP_ENDED),
            )
            c.execute(
                sql.SQL(
                    "INSERT INTO {} (secret_hash, token_id, username, issued_at, expires_at) "
                    "VALUES (%s, %s, %s, %s, %s)"
                ).format(self.tokens),
                (secret_hash, token.token_id, token.username, token.issued_at, token.expires_at),
            )
        return True

    def token(self, secret_hash: str) -> BearerToken | None:
        row = self._one(
            sql.SQL(
                "SELECT t.token_id, t.username, t.issued_at, t.expires_at, "
                "t.revoked_at IS NOT NULL AS revoked, coalesce(c.disabled, false) AS disabled "
                "FROM {} t LEFT JOIN {} c ON c.username = t.username WHERE t.secret_hash = %s"
            ).format(self.tokens, self.accounts),
            (secret_hash,),
            commit=False,
        )
        if row is None:
            return None
        return BearerToken(
            token_id=row["token_id"],
            username=row["username"],
            issued_at=row["issued_at"],
            expires_at=row["expires_at"],
            revoked=row["revoked"],
            account_disabled=row["disabled"],
        )

    def revoke(self, username: str, token_id: str, at: datetime) -> bool:
        row = self._one(
            sql.SQL(
                "UPDATE {} SET revoked_at = coalesce(revoked_at, %s) "
                "WHERE token_id = %s AND username = %s RETURNING token_id"
            ).format(self.tokens),
            (at, token_id, username),
            commit=True,
        )
        return row is not None

    def revoke_all(self, username: str, at: datetime) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                sql.SQL(
                    "UPDATE {} SET revoked_at = %s WHERE username = %s AND revoked_at IS NULL"
                ).format(self.tokens),
                (at, username),
            )

    def disable(self, username: str, at: datetime) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                sql.SQL(
                    "INSERT INTO {} (username, disabled, changed_at) VALUES (%s, true, %s) "
                    "ON CONFLICT (username) DO UPDATE SET disabled = true"
                ).format(self.accounts),
                (username, at),
            )
            c.execute(
                sql.SQL(
                    "UPDATE {} SET revoked_at = %s WHERE username = %s AND revoked_at IS NULL"
                ).format(self.tokens),
                (at, username),
            )

    def enable(self, username: str) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                sql.SQL("UPDATE {} SET disabled = false WHERE username = %s").format(self.accounts),
                (username,),
            )

    def count_attempt(self, key: str, at: datetime, window: timedelta) -> Attempts:
        with self.datastore.transaction(commit=True) as c:
            # One upsert: attempts at the same moment queue on the key's row.
            c.execute(
                sql.SQL(
                    "INSERT INTO {} AS a (key, attempts, window_ends) VALUES (%s, 1, %s) "
                    "ON CONFLICT (key) DO UPDATE SET "
                    "attempts = CASE WHEN a.window_ends <= %s THEN 1 ELSE a.attempts + 1 END, "
                    "window_ends = CASE WHEN a.window_ends <= %s THEN EXCLUDED.window_ends "
                    "ELSE a.window_ends END RETURNING attempts, window_ends"
                ).format(self.attempts),
                (key, at + window, at, at),
            )
            counted = c.fetchone()
            self._attempts += 1
            if self._attempts % SWEEP_EVERY == 0:
                c.execute(
                    sql.SQL("DELETE FROM {} WHERE window_ends < %s").format(self.attempts),
                    (at - KEEP_ENDED,),
                )
        row: Any = counted  # an upsert with RETURNING always returns its row
        return Attempts(row["attempts"], row["window_ends"])

    def forgive_attempt(self, key: str) -> None:
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                sql.SQL(
                    "UPDATE {} SET attempts = attempts - 1 WHERE key = %s AND attempts > 0"
                ).format(self.attempts),
                (key,),
            )


def open_credentials(datastore: object, *, create: bool = True) -> Credentials:
    """The credential store for the application's datastore (in memory without one)."""
    if isinstance(datastore, SQLiteDatastore):
        sqlite = datastore
        return in_turn(datastore, lambda: SQLiteCredentials(sqlite, create=create))
    if isinstance(datastore, PostgresDatastore):
        postgres = datastore
        return in_turn(datastore, lambda: PostgresCredentials(postgres, create=create))
    return MemoryCredentials()
