"""Shared fixtures: a migrated database per test on SQLite, PostgreSQL, and PostgreSQL via PgBouncer.

Service tests take the `database` fixture and so run on all three backends. PostgreSQL and PgBouncer
are real servers started once per session by tests/support/pgservers.py.
"""

from __future__ import annotations

import asyncio
import importlib.abc
import os
import shutil
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest


class _BlockQt(importlib.abc.MetaPathFinder):
    """With HABITDESK_BLOCK_QT=1 the core is tested as if PySide6 were not installed."""

    BLOCKED = ("PySide6", "shiboken6", "qasync")

    def find_spec(self, fullname, path, target=None):  # type: ignore[no-untyped-def]
        if fullname.split(".")[0] in self.BLOCKED:
            raise ModuleNotFoundError(f"No module named '{fullname}' (blocked for this run)")
        return None


if os.environ.get("HABITDESK_BLOCK_QT"):
    sys.meta_path.insert(0, _BlockQt())

from habitdesk.core.db.database import Database  # noqa: E402
from habitdesk.core.db.migrate import upgrade  # noqa: E402
from habitdesk.core.models import Base  # noqa: E402

pytest_plugins = ["tests.support.fixtures"]

BACKENDS = ("sqlite", "postgres", "pgbouncer")


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the real user's data folder or environment."""
    monkeypatch.setenv("HABITDESK_DATA_DIR", str(tmp_path / "userdata"))
    for name in ("DATABASE_URL", "DIRECT_URL", "HABITDESK_POOLER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; each test gets a copy (migrating per test would cost ≈0.3 s)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.sqlite3"

    async def build() -> None:
        db = Database.from_url(f"sqlite+aiosqlite:///{path}")
        await upgrade(db)
        await db.dispose()

    asyncio.run(build())
    return path


@pytest.fixture(scope="session")
def pg_migrated(pg_servers) -> object:  # type: ignore[no-untyped-def]
    async def build() -> None:
        db = Database.from_url(pg_servers.direct_url)
        await upgrade(db)
        await db.dispose()

    asyncio.run(build())
    return pg_servers


async def _truncate_all(direct_url: str) -> None:
    db = Database.from_url(direct_url)
    try:
        names = ", ".join(t.name for t in Base.metadata.sorted_tables)
        async with db.engine.begin() as conn:
            await conn.exec_driver_sql(f"TRUNCATE {names} CASCADE")
    finally:
        await db.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty, migrated database on the requested backend."""
    if backend == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    servers = request.getfixturevalue("pg_migrated")
    asyncio.run(_truncate_all(servers.direct_url))
    yield servers.direct_url if backend == "postgres" else servers.pooled_url


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database.from_url(database_url)
    try:
        yield db
    finally:
        await db.dispose()
