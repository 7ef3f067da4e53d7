"""The readers behind the history and insights services: members, habits with every version of
their rules, routines with their runs, and years of entries, read in a fixed number of statements
and laid out as days (`HabitDays`) for the domain's judging; and the small judging helpers they
share (streaks as of a day).

StatsService, HabitInsightsService and WeekReportService build on these; each reader takes the
open session of the caller's one read transaction.

The family-wide reads cover years of entries for every habit, so they run lean statements of
their own (only the columns the judging needs) and turn the rows into days column by column with
C-level passes (see `lay_out` and `lay_out_groups`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import compress, repeat
from operator import add, sub
from typing import Any, cast
from uuid import UUID

from sqlalchemy import Select, String, Table, case, func, select, type_coerce
from sqlalchemy import cast as sql_cast
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import NullType

from habitdesk.core.domain import streaks as streak_rules
from habitdesk.core.domain.history_days import (
    DayStatus,
    HabitDays,
    habit_days,
    routine_run_status,
    rule_spans,
)
from habitdesk.core.enums import EntryStatus, HabitKind, Role, RunStatus
from habitdesk.core.errors import InvalidInputError
from habitdesk.core.models import (
    FamilyMembership,
    Habit,
    HabitVersion,
    Routine,
    RoutineRun,
    RoutineStep,
    RoutineStepCheck,
    RoutineVersion,
    User,
)
from habitdesk.core.schemas.habits import HabitVersionRead
from habitdesk.core.schemas.stats import (
    StreakRead,
)
from habitdesk.core.services.habit_queries import (
    ENTRY,
    FOLD,
    DayOrdinals,
    collector_paused,
    day_of,
    days_list,
    family_habits,
    uuid_of,
    version_read,
)
from habitdesk.core.services.people import live_members

BEST_STREAKS = 3

_R = cast(Table, RoutineRun.__table__).c
# What the days need, without SQLAlchemy's per-value processing (converted in `lay_out`).
_LEAN_COLUMNS = tuple(
    type_coerce(ENTRY[name], NullType()) for name in ("habit_id", "day", "status", "value", "note")
)

_STATUS_OF: dict[Any, DayStatus] = {
    **{s.value: DayStatus(s.value) for s in EntryStatus},
    **{s: DayStatus(s.value) for s in EntryStatus},
}
_RUN_STATUS: dict[Any, RunStatus] = {
    **{s.value: s for s in RunStatus},
    **{s: s for s in RunStatus},
}
_PARTLY = frozenset({RunStatus.PARTIAL, RunStatus.IN_PROGRESS})
# A finished run's status says it all (see `read_routine_defs`): judged once per raw value.
_FINISHED_RUN = {raw: routine_run_status(status) for raw, status in _RUN_STATUS.items()}
_NONE = DayStatus.NONE
_DONE = DayStatus.DONE
_SKIPPED = DayStatus.SKIPPED


# --- what is read --------------------------------------------------------------------------------


@dataclass
class HabitDef:
    habit: Habit
    versions: list[HabitVersionRead]


@dataclass
class MemberDef:
    user_id: UUID
    full_name: str
    role: Role


@dataclass(frozen=True)
class RoutineVersionDef:
    effective_from: date
    number: int
    weekdays: int


@dataclass
class RoutineDef:
    routine: Routine
    versions: list[RoutineVersionDef]
    runs: list[tuple[date, DayStatus]] = field(default_factory=list)
    # Days of runs finished with steps unchecked, or started and never finished.
    partial: list[date] = field(default_factory=list)


def check_range(start: date, end: date, today: date) -> None:
    if end > today:
        raise InvalidInputError(
            f"Dates: the end ({end.isoformat()}) is after today ({today.isoformat()}); "
            "statistics stop at today."
        )
    if start > end:
        raise InvalidInputError(
            f"Dates: the start ({start.isoformat()}) is after the end ({end.isoformat()})."
        )


async def read_members(
    session: AsyncSession, family_id: UUID, user_id: UUID | None
) -> dict[UUID, MemberDef]:
    query = live_members(family_id, User.id, User.full_name, FamilyMembership.role)
    if user_id is not None:
        query = query.where(User.id == user_id)
    rows = (await session.execute(query)).all()
    return {row.id: MemberDef(row.id, row.full_name, row.role) for row in rows}


async def read_habit_defs(
    session: AsyncSession, family_id: UUID, user_id: UUID | None
) -> list[HabitDef]:
    """The family's habits in its order, each with every version of its rules (oldest first),
    in one statement: the habits joined with their versions."""
    query = (
        family_habits(family_id)
        .add_columns(HabitVersion)
        .join(HabitVersion, HabitVersion.habit_id == Habit.id)
        .order_by(HabitVersion.number)
    )
    if user_id is not None:
        query = query.where(Habit.user_id == user_id)
    defs: dict[UUID, HabitDef] = {}
    for habit, version in (await session.execute(query)).all():
        found = defs.get(habit.id)
        if found is None:
            found = defs[habit.id] = HabitDef(habit, [])
        found.versions.append(version_read(version))
    return list(defs.values())


async def read_routine_defs(
    session: AsyncSession,
    family_id: UUID,
    user_id: UUID | None,
    end: date,
    start: date | None = None,
) -> list[RoutineDef]:
    """Routines with their versions' weekdays and their runs up to `end`, in two statements.

    A run counts for the member the routine belongs to (runs done by someone it was handed over
    from stay theirs, and are not counted here); it is done when every step of the version it
    follows was checked.
    """
    steps = (
        select(RoutineStep.version_id, func.count(RoutineStep.id).label("steps"))
        .group_by(RoutineStep.version_id)
        .subquery()
    )
    query = (
        select(
            Routine,
            RoutineVersion.id,
            RoutineVersion.effective_from,
            RoutineVersion.number,
            RoutineVersion.weekdays,
            func.coalesce(steps.c.steps, 0),
        )
        .join(RoutineVersion, RoutineVersion.routine_id == Routine.id)
        .outerjoin(steps, steps.c.version_id == RoutineVersion.id)
        .where(Routine.family_id == family_id, Routine.deleted_at.is_(None))
        .order_by(Routine.position, Routine.created_at, Routine.id, RoutineVersion.number)
    )
    if user_id is not None:
        query = query.where(Routine.user_id == user_id)
    routines: dict[UUID, RoutineDef] = {}
    step_counts: dict[UUID, int] = {}
    for routine, version_id, effective_from, number, weekdays, count in (
        await session.execute(query)
    ).all():
        step_counts[version_id] = int(count)
        found = routines.get(routine.id)
        if found is None:
            found = routines[routine.id] = RoutineDef(routine, [])
        found.versions.append(RoutineVersionDef(effective_from, number, weekdays))
    if not routines:
        return []
    # A finished run's status already says whether every step was checked (RoutineService
    # keeps it so when a step of a finished run is checked or unchecked): only the runs still
    # in progress have their checks counted, which spares reading every check of the history.
    checks = (
        select(func.count(RoutineStepCheck.id))
        .where(RoutineStepCheck.run_id == _R.id, RoutineStepCheck.deleted_at.is_(None))
        .scalar_subquery()
    )
    run_query = (
        select(
            type_coerce(_R.routine_id, NullType()),
            type_coerce(_R.day, NullType()),
            type_coerce(_R.status, NullType()),
            type_coerce(_R.version_id, NullType()),
            case((_R.status == RunStatus.IN_PROGRESS.value, checks), else_=None),
        )
        .join(Routine, Routine.id == _R.routine_id)
        .where(
            Routine.family_id == family_id,
            Routine.deleted_at.is_(None),
            _R.user_id == Routine.user_id,
            _R.deleted_at.is_(None),
            _R.day <= end,
        )
    )
    if user_id is not None:
        run_query = run_query.where(Routine.user_id == user_id)
    if start is not None:
        run_query = run_query.where(_R.day >= start)
    rows = (await session.execute(run_query)).all()
    owner = {raw: routines.get(uuid_of(raw)) for raw in {row[0] for row in rows}}
    days = {raw: day_of(raw) for raw in {row[1] for row in rows}}
    for routine_id, day, status, version_id, checked in rows:
        routine = owner[routine_id]
        if routine is None:
            continue
        if checked is None:
            judged = _FINISHED_RUN[status]
        else:
            total = step_counts.get(uuid_of(version_id), 0)
            judged = routine_run_status(_RUN_STATUS[status], total, int(checked))
        routine.runs.append((days[day], judged))
        # Finished with steps unchecked, or started and left: partly done.
        if judged is not _DONE and _RUN_STATUS[status] in _PARTLY:
            routine.partial.append(days[day])
    return [r for r in routines.values() if r.versions]


# --- laying entries out as days ------------------------------------------------------------------


def lay_out(defs: Sequence[HabitDef], rows: Sequence[Sequence[Any]], end: date) -> list[HabitDays]:
    """Each habit's `HabitDays` from its first day to `end`, from raw entry rows
    (habit_id, day, status, value, note): `read_entry_rows`.

    Five years of sixty habits is ≈65,000 rows: they are taken apart column by column, each
    distinct habit id and day converted once, and every entry dropped into one flat list of
    (habit × day) slots with a single loop; each habit's days are then a slice of it.
    """
    if not defs:
        return []
    columns: list[tuple[Any, ...]] = list(zip(*rows, strict=True)) if rows else [()] * 5
    raw_habits, raw_days, raw_statuses = columns[0], columns[1], columns[2]
    ordinal = {raw: day_of(raw).toordinal() for raw in set(raw_days)}
    firsts = [min(v.effective_from for v in d.versions).toordinal() for d in defs]
    last = end.toordinal()
    base = min([*firsts, *ordinal.values(), last])
    stride = last - base + 1
    slot_of = {d.habit.id: k * stride for k, d in enumerate(defs)}
    trash = len(defs) * stride  # entries of habits not asked for (a member removed meanwhile)
    habit_slot = {raw: slot_of.get(uuid_of(raw), trash) for raw in set(raw_habits)}
    day_slot = {raw: o - base for raw, o in ordinal.items()}
    slots = list(
        map(add, map(habit_slot.__getitem__, raw_habits), map(day_slot.__getitem__, raw_days))
    )
    size = (len(defs) + 1) * stride
    statuses: list[DayStatus] = [_NONE] * size
    values: list[float | None] = [None] * size
    texts: list[str | None] = [None] * size
    # Drop each entry in its slot without a Python-level loop (`deque(…, 0)` only consumes).
    deque(map(statuses.__setitem__, slots, map(_STATUS_OF.__getitem__, raw_statuses)), 0)
    deque(map(values.__setitem__, slots, columns[3]), 0)
    deque(map(texts.__setitem__, slots, columns[4]), 0)
    laid: list[HabitDays] = []
    for k, d in enumerate(defs):
        offset = k * stride
        # A habit whose rules begin after `end` has no days, unless some were back-filled:
        # clamped, so that the search below stays within this habit's own slots.
        first = min(firsts[k] - base, stride)
        # Back-filled days before the first rules start the history earlier.
        if statuses[offset : offset + first].count(_NONE) != first:
            first = next(i for i in range(first) if statuses[offset + i] is not _NONE)
        lo, hi = offset + first, offset + stride
        start = date.fromordinal(base + first)
        laid.append(
            HabitDays(
                start=start,
                statuses=statuses[lo:hi],
                values=values[lo:hi],
                notes=texts[lo:hi],
                spans=rule_spans(d.versions, start),
            )
        )
    return laid


def _family_entries(
    query: Select[*tuple[Any, ...]],
    family_id: UUID,
    user_id: UUID | None,
    end: date,
    start: date | None = None,
) -> Select[*tuple[Any, ...]]:
    """`query` over the live entries of the family's (or one member's) live habits up to `end`
    (and from `start`)."""
    # Through the habits (not `habit_id IN …`), as HabitService does: SQLite then walks the
    # (habit, day) key per habit.
    query = query.join(Habit, Habit.id == ENTRY.habit_id).where(
        Habit.family_id == family_id,
        Habit.deleted_at.is_(None),
        ENTRY.day <= end,
        ENTRY.deleted_at.is_(None),
    )
    if user_id is not None:
        query = query.where(Habit.user_id == user_id)
    if start is not None:
        query = query.where(ENTRY.day >= start)
    return query


async def read_entry_rows(
    session: AsyncSession,
    family_id: UUID,
    user_id: UUID | None,
    end: date,
) -> Sequence[Sequence[Any]]:
    """(habit id, day, status, value, note) of every entry up to `end`, raw: for `lay_out`."""
    # No ORDER BY: days are placed by their date.
    lean: Select[*tuple[Any, ...]] = select(*_LEAN_COLUMNS)
    query = _family_entries(lean, family_id, user_id, end)
    connection = await session.connection()
    with collector_paused():
        return (await connection.execute(query)).all()


# Entries folded per habit: one row per habit with its days, statuses and values each joined into
# one text (the database's string aggregate; `FOLD` never occurs in any of them).


async def read_entry_groups(
    session: AsyncSession,
    family_id: UUID,
    user_id: UUID | None,
    end: date,
    start: date | None = None,
) -> Sequence[Sequence[Any]]:
    """(habit id, days, statuses, values) per habit with entries up to `end`, each of the last
    three one text of comma-separated items in the same order.

    Five years of sixty habits is ≈65,000 entries: as rows they cost the driver (and asyncpg
    its UUID and date decoding) and Python a tuple and four objects each, ≈60 % of the read.
    Folded by the database they are sixty rows, split apart with C-level `str.split`.
    """
    connection = await session.connection()
    folded: Select[*tuple[Any, ...]] = select(
        type_coerce(ENTRY.habit_id, NullType()),
        days_list(ENTRY.day),
        func.aggregate_strings(sql_cast(ENTRY.status, String), FOLD),
        func.aggregate_strings(sql_cast(ENTRY.value, String), FOLD),
    )
    query = _family_entries(folded, family_id, user_id, end, start).group_by(ENTRY.habit_id)
    return (await connection.execute(query)).all()


def lay_out_groups(
    defs: Sequence[HabitDef],
    groups: Sequence[Sequence[Any]],
    end: date,
    start: date | None = None,
) -> list[HabitDays]:
    """Each habit's `HabitDays` from its first day (its first rules, or an earlier entry) — or
    from `start` when that is later — to `end`, from `read_entry_groups`. Values are kept for
    numeric habits only (their scores need them); the other habits' values are None."""
    ordinal_of = DayOrdinals()
    split = {
        uuid_of(raw): (ordinal_of.split(days), statuses, values)
        for raw, days, statuses, values in groups
    }
    last = end.toordinal()
    laid: list[HabitDays] = []
    for d in defs:
        first = min(v.effective_from for v in d.versions).toordinal()
        found = split.get(d.habit.id)
        indices: list[int] = []
        if found is not None:
            ordinals = found[0]
            first = min(first, min(ordinals))
        if start is not None:
            first = max(first, start.toordinal())  # the entries were read from `start` on
        if found is not None:
            indices = list(map(sub, ordinals, repeat(first)))
        size = max(0, last - first + 1)
        statuses: list[DayStatus] = [_NONE] * size
        values: list[float | None] = [None] * size
        if found is not None:
            # Drop each entry in its slot without a Python-level loop (`deque(…, 0)` consumes).
            deque(
                map(
                    statuses.__setitem__,
                    indices,
                    map(_STATUS_OF.__getitem__, found[1].split(FOLD)),
                ),
                0,
            )
            if any(v.kind is HabitKind.NUMERIC for v in d.versions):
                deque(map(values.__setitem__, indices, map(float, found[2].split(FOLD))), 0)
        first_day = date.fromordinal(first)
        laid.append(
            HabitDays(
                start=first_day,
                statuses=statuses,
                values=values,
                notes=[None] * size,
                spans=rule_spans(d.versions, first_day),
            )
        )
    return laid


