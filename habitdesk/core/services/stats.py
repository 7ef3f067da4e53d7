"""History and insights: a habit's days with scores and streaks; completion rates per member and
for the family; every habit's history for the CSV export.

Reads only, each in one read transaction and a fixed number of statements however long the
history is. The judging is the domain's: `history_days` lays the days out, `scores` (Loop's
strength), `streaks` and `completion` judge them, each day by the rules of its day.

One habit's entries are read with HabitService's readers (`habit_queries`); the family-wide
reads and their laying out as days are in `history_reads` (shared with the habit insights and
the weekly report). benchmarks/bench_analytics.py and bench_history_screen.py measure the
family-wide calls.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import select

from habitdesk.core.db.database import Database
from habitdesk.core.domain import streaks as streak_rules
from habitdesk.core.domain.completion import (
    CompletionTally,
    OutcomeCounts,
    Period,
    habit_outcomes,
    routine_outcomes,
)
from habitdesk.core.domain.days import family_today
from habitdesk.core.domain.habit_rules import Rules
from habitdesk.core.domain.history_days import (
    DayStatus,
    Outcome,
    RoutineDays,
    history_start,
    routine_days,
)
from habitdesk.core.domain.range_summary import (
    DayCounts,
    WeekdayCounts,
    day_counts,
    describe_rules,
    range_start,
    trend_period,
    weekday_counts,
)
from habitdesk.core.domain.routine_diff import describe_weekdays
from habitdesk.core.domain.scores import habit_scores, initial_score
from habitdesk.core.enums import Role, WeekStart
from habitdesk.core.errors import NotFoundError
from habitdesk.core.models import Family, Habit
from habitdesk.core.models.base import utcnow
from habitdesk.core.schemas.habits import HabitVersionRead
from habitdesk.core.schemas.stats import (
    AnalyticsRead,
    CompletionRead,
    CountsRead,
    DayStatsRead,
    FamilyHistoryRead,
    HabitHistoryRead,
    HabitInsightRead,
    HabitStatsRead,
    HistoryItemRead,
    HistoryMemberRead,
    HistoryRead,
    HistoryTotalsRead,
    MemberHistoryRead,
    MemberInsightRead,
    PeriodsRead,
    RangeCountsRead,
    RoutineInsightRead,
    StreakHighlightRead,
    WeekdaysRead,
)
from habitdesk.core.services.base import (
    READERS,
    Actor,
    Service,
    family_and_role,
    get_live,
    require_role,
)
from habitdesk.core.services.habit_queries import (
    ENTRY,
    RAW_ENTRY_COLUMNS,
    collector_paused,
    fetch_entries,
    versions_of,
)
from habitdesk.core.services.history_reads import (
    BEST_STREAKS,
    HabitDef,
    MemberDef,
    RoutineDef,
    check_range,
    habit_days_of,
    habit_streaks,
    lay_out,
    lay_out_groups,
    read_entry_groups,
    read_entry_rows,
    read_habit_defs,
    read_members,
    read_routine_defs,
    streak_read,
)

_NONE = DayStatus.NONE


class _Tallies:
    """A week, month and year tally over the same range."""

    def __init__(self, by_period: dict[Period, CompletionTally]) -> None:
        self.by_period = by_period

    @classmethod
    def over(cls, start: date, end: date, week_start: WeekStart) -> _Tallies:
        return cls({p: CompletionTally(p, start, end, week_start) for p in Period})

    def fresh(self) -> _Tallies:
        return _Tallies({p: t.fresh() for p, t in self.by_period.items()})

    def counts(self, counts: OutcomeCounts) -> CompletionRead:
        """One item's completion (not added to the tallies)."""
        per = {p: t.counts_of(counts) for p, t in self.by_period.items()}
        return _completion(per)

    def add(self, completion: CompletionRead) -> None:
        for period, tally in self.by_period.items():
            part = completion.counts(period)
            tally.add_counts(part.done, part.due)

    def completion(self) -> CompletionRead:
        return _completion({p: (t.done, t.due) for p, t in self.by_period.items()})

    def grid(self, period: Period) -> PeriodsRead:
        found = self.by_period[period].periods
        return PeriodsRead(
            period=period,
            labels=tuple(p.label for p in found),
            starts=tuple(p.start for p in found),
            ends=tuple(p.end for p in found),
        )


