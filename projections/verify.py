"""``thucthi audit verify``: recompute the chain and the tree from the stored records themselves.

The stored events are read in log order and hashed again, and compared with what the audit trail
recorded when each was first written: its leaf hash, its chain hash and its place. Every stored
checkpoint's signature is checked, and its root compared with the root recomputed at its size; a
checkpoint an inspector kept is checked the same way, which proves the log still extends it.

A failure names the first position concerned and why:

- ``edited``: the record at a position is not the one recorded there (a byte changed);
- ``reordered``: the record at a position was recorded at another one (rows swapped);
- ``missing``: a record the trail saw is gone, with later records still there (a row deleted);
- ``truncated``: the log ends before records the trail or a checkpoint covers (the tail cut);
- ``inserted``: a record the trail never saw, among records it did;
- ``chain``, ``tree``: the trail's own hashes were altered;
- ``checkpoint``, ``signature``: a checkpoint's root differs from the log's, or its signature fails.
"""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from eventsourcing.persistence import Notification

from domain.application import Thucthi
from domain.merkle import Frontier, leaf_hash
from domain.notes import Checkpoint, NoteError, open_checkpoint
from projections.audit import record_of
from readmodels.audit import STORED_LEVELS, ZERO, AuditStore, StoredCheckpoint

MAX_PROBLEMS = 50
PAGE = 5_000
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Problem:
    position: int | None
    kind: str
    detail: str


@dataclass(slots=True)
class Report:
    records: int = 0
    tree_size: int = 0
    root: bytes = b""
    audited_position: int = 0
    checkpoints_checked: int = 0
    kept_checkpoint: dict[str, Any] | None = None
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def add(self, position: int | None, kind: str, detail: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(position, kind, detail))

    def document(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "records": self.records,
            "tree_size": self.tree_size,
            "root": base64.b64encode(self.root).decode(),
            "audited_position": self.audited_position,
            "checkpoints_checked": self.checkpoints_checked,
            "kept_checkpoint": self.kept_checkpoint,
            "seconds": round(self.seconds, 3),
            "events_per_second": round(self.records / self.seconds) if self.seconds else None,
            "first_failure": None if self.first is None else _problem(self.first),
            "problems": [_problem(p) for p in self.problems],
        }


def _problem(p: Problem) -> dict[str, Any]:
    return {"position": p.position, "kind": p.kind, "detail": p.detail}


def _records(app: Thucthi) -> Iterator[Notification]:
    start = 0
    while page := app.recorder.select_notifications(
        start=start, limit=PAGE, inclusive_of_start=False
    ):
        yield from page
        start = page[-1].id


