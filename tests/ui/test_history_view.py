"""The History screen (plain form), driven with clicks and keys on real widgets; what it shows is
checked against what was recorded through `core` on a real SQLite database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from sqlalchemy import event

from habitdesk.core.appcore import AppCore
from habitdesk.core.demo import DemoReport, generate_demo
from habitdesk.core.domain.days import family_today
from habitdesk.core.domain.habit_rules import Rules
from habitdesk.core.domain.weekdays import mask_from_names
from habitdesk.core.enums import EntryStatus, Role, RunStatus
from habitdesk.core.schemas.people import FamilyRead, MemberRead
from habitdesk.core.services.base import Actor
from habitdesk.ui.context import AppContext
from habitdesk.ui.qtmodels.history_model import (
    Column,
    RulesFrom,
    ScheduleFrom,
    habit_counts,
    routine_counts,
)
from habitdesk.ui.views.history import HistoryView

ADMIN = Actor.local_admin()


@dataclass
class Family:
    family: FamilyRead
    owner: MemberRead
    child: MemberRead
    viewer: MemberRead
    today: date
    read: UUID
    routine: UUID

    @property
    def members(self) -> list[MemberRead]:
        return [self.owner, self.child, self.viewer]


async def make_family(core: AppCore) -> Family:
    """Léa reads (daily) and does a morning routine (every day, two steps); recorded below."""
    family = (
        await core.families.create_family(
            {"name": "Martin", "time_zone": "Europe/Paris"},
            {"full_name": "Claire Martin", "avatar_emoji": "🦊"},
        )
    ).value
    owner = (await core.families.list_members(ADMIN, family.id))[0]
    child = (
        await core.families.add_member(
            ADMIN,
            family.id,
            {"user": {"full_name": "Léa Martin", "avatar_emoji": "🦄"}, "role": Role.CHILD},
        )
    ).value
    viewer = (
        await core.families.add_member(
            ADMIN, family.id, {"user": {"full_name": "Grand-mère"}, "role": Role.VIEWER}
        )
    ).value
    today = family_today(family.time_zone, family.day_start_hour)
    start = today - timedelta(days=40)
    read = (
        await core.habits.create_habit(
            ADMIN,
            {
                "family_id": family.id,
                "user_id": child.user_id,
                "name": "Read 20 minutes",
                "effective_from": start,
            },
        )
    ).value
    routine = (
        await core.routines.create_routine(
            ADMIN,
            {
                "family_id": family.id,
                "user_id": child.user_id,
                "name": "Morning routine",
                "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                "steps": [{"title": "Brush teeth"}, {"title": "Get dressed"}],
                "effective_from": start,
            },
        )
    ).value

    def day(n: int) -> date:
        return today - timedelta(days=n)

    # Read: done 1-3 days ago and 10 days ago, skipped 4 days ago, missed 5 days ago.
    for n in (1, 2, 3, 10):
        await core.habits.set_entry(ADMIN, read.id, day(n), {"status": "done"})
    await core.habits.set_entry(ADMIN, read.id, day(4), {"skip": True})
    await core.habits.set_entry(ADMIN, read.id, day(5), {"status": "missed"})

    # Morning routine: completed yesterday, partial the day before, skipped 3 days ago.
    steps = routine.current_version.steps
    run = (await core.routines.start_run(ADMIN, routine.id, day(1))).value
    for step in steps:
        await core.routines.check_step(ADMIN, run.id, step.id)
    await core.routines.finish_run(ADMIN, run.id)
    run = (await core.routines.start_run(ADMIN, routine.id, day(2))).value
    await core.routines.check_step(ADMIN, run.id, steps[0].id)
    await core.routines.finish_run(ADMIN, run.id)
    await core.routines.skip_run(ADMIN, routine.id, day(3))
    return Family(family, owner, child, viewer, today, read.id, routine.id)


@pytest.fixture
def martins(core: AppCore, run: Any) -> Family:
    family: Family = run(make_family(core))
    return family


@pytest.fixture
def app_core(db_url: str, run: Any) -> Iterator[AppCore]:
    app_core = AppCore.from_url(db_url)
    yield app_core
    run(app_core.close())


@pytest.fixture
def context(app_core: AppCore, run: Any, martins: Family) -> Iterator[AppContext]:
    context = AppContext(app_core)
    context.set_family(martins.family, martins.members)
    yield context
    run(context.tasks.drain())


@pytest.fixture
def view(context: AppContext, qtbot: Any, run: Any) -> HistoryView:
    view = HistoryView(context)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    run(context.tasks.drain())
    return view


def row_texts(view: HistoryView, name: str) -> dict[str, str]:
    model = view.model
    for r in range(model.rowCount()):
        item = model.data(model.index(r, Column.ITEM), Qt.ItemDataRole.AccessibleTextRole)
        if item is not None and item.endswith(name):
            return {
                c.name: model.data(model.index(r, c), Qt.ItemDataRole.AccessibleTextRole)
                for c in Column
            }
    raise AssertionError(f"no row for {name}")


def total_texts(view: HistoryView) -> dict[str, str]:
    model = view.model
    last = model.rowCount() - 1
    assert view.model.is_total(last)
    return {c.name: model.data(model.index(last, c)) for c in Column}


def click(qtbot: Any, widget: Any) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


# --- counts over a range ----------------------------------------------------------------------


def test_last_7_days_match_what_was_recorded_for_the_member(
    view: HistoryView, context: AppContext, martins: Family, qtbot: Any, run: Any
) -> None:
    context.set_member_filter(martins.child.user_id)
    run(context.tasks.drain())
    click(qtbot, view.preset_buttons["7"])
    run(context.tasks.drain())

    assert view.current_range() == (martins.today - timedelta(days=6), martins.today)
    read = row_texts(view, "Read 20 minutes")
    # Today is not judged until something is recorded: six due days, 1 to 6 days ago.
    assert read["MEMBER"] == "Léa Martin"
    assert (read["DUE"], read["DONE"], read["MISSED"], read["SKIPPED"]) == ("6", "3", "2", "1")
    assert read["PARTIAL"] == "none"
    assert read["COMPLETION"] == "60%"  # 3 met of the 5 due days not skipped

    morning = row_texts(view, "Morning routine")
    assert morning["ITEM"] == "Routine Morning routine"
    assert (morning["DUE"], morning["DONE"], morning["PARTIAL"]) == ("6", "1", "1")
    assert (morning["MISSED"], morning["SKIPPED"], morning["COMPLETION"]) == ("3", "1", "20%")

    total = total_texts(view)
    assert total["MEMBER"] == "Total"
    assert total["ITEM"] == "1 habit · 1 routine"
    assert (total["DUE"], total["DONE"], total["PARTIAL"], total["MISSED"]) == (
        "12",
        "4",
        "1",
        "5",
    )
    assert total["COMPLETION"] == "40%"  # 4 of 10
    assert view.summary.text() == "🦄 Léa Martin: 40% of due days met (4 of 10)"


def test_switching_the_range_recounts(
    view: HistoryView, context: AppContext, martins: Family, qtbot: Any, run: Any
) -> None:
    click(qtbot, view.preset_buttons["7"])
    run(context.tasks.drain())
    assert row_texts(view, "Read 20 minutes")["DONE"] == "3"

    click(qtbot, view.preset_buttons["30"])
    run(context.tasks.drain())
    assert view.preset_buttons["30"].isChecked()
    assert not view.preset_buttons["7"].isChecked()
    read = row_texts(view, "Read 20 minutes")
    # 29 due days (today not yet); the day done 10 days ago now counts.
    assert (read["DUE"], read["DONE"], read["SKIPPED"], read["MISSED"]) == ("29", "4", "1", "24")
    assert read["COMPLETION"] == "14%"  # 4 of 28
    assert view.detail.text().endswith("30 days")

    click(qtbot, view.preset_buttons["all"])
    run(context.tasks.drain())
    # "All" starts when the habit and routine started, 40 days ago.
    assert view.current_range() == (martins.today - timedelta(days=40), martins.today)
    assert row_texts(view, "Read 20 minutes")["DUE"] == "40"

    click(qtbot, view.preset_buttons["year"])
    run(context.tasks.drain())
    assert view.current_range()[0] == date(martins.today.year, 1, 1)


def test_a_custom_range_typed_with_the_keyboard(
    view: HistoryView, context: AppContext, martins: Family, qtbot: Any, run: Any
) -> None:
    click(qtbot, view.preset_buttons["7"])
    run(context.tasks.drain())
    # Move the start one day later with the arrow key, then press Enter.
    view.from_edit.setFocus()
    qtbot.keyClick(view.from_edit, Qt.Key.Key_Up)
    qtbot.keyClick(view.from_edit, Qt.Key.Key_Return)
    run(context.tasks.drain())
    assert view.preset == "custom"
    assert not any(b.isChecked() for b in view.preset_buttons.values())
    assert view.current_range()[0] == martins.today - timedelta(days=5)
    assert row_texts(view, "Read 20 minutes")["DUE"] == "5"

    # An end before the start says why next to the range and keeps the table as it was.
    view.to_edit.setDate(QDate(2001, 1, 1))
    qtbot.keyClick(view.to_edit, Qt.Key.Key_Return)
    run(context.tasks.drain())
    assert view.range_error.isVisible()
    assert "is after the end" in view.range_error.text()
    assert row_texts(view, "Read 20 minutes")["DUE"] == "5"


def test_sorting_by_a_column_keeps_the_total_last(
    view: HistoryView, context: AppContext, qtbot: Any, run: Any
) -> None:
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(Column.COMPLETION) + 10
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )
    model = view.model
    names = [model.data(model.index(r, Column.ITEM)) for r in range(model.rowCount() - 1)]
    completions = [row.counts.completion for row in model.rows]
    assert completions == sorted(completions)  # type: ignore[type-var]
    assert len(names) == 2
    assert model.data(model.index(model.rowCount() - 1, Column.MEMBER)) == "Total"

    # The keyboard way: Ctrl+Shift+S on a cell sorts by its column, again to reverse.
    view.table.setFocus()
    view.table.setCurrentIndex(model.index(0, Column.DUE))
    qtbot.keyClick(
        view.table,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert header.sortIndicatorSection() == Column.DUE
    assert model.data(model.index(model.rowCount() - 1, Column.MEMBER)) == "Total"


def test_a_member_without_habits_gets_an_empty_state(
    view: HistoryView, app_core: AppCore, context: AppContext, martins: Family, run: Any
) -> None:
    with statements_of(app_core) as statements:
        context.set_member_filter(martins.viewer.user_id)
        run(context.tasks.drain())
    assert len(statements) == 4  # nothing to read, but the family and role are checked
    assert view.pages.currentWidget() is view.empty
    assert view.empty.text().startswith("Grand-mère has no habits or routines yet")
    context.set_member_filter(None)
    run(context.tasks.drain())
    assert view.pages.currentWidget() is view.table


def test_recording_elsewhere_refreshes_the_screen(
    view: HistoryView, context: AppContext, martins: Family, qtbot: Any, run: Any
) -> None:
    click(qtbot, view.preset_buttons["7"])
    run(context.tasks.drain())
    assert row_texts(view, "Read 20 minutes")["DONE"] == "3"
    # Another screen ticks a day through the task bridge: History listens for ENTRIES.
    day = martins.today - timedelta(days=6)
    run(
        context.tasks.write(
            context.core.habits.set_entry(context.actor, martins.read, day, {"status": "done"})  # type: ignore[union-attr]
        )
    )
    run(context.tasks.drain())
    assert row_texts(view, "Read 20 minutes")["DONE"] == "4"


@contextmanager
def statements_of(app_core: AppCore) -> Iterator[list[str]]:
    """Every SQL statement the app's core sends meanwhile (counting them, not querying)."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    engine = app_core._db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_routine_handed_over_keeps_the_runs_made_before(
    view: HistoryView, context: AppContext, core: AppCore, martins: Family, qtbot: Any, run: Any
) -> None:
    run(core.routines.edit_routine(ADMIN, martins.routine, {}, user_id=martins.owner.user_id))
    run(core.routines.start_run(ADMIN, martins.routine, martins.today - timedelta(days=4)))
    click(qtbot, view.preset_buttons["7"])
    run(context.tasks.drain())
    morning = row_texts(view, "Morning routine")
    # Now Claire's, with Léa's three runs and Claire's unfinished one (partial).
    assert morning["MEMBER"] == "Claire Martin"
    assert (morning["DONE"], morning["PARTIAL"], morning["SKIPPED"]) == ("1", "2", "1")
    assert (morning["DUE"], morning["MISSED"]) == ("6", "2")


