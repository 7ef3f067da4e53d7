"""Habits, their versioned rules, daily entries and the points they earn, on every backend."""

from __future__ import annotations

import gc
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event, func, select

from habitdesk.core.changes import Kind
from habitdesk.core.db.database import Database
from habitdesk.core.domain.days import family_today
from habitdesk.core.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from habitdesk.core.models import HabitEntry, PointsEntry
from habitdesk.core.models.enums import Direction, EntryStatus, HabitKind, Role
from habitdesk.core.schemas.habits import HabitEntryRead, HabitRead
from habitdesk.core.services import ledger
from habitdesk.core.services.base import Actor
from habitdesk.core.services.habits import HabitService
from habitdesk.core.services.people import FamilyService, UserService
from tests.core.factories import FamilyFixture, make_family


def today() -> date:
    # The factory family lives in Europe/Paris with the day starting at midnight.
    return family_today("Europe/Paris", 0)


def days_ago(n: int) -> date:
    return today() - timedelta(days=n)


async def new_habit(
    db: Database, fam: FamilyFixture, who: str = "child", **fields: Any
) -> HabitRead:
    data: dict[str, Any] = {
        "family_id": fam.family.id,
        "user_id": getattr(fam, who).user_id,
        "name": "Read 20 minutes",
    }
    data.update(fields)
    return (await HabitService(db).create_habit(fam.actor(fam.parent), data)).value


async def new_steps(db: Database, fam: FamilyFixture, **fields: Any) -> HabitRead:
    data: dict[str, Any] = {
        "name": "Walk",
        "kind": "numeric",
        "target_value": 10_000,
        "unit": "steps",
        "points": 5,
    }
    data.update(fields)
    return await new_habit(db, fam, **data)


async def balance(db: Database, fam: FamilyFixture, who: str = "child") -> int:
    async with db.read() as session:
        return await ledger.balance(session, fam.family.id, getattr(fam, who).user_id)


async def ledger_lines(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(PointsEntry)) or 0)


async def entry_rows(db: Database) -> list[tuple[Any, ...]]:
    """Every entry row, removed or not, as stored: to check refused calls changed nothing."""
    async with db.read() as session:
        rows = await session.execute(
            select(
                HabitEntry.habit_id,
                HabitEntry.day,
                HabitEntry.value,
                HabitEntry.status,
                HabitEntry.note,
                HabitEntry.version,
                HabitEntry.deleted_at,
            ).order_by(HabitEntry.habit_id, HabitEntry.day)
        )
        return [tuple(r) for r in rows]


@contextmanager
def count_queries(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "INSERT", "UPDATE", "DELETE")):
            statements.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


# --- creating habits ----------------------------------------------------------------------------


async def test_create_boolean_habit_makes_version_one_from_today(database: Database) -> None:
    fam = await make_family(database)
    result = await HabitService(database).create_habit(
        fam.actor(fam.owner),
        {
            "family_id": fam.family.id,
            "user_id": fam.child.user_id,
            "name": "  📚 Lire 20 minutes ",
            "colour": "#aabbcc",
            "points": 3,
        },
    )
    habit = result.value
    assert habit.name == "📚 Lire 20 minutes"
    assert habit.colour == "#AABBCC"
    assert (habit.kind, habit.target_value, habit.unit) == (HabitKind.BOOLEAN, None, None)
    assert (habit.freq_num, habit.freq_den, habit.weekdays) == (1, 1, None)
    assert (habit.rules_version, habit.effective_from) == (1, today())
    assert habit.archived is False and habit.position == 0
    assert result.changes.kinds == {Kind.HABITS}
    assert result.changes.family_ids == {fam.family.id}
    assert await HabitService(database).get_habit(habit.id) == habit
    versions = await HabitService(database).list_versions(habit.id)
    assert [(v.number, v.effective_from) for v in versions] == [(1, today())]


async def test_create_numeric_habit_on_weekdays(database: Database) -> None:
    fam = await make_family(database)
    habit = await new_habit(
        database,
        fam,
        name="Screen time",
        kind="numeric",
        target_value=60,
        unit=" min ",
        direction="at_most",
        weekdays=["Saturday", "sun"],
        effective_from=days_ago(10),
    )
    assert (habit.kind, habit.target_value, habit.unit, habit.direction) == (
        HabitKind.NUMERIC,
        60.0,
        "min",
        Direction.AT_MOST,
    )
    assert habit.weekdays == ("sat", "sun")
    assert habit.effective_from == days_ago(10)


async def test_boolean_habit_ignores_target_and_unit(database: Database) -> None:
    fam = await make_family(database)
    habit = await new_habit(database, fam, target_value=5, unit="pages")
    assert (habit.target_value, habit.unit) == (None, None)


