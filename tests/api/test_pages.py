"""The web pages through the WSGI app: sign-in and the session cookie, the form token, the forms
that run commands, confinement of a unit, the dashboard's as-of day and its exports, search, the
inspector's verification and proofs, the version slider, both languages, and the public face.

The same journeys in a real browser are in ``tests/browser``; these are the fast, exact checks.
"""

from __future__ import annotations

import base64
import csv
import io
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import falcon.testing
import orjson
import pytest
from openpyxl import load_workbook

from api import auth
from api.web.i18n import MESSAGES
from api.web.session import SESSION_COOKIE, csrf_token
from domain.application import Thucthi
from domain.shared import merkle
from tests.api.conftest import OUTSIDER, PASSWORD, Api

TEMPLATES = Path(__file__).parents[2] / "api" / "web" / "templates"
REF = "101/UBND-VX"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class Visitor:
    """One person's browser: the session cookie and the form token it was given."""

    def __init__(self, client: falcon.testing.TestClient) -> None:
        self.client = client
        self.cookies: dict[str, str] = {}

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return {**({"Cookie": cookie} if cookie else {}), **(extra or {})}

    def _keep(self, result: falcon.testing.Result) -> falcon.testing.Result:
        for name, cookie in result.cookies.items():
            if cookie.value:
                self.cookies[name] = cookie.value
            else:
                self.cookies.pop(name, None)
        return result

    def get(self, path: str) -> falcon.testing.Result:
        return self._keep(self.client.simulate_get(path, headers=self._headers()))

    def post(self, path: str, form: dict[str, str], *, token: bool = True) -> falcon.testing.Result:
        fields = dict(form)
        if token and path == "/sign-in":
            fields.setdefault("csrf", self.sign_in_form_token())
        elif token and SESSION_COOKIE in self.cookies:
            fields.setdefault("csrf", self.csrf)
        return self._keep(
            self.client.simulate_post(path, body=urlencode(fields), headers=self._headers(FORM))
        )

    @property
    def csrf(self) -> str:
        """The form token of this session, as every signed-in page's forms carry it."""
        parts = auth.split_token(self.cookies[SESSION_COOKIE])
        assert parts is not None
        return csrf_token(auth.token_hash(parts[1]))

    def sign_in_form_token(self) -> str:
        """Open the sign-in page, as a browser does before posting it: its form's token."""
        found = re.search(r'name="csrf" value="([^"]+)"', self.get("/sign-in").text)
        assert found is not None, "the sign-in form carries a form token"
        return found[1]

    def sign_in(self, username: str, password: str = PASSWORD) -> falcon.testing.Result:
        return self.post("/sign-in", {"username": username, "password": password, "next": "/"})


ROOT_VI = "Gốc cây Merkle của điểm kiểm tra (SHA-256, hex)"


def visitor(api: Api, username: str | None = None) -> Visitor:
    v = Visitor(api.client)
    if username is not None:
        signed = v.sign_in(username)
        assert signed.status_code == 303, signed.text
    return v


def issue(leader: Visitor, reference: str = REF, **fields: str) -> falcon.testing.Result:
    form = {
        "reference": reference,
        "title": "Rà soát chợ truyền thống trên địa bàn Quận 3",
        "content": "Báo cáo kết quả trước hạn.",
        "lead_unit": "SO-CT",
        "deadline": "2024-04-30",
        "urgency": "urgent",
        "issuer": "UBND TP",
        **fields,
    }
    return leader.post("/directives/new", form)


def page_of(reference: str) -> str:
    return "/directives/" + reference.replace("/", "~")


def alert(text: str) -> str:
    found = re.search(r'role="alert"[^>]*>(.*?)</div>', text, re.S)
    assert found, "the page shows an alert"
    return re.sub(r"<[^>]+>", " ", found[1])


# --- the public face and signing in ------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_sign_in_and_sees_no_directive(api: Api) -> None:
    issue(visitor(api, "leader.chutich"))
    anonymous = visitor(api)
    assert anonymous.get("/").headers["location"] == "/sign-in"
    to_dashboard = anonymous.get("/dashboard")
    assert to_dashboard.status_code == 303
    assert to_dashboard.headers["location"] == "/sign-in?next=%2Fdashboard"
    sign_in = anonymous.get("/sign-in")
    assert sign_in.status_code == 200
    assert "/api/openapi.json" in sign_in.text
    assert "UBND-VX" not in sign_in.text
    assert anonymous.get(page_of(REF)).status_code == 303


