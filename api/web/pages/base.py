"""What every page shares: its templates rendered in the reader's language, the posted form and
its token, the error page, the signed-in actor, and the day and filters a view was asked for."""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import falcon
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from api.http import MAX_BODY, ProblemError, from_domain
from api.params import (
    AS_OF,
    BASIS,
    ISSUED,
    ISSUER,
    LANG,
    SEARCH,
    UNIT,
    URGENCY,
    ParameterError,
    given,
)
from api.resources.files import Upload, is_multipart, multipart_form
from api.web.formats import FILTERS
from api.web.headers import LANGUAGE_COOKIE, SECURITY_HEADERS
from api.web.i18n import (
    MESSAGES,
    Language,
    explain,
    field_label,
    invalid_text,
    language_of,
    message,
    say,
    term,
)
from api.web.session import FORM_TOKEN_MARK, csrf_token, home_of
from domain.accounts.account import UserAccount
from domain.directives.directive import Urgency
from domain.shared.actors import Actor, Role
from domain.shared.errors import DomainError, InvalidTextError
from domain.shared.ordering import natural_key
from domain.units.registry import UnitRegistry
from readmodels.model import Basis, Filters

WEB = Path(__file__).parents[1]


def to_path(reference: str) -> str:
    """A directive reference as a path segment ("/" written "~", as the API takes it)."""
    return quote(reference.replace("/", "~"), safe="~")


_LOCAL_PATH = re.compile(r"^/(?![/\\])[^\s\\]*$")


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an address elsewhere (an open redirect). Browsers read
    "//host", "/\\host" and "/<tab>/host" as another host, so none of them pass."""
    if not target or not _LOCAL_PATH.match(target) or any(ord(c) < 32 for c in target):
        return "/"
    return target


def language(req: falcon.Request) -> Language:
    """The reader's language: asked in the address, else kept in a cookie, else Vietnamese."""
    try:
        chosen = LANG.read(req)
    except ParameterError:
        chosen = None  # a preference: one that cannot be read is not one
    if chosen is not None:
        return language_of(chosen)
    values = req.get_cookie_values(LANGUAGE_COOKIE)
    return language_of(values[0] if values else None)


def domain_refusal(error: DomainError, lang: Language) -> ProblemError:
    """A domain refusal as a page shows it: its case is said by ``explain``, and a text field's
    refusal in the reader's language beside the field."""
    problem = from_domain(error)
    if isinstance(error, InvalidTextError):
        problem.errors = [{"field": error.field, "message": invalid_text(lang, error)}]
    return problem


def search_box(req: falcon.Request) -> str:
    """The words searched for, shown again in the header's box; none on the page that says
    they could not be read."""
    try:
        return SEARCH.read(req) or ""
    except ParameterError:
        return ""


def signed_in(req: falcon.Request) -> Actor:
    """Who is signed in, on a page that only signed-in roles open (``api.routes.PAGES``: the
    pipeline has sent everyone else to sign in)."""
    actor: Actor = req.context.actor
    return actor


def posted_form(req: falcon.Request, *, session: bool = True) -> dict[str, Any]:
    """The posted form, after checking its CSRF token against the session (``session``
    False: the caller checks a token of its own)."""
    if req.content_length is not None and req.content_length > MAX_BODY:
        raise ProblemError(413, "body-too-large", "The body is over 1 MiB")
    media_type = (req.content_type or "").split(";")[0].strip().lower()
    if media_type != falcon.MEDIA_URLENCODED:
        raise ProblemError(415, "unsupported-media-type", "Send an HTML form")
    form: dict[str, Any] = req.get_media()
    if session:
        _check_form_token(req, form)
    return form


def posted_form_with_files(
    req: falcon.Request, max_bytes: int
) -> tuple[dict[str, Any], list[Upload]]:
    """A posted form that may carry files (``multipart/form-data``, each file at most
    ``max_bytes`` plus one byte, which the domain refuses), after checking its CSRF token; a
    URL-encoded form has none."""
    if not is_multipart(req):
        return posted_form(req), []
    form, uploads = multipart_form(req, max_bytes)
    _check_form_token(req, form)
    return form, uploads


def _check_form_token(req: falcon.Request, form: dict[str, Any]) -> None:
    token_hash: str | None = req.context.token_hash
    sent = form.get("csrf")
    if token_hash is not None and not (
        isinstance(sent, str) and hmac.compare_digest(sent, csrf_token(token_hash))
    ):
        raise ProblemError(403, "bad-form-token", "The form's token is not this session's")


@dataclass(frozen=True, slots=True)
class Question:
    """What a dashboard or list was asked: the day, and the filters as given and as parsed."""

    day: date
    today: date
    chosen: dict[str, str]  # the parameters as given (as_of only when not today)
    filters: Filters
    basis: Basis


def question(req: falcon.Request, today: date) -> Question:
    """The day and the filters a dashboard or a list was asked for."""
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


