"""The Habits screen in one read: each habit, its rules, its last days and its streaks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from habitdesk.core.enums import EntryStatus
from habitdesk.core.schemas.common import ReadModel
from habitdesk.core.schemas.habit_insights import HabitDetailRead
from habitdesk.core.schemas.habits import HabitRead, HabitVersionRead
from habitdesk.core.schemas.stats import StreakRead

STRIP_DAYS = 30


class StripDay(ReadModel):
    """One day of the recent strip: what was recorded (nothing: `status` None), whether the
    day counts toward the streak (done, or covered by an "X times per Y days" window), and
    whether the rules of that day asked for anything (weekday rules: only the chosen days)."""

    day: date
    status: EntryStatus | None = None
    value: float | None = None
    held: bool = False
    due: bool = True


class HabitOverviewRead(ReadModel):
    habit: HabitRead  # with the rules in force on the overview's day
    versions: tuple[HabitVersionRead, ...]  # oldest first
    days: tuple[StripDay, ...]  # the last STRIP_DAYS days, oldest first, the overview's day last
    current_streak: StreakRead | None  # None: no streak running
    best_streak: StreakRead | None  # None: no day ever held
    total_done: int  # days recorded as done, ever


@dataclass(frozen=True)
class DetailPick:
    """Which habit's detail `HabitOverviewService.overview_with_detail` reads with the list, as
    the Habits screen selects it: `selected` if it is listed, else the first habit listed —
    passing over archived habits when `skip_archived` (while the screen hides them)."""

    selected: UUID | None = None
    skip_archived: bool = True


class HabitsWithDetailRead(ReadModel):
    """The Habits screen in one read: the overview, and the detail of the habit it selects
    (None when no habit is listed)."""

    habits: tuple[HabitOverviewRead, ...]
    detail: HabitDetailRead | None = None


__all__ = [
    "STRIP_DAYS",
    "DetailPick",
    "HabitOverviewRead",
    "HabitsWithDetailRead",
    "StripDay",
]
