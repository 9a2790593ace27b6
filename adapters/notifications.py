"""The notifications' store, beside the log (the same SQLite file or PostgreSQL schema, through
the event store's own pool): what the scheduler decided, who was told what, and the outbox.

Tables: ``notify_state`` (one row: the log position decided up to and the last city day swept),
``notify_people`` and ``notify_directives`` (what the rules keep of the accounts and the
directives, written with the position that brought them), ``notify_addresses`` (a person's
e-mail address: personal data, so never in the log), ``notifications`` (each notice, unique by
its key, with the digest that carried it) and ``notify_mails`` (the outbox: one digest per person
per day, unique by both, pending until sent).

Every decision is written in one transaction that first moves ``notify_state`` on from where it
was read (``UPDATE … WHERE position = old``): a second scheduler that decided the same stretch
finds the row moved and rolls back, and a scheduler killed before its commit left nothing, so a
notice is decided once whatever stops when. The statements are written once with
``psycopg.sql`` and rendered for each backend.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol
from uuid import UUID

from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from psycopg import sql

from adapters.schema import in_turn
from domain.accounts.account import Language
from domain.notifications.rules import Kind, Notice, Person, Tracked
from domain.shared.actors import Role

_TABLES = (
    "notify_state",
    "notify_people",
    "notify_directives",
    "notify_addresses",
    "notifications",
    "notify_mails",
)
NOT_MAILED = 0  # a notice's mail_id when its person had no address: told in the app only


class MovedError(Exception):
    """Another scheduler moved the state first: this decision is not written."""


@dataclass(frozen=True, slots=True)
class StoredNotice:
    id: int
    kind: Kind
    reference: str
    title: str
    values: dict[str, str]
    day: date
    decided_at: datetime
    mailed: bool


@dataclass(frozen=True, slots=True)
class StoredMail:
    id: int
    username: str
    day: date
    address: str
    subject: str
    body: str
    message_id: str
    attempts: int


# What a digest tells: each notice's kind, reference, title and values.
Told = Sequence[tuple[Kind, str, str, dict[str, str]]]
# The digest of one person (name, language, day, notices), as its subject and body.
Composer = Callable[[str, Language, date, Told], tuple[str, str]]


class Cursor(Protocol):
    def execute(self, statement: Any, params: Any = ...) -> Any: ...
    def fetchone(self) -> Any: ...
    def fetchall(self) -> Any: ...


def _rowcount(c: Cursor) -> int:
    """The rows the last statement changed (SQLite's cursor of the library hides it)."""
    underlying: Any = getattr(c, "sqlite_cursor", c)
    return int(underlying.rowcount)


def _epoch(moment: datetime) -> float:
    return moment.timestamp()


def _moment(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, UTC)


class NotificationStore:
    """One store over either backend: only the rendering of a statement differs."""

    def __init__(self, datastore: PostgresDatastore | SQLiteDatastore) -> None:
        self.datastore = datastore
        self.postgres = isinstance(datastore, PostgresDatastore)
        schema = datastore.schema if isinstance(datastore, PostgresDatastore) else None
        self._names = {
            t: sql.Identifier(schema, t) if schema else sql.Identifier(t) for t in _TABLES
        }
        self._rendered: dict[str, Any] = {}

    # --- statements ------------------------------------------------------------------------

    def _q(self, template: str) -> Any:
        """The statement for this backend: the tables named in its schema on PostgreSQL,
        ``?`` for ``%s`` on SQLite."""
        found = self._rendered.get(template)
        if found is None:
            found = self._render(sql.SQL(template).format(**self._names))
            self._rendered[template] = found
        return found

    def _render(self, composed: sql.Composed) -> Any:
        return composed if self.postgres else composed.as_string(None).replace("%s", "?")

    def _q_in(self, template: str, count: int) -> Any:
        """A statement whose ``{ids}`` is a list of ``count`` parameters."""
        ids = sql.SQL(", ").join([sql.Placeholder()] * count)
        return self._render(sql.SQL(template).format(ids=ids, **self._names))

    @contextmanager
    def _tx(self, *, commit: bool) -> Iterator[Cursor]:
        with self.datastore.transaction(commit=commit) as c:
            yield c

    def create_tables(self) -> None:
        serial = "bigserial PRIMARY KEY" if self.postgres else "INTEGER PRIMARY KEY"
        real = "double precision" if self.postgres else "REAL"
        statements = (
            "CREATE TABLE IF NOT EXISTS {notify_state} (id integer PRIMARY KEY CHECK (id = 1), "
            "position bigint NOT NULL, swept_through text)",
            "CREATE TABLE IF NOT EXISTS {notify_people} (username text PRIMARY KEY, "
            "name text NOT NULL, role text NOT NULL, unit text, active integer NOT NULL, "
            "language text NOT NULL)",
            "CREATE TABLE IF NOT EXISTS {notify_directives} (directive_id text PRIMARY KEY, "
            "reference text NOT NULL, title text NOT NULL, lead_unit text NOT NULL, "
            "coordinators text NOT NULL, deadline text, waiting integer NOT NULL, "
            "open integer NOT NULL)",
            "CREATE TABLE IF NOT EXISTS {notify_addresses} (username text PRIMARY KEY, "
            "address text NOT NULL)",
            f"CREATE TABLE IF NOT EXISTS {{notifications}} (id {serial}, key text NOT NULL "
            "UNIQUE, username text NOT NULL, kind text NOT NULL, reference text NOT NULL, "
            f"title text NOT NULL, vals text NOT NULL, day text NOT NULL, decided_at {real} "
            "NOT NULL, mail_id bigint)",
            f"CREATE TABLE IF NOT EXISTS {{notify_mails}} (id {serial}, username text NOT NULL, "
            "day text NOT NULL, language text NOT NULL, address text NOT NULL, "
            "subject text NOT NULL, body text NOT NULL, message_id text NOT NULL, "
            f"status text NOT NULL, attempts integer NOT NULL, next_attempt_at {real} NOT NULL, "
            f"lease_until {real}, sent_at {real}, last_error text, UNIQUE (username, day))",
        )
        indexes = (
            "CREATE INDEX IF NOT EXISTS notifications_by_person ON {notifications} (username, id)",
            "CREATE INDEX IF NOT EXISTS notifications_to_mail ON {notifications} (username) "
            "WHERE mail_id IS NULL",
            "CREATE INDEX IF NOT EXISTS notify_mails_pending ON {notify_mails} "
            "(next_attempt_at) WHERE status = 'pending'",
        )

        def create() -> None:
            with self._tx(commit=True) as c:
                for statement in statements:
                    c.execute(self._q(statement))
                for statement in indexes:
                    c.execute(self._q(statement))
                c.execute(
                    self._q(
                        "INSERT INTO {notify_state} (id, position, swept_through) "
                        "VALUES (1, 0, NULL) ON CONFLICT (id) DO NOTHING"
                    )
                )

        in_turn(self.datastore, create)

    # --- reading what was decided ------------------------------------------------------------

    def state(self) -> tuple[int, date | None]:
        """The position decided up to, and the last city day swept (None: none yet)."""
        with self._tx(commit=False) as c:
            c.execute(self._q("SELECT position, swept_through FROM {notify_state}"))
            row = c.fetchone()
        swept = row["swept_through"]
        return int(row["position"]), (date.fromisoformat(swept) if swept else None)

    def people(self) -> list[Person]:
        with self._tx(commit=False) as c:
            c.execute(self._q("SELECT * FROM {notify_people}"))
            rows = c.fetchall()
        return [
            Person(
                r["username"],
                Role(r["role"]),
                r["unit"],
                bool(r["active"]),
                Language(r["language"]),
                r["name"],
            )
            for r in rows
        ]

    def directives(self, ids: Sequence[UUID] | None = None) -> list[Tracked]:
        """The directives named, or every open one with a deadline."""
        with self._tx(commit=False) as c:
            if ids is None:
                c.execute(
                    self._q(
                        "SELECT * FROM {notify_directives} WHERE open = 1 AND deadline IS NOT NULL"
                    )
                )
                rows = c.fetchall()
            else:
                rows = []
                for chunk in range(0, len(ids), 500):
                    some = [str(i) for i in ids[chunk : chunk + 500]]
                    c.execute(
                        self._q_in(
                            "SELECT * FROM {notify_directives} WHERE directive_id IN ({ids})",
                            len(some),
                        ),
                        some,
                    )
                    rows += c.fetchall()
        return [
            Tracked(
                UUID(r["directive_id"]),
                r["reference"],
                r["title"],
                r["lead_unit"],
                tuple(json.loads(r["coordinators"])),
                date.fromisoformat(r["deadline"]) if r["deadline"] else None,
                bool(r["waiting"]),
                bool(r["open"]),
            )
            for r in rows
        ]

    # --- deciding ----------------------------------------------------------------------------

    def record_events(
        self,
        *,
        old: int,
        new: int,
        people: Sequence[Person],
        directives: Sequence[Tracked],
        notices: Sequence[Notice],
        at: datetime,
    ) -> None:
        """The events after ``old`` up to ``new`` decided: their changes and notices with the
        new position, in one transaction; MovedError if the position is no longer ``old``."""
        with self._tx(commit=True) as c:
            c.execute(
                self._q("UPDATE {notify_state} SET position = %s WHERE position = %s"), (new, old)
            )
            if _rowcount(c) != 1:
                raise MovedError(old)
            for p in people:
                c.execute(
                    self._q(
                        "INSERT INTO {notify_people} (username, name, role, unit, active, "
                        "language) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (username) DO "
                        "UPDATE SET name = excluded.name, role = excluded.role, unit = "
                        "excluded.unit, active = excluded.active, language = excluded.language"
                    ),
                    (p.username, p.name, p.role.value, p.unit, int(p.active), p.language.value),
                )
            for d in directives:
                c.execute(
                    self._q(
                        "INSERT INTO {notify_directives} (directive_id, reference, title, "
                        "lead_unit, coordinators, deadline, waiting, open) VALUES "
                        "(%s, %s, %s, %s, %s, %s, %s, %s) ON CONFLICT (directive_id) DO UPDATE "
                        "SET lead_unit = excluded.lead_unit, coordinators = "
                        "excluded.coordinators, deadline = excluded.deadline, waiting = "
                        "excluded.waiting, open = excluded.open"
                    ),
                    (
                        str(d.directive_id),
                        d.reference,
                        d.title,
                        d.lead_unit,
                        json.dumps(list(d.coordinators)),
                        d.deadline.isoformat() if d.deadline else None,
                        int(d.waiting),
                        int(d.open),
                    ),
                )
            self._insert(c, notices, at)

    def record_day(
        self, previous: date | None, day: date, notices: Sequence[Notice], at: datetime
    ) -> None:
        """The day swept: its notices, in one transaction with the day; MovedError if the last
        day swept is no longer ``previous``."""
        with self._tx(commit=True) as c:
            if previous is None:
                c.execute(
                    self._q(
                        "UPDATE {notify_state} SET swept_through = %s WHERE swept_through IS NULL"
                    ),
                    (day.isoformat(),),
                )
            else:
                c.execute(
                    self._q(
                        "UPDATE {notify_state} SET swept_through = %s WHERE swept_through = %s"
                    ),
                    (day.isoformat(), previous.isoformat()),
                )
            if _rowcount(c) != 1:
                raise MovedError(previous)
            self._insert(c, notices, at)

    def _insert(self, c: Cursor, notices: Sequence[Notice], at: datetime) -> None:
        for n in notices:
            c.execute(
                self._q(
                    "INSERT INTO {notifications} (key, username, kind, reference, title, vals, "
                    "day, decided_at, mail_id) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, NULL) "
                    "ON CONFLICT (key) DO NOTHING"
                ),
                (
                    n.key,
                    n.username,
                    n.kind.value,
                    n.reference,
                    n.title,
                    json.dumps(dict(n.values), ensure_ascii=False),
                    n.day.isoformat(),
                    _epoch(at),
                ),
            )

    # --- the outbox --------------------------------------------------------------------------

    def compose(
        self, day: date, now: datetime, composer: Composer, message_id: Callable[[int], str]
    ) -> int:
        """Each person's notices not yet mailed become that person's digest of ``day``, in one
        transaction: at most one a day (a person who had one today waits for tomorrow's), none
        without a notice, and a person with no address is told in the app only. Digests made."""
        made = 0
        with self._tx(commit=True) as c:
            c.execute(
                self._q(
                    "SELECT n.id, n.username, n.kind, n.reference, n.title, n.vals, "
                    "a.address, p.name, p.language, "
                    "(SELECT count(*) FROM {notify_mails} m WHERE m.username = n.username "
                    "AND m.day = %s) AS today FROM {notifications} n "
                    "LEFT JOIN {notify_addresses} a ON a.username = n.username "
                    "LEFT JOIN {notify_people} p ON p.username = n.username "
                    "WHERE n.mail_id IS NULL ORDER BY n.username, n.id"
                ),
                (day.isoformat(),),
            )
            rows = c.fetchall()
            by_person: dict[str, list[Any]] = {}
            for r in rows:
                by_person.setdefault(r["username"], []).append(r)
            for username, mine in by_person.items():
                first = mine[0]
                ids = [r["id"] for r in mine]
                if first["address"] is None:
                    self._mark(c, ids, NOT_MAILED)
                    continue
                if first["today"]:
                    continue
                language = Language(first["language"] or Language.VI.value)
                subject, body = composer(
                    first["name"] or username,
                    language,
                    day,
                    [
                        (Kind(r["kind"]), r["reference"], r["title"], json.loads(r["vals"]))
                        for r in mine
                    ],
                )
                c.execute(
                    self._q(
                        "INSERT INTO {notify_mails} (username, day, language, address, subject, "
                        "body, message_id, status, attempts, next_attempt_at) VALUES "
                        "(%s, %s, %s, %s, %s, %s, '', 'pending', 0, %s) RETURNING id"
                    ),
                    (
                        username,
                        day.isoformat(),
                        language.value,
                        first["address"],
                        subject,
                        body,
                        _epoch(now),
                    ),
                )
                mail_id = int(c.fetchone()["id"])
                c.execute(
                    self._q("UPDATE {notify_mails} SET message_id = %s WHERE id = %s"),
                    (message_id(mail_id), mail_id),
                )
                self._mark(c, ids, mail_id)
                made += 1
        return made

    def _mark(self, c: Cursor, ids: list[int], mail_id: int) -> None:
        for chunk in range(0, len(ids), 500):
            some = ids[chunk : chunk + 500]
            c.execute(
                self._q_in(
                    "UPDATE {notifications} SET mail_id = %s WHERE id IN ({ids})", len(some)
                ),
                (mail_id, *some),
            )

    def due_mails(self, now: datetime, limit: int = 100) -> list[StoredMail]:
        """Pending mails whose next attempt is due and that no sender holds."""
        with self._tx(commit=False) as c:
            c.execute(
                self._q(
                    "SELECT id, username, day, address, subject, body, message_id, attempts "
                    "FROM {notify_mails} WHERE status = 'pending' AND next_attempt_at <= %s "
                    "AND (lease_until IS NULL OR lease_until < %s) ORDER BY id LIMIT %s"
                ),
                (_epoch(now), _epoch(now), limit),
            )
            rows = c.fetchall()
        return [
            StoredMail(
                r["id"],
                r["username"],
                date.fromisoformat(r["day"]),
                r["address"],
                r["subject"],
                r["body"],
                r["message_id"],
                r["attempts"],
            )
            for r in rows
        ]

    def lease(self, mail_id: int, now: datetime, until: datetime) -> bool:
        """Hold a pending mail while it is sent; False if another sender holds it or it went."""
        with self._tx(commit=True) as c:
            c.execute(
                self._q(
                    "UPDATE {notify_mails} SET lease_until = %s WHERE id = %s AND status = "
                    "'pending' AND (lease_until IS NULL OR lease_until < %s)"
                ),
                (_epoch(until), mail_id, _epoch(now)),
            )
            return _rowcount(c) == 1

    def sent(self, mail_id: int, at: datetime) -> None:
        with self._tx(commit=True) as c:
            c.execute(
                self._q(
                    "UPDATE {notify_mails} SET status = 'sent', sent_at = %s, lease_until = NULL, "
                    "attempts = attempts + 1, last_error = NULL WHERE id = %s"
                ),
                (_epoch(at), mail_id),
            )

    def failed(self, mail_id: int, error: str, retry_at: datetime | None) -> None:
        """An attempt failed: tried again at ``retry_at``, or given up (None)."""
        with self._tx(commit=True) as c:
            c.execute(
                self._q(
                    "UPDATE {notify_mails} SET status = %s, attempts = attempts + 1, "
                    "next_attempt_at = %s, lease_until = NULL, last_error = %s WHERE id = %s"
                ),
                (
                    "pending" if retry_at else "failed",
                    _epoch(retry_at) if retry_at else 0.0,
                    error[:500],
                    mail_id,
                ),
            )

    def mail_counts(self) -> dict[str, int]:
        """Mails by status (pending, sent, failed)."""
        with self._tx(commit=False) as c:
            c.execute(self._q("SELECT status, count(*) AS n FROM {notify_mails} GROUP BY status"))
            return {r["status"]: int(r["n"]) for r in c.fetchall()}

    # --- people's addresses and what they were told --------------------------------------------

    def set_address(self, username: str, address: str | None) -> None:
        with self._tx(commit=True) as c:
            if address is None:
                c.execute(
                    self._q("DELETE FROM {notify_addresses} WHERE username = %s"), (username,)
                )
            else:
                c.execute(
                    self._q(
                        "INSERT INTO {notify_addresses} (username, address) VALUES (%s, %s) "
                        "ON CONFLICT (username) DO UPDATE SET address = excluded.address"
                    ),
                    (username, address),
                )

    def marker(self, username: str) -> tuple[int, int]:
        """What moves whenever what the person was told does: the newest notice's id, and how
        many of theirs are in no digest yet. A notice is only ever added (a larger id) and put in
        a digest once (one fewer waiting), so the pair never comes back to an earlier value."""
        with self._tx(commit=False) as c:
            c.execute(
                self._q(
                    "SELECT (SELECT COALESCE(max(id), 0) FROM {notifications} WHERE username = %s) "
                    "AS latest, (SELECT count(*) FROM {notifications} WHERE username = %s "
                    "AND mail_id IS NULL) AS waiting"
                ),
                (username, username),
            )
            row = c.fetchone()
        return int(row["latest"]), int(row["waiting"])

    def notices_of(
        self, username: str, *, limit: int = 50, before: int | None = None
    ) -> list[StoredNotice]:
        """What the person was told, latest first (a page of ``limit``, before id ``before``)."""
        with self._tx(commit=False) as c:
            c.execute(
                self._q(
                    "SELECT id, kind, reference, title, vals, day, decided_at, mail_id "
                    "FROM {notifications} WHERE username = %s AND id < %s ORDER BY id DESC "
                    "LIMIT %s"
                ),
                (username, before if before is not None else 2**62, limit),
            )
            rows = c.fetchall()
        return [
            StoredNotice(
                r["id"],
                Kind(r["kind"]),
                r["reference"],
                r["title"],
                json.loads(r["vals"]),
                date.fromisoformat(r["day"]),
                _moment(r["decided_at"]),
                bool(r["mail_id"]),
            )
            for r in rows
        ]


def open_notifications(datastore: object, *, create: bool = True) -> NotificationStore | None:
    """The store in the application's database; None on memory:// (nothing to keep)."""
    if not isinstance(datastore, PostgresDatastore | SQLiteDatastore):
        return None
    store = NotificationStore(datastore)
    if create:
        store.create_tables()
    return store
