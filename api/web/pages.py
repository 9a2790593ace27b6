"""The web pages: server-rendered HTML for leadership, units and inspectors.

The pages are another face of the same application: they read through the same read models,
run the same commands through the same table (``api.app.COMMANDS``) and obey the same
authorization matrix (``api.routes``) as the JSON API. They need no script to work: every
action is an HTML form; the one script only makes the version slider move on its own.

Signing in sets an HttpOnly, SameSite=Lax cookie holding the same kind of token the API gives.
Every form that changes something carries a token derived from the session (``csrf``), checked
before anything runs. Nothing is loaded from anywhere but this server.
"""

from __future__ import annotations

import hmac
import mimetypes
import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any, get_origin
from urllib.parse import quote, urlencode

import falcon
import orjson
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from pydantic import BaseModel, ValidationError

from adapters.signing import Signer
from api import auth
from api.documents import oversight_checkpoint, plain
from api.fastpath import LatestCheckpoint
from api.http import MAX_BODY, ProblemError, from_domain, from_parameter, read_models
from api.params import (
    AS_OF,
    BACK,
    BASIS,
    CATEGORY,
    DONE,
    FORM_NUMBER,
    FORM_VERSION,
    ISSUED,
    ISSUER,
    LANG,
    NEXT,
    ORDER,
    REFERENCE,
    SEARCH,
    TO_LANGUAGE,
    TRAIL_ACTION,
    TRAIL_ACTOR,
    TRAIL_AFTER,
    TRAIL_BEFORE,
    TRAIL_DIRECTIVE,
    TRAIL_FROM,
    TRAIL_TO,
    UNIT,
    URGENCY,
    VERSION,
    ParameterError,
    given,
    is_ascii_number,
)
from api.resources.audit import Audit, trail_filters, why_late_document
from api.resources.directives import (
    COMMANDS,
    Listing,
    from_path,
    issue,
    listed,
    load_visible,
    on_path_directive,
)
from api.routes import BY_KEY
from api.schemas import IssueDirective
from api.web import charts
from api.web.export import Report, UnitFigures, to_csv, to_xlsx
from api.web.i18n import (
    MESSAGES,
    Language,
    field_label,
    invalid_field,
    invalid_text,
    language_of,
    message,
    say,
    term,
)
from api.web.session import (
    SESSION_COOKIE,
    SIGN_IN_COOKIE,
    csrf_token,
    home_of,
    new_sign_in_nonce,
    sign_in_form_token,
    sign_in_nonce,
)
from api.writes import Commands
from domain.application import Thucthi
from domain.directives.directive import Directive, ExtensionStatus, Status, Urgency
from domain.directives.references import normalise_reference
from domain.directives.why_late import why_late
from domain.narration import subject, tell, unit_sentences
from domain.shared.actors import Actor, Role
from domain.shared.clock import CITY_TIMEZONE, city_date
from domain.shared.errors import DomainError, InvalidTextError, VersionMismatchError
from projections.audit import SigningRefusedError, changes, checkpoint_document, fields_of
from readmodels.audit import AuditFilters, AuditStore
from readmodels.index import IndexWeights, score_units
from readmodels.model import AsOf, Basis, Filters
from readmodels.open import OversightView
from readmodels.queries import category_of

HERE = Path(__file__).parent
STATIC = HERE / "static"
LANGUAGE_COOKIE = "thucthi_lang"
LATE_SHOWN = 50
LIST_SHOWN = 200
TRAIL_SHOWN = 50
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
_TEXT_FIELDS = ("narrative", "reason", "summary", "note", "message", "question", "answer")


def to_path(reference: str) -> str:
    """A directive reference as a path segment ("/" written "~", as the API takes it)."""
    return quote(reference.replace("/", "~"), safe="~")


_LOCAL_PATH = re.compile(r"^/(?![/\\])[^\s\\]*$")


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never an address elsewhere (an open redirect). Browsers read
    "//host", "/\\host" and "/<tab>/host" as another host, so none of them pass."""
    if not target or not _LOCAL_PATH.match(target) or any(ord(c) < 32 for c in target):
        return "/"
    return target


def _city_time(moment: datetime | str | None) -> str:
    """A moment in the city's time, to the minute (stored texts are ISO 8601 in UTC)."""
    if moment is None or moment == "":
        return ""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment.astimezone(CITY_TIMEZONE).strftime("%Y-%m-%d %H:%M")


