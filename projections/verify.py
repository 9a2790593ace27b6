"""``thucthi audit verify``: recompute the chain and the tree from the stored records themselves.

The stored events are read in log order and hashed again, and compared with what the audit trail
recorded when each was first written: its leaf hash, its chain hash, its place and its keys (made
again from the record, ``projections.trail.KeyFold``; what an entry shows beyond them is made from
its record whenever it is read, so there is nothing stored of it to check). Every stored
checkpoint's signature is checked, and its root compared with the root recomputed at its size; a
checkpoint an inspector kept is checked the same way, which proves the log still extends it. With
the checkpoint log (``adapters.checkpoint_log``), every record is also compared, by position, with
the leaf hash published for it: the first record that is not what was signed is named exactly,
whatever the database's trail now holds.

A failure names the first position concerned and why:

- ``edited``: the record at a position is not the one recorded there (a byte changed);
- ``reordered``: the record at a position was recorded at another one (rows swapped);
- ``missing``: a record the trail saw is gone, with later records still there (a row deleted);
- ``truncated``: the log ends before records the trail or a checkpoint covers (the tail cut);
- ``inserted``: a record the trail never saw, among records it did;
- ``chain``, ``tree``: the trail's own hashes were altered;
- ``entry``: an entry's keys (when, action, who, directive, unit concerned: what the trail is
  searched by) are not what its record says;
- ``checkpoint``, ``signature``: a checkpoint's root differs from the log's, or its signature fails;
- ``published``: the checkpoint log cannot be read as one.

A partition of the log that was archived (``adapters.log_partitions``) is verified from its
archive file: its records stand for the positions of its range, and are hashed and compared
with the trail, the checkpoints and the checkpoint log as the database's are, so that an archive
changed by one byte fails as a changed row would.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from adapters.checkpoint_log import Block, CheckpointLog, CheckpointLogError
from adapters.log_partitions import Archive
from domain.application import Thucthi
from domain.shared.merkle import Frontier, leaf_hash
from domain.shared.notes import Checkpoint, NoteError, open_checkpoint
from projections.trail import KeyFold
from readmodels.audit import (
    KEY_COLUMNS,
    STORED_LEVELS,
    ZERO,
    AuditStore,
    StoredCheckpoint,
    TrailPage,
    TrailRow,
    key_text,
)

MAX_PROBLEMS = 50
PAGE = 5_000
Progress = Callable[[int, int], None]
# What a verification proves, said to whoever reads it, in both languages.
STATEMENTS = {
    "self-consistency": {
        "vi": (
            "Chỉ chứng minh nhật ký tự nhất quán: không có điểm kiểm tra nào được giữ bên ngoài "
            "cơ sở dữ liệu để đối chiếu, nên một nhật ký bị sửa rồi dựng lại toàn bộ cùng vết "
            "kiểm toán cũng qua được. Hãy đối chiếu với nhật ký điểm kiểm tra hoặc một điểm "
            "kiểm tra đã lưu."
        ),
        "en": (
            "This proves self-consistency only: no checkpoint kept outside the database was "
            "checked, so a log edited and rebuilt as a whole, trail included, would pass too. "
            "Check it against the checkpoint log or a checkpoint you kept."
        ),
    },
    "kept-checkpoint": {
        "vi": (
            "Đã đối chiếu với điểm kiểm tra được giữ: một bản ghi bị sửa chỉ được khoanh vùng "
            "giữa hai điểm kiểm tra."
        ),
        "en": (
            "Checked against the checkpoint kept: an edited record is only bounded to a range "
            "between two checkpoints."
        ),
    },
    "checkpoint-log": {
        "vi": (
            "Đã đối chiếu từng bản ghi với nhật ký điểm kiểm tra giữ ngoài cơ sở dữ liệu: bản "
            "ghi đầu tiên khác với bản đã ký được chỉ đích danh."
        ),
        "en": (
            "Checked record by record against the checkpoint log kept outside the database: "
            "the first record that differs from what was signed is named."
        ),
    },
}


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
    published: dict[str, Any] | None = None  # what the checkpoint log held, if one was read
    archives: list[dict[str, Any]] = field(default_factory=list)  # archived partitions read
    seconds: float = 0.0
    problems: list[Problem] = field(default_factory=list)

    @property
    def scope(self) -> str:
        """What the check proves: against what was published outside the database, or only
        that the database agrees with itself."""
        if self.published is not None and self.published["checkpoints"]:
            return "checkpoint-log"
        return "kept-checkpoint" if self.kept_checkpoint is not None else "self-consistency"

    @property
    def statement(self) -> dict[str, str]:
        return STATEMENTS[self.scope]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def first(self) -> Problem | None:
        return self.problems[0] if self.problems else None

    def add(self, position: int | None, kind: str, detail: str) -> None:
        if len(self.problems) < MAX_PROBLEMS and not any(
            (p.position, p.kind) == (position, kind) and position is not None for p in self.problems
        ):  # the trail and the checkpoint log can both find the same edit
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
            "published": self.published,
            "archives": self.archives,
            "scope": self.scope,
            "statement": self.statement,
            "seconds": round(self.seconds, 3),
            "events_per_second": round(self.records / self.seconds) if self.seconds else None,
            "first_failure": None if self.first is None else _problem(self.first),
            "problems": [_problem(p) for p in self.problems],
        }


def _problem(p: Problem) -> dict[str, Any]:
    return {"position": p.position, "kind": p.kind, "detail": p.detail}


class _Walk:
    """The log's records and the trail's entries, walked together page by page.

    A page of records and the trail's entries for the same positions usually agree entirely: same
    positions, leaf hashes, chain hashes and leaf indexes. Such a page is checked with whole-list
    comparisons and hashed in tight loops (``clean``). A page that differs in anything is walked
    record by record (``merge``) to name the first position concerned and why.
    """

    def __init__(
        self,
        report: Report,
        store: AuditStore,
        audited: int,
        sizes: list[int],
        witness: _Witness | None = None,
    ) -> None:
        self.report = report
        self.witness = witness
        self.store = store
        self.audited = audited
        self.sizes = sizes  # tree sizes whose roots are wanted, ascending
        self.wanted = set(sizes)
        self.frontier = Frontier()
        self.chain = ZERO
        self.chain_trusted = True  # until the first problem, recomputed and stored chains agree
        self.nodes: dict[tuple[int, int], bytes] = {}
        self.roots: dict[int, bytes] = {}
        self.last_position = 0
        self.done = 0

    def clean(self, records: list[tuple[int, bytes]], trail: TrailPage) -> bool:
        """Take a page that agrees with the trail in everything; False (nothing taken) if not."""
        stored_positions, indexes, joined = trail
        if len(records) != len(stored_positions) or not self.chain_trusted:
            return False
        positions, blobs = zip(*records, strict=True)
        if list(positions) != stored_positions:
            return False
        size = self.frontier.size
        if indexes != list(range(size, size + len(records))):
            return False
        sha256 = hashlib.sha256
        leaves = [sha256(b"\x00" + blob).digest() for blob in blobs]  # leaf_hash, inlined
        chain = self.chain
        chains = []
        for leaf in leaves:
            chain = sha256(chain + leaf).digest()
            chains.append(chain)
        recomputed: list[bytes] = [b""] * (2 * len(leaves))
        recomputed[0::2], recomputed[1::2] = leaves, chains
        if b"".join(recomputed) != joined:  # every leaf hash and chain hash at once
            return False
        self.chain = chain
        start = 0
        for wanted in [s - size for s in self.sizes if size < s <= size + len(leaves)]:
            self._extend(leaves[start:wanted])
            self.roots[self.frontier.size] = self.frontier.root()
            start = wanted
        self._extend(leaves[start:])
        self.done += len(leaves)
        self.last_position = positions[-1]
        if self.witness is not None:
            self.witness.page(stored_positions, leaves)
        return True

    def _extend(self, leaves: Sequence[bytes]) -> None:
        for height, index, node in self.frontier.extend(leaves, STORED_LEVELS):
            self.nodes[height, index] = node

    def take(self, record: bytes) -> bytes:
        leaf = leaf_hash(record)
        if self.witness is not None:
            self.witness.see(int.from_bytes(record[:8]), leaf)
        self.chain = hashlib.sha256(self.chain + leaf).digest()
        self._extend((leaf,))
        if self.frontier.size in self.wanted:
            self.roots[self.frontier.size] = self.frontier.root()
        self.done += 1
        return leaf

    def merge(self, records: list[tuple[int, bytes]], trail: list[TrailRow]) -> None:
        """Walk a page record by record, reporting what differs. With no records, the trail's
        first entry is past the log's end: the log was cut there."""
        report, store = self.report, self.store
        i = j = 0
        while i < len(records) or j < len(trail):
            if j < len(trail) and (i == len(records) or trail[j][0] < records[i][0]):
                position = trail[j][0]
                if i == len(records) and not records:
                    report.add(position, "truncated", f"the log ends at position "
                               f"{self.last_position}; the audit trail recorded position "
                               f"{position} and more")  # fmt: skip
                    return
                report.add(position, "missing", f"position {position} was recorded and is gone")
                self.chain_trusted = False
                j += 1
                continue
            position, record = records[i]
            self.last_position = position
            if j == len(trail) or position < trail[j][0]:
                self.take(record)
                if position <= self.audited:
                    report.add(position, "inserted", f"position {position} was never recorded")
                    self.chain_trusted = False
                i += 1
                continue
            _, index, stored_leaf, stored_chain = trail[j]
            leaf = self.take(record)
            if leaf != stored_leaf and self.chain_trusted and self.chain == stored_chain:
                # The record still chains on as the trail recorded it: its leaf hash column alone
                # was altered.
                report.add(position, "entry", f"the trail's leaf hash at {position} was altered")
            elif leaf != stored_leaf:
                originator = str(UUID(bytes=record[8:24]))
                seen_at = store.recorded_position(originator, int.from_bytes(record[24:32]))
                if seen_at is not None and seen_at != position:
                    moved = f"the record at position {position} was recorded at {seen_at}"
                    report.add(position, "reordered", moved)
                else:
                    report.add(position, "edited", f"the record at position {position} was altered")
                self.chain_trusted = False
            elif self.chain_trusted and (
                self.chain != stored_chain or index != self.frontier.size - 1
            ):
                report.add(position, "chain", f"the trail's chain hash at {position} was altered")
                self.chain_trusted = False
            i += 1
            j += 1


