"""The habit editor when someone else saved the habit while it was open: a conflict with a
"Reload" button that brings their version into the dialog, which stays open."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from habitdesk.core.appcore import AppCore
from habitdesk.core.enums import HabitKind, Role
from habitdesk.core.schemas.habits import HabitRead
from habitdesk.core.services.base import Actor
from habitdesk.ui.context import AppContext
from habitdesk.ui.dialogs.habit_editor import HabitEditor

ADMIN = Actor.local_admin()
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def context(core: AppCore, run: Any) -> Iterator[AppContext]:
    family = run(
        core.families.create_family(
            {"name": "Martin", "time_zone": "Europe/Paris"},
            {"full_name": "Claire Martin", "colour": "#3FA66B"},
        )
    ).value
    run(
        core.families.add_member(
            ADMIN, family.id, {"user": {"full_name": "Léa Martin"}, "role": Role.CHILD}
        )
    )
    ctx = AppContext(core)
    ctx.set_family(family, run(core.families.list_members(ADMIN, family.id)))
    yield ctx
    run(ctx.tasks.drain())
    ctx.deleteLater()


@pytest.fixture
def walk(core: AppCore, run: Any, context: AppContext) -> HabitRead:
    assert context.family is not None
    data = {
        "family_id": context.family.id,
        "user_id": context.members[1].user_id,
        "name": "Walk",
        "kind": "numeric",
        "target_value": 8000,
        "unit": "steps",
    }
    return run(core.habits.create_habit(ADMIN, data)).value


@pytest.fixture
def editor(context: AppContext, walk: HabitRead, qtbot: Any) -> Iterator[HabitEditor]:
    dialog = HabitEditor(context, habit=walk)
    dialog.open()
    qtbot.waitExposed(dialog)
    yield dialog
    dialog.close()
    dialog.deleteLater()
    QApplication.processEvents()


def settle(run: Any, context: AppContext) -> None:
    run(context.tasks.drain())
    QApplication.processEvents()


def test_a_conflict_offers_reload_which_shows_the_saved_habit(
    core: AppCore, run: Any, context: AppContext, walk: HabitRead, editor: HabitEditor, qtbot: Any
) -> None:
    # Another parent raises the target and renames the habit while the dialog is open.
    run(core.habits.update_habit(ADMIN, walk.id, {"name": "Daily walk", "target_value": 10000}))

    editor.name_edit.selectAll()
    qtbot.keyClicks(editor.name_edit, "Morning walk")
    qtbot.mouseClick(editor.save_button, LEFT)
    settle(run, context)

    assert editor.isVisible()  # refused: nothing of ours was written
    assert editor.conflict.isVisibleTo(editor)
    assert editor.conflict.text.text().startswith("Someone else changed this habit")
    assert not editor.save_button.isEnabled()  # saving again would conflict again
    assert editor.conflict.reload_button.hasFocus()
    saved = run(core.habits.get_habit(walk.id))
    assert (saved.name, saved.target_value) == ("Daily walk", 10000)

    qtbot.keyClick(editor.conflict.reload_button, Qt.Key.Key_Space)
    settle(run, context)

    assert editor.isVisible()  # the dialog stays open with their version
    assert not editor.conflict.isVisibleTo(editor)
    assert editor.name_edit.text() == "Daily walk"
    assert editor.target_edit.text() == "10000"
    assert editor.windowTitle() == "Edit “Daily walk”"
    assert editor.save_button.isEnabled()
    assert editor.habit is not None and editor.habit.version == saved.version

    # Now our change goes on top of theirs.
    editor.name_edit.selectAll()
    qtbot.keyClicks(editor.name_edit, "Morning walk")
    qtbot.mouseClick(editor.save_button, LEFT)
    settle(run, context)
    assert not editor.isVisible()
    saved = run(core.habits.get_habit(walk.id))
    assert (saved.name, saved.target_value, saved.kind) == (
        "Morning walk",
        10000,
        HabitKind.NUMERIC,
    )


def test_reload_of_a_habit_removed_meanwhile_says_so(
    core: AppCore, run: Any, context: AppContext, walk: HabitRead, editor: HabitEditor, qtbot: Any
) -> None:
    run(core.habits.update_habit(ADMIN, walk.id, {"name": "Daily walk"}))
    qtbot.mouseClick(editor.save_button, LEFT)
    settle(run, context)
    assert editor.conflict.isVisibleTo(editor)
    run(core.habits.remove_habit(ADMIN, walk.id))

    qtbot.mouseClick(editor.conflict.reload_button, LEFT)
    settle(run, context)

    assert editor.isVisible()
    assert editor.error_text("general").startswith("That habit does not exist")
    assert editor.conflict.reload_button.isEnabled()