def test_statements_do_not_grow_with_the_length_of_the_range(
    view: HistoryView, app_core: AppCore, context: AppContext, qtbot: Any, run: Any
) -> None:
    counts = []
    for key in ("7", "all"):
        with statements_of(app_core) as statements:
            click(qtbot, view.preset_buttons[key])
            run(context.tasks.drain())
        counts.append(len(statements))
    # The habits with their versions, their days; the routines with theirs, their runs.
    assert counts[0] == counts[1] == 4


# --- a demo family: years of history -------------------------------------------------------------


@pytest.fixture
def demo(core: AppCore, run: Any) -> tuple[DemoReport, FamilyRead, list[MemberRead]]:
    """Four members with four habits and two routines each, 400 days of history (versions,
    entries of every kind, runs, points) made by the demo generator."""
    report: DemoReport = run(
        generate_demo(core._db, members=4, habits=4, routines=2, days=400, seed=3)
    )
    family = run(core.families.get_family(report.family_id))
    members = run(core.families.list_members(ADMIN, report.family_id))
    return report, family, members


def test_everyone_over_all_the_history_loads_in_at_most_six_statements(
    demo: tuple[DemoReport, FamilyRead, list[MemberRead]],
    core: AppCore,
    app_core: AppCore,
    qtbot: Any,
    run: Any,
) -> None:
    report, family, members = demo
    context = AppContext(app_core)
    context.set_family(family, members)
    view = HistoryView(context)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    run(context.tasks.drain())
    assert context.member_filter is None  # everyone

    counts = {}
    for key in ("7", "all"):
        with statements_of(app_core) as statements:
            click(qtbot, view.preset_buttons[key])
            run(context.tasks.drain())
        counts[key] = len(statements)
    assert counts["all"] == counts["7"] <= 6

    # Every habit and routine of every member, over everything since the first day recorded.
    assert view.current_range() == (report.first_day, context.today)
    habits = run(core.habits.list_habits(ADMIN, family.id, include_archived=True))
    routines = run(core.routines.list_routines(ADMIN, family.id, include_archived=True))
    kinds = [row.kind for row in view.model.rows]
    assert (kinds.count("habit"), kinds.count("routine")) == (len(habits), len(routines))
    assert view.model.total.done > 0 and view.model.total.judged > 0
    # Each habit's days done, checked against its own entries.
    done = {row.item_id: row.counts.done for row in view.model.rows}
    for habit in habits:
        entries = run(core.habits.entries_in_range(habit.id, report.first_day, context.today))
        assert done[habit.id] == sum(1 for e in entries if e.status is EntryStatus.DONE)


