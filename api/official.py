"""The documents the API and the pages hand out as PDFs, filled in the form of Nghị định
30/2020/NĐ-CP (``domain.documents.layout``; docs/documents.md): a directive as it was issued,
a petition's receipt, the result of a petition (a complaint decision, a denunciation's
conclusion, an answer) and the Office's periodic report. Every word comes from
``api.web.i18n``, in the language asked; the renderer (``adapters.pdf``) typesets them.

A document is made from what the log recorded, so the same document comes out the same:
a directive from its version 1 (its issue), the result from its ``Resolved`` event, each dated
by the event that made it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import quote

import falcon

from api.web.formats import day as day_said
from api.web.i18n import Language, message, term
from domain.accounts.account import UserAccount
from domain.directives.directive import Directive, Urgency
from domain.documents.forms import Seat, kind_of, seat_of
from domain.documents.layout import (
    Block,
    DocumentContent,
    Facts,
    Paragraph,
    QrCode,
    RenderedDocument,
    Signature,
    Style,
    Table,
    leading_zero,
)
from domain.petitions.lookup import PublicStatus
from domain.petitions.petition import Kind, Petition
from domain.shared.clock import CITY_TIMEZONE
from domain.shared.personal import Person
from domain.units.registry import UnitRegistry

# English month names for the place and date (the reader's language; Babel writes the others).
MONTHS_EN = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
PDF = "application/pdf"


def place_and_date(lang: Language, on: date) -> str:
    """ "Thành phố Hồ Chí Minh, ngày 07 tháng 02 năm 2026" / "Ho Chi Minh City, February 7,
    2026" (Phụ lục I, II.4: a day below 10 and the months 1 and 2 with a leading zero)."""
    if lang == "en":
        return message(
            lang, "report.place_date", day=str(on.day), month=MONTHS_EN[on.month - 1],
            year=str(on.year),
        )  # fmt: skip
    return message(
        lang,
        "report.place_date",
        day=leading_zero(on.day, month=False),
        month=leading_zero(on.month, month=True),
        year=str(on.year),
    )


def lines(text: str) -> tuple[str, ...]:
    return tuple(line for line in text.split("\n") if line.strip())


def paragraphs(text: str) -> tuple[Paragraph, ...]:
    """A text as the content's paragraphs: each of its non-empty lines one."""
    return tuple(Paragraph(line.strip()) for line in text.splitlines() if line.strip())


def capitals(text: str) -> str:
    return text.upper()


COMMITTEE = "ỦY BAN NHÂN DÂN"


def named(name: str) -> tuple[str, ...]:
    """A body's name as the heading's lines: "ỦY BAN NHÂN DÂN" / "THÀNH PHỐ HỒ CHÍ MINH"."""
    said = capitals(name)
    if said.startswith(COMMITTEE + " "):
        return COMMITTEE, said.removeprefix(COMMITTEE).strip()
    return (said,)


def city_moment(moment: datetime) -> datetime:
    return moment.astimezone(CITY_TIMEZONE)


def signature_of(lang: Language, account: UserAccount | None, fallback: str) -> Signature:
    """The signer's block (Phụ lục I, II.7) from their account's title and name: on behalf of a
    People's Committee (TM.), for the head (KT.), then the position; a title the form has no
    rule for stands as it is, in capitals."""
    if account is None:  # a signer named in words, or an account since gone: the name only
        return Signature(position="", name=fallback)
    seat: Seat = seat_of(account.title)
    if seat.position is None:
        position = capitals(seat.title) if seat.title else ""
        return Signature(position=position, name=account.display_name)
    authority: list[str] = []
    if seat.collective:
        authority.append(message(lang, "doc.authority.committee"))
    if seat.for_head is not None:
        head = message(lang, f"doc.position.{seat.for_head.value}")
        authority.append(message(lang, "doc.authority.for", head=head))
    return Signature(
        position=message(lang, f"doc.position.{seat.position.value}"),
        name=account.display_name,
        authority=tuple(authority),
    )


def listed(items: Sequence[str]) -> tuple[str, ...]:
    """Lines of a list as the form ends them: "- …;" and the last "- ….\""""
    return tuple(f"- {item}{'.' if i == len(items) - 1 else ';'}" for i, item in enumerate(items))


