"""A filed document: the signed PDF the city issued, kept by its SHA-256, and its versions.

A ``Document`` is its own small aggregate, keyed by a public id (``document_id``) that its QR
code carries: a directive's is derived from the directive's id, so that the QR address is known
before the file is typeset. Each version is a signed file stored by its digest
(``domain.shared.files``); its event records the digest, the name, the size, who signed it,
the version and whether the document is public, never its bytes, so that the inclusion proof of
that event proves this exact file was filed that day. An amended (đính chính) or replacing
(thay thế) version is filed as a further event: every version is kept, the latest is current. A
revoked (thu hồi) document keeps its versions and says it was revoked.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate, event
from eventsourcing.domain import Snapshot as _Snapshot

from domain.shared.actors import Actor
from domain.shared.errors import DomainError
from domain.shared.files import FiledFile, FileStore
from domain.shared.text import NOTE, checked
from domain.writer import AggregateWriter

# Why a version was filed or the document revoked: said on its public page, so never empty.
_REASON = replace(NOTE, required=True)
_NAMESPACE = uuid5(NAMESPACE_URL, "https://thucthi.hochiminhcity.gov.vn/documents")


# The kinds of document filed about a petition (``api.petition_filing``): its receipt, naming its
# petitioners, and its result, naming none. Neither is public.
PETITION_RECEIPT = "petition-receipt"
PETITION_RESULT = "petition-result"


# The Office's periodic report (``api.report_filing``): public, it names no one.
PERIODIC_REPORT = "periodic-report"


def report_subject(first: date, last: date, number: str) -> UUID:
    """What a periodic report is about: its period (its first and last day, however the period
    was written) and its number, so that issuing the same report again finds the one filed."""
    return uuid5(_NAMESPACE, f"{PERIODIC_REPORT}:{first.isoformat()}:{last.isoformat()}:{number}")


def document_id(kind: str, subject: UUID) -> UUID:
    """The public id of the document of ``kind`` about ``subject`` (a directive's or a
    petition's id)."""
    return uuid5(_NAMESPACE, f"{kind}:{subject}")


class Change(StrEnum):
    """How a version came to be."""

    ISSUED = "issued"  # ban hành: the first
    AMENDED = "amended"  # đính chính: a correction of the same document
    REPLACED = "replaced"  # thay thế: a new text in its place


class DocumentStateError(DomainError):
    """The document cannot take this change (it was revoked, or was never filed)."""

    code = "document-state"
    kind = "conflict"
    SAID: ClassVar[dict[str, str]] = {
        "revoked": "document {document} was revoked: nothing more is filed on it",
        "not_pdf": "a filed document is a PDF, not {media_type}",
        "not_filed": "{reference} has no filed document yet: file it first",
    }


class DocumentNotSignedError(DomainError):
    """The document could not be signed, so nothing was filed; it can be asked for again."""

    code = "document-not-signed"
    kind = "unavailable"
    SAID: ClassVar[dict[str, str]] = {
        "failed": "signing {reference} failed, nothing filed; ask again once mended: {error}",
    }


class SignerMissingError(DomainError):
    """The signer has no certificate and key configured, so nothing was filed."""

    code = "signer-missing"
    kind = "conflict"
    SAID: ClassVar[dict[str, str]] = {
        "no_key": "{signer} has no certificate and key to sign {reference} with: nothing filed",
    }


@dataclass(frozen=True, slots=True)
class Version:
    """One filed version: its file, who signed it (None: filed unsigned), how it came to be and
    when, and why (an amendment's or replacement's reason)."""

    number: int
    file: FiledFile
    signer: str | None
    change: Change
    filed_at: datetime
    reason: str = ""


class Document(Aggregate):
    """A document the city filed, with all its versions."""

    TOPIC = "thucthi:Document"

    kind: str
    subject: str
    reference: str
    title: str
    issuer: str
    public: bool
    versions: tuple[Version, ...]
    revoked_at: datetime | None
    revoked_reason: str

    class Event(Aggregate.Event):
        """Every event says who acted and in answer to which request."""

        actor: Actor
        request_id: str

    class Created(Event, Aggregate.Created):
        """The library's generic creation event; never triggered."""

        TOPIC = "thucthi:Document.Created"

    class Filed(Event, Aggregate.Created):
        TOPIC = "thucthi:Document.Filed"
        kind: str
        subject: str
        reference: str
        title: str
        issuer: str
        public: bool
        # One file, named as a directive's events name theirs (``files``), so that the audit
        # trail's file proof and the inspectors' verifier read a document's record unchanged.
        files: tuple[FiledFile, ...]
        signer: str | None

    class VersionFiled(Event):
        TOPIC = "thucthi:Document.VersionFiled"
        files: tuple[FiledFile, ...]
        signer: str | None
        change: Change
        reason: str
        title: str

    class Revoked(Event):
        TOPIC = "thucthi:Document.Revoked"
        reason: str

    class Snapshot(_Snapshot):
        TOPIC = "thucthi:Document.Snapshot"

    @classmethod
    def file(
        cls,
        *,
        kind: str,
        subject: UUID,
        reference: str,
        title: str,
        issuer: str,
        public: bool,
        file: FiledFile,
        signer: str | None,
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> Document:
        """File the first version of a document."""
        _require_pdf(file)
        return cls._create(
            cls.Filed,
            id=document_id(kind, subject),
            actor=actor,
            request_id=request_id,
            timestamp=at,
            kind=kind,
            subject=str(subject),
            reference=reference,
            title=title,
            issuer=issuer,
            public=public,
            files=(file,),
            signer=signer,
        )

    @event(Filed)
    def __init__(
        self,
        *,
        actor: Actor,
        request_id: str,
        kind: str,
        subject: str,
        reference: str,
        title: str,
        issuer: str,
        public: bool,
        files: tuple[FiledFile, ...],
        signer: str | None,
    ) -> None:
        self.kind, self.subject, self.reference = kind, subject, reference
        self.title, self.issuer, self.public = title, issuer, public
        self.versions = (Version(1, files[0], signer, Change.ISSUED, self.created_on),)
        self.revoked_at, self.revoked_reason = None, ""

    def file_version(
        self,
        *,
        file: FiledFile,
        signer: str | None,
        change: Change,
        reason: str,
        title: str | None,
        actor: Actor,
        request_id: str,
        at: datetime,
    ) -> None:
        """File an amended or replacing version; the earlier ones are kept."""
        if self.revoked_at is not None:
            raise DocumentStateError("revoked", document=str(self.id))
        _require_pdf(file)
        self._version_filed(
            actor=actor,
            request_id=request_id,
            timestamp=at,
            files=(file,),
            signer=signer,
            change=Change(change),
            reason=checked("reason", reason, _REASON),
            title=self.title if title is None else checked("title", title),
        )

    @event(VersionFiled)
    def _version_filed(
        self,
        *,
        actor: Actor,
        request_id: str,
        timestamp: datetime,
        files: tuple[FiledFile, ...],
        signer: str | None,
        change: Change,
        reason: str,
        title: str,
    ) -> None:
        number = len(self.versions) + 1
        self.title = title
        version = Version(number, files[0], signer, change, timestamp, reason)
        self.versions = (*self.versions, version)

    def revoke(self, *, reason: str, actor: Actor, request_id: str, at: datetime) -> None:
        """Thu hồi: the document no longer has effect; its versions stay filed."""
        if self.revoked_at is not None:
            raise DocumentStateError("revoked", document=str(self.id))
        self._revoked(
            actor=actor,
            request_id=request_id,
            timestamp=at,
            reason=checked("reason", reason, _REASON),
        )

    @event(Revoked)
    def _revoked(self, *, actor: Actor, request_id: str, timestamp: datetime, reason: str) -> None:
        self.revoked_at, self.revoked_reason = timestamp, reason

    @property
    def current(self) -> Version:
        return self.versions[-1]

    def version_of(self, digest: str) -> Version | None:
        """The version filed as exactly this file (by its digest), or None."""
        return next((v for v in self.versions if v.file.digest == digest), None)


def _require_pdf(file: FiledFile) -> None:
    if file.media_type != "application/pdf":
        raise DocumentStateError("not_pdf", media_type=file.media_type)


class DocumentDesk:
    """Files documents: keeps the signed bytes by their digest, records the event."""

    def __init__(
        self,
        *,
        writer: AggregateWriter,
        repository: Any,
        files: FileStore,
        clock: Callable[[], datetime],
    ) -> None:
        self.writer, self.repository, self.files, self.now = writer, repository, files, clock

    def file(
        self,
        pdf: bytes,
        *,
        name: str,
        kind: str,
        subject: UUID,
        reference: str,
        title: str,
        issuer: str,
        public: bool,
        signer: str | None,
        actor: Actor,
        request_id: str,
    ) -> int:
        """File a document's first version; the position recorded."""
        document = Document.file(
            kind=kind,
            subject=subject,
            reference=reference,
            title=title,
            issuer=issuer,
            public=public,
            file=self._kept(pdf, name),
            signer=signer,
            actor=actor,
            request_id=request_id,
            at=self.now(),
        )
        return self.writer.save(document)

    def file_version(
        self,
        public_id: UUID,
        pdf: bytes,
        *,
        name: str,
        signer: str | None,
        change: Change,
        reason: str,
        title: str | None = None,
        actor: Actor,
        request_id: str,
    ) -> int:
        """File an amended or replacing version of a filed document; the position recorded."""
        file = self._kept(pdf, name)

        def run(document: Document, at: datetime) -> None:
            document.file_version(
                file=file,
                signer=signer,
                change=change,
                reason=reason,
                title=title,
                actor=actor,
                request_id=request_id,
                at=at,
            )

        return self.writer.update(public_id, run)

    def revoke(self, public_id: UUID, *, reason: str, actor: Actor, request_id: str) -> int:
        """Thu hồi a filed document."""

        def run(document: Document, at: datetime) -> None:
            document.revoke(reason=reason, actor=actor, request_id=request_id, at=at)

        return self.writer.update(public_id, run)

    def get(self, public_id: UUID) -> Document | None:
        """The filed document, or None: one read of the log either way (so that an unknown id
        and a private document are answered after the same work)."""
        try:
            found = self.repository.get(public_id)
        except AggregateNotFoundError:
            return None
        return found if isinstance(found, Document) else None

    def _kept(self, pdf: bytes, name: str) -> FiledFile:
        if not pdf.startswith(b"%PDF-"):
            raise DocumentStateError("not_pdf", media_type="bytes that are not a PDF")
        digest = self.files.put(pdf)
        return FiledFile(digest=digest, name=name, media_type="application/pdf", size=len(pdf))