async def test_new_habits_go_to_the_end_of_the_members_list(database: Database) -> None:
    fam = await make_family(database)
    first = await new_habit(database, fam, name="A")
    second = await new_habit(database, fam, name="B")
    other = await new_habit(database, fam, who="parent", name="C")
    assert (first.position, second.position, other.position) == (0, 1, 0)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "numeric", "target_value": 0, "unit": "steps"}, "Target: must be greater than zero"),
        ({"kind": "numeric", "target_value": -5, "unit": "steps"}, "Target: must be greater than zero"),
        ({"kind": "numeric", "target_value": "nan", "unit": "steps"}, "Target: must be a finite number"),
        ({"kind": "numeric", "target_value": float("inf"), "unit": "x"}, "Target: must be a finite number"),
        ({"kind": "numeric", "target_value": 10}, "Unit: a numeric habit needs a unit (e.g. steps, minutes)"),
        ({"kind": "numeric", "target_value": 10, "unit": "  "}, "Unit: a numeric habit needs a unit"),
        ({"kind": "numeric", "unit": "steps"}, "Target: a numeric habit needs a target (e.g. 10000)"),
        ({"unit": "u" * 31, "kind": "numeric", "target_value": 1}, "Unit: must be at most 30 characters (it has 31)"),
        ({"freq_num": 3, "freq_den": 2}, "Times: 3 times per 2 days is impossible; the times must not exceed the days"),
        ({"freq_num": 2}, "Times: 2 times per day is impossible"),
        ({"freq_num": 1, "freq_den": 366}, "Days: must be between 1 and 365 (it is 366)"),
        ({"freq_num": 0, "freq_den": 7}, "Times: must be between 1 and 365 (it is 0)"),
        ({"weekdays": []}, "Weekdays: choose at least one weekday"),
        ({"weekdays": ["mon", "funday"]}, "Weekdays: 'funday' is not a weekday"),
        ({"weekdays": ["mon"], "freq_num": 1, "freq_den": 7}, "Frequency: choose either weekdays or a number of times per period, not both"),
        ({"name": "x" * 101}, "Name: must be at most 100 characters (it has 101)"),
        ({"name": "   "}, "Name: must not be empty"),
        ({"points": 1001}, "Points: must be between 0 and 1000 (it is 1001)"),
        ({"points": -1}, "Points: must be between 0 and 1000 (it is -1)"),
        ({"colour": "blue"}, "Colour: must be a colour like #4C7BD9"),
        ({"description": "d" * 2001}, "Description: must be at most 2000 characters (it has 2001)"),
        ({"kind": "sometimes"}, "Kind: Input should be 'boolean' or 'numeric'"),
    ],
)  # fmt: skip
async def test_bad_habit_input_says_which_field_and_why_and_changes_nothing(
    database: Database, fields: dict[str, Any], message: str
) -> None:
    fam = await make_family(database)
    with pytest.raises(InvalidInputError) as caught:
        await new_habit(database, fam, **fields)
    assert message in caught.value.message
    assert await HabitService(database).list_habits(Actor.local_admin(), fam.family.id) == []


async def test_a_habit_is_for_a_member_of_the_family(database: Database) -> None:
    fam = await make_family(database)
    stranger = (await UserService(database).create_user({"full_name": "Stranger"})).value
    with pytest.raises(InvalidInputError, match="Member: that person is not a member"):
        await HabitService(database).create_habit(
            fam.actor(fam.parent),
            {"family_id": fam.family.id, "user_id": stranger.id, "name": "Read"},
        )
    assert await HabitService(database).list_habits(Actor.local_admin(), fam.family.id) == []


@pytest.mark.parametrize("who", ["child", "viewer"])
async def test_children_and_viewers_cannot_create_habits(database: Database, who: str) -> None:
    fam = await make_family(database)
    with pytest.raises(PermissionDeniedError, match=f"A {who} cannot create habits"):
        await HabitService(database).create_habit(
            fam.actor(getattr(fam, who)),
            {"family_id": fam.family.id, "user_id": fam.child.user_id, "name": "Sweets"},
        )
    assert await HabitService(database).list_habits(Actor.local_admin(), fam.family.id) == []


# --- changing habits ----------------------------------------------------------------------------


async def test_plain_changes_update_the_habit_without_a_new_version(database: Database) -> None:
    fam = await make_family(database)
    habit = await new_habit(database, fam)
    service = HabitService(database)
    result = await service.update_habit(
        fam.actor(fam.owner),
        habit.id,
        {
            "name": "Read 30 minutes",
            "points": 7,
            "description": "Before bed",
            "expected_version": habit.version,
        },
    )
    assert (result.value.name, result.value.points, result.value.description) == (
        "Read 30 minutes",
        7,
        "Before bed",
    )
    assert result.value.version == habit.version + 1
    assert result.value.rules_version == 1
    assert len(await service.list_versions(habit.id)) == 1
    cleared = await service.update_habit(fam.actor(fam.owner), habit.id, {"description": ""})
    assert cleared.value.description is None


async def test_same_rules_again_make_no_new_version(database: Database) -> None:
    fam = await make_family(database)
    habit = await new_steps(database, fam)
    service = HabitService(database)
    result = await service.update_habit(
        fam.actor(fam.parent),
        habit.id,
        {"kind": "numeric", "target_value": 10_000, "unit": "steps", "freq_num": 1},
    )
    assert result.value.rules_version == 1
    assert result.value.version == habit.version
    assert len(await service.list_versions(habit.id)) == 1


async def test_a_target_change_is_version_two_and_past_days_keep_version_one(
    database: Database,
) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    parent = fam.actor(fam.parent)
    habit = await new_steps(database, fam, effective_from=days_ago(30))
    before = await service.set_entry(parent, habit.id, days_ago(10), {"value": 8_000})
    assert before.value.status is EntryStatus.MISSED

    result = await service.update_habit(
        parent, habit.id, {"target_value": 8_000, "effective_from": days_ago(5)}
    )
    assert (result.value.rules_version, result.value.target_value) == (2, 8_000)
    assert result.value.effective_from == days_ago(5)
    assert result.value.version == habit.version + 1
    versions = await service.list_versions(habit.id)
    assert [(v.number, v.target_value, v.effective_from) for v in versions] == [
        (1, 10_000, days_ago(30)),
        (2, 8_000, days_ago(5)),
    ]
    # Ten days ago the target was still 10,000: recording that day again judges it by version 1.
    again = await service.set_entry(parent, habit.id, days_ago(10), {"value": 8_000})
    assert again.value.status is EntryStatus.MISSED
    recent = await service.set_entry(parent, habit.id, days_ago(3), {"value": 8_000})
    assert recent.value.status is EntryStatus.DONE
    due_then = await service.habits_due_on(parent, fam.family.id, days_ago(10))
    assert (due_then[0].habit.target_value, due_then[0].habit.rules_version) == (10_000, 1)


