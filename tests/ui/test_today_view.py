"""The Today screen, driven as a parent or a child would: clicks and keys on the real widgets,
results checked in the database."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from habitdesk.core.appcore import AppCore
from habitdesk.core.domain.days import family_today
from habitdesk.core.domain.weekdays import WEEKDAY_NAMES
from habitdesk.core.enums import EntryStatus, Role, RunStatus
from habitdesk.core.schemas.habits import HabitRead
from habitdesk.core.schemas.people import FamilyRead, MemberRead
from habitdesk.core.schemas.routines import RoutineRead
from habitdesk.core.services.base import Actor
from habitdesk.ui.context import AppContext
from habitdesk.ui.views.today import TodayView
from habitdesk.ui.widgets.today_cards import MemberCard, NoteEditor
from habitdesk.ui.widgets.today_rows import HabitRow, RoutineBlock

ADMIN = Actor.local_admin()


@dataclass
class Family:
    family: FamilyRead
    owner: MemberRead
    child: MemberRead
    sibling: MemberRead
    viewer: MemberRead

    @property
    def members(self) -> list[MemberRead]:
        return [self.owner, self.child, self.sibling, self.viewer]

    @property
    def today(self) -> date:
        return family_today(self.family.time_zone, self.family.day_start_hour)


@pytest.fixture
def fam(core: AppCore, run: Any) -> Family:
    created = run(
        core.families.create_family(
            {"name": "Martin", "time_zone": "Europe/Paris"},
            {"full_name": "Claire Martin", "colour": "#3FA66B", "avatar_emoji": "🌻"},
        )
    ).value
    owner = run(core.families.list_members(ADMIN, created.id))[0]

    def add(name: str, role: Role, colour: str, emoji: str) -> MemberRead:
        data = {
            "user": {"full_name": name, "colour": colour, "avatar_emoji": emoji},
            "role": role,
        }
        return run(core.families.add_member(ADMIN, created.id, data)).value

    return Family(
        created,
        owner,
        add("Léa Martin", Role.CHILD, "#4C7BD9", "🐯"),
        add("Hugo Martin", Role.CHILD, "#E0674B", "🚀"),
        add("Mamie", Role.VIEWER, "#9B59B6", "👵"),
    )


def add_habit(core: AppCore, run: Any, fam: Family, who: MemberRead, **fields: Any) -> HabitRead:
    data: dict[str, Any] = {
        "family_id": fam.family.id,
        "user_id": who.user_id,
        "name": "Read 20 minutes",
        "effective_from": fam.today - timedelta(days=30),
    }
    data.update(fields)
    return run(core.habits.create_habit(ADMIN, data)).value


def add_routine(
    core: AppCore, run: Any, fam: Family, who: MemberRead, **fields: Any
) -> RoutineRead:
    data: dict[str, Any] = {
        "family_id": fam.family.id,
        "user_id": who.user_id,
        "name": "Morning routine",
        "weekdays": list(WEEKDAY_NAMES),
        "steps": [
            {"title": "Wake up", "points": 1},
            {"title": "Get dressed", "points": 2},
            {"title": "Breakfast"},
        ],
        "effective_from": fam.today - timedelta(days=30),
    }
    data.update(fields)
    return run(core.routines.create_routine(ADMIN, data)).value


@pytest.fixture
def context(core: AppCore, fam: Family) -> Iterator[AppContext]:
    ctx = AppContext(core)
    ctx.set_family(fam.family, fam.members)
    yield ctx
    ctx.deleteLater()


@pytest.fixture
def open_view(context: AppContext, run: Any) -> Iterator[Any]:
    """Opens the Today screen (after the test arranged its data) and waits for it to show."""
    views: list[TodayView] = []

    def opener() -> TodayView:
        view = TodayView(context)
        view.resize(1100, 760)
        view.show()
        view.activateWindow()
        views.append(view)
        settle(run, context)
        return view

    yield opener
    run(context.tasks.drain())
    for view in views:
        if view.note_editor is not None:
            view.note_editor.close()
        view.close()
        view.deleteLater()
    QApplication.processEvents()


def settle(run: Any, context: AppContext) -> None:
    """Every write and the reloads they started are done, and the widgets are up to date."""
    run(context.tasks.drain())
    QApplication.processEvents()


def card(view: TodayView, who: MemberRead) -> MemberCard:
    return view.cards[who.user_id]


def habit_row(view: TodayView, who: MemberRead, name: str) -> HabitRow:
    return next(r for r in card(view, who).habit_rows if r.item.habit.name == name)


def routine_block(view: TodayView, who: MemberRead, name: str) -> RoutineBlock:
    return next(b for b in card(view, who).routine_blocks if b.item.routine.name == name)


def write_note(owner: Any, button: Any, text: str, run: Any, qtbot: Any) -> None:
    """Click a ✎ button, type `text` after what the editor shows, Save, and wait for the write.

    `owner`: the Today view or run mode, whichever opened the editor."""
    qtbot_click(button)
    editor = owner.note_editor
    assert isinstance(editor, NoteEditor) and editor.isVisible()
    qtbot.keyClicks(editor.text, text)
    qtbot_click(editor.save_button)
    settle(run, owner.context)


def run_mode_on(view: TodayView, who: MemberRead, routine: str, run: Any) -> Any:
    """Click Run on `who`'s routine and return run mode, ready at its first step."""
    qtbot_click(routine_block(view, who, routine).run_button)
    settle(run, view.context)
    assert view.run_mode is not None and view.pages.currentWidget() is view.run_mode
    return view.run_mode


