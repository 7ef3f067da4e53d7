"""Alembic migrations, run programmatically over the app's own async engine.

Alembic is imported only here and only when a migration command actually runs: importing it
costs ≈0.25 s, which start-up must not pay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from habitdesk.core import paths
from habitdesk.core.db.database import Database, SchemaState

if TYPE_CHECKING:
    from alembic.config import Config


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(paths.migrations_dir()))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def _run(connection: Connection, action: str, revision: str) -> None:
    from alembic import command

    config = alembic_config(connection)
    if action == "upgrade":
        command.upgrade(config, revision)
    else:
        command.downgrade(config, revision)


async def upgrade(database: Database, revision: str = "head") -> SchemaState:
    async with database.engine.begin() as conn:
        await conn.run_sync(_run, "upgrade", revision)
    return await database.schema_state()


async def downgrade(database: Database, revision: str) -> SchemaState:
    async with database.engine.begin() as conn:
        await conn.run_sync(_run, "downgrade", revision)
    return await database.schema_state()


def script_heads() -> tuple[str, ...]:
    from alembic.script import ScriptDirectory

    return tuple(ScriptDirectory.from_config(alembic_config()).get_heads())


def script_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def compare_schema(connection: Connection) -> list[Any]:
    """Differences between the models and a database (empty when they match)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from habitdesk.core.db.migration_options import migration_options
    from habitdesk.core.models import Base

    context = MigrationContext.configure(connection, opts=migration_options(connection))
    return list(compare_metadata(context, Base.metadata))