async def test_days_already_recorded_under_new_rules_are_judged_again(database: Database) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    parent = fam.actor(fam.parent)
    habit = await new_steps(database, fam, effective_from=days_ago(30), points=5)
    await service.set_entry(parent, habit.id, days_ago(20), {"value": 9_000})
    await service.set_entry(parent, habit.id, today(), {"value": 9_000})
    assert await balance(database, fam) == 0

    result = await service.update_habit(parent, habit.id, {"target_value": 9_000})
    assert {Kind.HABITS, Kind.ENTRIES, Kind.POINTS} <= result.changes.kinds
    entries = await service.entries_in_range(habit.id, days_ago(30), today())
    assert [(e.day, e.status) for e in entries] == [
        (days_ago(20), EntryStatus.MISSED),
        (today(), EntryStatus.DONE),
    ]
    assert await balance(database, fam) == 5


async def test_switching_frequency_kind_and_direction(database: Database) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    owner = fam.actor(fam.owner)
    habit = await new_habit(database, fam, weekdays=["mon", "wed"], effective_from=days_ago(9))
    per_week = await service.update_habit(
        owner, habit.id, {"freq_num": 3, "freq_den": 7, "effective_from": days_ago(5)}
    )
    assert (per_week.value.weekdays, per_week.value.freq_num, per_week.value.freq_den) == (
        None,
        3,
        7,
    )
    numeric = await service.update_habit(
        owner,
        habit.id,
        {"kind": "numeric", "target_value": 60, "unit": "min", "direction": "at_most"},
    )
    assert numeric.value.rules_version == 3
    assert (numeric.value.kind, numeric.value.direction, numeric.value.freq_den) == (
        HabitKind.NUMERIC,
        Direction.AT_MOST,
        7,
    )
    back = await service.update_habit(owner, habit.id, {"kind": "boolean", "weekdays": "sat"})
    assert (back.value.kind, back.value.target_value, back.value.unit) == (
        HabitKind.BOOLEAN,
        None,
        None,
    )
    assert (back.value.weekdays, back.value.rules_version) == (("sat",), 4)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "numeric"}, "Target: a numeric habit needs a target"),
        ({"kind": "numeric", "target_value": 5}, "Unit: a numeric habit needs a unit"),
        ({"freq_num": 4}, "Times: 4 times per day is impossible"),
        ({"freq_den": 400}, "Days: must be between 1 and 365 (it is 400)"),
        ({"target_value": float("nan")}, "Target: must be a finite number"),
        ({"weekdays": []}, "Weekdays: choose at least one weekday"),
        ({"weekdays": ["mon"], "freq_den": 3}, "Frequency: choose either weekdays or"),
        ({"name": None}, "Name: must not be empty"),
        ({"name": "n" * 101}, "Name: must be at most 100 characters (it has 101)"),
        ({"points": None}, "Points: must not be empty"),
        (
            {"freq_num": 2, "freq_den": 7, "effective_from": "2000-01-01"},
            "Effective from: the new rules must start on or after",
        ),
    ],
)
async def test_bad_changes_are_refused_and_change_nothing(
    database: Database, changes: dict[str, Any], message: str
) -> None:
    fam = await make_family(database)
    habit = await new_habit(database, fam, points=2)
    service = HabitService(database)
    with pytest.raises(InvalidInputError) as caught:
        await service.update_habit(fam.actor(fam.parent), habit.id, changes)
    assert message in caught.value.message
    assert await service.get_habit(habit.id) == habit
    assert len(await service.list_versions(habit.id)) == 1


async def test_stale_expected_version_is_a_conflict_not_an_overwrite(database: Database) -> None:
    fam = await make_family(database)
    habit = await new_habit(database, fam)
    service = HabitService(database)
    await service.update_habit(
        fam.actor(fam.owner), habit.id, {"name": "Read", "expected_version": habit.version}
    )
    with pytest.raises(ConflictError, match="Someone else changed this habit"):
        await service.update_habit(
            fam.actor(fam.parent),
            habit.id,
            {"target_value": 3, "kind": "numeric", "unit": "books", "expected_version": 1},
        )
    current = await service.get_habit(habit.id)
    assert (current.name, current.kind, current.rules_version) == ("Read", HabitKind.BOOLEAN, 1)


async def test_a_rules_change_moves_the_habit_version_too(database: Database) -> None:
    fam = await make_family(database)
    habit = await new_habit(database, fam)
    service = HabitService(database)
    await service.update_habit(fam.actor(fam.owner), habit.id, {"weekdays": ["mon"]})
    with pytest.raises(ConflictError):
        await service.update_habit(
            fam.actor(fam.parent), habit.id, {"name": "Old", "expected_version": habit.version}
        )


@pytest.mark.parametrize("who", ["child", "viewer"])
async def test_only_parents_edit_definitions(database: Database, who: str) -> None:
    fam = await make_family(database)
    habit = await new_habit(database, fam)
    service = HabitService(database)
    actor = fam.actor(getattr(fam, who))
    with pytest.raises(PermissionDeniedError, match=f"A {who} cannot change habits"):
        await service.update_habit(actor, habit.id, {"name": "No homework"})
    with pytest.raises(PermissionDeniedError, match=f"A {who} cannot archive habits"):
        await service.archive_habit(actor, habit.id)
    with pytest.raises(PermissionDeniedError, match=f"A {who} cannot remove habits"):
        await service.remove_habit(actor, habit.id)
    with pytest.raises(PermissionDeniedError, match=f"A {who} cannot reorder habits"):
        await service.reorder_habits(actor, fam.family.id, [habit.id])
    assert await service.get_habit(habit.id) == habit


