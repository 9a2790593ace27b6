"""The audit projection: every stored event into the audit trail, a hash chain and a Merkle tree,
with signed checkpoints; and the proofs an inspector asks of them.

It reads the stored records themselves (``select_notifications``: the bytes as stored), because
its hashes must be of those bytes; eventsourcing's ``Projection`` hands over decoded events only,
so this one drives itself with the same batched catch-up as the oversight projection. A batch's
entries, the subtrees it closes, the checkpoints it signs, the tree's new frontier and the new
tracking position are one transaction, written only if the projection still stands where the
batch began: it is never silently behind and never counts a record twice.

Each record's leaf is ``domain.shared.merkle.event_record`` of its row; the chain hash of record
i is SHA-256(chain hash of record i-1 || leaf hash of record i), from 32 zero bytes. An entry keeps
its record's keys (``projections.trail.KeyFold``); what it shows is made when it is read. A
checkpoint is signed whenever the tree's size reaches a multiple of ``every`` and on demand, and
published first to the checkpoint log beside the signing key (``publish``), which refuses a tree
that does not extend the last checkpoint published.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Notification

from adapters.checkpoint_log import CheckpointLog, Published, PublishedLeaf
from adapters.signing import Signer
from domain.application import Thucthi
from domain.shared.merkle import (
    EMPTY_ROOT,
    Frontier,
    consistency_path,
    event_record,
    inclusion_path,
    leaf_hash,
    node_hash,
)
from domain.shared.notes import (
    NoteError,
    open_checkpoint,
)
from projections.trail import CARRYING_TOPICS, KeyFold
from readmodels.audit import (
    STORED_LEVELS,
    AuditStore,
    Entry,
    StoredCheckpoint,
    StoredRecord,
    TrackingConflictError,
    TreeState,
    utc_text,
)

DEFAULT_EVERY = 1_000
_LEAF_PAGE = 10_000  # leaves read from the trail at a time when publishing
_log = logging.getLogger("thucthi.audit")
_CARRIED = 200_000  # aggregates whose reference and units the projection's key fold holds


# --- the projection ----------------------------------------------------------------------------


class AuditProjection:
    """Follows the log into the audit store; signs checkpoints when it has a signer."""

    def __init__(
        self,
        app: Thucthi,
        store: AuditStore,
        signer: Signer | None = None,
        *,
        every: int = DEFAULT_EVERY,
    ) -> None:
        self.app = app
        self.store = store
        self.signer = signer
        self.every = every
        self._fold = KeyFold(_CARRIED)
        self._lock = threading.Lock()
        self.last_signed = time.monotonic()
        self.refusal: str | None = None  # why the last checkpoint due was not signed
        self._last_published: Published | None = None

    def catch_up(
        self,
        *,
        batch_size: int = 1_000,
        stop: threading.Event | None = None,
        until: int | None = None,
    ) -> int:
        """Project each stored record after the trail's position (up to ``until``); records done."""
        done = 0
        with self._lock:
            self._last_published = None  # read again: another process may have published
            state = self.store.load_state(self.app.name)
            while stop is None or not stop.is_set():
                if until is not None and state.position >= until:
                    break
                notifications = self.app.recorder.select_notifications(
                    start=state.position, limit=batch_size, stop=until, inclusive_of_start=False
                )
                if not notifications:
                    break
                start = state.position
                try:
                    self._write(start, state, notifications)
                except TrackingConflictError:
                    state = self.store.load_state(self.app.name)  # another process went first
                    continue
                done += len(notifications)
        return done

    def _write(self, start: int, state: TreeState, notifications: Sequence[Notification]) -> None:
        frontier = Frontier(state.size, state.frontier)
        chain = state.chain
        entries: list[Entry] = []
        nodes: list[tuple[int, int, bytes]] = []
        checkpoints: list[StoredCheckpoint] = []
        self._seed(notifications)
        keys = self._fold.keys
        due: list[tuple[int, bytes, int]] = []  # the checkpoints due in the batch
        watched = self._watched()
        reached: bytes | None = None  # the root at the size of the last checkpoint published
        for n in notifications:
            record = record_of(n)
            leaf = leaf_hash(record)
            chain = hashlib.sha256(chain + leaf).digest()
            index = frontier.size
            nodes.extend(c for c in frontier.append(leaf) if c[0] % STORED_LEVELS == 0)
            carried = keys(n.id, record[8:24], n.originator_version, n.topic, n.state)
            entries.append(Entry(n.id, index, *carried, leaf, chain))
            if self.signer is not None and frontier.size % self.every == 0:
                due.append((frontier.size, frontier.root(), n.id))
            if watched is not None and frontier.size == watched.tree_size:
                reached = frontier.root()
        if watched is not None and reached is not None and reached != watched.root:
            self._refuse(_not_extended(watched.tree_size, watched.tree_size, watched))
        if due and self.signer is not None and self.signer.published is None:
            now = utc_text(self.app.clock.now())
            checkpoints = [
                StoredCheckpoint(z, p, r, self.signer.sign(z, r), now) for z, r, p in due
            ]
        elif due:  # the checkpoint log publishes each one due up to the last
            batch = [PublishedLeaf(e.leaf_index, e.position, e.leaf_hash) for e in entries]
            checkpoints = self._sign(*due[-1], batch)
        new_state = TreeState(notifications[-1].id, frontier.size, frontier.nodes, chain)
        try:
            self.store.write(
                application_name=self.app.name,
                start=start,
                state=new_state,
                entries=entries,
                nodes=nodes,
                checkpoints=checkpoints,
            )
        except BaseException:
            self._fold = KeyFold(_CARRIED)  # it ran ahead of what was written
            raise
        state.position, state.size = new_state.position, new_state.size
        state.frontier, state.chain = new_state.frontier, new_state.chain
        if checkpoints:
            self.last_signed = time.monotonic()

    def _sign(
        self, size: int, root: bytes, position: int, batch: Sequence[PublishedLeaf] = ()
    ) -> list[StoredCheckpoint]:
        """The checkpoints due up to a tree of ``size`` whose root the trail has as ``root``
        (``batch``: the leaves of the batch being written, not in the store yet). Through the
        checkpoint log when the signer has one (``publish``); none if it refuses."""
        assert self.signer is not None  # noqa: S101 - callers check
        now = utc_text(self.app.clock.now())
        if self.signer.published is None:
            return [StoredCheckpoint(size, position, root, self.signer.sign(size, root), now)]
        try:
            published = publish(
                self.store,
                self.signer,
                self.signer.published,
                size=size,
                root=root,
                batch=batch,
                every=self.every,
                now=now,
            )
        except SigningRefusedError as e:
            self._refuse(str(e))
            return []
        self.refusal = None
        self._last_published = published[-1] if published else self._last_published
        return [
            StoredCheckpoint(p.tree_size, p.position, p.root, p.note, p.signed_at)
            for p in published
        ]

    def _refuse(self, why: str) -> None:
        if why != self.refusal:  # said once, not at every batch
            _log.error("refusing to sign / từ chối ký: %s", why)
        self.refusal = why

    def _watched(self) -> Published | None:
        """The last checkpoint published, read from the checkpoint log once per catch-up: the
        trail's root is compared with it as the trail passes its size, to refuse at once."""
        if self.signer is None or self.signer.published is None:
            return None
        if self._last_published is None:
            self._last_published = self.signer.published.last()
        return self._last_published

    def sign_now(self) -> StoredCheckpoint | None:
        """A checkpoint of the tree as the trail now stands (after catching up); None if empty.
        Raises SigningRefusedError when that tree does not extend the last one published."""
        if self.signer is None:
            msg = "this process has no signing key"
            raise PermissionError(msg)
        self.catch_up()
        with self._lock:
            state = self.store.load_state(self.app.name)
            published = None if self.signer.published is None else self.signer.published.last()
            if published is not None and published.tree_size > state.size:
                # The trail is at the head of the log, which holds fewer records than were signed.
                self._refuse(_cut(state.size, published))
                raise SigningRefusedError(self.refusal)
            if state.size == 0:
                return None
            existing = self.store.checkpoint_of_size(state.size)
            if existing is not None and self.signer.published is None:
                return existing
            root = Frontier(state.size, state.frontier).root()
            for checkpoint in self._sign(state.size, root, state.position):
                self.store.add_checkpoint(checkpoint)
            if self.refusal is not None:
                raise SigningRefusedError(self.refusal)
            self.last_signed = time.monotonic()
            return self.store.checkpoint_of_size(state.size)

    def sign_if_due(self, seconds: float) -> StoredCheckpoint | None:
        """Sign the tail of the log if nothing was signed for ``seconds`` and it is not covered."""
        if self.signer is None or time.monotonic() - self.last_signed < seconds:
            return None
        latest = self.store.latest_checkpoint()
        state = self.store.load_state(self.app.name)
        self.last_signed = time.monotonic()
        if state.size == 0 or (latest is not None and latest.tree_size >= state.size):
            return None
        try:
            return self.sign_now()
        except SigningRefusedError:
            return None  # said once in the log; the refusal stays visible (``refusal``)

    def _seed(self, notifications: Sequence[Notification]) -> None:
        """Bring into the key fold, in one round trip, what the batch's records need of the
        records of their aggregates before the batch (a directive's reference and lead unit, an
        account's unit) and it does not hold: after a start, or once let go."""
        wanted: dict[UUID, int] = {}
        seen: set[UUID] = set()
        for n in notifications:
            key = n.originator_id if isinstance(n.originator_id, UUID) else UUID(n.originator_id)
            if key not in seen:
                seen.add(key)
                if self._fold.needs(key.bytes, n.originator_version, n.topic):
                    wanted[key] = n.originator_version - 1
        if not wanted:
            return
        table: str = self.app.recorder.events_table_name  # type: ignore[attr-defined]
        earlier: dict[UUID, list[StoredRecord]] = {key: [] for key in wanted}
        for r in self.store.records_of(table, wanted, topics=CARRYING_TOPICS):
            earlier[r.originator].append(r)
        for key, records in earlier.items():
            self._fold.seed(key.bytes, records)


