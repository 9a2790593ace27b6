"""The petitions' pages a desk works in: the reception's intake form (``/petitions/new``), and
one case (``/petitions/{receipt}``) with its deadline, timeline, petitioners for those who may
see them, and the forms of the commands the reader may run at its step
(``/petitions/{receipt}/{action}``, each the API's command of that name).

The intake form keeps what was typed when it is refused, and says what is wrong beside each
field, in the reader's language. The forms of the case are derived from the commands'
dataclasses and validated by the same request models as the API's.
"""

from __future__ import annotations

import dataclasses
import enum
import re
import typing
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import falcon
from pydantic import BaseModel, ValidationError

from api.commands import (
    PETITION_BY_NAME,
    RECEIVE,
    PetitionPosted,
    command_of,
    receive_command,
    request_model,
)
from api.http import ProblemError, from_domain, from_parameter
from api.params import DONE, FORM_VERSION, ParameterError
from api.petition_documents import confidentiality, counted, timeline
from api.resources.accounts import Directory
from api.resources.petitions import OnePetition
from api.routes import PETITION_FORMS
from api.web.formats import told_days
from api.web.i18n import Language, field_label, invalid_field, invalid_text, message, refusal
from api.web.pages.base import Pages, domain_refusal, language, posted_form, signed_in
from api.writes import Commands
from domain.accounts.account import UserAccount
from domain.application import Thucthi
from domain.narration import subject, unit_sentences
from domain.petitions.commands import PetitionerGiven
from domain.petitions.duplicates import CandidateView
from domain.petitions.errors import InvalidPetitionError
from domain.petitions.law import NotAcceptedGround
from domain.petitions.matching import Reason
from domain.petitions.petition import (
    AWAITING_DECISION,
    MANY_SIGNERS,
    VERDICTS,
    Channel,
    Competence,
    Kind,
    Petition,
    Status,
    Verdict,
)
from domain.shared.actors import Actor, Role
from domain.shared.clock import city_date
from domain.shared.errors import DomainError, InvalidTextError, VersionMismatchError
from domain.shared.personal import InvalidPersonError, Person
from domain.shared.text import RULES, checked, rule_of

if TYPE_CHECKING:
    from api.petition_filing import PetitionFiling

# --- the officers an agency's head may assign ----------------------------------------------


class Officers:
    """Each agency's officers, for the form that assigns the one who handles a petition: the
    accounts the log created, read once and then only those created since, each as it is now."""

    def __init__(self, app: Thucthi, directory: Directory | None = None) -> None:
        self.app = app
        self.directory = directory or Directory(app)

    def of(self, unit: str, role: Role = Role.DEPARTMENT) -> list[str]:
        """The user names of the active accounts of ``role`` in ``unit``."""
        found = []
        for username in self._known():
            account = self.app.cached_user(username)
            if account is not None and _officer(account, unit, role):
                found.append(username)
        return found

    def _known(self) -> list[str]:
        return self.directory.known()


def _officer(account: UserAccount, unit: str, role: Role) -> bool:
    return account.active and account.role is role and account.unit == unit


# --- the forms of a case -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FormField:
    """One field of a command's form: how it is entered (``kind``: "choice", "check", "date",
    "unit", "officer", "text" or "line") and, for a choice, the values offered."""

    name: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()


def form_fields(posted: PetitionPosted, petition: Petition) -> tuple[FormField, ...]:
    """The fields of a command's form, in the dataclass's order, with the choices that fit this
    petition (the grounds of its kind, the verdicts of its kind); lists of file digests are
    left to the API."""
    hints = _hints(posted.command)
    method = posted.command.method
    found = []
    for field in dataclasses.fields(posted.command):
        name, hint = field.name, hints[field.name]
        required = field.default is dataclasses.MISSING
        if typing.get_origin(hint) is tuple:
            continue
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            found.append(FormField(name, "choice", True, _choices(hint, petition)))
        elif hint is bool:
            found.append(FormField(name, "check"))
        elif hint is date:
            found.append(FormField(name, "date", True))
        elif name == "to_agency":
            found.append(FormField(name, "unit"))
        elif name == "handler":
            found.append(FormField(name, "officer", True))
        else:
            rule = rule_of(name, method) if name in RULES else None
            required = required or (rule is not None and rule.required)
            kind = "text" if rule is not None and rule.lines else "line"
            found.append(FormField(name, kind, required))
    return tuple(found)


