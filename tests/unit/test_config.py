"""Database URLs: what each backend becomes in eventsourcing's settings, and one-line errors."""

from __future__ import annotations

import pytest

from api.config import (
    DatabaseUnavailableError,
    DatabaseURLError,
    database_url_from_env,
    open_application,
    parse_database_url,
)


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
    assert database_url_from_env({}) == "sqlite:///thucthi.db"
    assert database_url_from_env({"THUCTHI_DATABASE_URL": "memory://"}) == "memory://"


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
