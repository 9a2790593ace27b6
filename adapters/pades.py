"""PAdES signatures with pyHanko: the domain's ``DocumentSigner`` and ``DocumentVerifier``.

A signature is PAdES B-B (``ETSI.CAdES.detached``, SHA-256, the signer's chain embedded), or
B-T when a time-stamp authority is configured (``THUCTHI_TSA_URL``): its RFC 3161 token is then
in the signature's unsigned attributes, so that no later revision of the file is needed. The
signer's certificate and key come from a PKCS#12 file per signer (``Pkcs12Keys``: the demo CA's
from ``thucthi init --demo-ca``, or the ones a certification authority issued) or from a PKCS#11
token (``Pkcs11Keys``: an HSM, or a CA's USB token), found by the signer's name. Checking is
against the configured trust roots only, never the system's (docs/documents.md says why, and
which parts of pyHanko's beta API this relies on).
"""

from __future__ import annotations

import asyncio
import functools
import io
import logging
import threading
import unicodedata
import warnings
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from asn1crypto import parser as asn1_parser
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import Encoding, load_der_private_key
from fontTools import subset
from fontTools.ttLib import TTFont
from fontTools.ttLib.scaleUpem import scale_upem
from PIL import Image
from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.api import FontEngine, FontEngineFactory
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator
from pyhanko.pdf_utils.images import PdfImage
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.pdf_utils.writer import BasePdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.general import SigningError
from pyhanko.sign.signers.pdf_signer import PdfSigningSession
from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko.stamp import TextStampStyle
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

from adapters.documents import (
    DEFAULT_FONT,
    FONT_SIZE,
    FONT_VARIABLE,
    KEY_SUFFIX,
    KEYS_VARIABLE,
    PASSPHRASE_VARIABLE,
    PadesSettings,
    Pkcs11Token,
)
from domain.documents.signing import (
    Appearance,
    Failure,
    SignatureCheck,
    SignerUnavailableError,
    SigningFailedError,
    appearance_lines,
)

FIELD_PREFIX = "ChuKySo"  # the signature fields' names: ChuKySo1, ChuKySo2, …
TSA_TIMEOUT = 10  # seconds a time-stamp authority has to answer
_T = TypeVar("_T")

# Modifications after a signature that leave what it signed as it was: none, or another
# signature (or the validation data a signature carries, PAdES B-LT and B-LTA).
_SIGNATURES_ONLY = (
    ModificationLevel.NONE,
    ModificationLevel.LTA_UPDATES,
    ModificationLevel.FORM_FILLING,
)

# fontTools tells what it drops from a font it subsets (FFTM, a FontForge timestamp) on the
# root logger's handlers: not the reader's concern.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)


def read_certificates(path: Path) -> list[x509.Certificate]:
    """The certificates of a PEM file (or one DER certificate)."""
    data = path.read_bytes()
    if b"-----BEGIN" in data:
        return x509.load_pem_x509_certificates(data)
    return [x509.load_der_x509_certificate(data)]


