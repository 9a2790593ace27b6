"""The demo's certification authority: a root CA clearly named as a demo ("Demo — không dùng
thật"), a certificate and key for each signer of the demo as a PKCS#12 file, and an image of a
seal, all made with ``cryptography`` and Pillow by ``thucthi init --demo-ca``.

Every file is written with mode 0600 (its folder 0700) beside the log's signing key, never in the
database or the log. A real deployment uses the certificates a certification authority issued
instead (for official use, the Government Cipher Committee's: docs/documents.md).
"""

from __future__ import annotations

import io
import math
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import (
    BestAvailableEncryption,
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
    pkcs12,
)
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image, ImageDraw, ImageFont

from adapters.documents import DEFAULT_FONT, KEY_SUFFIX

CA_NAME = "Demo — không dùng thật (Thucthi demo CA, not for real use)"
ORGANIZATION = "UBND Thành phố Hồ Chí Minh (demo)"
CA_KEY_FILE = "document-ca.key"
KEY_BITS = 2048  # RSA: what the readers of Vietnamese official documents all verify
CA_YEARS = 10
# A signer's certificate starts before the demo's simulated year, so that the year's documents,
# signed on their own days, were signed while it was valid.
SIGNER_BACKDATE = timedelta(days=400)
SIGNER_YEARS = 3
SEAL_MM = 36  # the demo seal's diameter
SEAL_DPI = 300
SEAL_RED = (218, 37, 29, 255)


@dataclass(frozen=True, slots=True)
class DemoSigner:
    """Who gets a certificate: the account name (its file's name), the person, their title."""

    account: str
    name: str
    title: str


@dataclass(frozen=True, slots=True)
class DemoAuthority:
    """What ``make_demo_ca`` left: the CA's certificate, the signers' files it wrote now (those
    already there are kept), and the seal."""

    certificate: Path
    created: bool
    issued: tuple[Path, ...]
    seal: Path | None