async def test_archive_hides_from_daily_lists_and_restore_brings_back(database: Database) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    admin = Actor.local_admin()
    habit = await new_habit(database, fam)
    archived = await service.archive_habit(fam.actor(fam.parent), habit.id)
    assert archived.value.archived is True
    assert await service.list_habits(admin, fam.family.id) == []
    assert [
        h.id for h in await service.list_habits(admin, fam.family.id, include_archived=True)
    ] == [habit.id]
    assert await service.habits_due_on(admin, fam.family.id, today()) == []
    restored = await service.archive_habit(fam.actor(fam.parent), habit.id, archived=False)
    assert restored.value.archived is False
    assert [h.id for h in await service.list_habits(admin, fam.family.id)] == [habit.id]


async def test_removed_habit_is_gone_with_its_entries(database: Database) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    habit = await new_habit(database, fam)
    await service.set_entry(fam.actor(fam.parent), habit.id, today(), {"status": "done"})
    removed = await service.remove_habit(fam.actor(fam.owner), habit.id)
    assert {Kind.HABITS, Kind.ENTRIES} <= removed.changes.kinds
    with pytest.raises(NotFoundError, match="That habit does not exist"):
        await service.get_habit(habit.id)
    with pytest.raises(NotFoundError):
        await service.set_entry(fam.actor(fam.parent), habit.id, today(), {"status": "done"})
    assert (
        await service.list_habits(Actor.local_admin(), fam.family.id, include_archived=True) == []
    )
    history = await service.entries_for_member(
        fam.actor(fam.parent), fam.child.user_id, days_ago(5), today()
    )
    assert len(history) == 0


async def test_reorder_a_members_habits(database: Database) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    a, b, c = [await new_habit(database, fam, name=n) for n in "ABC"]
    result = await service.reorder_habits(
        fam.actor(fam.parent), fam.family.id, [c.id, a.id, b.id], user_id=fam.child.user_id
    )
    assert [h.name for h in result.value] == ["C", "A", "B"]
    listed = await service.list_habits(fam.actor(fam.viewer), fam.family.id, fam.child.user_id)
    assert [(h.name, h.position) for h in listed] == [("C", 0), ("A", 1), ("B", 2)]
    # Moving a habit is no edit of it: an open edit of its name does not conflict.
    assert [h.version for h in listed] == [c.version, a.version, b.version]
    await service.update_habit(fam.actor(fam.owner), a.id, {"name": "A2", "expected_version": 1})


async def test_reorder_part_of_the_list_keeps_the_others_in_place(database: Database) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    a, b, c, d = [await new_habit(database, fam, name=n) for n in "ABCD"]
    await service.archive_habit(fam.actor(fam.parent), b.id)
    await service.reorder_habits(fam.actor(fam.parent), fam.family.id, [d.id, c.id, a.id])
    listed = await service.list_habits(fam.actor(fam.parent), fam.family.id, include_archived=True)
    assert [h.name for h in listed] == ["D", "B", "C", "A"]


async def test_reorder_refuses_stale_or_repeated_ids(database: Database) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    a, b = [await new_habit(database, fam, name=n) for n in "AB"]
    with pytest.raises(ConflictError, match="The list of habits changed"):
        await service.reorder_habits(fam.actor(fam.parent), fam.family.id, [b.id, uuid.uuid4()])
    with pytest.raises(InvalidInputError, match="Order: a habit appears twice"):
        await service.reorder_habits(fam.actor(fam.parent), fam.family.id, [b.id, b.id, a.id])
    listed = await service.list_habits(fam.actor(fam.parent), fam.family.id)
    assert [h.name for h in listed] == ["A", "B"]


# --- reading habits -----------------------------------------------------------------------------


async def test_family_list_is_grouped_by_member_and_readable_by_viewers(
    database: Database,
) -> None:
    fam = await make_family(database)
    await new_habit(database, fam, who="child", name="Child 1")
    await new_habit(database, fam, who="owner", name="Owner 1")
    await new_habit(database, fam, who="child", name="Child 2")
    service = HabitService(database)
    listed = await service.list_habits(fam.actor(fam.viewer), fam.family.id)
    assert [h.name for h in listed] == ["Owner 1", "Child 1", "Child 2"]
    mine = await service.list_habits(fam.actor(fam.child), fam.family.id, fam.child.user_id)
    assert [h.name for h in mine] == ["Child 1", "Child 2"]


async def test_outsiders_cannot_list_habits(database: Database) -> None:
    fam = await make_family(database)
    stranger = (await UserService(database).create_user({"full_name": "Stranger"})).value
    with pytest.raises(PermissionDeniedError, match="Only members of this family can see habits"):
        await HabitService(database).list_habits(Actor.member(stranger.id), fam.family.id)


async def test_habits_of_removed_members_leave_the_lists(database: Database) -> None:
    fam = await make_family(database)
    await new_habit(database, fam, who="child")
    await FamilyService(database).remove_member(fam.actor(fam.owner), fam.child.membership_id)
    service = HabitService(database)
    assert await service.list_habits(fam.actor(fam.owner), fam.family.id) == []
    assert await service.habits_due_on(fam.actor(fam.owner), fam.family.id, today()) == []


async def test_lists_take_a_constant_number_of_queries(database: Database) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    admin = Actor.local_admin()
    counts = []
    for extra in (1, 5):
        for i in range(extra):
            habit = await new_steps(database, fam, name=f"H{i}", effective_from=days_ago(9))
            await service.update_habit(admin, habit.id, {"target_value": 5_000 + i})
            await service.set_entry(admin, habit.id, days_ago(1), {"value": 7_000})
        with count_queries(database) as listed:
            assert len(await service.list_habits(admin, fam.family.id)) >= extra
        with count_queries(database) as due:
            await service.habits_due_on(admin, fam.family.id, today())
        with count_queries(database) as history:
            await service.entries_for_member(
                fam.actor(fam.parent), fam.child.user_id, days_ago(30), today()
            )
        counts.append((len(listed), len(due), len(history)))
    assert counts[0] == counts[1]
    assert counts[0][2] <= 2


