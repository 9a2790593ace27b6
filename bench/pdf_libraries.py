"""``python -m bench.pdf_libraries``: the same directive typeset by each PDF library the issue
names, for choosing one by measurement (docs/documents.md has the figures and the choice).

Each candidate draws the same document in the same form (Nghị định 30/2020/NĐ-CP, Phụ lục I:
the heading in two columns, the kind and abstract, the addressees, the justified content, the
recipients and the signer, the QR code), with the same fonts embedded (Debian's Liberation
Serif), and is timed over the same number of documents after one warm-up:

- **ReportLab** (platypus): ``adapters.pdf``, the renderer the application uses;
- **fpdf2**, its ``multi_cell`` and the fonts subset by fontTools;
- **WeasyPrint**, HTML and CSS laid out with Debian's Pango.

fpdf2 and WeasyPrint are measured, not dependencies: each is skipped when it is not installed
(``pip install fpdf2 weasyprint`` into a virtual environment of its own to run them). For each:
CPU milliseconds per document (the median round; each round runs every library in
turn), documents per second, the file's size, its
pages, whether every text of the document reads back (``pdftotext -raw``, in the order drawn;
NFC, spaces ignored) and
whether every font is embedded (pdffonts).

    python -m bench.pdf_libraries [--documents N] [--rounds R] [--json FILE]
"""

from __future__ import annotations

import argparse
import importlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone
from html import escape
from pathlib import Path
from typing import Any

import orjson
import segno

from adapters.pdf import FACES, FONTS_DIR, PdfDocuments
from domain.documents.layout import (
    DocumentContent,
    Paragraph,
    QrCode,
    Signature,
    Style,
    normalised,
)

CITY = timezone(timedelta(hours=7))


def sample_directive() -> DocumentContent:
    """A directive of the committee, a letter (công văn) of about one page, as issued."""
    body = (
        "Thực hiện Kế hoạch số 123/KH-UBND ngày 15 tháng 01 năm 2026 của Ủy ban nhân dân Thành "
        "phố về chuyển đổi số năm 2026, Chủ tịch Ủy ban nhân dân Thành phố chỉ đạo như sau:",
        "1. Sở Khoa học và Công nghệ chủ trì, phối hợp với các sở, ban, ngành và Ủy ban nhân dân "
        "các phường, xã, đặc khu rà soát, hoàn thiện hệ thống quản trị thực thi trên nền tảng "
        "số; bảo đảm kết nối, liên thông dữ liệu với Cơ sở dữ liệu quốc gia về khiếu nại, tố "
        "cáo; báo cáo kết quả thực hiện trước ngày 30 tháng 6 năm 2026.",
        "2. Văn phòng Ủy ban nhân dân Thành phố theo dõi, đôn đốc việc thực hiện; tổng hợp, báo "
        "cáo Chủ tịch Ủy ban nhân dân Thành phố những khó khăn, vướng mắc vượt thẩm quyền.",
        "Yêu cầu Thủ trưởng các cơ quan, đơn vị nghiêm túc triển khai thực hiện./.",
    )
    url = "http://127.0.0.1:8000/directives/1234~UBND-VX"
    return DocumentContent(
        language="vi",
        nation="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        motto="Độc lập - Tự do - Hạnh phúc",
        issuer=("ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"),
        number="Số: 1234/UBND-VX",
        place_date="Thành phố Hồ Chí Minh, ngày 07 tháng 02 năm 2026",
        abstract="V/v triển khai hệ thống quản trị thực thi trên nền tảng số",
        addressees_label="Kính gửi:",
        addressees=("- Sở Khoa học và Công nghệ;", "- Văn phòng Ủy ban nhân dân Thành phố."),
        body=tuple(Paragraph(text) for text in body),
        recipients_label="Nơi nhận:",
        recipients=(
            "- Như trên;",
            "- TTUB: CT, các PCT;",
            "- Sở Khoa học và Công nghệ;",
            "- Lưu: VT.",
        ),
        signature=Signature(
            position="PHÓ CHỦ TỊCH",
            name="Nguyễn Hoàng Long",
            authority=("TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"),
        ),
        title="1234/UBND-VX",
        created=datetime(2026, 2, 7, 9, 30, tzinfo=CITY),
        qr=QrCode(url, url),
    )


def reportlab(content: DocumentContent) -> bytes:
    return PdfDocuments().render(content).pdf


