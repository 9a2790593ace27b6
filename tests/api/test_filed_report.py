"""The Office issues its periodic report (issue 28; docs/reports.md, "Issuing the report"): the
report shown, signed with PAdES by the officer's certificate (pyHanko and Poppler's pdfsig agree)
and filed as a public document once per period and number, its QR code opening its page; without
a certificate the page says so in both languages and nothing is filed; no one else issues it."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from adapters.demo_ca import DemoSigner
from adapters.documents import PadesSettings
from adapters.pades import PadesSigner, PadesVerifier
from api.report_filing import ReportFiling
from domain.documents.document import PERIODIC_REPORT, Document
from domain.documents.signing import SigningFailedError
from domain.shared.actors import Role
from readmodels.model import period
from tests.api.conftest import USERS, Api, api_on
from tests.api.test_filed_documents import main_of, public_get, qr_of
from tests.api.test_pages import Visitor, issue, visitor
from tests.conftest import START
from tests.documents import Authority, make_authority, nss_trusting, pdfsig

OFFICER = DemoSigner(USERS[Role.OFFICE][0], "Nguyễn Thị Mai", "Chuyên viên Văn phòng UBND")
LEADER = DemoSigner(USERS[Role.LEADER][0], "Nguyễn Hoàng Long", "Phó Chủ tịch UBND Thành phố")
PERIOD, NUMBER = "2024-Q1", "12/BC-VP"
PAGE = f"/reports/periodic?period={PERIOD}&number={NUMBER}"


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    """The demo CA and the Office officer's certificate, valid on the test city's day."""
    return make_authority(tmp_path_factory.mktemp("ca"), START, signers=[OFFICER])


@pytest.fixture(scope="module")
def leaders_only(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    """A demo CA that gave a certificate to a leader only: the Office has none."""
    return make_authority(tmp_path_factory.mktemp("ca-leader"), START, signers=[LEADER])


def filing_api_on(backend: str, tmp_path: Path, authority: Authority) -> Iterator[Api]:
    documents = PadesSettings.from_env({}, authority.folder / "signing-key.pem")
    yield from api_on(backend, tmp_path, documents)


@pytest.fixture
def api_filing(tmp_path: Path, authority: Authority) -> Iterator[Api]:
    yield from filing_api_on("sqlite", tmp_path, authority)


def issue_form(office: Visitor, page: str = PAGE) -> dict[str, str]:
    """The issuing form's fields, as the report's page gives them to the Office."""
    shown = office.get(page)
    assert shown.status_code == 200, shown.text
    form = re.search(r'<form method="post" action="/reports/periodic".*?</form>', shown.text, re.S)
    assert form is not None, "the Office is offered the form"
    fields = re.findall(r'name="(\w+)" value="([^"]*)"', form[0])
    return {name: html.unescape(value) for name, value in fields}


def reports_filed(api: Api) -> list[Document.Filed]:
    """Every filing of a periodic report in the log."""
    notifications = api.app.recorder.select_notifications(start=1, limit=10_000)
    events = (api.app.mapper.to_domain_event(n) for n in notifications)
    return [e for e in events if isinstance(e, Document.Filed) and e.kind == PERIODIC_REPORT]


def the_report(api: Api) -> Document:
    first, last = period(PERIOD)
    found = api.app.documents.get(ReportFiling.public_id(first, last, NUMBER))
    assert found is not None, "the report is filed"
    return found


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_the_office_issues_the_report_signed_by_its_certificate_and_filed_public(
    backend: str, tmp_path: Path, authority: Authority
) -> None:
    """The form sends the period, number and position shown; the report is filed public,
    signed by the officer (pyHanko and pdfsig agree), its file the one the page's SHA-256
    names, and the answer is its page, with number, title, signer and a valid signature."""
    for api in filing_api_on(backend, tmp_path, authority):
        issue(visitor(api, "leader.chutich"))
        office = visitor(api, OFFICER.account)
        form = issue_form(office)
        assert (form["period"], form["number"]) == (PERIOD, NUMBER)
        answer = office.post("/reports/periodic", form)
        assert answer.status_code == 303, answer.text
        document = the_report(api)
        assert answer.headers["location"] == f"/van-ban/{document.id}"
        version = document.current
        assert (document.public, version.signer, document.issuer) == (
            True,
            OFFICER.account,
            OFFICER.account,
        )
        assert document.reference == NUMBER
        assert "quý 1 năm 2024" in document.title
        pdf = api.app.files.get(version.file.digest)
        assert pdf is not None
        assert version.file.digest == "sha256:" + hashlib.sha256(pdf).hexdigest()
        assert version.file.name == "12-BC-VP.pdf"
        check = PadesVerifier.from_file(authority.certificate).verify(pdf)
        assert check.valid, check.failures
        assert check.signer == OFFICER.name
        said = pdfsig(pdf, tmp_path, nss_trusting(tmp_path / "nss", authority.certificate))
        assert "Signature Validation: Signature is Valid." in said, said
        page = html.unescape(main_of(public_get(api, answer.headers["location"])))
        for shown in (NUMBER, "quý 1 năm 2024", version.file.digest, f"Hợp lệ, của {OFFICER.name}"):
            assert shown in page, shown
        assert [e.originator_id for e in reports_filed(api)] == [document.id]


def test_the_reports_qr_code_opens_its_public_page(api_filing: Api, tmp_path: Path) -> None:
    """pdftoppm renders the filed report's first page, zbarimg reads its QR code: the address
    of its page, which anyone opens without signing in."""
    office = visitor(api_filing, OFFICER.account)
    office.post("/reports/periodic", issue_form(office))
    document = the_report(api_filing)
    pdf = api_filing.app.files.get(document.current.file.digest)
    assert pdf is not None
    url = qr_of(pdf, tmp_path)
    assert url.endswith(f"/van-ban/{document.id}")
    assert public_get(api_filing, urlsplit(url).path, "en").status_code == 200


def test_the_same_report_issued_twice_is_filed_once(api_filing: Api) -> None:
    """The same period and number issued again, even at a later position and with the period
    written otherwise, answers with the report filed the first time, filing nothing more."""
    office = visitor(api_filing, OFFICER.account)
    first = office.post("/reports/periodic", issue_form(office))
    assert first.status_code == 303, first.text
    issue(visitor(api_filing, "leader.chutich"))  # the log moves on
    later = issue_form(office, f"/reports/periodic?period=2024-q1&number={NUMBER}")
    again = office.post("/reports/periodic", later)
    assert again.status_code == 303, again.text
    assert again.headers["location"] == first.headers["location"]
    assert len(reports_filed(api_filing)) == 1


def test_an_officer_without_a_certificate_is_told_so_and_nothing_is_filed(
    tmp_path: Path, leaders_only: Authority
) -> None:
    """The Office has no certificate: the report's page answers 409, saying in the reader's
    language that the signer has none and nothing was filed; the log has no report."""
    for api in filing_api_on("sqlite", tmp_path, leaders_only):
        office = visitor(api, OFFICER.account)
        form = issue_form(office)
        answer = office.post("/reports/periodic", form)
        assert answer.status_code == 409, answer.text
        said = html.unescape(answer.text)
        assert f"{OFFICER.account} chưa có chứng thư số và khóa để ký văn bản {NUMBER}" in said
        assert 'id="report"' in said  # the report is shown again, with why
        english = visitor(api, OFFICER.account)
        english.get("/language?to=en&back=/")
        answer = english.post("/reports/periodic", form | {"csrf": english.csrf})
        assert answer.status_code == 409, answer.text
        assert f"{OFFICER.account} has no certificate and key to sign {NUMBER}" in html.unescape(
            answer.text
        )
        assert reports_filed(api) == []


def test_a_report_without_a_number_is_not_issued(api_filing: Api) -> None:
    """No number, no issuing: the page asks for one and files nothing."""
    office = visitor(api_filing, OFFICER.account)
    shown = office.get(f"/reports/periodic?period={PERIOD}")
    assert 'id="report-issue-needs-number"' in shown.text
    assert 'id="report-issue-form"' not in shown.text
    answer = office.post("/reports/periodic", {"period": PERIOD, "number": ""})
    assert answer.status_code == 422, answer.text
    assert reports_filed(api_filing) == []


@pytest.mark.parametrize("who", ["leader.chutich", "thanhtra", "so-ct.canbo"])
def test_no_one_but_the_office_issues_the_report(api_filing: Api, who: str) -> None:
    """The leadership and the inspectorate read the report but are not offered the form, and
    their post is refused (403) as a department officer's is; nothing is filed."""
    reader = visitor(api_filing, who)
    if who != "so-ct.canbo":
        assert 'id="report-issue-form"' not in reader.get(PAGE).text
    answer = reader.post("/reports/periodic", {"period": PERIOD, "number": NUMBER})
    assert answer.status_code == 403, answer.text
    assert reports_filed(api_filing) == []


