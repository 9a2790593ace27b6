"""Files filed with a directive's steps: the signed directive PDF when it is issued, and the
report or evidence files with progress, contributions, completion and explanations.

A file is stored by its content's SHA-256 (``sha256:`` and 64 hex digits, the form attachments
are named by: ``domain.shared.text.ATTACHMENT_DIGEST``) behind the ``FileStore`` port; its bytes
never enter the log. The event that files it records what a reader and an inspector need: the
digest, the name it was filed under, its type and its size (``FiledFile``), so that the
inclusion proof of that event proves the file was the one filed that day.

What may be filed is decided by the content, not the name: the type is sniffed from the file's
first bytes (and, for the office formats that are ZIP archives, from the names of their parts),
and the name's extension must be one of that type's. The limits (``FileRules``) are settings.
"""

from __future__ import annotations

import hashlib
import io
import threading
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath
from typing import ClassVar, Protocol

from domain.shared.errors import DomainError, InvalidTextError
from domain.shared.text import ATTACHMENT_DIGEST, TextRule, checked

MIB = 1024 * 1024
DEFAULT_MAX_BYTES = 20 * MIB
FILE_NAME = TextRule(255, required=True)


class InvalidFileError(DomainError):
    """A file cannot be filed: empty, too large, of a kind not accepted, or named as another."""

    code = "invalid-file"
    kind = "invalid"
    SAID: ClassVar[dict[str, str]] = {
        "empty": "the file is empty",
        "too_large": "the file is {size} bytes, more than the {limit} allowed",
        "kind": "the file's content is none of the kinds accepted ({kinds})",
        "name": "{name} is named as another kind of file than its content, a {kind} ({expected})",
        "not_pdf": "the signed directive is filed as a PDF, not a {kind}",
        "not_stored": "no file with the digest {digest} was uploaded: upload it first",
        "digest": "a file is named by its digest, sha256:<64 hex digits>, not {digest!r}",
    }


class FileNotFiledError(DomainError):
    """The directive has no such file (or had none yet at the moment asked)."""

    code = "file-not-found"
    kind = "not_found"
    SAID: ClassVar[dict[str, str]] = {
        "unknown": "{reference} has no file {digest}",
        "not_yet": "{reference} had no file {digest} at {at}: it was filed later",
        "bytes_missing": "the bytes of {digest} are not in the file store",
    }