class _KeyCheck:
    """Every trail entry's keys against the keys its record makes (``KeyFold``): each page
    compared whole (``AuditStore.key_page``), and one that differs entry by entry, to name the
    columns. Only entries at a position the log holds are compared; the walk names the rest."""

    def __init__(self, store: AuditStore) -> None:
        self.store = store
        self.fold = KeyFold()
        self.topics: dict[bytes, str] = {}
        self.after = 0
        self.problems: list[Problem] = []

    def page(
        self, records: list[tuple[int, bytes]], stored: tuple[list[int], str] | None = None
    ) -> None:
        """Check a page of records (``stored``: the trail's ``key_page`` for it, if read)."""
        keys, topics = self.fold.keys, self.topics
        made = []
        for position, blob in records:
            end = 34 + int.from_bytes(blob[32:34])
            name = blob[34:end]
            topic = topics.get(name)
            if topic is None:
                topic = topics[name] = name.decode()
            version = int.from_bytes(blob[24:32])
            made.append(keys(position, blob[8:24], version, topic, blob[end:]))
        last = records[-1][0]
        positions, text = stored or self.store.key_page(self.after, last)
        if positions != [p for p, _ in records] or "".join(map(key_text, made)) != text:
            held_by = dict(self.store.key_rows(self.after, last))
            for (position, _), mine in zip(records, made, strict=True):
                held = held_by.get(position)
                if held is not None and held != mine:
                    altered = ", ".join(
                        name
                        for name, one, other in zip(KEY_COLUMNS, mine, held, strict=True)
                        if one != other
                    )
                    detail = f"the trail's entry at {position} was altered: {altered}"
                    self.problems.append(Problem(position, "entry", f"{detail} differ from "
                                                 "its record"))  # fmt: skip
        self.after = last


