"""The Falcon WSGI application.

Until the API issue lands it answers ``/healthz`` and a plain page listing directives.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

import falcon
import orjson

from domain.application import Thucthi

PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class AppConfig:
    """What the web application is built from: the service, injected so tests can pass their own."""

    service: Thucthi


class Health:
    def __init__(self, service: Thucthi) -> None:
        self.service = service

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        resp.media = {"status": "ok", "position": self.service.max_notification_id()}


class DirectiveList:
    """A plain HTML list of directives in the order they were issued, a page at a time."""

    def __init__(self, service: Thucthi) -> None:
        self.service = service

    def on_get(self, req: falcon.Request, resp: falcon.Response) -> None:
        after = req.get_param_as_int("after", min_value=0, default=0)
        issued = self.service.issued_directives(after=after, limit=PAGE_SIZE)
        rows = "\n".join(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>".format(
                html.escape(e.reference),
                html.escape(e.title),
                html.escape(e.lead_unit),
                e.issued_on.isoformat(),
                e.deadline.isoformat() if e.deadline else "—",
            )
            for _, e in issued
        )
        more = (
            f'<p><a href="/?after={issued[-1][0]}">Trang sau / Next page</a></p>'
            if len(issued) == PAGE_SIZE
            else ""
        )
        resp.content_type = falcon.MEDIA_HTML
        resp.text = _PAGE.format(rows=rows, more=more)


_PAGE = """<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Thucthi — Văn bản chỉ đạo</title>
<style>body{{font-family:system-ui,sans-serif;margin:1rem}}table{{border-collapse:collapse}}
td,th{{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left}}</style></head>
<body><h1>Văn bản chỉ đạo <small>/ Directives</small></h1>
<table><thead><tr><th>Số, ký hiệu</th><th>Trích yếu</th><th>Chủ trì</th><th>Ngày ban hành</th>
<th>Hạn xử lý</th></tr></thead><tbody>
{rows}
</tbody></table>{more}</body></html>"""


def create_app(config: AppConfig) -> falcon.App[falcon.Request, falcon.Response]:
    """Build the WSGI application around an open service."""
    app = falcon.App()
    json_handler = falcon.media.JSONHandler(dumps=orjson.dumps, loads=orjson.loads)
    app.req_options.media_handlers[falcon.MEDIA_JSON] = json_handler
    app.resp_options.media_handlers[falcon.MEDIA_JSON] = json_handler
    app.add_route("/healthz", Health(config.service))
    app.add_route("/", DirectiveList(config.service))
    return app
