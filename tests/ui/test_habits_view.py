"""The Habits screen, driven as a parent (or a child) would: clicks and keys on real widgets,
results checked in the database through the `core` fixture."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox, QPushButton
from sqlalchemy import event

from habitdesk.core.appcore import AppCore
from habitdesk.core.db.database import Database
from habitdesk.core.enums import Direction, EntryStatus, HabitKind, Role
from habitdesk.core.models import HabitEntry
from habitdesk.core.schemas.habits import HabitRead
from habitdesk.core.schemas.people import FamilyRead, MemberRead
from habitdesk.core.services.base import Actor
from habitdesk.ui.context import AppContext
from habitdesk.ui.dialogs.habit_editor import HabitEditor, parse_number, split_messages
from habitdesk.ui.qtmodels.entries_model import PAGE_SIZE, EntriesModel
from habitdesk.ui.qtmodels.habits_model import RowKindRole, frequency_text, rules_summary
from habitdesk.ui.views.habits import HabitsView

ADMIN = Actor.local_admin()
LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier


@dataclass
class Martins:
    family: FamilyRead
    owner: MemberRead
    parent: MemberRead
    child: MemberRead
    viewer: MemberRead

    @property
    def members(self) -> list[MemberRead]:
        return [self.owner, self.parent, self.child, self.viewer]


async def make_martins(core: AppCore) -> Martins:
    family = (
        await core.families.create_family(
            {"name": "Martin", "time_zone": "Europe/Paris"},
            {"full_name": "Claire Martin", "avatar_emoji": "🦊"},
        )
    ).value
    owner = (await core.families.list_members(ADMIN, family.id))[0]
    added = []
    for name, role, emoji in (
        ("Paul Martin", Role.PARENT, None),
        ("Léa Martin", Role.CHILD, "🦄"),
        ("Grand-mère", Role.VIEWER, None),
    ):
        result = await core.families.add_member(
            ADMIN,
            family.id,
            {"user": {"full_name": name, "avatar_emoji": emoji}, "role": role},
        )
        added.append(result.value)
    return Martins(family, owner, *added)


@pytest.fixture
def martins(core: AppCore, run: Any) -> Martins:
    return run(make_martins(core))


@pytest.fixture
def context(db_url: str, run: Any, martins: Martins) -> Iterator[AppContext]:
    """The app's own core (apart from `core`, which arranges data and checks results)."""
    app_core = AppCore.from_url(db_url)
    context = AppContext(app_core)
    context.set_family(martins.family, martins.members)
    yield context
    run(context.tasks.drain())
    run(app_core.close())


def today(context: AppContext) -> date:
    return context.today


def ago(context: AppContext, n: int) -> date:
    return context.today - timedelta(days=n)


def new_habit(core: AppCore, run: Any, martins: Martins, **fields: Any) -> HabitRead:
    data: dict[str, Any] = {
        "family_id": martins.family.id,
        "user_id": martins.child.user_id,
        "name": "Read 20 minutes",
        "effective_from": date.today() - timedelta(days=60),
    }
    data.update(fields)
    return run(core.habits.create_habit(ADMIN, data)).value


def insert_entries(
    db_url: str, run: Any, habit_id: uuid.UUID, days: list[date], status: EntryStatus
) -> None:
    """Many days at once (through the service it would be a transaction a day)."""

    async def insert() -> None:
        db = Database.from_url(db_url)
        try:
            async with db.transaction() as session:
                session.add_all(
                    HabitEntry(
                        id=uuid.uuid4(),
                        habit_id=habit_id,
                        day=day,
                        value=1.0 if status is EntryStatus.DONE else 0.0,
                        status=status,
                    )
                    for day in days
                )
        finally:
            await db.dispose()

    run(insert())


@pytest.fixture
def make_view(context: AppContext, qtbot: Any, run: Any) -> Any:
    def make() -> HabitsView:
        view = HabitsView(context)
        qtbot.addWidget(view)
        view.resize(1180, 760)
        view.show()
        run(context.tasks.drain())
        return view

    return make


def settle(run: Any, context: AppContext) -> None:
    run(context.tasks.drain())