def verify(  # noqa: PLR0912, PLR0915 - one walk over two ordered streams, told in one place
    app: Thucthi,
    store: AuditStore,
    *,
    origin: str,
    public_key: Ed25519PublicKey,
    kept: str | None = None,
    progress: Progress | None = None,
) -> Report:
    """Check the whole log against the audit trail and the checkpoints (see the module's text)."""
    started = time.perf_counter()
    report = Report()
    head = app.max_notification_id()
    audited = store.max_tracking_id(app.name)
    report.audited_position = audited

    checkpoints = store.checkpoints()
    wanted, kept_checkpoint = _wanted_roots(report, checkpoints, kept, origin, public_key)

    frontier = Frontier()
    chain = ZERO
    chain_trusted = True  # until the first problem, recomputed and stored chains must agree
    nodes: dict[tuple[int, int], bytes] = {}
    roots: dict[int, bytes] = {}
    last_position = 0
    leaves = store.iter_leaves()
    trail = next(leaves, None)
    records = _records(app)
    record = next(records, None)
    done = 0

    def take(n: Notification) -> bytes:
        nonlocal chain, done
        leaf = leaf_hash(record_of(n))
        chain = hashlib.sha256(chain + leaf).digest()
        for height, index, node in frontier.append(leaf):
            if height % STORED_LEVELS == 0:
                nodes[height, index] = node
        if frontier.size in wanted:
            roots[frontier.size] = frontier.root()
        done += 1
        if progress is not None and done % 10_000 == 0:
            progress(done, head)
        return leaf

    while record is not None or trail is not None:
        if trail is not None and (record is None or trail[0] < record.id):
            position = trail[0]
            if record is None:
                report.add(position, "truncated", f"the log ends at position {last_position}; "
                           f"the audit trail recorded position {position} and more")  # fmt: skip
                break
            report.add(position, "missing", f"position {position} was recorded and is gone")
            chain_trusted = False
            trail = next(leaves, None)
            continue
        assert record is not None  # noqa: S101 - the branch above took the other case
        last_position = record.id
        if trail is None or record.id < trail[0]:
            take(record)
            if record.id <= audited:
                report.add(record.id, "inserted", f"position {record.id} was never recorded")
                chain_trusted = False
            record = next(records, None)
            continue
        position, index, stored_leaf, stored_chain = trail
        leaf = take(record)
        if leaf != stored_leaf:
            seen_at = store.recorded_position(str(record.originator_id), record.originator_version)
            if seen_at is not None and seen_at != position:
                moved = f"the record at position {position} was recorded at {seen_at}"
                report.add(position, "reordered", moved)
            else:
                report.add(position, "edited", f"the record at position {position} was altered")
            chain_trusted = False
        elif chain_trusted and (chain != stored_chain or index != frontier.size - 1):
            report.add(position, "chain", f"the trail's chain hash at {position} was altered")
            chain_trusted = False
        record = next(records, None)
        trail = next(leaves, None)

    report.records = done
    report.tree_size = frontier.size
    report.root = frontier.root()
    _check_roots(report, wanted, roots, store)
    if chain_trusted:
        for height, index, stored in store.iter_nodes():
            if nodes.get((height, index), stored) != stored:
                report.add(None, "tree", f"the stored subtree {height}/{index} was altered")
                break
    if kept_checkpoint is not None:
        report.kept_checkpoint = {
            "tree_size": kept_checkpoint.size,
            "root": base64.b64encode(kept_checkpoint.root).decode(),
            "extended": roots.get(kept_checkpoint.size) == kept_checkpoint.root,
        }
    report.checkpoints_checked = len(checkpoints)
    report.seconds = time.perf_counter() - started
    if progress is not None:
        progress(done, head)
    return report


def _wanted_roots(
    report: Report,
    checkpoints: list[StoredCheckpoint],
    kept: str | None,
    origin: str,
    public_key: Ed25519PublicKey,
) -> tuple[dict[int, list[tuple[str, bytes]]], Checkpoint | None]:
    """The roots the log must have at given sizes: every stored checkpoint's, and the kept one's."""
    wanted: dict[int, list[tuple[str, bytes]]] = {}
    for cp in checkpoints:
        try:
            signed = open_checkpoint(cp.note, origin, public_key)
        except NoteError as e:
            report.add(cp.position, "signature", f"stored checkpoint of size {cp.tree_size}: {e}")
            continue
        if signed.size != cp.tree_size or signed.root != cp.root:
            report.add(cp.position, "checkpoint", f"stored checkpoint {cp.tree_size}: "
                       "its columns differ from its signed note")  # fmt: skip
        wanted.setdefault(signed.size, []).append((f"checkpoint {signed.size}", signed.root))
    kept_checkpoint: Checkpoint | None = None
    if kept is not None:
        try:
            kept_checkpoint = open_checkpoint(kept, origin, public_key)
        except NoteError as e:
            report.add(None, "signature", f"the kept checkpoint: {e}")
        else:
            wanted.setdefault(kept_checkpoint.size, []).append(("kept", kept_checkpoint.root))

    return wanted, kept_checkpoint


def _check_roots(
    report: Report,
    wanted: dict[int, list[tuple[str, bytes]]],
    roots: dict[int, bytes],
    store: AuditStore,
) -> None:
    previous_good = 0
    for size in sorted(wanted):
        for label, root in wanted[size]:
            if size not in roots:
                last = store.position_of_leaf(report.tree_size - 1)
                report.add(
                    store.position_of_leaf(report.tree_size),
                    "truncated",
                    f"{label} covers {size} records, the log holds {report.tree_size}: "
                    f"records after position {last or 0} are gone",
                )
            elif roots[size] != root:
                first = store.position_of_leaf(previous_good)
                last = store.position_of_leaf(size - 1)
                report.add(
                    first,
                    "checkpoint",
                    f"{label}: the log's first {size} records are not the ones signed; "
                    f"a record between positions {first} and {last} was changed",
                )
            else:
                previous_good = max(previous_good, size)
