"""Files: uploading one (``POST /api/files``, multipart), a directive's files as of a moment,
downloading one, and the proof that it was the one filed (``domain.shared.files``,
``projections.file_proof``).

Uploading keeps the bytes under their digest and records nothing: a command then files the file
by its digest and a name (``files`` of the issue, progress, contribution, completion and
explanation commands), and its event records the digest, name, type and size. A file is read
by whoever may see its directive (a department officer: its unit leads or coordinates it), and
exists from its event on: asked as of an earlier moment or version, it is not there yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote

import falcon

from api.documents import plain
from api.http import MAX_BODY, ProblemError, json
from api.params import AT, VERSION
from api.resources.directives import load_visible
from domain.application import Thucthi
from domain.directives.directive import Directive, FiledWith, files_of
from domain.shared.actors import Actor
from domain.shared.files import FileNotFiledError, checked_digest
from projections.audit import ProofRequestError
from projections.file_proof import file_proof
from readmodels.audit import AuditStore

MAX_FORM_FILES = 5  # files one form of the pages may carry
_CHUNK = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Upload:
    """A file part of a posted form: the name the browser gave it and its bytes."""

    name: str
    data: bytes


def multipart_form(req: falcon.Request, max_bytes: int) -> tuple[dict[str, Any], list[Upload]]:
    """A ``multipart/form-data`` body: its text fields (a field given twice, a list, as a
    URL-encoded form's) and its files (each read up to one byte past ``max_bytes``, which the
    domain refuses as too large). A file input left empty sends a part with no name: skipped."""
    limit = MAX_BODY + MAX_FORM_FILES * (max_bytes + 1)
    if req.content_length is not None and req.content_length > limit:
        raise ProblemError(413, "body-too-large", f"The body is over {limit} bytes")
    form: dict[str, Any] = {}
    uploads: list[Upload] = []
    try:
        for part in req.get_media():
            if part.filename is not None:
                data = _read(part.stream, max_bytes + 1)
                if not part.filename and not data:
                    continue
                if len(uploads) >= MAX_FORM_FILES:
                    raise ProblemError(
                        413, "too-many-files", f"A form carries at most {MAX_FORM_FILES} files"
                    )
                uploads.append(Upload(part.filename, data))
                continue
            text = part.get_text() or ""
            name = part.name or ""
            if name in form:
                kept = form[name]
                form[name] = [*kept, text] if isinstance(kept, list) else [kept, text]
            else:
                form[name] = text
    except falcon.MediaMalformedError as e:
        raise ProblemError(400, "malformed-form", "The form cannot be read", str(e)) from e
    return form, uploads


def _read(stream: Any, most: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while size < most:
        chunk = stream.read(min(_CHUNK, most - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    if size >= most:
        while stream.read(_CHUNK):  # the rest of the part, unread, would end the form
            pass
    return b"".join(chunks)


def is_multipart(req: falcon.Request) -> bool:
    return (req.content_type or "").split(";")[0].strip().lower() == falcon.MEDIA_MULTIPART


def filed_document(filed: FiledWith, link: str) -> dict[str, Any]:
    return {
        "digest": filed.file.digest,
        "name": filed.file.name,
        "media_type": filed.file.media_type,
        "size": filed.file.size,
        "version": filed.version,
        "recorded_at": filed.at,
        "event": filed.step,
        "href": f"{link}/{filed.file.digest}",
    }


def files_as_of(
    app: Thucthi, directive: Directive, *, version: int | None, at: datetime | None
) -> list[FiledWith]:
    """The files a directive's events filed up to a version or a moment (else all, now)."""
    if version is not None and at is not None:
        raise ProblemError(422, "invalid-fields", "Ask for a version or a moment, not both")
    return [
        f
        for f in files_of(app.history(directive.id))
        if (version is None or f.version <= version) and (at is None or f.at <= at)
    ]


def one_file(
    app: Thucthi, directive: Directive, digest: str, *, at: datetime | None
) -> tuple[FiledWith, bytes]:
    """The file with this digest as filed (its first filing) and its bytes; a file filed
    after ``at`` is not there yet."""
    digest = checked_digest(digest)
    filed = [f for f in files_of(app.history(directive.id)) if f.file.digest == digest]
    if not filed:
        raise FileNotFiledError("unknown", reference=directive.reference, digest=digest)
    if at is not None and filed[0].at > at:
        raise FileNotFiledError("not_yet", reference=directive.reference, digest=digest, at=at)
    data = app.files.get(digest)
    if data is None:
        raise FileNotFiledError("bytes_missing", digest=digest)
    return filed[0], data


def send_file(resp: falcon.Response, filed: FiledWith, data: bytes) -> None:
    """The bytes as a download: the type recorded, the name filed (RFC 6266, UTF-8)."""
    resp.content_type = filed.file.media_type
    resp.data = data
    ascii_name = filed.file.name.encode("ascii", "replace").decode().replace('"', "_")
    resp.set_header(
        "Content-Disposition",
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filed.file.name)}",
    )
    resp.set_header("X-Content-Type-Options", "nosniff")
    resp.set_header("Cache-Control", "private, max-age=3600")
    resp.etag = f'"{filed.file.digest}"'


class Uploads:
    """``POST /api/files``: keep a file (multipart, its part named ``file``) for a command to
    file by its digest; answers its digest, type and size."""

    def __init__(self, app: Thucthi) -> None:
        self.app = app

    def on_post(self, req: falcon.Request, resp: falcon.Response) -> None:
        if not is_multipart(req):
            raise ProblemError(
                415, "unsupported-media-type", "Send multipart/form-data with a part named file"
            )
        _, uploads = multipart_form(req, self.app.file_rules.max_bytes)
        if len(uploads) != 1:
            raise ProblemError(422, "invalid-fields", "Send one file, in a part named file")
        upload = uploads[0]
        kept = self.app.upload(upload.data, upload.name or None)
        json(
            resp,
            {
                "digest": kept.digest,
                "name": kept.name,
                "media_type": kept.media_type,
                "size": kept.size,
            },
            201,
        )


class DirectiveFiles:
    """A directive's files: the list, one file's bytes, and its proof."""

    def __init__(self, app: Thucthi, trail: AuditStore | None) -> None:
        self.app, self.trail = app, trail

    def on_get(self, req: falcon.Request, resp: falcon.Response, ref: str) -> None:
        """Now, or up to a version (``?version=``) or a moment (``?at=``)."""
        actor: Actor = req.context.actor
        directive = load_visible(self.app, actor, ref)
        filed = files_as_of(self.app, directive, version=VERSION.read(req), at=AT.read(req))
        link = f"/api/directives/{directive.id}/files"
        json(
            resp,
            {
                "id": str(directive.id),
                "reference": directive.reference,
                "items": [filed_document(f, link) for f in filed],
            },
        )

    def on_get_file(
        self, req: falcon.Request, resp: falcon.Response, ref: str, digest: str
    ) -> None:
        directive = load_visible(self.app, req.context.actor, ref)
        filed, data = one_file(self.app, directive, digest, at=AT.read(req))
        send_file(resp, filed, data)

    def on_get_proof(
        self, req: falcon.Request, resp: falcon.Response, ref: str, digest: str
    ) -> None:
        directive = load_visible(self.app, req.context.actor, ref)
        if self.trail is None:
            raise ProblemError(503, "no-read-models", "The audit trail needs SQLite or PostgreSQL")
        try:
            proof = file_proof(self.app, self.trail, directive.id, checked_digest(digest))
        except ProofRequestError as e:
            raise ProblemError(404, "no-proof", "No such proof", str(e)) from e
        json(resp, plain(proof))
