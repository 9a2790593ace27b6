"""Which position a request's reads need, and which one its answer names, when reads may go to
hot standbys (``adapters.standbys``).

A caller says the last position it saw with the ``Log-Position`` header, or its browser with
the ``thucthi_position`` cookie; the request's reads are then never made from read models
behind it. Every answer that read the read models names the position it was made at, and a
command's answer the position its events were stored at (``api.writes``; for a command that
does not say, the log's head once it is stored), in the same header and, when that is further
on than the cookie, a new cookie: a session remembers the newest position it saw, by itself for
the pages, by sending the header back for the API.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

from adapters.standbys import ReadRouting
from api.auth import SAFE_METHODS, TOKEN_LIFETIME
from api.web.session import cookie_value

POSITION_HEADER = "Log-Position"
POSITION_COOKIE = "thucthi_position"
_MOST = 2**62  # a position no log reaches: anything larger is not a position


def position_in(text: str | None) -> int:
    """A position as a caller sent it, or 0 when it sent none or not a number."""
    if not text or not text.isascii() or not text.isdecimal() or len(text) > 19:
        return 0
    number = int(text)
    return number if number < _MOST else 0


class ReadPositions:
    """Around the whole WSGI application: routing begun for each request with the position it
    needs, and the position its answer stands at added to the answer."""

    def __init__(self, reads: ReadRouting[Any], head: Callable[[], int | None]) -> None:
        """``head``: the log's last position (asked of the primary after a command)."""
        self.reads, self.head = reads, head

    def around(
        self, env: WSGIEnvironment, start_response: StartResponse, inner: WSGIApplication
    ) -> Iterable[bytes]:
        sent = position_in(cookie_value(env, POSITION_COOKIE))
        needed = max(position_in(env.get("HTTP_LOG_POSITION")), sent)
        safe = env.get("REQUEST_METHOD", "GET") in SAFE_METHODS
        token = self.reads.begin(needed, safe=safe)
        secure = env.get("wsgi.url_scheme") == "https"

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            answered = self.answered_at(safe=safe, status=int(status[:3]))
            if answered is not None:
                position = max(answered, needed)
                headers = [*headers, (POSITION_HEADER, str(position))]
                if position > sent:
                    headers.append(("Set-Cookie", position_cookie(position, secure=secure)))
            return start_response(status, headers, exc_info)

        try:
            return inner(env, start)
        finally:
            self.reads.end(token)

    def answered_at(self, *, safe: bool, status: int) -> int | None:
        """The position an answer stands at: its reads' for a safe request that read the read
        models, its events' for a command that did something (the log's head if it did not
        say: no earlier than its events); else None (nothing said)."""
        if safe:
            return self.reads.served()
        if status >= 400:
            return None
        written = self.reads.written()
        return self.head() if written is None else written


def position_cookie(position: int, *, secure: bool) -> str:
    attributes = f"Max-Age={int(TOKEN_LIFETIME.total_seconds())}; Path=/; HttpOnly; SameSite=Lax"
    return f"{POSITION_COOKIE}={position}; {attributes}{'; Secure' if secure else ''}"
