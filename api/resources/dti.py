"""The digital-transformation index over HTTP: its frameworks (published from their file, read
back in that form), assessments and the commands of their life (each once per
``Idempotency-Key`` and, with ``If-Match``, only on the version the caller saw), the Office's
publication of a period, the results at a day and a log position, the results scored again under
another version, and what waits for the caller."""

from __future__ import annotations

from typing import Any

import falcon
import orjson

from api.commands import DtiPosted, command_of, request_model
from api.dti_documents import (
    assessment_document,
    framework_document,
    indices_document,
    published_document,
    queue_document,
    rescored_document,
    results_document,
)
from api.http import MAX_BODY, ProblemError, json, read_body
from api.idempotency import Found
from api.params import (
    AS_OF,
    DTI_GROUP,
    DTI_INDEX,
    DTI_PERIOD,
    DTI_UNDER,
    DTI_VERSION,
    POSITION,
    Integer,
)
from api.resources.petitions import if_match
from api.schemas import DtiWhatIf
from api.writes import READ_MODELS, Commands
from domain.application import Thucthi
from domain.dti.assessment import Assessment
from domain.dti.commands import PublishResults, StartAssessment
from domain.dti.desk import PointOfView
from domain.dti.file import read_framework
from domain.dti.framework import GroupKind
from domain.dti.index import DtiIndex
from domain.shared.actors import Actor
from domain.writer import replay

VERSION_IN_PATH = Integer("version", 1, 2**31 - 1)


def assessment_path(key: str) -> str:
    return f"/api/dti/assessments/{key}"


class Frameworks:
    """``GET /api/dti/frameworks``: every index and its versions as published (position: as
    published then); ``POST``: a framework file published as its index's next version (the body
    is the file itself, docs/dti.md)."""

    def __init__(self, app: Thucthi, commands: Commands) -> None:
        self.app, self.commands = app, commands

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        json(resp, indices_document(self.app.dti.indices(POSITION.read(req))))

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        raw = _raw_body(req)

        def answer(index: str, version: int, position: int, status: int) -> None:
            published = self.app.dti.framework(index, version)
            resp.location = f"/api/dti/frameworks/{index}/{version}"
            json(resp, {**published_document(published), "position": position}, status)

        def produce() -> None:
            framework, position = self.app.dti.publish_framework(
                raw, actor=req.context.actor, request_id=req.context.request_id
            )
            self.commands.caught_up(position, req.context.request_id)
            answer(framework.index, framework.version, position, 201)

        def recover(found: Found) -> None:
            index = self.app.repository.get(
                found.event.originator_id,
                version=found.event.originator_version,
                projector_func=replay,
            )
            answer(index.key, index.latest, found.position, 201)

        self.commands.once(req, resp, raw, produce, recover, kind=DtiIndex.Event)


class OneFramework:
    """``GET /api/dti/frameworks/{index}/{version}``: a version as published, the framework in
    the form of its file."""

    def __init__(self, app: Thucthi) -> None:
        self.app = app

    def on_get(self, req: falcon.Request, resp: falcon.Response, index: str, version: str) -> None:
        published = self.app.dti.framework(index, VERSION_IN_PATH.from_path(version))
        json(resp, published_document(published))


class AssessmentAnswers:
    """How a command on an assessment is answered: the assessment as the command left it, its
    position and ETag; made again from the stored event when a repeat finds the first
    attempt's."""

    def __init__(self, app: Thucthi, commands: Commands) -> None:
        self.app, self.commands = app, commands

    def answer(
        self, resp: falcon.Response, assessment: Assessment, position: int, status: int
    ) -> None:
        desk = self.app.dti
        resp.location = assessment_path(assessment.key)
        resp.etag = f'"{assessment.version}"'
        document = assessment_document(
            assessment, desk.group_of(assessment), desk.appraiser(assessment)
        )
        json(resp, {**document, "position": position}, status)

    def done(self, resp: falcon.Response, key: str, position: int, status: int, rid: str) -> None:
        caught_up = self.commands.caught_up(position, rid)
        self.answer(resp, self.app.dti.get(key), position, status)
        if not caught_up:
            resp.set_header(READ_MODELS, "behind")

    def recover(self, resp: falcon.Response, status: int) -> Any:
        def recovered(found: Found) -> None:
            event = found.event
            assessment = self.app.repository.get(
                event.originator_id, version=event.originator_version, projector_func=replay
            )
            self.answer(resp, assessment, found.position, status)

        return recovered


class Assessments:
    """``POST /api/dti/assessments``: a unit's officer opens its assessment for a period."""

    def __init__(self, answers: AssessmentAnswers) -> None:
        self.answers, self.app, self.commands = answers, answers.app, answers.commands
        self.model = request_model(StartAssessment)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body, raw = self.commands.body(req, self.model)
        command: StartAssessment = command_of(StartAssessment, body)

        def produce() -> None:
            rid = req.context.request_id
            key, position = self.app.dti.start(command, actor=req.context.actor, request_id=rid)
            self.answers.done(resp, key, position, 201, rid)

        self.commands.once(
            req, resp, raw, produce, self.answers.recover(resp, 201), kind=Assessment.Event
        )