class _Witness:
    """The log's records compared, by position, with the leaf hashes the checkpoint log
    published: the first record that is not what was signed is named exactly, whatever the
    database's own trail now says (it may have been made again over an edited log)."""

    def __init__(self, report: Report, blocks: Iterator[Block]) -> None:
        self.report = report
        self.blocks = blocks
        self.positions: list[int] = []
        self.leaves = b""
        self.at = 0  # the next published leaf in the buffer
        self.exhausted = False

    def _fill(self, wanted: int) -> int:
        """Buffer at least ``wanted`` published leaves if there are; how many are buffered."""
        while len(self.positions) - self.at < wanted and not self.exhausted:
            try:
                block = next(self.blocks)
            except StopIteration:
                self.exhausted = True
                break
            except CheckpointLogError as e:
                self.report.add(None, "published", f"the checkpoint log cannot be read: {e}")
                self.exhausted = True
                break
            if self.at:  # drop what was compared already
                self.positions, self.leaves = self.positions[self.at :], self.leaves[32 * self.at :]
                self.at = 0
            self.positions += block.positions
            self.leaves += block.leaves
        return len(self.positions) - self.at

    def page(self, positions: list[int], leaves: list[bytes]) -> None:
        """A page of records, compared whole when it is exactly what was published."""
        n = len(positions)
        if (
            self._fill(n) >= n
            and self.positions[self.at : self.at + n] == positions
            and self.leaves[32 * self.at : 32 * (self.at + n)] == b"".join(leaves)
        ):
            self.at += n
            return
        for position, leaf in zip(positions, leaves, strict=True):
            self.see(position, leaf)

    def see(self, position: int, leaf: bytes) -> None:
        report = self.report
        while self._fill(1) and self.positions[self.at] < position:
            gone = self.positions[self.at]
            report.add(gone, "missing", f"the record published at position {gone} is gone")
            self.at += 1
        if not self._fill(1):
            return  # after everything published
        if self.positions[self.at] == position:
            published = self.leaves[32 * self.at : 32 * self.at + 32]
            self.at += 1
            if published != leaf:
                report.add(position, "edited", f"the record at position {position} is not the "
                           "one the checkpoint log published there")  # fmt: skip
        else:
            report.add(position, "inserted", f"position {position} was never published, "
                       "among records that were")  # fmt: skip

    def finish(self) -> None:
        """Published records after the log's last one: the log was cut."""
        if self._fill(1):
            cut = self.positions[self.at]
            self.report.add(cut, "truncated", f"the checkpoint log published position {cut} "
                            "and more; the log ends before it")  # fmt: skip