def habit_names(view: HabitsView) -> dict[str, list[str]]:
    """Member → habit names, as the list shows them."""
    shown: dict[str, list[str]] = {}
    model = view.model
    for g in range(model.rowCount()):
        group = model.index(g, 0)
        names = []
        for r in range(model.rowCount(group)):
            child = model.index(r, 0, group)
            if child.data(RowKindRole) == "habit":
                names.append(child.data(Qt.ItemDataRole.DisplayRole))
        shown[group.data(Qt.ItemDataRole.DisplayRole)] = names
    return shown


def click_habit(qtbot: Any, view: HabitsView, name: str) -> None:
    index = next(
        view.model.habit_index(item.habit.id)
        for item in view.model.habits()
        if item.habit.name == name
    )
    view.tree.scrollTo(index)
    rect = view.tree.visualRect(index)
    qtbot.mouseClick(view.tree.viewport(), LEFT, pos=rect.center())
    assert view.selected() is not None and view.selected().habit.name == name


def open_entries_tab(qtbot: Any, view: HabitsView, run: Any, context: AppContext) -> None:
    """Click the detail's Entries tab (its table reads only once shown)."""
    bar = view.detail_tabs.tabBar()
    qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(1).center())
    assert view.detail_tabs.currentWidget() is not view.insights
    settle(run, context)


def open_editor(qtbot: Any, view: HabitsView, button: QPushButton) -> HabitEditor:
    qtbot.mouseClick(button, LEFT)
    editor = view.editor
    assert editor is not None and editor.isVisible()
    return editor


def db_habits(core: AppCore, run: Any, martins: Martins) -> dict[str, HabitRead]:
    habits = run(core.habits.list_habits(ADMIN, martins.family.id, include_archived=True))
    return {h.name: h for h in habits}


@contextmanager
def count_statements(context: AppContext) -> Iterator[list[str]]:
    assert context.core is not None
    engine = context.core._db.engine.sync_engine
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "INSERT", "UPDATE", "DELETE")):
            statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


# --- the list ------------------------------------------------------------------------------------


def test_no_habits_says_what_to_do_and_offers_to_add(make_view: Any, qtbot: Any) -> None:
    view = make_view()
    assert view.pages.currentIndex() == 1
    assert view.empty_title.text() == "No habits yet — add the first one"
    editor = open_editor(qtbot, view, view.empty_add)
    assert editor.windowTitle() == "New habit"
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert view.editor is None


def test_list_groups_by_member_with_rules_strip_and_streaks(
    core: AppCore, run: Any, martins: Martins, context: AppContext, make_view: Any, db_url: str
) -> None:
    read = new_habit(core, run, martins)
    walk = new_habit(
        core, run, martins, name="Walk", kind="numeric", target_value=8000, unit="steps"
    )
    new_habit(core, run, martins, name="Piano", weekdays=["mon", "wed", "fri"])
    new_habit(core, run, martins, name="Swim", freq_num=3, freq_den=7)
    new_habit(core, run, martins, user_id=martins.parent.user_id, name="Run")
    # As in tests/core/test_habit_overview.py: ten days done, a miss, done eight days up to
    # yesterday (today still open) → current 8, best 10.
    insert_entries(
        db_url, run, read.id, [ago(context, n) for n in range(20, 10, -1)], EntryStatus.DONE
    )
    insert_entries(
        db_url, run, read.id, [ago(context, n) for n in range(8, 0, -1)], EntryStatus.DONE
    )
    run(core.habits.set_entry(ADMIN, walk.id, today(context), {"value": 9000}))
    view = make_view()

    assert habit_names(view) == {
        "Claire Martin": [],
        "Paul Martin": ["Run"],
        "Léa Martin": ["Read 20 minutes", "Walk", "Piano", "Swim"],
        "Grand-mère": [],
    }
    items = {item.habit.name: item for item in view.model.habits()}
    assert rules_summary(items["Walk"].habit) == "8,000 steps a day"
    assert rules_summary(items["Piano"].habit) == "Mon, Wed, Fri"
    assert rules_summary(items["Swim"].habit) == "3 times a week"
    assert rules_summary(items["Read 20 minutes"].habit) == "Every day"
    reading = items["Read 20 minutes"]
    assert (reading.current_streak.length, reading.best_streak.length) == (8, 10)
    assert len(reading.days) == 30 and reading.days[-1].day == today(context)
    index = view.model.habit_index(reading.habit.id)
    spoken = index.data(Qt.ItemDataRole.AccessibleTextRole)
    assert "current streak 8 days" in spoken and "best 10 days" in spoken
    # A member without habits says so; the headers are not selectable.
    claire = view.model.index(0, 0)
    assert view.model.index(0, 0, claire).data(Qt.ItemDataRole.DisplayRole) == (
        "No habits yet for Claire"
    )
    assert not view.model.flags(claire) & Qt.ItemFlag.ItemIsSelectable


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


