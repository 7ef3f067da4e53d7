"""What a habit's detail shows besides its days: how far each day went, the weekdays it is done
on, its totals and strength per week and month, and the changes of its score.

Pure functions on a `HabitDays` (one slot per day, the rules of each day in its spans) and its
scores (`scores.habit_scores`), so every day is judged by the rules in force on it:

- a day's progress is how far it went towards that day's target: done 1, missed 0, a numeric
  "at least" day below its target the share reached; nothing recorded or skipped: None;
- the frequency by weekday counts done days and due days (`completion.habit_outcomes`: a done
  day is always due, a skipped one never), so a rate per weekday can be shown;
- week and month totals count done days and add up the amounts of numeric days (skipped days
  left out); weeks begin on the family's week start, as the completion rates' do;
- the score changes are Loop Habit Tracker's overview figures: today's score minus the score
  30 and 365 days before (the score before the habit's first day is its initial score).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import accumulate

from habitdesk.core.domain.completion import Period, habit_outcomes, periods
from habitdesk.core.domain.habit_rules import Rules
from habitdesk.core.domain.history_days import DayStatus, HabitDays, Outcome
from habitdesk.core.enums import Direction, WeekStart

# Loop's overview compares today's score with the score this many days before.
MONTH_DAYS = 30
YEAR_DAYS = 365
# A month's target is the weekly one spread over an average month.
_DAYS_PER_MONTH = 365.2425 / 12

_DONE = DayStatus.DONE
_MISSED = DayStatus.MISSED
_SKIPPED = DayStatus.SKIPPED


def day_progress(days: HabitDays) -> list[float | None]:
    """How far each day went towards its target (0 … 1), or None when nothing counts.

    Done days are 1 and missed days 0, except a numeric "at least" day that was missed with an
    amount on it: the share of that day's target it reached. Skipped days and days without an
    entry are None (a calendar shows skipped days apart).
    """
    out: list[float | None] = [None] * len(days)
    statuses, values = days.statuses, days.values
    for first, stop, rules in days.span_bounds():
        partial = (
            rules.is_numeric
            and rules.direction is Direction.AT_LEAST
            and (rules.target_value or 0.0) > 0
        )
        target = rules.target_value or 1.0
        for i in range(first, stop):
            status = statuses[i]
            if status is _DONE:
                out[i] = 1.0
            elif status is _MISSED:
                value = values[i]
                out[i] = min(max(value / target, 0.0), 1.0) if partial and value else 0.0
    return out


@dataclass(frozen=True, slots=True)
class WeekdayFrequency:
    """Done and due days per weekday, Monday first (index 0) to Sunday (6)."""

    done: tuple[int, ...]
    due: tuple[int, ...]

    def rates(self) -> tuple[float | None, ...]:
        """done / due per weekday; None where nothing was ever due."""
        return tuple(d / u if u else None for d, u in zip(self.done, self.due, strict=True))


def weekday_frequency(days: HabitDays, today: date | None = None) -> WeekdayFrequency:
    """Done and due days per weekday over the whole history (`today` is left open while
    nothing is recorded on it, as in the completion rates)."""
    done = [0] * 7
    due = [0] * 7
    weekday = days.start.weekday()
    for outcome in habit_outcomes(days, today):
        if outcome is Outcome.DONE:
            done[weekday] += 1
            due[weekday] += 1
        elif outcome is Outcome.MISSED:
            due[weekday] += 1
        weekday = (weekday + 1) % 7
    return WeekdayFrequency(tuple(done), tuple(due))


@dataclass(frozen=True, slots=True)
class PeriodTotal:
    """One week or month of a habit: `start`/`end` are the whole period's, even when the
    history begins or ends inside it."""

    label: str
    start: date
    end: date
    done: int  # done days
    amount: float  # the amounts recorded on numeric days, skipped days left out
    score: float  # the score at the end of the period, or of the last day there is


def _amount(status: DayStatus, value: float | None, numeric: bool) -> float:
    if not numeric or status is _SKIPPED or value is None:
        return 0.0
    return value


def period_totals(
    days: HabitDays,
    scores: Sequence[float],
    period: Period,
    week_start: WeekStart = WeekStart.MONDAY,
) -> list[PeriodTotal]:
    """Every week (or month, or year) the history touches, oldest first."""
    n = len(days)
    if n == 0:
        return []
    if len(scores) != n:
        raise ValueError("one score per day is needed")
    numeric = [False] * n
    for first, stop, rules in days.span_bounds():
        numeric[first:stop] = [rules.is_numeric] * (stop - first)
    done = list(accumulate(map(_DONE.__eq__, days.statuses), initial=0))
    amounts = list(accumulate(map(_amount, days.statuses, days.values, numeric), initial=0.0))
    base = days.start.toordinal()
    out: list[PeriodTotal] = []
    for p in periods(days.start, days.end, period, week_start):
        lo = max(0, p.start.toordinal() - base)
        hi = min(n, p.end.toordinal() - base + 1)
        out.append(
            PeriodTotal(
                label=p.label,
                start=p.start,
                end=p.end,
                done=done[hi] - done[lo],
                amount=amounts[hi] - amounts[lo],
                score=scores[hi - 1],
            )
        )
    return out


def period_target(rules: Rules, period: Period) -> float | None:
    """The amount a numeric habit's rules ask for over a whole week or (average) month.

    "8,000 steps, 5 times a week" asks 40,000 a week; "on Mon, Wed, Fri" asks the target on
    three days of each week. None for yes/no habits, or a numeric one without a target.
    """
    if not rules.is_numeric or not rules.target_value:
        return None
    if rules.weekdays is not None:
        per_week = rules.target_value * bin(rules.weekdays & 0b1111111).count("1")
    else:
        per_week = rules.target_value * rules.freq_num * 7 / rules.freq_den
    if period is Period.WEEK:
        return per_week
    if period is Period.MONTH:
        return per_week * _DAYS_PER_MONTH / 7
    return per_week * 365.2425 / 7


def score_on(start: date, scores: Sequence[float], initial: float, day: date) -> float:
    """The score at the end of `day`: the initial score before `start`, the last one after."""
    i = (day - start).days
    if i < 0 or not scores:
        return initial
    return scores[min(i, len(scores) - 1)]


@dataclass(frozen=True, slots=True)
class ScoreChanges:
    """Today's score and the scores `MONTH_DAYS` and `YEAR_DAYS` before (Loop's overview)."""

    today: float
    month_ago: float
    year_ago: float


def score_changes(
    start: date, scores: Sequence[float], initial: float, today: date
) -> ScoreChanges:
    return ScoreChanges(
        today=score_on(start, scores, initial, today),
        month_ago=score_on(start, scores, initial, today - timedelta(days=MONTH_DAYS)),
        year_ago=score_on(start, scores, initial, today - timedelta(days=YEAR_DAYS)),
    )


def total_completions(days: HabitDays) -> int:
    """Done days over the whole history."""
    return sum(map(_DONE.__eq__, days.statuses))


__all__ = [
    "MONTH_DAYS",
    "YEAR_DAYS",
    "PeriodTotal",
    "ScoreChanges",
    "WeekdayFrequency",
    "day_progress",
    "period_target",
    "period_totals",
    "score_changes",
    "score_on",
    "total_completions",
    "weekday_frequency",
]
