"""The petitions' oversight pages: the dashboard with its as-of day, an officer's queue, the list
and its pages; the exports of the dashboard and the list in both languages, which carry the
figures and nothing personal; and who may open what."""

from __future__ import annotations

import csv
import io
import re
import zipfile

from openpyxl import load_workbook

from domain.shared.actors import Role
from tests.api.conftest import USERS, Api
from tests.api.test_pages import visitor
from tests.api.test_petitions_oversight import OTHER, PERSONAL, cases


def xlsx_text(content: bytes) -> str:
    """Every text stored in a workbook, its shared strings and sheets alike."""
    with zipfile.ZipFile(io.BytesIO(content)) as book:
        return "".join(
            book.read(name).decode("utf-8") for name in book.namelist() if name.endswith(".xml")
        )


def test_the_dashboard_shows_the_citys_figures_as_of_the_day_asked(api: Api) -> None:
    made = cases(api)
    office = visitor(api, USERS[Role.OFFICE][0])
    page = office.get("/petitions/dashboard")
    assert page.status_code == 200, page.text
    assert "Tổng hợp đơn thư" in page.text
    received = re.search(r'data-figure="received"><span class="value">(\d+)<', page.text)
    assert received is not None
    assert received[1] == "6"
    assert 'data-agency="UBND-Q1"' in page.text
    assert made["new"] in page.text  # among the oldest open cases
    before = office.get("/petitions/dashboard?as_of=2024-03-03")
    assert re.search(r'data-figure="received"><span class="value">0<', before.text)
    english = office.get("/petitions/dashboard?lang=en")
    assert "Petitions overview" in english.text
    assert "Share handled within the legal time" in english.text


def test_an_officer_of_an_agency_sees_its_own_dashboard_and_no_other(api: Api) -> None:
    cases(api)
    head = visitor(api, USERS[Role.AGENCY_HEAD][0])
    page = head.get("/petitions/dashboard")
    assert page.status_code == 200
    assert 'data-agency="SO-CT"' in page.text
    assert f'data-agency="{OTHER}"' not in page.text
    assert head.get(f"/petitions/dashboard?agency={OTHER}").status_code == 403
    assert head.get(f"/petitions?agency={OTHER}").status_code == 403


def test_the_queue_page_lists_what_the_officer_has_to_do_first_things_first(api: Api) -> None:
    made = cases(api)
    reception = visitor(api, USERS[Role.RECEPTION][0])
    page = reception.get("/petitions/queue")
    assert page.status_code == 200, page.text
    assert "Việc cần làm — Đơn thư" in page.text
    shown = re.findall(r'<tr class="[^"]*" data-receipt="([^"]+)"', page.text)
    assert set(shown) == {made["handled"], made["denunciation"], made["colleague"], made["new"]}
    assert shown.index(made["new"]) < shown.index(made["handled"])  # 7 working days before 30
    officer = visitor(api, USERS[Role.DEPARTMENT][0])
    mine = officer.get("/petitions/queue")
    assert re.findall(r'data-receipt="([^"]+)"', mine.text) == [made["handled"]]
    assert 'href="/petitions/queue"' in mine.text  # the way there, in the header
    leader = visitor(api, USERS[Role.LEADER][0])
    assert leader.get("/petitions/queue").status_code == 403
    assert 'href="/petitions/dashboard"' in leader.get("/petitions/dashboard").text


def test_the_list_page_goes_on_from_where_a_page_ends(api: Api) -> None:
    made = cases(api)
    inspector = visitor(api, USERS[Role.INSPECTOR][0])
    first = inspector.get("/petitions")
    assert first.status_code == 200, first.text
    assert set(re.findall(r'data-receipt="([^"]+)"', first.text)) == set(made.values())
    assert 'id="list-next"' not in first.text  # six fit on one page
    complaints = inspector.get("/petitions?kind=complaint&lang=en")
    assert set(re.findall(r'data-receipt="([^"]+)"', complaints.text)) == {
        made["handled"],
        made["colleague"],
    }
    assert inspector.get("/petitions?cursor=nonsense").status_code == 422


def test_the_exports_carry_the_figures_and_the_position_and_nothing_personal(api: Api) -> None:
    cases(api)
    for role in (Role.LEADER, Role.INSPECTOR, Role.AGENCY_HEAD, Role.RECEPTION, Role.DEPARTMENT):
        reader = visitor(api, USERS[role][0])
        for lang in ("vi", "en"):
            dashboard = reader.get(f"/petitions/dashboard/export.csv?lang={lang}")
            assert dashboard.status_code == 200, dashboard.text
            assert dashboard.content.startswith("\ufeff".encode())
            text = dashboard.content.decode("utf-8-sig")
            rows = list(csv.reader(io.StringIO(text)))
            label = "Vị trí nhật ký" if lang == "vi" else "Log position"
            assert [label, rows[[r[:1] for r in rows].index([label])][1]] in rows
            listing = reader.get(f"/petitions/export.csv?lang={lang}").content.decode("utf-8-sig")
            books = [
                xlsx_text(reader.get(f"/petitions/dashboard/export.xlsx?lang={lang}").content),
                xlsx_text(reader.get(f"/petitions/export.xlsx?lang={lang}").content),
            ]
            for exported in (text, listing, *books):
                assert not [p for p in PERSONAL if p in exported], (role, lang)
    leader = visitor(api, USERS[Role.LEADER][0])
    rows = list(
        csv.reader(io.StringIO(leader.get("/petitions/export.csv").content.decode("utf-8-sig")))
    )
    assert sum(1 for r in rows if r and re.fullmatch(r"\d{4}-[0-9A-Z]{8}", r[0])) == 6
    book = load_workbook(io.BytesIO(leader.get("/petitions/dashboard/export.xlsx").content))
    assert "Nguồn số liệu" in book.sheetnames


def test_an_agencys_head_opens_on_the_queue_and_its_reception_on_the_intake_form(
    api: Api,
) -> None:
    """Their home is what they have to do; before, it was the inspector's page, closed to them."""
    for role, page in ((Role.RECEPTION, "/petitions/new"), (Role.AGENCY_HEAD, "/petitions/queue")):
        home = visitor(api, USERS[role][0]).get("/")
        assert home.status_code == 303
        assert home.headers["location"] == page