def _number(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


# --- the actions a directive page offers -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Action:
    """One form on the directive page: the command it runs (a suffix of ``COMMANDS``)."""

    name: str
    suffix: str
    numbered: bool = False  # decided or answered by number (extension n, explanation n)


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action("acknowledge", "/acknowledgement"),
        Action("progress", "/progress-reports"),
        Action("contribute", "/contributions"),
        Action("extension", "/extension-requests"),
        Action("completion", "/completion-report"),
        Action("decide_extension", "/extension-requests/{n}/decision", numbered=True),
        Action("decide_completion", "/completion-report/decision"),
        Action("explain_answer", "/explanation-requests/{n}/answer", numbered=True),
        Action("remind", "/reminders"),
        Action("explain_request", "/explanation-requests"),
        Action("reassign", "/reassignment"),
        Action("withdraw", "/withdrawal"),
    )
}


def role_may(actor: Actor, action: Action) -> bool:
    route = BY_KEY[("POST", "/api/directives/{ref}" + action.suffix)]
    return route.roles is not None and actor.role in route.roles


def offered(actor: Actor, d: Directive, today: date) -> list[str]:
    """The forms worth showing this actor now; the domain still decides when one is sent."""
    if d.is_closed:
        return []
    lead = actor.role is Role.DEPARTMENT and actor.unit == d.lead_unit
    coordinator = actor.role is Role.DEPARTMENT and actor.unit in d.coordinating_units
    pending = d.pending_extension is not None
    open_questions = any(e.answer is None for e in d.explanations)
    wanted = {
        "acknowledge": lead and d.status is Status.ISSUED,
        "progress": lead and d.status is Status.IN_PROGRESS,
        "extension": lead
        and d.deadline is not None
        and d.deadline >= today
        and not pending
        and d.status in {Status.ISSUED, Status.IN_PROGRESS},
        "completion": lead and d.status is Status.IN_PROGRESS,
        "explain_answer": lead and open_questions,
        "contribute": coordinator,
        "decide_extension": pending,
        "decide_completion": d.status is Status.COMPLETION_REPORTED,
        "remind": True,
        "explain_request": True,
        "reassign": True,
        "withdraw": True,
    }
    return [name for name, on in wanted.items() if on and role_may(actor, ACTIONS[name])]


def form_body(model: type[BaseModel], form: dict[str, Any]) -> dict[str, Any]:
    """The JSON body a form stands for: only the model's fields, blanks left out, numbers made
    numbers, lists kept lists (so the same validation runs as for the API)."""
    body: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name not in form:
            continue
        value = form[name]
        listed = get_origin(info.annotation) is list
        if listed:
            values = value if isinstance(value, list) else [value]
            body[name] = [v.strip() for v in values if v.strip()]
            continue
        if isinstance(value, list):
            value = value[-1]
        value = value.strip()
        if value == "" and not info.is_required():
            continue
        if name == "percent" and is_ascii_number(value):
            body[name] = int(value)
        else:
            body[name] = value
    return body


def domain_refusal(error: DomainError, lang: Language) -> ProblemError:
    """A domain refusal as a page shows it: a text field's, in the reader's language."""
    problem = from_domain(error)
    if isinstance(error, InvalidTextError):
        problem.errors = [{"field": error.field, "message": invalid_text(lang, error)}]
    return problem


def refusal(error: ValidationError, lang: Language) -> ProblemError:
    """A form's invalid fields, each said in the reader's language."""
    errors = [
        {
            "field": ".".join(str(p) for p in e["loc"]) or "(body)",
            "message": invalid_field(lang, e["type"], dict(e.get("ctx") or {}), e["msg"]),
        }
        for e in error.errors(include_url=False, include_input=False)
    ]
    return ProblemError(422, "invalid-fields", "Some fields are invalid", errors=errors)


@dataclass(frozen=True, slots=True)
class Question:
    """What a dashboard or list was asked: the day, and the filters as given and as parsed."""

    day: date
    today: date
    chosen: dict[str, str]  # the parameters as given (as_of only when not today)
    filters: Filters
    basis: Basis


# --- the pages ---------------------------------------------------------------------------------


