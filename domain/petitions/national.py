"""The national record of a case (liên thông): what Thucthi sends to the national database of
citizen reception, petition processing and the handling of complaints, denunciations, proposals
and feedback (Nghị định 55/2022/NĐ-CP), and reads back from another system in the same form.

A case enters the record with its processing decision (xử lý đơn: accepted, guided, transferred,
not accepted, archived) or its withdrawal, the moments Điều 6 khoản 2 of the decree lists; every
later step of the case follows as a record of its own. Each record is one JSON object (one line of
a JSON Lines file), made here from the event and the petition's state before and after it; the
first record of a case carries the case itself (who filed it, what it says, what it is). The
schema, field by field with the decree's words: docs/lien-thong.md.

A denouncer's identity is never in a record (Luật Tố cáo 2018, Điều 9 khoản 1 điểm b and Điều 56;
the name and address of a denouncer are a state secret, Quyết định 774/QĐ-TTg): the case says its
identity is withheld, and where a text of the case names the denouncer (their name, number,
address or phone), that text goes with those words taken out, as Điều 56 khoản 2 has the
denouncer's particulars taken out of a denunciation handed to others.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Final, TypeVar

from domain.petitions.law import ArchiveGround
from domain.petitions.petition import (
    AWAITING_DECISION,
    Channel,
    Competence,
    Deadline,
    Field,
    Kind,
    Petition,
    Status,
)
from domain.shared.clock import CITY_TIMEZONE, city_date
from domain.shared.ordering import folded
from domain.shared.personal import Person

_E = TypeVar("_E", bound=StrEnum)

SCHEMA = "thucthi.lien-thong"
VERSION = 1

# Why a denouncer's identity is withheld, said in the record itself.
WITHHELD_BASIS = (
    "Luật Tố cáo 2018, Điều 9 khoản 1 điểm b và Điều 56; Quyết định 774/QĐ-TTg ngày 05/6/2020"
)
# What stands in a text where it named the denouncer.
TAKEN_OUT = "[…]"
# A shorter text than this is not taken out of others: it would take out ordinary words.
_SHORTEST_SECRET = 4


class Identity(StrEnum):
    """What a case says of who filed it."""

    GIVEN = "given"  # the petitioners' names and addresses are in the case
    WITHHELD = "withheld"  # a denouncer's, kept by the agency that holds the case
    ANONYMOUS = "anonymous"  # the petition named no one


class TargetCategory(StrEnum):
    """The kinds of body a petition is transferred to, in Điều 6 khoản 2 of the decree."""

    ELECTED = "elected"  # Quốc hội, cơ quan của Quốc hội, Hội đồng nhân dân các cấp
    ADMINISTRATIVE = "administrative"  # cơ quan hành chính nhà nước
    JUSTICE = "justice"  # cơ quan tiến hành tố tụng, thi hành án
    STATE_AUDIT = "state_audit"  # Kiểm toán nhà nước
    ORGANISATION = "organisation"  # tổ chức chính trị, chính trị - xã hội, …, tôn giáo
    PUBLIC_SERVICE = "public_service"  # đơn vị sự nghiệp công lập, doanh nghiệp nhà nước
    OTHER = "other"  # cơ quan, tổ chức, đơn vị khác


# The words that name each kind of body, accent-folded, first match wins: a body outside the
# city is named by text only, so its kind is read from its name. The first four are found
# anywhere in a name ("Cục Thi hành án dân sự", "Ủy ban Mặt trận Tổ quốc"); the last two only
# at its start, where a Vietnamese name says what the body is ("Sở Tài nguyên và Môi trường" is
# a department, though "trường" is also a school).
_CATEGORY_WORDS: tuple[tuple[TargetCategory, bool, tuple[str, ...]], ...] = (
    (TargetCategory.STATE_AUDIT, True, ("kiem toan nha nuoc",)),
    (
        TargetCategory.JUSTICE,
        True,
        ("toa an", "vien kiem sat", "thi hanh an", "cong an", "co quan dieu tra"),
    ),
    (TargetCategory.ELECTED, True, ("quoc hoi", "hoi dong nhan dan", "hdnd", "doan dai bieu")),
    (
        TargetCategory.ORGANISATION,
        True,
        (
            "mat tran to quoc",
            "cong doan",
            "hoi lien hiep",
            "hoi nong dan",
            "doan thanh nien",
            "hoi cuu chien binh",
            "giao hoi",
            "hiep hoi",
        ),
    ),
    (
        TargetCategory.PUBLIC_SERVICE,
        False,
        ("tong cong ty", "cong ty", "benh vien", "truong", "trung tam", "vien"),
    ),
    (
        TargetCategory.ADMINISTRATIVE,
        False,
        (
            "uy ban nhan dan",
            "ubnd",
            "bo",
            "so",
            "thanh tra",
            "cuc",
            "chi cuc",
            "van phong",
            "phong",
            "ban",
            "chinh phu",
            "tong cuc",
        ),
    ),
)


def target_category(name: str) -> TargetCategory:
    """The kind of body a name says it is (an agency of the city is administrative)."""
    text = " " + " ".join(folded(name).split()) + " "
    for category, anywhere, words in _CATEGORY_WORDS:
        for word in words:
            if (f" {word} " in text) if anywhere else text.startswith(f" {word} "):
                return category
    return TargetCategory.OTHER


# The events of a petition and the step each is in the record. ``Received`` has none: a case
# enters the record with its decision, which carries what was received.
STEPS: dict[type[Petition.Event], str] = {
    Petition.Classified: "classified",
    Petition.Accepted: "accepted",
    Petition.Guided: "guided",
    Petition.Transferred: "transferred",
    Petition.NotAccepted: "not_accepted",
    Petition.Archived: "archived",
    Petition.VerificationRecorded: "verified",
    Petition.DialogueHeld: "dialogue_held",
    Petition.Extended: "extended",
    Petition.Suspended: "suspended",
    Petition.Resumed: "resumed",
    Petition.Resolved: "resolved",
    Petition.ResultPublished: "result_published",
    Petition.Withdrawn: "withdrawn",
    Petition.AnsweredWithEarlier: "answered_with_earlier",
}
# The steps that bring a case into the record (xử lý đơn, Điều 6 khoản 2; a withdrawal: "đơn rút").
ENTERING: frozenset[type[Petition.Event]] = frozenset(
    {
        Petition.Accepted,
        Petition.Guided,
        Petition.Transferred,
        Petition.NotAccepted,
        Petition.Archived,
        Petition.Withdrawn,
        Petition.AnsweredWithEarlier,
    }
)


def in_record(petition: Petition | None) -> bool:
    """Whether the case is already in the national record: a decision was taken on it (it was
    transferred once, or it is past awaiting one)."""
    if petition is None:
        return False
    return bool(petition.transferred_from) or petition.status not in AWAITING_DECISION


def identity_of(petition: Petition, before: Petition | None = None) -> Identity:
    """A petition that is or may be a denunciation (mixed, or not classified) keeps its
    petitioners' identity; an anonymous one has none. A transfer within the city leaves the
    petition to be classified again by the agency that takes it on: until then it is what the
    agency that transferred it found (``before``)."""
    if petition.anonymous:
        return Identity.ANONYMOUS
    kind = petition.kind
    if kind is None and before is not None:
        kind = before.kind
    if kind in {Kind.DENUNCIATION, Kind.MIXED} or kind is None:
        return Identity.WITHHELD
    return Identity.GIVEN


# The archive grounds of a petition that does not meet the conditions for processing (Thông tư
# 05/2021/TT-TTCP, Điều 28 khoản 1 điểm a and Điều 6 khoản 2; docs/petitions-law.md); the others
# (answered or guided before, a duplicate) archive a petition that met them.
NOT_FIT: Final = frozenset({ArchiveGround.ANONYMOUS.value, ArchiveGround.UNREADABLE.value})


def can_be_processed(petition: Petition) -> bool | None:
    """Đơn đủ điều kiện xử lý: a petition is processed (accepted, guided, transferred, not
    accepted on a ground of the law, or archived as answered before or a duplicate) unless it
    is archived for want of what processing needs; unknown while no decision was taken
    (withdrawn before one)."""
    if petition.status is Status.ARCHIVED:
        return petition.ground not in NOT_FIT
    if in_record(petition) and petition.status is not Status.WITHDRAWN:
        return True
    if petition.status is Status.WITHDRAWN and (
        petition.accepted_on is not None or petition.transferred_from
    ):
        return True
    return None


# --- taking the denouncer out of a text -----------------------------------------------------------


def _fold_map(text: str) -> tuple[str, list[int]]:
    """The text folded (no accents, no case, a run of spaces as one) and, for each folded
    character, the index of the character of ``text`` it comes from."""
    chars: list[str] = []
    origin: list[int] = []
    for i, c in enumerate(text):
        if c.isspace():
            if not chars or chars[-1] != " ":  # a run of spaces reads as one
                chars.append(" ")
                origin.append(i)
            continue
        for f in folded(c):
            chars.append(f)
            origin.append(i)
    return "".join(chars), origin


def taken_out(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every occurrence of each secret (a name, a number, an address, a phone)
    replaced by ``TAKEN_OUT``: a text whatever its accents and case, a number whatever the
    spaces, dots or dashes between its digits (a phone also in its +84 form)."""
    words: set[str] = set()
    numbers: set[str] = set()
    for secret in secrets:
        digits = _SEPARATORS.sub("", secret)
        if digits.isdigit():
            if len(digits) >= _SHORTEST_SECRET:
                numbers.add(digits)
                if digits.startswith("0"):
                    numbers.add("84" + digits[1:])
        elif len(secret.strip()) >= _SHORTEST_SECRET:
            words.add(" ".join(folded(secret).split()))
    if not text or not (words or numbers):
        return text
    spans = _word_spans(text, words) + _number_spans(text, numbers)
    if not spans:
        return text
    merged: list[list[int]] = []
    for first, last in sorted(spans):
        if merged and first <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], last)
        else:
            merged.append([first, last])
    out: list[str] = []
    at = 0
    for first, last in merged:
        out.append(text[at:first])
        out.append(TAKEN_OUT)
        at = last
    out.append(text[at:])
    return "".join(out)


