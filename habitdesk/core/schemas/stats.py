"""History and insights: a habit's days with their scores, streaks, and completion rates.

Statistics cover years of days for dozens of habits, so the long series are column-wise tuples
(as in `EntryHistoryRead`), and completion counts are aligned with one shared list of periods
(`PeriodsRead`) instead of repeating each week's label and dates for every habit.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Literal, NamedTuple
from uuid import UUID

from habitdesk.core.domain.completion import Period, PeriodRate
from habitdesk.core.domain.history_days import DayStatus
from habitdesk.core.enums import Direction, HabitKind, Role, WeekStart
from habitdesk.core.schemas.common import ReadModel


class DayStatsRead(ReadModel):
    """One day of a habit: what was recorded (status `none` and value None when nothing was)
    and the habit's strength score at the end of that day (0 … 1)."""

    day: date
    status: DayStatus
    value: float | None
    note: str | None
    score: float


class StreakRead(ReadModel):
    """A run of held days (see habitdesk.core.domain.streaks); where there may be none, the
    field is `StreakRead | None`."""

    start: date  # the first held day
    end: date  # the last held day
    length: int  # held days (neutral days inside the run do not count)


class HabitStatsRead(ReadModel):
    """One habit over `start` … `end` (both included), each day judged by the rules of its day.

    Streaks and `score` are as of `end`; the scores count the whole history from `first_day`
    (the habit's first rules, or an earlier recorded day), not just the days shown.
    """

    habit_id: UUID
    family_id: UUID
    user_id: UUID
    name: str
    kind: HabitKind
    unit: str | None
    direction: Direction
    archived: bool
    first_day: date
    start: date
    end: date
    today: date
    current_streak: int
    best_streak: int
    # The longest runs, longest first (the current one among them when long enough).
    best_streaks: tuple[StreakRead, ...]
    current: StreakRead | None
    score: float
    days: tuple[DayStatsRead, ...]


class HabitHistoryRead(ReadModel):
    """One habit's every day from `start` on, column by column: day i is `start` + i days,
    with statuses[i], values[i] (None when nothing was recorded), notes[i] and scores[i]."""

    habit_id: UUID
    user_id: UUID
    name: str
    kind: HabitKind
    unit: str | None
    direction: Direction
    archived: bool
    start: date
    statuses: tuple[DayStatus, ...]
    values: tuple[float | None, ...]
    notes: tuple[str | None, ...]
    scores: tuple[float, ...]

    def __len__(self) -> int:
        return len(self.statuses)

    def rows(self) -> Iterator[HistoryDay]:
        """The days one by one, oldest first."""
        base = self.start.toordinal()
        return map(
            HistoryDay._make,
            zip(
                map(date.fromordinal, range(base, base + len(self.statuses))),
                self.statuses,
                self.values,
                self.notes,
                self.scores,
                strict=True,
            ),
        )


class HistoryDay(NamedTuple):
    day: date
    status: DayStatus
    value: float | None
    note: str | None
    score: float


class MemberHistoryRead(ReadModel):
    user_id: UUID
    full_name: str
    role: Role
    habits: tuple[HabitHistoryRead, ...]


class FamilyHistoryRead(ReadModel):
    """Every habit's history up to `end`, member by member, in the family's order."""

    family_id: UUID
    family_name: str
    end: date
    members: tuple[MemberHistoryRead, ...]


class PeriodsRead(ReadModel):
    """The weeks (months, years) that completion counts are aligned with: period i is
    labels[i], from starts[i] to ends[i]."""

    period: Period
    labels: tuple[str, ...]
    starts: tuple[date, ...]
    ends: tuple[date, ...]

    def __len__(self) -> int:
        return len(self.labels)


class CountsRead(ReadModel):
    """Done and due days per period, aligned with a `PeriodsRead`."""

    done: tuple[int, ...]
    due: tuple[int, ...]

    def rates(self) -> tuple[float | None, ...]:
        """done / due per period; None where nothing was due."""
        return tuple(d / u if u else None for d, u in zip(self.done, self.due, strict=True))


class CompletionRead(ReadModel):
    """Completion per week, month and year, and over the whole range: done / due days,
    skipped days in neither (see `habitdesk.core.domain.completion`)."""

    weeks: CountsRead
    months: CountsRead
    years: CountsRead
    done: int
    due: int

    @property
    def rate(self) -> float | None:
        return self.done / self.due if self.due else None

    def counts(self, period: Period) -> CountsRead:
        return {Period.WEEK: self.weeks, Period.MONTH: self.months, Period.YEAR: self.years}[period]


class HabitInsightRead(ReadModel):
    habit_id: UUID
    name: str
    kind: HabitKind
    unit: str | None
    archived: bool
    first_day: date
    current_streak: int
    best_streak: int
    best_streaks: tuple[StreakRead, ...]
    # Strength at the analytics' end day.
    score: float
    completion: CompletionRead


