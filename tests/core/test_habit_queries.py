"""The one-statement reads a screen switch is made of: a habit's first page of entries with its
total, and a family with the actor's role; and the day window the due-habit judging reads."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from habitdesk.core.db.database import Database
from habitdesk.core.domain.days import family_today
from habitdesk.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from habitdesk.core.models import Family, HabitEntry
from habitdesk.core.models.enums import Direction, EntryStatus, HabitKind, Role
from habitdesk.core.schemas.habits import HabitEntryRead, HabitRead, HabitVersionRead
from habitdesk.core.services.base import (
    EDITORS,
    READERS,
    Actor,
    family_and_role,
    get_live,
    require_role,
)
from habitdesk.core.services.habit_queries import due_window_start
from habitdesk.core.services.habits import HabitService
from habitdesk.core.services.people import UserService
from habitdesk.core.services.today import TodayService
from tests.core.factories import FamilyFixture, make_family


def today() -> date:
    # The factory family lives in Europe/Paris with the day starting at midnight.
    return family_today("Europe/Paris", 0)


def days_ago(n: int) -> date:
    return today() - timedelta(days=n)


async def new_habit(db: Database, fam: FamilyFixture, **fields: Any) -> HabitRead:
    data: dict[str, Any] = {
        "family_id": fam.family.id,
        "user_id": fam.child.user_id,
        "name": "Read 20 minutes",
        "effective_from": days_ago(400),
    }
    data.update(fields)
    return (await HabitService(db).create_habit(fam.actor(fam.parent), data)).value


async def insert_entries(db: Database, habit_id: uuid.UUID, days: list[date]) -> None:
    """Many days at once (through the service it would take a transaction a day)."""
    async with db.transaction() as session:
        session.add_all(
            HabitEntry(
                id=uuid.uuid4(), habit_id=habit_id, day=day, value=1.0, status=EntryStatus.DONE
            )
            for day in days
        )


@contextmanager
def count_statements(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "INSERT", "UPDATE", "DELETE", "WITH")):
            statements.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


# --- a habit's first page of entries --------------------------------------------------------------


async def test_first_page_comes_with_the_total_in_one_statement(database: Database) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    parent = fam.actor(fam.parent)
    habit = await new_habit(database, fam)
    other = await new_habit(database, fam, name="Other")
    await insert_entries(database, habit.id, [days_ago(n) for n in range(1, 300)])
    await insert_entries(database, other.id, [days_ago(n) for n in range(1, 50)])
    await service.set_entry(parent, habit.id, today(), {"status": "missed", "note": "tired"})
    # A cleared day is neither counted nor listed.
    await service.clear_entry(parent, habit.id, days_ago(1))

    with count_statements(database) as statements:
        total, page = await service.entries_first_page(habit.id, 100)
    assert len(statements) == 1
    assert total == 299 == await service.count_entries(habit.id)
    assert page == await service.entries_page(habit.id, 0, 100)
    assert [e.day for e in page[:3]] == [today(), days_ago(2), days_ago(3)]
    assert page[0].status is EntryStatus.MISSED and page[0].note == "tired"
    assert page[0].recorded_by == fam.parent.user_id
    # Built like every other page: plain UUIDs, equal to validated models.
    assert all(type(e.id) is uuid.UUID and type(e.habit_id) is uuid.UUID for e in page)
    assert page == [HabitEntryRead.model_validate(e.model_dump()) for e in page]

    total, oldest = await service.entries_first_page(habit.id, 5, newest_first=False)
    assert total == 299
    assert oldest == await service.entries_page(habit.id, 0, 5, newest_first=False)
    assert oldest[0].day == days_ago(299)

    # A page larger than the history holds all of it.
    total, everything = await service.entries_first_page(other.id, 1000)
    assert total == len(everything) == 49


async def test_a_habit_without_entries_has_none_in_one_statement(database: Database) -> None:
    fam = await make_family(database)
    habit = await new_habit(database, fam)
    with count_statements(database) as statements:
        assert await HabitService(database).entries_first_page(habit.id, 100) == (0, [])
    assert len(statements) == 1


async def test_first_page_of_a_removed_or_unknown_habit_is_not_found(database: Database) -> None:
    fam = await make_family(database)
    service = HabitService(database)
    habit = await new_habit(database, fam)
    await insert_entries(database, habit.id, [days_ago(n) for n in range(1, 10)])
    await service.remove_habit(fam.actor(fam.parent), habit.id)
    message = r"That habit does not exist \(it may have been removed\)\."
    with pytest.raises(NotFoundError, match=message):
        await service.entries_first_page(habit.id, 100)
    with pytest.raises(NotFoundError, match=message):
        await service.entries_first_page(uuid.uuid4(), 100)


@pytest.mark.parametrize("limit", [0, -1, 1001])
async def test_first_page_refuses_a_page_size_out_of_range(database: Database, limit: int) -> None:
    fam = await make_family(database)
    habit = await new_habit(database, fam)
    with pytest.raises(
        InvalidInputError, match=rf"Limit: must be between 1 and 1000 \(it is {limit}\)\."
    ):
        await HabitService(database).entries_first_page(habit.id, limit)


# --- a family with the actor's role ---------------------------------------------------------------


async def test_family_and_role_in_one_statement(database: Database) -> None:
    fam = await make_family(database)
    for who, role in ((fam.owner, Role.OWNER), (fam.child, Role.CHILD), (fam.viewer, Role.VIEWER)):
        async with database.read() as session:
            with count_statements(database) as statements:
                family, found = await family_and_role(
                    session, fam.actor(who), fam.family.id, READERS, "see habits"
                )
        assert len(statements) == 1
        assert (family.id, family.name, found) == (fam.family.id, "Martin", role)
        assert found is role
    async with database.read() as session:
        family, found = await family_and_role(
            session, Actor.local_admin(), fam.family.id, EDITORS, "change habits"
        )
    assert (family.id, found) == (fam.family.id, Role.OWNER)


async def _refusal(call: Any) -> tuple[type[Exception], str]:
    with pytest.raises((NotFoundError, PermissionDeniedError)) as caught:
        await call
    return type(caught.value), str(caught.value)


async def test_family_and_role_refuses_as_the_two_calls_would(database: Database) -> None:
    """The same errors, with the same messages, as `get_live` followed by `require_role`."""
    fam = await make_family(database)
    other = await make_family(database, name="Dupont")
    stranger = (await UserService(database).create_user({"full_name": "Stranger"})).value
    async with database.transaction() as session:
        (await session.get(Family, other.family.id)).soft_delete()  # type: ignore[union-attr]

    async def two_calls(actor: Actor, family_id: uuid.UUID, allowed: Any, doing: str) -> Any:
        async with database.read() as session:
            await get_live(session, Family, family_id, "family")
            return await require_role(session, actor, family_id, allowed, doing)

    async def one_call(actor: Actor, family_id: uuid.UUID, allowed: Any, doing: str) -> Any:
        async with database.read() as session:
            return await family_and_role(session, actor, family_id, allowed, doing)

    cases = [
        (Actor.member(stranger.id), fam.family.id, READERS, "see habits"),
        (Actor(), fam.family.id, READERS, "see habits"),
        (fam.actor(fam.viewer), fam.family.id, EDITORS, "change habits"),
        (fam.actor(fam.child), fam.family.id, EDITORS, "change habits"),
        (fam.actor(fam.owner), uuid.uuid4(), READERS, "see habits"),
        # A removed family is not found, even for someone who was a member of it.
        (other.actor(other.owner), other.family.id, READERS, "see habits"),
        (Actor.local_admin(), other.family.id, READERS, "see habits"),
    ]
    for case in cases:
        expected = await _refusal(two_calls(*case))
        assert await _refusal(one_call(*case)) == expected, case
    assert await _refusal(one_call(*cases[0])) == (
        PermissionDeniedError,
        "Only members of this family can see habits.",
    )


# --- one judging of a family's habits on a day -----------------------------------------------------


async def test_the_today_screen_judges_habits_as_habits_due_on(database: Database) -> None:
    """Both read the same rows and judge them with `habit_queries.habits_due`."""
    fam = await make_family(database)
    service = HabitService(database)
    parent = fam.actor(fam.parent)
    daily = await new_habit(database, fam, name="Daily")
    await new_habit(database, fam, name="Piano", weekdays=["mon", "wed", "fri"])
    swim = await new_habit(database, fam, name="Swim", freq_num=2, freq_den=7)
    budget = await new_habit(
        database, fam, name="Budget", user_id=fam.parent.user_id, freq_num=1, freq_den=30
    )
    gone = await new_habit(database, fam, name="Archived")
    await service.update_habit(
        parent, daily.id, {"freq_num": 3, "freq_den": 7, "effective_from": days_ago(3)}
    )
    await service.set_entry(parent, swim.id, days_ago(5), {"status": "done"})
    await service.set_entry(parent, swim.id, days_ago(2), {"status": "done"})
    await service.set_entry(parent, budget.id, days_ago(20), {"status": "done"})
    await service.set_entry(parent, daily.id, today(), {"status": "done"})
    await service.set_entry(parent, daily.id, days_ago(4), {"skip": True})
    await service.archive_habit(parent, gone.id)

    judged = {}
    for day in (today(), days_ago(1), days_ago(4)):
        due_on = await service.habits_due_on(parent, fam.family.id, day)
        overview = await TodayService(database).day_overview(parent, fam.family.id, day)
        on_screen = [h for m in overview.members for h in m.habits + m.not_due_habits]
        assert {h.habit.id: h for h in on_screen} == {h.habit.id: h for h in due_on}, day
        judged[day] = {h.habit.name: h for h in due_on}
    assert set(judged[today()]) == {"Daily", "Piano", "Swim", "Budget"}
    # Twice in the week ending today: done for the week; on days_ago(4) only once so far.
    swim_now, swim_then = judged[today()]["Swim"], judged[days_ago(4)]["Swim"]
    assert (swim_now.completions_in_window, swim_now.due) == (2, False)
    assert (swim_then.completions_in_window, swim_then.due) == (1, True)
    # Each day by the rules of its day: "Daily" asks three a week only from days_ago(3).
    assert judged[days_ago(4)]["Daily"].habit.freq_den == 1
    assert judged[today()]["Daily"].habit.freq_den == 7
    assert judged[today()]["Budget"].completions_in_window == 1


# --- which days the due-habit judging reads -----------------------------------------------------


def _version(number: int, effective_from: date, **rules: Any) -> HabitVersionRead:
    data: dict[str, Any] = {
        "id": uuid.uuid4(),
        "habit_id": uuid.uuid4(),
        "number": number,
        "effective_from": effective_from,
        "kind": HabitKind.BOOLEAN,
        "target_value": None,
        "unit": None,
        "direction": Direction.AT_LEAST,
        "freq_num": 1,
        "freq_den": 1,
        "weekdays": None,
        "created_at": datetime(2024, 1, 1, tzinfo=UTC),
    }
    data.update(rules)
    return HabitVersionRead(**data)


def test_due_window_is_the_longest_period_in_force_on_the_day() -> None:
    day = date(2025, 3, 20)
    daily = [_version(1, date(2025, 1, 1))]
    weekly_then_monthly = [
        _version(1, date(2025, 1, 1), freq_num=3, freq_den=7),
        _version(2, date(2025, 4, 1), freq_num=10, freq_den=30),
    ]
    assert due_window_start([], day) == day
    assert due_window_start([daily], day) == day
    # On the 20th of March the second habit asks 3 in 7 days; a month only from April.
    assert due_window_start([daily, weekly_then_monthly], day) == date(2025, 3, 14)
    assert due_window_start([daily, weekly_then_monthly], date(2025, 4, 30)) == date(2025, 4, 1)