@dataclass(frozen=True, slots=True)
class FileKind:
    """A kind of file that may be filed: its media type and the extensions its name may end in."""

    name: str
    media_type: str
    extensions: tuple[str, ...]


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."
KINDS: dict[str, FileKind] = {
    k.name: k
    for k in (
        FileKind("pdf", "application/pdf", (".pdf",)),
        FileKind("png", "image/png", (".png",)),
        FileKind("jpeg", "image/jpeg", (".jpg", ".jpeg")),
        FileKind("gif", "image/gif", (".gif",)),
        FileKind("webp", "image/webp", (".webp",)),
        FileKind("tiff", "image/tiff", (".tif", ".tiff")),
        FileKind("docx", _OOXML + "wordprocessingml.document", (".docx",)),
        FileKind("xlsx", _OOXML + "spreadsheetml.sheet", (".xlsx",)),
        FileKind("pptx", _OOXML + "presentationml.presentation", (".pptx",)),
        FileKind("odt", _ODF + "text", (".odt",)),
        FileKind("ods", _ODF + "spreadsheet", (".ods",)),
        FileKind("odp", _ODF + "presentation", (".odp",)),
        # The older binary formats share one container (OLE2): which of them a file is, its
        # name says, among these three only.
        FileKind("doc", "application/msword", (".doc",)),
        FileKind("xls", "application/vnd.ms-excel", (".xls",)),
        FileKind("ppt", "application/vnd.ms-powerpoint", (".ppt",)),
    )
}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE2_KINDS = ("doc", "xls", "ppt")
_OOXML_PARTS = (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx"))
_ODF_TYPES = {KINDS[k].media_type: k for k in ("odt", "ods", "odp")}


# A kind's first bytes (its magic number).
_MAGIC: tuple[tuple[bytes, tuple[str, ...]], ...] = (
    (b"%PDF-", ("pdf",)),
    (b"\x89PNG\r\n\x1a\n", ("png",)),
    (b"\xff\xd8\xff", ("jpeg",)),
    (b"GIF87a", ("gif",)),
    (b"GIF89a", ("gif",)),
    (b"II*\x00", ("tiff",)),
    (b"MM\x00*", ("tiff",)),
    (_OLE2, _OLE2_KINDS),
)


def sniffed(data: bytes) -> tuple[str, ...]:
    """The kinds a file's content can be, from its first bytes (its magic number) and, for a ZIP
    archive, the parts it holds: one kind, the three of the OLE2 container, or none."""
    for magic, kinds in _MAGIC:
        if data.startswith(magic):
            return kinds
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ("webp",)
    return _zipped(data) if data.startswith(b"PK\x03\x04") else ()


def _zipped(data: bytes) -> tuple[str, ...]:
    """An office document in a ZIP archive: OOXML by its parts' folders, ODF by its
    ``mimetype`` part (read at most 100 bytes of it, whatever the archive claims)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names:
                for folder, kind in _OOXML_PARTS:
                    if any(n.startswith(folder) for n in names):
                        return (kind,)
                return ()
            if "mimetype" in names:
                with archive.open("mimetype") as part:
                    declared = part.read(100).decode("ascii", "replace").strip()
                found = _ODF_TYPES.get(declared)
                return (found,) if found else ()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        return ()
    return ()


def digest_of(data: bytes) -> str:
    """The name a file is stored and filed under: ``sha256:`` and its content's hex digest."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def file_name(name: str) -> str:
    """The name a file is filed under: the last part of the name given (a browser may send a
    whole path), checked as a one-line text of at most 255 characters."""
    if not isinstance(name, str):
        raise InvalidTextError("file_name", "not_text")
    last = PureWindowsPath(PurePosixPath(name).name).name
    return checked("file_name", last, FILE_NAME)


def checked_digest(digest: object) -> str:
    text = digest.strip().lower() if isinstance(digest, str) else ""
    if not ATTACHMENT_DIGEST.match(text):
        raise InvalidFileError("digest", digest=digest)
    return text


@dataclass(frozen=True, slots=True)
class FileGiven:
    """A file a command files: the digest of bytes already uploaded, and the name to file it
    under. The application describes it from the stored bytes (``FileRules.describe``)."""

    digest: str
    name: str


@dataclass(frozen=True, slots=True)
class FiledFile(FileGiven):
    """A file as an event records it: digest, name, media type and size (never its bytes)."""

    media_type: str
    size: int


@dataclass(frozen=True, slots=True)
class FileRules:
    """What may be filed: at most ``max_bytes``, of the kinds named (``KINDS``' keys)."""

    max_bytes: int = DEFAULT_MAX_BYTES
    kinds: tuple[str, ...] = tuple(KINDS)

    def kind_of(self, data: bytes, name: str | None = None) -> FileKind:
        """The accepted kind of a file's content (its name choosing among the OLE2 formats,
        and having to be one of the kind's); else InvalidFileError."""
        if not data:
            raise InvalidFileError("empty")
        if len(data) > self.max_bytes:
            raise InvalidFileError("too_large", size=len(data), limit=self.max_bytes)
        possible = [k for k in sniffed(data) if k in self.kinds]
        if not possible:
            raise InvalidFileError("kind", kinds=", ".join(self.kinds))
        if name is None:
            return KINDS[possible[0]]
        suffix = PurePosixPath(name.lower()).suffix
        for kind in possible:
            if suffix in KINDS[kind].extensions:
                return KINDS[kind]
        found = KINDS[possible[0]]
        expected = " ".join(e for k in possible for e in KINDS[k].extensions)
        raise InvalidFileError("name", name=name, kind=found.name.upper(), expected=expected)

    def describe(self, given: FileGiven, data: bytes) -> FiledFile:
        """The file as an event records it, from the bytes stored under its digest."""
        name = file_name(given.name)
        kind = self.kind_of(data, name)
        return FiledFile(
            digest=digest_of(data), name=name, media_type=kind.media_type, size=len(data)
        )


class FileStore(Protocol):
    """Where files' bytes are kept, by their digest (``adapters.files`` on disk; an S3-compatible
    store could take its place). ``put`` is idempotent: the same bytes have the same name."""

    def put(self, data: bytes) -> str:
        """Keep the bytes; their digest (``digest_of``)."""
        ...

    def get(self, digest: str) -> bytes | None:
        """The bytes kept under a digest, or None."""
        ...

    def discard(self, digest: str) -> bool:
        """Remove the bytes kept under a digest (a petition's receipt, whose petitioners' data
        were erased); whether there were any. The events that filed them keep the digest."""
        ...


class MemoryFiles:
    """Files kept in memory (memory:// and the tests)."""

    def __init__(self) -> None:
        self._files: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def put(self, data: bytes) -> str:
        digest = digest_of(data)
        with self._lock:
            self._files[digest] = bytes(data)
        return digest

    def get(self, digest: str) -> bytes | None:
        with self._lock:
            return self._files.get(digest)

    def discard(self, digest: str) -> bool:
        with self._lock:
            return self._files.pop(digest, None) is not None
