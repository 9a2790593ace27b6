"""The checkpoint log: every checkpoint the signer published, with the leaf hashes it covers, in a
file beside the signing key, outside the database. It is what to back up and what to hand to a
witness: the database can be wiped or rolled back, this file says what was signed.

One JSON object per line, only ever appended:

- ``{"first": I, "positions": [[P, N], ...], "leaves": "<base64>"}``: the leaf hashes (32 bytes
  each, joined) of the records at leaf indexes I, I+1, ..., and their log positions as runs (N
  positions in a row from P);
- ``{"checkpoint": "<signed note>", "tree_size": N, "position": P, "signed_at": "<UTC>",
  "frontier": ["<base64>", ...]}``: a checkpoint as published (the C2SP signed note), closing the
  leaves lines since the previous checkpoint, which cover exactly the leaf indexes from that
  checkpoint's size up to N. ``frontier`` holds the roots of the tree's complete subtrees at N,
  largest first: what the next checkpoint is built on without reading the file from the start.

With every leaf hash kept, a verifier names the first record that differs from what was signed,
not a range between two roots. About 43 MB per million records (a leaf hash is 44 characters of
base64; a checkpoint line every 1,000 records adds about 0.7 kB). Leaves lines not followed by
their checkpoint, and a last line cut short, were never published: readers skip them.
"""

from __future__ import annotations

import base64
import fcntl
import os
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from domain.shared.notes import Checkpoint

LOG_VARIABLE = "THUCTHI_CHECKPOINT_LOG"
LEAVES_PER_LINE = 4_096
_TAIL_BLOCK = 8_192  # the last line, a checkpoint's, is about 2 kB


class CheckpointLogError(ValueError):
    """The checkpoint log cannot be read as one."""


@dataclass(frozen=True, slots=True)
class Published:
    """A checkpoint as the log published it."""

    tree_size: int
    position: int  # the log position of the last record the tree covers
    root: bytes
    note: str
    signed_at: str
    frontier: tuple[bytes, ...]


@dataclass(frozen=True, slots=True)
class PublishedLeaf:
    index: int
    position: int
    leaf: bytes


def default_path(environ: Mapping[str, str], key_path: Path) -> Path:
    """``THUCTHI_CHECKPOINT_LOG``, else ``checkpoints.jsonl`` beside the signing key."""
    if environ.get(LOG_VARIABLE):
        return Path(environ[LOG_VARIABLE])
    return key_path.parent / "checkpoints.jsonl"


