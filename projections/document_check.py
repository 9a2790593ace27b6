"""Checking a PDF someone holds against what the city filed (docs/documents.md, "Verifying a
file"): its PAdES signature, whether this exact file (its SHA-256) was filed and where in the
log, with the inclusion proof of the event that filed it against a signed checkpoint, and
whether it is the current version of its document.

Each outcome has its own plain answer (``Answer``), decided in this order: a file that is not a
PDF or carries no signature; a signature over bytes that changed (``altered``); a sound
signature by a key the city does not trust (``re-signed``); a file never filed
(``not-filed``); a file filed after the checkpoint its holder kept (``after-checkpoint``); and
a filed file, current, superseded by a later version, or revoked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any
from uuid import UUID

from domain.application import Thucthi
from domain.documents.document import Document, Version
from domain.documents.signing import DocumentVerifier, Failure, SignatureCheck
from domain.shared.notes import Checkpoint
from projections.audit import ProofRequestError, Proofs, record_of
from readmodels.audit import AuditStore
from readmodels.filed import FiledIndex

_FILING_TOPICS = (Document.Filed.TOPIC, Document.VersionFiled.TOPIC)
_PAGE = 1_000


class Answer(StrEnum):
    """What checking a file answers, one code each."""

    CURRENT = "current"  # filed, and the document's current version
    SUPERSEDED = "superseded"  # filed, but a later version is current
    REVOKED = "revoked"  # filed, but the document was revoked
    ALTERED = "altered"  # a byte the signature covers changed, or something was added
    RE_SIGNED = "re-signed"  # a sound signature by a key the city does not trust
    NOT_FILED = "not-filed"  # signed, but this exact file was never filed
    AFTER_CHECKPOINT = "after-checkpoint"  # filed, after the checkpoint its holder kept
    NOT_SIGNED = "not-signed"  # no signature at all
    UNREADABLE = "unreadable"  # not a PDF


@dataclass(frozen=True, slots=True)
class FiledVersion:
    """Where a file was filed: its document, its version, the event's position and moment."""

    document: Document
    version: Version
    position: int
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class FileVerdict:
    """What checking a file found: the answer, the signature's check, the file's digest, where
    it was filed (None: never), the proof of that filing (None while no checkpoint covers it)."""

    answer: Answer
    digest: str
    signature: SignatureCheck
    filed: FiledVersion | None = None
    proof: dict[str, Any] | None = None


def filed_as(app: Thucthi, digest: str, index: FiledIndex | None = None) -> FiledVersion | None:
    """The filing event of the file with this digest. With ``index`` (the oversight view's
    index by digest, ``readmodels.filed``): its rows, then the log's filing events only where
    the index does not reach (before it began, and after the view's position, not projected
    yet); so a caught-up index reads no notification at all. Without: the log's filing events,
    from the start."""
    reaches: list[tuple[int, int | None]] = [(1, None)]
    if index is not None:
        for row in index.filed.rows(digest):
            found = _found(app, row.document_id, digest, row.position, row.recorded_at)
            if found is not None:
                return found
        since = index.filed.since()
        reaches = [(1, since)] if since > 0 else []
        reaches.append((index.position() + 1, None))
    for start, stop in reaches:
        found = _scanned(app, digest, start, stop)
        if found is not None:
            return found
    return None


def _scanned(app: Thucthi, digest: str, start: int, stop: int | None) -> FiledVersion | None:
    """The first filing of the digest among the log's filing events from ``start`` to ``stop``
    (None: the end)."""
    while True:
        page = app.recorder.select_notifications(
            start=start, limit=_PAGE, stop=stop, topics=list(_FILING_TOPICS)
        )
        for notification in page:
            event: Any = app.mapper.to_domain_event(notification)
            files = getattr(event, "files", ())
            if any(f.digest == digest for f in files):
                found = _found(app, event.originator_id, digest, notification.id, event.timestamp)
                if found is not None:
                    return found
        if len(page) < _PAGE:
            return None
        start = page[-1].id + 1


def _found(
    app: Thucthi, document_id: UUID, digest: str, position: int, at: datetime
) -> FiledVersion | None:
    document = app.documents.get(document_id)
    version = None if document is None else document.version_of(digest)
    if document is None or version is None:
        return None
    return FiledVersion(document, version, position, at)


def filing_proof(app: Thucthi, store: AuditStore, filed: FiledVersion) -> dict[str, Any] | None:
    """The inclusion proof of the filing event in the latest signed checkpoint's tree, with
    its record (what ``projections.file_proof.check_file_proof`` and the inspectors' verifier
    check); None while no checkpoint covers it."""
    latest = store.latest_checkpoint()
    if latest is None or filed.position > latest.position:
        return None
    try:
        inclusion = Proofs(store, app.name).inclusion(filed.position, latest.tree_size)
    except ProofRequestError:
        return None
    stored = app.recorder.select_notifications(start=filed.position, limit=1)
    inclusion["record"] = record_of(stored[0])
    inclusion["checkpoint"] = latest.note
    file = filed.version.file
    return {
        "document_id": str(filed.document.id),
        "reference": filed.document.reference,
        "file": {
            "digest": file.digest,
            "name": file.name,
            "media_type": file.media_type,
            "size": file.size,
        },
        "filed": {"version": filed.version.number, "recorded_at": filed.recorded_at},
        "inclusion": inclusion,
    }


def check_file(
    app: Thucthi,
    verifier: DocumentVerifier,
    pdf: bytes,
    *,
    store: AuditStore | None = None,
    kept: Checkpoint | None = None,
    index: FiledIndex | None = None,
) -> FileVerdict:
    """Check a file: its signature, its filing, its version; ``kept`` is the checkpoint its
    holder kept, if any (a file filed after it gets its own answer); ``index``: the read
    models' index of filed files (``filed_as``)."""
    digest = "sha256:" + hashlib.sha256(pdf).hexdigest()
    signature = verifier.verify(pdf)
    refused = _refusal(set(signature.failures))
    if refused is not None:
        return FileVerdict(refused, digest, signature)
    filed = filed_as(app, digest, index)
    if filed is None:
        return FileVerdict(Answer.NOT_FILED, digest, signature)
    proof = None if store is None else filing_proof(app, store, filed)
    if kept is not None and not _in_tree(store, filed.position, kept.size):
        return FileVerdict(Answer.AFTER_CHECKPOINT, digest, signature, filed, proof)
    document = filed.document
    if document.revoked_at is not None:
        answer = Answer.REVOKED
    elif document.current.number != filed.version.number:
        answer = Answer.SUPERSEDED
    else:
        answer = Answer.CURRENT
    return FileVerdict(answer, digest, signature, filed, proof)


def _refusal(failures: set[Failure]) -> Answer | None:
    """The answer a signature's failures give, the gravest first; None: it is valid."""
    for failure, answer in (
        (Failure.UNREADABLE, Answer.UNREADABLE),
        (Failure.NOT_SIGNED, Answer.NOT_SIGNED),
        (Failure.ALTERED, Answer.ALTERED),
        (Failure.PARTIAL, Answer.ALTERED),
        (Failure.UNTRUSTED, Answer.RE_SIGNED),
    ):
        if failure in failures:
            return answer
    return None


def _in_tree(store: AuditStore | None, position: int, size: int) -> bool:
    """Whether the record at ``position`` is among the first ``size`` leaves of the tree."""
    entry = None if store is None else store.record_at(position)
    return entry is not None and entry.leaf_index < size
