"""The checkpoint log file: appended blocks read back as written, and a write a crash cut short
never taken for a published checkpoint."""

from __future__ import annotations

import base64
import hashlib
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.checkpoint_log import LEAVES_PER_LINE, CheckpointLog, Published, PublishedLeaf
from domain.shared.merkle import Frontier


def note(size: int) -> str:
    """A note's body as the log reads it (signatures are the verifier's business)."""
    root = hashlib.sha256(str(size).encode()).digest()
    return f"test/log\n{size}\n{base64.b64encode(root).decode()}\n\n— test/log AAAA\n"


def block(first: int, count: int, start: int = 1) -> tuple[list[PublishedLeaf], Published]:
    leaves = [
        PublishedLeaf(first + i, start + first + i, hashlib.sha256(b"%d" % (first + i)).digest())
        for i in range(count)
    ]
    frontier = Frontier()
    size = first + count
    return leaves, Published(size, start + size - 1, b"", note(size), "t", tuple(frontier.nodes))


@settings(max_examples=20, deadline=None)
@given(counts=st.lists(st.integers(1, 2 * LEAVES_PER_LINE + 3), min_size=1, max_size=4))
def test_blocks_read_back_as_appended(counts: list[int]) -> None:
    """Leaves in lines of at most 4,096, positions as runs, each block closed by its note."""
    with tempfile.TemporaryDirectory() as folder:
        check_blocks(CheckpointLog(Path(folder) / "checkpoints.jsonl"), counts)


def check_blocks(log: CheckpointLog, counts: list[int]) -> None:
    written = []
    first = 0
    for count in counts:
        leaves, published = block(first, count)
        with log.lock():
            log.append(leaves, published)
        written.append((leaves, published))
        first += count
    read = list(log.read())
    assert [b.checkpoint.tree_size for b in read] == [p.tree_size for _, p in written]
    for got, (leaves, _) in zip(read, written, strict=True):
        assert got.positions == [leaf.position for leaf in leaves]
        assert got.leaves == b"".join(leaf.leaf for leaf in leaves)
    last = log.last()
    assert last is not None
    assert last.tree_size == first


def test_a_write_cut_short_is_skipped_and_the_next_one_starts_on_a_line_of_its_own(
    tmp_path: Path,
) -> None:
    log = CheckpointLog(tmp_path / "checkpoints.jsonl")
    leaves, published = block(0, 10)
    log.append(leaves, published)
    whole = log.path.read_bytes()
    more, later = block(10, 5)
    log.append(more, later)
    cut = log.path.read_bytes()[: len(whole) + 40]  # the crash: part of the leaves line
    log.path.write_bytes(cut)
    last = log.last()
    assert last is not None
    assert last.tree_size == 10
    assert [b.checkpoint.tree_size for b in log.read()] == [10]
    log.append(more, later)  # written again, from the checkpoint it follows
    assert [b.checkpoint.tree_size for b in log.read()] == [10, 15]
    assert list(log.read())[1].positions == [leaf.position for leaf in more]
