"""The key that signs the log's checkpoints, and where they are published: kept outside the
database (``THUCTHI_SIGNING_KEY``, else ``~/.config/thucthi/signing-key.pem``; the checkpoint log
beside it, ``adapters.checkpoint_log``), so that nobody who can write to the database can sign."""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from adapters.checkpoint_log import CheckpointLog
from domain.shared.notes import Checkpoint, sign_checkpoint, verifier_key

DEFAULT_ORIGIN = "thucthi.tphcm.gov.vn/log"
KEY_VARIABLE = "THUCTHI_SIGNING_KEY"
ORIGIN_VARIABLE = "THUCTHI_LOG_ORIGIN"


def default_key_path(environ: Mapping[str, str] | None = None) -> Path:
    """``THUCTHI_SIGNING_KEY``, else ``~/.config/thucthi/signing-key.pem``: never the database."""
    environ = os.environ if environ is None else environ
    if environ.get(KEY_VARIABLE):
        return Path(environ[KEY_VARIABLE])
    base = Path(environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "thucthi" / "signing-key.pem"


def load_key(path: Path, *, create: bool) -> Ed25519PrivateKey:
    """The Ed25519 key in a PEM file (PKCS#8), created with mode 0600 when missing and asked to."""
    if not path.exists():
        if not create:
            msg = f"no signing key at {path}: run `thucthi init` or set {KEY_VARIABLE}"
            raise FileNotFoundError(msg)
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        # Written whole beside it, then linked into place: processes starting together (serve
        # and a `projections run`) make one key, and none reads a key half written.
        written = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        descriptor = os.open(written, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(pem)
        try:
            os.link(written, path)
        except FileExistsError:
            pass  # another process made it first: that key is the one
        else:
            return key
        finally:
            written.unlink()
    loaded = load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        msg = f"{path} does not hold an Ed25519 private key"
        raise TypeError(msg)
    return loaded


@dataclass(frozen=True, slots=True)
class Signer:
    """The log's name (its origin, also the key's name), the key that signs its checkpoints and
    the checkpoint log it publishes them to (None: the database alone keeps them, as tests do)."""

    origin: str
    key: Ed25519PrivateKey
    published: CheckpointLog | None = None

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.key.public_key()

    @property
    def vkey(self) -> str:
        return verifier_key(self.origin, self.public_key)

    def sign(self, size: int, root: bytes) -> str:
        return sign_checkpoint(Checkpoint(self.origin, size, root), self.key)


def signer_at(key_path: Path, *, create: bool, log: Path, origin: str) -> Signer:
    """The log's signer (named ``origin``) from its key file, publishing to the checkpoint log at
    ``log`` (``adapters.checkpoint_log.default_path``: beside the key unless set)."""
    return Signer(origin, load_key(key_path, create=create), CheckpointLog(log))


def origin_from_env(environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    return environ.get(ORIGIN_VARIABLE) or DEFAULT_ORIGIN