# --- entries ------------------------------------------------------------------------------------


async def test_boolean_entries_from_status_value_or_skip(database: Database) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    parent = fam.actor(fam.parent)
    habit = await new_habit(database, fam, effective_from=days_ago(10))
    done = await service.set_entry(
        parent, habit.id, days_ago(3), {"status": "done", "note": " ok "}
    )
    assert (done.value.value, done.value.status, done.value.note) == (1.0, EntryStatus.DONE, "ok")
    assert done.value.recorded_by == fam.parent.user_id
    assert Kind.ENTRIES in done.changes.kinds
    missed = await service.set_entry(parent, habit.id, days_ago(2), {"value": 0})
    assert (missed.value.value, missed.value.status) == (0.0, EntryStatus.MISSED)
    skipped = await service.set_entry(parent, habit.id, days_ago(1), {"skip": True})
    assert skipped.value.status is EntryStatus.SKIPPED
    with pytest.raises(InvalidInputError, match=r"Value: a yes/no habit takes 1 \(done\) or 0"):
        await service.set_entry(parent, habit.id, today(), {"value": 3})
    with pytest.raises(InvalidInputError, match="Status: a skipped day cannot also be done"):
        await service.set_entry(parent, habit.id, today(), {"skip": True, "status": "done"})


async def test_numeric_at_least_keeps_partial_values(database: Database) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    parent = fam.actor(fam.parent)
    habit = await new_steps(database, fam, effective_from=days_ago(5))
    partial = await service.set_entry(parent, habit.id, days_ago(2), {"value": 6_500})
    assert (partial.value.value, partial.value.status) == (6_500.0, EntryStatus.MISSED)
    reached = await service.set_entry(parent, habit.id, days_ago(1), {"value": 10_000})
    assert reached.value.status is EntryStatus.DONE
    beyond = await service.set_entry(parent, habit.id, today(), {"value": 14_210.5})
    assert (beyond.value.value, beyond.value.status) == (14_210.5, EntryStatus.DONE)
    with pytest.raises(InvalidInputError, match="Value: enter the number of steps"):
        await service.set_entry(parent, habit.id, today(), {})
    with pytest.raises(InvalidInputError, match="Value: must not be negative"):
        await service.set_entry(parent, habit.id, today(), {"value": -1})
    with pytest.raises(InvalidInputError, match="Value: must be a finite number"):
        await service.set_entry(parent, habit.id, today(), {"value": "inf"})


async def test_numeric_at_most(database: Database) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    parent = fam.actor(fam.parent)
    habit = await new_steps(
        database, fam, name="Screen", target_value=60, unit="min", direction="at_most"
    )
    assert (await service.set_entry(parent, habit.id, today(), {"value": 45})).value.status is (
        EntryStatus.DONE
    )
    assert (await service.set_entry(parent, habit.id, today(), {"value": 60})).value.status is (
        EntryStatus.DONE
    )
    assert (await service.set_entry(parent, habit.id, today(), {"value": 75})).value.status is (
        EntryStatus.MISSED
    )


async def test_future_days_are_refused_with_a_clear_message(database: Database) -> None:
    fam = await make_family(database)
    habit = await new_habit(database, fam)
    tomorrow = today() + timedelta(days=1)
    with pytest.raises(InvalidInputError) as caught:
        await HabitService(database).set_entry(
            fam.actor(fam.parent), habit.id, tomorrow, {"status": "done"}
        )
    assert caught.value.message == (
        f"Day: {tomorrow.isoformat()} is in the future; you can record days up to today "
        f"({today().isoformat()})."
    )
    assert await entry_rows(database) == []
    assert await ledger_lines(database) == 0


async def test_set_clear_and_set_again_revives_the_same_entry(database: Database) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    parent = fam.actor(fam.parent)
    habit = await new_habit(database, fam)
    first = (await service.set_entry(parent, habit.id, today(), {"status": "done"})).value
    assert await service.count_entries(habit.id) == 1
    cleared = await service.clear_entry(parent, habit.id, today())
    assert Kind.ENTRIES in cleared.changes.kinds
    assert await service.entries_in_range(habit.id, today(), today()) == []
    assert await service.count_entries(habit.id) == 0
    nothing = await service.clear_entry(parent, habit.id, today())
    assert not nothing.changes
    again = (await service.set_entry(parent, habit.id, today(), {"status": "missed"})).value
    assert again.id == first.id
    assert again.status is EntryStatus.MISSED
    assert again.version > first.version
    assert await service.entries_in_range(habit.id, today(), today()) == [again]
    assert len(await entry_rows(database)) == 1


async def test_points_are_awarded_and_undone_keeping_the_balance_right(
    database: Database,
) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    parent = fam.actor(fam.parent)
    habit = await new_habit(database, fam, points=10)
    done = await service.set_entry(parent, habit.id, today(), {"status": "done"})
    assert Kind.POINTS in done.changes.kinds
    assert await balance(database, fam) == 10
    same = await service.set_entry(parent, habit.id, today(), {"status": "done"})
    assert Kind.POINTS not in same.changes.kinds
    assert await balance(database, fam) == 10
    await service.set_entry(parent, habit.id, today(), {"status": "missed"})
    assert await balance(database, fam) == 0
    await service.set_entry(parent, habit.id, today(), {"status": "done"})
    await service.set_entry(parent, habit.id, days_ago(1), {"status": "done"})
    assert await balance(database, fam) == 20
    cleared = await service.clear_entry(parent, habit.id, today())
    assert Kind.POINTS in cleared.changes.kinds
    assert await balance(database, fam) == 10
    await service.set_entry(parent, habit.id, days_ago(1), {"skip": True})
    assert await balance(database, fam) == 0
    # The ledger is append-only: every move is a line of its own.
    assert await ledger_lines(database) == 6
    assert await balance(database, fam, who="parent") == 0


