"""Filing a directive's signed document as it is issued (issue 28; docs/documents.md, "Filing"):
signed by its issuer's certificate, kept by its SHA-256, recorded by ``Document.Filed``; and
where the issuer has no certificate, nothing filed and the PDF typeset unsigned as before."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.demo_ca import DemoSigner
from adapters.documents import PadesSettings
from adapters.pades import PadesVerifier
from api.filing import DIRECTIVE
from domain.documents.document import Change, Document, document_id
from domain.shared.actors import Role
from tests.api.conftest import USERS, Api, make_api
from tests.api.test_documents import PATH, REF, issued, pdf_of
from tests.conftest import START
from tests.documents import Authority, make_authority, nss_trusting, pdfsig

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
