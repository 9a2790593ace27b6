"""The directives' pages: the list (and the search every page's box sends), issuing one, and one
directive with the forms that run its commands.

The forms are in one place, at the top: which a directive's page offers, and how a posted form
becomes the command's body (the same model, so the same validation, as the API's).
"""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, get_origin
from urllib.parse import parse_qsl, urlencode

import falcon
from pydantic import BaseModel, ValidationError

from api import schemas
from api.commands import BY_SUFFIX, ISSUE, WORKING_DAYS_MAX, command_of, request_model
from api.documents import oversight_checkpoint
from api.fastpath import ListCounts
from api.filing import DIRECTIVE, DirectiveFiling, document_url
from api.http import ProblemError, from_domain, from_parameter, read_models
from api.params import (
    DONE,
    FORM_NUMBER,
    FORM_VERSION,
    LIST_AFTER,
    QUERY,
    ParameterError,
    given,
    list_question,
)
from api.resources.accounts import views_document
from api.resources.audit import why_late_document
from api.resources.directives import (
    from_path,
    list_directives,
    load_visible,
    on_path_directive,
)
from api.resources.files import Upload, one_file, send_file
from api.routes import DOCUMENT_FORMS, FORMS
from api.web import charts
from api.web.formats import told_days
from api.web.i18n import Language, coverage_said, invalid_field, message
from api.web.pages.base import (
    Pages,
    domain_refusal,
    language,
    posted_form,
    posted_form_with_files,
    signed_in,
    to_path,
)
from api.writes import Commands
from domain.accounts.commands import DeleteView, SaveView
from domain.application import Thucthi
from domain.directives.commands import IssueDirective
from domain.directives.directive import (
    Directive,
    ExtensionStatus,
    Status,
    files_of,
    progress_over_time,
)
from domain.directives.references import normalise_reference
from domain.directives.why_late import why_late
from domain.documents.document import Change, document_id
from domain.narration import subject, tell, unit_sentences
from domain.shared.actors import Actor, Role
from domain.shared.clock import Clock, city_date
from domain.shared.errors import DomainError, VersionMismatchError
from domain.shared.files import KINDS, MIB
from domain.shared.text import RULES
from projections.audit import coverage
from readmodels.audit import AuditStore
from readmodels.model import LIST_STATUSES, SORTS
from readmodels.open import OversightView
from readmodels.queries import awaiting_of, category_of, next_step

LIST_SHOWN = 50  # rows a page of the list shows; "Trang sau" leads to the next
_TEXT_FIELDS = ("narrative", "reason", "summary", "note", "message", "question", "answer", "text")
_COMMAND_PATH = "/api/directives/{ref}"

# --- the forms of a directive's page -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Action:
    """One form on the directive page: the command it runs (a suffix of ``api.commands.POSTED``)."""

    name: str
    suffix: str
    numbered: bool = False  # decided or answered by number (extension n, explanation n)


# Who may send each form is the API command's rule (``api.routes.FORMS``, checked by the pipeline).
ACTIONS: dict[str, Action] = {
    name: Action(name, route.path.removeprefix(_COMMAND_PATH), numbered="{n}" in route.path)
    for name, route in FORMS.items()
}


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
        # Not while a completion report awaits the leader: the unit owes nothing then.
        "remind": d.status is not Status.COMPLETION_REPORTED,
        "explain_request": True,
        "reassign": True,
        "withdraw": True,
    }
    return [name for name, on in wanted.items() if on and _role_may(actor, name)]


# What cannot be undone (withdrawing; accepting a completion, which closes the directive) is
# confirmed by a box ticked in the form itself, so no script is needed; the server refuses the
# form without it.
CONFIRMED = frozenset({"withdraw", "decide_completion"})
TODO_PAGE = "/todo"  # the queue of what waits (api.web.pages.todo), whose forms post here


