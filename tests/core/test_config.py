"""Settings: flags, then environment, then .env, then saved settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from habitdesk.core.config import load_settings, save_settings


def test_default_is_the_embedded_file_in_the_data_dir(tmp_path: Path) -> None:
    settings = load_settings()
    assert settings.uses_embedded_database
    assert (
        settings.runtime_url()
        == f"sqlite+aiosqlite:///{tmp_path / 'userdata' / 'habitdesk.sqlite3'}"
    )


def test_precedence_flag_env_dotenv_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    save_settings({"database_url": "postgresql://saved@h/db"})
    assert load_settings().runtime_url() == "postgresql://saved@h/db"
    (tmp_path / ".env").write_text("DATABASE_URL=postgresql://dotenv@h/db\n")
    assert load_settings().runtime_url() == "postgresql://dotenv@h/db"
    monkeypatch.setenv("DATABASE_URL", "postgresql://env@h/db")
    assert load_settings().runtime_url() == "postgresql://env@h/db"
    assert (
        load_settings(database_url="postgresql://flag@h/db").runtime_url()
        == "postgresql://flag@h/db"
    )


def test_direct_url_is_used_for_migrations(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@h:6543/db?pgbouncer=true")
    assert load_settings().migration_url() == "postgresql://u:p@h:6543/db?pgbouncer=true"
    monkeypatch.setenv("DIRECT_URL", "postgresql://u:p@h:5432/db")
    assert load_settings().migration_url() == "postgresql://u:p@h:5432/db"


def test_secrets_do_not_leak_through_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:hunter2@h/db")
    assert "hunter2" not in repr(load_settings())
