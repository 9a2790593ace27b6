"""The administrator's pages (``/admin/...``): the accounts (create one, change the person's name
and title, the role and unit, disable and enable it, give it a new password) and the units (add,
rename, deactivate; merge, split, succeed).

Each form runs the API's command of the same name (``api.routes.ADMIN_USER_FORMS`` and
``ADMIN_UNIT_FORMS``: the pipeline lets in only the roles the command allows), its fields derived
from the command's dataclass and validated by the same request model as the API's. A password
is made by the server and shown once, on the page that answers the form, never again.
"""

from __future__ import annotations

import dataclasses
import enum
import typing
from dataclasses import dataclass
from datetime import date
from typing import Any

import falcon
from pydantic import BaseModel, ValidationError

from api import auth
from api.commands import ACCOUNT_POSTED, UNIT_POSTED, command_of, request_model
from api.http import ProblemError
from api.params import DONE, UNIT
from api.resources.accounts import Directory, reset_password
from api.schemas import NewUser
from api.web.i18n import MESSAGES, Language, message
from api.web.pages.base import Pages, domain_refusal, language, posted_form, signed_in
from api.web.pages.directives import confirmation_missing, form_body, invalid_fields
from api.writes import Commands
from domain.accounts.account import UserAccount, user_id
from domain.application import Thucthi
from domain.narration import narrate, subject, unit_sentences
from domain.shared.actors import Actor
from domain.shared.errors import DomainError
from domain.shared.text import RULES, rule_of
from domain.units.commands import MergeUnits, SplitUnit, SucceedUnit

# --- the forms, derived from the commands -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FormField:
    """One field of an administrator's form: how it is entered (``kind``: "choice", "unit",
    "units", "date", "text" or "line") and, for a choice, the values offered."""

    name: str
    kind: str
    required: bool = False
    choices: tuple[str, ...] = ()


# Fields that name one unit, or several.
_UNIT = frozenset({"unit", "code", "parent", "predecessor", "successor"})
_UNITS = frozenset({"predecessors", "successors"})


def form_fields(command: type[Any]) -> tuple[FormField, ...]:
    """The fields of a command's form, in the dataclass's order (or the request model's, for a
    body no dataclass holds)."""
    if dataclasses.is_dataclass(command):
        hints = typing.get_type_hints(command)
        given = [
            (f.name, hints[f.name], f.default is dataclasses.MISSING)
            for f in dataclasses.fields(command)
        ]
        method = getattr(command, "method", "")
    else:
        model: type[BaseModel] = command
        given = [(n, i.annotation, i.is_required()) for n, i in model.model_fields.items()]
        method = ""
    found = []
    for name, hint, needed in given:
        options = typing.get_args(hint)
        required = needed
        if isinstance(hint, type) and issubclass(hint, enum.Enum):
            found.append(FormField(name, "choice", True, tuple(str(v.value) for v in hint)))
        elif name in _UNITS:
            found.append(FormField(name, "units", True))
        elif name in _UNIT:
            found.append(FormField(name, "unit", required and type(None) not in options))
        elif hint is date or date in options:
            found.append(FormField(name, "date", required))
        else:
            rule = rule_of(name, method) if name in RULES else None
            required = required or (rule is not None and rule.required)
            kind = "text" if rule is not None and rule.lines else "line"
            found.append(FormField(name, kind, required))
    return tuple(found)


# The account page's forms, by the name in their path: the API command each runs.
USER_COMMANDS: dict[str, type[Any]] = {
    "profile": ACCOUNT_POSTED["/profile"],
    "role": ACCOUNT_POSTED["/role"],
    "disable": ACCOUNT_POSTED["/disabling"],
    "enable": ACCOUNT_POSTED["/enabling"],
}
USER_FORMS = (*USER_COMMANDS, "password")
UNIT_COMMANDS: dict[str, type[Any]] = {
    "add": UNIT_POSTED["/additions"],
    "rename": UNIT_POSTED["/renamings"],
    "deactivate": UNIT_POSTED["/deactivations"],
    "merge": MergeUnits,
    "split": SplitUnit,
    "succeed": SucceedUnit,
}
NEW_USER_FIELDS = (
    FormField("username", "line", True),
    FormField("display_name", "line"),
    FormField("title", "line"),
    *form_fields(ACCOUNT_POSTED["/role"]),
)
FIELDS: dict[str, tuple[FormField, ...]] = {
    **{name: form_fields(c) for name, c in {**USER_COMMANDS, **UNIT_COMMANDS}.items()},
    "password": (),
    "new": NEW_USER_FIELDS,
}
# What cannot be undone: a reorganisation ends units for good; confirmed by a box ticked.
CONFIRMED = frozenset({"merge", "split", "succeed", "deactivate"})
_YES = frozenset({"yes", "on", "true", "1"})