def entry_of(core: AppCore, run: Any, habit: HabitRead, day: date) -> Any:
    found = run(core.habits.entries_in_range(habit.id, day, day))
    return found[0] if found else None


# --- what the screen shows ------------------------------------------------------------------


def test_shows_each_member_but_viewers_with_their_day(
    core: AppCore, run: Any, fam: Family, open_view: Any
) -> None:
    add_habit(core, run, fam, fam.child, name="Brush teeth")
    add_routine(core, run, fam, fam.sibling)
    view = open_view()
    assert set(view.cards) == {fam.owner.user_id, fam.child.user_id, fam.sibling.user_id}
    lea = card(view, fam.child)
    assert lea.done_label.text() == "0 of 1 done"
    assert view.day_bar.tag.text() == "Today"
    assert not view.day_bar.next_button.isEnabled()
    assert "Nothing planned for Claire" in card(view, fam.owner).empty_label.text()
    assert [c.text() for c in routine_block(view, fam.sibling, "Morning routine").chips] == [
        "Wake up",
        "Get dressed",
        "Breakfast",
    ]


def test_cards_go_side_by_side_only_where_two_fit_and_none_is_cut_off(
    core: AppCore, run: Any, fam: Family, open_view: Any
) -> None:
    """A routine's header (its name, times, progress, Run, note and menu) sets a card's
    minimum width: two columns from where two such cards fit, one (centred) below that;
    never a card cut off."""
    for who in (fam.child, fam.sibling):
        routine = add_routine(core, run, fam, who, start_time=time(7, 0), finish_by=time(7, 45))
        started = run(core.routines.start_run(ADMIN, routine.id, fam.today)).value
        for step in started.steps:  # done, with its points: the widest header
            run(core.routines.check_step(ADMIN, started.id, step.step_id))
    view = open_view()
    widest = max(c.minimumSizeHint().width() for c in view.cards.values())
    assert 2 * widest + 20 > 900  # the widths where two columns used to cut cards off exist
    for width in (760, 2 * widest + 40, 2 * widest + 120, 1500):
        view.resize(width, 760)
        for _ in range(3):  # the resize, then the layouts it sets off
            QApplication.processEvents()
        viewport = view.scroll_area.viewport()
        lefts = {c.mapTo(viewport, c.rect().topLeft()).x() for c in view.cards.values()}
        for c in view.cards.values():
            assert c.width() >= c.minimumSizeHint().width(), width
            assert c.mapTo(viewport, c.rect().topRight()).x() < viewport.width(), width
        fits_two = viewport.width() >= 2 * widest + 16 + 4
        assert len(lefts) == (2 if fits_two and viewport.width() >= 900 else 1), width


def test_the_member_filter_shows_one_member(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any
) -> None:
    add_habit(core, run, fam, fam.child)
    view = open_view()
    context.set_member_filter(fam.child.user_id)
    settle(run, context)
    assert list(view.cards) == [fam.child.user_id]
    context.set_member_filter(fam.viewer.user_id)
    settle(run, context)
    assert view.cards == {}
    assert "viewer" in view.empty_label.text()


