"""The documents as PDFs (``api.official``, docs/documents.md), for the API and the pages alike:
a directive as issued (``…/directives/{ref}/document.pdf``), a petition's receipt
(``…/petitions/{receipt}/receipt.pdf``) and its result (``…/petitions/{receipt}/result.pdf``).

Where one was filed signed (``api.filing``, ``api.petition_filing``), the filed file is sent as
it is; else the document is typeset now, unsigned. Each is seen by whoever sees its page: a
directive by whoever may open it (a department officer only its unit's), the receipt by the
reception and the head of the agency holding the petition, the result by whoever may open the
petition. Who may ask is the route's rule (``api.routes``); what they may see is checked here
on the row, as the pages check it.
"""

from __future__ import annotations

from collections.abc import Callable

import falcon

from api.filing import DIRECTIVE
from api.official import (
    directive_content,
    file_name,
    receipt_content,
    result_content,
    send_bytes,
    send_pdf,
)
from api.resources.directives import load_visible
from api.resources.lookup import term_key
from api.web.i18n import Language, message
from api.web.pages.public import LOOKUP_PATH, lookup_url
from domain.application import Thucthi
from domain.documents.document import PETITION_RECEIPT, PETITION_RESULT, document_id
from domain.documents.layout import DocumentRenderer
from domain.petitions.errors import NotOurAgencyError, WrongStepError
from domain.petitions.lookup import PublicLookup
from domain.petitions.petition import Petition, Status
from domain.shared.actors import Actor


class Documents:
    """``GET …/document.pdf``, ``…/receipt.pdf``, ``…/result.pdf``: ``language`` says which
    language a request asks for (the API's ``lang``, a page's reader's)."""

    def __init__(
        self,
        app: Thucthi,
        renderer: DocumentRenderer,
        lookup: PublicLookup,
        public_url: Callable[[], str],
        language: Callable[[falcon.Request], Language],
    ) -> None:
        self.app, self.renderer, self.lookup = app, renderer, lookup
        self.public_url, self.language = public_url, language

    def on_get_directive(self, req: falcon.Request, resp: falcon.Response, ref: str) -> None:
        """The directive's filed document, its current version, signed by its issuer; where
        none was filed (no certificate to sign with), as it was issued (its version 1), typeset
        now and unsigned."""
        actor: Actor = req.context.actor
        directive = load_visible(self.app, actor, ref)
        filed = self.app.documents.get(document_id(DIRECTIVE, directive.id))
        data = None if filed is None else self.app.files.get(filed.current.file.digest)
        if filed is not None and data is not None:
            send_bytes(resp, data, filed.current.file.name)
            return
        issued = self.app.get_directive(directive.id, version=1)
        content = directive_content(
            issued,
            lang=self.language(req),
            registry=self.app.unit_registry(),
            signer=self.app.cached_user(issued.issuer),
            issued_at=issued.created_on,
        )
        send_pdf(resp, self.renderer.render(content), file_name(issued.reference))

    def on_get_receipt(self, req: falcon.Request, resp: falcon.Response, receipt: str) -> None:
        """The receipt, for the holding agency's reception and head (who see the petitioners),
        as ``/petitions/{receipt}/receipt`` prints it."""
        actor: Actor = req.context.actor
        petition: Petition = self.app.petitions.get(receipt, actor=actor)
        people = self.app.petitions.petitioners(petition, actor)
        if actor.unit != petition.agency or people is None:
            raise NotOurAgencyError(
                "holder", receipt=petition.receipt, agency=petition.agency, unit=actor.unit
            )
        if self._send_filed(resp, PETITION_RECEIPT, petition):
            return
        lang = self.language(req)
        found = self.lookup.status(petition)
        law = term_key(found)
        content = receipt_content(
            petition,
            lang=lang,
            registry=self.app.unit_registry(),
            people=people,
            pin=self.lookup.pin(petition, people),
            found=found,
            term_words="" if law is None else message(lang, law[0], **law[1]),
            lookup_address=self.public_url() + LOOKUP_PATH,
            qr_url=lookup_url(self.public_url(), petition.receipt),
        )
        send_pdf(resp, self.renderer.render(content), file_name(petition.receipt, "-bien-nhan"))

    def on_get_result(self, req: falcon.Request, resp: falcon.Response, receipt: str) -> None:
        """The result its head signed: a complaint decision, a denunciation's conclusion or an
        answer; 409 before there is one."""
        actor: Actor = req.context.actor
        desk = self.app.petitions
        petition: Petition = desk.get(receipt, actor=actor)
        resolved = next(
            (
                e
                for e in reversed(desk.history(petition.receipt))
                if isinstance(e, Petition.Resolved)
            ),
            None,
        )
        if petition.status is not Status.RESOLVED or resolved is None:
            raise WrongStepError("no_result", receipt=petition.receipt)
        if self._send_filed(resp, PETITION_RESULT, petition):
            return
        content = result_content(
            petition,
            lang=self.language(req),
            registry=self.app.unit_registry(),
            signer=self.app.cached_user(resolved.actor.user_id),
            resolved_at=resolved.timestamp,
        )
        send_pdf(resp, self.renderer.render(content), file_name(petition.receipt, "-ket-qua"))

    def _send_filed(self, resp: falcon.Response, kind: str, petition: Petition) -> bool:
        """The petition's filed document of ``kind``, signed (``api.petition_filing``), as
        it was filed and whatever the language asked: whether there was one whose bytes are
        kept (a receipt's are not once its petitioners' data were erased)."""
        filed = self.app.documents.get(document_id(kind, petition.id))
        data = None if filed is None else self.app.files.get(filed.current.file.digest)
        if filed is None or data is None:
            return False
        send_bytes(resp, data, filed.current.file.name)
        return True
