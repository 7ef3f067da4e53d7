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

Days are handled as ordinals (`date.toordinal()`) inside, and judged one byte a day
(`judge_days`, `DayVerdicts`): years of history are judged and scanned in slices of bytes, not
day by day (the whole family's habits in ≈9.5 ms instead of ≈21 ms on the 5-year demo family).
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from itertools import accumulate, compress

from habitdesk.core.domain.habit_rules import Rules
from habitdesk.core.domain.history_days import RuledVersion


class Verdict(StrEnum):
    HELD = "held"
    BROKEN = "broken"
    NEUTRAL = "neutral"


@dataclass(frozen=True)
class Streak:
    start: date  # the first held day
    end: date  # the last held day
    length: int  # held days (neutral days inside the run do not count)


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


# A day's verdict as one byte (`DayVerdicts.codes`): years of days judged in slices of bytes.
_NEUTRAL, _HELD, _BROKEN = 0, 1, 2
# What was recorded on a day (`recorded` in `judge_days`): nothing (or missed), done, skipped.
_NOTHING, _DONE, _SKIPPED = 0, 1, 2
# A due day by what was recorded: done holds, skipped is neutral, nothing breaks.
_DUE = bytes.maketrans(b"\0\1\2", bytes((_BROKEN, _HELD, _NEUTRAL)))
_BROKEN_FLAGS = bytes.maketrans(b"\0\1\2", b"\0\0\1")
_DONE_FLAGS = bytes.maketrans(b"\0\1\2", b"\0\1\0")
_COVERED = bytes.maketrans(b"\0\1", bytes((_BROKEN, _HELD)))
_BROKEN_CODE = bytes((_BROKEN,))
_NEUTRAL_CODE = bytes((_NEUTRAL,))
_SKIPPED_CODE = bytes((_SKIPPED,))


@dataclass(frozen=True, slots=True)
class DayVerdicts:
    """Every day of a habit judged, one byte a day (`_NEUTRAL`, `_HELD`, `_BROKEN`).

    `codes[i]` is the day with ordinal `start + i`, up to `today`; no codes when the habit has
    not begun by then. What `judge_days` returns: the streaks come from it with a few scans of
    bytes, where sets of ordinals would cost a hash per day.
    """

    start: int  # ordinal of the first day
    today: date
    codes: bytes

    def verdict(self, day: date) -> Verdict:
        index = day.toordinal() - self.start
        if not 0 <= index < len(self.codes):
            return Verdict.NEUTRAL
        return _VERDICTS[self.codes[index]]

    def holds(self, day: date) -> bool:
        index = day.toordinal() - self.start
        return 0 <= index < len(self.codes) and self.codes[index] == _HELD

    def streaks(self, count: int = 3) -> HabitStreaks:
        """The current streak and the `count` longest ones."""
        codes = self.codes
        # A run is what lies between two broken days (run k ends at the k-th); its length is
        # its held days: with the neutral days taken out, the runs are the strings of held.
        lengths = list(map(len, codes.replace(_NEUTRAL_CODE, b"").split(_BROKEN_CODE)))
        cuts = list(compress(range(len(codes)), codes.translate(_BROKEN_FLAGS)))

        def streak(k: int) -> Streak:
            begin = cuts[k - 1] + 1 if k else 0
            end = cuts[k] if k < len(cuts) else len(codes)
            first, last = codes.find(_HELD, begin, end), codes.rfind(_HELD, begin, end)
            return Streak(
                date.fromordinal(self.start + first),
                date.fromordinal(self.start + last),
                lengths[k],
            )

        current = streak(len(cuts)) if lengths[-1] else None
        # Longest first; among equals the later run (the more recent) first.
        ranked = heapq.nlargest(max(0, count), zip(lengths, range(len(lengths)), strict=True))
        return HabitStreaks(current, tuple(streak(k) for n, k in ranked if n))


_VERDICTS = {_NEUTRAL: Verdict.NEUTRAL, _HELD: Verdict.HELD, _BROKEN: Verdict.BROKEN}


def judge_days(
    versions: Sequence[RuledVersion],
    done: Collection[int],
    skipped: Collection[int],
    today: date,
) -> DayVerdicts:
    """Judge every day of the habit up to `today`, one byte a day (later days and entries are
    ignored). `done` and `skipped` are the ordinals of the days recorded with those statuses;
    every other day counts as not done."""
    if not versions:
        raise ValueError("a habit always has at least one version")
    last = today.toordinal()
    ordered = sorted(versions, key=lambda v: (v.effective_from, v.number))
    start = ordered[0].effective_from.toordinal()
    for days in (done, skipped):
        earliest = min(days, default=start)
        if earliest < start:  # back-filled days before the first rules
            start = earliest
    if start > last:
        return DayVerdicts(last + 1, today, b"")
    n = last - start + 1

    # The offsets of the days each version judges: a version holds from its first day until
    # the next one starts; the first also judges the days before it (back-filled ones).
    segments: list[tuple[int, int, Rules]] = []
    for k, version in enumerate(ordered):
        begin = 0 if k == 0 else max(0, version.effective_from.toordinal() - start)
        end = n
        if k + 1 < len(ordered):
            end = min(end, ordered[k + 1].effective_from.toordinal() - start)
        if begin < end:
            segments.append((begin, end, version.rules()))
    windows = [(b, e, r) for b, e, r in segments if r.weekdays is None and r.period_days > 1]
    # Days after today (nothing recorded yet) for the windows reaching beyond it.
    longest = max((rules.period_days for _b, _e, rules in windows), default=0)
    recorded = bytearray(n + longest)
    _mark(recorded, skipped, start, last, _SKIPPED)
    _mark(recorded, done, start, last, _DONE)  # a day both done and skipped is done

    codes = bytearray(n)
    for begin, end, rules in segments:
        if rules.weekdays is None and rules.period_days > 1:
            continue
        codes[begin:end] = recorded[begin:end].translate(_DUE)
        if rules.weekdays is not None:
            first_weekday = date.fromordinal(start + begin).weekday()
            for weekday in range(7):
                if not rules.weekdays & (1 << weekday):
                    off = range(begin + (weekday - first_weekday) % 7, end, 7)
                    codes[off.start : end : 7] = bytes(len(off))
    # Today is not over: not being done yet breaks nothing.
    if codes[n - 1] == _BROKEN:
        codes[n - 1] = _NEUTRAL
    if windows:
        _judge_windows(windows, n, recorded, codes)
    return DayVerdicts(start, today, bytes(codes))


def _mark(recorded: bytearray, days: Collection[int], start: int, last: int, code: int) -> None:
    """Set `code` on the bytes of `days` (ordinals) up to `last` (they are from `start` on)."""
    if max(days, default=last) > last:
        days = [o for o in days if o <= last]
    for ordinal in days:  # a plain loop: faster than map() over bound methods here
        recorded[ordinal - start] = code


def _judge_windows(
    segments: Sequence[tuple[int, int, Rules]],
    n: int,
    recorded: bytearray,
    codes: bytearray,
) -> None:
    """The "X times per Y days" stretches (offsets), on the calendar without its skipped days.

    Position i is the i-th day that was not skipped, the days after today included (they are
    "open": they may still be done, like today while it is not done). A done day j anchors a
    window when the Y days from it hold X done days; it covers days j … j + Y − 1. A day that a
    window could still cover once the open days are done is pending, and stays neutral.
    """
    # The calendar without its skipped days: position p is the p-th byte of `kept`, and an
    # offset o's position is o less the skipped days before it.
    kept = recorded.replace(_SKIPPED_CODE, b"")

    def position(offset: int) -> int:
        return offset - recorded.count(_SKIPPED, 0, offset)

    checks = list(compress(range(len(kept)), kept.translate(_DONE_FLAGS)))  # done days
    now = position(n - 1)  # today's position (the next day's if today was skipped)
    for begin, end, rules in segments:
        times, days = rules.freq_num, rules.period_days
        first, stop = position(begin), position(end)
        if first >= stop:
            continue
        lo = max(0, first - days + 1)
        # covered[p - lo]: position p lies in a window of X done days (anchored at a check).
        covered = bytearray(stop - lo + days)
        whole = b"\1" * days
        k0, k1 = bisect_left(checks, lo), bisect_left(checks, stop)
        anchors = checks[k0:k1]
        # The check `times - 1` later is within the window: X done days in it.
        for j, later in zip(anchors, checks[k0 + times - 1 : k1 + times - 1], strict=False):
            if later < j + days:
                covered[j - lo : j - lo + days] = whole
        stretch = covered[first - lo : stop - lo].translate(_COVERED)
        # Only windows reaching today or beyond can still fill up.
        done_by_now = bisect_left(checks, now)
        for j in range(max(lo, now - days + 1), min(stop, now + 1)):
            if j != now and kept[j] != _DONE:
                continue
            done_before_now = done_by_now - bisect_left(checks, j)
            if done_before_now + (j + days - now) >= times:
                for p in range(max(j, first), min(j + days, stop)):
                    if stretch[p - first] == _BROKEN:
                        stretch[p - first] = _NEUTRAL
        # Back on the calendar: the skipped days between the positions are neutral.
        runs = recorded[begin:end].split(_SKIPPED_CODE)
        if len(runs) == 1:
            codes[begin:end] = stretch
        else:
            cuts = accumulate(map(len, runs))
            codes[begin:end] = _NEUTRAL_CODE.join(
                stretch[cut - len(run) : cut] for run, cut in zip(runs, cuts, strict=True)
            )


def habit_streaks(
    versions: Sequence[RuledVersion],
    done: Iterable[date],
    skipped: Iterable[date],
    today: date,
    *,
    count: int = 3,
) -> HabitStreaks:
    """Current and best streaks of one habit (see the module's docstring for the rules)."""
    days = judge_days(
        versions, {d.toordinal() for d in done}, {d.toordinal() for d in skipped}, today
    )
    return days.streaks(count)


__all__ = [
    "DayVerdicts",
    "HabitStreaks",
    "RuledVersion",
    "Streak",
    "Verdict",
    "habit_streaks",
    "judge_days",
]
