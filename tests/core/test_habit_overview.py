"""The Habits screen's one read: habits, rules, last 30 days and streaks, on every backend."""

from __future__ import annotations

import gc
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from habitdesk.core.db.database import Database
from habitdesk.core.domain.days import family_today
from habitdesk.core.errors import NotFoundError, PermissionDeniedError
from habitdesk.core.models import HabitEntry
from habitdesk.core.models.enums import EntryStatus
from habitdesk.core.schemas.habit_overview import (
    STRIP_DAYS,
    DetailPick,
    HabitOverviewRead,
)
from habitdesk.core.schemas.habits import HabitRead
from habitdesk.core.schemas.stats import StreakRead
from habitdesk.core.services.base import Actor
from habitdesk.core.services.habit_insights import HabitInsightsService
from habitdesk.core.services.habit_overview import HabitOverviewService
from habitdesk.core.services.habits import HabitService
from habitdesk.core.services.people import UserService
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
        "effective_from": days_ago(60),
    }
    data.update(fields)
    return (await HabitService(db).create_habit(fam.actor(fam.parent), data)).value


async def insert_entries(
    db: Database,
    habit_id: uuid.UUID,
    days: Iterable[date],
    status: EntryStatus = EntryStatus.DONE,
    value: float | None = None,
) -> None:
    """Years of history at once (through the service it would take a transaction a day)."""
    async with db.transaction() as session:
        session.add_all(
            HabitEntry(
                id=uuid.uuid4(),
                habit_id=habit_id,
                day=day,
                value=value if value is not None else (1.0 if status is EntryStatus.DONE else 0.0),
                status=status,
            )
            for day in days
        )


def span(first: int, last: int) -> list[date]:
    """days_ago(first) … days_ago(last), oldest first."""
    return [days_ago(n) for n in range(first, last - 1, -1)]


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


def by_name(overview: list[HabitOverviewRead]) -> dict[str, HabitOverviewRead]:
    return {o.habit.name: o for o in overview}


async def test_each_habit_with_rules_strip_and_streaks(database: Database) -> None:
    fam = await make_family(database)
    habits = HabitService(database)
    parent = fam.actor(fam.parent)
    read = await new_habit(database, fam, colour="#3FA66B")
    walk = await new_habit(
        database, fam, name="Walk", kind="numeric", target_value=8000, unit="steps"
    )
    # Read: ten days done, a miss, then done from eight days ago to yesterday (today open).
    await insert_entries(database, read.id, span(20, 11))
    await insert_entries(database, read.id, span(8, 1))
    # Walk through the service: values, a miss, a skip, today.
    await habits.set_entry(parent, walk.id, days_ago(3), {"value": 9000})
    await habits.set_entry(parent, walk.id, days_ago(2), {"value": 4000, "note": "rain"})
    await habits.set_entry(parent, walk.id, days_ago(1), {"skip": True})
    await habits.set_entry(parent, walk.id, today(), {"value": 8000})

    overview = await HabitOverviewService(database).overview(fam.actor(fam.viewer), fam.family.id)
    assert [o.habit.name for o in overview] == ["Read 20 minutes", "Walk"]
    found = by_name(overview)
    reading = found["Read 20 minutes"]
    assert reading.habit.colour == "#3FA66B"
    assert [d.day for d in reading.days] == span(STRIP_DAYS - 1, 0)
    assert reading.days[-1].day == today() and reading.days[-1].status is None
    assert reading.days[-2].status is EntryStatus.DONE and reading.days[-2].held
    assert reading.days[-10].status is None and not reading.days[-10].held  # days_ago(9)
    assert reading.current_streak == StreakRead(length=8, start=days_ago(8), end=days_ago(1))
    assert reading.best_streak == StreakRead(length=10, start=days_ago(20), end=days_ago(11))
    assert reading.total_done == 18
    assert [v.number for v in reading.versions] == [1]

    walking = found["Walk"]
    assert walking.habit.unit == "steps" and walking.habit.target_value == 8000
    last4 = [(d.status, d.value) for d in walking.days[-4:]]
    assert last4 == [
        (EntryStatus.DONE, 9000.0),
        (EntryStatus.MISSED, 4000.0),
        (EntryStatus.SKIPPED, 0.0),
        (EntryStatus.DONE, 8000.0),
    ]
    # The skipped day neither breaks nor extends; the missed one breaks.
    assert walking.current_streak == StreakRead(length=1, start=today(), end=today())
    assert walking.best_streak.length == 1
    assert gc.isenabled()