# --- publishing ---------------------------------------------------------------------------------


class SigningRefusedError(RuntimeError):
    """The tree to sign does not extend the last checkpoint the log published."""


def publish(
    store: AuditStore,
    signer: Signer,
    log: CheckpointLog,
    *,
    size: int,
    root: bytes,
    batch: Sequence[PublishedLeaf] = (),
    every: int = DEFAULT_EVERY,
    now: str,
) -> list[Published]:
    """Publish the checkpoints due up to a tree of ``size`` records, whose root the trail has as
    ``root``, to the checkpoint log: the one at every multiple of ``every`` and at ``size``.

    The log is read under its lock for the last checkpoint published (M records). The leaves
    after it, from the trail (and ``batch``, the leaves of a batch not stored yet), are folded
    onto the frontier the log kept at M; only if that gives ``root`` is anything signed. So a tree
    is signed only if it extends what was published, whatever the database holds: after an edit
    at or before M and the trail made again, the trail's root is another and signing is refused
    (SigningRefusedError) until someone who can tell sorts it out. A checkpoint the database
    holds for a size due, whose signature is the log's and whose root agrees, is published as it
    was signed (a log signed before the checkpoint log existed is taken into it this way); one
    whose root does not agree refuses too. Returns what was published, nothing if already done.
    """
    with log.lock():
        last = log.last()
        done = 0 if last is None else last.tree_size
        if last is not None and done == size and last.root != root:
            raise SigningRefusedError(_not_extended(size, done, last))
        if done >= size:  # published already (checked again once the trail passes it)
            return [last] if last is not None and last.tree_size == size else []
        base = Frontier(done, list(last.frontier)) if last is not None else Frontier()
        if last is not None and base.root() != last.root:
            msg = f"the checkpoint log's frontier at {done} does not make its signed root"
            raise SigningRefusedError(msg)
        ends = sorted({*range(done - done % every + every, size, every), size})
        stored = {
            cp.tree_size: cp
            for cp in store.checkpoints_between(done, size)
            if _signed_by(signer, cp)
        }
        roots = _fold(base, _leaves_after(store, done, size, batch), set(ends) | set(stored))
        if roots.get(size) != root:
            raise SigningRefusedError(_not_extended(size, done, last))
        for at, cp in stored.items():
            if roots[at] != cp.root:
                msg = f"the trail's own checkpoint of {at:,} records is not its tree at that size"
                raise SigningRefusedError(msg)
        published: list[Published] = []
        frontier = Frontier(base.size, base.nodes)
        block: list[PublishedLeaf] = []
        wanted = set(ends)
        for leaf in _leaves_after(store, done, size, batch):
            frontier.append(leaf.leaf)
            block.append(leaf)
            if frontier.size in wanted:
                at = frontier.size
                note = stored[at].note if at in stored else signer.sign(at, roots[at])
                signed_at = stored[at].signed_at if at in stored else now
                made = Published(
                    at, leaf.position, roots[at], note, signed_at, tuple(frontier.nodes)
                )
                log.append(block, made)
                published.append(made)
                block = []
        return published