def unconfirmed(name: str, form: dict[str, Any]) -> bool:
    """The form asks for something that cannot be undone and its confirmation is not ticked."""
    if name not in CONFIRMED:
        return False
    if name == "decide_completion" and _last(form.get("decision")) != "accept":
        return False  # a return for rework can be followed by another report
    return _last(form.get("confirm")) != "yes"


def _last(value: object) -> str:
    if isinstance(value, list):
        value = value[-1] if value else ""
    return value.strip() if isinstance(value, str) else ""


def confirmation_missing(lang: Language) -> ProblemError:
    """The refusal of a terminal form sent without its confirmation."""
    return ProblemError(
        422,
        "confirmation-required",
        "This cannot be undone, so it must be confirmed",
        errors=[{"field": "confirm", "message": message(lang, "confirm.missing")}],
    )


def may_comment(actor: Actor, d: Directive) -> bool:
    """Whether the page offers the discussion's form: to the roles that may comment (the
    command's), on a directive not closed (a department sees only the directives it works on)."""
    return not d.is_closed and _role_may(actor, "comment")


def _role_may(actor: Actor, name: str) -> bool:
    roles = FORMS[name].roles
    return roles is not None and actor.role in roles


def with_files(
    app: Thucthi, body: dict[str, Any], uploads: list[Upload], model: type[BaseModel]
) -> dict[str, Any]:
    """The body with the files a form carries, each kept (``Thucthi.upload``, which refuses
    a file that may not be filed) and named by its digest and the name it was sent under."""
    if not uploads or "files" not in model.model_fields:
        return body
    kept = [app.upload(u.data, u.name or None) for u in uploads]
    return {**body, "files": [{"digest": k.digest, "name": k.name} for k in kept]}


def form_body(model: type[BaseModel], form: dict[str, Any]) -> dict[str, Any]:
    """The JSON body a form stands for: only the model's fields, blanks left out, numbers made
    numbers, lists kept lists (so the same validation runs as for the API). Files come apart
    (``with_files``)."""
    body: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name not in form or name == "files":
            continue
        value = form[name]
        listed = get_origin(info.annotation) in (list, tuple)
        if listed:
            values = value if isinstance(value, list) else [value]
            body[name] = [v.strip() for v in values if v.strip()]
            continue
        if isinstance(value, list):
            value = value[-1]
        value = value.strip()
        if value == "" and not info.is_required():
            continue
        if name in _WHOLE_NUMBERS and _WHOLE_NUMBER.fullmatch(value):
            body[name] = int(value)  # a negative one too, so that it is refused as below 0
        else:
            body[name] = value
    return body


def run_form(  # noqa: PLR0917 - what a form's command is run with
    app: Thucthi,
    chosen: Action,
    ref: str,
    form: dict[str, Any],
    actor: Actor,
    request_id: str,
    uploads: list[Upload] | None = None,
) -> int:
    """Run the command a posted form stands for, on the version it was shown with, filing the
    files it carries (kept first: ``Thucthi.upload``); the position it recorded."""
    posted = BY_SUFFIX[chosen.suffix]
    expected = FORM_VERSION.value_in(form)
    number = FORM_NUMBER.needed_in(form) if chosen.numbered else None
    model = request_model(posted.command)
    body = with_files(app, form_body(model, form), uploads or [], model)
    command = command_of(posted.command, model.model_validate(body), number)
    return on_path_directive(
        app,
        ref,
        lambda key: app.execute(
            command, key, actor=actor, request_id=request_id, expected_version=expected
        ),
    )


@dataclass(frozen=True, slots=True)
class FormField:
    """One field of a command's form, derived from the command's dataclass and its request
    model: how it is entered (``kind``) and what the browser is told of its bounds."""

    name: str
    kind: str  # "number", "date", "text", "choice", "unit" or "hidden"
    required: bool = False
    choices: tuple[str, ...] = ()
    rows: int = 2
    low: int | None = None
    high: int | None = None


