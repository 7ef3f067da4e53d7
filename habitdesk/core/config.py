"""Settings: command-line flags, then environment, then `.env`, then saved settings.

Nothing here touches the network or the database; reading settings is cheap and has no
side effects, so it is safe at start-up. Saved settings are a JSON file in the data folder that
the app writes (the UI's setup wizard); the password is never part of it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from habitdesk.core import paths, secrets


class SavedSettingsSource(PydanticBaseSettingsSource):
    """Lowest-priority source: settings the app saved for this user."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return self._values().get(field_name), field_name, False

    def _values(self) -> dict[str, Any]:
        path = paths.saved_settings_path()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {k: v for k, v in raw.items() if isinstance(k, str) and k in Settings.model_fields}

    def __call__(self) -> dict[str, Any]:
        return self._values()


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    # Pooled URL (Supabase's transaction pooler, port 6543) used by the running app.
    database_url: SecretStr | None = Field(default=None, validation_alias="DATABASE_URL")
    # Direct URL (port 5432) used for migrations; falls back to database_url.
    direct_url: SecretStr | None = Field(default=None, validation_alias="DIRECT_URL")
    # Force pooler-safe settings even when the URL does not say so.
    pooler: bool | None = Field(default=None, validation_alias="HABITDESK_POOLER")
    data_dir: Path | None = Field(default=None, validation_alias="HABITDESK_DATA_DIR")
    sql_echo: bool = Field(default=False, validation_alias="HABITDESK_SQL_ECHO")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return (init_settings, env_settings, dotenv_settings, SavedSettingsSource(settings_cls))

    @property
    def uses_embedded_database(self) -> bool:
        return self.database_url is None

    def runtime_url(self) -> str:
        """The URL the app connects with: the configured one, or the embedded SQLite file.

        A URL saved without its password gets it here, from the keyring or from a password the
        user typed at start (habitdesk.core.secrets); it is never written back anywhere.
        """
        if self.database_url is not None:
            return secrets.fill_password(self.database_url.get_secret_value())
        return "sqlite+aiosqlite:///" + str(self.sqlite_path())

    def migration_url(self) -> str:
        if self.direct_url is not None:
            return secrets.fill_password(self.direct_url.get_secret_value())
        return self.runtime_url()

    def sqlite_path(self) -> Path:
        if self.data_dir is not None:
            return Path(self.data_dir).expanduser() / "habitdesk.sqlite3"
        return paths.default_sqlite_path()


def load_settings(**overrides: Any) -> Settings:
    """Settings with command-line values (None means "not given") taking precedence."""
    given = {k: v for k, v in overrides.items() if v is not None}
    return Settings(**given)


def save_settings(values: dict[str, Any]) -> None:
    """Persist non-secret settings for this user. Passwords must go to the keyring instead."""
    path = paths.saved_settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    current: dict[str, Any] = {}
    if path.exists():
        try:
            current = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            current = {}
    current.update(values)
    path.write_text(json.dumps(current, indent=2), encoding="utf-8")
