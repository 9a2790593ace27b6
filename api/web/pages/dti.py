"""The digital-transformation index's pages (docs/dti.md): ``/dti``, the ranking of a period as
of a day and a log position with the distribution across bands, for leadership (and the
Office's publication, a unit's way to its own scorecard); ``/dti/queue``, what waits for the
appraising body, a unit or the Office; ``/dti/assessments/{key}``, a unit's scorecard: where it
loses points, what evidence is missing, and the forms of its life (the unit enters, submits and
answers; the appraising body accepts, adjusts, sends back and completes; the Office corrects).
Every form runs the same command as the API (``api.commands.DTI_POSTED``)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import falcon
from pydantic import ValidationError

from api.commands import DTI_POSTED, command_of, request_model
from api.dti_documents import assessment_document, results_document
from api.http import ProblemError, from_domain, from_parameter
from api.params import AS_OF, DONE, DTI_INDEX, DTI_PERIOD, FORM_VERSION, POSITION, ParameterError
from api.web.export import dti_ranking_xlsx
from api.web.i18n import Language, message
from api.web.pages.base import Pages, domain_refusal, language, posted_form, signed_in
from api.web.pages.petition_desk import command_body, invalid_fields
from api.web.pages.petitions import XLSX
from api.writes import Commands
from domain.application import Thucthi
from domain.dti.assessment import OPEN_TO_UNIT, Stage
from domain.dti.commands import PublishResults, StartAssessment
from domain.dti.errors import FrameworkNotFoundError
from domain.shared.actors import Actor, Role
from domain.shared.clock import city_date
from domain.shared.errors import DomainError, VersionMismatchError

DTI_BY_NAME = {p.name: p for p in DTI_POSTED}
DEFAULT_INDEX = "hcm-dti"
# The fields a form sends as one line each, which the command takes as a tuple.
_LISTS = ("links", "components")
# The fields that are whole numbers (the API takes them as JSON numbers only).
_WHOLE = frozenset({"version", "period", "working_days"})
_WHOLE_NUMBER = re.compile(r"-?\d{1,12}")


def _lines(value: object) -> list[str]:
    if isinstance(value, list):
        return [v.strip() for v in value if isinstance(v, str) and v.strip()]
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    return []


def dti_body(model: Any, form: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body a form of the index stands for: as every form's, whole numbers made
    numbers, and the lists (links one a line, the components ticked) as lists."""
    body = command_body(model, {k: v for k, v in form.items() if k not in _LISTS})
    for name in _WHOLE & body.keys():
        if isinstance(body[name], str) and _WHOLE_NUMBER.fullmatch(body[name]):
            body[name] = int(body[name])
    for name in _LISTS:
        if name in model.model_fields and name in form:
            body[name] = _lines(form[name])
    return body


def value_fields(problem: ProblemError) -> ProblemError:
    """A component's value and its whole named as the scorecard names them (``number`` is an
    extension's on a directive's page)."""
    for error in problem.errors or []:
        if error.get("field") in {"number", "of"}:
            error["field"] = f"dti.{error['field']}"
    return problem


def offered(actor: Actor, stage: Stage, unit: str, appraiser: str) -> list[str]:
    """The forms of an assessment's page the actor may use at its stage."""
    if actor.role is Role.DEPARTMENT and actor.unit == unit and stage in OPEN_TO_UNIT:
        return ["values", "submission"] if stage is Stage.DRAFT else ["values", "answer"]
    if actor.role is Role.DEPARTMENT and actor.unit == appraiser and stage is Stage.SUBMITTED:
        return ["acceptances", "adjustments", "return", "appraisal"]
    if actor.role is Role.OFFICE and stage is Stage.PUBLISHED:
        return ["corrections"]
    return []


