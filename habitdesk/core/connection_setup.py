"""Setting up a shared PostgreSQL (e.g. Supabase): test it, migrate it, save it.

Used by the setup wizard; Qt-free. Every message is the core's specific one (habitdesk.core.db.
diagnose: wrong password, unknown host, refused port, missing database, …) and none contains the
password. Saving keeps the URLs without their password in the saved settings and the password
in the system keyring (habitdesk.core.secrets); where no keyring exists the password is known
for this run only and the app asks for it at each start.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import text

from habitdesk.core import secrets
from habitdesk.core.config import Settings, save_settings
from habitdesk.core.db.connect import migrate_in_worker
from habitdesk.core.db.database import Database, schema_problem
from habitdesk.core.db.diagnose import connection_error
from habitdesk.core.db.urls import Backend, DatabaseTarget, parse_database_url
from habitdesk.core.errors import DatabaseConnectionError, HabitDeskError, SchemaMismatchError

log = logging.getLogger(__name__)

# A connection test must answer before the person gives up on it (asyncpg waits 60 s).
CONNECT_TIMEOUT_S = 20.0
APPLY_HINT = "Click “Apply migrations” to set the tables up."


class SchemaStatus(StrEnum):
    UNKNOWN = "unknown"  # not checked (the connection failed)
    EMPTY = "empty"  # no HabitDesk tables yet
    BEHIND = "behind"
    CURRENT = "current"
    AHEAD = "ahead"  # set up by a newer HabitDesk


@dataclass(frozen=True)
class CheckLine:
    name: str
    ok: bool
    detail: str
    fix: str | None = None

    def __str__(self) -> str:
        mark = "✓" if self.ok else "✗"
        line = f"{mark} {self.name}: {self.detail}"
        return f"{line} — {self.fix}" if self.fix else line


@dataclass(frozen=True)
class ConnectionCheck:
    """What "Test connection" found, line by line, plus the facts the wizard acts on."""

    lines: tuple[CheckLine, ...]
    connected: bool = False
    server_version: str | None = None
    pooler: bool | None = None
    schema: SchemaStatus = SchemaStatus.UNKNOWN
    revision: str | None = None
    head: str | None = None
    direct_ok: bool | None = None  # None: no direct URL given

    @property
    def ok(self) -> bool:
        """Connected, schema current, nothing failed: the app can use this database."""
        return self.connected and self.schema is SchemaStatus.CURRENT and self.problems == ()

    @property
    def can_migrate(self) -> bool:
        """The schema is behind (or empty) and the URL used for migrations works."""
        return (
            self.connected
            and self.schema in (SchemaStatus.EMPTY, SchemaStatus.BEHIND)
            and self.direct_ok is not False
        )

    @property
    def problems(self) -> tuple[CheckLine, ...]:
        return tuple(line for line in self.lines if not line.ok)

    def describe(self) -> str:
        return "\n".join(str(line) for line in self.lines)


@dataclass(frozen=True)
class SavedConnection:
    database_url: str  # without the password
    direct_url: str | None  # without the password
    password_in_keyring: bool  # False: the app asks for it at each start


# --- URLs the user typed --------------------------------------------------------------------------


def combine_password(
    pooled_url: str, direct_url: str | None, password: str | None
) -> tuple[str, str | None]:
    """The URLs to connect with: a typed password fills in (or overrides) both URLs' password.

    Without a typed password, a direct URL that has none borrows the pooled URL's: Supabase
    uses one database password for both.
    """
    pooled = pooled_url.strip()
    direct = (direct_url or "").strip() or None
    if password:
        pooled = secrets.with_password(pooled, password)
        if direct is not None:
            direct = secrets.with_password(direct, password)
        return pooled, direct
    shared = secrets.url_password(pooled)
    if direct is not None and shared is not None and secrets.url_password(direct) is None:
        direct = secrets.with_password(direct, shared)
    return pooled, direct


def _parse(name: str, url: str, fix_hint: str) -> DatabaseTarget | CheckLine:
    try:
        target = parse_database_url(url)
    except HabitDeskError as exc:
        return CheckLine(name, False, exc.message, exc.hint or fix_hint)
    if target.backend is not Backend.POSTGRESQL:
        return CheckLine(
            name,
            False,
            "This is not a PostgreSQL URL.",
            "Paste the postgresql:// URL from your database settings, or keep the data on "
            "this computer instead.",
        )
    return target


def _scrub(line: CheckLine, passwords: set[str]) -> CheckLine:
    """Belt and braces: no line ever shows a password, whatever a driver put in its message."""

    def clean(value: str | None) -> str | None:
        if value is None:
            return None
        for password in passwords:
            # A one- or two-letter "password" would blot out ordinary words.
            if len(password) >= 4:
                value = value.replace(password, "•••")
        return value

    return CheckLine(line.name, line.ok, clean(line.detail) or "", clean(line.fix))


def _password_missing(url: str, error: HabitDeskError) -> HabitDeskError:
    if secrets.url_password(url) is None and "refused the password" in error.message:
        placeholder = secrets.has_placeholder_password(url)
        return DatabaseConnectionError(
            "The server asks for a password and none was given"
            + (" (the URL still shows [YOUR-PASSWORD])." if placeholder else "."),
            hint="Type the database password in the Password field.",
        )
    return error


async def _login(db: Database) -> str:
    async with db.read() as session:
        version = str(await session.scalar(text("SHOW server_version")))
    return "PostgreSQL " + version.split()[0]


async def _timed(db: Database) -> str:
    try:
        return await asyncio.wait_for(_login(db), CONNECT_TIMEOUT_S)
    except TimeoutError:
        port = f":{db.target.url.port}" if db.target.url.port else ""
        raise DatabaseConnectionError(
            f"The database server {db.target.url.host}{port} did not answer in time.",
            hint="Check that this computer is online and the host and port are right.",
        ) from None


# --- the checks ---------------------------------------------------------------------------------


async def check_connection(pooled_url: str, direct_url: str | None = None) -> ConnectionCheck:
    """Connect with the pooled URL (and the direct one when given) and report what was found.

    Never raises for a connection problem: each becomes a failed line with what to do.
    """
    passwords = {p for p in (secrets.url_password(u or "") for u in (pooled_url, direct_url)) if p}
    result = await _check(pooled_url.strip(), (direct_url or "").strip() or None)
    return ConnectionCheck(
        lines=tuple(_scrub(line, passwords) for line in result.lines),
        connected=result.connected,
        server_version=result.server_version,
        pooler=result.pooler,
        schema=result.schema,
        revision=result.revision,
        head=result.head,
        direct_ok=result.direct_ok,
    )


async def _check(pooled_url: str, direct_url: str | None) -> ConnectionCheck:
    lines: list[CheckLine] = []
    if not pooled_url:
        return ConnectionCheck(
            (
                CheckLine(
                    "Pooled URL",
                    False,
                    "The pooled URL is empty.",
                    "Paste the connection string your database provider shows (Supabase: "
                    "Connect → Transaction pooler, port 6543).",
                ),
            )
        )
    pooled = _parse("Pooled URL", pooled_url, "Paste it again as your provider shows it.")
    if isinstance(pooled, CheckLine):
        return ConnectionCheck((pooled,))
    direct: DatabaseTarget | None = None
    if direct_url is not None:
        parsed = _parse(
            "Direct URL", direct_url, "Paste the direct URL (port 5432) or leave it empty."
        )
        if isinstance(parsed, CheckLine):
            return ConnectionCheck((parsed,))
        direct = parsed

    db = Database(pooled)
    try:
        started = time.perf_counter()
        try:
            version = await _timed(db)
        except HabitDeskError as exc:
            problem = _password_missing(pooled_url, exc)
            lines.append(CheckLine("Connection", False, problem.message, problem.hint))
            return ConnectionCheck(tuple(lines))
        elapsed_ms = (time.perf_counter() - started) * 1000
        url = pooled.url
        lines.append(
            CheckLine(
                "Connection",
                True,
                f"connected to {url.host}:{url.port or secrets.DEFAULT_PORT}/{url.database} "
                f"as {url.username} in {elapsed_ms:.0f} ms",
            )
        )
        lines.append(CheckLine("Server", True, version))
        if pooled.pooler:
            pooler_detail = "transaction pooler detected (pgbouncer=true or port 6543)"
        else:
            pooler_detail = (
                "none detected: a direct connection (Supabase's pooled URL uses port 6543 "
                "and ?pgbouncer=true)"
            )
        lines.append(CheckLine("Pooler", True, pooler_detail))

        direct_ok: bool | None = None
        if direct is not None:
            direct_line = await _direct_check(direct, direct_url or "")
            direct_ok = direct_line.ok
            lines.append(direct_line)

        try:
            state = await db.schema_state()
        except HabitDeskError as exc:
            lines.append(CheckLine("Migrations", False, exc.message, exc.hint))
            return ConnectionCheck(tuple(lines), True, version, pooled.pooler, direct_ok=direct_ok)
        if state.is_current:
            schema = SchemaStatus.CURRENT
            lines.append(CheckLine("Migrations", True, f"up to date ({state.current})"))
        elif state.is_ahead:
            schema = SchemaStatus.AHEAD
            problem = schema_problem(state)
            lines.append(CheckLine("Migrations", False, problem.message, problem.hint))
        else:
            schema = SchemaStatus.EMPTY if state.is_empty else SchemaStatus.BEHIND
            problem = schema_problem(state)
            detail = problem.message
            if not state.is_empty:
                detail = f"{detail[:-1]} (at {state.current}, needs {state.head})."
            lines.append(CheckLine("Migrations", False, detail, APPLY_HINT))
        return ConnectionCheck(
            tuple(lines),
            connected=True,
            server_version=version,
            pooler=pooled.pooler,
            schema=schema,
            revision=state.current,
            head=state.head,
            direct_ok=direct_ok,
        )
    finally:
        await db.dispose()


async def _direct_check(target: DatabaseTarget, url: str) -> CheckLine:
    db = Database(target)
    try:
        await _timed(db)
    except HabitDeskError as exc:
        problem = _password_missing(url, exc)
        return CheckLine(
            "Direct URL", False, problem.message, problem.hint or "Fix the direct URL (port 5432)."
        )
    finally:
        await db.dispose()
    port = target.url.port or secrets.DEFAULT_PORT
    return CheckLine(
        "Direct URL", True, f"{target.url.host}:{port} reachable (used for migrations)"
    )


async def verify_login(url: str) -> None:
    """Log in once with `url`; raises DatabaseConnectionError with the specific message."""
    target = parse_database_url(url)
    db = Database(target)
    try:
        await _timed(db)
    except HabitDeskError as exc:
        raise _password_missing(url, exc) from None
    finally:
        await db.dispose()


# --- migrating ------------------------------------------------------------------------------------


async def apply_migrations(direct_or_pooled_url: str) -> str:
    """Bring the schema up to date; returns the revision it is at now.

    Pass the direct URL (port 5432) when there is one: DDL belongs on a direct connection.

    Alembic runs on a worker thread (see migrate_in_worker), so the window keeps painting.
    """
    target = parse_database_url(direct_or_pooled_url)
    try:
        return await migrate_in_worker(target) or ""
    except HabitDeskError:
        raise
    except Exception as exc:
        problem = connection_error(exc, target)
        if problem is not None:
            raise problem from None
        if "permission denied" in str(exc).lower():
            raise SchemaMismatchError(
                f"The user '{target.url.username}' may not create tables in "
                f"'{target.url.database}'.",
                hint="Use the direct URL of the database's owner (Supabase: the postgres user, "
                "port 5432).",
            ) from None
        log.error("applying migrations failed: %s", type(exc).__name__)
        raise SchemaMismatchError(
            "Applying the migrations failed.", hint="Details are in the log file."
        ) from None


# --- saving ---------------------------------------------------------------------------------------


def save_connection(pooled_url: str, direct_url: str | None = None) -> SavedConnection:
    """Remember a working connection: URLs without the password in the saved settings, the
    password in the system keyring (or, without one, in memory for this run only)."""
    in_keyring = True
    saved: list[str | None] = []
    for url in (pooled_url, direct_url):
        if not url or not url.strip():
            saved.append(None)
            continue
        password = secrets.url_password(url)
        bare = secrets.without_password(url)
        if password is not None:
            try:
                secrets.store_password(bare, password)
            except secrets.SecretStoreError:
                in_keyring = False
        saved.append(bare)
    save_settings({"database_url": saved[0], "direct_url": saved[1]})
    return SavedConnection(saved[0] or "", saved[1], in_keyring)


def save_local() -> None:
    """From now on, the embedded file on this computer (a saved shared URL is dropped)."""
    save_settings({"database_url": None, "direct_url": None})


def missing_password(settings: Settings) -> str | None:
    """The URL (password hidden) of a shared database the app cannot log in to without asking:
    saved without its password, and neither the keyring nor this run knows it. None otherwise."""
    if settings.database_url is None:
        return None
    raw = settings.database_url.get_secret_value()
    if not secrets.needs_password(raw):
        return None
    return secrets.without_password(raw)


def remember_start_password(settings: Settings, password: str) -> bool:
    """The password typed at start: known for this run, and kept in the keyring when one exists.

    Returns True when the keyring took it.
    """
    stored = True
    for value in (settings.database_url, settings.direct_url):
        if value is None:
            continue
        url = value.get_secret_value()
        if secrets.url_password(url) is not None:
            continue
        try:
            secrets.store_password(url, password)
        except secrets.SecretStoreError:
            stored = False
    return stored
