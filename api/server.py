"""Serving the WSGI application: a threaded stop-gap until the API issue measures servers."""

from __future__ import annotations

import signal
from socketserver import ThreadingMixIn
from typing import TextIO
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from api.app import AppConfig, create_app
from domain.application import Thucthi


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """Access logs belong to the API issue's metrics, not to stderr noise."""


def serve(service: Thucthi, *, host: str, port: int, out: TextIO) -> None:
    """Serve until interrupted or sent SIGTERM."""
    app = create_app(AppConfig(service=service))
    with make_server(host, port, app, _ThreadingServer, handler_class=_QuietHandler) as server:

        def stop(signum: int, frame: object) -> None:
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        out.write(f"serving on http://{host}:{port}\n")
        out.flush()
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            out.write("stopped\n")
