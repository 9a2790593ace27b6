"""The proof that a file was the one filed: the inclusion proof of the event that filed it, whose
record names the file's digest, in the tree a signed checkpoint signs.

An inspector holding a file hashes it (SHA-256), finds that digest among the ``files`` of the
record the proof carries, hashes the record to its leaf, follows the proof to the root, and checks
the checkpoint's signature with the log's public key: then the file is, byte for byte, the one
filed by that event, at the moment the record says, and the log cannot have been changed since
without the checkpoint showing it. ``thucthi audit file-proof`` and ``GET
/api/directives/{ref}/files/{digest}/proof`` make the proof; ``check_file_proof`` here and the
standalone verifier's ``file`` command (``docs/inspectors/thucthi_verify.py``) check it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from domain.application import Thucthi
from domain.directives.directive import FiledWith, files_of
from domain.shared.files import FileNotFiledError
from domain.shared.merkle import ProofError, leaf_hash, verify_inclusion
from domain.shared.notes import open_checkpoint
from projections.audit import ProofRequestError, Proofs, record_of
from readmodels.audit import AuditStore


def filed_first(app: Thucthi, directive_id: UUID, digest: str) -> FiledWith:
    """Where a directive's events first filed the file with this digest."""
    for filed in files_of(app.history(directive_id)):
        if filed.file.digest == digest:
            return filed
    reference = app.get_directive(directive_id).reference
    raise FileNotFiledError("unknown", reference=reference, digest=digest)


def file_proof(app: Thucthi, store: AuditStore, directive_id: UUID, digest: str) -> dict[str, Any]:
    """The proof of the event that first filed the file, in the tree of the latest signed
    checkpoint (ProofRequestError while no checkpoint covers it yet); bytes as they are."""
    filed = filed_first(app, directive_id, digest)
    position = store.recorded_position(str(directive_id), filed.version)
    latest = store.latest_checkpoint()
    if position is None or latest is None or position > latest.position:
        msg = (
            f"the event that filed {digest} (version {filed.version}) is not yet in a signed "
            "checkpoint: sign one (thucthi audit checkpoint) and ask again"
        )
        raise ProofRequestError(msg)
    inclusion = Proofs(store, app.name).inclusion(position, latest.tree_size)
    stored = app.recorder.select_notifications(start=position, limit=1)
    inclusion["record"] = record_of(stored[0])
    inclusion["checkpoint"] = latest.note
    file = filed.file
    return {
        "directive_id": str(directive_id),
        "reference": app.get_directive(directive_id).reference,
        "file": {
            "digest": file.digest,
            "name": file.name,
            "media_type": file.media_type,
            "size": file.size,
        },
        "filed": {"version": filed.version, "recorded_at": filed.at, "event": filed.step},
        "inclusion": inclusion,
    }


class FileProofError(Exception):
    """The file, the proof or the checkpoint do not hold together; the message says where."""


@dataclass(frozen=True, slots=True)
class ProvedFile:
    """What a checked proof established."""

    digest: str
    position: int
    tree_size: int
    topic: str
    recorded: dict[str, Any]  # the file as the event records it


def _b64(value: object, what: str) -> bytes:
    if not isinstance(value, str):
        msg = f"the proof's {what} is not base64"
        raise FileProofError(msg)
    return base64.b64decode(value, validate=True)


def check_file_proof(
    proof: dict[str, Any], data: bytes, *, origin: str, public_key: Ed25519PublicKey
) -> ProvedFile:
    """Check a file against its proof (as the API serves it, in JSON) and the log's key."""
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    inclusion = proof.get("inclusion")
    if not isinstance(inclusion, dict):
        msg = "the proof has no inclusion proof"
        raise FileProofError(msg)
    try:
        checkpoint = open_checkpoint(str(inclusion.get("checkpoint")), origin, public_key)
    except Exception as e:
        msg = f"the checkpoint does not verify with the log's key: {e}"
        raise FileProofError(msg) from e
    record = _b64(inclusion.get("record"), "record")
    leaf = leaf_hash(record)
    if leaf != _b64(inclusion.get("leaf_hash"), "leaf hash"):
        msg = "the record does not hash to the proof's leaf"
        raise FileProofError(msg)
    size = int(inclusion.get("tree_size", -1))
    if size != checkpoint.size or _b64(inclusion.get("root"), "root") != checkpoint.root:
        msg = "the proof is not of the tree the checkpoint signs"
        raise FileProofError(msg)
    path = [_b64(h, "hash") for h in inclusion.get("proof", [])]
    try:
        verify_inclusion(leaf, int(inclusion.get("leaf_index", -1)), size, path, checkpoint.root)
    except ProofError as e:
        raise FileProofError(str(e)) from e
    position = int.from_bytes(record[0:8], "big")
    topic_end = 34 + int.from_bytes(record[32:34], "big")
    topic = record[34:topic_end].decode()
    state = json.loads(record[topic_end:])
    recorded = next((f for f in state.get("files") or () if f.get("digest") == digest), None)
    if recorded is None:
        msg = f"the event proved files no file with this file's digest ({digest})"
        raise FileProofError(msg)
    return ProvedFile(digest, position, size, topic, recorded)
