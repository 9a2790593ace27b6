"""PAdES signatures made with pyHanko and checked twice: by ``PadesVerifier`` against the demo
CA, and by Poppler's pdfsig, an implementation independent of the one that signed. Each answer
of ``verify`` has a test that fails when its check is taken away."""

from __future__ import annotations

import asyncio
import dataclasses
import io
import subprocess
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from adapters.pades import PadesSigner, PadesVerifier, Pkcs11Keys, Pkcs12Keys
from domain.documents.signing import (
    Appearance,
    Box,
    Failure,
    SignerUnavailableError,
    over_signature,
)
from tests.documents import (
    AGENCY,
    HEAD,
    LEADER,
    LOCATION,
    REASON,
    Authority,
    make_authority,
    minimal_pdf,
    nss_trusting,
    pdfsig,
    require_tool,
    softhsm_token,
    time_stamp_authority,
)

AT = datetime(2026, 3, 5, 3, 15, 30, tzinfo=UTC)  # 10:15:30 in the city
NOW = datetime.now(UTC)
AREA = Box(0, 300, 120, 560, 200)  # where the renderer puts the signer's signature


@pytest.fixture(scope="module")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    return make_authority(tmp_path_factory.mktemp("ca"), NOW)


@pytest.fixture(scope="module")
def forger(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    """Another CA with certificates for the same names: what a re-signed copy is signed with."""
    return make_authority(tmp_path_factory.mktemp("forger"), NOW)


@pytest.fixture(scope="module")
def nss(authority: Authority, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return nss_trusting(tmp_path_factory.mktemp("nss"), authority.certificate)


def signer_of(authority: Authority, tsa_url: str | None = None) -> PadesSigner:
    return PadesSigner(Pkcs12Keys(authority.keys), tsa_url=tsa_url)


def verifier_of(authority: Authority) -> PadesVerifier:
    return PadesVerifier.from_file(authority.certificate)


def signed(
    authority: Authority, pdf: bytes | None = None, *, signer: str = LEADER.account
) -> bytes:
    appearance = Appearance(over_signature(AREA, seal=102), AGENCY, authority.seal.read_bytes())
    return signer_of(authority).sign(
        minimal_pdf() if pdf is None else pdf,
        signer=signer,
        reason=REASON,
        location=LOCATION,
        at=AT,
        appearance=appearance,
    )


_SIGNED: dict[Path, bytes] = {}


def signed_once(authority: Authority) -> bytes:
    """The authority's signed document, made once (a property test takes it from here rather
    than as a fixture, whose hundred kilobytes hypothesis would print with a failing example)."""
    if authority.folder not in _SIGNED:
        _SIGNED[authority.folder] = signed(authority)
    return _SIGNED[authority.folder]


@pytest.fixture(scope="module")
def document(authority: Authority) -> bytes:
    return signed_once(authority)


def test_a_document_signed_with_a_demo_certificate_is_valid_and_says_who_signed_it_when(
    authority: Authority, document: bytes
) -> None:
    """The issuer's signature is valid against the demo CA, covers the whole file, and names
    the issuer, the demo CA and the moment given."""
    check = verifier_of(authority).verify(document)
    assert check.valid, check.failures
    assert check.signatures == 1
    assert check.signer == LEADER.name
    assert check.subject is not None
    assert f"UID={LEADER.account}" in check.subject
    assert check.issuer is not None
    assert "Demo — không dùng thật" in check.issuer
    assert check.signed_at == AT
    assert check.timestamped_at is None  # B-B: no time-stamp authority configured
    assert check.whole_file
    assert not check.altered
    assert (check.reason, check.location) == (REASON, LOCATION)


def test_a_document_is_signed_and_checked_where_an_event_loop_already_runs(
    authority: Authority,
) -> None:
    """pyHanko starts an event loop of its own: a caller already running one (an asynchronous
    host, or a test process driving Chromium through Playwright's synchronous API) still signs
    and checks, rather than failing with 'asyncio.run() cannot be called from a running event
    loop'."""

    async def inside_a_loop() -> bytes:
        return signed(authority)

    async def checked(pdf: bytes) -> bool:
        return verifier_of(authority).verify(pdf).valid

    # Each loop runs on a thread of its own: this worker's main thread may already run one
    # (Playwright's, left by a browser test before), where asyncio.run itself would refuse.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pdf = pool.submit(lambda: asyncio.run(inside_a_loop())).result()
        assert pool.submit(lambda: asyncio.run(checked(pdf))).result()


def test_pdfsig_finds_the_signature_valid_the_demo_ca_trusted_and_the_whole_file_signed(
    document: bytes, nss: Path, tmp_path: Path
) -> None:
    """Poppler, given the demo CA as trusted, agrees: a PAdES signature by the issuer, sound,
    from a trusted certificate, over the entire document."""
    said = pdfsig(document, tmp_path, nss)
    assert f"Signer Certificate Common Name: {LEADER.name}" in said
    assert "Signature Type: ETSI.CAdES.detached" in said
    assert "Total document signed" in said
    assert "Signature Validation: Signature is Valid." in said
    assert "Certificate Validation: Certificate is Trusted." in said


def test_pdfsig_without_the_demo_ca_finds_the_signature_sound_but_its_issuer_untrusted(
    document: bytes, tmp_path: Path
) -> None:
    """Without the demo CA in its trust store, pdfsig tells a sound signature from a trusted
    one: the signature is valid, its certificate's issuer is not trusted."""
    said = pdfsig(document, tmp_path)
    assert "Signature Validation: Signature is Valid." in said
    assert "Certificate Validation: Certificate issuer isn't Trusted." in said


def changed_in_content(pdf: bytes) -> bytes:
    """The same file with one byte of the page's text changed (Thucthi → Thucthj)."""
    at = pdf.index(b"(Thucthi 1)") + len(b"(Thucth")
    return pdf[:at] + b"j" + pdf[at + 1 :]


def test_a_byte_changed_after_signing_is_answered_altered(
    authority: Authority, document: bytes, nss: Path, tmp_path: Path
) -> None:
    """One byte of the signed text changed: the digest no longer matches, and both checkers
    say so."""
    changed = changed_in_content(document)
    check = verifier_of(authority).verify(changed)
    assert check.failures == (Failure.ALTERED,)
    assert check.altered
    assert not check.valid
    said = pdfsig(changed, tmp_path, nss)
    assert "Signature Validation: Digest Mismatch." in said


def test_a_byte_changed_in_the_room_left_for_the_signature_is_answered_altered(
    authority: Authority, document: bytes, nss: Path, tmp_path: Path
) -> None:
    """The signature does not cover its own room, and readers stop at the end of its DER: a
    zero of the padding after it changed leaves pdfsig content, but the file is not the one
    signed, and ``verify`` says so."""
    end = document.index(b">", document.index(b"/Contents <"))
    assert document[end - 1 : end] == b"0"
    changed = document[: end - 1] + b"7" + document[end:]
    check = verifier_of(authority).verify(changed)
    assert check.failures == (Failure.ALTERED,)
    assert "Signature Validation: Signature is Valid." in pdfsig(changed, tmp_path, nss)


def test_a_signed_file_whose_structure_no_longer_leads_to_its_signature_is_unreadable(
    authority: Authority, document: bytes
) -> None:
    """A byte of the last cross-reference table changed: the reader falls back to the unsigned
    revision, but the file holds a signature, and is not answered "not signed"."""
    at = document.rindex(b"xref\n0 ") + len(b"xref\n")  # its first subsection: "0 2"
    changed = document[:at] + b"1" + document[at + 1 :]
    assert verifier_of(authority).verify(changed).failures == (Failure.UNREADABLE,)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(where=st.floats(min_value=0, max_value=1, exclude_max=True), by=st.integers(1, 255))
def test_no_single_byte_of_a_signed_document_changes_without_the_check_failing(
    authority: Authority, where: float, by: int
) -> None:
    """Whichever byte the signature covers changes, and however, it is no longer valid. (The
    signature's own room is not covered: the parts of it that are not signed, such as the
    copies of the CA's certificate it carries, can change and leave it valid, as in any CMS
    signature; the log's digest of the file tells those copies apart, docs/documents.md.)"""
    document = signed_once(authority)
    start = document.index(b"/Contents <") + len(b"/Contents ")
    end = document.index(b">", start) + 1
    at = int(where * (len(document) - (end - start)))
    at = at if at < start else at + (end - start)
    changed = document[:at] + bytes([(document[at] + by) % 256]) + document[at + 1 :]
    assert not verifier_of(authority).verify(changed).valid


def test_a_copy_signed_again_by_a_certificate_of_another_root_is_untrusted(
    authority: Authority, forger: Authority, nss: Path, tmp_path: Path
) -> None:
    """The same document signed by a certificate with the same name from another CA: sound,
    unaltered, but not from a trusted root; pdfsig says the same."""
    copy = signed(forger)
    check = verifier_of(authority).verify(copy)
    assert check.failures == (Failure.UNTRUSTED,)
    assert check.signer == LEADER.name  # the name alone proves nothing
    assert not check.altered
    assert check.whole_file
    said = pdfsig(copy, tmp_path, nss)
    assert "Signature Validation: Signature is Valid." in said
    assert "Certificate Validation: Certificate issuer isn't Trusted." in said


def test_an_unsigned_document_is_answered_not_signed(authority: Authority, tmp_path: Path) -> None:
    """A PDF with no signature is said to be not signed, by both."""
    check = verifier_of(authority).verify(minimal_pdf())
    assert check.failures == (Failure.NOT_SIGNED,)
    assert check.signatures == 0
    assert "does not contain any signatures" in pdfsig(minimal_pdf(), tmp_path)


def test_what_is_not_a_pdf_is_answered_unreadable(authority: Authority) -> None:
    """Bytes that are no PDF get their own answer, not an error."""
    assert verifier_of(authority).verify(b"not a PDF at all").failures == (Failure.UNREADABLE,)


def appended(pdf: bytes, *, content: bytes | None) -> bytes:
    """The signed file with an incremental update added after it: a new text on the first page
    (``content``), or only a new entry in the document's information."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    if content is None:
        info = generic.DictionaryObject()  # type: ignore[no-untyped-call]  # pyHanko's own
        info[generic.NameObject("/Title")] = generic.TextStringObject("Added later")
        writer.set_info(writer.add_object(info))
    else:
        page = writer.root["/Pages"]["/Kids"][0]
        stream = generic.StreamObject(stream_data=content)
        page.get_object()[generic.NameObject("/Contents")] = writer.add_object(stream)
        writer.update_container(page)
    out = io.BytesIO()
    writer.write(out)  # type: ignore[no-untyped-call]  # pyHanko's own
    return out.getvalue()


def test_an_update_appended_after_signing_leaves_a_signature_over_only_part_of_the_file(
    authority: Authority, document: bytes, nss: Path, tmp_path: Path
) -> None:
    """New page content added after signing: the signature still matches what it signed, but
    it does not cover the file any more, and the document was changed; pdfsig says only part of
    it is signed."""
    later = appended(document, content=b"BT /F1 14 Tf 72 700 Td (Added later) Tj ET")
    check = verifier_of(authority).verify(later)
    assert check.failures == (Failure.PARTIAL,)
    assert not check.whole_file
    assert check.altered
    said = pdfsig(later, tmp_path, nss)
    assert "Not total document signed" in said


def test_even_a_harmless_update_after_the_only_signature_is_answered_partial(
    authority: Authority, document: bytes
) -> None:
    """Only the document's information added after signing: the page is as signed, yet the last
    signature must cover the whole file, so the answer is partial."""
    check = verifier_of(authority).verify(appended(document, content=None))
    assert check.failures == (Failure.PARTIAL,)
    assert not check.whole_file


def test_a_second_signature_after_the_first_leaves_both_valid(
    authority: Authority, document: bytes, nss: Path, tmp_path: Path
) -> None:
    """A signature added after the first (another signer's) covers the file; the first covers
    its revision, and what came after it is only a signature: valid, speaking of the last."""
    twice = signed(authority, document, signer=HEAD.account)
    check = verifier_of(authority).verify(twice)
    assert check.valid, check.failures
    assert check.signatures == 2
    assert check.signer == HEAD.name
    said = pdfsig(twice, tmp_path, nss)
    assert said.count("Signature Validation: Signature is Valid.") == 2


def test_content_changed_between_two_signatures_is_answered_partial(
    authority: Authority, document: bytes
) -> None:
    """New page content between the first signature and the second: the last covers the file,
    but the first no longer covers what the reader sees."""
    changed = appended(document, content=b"BT /F1 14 Tf 72 700 Td (Added later) Tj ET")
    check = verifier_of(authority).verify(signed(authority, changed, signer=HEAD.account))
    assert Failure.PARTIAL in check.failures


def test_with_a_time_stamp_authority_the_signature_is_b_t_and_valid(
    authority: Authority,
) -> None:
    """With a time-stamp authority configured, the signature carries its token (PAdES B-T),
    checked against the same roots."""
    with time_stamp_authority(authority) as url:
        pdf = signer_of(authority, tsa_url=url).sign(
            minimal_pdf(), signer=LEADER.account, reason=REASON, location=LOCATION, at=AT
        )
    check = verifier_of(authority).verify(pdf)
    assert check.valid, check.failures
    assert check.timestamped_at is not None
    assert abs(check.timestamped_at - datetime.now(UTC)) < timedelta(hours=1)


def test_signers_keys_in_pkcs12_under_a_passphrase_are_opened_with_it_and_only_with_it(
    tmp_path: Path,
) -> None:
    """A PKCS#12 file under a passphrase (as a CA hands them out) signs with the right one; the
    wrong one, and a signer without a file, are refused by name."""
    protected = make_authority(tmp_path, NOW, passphrase=b"mat-khau-rieng")
    keys = Pkcs12Keys(protected.keys, b"mat-khau-rieng")
    pdf = PadesSigner(keys).sign(
        minimal_pdf(), signer=HEAD.account, reason=REASON, location=LOCATION, at=AT
    )
    assert verifier_of(protected).verify(pdf).signer == HEAD.name
    with pytest.raises(SignerUnavailableError, match="cannot be opened"):
        Pkcs12Keys(protected.keys, b"wrong")(HEAD.account)
    with pytest.raises(SignerUnavailableError, match="no certificate and key"):
        keys("leader.nobody")
    with pytest.raises(SignerUnavailableError, match="not a signer's name"):
        keys("../document-ca")


def test_a_visible_signature_without_its_font_is_refused_by_name(
    authority: Authority, tmp_path: Path
) -> None:
    """The appearance's font missing (Debian's fonts-liberation2 not installed) is said, with
    the setting that moves it, rather than failing deep in pyHanko."""
    signer = PadesSigner(Pkcs12Keys(authority.keys), font=tmp_path / "missing.ttf")
    with pytest.raises(SignerUnavailableError, match="THUCTHI_DOCUMENT_FONT"):
        signer.sign(
            minimal_pdf(),
            signer=LEADER.account,
            reason=REASON,
            location=LOCATION,
            at=AT,
            appearance=Appearance(over_signature(AREA, seal=102), AGENCY),
        )


def test_a_signers_key_on_a_pkcs11_token_signs_as_their_pkcs12_file_does(
    authority: Authority, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys on a PKCS#11 token (SoftHSM standing in for an HSM or a CA's USB token), found by
    the signer's name: the signature is theirs and valid; a name with no key on the token, and
    a wrong PIN, are refused by name."""
    monkeypatch.setenv("SOFTHSM2_CONF", str(tmp_path / "softhsm2.conf"))
    token = softhsm_token(tmp_path, authority, [LEADER.account])
    keys = Pkcs11Keys(token)
    pdf = PadesSigner(keys).sign(
        minimal_pdf(), signer=LEADER.account, reason=REASON, location=LOCATION, at=AT
    )
    check = verifier_of(authority).verify(pdf)
    assert check.valid, check.failures
    assert check.signer == LEADER.name
    with pytest.raises(SignerUnavailableError, match="no certificate and key labelled"):
        keys(HEAD.account)
    wrong = Pkcs11Keys(dataclasses.replace(token, pin="0000"))
    with pytest.raises(SignerUnavailableError, match="PKCS#11 token"):
        wrong(LEADER.account)


def test_the_signature_is_drawn_in_the_box_the_renderer_gave_on_its_page(
    authority: Authority, tmp_path: Path
) -> None:
    """On the second page of two, in the box given: the red of the seal is inside it and
    nowhere else (Poppler renders the page); the text says the agency and the ISO 8601 time in
    the city's offset."""
    pdftoppm = require_tool("pdftoppm")
    box = Box(1, 100, 300, 420, 402)
    pdf = signer_of(authority).sign(
        minimal_pdf(pages=2),
        signer=LEADER.account,
        reason=REASON,
        location=LOCATION,
        at=AT,
        appearance=Appearance(box, AGENCY, authority.seal.read_bytes()),
    )
    (tmp_path / "signed.pdf").write_bytes(pdf)
    subprocess.run(
        [pdftoppm, "-r", "72", str(tmp_path / "signed.pdf"), str(tmp_path / "page")],
        check=True,
    )
    first, second = sorted(tmp_path.glob("page-*.ppm"))
    assert not red_pixels(first.read_bytes())
    red = red_pixels(second.read_bytes())
    assert red
    height = 842  # A4 at 72 dpi: one pixel a point
    for x, y in red:
        assert box.left - 1 <= x <= box.right + 1
        assert box.bottom - 1 <= height - y <= box.top + 1
    reader = PdfFileReader(io.BytesIO(pdf))
    widget = reader.root["/AcroForm"]["/Fields"][0]
    assert [round(float(v)) for v in widget["/Rect"]] == [100, 300, 420, 402]
    drawn = appearance_text(widget)
    assert "2026-03-05T10:15:30+07:00" in drawn
    assert AGENCY in drawn


def red_pixels(ppm: bytes) -> list[tuple[int, int]]:
    """The (x, y) of the clearly red pixels of a binary PPM (P6, 8 bits)."""
    parts = ppm.split(maxsplit=4)
    assert parts[0] == b"P6"
    width, height, data = int(parts[1]), int(parts[2]), parts[4]
    return [
        (i % width, i // width)
        for i in range(width * height)
        if data[3 * i] > 150 and data[3 * i + 1] < 110 and data[3 * i + 2] < 110
    ]


def appearance_text(widget: generic.DictionaryObject) -> str:
    """The text an appearance stream carries (pyHanko marks each line with its /ActualText)."""
    found: list[str] = []

    def walk(stream: generic.StreamObject) -> None:
        data = stream.data
        for part in data.split(b"/ActualText ")[1:]:
            string = generic.read_string_from_stream(io.BytesIO(part))
            found.append(str(string))
        for xobject in stream.get("/Resources", {}).get("/XObject", {}).values():
            walk(xobject.get_object())

    walk(widget["/AP"]["/N"])
    return "\n".join(found)