class _Records:
    """The log's records after a position, a page at a time: from the database, and from the
    archive of each archived partition for the positions of its range."""

    def __init__(
        self, store: AuditStore, events_table: str, archives: Sequence[Archive], page: int
    ) -> None:
        self.store, self.events_table, self.page = store, events_table, page
        self.archives = sorted(archives, key=lambda a: a.first)

    def after(self, after: int) -> list[tuple[int, bytes]]:
        for archive in self.archives:
            if archive.first <= after + 1 < archive.end:
                records = archive.records
                at = bisect.bisect_right(records, after, key=lambda r: r[0])
                if at < len(records):
                    return records[at : at + self.page]
                after = max(after, archive.end - 1)  # the archive is done: what follows it
        following = next((a for a in self.archives if a.first > after), None)
        records = self.store.records(self.events_table, after, self.page)
        if following is None:
            return records
        before = [r for r in records if r[0] < following.first]
        return before or self.after(following.first - 1)


def verify(
    app: Thucthi,
    store: AuditStore,
    *,
    origin: str,
    public_key: Ed25519PublicKey,
    kept: str | None = None,
    published: CheckpointLog | None = None,
    progress: Progress | None = None,
    page: int = PAGE,
    archives: Sequence[Archive] = (),
) -> Report:
    """Check the whole log against the audit trail and the checkpoints (see the module's text),
    reading ``page`` records at a time; with ``published``, also record by record against what
    the checkpoint log published; ``archives``: the archived partitions' records, read from
    their files for the positions of their ranges."""
    started = time.perf_counter()
    report = Report()
    report.archives = [
        {key: a.header.get(key) for key in ("partition", "first", "end", "records", "sha256")}
        for a in archives
    ]
    head = app.max_notification_id() or 0
    audited = store.max_tracking_id(app.name)
    report.audited_position = audited

    checkpoints = store.checkpoints()
    wanted, kept_checkpoint = _wanted_roots(report, checkpoints, kept, origin, public_key)
    witness = None
    if published is not None:
        report.published = _published_roots(report, wanted, published, origin, public_key)
        witness = _Witness(report, published.read())
    walk = _Walk(report, store, audited, sorted(wanted), witness)
    events_table = app.recorder.events_table_name  # type: ignore[attr-defined]
    keys = _KeyCheck(store)
    source = _Records(store, events_table, archives, page)

    def read(after: int) -> tuple[int, list[tuple[int, bytes]], TrailPage, tuple[list[int], str]]:
        records = source.after(after)
        trail = store.leaf_page(after, records[-1][0]) if records else ([], [], b"")
        stored_keys = store.key_page(after, records[-1][0]) if records else ([], "")
        return after, records, trail, stored_keys

    # The next page is read while this one is hashed: waiting on the database lets go of the GIL.
    with ThreadPoolExecutor(1, thread_name_prefix="verify-read") as reader:
        after, records, trail, stored_keys = read(0)
        while records:
            following = reader.submit(read, records[-1][0])
            if not walk.clean(records, trail):  # read it again entry by entry, to say where
                walk.merge(records, store.leaves(after, records[-1][0]))
            keys.page(records, stored_keys)
            if progress is not None:
                progress(walk.done, head)
            after, records, trail, stored_keys = following.result()
    # The trail beyond the log's last record: the log was cut (the first such entry says where).
    walk.merge([], store.leaves(walk.last_position, limit=1))
    if witness is not None:
        witness.finish()
    _add_keys(report, keys.problems)

    frontier = walk.frontier
    report.records = walk.done
    report.tree_size = frontier.size
    report.root = frontier.root()
    _check_roots(report, wanted, walk.roots, store)
    if walk.chain_trusted:
        for height, index, stored in store.iter_nodes():
            if walk.nodes.get((height, index), stored) != stored:
                report.add(None, "tree", f"the stored subtree {height}/{index} was altered")
                break
    if kept_checkpoint is not None:
        report.kept_checkpoint = {
            "tree_size": kept_checkpoint.size,
            "root": base64.b64encode(kept_checkpoint.root).decode(),
            "extended": walk.roots.get(kept_checkpoint.size) == kept_checkpoint.root,
        }
    report.checkpoints_checked = len(checkpoints)
    report.seconds = time.perf_counter() - started
    if progress is not None:
        progress(walk.done, head)
    return report


