"""``thucthi init --demo-ca``: a root CA labelled as a demo, a PKCS#12 file per signer of the
demo, readable by their owner only, beside the log's signing key and never in the log; and the
settings that find them again."""

from __future__ import annotations

import stat
from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, pkcs12

from adapters.documents import PadesSettings
from adapters.settings import SettingsError
from bootstrap import Settings, open_services
from cli.demo_users import DEMO_USERS
from cli.main import main
from domain.shared.actors import Role
from tests.documents import minimal_pdf

SIGNERS = sorted(
    u.username for u in DEMO_USERS if u.role in {Role.LEADER, Role.AGENCY_HEAD, Role.OFFICE}
)


def run(*argv: str) -> tuple[int, str]:
    out = StringIO()
    return main(list(argv), out=out), out.getvalue()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def keys_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "keys"
    monkeypatch.setenv("THUCTHI_SIGNING_KEY", str(folder / "signing-key.pem"))
    for variable in ("THUCTHI_DOCUMENT_KEYS", "THUCTHI_DOCUMENT_TRUST_ROOTS", "THUCTHI_TSA_URL"):
        monkeypatch.delenv(variable, raising=False)
    return folder


def test_init_with_demo_ca_makes_a_labelled_ca_and_a_certificate_per_signer(
    keys_folder: Path, tmp_path: Path
) -> None:
    """The CA says it is a demo; each leader, agency head and Office officer (who signs the
    periodic report) has a PKCS#12 file with a certificate the CA issued to them; every file is
    0600 and its folder 0700; the database holds none of it; a second run makes nothing new."""
    url = f"sqlite:///{tmp_path / 'thucthi.db'}"
    code, out = run("--db", url, "init", "--demo-ca")
    assert code == 0, out
    assert "Demo — không dùng thật" in out
    ca_file = keys_folder / "document-ca.pem"
    ca = x509.load_pem_x509_certificate(ca_file.read_bytes())
    assert "Demo — không dùng thật" in ca.subject.rfc4514_string()
    folder = keys_folder / "document-keys"
    assert sorted(p.stem for p in folder.glob("*.p12")) == SIGNERS
    assert mode(folder) == 0o700
    for path in [ca_file, keys_folder / "document-ca.key", keys_folder / "document-seal.png",
                 *folder.glob("*.p12")]:  # fmt: skip
        assert mode(path) == 0o600, path
    key, certificate, chain = pkcs12.load_key_and_certificates(
        (folder / "leader.chutich.p12").read_bytes(), None
    )
    assert key is not None
    assert certificate is not None
    assert certificate.issuer == ca.subject
    assert certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)[0].value == (
        "Trần Quốc Bảo"
    )
    assert chain == [ca]
    database = (tmp_path / "thucthi.db").read_bytes()
    assert ca.public_bytes(Encoding.DER) not in database
    assert b"BEGIN CERTIFICATE" not in database
    before = ca_file.read_bytes()
    code, out = run("--db", url, "init", "--demo-ca")
    assert code == 0
    assert "0 made" in out
    assert ca_file.read_bytes() == before


def test_init_without_the_flag_makes_no_certification_authority(
    keys_folder: Path, tmp_path: Path
) -> None:
    """A plain ``init`` leaves certificates to the deployment."""
    assert run("--db", f"sqlite:///{tmp_path / 't.db'}", "init")[0] == 0
    assert not (keys_folder / "document-ca.pem").exists()
    assert not (keys_folder / "document-keys").exists()


def test_after_init_the_composition_root_signs_and_checks_with_the_demo_ca(
    keys_folder: Path, tmp_path: Path
) -> None:
    """What bootstrap opens from the environment finds the demo's keys and trusts its CA."""
    url = f"sqlite:///{tmp_path / 'thucthi.db'}"
    assert run("--db", url, "init", "--demo-ca")[0] == 0
    services = open_services(Settings.from_env(database_url=url), read_models=False)
    try:
        pdf = services.document_signer().sign(
            minimal_pdf(),
            signer="so-xd.thutruong",
            reason="Trả lời đơn",
            location="Thành phố Hồ Chí Minh",
            at=datetime(2026, 3, 5, 3, 0, tzinfo=UTC),
        )
        check = services.document_verifier().verify(pdf)
    finally:
        services.close()
    assert check.valid, check.failures
    assert check.signer == "Nguyễn Văn Hùng"


def test_the_document_settings_lie_beside_the_signing_key_unless_set(tmp_path: Path) -> None:
    """Keys, the demo CA, the trust roots and the seal default to the signing key's folder;
    each variable moves its own; the passphrase is never printed."""
    beside = tmp_path / "k" / "signing-key.pem"
    default = PadesSettings.from_env({}, beside)
    assert default.keys == tmp_path / "k" / "document-keys"
    assert default.trust_roots == default.demo_ca == tmp_path / "k" / "document-ca.pem"
    assert default.seal == tmp_path / "k" / "document-seal.png"
    assert default.tsa_url is None
    given = PadesSettings.from_env(
        {
            "THUCTHI_DOCUMENT_KEYS": str(tmp_path / "hsm"),
            "THUCTHI_DOCUMENT_TRUST_ROOTS": str(tmp_path / "bcy-root.pem"),
            "THUCTHI_DOCUMENT_KEY_PASSPHRASE": "bí-mật",
            "THUCTHI_TSA_URL": "http://tsa.example.vn/",
        },
        beside,
    )
    assert given.keys == tmp_path / "hsm"
    assert given.trust_roots == tmp_path / "bcy-root.pem"
    assert given.passphrase == "bí-mật".encode()
    assert given.tsa_url == "http://tsa.example.vn/"
    assert "bí-mật" not in repr(given)


def test_a_time_stamp_authority_that_is_not_an_http_address_is_refused() -> None:
    """Refused at start, in both languages, rather than at the first signature."""
    with pytest.raises(SettingsError, match="must be an http"):
        PadesSettings.from_env({"THUCTHI_TSA_URL": "tsa.example.vn"}, Path("/k/key.pem"))
