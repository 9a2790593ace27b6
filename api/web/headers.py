"""What every page sends beside its body: the language cookie's name and the security headers.

Kept apart from the pages' base so that the fast path in front of Falcon (``api.fastpath``),
which the resources import, can send a kept page without importing the pages themselves.
"""

from __future__ import annotations

from typing import Final

LANGUAGE_COOKIE: Final = "thucthi_lang"
SECURITY_HEADERS: Final[dict[str, str]] = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}
