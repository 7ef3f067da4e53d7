"""A private, real PostgreSQL server plus a real PgBouncer (transaction mode) for tests.

Plain Python (no pytest): used by ``tests/support/fixtures.py`` and by benchmarks.

    servers = PgServers.start(Path("/tmp/somewhere"))
    try:
        ...  # servers.direct_url, servers.pooled_url, servers.superuser_dsn
    finally:
        servers.stop()

From a shell (benchmarks)::

    python -m tests.support.pgservers up DIR     # starts both, writes DIR/servers.env
    python -m tests.support.pgservers down DIR   # stops both (keeps the files)

Layout of ``base_dir``::

    data/              the cluster (PGDATA)
    sock/              unix sockets of both servers
    postgresql.log     server log
    pgbouncer/         pgbouncer.ini, userlist.txt, pgbouncer.log, pgbouncer.pid
    pgservers.json     state, so that another process can ``stop`` them
    servers.env        (only written by ``up``)

When running as root, the server processes run as the ``postgres`` OS user (initdb, postgres
and pgbouncer all refuse root): ``base_dir`` is chowned to it and its parent directories get
the search (``x``) bit for it when they lack one.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import contextlib
import dataclasses
import glob
import json
import os
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Coroutine, Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

__all__ = [
    "APP_DATABASE",
    "APP_ROLE",
    "ENV_DIRECT_URL",
    "ENV_POOLED_URL",
    "ENV_SUPERUSER_DSN",
    "INSTALL_HINT",
    "SUPERUSER",
    "BinariesNotFoundError",
    "PgServers",
    "PgServersError",
    "find_pg_bindir",
    "find_pgbouncer",
    "missing_binaries",
    "start_servers",
    "stop_servers",
]

APP_ROLE = "habitdesk"
APP_DATABASE = "habitdesk"
SUPERUSER = "postgres"
HOST = "127.0.0.1"

ENV_DIRECT_URL = "HABITDESK_TEST_DIRECT_URL"
ENV_POOLED_URL = "HABITDESK_TEST_POOLED_URL"
ENV_SUPERUSER_DSN = "HABITDESK_TEST_SUPERUSER_DSN"

STATE_FILE = "pgservers.json"
ENV_FILE = "servers.env"

INSTALL_HINT = (
    "install them with `apt-get install postgresql pgbouncer` (Debian/Ubuntu; `./dev test` "
    "does it when run as root), `dnf install postgresql-server pgbouncer` (Fedora) or "
    "`brew install postgresql@16 pgbouncer` (macOS); or point HABITDESK_PG_BINDIR at the "
    "directory holding initdb/pg_ctl/postgres and HABITDESK_PGBOUNCER at the pgbouncer binary; "
    f"or set {ENV_DIRECT_URL}, {ENV_POOLED_URL} and {ENV_SUPERUSER_DSN} to use running servers"
)

# Ports that a developer's own servers (PostgreSQL, PgBouncer, Supabase's pooler) may hold.
_AVOID_PORTS = frozenset({5432, 5433, 6432, 6543})
_PG_TOOLS = ("initdb", "pg_ctl", "postgres")
_SERVICE_USER = "postgres"
# sockaddr_un.sun_path is 108 bytes on Linux (104 on macOS); keep a margin.
_MAX_SOCKET_PATH = 100
_LOG_TAIL_LINES = 40


class PgServersError(RuntimeError):
    """The servers could not be started or stopped."""


class BinariesNotFoundError(PgServersError):
    """initdb/pg_ctl/postgres or pgbouncer are not installed."""


# --------------------------------------------------------------------------- binaries


def _is_exe(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def _has_pg_tools(bindir: Path) -> bool:
    return all(_is_exe(bindir / tool) for tool in _PG_TOOLS)


def _version_key(path: Path) -> tuple[int, ...]:
    # /usr/lib/postgresql/<ver>/bin, /opt/homebrew/opt/postgresql@<ver>/bin
    match = re.search(r"(\d+(?:\.\d+)*)", path.parent.name)
    return tuple(int(p) for p in match.group(1).split(".")) if match else (0,)


def _pg_bindir_candidates() -> Iterator[Path]:
    override = os.environ.get("HABITDESK_PG_BINDIR")
    if override:
        yield Path(override)
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, timeout=10, check=True
            ).stdout.strip()
            if out:
                yield Path(out)
    for pattern in (
        "/usr/lib/postgresql/*/bin",  # Debian/Ubuntu
        "/usr/pgsql-*/bin",  # PGDG RPMs
        "/opt/homebrew/opt/postgresql@*/bin",  # Homebrew (Apple silicon)
        "/usr/local/opt/postgresql@*/bin",  # Homebrew (Intel)
        "/Applications/Postgres.app/Contents/Versions/*/bin",
    ):
        yield from sorted((Path(p) for p in glob.glob(pattern)), key=_version_key, reverse=True)
    # Last: PATH. /usr/local/bin may hold stray initdb/pg_ctl copies without a `postgres`
    # next to them; such directories are rejected because all three tools must sit together.
    for tool in ("postgres", "pg_ctl", "initdb"):
        found = shutil.which(tool)
        if found:
            yield Path(found).resolve().parent
    for fixed in ("/usr/bin", "/usr/local/bin"):
        yield Path(fixed)


def find_pg_bindir() -> Path | None:
    """The directory holding initdb, pg_ctl and postgres (newest version first), or None."""
    for candidate in _pg_bindir_candidates():
        if _has_pg_tools(candidate):
            return candidate
    return None


def find_pgbouncer() -> Path | None:
    """The pgbouncer executable, or None. Debian installs it in /usr/sbin (often not on PATH)."""
    override = os.environ.get("HABITDESK_PGBOUNCER")
    candidates: list[Path] = [Path(override)] if override else []
    found = shutil.which("pgbouncer")
    if found:
        candidates.append(Path(found))
    candidates += [
        Path(p)
        for p in (
            "/usr/sbin/pgbouncer",
            "/usr/bin/pgbouncer",
            "/usr/local/sbin/pgbouncer",
            "/usr/local/bin/pgbouncer",
            "/opt/homebrew/bin/pgbouncer",
        )
    ]
    return next((c for c in candidates if _is_exe(c)), None)


def missing_binaries() -> list[str]:
    """Human-readable names of what is missing; empty when everything is there."""
    missing = []
    if find_pg_bindir() is None:
        missing.append("PostgreSQL server (initdb, pg_ctl, postgres)")
    if find_pgbouncer() is None:
        missing.append("pgbouncer")
    return missing


# --------------------------------------------------------------------------- helpers


@dataclasses.dataclass(frozen=True)
class _RunAs:
    """Whom the server processes run as: None = the current user."""

    user: str | None
    uid: int
    gid: int

    @classmethod
    def detect(cls) -> _RunAs:
        if os.geteuid() != 0:
            return cls(None, os.geteuid(), os.getegid())
        import pwd

        try:
            entry = pwd.getpwnam(_SERVICE_USER)
        except KeyError:
            raise PgServersError(
                f"running as root, but there is no {_SERVICE_USER!r} OS user to run PostgreSQL "
                "and PgBouncer as (both refuse to run as root); install the postgresql package "
                f"or create the user (useradd --system {_SERVICE_USER})"
            ) from None
        return cls(entry.pw_name, entry.pw_uid, entry.pw_gid)

    def popen_kwargs(self) -> dict[str, Any]:
        if self.user is None:
            return {}
        return {"user": self.uid, "group": self.gid, "extra_groups": []}

    def groups(self) -> set[int]:
        if self.user is None:
            return set(os.getgroups()) | {self.gid}
        return set(os.getgrouplist(self.user, self.gid))

    def chown(self, path: Path) -> None:
        if self.user is not None:
            os.chown(path, self.uid, self.gid)


def _child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for server processes: no stray PG* settings, English messages."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"
    env["LANG"] = "C"
    if extra:
        env.update(extra)
    return env


def _tail(path: Path, lines: int = _LOG_TAIL_LINES, start: int = 0) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(start)
            data = fh.read().decode("utf-8", "replace")
    except OSError as exc:
        return f"    (cannot read {path}: {exc})"
    text = "\n".join(data.splitlines()[-lines:])
    return "\n".join("    " + line for line in text.splitlines()) or "    (empty)"


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _free_ports(count: int) -> list[int]:
    """Distinct free TCP ports on 127.0.0.1 (never the usual PostgreSQL/pooler ports)."""
    held: list[socket.socket] = []
    ports: list[int] = []
    try:
        while len(ports) < count:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.bind((HOST, 0))
            held.append(sock)
            port = sock.getsockname()[1]
            if port not in _AVOID_PORTS and port not in ports:
                ports.append(port)
    finally:
        for sock in held:
            sock.close()
    return ports


def _port_open(port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=timeout):
            return True
    except OSError:
        return False


def _run_coro(factory: Callable[[], Coroutine[Any, Any, Any]]) -> Any:
    """Run a coroutine to completion, also when called from inside a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(factory())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(factory())).result()


