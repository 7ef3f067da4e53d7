"""The rules of a habit on a day: which version holds, whether the day is due, what an entry means.

Pure functions on plain values, so the services, the statistics and the importers judge a day
the same way, and tests need no database.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol, TypeVar

from habitdesk.core.domain.weekdays import includes, names_from_mask
from habitdesk.core.enums import Direction, EntryStatus, HabitKind
from habitdesk.core.errors import InvalidInputError

MAX_PERIOD_DAYS = 365

# Numeric values typed by a person (0.1 + 0.2 km) should meet a target of 0.3 km.
_REL_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Rules:
    """What a habit asks for, as one version of it states it.

    Normalised so that equal rules compare equal: a boolean habit has no target or unit and
    counts "at least"; weekday rules have frequency 1/1.
    """

    kind: HabitKind = HabitKind.BOOLEAN
    target_value: float | None = None
    unit: str | None = None
    direction: Direction = Direction.AT_LEAST
    freq_num: int = 1
    freq_den: int = 1
    weekdays: int | None = None

    @classmethod
    def normalised(
        cls,
        *,
        kind: HabitKind,
        target_value: float | None,
        unit: str | None,
        direction: Direction,
        freq_num: int,
        freq_den: int,
        weekdays: int | None,
    ) -> Rules:
        numeric = kind is HabitKind.NUMERIC
        return cls(
            kind=kind,
            target_value=float(target_value) if numeric and target_value is not None else None,
            unit=unit if numeric else None,
            direction=direction if numeric else Direction.AT_LEAST,
            freq_num=1 if weekdays is not None else freq_num,
            freq_den=1 if weekdays is not None else freq_den,
            weekdays=weekdays,
        )

    @property
    def is_numeric(self) -> bool:
        return self.kind is HabitKind.NUMERIC

    @property
    def weekday_names(self) -> list[str] | None:
        return None if self.weekdays is None else names_from_mask(self.weekdays)

    @property
    def period_days(self) -> int:
        """How many days back (the day itself included) the frequency looks."""
        return 1 if self.weekdays is not None else self.freq_den


class _Dated(Protocol):
    @property
    def effective_from(self) -> date: ...

    @property
    def number(self) -> int: ...


V = TypeVar("V", bound=_Dated)


def version_in_force(versions: Sequence[V], day: date) -> V | None:
    """The version (of a habit's rules, or of a routine) that held on `day`: the latest one
    that had started by then, whatever its number.

    When two versions start on the same day the later-numbered one wins (it corrected the
    other). None when the day precedes every version.
    """
    best: V | None = None
    for version in versions:
        if version.effective_from > day:
            continue
        if best is None or (version.effective_from, version.number) > (
            best.effective_from,
            best.number,
        ):
            best = version
    return best


def version_for_day(versions: Sequence[V], day: date) -> V:
    """Like `version_in_force`, but a day before the first version is judged by the first one.

    A parent back-filling the days before a habit was set up means the habit as first defined.
    """
    if not versions:
        raise ValueError("a habit always has at least one version")
    found = version_in_force(versions, day)
    if found is not None:
        return found
    return min(versions, key=lambda v: (v.effective_from, v.number))


def window_start(rules: Rules, day: date) -> date:
    """First day of the frequency window that ends on `day`."""
    return day - timedelta(days=rules.period_days - 1)


def completions_in_window(rules: Rules, day: date, done_days: Iterable[date]) -> int:
    """Days marked done in the window of `rules.period_days` days ending on `day` (inclusive)."""
    start = window_start(rules, day)
    return sum(1 for d in set(done_days) if start <= d <= day)


def is_due(rules: Rules, day: date, done_days: Iterable[date]) -> bool:
    """Whether the habit asks for something on `day`.

    Weekday rules: the day is one of the chosen weekdays. "X times per Y days": due unless the
    X completions were already reached on the other Y−1 days of the window ending on `day`; the
    day's own completion does not make it "not due" (it stays on the list, ticked).
    """
    if rules.weekdays is not None:
        return includes(rules.weekdays, day)
    before = {d for d in done_days if d != day}
    return completions_in_window(rules, day, before) < rules.freq_num


def meets_target(rules: Rules, value: float) -> bool:
    if not rules.is_numeric:
        return value >= 1
    target = rules.target_value
    if target is None:  # normalised numeric rules always carry one; be safe anyway
        return value > 0
    if math.isclose(value, target, rel_tol=_REL_TOLERANCE):
        return True
    if rules.direction is Direction.AT_MOST:
        return value <= target
    return value >= target


def entry_status(rules: Rules, value: float) -> EntryStatus:
    """Done when the value meets the rules, otherwise missed (a partial amount stays recorded)."""
    return EntryStatus.DONE if meets_target(rules, value) else EntryStatus.MISSED


def resolve_entry(
    rules: Rules, value: float | None, status: EntryStatus | None, skip: bool
) -> tuple[float, EntryStatus]:
    """The value and status to store for what a person entered.

    - skip → skipped (a value given is kept, else 0);
    - boolean: a status alone gives value 1 (done) or 0; a value alone must be 1 or 0;
    - numeric: a value alone is judged against the rules; a status given explicitly is the
      parent's decision and wins; "done" without a value records the target.
    """
    if skip or status is EntryStatus.SKIPPED:
        return (value if value is not None else 0.0), EntryStatus.SKIPPED
    if not rules.is_numeric:
        if status is not None:
            return (1.0 if status is EntryStatus.DONE else 0.0), status
        if value is None:
            raise InvalidInputError("Value: choose done (1), not done (0) or skip.")
        if value not in (0.0, 1.0):
            raise InvalidInputError(
                f"Value: a yes/no habit takes 1 (done) or 0 (not done), not {value:g}."
            )
        return value, EntryStatus.DONE if value == 1.0 else EntryStatus.MISSED
    if value is None:
        if status is EntryStatus.DONE:
            return float(rules.target_value or 0.0), status
        if status is EntryStatus.MISSED:
            return 0.0, status
        amount = f"the number of {rules.unit}" if rules.unit else "the amount"
        raise InvalidInputError(f"Value: enter {amount} for this day, or skip it.")
    return value, status if status is not None else entry_status(rules, value)
