"""A habit's or routine's history as one slot per day, with the rules that judge each day.

The statistics (scores, completion rates) walk years of days, many habits at a time; a list
indexed by "days since the first day" is what they scan, instead of dictionaries of dates.
Pure values, no I/O: the services build them from what they read, tests build them by hand.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

from habitdesk.core.domain.habit_rules import Rules
from habitdesk.core.enums import EntryStatus, RunStatus


class DayStatus(StrEnum):
    """What was recorded on a day: `none` when nothing was."""

    DONE = "done"
    MISSED = "missed"
    SKIPPED = "skipped"
    NONE = "none"


_FROM_ENTRY = {
    EntryStatus.DONE: DayStatus.DONE,
    EntryStatus.MISSED: DayStatus.MISSED,
    EntryStatus.SKIPPED: DayStatus.SKIPPED,
}


def day_status(status: EntryStatus) -> DayStatus:
    return _FROM_ENTRY[status]


class Outcome(StrEnum):
    """How a day counts in a completion rate (done / due, skipped days in neither)."""

    DONE = "done"  # counts as done and as due, even on a day that was not due
    MISSED = "missed"  # due and not done
    SKIPPED = "skipped"  # neither
    NOT_DUE = "not_due"  # neither: not asked for that day, or still open (today, not yet done)


class _Versioned(Protocol):
    @property
    def effective_from(self) -> date: ...

    @property
    def number(self) -> int: ...


class RuledVersion(_Versioned, Protocol):
    """A version of a habit's rules (HabitVersionRead has this shape)."""

    def rules(self) -> Rules: ...


@dataclass(frozen=True, slots=True)
class Span:
    """Rules (or a routine's weekdays) in force from day `first` (an index) to the next span."""

    first: int
    rules: Rules


@dataclass(frozen=True, slots=True)
class HabitDays:
    """Days `start` … `start + len − 1` of one habit: what was recorded, and which rules held.

    `spans` cover every day (the first one starts at 0). Days before the habit's first rules
    (a parent back-filling) are judged by the first rules, as `habit_rules.version_for_day` says.
    """

    start: date
    statuses: Sequence[DayStatus]
    values: Sequence[float | None]
    notes: Sequence[str | None]
    spans: tuple[Span, ...]

    def __len__(self) -> int:
        return len(self.statuses)

    @property
    def end(self) -> date:
        return self.start + timedelta(days=len(self.statuses) - 1)

    def day(self, index: int) -> date:
        return self.start + timedelta(days=index)

    def index(self, day: date) -> int:
        return (day - self.start).days

    def span_bounds(self) -> Iterable[tuple[int, int, Rules]]:
        """(first, stop, rules) for each span, clipped to the days there are."""
        n = len(self.statuses)
        for k, span in enumerate(self.spans):
            stop = self.spans[k + 1].first if k + 1 < len(self.spans) else n
            stop = min(stop, n)
            if span.first < stop:
                yield span.first, stop, span.rules


def _ordered(versions: Sequence[RuledVersion]) -> list[RuledVersion]:
    if not versions:
        raise ValueError("a habit always has at least one version")
    return sorted(versions, key=lambda v: (v.effective_from, v.number))


def history_start(versions: Sequence[RuledVersion], first_recorded: date | None) -> date:
    """The habit's first day: its first rules, or an earlier recorded day."""
    first = _ordered(versions)[0].effective_from
    return first if first_recorded is None else min(first, first_recorded)


def rule_spans(versions: Sequence[RuledVersion], start: date) -> tuple[Span, ...]:
    """Which rules judge which days from `start` on (as `habit_rules.version_for_day` does)."""
    spans: list[Span] = []
    for version in _ordered(versions):
        # The first rules also judge the days before them (back-filled ones).
        first = max(0, (version.effective_from - start).days) if spans else 0
        # Two versions from the same day (or both before `start`): the later-numbered one wins.
        if spans and spans[-1].first == first:
            spans.pop()
        spans.append(Span(first, version.rules()))
    return tuple(spans)


