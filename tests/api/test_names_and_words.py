"""What the pages say to a person (issue 24, items 7 and 9): units and people by their names and
titles, never their codes or logins; units listed as a person counts them; the inspector's
pages in sentences, every changed field by its label and its value in words, and which signed
checkpoint covers what. On SQLite and on PostgreSQL."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from domain.application import SYSTEM_ACTOR
from domain.shared.actors import Role
from tests.api.conftest import Api, api_on
from tests.api.test_audit_api import audit_up
from tests.api.test_pages import REF, Visitor, issue, page_of, visitor

VICE_CHAIR = ("leader.pct3", "Nguyễn Hoàng Long", "Phó Chủ tịch UBND Thành phố")
# A field of the aggregates as the code names it (``completion_reported_at``), a Python value
# written as Python writes it, or an enum's value: none of it is for a person's eyes.
CODE_ON_A_PAGE = re.compile(
    r"\b[a-z]+_[a-z_]+\b|\{'|\bNone\b|\bTrue\b|\bFalse\b|ExtensionRequest\(|"
    r"ExplanationRequest\(|\b(?:urgent|in_progress|completion_reported|pending)\b"
)


@pytest.fixture(params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    """The pages on each backend, with the users of ``tests.api.conftest``."""
    yield from api_on(request.param, tmp_path)


class _Text(HTMLParser):
    """The text inside the element with an id, as a person reads it (cells and list items
    apart, words of one line together)."""

    VOID = frozenset({"br", "img", "input", "meta", "link", "hr", "col", "source", "wbr"})

    def __init__(self, element: str) -> None:
        super().__init__()
        self.element, self.depth, self.found = element, 0, False
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.VOID:
            return
        if self.depth:
            self.depth += 1
            if tag in {"td", "th", "li", "tr", "dd", "dt", "p", "div", "option"}:
                self.parts.append(" ")
        elif ("id", self.element) in attrs:
            self.depth, self.found = 1, True

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in self.VOID:
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


def text_of(page: str, element: str) -> str:
    """What a person reads in the element with this id: its text, without markup."""
    parser = _Text(element)
    parser.feed(page)
    assert parser.found, element
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


def options(page: str, select: str) -> list[tuple[str, str]]:
    """(value, text) of each option of a select."""
    found = re.search(rf'<select id="{select}"[^>]*>(.*?)</select>', page, re.S)
    assert found is not None, select
    return [
        (value, html.unescape(label).strip())
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', found[1])
    ]


def vice_chair(api: Api) -> Visitor:
    """A vice-chairman's account, made with a name and a title through the API, signed in."""
    username, name, title = VICE_CHAIR
    made = api.post(
        "/api/users",
        Role.ADMIN,
        {
            "username": username,
            "display_name": name,
            "title": title,
            "role": "leader",
            "password": "mat-khau-du-dai",
        },
    )
    assert made.status_code == 201, made.text
    assert (made.json["display_name"], made.json["title"]) == (name, title)
    return visitor(api, username)


# --- names, not codes --------------------------------------------------------------------------


def test_a_directives_timeline_names_its_units_not_their_codes(api: Api) -> None:
    leader = visitor(api, "leader.chutich")
    issue(leader, coordinating_units="UBND-Q3")
    officer = visitor(api, "so-ct.canbo")
    officer.post(page_of(REF) + "/acknowledge", {})
    leader.post(page_of(REF) + "/reassign", {"to_unit": "UBND-Q10", "reason": "Phân cấp"})
    timeline = text_of(leader.get(page_of(REF)).text, "timeline")
    assert "giao Sở Công Thương chủ trì, Ủy ban nhân dân Quận 3 phối hợp" in timeline
    assert "từ Sở Công Thương sang Ủy ban nhân dân Quận 10" in timeline
    assert not re.search(r"\b(SO-CT|UBND-Q3|UBND-Q10)\b", timeline)
    english = text_of(leader.get(page_of(REF) + "?lang=en").text, "timeline")
    assert "to Department of Industry and Trade, with District 3 People's Committee" in english


