"""Files filed with a directive's steps (issue 27, item 4), through the API and the pages: uploaded
by their content, filed by digest and name, listed and downloaded by whoever sees the directive
and only from their event on, and proved to be the ones filed. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import quote

import falcon.testing
import orjson
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from domain.shared.files import FileRules, digest_of
from projections.file_proof import FileProofError, check_file_proof
from tests.api.conftest import COORDINATOR, ORIGIN, OUTSIDER, Api, api_on
from tests.api.test_pages import REF, Visitor, alert, issue, page_of, visitor

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PATH = "/api/directives/" + REF.replace("/", "~")


def docx() -> bytes:
    made = io.BytesIO()
    with zipfile.ZipFile(made, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return made.getvalue()


@pytest.fixture(params=["sqlite", "postgres"])
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    yield from api_on(request.param, tmp_path)


def multipart(
    fields: dict[str, str], files: list[tuple[str, str, bytes]]
) -> tuple[bytes, dict[str, str]]:
    """A ``multipart/form-data`` body as a browser sends it: fields, then files (field name,
    file name, bytes)."""
    boundary = "----thucthi" + uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
            + value.encode()
            + b"\r\n"
        )
    for field, filename, data in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


def upload(api: Api, who: object, name: str, data: bytes) -> falcon.testing.Result:
    body, headers = multipart({}, [("file", name, data)])
    return api.client.simulate_post(
        "/api/files",
        body=body,
        headers=api.headers(who, **headers),  # type: ignore[arg-type]
    )


def issued_and_acknowledged(api: Api) -> None:
    made = api.post(
        "/api/directives",
        "leader.chutich",
        {"reference": REF, "title": "Rà soát chợ", "lead_unit": "SO-CT", "deadline": "2024-04-30"},
    )
    assert made.status_code == 201, made.text
    assert api.post(PATH + "/acknowledgement", "so-ct.canbo").status_code == 200


def report_with(api: Api, name: str, data: bytes) -> falcon.testing.Result:
    kept = upload(api, "so-ct.canbo", name, data)
    assert kept.status_code == 201, kept.text
    return api.post(
        PATH + "/progress-reports",
        "so-ct.canbo",
        {
            "percent": 40,
            "narrative": "Đã rà soát 12 chợ",
            "files": [{"digest": kept.json["digest"], "name": name}],
        },
    )


def test_an_officer_files_a_report_with_progress_and_the_leader_downloads_the_same_bytes(
    api: Api,
) -> None:
    """The upload answers the digest, sniffed type and size; the progress report files it by
    digest and name; the leader lists and downloads it byte for byte, under its name."""
    issued_and_acknowledged(api)
    name = "Báo cáo tiến độ tháng 3.pdf"
    kept = upload(api, "so-ct.canbo", name, PDF)
    assert kept.status_code == 201, kept.text
    assert kept.json == {
        "digest": digest_of(PDF),
        "name": name,
        "media_type": "application/pdf",
        "size": len(PDF),
    }
    reported = api.post(
        PATH + "/progress-reports",
        "so-ct.canbo",
        {
            "percent": 40,
            "narrative": "Đã rà soát",
            "files": [{"digest": digest_of(PDF), "name": name}],
        },
    )
    assert reported.status_code == 201, reported.text
    listed = api.get(PATH + "/files", "leader.chutich").json["items"]
    assert [(f["digest"], f["name"], f["media_type"], f["size"], f["event"]) for f in listed] == [
        (digest_of(PDF), name, "application/pdf", len(PDF), "ProgressReported")
    ]
    assert listed[0]["version"] == 3
    got = api.get(PATH + "/files/" + digest_of(PDF), "leader.chutich")
    assert got.status_code == 200
    assert got.content == PDF
    assert got.headers["content-type"] == "application/pdf"
    assert got.headers["x-content-type-options"] == "nosniff"
    assert f"filename*=UTF-8''{quote(name)}" in got.headers["content-disposition"]


def test_the_event_records_the_files_digest_name_type_and_size_never_its_bytes(api: Api) -> None:
    """What the log holds of a file: four facts, the bytes stay in the store."""
    issued_and_acknowledged(api)
    marked = PDF + b"% MARKER-IN-THE-BYTES " * 20
    assert report_with(api, "bao-cao.pdf", marked).status_code == 201
    stored = api.app.recorder.select_events(api.app.find_directive(REF))[-1]  # type: ignore[arg-type]
    state = orjson.loads(stored.state)
    assert state["files"] == [
        {
            "digest": digest_of(marked),
            "name": "bao-cao.pdf",
            "media_type": "application/pdf",
            "size": len(marked),
        }
    ]
    assert b"MARKER" not in stored.state
    assert api.app.files.get(digest_of(marked)) == marked


def test_a_files_type_is_sniffed_from_its_content_not_taken_from_its_name(api: Api) -> None:
    """A text named .pdf, a PDF named .png and an empty file are refused, in both languages;
    an office document is known by its parts."""
    text = upload(api, "so-ct.canbo", "report.pdf", b"just some text, no PDF")
    assert text.status_code == 422
    assert (text.json["type"], text.json["case"]) == ("urn:thucthi:problem:invalid-file", "kind")
    assert "không thuộc loại" in text.json["vi"]
    assert "none of the kinds" in text.json["en"]
    misnamed = upload(api, "so-ct.canbo", "anh.png", PDF)
    assert (misnamed.status_code, misnamed.json["case"]) == (422, "name")
    assert upload(api, "so-ct.canbo", "rong.pdf", b"").json["case"] == "empty"
    word = upload(api, "so-ct.canbo", "to-trinh.docx", docx())
    assert word.status_code == 201
    assert word.json["media_type"].endswith("wordprocessingml.document")


def test_a_file_over_the_limit_is_refused_and_not_kept(api: Api) -> None:
    api.app.file_rules = FileRules(max_bytes=len(PDF) - 1)
    refused = upload(api, "so-ct.canbo", "lon.pdf", PDF)
    assert (refused.status_code, refused.json["case"]) == (422, "too_large")
    assert api.app.files.get(digest_of(PDF)) is None


def test_a_file_that_was_not_uploaded_cannot_be_filed(api: Api) -> None:
    issued_and_acknowledged(api)
    refused = api.post(
        PATH + "/progress-reports",
        "so-ct.canbo",
        {"percent": 10, "files": [{"digest": digest_of(b"never sent"), "name": "x.pdf"}]},
    )
    assert (refused.status_code, refused.json["case"]) == (422, "not_stored")
    assert "tải lên trước" in refused.json["vi"]


def test_only_those_who_see_the_directive_read_its_files(api: Api) -> None:
    """A unit that neither leads nor coordinates finds no directive there, nor its files; a
    coordinating unit does."""
    issued_and_acknowledged(api)
    assert report_with(api, "bao-cao.pdf", PDF).status_code == 201
    outsider = OUTSIDER[0]
    assert api.get(PATH + "/files", outsider).status_code == 404
    assert api.get(PATH + "/files/" + digest_of(PDF), outsider).status_code == 404
    assert api.post(PATH + "/reassignment", "office.vp", {"to_unit": "SO-TC"}).status_code == 200
    # SO-CT led it: now it is SO-TC's, and SO-CT sees it no more.
    assert api.get(PATH + "/files/" + digest_of(PDF), COORDINATOR[0]).content == PDF
    assert api.get(PATH + "/files/" + digest_of(PDF), "so-ct.canbo").status_code == 404


def test_a_file_exists_from_its_event_on(api: Api) -> None:
    """As of a moment or a version before it was filed, a file is not there."""
    issued_and_acknowledged(api)
    before = api.clock.now()
    api.clock.advance(timedelta(hours=2))
    assert report_with(api, "bao-cao.pdf", PDF).status_code == 201
    at = before.isoformat()
    assert api.get(PATH + "/files", "leader.chutich", at=at).json["items"] == []
    assert api.get(PATH + "/files", "leader.chutich", version="2").json["items"] == []
    assert len(api.get(PATH + "/files", "leader.chutich", version="3").json["items"]) == 1
    early = api.get(PATH + "/files/" + digest_of(PDF), "leader.chutich", at=at)
    assert (early.status_code, early.json["case"]) == (404, "not_yet")
    assert api.get(PATH + "/files/" + digest_of(PNG), "leader.chutich").json["case"] == "unknown"


def test_the_signed_directive_is_filed_as_a_pdf_when_issuing(api: Api) -> None:
    png = upload(api, "leader.chutich", "anh.png", PNG).json["digest"]
    refused = api.post(
        "/api/directives",
        "leader.chutich",
        {
            "reference": REF,
            "title": "Rà soát chợ",
            "lead_unit": "SO-CT",
            "files": [{"digest": png, "name": "anh.png"}],
        },
    )
    assert (refused.status_code, refused.json["case"]) == (422, "not_pdf")
    pdf = upload(api, "leader.chutich", "1234-UBND-VX.pdf", PDF).json["digest"]
    made = api.post(
        "/api/directives",
        "office.vp",
        {
            "reference": REF,
            "title": "Rà soát chợ",
            "lead_unit": "SO-CT",
            "issuer": "leader.chutich",
            "files": [{"digest": pdf, "name": "1234-UBND-VX.pdf"}],
        },
    )
    assert made.status_code == 201, made.text
    listed = api.get(PATH + "/files", "so-ct.canbo").json["items"]
    assert [(f["name"], f["event"], f["version"]) for f in listed] == [
        ("1234-UBND-VX.pdf", "Issued", 1)
    ]


def test_a_files_proof_checks_against_the_signed_checkpoint_and_nothing_else(api: Api) -> None:
    """The proof of the event that filed it, with the digest in its record: the file held
    checks; other bytes, or another key, do not."""
    issued_and_acknowledged(api)
    assert report_with(api, "bao-cao.pdf", PDF).status_code == 201
    early = api.get(PATH + "/files/" + digest_of(PDF) + "/proof", "thanhtra")
    assert (early.status_code, early.json["type"]) == (404, "urn:thucthi:problem:no-proof")
    assert api.post("/api/audit/checkpoint", "thanhtra").status_code == 201
    proof = api.get(PATH + "/files/" + digest_of(PDF) + "/proof", "thanhtra").json
    assert proof["file"]["digest"] == digest_of(PDF)
    assert proof["filed"]["event"] == "ProgressReported"
    signer = api.services.signer
    assert signer is not None
    proved = check_file_proof(proof, PDF, origin=ORIGIN, public_key=signer.public_key)
    assert proved.topic == "thucthi:Directive.ProgressReported"
    assert proved.recorded["name"] == "bao-cao.pdf"
    with pytest.raises(FileProofError, match="no file with this file's digest"):
        check_file_proof(proof, PDF + b" ", origin=ORIGIN, public_key=signer.public_key)
    other = Ed25519PrivateKey.generate().public_key()
    with pytest.raises(FileProofError, match="checkpoint"):
        check_file_proof(proof, PDF, origin=ORIGIN, public_key=other)
    # A department officer has no proofs (the audit trail's rule), its leader does.
    assert api.get(PATH + "/files/" + digest_of(PDF) + "/proof", "so-ct.canbo").status_code == 403


# --- the pages -----------------------------------------------------------------------------------


def post_form(
    v: Visitor, path: str, fields: dict[str, str], files: list[tuple[str, str, bytes]]
) -> falcon.testing.Result:
    """A page's form posted with files, as a browser does (multipart, with the form token)."""
    body, headers = multipart({"csrf": v.csrf, **fields}, files)
    return v._keep(v.client.simulate_post(path, body=body, headers=v._headers(headers)))


