"""One item's days over a range, summed up for the History screen: done, partial, missed and
skipped days, the same by weekday, and which weekdays went best and worst.

Works on the outcomes `completion.habit_outcomes` / `routine_outcomes` give (each day already
judged by the rules in force on it, skipped days neutral, today left open), so every count here
agrees with the completion rates: due = done + missed (partial routine days are among the
missed: a routine day is done only when every step was checked), rate = done / due.
Counting is slicing and `list.count` (C-level passes), so years of days for dozens of items cost
a few milliseconds.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from habitdesk.core.domain.completion import Period
from habitdesk.core.domain.habit_rules import Rules
from habitdesk.core.domain.history_days import Outcome
from habitdesk.core.domain.routine_diff import describe_weekdays
from habitdesk.core.enums import Direction, HabitKind

# A trend over a longer range than this is drawn per month (weekly points would crowd it).
WEEKLY_TREND_DAYS = 26 * 7

_DONE = Outcome.DONE
_MISSED = Outcome.MISSED
_SKIPPED = Outcome.SKIPPED


@dataclass(frozen=True, slots=True)
class DayCounts:
    """Days of one item (or several, added up) over a range. `partial` is None for habits."""

    done: int = 0
    missed: int = 0
    skipped: int = 0
    partial: int | None = None

    @property
    def due(self) -> int:
        """Days that counted: done, partial or missed (skipped days and days not due do not)."""
        return self.done + self.missed + (self.partial or 0)

    @property
    def rate(self) -> float | None:
        return self.done / self.due if self.due else None

    def __add__(self, other: DayCounts) -> DayCounts:
        partial = (
            None
            if self.partial is None and other.partial is None
            else (self.partial or 0) + (other.partial or 0)
        )
        return DayCounts(
            self.done + other.done,
            self.missed + other.missed,
            self.skipped + other.skipped,
            partial,
        )


@dataclass(frozen=True, slots=True)
class WeekdayCounts:
    """Done and due days per weekday, Monday (0) to Sunday (6)."""

    done: tuple[int, ...] = (0,) * 7
    due: tuple[int, ...] = (0,) * 7

    def __add__(self, other: WeekdayCounts) -> WeekdayCounts:
        return WeekdayCounts(
            tuple(a + b for a, b in zip(self.done, other.done, strict=True)),
            tuple(a + b for a, b in zip(self.due, other.due, strict=True)),
        )

    def rates(self) -> tuple[float | None, ...]:
        return tuple(d / u if u else None for d, u in zip(self.done, self.due, strict=True))

    def extremes(self) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """(best weekdays, worst weekdays), each day by its rate on its due days; ties give
        several. Weekdays with nothing due are left out; when every weekday that had something
        due did equally well, there is no worst (only a best)."""
        rates = {
            k: Fraction(d, u) for k, (d, u) in enumerate(zip(self.done, self.due, strict=True)) if u
        }
        if not rates:
            return (), ()
        high, low = max(rates.values()), min(rates.values())
        best = tuple(k for k, r in rates.items() if r == high)
        worst = tuple(k for k, r in rates.items() if r == low) if low != high else ()
        return best, worst


def _index_range(start: date, length: int, first: date, last: date) -> tuple[int, int]:
    """The indices (lo, hi) of first … last among `length` days from `start`, clipped."""
    lo = min(length, max(0, (first - start).days))
    hi = min(length, max(0, (last - start).days + 1))
    return lo, max(lo, hi)


def day_counts(
    start: date,
    outcomes: Sequence[Outcome],
    first: date,
    last: date,
    partial_days: Collection[int] | None = None,
) -> DayCounts:
    """One item's days over `first` … `last`; `outcomes[i]` is day `start` + i.

    `partial_days` (routines; indices like the outcomes'): days with a run finished or left with
    steps unchecked. Those that counted as missed are partial instead.
    """
    lo, hi = _index_range(start, len(outcomes), first, last)
    stretch = outcomes[lo:hi]
    if not isinstance(stretch, list):
        stretch = list(stretch)
    done, missed, skipped = stretch.count(_DONE), stretch.count(_MISSED), stretch.count(_SKIPPED)
    if partial_days is None:
        return DayCounts(done, missed, skipped)
    partial = sum(1 for i in partial_days if lo <= i < hi and outcomes[i] is _MISSED)
    return DayCounts(done, missed - partial, skipped, partial)


def weekday_counts(
    start: date, outcomes: Sequence[Outcome], first: date, last: date
) -> WeekdayCounts:
    """One item's done and due days per weekday over `first` … `last`."""
    lo, hi = _index_range(start, len(outcomes), first, last)
    stretch = outcomes[lo:hi]
    if not isinstance(stretch, list):
        stretch = list(stretch)
    first_weekday = (start.weekday() + lo) % 7
    done = [0] * 7
    due = [0] * 7
    for offset in range(7):
        weekday = (first_weekday + offset) % 7
        days = stretch[offset::7]
        done[weekday] = days.count(_DONE)
        due[weekday] = done[weekday] + days.count(_MISSED)
    return WeekdayCounts(tuple(done), tuple(due))


def trend_period(first: date, last: date) -> Period:
    """Weeks for a range up to half a year, months beyond."""
    return Period.WEEK if (last - first).days < WEEKLY_TREND_DAYS else Period.MONTH


def range_start(firsts: Sequence[date], end: date) -> date:
    """Where "everything" starts: the first day any item existed or had something recorded
    (`end` when there is nothing)."""
    return min([*firsts, end])


def _number(value: float) -> str:
    return f"{value:g}" if value < 1e6 else f"{value:,.0f}"


def describe_rules(rules: Rules) -> str:
    """How a habit is scheduled, in words: "every day", "Mon, Wed, Fri", "3 times in 7 days",
    with a numeric habit's target first ("at least 20 min, every day")."""
    if rules.weekdays is not None:
        when = describe_weekdays(rules.weekdays)
    elif rules.freq_den == 1:
        when = "every day"
    else:
        when = f"{rules.freq_num} times in {rules.freq_den} days"
    if rules.kind is HabitKind.NUMERIC and rules.target_value is not None:
        bound = "at most" if rules.direction is Direction.AT_MOST else "at least"
        target = f"{bound} {_number(rules.target_value)} {rules.unit or ''}".rstrip()
        return f"{target}, {when}"
    return when


__all__ = [
    "WEEKLY_TREND_DAYS",
    "DayCounts",
    "WeekdayCounts",
    "day_counts",
    "describe_rules",
    "range_start",
    "trend_period",
    "weekday_counts",
]
