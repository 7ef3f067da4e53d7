"""Completion rates: done / due days per week, month and year, each day by the rules of its day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from habitdesk.core.domain.completion import (
    CompletionTally,
    OutcomeCounts,
    Period,
    completion_rates,
    habit_outcomes,
    period_of,
    periods,
    routine_outcomes,
)
from habitdesk.core.domain.habit_rules import Rules
from habitdesk.core.domain.history_days import (
    DayStatus,
    HabitDays,
    Outcome,
    Span,
    routine_days,
    routine_run_status,
)
from habitdesk.core.domain.range_summary import (
    WEEKLY_TREND_DAYS,
    WeekdayCounts,
    day_counts,
    describe_rules,
    range_start,
    trend_period,
    weekday_counts,
)
from habitdesk.core.domain.weekdays import mask_from_names
from habitdesk.core.enums import Direction, HabitKind, RunStatus, WeekStart

DONE, MISSED, SKIPPED, NONE = DayStatus.DONE, DayStatus.MISSED, DayStatus.SKIPPED, DayStatus.NONE
MONDAY = date(2026, 1, 5)


def weekdays(names: str) -> Rules:
    return Rules(weekdays=mask_from_names(names.split(",")))


def days_of(
    statuses: list[DayStatus], spans: list[tuple[int, Rules]] | Rules, start: date = MONDAY
) -> HabitDays:
    if isinstance(spans, Rules):
        spans = [(0, spans)]
    n = len(statuses)
    return HabitDays(start, statuses, [None] * n, [None] * n, tuple(Span(f, r) for f, r in spans))


def rate(outcomes: list[Outcome]) -> tuple[int, int]:
    done = outcomes.count(Outcome.DONE)
    return done, done + outcomes.count(Outcome.MISSED)


# --- how a day counts ------------------------------------------------------------------------


def test_weekday_habits_are_due_on_their_weekdays_only() -> None:
    # Mon … Sun; due Mon, Wed, Fri.
    days = days_of([DONE, NONE, MISSED, NONE, NONE, NONE, NONE], weekdays("mon,wed,fri"))
    assert habit_outcomes(days) == [
        Outcome.DONE,
        Outcome.NOT_DUE,
        Outcome.MISSED,
        Outcome.NOT_DUE,
        Outcome.MISSED,
        Outcome.NOT_DUE,
        Outcome.NOT_DUE,
    ]


def test_done_on_a_day_that_was_not_due_still_counts_as_done() -> None:
    days = days_of([NONE, DONE], weekdays("mon"))
    assert habit_outcomes(days) == [Outcome.MISSED, Outcome.DONE]
    assert rate(habit_outcomes(days)) == (1, 2)


def test_skipped_days_count_in_neither_done_nor_due() -> None:
    days = days_of([DONE, SKIPPED, NONE, SKIPPED], Rules())
    outcomes = habit_outcomes(days)
    assert outcomes == [Outcome.DONE, Outcome.SKIPPED, Outcome.MISSED, Outcome.SKIPPED]
    assert rate(outcomes) == (1, 2)


def test_times_per_period_habits_are_due_until_the_window_is_full() -> None:
    # 2 times per 3 days: after two done days the third is not due.
    days = days_of([DONE, DONE, NONE, NONE, NONE, DONE], Rules(freq_num=2, freq_den=3))
    assert habit_outcomes(days) == [
        Outcome.DONE,
        Outcome.DONE,
        Outcome.NOT_DUE,  # the window (days 0-2) already holds two
        Outcome.MISSED,  # window 1-3 holds one
        Outcome.MISSED,
        Outcome.DONE,
    ]


def test_today_with_nothing_recorded_is_still_open() -> None:
    days = days_of([DONE, NONE], Rules())
    today = MONDAY + timedelta(days=1)
    assert habit_outcomes(days, today) == [Outcome.DONE, Outcome.NOT_DUE]
    assert habit_outcomes(days) == [Outcome.DONE, Outcome.MISSED]  # judged as over
    # A "not done" recorded today is final.
    assert habit_outcomes(days_of([DONE, MISSED], Rules()), today)[1] is Outcome.MISSED


def test_each_day_follows_the_weekdays_of_its_version() -> None:
    # Mon–Sun twice; from the second Monday the habit is Tuesday-only.
    statuses = [NONE] * 14
    days = days_of(statuses, [(0, weekdays("mon,wed")), (7, weekdays("tue"))])
    missed = [i for i, o in enumerate(habit_outcomes(days)) if o is Outcome.MISSED]
    assert missed == [0, 2, 8]


# --- routines --------------------------------------------------------------------------------


def test_a_routine_day_is_done_when_every_step_was_checked() -> None:
    assert routine_run_status(RunStatus.IN_PROGRESS, 4, 4) is DONE
    assert routine_run_status(RunStatus.IN_PROGRESS, 4, 3) is NONE  # still open
    assert routine_run_status(RunStatus.PARTIAL, 4, 3) is MISSED
    assert routine_run_status(RunStatus.SKIPPED, 4, 0) is SKIPPED
    # A finished run's status says it.
    assert routine_run_status(RunStatus.COMPLETED) is DONE
    assert routine_run_status(RunStatus.PARTIAL) is MISSED
    assert routine_run_status(RunStatus.SKIPPED) is SKIPPED


@dataclass(frozen=True)
class RoutineVersion:
    number: int
    effective_from: date
    weekdays: int


def test_routines_are_due_on_the_weekdays_of_the_version_of_the_day() -> None:
    versions = [
        RoutineVersion(1, MONDAY, mask_from_names(["mon", "tue", "wed", "thu", "fri"])),
        RoutineVersion(2, MONDAY + timedelta(days=7), mask_from_names(["sat", "sun"])),
    ]
    runs = [
        (MONDAY, DONE),
        (MONDAY + timedelta(days=1), MISSED),
        (MONDAY + timedelta(days=2), SKIPPED),
        (MONDAY + timedelta(days=5), DONE),  # a Saturday: not due, done anyway
    ]
    end = MONDAY + timedelta(days=13)
    days = routine_days(versions, runs, end)
    outcomes = routine_outcomes(days, today=end)
    assert outcomes[:7] == [
        Outcome.DONE,
        Outcome.MISSED,
        Outcome.SKIPPED,
        Outcome.MISSED,
        Outcome.MISSED,
        Outcome.DONE,
        Outcome.NOT_DUE,
    ]
    # Week two: only the weekend is due; Sunday is today, still open.
    assert [i for i, o in enumerate(outcomes) if o is Outcome.MISSED][3:] == [12]
    assert outcomes[13] is Outcome.NOT_DUE


# --- periods ---------------------------------------------------------------------------------


def test_weeks_start_on_the_familys_week_start_and_carry_iso_labels() -> None:
    wednesday = date(2026, 1, 7)
    monday_week = period_of(wednesday, Period.WEEK, WeekStart.MONDAY)
    assert (monday_week.label, monday_week.start, monday_week.end) == (
        "2026-W02",
        date(2026, 1, 5),
        date(2026, 1, 11),
    )
    sunday_week = period_of(wednesday, Period.WEEK, WeekStart.SUNDAY)
    assert (sunday_week.label, sunday_week.start, sunday_week.end) == (
        "2026-W02",
        date(2026, 1, 4),
        date(2026, 1, 10),
    )
    # Across the new year: ISO puts Mon 29 Dec 2025 in 2026's first week.
    assert period_of(date(2025, 12, 29), Period.WEEK).label == "2026-W01"
    assert period_of(date(2027, 1, 1), Period.WEEK).label == "2026-W53"
    assert period_of(date(2027, 1, 3), Period.WEEK, WeekStart.SUNDAY).label == "2027-W01"


def test_months_and_years() -> None:
    month = period_of(date(2024, 2, 10), Period.MONTH)
    assert (month.label, month.start, month.end) == ("2024-02", date(2024, 2, 1), date(2024, 2, 29))
    year = period_of(date(2024, 2, 10), Period.YEAR)
    assert (year.label, year.start, year.end) == ("2024", date(2024, 1, 1), date(2024, 12, 31))
    assert [p.label for p in periods(date(2025, 11, 30), date(2026, 2, 1), Period.MONTH)] == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]


def test_rates_per_week_with_sunday_or_monday_weeks() -> None:
    # Sun 4 Jan … Sat 17 Jan 2026, a daily habit done on the first 8 days.
    sunday = date(2026, 1, 4)
    outcomes = [Outcome.DONE] * 8 + [Outcome.MISSED] * 6
    by_sunday = completion_rates(sunday, outcomes, Period.WEEK, WeekStart.SUNDAY)
    assert [(r.label, r.done, r.due) for r in by_sunday] == [("2026-W02", 7, 7), ("2026-W03", 1, 7)]
    by_monday = completion_rates(sunday, outcomes, Period.WEEK, WeekStart.MONDAY)
    assert [(r.label, r.done, r.due) for r in by_monday] == [
        ("2026-W01", 1, 1),
        ("2026-W02", 7, 7),
        ("2026-W03", 0, 6),
    ]
    assert by_monday[2].rate == 0.0
    assert by_monday[0].start == date(2025, 12, 29)  # the whole week, though only Sunday counted


def test_a_period_with_nothing_due_has_no_rate() -> None:
    found = completion_rates(MONDAY, [Outcome.NOT_DUE, Outcome.SKIPPED], Period.MONTH)
    assert [(r.label, r.done, r.due, r.rate) for r in found] == [("2026-01", 0, 0, None)]


def test_tallies_add_up_items_that_start_on_different_days() -> None:
    tally = CompletionTally(Period.MONTH, date(2026, 1, 1), date(2026, 2, 28))
    # A habit from mid-December (its December days are outside the range).
    tally.add(OutcomeCounts.of(date(2025, 12, 15), [Outcome.DONE] * 40))
    # A routine from February on, half done.
    tally.add(OutcomeCounts.of(date(2026, 2, 1), [Outcome.DONE, Outcome.MISSED] * 14))
    rates = tally.rates()
    assert [(r.label, r.done, r.due) for r in rates] == [("2026-01", 23, 23), ("2026-02", 14, 28)]
    assert tally.totals() == (37, 51)
    other = tally.fresh()
    assert other.totals() == (0, 0)
    other.add(OutcomeCounts.of(date(2026, 1, 31), [Outcome.MISSED, Outcome.DONE]))
    tally.merge(other)
    assert tally.totals() == (38, 53)
    with pytest.raises(ValueError, match="same periods"):
        tally.merge(CompletionTally(Period.WEEK, date(2026, 1, 1), date(2026, 2, 28)))


def test_counts_between_two_days() -> None:
    counts = OutcomeCounts.of(
        MONDAY, [Outcome.DONE, Outcome.MISSED, Outcome.SKIPPED, Outcome.DONE, Outcome.NOT_DUE]
    )
    assert counts.between(MONDAY, MONDAY + timedelta(days=4)) == (2, 3)
    assert counts.between(MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)) == (0, 1)
    assert counts.between(MONDAY - timedelta(days=9), MONDAY - timedelta(days=1)) == (0, 0)
    assert counts.between(MONDAY + timedelta(days=3), MONDAY + timedelta(days=30)) == (1, 1)


# --- a range summed up (the History screen) ---------------------------------------------------

O_DONE, O_MISSED, O_SKIPPED, O_NOT_DUE = (
    Outcome.DONE,
    Outcome.MISSED,
    Outcome.SKIPPED,
    Outcome.NOT_DUE,
)


def test_day_counts_cover_only_the_range_and_split_partial_routine_days() -> None:
    # Mon … Sun of one week, then Monday.
    outcomes = [O_DONE, O_MISSED, O_SKIPPED, O_MISSED, O_NOT_DUE, O_DONE, O_MISSED, O_DONE]
    whole = day_counts(MONDAY, outcomes, MONDAY - timedelta(days=3), MONDAY + timedelta(days=30))
    assert (whole.done, whole.missed, whole.skipped, whole.partial) == (3, 3, 1, None)
    assert (whole.due, whole.rate) == (6, 0.5)
    # Tuesday … Thursday only; Thursday's run was finished with a step unchecked.
    part = day_counts(
        MONDAY, outcomes, MONDAY + timedelta(days=1), MONDAY + timedelta(days=3), [3, 6]
    )
    assert (part.done, part.missed, part.skipped, part.partial, part.due) == (0, 1, 1, 1, 2)
    assert part.rate == 0.0
    # A partial day that was not due (not on the schedule) is not counted at all.
    assert day_counts(MONDAY, outcomes, MONDAY, MONDAY + timedelta(days=7), [4]).partial == 0
    # Nothing in range: nothing due, no rate.
    empty = day_counts(MONDAY, outcomes, MONDAY + timedelta(days=10), MONDAY + timedelta(days=12))
    assert (empty.due, empty.rate) == (0, None)
    assert (whole + part).partial == 1 and (whole + whole).partial is None


def test_weekday_counts_and_the_best_and_worst_weekdays() -> None:
    # Two weeks from a Monday: Mondays always done, Tuesdays always missed, Wednesday once each,
    # the rest not due.
    week = [O_DONE, O_MISSED, O_DONE] + [O_NOT_DUE] * 4
    second = [O_DONE, O_MISSED, O_MISSED] + [O_NOT_DUE] * 4
    counts = weekday_counts(MONDAY, week + second, MONDAY, MONDAY + timedelta(days=13))
    assert counts.done == (2, 0, 1, 0, 0, 0, 0)
    assert counts.due == (2, 2, 2, 0, 0, 0, 0)
    assert counts.rates()[:3] == (1.0, 0.0, 0.5) and counts.rates()[3] is None
    assert counts.extremes() == ((0,), (1,))
    # From a Wednesday: the weekdays still land on their own days.
    later = weekday_counts(
        MONDAY, week + second, MONDAY + timedelta(days=2), MONDAY + timedelta(days=9)
    )
    # Wednesday, Monday done; Tuesday and the second Wednesday missed.
    assert later.done == (1, 0, 1, 0, 0, 0, 0) and later.due == (1, 1, 2, 0, 0, 0, 0)
    # Ties give several; all alike gives no worst; nothing due gives neither.
    assert (counts + counts).extremes() == ((0,), (1,))
    alike = WeekdayCounts((1, 2, 0, 0, 0, 0, 0), (1, 2, 0, 0, 0, 0, 0))
    assert alike.extremes() == ((0, 1), ())
    assert WeekdayCounts().extremes() == ((), ())


def test_trends_are_weekly_up_to_half_a_year_then_monthly() -> None:
    assert trend_period(MONDAY, MONDAY + timedelta(days=WEEKLY_TREND_DAYS - 1)) is Period.WEEK
    assert trend_period(MONDAY, MONDAY + timedelta(days=WEEKLY_TREND_DAYS)) is Period.MONTH
    assert range_start([MONDAY + timedelta(days=3), MONDAY], MONDAY + timedelta(days=9)) == MONDAY
    assert range_start([], MONDAY) == MONDAY


def test_rules_in_words() -> None:
    assert describe_rules(Rules()) == "every day"
    assert describe_rules(weekdays("mon,wed,fri")) == "Mon, Wed, Fri"
    assert describe_rules(Rules(freq_num=3, freq_den=7)) == "3 times in 7 days"
    numeric = Rules(kind=HabitKind.NUMERIC, target_value=20.0, unit="min", freq_num=1, freq_den=1)
    assert describe_rules(numeric) == "at least 20 min, every day"
    limit = Rules(kind=HabitKind.NUMERIC, target_value=60.0, direction=Direction.AT_MOST)
    assert describe_rules(limit) == "at most 60, every day"
