"""``thucthi log …``: the log's partitions on PostgreSQL (listed, added) and archiving the oldest
(docs/deployment.md, "A log kept for decades")."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any, TextIO
from uuid import UUID

import orjson
from eventsourcing.persistence import IntegrityError
from eventsourcing.postgres import PostgresDatastore

from adapters.log_partitions import LogPartitions, Partition, PartitionError, write_archive
from bootstrap import Services
from cli.common import CliError, opened, positive_int, trail_of
from domain.writer import replay
from projections.audit import AuditProjection


def add_commands(sub: Any) -> None:
    log = sub.add_parser("log", help="the log's partitions (PostgreSQL): list, add, archive")
    actions = log.add_subparsers(dest="action", required=True, metavar="ACTION")
    listed = actions.add_parser(
        "partitions", help="the log's partitions, their ranges and records; --add N adds N"
    )
    listed.add_argument(
        "--add", type=positive_int, default=0, metavar="N", help="add N partitions after the last"
    )
    listed.add_argument("--json", action="store_true", help="print them as JSON")
    listed.set_defaults(handler=partitions_command)
    archive = actions.add_parser(
        "archive",
        help="write a partition's records to a file, snapshot its aggregates and detach it",
    )
    archive.add_argument("partition", help="the partition's name (thucthi log partitions)")
    archive.add_argument("--out", required=True, metavar="FILE", help="the archive file to write")
    archive.set_defaults(handler=archive_command)


def partitions_of(services: Services) -> LogPartitions:
    """The log's partitions; a one-line error where there are none (SQLite, memory://, a log
    created before partitioning)."""
    datastore = getattr(services.app.factory, "datastore", None)
    table = getattr(services.app.recorder, "events_table_name", "")
    if not isinstance(datastore, PostgresDatastore):
        raise CliError(
            "only a PostgreSQL log is partitioned / chỉ nhật ký PostgreSQL được phân vùng"
        )
    partitions = LogPartitions(datastore, table)
    if not partitions.partitioned():
        raise CliError(
            f"{datastore.schema}.{table} was created before the log was partitioned "
            "(docs/deployment.md) / nhật ký được tạo trước khi có phân vùng"
        )
    return partitions


def partitions_command(args: argparse.Namespace, out: TextIO) -> int:
    services = opened(args)
    partitions = partitions_of(services)
    added = partitions.add(args.add) if args.add else []
    counts = partitions.counts()
    head = services.app.max_notification_id() or 0
    listed = [
        {"name": p.name, "first": p.first, "last": p.end - 1, "records": counts.get(p.name, 0)}
        for p in partitions.partitions()
    ]
    default = f"{partitions.table}_default"
    if args.json:
        document = {
            "head": head,
            "partitions": listed,
            "default": counts.get(default, 0),
            "added": [p.name for p in added],
        }
        out.write(orjson.dumps(document, option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    for p in added:
        print(f"added {p.name}: positions {p.first}-{p.end - 1}", file=out)
    for item in listed:
        print(
            f"{item['name']:<40} {item['first']:>12}-{item['last']:<12} "
            f"{item['records']:>12,} records",
            file=out,
        )
    print(f"{default:<40} {'beyond':>25} {counts.get(default, 0):>12,} records", file=out)
    print(f"head of the log / đầu nhật ký: {head}", file=out)
    return 0


def archive_command(args: argparse.Namespace, out: TextIO) -> int:
    """Refuses a partition the log still writes to, or one not covered by a signed checkpoint:
    an archive is verified against the checkpoints (``audit verify --archive``)."""
    services = opened(args, read_models=True, signer="existing")
    app, trail = services.app, trail_of(services)
    partitions = partitions_of(services)
    try:
        partition = partitions.find(args.partition)
    except PartitionError as e:
        raise CliError(str(e)) from None
    attached = partitions.partitions()
    head = app.max_notification_id() or 0
    if partition == attached[-1] or partition.end > head:
        raise CliError(
            f"{partition.name} holds the head of the log or is ahead of it: only older "
            "partitions are archived / chỉ lưu trữ các phân vùng cũ"
        )
    if partition != attached[0]:
        raise CliError(
            f"archive {attached[0].name} first: partitions are archived oldest first "
            "/ lưu trữ phân vùng cũ nhất trước"
        )
    AuditProjection(app, trail).catch_up()
    signed = trail.latest_checkpoint()
    if signed is None or signed.position < partition.end - 1:
        raise CliError(
            f"no signed checkpoint covers {partition.name} yet: run `thucthi audit checkpoint` "
            "first / chưa có điểm kiểm tra đã ký bao trùm phân vùng này"
        )
    snapshotted = snapshot_aggregates(services, partitions, partition)
    path = Path(args.out)
    written = write_archive(path, partitions, partition, services.settings.origin)
    partitions.detach(partition)
    print(
        f"archived {partition.name}: {written['records']:,} records (positions "
        f"{partition.first}-{partition.end - 1}) to {path}, sha256 {written['sha256']}; "
        f"{snapshotted:,} aggregates snapshotted; the partition is detached, still in the "
        f"schema: dump it (pg_dump -t '{partitions.schema}.{partition.name}') and drop it",
        file=out,
    )
    return 0


def snapshot_aggregates(services: Services, partitions: LogPartitions, partition: Partition) -> int:
    """Each aggregate with events in the partition snapshotted at its current version, so that
    its state is still read from the database once the partition is gone (one already
    snapshotted there is left as it is). How many were taken."""
    app = services.app
    taken = 0
    for aggregate_id in partitions.aggregates(partition):
        try:
            app.take_snapshot(UUID(aggregate_id), projector_func=replay)
        except IntegrityError:
            continue  # its snapshot at this version exists
        taken += 1
    return taken