def _asn1(certificate: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(certificate.public_bytes(Encoding.DER))


class Keys(Protocol):
    """Where a signer's certificate and key are found, by the signer's name."""

    def __call__(self, signer: str) -> signers.Signer: ...


class Pkcs12Keys:
    """The signers' keys, a PKCS#12 file each (``<signer>.p12`` in one folder, all under the
    same passphrase or none), read when first used and then kept."""

    def __init__(self, folder: Path, passphrase: bytes | None = None) -> None:
        self.folder = folder
        self._passphrase = passphrase
        self._loaded: dict[str, signers.SimpleSigner] = {}
        self._lock = threading.Lock()

    def path(self, signer: str) -> Path:
        if not signer or signer.startswith(".") or "/" in signer or "\\" in signer:
            msg = f"not a signer's name: {signer!r}"
            raise SignerUnavailableError(msg)
        return self.folder / f"{signer}{KEY_SUFFIX}"

    def __call__(self, signer: str) -> signers.Signer:
        with self._lock:
            if signer not in self._loaded:
                self._loaded[signer] = load_pkcs12(self.path(signer), self._passphrase)
            return self._loaded[signer]


class Pkcs11Keys:
    """The signers' keys on a PKCS#11 token (an HSM, or the USB token a certification authority
    hands out): each signer's private key and certificate labelled with the signer's name, the
    CA certificates beside them. One session, opened at the first signature and kept."""

    def __init__(self, token: Pkcs11Token) -> None:
        self.token = token
        self._session: Any = None
        self._lock = threading.Lock()

    def __call__(self, signer: str) -> signers.Signer:
        # Imported here: python-pkcs11 loads only where a token is configured.
        import pkcs11  # noqa: PLC0415
        from pyhanko.config.pkcs11 import TokenCriteria  # noqa: PLC0415
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session  # noqa: PLC0415

        with self._lock:
            if self._session is None:
                try:
                    self._session = open_pkcs11_session(
                        str(self.token.module),
                        token_criteria=TokenCriteria(label=self.token.label),
                        user_pin=self.token.pin,
                    )
                except (pkcs11.PKCS11Error, OSError, SigningError) as e:
                    msg = f"the PKCS#11 token ({self.token.module}, {self.token.label}): {e!r}"
                    raise SignerUnavailableError(msg) from None
            try:
                found: signers.Signer = PKCS11Signer(
                    self._session,
                    cert_label=signer,
                    key_label=signer,
                    other_certs_to_pull=None,  # the CA certificates kept beside it
                )
                found.signing_cert  # noqa: B018 - looked up now, so a missing one says so here
            except (pkcs11.PKCS11Error, SigningError) as e:
                msg = f"no certificate and key labelled {signer!r} on the PKCS#11 token: {e!r}"
                raise SignerUnavailableError(msg) from None
            return found


def load_pkcs12(path: Path, passphrase: bytes | None) -> signers.SimpleSigner:
    """A signer's certificate, key and chain from a PKCS#12 file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        msg = f"no certificate and key at {path} (thucthi init --demo-ca, or ${KEYS_VARIABLE})"
        raise SignerUnavailableError(msg) from None
    try:
        loaded: signers.SimpleSigner = signers.SimpleSigner.load_pkcs12_data(
            data, other_certs=[], passphrase=passphrase
        )
    except ValueError:
        msg = f"{path} cannot be opened: not PKCS#12, or not with ${PASSPHRASE_VARIABLE}"
        raise SignerUnavailableError(msg) from None
    return _KeptKeySigner(
        signing_cert=loaded.signing_cert,
        signing_key=loaded.signing_key,
        cert_registry=loaded.cert_registry,
        key=load_der_private_key(loaded.signing_key.dump(), password=None),
    )


class _KeptKeySigner(signers.SimpleSigner):
    """pyHanko's signer with its private key read once: the stock one reads it again from DER
    for every signature, and RSA's checks on reading took about 80 of the 90 ms a signature
    cost (bench.documents measures it)."""

    def __init__(self, *args: Any, key: PrivateKeyTypes, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._key = key

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm).signature_algo
        digest = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism == "rsassa_pkcs1v15" and isinstance(self._key, rsa.RSAPrivateKey):
            return self._key.sign(data, PKCS1v15(), digest)
        if mechanism == "ecdsa" and isinstance(self._key, ec.EllipticCurvePrivateKey):
            return self._key.sign(data, ec.ECDSA(digest))
        signature: bytes = super().sign_raw(data, digest_algorithm)
        return signature


# What a signature's text is written with: Vietnamese in Latin letters (precomposed, NFC),
# digits and punctuation.
_LETTERS = [
    *range(0x20, 0x7F),  # Basic Latin
    *range(0xA0, 0x250),  # Latin-1 Supplement, Latin Extended-A and -B (Ơ, ơ, Ư, ư, Đ, đ)
    *range(0x300, 0x370),  # combining diacritical marks
    *range(0x1E00, 0x1F00),  # Latin Extended Additional (ạ … ỹ)
    *range(0x2000, 0x2070),  # general punctuation (– — ‘ ’ “ ”)
]


@functools.lru_cache(maxsize=4)
def _font_at_1000_units(path: Path) -> bytes:
    """The font, cut to the letters above and scaled to 1000 units per em. pyHanko writes a
    TrueType font's glyph widths in the font's own units, where PDF expects thousandths of an
    em: with Liberation's 2048 units every letter would stand a letter apart. Cut, without its
    layout tables (precomposed Vietnamese needs no shaping), pyHanko reads it for every
    signature in a few milliseconds rather than most of a second."""
    font = TTFont(path)
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern"]
    options.hinting = False
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=_LETTERS)
    cutter.subset(font)
    if font["head"].unitsPerEm != 1000:
        scale_upem(font, 1000)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


class _VietnameseFont(FontEngineFactory):
    """Liberation Serif (or the font set) shaped as Vietnamese, embedded as a subset."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def create_font_engine(self, writer: BasePdfFileWriter, obj_stream: Any = None) -> FontEngine:
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(_font_at_1000_units(self.path)),
            # The same size as the text box's: two sizes shift every line after the first
            # (pyHanko issue 733).
            font_size=FONT_SIZE,
            ot_script_tag="latn",
            writing_direction="ltr",
            bcp47_lang_code="vi",
            obj_stream=obj_stream,
        )


