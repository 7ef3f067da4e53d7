"""Exercise sessions, on every backend."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from habitdesk.core.changes import Kind
from habitdesk.core.db.database import Database
from habitdesk.core.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from habitdesk.core.models import Habit, HabitVersion
from habitdesk.core.models.enums import Activity, HabitKind
from habitdesk.core.schemas.activity import ExerciseRead
from habitdesk.core.services.activity import ExerciseService
from habitdesk.core.services.base import Actor
from habitdesk.core.services.people import FamilyService, UserService
from tests.core.factories import FamilyFixture, make_family

# Noon in Paris on a Wednesday: "today" for the family is 2026-03-11.
NOW = datetime(2026, 3, 11, 11, 0, tzinfo=UTC)
TODAY = date(2026, 3, 11)


def exercise(db: Database, now: datetime = NOW) -> ExerciseService:
    return ExerciseService(db, clock=lambda: now)


def walk(fam: FamilyFixture, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "family_id": fam.family.id,
        "user_id": fam.child.user_id,
        "activity": "walk",
        "day": TODAY,
        "minutes": 30,
    }
    data.update(overrides)
    return data


async def add_habit(
    db: Database,
    fam: FamilyFixture,
    user_id: uuid.UUID,
    name: str,
    kinds: list[tuple[date, HabitKind]],
    *,
    archived: bool = False,
) -> uuid.UUID:
    """A habit with one version per (effective_from, kind); built directly, as the habit
    service is not this module's subject."""
    async with db.transaction() as session:
        habit = Habit(family_id=fam.family.id, user_id=user_id, name=name, archived=archived)
        session.add(habit)
        await session.flush()
        for number, (effective_from, kind) in enumerate(kinds, start=1):
            numeric = kind is HabitKind.NUMERIC
            session.add(
                HabitVersion(
                    habit_id=habit.id,
                    number=number,
                    effective_from=effective_from,
                    kind=kind,
                    target_value=150.0 if numeric else None,
                    unit="min" if numeric else None,
                    freq_num=7,
                    freq_den=7,
                )
            )
        return habit.id


async def all_sessions(db: Database, fam: FamilyFixture) -> list[ExerciseRead]:
    return await exercise(db).sessions_in_range(
        Actor.local_admin(), fam.family.id, start=date(2000, 1, 1), end=date(2100, 1, 1)
    )


