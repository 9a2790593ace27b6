"""A petition's receipt and result signed and filed as they are made (issue 28; docs/documents.md,
"A petition's documents"): signed by the agency's head (pyHanko and Poppler's pdfsig agree),
filed not public, their QR code opening a page that answers the public as for an unknown
document and shows the holder, by receipt code and digits, the document, the petition's step and
its file; a petitioner's erasure removes the receipt's bytes and keeps its record."""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from uuid import UUID, uuid4

import falcon.testing
import pytest

from adapters.demo_ca import DemoSigner
from adapters.documents import PadesSettings
from adapters.pades import PadesSigner, PadesVerifier
from adapters.pdf import PdfDocuments
from api.app import public_lookup
from api.petition_filing import PetitionFiling
from api.resources.accounts import Directory
from domain.application import SYSTEM_ACTOR
from domain.documents.document import PETITION_RECEIPT, PETITION_RESULT, Document, document_id
from domain.documents.signing import SigningFailedError
from domain.petitions.petition import petition_id
from domain.shared.actors import Role
from projections.document_check import Answer, check_file
from tests.api.conftest import PASSWORD_HASH, USERS, Api, api_on
from tests.api.test_documents import pdf_of
from tests.api.test_filed_documents import main_of, qr_of, verifier
from tests.api.test_pages import visitor
from tests.api.test_petition_desk_pages import receipt_of, register, step
from tests.api.test_petitions_api import AN, HANDLER, HEAD, RECEPTION, accepted, done, received
from tests.conftest import START
from tests.documents import Authority, make_authority, nss_trusting, pdfsig
from tests.petition_builders import AGENCY, OTHER_AGENCY, OTHER_RECEPTION
from tests.petition_builders import received as received_by

HEAD_SIGNER = DemoSigner(HEAD, "Trần Thị Ánh Tuyết", "Giám đốc Sở Công Thương")
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
DIGITS = AN["id_number"][-4:]


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    """The demo CA and the head of SO-CT's certificate, valid on the test city's day."""
    return make_authority(tmp_path_factory.mktemp("ca"), START, signers=[HEAD_SIGNER])


def filing_api_on(backend: str, tmp_path: Path, authority: Authority) -> Iterator[Api]:
    documents = PadesSettings.from_env({}, authority.folder / "signing-key.pem")
    yield from api_on(backend, tmp_path, documents)


@pytest.fixture
def api_filing(tmp_path: Path, authority: Authority) -> Iterator[Api]:
    yield from filing_api_on("sqlite", tmp_path, authority)


def filed(api: Api, kind: str, receipt: str) -> Document:
    found = api.app.documents.get(document_id(kind, petition_id(receipt)))
    assert found is not None, kind
    return found


def resolved(api: Api) -> str:
    receipt = accepted(api, "complaint")
    body = {"verdict": "right", "summary": "Khiếu nại đúng.", "decision_reference": "45/QĐ-SCT"}
    done(api, receipt, "resolve", HEAD, body)
    return receipt


def holder_post(api: Api, path: str, **fields: str) -> falcon.testing.Result:
    """The holder's form on a document's page, posted by someone signed in nowhere."""
    return api.client.simulate_post(
        path,
        body=urlencode(fields),
        headers={**FORM, "Cookie": "thucthi_lang=vi"},
        remote_addr="203.0.113.9",
    )


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_a_petitions_receipt_and_result_are_filed_signed_by_the_agencys_head(
    backend: str, tmp_path: Path, authority: Authority
) -> None:
    """Received: the receipt is filed, signed by SO-CT's head; resolved: the decision is filed,
    signed by the head who resolved it. Each PDF served to the holder is the filed one, which
    pdfsig finds valid; neither is public; the log holds neither the petitioner's name nor
    number (the receipt's bytes are in the file store only)."""
    for api in filing_api_on(backend, tmp_path, authority):
        receipt = resolved(api)
        nss = nss_trusting(tmp_path / "nss", authority.certificate)
        for kind, path in (
            (PETITION_RECEIPT, f"/api/petitions/{receipt}/receipt.pdf"),
            (PETITION_RESULT, f"/api/petitions/{receipt}/result.pdf"),
        ):
            document = filed(api, kind, receipt)
            pdf = pdf_of(api, path, HEAD)
            assert api.app.files.get(document.current.file.digest) == pdf
            assert (document.public, document.current.signer) == (False, HEAD)
            check = PadesVerifier.from_file(authority.certificate).verify(pdf)
            assert check.valid, check.failures
            assert check.signer == HEAD_SIGNER.name
            said = pdfsig(pdf, tmp_path, nss)
            assert "Signature Validation: Signature is Valid." in said, said
        assert filed(api, PETITION_RECEIPT, receipt).reference == receipt
        assert filed(api, PETITION_RESULT, receipt).reference == "45/QĐ-SCT"
        logged = b"".join(
            n.state for n in api.app.recorder.select_notifications(start=1, limit=10_000)
        )
        for personal in (AN["full_name"], AN["id_number"], AN["address"]):
            assert personal.encode() not in logged, personal


