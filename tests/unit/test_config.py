"""Database URLs: what each backend becomes in eventsourcing's settings, and one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from adapters.database import (
    DatabaseUnavailableError,
    DatabaseURLError,
    open_application,
    parse_database_url,
)
from adapters.settings import Settings as PoolSettings
from adapters.settings import SettingsError, pool_settings
from bootstrap import Settings


def test_sqlite_urls_name_a_file_relative_or_absolute() -> None:
    assert parse_database_url("sqlite:///thucthi.db").path == "thucthi.db"
    assert parse_database_url("sqlite:////var/lib/thucthi.db").path == "/var/lib/thucthi.db"
    env = parse_database_url("sqlite:///x.db").eventsourcing_env()
    assert env["PERSISTENCE_MODULE"] == "eventsourcing.sqlite"
    assert env["SQLITE_DBNAME"] == "x.db"


def test_postgres_urls_map_onto_the_library_settings() -> None:
    db = parse_database_url("postgresql://thu%40c:p%2Fw@db.example:6543/city?schema=hcm")
    env = db.eventsourcing_env()
    assert env["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
    assert (env["POSTGRES_HOST"], env["POSTGRES_PORT"], env["POSTGRES_DBNAME"]) == (
        "db.example",
        "6543",
        "city",
    )
    assert (env["POSTGRES_USER"], env["POSTGRES_PASSWORD"]) == ("thu@c", "p/w")
    assert env["POSTGRES_SCHEMA"] == "hcm"
    assert "p/w" not in db.display
    assert "p%2Fw" not in db.display


def test_the_default_is_a_sqlite_file_in_the_working_folder() -> None:
    """The environment's URL, unless --db names another; a SQLite file when neither does."""
    assert Settings.from_env({}).database_url == "sqlite:///thucthi.db"
    given = {"THUCTHI_DATABASE_URL": "memory://"}
    assert Settings.from_env(given).database_url == "memory://"
    assert Settings.from_env(given, database_url="sqlite:///x.db").database_url == "sqlite:///x.db"


@pytest.mark.parametrize(
    "url",
    [
        "mysql://localhost/db",
        "sqlite://thucthi.db",
        "sqlite:///",
        "postgresql://localhost",
        "postgresql://host:notaport/db",
        "postgresql://host/db?sslmode=disable",
        "postgresql://host/db?schema=Bad-Name",
        "",
    ],
)
def test_malformed_urls_are_explained_in_one_line(url: str) -> None:
    with pytest.raises(DatabaseURLError) as raised:
        parse_database_url(url)
    assert "\n" not in str(raised.value)


def test_an_unreachable_server_is_one_line_not_a_traceback() -> None:
    database = parse_database_url("postgresql://postgres@127.0.0.1:1/nowhere")
    with pytest.raises(DatabaseUnavailableError, match="cannot reach") as raised:
        open_application(database)
    assert "\n" not in str(raised.value)


def test_a_sqlite_file_in_a_missing_folder_is_explained() -> None:
    database = parse_database_url("sqlite:////no/such/folder/thucthi.db")
    with pytest.raises(DatabaseUnavailableError, match="does not exist"):
        open_application(database)


def test_settings_come_from_the_environment_with_their_defaults() -> None:
    """Each THUCTHI_ setting is read as a positive number; anything else is refused by name."""
    assert PoolSettings.from_env({}) == PoolSettings()
    given = PoolSettings.from_env({"THUCTHI_DB_POOL_SIZE": "3", "THUCTHI_FOLLOWER_TIMEOUT": "2.5"})
    assert (given.pool_size, given.follower_timeout) == (3, 2.5)
    for wrong in ("0", "-1", "x", "1.5", "1e9"):
        with pytest.raises(SettingsError, match="THUCTHI_DB_POOL_SIZE"):
            PoolSettings.from_env({"THUCTHI_DB_POOL_SIZE": wrong})


def test_the_connection_budget_adds_up_each_process_from_the_settings() -> None:
    """A worker holds its pool, its advisory-lock pool, a listener and the connection its
    idempotency claims live by; a follower its pool and a listener; the default deployment
    stays far below PostgreSQL's 100."""
    settings = PoolSettings(pool_size=5, lock_pool_size=1, follower_pool_size=3)
    assert settings.connection_budget(workers=3, followers=2) == {
        "worker": 8,
        "follower": 4,
        "total": 3 * 8 + 2 * 4,
    }
    assert PoolSettings().connection_budget(workers=2, followers=2)["total"] <= 40
    assert pool_settings(8) == {"POSTGRES_POOL_SIZE": "2", "POSTGRES_MAX_OVERFLOW": "6"}
    assert pool_settings(1) == {"POSTGRES_POOL_SIZE": "1", "POSTGRES_MAX_OVERFLOW": "0"}


def test_the_personal_data_key_is_beside_the_signing_key_unless_set() -> None:
    """``THUCTHI_PERSONAL_DATA_KEY`` names the file; else it sits beside the signing key, out of
    the database's folder."""
    given = {"THUCTHI_SIGNING_KEY": "/etc/thucthi/signing-key.pem"}
    assert Settings.from_env(given).personal_data_key_path() == Path(
        "/etc/thucthi/personal-data.key"
    )
    given["THUCTHI_PERSONAL_DATA_KEY"] = "/srv/keys/pd.key"
    assert Settings.from_env(given).personal_data_key_path() == Path("/srv/keys/pd.key")
