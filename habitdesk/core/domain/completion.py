"""Completion rates per week, month and year: done days / due days.

How a day counts (`Outcome`), each day judged by the rules in force on it:

- done: counted as done and as due, even on a day that was not due (an extra completion is a
  completion, and a rate never exceeds 100 %);
- skipped: in neither, so a holiday does not lower the rate;
- due and not done (recorded "missed", or nothing recorded): due only;
- not due: in neither. Habits with weekday rules are due on their weekdays; "X times per
  Y days" habits are due until X days of the Y-day window are done (the Today list's rule,
  `habit_rules.is_due`); routines on the weekdays of their version that day;
- today while nothing final is recorded is still open: in neither.

A routine day is done when every step of that day's version was checked
(`history_days.routine_run_status`).

Weeks begin on the family's week start and are labelled like ISO weeks by the week's Thursday
("2026-W03"), which for Monday weeks is exactly the ISO week; months are "2026-01", years "2026".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from itertools import accumulate, repeat
from operator import add, sub

from habitdesk.core.domain.history_days import DayStatus, HabitDays, Outcome, RoutineDays
from habitdesk.core.enums import WeekStart

_DONE = DayStatus.DONE
_MISSED = DayStatus.MISSED
_SKIPPED = DayStatus.SKIPPED
_NONE = DayStatus.NONE


class Period(StrEnum):
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"


@dataclass(frozen=True, slots=True)
class PeriodRate:
    """Done and due days of one week, month or year (`start`/`end`: the whole period)."""

    label: str
    start: date
    end: date
    done: int
    due: int

    @property
    def rate(self) -> float | None:
        """done / due, or None when nothing was due."""
        return self.done / self.due if self.due else None


# (status, due) → outcome: a done day counts whether due or not, a skipped day never.
_OUTCOME = {
    (status, due): (
        Outcome.DONE
        if status is _DONE
        else Outcome.SKIPPED
        if status is _SKIPPED
        else Outcome.MISSED
        if due
        else Outcome.NOT_DUE
    )
    for status in DayStatus
    for due in (False, True)
}


def _due_on_weekdays(mask: int, first_weekday: int, first: int, stop: int) -> list[bool]:
    """For days first … stop − 1: whether each falls on one of the weekdays of `mask`."""
    week = [bool(mask >> ((first_weekday + i) % 7) & 1) for i in range(first, first + 7)]
    return (week * ((stop - first) // 7 + 1))[: stop - first]


def _lows(prefix: list[int], first: int, stop: int, window: int) -> list[int]:
    """prefix[max(0, i + 1 − window)] for each day i of first … stop − 1."""
    a, b = first + 1 - window, stop + 1 - window
    if a >= 0:
        return prefix[a:b]
    return [prefix[0]] * min(-a, stop - first) + prefix[0 : max(0, b)]


def habit_outcomes(days: HabitDays, today: date | None = None) -> list[Outcome]:
    """How each day of a habit counts towards its completion rate (see the module docstring)."""
    statuses = days.statuses
    out: list[Outcome] = []
    checks: list[int] | None = None
    first_weekday = days.start.weekday()
    # Years of days for dozens of habits: each stretch is judged with C-level passes (`map`
    # over lists) rather than a Python loop per day.
    for first, stop, rules in days.span_bounds():
        if rules.weekdays is not None:
            due: Iterable[bool] = _due_on_weekdays(rules.weekdays, first_weekday, first, stop)
        else:
            if checks is None:
                checks = list(accumulate(map(_DONE.__eq__, statuses), initial=0))
            # Due while the window's other days hold fewer than `times` done days.
            others = map(sub, checks[first:stop], _lows(checks, first, stop, rules.period_days))
            due = map(rules.freq_num.__gt__, others)
        out.extend(map(_OUTCOME.__getitem__, zip(statuses[first:stop], due, strict=True)))
    _leave_today_open(out, statuses, days.start, today)
    return out


def routine_outcomes(days: RoutineDays, today: date | None = None) -> list[Outcome]:
    """How each day of a routine counts: due on the weekdays of the version of that day."""
    statuses = days.statuses
    n = len(statuses)
    out = [Outcome.NOT_DUE] * n
    first_weekday = days.start.weekday()
    spans = days.spans
    for k, span in enumerate(spans):
        stop = min(n, spans[k + 1].first) if k + 1 < len(spans) else n
        mask = span.weekdays
        for i in range(span.first, stop):
            status = statuses[i]
            if status is _DONE:
                out[i] = Outcome.DONE
            elif status is _SKIPPED:
                out[i] = Outcome.SKIPPED
            elif mask >> ((first_weekday + i) % 7) & 1:
                out[i] = Outcome.MISSED
    _leave_today_open(out, statuses, days.start, today)
    return out


def _leave_today_open(
    out: list[Outcome], statuses: Sequence[DayStatus], start: date, today: date | None
) -> None:
    if today is None:
        return
    i = (today - start).days
    if 0 <= i < len(out) and statuses[i] is _NONE:
        out[i] = Outcome.NOT_DUE


# --- periods ----------------------------------------------------------------------------------


def _week_first(day: date, week_start: WeekStart) -> date:
    first_weekday = 0 if week_start is WeekStart.MONDAY else 6
    return day - timedelta(days=(day.weekday() - first_weekday) % 7)


def _next_month(day: date) -> date:
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def period_of(day: date, period: Period, week_start: WeekStart = WeekStart.MONDAY) -> PeriodRate:
    """The period that contains `day`, with nothing counted yet."""
    if period is Period.WEEK:
        first = _week_first(day, week_start)
        year, week, _ = (first + timedelta(days=(3 - first.weekday()) % 7)).isocalendar()
        return PeriodRate(f"{year}-W{week:02d}", first, first + timedelta(days=6), 0, 0)
    if period is Period.MONTH:
        first = day.replace(day=1)
        return PeriodRate(f"{day:%Y-%m}", first, _next_month(first) - timedelta(days=1), 0, 0)
    return PeriodRate(f"{day.year:04d}", date(day.year, 1, 1), date(day.year, 12, 31), 0, 0)


def periods(
    first: date, last: date, period: Period, week_start: WeekStart = WeekStart.MONDAY
) -> list[PeriodRate]:
    """Every period from the one containing `first` to the one containing `last`."""
    found: list[PeriodRate] = []
    day = first
    while day <= last:
        found.append(period_of(day, period, week_start))
        day = found[-1].end + timedelta(days=1)
    return found


_COUNTED_DUE = frozenset({Outcome.DONE, Outcome.MISSED})


@dataclass(frozen=True, slots=True)
class OutcomeCounts:
    """Running totals of one item's days from `start`: done[i] and due[i] count days 0 … i − 1,
    so any stretch of days is counted with two subtractions (weeks, months and years alike)."""

    start: date
    done: list[int]
    due: list[int]

    @classmethod
    def of(cls, start: date, outcomes: Sequence[Outcome]) -> OutcomeCounts:
        return cls(
            start,
            list(accumulate(map(Outcome.DONE.__eq__, outcomes), initial=0)),
            list(accumulate(map(_COUNTED_DUE.__contains__, outcomes), initial=0)),
        )

    def __len__(self) -> int:
        return len(self.done) - 1

    def between(self, first: date, last: date) -> tuple[int, int]:
        """(done, due) over `first` … `last`, both included."""
        n = len(self)
        lo = min(n, max(0, (first - self.start).days))
        hi = min(n, max(0, (last - self.start).days + 1))
        if hi <= lo:
            return 0, 0
        return self.done[hi] - self.done[lo], self.due[hi] - self.due[lo]


class CompletionTally:
    """Done and due days per period over `first` … `last`, added up from any number of habits
    and routines (one member's, or a whole family's)."""

    def __init__(
        self, period: Period, first: date, last: date, week_start: WeekStart = WeekStart.MONDAY
    ) -> None:
        self.period = period
        self.first = first
        self.last = last
        self._periods = periods(first, last, period, week_start)
        # Where each period's days begin and end (exclusive), clipped to first … last.
        self._bounds = [max(p.start, first).toordinal() for p in self._periods] + [
            last.toordinal() + 1
        ]
        self._done = [0] * len(self._periods)
        self._due = [0] * len(self._periods)

    @property
    def periods(self) -> list[PeriodRate]:
        """The periods, with nothing counted."""
        return list(self._periods)

    def fresh(self) -> CompletionTally:
        """An empty tally over the same periods (cheaper than working them out again)."""
        other = object.__new__(CompletionTally)
        other.period, other.first, other.last = self.period, self.first, self.last
        other._periods, other._bounds = self._periods, self._bounds
        other._done = [0] * len(self._periods)
        other._due = [0] * len(self._periods)
        return other

    def add(self, counts: OutcomeCounts) -> None:
        """Count one item's days (those outside the tally's range are left out)."""
        self.add_counts(*self.counts_of(counts))

    def counts_of(self, counts: OutcomeCounts) -> tuple[list[int], list[int]]:
        """One item's (done, due) for each period of the tally, without adding them."""
        n = len(counts)
        base = counts.start.toordinal()
        # Each period boundary as an index into the item's running totals, clipped to its days.
        at = list(map(min, map(max, map(sub, self._bounds, repeat(base)), repeat(0)), repeat(n)))
        done_at = list(map(counts.done.__getitem__, at))
        due_at = list(map(counts.due.__getitem__, at))
        return (
            list(map(sub, done_at[1:], done_at[:-1])),
            list(map(sub, due_at[1:], due_at[:-1])),
        )

    def add_counts(self, done: Sequence[int], due: Sequence[int]) -> None:
        """Add per-period counts (from `counts_of` of a tally over the same periods)."""
        self._done = list(map(add, self._done, done))
        self._due = list(map(add, self._due, due))

    def merge(self, other: CompletionTally) -> None:
        """Add another tally over the same periods."""
        if other._bounds != self._bounds:
            raise ValueError("tallies must cover the same periods")
        self.add_counts(other._done, other._due)

    def rates(self) -> list[PeriodRate]:
        """Every period of the range, oldest first (rate None where nothing was due)."""
        return [
            PeriodRate(p.label, p.start, p.end, done, due)
            for p, done, due in zip(self._periods, self._done, self._due, strict=True)
        ]

    @property
    def done(self) -> list[int]:
        return list(self._done)

    @property
    def due(self) -> list[int]:
        return list(self._due)

    def totals(self) -> tuple[int, int]:
        """(done, due) over the whole range."""
        return sum(self._done), sum(self._due)


def completion_rates(
    start: date,
    outcomes: Sequence[Outcome],
    period: Period,
    week_start: WeekStart = WeekStart.MONDAY,
) -> list[PeriodRate]:
    """The rate of each period that one item's days touch."""
    if not outcomes:
        return []
    tally = CompletionTally(period, start, start + timedelta(days=len(outcomes) - 1), week_start)
    tally.add(OutcomeCounts.of(start, outcomes))
    return tally.rates()


__all__ = [
    "CompletionTally",
    "OutcomeCounts",
    "Period",
    "PeriodRate",
    "completion_rates",
    "habit_outcomes",
    "period_of",
    "periods",
    "routine_outcomes",
]