@pytest.mark.parametrize(
    ("username", "home"),
    [
        ("leader.chutich", "/dashboard"),
        ("office.vp", "/dashboard"),
        ("so-ct.canbo", "/units/SO-CT"),
        ("thanhtra", "/inspector"),
        ("admin", "/inspector"),
    ],
)
def test_signing_in_sets_a_private_cookie_and_opens_the_roles_home(
    api: Api, username: str, home: str
) -> None:
    v = visitor(api)
    signed = v.sign_in(username)
    assert signed.status_code == 303
    assert signed.headers["location"] == home
    cookie = signed.cookies[SESSION_COOKIE]
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    assert v.get(home).status_code == 200


def test_a_wrong_password_stays_on_the_sign_in_page_with_an_alert(api: Api) -> None:
    v = visitor(api)
    refused = v.sign_in("leader.chutich", "wrong password")
    assert refused.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu" in alert(refused.text)
    assert SESSION_COOKIE not in v.cookies


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:1",
        "/\t/evil.example",
        "/ /evil.example",
    ],
)
def test_signing_in_never_sends_anyone_off_this_site(api: Api, target: str) -> None:
    signed = visitor(api).post(
        "/sign-in", {"username": "leader.chutich", "password": PASSWORD, "next": target}
    )
    assert signed.headers["location"] == "/dashboard"


def test_a_page_asked_for_before_signing_in_opens_after_it(api: Api) -> None:
    signed = visitor(api).post(
        "/sign-in", {"username": "thanhtra", "password": PASSWORD, "next": "/directives?q=cho"}
    )
    assert signed.headers["location"] == "/directives?q=cho"


def test_signing_out_revokes_the_token_not_just_the_cookie(api: Api) -> None:
    leader = visitor(api, "leader.chutich")
    token = leader.cookies[SESSION_COOKIE]
    out = leader.post("/sign-out", {})
    assert out.status_code == 303
    reused = api.client.simulate_get("/dashboard", headers={"Cookie": f"{SESSION_COOKIE}={token}"})
    assert reused.status_code == 303  # back to sign-in: the old cookie no longer opens anything


# --- the forms ---------------------------------------------------------------------------------


def test_a_leader_issues_and_the_unit_acknowledges_and_reports_through_the_forms(api: Api) -> None:
    leader, officer = visitor(api, "leader.chutich"), visitor(api, "so-ct.canbo")
    issued = issue(leader, coordinating_units="SO-TC")
    assert issued.status_code == 303
    assert issued.headers["location"] == page_of(REF) + "?done=issue"

    inbox = officer.get("/units/SO-CT")
    assert REF in inbox.text
    assert "Tiếp nhận" in inbox.text  # what the unit owes next

    page = officer.get(page_of(REF))
    assert f'name="csrf" value="{officer.csrf}"' in page.text
    assert 'data-action="acknowledge"' in page.text
    assert 'data-action="progress"' not in page.text  # not before acknowledging
    assert officer.post(page_of(REF) + "/acknowledge", {}).status_code == 303
    api.clock.advance(timedelta(hours=2))
    reported = officer.post(
        page_of(REF) + "/progress", {"percent": "60", "narrative": "Đã khảo sát 12 chợ"}
    )
    assert reported.status_code == 303
    assert reported.headers["location"] == page_of(REF) + "?done=progress"

    directive = api.app.get_directive(REF)
    assert directive.percent == 60
    assert directive.coordinating_units == ("SO-TC",)
    shown = officer.get(page_of(REF) + "?done=progress").text
    assert 'id="done"' in shown
    assert "Sở Công Thương báo cáo tiến độ 60%" in shown
    assert "Đã khảo sát 12 chợ" in shown
    assert 'id="progress-chart"' in shown


