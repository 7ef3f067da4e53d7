"""The weekly family report: each member's ISO week, day by day, in one read.

The judging is the statistics' (`services.stats` reads the history, `domain.completion` says
which days were due, `domain.streaks` counts the streaks); this module only lays one week of it
out for a printed page. Each day is judged by the rules in force on it, so a change of rules in
the middle of the week shows as such.

One read transaction and a bounded number of statements whatever the family's size or the
length of its history: the family with the actor's role, the members, the habits and their
versions, every entry up to the week's last judged day (streaks and "X times per Y days" rules
need the days before the week), the routines with their versions and runs, the week's runs
with their steps and notes, the points earned for the week's days and the rewards approved in
it.
"""

from __future__ import annotations

import asyncio
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from habitdesk.core.db.database import Database
from habitdesk.core.domain import streaks as streak_rules
from habitdesk.core.domain.completion import habit_outcomes, routine_outcomes
from habitdesk.core.domain.days import family_day, family_today
from habitdesk.core.domain.habit_rules import Rules
from habitdesk.core.domain.history_days import DayStatus, HabitDays, Outcome, routine_days
from habitdesk.core.domain.iso_week import IsoWeek, parse_iso_week
from habitdesk.core.enums import HabitKind, PointsSource, RedemptionStatus, Role
from habitdesk.core.errors import InvalidInputError
from habitdesk.core.models import (
    Family,
    Habit,
    HabitEntry,
    PointsEntry,
    Reward,
    RewardRedemption,
    Routine,
    RoutineRun,
    RoutineStep,
    RoutineStepCheck,
)
from habitdesk.core.models.base import utcnow
from habitdesk.core.schemas.people import MemberRead
from habitdesk.core.schemas.report import (
    NOTE_MAX_CHARS,
    MemberWeekRead,
    ReportCell,
    ReportHabitRow,
    ReportNote,
    ReportRedemption,
    ReportRoutineRow,
    ReportStatus,
    ReportStreak,
    WeekReportRead,
)
from habitdesk.core.services.base import READERS, Actor, Service, family_and_role
from habitdesk.core.services.habit_queries import collector_paused
from habitdesk.core.services.history_reads import (
    HabitDef,
    RoutineDef,
    habit_streaks,
    lay_out,
    read_entry_rows,
    read_habit_defs,
    read_routine_defs,
)
from habitdesk.core.services.people import family_member_reads

_FROM_OUTCOME = {
    Outcome.DONE: ReportStatus.DONE,
    Outcome.MISSED: ReportStatus.MISSED,
    Outcome.SKIPPED: ReportStatus.SKIPPED,
    Outcome.NOT_DUE: ReportStatus.NOT_DUE,
}
_SPACES = re.compile(r"\s+")
_NO_STREAK = ReportStreak(current=0, best=0)


@dataclass(frozen=True)
class _WeekRun:
    """A run of the week: whose, and how many of its version's steps were checked."""

    routine_id: UUID
    user_id: UUID
    day: date
    done: int
    total: int
    note: str | None


@dataclass(frozen=True)
class _WeekdayRules:
    """A routine version as the streak rules see it: due on its weekdays."""

    effective_from: date
    number: int
    weekdays: int

    def rules(self) -> Rules:
        return Rules(weekdays=self.weekdays)


def short_note(text: str) -> str:
    """One line of at most NOTE_MAX_CHARS characters."""
    line = _SPACES.sub(" ", text).strip()
    if len(line) <= NOTE_MAX_CHARS:
        return line
    return line[: NOTE_MAX_CHARS - 1].rstrip() + "…"


def _counted(cells: Sequence[ReportCell]) -> tuple[int, int]:
    return sum(c.status is ReportStatus.DONE for c in cells), sum(c.due for c in cells)


def _streak(found: streak_rules.HabitStreaks) -> ReportStreak:
    return ReportStreak(current=found.current_length, best=found.best_length)


