"""``thucthi documents verify FILE.pdf`` (issue 28): the file a directive's issuing filed, signed
by the demo CA's certificate of its issuer, checks as filed and current, with the inclusion
proof of its filing checked against a signed checkpoint; the standalone verifier checks the
same proof with nothing but the log's public key; a changed byte is answered altered."""

from __future__ import annotations

import gc
import io
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.pdf import PdfDocuments
from api.filing import DIRECTIVE, DirectiveFiling, FilingState
from bootstrap import Settings, open_services
from cli.main import main
from domain.directives.commands import IssueDirective
from domain.documents.document import document_id
from tests.builders import LEAD, LEADER
from tests.documents import minimal_pdf

SCRIPT = Path(__file__).parents[2] / "docs" / "inspectors" / "thucthi_verify.py"
REF = "77/UBND-VX"


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("THUCTHI_SIGNING_KEY", str(tmp_path / "keys" / "signing-key.pem"))
    monkeypatch.setenv("THUCTHI_FILES_DIR", str(tmp_path / "files"))
    monkeypatch.delenv("THUCTHI_CHECKPOINT_LOG", raising=False)
    for variable in ("THUCTHI_DOCUMENT_KEYS", "THUCTHI_DOCUMENT_TRUST_ROOTS", "THUCTHI_TSA_URL"):
        monkeypatch.delenv(variable, raising=False)
    return f"sqlite:///{tmp_path / 'log.db'}"


def cli(url: str, *args: str) -> tuple[int, str]:
    out = io.StringIO()
    status = main(["--db", url, *args], out=out)
    gc.collect()  # the command leaves its application to the process's end: close it now
    return status, out.getvalue()


def issued_and_filed(url: str) -> bytes:
    """A directive issued by the demo's chairman, its document signed and filed: its bytes."""
    services = open_services(Settings.from_env(database_url=url))
    try:
        app = services.app
        filing = DirectiveFiling(
            app,
            PdfDocuments(),
            services.document_signer,
            services.settings.documents.seal,
            lambda: "https://thucthi.example",
        )
        app.issue(
            IssueDirective(reference=REF, title="Kiểm tra chợ", lead_unit=LEAD),
            actor=LEADER,
            request_id="t",
        )
        assert filing.file_issued(REF, actor=LEADER, request_id="t").state is FilingState.FILED
        document = app.documents.get(document_id(DIRECTIVE, app.get_directive(REF).id))
        assert document is not None
        data = app.files.get(document.current.file.digest)
        assert data is not None
        return data
    finally:
        services.close()


