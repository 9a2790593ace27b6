"""The persons' keys (``domain.shared.sealing.KeyStore``) in the application's own database, beside
the log, and the personal-data key that wraps them, in a file outside it.

Tables: ``personal_keys`` (each person's key, wrapped, and the keyed hash of their
identification number), ``personal_erased`` (the persons erased: nothing is sealed for them
again) and ``personal_vault`` (the check value of the personal-data key in use, the log position
up to which every recorded erasure is carried out, how many erasures were carried out, and an
erasure whose copies are not yet gone).

Erasing must leave no readable copy in the database (Law on Personal Data Protection 2025,
Art. 14: deleted data is protected from being restored). Deleting a row is not enough:

- SQLite leaves a deleted row's bytes in the page's free space, and the write-ahead log keeps
  the pages it was written in. Every write to these tables is made with ``PRAGMA
  secure_delete=ON``, which overwrites freed space and freed pages with zeros, and an erasure
  ends with a ``wal_checkpoint(TRUNCATE)``, which copies the zeroed pages into the database and
  empties the write-ahead log.
- PostgreSQL keeps a deleted row in its page until it is vacuumed, and a plain VACUUM does not
  overwrite it either. An erasure waits until no transaction could still see the deleted rows,
  then ``VACUUM FULL`` rewrites the key table into a new file; the old one is truncated at once.
  ANALYZE never samples the key columns (their statistics target is 0), so ``pg_statistic``
  holds no copy.

What the database's own write-ahead log (PostgreSQL), its archives and any backup hold is
beyond this: there the keys are wrapped, so useless without the personal-data key
(docs/personal-data.md says what a backup means).
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import time
import uuid
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from uuid import UUID

from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteCursor, SQLiteDatastore
from psycopg import sql

from adapters.schema import in_turn
from adapters.signing import default_key_path as default_signing_key_path
from domain.shared.personal import PersonalVault
from domain.shared.sealing import KEY_BYTES, MemoryVault, PersonalDataKeyError, Vault

KEY_VARIABLE = "THUCTHI_PERSONAL_DATA_KEY"
KEY_FILE_NAME = "personal-data.key"
# How long an erasure on PostgreSQL waits for older transactions to end before its VACUUM FULL;
# past it the erasure stands (the keys are gone) and its copies go at the next start-up.
PURGE_WAIT_SECONDS = 10.0
_LOCK_CLASS = 0x7076  # "pv": pg_advisory_xact_lock's class for a person's key
_CHECK, _ERASED_UP_TO, _PURGE = "key_check", "erased_up_to", "purge_pending"
_ERASURES = "erasures"  # how many erasures were carried out (``PersonalVault.erasures``)
_HASHES_AT_ONCE = 500  # keyed hashes in one SQLite statement (its limit of parameters: 999)


def default_key_path(environ: Mapping[str, str] | None = None) -> Path:
    """``THUCTHI_PERSONAL_DATA_KEY``, else ``personal-data.key`` beside the signing key: outside
    the database and its folder, so that a copy of the database does not carry it."""
    environ = os.environ if environ is None else environ
    if environ.get(KEY_VARIABLE):
        return Path(environ[KEY_VARIABLE])
    return default_signing_key_path(environ).with_name(KEY_FILE_NAME)


def read_secret(path: Path, *, create: bool) -> bytes:
    """The personal-data key in ``path`` (base64 of 32 random bytes), made with mode 0600 if
    missing and ``create`` (only while the database has recorded no key: a lost file must be
    restored, never silently replaced, or every person would read as erased)."""
    if not path.exists():
        if not create:
            msg = (
                f"no personal-data key at {path}, and the database's persons are sealed under "
                f"one: restore that file (kept apart from the database's backups) or set "
                f"{KEY_VARIABLE} to where it is"
            )
            raise PersonalDataKeyError(msg)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole beside it, then linked into place: processes starting together make one
        # key, and none reads a key half written (as adapters.signing does).
        written = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        descriptor = os.open(written, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(base64.b64encode(os.urandom(KEY_BYTES)) + b"\n")
        try:
            os.link(written, path)
        except FileExistsError:
            pass  # another process made it first: that key is the one
        finally:
            written.unlink()
    try:
        secret = base64.b64decode(path.read_bytes().strip(), validate=True)
    except (OSError, binascii.Error) as e:
        msg = f"cannot read the personal-data key at {path}: {e}"
        raise PersonalDataKeyError(msg) from e
    if len(secret) != KEY_BYTES:
        msg = f"{path} does not hold a personal-data key (base64 of {KEY_BYTES} bytes)"
        raise PersonalDataKeyError(msg)
    return secret


def _listed(ids: Collection[UUID]) -> str:
    """Ids as one parameter of a SQLite statement (a JSON array, read with ``json_each``): one
    statement for any number of them."""
    return json.dumps(sorted(str(i) for i in set(ids)))


class SQLiteKeys:
    """The key store in the application's SQLite file."""

    def __init__(self, datastore: SQLiteDatastore, *, create: bool = True) -> None:
        self.datastore = datastore
        self.in_memory = datastore.pool.is_sqlite_memory_mode
        if not create:
            return
        with self._writing() as c:
            # A table with rowids: ANALYZE's samples (sqlite_stat4) are of indexes, and the
            # indexes here hold ids and hashes, never a key.
            c.execute(
                "CREATE TABLE IF NOT EXISTS personal_keys (person_id TEXT PRIMARY KEY, "
                "wrapped_key BLOB NOT NULL, id_hash BLOB)"
            )
            c.execute(
                "CREATE INDEX IF NOT EXISTS personal_keys_id_hash ON personal_keys (id_hash) "
                "WHERE id_hash IS NOT NULL"
            )
            c.execute(
                "CREATE TABLE IF NOT EXISTS personal_erased (person_id TEXT PRIMARY KEY) "
                "WITHOUT ROWID"
            )
            c.execute(
                "CREATE TABLE IF NOT EXISTS personal_vault (name TEXT PRIMARY KEY, "
                "value TEXT NOT NULL) WITHOUT ROWID"
            )

    @contextmanager
    def _writing(self) -> Iterator[SQLiteCursor]:
        """A write transaction on a connection that zeroes what it frees (secure_delete is a
        setting of the connection, made before the transaction begins)."""
        with self.datastore.get_connection(commit=True) as conn:
            conn.cursor().execute("PRAGMA secure_delete=ON")
            with conn.transaction(commit=True) as c:
                yield c

    def keep(self, person_id: UUID, wrapped: bytes, id_hash: bytes | None) -> bytes | None:
        key = str(person_id)
        with self._writing() as c:
            # The write first: a writing transaction takes the write lock before it reads.
            c.execute(
                "INSERT INTO personal_keys (person_id, wrapped_key, id_hash) SELECT ?, ?, ? "
                "WHERE NOT EXISTS (SELECT 1 FROM personal_erased WHERE person_id = ?) "
                "ON CONFLICT (person_id) DO UPDATE SET id_hash = excluded.id_hash "
                "WHERE personal_keys.id_hash IS NOT excluded.id_hash",
                (key, wrapped, id_hash, key),
            )
            c.execute("SELECT wrapped_key FROM personal_keys WHERE person_id = ?", (key,))
            row = c.fetchone()
        return None if row is None else bytes(row[0])

    def wrapped_keys(self, person_ids: Collection[UUID]) -> dict[UUID, bytes]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT person_id, wrapped_key FROM personal_keys "
                "WHERE person_id IN (SELECT value FROM json_each(?))",
                (_listed(person_ids),),
            )
            return {UUID(row[0]): bytes(row[1]) for row in c.fetchall()}

    def with_id_hash(self, id_hash: bytes) -> tuple[UUID, ...]:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT person_id FROM personal_keys WHERE id_hash = ? ORDER BY person_id",
                (id_hash,),
            )
            return tuple(UUID(row[0]) for row in c.fetchall())

    def with_id_hashes(self, id_hashes: Collection[bytes]) -> dict[UUID, bytes]:
        hashes = sorted(set(id_hashes))
        found: dict[UUID, bytes] = {}
        with self.datastore.transaction(commit=False) as c:
            for start in range(0, len(hashes), _HASHES_AT_ONCE):
                chunk = hashes[start : start + _HASHES_AT_ONCE]
                marks = ",".join("?" * len(chunk))
                c.execute(
                    f"SELECT person_id, id_hash FROM personal_keys WHERE id_hash IN ({marks})",  # noqa: S608 - only the marks are written in; the hashes are bound
                    chunk,
                )
                found.update({UUID(row[0]): bytes(row[1]) for row in c.fetchall()})
        return found

    def destroy(self, person_ids: Collection[UUID], *, up_to: int | None = None) -> int:
        ids = sorted(set(person_ids))
        if not ids and (up_to is None or up_to <= self.erased_up_to()) and not self._pending():
            return 0
        destroyed = 0
        with self._writing() as c:
            c.execute(
                "INSERT INTO personal_vault (name, value) VALUES (?, ?) ON CONFLICT (name) "
                "DO UPDATE SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS "
                "INTEGER))",
                (_ERASED_UP_TO, up_to or 0),
            )
            if ids:
                listed = _listed(ids)
                c.execute(
                    "INSERT INTO personal_erased (person_id) SELECT value FROM json_each(?) "
                    "WHERE true ON CONFLICT DO NOTHING",
                    (listed,),
                )
                c.execute(
                    "DELETE FROM personal_keys WHERE person_id IN "
                    "(SELECT value FROM json_each(?)) RETURNING person_id",
                    (listed,),
                )
                destroyed = len(c.fetchall())
            if destroyed:
                c.execute(
                    "INSERT INTO personal_vault (name, value) VALUES (?, '1') ON CONFLICT (name) "
                    "DO UPDATE SET value = CAST(value AS INTEGER) + 1",
                    (_ERASURES,),
                )
                c.execute(
                    "INSERT INTO personal_vault (name, value) VALUES (?, '1') "
                    "ON CONFLICT (name) DO NOTHING",
                    (_PURGE,),
                )
        if self._pending():
            self.purge()
        return destroyed

    def _pending(self) -> bool:
        return self._meta(_PURGE) is not None

    def purge(self) -> bool:
        """Copy the zeroed pages into the database and empty the write-ahead log, where the
        destroyed keys' pages were written; False if readers kept it from finishing (it is
        tried again with the next erasure, and at start-up)."""
        if not self.in_memory:
            with self.datastore.get_connection(commit=True) as conn:
                cursor = conn.cursor()
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                busy = cursor.fetchone()[0]
            if busy:
                return False
        with self._writing() as c:
            c.execute("DELETE FROM personal_vault WHERE name = ?", (_PURGE,))
        return True

    def erased_up_to(self) -> int:
        value = self._meta(_ERASED_UP_TO)
        return 0 if value is None else int(value)

    def erasures(self) -> int:
        value = self._meta(_ERASURES)
        return 0 if value is None else int(value)

    def key_check(self, check: str | None = None) -> str | None:
        if check is not None:
            with self._writing() as c:
                c.execute(
                    "INSERT INTO personal_vault (name, value) VALUES (?, ?) "
                    "ON CONFLICT (name) DO NOTHING",
                    (_CHECK, check),
                )
        return self._meta(_CHECK)

    def _meta(self, name: str) -> str | None:
        with self.datastore.transaction(commit=False) as c:
            c.execute("SELECT value FROM personal_vault WHERE name = ?", (name,))
            row = c.fetchone()
        return None if row is None else str(row[0])


