"""The petitions' dashboard counts matters as well as filings (issue 26): through the API and on
the page in both languages, as of a past position with the links of then, scoped to an agency
without naming the other agencies' cases."""

from __future__ import annotations

import re

from domain.petitions.commands import MarkSameMatter, UnmarkSameMatter
from domain.shared.actors import Role
from tests.api.conftest import USERS, Api
from tests.api.test_pages import visitor
from tests.api.test_petitions_oversight import OTHER, OTHER_RECEPTION, cases, project


def linked(api: Api) -> tuple[dict[str, str], int]:
    """The cases of ``cases``, the one filed at UBND-Q1 marked as the same matter as the one
    SO-CT handles; and the position before the mark."""
    made = cases(api)
    before = api.app.recorder.max_notification_id() or 0
    api.app.petitions.execute(
        MarkSameMatter(earlier=made["handled"], reason="Cùng thửa đất, cùng quyết định"),
        made["elsewhere"],
        actor=OTHER_RECEPTION,
        request_id="r",
    )
    project(api)
    return made, before


def test_the_dashboard_counts_filings_and_matters_and_lists_the_repeated_ones(api: Api) -> None:
    made, before = linked(api)
    answer = api.get("/api/petitions/dashboard", Role.LEADER).json
    assert answer["city"]["received"] == 6
    matters = answer["matters"]
    assert (matters["filings"], matters["matters"], matters["repeated"]) == (6, 5, 1)
    assert answer["repeated_matters"] == [
        {
            "receipts": [made["handled"], made["elsewhere"]],
            "filings": 2,
            "agencies": ["SO-CT", OTHER],
            "first_result_on": None,
            "on_time": None,
        }
    ]
    assert answer["agency_matters"][OTHER]["matters"] == 2  # its own and the one transferred in
    # As of the position before the mark: each filing its own matter.
    then = api.get(
        "/api/petitions/dashboard",
        Role.LEADER,
        as_of=answer["as_of"],
        position=str(before),
    ).json
    assert (then["matters"]["matters"], then["repeated_matters"]) == (6, [])


def test_an_agency_sees_its_own_filing_of_a_repeated_matter_and_where_else_it_was_filed(
    api: Api,
) -> None:
    made, _ = linked(api)
    answer = api.get("/api/petitions/dashboard", Role.AGENCY_HEAD).json
    assert answer["repeated_matters"] == [
        {
            "receipts": [made["handled"]],
            "filings": 2,
            "agencies": ["SO-CT", OTHER],
            "first_result_on": None,
            "on_time": None,
        }
    ]
    assert made["elsewhere"] not in api.get("/api/petitions/dashboard", Role.AGENCY_HEAD).text


def test_the_dashboard_page_shows_matters_and_repeats_in_both_languages(api: Api) -> None:
    made, _ = linked(api)
    office = visitor(api, USERS[Role.OFFICE][0])
    page = office.get("/petitions/dashboard")
    assert page.status_code == 200, page.text
    figure = re.search(r'data-matter-figure="matters"><span class="value">(\d+)<', page.text)
    assert figure is not None
    assert figure[1] == "5"
    for words in ("Vụ việc và lượt đơn", "Lượt đơn tiếp nhận", "lặp lại ×2", "tính theo lượt đơn"):
        assert words in page.text, words
    assert f"{made['handled']} · {made['elsewhere']}" in page.text
    for english in ("Matters", "repeated ×", "Filings received", "First result"):
        assert english not in page.text, english
    en = office.get("/petitions/dashboard?lang=en")
    for words in ("Matters and filings", "Filings received", "repeated ×2", "counted per filing"):
        assert words in en.text, words
    assert "Vụ việc" not in en.text


def test_an_undone_link_counts_two_matters_again_and_the_page_says_none_repeats(
    api: Api,
) -> None:
    made, _ = linked(api)
    api.app.petitions.execute(
        UnmarkSameMatter(earlier=made["handled"], reason="Khác thửa đất"),
        made["elsewhere"],
        actor=OTHER_RECEPTION,
        request_id="r",
    )
    project(api)
    answer = api.get("/api/petitions/dashboard", Role.LEADER).json
    assert (answer["matters"]["matters"], answer["repeated_matters"]) == (6, [])
    page = visitor(api, USERS[Role.OFFICE][0]).get("/petitions/dashboard")
    assert "Không có vụ việc nào gửi nhiều lần." in page.text


def test_the_dashboards_exports_carry_the_matters(api: Api) -> None:
    linked(api)
    office = visitor(api, USERS[Role.OFFICE][0])
    csv_vi = office.get("/petitions/dashboard/export.csv").text
    assert "Vụ việc gửi nhiều lần" in csv_vi
    csv_en = office.get("/petitions/dashboard/export.csv?lang=en").text
    assert "Matters filed more than once" in csv_en