def test_a_leader_decides_an_extension_and_accepts_completion_through_the_forms(api: Api) -> None:
    leader, officer = visitor(api, "leader.chutich"), visitor(api, "so-ct.canbo")
    issue(leader)
    officer.post(page_of(REF) + "/acknowledge", {})
    officer.post(page_of(REF) + "/extension", {"new_deadline": "2024-05-31", "reason": "Mưa"})
    page = leader.get(page_of(REF))
    assert 'data-action="decide_extension"' in page.text
    number = re.search(r'name="number" value="(\d+)"', page.text)
    assert number is not None
    granted = leader.post(
        page_of(REF) + "/decide_extension",
        {"number": number[1], "decision": "grant", "new_deadline": "2024-05-31"},
    )
    assert granted.status_code == 303, granted.text
    officer.post(page_of(REF) + "/completion", {"summary": "Đã chỉnh trang 12 chợ"})
    accepted = leader.post(
        page_of(REF) + "/decide_completion", {"decision": "accept", "confirm": "yes"}
    )
    assert accepted.status_code == 303, accepted.text
    directive = api.app.get_directive(REF)
    assert directive.status == "completed"
    assert directive.deadline is not None
    assert directive.deadline.isoformat() == "2024-05-31"
    shown = leader.get(page_of(REF)).text
    assert "Đã hoàn thành" in shown
    assert 'id="deadline-in-force" class="date"><strong>31/5/2024' in shown
    assert 'id="original-deadline" class="date">30/4/2024' in shown
    assert 'data-action="' not in shown  # a closed directive offers no action


def test_a_form_without_its_session_token_is_refused_and_records_nothing(api: Api) -> None:
    leader, officer = visitor(api, "leader.chutich"), visitor(api, "so-ct.canbo")
    issue(leader)
    version = api.app.get_directive(REF).version
    forged = officer.post(page_of(REF) + "/acknowledge", {}, token=False)
    assert forged.status_code == 403
    assert "Biểu mẫu đã hết hạn" in alert(forged.text)
    wrong = officer.post(page_of(REF) + "/acknowledge", {"csrf": csrf_token("not the session")})
    assert wrong.status_code == 403
    assert api.app.get_directive(REF).version == version


def test_a_refused_command_is_explained_in_its_form_in_the_readers_language(api: Api) -> None:
    leader, officer = visitor(api, "leader.chutich"), visitor(api, "so-ct.canbo")
    issue(leader)
    version = api.app.get_directive(REF).version
    early = officer.post(page_of(REF) + "/progress", {"percent": "10"})
    assert early.status_code == 409
    assert "phải tiếp nhận văn bản trước khi báo cáo" in alert(early.text)
    officer.get("/language?to=en&back=/")
    english = officer.post(page_of(REF) + "/progress", {"percent": "10"})
    assert "must acknowledge receipt before reporting" in alert(english.text)
    assert api.app.get_directive(REF).version == version


def test_an_invalid_field_is_named_in_its_form_and_the_input_is_kept(api: Api) -> None:
    leader, officer = visitor(api, "leader.chutich"), visitor(api, "so-ct.canbo")
    issue(leader)
    officer.post(page_of(REF) + "/acknowledge", {})
    refused = officer.post(page_of(REF) + "/progress", {"percent": "150", "narrative": "giữ lại"})
    assert refused.status_code == 422
    inside = re.search(r'id="form-progress".*?</form>', refused.text, re.S)
    assert inside is not None
    assert "Phần trăm hoàn thành (0–100) : Không được lớn hơn 100." in alert(inside[0])
    assert "giữ lại" in inside[0]
    assert api.app.get_directive(REF).percent == 0
    issued_badly = issue(leader, reference="102/UBND-VX", title="", deadline="not a day")
    assert issued_badly.status_code == 422
    said = alert(issued_badly.text)
    assert "Trích yếu : Không được để trống." in said
    assert "Thời hạn : Không phải là một ngày hợp lệ." in said


def test_a_form_sent_from_a_page_the_directive_has_since_left_is_refused(api: Api) -> None:
    leader, officer = visitor(api, "leader.chutich"), visitor(api, "so-ct.canbo")
    issue(leader)
    officer.post(page_of(REF) + "/acknowledge", {})
    stale = api.app.get_directive(REF).version
    officer.post(page_of(REF) + "/progress", {"percent": "20", "version": str(stale)})
    again = officer.post(page_of(REF) + "/progress", {"percent": "30", "version": str(stale)})
    assert again.status_code == 409
    assert "đã thay đổi kể từ khi bạn mở trang" in alert(again.text)
    kept = officer.post(
        page_of(REF) + "/progress",
        {"percent": "30", "narrative": "không mất chữ", "version": str(stale)},
    )
    assert "không mất chữ" in kept.text  # what was typed survives the refusal
    assert api.app.get_directive(REF).percent == 20


