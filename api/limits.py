"""How often the public may try the petitions' look-up: failed look-ups per client address and per
receipt code, each in a fixed window from its first counted attempt, counted in the credential
store (``count_attempt``, the sign-in limits' own) so every worker shares them, on SQLite and
PostgreSQL alike.

An attempt is counted before anything is looked up, so a flood at one moment cannot slip under
the limit; one that finds its petition is taken back, so a citizen checking again and again is
never refused for it. Over either limit the look-up is refused before it runs, whatever the
digits: a code being guessed at is closed for its window, to its petitioner too, which is the
price of a four-digit secret (docs/petitions-public.md). A code is counted under a keyed hash of
it, never in clear.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from api.web.i18n import Language, message
from domain.petitions.lookup import PublicLookup, PublicStatus
from domain.ports import Credentials
from domain.shared.clock import Clock


class TooManyLookupsError(Exception):
    """Too many failed look-ups from an address or of a code in a short time."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many look-ups; retry after {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class LookupAttempt:
    """A look-up counted against its address and its code until it finds its petition."""

    keys: tuple[str, ...]


class LookupLimiter:
    """At most ``per_address`` failed look-ups from a client address in ``address_window`` and
    ``per_code`` of one receipt code in ``code_window``."""

    def __init__(
        self,
        credentials: Credentials,
        clock: Clock,
        code_key: Callable[[str], str],
        *,
        per_address: int,
        address_window: timedelta,
        per_code: int,
        code_window: timedelta,
    ) -> None:
        """``code_key(code)``: the name a code is counted under (a keyed hash of it)."""
        self.credentials, self.clock, self.code_key = credentials, clock, code_key
        self.limits = (
            (per_address, address_window),
            (per_code, code_window),
        )

    def attempt(self, code: str, address: str) -> LookupAttempt:
        """Count a look-up; TooManyLookupsError if its address or its code is over its limit
        (then it counts for neither: nothing was looked up)."""
        now = self.clock.now()
        keys = (f"lookup-address:{address[:100]}", f"lookup-code:{self.code_key(code)}")
        waits = []
        for key, (limit, window) in zip(keys, self.limits, strict=True):
            counted = self.credentials.count_attempt(key, now, window)
            if counted.count > limit:
                waits.append(counted.window_ends - now)
        attempt = LookupAttempt(keys)
        if waits:
            self.succeeded(attempt)
            raise TooManyLookupsError(max(1, math.ceil(max(waits).total_seconds())))
        return attempt

    def succeeded(self, attempt: LookupAttempt) -> None:
        """Take the attempt back: it found its petition (or was refused before looking)."""
        for key in attempt.keys:
            self.credentials.forgive_attempt(key)


def limited_lookup(
    lookup: PublicLookup, limiter: LookupLimiter, code: str, digits: str, address: str
) -> PublicStatus | None:
    """The look-up the API and the page both run: counted first, then looked up (the same work
    whatever the answer), taken back if it found its petition. TooManyLookupsError over a
    limit."""
    attempt = limiter.attempt(code, address)
    found = lookup.find(code, digits)
    if found is not None:
        limiter.succeeded(attempt)
    return found


def wait_in_words(language: Language, seconds: int) -> str:
    """How long to wait, as a person says it: seconds, else minutes, else hours (rounded up)."""
    if seconds < 2 * 60:
        return message(language, "lookup.wait.seconds", n=seconds)
    if seconds < 2 * 3600:
        return message(language, "lookup.wait.minutes", n=-(-seconds // 60))
    return message(language, "lookup.wait.hours", n=-(-seconds // 3600))
