"""The secret the public look-up's PINs are derived under (``domain.petitions.lookup``): 32 random
bytes, base64, in a file outside the database (``THUCTHI_LOOKUP_KEY``, else ``lookup-pin.key``
beside the signing key), made with mode 0600 the first time it is needed.

Kept apart from the database so that a copy of the database alone tells nobody a PIN. If the
file is lost, a new one is made and every PIN changes: the reception prints the receipts of
petitions without an identification number again (docs/petitions-public.md).
"""

from __future__ import annotations

import base64
import binascii
import os
import secrets
import threading
import uuid
from collections.abc import Mapping
from pathlib import Path

from adapters.signing import default_key_path as default_signing_key_path

KEY_VARIABLE = "THUCTHI_LOOKUP_KEY"
KEY_FILE_NAME = "lookup-pin.key"
KEY_BYTES = 32


def default_key_path(environ: Mapping[str, str] | None = None) -> Path:
    """``THUCTHI_LOOKUP_KEY``, else ``lookup-pin.key`` beside the signing key."""
    environ = os.environ if environ is None else environ
    if environ.get(KEY_VARIABLE):
        return Path(environ[KEY_VARIABLE])
    return default_signing_key_path(environ).with_name(KEY_FILE_NAME)


def read_key(path: Path) -> bytes:
    """The secret in ``path``, made if missing. Written whole beside it, then linked into place,
    so processes starting together make one key and none reads a key half written."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        written = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        descriptor = os.open(written, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(base64.b64encode(secrets.token_bytes(KEY_BYTES)) + b"\n")
        try:
            os.link(written, path)
        except FileExistsError:
            pass  # another process made it first: that key is the one
        finally:
            written.unlink()
    try:
        key = base64.b64decode(path.read_bytes().strip(), validate=True)
    except binascii.Error:
        key = b""
    if len(key) != KEY_BYTES:
        msg = f"{path} does not hold a look-up key (base64 of {KEY_BYTES} bytes)"
        raise ValueError(msg)
    return key


class LookupKey:
    """The look-up key of a process, read (or made) when first asked for, then kept."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._key: bytes | None = None
        self._lock = threading.Lock()

    def __call__(self) -> bytes:
        if self._key is None:
            with self._lock:
                if self._key is None:
                    self._key = read_key(self.path)
        return self._key
