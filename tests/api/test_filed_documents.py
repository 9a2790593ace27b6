"""Filing a directive's signed document as it is issued (issue 28; docs/documents.md, "Filing"):
signed by its issuer's certificate, kept by its SHA-256, recorded by ``Document.Filed``; and
where the issuer has no certificate, nothing filed and the PDF typeset unsigned as before."""

from __future__ import annotations

import hashlib
import html
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import cast
from urllib.parse import urlsplit
from uuid import uuid4

import falcon.testing
import pytest

from adapters.demo_ca import DemoSigner
from adapters.documents import PadesSettings
from adapters.pades import PadesSigner, PadesVerifier, Pkcs12Keys
from adapters.pdf import PdfDocuments
from api.documents import plain
from api.filing import DIRECTIVE, document_url
from api.official import directive_content
from domain.application import SYSTEM_ACTOR
from domain.documents.document import Change, Document, document_id
from domain.shared.actors import Role
from domain.shared.notes import Checkpoint, open_note
from projections.audit import AuditProjection
from projections.document_check import Answer, FileVerdict, check_file
from projections.file_proof import check_file_proof
from tests.api.conftest import USERS, Api, make_api
from tests.api.test_documents import PATH, REF, issued, pdf_of
from tests.api.test_files import multipart
from tests.conftest import START
from tests.documents import Authority, make_authority, nss_trusting, pdfsig, require_tool

LEADER = DemoSigner(USERS[Role.LEADER][0], "Nguyễn Hoàng Long", "Phó Chủ tịch UBND Thành phố")


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    """The demo CA and the test leader's certificate, valid on the test city's day."""
    return make_authority(tmp_path_factory.mktemp("ca"), START, signers=[LEADER])


def filing_api(tmp_path: Path, authority: Authority) -> Iterator[Api]:
    documents = PadesSettings.from_env({}, authority.folder / "signing-key.pem")
    built, app = make_api(f"sqlite:///{tmp_path / 'api.db'}", documents=documents)
    try:
        yield built
    finally:
        app.close()


@pytest.fixture
def api_filing(tmp_path: Path, authority: Authority) -> Iterator[Api]:
    yield from filing_api(tmp_path, authority)


def filed(api: Api) -> Document:
    directive = api.app.get_directive(REF)
    found = api.app.documents.get(document_id(DIRECTIVE, directive.id))
    assert found is not None
    return found


def test_issuing_a_directive_files_its_document_signed_by_the_issuer(
    api_filing: Api, authority: Authority, tmp_path: Path
) -> None:
    """The PDF served is the filed one: its SHA-256, name and size are the event's, signed by
    the issuer (pyHanko and Poppler's pdfsig agree), version 1, public."""
    issued(api_filing)
    pdf = pdf_of(api_filing, PATH, Role.LEADER)
    document = filed(api_filing)
    version = document.current
    assert version.number == 1
    assert version.change is Change.ISSUED
    assert version.file.digest == "sha256:" + hashlib.sha256(pdf).hexdigest()
    assert (version.file.name, version.file.size) == ("1234-UBND-VX.pdf", len(pdf))
    assert (version.signer, document.public, document.reference) == (LEADER.account, True, REF)
    assert api_filing.app.files.get(version.file.digest) == pdf
    check = PadesVerifier.from_file(authority.certificate).verify(pdf)
    assert check.valid, check.failures
    assert check.signer == LEADER.name
    said = pdfsig(pdf, tmp_path, nss_trusting(tmp_path / "nss", authority.certificate))
    assert "Signature Validation: Signature is Valid." in said
    events = api_filing.app.events.get(document.id)
    assert [type(e) for e in events] == [Document.Filed]


