"""History and insights through StatsService, on every backend."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from habitdesk.core.db.database import Database
from habitdesk.core.domain.completion import Period
from habitdesk.core.domain.days import family_today
from habitdesk.core.domain.history_days import DayStatus, habit_days
from habitdesk.core.domain.scores import habit_scores
from habitdesk.core.enums import Role
from habitdesk.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from habitdesk.core.schemas.habits import HabitRead
from habitdesk.core.services.base import Actor
from habitdesk.core.services.habits import HabitService
from habitdesk.core.services.people import FamilyService
from habitdesk.core.services.routines import RoutineService
from habitdesk.core.services.stats import StatsService
from tests.core.factories import FamilyFixture, make_family

DONE, MISSED, SKIPPED, NONE = DayStatus.DONE, DayStatus.MISSED, DayStatus.SKIPPED, DayStatus.NONE


def today() -> date:
    # The factory family lives in Europe/Paris with the day starting at midnight.
    return family_today("Europe/Paris", 0)


def days_ago(n: int) -> date:
    return today() - timedelta(days=n)


@pytest.fixture
async def fam(database: Database) -> FamilyFixture:
    return await make_family(database)


async def new_habit(db: Database, fam: FamilyFixture, **fields: Any) -> HabitRead:
    data: dict[str, Any] = {
        "family_id": fam.family.id,
        "user_id": fam.child.user_id,
        "name": "Read 20 minutes",
    }
    data.update(fields)
    return (await HabitService(db).create_habit(Actor.local_admin(), data)).value


async def record(db: Database, habit: HabitRead, marks: dict[int, Any]) -> None:
    """marks: days ago → "done" / "missed" / "skip" / a number, optionally (mark, note)."""
    habits = HabitService(db)
    for ago, mark in marks.items():
        note = None
        if isinstance(mark, tuple):
            mark, note = mark
        data: dict[str, Any] = {"note": note}
        if mark == "skip":
            data["skip"] = True
        elif mark in ("done", "missed"):
            data["status"] = mark
        else:
            data["value"] = mark
        await habits.set_entry(Actor.local_admin(), habit.id, days_ago(ago), data)


async def make_morning_routine(database: Database, fam: FamilyFixture) -> None:
    """Every day from 4 days ago, two steps. Day 4: both checked, finished (done). Day 3: one
    checked, finished (partial). Day 2: skipped. Day 1: both checked, never finished (done).
    Today: started, nothing checked (still open)."""
    routines = RoutineService(database)
    admin = Actor.local_admin()
    routine = (
        await routines.create_routine(
            admin,
            {
                "family_id": fam.family.id,
                "user_id": fam.child.user_id,
                "name": "Morning",
                "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
                "steps": [{"title": "Wake up"}, {"title": "Brush teeth"}],
                "effective_from": days_ago(4),
            },
        )
    ).value
    for ago, steps, finish in ((4, 2, True), (3, 1, True), (1, 2, False), (0, 0, False)):
        run = (await routines.start_run(admin, routine.id, days_ago(ago))).value
        for step in run.steps[:steps]:
            await routines.check_step(admin, run.id, step.step_id)
        if finish:
            await routines.finish_run(admin, run.id)
    await routines.skip_run(admin, routine.id, days_ago(2))


@contextmanager
def count_selects(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", note)


# --- one habit ----------------------------------------------------------------------------------


async def test_every_day_of_a_habit_with_status_value_and_score(
    database: Database, fam: FamilyFixture
) -> None:
    habit = await new_habit(database, fam, effective_from=days_ago(9))
    await record(
        database,
        habit,
        {
            9: "done",
            8: "done",
            7: ("skip", "ill"),
            6: "missed",
            4: "done",
            3: "done",
            2: "done",
            1: "done",
        },
    )
    stats = await StatsService(database).habit_stats(fam.actor(fam.owner), habit.id)
    assert (stats.start, stats.end, stats.first_day, stats.today) == (
        days_ago(9),
        today(),
        days_ago(9),
        today(),
    )
    assert [d.day for d in stats.days] == [days_ago(n) for n in range(9, -1, -1)]
    assert [d.status for d in stats.days] == [
        DONE, DONE, SKIPPED, MISSED, NONE, DONE, DONE, DONE, DONE, NONE,
    ]  # fmt: skip
    assert [d.value for d in stats.days] == [1, 1, 0, 0, None, 1, 1, 1, 1, None]
    assert stats.days[2].note == "ill"
    # The skipped day leaves the score where it was.
    assert stats.days[2].score == stats.days[1].score > 0
    assert stats.days[-1].score == stats.score < stats.days[-2].score
    # Four days in a row up to yesterday; today is still open and breaks nothing.
    assert (stats.current_streak, stats.best_streak) == (4, 4)
    assert stats.current is not None and stats.current.start == days_ago(4)
    assert [(s.length, s.start) for s in stats.best_streaks] == [(4, days_ago(4)), (2, days_ago(9))]
    assert (stats.name, stats.kind.value, stats.archived) == ("Read 20 minutes", "boolean", False)


async def test_scores_count_the_whole_history_whatever_range_is_shown(
    database: Database, fam: FamilyFixture
) -> None:
    habit = await new_habit(database, fam, effective_from=days_ago(30))
    await record(database, habit, {n: "done" for n in range(30, 10, -1)})
    stats = StatsService(database)
    whole = await stats.habit_stats(fam.actor(fam.owner), habit.id)
    late = await stats.habit_stats(fam.actor(fam.owner), habit.id, days_ago(5), days_ago(2))
    assert [d.day for d in late.days] == [days_ago(n) for n in (5, 4, 3, 2)]
    assert [d.score for d in late.days] == [d.score for d in whole.days[25:29]]
    assert late.days[0].score > 0.4  # twenty days done, then six without
    # Streaks are as of the end of the range.
    assert late.best_streak == 20 and late.current_streak == 0


async def test_back_filled_days_start_the_history_and_earlier_days_show_the_first_score(
    database: Database, fam: FamilyFixture
) -> None:
    screen = await new_habit(
        database,
        fam,
        name="Screen time",
        kind="numeric",
        target_value=60,
        unit="min",
        direction="at_most",
        effective_from=days_ago(3),
    )
    await record(database, screen, {5: 90, 2: 30})
    stats = await StatsService(database).habit_stats(
        fam.actor(fam.child), screen.id, days_ago(7), days_ago(4)
    )
    assert stats.first_day == days_ago(5)
    assert [d.status for d in stats.days] == [NONE, NONE, MISSED, NONE]
    # An "at most" limit starts full, and drops only on the day over it.
    assert [d.score for d in stats.days[:2]] == [1.0, 1.0]
    assert stats.days[2].score < 1.0 and stats.days[2].value == 90


async def test_each_day_is_judged_by_the_rules_of_its_day(
    database: Database, fam: FamilyFixture
) -> None:
    habits = HabitService(database)
    habit = await new_habit(database, fam, weekdays=["mon"], effective_from=days_ago(20))
    await habits.update_habit(
        Actor.local_admin(), habit.id, {"freq_num": 1, "freq_den": 1, "effective_from": days_ago(6)}
    )
    await record(database, habit, {n: "done" for n in range(6, 0, -1)})
    stats = await StatsService(database).habit_stats(fam.actor(fam.owner), habit.id)
    versions = await habits.list_versions(habit.id)
    entries = await habits.entries_in_range(habit.id, days_ago(30), today())
    expected = habit_scores(
        habit_days(versions, [(e.day, e.status, e.value, e.note) for e in entries], today())
    )
    assert [d.score for d in stats.days] == pytest.approx(expected)
    # Weeks of Mondays missed, then six days done daily: the streak counts the daily ones.
    assert stats.current_streak == 6


async def test_the_familys_time_zone_and_day_start_decide_which_day_is_today(
    database: Database,
) -> None:
    families = FamilyService(database)
    created = await families.create_family(
        {"name": "Sato", "time_zone": "Asia/Tokyo", "day_start_hour": 3}, {"full_name": "Yui Sato"}
    )
    owner = (await families.list_members(Actor.local_admin(), created.value.id))[0]
    habits = HabitService(database)
    habit = (
        await habits.create_habit(
            Actor.local_admin(),
            {
                "family_id": created.value.id,
                "user_id": owner.user_id,
                "name": "Stretch",
                "effective_from": date(2025, 3, 8),
            },
        )
    ).value
    for day in (date(2025, 3, 8), date(2025, 3, 9), date(2025, 3, 10)):
        await habits.set_entry(Actor.local_admin(), habit.id, day, {"status": "done"})
    # 01:30 on 11 March in Tokyo: before the day-start hour, so still 10 March for the family.
    late_night = StatsService(database, clock=lambda: datetime(2025, 3, 10, 16, 30, tzinfo=UTC))
    stats = await late_night.habit_stats(Actor.member(owner.user_id), habit.id)
    assert (stats.today, stats.end, stats.current_streak) == (
        date(2025, 3, 10),
        date(2025, 3, 10),
        3,
    )
    # 03:30: a new day has begun, and it is still open.
    morning = StatsService(database, clock=lambda: datetime(2025, 3, 10, 18, 30, tzinfo=UTC))
    stats = await morning.habit_stats(Actor.member(owner.user_id), habit.id)
    assert (stats.today, stats.days[-1].status, stats.current_streak) == (
        date(2025, 3, 11),
        NONE,
        3,
    )
    with pytest.raises(InvalidInputError, match=r"after today \(2025-03-10\)"):
        await late_night.habit_stats(Actor.member(owner.user_id), habit.id, end=date(2025, 3, 11))


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (3, 5, "Dates: the start"),
        (None, -1, "statistics stop at today"),
    ],
)
async def test_bad_ranges_are_refused(
    database: Database, fam: FamilyFixture, start: int | None, end: int, message: str
) -> None:
    habit = await new_habit(database, fam, effective_from=days_ago(9))
    with pytest.raises(InvalidInputError, match=message):
        await StatsService(database).habit_stats(
            fam.actor(fam.owner),
            habit.id,
            None if start is None else days_ago(start),
            days_ago(end),
        )


async def test_only_family_members_see_statistics(database: Database, fam: FamilyFixture) -> None:
    habit = await new_habit(database, fam)
    stats = StatsService(database)
    for who in (fam.viewer, fam.child, fam.parent):
        assert (await stats.habit_stats(fam.actor(who), habit.id)).habit_id == habit.id
    other = await make_family(database, "Dupont")
    with pytest.raises(PermissionDeniedError, match="Only members of this family"):
        await stats.habit_stats(other.actor(other.owner), habit.id)
    with pytest.raises(PermissionDeniedError):
        await stats.family_analytics(other.actor(other.owner), fam.family.id)
    await HabitService(database).remove_habit(Actor.local_admin(), habit.id)
    with pytest.raises(NotFoundError, match="That habit does not exist"):
        await stats.habit_stats(fam.actor(fam.owner), habit.id)


# --- completion rates ---------------------------------------------------------------------------


async def test_member_completion_counts_done_over_due_days(
    database: Database, fam: FamilyFixture
) -> None:
    daily = await new_habit(database, fam, effective_from=days_ago(6))
    await record(database, daily, {6: "done", 5: "skip", 4: "done", 3: "missed", 1: "done"})
    found = await StatsService(database).member_analytics(
        fam.actor(fam.parent), fam.family.id, fam.child.user_id
    )
    (member,) = found.members
    assert member.full_name == "Léa Martin"
    (habit,) = member.habits
    # Due: days 6, 4, 3, 2, 1 (skipped day 5 in neither; today still open).
    assert (habit.completion.done, habit.completion.due) == (3, 5)
    assert habit.completion.rate == pytest.approx(0.6)
    assert sum(habit.completion.weeks.due) == 5 and sum(habit.completion.months.done) == 3
    assert (member.completion.done, member.completion.due) == (3, 5)
    assert found.start == days_ago(6) and found.end == today()
    weeks = found.rates(Period.WEEK, habit.completion)
    assert sum(r.due for r in weeks) == 5 and weeks[0].start <= days_ago(6)


async def test_weekday_rules_change_which_days_were_due(
    database: Database, fam: FamilyFixture
) -> None:
    habits = HabitService(database)
    habit = await new_habit(database, fam, effective_from=days_ago(20))
    await habits.update_habit(
        Actor.local_admin(), habit.id, {"weekdays": ["sat"], "effective_from": days_ago(13)}
    )
    found = await StatsService(database).member_analytics(
        fam.actor(fam.owner), fam.family.id, fam.child.user_id, end=days_ago(1)
    )
    (habit_read,) = found.members[0].habits
    saturdays = sum(1 for n in range(1, 14) if days_ago(n).weekday() == 5)
    # 7 daily days, then only the Saturdays; nothing was done.
    assert (habit_read.completion.done, habit_read.completion.due) == (0, 7 + saturdays)


async def test_a_routine_day_counts_as_done_only_when_every_step_was_checked(
    database: Database, fam: FamilyFixture
) -> None:
    await make_morning_routine(database, fam)
    found = await StatsService(database).family_analytics(fam.actor(fam.viewer), fam.family.id)
    child = next(m for m in found.members if m.user_id == fam.child.user_id)
    (morning,) = child.routines
    assert morning.first_day == days_ago(4)
    assert (morning.completion.done, morning.completion.due) == (2, 3)
    assert (child.completion.done, child.completion.due) == (2, 3)
    assert (found.completion.done, found.completion.due) == (2, 3)
    # Viewers only read and have nothing to do: they are not listed.
    assert Role.VIEWER not in {m.role for m in found.members}
    assert {m.user_id for m in found.members} == {
        fam.owner.user_id,
        fam.parent.user_id,
        fam.child.user_id,
    }


async def test_analytics_follow_the_familys_week_start(
    database: Database, fam: FamilyFixture
) -> None:
    await FamilyService(database).update_family(
        Actor.local_admin(), fam.family.id, {"week_start": "sunday"}
    )
    await new_habit(database, fam, effective_from=days_ago(20))
    found = await StatsService(database).family_analytics(fam.actor(fam.owner), fam.family.id)
    assert all(start.weekday() == 6 for start in found.weeks.starts)
    assert found.week_start.value == "sunday"
    assert len(found.weeks.labels) == len(found.completion.weeks.due)


async def test_member_analytics_of_someone_outside_the_family(
    database: Database, fam: FamilyFixture
) -> None:
    other = await make_family(database, "Dupont")
    with pytest.raises(NotFoundError, match="not a member of this family"):
        await StatsService(database).member_analytics(
            fam.actor(fam.owner), fam.family.id, other.child.user_id
        )


async def test_analytics_read_a_fixed_number_of_statements(
    database: Database, fam: FamilyFixture
) -> None:
    stats = StatsService(database)

    async def statements() -> int:
        with count_selects(database) as seen:
            await stats.family_analytics(fam.actor(fam.owner), fam.family.id)
            await stats.habit_stats(fam.actor(fam.owner), first.id)
        return len(seen)

    first = await new_habit(database, fam, effective_from=days_ago(3))
    await record(database, first, {3: "done"})
    few = await statements()
    for name in ("Walk", "Floss", "Stretch"):
        habit = await new_habit(database, fam, name=name, effective_from=days_ago(40))
        await record(database, habit, {n: "done" for n in range(40, 0, -3)})
    await record(database, first, {2: "done", 1: "skip"})
    assert await statements() == few


# --- every habit's history ----------------------------------------------------------------------


async def test_family_history_has_every_day_of_every_habit(
    database: Database, fam: FamilyFixture
) -> None:
    read = await new_habit(database, fam, effective_from=days_ago(2))
    walk = await new_habit(
        database,
        fam,
        user_id=fam.parent.user_id,
        name="Walk",
        kind="numeric",
        target_value=8000,
        unit="steps",
        effective_from=days_ago(1),
    )
    await record(database, read, {2: ("done", "with dad")})
    await record(database, walk, {1: 9500.5})
    await HabitService(database).archive_habit(Actor.local_admin(), read.id)
    history = await StatsService(database).family_history(fam.actor(fam.owner), fam.family.id)
    by_name = {m.full_name: m for m in history.members}
    (child_read,) = by_name["Léa Martin"].habits
    assert child_read.archived and child_read.start == days_ago(2)
    assert [r.status for r in child_read.rows()] == [DONE, NONE, NONE]
    assert [r.note for r in child_read.rows()] == ["with dad", None, None]
    (parent_walk,) = by_name["Paul Martin"].habits
    assert list(parent_walk.values) == [9500.5, None]
    assert parent_walk.unit == "steps" and len(parent_walk.scores) == 2
    only = await StatsService(database).family_history(
        fam.actor(fam.owner), fam.family.id, fam.parent.user_id
    )
    assert [m.full_name for m in only.members] == ["Paul Martin"]


async def test_a_history_ending_before_a_habits_first_rules_leaves_it_empty(
    database: Database, fam: FamilyFixture
) -> None:
    # The later habit is laid out next to an earlier one with entries: its (empty) days must not
    # borrow the earlier habit's.
    early = await new_habit(database, fam, name="Early", effective_from=days_ago(6))
    await new_habit(database, fam, name="Late", effective_from=days_ago(1))
    await record(database, early, {6: "done", 5: "done", 4: "missed"})
    history = await StatsService(database).family_history(
        fam.actor(fam.owner), fam.family.id, end=days_ago(3)
    )
    habits = {h.name: h for m in history.members for h in m.habits}
    assert list(habits["Early"].statuses) == [DONE, DONE, MISSED, NONE]
    assert habits["Late"].statuses == () and habits["Late"].scores == ()


# --- the History screen -------------------------------------------------------------------------


def by_weekday(days: list[int]) -> list[int]:
    """How many of these days ago fall on each weekday, Monday first."""
    counts = [0] * 7
    for n in days:
        counts[days_ago(n).weekday()] += 1
    return counts


async def test_history_counts_each_habit_and_routine_over_the_whole_range(
    database: Database, fam: FamilyFixture
) -> None:
    read = await new_habit(database, fam, effective_from=days_ago(13))
    # Done 13 … 8 days ago, skipped 7, missed 6, nothing since; today is still open.
    await record(database, read, {**{n: "done" for n in range(13, 7, -1)}, 7: "skip", 6: "missed"})
    await make_morning_routine(database, fam)
    found = await StatsService(database).history(fam.actor(fam.child), fam.family.id)

    assert (found.start, found.end, found.today) == (days_ago(13), today(), today())
    habit, routine = found.items
    assert (habit.kind, habit.name, habit.schedule) == ("habit", "Read 20 minutes", "every day")
    c = habit.counts
    assert (c.done, c.partial, c.missed, c.skipped, c.due) == (6, None, 6, 1, 12)
    assert c.rate == 0.5
    assert (routine.kind, routine.name, routine.schedule, routine.colour) == (
        "routine",
        "Morning",
        "every day",
        None,
    )
    c = routine.counts
    assert (c.done, c.partial, c.missed, c.skipped, c.due) == (2, 1, 0, 1, 3)

    # The child's totals are both items together; members without anything show zeros, the
    # viewer not at all; the family is everyone shown.
    child = next(m for m in found.members if m.user_id == fam.child.user_id)
    c = child.totals.counts
    assert (c.done, c.partial, c.missed, c.skipped, c.due) == (8, 1, 6, 2, 15)
    assert found.family.counts == child.totals.counts
    assert [m.full_name for m in found.members] == [
        fam.owner.full_name,
        fam.parent.full_name,
        fam.child.full_name,
    ]
    owner = found.members[0]
    assert owner.totals.counts.due == 0 and owner.totals.counts.rate is None
    assert owner.totals.weekdays.best == () and owner.current_streak is None

    # Weekdays: done on the habit's done days and the routine's two done days; due adds the
    # misses and the partial day.
    done_days = [*range(13, 7, -1), 4, 1]
    due_days = [*done_days, *range(6, 0, -1), 3]
    assert list(child.totals.weekdays.done) == by_weekday(done_days)
    assert list(child.totals.weekdays.due) == by_weekday(due_days)
    rates = {
        k: d / u
        for k, (d, u) in enumerate(zip(by_weekday(done_days), by_weekday(due_days), strict=True))
        if u
    }
    assert set(child.totals.weekdays.best) == {
        k for k, r in rates.items() if r == max(rates.values())
    }
    assert set(child.totals.weekdays.worst) == {
        k for k, r in rates.items() if r == min(rates.values())
    }

    # Two weeks: weekly trend, counts adding up to the totals.
    assert found.trend_periods.period is Period.WEEK
    assert sum(found.family.trend.done) == 8 and sum(found.family.trend.due) == 15
    assert len(found.family.trend.due) == len(found.trend_periods.labels)

    # Streak highlights: six days in a row, broken 6 days ago; nothing running now.
    assert child.best_streak is not None
    assert (child.best_streak.habit_name, child.best_streak.length) == ("Read 20 minutes", 6)
    assert (child.best_streak.start, child.best_streak.end) == (days_ago(13), days_ago(8))
    assert child.current_streak is None


async def test_history_over_a_chosen_range_for_one_member(
    database: Database, fam: FamilyFixture
) -> None:
    read = await new_habit(database, fam, effective_from=days_ago(13))
    await record(database, read, {**{n: "done" for n in range(13, 7, -1)}, 7: "skip", 6: "missed"})
    await new_habit(
        database, fam, user_id=fam.parent.user_id, name="Run", effective_from=days_ago(3)
    )
    await make_morning_routine(database, fam)
    stats = StatsService(database)
    found = await stats.history(
        fam.actor(fam.owner), fam.family.id, days_ago(9), days_ago(3), user_id=fam.child.user_id
    )
    assert [m.user_id for m in found.members] == [fam.child.user_id]
    habit, routine = found.items
    c = habit.counts
    # 9, 8 done; 7 skipped; 6 missed, and nothing on 5, 4, 3.
    assert (c.done, c.missed, c.skipped, c.due) == (2, 4, 1, 6)
    c = routine.counts
    # Day 4 done, day 3 partial (the routine began 4 days ago).
    assert (c.done, c.partial, c.missed, c.skipped) == (1, 1, 0, 0)
    # A past range: its last day counts even when nothing was recorded.
    assert found.family.counts.due == 8
    everyone = await stats.history(fam.actor(fam.owner), fam.family.id, days_ago(9), days_ago(3))
    assert [i.name for i in everyone.items] == ["Run", "Read 20 minutes", "Morning"]
    run = everyone.items[0].counts
    assert (run.done, run.missed) == (0, 1)  # begun 3 days ago: one day due, nothing done


async def test_history_of_a_long_range_is_trended_by_month(
    database: Database, fam: FamilyFixture
) -> None:
    read = await new_habit(database, fam, effective_from=days_ago(400))
    await record(database, read, {n: "done" for n in range(400, 0, -2)})
    found = await StatsService(database).history(fam.actor(fam.owner), fam.family.id)
    assert found.trend_periods.period is Period.MONTH
    assert found.trend_periods.starts[0] == days_ago(400).replace(day=1)
    (item,) = found.items
    assert (item.counts.done, item.counts.due) == (200, 400)
    assert sum(found.family.trend.done) == 200


async def test_history_refuses_what_it_cannot_show(database: Database, fam: FamilyFixture) -> None:
    stats = StatsService(database)
    outsider = await make_family(database, "Dupont")
    with pytest.raises(InvalidInputError, match="after today"):
        await stats.history(fam.actor(fam.owner), fam.family.id, end=today() + timedelta(days=1))
    with pytest.raises(InvalidInputError, match="after the end"):
        await stats.history(fam.actor(fam.owner), fam.family.id, days_ago(1), days_ago(2))
    with pytest.raises(NotFoundError, match="not a member of this family"):
        await stats.history(fam.actor(fam.owner), fam.family.id, user_id=outsider.child.user_id)
    with pytest.raises(PermissionDeniedError):
        await stats.history(outsider.actor(outsider.owner), fam.family.id)


async def test_an_empty_family_has_an_empty_history(database: Database, fam: FamilyFixture) -> None:
    found = await StatsService(database).history(fam.actor(fam.viewer), fam.family.id)
    assert found.items == () and found.start == found.end == today()
    assert found.family.counts.due == 0 and found.family.weekdays.best == ()


async def test_history_reads_at_most_six_statements_however_long_the_history(
    database: Database, fam: FamilyFixture
) -> None:
    stats = StatsService(database)

    async def statements() -> int:
        with count_selects(database) as seen:
            await stats.history(fam.actor(fam.parent), fam.family.id)
        return len(seen)

    await make_morning_routine(database, fam)
    first = await new_habit(database, fam, effective_from=days_ago(3))
    await record(database, first, {3: "done"})
    few = await statements()
    for name in ("Walk", "Floss", "Stretch"):
        habit = await new_habit(database, fam, name=name, effective_from=days_ago(60))
        await record(database, habit, {n: "done" for n in range(60, 0, -3)})
    assert few <= 6
    assert await statements() == few


async def test_analytics_and_history_agree_with_each_habits_own_statistics(
    database: Database, fam: FamilyFixture
) -> None:
    # Entries folded per habit by the database must give each habit the same days as its own
    # read: a numeric limit back-filled before its rules, a daily habit with skips and misses,
    # notes and values of every kind.
    screen = await new_habit(
        database,
        fam,
        name="Screen time",
        kind="numeric",
        target_value=60,
        unit="min",
        direction="at_most",
        effective_from=days_ago(3),
    )
    await record(database, screen, {6: 90, 5: 30.5, 2: (45, "a film, then bed"), 1: "skip"})
    read = await new_habit(database, fam, user_id=fam.parent.user_id, effective_from=days_ago(9))
    await record(database, read, {9: "done", 8: "missed", 7: "skip", 4: "done", 1: "done"})
    stats = StatsService(database)
    found = await stats.family_analytics(fam.actor(fam.owner), fam.family.id)
    history = await stats.history(fam.actor(fam.owner), fam.family.id)
    items = {i.item_id: i for i in history.items}
    own_first = {}
    for habit in (screen, read):
        own = await stats.habit_stats(fam.actor(fam.owner), habit.id)
        own_first[habit.id] = own.first_day
        (insight,) = [h for m in found.members for h in m.habits if h.habit_id == habit.id]
        assert insight.first_day == own.first_day
        assert insight.score == pytest.approx(own.score)
        assert (insight.current_streak, insight.best_streak) == (
            own.current_streak,
            own.best_streak,
        )
        assert items[habit.id].counts.skipped == sum(1 for d in own.days if d.status is SKIPPED)
        assert items[habit.id].counts.done == sum(1 for d in own.days if d.status is DONE)
    # The back-filled days start the limit's history before its rules.
    assert own_first[screen.id] == days_ago(6)


async def test_a_ranges_history_reads_its_days_and_judges_them_as_the_whole_history_does(
    database: Database, fam: FamilyFixture
) -> None:
    # "3 times in 7 days": whether the range's first days were due depends on the days done
    # just before it, which the range's read takes in too.
    weekly = await new_habit(
        database, fam, name="Swim", freq_num=3, freq_den=7, effective_from=days_ago(30)
    )
    await record(database, weekly, {n: "done" for n in (20, 19, 18, 13, 12, 9, 8, 4, 2)})
    daily = await new_habit(database, fam, name="Read", effective_from=days_ago(30))
    await record(database, daily, {**{n: "done" for n in range(12, 5, -1)}, 5: "skip"})
    await make_morning_routine(database, fam)
    stats = StatsService(database)
    actor = fam.actor(fam.owner)
    for first, last in ((10, 3), (11, 0), (4, 4), (30, 1)):
        history = await stats.history(actor, fam.family.id, days_ago(first), days_ago(last))
        analytics = await stats.family_analytics(
            actor, fam.family.id, days_ago(first), days_ago(last)
        )
        whole = {h.habit_id: h for m in analytics.members for h in m.habits}
        whole_routines = {r.routine_id: r for m in analytics.members for r in m.routines}
        for item in history.items:
            counts = item.counts
            if item.kind == "habit":
                expected = whole[item.item_id].completion
            else:
                expected = whole_routines[item.item_id].completion
            assert (counts.done, counts.due) == (expected.done, expected.due), (item.name, first)
    # Streaks are those of the range, its days only: Swim's windows (13-12-9, 12-9-8, 9-8-4,
    # 8-4-2) hold 13 to 2 days ago, of which 9 to 2 are in the range; Read holds 9 to 6 only.
    history = await stats.history(actor, fam.family.id, days_ago(9), days_ago(1))
    child = next(m for m in history.members if m.user_id == fam.child.user_id)
    assert child.best_streak is not None
    assert (child.best_streak.habit_name, child.best_streak.length) == ("Swim", 8)
    assert (child.best_streak.start, child.best_streak.end) == (days_ago(9), days_ago(2))
    assert child.current_streak is not None and child.current_streak.habit_name == "Swim"