@contextmanager
def count_selects(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


# ---- logging --------------------------------------------------------------------------------


async def test_child_logs_its_own_walk(database: Database) -> None:
    fam = await make_family(database)
    result = await exercise(database).log_session(
        fam.actor(fam.child),
        walk(fam, distance_km=2.5, intensity=2, note="  with the dog  "),
    )
    session = result.value
    assert (session.activity, session.day, session.minutes) == (Activity.WALK, TODAY, 30)
    assert (session.distance_km, session.intensity, session.note) == (2.5, 2, "with the dog")
    assert session.user_id == fam.child.user_id
    assert result.changes.kinds == {Kind.EXERCISE}
    assert result.changes.family_ids == {fam.family.id}
    assert await all_sessions(database, fam) == [session]


@pytest.mark.parametrize("who", ["owner", "parent"])
async def test_parents_log_for_anyone_in_the_family(database: Database, who: str) -> None:
    fam = await make_family(database)
    result = await exercise(database).log_session(
        fam.actor(getattr(fam, who)), walk(fam, activity="swim", minutes=45)
    )
    assert (result.value.user_id, result.value.activity) == (fam.child.user_id, Activity.SWIM)


async def test_a_child_cannot_log_for_someone_else(database: Database) -> None:
    fam = await make_family(database)
    with pytest.raises(PermissionDeniedError, match="A child can only log exercise for themselves"):
        await exercise(database).log_session(
            fam.actor(fam.child), walk(fam, user_id=fam.parent.user_id)
        )
    assert await all_sessions(database, fam) == []


async def test_a_viewer_never_logs_exercise(database: Database) -> None:
    fam = await make_family(database)
    with pytest.raises(PermissionDeniedError, match="A viewer cannot log exercise"):
        await exercise(database).log_session(
            fam.actor(fam.viewer), walk(fam, user_id=fam.viewer.user_id)
        )
    with pytest.raises(InvalidInputError, match="Grand-mère is a viewer"):
        await exercise(database).log_session(
            fam.actor(fam.parent), walk(fam, user_id=fam.viewer.user_id)
        )
    assert await all_sessions(database, fam) == []


async def test_outsiders_cannot_log_and_outsiders_cannot_be_logged_for(
    database: Database,
) -> None:
    fam = await make_family(database)
    stranger = (await UserService(database).create_user({"full_name": "Stranger"})).value
    with pytest.raises(PermissionDeniedError, match="Only members of this family"):
        await exercise(database).log_session(
            Actor.member(stranger.id), walk(fam, user_id=stranger.id)
        )
    with pytest.raises(NotFoundError, match="not a member of this family"):
        await exercise(database).log_session(fam.actor(fam.parent), walk(fam, user_id=stranger.id))
    assert await all_sessions(database, fam) == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"minutes": 0}, "Minutes: must be between 1 and 1440 (a whole day); it was 0"),
        ({"minutes": 1441}, "Minutes: must be between 1 and 1440 (a whole day); it was 1441"),
        ({"minutes": 12.5}, "Minutes: Input should be a valid integer"),
        ({"intensity": 6}, "Intensity: must be between 1 (easy) and 5 (all-out); it was 6"),
        ({"intensity": 0}, "Intensity: must be between 1 (easy) and 5 (all-out); it was 0"),
        ({"distance_km": float("nan")}, "Distance (km): must be a finite number of kilometres"),
        ({"distance_km": float("inf")}, "Distance (km): must be a finite number of kilometres"),
        ({"distance_km": 0}, "Distance (km): must be greater than zero"),
        ({"distance_km": 1000.5}, "Distance (km): must be at most 1000 km"),
        ({"activity": "dance"}, "Activity: Input should be 'walk', 'run'"),
        ({"note": "x" * 2001}, "Note: must be at most 2000 characters (it has 2001)"),
        ({"calories": 300}, "Calories: Extra inputs are not permitted"),
    ],
)
async def test_bad_exercise_input_is_refused_and_changes_nothing(
    database: Database, overrides: dict[str, Any], message: str
) -> None:
    fam = await make_family(database)
    with pytest.raises(InvalidInputError) as caught:
        await exercise(database).log_session(fam.actor(fam.parent), walk(fam, **overrides))
    assert message in caught.value.message
    assert await all_sessions(database, fam) == []


async def test_boundaries_are_accepted(database: Database) -> None:
    fam = await make_family(database)
    service = exercise(database)
    parent = fam.actor(fam.parent)
    await service.log_session(parent, walk(fam, minutes=1, intensity=1, distance_km=0.01))
    await service.log_session(parent, walk(fam, minutes=1440, intensity=5, distance_km=1000))
    assert [s.minutes for s in await all_sessions(database, fam)] == [1, 1440]


async def test_a_future_day_is_refused(database: Database) -> None:
    fam = await make_family(database)
    with pytest.raises(InvalidInputError) as caught:
        await exercise(database).log_session(
            fam.actor(fam.child), walk(fam, day=TODAY + timedelta(days=1))
        )
    assert caught.value.message == (
        "Day: 2026-03-12 is in the future; exercise can be logged for today (2026-03-11) or earlier."
    )
    assert await all_sessions(database, fam) == []


async def test_today_follows_the_family_time_zone_and_day_start_hour(database: Database) -> None:
    fam = await make_family(database)
    await FamilyService(database).update_family(
        Actor.local_admin(), fam.family.id, {"day_start_hour": 3}
    )
    # 01:30 in Paris on 11 March: with a 3 am day start it is still the 10th.
    late_night = exercise(database, now=datetime(2026, 3, 11, 0, 30, tzinfo=UTC))
    with pytest.raises(InvalidInputError, match="Day: 2026-03-11 is in the future"):
        await late_night.log_session(fam.actor(fam.child), walk(fam, day=date(2026, 3, 11)))
    logged = await late_night.log_session(fam.actor(fam.child), walk(fam, day=date(2026, 3, 10)))
    assert logged.value.day == date(2026, 3, 10)


# ---- counting toward a habit ----------------------------------------------------------------


async def test_minutes_count_toward_a_numeric_habit_of_the_same_member(
    database: Database,
) -> None:
    fam = await make_family(database)
    habit_id = await add_habit(
        database, fam, fam.child.user_id, "Move 150 min", [(date(2026, 1, 1), HabitKind.NUMERIC)]
    )
    result = await exercise(database).log_session(
        fam.actor(fam.child), walk(fam, habit_id=habit_id)
    )
    assert result.value.habit_id == habit_id
    # The habit's progress moved, so habit screens must refresh too.
    assert result.changes.kinds == {Kind.EXERCISE, Kind.HABITS}


