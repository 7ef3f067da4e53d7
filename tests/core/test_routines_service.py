"""Routines, their versions and the runs of them, on every backend."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import event, select

from habitdesk.core.changes import Kind
from habitdesk.core.db.database import Database
from habitdesk.core.domain.weekdays import mask_from_names
from habitdesk.core.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from habitdesk.core.models import PointsEntry, RoutineStep, RoutineVersion
from habitdesk.core.models.enums import PointsSource, Role, RunStatus
from habitdesk.core.schemas.people import MemberRead
from habitdesk.core.schemas.routines import RoutineRead
from habitdesk.core.services.base import Actor
from habitdesk.core.services.ledger import balance
from habitdesk.core.services.people import FamilyService, UserService
from habitdesk.core.services.routines import RoutineService
from habitdesk.core.services.today import TodayService
from tests.core.factories import FamilyFixture, make_family

# Wednesday 4 March 2026, 09:00 in Paris (UTC+1 before the clocks change).
NOW = datetime(2026, 3, 4, 8, 0, tzinfo=UTC)
TODAY = date(2026, 3, 4)
SATURDAY = date(2026, 3, 7)
MORNING_STEPS = [
    {"title": "Wake up"},
    {"title": " Brush teeth ", "duration_minutes": 3, "points": 5},
    {"title": "Get dressed", "duration_minutes": 5, "points": 2},
    {"title": "Breakfast", "duration_minutes": 15},
]


@dataclass
class Setup:
    db: Database
    fam: FamilyFixture
    sibling: MemberRead
    routines: RoutineService

    @property
    def admin(self) -> Actor:
        return Actor.local_admin()

    def actor(self, who: MemberRead) -> Actor:
        return Actor.member(who.user_id)

    @property
    def owner(self) -> Actor:
        return self.actor(self.fam.owner)

    @property
    def parent(self) -> Actor:
        return self.actor(self.fam.parent)

    @property
    def child(self) -> Actor:
        return self.actor(self.fam.child)

    @property
    def viewer(self) -> Actor:
        return self.actor(self.fam.viewer)

    def morning(self, **overrides: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "family_id": self.fam.family.id,
            "user_id": self.fam.child.user_id,
            "name": "Morning routine",
            "weekdays": ["mon", "tue", "wed", "thu", "fri"],
            "start_time": "07:00",
            "finish_by": "07:45",
            "steps": MORNING_STEPS,
        }
        data.update(overrides)
        return data

    async def create(self, **overrides: Any) -> RoutineRead:
        return (await self.routines.create_routine(self.owner, self.morning(**overrides))).value

    async def points(self, who: MemberRead) -> int:
        async with self.db.read() as session:
            return await balance(session, self.fam.family.id, who.user_id)

    async def ledger(self) -> list[tuple[int, str]]:
        async with self.db.read() as session:
            rows = await session.scalars(
                select(PointsEntry)
                .where(PointsEntry.source == PointsSource.ROUTINE)
                .order_by(PointsEntry.created_at)
            )
            return [(e.amount, e.reason) for e in rows]


@pytest.fixture
async def s(database: Database) -> Setup:
    fam = await make_family(database)
    sibling = (
        await FamilyService(database).add_member(
            Actor.local_admin(),
            fam.family.id,
            {"user": {"full_name": "Hugo Martin"}, "role": Role.CHILD},
        )
    ).value
    return Setup(database, fam, sibling, RoutineService(database, clock=lambda: NOW))


@contextmanager
def count_selects(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


# --------------------------------------------------------------------------- creating


async def test_create_makes_version_one_with_ordered_trimmed_steps(s: Setup) -> None:
    result = await s.routines.create_routine(s.owner, s.morning(note="First try"))
    routine = result.value
    assert routine.name == "Morning routine"
    assert routine.user_id == s.fam.child.user_id
    assert routine.version_count == 1
    v1 = routine.current_version
    assert v1 == routine.latest_version
    assert v1.number == 1
    assert v1.effective_from == TODAY
    assert v1.note == "First try"
    assert v1.weekdays == ["mon", "tue", "wed", "thu", "fri"]
    assert v1.weekdays_text == "Mon–Fri"
    assert (v1.start_time, v1.finish_by) == (time(7, 0), time(7, 45))
    assert [(st.position, st.title) for st in v1.steps] == [
        (0, "Wake up"),
        (1, "Brush teeth"),
        (2, "Get dressed"),
        (3, "Breakfast"),
    ]
    assert (v1.total_minutes, v1.total_points) == (23, 7)
    assert v1.changes_from_previous == []
    assert result.changes.kinds == {Kind.ROUTINES}
    assert result.changes.family_ids == {s.fam.family.id}
    assert await s.routines.get_routine(routine.id) == routine


async def test_new_routines_go_to_the_end_of_the_list(s: Setup) -> None:
    first = await s.create()
    second = await s.create(name="Bedtime", user_id=s.fam.parent.user_id)
    assert (first.position, second.position) == (0, 1)


async def test_default_effective_day_follows_family_time_zone_and_day_start(
    s: Setup,
) -> None:
    await FamilyService(s.db).update_family(s.owner, s.fam.family.id, {"day_start_hour": 3})
    # 01:30 UTC is 02:30 in Paris: before the family's 3 am day start, so still Tuesday.
    late = RoutineService(s.db, clock=lambda: datetime(2026, 3, 4, 1, 30, tzinfo=UTC))
    routine = (await late.create_routine(s.owner, s.morning())).value
    assert routine.current_version.effective_from == date(2026, 3, 3)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"steps": []}, "Steps: add at least one step"),
        ({"weekdays": []}, "Weekdays: choose at least one weekday"),
        ({"weekdays": ["mon", "funday"]}, "Weekdays: 'funday' is not a weekday"),
        (
            {"start_time": "07:30", "finish_by": "07:00"},
            "Finish by: must be after the start time (07:30)",
        ),
        (
            {"start_time": "07:30", "finish_by": "07:30"},
            "Finish by: must be after the start time (07:30)",
        ),
        (
            {"steps": [{"title": "Wake up"}, {"title": "Brush", "duration_minutes": 0}]},
            "Step 2 duration: must be between 1 and 600 minutes (leave it empty for no duration)",
        ),
        (
            {"steps": [{"title": "Nap", "duration_minutes": 601}]},
            "Step 1 duration: must be between 1 and 600 minutes",
        ),
        (
            {"steps": [{"title": "Nap", "points": 1001}]},
            "Step 1 points: must be between 0 and 1000",
        ),
        ({"steps": [{"title": "Nap", "points": -1}]}, "Step 1 points: must be between 0 and 1000"),
        ({"steps": [{"title": "   "}]}, "Step 1 title: must not be empty"),
        (
            {"steps": [{"title": "x" * 101}]},
            "Step 1 title: must be at most 100 characters (it has 101)",
        ),
        ({"name": "x" * 101}, "Name: must be at most 100 characters (it has 101)"),
        ({"name": "  "}, "Name: must not be empty"),
        ({"note": "n" * 501}, "Note: must be at most 500 characters (it has 501)"),
        ({"steps": [{"title": f"Step {i}"} for i in range(51)]}, "at most 50 steps"),
    ],
)
async def test_bad_routine_input_is_refused_and_changes_nothing(
    s: Setup, overrides: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        await s.routines.create_routine(s.owner, s.morning(**overrides))
    assert message in caught.value.message
    assert await s.routines.list_routines(s.admin, s.fam.family.id, include_archived=True) == []


async def test_missing_fields_are_named(s: Setup) -> None:
    data = s.morning()
    del data["weekdays"], data["steps"]
    with pytest.raises(InvalidInputError) as caught:
        await s.routines.create_routine(s.owner, data)
    assert caught.value.message == "Weekdays: is required; Steps: is required"


@pytest.mark.parametrize("who", ["child", "viewer"])
async def test_children_and_viewers_cannot_create_routines(s: Setup, who: str) -> None:
    with pytest.raises(PermissionDeniedError, match=f"A {who} cannot create routines"):
        await s.routines.create_routine(getattr(s, who), s.morning())
    assert await s.routines.list_routines(s.admin, s.fam.family.id) == []


async def test_a_parent_may_create_routines(s: Setup) -> None:
    routine = (await s.routines.create_routine(s.parent, s.morning())).value
    assert routine.current_version.number == 1


async def test_routine_must_be_for_a_member_who_is_not_a_viewer(s: Setup) -> None:
    stranger = (await UserService(s.db).create_user({"full_name": "Stranger"})).value
    with pytest.raises(InvalidInputError, match="Member: that person is not a member"):
        await s.routines.create_routine(s.owner, s.morning(user_id=stranger.id))
    with pytest.raises(InvalidInputError, match="Member: Grand-mère is a viewer"):
        await s.routines.create_routine(s.owner, s.morning(user_id=s.fam.viewer.user_id))
    await FamilyService(s.db).remove_member(s.owner, s.sibling.membership_id)
    with pytest.raises(InvalidInputError, match="Member: that person is not a member"):
        await s.routines.create_routine(s.owner, s.morning(user_id=s.sibling.user_id))
    assert await s.routines.list_routines(s.admin, s.fam.family.id) == []


# --------------------------------------------------------------------------- editing


async def test_editing_steps_makes_version_two_and_keeps_version_one(s: Setup) -> None:
    routine = await s.create()
    result = await s.routines.update_routine(
        s.parent,
        routine.id,
        {
            "steps": [
                {"title": "Wake up"},
                {"title": "Breakfast", "duration_minutes": 15},
                {"title": "Brush teeth", "duration_minutes": 3, "points": 5},
                {"title": "Get dressed", "duration_minutes": 5, "points": 2},
                {"title": "Feed the cat", "points": 1},
            ],
            "note": "Cat joined the family",
        },
    )
    updated = result.value
    assert result.changes.kinds == {Kind.ROUTINES}
    assert updated.version_count == 2
    v2 = updated.latest_version
    assert (v2.number, v2.effective_from, v2.note) == (2, TODAY, "Cat joined the family")
    assert v2.changes_from_previous == [
        "Added step 'Feed the cat'",
        "Moved 'Breakfast' from 4 to 2",
    ]
    assert updated.current_version == v2
    versions = await s.routines.list_versions(routine.id)
    assert [v.number for v in versions] == [1, 2]
    assert versions[0] == routine.current_version
    assert [st.title for st in versions[0].steps] == [
        "Wake up",
        "Brush teeth",
        "Get dressed",
        "Breakfast",
    ]


async def test_version_history_describes_schedule_and_step_details(s: Setup) -> None:
    routine = await s.create()
    await s.routines.update_routine(
        s.owner,
        routine.id,
        {
            "weekdays": "mon,tue,wed,thu,fri,sat,sun",
            "finish_by": "08:00",
            "steps": [
                {"title": "Wake up"},
                {"title": "Brush teeth and floss", "duration_minutes": 3, "points": 5},
                {"title": "Get dressed", "duration_minutes": 10, "points": 2},
            ],
        },
    )
    v2 = (await s.routines.list_versions(routine.id))[-1]
    assert v2.changes_from_previous == [
        "Removed step 'Breakfast'",
        "Renamed step 2 'Brush teeth' → 'Brush teeth and floss'",
        "'Get dressed': 5 min → 10 min",
        "Weekdays: Mon–Fri → every day",
        "Finish by 07:45 → 08:00",
    ]


async def test_renaming_or_moving_the_routine_makes_no_new_version(s: Setup) -> None:
    routine = await s.create()
    result = await s.routines.update_routine(
        s.owner,
        routine.id,
        {"name": " Morning ", "position": 3, "expected_version": routine.version},
    )
    assert (result.value.name, result.value.position) == ("Morning", 3)
    assert result.value.version == routine.version + 1
    assert result.value.version_count == 1
    assert result.changes.kinds == {Kind.ROUTINES}


async def test_an_edit_that_changes_nothing_makes_no_version(s: Setup) -> None:
    routine = await s.create()
    result = await s.routines.update_routine(
        s.owner,
        routine.id,
        {
            "steps": MORNING_STEPS,
            "weekdays": ["fri", "thu", "wed", "tue", "mon"],
            "start_time": "07:00",
            "name": "Morning routine",
            "note": "no-op",
        },
    )
    assert not result.changes
    assert result.value == routine
    assert len(await s.routines.list_versions(routine.id)) == 1


async def test_clearing_a_time_is_a_schedule_change(s: Setup) -> None:
    routine = await s.create()
    updated = (await s.routines.update_routine(s.owner, routine.id, {"start_time": None})).value
    assert updated.latest_version.start_time is None
    assert updated.latest_version.finish_by == time(7, 45)
    assert updated.latest_version.changes_from_previous == ["Start time 07:00 → not set"]


async def test_finish_by_is_checked_against_the_kept_start_time(s: Setup) -> None:
    routine = await s.create()
    with pytest.raises(
        InvalidInputError, match=r"Finish by: must be after the start time \(07:00\)"
    ):
        await s.routines.update_routine(s.owner, routine.id, {"finish_by": "06:30"})
    assert await s.routines.get_routine(routine.id) == routine


async def test_same_day_second_edit_is_a_new_version_and_wins(s: Setup) -> None:
    routine = await s.create()
    await s.routines.update_routine(s.owner, routine.id, {"weekdays": ["sat", "sun"]})
    third = (
        await s.routines.update_routine(s.owner, routine.id, {"weekdays": ["mon", "wed", "fri"]})
    ).value
    assert third.latest_version.number == 3
    assert third.latest_version.effective_from == TODAY
    in_force = await s.routines.version_on(routine.id, TODAY)
    assert in_force is not None
    assert in_force.number == 3
    assert in_force.changes_from_previous == ["Weekdays: Sat, Sun → Mon, Wed, Fri"]


async def test_version_on_picks_the_version_in_force_that_day(s: Setup) -> None:
    routine = await s.create(effective_from="2026-01-01")
    await s.routines.update_routine(
        s.owner, routine.id, {"weekdays": ["sat"], "effective_from": "2026-02-01"}
    )
    await s.routines.update_routine(
        s.owner, routine.id, {"weekdays": ["sun"], "effective_from": "2026-04-01"}
    )
    assert await s.routines.version_on(routine.id, date(2025, 12, 31)) is None
    for day, number in [
        (date(2026, 1, 1), 1),
        (date(2026, 1, 31), 1),
        (date(2026, 2, 1), 2),
        (TODAY, 2),
        (date(2026, 4, 1), 3),
    ]:
        version = await s.routines.version_on(routine.id, day)
        assert version is not None and version.number == number, day
    read = await s.routines.get_routine(routine.id)
    assert (read.current_version.number, read.latest_version.number) == (2, 3)


async def numbered_out_of_start_order(s: Setup) -> RoutineRead:
    """A routine whose version numbers and start days disagree, as an import or another
    computer's edit can leave them: version 1 from 1 January (weekdays), version 2 from
    15 February (Saturdays), version 3 from 1 February (Mondays, one step "Stretch")."""
    routine = await s.create(effective_from="2026-01-01")
    await s.routines.update_routine(
        s.owner, routine.id, {"weekdays": ["sat"], "effective_from": "2026-02-15"}
    )
    async with s.db.transaction() as session:
        third = RoutineVersion(
            routine_id=routine.id,
            number=3,
            effective_from=date(2026, 2, 1),
            weekdays=mask_from_names(["mon"]),
            start_time=None,
            finish_by=None,
        )
        session.add(third)
        await session.flush()
        session.add(RoutineStep(version_id=third.id, position=0, title="Stretch"))
    return routine


async def test_the_version_in_force_is_the_latest_started_not_the_highest_numbered(
    s: Setup,
) -> None:
    """Every reader takes the version started last by the day, as the habits and the History
    do, not the highest-numbered one started by then."""
    routine = await numbered_out_of_start_order(s)
    for day, number in [
        (date(2026, 1, 31), 1),
        # Version 2 (numbered above 1, starting later) is not in force before its start day.
        (date(2026, 2, 10), 3),
        # From its start it is: it started last (by the version number alone it was 3).
        (date(2026, 2, 20), 2),
        (TODAY, 2),
    ]:
        version = await s.routines.version_on(routine.id, day)
        assert version is not None and version.number == number, day
    assert (await s.routines.get_routine(routine.id)).current_version.number == 2
    overview = await TodayService(s.db, clock=lambda: NOW).day_overview(s.owner, s.fam.family.id)
    child = overview.member(s.fam.child.user_id)
    assert child is not None
    shown = [r for r in child.routines + child.not_due_routines if r.routine.id == routine.id]
    assert [(r.version.number, r.due) for r in shown] == [(2, False)]  # Saturdays only


async def test_runs_follow_the_version_started_last_not_the_highest_numbered(s: Setup) -> None:
    """Starting and skipping a day write the run against the version the readers show for it:
    the one started last by the day (the highest number started by then would be version 3)."""
    routine = await numbered_out_of_start_order(s)
    started = (await s.routines.start_run(s.child, routine.id, date(2026, 2, 20))).value
    skipped = (await s.routines.skip_run(s.child, routine.id, date(2026, 2, 21))).value
    before_two = (await s.routines.start_run(s.child, routine.id, date(2026, 2, 10))).value
    assert [(r.day, r.version_number) for r in (started, skipped, before_two)] == [
        (date(2026, 2, 20), 2),
        (date(2026, 2, 21), 2),
        (date(2026, 2, 10), 3),
    ]
    assert [step.title for step in before_two.steps] == ["Stretch"]
    second = (await s.routines.list_versions(routine.id))[1]
    assert (started.version_id, skipped.version_id) == (second.id, second.id)
    assert (started.scheduled, skipped.scheduled) == (False, True)  # version 2: Saturdays


async def test_default_effective_day_never_precedes_a_pending_version(s: Setup) -> None:
    routine = await s.create()
    await s.routines.update_routine(
        s.owner, routine.id, {"weekdays": ["sat"], "effective_from": "2026-03-10"}
    )
    third = (await s.routines.update_routine(s.owner, routine.id, {"weekdays": ["sun"]})).value
    assert third.latest_version.effective_from == date(2026, 3, 10)


async def test_effective_day_before_the_latest_version_is_refused(s: Setup) -> None:
    routine = await s.create()
    with pytest.raises(InvalidInputError) as caught:
        await s.routines.update_routine(
            s.owner, routine.id, {"weekdays": ["sat"], "effective_from": "2026-03-01"}
        )
    assert caught.value.message == (
        "Effective from: must be on or after 2026-03-04, when version 1 took effect; "
        "pick that day or a later one."
    )
    assert len(await s.routines.list_versions(routine.id)) == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"steps": []}, "Steps: add at least one step"),
        ({"steps": None}, "Steps: add at least one step"),
        ({"weekdays": []}, "Weekdays: choose at least one weekday"),
        ({"weekdays": None}, "Weekdays: choose at least one weekday"),
        ({"name": None}, "Name: must not be empty"),
        ({"position": -1}, "Position: must be zero or more"),
        ({"steps": [{"title": "Nap", "duration_minutes": 0}]}, "Step 1 duration"),
        ({"colour": "#FFFFFF"}, "Colour: Extra inputs are not permitted"),
    ],
)
async def test_bad_edits_change_nothing(s: Setup, data: dict[str, Any], message: str) -> None:
    routine = await s.create()
    with pytest.raises(InvalidInputError) as caught:
        await s.routines.update_routine(s.owner, routine.id, {"name": "Renamed", **data})
    assert message in caught.value.message
    assert await s.routines.get_routine(routine.id) == routine


@pytest.mark.parametrize("who", ["child", "viewer"])
async def test_children_and_viewers_cannot_edit_a_routine(s: Setup, who: str) -> None:
    routine = await s.create()
    with pytest.raises(PermissionDeniedError, match=f"A {who} cannot edit routines"):
        await s.routines.update_routine(
            getattr(s, who), routine.id, {"steps": [{"title": "Play all day"}]}
        )
    with pytest.raises(PermissionDeniedError, match=f"A {who} cannot archive routines"):
        await s.routines.archive_routine(getattr(s, who), routine.id)
    with pytest.raises(PermissionDeniedError, match=f"A {who} cannot remove routines"):
        await s.routines.remove_routine(getattr(s, who), routine.id)
    with pytest.raises(PermissionDeniedError, match=f"A {who} cannot reorder routines"):
        await s.routines.reorder_routines(getattr(s, who), s.fam.family.id, [routine.id])
    assert await s.routines.get_routine(routine.id) == routine


async def test_stale_expected_version_is_a_conflict(s: Setup) -> None:
    routine = await s.create()
    await s.routines.update_routine(
        s.owner,
        routine.id,
        {"steps": [{"title": "Wake up"}], "expected_version": routine.version},
    )
    # The second parent edited from the same starting point: steps, not just the name, moved on.
    with pytest.raises(ConflictError, match="Someone else changed this routine"):
        await s.routines.update_routine(
            s.parent,
            routine.id,
            {"steps": [{"title": "Sleep in"}], "expected_version": routine.version},
        )
    with pytest.raises(ConflictError):
        await s.routines.remove_routine(s.parent, routine.id, expected_version=routine.version)
    versions = await s.routines.list_versions(routine.id)
    assert [[st.title for st in v.steps] for v in versions][-1] == ["Wake up"]
    assert len(versions) == 2


async def test_unknown_routine_is_not_found(s: Setup) -> None:
    with pytest.raises(NotFoundError, match="That routine does not exist"):
        await s.routines.get_routine(uuid.uuid4())
    with pytest.raises(NotFoundError, match="That routine does not exist"):
        await s.routines.update_routine(s.owner, uuid.uuid4(), {"name": "X"})


# --------------------------------------------------------------------------- archive, remove, order


async def test_archived_routines_are_hidden_and_cannot_start(s: Setup) -> None:
    routine = await s.create()
    archived = (await s.routines.archive_routine(s.owner, routine.id)).value
    assert archived.archived
    assert await s.routines.list_routines(s.viewer, s.fam.family.id) == []
    assert [
        r.id
        for r in await s.routines.list_routines(s.viewer, s.fam.family.id, include_archived=True)
    ] == [routine.id]
    with pytest.raises(InvalidInputError, match="'Morning routine' is archived; restore it"):
        await s.routines.start_run(s.child, routine.id)
    restored = (await s.routines.archive_routine(s.owner, routine.id, False)).value
    assert not restored.archived
    assert (await s.routines.start_run(s.child, routine.id)).value.status is RunStatus.IN_PROGRESS


async def test_removed_routine_disappears_with_its_runs(s: Setup) -> None:
    routine = await s.create()
    await s.routines.start_run(s.child, routine.id)
    result = await s.routines.remove_routine(s.owner, routine.id, expected_version=routine.version)
    assert result.changes.touches(Kind.ROUTINES)
    with pytest.raises(NotFoundError):
        await s.routines.get_routine(routine.id)
    assert await s.routines.list_routines(s.owner, s.fam.family.id, include_archived=True) == []
    assert await s.routines.runs_of_day(s.owner, s.fam.family.id, TODAY) == []
    with pytest.raises(NotFoundError):
        await s.routines.start_run(s.child, routine.id)


async def test_reorder_sets_positions_in_the_given_order(s: Setup) -> None:
    a = await s.create(name="A")
    b = await s.create(name="B")
    c = await s.create(name="C", user_id=s.sibling.user_id)
    result = await s.routines.reorder_routines(s.parent, s.fam.family.id, [c.id, a.id, b.id])
    assert [(r.name, r.position) for r in result.value] == [("C", 0), ("A", 1), ("B", 2)]
    listed = await s.routines.list_routines(s.child, s.fam.family.id)
    assert [r.name for r in listed] == ["C", "A", "B"]
    mine = await s.routines.list_routines(s.child, s.fam.family.id, user_id=s.fam.child.user_id)
    assert [r.name for r in mine] == ["A", "B"]


async def test_reorder_with_unknown_or_repeated_ids_changes_nothing(s: Setup) -> None:
    a = await s.create(name="A")
    b = await s.create(name="B")
    before = await s.routines.list_routines(s.owner, s.fam.family.id)
    with pytest.raises(NotFoundError, match="1 of the routines to order is not in this family"):
        await s.routines.reorder_routines(s.owner, s.fam.family.id, [b.id, uuid.uuid4(), a.id])
    with pytest.raises(InvalidInputError, match="each routine may appear only once"):
        await s.routines.reorder_routines(s.owner, s.fam.family.id, [b.id, b.id, a.id])
    other = await make_family(s.db, "Dupont")
    with pytest.raises(PermissionDeniedError, match="Only members of this family"):
        await s.routines.reorder_routines(s.owner, other.family.id, [a.id])
    assert await s.routines.list_routines(s.owner, s.fam.family.id) == before


async def test_listing_routines_costs_the_same_queries_for_one_or_many(s: Setup) -> None:
    async def list_count() -> int:
        with count_selects(s.db) as statements:
            await s.routines.list_routines(s.viewer, s.fam.family.id)
        return len(statements)

    first = await s.create()
    one = await list_count()
    await s.routines.update_routine(s.owner, first.id, {"weekdays": ["sat"]})
    for i in range(5):
        created = await s.create(name=f"Routine {i}")
        await s.routines.update_routine(s.owner, created.id, {"steps": [{"title": f"Do {i}"}]})
    assert await list_count() == one
    assert len(await s.routines.list_routines(s.viewer, s.fam.family.id)) == 6


# --------------------------------------------------------------------------- runs


async def test_child_starts_own_run_and_starting_again_returns_it(s: Setup) -> None:
    routine = await s.create()
    result = await s.routines.start_run(s.child, routine.id)
    run = result.value
    assert result.changes.kinds == {Kind.RUNS}
    assert (run.day, run.status, run.started_at, run.finished_at) == (
        TODAY,
        RunStatus.IN_PROGRESS,
        NOW,
        None,
    )
    assert (run.routine_name, run.version_number, run.scheduled) == ("Morning routine", 1, True)
    assert (run.done, run.total, run.points_earned, run.points_possible) == (0, 4, 0, 7)
    assert [st.checked for st in run.steps] == [False] * 4
    again = await s.routines.start_run(s.parent, routine.id, TODAY)
    assert again.value == run
    assert not again.changes


async def test_a_run_on_an_unscheduled_day_is_allowed_but_marked(s: Setup) -> None:
    routine = await s.create()
    run = (await s.routines.start_run(s.child, routine.id, SATURDAY)).value
    assert run.scheduled is False


async def test_a_run_before_the_routine_starts_is_refused(s: Setup) -> None:
    routine = await s.create()
    with pytest.raises(InvalidInputError) as caught:
        await s.routines.start_run(s.child, routine.id, date(2026, 3, 1))
    assert caught.value.message == (
        "Day: 'Morning routine' starts on 2026-03-04; pick that day or a later one."
    )
    assert await s.routines.runs_in_range(routine.id, date(2026, 1, 1), TODAY) == []


async def test_child_cannot_run_a_siblings_routine_and_viewer_nothing(s: Setup) -> None:
    routine = await s.create(user_id=s.sibling.user_id)
    with pytest.raises(PermissionDeniedError, match="A child can only start a routine for"):
        await s.routines.start_run(s.child, routine.id)
    with pytest.raises(PermissionDeniedError, match="A viewer cannot start a routine"):
        await s.routines.start_run(s.viewer, routine.id)
    with pytest.raises(PermissionDeniedError, match="A child can only skip a routine for"):
        await s.routines.skip_run(s.child, routine.id)
    assert await s.routines.runs_of_day(s.viewer, s.fam.family.id, TODAY) == []
    run = (await s.routines.start_run(s.actor(s.sibling), routine.id)).value
    assert run.user_id == s.sibling.user_id


async def test_checking_steps_earns_points_and_unchecking_gives_them_back(s: Setup) -> None:
    routine = await s.create()
    run = (await s.routines.start_run(s.child, routine.id)).value
    brush = run.steps[1]
    checked = await s.routines.check_step(s.child, run.id, brush.step_id)
    assert checked.changes.kinds == {Kind.RUNS, Kind.POINTS}
    step = checked.value.steps[1]
    assert (step.checked, step.checked_at, step.checked_by) == (True, NOW, s.fam.child.user_id)
    assert (checked.value.done, checked.value.points_earned) == (1, 5)
    assert await s.points(s.fam.child) == 5

    twice = await s.routines.check_step(s.parent, run.id, brush.step_id)
    assert not twice.changes
    assert await s.points(s.fam.child) == 5

    unchecked = await s.routines.check_step(s.parent, run.id, brush.step_id, checked=False)
    assert unchecked.changes.kinds == {Kind.RUNS, Kind.POINTS}
    assert (unchecked.value.done, unchecked.value.points_earned) == (0, 0)
    assert await s.points(s.fam.child) == 0

    rechecked = await s.routines.check_step(s.child, run.id, brush.step_id)
    assert rechecked.value.points_earned == 5
    assert await s.points(s.fam.child) == 5
    assert await s.ledger() == [
        (5, "Morning routine: Brush teeth"),
        (-5, "Undone: Morning routine: Brush teeth"),
        (5, "Morning routine: Brush teeth"),
    ]


async def test_a_step_without_points_moves_no_points(s: Setup) -> None:
    routine = await s.create()
    run = (await s.routines.start_run(s.child, routine.id)).value
    result = await s.routines.check_step(s.child, run.id, run.steps[0].step_id)
    assert result.changes.kinds == {Kind.RUNS}
    assert await s.ledger() == []
    unchecked = await s.routines.check_step(s.child, run.id, run.steps[3].step_id, checked=False)
    assert not unchecked.changes


async def test_a_step_outside_the_runs_version_is_refused(s: Setup) -> None:
    routine = await s.create()
    other = await s.create(name="Bedtime")
    run = (await s.routines.start_run(s.child, routine.id)).value
    other_step = other.current_version.steps[0].id
    with pytest.raises(InvalidInputError) as caught:
        await s.routines.check_step(s.child, run.id, other_step)
    assert caught.value.message == (
        "Step: that step is not part of this run, which follows version 1 of 'Morning routine'; "
        "reload the run and pick one of its steps."
    )
    with pytest.raises(InvalidInputError, match="Step: that step is not part of this run"):
        await s.routines.check_step(s.child, run.id, uuid.uuid4())
    assert (await s.routines.get_run(run.id)) == run


async def test_child_cannot_check_a_siblings_step_nor_a_viewer_any(s: Setup) -> None:
    routine = await s.create(user_id=s.sibling.user_id)
    run = (await s.routines.start_run(s.parent, routine.id)).value
    step = run.steps[1].step_id
    with pytest.raises(PermissionDeniedError, match="A child can only check off routine steps"):
        await s.routines.check_step(s.child, run.id, step)
    with pytest.raises(PermissionDeniedError, match="A viewer cannot check off routine steps"):
        await s.routines.check_step(s.viewer, run.id, step)
    with pytest.raises(PermissionDeniedError, match="A child can only finish a routine"):
        await s.routines.finish_run(s.child, run.id)
    assert await s.routines.get_run(run.id) == run
    assert await s.points(s.sibling) == 0


async def test_finishing_marks_completed_or_partial(s: Setup) -> None:
    routine = await s.create()
    run = (await s.routines.start_run(s.child, routine.id)).value
    for step in run.steps[:3]:
        await s.routines.check_step(s.child, run.id, step.step_id)
    partial = (await s.routines.finish_run(s.child, run.id)).value
    assert (partial.status, partial.finished_at, partial.done) == (RunStatus.PARTIAL, NOW, 3)
    completed = (await s.routines.check_step(s.child, run.id, run.steps[3].step_id)).value
    assert completed.status is RunStatus.COMPLETED
    corrected = await s.routines.check_step(s.parent, run.id, run.steps[0].step_id, False)
    assert corrected.value.status is RunStatus.PARTIAL
    await s.routines.check_step(s.parent, run.id, run.steps[0].step_id)
    assert (await s.routines.finish_run(s.child, run.id)).value.status is RunStatus.COMPLETED


async def test_a_past_day_is_run_with_the_version_of_that_day(s: Setup) -> None:
    """Run mode on yesterday (the Today screen's chosen day): start, check, finish, all for
    that day and its version, while today's run stays untouched."""
    yesterday = TODAY - timedelta(1)
    routine = await s.create(effective_from=yesterday - timedelta(7))
    await s.routines.update_routine(
        s.owner, routine.id, {"steps": [{"title": "Wake up"}], "effective_from": TODAY}
    )
    run = (await s.routines.start_run(s.child, routine.id, yesterday)).value
    assert (run.day, run.version_number, run.total) == (yesterday, 1, 4)
    for step in run.steps:
        await s.routines.check_step(s.child, run.id, step.step_id)
    finished = (await s.routines.finish_run(s.child, run.id)).value
    assert (finished.day, finished.status, finished.points_earned) == (
        yesterday,
        RunStatus.COMPLETED,
        7,
    )
    assert await s.points(s.fam.child) == 7
    assert await s.routines.runs_of_day(s.viewer, s.fam.family.id, TODAY) == []
    before = yesterday - timedelta(8)
    with pytest.raises(InvalidInputError, match="starts on"):
        await s.routines.start_run(s.child, routine.id, before)


async def test_runs_keep_their_version_after_an_edit(s: Setup) -> None:
    routine = await s.create()
    run = (await s.routines.start_run(s.child, routine.id)).value
    await s.routines.check_step(s.child, run.id, run.steps[1].step_id)
    v2 = (
        await s.routines.update_routine(
            s.owner, routine.id, {"steps": [{"title": "Wake up"}, {"title": "Make the bed"}]}
        )
    ).value.latest_version
    assert v2.effective_from == TODAY

    kept = (await s.routines.start_run(s.child, routine.id)).value
    assert kept.id == run.id
    assert (kept.version_number, kept.total, kept.done) == (1, 4, 1)
    assert [st.title for st in kept.steps] == [st.title for st in run.steps]
    await s.routines.check_step(s.child, run.id, run.steps[2].step_id)
    with pytest.raises(InvalidInputError, match="follows version 1"):
        await s.routines.check_step(s.child, run.id, v2.steps[1].id)

    tomorrow = (await s.routines.start_run(s.child, routine.id, TODAY + timedelta(1))).value
    assert (tomorrow.version_number, [st.title for st in tomorrow.steps]) == (
        2,
        ["Wake up", "Make the bed"],
    )
    history = await s.routines.runs_in_range(routine.id, TODAY, TODAY + timedelta(1))
    assert [(r.day, r.version_number, r.done) for r in history] == [
        (TODAY, 1, 2),
        (TODAY + timedelta(1), 2, 0),
    ]


async def test_skipping_a_day_and_changing_ones_mind(s: Setup) -> None:
    routine = await s.create()
    skipped = await s.routines.skip_run(s.child, routine.id, TODAY)
    assert skipped.changes.kinds == {Kind.RUNS}
    assert (skipped.value.status, skipped.value.started_at) == (RunStatus.SKIPPED, None)
    assert not (await s.routines.skip_run(s.parent, routine.id, TODAY)).changes
    with pytest.raises(InvalidInputError, match="was skipped; start it again to check steps"):
        await s.routines.check_step(s.child, skipped.value.id, skipped.value.steps[0].step_id)
    with pytest.raises(InvalidInputError, match="was skipped; start it again to finish it"):
        await s.routines.finish_run(s.child, skipped.value.id)
    reopened = (await s.routines.start_run(s.child, routine.id, TODAY)).value
    assert (reopened.id, reopened.status, reopened.started_at) == (
        skipped.value.id,
        RunStatus.IN_PROGRESS,
        NOW,
    )


async def test_a_run_with_checked_steps_cannot_be_skipped(s: Setup) -> None:
    routine = await s.create()
    run = (await s.routines.start_run(s.child, routine.id)).value
    await s.routines.check_step(s.child, run.id, run.steps[1].step_id)
    with pytest.raises(InvalidInputError) as caught:
        await s.routines.skip_run(s.parent, routine.id, TODAY)
    assert caught.value.message == (
        "1 step is already checked in this run of 'Morning routine'; finish the run instead "
        "(it counts as partly done), or uncheck them first."
    )
    assert (await s.routines.get_run(run.id)).status is RunStatus.IN_PROGRESS
    assert await s.points(s.fam.child) == 5


# --------------------------------------------------------------------------- run notes


async def test_a_note_on_a_run_is_trimmed_shown_and_cleared(s: Setup) -> None:
    routine = await s.create()
    run = (await s.routines.start_run(s.child, routine.id)).value
    assert run.note is None
    noted = await s.routines.set_run_note(s.child, routine.id, TODAY, "  Felt ill after breakfast ")
    assert noted.changes.kinds == {Kind.RUNS}
    assert noted.changes.family_ids == {s.fam.family.id}
    assert (noted.value.id, noted.value.note) == (run.id, "Felt ill after breakfast")
    assert noted.value.version == run.version + 1
    assert (await s.routines.get_run(run.id)).note == "Felt ill after breakfast"
    assert [r.note for r in await s.routines.runs_of_day(s.viewer, s.fam.family.id, TODAY)] == [
        "Felt ill after breakfast"
    ]
    # The same text again changes nothing; a parent may rewrite it; blank text removes it.
    assert not (
        await s.routines.set_run_note(s.child, routine.id, TODAY, "Felt ill after breakfast")
    ).changes
    assert (await s.routines.set_run_note(s.parent, routine.id, TODAY, "Ill")).value.note == "Ill"
    cleared = await s.routines.set_run_note(s.child, routine.id, TODAY, "   ")
    assert (cleared.value.note, cleared.changes.kinds) == (None, {Kind.RUNS})
    assert (await s.routines.set_run_note(s.child, routine.id, TODAY, "x")).value.note == "x"
    assert (await s.routines.set_run_note(s.child, routine.id, TODAY, None)).value.note is None


async def test_a_note_longer_than_500_characters_is_refused_and_changes_nothing(s: Setup) -> None:
    routine = await s.create()
    await s.routines.skip_run(s.child, routine.id, TODAY, note="Ill")
    with pytest.raises(InvalidInputError) as caught:
        await s.routines.set_run_note(s.child, routine.id, TODAY, "a" * 501)
    assert caught.value.message == "Note: must be at most 500 characters (it has 501)"
    assert (
        await s.routines.set_run_note(s.child, routine.id, TODAY, "b" * 500)
    ).value.note == "b" * 500
    with pytest.raises(InvalidInputError, match="at most 500 characters"):
        await s.routines.skip_run(s.child, routine.id, TODAY, note="c" * 501)
    [run] = await s.routines.runs_of_day(s.owner, s.fam.family.id, TODAY)
    assert (run.status, run.note) == (RunStatus.SKIPPED, "b" * 500)


async def test_a_day_without_a_run_takes_no_note_and_no_run_is_invented(s: Setup) -> None:
    routine = await s.create()
    with pytest.raises(InvalidInputError) as caught:
        await s.routines.set_run_note(s.child, routine.id, TODAY, "Ill")
    assert caught.value.message == (
        "Note: 'Morning routine' has no run on 2026-03-04 yet; "
        "start or skip it first, then add a note."
    )
    with pytest.raises(InvalidInputError) as before:
        await s.routines.set_run_note(s.child, routine.id, date(2026, 3, 1), "Ill")
    assert before.value.message == (
        "Day: 'Morning routine' starts on 2026-03-04; pick that day or a later one."
    )
    with pytest.raises(InvalidInputError, match="has no run on 2026-03-05 yet"):
        await s.routines.set_run_note(s.child, routine.id, TODAY + timedelta(1), "Ill")
    assert await s.routines.runs_in_range(routine.id, date(2026, 1, 1), date(2026, 12, 31)) == []
    # A day skipped ahead (a holiday) is a run, and takes its note.
    await s.routines.skip_run(s.parent, routine.id, TODAY + timedelta(1))
    later = await s.routines.set_run_note(s.parent, routine.id, TODAY + timedelta(1), "Holiday")
    assert (later.value.status, later.value.note) == (RunStatus.SKIPPED, "Holiday")


async def test_who_may_write_a_run_note(s: Setup) -> None:
    routine = await s.create(user_id=s.sibling.user_id)
    await s.routines.start_run(s.actor(s.sibling), routine.id)
    with pytest.raises(PermissionDeniedError, match="A child can only add notes to routines for"):
        await s.routines.set_run_note(s.child, routine.id, TODAY, "Not mine")
    with pytest.raises(PermissionDeniedError, match="A viewer cannot add notes to routines"):
        await s.routines.set_run_note(s.viewer, routine.id, TODAY, "Not mine")
    with pytest.raises(PermissionDeniedError, match="A child can only skip a routine for"):
        await s.routines.skip_run(s.child, routine.id, TODAY, note="Not mine")
    [run] = await s.routines.runs_of_day(s.owner, s.fam.family.id, TODAY)
    assert (run.status, run.note) == (RunStatus.IN_PROGRESS, None)
    own = await s.routines.set_run_note(s.actor(s.sibling), routine.id, TODAY, "Tired")
    assert own.value.note == "Tired"
    assert (await s.routines.set_run_note(s.owner, routine.id, TODAY, "Was tired")).value.note == (
        "Was tired"
    )


async def test_skip_with_a_note_and_skipping_again_changes_only_the_note(s: Setup) -> None:
    routine = await s.create()
    skipped = await s.routines.skip_run(s.child, routine.id, TODAY, note="  At grandma's ")
    assert (skipped.value.status, skipped.value.note) == (RunStatus.SKIPPED, "At grandma's")
    # Skipping again without a note keeps it; with one, only the note changes.
    again = await s.routines.skip_run(s.parent, routine.id, TODAY)
    assert (again.value.note, bool(again.changes)) == ("At grandma's", False)
    renamed = await s.routines.skip_run(s.parent, routine.id, TODAY, note="Ill")
    assert (renamed.value.id, renamed.value.status, renamed.value.note) == (
        skipped.value.id,
        RunStatus.SKIPPED,
        "Ill",
    )
    assert renamed.changes.kinds == {Kind.RUNS}
    # Starting after all keeps the note until someone changes it; skipping again with a note
    # replaces it, and with empty text removes it.
    started = (await s.routines.start_run(s.child, routine.id, TODAY)).value
    assert (started.status, started.note) == (RunStatus.IN_PROGRESS, "Ill")
    reskipped = (await s.routines.skip_run(s.child, routine.id, TODAY, note="")).value
    assert (reskipped.status, reskipped.note) == (RunStatus.SKIPPED, None)


async def test_a_partial_run_takes_a_note_after_it_is_finished(s: Setup) -> None:
    routine = await s.create()
    run = (await s.routines.start_run(s.child, routine.id)).value
    await s.routines.check_step(s.child, run.id, run.steps[0].step_id)
    finished = (await s.routines.finish_run(s.child, run.id)).value
    noted = (await s.routines.set_run_note(s.child, routine.id, TODAY, "Bus came early")).value
    assert (noted.status, noted.done, noted.finished_at, noted.note) == (
        RunStatus.PARTIAL,
        1,
        finished.finished_at,
        "Bus came early",
    )


async def test_runs_of_day_shows_each_run_with_progress(s: Setup) -> None:
    morning = await s.create(effective_from=TODAY - timedelta(1))
    bedtime = await s.create(
        name="Bedtime",
        user_id=s.sibling.user_id,
        start_time="19:30",
        finish_by=None,
        steps=[{"title": "Bath", "points": 3}, {"title": "Story"}],
    )
    run = (await s.routines.start_run(s.child, morning.id)).value
    await s.routines.check_step(s.child, run.id, run.steps[1].step_id)
    await s.routines.check_step(s.child, run.id, run.steps[2].step_id)
    await s.routines.skip_run(s.parent, bedtime.id)
    await s.routines.start_run(s.child, morning.id, TODAY - timedelta(1))

    day = await s.routines.runs_of_day(s.viewer, s.fam.family.id, TODAY)
    assert [
        (r.routine_name, r.version_number, r.status, r.done, r.total, r.points_earned) for r in day
    ] == [
        ("Morning routine", 1, RunStatus.IN_PROGRESS, 2, 4, 7),
        ("Bedtime", 1, RunStatus.SKIPPED, 0, 2, 0),
    ]
    assert [st.checked for st in day[0].steps] == [False, True, True, False]
    assert await s.routines.runs_of_day(s.viewer, s.fam.family.id, SATURDAY) == []
    stranger = (await UserService(s.db).create_user({"full_name": "Stranger"})).value
    with pytest.raises(PermissionDeniedError, match="Only members of this family"):
        await s.routines.runs_of_day(Actor.member(stranger.id), s.fam.family.id, TODAY)


async def test_history_reads_cost_the_same_queries_for_a_day_or_a_month(s: Setup) -> None:
    routine = await s.create(weekdays="mon,tue,wed,thu,fri,sat,sun")
    first = (await s.routines.start_run(s.child, routine.id, TODAY)).value
    await s.routines.check_step(s.child, first.id, first.steps[0].step_id)

    with count_selects(s.db) as one_day:
        assert len(await s.routines.runs_in_range(routine.id, TODAY, TODAY)) == 1
    with count_selects(s.db) as one_family_day:
        assert len(await s.routines.runs_of_day(s.owner, s.fam.family.id, TODAY)) == 1

    for offset in range(1, 15):
        day = TODAY + timedelta(offset)
        if offset == 7:
            await s.routines.update_routine(
                s.owner, routine.id, {"steps": [{"title": "Up"}], "effective_from": day}
            )
        run = (await s.routines.start_run(s.child, routine.id, day)).value
        await s.routines.check_step(s.child, run.id, run.steps[0].step_id)
        other = await s.create(name=f"Extra {offset}", weekdays="sat,sun")
        await s.routines.start_run(s.child, other.id, TODAY)

    with count_selects(s.db) as many_days:
        runs = await s.routines.runs_in_range(routine.id, TODAY, TODAY + timedelta(14))
    assert len(runs) == 15
    assert {r.version_number for r in runs} == {1, 2}
    assert [r.day for r in runs] == sorted(r.day for r in runs)
    with count_selects(s.db) as many_family:
        assert len(await s.routines.runs_of_day(s.owner, s.fam.family.id, TODAY)) == 15
    assert len(many_days) == len(one_day)
    assert len(many_family) == len(one_family_day)


async def test_range_with_end_before_start_is_refused(s: Setup) -> None:
    routine = await s.create()
    with pytest.raises(InvalidInputError, match="End: must be on or after the start day"):
        await s.routines.runs_in_range(routine.id, TODAY, TODAY - timedelta(1))


async def test_unknown_run_is_not_found(s: Setup) -> None:
    with pytest.raises(NotFoundError, match="That routine run does not exist"):
        await s.routines.check_step(s.child, uuid.uuid4(), uuid.uuid4())
    with pytest.raises(NotFoundError, match="That routine run does not exist"):
        await s.routines.get_run(uuid.uuid4())


async def test_two_people_starting_at_once_get_the_same_run(s: Setup) -> None:
    routine = await s.create()
    first, second = await asyncio.gather(
        s.routines.start_run(s.child, routine.id), s.routines.start_run(s.parent, routine.id)
    )
    assert first.value.id == second.value.id
    assert len(await s.routines.runs_of_day(s.owner, s.fam.family.id, TODAY)) == 1


async def test_checking_steps_at_once_keeps_the_ledger_right(s: Setup) -> None:
    routine = await s.create()
    run = (await s.routines.start_run(s.child, routine.id)).value
    await asyncio.gather(
        *(s.routines.check_step(s.child, run.id, step.step_id) for step in run.steps)
    )
    assert (await s.routines.get_run(run.id)).done == 4
    assert await s.points(s.fam.child) == 7


# --------------------------------------------------------------------------- the routines screen


async def test_list_with_history_gives_each_routine_and_all_its_versions(s: Setup) -> None:
    morning = await s.create()
    await s.routines.update_routine(
        s.owner, morning.id, {"steps": [*MORNING_STEPS, {"title": "Feed the cat"}]}
    )
    bedtime = await s.create(name="Bedtime", user_id=s.sibling.user_id)
    await s.routines.archive_routine(s.owner, bedtime.id)

    found = await s.routines.list_routines_with_history(s.viewer, s.fam.family.id)
    assert [(h.routine.name, h.routine.archived) for h in found] == [
        ("Morning routine", False),
        ("Bedtime", True),
    ]
    morning_history = found[0]
    assert morning_history.routine == await s.routines.get_routine(morning.id)
    assert morning_history.versions == await s.routines.list_versions(morning.id)
    assert [v.number for v in morning_history.versions] == [1, 2]
    assert morning_history.versions[1].changes_from_previous == ["Added step 'Feed the cat'"]

    active = await s.routines.list_routines_with_history(
        s.viewer, s.fam.family.id, include_archived=False
    )
    assert [h.routine.name for h in active] == ["Morning routine"]
    of_sibling = await s.routines.list_routines_with_history(
        s.owner, s.fam.family.id, user_id=s.sibling.user_id
    )
    assert [h.routine.name for h in of_sibling] == ["Bedtime"]


async def test_list_with_history_costs_the_same_queries_for_one_or_many_versions(
    s: Setup,
) -> None:
    async def list_count() -> int:
        with count_selects(s.db) as statements:
            await s.routines.list_routines_with_history(s.viewer, s.fam.family.id)
        return len(statements)

    first = await s.create()
    one = await list_count()
    for i in range(4):
        await s.routines.update_routine(s.owner, first.id, {"steps": [{"title": f"Do {i}"}]})
        created = await s.create(name=f"Routine {i}")
        await s.routines.update_routine(s.owner, created.id, {"weekdays": ["sat"]})
    assert await list_count() == one <= 5


async def test_list_with_history_is_for_family_members_only(s: Setup) -> None:
    stranger = (await UserService(s.db).create_user({"full_name": "Somebody Else"})).value
    with pytest.raises(PermissionDeniedError, match="Only members of this family"):
        await s.routines.list_routines_with_history(Actor.member(stranger.id), s.fam.family.id)


async def test_edit_routine_hands_it_to_another_member_with_its_history(s: Setup) -> None:
    routine = await s.create()
    await s.routines.start_run(s.child, routine.id)
    result = await s.routines.edit_routine(
        s.parent,
        routine.id,
        {"name": "Morning", "steps": [{"title": "Wake up"}], "expected_version": routine.version},
        user_id=s.sibling.user_id,
    )
    moved = result.value
    assert (moved.user_id, moved.name, moved.version_count) == (s.sibling.user_id, "Morning", 2)
    assert result.changes.kinds == {Kind.ROUTINES}
    # The run already made stays with the child who did it.
    runs = await s.routines.runs_of_day(s.owner, s.fam.family.id, TODAY)
    assert [r.user_id for r in runs] == [s.fam.child.user_id]
    # Only the member changes: no new version for that alone.
    again = await s.routines.edit_routine(s.owner, routine.id, {}, user_id=s.fam.child.user_id)
    assert (again.value.user_id, again.value.version_count) == (s.fam.child.user_id, 2)
    same = await s.routines.edit_routine(s.owner, routine.id, {}, user_id=s.fam.child.user_id)
    assert not same.changes


async def test_edit_routine_refuses_a_viewer_and_then_writes_nothing(s: Setup) -> None:
    routine = await s.create()
    with pytest.raises(InvalidInputError, match="Member: Grand-mère is a viewer"):
        await s.routines.edit_routine(
            s.owner,
            routine.id,
            {"name": "Renamed", "steps": [{"title": "Wake up"}]},
            user_id=s.fam.viewer.user_id,
        )
    # A refused step list after a valid new member: neither is written.
    with pytest.raises(InvalidInputError, match="Finish by: must be after the start time"):
        await s.routines.edit_routine(
            s.owner, routine.id, {"finish_by": "06:00"}, user_id=s.sibling.user_id
        )
    assert await s.routines.get_routine(routine.id) == routine


async def test_a_child_cannot_hand_a_routine_to_someone_else(s: Setup) -> None:
    routine = await s.create()
    with pytest.raises(PermissionDeniedError, match="A child cannot edit routines"):
        await s.routines.edit_routine(s.child, routine.id, {}, user_id=s.sibling.user_id)
    assert (await s.routines.get_routine(routine.id)).user_id == s.fam.child.user_id


# --------------------------------------------------------------------------- the family's runs


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


async def run_to(s: Setup, routine_id: uuid.UUID, day: date, status: RunStatus) -> None:
    """Record a run of the day ending with `status` (all steps checked for completed, one for
    partial, none and never finished for in progress)."""
    if status is RunStatus.SKIPPED:
        await s.routines.skip_run(s.parent, routine_id, day)
        return
    run = (await s.routines.start_run(s.parent, routine_id, day)).value
    if status is RunStatus.IN_PROGRESS:
        return
    steps = run.steps if status is RunStatus.COMPLETED else run.steps[:1]
    for step in steps:
        await s.routines.check_step(s.parent, run.id, step.step_id)
    await s.routines.finish_run(s.parent, run.id)


async def test_family_runs_give_each_routine_its_schedules_and_runs_by_member(s: Setup) -> None:
    def ago(n: int) -> date:
        return TODAY - timedelta(days=n)

    morning = await s.create(effective_from=ago(14))
    await s.routines.update_routine(
        s.owner, morning.id, {"weekdays": ["sat", "sun"], "effective_from": ago(3)}
    )
    bedtime = await s.create(name="Bedtime", user_id=s.sibling.user_id, effective_from=ago(14))
    for n, status in (
        (12, RunStatus.COMPLETED),  # before the range
        (9, RunStatus.COMPLETED),
        (8, RunStatus.PARTIAL),
        (7, RunStatus.SKIPPED),
        (5, RunStatus.COMPLETED),
    ):
        await run_to(s, morning.id, ago(n), status)
    # Handed over to the sibling: the child's runs stay the child's.
    await s.routines.edit_routine(s.owner, morning.id, {}, user_id=s.sibling.user_id)
    await run_to(s, morning.id, ago(2), RunStatus.IN_PROGRESS)
    await run_to(s, bedtime.id, TODAY, RunStatus.COMPLETED)
    await s.routines.archive_routine(s.owner, bedtime.id)

    found = await s.routines.family_runs(s.viewer, s.fam.family.id, ago(10), TODAY)
    assert (found.start, found.end, found.today) == (ago(10), TODAY, TODAY)
    assert [(r.name, r.user_id, r.archived) for r in found.routines] == [
        ("Morning routine", s.sibling.user_id, False),
        ("Bedtime", s.sibling.user_id, True),
    ]
    first = found.routines[0]
    assert [(v.number, v.effective_from, v.weekdays) for v in first.schedules] == [
        (1, ago(14), ["mon", "tue", "wed", "thu", "fri"]),
        (2, ago(3), ["sat", "sun"]),
    ]
    assert (first.current.number, first.current.weekdays_text) == (2, "Sat, Sun")
    runs = {r.user_id: r for r in first.runs}
    assert set(runs) == {s.fam.child.user_id, s.sibling.user_id}
    child = runs[s.fam.child.user_id]
    assert (child.completed, child.partial, child.skipped) == (
        (ago(9), ago(5)),
        (ago(8),),
        (ago(7),),
    )
    assert child.in_progress == ()
    assert runs[s.sibling.user_id].in_progress == (ago(2),)
    assert [r.completed for r in found.routines[1].runs] == [(TODAY,)]

    # The same runs the per-routine reader gives.
    each = await s.routines.runs_in_range(morning.id, ago(10), TODAY)
    assert sorted((r.user_id, r.day, r.status) for r in each) == sorted(
        (member.user_id, day, status)
        for member in first.runs
        for status in RunStatus
        for day in getattr(member, status.value)
    )

    only = await s.routines.family_runs(
        s.child, s.fam.family.id, ago(10), ago(9), user_id=s.fam.child.user_id
    )
    assert only.routines == []
    of_sibling = await s.routines.family_runs(
        s.child, s.fam.family.id, ago(9), ago(9), user_id=s.sibling.user_id
    )
    assert [[m.completed for m in r.runs] for r in of_sibling.routines] == [[(ago(9),)], []]


async def test_family_runs_take_two_statements_whatever_the_routines_and_days(s: Setup) -> None:
    first = await s.create(effective_from=TODAY - timedelta(days=20))
    await run_to(s, first.id, TODAY, RunStatus.COMPLETED)
    start = TODAY - timedelta(days=20)
    await s.routines.family_runs(s.owner, s.fam.family.id, start, TODAY)  # warm up

    with every_statement(s.db) as small:
        await s.routines.family_runs(s.owner, s.fam.family.id, start, TODAY)
    for i, who in enumerate((s.fam.child, s.sibling, s.fam.parent)):
        routine = await s.create(name=f"Chores {i}", user_id=who.user_id, effective_from=start)
        for week in range(3):
            await s.routines.update_routine(
                s.owner,
                routine.id,
                {
                    "steps": [{"title": f"Step {week}"}],
                    "effective_from": start + timedelta(7 * week),
                },
            )
        for n, status in enumerate([*RunStatus] * 4):
            await run_to(s, routine.id, TODAY - timedelta(days=n), status)
    with every_statement(s.db) as large:
        found = await s.routines.family_runs(s.owner, s.fam.family.id, start, TODAY)
    with every_statement(s.db) as as_admin:
        await s.routines.family_runs(s.admin, s.fam.family.id, start, TODAY)
    assert len(found.routines) == 4
    assert sum(len(r.schedules) for r in found.routines) == 1 + 3 * 4
    # The routines with their versions and the permission check, then the run days.
    assert len(small) == len(large) == len(as_admin) == 2


async def test_family_runs_are_for_members_only(s: Setup) -> None:
    stranger = (await UserService(s.db).create_user({"full_name": "Somebody Else"})).value
    outsider = Actor.member(stranger.id)
    await s.create()
    other = await make_family(s.db, "Dupont")
    for family_id in (s.fam.family.id, other.family.id):  # with routines and without
        with pytest.raises(PermissionDeniedError, match="Only members of this family"):
            await s.routines.family_runs(outsider, family_id, TODAY, TODAY)
    with pytest.raises(NotFoundError, match="family does not exist"):
        await s.routines.family_runs(s.admin, uuid.uuid4(), TODAY, TODAY)
    with pytest.raises(InvalidInputError, match="End: must be on or after the start day"):
        await s.routines.family_runs(s.admin, s.fam.family.id, TODAY, TODAY - timedelta(1))
    with every_statement(s.db) as statements:
        nothing = await s.routines.family_runs(
            Actor.member(other.viewer.user_id), other.family.id, TODAY, TODAY
        )
    assert (nothing.routines, nothing.today) == ([], TODAY)
    assert len(statements) == 2  # and the family with the actor's role, to say why
