"""The first-run wizard and the start-up password prompt, driven with clicks and keys.

The local path runs on the `db_url` SQLite file; the shared path on a real PostgreSQL behind a
real PgBouncer (`pg_servers`). Keyrings are real backends: a small in-memory one, and keyring's
own fail backend for "no keyring on this computer". Results are checked in the databases, the
saved settings and the files under the test's folder.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QToolButton, QWidget, QWizard

from habitdesk.core import secrets
from habitdesk.core.appcore import AppCore
from habitdesk.core.config import Settings, load_settings
from habitdesk.core.connection_setup import apply_migrations
from habitdesk.core.enums import Role, WeekStart
from habitdesk.core.errors import DatabaseConnectionError
from habitdesk.core.services.base import Actor
from habitdesk.core.services.people import FamilyService
from habitdesk.ui.dialogs.setup_wizard import (
    CONNECTION,
    FAMILY,
    FINISH,
    KEYRING_NO,
    KEYRING_YES,
    PEOPLE,
    SetupWizard,
)
from habitdesk.ui.setup_flow import attach_setup_wizard
from habitdesk.ui.shell import Shell
from tests.core.test_secrets import MemoryKeyring, files_containing, installed_keyring
from tests.ui.waiting import until

ADMIN = Actor.local_admin()
NEXT = QWizard.WizardButton.NextButton
BACK = QWizard.WizardButton.BackButton
FINISH_BUTTON = QWizard.WizardButton.FinishButton
CANCEL = QWizard.WizardButton.CancelButton


# --- arranging --------------------------------------------------------------------------------


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    with installed_keyring(MemoryKeyring()) as backend:
        assert isinstance(backend, MemoryKeyring)
        yield backend


@pytest.fixture
def no_keyring() -> Iterator[None]:
    with installed_keyring(fail.Keyring()):
        yield


@pytest.fixture
def make_shell(run: Any) -> Iterator[Callable[[Settings], Shell]]:
    shells: list[Shell] = []

    def make(settings: Settings) -> Shell:
        shell = Shell(settings)
        attach_setup_wizard(shell)
        shells.append(shell)
        return shell

    yield make
    for shell in shells:
        if shell.wizard is not None:
            shell.wizard.close()
        run(shell.context.tasks.drain())
        if shell.context.core is not None or shell.window.isVisible():
            run(shell.shutdown())
        shell.window.deleteLater()
    QApplication.processEvents()


@pytest.fixture
def fresh_db(pg_servers: Any) -> Iterator[str]:
    name = f"wizard_{uuid.uuid4().hex[:10]}"
    pg_servers.create_database(name, owner="habitdesk")
    yield name
    pg_servers.drop_database(name)


def click(qtbot: Any, widget: QWidget) -> None:
    assert widget.isEnabled(), f"{widget.accessibleName() or widget} is disabled"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def started_wizard(shell: Shell, run: Any) -> SetupWizard:
    run(shell.start())
    wizard = shell.wizard
    assert isinstance(wizard, SetupWizard) and wizard.isVisible()
    return wizard


def fill_family(qtbot: Any, wizard: SetupWizard) -> None:
    page = wizard.family
    assert wizard.currentId() == FAMILY
    qtbot.keyClicks(page.name, "The Millers")
    zone = page.time_zone.lineEdit()
    zone.selectAll()
    qtbot.keyClicks(zone, "Europe/Paris")
    qtbot.keyClick(page.week_start, Qt.Key.Key_End)  # Sunday
    qtbot.keyClick(page.day_start, Qt.Key.Key_Up)
    qtbot.keyClick(page.day_start, Qt.Key.Key_Up)
    assert "1:30 at night still counts for the day before" in page.day_start_note.text()
    qtbot.keyClick(page.name, Qt.Key.Key_Return)  # Enter presses Next
    assert wizard.currentId() == PEOPLE


def fill_people(qtbot: Any, wizard: SetupWizard, email: str = "anna@example.com") -> None:
    page = wizard.people
    qtbot.keyClicks(page.parent_name, "Anna Miller")
    qtbot.keyClicks(page.parent_email, email)
    green = next(
        b
        for b in page.parent_colour.findChildren(QToolButton)
        if b.accessibleName() == "Colour Green"
    )
    click(qtbot, green)
    qtbot.keyClicks(page.child_name, "Mia")
    qtbot.keyClick(page.child_avatar, Qt.Key.Key_Down)  # the first emoji: 🦄
    qtbot.keyClick(page.child_name, Qt.Key.Key_Return)  # Enter adds the child, not Next
    assert wizard.currentId() == PEOPLE
    qtbot.keyClicks(page.child_name, "Noah")
    click(qtbot, page.add_child_button)
    assert [c.name for c in page.child_rows()] == ["Mia", "Noah"]
    click(qtbot, wizard.button(NEXT))
    assert wizard.currentId() == FINISH


def finish(qtbot: Any, wizard: SetupWizard, shell: Shell, run: Any) -> None:
    click(qtbot, wizard.button(FINISH_BUTTON))
    run(shell.context.tasks.drain())


def assert_the_millers(core: AppCore, run: Any) -> None:
    families = run(core.families.list_families())
    assert [(f.name, f.time_zone, f.week_start, f.day_start_hour) for f in families] == [
        ("The Millers", "Europe/Paris", WeekStart.SUNDAY, 2)
    ]
    members = run(core.families.list_members(ADMIN, families[0].id))
    assert [(m.full_name, m.role, m.avatar_emoji) for m in members] == [
        ("Anna Miller", Role.OWNER, None),
        ("Mia", Role.CHILD, "🦄"),
        ("Noah", Role.CHILD, None),
    ]
    assert members[0].email == "anna@example.com"
    assert members[0].colour == "#3FA66B"


def assert_window_shows_the_millers(shell: Shell) -> None:
    assert shell.wizard is None
    assert shell.context.family is not None and shell.context.family.name == "The Millers"
    assert [m.full_name for m in shell.context.members] == ["Anna Miller", "Mia", "Noah"]
    assert shell.window.family_label.text() == "The Millers"
    assert shell.context.acting is not None and shell.context.acting.role is Role.OWNER


# --- on this computer -------------------------------------------------------------------------


def test_first_run_on_this_computer(
    qtbot: Any, run: Any, settings: Settings, core: AppCore, make_shell: Any
) -> None:
    shell = make_shell(settings)
    wizard = started_wizard(shell, run)
    assert wizard.where.local.isChecked()
    assert wizard.button(BACK).isHidden() or not wizard.button(BACK).isEnabled()
    click(qtbot, wizard.button(NEXT))
    fill_family(qtbot, wizard)
    fill_people(qtbot, wizard)
    summary = wizard.finish.summary.text()
    for expected in ("On this computer", "The Millers", "Europe/Paris", "Sunday", "2:00", "Mia"):
        assert expected in summary

    finish(qtbot, wizard, shell, run)

    assert_the_millers(core, run)
    assert_window_shows_the_millers(shell)
    assert shell.window.connection_label.property("state") == "local"
    assert "Welcome, The Millers!" in shell.window.message_bar.label.text()


def test_bad_input_is_shown_next_to_the_field_and_nothing_is_written(
    qtbot: Any, run: Any, settings: Settings, core: AppCore, make_shell: Any
) -> None:
    shell = make_shell(settings)
    wizard = started_wizard(shell, run)
    click(qtbot, wizard.button(NEXT))
    page = wizard.family
    assert not wizard.button(NEXT).isEnabled()  # the family name is required
    qtbot.keyClicks(page.name, "The Millers")
    zone = page.time_zone.lineEdit()
    zone.selectAll()
    qtbot.keyClicks(zone, "Mars/Olympus")
    click(qtbot, wizard.button(NEXT))
    assert wizard.currentId() == FAMILY
    assert page.errors["time_zone"].isVisible()
    assert "'Mars/Olympus' is not a known time zone" in page.errors["time_zone"].text()

    zone.selectAll()
    qtbot.keyClicks(zone, "Europe/Paris")
    click(qtbot, wizard.button(NEXT))
    assert not page.errors["time_zone"].isVisible()
    people = wizard.people
    qtbot.keyClicks(people.parent_name, "Anna Miller")
    qtbot.keyClicks(people.parent_email, "anna@")
    click(qtbot, wizard.button(NEXT))
    assert wizard.currentId() == PEOPLE
    assert "not a valid email" in people.errors["email"].text().lower()
    click(qtbot, people.add_child_button)  # no name typed
    assert "Type the child's name first" in people.child_error.text()
    assert run(core.families.list_families()) == []


def test_a_refusal_from_the_service_lands_next_to_its_field(
    qtbot: Any, run: Any, settings: Settings, core: AppCore, make_shell: Any
) -> None:
    run(core.users.create_user({"full_name": "Someone Else", "email": "anna@example.com"}))
    shell = make_shell(settings)
    wizard = started_wizard(shell, run)
    click(qtbot, wizard.button(NEXT))
    fill_family(qtbot, wizard)
    fill_people(qtbot, wizard)
    finish(qtbot, wizard, shell, run)

    assert wizard.isVisible() and wizard.currentId() == FINISH
    assert "The family was not created" in wizard.finish.error.text()
    email_error = wizard.people.errors["email"]
    assert "anna@example.com is already used by another person" in email_error.text()
    assert run(core.families.list_families()) == []

    click(qtbot, wizard.button(BACK))
    assert wizard.currentId() == PEOPLE and email_error.isVisible()
    wizard.people.parent_email.selectAll()
    qtbot.keyClicks(wizard.people.parent_email, "anna.miller@example.com")
    click(qtbot, wizard.button(NEXT))
    assert not email_error.isVisible()
    finish(qtbot, wizard, shell, run)
    families = run(core.families.list_families())
    assert [f.name for f in families] == ["The Millers"]
    members = run(core.families.list_members(ADMIN, families[0].id))
    assert [m.email for m in members] == ["anna.miller@example.com", None, None]
    assert_window_shows_the_millers(shell)


def test_a_child_that_fails_is_retried_alone(
    qtbot: Any,
    run: Any,
    settings: Settings,
    core: AppCore,
    make_shell: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The network drops while Noah is added: the family and Mia stay, Finish adds only Noah."""
    original = FamilyService.add_member
    dropped: list[str] = []

    async def drop_once(self: FamilyService, actor: Any, family_id: Any, data: Any) -> Any:
        name = data["user"]["full_name"] if isinstance(data, dict) else data.user.full_name
        if name == "Noah" and not dropped:
            dropped.append("Noah")
            raise DatabaseConnectionError(
                "The connection to the database was lost.", hint="Check the network."
            )
        return await original(self, actor, family_id, data)

    monkeypatch.setattr(FamilyService, "add_member", drop_once)
    shell = make_shell(settings)
    wizard = started_wizard(shell, run)
    click(qtbot, wizard.button(NEXT))
    fill_family(qtbot, wizard)
    fill_people(qtbot, wizard)
    finish(qtbot, wizard, shell, run)

    assert wizard.isVisible()
    error = wizard.finish.error.text()
    assert "Noah could not be added: The connection to the database was lost." in error
    assert "The family exists" in error
    progress = wizard.finish.progress.text()
    assert "The Millers" in progress and "Mia added" in progress
    family = run(core.families.list_families())[0]
    assert [m.full_name for m in run(core.families.list_members(ADMIN, family.id))] == [
        "Anna Miller",
        "Mia",
    ]
    # The wizard's database is not the window's problem: no "Offline" banner.
    assert shell.window.connection_label.property("state") == "local"
    table = wizard.people.table
    assert table.item(0, 2).text() == "✓ added" and table.item(1, 2).text() == "✗ not added"

    finish(qtbot, wizard, shell, run)

    assert_the_millers(core, run)
    assert_window_shows_the_millers(shell)