def test_a_directive_whose_issuer_has_no_certificate_is_not_filed_and_stays_unsigned(
    api_filing: Api, authority: Authority
) -> None:
    """Another leader signs with no key configured: nothing is filed, and the PDF is typeset
    on request, unsigned, as before."""
    issued(api_filing, issuer="leader.khac")
    directive = api_filing.app.get_directive(REF)
    assert api_filing.app.documents.get(document_id(DIRECTIVE, directive.id)) is None
    pdf = pdf_of(api_filing, PATH, Role.LEADER)
    check = PadesVerifier.from_file(authority.certificate).verify(pdf)
    assert check.codes == ("not-signed",)


# --- the QR code, the public page, and checking a file ------------------------------------------


def qr_of(pdf: bytes, folder: Path) -> str:
    """Page 1 rendered by Poppler's pdftoppm, its QR code read back by zbarimg."""
    pdftoppm, zbarimg = require_tool("pdftoppm"), require_tool("zbarimg")
    (folder / "doc.pdf").write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", "doc.pdf", "page"],
        cwd=folder,
        check=True,
    )
    read = subprocess.run(
        [zbarimg, "--quiet", "--raw", str(folder / "page.png")],
        capture_output=True,
        text=True,
        check=True,
    )
    return read.stdout.strip()


def public_get(api: Api, path: str, lang: str = "vi") -> falcon.testing.Result:
    """A page asked for by someone signed in nowhere."""
    return api.client.simulate_get(path, params={"lang": lang})


def check_upload(api: Api, data: bytes, lang: str = "vi") -> falcon.testing.Result:
    body, headers = multipart({}, [("file", "van-ban.pdf", data)])
    return api.client.simulate_post("/van-ban", body=body, headers=headers, params={"lang": lang})


def main_of(page: falcon.testing.Result) -> str:
    """The page's main part (the frame's language link names the address asked)."""
    return page.text[page.text.index("<main") : page.text.index("</main>")]


def answer_of(page: falcon.testing.Result) -> str:
    """The verdict's heading."""
    text = page.text
    start = text.index('id="filed-verdict-title">') + len('id="filed-verdict-title">')
    return html.unescape(text[start : text.index("</h2>", start)])


def test_the_qr_code_read_from_the_rendered_page_opens_the_public_page_of_the_document(
    api_filing: Api, tmp_path: Path
) -> None:
    """pdftoppm renders page 1, zbarimg reads the QR code; its address, asked for without
    signing in, shows number, title, issuer, date, SHA-256, a valid signature and the status,
    in Vietnamese and in English."""
    issued(api_filing)
    pdf = pdf_of(api_filing, PATH, Role.LEADER)
    url = qr_of(pdf, tmp_path)
    document = filed(api_filing)
    assert url.endswith(f"/van-ban/{document.id}")
    path = urlsplit(url).path
    vi = public_get(api_filing, path, "vi")
    assert vi.status_code == 200, vi.text
    page = html.unescape(vi.text)
    for shown in (
        REF,
        "Rà soát chợ truyền thống",
        "Nguyễn Hoàng Long",
        document.current.file.digest,
        f"Hợp lệ, của {LEADER.name}",
        "Chờ tiếp nhận",
    ):
        assert shown in page, shown
    en = html.unescape(public_get(api_filing, path, "en").text)
    assert f"Valid, by {LEADER.name}" in en
    assert "Awaiting acknowledgement" in en


def test_every_digest_on_the_public_page_breaks_where_it_must_to_fit_a_phone(
    api_filing: Api,
) -> None:
    """A SHA-256 is 71 characters with no space: in the versions' table it made the page 887
    px wide on a 390 px phone. Each digest shown is a ``code.hash``, which app.css lets break
    anywhere."""
    issued(api_filing)
    document = filed(api_filing)
    page = public_get(api_filing, f"/van-ban/{document.id}").text
    versions = page[page.index('id="filed-versions"') :]
    digest = document.current.file.digest
    assert f'<code class="hash">{digest}</code>' in versions
    assert f"<code>{digest}</code>" not in page
    css = (Path(__file__).parents[2] / "api/web/static/app.css").read_text()
    rules = re.findall(r"([^{}]*)\{([^{}]*)\}", css)
    assert any(
        "code.hash" in [selector.strip() for selector in selectors.split(",")]
        for selectors, body in rules
        if "overflow-wrap: anywhere" in body
    )