def test_the_signer_of_a_directive_is_a_person_with_a_title_on_every_page(api: Api) -> None:
    """Issued by a vice-chairman: the directive's page, its timeline, the page's header and
    the dashboard's filter name him "Name — Title"; the filter's value stays his user name."""
    username, name, title = VICE_CHAIR
    signer = vice_chair(api)
    issue(signer, issuer="")
    who = f"{name} — {title}"
    page = signer.get(page_of(REF)).text
    assert text_of(page, "issuer") == who
    assert f"({who})" in text_of(page, "timeline")
    assert who in page.split("</header>")[0]
    assert username not in text_of(page, "timeline")
    dashboard = visitor(api, "leader.chutich").get("/dashboard").text
    assert (username, who) in options(dashboard, "issuer")
    listed = signer.get(f"/directives?issuer={username}").text
    assert who in text_of(listed, "list-question")
    form = signer.get("/directives/new").text
    assert f'<option value="{username}">{who}</option>' in form

    # Reported complete: the report waits on him, and the pages say so by his name and title.
    officer = visitor(api, "so-ct.canbo")
    officer.post(page_of(REF) + "/acknowledge", {})
    officer.post(page_of(REF) + "/completion", {"summary": "Xong"})
    assert who in text_of(signer.get(page_of(REF)).text, "awaiting")
    held = re.findall(
        r'class="held-by">([^<]*)<', visitor(api, "leader.chutich").get("/dashboard").text
    )
    assert held == [who]