def form_fields(command: type[Any]) -> tuple[FormField, ...]:
    """The fields a command's form asks for, in the dataclass's order: what the path gives
    (``number``) hidden, lists of file digests left to the API."""
    schema = request_model(command).model_json_schema()["properties"]
    hints = typing.get_type_hints(command)
    found = []
    for field in dataclasses.fields(command):
        name, hint = field.name, hints[field.name]
        required = field.default is dataclasses.MISSING
        if name == "number" and getattr(command, "numbered", False):
            found.append(FormField(name, "hidden", required=True))
        elif typing.get_origin(hint) is tuple:
            continue
        elif typing.get_origin(hint) is typing.Literal:
            found.append(FormField(name, "choice", True, tuple(typing.get_args(hint))))
        elif hint is int:
            bounds = schema.get(name, {})
            found.append(
                FormField(
                    name, "number", True, low=bounds.get("minimum"), high=bounds.get("maximum")
                )
            )
        elif date in typing.get_args(hint) or hint is date:
            found.append(FormField(name, "date", required))
        elif name in _UNIT_FIELDS:
            found.append(FormField(name, "unit", True))
        else:
            rule = RULES.get(name)
            lines = 3 if rule is not None and rule.limit > NOTE_LIMIT else 2
            found.append(
                FormField(name, "text", required or bool(rule and rule.required), rows=lines)
            )
    return tuple(found)


def prefilled(d: Directive) -> dict[str, dict[str, object]]:
    """What a form starts with where it is not blank: the percent reported last, and which
    request is decided or answered (and the date it asked for)."""
    found: dict[str, dict[str, object]] = {"progress": {"percent": d.percent}}
    pending = d.pending_extension
    if pending is not None:
        found["decide_extension"] = {
            "number": pending.number,
            "new_deadline": pending.requested_deadline.isoformat(),
        }
    question = next((e for e in d.explanations if e.answer is None), None)
    if question is not None:
        found["explain_answer"] = {"number": question.number}
    return found


_UNIT_FIELDS = frozenset({"to_unit"})
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,300}")
# The fields a form sends as text that the command takes as whole numbers.
_WHOLE_NUMBERS = frozenset({"percent", "deadline_in_working_days", "reply_to"})
NOTE_LIMIT = RULES["note"].limit
# Each form's fields, for the directive page's template.
FORM_FIELDS: dict[str, tuple[FormField, ...]] = {
    name: form_fields(BY_SUFFIX[action.suffix].command) for name, action in ACTIONS.items()
}
# The forms that carry files (their command files some: ``domain.shared.files``).
FILE_FORMS = frozenset(
    name
    for name, action in ACTIONS.items()
    if "files" in request_model(BY_SUFFIX[action.suffix].command).model_fields
)


def accepted(app: Thucthi) -> str:
    """What a file input accepts (the browser's hint; the server sniffs the content)."""
    return ",".join(e for k in app.file_rules.kinds for e in KINDS[k].extensions)


def invalid_fields(error: ValidationError, lang: Language) -> ProblemError:
    """A form's invalid fields, each said in the reader's language."""
    errors = [
        {
            "field": ".".join(str(p) for p in e["loc"]) or "(body)",
            "message": invalid_field(lang, e["type"], dict(e.get("ctx") or {}), e.get("input")),
        }
        for e in error.errors(include_url=False)
    ]
    return ProblemError(422, "invalid-fields", "Some fields are invalid", errors=errors)


# --- the pages ---------------------------------------------------------------------------------


