"""Filing a petition's signed documents (docs/documents.md, "A petition's documents"): its
receipt (giấy biên nhận) when it is received, and its result (a complaint decision, a
denunciation's conclusion, an answer) when it is resolved.

Each is typeset in Vietnamese with the QR code of its page (``/van-ban/{id}``), as Thông tư
01/2023/TT-VPCP asks of the receipts and the results of administrative procedures (a QR code to
look up how the dossier stands; petitions follow the same practice), signed with PAdES by the
agency's certificate, and filed as a ``Document``: its bytes kept by their SHA-256 in the file
store, never in the log, and only its digest, name and size in the ``Document.Filed`` event.

Who signs: the receipt, the head of the agency that received the petition (the agency's first
active head account, the certificate ``thucthi init --demo-ca`` makes per head); the result,
the head who resolved it. Where they have no certificate nothing is filed and the log says so:
the PDFs are then typeset on request, unsigned, as before.

Both are filed not public: their page shows them only to the petition's holder (its receipt
code and the look-up's digits) and answers everyone else as for an unknown document. The
receipt names the petitioners (the copy handed over is the file filed, so that it verifies);
its bytes are removed from the file store when a petitioner's data are erased
(``Thucthi.erase_personal_data``), while its event, which holds no name, stays.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from uuid import UUID

from api.filing import document_url, typeset_and_sign
from api.official import file_name, receipt_content, result_content
from api.resources.lookup import term_key
from api.web.i18n import message
from api.web.pages.public import LOOKUP_PATH
from domain.application import Thucthi
from domain.documents.document import PETITION_RECEIPT, PETITION_RESULT, Document, document_id
from domain.documents.layout import DocumentContent, DocumentRenderer
from domain.documents.signing import (
    DocumentSigner,
    SignerUnavailableError,
    SigningFailedError,
)
from domain.petitions.lookup import PublicLookup
from domain.petitions.petition import Petition, Status, petition_id
from domain.shared.actors import Actor, Role

RECEIPT_REASON = "Tiếp nhận đơn"
RESULT_REASON = "Ban hành kết quả giải quyết đơn"

log = logging.getLogger("thucthi.documents")


def agency_head(app: Thucthi, usernames: Callable[[], list[str]], agency: str) -> str | None:
    """The account of the agency's head who signs its receipts: the first active one, in the
    accounts' natural order; None when the agency has none."""
    for name in usernames():
        account = app.cached_user(name)
        if (
            account is not None
            and account.active
            and account.role is Role.AGENCY_HEAD
            and account.unit == agency
        ):
            return name
    return None


def last_resolved(app: Thucthi, receipt: str) -> Petition.Resolved | None:
    """The event that resolved the petition last, or None."""
    return next(
        (e for e in reversed(app.petitions.history(receipt)) if isinstance(e, Petition.Resolved)),
        None,
    )


def filed_documents(app: Thucthi, receipt: str) -> tuple[Document, ...]:
    """The petition's filed receipt and result, those there are (for its holder's look-up)."""
    subject = petition_id(receipt)
    kinds = (PETITION_RECEIPT, PETITION_RESULT)
    found = (app.documents.get(document_id(kind, subject)) for kind in kinds)
    return tuple(d for d in found if d is not None)