async def test_minutes_cannot_count_toward_unsuitable_habits(database: Database) -> None:
    fam = await make_family(database)
    start = [(date(2026, 1, 1), HabitKind.NUMERIC)]
    boolean = await add_habit(
        database, fam, fam.child.user_id, "Read", [(date(2026, 1, 1), HabitKind.BOOLEAN)]
    )
    parents = await add_habit(database, fam, fam.parent.user_id, "Paul's minutes", start)
    archived = await add_habit(database, fam, fam.child.user_id, "Old", start, archived=True)
    removed = await add_habit(database, fam, fam.child.user_id, "Gone", start)
    async with database.transaction() as session:
        habit = await session.get(Habit, removed)
        assert habit is not None
        habit.soft_delete()
    cases = [
        (boolean, "Habit: “Read” is a yes/no habit; only a numeric habit"),
        (parents, "Habit: “Paul's minutes” belongs to someone else"),
        (archived, "Habit: “Old” is archived; restore it first"),
        (removed, "Habit: that habit does not exist"),
        (uuid.uuid4(), "Habit: that habit does not exist"),
    ]
    for habit_id, message in cases:
        with pytest.raises(InvalidInputError) as caught:
            await exercise(database).log_session(
                fam.actor(fam.parent), walk(fam, habit_id=habit_id)
            )
        assert message in caught.value.message
    assert await all_sessions(database, fam) == []


async def test_a_habit_in_another_family_is_refused(database: Database) -> None:
    fam = await make_family(database)
    other = await make_family(database, "Dupont")
    habit_id = await add_habit(
        database, other, other.child.user_id, "Move", [(date(2026, 1, 1), HabitKind.NUMERIC)]
    )
    with pytest.raises(InvalidInputError, match="Habit: that habit does not exist"):
        await exercise(database).log_session(fam.actor(fam.parent), walk(fam, habit_id=habit_id))


NEW_YEARS_EVE, FEB_20, MARCH_2 = date(2025, 12, 31), date(2026, 2, 20), date(2026, 3, 2)


@pytest.mark.parametrize(
    ("kinds", "refused", "accepted"),
    [
        (
            [(date(2026, 1, 1), HabitKind.BOOLEAN), (date(2026, 3, 1), HabitKind.NUMERIC)],
            [NEW_YEARS_EVE, FEB_20],
            [MARCH_2],
        ),
        # Numbered out of start-day order, as an import can leave them: the version started
        # last by the day decides (2 on 2 March, not 3), and before every version the first.
        (
            [
                (date(2026, 1, 1), HabitKind.NUMERIC),
                (date(2026, 3, 1), HabitKind.NUMERIC),
                (date(2026, 2, 1), HabitKind.BOOLEAN),
            ],
            [FEB_20],
            [NEW_YEARS_EVE, MARCH_2],
        ),
    ],
    ids=["in-order", "numbered-out-of-order"],
)
async def test_the_habit_rules_of_the_sessions_day_decide(
    database: Database,
    kinds: list[tuple[date, HabitKind]],
    refused: list[date],
    accepted: list[date],
) -> None:
    """A session's day is judged by the habit's rules of that day, as the habit screens judge
    it: minutes count only where those rules are numeric."""
    fam = await make_family(database)
    habit_id = await add_habit(database, fam, fam.child.user_id, "Sport", kinds)
    service = exercise(database)
    for day in refused:
        with pytest.raises(InvalidInputError, match="is a yes/no habit"):
            await service.log_session(fam.actor(fam.child), walk(fam, day=day, habit_id=habit_id))
    for day in accepted:
        logged = await service.log_session(
            fam.actor(fam.child), walk(fam, day=day, habit_id=habit_id)
        )
        assert (logged.value.day, logged.value.habit_id) == (day, habit_id)


# ---- editing and removing -------------------------------------------------------------------