async def test_a_habit_never_held_has_no_streaks(database: Database) -> None:
    fam = await make_family(database)
    never = await new_habit(database, fam, name="Never")
    broken = await new_habit(database, fam, name="Broken")
    await insert_entries(database, never.id, span(3, 1), EntryStatus.MISSED)
    await insert_entries(database, broken.id, span(6, 5))
    await insert_entries(database, broken.id, span(4, 1), EntryStatus.MISSED)

    found = by_name(
        await HabitOverviewService(database).overview(fam.actor(fam.viewer), fam.family.id)
    )
    assert (found["Never"].current_streak, found["Never"].best_streak) == (None, None)
    assert found["Broken"].current_streak is None
    assert found["Broken"].best_streak == StreakRead(length=2, start=days_ago(6), end=days_ago(5))


async def test_cleared_days_count_nowhere(database: Database) -> None:
    fam = await make_family(database)
    habits = HabitService(database)
    parent = fam.actor(fam.parent)
    habit = await new_habit(database, fam)
    for n in (6, 5, 3, 2, 1):
        await habits.set_entry(parent, habit.id, days_ago(n), {"status": "done"})
    await habits.set_entry(parent, habit.id, days_ago(4), {"skip": True})
    before = (await HabitOverviewService(database).overview(parent, fam.family.id))[0]
    assert before.current_streak == StreakRead(length=5, start=days_ago(6), end=days_ago(1))
    # Cleared, a done day and a skipped one are days with nothing recorded: both break.
    await habits.clear_entry(parent, habit.id, days_ago(2))
    await habits.clear_entry(parent, habit.id, days_ago(4))
    found = (await HabitOverviewService(database).overview(parent, fam.family.id))[0]
    assert found.total_done == 4
    assert found.current_streak == StreakRead(length=1, start=days_ago(1), end=days_ago(1))
    assert found.best_streak == StreakRead(length=2, start=days_ago(6), end=days_ago(5))
    strip = {d.day: d for d in found.days}
    assert strip[days_ago(2)].status is None and not strip[days_ago(2)].held
    assert strip[days_ago(4)].status is None


async def test_streaks_follow_the_rules_of_each_day(database: Database) -> None:
    fam = await make_family(database)
    habits = HabitService(database)
    parent = fam.actor(fam.parent)
    day = today()
    habit = await new_habit(database, fam, name="Piano", effective_from=days_ago(30))
    # Daily until 14 days ago, then only on today's weekday: the days between are not due.
    weekday = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[day.weekday()]
    await habits.update_habit(
        parent, habit.id, {"weekdays": [weekday], "effective_from": days_ago(14)}
    )
    await insert_entries(database, habit.id, [*span(20, 15), days_ago(14), days_ago(7), day])
    found = (await HabitOverviewService(database).overview(parent, fam.family.id))[0]
    assert [v.number for v in found.versions] == [1, 2]
    assert found.habit.weekdays == (weekday,) and found.habit.rules_version == 2
    assert found.current_streak == StreakRead(length=9, start=days_ago(20), end=day)
    strip = {d.day: d for d in found.days}
    assert not strip[days_ago(10)].held and strip[days_ago(7)].held
    # Due: every day under the first rules, then only today's weekday.
    assert all(strip[days_ago(n)].due for n in range(STRIP_DAYS - 1, 14))
    assert [n for n in range(14, -1, -1) if strip[days_ago(n)].due] == [14, 7, 0]


async def test_times_per_week_windows_hold_days_without_checks(database: Database) -> None:
    fam = await make_family(database)
    habit = await new_habit(database, fam, name="Swim", freq_num=2, freq_den=7)
    await insert_entries(database, habit.id, [days_ago(40), days_ago(38), days_ago(9), days_ago(6)])
    found = (await HabitOverviewService(database).overview(fam.actor(fam.owner), fam.family.id))[0]
    strip = {d.day: d for d in found.days}
    # The window from days_ago(9) covers days 9 … 3 without a check on most of them.
    assert all(strip[days_ago(n)].held for n in range(9, 2, -1))
    assert strip[days_ago(7)].status is None
    # Days 2 … 0 are covered by no window yet, but one check more would: they wait.
    assert found.current_streak == StreakRead(length=7, start=days_ago(9), end=days_ago(3))
    assert found.best_streak.length == 7
    assert found.total_done == 4