async def test_children_record_their_own_habits_only(database: Database) -> None:
    fam = await make_family(database)
    sibling = (
        await FamilyService(database).add_member(
            Actor.local_admin(),
            fam.family.id,
            {"user": {"full_name": "Tom Martin"}, "role": Role.CHILD},
        )
    ).value
    service = HabitService(database)
    own = await new_habit(database, fam, points=4)
    theirs = (
        await service.create_habit(
            fam.actor(fam.owner),
            {"family_id": fam.family.id, "user_id": sibling.user_id, "name": "Piano", "points": 4},
        )
    ).value
    child = fam.actor(fam.child)
    result = await service.set_entry(child, own.id, today(), {"status": "done"})
    assert result.value.recorded_by == fam.child.user_id
    await service.set_note(child, own.id, today(), "Finished the book!")
    with pytest.raises(
        PermissionDeniedError, match="A child can only check off habits for themselves"
    ):
        await service.set_entry(child, theirs.id, today(), {"status": "done"})
    with pytest.raises(PermissionDeniedError, match="A child can only check off habits"):
        await service.clear_entry(child, theirs.id, today())
    with pytest.raises(PermissionDeniedError, match="A viewer cannot check off habits"):
        await service.set_entry(fam.actor(fam.viewer), own.id, today(), {"status": "missed"})
    with pytest.raises(PermissionDeniedError, match="A viewer cannot add notes"):
        await service.set_note(fam.actor(fam.viewer), own.id, today(), "Bravo")
    assert await service.entries_in_range(theirs.id, today(), today()) == []
    [entry] = await service.entries_in_range(own.id, today(), today())
    assert (entry.status, entry.note) == (EntryStatus.DONE, "Finished the book!")
    assert await ledger_lines(database) == 1


async def test_stale_entry_version_is_a_conflict(database: Database) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    habit = await new_steps(database, fam)
    first = (
        await service.set_entry(fam.actor(fam.owner), habit.id, today(), {"value": 4_000})
    ).value
    await service.set_entry(
        fam.actor(fam.parent),
        habit.id,
        today(),
        {"value": 11_000, "expected_version": first.version},
    )
    rows = await entry_rows(database)
    with pytest.raises(ConflictError, match="Someone else changed this entry"):
        await service.set_entry(
            fam.actor(fam.owner),
            habit.id,
            today(),
            {"value": 5_000, "expected_version": first.version},
        )
    await service.clear_entry(fam.actor(fam.parent), habit.id, days_ago(1))
    with pytest.raises(ConflictError, match="Someone else cleared this day"):
        await service.set_entry(
            fam.actor(fam.owner), habit.id, days_ago(1), {"value": 1, "expected_version": 1}
        )
    assert await entry_rows(database) == rows
    assert await balance(database, fam) == 5


async def test_notes(database: Database) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    parent = fam.actor(fam.parent)
    habit = await new_habit(database, fam)
    with pytest.raises(InvalidInputError, match="Note: nothing is recorded for Read 20 minutes"):
        await service.set_note(parent, habit.id, today(), "Hello")
    await service.set_entry(parent, habit.id, today(), {"status": "done"})
    noted = await service.set_note(parent, habit.id, today(), "  Read in the garden 🌳 ")
    assert noted.value.note == "Read in the garden 🌳"
    assert noted.changes.kinds == {Kind.ENTRIES}
    rows = await entry_rows(database)
    with pytest.raises(
        InvalidInputError, match=r"Note: must be at most 2000 characters \(it has 2001\)"
    ):
        await service.set_note(parent, habit.id, today(), "n" * 2001)
    assert await entry_rows(database) == rows
    ticked_again = await service.set_entry(parent, habit.id, today(), {"status": "missed"})
    assert ticked_again.value.note == "Read in the garden 🌳"
    removed = await service.set_note(parent, habit.id, today(), "")
    assert removed.value.note is None
    await service.set_entry(parent, habit.id, days_ago(1), {"status": "done", "note": "Old"})
    await service.clear_entry(parent, habit.id, days_ago(1))
    afresh = await service.set_entry(parent, habit.id, days_ago(1), {"status": "done"})
    assert afresh.value.note is None


# --- reading entries ----------------------------------------------------------------------------


async def test_entries_in_range_and_pages(database: Database) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    parent = fam.actor(fam.parent)
    habit = await new_steps(database, fam, effective_from=days_ago(20))
    written: list[HabitEntryRead] = []
    for n in range(10, -1, -1):
        result = await service.set_entry(parent, habit.id, days_ago(n), {"value": 1_000 * n})
        written.append(result.value)
    # The cheaply built read-models equal validated ones, field for field.
    in_range = await service.entries_in_range(habit.id, days_ago(10), today())
    assert in_range == written
    assert [e.model_dump() for e in in_range] == [e.model_dump() for e in written]
    assert in_range[0].model_fields_set == written[0].model_fields_set
    assert {hash(e) for e in in_range} == {hash(e) for e in written}
    assert [e.day for e in await service.entries_in_range(habit.id, days_ago(3), days_ago(2))] == [
        days_ago(3),
        days_ago(2),
    ]
    page = await service.entries_page(habit.id, offset=2, limit=3)
    assert [e.day for e in page] == [days_ago(2), days_ago(3), days_ago(4)]
    oldest = await service.entries_page(habit.id, offset=0, limit=2, newest_first=False)
    assert [e.day for e in oldest] == [days_ago(10), days_ago(9)]
    assert await service.count_entries(habit.id) == 11
    with pytest.raises(InvalidInputError, match=r"Dates: the start \(.*\) is after the end"):
        await service.entries_in_range(habit.id, today(), days_ago(1))
    with pytest.raises(InvalidInputError, match="Limit: must be between 1 and 1000"):
        await service.entries_page(habit.id, offset=0, limit=0)


