"""Printing and the files people read (issue 27, item 8): the dashboard and a directive print on
A4 without navigation or forms, naming the day, the log position and the checkpoint; the exports
speak the reader's language with units named and shares in percent; and the Office's periodic
report is an official form in both languages."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from api.official import place_and_date
from api.web.formats import day as shown_day
from api.web.i18n import Language
from domain.documents.layout import leading_zero
from domain.shared.actors import Role
from domain.shared.clock import CITY_TIMEZONE
from tests.api.conftest import Api
from tests.api.test_api import issue
from tests.api.test_audit_api import audit_up
from tests.api.test_pages import visitor
from tests.refusals import english_words

ON_TIME, LATE, LATER = "1/UBND-VX", "2/UBND-VX", "3/UBND-VX"


def path(reference: str) -> str:
    return "/api/directives/" + reference.replace("/", "~")


@pytest.fixture
def year(api: Api) -> Api:
    """For SO-CT: one directive completed on time and two overdue on 25 March 2024 (an on-time
    rate of 1/3), and a signed checkpoint."""
    issue(api, ON_TIME, deadline="2024-03-20")
    issue(api, LATE, deadline="2024-03-10")
    issue(api, LATER, deadline="2024-03-12")
    for suffix, who, body in (
        ("/acknowledgement", Role.DEPARTMENT, {}),
        ("/completion-report", Role.DEPARTMENT, {"summary": "Xong"}),
        ("/completion-report/decision", Role.LEADER, {"decision": "accept"}),
    ):
        answer = api.post(path(ON_TIME) + suffix, who, body)
        assert answer.status_code in (200, 201), answer.text
    api.clock.set(datetime(2024, 3, 25, 10, tzinfo=CITY_TIMEZONE))
    api.sign_in_again()
    inspector = visitor(api, "thanhtra")
    audit_up(api)
    assert inspector.post("/inspector/checkpoint", {}).status_code == 303
    return api


def print_rules(css: str) -> str:
    """Everything inside the stylesheet's ``@media print`` blocks."""
    rules = []
    for match in re.finditer(r"@media print\s*\{", css):
        depth, at = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(css[at], 0)
            at += 1
        rules.append(css[match.end() : at - 1])
    return "\n".join(rules)


def test_the_stylesheet_prints_on_a4_without_navigation_forms_or_buttons(api: Api) -> None:
    css = api.client.simulate_get("/static/app.css").text
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", css)
    printed = print_rules(css)
    hidden = re.search(r"([^{}]+)\{\s*display:\s*none", printed)
    assert hidden is not None
    selectors = {s.strip() for s in hidden[1].split(",")}
    assert {"header.top", "nav", "form", "#filters", ".export", "footer"} <= selectors
    assert re.search(r"\.print-only\s*\{\s*display:\s*block", printed)
    # On screen the printed provenance stays hidden: the page says it its own way.
    assert re.search(r"^\.print-only\s*\{\s*display:\s*none", css, re.MULTILINE)


def test_a_printed_dashboard_names_its_day_position_and_checkpoint(year: Api) -> None:
    leader = visitor(year, "leader.chutich")
    page = leader.get("/dashboard").text
    printed = re.search(r'<div class="print-only" id="print-provenance">(.*?)</div>', page, re.S)
    assert printed is not None
    said = html.unescape(re.sub(r"<[^>]+>", " ", printed[1]))
    position = re.search(r'id="log-position">([^<]+)<', page)
    assert position is not None
    assert f"vị trí nhật ký {position[1]}" in said
    assert shown_day(date(2024, 3, 25), "vi") in said
    assert "Điểm kiểm tra đã ký:" in said
    assert "gốc" in said
    # The filter form and the navigation are on the page, for the screen, and marked as such.
    assert 'id="filters"' in page
    assert "<nav" in page


def test_a_printed_directive_names_its_day_position_and_checkpoint_in_both_languages(
    year: Api,
) -> None:
    leader = visitor(year, "leader.chutich")
    languages: tuple[tuple[Language, str], ...] = (("vi", "vị trí nhật ký"), ("en", "log position"))
    for lang, words in languages:
        page = leader.get(f"/directives/{LATE.replace('/', '~')}?lang={lang}").text
        printed = re.search(r'id="print-provenance">(.*?)</div>', page, re.S)
        assert printed is not None, lang
        said = html.unescape(re.sub(r"<[^>]+>", " ", printed[1]))
        assert f"{words} {year.app.max_notification_id()}" in said, said
        assert shown_day(date(2024, 3, 25), lang) in said