class _SignerAt(signers.PdfSigner):
    """pyHanko's signer with the moment of signing given rather than read from the system
    clock: the time written in the signature (/M) is the one its appearance shows."""

    def __init__(self, *args: Any, at: datetime, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._at = at

    def init_signing_session(
        self, pdf_out: BasePdfFileWriter, existing_fields_only: bool = False
    ) -> PdfSigningSession:
        session: PdfSigningSession = super().init_signing_session(
            pdf_out, existing_fields_only=existing_fields_only
        )
        session.system_time = self._at
        return session


class PadesSigner:
    """Signs PDFs as PAdES B-B, or B-T with the time-stamp authority at ``tsa_url``."""

    def __init__(
        self,
        keys: Keys,
        *,
        tsa_url: str | None = None,
        font: Path = DEFAULT_FONT,
    ) -> None:
        self.keys = keys
        self.tsa_url = tsa_url
        self.font = font

    def sign(
        self,
        pdf: bytes,
        *,
        signer: str,
        reason: str,
        location: str,
        at: datetime,
        appearance: Appearance | None = None,
    ) -> bytes:
        if at.tzinfo is None:
            msg = f"a signing time needs its offset: {at}"
            raise ValueError(msg)
        key = self.keys(signer)
        _require_valid_at(key, signer, at)
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        name = _free_field_name(writer)
        meta = signers.PdfSignatureMetadata(
            field_name=name,
            subfilter=fields.SigSeedSubFilter.PADES,
            md_algorithm="sha256",
            reason=reason,
            location=location,
        )
        if appearance is None:
            spec = fields.SigFieldSpec(name)  # invisible
            style = None
            text = None
        else:
            box = appearance.box
            spec = fields.SigFieldSpec(
                name,
                on_page=box.page,
                box=(round(box.left), round(box.bottom), round(box.right), round(box.top)),
            )
            style = self._style(appearance)
            agency, when = appearance_lines(appearance, at)
            # Precomposed letters: the font is cut without the tables that place combining ones.
            text = {"agency": unicodedata.normalize("NFC", agency), "time": when}
        timestamper = HTTPTimeStamper(self.tsa_url, timeout=TSA_TIMEOUT) if self.tsa_url else None
        pdf_signer = _SignerAt(
            meta,
            signer=key,
            timestamper=timestamper,
            stamp_style=style,
            new_field_spec=spec,
            at=at,
        )
        try:
            output = outside_event_loop(
                lambda: pdf_signer.sign_pdf(writer, appearance_text_params=text)
            )
        except _signing_failures() as e:
            msg = f"signing as {signer} failed: {type(e).__name__}: {e}"
            raise SigningFailedError(msg) from e
        signed: bytes = output.getvalue()
        return signed

    def _style(self, appearance: Appearance) -> TextStampStyle:
        if not self.font.is_file():
            msg = (
                f"no font at {self.font}: install Debian's fonts-liberation2, or set "
                f"{FONT_VARIABLE} to a TrueType font with the Vietnamese letters"
            )
            raise SignerUnavailableError(msg)
        return self._style_with_font(appearance)

    def _style_with_font(self, appearance: Appearance) -> TextStampStyle:
        """The agency's name and the time, black, 10 points; the seal at the box's left, its
        actual size (shrunk only if the box is smaller), the text to its right."""
        seal = _seal_image(appearance.seal) if appearance.seal else None
        # The text starts where the seal ends, so that neither hides the other.
        indent = round(min(seal.box.width, appearance.box.width / 2)) + 3 if seal else 2
        return TextStampStyle(
            stamp_text="%(agency)s\n%(time)s",
            text_box_style=TextBoxStyle(font=_VietnameseFont(self.font), font_size=FONT_SIZE),
            border_width=0,
            background=seal,
            background_opacity=1.0,
            background_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN,
                y_align=layout.AxisAlignment.ALIGN_MID,
                inner_content_scaling=layout.InnerScaling.SHRINK_TO_FIT,
            ),
            inner_content_layout=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MIN,
                y_align=layout.AxisAlignment.ALIGN_MID,
                margins=layout.Margins(left=indent, right=2),
            ),
        )


