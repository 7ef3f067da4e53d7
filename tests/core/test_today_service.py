"""The Today screen's read: each member's due routines and habits of a day, on every backend."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from habitdesk.core.db.database import Database
from habitdesk.core.domain.days import family_today
from habitdesk.core.domain.weekdays import WEEKDAY_NAMES
from habitdesk.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from habitdesk.core.models.enums import EntryStatus, Role, RunStatus
from habitdesk.core.schemas.habits import HabitRead
from habitdesk.core.schemas.routines import RoutineRead
from habitdesk.core.services.base import Actor
from habitdesk.core.services.habits import HabitService
from habitdesk.core.services.people import FamilyService
from habitdesk.core.services.routines import RoutineService
from habitdesk.core.services.today import TodayService
from tests.core.factories import FamilyFixture, make_family

ADMIN = Actor.local_admin()


def today() -> date:
    # The factory family lives in Europe/Paris with the day starting at midnight.
    return family_today("Europe/Paris", 0)


def days_ago(n: int) -> date:
    return today() - timedelta(days=n)


def weekday(day: date) -> str:
    return WEEKDAY_NAMES[day.weekday()]


@contextmanager
def count_statements(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


async def habit(db: Database, fam: FamilyFixture, who: str = "child", **fields: Any) -> HabitRead:
    data: dict[str, Any] = {
        "family_id": fam.family.id,
        "user_id": getattr(fam, who).user_id,
        "name": "Read 20 minutes",
        "effective_from": days_ago(60),
    }
    data.update(fields)
    return (await HabitService(db).create_habit(ADMIN, data)).value


async def routine(
    db: Database, fam: FamilyFixture, who: str = "child", **fields: Any
) -> RoutineRead:
    data: dict[str, Any] = {
        "family_id": fam.family.id,
        "user_id": getattr(fam, who).user_id,
        "name": "Morning routine",
        "weekdays": list(WEEKDAY_NAMES),
        "steps": [
            {"title": "Wake up", "points": 1},
            {"title": "Get dressed", "points": 2},
            {"title": "Breakfast"},
        ],
        "effective_from": days_ago(60),
    }
    data.update(fields)
    return (await RoutineService(db).create_routine(ADMIN, data)).value


# --- who is on the day ----------------------------------------------------------------------


async def test_every_member_but_viewers_has_a_day(database: Database) -> None:
    fam = await make_family(database)
    overview = await TodayService(database).day_overview(fam.actor(fam.viewer), fam.family.id)
    assert overview.day == overview.today == today()
    assert [m.member.full_name for m in overview.members] == [
        "Claire Martin",
        "Paul Martin",
        "Léa Martin",
    ]
    assert all(m.member.role is not Role.VIEWER for m in overview.members)
    lea = overview.member(fam.child.user_id)
    assert lea is not None
    assert (lea.routines, lea.habits, lea.done, lea.total, lea.points_earned) == ([], [], 0, 0, 0)


async def test_only_members_may_read_a_day_and_never_a_future_one(database: Database) -> None:
    fam = await make_family(database)
    other = await make_family(database, name="Dupont")
    service = TodayService(database)
    with pytest.raises(PermissionDeniedError):
        await service.day_overview(other.actor(other.owner), fam.family.id)
    with pytest.raises(InvalidInputError, match="future"):
        await service.day_overview(ADMIN, fam.family.id, today() + timedelta(days=1))
    await FamilyService(database).remove_member(ADMIN, fam.viewer.membership_id)
    with pytest.raises(PermissionDeniedError):
        await service.day_overview(fam.actor(fam.viewer), fam.family.id)
    with pytest.raises(NotFoundError):
        await service.day_overview(ADMIN, other.owner.user_id)


# --- habits -------------------------------------------------------------------------------------


async def test_habits_due_by_weekday_or_by_times_per_days(database: Database) -> None:
    fam = await make_family(database)
    daily = await habit(database, fam, name="Brush teeth")
    on_day = await habit(database, fam, name="Piano", weekdays=[weekday(today())])
    off_day = await habit(database, fam, name="Swim", weekdays=[weekday(days_ago(1))])
    twice_a_week = await habit(database, fam, name="Tidy room", freq_num=2, freq_den=7)
    habits = HabitService(database)
    for n in (1, 3):
        await habits.set_entry(ADMIN, twice_a_week.id, days_ago(n), {"status": "done"})

    lea = (await TodayService(database).day_overview(ADMIN, fam.family.id)).member(
        fam.child.user_id
    )
    assert lea is not None
    assert [h.habit.id for h in lea.habits] == [daily.id, on_day.id]
    # Twice this week already: not due again today, and tucked away with the other.
    assert {h.habit.id for h in lea.not_due_habits} == {off_day.id, twice_a_week.id}
    tidy = next(h for h in lea.not_due_habits if h.habit.id == twice_a_week.id)
    assert tidy.completions_in_window == 2
    assert lea.total == 2 and lea.done == 0

    # Yesterday, the two-a-week habit had been done once before (3 days ago): due then.
    yesterday = (
        await TodayService(database).day_overview(ADMIN, fam.family.id, days_ago(1))
    ).member(fam.child.user_id)
    assert yesterday is not None
    assert {h.habit.id for h in yesterday.habits} == {daily.id, off_day.id, twice_a_week.id}


async def test_a_day_shows_its_entries_and_the_rules_in_force_then(database: Database) -> None:
    fam = await make_family(database)
    walk = await habit(
        database, fam, name="Walk", kind="numeric", target_value=8000, unit="steps", points=2
    )
    read = await habit(database, fam, name="Read", points=3)
    habits = HabitService(database)
    await habits.update_habit(ADMIN, walk.id, {"target_value": 10_000, "effective_from": today()})
    await habits.set_entry(ADMIN, walk.id, days_ago(1), {"value": 9000, "note": "park"})
    await habits.set_entry(ADMIN, read.id, days_ago(1), {"status": "done"})
    await habits.set_entry(ADMIN, walk.id, today(), {"value": 9000})
    await habits.set_entry(ADMIN, read.id, today(), {"skip": True})

    service = TodayService(database)
    then = (await service.day_overview(ADMIN, fam.family.id, days_ago(1))).member(fam.child.user_id)
    now = (await service.day_overview(ADMIN, fam.family.id)).member(fam.child.user_id)
    assert then is not None and now is not None

    walk_then = next(h for h in then.habits if h.habit.id == walk.id)
    assert walk_then.habit.target_value == 8000 and walk_then.habit.unit == "steps"
    assert walk_then.entry is not None
    assert walk_then.entry.status is EntryStatus.DONE and walk_then.entry.note == "park"
    assert (then.done, then.total, then.points_earned, then.points_possible) == (2, 2, 5, 5)

    walk_now = next(h for h in now.habits if h.habit.id == walk.id)
    assert walk_now.habit.target_value == 10_000
    assert walk_now.entry is not None and walk_now.entry.status is EntryStatus.MISSED
    # The skipped habit counts in neither the done nor the total.
    assert (now.done, now.total, now.points_earned, now.points_possible) == (0, 1, 0, 2)


async def test_archived_habits_and_routines_are_left_out(database: Database) -> None:
    fam = await make_family(database)
    kept = await habit(database, fam, name="Kept")
    gone = await habit(database, fam, name="Archived")
    await HabitService(database).archive_habit(ADMIN, gone.id)
    old = await routine(database, fam, name="Old routine")
    await RoutineService(database).archive_routine(ADMIN, old.id)
    later = await routine(database, fam, name="Starts next week", effective_from=today())
    lea = (await TodayService(database).day_overview(ADMIN, fam.family.id, days_ago(1))).member(
        fam.child.user_id
    )
    assert lea is not None
    assert [h.habit.id for h in lea.habits] == [kept.id]
    # A routine that had not started yet has nothing to do on the day.
    assert later.id not in {r.routine.id for r in lea.routines + lea.not_due_routines}
    assert lea.routines == [] and lea.not_due_routines == []


# --- routines -----------------------------------------------------------------------------------


async def test_routines_due_by_schedule_with_the_run_of_the_day(database: Database) -> None:
    fam = await make_family(database)
    morning = await routine(database, fam)
    weekend = await routine(database, fam, name="Weekend chores", weekdays=[weekday(days_ago(1))])
    routines = RoutineService(database)
    run = (await routines.start_run(fam.actor(fam.child), morning.id, today())).value
    await routines.check_step(fam.actor(fam.child), run.id, run.steps[1].step_id)

    service = TodayService(database)
    lea = (await service.day_overview(ADMIN, fam.family.id)).member(fam.child.user_id)
    assert lea is not None
    assert [r.routine.id for r in lea.routines] == [morning.id]
    assert [r.routine.id for r in lea.not_due_routines] == [weekend.id]
    item = lea.routines[0]
    assert item.run is not None and item.run.id == run.id
    assert [s.checked for s in item.steps] == [False, True, False]
    assert (item.done, item.total, item.points_earned, item.points_possible) == (1, 3, 2, 3)
    assert (lea.done, lea.total, lea.points_earned) == (0, 1, 2)
    chores = lea.not_due_routines[0]
    assert (
        chores.run is None
        and chores.done == 0
        and [s.title for s in chores.steps]
        == [
            "Wake up",
            "Get dressed",
            "Breakfast",
        ]
    )

    # Yesterday: the weekend routine was due, nothing was started.
    yesterday = (await service.day_overview(ADMIN, fam.family.id, days_ago(1))).member(
        fam.child.user_id
    )
    assert yesterday is not None
    assert {r.routine.id for r in yesterday.routines} == {morning.id, weekend.id}
    assert all(r.run is None for r in yesterday.routines)


async def test_a_run_keeps_the_steps_of_its_version_after_an_edit(database: Database) -> None:
    fam = await make_family(database)
    morning = await routine(database, fam)
    routines = RoutineService(database)
    run = (await routines.start_run(ADMIN, morning.id, days_ago(1))).value
    for step in run.steps:
        await routines.check_step(ADMIN, run.id, step.step_id)
    await routines.update_routine(
        ADMIN,
        morning.id,
        {"steps": [{"title": "Wake up"}, {"title": "Brush teeth"}], "effective_from": today()},
    )
    service = TodayService(database)
    then = (await service.day_overview(ADMIN, fam.family.id, days_ago(1))).member(fam.child.user_id)
    now = (await service.day_overview(ADMIN, fam.family.id)).member(fam.child.user_id)
    assert then is not None and now is not None
    assert [s.title for s in then.routines[0].steps] == ["Wake up", "Get dressed", "Breakfast"]
    assert then.routines[0].complete and then.done == then.total == 1
    assert then.points_earned == 3
    assert [s.title for s in now.routines[0].steps] == ["Wake up", "Brush teeth"]
    assert now.routines[0].version.number == 2


async def test_a_long_history_reads_as_the_routine_service_reads_it(database: Database) -> None:
    """Today reads only the versions it shows; the routine it returns is the same as
    RoutineService's, whichever version is in force on the day, today, and the newest."""
    fam = await make_family(database)
    morning = await routine(database, fam)
    routines = RoutineService(database)
    for number, starts in enumerate((days_ago(40), days_ago(20), days_ago(3), today()), start=2):
        steps = [{"title": "Wake up"}, {"title": f"Step of version {number}", "points": number}]
        await routines.update_routine(ADMIN, morning.id, {"steps": steps, "effective_from": starts})
    # An edit that starts tomorrow: the newest version is not yet in force.
    tomorrow = today() + timedelta(days=1)
    await routines.update_routine(
        ADMIN, morning.id, {"steps": [{"title": "Tomorrow's step"}], "effective_from": tomorrow}
    )
    expected = await routines.get_routine(morning.id)
    history = await routines.list_versions(morning.id)
    assert expected.version_count == 6 and expected.latest_version.number == 6
    service = TodayService(database)
    for ago, number in ((0, 5), (2, 4), (10, 3), (30, 2), (50, 1)):
        day = (await service.day_overview(ADMIN, fam.family.id, days_ago(ago))).member(
            fam.child.user_id
        )
        assert day is not None
        item = day.routines[0]
        assert item.routine == expected
        assert item.version == history[number - 1]
        assert [s.title for s in item.steps] == [s.title for s in history[number - 1].steps]


