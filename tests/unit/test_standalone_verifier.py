"""The inspectors' standalone verifier (docs/inspectors/thucthi_verify.py) against the server's
own trees, proofs and signed checkpoints: it accepts every true statement and refuses every
altered one, and agrees with the Certificate Transparency reference vectors."""

from __future__ import annotations

import ast
import base64
import dataclasses
import functools
import hashlib
import importlib.util
import json
import subprocess
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from domain.shared import merkle, notes

SCRIPT = Path(__file__).resolve().parents[2] / "docs" / "inspectors" / "thucthi_verify.py"


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("thucthi_verify", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


verifier = _load(SCRIPT)
VerificationError: type[Exception] = verifier.VerificationError

ORIGIN = "thucthi.example/audit"
KEY = Ed25519PrivateKey.generate()
OTHER_KEY = Ed25519PrivateKey.generate()
VKEY = notes.verifier_key(ORIGIN, KEY.public_key())

slow = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
mutations = settings(slow, max_examples=60)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def flip(data: bytes, bit: int) -> bytes:
    """``data`` with one bit inverted (``bit`` taken modulo its length in bits)."""
    bit %= len(data) * 8
    out = bytearray(data)
    out[bit // 8] ^= 1 << (bit % 8)
    return bytes(out)


def a_record(position: int, *, edited: bool = False) -> bytes:
    """A real leaf record, as the server stores it: an event of some directive."""
    directive = uuid.uuid5(uuid.NAMESPACE_URL, f"directive-{position % 13}")
    state = {"position": position, "title": "Sửa đường Lê Lợi", "edited": edited}
    return merkle.event_record(
        position,
        directive.bytes,
        position // 13 + 1,
        "domain.directives.directive:Directive.ProgressReported",
        json.dumps(state, ensure_ascii=False).encode(),
    )


@functools.cache
def log(size: int) -> tuple[list[bytes], list[bytes]]:
    """The records at positions 1..size and their leaf hashes."""
    records = [a_record(position) for position in range(1, size + 1)]
    return records, [merkle.leaf_hash(r) for r in records]


def checkpoint(
    size: int,
    root: bytes,
    *,
    key: Ed25519PrivateKey = KEY,
    origin: str = ORIGIN,
    signer: str | None = None,
) -> str:
    """A signed checkpoint; ``signer`` names the signing key when it is not the origin."""
    return notes.sign(notes.Checkpoint(origin, size, root).text(), signer or origin, key)


# --- cases and how they are altered ---------------------------------------------------------


@dataclass(frozen=True)
class InclusionCase:
    proof: dict[str, Any]
    note: str
    vkey: str = VKEY

    def verify(self) -> Any:
        return verifier.verify_inclusion_proof(self.proof, self.note, self.vkey)

    def with_proof(self, **changes: Any) -> InclusionCase:
        return dataclasses.replace(self, proof={**self.proof, **changes})


def inclusion_case(size: int, index: int, *, with_record: bool = True) -> InclusionCase:
    records, leaves = log(size)
    root = merkle.root(leaves)
    proof: dict[str, Any] = {
        "position": index + 1,
        "leaf_index": index,
        "tree_size": size,
        "leaf_hash": b64(leaves[index]),
        "proof": [b64(h) for h in merkle.inclusion_proof(index, leaves)],
        "root": b64(root),
    }
    if with_record:
        proof["record"] = b64(records[index])
    return InclusionCase(proof, checkpoint(size, root))


@dataclass(frozen=True)
class ConsistencyCase:
    proof: dict[str, Any]
    old: str
    new: str
    vkey: str = VKEY

    def verify(self) -> Any:
        return verifier.verify_consistency_proof(self.proof, self.old, self.new, self.vkey)

    def with_proof(self, **changes: Any) -> ConsistencyCase:
        return dataclasses.replace(self, proof={**self.proof, **changes})


def consistency_case(m: int, n: int) -> ConsistencyCase:
    _, leaves = log(n)
    first, second = merkle.root(leaves[:m]), merkle.root(leaves)
    proof = {
        "from": m,
        "to": n,
        "first_root": b64(first),
        "second_root": b64(second),
        "proof": [b64(h) for h in merkle.consistency_proof(m, leaves)],
    }
    return ConsistencyCase(proof, checkpoint(m, first), checkpoint(n, second))


def _hashes(proof: dict[str, Any]) -> list[bytes]:
    return [base64.b64decode(h) for h in proof["proof"]]


def flip_a_proof_hash(proof: dict[str, Any], draw: st.DataObject) -> dict[str, Any]:
    hashes = _hashes(proof)
    assume(hashes)
    i = draw.draw(st.integers(0, len(hashes) - 1), label="hash")
    hashes[i] = flip(hashes[i], draw.draw(st.integers(0, 255), label="bit"))
    return {**proof, "proof": [b64(h) for h in hashes]}


def drop_a_proof_hash(proof: dict[str, Any], draw: st.DataObject) -> dict[str, Any]:
    hashes = _hashes(proof)
    assume(hashes)
    del hashes[draw.draw(st.integers(0, len(hashes) - 1), label="hash")]
    return {**proof, "proof": [b64(h) for h in hashes]}


def add_a_proof_hash(proof: dict[str, Any], draw: st.DataObject) -> dict[str, Any]:
    hashes = _hashes(proof)
    at = draw.draw(st.integers(0, len(hashes)), label="at")
    extra = draw.draw(st.sampled_from([*hashes, bytes(32), hashlib.sha256(b"x").digest()]))
    hashes.insert(at, extra)
    return {**proof, "proof": [b64(h) for h in hashes]}


def alter_text(note: str, draw: st.DataObject) -> str:
    """One character of the signed text replaced, or the signature's bytes altered."""
    text, _, signature = note.partition("\n\n")
    if draw.draw(st.booleans(), label="alter the signature"):
        dash, name, blob = signature.rstrip("\n").split(" ")
        altered = flip(base64.b64decode(blob), draw.draw(st.integers(0, 543), label="bit"))
        return f"{text}\n\n{dash} {name} {b64(altered)}\n"
    i = draw.draw(st.integers(0, len(text) - 1), label="at")
    replacement = draw.draw(st.sampled_from("0123456789abcdefXYZ+/=\n "), label="char")
    assume(replacement != text[i])
    return f"{text[:i]}{replacement}{text[i + 1 :]}\n\n{signature}"


def another(value: int, draw: st.DataObject, high: int) -> int:
    other: int = draw.draw(st.integers(0, high).filter(lambda v: v != value), label="other")
    return other


InclusionMutation = Callable[[InclusionCase, int, int, st.DataObject], InclusionCase]


def _record_altered(case: InclusionCase, draw: st.DataObject, *, rehash: bool) -> InclusionCase:
    record = flip(
        base64.b64decode(case.proof["record"]), draw.draw(st.integers(0, 10**6), label="bit")
    )
    changes: dict[str, Any] = {"record": b64(record)}
    if rehash:
        changes["leaf_hash"] = b64(merkle.leaf_hash(record))
    return case.with_proof(**changes)


def _root_altered_and_resigned(case: InclusionCase, draw: st.DataObject) -> InclusionCase:
    root = flip(base64.b64decode(case.proof["root"]), draw.draw(st.integers(0, 255)))
    altered = case.with_proof(root=b64(root))
    return dataclasses.replace(altered, note=checkpoint(case.proof["tree_size"], root))


INCLUSION_MUTATIONS: dict[str, InclusionMutation] = {
    "a bit of a proof hash flipped": lambda c, n, i, d: c.with_proof(
        proof=flip_a_proof_hash(c.proof, d)["proof"]
    ),
    "a proof hash dropped": lambda c, n, i, d: c.with_proof(
        proof=drop_a_proof_hash(c.proof, d)["proof"]
    ),
    "a proof hash added": lambda c, n, i, d: c.with_proof(
        proof=add_a_proof_hash(c.proof, d)["proof"]
    ),
    "a wrong leaf index": lambda c, n, i, d: c.with_proof(leaf_index=another(i, d, n + 2)),
    "a wrong tree size": lambda c, n, i, d: c.with_proof(tree_size=another(n, d, n + 2)),
    "a wrong position asked": lambda c, n, i, d: c.with_proof(position=another(i + 1, d, n + 2)),
    "a byte of the record altered": lambda c, n, i, d: _record_altered(c, d, rehash=False),
    "a byte of the record altered and its leaf hash recomputed": lambda c, n, i, d: _record_altered(
        c, d, rehash=True
    ),
    "the leaf hash of a record not in the log": lambda c, n, i, d: c.with_proof(
        record=None, leaf_hash=b64(merkle.leaf_hash(a_record(i + 1, edited=True)))
    ),
    "the root altered": lambda c, n, i, d: c.with_proof(
        root=b64(flip(base64.b64decode(c.proof["root"]), d.draw(st.integers(0, 255))))
    ),
    "the root altered and signed again by the log's key": lambda c, n, i, d: (
        _root_altered_and_resigned(c, d)
    ),
    "the checkpoint text altered": lambda c, n, i, d: dataclasses.replace(
        c, note=alter_text(c.note, d)
    ),
    "the checkpoint signed by another key": lambda c, n, i, d: dataclasses.replace(
        c, note=checkpoint(n, base64.b64decode(c.proof["root"]), key=OTHER_KEY)
    ),
    "the checkpoint of another origin": lambda c, n, i, d: dataclasses.replace(
        c, note=checkpoint(n, base64.b64decode(c.proof["root"]), origin="other.example/log")
    ),
    "a checkpoint of another log signed under this log's name": lambda c, n, i, d: (
        dataclasses.replace(
            c,
            note=checkpoint(
                n, base64.b64decode(c.proof["root"]), origin="other.example/log", signer=ORIGIN
            ),
        )
    ),
    "the verifier key of another log": lambda c, n, i, d: dataclasses.replace(
        c, vkey=notes.verifier_key("other.example/log", KEY.public_key())
    ),
}

ConsistencyMutation = Callable[[ConsistencyCase, int, int, st.DataObject], ConsistencyCase]


def _old_rewritten(case: ConsistencyCase, m: int, d: st.DataObject) -> ConsistencyCase:
    """The older checkpoint signed over a prefix in which one record was edited."""
    records, _ = log(m)
    edited = list(records)
    at = d.draw(st.integers(0, m - 1), label="edited")
    edited[at] = a_record(at + 1, edited=True)
    root = merkle.root([merkle.leaf_hash(r) for r in edited])
    altered = case.with_proof(first_root=b64(root))
    return dataclasses.replace(altered, old=checkpoint(m, root))


def _history_rewritten(case: ConsistencyCase, m: int, n: int, d: st.DataObject) -> ConsistencyCase:
    """The newer tree and its proof made over a log in which an old record was edited."""
    records, _ = log(n)
    edited = list(records)
    at = d.draw(st.integers(0, m - 1), label="edited")
    edited[at] = a_record(at + 1, edited=True)
    leaves = [merkle.leaf_hash(r) for r in edited]
    root = merkle.root(leaves)
    altered = case.with_proof(
        second_root=b64(root), proof=[b64(h) for h in merkle.consistency_proof(m, leaves)]
    )
    return dataclasses.replace(altered, new=checkpoint(n, root))


def _root_resigned(case: ConsistencyCase, which: str, d: st.DataObject) -> ConsistencyCase:
    field, size = ("first_root", "from") if which == "old" else ("second_root", "to")
    root = flip(base64.b64decode(case.proof[field]), d.draw(st.integers(0, 255)))
    altered = case.with_proof(**{field: b64(root)})
    note = checkpoint(case.proof[size], root)
    if which == "old":
        return dataclasses.replace(altered, old=note)
    return dataclasses.replace(altered, new=note)


def _swapped(case: ConsistencyCase, m: int, n: int) -> ConsistencyCase:
    assume(m != n)
    p = case.proof
    swapped = case.with_proof(
        **{"from": n, "to": m, "first_root": p["second_root"], "second_root": p["first_root"]}
    )
    return dataclasses.replace(swapped, old=case.new, new=case.old)


CONSISTENCY_MUTATIONS: dict[str, ConsistencyMutation] = {
    "a bit of a proof hash flipped": lambda c, m, n, d: c.with_proof(
        proof=flip_a_proof_hash(c.proof, d)["proof"]
    ),
    "a proof hash dropped": lambda c, m, n, d: c.with_proof(
        proof=drop_a_proof_hash(c.proof, d)["proof"]
    ),
    "a proof hash added": lambda c, m, n, d: c.with_proof(
        proof=add_a_proof_hash(c.proof, d)["proof"]
    ),
    "a wrong older size": lambda c, m, n, d: c.with_proof(**{"from": another(m, d, n + 2)}),
    "a wrong newer size": lambda c, m, n, d: c.with_proof(to=another(n, d, n + 2)),
    "the first root altered": lambda c, m, n, d: c.with_proof(
        first_root=b64(flip(base64.b64decode(c.proof["first_root"]), d.draw(st.integers())))
    ),
    "the second root altered": lambda c, m, n, d: c.with_proof(
        second_root=b64(flip(base64.b64decode(c.proof["second_root"]), d.draw(st.integers())))
    ),
    "the older root altered and signed again": lambda c, m, n, d: _root_resigned(c, "old", d),
    "the newer root altered and signed again": lambda c, m, n, d: _root_resigned(c, "new", d),
    "the older checkpoint over a rewritten prefix": lambda c, m, n, d: _old_rewritten(c, m, d),
    "the newer checkpoint over a rewritten history": _history_rewritten,
    "the checkpoints swapped": lambda c, m, n, d: _swapped(c, m, n),
    "the older checkpoint text altered": lambda c, m, n, d: dataclasses.replace(
        c, old=alter_text(c.old, d)
    ),
    "the newer checkpoint text altered": lambda c, m, n, d: dataclasses.replace(
        c, new=alter_text(c.new, d)
    ),
    "the newer checkpoint signed by another key": lambda c, m, n, d: dataclasses.replace(
        c, new=checkpoint(n, base64.b64decode(c.proof["second_root"]), key=OTHER_KEY)
    ),
    "the older checkpoint of another origin": lambda c, m, n, d: dataclasses.replace(
        c, old=checkpoint(m, base64.b64decode(c.proof["first_root"]), origin="other.example")
    ),
    "the older checkpoint of another log signed under this log's name": lambda c, m, n, d: (
        dataclasses.replace(
            c,
            old=checkpoint(
                m, base64.b64decode(c.proof["first_root"]), origin="other.example", signer=ORIGIN
            ),
        )
    ),
}

sizes = st.integers(1, 300)


@st.composite
def size_and_index(draw: st.DrawFn) -> tuple[int, int]:
    n = draw(sizes)
    return n, draw(st.integers(0, n - 1))


@st.composite
def two_sizes(draw: st.DrawFn) -> tuple[int, int]:
    n = draw(sizes)
    return draw(st.integers(1, n)), n


# --- the properties -------------------------------------------------------------------------


@slow
@given(size_and_index(), st.booleans())
def test_every_true_inclusion_proof_is_accepted_and_its_record_decoded(
    tree: tuple[int, int], with_record: bool
) -> None:
    n, i = tree
    result = inclusion_case(n, i, with_record=with_record).verify()
    assert (result.checkpoint.origin, result.checkpoint.size) == (ORIGIN, n)
    assert result.leaf_index == i
    if not with_record:
        assert result.record is None
        return
    record = result.record
    assert record.position == i + 1
    assert record.originator_id == uuid.uuid5(uuid.NAMESPACE_URL, f"directive-{(i + 1) % 13}")
    assert record.originator_version == (i + 1) // 13 + 1
    assert record.topic == "domain.directives.directive:Directive.ProgressReported"
    assert json.loads(record.state)["title"] == "Sửa đường Lê Lợi"
    assert merkle.event_record(
        record.position,
        record.originator_id.bytes,
        record.originator_version,
        record.topic,
        record.state,
    ) == base64.b64decode(inclusion_case(n, i).proof["record"])


@slow
@given(two_sizes())
def test_every_true_consistency_proof_is_accepted(sizes: tuple[int, int]) -> None:
    m, n = sizes
    old, new = consistency_case(m, n).verify()
    assert (old.size, new.size) == (m, n)
    assert new.root == merkle.root(log(n)[1])


@mutations
@pytest.mark.parametrize("mutation", INCLUSION_MUTATIONS)
@given(tree=size_and_index(), draw=st.data())
def test_every_altered_inclusion_proof_is_rejected(
    mutation: str, tree: tuple[int, int], draw: st.DataObject
) -> None:
    n, i = tree
    altered = INCLUSION_MUTATIONS[mutation](inclusion_case(n, i), n, i, draw)
    with pytest.raises(VerificationError):
        altered.verify()


@mutations
@pytest.mark.parametrize("mutation", CONSISTENCY_MUTATIONS)
@given(sizes=two_sizes(), draw=st.data())
def test_every_altered_consistency_proof_is_rejected(
    mutation: str, sizes: tuple[int, int], draw: st.DataObject
) -> None:
    m, n = sizes
    altered = CONSISTENCY_MUTATIONS[mutation](consistency_case(m, n), m, n, draw)
    with pytest.raises(VerificationError):
        altered.verify()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 10**20) | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=12,
)


