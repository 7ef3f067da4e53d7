"""The History screen, driven with clicks and keys on real widgets; what it shows is checked
against what was recorded through `core` on a real SQLite database, and against what
`StatsService.history` says."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget
from sqlalchemy import event

from habitdesk.core.appcore import AppCore
from habitdesk.core.demo import DemoReport, generate_demo
from habitdesk.core.domain.days import family_today
from habitdesk.core.enums import EntryStatus, Role
from habitdesk.core.errors import HabitDeskError
from habitdesk.core.schemas.people import FamilyRead, MemberRead
from habitdesk.core.services.base import Actor
from habitdesk.ui.context import AppContext
from habitdesk.ui.qtmodels.history_model import Column
from habitdesk.ui.views.history import HistoryView
from habitdesk.ui.widgets.member_compare import WEEKDAY_NAMES
from tests.ui.waiting import until

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


def show_table(view: HistoryView, qtbot: Any) -> None:
    """Click the "Habits and routines" tab."""
    bar = view.tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(1).center())
    assert view.table.isVisible()


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
    # Today is not judged until something is recorded; 1 to 6 days ago: done 1-3, skipped 4,
    # missed 5 (recorded) and 6 (nothing recorded). Skipped days count in no rate.
    assert read["MEMBER"] == "Léa Martin"
    assert (read["DUE"], read["DONE"], read["MISSED"], read["SKIPPED"]) == ("5", "3", "2", "1")
    assert read["PARTIAL"] == "none"
    assert read["COMPLETION"] == "60%"  # 3 of 5

    morning = row_texts(view, "Morning routine")
    assert morning["ITEM"] == "Routine Morning routine"
    # Completed 1 day ago, one step of two 2 days ago, skipped 3, nothing 4 to 6.
    assert (morning["DUE"], morning["DONE"], morning["PARTIAL"]) == ("5", "1", "1")
    assert (morning["MISSED"], morning["SKIPPED"], morning["COMPLETION"]) == ("3", "1", "20%")

    total = total_texts(view)
    assert total["MEMBER"] == "Total"
    assert total["ITEM"] == "1 habit · 1 routine"
    assert (total["DUE"], total["DONE"], total["PARTIAL"], total["MISSED"]) == (
        "10",
        "4",
        "1",
        "5",
    )
    assert total["COMPLETION"] == "40%"  # 4 of 10
    assert view.summary.text() == (
        "🦄 Léa Martin: 40 % of the days that counted were done (4 of 10)"
    )
    # One member: her streak highlights too (done 1 to 3 days ago; today is still open).
    assert view.figures.text() == (
        "4 done  ·  1 partial  ·  5 missed  ·  2 skipped  ·  "
        "best streak in this range: 3 days (Read 20 minutes)  ·  "
        "still running: 3 days (Read 20 minutes)"
    )
    # One member shown: no side-by-side cards, and the trend is hers alone.
    assert view.comparison.isHidden() and view.members_title.isHidden()


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
    # 29 days judged (today not yet), one skipped; the day done 10 days ago now counts.
    assert (read["DUE"], read["DONE"], read["SKIPPED"], read["MISSED"]) == ("28", "4", "1", "24")
    assert read["COMPLETION"] == "14%"  # 4 of 28
    assert view.detail.text().endswith("30 days")

    click(qtbot, view.preset_buttons["all"])
    run(context.tasks.drain())
    # "All" starts when the habit and routine started, 40 days ago.
    assert view.current_range() == (martins.today - timedelta(days=40), martins.today)
    assert row_texts(view, "Read 20 minutes")["DUE"] == "39"  # 40 days, one skipped

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
    assert row_texts(view, "Read 20 minutes")["DUE"] == "4"  # 1-3 done, 5 missed

    # An end before the start says why next to the range and keeps the table as it was.
    view.to_edit.setDate(QDate(2001, 1, 1))
    qtbot.keyClick(view.to_edit, Qt.Key.Key_Return)
    run(context.tasks.drain())
    assert view.range_error.isVisible()
    assert "is after the end" in view.range_error.text()
    assert row_texts(view, "Read 20 minutes")["DUE"] == "4"


def test_sorting_by_a_column_keeps_the_total_last(
    view: HistoryView, context: AppContext, qtbot: Any, run: Any
) -> None:
    show_table(view, qtbot)
    header = view.table.horizontalHeader()
    x = header.sectionViewportPosition(Column.COMPLETION) + 10
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )
    model = view.model
    names = [model.data(model.index(r, Column.ITEM)) for r in range(model.rowCount() - 1)]
    completions = [row.counts.rate for row in model.rows]
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
    # The family and role, the member, their (no) habits and entries, their (no) routines.
    assert len(statements) == 5
    assert view.pages.currentWidget() is view.empty
    assert view.empty.text().startswith("Grand-mère has no habits or routines yet")
    context.set_member_filter(None)
    run(context.tasks.drain())
    assert view.pages.currentWidget() is view.tabs


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
    # Now Claire's: the runs Léa made before stay hers and count for nobody (the core's rule,
    # as in the analytics); Claire's unfinished run 4 days ago is partial, the other days missed.
    assert morning["MEMBER"] == "Claire Martin"
    assert (morning["DONE"], morning["PARTIAL"], morning["SKIPPED"]) == ("0", "1", "0")
    assert (morning["DUE"], morning["MISSED"]) == ("6", "5")


def test_statements_do_not_grow_with_the_length_of_the_range(
    view: HistoryView, app_core: AppCore, context: AppContext, qtbot: Any, run: Any
) -> None:
    counts = []
    for key in ("7", "all"):
        with statements_of(app_core) as statements:
            click(qtbot, view.preset_buttons[key])
            run(context.tasks.drain())
        counts.append(len(statements))
    # The family and role, the members, the habits with their versions, their days; the
    # routines with theirs, their runs.
    assert counts[0] == counts[1] == 6


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
    assert view.model.total.done > 0 and view.model.total.due > 0
    # Each habit's days done, checked against its own entries.
    done = {row.item_id: row.counts.done for row in view.model.rows}
    for habit in habits:
        entries = run(core.habits.entries_in_range(habit.id, report.first_day, context.today))
        assert done[habit.id] == sum(1 for e in entries if e.status is EntryStatus.DONE)


# --- the overview: figures, charts, members side by side -------------------------------------


def test_the_overview_shows_what_the_service_judged(
    view: HistoryView, app_core: AppCore, context: AppContext, martins: Family, qtbot: Any, run: Any
) -> None:
    click(qtbot, view.preset_buttons["30"])
    run(context.tasks.drain())
    start, end = view.current_range()
    read = run(app_core.stats.history(context.actor, martins.family.id, start, end))
    counts = read.family.counts
    assert view.summary.text() == (
        f"Everyone: {round(counts.rate * 100)} % of the days that counted were done "
        f"({counts.done:,} of {counts.due:,})"
    )
    # Best and hardest weekdays in words, as the service ranked them.
    weekdays = read.family.weekdays
    rates = weekdays.rates()
    best = " and ".join(WEEKDAY_NAMES[d] for d in weekdays.best)
    assert view.weekday_words.text().startswith(
        f"Best: {best} ({round(rates[weekdays.best[0]] * 100)} %)"
    )
    if weekdays.worst:
        assert "Hardest: " + WEEKDAY_NAMES[weekdays.worst[0]] in view.weekday_words.text()

    # The trend: weekly over 30 days; End on the focused chart selects the last week, whose
    # values are read out for the family and for Léa (Claire had nothing due: no line).
    assert view.trend_title.text() == "Trend by week"
    view.trend_chart.setFocus()
    qtbot.keyClick(view.trend_chart, Qt.Key.Key_End)
    described = view.trend_chart.accessibleDescription()
    last = read.family.trend.rates()[-1]
    lea = read.members[-1].totals.trend.rates()[-1]
    assert f"Everyone: {'no value' if last is None else f'{round(last * 100)} %'}" in described
    assert f"Léa: {'no value' if lea is None else f'{round(lea * 100)} %'}" in described
    assert "Claire" not in described

    # Everyone shown: a card per member who has something to do or is not a viewer.
    cards = view.comparison.visible_cards()
    assert [c.name.text() for c in cards] == ["Claire Martin", "Léa Martin"]
    lea_counts = read.members[-1].totals.counts
    assert cards[1].rate.text() == f"{round(lea_counts.rate * 100)} %"
    assert cards[1].days.text() == f"{lea_counts.done:,} of {lea_counts.due:,} days"
    assert cards[0].rate.text() == "—" and cards[0].days.text() == "Nothing due yet"
    assert cards[1].accessibleName() == f"Léa Martin: {cards[1].rate.text()}"


def test_the_member_filter_narrows_everything_and_back(
    view: HistoryView, context: AppContext, martins: Family, run: Any
) -> None:
    assert not view.comparison.isHidden()
    context.set_member_filter(martins.child.user_id)
    run(context.tasks.drain())
    assert view.comparison.isHidden()
    assert view.summary.text().startswith("🦄 Léa Martin:")
    assert {row.member.user_id for row in view.model.rows} == {martins.child.user_id}
    context.set_member_filter(None)
    run(context.tasks.drain())
    assert not view.comparison.isHidden()
    assert view.summary.text().startswith("Everyone:")


def test_a_failing_read_says_why_next_to_the_range(
    view: HistoryView,
    app_core: AppCore,
    context: AppContext,
    qtbot: Any,
    run: Any,
    monkeypatch: Any,
) -> None:
    async def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise HabitDeskError("The database is not reachable right now.")

    before = view.summary.text()
    monkeypatch.setattr(app_core.stats, "history", refuse)
    click(qtbot, view.preset_buttons["90"])
    run(context.tasks.drain())
    assert view.range_error.isVisible()
    assert view.range_error.text() == "The database is not reachable right now."
    assert view.summary.text() == before  # what was shown stays


def test_a_family_without_anything_and_no_family_at_all(
    view: HistoryView, core: AppCore, context: AppContext, run: Any
) -> None:
    other = run(
        core.families.create_family(
            {"name": "Dupont", "time_zone": "Europe/Paris"}, {"full_name": "Jo Dupont"}
        )
    ).value
    members = run(core.families.list_members(ADMIN, other.id))
    context.set_family(other, members)
    run(context.tasks.drain())
    assert view.pages.currentWidget() is view.empty
    assert view.empty.text().startswith("No habits or routines yet")
    context.set_family(None, [])
    run(context.tasks.drain())
    assert view.empty.text().startswith("No family yet")
    assert view.model.rowCount() == 0


def test_the_weekly_report_opens_on_the_week_of_the_ranges_end(
    view: HistoryView, context: AppContext, martins: Family, qtbot: Any, run: Any
) -> None:
    click(qtbot, view.preset_buttons["30"])
    run(context.tasks.drain())
    end = martins.today - timedelta(days=8)
    view.to_edit.setDate(QDate(end.year, end.month, end.day))
    qtbot.keyClick(view.to_edit, Qt.Key.Key_Return)
    run(context.tasks.drain())
    assert not view.range_error.isVisible()
    click(qtbot, view.report_button)
    dialog = view.report_dialog
    assert dialog.isVisible()
    year, week, _ = end.isocalendar()
    assert dialog.week_field.text() == f"{year}-W{week:02d}"
    dialog.close()
    run(context.tasks.drain())


def test_enter_on_a_week_of_the_trend_narrows_the_range_to_it(
    view: HistoryView, context: AppContext, martins: Family, qtbot: Any, run: Any
) -> None:
    click(qtbot, view.preset_buttons["30"])
    run(context.tasks.drain())
    periods = view.shown.read.trend_periods if view.shown else None
    assert periods is not None and len(periods) >= 2
    view.trend_chart.setFocus()
    qtbot.keyClick(view.trend_chart, Qt.Key.Key_Home)
    qtbot.keyClick(view.trend_chart, Qt.Key.Key_Right)
    qtbot.keyClick(view.trend_chart, Qt.Key.Key_Return)
    run(context.tasks.drain())
    # The second week of the range, whole (it lies inside the 30 days).
    assert view.preset == "custom"
    assert not any(b.isChecked() for b in view.preset_buttons.values())
    assert view.current_range() == (periods.starts[1], periods.ends[1])
    assert view.shown is not None and view.shown.read.start == periods.starts[1]
    assert view.detail.text().endswith("7 days")


def test_presets_and_tabs_by_their_alt_keys(
    view: HistoryView, context: AppContext, martins: Family, qtbot: Any, run: Any
) -> None:
    view.activateWindow()
    run(until(view.isActiveWindow))
    # A mnemonic "clicks" its button after a short animation: the loop runs until it has.
    qtbot.keyClick(view, Qt.Key.Key_7, Qt.KeyboardModifier.AltModifier)
    run(until(lambda: view.preset == "7"))
    run(context.tasks.drain())
    assert view.preset_buttons["7"].isChecked()
    assert view.current_range() == (martins.today - timedelta(days=6), martins.today)
    assert row_texts(view, "Read 20 minutes")["DONE"] == "3"
    qtbot.keyClick(view, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    run(until(lambda: view.preset == "all"))
    run(context.tasks.drain())
    assert view.current_range()[0] == martins.today - timedelta(days=40)
    qtbot.keyClick(view, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    run(until(lambda: view.tabs.currentIndex() == 1))
    assert view.table.isVisible()
    qtbot.keyClick(view, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    run(until(lambda: view.tabs.currentIndex() == 0))


def test_a_narrow_window_wraps_the_bar_and_the_cards_instead_of_scrolling_sideways(
    demo: tuple[DemoReport, FamilyRead, list[MemberRead]],
    app_core: AppCore,
    qtbot: Any,
    run: Any,
) -> None:
    """At the app's minimum window (960 px, ≈780 of them for the screen) nothing is cut off or
    scrolls sideways: the range bar takes two lines. Narrower still, the member cards (four here,
    at least 140 px each) take two rows of two. Wide: one line, one row."""
    _report, family, members = demo
    context = AppContext(app_core)
    context.set_family(family, members)
    view = HistoryView(context)
    qtbot.addWidget(view)
    view.show()
    run(context.tasks.drain())
    overview = view.findChild(QScrollArea, "historyOverview")
    assert overview is not None

    def laid_out_at(width: int) -> tuple[bool, int, int]:
        view.resize(width, 900)
        for _ in range(3):
            QApplication.processEvents()
        sideways = overview.horizontalScrollBar().isVisible()
        bar_lines = len({b.mapTo(view, b.rect().center()).y() for b in _bar_buttons(view)})
        card_rows = len({c.mapTo(view, c.rect().topLeft()).y() for c in view.comparison.cards})
        return sideways, bar_lines, card_rows

    assert laid_out_at(780) == (False, 2, 1)
    assert laid_out_at(500)[2] == 2
    assert laid_out_at(1500) == (False, 1, 1)
    for card in view.comparison.cards:  # every card whole, inside the screen
        assert card.mapTo(view, card.rect().bottomRight()).x() <= view.width()


def _bar_buttons(view: HistoryView) -> list[QWidget]:
    return [*view.preset_buttons.values(), view.from_edit, view.report_button]
