"""Start-up of the shell on a family's database: the first screen with its data, the garbage
collector back at work afterwards, and the other screens made in the background without
loading anything until they are shown."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from habitdesk.core.appcore import AppCore
from habitdesk.core.enums import Role
from habitdesk.core.services.base import Actor
from habitdesk.ui import collector
from habitdesk.ui.shell import Shell
from habitdesk.ui.views.registry import SCREEN_IDS
from habitdesk.ui.views.today import TodayView

ADMIN = Actor.local_admin()


@pytest.fixture
def family(core: AppCore, run: Any) -> Any:
    family = run(
        core.families.create_family(
            {"name": "Martin", "time_zone": "Europe/Paris"}, {"full_name": "Claire Martin"}
        )
    ).value
    lea = run(
        core.families.add_member(
            ADMIN, family.id, {"user": {"full_name": "Léa Martin"}, "role": Role.CHILD}
        )
    ).value
    data = {"family_id": family.id, "user_id": lea.user_id, "name": "Read 20 minutes"}
    run(core.habits.create_habit(ADMIN, data))
    return family


@pytest.fixture
def shell(settings: Any, run: Any) -> Iterator[Shell]:
    made = Shell(settings)
    yield made
    run(made.context.tasks.drain())
    if made.context.core is not None:
        run(made.shutdown())
    made.window.deleteLater()
    QApplication.processEvents()


def wait_until(run: Any, done: Any, seconds: float = 5.0) -> None:
    async def waiting() -> None:
        loop = asyncio.get_event_loop()
        deadline = loop.time() + seconds
        while not done() and loop.time() < deadline:
            await asyncio.sleep(0.01)

    run(waiting())


def test_the_first_screen_shows_its_data_and_the_others_are_made_unloaded(
    family: Any, shell: Shell, run: Any
) -> None:
    collector.pause_for_start_up()  # as create_application does at the app's start
    try:
        run(shell.start())
        run(shell.context.tasks.drain())
        today = shell.window.view("today")
        assert isinstance(today, TodayView)
        assert shell.window.family_label.text() == "Martin"
        assert [c.accessibleName() for c in today.cards.values()] == [
            "Claire Martin's day",
            "Léa Martin's day",
        ]
        # The first screen is up: the collector works again, start-up's objects frozen.
        assert gc.isenabled() and not collector.paused()
        assert gc.get_freeze_count() > 0

        wait_until(run, lambda: shell.window.prepared)
        assert shell.window.prepared
        assert set(shell.window.views) == set(SCREEN_IDS)
        assert shell.window.current_screen == "today"
        for screen_id in SCREEN_IDS[1:]:
            view = shell.window.views[screen_id]
            assert not view.isVisible() and view.stale  # nothing loaded while hidden
        assert shell.context.tasks.pending == 0

        shell.window.show_screen("habits")
        run(shell.context.tasks.drain())
        assert not shell.window.views["habits"].stale
    finally:
        collector.start_up_over()
        gc.enable()


def test_the_collector_resumes_once_only() -> None:
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        collector.pause_for_start_up()
        assert not gc.isenabled() and collector.paused()
        collector.pause_for_start_up()  # already paused: nothing more to do
        collector.start_up_over()
        assert gc.isenabled() and not collector.paused()
        gc.disable()  # someone else's pause (a long read) is not undone by a late call
        collector.start_up_over()
        assert not gc.isenabled()
    finally:
        if was_enabled:
            gc.enable()


def test_the_core_makes_each_service_once_on_first_use(core: AppCore) -> None:
    made = {name: getattr(core, name) for name in AppCore.SERVICES}
    assert len({id(service) for service in made.values()}) == len(AppCore.SERVICES)
    assert all(getattr(core, name) is service for name, service in made.items())
    assert all(service.db is core._db for service in made.values())


def test_the_services_are_made_in_the_background_after_start_up(
    family: Any, shell: Shell, run: Any
) -> None:
    run(shell.start())
    run(shell.context.tasks.drain())
    core = shell.context.core
    assert core is not None
    wait_until(run, lambda: shell.window.prepared)
    # Made (cached on the core), so a screen's first load does not import its service.
    assert set(AppCore.SERVICES) <= set(vars(core))


START_UP = r"""
import asyncio, json, sys
from habitdesk.core.config import load_settings
from habitdesk.ui.app import create_application

app = create_application(["test"])
import qasync
from habitdesk.ui.shell import Shell

async def main():
    from habitdesk.ui.setup_flow import attach_setup_wizard

    shell = Shell(load_settings(database_url=sys.argv[1]))
    attach_setup_wizard(shell)  # as the app's start does
    await shell.start(show=True)
    await shell.context.tasks.drain()
    names = list(sys.modules)
    print(json.dumps({"modules": names}))
    await shell.shutdown()

with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
    runner.run(main())
"""


def test_start_up_imports_the_core_first_and_no_other_screens_services(
    family: Any, db_url: str, tmp_path: Any
) -> None:
    """In a fresh process: the core's start-up modules come before PySide6 (which slows every
    import after it), and the services of other screens wait for their first use."""
    import json
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", START_UP, db_url],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    line = next(x for x in done.stdout.splitlines() if x.startswith("{"))
    modules: list[str] = json.loads(line)["modules"]  # in the order they were imported
    first_qt = modules.index("PySide6")
    for needed in ("sqlalchemy.orm", "habitdesk.core.services.today", "pydantic"):
        assert modules.index(needed) < first_qt, needed
    for later in (
        "habitdesk.core.services.report",
        "habitdesk.core.services.habit_insights",
        "habitdesk.core.services.stats",
        "email_validator",
        "habitdesk.ui.dialogs.setup_wizard",
    ):
        assert later not in modules, later


def test_today_says_no_family_only_once_the_core_has_looked(shell: Shell, run: Any) -> None:
    """The window paints before the database is open: Today stays blank then, and says there
    is no family only when the core found none (this database has none)."""
    seen: list[str] = []

    async def before_connect() -> bool:
        today = shell.window.view("today")
        assert isinstance(today, TodayView)
        seen.append(today.empty_label.text())
        return True

    shell.before_connect = before_connect
    run(shell.start())
    run(shell.context.tasks.drain())
    today = shell.window.view("today")
    assert isinstance(today, TodayView)
    assert seen == [""]
    assert today.empty_label.isVisible()
    assert today.empty_label.text().startswith("No family yet")
