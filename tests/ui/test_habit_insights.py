"""The habit detail's Insights tab, driven as a parent (or a child, or a viewer) would: pick a
habit, read its figures, click a day on its calendar and change it in the dialog."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QLineEdit

from habitdesk.core.appcore import AppCore
from habitdesk.core.domain.history_days import DayStatus
from habitdesk.core.enums import EntryStatus
from habitdesk.ui.context import AppContext
from habitdesk.ui.dialogs.day_entry_dialog import DayEntryDialog
from habitdesk.ui.qtmodels.entries_model import EntriesModel
from habitdesk.ui.views.habits import HabitsView
from tests.ui import test_habits_view as habits_screen
from tests.ui.test_habits_view import (
    ADMIN,
    LEFT,
    Martins,
    ago,
    click_habit,
    insert_entries,
    new_habit,
    open_entries_tab,
    settle,
    today,
)

# The Habits screen's fixtures: the Martin family, the app's context, the screen.
martins = habits_screen.martins
context = habits_screen.context
make_view = habits_screen.make_view


def signed_percent(delta: float) -> str:
    points = round(delta * 100)
    return "±0 %" if points == 0 else f"{'+' if points > 0 else '−'}{abs(points)} %"


def choose(qtbot: Any, dialog: DayEntryDialog, choice: str) -> None:
    """Click a choice's radio button on its circle (a click beyond its label misses it)."""
    button = dialog.buttons[choice]
    qtbot.mouseClick(button, LEFT, pos=QPoint(8, button.height() // 2))
    assert dialog.choice() == choice


def click_day(qtbot: Any, view: HabitsView, day: Any) -> DayEntryDialog:
    heat_map = view.heat_map
    rect = heat_map.day_rect(day)
    assert rect.isValid(), day
    qtbot.mouseClick(heat_map, LEFT, pos=rect.center())
    dialog = view.day_dialog
    assert dialog is not None and dialog.isVisible() and dialog.day == day
    return dialog


def reading_habit(
    core: AppCore, run: Any, martins: Martins, context: AppContext, db_url: str
) -> Any:
    """Read daily for 400 days; done on the last 120 days but every fifth."""
    habit = new_habit(core, run, martins, effective_from=ago(context, 400), colour="#2E9A5B")
    done = [ago(context, n) for n in range(120, 0, -1) if n % 5]
    insert_entries(db_url, run, habit.id, done, EntryStatus.DONE)
    return habit


def test_the_figures_and_charts_show_what_the_core_worked_out(
    core: AppCore,
    run: Any,
    martins: Martins,
    context: AppContext,
    make_view: Any,
    db_url: str,
    qtbot: Any,
) -> None:
    habit = reading_habit(core, run, martins, context, db_url)
    view = make_view()
    click_habit(qtbot, view, "Read 20 minutes")
    settle(run, context)
    assert view.detail_tabs.currentWidget() is view.insights
    detail = run(core.habit_insights.habit_detail(ADMIN, habit.id))
    figures = view.insights.figures
    assert figures.score.text() == f"{round(detail.score * 100)} %"
    assert figures.month.text() == signed_percent(detail.score - detail.score_month_ago)
    assert figures.year.text() == signed_percent(detail.score - detail.score_year_ago)
    assert detail.score_year_ago == 0.0 and figures.year.text().startswith("+")
    # 96 days done; the last four in a row (the fifth day before was not done).
    assert figures.done.text() == "96"
    assert figures.current.text() == "4 days" and figures.best.text() == "4 days"
    assert "96 days done" in view.heat_map.accessibleDescription()
    assert view.heat_map.accessibleDescription().startswith(f"{ago(context, 400).year}")
    # More than a year of weeks: the charts start by month, and a click shows weeks.
    assert view.insights.month_button.isChecked()
    months = len(detail.months)
    assert f"{months} points" in view.insights.score_chart.accessibleDescription()
    qtbot.mouseClick(view.insights.week_button, LEFT)
    weeks = len(detail.weeks)
    assert f"{weeks} points" in view.insights.score_chart.accessibleDescription()
    assert f"{weeks} bars" in view.insights.totals_chart.accessibleDescription()
    assert view.insights.totals_title.text() == "Days done per week"
    assert "2 series, 7 groups" in view.insights.weekday_chart.accessibleDescription()
    assert view.insights.weekday_text.text().startswith("Best on ")
    # The longest runs, with their dates.
    (_bar, length, dates) = view.insights.best_streaks.rows[0]
    assert length.text() == "4 days" and length.isVisibleTo(view)
    first = detail.best_streaks[0]
    assert (
        dates.text() == f"{first.start.day} {first.start:%b %Y} – {first.end.day} {first.end:%b %Y}"
    )


def test_clicking_a_day_changes_it_and_the_figures_follow(
    core: AppCore,
    run: Any,
    martins: Martins,
    context: AppContext,
    make_view: Any,
    db_url: str,
    qtbot: Any,
) -> None:
    habit = reading_habit(core, run, martins, context, db_url)
    view = make_view()
    settle(run, context)
    missed = ago(context, 5)
    dialog = click_day(qtbot, view, missed)
    assert dialog.recorded.text() == "Nothing recorded for this day."
    assert not dialog.refused and dialog.save_button.isVisible()
    choose(qtbot, dialog, "done")
    qtbot.keyClicks(dialog.note, "Read in the car")
    qtbot.mouseClick(dialog.save_button, LEFT)
    settle(run, context)
    assert view.day_dialog is None
    [stored] = run(core.habits.entries_in_range(habit.id, missed, missed))
    assert (stored.status, stored.note) == (EntryStatus.DONE, "Read in the car")
    # The screen heard of it: the calendar and the figures show the new day.
    detail = view.insights.detail
    assert detail is not None and detail.statuses[detail.index(missed)] is DayStatus.DONE
    assert view.insights.figures.done.text() == "97"
    assert view.insights.figures.current.text() == "9 days"
    assert "97 days done" in view.heat_map.accessibleDescription()
    assert "Read in the car" in view.heat_map.tooltip_text(missed)
    assert view.heat_map.selected_day() == missed  # still where the person was


def test_enter_on_a_day_opens_it_and_nothing_recorded_clears_it(
    core: AppCore,
    run: Any,
    martins: Martins,
    context: AppContext,
    make_view: Any,
    db_url: str,
    qtbot: Any,
) -> None:
    habit = reading_habit(core, run, martins, context, db_url)
    run(core.habits.set_entry(ADMIN, habit.id, today(context), {"status": "done", "note": "x"}))
    view = make_view()
    settle(run, context)
    view.heat_map.setFocus()
    qtbot.keyClick(view.heat_map, Qt.Key.Key_End)
    qtbot.keyClick(view.heat_map, Qt.Key.Key_Return)
    dialog = view.day_dialog
    assert dialog is not None and dialog.day == today(context)
    assert dialog.recorded.text() == "Recorded: done."
    assert dialog.note.text() == "x"
    choose(qtbot, dialog, "none")
    assert not dialog.note.isEnabled() and dialog.clear_hint.isVisibleTo(dialog)
    qtbot.keyClick(dialog.save_button, Qt.Key.Key_Space)
    settle(run, context)
    assert run(core.habits.entries_in_range(habit.id, today(context), today(context))) == []
    assert view.insights.figures.done.text() == "96"


def test_a_numeric_habit_shows_amounts_with_its_target_and_takes_an_amount(
    core: AppCore,
    run: Any,
    martins: Martins,
    context: AppContext,
    make_view: Any,
    qtbot: Any,
) -> None:
    walk = new_habit(
        core,
        run,
        martins,
        name="Walk",
        kind="numeric",
        target_value=2,
        unit="km",
        freq_num=5,
        freq_den=7,
        effective_from=ago(context, 20),
    )
    run(core.habits.set_entry(ADMIN, walk.id, ago(context, 3), {"value": 3.5}))
    run(core.habits.set_entry(ADMIN, walk.id, ago(context, 4), {"value": 3, "skip": True}))
    view = make_view()
    click_habit(qtbot, view, "Walk")
    settle(run, context)
    insights = view.insights
    shown = insights.detail
    assert shown is not None
    strength = round(shown.scores[shown.index(ago(context, 3))] * 100)
    assert view.heat_map.tooltip_text(ago(context, 3)).endswith(
        f": done — 3.5 km\nStrength {strength} %"
    )
    assert view.heat_map.tooltip_text(ago(context, 4)).split("\n")[0].endswith(": skipped")
    assert insights.week_button.isChecked()
    assert insights.totals_title.text() == "Total per week (km)"
    assert "target 10 km" in insights.totals_chart.accessibleDescription()
    # By month, the weekly 10 km spread over an average month (43.48 km), to three figures.
    qtbot.mouseClick(insights.month_button, LEFT)
    assert insights.totals_title.text() == "Total per month (km)"
    assert "target 43.5 km" in insights.totals_chart.accessibleDescription()
    qtbot.mouseClick(insights.week_button, LEFT)
    dialog = click_day(qtbot, view, ago(context, 2))
    assert dialog.numeric and "missed" not in dialog.buttons
    assert dialog.buttons["done"].text() == "Amount"
    dialog.amount.setValue(1.25)
    qtbot.mouseClick(dialog.save_button, LEFT)
    settle(run, context)
    [stored] = run(core.habits.entries_in_range(walk.id, ago(context, 2), ago(context, 2)))
    # Below the target: recorded, and judged not done by the rules of that day.
    assert (stored.value, stored.status) == (1.25, EntryStatus.MISSED)
    detail = insights.detail
    assert detail is not None and detail.progress[detail.index(ago(context, 2))] == 0.625


def test_a_viewer_and_another_child_see_why_they_cannot_change_a_day(
    core: AppCore,
    run: Any,
    martins: Martins,
    context: AppContext,
    make_view: Any,
    db_url: str,
    qtbot: Any,
) -> None:
    habit = reading_habit(core, run, martins, context, db_url)  # Léa's
    view = make_view()
    settle(run, context)
    assert view.insights.calendar_hint.text().startswith("Click a day, or press Enter")
    context.set_acting(martins.viewer.user_id)
    settle(run, context)
    assert view.insights.calendar_hint.text().startswith("Click a day to see it; only a parent")
    dialog = click_day(qtbot, view, ago(context, 5))
    assert dialog.refused and not dialog.save_button.isVisibleTo(dialog)
    assert dialog.reason.text() == "You are acting as Grand-mère, a viewer: viewers only read."
    qtbot.mouseClick(dialog.cancel_button, LEFT)
    assert view.day_dialog is None

    paul = new_habit(core, run, martins, user_id=martins.parent.user_id, name="Run")
    context.set_acting(martins.child.user_id)
    settle(run, context)
    click_habit(qtbot, view, "Run")
    settle(run, context)
    dialog = click_day(qtbot, view, ago(context, 1))
    assert dialog.reason.text() == (
        "You are acting as Léa Martin: a child changes only their own days."
    )
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert run(core.habits.entries_in_range(paul.id, ago(context, 1), ago(context, 1))) == []

    # Her own habit: she may.
    click_habit(qtbot, view, "Read 20 minutes")
    settle(run, context)
    assert view.insights.calendar_hint.text().startswith("Click a day, or press Enter")
    dialog = click_day(qtbot, view, ago(context, 5))
    assert not dialog.refused
    choose(qtbot, dialog, "skipped")
    qtbot.mouseClick(dialog.save_button, LEFT)
    settle(run, context)
    [stored] = run(core.habits.entries_in_range(habit.id, ago(context, 5), ago(context, 5)))
    assert stored.status is EntryStatus.SKIPPED and stored.recorded_by == martins.child.user_id


def test_days_after_today_or_before_the_first_are_refused_with_the_reason(
    core: AppCore,
    run: Any,
    martins: Martins,
    context: AppContext,
    make_view: Any,
    db_url: str,
    qtbot: Any,
) -> None:
    reading_habit(core, run, martins, context, db_url)
    view = make_view()
    settle(run, context)
    tomorrow = today(context) + timedelta(days=1)
    dialog = view.open_day(tomorrow)
    assert dialog is not None and dialog.refused
    assert dialog.reason.text().startswith(f"{tomorrow.day} {tomorrow:%b %Y} is still to come")
    qtbot.mouseClick(dialog.cancel_button, LEFT)
    before = ago(context, 401)
    dialog = view.open_day(before)
    assert dialog is not None and dialog.refused
    assert dialog.reason.text().startswith(f"Nothing to record before {ago(context, 400).day}")
    assert not view.heat_map.day_rect(before).isValid()  # not on the calendar at all
    qtbot.mouseClick(dialog.cancel_button, LEFT)


def test_a_family_whose_weeks_start_on_sunday_sees_sunday_first(
    core: AppCore,
    run: Any,
    martins: Martins,
    context: AppContext,
    make_view: Any,
    db_url: str,
    qtbot: Any,
) -> None:
    family = run(
        core.families.update_family(ADMIN, martins.family.id, {"week_start": "sunday"})
    ).value
    context.set_family(family, martins.members)
    reading_habit(core, run, martins, context, db_url)
    view = make_view()
    settle(run, context)
    # The calendar's rows: Sunday above the Monday after it.
    sunday = ago(context, 30)
    sunday -= timedelta(days=(sunday.weekday() + 1) % 7)
    heat_map = view.heat_map
    assert heat_map.day_rect(sunday).y() < heat_map.day_rect(sunday + timedelta(days=1)).y()
    assert heat_map.day_rect(sunday).x() == heat_map.day_rect(sunday + timedelta(days=6)).x()
    # The weekday chart too, read with the keyboard.
    chart = view.insights.weekday_chart
    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_Home)
    assert ". Selected Sun; Done: " in chart.accessibleDescription()
    weeks = view.insights.detail.weeks if view.insights.detail else None
    assert weeks is not None and {d.weekday() for d in weeks.starts} == {6}


def test_a_note_written_in_the_entries_tab_shows_on_the_calendar(
    core: AppCore,
    run: Any,
    martins: Martins,
    context: AppContext,
    make_view: Any,
    qtbot: Any,
) -> None:
    habit = new_habit(core, run, martins)
    yesterday = ago(context, 1)
    run(core.habits.set_entry(ADMIN, habit.id, yesterday, {"status": "done"}))
    view = make_view()
    settle(run, context)
    assert "“" not in view.heat_map.tooltip_text(yesterday)
    open_entries_tab(qtbot, view, run, context)
    table = view.entries_table
    table.setCurrentIndex(view.entries_model.index(0, EntriesModel.NOTE))
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_F2)
    [line] = table.viewport().findChildren(QLineEdit)
    qtbot.keyClicks(line, "With grandma")
    qtbot.keyClick(line, Qt.Key.Key_Return)
    settle(run, context)
    bar = view.detail_tabs.tabBar()
    qtbot.mouseClick(bar, LEFT, pos=bar.tabRect(0).center())
    settle(run, context)
    assert "“With grandma”" in view.heat_map.tooltip_text(yesterday)