class PostgresKeys:
    """The key store in the application's PostgreSQL schema."""

    def __init__(self, datastore: PostgresDatastore, *, create: bool = True) -> None:
        self.datastore = datastore
        schema = sql.Identifier(datastore.schema)
        self.keys = sql.SQL("{}.personal_keys").format(schema)
        self.erased = sql.SQL("{}.personal_erased").format(schema)
        self.meta = sql.SQL("{}.personal_vault").format(schema)
        self.purge_wait = PURGE_WAIT_SECONDS
        if not create:
            return
        with datastore.transaction(commit=True) as c:
            c.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (person_id uuid PRIMARY KEY, "
                    "wrapped_key bytea NOT NULL, id_hash bytea)"
                ).format(self.keys)
            )
            # ANALYZE would keep sampled values of these columns in pg_statistic, a copy that
            # outlives the row.
            c.execute(
                sql.SQL(
                    "ALTER TABLE {} ALTER COLUMN wrapped_key SET STATISTICS 0, "
                    "ALTER COLUMN id_hash SET STATISTICS 0"
                ).format(self.keys)
            )
            c.execute(
                sql.SQL(
                    "CREATE INDEX IF NOT EXISTS personal_keys_id_hash ON {} (id_hash) "
                    "WHERE id_hash IS NOT NULL"
                ).format(self.keys)
            )
            c.execute(
                sql.SQL("CREATE TABLE IF NOT EXISTS {} (person_id uuid PRIMARY KEY)").format(
                    self.erased
                )
            )
            c.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (name text PRIMARY KEY, value text NOT NULL)"
                ).format(self.meta)
            )

    def keep(self, person_id: UUID, wrapped: bytes, id_hash: bytes | None) -> bytes | None:
        with self.datastore.transaction(commit=True) as c:
            # In turn with an erasure of the same person: one is not left unseen by the other.
            c.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (_LOCK_CLASS, str(person_id))
            )
            c.execute(
                sql.SQL(
                    "INSERT INTO {} AS k (person_id, wrapped_key, id_hash) SELECT %s, %s, %s "
                    "WHERE NOT EXISTS (SELECT 1 FROM {} WHERE person_id = %s) "
                    "ON CONFLICT (person_id) DO UPDATE SET id_hash = EXCLUDED.id_hash "
                    "WHERE k.id_hash IS DISTINCT FROM EXCLUDED.id_hash RETURNING wrapped_key"
                ).format(self.keys, self.erased),
                (person_id, wrapped, id_hash, person_id),
            )
            row = c.fetchone()
            if row is None:
                c.execute(
                    sql.SQL("SELECT wrapped_key FROM {} WHERE person_id = %s").format(self.keys),
                    (person_id,),
                )
                row = c.fetchone()
        return None if row is None else bytes(row["wrapped_key"])

    def wrapped_keys(self, person_ids: Collection[UUID]) -> dict[UUID, bytes]:
        rows = self._all(
            sql.SQL("SELECT person_id, wrapped_key FROM {} WHERE person_id = ANY(%s)").format(
                self.keys
            ),
            (list(set(person_ids)),),
        )
        return {row["person_id"]: bytes(row["wrapped_key"]) for row in rows}

    def with_id_hash(self, id_hash: bytes) -> tuple[UUID, ...]:
        rows = self._all(
            sql.SQL("SELECT person_id FROM {} WHERE id_hash = %s ORDER BY person_id").format(
                self.keys
            ),
            (id_hash,),
        )
        return tuple(row["person_id"] for row in rows)

    def with_id_hashes(self, id_hashes: Collection[bytes]) -> dict[UUID, bytes]:
        rows = self._all(
            sql.SQL("SELECT person_id, id_hash FROM {} WHERE id_hash = ANY(%s)").format(self.keys),
            (list(set(id_hashes)),),
        )
        return {row["person_id"]: bytes(row["id_hash"]) for row in rows}

    def destroy(self, person_ids: Collection[UUID], *, up_to: int | None = None) -> int:
        ids = sorted(set(person_ids))
        pending = self._meta(_PURGE)
        if not ids and (up_to is None or up_to <= self.erased_up_to()) and pending is None:
            return 0
        destroyed = 0
        with self.datastore.transaction(commit=True) as c:
            if ids:
                c.execute(
                    "SELECT pg_advisory_xact_lock(%s, hashtext(x::text)) "
                    "FROM unnest(%s::uuid[]) AS x ORDER BY x",
                    (_LOCK_CLASS, ids),
                )
                c.execute(
                    sql.SQL(
                        "INSERT INTO {} (person_id) SELECT unnest(%s::uuid[]) "
                        "ON CONFLICT DO NOTHING"
                    ).format(self.erased),
                    (ids,),
                )
                c.execute(
                    sql.SQL("DELETE FROM {} WHERE person_id = ANY(%s)").format(self.keys),
                    (ids,),
                )
                destroyed = c.rowcount
            if destroyed:
                c.execute(
                    sql.SQL(
                        "INSERT INTO {} AS m (name, value) VALUES (%s, '1') ON CONFLICT (name) "
                        "DO UPDATE SET value = (m.value::bigint + 1)::text"
                    ).format(self.meta),
                    (_ERASURES,),
                )
            if up_to is not None:
                c.execute(
                    sql.SQL(
                        "INSERT INTO {} AS m (name, value) VALUES (%s, %s) ON CONFLICT (name) "
                        "DO UPDATE SET value = GREATEST(m.value::bigint, "
                        "EXCLUDED.value::bigint)::text"
                    ).format(self.meta),
                    (_ERASED_UP_TO, str(up_to)),
                )
            if destroyed:
                # The transaction that deleted them: whoever began before it may still see
                # the rows, and VACUUM keeps what someone may still see.
                c.execute(
                    sql.SQL(
                        "INSERT INTO {} (name, value) VALUES (%s, pg_current_xact_id()::xid::text) "
                        "ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value RETURNING value"
                    ).format(self.meta),
                    (_PURGE,),
                )
                row = c.fetchone()
                pending = None if row is None else str(row["value"])
        if pending is not None:
            self.purge(pending)
        return destroyed

    def purge(self, deleted_by: str) -> bool:
        """Once no transaction that began before ``deleted_by`` (a transaction id) is left in
        this database, rewrite the key table (VACUUM FULL); False if one outlasted
        ``purge_wait`` (it is tried again with the next erasure, and at start-up)."""
        deadline = time.monotonic() + self.purge_wait
        with self.datastore.get_connection() as conn:
            while conn.execute(_OLDER_SNAPSHOTS, {"xid": deleted_by}).fetchone() is not None:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(0.05)
            conn.execute(sql.SQL("VACUUM (FULL) {}").format(self.keys))
            conn.execute(
                sql.SQL("DELETE FROM {} WHERE name = %s AND value = %s").format(self.meta),
                (_PURGE, deleted_by),
            )
        return True

    def purge_pending(self) -> str | None:
        return self._meta(_PURGE)

    def erased_up_to(self) -> int:
        value = self._meta(_ERASED_UP_TO)
        return 0 if value is None else int(value)

    def erasures(self) -> int:
        value = self._meta(_ERASURES)
        return 0 if value is None else int(value)

    def key_check(self, check: str | None = None) -> str | None:
        if check is not None:
            with self.datastore.transaction(commit=True) as c:
                c.execute(
                    sql.SQL(
                        "INSERT INTO {} (name, value) VALUES (%s, %s) ON CONFLICT (name) DO NOTHING"
                    ).format(self.meta),
                    (_CHECK, check),
                )
        return self._meta(_CHECK)

    def _meta(self, name: str) -> str | None:
        rows = self._all(sql.SQL("SELECT value FROM {} WHERE name = %s").format(self.meta), (name,))
        return str(rows[0]["value"]) if rows else None

    def _all(self, statement: sql.Composed, params: tuple[Any, ...]) -> list[Any]:
        with self.datastore.get_connection() as conn, conn.cursor() as cursor:
            cursor.execute(statement, params)
            return cursor.fetchall()


