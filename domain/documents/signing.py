"""Signing a PDF and checking its signature: the ports, and what they say.

A document is signed with its signer's certificate (PAdES: a CMS signature in the PDF itself, so
that any reader checks it). Where the signature shows on the page follows Decree 30/2020,
Appendix I (docs/documents.md cites it): the agency's signature is the image of its seal, red,
at its actual size, over about a third of the signer's signature on the left, with the agency's
name and the signing time (date, hour, minute, second and Vietnam's offset, ISO 8601) beside it.
The renderer of the document knows where the signature goes on its page; it passes the box.

``verify`` answers one of a few plain things, each with its own code: the signature is valid; the
file was changed after it was signed; it was signed by a certificate that is not from a trusted
root (a copy signed again by someone else); it is not signed; or the signature covers only a part
of the file (something was appended after it was signed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from domain.shared.clock import CITY_TIMEZONE


class SignerUnavailableError(Exception):
    """No certificate and key to sign with are configured for this signer (an operator's
    matter, not a rule of the domain: nothing is recorded)."""


class SigningFailedError(Exception):
    """A signer's certificate and key are configured, but signing failed: the certificate is
    expired or not yet valid, the token answered with an error, or the signing library failed.
    Nothing was signed; what was to be signed can be signed again once the fault is mended."""


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle on a page, in PDF points (1/72 inch) from the page's lower left corner;
    ``page`` counts from 0."""

    page: int
    left: float
    bottom: float
    right: float
    top: float

    def __post_init__(self) -> None:
        if self.page < 0 or not (0 <= self.left < self.right and 0 <= self.bottom < self.top):
            msg = f"not a box on a page: {self}"
            raise ValueError(msg)

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom


def over_signature(area: Box, seal: float) -> Box:
    """The agency's signature where Decree 30/2020 puts it: its seal (a square of side ``seal``
    points, the seal's actual size) over about the left third of the signer's signature
    ``area``, centred on it from top to bottom, and its text to the seal's right, up to the
    area's right edge."""
    middle = (area.bottom + area.top) / 2
    left = max(0.0, area.left + area.width / 3 - seal)
    return Box(area.page, left, max(0.0, middle - seal / 2), area.right, middle + seal / 2)


@dataclass(frozen=True, slots=True)
class Appearance:
    """What a visible signature shows, and where: the agency's name and the signing time,
    beside the agency's seal (a PNG with a transparent background; None: text only)."""

    box: Box
    agency: str
    seal: bytes | None = None


def signing_time_text(at: datetime) -> str:
    """The signing time as the signature shows it: ISO 8601 to the second, in the city's offset
    (``2026-03-05T10:15:30+07:00``)."""
    if at.tzinfo is None:
        msg = f"a signing time needs its offset: {at}"
        raise ValueError(msg)
    return at.astimezone(CITY_TIMEZONE).replace(microsecond=0).isoformat()


def appearance_lines(appearance: Appearance, at: datetime) -> tuple[str, str]:
    """The two lines of the agency's signature: its name, then the signing time."""
    return (appearance.agency, signing_time_text(at))


class Failure(StrEnum):
    """Why a signature does not hold, one code each."""

    NOT_SIGNED = "not-signed"  # the file carries no signature at all
    UNREADABLE = "unreadable"  # not a PDF, or a signature that cannot be read
    ALTERED = "altered"  # a byte it covers changed after signing: it no longer matches
    UNTRUSTED = "untrusted"  # sound, but its certificate does not lead to a trusted root
    PARTIAL = "partial"  # it does not cover the whole file: something was added after it


@dataclass(frozen=True, slots=True)
class SignatureCheck:
    """What checking a PDF's signature found. ``failures`` is empty when it is valid; the rest
    says whose signature it is (their certificate's common name and subject, and its
    issuer's), when it says it was signed (and when a time-stamp authority saw it, PAdES B-T),
    whether the file was changed after signing and whether the signature covers all of it.
    With several signatures, it speaks of the last, and the failures of the earlier ones are
    counted in."""

    failures: tuple[Failure, ...]
    signatures: int = 0
    signer: str | None = None
    subject: str | None = None
    issuer: str | None = None
    signed_at: datetime | None = None
    timestamped_at: datetime | None = None
    altered: bool = False
    whole_file: bool = False
    reason: str | None = None
    location: str | None = None

    @property
    def valid(self) -> bool:
        return not self.failures

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f.value for f in self.failures)


class DocumentSigner(Protocol):
    """Signs a PDF with the certificate of ``signer`` (a name the configured keys know, e.g.
    the issuer's account name), at the moment ``at``, visibly if ``appearance`` is given."""

    def sign(
        self,
        pdf: bytes,
        *,
        signer: str,
        reason: str,
        location: str,
        at: datetime,
        appearance: Appearance | None = None,
    ) -> bytes: ...


class DocumentVerifier(Protocol):
    """Checks the signatures of a PDF against the configured trust roots."""

    def verify(self, pdf: bytes) -> SignatureCheck: ...
