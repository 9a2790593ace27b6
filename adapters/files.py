"""Filed files' bytes on disk, by their SHA-256 (the ``FileStore`` port of
``domain.shared.files``): ``<folder>/ab/cd/<the 64 hex digits>``.

The folder is a setting (``THUCTHI_FILES_DIR``); by default it is beside a SQLite database
(``thucthi.db`` → ``thucthi.files/``), and under the user's data folder for PostgreSQL
(``$XDG_DATA_HOME/thucthi/files``, else ``~/.local/share/thucthi/files``). A file is written
whole beside its place, flushed, then renamed into it, so a reader never meets half a file and
two processes writing the same bytes write the same file. A file read back is hashed again:
bytes changed on disk are not served as the file filed. Back the folder up with the database:
the log proves what was filed, the folder holds it.

An S3-compatible store takes its place by implementing ``put`` and ``get`` with the digest as
the object's key.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from collections.abc import Mapping
from pathlib import Path

from domain.shared.files import checked_digest, digest_of

FILES_DIR_VARIABLE = "THUCTHI_FILES_DIR"
MAX_BYTES_VARIABLE = "THUCTHI_FILES_MAX_BYTES"
KINDS_VARIABLE = "THUCTHI_FILES_KINDS"


def default_folder(database_path: str | None, environ: Mapping[str, str]) -> Path:
    """Beside a SQLite file (its name with ``.files``), else under the user's data folder."""
    if database_path:
        db = Path(database_path).expanduser()
        return db.with_name(db.stem + ".files")
    data = environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "thucthi" / "files"


class DiskFiles:
    """Files in a folder, one per digest."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path_of(self, digest: str) -> Path:
        hexdigest = checked_digest(digest).removeprefix("sha256:")
        return self.folder / hexdigest[:2] / hexdigest[2:4] / hexdigest

    def put(self, data: bytes) -> str:
        digest = digest_of(data)
        path = self.path_of(digest)
        if path.exists() and self.get(digest) is not None:
            return digest
        path.parent.mkdir(parents=True, exist_ok=True)
        written = path.with_name(f".{path.name}.{uuid.uuid4().hex}")
        descriptor = os.open(written, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(data)
                file.flush()
                os.fsync(file.fileno())
            os.replace(written, path)
        finally:
            written.unlink(missing_ok=True)
        return digest

    def get(self, digest: str) -> bytes | None:
        path = self.path_of(digest)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        if "sha256:" + hashlib.sha256(data).hexdigest() != checked_digest(digest):
            return None  # changed on disk: not the file filed
        return data

    def discard(self, digest: str) -> bool:
        path = self.path_of(digest)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        return True
