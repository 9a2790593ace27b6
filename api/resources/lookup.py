"""The public look-up of a petition as JSON (``POST /api/lookup``): no sign-in, a receipt code and
four digits in the body (never in the address, which proxies and browsers keep), the status,
step, deadline and published result in both languages; a wrong code and wrong digits answered
with the same bytes, and a flood with 429 and Retry-After."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import falcon

from api.http import ProblemError, json, read_body
from api.limits import LookupLimiter, TooManyLookupsError, limited_lookup, wait_in_words
from api.schemas import Lookup
from api.web.i18n import LANGUAGES, message, term
from domain.petitions.law import TERMS
from domain.petitions.lookup import AnsweredResult, PublicLookup, PublicResult, PublicStatus
from domain.petitions.petition import Status
from domain.units.registry import UnitRegistry


def both(key: str, **values: object) -> dict[str, str]:
    """A message in both languages, Vietnamese first."""
    return {lang: message(lang, key, **values) for lang in LANGUAGES}


def step_key(found: PublicStatus) -> str:
    """The words of the step the petition is at."""
    if found.status is Status.RESOLVED and found.result is None:
        return "lookup.step.resolved.unpublished"
    if found.answered is not None:
        return "lookup.step.answered"
    if found.suspended:
        return "lookup.step.suspended"
    return f"lookup.step.{found.status.value}"


def term_key(found: PublicStatus) -> tuple[str, dict[str, object]] | None:
    """The law's term of the current step, as a message and its values."""
    if found.term is None:
        return None
    citation = TERMS[found.term.terms[0]].citation
    key = "lookup.term.working" if found.term.working else "lookup.term.days"
    if found.status is Status.RECEIVED:
        # Not yet classified: the shortest processing term of any kind runs (Petition.deadline),
        # which is not the petitioner's law to cite.
        key = "lookup.term.unclassified" + (".working" if found.term.working else "")
    return key, {"days": found.term.days, "citation": citation}


def not_found() -> ProblemError:
    """The one answer to a code that is not there and to digits that are not its petitioner's."""
    return ProblemError(
        404,
        "lookup-not-found",
        "No petition has this receipt code and these digits",
        members=both("lookup.not_found"),
    )


def too_many(error: TooManyLookupsError) -> ProblemError:
    return ProblemError(
        429,
        "too-many-lookups",
        "Too many unsuccessful look-ups",
        f"retry after {error.retry_after} s",
        headers={"Retry-After": str(error.retry_after)},
        members={
            lang: message(lang, "lookup.too_many", wait=wait_in_words(lang, error.retry_after))
            for lang in LANGUAGES
        },
    )


def public_document(found: PublicStatus, registry: UnitRegistry) -> dict[str, Any]:
    """What the look-up answers, and nothing else: no name, no content, no note, no handler."""

    def agency(code: str) -> dict[str, Any]:
        unit = registry.units.get(code)
        names = (
            {"vi": code, "en": code} if unit is None else {"vi": unit.name_vi, "en": unit.name_en}
        )
        return {"code": code, "name": names}

    def result(r: PublicResult) -> dict[str, Any]:
        return {
            "receipt": r.receipt,
            "agency": agency(r.agency),
            "verdict": r.verdict.value,
            "verdict_words": {
                lang: term(lang, "petition.verdict", r.verdict) for lang in LANGUAGES
            },
            "summary": r.summary,
            "decision_reference": r.decision_reference,
            "resolved_on": r.resolved_on,
            "published_on": r.published_on,
        }

    def answered(a: AnsweredResult) -> dict[str, Any]:
        return {
            "agency": None if a.agency is None else agency(a.agency),
            "verdict": a.verdict.value,
            "verdict_words": {
                lang: term(lang, "petition.verdict", a.verdict) for lang in LANGUAGES
            },
            "summary": a.summary,
            "decision_reference": a.decision_reference,
            "answered_on": a.answered_on,
        }

    law = term_key(found)
    return {
        "receipt": found.receipt,
        "status": found.status.value,
        "status_words": {lang: term(lang, "petition.status", found.status) for lang in LANGUAGES},
        "step": both(step_key(found)),
        "suspended": found.suspended,
        "agency": agency(found.agency),
        "deadline": found.deadline,
        "term": None
        if found.term is None or law is None
        else {
            "days": found.term.days,
            "working": found.term.working,
            "citation": TERMS[found.term.terms[0]].citation,
            "words": both(law[0], **law[1]),
        },
        "result": None if found.result is None else result(found.result),
        "linked": [result(r) for r in found.linked],
        "answered": None if found.answered is None else answered(found.answered),
    }


class PublicLookupResource:
    """``POST /api/lookup``: public (``api.routes``), rate-limited (``api.limits``)."""

    def __init__(
        self,
        lookup: PublicLookup,
        limiter: LookupLimiter,
        units: Callable[[], UnitRegistry],
    ) -> None:
        self.lookup, self.limiter, self.units = lookup, limiter, units

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        body, _ = read_body(req, Lookup)
        try:
            found = limited_lookup(
                self.lookup, self.limiter, body.code, body.digits, req.remote_addr or "unknown"
            )
        except TooManyLookupsError as e:
            raise too_many(e) from e
        if found is None:
            raise not_found()
        resp.set_header("Cache-Control", "no-store")
        json(resp, public_document(found, self.units()))
