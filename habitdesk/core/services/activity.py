"""Exercise sessions, and the minutes they add to numeric habits."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from habitdesk.core.changes import Changes, Kind
from habitdesk.core.db.database import Database
from habitdesk.core.domain.days import family_today
from habitdesk.core.domain.habit_rules import version_for_day
from habitdesk.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from habitdesk.core.models import (
    ExerciseSession,
    Family,
    FamilyMembership,
    Habit,
    HabitVersion,
    User,
)
from habitdesk.core.models.enums import HabitKind, Role
from habitdesk.core.schemas.activity import ExerciseCreate, ExerciseRead, ExerciseUpdate
from habitdesk.core.services.base import (
    READERS,
    Actor,
    Result,
    Service,
    check_version,
    get_live,
    parse,
    require_role,
    require_self_or_editor,
)

Clock = Callable[[], datetime]

_REQUIRED = {"activity": "Activity", "day": "Day", "minutes": "Minutes"}


async def family_member(
    session: AsyncSession, family_id: UUID, user_id: UUID, doing: str
) -> tuple[str, Role]:
    """The full name and role of a live member, for services that act *on* a member.

    Viewers are read-only participants: nothing is logged or credited to them.
    """
    row = (
        await session.execute(
            select(User.full_name, FamilyMembership.role)
            .join(FamilyMembership, FamilyMembership.user_id == User.id)
            .where(
                FamilyMembership.family_id == family_id,
                FamilyMembership.user_id == user_id,
                FamilyMembership.deleted_at.is_(None),
                User.deleted_at.is_(None),
            )
        )
    ).one_or_none()
    if row is None:
        raise NotFoundError(
            "That person is not a member of this family (they may have been removed)."
        )
    name, role = row
    if role is Role.VIEWER:
        raise InvalidInputError(
            f"{name} is a viewer; viewers only read, so they cannot {doing}. "
            "Choose another member, or make them a child or parent first."
        )
    return name, role


async def exercise_minutes_by_day(
    session: AsyncSession,
    user_id: UUID,
    start: date,
    end: date,
    habit_id: UUID | None = None,
) -> dict[date, int]:
    """Minutes per day for one member, in one aggregate query; days without exercise are absent.

    With `habit_id`, only the sessions that count toward that habit.
    """
    query = (
        select(ExerciseSession.day, func.sum(ExerciseSession.minutes))
        .where(
            ExerciseSession.user_id == user_id,
            ExerciseSession.day >= start,
            ExerciseSession.day <= end,
            ExerciseSession.deleted_at.is_(None),
        )
        .group_by(ExerciseSession.day)
    )
    if habit_id is not None:
        query = query.where(ExerciseSession.habit_id == habit_id)
    rows = await session.execute(query)
    return {day: int(total) for day, total in rows.all()}


def _check_not_future(day: date, family: Family, now: datetime) -> None:
    today = family_today(family.time_zone, family.day_start_hour, now)
    if day > today:
        raise InvalidInputError(
            f"Day: {day.isoformat()} is in the future; exercise can be logged for today "
            f"({today.isoformat()}) or earlier."
        )


async def _check_habit_link(
    session: AsyncSession, habit_id: UUID, family_id: UUID, user_id: UUID, day: date
) -> None:
    """Minutes may only count toward a live, numeric habit of the member who exercised."""
    habit = await session.get(Habit, habit_id)
    if habit is None or habit.deleted_at is not None or habit.family_id != family_id:
        raise InvalidInputError(
            "Habit: that habit does not exist (it may have been removed); choose another one."
        )
    if habit.user_id != user_id:
        raise InvalidInputError(
            f"Habit: “{habit.name}” belongs to someone else; minutes can only count toward "
            "a habit of the person who exercised."
        )
    if habit.archived:
        raise InvalidInputError(
            f"Habit: “{habit.name}” is archived; restore it first or choose another habit."
        )
    versions = list(
        await session.scalars(select(HabitVersion).where(HabitVersion.habit_id == habit_id))
    )
    # The rules in force on the session's day, as every habit screen judges it; a session
    # logged before the habit's first version (a walk yesterday, habit created today) is
    # judged by that first version.
    if version_for_day(versions, day).kind is not HabitKind.NUMERIC:
        raise InvalidInputError(
            f"Habit: “{habit.name}” is a yes/no habit; only a numeric habit "
            "(like “150 exercise minutes a week”) can count exercise minutes."
        )


def _changes(family_id: UUID, *habit_ids: UUID | None) -> Changes:
    # Linked minutes move a habit's progress, so habit screens must refresh too.
    kinds = [Kind.EXERCISE]
    if any(h is not None for h in habit_ids):
        kinds.append(Kind.HABITS)
    return Changes.of(*kinds, family_id=family_id)


class ExerciseService(Service):
    def __init__(self, database: Database, *, clock: Clock | None = None) -> None:
        super().__init__(database)
        # Injectable so "today" (and so "the future") can be pinned in tests.
        self._clock: Clock = clock or (lambda: datetime.now(UTC))

    async def log_session(
        self, actor: Actor, data: ExerciseCreate | dict[str, Any]
    ) -> Result[ExerciseRead]:
        data = parse(ExerciseCreate, data)
        async with self.db.transaction() as session:
            family = await get_live(session, Family, data.family_id, "family")
            await require_self_or_editor(session, actor, family.id, data.user_id, "log exercise")
            await family_member(session, family.id, data.user_id, "log exercise")
            _check_not_future(data.day, family, self._clock())
            if data.habit_id is not None:
                await _check_habit_link(session, data.habit_id, family.id, data.user_id, data.day)
            row = ExerciseSession(**data.model_dump())
            session.add(row)
            await session.flush()
            return Result(ExerciseRead.model_validate(row), _changes(family.id, row.habit_id))

    async def update_session(
        self, actor: Actor, session_id: UUID, data: ExerciseUpdate | dict[str, Any]
    ) -> Result[ExerciseRead]:
        data = parse(ExerciseUpdate, data)
        async with self.db.transaction() as session:
            row = await get_live(session, ExerciseSession, session_id, "exercise session")
            family = await get_live(session, Family, row.family_id, "family")
            await require_self_or_editor(session, actor, family.id, row.user_id, "edit exercise")
            check_version(row, data.expected_version, "exercise session")
            values = data.model_dump(exclude_unset=True, exclude={"expected_version"})
            for key, label in _REQUIRED.items():
                if key in values and values[key] is None:
                    raise InvalidInputError(f"{label}: must not be empty")
            day: date = values.get("day", row.day)
            if "day" in values:
                _check_not_future(day, family, self._clock())
            if values.get("habit_id") is not None:
                await _check_habit_link(session, values["habit_id"], family.id, row.user_id, day)
            old_habit = row.habit_id
            for key, value in values.items():
                setattr(row, key, value)
            await session.flush()
            return Result(
                ExerciseRead.model_validate(row), _changes(family.id, old_habit, row.habit_id)
            )

    async def remove_session(
        self, actor: Actor, session_id: UUID, expected_version: int | None = None
    ) -> Result[None]:
        async with self.db.transaction() as session:
            row = await get_live(session, ExerciseSession, session_id, "exercise session")
            await require_self_or_editor(
                session, actor, row.family_id, row.user_id, "remove exercise"
            )
            check_version(row, expected_version, "exercise session")
            row.soft_delete()
            await session.flush()
            return Result(None, _changes(row.family_id, row.habit_id))

    async def sessions_in_range(
        self,
        actor: Actor,
        family_id: UUID,
        user_id: UUID | None = None,
        *,
        start: date,
        end: date,
    ) -> list[ExerciseRead]:
        """Sessions from `start` to `end` inclusive, oldest first. A child sees only its own."""
        if end < start:
            raise InvalidInputError(
                f"End: {end.isoformat()} is before the start ({start.isoformat()}); "
                "choose an end on or after the start."
            )
        async with self.db.read() as session:
            await get_live(session, Family, family_id, "family")
            role = await require_role(session, actor, family_id, READERS, "see exercise")
            if role is Role.CHILD:
                if user_id is not None and user_id != actor.user_id:
                    raise PermissionDeniedError("A child can only see their own exercise.")
                user_id = actor.user_id
            query = select(ExerciseSession).where(
                ExerciseSession.family_id == family_id,
                ExerciseSession.day >= start,
                ExerciseSession.day <= end,
                ExerciseSession.deleted_at.is_(None),
            )
            if user_id is not None:
                query = query.where(ExerciseSession.user_id == user_id)
            rows = await session.scalars(
                query.order_by(ExerciseSession.day, ExerciseSession.created_at)
            )
            return [ExerciseRead.model_validate(r) for r in rows]

    async def minutes_by_day(
        self, user_id: UUID, start: date, end: date, habit_id: UUID | None = None
    ) -> dict[date, int]:
        """Minutes per day (days without exercise are absent); see `exercise_minutes_by_day`
        to use it inside another service's transaction."""
        async with self.db.read() as session:
            return await exercise_minutes_by_day(session, user_id, start, end, habit_id)