def test_not_now_closes_without_writing(
    qtbot: Any, run: Any, settings: Settings, core: AppCore, make_shell: Any
) -> None:
    shell = make_shell(settings)
    wizard = started_wizard(shell, run)
    click(qtbot, wizard.button(NEXT))
    qtbot.keyClicks(wizard.family.name, "The Millers")
    click(qtbot, wizard.button(CANCEL))
    run(shell.context.tasks.drain())
    assert shell.wizard is None
    assert run(core.families.list_families()) == []
    assert shell.context.core is not None  # the app keeps its database open


# --- a shared PostgreSQL ----------------------------------------------------------------------


def go_to_connection(qtbot: Any, wizard: SetupWizard) -> None:
    click(qtbot, wizard.where.shared)
    assert wizard.where.shared.isChecked()
    click(qtbot, wizard.button(NEXT))
    assert wizard.currentId() == CONNECTION


def type_connection(
    qtbot: Any, wizard: SetupWizard, pooled: str, direct: str | None, password: str
) -> None:
    page = wizard.connection
    qtbot.keyClicks(page.pooled, secrets.without_password(pooled))
    if direct:
        qtbot.keyClicks(page.direct, secrets.without_password(direct))
    qtbot.keyClicks(page.password, password)


def test_shared_database_tested_migrated_and_used(
    # First: creating a database runs its own event loop, before the qasync one exists.
    fresh_db: str,
    qtbot: Any,
    run: Any,
    settings: Settings,
    make_shell: Any,
    pg_servers: Any,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
) -> None:
    pooled = pg_servers.url_for(fresh_db, pooled=True)
    direct = pg_servers.url_for(fresh_db)
    shell = make_shell(settings)
    wizard = started_wizard(shell, run)
    go_to_connection(qtbot, wizard)
    page = wizard.connection
    assert page.keyring_label.text() == KEYRING_YES
    assert not wizard.button(NEXT).isEnabled()
    assert not page.migrate_button.isEnabled()
    type_connection(qtbot, wizard, pooled, direct, pg_servers.password)

    click(qtbot, page.test_button)
    run(shell.context.tasks.drain())
    result = page.result_text.text()
    assert "The database has no HabitDesk tables yet." in result
    assert "transaction pooler detected" in result and "PostgreSQL" in result
    assert "reachable (used for migrations)" in result
    assert pg_servers.password not in result
    assert page.migrate_button.isEnabled() and not wizard.button(NEXT).isEnabled()

    click(qtbot, page.migrate_button)
    run(shell.context.tasks.drain())
    assert "up to date" in page.result_text.text()
    assert not page.migrate_button.isEnabled()
    assert wizard.button(NEXT).isEnabled()

    click(qtbot, wizard.button(NEXT))
    fill_family(qtbot, wizard)
    fill_people(qtbot, wizard)
    assert "password in your system keyring" in wizard.finish.summary.text()
    finish(qtbot, wizard, shell, run)

    assert_window_shows_the_millers(shell)
    assert shell.context.core is not None and shell.context.core.connection.kind == "shared"
    assert shell.window.connection_label.property("state") == "online"
    checker = AppCore.from_url(direct)
    try:
        assert_the_millers(checker, run)
    finally:
        run(checker.close())
    saved = json.loads((tmp_path / "userdata" / "settings.json").read_text())
    assert saved == {
        "database_url": secrets.without_password(pooled),
        "direct_url": secrets.without_password(direct),
    }
    assert set(memory_keyring.entries.values()) == {pg_servers.password}
    assert files_containing(tmp_path, pg_servers.password) == []


