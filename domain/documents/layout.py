"""What an administrative document says, part by part, in the order of the form of Nghị định
30/2020/NĐ-CP, Phụ lục I (docs/documents.md): the national title and motto, the issuing body,
its number and symbol, the place and date, the kind and abstract (trích yếu), the content, the
recipients (nơi nhận) and the signer, with the space where the signature goes.

These are plain values, every word already in the document's language: the caller (the API,
which holds the words of both languages) fills them, and an adapter behind ``DocumentRenderer``
typesets them. Nothing here knows a PDF library.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol


class Style(StrEnum):
    """How a paragraph of the content is set."""

    BODY = "body"  # justified, its first line indented (Phụ lục I, II.6)
    HEADING = "heading"  # a part's heading: bold, flush left ("I. Số liệu …")
    PLAIN = "plain"  # flush left, no indent (a line of a list, a note)
    NOTE = "note"  # smaller, flush left: where the figures came from, a foot note


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    style: Style = Style.BODY


@dataclass(frozen=True, slots=True)
class Facts:
    """Labelled particulars, one a line ("Mã biên nhận: 2026-K7M3Q9XD"), as a form lists them."""

    rows: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Table:
    """A table of the content: its header row, its rows, each column's share of the text's
    width, and which columns hold numbers (set flush right)."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    numeric: tuple[bool, ...] = ()
    total: tuple[str, ...] | None = None  # a last row in bold (the whole city's figures)


Block = Paragraph | Facts | Table


@dataclass(frozen=True, slots=True)
class Signature:
    """A signature block (Phụ lục I, II.7): the authority the signer signs under ("TM. ỦY BAN
    NHÂN DÂN", "KT. CHỦ TỊCH"), their position ("PHÓ CHỦ TỊCH"), then the space where the
    signature goes, then their name; ``hint`` is what a form signed on paper asks there ("(Ký,
    ghi rõ họ tên)"). An empty name is written by hand."""

    position: str
    name: str = ""
    authority: tuple[str, ...] = ()
    hint: str = ""


@dataclass(frozen=True, slots=True)
class QrCode:
    """A QR code holding ``url`` (the public look-up), with the caption printed under it."""

    url: str
    caption: str = ""


@dataclass(frozen=True, slots=True)
class DocumentContent:
    """One document, every part in its language (``language``: "vi" or "en").

    ``kind`` is the name of its kind in capitals ("CHỈ THỊ", "BÁO CÁO"), with ``abstract``
    beneath it; a letter (công văn) has no kind, and its abstract ("V/v …") stands under its
    number. ``addressees`` are the letter's "Kính gửi" lines. ``counter_signature`` is a second
    signature block on the left, where a form is signed by two (a receipt: the petitioner and
    the officer); otherwise the recipients stand there. ``signature`` is the issuer's, on the
    right: where the document is signed.
    """

    language: str
    nation: str
    motto: str
    issuer: tuple[str, ...]  # the issuing body's name, line by line (bold)
    number: str  # "Số: 1234/UBND-VX"
    place_date: str  # "Thành phố Hồ Chí Minh, ngày 07 tháng 02 năm 2026"
    abstract: str
    signature: Signature
    title: str  # the file's title (its metadata)
    created: datetime  # the file's date (its metadata): the document's, so it renders alike
    parent: tuple[str, ...] = ()  # the body it reports to, above it (not bold)
    kind: str = ""
    urgency: str = ""  # "KHẨN", "THƯỢNG KHẨN", "HỎA TỐC": under the number, in bold
    addressees_label: str = ""
    addressees: tuple[str, ...] = ()
    body: tuple[Block, ...] = ()
    recipients_label: str = ""
    recipients: tuple[str, ...] = ()
    counter_signature: Signature | None = None
    qr: QrCode | None = None
    author: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = field(default=())

    def texts(self) -> tuple[str, ...]:
        """Every text of the document in reading order, as typeset (the tests read the file
        back against it)."""
        parts: list[str] = [*self.parent, *self.issuer, self.number]
        if not self.kind:
            parts.append(self.abstract)  # a letter's "V/v …", under its number
        parts.append(self.urgency)
        parts += [self.nation, self.motto, self.place_date]
        if self.kind:
            parts += [self.kind, self.abstract]
        parts += [self.addressees_label, *self.addressees]
        for block in self.body:
            parts += block_texts(block)
        if self.counter_signature is not None:
            parts += signature_texts(self.counter_signature)
        parts += [self.recipients_label, *self.recipients]
        parts += signature_texts(self.signature)
        if self.qr is not None:
            parts.append(self.qr.caption)
        return tuple(p for p in parts if p)


def block_texts(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [block.text]
    if isinstance(block, Facts):
        return [t for row in block.rows for t in row]
    return [*block.header, *(c for row in block.rows for c in row), *(block.total or ())]


def signature_texts(s: Signature) -> list[str]:
    return [*s.authority, s.position, s.hint, s.name]


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle on a page of the file, in PDF points from the page's lower left corner
    (page 0 is the first)."""

    page: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True, slots=True)
class RenderedDocument:
    """The typeset file, and where on it the issuer's signature goes (between the signer's
    position and name, Phụ lục I, II.7): the box a visible signature is placed in."""

    pdf: bytes
    pages: int
    signature_box: Box
    qr_box: Box | None = None


class DocumentRenderer(Protocol):
    """Typesets a document: A4, the form's fonts embedded, the same bytes for the same
    content (``adapters.pdf``)."""

    def render(self, content: DocumentContent) -> RenderedDocument: ...


def normalised(text: str) -> str:
    """A text as the document sets it: NFC, so that every Vietnamese letter is one precomposed
    character the font has (ạ, not a + combining dot below), which a reader copies back as
    typed."""
    return unicodedata.normalize("NFC", text)


def leading_zero(n: int, *, month: bool) -> str:
    """A day or month of the place and date as the form writes it (Phụ lục I, II.4): a day
    below 10, and the months 1 and 2, take a leading zero."""
    return f"{n:02d}" if (n <= 2 if month else n < 10) else str(n)
