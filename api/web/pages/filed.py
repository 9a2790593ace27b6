"""The public page of a filed document (``/van-ban/{id}``, what its QR code opens) and the
check of a file anyone holds (``/van-ban``, a form to upload it); neither needs a sign-in.

The page shows a public document's number, title, issuer, date, the SHA-256 of its current
version, whether that version's signature is valid, its state (the directive's status, or that
it was revoked) and every version, the current marked. An unknown id, a malformed one and a
document not marked public answer alike: 404, the same page, after the same read. Every look-up
and every check is counted by the petitions' look-up limiter (``api.limits``) by address, and
taken back when it found a public document or a filed file. docs/documents.md says what each
answer means.

A petition's receipt and result (``api.petition_filing``) are not public: their page answers as
for an unknown id, and every such answer offers the petition's holder a form (``POST
/van-ban/{id}``) taking the receipt code and the look-up's digits; with the right ones it shows
the document, the petition's step and a download of the signed file. It never names a person.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any
from uuid import UUID

import falcon

from api.filing import document_url
from api.limits import LookupLimiter, TooManyLookupsError, wait_in_words
from api.official import send_bytes
from api.resources.lookup import step_key
from api.web.i18n import message
from api.web.pages.base import Pages, language, posted_form, posted_form_with_files
from api.web.pages.public import qr_svg
from domain.application import Thucthi
from domain.documents.document import PETITION_RECEIPT, PETITION_RESULT, Document
from domain.documents.signing import DocumentVerifier, SignatureCheck
from domain.petitions.lookup import DIGITS, PublicLookup, PublicStatus
from domain.petitions.petition import petition_id
from projections.document_check import check_file
from readmodels.audit import AuditStore
from readmodels.filed import FiledIndex

_CHECKS_KEPT = 4096  # checks kept by digest; all dropped when full (a few KB each)
PETITION_KINDS = frozenset({PETITION_RECEIPT, PETITION_RESULT})


class FiledDocumentPages:
    """``GET /van-ban/{id}``, ``GET /van-ban`` (the form) and ``POST /van-ban`` (the check)."""

    def __init__(
        self,
        pages: Pages,
        app: Thucthi,
        verifier: Callable[[], DocumentVerifier],
        *,
        trail: AuditStore | None,
        limiter: LookupLimiter,
        public_url: Callable[[], str],
        lookup: PublicLookup | None = None,
        index: FiledIndex | None = None,
    ) -> None:
        """``lookup``: the petitions' look-up, which lets a petition's holder see its filed
        documents (None: no one sees them here). ``index``: the read models' index of filed
        files by digest (None: the log's filing events are read instead)."""
        self.pages, self.app, self.verifier, self.trail = pages, app, verifier, trail
        self.limiter, self.public_url = limiter, public_url
        self.lookup, self.index = lookup, index
        # A filed file's check, by its digest: the same bytes against the same roots answer
        # the same, and a look-up that found its document is not counted by the limiter, so
        # a page asked for again and again must not cost a signature check each time.
        self._checked: dict[str, SignatureCheck] = {}
        self._checked_lock = threading.Lock()

    def on_get_document(self, req: falcon.Request, resp: falcon.Response, public_id: str) -> None:
        lang = language(req)
        try:
            attempt = self.limiter.attempt(f"document:{public_id[:40]}", _address(req))
        except TooManyLookupsError as e:
            self._too_many(req, resp, e)
            return
        document = self.app.documents.get(_uuid(public_id))
        if document is None or not document.public:
            failure = message(lang, "filed.not_found")
            self._show(req, resp, 404, document=None, failure=failure, holder=public_id)
            return
        self.limiter.succeeded(attempt)
        self._show(req, resp, **self._facts(document, lang))

    def on_post_document(self, req: falcon.Request, resp: falcon.Response, public_id: str) -> None:
        """The holder's form: the receipt code and the look-up's digits open a petition's
        document (and ``download`` sends its file); anything else is answered as an unknown
        document, after the same work."""
        lang = language(req)
        form = posted_form(req)
        code, digits = _field(form, "code"), _field(form, "digits")
        try:
            attempt = self.limiter.attempt(f"document:{public_id[:40]}", _address(req))
        except TooManyLookupsError as e:
            self._too_many(req, resp, e)
            return
        document = self.app.documents.get(_uuid(public_id))
        found = self._holder(document, code, digits)
        if document is None or found is None:
            if document is not None and document.public:
                self.limiter.succeeded(attempt)
                self._show(req, resp, **self._facts(document, lang))
                return
            failure = message(lang, "filed.not_found")
            self._show(req, resp, 404, document=None, failure=failure, holder=public_id)
            return
        self.limiter.succeeded(attempt)
        data = self.app.files.get(document.current.file.digest)
        if _field(form, "download") and data is not None:
            send_bytes(resp, data, document.current.file.name)
            return
        facts = self._facts(document, lang)
        self._show(
            req,
            resp,
            **facts,
            petition_step=step_key(found),
            held=(code, digits),
            downloadable=data is not None,
        )

    def _holder(self, document: Document | None, code: str, digits: str) -> PublicStatus | None:
        """The petition's status if ``document`` is one of its documents and the code and
        digits open its look-up; None otherwise. The look-up runs whatever the document, so
        that an unknown id costs what a petition's document does."""
        found = None
        if self.lookup is not None and DIGITS.match(digits):
            found = self.lookup.find(code, digits)
        if found is None or document is None or document.kind not in PETITION_KINDS:
            return None
        return found if petition_id(found.receipt) == UUID(document.subject) else None

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self._show(req, resp, document=None)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        lang = language(req)
        _, uploads = posted_form_with_files(req, self.app.file_rules.max_bytes)
        upload = next((u for u in uploads if u.data), None)
        if upload is None:
            failure = message(lang, "filed.no_file")
            self._show(req, resp, 422, document=None, failure=failure)
            return
        try:
            attempt = self.limiter.attempt("document-check", _address(req))
        except TooManyLookupsError as e:
            self._too_many(req, resp, e)
            return
        verdict = check_file(
            self.app, self.verifier(), upload.data, store=self.trail, index=self.index
        )
        if verdict.filed is not None:
            self.limiter.succeeded(attempt)
        shown: dict[str, Any] = {"document": None}
        if verdict.filed is not None and verdict.filed.document.public:
            shown = self._facts(verdict.filed.document, lang)
        self._show(req, resp, verdict=verdict, checked_name=upload.name, **shown)

    def _show(
        self, req: falcon.Request, resp: falcon.Response, status: int = 200, **values: Any
    ) -> None:
        """The page, with what it does not show said to be absent."""
        shown: dict[str, Any] = {
            "document": None,
            "verdict": None,
            "failure": "",
            "holder": None,  # the id whose holder's form is offered
            "petition_step": None,
            "held": None,
            "downloadable": False,
        }
        self.pages.render(req, resp, "filed.html", status, **(shown | values))

    def _facts(self, document: Document, lang: Any) -> dict[str, Any]:
        """What the page shows of a public document."""
        current = document.current
        check = self._check_of(current.file.digest)
        directive_status = None
        if document.kind == "directive":
            directive_status = self.app.get_directive(UUID(document.subject)).status.value
        issuer = self.app.cached_user(document.issuer)
        url = document_url(self.public_url(), document.id)
        return {
            "document": document,
            "issuer_name": document.issuer if issuer is None else issuer.display_name,
            "check": check,
            "directive_status": directive_status,
            "url": url,
            "qr": qr_svg(url, message(lang, "filed.qr", reference=document.reference)),
        }

    def _check_of(self, digest: str) -> SignatureCheck | None:
        with self._checked_lock:
            known = self._checked.get(digest)
        if known is not None:
            return known
        data = self.app.files.get(digest)
        if data is None:
            return None
        check = self.verifier().verify(data)
        with self._checked_lock:
            if len(self._checked) >= _CHECKS_KEPT:
                self._checked.clear()
            self._checked[digest] = check
        return check

    def _too_many(self, req: falcon.Request, resp: falcon.Response, e: TooManyLookupsError) -> None:
        resp.set_header("Retry-After", str(e.retry_after))
        failure = message(
            language(req), "lookup.too_many", wait=wait_in_words(language(req), e.retry_after)
        )
        self._show(req, resp, 429, document=None, failure=failure)


def _field(form: dict[str, Any], name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _address(req: falcon.Request) -> str:
    return req.remote_addr or "unknown"


def _uuid(text: str) -> UUID:
    """The id a path names; a malformed one names no document (the nil UUID), read alike."""
    try:
        return UUID(text)
    except ValueError:
        return UUID(int=0)