def test_streak_figures_on_screen_match_the_core(
    core: AppCore,
    run: Any,
    martins: Martins,
    context: AppContext,
    make_view: Any,
    db_url: str,
    qtbot: Any,
) -> None:
    read = new_habit(core, run, martins)
    insert_entries(
        db_url, run, read.id, [ago(context, n) for n in range(20, 10, -1)], EntryStatus.DONE
    )
    insert_entries(
        db_url, run, read.id, [ago(context, n) for n in range(8, 0, -1)], EntryStatus.DONE
    )
    view = make_view()
    click_habit(qtbot, view, "Read 20 minutes")
    assert view.current_label.text() == "8 days"
    assert view.best_label.text() == "10 days"
    assert view.done_label.text() == "18"
    first, last = ago(context, 20), ago(context, 11)
    assert view.best_dates.text() == (
        f"Best streak: {first.day} {first:%b %Y} – {last.day} {last:%b %Y}"
    )
    assert view.day_strip.days[-2].held and not view.day_strip.days[-10].held
    # Checking today off (elsewhere) makes it nine, once the screen hears of it.
    result = run(core.habits.set_entry(ADMIN, read.id, today(context), {"status": "done"}))
    context.bus.changes_applied.emit(result.changes, None)
    settle(run, context)
    assert view.current_label.text() == "9 days"


def test_member_filter_shows_one_member(
    core: AppCore, run: Any, martins: Martins, context: AppContext, make_view: Any
) -> None:
    new_habit(core, run, martins)
    new_habit(core, run, martins, user_id=martins.parent.user_id, name="Run")
    view = make_view()
    context.set_member_filter(martins.parent.user_id)
    run(context.tasks.drain())
    assert habit_names(view) == {"Paul Martin": ["Run"]}


def test_the_screen_loads_in_six_statements(
    core: AppCore, run: Any, martins: Martins, context: AppContext, make_view: Any, db_url: str
) -> None:
    for n in range(4):
        habit = new_habit(core, run, martins, name=f"Habit {n}")
        insert_entries(
            db_url, run, habit.id, [ago(context, d) for d in range(1, 400)], EntryStatus.DONE
        )
    view = make_view()
    with count_statements(context) as statements:
        run(view.refresh())
    assert len(statements) <= 6