class _Week:
    """The week being reported, with the day the family is on."""

    def __init__(self, week: IsoWeek, today: date) -> None:
        self.week = week
        self.days = week.days
        self.today = today
        # The last day with a verdict: the Sunday, or today in the current week.
        self.judged_end = min(week.sunday, today)
        # The streak rules leave their `today` open (not done yet breaks nothing). A finished
        # week's Sunday is over, so its streaks are judged as of the Monday after, with nothing
        # recorded past the Sunday.
        self.streaks_as_of = today if today <= week.sunday else week.sunday + timedelta(days=1)

    def habit_cells(self, days: HabitDays) -> list[ReportCell]:
        outcomes = habit_outcomes(days)
        rules_at = _rules_by_index(days)
        cells: list[ReportCell] = []
        for day in self.days:
            i = days.index(day)
            if day > self.today:
                cells.append(ReportCell(status=ReportStatus.UPCOMING))
                continue
            if i < 0:
                cells.append(ReportCell(status=ReportStatus.NOT_DUE))
                continue
            rules = rules_at(i)
            status = _FROM_OUTCOME[outcomes[i]]
            open_today = day == self.today and days.statuses[i] is DayStatus.NONE
            if open_today and status is ReportStatus.MISSED:
                status = ReportStatus.UPCOMING
            numeric = rules.kind is HabitKind.NUMERIC
            cell = ReportCell(
                status=status,
                value=days.values[i] if numeric else None,
                target=rules.target_value if numeric else None,
                due=status in (ReportStatus.DONE, ReportStatus.MISSED),
            )
            cells.append(cell)
        return cells

    def routine_cells(
        self, routine: RoutineDef, runs: dict[date, _WeekRun]
    ) -> tuple[list[ReportCell], streak_rules.HabitStreaks]:
        laid = routine_days(routine.versions, routine.runs, self.judged_end)
        outcomes = routine_outcomes(laid)
        base = laid.start
        cells: list[ReportCell] = []
        for day in self.days:
            i = (day - base).days
            run = runs.get(day)
            steps = (run.done, run.total) if run is not None else (None, None)
            if day > self.today or i < 0:
                # Before the routine begins nothing is due, even on the days still to come.
                status = ReportStatus.NOT_DUE if i < 0 else ReportStatus.UPCOMING
                cells.append(ReportCell(status=status))
                continue
            outcome = outcomes[i]
            status = _FROM_OUTCOME[outcome]
            some_steps = run is not None and 0 < run.done < run.total
            if status is not ReportStatus.DONE and status is not ReportStatus.SKIPPED:
                if some_steps:
                    status = ReportStatus.PARTIAL
                elif day == self.today and outcome is Outcome.MISSED:
                    status = ReportStatus.UPCOMING
            # Today is not over: a run still open there counts in no rate yet.
            still_open = day == self.today and laid.statuses[i] is DayStatus.NONE
            due = outcome is Outcome.DONE or (outcome is Outcome.MISSED and not still_open)
            cells.append(
                ReportCell(status=status, steps_done=steps[0], steps_total=steps[1], due=due)
            )
        ordinal = laid.start.toordinal()
        done_days = [ordinal + i for i, s in enumerate(laid.statuses) if s is DayStatus.DONE]
        skipped = [ordinal + i for i, s in enumerate(laid.statuses) if s is DayStatus.SKIPPED]
        versions = [_WeekdayRules(v.effective_from, v.number, v.weekdays) for v in routine.versions]
        judged = streak_rules.judge_days(versions, done_days, skipped, self.streaks_as_of)
        return cells, judged.streaks(1)

    def not_begun_cells(self, first: date) -> list[ReportCell]:
        """A habit whose rules begin after today, later this week: not due before its first
        day, still to come from it on."""
        return [
            ReportCell(status=ReportStatus.NOT_DUE if day < first else ReportStatus.UPCOMING)
            for day in self.days
        ]


