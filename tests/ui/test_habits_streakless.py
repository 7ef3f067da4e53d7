"""The Habits screen for habits without a streak (none running, or none ever): what the list,
its spoken text and the detail pane say, as a parent clicking through would see them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from habitdesk.core.appcore import AppCore
from habitdesk.core.enums import EntryStatus
from habitdesk.ui.context import AppContext
from tests.ui import test_habits_view as habits_screen
from tests.ui.test_habits_view import Martins, ago, click_habit, insert_entries, new_habit

# The Habits screen's fixtures: the Martin family, the app's context, the screen.
martins = habits_screen.martins
context = habits_screen.context
make_view = habits_screen.make_view


def test_habits_without_a_streak_say_so(
    core: AppCore,
    run: Any,
    martins: Martins,
    context: AppContext,
    make_view: Any,
    db_url: str,
    qtbot: Any,
) -> None:
    never = new_habit(core, run, martins, name="Never")
    broken = new_habit(core, run, martins, name="Broken")
    insert_entries(db_url, run, never.id, [ago(context, 2)], EntryStatus.MISSED)
    insert_entries(db_url, run, broken.id, [ago(context, 3)], EntryStatus.DONE)
    insert_entries(db_url, run, broken.id, [ago(context, 2)], EntryStatus.MISSED)
    insert_entries(db_url, run, broken.id, [ago(context, 1)], EntryStatus.MISSED)
    view = make_view()

    spoken = view.model.habit_index(never.id).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "no current streak" in spoken and "best 0 days" in spoken
    click_habit(qtbot, view, "Never")
    assert (view.current_label.text(), view.best_label.text()) == ("—", "—")
    assert view.current_label.toolTip() == "No streak running: the last due day was not done."
    assert view.best_dates.isHidden()

    click_habit(qtbot, view, "Broken")
    assert (view.current_label.text(), view.best_label.text()) == ("—", "1 day")
    day = ago(context, 3)
    assert not view.best_dates.isHidden()
    assert view.best_dates.text() == (f"Best streak: {day.day} {day:%b %Y} – {day.day} {day:%b %Y}")
