"""The database password: in the system keyring, or asked for at each start — never in a file."""

from __future__ import annotations

import builtins
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

keyring = pytest.importorskip("keyring")

from keyring.backend import KeyringBackend  # noqa: E402
from keyring.backends import fail  # noqa: E402

from habitdesk.core import secrets  # noqa: E402
from habitdesk.core.config import load_settings, save_settings  # noqa: E402


class MemoryKeyring(KeyringBackend):
    """A real keyring backend that keeps entries in a dict (for tests).

    Its priority is below every real backend and the fail backend, so keyring never picks it on
    its own; tests install it with keyring.set_keyring.
    """

    priority = -10  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.entries.pop((service, username), None)


class RefusingKeyring(MemoryKeyring):
    """A keyring that exists but will not store anything (e.g. a locked collection)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.PasswordSetError("locked")


@contextmanager
def installed_keyring(backend: KeyringBackend) -> Iterator[KeyringBackend]:
    """Use `backend` for a while; the previous keyring and an empty memory come back after."""
    previous = keyring.get_keyring()
    secrets.forget_session_passwords()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)
        secrets.forget_session_passwords()


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    with installed_keyring(MemoryKeyring()) as backend:
        assert isinstance(backend, MemoryKeyring)
        yield backend


@pytest.fixture
def no_keyring() -> Iterator[None]:
    with installed_keyring(fail.Keyring()):
        yield


def files_containing(root: Path, needle: str) -> list[Path]:
    data = needle.encode()
    return [p for p in root.rglob("*") if p.is_file() and data in p.read_bytes()]


POOLED = "postgresql://postgres.abc:{pw}@aws-0-eu.pooler.supabase.com:6543/postgres?pgbouncer=true"


# --- URLs -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["s3cret", "p@ss/w:rd?#%", "sp ace", "ünï€ode"])
def test_password_goes_in_and_out_as_sqlalchemy_reads_it(password: str) -> None:
    bare = POOLED.format(pw="x").replace(":x@", "@")
    url = secrets.with_password(bare, password)
    assert make_url(url).password == password
    assert secrets.url_password(url) == password
    assert secrets.without_password(url) == bare
    assert make_url(url).query == {"pgbouncer": "true"}


def test_a_raw_password_with_slashes_is_understood() -> None:
    url = "postgresql://u:a/b?c@h:5432/db"
    assert secrets.url_password(url) == "a/b?c"
    assert secrets.without_password(url) == "postgresql://u@h:5432/db"


def test_supabase_placeholder_counts_as_no_password() -> None:
    url = POOLED.format(pw="[YOUR-PASSWORD]")
    assert secrets.url_password(url) is None
    assert secrets.has_placeholder_password(url)
    assert "[YOUR-PASSWORD]" not in secrets.without_password(url)
    assert secrets.url_password(secrets.with_password(url, "real")) == "real"


def test_the_keyring_entry_names_user_host_port_and_database_only() -> None:
    assert (
        secrets.account_for(POOLED.format(pw="whatever"))
        == "postgres.abc@aws-0-eu.pooler.supabase.com:6543/postgres"
    )
    assert secrets.account_for("postgresql://u@HOST/db") == "u@host:5432/db"
    assert secrets.account_for("sqlite+aiosqlite:///x.sqlite3") is None


# --- the keyring ----------------------------------------------------------------------------------


def test_stored_password_comes_back_from_the_keyring(memory_keyring: MemoryKeyring) -> None:
    url = "postgresql://u@h:5432/db"
    assert secrets.keyring_available()
    secrets.store_password(url, "hunter2")
    assert memory_keyring.entries == {(secrets.SERVICE, "u@h:5432/db"): "hunter2"}
    secrets.forget_session_passwords()  # as after a restart
    assert secrets.password_for(url) == "hunter2"
    assert secrets.fill_password(url) == "postgresql://u:hunter2@h:5432/db"
    secrets.forget_password(url)
    assert memory_keyring.entries == {}
    assert secrets.password_for(url) is None


def test_fail_backend_means_no_keyring_and_the_password_lasts_this_run_only(
    no_keyring: None,
) -> None:
    url = "postgresql://u@h:5432/db"
    assert not secrets.keyring_available()
    with pytest.raises(secrets.SecretStoreError, match="No system keyring"):
        secrets.store_password(url, "hunter2")
    assert secrets.password_for(url) == "hunter2"
    assert not secrets.needs_password(url)
    secrets.forget_session_passwords()
    assert secrets.password_for(url) is None
    assert secrets.needs_password(url)


def test_a_keyring_that_refuses_is_reported() -> None:
    with (
        installed_keyring(RefusingKeyring()),
        pytest.raises(secrets.SecretStoreError, match="refused"),
    ):
        secrets.store_password("postgresql://u@h/db", "hunter2")


def test_without_the_keyring_package_there_is_no_keyring(
    monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    real_import = builtins.__import__

    def no_keyring_import(name: str, *args: Any, **kwargs: Any) -> Any:
        if name == "keyring" or name.startswith("keyring."):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_keyring_import)
    monkeypatch.delitem(sys.modules, "keyring", raising=False)
    assert not secrets.keyring_available()
    assert secrets.password_for("postgresql://u@h/db") is None
    with pytest.raises(secrets.SecretStoreError):
        secrets.store_password("postgresql://u@h/db", "hunter2")


def test_a_broken_backend_means_no_keyring(
    monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring
) -> None:
    def broken() -> None:
        raise RuntimeError("no D-Bus session")

    monkeypatch.setattr(keyring, "get_keyring", broken)
    assert not secrets.keyring_available()
    assert secrets.password_for("postgresql://u@h/db") is None


# --- the settings ---------------------------------------------------------------------------------


def test_saved_url_without_password_gets_it_from_the_keyring(
    memory_keyring: MemoryKeyring, tmp_path: Path
) -> None:
    bare = "postgresql://postgres.abc@pooler.example.com:6543/postgres?pgbouncer=true"
    direct = "postgresql://postgres@db.example.com:5432/postgres"
    save_settings({"database_url": bare, "direct_url": direct})
    secrets.store_password(bare, "pooled-pw")
    secrets.store_password(direct, "direct-pw")
    secrets.forget_session_passwords()

    settings = load_settings()
    assert make_url(settings.runtime_url()).password == "pooled-pw"
    assert make_url(settings.migration_url()).password == "direct-pw"
    assert "pgbouncer=true" in settings.runtime_url()
    saved = json.loads((tmp_path / "userdata" / "settings.json").read_text())
    assert saved == {"database_url": bare, "direct_url": direct}
    assert files_containing(tmp_path, "pooled-pw") == []


def test_a_url_with_its_own_password_is_left_alone(memory_keyring: MemoryKeyring) -> None:
    secrets.store_password("postgresql://u@h/db", "from-keyring")
    assert load_settings(database_url="postgresql://u:given@h/db").runtime_url() == (
        "postgresql://u:given@h/db"
    )