def test_the_api_issues_the_report_once_and_refuses_everyone_but_the_office(
    api_filing: Api,
) -> None:
    """POST /api/reports/periodic: 201 with the filed document, signed by the officer; the
    same period and number again, 200 with the same document and nothing filed; a leader's
    and an inspector's 403."""
    body = {"period": PERIOD, "number": NUMBER}
    first = api_filing.post("/api/reports/periodic", Role.OFFICE, body)
    assert first.status_code == 201, first.text
    said = first.json
    assert (said["kind"], said["reference"], said["public"]) == ("periodic-report", NUMBER, True)
    assert said["versions"][0]["signer"] == OFFICER.account
    assert said["url"].endswith(f"/van-ban/{said['id']}")
    again = api_filing.post("/api/reports/periodic", Role.OFFICE, body | {"period": "2024-q1"})
    assert again.status_code == 200, again.text
    assert again.json["id"] == said["id"]
    for who in (Role.LEADER, Role.INSPECTOR):
        refused = api_filing.post("/api/reports/periodic", who, body | {"number": "13/BC-VP"})
        assert refused.status_code == 403, refused.text
    assert len(reports_filed(api_filing)) == 1


def test_the_api_answers_409_where_the_office_has_no_certificate(
    tmp_path: Path, leaders_only: Authority
) -> None:
    """No certificate: problem+json 409 (signer-missing), nothing filed; a number of spaces
    only, 422."""
    for api in filing_api_on("sqlite", tmp_path, leaders_only):
        body = {"period": PERIOD, "number": NUMBER}
        answer = api.post("/api/reports/periodic", Role.OFFICE, body)
        assert answer.status_code == 409, answer.text
        assert answer.json["type"].endswith("signer-missing"), answer.json
        blank = api.post("/api/reports/periodic", Role.OFFICE, body | {"number": "   "})
        assert blank.status_code == 422, blank.text
        assert reports_filed(api) == []


def test_a_signing_that_fails_is_said_on_the_page_and_files_nothing(
    api_filing: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The certificate is there but signing fails (a token's error): the page answers 503 with
    why, in Vietnamese, not a server error's page; the API 503 problem+json; nothing filed."""

    def failing(*_: object, **__: object) -> bytes:
        raise SigningFailedError("the token answered CKR_DEVICE_ERROR")

    monkeypatch.setattr(PadesSigner, "sign", failing)
    office = visitor(api_filing, OFFICER.account)
    answer = office.post("/reports/periodic", issue_form(office))
    assert answer.status_code == 503, answer.text
    said = html.unescape(answer.text)
    assert f"Ký số văn bản {NUMBER} không thành công, chưa lưu gì" in said
    assert "CKR_DEVICE_ERROR" in said
    body = {"period": PERIOD, "number": NUMBER}
    api_answer = api_filing.post("/api/reports/periodic", Role.OFFICE, body)
    assert api_answer.status_code == 503, api_answer.text
    assert reports_filed(api_filing) == []