def _not_extended(size: int, done: int, last: Published | None) -> str:
    when = f" (signed {last.signed_at}, up to position {last.position})" if last else ""
    return (
        f"the trail's tree of {size:,} records does not extend the checkpoint of {done:,} "
        f"records the log published{when}: a record it covers was changed, or the trail holds "
        f"other leaves; run `thucthi audit verify` with the checkpoint log / cây {size:,} bản ghi "
        f"không nối tiếp điểm kiểm tra {done:,} bản ghi đã công bố"
    )


def _cut(size: int, published: Published) -> str:
    return (
        f"the log holds {size:,} records, the checkpoint log published {published.tree_size:,} "
        f"(signed {published.signed_at}, up to position {published.position}): records were "
        f"removed / nhật ký còn {size:,} bản ghi, ít hơn {published.tree_size:,} bản ghi đã công bố"
    )


def _signed_by(signer: Signer, checkpoint: StoredCheckpoint) -> bool:
    try:
        opened = open_checkpoint(checkpoint.note, signer.origin, signer.public_key)
    except NoteError:
        return False
    return opened.size == checkpoint.tree_size and opened.root == checkpoint.root


def _leaves_after(
    store: AuditStore, done: int, size: int, batch: Sequence[PublishedLeaf]
) -> Iterator[PublishedLeaf]:
    """The leaves from index ``done`` up to ``size``: the trail's, then the batch's."""
    first = batch[0].index if batch else size
    expected = done
    for start in range(done, min(first, size), _LEAF_PAGE):
        for index, position, hashed in store.leaf_rows(start, min(start + _LEAF_PAGE, first, size)):
            if index != expected:
                msg = f"the trail has no leaf {expected:,}: it cannot be checked against the log"
                raise SigningRefusedError(msg)
            expected += 1
            yield PublishedLeaf(index, position, hashed)
    for item in batch:
        if expected <= item.index < size:
            if item.index != expected:
                msg = f"the trail has no leaf {expected:,}: it cannot be checked against the log"
                raise SigningRefusedError(msg)
            expected += 1
            yield item
    if expected != size:
        msg = f"the trail holds {expected:,} leaves, not {size:,}"
        raise SigningRefusedError(msg)


