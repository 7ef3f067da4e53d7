"""Streaks: how many days in a row a habit has held, each day judged by the rules of that day.

Pure functions on plain values (no I/O, no Qt), shared by the services and the screens.

What counts — the family's day is the unit, and each day is judged by the version of the rules
in force on it (`habit_rules.version_for_day`):

- Every day from the habit's first day (its first rules, or an earlier recorded day: a parent
  back-filling) up to today either **holds**, **breaks**, or is **neutral**.
- Neutral days neither break nor extend a streak: skipped days; for weekday rules, the days that
  are not among the chosen weekdays (even if something was recorded on them); and days whose
  fate is still open — today while it is not done, since the day is not over.
- Daily and weekday rules: a due day holds when it is done and breaks otherwise (a "missed"
  entry and no entry at all are the same).
- "X times per Y days" (Y > 1), Loop-style: X done days within Y days make the habit hold
  through the window that starts at the first of them: days first … first + Y − 1 (Loop Habit
  Tracker's "automatic" checks, without its shifting of overlapping windows). A day holds when
  such a window covers it — using the X and Y of that day's rules — and breaks otherwise.
  Skipped days are taken out of the calendar for this: a window spans Y days that were *not*
  skipped, so a holiday neither breaks nor shortens anyone's week. A day that is not covered
  yet, but that a window could still cover if the coming days are done, is pending: neutral.
  So "3 times a week" done Mon–Wed every week holds every day; after one lone check the days
  wait, then hold once the second and third checks come within the week, or break if they do
  not.
- A streak is a run of held days with no broken day among them; its length counts the held
  days only (neutral days inside it do not add), from its first to its last held day.
- The current streak is the run that no broken day follows (only held or neutral days since);
  it may end before today (yesterday, while today is still open). The best streaks are the
  longest runs, longest first, the more recent first among equals; the current one is among
  them when it is long enough.

Days are handled as ordinals (`date.toordinal()`) inside: years of history are sets of ints.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from habitdesk.core.domain.habit_rules import Rules


class Verdict(StrEnum):
    HELD = "held"
    BROKEN = "broken"
    NEUTRAL = "neutral"


class RuledVersion(Protocol):
    """A version of a habit's rules (HabitVersionRead has this shape)."""

    @property
    def effective_from(self) -> date: ...

    @property
    def number(self) -> int: ...

    def rules(self) -> Rules: ...


@dataclass(frozen=True)
class Streak:
    start: date  # the first held day
    end: date  # the last held day
    length: int  # held days (neutral days inside the run do not count)


@dataclass(frozen=True)
class Judgement:
    """Every day of a habit from `first` to `today`: held, broken, or (else) neutral."""

    first: date | None
    today: date
    held: frozenset[int]  # ordinals
    broken: frozenset[int]  # ordinals

    def verdict(self, day: date) -> Verdict:
        ordinal = day.toordinal()
        if ordinal in self.held:
            return Verdict.HELD
        if ordinal in self.broken:
            return Verdict.BROKEN
        return Verdict.NEUTRAL

    def holds(self, day: date) -> bool:
        return day.toordinal() in self.held


@dataclass(frozen=True)
class HabitStreaks:
    current: Streak | None
    best: tuple[Streak, ...]  # longest first

    @property
    def current_length(self) -> int:
        return self.current.length if self.current else 0

    @property
    def best_length(self) -> int:
        return self.best[0].length if self.best else 0


_EMPTY: frozenset[int] = frozenset()


def judge(
    versions: Sequence[RuledVersion],
    done: Iterable[date],
    skipped: Iterable[date],
    today: date,
) -> Judgement:
    """Judge every day of the habit up to `today` (later days and entries are ignored).

    `done` and `skipped` are the days recorded with those statuses; every other day counts as
    not done.
    """
    return judge_ordinals(
        versions,
        {d.toordinal() for d in done},
        {d.toordinal() for d in skipped},
        today,
    )


def judge_ordinals(
    versions: Sequence[RuledVersion],
    done: Collection[int],
    skipped: Collection[int],
    today: date,
) -> Judgement:
    """`judge` for days given as ordinals (what a service reading years of entries has)."""
    if not versions:
        raise ValueError("a habit always has at least one version")
    last = today.toordinal()
    done_set = set(done) if max(done, default=last) <= last else {o for o in done if o <= last}
    skip_set = (
        set(skipped) if max(skipped, default=last) <= last else {o for o in skipped if o <= last}
    )
    skip_set -= done_set
    ordered = sorted(versions, key=lambda v: (v.effective_from, v.number))
    start = ordered[0].effective_from.toordinal()
    if done_set or skip_set:
        start = min(start, min(done_set | skip_set))
    if start > last:
        return Judgement(None, today, _EMPTY, _EMPTY)

    # The stretches of days each version judges: a version holds from its first day until the
    # next one starts; the first also judges the days before it (back-filled ones).
    segments: list[tuple[int, int, Rules]] = []
    for k, version in enumerate(ordered):
        begin = start if k == 0 else max(start, version.effective_from.toordinal())
        end = last + 1
        if k + 1 < len(ordered):
            end = min(end, ordered[k + 1].effective_from.toordinal())
        if begin < end:
            segments.append((begin, end, version.rules()))

    held: set[int] = set()
    broken: set[int] = set()
    windows = [(b, e, r) for b, e, r in segments if r.weekdays is None and r.period_days > 1]
    for begin, end, rules in segments:
        if rules.weekdays is not None:
            due = _weekday_days(rules.weekdays, begin, end)
        elif rules.period_days == 1:
            due = set(range(begin, end))
        else:
            continue
        held |= due & done_set
        broken |= due - done_set - skip_set
    # Today is not over: not being done yet breaks nothing.
    broken.discard(last)
    if windows:
        _judge_windows(windows, start, last, done_set, skip_set, held, broken)
    return Judgement(date.fromordinal(start), today, frozenset(held), frozenset(broken))


