"""Issuing the Office's periodic report (docs/reports.md, "Issuing the report"; docs/documents.md,
"The periodic report"): typeset in Vietnamese at the period, number and log position shown,
with the QR code of its page (``/van-ban/{id}``), signed with PAdES by the acting Office
officer's certificate, and filed as a public ``Document``: its bytes kept by their SHA-256 in
the file store, its digest, name and size in the ``Document.Filed`` event.

Its public id is derived from its period and its number (``report_subject``), so that a report
issued again (the same period and number) answers with the one filed, whatever position it was
asked at: a report, once issued, is that document. Where the officer has no certificate
nothing is filed and the answer says so (``SignerMissingError``, 409); where signing fails,
``DocumentNotSignedError`` (503): neither is a server error.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from eventsourcing.persistence import IntegrityError

from api.filing import document_url, typeset_and_sign
from api.official import file_name
from domain.application import Thucthi
from domain.documents.document import (
    PERIODIC_REPORT,
    DocumentNotSignedError,
    SignerMissingError,
    document_id,
    report_subject,
)
from domain.documents.layout import DocumentContent, DocumentRenderer
from domain.documents.signing import (
    DocumentSigner,
    SignerUnavailableError,
    SigningFailedError,
)
from domain.shared.actors import Actor

REASON = "Ban hành báo cáo định kỳ"

log = logging.getLogger("thucthi.documents")


@dataclass(frozen=True, slots=True)
class IssuedReport:
    """A report issued: its public id, and the position its filing was recorded at (None:
    it was filed before, and that one stands)."""

    public_id: UUID
    position: int | None


class ReportFiling:
    """Signs and files the Office's periodic report."""

    def __init__(
        self,
        app: Thucthi,
        renderer: DocumentRenderer,
        signer: Callable[[], DocumentSigner],
        public_url: Callable[[], str],
    ) -> None:
        """``signer`` is asked for when first needed (pyHanko takes a second to load)."""
        self.app, self.renderer, self.signer, self.public_url = app, renderer, signer, public_url

    @staticmethod
    def public_id(first: date, last: date, number: str) -> UUID:
        """The public id of the report of that period and number, filed or not."""
        return document_id(PERIODIC_REPORT, report_subject(first, last, number))

    def qr_url(self, first: date, last: date, number: str) -> str:
        """The address its QR code opens: its page."""
        return document_url(self.public_url(), self.public_id(first, last, number))

    def issue(
        self,
        content: DocumentContent,
        *,
        first: date,
        last: date,
        number: str,
        actor: Actor,
        request_id: str,
    ) -> IssuedReport:
        """File ``content`` (the report typeset with ``qr_url``'s code) signed by ``actor``,
        unless the report of that period and number was filed before. SignerMissingError where
        the actor has no certificate, DocumentNotSignedError where signing failed: nothing
        recorded either way."""
        subject = report_subject(first, last, number)
        public_id = document_id(PERIODIC_REPORT, subject)
        if self.app.documents.get(public_id) is not None:
            return IssuedReport(public_id, None)
        signer = actor.user_id
        try:
            # No seal: the demo's is the city committee's, and the report is its Office's.
            signed = typeset_and_sign(
                self.renderer,
                self.signer(),
                content,
                signed_by=signer,
                reason=REASON,
                at=self.app.clock.now(),
            )
        except SignerUnavailableError as e:
            log.warning("report %s is not signed nor filed: %s has no certificate (%s)",
                        number, signer, e)  # fmt: skip
            raise SignerMissingError("no_key", signer=signer, reference=number) from e
        except SigningFailedError as e:
            log.error(
                "báo cáo %s chưa ký số được, chưa lưu / report %s could not be signed, nothing "
                "filed: %s",
                number,
                number,
                e,
            )
            raise DocumentNotSignedError("failed", reference=number, error=str(e)) from e
        try:
            position = self.app.documents.file(
                signed,
                name=file_name(number),
                kind=PERIODIC_REPORT,
                subject=subject,
                reference=number,
                title=content.title,
                issuer=signer,
                # Figures per unit and directives' references: no one's personal data.
                public=True,
                signer=signer,
                actor=actor,
                request_id=request_id,
            )
        except IntegrityError:
            # Issued at the same moment by another request: its filing stands, as if before.
            if self.app.documents.get(public_id) is None:
                raise
            return IssuedReport(public_id, None)
        return IssuedReport(public_id, position)
