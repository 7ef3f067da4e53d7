"""PostgreSQL + PgBouncer for the benchmarks, via tests/support/pgservers.py.

Servers described by HABITDESK_TEST_DIRECT_URL / _POOLED_URL / _SUPERUSER_DSN are used as they
are; otherwise a private pair is started in a temporary directory and stopped afterwards. Each
benchmark gets a fresh database on them, migrated through the direct URL (as the app does).
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if (
    str(ROOT) not in sys.path
):  # run as `python benchmarks/x.py`: make `habitdesk`, `tests` importable
    sys.path.insert(0, str(ROOT))

from habitdesk.core.db.database import Database  # noqa: E402
from habitdesk.core.db.migrate import upgrade  # noqa: E402
from tests.support.pgservers import (  # noqa: E402
    INSTALL_HINT,
    PgServers,
    PgServersError,
    missing_binaries,
)


@dataclass(frozen=True)
class Urls:
    direct_url: str
    pooled_url: str


@contextmanager
def pg_servers() -> Iterator[PgServers | None]:
    """Running servers, or None after printing why there are none (the caller skips PG)."""
    try:
        external = PgServers.from_env()
    except PgServersError as exc:
        print(f"PostgreSQL part skipped: {exc}")
        yield None
        return
    if external is not None:
        yield external
        return
    missing = missing_binaries()
    if missing:
        print(f"PostgreSQL part skipped: not installed: {', '.join(missing)}; {INSTALL_HINT}")
        yield None
        return
    base = Path(tempfile.mkdtemp(prefix="habitdesk-bench-"))
    try:
        servers = PgServers.start(base)
    except PgServersError as exc:
        print(f"PostgreSQL part skipped: the servers did not start: {exc}")
        shutil.rmtree(base, ignore_errors=True)
        yield None
        return
    try:
        yield servers
    finally:
        try:
            servers.stop(remove_files=True)
        finally:
            shutil.rmtree(base, ignore_errors=True)


@asynccontextmanager
async def fresh_database(servers: PgServers, name: str) -> AsyncIterator[Urls]:
    """An empty database `name`, migrated to head; dropped afterwards."""
    servers.drop_database(name)
    servers.create_database(name)
    try:
        db = Database.from_url(servers.url_for(name))
        try:
            await upgrade(db)
        finally:
            await db.dispose()
        yield Urls(servers.url_for(name), servers.url_for(name, pooled=True))
    finally:
        servers.drop_database(name)


async def _superuser(servers: PgServers, *statements: str) -> list[object]:
    import asyncpg

    conn = await asyncpg.connect(servers.superuser_dsn, statement_cache_size=0)
    try:
        return [await conn.fetchval(sql) for sql in statements]
    finally:
        await conn.close()


async def server_settings(servers: PgServers) -> str:
    """Versions and the durability settings, which change the figures a lot."""
    version, fsync, sync_commit = await _superuser(
        servers, "SHOW server_version", "SHOW fsync", "SHOW synchronous_commit"
    )
    pgbouncer = servers.pgbouncer_version or "PgBouncer (external)"
    return (
        f"PostgreSQL {version}, {pgbouncer} (transaction mode); "
        f"fsync={fsync}, synchronous_commit={sync_commit}"
    )


async def make_durable(servers: PgServers) -> bool:
    """Turn crash safety back on (the test servers run with fsync off for speed).

    Only on servers started here: external ones are someone else's to configure.
    """
    if servers.external:
        print("--durable ignored: these servers were started elsewhere (HABITDESK_TEST_*)")
        return False
    await _superuser(
        servers,
        "ALTER SYSTEM SET fsync = on",
        "ALTER SYSTEM SET synchronous_commit = on",
        "ALTER SYSTEM SET full_page_writes = on",
        "SELECT pg_reload_conf()",
    )
    await asyncio.sleep(0.5)  # the postmaster signals its children; give them a moment
    return True