async def test_one_member_archived_and_removed_habits(database: Database) -> None:
    fam = await make_family(database)
    habits = HabitService(database)
    parent = fam.actor(fam.parent)
    mine = await new_habit(database, fam, who="parent", name="Run")
    kept = await new_habit(database, fam, name="Read")
    old = await new_habit(database, fam, name="Old")
    gone = await new_habit(database, fam, name="Gone")
    await insert_entries(database, gone.id, span(3, 0))
    await habits.archive_habit(parent, old.id)
    await habits.remove_habit(parent, gone.id)
    # A removed entry is not history.
    await habits.set_entry(parent, kept.id, days_ago(1), {"status": "done"})
    await habits.set_entry(parent, kept.id, today(), {"status": "done"})
    await habits.clear_entry(parent, kept.id, today())

    service = HabitOverviewService(database)
    everyone = await service.overview(parent, fam.family.id)
    # Grouped by member in the family's order: the parent before the child.
    assert [o.habit.name for o in everyone] == ["Run", "Read", "Old"]
    assert by_name(everyone)["Old"].habit.archived
    child = await service.overview(parent, fam.family.id, fam.child.user_id)
    assert [o.habit.name for o in child] == ["Read", "Old"]
    active = await service.overview(
        parent, fam.family.id, fam.child.user_id, include_archived=False
    )
    assert [o.habit.name for o in active] == ["Read"]
    assert active[0].days[-1].status is None
    assert active[0].current_streak == StreakRead(length=1, start=days_ago(1), end=days_ago(1))
    assert mine.id not in {o.habit.id for o in child}
    assert await service.overview(parent, fam.family.id, fam.viewer.user_id) == []


async def test_a_chosen_day_judges_as_of_that_day(database: Database) -> None:
    fam = await make_family(database)
    habit = await new_habit(database, fam)
    await insert_entries(database, habit.id, span(12, 5))
    found = (
        await HabitOverviewService(database).overview(
            fam.actor(fam.owner), fam.family.id, today=days_ago(5)
        )
    )[0]
    assert found.days[-1].day == days_ago(5)
    assert found.current_streak == StreakRead(length=8, start=days_ago(12), end=days_ago(5))


async def test_outsiders_cannot_look(database: Database) -> None:
    fam = await make_family(database)
    await new_habit(database, fam)
    stranger = (await UserService(database).create_user({"full_name": "Stranger"})).value
    service = HabitOverviewService(database)
    with pytest.raises(PermissionDeniedError, match="Only members of this family"):
        await service.overview(Actor.member(stranger.id), fam.family.id)
    with pytest.raises(NotFoundError):
        await service.overview(fam.actor(fam.owner), uuid.uuid4())
    # The child and the viewer may look.
    assert len(await service.overview(fam.actor(fam.child), fam.family.id)) == 1