class RoutineInsightRead(ReadModel):
    routine_id: UUID
    name: str
    archived: bool
    first_day: date
    completion: CompletionRead


class MemberInsightRead(ReadModel):
    """A member's habits and routines, and their completion together."""

    user_id: UUID
    full_name: str
    role: Role
    habits: tuple[HabitInsightRead, ...]
    routines: tuple[RoutineInsightRead, ...]
    completion: CompletionRead


class AnalyticsRead(ReadModel):
    """Completion over `start` … `end` per member (and for the family), with each habit's
    streaks and score as of `end`. Counts align with `weeks`, `months` and `years`."""

    family_id: UUID
    start: date
    end: date
    today: date
    week_start: WeekStart
    weeks: PeriodsRead
    months: PeriodsRead
    years: PeriodsRead
    members: tuple[MemberInsightRead, ...]
    completion: CompletionRead

    def periods(self, period: Period) -> PeriodsRead:
        return {Period.WEEK: self.weeks, Period.MONTH: self.months, Period.YEAR: self.years}[period]

    def rates(self, period: Period, completion: CompletionRead) -> list[PeriodRate]:
        """One item's (or member's, or the family's) counts as labelled periods."""
        grid = self.periods(period)
        counts = completion.counts(period)
        return [
            PeriodRate(label, start, end, done, due)
            for label, start, end, done, due in zip(
                grid.labels, grid.starts, grid.ends, counts.done, counts.due, strict=True
            )
        ]


# --- the History screen -----------------------------------------------------------------------


class RangeCountsRead(ReadModel):
    """Days over a range (see `habitdesk.core.domain.range_summary`): `due` = done + partial +
    missed, `rate` = done / due (None when nothing was due). `partial` is None for habits."""

    done: int
    partial: int | None
    missed: int
    skipped: int
    due: int
    rate: float | None


class WeekdaysRead(ReadModel):
    """Done and due days per weekday, Monday (0) first, and the best and worst weekdays by their
    rate on due days (several when tied; `worst` is empty when every weekday did equally well)."""

    done: tuple[int, ...]
    due: tuple[int, ...]
    best: tuple[int, ...]
    worst: tuple[int, ...]

    def rates(self) -> tuple[float | None, ...]:
        return tuple(d / u if u else None for d, u in zip(self.done, self.due, strict=True))


class HistoryTotalsRead(ReadModel):
    """A member's (or the family's) habits and routines together: the range's counts, the
    trend (counts per period of `HistoryRead.trend_periods`) and the weekdays."""

    counts: RangeCountsRead
    trend: CountsRead
    weekdays: WeekdaysRead


class HistoryItemRead(ReadModel):
    kind: Literal["habit", "routine"]
    item_id: UUID
    user_id: UUID
    name: str
    # A habit's own colour; None for a routine (shown in its member's colour).
    colour: str | None
    archived: bool
    # How it is scheduled now ("every day", "Mon–Fri", "at least 20 min, 3 times in 7 days").
    schedule: str
    counts: RangeCountsRead


class StreakHighlightRead(ReadModel):
    """One habit's streak, for a member's highlights: judged on the range's days (and, for an
    "X times in Y days" habit, the Y − 1 days before them), so with everything shown it is the
    habit's own streak."""

    habit_id: UUID
    habit_name: str
    start: date
    end: date
    length: int


class HistoryMemberRead(ReadModel):
    user_id: UUID
    full_name: str
    role: Role
    totals: HistoryTotalsRead
    # Among the member's habits, the longest streak still running at the range's end and the
    # longest one in the range (None without one); see StreakHighlightRead.
    current_streak: StreakHighlightRead | None
    best_streak: StreakHighlightRead | None


class HistoryRead(ReadModel):
    """Everything the History screen shows for `start` … `end` and the members asked for: each
    habit and routine (member by member, habits first), each member's totals and highlights,
    and the family's (the members shown together). Each day is judged by the rules in force
    on it; skipped days count in no rate; today counts only once something final is recorded.
    The trend is weekly for up to half a year, monthly beyond (`trend_periods.period`)."""

    family_id: UUID
    start: date
    end: date
    today: date
    week_start: WeekStart
    trend_periods: PeriodsRead
    items: tuple[HistoryItemRead, ...]
    members: tuple[HistoryMemberRead, ...]
    family: HistoryTotalsRead


__all__ = [
    "AnalyticsRead",
    "CompletionRead",
    "CountsRead",
    "DayStatsRead",
    "FamilyHistoryRead",
    "HabitHistoryRead",
    "HabitInsightRead",
    "HabitStatsRead",
    "HistoryDay",
    "HistoryItemRead",
    "HistoryMemberRead",
    "HistoryRead",
    "HistoryTotalsRead",
    "MemberHistoryRead",
    "MemberInsightRead",
    "PeriodsRead",
    "RangeCountsRead",
    "RoutineInsightRead",
    "StreakHighlightRead",
    "StreakRead",
    "WeekdaysRead",
]