class Pages:
    """The templates, rendered for one reader: the collaborator every page takes."""

    def __init__(
        self,
        units: Callable[[], UnitRegistry],
        accounts: Callable[[str], UserAccount | None] = lambda _: None,
        todo: Callable[[Actor], int | None] = lambda _: None,
    ) -> None:
        """``units``: the unit registry as last recorded, whose names every page shows;
        ``accounts``: an account by its user name, whose person the pages name; ``todo``: how
        many steps wait for a signed-in person, which the header shows (None: no queue)."""
        self.units = units
        self.accounts = accounts
        self.todo = todo
        self.env = Environment(
            loader=FileSystemLoader(WEB / "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["path"] = to_path
        # number, percent, date, datetime: written the page's way (api.web.formats)
        self.env.filters.update(FILTERS)
        self.env.globals["urgencies"] = [u.value for u in Urgency]
        # The names in order, by language, for the registry's version they were sorted at.
        self._names: dict[Language, tuple[int, dict[str, str]]] = {}

    def unit_names(self, lang: Language) -> dict[str, str]:
        """Every unit's name in the reader's language, by code, in the natural order of the
        names (``domain.shared.ordering``): what every list of units on a page follows. Sorted
        once per version of the registry (a city's hundreds of names are a few milliseconds
        a page otherwise); the same mapping is given to every page: read it, never change it."""
        registry = self.units()
        kept = self._names.get(lang)
        if kept is not None and kept[0] == registry.version:
            return kept[1]
        names = {
            code: (u.name_vi if lang == "vi" else u.name_en) for code, u in registry.units.items()
        }
        ordered = dict(sorted(names.items(), key=lambda item: natural_key(item[1])))
        self._names[lang] = (registry.version, ordered)
        return ordered

    def person(self, username: str | None) -> str:
        """Who a user name is, as the pages name people: "Name — Title" for an account that has
        them, else the name given (an issuer written as text, an account since gone)."""
        if not username:
            return "—"
        account = self.accounts(username)
        return username if account is None else account.signature()

    def leaders(self, usernames: Iterable[str]) -> list[tuple[str, str]]:
        """(user name, who it is) of those of ``usernames`` who are the committee's leaders:
        the people who sign a directive."""
        found = []
        for name in dict.fromkeys(usernames):
            account = self.accounts(name)
            if account is not None and account.role is Role.LEADER and account.active:
                found.append((name, account.signature()))
        return sorted(found, key=lambda p: natural_key(p[0]))

    def people(self, usernames: Iterable[str]) -> list[tuple[str, str]]:
        """(user name, who it is) for each, people before other names, each group in natural
        order of the user names (the chairman's ``leader.chutich`` before ``leader.pct1``)."""
        found = [(name, self.person(name)) for name in usernames]
        return sorted(found, key=lambda p: (p[1] == p[0], natural_key(p[0])))

    def render(
        self,
        req: falcon.Request,
        resp: falcon.Response,
        template: str,
        status: int = 200,
        **values: Any,
    ) -> None:
        token_hash: str | None = req.context.token_hash
        if getattr(req.context, "keeping", False):
            csrf = FORM_TOKEN_MARK  # the page is kept (api.fastpath.KeptPage)
        else:
            csrf = csrf_token(token_hash) if token_hash else ""
        self.send(resp, self.made(req, template, csrf, **values), status)

    @staticmethod
    def send(resp: falcon.Response, page: bytes, status: int = 200) -> None:
        """A page made by ``made``, with the headers every page has."""
        resp.status = status
        resp.content_type = "text/html; charset=utf-8"
        resp.set_header("Cache-Control", "no-store")
        for name, value in SECURITY_HEADERS.items():
            resp.set_header(name, value)
        resp.data = page

    def made(self, req: falcon.Request, template: str, csrf: str, **values: Any) -> bytes:
        """A page in the reader's language, its forms carrying ``csrf`` (the session's token,
        or the mark a kept page has in its place: ``api.fastpath.with_form_token``)."""
        lang = language(req)
        actor: Actor | None = req.context.actor
        names = self.unit_names(lang)
        known: dict[str, str] = {}

        def person(username: str | None) -> str:
            if username is None:
                return "—"
            if username not in known:
                known[username] = self.person(username)
            return known[username]

        # An error page counts nothing: what failed may be the read models themselves.
        todo = values.pop("todo") if "todo" in values else (self.todo(actor) if actor else None)
        page = self.env.get_template(template).render(
            t=partial(message, lang),
            has_message=MESSAGES.__contains__,
            say=partial(say, lang),
            explain=lambda problem: explain(lang, problem, lambda code: names.get(code, code)),
            field_label=partial(field_label, lang),
            term=partial(term, lang),
            lang=lang,
            actor=actor,
            csrf=csrf,
            here=req.relative_uri,
            q=values.pop("q", None) or search_box(req),
            unit_name=lambda code: names.get(code, code),
            unit_names=names,
            person=person,
            request_id=req.context.request_id,
            home=home_of(actor) if actor else "/sign-in",
            todo=todo,
            **values,
        )
        # A text from the log that UTF-8 cannot carry (a lone surrogate an earlier version or
        # the store itself let in) is shown escaped, as the read models show it.
        return page.encode("utf-8", "backslashreplace")

    def error(self, req: falcon.Request, resp: falcon.Response, problem: ProblemError) -> None:
        """A problem, as a page (the pages' side of the one error mapping): 401 is the sign-in
        page, which opens the page asked for after."""
        if problem.status == 401:
            raise falcon.HTTPSeeOther("/sign-in?" + urlencode({"next": req.relative_uri}))
        for name, value in problem.headers.items():
            if name != "WWW-Authenticate":
                resp.set_header(name, value)
        self.render(req, resp, "error.html", problem.status, problem=problem, todo=None)