def test_cards_are_made_one_per_turn_and_a_newer_selection_wins(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any
) -> None:
    add_habit(core, run, fam, fam.child)
    add_routine(core, run, fam, fam.sibling)
    view = open_view()
    assert list(view.cards) == [fam.owner.user_id, fam.child.user_id, fam.sibling.user_id]
    assert view.build_task is None

    # Another selection while the cards of the first are still being made: only its card
    # stays, and none of the others is left behind in the screen.
    context.set_acting(fam.child.user_id)  # child view: the child's card first, a new build
    run(view.refresh())  # until the day is read and the first card made
    assert view.build_task is not None and next(iter(view.cards)) == fam.child.user_id
    assert len(view.cards) < 3
    context.set_member_filter(fam.sibling.user_id)
    settle(run, context)
    assert list(view.cards) == [fam.sibling.user_id]
    shown = [c for c in view.content.findChildren(MemberCard) if not c.isHidden()]
    assert shown == [card(view, fam.sibling)]
    assert routine_block(view, fam.sibling, "Morning routine").count.text().startswith("0/3")


# --- check-ins ------------------------------------------------------------------------------


def test_a_click_on_a_yes_no_habit_records_it_and_shows_done_and_points(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any
) -> None:
    habit = add_habit(core, run, fam, fam.child, points=2)
    view = open_view()
    row = habit_row(view, fam.child, "Read 20 minutes")
    assert row.toggle is not None and not row.toggle.isChecked()

    qtbot_click(row.toggle)
    settle(run, context)
    entry = entry_of(core, run, habit, fam.today)
    assert entry is not None and entry.status is EntryStatus.DONE
    row = habit_row(view, fam.child, "Read 20 minutes")
    assert row.toggle is not None and row.toggle.isChecked()
    assert row.status.text() == "Done"
    lea = card(view, fam.child)
    assert lea.done_label.text() == "1 of 1 done"
    assert lea.points_label.text() == "⭐ 2 points today"

    # A second click takes it back, points too.
    qtbot_click(row.toggle)
    settle(run, context)
    assert entry_of(core, run, habit, fam.today) is None
    assert lea.points_label.text() == "⭐ 0 points today"
    assert run(core.points.balance(ADMIN, fam.family.id, fam.child.user_id)).balance == 0


def test_space_on_the_focused_toggle_checks_in(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any, qtbot: Any
) -> None:
    habit = add_habit(core, run, fam, fam.child)
    view = open_view()
    row = habit_row(view, fam.child, "Read 20 minutes")
    assert row.toggle is not None
    row.toggle.setFocus()
    qtbot.keyClick(row.toggle, Qt.Key.Key_Space)
    settle(run, context)
    assert entry_of(core, run, habit, fam.today).status is EntryStatus.DONE
    # The rows were updated in place: the focus stayed, ready for the next key.
    assert habit_row(view, fam.child, "Read 20 minutes") is row
    assert row.toggle.hasFocus() or QApplication.focusWidget() is row.toggle


def test_a_number_typed_and_entered_is_judged_against_the_target(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any, qtbot: Any
) -> None:
    walk = add_habit(
        core, run, fam, fam.child, name="Walk", kind="numeric", target_value=8000, unit="steps"
    )
    view = open_view()
    row = habit_row(view, fam.child, "Walk")
    box = row.value_box
    assert box is not None
    assert "target ≥ 8,000 steps" in row.meta.text()
    assert box.text() == "– steps"

    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "6500")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    settle(run, context)
    entry = entry_of(core, run, walk, fam.today)
    assert entry.value == 6500 and entry.status is EntryStatus.MISSED
    assert row.status.text() == "Missed"

    box.selectAll()
    qtbot.keyClicks(box, "9000")
    qtbot.keyClick(box, Qt.Key.Key_Enter)
    settle(run, context)
    entry = entry_of(core, run, walk, fam.today)
    assert entry.value == 9000 and entry.status is EntryStatus.DONE
    assert row.status.text() == "Done"
    assert card(view, fam.child).done_label.text() == "1 of 1 done"


def test_skip_and_unskip(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any
) -> None:
    habit = add_habit(core, run, fam, fam.child)
    add_habit(core, run, fam, fam.child, name="Brush teeth")
    view = open_view()
    row = habit_row(view, fam.child, "Read 20 minutes")
    assert row.skip_button.text() == "Skip"
    qtbot_click(row.skip_button)
    settle(run, context)
    assert entry_of(core, run, habit, fam.today).status is EntryStatus.SKIPPED
    assert row.status.text() == "Skipped"
    assert row.skip_button.text() == "Unskip"
    # A skipped habit counts in neither the done nor the total.
    assert card(view, fam.child).done_label.text() == "0 of 1 done"
    qtbot_click(row.skip_button)
    settle(run, context)
    assert entry_of(core, run, habit, fam.today) is None
    assert card(view, fam.child).done_label.text() == "0 of 2 done"