def test_the_filed_document_verifies_with_its_proof_and_a_changed_byte_does_not(
    url: str, tmp_path: Path
) -> None:
    assert cli(url, "init", "--demo-ca")[0] == 0
    pdf = issued_and_filed(url)
    held = tmp_path / "held.pdf"
    held.write_bytes(pdf)
    status, said = cli(url, "documents", "verify", str(held))
    assert status == 0, said
    assert "proof:     no signed checkpoint covers the filing yet" in said
    assert cli(url, "audit", "checkpoint")[0] == 0
    proof = tmp_path / "proof.json"
    status, said = cli(url, "documents", "verify", str(held), "--out", str(proof))
    assert status == 0, said
    assert "signature: valid, by " in said
    assert f"filed:     {REF} version 1 of 1, at position" in said
    assert ": checked" in said
    assert said.rstrip().endswith(
        "OK: current: the file is the one filed, and its document's current version"
    )
    key = tmp_path / "public.vkey"
    key.write_text(cli(url, "audit", "public-key")[1])
    checked = subprocess.run(
        [sys.executable, str(SCRIPT), "file", "--key", str(key), str(proof), str(held)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stderr
    assert "OK: the file is the one filed by the record at position" in checked.stdout
    changed = bytearray(pdf)
    changed[pdf.index(b"/Length") + 1] ^= 0x01
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(bytes(changed))
    status, said = cli(url, "documents", "verify", str(altered))
    assert status == 1
    assert "NO: altered: the file was changed after it was signed" in said


def signed_correction(url: str) -> bytes:
    """Another PDF signed with the chairman's demo certificate: a correction."""
    services = open_services(Settings.from_env(database_url=url))
    try:
        return services.document_signer().sign(
            minimal_pdf("Dinh chinh"),
            signer=LEADER.user_id,
            reason="Đính chính",
            location="Thành phố Hồ Chí Minh",
            at=services.app.clock.now(),
        )
    finally:
        services.close()


def test_an_amended_document_keeps_its_first_version_superseded_and_a_revoked_one_says_so(
    url: str, tmp_path: Path
) -> None:
    """thucthi documents amend files a signed correction as version 2: the first file now
    checks as superseded, the correction as current; an unsigned file is refused; once revoked,
    the correction checks as revoked."""
    assert cli(url, "init", "--demo-ca")[0] == 0
    first = tmp_path / "first.pdf"
    first.write_bytes(issued_and_filed(url))
    correction = tmp_path / "correction.pdf"
    correction.write_bytes(signed_correction(url))
    unsigned = tmp_path / "unsigned.pdf"
    unsigned.write_bytes(minimal_pdf("Khong ky"))
    public_id = document_of(url)
    assert cli(url, "documents", "amend", public_id, str(unsigned), "--reason", "x")[0] == 1
    status, said = cli(
        url, "documents", "amend", public_id, str(correction), "--reason", "sửa ngày"
    )
    assert status == 0, said
    assert "version 2 (amended)" in said
    status, said = cli(url, "documents", "verify", str(first))
    assert status == 1
    assert "NO: superseded" in said
    assert "version 1 of 2" in said
    assert cli(url, "documents", "verify", str(correction))[0] == 0
    assert cli(url, "documents", "revoke", public_id, "--reason", "hết hiệu lực")[0] == 0
    status, said = cli(url, "documents", "verify", str(correction))
    assert status == 1
    assert "NO: revoked" in said


def document_of(url: str) -> str:
    services = open_services(Settings.from_env(database_url=url))
    try:
        return str(document_id(DIRECTIVE, services.app.get_directive(REF).id))
    finally:
        services.close()


def test_the_demo_signs_and_files_its_directives_documents_once_the_demo_ca_exists(
    url: str, tmp_path: Path
) -> None:
    """thucthi demo --demo-ca (what make run does): the demo CA is made, and the first
    directives' documents are signed by their issuers and filed; without the keys the demo says
    why not."""
    status, said = cli(url, "demo", "--directives", "30", "--petitions", "0", "--documents", "2")
    assert status == 0, said
    assert "directives' documents not signed nor filed: no signers' keys in" in said
    second = f"sqlite:///{tmp_path / 'second.db'}"
    args = ("demo", "--directives", "30", "--petitions", "0", "--documents", "3", "--demo-ca")
    status, said = cli(second, *args)
    assert status == 0, said
    assert "3 directives' documents signed and filed" in said


def test_documents_pending_are_signed_and_filed_by_file_pending_once_their_keys_exist(
    url: str,
) -> None:
    """A directive issued before any signer's key existed is not filed; once the demo CA is
    made, thucthi documents file-pending signs and files it (exit 0), and run again finds
    nothing pending."""
    assert cli(url, "init")[0] == 0
    services = open_services(Settings.from_env(database_url=url))
    try:
        filing = DirectiveFiling(
            services.app,
            PdfDocuments(),
            services.document_signer,
            services.settings.documents.seal,
            lambda: "https://thucthi.example",
        )
        services.app.issue(
            IssueDirective(reference=REF, title="Kiểm tra chợ", lead_unit=LEAD),
            actor=LEADER,
            request_id="t",
        )
        assert filing.file_issued(REF, actor=LEADER, request_id="t").state is FilingState.UNSIGNED
    finally:
        services.close()
    status, said = cli(url, "documents", "file-pending")
    assert status == 1
    assert f"{REF}: still unsigned" in said
    assert cli(url, "init", "--demo-ca")[0] == 0
    status, said = cli(url, "documents", "file-pending")
    assert status == 0, said
    assert f"{REF}: signed and filed at position" in said
    assert "1 pending, 0 left" in said
    status, said = cli(url, "documents", "file-pending")
    assert (status, said.strip()) == (0, "0 pending, 0 left")
