"""Migrations create exactly the models' schema, and go up and down, on every backend."""

from __future__ import annotations

from sqlalchemy import inspect

from habitdesk.core.db import schema_version
from habitdesk.core.db.database import Database
from habitdesk.core.db.migrate import (
    compare_schema,
    downgrade,
    script_heads,
    script_revisions,
    upgrade,
)
from habitdesk.core.models import Base


def test_schema_version_constants_match_the_scripts() -> None:
    assert script_heads() == (schema_version.HEAD,)
    assert script_revisions() == set(schema_version.KNOWN_REVISIONS)


async def test_migrated_database_matches_the_models(database: Database) -> None:
    async with database.engine.connect() as conn:
        differences = await conn.run_sync(compare_schema)
    assert differences == []


async def test_downgrade_to_base_and_up_again(database: Database) -> None:
    state = await downgrade(database, "base")
    assert state.is_empty
    async with database.engine.connect() as conn:
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert tables <= {"alembic_version"}
    state = await upgrade(database)
    assert state.is_current
    async with database.engine.connect() as conn:
        tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    assert {t.name for t in Base.metadata.sorted_tables} <= tables
