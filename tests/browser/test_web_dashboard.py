"""The dashboard as leadership uses it: figures as of an earlier day, the header's search, the
English switch, and the exports that say which log position they were computed from."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import uuid
from datetime import timedelta
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.browser.conftest import (
    NewPage,
    Screenshot,
    ServedApp,
    city_today,
    issue_directive,
    path_of,
    shown_day,
    tile_count,
    unique_reference,
    whole_number,
)

# What the pages themselves say (not the data they show): headings, labels, buttons, menus. A
# directive's h1 is its reference and title, which are data.
LABELS = (
    "h2, h3, th, label, legend, dt, nav a, button, #tiles .label, .caption, "
    "#urgency option, #basis option"
)


def shown(page: Page, selector: str) -> list[str]:
    return [text.strip() for text in page.locator(selector).all_inner_texts() if text.strip()]


def vietnamese(text: str) -> bool:
    """Whether the text has a Vietnamese letter: a diacritic, or đ."""
    decomposed = unicodedata.normalize("NFD", text)
    return "đ" in text.lower() or any(unicodedata.category(c) == "Mn" for c in decomposed)


def log_position(page: Page) -> int:
    return whole_number(page.locator("#log-position").inner_text())


def submit_filters(page: Page) -> None:
    with page.expect_navigation():
        page.locator("#filters [type=submit]").click()


def test_the_as_of_picker_shows_the_figures_of_an_earlier_day(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot
) -> None:
    """Picking a day 200 days back shows that day in the provenance line and fewer directives
    than today; a directive issued today (found by its own issuer) counts today and not then."""
    page = new_page(user=server.office)
    issuer = f"Tổ kiểm thử {uuid.uuid4().hex[:8]}"
    issue_directive(
        page,
        reference=unique_reference("ASOF"),
        title="Kiểm tra công tác phòng cháy chữa cháy",
        lead_unit="UBND-P-SAIGON",
        deadline=city_today() + timedelta(days=10),
        issuer=issuer,
    )
    today = city_today()
    earlier = today - timedelta(days=200)

    page.goto("/dashboard")
    expect(page.locator("#as-of-day")).to_have_text(shown_day(today))
    expect(page.locator("#as_of")).to_have_value(today.isoformat())
    total_today = tile_count(page, "total")
    page.fill("#as_of", earlier.isoformat())
    submit_filters(page)
    assert f"as_of={earlier.isoformat()}" in page.url
    expect(page.locator("#as-of-day")).to_have_text(shown_day(earlier))
    expect(page.locator("#as_of")).to_have_value(earlier.isoformat())
    total_then = tile_count(page, "total")
    assert 0 < total_then < total_today
    screenshot(page, "dashboard-as-of-200-days-ago")

    page.fill("#as_of", today.isoformat())
    page.select_option("#issuer", issuer)
    submit_filters(page)
    assert tile_count(page, "total") == 1
    assert tile_count(page, "in_progress") == 1
    screenshot(page, "dashboard-today-filtered-by-a-new-issuer")

    page.fill("#as_of", earlier.isoformat())
    submit_filters(page)
    expect(page.locator("#issuer")).to_have_value(issuer)
    expect(page.locator("#as-of-day")).to_have_text(shown_day(earlier))
    assert tile_count(page, "total") == 0


def test_the_header_search_finds_accented_titles_from_an_unaccented_query(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot
) -> None:
    """Typing "giao thong" in the header's search box lists directives about "giao thông"."""
    page = new_page(user=server.leader)
    page.goto("/dashboard")
    page.fill("#search-q", "giao thong")
    with page.expect_navigation():
        page.press("#search-q", "Enter")
    assert path_of(page) == "/directives"
    assert "q=giao+thong" in page.url
    expect(page.locator("#result-count")).to_contain_text("giao thong")
    expect(page.locator("#search-q")).to_have_value("giao thong")
    titles = shown(page, "#directive-list tbody tr td.list-title .title")
    assert titles, "no result"
    assert any("giao thông" in title.lower() for title in titles), titles
    screenshot(page, "search-giao-thong")


def test_the_dashboard_in_english_has_no_vietnamese_labels(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot
) -> None:
    """The header's language link turns the dashboard (keeping the day asked for) and a
    directive's page into English: no heading, label, column, button, status or timeline step
    keeps a Vietnamese word; the link turns them back."""
    page = new_page(user=server.leader)
    earlier_day = city_today() - timedelta(days=30)
    earlier = earlier_day.isoformat()
    page.goto(f"/dashboard?as_of={earlier}")
    with page.expect_navigation():
        page.click("#lang-switch")
    assert path_of(page) == "/dashboard"
    expect(page.locator("html")).to_have_attribute("lang", "en")
    # English writes the month in words: "Oct 18, 2026".
    expect(page.locator("#as-of-day")).to_have_text(
        f"{earlier_day:%b} {earlier_day.day}, {earlier_day.year}"
    )
    expect(page.locator("h1")).to_have_text("Execution overview")
    labels = shown(page, f"h1, {LABELS}")
    assert len(labels) > 20
    assert [text for text in labels if vietnamese(text)] == []
    screenshot(page, "dashboard-english")

    with page.expect_navigation():
        page.locator("#late-list tbody a").first.click()
    assert path_of(page).startswith("/directives/")
    labels = shown(page, f"{LABELS}, #status, #category, #timeline .what")
    assert [text for text in labels if vietnamese(text)] == []
    screenshot(page, "directive-english")

    with page.expect_navigation():
        page.click("#lang-switch")
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("#actions-title")).to_have_text("Thao tác")


