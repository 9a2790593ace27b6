"""The log's table on PostgreSQL, partitioned by position, and its partitions' upkeep.

A log kept for decades grows without end; PostgreSQL's native partitioning by range of the
position (``notification_id``) lets its oldest part be detached and archived
(docs/deployment.md) while the rest is read and written as before. Partitions hold
``size`` positions each (``THUCTHI_LOG_PARTITION_SIZE`` when the log is created); a default
partition takes whatever falls beyond the last one, so a save never fails for want of a
partition, and ``add`` moves such rows into the partitions it makes. The follower keeps one
empty partition ahead of the log's head (``keep_ahead``).

Archiving a partition (``archive``): every aggregate with events in it is snapshotted first, so
that its current state is still read from the database; its records are written to a file in
the form the audit trail hashes them (``projections.verify`` reads such files back with
``--archive``, and checks them against the trail and the signed checkpoints as it checks the
rest); then the partition is detached, left in the database as a table of its own for the
operator to dump and drop.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson
import psycopg
from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

DEFAULT_SIZE = 10_000_000  # positions per partition: a city's decade, a nation's year
ARCHIVE_FORMAT = "thucthi-log-archive/1"
_BOUNDS = re.compile(r"FROM \('?(-?\d+)'?\) TO \('?(-?\d+)'?\)")


class PartitionError(RuntimeError):
    """The log's partitions cannot do what was asked (a log not partitioned, a partition that
    is not there, one not yet covered by a signed checkpoint)."""


@dataclass(frozen=True, slots=True)
class Partition:
    """One partition: positions from ``first`` up to, not including, ``end``."""

    name: str
    first: int
    end: int


def partition_name(table: str, first: int) -> str:
    return f"{table}_from_{first}"[:63]


def create_partitioned(
    curs: psycopg.Cursor[Any], schema: str, table: str, id_type: str, size: int, *, ahead: int = 2
) -> bool:
    """Create the log's table partitioned, with ``ahead`` partitions and the default one,
    unless a table of that name exists (a log created before: left as it is). True if made."""
    curs.execute(
        "SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
        "ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relname = %s",
        (schema, table),
    )
    if curs.fetchone() is not None:
        return False
    parent = sql.Identifier(schema, table)
    curs.execute(
        sql.SQL(
            "CREATE TABLE {parent} (originator_id {id_type} NOT NULL, "
            "originator_version bigint NOT NULL, topic text, state bytea, "
            "notification_id bigserial NOT NULL) PARTITION BY RANGE (notification_id)"
        ).format(parent=parent, id_type=sql.Identifier(id_type))
    )
    # An aggregate's events are read by its id (and version): every partition has the index.
    curs.execute(
        sql.SQL("CREATE INDEX {} ON {} (originator_id, originator_version)").format(
            sql.Identifier(f"{table}_aggregate_idx"[:63]), parent
        )
    )
    curs.execute(
        sql.SQL("CREATE TABLE {} PARTITION OF {} DEFAULT").format(
            sql.Identifier(schema, f"{table}_default"), parent
        )
    )
    for i in range(ahead):
        first = 1 + i * size
        _create(curs, schema, table, first, first + size)
    return True


def _create(curs: psycopg.Cursor[Any], schema: str, table: str, first: int, end: int) -> None:
    curs.execute(
        sql.SQL("CREATE TABLE {} PARTITION OF {} FOR VALUES FROM ({}) TO ({})").format(
            sql.Identifier(schema, partition_name(table, first)),
            sql.Identifier(schema, table),
            sql.Literal(first),
            sql.Literal(end),
        )
    )


class LogPartitions:
    """The partitions of the log's table in a datastore (its schema)."""

    def __init__(self, datastore: PostgresDatastore, table: str) -> None:
        self.datastore = datastore
        self.schema = datastore.schema
        self.table = table

    @property
    def parent(self) -> sql.Identifier:
        return sql.Identifier(self.schema, self.table)

    @property
    def default(self) -> sql.Identifier:
        return sql.Identifier(self.schema, f"{self.table}_default")

    def partitioned(self) -> bool:
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                "SELECT c.relkind = 'p' AS p FROM pg_catalog.pg_class c JOIN "
                "pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relname = %s",
                (self.schema, self.table),
            )
            row = c.fetchone()
            return bool(row and row["p"])

    def partitions(self) -> list[Partition]:
        """The attached partitions with a range, in order (the default one aside)."""
        with self.datastore.transaction(commit=False) as c:
            return self._partitions(c)

    def _partitions(self, c: psycopg.Cursor[Any]) -> list[Partition]:
        c.execute(
            "SELECT child.relname AS name, pg_catalog.pg_get_expr(child.relpartbound, child.oid) "
            "AS bound FROM pg_catalog.pg_inherits i "
            "JOIN pg_catalog.pg_class child ON child.oid = i.inhrelid "
            "JOIN pg_catalog.pg_class parent ON parent.oid = i.inhparent "
            "JOIN pg_catalog.pg_namespace n ON n.oid = parent.relnamespace "
            "WHERE n.nspname = %s AND parent.relname = %s",
            (self.schema, self.table),
        )
        found = []
        for row in c.fetchall():
            bounds = _BOUNDS.search(row["bound"] or "")
            if bounds is not None:
                found.append(Partition(row["name"], int(bounds[1]), int(bounds[2])))
        return sorted(found, key=lambda p: p.first)

    def counts(self) -> dict[str, int]:
        """How many records each attached partition holds, the default one included (a count
        of each: for the operator's command, not for a request)."""
        names = [p.name for p in self.partitions()] + [f"{self.table}_default"]
        counted: dict[str, int] = {}
        with self.datastore.transaction(commit=False) as c:
            for name in names:
                c.execute(
                    sql.SQL("SELECT count(*) AS n FROM {}").format(
                        sql.Identifier(self.schema, name)
                    )
                )
                row = c.fetchone()
                counted[name] = int(row["n"]) if row else 0
        return counted

    def add(self, count: int = 1) -> list[Partition]:
        """``count`` partitions after the last one, of its size; rows the default partition
        took in their ranges are moved into them. In one transaction, holding the log's lock:
        saves wait for it, a moment."""
        made: list[Partition] = []
        with self.datastore.transaction(commit=True) as c:
            c.execute(sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(self.parent))
            existing = self._partitions(c)
            if not existing:
                msg = f"{self.schema}.{self.table} is not partitioned by position"
                raise PartitionError(msg)
            last = existing[-1]
            size = last.end - last.first
            for i in range(count):
                first = last.end + i * size
                made.append(self._add(c, first, first + size))
        return made

    def _add(self, c: psycopg.Cursor[Any], first: int, end: int) -> Partition:
        c.execute(
            sql.SQL(
                "SELECT EXISTS (SELECT FROM {} WHERE notification_id >= %s "
                "AND notification_id < %s) AS taken"
            ).format(self.default),
            (first, end),
        )
        row = c.fetchone()
        if row and row["taken"]:
            # Rows the default partition took move to their partition: the default one is
            # detached meanwhile, since a new partition may not cover rows it holds.
            c.execute(
                sql.SQL("ALTER TABLE {} DETACH PARTITION {}").format(self.parent, self.default)
            )
            _create(c, self.schema, self.table, first, end)
            c.execute(
                sql.SQL(
                    "WITH moved AS (DELETE FROM {} WHERE notification_id >= %s "
                    "AND notification_id < %s RETURNING *) INSERT INTO {} SELECT * FROM moved"
                ).format(
                    self.default, sql.Identifier(self.schema, partition_name(self.table, first))
                ),
                (first, end),
            )
            c.execute(
                sql.SQL("ALTER TABLE {} ATTACH PARTITION {} DEFAULT").format(
                    self.parent, self.default
                )
            )
        else:
            _create(c, self.schema, self.table, first, end)
        return Partition(partition_name(self.table, first), first, end)

    def keep_ahead(self, head: int) -> list[Partition]:
        """Partitions added until one beyond the one holding ``head`` is there, empty: the log
        never spills into the default partition while the follower runs."""
        existing = self.partitions()
        if not existing:
            return []
        last = existing[-1]
        size = last.end - last.first
        wanted = 0
        end = last.end
        while end <= head + size:
            wanted += 1
            end += size
        return self.add(wanted) if wanted else []

    def find(self, name: str) -> Partition:
        for partition in self.partitions():
            if partition.name == name:
                return partition
        msg = f"no partition {name!r} of {self.schema}.{self.table} is attached"
        raise PartitionError(msg)

    def records(self, partition: Partition, page: int = 5_000) -> Iterator[tuple[int, bytes]]:
        """The partition's records, in position order, as the audit trail hashes them
        (``readmodels.audit_postgres``: big-endian position, the id's 16 bytes, version, the
        topic's length and text, the state)."""
        table = sql.Identifier(self.schema, partition.name)
        after = partition.first - 1
        while True:
            with self.datastore.transaction(commit=False) as c:
                c.execute(
                    sql.SQL(
                        "SELECT notification_id AS p, pg_catalog.int8send(notification_id)"
                        " || pg_catalog.uuid_send(originator_id::uuid)"
                        " || pg_catalog.int8send(originator_version)"
                        " || pg_catalog.int2send(pg_catalog.octet_length(topic)::int2)"
                        " || pg_catalog.convert_to(topic, 'UTF8') || state AS r"
                        " FROM {} WHERE notification_id > %s ORDER BY notification_id LIMIT %s"
                    ).format(table),
                    (after, page),
                )
                rows = c.fetchall()
            if not rows:
                return
            for row in rows:
                yield int(row["p"]), bytes(row["r"])
            after = int(rows[-1]["p"])

    def aggregates(self, partition: Partition) -> list[str]:
        """The ids of the aggregates with events in the partition."""
        with self.datastore.transaction(commit=False) as c:
            c.execute(
                sql.SQL("SELECT DISTINCT originator_id::text AS id FROM {}").format(
                    sql.Identifier(self.schema, partition.name)
                )
            )
            return [row["id"] for row in c.fetchall()]

    def detach(self, partition: Partition) -> None:
        """The partition leaves the log; it stays in the schema as a table of its own."""
        with self.datastore.transaction(commit=True) as c:
            c.execute(
                sql.SQL("ALTER TABLE {} DETACH PARTITION {}").format(
                    self.parent, sql.Identifier(self.schema, partition.name)
                )
            )