def test_wrong_password_shows_the_specific_message(
    # First: creating a database runs its own event loop, before the qasync one exists.
    fresh_db: str,
    qtbot: Any,
    run: Any,
    settings: Settings,
    make_shell: Any,
    pg_servers: Any,
    memory_keyring: MemoryKeyring,
) -> None:
    shell = make_shell(settings)
    wizard = started_wizard(shell, run)
    go_to_connection(qtbot, wizard)
    page = wizard.connection
    type_connection(qtbot, wizard, pg_servers.url_for(fresh_db, pooled=True), None, "wrong-pw")
    click(qtbot, page.test_button)
    run(shell.context.tasks.drain())
    result = page.result_text.text()
    assert "refused the password for habitdesk" in result
    assert "Copy the password again" in result
    assert "wrong-pw" not in result
    assert not page.migrate_button.isEnabled() and not wizard.button(NEXT).isEnabled()
    # Changing the password makes the old result stale: Next stays off until tested again.
    page.password.clear()
    qtbot.keyClicks(page.password, pg_servers.password)
    assert not wizard.button(NEXT).isEnabled()
    assert memory_keyring.entries == {}


def test_without_a_keyring_the_password_is_asked_at_each_start(
    # First: creating a database runs its own event loop, before the qasync one exists.
    fresh_db: str,
    qtbot: Any,
    run: Any,
    qloop: Any,
    settings: Settings,
    make_shell: Any,
    pg_servers: Any,
    no_keyring: None,
    tmp_path: Path,
) -> None:
    pooled = pg_servers.url_for(fresh_db, pooled=True)
    run(apply_migrations(pg_servers.url_for(fresh_db)))
    shell = make_shell(settings)
    wizard = started_wizard(shell, run)
    go_to_connection(qtbot, wizard)
    assert wizard.connection.keyring_label.text() == KEYRING_NO
    type_connection(qtbot, wizard, pooled, None, pg_servers.password)
    click(qtbot, wizard.connection.test_button)
    run(shell.context.tasks.drain())
    click(qtbot, wizard.button(NEXT))
    fill_family(qtbot, wizard)
    fill_people(qtbot, wizard)
    assert "ask for the password at each start" in wizard.finish.summary.text()
    finish(qtbot, wizard, shell, run)
    assert_window_shows_the_millers(shell)
    assert "ask for the password at each start" in shell.window.message_bar.label.text()
    run(shell.shutdown())
    assert files_containing(tmp_path, pg_servers.password) == []

    # The next start: nobody knows the password, so the app asks before connecting.
    secrets.forget_session_passwords()
    again = make_shell(load_settings())
    flow = again.setup_flow  # type: ignore[attr-defined]
    starting = qloop.create_task(again.start())
    run(until(lambda: flow.prompt is not None and flow.prompt.isVisible()))
    prompt = flow.prompt
    assert again.context.core is None
    qtbot.keyClicks(prompt.password, "not-it")
    qtbot.keyClick(prompt.password, Qt.Key.Key_Return)
    run(until(lambda: prompt.error.isVisible()))
    assert "refused the password for habitdesk" in prompt.error.text()
    assert again.window.connection_label.property("state") != "offline"
    prompt.password.clear()
    qtbot.keyClicks(prompt.password, pg_servers.password)
    click(qtbot, prompt.connect_button)
    run(starting)

    assert again.context.core is not None and again.context.core.connection.kind == "shared"
    assert again.context.family is not None and again.context.family.name == "The Millers"
    assert files_containing(tmp_path, pg_servers.password) == []