# --- judging -------------------------------------------------------------------------------------


def streak_read(streak: streak_rules.Streak) -> StreakRead:
    return StreakRead(start=streak.start, end=streak.end, length=streak.length)


def habit_streaks(
    versions: Sequence[streak_rules.RuledVersion],
    days: HabitDays,
    end: date,
    since: date | None = None,
) -> streak_rules.HabitStreaks:
    """Current and best streaks as of `end`; with `since`, only days from `since` on count
    (the days before it still judged, so that windows reaching into them hold)."""
    base = days.start.toordinal()
    ordinals = range(base, base + len(days))
    done = list(compress(ordinals, map(_DONE.__eq__, days.statuses)))
    skipped = list(compress(ordinals, map(_SKIPPED.__eq__, days.statuses)))
    judged = streak_rules.judge_days(versions, done, skipped, end)
    if since is not None and since.toordinal() > judged.start:
        cut = since.toordinal() - judged.start
        judged = streak_rules.DayVerdicts(since.toordinal(), judged.today, judged.codes[cut:])
    return judged.streaks(BEST_STREAKS)


def habit_days_of(
    versions: Sequence[HabitVersionRead], entries: Sequence[Any], start: date, end: date
) -> HabitDays:
    """`history_days.habit_days` from entry rows (with day, status, value and note)."""
    return habit_days(versions, ((e.day, e.status, e.value, e.note) for e in entries), end, start)