def _counts(done: list[int], due: list[int]) -> CountsRead:
    # Counted here, ints already: validating years of weekly counts for every habit and member
    # cost the analytics ≈10 ms for nothing.
    return CountsRead.model_construct(done=tuple(done), due=tuple(due))


def _completion(per: dict[Period, tuple[list[int], list[int]]]) -> CompletionRead:
    years_done, years_due = per[Period.YEAR]
    return CompletionRead.model_construct(
        weeks=_counts(*per[Period.WEEK]),
        months=_counts(*per[Period.MONTH]),
        years=_counts(years_done, years_due),
        done=sum(years_done),
        due=sum(years_due),
    )


class StatsService(Service):
    def __init__(self, database: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        super().__init__(database)
        # Injected so tests can stand on either side of midnight or the day-start hour.
        self._clock = clock

    def _today(self, family: Family) -> date:
        return family_today(family.time_zone, family.day_start_hour, self._clock())

    # --- one habit ------------------------------------------------------------------------------

    async def habit_stats(
        self,
        actor: Actor,
        habit_id: UUID,
        start: date | None = None,
        end: date | None = None,
    ) -> HabitStatsRead:
        """Every day of `start` … `end` (both included) with its status, value and score, and the
        streaks as of `end`. `start` defaults to the habit's first day (its first rules, or an
        earlier recorded day), `end` to the family's today; a day after today is refused.

        The scores count the whole history from the first day, however late `start` is.
        """
        async with self.db.read() as session:
            habit = await get_live(session, Habit, habit_id, "habit")
            family = await get_live(session, Family, habit.family_id, "family")
            await require_role(session, actor, family.id, READERS, "see habit statistics")
            today = self._today(family)
            end = end or today
            versions = await versions_of(session, habit.id)
            entries = await fetch_entries(
                session,
                select(*RAW_ENTRY_COLUMNS)
                .where(ENTRY.habit_id == habit.id, ENTRY.day <= end, ENTRY.deleted_at.is_(None))
                .order_by(ENTRY.day),
            )
        first_recorded = entries[0].day if entries else None
        first_day = history_start(versions, first_recorded)
        start = start or min(first_day, end)
        check_range(start, end, today)
        days = habit_days_of(versions, entries, first_day, end)
        scores = habit_scores(days)
        found = habit_streaks(versions, days, end)
        initial = initial_score(days.spans[0].rules)
        shown: list[DayStatsRead] = []
        offset = (first_day - start).days  # days shown before the first day
        for i in range((end - start).days + 1):
            k = i - offset
            day = start + timedelta(days=i)
            if k < 0:
                shown.append(
                    DayStatsRead(day=day, status=_NONE, value=None, note=None, score=initial)
                )
            else:
                shown.append(
                    DayStatsRead(
                        day=day,
                        status=days.statuses[k],
                        value=days.values[k],
                        note=days.notes[k],
                        score=scores[k],
                    )
                )
        latest = versions[-1]
        return HabitStatsRead(
            habit_id=habit.id,
            family_id=habit.family_id,
            user_id=habit.user_id,
            name=habit.name,
            kind=latest.kind,
            unit=latest.unit,
            direction=latest.direction,
            archived=habit.archived,
            first_day=first_day,
            start=start,
            end=end,
            today=today,
            current_streak=found.current_length,
            best_streak=found.best_length,
            best_streaks=tuple(streak_read(s) for s in found.best),
            current=streak_read(found.current) if found.current else None,
            score=scores[-1] if scores else initial,
            days=tuple(shown),
        )

    # --- completion rates -----------------------------------------------------------------------

    async def member_analytics(
        self,
        actor: Actor,
        family_id: UUID,
        user_id: UUID,
        start: date | None = None,
        end: date | None = None,
    ) -> AnalyticsRead:
        """One member's habits and routines: completion per week, month and year over
        `start` … `end`, and each habit's streaks and score as of `end` (see family_analytics).
        """
        found = await self._analytics(actor, family_id, user_id, start, end, True)
        if not found.members:
            raise NotFoundError("That person is not a member of this family.")
        return found

    async def family_analytics(
        self,
        actor: Actor,
        family_id: UUID,
        start: date | None = None,
        end: date | None = None,
        *,
        routines: bool = True,
    ) -> AnalyticsRead:
        """Every member's habits and routines (archived ones included: it is history), their
        completion per week, month and year over `start` … `end` (default: from the family's
        first recorded or scheduled day to today), per item, per member and for the family; and
        each habit's streaks and score as of `end`. Any member of the family may read it.

        `routines=False` leaves the routines out (a screen about habits only), which spares
        reading their runs.
        """
        return await self._analytics(actor, family_id, None, start, end, routines)

    async def _analytics(
        self,
        actor: Actor,
        family_id: UUID,
        user_id: UUID | None,
        start: date | None,
        end: date | None,
        with_routines: bool,
    ) -> AnalyticsRead:
        # As for the History screen: the collector rests while years of rows are alive, and the
        # judging runs in a worker thread, off the caller's event loop.
        with collector_paused():
            async with self.db.read() as session:
                family, _role = await family_and_role(
                    session, actor, family_id, READERS, "see statistics"
                )
                today = self._today(family)
                end = end or today
                check_range(min(start or end, end), end, today)
                members = await read_members(session, family_id, user_id)
                habits = await read_habit_defs(session, family_id, user_id)
                rows = [await read_entry_groups(session, family_id, user_id, end)]
                routines = []
                if with_routines:
                    routines = await read_routine_defs(session, family_id, user_id, end)
            found = await asyncio.to_thread(
                _insights, family, today, members, habits, rows[0], routines, start, end
            )
            rows.clear()
        return found

    # --- the History screen ---------------------------------------------------------------------

    async def history(
        self,
        actor: Actor,
        family_id: UUID,
        start: date | None = None,
        end: date | None = None,
        *,
        user_id: UUID | None = None,
    ) -> HistoryRead:
        """Everything the History screen shows for `start` … `end` (default: from the family's
        first recorded or scheduled day to today), for one member or the whole family: each
        habit's and routine's days, each member's and the family's totals, trend and weekdays,
        and each member's streak highlights (see `HistoryRead`).

        Six statements at most whatever the history's length. Judging years of days takes tens
        of milliseconds: it runs in a worker thread, so the caller's event loop (the app's UI)
        keeps running meanwhile.
        """
        # Years of rows stay alive from the first read to the end of the judging: the cyclic
        # collector would walk them over and over meanwhile, on the event loop (tens of ms).
        with collector_paused():
            fetched = [await self._fetch_history(actor, family_id, start, end, user_id)]
            found = await asyncio.to_thread(_history_of, fetched[0])
            # The rows go while the collector still rests: it has nothing of them to walk.
            fetched.clear()
        return found

    async def _fetch_history(
        self,
        actor: Actor,
        family_id: UUID,
        start: date | None,
        end: date | None,
        user_id: UUID | None,
    ) -> _Fetched:
        async with self.db.read() as session:
            family, _role = await family_and_role(
                session, actor, family_id, READERS, "see the family's history"
            )
            today = self._today(family)
            end = end or today
            check_range(min(start or end, end), end, today)
            members = await read_members(session, family_id, user_id)
            if user_id is not None and not members:
                raise NotFoundError("That person is not a member of this family.")
            habits = await read_habit_defs(session, family_id, user_id)
            read_from = None
            if start is not None:
                # A range reads its own days (and a window's worth before them), not years.
                window = max((v.freq_den for d in habits for v in d.versions), default=1)
                read_from = start - timedelta(days=window - 1)
            rows = await read_entry_groups(session, family_id, user_id, end, read_from)
            routines = await read_routine_defs(session, family_id, user_id, end, read_from)
        return _Fetched(family, today, members, habits, rows, routines, start, end, read_from)

    # --- every habit's history (the CSV export) -------------------------------------------------

    async def family_history(
        self,
        actor: Actor,
        family_id: UUID,
        user_id: UUID | None = None,
        end: date | None = None,
    ) -> FamilyHistoryRead:
        """Every habit of the family (or of one member), archived ones included, each day from
        its first day to `end` (default: today) with status, value, note and score."""
        async with self.db.read() as session:
            family = await get_live(session, Family, family_id, "family")
            await require_role(session, actor, family_id, READERS, "export the family's history")
            today = self._today(family)
            end = end or today
            check_range(end, end, today)
            members = await read_members(session, family_id, user_id)
            if user_id is not None and not members:
                raise NotFoundError("That person is not a member of this family.")
            habits = await read_habit_defs(session, family_id, user_id)
            rows = await read_entry_rows(session, family_id, user_id, end)
        laid = lay_out(habits, rows, end)
        per_member: dict[UUID, list[HabitHistoryRead]] = defaultdict(list)
        for d, days in zip(habits, laid, strict=True):
            latest = d.versions[-1]
            per_member[d.habit.user_id].append(
                HabitHistoryRead(
                    habit_id=d.habit.id,
                    user_id=d.habit.user_id,
                    name=d.habit.name,
                    kind=latest.kind,
                    unit=latest.unit,
                    direction=latest.direction,
                    archived=d.habit.archived,
                    start=days.start,
                    statuses=tuple(days.statuses),
                    values=tuple(days.values),
                    notes=tuple(days.notes),
                    scores=tuple(habit_scores(days)),
                )
            )
        return FamilyHistoryRead(
            family_id=family.id,
            family_name=family.name,
            end=end,
            members=tuple(
                MemberHistoryRead(
                    user_id=m.user_id,
                    full_name=m.full_name,
                    role=m.role,
                    habits=tuple(per_member[m.user_id]),
                )
                for m in members.values()
            ),
        )


def _insights(
    family: Family,
    today: date,
    members: dict[UUID, MemberDef],
    habits: list[HabitDef],
    rows: Sequence[Sequence[Any]],
    routines: list[RoutineDef],
    start: date | None,
    end: date,
) -> AnalyticsRead:
    laid = lay_out_groups(habits, rows, end)
    routine_laid = [routine_days(r.versions, r.runs, end) for r in routines]
    firsts = [d.start for d in laid] + [r.start for r in routine_laid]
    start = start or min([*firsts, end])
    check_range(start, end, today)
    tallies = _Tallies.over(start, end, family.week_start)
    member_tallies = {m: tallies.fresh() for m in members}
    # Today is not over: a day with nothing final recorded yet counts in no rate.
    open_day = today if end == today else None
    habit_reads: dict[UUID, list[HabitInsightRead]] = defaultdict(list)
    for d, days in zip(habits, laid, strict=True):
        owner = d.habit.user_id
        if owner not in members:
            continue
        completion = tallies.counts(OutcomeCounts.of(days.start, habit_outcomes(days, open_day)))
        member_tallies[owner].add(completion)
        scores = habit_scores(days)
        found = habit_streaks(d.versions, days, end)
        latest = d.versions[-1]
        habit_reads[owner].append(
            HabitInsightRead(
                habit_id=d.habit.id,
                name=d.habit.name,
                kind=latest.kind,
                unit=latest.unit,
                archived=d.habit.archived,
                first_day=days.start,
                current_streak=found.current_length,
                best_streak=found.best_length,
                best_streaks=tuple(streak_read(s) for s in found.best),
                score=scores[-1] if scores else initial_score(days.spans[0].rules),
                completion=completion,
            )
        )
    routine_reads: dict[UUID, list[RoutineInsightRead]] = defaultdict(list)
    for r, rdays in zip(routines, routine_laid, strict=True):
        owner = r.routine.user_id
        if owner not in members:
            continue
        completion = tallies.counts(
            OutcomeCounts.of(rdays.start, routine_outcomes(rdays, open_day))
        )
        member_tallies[owner].add(completion)
        routine_reads[owner].append(
            RoutineInsightRead(
                routine_id=r.routine.id,
                name=r.routine.name,
                archived=r.routine.archived,
                first_day=rdays.start,
                completion=completion,
            )
        )
    member_reads = []
    for who in members.values():
        # Viewers only read; one appears only if something was given to them anyway.
        if who.role is Role.VIEWER and not (habit_reads[who.user_id] or routine_reads[who.user_id]):
            continue
        member_reads.append(
            MemberInsightRead(
                user_id=who.user_id,
                full_name=who.full_name,
                role=who.role,
                habits=tuple(habit_reads[who.user_id]),
                routines=tuple(routine_reads[who.user_id]),
                completion=member_tallies[who.user_id].completion(),
            )
        )
        tallies.add(member_reads[-1].completion)
    return AnalyticsRead(
        family_id=family.id,
        start=start,
        end=end,
        today=today,
        week_start=family.week_start,
        weeks=tallies.grid(Period.WEEK),
        months=tallies.grid(Period.MONTH),
        years=tallies.grid(Period.YEAR),
        members=tuple(member_reads),
        completion=tallies.completion(),
    )


# --- the History screen ----------------------------------------------------------------------


@dataclass(frozen=True)
class _JudgedHabit:
    """One habit's days judged: how each counts in a rate, and its streaks as of the end."""

    definition: HabitDef
    start: date
    outcomes: list[Outcome]
    streaks: streak_rules.HabitStreaks


@dataclass(frozen=True)
class _VersionFrom:
    """A version of a habit's rules as in force from a later day: judging streaks from the
    range's first day (a version begun before it rules from there)."""

    effective_from: date
    number: int
    version: HabitVersionRead

    def rules(self) -> Rules:
        return self.version.rules()


def _judge_habits(
    habits: list[HabitDef],
    rows: Sequence[Sequence[Any]],
    end: date,
    open_day: date | None,
    read_from: date | None,
    start: date | None,
) -> list[_JudgedHabit]:
    """Each habit's outcomes and streaks, from the days read (from `read_from` on); the
    streaks count the range's days only (from `start` on)."""
    laid = lay_out_groups(habits, rows, end, read_from)
    judged = []
    for d, days in zip(habits, laid, strict=True):
        versions: Sequence[streak_rules.RuledVersion] = d.versions
        if read_from is not None:
            versions = [
                _VersionFrom(max(v.effective_from, read_from), v.number, v) for v in d.versions
            ]
        found = habit_streaks(versions, days, end, start)
        judged.append(_JudgedHabit(d, days.start, habit_outcomes(days, open_day), found))
    return judged


@dataclass(frozen=True)
class _Fetched:
    """What the History read fetched, for the worker thread to judge."""

    family: Family
    today: date
    members: dict[UUID, MemberDef]
    habits: list[HabitDef]
    rows: Sequence[Sequence[Any]]
    routines: list[RoutineDef]
    start: date | None
    end: date
    # Where the days were read from: the range's start less the longest "X times in Y days"
    # window (the days before it decide whether its first days were due); None for everything.
    read_from: date | None


def _routine_days_from(routine: RoutineDef, end: date, start: date | None) -> RoutineDays:
    """A routine's days from its first one (or `start`, when later) to `end`."""
    first = min([*(v.effective_from for v in routine.versions), *(d for d, _s in routine.runs)])
    return routine_days(
        routine.versions, routine.runs, end, first if start is None else max(first, start)
    )


def _history_of(fetched: _Fetched) -> HistoryRead:
    open_day = fetched.today if fetched.end == fetched.today else None
    judged = _judge_habits(
        fetched.habits, fetched.rows, fetched.end, open_day, fetched.read_from, fetched.start
    )
    return history_read(fetched, judged)


class _Totals:
    """A member's (or the family's) counts, trend and weekdays, added up item by item."""

    def __init__(self, tally: CompletionTally) -> None:
        self.counts = DayCounts(partial=0)
        self.tally = tally
        self.weekdays = WeekdayCounts()
        self.current: StreakHighlightRead | None = None
        self.best: StreakHighlightRead | None = None

    def add(
        self, counts: DayCounts, trend: tuple[list[int], list[int]], days: WeekdayCounts
    ) -> None:
        self.counts = self.counts + counts
        self.tally.add_counts(*trend)
        self.weekdays = self.weekdays + days

    def merge(self, other: _Totals) -> None:
        self.add(other.counts, (other.tally.done, other.tally.due), other.weekdays)

    def read(self) -> HistoryTotalsRead:
        best, worst = self.weekdays.extremes()
        return HistoryTotalsRead(
            counts=_range_counts(self.counts),
            trend=_counts(self.tally.done, self.tally.due),
            weekdays=WeekdaysRead(
                done=self.weekdays.done, due=self.weekdays.due, best=best, worst=worst
            ),
        )


def _range_counts(counts: DayCounts) -> RangeCountsRead:
    return RangeCountsRead(
        done=counts.done,
        partial=counts.partial,
        missed=counts.missed,
        skipped=counts.skipped,
        due=counts.due,
        rate=counts.rate,
    )


def _highlight(d: HabitDef, streak: streak_rules.Streak) -> StreakHighlightRead:
    return StreakHighlightRead(
        habit_id=d.habit.id,
        habit_name=d.habit.name,
        start=streak.start,
        end=streak.end,
        length=streak.length,
    )


def history_read(judged: _Fetched, habits: list[_JudgedHabit]) -> HistoryRead:
    """The History screen's read-model from what was fetched, its habits judged (no I/O)."""
    family, members, end = judged.family, judged.members, judged.end
    routine_laid = [_routine_days_from(r, end, judged.read_from) for r in judged.routines]
    start = judged.start or range_start(
        [h.start for h in habits] + [r.start for r in routine_laid], end
    )
    check_range(start, end, judged.today)
    grid = CompletionTally(trend_period(start, end), start, end, family.week_start)
    totals = {m: _Totals(grid.fresh()) for m in members}
    # Today is not over: a day with nothing final recorded yet counts in no rate.
    open_day = judged.today if end == judged.today else None
    items: dict[UUID, list[HistoryItemRead]] = defaultdict(list)

    def count(
        owner: UUID, first: date, outcomes: list[Outcome], partial: list[int] | None
    ) -> DayCounts:
        counts = day_counts(first, outcomes, start, end, partial)
        trend = grid.counts_of(OutcomeCounts.of(first, outcomes))
        totals[owner].add(counts, trend, weekday_counts(first, outcomes, start, end))
        return counts

    for habit in habits:
        d = habit.definition
        owner = d.habit.user_id
        if owner not in members:
            continue
        counts = count(owner, habit.start, habit.outcomes, None)
        found = habit.streaks
        mine = totals[owner]
        if found.current and (mine.current is None or found.current.length > mine.current.length):
            mine.current = _highlight(d, found.current)
        if found.best and (mine.best is None or found.best[0].length > mine.best.length):
            mine.best = _highlight(d, found.best[0])
        latest = d.versions[-1]
        items[owner].append(
            HistoryItemRead(
                kind="habit",
                item_id=d.habit.id,
                user_id=owner,
                name=d.habit.name,
                colour=d.habit.colour,
                archived=d.habit.archived,
                schedule=describe_rules(latest.rules()),
                counts=_range_counts(counts),
            )
        )
    for r, rdays in zip(judged.routines, routine_laid, strict=True):
        owner = r.routine.user_id
        if owner not in members:
            continue
        base = rdays.start.toordinal()
        partial = [day.toordinal() - base for day in r.partial]
        counts = count(owner, rdays.start, routine_outcomes(rdays, open_day), partial)
        latest_weekdays = max(r.versions, key=lambda v: (v.effective_from, v.number)).weekdays
        items[owner].append(
            HistoryItemRead(
                kind="routine",
                item_id=r.routine.id,
                user_id=owner,
                name=r.routine.name,
                colour=None,
                archived=r.routine.archived,
                schedule=describe_weekdays(latest_weekdays),
                counts=_range_counts(counts),
            )
        )
    family_totals = _Totals(grid.fresh())
    member_reads: list[HistoryMemberRead] = []
    for who in members.values():
        # Viewers only read; one appears only if something was given to them anyway.
        if who.role is Role.VIEWER and not items[who.user_id]:
            continue
        mine = totals[who.user_id]
        family_totals.merge(mine)
        member_reads.append(
            HistoryMemberRead(
                user_id=who.user_id,
                full_name=who.full_name,
                role=who.role,
                totals=mine.read(),
                current_streak=mine.current,
                best_streak=mine.best,
            )
        )
    found_periods = grid.periods
    return HistoryRead(
        family_id=family.id,
        start=start,
        end=end,
        today=judged.today,
        week_start=family.week_start,
        trend_periods=PeriodsRead(
            period=grid.period,
            labels=tuple(p.label for p in found_periods),
            starts=tuple(p.start for p in found_periods),
            ends=tuple(p.end for p in found_periods),
        ),
        items=tuple(item for who in member_reads for item in items[who.user_id]),
        members=tuple(member_reads),
        family=family_totals.read(),
    )


__all__ = ["BEST_STREAKS", "StatsService"]