def test_a_screen_switch_with_the_first_habit_selected_runs_six_statements(
    core: AppCore, run: Any, martins: Martins, context: AppContext, make_view: Any, db_url: str
) -> None:
    """Issue 3: a screen switch shows its data with ≤ 6 statements whatever the length of the
    history — the list and the detail pane of the habit selected on its own, entries included.
    Issue 4 put the detail in tabs that read only when shown: the Insights tab (the default)
    comes with the list in the screen's one read (5 + 1); the Entries tab reads its first page
    when opened (1), and a switch with it in view costs 5 + 1."""
    habits = []
    for n in range(4):
        habit = new_habit(core, run, martins, name=f"Habit {n}", effective_from=ago(context, 500))
        insert_entries(
            db_url, run, habit.id, [ago(context, d) for d in range(1, 400)], EntryStatus.DONE
        )
        habits.append(habit)
    with count_statements(context) as statements:
        view = make_view()
        settle(run, context)
    selected = view.selected()
    assert selected is not None and selected.habit.id == habits[0].id
    assert view.insights.detail is not None and view.insights.detail.total_completions == 399
    assert len(statements) <= 6, statements
    with count_statements(context) as statements:
        view.detail_tabs.setCurrentIndex(1)
        settle(run, context)
    assert len(statements) == 1, statements
    assert view.entries_model.total == 399 and view.entries_model.rowCount() == PAGE_SIZE
    assert view.entries_count.text() == "· 399 days recorded"
    assert len(statements) <= 6, statements

    # Away, a day is checked off elsewhere, and back: the list and the entries are read again.
    view.hide()
    result = run(core.habits.set_entry(ADMIN, habits[0].id, today(context), {"status": "done"}))
    context.bus.changes_applied.emit(result.changes, None)
    with count_statements(context) as statements:
        view.show()
        settle(run, context)
    assert view.entries_model.total == 400
    assert view.entries_model.rows[0].day == today(context)
    assert view.entries_count.text() == "· 400 days recorded"
    assert len(statements) <= 6, statements


def test_the_insights_tab_comes_with_the_list_and_follows_changes(
    core: AppCore,
    run: Any,
    martins: Martins,
    context: AppContext,
    make_view: Any,
    db_url: str,
    qtbot: Any,
) -> None:
    """With Insights in view, a switch back after a change reads the list and the selected
    habit's detail together (≤ 6 statements); picking another habit reads its detail alone."""
    read = new_habit(core, run, martins, effective_from=ago(context, 300))
    walk = new_habit(core, run, martins, name="Walk", effective_from=ago(context, 300))
    insert_entries(db_url, run, walk.id, [ago(context, d) for d in range(1, 200)], EntryStatus.DONE)
    view = make_view()
    click_habit(qtbot, view, "Walk")
    settle(run, context)
    assert view.insights.detail is not None and view.insights.detail.total_completions == 199

    view.hide()
    result = run(core.habits.set_entry(ADMIN, walk.id, today(context), {"status": "done"}))
    context.bus.changes_applied.emit(result.changes, None)
    with count_statements(context) as statements:
        view.show()
        settle(run, context)
    assert len(statements) <= 6, statements
    assert view.selected() is not None and view.selected().habit.id == walk.id
    assert view.insights.detail is not None and view.insights.detail.total_completions == 200
    assert view.current_label.text() == "200 days"

    with count_statements(context) as statements:
        click_habit(qtbot, view, "Read 20 minutes")
        settle(run, context)
    assert view.insights.detail is not None and view.insights.detail.habit_id == read.id
    assert view.insights.detail.total_completions == 0
    assert len(statements) == 4, statements


# --- the editor ----------------------------------------------------------------------------------


def test_create_a_habit_with_clicks_and_keys(
    core: AppCore, run: Any, martins: Martins, context: AppContext, make_view: Any, qtbot: Any
) -> None:
    view = make_view()
    editor = open_editor(qtbot, view, view.empty_add)
    qtbot.keyClicks(editor.member_combo, "L")  # type-to-find, as in any list
    qtbot.keyClicks(editor.name_edit, "Walk")
    qtbot.mouseClick(editor.numeric_radio, LEFT)
    assert editor.target_edit.isEnabled() and editor.unit_edit.isEnabled()
    qtbot.keyClicks(editor.target_edit, "8,000")
    qtbot.keyClicks(editor.unit_edit, "steps")
    qtbot.mouseClick(editor.weekdays_radio, LEFT)
    assert editor.weekday_picker.weekdays() == ["mon", "wed", "fri"]
    qtbot.mouseClick(editor.weekday_picker.buttons["wed"], LEFT)  # not Wednesday after all
    assert editor.summary_label.text() == "Shown as: 8,000 steps on Mon, Fri"
    qtbot.mouseClick(editor.colour_picker._buttons["#3FA66B"], LEFT)
    qtbot.keyClick(editor.points_spin, Qt.Key.Key_Up)
    qtbot.keyClick(editor.points_spin, Qt.Key.Key_Up)
    qtbot.mouseClick(editor.save_button, LEFT)
    settle(run, context)

    assert view.editor is None  # closed (and deleted) once saved
    saved = db_habits(core, run, martins)["Walk"]
    assert saved.user_id == martins.child.user_id
    assert (saved.kind, saved.target_value, saved.unit) == (HabitKind.NUMERIC, 8000, "steps")
    assert saved.direction is Direction.AT_LEAST
    assert saved.weekdays == ("mon", "fri")
    assert (saved.colour, saved.points) == ("#3FA66B", 2)
    assert habit_names(view)["Léa Martin"] == ["Walk"]
    assert view.selected() is not None and view.selected().habit.name == "Walk"
    assert view.detail_title.text() == "Walk"


