"""The Today screen's one read: each member's routines and habits of a day, in six statements.

A screen switch must show its data with a handful of statements whatever the length of the
history, so this does not call the routine and habit services (four to five statements each);
it runs the same queries, joined:

1. the family (its time zone and day-start hour say which day is "today"),
2. the members (the acting member's role comes from the same rows: no separate check),
3. the habits with every version of their rules,
4. the habit entries of the frequency window ending on the day (never older history),
5. the routines with the versions the day shows and their steps,
6. the runs of the day with their step checks.

The judging itself is the habit and routine services' own: habits are judged by
`habit_queries.habits_due`, the function `HabitService.habits_due_on` answers with, and the
read-models are built by the same helpers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import ColumnElement, ScalarSelect, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased, contains_eager

from habitdesk.core.db.database import Database
from habitdesk.core.domain.days import family_today
from habitdesk.core.domain.habit_rules import version_in_force
from habitdesk.core.domain.weekdays import includes, mask_from_names
from habitdesk.core.errors import InvalidInputError, PermissionDeniedError
from habitdesk.core.models import (
    Family,
    Habit,
    HabitVersion,
    Routine,
    RoutineRun,
    RoutineStep,
    RoutineStepCheck,
    RoutineVersion,
)
from habitdesk.core.models.base import utcnow
from habitdesk.core.models.enums import EntryStatus, Role, RunStatus
from habitdesk.core.schemas.habits import HabitDueRead, HabitVersionRead
from habitdesk.core.schemas.people import FamilyRead, MemberRead
from habitdesk.core.schemas.routines import (
    RoutineRunRead,
    RoutineStepRead,
    RoutineVersionRead,
    RunStepRead,
)
from habitdesk.core.schemas.today import DayOverview, MemberDayRead, RoutineDayRead
from habitdesk.core.services.base import Actor, Service, get_live
from habitdesk.core.services.habit_queries import (
    due_window_start,
    family_entries_between,
    family_habits,
    fetch_entries,
    habits_due,
    version_read,
)
from habitdesk.core.services.people import family_member_reads
from habitdesk.core.services.routine_reads import routine_read, run_read, version_reads

# Viewers only read: they have no routines or habits of their own to do.
DOERS = frozenset({Role.OWNER, Role.PARENT, Role.CHILD})


class TodayService(Service):
    def __init__(self, database: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        super().__init__(database)
        # Injected so tests can stand on either side of midnight or the day-start hour.
        self._clock = clock

    async def day_overview(
        self, actor: Actor, family_id: UUID, day: date | None = None
    ) -> DayOverview:
        """Each member's routines and habits of `day` (default: the family's today), what is due
        and what is not, with the day's runs, entries and points. Any member may read it; a day
        after the family's today is refused."""
        async with self.db.read() as session:
            family = await get_live(session, Family, family_id, "family")
            today = family_today(family.time_zone, family.day_start_hour, self._clock())
            day = day or today
            if day > today:
                raise InvalidInputError(
                    f"Day: {day.isoformat()} is in the future; pick today ({today.isoformat()}) "
                    "or an earlier day."
                )
            members = await family_member_reads(session, family_id)
            _require_member(actor, members)
            doers = [m for m in members if m.role in DOERS]
            habits = await _habits_of_day(session, family_id, day)
            routines = await _routines_of_day(session, family_id, day, today)
            return DayOverview(
                family=FamilyRead.model_validate(family),
                day=day,
                today=today,
                members=[_member_day(m, routines, habits) for m in doers],
            )


# --- who ------------------------------------------------------------------------------------


def _require_member(actor: Actor, members: Sequence[MemberRead]) -> None:
    """The same rule as `services.base.require_role(..., READERS, ...)`, from rows in hand."""
    if actor.system:
        return
    if actor.user_id is None or all(m.user_id != actor.user_id for m in members):
        raise PermissionDeniedError("Only members of this family can see this family's day.")


# --- habits ---------------------------------------------------------------------------------


async def _habits_of_day(session: AsyncSession, family_id: UUID, day: date) -> list[HabitDueRead]:
    """What `HabitService.habits_due_on` answers, judged by the same `habits_due`, with the
    habits and their versions read in one statement instead of two."""
    rows = await session.execute(
        family_habits(family_id)
        .where(~Habit.archived)
        .add_columns(HabitVersion)
        .join(HabitVersion, HabitVersion.habit_id == Habit.id)
        .order_by(HabitVersion.number)
    )
    habits: dict[UUID, Habit] = {}
    versions: dict[UUID, list[HabitVersionRead]] = defaultdict(list)
    for habit, version in rows.all():
        habits.setdefault(habit.id, habit)
        versions[habit.id].append(version_read(version))
    if not habits:
        return []
    start = due_window_start(versions.values(), day)
    found = await fetch_entries(session, family_entries_between(family_id, start, day))
    return habits_due(habits.values(), versions, found, day)


# --- routines -------------------------------------------------------------------------------