def test_the_receipts_qr_code_opens_a_page_that_answers_the_public_as_for_no_document(
    api_filing: Api, tmp_path: Path
) -> None:
    """zbarimg reads the receipt's QR code: its page, without a receipt code, is the unknown
    document's page, byte for byte in its main part, and names no one."""
    receipt = received(api_filing)
    pdf = pdf_of(api_filing, f"/api/petitions/{receipt}/receipt.pdf", RECEPTION)
    url = qr_of(pdf, tmp_path)
    document = filed(api_filing, PETITION_RECEIPT, receipt)
    assert url.endswith(f"/van-ban/{document.id}")
    page = api_filing.client.simulate_get(urlsplit(url).path, params={"lang": "vi"})
    unknown = api_filing.client.simulate_get(f"/van-ban/{uuid4()}", params={"lang": "vi"})
    assert page.status_code == unknown.status_code == 404
    assert main_of(page) == main_of(unknown)
    for hidden in (AN["full_name"], AN["address"], receipt, document.current.file.digest):
        assert hidden not in html.unescape(page.text), hidden
    assert 'id="filed-holder-form"' in page.text


def test_the_holder_with_the_receipt_code_sees_the_step_and_downloads_the_signed_file(
    api_filing: Api,
) -> None:
    """The receipt code and the last four digits of the petitioner's number open the page:
    number, digest, a valid signature, the petition's step, and the file filed; never the
    petitioner's name or address. Wrong digits, another petition's code, and an unknown id
    answer as the unknown page does."""
    receipt = received(api_filing)
    other = received(api_filing, petitioners=[{**AN, "id_number": "079085009999"}])
    document = filed(api_filing, PETITION_RECEIPT, receipt)
    path = f"/van-ban/{document.id}"
    opened = holder_post(api_filing, path, code=receipt, digits=DIGITS)
    assert opened.status_code == 200, opened.text
    page = html.unescape(opened.text)
    for shown in (
        receipt,
        document.current.file.digest,
        f"Hợp lệ, của {HEAD_SIGNER.name}",
        "Cơ quan đã tiếp nhận đơn, đang phân loại",
    ):
        assert shown in page, shown
    for hidden in (AN["full_name"], AN["address"], AN["phone"]):
        assert hidden not in page, hidden
    download = holder_post(api_filing, path, code=receipt, digits=DIGITS, download="1")
    assert download.headers["content-type"] == "application/pdf"
    assert download.content == api_filing.app.files.get(document.current.file.digest)
    unknown = holder_post(api_filing, f"/van-ban/{uuid4()}", code=receipt, digits=DIGITS)
    wrong_digits = holder_post(api_filing, path, code=receipt, digits="0000")
    other_code = holder_post(api_filing, path, code=other, digits="9999")
    assert unknown.status_code == wrong_digits.status_code == other_code.status_code == 404
    assert main_of(unknown) == main_of(wrong_digits) == main_of(other_code)
    assert wrong_digits.headers["content-type"].startswith("text/html")


def test_the_holder_sees_the_result_and_the_step_it_ended_at(api_filing: Api) -> None:
    """The decision's QR page, opened with the receipt code: its number, signed by the head,
    and the step "resolved"."""
    receipt = resolved(api_filing)
    document = filed(api_filing, PETITION_RESULT, receipt)
    opened = holder_post(api_filing, f"/van-ban/{document.id}", code=receipt, digits=DIGITS)
    assert opened.status_code == 200, opened.text
    page = html.unescape(opened.text)
    assert "45/QĐ-SCT" in page
    assert f"Hợp lệ, của {HEAD_SIGNER.name}" in page
    assert "Đã có kết quả giải quyết" in page
    assert AN["full_name"] not in page


def test_erasing_a_petitioner_removes_the_receipts_file_and_keeps_its_record(
    api_filing: Api,
) -> None:
    """The receipt names the petitioner: their erasure removes its bytes from the file store;
    its event stays, so the copy they kept still checks as the file filed, and the receipt is
    typeset again naming no one."""
    receipt = received(api_filing)
    document = filed(api_filing, PETITION_RECEIPT, receipt)
    kept = api_filing.app.files.get(document.current.file.digest)
    assert kept is not None
    petition = api_filing.app.petitions.get(receipt)
    api_filing.app.erase_personal_data(
        reason="Yêu cầu xóa dữ liệu cá nhân của chủ thể dữ liệu",
        actor=api_filing.app.get_user(USERS[Role.ADMIN][0]).as_actor(),
        request_id="req-erase",
        person_ids=[p.person_id for p in petition.petitioners],
    )
    assert api_filing.app.files.get(document.current.file.digest) is None
    assert filed(api_filing, PETITION_RECEIPT, receipt).current == document.current
    verdict = check_file(api_filing.app, verifier(api_filing), kept)
    assert verdict.answer is Answer.CURRENT
    again = pdf_of(api_filing, f"/api/petitions/{receipt}/receipt.pdf", RECEPTION)
    assert again != kept
    assert AN["full_name"].encode() not in again
    assert api_filing.app.discard_receipts_of([UUID(int=1)]) == 0