# --- the counting rules (pure) ----------------------------------------------------------------


def test_a_flexible_habit_met_on_spread_days_is_not_missed() -> None:
    monday = date(2026, 3, 2)
    rules = Rules(freq_num=3, freq_den=7)
    done = {monday + timedelta(days=n): EntryStatus.DONE for n in (0, 2, 4, 7, 9, 11)}
    counts = habit_counts(
        [RulesFrom(monday, 1, rules)], done, monday, monday + timedelta(days=13), date(2026, 4, 1)
    )
    assert (counts.due, counts.done, counts.missed, counts.completion) == (6, 6, 0, 1.0)


def test_a_weekday_habit_counts_only_its_days_and_each_day_uses_its_own_rules() -> None:
    monday = date(2026, 3, 2)
    versions = [
        RulesFrom(monday, 1, Rules(weekdays=mask_from_names(["mon", "wed", "fri"]))),
        RulesFrom(monday + timedelta(days=7), 2, Rules()),  # daily from the second week
    ]
    statuses = {monday: EntryStatus.DONE, monday + timedelta(days=1): EntryStatus.DONE}
    counts = habit_counts(versions, statuses, monday, monday + timedelta(days=13), date(2026, 4, 1))
    # Week 1: Mon, Wed, Fri due (Tuesday's tick is a bonus); week 2: seven days.
    assert (counts.due, counts.done, counts.missed, counts.met) == (10, 2, 9, 1)


def test_days_before_a_routine_existed_and_an_unfinished_today_are_not_due() -> None:
    today = date(2026, 3, 15)
    versions = [
        ScheduleFrom(
            date(2026, 3, 12), 1, mask_from_names(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
        )
    ]
    runs = {date(2026, 3, 13): RunStatus.COMPLETED, today: RunStatus.IN_PROGRESS}
    counts = routine_counts(versions, runs, date(2026, 3, 1), today, today)
    # Due 12, 13 and 14 March; today is still in progress.
    assert (counts.due, counts.done, counts.partial, counts.missed) == (3, 1, 0, 2)
