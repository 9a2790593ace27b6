"""Filing a directive's signed document when it is issued, and its later versions
(docs/documents.md, "Filing").

The directive as issued is typeset in Vietnamese with the QR code of its public page
(``/van-ban/{id}``), signed by its issuer's certificate where one is configured (PAdES, the
agency's signature over the left third of the signer's, Decree 30/2020), and filed: its bytes
kept by their SHA-256, a ``Document.Filed`` event recording it. Where the issuer has no
certificate, nothing is filed and the log says so; the directive's PDF is then typeset on
request, unsigned, as before.

Signing can also fail with a certificate configured (expired, a token in error, pyHanko
failing). The directive is recorded before its document is signed, and stays recorded: its
document is then *pending*, which the issue's answer says and the log says in both languages.
Nothing marks it pending in the log: a directive whose document id has no ``Document`` is
pending by definition, so ``file_issued`` asked again (``POST …/document``, the directive's
page, or ``thucthi documents file-pending`` for all of them) files it, and a failure leaves
nothing half-written to mend.

An amendment (đính chính) or a replacement (thay thế) is typeset as the first version, with
its number, reason and text said first, signed by the directive's issuer alike and filed as
a ``Document.VersionFiled``; a revocation (thu hồi) files a ``Document.Revoked``. A later
version that cannot be signed records nothing and is refused (``SignerMissingError``, 409, where
its signer has no certificate; ``DocumentNotSignedError``, 503, where signing failed).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from uuid import UUID

from api.official import Revision, directive_content, file_name
from domain.application import Thucthi
from domain.directives.directive import Directive
from domain.documents.document import (
    Change,
    Document,
    DocumentNotSignedError,
    DocumentStateError,
    SignerMissingError,
    document_id,
)
from domain.documents.layout import DocumentContent, DocumentRenderer
from domain.documents.signing import (
    Appearance,
    Box,
    DocumentSigner,
    SignerUnavailableError,
    SigningFailedError,
    over_signature,
)
from domain.shared.actors import Actor

DIRECTIVE = "directive"
PUBLIC_PATH = "/van-ban"
SEAL_POINTS = 36 / 25.4 * 72  # the demo seal's 36 mm: the box is cut to it, the PNG sets its size
REASON = "Ban hành văn bản"
REASONS = {Change.AMENDED: "Đính chính văn bản", Change.REPLACED: "Thay thế văn bản"}
LOCATION = "Thành phố Hồ Chí Minh"


def typeset_and_sign(
    renderer: DocumentRenderer,
    signer: DocumentSigner,
    content: DocumentContent,
    *,
    signed_by: str,
    reason: str,
    at: datetime,
    seal: bytes | None = None,
) -> bytes:
    """``content`` typeset and signed by ``signed_by``, the visible signature placed where the
    form puts it (with ``seal`` over it, if any): SignerUnavailableError or SigningFailedError
    where it cannot be."""
    rendered = renderer.render(content)
    area = rendered.signature_box
    box = Box(area.page, area.x, area.y, area.x + area.width, area.y + area.height)
    appearance = Appearance(over_signature(box, SEAL_POINTS), " ".join(content.issuer), seal)
    return signer.sign(
        rendered.pdf,
        signer=signed_by,
        reason=reason,
        location=LOCATION,
        at=at,
        appearance=appearance,
    )


log = logging.getLogger("thucthi.documents")


def document_url(public_url: str, public_id: UUID) -> str:
    """The address a document's QR code opens: its public page."""
    return f"{public_url.rstrip('/')}{PUBLIC_PATH}/{public_id}"


class FilingState(StrEnum):
    """What became of a directive's document when it was issued."""

    FILED = "filed"  # signed and filed now
    BEFORE = "filed-before"  # filed by an earlier request: nothing more to do
    UNSIGNED = "unsigned"  # its issuer has no certificate: typeset unsigned on request
    PENDING = "pending"  # signing failed: the directive stands, its document waits


@dataclass(frozen=True, slots=True)
class Filing:
    """What filing a directive's document did: its state, the position recorded (FILED), and
    why it is not filed (UNSIGNED, PENDING)."""

    state: FilingState
    position: int | None = None
    reason: str = ""

    def said(self) -> dict[str, str]:
        """What an answer says of it (``filing``: its state, and why in both languages)."""
        found = {"state": self.state.value}
        if self.state is FilingState.PENDING:
            found["vi"] = (
                "Văn bản đã được ghi nhận nhưng chưa ký số được; văn bản sẽ được ký và lưu khi "
                f"yêu cầu lại. Lý do: {self.reason}"
            )
            found["en"] = (
                "The directive is recorded, but its document could not be signed yet; it is "
                f"signed and filed when asked again. Why: {self.reason}"
            )
        return found


