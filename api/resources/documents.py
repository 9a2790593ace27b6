"""The documents as PDFs (``api.official``, docs/documents.md), for the API and the pages alike:
a directive as issued (``…/directives/{ref}/document.pdf``), a petition's receipt
(``…/petitions/{receipt}/receipt.pdf``) and its result (``…/petitions/{receipt}/result.pdf``);
and a directive's signed document as filed (``…/directives/{ref}/document``): its versions, and
the committee's commands that file it where it is pending, amend, replace and revoke it
(``api.filing``).

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

from api import schemas
from api.documents import filed_document
from api.filing import DIRECTIVE, DirectiveFiling, FilingState, document_url
from api.http import json
from api.idempotency import Found
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
from api.writes import Commands
from domain.application import Thucthi
from domain.documents.document import (
    PETITION_RECEIPT,
    PETITION_RESULT,
    Change,
    Document,
    document_id,
)
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


class FiledDirectiveDocument:
    """``GET …/document``: the directive's signed document and its versions, for whoever sees
    the directive; ``POST …/document`` (file it where it is pending), ``…/amendments``,
    ``…/replacement`` and ``…/revocation``: the committee's, each answered with the document as
    it then stands and the position recorded."""

    def __init__(
        self,
        app: Thucthi,
        commands: Commands,
        filing: DirectiveFiling,
        public_url: Callable[[], str],
    ) -> None:
        self.app, self.commands, self.filing, self.public_url = app, commands, filing, public_url

    def on_get(self, req: falcon.Request, resp: falcon.Response, ref: str) -> None:
        directive = load_visible(self.app, req.context.actor, ref)
        document = self.filing.filed(self.app.get_directive(directive.id, version=1))
        json(resp, self._said(document))

    def on_post(self, req: falcon.Request, resp: falcon.Response, ref: str) -> None:
        """Sign and file it now: 201 when filed, 200 when it was filed before, 503 (problem+json)
        when it still cannot be signed."""
        _, raw = self.commands.body(req, schemas.DocumentFiling)
        actor: Actor = req.context.actor
        directive = load_visible(self.app, actor, ref)

        def produce() -> None:
            rid = req.context.request_id
            filing = self.filing.file_asked(directive.reference, actor=actor, request_id=rid)
            status = 201 if filing.state is FilingState.FILED else 200
            self._answer(resp, directive.reference, filing.position, status, rid)

        self.commands.once(
            req, resp, raw, produce, self._recovered(req, resp, 201), kind=Document.Event
        )

    def on_post_amendments(self, req: falcon.Request, resp: falcon.Response, ref: str) -> None:
        body, raw = self.commands.body(req, schemas.DocumentAmendment)
        self._version(req, resp, ref, raw, Change.AMENDED, body.reason, body.title, body.content)

    def on_post_replacement(self, req: falcon.Request, resp: falcon.Response, ref: str) -> None:
        body, raw = self.commands.body(req, schemas.DocumentReplacement)
        self._version(req, resp, ref, raw, Change.REPLACED, body.reason, body.title, body.content)

    def on_post_revocation(self, req: falcon.Request, resp: falcon.Response, ref: str) -> None:
        body, raw = self.commands.body(req, schemas.DocumentRevocation)
        actor: Actor = req.context.actor
        directive = load_visible(self.app, actor, ref)

        def produce() -> None:
            rid = req.context.request_id
            position = self.filing.revoke(
                directive.reference, reason=body.reason, actor=actor, request_id=rid
            )
            self._answer(resp, directive.reference, position, 200, rid)

        self.commands.once(
            req, resp, raw, produce, self._recovered(req, resp, 200), kind=Document.Event
        )

    def _version(  # noqa: PLR0917 - a version and what it is made of
        self,
        req: falcon.Request,
        resp: falcon.Response,
        ref: str,
        raw: bytes,
        change: Change,
        reason: str,
        title: str | None,
        content: str | None,
    ) -> None:
        actor: Actor = req.context.actor
        directive = load_visible(self.app, actor, ref)

        def produce() -> None:
            rid = req.context.request_id
            position = self.filing.file_version(
                directive.reference,
                change=change,
                reason=reason,
                title=title,
                content=content,
                actor=actor,
                request_id=rid,
            )
            self._answer(resp, directive.reference, position, 201, rid)

        self.commands.once(
            req, resp, raw, produce, self._recovered(req, resp, 201), kind=Document.Event
        )

    def _answer(
        self, resp: falcon.Response, reference: str, position: int | None, status: int, rid: str
    ) -> None:
        document = self.filing.filed(self.app.get_directive(reference, version=1))
        said = self._said(document)
        if position is not None:
            said["position"] = position
            self.commands.caught_up(position, rid)
        json(resp, said, status)

    def _recovered(
        self, req: falcon.Request, resp: falcon.Response, status: int
    ) -> Callable[[Found], None]:
        """The answer of an attempt that stored its event but could not answer."""

        def recover(found: Found) -> None:
            document = self.app.documents.get(found.event.originator_id)
            if document is None:  # a document's events are only ever of a filed one
                raise falcon.HTTPNotFound
            said = self._said(document) | {"position": found.position}
            self.commands.caught_up(found.position, req.context.request_id)
            json(resp, said, status)

        return recover

    def _said(self, document: Document) -> dict[str, object]:
        return filed_document(document, document_url(self.public_url(), document.id))