def test_numeric_habit_without_unit_is_refused_next_to_the_field(
    core: AppCore, run: Any, martins: Martins, context: AppContext, make_view: Any, qtbot: Any
) -> None:
    view = make_view()
    editor = open_editor(qtbot, view, view.add_button)
    qtbot.keyClicks(editor.name_edit, "Screen time")
    qtbot.mouseClick(editor.numeric_radio, LEFT)
    qtbot.keyClicks(editor.target_edit, "60")
    editor.direction_combo.setFocus()
    qtbot.keyClick(editor.direction_combo, Qt.Key.Key_Down)  # at most
    qtbot.mouseClick(editor.save_button, LEFT)
    settle(run, context)
    assert editor.isVisible()
    assert editor.error_text("unit") == "A numeric habit needs a unit (e.g. steps, minutes)"
    assert editor.errors["unit"].property("fieldError") is True
    assert editor.unit_edit.hasFocus()
    assert db_habits(core, run, martins) == {}

    # A target that is not a number is caught before anything is sent.
    editor.target_edit.clear()
    qtbot.keyClicks(editor.target_edit, "lots")
    qtbot.keyClicks(editor.unit_edit, "min")
    qtbot.mouseClick(editor.save_button, LEFT)
    assert editor.error_text("target") == "Enter a number, such as 8000 or 7.5"
    assert editor.error_text("unit") == ""

    editor.target_edit.clear()
    qtbot.keyClicks(editor.target_edit, "60")
    qtbot.keyClick(editor.name_edit, Qt.Key.Key_Return)  # Enter saves, as in any dialog
    settle(run, context)
    saved = db_habits(core, run, martins)["Screen time"]
    assert (saved.target_value, saved.unit, saved.direction) == (60, "min", Direction.AT_MOST)
    assert rules_summary(saved) == "At most 60 min a day"


def test_times_more_than_days_is_refused_next_to_the_frequency(
    core: AppCore, run: Any, martins: Martins, context: AppContext, make_view: Any, qtbot: Any
) -> None:
    view = make_view()
    editor = open_editor(qtbot, view, view.add_button)
    qtbot.keyClicks(editor.name_edit, "Swim")
    editor.times_spin.setFocus()
    for _ in range(2):
        qtbot.keyClick(editor.times_spin, Qt.Key.Key_Up)
    qtbot.mouseClick(editor.save_button, LEFT)
    settle(run, context)
    assert "3 times per day is impossible" in editor.error_text("frequency")
    assert db_habits(core, run, martins) == {}
    editor.days_spin.setFocus()
    qtbot.keyClick(editor.days_spin, Qt.Key.Key_A, CTRL)
    qtbot.keyClicks(editor.days_spin, "7")
    assert editor.summary_label.text() == "Shown as: 3 times a week"
    qtbot.mouseClick(editor.save_button, LEFT)
    settle(run, context)
    saved = db_habits(core, run, martins)["Swim"]
    assert (saved.freq_num, saved.freq_den) == (3, 7)