def _weekday_days(mask: int, begin: int, end: int) -> set[int]:
    first_weekday = date.fromordinal(begin).weekday()
    days: set[int] = set()
    for weekday in range(7):
        if mask & (1 << weekday):
            days.update(range(begin + (weekday - first_weekday) % 7, end, 7))
    return days


def _judge_windows(
    segments: Sequence[tuple[int, int, Rules]],
    start: int,
    last: int,
    done: set[int],
    skipped: set[int],
    held: set[int],
    broken: set[int],
) -> None:
    """The "X times per Y days" stretches, on the calendar without its skipped days.

    Position i is the i-th day that was not skipped, the days after today included (they are
    "open": they may still be done, like today while it is not done). A done day j anchors a
    window when the Y days from it hold X done days; it covers days j … j + Y − 1. A day that a
    window could still cover once the open days are done is pending, and stays neutral.
    """
    longest = max(rules.period_days for _b, _e, rules in segments)
    timeline: Sequence[int]
    if skipped:
        timeline = [o for o in range(start, last + longest) if o not in skipped]
    else:
        timeline = range(start, last + longest)
    checks = [i for i, o in enumerate(timeline) if o in done]  # positions of done days
    is_check = set(checks)
    now = bisect_left(timeline, last)  # today's position (the next day's if today was skipped)
    for begin, end, rules in segments:
        times, days = rules.freq_num, rules.period_days
        first, stop = bisect_left(timeline, begin), bisect_left(timeline, end)
        if first >= stop:
            continue
        # Windows from each check, merged into runs of covered positions as they go.
        runs: list[list[int]] = []
        lo = max(0, first - days + 1)
        hi = from_check = bisect_left(checks, lo)
        for k in range(from_check, bisect_left(checks, stop)):
            j = checks[k]
            hi = max(hi, k)
            while hi < len(checks) and checks[hi] < j + days:
                hi += 1
            if hi - k < times:
                continue
            if runs and j <= runs[-1][1]:
                runs[-1][1] = j + days
            else:
                runs.append([j, j + days])
        covered: set[int] = set()
        for run_start, run_end in runs:
            covered.update(range(max(run_start, first), min(run_end, stop)))
        # Only windows reaching today or beyond can still fill up.
        pending: set[int] = set()
        for j in range(max(lo, now - days + 1), min(stop, now + 1)):
            if j not in is_check and j != now:
                continue
            done_before_now = bisect_left(checks, now) - bisect_left(checks, j)
            if done_before_now + (j + days - max(j, now)) >= times:
                pending.update(range(j, j + days))
        stretch = range(first, stop)
        held.update(map(timeline.__getitem__, covered))
        broken.update(map(timeline.__getitem__, set(stretch) - covered - pending))


def streaks(judgement: Judgement, count: int = 3) -> HabitStreaks:
    """The current streak and the `count` longest ones from a judgement."""
    held = sorted(judgement.held)
    # Runs as (length, index of their last held day, index of their first): years of history
    # are thousands of runs, and only a few become Streaks.
    runs: list[tuple[int, int, int]] = []
    begin = 0
    for cut in sorted(judgement.broken):
        end = bisect_left(held, cut, begin)
        if end > begin:
            runs.append((end - begin, end - 1, begin))
        begin = end
    current = None
    if begin < len(held):
        runs.append((len(held) - begin, len(held) - 1, begin))
        current = _streak(held, runs[-1])
    best = tuple(_streak(held, run) for run in heapq.nlargest(max(0, count), runs))
    return HabitStreaks(current, best)


def _streak(held: list[int], run: tuple[int, int, int]) -> Streak:
    length, last, first = run
    return Streak(date.fromordinal(held[first]), date.fromordinal(held[last]), length)


def habit_streaks(
    versions: Sequence[RuledVersion],
    done: Iterable[date],
    skipped: Iterable[date],
    today: date,
    *,
    count: int = 3,
) -> HabitStreaks:
    """Current and best streaks of one habit (see the module's docstring for the rules)."""
    return streaks(judge(versions, done, skipped, today), count)


__all__ = [
    "HabitStreaks",
    "Judgement",
    "RuledVersion",
    "Streak",
    "Verdict",
    "habit_streaks",
    "judge",
    "judge_ordinals",
    "streaks",
]
