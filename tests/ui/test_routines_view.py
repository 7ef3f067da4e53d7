"""The Routines screen, driven as a parent (and a child) would: clicks and keys on real widgets,
results checked in the database through the `core` fixture."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPushButton, QTreeWidgetItem
from sqlalchemy import event

from habitdesk.core.appcore import AppCore
from habitdesk.core.enums import Role, RunStatus, WeekStart
from habitdesk.core.schemas.people import FamilyRead, MemberRead
from habitdesk.core.schemas.routines import RoutineRead
from habitdesk.core.services.base import Actor
from habitdesk.ui.context import AppContext
from habitdesk.ui.dialogs.routine_editor import RoutineEditor, format_day, split_messages
from habitdesk.ui.qtmodels.steps_model import Column, StepDraft, StepsModel
from habitdesk.ui.views.routines import KIND_ROLE, PAYLOAD_ROLE, RUN_PAGE, RoutinesView
from habitdesk.ui.widgets.weekday_picker import WeekdayPicker

ADMIN = Actor.local_admin()
LEFT = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier


@dataclass
class Martins:
    family: FamilyRead
    owner: MemberRead
    lea: MemberRead
    hugo: MemberRead
    viewer: MemberRead

    @property
    def members(self) -> list[MemberRead]:
        return [self.owner, self.lea, self.hugo, self.viewer]


async def make_martins(core: AppCore) -> Martins:
    family = (
        await core.families.create_family(
            {"name": "Martin", "time_zone": "Europe/Paris"},
            {"full_name": "Claire Martin", "colour": "#7A5AF8"},
        )
    ).value
    owner = (await core.families.list_members(ADMIN, family.id))[0]
    added = []
    for name, role, colour in (
        ("Léa Martin", Role.CHILD, "#E8773D"),
        ("Hugo Martin", Role.CHILD, "#2E9E6A"),
        ("Grand-mère", Role.VIEWER, "#C9A227"),
    ):
        result = await core.families.add_member(
            ADMIN, family.id, {"user": {"full_name": name, "colour": colour}, "role": role}
        )
        added.append(result.value)
    return Martins(family, owner, *added)


MORNING = [
    {"title": "Wake up"},
    {"title": "Brush teeth", "duration_minutes": 2, "points": 5},
    {"title": "Breakfast", "duration_minutes": 15, "points": 2},
]


async def make_routine(
    core: AppCore, martins: Martins, who: MemberRead, name: str = "Morning routine", **extra: Any
) -> RoutineRead:
    data: dict[str, Any] = {
        "family_id": martins.family.id,
        "user_id": who.user_id,
        "name": name,
        "weekdays": ["mon", "tue", "wed", "thu", "fri"],
        "start_time": "07:00",
        "finish_by": "07:45",
        "steps": MORNING,
        **extra,
    }
    return (await core.routines.create_routine(ADMIN, data)).value


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
    context.deleteLater()


@pytest.fixture
def view(context: AppContext, qtbot: Any, run: Any) -> RoutinesView:
    view = RoutinesView(context)
    qtbot.addWidget(view)
    view.resize(1100, 720)
    view.show()
    run(context.tasks.drain())
    return view


# --- helpers -----------------------------------------------------------------------------------


def settle(run: Any, context: AppContext) -> None:
    run(context.tasks.drain())


def routine_items(view: RoutinesView) -> dict[str, QTreeWidgetItem]:
    items = {}
    for i in range(view.tree.topLevelItemCount()):
        item = view.tree.topLevelItem(i)
        if item.data(0, KIND_ROLE) == "routine":
            routine, _member = item.data(0, PAYLOAD_ROLE)
            items[routine.name] = item
    return items


def group_names(view: RoutinesView) -> list[str]:
    names = []
    for i in range(view.tree.topLevelItemCount()):
        item = view.tree.topLevelItem(i)
        if item.data(0, KIND_ROLE) == "member":
            member = item.data(0, PAYLOAD_ROLE)
            names.append(member.full_name if member else "Former members")
    return names


def click_routine(qtbot: Any, view: RoutinesView, name: str) -> None:
    item = routine_items(view)[name]
    qtbot.mouseClick(view.tree.viewport(), LEFT, pos=view.tree.visualItemRect(item).center())
    assert view.selected is not None and view.selected.routine.name == name


def open_editor(qtbot: Any, view: RoutinesView, button: QPushButton) -> RoutineEditor:
    qtbot.mouseClick(button, LEFT)
    editor = view.editor
    assert editor is not None and editor.isVisible()
    return editor


def add_step(qtbot: Any, editor: RoutineEditor, title: str, minutes: int = 0, points: int = 0):  # type: ignore[no-untyped-def]
    qtbot.keyClicks(editor.new_step_edit, title)
    for _ in range(minutes):
        qtbot.keyClick(editor.new_step_minutes, Qt.Key.Key_Up)
    for _ in range(points):
        qtbot.keyClick(editor.new_step_points, Qt.Key.Key_Up)
    qtbot.keyClick(editor.new_step_edit, Qt.Key.Key_Return)


def click_step(qtbot: Any, editor: RoutineEditor, row: int) -> None:
    table = editor.steps_table
    rect = table.visualRect(editor.steps_model.index(row, Column.TITLE))
    qtbot.mouseClick(table.viewport(), LEFT, pos=rect.center())


def step_titles(editor: RoutineEditor) -> list[str]:
    return [s.title for s in editor.steps_model.steps()]


def routines_in_db(core: AppCore, run: Any, martins: Martins) -> list[RoutineRead]:
    return run(core.routines.list_routines(ADMIN, martins.family.id, include_archived=True))


@contextmanager
def count_statements(core: AppCore) -> Iterator[list[str]]:
    engine = core._db.engine.sync_engine
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


# --- the list ----------------------------------------------------------------------------------


def test_empty_family_says_what_to_do(view: RoutinesView) -> None:
    assert view.pages.currentIndex() == 1
    assert view.empty_title.text() == "No routines yet — add the first one"
    assert view.empty_button.isVisible()


def test_list_groups_routines_by_member_with_version_and_size(
    view: RoutinesView, core: AppCore, martins: Martins, context: AppContext, run: Any
) -> None:
    run(make_routine(core, martins, martins.lea))
    run(make_routine(core, martins, martins.hugo, "Homework", weekdays=["mon", "wed"]))
    settle(run, view.context)
    run(view.refresh())
    today = format_day(context.today)

    # Viewers have no routines, so they get no group; members without any say so.
    assert group_names(view) == ["Claire Martin", "Léa Martin", "Hugo Martin"]
    items = routine_items(view)
    assert set(items) == {"Morning routine", "Homework"}
    text = items["Morning routine"].text(0)
    assert "Mon–Fri · 07:00 → 07:45" in text
    assert "3 steps · 17 min · 7 points" in text
    assert f"version 1, since {today}" in text
    assert "Mon, Wed" in items["Homework"].text(0)

    # The header's member filter narrows the list.
    context.set_member_filter(martins.hugo.user_id)
    settle(run, context)
    assert group_names(view) == ["Hugo Martin"]
    assert set(routine_items(view)) == {"Homework"}


def test_screen_loads_in_few_statements_whatever_the_history(
    view: RoutinesView, core: AppCore, martins: Martins, context: AppContext, run: Any
) -> None:
    routine = run(make_routine(core, martins, martins.lea))
    for i in range(8):
        run(core.routines.update_routine(ADMIN, routine.id, {"steps": [{"title": f"Step {i}"}]}))
    run(make_routine(core, martins, martins.hugo, "Homework"))
    context_core = context.core
    assert context_core is not None
    with count_statements(context_core) as statements:
        run(view.refresh())
    assert len(statements) <= 6
    assert next(t for t in view.history_texts() if t.startswith("Version ")).startswith(
        "Version 9 — since"
    )


# --- creating and editing ----------------------------------------------------------------------


def test_create_a_routine_with_clicks_and_keys(
    view: RoutinesView,
    qtbot: Any,
    core: AppCore,
    martins: Martins,
    context: AppContext,
    run: Any,
) -> None:
    editor = open_editor(qtbot, view, view.empty_button)
    qtbot.keyClicks(editor.name_edit, "Morning routine")
    qtbot.keyClicks(editor.member_combo, "L")  # type-to-find, as in any list
    assert editor.member_combo.currentData() == martins.lea.user_id
    # Mon–Fri is the default: add Saturday, drop Monday.
    qtbot.mouseClick(editor.weekday_picker.buttons["sat"], LEFT)
    qtbot.mouseClick(editor.weekday_picker.buttons["mon"], LEFT)
    # Times: tick off "no time" and move the finish-by hour up one (08:00 → 09:00).
    qtbot.mouseClick(editor.start_none, LEFT)
    qtbot.mouseClick(editor.finish_none, LEFT)
    qtbot.keyClick(editor.finish_edit, Qt.Key.Key_Up)

    add_step(qtbot, editor, "Brush teeth", minutes=3, points=5)
    add_step(qtbot, editor, "Wake up")
    add_step(qtbot, editor, "Get dressed", minutes=5, points=2)
    assert step_titles(editor) == ["Brush teeth", "Wake up", "Get dressed"]
    assert editor.totals_label.text() == "3 steps · 8 min · 7 points"
    # "Wake up" first, by keyboard.
    click_step(qtbot, editor, 1)
    qtbot.keyClick(editor.steps_table, Qt.Key.Key_Up, CTRL)
    assert step_titles(editor) == ["Wake up", "Brush teeth", "Get dressed"]
    assert editor.selected_row() == 0
    # And "Brush teeth" last, with the button.
    click_step(qtbot, editor, 1)
    qtbot.mouseClick(editor.down_button, LEFT)
    assert step_titles(editor) == ["Wake up", "Get dressed", "Brush teeth"]

    qtbot.mouseClick(editor.save_button, LEFT)
    settle(run, context)

    assert view.editor is None  # closed (and deleted) once saved
    [routine] = routines_in_db(core, run, martins)
    version = routine.current_version
    assert (routine.name, routine.user_id) == ("Morning routine", martins.lea.user_id)
    assert version.weekdays == ["tue", "wed", "thu", "fri", "sat"]
    assert (version.start_time, version.finish_by) == (time(7, 0), time(9, 0))
    assert [(s.title, s.duration_minutes, s.points) for s in version.steps] == [
        ("Wake up", None, None),
        ("Get dressed", 5, 2),
        ("Brush teeth", 3, 5),
    ]
    # On screen: listed under Léa, selected, with its version.
    assert view.pages.currentIndex() == 0
    assert set(routine_items(view)) == {"Morning routine"}
    assert view.detail_name.text() == "Morning routine"
    assert view.detail_version.text() == f"Version 1, since {format_day(context.today)}"
    assert view.steps_table.item(2, 0).text() == "3.  Brush teeth"


def test_editing_steps_makes_version_two_with_its_history_on_screen(
    view: RoutinesView,
    qtbot: Any,
    core: AppCore,
    martins: Martins,
    context: AppContext,
    run: Any,
) -> None:
    run(make_routine(core, martins, martins.lea))
    run(view.refresh())
    editor = open_editor(qtbot, view, view.edit_button)
    assert step_titles(editor) == ["Wake up", "Brush teeth", "Breakfast"]
    click_step(qtbot, editor, 0)
    qtbot.keyClick(editor.steps_table, Qt.Key.Key_Delete)
    add_step(qtbot, editor, "Feed the cat", points=1)
    qtbot.keyClicks(editor.note_edit, "The cat joined the family")
    qtbot.keyClick(editor.name_edit, Qt.Key.Key_Return)  # Enter saves, as in any dialog
    settle(run, context)

    assert view.editor is None
    [routine] = routines_in_db(core, run, martins)
    assert routine.version_count == 2
    since = format_day(context.today)
    assert view.detail_version.text() == f"Version 2, since {since}"
    assert f"version 2, since {since}" in routine_items(view)["Morning routine"].text(0)
    history = view.history_texts()
    assert history[0] == f"Version 2 — since {since} · in force"
    assert "“The cat joined the family”" in history
    assert "•  Removed step 'Wake up'\n•  Added step 'Feed the cat'" in history
    assert any(t.startswith(f"Version 1 — since {since}") for t in history)
    assert [view.steps_table.item(r, 0).text() for r in range(3)] == [
        "1.  Brush teeth",
        "2.  Breakfast",
        "3.  Feed the cat",
    ]


def test_editing_can_hand_the_routine_to_another_member(
    view: RoutinesView,
    qtbot: Any,
    core: AppCore,
    martins: Martins,
    context: AppContext,
    run: Any,
) -> None:
    run(make_routine(core, martins, martins.lea))
    run(view.refresh())
    editor = open_editor(qtbot, view, view.edit_button)
    assert editor.member_combo.currentData() == martins.lea.user_id
    qtbot.keyClicks(editor.member_combo, "H")
    qtbot.mouseClick(editor.save_button, LEFT)
    settle(run, context)
    [routine] = routines_in_db(core, run, martins)
    assert (routine.user_id, routine.version_count) == (martins.hugo.user_id, 1)


def test_bad_input_shows_messages_next_to_the_fields_and_writes_nothing(
    view: RoutinesView,
    qtbot: Any,
    core: AppCore,
    martins: Martins,
    context: AppContext,
    run: Any,
) -> None:
    editor = open_editor(qtbot, view, view.new_button)
    for day in ("mon", "tue", "wed", "thu", "fri"):
        qtbot.mouseClick(editor.weekday_picker.buttons[day], LEFT)
    assert editor.weekday_picker.weekdays() == []
    qtbot.mouseClick(editor.save_button, LEFT)
    settle(run, context)

    assert editor.isVisible()
    assert editor.error_text("name") == "Name: must not be empty"
    assert editor.error_text("weekdays") == "Weekdays: choose at least one weekday"
    assert editor.error_text("steps") == "Steps: add at least one step"
    assert routines_in_db(core, run, martins) == []

    # Fix those; finish before the start is refused next to "Finish by".
    qtbot.keyClicks(editor.name_edit, "Bedtime")
    qtbot.mouseClick(editor.weekday_picker.preset_buttons["Every day"], LEFT)
    add_step(qtbot, editor, "Pyjamas")
    qtbot.mouseClick(editor.start_none, LEFT)
    qtbot.mouseClick(editor.finish_none, LEFT)
    for _ in range(2):
        qtbot.keyClick(editor.finish_edit, Qt.Key.Key_Down)  # 08:00 → 06:00
    qtbot.mouseClick(editor.save_button, LEFT)
    settle(run, context)

    assert editor.isVisible()
    assert editor.error_text("name") == ""
    assert editor.error_text("weekdays") == ""
    assert editor.error_text("finish").startswith(
        "Finish by: must be after the start time (07:00); change one of them"
    )
    assert routines_in_db(core, run, martins) == []

    # An empty step title (edited in the table) is named by its number.
    qtbot.keyClick(editor.steps_table, Qt.Key.Key_Home)
    qtbot.keyClick(editor.steps_table, Qt.Key.Key_F2)
    [title_editor] = editor.steps_table.viewport().findChildren(QLineEdit)
    qtbot.keyClick(title_editor, Qt.Key.Key_A, CTRL)
    qtbot.keyClick(title_editor, Qt.Key.Key_Delete)
    qtbot.keyClick(title_editor, Qt.Key.Key_Return)
    qtbot.mouseClick(editor.finish_none, LEFT)
    qtbot.mouseClick(editor.save_button, LEFT)
    settle(run, context)
    assert editor.error_text("steps") == "Step 1 title: must not be empty"
    assert editor.error_text("finish") == ""
    assert routines_in_db(core, run, martins) == []

    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert not editor.isVisible()


def test_effective_day_before_the_latest_version_is_refused_next_to_the_field(
    view: RoutinesView,
    qtbot: Any,
    core: AppCore,
    martins: Martins,
    context: AppContext,
    run: Any,
) -> None:
    later = context.today + timedelta(days=3)
    run(make_routine(core, martins, martins.lea, effective_from=later.isoformat()))
    run(view.refresh())
    editor = open_editor(qtbot, view, view.edit_button)
    assert editor.effective_edit.date().toPython() == later
    qtbot.keyClick(editor.effective_edit, Qt.Key.Key_Down)  # the day: one earlier
    add_step(qtbot, editor, "Feed the cat")
    qtbot.mouseClick(editor.save_button, LEFT)
    settle(run, context)
    assert editor.error_text("effective").startswith(
        f"Effective from: must be on or after {later.isoformat()}, when version 1 took effect"
    )
    [routine] = routines_in_db(core, run, martins)
    assert routine.version_count == 1
    editor.reject()


def test_service_messages_are_split_by_field() -> None:
    assert split_messages(
        "Name: must not be empty; Step 2 title: must not be empty; "
        "Finish by: must be after the start time (07:30); change one of them"
    ) == {
        "name": "Name: must not be empty",
        "steps": "Step 2 title: must not be empty",
        "finish": "Finish by: must be after the start time (07:30); change one of them",
    }
    assert split_messages("Someone else changed this routine. Reload.") == {
        "general": "Someone else changed this routine. Reload."
    }


# --- archive and remove -------------------------------------------------------------------------


def test_archive_restore_and_remove_with_confirmation(
    view: RoutinesView,
    qtbot: Any,
    core: AppCore,
    martins: Martins,
    context: AppContext,
    run: Any,
) -> None:
    run(make_routine(core, martins, martins.lea))
    run(make_routine(core, martins, martins.hugo, "Homework"))
    run(view.refresh())
    click_routine(qtbot, view, "Homework")
    qtbot.mouseClick(view.archive_button, LEFT)
    settle(run, context)
    assert {r.name: r.archived for r in routines_in_db(core, run, martins)} == {
        "Morning routine": False,
        "Homework": True,
    }
    assert set(routine_items(view)) == {"Morning routine"}

    qtbot.mouseClick(view.show_archived, LEFT)
    click_routine(qtbot, view, "Homework")
    assert view.archived_tag.isVisible()
    assert view.archive_button.text() == "Restore"
    assert not view.run_button.isEnabled()
    qtbot.mouseClick(view.archive_button, LEFT)
    settle(run, context)
    assert not any(r.archived for r in routines_in_db(core, run, martins))

    click_routine(qtbot, view, "Homework")
    qtbot.mouseClick(view.remove_button, LEFT)
    box = view.confirm_box
    assert box is not None and box.isVisible()
    cancel = box.button(QMessageBox.StandardButton.Cancel)
    qtbot.mouseClick(cancel, LEFT)
    settle(run, context)
    assert len(routines_in_db(core, run, martins)) == 2

    qtbot.keyClick(view.tree, Qt.Key.Key_Delete)
    box = view.confirm_box
    assert box is not None
    remove = next(b for b in box.buttons() if b.text() == "Remove")
    qtbot.mouseClick(remove, LEFT)
    settle(run, context)
    assert [r.name for r in routines_in_db(core, run, martins)] == ["Morning routine"]
    assert set(routine_items(view)) == {"Morning routine"}


# --- run mode -----------------------------------------------------------------------------------


def test_run_mode_goes_step_by_step_and_saves_a_completed_run(
    view: RoutinesView,
    qtbot: Any,
    core: AppCore,
    martins: Martins,
    context: AppContext,
    run: Any,
) -> None:
    routine = run(make_routine(core, martins, martins.lea))
    run(view.refresh())
    qtbot.mouseClick(view.run_button, LEFT)
    settle(run, context)
    mode = view.run_mode
    assert view.pages.currentIndex() == RUN_PAGE and mode.isVisible()
    assert (mode.counter_label.text(), mode.title_label.text()) == ("Step 1 of 3", "Wake up")
    assert mode.timer_label.isHidden()

    qtbot.keyClick(mode, Qt.Key.Key_Space)
    settle(run, context)
    assert (mode.counter_label.text(), mode.title_label.text()) == ("Step 2 of 3", "Brush teeth")
    assert mode.progress.value() == 1
    # Its 2-minute countdown; P pauses it.
    assert mode.timer_label.text() == "02:00"
    mode.timer.timeout.emit()
    assert mode.timer_label.text() == "01:59"
    qtbot.keyClick(mode, Qt.Key.Key_P)
    mode.timer.timeout.emit()
    assert mode.timer_label.text() == "01:59" and mode.paused
    qtbot.keyClick(mode, Qt.Key.Key_P)
    assert not mode.paused
    for _ in range(119):
        mode.timer.timeout.emit()
    assert mode.timer_label.text() == "00:00"
    assert mode.timer_note.text() == "Time's up! Finish this step and press Next."
    assert not mode.timer.isActive()

    # Back shows the checked step; Enter goes on without checking it twice.
    qtbot.keyClick(mode, Qt.Key.Key_Backspace)
    assert mode.title_label.text() == "Wake up" and mode.checked_badge.text() == "✓  Done"
    qtbot.keyClick(mode, Qt.Key.Key_Return)
    assert mode.title_label.text() == "Brush teeth"

    # Each check is saved at once.
    qtbot.mouseClick(mode.next_button, LEFT)
    settle(run, context)
    [saved] = run(core.routines.runs_of_day(ADMIN, martins.family.id, context.today))
    assert (saved.done, saved.status) == (2, RunStatus.IN_PROGRESS)

    qtbot.keyClick(mode, Qt.Key.Key_Space)  # the last step
    settle(run, context)
    assert mode.all_checked and mode.next_button.text() == "Finish  ✓"
    qtbot.keyClick(mode, Qt.Key.Key_Space)  # finish
    settle(run, context)
    assert mode.done_title.text() == "Well done, Léa!"
    assert mode.done_summary.text() == "Morning routine: 3 of 3 steps done · 7 points earned"

    [saved] = run(core.routines.runs_of_day(ADMIN, martins.family.id, context.today))
    assert saved.routine_id == routine.id
    assert saved.status is RunStatus.COMPLETED
    assert all(step.checked for step in saved.steps) and saved.done == saved.total == 3

    qtbot.keyClick(mode, Qt.Key.Key_Escape)
    assert view.pages.currentIndex() == 0


def test_done_early_saves_a_partial_run_and_resuming_starts_at_the_open_step(
    view: RoutinesView,
    qtbot: Any,
    core: AppCore,
    martins: Martins,
    context: AppContext,
    run: Any,
) -> None:
    run(make_routine(core, martins, martins.lea))
    run(view.refresh())
    qtbot.keyClick(view.tree, Qt.Key.Key_R, CTRL)
    settle(run, context)
    mode = view.run_mode
    qtbot.keyClick(mode, Qt.Key.Key_Space)
    settle(run, context)
    qtbot.keyClick(mode, Qt.Key.Key_Escape)  # leave halfway: the check stays
    assert view.pages.currentIndex() == 0

    qtbot.mouseClick(view.run_button, LEFT)
    settle(run, context)
    assert mode.title_label.text() == "Brush teeth"
    qtbot.mouseClick(mode.done_button, LEFT)
    settle(run, context)
    assert mode.done_title.text() == "Finished for today, Léa."
    [saved] = run(core.routines.runs_of_day(ADMIN, martins.family.id, context.today))
    assert (saved.status, saved.done) == (RunStatus.PARTIAL, 1)
    qtbot.mouseClick(mode.close_button, LEFT)
    assert view.pages.currentIndex() == 0


# --- who may do what ----------------------------------------------------------------------------


def test_a_child_cannot_edit_but_runs_its_own_routine(
    view: RoutinesView,
    qtbot: Any,
    core: AppCore,
    martins: Martins,
    context: AppContext,
    run: Any,
) -> None:
    run(make_routine(core, martins, martins.lea))
    run(make_routine(core, martins, martins.hugo, "Homework"))
    context.set_acting(martins.lea.user_id)
    settle(run, context)

    assert "Acting as Léa Martin (child)" in view.subtitle.text()
    for button in (view.new_button, view.edit_button, view.archive_button, view.remove_button):
        assert not button.isEnabled()
    # Her own routine is picked for her, and she may run it.
    assert view.selected is not None and view.selected.routine.name == "Morning routine"
    assert view.run_button.isEnabled()
    qtbot.keyClick(view.tree, Qt.Key.Key_E, CTRL)
    assert view.editor is None

    click_routine(qtbot, view, "Homework")
    assert not view.run_button.isEnabled()
    assert view.run_button.toolTip() == "Only Hugo Martin or a parent can run this routine"

    click_routine(qtbot, view, "Morning routine")
    qtbot.keyClick(view.tree, Qt.Key.Key_Return)  # Enter on her routine runs it
    settle(run, context)
    assert view.in_run_mode
    qtbot.keyClick(view.run_mode, Qt.Key.Key_Space)
    settle(run, context)
    [saved] = run(core.routines.runs_of_day(ADMIN, martins.family.id, context.today))
    assert saved.steps[0].checked and saved.steps[0].checked_by == martins.lea.user_id
    qtbot.keyClick(view.run_mode, Qt.Key.Key_Escape)


def test_a_viewer_reads_but_cannot_run_or_edit(
    view: RoutinesView,
    qtbot: Any,
    core: AppCore,
    martins: Martins,
    context: AppContext,
    run: Any,
) -> None:
    run(make_routine(core, martins, martins.lea))
    context.set_acting(martins.viewer.user_id)
    settle(run, context)
    assert set(routine_items(view)) == {"Morning routine"}
    assert view.steps_table.rowCount() == 3
    assert not view.run_button.isEnabled()
    assert not view.edit_button.isEnabled()
    qtbot.keyClick(view.tree, Qt.Key.Key_R, CTRL)
    assert not view.in_run_mode


def test_switching_to_a_viewer_leaves_run_mode(
    view: RoutinesView,
    qtbot: Any,
    core: AppCore,
    martins: Martins,
    context: AppContext,
    run: Any,
) -> None:
    run(make_routine(core, martins, martins.lea))
    run(view.refresh())
    qtbot.mouseClick(view.run_button, LEFT)
    settle(run, context)
    assert view.in_run_mode
    context.set_acting(martins.viewer.user_id)
    settle(run, context)
    assert not view.in_run_mode


# --- the parts ---------------------------------------------------------------------------------


def _titles(model: StepsModel) -> str:
    return "".join(s.title for s in model.steps())


def test_steps_model_moves_rows_and_drops_dragged_rows() -> None:
    model = StepsModel([StepDraft(t) for t in "ABCDE"])
    moved: list[tuple[int, int]] = []
    model.rowsMoved.connect(lambda _p, start, _end, _d, row: moved.append((start, row)))

    # Qt's convention: the destination counts rows before the move.
    assert model.moveRows(QModelIndex(), 0, 1, QModelIndex(), 3)
    assert _titles(model) == "BCADE"
    assert model.moveRows(QModelIndex(), 3, 2, QModelIndex(), 0)
    assert _titles(model) == "DEBCA"
    assert not model.moveRows(QModelIndex(), 1, 1, QModelIndex(), 2)  # onto itself
    assert not model.moveRows(QModelIndex(), 4, 2, QModelIndex(), 0)  # past the end
    assert moved == [(0, 3), (3, 0)]

    # What the table does on a drop: the dragged rows' mime data, dropped between rows…
    data = model.mimeData([model.index(4, 0), model.index(4, 1)])
    assert model.canDropMimeData(data, Qt.DropAction.MoveAction, 1, 0, QModelIndex())
    # …returns False so the view does not delete a "source" row after the move.
    assert not model.dropMimeData(data, Qt.DropAction.MoveAction, 1, 0, QModelIndex())
    assert _titles(model) == "DAEBC"
    # …onto a row (row -1, parent = that row): the steps take its place.
    data = model.mimeData([model.index(0, 0), model.index(2, 0)])
    model.dropMimeData(data, Qt.DropAction.MoveAction, -1, -1, model.index(4, 0))
    assert _titles(model) == "ABDEC"
    # …below the last row.
    model.dropMimeData(
        model.mimeData([model.index(0, 0)]), Qt.DropAction.MoveAction, -1, -1, QModelIndex()
    )
    assert _titles(model) == "BDECA"
    assert not model.dropMimeData(data, Qt.DropAction.CopyAction, 0, 0, QModelIndex())

    assert model.move_step(0, -1) == 0 and _titles(model) == "BDECA"
    assert model.move_step(0, 1) == 1 and _titles(model) == "DBECA"
    flags = model.flags(model.index(0, 0))
    assert flags & Qt.ItemFlag.ItemIsDragEnabled and not flags & Qt.ItemFlag.ItemIsDropEnabled
    assert model.flags(QModelIndex()) & Qt.ItemFlag.ItemIsDropEnabled


def test_steps_model_edits_titles_minutes_and_points() -> None:
    model = StepsModel([StepDraft("Wake up")])
    assert model.setData(model.index(0, Column.TITLE), "  Get up ")
    assert model.setData(model.index(0, Column.MINUTES), 5)
    assert model.setData(model.index(0, Column.POINTS), 3)
    assert model.step(0) == StepDraft("Get up", 5, 3)
    assert model.data(model.index(0, Column.MINUTES)) == "5"
    assert model.setData(model.index(0, Column.POINTS), 0)  # 0 = no points
    assert model.data(model.index(0, Column.POINTS)) == "—"
    assert model.step(0).as_input() == {"title": "Get up", "duration_minutes": 5, "points": None}


def test_weekday_picker_toggles_presets_and_sunday_first(qtbot: Any) -> None:
    picker = WeekdayPicker()
    qtbot.addWidget(picker)
    seen: list[list[str]] = []
    picker.changed.connect(seen.append)
    qtbot.mouseClick(picker.buttons["wed"], LEFT)
    qtbot.mouseClick(picker.preset_buttons["Weekend"], LEFT)
    assert picker.weekdays() == ["sat", "sun"]
    assert seen == [["wed"], ["sat", "sun"]]
    picker.buttons["sat"].setFocus()
    qtbot.keyClick(picker.buttons["sat"], Qt.Key.Key_Space)
    assert picker.weekdays() == ["sun"]
    qtbot.keyClick(picker.buttons["sat"], Qt.Key.Key_Right)
    assert picker.focusWidget() is picker.buttons["sun"]
    qtbot.keyClick(picker.buttons["sun"], Qt.Key.Key_Right)  # round to Monday
    assert picker.focusWidget() is picker.buttons["mon"]
    picker.set_week_start(WeekStart.SUNDAY)
    assert picker.ordered_names()[:2] == ["sun", "mon"]
    assert picker.weekdays() == ["sun"]
