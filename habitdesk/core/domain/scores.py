"""Habit strength: Loop Habit Tracker's score, each day judged by the rules in force that day.

Loop's formula (uhabits-core `ScoreList.recompute` and `Score.compute`), for a habit whose
frequency is f = num / den:

- m = 0.5 ** (sqrt(f) / 13) and S_t = m·S_{t−1} + (1 − m)·c_t, so a habit done every day
  reaches half strength after 13 days, and a rarer habit gains and loses more slowly;
- S starts at 0, or at 1 for "at most" numeric habits (nothing recorded is within the limit);
- yes/no habits: c_t = min(1, done days among the last `den` days / num), with num and den
  both doubled first when f < 1, which smooths out an irregular weekly rhythm;
- numeric habits: the amounts of the last `den` days add up, then "at least" gives
  c_t = min(1, sum / target) and "at most" c_t = clamp(1 − (sum − target) / target, 0, 1);
- a skipped day leaves S as it was (it still sits in the window of the days after it, as a
  day without a check).

Where HabitDesk's rules say more than Loop's:

- Each day uses the rules in force on it, so editing a habit never rewrites past scores.
- Weekday rules ("mon, wed, fri") are f = (number of weekdays) / 7 over a 7-day window.
- HabitDesk's numeric target is an amount *per time* ("8,000 steps, 5 times a week"), Loop's
  an amount per period with num always 1; the window's target is therefore target × num, which
  is Loop's rule whenever num is 1.
- Loop's automatic checks (the days a non-daily habit counts as done because of the checks
  around them) never add to c_t there either; HabitDesk has no automatic checks at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import accumulate
from operator import sub
from typing import Any

from habitdesk.core.domain.habit_rules import Rules
from habitdesk.core.domain.history_days import DayStatus, HabitDays
from habitdesk.core.enums import Direction

_DONE = DayStatus.DONE
_SKIPPED = DayStatus.SKIPPED


def multiplier(frequency: float) -> float:
    """How much of yesterday's score a day keeps."""
    return float(0.5 ** (math.sqrt(frequency) / 13.0))


def next_score(frequency: float, previous: float, completion: float) -> float:
    """One day's step of the score (Loop's `compute`, in the same order of operations)."""
    m = multiplier(frequency)
    return previous * m + completion * (1 - m)


@dataclass(frozen=True, slots=True)
class ScoreParams:
    """What the score needs from a version of the rules."""

    frequency: float  # f: drives the multiplier, never doubled
    num: int  # checks a window asks for (doubled for rare yes/no habits)
    den: int  # days in the window
    numeric: bool
    target: float  # the amount a window asks for (numeric habits)
    at_most: bool

    @classmethod
    def of(cls, rules: Rules) -> ScoreParams:
        if rules.weekdays is not None:
            num, den = bin(rules.weekdays & 0b1111111).count("1"), 7
        else:
            num, den = rules.freq_num, rules.freq_den
        frequency = num / den
        numeric = rules.is_numeric
        if not numeric and frequency < 1:
            num, den = num * 2, den * 2
        target = (rules.target_value or 0.0) * num if numeric else 0.0
        return cls(
            frequency=frequency,
            num=num,
            den=den,
            numeric=numeric,
            target=target,
            at_most=numeric and rules.direction is Direction.AT_MOST,
        )


def initial_score(rules: Rules) -> float:
    """A new habit's score: 0, or 1 for an "at most" limit that nothing has exceeded yet."""
    return 1.0 if ScoreParams.of(rules).at_most else 0.0


def _amount(status: DayStatus, value: float | None) -> float:
    if status is _SKIPPED or value is None or value <= 0:
        return 0.0
    return value


def _lows(prefix: list[Any], first: int, stop: int, den: int) -> list[Any]:
    """prefix[max(0, i + 1 − den)] for each day i of first … stop − 1: where each day's window of
    `den` days starts, in a prefix-sum list."""
    a, b = first + 1 - den, stop + 1 - den
    if a >= 0:
        return prefix[a:b]
    return [prefix[0]] * min(-a, stop - first) + prefix[0 : max(0, b)]


def habit_scores(days: HabitDays) -> list[float]:
    """The score at the end of every day of `days`, oldest first.

    The first day starts from `initial_score` of the rules judging it, so `days` must begin at
    the habit's first day (see `history_days.history_start`) for the scores to be the habit's.
    """
    n = len(days)
    if n == 0:
        return []
    statuses = days.statuses
    spans = list(days.span_bounds())
    # Years of days for dozens of habits are scored at once (statistics screens, CSV export):
    # windows come from prefix sums (one subtraction whatever their length, whichever
    # version's window it is), and a yes/no day's gain (1 − m)·c_t from a table by its count.
    checks = list(accumulate(map(_DONE.__eq__, statuses), initial=0))
    amounts: list[float] = []
    if any(rules.is_numeric for _f, _s, rules in spans):
        amounts = list(accumulate(map(_amount, statuses, days.values), initial=0.0))
    counted = list(map(_SKIPPED.__ne__, statuses))
    out: list[float] = []
    append = out.append
    score = initial_score(spans[0][2])
    for first, stop, rules in spans:
        p = ScoreParams.of(rules)
        m = multiplier(p.frequency)
        gain = 1 - m
        if p.numeric:
            totals = map(sub, amounts[first + 1 : stop + 1], _lows(amounts, first, stop, p.den))
            flags = counted[first:stop]
            target = p.target
            if target <= 0:  # Loop's rule for a missing target; HabitDesk always has one
                for total, count in zip(totals, flags, strict=True):
                    if count:
                        c = (0.0 if total > 0 else 1.0) if p.at_most else 1.0
                        score = score * m + c * gain
                    append(score)
            elif p.at_most:
                for total, count in zip(totals, flags, strict=True):
                    if count:
                        c = 1 - (total - target) / target
                        score = score * m + (0.0 if c < 0.0 else (1.0 if c > 1.0 else c)) * gain
                    append(score)
            else:
                for total, count in zip(totals, flags, strict=True):
                    if count:
                        c = total / target
                        score = score * m + (1.0 if c > 1.0 else c) * gain
                    append(score)
            continue
        # Same operations as Loop: score·m, then + c·(1 − m), c = min(1, checks / num).
        gains = [min(1.0, k / p.num) * gain for k in range(p.den + 1)]
        counts = map(sub, checks[first + 1 : stop + 1], _lows(checks, first, stop, p.den))
        increments = map(gains.__getitem__, counts)
        if all(counted[first:stop]):
            for increment in increments:
                score = score * m + increment
                append(score)
            continue
        for increment, count in zip(increments, counted[first:stop], strict=True):
            if count:
                score = score * m + increment
            append(score)
    return out


__all__ = ["ScoreParams", "habit_scores", "initial_score", "multiplier", "next_score"]