class DirectiveFiling:
    """Typesets, signs and files a directive's document: as it is issued, and its later
    versions."""

    def __init__(
        self,
        app: Thucthi,
        renderer: DocumentRenderer,
        signer: Callable[[], DocumentSigner],
        seal: Path | None,
        public_url: Callable[[], str],
    ) -> None:
        """``signer`` is asked for when first needed (pyHanko takes a second to load)."""
        self.app, self.renderer, self.signer = app, renderer, signer
        self.seal, self.public_url = seal, public_url

    def file_issued(self, reference: str, *, actor: Actor, request_id: str) -> Filing:
        """File the directive's signed document, unless it was filed before (a request
        answered again, a pending one filed since). Where its issuer has no certificate, or
        signing fails, nothing is filed and the log says so: the directive stands either way."""
        issued = self.app.get_directive(reference, version=1)
        public_id = document_id(DIRECTIVE, issued.id)
        if self.app.documents.get(public_id) is not None:
            return Filing(FilingState.BEFORE)
        try:
            signed = self._signed(issued, REASON, None)
        except SignerUnavailableError as e:
            log.warning(
                "%s is not signed nor filed: %s has no certificate to sign with (%s)",
                issued.reference,
                issued.issuer,
                e,
            )
            return Filing(FilingState.UNSIGNED, reason=str(e))
        except SigningFailedError as e:
            log.error(
                "văn bản %s đã ghi nhận nhưng chưa ký số được, chờ lưu (thucthi documents "
                "file-pending) / %s is recorded but its document could not be signed, pending "
                "(thucthi documents file-pending): %s",
                issued.reference,
                issued.reference,
                e,
            )
            return Filing(FilingState.PENDING, reason=str(e))
        position = self.app.documents.file(
            signed,
            name=file_name(issued.reference),
            kind=DIRECTIVE,
            subject=issued.id,
            reference=issued.reference,
            title=issued.title,
            issuer=issued.issuer,
            # A directive of the committee is a public administrative document; a private one
            # would be filed with False and its page would answer as for an unknown id.
            public=True,
            signer=issued.issuer,
            actor=actor,
            request_id=request_id,
        )
        return Filing(FilingState.FILED, position)

    def file_asked(self, reference: str, *, actor: Actor, request_id: str) -> Filing:
        """File the directive's document when someone asks for it: filed now, or before; where
        it still cannot be signed, SignerMissingError (no certificate) or DocumentNotSignedError
        (signing failed) saying why, nothing recorded."""
        filing = self.file_issued(reference, actor=actor, request_id=request_id)
        if filing.state is FilingState.UNSIGNED:
            issuer = self.app.get_directive(reference, version=1).issuer
            raise SignerMissingError("no_key", signer=issuer, reference=reference)
        if filing.state is FilingState.PENDING:
            raise DocumentNotSignedError("failed", reference=reference, error=filing.reason)
        return filing

    def file_pending(
        self, references: Iterable[str], *, actor: Actor, request_id: str
    ) -> dict[str, Filing]:
        """Ask again for each directive's document; what became of each."""
        return {
            reference: self.file_issued(reference, actor=actor, request_id=request_id)
            for reference in references
        }

    def file_version(
        self,
        reference: str,
        *,
        change: Change,
        reason: str,
        title: str | None,
        content: str | None,
        actor: Actor,
        request_id: str,
    ) -> int:
        """Typeset, sign and file an amended or replacing version of the directive's document;
        the position recorded. Refused when it has no filed document, when it was revoked, and
        when it cannot be signed (nothing recorded)."""
        issued = self.app.get_directive(reference, version=1)
        document = self.filed(issued)
        if document.revoked_at is not None:
            raise DocumentStateError("revoked", document=str(document.id))
        revision = Revision(
            change.value, len(document.versions) + 1, reason, title or "", content or ""
        )
        signed = self._signing(issued, revision)
        name = file_name(issued.reference, f"-v{revision.version}")
        return self.app.documents.file_version(
            document.id,
            signed,
            name=name,
            signer=issued.issuer,
            change=change,
            reason=reason,
            title=title or None,
            actor=actor,
            request_id=request_id,
        )

    def revoke(self, reference: str, *, reason: str, actor: Actor, request_id: str) -> int:
        """Thu hồi the directive's document; the position recorded."""
        document = self.filed(self.app.get_directive(reference, version=1))
        return self.app.documents.revoke(
            document.id, reason=reason, actor=actor, request_id=request_id
        )

    def filed(self, issued: Directive) -> Document:
        """The directive's filed document, or DocumentStateError (not filed yet)."""
        document = self.app.documents.get(document_id(DIRECTIVE, issued.id))
        if document is None:
            raise DocumentStateError("not_filed", reference=issued.reference)
        return document

    def _signing(self, issued: Directive, revision: Revision) -> bytes:
        """A later version signed, or SignerMissingError / DocumentNotSignedError saying why
        not."""
        try:
            return self._signed(issued, REASONS[Change(revision.change)], revision)
        except SignerUnavailableError as e:
            raise SignerMissingError(
                "no_key", signer=issued.issuer, reference=issued.reference
            ) from e
        except SigningFailedError as e:
            log.error(
                "phiên bản %s của văn bản %s chưa ký số được, không lưu / version %s of %s "
                "could not be signed, nothing filed: %s",
                revision.version,
                issued.reference,
                revision.version,
                issued.reference,
                e,
            )
            raise DocumentNotSignedError("failed", reference=issued.reference, error=str(e)) from e

    def _signed(self, issued: Directive, reason: str, revision: Revision | None) -> bytes:
        """The directive's document typeset (a later version's with ``revision``) and signed by
        its issuer, now."""
        now = self.app.clock.now()
        content = directive_content(
            issued,
            lang="vi",
            registry=self.app.unit_registry(),
            signer=self.app.cached_user(issued.issuer),
            issued_at=issued.created_on if revision is None else now,
            qr_url=document_url(self.public_url(), document_id(DIRECTIVE, issued.id)),
            revision=revision,
        )
        seal = self.seal.read_bytes() if self.seal is not None and self.seal.exists() else None
        return typeset_and_sign(
            self.renderer,
            self.signer(),
            content,
            signed_by=issued.issuer,
            reason=reason,
            at=now,
            seal=seal,
        )
