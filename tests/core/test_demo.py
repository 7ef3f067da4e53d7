"""The demo family: consistent data that every service can read, the same for the same seed."""

from __future__ import annotations

import shutil
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
from sqlalchemy import func, select

from habitdesk.core.db.database import Database
from habitdesk.core.demo import TABLES, DemoReport, generate_demo
from habitdesk.core.domain.days import family_today
from habitdesk.core.domain.habit_rules import Rules, entry_status, version_in_force
from habitdesk.core.domain.weekdays import includes
from habitdesk.core.errors import ConflictError, InvalidInputError
from habitdesk.core.models import (
    Family,
    Habit,
    HabitEntry,
    HabitVersion,
    PointsEntry,
    RewardRedemption,
    RoutineRun,
    RoutineStep,
    RoutineStepCheck,
    RoutineVersion,
    User,
)
from habitdesk.core.models.enums import (
    EntryStatus,
    HabitKind,
    PointsSource,
    RedemptionStatus,
    Role,
    RunStatus,
)
from habitdesk.core.services.base import Actor
from habitdesk.core.services.habits import HabitService
from habitdesk.core.services.people import FamilyService
from habitdesk.core.services.points import PointsService
from habitdesk.core.services.routines import RoutineService

# Long enough for habit rules and routines to have been edited (every few months).
SMALL = {"members": 4, "habits": 3, "routines": 1, "days": 240}
TODAY = date(2025, 6, 30)


async def small_demo(db: Database, seed: int = 7, **overrides: Any) -> DemoReport:
    return await generate_demo(db, **{**SMALL, "today": TODAY, "seed": seed, **overrides})


async def row_counts(db: Database) -> dict[str, int]:
    async with db.read() as session:
        return {
            t.name: int(await session.scalar(select(func.count()).select_from(t)) or 0)
            for t in TABLES
        }


async def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in id order: equal snapshots mean identical data."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    async with db.read() as session:
        for table in TABLES:
            rows = await session.execute(select(table).order_by(table.c.id))
            out[table.name] = [tuple(r) for r in rows]
    return out


async def test_report_counts_match_the_tables(database: Database) -> None:
    report = await small_demo(database)
    assert dict(report.rows) == await row_counts(database)
    assert report.total_rows == sum(report.rows.values())
    assert (report.first_day, report.last_day) == (date(2024, 11, 3), TODAY)
    assert report.elapsed_seconds >= report.write_seconds > 0
    # Everything a demo is for is there.
    assert all(report.rows[t.name] > 0 for t in TABLES), report.rows


async def test_members_are_an_owner_a_parent_and_children(database: Database) -> None:
    report = await small_demo(database)
    owner = Actor.member(report.owner_id)
    members = await FamilyService(database).list_members(owner, report.family_id)
    assert [m.role for m in members] == [Role.OWNER, Role.PARENT, Role.CHILD, Role.CHILD]
    assert members[0].user_id == report.owner_id
    assert all(m.full_name and m.avatar_emoji and m.birth_date for m in members)
    assert len({m.colour for m in members}) == 4
    # Parents sign in with an e-mail; children have none.
    assert [m.email is not None for m in members] == [True, True, False, False]
    family = await FamilyService(database).get_family(report.family_id)
    assert family.name == "Demo family"


async def test_habits_and_their_entries_read_through_the_habit_service(
    database: Database,
) -> None:
    report = await small_demo(database)
    owner = Actor.member(report.owner_id)
    service = HabitService(database)
    habits = await service.list_habits(owner, report.family_id)
    assert len(habits) == 4 * 3
    assert Counter(h.user_id for h in habits).most_common()[0][1] == 3
    counts = await row_counts(database)
    seen = 0
    for habit in habits:
        entries = await service.entries_in_range(habit.id, report.first_day, report.last_day)
        seen += len(entries)
        assert all(report.first_day <= e.day <= report.last_day for e in entries)
    assert seen == counts["habit_entries"]
    due = await service.habits_due_on(owner, report.family_id, report.last_day)
    assert {d.habit.id for d in due} == {h.id for h in habits}


