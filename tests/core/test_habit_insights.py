"""A habit's detail: the pure figures (hand-checked) and HabitInsightsService on every backend."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from habitdesk.core.db.database import Database
from habitdesk.core.domain.completion import Period
from habitdesk.core.domain.habit_insights import (
    day_progress,
    period_target,
    period_totals,
    score_changes,
    score_on,
    total_completions,
    weekday_frequency,
)
from habitdesk.core.domain.habit_rules import Rules
from habitdesk.core.domain.history_days import DayStatus, HabitDays, Span
from habitdesk.core.domain.weekdays import mask_from_names
from habitdesk.core.enums import Direction, HabitKind, WeekStart
from habitdesk.core.errors import NotFoundError, PermissionDeniedError
from habitdesk.core.services.base import Actor
from habitdesk.core.services.habit_insights import HabitInsightsService
from habitdesk.core.services.habits import HabitService
from habitdesk.core.services.people import FamilyService
from habitdesk.core.services.stats import StatsService
from tests.core.factories import FamilyFixture, make_family
from tests.core.test_stats_service import count_selects, days_ago, new_habit, record, today

DONE, MISSED, SKIPPED, NONE = DayStatus.DONE, DayStatus.MISSED, DayStatus.SKIPPED, DayStatus.NONE
MONDAY = date(2026, 1, 5)
DAILY = Rules()


def numeric(target: float, direction: Direction = Direction.AT_LEAST, **rules: int) -> Rules:
    return Rules(
        kind=HabitKind.NUMERIC, target_value=target, unit="min", direction=direction, **rules
    )


def days_of(
    statuses: list[DayStatus],
    spans: list[tuple[int, Rules]] | Rules = DAILY,
    values: list[float | None] | None = None,
    start: date = MONDAY,
) -> HabitDays:
    if isinstance(spans, Rules):
        spans = [(0, spans)]
    n = len(statuses)
    return HabitDays(
        start,
        statuses,
        values if values is not None else [None] * n,
        [None] * n,
        tuple(Span(f, r) for f, r in spans),
    )


# --- how far each day went ------------------------------------------------------------------------


def test_progress_is_one_when_done_zero_when_missed_and_none_when_nothing_counts() -> None:
    # A yes/no habit for four days, then "10 minutes" from the fifth day on.
    days = days_of(
        [DONE, MISSED, SKIPPED, NONE, MISSED, DONE, MISSED],
        [(0, DAILY), (4, numeric(10))],
        [1, 0, 0, None, 4, 12, 0],
    )
    assert day_progress(days) == [1.0, 0.0, None, None, 0.4, 1.0, 0.0]


def test_an_at_most_day_over_its_limit_is_simply_missed() -> None:
    days = days_of([MISSED, DONE], numeric(10, Direction.AT_MOST), [15, 3])
    assert day_progress(days) == [0.0, 1.0]


# --- frequency by weekday --------------------------------------------------------------------------


def test_weekday_frequency_counts_done_and_due_days_per_weekday() -> None:
    # Two weeks from a Monday, daily; the last day (Sunday) is today, still open.
    days = days_of([
        DONE, MISSED, SKIPPED, NONE, DONE, DONE, NONE,
        DONE, DONE, NONE, NONE, NONE, NONE, NONE,
    ])  # fmt: skip
    found = weekday_frequency(days, today=MONDAY + timedelta(days=13))
    assert found.done == (2, 1, 0, 0, 1, 1, 0)
    # Skipped Wednesday is in neither; the open Sunday (today) is not due yet.
    assert found.due == (2, 2, 1, 2, 2, 2, 1)
    assert found.rates() == (1.0, 0.5, 0.0, 0.0, 0.5, 0.5, 0.0)


def test_weekday_rules_are_due_on_their_weekdays_and_an_extra_done_day_counts() -> None:
    rules = Rules(weekdays=mask_from_names(["mon", "wed", "fri"]))
    found = weekday_frequency(days_of([DONE, DONE, MISSED, NONE, NONE, NONE, NONE], rules))
    assert found.done == (1, 1, 0, 0, 0, 0, 0)
    assert found.due == (1, 1, 1, 0, 1, 0, 0)
    assert found.rates() == (1.0, 1.0, 0.0, None, 0.0, None, None)


# --- totals per week and month -------------------------------------------------------------------

# Wednesday 7 … Friday 16 January 2026, "10 minutes a day".
TEN_DAYS = (
    [DONE, MISSED, SKIPPED, NONE, DONE, DONE, MISSED, NONE, DONE, SKIPPED],
    [12, 4, 7, None, 10, 11, 2, None, 10, 0],
)
WEDNESDAY = date(2026, 1, 7)
SCORES = [i / 100 for i in range(10)]


def test_week_totals_add_done_days_and_amounts_skipped_days_left_out() -> None:
    statuses, values = TEN_DAYS
    days = days_of(statuses, numeric(10), values, start=WEDNESDAY)
    weeks = period_totals(days, SCORES, Period.WEEK, WeekStart.MONDAY)
    assert [(w.label, w.start, w.end) for w in weeks] == [
        ("2026-W02", date(2026, 1, 5), date(2026, 1, 11)),
        ("2026-W03", date(2026, 1, 12), date(2026, 1, 18)),
    ]
    assert [(w.done, w.amount, w.score) for w in weeks] == [(2, 26.0, 0.04), (2, 23.0, 0.09)]


def test_weeks_begin_on_the_familys_week_start() -> None:
    statuses, values = TEN_DAYS
    days = days_of(statuses, numeric(10), values, start=WEDNESDAY)
    weeks = period_totals(days, SCORES, Period.WEEK, WeekStart.SUNDAY)
    assert [(w.label, w.start) for w in weeks] == [
        ("2026-W02", date(2026, 1, 4)),
        ("2026-W03", date(2026, 1, 11)),
    ]
    assert [(w.done, w.amount, w.score) for w in weeks] == [(1, 16.0, 0.03), (3, 33.0, 0.09)]


def test_month_totals_and_amounts_only_from_numeric_days() -> None:
    statuses, values = TEN_DAYS
    # Yes/no for the first five days (their values are 1/0 checks, not amounts).
    days = days_of(statuses, [(0, DAILY), (5, numeric(10))], values, start=WEDNESDAY)
    (month,) = period_totals(days, SCORES, Period.MONTH)
    assert (month.label, month.done, month.amount, month.score) == ("2026-01", 4, 23.0, 0.09)
    with pytest.raises(ValueError, match="one score per day"):
        period_totals(days, SCORES[:-1], Period.MONTH)


def test_period_target_is_what_the_rules_ask_over_a_week_or_an_average_month() -> None:
    steps = numeric(8000, freq_num=5, freq_den=7)
    assert period_target(steps, Period.WEEK) == 40000
    assert period_target(steps, Period.MONTH) == pytest.approx(40000 * 30.436875 / 7)
    three_days = Rules(
        kind=HabitKind.NUMERIC, target_value=2, unit="km", weekdays=mask_from_names(["mon", "fri"])
    )
    assert period_target(three_days, Period.WEEK) == 4
    assert period_target(DAILY, Period.WEEK) is None


# --- overview figures ----------------------------------------------------------------------------


def test_score_changes_compare_with_30_and_365_days_before() -> None:
    scores = [i / 1000 for i in range(400)]
    end = MONDAY + timedelta(days=399)
    found = score_changes(MONDAY, scores, 0.0, end)
    assert (found.today, found.month_ago, found.year_ago) == (0.399, 0.369, 0.034)
    assert found.today - found.month_ago == pytest.approx(0.03)
    assert found.today - found.year_ago == pytest.approx(0.365)


def test_before_the_first_day_the_score_is_the_initial_one() -> None:
    scores = [0.05, 0.1, 0.15]
    end = MONDAY + timedelta(days=2)
    from_nothing = score_changes(MONDAY, scores, 0.0, end)
    assert from_nothing.today - from_nothing.month_ago == pytest.approx(0.15)
    # An "at most" limit starts at full strength.
    from_full = score_changes(MONDAY, scores, 1.0, end)
    assert from_full.today - from_full.year_ago == pytest.approx(-0.85)
    assert score_on(MONDAY, scores, 0.0, end + timedelta(days=5)) == 0.15


def test_total_completions_counts_done_days() -> None:
    assert total_completions(days_of(TEN_DAYS[0])) == 4
    assert total_completions(days_of([])) == 0


# --- the service ---------------------------------------------------------------------------------


@pytest.fixture
async def fam(database: Database) -> FamilyFixture:
    return await make_family(database)


async def test_detail_has_every_day_scores_streaks_and_figures_in_four_statements(
    database: Database, fam: FamilyFixture
) -> None:
    habit = await new_habit(database, fam, effective_from=days_ago(9), colour="#2E9A5B")
    await record(
        database,
        habit,
        {9: "done", 8: "done", 7: ("skip", "ill"), 6: "missed", 4: "done", 3: "done", 2: "done"},
    )
    service = HabitInsightsService(database)
    with count_selects(database) as statements:
        detail = await service.habit_detail(fam.actor(fam.child), habit.id)
    assert len(statements) == 4
    assert (detail.first_day, detail.today, len(detail)) == (days_ago(9), today(), 10)
    assert (detail.colour, detail.name, detail.kind) == ("#2E9A5B", habit.name, HabitKind.BOOLEAN)
    assert detail.statuses == (DONE, DONE, SKIPPED, MISSED, NONE, DONE, DONE, DONE, NONE, NONE)
    assert detail.progress == (1.0, 1.0, None, 0.0, None, 1.0, 1.0, 1.0, None, None)
    assert detail.notes[2] == "ill"
    assert detail.total_completions == 5
    # Done 4, 3 and 2 days ago, then yesterday was due and not done: no streak running.
    assert detail.current_streak == 0
    assert detail.best_streak == 3
    assert (detail.best_streaks[0].start, detail.best_streaks[0].end) == (days_ago(4), days_ago(2))
    # Due: every day but the skipped one and today (open): 8; done on 5 of them.
    assert (sum(detail.weekday_done), sum(detail.weekday_due)) == (5, 8)
    # The same scores as the statistics (both are Loop's, day by day).
    stats = await StatsService(database).habit_stats(fam.actor(fam.owner), habit.id)
    assert detail.scores == tuple(d.score for d in stats.days)
    assert detail.score == stats.score
    # Ten days old: a month and a year ago it had its initial score, 0.
    assert (detail.score_month_ago, detail.score_year_ago) == (0.0, 0.0)
    assert detail.score_since_month == detail.score
    assert sum(detail.weeks.done) == sum(detail.months.done) == 5
    assert detail.weeks.scores[-1] == detail.months.scores[-1] == detail.score
    assert detail.weeks.target is None


async def test_score_a_month_and_a_year_ago(database: Database, fam: FamilyFixture) -> None:
    habit = await new_habit(database, fam, effective_from=days_ago(400))
    await record(database, habit, {n: "done" for n in range(45, 0, -1)})
    detail = await HabitInsightsService(database).habit_detail(fam.actor(fam.owner), habit.id)
    stats = await StatsService(database).habit_stats(fam.actor(fam.owner), habit.id)
    assert detail.score_month_ago == stats.days[-31].score > 0
    assert detail.score_year_ago == stats.days[-366].score == 0.0
    assert detail.score_since_year == detail.score > detail.score_since_month > 0


async def test_numeric_detail_has_amounts_partial_days_and_a_target(
    database: Database, fam: FamilyFixture
) -> None:
    habit = await new_habit(
        database,
        fam,
        name="Walk",
        kind="numeric",
        target_value=2,
        unit="km",
        freq_num=5,
        freq_den=7,
        effective_from=days_ago(3),
    )
    await record(database, habit, {3: 3.5, 2: 0.5, 1: "skip"})
    detail = await HabitInsightsService(database).habit_detail(fam.actor(fam.owner), habit.id)
    assert detail.numeric and detail.unit == "km"
    assert detail.statuses == (DONE, MISSED, SKIPPED, NONE)
    assert detail.values == (3.5, 0.5, 0.0, None)
    assert detail.progress == (1.0, 0.25, None, None)
    assert sum(detail.weeks.amounts) == sum(detail.months.amounts) == 4.0
    assert detail.weeks.target == 10
    assert detail.months.target == pytest.approx(10 * 30.436875 / 7)


async def test_each_day_is_judged_by_the_rules_in_force_that_day(
    database: Database, fam: FamilyFixture
) -> None:
    habit = await new_habit(database, fam, effective_from=days_ago(13))
    await HabitService(database).update_habit(
        Actor.local_admin(), habit.id, {"weekdays": ["mon"], "effective_from": days_ago(6)}
    )
    detail = await HabitInsightsService(database).habit_detail(fam.actor(fam.owner), habit.id)
    # Daily for seven days (all due, none done); then Mondays only: one Monday in the six
    # days before today — unless today is that Monday, which is still open.
    assert sum(detail.weekday_due) == 7 + (today().weekday() != 0)
    assert sum(detail.weekday_done) == 0


async def test_weeks_follow_the_familys_week_start(database: Database, fam: FamilyFixture) -> None:
    await FamilyService(database).update_family(
        Actor.local_admin(), fam.family.id, {"week_start": "sunday"}
    )
    habit = await new_habit(database, fam, effective_from=days_ago(20))
    detail = await HabitInsightsService(database).habit_detail(fam.actor(fam.owner), habit.id)
    assert detail.week_start is WeekStart.SUNDAY
    assert {d.weekday() for d in detail.weeks.starts} == {6}
    assert detail.weeks.starts[0] <= days_ago(20) <= detail.weeks.ends[0]
    assert detail.weeks.ends[-1] >= today()


async def test_a_habit_starting_after_today_has_an_empty_today(
    database: Database, fam: FamilyFixture
) -> None:
    habit = await new_habit(database, fam, effective_from=today() + timedelta(days=3))
    detail = await HabitInsightsService(database).habit_detail(fam.actor(fam.owner), habit.id)
    assert (detail.first_day, detail.statuses, detail.total_completions) == (today(), (NONE,), 0)


async def test_only_family_members_see_a_habits_detail(
    database: Database, fam: FamilyFixture
) -> None:
    habit = await new_habit(database, fam)
    service = HabitInsightsService(database)
    for who in (fam.viewer, fam.child, fam.parent):
        assert (await service.habit_detail(fam.actor(who), habit.id)).habit_id == habit.id
    other = await make_family(database, "Dupont")
    with pytest.raises(PermissionDeniedError, match="Only members of this family"):
        await service.habit_detail(other.actor(other.owner), habit.id)
    await HabitService(database).remove_habit(Actor.local_admin(), habit.id)
    with pytest.raises(NotFoundError, match="That habit does not exist"):
        await service.habit_detail(fam.actor(fam.owner), habit.id)
