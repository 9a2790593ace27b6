"""What the pages, the exports and the JSON say of a completion report, on SQLite and PostgreSQL:
the progress shown is 100 % from the report on, the same on the bar, in the list, on the chart, in
the CSV and XLSX and in the JSON, and falls back to the last progress report when the report is
returned; and a report awaiting the leader's acceptance is shown apart from the unit's delay on
the dashboard, in the lists and in the exports (how many, since when, held by whom), while the
reminder form is not offered against the unit."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from api.web import formats
from domain.shared.actors import Role
from domain.shared.clock import CITY_TIMEZONE
from tests.api.conftest import Api, api_on
from tests.api.test_pages import page_of, tile, visitor

REF = "1250/UBND-KT"
PATH = "/api/directives/1250~UBND-KT"
DEADLINE = date(2024, 3, 20)
REPORTED = date(2024, 3, 18)  # two days before the deadline
LEADER = "leader.chutich"
PERCENT = "[ \u00a0\u202f]?%"  # "100%", or "100 %" as Vietnamese writes it


@pytest.fixture(params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    """The API and pages on a fresh SQLite database, then on a fresh PostgreSQL schema."""
    yield from api_on(request.param, tmp_path)


def move_to(api: Api, day: date, hour: int = 10) -> None:
    """The clock at ``hour`` city time on ``day``, everyone signed in afresh."""
    api.clock.set(datetime(day.year, day.month, day.day, hour, tzinfo=CITY_TIMEZONE))
    api.sign_in_again()


def post(api: Api, suffix: str, who: Role, body: dict[str, Any]) -> None:
    answer = api.post(PATH + suffix, who, body)
    assert answer.status_code in (200, 201), answer.text


def reported_at_43_percent(api: Api) -> None:
    """Issued with a deadline on 20 March, 43 % reported, completion reported on 18 March."""
    issued = api.post(
        "/api/directives",
        Role.LEADER,
        {"reference": REF, "title": "Rà soát chợ", "lead_unit": "SO-CT", "deadline": "2024-03-20"},
    )
    assert issued.status_code == 201, issued.text
    post(api, "/acknowledgement", Role.DEPARTMENT, {})
    move_to(api, date(2024, 3, 5))
    post(api, "/progress-reports", Role.DEPARTMENT, {"percent": 43, "narrative": "Một nửa"})
    move_to(api, REPORTED)
    post(api, "/completion-report", Role.DEPARTMENT, {"summary": "Đã chỉnh trang 12 chợ"})


def shown(day: date) -> str:
    """A day as a Vietnamese page writes it (api.web.formats)."""
    return re.escape(formats.day(day, "vi"))


def bar(page: str) -> int:
    found = re.search(r'<progress max="100" value="(\d+)"', page)
    assert found, "the directive page has a progress bar"
    return int(found[1])


def chart_points(page: str) -> list[int]:
    found = re.findall(r'class="progress-point"><title>[^<]*: (\d+)' + PERCENT, page)
    return [int(p) for p in found]


def list_percent(page: str, reference: str) -> int:
    row = re.search(rf">{re.escape(reference)}</a>.*?</tr>", page, re.S)
    assert row, f"{reference} is in the list"
    found = re.search(r'<td class="num">(\d+)' + PERCENT + "</td></tr>", row[0])
    assert found
    return int(found[1])


def csv_rows(content: bytes) -> list[list[Any]]:
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), quoting=csv.QUOTE_NONNUMERIC))


# --- a completion report means 100 % -----------------------------------------------------------


def test_a_completion_report_shows_100_percent_on_the_bar_the_list_the_chart_and_the_json(
    api: Api,
) -> None:
    reported_at_43_percent(api)
    leader = visitor(api, LEADER)
    page = leader.get(page_of(REF)).text
    assert bar(page) == 100
    assert re.search(r'id="percent">100' + PERCENT, page)
    assert re.search(r'id="last-progress-report">\([^)]*43' + PERCENT, page)
    assert chart_points(page) == [43, 100]
    assert list_percent(leader.get("/directives").text, REF) == 100
    document = api.get(PATH, Role.LEADER).json
    assert (document["percent"], document["reported_percent"]) == (100, 43)
    (item,) = api.get("/api/directives", Role.LEADER).json["items"]
    assert (item["percent"], item["reported_percent"]) == (100, 43)


def test_a_directive_completed_on_time_without_progress_reports_is_100_percent_not_0(
    api: Api,
) -> None:
    """No "Hoàn thành đúng hạn 0%", and the chart steps at the report, not at acceptance."""
    issued = api.post(
        "/api/directives",
        Role.LEADER,
        {"reference": REF, "title": "Rà soát chợ", "lead_unit": "SO-CT", "deadline": "2024-03-20"},
    )
    assert issued.status_code == 201
    post(api, "/acknowledgement", Role.DEPARTMENT, {})
    move_to(api, REPORTED)
    post(api, "/completion-report", Role.DEPARTMENT, {"summary": "Đã xong"})
    move_to(api, date(2024, 4, 2))
    post(api, "/completion-report/decision", Role.LEADER, {"decision": "accept"})
    leader = visitor(api, LEADER)
    listed = leader.get("/directives?category=completed_on_time").text
    assert list_percent(listed, REF) == 100
    page = leader.get(page_of(REF)).text
    assert bar(page) == 100
    assert chart_points(page) == [100]
    (when,) = re.findall(r'class="progress-point"><title>([^<]*): 100' + PERCENT, page)
    assert "18" in when
    assert "04-02" not in when
    assert "02/04" not in when  # acceptance, on 2 April, is not a step


def test_a_returned_report_falls_back_to_the_last_progress_report_everywhere(api: Api) -> None:
    reported_at_43_percent(api)
    move_to(api, REPORTED + timedelta(days=1))
    post(api, "/completion-report/decision", Role.LEADER, {"decision": "return", "note": "Thiếu"})
    leader = visitor(api, LEADER)
    page = leader.get(page_of(REF)).text
    assert bar(page) == 43
    assert chart_points(page) == [43, 100, 43]
    assert list_percent(leader.get("/directives").text, REF) == 43
    assert api.get(PATH, Role.LEADER).json["percent"] == 43


# --- waiting on the leaders is not the unit's delay -------------------------------------------


def test_the_dashboard_shows_a_report_awaiting_acceptance_apart_from_the_units_delay(
    api: Api,
) -> None:
    """Reported two days before the deadline, not accepted 50 days after it: overdue by the
    brief, and the dashboard says it waits on the leader, since when and for how long."""
    reported_at_43_percent(api)
    today = DEADLINE + timedelta(days=50)
    move_to(api, today)
    page = visitor(api, LEADER).get("/dashboard").text
    assert tile(page, "overdue") == 1  # the national category does not change
    assert tile(page, "awaiting_acceptance") == 1
    assert 'id="overdue-awaiting"' in page
    late = page[page.index('id="late-list"') :]
    late = late[: late.index("</table>")]
    row = re.search(rf"{re.escape(REF)}</a>.*?</tr>", late, re.S)
    assert row
    assert 'class="waiting-on"' in row[0]
    assert re.search(rf"{shown(REPORTED)}\D+{(today - REPORTED).days}\D", row[0])
    assert re.search(r'<td class="num">100' + PERCENT + "</td>", row[0])
    awaiting = page[page.index('id="awaiting-list"') :]
    awaiting = awaiting[: awaiting.index("</table>")]
    assert REF in awaiting
    days = re.search(r'class="num days-awaiting">(\d+)<', awaiting)
    assert days
    assert int(days[1]) == (today - REPORTED).days
    assert re.search(r'class="held-by">[^<\s][^<]*<', awaiting)  # the leader who decides
    unit = visitor(api, "so-ct.canbo").get("/units/SO-CT").text
    assert (tile(unit, "overdue"), tile(unit, "awaiting_acceptance")) == (1, 1)


def test_the_lists_mark_a_report_awaiting_acceptance_with_the_days_it_has_waited(
    api: Api,
) -> None:
    reported_at_43_percent(api)
    move_to(api, DEADLINE + timedelta(days=50))
    overdue = visitor(api, LEADER).get("/directives?category=overdue").text
    row = re.search(rf">{re.escape(REF)}</a>.*?</tr>", overdue, re.S)
    assert row
    mark = re.search(r'class="awaiting"[^>]*>[^<]*?(\d+)', row[0])
    assert mark
    assert int(mark[1]) == (DEADLINE + timedelta(days=50) - REPORTED).days


def test_the_exports_carry_the_wait_beside_the_late_list_and_per_unit(api: Api) -> None:
    reported_at_43_percent(api)
    today = DEADLINE + timedelta(days=50)
    move_to(api, today)
    waited = (today - REPORTED).days
    leader = visitor(api, LEADER)
    rows = csv_rows(leader.get("/dashboard/export.csv").content)
    header = next(r for r in rows if r and r[0] == "Số hiệu")
    late = next(r for r in rows if r and r[0] == REF)
    by = dict(zip(header, late, strict=True))
    assert by["Tiến độ (%)"] == 100
    assert by["Số ngày quá hạn"] == 50
    assert by["Số ngày chờ nghiệm thu"] == waited
    # The leader named as the dashboard names them, not by the user name.
    held_by = re.search(r'<td class="held-by">([^<]+)</td>', leader.get("/dashboard").text)
    assert held_by is not None
    assert by["Lãnh đạo nghiệm thu"] == html.unescape(held_by[1])
    assert by["Đơn vị chủ trì"] == "Sở Công Thương"
    unit_header = next(r for r in rows if len(r) > 2 and r[1] == "Mã đơn vị")
    unit = dict(
        zip(unit_header, next(r for r in rows if len(r) > 2 and r[1] == "SO-CT"), strict=True)
    )
    assert unit["Quá hạn"] == 1
    assert unit["Đã báo cáo hoàn thành, chờ nghiệm thu"] == 1
    awaiting_at = rows.index(["Đã báo cáo hoàn thành, chờ nghiệm thu"])
    listed = [r for r in rows[awaiting_at + 2 :] if r and r[0] == REF]
    assert len(listed) == 1
    assert waited in listed[0]

    book = load_workbook(io.BytesIO(leader.get("/dashboard/export.xlsx").content))
    sheet = list(book["Chờ nghiệm thu"].iter_rows(values_only=True))
    assert sheet[1][0] == REF
    assert waited in sheet[1]
    late_sheet = list(book["Danh sách quá hạn"].iter_rows(values_only=True))
    late_row = dict(zip(late_sheet[0], late_sheet[1], strict=True))
    assert (late_row["Tiến độ (%)"], late_row["Số ngày chờ nghiệm thu"]) == (100, waited)


def test_the_api_says_what_awaits_acceptance_in_the_summary_and_the_late_list(api: Api) -> None:
    reported_at_43_percent(api)
    today = DEADLINE + timedelta(days=50)
    move_to(api, today)
    city = api.get("/api/oversight", Role.OFFICE).json["city"]
    assert (city["overdue"], city["awaiting_acceptance"], city["awaiting_acceptance_overdue"]) == (
        1,
        1,
        1,
    )
    (item,) = api.get("/api/oversight/late", Role.OFFICE).json["items"]
    assert item["percent"] == 100
    assert item["awaiting_acceptance"] == {
        "reported_on": REPORTED.isoformat(),
        "days": (today - REPORTED).days,
        "held_by": LEADER,
    }


def test_no_reminder_is_offered_or_taken_while_a_report_awaits_the_leader(api: Api) -> None:
    reported_at_43_percent(api)
    move_to(api, DEADLINE + timedelta(days=50))
    office = visitor(api, "office.vp")
    page = office.get(page_of(REF)).text
    assert 'data-action="remind"' not in page
    refused = office.post(page_of(REF) + "/remind", {"message": "Khẩn trương", "version": "4"})
    assert refused.status_code == 409
    answer = api.post(PATH + "/reminders", Role.OFFICE, {"message": "Khẩn trương"})
    assert answer.status_code == 409
    assert answer.json["type"] == "urn:thucthi:problem:completion-pending"
    assert api.app.get_directive(REF).reminders == 0
