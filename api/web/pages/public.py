"""The petitions' public face: the receipt the reception prints and hands to the petitioner
(``/petitions/{receipt}/receipt``, A4, with the QR code of the look-up), and the look-up itself
(``/tra-cuu``), which needs no sign-in.

The look-up's form is posted, so that the four digits never travel in an address; a wrong code
and wrong digits are answered by the same page (which shows again only the code that was typed),
and a flood by 429 with Retry-After. What the receipt carries, and why: docs/petitions-public.md.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

import falcon
import segno
from markupsafe import Markup

from api.limits import LookupLimiter, TooManyLookupsError, limited_lookup, wait_in_words
from api.resources.lookup import step_key, term_key
from api.web.i18n import message
from api.web.pages.base import Pages, language, posted_form, signed_in
from domain.application import Thucthi
from domain.documents.document import Document
from domain.petitions.errors import NotOurAgencyError
from domain.petitions.lookup import DIGITS, PublicLookup, PublicStatus, normalised_code
from domain.petitions.petition import Petition

LOOKUP_PATH = "/tra-cuu"
# How much of a typed code the form shows again: a code is 13 characters.
_CODE_SHOWN = 64


def lookup_url(public_url: str, receipt: str) -> str:
    """The address a receipt's QR code holds: the look-up with the code filled in."""
    return f"{public_url}{LOOKUP_PATH}/{quote(receipt, safe='')}"


def qr_svg(url: str, title: str) -> Markup:
    """The QR code of ``url`` as inline SVG (segno; no image, no script, nothing loaded)."""
    code = segno.make_qr(url, error="m")
    return Markup(code.svg_inline(scale=4, border=4, svgclass="qr", lineclass=None, title=title))  # noqa: S704 - segno's own SVG, its title escaped by segno


def shown_code(text: str) -> str:
    """A typed code as the form shows it again: in its kept form if it is one."""
    return normalised_code(text) or text.strip()[:_CODE_SHOWN]


class LookupPages:
    """``GET /tra-cuu`` (the form), ``GET /tra-cuu/{receipt}`` (the form with the code of a QR
    code filled in) and ``POST /tra-cuu`` (the answer)."""

    def __init__(
        self,
        pages: Pages,
        lookup: PublicLookup,
        limiter: LookupLimiter,
        filed: Callable[[str], tuple[Document, ...]] | None = None,
    ) -> None:
        """``filed(receipt)``: the petition's signed receipt and result, which the answer
        offers to download (``api.petition_filing.filed_documents``)."""
        self.pages, self.lookup, self.limiter = pages, lookup, limiter
        self.filed = filed

    def show(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        status: int = 200,
        *,
        code: str = "",
        failure: str = "",
        found: PublicStatus | None = None,
        digits: str = "",
    ) -> None:
        law = None if found is None else term_key(found)
        filed = () if found is None or self.filed is None else self.filed(found.receipt)
        self.pages.render(
            req,
            resp,
            "lookup.html",
            status,
            code=code,
            failure=failure,
            found=found,
            step=None if found is None else step_key(found),
            law=law,
            filed=filed,
            digits=digits,
        )

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.show(req, resp)

    def on_get_code(self, req: falcon.Request, resp: falcon.Response, receipt: str) -> None:
        # Nothing is looked up: the form only shows the code the QR code carried.
        self.show(req, resp, code=shown_code(receipt))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = posted_form(req)
        lang = language(req)
        given_code, given_digits = form.get("code"), form.get("digits")
        code = given_code if isinstance(given_code, str) else ""
        digits = given_digits.strip() if isinstance(given_digits, str) else ""
        shown = shown_code(code)
        if not DIGITS.match(digits):
            failure = message(lang, "lookup.digits.invalid")
            self.show(req, resp, 422, code=shown, failure=failure)
            return
        try:
            found = limited_lookup(
                self.lookup, self.limiter, code, digits, req.remote_addr or "unknown"
            )
        except TooManyLookupsError as e:
            resp.set_header("Retry-After", str(e.retry_after))
            wait = wait_in_words(lang, e.retry_after)
            failure = message(lang, "lookup.too_many", wait=wait)
            self.show(req, resp, 429, code=shown, failure=failure)
            return
        if found is None:
            self.show(req, resp, 404, code=shown, failure=message(lang, "lookup.not_found"))
            return
        self.show(req, resp, code=found.receipt, found=found, digits=digits)


class ReceiptPage:
    """``GET /petitions/{receipt}/receipt``: the receipt, for the reception and the head of the
    agency that holds the petition (who see its petitioners)."""

    def __init__(
        self,
        pages: Pages,
        app: Thucthi,
        lookup: PublicLookup,
        public_url: Callable[[], str],
    ) -> None:
        self.pages, self.app, self.lookup, self.public_url = pages, app, lookup, public_url

    def on_get(self, req: falcon.Request, resp: falcon.Response, receipt: str) -> None:
        actor = signed_in(req)
        petition: Petition = self.app.petitions.get(receipt, actor=actor)
        if actor.unit != petition.agency:
            raise NotOurAgencyError(
                "holder", receipt=petition.receipt, agency=petition.agency, unit=actor.unit
            )
        people = self.app.petitions.petitioners(petition, actor)
        if people is None:  # pragma: no cover - the holder's reception and head see them
            raise NotOurAgencyError(
                "holder", receipt=petition.receipt, agency=petition.agency, unit=actor.unit
            )
        lang = language(req)
        found = self.lookup.status(petition)
        url = lookup_url(self.public_url(), petition.receipt)
        self.pages.render(
            req,
            resp,
            "receipt.html",
            petition=petition,
            people=people,
            pin=self.lookup.pin(petition, people),
            found=found,
            law=term_key(found),
            lookup_address=self.public_url() + LOOKUP_PATH,
            qr=qr_svg(url, message(lang, "receipt.qr", code=petition.receipt)),
            qr_url=url,
        )
