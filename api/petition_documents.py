"""A petition as the API, the pages and the command line show it: its state, the term of its
current step counted on the working calendar, its timeline told in both languages, and who
filed it for those the petition lets see them (times ISO 8601, dates YYYY-MM-DD).

A denouncer's identity is confidential by law (Luật Tố cáo 2018, Điều 9 khoản 1 điểm b and
Điều 47): whoever may not see it gets a sentence saying so instead, never the persons.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from domain.narration import Names, Sentence, narrate
from domain.petitions.duplicates import CandidateView
from domain.petitions.law import TERMS
from domain.petitions.petition import Deadline, Kind, Petition
from domain.shared.personal import Person


class WorkingDays(Protocol):
    """What a case needs of the working calendar (``domain.shared.calendar.WorkingCalendar``)."""

    def add_working_days(self, start: date, n: int) -> date: ...

    def add_days(self, start: date, n: int) -> date: ...

    def working_days_between(self, start: date, end: date) -> int: ...


@dataclass(frozen=True, slots=True)
class Term:
    """A term counted on the calendar, as of ``today``: when it ends, and how many of its days
    (working days where the law says so) are left, or how many it is overdue by."""

    start: date
    days: int
    working: bool
    terms: tuple[str, ...]
    citations: tuple[str, ...]
    due: date
    left: int  # days (working days if ``working``) from today to the due day; 0 when overdue
    overdue: int  # days (working days if ``working``) past the due day; 0 when not overdue


def counted(deadline: Deadline, calendar: WorkingDays, today: date) -> Term:
    """A term of the law, counted on the working calendar as of ``today``."""
    due = deadline.due(calendar)

    def between(start: date, end: date) -> int:
        if deadline.working:
            return calendar.working_days_between(start, end)
        return (end - start).days

    citations = tuple(dict.fromkeys(TERMS[name].citation for name in deadline.terms))
    return Term(
        start=deadline.start,
        days=deadline.days,
        working=deadline.working,
        terms=tuple(name.value for name in deadline.terms),
        citations=citations,
        due=due,
        left=between(today, due) if today <= due else 0,
        overdue=between(due, today) if today > due else 0,
    )


def term_document(term: Term | None) -> dict[str, Any] | None:
    if term is None:
        return None
    return {
        "start": term.start,
        "days": term.days,
        "working_days": term.working,
        "terms": list(term.terms),
        "citations": list(term.citations),
        "due": term.due,
        "days_left": term.left,
        "days_overdue": term.overdue,
    }


@dataclass(frozen=True, slots=True)
class Step:
    """One event of the timeline, told."""

    version: int
    event: Petition.Event
    said: Sentence


def timeline(events: Iterable[Petition.Event], names: Names, **telling: Any) -> list[Step]:
    """Each event of a petition in words (``telling``: how days and people are written)."""
    return [Step(e.originator_version, e, narrate(e, names, **telling)) for e in events]


def confidentiality(petition: Petition) -> Sentence:
    """Why the petitioners are not shown: a denouncer's identity is confidential by law; any
    other petitioner is shown to those handling the petition and to the city's overseers."""
    if petition.kind in {Kind.DENUNCIATION, Kind.MIXED} or petition.kind is None:
        return Sentence(
            "Danh tính người gửi đơn được giữ bí mật: với đơn tố cáo, pháp luật bảo đảm bí mật "
            "họ tên, địa chỉ, bút tích và thông tin cá nhân khác của người tố cáo (Luật Tố cáo "
            "2018, Điều 9 khoản 1 điểm b và Điều 47). Chỉ bộ phận tiếp công dân, thủ trưởng cơ "
            "quan đang giữ đơn và cán bộ được giao giải quyết được xem.",
            "Who filed this petition is confidential: for a denunciation, the law protects the "
            "denouncer's name, address, handwriting and other personal details (Law on "
            "Denunciations 2018, Article 9(1)(b) and Article 47). Only the reception and the "
            "head of the agency holding the petition and the officer handling it may see them.",
        )
    return Sentence(
        "Thông tin người gửi đơn chỉ hiển thị cho người xử lý đơn và cơ quan giám sát.",
        "Who filed this petition is shown only to those handling it and to the overseers.",
    )