async def test_five_statements_whatever_the_length_of_the_history(database: Database) -> None:
    """And six with the selected habit's detail (its whole history: one statement more)."""
    fam = await make_family(database)
    service = HabitOverviewService(database)
    owner = fam.actor(fam.owner)
    counts = []
    with_detail = []

    async def count_with_detail(pick: DetailPick, user_id: uuid.UUID | None = None) -> Any:
        with count_statements(database) as statements:
            found = await service.overview_with_detail(owner, fam.family.id, pick, user_id)
        with_detail.append(len(statements))
        return found.detail

    short = await new_habit(database, fam, name="Short", effective_from=days_ago(5))
    await insert_entries(database, short.id, span(5, 0))
    with count_statements(database) as statements:
        await service.overview(owner, fam.family.id)
    counts.append(len(statements))
    await count_with_detail(DetailPick(selected=short.id))

    # Two years of history over several habits and members, rules changed along the way.
    for n, who in enumerate(("child", "parent", "owner", "child")):
        habit = await new_habit(
            database, fam, who=who, name=f"Long {n}", effective_from=days_ago(730)
        )
        await HabitService(database).update_habit(
            owner, habit.id, {"freq_num": 3, "freq_den": 7, "effective_from": days_ago(200)}
        )
        await insert_entries(database, habit.id, [days_ago(d) for d in range(730) if d % 5])
        await insert_entries(
            database, habit.id, [days_ago(d) for d in range(730) if d % 5 == 0], EntryStatus.MISSED
        )
    with count_statements(database) as statements:
        overview = await service.overview(owner, fam.family.id)
    counts.append(len(statements))
    with count_statements(database) as statements:
        await service.overview(owner, fam.family.id, fam.child.user_id)
    counts.append(len(statements))
    detail = await count_with_detail(DetailPick(selected=habit.id))
    await count_with_detail(DetailPick(), fam.child.user_id)
    # The family and the permission check are one statement (`base.family_and_role`).
    assert counts == [5, 5, 5], statements
    assert with_detail == [6, 6, 6]
    assert detail.habit_id == habit.id and detail.total_completions == 584
    assert len(overview) == 5
    long0 = by_name(overview)["Long 0"]
    # Daily until 200 days ago (every fifth day missed: runs of four), then 3 per week.
    assert long0.best_streak.length >= 200
    assert long0.total_done == 584


# --- the overview with the selected habit's detail -------------------------------------------


async def test_the_detail_read_with_the_list_is_the_habits_own(database: Database) -> None:
    fam = await make_family(database)
    owner = fam.actor(fam.owner)
    run = await new_habit(database, fam, who="parent", name="Run", effective_from=days_ago(400))
    read = await new_habit(database, fam, name="Read", effective_from=days_ago(400))
    await HabitService(database).update_habit(
        owner, read.id, {"freq_num": 3, "freq_den": 7, "effective_from": days_ago(100)}
    )
    await insert_entries(database, read.id, [days_ago(d) for d in range(400) if d % 4])
    await insert_entries(
        database, read.id, [days_ago(d) for d in range(400) if d % 4 == 0], EntryStatus.MISSED
    )
    await insert_entries(database, run.id, span(30, 1))
    service = HabitOverviewService(database)

    found = await service.overview_with_detail(owner, fam.family.id, DetailPick(read.id))
    assert found.detail == await HabitInsightsService(database).habit_detail(owner, read.id)
    assert list(found.habits) == await service.overview(owner, fam.family.id)
    assert found.detail is not None and found.detail.total_completions == 300
    # Nothing selected yet: the first habit listed (the parent's, as members are ordered).
    first = await service.overview_with_detail(owner, fam.family.id, DetailPick())
    assert first.detail is not None and first.detail.habit_id == run.id
    assert first.detail.current_streak == 30  # 30 days ago up to yesterday


async def test_the_detail_follows_what_the_screen_selects(database: Database) -> None:
    fam = await make_family(database)
    parent = fam.actor(fam.parent)
    old = await new_habit(database, fam, name="Old")
    kept = await new_habit(database, fam, name="Kept")
    mine = await new_habit(database, fam, who="parent", name="Mine")
    await HabitService(database).archive_habit(parent, old.id)
    service = HabitOverviewService(database)

    async def shown(pick: DetailPick, user_id: uuid.UUID | None = None) -> uuid.UUID | None:
        found = await service.overview_with_detail(parent, fam.family.id, pick, user_id)
        return found.detail.habit_id if found.detail else None

    child = fam.child.user_id
    assert await shown(DetailPick(kept.id)) == kept.id
    # Archived habits are passed over while the screen hides them, picked when it shows them.
    assert await shown(DetailPick(), child) == kept.id
    assert await shown(DetailPick(skip_archived=False), child) == old.id
    assert await shown(DetailPick(old.id)) == mine.id
    assert await shown(DetailPick(old.id, skip_archived=False)) == old.id
    # A habit not listed (another member's while one is filtered, or unknown): the first one.
    assert await shown(DetailPick(mine.id), child) == kept.id
    assert await shown(DetailPick(uuid.uuid4())) == mine.id
    assert await shown(DetailPick(), fam.viewer.user_id) is None
    stranger = (await UserService(database).create_user({"full_name": "Stranger"})).value
    with pytest.raises(PermissionDeniedError, match="Only members of this family"):
        await service.overview_with_detail(Actor.member(stranger.id), fam.family.id, DetailPick())