def test_an_unknown_a_malformed_and_a_private_document_answer_alike(api_filing: Api) -> None:
    """Same status, same page: nothing tells a private document from no document."""
    issued(api_filing)
    directive = api_filing.app.get_directive(REF)
    api_filing.app.documents.file(
        pdf_of(api_filing, PATH, Role.LEADER),
        name="private.pdf",
        kind="private-test",
        subject=directive.id,
        reference="9/UBND-VX",
        title="Mật",
        issuer=LEADER.account,
        public=False,
        signer=LEADER.account,
        actor=SYSTEM_ACTOR,
        request_id="test",
    )
    private = public_get(api_filing, f"/van-ban/{document_id('private-test', directive.id)}")
    unknown = public_get(api_filing, f"/van-ban/{uuid4()}")
    malformed = public_get(api_filing, "/van-ban/not-a-code")
    assert private.status_code == unknown.status_code == malformed.status_code == 404
    assert main_of(private) == main_of(unknown) == main_of(malformed)
    assert "Mật" not in private.text


def test_look_ups_that_find_nothing_are_limited_by_address(api_filing: Api) -> None:
    """The petitions' look-up limiter counts them: past its limit, 429 with Retry-After."""
    statuses = [public_get(api_filing, f"/van-ban/{uuid4()}").status_code for _ in range(40)]
    assert 429 in statuses
    refused = public_get(api_filing, f"/van-ban/{uuid4()}")
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0


def test_the_filed_file_checks_as_filed_current_with_its_position(api_filing: Api) -> None:
    """The file as served: filed, version 1, current, at the position of its event."""
    issued(api_filing)
    pdf = pdf_of(api_filing, PATH, Role.LEADER)
    page = check_upload(api_filing, pdf)
    assert page.status_code == 200, page.text
    assert answer_of(page) == "Đúng là văn bản đã lưu, phiên bản hiện hành."
    verdict = verdict_of(api_filing, pdf)
    assert verdict.answer is Answer.CURRENT
    assert verdict.filed is not None
    assert verdict.filed.version.number == 1
    assert check_upload(api_filing, pdf, "en").text.count("This is the document filed") == 1


def test_a_byte_changed_in_the_filed_file_is_answered_altered(api_filing: Api) -> None:
    """One byte of the content changed: altered, not merely not filed."""
    issued(api_filing)
    pdf = bytearray(pdf_of(api_filing, PATH, Role.LEADER))
    at = pdf.index(b"/Length") + 1
    pdf[at] ^= 0x01
    assert verdict_of(api_filing, bytes(pdf)).answer is Answer.ALTERED
    assert "sửa đổi sau khi ký" in answer_of(check_upload(api_filing, bytes(pdf)))


def test_a_copy_signed_again_by_another_key_is_answered_re_signed(
    api_filing: Api, tmp_path: Path
) -> None:
    """The same document signed by a certificate of another CA, under the same name."""
    issued(api_filing)
    forger = make_authority(tmp_path / "forger", START, signers=[LEADER])
    unsigned = unsigned_render(api_filing)
    copy = PadesSigner(Pkcs12Keys(forger.keys)).sign(
        unsigned, signer=LEADER.account, reason="x", location="y", at=START
    )
    assert verdict_of(api_filing, copy).answer is Answer.RE_SIGNED
    assert "ký lại" in answer_of(check_upload(api_filing, copy))


