"""RFC 9162 Merkle trees: roots, proofs and their verification, against the RFC's definitions."""

from __future__ import annotations

import hashlib
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.shared.merkle import (
    EMPTY_ROOT,
    Frontier,
    ProofError,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

records = st.lists(st.binary(max_size=20), min_size=1, max_size=70)


def test_hashes_follow_the_rfc_domain_separation() -> None:
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    assert node_hash(b"a", b"b") == hashlib.sha256(b"\x01ab").digest()
    assert root([]) == EMPTY_ROOT == hashlib.sha256(b"").digest()


def test_the_tree_splits_at_the_largest_power_of_two_below_n() -> None:
    leaves = [leaf_hash(bytes([i])) for i in range(7)]
    left = node_hash(node_hash(leaves[0], leaves[1]), node_hash(leaves[2], leaves[3]))
    right = node_hash(node_hash(leaves[4], leaves[5]), leaves[6])
    assert root(leaves) == node_hash(left, right)


@given(records)
def test_the_frontier_gives_the_same_root_at_every_size(data: list[bytes]) -> None:
    frontier = Frontier()
    leaves = [leaf_hash(d) for d in data]
    for n, leaf in enumerate(leaves, start=1):
        frontier.append(leaf)
        assert frontier.root() == root(leaves[:n])
    restored = Frontier(frontier.size, frontier.nodes)
    assert restored.root() == frontier.root()


@given(records, st.lists(st.integers(0, 70), max_size=5), st.sampled_from([1, 2, 4]))
def test_extending_by_pages_closes_the_subtrees_of_their_leaves(
    data: list[bytes], cuts: list[int], every: int
) -> None:
    """Each closed subtree (height h, index i) is the root over leaves i*2^h up to (i+1)*2^h,
    however the leaves are split into pages, and only heights divisible by ``every`` are told."""
    leaves = [leaf_hash(d) for d in data]
    frontier = Frontier()
    closed = []
    bounds = sorted({0, len(leaves), *(c for c in cuts if c < len(leaves))})
    for start, end in itertools.pairwise(bounds):
        closed += frontier.extend(leaves[start:end], every)
        assert frontier.root() == root(leaves[:end])
    expected = [
        (h, i, root(leaves[i << h : (i + 1) << h]))
        for n in range(1, len(leaves) + 1)
        for h in range(1, n.bit_length())
        if n % (1 << h) == 0 and h % every == 0
        for i in [n // (1 << h) - 1]
    ]
    assert closed == expected


@given(records, st.data())
def test_every_inclusion_proof_verifies_and_a_wrong_leaf_does_not(
    data: list[bytes], draw: st.DataObject
) -> None:
    leaves = [leaf_hash(d) for d in data]
    index = draw.draw(st.integers(0, len(leaves) - 1))
    proof = inclusion_proof(index, leaves)
    verify_inclusion(leaves[index], index, len(leaves), proof, root(leaves))
    with pytest.raises(ProofError):
        verify_inclusion(
            leaf_hash(b"tampered" + data[index]), index, len(leaves), proof, root(leaves)
        )


@given(records, st.data())
def test_every_consistency_proof_verifies_and_a_rewritten_prefix_does_not(
    data: list[bytes], draw: st.DataObject
) -> None:
    leaves = [leaf_hash(d) for d in data]
    m = draw.draw(st.integers(1, len(leaves)))
    proof = consistency_proof(m, leaves)
    verify_consistency(m, len(leaves), proof, root(leaves[:m]), root(leaves))
    edited = list(leaves)
    edited[draw.draw(st.integers(0, m - 1))] = leaf_hash(b"edited")
    if root(edited[:m]) != root(leaves[:m]):
        with pytest.raises(ProofError):
            verify_consistency(m, len(leaves), proof, root(edited[:m]), root(leaves))


def test_proofs_out_of_range_are_refused() -> None:
    leaves = [leaf_hash(b"a"), leaf_hash(b"b")]
    with pytest.raises(ProofError):
        inclusion_proof(2, leaves)
    with pytest.raises(ProofError):
        consistency_proof(0, leaves)
    with pytest.raises(ProofError):
        verify_consistency(2, 1, [], root(leaves), root(leaves))


# The test vectors of the Certificate Transparency reference implementation (RFC 6962/9162).
VECTOR_LEAVES = [
    bytes.fromhex(h)
    for h in (
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]  # fmt: skip
VECTOR_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def test_roots_match_the_reference_test_vectors() -> None:
    leaves = [leaf_hash(d) for d in VECTOR_LEAVES]
    assert [root(leaves[:n]).hex() for n in range(1, 9)] == VECTOR_ROOTS


def test_consistency_proofs_match_the_reference_test_vectors() -> None:
    leaves = [leaf_hash(d) for d in VECTOR_LEAVES]
    assert [p.hex() for p in consistency_proof(1, leaves)] == [
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ]
    assert [p.hex() for p in consistency_proof(6, leaves)] == [
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ]