class DirectiveList:
    """``/directives``: the list, and the search every page's box sends here (accent-insensitive),
    a page at a time (``after``: keyset), sorted by any column and filtered in the database. A
    tile of the dashboard opens it with the tile's category, day and filters: the same
    directives the tile counts."""

    def __init__(
        self,
        pages: Pages,
        view: OversightView | None,
        clock: Clock,
        app: Thucthi,
        commands: Commands | None = None,
    ) -> None:
        """``app``: where the reader's saved views are kept (``UserAccount.views``);
        ``commands``: what waits for the read models to take a saved view in, so that the list
        shown next (a page kept per position) shows it."""
        self.pages, self.view, self.clock, self.app = pages, view, clock, app
        self.commands = commands
        self.counts = ListCounts()

    def _caught_up(self, position: int, req: falcon.Request) -> None:
        if self.commands is not None:
            self.commands.caught_up(position, req.context.request_id)

    def on_post_views(self, req: falcon.Request, resp: falcon.Response) -> None:
        """``/directives/views``: the list's question shown, saved under the name typed."""
        actor = signed_in(req)
        form = posted_form(req)
        query = list_question(_last(form.get("query")))
        command = SaveView(name=_last(form.get("name")), query=query)
        rid = req.context.request_id
        self._caught_up(self.app.manage(command, actor.user_id, actor=actor, request_id=rid), req)
        raise falcon.HTTPSeeOther(_address(dict(parse_qsl(query))))

    def on_post_views_delete(self, req: falcon.Request, resp: falcon.Response) -> None:
        """``/directives/views/delete``: a saved view deleted; back to the list."""
        actor = signed_in(req)
        command = DeleteView(name=_last(posted_form(req).get("name")))
        rid = req.context.request_id
        self._caught_up(self.app.manage(command, actor.user_id, actor=actor, request_id=rid), req)
        raise falcon.HTTPSeeOther("/directives")

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        actor = signed_in(req)
        view = read_models(self.view)
        today = city_date(self.clock.now())
        found = list_directives(req, view, actor, today, LIST_SHOWN, self.counts)
        query = found.query
        asked = given(req, QUERY["/directives"])
        asked.pop("after", None)
        if query.day == today:
            asked.pop("as_of", None)
        unit = actor.unit if actor.role.bound_to_unit else None
        self.pages.render(
            req,
            resp,
            "directives.html",
            rows=[
                (
                    r,
                    category_of(r, query.day, query.basis),
                    awaiting_of(r, query.day),
                    next_step(r, unit),
                )
                for r in found.page.rows
            ],
            count=found.page.total,
            asked=asked,
            query=query,
            sorts=[s for s in SORTS if s != "relevance" or query.search],
            statuses=LIST_STATUSES,
            issuers=self.pages.leaders(view.issuers()) if unit is None else [],
            hidden={k: v for k, v in asked.items() if k in _HIDDEN},
            said={k: v for k, v in asked.items() if k in _SAID},
            next_page=_address({**asked, "after": found.next}) if found.next else "",
            first_page=_address(asked) if LIST_AFTER.text(req) else "",
            sort_link=lambda column: _address(
                {
                    **asked,
                    "sort": column,
                    "order": "asc"
                    if query.sort == column and query.descending
                    else ("desc" if query.sort == column else _FIRST_ORDER.get(column, "asc")),
                }
            ),
            q=query.search,
            forecast=query.day > today,
            views=views_document(self.app.get_user(actor.user_id)),
            question=urlencode(asked),
        )


# Kept as they are by the list's form (hidden), and said above it.
_HIDDEN = frozenset({"as_of", "basis", "issued", "sort", "order"})
_SAID = ("as_of", "issuer", "issued", "basis")
# The order a column is first sorted in when its header is followed: the newest, the best
# match and the furthest along first; the rest from the least.
_FIRST_ORDER = {"issued": "desc", "relevance": "desc", "progress": "desc"}


def _address(values: Mapping[str, str | None]) -> str:
    """``/directives`` asking these parameters (those without a value left out)."""
    kept = {k: v for k, v in values.items() if v}
    return "/directives" + (f"?{urlencode(kept)}" if kept else "")


