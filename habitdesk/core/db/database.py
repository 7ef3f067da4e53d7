"""`Database`: one engine, a session factory, and the one way services open a transaction."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from habitdesk.core.db import schema_version
from habitdesk.core.db.diagnose import connection_error
from habitdesk.core.db.engine import create_engine
from habitdesk.core.db.urls import Backend, DatabaseTarget, parse_database_url
from habitdesk.core.errors import ConflictError, HabitDeskError, SchemaMismatchError


@dataclass(frozen=True)
class SchemaState:
    current: str | None
    head: str

    @property
    def is_current(self) -> bool:
        return self.current == self.head

    @property
    def is_empty(self) -> bool:
        return self.current is None

    @property
    def is_ahead(self) -> bool:
        return self.current is not None and self.current not in schema_version.KNOWN_REVISIONS


class Database:
    def __init__(self, target: DatabaseTarget, *, echo: bool = False) -> None:
        self.target = target
        self.engine: AsyncEngine = create_engine(target, echo=echo)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @classmethod
    def from_url(cls, url: str, *, pooler: bool | None = None, echo: bool = False) -> Database:
        return cls(parse_database_url(url, pooler=pooler), echo=echo)

    @property
    def backend(self) -> Backend:
        return self.target.backend

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One session, one transaction: committed when the block ends, rolled back on error.

        Driver and pool errors become domain errors with a message for a person.
        """
        try:
            async with self.sessions() as session, session.begin():
                yield session
        except HabitDeskError:
            raise
        except StaleDataError:
            raise ConflictError(
                "Someone else changed this in the meantime.",
                hint="Reload to see their change, then try again.",
            ) from None
        except (OperationalError, DBAPIError, PoolTimeoutError, OSError) as exc:
            problem = connection_error(exc, self.target)
            if problem is None:
                raise
            raise problem from exc

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A read-only unit of work (still one transaction, for a consistent snapshot)."""
        async with self.transaction() as session:
            yield session

    async def schema_state(self) -> SchemaState:
        """One query: the Alembic revision the database is at (None when never migrated)."""
        try:
            async with self.transaction() as session:
                row = await session.execute(text("SELECT version_num FROM alembic_version"))
                current = row.scalar_one_or_none()
        except DBAPIError as exc:
            if not _is_missing_table(exc):
                raise
            current = None
        return SchemaState(current=current, head=schema_version.HEAD)

    async def require_current_schema(self) -> None:
        state = await self.schema_state()
        if state.is_current:
            return
        raise schema_problem(state)

    async def dispose(self) -> None:
        await self.engine.dispose()


def schema_problem(state: SchemaState) -> SchemaMismatchError:
    if state.is_ahead:
        return SchemaMismatchError(
            "The database was set up by a newer version of HabitDesk.",
            hint="Update HabitDesk on this computer to the latest version.",
        )
    what = (
        "has no HabitDesk tables yet" if state.is_empty else "is behind this version of HabitDesk"
    )
    return SchemaMismatchError(f"The database {what}.", hint="Run: habitdesk db upgrade")


def _is_missing_table(exc: Exception) -> bool:
    text_ = str(exc).lower()
    return "no such table" in text_ or "does not exist" in text_ or "undefinedtable" in text_
