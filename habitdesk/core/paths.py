"""Where the app's files are: in a checkout, inside a PyInstaller bundle, and per user."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "HabitDesk"


def install_root() -> Path:
    """The folder holding `migrations/` and `resources/`.

    From a checkout it is the repository root; in a PyInstaller bundle it is the bundle's data
    folder (`sys._MEIPASS`), where habitdesk.spec puts both.
    """
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle)
    return Path(__file__).resolve().parents[2]


def migrations_dir() -> Path:
    return install_root() / "migrations"


def resources_dir() -> Path:
    return install_root() / "resources"


def user_data_dir() -> Path:
    """HABITDESK_DATA_DIR when set, else the platform's per-user data folder."""
    override = os.environ.get("HABITDESK_DATA_DIR")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def user_log_dir() -> Path:
    override = os.environ.get("HABITDESK_DATA_DIR")
    if override:
        return Path(override).expanduser() / "logs"
    from platformdirs import user_log_path

    return user_log_path(APP_NAME, appauthor=False)


def default_sqlite_path() -> Path:
    return user_data_dir() / "habitdesk.sqlite3"


def saved_settings_path() -> Path:
    return user_data_dir() / "settings.json"
