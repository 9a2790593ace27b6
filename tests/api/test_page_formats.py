"""The pages write numbers, percentages, days and times as the reader's language writes them: the
dashboard and a directive's page in Vietnamese and in English, the audit trail in the city's time,
days that do not break across lines; the API stays ISO; and one encoding of the root hash on the
pages, in the exports and on the command line. On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli.main import main as thucthi
from tests.api.conftest import Api, make_api
from tests.api.test_pages import Visitor, issue, page_of, visitor
from tests.postgres import fresh_schema, require_server

NBSP = "\u00a0"


@pytest.fixture(params=["sqlite", "postgres"])
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Api, str]]:
    """The pages on each backend, and the database's URL (for the command line)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'api.db'}"
        built, app = make_api(url)
        try:
            yield built, url
        finally:
            app.close()
    else:
        with fresh_schema(require_server()) as url:
            built, app = make_api(url)
            try:
                yield built, url
            finally:
                app.close()


def a_year_of_work(api: Api) -> tuple[Visitor, Visitor]:
    """On Monday 4 March 2024, 09:00 in the city: two directives long overdue (since 2 January
    and 30 June 2019: 1,888 and 1,709 days), one completed on time (so one in three on time),
    and one 40% done."""
    leader, officer = visitor(api, "leader.chutich"), visitor(api, "so-ct.canbo")
    issue(leader, "1/UBND-VX", issued_on="2019-01-01", deadline="2019-01-02")
    issue(leader, "2/UBND-VX", issued_on="2019-01-01", deadline="2019-06-30")
    issue(leader, "3/UBND-VX", deadline="2024-04-30")
    done = page_of("3/UBND-VX")
    assert officer.post(done + "/acknowledge", {}).status_code == 303
    assert officer.post(done + "/progress", {"percent": "40"}).status_code == 303
    assert officer.post(done + "/completion", {"summary": "Xong"}).status_code == 303
    assert (
        leader.post(
            done + "/decide_completion", {"decision": "accept", "confirm": "yes"}
        ).status_code
        == 303
    )
    issue(leader, "4/UBND-VX", deadline="2024-04-30")
    going = page_of("4/UBND-VX")
    assert officer.post(going + "/acknowledge", {}).status_code == 303
    assert officer.post(going + "/progress", {"percent": "40"}).status_code == 303
    return leader, officer