def _query(dsn: str, *statements: str, timeout: float = 10.0) -> list[Any]:
    """Run statements one by one (so CREATE DATABASE works); return each one's first value."""
    import asyncpg

    async def run() -> list[Any]:
        conn = await asyncpg.connect(dsn, timeout=timeout, statement_cache_size=0)
        try:
            return [await conn.fetchval(sql, timeout=timeout) for sql in statements]
        finally:
            await conn.close(timeout=timeout)

    return list(_run_coro(run))


def _sql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


_IDENT_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _ident(name: str) -> str:
    if not _IDENT_RE.match(name):
        raise ValueError(f"not a plain lower-case SQL identifier: {name!r}")
    return '"' + name + '"'


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (our own un-reaped child) counts as dead.
    with contextlib.suppress(OSError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        if fields and fields[0] == "Z":
            return False
    return True


def _read_pid(pidfile: Path) -> int | None:
    try:
        return int(pidfile.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _grant_traverse(path: Path, run_as: _RunAs) -> list[Path]:
    """Give run_as the search bit on path and its ancestors where it lacks one."""
    changed: list[Path] = []
    if run_as.user is None:
        return changed
    groups = run_as.groups()
    for directory in [path, *path.parents]:
        st = directory.stat()
        if st.st_uid == run_as.uid:
            bit = stat.S_IXUSR
        elif st.st_gid in groups:
            bit = stat.S_IXGRP
        else:
            bit = stat.S_IXOTH
        if not st.st_mode & bit:
            os.chmod(directory, stat.S_IMODE(st.st_mode) | bit)
            changed.append(directory)
    return changed


# --------------------------------------------------------------------------- the servers


@dataclasses.dataclass
class PgServers:
    """A running PostgreSQL + PgBouncer pair (or, ``external``, servers started elsewhere)."""

    host: str
    port: int
    pgbouncer_port: int
    password: str  # of the `habitdesk` login role
    superuser_password: str
    pg_version: str = ""
    pgbouncer_version: str = ""
    role: str = APP_ROLE
    database: str = APP_DATABASE
    superuser: str = SUPERUSER
    base_dir: Path | None = None
    bindir: Path | None = None
    pgbouncer_bin: Path | None = None
    socket_dir: Path | None = None
    socket_dir_is_temp: bool = False
    run_as_user: str | None = None
    startup_seconds: float = 0.0
    external: bool = False
    _superuser_dsn_override: str | None = dataclasses.field(default=None, repr=False)
    _direct_url_override: str | None = dataclasses.field(default=None, repr=False)
    _pooled_url_override: str | None = dataclasses.field(default=None, repr=False)
    _watchdog: subprocess.Popen[bytes] | None = dataclasses.field(
        default=None, repr=False, compare=False
    )

    # ------------------------------------------------------------------ URLs / DSNs

    @property
    def direct_url(self) -> str:
        """SQLAlchemy URL straight to PostgreSQL, as the `habitdesk` role."""
        return self.url_for(self.database)

    @property
    def pooled_url(self) -> str:
        """SQLAlchemy URL through PgBouncer (transaction mode), shaped like a Supabase pooled URL."""
        return self.url_for(self.database, pooled=True)

    @property
    def direct_dsn(self) -> str:
        """Plain libpq/asyncpg DSN straight to PostgreSQL, as the `habitdesk` role."""
        return self.dsn_for(self.database)

    @property
    def pooled_dsn(self) -> str:
        """Plain libpq/asyncpg DSN through PgBouncer (no `pgbouncer=true`: asyncpg rejects it)."""
        return self.dsn_for(self.database, pooled=True)

    @property
    def superuser_dsn(self) -> str:
        """Plain DSN of a superuser, direct to PostgreSQL (CREATE DATABASE etc.)."""
        if self._superuser_dsn_override:
            return self._superuser_dsn_override
        return (
            f"postgresql://{self.superuser}:{self.superuser_password}"
            f"@{self.host}:{self.port}/postgres"
        )

    def dsn_for(self, database: str, *, pooled: bool = False) -> str:
        """Plain libpq/asyncpg DSN (no driver suffix, no `pgbouncer=true`) for a database."""
        parts = urlsplit(self.url_for(database, pooled=pooled))
        query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k != "pgbouncer"])
        return urlunsplit(parts._replace(scheme="postgresql", query=query))

    def url_for(self, database: str, *, pooled: bool = False) -> str:
        """SQLAlchemy asyncpg URL for another database (PgBouncer serves any database name)."""
        override = self._pooled_url_override if pooled else self._direct_url_override
        if override:  # external servers: keep their host, user, query; swap the database
            return urlunsplit(urlsplit(override)._replace(path="/" + database))
        port = self.pgbouncer_port if pooled else self.port
        url = f"postgresql+asyncpg://{self.role}:{self.password}@{self.host}:{port}/{database}"
        return url + "?pgbouncer=true" if pooled else url

    def env(self) -> dict[str, str]:
        return {
            ENV_DIRECT_URL: self.direct_url,
            ENV_POOLED_URL: self.pooled_url,
            ENV_SUPERUSER_DSN: self.superuser_dsn,
        }

    # ------------------------------------------------------------------ admin helpers

    def create_database(self, name: str, *, owner: str | None = None) -> None:
        """CREATE DATABASE name OWNER owner (default: the habitdesk role)."""
        _query(
            self.superuser_dsn,
            f"CREATE DATABASE {_ident(name)} OWNER {_ident(owner or self.role)}",
        )

    def drop_database(self, name: str) -> None:
        """DROP DATABASE IF EXISTS name WITH (FORCE): also closes PgBouncer's server links."""
        _query(self.superuser_dsn, f"DROP DATABASE IF EXISTS {_ident(name)} WITH (FORCE)")

    # ------------------------------------------------------------------ paths

    def _path(self, *parts: str) -> Path:
        if self.base_dir is None:
            raise PgServersError("these servers were not started here (external)")
        return self.base_dir.joinpath(*parts)

    @property
    def data_dir(self) -> Path:
        return self._path("data")

    @property
    def postgres_log(self) -> Path:
        return self._path("postgresql.log")

    @property
    def pgbouncer_dir(self) -> Path:
        return self._path("pgbouncer")

    @property
    def pgbouncer_log(self) -> Path:
        return self._path("pgbouncer", "pgbouncer.log")

    @property
    def pgbouncer_pidfile(self) -> Path:
        return self._path("pgbouncer", "pgbouncer.pid")

    # ------------------------------------------------------------------ start

    @classmethod
    def start(
        cls, base_dir: Path, *, timeout: float = 60.0, stop_with_process: int | None = None
    ) -> PgServers:
        """initdb a fresh cluster in base_dir, start PostgreSQL and PgBouncer, wait for both.

        stop_with_process: a pid (e.g. os.getpid()); a small watchdog process stops the servers
        once that process is gone, even when it was killed before it could call stop().
        """
        started = time.monotonic()
        bindir = find_pg_bindir()
        pgbouncer = find_pgbouncer()
        if bindir is None or pgbouncer is None:
            raise BinariesNotFoundError(
                "PostgreSQL/PgBouncer binaries not found: "
                + ", ".join(missing_binaries())
                + "; "
                + INSTALL_HINT
            )
        run_as = _RunAs.detect()
        base_dir = Path(base_dir).absolute()
        base_dir.mkdir(parents=True, exist_ok=True)
        if (base_dir / "data").exists() or (base_dir / STATE_FILE).exists():
            raise PgServersError(f"{base_dir} already holds a cluster; pick an empty directory")

        socket_dir = base_dir / "sock"
        socket_dir_is_temp = False
        if len(str(socket_dir)) + len("/.s.PGSQL.65535") > _MAX_SOCKET_PATH:
            socket_dir = Path(tempfile.mkdtemp(prefix="hdpg-"))
            socket_dir_is_temp = True
        else:
            socket_dir.mkdir()
        (base_dir / "pgbouncer").mkdir()
        for path in (base_dir, socket_dir, base_dir / "pgbouncer"):
            run_as.chown(path)
        changed = _grant_traverse(base_dir, run_as)
        changed += _grant_traverse(socket_dir, run_as) if socket_dir_is_temp else []
        outside = [str(p) for p in changed if p != base_dir]
        if outside:
            print(
                f"pgservers: gave {run_as.user!r} the search (x) permission on: "
                + ", ".join(outside),
                file=sys.stderr,
            )

        servers = cls(
            host=HOST,
            port=0,
            pgbouncer_port=0,
            password=secrets.token_urlsafe(24),
            superuser_password=secrets.token_urlsafe(24),
            base_dir=base_dir,
            bindir=bindir,
            pgbouncer_bin=pgbouncer,
            socket_dir=socket_dir,
            socket_dir_is_temp=socket_dir_is_temp,
            run_as_user=run_as.user,
        )
        deadline = time.monotonic() + timeout
        try:
            servers._initdb(run_as)
            servers._start_postgres(run_as, deadline)
            servers._create_app_role()
            servers._start_pgbouncer(run_as, deadline)
        except BaseException:
            with contextlib.suppress(Exception):
                servers.stop()
            raise
        servers.startup_seconds = round(time.monotonic() - started, 2)
        servers._save_state()
        if stop_with_process is not None:
            servers._start_watchdog(stop_with_process)
        return servers

    def _run(
        self, run_as: _RunAs, cmd: Sequence[str | Path], *, timeout: float, what: str
    ) -> subprocess.CompletedProcess[str]:
        try:
            proc = subprocess.run(
                [str(c) for c in cmd],
                cwd=self.base_dir,
                env=_child_env(),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
                **run_as.popen_kwargs(),
            )
        except subprocess.TimeoutExpired as exc:
            raise PgServersError(f"{what} timed out after {timeout:.0f}s: {exc}") from exc
        return proc

    def _initdb(self, run_as: _RunAs) -> None:
        assert self.bindir is not None and self.socket_dir is not None
        pwfile = self._path("superuser.pw")
        pwfile.write_text(self.superuser_password + "\n")
        os.chmod(pwfile, 0o600)
        run_as.chown(pwfile)
        try:
            proc = self._run(
                run_as,
                [
                    self.bindir / "initdb",
                    "--pgdata",
                    self.data_dir,
                    "--username",
                    self.superuser,
                    "--pwfile",
                    pwfile,
                    "--encoding",
                    "UTF8",
                    "--locale",
                    "C",
                    "--auth-local",
                    "trust",
                    "--auth-host",
                    "scram-sha-256",
                    "--no-sync",
                    "--no-instructions",
                ],
                timeout=120,
                what="initdb",
            )
        finally:
            pwfile.unlink(missing_ok=True)
        if proc.returncode != 0:
            raise PgServersError(
                f"initdb failed (exit {proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
            )
        data = self.data_dir
        with open(data / "postgresql.conf", "a") as conf:
            conf.write("\n# habitdesk test tooling\ninclude 'habitdesk_test.conf'\n")
        (data / "pg_hba.conf").write_text(
            "# habitdesk test tooling\n"
            "# TYPE  DATABASE  USER      ADDRESS        METHOD\n"
            f"local   all       {self.superuser}  trust\n"
            "host    all       all       127.0.0.1/32   scram-sha-256\n"
        )

    def _write_postgres_conf(self, run_as: _RunAs) -> None:
        assert self.socket_dir is not None
        path = self.data_dir / "habitdesk_test.conf"
        path.write_text(
            "# written by tests/support/pgservers.py: speed over durability, loopback only\n"
            f"listen_addresses = '{HOST}'\n"
            f"port = {self.port}\n"
            f"unix_socket_directories = '{self.socket_dir}'\n"
            "max_connections = 200\n"
            "password_encryption = 'scram-sha-256'\n"
            "fsync = off\n"
            "synchronous_commit = off\n"
            "full_page_writes = off\n"
            "wal_level = minimal\n"
            "max_wal_senders = 0\n"
            "jit = off\n"
            "logging_collector = off\n"
            "log_min_messages = warning\n"
            "log_line_prefix = '%m [%p] %q%u@%d '\n"
            "timezone = 'UTC'\n"
            "log_timezone = 'UTC'\n"
        )
        run_as.chown(path)

    def _start_postgres(self, run_as: _RunAs, deadline: float) -> None:
        assert self.bindir is not None
        last_error = ""
        for _attempt in range(5):
            self.port = _free_ports(1)[0]
            self._write_postgres_conf(run_as)
            log_start = _file_size(self.postgres_log)
            remaining = max(5.0, deadline - time.monotonic())
            proc = self._run(
                run_as,
                [
                    self.bindir / "pg_ctl",
                    "start",
                    "--pgdata",
                    self.data_dir,
                    "--log",
                    self.postgres_log,
                    "--wait",
                    "--timeout",
                    str(int(remaining)),
                    "--silent",
                ],
                timeout=remaining + 10,
                what="pg_ctl start",
            )
            log = _tail(self.postgres_log, start=log_start)
            if proc.returncode == 0:
                break
            last_error = (
                f"pg_ctl start failed (exit {proc.returncode}): {proc.stdout}{proc.stderr}\n"
                f"  tail of {self.postgres_log}:\n{log}"
            )
            if "already in use" not in log:
                raise PgServersError(last_error)
            # Lost the race for the port: try another one.
        else:
            raise PgServersError(last_error)
        self._wait_sql(
            "PostgreSQL",
            self.superuser_dsn,
            self.port,
            deadline,
            alive=lambda: (self.data_dir / "postmaster.pid").exists(),
        )
        self.pg_version = str(_query(self.superuser_dsn, "SHOW server_version")[0])

    def _create_app_role(self) -> None:
        _query(
            self.superuser_dsn,
            "SET password_encryption = 'scram-sha-256'",
            f"CREATE ROLE {_ident(self.role)} LOGIN PASSWORD {_sql_literal(self.password)}",
            f"CREATE DATABASE {_ident(self.database)} OWNER {_ident(self.role)}",
        )

    def _scram_secret(self) -> str:
        secret = _query(
            self.superuser_dsn,
            f"SELECT rolpassword FROM pg_authid WHERE rolname = {_sql_literal(self.role)}",
        )[0]
        if not isinstance(secret, str) or not secret.startswith("SCRAM-SHA-256$"):
            raise PgServersError(f"expected a SCRAM secret for {self.role!r}, got {secret!r}")
        return secret

    def _write_pgbouncer_conf(self, run_as: _RunAs) -> Path:
        assert self.socket_dir is not None
        directory = self.pgbouncer_dir
        userlist = directory / "userlist.txt"
        # The SCRAM secret (as stored in pg_authid), not the password: PgBouncer checks the
        # client's SCRAM proof with it and then re-uses the client's proof to log in to
        # PostgreSQL ("SCRAM pass-through", PgBouncer >= 1.14). Needs identical secrets.
        userlist.write_text(f'"{self.role}" "{self._scram_secret()}"\n')
        os.chmod(userlist, 0o600)
        run_as.chown(userlist)
        ini = directory / "pgbouncer.ini"
        ini.write_text(
            "; written by tests/support/pgservers.py\n"
            "[databases]\n"
            f"* = host={HOST} port={self.port}\n"
            "\n"
            "[pgbouncer]\n"
            f"listen_addr = {HOST}\n"
            f"listen_port = {self.pgbouncer_port}\n"
            f"unix_socket_dir = {self.socket_dir}\n"
            f"logfile = {self.pgbouncer_log}\n"
            f"pidfile = {self.pgbouncer_pidfile}\n"
            "auth_type = scram-sha-256\n"
            f"auth_file = {userlist}\n"
            "pool_mode = transaction\n"
            "max_client_conn = 500\n"
            "default_pool_size = 20\n"
            "ignore_startup_parameters = extra_float_digits,options\n"
            "log_connections = 0\n"
            "log_disconnections = 0\n"
            "log_pooler_errors = 1\n"
            "stats_period = 3600\n"
        )
        run_as.chown(ini)
        return ini

    def _start_pgbouncer(self, run_as: _RunAs, deadline: float) -> None:
        assert self.pgbouncer_bin is not None
        last_error = ""
        for _attempt in range(5):
            self.pgbouncer_port = _free_ports(1)[0]
            while self.pgbouncer_port == self.port:
                self.pgbouncer_port = _free_ports(1)[0]
            ini = self._write_pgbouncer_conf(run_as)
            log_start = _file_size(self.pgbouncer_log)
            proc = self._run(
                run_as,
                [self.pgbouncer_bin, "-d", ini],
                timeout=max(5.0, deadline - time.monotonic()),
                what="pgbouncer -d",
            )
            if proc.returncode == 0:
                try:
                    self._wait_sql(
                        "PgBouncer",
                        self.pooled_dsn,
                        self.pgbouncer_port,
                        deadline,
                        alive=self._pgbouncer_alive,
                        log=self.pgbouncer_log,
                        log_start=log_start,
                    )
                    break
                except PgServersError as exc:
                    last_error = str(exc)
            else:
                last_error = (
                    f"pgbouncer failed to start (exit {proc.returncode}): "
                    f"{proc.stdout}{proc.stderr}\n"
                    f"  tail of {self.pgbouncer_log}:\n{_tail(self.pgbouncer_log, start=log_start)}"
                )
            if "already in use" not in last_error:
                raise PgServersError(last_error)
            self._stop_pgbouncer()
        else:
            raise PgServersError(last_error)
        version = self._run(
            run_as, [self.pgbouncer_bin, "--version"], timeout=10, what="pgbouncer --version"
        )
        self.pgbouncer_version = (version.stdout.splitlines() or [""])[0].strip()

    def _pgbouncer_alive(self) -> bool:
        pid = _read_pid(self.pgbouncer_pidfile)
        return pid is not None and _process_alive(pid)

    def _wait_sql(
        self,
        name: str,
        dsn: str,
        port: int,
        deadline: float,
        *,
        alive: Callable[[], bool],
        log: Path | None = None,
        log_start: int = 0,
    ) -> None:
        """Poll until a TCP connect and a real `SELECT 1` succeed (or fail clearly)."""
        log = log or self.postgres_log
        last_error = "no attempt yet"
        grace_until = time.monotonic() + 2.0  # a daemon may write its pidfile a bit late
        while True:
            if not alive() and time.monotonic() > grace_until:
                raise PgServersError(
                    f"{name} is not running (it exited or never started); "
                    f"last error: {last_error}\n  tail of {log}:\n{_tail(log, start=log_start)}"
                )
            if _port_open(port):
                try:
                    if _query(dsn, "SELECT 1", timeout=5) == [1]:
                        return
                except Exception as exc:  # any failure means "not yet"
                    last_error = f"{type(exc).__name__}: {exc}"
            else:
                last_error = f"nothing listening on {HOST}:{port} yet"
            if time.monotonic() > deadline:
                raise PgServersError(
                    f"{name} did not accept connections on {HOST}:{port} in time; "
                    f"last error: {last_error}\n  tail of {log}:\n{_tail(log, start=log_start)}"
                )
            time.sleep(0.05)

    # ------------------------------------------------------------------ stop

    def stop(self, *, remove_files: bool = False) -> None:
        """Stop PgBouncer, then PostgreSQL (fast shutdown). Idempotent.

        Files stay (logs help when something failed) unless remove_files=True, which deletes
        what start() created in base_dir. A socket directory start() had to create in the
        temp dir (base_dir too long for a unix socket path) is always removed.
        """
        if self.external:
            return
        errors: list[str] = []
        self._stop_watchdog()
        try:
            self._stop_pgbouncer()
        except PgServersError as exc:
            errors.append(str(exc))
        try:
            self._stop_postgres()
        except PgServersError as exc:
            errors.append(str(exc))
        if self.socket_dir_is_temp and self.socket_dir is not None:
            shutil.rmtree(self.socket_dir, ignore_errors=True)
        if remove_files and self.base_dir is not None:
            for name in ("data", "sock", "pgbouncer", "postgresql.log", STATE_FILE, ENV_FILE):
                path = self.base_dir / name
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
        if errors:
            raise PgServersError("\n".join(errors))

    def _stop_pgbouncer(self) -> None:
        pid = _read_pid(self.pgbouncer_pidfile)
        if pid is None or not _process_alive(pid):
            return
        with contextlib.suppress(OSError):
            comm = Path(f"/proc/{pid}/comm").read_text().strip()
            if comm != "pgbouncer":  # a stale pidfile, and the pid was reused
                return
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)  # immediate shutdown
        for _ in range(200):
            if not _process_alive(pid):
                return
            time.sleep(0.05)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        time.sleep(0.1)
        if _process_alive(pid):
            raise PgServersError(f"pgbouncer (pid {pid}) did not stop")

    def _stop_postgres(self) -> None:
        if self.bindir is None or not (self.data_dir / "postmaster.pid").exists():
            return
        run_as = _RunAs.detect()
        for mode in ("fast", "immediate"):
            proc = self._run(
                run_as,
                [
                    self.bindir / "pg_ctl",
                    "stop",
                    "--pgdata",
                    self.data_dir,
                    "--mode",
                    mode,
                    "--wait",
                    "--timeout",
                    "60",
                    "--silent",
                ],
                timeout=70,
                what="pg_ctl stop",
            )
            if proc.returncode == 0 or not (self.data_dir / "postmaster.pid").exists():
                return
        raise PgServersError(
            f"pg_ctl stop failed: {proc.stdout}{proc.stderr}\n"
            f"  tail of {self.postgres_log}:\n{_tail(self.postgres_log)}"
        )

    # ------------------------------------------------------------------ watchdog

    def _start_watchdog(self, pid: int) -> None:
        self._watchdog = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "_watch", str(self.base_dir), str(pid)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # survives a Ctrl-C or kill of the process group
        )

    def _stop_watchdog(self) -> None:
        watchdog, self._watchdog = self._watchdog, None
        if watchdog is not None and watchdog.poll() is None:
            watchdog.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                watchdog.wait(timeout=5)

    # ------------------------------------------------------------------ state

    def _save_state(self) -> None:
        state = {
            field.name: (str(v) if isinstance(v, Path) else v)
            for field in dataclasses.fields(self)
            if not field.name.startswith("_")
            for v in [getattr(self, field.name)]
        }
        path = self._path(STATE_FILE)
        path.write_text(json.dumps(state, indent=2) + "\n")
        os.chmod(path, 0o600)

    @classmethod
    def load(cls, base_dir: Path) -> PgServers:
        """The servers a previous start(base_dir) (maybe in another process) left running."""
        path = Path(base_dir).absolute() / STATE_FILE
        try:
            state = json.loads(path.read_text())
        except FileNotFoundError:
            raise PgServersError(
                f"no {STATE_FILE} in {base_dir}: nothing was started there"
            ) from None
        path_fields = {"base_dir", "bindir", "pgbouncer_bin", "socket_dir"}
        names = {f.name for f in dataclasses.fields(cls)}
        kwargs: dict[str, Any] = {
            k: (Path(v) if k in path_fields and v is not None else v)
            for k, v in state.items()
            if k in names
        }
        return cls(**kwargs)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> PgServers | None:
        """Servers described by HABITDESK_TEST_* variables (all three set), else None.

        Raises PgServersError when only some of them are set.
        """
        env = os.environ if environ is None else environ
        names = (ENV_DIRECT_URL, ENV_POOLED_URL, ENV_SUPERUSER_DSN)
        values = [env.get(name, "").strip() for name in names]
        if not any(values):
            return None
        if not all(values):
            missing = [n for n, v in zip(names, values, strict=True) if not v]
            raise PgServersError(f"set all of {', '.join(names)} or none; missing: {missing}")
        direct, pooled, superuser = (urlsplit(v) for v in values)
        if direct.hostname is None or pooled.port is None or direct.port is None:
            raise PgServersError(f"{ENV_DIRECT_URL}/{ENV_POOLED_URL} need host and port")
        servers = cls(
            host=direct.hostname,
            port=direct.port,
            pgbouncer_port=pooled.port,
            password=unquote(direct.password or ""),
            superuser_password=unquote(superuser.password or ""),
            role=unquote(direct.username or APP_ROLE),
            database=direct.path.lstrip("/") or APP_DATABASE,
            superuser=unquote(superuser.username or SUPERUSER),
            external=True,
            _superuser_dsn_override=values[2],
            _direct_url_override=values[0],
            _pooled_url_override=values[1],
        )
        with contextlib.suppress(Exception):
            servers.pg_version = str(_query(servers.superuser_dsn, "SHOW server_version")[0])
        return servers

    def __enter__(self) -> PgServers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_servers(base_dir: Path, *, timeout: float = 60.0) -> PgServers:
    """Same as PgServers.start(base_dir)."""
    return PgServers.start(base_dir, timeout=timeout)