def test_editing_the_target_makes_a_new_rules_version(
    core: AppCore, run: Any, martins: Martins, context: AppContext, make_view: Any, qtbot: Any
) -> None:
    walk = new_habit(
        core, run, martins, name="Walk", kind="numeric", target_value=8000, unit="steps"
    )
    view = make_view()
    click_habit(qtbot, view, "Walk")
    qtbot.keyClick(view.tree, Qt.Key.Key_Return)
    editor = view.editor
    assert editor is not None and editor.habit is not None
    assert not editor.effective_box.isVisibleTo(editor)  # nothing to date yet
    editor.target_edit.selectAll()
    qtbot.keyClicks(editor.target_edit, "10000")
    assert editor.effective_box.isVisibleTo(editor)
    editor.effective_edit.setFocus()
    qtbot.keyClick(editor.effective_edit, Qt.Key.Key_Down)  # from yesterday
    qtbot.mouseClick(editor.save_button, LEFT)
    settle(run, context)

    versions = run(core.habits.list_versions(walk.id))
    assert [(v.number, v.target_value) for v in versions] == [(1, 8000), (2, 10000)]
    assert versions[1].effective_from == ago(context, 1)
    item = view.selected()
    assert item is not None and item.habit.target_value == 10000
    yesterday = ago(context, 1)
    assert view.detail_versions.text().startswith(f"Rules since {yesterday.day} {yesterday:%b %Y}")
    assert "8,000 steps a day" in view.detail_versions.text()


def test_renaming_alone_makes_no_new_version(
    core: AppCore, run: Any, martins: Martins, context: AppContext, make_view: Any, qtbot: Any
) -> None:
    habit = new_habit(core, run, martins)
    view = make_view()
    click_habit(qtbot, view, "Read 20 minutes")
    editor = open_editor(qtbot, view, view.edit_button)
    editor.name_edit.selectAll()
    qtbot.keyClicks(editor.name_edit, "Read 30 minutes")
    qtbot.mouseClick(editor.save_button, LEFT)
    settle(run, context)
    assert [v.number for v in run(core.habits.list_versions(habit.id))] == [1]
    assert habit_names(view)["Léa Martin"] == ["Read 30 minutes"]


# --- order, archive, remove ----------------------------------------------------------------------


def test_reorder_by_keyboard(
    core: AppCore, run: Any, martins: Martins, context: AppContext, make_view: Any, qtbot: Any
) -> None:
    for name in ("One", "Two", "Three"):
        new_habit(core, run, martins, name=name)
    view = make_view()
    click_habit(qtbot, view, "Three")
    qtbot.keyClick(view.tree, Qt.Key.Key_Up, CTRL)
    assert habit_names(view)["Léa Martin"] == ["One", "Three", "Two"]  # at once
    settle(run, context)
    qtbot.keyClick(view.tree, Qt.Key.Key_Up, CTRL)
    settle(run, context)
    assert habit_names(view)["Léa Martin"] == ["Three", "One", "Two"]
    saved = run(core.habits.list_habits(ADMIN, martins.family.id, martins.child.user_id))
    assert [h.name for h in saved] == ["Three", "One", "Two"]
    assert view.selected() is not None and view.selected().habit.name == "Three"
    assert not view.up_button.isEnabled()
    qtbot.mouseClick(view.down_button, LEFT)
    settle(run, context)
    saved = run(core.habits.list_habits(ADMIN, martins.family.id, martins.child.user_id))
    assert [h.name for h in saved] == ["One", "Three", "Two"]


def test_archive_and_unarchive(
    core: AppCore, run: Any, martins: Martins, context: AppContext, make_view: Any, qtbot: Any
) -> None:
    new_habit(core, run, martins, name="Old")
    new_habit(core, run, martins, name="Kept")
    view = make_view()
    click_habit(qtbot, view, "Old")
    qtbot.mouseClick(view.archive_button, LEFT)
    settle(run, context)
    assert db_habits(core, run, martins)["Old"].archived
    assert habit_names(view)["Léa Martin"] == ["Kept"]
    assert view.selected() is not None and view.selected().habit.name == "Kept"
    assert "1 archived habit hidden" in view.subtitle.text()

    qtbot.mouseClick(view.show_archived, LEFT)
    assert habit_names(view)["Léa Martin"] == ["Old", "Kept"]
    click_habit(qtbot, view, "Old")
    assert view.archive_button.text() == "Unarchive"
    qtbot.mouseClick(view.archive_button, LEFT)
    settle(run, context)
    assert not db_habits(core, run, martins)["Old"].archived
    assert view.archive_button.text() == "Archive"