def test_every_list_of_units_is_in_natural_order(api: Api) -> None:
    """Quận 2, added after the others, comes between Quận 1 and Quận 3, and Quận 3 before Quận
    10: in the filters of every page and in the registry the API lists."""
    api.app.add_unit(
        code="UBND-Q2",
        name_vi="Ủy ban nhân dân Quận 2",
        name_en="District 2 People's Committee",
        parent="UBND-TP",
        actor=SYSTEM_ACTOR,
        request_id="r",
    )
    expected = [f"UBND-Q{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12)]
    leader = visitor(api, "leader.chutich")
    issue(leader)
    for path, select in [
        ("/dashboard", "unit"),
        ("/directives", "list-unit"),
        ("/inspector", "trail-unit"),
        ("/directives/new", "lead_unit"),
    ]:
        codes = [code for code, _ in options(leader.get(path).text, select)]
        assert [c for c in codes if re.fullmatch(r"UBND-Q\d+", c)] == expected, path
    english = [c for c, _ in options(leader.get("/dashboard?lang=en").text, "unit")]
    assert [c for c in english if re.fullmatch(r"UBND-Q\d+", c)] == expected
    registry = [u["code"] for u in api.get("/api/units", Role.LEADER).json["items"]]
    assert [c for c in registry if re.fullmatch(r"UBND-Q\d+", c)] == expected


# --- the inspector's words ---------------------------------------------------------------------


def test_the_inspectors_action_filter_offers_actions_in_words(api: Api) -> None:
    inspector = visitor(api, "thanhtra")
    for lang, accepted, denied in [
        ("vi", "Nghiệm thu, công nhận hoàn thành", "Từ chối gia hạn"),
        ("en", "Completion accepted", "Extension denied"),
    ]:
        offered = options(inspector.get(f"/inspector?lang={lang}").text, "trail-action")
        assert ("CompletionAccepted", accepted) in offered
        assert ("ExtensionDenied", denied) in offered
        for value, label in offered:
            assert label != value, label  # the name of an event class is for the filter only


def test_the_history_and_the_trail_show_every_change_in_words(api: Api) -> None:
    """A directive's versions and its trail entries: every changed field by its label, every
    value in words (statuses, urgencies, units, moments, an extension request as a sentence),
    no field name and no Python value, in both languages."""
    leader, officer = visitor(api, "leader.chutich"), visitor(api, "so-ct.canbo")
    issue(leader, coordinating_units="SO-TC")
    officer.post(page_of(REF) + "/acknowledge", {})
    officer.post(page_of(REF) + "/progress", {"percent": "40", "narrative": "Đã khảo sát"})
    officer.post(page_of(REF) + "/extension", {"new_deadline": "2024-05-31", "reason": "Mưa"})
    leader.post(
        page_of(REF) + "/decide_extension",
        {"number": "1", "decision": "grant", "new_deadline": "2024-05-31"},
    )
    api.clock.advance(timedelta(hours=1))
    officer.post(page_of(REF) + "/completion", {"summary": "Xong"})
    audit_up(api)  # as the follower does
    inspector = visitor(api, "thanhtra")
    versions = api.app.get_directive(REF).version
    history = "/inspector/directives/" + REF.replace("/", "~")
    for lang in ("vi", "en"):
        for version in range(1, versions + 1):
            page = inspector.get(f"{history}?version={version}&lang={lang}").text
            for table in ("version-changes", "version-state"):
                shown = text_of(page, table)
                assert not CODE_ON_A_PAGE.search(shown), (lang, version, shown)
        trail = text_of(
            inspector.get(f"/inspector?directive={REF}&lang={lang}").text, "audit-trail"
        )
        assert not CODE_ON_A_PAGE.search(trail), (lang, trail)
    granted = inspector.get(f"{history}?version=5").text
    assert "Gia hạn lần 1" in text_of(granted, "version-changes")
    said = "xin đến 31/5/2024 — đã duyệt, hạn mới 31/5/2024 — lý do: “Mưa”"  # days as Vietnamese
    assert said in text_of(granted, "version-changes")
    assert "Hạn hiện hành" in text_of(granted, "version-changes")
    issued = text_of(inspector.get(f"{history}?version=1").text, "version-state")
    assert "Độ khẩn Khẩn" in issued
    assert "Đơn vị phối hợp Sở Tài chính" in issued
    reported = text_of(
        inspector.get(f"{history}?version={versions}&lang=en").text, "version-changes"
    )
    assert "Status In progress Awaiting acceptance" in reported
    assert "Completion reported at — Mar 4, 2024, 10:00 AM" in reported
    trail = text_of(inspector.get(f"/inspector?directive={REF}").text, "audit-trail")
    assert "Tình trạng: Đang thực hiện → Chờ nghiệm thu" in trail
    assert "Sở Công Thương" in trail  # who acted, by the unit's name


# --- which checkpoint covers what --------------------------------------------------------------


def test_the_checkpoint_line_says_which_checkpoint_covers_what_and_what_it_leaves_out(
    api: Api,
) -> None:
    """With 28 checkpoints signed and one action since, the inspector's page and the dashboard
    name the 28th, what it covers, and the newest event as not yet covered (they said "no
    signed checkpoint yet"); once signed again, the 29th covers it all."""
    leader, inspector = visitor(api, "leader.chutich"), visitor(api, "thanhtra")
    issue(leader)
    visitor(api, "so-ct.canbo").post(page_of(REF) + "/acknowledge", {})
    progress = "/api/directives/" + REF.replace("/", "~") + "/progress-reports"
    for n in range(1, 29):
        reported = api.post(progress, Role.DEPARTMENT, {"percent": n, "narrative": f"Lần {n}"})
        assert reported.status_code == 201, reported.text
        assert api.post("/api/audit/checkpoint", Role.INSPECTOR).status_code == 201
    latest = api.get("/api/audit/checkpoint", Role.INSPECTOR).json
    assert api.post(progress, Role.DEPARTMENT, {"percent": 50}).status_code == 201
    said = text_of(inspector.get("/inspector").text, "checkpoint-coverage")
    assert said.startswith("Điểm kiểm tra mới nhất (số 28, ký lúc 09:00 4/3/2024)")
    shown_position = f"{latest['position']:,}".replace(",", ".")  # 1.116, as Vietnamese writes it
    assert f"bao phủ các sự kiện 1–{shown_position}" in said
    assert "1 sự kiện mới nhất chưa được bao phủ — sẽ có trong điểm kiểm tra kế tiếp" in said
    dashboard = text_of(leader.get("/dashboard").text, "checkpoint-coverage")
    assert dashboard.startswith("Điểm kiểm tra mới nhất (số 28,")
    assert "chưa có điểm kiểm tra" not in dashboard
    english = text_of(inspector.get("/inspector?lang=en").text, "checkpoint-coverage")
    assert "the 1 newest events are not covered yet" in english

    assert api.post("/api/audit/checkpoint", Role.INSPECTOR).status_code == 201
    said = text_of(inspector.get("/inspector").text, "checkpoint-coverage")
    assert said.startswith("Điểm kiểm tra mới nhất (số 29,")
    assert "bao phủ toàn bộ nhật ký" in said
    covered = text_of(leader.get("/dashboard").text, "checkpoint-coverage")
    assert covered.startswith("Số liệu này nằm trong điểm kiểm tra số 29")


def test_the_technical_details_are_one_click_away(api: Api) -> None:
    """The checkpoint's hash and note, and the proofs, are in closed ``details``: the page
    reads as sentences, and an inspector opens the details when needed (no script)."""
    issue(visitor(api, "leader.chutich"))
    inspector = visitor(api, "thanhtra")
    assert inspector.post("/inspector/checkpoint", {}).status_code == 303
    page = inspector.get("/inspector").text
    details = re.findall(r"<details[^>]*>.*?</details>", page, re.S)
    hidden = "".join(details)
    assert 'id="checkpoint-root"' in hidden
    assert 'id="checkpoint-note"' in hidden
    assert 'id="inclusion-form"' in hidden
    shown = re.sub(r"<details[^>]*>.*?</details>", "", page, flags=re.S)
    assert not re.search(r"Merkle|base64|SHA-256", shown)


# --- days in the sentences, and the exports' checkpoint sentence --------------------------------


def test_the_pages_tell_events_with_days_the_readers_way_and_the_api_keeps_iso(api: Api) -> None:
    """The sentences that tell a directive's events write their days as the page's language
    does (hạn 30/4/2024, due Apr 30, 2024) on the timeline, the version history and the trail;
    the API's history and trail keep ISO 8601."""
    leader, officer = visitor(api, "leader.chutich"), visitor(api, "so-ct.canbo")
    issue(leader)
    officer.post(page_of(REF) + "/acknowledge", {})
    officer.post(page_of(REF) + "/extension", {"new_deadline": "2024-05-31", "reason": "Mưa"})
    leader.post(
        page_of(REF) + "/decide_extension",
        {"number": "1", "decision": "grant", "new_deadline": "2024-05-31"},
    )
    audit_up(api)
    iso_day = re.compile(r"\d{4}-\d{2}-\d{2}")
    timeline = text_of(leader.get(page_of(REF)).text, "timeline")
    assert "hạn 30/4/2024" in timeline
    assert "xin gia hạn lần 1 đến 31/5/2024" in timeline
    assert "hạn mới 31/5/2024" in timeline
    assert not iso_day.search(timeline), timeline
    english = text_of(leader.get(page_of(REF) + "?lang=en").text, "timeline")
    assert "due Apr 30, 2024" in english
    assert "new deadline May 31, 2024" in english
    inspector = visitor(api, "thanhtra")
    history = "/inspector/directives/" + REF.replace("/", "~")
    issued = text_of(inspector.get(f"{history}?version=1").text, "version-event")
    assert "hạn 30/4/2024" in issued
    trail = text_of(inspector.get(f"/inspector?directive={REF}").text, "audit-trail")
    assert "hạn 30/4/2024" in trail
    assert "hạn mới 31/5/2024" in trail
    assert not iso_day.search(trail), trail

    told = api.get(f"/api/directives/{REF.replace('/', '~')}/history", "leader.chutich").json
    assert "hạn 2024-04-30" in told["items"][0]["vi"]
    assert "due 2024-04-30" in told["items"][0]["en"]
    entries = api.get("/api/audit", "thanhtra", directive=REF).json["items"]
    assert any("hạn mới 2024-05-31" in e["vi"] for e in entries), entries


def test_the_exports_say_which_checkpoint_covers_the_figures_as_the_dashboard_does(
    api: Api,
) -> None:
    """The CSV and the XLSX carry the dashboard's coverage sentence word for word: the
    checkpoint that covers the figures, else the latest and the newest events it leaves out."""
    leader, inspector = visitor(api, "leader.chutich"), visitor(api, "thanhtra")
    issue(leader)
    audit_up(api)
    assert inspector.post("/inspector/checkpoint", {}).status_code == 303
    visitor(api, "so-ct.canbo").post(page_of(REF) + "/acknowledge", {})
    audit_up(api)
    # the officer's sign-in and acknowledgement: events after the checkpoint
    for lang, pending in (("vi", "sự kiện mới nhất chưa được bao phủ"), ("en", "not covered yet")):
        said = text_of(leader.get(f"/dashboard?lang={lang}").text, "checkpoint-coverage")
        assert pending in said
        exported = leader.get(f"/dashboard/export.csv?lang={lang}").content.decode("utf-8-sig")
        rows = {r[0]: r[1] for r in csv.reader(io.StringIO(exported)) if len(r) == 2}
        label = "Phạm vi của điểm kiểm tra" if lang == "vi" else "Checkpoint's coverage"
        assert re.sub(r"\s+", " ", rows[label]) == said
        book = load_workbook(io.BytesIO(leader.get(f"/dashboard/export.xlsx?lang={lang}").content))
        sheet = "Nguồn số liệu" if lang == "vi" else "Source"
        source = {r[0]: r[1] for r in book[sheet].iter_rows(values_only=True)}
        assert re.sub(r"\s+", " ", str(source[label])) == said
    assert inspector.post("/inspector/checkpoint", {}).status_code == 303
    said = text_of(leader.get("/dashboard").text, "checkpoint-coverage")
    assert said.startswith("Số liệu này nằm trong điểm kiểm tra số 2")
    exported = leader.get("/dashboard/export.csv").content.decode("utf-8-sig")
    rows = {r[0]: r[1] for r in csv.reader(io.StringIO(exported)) if len(r) == 2}
    assert re.sub(r"\s+", " ", rows["Phạm vi của điểm kiểm tra"]) == said
