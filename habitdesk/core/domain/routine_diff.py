"""What changed between two versions of a routine, in sentences a parent reads as history.

Steps have no identity across versions (each version owns fresh step rows), so steps are paired
by title: exactly first, then ignoring case and surrounding spaces. A leftover old and new step at
the same position are one step renamed; anything else unpaired was removed or added. A paired
step counts as moved only when it left the order the other steps kept (everything outside a
longest increasing run of old positions), so inserting one step does not report every later step
as "moved".
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import time

from habitdesk.core.domain.weekdays import EVERY_DAY, WEEKDAY_NAMES


@dataclass(frozen=True)
class StepSpec:
    title: str
    duration_minutes: int | None = None
    points: int | None = None


@dataclass(frozen=True)
class VersionSpec:
    """The parts of a routine version that a new version replaces (equality = "no change")."""

    weekdays: int
    start_time: time | None
    finish_by: time | None
    steps: tuple[StepSpec, ...]


def describe_weekdays(mask: int) -> str:
    """'every day', 'Mon–Fri', 'Mon, Wed, Fri', 'Mon–Wed, Sat' (Monday-first order)."""
    if mask & EVERY_DAY == EVERY_DAY:
        return "every day"
    if not mask & EVERY_DAY:
        return "no days"
    label = [name.capitalize() for name in WEEKDAY_NAMES]
    parts: list[str] = []
    day = 0
    while day < 7:
        if not mask & (1 << day):
            day += 1
            continue
        end = day
        while end + 1 < 7 and mask & (1 << (end + 1)):
            end += 1
        if end - day >= 2:
            parts.append(f"{label[day]}–{label[end]}")
        else:
            parts.extend(label[d] for d in range(day, end + 1))
        day = end + 1
    return ", ".join(parts)


def describe_time(value: time | None) -> str:
    return "not set" if value is None else f"{value:%H:%M}"


def _duration(value: int | None) -> str:
    return "no duration" if value is None else f"{value} min"


def _points(value: int | None) -> str:
    if value is None:
        return "no points"
    return "1 point" if value == 1 else f"{value} points"


def _fold(title: str) -> str:
    return title.strip().casefold()


def _pair_steps(old: tuple[StepSpec, ...], new: tuple[StepSpec, ...]) -> dict[int, int]:
    """new index → old index for the steps that are "the same step" in both versions."""
    pairs: dict[int, int] = {}
    used: set[int] = set()
    for same in (lambda a, b: a == b, lambda a, b: _fold(a) == _fold(b)):
        for n, step in enumerate(new):
            if n in pairs:
                continue
            for o, candidate in enumerate(old):
                if o not in used and same(candidate.title, step.title):
                    pairs[n] = o
                    used.add(o)
                    break
    return pairs


def _kept_order(old_indexes: list[int]) -> set[int]:
    """Old indexes on a longest strictly increasing subsequence: the steps that did not move."""
    tails: list[int] = []  # smallest tail value of an increasing run of each length
    tail_at: list[int] = []  # position in old_indexes of that tail
    parent: list[int] = [-1] * len(old_indexes)
    for i, value in enumerate(old_indexes):
        k = bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_at.append(i)
        else:
            tails[k] = value
            tail_at[k] = i
        parent[i] = tail_at[k - 1] if k else -1
    kept: set[int] = set()
    i = tail_at[-1] if tail_at else -1
    while i != -1:
        kept.add(old_indexes[i])
        i = parent[i]
    return kept


def describe_changes(old: VersionSpec, new: VersionSpec) -> list[str]:
    """One sentence per difference: steps first (removed, added, renamed, moved, details), then
    the schedule. Empty when the versions are the same."""
    removed: list[str] = []
    added: list[str] = []
    renamed: list[str] = []
    moved: list[str] = []
    details: list[str] = []

    pairs = _pair_steps(old.steps, new.steps)
    unpaired_old = {o for o in range(len(old.steps)) if o not in pairs.values()}
    renamed_at: set[int] = set()
    for n in range(len(new.steps)):
        if n not in pairs and n in unpaired_old:
            pairs[n] = n
            unpaired_old.discard(n)
            renamed_at.add(n)
    removed = [f"Removed step '{old.steps[o].title}'" for o in sorted(unpaired_old)]
    added = [f"Added step '{step.title}'" for n, step in enumerate(new.steps) if n not in pairs]

    # A step renamed in place stays where it was by definition; only title pairs can move.
    by_title = [n for n in range(len(new.steps)) if n in pairs and n not in renamed_at]
    kept = _kept_order([pairs[n] for n in by_title])
    for n in sorted(pairs):
        o = pairs[n]
        before, after = old.steps[o], new.steps[n]
        if before.title != after.title:
            renamed.append(f"Renamed step {n + 1} '{before.title}' → '{after.title}'")
        if n not in renamed_at and o not in kept:
            moved.append(f"Moved '{after.title}' from {o + 1} to {n + 1}")
        if before.duration_minutes != after.duration_minutes:
            details.append(
                f"'{after.title}': {_duration(before.duration_minutes)} → "
                f"{_duration(after.duration_minutes)}"
            )
        if before.points != after.points:
            details.append(f"'{after.title}': {_points(before.points)} → {_points(after.points)}")

    schedule: list[str] = []
    if old.weekdays != new.weekdays:
        schedule.append(
            f"Weekdays: {describe_weekdays(old.weekdays)} → {describe_weekdays(new.weekdays)}"
        )
    if old.start_time != new.start_time:
        schedule.append(
            f"Start time {describe_time(old.start_time)} → {describe_time(new.start_time)}"
        )
    if old.finish_by != new.finish_by:
        schedule.append(
            f"Finish by {describe_time(old.finish_by)} → {describe_time(new.finish_by)}"
        )
    return removed + added + renamed + moved + details + schedule
