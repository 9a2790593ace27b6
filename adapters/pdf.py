"""Typesets a ``DocumentContent`` as a PDF with ReportLab, in the form of Nghị định
30/2020/NĐ-CP, Phụ lục I: A4, the margins, the sizes and styles of each part, and Liberation
Serif, metrically compatible with the Times New Roman the decree names, embedded from Debian's
``fonts-liberation2`` (docs/documents.md says why this library and this font, with the figures).

The same content gives the same bytes: the file's date is the document's and its identifier is
derived from its content, so a document rendered again can be checked against a kept copy. Where
the issuer's signature goes is measured while the page is laid out and returned with the file.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any, Literal
from xml.sax.saxutils import escape

import segno
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import Paragraph as Para

from domain.documents.layout import (
    Block,
    Box,
    DocumentContent,
    Facts,
    Paragraph,
    QrCode,
    RenderedDocument,
    Signature,
    Style,
    normalised,
)
from domain.documents.layout import Table as TableBlock

# Debian's fonts-liberation2 (the Makefile installs it): Liberation Serif 2, whose glyphs have
# the advance widths of Times New Roman's and which covers Vietnamese (U+1EA0-U+1EF9).
FONTS_DIR = Path("/usr/share/fonts/truetype/liberation2")
FACES = {
    "": "LiberationSerif-Regular.ttf",
    "-Bold": "LiberationSerif-Bold.ttf",
    "-Italic": "LiberationSerif-Italic.ttf",
    "-BoldItalic": "LiberationSerif-BoldItalic.ttf",
}
FAMILY = "ThucthiSerif"

# Phụ lục I, I.3: margins 20-25 mm top and bottom, 30-35 mm left, 15-20 mm right.
TOP, BOTTOM, LEFT, RIGHT = 20 * mm, 20 * mm, 30 * mm, 15 * mm
WIDTH = A4[0] - LEFT - RIGHT
# Phụ lục I, II: the sizes of each part (points), within the ranges it gives.
NATION_PT = 12.5  # 12-13, capitals, bold
MOTTO_PT = 13.5  # 13-14 (one more than the national title), bold
ISSUER_PT = 12.5  # as the national title; the body above it not bold
NUMBER_PT = 13  # 13
PLACE_PT = 13  # 13-14, italic (13: the longest date fits its column on one line)
KIND_PT = 14  # 13-14, capitals, bold
ABSTRACT_PT = 14  # 13-14, bold
LETTER_ABSTRACT_PT = 12.5  # a letter's "V/v …": 12-13, under its number
BODY_PT = 14  # 13-14, justified
INDENT = 12.7 * mm  # 1-1.27 cm: the first line of a paragraph
PARAGRAPH_AFTER = 6  # at least 6 pt between paragraphs
LEADING = 1.2  # between single and 1.5 lines
SIGNER_PT = 14  # 13-14, the authority and position in capitals, bold; the name bold
RECIPIENTS_LABEL_PT = 12  # "Nơi nhận:" 12, italic, bold
RECIPIENTS_PT = 11  # the list 11
PAGE_NUMBER_PT = 13  # 13-14, centred in the top margin, from the second page on
TABLE_PT = 11
NOTE_PT = 11
SIGNATURE_SPACE = 30 * mm  # between the position and the name: the signature and the seal
QR_SIZE = 25 * mm
LEFT_SHARE = 0.37  # the issuing body's column; the national title's takes the rest

_registered = threading.Lock()
_families: dict[Path, str] = {}
# ReportLab keeps fonts and their subsets in module state: one document at a time per process.
_typesetting = threading.Lock()


class FontsMissingError(RuntimeError):
    """The document's fonts are not installed (Debian's fonts-liberation2)."""


def register_fonts(directory: Path = FONTS_DIR) -> str:
    """Registers the four faces once and names their family."""
    with _registered:
        if directory in _families:
            return _families[directory]
        family = FAMILY if not _families else f"{FAMILY}{len(_families)}"
        for suffix, file in FACES.items():
            path = directory / file
            if not path.is_file():
                raise FontsMissingError(
                    f"{path} is missing: install Debian's fonts-liberation2 (make does)"
                )
            pdfmetrics.registerFont(TTFont(family + suffix, str(path)))
        pdfmetrics.registerFontFamily(
            family,
            normal=family,
            bold=family + "-Bold",
            italic=family + "-Italic",
            boldItalic=family + "-BoldItalic",
        )
        _families[directory] = family
        return family


def marked(text: str) -> str:
    """A text as ReportLab's paragraphs read it: NFC, and no character taken for markup."""
    return escape(normalised(text))