# Is any session, prepared transaction or replication slot holding a snapshot taken (or a
# transaction begun) before the transaction %(xid)s committed? (age: how many transactions ago;
# older is more.) Every database's sessions, not only this one's: a transaction that has
# written (an xid) in another database of the server also holds back what VACUUM FULL may drop
# here (measured on PostgreSQL 15: a deleted row survived it while an INSERT ran in another
# database), so the purge waits for those too rather than leave the erased keys' bytes behind.
_OLDER_SNAPSHOTS = """
SELECT 1 FROM pg_stat_activity
 WHERE pid <> pg_backend_pid()
   AND ((backend_xmin IS NOT NULL AND age(backend_xmin) >= age(%(xid)s::xid))
     OR (backend_xid IS NOT NULL AND age(backend_xid) >= age(%(xid)s::xid)))
UNION ALL
SELECT 1 FROM pg_prepared_xacts
 WHERE age(transaction) >= age(%(xid)s::xid)
UNION ALL
SELECT 1 FROM pg_replication_slots
 WHERE (database IS NULL OR database = current_database())
   AND ((xmin IS NOT NULL AND age(xmin) >= age(%(xid)s::xid))
     OR (catalog_xmin IS NOT NULL AND age(catalog_xmin) >= age(%(xid)s::xid)))
LIMIT 1
"""


def open_vault(datastore: object, key_path: Path, *, create: bool = True) -> PersonalVault:
    """The vault for the application's datastore, its keys wrapped under the key in
    ``key_path`` (read when first needed); in memory without a datastore."""

    def secret(may_create: bool) -> bytes:
        return read_secret(key_path, create=may_create)

    if isinstance(datastore, SQLiteDatastore):
        sqlite = datastore
        return Vault(in_turn(datastore, lambda: SQLiteKeys(sqlite, create=create)), secret)
    if isinstance(datastore, PostgresDatastore):
        postgres = datastore
        return Vault(in_turn(datastore, lambda: PostgresKeys(postgres, create=create)), secret)
    return MemoryVault()
