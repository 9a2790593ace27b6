"""Petitions: receiving one (``POST /api/petitions``), one case with its deadline, timeline and
(for those who may see them) petitioners, and one POST per command of its life
(``api.commands.PETITION_POSTED``), each once per ``Idempotency-Key`` and, with ``If-Match``,
only on the version the caller saw."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

import falcon

from api.commands import RECEIVE, PetitionPosted, command_of, receive_command, request_model
from api.http import ProblemError, json
from api.idempotency import Found
from api.petition_documents import (
    WorkingDays,
    candidates_document,
    case_document,
    petition_document,
    timeline,
)
from api.resources.petitions_oversight import PetitionsOversight
from api.writes import READ_MODELS, Commands
from domain.application import Thucthi
from domain.narration import unit_sentences
from domain.petitions.petition import Petition
from domain.shared.actors import Actor
from domain.shared.clock import city_date
from domain.writer import replay as replayed

if TYPE_CHECKING:
    from api.petition_filing import PetitionFiling

# The petitioners are personal data: neither the answer kept for a repeated Idempotency-Key nor
# the fingerprint that tells a repeat from another request holds them.
PERSONAL = ("petitioners",)
_IF_MATCH = re.compile(r'^(?:W/)?"([0-9]{1,18})"$')


def if_match(req: falcon.Request) -> int | None:
    """The version an ``If-Match`` header names (the ETag given), if there is one."""
    header = req.get_header("If-Match")
    if header is None:
        return None
    match = _IF_MATCH.match(header.strip())
    if match is None:
        raise ProblemError(412, "version-mismatch", 'If-Match takes the ETag given, e.g. "7"')
    return int(match[1])


def case_path(receipt: str) -> str:
    return f"/api/petitions/{receipt}"


class PetitionAnswers:
    """How a command on a petition is answered: the petition as the command left it, where it
    stands in the log, whether the read models include it yet; made again from the stored
    event when a repeat finds the first attempt's events."""

    def __init__(
        self,
        commands: Commands,
        calendar: Callable[[], WorkingDays],
        today: Callable[[], date],
        *,
        filing: PetitionFiling | None = None,
    ) -> None:
        """``filing``: signs and files the receipt and the result as they are made."""
        self.commands, self.app = commands, commands.app
        self.calendar, self.today, self.filing = calendar, today, filing

    def answer(
        self,
        resp: falcon.Response,
        petition: Petition,
        position: int,
        status: int,
        *,
        caught_up: bool,
    ) -> None:
        resp.location = case_path(petition.receipt)
        resp.etag = f'"{petition.version}"'
        document = petition_document(petition, self.calendar(), self.today())
        document["position"] = position
        document["links"] = {
            "case": f"/petitions/{petition.receipt}",
            "receipt": f"/petitions/{petition.receipt}/receipt",
        }
        json(resp, document, status)
        if caught_up:
            resp.delete_header(READ_MODELS)
        else:
            resp.set_header(READ_MODELS, "behind")

    def done(
        self,
        resp: falcon.Response,
        receipt: str,
        position: int,
        status: int,
        request_id: str,
        *,
        actor: Actor,
    ) -> None:
        if self.filing is not None:
            filed = self.filing.file_due(receipt, actor=actor, request_id=request_id)
            position = filed or position
        caught_up = self.commands.caught_up(position, request_id)
        petition = self.app.petitions.get(receipt)
        self.answer(resp, petition, position, status, caught_up=caught_up)

    def recovered(
        self, req: falcon.Request, resp: falcon.Response, status: int
    ) -> Callable[[Found], None]:
        def recover(found: Found) -> None:
            event = found.event
            caught_up = self.commands.caught_up(found.position, req.context.request_id)
            petition = self.app.repository.get(
                event.originator_id, version=event.originator_version, projector_func=replayed
            )
            self.answer(resp, petition, found.position, status, caught_up=caught_up)

        return recover


class Petitions:
    """``/api/petitions``: the reception registers what its agency received (POST); the list
    (GET) is the oversight's (``api.resources.petitions_oversight``), one path, two readers."""

    def __init__(self, answers: PetitionAnswers, listing: PetitionsOversight) -> None:
        self.answers, self.commands, self.app = answers, answers.commands, answers.app
        self.listing = listing

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.listing.on_get(req, resp)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body, raw = self.commands.body(req, RECEIVE)
        command = receive_command(body)

        def produce() -> None:
            rid = req.context.request_id
            receipt, position = self.app.petitions.receive(
                command, actor=req.context.actor, request_id=rid
            )
            self.answers.done(resp, receipt, position, 201, rid, actor=req.context.actor)

        recover = self.answers.recovered(req, resp, 201)
        self.commands.once(req, resp, raw, produce, recover, kind=Petition.Event, secret=PERSONAL)


class OnePetition:
    """``GET /api/petitions/{receipt}``: the case as the reader may see it."""

    def __init__(
        self, app: Thucthi, calendar: Callable[[], WorkingDays], today: Callable[[], date]
    ) -> None:
        self.app, self.calendar, self.today = app, calendar, today

    def on_get(self, req: falcon.Request, resp: falcon.Response, receipt: str) -> None:
        actor: Actor = req.context.actor
        resp.etag, document = self.case(actor, receipt)
        json(resp, document)

    def on_get_candidates(self, req: falcon.Request, resp: falcon.Response, receipt: str) -> None:
        """``GET /api/petitions/{receipt}/candidates``: its likely earlier filings of the same
        matter, best first (``PetitionDesk.candidates``)."""
        actor: Actor = req.context.actor
        found = self.app.petitions.candidates(receipt, actor=actor)
        json(resp, {"receipt": receipt.strip().upper(), "candidates": candidates_document(found)})

    def case(self, actor: Actor, receipt: str) -> tuple[str, dict[str, Any]]:
        """The case's ETag and document, for this actor."""
        desk = self.app.petitions
        petition = desk.get(receipt, actor=actor)
        names = unit_sentences(self.app.unit_registry())
        steps = timeline(desk.history(petition.receipt), names)
        document = case_document(
            petition, self.calendar(), self.today(), steps, desk.petitioners(petition, actor)
        )
        return f'"{petition.version}"', document


class PetitionCommandResource:
    """``POST /api/petitions/{receipt}/{name}``: one command of the petition's life."""

    def __init__(self, answers: PetitionAnswers, posted: PetitionPosted) -> None:
        self.answers, self.commands, self.app = answers, answers.commands, answers.app
        self.posted = posted
        self.model = request_model(posted.command)

    def on_post(self, req: falcon.Request, resp: falcon.Response, receipt: str) -> None:
        actor: Actor = req.context.actor
        body, raw = self.commands.body(req, self.model)
        expected = if_match(req)
        command = command_of(self.posted.command, body)

        def produce() -> None:
            # Whether the actor may see the petition is checked on the state the command runs
            # on (PetitionNotFoundError, 404), not by reading it once more first.
            rid = req.context.request_id
            position = self.app.petitions.execute(
                command, receipt, actor=actor, request_id=rid, expected_version=expected
            )
            self.answers.done(resp, receipt, position, self.posted.status, rid, actor=actor)

        recover = self.answers.recovered(req, resp, self.posted.status)
        self.commands.once(req, resp, raw, produce, recover, kind=Petition.Event)


def today_of(app: Thucthi) -> Callable[[], date]:
    """Today in the city, on the application's clock."""
    return lambda: city_date(app.clock.now())
