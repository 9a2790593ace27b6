#!/usr/bin/env python3
"""Check Thucthi's audit log yourself, without trusting the server or its code.

Tự kiểm tra nhật ký kiểm toán của Thucthi, không cần tin máy chủ hay mã nguồn của nó.

Every event Thucthi records is a leaf of one append-only Merkle tree (RFC 9162, the tree of
Certificate Transparency). The server publishes, now and then, a *checkpoint*: the number of
records in the log and the root hash over them, signed with the log's Ed25519 key. This script
checks three things, each from files you downloaded:

``checkpoint``
    The checkpoint is signed by the log's public key, and is a checkpoint of that log (its
    origin, first line, is the key's name). Prints origin, tree size and root.
``inclusion``
    A record is in the tree the checkpoint signs: the proof's hashes lead from the record's
    leaf hash to the signed root. When the proof carries the record itself, its leaf hash is
    recomputed from it and the record is decoded and printed (position, originator id and
    version, topic, state as JSON), so you see exactly which content is committed to.
``consistency``
    The log only grew between two checkpoints: the older tree is a prefix of the newer one, so
    no record the older checkpoint covered was altered, removed or reordered since.
``file``
    A file you hold is the one a directive's event filed: the file's SHA-256 is among the
    ``files`` of the record the proof carries (the answer of ``GET
    /api/directives/{ref}/files/{digest}/proof``, or ``thucthi audit file-proof --out``), and
    that record is in the tree its signed checkpoint signs (as ``inclusion`` checks).
``checkpoint-log``
    The checkpoint log a witness holds (the file the server publishes every checkpoint to,
    beside its signing key): every checkpoint in it is signed by the log's key, and the leaf
    hashes it keeps, folded from the first, make exactly each signed root; so each checkpoint
    extends the one before, and the file can name the position of any record changed later.

Usage (Python 3.10 or later; ``pip install cryptography`` is the only dependency)::

    python thucthi_verify.py checkpoint  --key PUBLIC.vkey CHECKPOINT.txt
    python thucthi_verify.py inclusion   --key PUBLIC.vkey --checkpoint CHECKPOINT.txt PROOF.json
    python thucthi_verify.py consistency --key PUBLIC.vkey --old OLD.txt --new NEW.txt PROOF.json
    python thucthi_verify.py checkpoint-log --key PUBLIC.vkey checkpoints.jsonl
    python thucthi_verify.py file        --key PUBLIC.vkey FILE-PROOF.json FILE

``PUBLIC.vkey`` holds the verifier key ``name+hexid+base64(0x01 || public key)`` (or the JSON
answer of ``GET /api/audit/public-key``, with a ``vkey`` field). A checkpoint file holds the
signed note exactly as served (or the JSON answer of ``GET /api/audit/checkpoint``, with a
``note`` field); it is read as bytes, so do not let an editor change its line endings. The proof
files are the JSON answers of ``GET /api/audit/proof/inclusion`` and ``.../consistency``.

Exit status: 0 and a line ``OK: ...`` when everything verifies; 1 and one line ``FAILED: ...``
saying what did not; 2 for a wrong command line. Get the public key from a source other than the
server you check (a published notice, a letter) for the signature to mean anything.

The checkpoint log has one JSON object per line: ``{"first": I, "positions": [[P, N], ...],
"leaves": "<base64>"}`` holds the leaf hashes (32 bytes each, joined) of leaf indexes I, I+1, ...
and their log positions as runs (N positions in a row from P); ``{"checkpoint": "<signed note>",
"tree_size": N, "position": P, "signed_at": "...", "frontier": [...]}`` is a checkpoint, closing
the leaves since the one before. A last line cut short, and leaves written again from a
checkpoint's size (after a write that stopped short), are skipped as the server skips them.

Formats, re-implemented here from their specifications so that this file can be read alone:
RFC 9162 §2.1 (hashes and proofs), c2sp.org/signed-note and c2sp.org/tlog-checkpoint. A record
(leaf) is: position (8 bytes, big-endian) || originator id (16 bytes, a UUID) || originator
version (8 bytes, big-endian) || topic length (2 bytes, big-endian) || topic (UTF-8) || state
(the event as JSON).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import hashlib
import json
import sys
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

HASH_SIZE = 32
ED25519 = b"\x01"  # the signed-note signature type of Ed25519
DASH = "\u2014"  # "—": every signature line of a signed note starts with it and a space


class VerificationError(Exception):
    """Something does not verify, or an input is malformed; the message says what."""


# --- RFC 9162 §2.1: the Merkle tree hashes -------------------------------------------------


def leaf_hash(record: bytes) -> bytes:
    """The hash of a leaf: SHA-256(0x00 || record)."""
    return hashlib.sha256(b"\x00" + record).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """The hash of an interior node: SHA-256(0x01 || left || right)."""
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(
    leaf: bytes, index: int, size: int, path: Sequence[bytes], root: bytes
) -> None:
    """RFC 9162 §2.1.3.2: the leaf hash is leaf ``index`` (0-based) of the tree of ``size``."""
    if not 0 <= index < size:
        msg = f"leaf {index} cannot be in a tree of {size} records"
        raise VerificationError(msg)
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0:
            msg = "the inclusion proof has more hashes than the tree is deep"
            raise VerificationError(msg)
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        msg = "the inclusion proof has too few hashes for the tree"
        raise VerificationError(msg)
    if r != root:
        msg = "the inclusion proof does not lead to the signed root"
        raise VerificationError(msg)


def verify_consistency(
    first: int, second: int, path: Sequence[bytes], first_root: bytes, second_root: bytes
) -> None:
    """RFC 9162 §2.1.4.2: the tree of ``first`` records is a prefix of the tree of ``second``."""
    if not 0 < first < second:
        _verify_degenerate_consistency(first, second, path, first_root, second_root)
        return
    hashes = list(path)
    if first & (first - 1) == 0:  # a power of two: the older root is a node of the newer tree
        hashes.insert(0, first_root)
    if not hashes:
        msg = "the consistency proof is empty"
        raise VerificationError(msg)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = hashes[0]
    for c in hashes[1:]:
        if sn == 0:
            msg = "the consistency proof has more hashes than the tree is deep"
            raise VerificationError(msg)
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0:
        msg = "the consistency proof has too few hashes for the trees"
        raise VerificationError(msg)
    if fr != first_root:
        msg = "the consistency proof does not lead to the older root"
        raise VerificationError(msg)
    if sr != second_root:
        msg = "the consistency proof does not lead to the newer root"
        raise VerificationError(msg)


def _verify_degenerate_consistency(
    first: int, second: int, path: Sequence[bytes], first_root: bytes, second_root: bytes
) -> None:
    """The cases §2.1.4.2 leaves aside: an empty older tree, a shrunk log, equal sizes."""
    if first <= 0:
        msg = f"a consistency proof starts from a tree of at least one record, not {first}"
        raise VerificationError(msg)
    if first > second:
        msg = f"a tree of {first} records cannot be a prefix of a tree of {second}"
        raise VerificationError(msg)
    if path:
        msg = "trees of the same size need an empty consistency proof"
        raise VerificationError(msg)
    if first_root != second_root:
        msg = "two trees of the same size have different roots: the log was rewritten"
        raise VerificationError(msg)


# --- c2sp.org/signed-note and c2sp.org/tlog-checkpoint -------------------------------------


@dataclass(frozen=True)
class Checkpoint:
    """A signed statement of the log: its name, how many records, the root over them."""

    origin: str
    size: int
    root: bytes


@dataclass(frozen=True)
class VerifierKey:
    name: str
    key_id: bytes
    key: Ed25519PublicKey

    def __str__(self) -> str:
        return f"{self.name}+{self.key_id.hex()}"


def _b64(text: str, what: str) -> bytes:
    try:
        return base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        msg = f"{what} is not base64"
        raise VerificationError(msg) from None


def _check_name(name: str) -> None:
    if not name or any(ch.isspace() or ch == "+" for ch in name):
        msg = f"a key name is non-empty, without spaces or '+': {name[:60]!r}"
        raise VerificationError(msg)


def key_id(name: str, public_key: bytes) -> bytes:
    """The first four bytes of SHA-256(name || 0x0A || 0x01 || public key)."""
    return hashlib.sha256(name.encode() + b"\n" + ED25519 + public_key).digest()[:4]


def parse_verifier_key(vkey: str) -> VerifierKey:
    """Read ``name+hexid+base64(0x01 || Ed25519 public key)`` and check its key id."""
    parts = vkey.strip().split("+", 2)  # the base64 key itself may contain '+'
    if len(parts) != 3:
        msg = "a verifier key is name+keyid+key"
        raise VerificationError(msg)
    name, hex_id, encoded = parts
    _check_name(name)
    raw = _b64(encoded, "the verifier key")
    if len(raw) != 33 or raw[:1] != ED25519:
        msg = "the verifier key is not an Ed25519 key"
        raise VerificationError(msg)
    wanted = key_id(name, raw[1:])
    if hex_id.lower() != wanted.hex():
        msg = "the verifier key's id does not match its name and key"
        raise VerificationError(msg)
    return VerifierKey(name, wanted, Ed25519PublicKey.from_public_bytes(raw[1:]))


def open_note(note: str, vkey: VerifierKey) -> str:
    """The text of a signed note, once a signature by ``vkey`` on it verifies."""
    if not note.endswith("\n"):
        msg = "a signed note ends with a newline"
        raise VerificationError(msg)
    text, blank, signatures = note[:-1].rpartition("\n\n")
    if not blank or not text:
        msg = "a signed note is its text, a blank line, then signature lines"
        raise VerificationError(msg)
    text += "\n"
    named = False
    for line in signatures.split("\n"):
        words = line.split(" ")
        if len(words) != 3 or words[0] != DASH:
            msg = f"not a signature line: {line[:80]!r}"
            raise VerificationError(msg)
        if words[1] != vkey.name:
            continue  # a cosigner or another log: not the key asked about
        named = True
        blob = _b64(words[2], "a signature")
        if len(blob) != 4 + 64 or blob[:4] != vkey.key_id:
            continue  # another key of the same name
        try:
            vkey.key.verify(blob[4:], text.encode())
        except InvalidSignature:
            msg = f"the signature by {vkey} does not verify: the note was altered"
            raise VerificationError(msg) from None
        return text
    msg = (
        f"the note is signed by {vkey.name}, but not with the key {vkey}"
        if named
        else f"the note carries no signature by {vkey.name}"
    )
    raise VerificationError(msg)


def parse_checkpoint(text: str) -> Checkpoint:
    """Origin, decimal tree size and base64 root, one per line (extension lines may follow)."""
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "" or not all(lines[:-1]):
        msg = "a checkpoint is at least three non-empty lines, each ended by a newline"
        raise VerificationError(msg)
    origin, size_text, root_text = lines[:3]
    digits = size_text.isascii() and size_text.isdigit() and len(size_text) <= 20
    if not digits or size_text != str(int(size_text)) or int(size_text) >= 1 << 64:
        msg = f"the tree size is not a decimal number below 2^64: {size_text[:80]!r}"
        raise VerificationError(msg)
    root = _b64(root_text, "the checkpoint's root")
    if len(root) != HASH_SIZE:
        msg = f"the checkpoint's root has {len(root)} bytes, not {HASH_SIZE}"
        raise VerificationError(msg)
    return Checkpoint(origin, int(size_text), root)


def verify_checkpoint(note: str, vkey: str) -> Checkpoint:
    """The checkpoint in a signed note, once signed by ``vkey`` whose name is its origin."""
    key = parse_verifier_key(vkey)
    checkpoint = parse_checkpoint(open_note(note, key))
    if checkpoint.origin != key.name:
        msg = f"the checkpoint is of the log {checkpoint.origin!r}, not of {key.name!r}"
        raise VerificationError(msg)
    return checkpoint


# --- the leaf record -----------------------------------------------------------------------


@dataclass(frozen=True)
class Record:
    """A stored event, as the leaf the tree is built over."""

    position: int
    originator_id: uuid.UUID
    originator_version: int
    topic: str
    state: bytes

    def state_text(self) -> str:
        """The state as indented JSON, or as base64 if it is not JSON."""
        try:
            return json.dumps(json.loads(self.state), ensure_ascii=False, indent=2)
        except (ValueError, RecursionError):
            return "(not JSON, base64) " + base64.b64encode(self.state).decode()


def decode_record(record: bytes) -> Record:
    """Split a leaf record into its fields (layout in this module's docstring)."""
    head = 8 + 16 + 8 + 2
    if len(record) < head:
        msg = f"the record has {len(record)} bytes, fewer than the {head} of its fixed fields"
        raise VerificationError(msg)
    topic_end = head + int.from_bytes(record[32:34], "big")
    if len(record) < topic_end:
        msg = "the record is shorter than its topic length says"
        raise VerificationError(msg)
    try:
        topic = record[head:topic_end].decode("utf-8")
    except UnicodeDecodeError:
        msg = "the record's topic is not UTF-8"
        raise VerificationError(msg) from None
    return Record(
        position=int.from_bytes(record[0:8], "big"),
        originator_id=uuid.UUID(bytes=record[8:24]),
        originator_version=int.from_bytes(record[24:32], "big"),
        topic=topic,
        state=record[topic_end:],
    )


# --- the proofs as served ------------------------------------------------------------------


def _field(data: Mapping[str, object], name: str) -> object:
    if not isinstance(data, Mapping):
        msg = "the proof is not a JSON object"
        raise VerificationError(msg)
    if name not in data:
        msg = f"the proof has no {name!r}"
        raise VerificationError(msg)
    return data[name]


def _integer(data: Mapping[str, object], name: str) -> int:
    value = _field(data, name)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        msg = f"the proof's {name!r} is not a whole number"
        raise VerificationError(msg)
    return value


def _bytes(data: Mapping[str, object], name: str) -> bytes:
    value = _field(data, name)
    if not isinstance(value, str):
        msg = f"the proof's {name!r} is not a base64 string"
        raise VerificationError(msg)
    return _b64(value, f"the proof's {name!r}")


def _hash(value: object, what: str) -> bytes:
    if not isinstance(value, str):
        msg = f"{what} is not a base64 string"
        raise VerificationError(msg)
    raw = _b64(value, what)
    if len(raw) != HASH_SIZE:
        msg = f"{what} has {len(raw)} bytes, not {HASH_SIZE}"
        raise VerificationError(msg)
    return raw


def _hashes(data: Mapping[str, object], name: str) -> list[bytes]:
    value = _field(data, name)
    if not isinstance(value, list):
        msg = f"the proof's {name!r} is not a list of hashes"
        raise VerificationError(msg)
    return [_hash(v, f"hash {i} of the proof") for i, v in enumerate(value)]


@dataclass(frozen=True)
class Inclusion:
    """What a verified inclusion proof established."""

    checkpoint: Checkpoint
    leaf_index: int
    leaf_hash: bytes
    record: Record | None


def verify_inclusion_proof(
    proof: Mapping[str, object], checkpoint_note: str, vkey: str
) -> Inclusion:
    """Check a served inclusion proof against a signed checkpoint; VerificationError if not.

    ``proof`` is ``{"position", "leaf_index", "tree_size", "record" (optional), "leaf_hash",
    "proof", "root"}`` with the bytes in base64.
    """
    checkpoint = verify_checkpoint(checkpoint_note, vkey)
    index = _integer(proof, "leaf_index")
    size = _integer(proof, "tree_size")
    leaf = _hash(_field(proof, "leaf_hash"), "the proof's 'leaf_hash'")
    path = _hashes(proof, "proof")
    root = _hash(_field(proof, "root"), "the proof's 'root'")
    if size != checkpoint.size:
        msg = f"the proof is for a tree of {size} records, the checkpoint of {checkpoint.size}"
        raise VerificationError(msg)
    if root != checkpoint.root:
        msg = "the proof's root is not the checkpoint's root"
        raise VerificationError(msg)
    record = None
    if proof.get("record") is not None:
        raw = _bytes(proof, "record")
        if leaf_hash(raw) != leaf:
            msg = "the record does not hash to the leaf hash: it is not the record proved"
            raise VerificationError(msg)
        record = decode_record(raw)
        if proof.get("position") is not None:
            position = _integer(proof, "position")
            if record.position != position:
                msg = f"the record is at position {record.position}, not {position} as asked"
                raise VerificationError(msg)
    verify_inclusion(leaf, index, size, path, checkpoint.root)
    return Inclusion(checkpoint, index, leaf, record)


def verify_consistency_proof(
    proof: Mapping[str, object], old_note: str, new_note: str, vkey: str
) -> tuple[Checkpoint, Checkpoint]:
    """Check a served consistency proof between two signed checkpoints.

    ``proof`` is ``{"from", "to", "first_root", "second_root", "proof"}`` with the hashes in
    base64. Returns the older and the newer checkpoint.
    """
    old = verify_checkpoint(old_note, vkey)
    new = verify_checkpoint(new_note, vkey)
    first = _integer(proof, "from")
    second = _integer(proof, "to")
    first_root = _hash(_field(proof, "first_root"), "the proof's 'first_root'")
    second_root = _hash(_field(proof, "second_root"), "the proof's 'second_root'")
    path = _hashes(proof, "proof")
    if (first, second) != (old.size, new.size):
        msg = (
            f"the proof is from {first} to {second} records, "
            f"the checkpoints are of {old.size} and {new.size}"
        )
        raise VerificationError(msg)
    if first_root != old.root:
        msg = "the proof's first root is not the older checkpoint's root"
        raise VerificationError(msg)
    if second_root != new.root:
        msg = "the proof's second root is not the newer checkpoint's root"
        raise VerificationError(msg)
    verify_consistency(first, second, path, old.root, new.root)
    return old, new


# --- the checkpoint log -------------------------------------------------------------------


@dataclass(frozen=True)
class CheckpointLog:
    """What a verified checkpoint log holds: its checkpoints, and every leaf they sign."""

    checkpoints: list[Checkpoint]
    leaves: int


def _root_of(frontier: list[bytes]) -> bytes:
    """The root of a tree from the roots of its complete subtrees, largest first."""
    if not frontier:
        return hashlib.sha256(b"").digest()
    root = frontier[-1]
    for node in reversed(frontier[:-1]):
        root = node_hash(node, root)
    return root


def _append(frontier: list[bytes], size: int, leaf: bytes) -> None:
    """Add a leaf to the tree of ``size`` leaves whose complete subtrees are ``frontier``."""
    node = leaf
    while size & 1:
        node = node_hash(frontier.pop(), node)
        size >>= 1
    frontier.append(node)


def _leaves_line(data: Mapping[str, object]) -> tuple[int, list[int], bytes]:
    first = _integer(data, "first")
    runs = _field(data, "positions")
    if not isinstance(runs, list) or not all(
        isinstance(r, list) and len(r) == 2 and all(isinstance(x, int) for x in r) for r in runs
    ):
        msg = "a leaves line's 'positions' are not [position, count] pairs"
        raise VerificationError(msg)
    positions = [p for start, count in runs for p in range(start, start + count)]
    joined = _bytes(data, "leaves")
    if len(joined) != HASH_SIZE * len(positions):
        msg = f"the leaves line from leaf {first} has not one position per leaf hash"
        raise VerificationError(msg)
    return first, positions, joined


class _LogWalk:
    """The tree a checkpoint log's leaves make, checked at each of its checkpoints."""

    def __init__(self, vkey: str) -> None:
        self.vkey = vkey
        self.frontier: list[bytes] = []
        self.size = 0  # leaves folded into the frontier: the size of the last checkpoint
        self.pending: list[tuple[int, bytes]] = []  # (position, leaf hash) since that checkpoint
        self.last_position = 0
        self.checkpoints: list[Checkpoint] = []

    def leaves(self, data: Mapping[str, object], number: int) -> None:
        first, positions, joined = _leaves_line(data)
        if first == self.size:
            self.pending = []  # written again from the checkpoint, after a write cut short
        elif first != self.size + len(self.pending):
            msg = f"line {number}: leaves from {first} follow {self.size + len(self.pending)}"
            raise VerificationError(msg)
        self.pending += [(p, joined[32 * i : 32 * i + 32]) for i, p in enumerate(positions)]

    def checkpoint(self, data: Mapping[str, object], number: int) -> None:
        note = _field(data, "checkpoint")
        if not isinstance(note, str):
            msg = f"line {number}: the checkpoint is not a signed note"
            raise VerificationError(msg)
        checkpoint = verify_checkpoint(note, self.vkey)
        if checkpoint.size != self.size + len(self.pending):
            msg = (
                f"line {number}: the checkpoint of {checkpoint.size} records follows "
                f"{self.size + len(self.pending)} leaves"
            )
            raise VerificationError(msg)
        for position, leaf in self.pending:
            if position <= self.last_position:
                msg = f"line {number}: position {position} follows {self.last_position}"
                raise VerificationError(msg)
            self.last_position = position
            _append(self.frontier, self.size, leaf)
            self.size += 1
        if _root_of(self.frontier) != checkpoint.root:
            msg = (
                f"line {number}: the leaves kept do not make the signed root of the "
                f"checkpoint of {checkpoint.size} records"
            )
            raise VerificationError(msg)
        self.checkpoints.append(checkpoint)
        self.pending = []


def verify_checkpoint_log(lines: Sequence[str], vkey: str) -> CheckpointLog:
    """Check a checkpoint log line by line (format in this module's docstring)."""
    walk = _LogWalk(vkey)
    for number, line in enumerate(lines, 1):
        try:
            data = json.loads(line)
        except (ValueError, RecursionError):
            continue  # a line a crash cut short: never published
        if isinstance(data, dict) and "leaves" in data:
            walk.leaves(data, number)
        elif isinstance(data, dict) and "checkpoint" in data:
            walk.checkpoint(data, number)
    if not walk.checkpoints:
        msg = "the checkpoint log holds no checkpoint"
        raise VerificationError(msg)
    return CheckpointLog(walk.checkpoints, walk.size)


# --- the command line ----------------------------------------------------------------------


def _read_text(path: str) -> str:
    try:
        data = Path(path).read_bytes()  # bytes: no newline translation under a signature
    except OSError as e:
        msg = f"cannot read {path}: {e.strerror or e}"
        raise VerificationError(msg) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        msg = f"{path} is not UTF-8 text"
        raise VerificationError(msg) from None


def _parse_json(text: str, path: str) -> object:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        msg = f"{path} is not valid JSON"
        raise VerificationError(msg) from None


def _text_or_json_field(path: str, name: str) -> str:
    """A file's text, or the string field ``name`` when the file is a JSON object."""
    text = _read_text(path)
    if not text.lstrip().startswith("{"):
        return text
    data = _parse_json(text, path)
    value = data.get(name) if isinstance(data, dict) else None
    if not isinstance(value, str):
        msg = f"{path} is JSON without a {name!r} string"
        raise VerificationError(msg)
    return value


def read_key(path: str) -> str:
    return _text_or_json_field(path, "vkey").strip()


def read_checkpoint(path: str) -> str:
    return _text_or_json_field(path, "note")


def read_proof(path: str) -> Mapping[str, object]:
    data = _parse_json(_read_text(path), path)
    if not isinstance(data, dict):
        msg = f"{path} is not a JSON object"
        raise VerificationError(msg)
    return data


def _describe(checkpoint: Checkpoint) -> list[str]:
    return [
        f"origin:    {checkpoint.origin}",
        f"tree size: {checkpoint.size}",
        # In hex, as Thucthi's pages and ``thucthi audit verify`` show a root; the note itself
        # carries the same 32 bytes in base64.
        f"root:      {checkpoint.root.hex()}",
    ]


def _run(args: argparse.Namespace) -> list[str]:
    vkey: str = read_key(args.key)
    signer = str(parse_verifier_key(vkey))
    if args.command == "checkpoint":
        checkpoint = verify_checkpoint(read_checkpoint(args.checkpoint_file), vkey)
        return [*_describe(checkpoint), f"OK: the checkpoint is signed by {signer}"]
    if args.command == "inclusion":
        result = verify_inclusion_proof(
            read_proof(args.proof), read_checkpoint(args.checkpoint), vkey
        )
        lines = _describe(result.checkpoint)
        lines.append(f"leaf hash: {result.leaf_hash.hex()}")
        what = f"leaf {result.leaf_index}"
        if result.record is not None:
            record = result.record
            lines += [
                f"position:           {record.position}",
                f"originator id:      {record.originator_id}",
                f"originator version: {record.originator_version}",
                f"topic:              {record.topic}",
                f"state:              {record.state_text()}",
            ]
            what = f"the record at position {record.position} ({what})"
        lines.append(
            f"OK: {what} is in the tree of {result.checkpoint.size} records signed by {signer}"
        )
        return lines
    if args.command == "file":
        return _file_lines(args, vkey, signer)
    if args.command == "checkpoint-log":
        log = verify_checkpoint_log(_read_text(args.log_file).splitlines(), vkey)
        last = log.checkpoints[-1]
        return [
            *_describe(last),
            f"checkpoints: {len(log.checkpoints)}",
            f"OK: {len(log.checkpoints)} checkpoints signed by {signer}, each extending the one "
            f"before; the {log.leaves} leaf hashes kept make every signed root",
        ]
    old, new = verify_consistency_proof(
        read_proof(args.proof), read_checkpoint(args.old), read_checkpoint(args.new), vkey
    )
    return [
        *(f"old {line}" for line in _describe(old)),
        *(f"new {line}" for line in _describe(new)),
        f"OK: the tree of {old.size} records is a prefix of the tree of {new.size}, "
        f"both signed by {signer}",
    ]


def _file_lines(args: argparse.Namespace, vkey: str, signer: str) -> list[str]:
    """A file is the one a record of the log filed (``file`` above)."""
    proof = read_proof(args.proof)
    inclusion = proof.get("inclusion")
    if not isinstance(inclusion, Mapping):
        msg = "the proof has no 'inclusion'"
        raise VerificationError(msg)
    note = inclusion.get("checkpoint")
    if not isinstance(note, str):
        msg = "the proof carries no signed checkpoint"
        raise VerificationError(msg)
    result = verify_inclusion_proof(inclusion, note, vkey)
    if result.record is None:
        msg = "the proof does not carry the record that filed the file"
        raise VerificationError(msg)
    try:
        data = Path(args.file).read_bytes()
    except OSError as e:
        msg = f"cannot read {args.file}: {e.strerror}"
        raise VerificationError(msg) from None
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    try:
        state = json.loads(result.record.state)
    except ValueError:
        state = {}
    files = state.get("files") if isinstance(state, dict) else None
    found = [f for f in files or () if isinstance(f, dict) and f.get("digest") == digest]
    if not found:
        msg = f"the record at position {result.record.position} files no file {digest}"
        raise VerificationError(msg)
    return [
        *_describe(result.checkpoint),
        f"file:      {args.file} ({len(data)} bytes)",
        f"digest:    {digest}",
        f"filed as:  {found[0].get('name')} ({found[0].get('media_type')})",
        f"record:    position {result.record.position}, {result.record.topic}, "
        f"{state.get('timestamp')}",
        f"OK: the file is the one filed by the record at position {result.record.position}, "
        f"in the tree of {result.checkpoint.size} records signed by {signer}",
    ]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="thucthi_verify.py",
        description="Verify Thucthi's signed audit checkpoints and Merkle proofs.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    key_help = "the log's verifier key (name+id+key), or JSON with a 'vkey' field"

    checkpoint = commands.add_parser("checkpoint", help="check a checkpoint's signature")
    checkpoint.add_argument("--key", required=True, help=key_help)
    checkpoint.add_argument("checkpoint_file", metavar="CHECKPOINT", help="the signed note")

    inclusion = commands.add_parser("inclusion", help="check that a record is in the log")
    inclusion.add_argument("--key", required=True, help=key_help)
    inclusion.add_argument("--checkpoint", required=True, help="the signed checkpoint")
    inclusion.add_argument("proof", metavar="PROOF.json", help="the inclusion proof")

    consistency = commands.add_parser("consistency", help="check that the log only grew")
    consistency.add_argument("--key", required=True, help=key_help)
    consistency.add_argument("--old", required=True, help="the older signed checkpoint")
    consistency.add_argument("--new", required=True, help="the newer signed checkpoint")
    consistency.add_argument("proof", metavar="PROOF.json", help="the consistency proof")

    filed = commands.add_parser("file", help="check that a file is the one a record filed")
    filed.add_argument("--key", required=True, help=key_help)
    filed.add_argument("proof", metavar="FILE-PROOF.json", help="the file's proof")
    filed.add_argument("file", metavar="FILE", help="the file you hold")

    log = commands.add_parser("checkpoint-log", help="check a checkpoint log a witness holds")
    log.add_argument("--key", required=True, help=key_help)
    log.add_argument("log_file", metavar="CHECKPOINTS.jsonl", help="the checkpoint log")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)  # exits with 2 on a wrong command line
    try:
        lines = _run(args)
    except VerificationError as e:
        sys.stderr.write(f"FAILED: {e}\n")
        return 1
    except Exception as e:  # a bug here: an inspector still gets one line, not a traceback
        sys.stderr.write(f"FAILED: unexpected {type(e).__name__}: {e}\n")
        return 1
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