def test_an_officer_attaches_a_file_on_the_progress_form_and_the_leader_downloads_it(
    api: Api,
) -> None:
    """The form carries the file (multipart, no script); the page lists it with a link; the
    leader's download is the same bytes."""
    assert issue(visitor(api, "leader.chutich")).status_code == 303
    officer = visitor(api, "so-ct.canbo")
    assert officer.post(page_of(REF) + "/acknowledge", {}).status_code == 303
    page = officer.get(page_of(REF)).text
    form = page[
        page.index('id="form-progress"') : page.index("</form>", page.index('id="form-progress"'))
    ]
    assert 'enctype="multipart/form-data"' in page[page.index('id="form-progress"') - 300 :]
    assert 'type="file"' in form
    sent = post_form(
        officer,
        page_of(REF) + "/progress",
        {"version": "2", "percent": "30", "narrative": "Đã khảo sát"},
        [("files", "Biên bản khảo sát.pdf", PDF)],
    )
    assert sent.status_code == 303, sent.text
    leader = visitor(api, "leader.chutich")
    shown = leader.get(page_of(REF)).text
    link = re.search(r'href="(/directives/[^"]+/files/sha256:[0-9a-f]{64})"', shown)
    assert link is not None
    assert "Biên bản khảo sát.pdf" in shown
    assert "kèm báo cáo tiến độ" in shown
    got = leader.get(link[1])
    assert (got.status_code, got.content) == (200, PDF)
    assert visitor(api, OUTSIDER[0]).get(link[1]).status_code == 404


