"""`habitdesk doctor`: configuration, connection, server, pooler, migrations and pool, checked.

Each check yields a line; a failed one says what to do. Never prints the password.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from pydantic import ValidationError
from sqlalchemy import text

from habitdesk.core.config import Settings, load_settings
from habitdesk.core.db.connect import database_for
from habitdesk.core.db.database import Database, schema_problem
from habitdesk.core.db.urls import Backend
from habitdesk.core.errors import HabitDeskError


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str | None = None


@dataclass(frozen=True)
class DoctorReport:
    checks: tuple[Check, ...]

    @property
    def healthy(self) -> bool:
        return all(c.ok for c in self.checks)


def _problem(name: str, error: HabitDeskError) -> Check:
    return Check(name, False, error.message, error.hint)


async def run_doctor(settings: Settings | None = None, **overrides: object) -> DoctorReport:
    checks: list[Check] = []
    try:
        settings = settings or load_settings(**overrides)
    except ValidationError as exc:
        return DoctorReport(
            (
                Check(
                    "Configuration", False, str(exc).splitlines()[0], "Fix the setting named above."
                ),
            )
        )
    try:
        db = database_for(settings)
    except HabitDeskError as exc:
        return DoctorReport((_problem("Configuration", exc),))

    source = "embedded file" if settings.uses_embedded_database else "DATABASE_URL"
    checks.append(Check("Configuration", True, f"{db.target.display} ({source})"))
    try:
        await _connection_checks(db, settings, checks)
    finally:
        await db.dispose()
    return DoctorReport(tuple(checks))


async def _connection_checks(db: Database, settings: Settings, checks: list[Check]) -> None:
    started = time.perf_counter()
    try:
        async with db.read() as session:
            if db.backend is Backend.SQLITE:
                version = "SQLite " + str(await session.scalar(text("SELECT sqlite_version()")))
            else:
                version = str(await session.scalar(text("SHOW server_version")))
                version = "PostgreSQL " + version.split()[0]
    except HabitDeskError as exc:
        checks.append(_problem("Connection", exc))
        return
    elapsed_ms = (time.perf_counter() - started) * 1000
    checks.append(Check("Connection", True, f"connected in {elapsed_ms:.0f} ms"))
    checks.append(Check("Server", True, version))

    if db.backend is Backend.POSTGRESQL:
        if db.target.pooler:
            detail = "transaction pooler (pgbouncer=true or port 6543): statement caches off"
        else:
            detail = "none (direct connection)"
        checks.append(Check("Pooler", True, detail))
        if settings.direct_url is not None:
            checks.append(await _direct_url_check(settings))

    try:
        state = await db.schema_state()
    except HabitDeskError as exc:
        checks.append(_problem("Migrations", exc))
    else:
        if state.is_current:
            checks.append(Check("Migrations", True, f"up to date ({state.current})"))
        elif db.backend is Backend.SQLITE and state.is_empty:
            checks.append(Check("Migrations", True, "new embedded file: set up on first use"))
        else:
            problem = schema_problem(state)
            checks.append(
                Check(
                    "Migrations",
                    False,
                    f"{problem.message} (at {state.current}, app needs {state.head})",
                    problem.hint,
                )
            )
    checks.append(Check("Pool", True, db.engine.pool.status()))


async def _direct_url_check(settings: Settings) -> Check:
    direct = database_for(settings, for_migrations=True)
    try:
        async with direct.read() as session:
            await session.execute(text("SELECT 1"))
    except HabitDeskError as exc:
        return Check("Direct URL", False, exc.message, exc.hint or "Fix DIRECT_URL (port 5432).")
    finally:
        await direct.dispose()
    return Check("Direct URL", True, f"{direct.target.display} reachable (used for migrations)")
