"""Every family screen tells "the database is not open" from "this database has no family":
saying "No family yet" while the data could not be reached would send a parent off to create a
second family. The screens are visited as a user does, by clicking them in the navigation."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from habitdesk.core.config import load_settings
from habitdesk.core.db.database import Database
from habitdesk.core.db.migrate import upgrade
from habitdesk.core.errors import DatabaseConnectionError
from habitdesk.core.services.people import FamilyService
from habitdesk.ui.shell import Shell
from habitdesk.ui.views.registry import SCREEN_IDS
from tests.ui.waiting import until

FAMILY_SCREENS = ("today", "family", "routines", "habits", "history", "rewards")
UNREACHABLE = "postgresql://habitdesk:secret@127.0.0.1:1/nowhere"


@pytest.fixture
def make_shell(run: Any) -> Iterator[Any]:
    made: list[Shell] = []

    def make(settings: Any) -> Shell:
        shell = Shell(settings)
        made.append(shell)
        return shell

    yield make
    for shell in made:
        run(shell.context.tasks.drain())
        if shell.context.core is not None:
            run(shell.shutdown())
        shell.window.deleteLater()
    QApplication.processEvents()


def visit(qtbot: Any, shell: Shell, screen_id: str) -> str:
    """Click the screen in the navigation; what its visible labels say, as one text."""
    navigation = shell.window.navigation
    item = navigation.item(SCREEN_IDS.index(screen_id))
    qtbot.mouseClick(
        navigation.viewport(),
        Qt.MouseButton.LeftButton,
        pos=navigation.visualItemRect(item).center(),
    )
    view = shell.window.view(screen_id)
    assert view.isVisible()
    return " ".join(label.text() for label in view.findChildren(QLabel) if label.isVisible())


def visit_all(qtbot: Any, shell: Shell, run: Any) -> dict[str, str]:
    seen = {}
    for screen_id in FAMILY_SCREENS:
        text = visit(qtbot, shell, screen_id)
        run(shell.context.tasks.drain())
        seen[screen_id] = text
    return seen


def test_while_the_database_opens_no_screen_speaks_of_families_then_they_say_none_yet(
    qtbot: Any, run: Any, settings: Any, make_shell: Any
) -> None:
    shell = make_shell(settings)
    while_opening: dict[str, str] = {}

    async def before_connect() -> bool:
        # Still opening: the core is not there yet (so no screen has anything to load).
        for screen_id in FAMILY_SCREENS:
            while_opening[screen_id] = visit(qtbot, shell, screen_id)
        return True

    shell.before_connect = before_connect
    run(shell.start())
    run(shell.context.tasks.drain())

    assert set(while_opening) == set(FAMILY_SCREENS)
    for screen_id, text in while_opening.items():
        assert "No family yet" not in text, screen_id
        assert "Not connected" not in text, screen_id

    # Open now, and this (empty) database has no family: that is what each screen says.
    for screen_id, text in visit_all(qtbot, shell, run).items():
        assert "No family yet" in text, screen_id
        assert "Not connected" not in text, screen_id


@pytest.fixture
def offline(run: Any, make_shell: Any) -> Shell:
    """Started on a database server that refuses the connection."""
    shell: Shell = make_shell(load_settings(database_url=UNREACHABLE))
    run(shell.start())
    assert shell.context.core is None
    assert shell.window.connection_label.property("state") == "offline"
    assert "refused the connection" in shell.window.message_bar.label.text()
    return shell


def test_a_database_that_cannot_be_reached_is_not_taken_for_no_family(
    qtbot: Any, run: Any, offline: Shell
) -> None:
    for screen_id, text in visit_all(qtbot, offline, run).items():
        assert "No family yet" not in text, screen_id


def test_told_that_the_database_could_not_be_opened_every_screen_says_so(
    qtbot: Any, run: Any, offline: Shell
) -> None:
    shell = offline
    for screen_id, text in visit_all(qtbot, shell, run).items():
        assert "Not connected" in text, screen_id
        assert "the family's data could not be opened" in text.lower(), screen_id
        assert "Check connection" in text, screen_id
        assert "No family yet" not in text, screen_id


def test_an_open_database_whose_families_could_not_be_read_is_not_taken_for_no_family(
    qtbot: Any, run: Any, settings: Any, make_shell: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def dropped(self: FamilyService) -> Any:
        raise DatabaseConnectionError("The connection to the database was lost.")

    monkeypatch.setattr(FamilyService, "list_families", dropped)
    shell = make_shell(settings)
    run(shell.start())
    assert shell.context.core is not None and shell.context.family is None
    assert "connection to the database was lost" in shell.window.message_bar.label.text()

    for screen_id, text in visit_all(qtbot, shell, run).items():
        assert "No family yet" not in text, screen_id


def test_try_again_opens_the_database_once_it_is_there(
    qtbot: Any, run: Any, make_shell: Any, pg_servers: Any
) -> None:
    """The family's database was not created yet; once it is (and migrated), the message's
    Try again opens it without restarting the app."""
    name = f"hd_try_again_{uuid4().hex[:8]}"
    shell: Shell = make_shell(load_settings(database_url=pg_servers.url_for(name)))
    try:
        run(shell.start())
        bar = shell.window.message_bar
        assert shell.context.core is None
        assert f"The database '{name}' does not exist" in bar.label.text()
        assert bar.action_button.isVisible() and bar.action_button.text() == "Try again"
        assert "Not connected" in visit(qtbot, shell, "habits")

        # On a thread: the helper runs its own event loop, which must not replace the app's.
        run(asyncio.to_thread(pg_servers.create_database, name))
        run(_migrate(pg_servers.url_for(name)))
        qtbot.mouseClick(bar.action_button, Qt.MouseButton.LeftButton)
        run(until(lambda: shell.context.core is not None and shell.context.families_known))
        run(shell.context.tasks.drain())

        assert not bar.isVisible()
        assert shell.window.connection_label.property("state") == "online"
        for screen_id, text in visit_all(qtbot, shell, run).items():
            assert "Not connected" not in text, screen_id
            assert "No family yet" in text, screen_id  # a new, empty database
        run(shell.shutdown())
    finally:
        run(asyncio.to_thread(pg_servers.drop_database, name))


async def _migrate(url: str) -> None:
    db = Database.from_url(url)
    try:
        await upgrade(db)
    finally:
        await db.dispose()