def test_a_note_is_written_in_a_small_editor(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any, qtbot: Any
) -> None:
    habit = add_habit(core, run, fam, fam.child)
    view = open_view()
    row = habit_row(view, fam.child, "Read 20 minutes")
    # Nothing recorded yet: nothing to put a note on.
    assert not row.note_button.isEnabled()
    qtbot_click(row.skip_button)
    settle(run, context)
    assert row.note_button.isEnabled()

    write_note(view, row.note_button, "Had a cold", run, qtbot)
    entry = entry_of(core, run, habit, fam.today)
    assert entry.note == "Had a cold" and entry.status is EntryStatus.SKIPPED
    assert view.note_editor is None or not view.note_editor.isVisible()
    assert "Had a cold" in row.note_label.text()


def test_a_refused_note_keeps_its_editor_open_with_the_reason(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any, qtbot: Any
) -> None:
    habit = add_habit(core, run, fam, fam.child)
    run(core.habits.set_entry(ADMIN, habit.id, fam.today, {"skip": True}))
    view = open_view()
    row = habit_row(view, fam.child, "Read 20 minutes")
    qtbot_click(row.note_button)
    editor = view.note_editor
    assert editor is not None and editor.isVisible()
    # Meanwhile the day is cleared on another computer: the write is refused.
    run(core.habits.clear_entry(ADMIN, habit.id, fam.today))
    qtbot.keyClicks(editor.text, "Had a cold")
    qtbot_click(editor.save_button)
    settle(run, context)
    assert view.note_editor is editor and editor.isVisible()
    assert editor.error_label.text().startswith("Note: nothing is recorded for Read 20 minutes")
    assert editor.save_button.isEnabled() and editor.text.toPlainText() == "Had a cold"
    assert entry_of(core, run, habit, fam.today) is None
    # Cancel still closes it.
    qtbot_click(editor.cancel_button)
    QApplication.processEvents()
    assert view.note_editor is None or not view.note_editor.isVisible()


def test_checking_steps_starts_the_run_and_shows_progress(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any
) -> None:
    routine = add_routine(core, run, fam, fam.child)
    view = open_view()
    block = routine_block(view, fam.child, "Morning routine")
    assert block.count.text().startswith("0/3")

    qtbot_click(block.chips[0])
    settle(run, context)
    runs = run(core.routines.runs_of_day(ADMIN, fam.family.id, fam.today))
    assert [r.routine_id for r in runs] == [routine.id]
    assert [s.checked for s in runs[0].steps] == [True, False, False]
    assert block.count.text() == "1/3 · 1/3 ⭐"
    assert block.progress.value() == 1

    qtbot_click(block.chips[1])
    settle(run, context)
    runs = run(core.routines.runs_of_day(ADMIN, fam.family.id, fam.today))
    assert len(runs) == 1 and [s.checked for s in runs[0].steps] == [True, True, False]
    assert block.progress.value() == 2
    assert card(view, fam.child).points_label.text() == "⭐ 3 points today"

    # Unchecking gives the step (and its points) back.
    qtbot_click(block.chips[1])
    settle(run, context)
    runs = run(core.routines.runs_of_day(ADMIN, fam.family.id, fam.today))
    assert [s.checked for s in runs[0].steps] == [True, False, False]
    assert card(view, fam.child).points_label.text() == "⭐ 1 point today"


def test_skipping_a_routine_from_its_menu(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any
) -> None:
    add_routine(core, run, fam, fam.child)
    view = open_view()
    block = routine_block(view, fam.child, "Morning routine")
    block.skip_action.trigger()
    settle(run, context)
    runs = run(core.routines.runs_of_day(ADMIN, fam.family.id, fam.today))
    assert runs[0].status is RunStatus.SKIPPED
    assert block.status.text() == "Skipped"
    assert not block.chips[0].isEnabled()
    block.restart_action.trigger()
    settle(run, context)
    runs = run(core.routines.runs_of_day(ADMIN, fam.family.id, fam.today))
    assert runs[0].status is RunStatus.IN_PROGRESS
    assert block.chips[0].isEnabled()


