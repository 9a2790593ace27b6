"""What the tests of signed documents share: a small PDF written by hand, a demo CA made the way
``thucthi init --demo-ca`` makes it, a local RFC 3161 time-stamp authority, and Poppler's
``pdfsig`` (with an NSS database that trusts the CA given) as the independent checker."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pkcs11
import pytest
from asn1crypto import tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
    pkcs12,
)
from pyhanko.keys import load_private_key_from_pemder_data
from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

from adapters.demo_ca import CA_KEY_FILE, DemoSigner, issue, make_demo_ca
from adapters.documents import Pkcs11Token

LEADER = DemoSigner("leader.chutich", "Trần Quốc Bảo", "Chủ tịch UBND Thành phố")
HEAD = DemoSigner("so-xd.thutruong", "Nguyễn Văn Hùng", "Giám đốc Sở Xây dựng")
AGENCY = "Ủy ban nhân dân Thành phố Hồ Chí Minh"
REASON = "Ban hành văn bản"
LOCATION = "Thành phố Hồ Chí Minh"


def minimal_pdf(text: str = "Thucthi", pages: int = 1) -> bytes:
    """A valid PDF 1.7 of A4 pages with one line of Helvetica each, its cross-reference table
    counted byte by byte."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>"]
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(pages)).encode()
    objects.append(b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages)
    font = 3 + 2 * pages
    for i in range(pages):
        content = b"BT /F1 14 Tf 72 770 Td (%s %d) Tj ET" % (text.encode("latin-1"), i + 1)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (4 + 2 * i, font)
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1))
    out.write(b"startxref\n%d\n%%%%EOF\n" % xref)
    return out.getvalue()


@dataclass(frozen=True)
class Authority:
    """A demo CA made in a test's folder: its certificate, the signers' PKCS#12 folder, the
    seal, and a time-stamp authority's certificate and key issued by it."""

    folder: Path
    certificate: Path
    keys: Path
    seal: Path
    tsa_certificate: x509.Certificate
    tsa_key: rsa.RSAPrivateKey


def make_authority(
    folder: Path,
    now: datetime,
    *,
    passphrase: bytes | None = None,
    signers: Iterable[DemoSigner] = (LEADER, HEAD),
) -> Authority:
    certificate = folder / "document-ca.pem"
    keys = folder / "document-keys"
    seal = folder / "document-seal.png"
    make_demo_ca(certificate, keys, signers, now=now, seal=seal, passphrase=passphrase)
    ca_key = load_pem_private_key((folder / CA_KEY_FILE).read_bytes(), password=None)
    assert isinstance(ca_key, rsa.RSAPrivateKey)
    ca = x509.load_pem_x509_certificate(certificate.read_bytes())
    tsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    tsa = issue(
        ca,
        ca_key,
        tsa_key.public_key(),
        DemoSigner("tsa", "Demo TSA — không dùng thật", "Time-stamp authority"),
        now=now,
        time_stamping=True,
    )
    return Authority(folder, certificate, keys, seal, tsa, tsa_key)


@contextmanager
def time_stamp_authority(authority: Authority) -> Iterator[str]:
    """An RFC 3161 time-stamp authority on 127.0.0.1 for the test's length, answering with
    tokens signed by the authority's TSA certificate (pyHanko's own token builder): its URL."""
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(authority.tsa_certificate.public_bytes(Encoding.DER)),
        tsa_key=load_private_key_from_pemder_data(
            authority.tsa_key.private_bytes(Encoding.DER, PrivateFormat.PKCS8, NoEncryption()),
            passphrase=None,
        ),
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            request = tsp.TimeStampReq.load(self.rfile.read(length))
            answer = stamper.request_tsa_response(request).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


SOFTHSM_MODULE = Path("/usr/lib/softhsm/libsofthsm2.so")
TOKEN_PIN = "2468"


