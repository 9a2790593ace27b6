"""Filing a directive's signed document when it is issued (docs/documents.md, "Filing").

The directive as issued is typeset in Vietnamese with the QR code of its public page
(``/van-ban/{id}``), signed by its issuer's certificate where one is configured (PAdES, the
agency's signature over the left third of the signer's, Decree 30/2020), and filed: its bytes
kept by their SHA-256, a ``Document.Filed`` event recording it. Where the issuer has no
certificate, nothing is filed and the log says so; the directive's PDF is then typeset on
request, unsigned, as before.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from uuid import UUID

from api.official import directive_content, file_name
from domain.application import Thucthi
from domain.documents.document import document_id
from domain.documents.layout import DocumentRenderer
from domain.documents.signing import (
    Appearance,
    Box,
    DocumentSigner,
    SignerUnavailableError,
    over_signature,
)
from domain.shared.actors import Actor

DIRECTIVE = "directive"
PUBLIC_PATH = "/van-ban"
SEAL_POINTS = 36 / 25.4 * 72  # the demo seal's 36 mm: the box is cut to it, the PNG sets its size
REASON = "Ban hành văn bản"
LOCATION = "Thành phố Hồ Chí Minh"

log = logging.getLogger("thucthi.documents")


def document_url(public_url: str, public_id: UUID) -> str:
    """The address a document's QR code opens: its public page."""
    return f"{public_url.rstrip('/')}{PUBLIC_PATH}/{public_id}"


class DirectiveFiling:
    """Typesets, signs and files a directive as it is issued."""

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

    def file_issued(self, reference: str, *, actor: Actor, request_id: str) -> int | None:
        """File the directive's signed document; the position recorded, or None when its
        issuer has no certificate to sign with (said in the log) or it was filed before (a
        request answered again)."""
        issued = self.app.get_directive(reference, version=1)
        public_id = document_id(DIRECTIVE, issued.id)
        if self.app.documents.get(public_id) is not None:
            return None
        content = directive_content(
            issued,
            lang="vi",
            registry=self.app.unit_registry(),
            signer=self.app.cached_user(issued.issuer),
            issued_at=issued.created_on,
            qr_url=document_url(self.public_url(), public_id),
        )
        rendered = self.renderer.render(content)
        seal = self.seal.read_bytes() if self.seal is not None and self.seal.exists() else None
        area = rendered.signature_box
        box = Box(area.page, area.x, area.y, area.x + area.width, area.y + area.height)
        appearance = Appearance(over_signature(box, SEAL_POINTS), " ".join(content.issuer), seal)
        try:
            signed = self.signer().sign(
                rendered.pdf,
                signer=issued.issuer,
                reason=REASON,
                location=LOCATION,
                at=self.app.clock.now(),
                appearance=appearance,
            )
        except SignerUnavailableError as e:
            log.warning(
                "%s is not signed nor filed: %s has no certificate to sign with (%s)",
                issued.reference,
                issued.issuer,
                e,
            )
            return None
        return self.app.documents.file(
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