def test_a_document_signed_by_the_city_but_never_filed_is_answered_not_filed(
    api_filing: Api, authority: Authority
) -> None:
    """Signed with the leader's own trusted key, but this exact file was never filed."""
    issued(api_filing)
    other = PadesSigner(Pkcs12Keys(authority.keys)).sign(
        unsigned_render(api_filing), signer=LEADER.account, reason="x", location="y", at=START
    )
    verdict = verdict_of(api_filing, other)
    assert verdict.signature.valid
    assert verdict.answer is Answer.NOT_FILED
    assert "chưa từng được lưu" in answer_of(check_upload(api_filing, other))


def test_a_document_filed_after_the_checkpoint_its_holder_kept_is_answered_so(
    api_filing: Api,
) -> None:
    """The holder kept a checkpoint signed before the filing: the file is filed, but that
    checkpoint does not cover it; a checkpoint signed after does, with a proof that checks."""
    trail, signer = api_filing.services.trail, api_filing.services.signer
    assert trail is not None
    assert signer is not None
    before = AuditProjection(api_filing.app, trail, signer).sign_now()
    assert before is not None
    issued(api_filing)
    pdf = pdf_of(api_filing, PATH, Role.LEADER)
    AuditProjection(api_filing.app, trail, signer).sign_now()
    kept = Checkpoint.parse(open_note(before.note, signer.origin, signer.public_key))
    held = check_file(api_filing.app, verifier(api_filing), pdf, store=trail, kept=kept)
    assert held.answer is Answer.AFTER_CHECKPOINT
    now = check_file(api_filing.app, verifier(api_filing), pdf, store=trail)
    assert now.answer is Answer.CURRENT
    assert now.proof is not None
    proved = check_file_proof(
        plain(now.proof), pdf, origin=signer.origin, public_key=signer.public_key
    )
    assert now.filed is not None
    assert proved.position == now.filed.position


def test_an_amended_version_supersedes_and_the_old_qr_code_says_which_is_current(
    api_filing: Api, authority: Authority, tmp_path: Path
) -> None:
    """Đính chính: version 2 filed signed; the first file checks as superseded, and the QR
    code printed on it still opens the page, which marks version 2 current."""
    issued(api_filing)
    first = pdf_of(api_filing, PATH, Role.LEADER)
    document = filed(api_filing)
    second = PadesSigner(Pkcs12Keys(authority.keys)).sign(
        unsigned_render(api_filing), signer=LEADER.account, reason="x", location="y", at=START
    )
    api_filing.app.documents.file_version(
        document.id,
        second,
        name="1234-UBND-VX-dinh-chinh.pdf",
        signer=LEADER.account,
        change=Change.AMENDED,
        reason="đính chính ngày",
        actor=SYSTEM_ACTOR,
        request_id="amend",
    )
    assert verdict_of(api_filing, first).answer is Answer.SUPERSEDED
    assert verdict_of(api_filing, second).answer is Answer.CURRENT
    page = html.unescape(public_get(api_filing, urlsplit(qr_of(first, tmp_path)).path).text)
    current = page[page.index('id="filed-current"') :]
    assert current.startswith('id="filed-current"><td>2 (hiện hành)')
    assert "Đính chính: đính chính ngày" in current
    assert pdf_of(api_filing, PATH, Role.LEADER) == second


def verifier(api: Api) -> PadesVerifier:
    return cast("PadesVerifier", api.services.document_verifier())


def verdict_of(api: Api, pdf: bytes) -> FileVerdict:
    return check_file(api.app, verifier(api), pdf, store=api.services.trail)


def unsigned_render(api: Api) -> bytes:
    """The directive typeset again, unsigned (what a forger or a second version starts from)."""
    issued_directive = api.app.get_directive(REF, version=1)
    content = directive_content(
        issued_directive,
        lang="vi",
        registry=api.app.unit_registry(),
        signer=api.app.cached_user(issued_directive.issuer),
        issued_at=issued_directive.created_on,
        qr_url=document_url("http://x", document_id(DIRECTIVE, issued_directive.id)),
    )
    return PdfDocuments().render(content).pdf