@dataclass
class _Styles:
    family: str

    def of(
        self,
        size: float,
        *,
        bold: bool = False,
        italic: bool = False,
        align: Literal[0, 1, 2, 4] = TA_CENTER,
        indent: float = 0,
        after: float = 0,
        leading: float = 1.15,
    ) -> ParagraphStyle:
        face = self.family + ("-Bold" if bold else "") + ("-Italic" if italic else "")
        if bold and italic:
            face = self.family + "-BoldItalic"
        return ParagraphStyle(
            "s",
            fontName=face,
            fontSize=size,
            leading=size * leading,
            alignment=align,
            firstLineIndent=indent,
            spaceAfter=after,
        )


class _Rule(Flowable):
    """A horizontal line, centred in its column (under the motto and the issuing body)."""

    def __init__(self, width: float, gap: float = 5) -> None:
        super().__init__()
        self.rule_width, self.gap = width, gap

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.avail = avail_width
        return avail_width, self.gap * 2

    def draw(self) -> None:
        start = (self.avail - self.rule_width) / 2
        self.canv.setLineWidth(0.6)
        self.canv.line(start, self.gap, start + self.rule_width, self.gap)


class _Space(Flowable):
    """Room left empty, whose place on the page is noted when it is drawn: where the signature
    goes, and where the QR code is."""

    def __init__(self, height: float, found: list[Box], width: float | None = None) -> None:
        super().__init__()
        self.height, self.found, self.fixed = height, found, width

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = self.fixed if self.fixed is not None else avail_width
        return self.width, self.height

    def draw(self) -> None:
        x, y = self.canv.absolutePosition(0, 0)
        page = self.canv.getPageNumber() - 1
        self.found.append(Box(page, round(x, 2), round(y, 2), self.width, self.height))


class _Qr(_Space):
    """A QR code drawn from segno's modules as squares: vector, crisp at any zoom."""

    def __init__(self, url: str, size: float, found: list[Box]) -> None:
        super().__init__(size, found, size)
        self.code = segno.make_qr(url, error="m")

    def draw(self) -> None:
        super().draw()
        rows = [list(r) for r in self.code.matrix]
        count = len(rows) + 8  # a quiet zone of 4 modules on each side
        module = self.height / count
        canv = self.canv
        canv.setFillColor(colors.black)
        path = canv.beginPath()
        for i, row in enumerate(rows):
            j = 0
            while j < len(row):  # each run of dark modules in a row is one rectangle
                if not row[j]:
                    j += 1
                    continue
                start = j
                while j < len(row) and row[j]:
                    j += 1
                y = self.height - (i + 5) * module
                path.rect((start + 4) * module, y, (j - start) * module, module)
        canv.drawPath(path, stroke=0, fill=1)


class PdfDocuments:
    """The ``DocumentRenderer`` of the pages and the API."""

    def __init__(self, fonts: Path = FONTS_DIR) -> None:
        self.fonts = fonts

    def render(self, content: DocumentContent) -> RenderedDocument:
        family = register_fonts(self.fonts)
        with _typesetting:
            return _Typesetter(content, _Styles(family)).build()