def test_a_file_the_form_may_not_file_is_refused_on_the_page_in_vietnamese(api: Api) -> None:
    assert issue(visitor(api, "leader.chutich")).status_code == 303
    officer = visitor(api, "so-ct.canbo")
    assert officer.post(page_of(REF) + "/acknowledge", {}).status_code == 303
    sent = post_form(
        officer,
        page_of(REF) + "/progress",
        {"version": "2", "percent": "30", "narrative": "Đã khảo sát"},
        [("files", "virus.pdf", b"MZ\x90\x00 not a pdf at all")],
    )
    assert sent.status_code == 422
    assert "không thuộc loại được nhận" in alert(sent.text)
    assert api.app.get_directive(REF).version == 2  # nothing recorded


def test_the_issuing_form_files_the_signed_pdf(api: Api) -> None:
    leader = visitor(api, "leader.chutich")
    assert 'enctype="multipart/form-data"' in leader.get("/directives/new").text
    sent = post_form(
        leader,
        "/directives/new",
        {"reference": REF, "title": "Rà soát chợ", "lead_unit": "SO-CT", "issuer": "UBND TP"},
        [("files", "101-UBND-VX.pdf", PDF)],
    )
    assert sent.status_code == 303, sent.text
    shown = leader.get(page_of(REF)).text
    assert "101-UBND-VX.pdf" in shown
    assert "nộp khi ban hành" in shown