_HINTS: dict[str, dict[str, Any]] = {}


def _hints(command: type) -> dict[str, Any]:
    """A command's fields' types, resolved once (every case page shows several forms)."""
    name = f"{command.__module__}.{command.__qualname__}"
    found = _HINTS.get(name)
    if found is None:
        found = _HINTS[name] = typing.get_type_hints(command)
    return found


def _choices(values: type[enum.Enum], petition: Petition) -> tuple[str, ...]:
    """The values a choice offers: of the grounds and verdicts, those of the petition's kind."""
    kind = petition.kind or Kind.MIXED
    if values is NotAcceptedGround:
        wanted = {Kind.COMPLAINT: "complaint.", Kind.DENUNCIATION: "denunciation."}.get(kind, "")
        return tuple(g.value for g in NotAcceptedGround if g.value.startswith(wanted))
    if values is Verdict:
        return tuple(v.value for v in Verdict if v in VERDICTS[kind])
    return tuple(str(v.value) for v in values)


def offered(actor: Actor, p: Petition) -> list[str]:
    """The forms worth showing this actor at the petition's step; the domain still decides
    when one is sent."""
    if actor.unit != p.agency:
        return []
    head = actor.role is Role.AGENCY_HEAD
    desk = head or actor.role is Role.RECEPTION
    handles = head or (actor.role is Role.DEPARTMENT and actor.user_id == p.handler)
    deciding = p.status is Status.CLASSIFIED and head
    ours = p.competence is Competence.OURS
    handling = p.status is Status.IN_HANDLING
    running = p.suspended_since is None  # a suspended handling waits for its resumption
    wanted = {
        "classify": p.status in AWAITING_DECISION and desk,
        "accept": deciding and ours,
        "guide": deciding and not ours,
        "transfer": deciding and not ours and not p.transferred_from,
        "not-accept": deciding and p.kind is not Kind.PROPOSAL,
        "archive": deciding,
        "verify": handling and handles and running,
        "dialogue": handling and handles and running and p.kind in {Kind.COMPLAINT, Kind.MIXED},
        "extend": handling and head and p.extensions < p.extensions_allowed() and running,
        "suspend": handling and head and running,
        "resume": handling and head and not running,
        "resolve": handling and head and running,
        "publish": p.status is Status.RESOLVED and p.published_on is None and head,
        "withdraw": p.is_open and desk,
    }
    return [name for name, on in wanted.items() if on and _role_may(actor, name)]


def prefilled(p: Petition) -> dict[str, dict[str, object]]:
    """What a form starts with: a classification as it stands, to be corrected."""
    if p.kind is None or p.field is None or p.competence is None:
        return {}
    classified: dict[str, object] = {
        "kind": p.kind.value,
        "field": p.field.value,
        "competence": p.competence.value,
        "several_places": p.several_places,
        "competent_body": p.competent_body,
    }
    return {"classify": classified}


def _role_may(actor: Actor, name: str) -> bool:
    roles = PETITION_FORMS[name].roles
    return roles is not None and actor.role in roles


# A withdrawal closes the petition for good: confirmed by a box ticked in the form itself.
CONFIRMED = frozenset({"withdraw"})
_YES = frozenset({"yes", "on", "true", "1"})


def _last(value: object) -> str:
    if isinstance(value, list):
        value = value[-1] if value else ""
    return value.strip() if isinstance(value, str) else ""