def test_a_unit_sees_neither_another_units_directive_nor_its_inbox(api: Api) -> None:
    issue(visitor(api, "leader.chutich"))
    outsider = visitor(api, OUTSIDER[0])
    hidden = outsider.get(page_of(REF))
    assert hidden.status_code == 404
    assert hidden.headers["content-type"].startswith("text/html")
    assert "Rà soát chợ" not in hidden.text
    assert outsider.get(f"/units/{OUTSIDER[1]}").status_code == 200
    other_inbox = outsider.get("/units/SO-CT")
    assert other_inbox.status_code == 403
    assert "Đơn vị chỉ xem được việc của chính mình" in alert(other_inbox.text)
    assert REF not in outsider.get("/directives?q=cho").text
    version = api.app.get_directive(REF).version
    assert outsider.post(page_of(REF) + "/acknowledge", {}).status_code == 404
    assert api.app.get_directive(REF).version == version
    assert outsider.get("/dashboard").headers["location"] == f"/units/{OUTSIDER[1]}"
    assert outsider.get("/inspector").status_code == 403


def test_a_role_without_the_command_is_refused_even_when_it_crafts_the_form(api: Api) -> None:
    issue(visitor(api, "leader.chutich"))
    inspector = visitor(api, "thanhtra")
    assert 'data-action="' not in inspector.get(page_of(REF)).text
    refused = inspector.post(page_of(REF) + "/withdraw", {"reason": "thử"})
    assert refused.status_code == 403
    assert api.app.get_directive(REF).status == "issued"


def test_a_withdrawn_directive_is_in_no_category_on_its_page_or_in_the_lists(api: Api) -> None:
    leader = visitor(api, "leader.chutich")
    issue(leader, deadline="2024-03-05")
    withdrawn = leader.post(page_of(REF) + "/withdraw", {"reason": "Trùng lặp", "confirm": "yes"})
    assert withdrawn.status_code == 303
    api.clock.advance(timedelta(days=3))  # past the deadline: it would be "overdue" if counted
    api.sign_in_again()
    leader = visitor(api, "leader.chutich")
    page = leader.get(page_of(REF)).text
    assert "Đã thu hồi" in page
    assert 'id="category"' not in page
    for category in ("overdue", "in_progress"):
        assert REF not in leader.get(f"/directives?category={category}").text
        listed = api.get("/api/directives", "leader.chutich", category=category).json["items"]
        assert REF not in [item["reference"] for item in listed]


# --- the dashboard -----------------------------------------------------------------------------


def tile(text: str, category: str) -> int:
    found = re.search(
        rf'data-category="{category}">.*?<span class="value">([\d,]+)</span>', text, re.S
    )
    assert found, f"a {category} tile"
    return int(found[1].replace(",", ""))


def test_the_dashboard_as_of_an_earlier_day_shows_that_days_figures(api: Api) -> None:
    leader = visitor(api, "leader.chutich")
    issue(leader, reference="1/UBND-VX")
    api.clock.advance(timedelta(days=3))
    api.sign_in_again()
    leader = visitor(api, "leader.chutich")
    issue(leader, reference="2/UBND-VX")
    today = leader.get("/dashboard")
    assert today.status_code == 200
    assert tile(today.text, "total") == 2
    earlier_day = (api.clock.now() - timedelta(days=2)).date()
    earlier = leader.get(f"/dashboard?as_of={earlier_day.isoformat()}")
    assert f'id="as-of-day" class="date">{earlier_day:%-d/%-m/%Y}' in earlier.text
    assert tile(earlier.text, "total") == 1
    assert "2/UBND-VX" not in earlier.text


def test_the_dashboard_filters_narrow_every_figure(api: Api) -> None:
    leader = visitor(api, "leader.chutich")
    issue(leader, reference="1/UBND-VX", lead_unit="SO-CT", urgency="urgent")
    issue(leader, reference="2/UBND-VX", lead_unit="SO-TC", urgency="normal")
    assert tile(leader.get("/dashboard?unit=SO-TC").text, "total") == 1
    assert tile(leader.get("/dashboard?urgency=urgent").text, "total") == 1
    assert tile(leader.get("/dashboard?issued=2024-Q1").text, "total") == 2
    assert tile(leader.get("/dashboard?issued=2023").text, "total") == 0
    assert leader.get("/dashboard?issued=last+year").status_code == 422