def _require_valid_at(key: signers.Signer, signer: str, at: datetime) -> None:
    """A certificate expired or not yet valid at the signing time makes a signature no reader
    accepts: refused before anything is signed."""
    certificate = key.signing_cert
    if certificate is None:
        msg = f"{signer}'s key has no certificate"
        raise SigningFailedError(msg)
    valid = certificate["tbs_certificate"]["validity"]
    begins, ends = valid["not_before"].native, valid["not_after"].native
    if not begins <= at <= ends:
        msg = (
            f"{signer}'s certificate is valid from {begins.isoformat()} to {ends.isoformat()}, "
            f"not at {at.isoformat()}"
        )
        raise SigningFailedError(msg)


def _signing_failures() -> tuple[type[BaseException], ...]:
    """What signing raises when it fails rather than when the code is wrong: pyHanko's signing
    and PDF errors, a time-stamp authority or token that cannot be reached (OSError, timeouts),
    and a PKCS#11 token's errors where python-pkcs11 is installed."""
    found: tuple[type[BaseException], ...] = (SigningError, PdfError, OSError, TimeoutError)
    try:
        import pkcs11  # noqa: PLC0415 - only where a token may be configured
    except ImportError:
        return found
    return (*found, pkcs11.PKCS11Error)


def _seal_image(png: bytes) -> PdfImage:
    """The seal as an image of its actual size: its pixels at the resolution the PNG states
    (96 dpi when it states none)."""
    image = Image.open(io.BytesIO(png))
    image.load()
    dpi = image.info.get("dpi", (96, 96))
    width = image.width * 72 / float(dpi[0] or 96)
    height = image.height * 72 / float(dpi[1] or 96)
    return PdfImage(image, box=layout.BoxConstraints(width=width, height=height))


def _free_field_name(writer: IncrementalPdfFileWriter) -> str:
    """``ChuKySo<n>``, the first number no field of the document has yet."""
    taken = {name for name, _, _ in fields.enumerate_sig_fields(writer.prev, filled_status=None)}
    number = 1
    while f"{FIELD_PREFIX}{number}" in taken:
        number += 1
    return f"{FIELD_PREFIX}{number}"


# What pyHanko (beta) raises on a PDF or a signature damaged in some way: a file anyone sends
# is read, so each ends as an answer (unreadable, or altered), never as an error.
_UNREADABLE = (
    PdfError,
    ValueError,
    LookupError,
    TypeError,
    AttributeError,
    ArithmeticError,
    NotImplementedError,
    RecursionError,
)


class PadesVerifier:
    """Checks a PDF's signatures against the given trust roots (and those alone)."""

    def __init__(self, trust_roots: Iterable[x509.Certificate]) -> None:
        self._roots = [_asn1(c) for c in trust_roots]

    @classmethod
    def from_file(cls, path: Path | None) -> PadesVerifier:
        """The roots in a PEM file; none (everything untrusted) if there is no such file."""
        if path is None or not path.exists():
            return cls([])
        return cls(read_certificates(path))

    def _context(self) -> ValidationContext:
        # Given roots only: pyHanko would otherwise read the system's list through oscrypto,
        # which cannot read OpenSSL 3's version and fails. Revocation: soft-fail, nothing
        # fetched (docs/documents.md).
        return ValidationContext(trust_roots=list(self._roots), allow_fetching=False)

    def verify(self, pdf: bytes) -> SignatureCheck:
        try:
            reader = PdfFileReader(io.BytesIO(pdf), strict=False)
            embedded = list(reader.embedded_regular_signatures)
            # Signature fields holding a signature pyHanko did not take up (a damaged one).
            unread = sum(1 for _ in fields.enumerate_sig_fields(reader, filled_status=True)) - len(
                reader.embedded_signatures
            )
        except _UNREADABLE:
            return SignatureCheck(failures=(Failure.UNREADABLE,))
        if not embedded:
            # A signature dictionary in the bytes that the file's structure no longer leads to
            # (a damaged cross-reference table) is a signature that cannot be read.
            damaged = unread > 0 or b"/ByteRange" in pdf
            return SignatureCheck(failures=(Failure.UNREADABLE if damaged else Failure.NOT_SIGNED,))
        failures: list[Failure] = [Failure.UNREADABLE] if unread > 0 else []
        last: PdfSignatureStatus | None = None
        for number, signature in enumerate(embedded, start=1):
            is_last = number == len(embedded)
            try:
                status = outside_event_loop(
                    functools.partial(
                        validate_pdf_signature, signature, self._context(), skip_diff=False
                    )
                )
            except _UNREADABLE:
                # The signature's own bytes do not read as the CMS that was written.
                failures.append(Failure.ALTERED)
                continue
            failures.extend(_failures(status, last=is_last))
            if not _only_zeros_after(signature.sig_object):
                failures.append(Failure.ALTERED)
            if is_last:
                last = status
        unique = tuple(dict.fromkeys(failures))
        if last is None:
            return SignatureCheck(failures=unique, signatures=len(embedded), altered=True)
        return _check(last, unique, len(embedded), embedded[-1].sig_object)