class _Typesetter:
    def __init__(self, content: DocumentContent, styles: _Styles) -> None:
        self.c, self.s = content, styles
        self.signatures: list[Box] = []
        self.qrs: list[Box] = []

    def style(self, commands: list[tuple[Any, ...]]) -> TableStyle:
        """A table's style, in the document's font (a cell's default would be Helvetica, a font
        the file would then name without embedding it)."""
        return TableStyle([("FONT", (0, 0), (-1, -1), self.s.family, BODY_PT), *commands])

    def para(self, text: str, style: ParagraphStyle) -> Para:
        return Para(marked(text), style)

    def build(self) -> RenderedDocument:
        out = BytesIO()
        c = self.c
        doc = BaseDocTemplate(
            out,
            pagesize=A4,
            leftMargin=LEFT,
            rightMargin=RIGHT,
            topMargin=TOP,
            bottomMargin=BOTTOM,
            title=normalised(c.title),
            author=normalised(c.author),
            subject=normalised(c.subject),
            keywords=[normalised(k) for k in c.keywords],
            creator="Thucthi",
            lang=c.language,
            invariant=1,
            pageCompression=1,
            initialFontName=self.s.family,
        )
        frame = Frame(LEFT, BOTTOM, WIDTH, A4[1] - TOP - BOTTOM, 0, 0, 0, 0, id="text")
        doc.addPageTemplates([PageTemplate("page", [frame], onPage=self.decorate)])
        story: list[Flowable] = [self.heading(), Spacer(1, 5 * mm)]
        story += self.kind_and_abstract()
        story += self.addressees()
        for block in c.body:
            story += self.block(block)
        story.append(Spacer(1, 4 * mm))
        story.append(KeepTogether([self.bottom()]))
        if c.qr is not None:
            story.append(Spacer(1, 4 * mm))
            story.append(KeepTogether([self.qr(c.qr)]))
        doc.build(story)
        if not self.signatures:  # pragma: no cover - the bottom block always draws its space
            raise RuntimeError("the signature's space was not laid out")
        return RenderedDocument(
            pdf=out.getvalue(),
            pages=doc.page,
            signature_box=self.signatures[-1],
            qr_box=self.qrs[-1] if self.qrs else None,
        )

    def decorate(self, canv: Canvas, doc: Any) -> None:
        """Every page: the file's date is the document's; from the second page on, its number
        centred in the top margin (Phụ lục I, I.7)."""
        created = self.c.created
        offset = created.utcoffset()
        minutes = 0 if offset is None else int(offset.total_seconds()) // 60
        stamp = (
            f"D:{created:%Y%m%d%H%M%S}{'+' if minutes >= 0 else '-'}"
            f"{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"
        )
        canv.setDateFormatter(lambda *_: stamp)
        number = canv.getPageNumber()
        if number > 1:
            canv.setFont(self.s.family, PAGE_NUMBER_PT)
            canv.drawCentredString(LEFT + WIDTH / 2, A4[1] - TOP / 2 - 4, str(number))

    def heading(self) -> Table:
        """The issuing body and its number on the left, the national title, motto, place and
        date on the right (Phụ lục I, IV: boxes 1-4)."""
        c, s = self.c, self.s
        left_width, right_width = WIDTH * LEFT_SHARE, WIDTH * (1 - LEFT_SHARE)
        issuer_style = s.of(ISSUER_PT, bold=True)
        left: list[Flowable] = [self.para(line, s.of(ISSUER_PT)) for line in c.parent]
        left += [self.para(line, issuer_style) for line in c.issuer]
        widest = max(
            (pdfmetrics.stringWidth(normalised(x), issuer_style.fontName, ISSUER_PT))
            for x in c.issuer or ("",)
        )
        left.append(_Rule(min(widest, left_width) / 3))  # 1/3-1/2 of the name's line
        left.append(Spacer(1, 2))
        left.append(self.para(c.number, s.of(NUMBER_PT)))
        if not c.kind and c.abstract:  # a letter: "V/v …" under its number
            left.append(Spacer(1, 3))
            left.append(self.para(c.abstract, s.of(LETTER_ABSTRACT_PT)))
        if c.urgency:  # Phụ lục I, III.2: the urgency, under the number
            left.append(Spacer(1, 4))
            left.append(self.para(c.urgency, s.of(NUMBER_PT, bold=True)))
        motto = s.of(MOTTO_PT, bold=True)
        right: list[Flowable] = [
            self.para(c.nation, s.of(NATION_PT, bold=True)),
            self.para(c.motto, motto),
            _Rule(
                min(
                    pdfmetrics.stringWidth(normalised(c.motto), motto.fontName, MOTTO_PT),
                    right_width,
                )
            ),
            Spacer(1, 6),
            self.para(c.place_date, s.of(PLACE_PT, italic=True)),
        ]
        table = Table([[left, right]], colWidths=[left_width, right_width])
        table.setStyle(self.style(_PLAIN))
        return table

    def kind_and_abstract(self) -> list[Flowable]:
        c, s = self.c, self.s
        if not c.kind:
            return []
        abstract = s.of(ABSTRACT_PT, bold=True)
        out: list[Flowable] = [self.para(c.kind, s.of(KIND_PT, bold=True, after=2))]
        if c.abstract:
            out.append(self.para(c.abstract, abstract))
            widest = min(
                pdfmetrics.stringWidth(normalised(c.abstract), abstract.fontName, ABSTRACT_PT),
                WIDTH,
            )
            out.append(_Rule(max(widest / 3, 40)))
        out.append(Spacer(1, 4 * mm))
        return out

    def addressees(self) -> list[Flowable]:
        c, s = self.c, self.s
        if not c.addressees:
            return []
        style = s.of(BODY_PT, align=TA_LEFT)
        if len(c.addressees) == 1:
            line = f"{c.addressees_label} {c.addressees[0]}"
            return [self.para(line, s.of(BODY_PT)), Spacer(1, 4 * mm)]
        # The label, then each addressee on its own line beside it, the whole centred.
        label_width = pdfmetrics.stringWidth(marked(c.addressees_label), style.fontName, BODY_PT)
        lines = [self.para(line, style) for line in c.addressees]
        widest = max(
            pdfmetrics.stringWidth(normalised(line), style.fontName, BODY_PT)
            for line in c.addressees
        )
        lines_width = min(widest + 2, WIDTH * 0.8 - label_width)
        table = Table(
            [[self.para(c.addressees_label, style), lines]],
            colWidths=[label_width + 4, lines_width],
        )
        table.setStyle(self.style(_PLAIN))
        return [table, Spacer(1, 4 * mm)]

    def block(self, block: Block) -> list[Flowable]:
        s = self.s
        if isinstance(block, Paragraph):
            style = {
                Style.BODY: s.of(
                    BODY_PT,
                    align=TA_JUSTIFY,
                    indent=INDENT,
                    after=PARAGRAPH_AFTER,
                    leading=LEADING,
                ),
                Style.HEADING: s.of(
                    BODY_PT, bold=True, align=TA_LEFT, after=PARAGRAPH_AFTER, leading=LEADING
                ),
                Style.PLAIN: s.of(BODY_PT, align=TA_LEFT, after=2, leading=LEADING),
                Style.NOTE: s.of(NOTE_PT, italic=True, align=TA_LEFT, after=2),
            }[block.style]
            return [self.para(block.text, style)]
        if isinstance(block, Facts):
            return [self.facts(block), Spacer(1, PARAGRAPH_AFTER)]
        return [self.table(block), Spacer(1, PARAGRAPH_AFTER)]

    def facts(self, facts: Facts) -> Table:
        s = self.s
        label = s.of(BODY_PT - 1, bold=True, align=TA_LEFT)
        value = s.of(BODY_PT - 1, align=TA_LEFT)
        rows = [[self.para(k, label), self.para(v, value)] for k, v in facts.rows]
        table = Table(rows, colWidths=[WIDTH * 0.32, WIDTH * 0.68])
        table.setStyle(
            self.style(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                    ("TOPPADDING", (0, 0), (-1, -1), 1),
                ]
            )
        )
        return table

    def table(self, block: TableBlock) -> Table:
        s = self.s
        numeric = block.numeric or (False,) * len(block.header)

        def cell(text: str, column: int, *, bold: bool = False) -> Para:
            style = s.of(TABLE_PT, bold=bold, align=TA_RIGHT if numeric[column] else TA_LEFT)
            return self.para(text, style)

        rows = [[cell(h, i, bold=True) for i, h in enumerate(block.header)]]
        rows += [[cell(v, i) for i, v in enumerate(row)] for row in block.rows]
        if block.total is not None:
            rows.append([cell(v, i, bold=True) for i, v in enumerate(block.total)])
        table = Table(rows, colWidths=[WIDTH * w for w in block.widths], repeatRows=1)
        table.setStyle(
            self.style(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return table

    def signature(self, signature: Signature, found: list[Box]) -> list[Flowable]:
        s = self.s
        title = s.of(SIGNER_PT, bold=True, leading=1.2)
        out: list[Flowable] = [self.para(line, title) for line in signature.authority]
        out.append(self.para(signature.position, title))
        if signature.hint:
            out.append(self.para(signature.hint, s.of(SIGNER_PT - 1, italic=True)))
        out.append(_Space(SIGNATURE_SPACE, found))
        if signature.name:
            out.append(self.para(signature.name, s.of(SIGNER_PT, bold=True)))
        return out

    def bottom(self) -> Table:
        """The recipients (or a second signer) bottom left, the signer bottom right (Phụ lục
        I, IV: boxes 7 and 9)."""
        c, s = self.c, self.s
        left: list[Flowable]
        if c.counter_signature is not None:
            left = self.signature(c.counter_signature, [])
        else:
            left = []
            if c.recipients_label:
                left.append(
                    self.para(
                        c.recipients_label,
                        s.of(RECIPIENTS_LABEL_PT, bold=True, italic=True, align=TA_LEFT),
                    )
                )
            item = s.of(RECIPIENTS_PT, align=TA_LEFT, leading=1.2)
            left += [self.para(line, item) for line in c.recipients]
        right = self.signature(c.signature, self.signatures)
        table = Table([[left, right]], colWidths=[WIDTH * 0.45, WIDTH * 0.55])
        table.setStyle(self.style(_PLAIN))
        return table

    def qr(self, qr: QrCode) -> Table:
        s = self.s
        caption = self.para(qr.caption, s.of(NOTE_PT, align=TA_LEFT))
        table = Table(
            [[_Qr(qr.url, QR_SIZE, self.qrs), caption]], colWidths=[QR_SIZE + 4 * mm, None]
        )
        table.setStyle(self.style([*_PLAIN, ("VALIGN", (1, 0), (1, 0), "MIDDLE")]))
        return table


_PLAIN: list[tuple[Any, ...]] = [
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ("TOPPADDING", (0, 0), (-1, -1), 0),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
]