def test_each_tile_opens_the_list_of_exactly_what_it_counts_that_day(api: Api) -> None:
    leader, officer = visitor(api, "leader.chutich"), visitor(api, "so-ct.canbo")
    for n, deadline in enumerate(("2024-03-05", "2024-03-06", "")):
        issue(leader, reference=f"{n + 1}/UBND-VX", deadline=deadline, urgency="urgent")
    issue(leader, reference="9/UBND-KT", urgency="normal")
    officer.post(page_of("1/UBND-VX") + "/acknowledge", {})
    officer.post(page_of("1/UBND-VX") + "/completion", {"summary": "Xong"})
    leader.post(
        page_of("1/UBND-VX") + "/decide_completion", {"decision": "accept", "confirm": "yes"}
    )
    api.clock.advance(timedelta(days=5))
    api.sign_in_again()
    leader = visitor(api, "leader.chutich")
    for question in ("urgency=urgent", "urgency=urgent&as_of=2024-03-04", "as_of=2024-03-09"):
        dashboard = leader.get(f"/dashboard?{question}").text
        for category in ("completed_on_time", "in_progress", "overdue", "no_deadline"):
            link = re.search(rf'data-category="{category}">\s*<a href="([^"]+)"', dashboard)
            assert link is not None
            listed = leader.get(link[1].replace("&amp;", "&")).text
            count = re.search(r'id="result-count" role="status">([\d,]+)', listed)
            assert count is not None
            assert int(count[1]) == tile(dashboard, category), (question, category)
    assert tile(leader.get("/dashboard").text, "overdue") == 1
    overdue = leader.get("/directives?category=overdue&urgency=urgent").text
    assert "2/UBND-VX" in overdue
    assert "2/UBND-VX" not in leader.get("/directives?category=overdue&as_of=2024-03-05").text