def fpdf2(content: DocumentContent) -> bytes:  # noqa: PLR0915 - one form, drawn in order
    """The same form with fpdf2: two columns by position, ``multi_cell`` for the text."""
    fpdf: Any = importlib.import_module("fpdf")
    pdf = fpdf.FPDF(format="A4", unit="mm")
    pdf.set_margins(30, 20, 15)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.set_creation_date(content.created)
    pdf.set_title(content.title)
    for style, face in zip(("", "B", "I", "BI"), FACES.values(), strict=True):
        pdf.add_font("serif", style, str(FONTS_DIR / face))
    pdf.add_page()
    width = 165.0
    left, right = width * 0.37, width * 0.63
    pt = 0.3528  # mm per point
    pdf.set_font("serif", "B", 12.5)
    y0 = pdf.get_y()
    for line in content.issuer:
        pdf.set_x(30)
        pdf.multi_cell(left, 12.5 * pt * 1.15, normalised(line), align="C")
    pdf.set_font("serif", "", 13)
    pdf.set_x(30)
    pdf.multi_cell(left, 13 * pt * 1.3, normalised(content.number), align="C")
    if not content.kind:
        pdf.set_font("serif", "", 12.5)
        pdf.set_x(30)
        pdf.multi_cell(left, 12.5 * pt * 1.15, normalised(content.abstract), align="C")
    y_left = pdf.get_y()
    pdf.set_xy(30 + left, y0)
    pdf.set_font("serif", "B", 12.5)
    pdf.multi_cell(right, 12.5 * pt * 1.15, normalised(content.nation), align="C")
    pdf.set_x(30 + left)
    pdf.set_font("serif", "B", 13.5)
    pdf.multi_cell(right, 13.5 * pt * 1.15, normalised(content.motto), align="C")
    motto = pdf.get_string_width(normalised(content.motto))
    pdf.line(
        30 + left + (right - motto) / 2, pdf.get_y(), 30 + left + (right + motto) / 2, pdf.get_y()
    )
    pdf.set_xy(30 + left, pdf.get_y() + 2)
    pdf.set_font("serif", "I", 13)
    pdf.multi_cell(right, 13 * pt * 1.3, normalised(content.place_date), align="C")
    pdf.set_y(max(y_left, pdf.get_y()) + 5)
    pdf.set_font("serif", "", 14)
    pdf.set_x(60)
    pdf.multi_cell(0, 14 * pt * 1.2, normalised(content.addressees_label), align="L")
    for line in content.addressees:
        pdf.set_x(82)
        pdf.multi_cell(0, 14 * pt * 1.2, normalised(line), align="L")
    pdf.ln(4)
    for block in content.body:
        if isinstance(block, Paragraph):
            pdf.set_x(30)
            text = normalised(block.text)
            pdf.multi_cell(
                width,
                14 * pt * 1.2,
                "    " + text if block.style is Style.BODY else text,
                align="J",
            )
            pdf.ln(2)
    pdf.ln(4)
    y0 = pdf.get_y()
    pdf.set_font("serif", "BI", 12)
    pdf.set_x(30)
    pdf.multi_cell(width * 0.45, 12 * pt * 1.2, normalised(content.recipients_label), align="L")
    pdf.set_font("serif", "", 11)
    for line in content.recipients:
        pdf.set_x(30)
        pdf.multi_cell(width * 0.45, 11 * pt * 1.2, normalised(line), align="L")
    pdf.set_xy(30 + width * 0.45, y0)
    pdf.set_font("serif", "B", 14)
    signature = content.signature
    for line in (*signature.authority, signature.position):
        pdf.set_x(30 + width * 0.45)
        pdf.multi_cell(width * 0.55, 14 * pt * 1.2, normalised(line), align="C")
    pdf.set_xy(30 + width * 0.45, pdf.get_y() + 30)
    pdf.multi_cell(width * 0.55, 14 * pt * 1.2, normalised(signature.name), align="C")
    if content.qr is not None:
        pdf.ln(4)
        code = segno.make_qr(content.qr.url, error="m")
        rows = [list(r) for r in code.matrix]
        module = 25 / (len(rows) + 8)
        x0, y0 = 30.0, pdf.get_y()
        for i, row in enumerate(rows):
            for j, dark in enumerate(row):
                if dark:
                    pdf.rect(x0 + (j + 4) * module, y0 + (i + 4) * module, module, module, "F")
        pdf.set_xy(60, y0 + 10)
        pdf.set_font("serif", "", 11)
        pdf.multi_cell(0, 11 * pt * 1.2, normalised(content.qr.caption), align="L")
    return bytes(pdf.output())