def stop_servers(base_dir: Path, *, remove_files: bool = False) -> None:
    """Stop the servers that start_servers(base_dir) left running (from any process)."""
    PgServers.load(base_dir).stop(remove_files=remove_files)


# --------------------------------------------------------------------------- CLI


def _main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tests.support.pgservers",
        description="Start/stop a private PostgreSQL + PgBouncer (transaction mode) pair.",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start both in DIR, write DIR/servers.env, leave them running")
    up.add_argument("dir", type=Path)
    up.add_argument("--timeout", type=float, default=60.0)
    down = sub.add_parser("down", help="stop the servers started in DIR")
    down.add_argument("dir", type=Path)
    down.add_argument("--remove", action="store_true", help="also delete the cluster and logs")
    status = sub.add_parser("status", help="print DIR's URLs and whether the servers run")
    status.add_argument("dir", type=Path)
    watch = sub.add_parser("_watch")  # internal: stop DIR's servers once PID is gone
    watch.add_argument("dir", type=Path)
    watch.add_argument("pid", type=int)
    args = parser.parse_args(argv)

    if args.command == "_watch":
        with contextlib.suppress(KeyboardInterrupt):
            signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
            while _process_alive(args.pid):
                time.sleep(1.0)
            with contextlib.suppress(Exception):
                stop_servers(args.dir)
        return 0

    try:
        if args.command == "up":
            servers = PgServers.start(args.dir, timeout=args.timeout)
            env_file = servers._path(ENV_FILE)
            env_file.write_text("".join(f"{k}={v}\n" for k, v in servers.env().items()))
            os.chmod(env_file, 0o600)
            print(
                f"PostgreSQL {servers.pg_version} on {HOST}:{servers.port}, "
                f"{servers.pgbouncer_version} (transaction mode) on "
                f"{HOST}:{servers.pgbouncer_port}; up in {servers.startup_seconds:.1f}s",
                file=sys.stderr,
            )
            print(f"wrote {env_file} (use: set -a; . {env_file}; set +a)", file=sys.stderr)
            print(env_file.read_text(), end="")
        elif args.command == "down":
            stop_servers(args.dir, remove_files=args.remove)
            print(f"stopped the servers in {args.dir}", file=sys.stderr)
        else:
            servers = PgServers.load(args.dir)
            pg_up = _port_open(servers.port)
            pgb_up = _port_open(servers.pgbouncer_port)
            for key, value in servers.env().items():
                print(f"{key}={value}")
            print(f"# postgres {'up' if pg_up else 'down'}, pgbouncer {'up' if pgb_up else 'down'}")
            return 0 if pg_up and pgb_up else 3
    except PgServersError as exc:
        print(f"pgservers: {exc}", file=sys.stderr)
        return 2 if isinstance(exc, BinariesNotFoundError) else 1
    return 0


if __name__ == "__main__":
    sys.exit(_main())