def command_body(model: type[BaseModel], form: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON body a command's form stands for: only the model's fields, blanks left out, a
    ticked box true (so the same validation runs as for the API)."""
    body: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if info.annotation is bool:
            body[name] = _last(form.get(name)) in _YES
            continue
        if name not in form:
            continue
        value = _last(form[name])
        if value == "" and not info.is_required():
            continue
        body[name] = value
    return body


def invalid_fields(error: ValidationError, lang: Language) -> ProblemError:
    """A form's invalid fields, each said in the reader's language, named as the form names
    them (``petitioners-0-id_number``)."""
    errors = [
        {
            "field": "-".join(str(p) for p in e["loc"]) or "(body)",
            "message": invalid_field(lang, e["type"], dict(e.get("ctx") or {}), e.get("input")),
        }
        for e in error.errors(include_url=False)
    ]
    return ProblemError(422, "invalid-fields", "Some fields are invalid", errors=errors)


# --- the same matter (issue 26) -----------------------------------------------------------------

# The forms of the panel of filings of the same matter: each names the earlier filing it is
# about (a candidate, a linked filing, or a receipt code typed), so several of one command stand
# on the page at once; they are posted as the other forms are.
LINK_FORMS = ("same-matter", "same-matter-undo", "answer-with-earlier")
# Who sees the result of another agency's filing before it is published.
_OVERSEERS = frozenset({Role.INSPECTOR, Role.OFFICE})


@dataclass(frozen=True, slots=True)
class Said:
    """One reason a filing matched, in the reader's language; ``against`` when it argues that
    the two are different matters."""

    text: str
    against: bool = False


@dataclass(frozen=True, slots=True)
class OtherFiling:
    """Another filing as the panel shows it: the matter's facts only, never who filed it
    (``result`` None where there is none or the reader may not see it). ``seen``: the reader
    may open its page; ``score`` and ``reasons`` for a candidate; ``answerable``: the reader
    may answer this filing with its result."""

    receipt: str
    agency: str
    received_on: date
    status: Status
    result: str | None
    seen: bool = False
    score: float | None = None
    reasons: tuple[Said, ...] = ()
    answerable: bool = False


def may_link(actor: Actor, p: Petition) -> bool:
    """Whether the reader is offered the panel's forms: the reception and the head of the
    agency holding the filing, and the officer handling it (the domain still decides)."""
    roles = PETITION_FORMS["same-matter"].roles
    if actor.unit != p.agency or roles is None or actor.role not in roles:
        return False
    return actor.role is not Role.DEPARTMENT or actor.user_id == p.handler


def answerable(actor: Actor, p: Petition, earlier: Petition) -> bool:
    """Whether the head may answer ``p`` with ``earlier``'s result: a classified filing linked
    to a resolved one, but not a complaint after a first round (its second round is handled)."""
    if actor.role is not Role.AGENCY_HEAD or actor.unit != p.agency:
        return False
    if p.status is not Status.CLASSIFIED or earlier.status is not Status.RESOLVED:
        return False
    return earlier.second_round or p.kind not in {Kind.COMPLAINT, Kind.MIXED}


def result_seen(actor: Actor, earlier: Petition) -> str | None:
    """An earlier filing's result, if it has one the reader may see: published, or held by the
    reader's agency, or the reader oversees every agency."""
    if earlier.verdict is None or not earlier.result:
        return None
    if earlier.published_on is not None or earlier.agency == actor.unit:
        return earlier.result
    return earlier.result if actor.role in _OVERSEERS else None


def linked_filings(desk: Any, actor: Actor, p: Petition) -> list[OtherFiling]:
    """The earlier filings ``p`` is marked as the same matter as, each as it stands now (read
    whoever holds it: only its matter's facts are shown)."""
    found = []
    for receipt in p.same_matter:
        earlier: Petition = desk.get(receipt)
        found.append(
            OtherFiling(
                receipt=earlier.receipt,
                agency=earlier.agency,
                received_on=earlier.received_on,
                status=earlier.status,
                result=result_seen(actor, earlier),
                seen=earlier.seen_by(actor),
                answerable=answerable(actor, p, earlier),
            )
        )
    return found


def reason_said(reason: Reason, lang: Language) -> Said:
    """Why a candidate matched, in the reader's language (``MATCH_REASONS``)."""
    return Said(message(lang, reason.key, **dict(reason.values)), reason.against)


def proposed(
    found: Iterable[CandidateView], actor: Actor, lang: Language, linked: Collection[str] = ()
) -> list[OtherFiling]:
    """The search's candidates as the page shows them, best first, those ``linked`` left out."""
    return [
        OtherFiling(
            receipt=c.receipt,
            agency=c.agency,
            received_on=c.received_on,
            status=c.status,
            result=c.result,
            seen=c.agency == actor.unit or not actor.role.bound_to_unit,
            score=c.score,
            reasons=tuple(reason_said(r, lang) for r in c.reasons),
        )
        for c in found
        if c.receipt not in linked
    ]


def _oversees(actor: Actor) -> bool:
    return actor.role in _OVERSEERS


def failed_at(failed: str, values: Mapping[str, Any], shown: Mapping[str, set[str]]) -> str:
    """Which of the panel's forms a refusal belongs in: the receipt code of the filing whose
    form it came from, or "" (the form that takes a receipt code typed)."""
    if failed not in LINK_FORMS:
        return ""
    earlier = str(values.get("earlier", "")).strip().upper()
    return earlier if earlier in shown.get(failed, set()) else ""


# --- the intake form ----------------------------------------------------------------------------

PERSON_FIELDS = tuple(f.name for f in dataclasses.fields(PetitionerGiven))
MAX_ROWS = 50
_ROW = re.compile(r"^petitioners-(\d{1,2})-(\w+)$")
_WHOLE = re.compile(r"[0-9]{1,9}")
# The field of the form each case of a refused receipt belongs beside.
_CASE_FIELDS = {
    "received_in_future": "received_on",
    "signers": "signers",
    "no_petitioner": "petitioners-0-full_name",
    "anonymous_named": "anonymous",
    "known_after_receipt": "decision_known_on",
    "previous_unknown": "previous_receipt",
    "previous_is_self": "previous_receipt",
}
_PERSON_CASE_FIELDS = {"id_number": "id_number", "name_needed": "full_name", "phone": "phone"}


def petitioner_rows(form: Mapping[str, Any]) -> list[dict[str, str]]:
    """The petitioners' rows of the posted form, in order, each with every field (blank
    where nothing was typed)."""
    rows: dict[int, dict[str, str]] = {}
    for key, value in form.items():
        found = _ROW.match(key)
        if found is None or found[2] not in PERSON_FIELDS or int(found[1]) >= MAX_ROWS:
            continue
        rows.setdefault(int(found[1]), {})[found[2]] = _last(value)
    return [{f: rows[i].get(f, "") for f in PERSON_FIELDS} for i in sorted(rows)]


def intake_body(form: Mapping[str, Any], agency: str) -> tuple[dict[str, Any], list[int]]:
    """The JSON body the intake form stands for, and which of the form's rows each petitioner
    came from (rows left blank are no one)."""
    body: dict[str, Any] = {"agency": agency}
    people, rows = [], []
    for i, row in enumerate(petitioner_rows(form)):
        if not any(row.values()):
            continue
        person: dict[str, Any] = {k: v for k, v in row.items() if v or k == "full_name"}
        people.append(person)
        rows.append(i)
    body["petitioners"] = people
    body["anonymous"] = _last(form.get("anonymous")) in _YES
    for name in ("channel", "received_on", "content", "subject", "decision_known_on"):
        value = _last(form.get(name))
        if value or name == "content":
            body[name] = value
    previous = _last(form.get("previous_receipt"))
    if previous:
        body["previous_receipt"] = previous
    signers = _last(form.get("signers"))
    if signers:
        # A whole number in the digits 0-9 (not "²", which is a digit to Python but no number);
        # anything else is given as typed, for the schema to refuse beside the field.
        body["signers"] = int(signers) if _WHOLE.fullmatch(signers) else signers
    return body, rows


@dataclass
class Intake:
    """What the intake form shows: the values typed, the errors beside their fields (and listed
    above the form, each a link to its field), and the refusal they come from."""

    values: dict[str, Any]
    rows: list[dict[str, str]]
    errors: dict[str, str] = dataclasses.field(default_factory=dict)
    problem: ProblemError | None = None
    focus: str = "petitioners-0-full_name"
    # The earlier filings of the same matter, when the reception asked before saving.
    candidates: list[OtherFiling] | None = None

    def refused(self, error: DomainError, lang: Language) -> None:
        """The first refusal of the domain names the error box (its code and case)."""
        if self.problem is None:
            self.problem = domain_refusal(error, lang)

    def listed(self, lang: Language) -> list[tuple[str, str, str]]:
        """Each error as (field, its label, what is wrong), in the form's order."""
        found = []
        for name in sorted(self.errors, key=_form_order):
            row = _ROW.match(name)
            if row is None:
                label = field_label(lang, _LABELS.get(name, name))
            else:
                person = message(lang, "petition.petitioner.number", number=int(row[1]) + 1)
                label = f"{person} — {field_label(lang, row[2])}"
            found.append((name, label, self.errors[name]))
        return found


# Fields of the intake form labelled otherwise than their names.
_LABELS = {"content": "petition_content"}


class NewPetition:
    """``/petitions/new``: the reception registers what its agency received."""

    def __init__(
        self,
        pages: Pages,
        app: Thucthi,
        commands: Commands,
        filing: PetitionFiling | None = None,
    ) -> None:
        """``filing``: signs and files the receipt as the petition is received."""
        self.pages, self.app, self.commands, self.filing = pages, app, commands, filing

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        today = city_date(self.app.clock.now())
        blank = dict.fromkeys(PERSON_FIELDS, "")
        values = {"received_on": today.isoformat(), "channel": Channel.IN_PERSON.value}
        self.show(req, resp, Intake(values, [blank]))

    def show(
        self, req: falcon.Request, resp: falcon.Response, intake: Intake, status: int = 200
    ) -> None:
        self.pages.render(
            req,
            resp,
            "petition_new.html",
            status,
            intake=intake,
            listed=intake.listed(language(req)),
            channels=[c.value for c in Channel if c is not Channel.TRANSFERRED],
            person_fields=PERSON_FIELDS,
            today=city_date(self.app.clock.now()),
            many_signers=MANY_SIGNERS,
        )

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        actor = signed_in(req)
        lang = language(req)
        form = posted_form(req)
        rows = petitioner_rows(form) or [dict.fromkeys(PERSON_FIELDS, "")]
        intake = Intake({k: _last(v) for k, v in form.items()}, rows)
        if _last(form.get("add_row")):
            # Another petitioner: the form again, one row longer, on its first field.
            if len(rows) < MAX_ROWS:
                rows.append(dict.fromkeys(PERSON_FIELDS, ""))
            intake.focus = f"petitioners-{len(rows) - 1}-full_name"
            self.show(req, resp, intake)
            return
        body, row_of = intake_body(form, actor.unit or "")
        # Every mistake the form can tell before the domain is asked, each beside its field:
        # the fields' forms, each petitioner's details, the texts.
        validated = None
        try:
            validated = RECEIVE.model_validate(body)
        except ValidationError as e:
            for item in invalid_fields(e, lang).errors or ():
                intake.errors[_row_field(item["field"], row_of)] = item["message"]
        self._check_people(body, row_of, intake, lang)
        for name in ("content", "subject"):
            try:
                checked(name, body.get(name, ""), method="receive")
            except InvalidTextError as e:
                intake.refused(e, lang)
                intake.errors.setdefault(name, invalid_text(lang, e))
        if intake.errors or validated is None:
            self._refused(req, resp, intake, 422)
            return
        if _last(form.get("check")):
            # Looked for before saving: the form again, as typed, with the earlier filings of
            # the same matter beneath it; nothing is recorded.
            found = self.app.petitions.candidates_for(receive_command(validated), actor=actor)
            intake.candidates = proposed(found, actor, lang)
            intake.focus = "save"
            self.show(req, resp, intake)
            return
        try:
            receipt, position = self.app.petitions.receive(
                receive_command(validated), actor=actor, request_id=req.context.request_id
            )
        except DomainError as e:
            self._domain_refusal(e, intake, lang)
            self._refused(req, resp, intake, from_domain(e).status)
            return
        if self.filing is not None:
            rid = req.context.request_id
            position = self.filing.file_due(receipt, actor=actor, request_id=rid) or position
        self.commands.caught_up(position, req.context.request_id)
        raise falcon.HTTPSeeOther(f"/petitions/{receipt}?done=receive")

    def _check_people(
        self, body: dict[str, Any], row_of: list[int], intake: Intake, lang: Language
    ) -> None:
        """Each petitioner's details, checked as the domain checks them, so that a mistake is
        said beside the row it is in."""
        for person, row in zip(body["petitioners"], row_of, strict=True):
            try:
                Person(**person)
            except InvalidPersonError as e:
                intake.refused(e, lang)
                name = _PERSON_CASE_FIELDS.get(e.case, "id_number")
                intake.errors[f"petitioners-{row}-{name}"] = refusal(
                    lang, e.code, e.case, e.values
                ) or message(lang, "rule.invalid-person")
            except InvalidTextError as e:
                intake.refused(e, lang)
                intake.errors[f"petitioners-{row}-{e.field}"] = invalid_text(lang, e)

    def _domain_refusal(self, e: DomainError, intake: Intake, lang: Language) -> None:
        intake.refused(e, lang)
        if isinstance(e, InvalidTextError):
            intake.errors[e.field] = invalid_text(lang, e)
        elif isinstance(e, InvalidPetitionError) and e.case in _CASE_FIELDS:
            intake.errors[_CASE_FIELDS[e.case]] = refusal(
                lang, e.code, e.case, e.values, self._unit_name(lang)
            )

    def _unit_name(self, lang: Language) -> Any:
        names = self.pages.unit_names(lang)
        return lambda code: names.get(code, code)

    def _refused(
        self, req: falcon.Request, resp: falcon.Response, intake: Intake, status: int
    ) -> None:
        if intake.errors:
            intake.focus = min(intake.errors, key=_form_order)
            if intake.problem is None:
                intake.problem = ProblemError(status, "invalid-fields", "Some fields are invalid")
        self.show(req, resp, intake, status)


# The intake form's fields after the petitioners' rows, in the order the form shows them.
_AFTER_ROWS = (
    "anonymous",
    "signers",
    "content",
    "subject",
    "decision_known_on",
    "previous_receipt",
    "channel",
    "received_on",
)


def _form_order(field: str) -> tuple[int, int, int]:
    """Where a field stands in the intake form, so the first mistake is the one focused."""
    found = _ROW.match(field)
    if found is not None:
        name = found[2]
        at = PERSON_FIELDS.index(name) if name in PERSON_FIELDS else 0
        return (0, int(found[1]), at)
    return (1, _AFTER_ROWS.index(field) if field in _AFTER_ROWS else len(_AFTER_ROWS), 0)


def _row_field(field: str, row_of: list[int]) -> str:
    """A field named by the body (``petitioners-1-id_number``: its second petitioner) as the
    form names it (the row that petitioner was typed in)."""
    found = re.match(r"^petitioners-(\d+)-(\w+)$", field)
    if found is None or int(found[1]) >= len(row_of):
        return field
    return f"petitioners-{row_of[int(found[1])]}-{found[2]}"


# --- one case ---------------------------------------------------------------------------------

_TEXT_FIELDS = ("summary", "note", "reason", "body")


class PetitionPage:
    """``/petitions/{receipt}``: one case, its story and the forms of its step
    (``/petitions/{receipt}/{action}``)."""

    def __init__(
        self,
        pages: Pages,
        case: OnePetition,
        commands: Commands,
        officers: Officers,
        filing: PetitionFiling | None = None,
    ) -> None:
        """``filing``: signs and files the result as the petition is resolved."""
        self.pages, self.case, self.commands, self.officers = pages, case, commands, officers
        self.app, self.filing = case.app, filing

    def show(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        receipt: str,
        *,
        status: int = 200,
        failed: str = "",
        problem: ProblemError | None = None,
        values: dict[str, Any] | None = None,
    ) -> None:
        """The page, or the page again with the form that ``failed`` and why."""
        actor = signed_in(req)
        lang = language(req)
        desk = self.app.petitions
        petition, history = desk.case(receipt, actor=actor)
        today = self.case.today()
        calendar = self.case.calendar()
        names = unit_sentences(self.app.unit_registry())
        steps = timeline(history, names, days=told_days, people=self.pages.person)
        told = []
        for step in steps:
            who = subject(step.event.actor, names)
            text = next((str(v) for f in _TEXT_FIELDS if (v := getattr(step.event, f, None))), "")
            told.append(
                {
                    "version": step.version,
                    "when": step.event.timestamp,
                    "who": who.vi if lang == "vi" else who.en,
                    "user": step.event.actor.user_id,
                    "what": step.said.vi if lang == "vi" else step.said.en,
                    "text": text,
                }
            )
        current = petition.deadline()
        handling = petition.handling_term()
        people = desk.petitioners(petition, actor)
        hidden = confidentiality(petition)
        actions = offered(actor, petition)
        handling_term = None if handling is None else counted(handling, calendar, today)
        linker = may_link(actor, petition)
        linked = linked_filings(desk, actor, petition)
        candidates = self.candidates(actor, petition, lang) if linker or _oversees(actor) else None
        shown = {
            "same-matter": {c.receipt for c in candidates or ()},
            "same-matter-undo": {f.receipt for f in linked if f.receipt != petition.answered_with},
            "answer-with-earlier": {f.receipt for f in linked if f.answerable},
        }
        link_failure = (
            (failed, failed_at(failed, values or {}, shown))
            if linker and failed in LINK_FORMS
            else None
        )
        if link_failure is not None and link_failure[0] != "same-matter" and not link_failure[1]:
            link_failure = None  # not one of the forms shown: said above the forms
        self.pages.render(
            req,
            resp,
            "petition.html",
            status,
            p=petition,
            step_term=None if current is None else counted(current, calendar, today),
            handling=handling_term,
            on_time=(
                handling_term is not None
                and petition.resolved_on is not None
                and petition.resolved_on <= handling_term.due
            ),
            prefill=prefilled(petition),
            today=today,
            timeline=told,
            petitioners=people,
            hidden=hidden.vi if lang == "vi" else hidden.en,
            actions=actions,
            fields={
                name: form_fields(PETITION_BY_NAME[name], petition)
                for name in (*actions, *LINK_FORMS)
            },
            linker=linker,
            linked=linked,
            candidates=candidates,
            link_forms=LINK_FORMS,
            link_failure=link_failure,
            officers=self.officers.of(petition.agency) if "accept" in actions else [],
            units=[(c, n) for c, n in self.pages.unit_names(lang).items() if c != petition.agency],
            confirmed=CONFIRMED,
            failed=failed,
            problem=problem,
            values=values or {},
            done=DONE.read(req) or "",
        )

    def candidates(self, actor: Actor, p: Petition, lang: Language) -> list[OtherFiling]:
        """The earlier filings most likely of the same matter, best first, those already linked
        left to the list of linked filings."""
        found = self.app.petitions.candidates_of(p, actor=actor)
        return proposed(found, actor, lang, linked=p.same_matter)

    def on_get(self, req: falcon.Request, resp: falcon.Response, receipt: str) -> None:
        self.show(req, resp, receipt)

    def on_post_action(
        self, req: falcon.Request, resp: falcon.Response, receipt: str, action: str
    ) -> None:
        actor = signed_in(req)
        posted = PETITION_BY_NAME.get(action)
        if posted is None:
            raise falcon.HTTPNotFound
        form = posted_form(req)
        lang = language(req)
        self.app.petitions.get(receipt, actor=actor)  # not there for whoever may not see it
        values = {k: _last(v) for k, v in form.items()}

        def again(problem: ProblemError) -> None:
            self.show(
                req,
                resp,
                receipt,
                status=problem.status,
                failed=action,
                problem=problem,
                values=values,
            )

        if action in CONFIRMED and _last(form.get("confirm")) not in _YES:
            again(
                ProblemError(
                    422,
                    "confirmation-required",
                    "This cannot be undone, so it must be confirmed",
                    errors=[{"field": "confirm", "message": message(lang, "confirm.missing")}],
                )
            )
            return
        try:
            expected = FORM_VERSION.value_in(form)
            model = request_model(posted.command)
            command = command_of(posted.command, model.model_validate(command_body(model, form)))
            position = self.app.petitions.execute(
                command,
                receipt,
                actor=actor,
                request_id=req.context.request_id,
                expected_version=expected,
            )
        except ValidationError as e:
            again(invalid_fields(e, lang))
            return
        except ParameterError as e:
            again(from_parameter(e, lang))
            return
        except VersionMismatchError as e:
            # Conflict, not the API's 412: the page answers with the case as it now stands.
            problem = from_domain(e)
            problem.status = 409
            again(problem)
            return
        except DomainError as e:
            again(domain_refusal(e, lang))
            return
        if self.filing is not None:
            rid = req.context.request_id
            position = self.filing.file_due(receipt, actor=actor, request_id=rid) or position
        self.commands.caught_up(position, req.context.request_id)
        # The panel's forms lead back to the panel, where the link now stands or no longer does.
        where = "#same-matter" if action in LINK_FORMS else ""
        raise falcon.HTTPSeeOther(f"/petitions/{receipt.strip().upper()}?done={action}{where}")
