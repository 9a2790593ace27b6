"""The pages name the point of view of their figures, which gives them again, and say so when the
day shown is still to come: the dashboard, its exports and the list of directives."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

from tests.api.conftest import Api
from tests.api.test_pages import issue, page_of, visitor

FORECAST_VI = "Ngày này chưa đến: đây là dự báo"
FORECAST_EN = "This day is still to come: this is a forecast"


def number(text: str, pattern: str) -> int:
    """A number the page writes, whatever it groups its digits with."""
    found = re.search(pattern, text, re.S)
    assert found, pattern
    return int(re.sub(r"\D", "", found[1]))


def position_shown(page: str) -> int:
    return number(page, r'id="log-position">([^<]+)<')


def tiles(page: str) -> dict[str, int]:
    return {
        category: number(page, rf'data-category="{category}">.*?<span class="value">([^<]+)<')
        for category in ("completed_on_time", "completed_late", "in_progress", "overdue")
    }


def test_the_dashboard_of_a_past_day_names_the_position_that_gives_it_again(api: Api) -> None:
    """1/UBND-VX was due on 5 March and still open on the 6th; it was completed on the 7th. The
    dashboard of the 6th, shown on the 7th, names the position the 6th ended at, and that
    position in the address, or in its exports' links, gives the same figures."""
    leader, officer = visitor(api, "leader.chutich"), visitor(api, "so-ct.canbo")
    issue(leader, reference="1/UBND-VX", deadline="2024-03-05")
    assert officer.post(page_of("1/UBND-VX") + "/acknowledge", {}).status_code == 303
    api.clock.advance(timedelta(days=3))
    api.sign_in_again()
    leader, officer = visitor(api, "leader.chutich"), visitor(api, "so-ct.canbo")
    officer.post(page_of("1/UBND-VX") + "/completion", {"summary": "Xong"})
    leader.post(page_of("1/UBND-VX") + "/decide_completion", {"decision": "accept"})
    head = api.app.max_notification_id()

    shown = leader.get("/dashboard?as_of=2024-03-06").text
    position = position_shown(shown)
    assert position < head
    assert tiles(shown)["overdue"] == 1
    again = leader.get(f"/dashboard?as_of=2024-03-06&position={position}").text
    assert (position_shown(again), tiles(again)) == (position, tiles(shown))
    assert 'id="forecast"' not in shown

    link = re.search(r'id="export-csv" href="([^"]+)"', shown)
    assert link is not None
    assert f"position={position}" in link[1]
    exported = leader.get(link[1].replace("&amp;", "&"))
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    provenance = {row[0]: row[1] for row in rows if len(row) == 2}
    assert provenance["Vị trí nhật ký"] == str(position)
    assert "Dự báo" not in provenance
    assert f"-p{position}.csv" in exported.headers["content-disposition"]


def test_a_day_still_to_come_is_shown_as_a_forecast_in_both_languages(api: Api) -> None:
    leader = visitor(api, "leader.chutich")
    issue(leader, reference="1/UBND-VX", deadline="2024-03-05")
    ahead = leader.get("/dashboard?as_of=2024-03-20")
    assert ahead.status_code == 200
    assert FORECAST_VI in ahead.text
    assert tiles(ahead.text)["overdue"] == 1  # if nothing changes by then
    assert FORECAST_EN in leader.get("/dashboard?as_of=2024-03-20&lang=en").text
    for today in ("/dashboard", "/dashboard?as_of=2024-03-04", "/directives?as_of=2024-03-04"):
        page = leader.get(today).text
        assert 'id="forecast"' not in page, today
    listed = leader.get("/directives?category=overdue&as_of=2024-03-20").text
    assert FORECAST_VI in listed
    assert "1/UBND-VX" in listed
    exported = leader.get("/dashboard/export.csv?as_of=2024-03-20&lang=en")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    provenance = {row[0]: row[1] for row in rows if len(row) == 2}
    assert provenance["Forecast"].startswith(FORECAST_EN)