class PetitionFiling:
    """Typesets, signs and files a petition's receipt and its result."""

    def __init__(
        self,
        app: Thucthi,
        renderer: DocumentRenderer,
        signer: Callable[[], DocumentSigner],
        *,
        lookup: PublicLookup,
        usernames: Callable[[], list[str]],
        public_url: Callable[[], str],
    ) -> None:
        """``signer`` is asked for when first needed (pyHanko takes a second to load);
        ``usernames()``: every account's name, to find an agency's head."""
        self.app, self.renderer, self.signer, self.lookup = app, renderer, signer, lookup
        self.usernames, self.public_url = usernames, public_url

    def file_due(self, receipt: str, *, actor: Actor, request_id: str) -> int | None:
        """After a command on the petition: file its receipt if the command received it, its
        result if the command resolved it; the position recorded, or None. Only then: a
        document not filed (no certificate) is not typeset again at every later command."""
        events = self.app.petitions.history(receipt)
        if len(events) == 1:
            return self.file_receipt(receipt, actor=actor, request_id=request_id)
        if isinstance(events[-1], Petition.Resolved):
            return self.file_result(receipt, actor=actor, request_id=request_id)
        return None

    def file_receipt(self, receipt: str, *, actor: Actor, request_id: str) -> int | None:
        """The receipt, signed by the receiving agency's head; None if filed before or the
        head has no certificate (said in the log)."""
        petition = self.app.petitions.get(receipt, version=1)
        public_id = document_id(PETITION_RECEIPT, petition.id)
        if self.app.documents.get(public_id) is not None:
            return None
        head = agency_head(self.app, self.usernames, petition.agency)
        if head is None:
            log.warning("the receipt of %s is not signed: %s has no head", receipt, petition.agency)
            return None
        # The system's own work, not a reader's: the petitioners are opened from the vault for
        # the copy handed over, never written anywhere but into the file store.
        opened = self.app.vault.open_many(petition.petitioners)
        people = tuple(opened.get(p.person_id) for p in petition.petitioners)
        found = self.lookup.status(petition)
        law = term_key(found)
        content = receipt_content(
            petition,
            lang="vi",
            registry=self.app.unit_registry(),
            people=people,
            pin=self.lookup.pin(petition, people),
            found=found,
            term_words="" if law is None else message("vi", law[0], **law[1]),
            lookup_address=self.public_url() + LOOKUP_PATH,
            qr_url=document_url(self.public_url(), public_id),
        )
        return self._file(
            content,
            kind=PETITION_RECEIPT,
            subject=petition.id,
            reference=petition.receipt,
            signer=head,
            reason=RECEIPT_REASON,
            name=file_name(petition.receipt, "-bien-nhan"),
            actor=actor,
            request_id=request_id,
        )

    def file_result(self, receipt: str, *, actor: Actor, request_id: str) -> int | None:
        """The result, signed by the head who resolved it; None before it is resolved, if
        filed before, or if that head has no certificate (said in the log)."""
        petition = self.app.petitions.get(receipt)
        if petition.status is not Status.RESOLVED:
            return None
        public_id = document_id(PETITION_RESULT, petition.id)
        if self.app.documents.get(public_id) is not None:
            return None
        resolved = last_resolved(self.app, receipt)
        if resolved is None:  # pragma: no cover - a resolved petition has its event
            return None
        head = resolved.actor.user_id
        account = self.app.cached_user(head)
        if account is None:
            log.warning("the result of %s is not signed: %s has no account", receipt, head)
            return None
        content = result_content(
            petition,
            lang="vi",
            registry=self.app.unit_registry(),
            signer=account,
            resolved_at=resolved.timestamp,
            qr_url=document_url(self.public_url(), public_id),
        )
        return self._file(
            content,
            kind=PETITION_RESULT,
            subject=petition.id,
            reference=petition.decision_reference or petition.receipt,
            signer=head,
            reason=RESULT_REASON,
            name=file_name(petition.receipt, "-ket-qua"),
            actor=actor,
            request_id=request_id,
        )

    def _file(
        self,
        content: DocumentContent,
        *,
        kind: str,
        subject: UUID,
        reference: str,
        signer: str,
        reason: str,
        name: str,
        actor: Actor,
        request_id: str,
    ) -> int | None:
        try:
            # No seal: the demo's is the city committee's, and a receipt or a result is the
            # receiving agency's; a deployment's token signs as the agency it belongs to.
            signed = typeset_and_sign(
                self.renderer,
                self.signer(),
                content,
                signed_by=signer,
                reason=reason,
                at=self.app.clock.now(),
            )
        except SignerUnavailableError as e:
            log.warning(
                "%s of %s is not signed nor filed: %s has no certificate to sign with (%s)",
                kind,
                reference,
                signer,
                e,
            )
            return None
        except SigningFailedError as e:
            # The petition stands either way: a fault of the certificate, the token or the
            # signing library must not answer its command with a server error.
            log.error(
                "%s của %s chưa ký số được nên chưa lưu / %s of %s could not be signed nor "
                "filed: %s",
                kind,
                reference,
                kind,
                reference,
                e,
            )
            return None
        return self.app.documents.file(
            signed,
            name=name,
            kind=kind,
            subject=subject,
            reference=reference,
            title=content.title,
            issuer=signer,
            public=False,
            signer=signer,
            actor=actor,
            request_id=request_id,
        )