async def test_history_of_a_member_is_one_query_by_day_then_habit(database: Database) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    parent = fam.actor(fam.parent)
    walk = await new_steps(database, fam, effective_from=days_ago(10))
    read = await new_habit(database, fam, effective_from=days_ago(10))
    other = await new_habit(database, fam, who="parent", name="Parent's")
    await service.reorder_habits(parent, fam.family.id, [read.id, walk.id], fam.child.user_id)
    await service.set_entry(parent, walk.id, days_ago(2), {"value": 12_000})
    await service.set_entry(parent, read.id, days_ago(2), {"status": "missed", "note": "tired"})
    await service.set_entry(fam.actor(fam.child), walk.id, days_ago(1), {"value": 3_000})
    await service.set_entry(parent, read.id, days_ago(5), {"skip": True})
    await service.set_entry(parent, other.id, days_ago(1), {"status": "done"})
    await service.set_entry(parent, read.id, today(), {"status": "done"})
    await service.clear_entry(parent, read.id, today())
    await service.archive_habit(parent, walk.id)

    with count_queries(database) as queries:
        history = await service.entries_for_member(
            fam.actor(fam.viewer), fam.child.user_id, days_ago(3), today()
        )
    assert len(queries) == 1  # the permission check rides along as a subquery
    assert gc.isenabled(), "the collector is held only while the history is built"
    assert len(history) == 3
    assert list(history.rows()) == [
        (read.id, days_ago(2), 0.0, EntryStatus.MISSED, "tired", fam.parent.user_id, 1),
        (walk.id, days_ago(2), 12_000.0, EntryStatus.DONE, None, fam.parent.user_id, 1),
        (walk.id, days_ago(1), 3_000.0, EntryStatus.MISSED, None, fam.child.user_id, 1),
    ]
    assert history.for_habit(walk.id).days == (days_ago(2), days_ago(1))
    assert all(type(i) is uuid.UUID for i in history.habit_ids + history.recorded_by)

    everything = await service.entries_for_member(
        Actor.local_admin(), fam.child.user_id, days_ago(10), today()
    )
    assert everything.statuses == (
        EntryStatus.SKIPPED,
        EntryStatus.MISSED,
        EntryStatus.DONE,
        EntryStatus.MISSED,
    )
    empty = await service.entries_for_member(
        fam.actor(fam.parent), fam.child.user_id, today(), today()
    )
    assert (len(empty), empty.days) == (0, ())


async def test_outsiders_cannot_read_a_members_history(database: Database) -> None:
    fam = await make_family(database)
    stranger = (await UserService(database).create_user({"full_name": "Stranger"})).value
    with pytest.raises(PermissionDeniedError, match="Only members of this person's family"):
        await HabitService(database).entries_for_member(
            Actor.member(stranger.id), fam.child.user_id, days_ago(3), today()
        )
    assert gc.isenabled()


# --- what is due on a day -----------------------------------------------------------------------


async def test_habits_due_on_a_day(database: Database) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    parent = fam.actor(fam.parent)
    day = today()
    weekday_name = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]
    other_name = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[(day.weekday() + 1) % 7]
    on_today = await new_habit(database, fam, name="On today", weekdays=[weekday_name])
    not_today = await new_habit(database, fam, name="Not today", weekdays=[other_name])
    twice = await new_habit(
        database, fam, name="Twice a week", freq_num=2, freq_den=7, effective_from=days_ago(30)
    )
    later = await new_habit(
        database, fam, name="Starts later", effective_from=day + timedelta(days=3)
    )
    await service.set_entry(parent, twice.id, days_ago(6), {"status": "done"})
    await service.set_entry(parent, twice.id, days_ago(7), {"status": "done"})
    await service.set_entry(parent, on_today.id, day, {"status": "done"})

    due = {
        d.habit.id: d
        for d in await service.habits_due_on(fam.actor(fam.viewer), fam.family.id, day)
    }
    assert list(due) == [on_today.id, not_today.id, twice.id, later.id]
    assert due[on_today.id].due and due[on_today.id].entry is not None
    assert due[on_today.id].entry.status is EntryStatus.DONE
    assert due[on_today.id].completions_in_window == 1
    assert not due[not_today.id].due and due[not_today.id].entry is None
    assert due[twice.id].due and due[twice.id].completions_in_window == 1
    assert not due[later.id].due and not due[later.id].started

    await service.set_entry(parent, twice.id, days_ago(2), {"status": "done"})
    tomorrow_like = await service.habits_due_on(parent, fam.family.id, day)
    twice_now = next(d for d in tomorrow_like if d.habit.id == twice.id)
    assert not twice_now.due
    assert twice_now.completions_in_window == 2
    await service.set_entry(parent, twice.id, day, {"status": "done"})
    twice_done = next(
        d for d in await service.habits_due_on(parent, fam.family.id, day) if d.habit.id == twice.id
    )
    assert (twice_done.due, twice_done.completions_in_window) == (False, 3)


# --- the family's days, for the history screens ---------------------------------------------------


