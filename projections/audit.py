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
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, is_dataclass
from pathlib import Path
from typing import Any
from uuid import UUID

import orjson
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)
from eventsourcing.domain import Aggregate, OriginatorVersionError
from eventsourcing.persistence import MapperDeserialisationError, Notification
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.sqlite import SQLiteDatastore
from eventsourcing.utils import TopicError

from domain.accounts import UserAccount
from domain.actors import Actor
from domain.application import Thucthi
from domain.directive import Directive
from domain.merkle import (
    EMPTY_ROOT,
    Frontier,
    consistency_path,
    event_record,
    inclusion_path,
    leaf_hash,
    node_hash,
)
from domain.narration import Sentence, tell, unit_sentences
from domain.notes import Checkpoint, sign_checkpoint, verifier_key
from domain.units import UnitRegistry
from projections.runner import ReadModelsUnavailableError
from readmodels.audit import (
    STORED_LEVELS,
    AuditStore,
    Entry,
    StoredCheckpoint,
    TrackingConflictError,
    TreeState,
    utc_text,
)
from readmodels.text import storable_value

DEFAULT_EVERY = 1_000
DEFAULT_ORIGIN = "thucthi.tphcm.gov.vn/log"
KEY_VARIABLE = "THUCTHI_SIGNING_KEY"
ORIGIN_VARIABLE = "THUCTHI_LOG_ORIGIN"
REDACTED = frozenset({"password_hash", "tokens"})
_CACHED_AGGREGATES = 20_000


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
        self._aggregates: OrderedDict[UUID, Aggregate] = OrderedDict()
        # The unit registry as of the events being written, kept out of the LRU above (which
        # directives would evict it from), and the names told from it.
        self._registry: UnitRegistry | None = None
        self._names: tuple[int, dict[str, Sentence]] = (0, {})
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
                    self._aggregates.clear()
                    continue
                done += len(notifications)
        return done

    def _write(self, start: int, state: TreeState, notifications: Sequence[Notification]) -> None:
        frontier = Frontier(state.size, state.frontier)
        chain = state.chain
        entries: list[Entry] = []
        nodes: list[tuple[int, int, bytes]] = []
        checkpoints: list[StoredCheckpoint] = []
        self._prefetch(notifications)
        for n in notifications:
            leaf = leaf_hash(record_of(n))
            chain = hashlib.sha256(chain + leaf).digest()
            index = frontier.size
            nodes.extend(c for c in frontier.append(leaf) if c[0] % STORED_LEVELS == 0)
            entries.append(self._entry(n, index, leaf, chain))
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
            self._aggregates.clear()  # their states ran ahead of what was written
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

    # --- one entry ---------------------------------------------------------------------------

    def _entry(self, n: Notification, index: int, leaf: bytes, chain: bytes) -> Entry:
        try:
            event: Any = self.app.mapper.to_domain_event(n)
            before, after = self._states(event)
        except (MapperDeserialisationError, TopicError, OriginatorVersionError) as e:
            # The record is hashed into the tree whatever it holds; the trail says it is unreadable.
            self._aggregates.pop(UUID(str(n.originator_id)), None)
            return Entry(
                position=n.id,
                leaf_index=index,
                recorded_at="",
                originator_id=str(n.originator_id),
                originator_version=n.originator_version,
                topic=n.topic,
                action="Unreadable",
                actor=None,
                actor_role=None,
                actor_unit=None,
                request_id=None,
                directive=None,
                subject_unit=None,
                summary_vi="Không đọc được sự kiện đã lưu",
                summary_en=f"The stored event cannot be read: {e}",
                changes="[]",
                leaf_hash=leaf,
                chain_hash=chain,
            )
        actor: Actor | None = getattr(event, "actor", None)
        directive = after.get("reference") if isinstance(event, Directive.Event) else None
        if isinstance(event, Directive.Event):
            subject_unit = after.get("lead_unit")
        elif isinstance(event, UnitRegistry.Event):
            subject_unit = getattr(event, "code", None)
        elif isinstance(event, UserAccount.Event):
            subject_unit = after.get("unit")
        else:
            subject_unit = None
        sentence = (
            tell(event, actor, self._unit_names())
            if actor is not None
            else Sentence(type(event).__name__, type(event).__name__)
        )
        return Entry(
            position=n.id,
            leaf_index=index,
            recorded_at=utc_text(event.timestamp),
            originator_id=str(n.originator_id),
            originator_version=n.originator_version,
            topic=n.topic,
            action=type(event).__name__,
            actor=actor.user_id if actor else None,
            actor_role=actor.role.value if actor else None,
            actor_unit=actor.unit if actor else None,
            request_id=getattr(event, "request_id", None),
            directive=directive,
            subject_unit=subject_unit,
            summary_vi=sentence.vi,
            summary_en=sentence.en,
            changes=orjson.dumps(storable_value(changes(before, after))).decode(),
            leaf_hash=leaf,
            chain_hash=chain,
        )

    def _prefetch(self, notifications: Sequence[Notification]) -> None:
        """Bring in, in one round trip, every aggregate the batch's events apply to that is not
        held at the version before its first event here.

        Over a year of a city the events of some 20,000 open directives interleave, more than the
        aggregates kept, and narrating an event whose aggregate was let go cost a query of its
        own: the trail's catch-up slowed as the log grew. The batch's aggregates already held are
        kept (moved to the fresh end) so that the fetched ones do not push them out.
        """
        aggregates = self._aggregates
        wanted: dict[UUID, int] = {}
        seen: set[UUID] = set()
        for n in notifications:
            key = n.originator_id if isinstance(n.originator_id, UUID) else UUID(n.originator_id)
            if key in seen:
                continue
            seen.add(key)
            held = aggregates.get(key)
            if held is not None:
                aggregates.move_to_end(key)
            if n.originator_version > 1 and (
                held is None or held.version != n.originator_version - 1
            ):
                wanted[key] = n.originator_version - 1
        if len(wanted) < 2:
            return  # one is read when its event comes, as before
        try:
            fetched = self.app.aggregates_at(wanted)
        except (MapperDeserialisationError, TopicError, OriginatorVersionError):
            return  # an unreadable record among them: each is read when its event comes
        for key, aggregate in fetched.items():
            if aggregate.version == wanted[key]:
                aggregates[key] = aggregate
        while len(aggregates) > _CACHED_AGGREGATES:
            aggregates.popitem(last=False)

    def _states(self, event: Any) -> tuple[dict[str, Any], dict[str, Any]]:
        """The aggregate's fields before and after the event."""
        key = event.originator_id
        aggregate = self._aggregates.pop(key, None)
        if event.originator_version == 1 or not hasattr(event, "mutate"):
            before: dict[str, Any] = {}
            aggregate = event.mutate(None)
        else:
            if aggregate is None or aggregate.version != event.originator_version - 1:
                aggregate = self.app.aggregate_at(key, event.originator_version - 1)
            before = fields_of(aggregate)
            event.mutate(aggregate)
        self._aggregates[key] = aggregate
        if isinstance(aggregate, UnitRegistry):
            self._registry = aggregate
        if len(self._aggregates) > _CACHED_AGGREGATES:
            self._aggregates.popitem(last=False)
        return before, fields_of(aggregate)

    def _unit_names(self) -> dict[str, Sentence]:
        if self._registry is None:  # not seen in this run yet: as last recorded
            self._registry = self.app.unit_registry()
        version, names = self._names
        if version != self._registry.version or not names:
            names = unit_sentences(self._registry)
            self._names = (self._registry.version, names)
        return names


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
