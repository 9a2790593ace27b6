"""The petitions' officers as accounts of the API under test, signed in under the names the
petition builders act as (``tests.petition_builders``), so that what the domain records and
what the pages show are the same people."""

from __future__ import annotations

from domain.application import SYSTEM_ACTOR
from domain.shared.actors import Actor
from tests.api.conftest import PASSWORD, PASSWORD_HASH, Api
from tests.petition_builders import (
    COLLEAGUE,
    HANDLER,
    HEAD,
    OTHER_HEAD,
    OTHER_RECEPTION,
    RECEPTION,
)

OTHER_OFFICER = Actor("q1.chuyenvien", HANDLER.role, OTHER_HEAD.unit)
OFFICERS = (RECEPTION, HEAD, HANDLER, COLLEAGUE, OTHER_RECEPTION, OTHER_HEAD, OTHER_OFFICER)


def sign_in_officers(api: Api, officers: tuple[Actor, ...] = OFFICERS) -> None:
    """Create each officer's account and sign it in (``api.headers(officer.user_id)``)."""
    for officer in officers:
        api.app.create_user(
            username=officer.user_id,
            display_name=officer.user_id,
            role=officer.role,
            unit=officer.unit,
            password_hash=PASSWORD_HASH,
            actor=SYSTEM_ACTOR,
            request_id="setup",
        )
        signed = api.client.simulate_post(
            "/api/session", json={"username": officer.user_id, "password": PASSWORD}
        )
        assert signed.status_code == 201, signed.text
        api.tokens[officer.user_id] = signed.json["token"]