@contextmanager
def every_statement(db: Database) -> Iterator[list[str]]:
    """Every statement sent, whatever it is (a history screen may spend six in all)."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


async def test_family_days_give_every_habit_its_versions_and_days_by_status(
    database: Database,
) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    parent = fam.actor(fam.parent)
    read = await new_habit(database, fam, effective_from=days_ago(20))
    await service.update_habit(
        parent, read.id, {"weekdays": ["mon", "wed", "fri"], "effective_from": days_ago(5)}
    )
    walk = await new_steps(database, fam, effective_from=days_ago(20))
    mine = await new_habit(database, fam, who="parent", name="Stretch")
    for n in (1, 3, 9):
        await service.set_entry(parent, read.id, days_ago(n), {"status": "done"})
    await service.set_entry(parent, read.id, days_ago(4), {"skip": True})
    await service.set_entry(parent, read.id, days_ago(2), {"status": "missed"})
    await service.set_entry(parent, read.id, days_ago(15), {"status": "done"})  # before the range
    await service.set_entry(parent, read.id, days_ago(6), {"status": "done"})
    await service.clear_entry(parent, read.id, days_ago(6))  # cleared: not a recorded day
    await service.set_entry(parent, walk.id, days_ago(1), {"value": 3_000})
    await service.archive_habit(parent, walk.id)
    await service.set_entry(parent, mine.id, today(), {"status": "done"})

    found = await service.family_days(fam.actor(fam.viewer), fam.family.id, days_ago(10), today())
    assert (found.start, found.end, found.today) == (days_ago(10), today(), today())
    # Member then habit order, archived habits included (it is history).
    assert [(h.habit.id, h.habit.archived) for h in found.habits] == [
        (mine.id, False),
        (read.id, False),
        (walk.id, True),
    ]
    by_id = {h.habit.id: h for h in found.habits}
    days = by_id[read.id]
    assert days.done == (days_ago(9), days_ago(3), days_ago(1))
    assert (days.skipped, days.missed, days.recorded) == ((days_ago(4),), (days_ago(2),), 5)
    # Every version, oldest first; the habit itself shows today's rules.
    assert [(v.number, v.effective_from, v.weekdays) for v in days.versions] == [
        (1, days_ago(20), None),
        (2, days_ago(5), ("mon", "wed", "fri")),
    ]
    assert (days.habit.rules_version, days.habit.weekdays) == (2, ("mon", "wed", "fri"))
    assert by_id[walk.id].missed == (days_ago(1),)  # 3,000 of 10,000 steps
    assert by_id[mine.id].done == (today(),)
    assert all(type(d) is date for h in found.habits for d in h.done + h.skipped + h.missed)

    # The same days the member's own history reader gives, status for status.
    history = await service.entries_for_member(parent, fam.child.user_id, days_ago(10), today())
    expected = set(zip(history.habit_ids, history.days, history.statuses, strict=True))
    got = {
        (h.habit.id, d, status)
        for h in found.habits
        for status, days_ in (
            (EntryStatus.DONE, h.done),
            (EntryStatus.SKIPPED, h.skipped),
            (EntryStatus.MISSED, h.missed),
        )
        for d in days_
        if h.habit.user_id == fam.child.user_id
    }
    assert got == expected

    one = await service.family_days(
        fam.actor(fam.child), fam.family.id, days_ago(2), days_ago(1), user_id=fam.child.user_id
    )
    assert [h.habit.id for h in one.habits] == [read.id, walk.id]
    assert (one.habits[0].done, one.habits[0].missed) == ((days_ago(1),), (days_ago(2),))


async def test_family_days_take_two_statements_whatever_the_members_and_days(
    database: Database,
) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    parent = fam.actor(fam.parent)
    first = await new_habit(database, fam, effective_from=days_ago(30))
    await service.set_entry(parent, first.id, days_ago(1), {"status": "done"})
    await service.family_days(parent, fam.family.id, days_ago(30), today())  # warm up

    with every_statement(database) as small:
        found = await service.family_days(parent, fam.family.id, days_ago(30), today())
    assert sum(h.recorded for h in found.habits) == 1

    for who in ("owner", "parent", "child"):
        for name in ("Read", "Walk"):
            habit = await new_habit(
                database, fam, who=who, name=f"{name} ({who})", effective_from=days_ago(30)
            )
            if name == "Walk":
                await service.update_habit(
                    parent, habit.id, {"freq_num": 3, "freq_den": 7, "effective_from": days_ago(9)}
                )
            for n in range(0, 30, 2):
                await service.set_entry(parent, habit.id, days_ago(n), {"status": "done"})
            await service.set_entry(parent, habit.id, days_ago(1), {"skip": True})

    with every_statement(database) as large:
        found = await service.family_days(parent, fam.family.id, days_ago(30), today())
    with every_statement(database) as as_admin:
        await service.family_days(Actor.local_admin(), fam.family.id, days_ago(30), today())
    assert len(found.habits) == 7
    assert sum(h.recorded for h in found.habits) == 1 + 6 * 16
    # The habits with their versions and the permission check, then the days.
    assert len(small) == len(large) == len(as_admin) == 2
    assert gc.isenabled()


async def test_family_days_are_for_members_only(database: Database) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    stranger = (await UserService(database).create_user({"full_name": "Stranger"})).value
    await new_habit(database, fam)
    for family in (fam, await make_family(database, "Dupont")):  # with habits and without
        with pytest.raises(PermissionDeniedError, match="Only members of this family"):
            await service.family_days(
                Actor.member(stranger.id), family.family.id, days_ago(3), today()
            )
    with pytest.raises(NotFoundError, match="family does not exist"):
        await service.family_days(Actor.local_admin(), uuid.uuid4(), days_ago(3), today())
    with pytest.raises(InvalidInputError, match="is after the end"):
        await service.family_days(Actor.local_admin(), fam.family.id, today(), days_ago(3))
    empty = await make_family(database, "Durand")
    with every_statement(database) as statements:
        nothing = await service.family_days(
            empty.actor(empty.viewer), empty.family.id, days_ago(3), today()
        )
    assert (nothing.habits, nothing.today) == ([], today())
    assert len(statements) == 2  # and the family with the actor's role, to say why