@dataclass(frozen=True, slots=True)
class Archive:
    """An archived partition read back: its header and its records, in position order."""

    header: dict[str, Any]
    records: list[tuple[int, bytes]]

    @property
    def first(self) -> int:
        return int(self.header["first"])

    @property
    def end(self) -> int:
        return int(self.header["end"])


def write_archive(
    path: Path, partitions: LogPartitions, partition: Partition, origin: str
) -> dict[str, Any]:
    """The partition's records to ``path`` (JSON Lines: a header, then one base64 record a
    line, then a trailer with their count and SHA-256); the header and trailer returned."""
    digest = hashlib.sha256()
    count = 0
    last = None
    header = {
        "format": ARCHIVE_FORMAT,
        "origin": origin,
        "table": f"{partitions.schema}.{partitions.table}",
        "partition": partition.name,
        "first": partition.first,
        "end": partition.end,
    }
    with path.open("wb") as out:
        out.write(orjson.dumps(header) + b"\n")
        for position, record in partitions.records(partition):
            digest.update(record)
            out.write(base64.b64encode(record) + b"\n")
            count += 1
            last = position
        trailer = {"records": count, "last": last, "sha256": digest.hexdigest()}
        out.write(orjson.dumps(trailer) + b"\n")
    return {**header, **trailer}