def test_declining_the_password_at_start_stays_offline(
    qtbot: Any,
    run: Any,
    qloop: Any,
    make_shell: Any,
    no_keyring: None,
) -> None:
    from habitdesk.core.config import save_settings

    save_settings({"database_url": "postgresql://habitdesk@127.0.0.1:1/nowhere"})
    shell = make_shell(load_settings())
    flow = shell.setup_flow  # type: ignore[attr-defined]
    starting = qloop.create_task(shell.start())
    run(until(lambda: flow.prompt is not None and flow.prompt.isVisible()))
    assert "habitdesk@127.0.0.1:1/nowhere" in " ".join(
        label.text() for label in flow.prompt.findChildren(QLabel)
    )
    click(qtbot, flow.prompt.cancel_button)
    run(starting)
    assert shell.context.core is None
    assert shell.window.connection_label.property("state") == "offline"
    assert "needs its password" in shell.window.message_bar.label.text()
    # Try again asks for the password again.
    click(qtbot, shell.window.message_bar.action_button)
    run(until(lambda: flow.prompt is not None and flow.prompt.isVisible()))
    click(qtbot, flow.prompt.cancel_button)
    run(shell.context.tasks.drain())
    assert shell.context.core is None
    assert "needs its password" in shell.window.message_bar.label.text()


