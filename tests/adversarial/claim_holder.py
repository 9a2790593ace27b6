"""A process that claims an Idempotency-Key and then hangs, for a test to SIGKILL.

``python -m tests.adversarial.claim_holder URL MODE KEY TOKEN BODY`` builds the real API over the
database at URL and sends ``POST /api/directives`` with the key, the leader's TOKEN and BODY (JSON
text). Issuing the directive hangs for ever, with the claim held: before the event is stored
(MODE ``before-store``) or after (``after-store``). The process prints ``holding`` once it hangs.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

import falcon.testing

from api.app import AppConfig, create_app
from bootstrap import Process, Settings, open_services
from domain.shared.clock import SimulatedClock
from tests.conftest import START

REQUEST_ID = "the-first-attempt"


def main(url: str, mode: str, key: str, token: str, body: str) -> None:
    # The tests' clock, so that a token signed in at their START is still valid here.
    services = open_services(
        Settings(database_url=url),
        role=Process.WORKER,
        clock=SimulatedClock(START),
        create_tables=False,
        listen=False,
    )
    service = services.app
    issue = service.issue

    def hanging_issue(*args: Any, **fields: Any) -> int:
        if mode == "after-store":
            issue(*args, **fields)
        print("holding", flush=True)  # noqa: T201 - the test waits for this line
        threading.Event().wait()  # until SIGKILL
        raise AssertionError  # pragma: no cover - never reached

    service.issue = hanging_issue  # type: ignore[method-assign]
    client = falcon.testing.TestClient(create_app(AppConfig(services=services)))
    client.simulate_post(
        "/api/directives",
        body=body,
        headers={
            "Authorization": f"Bearer {token}",
            "Content-Type": "application/json",
            "Idempotency-Key": key,
            "X-Request-Id": REQUEST_ID,
        },
    )


if __name__ == "__main__":
    main(*sys.argv[1:6])
