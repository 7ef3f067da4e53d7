"""Turning driver and pool failures into messages that say what is wrong and what to do.

The messages name the host and database, never the password.
"""

from __future__ import annotations

import socket
import ssl
from collections.abc import Iterator

from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from habitdesk.core.db.urls import Backend, DatabaseTarget
from habitdesk.core.errors import DatabaseConnectionError

# SQLSTATE codes (PostgreSQL, and PgBouncer which reuses them).
_INVALID_PASSWORD = "28P01"
_INVALID_AUTHORIZATION = "28000"
_INVALID_CATALOG = "3D000"
_TOO_MANY_CONNECTIONS = "53300"


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        current = (
            orig if isinstance(orig, BaseException) else (current.__cause__ or current.__context__)
        )


def _sqlstate(exc: BaseException) -> str | None:
    for link in _chain(exc):
        code = getattr(link, "sqlstate", None) or getattr(link, "pgcode", None)
        if isinstance(code, str):
            return code
    return None


def connection_error(exc: BaseException, target: DatabaseTarget) -> DatabaseConnectionError | None:
    """A DatabaseConnectionError for a failure to reach or log in; None for any other error."""
    where = _where(target)
    chain = list(_chain(exc))
    text = " ".join(str(link) for link in chain).lower()
    code = _sqlstate(exc)

    if any(isinstance(link, PoolTimeoutError) for link in chain):
        return DatabaseConnectionError(
            "All database connections are busy (the connection pool is exhausted).",
            hint="Wait a moment and try again; if it persists, close other HabitDesk windows "
            "or raise the pooler's pool size in your database settings.",
        )
    if (
        code == _INVALID_PASSWORD
        or "password authentication failed" in text
        # PgBouncer answers a wrong SCRAM password with a protocol error, not 28P01.
        or "sasl authentication failed" in text
    ):
        user = target.url.username or "the user"
        return DatabaseConnectionError(
            f"{where} refused the password for {user}.",
            hint="Copy the password again from your database settings (Supabase: Project "
            "Settings → Database) and retry.",
        )
    if code == _INVALID_AUTHORIZATION or ("role" in text and "does not exist" in text):
        return DatabaseConnectionError(
            f"{where} does not know the user '{target.url.username}'.",
            hint="Check the user name in the URL; Supabase's pooler wants postgres.<project-ref>.",
        )
    if (
        code == _INVALID_CATALOG
        or "no such database" in text
        or ("database" in text and "does not exist" in text)
    ):
        return DatabaseConnectionError(
            f"The database '{target.url.database}' does not exist on {target.url.host}.",
            hint="Check the database name at the end of the URL (Supabase uses 'postgres').",
        )
    if (
        code == _TOO_MANY_CONNECTIONS
        or "too many connections" in text
        or "no more connections" in text
    ):
        return DatabaseConnectionError(
            f"{where} has no free connections left.",
            hint="Use the pooled URL (port 6543) or close other apps using this database.",
        )
    if (
        any(isinstance(link, socket.gaierror) for link in chain)
        or "name or service not known" in text
    ):
        return DatabaseConnectionError(
            f"The database host '{target.url.host}' could not be found.",
            hint="Check the host name in the URL and that this computer is online.",
        )
    if (
        any(isinstance(link, ConnectionRefusedError) for link in chain)
        or "connection refused" in text
    ):
        return DatabaseConnectionError(
            f"{where} refused the connection.",
            hint="Check the port in the URL (6543 pooled, 5432 direct) and that the server runs.",
        )
    if any(isinstance(link, ssl.SSLError) for link in chain) or (
        "ssl" in text and "reject" in text
    ):
        return DatabaseConnectionError(
            f"The secure (TLS) connection to {where} failed.",
            hint="Check sslmode in the URL; Supabase needs sslmode=require.",
        )
    if any(isinstance(link, (TimeoutError, socket.timeout)) for link in chain):
        return DatabaseConnectionError(
            f"{where} did not answer in time.",
            hint="Check that this computer is online and the host and port are right.",
        )
    if target.backend is Backend.SQLITE and ("unable to open" in text or "readonly" in text):
        return DatabaseConnectionError(
            f"The database file {target.url.database} cannot be opened for writing.",
            hint="Check that the folder exists and you may write to it.",
        )
    if any(isinstance(link, (ConnectionError, OSError)) for link in chain) and not any(
        isinstance(link, ssl.SSLError) for link in chain
    ):
        return DatabaseConnectionError(
            f"The connection to {where} was lost.",
            hint="Check the network; your changes were not saved and can be made again.",
        )
    return None


def _where(target: DatabaseTarget) -> str:
    if target.backend is Backend.SQLITE:
        return "The database file"
    port = f":{target.url.port}" if target.url.port else ""
    return f"The database server {target.url.host}{port}"