def test_from_a_shared_database_back_to_this_computer(
    # First: creating a database runs its own event loop, before the qasync one exists.
    fresh_db: str,
    qtbot: Any,
    run: Any,
    make_shell: Any,
    pg_servers: Any,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
) -> None:
    """Started on an empty shared database (DATABASE_URL), the wizard offers it, masked; the
    parent keeps the data on this computer instead and the app moves to the embedded file."""
    pooled = pg_servers.url_for(fresh_db, pooled=True)
    run(apply_migrations(pg_servers.url_for(fresh_db)))
    shell = make_shell(load_settings(database_url=pooled))
    wizard = started_wizard(shell, run)
    assert wizard.where.shared.isChecked()
    assert wizard.connection.pooled.text() == secrets.without_password(pooled)
    assert wizard.connection.password.text() == pg_servers.password
    assert wizard.connection.password.echoMode() is not wizard.connection.pooled.echoMode()

    click(qtbot, wizard.where.local)
    click(qtbot, wizard.button(NEXT))
    fill_family(qtbot, wizard)
    fill_people(qtbot, wizard)
    finish(qtbot, wizard, shell, run)

    assert_window_shows_the_millers(shell)
    assert shell.context.core is not None and shell.context.core.connection.kind == "local"
    embedded = tmp_path / "userdata" / "habitdesk.sqlite3"
    assert embedded.exists()
    local = AppCore.from_url(f"sqlite+aiosqlite:///{embedded}")
    try:
        assert_the_millers(local, run)
    finally:
        run(local.close())
    shared = AppCore.from_url(pg_servers.url_for(fresh_db))
    try:
        assert run(shared.families.list_families()) == []
    finally:
        run(shared.close())
    saved = json.loads((tmp_path / "userdata" / "settings.json").read_text())
    assert saved == {"database_url": None, "direct_url": None}
    assert memory_keyring.entries == {}