_SEPARATORS = re.compile(r"[\s.\-+()]")


def _word_spans(text: str, words: set[str]) -> list[tuple[int, int]]:
    """Where each word (folded) stands in ``text``, as spans of ``text``."""
    flat, origin = _fold_map(text)
    spans: list[tuple[int, int]] = []
    for word in words:
        start = flat.find(word)
        while start >= 0:
            end = start + len(word)
            # Whole words only: "Lê Thị Hà" is not in "Lê Thị Hải".
            whole = (start == 0 or not flat[start - 1].isalnum()) and (
                end == len(flat) or not flat[end].isalnum()
            )
            if whole:
                first, last = origin[start], origin[end - 1] + 1
                while last < len(text) and unicodedata.combining(text[last]):
                    last += 1
                spans.append((first, last))
            start = flat.find(word, start + 1)
    return spans


def _number_spans(text: str, numbers: set[str]) -> list[tuple[int, int]]:
    """Where each number stands in ``text``, separators between its digits allowed, and not
    inside a longer number."""
    spans: list[tuple[int, int]] = []
    for digits in numbers:
        pattern = r"[\s.\-]?".join(re.escape(d) for d in digits)
        for found in re.finditer(rf"(?<![\d+])\+?{pattern}(?!\d)", text):
            spans.append(found.span())
    return spans


