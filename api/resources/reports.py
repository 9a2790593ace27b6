"""``POST /api/reports/periodic``: the Office issues its periodic report through the API, as its
page's form does (``api.web.pages.reports``): typeset at the period, number and log position
given, signed by the officer's certificate and filed (``api.report_filing``). 201 with the filed
document when filed now, 200 with it when the same period and number were issued before;
problem+json when it cannot be signed (409 no certificate, 503 signing failed)."""

from __future__ import annotations

from collections.abc import Callable

import falcon

from api import schemas
from api.documents import filed_document
from api.filing import document_url
from api.http import json
from api.idempotency import Found
from api.params import REPORT_NUMBER, REPORT_PERIOD
from api.web.pages.reports import PeriodicReport
from api.writes import Commands
from domain.application import Thucthi
from domain.documents.document import Document
from domain.shared.actors import Actor


class IssuedReports:
    """``POST /api/reports/periodic``."""

    def __init__(
        self,
        app: Thucthi,
        report: PeriodicReport,
        commands: Commands,
        public_url: Callable[[], str],
    ) -> None:
        self.app, self.report, self.commands, self.public_url = app, report, commands, public_url

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body, raw = self.commands.body(req, schemas.ReportIssue)
        actor: Actor = req.context.actor
        # The page's own checks of its fields (a control character in the number, a year out
        # of range): 422 as a page's parameter is.
        period = REPORT_PERIOD.text_in({"period": body.period})
        number = REPORT_NUMBER.needed_in({"number": body.number})

        def produce() -> None:
            rid = req.context.request_id
            issued = self.report.issue(period, number, body.position, actor=actor, request_id=rid)
            document = self.app.documents.get(issued.public_id)
            if document is None:  # pragma: no cover - issue returns a filed report's id
                raise falcon.HTTPNotFound
            said = self._said(document)
            if issued.position is not None:
                said["position"] = issued.position
            json(resp, said, 200 if issued.position is None else 201)

        self.commands.once(req, resp, raw, produce, self._recovered(req, resp), kind=Document.Event)

    def _recovered(self, req: falcon.Request, resp: falcon.Response) -> Callable[[Found], None]:
        """The answer of an attempt that filed the report but could not answer."""

        def recover(found: Found) -> None:
            document = self.app.documents.get(found.event.originator_id)
            if document is None:  # a document's events are only ever of a filed one
                raise falcon.HTTPNotFound
            self.commands.caught_up(found.position, req.context.request_id)
            json(resp, self._said(document) | {"position": found.position}, 201)

        return recover

    def _said(self, document: Document) -> dict[str, object]:
        return filed_document(document, document_url(self.public_url(), document.id))
