"""A directive's signed document through the API (issue 28, item 5; docs/documents.md): amended
(đính chính), replaced (thay thế) and revoked (thu hồi) by the committee, each new version
typeset and signed like the first and filed as an event, the QR code of every version still
opening the public page that says which is current; and a signing that fails after the
directive was recorded leaving it recorded, its document pending and filed when asked again.
On SQLite and on PostgreSQL."""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from pyhanko.sign import signers
from pyhanko.sign.general import SigningError

from adapters.demo_ca import SIGNER_YEARS
from adapters.documents import PadesSettings
from adapters.pades import PadesVerifier
from domain.documents.document import Change
from domain.shared.actors import Role
from projections.document_check import Answer
from tests.api.conftest import USERS, Api, api_on, make_api
from tests.api.test_documents import PATH, REF, issued, pdf_of
from tests.api.test_filed_documents import (
    LEADER,
    filed,
    public_get,
    qr_of,
    verdict_of,
)
from tests.api.test_pages import visitor
from tests.conftest import START
from tests.documents import Authority, make_authority

D = "/api/directives/1234~UBND-VX/document"


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    return make_authority(tmp_path_factory.mktemp("ca"), START, signers=[LEADER])


def filing_api_on(backend: str, tmp_path: Path, authority: Authority) -> Iterator[Api]:
    """The API signing and filing directives as issued, on SQLite or a PostgreSQL schema."""
    documents = PadesSettings.from_env({}, authority.folder / "signing-key.pem")
    yield from api_on(backend, tmp_path, documents)


@pytest.fixture(params=["sqlite", "postgres"])
def api_filing(
    request: pytest.FixtureRequest, tmp_path: Path, authority: Authority
) -> Iterator[Api]:
    yield from filing_api_on(request.param, tmp_path, authority)


def test_an_amendment_is_typeset_signed_and_filed_and_the_first_qr_code_says_which_is_current(
    api_filing: Api, authority: Authority, tmp_path: Path
) -> None:
    """The Office amends: version 2, signed by the issuer, says it corrects and why; the first
    file checks as superseded, the second as current, and the QR code printed on the first
    opens the page marking version 2 current."""
    issued(api_filing)
    first = pdf_of(api_filing, PATH, Role.LEADER)
    answer = api_filing.post(
        D + "/amendments",
        Role.OFFICE,
        {"reason": "sửa ngày tại mục 1", "content": "1. Sở Công Thương rà soát trước 30/6."},
    )
    assert answer.status_code == 201, answer.text
    said = answer.json
    assert said["current"] == 2
    assert [v["change"] for v in said["versions"]] == ["issued", "amended"]
    assert said["versions"][1]["reason"] == "sửa ngày tại mục 1"
    assert said["position"] > 0
    second = pdf_of(api_filing, PATH, Role.LEADER)
    assert second != first
    assert said["versions"][1]["digest"] == filed(api_filing).current.file.digest
    check = PadesVerifier.from_file(authority.certificate).verify(second)
    assert check.valid, check.failures
    assert check.signer == LEADER.name
    assert verdict_of(api_filing, first).answer is Answer.SUPERSEDED
    assert verdict_of(api_filing, second).answer is Answer.CURRENT
    page = html.unescape(
        public_get(api_filing, "/van-ban/" + qr_of(first, tmp_path).split("/")[-1]).text
    )
    current = page[page.index('id="filed-current"') :]
    assert current.startswith('id="filed-current"><td>2 (hiện hành)')
    assert "Đính chính: sửa ngày tại mục 1" in current
    assert qr_of(second, tmp_path) == qr_of(first, tmp_path)  # one address for every version
    events = api_filing.app.events.get(filed(api_filing).id)
    assert [type(e).__name__ for e in events] == ["Filed", "VersionFiled"]