def test_the_pages_file_the_receipt_and_the_result_as_the_api_does(api_filing: Api) -> None:
    """Registered on the intake form, resolved on the case page's form: one receipt and one
    result are filed, each by one event, whose pages the holder opens."""
    reception, head = visitor(api_filing, RECEPTION), visitor(api_filing, HEAD)
    receipt = receipt_of(register(reception))
    assert filed(api_filing, PETITION_RECEIPT, receipt).current.signer == HEAD
    step(reception, receipt, "classify", kind="complaint", field="land", competence="ours")
    step(head, receipt, "accept", handler=HANDLER)
    assert step(head, receipt, "resolve", verdict="wrong", summary="Giữ nguyên.").status_code == 303
    for kind in (PETITION_RECEIPT, PETITION_RESULT):
        document = filed(api_filing, kind, receipt)
        assert [type(e) for e in api_filing.app.events.get(document.id)] == [Document.Filed]
        opened = holder_post(api_filing, f"/van-ban/{document.id}", code=receipt, digits=DIGITS)
        assert opened.status_code == 200, kind


def test_the_public_look_up_offers_the_holder_the_signed_receipt_and_result(
    api_filing: Api,
) -> None:
    """/tra-cuu answered with the receipt code and digits offers both signed files; the form
    it gives downloads the receipt filed, byte for byte; a look-up that fails offers none."""
    receipt = resolved(api_filing)
    answer = holder_post(api_filing, "/tra-cuu", code=receipt, digits=DIGITS)
    assert answer.status_code == 200, answer.text
    for kind in (PETITION_RECEIPT, PETITION_RESULT):
        document = filed(api_filing, kind, receipt)
        assert f'action="/van-ban/{document.id}" id="lookup-document-{kind}"' in answer.text
    receipt_file = filed(api_filing, PETITION_RECEIPT, receipt)
    download = holder_post(
        api_filing, f"/van-ban/{receipt_file.id}", code=receipt, digits=DIGITS, download="1"
    )
    assert download.content == api_filing.app.files.get(receipt_file.current.file.digest)
    wrong = holder_post(api_filing, "/tra-cuu", code=receipt, digits="0000")
    assert wrong.status_code == 404
    assert "lookup-documents" not in wrong.text


def test_a_receipt_whose_agency_head_has_no_certificate_is_not_filed_and_the_log_says_why(
    api_filing: Api, caplog: pytest.LogCaptureFixture
) -> None:
    """SO-XD's head has an account but no certificate: nothing is filed, the process's log
    says so; an agency with no head at all is said too."""
    app = api_filing.app
    app.create_user(
        username="so-xd.thutruong",
        display_name="Giám đốc Sở Xây dựng",
        role=Role.AGENCY_HEAD,
        unit=AGENCY,
        password_hash=PASSWORD_HASH,
        actor=SYSTEM_ACTOR,
        request_id="setup",
    )
    filing = PetitionFiling(
        app,
        PdfDocuments(),
        api_filing.services.document_signer,
        lookup=public_lookup(api_filing.services)[0],
        usernames=Directory(app).usernames,
        public_url=lambda: "https://thucthi.example",
    )
    headless = received_by(app, agency=OTHER_AGENCY, actor=OTHER_RECEPTION)
    receipt = received_by(app)
    with caplog.at_level(logging.WARNING, logger="thucthi.documents"):
        assert filing.file_due(receipt, actor=SYSTEM_ACTOR, request_id="t") is None
        assert filing.file_due(headless, actor=SYSTEM_ACTOR, request_id="t") is None
    for code in (receipt, headless):
        assert app.documents.get(document_id(PETITION_RECEIPT, petition_id(code))) is None
    said = caplog.text
    assert "so-xd.thutruong has no certificate to sign with" in said
    assert f"the receipt of {headless} is not signed: {OTHER_AGENCY} has no head" in said


def test_a_receipt_that_fails_to_be_signed_leaves_the_petition_received_and_the_log_says_why(
    api_filing: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The head's certificate is there, but signing fails (an expired certificate, a token's
    error, the library's): the petition is received (201, not a server error), nothing is
    filed, and the process's log says why in both languages."""

    def failing(*_: object, **__: object) -> bytes:
        raise SigningFailedError("the token answered CKR_DEVICE_ERROR")

    monkeypatch.setattr(PadesSigner, "sign", failing)
    with caplog.at_level(logging.ERROR, logger="thucthi.documents"):
        receipt = received(api_filing)  # asserts the 201
    assert api_filing.app.petitions.get(receipt).receipt == receipt
    assert api_filing.app.documents.get(document_id(PETITION_RECEIPT, petition_id(receipt))) is None
    assert "chưa ký số được nên chưa lưu" in caplog.text
    assert "could not be signed nor filed: the token answered CKR_DEVICE_ERROR" in caplog.text