def test_remove_asks_first(
    core: AppCore, run: Any, martins: Martins, context: AppContext, make_view: Any, qtbot: Any
) -> None:
    new_habit(core, run, martins, name="Gone")
    new_habit(core, run, martins, name="Stays")
    view = make_view()
    click_habit(qtbot, view, "Gone")
    qtbot.keyClick(view.tree, Qt.Key.Key_Delete)
    box = view.confirm_box
    assert box is not None and box.isVisible()
    qtbot.keyClick(box, Qt.Key.Key_Escape)  # Cancel is the safe default
    settle(run, context)
    assert "Gone" in db_habits(core, run, martins)
    box = view.remove_selected()
    assert isinstance(box, QMessageBox)
    confirm = next(b for b in box.findChildren(QPushButton) if b.text() == "Remove")
    qtbot.mouseClick(confirm, LEFT)
    settle(run, context)
    assert set(db_habits(core, run, martins)) == {"Stays"}
    assert habit_names(view)["Léa Martin"] == ["Stays"]


# --- the entries table ---------------------------------------------------------------------------


def test_entries_page_in_as_the_table_scrolls(
    core: AppCore,
    run: Any,
    martins: Martins,
    context: AppContext,
    make_view: Any,
    qtbot: Any,
    db_url: str,
) -> None:
    habit = new_habit(core, run, martins, effective_from=ago(context, 300))
    insert_entries(db_url, run, habit.id, [ago(context, n) for n in range(250)], EntryStatus.DONE)
    view = make_view()
    click_habit(qtbot, view, "Read 20 minutes")
    open_entries_tab(qtbot, view, run, context)
    model = view.entries_model
    assert model.rowCount() == PAGE_SIZE and model.total == 250
    assert view.entries_count.text() == "· 250 days recorded"
    assert model.canFetchMore(QModelIndex())
    assert model.data(model.index(0, EntriesModel.DATE)).startswith(f"{today(context):%a}")

    table = view.entries_table
    QApplication.processEvents()  # the table lays out the rows it was given
    first = table.visualRect(model.index(0, EntriesModel.DATE)).center()
    qtbot.mouseClick(table.viewport(), LEFT, pos=first)
    # Ctrl+End: to the last row held; the table asks the model for more.
    qtbot.keyClick(table, Qt.Key.Key_End, CTRL)
    task = model.pending_task
    assert task is not None
    run(task)
    assert model.rowCount() == 2 * PAGE_SIZE
    scroll = table.verticalScrollBar()
    scroll.setValue(scroll.maximum())
    settle(run, context)
    assert model.rowCount() == 250
    assert not model.canFetchMore(QModelIndex())
    assert model.rows[-1].day == ago(context, 249)
    assert [e.day for e in model.rows] == sorted((e.day for e in model.rows), reverse=True)


def test_editing_a_note_in_the_table_saves_it(
    core: AppCore, run: Any, martins: Martins, context: AppContext, make_view: Any, qtbot: Any
) -> None:
    habit = new_habit(core, run, martins)
    run(core.habits.set_entry(ADMIN, habit.id, ago(context, 1), {"status": "done"}))
    run(core.habits.set_entry(ADMIN, habit.id, today(context), {"status": "done"}))
    view = make_view()
    click_habit(qtbot, view, "Read 20 minutes")
    open_entries_tab(qtbot, view, run, context)
    table = view.entries_table
    note = view.entries_model.index(1, EntriesModel.NOTE)  # yesterday
    table.setCurrentIndex(note)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F2)
    [line] = table.viewport().findChildren(QLineEdit)
    qtbot.keyClicks(line, "Finished the book!")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    settle(run, context)
    stored = run(core.habits.entries_in_range(habit.id, ago(context, 1), ago(context, 1)))
    assert stored[0].note == "Finished the book!"
    assert view.entries_model.data(note) == "Finished the book!"
    assert view.entries_model.rowCount() == 2  # the table was not reloaded