def _add_keys(report: Report, problems: list[Problem]) -> None:
    """The key check's problems among the walk's, in log order; none where the walk already
    found the record itself changed, moved or gone (its keys differ for that reason)."""
    said = {p.position for p in report.problems if p.kind in {"edited", "reordered", "missing"}}
    found = [p for p in problems if p.position not in said]
    merged = sorted([*report.problems, *found], key=lambda p: (p.position is None, p.position or 0))
    report.problems = []
    for problem in merged:
        report.add(problem.position, problem.kind, problem.detail)


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


def _published_roots(
    report: Report,
    wanted: dict[int, list[tuple[str, bytes]]],
    log: CheckpointLog,
    origin: str,
    public_key: Ed25519PublicKey,
) -> dict[str, Any]:
    """Every checkpoint the checkpoint log published: its signature checked, its root wanted."""
    count, last = 0, None
    try:
        for published in log.checkpoints():
            try:
                signed = open_checkpoint(published.note, origin, public_key)
            except NoteError as e:
                report.add(None, "signature", f"checkpoint log, checkpoint of "
                           f"{published.tree_size}: {e}")  # fmt: skip
                continue
            label = f"published checkpoint {signed.size}"
            wanted.setdefault(signed.size, []).append((label, signed.root))
            count, last = count + 1, published
    except CheckpointLogError as e:
        report.add(None, "published", f"the checkpoint log cannot be read: {e}")
    return {
        "path": str(log.path),
        "checkpoints": count,
        "tree_size": None if last is None else last.tree_size,
        "signed_at": None if last is None else last.signed_at,
    }


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