class Web:
    """Every page, sharing the templates, the application context and the audit resource."""

    def __init__(
        self,
        *,
        app: Thucthi,
        view: OversightView | None,
        trail: AuditStore | None,
        signer: Signer | None,
        weights: IndexWeights,
        commands: Commands,
        limiter: auth.SignInLimiter,
        checked_tokens: auth.CheckedTokens,
        checkpoint: LatestCheckpoint,
        audit: Audit,
    ) -> None:
        self.app, self.view, self.trail, self.signer = app, view, trail, signer
        self.weights, self.commands, self.limiter = weights, commands, limiter
        self.checked_tokens, self.checkpoint, self.audit = checked_tokens, checkpoint, audit
        self.env = Environment(
            loader=FileSystemLoader(HERE / "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["path"] = to_path
        self.env.filters["city_time"] = _city_time
        self.env.filters["number"] = _number
        self.env.filters["rate"] = _percent
        self.env.globals["urgencies"] = [u.value for u in Urgency]

    # --- rendering ---------------------------------------------------------------------------

    def language(self, req: falcon.Request) -> Language:
        try:
            chosen = LANG.read(req)
        except ParameterError:
            chosen = None  # a preference: one that cannot be read is not one
        if chosen is not None:
            return language_of(chosen)
        values = req.get_cookie_values(LANGUAGE_COOKIE)
        return language_of(values[0] if values else None)

    @staticmethod
    def search_box(req: falcon.Request) -> str:
        """The words searched for, shown again in the header's box; none on the page that says
        they could not be read."""
        try:
            return SEARCH.read(req) or ""
        except ParameterError:
            return ""

    def unit_names(self, lang: Language) -> dict[str, str]:
        registry = self.app.unit_registry()
        return {
            code: (u.name_vi if lang == "vi" else u.name_en) for code, u in registry.units.items()
        }

    def render(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        template: str,
        status: int = 200,
        **values: Any,
    ) -> None:
        lang = self.language(req)
        actor: Actor | None = req.context.actor
        token_hash: str | None = req.context.token_hash
        names = self.unit_names(lang)
        resp.status = status
        resp.content_type = "text/html; charset=utf-8"
        resp.set_header("Cache-Control", "no-store")
        for name, value in SECURITY_HEADERS.items():
            resp.set_header(name, value)
        page = self.env.get_template(template).render(
            t=partial(message, lang),
            has_message=MESSAGES.__contains__,
            say=partial(say, lang),
            field_label=partial(field_label, lang),
            term=partial(term, lang),
            lang=lang,
            actor=actor,
            csrf=csrf_token(token_hash) if token_hash else "",
            here=req.relative_uri,
            q=values.pop("q", None) or self.search_box(req),
            unit_name=lambda code: names.get(code, code),
            unit_names=names,
            request_id=req.context.request_id,
            home=self.home_of(actor) if actor else "/sign-in",
            **values,
        )
        # A text from the log that UTF-8 cannot carry (a lone surrogate an earlier version or
        # the store itself let in) is shown escaped, as the read models show it.
        resp.data = page.encode("utf-8", "backslashreplace")

    def error(self, req: falcon.Request, resp: falcon.Response, problem: ProblemError) -> None:
        """A problem, as a page (the pages' side of the one error mapping)."""
        if problem.status == 401:
            raise falcon.HTTPSeeOther("/sign-in?" + urlencode({"next": req.relative_uri}))
        for name, value in problem.headers.items():
            if name != "WWW-Authenticate":
                resp.set_header(name, value)
        self.render(req, resp, "error.html", problem.status, problem=problem)

    @staticmethod
    def home_of(actor: Actor) -> str:
        return home_of(actor)

    @staticmethod
    def require(req: falcon.Request) -> Actor:
        """The signed-in actor, on a page that only signed-in roles open (``api.routes.PAGES``:
        the pipeline has sent everyone else to sign in)."""
        actor: Actor = req.context.actor
        return actor

    def form(self, req: falcon.Request, *, session: bool = True) -> dict[str, Any]:
        """The posted form, after checking its CSRF token against the session (``session``
        False: the caller checks a token of its own)."""
        if req.content_length is not None and req.content_length > MAX_BODY:
            raise ProblemError(413, "body-too-large", "The body is over 1 MiB")
        media_type = (req.content_type or "").split(";")[0].strip().lower()
        if media_type != falcon.MEDIA_URLENCODED:
            raise ProblemError(415, "unsupported-media-type", "Send an HTML form")
        form: dict[str, Any] = req.get_media()
        token_hash: str | None = req.context.token_hash
        sent = form.get("csrf")
        if (
            session
            and token_hash is not None
            and not (isinstance(sent, str) and hmac.compare_digest(sent, csrf_token(token_hash)))
        ):
            raise ProblemError(403, "bad-form-token", "The form's token is not this session's")
        return form

    # --- sign-in ------------------------------------------------------------------------------

    def sign_in_form(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        status: int = 200,
        *,
        next: str,
        failure: str,
    ) -> None:
        """The sign-in page, with the form's token and the cookie it is derived from."""
        nonce = sign_in_nonce(req) or new_sign_in_nonce()
        resp.set_cookie(
            SIGN_IN_COOKIE,
            nonce,
            max_age=int(auth.TOKEN_LIFETIME.total_seconds()),
            path="/sign-in",
            secure=req.scheme == "https",
            http_only=True,
            same_site="Strict",
        )
        self.render(
            req,
            resp,
            "sign_in.html",
            status,
            next=next,
            failure=failure,
            sign_in_token=sign_in_form_token(nonce),
        )

    def on_get_sign_in(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.sign_in_form(req, resp, next=_safe_next(NEXT.read(req)), failure="")

    def on_post_sign_in(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = self.form(req, session=False)
        username = str(form.get("username", "")).strip()
        password = str(form.get("password", ""))
        target = _safe_next(form.get("next"))
        lang = self.language(req)
        nonce, sent = sign_in_nonce(req), form.get("csrf")
        if not (
            nonce is not None
            and isinstance(sent, str)
            and hmac.compare_digest(sent, sign_in_form_token(nonce))
        ):
            # Not this browser's form (or it outlived its cookie): nobody is signed in.
            failure = message(lang, "signin.expired")
            self.sign_in_form(req, resp, 403, next=target, failure=failure)
            return
        try:
            attempt = self.limiter.attempt(username, req.remote_addr or "unknown")
        except auth.TooManyAttemptsError as e:
            failure = message(lang, "signin.too_many", seconds=e.retry_after)
            resp.set_header("Retry-After", str(e.retry_after))
            self.sign_in_form(req, resp, 429, next=target, failure=failure)
            return
        try:
            issued = auth.sign_in(self.app, username, password, req.context.request_id)
        except (auth.SignInError, ValueError):
            failure = message(lang, "signin.failed")
            self.sign_in_form(req, resp, 401, next=target, failure=failure)
            return
        self.limiter.succeeded(attempt)
        resp.set_cookie(
            SESSION_COOKIE,
            issued.token,
            max_age=int(auth.TOKEN_LIFETIME.total_seconds()),
            path="/",
            secure=req.scheme == "https",
            http_only=True,
            same_site="Lax",
        )
        resp.unset_cookie(SIGN_IN_COOKIE, path="/sign-in")
        account = self.app.get_user(username)
        raise falcon.HTTPSeeOther(target if target != "/" else self.home_of(account.as_actor()))

    def on_post_sign_out(self, req: falcon.Request, resp: falcon.Response) -> None:
        actor = req.context.actor
        if actor is not None:
            self.form(req)
            self.app.revoke_token(
                actor.user_id,
                token_id=req.context.token_id,
                actor=actor,
                request_id=req.context.request_id,
            )
            self.checked_tokens.forget(req.context.token_hash)
        resp.unset_cookie(SESSION_COOKIE, path="/")
        raise falcon.HTTPSeeOther("/sign-in")

    def on_get_language(self, req: falcon.Request, resp: falcon.Response) -> None:
        lang = language_of(TO_LANGUAGE.read(req))
        resp.set_cookie(
            LANGUAGE_COOKIE,
            lang,
            max_age=365 * 86400,
            path="/",
            secure=req.scheme == "https",
            http_only=True,
            same_site="Lax",
        )
        raise falcon.HTTPSeeOther(_safe_next(BACK.read(req)))

    def on_get_home(self, req: falcon.Request, resp: falcon.Response) -> None:
        actor: Actor | None = req.context.actor
        raise falcon.HTTPSeeOther(self.home_of(actor) if actor else "/sign-in")

    # --- the dashboard ------------------------------------------------------------------------

    def question(self, req: falcon.Request) -> Question:
        """The day and the filters a dashboard or a list was asked for."""
        today = city_date(self.app.clock.now())
        day = AS_OF.read(req) or today
        chosen = given(req, (UNIT, ISSUER, URGENCY, ISSUED, BASIS))
        issued = ISSUED.read(req)
        filters = Filters(
            unit=chosen.get("unit"),
            issuer=chosen.get("issuer"),
            urgency=chosen.get("urgency"),
            issued_from=issued[0] if issued else None,
            issued_to=issued[1] if issued else None,
        )
        basis: Basis = "original" if chosen.get("basis") == "original" else "in_force"
        if day != today:
            chosen["as_of"] = day.isoformat()
        return Question(day, today, chosen, filters, basis)

    def report(self, req: falcon.Request) -> Report:
        """The dashboard's figures, all from one log position, as of the day asked."""
        view = read_models(self.view)
        asked = self.question(req)
        day, filters = asked.day, asked.filters
        position = view.position()
        # Today is the log as it stands at that position; an earlier day is what was recorded by
        # its end (a position would override the day: see readmodels.model.AsOf).
        as_of = AsOf(day, position) if day >= asked.today else AsOf(day)
        summary = view.summary(as_of, basis=asked.basis, filters=filters)
        scores = {s.unit: s for s in score_units(view.responsiveness(as_of, filters), self.weights)}
        names = self.unit_names(self.language(req))
        units = tuple(
            sorted(
                (
                    UnitFigures(code, names.get(code, code), figures, scores.get(code))
                    for code, figures in summary.units.items()
                ),
                key=lambda u: (u.score.rank if u.score else 10**9, u.name),
            )
        )
        late = tuple(view.late(as_of, filters, limit=1000))
        checkpoint = oversight_checkpoint(self.trail, self.app.name, position)
        return Report(
            as_of=day,
            basis=asked.basis,
            filters={k: v for k, v in asked.chosen.items() if k not in {"basis", "as_of"}},
            position=position,
            checkpoint=checkpoint,
            city=summary.city,
            units=units,
            late=late,
            skipped=summary.skipped,
        )

    def on_get_dashboard(self, req: falcon.Request, resp: falcon.Response) -> None:
        report = self.report(req)
        chart = charts.unit_chart(
            [
                (
                    u.code,
                    u.name,
                    u.figures.completed_on_time,
                    u.figures.completed_late,
                    u.figures.overdue,
                )
                for u in report.units
            ]
        )
        query = {k: v for k, v in req.params.items() if k != "lang" and isinstance(v, str)}
        self.render(
            req,
            resp,
            "dashboard.html",
            report=report,
            chart=chart,
            late=report.late[:LATE_SHOWN],
            query=query,
            export_query=urlencode(query),
            issuers=read_models(self.view).issuers(),
            today=city_date(self.app.clock.now()),
        )

    def on_get_export(self, req: falcon.Request, resp: falcon.Response, kind: str) -> None:
        report = self.report(req)
        lang = self.language(req)
        name = f"thucthi-{report.as_of.isoformat()}-p{report.position}"
        if kind == "csv":
            resp.content_type = "text/csv; charset=utf-8"
            resp.data = to_csv(report, lang)
        elif kind == "xlsx":
            resp.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            resp.data = to_xlsx(report, lang)
        else:
            raise falcon.HTTPNotFound
        resp.set_header("Content-Disposition", f'attachment; filename="{name}.{kind}"')
        resp.set_header("Cache-Control", "no-store")

    # --- directives ---------------------------------------------------------------------------

    def on_get_directives(self, req: falcon.Request, resp: falcon.Response) -> None:
        """The list, and the search every page's box sends here (accent-insensitive). A tile of
        the dashboard opens it with the tile's category, day and filters: the same directives
        the tile counts."""
        actor = self.require(req)
        view = read_models(self.view)
        asked = self.question(req)
        query = SEARCH.read(req) or ""
        category = CATEGORY.read(req) or ""
        rows, count = listed(
            view,
            actor,
            Listing(
                asked.filters,
                asked.day,
                earlier=asked.day < asked.today,
                basis=asked.basis,
                search=query,
                category=category,
            ),
            0,
            LIST_SHOWN,
        )
        self.render(
            req,
            resp,
            "directives.html",
            rows=[(r, category_of(r, asked.day, asked.basis)) for r in rows],
            count=count,
            category=category,
            unit=asked.chosen.get("unit", ""),
            kept={k: v for k, v in asked.chosen.items() if k != "unit"},
            q=query,
        )

    def on_get_new(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.render(req, resp, "issue.html", values={}, problem=None)

    def on_post_new(self, req: falcon.Request, resp: falcon.Response) -> None:
        actor = self.require(req)
        form = self.form(req)
        body = form_body(IssueDirective, form)
        try:
            command = IssueDirective.model_validate(body)
            position = issue(self.app, command, actor, req.context.request_id)
        except ValidationError as e:
            problem = refusal(e, self.language(req))
            self.render(req, resp, "issue.html", 422, values=form, problem=problem)
            return
        except DomainError as e:
            problem = domain_refusal(e, self.language(req))
            self.render(req, resp, "issue.html", problem.status, values=form, problem=problem)
            return
        self.commands.caught_up(position, req.context.request_id)
        reference = normalise_reference(command.reference)  # issued: it is in form
        raise falcon.HTTPSeeOther(f"/directives/{to_path(reference)}?done=issue")

    def directive_page(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        ref: str,
        *,
        status: int = 200,
        failed: str = "",
        problem: ProblemError | None = None,
        values: dict[str, Any] | None = None,
    ) -> None:
        actor = self.require(req)
        directive = load_visible(self.app, actor, ref)
        lang = self.language(req)
        events = self.app.history(directive.id)
        now = self.app.clock.now()
        names = unit_sentences(self.app.unit_registry())
        timeline = []
        reports: list[tuple[datetime, int]] = []
        for event in events:
            said = tell(event, event.actor, names)
            who = subject(event.actor, names)
            text = next((str(v) for f in _TEXT_FIELDS if (v := getattr(event, f, None))), "")
            timeline.append(
                {
                    "version": event.originator_version,
                    "when": event.timestamp,
                    "who": who.vi if lang == "vi" else who.en,
                    "user": event.actor.user_id,
                    "what": said.vi if lang == "vi" else said.en,
                    "text": text,
                }
            )
            if isinstance(event, Directive.ProgressReported):
                reports.append((event.timestamp, event.percent))
            elif isinstance(event, Directive.CompletionAccepted):
                reports.append((event.timestamp, 100))
        end = directive.accepted_at or directive.withdrawn_at or now
        deadlines: list[tuple[date, str]] = []
        if directive.original_deadline is not None:
            deadlines.append((directive.original_deadline, "original_deadline"))
        if directive.deadline is not None and directive.deadline != directive.original_deadline:
            deadlines.append((directive.deadline, "deadline"))
        chart = charts.progress_chart(events[0].timestamp, end, reports, deadlines)
        late = why_late_document(why_late(events, now))
        today = city_date(now)
        view = read_models(self.view)
        rows = view.board(None, Filters(unit=directive.lead_unit))
        row = next((r for r in rows if r.directive_id == directive.id), None)
        category = category_of(row, today) if row is not None else None
        self.render(
            req,
            resp,
            "directive.html",
            status,
            d=directive,
            category=category,
            timeline=timeline,
            chart=chart,
            has_reports=bool(reports),
            late=late,
            actions=offered(actor, directive, today),
            pending=directive.pending_extension,
            open_explanations=[e for e in directive.explanations if e.answer is None],
            failed=failed,
            problem=problem,
            values=values or {},
            done=DONE.read(req) or "",
            extension_status={s.value: s.value for s in ExtensionStatus},
            units=sorted(self.unit_names(lang).items(), key=lambda kv: kv[1]),
        )

    def on_get_directive(self, req: falcon.Request, resp: falcon.Response, ref: str) -> None:
        self.directive_page(req, resp, ref)

    def on_post_action(
        self, req: falcon.Request, resp: falcon.Response, ref: str, action: str
    ) -> None:
        actor = self.require(req)
        chosen = ACTIONS.get(action)
        if chosen is None:
            raise falcon.HTTPNotFound
        form = self.form(req)
        load_visible(self.app, actor, ref)
        model, command, _ = COMMANDS[chosen.suffix]
        try:
            expected = FORM_VERSION.value_in(form)
            number = FORM_NUMBER.needed_in(form) if chosen.numbered else None
            body = model.model_validate(form_body(model, form))
            payload: Any = body if number is None else (body, number)
            rid = req.context.request_id
            position = on_path_directive(
                self.app,
                ref,
                lambda key: command(self.app, key, payload, actor, rid, expected),
            )
        except ValidationError as e:
            problem = refusal(e, self.language(req))
            self.directive_page(
                req, resp, ref, status=422, failed=action, problem=problem, values=form
            )
            return
        except ParameterError as e:
            problem = from_parameter(e, self.language(req))
            self.directive_page(
                req, resp, ref, status=422, failed=action, problem=problem, values=form
            )
            return
        except VersionMismatchError as e:
            # Conflict, not the API's 412: the page answers with the directive as it now stands.
            problem = ProblemError(409, e.code, from_domain(e).title)
            self.directive_page(
                req, resp, ref, status=409, failed=action, problem=problem, values=form
            )
            return
        except DomainError as e:
            problem = domain_refusal(e, self.language(req))
            self.directive_page(
                req, resp, ref, status=problem.status, failed=action, problem=problem, values=form
            )
            return
        except ProblemError as e:
            self.directive_page(
                req, resp, ref, status=e.status, failed=action, problem=e, values=form
            )
            return
        self.commands.caught_up(position, req.context.request_id)
        raise falcon.HTTPSeeOther(f"/directives/{to_path(from_path(ref))}?done={action}")

    # --- a unit's inbox -----------------------------------------------------------------------

    def on_get_unit(self, req: falcon.Request, resp: falcon.Response, code: str) -> None:
        actor = self.require(req)
        registry = self.app.unit_registry()
        unit = registry.get(code)
        if actor.role is Role.DEPARTMENT and actor.unit != code:
            raise ProblemError(403, "not-your-unit", "A unit sees its own work only")
        view = read_models(self.view)
        today = city_date(self.app.clock.now())
        position = view.position()
        summary = view.summary(AsOf(today, position), filters=Filters(unit=code))
        figures = summary.units.get(code, summary.city)
        items = [
            (item, None if item.deadline is None else (item.deadline - today).days)
            for item in view.inbox(code)
        ]
        self.render(
            req,
            resp,
            "unit.html",
            unit=unit,
            figures=figures,
            items=items,
            position=position,
            today=today,
        )

    # --- the inspector ------------------------------------------------------------------------

    def trail_filters(self, req: falcon.Request) -> tuple[AuditFilters, dict[str, str]]:
        chosen = given(
            req, (TRAIL_ACTOR, UNIT, TRAIL_DIRECTIVE, TRAIL_ACTION, TRAIL_FROM, TRAIL_TO)
        )
        return trail_filters(req, UNIT.read(req)), chosen

    def on_get_inspector(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.inspector_page(req, resp)

    def inspector_page(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        *,
        verified: dict[str, Any] | None = None,
        kept: str = "",
        status: int = 200,
    ) -> None:
        store = self.audit.store
        filters, chosen = self.trail_filters(req)
        newest_first = ORDER.read(req) != "asc"
        entries = store.entries(
            filters,
            after=TRAIL_AFTER.read(req),
            before=TRAIL_BEFORE.read(req),
            limit=TRAIL_SHOWN + 1,
            newest_first=newest_first,
        )
        more = len(entries) > TRAIL_SHOWN
        entries = entries[:TRAIL_SHOWN]
        following = None
        if more:
            params = {**chosen, "order": "desc" if newest_first else "asc"}
            params["before" if newest_first else "after"] = str(entries[-1].position)
            following = "/inspector?" + urlencode(params)
        latest = store.latest_checkpoint()
        self.render(
            req,
            resp,
            "inspector.html",
            status,
            entries=self.audit.describe(entries),
            chosen=chosen,
            newest_first=newest_first,
            following=following,
            latest=None if latest is None else plain(checkpoint_document(latest)),
            verified=verified,
            kept=kept,
            signer=self.signer,
            actions=sorted(a.__name__ for a in _DIRECTIVE_EVENTS),
        )

    def on_post_verify(self, req: falcon.Request, resp: falcon.Response) -> None:
        form = self.form(req)
        kept = str(form.get("kept", "")).replace("\r\n", "\n").strip()
        signer = self.signer
        if signer is None:
            raise ProblemError(503, "no-signing-key", "This server was started without its key")
        document = self.audit.verification(kept + "\n" if kept else None)
        self.inspector_page(
            req, resp, verified=document, kept=kept, status=200 if document["ok"] else 409
        )

    def on_post_sign_checkpoint(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.form(req)
        if self.signer is None:
            raise ProblemError(503, "no-signing-key", "This server was started without its key")
        try:
            self.audit.projection().sign_now()
        except SigningRefusedError as e:
            raise ProblemError(409, "signing-refused", "Signing is refused", str(e)) from e
        self.checkpoint.forget()
        raise falcon.HTTPSeeOther("/inspector?done=signed")

    def on_get_checkpoint_file(self, req: falcon.Request, resp: falcon.Response) -> None:
        latest = self.audit.store.latest_checkpoint()
        if latest is None:
            raise ProblemError(404, "no-checkpoint", "No checkpoint has been signed yet")
        resp.content_type = "text/plain; charset=utf-8"
        resp.text = latest.note
        resp.set_header(
            "Content-Disposition", f'attachment; filename="checkpoint-{latest.tree_size}.txt"'
        )

    def on_get_public_key_file(self, req: falcon.Request, resp: falcon.Response, kind: str) -> None:
        """The log's public key: the verifier key line the standalone verifier takes (``vkey``),
        or the same key as PEM for other tools."""
        signer = self.signer
        if signer is None:
            raise ProblemError(503, "no-signing-key", "This server was started without its key")
        if kind == "vkey":
            resp.content_type = "text/plain; charset=utf-8"
            resp.text = signer.vkey + "\n"
        elif kind == "pem":
            resp.content_type = "application/x-pem-file"
            resp.data = signer.public_key.public_bytes(
                Encoding.PEM, PublicFormat.SubjectPublicKeyInfo
            )
        else:
            raise falcon.HTTPNotFound
        resp.set_header("Content-Disposition", f'attachment; filename="thucthi-log.{kind}"')

    def on_get_proof(self, req: falcon.Request, resp: falcon.Response, kind: str) -> None:
        """A proof as a file the standalone verifier reads (the API's document, downloaded)."""
        if kind == "inclusion":
            document = self.audit.inclusion_document(req)
            name = f"inclusion-{document['position']}-{document['tree_size']}.json"
        elif kind == "consistency":
            document = self.audit.consistency_document(req)
            name = f"consistency-{document['from']}-{document['to']}.json"
        else:
            raise falcon.HTTPNotFound
        resp.content_type = falcon.MEDIA_JSON
        resp.data = orjson.dumps(document, option=orjson.OPT_INDENT_2)
        resp.set_header("Content-Disposition", f'attachment; filename="{name}"')

    def on_get_history(self, req: falcon.Request, resp: falcon.Response, ref: str) -> None:
        """A directive's versions, one at a time, moved through with a slider."""
        actor = self.require(req)
        current = load_visible(self.app, actor, ref)
        asked = VERSION.read(req)
        version = asked if asked is not None and asked <= current.version else current.version
        events = self.app.history(current.id)
        event = events[version - 1]
        state = self.app.get_directive(current.id, version=version)
        before = (
            {}
            if version == 1
            else fields_of(self.app.get_directive(current.id, version=version - 1))
        )
        after = fields_of(state)
        names = unit_sentences(self.app.unit_registry())
        lang = self.language(req)
        said = tell(event, event.actor, names)
        self.render(
            req,
            resp,
            "history.html",
            d=current,
            version=version,
            event=event,
            said=said.vi if lang == "vi" else said.en,
            state=sorted((k, _shown(v)) for k, v in after.items()),
            changed=[
                {"field": c["field"], "before": _shown(c["before"]), "after": _shown(c["after"])}
                for c in changes(before, after)
            ],
        )

    def on_get_history_lookup(self, req: falcon.Request, resp: falcon.Response) -> None:
        reference = REFERENCE.read(req) or ""
        if not reference:
            raise falcon.HTTPSeeOther("/inspector")
        raise falcon.HTTPSeeOther(f"/inspector/directives/{to_path(reference)}")

    # --- static files -------------------------------------------------------------------------

    def on_get_static(self, req: falcon.Request, resp: falcon.Response, name: str) -> None:
        path = STATIC / name
        if "/" in name or name.startswith(".") or not path.is_file():
            raise falcon.HTTPNotFound
        resp.content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        resp.data = path.read_bytes()
        resp.set_header("Cache-Control", "public, max-age=3600")
        resp.set_header("X-Content-Type-Options", "nosniff")


_DIRECTIVE_EVENTS = tuple(
    value
    for value in vars(Directive).values()
    if isinstance(value, type)
    and issubclass(value, Directive.Event)
    and value is not Directive.Event
    and value.__name__ not in {"Created", "Snapshot"}
)


def _shown(value: Any) -> str:
    """A field's value as text for the history table."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return _city_time(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple | dict):
        return orjson.dumps(value, default=str).decode()
    return str(value)


def add_routes(app: falcon.App[falcon.Request, falcon.Response], web: Web) -> None:
    """Every page's path, served by ``web``."""
    app.add_route("/", web, suffix="home")
    app.add_route("/sign-in", web, suffix="sign_in")
    app.add_route("/sign-out", web, suffix="sign_out")
    app.add_route("/language", web, suffix="language")
    app.add_route("/dashboard", web, suffix="dashboard")
    app.add_route("/dashboard/export.{kind}", web, suffix="export")
    app.add_route("/directives", web, suffix="directives")
    app.add_route("/directives/new", web, suffix="new")
    app.add_route("/directives/{ref}", web, suffix="directive")
    app.add_route("/directives/{ref}/{action}", web, suffix="action")
    app.add_route("/units/{code}", web, suffix="unit")
    app.add_route("/inspector", web, suffix="inspector")
    app.add_route("/inspector/verify", web, suffix="verify")
    app.add_route("/inspector/checkpoint", web, suffix="sign_checkpoint")
    app.add_route("/inspector/checkpoint.txt", web, suffix="checkpoint_file")
    app.add_route("/inspector/public-key.{kind}", web, suffix="public_key_file")
    app.add_route("/inspector/proof/{kind}", web, suffix="proof")
    app.add_route("/inspector/directives", web, suffix="history_lookup")
    app.add_route("/inspector/directives/{ref}", web, suffix="history")
    app.add_route("/static/{name}", web, suffix="static")