class NewDirective:
    """``/directives/new``: the form that issues a directive."""

    def __init__(
        self,
        pages: Pages,
        app: Thucthi,
        commands: Commands,
        view: OversightView | None = None,
        filing: DirectiveFiling | None = None,
    ) -> None:
        """``view``: where the leaders who signed directives before are found, to be offered
        as the signer; ``filing`` signs and files the directive's document once issued."""
        self.pages, self.app, self.commands, self.view = pages, app, commands, view
        self.filing = filing

    def signers(self, actor: Actor) -> list[tuple[str, str]]:
        """The leaders the form offers as the signer: the one signed in, and those who signed
        directives before."""
        known = [] if self.view is None else self.view.issuers()
        return self.pages.leaders([actor.user_id, *known])

    def form(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        status: int = 200,
        values: dict[str, Any] | None = None,
        problem: ProblemError | None = None,
    ) -> None:
        """The form, or the form again with what was posted and why it was refused."""
        self.pages.render(
            req,
            resp,
            "issue.html",
            status,
            values=values or {},
            problem=problem,
            signers=self.signers(signed_in(req)),
            working_days_max=WORKING_DAYS_MAX,
            file_most=self.app.file_rules.max_bytes // MIB,
        )

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.form(req, resp)

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        actor = signed_in(req)
        form, uploads = posted_form_with_files(req, self.app.file_rules.max_bytes)
        try:
            body = with_files(self.app, form_body(ISSUE, form), uploads, ISSUE)
            command: IssueDirective = command_of(IssueDirective, ISSUE.model_validate(body))
            position = self.app.issue(command, actor=actor, request_id=req.context.request_id)
            if self.filing is not None:
                reference = normalise_reference(command.reference)
                rid = req.context.request_id
                filing = self.filing.file_issued(reference, actor=actor, request_id=rid)
                position = filing.position or position
        except ValidationError as e:
            self.form(req, resp, 422, form, invalid_fields(e, language(req)))
            return
        except DomainError as e:
            problem = domain_refusal(e, language(req))
            self.form(req, resp, problem.status, form, problem)
            return
        self.commands.caught_up(position, req.context.request_id)
        reference = normalise_reference(command.reference)  # issued: it is in form
        raise falcon.HTTPSeeOther(f"/directives/{to_path(reference)}?done=issue")


