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
    assert env["PERSISTENCE_MODULE"] == "adapters.recorder:PostgresFactory"  # the library's, +
    assert (env["POSTGRES_HOST"], env["POSTGRES_PORT"], env["POSTGRES_DBNAME"]) == (
        "db.example",
        "6543",
        "city",
    )
    assert (env["POSTGRES_USER"], env["POSTGRES_PASSWORD"]) == ("thu@c", "p/w")
    assert env["POSTGRES_SCHEMA"] == "hcm"
    assert "p/w" not in db.display
    assert "p%2Fw" not in db.display


def test_a_url_may_name_several_hosts_and_ask_for_the_one_that_writes() -> None:
    """libpq's multi-host form: each connection tries the hosts in turn and keeps the primary,
    so the pools reach the new one after a failover (docs/deployment.md)."""
    db = parse_database_url(
        "postgresql://thucthi:secret@db1.example:5432,[::1]:6543,db3/city"
        "?target_session_attrs=read-write&sslmode=require&schema=hcm"
    )
    assert (db.host, db.port) == ("db1.example,::1,db3", "5432,6543,5432")
    assert db.options == (("target_session_attrs", "read-write"), ("sslmode", "require"))
    env = db.eventsourcing_env()
    assert (env["POSTGRES_HOST"], env["POSTGRES_PORT"]) == ("db1.example,::1,db3", "5432,6543,5432")
    assert env["POSTGRES_LIBPQ_OPTIONS"] == "target_session_attrs=read-write&sslmode=require"
    conninfo = db.conninfo()
    assert "target_session_attrs=read-write" in conninfo
    assert "sslmode=require" in conninfo
    assert db.display == (
        "postgresql://thucthi@db1.example:5432,[::1]:6543,db3:5432/city"
        "?target_session_attrs=read-write&sslmode=require&schema=hcm"
    )
    assert "secret" not in db.display


def test_standbys_for_reads_are_postgresql_urls_separated_by_spaces_or_commas() -> None:
    """A comma inside one URL's hosts separates hosts, not URLs."""
    given = {
        "THUCTHI_READ_DATABASE_URL": "postgresql://r1:5432,r2:5432/city,postgresql://r3/city "
        "postgres://r4/city",
        "THUCTHI_READ_WAIT": "0.5",
    }
    settings = Settings.from_env(given)
    assert settings.read_database_urls == (
        "postgresql://r1:5432,r2:5432/city",
        "postgresql://r3/city",
        "postgres://r4/city",
    )
    assert settings.read_wait == 0.5
    assert Settings.from_env({}).read_database_urls == ()
    for wrong in ("sqlite:///x.db", "postgresql://r1/city mysql://r2/city", "postgresql://"):
        with pytest.raises(SettingsError, match="THUCTHI_READ_DATABASE_URL"):
            Settings.from_env({"THUCTHI_READ_DATABASE_URL": wrong})
    with pytest.raises(SettingsError, match="THUCTHI_READ_WAIT"):
        Settings.from_env({"THUCTHI_READ_WAIT": "61"})


def test_the_size_of_a_new_logs_partitions_is_a_setting() -> None:
    assert Settings.from_env({}).log_partition_size == 10_000_000
    assert Settings.from_env({"THUCTHI_LOG_PARTITION_SIZE": "500"}).log_partition_size == 500
    with pytest.raises(SettingsError, match="THUCTHI_LOG_PARTITION_SIZE"):
        Settings.from_env({"THUCTHI_LOG_PARTITION_SIZE": "lots"})


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
        "postgresql://host/db?sslmode=sometimes",
        "postgresql://host/db?application_name=x",
        "postgresql://host:1,:2/db",
        "postgresql://host:1,other:99999/db",
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