def secrets_of(persons: Iterable[Person | None]) -> tuple[str, ...]:
    """What of each person is taken out of a text: name, number, address (and its house and
    street alone), phone."""
    found: list[str] = []
    for person in persons:
        if person is None:
            continue
        found.extend(
            value
            for value in (person.full_name, person.id_number, person.address, person.phone)
            if value
        )
        # The house and street alone, as a text may write the rest of the address otherwise.
        street = person.address.split(",")[0].strip()
        if any(c.isdigit() for c in street) and any(c.isalpha() for c in street):
            found.append(street)
    return tuple(found)


# --- the records ---------------------------------------------------------------------------------


def moment_text(moment: datetime) -> str:
    """A moment in city time, ISO 8601 with its offset (as Nghị định 30/2020 writes a signing
    time)."""
    return moment.astimezone(CITY_TIMEZONE).isoformat(timespec="seconds")


def _term(term: Deadline | None) -> dict[str, Any] | None:
    if term is None:
        return None
    return {
        "start": term.start.isoformat(),
        "days": term.days,
        "working_days": term.working,
        "terms": [str(t) for t in term.terms],
    }


@dataclass(frozen=True, slots=True)
class Context:
    """What a record needs besides the events: the system it comes from, the names of its
    agencies, and the persons who filed the case (opened from the vault; None for an erased one,
    and only for a case whose petitioners the record may name or a denouncer to take out)."""

    source: str
    agency_name: Callable[[str], str]
    persons: Sequence[Person | None] = ()