def test_a_replacement_carries_its_new_text_and_a_revocation_stops_every_version(
    api_filing: Api, tmp_path: Path
) -> None:
    """The leader replaces the text (version 2, its new title on the page), then revokes: each
    version checks as revoked, the page says so, and nothing more is filed."""
    issued(api_filing)
    first = pdf_of(api_filing, PATH, Role.LEADER)
    replaced = api_filing.post(
        D + "/replacement",
        Role.LEADER,
        {
            "reason": "thay nội dung",
            "title": "Cải tạo chợ truyền thống",
            "content": "Nội dung mới.",
        },
    )
    assert replaced.status_code == 201, replaced.text
    assert replaced.json["title"] == "Cải tạo chợ truyền thống"
    second = pdf_of(api_filing, PATH, Role.LEADER)
    revoked = api_filing.post(D + "/revocation", Role.LEADER, {"reason": "ban hành sai thẩm quyền"})
    assert revoked.status_code == 200, revoked.text
    assert revoked.json["revoked_reason"] == "ban hành sai thẩm quyền"
    assert revoked.json["revoked_at"] is not None
    for pdf in (first, second):
        assert verdict_of(api_filing, pdf).answer is Answer.REVOKED
    refused = api_filing.post(D + "/amendments", Role.OFFICE, {"reason": "muộn"})
    assert refused.status_code == 409, refused.text
    assert refused.json["type"] == "urn:thucthi:problem:document-state"
    assert "thu hồi" in refused.json["vi"]
    assert "revoked" in refused.json["en"]
    got = api_filing.get(D, Role.INSPECTOR)
    assert got.status_code == 200, got.text
    assert [v["change"] for v in got.json["versions"]] == ["issued", "replaced"]


def test_only_the_committee_amends_replaces_or_revokes_and_a_reason_is_needed(
    api_filing: Api,
) -> None:
    """A department officer and an inspector are refused (403), an empty reason is invalid,
    a directive with no document filed answers 409 in both languages."""
    issued(api_filing)
    for who in (Role.DEPARTMENT, Role.INSPECTOR):
        for suffix in ("/amendments", "/revocation"):
            assert api_filing.post(D + suffix, who, {"reason": "x"}).status_code == 403
    assert api_filing.post(D + "/amendments", Role.OFFICE, {"reason": ""}).status_code == 422
    assert api_filing.post(D + "/replacement", Role.OFFICE, {"reason": "x"}).status_code == 422
    issued(api_filing, "9/UBND-VX", issuer="leader.khac")  # no certificate: nothing filed
    none = api_filing.post(
        "/api/directives/9~UBND-VX/document/amendments", Role.OFFICE, {"reason": "x"}
    )
    assert none.status_code == 409, none.text
    assert "chưa được ký số" in none.json["vi"]
    assert "no filed document" in none.json["en"]


# --- a signing that fails after the directive was recorded ---------------------------------------