def write_private(path: Path, data: bytes) -> None:
    """Write a file that only its owner may read (0600), whole or not at all."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    written = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
    descriptor = os.open(written, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(data)
    os.replace(written, path)


def make_demo_ca(
    ca_file: Path,
    keys: Path,
    signers: Iterable[DemoSigner],
    *,
    now: datetime,
    seal: Path | None = None,
    passphrase: bytes | None = None,
    agency: str = "ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH",
    font: Path = DEFAULT_FONT,
) -> DemoAuthority:
    """The demo CA at ``ca_file`` (made if missing, its key beside it), a ``<account>.p12`` in
    ``keys`` for each signer that has none (under ``passphrase``, or none), and the seal's PNG
    at ``seal`` if missing."""
    key_file = ca_file.with_name(CA_KEY_FILE)
    created = not ca_file.exists()
    if created:
        ca_key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
        ca_certificate = _root(ca_key, now)
        write_private(key_file, ca_key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8,
                                                      NoEncryption()))  # fmt: skip
        write_private(ca_file, ca_certificate.public_bytes(Encoding.PEM))
    else:
        loaded = load_pem_private_key(key_file.read_bytes(), password=None)
        if not isinstance(loaded, rsa.RSAPrivateKey):
            msg = f"{key_file} does not hold the demo CA's RSA key"
            raise TypeError(msg)
        ca_key = loaded
        ca_certificate = x509.load_pem_x509_certificate(ca_file.read_bytes())
    issued = []
    for signer in signers:
        target = keys / f"{signer.account}{KEY_SUFFIX}"
        if target.exists():
            continue
        key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
        certificate = issue(ca_certificate, ca_key, key.public_key(), signer, now=now)
        protection = BestAvailableEncryption(passphrase) if passphrase else NoEncryption()
        bundle = pkcs12.serialize_key_and_certificates(
            signer.account.encode(), key, certificate, [ca_certificate], protection
        )
        write_private(target, bundle)
        issued.append(target)
    made_seal = None
    if seal is not None and not seal.exists():
        write_private(seal, seal_png(agency, font))
        made_seal = seal
    return DemoAuthority(ca_file, created, tuple(issued), made_seal)


def _name(common_name: str, **more: str) -> x509.Name:
    attributes = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
    ]
    if "title" in more:
        attributes.append(x509.NameAttribute(NameOID.TITLE, more["title"]))
    if "account" in more:
        attributes.append(x509.NameAttribute(NameOID.USER_ID, more["account"]))
    attributes.append(x509.NameAttribute(NameOID.COMMON_NAME, common_name))
    return x509.Name(attributes)


def _root(key: rsa.RSAPrivateKey, now: datetime) -> x509.Certificate:
    name = _name(CA_NAME)
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - SIGNER_BACKDATE - timedelta(days=1))
        .not_valid_after(now + timedelta(days=365 * CA_YEARS))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


def issue(
    ca_certificate: x509.Certificate,
    ca_key: rsa.RSAPrivateKey,
    public: rsa.RSAPublicKey,
    signer: DemoSigner,
    *,
    now: datetime,
    time_stamping: bool = False,
) -> x509.Certificate:
    """A certificate for a signer of documents (digital signature and non-repudiation, as
    readers of signed PDFs require), or with ``time_stamping`` for a time-stamp authority."""
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(signer.name, title=signer.title, account=signer.account))
        .issuer_name(ca_certificate.subject)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - SIGNER_BACKDATE)
        .not_valid_after(now + timedelta(days=365 * SIGNER_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=not time_stamping,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
    )
    if time_stamping:
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True
        )
    return builder.sign(ca_key, hashes.SHA256())


def seal_png(agency: str, font: Path = DEFAULT_FONT) -> bytes:
    """A round red seal, transparent around it, its real size stated in the PNG (36 mm at
    300 dpi): the agency's name around the top, a star, and DEMO across the middle, so that
    nobody takes it for a real one."""
    size = round(SEAL_MM / 25.4 * SEAL_DPI)
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre = size / 2
    for radius, width in ((size / 2 - 4, 10), (size / 2 - 58, 5)):
        draw.ellipse(
            (centre - radius, centre - radius, centre + radius, centre + radius),
            outline=SEAL_RED,
            width=width,
        )
    letters = ImageFont.truetype(str(font), 30)
    _around(image, agency, letters, radius=size / 2 - 36)
    star = [
        (
            centre + (40 if i % 2 == 0 else 16) * math.sin(math.pi * i / 5),
            centre - 50 - (40 if i % 2 == 0 else 16) * math.cos(math.pi * i / 5),
        )
        for i in range(10)
    ]
    draw.polygon(star, fill=SEAL_RED)
    big = ImageFont.truetype(str(font), 64)
    draw.text((centre, centre + 40), "DEMO", font=big, fill=SEAL_RED, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(SEAL_DPI, SEAL_DPI))
    return out.getvalue()


def _around(image: Image.Image, text: str, font: ImageFont.FreeTypeFont, radius: float) -> None:
    """``text`` along the top of a circle of ``radius``, letter by letter, each upright to it."""
    centre = image.width / 2
    widths = [font.getlength(c) for c in text]
    spread = sum(widths) / radius  # radians the text takes
    spread = min(spread * 1.15, math.radians(300))
    angle = -spread / 2
    step = (spread - sum(widths) / radius) / max(len(text) - 1, 1)
    for letter, width in zip(text, widths, strict=True):
        half = width / 2 / radius
        angle += half
        tile = Image.new("RGBA", (60, 60), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((30, 30), letter, font=font, fill=SEAL_RED, anchor="mm")
        turned = tile.rotate(-math.degrees(angle), resample=Image.Resampling.BICUBIC)
        x = centre + radius * math.sin(angle) - 30
        y = centre - radius * math.cos(angle) - 30
        image.alpha_composite(turned, (round(x), round(y)))
        angle += half + step