def _rules_by_index(days: HabitDays) -> Callable[[int], Rules]:
    bounds = list(days.span_bounds())

    def rules_at(i: int) -> Rules:
        return next(rules for first, stop, rules in bounds if first <= i < stop)

    return rules_at


class WeekReportService(Service):
    def __init__(self, database: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        super().__init__(database)
        # Injected so tests can stand inside a week, on its last day, or after it.
        self._clock = clock

    async def week_report(
        self, actor: Actor, family_id: UUID, week: IsoWeek | str
    ) -> WeekReportRead:
        """Every member's routines and habits over one ISO week (Monday to Sunday, whatever the
        family's week start), day by day; each member's completion, streaks as of the week's
        last judged day, points earned for the week's days and rewards approved that week, and
        the notes written on its habits' and routines' days. Any member may read it; a child
        sees points and rewards only for itself.

        Days after today are upcoming (neither missed nor counted). A week that has not begun,
        or that ends before the family's history begins, is refused with InvalidInputError.
        """
        wanted = parse_iso_week(week) if isinstance(week, str) else week
        # Years of rows stay alive from the read to the end of the judging: the cyclic collector
        # rests meanwhile (as for the statistics), and the judging (tens of milliseconds for
        # years of sixty habits) runs in a worker thread, off the caller's event loop (the UI).
        with collector_paused():
            async with self.db.read() as session:
                family, role = await family_and_role(
                    session, actor, family_id, READERS, "see the weekly report"
                )
                today = family_today(family.time_zone, family.day_start_hour, self._clock())
                _check_started(wanted, today)
                span = _Week(wanted, today)
                own = actor.user_id if role is Role.CHILD else None
                read = _Read(
                    family=family,
                    members=await family_member_reads(session, family_id),
                    habits=await read_habit_defs(session, family_id, None),
                    rows=await read_entry_rows(session, family_id, None, span.judged_end),
                    routines=await read_routine_defs(session, family_id, None, span.judged_end),
                    earned=await _points_earned(session, family, wanted, own),
                    approved=await _rewards_approved(session, family, wanted, own),
                    own=own,
                )
                if read.routines:
                    read.runs = await _week_runs(session, family_id, wanted)
            held = [read]
            found = await asyncio.to_thread(_judged_report, span, held[0])
            # The rows go while the collector still rests: it has nothing of them to walk.
            held.clear()
            del read
        return found


@dataclass
class _Read:
    """Everything the report is built from, read in the one transaction."""

    family: Family
    members: list[MemberRead]
    habits: list[HabitDef]
    rows: Sequence[Sequence[Any]]
    routines: list[RoutineDef]
    earned: dict[UUID, int]
    approved: dict[UUID, list[ReportRedemption]]
    own: UUID | None  # a child's report: points and rewards only for this member
    runs: list[_WeekRun] = field(default_factory=list)


def _judged_report(span: _Week, read: _Read) -> WeekReportRead:
    # `lay_out` needs every habit to have begun by the last day it lays out: habits whose rules
    # begin after today (later this week) are listed without days to judge.
    begun = [d for d in read.habits if _habit_first(d) <= span.judged_end]
    laid = lay_out(begun, read.rows, span.judged_end)
    starts = [*(_habit_first(d) for d in read.habits), *(d.start for d in laid)]
    _check_history(read.family, span.week, starts, read.routines)
    return _report(
        read.family,
        span,
        read.members,
        read.habits,
        {d.habit.id: days for d, days in zip(begun, laid, strict=True)},
        read.routines,
        read.runs,
        read.earned,
        read.approved,
        read.own,
    )


def _check_started(week: IsoWeek, today: date) -> None:
    if week.monday > today:
        latest = IsoWeek.of(today)
        raise InvalidInputError(
            f"Week: {week.label} ({week.dates_text}) has not begun yet; "
            f"the latest week to report on is {latest.label}."
        )


def _check_history(
    family: Family, week: IsoWeek, habit_starts: Sequence[date], routines: Sequence[RoutineDef]
) -> None:
    created = family_day(family.created_at, family.time_zone, family.day_start_hour)
    first = min([created, *habit_starts, *(_routine_first(r) for r in routines)])
    if week.sunday < first:
        raise InvalidInputError(
            f"Week: {week.label} ({week.dates_text}) is before {family.name}'s history begins "
            f"({first.day} {first:%b} {first.year}); choose {IsoWeek.of(first).label} or later."
        )


def _habit_first(habit: HabitDef) -> date:
    return min(v.effective_from for v in habit.versions)


def _routine_first(routine: RoutineDef) -> date:
    """Its first version's day, or an earlier run (as `routine_days` starts it)."""
    return min([*(v.effective_from for v in routine.versions), *(d for d, _ in routine.runs)])


# --- reading ----------------------------------------------------------------------------------


async def _week_runs(session: AsyncSession, family_id: UUID, week: IsoWeek) -> list[_WeekRun]:
    """The week's runs with their checked and total steps, counted in the database (one row per
    run, instead of loading every run, check and step as objects)."""
    checked = (
        select(func.count(RoutineStepCheck.id))
        .where(RoutineStepCheck.run_id == RoutineRun.id, RoutineStepCheck.deleted_at.is_(None))
        .scalar_subquery()
    )
    steps = (
        select(func.count(RoutineStep.id))
        .where(RoutineStep.version_id == RoutineRun.version_id)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(
            RoutineRun.routine_id,
            RoutineRun.user_id,
            RoutineRun.day,
            checked,
            steps,
            RoutineRun.note,
        )
        .join(Routine, Routine.id == RoutineRun.routine_id)
        .where(
            Routine.family_id == family_id,
            Routine.deleted_at.is_(None),
            RoutineRun.deleted_at.is_(None),
            RoutineRun.day >= week.monday,
            RoutineRun.day <= week.sunday,
        )
    )
    return [_WeekRun(r, u, d, int(c or 0), int(t or 0), note) for r, u, d, c, t, note in rows.all()]


def _week_instants(family: Family, week: IsoWeek) -> tuple[datetime, datetime]:
    """The week's first and next week's first moment, as the family's days begin."""
    zone = ZoneInfo(family.time_zone)
    begins = time(hour=family.day_start_hour)
    first = datetime.combine(week.monday, begins, zone).astimezone(UTC)
    after = datetime.combine(week.sunday + timedelta(days=1), begins, zone).astimezone(UTC)
    return first, after


async def _points_earned(
    session: AsyncSession, family: Family, week: IsoWeek, only: UUID | None
) -> dict[UUID, int]:
    """Each member's net points for the week's days (rewards spent are listed apart).

    A habit's or routine step's points count on the day they were earned for, whenever the
    check-in was recorded: a check-in back-filled on Monday for last Sunday is last week's, and
    undoing it later takes it back from that same week. A parent's award has no day but the one
    it was given on. One statement: the ledger lines of the week's habit entries and of its
    runs' step checks, and the awards given in the week.
    """
    first, after = _week_instants(family, week)
    # Each part starts from the family's items and the week's days (indexed), then finds their
    # ledger lines by source: starting from the family's ledger would read all its years.
    habits = (
        select(PointsEntry.user_id, PointsEntry.amount)
        .select_from(Habit)
        .join(HabitEntry, HabitEntry.habit_id == Habit.id)
        .join(PointsEntry, PointsEntry.source_id == HabitEntry.id)
        .where(
            Habit.family_id == family.id,
            HabitEntry.day.between(week.monday, week.sunday),
            PointsEntry.source == PointsSource.HABIT,
        )
    )
    routines = (
        select(PointsEntry.user_id, PointsEntry.amount)
        .select_from(Routine)
        .join(RoutineRun, RoutineRun.routine_id == Routine.id)
        .join(RoutineStepCheck, RoutineStepCheck.run_id == RoutineRun.id)
        .join(PointsEntry, PointsEntry.source_id == RoutineStepCheck.id)
        .where(
            Routine.family_id == family.id,
            RoutineRun.day.between(week.monday, week.sunday),
            PointsEntry.source == PointsSource.ROUTINE,
        )
    )
    # Awards belong to no item: they are found by family and time, through the index on
    # (family_id, created_at), which reads the week's ledger lines only (not all its years).
    awards = select(PointsEntry.user_id, PointsEntry.amount).where(
        PointsEntry.family_id == family.id,
        PointsEntry.source == PointsSource.MANUAL,
        PointsEntry.created_at >= first,
        PointsEntry.created_at < after,
    )
    earned = union_all(habits, routines, awards).subquery()
    query = select(earned.c.user_id, func.coalesce(func.sum(earned.c.amount), 0)).group_by(
        earned.c.user_id
    )
    if only is not None:
        query = query.where(earned.c.user_id == only)
    return {who: int(total) for who, total in (await session.execute(query)).all()}


async def _rewards_approved(
    session: AsyncSession, family: Family, week: IsoWeek, only: UUID | None
) -> dict[UUID, list[ReportRedemption]]:
    first, after = _week_instants(family, week)
    query = (
        select(
            RewardRedemption.user_id,
            Reward.name,
            RewardRedemption.cost,
            RewardRedemption.decided_at,
        )
        .join(Reward, Reward.id == RewardRedemption.reward_id)
        .where(
            Reward.family_id == family.id,
            RewardRedemption.status == RedemptionStatus.APPROVED,
            RewardRedemption.decided_at >= first,
            RewardRedemption.decided_at < after,
        )
        .order_by(RewardRedemption.decided_at, RewardRedemption.id)
    )
    if only is not None:
        query = query.where(RewardRedemption.user_id == only)
    found: dict[UUID, list[ReportRedemption]] = defaultdict(list)
    for who, name, cost, decided_at in (await session.execute(query)).all():
        # Approved requests always carry their decision time (the filter above needs it).
        day = family_day(decided_at or first, family.time_zone, family.day_start_hour)
        found[who].append(ReportRedemption(reward_name=name, cost=cost, day=day))
    return found


# --- laying the week out ----------------------------------------------------------------------


def _shown(archived: bool, first_day: date, week: IsoWeek, active: bool) -> bool:
    """An item begun by the week's end; an archived one only if something happened that week."""
    return first_day <= week.sunday and (not archived or active)


def _habit_rows(
    span: _Week, habits: Sequence[HabitDef], laid: Mapping[UUID, HabitDays]
) -> tuple[dict[UUID, list[ReportHabitRow]], dict[UUID, list[ReportNote]]]:
    rows: dict[UUID, list[ReportHabitRow]] = defaultdict(list)
    notes: dict[UUID, list[ReportNote]] = defaultdict(list)
    for d in habits:
        owner = d.habit.user_id
        days = laid.get(d.habit.id)
        if days is None:
            # Rules that begin after today: listed when they begin this week, nothing to judge.
            first = _habit_first(d)
            if _shown(d.habit.archived, first, span.week, False):
                rows[owner].append(_habit_row(d, span.not_begun_cells(first), _NO_STREAK))
            continue
        week_index = [
            (day, days.index(day)) for day in span.days if 0 <= days.index(day) < len(days)
        ]
        active = any(days.statuses[i] is not DayStatus.NONE for _, i in week_index)
        if not _shown(d.habit.archived, days.start, span.week, active):
            continue
        streak = _streak(habit_streaks(d.versions, days, span.streaks_as_of))
        rows[owner].append(_habit_row(d, span.habit_cells(days), streak))
        for day, i in week_index:
            text = days.notes[i]
            if text and text.strip():
                notes[owner].append(ReportNote(day=day, item=d.habit.name, text=short_note(text)))
    return rows, notes


def _habit_row(d: HabitDef, cells: Sequence[ReportCell], streak: ReportStreak) -> ReportHabitRow:
    done, due = _counted(cells)
    latest = d.versions[-1]
    return ReportHabitRow(
        habit_id=d.habit.id,
        name=d.habit.name,
        colour=d.habit.colour,
        kind=latest.kind,
        unit=latest.unit,
        direction=latest.direction,
        days=tuple(cells),
        done=done,
        due=due,
        streak=streak,
    )


def _routine_rows(
    span: _Week, routines: Sequence[RoutineDef], runs: Sequence[_WeekRun]
) -> tuple[dict[UUID, list[ReportRoutineRow]], dict[UUID, list[ReportNote]]]:
    by_routine: dict[UUID, dict[date, _WeekRun]] = defaultdict(dict)
    for run in runs:
        by_routine[run.routine_id][run.day] = run
    rows: dict[UUID, list[ReportRoutineRow]] = defaultdict(list)
    notes: dict[UUID, list[ReportNote]] = defaultdict(list)
    for r in routines:
        owner = r.routine.user_id
        # A run's note ("ill", "at grandma's") is its doer's, as the run is.
        for run in by_routine[r.routine.id].values():
            if run.note and run.note.strip():
                note = ReportNote(day=run.day, item=r.routine.name, text=short_note(run.note))
                notes[run.user_id].append(note)
        # Runs done by someone the routine was handed over from stay theirs (as in the stats).
        week_runs = {d: run for d, run in by_routine[r.routine.id].items() if run.user_id == owner}
        if not _shown(r.routine.archived, _routine_first(r), span.week, bool(week_runs)):
            continue
        cells, found = span.routine_cells(r, week_runs)
        done, due = _counted(cells)
        rows[owner].append(
            ReportRoutineRow(
                routine_id=r.routine.id,
                name=r.routine.name,
                days=tuple(cells),
                done=done,
                due=due,
                streak=_streak(found),
            )
        )
    return rows, notes


def _note_day(note: ReportNote) -> date:
    return note.day


def _report(
    family: Family,
    span: _Week,
    members: Sequence[MemberRead],
    habits: Sequence[HabitDef],
    laid: Mapping[UUID, HabitDays],
    routines: Sequence[RoutineDef],
    runs: Sequence[_WeekRun],
    earned: dict[UUID, int],
    approved: dict[UUID, list[ReportRedemption]],
    own: UUID | None,
) -> WeekReportRead:
    habit_rows, habit_notes = _habit_rows(span, habits, laid)
    routine_rows, routine_notes = _routine_rows(span, routines, runs)
    reads: list[MemberWeekRead] = []
    for m in members:
        mine_h, mine_r = habit_rows[m.user_id], routine_rows[m.user_id]
        # Viewers only read; one appears only if something was given to them anyway.
        if m.role is Role.VIEWER and not (mine_h or mine_r):
            continue
        visible = own is None or own == m.user_id
        done = sum(row.done for row in mine_h) + sum(row.done for row in mine_r)
        due = sum(row.due for row in mine_h) + sum(row.due for row in mine_r)
        reads.append(
            MemberWeekRead(
                user_id=m.user_id,
                full_name=m.full_name,
                role=m.role,
                colour=m.colour,
                avatar_emoji=m.avatar_emoji,
                routines=tuple(mine_r),
                habits=tuple(mine_h),
                done=done,
                due=due,
                points_earned=earned.get(m.user_id, 0) if visible else None,
                rewards=tuple(approved.get(m.user_id, ())) if visible else None,
                # By day; on a day, routines' notes first, as the routines are listed first.
                notes=tuple(
                    sorted([*routine_notes[m.user_id], *habit_notes[m.user_id]], key=_note_day)
                ),
            )
        )
    return WeekReportRead(
        family_id=family.id,
        family_name=family.name,
        week_start=family.week_start,
        label=span.week.label,
        heading=span.week.heading,
        days=span.days,
        today=span.today,
        members=tuple(reads),
        done=sum(m.done for m in reads),
        due=sum(m.due for m in reads),
    )


__all__ = ["WeekReportService", "short_note"]
