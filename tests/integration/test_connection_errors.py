"""Specific messages, each with what to do, for the ways a connection fails (real servers)."""

from __future__ import annotations

import asyncio
import socket
import uuid

import pytest
from sqlalchemy import text

from habitdesk.core.db.database import Database
from habitdesk.core.errors import DatabaseConnectionError
from habitdesk.core.services.people import UserService


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _connect_error(url: str) -> DatabaseConnectionError:
    db = Database.from_url(url)
    try:
        with pytest.raises(DatabaseConnectionError) as caught:
            async with db.read() as session:
                await session.execute(text("SELECT 1"))
        return caught.value
    finally:
        await db.dispose()


@pytest.mark.parametrize("via", ["direct", "pooled"])
async def test_wrong_password(pg_servers, via: str) -> None:  # type: ignore[no-untyped-def]
    url = pg_servers.direct_url if via == "direct" else pg_servers.pooled_url
    bad = url.replace(f":{pg_servers.password}@", ":not-the-password@")
    error = await _connect_error(bad)
    assert "refused the password for habitdesk" in error.message
    assert "Copy the password again" in (error.hint or "")
    assert "not-the-password" not in str(error)


@pytest.mark.parametrize("via", ["direct", "pooled"])
async def test_missing_database(pg_servers, via: str) -> None:  # type: ignore[no-untyped-def]
    url = pg_servers.url_for("no_such_db", pooled=via == "pooled")
    error = await _connect_error(url)
    assert "The database 'no_such_db' does not exist" in error.message
    assert pg_servers.password not in str(error)


async def test_connection_refused() -> None:
    error = await _connect_error(f"postgresql://u:secret@127.0.0.1:{_free_port()}/db")
    assert "refused the connection" in error.message
    assert "Check the port" in (error.hint or "")


async def test_unknown_host() -> None:
    error = await _connect_error("postgresql://u:secret@no-such-host.invalid:5432/db")
    assert "could not be found" in error.message
    assert "no-such-host.invalid" in error.message


async def test_pool_exhausted_says_so(pg_servers, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from habitdesk.core.db import engine as engine_module

    monkeypatch.setattr(engine_module, "POOL_SIZE", 1)
    monkeypatch.setattr(engine_module, "MAX_OVERFLOW", 0)
    monkeypatch.setattr(engine_module, "POOL_TIMEOUT_S", 0.2)
    db = Database.from_url(pg_servers.direct_url)
    try:
        release = asyncio.Event()
        holding = asyncio.Event()

        async def hold() -> None:
            async with db.read() as session:
                await session.execute(text("SELECT 1"))
                holding.set()
                await release.wait()

        holder = asyncio.create_task(hold())
        await holding.wait()
        with pytest.raises(DatabaseConnectionError, match="connection pool is exhausted"):
            async with db.read() as session:
                await session.execute(text("SELECT 1"))
        release.set()
        await holder
    finally:
        await db.dispose()


async def test_pooled_url_as_supabase_shows_it(pg_servers) -> None:  # type: ignore[no-untyped-def]
    """`?pgbouncer=true` and sslmode=disable in the query string are understood, not passed on."""
    url = pg_servers.pooled_url.replace("postgresql+asyncpg://", "postgresql://")
    url += "&sslmode=disable" if "?" in url else "?sslmode=disable"
    db = Database.from_url(url)
    try:
        assert db.target.pooler
        async with db.read() as session:
            assert await session.scalar(text("SELECT 1")) == 1
    finally:
        await db.dispose()


async def test_tls_requested_from_a_server_without_tls(pg_servers) -> None:  # type: ignore[no-untyped-def]
    error = await _connect_error(pg_servers.direct_url + "?sslmode=require")
    assert "TLS" in error.message or "secure" in error.message


async def test_twenty_clients_fifty_writes_each_through_the_pooler(pg_migrated) -> None:  # type: ignore[no-untyped-def]
    """Through PgBouncer in transaction mode: zero errors and every row present afterwards."""
    db = Database.from_url(pg_migrated.pooled_url)
    assert db.target.pooler
    users = UserService(db)
    tag = uuid.uuid4().hex[:8]
    try:

        async def client(n: int) -> None:
            for i in range(50):
                await users.create_user({"full_name": f"{tag} client {n} write {i}"})

        await asyncio.gather(*(client(n) for n in range(20)))
        async with db.read() as session:
            count = await session.scalar(
                text("SELECT count(*) FROM users WHERE full_name LIKE :p"), {"p": f"{tag} %"}
            )
        assert count == 1000
    finally:
        await db.dispose()