async def test_update_changes_only_the_given_fields_and_clears_optional_ones(
    database: Database,
) -> None:
    fam = await make_family(database)
    service = exercise(database)
    logged = (
        await service.log_session(fam.actor(fam.child), walk(fam, intensity=3, note="park"))
    ).value
    updated = await service.update_session(
        fam.actor(fam.child),
        logged.id,
        {"minutes": 40, "note": None, "expected_version": logged.version},
    )
    value = updated.value
    assert (value.minutes, value.note, value.intensity, value.activity) == (40, None, 3, "walk")
    assert value.version == logged.version + 1
    assert updated.changes.kinds == {Kind.EXERCISE}


async def test_concurrent_edit_of_a_session_is_a_conflict(database: Database) -> None:
    fam = await make_family(database)
    service = exercise(database)
    logged = (await service.log_session(fam.actor(fam.child), walk(fam))).value
    await service.update_session(
        fam.actor(fam.parent), logged.id, {"minutes": 50, "expected_version": logged.version}
    )
    with pytest.raises(ConflictError, match="Someone else changed this exercise session"):
        await service.update_session(
            fam.actor(fam.owner), logged.id, {"minutes": 20, "expected_version": logged.version}
        )
    assert [s.minutes for s in await all_sessions(database, fam)] == [50]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"minutes": None}, "Minutes: must not be empty"),
        ({"activity": None}, "Activity: must not be empty"),
        ({"minutes": 0}, "Minutes: must be between 1 and 1440"),
        ({"day": date(2026, 3, 12)}, "Day: 2026-03-12 is in the future"),
        ({"intensity": 9}, "Intensity: must be between 1 (easy) and 5"),
    ],
)
async def test_bad_update_changes_nothing(
    database: Database, change: dict[str, Any], message: str
) -> None:
    fam = await make_family(database)
    service = exercise(database)
    logged = (await service.log_session(fam.actor(fam.child), walk(fam))).value
    with pytest.raises(InvalidInputError) as caught:
        await service.update_session(fam.actor(fam.parent), logged.id, change)
    assert message in caught.value.message
    assert await all_sessions(database, fam) == [logged]


async def test_a_child_cannot_edit_or_remove_someone_elses_session(database: Database) -> None:
    fam = await make_family(database)
    service = exercise(database)
    parents = (
        await service.log_session(fam.actor(fam.parent), walk(fam, user_id=fam.parent.user_id))
    ).value
    with pytest.raises(PermissionDeniedError, match="A child can only edit exercise"):
        await service.update_session(fam.actor(fam.child), parents.id, {"minutes": 5})
    with pytest.raises(PermissionDeniedError, match="A child can only remove exercise"):
        await service.remove_session(fam.actor(fam.child), parents.id)
    assert await all_sessions(database, fam) == [parents]


async def test_linking_and_unlinking_a_habit_on_update(database: Database) -> None:
    fam = await make_family(database)
    service = exercise(database)
    habit_id = await add_habit(
        database, fam, fam.child.user_id, "Move", [(date(2026, 1, 1), HabitKind.NUMERIC)]
    )
    boolean = await add_habit(
        database, fam, fam.child.user_id, "Read", [(date(2026, 1, 1), HabitKind.BOOLEAN)]
    )
    logged = (await service.log_session(fam.actor(fam.child), walk(fam))).value
    linked = await service.update_session(fam.actor(fam.child), logged.id, {"habit_id": habit_id})
    assert linked.value.habit_id == habit_id
    assert Kind.HABITS in linked.changes.kinds
    with pytest.raises(InvalidInputError, match="is a yes/no habit"):
        await service.update_session(fam.actor(fam.child), logged.id, {"habit_id": boolean})
    unlinked = await service.update_session(fam.actor(fam.child), logged.id, {"habit_id": None})
    assert unlinked.value.habit_id is None
    assert Kind.HABITS in unlinked.changes.kinds


async def test_removed_session_disappears_but_is_only_soft_deleted(database: Database) -> None:
    fam = await make_family(database)
    service = exercise(database)
    logged = (await service.log_session(fam.actor(fam.child), walk(fam))).value
    removed = await service.remove_session(fam.actor(fam.child), logged.id)
    assert removed.changes.kinds == {Kind.EXERCISE}
    assert await all_sessions(database, fam) == []
    assert await service.minutes_by_day(fam.child.user_id, TODAY, TODAY) == {}
    with pytest.raises(NotFoundError, match="That exercise session does not exist"):
        await service.remove_session(fam.actor(fam.child), logged.id)
    with pytest.raises(NotFoundError, match="That exercise session does not exist"):
        await service.update_session(fam.actor(fam.child), logged.id, {"minutes": 3})