def habit_days(
    versions: Sequence[RuledVersion],
    entries: Iterable[tuple[date, EntryStatus, float, str | None]],
    end: date,
    start: date | None = None,
) -> HabitDays:
    """One habit's days from `start` (default: `history_start`) to `end`, both included.

    `entries` are (day, status, value, note); those outside the range are left out.
    """
    kept = list(entries)
    if start is None:
        start = history_start(versions, min((e[0] for e in kept), default=None))
    n = max(0, (end - start).days + 1)
    statuses: list[DayStatus] = [DayStatus.NONE] * n
    values: list[float | None] = [None] * n
    notes: list[str | None] = [None] * n
    base = start.toordinal()
    for day, status, value, note in kept:
        i = day.toordinal() - base
        if 0 <= i < n:
            statuses[i] = _FROM_ENTRY[status]
            values[i] = value
            notes[i] = note
    return HabitDays(
        start=start,
        statuses=statuses,
        values=values,
        notes=notes,
        spans=rule_spans(versions, start),
    )


@dataclass(frozen=True, slots=True)
class WeekdaySpan:
    """A routine version's weekdays (bit 0 = Monday), in force from day `first` (an index)."""

    first: int
    weekdays: int


@dataclass(frozen=True, slots=True)
class RoutineDays:
    """Days `start` … of one member's routine, as `routine_run_status` judges its runs.
    `spans` say which weekdays were scheduled, version by version."""

    start: date
    statuses: Sequence[DayStatus]
    spans: tuple[WeekdaySpan, ...]

    def __len__(self) -> int:
        return len(self.statuses)


class _RoutineVersion(_Versioned, Protocol):
    @property
    def weekdays(self) -> int: ...


def routine_days(
    versions: Sequence[_RoutineVersion],
    runs: Iterable[tuple[date, DayStatus]],
    end: date,
    start: date | None = None,
) -> RoutineDays:
    """A routine's days from `start` (default: its first version, or an earlier run) to `end`.

    `runs` are (day, status), the status already judged: see `routine_run_status`.
    """
    ordered = sorted(versions, key=lambda v: (v.effective_from, v.number))
    if not ordered:
        raise ValueError("a routine always has at least one version")
    kept = list(runs)
    if start is None:
        start = min([ordered[0].effective_from, *(day for day, _ in kept)])
    n = max(0, (end - start).days + 1)
    statuses = [DayStatus.NONE] * n
    base = start.toordinal()
    for day, status in kept:
        i = day.toordinal() - base
        if 0 <= i < n:
            statuses[i] = status
    spans: list[WeekdaySpan] = []
    for version in ordered:
        first = max(0, (version.effective_from - start).days) if spans else 0
        if spans and spans[-1].first == first:
            spans.pop()
        spans.append(WeekdaySpan(first, version.weekdays))
    return RoutineDays(start=start, statuses=statuses, spans=tuple(spans))


def routine_run_status(status: RunStatus, steps: int = 0, checked: int | None = None) -> DayStatus:
    """A routine day is done when every one of the `steps` of that day's version was checked.

    `checked` None: the run is finished and its status says it (completed means every step was
    checked; RoutineService keeps it so when a finished run's steps are corrected). A run still
    in progress without every step checked counts as nothing recorded yet: a miss once its day
    is over, still open today. A run finished with steps unchecked is a miss.
    """
    if status is RunStatus.SKIPPED:
        return DayStatus.SKIPPED
    if checked is None:
        if status is RunStatus.COMPLETED:
            return DayStatus.DONE
        return DayStatus.MISSED if status is RunStatus.PARTIAL else DayStatus.NONE
    if steps > 0 and checked >= steps:
        return DayStatus.DONE
    return DayStatus.NONE if status is RunStatus.IN_PROGRESS else DayStatus.MISSED


__all__ = [
    "DayStatus",
    "HabitDays",
    "Outcome",
    "RoutineDays",
    "RuledVersion",
    "Span",
    "WeekdaySpan",
    "day_status",
    "habit_days",
    "history_start",
    "routine_days",
    "routine_run_status",
    "rule_spans",
]