def transfer_target(petition: Petition, names: Callable[[str], str]) -> dict[str, Any] | None:
    """Where the case was transferred, if it was: an agency of the city (which holds it now) or
    a body outside the system."""
    if petition.status is Status.TRANSFERRED:
        body = petition.competent_body
        return {"agency": None, "name": body, "category": target_category(body).value}
    if petition.transferred_from:
        return {
            "agency": petition.agency,
            "name": names(petition.agency),
            "category": TargetCategory.ADMINISTRATIVE.value,
        }
    return None


def state_of(petition: Petition, names: Callable[[str], str]) -> dict[str, Any]:
    """What the decree keeps of a case as it stands after a step."""
    result = None
    if petition.verdict is not None:
        result = {
            "verdict": petition.verdict.value,
            "decision_reference": petition.decision_reference,
            "resolved_on": _day(petition.resolved_on),
            "published_on": _day(petition.published_on),
        }
    return {
        "status": petition.status.value,
        "agency": petition.agency,
        "agency_name": names(petition.agency),
        "kind": _value(petition.kind),
        "field": _value(petition.field),
        "competence": _value(petition.competence),
        "can_be_processed": can_be_processed(petition),
        "transfer_target": transfer_target(petition, names),
        "ground": petition.ground,
        "handling_term": _term(petition.handling_term()),
        "extensions": petition.extensions,
        "suspended_since": _day(petition.suspended_since),
        "suspended_days": petition.suspended_days,
        "result": result,
        "closed_on": _day(petition.closed_on),
    }


def _value(member: StrEnum | None) -> str | None:
    return None if member is None else member.value


def _day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def case_of(
    petition: Petition,
    before: Petition | None,
    context: Context,
    clean: Callable[[str], str],
) -> dict[str, Any]:
    """The case as it entered the record: who filed it (or why they are not named), what it
    says, what it is."""
    identity = identity_of(petition, before)
    petitioners: list[dict[str, Any]] | None = None
    if identity is Identity.GIVEN:
        petitioners = [
            {"erased": True}
            if person is None
            else {"full_name": person.full_name, "address": person.address}
            for person in context.persons
        ]
    follows = None
    if petition.follows_receipt is not None:
        follows = {
            "case_id": petition.follows_receipt,
            "relation": _value(petition.relation),
        }
    return {
        "received_on": petition.received_on.isoformat(),
        "received_by": petition.received_by,
        "received_by_name": context.agency_name(petition.received_by),
        "channel": (before or petition).channel.value,
        "identity": identity.value,
        "identity_basis": WITHHELD_BASIS if identity is Identity.WITHHELD else None,
        "petitioners": petitioners,
        "signers": petition.signers,
        "many_signers": petition.many_signers,
        "content": clean(petition.content),
        "subject": clean(petition.subject),
        "attachments": list(petition.attachments),
        "decision_known_on": _day(petition.decision_known_on),
        "follows": follows,
    }