def read_archive(path: Path) -> Archive:
    """An archive file read back and checked whole (its count, its digest, each record's
    position within its range); ``PartitionError`` saying what is wrong with it."""
    try:
        lines = path.read_bytes().splitlines()
    except OSError as e:
        msg = f"cannot read the archive {path}: {e}"
        raise PartitionError(msg) from None
    try:
        header = orjson.loads(lines[0])
        trailer = orjson.loads(lines[-1])
        records_text = lines[1:-1]
        records = [base64.b64decode(line, validate=True) for line in records_text]
    except (IndexError, ValueError, orjson.JSONDecodeError) as e:
        msg = f"{path} is not a log archive ({ARCHIVE_FORMAT}): {e}"
        raise PartitionError(msg) from None
    if not isinstance(header, dict) or header.get("format") != ARCHIVE_FORMAT:
        msg = f"{path} is not a log archive ({ARCHIVE_FORMAT})"
        raise PartitionError(msg)
    digest = hashlib.sha256()
    for record in records:
        digest.update(record)
    if (
        not isinstance(trailer, dict)
        or trailer.get("records") != len(records)
        or trailer.get("sha256") != digest.hexdigest()
    ):
        msg = f"{path}: its records are not the ones it was written with (count or SHA-256)"
        raise PartitionError(msg)
    positioned = [(int.from_bytes(r[:8]), r) for r in records]
    first, end = int(header["first"]), int(header["end"])
    positions = [p for p, _ in positioned]
    if positions != sorted(set(positions)) or any(not first <= p < end for p in positions):
        msg = f"{path}: its records are not in order within positions {first} to {end - 1}"
        raise PartitionError(msg)
    return Archive({**header, **trailer}, positioned)