# --- who may do what ------------------------------------------------------------------------------


def test_a_child_cannot_change_habits_but_writes_notes_on_its_own(
    core: AppCore, run: Any, martins: Martins, context: AppContext, make_view: Any, qtbot: Any
) -> None:
    mine = new_habit(core, run, martins)
    run(core.habits.set_entry(ADMIN, mine.id, today(context), {"status": "done"}))
    dads = new_habit(core, run, martins, user_id=martins.parent.user_id, name="Run")
    run(core.habits.set_entry(ADMIN, dads.id, today(context), {"status": "done"}))
    view = make_view()
    click_habit(qtbot, view, "Read 20 minutes")
    editor = open_editor(qtbot, view, view.edit_button)  # the parent opened it …
    context.set_acting(martins.child.user_id)  # … and Léa took the keyboard
    settle(run, context)
    assert not editor.save_button.isEnabled() and not editor.name_edit.isEnabled()
    assert editor.read_only_note.isVisibleTo(editor)
    qtbot.mouseClick(editor.cancel_button, LEFT)

    for button in (
        view.add_button,
        view.edit_button,
        view.archive_button,
        view.remove_button,
        view.up_button,
        view.down_button,
    ):
        assert not button.isEnabled(), button.accessibleName()
    assert view.read_only_note.isVisibleTo(view)
    assert "only a parent can change habits" in view.read_only_note.text()
    qtbot.keyClick(view.tree, Qt.Key.Key_Return)
    qtbot.keyClick(view.tree, Qt.Key.Key_N, CTRL)
    assert view.editor is None

    open_entries_tab(qtbot, view, run, context)
    flags = view.entries_model.flags(view.entries_model.index(0, EntriesModel.NOTE))
    assert flags & Qt.ItemFlag.ItemIsEditable  # her own habit
    click_habit(qtbot, view, "Run")
    settle(run, context)
    flags = view.entries_model.flags(view.entries_model.index(0, EntriesModel.NOTE))
    assert not flags & Qt.ItemFlag.ItemIsEditable  # her father's


# --- texts ----------------------------------------------------------------------------------------


def test_rules_summaries_read_naturally() -> None:
    assert frequency_text(1, 1) == "a day"
    assert frequency_text(1, 2) == "every other day"
    assert frequency_text(2, 7) == "twice a week"
    assert frequency_text(1, 7) == "once a week"
    assert frequency_text(3, 10) == "3 times in 10 days"
    assert frequency_text(1, 10) == "once every 10 days"

    def habit(**fields: Any) -> HabitRead:
        base: dict[str, Any] = {
            "kind": HabitKind.BOOLEAN,
            "target_value": None,
            "unit": None,
            "direction": Direction.AT_LEAST,
            "freq_num": 1,
            "freq_den": 1,
            "weekdays": None,
        }
        base.update(fields)
        return HabitRead.model_construct(**base)

    assert rules_summary(habit()) == "Every day"
    assert rules_summary(habit(weekdays=("mon", "tue", "wed", "thu", "fri"))) == "On weekdays"
    numeric = {"kind": HabitKind.NUMERIC, "target_value": 150.0, "unit": "min"}
    assert rules_summary(habit(**numeric, freq_num=1, freq_den=7)) == "150 min, once a week"
    assert rules_summary(habit(**numeric, weekdays=("sat", "sun"))) == "150 min at weekends"
    assert rules_summary(habit(**{**numeric, "target_value": 7.5, "unit": "km"})) == "7.5 km a day"


def test_service_messages_land_on_their_fields() -> None:
    assert split_messages(
        "Unit: a numeric habit needs a unit; Times: must be between 1 and 365"
    ) == {
        "unit": "A numeric habit needs a unit",
        "frequency": "Must be between 1 and 365",
    }
    assert split_messages("A child cannot change habits; ask a owner or parent.") == {
        "general": "A child cannot change habits; ask a owner or parent."
    }
    assert parse_number("8,000") == 8000
    assert parse_number("7,5") == 7.5
    assert parse_number(" ") is None
    with pytest.raises(ValueError):
        parse_number("lots")
