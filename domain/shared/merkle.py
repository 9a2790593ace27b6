"""RFC 9162 (Certificate Transparency v2) Merkle trees over the event log: roots, inclusion and
consistency proofs, and their verification, as the RFC writes them.

Leaves are the stored event records in notification order; a leaf's hash is
SHA-256(0x00 || record), an interior node's SHA-256(0x01 || left || right), and the tree over n
leaves splits at the largest power of two smaller than n. ``Frontier`` keeps the roots of the
complete subtrees of a growing log (one per set bit of its size), so appending a leaf and taking
the root cost O(log n), which is what a projection following the log needs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

EMPTY_ROOT = hashlib.sha256(b"").digest()


RangeRoot = Callable[[int, int], bytes]
"""MTH(D[start:end]) for ``(start, end)``: however the caller finds it (leaves in memory, or
stored subtree hashes)."""


class ProofError(ValueError):
    """A proof does not prove what it claims."""


def leaf_hash(record: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + record).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def _split(n: int) -> int:
    """The largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) over leaf hashes (not records)."""
    n = len(leaves)
    if n == 0:
        return EMPTY_ROOT
    if n == 1:
        return leaves[0]
    k = _split(n)
    return node_hash(root(leaves[:k]), root(leaves[k:]))


def inclusion_proof(index: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PATH(m, D[n]) for the leaf at ``index`` (0-based) among ``leaves`` (leaf hashes)."""
    return inclusion_path(index, len(leaves), _over(leaves))


def consistency_proof(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    """PROOF(m, D[n]): the tree of the first m leaves is a prefix of the tree of all n."""
    return consistency_path(m, len(leaves), _over(leaves))


def _over(leaves: Sequence[bytes]) -> RangeRoot:
    return lambda start, end: root(leaves[start:end])


def inclusion_path(index: int, size: int, mth: RangeRoot) -> list[bytes]:
    """PATH(index, D[size]) (RFC 9162 §2.1.3.1), asking ``mth`` for the subtree roots it needs."""
    if not 0 <= index < size:
        msg = f"leaf {index} is not in a tree of {size}"
        raise ProofError(msg)
    path: list[bytes] = []
    start, end = 0, size
    while end - start > 1:  # descend towards the leaf; siblings are collected leaf-side first
        k = _split(end - start)
        if index < start + k:
            path.append(mth(start + k, end))
            end = start + k
        else:
            path.append(mth(start, start + k))
            start += k
    path.reverse()
    return path


def consistency_path(m: int, size: int, mth: RangeRoot) -> list[bytes]:
    """PROOF(m, D[size]) (RFC 9162 §2.1.4.1), asking ``mth`` for the subtree roots it needs."""
    if not 0 < m <= size:
        msg = f"no consistency proof from {m} to {size}"
        raise ProofError(msg)
    path: list[bytes] = []
    start, end, complete = 0, size, True
    while m != end - start:
        k = _split(end - start)
        if m <= k:
            path.append(mth(start + k, end))
            end = start + k
        else:
            path.append(mth(start, start + k))
            m -= k
            start += k
            complete = False
    if not complete:
        path.append(mth(start, end))
    path.reverse()
    return path


def verify_inclusion(
    leaf: bytes, index: int, size: int, proof: Sequence[bytes], expected_root: bytes
) -> None:
    """RFC 9162 §2.1.3.2: raise ProofError unless the leaf hash is at index in the tree."""
    if not 0 <= index < size:
        msg = f"leaf {index} is not in a tree of {size}"
        raise ProofError(msg)
    fn, sn = index, size - 1
    r = leaf
    for p in proof:
        if sn == 0:
            msg = "the inclusion proof is longer than the tree is deep"
            raise ProofError(msg)
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    if sn != 0 or r != expected_root:
        msg = "the inclusion proof does not lead to the root"
        raise ProofError(msg)


def verify_consistency(
    first_size: int,
    second_size: int,
    proof: Sequence[bytes],
    first_root: bytes,
    second_root: bytes,
) -> None:
    """RFC 9162 §2.1.4.2: raise ProofError unless the first tree is a prefix of the second."""
    if not 0 < first_size <= second_size:
        msg = f"no consistency from {first_size} to {second_size}"
        raise ProofError(msg)
    if first_size == second_size:
        if proof or first_root != second_root:
            msg = "equal sizes need an empty proof and equal roots"
            raise ProofError(msg)
        return
    path = list(proof)
    if first_size & (first_size - 1) == 0:  # a power of two: the first root starts the path
        path.insert(0, first_root)
    if not path:
        msg = "empty consistency proof"
        raise ProofError(msg)
    fn, sn = first_size - 1, second_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            msg = "the consistency proof is too long"
            raise ProofError(msg)
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    if sn != 0 or fr != first_root or sr != second_root:
        msg = "the consistency proof does not connect the two roots"
        raise ProofError(msg)


class Frontier:
    """The roots of the complete subtrees of a growing log: append in O(log n), root in O(log n)."""

    def __init__(self, size: int = 0, nodes: Sequence[bytes] = ()) -> None:
        if len(nodes) != bin(size).count("1"):
            msg = f"a frontier of {size} leaves has {bin(size).count('1')} nodes, not {len(nodes)}"
            raise ValueError(msg)
        self.size = size
        self.nodes = list(nodes)  # largest subtree first

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf; the complete subtrees it closes, as (height, index at that height, hash)."""
        return self.extend((leaf,))

    def extend(self, leaves: Iterable[bytes], every: int = 1) -> list[tuple[int, int, bytes]]:
        """Add leaves in order; the complete subtrees they close at heights divisible by ``every``.

        One loop over many leaves, with the hash function and the nodes at hand: what a verifier
        walking a million records spends most of its time in besides reading them.
        """
        sha256 = hashlib.sha256
        nodes = self.nodes
        size = self.size
        closed: list[tuple[int, int, bytes]] = []
        for leaf in leaves:
            node = leaf
            rest = size
            height = 0
            while rest & 1:  # merge with every complete subtree of the same height
                node = sha256(b"\x01" + nodes.pop() + node).digest()
                rest >>= 1
                height += 1
                if height % every == 0:
                    closed.append((height, rest, node))
            nodes.append(node)
            size += 1
        self.size = size
        return closed

    def root(self) -> bytes:
        if not self.nodes:
            return EMPTY_ROOT
        result = self.nodes[-1]
        for node in reversed(self.nodes[:-1]):
            result = node_hash(node, result)
        return result


def event_record(
    position: int, originator_id: bytes, originator_version: int, topic: str, state: bytes
) -> bytes:
    """A stored event as the leaf the tree is built over: every column of its row, as stored.

    ``position`` (8 bytes, big-endian) || originator id (16 bytes) || originator version (8 bytes,
    big-endian) || length of the topic (2 bytes, big-endian) || topic (UTF-8) || state (the
    stored bytes). The position is part of the leaf, so a record moved to another place in the
    log no longer matches the tree.
    """
    name = topic.encode()
    return b"".join(
        (
            position.to_bytes(8, "big"),
            originator_id,
            originator_version.to_bytes(8, "big"),
            len(name).to_bytes(2, "big"),
            name,
            state,
        )
    )