@slow
@given(
    proof=st.dictionaries(
        st.sampled_from(["position", "leaf_index", "tree_size", "record", "leaf_hash", "proof"])
        | st.sampled_from(["root", "from", "to", "first_root", "second_root"]),
        json_values,
    ),
    note=st.text(max_size=200) | st.just(checkpoint(1, bytes(32))),
    vkey=st.text(max_size=80) | st.just(VKEY),
)
def test_malformed_input_is_refused_with_a_verification_error_and_nothing_else(
    proof: dict[str, Any], note: str, vkey: str
) -> None:
    with pytest.raises(VerificationError):
        verifier.verify_inclusion_proof(proof, note, vkey)
    with pytest.raises(VerificationError):
        verifier.verify_consistency_proof(proof, note, note, vkey)


@given(st.binary(max_size=60))
def test_any_bytes_decode_as_a_record_or_are_refused_clearly(data: bytes) -> None:
    try:
        record = verifier.decode_record(data)
    except VerificationError:
        return
    assert (
        merkle.event_record(
            record.position,
            record.originator_id.bytes,
            record.originator_version,
            record.topic,
            record.state,
        )
        == data
    )


def test_the_verifier_reads_the_servers_keys_and_checkpoints() -> None:
    parsed = verifier.parse_verifier_key(VKEY)
    assert parsed.name == ORIGIN
    assert parsed.key_id == notes.key_id(ORIGIN, KEY.public_key())
    root = hashlib.sha256(b"root").digest()
    assert verifier.verify_checkpoint(checkpoint(7, root), VKEY) == verifier.Checkpoint(
        ORIGIN, 7, root
    )