def run_of_day(core: AppCore, run: Any, fam: Family, routine: RoutineRead) -> Any:
    runs = run(core.routines.runs_of_day(ADMIN, fam.family.id, fam.today))
    return next((r for r in runs if r.routine_id == routine.id), None)


def test_a_routine_run_takes_a_note_by_click_and_by_keys(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any, qtbot: Any
) -> None:
    routine = add_routine(core, run, fam, fam.child)
    view = open_view()
    block = routine_block(view, fam.child, "Morning routine")
    # Nobody started or skipped it yet: nothing to explain.
    assert block.note_button.accessibleName() == "Note for Morning routine"
    assert not block.note_button.isEnabled() and not block.note_label.isVisible()
    qtbot_click(block.chips[0])
    settle(run, context)
    assert block.note_button.isEnabled()

    write_note(view, block.note_button, "  Bus came early ", run, qtbot)
    assert run_of_day(core, run, fam, routine).note == "Bus came early"
    assert view.note_editor is None or not view.note_editor.isVisible()
    block = routine_block(view, fam.child, "Morning routine")
    assert block.note_label.isVisible() and "Bus came early" in block.note_label.text()
    assert block.note_button.toolTip() == "Edit the note"

    # By keys: Space on the focused ✎ opens the editor with the note; emptied and
    # Ctrl+Enter removes it.
    block.note_button.setFocus()
    QTest.keyClick(block.note_button, Qt.Key.Key_Space)
    editor = view.note_editor
    assert editor is not None and editor.text.toPlainText() == "Bus came early"
    editor.text.selectAll()
    QTest.keyClick(editor.text, Qt.Key.Key_Delete)
    QTest.keyClick(editor.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(run, context)
    assert run_of_day(core, run, fam, routine).note is None
    block = routine_block(view, fam.child, "Morning routine")
    assert not block.note_label.isVisible()


def test_skipping_a_routine_with_a_note_is_one_write(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any, qtbot: Any
) -> None:
    routine = add_routine(core, run, fam, fam.child)
    view = open_view()
    block = routine_block(view, fam.child, "Morning routine")
    block.skip_note_action.trigger()
    editor = view.note_editor
    assert editor is not None and editor.save_button.text() == "Skip"
    # Cancelling writes nothing.
    qtbot_click(editor.cancel_button)
    settle(run, context)
    assert run_of_day(core, run, fam, routine) is None

    block.skip_note_action.trigger()
    editor = view.note_editor
    assert editor is not None
    qtbot.keyClicks(editor.text, "At grandma's")
    qtbot_click(editor.save_button)
    settle(run, context)
    found = run_of_day(core, run, fam, routine)
    assert (found.status, found.note) == (RunStatus.SKIPPED, "At grandma's")
    block = routine_block(view, fam.child, "Morning routine")
    assert block.status.text() == "Skipped" and "At grandma's" in block.note_label.text()
    # Once skipped, the menu offers starting again instead.
    assert not block.skip_note_action.isVisible() and block.restart_action.isVisible()


def test_a_child_reads_a_siblings_routine_note_but_cannot_write_it(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any, qtbot: Any
) -> None:
    routine = add_routine(core, run, fam, fam.sibling)
    run(core.routines.skip_run(ADMIN, routine.id, fam.today, note="Ill"))
    view = open_view()
    # A parent opens the editor; the screen then changes to the child before Save.
    qtbot_click(routine_block(view, fam.sibling, "Morning routine").note_button)
    editor = view.note_editor
    assert editor is not None and editor.text.toPlainText() == "Ill"
    context.set_acting(fam.child.user_id)
    settle(run, context)
    qtbot.keyClicks(editor.text, " and tired")
    qtbot_click(editor.save_button)
    settle(run, context)
    assert editor.error_label.text() == "You can't add notes for someone else."
    assert run_of_day(core, run, fam, routine).note == "Ill"
    editor.close()

    block = routine_block(view, fam.sibling, "Morning routine")
    assert "Ill" in block.note_label.text()
    assert not block.note_button.isEnabled() and not block.more_button.isEnabled()
    qtbot_click(block.note_button)
    settle(run, context)
    assert view.note_editor is None or not view.note_editor.isVisible()


def test_run_mode_opens_from_the_routine_and_comes_back(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any, qtbot: Any
) -> None:
    add_routine(core, run, fam, fam.child)
    view = open_view()
    block = routine_block(view, fam.child, "Morning routine")
    assert block.run_button.isVisible()
    qtbot_click(block.run_button)
    settle(run, context)
    assert view.pages.currentWidget() is view.run_mode
    qtbot.keyClick(view.run_mode, Qt.Key.Key_Space)  # checks the first step
    settle(run, context)
    qtbot.keyClick(view.run_mode, Qt.Key.Key_Escape)
    settle(run, context)
    assert view.pages.currentWidget() is view.scroll_area
    block = routine_block(view, fam.child, "Morning routine")
    assert block.progress.value() == 1


def test_run_mode_done_screen_adds_a_note_to_a_partial_run(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any, qtbot: Any
) -> None:
    routine = add_routine(core, run, fam, fam.child)
    view = open_view()
    qtbot_click(routine_block(view, fam.child, "Morning routine").run_button)
    settle(run, context)
    mode = view.run_mode
    assert mode is not None
    qtbot.keyClick(mode, Qt.Key.Key_Space)  # checks the first step
    settle(run, context)
    qtbot_click(mode.done_button)  # done early: partial
    settle(run, context)
    assert mode.is_finished and mode.note_button.text() == "✎  Add a note"
    assert not mode.done_note.isVisible()

    write_note(mode, mode.note_button, "Bus came early", run, qtbot)
    found = run_of_day(core, run, fam, routine)
    assert (found.status, found.note) == (RunStatus.PARTIAL, "Bus came early")
    assert mode.done_note.text() == "“Bus came early”" and mode.done_note.isVisible()
    assert mode.note_button.text() == "✎  Edit the note"
    # Enter still leaves from the done screen, and Today shows the note.
    qtbot.keyClick(mode, Qt.Key.Key_Return)
    settle(run, context)
    assert view.pages.currentWidget() is view.scroll_area
    assert "Bus came early" in routine_block(view, fam.child, "Morning routine").note_label.text()


def test_run_mode_keeps_a_refused_note_open_and_leaving_closes_it(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any, qtbot: Any
) -> None:
    routine = add_routine(core, run, fam, fam.child)
    mode = run_mode_on(open_view(), fam.child, "Morning routine", run)
    qtbot_click(mode.done_button)
    settle(run, context)
    qtbot_click(mode.note_button)
    editor = mode.note_editor
    assert editor is not None and editor.isVisible()
    # The screen changes to her brother before Save: the write is refused.
    context.set_acting(fam.sibling.user_id)
    settle(run, context)
    qtbot.keyClicks(editor.text, "Bus came early")
    qtbot_click(editor.save_button)
    settle(run, context)
    assert mode.note_editor is editor and editor.isVisible()
    assert editor.error_label.text() == "A child can only add notes to routines for themselves."
    assert editor.save_button.isEnabled()
    assert run_of_day(core, run, fam, routine).note is None
    assert not mode.done_note.isVisible() and mode.note_button.text() == "✎  Add a note"
    # Leaving run mode closes the editor with it.
    qtbot_click(mode.leave_button)
    settle(run, context)
    assert mode.note_editor is None or not mode.note_editor.isVisible()
    assert not mode.isVisible()


# --- days -----------------------------------------------------------------------------------


def test_yesterday_is_one_keypress_away(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any, qtbot: Any
) -> None:
    habit = add_habit(core, run, fam, fam.child)
    yesterday = fam.today - timedelta(days=1)
    run(core.habits.set_entry(ADMIN, habit.id, yesterday, {"status": "done", "note": "Easy"}))
    view = open_view()
    assert habit_row(view, fam.child, "Read 20 minutes").status.text() == ""

    qtbot.keyClick(view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    settle(run, context)
    assert context.day == yesterday
    assert view.day_bar.tag.text() == "Yesterday"
    row = habit_row(view, fam.child, "Read 20 minutes")
    assert row.status.text() == "Done" and "Easy" in row.note_label.text()
    assert card(view, fam.child).points_label.text() == ""  # no points on this habit
    assert view.day_bar.today_button.isVisible()

    # Alt+Right goes forward again, never past today; Alt+Left goes back.
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    settle(run, context)
    assert context.day == fam.today
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    settle(run, context)
    assert context.day == fam.today
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    settle(run, context)
    assert context.day == fam.today - timedelta(days=2)
    assert view.day_bar.tag.text() == "2 days ago"
    qtbot.keyClick(view, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    settle(run, context)
    assert context.day == fam.today


def test_checking_in_on_yesterday_records_yesterday(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any
) -> None:
    habit = add_habit(core, run, fam, fam.child)
    view = open_view()
    qtbot_click(view.day_bar.previous_button)
    settle(run, context)
    qtbot_click(habit_row(view, fam.child, "Read 20 minutes").toggle)
    settle(run, context)
    assert entry_of(core, run, habit, fam.today - timedelta(days=1)) is not None
    assert entry_of(core, run, habit, fam.today) is None
    qtbot_click(view.day_bar.today_button)
    settle(run, context)
    assert context.day == fam.today


def test_run_mode_on_yesterday_records_yesterdays_run(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any, qtbot: Any
) -> None:
    add_routine(core, run, fam, fam.child)
    yesterday = fam.today - timedelta(days=1)
    view = open_view()
    qtbot.keyClick(view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    settle(run, context)
    block = routine_block(view, fam.child, "Morning routine")
    assert block.run_button.isVisible()
    qtbot_click(block.run_button)
    settle(run, context)
    assert view.pages.currentWidget() is view.run_mode
    assert view.run_mode.member_label.text().endswith("· yesterday")
    assert not view.day_bar.isEnabled()  # the run is about that day
    qtbot.keyClick(view.run_mode, Qt.Key.Key_Space)  # checks the first step
    settle(run, context)
    then = run(core.routines.runs_of_day(ADMIN, fam.family.id, yesterday))
    assert [s.checked for s in then[0].steps] == [True, False, False]
    assert run(core.routines.runs_of_day(ADMIN, fam.family.id, fam.today)) == []
    qtbot.keyClick(view.run_mode, Qt.Key.Key_Escape)
    settle(run, context)
    assert view.pages.currentWidget() is view.scroll_area
    assert context.day == yesterday
    assert routine_block(view, fam.child, "Morning routine").progress.value() == 1


def test_items_not_due_are_folded_away_until_asked_for(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any
) -> None:
    other_day = WEEKDAY_NAMES[(fam.today.weekday() + 1) % 7]
    add_habit(core, run, fam, fam.child, name="Swim", weekdays=[other_day])
    add_routine(core, run, fam, fam.child, name="Saturday chores", weekdays=[other_day])
    add_habit(core, run, fam, fam.child, name="Brush teeth")
    view = open_view()
    lea = card(view, fam.child)
    swim = habit_row(view, fam.child, "Swim")
    chores = routine_block(view, fam.child, "Saturday chores")
    assert lea.not_due_button.text().endswith("Not due today (2)")
    assert not swim.isVisible() and not chores.isVisible()
    assert habit_row(view, fam.child, "Brush teeth").isVisible()
    assert lea.done_label.text() == "0 of 1 done"

    qtbot_click(lea.not_due_button)
    assert swim.isVisible() and chores.isVisible()
    # Still reachable for a check-in, and it stays open across the reload that follows.
    qtbot_click(swim.toggle)
    settle(run, context)
    assert card(view, fam.child).not_due_box.isVisible()
    assert habit_row(view, fam.child, "Swim").status.text() == "Done"


# --- who may check --------------------------------------------------------------------------


def test_a_child_checks_their_own_items_but_not_a_siblings(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any
) -> None:
    mine = add_habit(core, run, fam, fam.child, name="Feed the cat")
    theirs = add_habit(core, run, fam, fam.sibling, name="Practise piano")
    add_routine(core, run, fam, fam.sibling)
    view = open_view()
    context.set_acting(fam.child.user_id)
    settle(run, context)

    assert next(iter(view.cards)) == fam.child.user_id  # their own day first
    assert "Child view" in view.acting_note.text()
    sibling = card(view, fam.sibling)
    piano = habit_row(view, fam.sibling, "Practise piano")
    assert piano.toggle is not None and not piano.toggle.isEnabled()
    assert not piano.skip_button.isEnabled()
    assert not routine_block(view, fam.sibling, "Morning routine").chips[0].isEnabled()
    assert "Only Hugo or a parent" in sibling.lock_note.text()
    qtbot_click(piano.toggle)
    settle(run, context)
    assert entry_of(core, run, theirs, fam.today) is None

    own = habit_row(view, fam.child, "Feed the cat")
    qtbot_click(own.toggle)
    settle(run, context)
    entry = entry_of(core, run, mine, fam.today)
    assert entry is not None and entry.recorded_by == fam.child.user_id


def test_a_viewer_can_look_but_not_check_anything(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any
) -> None:
    habit = add_habit(core, run, fam, fam.child)
    add_habit(core, run, fam, fam.child, name="Walk", kind="numeric", target_value=10, unit="km")
    add_routine(core, run, fam, fam.owner)
    view = open_view()
    context.set_acting(fam.viewer.user_id)
    settle(run, context)
    assert "Viewing as Mamie" in view.acting_note.text()
    for member_card in view.cards.values():
        for row in member_card.habit_rows:
            controls = [row.toggle, row.value_box, row.skip_button, row.note_button]
            assert not any(c.isEnabled() for c in controls if c is not None)
        for block in member_card.routine_blocks:
            assert not any(chip.isEnabled() for chip in block.chips)
            assert not block.run_button.isVisible()
    qtbot_click(habit_row(view, fam.child, "Read 20 minutes").toggle)
    settle(run, context)
    assert entry_of(core, run, habit, fam.today) is None


# --- when something goes wrong --------------------------------------------------------------


def test_a_refused_check_in_shows_why_and_the_screen_stays_usable(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any
) -> None:
    removed = add_habit(core, run, fam, fam.child, name="Old habit")
    kept = add_habit(core, run, fam, fam.child, name="Brush teeth")
    view = open_view()
    # Another parent removes the habit while this screen still shows it.
    run(core.habits.remove_habit(ADMIN, removed.id))
    qtbot_click(habit_row(view, fam.child, "Old habit").toggle)
    settle(run, context)

    lea = card(view, fam.child)
    assert lea.error_label.isVisible()
    assert "does not exist" in lea.error_label.text()
    # The reload after the refusal dropped the removed habit; the rest still works.
    assert [r.item.habit.name for r in lea.habit_rows] == ["Brush teeth"]
    qtbot_click(habit_row(view, fam.child, "Brush teeth").toggle)
    settle(run, context)
    assert entry_of(core, run, kept, fam.today).status is EntryStatus.DONE
    assert not card(view, fam.child).error_label.isVisible()


def qtbot_click(widget: Any) -> None:
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton)


def test_a_number_being_typed_is_saved_for_its_own_day_when_the_day_changes(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any, qtbot: Any
) -> None:
    water = add_habit(
        core, run, fam, fam.child, name="Water", kind="numeric", target_value=6, unit="glasses"
    )
    view = open_view()
    box = habit_row(view, fam.child, "Water").value_box
    assert box is not None
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Up)  # from "nothing" to 0
    for _ in range(7):
        qtbot.keyClick(box, Qt.Key.Key_Up)
    qtbot.keyClick(view, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    settle(run, context)
    assert context.day == fam.today - timedelta(days=1)
    assert entry_of(core, run, water, fam.today).value == 7
    assert entry_of(core, run, water, context.day) is None
    assert habit_row(view, fam.child, "Water").value_box.text() == "– glasses"


def test_a_refused_number_shows_what_is_really_recorded(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any, qtbot: Any
) -> None:
    water = add_habit(
        core, run, fam, fam.child, name="Water", kind="numeric", target_value=6, unit="glasses"
    )
    run(core.habits.set_entry(ADMIN, water.id, fam.today, {"value": 3}))
    view = open_view()
    box = habit_row(view, fam.child, "Water").value_box
    assert box is not None and box.text() == "3 glasses"
    # Another parent archives and removes it meanwhile; the typed 5 is refused.
    run(core.habits.remove_habit(ADMIN, water.id))
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "5")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    settle(run, context)
    assert "does not exist" in card(view, fam.child).error_label.text()
    assert card(view, fam.child).habit_rows == []


def test_a_failed_load_says_why_at_the_top(
    core: AppCore, run: Any, fam: Family, context: AppContext, open_view: Any
) -> None:
    add_habit(core, run, fam, fam.child)
    view = open_view()
    context.set_acting(fam.child.user_id)
    settle(run, context)
    # Léa leaves the family on another computer; this one still acts as her.
    run(core.families.remove_member(ADMIN, fam.child.membership_id))
    run(view.refresh())
    assert view.message.isVisible()
    assert "Only members of this family" in view.message.text()
    # What was on screen stays readable.
    assert fam.child.user_id in view.cards
