"""Setting up a shared PostgreSQL: test the connection, apply migrations, save it (real servers)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from keyring.backends import fail
from sqlalchemy.engine import make_url

from habitdesk.core import secrets
from habitdesk.core.appcore import AppCore
from habitdesk.core.config import load_settings
from habitdesk.core.connection_setup import (
    SchemaStatus,
    apply_migrations,
    check_connection,
    combine_password,
    missing_password,
    remember_start_password,
    save_connection,
    save_local,
    verify_login,
)
from habitdesk.core.db.schema_version import HEAD
from habitdesk.core.errors import DatabaseConnectionError
from tests.core.test_secrets import MemoryKeyring, files_containing, installed_keyring


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    with installed_keyring(MemoryKeyring()) as backend:
        assert isinstance(backend, MemoryKeyring)
        yield backend


@pytest.fixture
def no_keyring() -> Iterator[None]:
    with installed_keyring(fail.Keyring()):
        yield


@pytest.fixture
def fresh_db(pg_servers: Any) -> Iterator[str]:
    """The name of a new, empty database owned by the app's role."""
    name = f"setup_{uuid.uuid4().hex[:10]}"
    pg_servers.create_database(name, owner="habitdesk")
    yield name
    pg_servers.drop_database(name)


def _bare(url: str) -> str:
    return secrets.without_password(url)


# --- without a server -----------------------------------------------------------------------------


def test_typed_password_fills_both_urls() -> None:
    pooled, direct = combine_password(
        "postgresql://postgres.ref:[YOUR-PASSWORD]@pooler:6543/postgres?pgbouncer=true",
        "postgresql://postgres@db:5432/postgres",
        "p@ss",
    )
    assert make_url(pooled).password == "p@ss"
    assert make_url(direct or "").password == "p@ss"


def test_direct_url_borrows_the_pooled_password() -> None:
    _pooled, direct = combine_password(
        "postgresql://a:pw@pooler:6543/postgres", "postgresql://b@db:5432/postgres", ""
    )
    assert make_url(direct or "").password == "pw"
    assert combine_password("postgresql://a:pw@pooler:6543/postgres", "  ", None)[1] is None


async def test_an_empty_or_foreign_url_says_what_to_paste() -> None:
    check = await check_connection("")
    assert not check.connected and "pooled URL is empty" in check.describe()
    check = await check_connection("sqlite+aiosqlite:///x.sqlite3")
    assert "not a PostgreSQL URL" in check.describe()
    check = await check_connection("mysql://u:secret@h/db")
    assert "Unsupported database type" in check.describe()
    check = await check_connection("postgresql://u:secret@h:6543/db?sslmode=sometimes")
    assert "Unknown sslmode 'sometimes'" in check.describe()


# --- against PostgreSQL and PgBouncer -------------------------------------------------------------


async def test_a_new_database_is_behind_until_migrated(pg_servers: Any, fresh_db: str) -> None:
    pooled = pg_servers.url_for(fresh_db, pooled=True)
    direct = pg_servers.url_for(fresh_db)

    check = await check_connection(pooled, direct)
    assert check.connected and not check.ok
    assert check.schema is SchemaStatus.EMPTY and check.can_migrate
    assert check.pooler is True
    assert (check.server_version or "").startswith("PostgreSQL ")
    text = check.describe()
    assert "transaction pooler detected" in text
    assert "The database has no HabitDesk tables yet." in text
    assert "Apply migrations" in text
    assert "reachable (used for migrations)" in text
    assert pg_servers.password not in text

    assert await apply_migrations(direct) == HEAD

    check = await check_connection(pooled, direct)
    assert check.ok and check.schema is SchemaStatus.CURRENT
    assert f"up to date ({HEAD})" in check.describe()


async def test_wrong_password_gets_the_specific_message(pg_servers: Any, fresh_db: str) -> None:
    pooled = _bare(pg_servers.url_for(fresh_db, pooled=True))
    pooled, _ = combine_password(pooled, None, "not-the-password")
    check = await check_connection(pooled)
    assert not check.connected
    assert "refused the password for habitdesk" in check.describe()
    assert "Copy the password again" in check.describe()
    assert "not-the-password" not in check.describe()


async def test_no_password_says_so(pg_servers: Any, fresh_db: str, no_keyring: None) -> None:
    url = _bare(pg_servers.url_for(fresh_db, pooled=True)).replace(
        "habitdesk@", "habitdesk:[YOUR-PASSWORD]@"
    )
    check = await check_connection(url)
    assert "asks for a password and none was given" in check.describe()
    assert "[YOUR-PASSWORD]" in check.describe()
    with pytest.raises(DatabaseConnectionError, match="none was given"):
        await verify_login(_bare(url))


async def test_a_broken_direct_url_blocks_migrating(pg_servers: Any, fresh_db: str) -> None:
    pooled = pg_servers.url_for(fresh_db, pooled=True)
    direct = pg_servers.url_for("no_such_database")
    check = await check_connection(pooled, direct)
    assert check.connected and check.direct_ok is False and not check.can_migrate
    assert "The database 'no_such_database' does not exist" in check.describe()


async def test_migrating_a_missing_database_says_which(pg_servers: Any) -> None:
    with pytest.raises(DatabaseConnectionError, match="'no_such_database' does not exist"):
        await apply_migrations(pg_servers.url_for("no_such_database"))


async def test_saved_connection_keeps_the_password_in_the_keyring(
    pg_servers: Any, fresh_db: str, memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    pooled = pg_servers.url_for(fresh_db, pooled=True)
    direct = pg_servers.url_for(fresh_db)
    await apply_migrations(direct)

    saved = save_connection(pooled, direct)
    assert saved.password_in_keyring
    assert saved.database_url == _bare(pooled) and saved.direct_url == _bare(direct)
    stored = json.loads((tmp_path / "userdata" / "settings.json").read_text())
    assert stored == {"database_url": _bare(pooled), "direct_url": _bare(direct)}
    assert set(memory_keyring.entries.values()) == {pg_servers.password}
    assert files_containing(tmp_path, pg_servers.password) == []

    secrets.forget_session_passwords()  # a restart: the keyring alone knows the password
    settings = load_settings()
    assert missing_password(settings) is None
    core = await AppCore.open(settings)
    try:
        assert core.connection.kind == "shared" and core.connection.pooler
        assert await core.families.list_families() == []
    finally:
        await core.close()

    save_local()
    assert load_settings().uses_embedded_database


async def test_without_a_keyring_the_password_is_asked_at_each_start(
    pg_servers: Any, fresh_db: str, no_keyring: None, tmp_path: Path
) -> None:
    pooled = pg_servers.url_for(fresh_db, pooled=True)
    saved = save_connection(pooled, None)
    assert not saved.password_in_keyring
    assert files_containing(tmp_path, pg_servers.password) == []
    # This run can still connect: the password stays in memory.
    assert missing_password(load_settings()) is None

    secrets.forget_session_passwords()  # the next start
    settings = load_settings()
    shown = missing_password(settings)
    assert shown == _bare(pooled) and pg_servers.password not in shown
    assert not remember_start_password(settings, pg_servers.password)
    assert missing_password(settings) is None
    await verify_login(settings.runtime_url())