def text_of(html: str, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>(.*?)</', html, re.S)
    assert found, element_id
    return found[1]


def test_the_dashboard_writes_numbers_and_days_the_readers_way(site: tuple[Api, str]) -> None:
    """Vietnamese: 4/3/2024, 1.888 days, 33,3%; English: Mar 4, 2024, 1,888, 33.3%."""
    api, _ = site
    leader, _ = a_year_of_work(api)
    vi = leader.get("/dashboard").text
    assert text_of(vi, "as-of-day") == "4/3/2024"
    rows = re.findall(r"<tr><td><a[^>]*>([^<]+)</a>.*?</tr>", vi, re.S)
    assert rows[:2] == ["1/UBND-VX", "2/UBND-VX"]
    assert '<td class="date">2/1/2019</td><td class="num days-overdue">1.888</td>' in vi
    assert '<td class="date">30/6/2019</td><td class="num days-overdue">1.709</td>' in vi
    assert '<span class="value">33,3%</span>' in vi
    leader.get("/language?to=en&back=/dashboard")
    en = leader.get("/dashboard").text
    assert text_of(en, "as-of-day") == f"Mar{NBSP}4,{NBSP}2024"
    day_and_count = (
        f'<td class="date">Jan{NBSP}2,{NBSP}2019</td><td class="num days-overdue">1,888</td>'
    )
    assert day_and_count in en
    assert '<span class="value">33.3%</span>' in en


def test_a_directives_page_writes_its_days_and_times_the_readers_way(site: tuple[Api, str]) -> None:
    """Its days as the language writes them, its timeline in the city's time (09:00, not the
    02:00 UTC stored), its percent as a percent."""
    api, _ = site
    leader, _ = a_year_of_work(api)
    vi = leader.get(page_of("3/UBND-VX")).text
    assert text_of(vi, "issued-on") == "4/3/2024"
    assert text_of(vi, "original-deadline") == "30/4/2024"
    assert f'<time datetime="2024-03-04T02:00:00+00:00">09:00{NBSP}4/3/2024</time>' in vi
    assert text_of(leader.get(page_of("4/UBND-VX")).text, "percent") == "40%"
    leader.get("/language?to=en&back=/")
    en = leader.get(page_of("3/UBND-VX")).text
    assert text_of(en, "original-deadline") == f"Apr{NBSP}30,{NBSP}2024"
    assert f">Mar{NBSP}4,{NBSP}2024,{NBSP}9:00\u202fAM</time>" in en


def test_the_audit_trail_is_in_the_citys_time_like_every_other_page(site: tuple[Api, str]) -> None:
    """It said "2024-03-04 02:00:00 UTC" where every other page said 09:00."""
    api, _ = site
    a_year_of_work(api)
    inspector = visitor(api, "thanhtra")
    assert inspector.post("/inspector/checkpoint", {}).status_code == 303  # the trail caught up
    trail = inspector.get("/inspector?order=asc").text
    table = trail[trail.index('id="audit-trail"') :]
    assert re.search(f'<time datetime="2024-03-04T02:00:00[^"]*">09:00{NBSP}4/3/2024</time>', table)
    shown = re.sub(r"<[^>]+>", " ", table)  # what a reader sees, not the machine's attributes
    assert "UTC" not in shown
    assert "02:00" not in shown


def test_days_on_the_pages_do_not_break_across_lines(site: tuple[Api, str]) -> None:
    """Every day shown in a table cell is marked a date, which the stylesheet keeps on one line,
    and an English day has no space to break at."""
    api, _ = site
    leader, _ = a_year_of_work(api)
    stylesheet = leader.get("/static/app.css").text
    assert re.search(r"\.date[^{]*\{[^}]*white-space:\s*nowrap", stylesheet)
    leader.get("/language?to=en&back=/")
    listed = leader.get("/directives").text
    cells = re.findall(r'<td class="date"[^>]*>([^<]*)</td>', listed)
    assert len(cells) == 4
    assert all(" " not in cell for cell in cells), cells


def test_the_api_keeps_iso_days_and_plain_numbers(site: tuple[Api, str]) -> None:
    """The pages' formats are for people: the JSON stays ISO 8601."""
    api, _ = site
    a_year_of_work(api)
    directive = api.get("/api/directives/3~UBND-VX", "leader.chutich").json
    assert directive["deadline"] == "2024-04-30"
    late = api.get("/api/oversight/late", "leader.chutich").json
    assert late["as_of"] == "2024-03-04"
    assert [item["days"] for item in late["items"]][:2] == [1888, 1709]


def test_the_root_hash_reads_the_same_on_the_pages_in_the_exports_and_the_command_line(
    site: tuple[Api, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Base64 on the web and hex in `thucthi audit verify`: now hex everywhere people read it."""
    api, url = site
    leader, _ = a_year_of_work(api)
    inspector = visitor(api, "thanhtra")
    assert inspector.post("/inspector/checkpoint", {}).status_code == 303
    on_inspector = text_of(inspector.get("/inspector").text, "checkpoint-root")
    assert re.fullmatch("[0-9a-f]{64}", on_inspector), on_inspector
    dashboard = leader.get("/dashboard").text
    assert re.search(rf'<code title="{on_inspector}" id="checkpoint-root">', dashboard)
    exported = leader.get("/dashboard/export.csv").content.decode("utf-8-sig")
    provenance = {row[0]: row[1] for row in csv.reader(io.StringIO(exported)) if len(row) == 2}
    assert provenance["Gốc cây Merkle của điểm kiểm tra (SHA-256, hex)"] == on_inspector
    signer = api.services.signer
    assert signer is not None
    key = tmp_path / "log.vkey"
    key.write_text(signer.vkey + "\n")
    out = io.StringIO()
    capsys.readouterr()
    thucthi(["--db", url, "audit", "verify", "--public-key", str(key), "--quiet"], out=out)
    said = re.search(r"root ([0-9a-f]+),", out.getvalue())
    assert said is not None, out.getvalue()
    assert said[1] == on_inspector
