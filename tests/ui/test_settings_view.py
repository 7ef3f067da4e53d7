"""The Settings screen: theme, connection, the doctor's checks, folders, shortcuts, version."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QLabel

import habitdesk
from habitdesk.core import paths
from habitdesk.core.appcore import AppCore, ConnectionInfo
from habitdesk.core.enums import Role
from habitdesk.core.schemas.people import MemberRead
from habitdesk.core.services.base import Actor
from habitdesk.ui.context import AppContext
from habitdesk.ui.theme import apply_theme, saved_theme
from habitdesk.ui.views.settings import SettingsView, describe_connection
from tests.ui.waiting import until

ADMIN = Actor.local_admin()


@pytest.fixture
def members(core: AppCore, run: Any) -> tuple[Any, list[MemberRead]]:
    async def arrange() -> tuple[Any, list[MemberRead]]:
        family = (
            await core.families.create_family({"name": "Martin"}, {"full_name": "Claire Martin"})
        ).value
        for name, role in (("Léa Martin", Role.CHILD), ("Grand-mère", Role.VIEWER)):
            await core.families.add_member(
                ADMIN, family.id, {"user": {"full_name": name}, "role": role}
            )
        return family, await core.families.list_members(ADMIN, family.id)

    return run(arrange())


@pytest.fixture
def context(db_url: str, run: Any, members: tuple[Any, list[MemberRead]]) -> Iterator[AppContext]:
    app_core = AppCore.from_url(db_url)
    context = AppContext(app_core)
    context.set_family(*members)
    yield context
    run(context.tasks.drain())
    run(app_core.close())


@pytest.fixture
def view(context: AppContext, qtbot: Any, run: Any, qapp: QApplication) -> Iterator[SettingsView]:
    view = SettingsView(context)
    qtbot.addWidget(view)
    view.resize(1000, 760)
    view.show()
    run(context.tasks.drain())
    yield view
    apply_theme(qapp, "system")  # the palette is application-wide: leave it as found


def window_lightness() -> int:
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness()


def test_theme_switch_changes_the_palette_at_once_and_is_remembered(
    view: SettingsView, qtbot: Any
) -> None:
    assert view.theme_buttons["system"].isChecked()
    qtbot.mouseClick(view.theme_buttons["dark"], Qt.MouseButton.LeftButton)
    assert window_lightness() < 128
    assert saved_theme() == "dark"
    qtbot.mouseClick(view.theme_buttons["light"], Qt.MouseButton.LeftButton)
    assert window_lightness() > 128
    assert saved_theme() == "light"
    # Keyboard: arrow keys move between the radio buttons and choose.
    view.theme_buttons["light"].setFocus()
    qtbot.keyClick(view.theme_buttons["light"], Qt.Key.Key_Right)
    assert view.theme_buttons["dark"].isChecked()
    assert window_lightness() < 128


def test_check_connection_shows_each_check_for_the_sqlite_file(
    view: SettingsView,
    context: AppContext,
    db_url: str,
    qtbot: Any,
    run: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)  # what the app was started with
    qtbot.mouseClick(view.check_button, Qt.MouseButton.LeftButton)
    assert view.check_summary.text() == "Checking…"
    run(context.tasks.drain())

    assert view.check_summary.text().startswith("Healthy")
    assert view.check_results.isVisible()
    names = [line.split(":")[0] for line in view.check_lines]
    assert names[:3] == ["Configuration", "Connection", "Server"]
    assert "Migrations" in names
    assert all(": ok — " in line for line in view.check_lines)
    server = next(line for line in view.check_lines if line.startswith("Server"))
    assert "SQLite" in server
    marks = [w for w in view.check_results.findChildren(QLabel) if w.accessibleName() == "ok"]
    assert len(marks) == len(view.check_lines)
    assert view.check_button.isEnabled()


def test_a_connection_problem_is_shown_with_the_fix_and_never_the_password(
    view: SettingsView,
    context: AppContext,
    qtbot: Any,
    run: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://family:s3cret-pw@127.0.0.1:1/habits")
    qtbot.mouseClick(view.check_button, Qt.MouseButton.LeftButton)
    run(context.tasks.drain())

    assert "problem" in view.check_summary.text()
    problem = next(line for line in view.check_lines if ": problem — " in line)
    assert problem.startswith("Connection")
    assert "Fix:" in problem
    shown = " ".join(w.text() for w in view.findChildren(QLabel))
    assert "s3cret-pw" not in shown


def test_the_connection_card_shows_where_the_data_lives(
    view: SettingsView, context: AppContext
) -> None:
    assert context.core is not None
    texts = {w.accessibleName(): w.text() for w in view.findChildren(QLabel)}
    assert texts["Database"] == "A local file on this computer"
    assert texts["File"].endswith("app.sqlite3")


def test_a_shared_database_shows_host_and_pooling_but_never_the_password() -> None:
    info = ConnectionInfo(
        "shared",
        "postgresql+asyncpg://postgres.abcd:***@aws-0-eu-west-3.pooler.supabase.com:6543/postgres",
        True,
    )
    lines = dict(describe_connection(info))
    assert lines["Database"] == "Shared PostgreSQL"
    assert lines["Host"] == "aws-0-eu-west-3.pooler.supabase.com:6543"
    assert lines["User"] == "postgres.abcd"
    assert lines["Pooled"].startswith("Yes")
    assert all("***" not in value for value in lines.values())
    direct = dict(describe_connection(ConnectionInfo("shared", "postgresql://u@db:5432/x", False)))
    assert direct["Pooled"].startswith("No")
    assert describe_connection(None) == [("Database", "Not connected")]


def test_folders_shortcuts_and_version_are_listed(view: SettingsView) -> None:
    assert view.data_dir_label.text() == str(paths.user_data_dir())
    assert view.log_file_label.text() == str(paths.user_log_dir() / "habitdesk.log")
    keys = dict(view.shortcut_rows)
    for number, title in enumerate(
        ("Today", "Family", "Routines", "Habits", "History", "Rewards", "Settings"), start=1
    ):
        assert keys[f"Ctrl+{number}"] == f"Go to {title}"
    assert keys["Ctrl+N"] == "Add a family member"
    assert view.version_label.text() == f"HabitDesk {habitdesk.__version__}"


@pytest.mark.parametrize("role", [Role.CHILD, Role.VIEWER])
def test_a_child_or_viewer_may_change_the_theme_but_nothing_else(
    view: SettingsView, context: AppContext, qtbot: Any, role: Role
) -> None:
    acting = next(m for m in context.members if m.role is role)
    context.set_acting(acting.user_id)

    assert view.read_only_note.isVisible()
    assert acting.full_name in view.read_only_note.text()
    for button in (view.check_button, view.open_data_button, view.open_log_button):
        assert not button.isEnabled()
    assert all(b.isEnabled() for b in view.theme_buttons.values())
    qtbot.mouseClick(view.theme_buttons["dark"], Qt.MouseButton.LeftButton)
    assert window_lightness() < 128
    assert view.check_connection() is None  # refused even if called

    owner = next(m for m in context.members if m.role is Role.OWNER)
    context.set_acting(owner.user_id)
    assert not view.read_only_note.isVisible()
    assert view.check_button.isEnabled()


def test_without_a_database_the_screen_still_works(qtbot: Any, run: Any) -> None:
    context = AppContext(None)
    view = SettingsView(context)
    qtbot.addWidget(view)
    view.show()
    texts = {w.accessibleName(): w.text() for w in view.findChildren(QLabel)}
    assert texts["Database"] == "Not connected"
    assert view.check_button.isEnabled()  # the check is most useful exactly then


def test_every_screens_shortcuts_are_listed_under_that_screen_even_when_opened_at_once(
    settings: Any, run: Any, qtbot: Any
) -> None:
    """Settings opened straight after start-up, before the other screens are made in the
    background: their keys appear as they are made, each under its own screen."""
    from habitdesk.ui.shell import Shell

    shell = Shell(settings)
    try:
        run(shell.start())
        qtbot.keyClick(shell.window, Qt.Key.Key_7, Qt.KeyboardModifier.ControlModifier)
        view = shell.window.view("settings")
        assert view.isVisible()
        run(until(lambda: shell.window.prepared))
        shown = [label.text() for label in view.findChildren(QLabel) if label.isVisible()]
        for section in ("Today screen", "Family screen", "Routines screen", "Habits screen"):
            assert section in shown, section
        rows = view.shortcut_rows
        assert ("Ctrl+R", "Run the selected routine") in rows
        assert ("Ctrl+N", "Add a habit") in rows
        assert ("Alt+Left", "Previous day") in rows
        assert ("Delete", "Remove the selected reward") in rows
        assert ("Delete", "Remove the selected routine") in rows
        assert ("Enter", "Edit the selected habit") in rows
        assert not [action for _keys, action in rows if action.endswith("screen)")]
    finally:
        run(shell.shutdown())
        shell.window.deleteLater()