class CheckpointLog:
    """The file, read and appended to under an exclusive lock (``fcntl.flock``) that every
    process signing for the log takes before it looks at the last checkpoint."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @contextmanager
    def lock(self) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            os.close(descriptor)  # closing lets the lock go

    def last(self) -> Published | None:
        """The last checkpoint in the file (read from its end); None if it holds none."""
        if not self.path.exists():
            return None
        with self.path.open("rb") as file:
            for line in _lines_backwards(file):
                if line.startswith(b'{"checkpoint"'):
                    record = _parse(line)
                    if record is not None:
                        return _published(record)
        return None

    def append(self, leaves: Iterable[PublishedLeaf], checkpoint: Published) -> None:
        """Append the leaves since the last checkpoint, then the checkpoint that closes them,
        and make them durable. Call with the lock held."""
        lines: list[bytes] = []
        chunk: list[PublishedLeaf] = []
        for leaf in leaves:
            chunk.append(leaf)
            if len(chunk) == LEAVES_PER_LINE:
                lines.append(_leaves_line(chunk))
                chunk = []
        if chunk:
            lines.append(_leaves_line(chunk))
        lines.append(
            orjson.dumps(
                {
                    "checkpoint": checkpoint.note,
                    "tree_size": checkpoint.tree_size,
                    "position": checkpoint.position,
                    "signed_at": checkpoint.signed_at,
                    "frontier": [base64.b64encode(n).decode() for n in checkpoint.frontier],
                }
            )
        )
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            size = os.fstat(descriptor).st_size
            if size and _last_byte(self.path) != b"\n":
                os.write(descriptor, b"\n")  # end a line a crash cut short; readers skip it
            os.write(descriptor, b"".join(line + b"\n" for line in lines))
            os.fsync(descriptor)
        finally:
            os.close(descriptor)

    def checkpoints(self) -> Iterator[Published]:
        """Every checkpoint in the file, in order, reading no leaf."""
        if not self.path.exists():
            return
        with self.path.open("rb") as file:
            for line in file:
                if line.startswith(b'{"checkpoint"'):
                    record = _parse(line)
                    if record is not None:
                        yield _published(record)

    def read(self) -> Iterator[Block]:
        """Each published checkpoint with the leaves it closed, from the start of the file."""
        if not self.path.exists():
            return
        positions: list[int] = []
        leaves: list[bytes] = []
        size = 0
        with self.path.open("rb") as file:
            for line in file:
                record = _parse(line)
                if record is None:
                    continue
                if "checkpoint" in record:
                    published = _published(record)
                    if len(positions) != published.tree_size - size:
                        msg = f"the leaves before checkpoint {published.tree_size} are incomplete"
                        raise CheckpointLogError(msg)
                    yield Block(size, positions, b"".join(leaves), published)
                    positions, leaves, size = [], [], published.tree_size
                elif "leaves" in record:
                    first, found, joined = _leaves(record)
                    if first == size:
                        positions, leaves = [], []  # written again after a write cut short
                    elif first != size + len(positions):
                        msg = f"leaves from {first} follow {size + len(positions)} leaves"
                        raise CheckpointLogError(msg)
                    positions += found
                    leaves.append(joined)


@dataclass(frozen=True, slots=True)
class Block:
    """A published checkpoint and the leaves it closed (leaf indexes from ``first``)."""

    first: int
    positions: list[int]
    leaves: bytes  # 32 bytes a leaf, joined
    checkpoint: Published


def _leaves_line(chunk: list[PublishedLeaf]) -> bytes:
    runs: list[list[int]] = []
    for leaf in chunk:
        if runs and runs[-1][0] + runs[-1][1] == leaf.position:
            runs[-1][1] += 1
        else:
            runs.append([leaf.position, 1])
    joined = b"".join(leaf.leaf for leaf in chunk)
    return orjson.dumps(
        {"first": chunk[0].index, "positions": runs, "leaves": base64.b64encode(joined).decode()}
    )


def _leaves(record: dict[str, Any]) -> tuple[int, list[int], bytes]:
    try:
        joined = base64.b64decode(record["leaves"], validate=True)
        first = int(record["first"])
        positions = [p for start, count in record["positions"] for p in range(start, start + count)]
    except (KeyError, TypeError, ValueError) as e:
        msg = f"a leaves line cannot be read: {e}"
        raise CheckpointLogError(msg) from e
    if len(joined) != 32 * len(positions):
        msg = "a leaves line has not one position per leaf hash"
        raise CheckpointLogError(msg)
    return first, positions, joined


def _published(record: dict[str, Any]) -> Published:
    try:
        note = str(record["checkpoint"])
        body = Checkpoint.parse(note.split("\n\n", 1)[0] + "\n")
        return Published(
            tree_size=int(record["tree_size"]),
            position=int(record["position"]),
            root=body.root,
            note=note,
            signed_at=str(record["signed_at"]),
            frontier=tuple(base64.b64decode(n, validate=True) for n in record["frontier"]),
        )
    except (KeyError, TypeError, ValueError) as e:
        msg = f"a checkpoint line cannot be read: {e}"
        raise CheckpointLogError(msg) from e


def _parse(line: bytes) -> dict[str, Any] | None:
    """A line's object; None for a line cut short (no newline written after it, or half JSON)."""
    try:
        record = orjson.loads(line)
    except orjson.JSONDecodeError:
        return None
    return record if isinstance(record, dict) else None


def _last_byte(path: Path) -> bytes:
    with path.open("rb") as file:
        file.seek(-1, os.SEEK_END)
        return file.read(1)


def _lines_backwards(file: BinaryIO) -> Iterator[bytes]:
    """The file's lines from the last, read in blocks from its end."""
    file.seek(0, os.SEEK_END)
    position = file.tell()
    rest = b""
    while position > 0:
        step = min(_TAIL_BLOCK, position)
        position -= step
        file.seek(position)
        block = file.read(step) + rest
        lines = block.split(b"\n")
        rest = lines[0]  # may continue in the block before
        for line in reversed(lines[1:]):
            if line:
                yield line
    if rest:
        yield rest