def softhsm_token(folder: Path, authority: Authority, signers: list[str]) -> Pkcs11Token:
    """A SoftHSM token (Debian's softhsm2, a PKCS#11 module kept in files) holding each
    signer's key and certificate, labelled with their name, and the CA's certificate: what a
    token handed out by a CA holds. ``SOFTHSM2_CONF`` must point at ``folder``'s configuration
    (the caller sets it) before this process first loads the module."""
    tool = require_tool("softhsm2-util")
    if not SOFTHSM_MODULE.exists():
        pytest.fail(f"softhsm2-util is there but not its module {SOFTHSM_MODULE}")
    (folder / "tokens").mkdir(parents=True)
    (folder / "softhsm2.conf").write_text(
        f"directories.tokendir = {folder / 'tokens'}\nobjectstore.backend = file\n"
        "log.level = ERROR\n"
    )
    environment = {**os.environ, "SOFTHSM2_CONF": str(folder / "softhsm2.conf")}
    subprocess.run(
        [tool, "--init-token", "--free", "--label", "thucthi", "--pin", TOKEN_PIN, "--so-pin",
         "13579"],
        check=True, capture_output=True, env=environment,
    )  # fmt: skip
    certificates = []
    for number, signer in enumerate(signers, start=1):
        key, certificate, _ = pkcs12.load_key_and_certificates(
            (authority.keys / f"{signer}.p12").read_bytes(), None
        )
        assert key is not None
        assert certificate is not None
        pem = folder / f"{signer}.key.pem"
        pem.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
        subprocess.run(
            [tool, "--import", str(pem), "--token", "thucthi", "--label", signer, "--id",
             f"{number:02x}", "--pin", TOKEN_PIN],
            check=True, capture_output=True, env=environment,
        )  # fmt: skip
        pem.unlink()
        certificates.append((signer, bytes([number]), certificate))
    ca = x509.load_pem_x509_certificate(authority.certificate.read_bytes())
    certificates.append(("demo-ca", b"\xca", ca))
    library = pkcs11.lib(str(SOFTHSM_MODULE))
    token = library.get_token(token_label="thucthi")  # noqa: S106 - a label, not a password
    with token.open(rw=True, user_pin=TOKEN_PIN) as session:
        for label, identifier, certificate in certificates:
            session.create_object(
                {
                    pkcs11.Attribute.CLASS: pkcs11.ObjectClass.CERTIFICATE,
                    pkcs11.Attribute.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
                    pkcs11.Attribute.TOKEN: True,
                    pkcs11.Attribute.LABEL: label,
                    pkcs11.Attribute.ID: identifier,
                    pkcs11.Attribute.SUBJECT: certificate.subject.public_bytes(),
                    pkcs11.Attribute.VALUE: certificate.public_bytes(Encoding.DER),
                }
            )
    return Pkcs11Token(SOFTHSM_MODULE, label="thucthi", pin=TOKEN_PIN)


def require_tool(name: str) -> str:
    """The path of a Debian tool the tests run; skipped outside CI when missing, failed in it."""
    found = shutil.which(name)
    if found is None:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"CI needs {name}: make test installs it with apt-get")
        pytest.skip(f"{name} is not installed (make test installs it with apt-get)")
    return found


def nss_trusting(folder: Path, ca: Path) -> Path:
    """An NSS database (what pdfsig reads trust from) that trusts ``ca`` to issue signers."""
    certutil = require_tool("certutil")
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([certutil, "-N", "-d", f"sql:{folder}", "--empty-password"], check=True)
    subprocess.run(
        [certutil, "-A", "-d", f"sql:{folder}", "-n", "thucthi-demo-ca", "-t", "CT,C,C", "-i",
         str(ca)],
        check=True,
    )  # fmt: skip
    return folder


def pdfsig(pdf: bytes, folder: Path, nss: Path | None = None) -> str:
    """What Poppler's pdfsig says of the file's signatures (its exit status is not a verdict:
    it reads its text)."""
    tool = require_tool("pdfsig")
    path = folder / "checked.pdf"
    path.write_bytes(pdf)
    command = [tool, *(["-nssdir", f"sql:{nss}"] if nss else []), str(path)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    return done.stdout + done.stderr