def _confirmed(form: dict[str, Any]) -> bool:
    value = form.get("confirm")
    if isinstance(value, list):
        value = value[-1] if value else ""
    return isinstance(value, str) and value.strip() in _YES


def run_user_form(  # noqa: PLR0917 - what a form's command is run with
    app: Thucthi, name: str, username: str, form: dict[str, Any], actor: Actor, request_id: str
) -> int:
    command = USER_COMMANDS[name]
    model = request_model(command)
    body = command_of(command, model.model_validate(form_body(model, form)))
    return app.manage(body, username, actor=actor, request_id=request_id)


def run_unit_form(
    app: Thucthi, name: str, form: dict[str, Any], actor: Actor, request_id: str
) -> int:
    command = UNIT_COMMANDS[name]
    model = request_model(command)
    made = command_of(command, model.model_validate(form_body(model, form)))
    if isinstance(made, MergeUnits | SplitUnit | SucceedUnit):
        return app.reorganise(made, actor=actor, request_id=request_id)
    return app.administer_units(made, actor=actor, request_id=request_id)


def labelled(problem: ProblemError, lang: Language) -> ProblemError:
    """The problem with each field it names said as the administrator's forms label it (a
    person's title, not a directive's)."""
    for error in problem.errors or []:
        key = f"admin.field.{error.get('field')}"
        if key in MESSAGES:
            error["field"] = message(lang, key)
    return problem


# --- the pages ---------------------------------------------------------------------------------

# An account's events that are not changes made to it: its sign-ins and their ends.
_NOT_CHANGES = (UserAccount.SignedIn, UserAccount.TokenRevoked)


