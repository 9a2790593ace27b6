"""The HTTP conventions every resource follows: RFC 9457 problems (the one mapping of domain
errors), JSON answers, reading a request's body, and the bearer token."""

from __future__ import annotations

import io
from typing import Any, TypeVar
from wsgiref.types import WSGIEnvironment

import falcon
import orjson
import psycopg
from eventsourcing.persistence import (
    InterfaceError,
    OperationalError,
)
from pydantic import BaseModel, ValidationError

from api.params import (
    ParameterError,
)
from api.web.i18n import LANGUAGES, Language, refusal, text_refusal
from domain.shared.errors import DomainError, InvalidTextError
from readmodels.open import OversightView
from readmodels.text import storable_value

# What a dropped database connection raises: through the library, and from psycopg directly.
CONNECTION_LOST: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    psycopg.OperationalError,
    psycopg.InterfaceError,
)


MAX_BODY = 1024 * 1024


ModelT = TypeVar("ModelT", bound=BaseModel)


STATUS_OF_KIND = {
    "invalid": 422,
    "not_found": 404,
    "conflict": 409,
    "forbidden": 403,
    "precondition": 412,
    "unavailable": 503,
}


class ProblemError(Exception):
    """An HTTP problem to answer with; ``code`` names its type. ``title`` and ``detail`` are the
    API's English; a page says the problem from ``code`` and, for a domain error, its ``case``
    and ``values`` (``api.web.i18n.explain``), in the reader's language."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str = "",
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: dict[str, str] | None = None,
        case: str = "",
        values: dict[str, object] | None = None,
        members: dict[str, Any] | None = None,
    ) -> None:
        """``members``: the problem's extension members (RFC 9457, 3.2), answered beside the
        standard ones."""
        super().__init__(detail or title)
        self.status, self.code, self.title, self.detail = status, code, title, detail
        self.errors = errors
        self.headers = headers or {}
        self.case = case
        self.values = values or {}
        self.members = members or {}


def problem_body(p: ProblemError, instance: str) -> bytes:
    doc: dict[str, Any] = {
        "type": f"urn:thucthi:problem:{p.code}",
        "title": p.title,
        "status": p.status,
        "instance": instance,
    }
    if p.detail:
        doc["detail"] = p.detail
    if p.errors:
        doc["errors"] = p.errors
    for name, value in p.members.items():
        doc.setdefault(name, value)
    if p.case:
        # The case of the rule refused, and what it says in each language (RFC 9457 extension
        # members): the words the pages show, units by their codes.
        doc["case"] = p.case
        for language in LANGUAGES:
            said = refusal(language, p.code, p.case, p.values)
            if said:
                doc[language] = said
    return orjson.dumps(doc)


def from_domain(error: DomainError) -> ProblemError:
    title = (type(error).__doc__ or error.code).strip().splitlines()[0]
    errors: list[dict[str, Any]] | None = None
    members: dict[str, Any] | None = None
    if isinstance(error, InvalidTextError):
        errors = [{"field": error.field, "message": error.reason}]
        # A text's refusal names its field, which the refusal table does not: said here.
        members = {language: text_refusal(language, error) for language in LANGUAGES}
    return ProblemError(
        STATUS_OF_KIND[error.kind],
        error.code,
        title,
        str(error),
        errors=errors,
        case=error.case,
        values=error.values,
        members=members,
    )


def from_validation(error: ValidationError) -> ProblemError:
    errors = [
        {"field": ".".join(str(p) for p in e["loc"]) or "(body)", "message": e["msg"]}
        for e in error.errors(include_url=False, include_context=False, include_input=False)
    ]
    return ProblemError(422, "invalid-fields", "Some fields are invalid", errors=errors)


def from_parameter(error: ParameterError, language: Language = "en") -> ProblemError:
    """A parameter refused, named, with what it must be (in words, on a page)."""
    rule = error.describe(language)
    return ProblemError(
        422,
        error.code,
        f"Invalid parameter: {error.name}",
        errors=[{"field": error.name, "message": rule}],
    )


def render(resp: falcon.Response, p: ProblemError, instance: str) -> None:
    resp.status = p.status
    resp.content_type = "application/problem+json"
    resp.data = problem_body(p, instance)
    for name, value in p.headers.items():
        resp.set_header(name, value)


def json(resp: falcon.Response, document: Any, status: int = 200) -> None:
    resp.status = status
    resp.content_type = falcon.MEDIA_JSON
    resp.data = json_bytes(document)


def json_bytes(document: Any) -> bytes:
    """A document as the API sends it."""
    try:
        return orjson.dumps(document, option=orjson.OPT_NON_STR_KEYS)
    except orjson.JSONEncodeError:
        # A text from the log that UTF-8 cannot carry (a lone surrogate an earlier version or
        # the store itself let in): shown escaped, as the read models show it.
        return orjson.dumps(storable_value(document), option=orjson.OPT_NON_STR_KEYS)


def bearer_token(env: dict[str, Any]) -> str | None:
    """The token of an ``Authorization: Bearer`` header, if there is one."""
    scheme, _, token = (env.get("HTTP_AUTHORIZATION") or "").partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and token else None


def read_chunked_body(env: WSGIEnvironment) -> ProblemError | None:
    """A body sent in chunks (no Content-Length) read into the environment, as a proxy would.

    Falcon reads a body as long as Content-Length says, so it read nothing of a chunked one and
    the command ran on an empty body. A server that sets ``wsgi.input_terminated`` (granian does)
    ends the input where the body ends, so it is read here, up to one byte past MAX_BODY (the
    413 check then refuses it), and given a Content-Length. Without that promise reading could
    wait forever: 411 asks for a Content-Length instead.
    """
    if not env.get("wsgi.input_terminated"):
        return ProblemError(
            411, "length-required", "Send Content-Length", "this server cannot end a chunked body"
        )
    data = env["wsgi.input"].read(MAX_BODY + 1)
    env["wsgi.input"] = io.BytesIO(data)
    env["CONTENT_LENGTH"] = str(len(data))
    return None


def read_body(req: falcon.Request, model: type[ModelT]) -> tuple[ModelT, bytes]:
    """A JSON body, validated against ``model``; with its bytes, which an Idempotency-Key's
    fingerprint covers."""
    if req.content_length is not None and req.content_length > MAX_BODY:
        raise ProblemError(413, "body-too-large", "The body is over 1 MiB")
    raw = req.bounded_stream.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        raise ProblemError(413, "body-too-large", "The body is over 1 MiB")
    if not raw.strip():
        data: Any = {}
    else:
        media_type = (req.content_type or "").split(";")[0].strip().lower()
        if media_type != "application/json":
            raise ProblemError(415, "unsupported-media-type", "Send application/json")
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as e:
            raise ProblemError(400, "malformed-json", "The body is not valid JSON", str(e)) from e
        if not isinstance(data, dict):
            raise ProblemError(422, "invalid-fields", "The body must be a JSON object")
    try:
        return model.model_validate(data), raw
    except ValidationError as e:
        raise from_validation(e) from e


def read_models(view: OversightView | None) -> OversightView:
    """The read models, or 503 where there are none (memory:// keeps events only)."""
    if view is None:
        raise ProblemError(503, "no-read-models", "Read models are not available on memory://")
    return view