_CSS = """
@font-face {{ font-family: serif-doc; src: url("file://{dir}/{regular}"); }}
@font-face {{ font-family: serif-doc; font-weight: bold; src: url("file://{dir}/{bold}"); }}
@font-face {{ font-family: serif-doc; font-style: italic; src: url("file://{dir}/{italic}"); }}
@font-face {{ font-family: serif-doc; font-weight: bold; font-style: italic;
  src: url("file://{dir}/{bolditalic}"); }}
@page {{ size: A4; margin: 20mm 15mm 20mm 30mm; }}
@page {{ @top-center {{ content: counter(page); font: 13pt serif-doc; }} }}
@page :first {{ @top-center {{ content: none; }} }}
body {{ font-family: serif-doc; font-size: 14pt; margin: 0; }}
p {{ margin: 0; }}
.head {{ display: flex; }} .left {{ flex: 0 0 37%; text-align: center; }}
.right {{ flex: 0 0 63%; text-align: center; }}
.issuer {{ font-weight: bold; font-size: 12.5pt; }} .number {{ font-size: 13pt; }}
.letter {{ font-size: 12.5pt; }} .nation {{ font-weight: bold; font-size: 12.5pt; }}
.motto {{ font-weight: bold; font-size: 13.5pt; display: inline-block;
  border-bottom: 0.6pt solid black; }}
.place {{ font-style: italic; font-size: 13pt; margin-top: 6pt; }}
.to {{ margin: 5mm 0 4mm 20%; display: flex; }}
.to ul {{ list-style: none; margin: 0; padding: 0 0 0 4pt; }}
.body p {{ text-align: justify; text-indent: 12.7mm; line-height: 1.2; margin-bottom: 6pt; }}
.foot {{ display: flex; margin-top: 4mm; break-inside: avoid; }}
.rec {{ flex: 0 0 45%; font-size: 11pt; }} .rec b {{ font-size: 12pt; font-style: italic; }}
.sig {{ flex: 0 0 55%; text-align: center; font-weight: bold; }} .space {{ height: 30mm; }}
.qr {{ display: flex; align-items: center; margin-top: 4mm; font-size: 11pt; }}
.qr svg {{ width: 25mm; height: 25mm; margin-right: 4mm; }}
"""


def weasyprint(content: DocumentContent) -> bytes:  # pragma: no cover - where installed
    """The same form as HTML and CSS, laid out by WeasyPrint (Pango)."""
    weasy: Any = importlib.import_module("weasyprint")

    def e(text: str) -> str:
        return escape(normalised(text))

    css = _CSS.format(
        dir=FONTS_DIR,
        regular=FACES[""],
        bold=FACES["-Bold"],
        italic=FACES["-Italic"],
        bolditalic=FACES["-BoldItalic"],
    )
    signature = content.signature
    qr = ""
    if content.qr is not None:
        svg = segno.make_qr(content.qr.url, error="m").svg_inline(scale=4, border=4)
        qr = f'<div class="qr">{svg}<p>{e(content.qr.caption)}</p></div>'
    html = (
        f'<html lang="{content.language}"><head><title>{e(content.title)}</title></head><body>'
        '<div class="head"><div class="left">'
        + "".join(f'<p class="issuer">{e(x)}</p>' for x in content.issuer)
        + f'<p class="number">{e(content.number)}</p><p class="letter">{e(content.abstract)}</p>'
        f'</div><div class="right"><p class="nation">{e(content.nation)}</p>'
        f'<p class="motto">{e(content.motto)}</p><p class="place">{e(content.place_date)}</p>'
        f'</div></div><div class="to"><span>{e(content.addressees_label)}</span><ul>'
        + "".join(f"<li>{e(x)}</li>" for x in content.addressees)
        + '</ul></div><div class="body">'
        + "".join(f"<p>{e(b.text)}</p>" for b in content.body if isinstance(b, Paragraph))
        + f'</div><div class="foot"><div class="rec"><b>{e(content.recipients_label)}</b>'
        + "".join(f"<p>{e(x)}</p>" for x in content.recipients)
        + '</div><div class="sig">'
        + "".join(f"<p>{e(x)}</p>" for x in (*signature.authority, signature.position))
        + f'<div class="space"></div><p>{e(signature.name)}</p></div></div>{qr}</body></html>'
    )
    fonts = importlib.import_module("weasyprint.text.fonts").FontConfiguration()
    sheet = weasy.CSS(string=css, font_config=fonts)
    return bytes(weasy.HTML(string=html).write_pdf(stylesheets=[sheet], font_config=fonts))


CANDIDATES: dict[str, tuple[str | None, Callable[[DocumentContent], bytes]]] = {
    "reportlab": (None, reportlab),
    "fpdf2": ("fpdf", fpdf2),
    "weasyprint": ("weasyprint", weasyprint),
}


@dataclass(frozen=True, slots=True)
class Measured:
    library: str
    version: str
    ms_per_document: float
    documents_per_second: float
    bytes: int
    pages: int
    text_intact: bool
    fonts_embedded: bool