def test_the_exports_carry_the_figures_the_position_and_the_checkpoint(api: Api) -> None:
    leader, inspector = visitor(api, "leader.chutich"), visitor(api, "thanhtra")
    issue(leader)
    unsigned = leader.get("/dashboard/export.csv")
    assert "chưa có điểm kiểm tra đã ký" in unsigned.content.decode("utf-8-sig")
    assert inspector.post("/inspector/checkpoint", {}).status_code == 303
    latest = api.get("/api/audit/checkpoint", "thanhtra").json
    exported = leader.get("/dashboard/export.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    assert "attachment" in exported.headers["content-disposition"]
    assert exported.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    provenance = {row[0]: row[1] for row in rows if len(row) == 2}
    position = api.app.max_notification_id()
    assert provenance["Vị trí nhật ký"] == str(position)
    assert provenance["Số sự kiện của điểm kiểm tra"] == str(latest["tree_size"])
    # The root in hex, as every page shows it (the API's JSON carries it in base64).
    assert provenance[ROOT_VI] == base64.b64decode(latest["root"]).hex()
    assert any(row[:2] == ["Sở Công Thương", "SO-CT"] for row in rows)

    book = load_workbook(io.BytesIO(leader.get("/dashboard/export.xlsx").content))
    source = {row[0]: row[1] for row in book["Nguồn số liệu"].iter_rows(values_only=True)}
    assert source["Vị trí nhật ký"] == str(position)
    assert source[ROOT_VI] == base64.b64decode(latest["root"]).hex()
    units = list(book.worksheets[0].iter_rows(values_only=True))
    so_ct = next(row for row in units if row[1] == "SO-CT")
    assert so_ct[2:7] == (0, 0, 1, 0, 0)  # one directive, in progress


# --- search, the inspector, the languages ------------------------------------------------------


def test_search_finds_directives_without_their_accents(api: Api) -> None:
    leader = visitor(api, "leader.chutich")
    issue(leader)
    found = leader.get("/directives?q=cho+truyen+thong")
    assert REF in found.text
    assert REF not in leader.get("/directives?q=benh+vien").text


def test_the_inspector_verifies_the_log_and_downloads_proofs_that_check_out(api: Api) -> None:
    leader, inspector = visitor(api, "leader.chutich"), visitor(api, "thanhtra")
    issue(leader)
    inspector.post("/inspector/checkpoint", {})
    verified = inspector.post("/inspector/verify", {})
    assert verified.status_code == 200
    assert 'class="verified-ok"' in verified.text
    assert "Chỉ chứng minh nhật ký tự nhất quán" in verified.text  # nothing kept outside
    vkey = inspector.get("/inspector/public-key.vkey")
    assert vkey.text.strip() == api.client.simulate_get("/api/audit/public-key").json["vkey"]
    assert inspector.get("/inspector/public-key.pem").text.startswith("-----BEGIN PUBLIC KEY")
    note = inspector.get("/inspector/checkpoint.txt")
    assert "attachment" in note.headers["content-disposition"]
    kept = inspector.post("/inspector/verify", {"kept": note.text})
    assert "khớp với nhật ký hiện tại" in kept.text
    assert "Đã đối chiếu với điểm kiểm tra được giữ" in kept.text
    lines = note.text.split("\n")
    lines[1] = str(int(lines[1]) + 1)  # a checkpoint claiming one record more than was signed
    forged = inspector.post("/inspector/verify", {"kept": "\n".join(lines)})
    assert forged.status_code == 409
    assert 'class="verified-failed"' in forged.text

    size = int(note.text.splitlines()[1])
    proof = orjson.loads(
        inspector.get(f"/inspector/proof/inclusion?position=3&size={size}").content
    )
    merkle.verify_inclusion(
        merkle.leaf_hash(base64.b64decode(proof["record"])),
        proof["leaf_index"],
        proof["tree_size"],
        [base64.b64decode(h) for h in proof["proof"]],
        base64.b64decode(note.text.splitlines()[2]),
    )
    consistency = inspector.get(f"/inspector/proof/consistency?from=2&to={size}")
    assert consistency.status_code == 200
    assert orjson.loads(consistency.content)["to"] == size
    assert inspector.get("/inspector/proof/inclusion?position=999999").status_code == 404


def test_the_version_slider_shows_the_state_after_each_version(api: Api) -> None:
    leader, officer = visitor(api, "leader.chutich"), visitor(api, "so-ct.canbo")
    issue(leader)
    officer.post(page_of(REF) + "/acknowledge", {})
    officer.post(page_of(REF) + "/progress", {"percent": "35"})
    history = "/inspector/directives/" + REF.replace("/", "~")
    first = leader.get(history + "?version=1").text
    last = leader.get(history).text
    assert 'data-field="status"><td class="label">Tình trạng</td><td>Chờ tiếp nhận<' in first
    assert 'data-field="percent"><td class="label">Tiến độ</td><td>35%<' in last
    assert 'type="range" id="version" name="version" min="1" max="3" value="3"' in last
    assert 'data-field="percent"><td class="label">Tiến độ</td><td>0%</td><td>35%</td>' in last


def test_the_english_switch_is_remembered_and_translates_the_page(api: Api) -> None:
    leader = visitor(api, "leader.chutich")
    switched = leader.get("/language?to=en&back=/dashboard")
    assert switched.headers["location"] == "/dashboard"
    page = leader.get("/dashboard").text
    assert '<html lang="en">' in page
    assert "Execution overview" in page
    assert "Tổng hợp tình hình" not in page
    assert leader.get("/language?to=en&back=https://evil.example").headers["location"] == "/"


def test_every_message_is_written_in_both_languages_with_the_same_blanks() -> None:
    for key, (vi, en) in MESSAGES.items():
        assert vi.strip(), key
        assert en.strip(), key
        assert set(re.findall(r"{(\w+)}", vi)) == set(re.findall(r"{(\w+)}", en)), key


def test_every_message_a_page_asks_for_exists() -> None:
    asked = set()
    for template in TEMPLATES.glob("*.html"):
        asked |= set(re.findall(r'\bt\(\s*["\']([\w.]+)["\']\s*[,)]', template.read_text()))
    assert asked, "the templates ask for messages"
    assert asked <= MESSAGES.keys(), asked - MESSAGES.keys()


def test_pages_load_nothing_from_elsewhere_and_say_so_in_their_headers(api: Api) -> None:
    leader = visitor(api, "leader.chutich")
    issue(leader)
    for path in ("/sign-in", "/dashboard", page_of(REF), "/inspector", "/units/SO-CT"):
        page = leader.get(path)
        assert page.status_code == 200, path
        assert "default-src 'self'" in page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY"
        assert not re.search(r'(?:src|href)="(?:https?:)?//', page.text), path
    css = leader.get("/static/app.css")
    assert css.headers["content-type"].startswith("text/css")
    assert leader.get("/static/..%2Fsession.py").status_code == 404  # a file beside static/


def test_the_api_still_answers_problems_as_json_beside_the_pages(api: Api) -> None:
    missing = api.get("/api/directives/nothing~here", "leader.chutich")
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    page = visitor(api, "leader.chutich").get("/directives/nothing~here")
    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")


def test_the_health_probe_names_the_log_position(api: Api) -> None:
    app: Thucthi = api.app
    response = api.client.simulate_get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "position": app.max_notification_id()}