def test_a_signing_that_fails_leaves_the_directive_recorded_and_its_document_pending_until_asked(
    api_filing: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """pyHanko raises while signing (a token pulled out): the directive is issued (201), the
    answer says its document is pending in both languages, the log says so, nothing is filed;
    asked again once mended, it is filed, version 1, and asked once more it was filed before."""

    def pulled_out(*_: object, **__: object) -> None:
        msg = "the token was removed"
        raise SigningError(msg)

    with monkeypatch.context() as patched:
        patched.setattr(signers.PdfSigner, "sign_pdf", pulled_out)
        with caplog.at_level(logging.ERROR, "thucthi.documents"):
            answer = issued(api_filing)
    assert answer["reference"] == REF
    filing = answer["filing"]
    assert isinstance(filing, dict)
    assert filing["state"] == "pending"
    assert "chưa ký số được" in filing["vi"]
    assert "the token was removed" in filing["en"]
    assert "chờ lưu" in caplog.text
    assert "could not be signed" in caplog.text
    assert api_filing.get(D, Role.OFFICE).status_code == 409
    assert api_filing.app.get_directive(REF).reference == REF
    again = api_filing.post(D, Role.OFFICE, {})
    assert again.status_code == 201, again.text
    assert again.json["current"] == 1
    assert [v["change"] for v in again.json["versions"]] == [Change.ISSUED.value]
    assert api_filing.post(D, Role.OFFICE, {}).status_code == 200


def test_an_expired_certificate_leaves_the_document_pending_and_a_second_try_answers_503(
    tmp_path: Path,
) -> None:
    """The issuer's certificate expired before the directive: issued, pending; asking again
    while it is still expired is refused with 503 problem+json, in both languages."""
    expired = make_authority(
        tmp_path / "old", START - timedelta(days=365 * SIGNER_YEARS + 30), signers=[LEADER]
    )
    documents = PadesSettings.from_env({}, expired.folder / "signing-key.pem")
    api, _ = make_api(f"sqlite:///{tmp_path / 'api.db'}", documents=documents)
    try:
        answer = issued(api)
        filing = answer["filing"]
        assert isinstance(filing, dict)
        assert filing["state"] == "pending"
        assert "not at" in filing["en"]
        again = api.post(D, Role.OFFICE, {})
        assert again.status_code == 503, again.text
        assert again.headers["content-type"] == "application/problem+json"
        assert again.json["type"] == "urn:thucthi:problem:document-not-signed"
        assert "Ký số văn bản" in again.json["vi"]
        assert "Signing" in again.json["en"]
        amend = api.post(D + "/amendments", Role.OFFICE, {"reason": "x"})
        assert amend.status_code == 409  # nothing filed yet to amend
    finally:
        api.app.close()


# --- the directive's page ------------------------------------------------------------------------

PAGE = "/directives/1234~UBND-VX"


def test_the_office_amends_and_revokes_the_document_from_the_directives_page(
    api_filing: Api,
) -> None:
    """The page shows the signed document, its public address and its versions, and offers the
    Office its forms: an amendment (CSRF token carried) files version 2 and comes back done; a
    revocation unconfirmed is refused, confirmed is filed and leaves no form."""
    issued(api_filing)
    office = visitor(api_filing, USERS[Role.OFFICE][0])
    page = office.get(PAGE)
    assert page.status_code == 200, page.text
    text = html.unescape(page.text)
    assert f"/van-ban/{filed(api_filing).id}" in text
    for form in ("document_amend", "document_replace", "document_revoke"):
        assert f'id="form-{form}"' in text
    assert 'id="form-document_file"' not in text
    amended = office.post(PAGE + "/document/amend", {"reason": "sửa lỗi chính tả"})
    assert amended.status_code == 303, amended.text
    assert amended.headers["location"].endswith("?done=document_amend")
    assert filed(api_filing).current.number == 2
    shown = html.unescape(office.get(PAGE).text)
    current = shown[shown.index('id="signed-current"') :]
    assert current.startswith('id="signed-current"><td>2 (hiện hành)')
    assert "Đính chính: sửa lỗi chính tả" in current
    unconfirmed = office.post(PAGE + "/document/revoke", {"reason": "sai"})
    assert unconfirmed.status_code == 422
    assert filed(api_filing).revoked_at is None
    revoked = office.post(PAGE + "/document/revoke", {"reason": "sai", "confirm": "yes"})
    assert revoked.status_code == 303, revoked.text
    assert filed(api_filing).revoked_reason == "sai"
    after = office.get(PAGE).text
    assert 'id="signed-revoked"' in after
    assert 'id="form-document_amend"' not in after


def test_the_documents_forms_need_the_form_token_and_the_committee(api_filing: Api) -> None:
    """Without the session's form token: 403, nothing filed; a department officer is offered
    no form and refused if it posts one; an empty reason is answered on the page; a document
    whose issuer has no certificate is offered to be filed, and the page says why it cannot."""
    issued(api_filing)
    office = visitor(api_filing, USERS[Role.OFFICE][0])
    forged = office.post(PAGE + "/document/amend", {"reason": "x", "csrf": "forged"})
    assert forged.status_code == 403
    officer = visitor(api_filing, USERS[Role.DEPARTMENT][0])
    assert 'id="form-document_amend"' not in officer.get(PAGE).text
    assert officer.post(PAGE + "/document/amend", {"reason": "x"}).status_code == 403
    assert filed(api_filing).current.number == 1
    empty = office.post(PAGE + "/document/amend?lang=en", {"reason": ""})
    assert empty.status_code == 422
    assert 'id="form-document_amend"' in empty.text
    assert 'id="problem"' in empty.text
    issued(api_filing, "9/UBND-VX", issuer="leader.khac")  # no certificate: pending
    other = "/directives/9~UBND-VX"
    assert 'id="form-document_file"' in office.get(other).text
    no_key = office.post(other + "/document/file", {})
    assert no_key.status_code == 409
    assert "chưa có chứng thư số" in html.unescape(no_key.text)


def test_a_pending_document_is_said_on_the_page_and_filed_from_its_form(
    api_filing: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issued while signing fails: the page says the document is pending and offers the Office
    to file it; while signing still fails the form answers 503 in the reader's language, once
    mended it files version 1."""

    def pulled_out(*_: object, **__: object) -> None:
        msg = "the token was removed"
        raise SigningError(msg)

    office = visitor(api_filing, USERS[Role.OFFICE][0])
    with monkeypatch.context() as patched:
        patched.setattr(signers.PdfSigner, "sign_pdf", pulled_out)
        issued(api_filing)
        page = office.get(PAGE).text
        assert 'id="signed-pending"' in page
        assert 'id="form-document_file"' in page
        refused = office.post(PAGE + "/document/file", {})
        assert refused.status_code == 503
        assert "Ký số văn bản" in html.unescape(refused.text)
    done = office.post(PAGE + "/document/file", {})
    assert done.status_code == 303, done.text
    assert filed(api_filing).current.number == 1
    assert 'id="signed-pending"' not in office.get(PAGE).text