def _detail(  # noqa: PLR0911 - one answer per kind of step reads best as one list
    event: Petition.Event, after: Petition, clean: Callable[[str], str]
) -> dict[str, Any]:
    """What the step itself says."""
    if isinstance(event, Petition.Classified):
        return {
            "kind": event.kind.value,
            "field": event.field.value,
            "competence": event.competence.value,
            "several_places": event.several_places,
            "competent_body": event.competent_body,
        }
    if isinstance(event, Petition.Accepted):
        return {"accepted_on": _day(after.accepted_on), "note": clean(event.note)}
    if isinstance(event, Petition.Guided):
        return {"body": event.body, "note": clean(event.note)}
    if isinstance(event, Petition.Transferred):
        return {"note": clean(event.note)}
    if isinstance(event, Petition.NotAccepted | Petition.Archived):
        return {"ground": event.ground.value, "note": clean(event.note)}
    if isinstance(event, Petition.VerificationRecorded):
        return {"summary": clean(event.summary), "attachments": list(event.attachments)}
    if isinstance(event, Petition.DialogueHeld):
        return {"held_on": event.held_on.isoformat(), "summary": clean(event.summary)}
    if isinstance(event, Petition.Extended | Petition.Suspended):
        return {"reason": clean(event.reason)}
    if isinstance(event, Petition.Resumed):
        return {"note": clean(event.note)}
    if isinstance(event, Petition.Resolved):
        return {
            "verdict": event.verdict.value,
            "summary": clean(event.summary),
            "decision_reference": event.decision_reference,
            "attachments": list(event.attachments),
        }
    if isinstance(event, Petition.Withdrawn):
        return {"reason": clean(event.reason)}
    if isinstance(event, Petition.AnsweredWithEarlier):
        return {
            "status": Status(event.status).value,
            "ground": event.ground,
            "earlier": event.earlier,
            "note": clean(event.note),
        }
    return {}


def recorded(event: Petition.Event, before: Petition | None) -> bool:
    """Whether the event is a step of the national record: a case enters it with its decision,
    and every later step follows."""
    if type(event) not in STEPS:
        return False
    return in_record(before) or type(event) in ENTERING


def needs_persons(event: Petition.Event, before: Petition | None, after: Petition) -> bool:
    """Whether the record of this event needs the petitioners opened: to name them in the case
    as it enters the record, or to take a denouncer's particulars out of its texts."""
    identity = identity_of(after, before)
    if identity is Identity.WITHHELD:
        return bool(after.petitioners)
    return identity is Identity.GIVEN and not in_record(before)


def record_of(
    position: int,
    event: Petition.Event,
    before: Petition | None,
    after: Petition,
    context: Context,
) -> dict[str, Any] | None:
    """The record of one event of a petition, or None when the event is not one of the record:
    before its decision a case is not in it (its receipt and classification come with the
    decision, in ``case``)."""
    if not recorded(event, before):
        return None
    step = STEPS[type(event)]
    entering = not in_record(before)
    withheld = identity_of(after, before) is Identity.WITHHELD
    secrets = secrets_of(context.persons) if withheld else ()

    def clean(text: str) -> str:
        return taken_out(text, secrets) if secrets else text

    record: dict[str, Any] = {
        "schema": SCHEMA,
        "version": VERSION,
        "type": "step",
        "position": position,
        "source": context.source,
        "case_id": after.receipt,
        "case_version": event.originator_version,
        "step": step,
        "at": moment_text(event.timestamp),
        "on": city_date(event.timestamp).isoformat(),
        "agency": after.agency if before is None else before.agency,
        "by_role": event.actor.role.value,
        "detail": _detail(event, after, clean),
        "state": state_of(after, context.agency_name),
    }
    if entering:
        record["case"] = case_of(after, before, context, clean)
    return record


def batch_header(
    *,
    source: str,
    after: int,
    through: int,
    covered_through: int,
    more: bool,
    records: int,
    exported_at: datetime,
    checkpoint: Mapping[str, Any] | None,
) -> dict[str, Any]:
    """The first line of a batch: where it starts and ends in the log, and the signed checkpoint
    that covers every record in it."""
    return {
        "schema": SCHEMA,
        "version": VERSION,
        "type": "batch",
        "source": source,
        "after": after,
        "through": through,
        "next_after": through,
        "covered_through": covered_through,
        "more": more,
        "records": records,
        "exported_at": moment_text(exported_at),
        "checkpoint": None if checkpoint is None else dict(checkpoint),
    }


# --- reading records back (the import) --------------------------------------------------------


class RecordError(ValueError):
    """A line is not a record of this schema."""


