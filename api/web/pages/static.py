"""The pages' own stylesheet and script, served from here (nothing is loaded from elsewhere)."""

from __future__ import annotations

import mimetypes

import falcon

from api.web.pages.base import WEB

STATIC = WEB / "static"


class Static:
    """``/static/{name}``: a file of ``api/web/static``, and nothing outside it."""

    def on_get(self, req: falcon.Request, resp: falcon.Response, name: str) -> None:
        path = STATIC / name
        if "/" in name or name.startswith(".") or not path.is_file():
            raise falcon.HTTPNotFound
        resp.content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        resp.data = path.read_bytes()
        resp.set_header("Cache-Control", "public, max-age=3600")
        resp.set_header("X-Content-Type-Options", "nosniff")
