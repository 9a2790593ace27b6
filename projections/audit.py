"""The audit projection: every stored event into the audit trail, a hash chain and a Merkle tree,
with signed checkpoints; and the proofs an inspector asks of them.

It reads the stored records themselves (``select_notifications``: the bytes as stored), because
its hashes must be of those bytes; eventsourcing's ``Projection`` hands over decoded events only,
so this one drives itself with the same batched catch-up as the oversight projection. A batch's
entries, the subtrees it closes, the checkpoints it signs, the tree's new frontier and the new
tracking position are one transaction, written only if the projection still stands where the
batch began: it is never silently behind and never counts a record twice.

Each record's leaf is ``domain.merkle.event_record`` of its row; the chain hash of record i is
SHA-256(chain hash of record i-1 || leaf hash of record i), from 32 zero bytes. A checkpoint is
signed whenever the tree's size reaches a multiple of ``every`` and on demand.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, is_dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)
from eventsourcing.persistence import Notification
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore

from domain.application import Thucthi
from domain.merkle import (
    EMPTY_ROOT,
    Frontier,
    consistency_path,
    event_record,
    inclusion_path,
    leaf_hash,
    node_hash,
)
from domain.notes import Checkpoint, sign_checkpoint, verifier_key
from projections.runner import ReadModelsUnavailableError
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
DEFAULT_ORIGIN = "thucthi.tphcm.gov.vn/log"
KEY_VARIABLE = "THUCTHI_SIGNING_KEY"
ORIGIN_VARIABLE = "THUCTHI_LOG_ORIGIN"
REDACTED = frozenset({"password_hash", "tokens"})
_CARRIED = 200_000  # aggregates whose reference and units the projection's key fold holds


# --- the signing key ---------------------------------------------------------------------------


def default_key_path(environ: Mapping[str, str] | None = None) -> Path:
    """``THUCTHI_SIGNING_KEY``, else ``~/.config/thucthi/signing-key.pem``: never the database."""
    environ = os.environ if environ is None else environ
    if environ.get(KEY_VARIABLE):
        return Path(environ[KEY_VARIABLE])
    base = Path(environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "thucthi" / "signing-key.pem"


def load_key(path: Path, *, create: bool) -> Ed25519PrivateKey:
    """The Ed25519 key in a PEM file (PKCS#8), created with mode 0600 when missing and asked to."""
    if not path.exists():
        if not create:
            msg = f"no signing key at {path}: run `thucthi init` or set {KEY_VARIABLE}"
            raise FileNotFoundError(msg)
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(pem)
        return key
    loaded = load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        msg = f"{path} does not hold an Ed25519 private key"
        raise TypeError(msg)
    return loaded


@dataclass(frozen=True, slots=True)
class Signer:
    """The log's name (its origin, also the key's name) and the key that signs its checkpoints."""

    origin: str
    key: Ed25519PrivateKey

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.key.public_key()

    @property
    def vkey(self) -> str:
        return verifier_key(self.origin, self.public_key)

    def sign(self, size: int, root: bytes) -> str:
        return sign_checkpoint(Checkpoint(self.origin, size, root), self.key)


def origin_from_env(environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    return environ.get(ORIGIN_VARIABLE) or DEFAULT_ORIGIN


def open_store(app: Thucthi, *, prefix: str = "audit", create: bool = True) -> AuditStore:
    datastore = getattr(app.factory, "datastore", None)
    if not isinstance(datastore, SQLiteDatastore | PostgresDatastore):
        msg = "the audit trail needs SQLite or PostgreSQL; memory:// keeps only events"
        raise ReadModelsUnavailableError(msg)
    store = AuditStore(datastore, prefix)
    if create:
        store.create_tables()
    return store


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
        for n in notifications:
            record = record_of(n)
            leaf = leaf_hash(record)
            chain = hashlib.sha256(chain + leaf).digest()
            index = frontier.size
            nodes.extend(c for c in frontier.append(leaf) if c[0] % STORED_LEVELS == 0)
            carried = keys(n.id, record[8:24], n.originator_version, n.topic, n.state)
            entries.append(Entry(n.id, index, *carried, leaf, chain))
            if self.signer is not None and frontier.size % self.every == 0:
                checkpoints.append(self._checkpoint(frontier.size, frontier.root(), n.id))
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

    def _checkpoint(self, size: int, root: bytes, position: int) -> StoredCheckpoint:
        assert self.signer is not None  # noqa: S101 - callers check
        return StoredCheckpoint(
            size, position, root, self.signer.sign(size, root), utc_text(self.app.clock.now())
        )

    def sign_now(self) -> StoredCheckpoint | None:
        """A checkpoint of the tree as the trail now stands (after catching up); None if empty."""
        if self.signer is None:
            msg = "this process has no signing key"
            raise PermissionError(msg)
        self.catch_up()
        with self._lock:
            state = self.store.load_state(self.app.name)
            if state.size == 0:
                return None
            existing = self.store.checkpoint_of_size(state.size)
            if existing is not None:
                return existing
            checkpoint = self._checkpoint(
                state.size, Frontier(state.size, state.frontier).root(), state.position
            )
            self.store.add_checkpoint(checkpoint)
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
        return self.sign_now()

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


def record_of(n: Notification) -> bytes:
    """The leaf record of a stored event (``domain.merkle.event_record`` of its row)."""
    originator = n.originator_id if isinstance(n.originator_id, UUID) else UUID(n.originator_id)
    return event_record(n.id, originator.bytes, n.originator_version, n.topic, n.state)


def fields_of(aggregate: Any) -> dict[str, Any]:
    """An aggregate's public fields; containers copied one level, so later changes do not leak."""
    result: dict[str, Any] = {}
    for name, value in vars(aggregate).items():
        if name.startswith("_"):
            continue
        result[name] = dict(value) if isinstance(value, dict) else value
    return result


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[dict[str, Any]]:
    """What an event changed: ``field``, ``before`` and ``after`` for each field that differs.

    A dictionary (the unit registry's units) and a tuple of records (a directive's extension and
    explanation requests) are compared item by item, so one changed request shows as one line.
    Password hashes and tokens are never shown, only that they changed.
    """
    result: list[dict[str, Any]] = []
    for name in list(after) + [k for k in before if k not in after]:
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        if name in REDACTED:
            result.append({"field": name, "before": None, "after": "(changed, not shown)"})
        elif isinstance(old, dict) and isinstance(new, dict):
            result.extend(
                {"field": f"{name}.{k}", "before": old.get(k), "after": new.get(k)}
                for k in sorted(old.keys() | new.keys())
                if old.get(k) != new.get(k)
            )
        elif isinstance(old, tuple) and isinstance(new, tuple) and _records(old + new):
            count = max(len(old), len(new))
            result.extend(
                {"field": f"{name}[{i}]", "before": _item(old, i), "after": _item(new, i)}
                for i in range(count)
                if _item(old, i) != _item(new, i)
            )
        else:
            result.append({"field": name, "before": old, "after": new})
    return result


def _records(value: object) -> bool:
    return isinstance(value, tuple) and any(is_dataclass(v) for v in value)


def _item(values: tuple[Any, ...], i: int) -> Any:
    return values[i] if i < len(values) else None


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