@dataclass(frozen=True, slots=True)
class InboundCase:
    """A case another system sent, as the import takes it: its first record's ``case`` and
    where its latest transfer sent it."""

    source: str
    case_id: str
    received_on: date
    channel: Channel
    identity: Identity
    petitioners: tuple[Person | None, ...]
    signers: int
    content: str
    subject: str
    attachments: tuple[str, ...]
    decision_known_on: date | None
    kind: Kind | None
    field: Field | None
    competence: Competence | None
    transferred_to: str | None  # the agency code its latest transfer named, if any
    transferred_to_name: str  # that body's name


def read_record(line: bytes | str, loads: Callable[[bytes | str], Any]) -> dict[str, Any] | None:
    """One line as a record of this schema (None for an empty line); RecordError if it is not."""
    if not line.strip():
        return None
    try:
        record = loads(line)
    except ValueError as e:
        msg = f"not JSON: {e}"
        raise RecordError(msg) from None
    if not isinstance(record, dict) or record.get("schema") != SCHEMA:
        msg = f"not a record of {SCHEMA}"
        raise RecordError(msg)
    version = record.get("version")
    if not isinstance(version, int) or version > VERSION or version < 1:
        msg = f"schema version {version!r}: this system reads version {VERSION}"
        raise RecordError(msg)
    if record.get("type") not in {"batch", "step"}:
        msg = f"record type {record.get('type')!r} is neither batch nor step"
        raise RecordError(msg)
    return record


def inbound_cases(records: Iterable[Mapping[str, Any]]) -> tuple[list[InboundCase], list[str]]:
    """The cases the step records describe, in the order they first appear, and what could not
    be read (a case with no first record in the file, a field of the wrong form)."""
    firsts: dict[tuple[str, str], Mapping[str, Any]] = {}
    targets: dict[tuple[str, str], tuple[str | None, str]] = {}
    states: dict[tuple[str, str], Mapping[str, Any]] = {}
    order: list[tuple[str, str]] = []
    for record in records:
        if record.get("type") != "step":
            continue
        key = (str(record.get("source")), str(record.get("case_id")))
        if key not in states:
            order.append(key)
        states[key] = record.get("state") or {}
        if isinstance(record.get("case"), Mapping) and key not in firsts:
            firsts[key] = record
        target = (record.get("state") or {}).get("transfer_target")
        if record.get("step") == "transferred" and isinstance(target, Mapping):
            agency = target.get("agency")
            targets[key] = (agency if isinstance(agency, str) else None, str(target.get("name")))
    cases: list[InboundCase] = []
    problems: list[str] = []
    for key in order:
        first = firsts.get(key)
        if first is None:
            problems.append(f"{key[0]} {key[1]}: the file holds no first record of the case")
            continue
        try:
            cases.append(_inbound(key, first["case"], states[key], targets.get(key)))
        except (KeyError, TypeError, ValueError) as e:
            problems.append(f"{key[0]} {key[1]}: {e}")
    return cases, problems


def _inbound(
    key: tuple[str, str],
    case: Mapping[str, Any],
    state: Mapping[str, Any],
    target: tuple[str | None, str] | None,
) -> InboundCase:
    identity = Identity(case["identity"])
    petitioners: tuple[Person | None, ...] = ()
    if identity is Identity.GIVEN:
        petitioners = tuple(
            None
            if entry.get("erased")
            else Person(full_name=str(entry["full_name"]), address=str(entry.get("address", "")))
            for entry in case["petitioners"]
        )
    known = case.get("decision_known_on")
    return InboundCase(
        source=key[0],
        case_id=key[1],
        received_on=date.fromisoformat(case["received_on"]),
        channel=Channel(case["channel"]),
        identity=identity,
        petitioners=petitioners,
        signers=int(case["signers"]),
        content=str(case["content"]),
        subject=str(case.get("subject") or ""),
        attachments=tuple(str(a) for a in case.get("attachments") or ()),
        decision_known_on=None if known is None else date.fromisoformat(known),
        kind=_member(Kind, state.get("kind")),
        field=_member(Field, state.get("field")),
        competence=_member(Competence, state.get("competence")),
        transferred_to=None if target is None else target[0],
        transferred_to_name="" if target is None else target[1],
    )


def _member(enum: type[_E], value: object) -> _E | None:
    return None if value is None else enum(str(value))
