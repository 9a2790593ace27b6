"""A URL naming several hosts on a real server: the connections, the pools' and those opened
beside them, go to the host that accepts writes, whichever comes first in the URL."""

from __future__ import annotations

from urllib.parse import urlsplit

import psycopg
import pytest

from adapters.database import open_application, parse_database_url
from tests.adversarial.serving import free_port
from tests.postgres import fresh_schema, require_server

pytestmark = pytest.mark.postgres


def test_a_host_that_does_not_answer_is_passed_over_for_the_primary() -> None:
    """The first host refuses (nothing listens there), the second is the test's server: the
    application opens, stores and reads on it, and so does a connection of its own."""
    with fresh_schema(require_server()) as url:
        parts = urlsplit(url)
        dead = f"127.0.0.1:{free_port()}"
        netloc = f"{parts.username or 'postgres'}@{dead},{parts.hostname}:{parts.port or 5432}"
        both = f"postgresql://{netloc}{parts.path}?{parts.query}&target_session_attrs=read-write"
        database = parse_database_url(both)
        app = open_application(database)
        try:
            app.open_unit_registry()
            assert (app.max_notification_id() or 0) > 0
            with psycopg.connect(database.conninfo()) as conn:
                port = conn.info.port
                writable = conn.execute("SHOW transaction_read_only").fetchone()
            assert (port, writable) == (parts.port or 5432, ("off",))
        finally:
            app.close()