class OneAssessment:
    """``GET /api/dti/assessments/{key}``: the assessment, for its unit, the appraising body,
    the leadership, the Office and the inspectorate."""

    def __init__(self, app: Thucthi) -> None:
        self.app = app

    def on_get(self, req: falcon.Request, resp: falcon.Response, key: str) -> None:
        desk = self.app.dti
        assessment = desk.get(key, actor=req.context.actor)
        resp.etag = f'"{assessment.version}"'
        json(
            resp,
            assessment_document(assessment, desk.group_of(assessment), desk.appraiser(assessment)),
        )


class AssessmentCommandResource:
    """``POST /api/dti/assessments/{key}/{name}``: one command of the assessment's life."""

    def __init__(self, answers: AssessmentAnswers, posted: DtiPosted) -> None:
        self.answers, self.app, self.commands = answers, answers.app, answers.commands
        self.posted = posted
        self.model = request_model(posted.command)

    def on_post(self, req: falcon.Request, resp: falcon.Response, key: str) -> None:
        actor: Actor = req.context.actor
        body, raw = self.commands.body(req, self.model)
        expected = if_match(req)
        command = command_of(self.posted.command, body)

        def produce() -> None:
            rid = req.context.request_id
            position = self.app.dti.execute(
                command, key, actor=actor, request_id=rid, expected_version=expected
            )
            self.answers.done(resp, key, position, self.posted.status, rid)

        recover = self.answers.recover(resp, self.posted.status)
        self.commands.once(req, resp, raw, produce, recover, kind=Assessment.Event)


class Publications:
    """``POST /api/dti/publications``: the Office publishes a period's appraised results."""

    def __init__(self, app: Thucthi, commands: Commands) -> None:
        self.app, self.commands = app, commands
        self.model = request_model(PublishResults)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body, raw = self.commands.body(req, self.model)
        command: PublishResults = command_of(PublishResults, body)

        def answer(keys: list[str], position: int) -> None:
            resp.location = (
                f"/api/dti/results?index={command.index}&period={command.period}"
                f"&version={command.version}&position={position}"
            )
            json(resp, {"published": keys, "position": position}, 201)

        def produce() -> None:
            keys, position = self.app.dti.publish_results(
                command, actor=req.context.actor, request_id=req.context.request_id
            )
            self.commands.caught_up(position, req.context.request_id)
            answer(keys, position)

        def recover(found: Found) -> None:
            # The publication saved its assessments at once: those its request published.
            view = self.app.dti.point_of_view(None, found.position)
            published = [
                a.key
                for a in self.app.dti.folded(view).assessments.values()
                if a.publication == command.reference
                and (a.index, a.framework_version, a.period)
                == (command.index, command.version, command.period)
            ]
            answer(sorted(published), found.position)

        self.commands.once(req, resp, raw, produce, recover, kind=Assessment.Event)


class Results:
    """``GET /api/dti/results``: the period's scores, bands, ranks and trends at a day and a
    log position (``GET /api/dti/results/rescored``: scored again under another version);
    ``GET /api/dti/queue``: what waits for the caller."""

    def __init__(self, app: Thucthi) -> None:
        self.app = app

    def _asked(self, req: falcon.Request) -> tuple[str, int, PointOfView, GroupKind | None]:
        index, period = DTI_INDEX.need(req), DTI_PERIOD.need(req)
        view = self.app.dti.point_of_view(AS_OF.read(req), POSITION.read(req))
        group = DTI_GROUP.read(req)
        return index, period, view, None if group is None else GroupKind(group)

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        actor: Actor = req.context.actor
        index, period, view, group = self._asked(req)
        found = self.app.dti.results(
            index, period, view=view, actor=actor, version=DTI_VERSION.read(req), group=group
        )
        only = self.app.dti.published_only(actor, index)
        json(resp, results_document(index, period, view, found, only))

    def on_get_rescored(self, req: falcon.Request, resp: falcon.Response) -> None:
        actor: Actor = req.context.actor
        index, period, view, group = self._asked(req)
        under = DTI_UNDER.need(req)
        found = self.app.dti.rescored(index, period, under, view=view, actor=actor, group=group)
        only = self.app.dti.published_only(actor, index)
        json(resp, rescored_document(index, period, under, view, found, only))

    def on_post_what_if(self, req: falcon.Request, resp: falcon.Response) -> None:
        """``POST /api/dti/results/what-if``: the period scored under a framework file that is
        not published (checked as a file is), beside its own scores; nothing is recorded."""
        actor: Actor = req.context.actor
        asked, _ = read_body(req, DtiWhatIf)
        framework = read_framework(orjson.dumps(asked.framework))
        view = self.app.dti.point_of_view(asked.as_of, asked.position)
        found = self.app.dti.rescored(asked.index, asked.period, framework, view=view, actor=actor)
        only = self.app.dti.published_only(actor, asked.index)
        document = rescored_document(asked.index, asked.period, None, view, found, only)
        json(resp, {**document, "framework": framework_document(framework)})

    def on_get_queue(self, req: falcon.Request, resp: falcon.Response) -> None:
        json(resp, queue_document(self.app.dti.queue(req.context.actor)))


def _raw_body(req: falcon.Request) -> bytes:
    """The request's body as sent (a framework file), within the size any body may have."""
    if req.content_length is not None and req.content_length > MAX_BODY:
        raise ProblemError(413, "body-too-large", "The body is over 1 MiB")
    raw: bytes = req.bounded_stream.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        raise ProblemError(413, "body-too-large", "The body is over 1 MiB")
    media_type = (req.content_type or "").split(";")[0].strip().lower()
    if raw.strip() and media_type != "application/json":
        raise ProblemError(415, "unsupported-media-type", "Send application/json")
    return raw