async def test_routines_and_runs_read_through_the_routine_service(database: Database) -> None:
    report = await small_demo(database)
    owner = Actor.member(report.owner_id)
    service = RoutineService(database)
    routines = await service.list_routines(owner, report.family_id)
    assert len(routines) == 4
    assert any(r.version_count > 1 for r in routines), "routines are edited over time"
    runs = []
    for routine in routines:
        runs += await service.runs_in_range(routine.id, report.first_day, report.last_day)
    assert len(runs) == (await row_counts(database))["routine_runs"]
    statuses = Counter(r.status for r in runs)
    assert statuses[RunStatus.COMPLETED] > statuses[RunStatus.PARTIAL] > 0
    assert statuses[RunStatus.SKIPPED] > 0
    for run in runs:
        if run.status is RunStatus.COMPLETED:
            assert run.done == run.total
        if run.status is RunStatus.PARTIAL:
            assert 0 < run.done < run.total
        if run.status is RunStatus.SKIPPED:
            assert run.done == 0 and run.started_at is None


async def test_runs_follow_the_routine_version_in_force_on_their_day(database: Database) -> None:
    await small_demo(database)
    async with database.read() as session:
        versions: dict[UUID, list[RoutineVersion]] = defaultdict(list)
        for v in await session.scalars(select(RoutineVersion)):
            versions[v.routine_id].append(v)
        step_version = dict(
            (await session.execute(select(RoutineStep.id, RoutineStep.version_id))).all()
        )
        runs = list(await session.scalars(select(RoutineRun)))
        checks = (
            await session.execute(select(RoutineStepCheck.run_id, RoutineStepCheck.step_id))
        ).all()
    assert any(len(v) > 1 for v in versions.values())
    by_id = {r.id: r for r in runs}
    for run in runs:
        in_force = version_in_force(versions[run.routine_id], run.day)
        assert in_force is not None and run.version_id == in_force.id
        assert includes(in_force.weekdays, run.day)
    for run_id, step_id in checks:
        assert step_version[step_id] == by_id[run_id].version_id


async def test_entries_are_judged_by_the_habit_rules_of_their_day(database: Database) -> None:
    await small_demo(database)
    async with database.read() as session:
        versions: dict[UUID, list[HabitVersion]] = defaultdict(list)
        for v in await session.scalars(select(HabitVersion)):
            versions[v.habit_id].append(v)
        entries = list(await session.scalars(select(HabitEntry)))
    assert any(len(v) > 1 for v in versions.values()), "some rules change over time"
    assert {e.status for e in entries} == set(EntryStatus)
    for entry in entries:
        version = version_in_force(versions[entry.habit_id], entry.day)
        assert version is not None, "no entry before the habit started"
        rules = Rules.normalised(
            kind=version.kind,
            target_value=version.target_value,
            unit=version.unit,
            direction=version.direction,
            freq_num=version.freq_num,
            freq_den=version.freq_den,
            weekdays=version.weekdays,
        )
        if entry.status is EntryStatus.SKIPPED:
            continue
        assert entry.status is entry_status(rules, entry.value)
        if version.kind is HabitKind.BOOLEAN:
            assert entry.value in (0.0, 1.0)
        if version.weekdays is not None:
            assert includes(version.weekdays, entry.day)


async def test_points_balance_is_what_was_earned_minus_approved_rewards(
    database: Database,
) -> None:
    report = await small_demo(database)
    async with database.read() as session:
        habit_points = await session.execute(
            select(Habit.user_id, func.sum(Habit.points))
            .join(HabitEntry, HabitEntry.habit_id == Habit.id)
            .where(HabitEntry.status == EntryStatus.DONE)
            .group_by(Habit.user_id)
        )
        step_points = await session.execute(
            select(RoutineRun.user_id, func.sum(func.coalesce(RoutineStep.points, 0)))
            .join(RoutineStepCheck, RoutineStepCheck.run_id == RoutineRun.id)
            .join(RoutineStep, RoutineStep.id == RoutineStepCheck.step_id)
            .group_by(RoutineRun.user_id)
        )
        spent = await session.execute(
            select(RewardRedemption.user_id, func.sum(RewardRedemption.cost))
            .where(RewardRedemption.status == RedemptionStatus.APPROVED)
            .group_by(RewardRedemption.user_id)
        )
        sources = set((await session.scalars(select(PointsEntry.source).distinct())).all())
    expected: Counter[UUID] = Counter()
    for user_id, amount in [*habit_points, *step_points]:
        expected[user_id] += int(amount or 0)
    for user_id, amount in spent:
        expected[user_id] -= int(amount)
    assert sources == {PointsSource.HABIT, PointsSource.ROUTINE, PointsSource.REWARD}

    owner = Actor.member(report.owner_id)
    points = PointsService(database)
    members = await FamilyService(database).list_members(owner, report.family_id)
    for member in members:
        balance = await points.balance(owner, report.family_id, member.user_id)
        assert balance.balance == expected[member.user_id]
        assert balance.available >= 0
    assert sum(expected.values()) > 0
    redemptions = await points.list_redemptions(owner, report.family_id)
    statuses = Counter(r.status for r in redemptions)
    assert statuses[RedemptionStatus.REQUESTED] == 1
    assert statuses[RedemptionStatus.APPROVED] > 0 and statuses[RedemptionStatus.REJECTED] > 0