def _fold(base: Frontier, leaves: Iterable[PublishedLeaf], at: set[int]) -> dict[int, bytes]:
    """The roots at the sizes ``at`` of the tree ``base`` grows into with ``leaves``."""
    frontier = Frontier(base.size, base.nodes)
    roots = {}
    for leaf in leaves:
        frontier.append(leaf.leaf)
        if frontier.size in at:
            roots[frontier.size] = frontier.root()
    return roots


def signing_refusal(
    store: AuditStore, application_name: str, log: CheckpointLog, *, at_head: bool
) -> str | None:
    """Why the signer would refuse now, judged from the trail's stored tree: its root at the size
    of the last checkpoint published differs from the signed one, or the trail is at the head of
    the log (``at_head``) with fewer records. None while it agrees, or the trail has not reached
    that size yet. Cheap (a few dozen rows): for /readyz and /metrics."""
    last = log.last()
    if last is None:
        return None
    proofs = Proofs(store, application_name)
    if proofs.size() < last.tree_size:
        return _cut(proofs.size(), last) if at_head else None
    try:
        root = proofs.root(last.tree_size)
    except ProofRequestError as e:
        return f"the trail cannot give its root at {last.tree_size:,}: {e}"
    if root != last.root:
        return (
            f"the trail's tree of {last.tree_size:,} records is not the one the log published "
            f"(signed {last.signed_at}): signing is refused"
        )
    return None


def record_of(n: Notification) -> bytes:
    """The leaf record of a stored event (``domain.shared.merkle.event_record`` of its row)."""
    originator = n.originator_id if isinstance(n.originator_id, UUID) else UUID(n.originator_id)
    return event_record(n.id, originator.bytes, n.originator_version, n.topic, n.state)


# --- proofs ------------------------------------------------------------------------------------


class ProofRequestError(ValueError):
    """A proof was asked for a position or size the trail does not have."""