def _failures(status: PdfSignatureStatus, *, last: bool) -> list[Failure]:
    found = []
    if not (status.intact and status.valid):
        found.append(Failure.ALTERED)
    elif not status.trusted:
        found.append(Failure.UNTRUSTED)
    ts = status.timestamp_validity
    if ts is not None and not (ts.intact and ts.valid):
        found.append(Failure.ALTERED)
    elif ts is not None and not ts.trusted:
        found.append(Failure.UNTRUSTED)
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    # An earlier signature covers its own revision; what came after may only be signatures.
    if (last and not whole) or not _only_signatures_after(status):
        found.append(Failure.PARTIAL)
    return found


def _only_zeros_after(sig_object: Mapping[str, Any]) -> bool:
    """Whether the room reserved for the signature holds nothing but zeros after it. The
    signature does not cover its own room, and a reader stops at the end of its DER: a byte
    changed there would leave it valid while the file is no longer the one signed."""
    contents = bytes(sig_object["/Contents"])
    try:
        _, _, _, header, body, trailer = asn1_parser.parse(contents, strict=False)
    except ValueError:
        return False
    return not contents[len(header) + len(body) + len(trailer) :].strip(b"\x00")


def _only_signatures_after(status: PdfSignatureStatus) -> bool:
    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    return bool(status.docmdp_ok) and status.modification_level in _SIGNATURES_ONLY


def _check(
    status: PdfSignatureStatus,
    failures: tuple[Failure, ...],
    signatures: int,
    sig_object: Mapping[str, Any],
) -> SignatureCheck:
    with warnings.catch_warnings():
        # A certificate in a file anyone sends may be odd (a negative serial number):
        # cryptography warns, and what is shown of it is its names alone.
        warnings.simplefilter("ignore")
        certificate = x509.load_der_x509_certificate(status.signing_cert.dump())
        names = certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
    common_name = names[0].value if names else None
    ts = status.timestamp_validity
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    return SignatureCheck(
        failures=failures,
        signatures=signatures,
        signer=common_name if isinstance(common_name, str) else None,
        subject=certificate.subject.rfc4514_string(),
        issuer=certificate.issuer.rfc4514_string(),
        signed_at=status.signer_reported_dt,
        timestamped_at=ts.timestamp if ts is not None else None,
        altered=Failure.ALTERED in failures or not _only_signatures_after(status),
        whole_file=whole,
        reason=_text(sig_object.get("/Reason")),
        location=_text(sig_object.get("/Location")),
    )


def _text(value: object) -> str | None:
    return str(value) if value is not None else None


def outside_event_loop(work: Callable[[], _T]) -> _T:
    """``work`` done where no asyncio event loop runs: pyHanko's synchronous calls start their
    own with ``asyncio.run``, which refuses to run inside another. In the server no loop runs in
    a worker's thread; a caller that has one (an asynchronous host, or a test process that
    drives a browser through Playwright's synchronous API) has the work done on a thread of its
    own, waited for."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pades") as pool:
        return pool.submit(work).result()


def signer_from(settings: PadesSettings) -> PadesSigner:
    keys: Keys = (
        Pkcs11Keys(settings.pkcs11)
        if settings.pkcs11 is not None
        else Pkcs12Keys(settings.keys, settings.passphrase)
    )
    return PadesSigner(
        keys,
        tsa_url=settings.tsa_url,
        font=settings.font,
    )


def verifier_from(settings: PadesSettings) -> PadesVerifier:
    return PadesVerifier.from_file(settings.trust_roots)
