"""Opening the configured database the way the app and the commands do.

The embedded SQLite file is created and migrated on first use. A shared PostgreSQL is never
migrated behind the user's back: a schema that is behind raises SchemaMismatchError telling the
user to run `habitdesk db upgrade`.
"""

from __future__ import annotations

import asyncio

from habitdesk.core.config import Settings
from habitdesk.core.db.database import Database, schema_problem
from habitdesk.core.db.urls import Backend, DatabaseTarget, parse_database_url


def database_for(settings: Settings, *, for_migrations: bool = False) -> Database:
    url = settings.migration_url() if for_migrations else settings.runtime_url()
    target = parse_database_url(url, pooler=None if for_migrations else settings.pooler)
    return Database(target, echo=settings.sql_echo)


async def open_database(settings: Settings) -> Database:
    """A Database ready for services, or a SchemaMismatchError/DatabaseConnectionError."""
    db = database_for(settings)
    try:
        state = await db.schema_state()
        if state.is_current:
            return db
        if db.backend is Backend.SQLITE and not state.is_ahead:
            await migrate_in_worker(db.target)
            return db
        raise schema_problem(state)
    except BaseException:
        await db.dispose()
        raise


async def migrate_in_worker(target: DatabaseTarget) -> str | None:
    """Upgrade to head on a worker thread with an engine and event loop of its own.

    Importing Alembic (≈0.25 s) and running DDL are synchronous work; on the app's loop they
    would freeze the window on the first start. Returns the revision the database is at now.
    """

    async def run() -> str | None:
        from habitdesk.core.db.migrate import upgrade

        worker_db = Database(target)
        try:
            return (await upgrade(worker_db)).current
        finally:
            await worker_db.dispose()

    return await asyncio.to_thread(asyncio.run, run())