@dataclass(frozen=True, slots=True)
class Names:
    """Units by name, in the document's language, and the body a unit reports to."""

    registry: UnitRegistry
    lang: Language

    def of(self, code: str) -> str:
        unit = self.registry.units.get(code)
        if unit is None:
            return code
        return unit.name_vi if self.lang == "vi" else unit.name_en

    def heading(self, code: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The issuing body's lines for a unit (Phụ lục I, II.2): the body above it, then the
        unit, in capitals; a People's Committee's name breaks after "ỦY BAN NHÂN DÂN", as the
        city's documents write it."""
        unit = self.registry.units.get(code)
        parent = () if unit is None or unit.parent is None else named(self.of(unit.parent))
        return parent, named(self.of(code))


def directive_content(
    issued: Directive,
    *,
    lang: Language,
    registry: UnitRegistry,
    signer: UserAccount | None,
    issued_at: datetime,
    qr_url: str | None = None,
    revision: Revision | None = None,
) -> DocumentContent:
    """A directive as it was issued (its version 1): the committee's letter (công văn) or the
    kind its symbol names (Phụ lục III), its content, whom it assigns and by when, signed by
    its issuer; with a ``revision``, a later version of its document (an amendment or a
    replacement), dated that day, saying so first, with the text it gives."""
    names = Names(registry, lang)
    abbreviation = kind_of(issued.reference)
    kind = message(lang, f"doc.kind.{abbreviation}") if abbreviation else ""
    lead = names.of(issued.lead_unit)
    coordinating = [names.of(c) for c in issued.coordinating_units]
    title, text, dated = issued.title, issued.content, issued.issued_on
    body: list[Block] = []
    if revision is not None:
        title = revision.title or title
        text = revision.content or text
        dated = city_moment(issued_at).date()
        said = message(
            lang,
            f"doc.revision.{revision.change}",
            version=revision.version,
            reason=revision.reason,
        )
        body.append(Paragraph(said))
    body.extend(paragraphs(text))
    if coordinating:
        body.append(
            Paragraph(
                message(lang, "doc.assignment.with", lead=lead, units=", ".join(coordinating))
            )
        )
    else:
        body.append(Paragraph(message(lang, "doc.assignment", lead=lead)))
    if issued.deadline is not None:
        body.append(Paragraph(message(lang, "doc.deadline", day=day_said(issued.deadline, lang))))
    else:
        body.append(Paragraph(message(lang, "doc.no_deadline")))
    units = [lead, *coordinating]
    recipients = ([message(lang, "doc.recipients.as_above")] if not kind else units) + [
        message(lang, "doc.recipients.leaders"),
        message(lang, "doc.recipients.archive"),
    ]
    return DocumentContent(
        language=lang,
        nation=message(lang, "report.nation"),
        motto=message(lang, "report.motto"),
        issuer=lines(message(lang, "report.parent")),
        number=message(lang, "report.number", number=issued.reference),
        place_date=place_and_date(lang, dated),
        kind=kind,
        abstract=title if kind else message(lang, "doc.letter.abstract", title=title),
        urgency=(
            ""
            if issued.urgency is Urgency.NORMAL
            else message(lang, f"doc.urgency.{issued.urgency}")
        ),
        addressees_label=message(lang, "doc.addressees") if not kind else "",
        addressees=listed(units) if not kind else (),
        body=tuple(body),
        recipients_label=message(lang, "report.recipients"),
        recipients=listed_recipients(recipients),
        signature=signature_of(lang, signer, issued.issuer),
        qr=None if qr_url is None else QrCode(qr_url, message(lang, "doc.qr.caption", url=qr_url)),
        title=f"{issued.reference}: {title}",
        subject=title,
        author=names.of("UBND-TP") if "UBND-TP" in registry.units else "",
        keywords=(issued.reference,),
        created=city_moment(issued_at),
    )


@dataclass(frozen=True, slots=True)
class Revision:
    """A later version of a directive's document: how it came to be (``amended``: đính chính,
    ``replaced``: thay thế), its number, why, and the title and content it gives (empty: the
    issued ones)."""

    change: str
    version: int
    reason: str
    title: str = ""
    content: str = ""


def listed_recipients(items: Sequence[str]) -> tuple[str, ...]:
    """The recipients' lines: "- …;" each, the archive's last with its full stop (the words
    already carry it)."""
    return tuple(item if item.startswith("- ") else f"- {item};" for item in items)


def receipt_content(
    petition: Petition,
    *,
    lang: Language,
    registry: UnitRegistry,
    people: Sequence[Person | None],
    pin: str | None,
    found: PublicStatus,
    term_words: str,
    lookup_address: str,
    qr_url: str,
) -> DocumentContent:
    """A petition's receipt (giấy biên nhận), as the printable page carries it
    (docs/petitions-public.md): the agency, the code, the day, how it came, the petitioners'
    names only, the subject, the documents, the term, the look-up and its QR code, and the
    two signatures."""
    names = Names(registry, lang)
    parent, issuer = names.heading(petition.agency)
    if petition.anonymous:
        who = message(lang, "receipt.anonymous")
    else:
        who = "; ".join(p.full_name if p else message(lang, "receipt.erased") for p in people)
    rows = [
        (message(lang, "receipt.agency"), names.of(petition.agency)),
        (message(lang, "receipt.code"), petition.receipt),
        (message(lang, "receipt.received_on"), day_said(petition.arrived_on, lang)),
        (message(lang, "receipt.channel"), message(lang, f"receipt.channel.{petition.channel}")),
        (message(lang, "receipt.petitioners"), who),
    ]
    if not petition.anonymous:
        rows.append((message(lang, "receipt.signers"), str(petition.signers)))
    subject = petition.subject[:200] + ("…" if len(petition.subject) > 200 else "")
    rows.append(
        (message(lang, "receipt.subject"), subject or message(lang, "receipt.subject.none"))
    )
    documents = (
        message(lang, "receipt.documents.count", n=len(petition.attachments))
        if petition.attachments
        else message(lang, "receipt.documents.none")
    )
    rows.append((message(lang, "receipt.documents"), documents))
    if found.deadline is not None:
        due = message(lang, "receipt.term.due", day=day_said(found.deadline, lang), term=term_words)
    else:
        due = message(
            lang,
            "receipt.term.closed",
            status=term(lang, "petition.status", petition.status.value),
        )
    rows.append((message(lang, "receipt.term"), due))
    body: list[Block] = [
        Facts(tuple(rows)),
        Paragraph(message(lang, "receipt.lookup"), Style.HEADING),
    ]
    if pin:
        body.append(Paragraph(message(lang, "receipt.lookup.how_pin", url=lookup_address)))
        body.append(Paragraph(f"{message(lang, 'receipt.pin')}: {pin}", Style.HEADING))
    else:
        body.append(Paragraph(message(lang, "receipt.lookup.how", url=lookup_address)))
    hint = message(lang, "receipt.sign")
    return DocumentContent(
        language=lang,
        nation=message(lang, "receipt.nation"),
        motto=message(lang, "receipt.motto"),
        parent=parent,
        issuer=issuer,
        number=message(lang, "report.number", number=petition.receipt),
        place_date=place_and_date(lang, petition.arrived_on),
        kind=message(lang, "receipt.heading"),
        abstract=message(lang, "receipt.subheading"),
        body=tuple(body),
        counter_signature=Signature(capitals(message(lang, "receipt.petitioner")), hint=hint),
        signature=Signature(capitals(message(lang, "receipt.receiver")), hint=hint),
        qr=QrCode(qr_url, message(lang, "doc.qr.lookup", url=qr_url)),
        title=message(lang, "receipt.title", code=petition.receipt),
        author=names.of(petition.agency),
        keywords=(petition.receipt,),
        created=city_moment(petition.created_on),
    )


# The form of a petition's result, by its kind: a complaint is decided (Quyết định giải quyết
# khiếu nại), a denunciation concluded (Kết luận nội dung tố cáo), the rest answered by a letter.
RESULT_FORMS: dict[Kind | None, str] = {
    Kind.COMPLAINT: "complaint",
    Kind.DENUNCIATION: "denunciation",
    Kind.PROPOSAL: "answer",
    Kind.MIXED: "answer",
    None: "answer",
}


def result_content(
    petition: Petition,
    *,
    lang: Language,
    registry: UnitRegistry,
    signer: UserAccount | None,
    resolved_at: datetime,
    qr_url: str | None = None,
) -> DocumentContent:
    """The result of a petition as its head signed it: the decision on a complaint, the
    conclusion on a denunciation, or the answer to a proposal. It names no person: the petition
    by its receipt code (a denouncer's identity is confidential, Luật Tố cáo 2018, Điều 47, and
    a filed document keeps no one's personal data)."""
    names = Names(registry, lang)
    parent, issuer = names.heading(petition.agency)
    form = RESULT_FORMS[petition.kind]
    kind = "" if form == "answer" else message(lang, f"doc.result.{form}.kind")
    abstract = message(lang, f"doc.result.{form}.abstract", receipt=petition.receipt)
    verdict = term(lang, "petition.verdict", petition.verdict.value) if petition.verdict else ""
    rows = [
        (message(lang, "receipt.code"), petition.receipt),
        (message(lang, "receipt.received_on"), day_said(petition.received_on, lang)),
        (message(lang, "doc.result.kind"), term(lang, "petition.kind", str(petition.kind))),
        (message(lang, "field.verdict"), verdict),
    ]
    if petition.subject:
        rows.insert(2, (message(lang, "receipt.subject"), petition.subject))
    reference = petition.decision_reference or "\u00a0" * 6 + "/"
    return DocumentContent(
        language=lang,
        nation=message(lang, "report.nation"),
        motto=message(lang, "report.motto"),
        parent=parent,
        issuer=issuer,
        number=message(lang, "report.number", number=reference),
        place_date=place_and_date(lang, petition.resolved_on or city_moment(resolved_at).date()),
        kind=kind,
        abstract=abstract,
        body=(Facts(tuple(rows)), *paragraphs(petition.result)),
        recipients_label=message(lang, "report.recipients"),
        recipients=(
            message(lang, f"doc.result.{form}.to"),
            message(lang, "doc.recipients.archive"),
        ),
        signature=signature_of(lang, signer, ""),
        qr=None if qr_url is None else QrCode(qr_url, message(lang, "doc.qr.lookup", url=qr_url)),
        title=f"{petition.decision_reference or petition.receipt}: {abstract}",
        author=names.of(petition.agency),
        keywords=(
            petition.receipt,
            *((petition.decision_reference,) if petition.decision_reference else ()),
        ),
        created=city_moment(resolved_at),
    )


@dataclass(frozen=True, slots=True)
class ReportRow:
    name: str
    cells: tuple[str, ...]


def report_content(
    *,
    lang: Language,
    number: str,
    place_date: str,
    subject: str,
    intro: str,
    figures_header: tuple[str, ...],
    figures: Sequence[ReportRow],
    total: tuple[str, ...],
    late_title: str,
    late_said: str,
    late_header: tuple[str, ...],
    late: Sequence[tuple[str, ...]],
    source: str,
    created: datetime,
    signature: Signature | None = None,
    qr_url: str | None = None,
) -> DocumentContent:
    """The Office's periodic report (docs/reports.md) in the same form: its figures per lead
    unit and the overdue list as tables, where the figures came from as a note. Issued
    (``api.report_filing``), it is signed by ``signature``'s signer and carries the QR code of
    its page, ``qr_url``; as a draft, the chief's title stands over a space to sign by hand."""
    figures_rows = tuple((str(i), r.name, *r.cells) for i, r in enumerate(figures, 1))
    body: list[Block] = [
        Paragraph(intro),
        Paragraph(message(lang, "report.figures"), Style.HEADING),
        Table(
            header=figures_header,
            rows=figures_rows,
            widths=(0.06, 0.30, 0.09, 0.09, 0.09, 0.09, 0.09, 0.08, 0.11),
            numeric=(True, False, True, True, True, True, True, True, True),
            total=total,
        ),
        Paragraph(late_title, Style.HEADING),
        Paragraph(late_said, Style.PLAIN),
    ]
    if late:
        body.append(
            Table(
                header=late_header,
                rows=tuple(late),
                widths=(0.06, 0.16, 0.30, 0.20, 0.12, 0.08, 0.08),
                numeric=(True, False, False, False, False, True, True),
            )
        )
    body.append(Paragraph(source, Style.NOTE))
    return DocumentContent(
        language=lang,
        nation=message(lang, "report.nation"),
        motto=message(lang, "report.motto"),
        parent=lines(message(lang, "report.parent")),
        issuer=(message(lang, "report.issuer"),),
        number=message(lang, "report.number", number=number or "\u00a0" * 6 + "/BC-VP"),
        place_date=place_date,
        kind=message(lang, "report.kind"),
        abstract=subject,
        body=tuple(body),
        recipients_label=message(lang, "report.recipients"),
        recipients=lines(message(lang, "report.recipients.list")),
        signature=signature or Signature(message(lang, "report.signer_title")),
        qr=None if qr_url is None else QrCode(qr_url, message(lang, "doc.qr.caption", url=qr_url)),
        title=f"{message(lang, 'report.kind')}: {subject}",
        created=created,
    )


def send_pdf(resp: falcon.Response, rendered: RenderedDocument, filename: str) -> None:
    """The file, named for saving (``Content-Disposition``, RFC 6266 with its UTF-8 name)."""
    send_bytes(resp, rendered.pdf, filename)


def send_bytes(resp: falcon.Response, pdf: bytes, filename: str) -> None:
    """A PDF's bytes as they are (a filed, signed file), named for saving."""
    resp.content_type = PDF
    resp.data = pdf
    plain = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in filename)
    resp.set_header(
        "Content-Disposition",
        f"inline; filename=\"{plain}\"; filename*=UTF-8''{quote(filename, safe='')}",
    )


def file_name(reference: str, suffix: str = "") -> str:
    """A document's file name from its number: "1234-UBND-VX.pdf"."""
    return reference.replace("/", "-") + suffix + ".pdf"