async def _routines_of_day(
    session: AsyncSession, family_id: UUID, day: date, today: date
) -> list[RoutineDayRead]:
    """Routines that have started by `day`, each with its run of the day (if any).

    Only the versions the day shows are read (see `_versions_shown`), not a long history of
    edits with all their steps: ≈1,000 rows of the demo family become ≈100.
    """
    routines = (
        (
            await session.scalars(
                select(Routine)
                .join(Routine.versions)
                .outerjoin(RoutineVersion.steps)
                .where(
                    Routine.family_id == family_id,
                    Routine.deleted_at.is_(None),
                    ~Routine.archived,
                    _versions_shown(day, today),
                )
                .options(contains_eager(Routine.versions).contains_eager(RoutineVersion.steps))
                .order_by(
                    Routine.position,
                    Routine.created_at,
                    Routine.id,
                    RoutineVersion.number,
                    RoutineStep.position,
                )
            )
        )
        .unique()
        .all()
    )
    if not routines:
        return []
    runs: dict[UUID, RoutineRun] = {}
    checks: dict[UUID, dict[UUID, RoutineStepCheck]] = defaultdict(dict)
    rows = await session.execute(
        select(RoutineRun, RoutineStepCheck)
        .outerjoin(
            RoutineStepCheck,
            and_(RoutineStepCheck.run_id == RoutineRun.id, RoutineStepCheck.deleted_at.is_(None)),
        )
        .where(
            RoutineRun.routine_id.in_([r.id for r in routines]),
            RoutineRun.day == day,
            RoutineRun.deleted_at.is_(None),
        )
    )
    for found, check in rows.all():
        runs[found.id] = found
        if check is not None:
            checks[found.id][check.step_id] = check
    # At most one run per routine, member and day; a run by someone the routine belonged to
    # before it was handed over is theirs, not the routine's member's.
    run_of = {(r.routine_id, r.user_id): r for r in runs.values()}
    result = []
    for routine in routines:
        versions = version_reads(routine.versions)
        version = version_in_force(versions, day)
        if version is None:
            continue  # it starts later: nothing to do that day
        run = run_of.get((routine.id, routine.user_id))
        read = None
        if run is not None:
            read = _run_read(routine, run, checks[run.id])
            steps = read.steps
        else:
            steps = [_unchecked(step) for step in version.steps]
        done = sum(1 for s in steps if s.checked)
        result.append(
            RoutineDayRead(
                # Numbers run 1, 2, 3 … (versions are only ever appended): the newest one's
                # number is how many there are.
                routine=routine_read(routine, today, versions, version_count=versions[-1].number),
                version=version,
                due=_scheduled(version, day),
                run=read,
                steps=steps,
                done=done,
                total=len(steps),
                points_earned=sum(s.points or 0 for s in steps if s.checked),
                points_possible=sum(s.points or 0 for s in steps),
            )
        )
    return result


def _versions_shown(day: date, today: date) -> ColumnElement[bool]:
    """The routine versions in force on `day` and on `today`, and the newest one, each with
    the version before it (which says what changed)."""
    other = aliased(RoutineVersion)

    def newest(*started: ColumnElement[bool]) -> ScalarSelect[int]:
        return (
            select(func.max(other.number))
            .where(other.routine_id == RoutineVersion.routine_id, *started)
            .scalar_subquery()
        )

    return or_(
        *(
            RoutineVersion.number.between(number - 1, number)
            for number in (
                newest(other.effective_from <= day),
                newest(other.effective_from <= today),
                newest(),
            )
        )
    )


def _scheduled(version: RoutineVersionRead, day: date) -> bool:
    return includes(mask_from_names(version.weekdays), day)


def _unchecked(step: RoutineStepRead) -> RunStepRead:
    return RunStepRead(
        step_id=step.id,
        position=step.position,
        title=step.title,
        duration_minutes=step.duration_minutes,
        points=step.points,
        checked=False,
        checked_at=None,
        checked_by=None,
    )


def _run_read(
    routine: Routine, run: RoutineRun, checks: dict[UUID, RoutineStepCheck]
) -> RoutineRunRead:
    """The run as `RoutineService` reads it, from rows already in hand."""
    version = next(v for v in routine.versions if v.id == run.version_id)
    return run_read(routine, run, version, checks)


# --- per member -----------------------------------------------------------------------------


def _member_day(
    member: MemberRead, routines: Sequence[RoutineDayRead], habits: Sequence[HabitDueRead]
) -> MemberDayRead:
    mine_r = [r for r in routines if r.routine.user_id == member.user_id]
    mine_h = [h for h in habits if h.habit.user_id == member.user_id]
    due_r = [r for r in mine_r if r.due]
    due_h = [h for h in mine_h if h.due]
    counted_r = [r for r in due_r if not _run_skipped(r)]
    counted_h = [h for h in due_h if not _entry_is(h, EntryStatus.SKIPPED)]
    done = sum(1 for r in counted_r if r.complete) + sum(
        1 for h in counted_h if _entry_is(h, EntryStatus.DONE)
    )
    earned = sum(r.points_earned for r in mine_r) + sum(
        h.habit.points for h in mine_h if _entry_is(h, EntryStatus.DONE)
    )
    possible = sum(r.points_possible for r in counted_r) + sum(h.habit.points for h in counted_h)
    return MemberDayRead(
        member=member,
        routines=due_r,
        habits=due_h,
        not_due_routines=[r for r in mine_r if not r.due],
        not_due_habits=[h for h in mine_h if not h.due],
        done=done,
        total=len(counted_r) + len(counted_h),
        points_earned=earned,
        points_possible=possible,
    )


def _run_skipped(item: RoutineDayRead) -> bool:
    return item.run is not None and item.run.status is RunStatus.SKIPPED


def _entry_is(item: HabitDueRead, status: EntryStatus) -> bool:
    return item.entry is not None and item.entry.status is status


__all__ = ["DOERS", "TodayService"]
