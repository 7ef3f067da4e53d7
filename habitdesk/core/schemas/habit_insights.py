"""A habit's detail in one read-model: every day from its first to today, its streaks, its
overview figures, its frequency by weekday, and its totals and strength per week and month.

Five years are ≈1,800 days, so the days are column-wise tuples (day i is `first_day` + i days),
as in `HabitHistoryRead`; a screen hands them to its widgets as they are.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from habitdesk.core.domain.completion import Period
from habitdesk.core.domain.history_days import DayStatus
from habitdesk.core.enums import Direction, HabitKind, WeekStart
from habitdesk.core.schemas.common import ReadModel
from habitdesk.core.schemas.habits import HabitVersionRead
from habitdesk.core.schemas.stats import StreakRead


class PeriodSeriesRead(ReadModel):
    """The weeks (or months) a habit's history touches, oldest first: period i is labels[i],
    from starts[i] to ends[i] (the whole period), with its done days, the amounts recorded on
    it (numeric days; skipped days left out) and the score at its end (or today)."""

    period: Period
    labels: tuple[str, ...]
    starts: tuple[date, ...]
    ends: tuple[date, ...]
    done: tuple[int, ...]
    amounts: tuple[float, ...]
    scores: tuple[float, ...]
    # What today's rules ask for over a whole period (numeric habits), for a target line.
    target: float | None

    def __len__(self) -> int:
        return len(self.labels)


class HabitDetailRead(ReadModel):
    """One habit from `first_day` (its first rules, or an earlier recorded day) to `today`,
    each day judged by the rules in force on it.

    Per day: statuses[i] (`none` when nothing was recorded), values[i] and notes[i] (None when
    nothing was), scores[i] (strength at the end of the day, 0 … 1) and progress[i] (how far
    the day went towards its target: 1 done, 0 missed, a share for a numeric day below its
    target, None when nothing counts; see `domain.habit_insights.day_progress`).
    """

    habit_id: UUID
    family_id: UUID
    user_id: UUID
    name: str
    colour: str
    archived: bool
    # Today's rules (the latest version in force); `versions` say which held when.
    kind: HabitKind
    unit: str | None
    direction: Direction
    target_value: float | None
    versions: tuple[HabitVersionRead, ...]  # oldest first
    week_start: WeekStart
    first_day: date
    today: date

    statuses: tuple[DayStatus, ...]
    values: tuple[float | None, ...]
    notes: tuple[str | None, ...]
    scores: tuple[float, ...]
    progress: tuple[float | None, ...]

    # Overview: the score today, 30 and 365 days ago (Loop's figures), and the done days.
    score: float
    score_month_ago: float
    score_year_ago: float
    total_completions: int
    current_streak: int
    current: StreakRead | None
    best_streaks: tuple[StreakRead, ...]  # longest first

    # Monday first: done days and due days per weekday over the whole history.
    weekday_done: tuple[int, ...]
    weekday_due: tuple[int, ...]
    weeks: PeriodSeriesRead
    months: PeriodSeriesRead

    def __len__(self) -> int:
        return len(self.statuses)

    def index(self, day: date) -> int:
        """The slot of `day` (negative before the first day, ≥ len after today)."""
        return (day - self.first_day).days

    @property
    def numeric(self) -> bool:
        return self.kind is HabitKind.NUMERIC

    @property
    def score_since_month(self) -> float:
        return self.score - self.score_month_ago

    @property
    def score_since_year(self) -> float:
        return self.score - self.score_year_ago

    @property
    def best_streak(self) -> int:
        return self.best_streaks[0].length if self.best_streaks else 0


__all__ = ["HabitDetailRead", "PeriodSeriesRead"]