def _version(module: str) -> str:
    try:
        return str(getattr(importlib.import_module(module), "__version__", "?"))
    except ImportError:
        return "?"


def squeezed(text: str) -> str:
    return "".join(unicodedata.normalize("NFC", text).split())


def poppler(tool: str) -> str:
    """The full path of one of Debian's poppler-utils (pdftotext, pdffonts, pdfinfo, pdftoppm)."""
    found = shutil.which(tool)
    if found is None:
        raise FileNotFoundError(f"{tool} is missing: install Debian's poppler-utils (make does)")
    return found


def run_tool(tool: str, *args: str) -> str:
    return subprocess.run(  # noqa: S603 - Debian's poppler-utils, on a file made here
        [poppler(tool), *args], capture_output=True, check=True
    ).stdout.decode()


@dataclass(frozen=True, slots=True)
class ReadBack:
    """What poppler reads in a PDF: its text in the order drawn, its pages and page size, and
    each font with whether it is embedded."""

    text: str
    pages: int
    page_size: str
    fonts: tuple[tuple[str, bool], ...]

    @property
    def embedded(self) -> bool:
        return bool(self.fonts) and all(e for _, e in self.fonts)


def read_back(pdf: bytes) -> ReadBack:
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "d.pdf")
        Path(path).write_bytes(pdf)
        text = run_tool("pdftotext", "-raw", "-enc", "UTF-8", path, "-")
        info = {
            k.strip(): v.strip()
            for k, _, v in (line.partition(":") for line in run_tool("pdfinfo", path).splitlines())
        }
        rows = run_tool("pdffonts", path).splitlines()[2:]
    # pdffonts' columns: name, type (one or two words), encoding, emb, sub, uni, object, ID.
    fonts = tuple((row.split()[0], row.split()[-5] == "yes") for row in rows)
    return ReadBack(text, int(info["Pages"]), info["Page size"], fonts)


def measure(
    candidates: dict[str, Callable[[DocumentContent], bytes]],
    content: DocumentContent,
    n: int,
    rounds: int,
) -> list[Measured]:
    """Each round times ``n`` documents of each library in turn, so that every library meets
    the machine in the same state (it is shared); the time is the process's CPU time, which
    another process's load does not lengthen, and the median round is kept."""
    files = {name: render(content) for name, render in candidates.items()}  # the warm-up
    times: dict[str, list[float]] = {name: [] for name in candidates}
    for _ in range(rounds):
        for name, render in candidates.items():
            started = time.process_time()
            for _ in range(n):
                render(content)
            times[name].append((time.process_time() - started) / n)
    out = []
    for name, pdf in files.items():
        per = statistics.median(times[name])
        read = read_back(pdf)
        got = squeezed(read.text)
        out.append(
            Measured(
                name,
                _version(CANDIDATES[name][0] or name),
                round(per * 1000, 1),
                round(1 / per, 1),
                len(pdf),
                read.pages,
                all(squeezed(part) in got for part in content.texts()),
                read.embedded,
            )
        )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pdf_libraries")
    parser.add_argument("--documents", type=int, default=20, help="documents a round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path, help="write the figures there too")
    parser.add_argument("--out", type=Path, help="a folder to keep each library's file in")
    args = parser.parse_args(argv)
    for tool in ("pdftotext", "pdfinfo", "pdffonts"):
        if shutil.which(tool) is None:
            print(f"{tool} is missing: install Debian's poppler-utils", file=sys.stderr)  # noqa: T201
            return 2
    content = sample_directive()
    chosen: dict[str, Callable[[DocumentContent], bytes]] = {}
    for name, (module, render) in CANDIDATES.items():
        try:
            importlib.import_module(module or name)
        except ImportError:
            print(f"{name}: not installed, skipped")  # noqa: T201
            continue
        chosen[name] = render
    results = measure(chosen, content, args.documents, args.rounds)
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        for name, render in chosen.items():
            (args.out / f"{name}.pdf").write_bytes(render(content))
    print(  # noqa: T201
        "| library | version | ms per document | documents per second | bytes | pages "
        "| text intact | fonts embedded |\n|---|---|---|---|---|---|---|---|"
    )
    for m in results:
        print(  # noqa: T201
            f"| {m.library} | {m.version} | {m.ms_per_document} | {m.documents_per_second} "
            f"| {m.bytes} | {m.pages} | {m.text_intact} | {m.fonts_embedded} |"
        )
    if args.json is not None:
        args.json.write_bytes(
            orjson.dumps([asdict(m) for m in results], option=orjson.OPT_INDENT_2)
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
