"""Files through the pages in a browser (issue 27): a department officer attaches a file to a
progress report, with the form alone (no script), and the leader downloads it, byte for byte."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from playwright.sync_api import expect

from tests.browser.conftest import (
    NewPage,
    Screenshot,
    ServedApp,
    city_today,
    issue_directive,
    unique_reference,
)

# A small PDF whose bytes no other test files (its content is sniffed: "%PDF-" first).
REPORT = (
    b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
    b"% bao cao tien do: ra soat 12 cho truyen thong\n"
    b"trailer << /Root 1 0 R >>\n%%EOF\n"
)


def test_a_department_officer_attaches_a_file_and_the_leader_downloads_it(
    server: ServedApp, new_page: NewPage, screenshot: Screenshot, tmp_path: Path
) -> None:
    """The officer acknowledges, then reports 30 % with a PDF chosen in the progress form's file
    input; the directive page lists the file under its Vietnamese name; the leader's download
    has the same bytes and name."""
    leader = new_page(user=server.leader)
    path = issue_directive(
        leader,
        reference=unique_reference("TEP"),
        title="Rà soát chợ truyền thống, báo cáo kèm biên bản",
        lead_unit="SO-CT",
        deadline=city_today() + timedelta(days=20),
    )
    officer = new_page(user=server.officer)
    officer.goto(path)
    with officer.expect_navigation():
        officer.locator("form[data-action=acknowledge] [type=submit]").click()
    form = officer.locator("form[data-action=progress]")
    expect(form).to_have_attribute("enctype", "multipart/form-data")
    form.locator("[name=percent]").fill("30")
    form.locator("[name=narrative]").fill("Đã rà soát 12 chợ, kèm biên bản.")
    name = f"Biên bản rà soát {unique_reference('TEP').split('/')[0]}.pdf"
    form.locator("input[type=file][name=files]").set_input_files(
        {"name": name, "mimeType": "application/pdf", "buffer": REPORT}
    )
    screenshot(officer, "files-01-progress-with-a-file")
    with officer.expect_navigation():
        form.locator("[type=submit]").click()
    assert "done=progress" in officer.url, officer.url
    expect(officer.locator("[role=alert]")).to_have_count(0)

    leader.goto(path)
    link = leader.locator("#files a", has_text=name)
    expect(link).to_have_count(1)
    expect(leader.locator("#files")).to_contain_text("kèm báo cáo tiến độ")
    screenshot(leader, "files-02-the-leader-sees-the-file")
    with leader.expect_download() as downloading:
        link.click()
    download = downloading.value
    saved = tmp_path / "downloaded.pdf"
    download.save_as(saved)
    assert saved.read_bytes() == REPORT
    assert download.suggested_filename == name