def petition_document(petition: Petition, calendar: WorkingDays, today: date) -> dict[str, Any]:
    """The petition's state, with the term of its current step and its handling term counted as
    of ``today``; never its petitioners."""
    current = petition.deadline()
    handling = petition.handling_term()
    handling_term = None if handling is None else counted(handling, calendar, today)
    document: dict[str, Any] = {
        "receipt": petition.receipt,
        "version": petition.version,
        "status": petition.status,
        "kind": petition.kind,
        "field": petition.field,
        "competence": petition.competence,
        "several_places": petition.several_places,
        "competent_body": petition.competent_body,
        "channel": petition.channel,
        "agency": petition.agency,
        "received_by": petition.received_by,
        "transferred_from": list(petition.transferred_from),
        "received_on": petition.received_on,
        "arrived_on": petition.arrived_on,
        "anonymous": petition.anonymous,
        "signers": petition.signers,
        "many_signers": petition.many_signers,
        "content": petition.content,
        "subject": petition.subject,
        "attachments": list(petition.attachments),
        "decision_known_on": petition.decision_known_on,
        "previous_receipt": petition.follows_receipt,
        "relation": petition.relation,
        "handler": petition.handler,
        "accepted_on": petition.accepted_on,
        "extensions": petition.extensions,
        "extensions_allowed": petition.extensions_allowed(),
        "suspended_since": petition.suspended_since,  # the term stands still while suspended
        "suspended_days": petition.suspended_days,
        "verifications": petition.verifications,
        "dialogues": petition.dialogues,
        "decision_note": petition.decision_note,
        "ground": petition.ground,
        "verdict": petition.verdict,
        "result": petition.result,
        "decision_reference": petition.decision_reference,
        "resolved_on": petition.resolved_on,
        "published_on": petition.published_on,
        "closed_on": petition.closed_on,
        "deadline": term_document(None if current is None else counted(current, calendar, today)),
        "handling_term": term_document(handling_term),
        "resolved_on_time": (
            None
            if handling_term is None or petition.resolved_on is None
            else petition.resolved_on <= handling_term.due
        ),
        "recorded_at": petition.modified_on,
    }
    return document


def person_document(person: Person | None) -> dict[str, Any]:
    """A petitioner as given; one whose data were erased says so."""
    if person is None:
        return {"erased": True}
    return {
        "full_name": person.full_name,
        "id_number": person.id_number,
        "address": person.address,
        "phone": person.phone,
    }


def case_document(
    petition: Petition,
    calendar: WorkingDays,
    today: date,
    steps: Iterable[Step],
    petitioners: tuple[Person | None, ...] | None,
) -> dict[str, Any]:
    """The whole case: the petition, its timeline, and who filed it if ``petitioners`` is given
    (None: the reader may not see them, and is told why)."""
    document = petition_document(petition, calendar, today)
    document["timeline"] = [
        {
            "version": step.version,
            "recorded_at": step.event.timestamp,
            "event": type(step.event).__name__,
            "actor": step.event.actor,
            "request_id": step.event.request_id,
            "vi": step.said.vi,
            "en": step.said.en,
        }
        for step in steps
    ]
    if petitioners is None:
        said = confidentiality(petition)
        document["identity"] = {"shown": False, "vi": said.vi, "en": said.en}
    else:
        document["identity"] = {"shown": True}
        document["petitioners"] = [person_document(p) for p in petitioners]
    return document


def candidates_document(found: Iterable[CandidateView]) -> list[dict[str, Any]]:
    """A petition's likely earlier filings of the same matter as the API gives them: no
    petitioner and no text, the reasons as keys with their values (the pages say them in
    either language: ``api.web.i18n.MATCH_REASONS``)."""
    return [
        {
            "receipt": c.receipt,
            "agency": c.agency,
            "received_on": c.received_on.isoformat(),
            "status": c.status.value,
            "kind": None if c.kind is None else c.kind.value,
            "result": c.result,
            "score": c.score,
            "reasons": [
                {
                    "key": r.key,
                    "score": round(r.score, 4),
                    "values": dict(r.values),
                    "against": r.against,
                }
                for r in c.reasons
            ],
        }
        for c in found
    ]