async def test_same_seed_gives_the_same_family_on_any_backend(
    database: Database, sqlite_template: Path, tmp_path: Path
) -> None:
    """The demo on this backend equals, row for row, the same demo in a fresh SQLite file."""
    await small_demo(database, seed=3)
    copy = tmp_path / "again.sqlite3"
    shutil.copyfile(sqlite_template, copy)
    other = Database.from_url(f"sqlite+aiosqlite:///{copy}")
    try:
        await small_demo(other, seed=3)
        assert await snapshot(database) == await snapshot(other)
    finally:
        await other.dispose()


async def test_another_seed_gives_another_family_beside_the_first(database: Database) -> None:
    first = await small_demo(database, seed=1)
    second = await small_demo(database, seed=2)
    assert first.family_id != second.family_id
    families = await FamilyService(database).list_families()
    assert len(families) == 2
    counts = await row_counts(database)
    assert counts["users"] == 8
    assert counts["habit_entries"] == first.rows["habit_entries"] + second.rows["habit_entries"]


async def test_the_same_seed_twice_is_refused_and_changes_nothing(database: Database) -> None:
    await small_demo(database, seed=5)
    before = await row_counts(database)
    with pytest.raises(ConflictError) as caught:
        await small_demo(database, seed=5)
    assert caught.value.message == "The demo family for seed 5 is already in this database."
    assert caught.value.hint == "Use another seed (e.g. --seed 2) or a fresh database."
    assert await row_counts(database) == before


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"members": 0}, "Members: must be between 1 and 30 (it is 0)"),
        ({"habits": 51}, "Habits: must be between 0 and 50 (it is 51)"),
        ({"routines": -1}, "Routines: must be between 0 and 10 (it is -1)"),
        ({"days": 0}, "Days: must be between 1 and 7300 (it is 0)"),
        ({"family_name": "   "}, "Family name: must be between 1 and 100 characters"),
    ],
)
async def test_bad_sizes_are_refused_and_write_nothing(
    database: Database, overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        await small_demo(database, **overrides)
    assert caught.value.message == message
    assert set((await row_counts(database)).values()) == {0}


async def test_a_single_member_with_nothing_to_do(database: Database) -> None:
    report = await small_demo(database, members=1, habits=0, routines=0, days=1)
    assert report.rows["users"] == report.rows["family_memberships"] == 1
    assert report.rows["habits"] == report.rows["routines"] == report.rows["rewards"] == 0


async def test_history_ends_today_and_nothing_lies_in_the_future(database: Database) -> None:
    report = await generate_demo(database, members=3, habits=4, routines=2, days=30, seed=9)
    now = datetime.now(UTC)
    async with database.read() as session:
        family = await session.get(Family, report.family_id)
        assert family is not None
        assert report.last_day == family_today(family.time_zone, family.day_start_hour)
        for table in TABLES:
            latest = await session.scalar(select(func.max(table.c.created_at)))
            assert latest is None or latest <= now, table.name
        for column in (
            RoutineRun.started_at,
            RoutineRun.finished_at,
            RoutineStepCheck.checked_at,
            RewardRedemption.requested_at,
            RewardRedemption.decided_at,
        ):
            latest = await session.scalar(select(func.max(column)))
            assert latest is None or latest <= now, column
        last_day = await session.scalar(select(func.max(RoutineRun.day)))
        assert last_day is None or last_day <= report.last_day
        users = list(await session.scalars(select(User)))
    assert all(u.birth_date is not None and u.birth_date < report.last_day for u in users)
