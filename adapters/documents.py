"""Where the signed documents' keys and trust roots are, and how signatures are made: the
settings of ``adapters.pades``, read at every start, so kept apart from pyHanko (whose import
takes most of a second) until something is signed or checked."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from adapters.settings import SettingsError

TSA_URL_VARIABLE = "THUCTHI_TSA_URL"
KEYS_VARIABLE = "THUCTHI_DOCUMENT_KEYS"
PASSPHRASE_VARIABLE = "THUCTHI_DOCUMENT_KEY_PASSPHRASE"  # noqa: S105 - a variable's name
TRUST_ROOTS_VARIABLE = "THUCTHI_DOCUMENT_TRUST_ROOTS"
FONT_VARIABLE = "THUCTHI_DOCUMENT_FONT"
SEAL_VARIABLE = "THUCTHI_DOCUMENT_SEAL"
PKCS11_MODULE_VARIABLE = "THUCTHI_PKCS11_MODULE"
PKCS11_TOKEN_VARIABLE = "THUCTHI_PKCS11_TOKEN"  # noqa: S105 - a variable's name
PKCS11_PIN_VARIABLE = "THUCTHI_PKCS11_PIN"
KEYS_FOLDER = "document-keys"  # beside the log's signing key, unless set
CA_FILE = "document-ca.pem"  # the demo CA's certificate: the trust root unless others are set
SEAL_FILE = "document-seal.png"
KEY_SUFFIX = ".p12"
# Debian's Liberation Serif (fonts-liberation2): the metrics of Times New Roman, which Decree
# 30/2020 names for the signature's text, and every Vietnamese letter.
DEFAULT_FONT = Path("/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf")
FONT_SIZE = 10  # points: Decree 30/2020, Appendix I, for the signature's information


@dataclass(frozen=True, slots=True)
class Pkcs11Token:
    """A PKCS#11 token holding the signers' keys: the module (driver) that speaks to it, the
    token's label (None: the first token there) and the user PIN (None: the token asks for it
    itself, on a pad of its own)."""

    module: Path
    label: str | None = None
    pin: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class PadesSettings:
    """Where the signers' keys and the trust roots are, and how a signature is made; each
    field is a ``THUCTHI_…`` variable (docs/documents.md)."""

    keys: Path  # THUCTHI_DOCUMENT_KEYS: a folder of <signer>.p12 files
    demo_ca: Path  # where `thucthi init --demo-ca` keeps the demo CA's certificate (its key beside)
    passphrase: bytes | None = field(default=None, repr=False)  # of those PKCS#12 files
    trust_roots: Path | None = None  # THUCTHI_DOCUMENT_TRUST_ROOTS: PEM certificates
    tsa_url: str | None = None  # THUCTHI_TSA_URL: PAdES B-T with this authority's time-stamps
    font: Path = DEFAULT_FONT  # THUCTHI_DOCUMENT_FONT: a TrueType font with Vietnamese letters
    seal: Path | None = None  # THUCTHI_DOCUMENT_SEAL: the agency's seal, PNG
    # THUCTHI_PKCS11_MODULE, _TOKEN, _PIN: keys on a PKCS#11 token instead of PKCS#12 files
    # (the token's driver, its label, the user PIN), each signer's labelled with their name.
    pkcs11: Pkcs11Token | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str], beside: Path) -> PadesSettings:
        """From the environment; what it leaves unset lies ``beside`` the log's signing key
        (where ``thucthi init --demo-ca`` writes it)."""
        folder = beside.parent
        url = environ.get(TSA_URL_VARIABLE, "").strip() or None
        if url is not None and not url.startswith(("http://", "https://")):
            msg = (
                f"{TSA_URL_VARIABLE} phải là một địa chỉ http(s) / must be an http(s) address, "
                f"not {url!r}"
            )
            raise SettingsError(msg)
        passphrase = environ.get(PASSPHRASE_VARIABLE)

        def path(variable: str, default: Path) -> Path:
            given = environ.get(variable, "").strip()
            return Path(given).expanduser() if given else default

        roots = path(TRUST_ROOTS_VARIABLE, folder / CA_FILE)
        module = environ.get(PKCS11_MODULE_VARIABLE, "").strip()
        token = Pkcs11Token(
            Path(module),
            label=environ.get(PKCS11_TOKEN_VARIABLE, "").strip() or None,
            pin=environ.get(PKCS11_PIN_VARIABLE) or None,
        )
        return cls(
            keys=path(KEYS_VARIABLE, folder / KEYS_FOLDER),
            demo_ca=folder / CA_FILE,
            passphrase=passphrase.encode() if passphrase else None,
            trust_roots=roots,
            tsa_url=url,
            font=path(FONT_VARIABLE, DEFAULT_FONT),
            seal=path(SEAL_VARIABLE, folder / SEAL_FILE),
            pkcs11=token if module else None,
        )


def signing_configured(settings: PadesSettings) -> bool:
    """Whether signers' keys are there to sign with: a PKCS#11 token, or a folder of PKCS#12
    files (``thucthi init --demo-ca`` makes the demo's)."""
    return settings.pkcs11 is not None or settings.keys.is_dir()
