"""Pasting a URL as Supabase shows it must just work."""

from __future__ import annotations

import ssl

import pytest

from habitdesk.core.db.urls import Backend, parse_database_url
from habitdesk.core.errors import InvalidInputError

SUPABASE_POOLED = (
    "postgresql://postgres.abcdefgh:s3cr%40t@aws-0-eu-central-1.pooler.supabase.com:6543/postgres"
    "?pgbouncer=true"
)


def test_supabase_pooled_url_is_translated_for_asyncpg() -> None:
    target = parse_database_url(SUPABASE_POOLED)
    assert target.backend is Backend.POSTGRESQL
    assert target.pooler
    assert target.url.drivername == "postgresql+asyncpg"
    assert dict(target.url.query) == {}  # asyncpg rejects pgbouncer=…
    assert target.url.password == "s3cr@t"
    assert target.connect_args == {"statement_cache_size": 0, "prepared_statement_cache_size": 0}


def test_password_is_hidden_in_display() -> None:
    target = parse_database_url(SUPABASE_POOLED)
    assert "s3cr" not in target.display
    assert "***" in target.display


def test_port_6543_means_pooler_even_without_flag() -> None:
    assert parse_database_url("postgresql://u:p@db.example.org:6543/postgres").pooler
    assert not parse_database_url("postgresql://u:p@db.example.org:5432/postgres").pooler


def test_pooler_setting_overrides_detection() -> None:
    assert parse_database_url("postgresql://u:p@h:5432/db", pooler=True).pooler
    assert not parse_database_url("postgresql://u:p@h:6543/db?pgbouncer=true", pooler=False).pooler


@pytest.mark.parametrize(
    "scheme", ["postgres", "postgresql", "postgresql+asyncpg", "postgresql+psycopg2"]
)
def test_any_postgres_scheme_uses_asyncpg(scheme: str) -> None:
    assert parse_database_url(f"{scheme}://u:p@h/db").url.drivername == "postgresql+asyncpg"


def test_sslmode_require_encrypts_without_verifying() -> None:
    target = parse_database_url("postgresql://u:p@h:5432/db?sslmode=require")
    context = target.connect_args["ssl"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_NONE
    assert dict(target.url.query) == {}


def test_sslmode_verify_full_checks_the_host() -> None:
    context = parse_database_url("postgresql://u:p@h/db?sslmode=verify-full").connect_args["ssl"]
    assert context.check_hostname and context.verify_mode == ssl.CERT_REQUIRED


def test_sslmode_disable_and_prefer() -> None:
    assert parse_database_url("postgresql://u:p@h/db?sslmode=disable").connect_args["ssl"] is False
    assert (
        parse_database_url("postgresql://u:p@h/db?sslmode=prefer").connect_args["ssl"] == "prefer"
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("", "The database URL is empty."),
        ("not a url", "not in a form HabitDesk understands"),
        ("mysql://u:p@h/db", "Unsupported database type 'mysql'"),
        ("postgresql:///db", "has no host name"),
        ("postgresql://u:p@h/db?sslmode=maybe", "Unknown sslmode 'maybe'"),
    ],
)
def test_bad_urls_get_a_specific_message(url: str, message: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        parse_database_url(url)
    assert message in str(caught.value)


def test_sqlite_url_uses_aiosqlite(tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = parse_database_url(f"sqlite:///{tmp_path}/x.db")
    assert target.backend is Backend.SQLITE
    assert target.url.drivername == "sqlite+aiosqlite"
    assert target.sqlite_path == tmp_path / "x.db"