class AdminPages:
    """``/admin/users``, ``/admin/users/{username}`` and ``/admin/units``, and their forms."""

    def __init__(
        self, pages: Pages, app: Thucthi, commands: Commands, directory: Directory
    ) -> None:
        self.pages, self.app, self.commands, self.directory = pages, app, commands, directory

    # --- the accounts

    def users(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        *,
        status: int = 200,
        problem: ProblemError | None = None,
        values: dict[str, Any] | None = None,
    ) -> None:
        self.pages.render(
            req,
            resp,
            "admin_users.html",
            status,
            accounts=self.directory.accounts(),
            fields=FIELDS,
            units=self._active_units(language(req)),
            problem=problem,
            failed="new" if problem else "",
            values=values or {},
        )

    def on_get_users(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.users(req, resp)

    def on_post_users(self, req: falcon.Request, resp: falcon.Response) -> None:
        actor = signed_in(req)
        form = posted_form(req)
        lang = language(req)
        try:
            body = NewUser.model_validate(form_body(NewUser, form))
            password = self._create(body, actor, req.context.request_id)
        except ValidationError as e:
            problem = labelled(invalid_fields(e, lang), lang)
            self.users(req, resp, status=422, problem=problem, values=form)
            return
        except DomainError as e:
            problem = labelled(domain_refusal(e, lang), lang)
            self.users(req, resp, status=problem.status, problem=problem, values=form)
            return
        self.user(req, resp, body.username, done="new", password=password)

    def _create(self, body: NewUser, actor: Actor, request_id: str) -> str:
        password = auth.new_password()
        position = self.app.create_user(
            username=body.username,
            display_name=body.display_name,
            title=body.title,
            role=body.role,
            unit=body.unit,
            password_hash=auth.hash_password(password),
            actor=actor,
            request_id=request_id,
        )
        self.commands.caught_up(position, request_id)
        return password

    def user(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        username: str,
        *,
        status: int = 200,
        failed: str = "",
        problem: ProblemError | None = None,
        values: dict[str, Any] | None = None,
        done: str = "",
        password: str = "",
    ) -> None:
        """The account, its changes (each with who made it and when) and its forms; with the
        password made just now, shown this once."""
        account = self.app.get_user(username)
        lang = language(req)
        names = unit_sentences(self.app.unit_registry())
        changes = []
        for event in self.app.events.get(user_id(username)):
            if not isinstance(event, UserAccount.Event) or isinstance(event, _NOT_CHANGES):
                continue
            said = narrate(event, names)
            who = subject(event.actor, names)
            changes.append(
                {
                    "when": event.timestamp,
                    "user": event.actor.user_id,
                    "who": who.vi if lang == "vi" else who.en,
                    "what": said.vi if lang == "vi" else said.en,
                }
            )
        offered = [n for n in USER_FORMS if n != ("disable" if not account.active else "enable")]
        prefill: dict[str, dict[str, object]] = {
            "profile": {"display_name": account.display_name, "title": account.title},
            "role": {"role": account.role.value, "unit": account.unit or ""},
        }
        self.pages.render(
            req,
            resp,
            "admin_user.html",
            status,
            account=account,
            changes=changes,
            actions=offered,
            fields=FIELDS,
            prefill=prefill,
            units=self._active_units(lang),
            failed=failed,
            problem=problem,
            values=values or {},
            done=done or DONE.read(req) or "",
            password=password,
        )

    def on_get_user(self, req: falcon.Request, resp: falcon.Response, username: str) -> None:
        self.user(req, resp, username)

    def on_post_user_action(
        self, req: falcon.Request, resp: falcon.Response, username: str, action: str
    ) -> None:
        actor = signed_in(req)
        if action not in USER_FORMS:
            raise falcon.HTTPNotFound
        form = posted_form(req)
        self.app.get_user(username)
        lang = language(req)
        request_id = req.context.request_id
        try:
            if action == "password":
                password = reset_password(self.app, username, actor, request_id)
                # The account's pages made from here on show the change (they are kept).
                self.commands.caught_up(self.app.max_notification_id() or 0, request_id)
                self.user(req, resp, username, done=action, password=password)
                return
            position = run_user_form(self.app, action, username, form, actor, request_id)
        except ValidationError as e:
            problem = labelled(invalid_fields(e, lang), lang)
            self.user(req, resp, username, status=422, failed=action, problem=problem, values=form)
            return
        except DomainError as e:
            problem = labelled(domain_refusal(e, lang), lang)
            self.user(
                req,
                resp,
                username,
                status=problem.status,
                failed=action,
                problem=problem,
                values=form,
            )
            return
        self.commands.caught_up(position, request_id)
        raise falcon.HTTPSeeOther(f"/admin/users/{username}?done={action}")

    # --- the units

    def units(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        *,
        status: int = 200,
        failed: str = "",
        problem: ProblemError | None = None,
        values: dict[str, Any] | None = None,
    ) -> None:
        lang = language(req)
        registry = self.app.unit_registry()
        chosen = UNIT.read(req) or ""
        unit = registry.units.get(chosen)
        prefill: dict[str, dict[str, object]] = {}
        if unit is not None:
            named: dict[str, object] = {
                "code": unit.code,
                "name_vi": unit.name_vi,
                "name_en": unit.name_en,
            }
            prefill = {
                "rename": named,
                "deactivate": {"code": unit.code},
                "add": {"parent": unit.code},
                "merge": {"predecessors": [unit.code]},
                "split": {"predecessor": unit.code},
                "succeed": {"predecessor": unit.code},
            }
        self.pages.render(
            req,
            resp,
            "admin_units.html",
            status,
            listed=registry.listed(),
            actions=list(UNIT_COMMANDS),
            fields=FIELDS,
            confirmed=CONFIRMED,
            prefill=prefill,
            chosen=chosen,
            units=self._active_units(lang),
            failed=failed,
            problem=problem,
            values=values or {},
            done=DONE.read(req) or "",
        )

    def on_get_units(self, req: falcon.Request, resp: falcon.Response) -> None:
        self.units(req, resp)

    def on_post_unit_action(self, req: falcon.Request, resp: falcon.Response, action: str) -> None:
        actor = signed_in(req)
        if action not in UNIT_COMMANDS:
            raise falcon.HTTPNotFound
        form = posted_form(req)
        lang = language(req)
        if action in CONFIRMED and not _confirmed(form):
            problem = confirmation_missing(lang)
            self.units(req, resp, status=422, failed=action, problem=problem, values=form)
            return
        try:
            position = run_unit_form(self.app, action, form, actor, req.context.request_id)
        except ValidationError as e:
            problem = labelled(invalid_fields(e, lang), lang)
            self.units(req, resp, status=422, failed=action, problem=problem, values=form)
            return
        except DomainError as e:
            problem = labelled(domain_refusal(e, lang), lang)
            status = problem.status
            self.units(req, resp, status=status, failed=action, problem=problem, values=form)
            return
        self.commands.caught_up(position, req.context.request_id)
        raise falcon.HTTPSeeOther(f"/admin/units?done={action}")

    def _active_units(self, lang: Language) -> list[tuple[str, str]]:
        """(code, name) of the active units, in the natural order of their names."""
        registry = self.app.unit_registry()
        active = {code for code, u in registry.units.items() if u.active}
        return [(c, n) for c, n in self.pages.unit_names(lang).items() if c in active]