# The exports' provenance, labelled in the page's language (Vietnamese by default).
POSITION = "Vị trí nhật ký"
ROOT = "Gốc cây Merkle của điểm kiểm tra (SHA-256, hex)"
TREE_SIZE = "Số sự kiện của điểm kiểm tra"


def test_the_dashboard_exports_csv_and_xlsx_that_name_their_log_position(
    server: ServedApp, new_page: NewPage, tmp_path: Path
) -> None:
    """Once a checkpoint is signed, both downloads carry the log position the page was computed
    from and the signed checkpoint covering it (as the page's provenance line shows it), and the
    same city total as the tile; an export of an earlier day says which day."""
    page = new_page(user=server.leader)  # signing in is recorded: before the checkpoint
    inspector = new_page(user=server.inspector)
    inspector.goto("/inspector")
    with inspector.expect_navigation():
        inspector.locator("#checkpoint form[action='/inspector/checkpoint'] [type=submit]").click()

    page.goto("/dashboard")
    position = log_position(page)
    total = tile_count(page, "total")
    page.locator("#provenance-details summary").click()  # the hash is one click away
    checkpoint = page.locator("#provenance-details code")
    expect(checkpoint).to_be_visible()
    root = checkpoint.get_attribute("title")
    tree_size = str(whole_number(checkpoint.inner_text().split("·")[0]))
    assert root
    assert re.fullmatch("[0-9a-f]{64}", root), root  # in hex, as everywhere people see it

    with page.expect_download() as csv_download:
        page.click("#export-csv")
    assert csv_download.value.suggested_filename.endswith(f"-p{position}.csv")
    text = csv_download.value.path().read_bytes().decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    source = {row[0]: row[1] for row in rows if len(row) == 2}
    assert source[POSITION] == str(position)
    assert source[ROOT] == root
    assert source[TREE_SIZE] == tree_size
    assert int(tree_size) >= position
    city = next(row for row in rows if len(row) > 7 and row[1] == "")
    assert int(city[7]) == total

    with page.expect_download() as xlsx_download:
        page.click("#export-xlsx")
    name = xlsx_download.value.suggested_filename
    assert name.endswith(f"-p{position}.xlsx")
    saved = tmp_path / name
    xlsx_download.value.save_as(saved)
    book = load_workbook(saved, read_only=True)
    sheet = {str(row[0]): row[1] for row in book["Nguồn số liệu"].iter_rows(values_only=True)}
    assert sheet[POSITION] == str(position)
    assert sheet[ROOT] == root
    assert sheet[TREE_SIZE] == tree_size
    summary = list(book.worksheets[0].iter_rows(values_only=True))
    assert summary[1][7] == total
    book.close()

    earlier = (city_today() - timedelta(days=90)).isoformat()
    page.goto(f"/dashboard?as_of={earlier}")
    with page.expect_download() as earlier_download:
        page.click("#export-csv")
    rows = list(csv.reader(io.StringIO(earlier_download.value.path().read_text("utf-8-sig"))))
    assert rows[1][1] == earlier


def test_each_tile_opens_the_list_of_exactly_the_directives_it_counts(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot
) -> None:
    """Following a category tile from today's dashboard lists as many directives as the tile
    counts, over the list's pages, each marked with that category."""
    page = new_page(user=server.leader)
    for category in ("completed_on_time", "completed_late", "in_progress", "overdue"):
        page.goto("/dashboard")
        counted = tile_count(page, category)
        with page.expect_navigation():
            page.locator(f"#tiles li[data-category={category}] a").click()
        assert path_of(page) == "/directives"
        expect(page.locator("#list-category")).to_have_value(category)
        said = page.locator("#result-count").inner_text()
        listed = marked = 0
        while True:
            listed += page.locator("#directive-list tbody tr").count()
            marked += page.locator(f"#directive-list tbody .category-{category}").count()
            if page.locator("#list-next").count() == 0:
                break
            with page.expect_navigation():
                page.locator("#list-next").click()
        assert (listed, marked) == (counted, counted), f"{category}: tile {counted}, {said}"
    screenshot(page, "directives-list-overdue")