class DirectivePage:
    """``/directives/{ref}``: one directive, its story, and the forms that run its commands
    (``/directives/{ref}/{action}``)."""

    def __init__(
        self,
        pages: Pages,
        app: Thucthi,
        view: OversightView | None,
        commands: Commands,
        trail: AuditStore | None = None,
        *,
        filing: DirectiveFiling | None = None,
        offer_documents: bool = False,
        public_url: Callable[[], str] = lambda: "",
    ) -> None:
        """``trail``: the audit trail, whose signed checkpoint a printed page names;
        ``filing``: signs and files the directive's document (its forms: filing a pending one,
        amending, replacing and revoking it), whose forms the page offers where signers' keys
        are configured (``offer_documents``); ``public_url``: where its QR code points."""
        self.pages, self.app, self.view, self.commands = pages, app, view, commands
        self.trail, self.filing, self.public_url = trail, filing, public_url
        self.offer_documents = offer_documents

    def signed_document(self, directive: Directive, actor: Actor) -> dict[str, Any]:
        """The directive's signed document as its page shows it: its versions, the public page
        its QR code opens, and the forms the committee is offered (filing it while it is
        pending; amending, replacing, revoking it while it stands)."""
        document = self.app.documents.get(document_id(DIRECTIVE, directive.id))
        forms: tuple[str, ...] = ()
        committee = actor.role in (DOCUMENT_FORMS["file"].roles or ())
        if self.filing is not None and self.offer_documents and committee:
            if document is None:
                forms = ("file",)
            elif document.revoked_at is None:
                forms = ("amend", "replace", "revoke")
        return {
            "document": document,
            "url": "" if document is None else document_url(self.public_url(), document.id),
            "forms": forms,
        }

    def printed(self, lang: Language) -> dict[str, Any]:
        """What a printed page says of where it came from: the log position it was read at
        (the directive's every event is at or before it) and the checkpoint covering it."""
        position = self.app.max_notification_id() or 0
        return {
            "position": position,
            "checkpoint": oversight_checkpoint(self.trail, self.app.name, position),
            "coverage": coverage_said(
                lang, None if self.trail is None else coverage(self.trail, self.app.name, position)
            ),
        }

    def show(
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
        """The page, or the page again with the form that ``failed`` and why."""
        actor = signed_in(req)
        directive = load_visible(self.app, actor, ref)
        lang = language(req)
        events = self.app.history(directive.id)
        now = self.app.clock.now()
        names = unit_sentences(self.app.unit_registry())
        timeline = []
        for event in events:
            said = tell(event, event.actor, names, told_days)
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
        # The bar's own rule after each event: 100 % from a completion report, back on a return.
        reports = progress_over_time(events)
        end = directive.accepted_at or directive.withdrawn_at or now
        deadlines: list[tuple[date, str]] = []
        if directive.original_deadline is not None:
            deadlines.append((directive.original_deadline, "original_deadline"))
        if directive.deadline is not None and directive.deadline != directive.original_deadline:
            deadlines.append((directive.deadline, "deadline"))
        chart = charts.progress_chart(events[0].timestamp, end, reports, deadlines)
        filed = files_of(events)
        late = why_late_document(why_late(events, now))
        today = city_date(now)
        # Its own row of the board: the category the dashboard counts it in.
        row = read_models(self.view).current_rows([directive.id]).get(directive.id)
        category = category_of(row, today) if row is not None else None
        awaiting = None
        if directive.status is Status.COMPLETION_REPORTED and directive.completion_reported_at:
            reported_on = city_date(directive.completion_reported_at)
            awaiting = {
                "day": reported_on,
                "days": max((today - reported_on).days, 0),
                "leader": directive.issuer,
            }
        self.pages.render(
            req,
            resp,
            "directive.html",
            status,
            d=directive,
            category=category,
            awaiting=awaiting,
            confirmed=CONFIRMED,
            timeline=timeline,
            chart=chart,
            has_reports=bool(reports),
            late=late,
            actions=offered(actor, directive, today),
            comments=directive.comments,
            may_comment=may_comment(actor, directive),
            fields=FORM_FIELDS,
            prefill=prefilled(directive),
            pending=directive.pending_extension,
            open_explanations=[e for e in directive.explanations if e.answer is None],
            failed=failed,
            problem=problem,
            values=values or {},
            done=DONE.read(req) or "",
            extension_status={s.value: s.value for s in ExtensionStatus},
            units=list(self.pages.unit_names(lang).items()),
            filed=filed,
            file_forms=FILE_FORMS,
            accept=accepted(self.app),
            file_most=self.app.file_rules.max_bytes // MIB,
            today=today,
            printed=self.printed(lang),
            signed=self.signed_document(directive, actor),
        )

    def on_get(self, req: falcon.Request, resp: falcon.Response, ref: str) -> None:
        self.show(req, resp, ref)

    def on_get_file(
        self, req: falcon.Request, resp: falcon.Response, ref: str, digest: str
    ) -> None:
        """A filed file, downloaded by whoever may see its directive."""
        directive = load_visible(self.app, signed_in(req), ref)
        filed, data = one_file(self.app, directive, digest, at=None)
        send_file(resp, filed, data)

    def on_post_document(
        self, req: falcon.Request, resp: falcon.Response, ref: str, action: str
    ) -> None:
        """A form of the signed document: ``file`` (a pending one), ``amend``, ``replace`` or
        ``revoke`` (confirmed, as it cannot be undone), run as the API's command runs."""
        actor = signed_in(req)
        filing = self.filing
        if action not in DOCUMENT_FORMS or filing is None:
            raise falcon.HTTPNotFound
        form = posted_form(req)
        directive = load_visible(self.app, actor, ref)
        failed = f"document_{action}"
        lang = language(req)
        if action == "revoke" and _last(form.get("confirm")) != "yes":
            problem = confirmation_missing(lang)
            self.show(req, resp, ref, status=422, failed=failed, problem=problem, values=form)
            return
        try:
            position = document_command(filing, action, directive, form, actor, req)
        except ValidationError as e:
            problem = invalid_fields(e, lang)
            self.show(req, resp, ref, status=422, failed=failed, problem=problem, values=form)
            return
        except DomainError as e:
            problem = domain_refusal(e, lang)
            self.show(
                req, resp, ref, status=problem.status, failed=failed, problem=problem, values=form
            )
            return
        if position is not None:
            self.commands.caught_up(position, req.context.request_id)
        raise falcon.HTTPSeeOther(f"/directives/{to_path(directive.reference)}?done={failed}")

    def on_post_action(
        self, req: falcon.Request, resp: falcon.Response, ref: str, action: str
    ) -> None:
        actor = signed_in(req)
        chosen = ACTIONS.get(action)
        if chosen is None:
            raise falcon.HTTPNotFound
        form, uploads = posted_form_with_files(req, self.app.file_rules.max_bytes)
        load_visible(self.app, actor, ref)
        if unconfirmed(action, form):
            problem = confirmation_missing(language(req))
            self.show(req, resp, ref, status=422, failed=action, problem=problem, values=form)
            return
        try:
            position = run_form(self.app, chosen, ref, form, actor, req.context.request_id, uploads)
        except ValidationError as e:
            problem = invalid_fields(e, language(req))
            self.show(req, resp, ref, status=422, failed=action, problem=problem, values=form)
            return
        except ParameterError as e:
            problem = from_parameter(e, language(req))
            self.show(req, resp, ref, status=422, failed=action, problem=problem, values=form)
            return
        except VersionMismatchError as e:
            # Conflict, not the API's 412: the page answers with the directive as it now stands.
            problem = from_domain(e)
            problem.status = 409
            self.show(req, resp, ref, status=409, failed=action, problem=problem, values=form)
            return
        except DomainError as e:
            problem = domain_refusal(e, language(req))
            self.show(
                req, resp, ref, status=problem.status, failed=action, problem=problem, values=form
            )
            return
        except ProblemError as e:
            self.show(req, resp, ref, status=e.status, failed=action, problem=e, values=form)
            return
        self.commands.caught_up(position, req.context.request_id)
        if _last(form.get("next")) == TODO_PAGE:  # a form of one's queue goes back to it
            raise falcon.HTTPSeeOther(f"{TODO_PAGE}?done={action}")
        raise falcon.HTTPSeeOther(f"/directives/{to_path(from_path(ref))}?done={action}")


def document_command(  # noqa: PLR0917 - a form and what it is run with
    filing: DirectiveFiling,
    action: str,
    directive: Directive,
    form: dict[str, Any],
    actor: Actor,
    req: falcon.Request,
) -> int | None:
    """Run a signed document's form; the position recorded (None: nothing new)."""
    rid, reference = req.context.request_id, directive.reference
    if action == "file":
        return filing.file_asked(reference, actor=actor, request_id=rid).position
    if action == "revoke":
        revoked = schemas.DocumentRevocation.model_validate(
            form_body(schemas.DocumentRevocation, form)
        )
        return filing.revoke(reference, reason=revoked.reason, actor=actor, request_id=rid)
    model = schemas.DocumentAmendment if action == "amend" else schemas.DocumentReplacement
    body = model.model_validate(form_body(model, form))
    return filing.file_version(
        reference,
        change=Change.AMENDED if action == "amend" else Change.REPLACED,
        reason=body.reason,
        title=body.title,
        content=body.content,
        actor=actor,
        request_id=rid,
    )
