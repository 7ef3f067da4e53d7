"""The byte-a-day judging (`judge_days`, `DayVerdicts`) equals the set-based algorithm it
replaced (its judging and its streaks), kept here as the reference, on random histories of years
with changes of rules."""

from __future__ import annotations

import heapq
import random
from bisect import bisect_left
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import compress

import pytest

from habitdesk.core.domain.habit_rules import Rules
from habitdesk.core.domain.streaks import (
    _BROKEN,
    _HELD,
    DayVerdicts,
    HabitStreaks,
    RuledVersion,
    Streak,
    Verdict,
    judge_days,
)
from tests.core.test_streaks import TODAY, V

# --- the previous implementation (sets of ordinals), as it was, renamed-----------------------------


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


def _old_streaks(judgement: Judgement, count: int = 3) -> HabitStreaks:
    """The current streak and the `count` longest ones from a judgement."""
    held = sorted(judgement.held)
    # Runs as (length, index of their last held day, index of their first).
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
        current = _old_streak(held, runs[-1])
    best = tuple(_old_streak(held, run) for run in heapq.nlargest(max(0, count), runs))
    return HabitStreaks(current, best)


def _old_streak(held: list[int], run: tuple[int, int, int]) -> Streak:
    length, last, first = run
    return Streak(date.fromordinal(held[first]), date.fromordinal(held[last]), length)


def _judgement_of(days: DayVerdicts) -> Judgement:
    """The byte-a-day verdicts as the sets of held and broken ordinals they stand for."""
    if not days.codes:
        return Judgement(None, days.today, frozenset(), frozenset())
    ordinals = range(days.start, days.start + len(days.codes))
    held = compress(ordinals, (code == _HELD for code in days.codes))
    broken = compress(ordinals, (code == _BROKEN for code in days.codes))
    return Judgement(date.fromordinal(days.start), days.today, frozenset(held), frozenset(broken))


def _old_judge_ordinals(
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
        return Judgement(None, today, frozenset(), frozenset())

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
            due = _old_weekday_days(rules.weekdays, begin, end)
        elif rules.period_days == 1:
            due = set(range(begin, end))
        else:
            continue
        held |= due & done_set
        broken |= due - done_set - skip_set
    # Today is not over: not being done yet breaks nothing.
    broken.discard(last)
    if windows:
        _old_judge_windows(windows, start, last, done_set, skip_set, held, broken)
    return Judgement(date.fromordinal(start), today, frozenset(held), frozenset(broken))


def _old_weekday_days(mask: int, begin: int, end: int) -> set[int]:
    first_weekday = date.fromordinal(begin).weekday()
    days: set[int] = set()
    for weekday in range(7):
        if mask & (1 << weekday):
            days.update(range(begin + (weekday - first_weekday) % 7, end, 7))
    return days


def _old_judge_windows(
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


# --- random histories ---------------------------------------------------------------------------

RULES = (
    Rules(),
    Rules(freq_num=1, freq_den=2),
    Rules(freq_num=2, freq_den=3),
    Rules(freq_num=3, freq_den=7),
    Rules(freq_num=1, freq_den=7),
    Rules(freq_num=4, freq_den=7),
    Rules(freq_num=2, freq_den=2),
    Rules(freq_num=1, freq_den=30),
    Rules(weekdays=0b0010101),
    Rules(weekdays=0b1100000),
    Rules(weekdays=0b0000010),
)


def _history(rng: random.Random) -> tuple[list[V], set[int], set[int], date]:
    today = TODAY - timedelta(days=rng.randrange(7))
    length = rng.choice((1, 5, 40, 400, 1900))
    first = today - timedelta(days=rng.randrange(length))
    versions = [V(first, rng.choice(RULES), 1)]
    for number in range(2, 2 + rng.randrange(5)):
        when = first + timedelta(days=rng.randrange(-10, (today - first).days + 15))
        versions.append(V(when, rng.choice(RULES), number))
    rng.shuffle(versions)
    p_done, p_skip = rng.uniform(0.0, 1.0), rng.choice((0.0, 0.02, 0.2))
    done: set[int] = set()
    skipped: set[int] = set()
    back = rng.choice((0, 0, 3, 20))
    for offset in range(-back, (today - first).days + 4):
        day = (first + timedelta(days=offset)).toordinal()
        roll = rng.random()
        if roll < p_done:
            done.add(day)
        elif roll < p_done + p_skip:
            skipped.add(day)
    if rng.random() < 0.1:
        skipped |= set(rng.sample(sorted(done), len(done) // 10))  # both: done wins
    return versions, done, skipped, today


@pytest.mark.parametrize("seed", range(300))
def test_judge_days_equals_the_set_algorithm(seed: int) -> None:
    rng = random.Random(seed)
    versions, done, skipped, today = _history(rng)
    expected = _old_judge_ordinals(versions, done, skipped, today)
    days = judge_days(versions, done, skipped, today)
    assert _judgement_of(days) == expected
    count = rng.choice((0, 1, 3, 50))
    assert days.streaks(count) == _old_streaks(expected, count)
    first = expected.first or today
    for offset in range(-3, (today - first).days + 3):
        day = first + timedelta(days=offset)
        assert days.verdict(day) is expected.verdict(day)
        assert days.holds(day) == expected.holds(day)


def test_a_habit_not_begun_by_today_has_no_days() -> None:
    days = judge_days([V(TODAY + timedelta(days=3))], [TODAY.toordinal() + 1], [], TODAY)
    assert days.codes == b""
    assert _judgement_of(days) == Judgement(None, TODAY, frozenset(), frozenset())
    assert days.streaks().current is None and days.streaks().best == ()
    assert days.verdict(TODAY) is Verdict.NEUTRAL