async def test_a_skipped_routine_counts_in_neither_done_nor_total(database: Database) -> None:
    fam = await make_family(database)
    morning = await routine(database, fam)
    await RoutineService(database).skip_run(ADMIN, morning.id, today())
    lea = (await TodayService(database).day_overview(ADMIN, fam.family.id)).member(
        fam.child.user_id
    )
    assert lea is not None
    item = lea.routines[0]
    assert item.skipped and item.run is not None and item.run.status is RunStatus.SKIPPED
    assert (lea.done, lea.total, lea.points_possible) == (0, 0, 0)


async def test_a_run_note_is_on_the_day(database: Database) -> None:
    fam = await make_family(database)
    morning = await routine(database, fam)
    await RoutineService(database).skip_run(ADMIN, morning.id, today(), note=" At grandma's ")
    lea = (await TodayService(database).day_overview(ADMIN, fam.family.id)).member(
        fam.child.user_id
    )
    assert lea is not None
    run = lea.routines[0].run
    assert run is not None and (run.status, run.note) == (RunStatus.SKIPPED, "At grandma's")


# --- cost ---------------------------------------------------------------------------------------


async def test_six_statements_whatever_the_length_of_the_history(database: Database) -> None:
    fam = await make_family(database)
    habits, routines = HabitService(database), RoutineService(database)
    service = TodayService(database)
    made = [
        await habit(database, fam, name="Walk", kind="numeric", target_value=8000, unit="steps"),
        await habit(database, fam, name="Tidy", freq_num=3, freq_den=7),
        await habit(database, fam, who="parent", name="Read"),
    ]
    morning = await routine(database, fam)
    await routines.update_routine(
        ADMIN, morning.id, {"name": "Morning", "weekdays": [weekday(today())]}
    )
    counts = []
    history = 0
    for length in (2, 25):
        for n in range(history, length):
            for h in made:
                await habits.set_entry(ADMIN, h.id, days_ago(n), {"status": "done"})
            run = (await routines.start_run(ADMIN, morning.id, days_ago(n))).value
            await routines.check_step(ADMIN, run.id, run.steps[0].step_id)
        history = length
        with count_statements(database) as statements:
            overview = await service.day_overview(ADMIN, fam.family.id)
        lea = overview.member(fam.child.user_id)
        assert lea is not None and lea.routines[0].done == 1
        counts.append(len(statements))
    assert counts[0] == counts[1]
    assert counts[0] <= 6