def test_a_checkpoint_cosigned_by_a_witness_still_verifies() -> None:
    root = hashlib.sha256(b"root").digest()
    text = notes.Checkpoint(ORIGIN, 3, root).text()
    witness = notes.sign(text, "witness.example", OTHER_KEY).split("\n\n")[1]
    note = checkpoint(3, root) + witness
    assert verifier.verify_checkpoint(note, VKEY).size == 3
    with pytest.raises(VerificationError, match="no signature by witness"):
        verifier.verify_checkpoint(
            checkpoint(3, root), notes.verifier_key("witness.example", OTHER_KEY.public_key())
        )


def test_the_verifier_depends_on_nothing_but_the_standard_library_and_cryptography() -> None:
    imported: set[str] = set()
    for node in ast.walk(ast.parse(SCRIPT.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0
            imported.add((node.module or "").split(".")[0])
    assert imported - set(sys.stdlib_module_names) == {"cryptography"}


# --- the Certificate Transparency reference vectors ------------------------------------------

# The leaves and inclusion proofs (0-based leaf index, tree size, PATH) of the reference
# implementation's merkle tree tests (certificate-transparency, and transparency-dev/merkle).
CT_LEAVES = [
    bytes.fromhex(h)
    for h in (
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]  # fmt: skip
CT_INCLUSION = [
    (0, 1, []),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
CT_CONSISTENCY = [
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]
CT_ROOT_8 = "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"


# RFC 9162 §2.1.1, §2.1.3.1 and §2.1.4.1 written as literally as possible, to check the vectors
# and the server's iterative proofs against something independent of both.
def naive_mth(d: list[bytes]) -> bytes:
    if not d:
        return hashlib.sha256(b"").digest()
    if len(d) == 1:
        return hashlib.sha256(b"\x00" + d[0]).digest()
    k = 1
    while k * 2 < len(d):
        k *= 2
    return hashlib.sha256(b"\x01" + naive_mth(d[:k]) + naive_mth(d[k:])).digest()


def naive_path(m: int, d: list[bytes]) -> list[bytes]:
    if len(d) == 1:
        return []
    k = 1
    while k * 2 < len(d):
        k *= 2
    if m < k:
        return [*naive_path(m, d[:k]), naive_mth(d[k:])]
    return [*naive_path(m - k, d[k:]), naive_mth(d[:k])]


def naive_subproof(m: int, d: list[bytes], b: bool) -> list[bytes]:
    if m == len(d):
        return [] if b else [naive_mth(d)]
    k = 1
    while k * 2 < len(d):
        k *= 2
    if m <= k:
        return [*naive_subproof(m, d[:k], b), naive_mth(d[k:])]
    return [*naive_subproof(m - k, d[k:], False), naive_mth(d[:k])]


@pytest.mark.parametrize(("index", "size", "path"), CT_INCLUSION)
def test_the_reference_inclusion_vectors_are_accepted_and_reproduced(
    index: int, size: int, path: list[str]
) -> None:
    proof = [bytes.fromhex(h) for h in path]
    tree = CT_LEAVES[:size]
    assert naive_path(index, tree) == proof
    leaves = [merkle.leaf_hash(d) for d in tree]
    assert merkle.inclusion_proof(index, leaves) == proof
    root = naive_mth(tree)
    verifier.verify_inclusion(verifier.leaf_hash(tree[index]), index, size, proof, root)
    for other in range(size):  # any other leaf of the tree at this place: refused
        if other != index:
            with pytest.raises(VerificationError):
                verifier.verify_inclusion(verifier.leaf_hash(tree[other]), index, size, proof, root)
    for i in range(len(proof)):  # any hash of the proof altered: refused
        altered = [flip(h, 7) if j == i else h for j, h in enumerate(proof)]
        with pytest.raises(VerificationError):
            verifier.verify_inclusion(verifier.leaf_hash(tree[index]), index, size, altered, root)


@pytest.mark.parametrize(("m", "n", "path"), CT_CONSISTENCY)
def test_the_reference_consistency_vectors_are_accepted_and_reproduced(
    m: int, n: int, path: list[str]
) -> None:
    proof = [bytes.fromhex(h) for h in path]
    assert naive_subproof(m, CT_LEAVES[:n], True) == proof
    leaves = [merkle.leaf_hash(d) for d in CT_LEAVES[:n]]
    assert merkle.consistency_proof(m, leaves) == proof
    first, second = naive_mth(CT_LEAVES[:m]), naive_mth(CT_LEAVES[:n])
    verifier.verify_consistency(m, n, proof, first, second)
    with pytest.raises(VerificationError):
        verifier.verify_consistency(m, n, proof, second if m != n else flip(first, 0), second)


def test_the_reference_root_of_eight_leaves_is_reproduced() -> None:
    assert naive_mth(CT_LEAVES).hex() == CT_ROOT_8


@settings(deadline=None)
@given(st.lists(st.binary(max_size=8), min_size=1, max_size=40), st.data())
def test_the_servers_proofs_equal_the_rfcs_literal_definitions(
    data: list[bytes], draw: st.DataObject
) -> None:
    leaves = [merkle.leaf_hash(d) for d in data]
    i = draw.draw(st.integers(0, len(data) - 1))
    m = draw.draw(st.integers(1, len(data)))
    assert merkle.root(leaves) == naive_mth(data)
    assert merkle.inclusion_proof(i, leaves) == naive_path(i, data)
    assert merkle.consistency_proof(m, leaves) == naive_subproof(m, data, True)


# --- the command line ------------------------------------------------------------------------


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_the_command_line_says_ok_for_true_proofs_and_failed_for_tampered_ones(
    tmp_path: Path,
) -> None:
    key = tmp_path / "public.vkey"
    key.write_text(VKEY + "\n", encoding="utf-8")
    key_json = tmp_path / "public-key.json"
    key_json.write_text(json.dumps({"vkey": VKEY}), encoding="utf-8")
    case = inclusion_case(21, 12)
    note = tmp_path / "checkpoint.txt"
    note.write_bytes(case.note.encode())
    note_json = tmp_path / "checkpoint.json"
    note_json.write_text(json.dumps({"note": case.note}), encoding="utf-8")
    proof = tmp_path / "inclusion.json"
    proof.write_text(json.dumps(case.proof), encoding="utf-8")

    done = run("checkpoint", "--key", key, note)
    assert (done.returncode, done.stderr) == (0, "")
    assert "tree size: 21" in done.stdout
    assert done.stdout.splitlines()[-1].startswith("OK: ")

    done = run("inclusion", "--key", key_json, "--checkpoint", note_json, proof)
    assert (done.returncode, done.stderr) == (0, "")
    assert "position:           13" in done.stdout
    assert "Sửa đường Lê Lợi" in done.stdout
    assert done.stdout.splitlines()[-1].startswith("OK: the record at position 13 (leaf 12)")

    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    consistency = consistency_case(13, 21)
    old.write_bytes(consistency.old.encode())
    new.write_bytes(consistency.new.encode())
    proof_c = tmp_path / "consistency.json"
    proof_c.write_text(json.dumps(consistency.proof), encoding="utf-8")
    done = run("consistency", "--key", key, "--old", old, "--new", new, proof_c)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.splitlines()[-1].startswith("OK: the tree of 13 records is a prefix")

    tampered = tmp_path / "tampered.json"
    # a character of the event's JSON altered, its leaf hash recomputed to match
    record = flip(base64.b64decode(case.proof["record"]), -16)
    forged = case.with_proof(record=b64(record), leaf_hash=b64(merkle.leaf_hash(record)))
    tampered.write_text(json.dumps(forged.proof), encoding="utf-8")
    done = run("inclusion", "--key", key, "--checkpoint", note, tampered)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("FAILED: ")
    assert done.stderr.count("\n") == 1

    note.write_bytes(case.note.replace("\n", "\r\n").encode())  # an editor "fixed" the file
    done = run("checkpoint", "--key", key, note)
    assert done.returncode == 1
    assert done.stderr.startswith("FAILED: ")

    for bad in (
        ("checkpoint", "--key", key, tmp_path / "missing.txt"),
        ("inclusion", "--key", key, "--checkpoint", key, proof),
        ("consistency", "--key", note_json, "--old", old, "--new", new, proof_c),
        ("consistency", "--key", key, "--old", new, "--new", old, proof_c),
    ):
        done = run(*bad)
        assert done.returncode == 1, bad
        assert done.stderr.startswith("FAILED: "), bad
        assert "Traceback" not in done.stderr

    assert run("inclusion", "--key", key, proof).returncode == 2
    assert run("nonsense").returncode == 2
