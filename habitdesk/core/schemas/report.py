"""The weekly family report: every member's week, day by day, ready to be printed.

One ISO week (Monday to Sunday); each routine and habit has one cell per day, judged by the
version of its rules in force on that day.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from uuid import UUID

from habitdesk.core.enums import Direction, HabitKind, Role, WeekStart
from habitdesk.core.schemas.common import ReadModel

# A note longer than this is cut (with "…"): the report is a page, not a diary.
NOTE_MAX_CHARS = 140


class ReportStatus(StrEnum):
    DONE = "done"
    PARTIAL = "partial"  # a routine with some of its steps checked
    SKIPPED = "skipped"
    MISSED = "missed"
    NOT_DUE = "not_due"  # not asked for that day (or before the item began)
    UPCOMING = "upcoming"  # after today, or today while nothing is recorded yet


class ReportCell(ReadModel):
    """One item on one day."""

    status: ReportStatus
    # Habits: the value recorded (numeric habits show it against `target`).
    value: float | None = None
    target: float | None = None
    # Routines: steps checked of the steps of the version the run followed.
    steps_done: int | None = None
    steps_total: int | None = None
    # Counts in the week's rate: done, or missed once the day is over (a skip, a day not
    # asked for and a day still to come count in none).
    due: bool = False


class ReportStreak(ReadModel):
    """Streaks as of the report's last judged day (the week's Sunday, or today)."""

    current: int
    best: int


class ReportHabitRow(ReadModel):
    habit_id: UUID
    name: str
    colour: str
    kind: HabitKind
    unit: str | None
    direction: Direction
    days: tuple[ReportCell, ...]  # Monday … Sunday
    done: int
    due: int
    streak: ReportStreak


class ReportRoutineRow(ReadModel):
    routine_id: UUID
    name: str
    days: tuple[ReportCell, ...]  # Monday … Sunday
    done: int
    due: int
    streak: ReportStreak


class ReportNote(ReadModel):
    day: date
    item: str  # the habit or routine it was written on
    text: str  # at most NOTE_MAX_CHARS characters


class ReportRedemption(ReadModel):
    reward_name: str
    cost: int
    day: date  # the family's day it was approved


def day_rates(rows: Sequence[ReportRoutineRow | ReportHabitRow]) -> tuple[float | None, ...]:
    """Each day's done / due over `rows` (Monday … Sunday); None on a day with nothing due."""
    rates: list[float | None] = []
    for i in range(7):
        cells = [row.days[i] for row in rows]
        due = sum(c.due for c in cells)
        done = sum(c.status is ReportStatus.DONE for c in cells)
        rates.append(done / due if due else None)
    return tuple(rates)


class MemberWeekRead(ReadModel):
    user_id: UUID
    full_name: str
    role: Role
    colour: str
    avatar_emoji: str | None
    routines: tuple[ReportRoutineRow, ...]
    habits: tuple[ReportHabitRow, ...]
    done: int
    due: int
    # Points and rewards follow the points screen's rule: a child sees only its own (None
    # for the others).
    # Net points for the week's days: habits and routine steps by the day they were for (a
    # check-in back-filled later still counts here), parents' awards by the day given.
    points_earned: int | None
    rewards: tuple[ReportRedemption, ...] | None
    notes: tuple[ReportNote, ...]

    @property
    def rate(self) -> float | None:
        """done / due over the week's judged days, None when nothing was due."""
        return self.done / self.due if self.due else None

    @property
    def day_rates(self) -> tuple[float | None, ...]:
        """done / due on each day, Monday … Sunday; None on a day with nothing due."""
        return day_rates([*self.routines, *self.habits])


class WeekReportRead(ReadModel):
    family_id: UUID
    family_name: str
    week_start: WeekStart  # the family's setting (the report's week is always ISO)
    label: str  # "2026-W47"
    heading: str  # "Week 47, 16–22 Nov 2026"
    days: tuple[date, ...]  # Monday … Sunday
    today: date
    members: tuple[MemberWeekRead, ...]
    done: int
    due: int

    @property
    def rate(self) -> float | None:
        return self.done / self.due if self.due else None

    @property
    def day_rates(self) -> tuple[float | None, ...]:
        """The whole family's done / due on each day, Monday … Sunday."""
        rows: list[ReportRoutineRow | ReportHabitRow] = []
        for member in self.members:
            rows += [*member.routines, *member.habits]
        return day_rates(rows)

    @property
    def upcoming_days(self) -> int:
        """Days of the week after today (0 for a finished week)."""
        return sum(1 for day in self.days if day > self.today)


__all__ = [
    "NOTE_MAX_CHARS",
    "MemberWeekRead",
    "ReportCell",
    "ReportHabitRow",
    "ReportNote",
    "ReportRedemption",
    "ReportRoutineRow",
    "ReportStatus",
    "ReportStreak",
    "WeekReportRead",
    "day_rates",
]