class Proofs:
    """RFC 9162 inclusion and consistency proofs from the stored leaves and subtrees."""

    def __init__(self, store: AuditStore, application_name: str) -> None:
        self.store = store
        self.application_name = application_name

    def size(self) -> int:
        return self.store.load_state(self.application_name).size

    def _run(self, compute: Any) -> Any:
        """Run ``compute(mth)`` twice: to learn which stored hashes it needs, then for real."""
        wanted_leaves: set[int] = set()
        wanted_nodes: set[tuple[int, int]] = set()

        def want_leaf(index: int) -> bytes:
            wanted_leaves.add(index)
            return EMPTY_ROOT

        def want_node(key: tuple[int, int]) -> bytes:
            wanted_nodes.add(key)
            return EMPTY_ROOT

        compute(lambda start, end: _subtree(start, end, want_leaf, want_node))
        leaves, nodes = self.store.hashes(wanted_leaves, wanted_nodes)
        if len(leaves) != len(wanted_leaves) or len(nodes) != len(wanted_nodes):
            msg = "the stored tree is incomplete"
            raise ProofRequestError(msg)
        return compute(
            lambda start, end: _subtree(start, end, leaves.__getitem__, nodes.__getitem__)
        )

    def root(self, size: int) -> bytes:
        """The root of the stored tree of ``size`` records."""
        self._check_size(size)
        root: bytes = self._run(lambda mth: mth(0, size)) if size else EMPTY_ROOT
        return root

    def inclusion(self, position: int, size: int) -> dict[str, Any]:
        self._check_size(size)
        entry = self.store.record_at(position)
        if entry is None:
            msg = f"no record at position {position} in the audit trail"
            raise ProofRequestError(msg)
        if entry.leaf_index >= size:
            msg = f"position {position} is record {entry.leaf_index + 1}, after a tree of {size}"
            raise ProofRequestError(msg)
        path, root = self._run(
            lambda mth: (inclusion_path(entry.leaf_index, size, mth), mth(0, size))
        )
        return {
            "position": position,
            "leaf_index": entry.leaf_index,
            "tree_size": size,
            "leaf_hash": entry.leaf_hash,
            "proof": path,
            "root": root,
        }

    def consistency(self, first: int, second: int) -> dict[str, Any]:
        self._check_size(second)
        if not 0 < first <= second:
            msg = f"no consistency proof from {first} to {second}: 0 < from <= to"
            raise ProofRequestError(msg)
        path, first_root, second_root = self._run(
            lambda mth: (consistency_path(first, second, mth), mth(0, first), mth(0, second))
        )
        return {
            "from": first,
            "to": second,
            "first_root": first_root,
            "second_root": second_root,
            "proof": path,
        }

    def _check_size(self, size: int) -> None:
        current = self.size()
        if not 0 <= size <= current:
            msg = f"the audit trail's tree holds {current} records, not {size}"
            raise ProofRequestError(msg)


def _subtree(
    start: int,
    end: int,
    leaf: Callable[[int], bytes],
    node: Callable[[tuple[int, int]], bytes],
) -> bytes:
    """MTH(D[start:end]) from stored leaf hashes and stored subtrees (heights multiple of 4)."""
    n = end - start
    if n == 1:
        return leaf(start)
    if n & (n - 1) == 0 and start % n == 0:
        height = n.bit_length() - 1
        if height % STORED_LEVELS == 0:
            return node((height, start >> height))
    k = 1 << ((n - 1).bit_length() - 1)
    return node_hash(_subtree(start, start + k, leaf, node), _subtree(start + k, end, leaf, node))


def checkpoint_document(checkpoint: StoredCheckpoint) -> dict[str, Any]:
    return {
        "tree_size": checkpoint.tree_size,
        "position": checkpoint.position,
        "root": checkpoint.root,
        "signed_at": checkpoint.signed_at,
        "note": checkpoint.note,
    }


def covering_checkpoint(
    store: AuditStore, application_name: str, position: int
) -> StoredCheckpoint | None:
    """The first signed checkpoint whose tree includes every record up to ``position``; None
    while the trail has not reached that position (its last leaf would stop short of it)."""
    if store.max_tracking_id(application_name) < position:
        return None
    leaf = store.leaf_at(position)
    if leaf is None:
        return None
    return store.checkpoint_covering(leaf[0] + 1)


@dataclass(frozen=True, slots=True)
class Coverage:
    """What the signed checkpoints say of a log position: the checkpoint that covers it, or
    else the latest one and how many events up to the position it leaves out."""

    checkpoint: StoredCheckpoint
    number: int  # its place among the checkpoints signed, the first being 1
    covered: bool  # the checkpoint covers every event up to the position asked
    pending: int  # events up to the position asked that no checkpoint covers yet


def coverage(store: AuditStore, application_name: str, position: int) -> Coverage | None:
    """Which signed checkpoint covers the events up to ``position``; when none does yet, the
    latest and how many events after it it leaves out (they will be in the next one). None
    before any checkpoint is signed."""
    if position > 0:
        covering = covering_checkpoint(store, application_name, position)
        if covering is not None:
            return Coverage(covering, store.checkpoint_count(covering.tree_size), True, 0)
    latest = store.latest_checkpoint()
    if latest is None:
        return None
    reached = store.max_tracking_id(application_name)
    leaf = store.leaf_at(min(position, reached))
    in_trail = 0 if leaf is None else leaf[0] + 1
    # The trail may not have taken in the last events yet: those are counted by position.
    pending = max(in_trail - latest.tree_size, 0) + max(position - reached, 0)
    return Coverage(latest, store.checkpoint_count(latest.tree_size), False, pending)