async def test_remove_with_a_stale_version_is_a_conflict(database: Database) -> None:
    fam = await make_family(database)
    service = exercise(database)
    logged = (await service.log_session(fam.actor(fam.child), walk(fam))).value
    await service.update_session(fam.actor(fam.parent), logged.id, {"minutes": 31})
    with pytest.raises(ConflictError):
        await service.remove_session(fam.actor(fam.child), logged.id, logged.version)
    assert len(await all_sessions(database, fam)) == 1


# ---- reading --------------------------------------------------------------------------------


async def test_sessions_in_range_is_inclusive_and_ordered(database: Database) -> None:
    fam = await make_family(database)
    service = exercise(database)
    parent = fam.actor(fam.parent)
    for offset in (0, 3, 1, 7):
        await service.log_session(parent, walk(fam, day=TODAY - timedelta(days=offset)))
    await service.log_session(parent, walk(fam, user_id=fam.parent.user_id, day=TODAY))
    found = await service.sessions_in_range(
        parent,
        fam.family.id,
        fam.child.user_id,
        start=TODAY - timedelta(days=3),
        end=TODAY,
    )
    assert [s.day for s in found] == [TODAY - timedelta(days=d) for d in (3, 1, 0)]
    everyone = await service.sessions_in_range(
        fam.actor(fam.viewer), fam.family.id, start=TODAY, end=TODAY
    )
    assert {s.user_id for s in everyone} == {fam.child.user_id, fam.parent.user_id}


async def test_a_child_sees_only_its_own_sessions(database: Database) -> None:
    fam = await make_family(database)
    service = exercise(database)
    await service.log_session(fam.actor(fam.child), walk(fam))
    await service.log_session(fam.actor(fam.parent), walk(fam, user_id=fam.parent.user_id))
    own = await service.sessions_in_range(
        fam.actor(fam.child), fam.family.id, start=TODAY, end=TODAY
    )
    assert [s.user_id for s in own] == [fam.child.user_id]
    with pytest.raises(PermissionDeniedError, match="A child can only see their own exercise"):
        await service.sessions_in_range(
            fam.actor(fam.child), fam.family.id, fam.parent.user_id, start=TODAY, end=TODAY
        )


async def test_a_backwards_range_is_refused(database: Database) -> None:
    fam = await make_family(database)
    with pytest.raises(InvalidInputError, match="End: 2026-03-01 is before the start"):
        await exercise(database).sessions_in_range(
            fam.actor(fam.parent), fam.family.id, start=TODAY, end=date(2026, 3, 1)
        )


async def test_minutes_by_day_sums_each_day_in_one_query(database: Database) -> None:
    fam = await make_family(database)
    service = exercise(database)
    parent = fam.actor(fam.parent)
    habit_id = await add_habit(
        database, fam, fam.child.user_id, "Move", [(date(2026, 1, 1), HabitKind.NUMERIC)]
    )
    yesterday = TODAY - timedelta(days=1)
    await service.log_session(parent, walk(fam, minutes=20, habit_id=habit_id))
    await service.log_session(parent, walk(fam, minutes=25, activity="run"))
    await service.log_session(parent, walk(fam, day=yesterday, minutes=60, habit_id=habit_id))
    await service.log_session(parent, walk(fam, day=TODAY - timedelta(days=30), minutes=10))
    await service.log_session(parent, walk(fam, user_id=fam.parent.user_id, minutes=90))
    with count_selects(database) as selects:
        minutes = await service.minutes_by_day(fam.child.user_id, yesterday, TODAY)
    assert minutes == {yesterday: 60, TODAY: 45}
    assert len(selects) == 1
    for_habit = await service.minutes_by_day(fam.child.user_id, yesterday, TODAY, habit_id)
    assert for_habit == {yesterday: 60, TODAY: 20}


async def test_reading_a_long_range_costs_a_constant_number_of_queries(
    database: Database,
) -> None:
    fam = await make_family(database)
    service = exercise(database)
    for offset in range(20):
        await service.log_session(
            fam.actor(fam.parent), walk(fam, day=TODAY - timedelta(days=offset))
        )
    with count_selects(database) as selects:
        found = await service.sessions_in_range(
            fam.actor(fam.parent), fam.family.id, start=TODAY - timedelta(days=365), end=TODAY
        )
    assert len(found) == 20
    # The family, the actor's role, the sessions: whatever the length of the range.
    assert len(selects) == 3
