"""pytest fixtures around tests/support/pgservers.py.

``pg_servers`` (session scope): one private PostgreSQL + PgBouncer (transaction mode) pair for
the whole test session, started in a pytest temp dir and stopped at the end.

- HABITDESK_TEST_DIRECT_URL, HABITDESK_TEST_POOLED_URL and HABITDESK_TEST_SUPERUSER_DSN all
  set: those servers are used as they are (nothing is started or stopped).
- Binaries missing: the requesting tests are skipped with a reason saying how to install
  them -- except when the environment variable CI is non-empty: then they fail, because CI
  must never skip the PostgreSQL tests silently.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from .pgservers import (
    INSTALL_HINT,
    PgServers,
    PgServersError,
    missing_binaries,
)

__all__ = ["pg_servers", "skip_or_fail"]


def skip_or_fail(reason: str) -> None:
    """pytest.skip(reason), or pytest.fail(reason) when $CI is set to a non-empty value."""
    if os.environ.get("CI", "").strip():
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg_servers() -> Iterator[PgServers]:
    """A running PostgreSQL + PgBouncer pair: .direct_url, .pooled_url, .superuser_dsn, ..."""
    try:
        external = PgServers.from_env()
    except PgServersError as exc:
        pytest.fail(str(exc), pytrace=False)
    if external is not None:
        yield external
        return

    missing = missing_binaries()
    if missing:
        skip_or_fail(
            f"PostgreSQL/PgBouncer binaries not found: {', '.join(missing)}; {INSTALL_HINT}"
        )

    # The watchdog stops them even if this process dies without running the finalizer.
    # Not under pytest's basetemp: pytest resets its folders to 0700 whenever another pytest
    # session starts, which locks the postgres user out of its own data directory.
    base = Path(tempfile.mkdtemp(prefix="habitdesk-pg-"))
    servers = PgServers.start(base, stop_with_process=os.getpid())
    try:
        yield servers
    finally:
        servers.stop(remove_files=True)