def test_the_exports_name_units_and_people_and_give_shares_in_percent_in_both_languages(
    year: Api,
) -> None:
    leader = visitor(year, "leader.chutich")
    for lang, unit_label, rate_label, position_label in (
        ("vi", "Đơn vị chủ trì", "Tỷ lệ đúng hạn (%)", "Vị trí nhật ký"),
        ("en", "Lead unit", "On-time rate (%)", "Log position"),
    ):
        text = leader.get(f"/dashboard/export.csv?lang={lang}").content.decode("utf-8-sig")
        assert not re.search(r'log_position|checkpoint_|"code"', text)
        rows = list(csv.reader(io.StringIO(text)))
        provenance = {r[0]: r[1] for r in rows if len(r) == 2}
        assert int(provenance[position_label]) > 0
        header = next(r for r in rows if r and r[0] == unit_label)
        assert rate_label in header
        unit = dict(zip(header, next(r for r in rows if "SO-CT" in r), strict=True))
        assert float(unit[rate_label]) == 33.3  # 1 of 3 due, not 0.3333
        late = next(r for r in rows if r and r[0] == LATE)
        assert "Sở Công Thương" in late or "Department of Industry and Trade" in late
        assert "SO-CT" not in late
        book = load_workbook(io.BytesIO(leader.get(f"/dashboard/export.xlsx?lang={lang}").content))
        sheet = list(book.worksheets[0].iter_rows(values_only=True))
        figures = dict(zip(sheet[0], next(r for r in sheet if "SO-CT" in r), strict=True))
        assert figures[rate_label] == 33.3
        assert not any(
            isinstance(v, str) and v in {"log_position", "code", "checkpoint_coverage"}
            for sheet_ in book.worksheets
            for row in sheet_.iter_rows(values_only=True)
            for v in row
        )


def test_the_periodic_report_is_the_official_form_in_vietnamese(year: Api) -> None:
    office = visitor(year, "office.vp")
    answer = office.get("/reports/periodic?period=2024-Q1&number=12/BC-VP")
    assert answer.status_code == 200, answer.text
    page = answer.text
    article = re.search(r'<article class="official".*?</article>', page, re.S)
    assert article is not None
    said = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", article[0])).split())
    for words in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",
        "VĂN PHÒNG",
        "Số: 12/BC-VP",
        "Thành phố Hồ Chí Minh, ngày 25 tháng 3 năm 2024",
        "BÁO CÁO",
        "quý 1 năm 2024",
        "Nơi nhận:",
        "CHÁNH VĂN PHÒNG",
        "Sở Công Thương",
        "Có 2 nhiệm vụ quá hạn",
    ):
        assert words in said, words
    assert english_words(said) == []
    # The heading comes before the content, the signature after the late list.
    assert (
        said.index("CỘNG HÒA")
        < said.index("BÁO CÁO")
        < said.index(LATE)
        < said.index("CHÁNH VĂN PHÒNG")
    )
    assert re.search(r'<tr data-unit="SO-CT">.*?33,3', article[0], re.S)


def test_the_periodic_reports_tables_scroll_in_their_own_boxes_on_a_phone(year: Api) -> None:
    """Nine columns do not fit 390 px: on a phone the report's page was 940 px wide (seen in
    Chromium). Each table sits in a .scroll box, as the dashboard's do; printed, the box lets
    the table take the page's width (app.css, @media print)."""
    page = visitor(year, "office.vp").get("/reports/periodic?period=2024-Q1&number=12/BC-VP")
    for table in ("report-figures", "report-late"):
        assert re.search(rf'<div class="scroll">\s*<table id="{table}">', page.text), table


def test_the_periodic_report_in_english_and_its_dates_as_the_decree_writes_them(
    year: Api,
) -> None:
    office = visitor(year, "office.vp")
    page = office.get("/reports/periodic?period=2024-03&lang=en").text
    said = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())
    for words in (
        "SOCIALIST REPUBLIC OF VIET NAM",
        "Independence - Freedom - Happiness",
        "REPORT",
        "March 2024",
        "Recipients:",
        "CHIEF OF THE OFFICE",
    ):
        assert words in said, words
    assert "CỘNG HÒA" not in said
    assert "Ho Chi Minh City, March 25, 2024" in said
    # Nghị định 30/2020, Phụ lục I: a day below 10, and January and February, take a zero.
    assert place_and_date("vi", date(2026, 2, 7)).endswith("ngày 07 tháng 02 năm 2026")
    assert place_and_date("vi", date(2026, 11, 15)).endswith("ngày 15 tháng 11 năm 2026")
    assert place_and_date("vi", date(2026, 3, 10)).endswith("ngày 10 tháng 3 năm 2026")
    assert [leading_zero(m, month=True) for m in (1, 2, 3, 12)] == ["01", "02", "3", "12"]
    assert office.get("/reports/periodic?period=2024-Q5").status_code == 422
    assert visitor(year, "so-ct.canbo").get("/reports/periodic").status_code == 403