class DtiPages:
    """``/dti`` (the ranking and the band chart), ``/dti/queue``, ``/dti/start`` and
    ``/dti/publish``."""

    def __init__(self, pages: Pages, app: Thucthi, commands: Commands) -> None:
        self.pages, self.app, self.commands = pages, app, commands

    def _index(self, req: falcon.Request) -> str:
        return (DTI_INDEX.read(req) or DEFAULT_INDEX).strip()

    def on_get(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        *,
        status: int = 200,
        problem: ProblemError | None = None,
        failed: str = "",
    ) -> None:
        actor = signed_in(req)
        desk = self.app.dti
        index = self._index(req)
        today = city_date(self.app.clock.now())
        view = desk.point_of_view(AS_OF.read(req), POSITION.read(req))
        folded = desk.folded(view)
        periods = sorted(
            {a.period for a in folded.assessments.values() if a.index == index}, reverse=True
        )
        period = DTI_PERIOD.read(req) or (periods[0] if periods else today.year - 1)
        found = desk.results(index, period, view=view, actor=actor)
        only = desk.published_only(actor, index)
        document = results_document(index, period, view, found, only)
        known = folded.indices.get(index)
        versions = [v.framework.version for v in known.versions] if known is not None else []
        mine = None
        if actor.role is Role.DEPARTMENT:
            mine = next(
                (
                    a.key
                    for a in folded.assessments.values()
                    if (a.index, a.period, a.unit) == (index, period, actor.unit)
                ),
                None,
            )
        waiting: dict[int, int] = {}
        if actor.role is Role.OFFICE:
            for a in desk.queue(actor):
                if (a.index, a.period) == (index, period):
                    waiting[a.framework_version] = waiting.get(a.framework_version, 0) + 1
        self.pages.render(
            req,
            resp,
            "dti.html",
            status,
            results=document,
            index=index,
            period=period,
            periods=periods or [period],
            versions=versions,
            today=today,
            mine=mine,
            waiting=waiting,
            problem=problem,
            failed=failed,
            done=DONE.read(req) or "",
        )

    def on_get_queue(self, req: falcon.Request, resp: falcon.Response) -> None:
        actor = signed_in(req)
        items = self.app.dti.queue(actor)
        today = city_date(self.app.clock.now())
        self.pages.render(req, resp, "dti_queue.html", items=items, today=today)

    def _refused(
        self, req: falcon.Request, resp: falcon.Response, failed: str, problem: ProblemError
    ) -> None:
        self.on_get(req, resp, status=problem.status, problem=problem, failed=failed)

    def on_post_start(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Mở kỳ tự đánh giá, for the signed-in officer's unit."""
        actor = signed_in(req)
        form = posted_form(req)
        lang = language(req)
        try:
            model = request_model(StartAssessment)
            body = dti_body(model, form)
            body["unit"] = actor.unit or ""
            command: StartAssessment = command_of(StartAssessment, model.model_validate(body))
            key, position = self.app.dti.start(
                command, actor=actor, request_id=req.context.request_id
            )
        except ValidationError as e:
            self._refused(req, resp, "start", invalid_fields(e, lang))
            return
        except DomainError as e:
            self._refused(req, resp, "start", domain_refusal(e, lang))
            return
        self.commands.caught_up(position, req.context.request_id)
        raise falcon.HTTPSeeOther(f"/dti/assessments/{key}?done=start")

    def on_post_publish(self, req: falcon.Request, resp: falcon.Response) -> None:
        """Công bố kết quả: the Office publishes the period's appraised assessments."""
        actor = signed_in(req)
        form = posted_form(req)
        lang = language(req)
        try:
            model = request_model(PublishResults)
            command: PublishResults = command_of(
                PublishResults, model.model_validate(dti_body(model, form))
            )
            _, position = self.app.dti.publish_results(
                command, actor=actor, request_id=req.context.request_id
            )
        except ValidationError as e:
            self._refused(req, resp, "publish", invalid_fields(e, lang))
            return
        except DomainError as e:
            self._refused(req, resp, "publish", domain_refusal(e, lang))
            return
        self.commands.caught_up(position, req.context.request_id)
        raise falcon.HTTPSeeOther(
            f"/dti?index={command.index}&period={command.period}&position={position}&done=publish"
        )

    def on_get_export(self, req: falcon.Request, resp: falcon.Response, kind: str) -> None:
        """``/dti/export.xlsx``: the ranking as the city publishes it, with the day and the log
        position it is as of, as every export has."""
        if kind != "xlsx":
            raise falcon.HTTPNotFound
        actor = signed_in(req)
        desk = self.app.dti
        lang = language(req)
        index = self._index(req)
        period = DTI_PERIOD.need(req)
        view = desk.point_of_view(AS_OF.read(req), POSITION.read(req))
        found = desk.results(index, period, view=view, actor=actor)
        document = results_document(index, period, view, found, desk.published_only(actor, index))
        indicators = {
            (g.group.kind.value, g.framework.version): [
                (i.code, i.name_vi if lang == "vi" else i.name_en)
                for p in g.group.pillars
                for i in p.indicators
            ]
            for g in found
        }
        source = [
            (message(lang, "dti.title"), index),
            (message(lang, "dti.period_label"), str(period)),
            (message(lang, "dash.as_of"), view.as_of.isoformat()),
            ("log_position", str(view.position)),
        ]
        resp.content_type = XLSX
        resp.data = dti_ranking_xlsx(
            document, indicators, self.pages.unit_names(lang), source, lang
        )
        name = f"thucthi-dti-{index}-{period}-{view.as_of.isoformat()}-p{view.position}"
        resp.set_header("Content-Disposition", f'attachment; filename="{name}.xlsx"')
        resp.set_header("Cache-Control", "no-store")


class AssessmentPage:
    """``/dti/assessments/{key}``: a unit's scorecard and the forms of its life."""

    def __init__(self, pages: Pages, app: Thucthi, commands: Commands) -> None:
        self.pages, self.app, self.commands = pages, app, commands

    def show(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        key: str,
        *,
        status: int = 200,
        failed: str = "",
        problem: ProblemError | None = None,
        values: Mapping[str, Any] | None = None,
    ) -> None:
        actor = signed_in(req)
        desk = self.app.dti
        assessment = desk.get(key, actor=actor)
        group, appraiser = desk.group_of(assessment), desk.appraiser(assessment)
        document = assessment_document(assessment, group, appraiser)
        try:
            framework = desk.framework(assessment.index, assessment.framework_version).framework
        except FrameworkNotFoundError:  # pragma: no cover - an assessment's framework stays
            raise falcon.HTTPNotFound from None
        self.pages.render(
            req,
            resp,
            "dti_assessment.html",
            status,
            a=document,
            version=assessment.version,
            framework=framework,
            group=group,
            forms=offered(actor, assessment.stage, assessment.unit, appraiser),
            failed=failed,
            problem=problem,
            values=dict(values or {}),
            done=DONE.read(req) or "",
            today=city_date(self.app.clock.now()),
        )

    def on_get(self, req: falcon.Request, resp: falcon.Response, key: str) -> None:
        self.show(req, resp, key)

    def on_post_action(
        self, req: falcon.Request, resp: falcon.Response, key: str, action: str
    ) -> None:
        actor = signed_in(req)
        posted = DTI_BY_NAME.get(action)
        if posted is None:
            raise falcon.HTTPNotFound
        form = posted_form(req)
        lang: Language = language(req)
        self.app.dti.get(key, actor=actor)  # not there for whoever may not see it
        values = {k: v if isinstance(v, str) else "\n".join(_lines(v)) for k, v in form.items()}

        def again(problem: ProblemError) -> None:
            self.show(
                req, resp, key, status=problem.status, failed=action, problem=problem,
                values=values,
            )  # fmt: skip

        try:
            expected = FORM_VERSION.value_in(form)
            model = request_model(posted.command)
            command = command_of(posted.command, model.model_validate(dti_body(model, form)))
            position = self.app.dti.execute(
                command, key, actor=actor, request_id=req.context.request_id,
                expected_version=expected,
            )  # fmt: skip
        except ValidationError as e:
            again(value_fields(invalid_fields(e, lang)))
            return
        except ParameterError as e:
            again(from_parameter(e, lang))
            return
        except VersionMismatchError as e:
            problem = from_domain(e)
            problem.status = 409
            again(problem)
            return
        except DomainError as e:
            again(domain_refusal(e, lang))
            return
        self.commands.caught_up(position, req.context.request_id)
        component = form.get("component")
        where = f"#c-{component}" if isinstance(component, str) and component else ""
        raise falcon.HTTPSeeOther(f"/dti/assessments/{key}?done={action}{where}")
