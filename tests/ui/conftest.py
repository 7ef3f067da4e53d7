"""UI test fixtures: one qasync loop per test, isolated QSettings, a real SQLite database.

pytest-qt does not manage asyncio, so UI tests are plain functions that drive the qasync loop
with the `run` fixture: `run(coroutine_or_task)` runs it to completion on the Qt event loop
(widgets keep painting and handling events meanwhile). Tasks started by the app's task bridge
are returned to the caller, so a test awaits them instead of sleeping.
"""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QCoreApplication, QSettings
from PySide6.QtWidgets import QApplication

from habitdesk.core.appcore import AppCore
from habitdesk.core.config import load_settings
from habitdesk.ui.app import create_application

Runner = Callable[[Any], Any]


@pytest.fixture(scope="session")
def qapp_cls() -> type[QApplication]:
    return QApplication


@pytest.fixture(scope="session")
def qapp(qapp_args: list[str], qapp_cls: type[QApplication]) -> QApplication:
    app = create_application(["habitdesk-tests"])
    assert isinstance(app, QApplication)
    return app


@pytest.fixture(autouse=True)
def _isolated_qsettings(tmp_path: Path, qapp: QApplication) -> Iterator[None]:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings")
    )
    QCoreApplication.setOrganizationName("HabitDeskTests")
    yield
    QSettings().clear()


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    import qasync

    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    yield loop
    pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
    if pending:
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    asyncio.set_event_loop(None)
    loop.close()
    assert not pending, f"tasks still pending after the test: {pending}"


@pytest.fixture
def run(qloop: asyncio.AbstractEventLoop) -> Runner:
    def runner(work: Any) -> Any:
        if work is None:
            return None
        return qloop.run_until_complete(work)

    return runner


@pytest.fixture
def db_url(sqlite_template: Path, tmp_path: Path) -> str:
    """A migrated, empty SQLite database for the app under test."""
    path = tmp_path / "app.sqlite3"
    shutil.copyfile(sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
def settings(db_url: str) -> Any:
    return load_settings(database_url=db_url)


@pytest.fixture
def core(db_url: str, run: Runner) -> Iterator[AppCore]:
    """Direct access to the same database, for arranging data and checking results."""
    app_core = AppCore.from_url(db_url)
    yield app_core
    run(app_core.close())
