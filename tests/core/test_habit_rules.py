"""The pure rules of a habit: which version holds on a day, whether a day is due, what a value means."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from habitdesk.core.domain import habit_rules
from habitdesk.core.domain.habit_rules import Rules
from habitdesk.core.domain.weekdays import mask_from_names
from habitdesk.core.errors import InvalidInputError
from habitdesk.core.models.enums import Direction, EntryStatus, HabitKind

MONDAY = date(2026, 11, 23)


@dataclass(frozen=True)
class V:
    number: int
    effective_from: date


def steps(target: float = 10_000, direction: Direction = Direction.AT_LEAST) -> Rules:
    return Rules.normalised(
        kind=HabitKind.NUMERIC,
        target_value=target,
        unit="steps",
        direction=direction,
        freq_num=1,
        freq_den=1,
        weekdays=None,
    )


def per(times: int, days: int) -> Rules:
    return Rules(freq_num=times, freq_den=days)


def on(*names: str) -> Rules:
    return Rules(weekdays=mask_from_names(names))


# --- which version holds ------------------------------------------------------------------------


def test_the_latest_version_started_by_the_day_holds() -> None:
    versions = [V(1, date(2026, 1, 1)), V(2, date(2026, 3, 1)), V(3, date(2026, 6, 1))]
    assert habit_rules.version_in_force(versions, date(2026, 2, 28)) == versions[0]
    assert habit_rules.version_in_force(versions, date(2026, 3, 1)) == versions[1]
    assert habit_rules.version_in_force(versions, date(2027, 1, 1)) == versions[2]


def test_versions_in_any_order_and_same_day_corrections() -> None:
    versions = [V(3, date(2026, 3, 1)), V(1, date(2026, 1, 1)), V(2, date(2026, 3, 1))]
    assert habit_rules.version_in_force(versions, date(2026, 3, 5)) == V(3, date(2026, 3, 1))


def test_before_the_first_version_nothing_holds_but_back_filling_uses_the_first() -> None:
    versions = [V(2, date(2026, 3, 1)), V(1, date(2026, 1, 1))]
    assert habit_rules.version_in_force(versions, date(2025, 12, 31)) is None
    assert habit_rules.version_for_day(versions, date(2025, 12, 31)) == V(1, date(2026, 1, 1))
    with pytest.raises(ValueError):
        habit_rules.version_for_day([], MONDAY)


# --- due days -----------------------------------------------------------------------------------


def test_weekday_rules_are_due_on_the_chosen_weekdays_only() -> None:
    rules = on("mon", "wed", "fri")
    due = [habit_rules.is_due(rules, MONDAY + timedelta(days=i), []) for i in range(7)]
    assert due == [True, False, True, False, True, False, False]


def test_daily_habit_is_always_due_even_when_done() -> None:
    assert habit_rules.is_due(per(1, 1), MONDAY, [MONDAY - timedelta(days=1), MONDAY])


def test_x_per_y_is_due_until_the_completions_of_the_window_are_reached() -> None:
    rules = per(2, 7)
    done = [MONDAY, MONDAY + timedelta(days=2)]
    # Tuesday: one completion in the window so far.
    assert habit_rules.is_due(rules, MONDAY + timedelta(days=1), done)
    # Thursday … next Sunday: two completions in the last 7 days, nothing more asked.
    for offset in range(3, 7):
        assert not habit_rules.is_due(rules, MONDAY + timedelta(days=offset), done)
    # Next Monday the first completion has left the 7-day window.
    assert habit_rules.is_due(rules, MONDAY + timedelta(days=7), done)


def test_the_days_own_completion_does_not_make_it_not_due() -> None:
    rules = per(1, 7)
    assert habit_rules.is_due(rules, MONDAY, [MONDAY])
    assert not habit_rules.is_due(rules, MONDAY + timedelta(days=1), [MONDAY])


def test_completions_are_counted_in_the_window_ending_on_the_day() -> None:
    rules = per(3, 7)
    done = [MONDAY - timedelta(days=7), MONDAY - timedelta(days=6), MONDAY, MONDAY]
    assert habit_rules.completions_in_window(rules, MONDAY, done) == 2
    assert habit_rules.window_start(rules, MONDAY) == MONDAY - timedelta(days=6)
    assert habit_rules.completions_in_window(on("mon"), MONDAY, done) == 1


# --- what a value means -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "value", "status"),
    [
        (steps(), 10_000, EntryStatus.DONE),
        (steps(), 12_000, EntryStatus.DONE),
        (steps(), 9_999, EntryStatus.MISSED),
        (steps(), 0, EntryStatus.MISSED),
        (steps(60, Direction.AT_MOST), 60, EntryStatus.DONE),
        (steps(60, Direction.AT_MOST), 0, EntryStatus.DONE),
        (steps(60, Direction.AT_MOST), 61, EntryStatus.MISSED),
        # Amounts typed by a person meet a target they add up to.
        (steps(0.3), 0.1 + 0.2, EntryStatus.DONE),
        (Rules(), 1, EntryStatus.DONE),
        (Rules(), 0, EntryStatus.MISSED),
    ],
)
def test_entry_status_from_value_target_and_direction(
    rules: Rules, value: float, status: EntryStatus
) -> None:
    assert habit_rules.entry_status(rules, value) is status


def test_boolean_rules_drop_target_unit_and_direction() -> None:
    rules = Rules.normalised(
        kind=HabitKind.BOOLEAN,
        target_value=5,
        unit="pages",
        direction=Direction.AT_MOST,
        freq_num=1,
        freq_den=1,
        weekdays=mask_from_names(["sat"]),
    )
    assert rules == Rules(weekdays=mask_from_names(["sat"]))
    assert rules.weekday_names == ["sat"]
    assert rules.period_days == 1


@pytest.mark.parametrize(
    ("rules", "value", "status", "skip", "expected"),
    [
        (Rules(), None, EntryStatus.DONE, False, (1.0, EntryStatus.DONE)),
        (Rules(), None, EntryStatus.MISSED, False, (0.0, EntryStatus.MISSED)),
        (Rules(), 1.0, None, False, (1.0, EntryStatus.DONE)),
        (Rules(), 0.0, None, False, (0.0, EntryStatus.MISSED)),
        (Rules(), None, None, True, (0.0, EntryStatus.SKIPPED)),
        (steps(), 8_000.0, None, False, (8_000.0, EntryStatus.MISSED)),
        (steps(), 8_000.0, None, True, (8_000.0, EntryStatus.SKIPPED)),
        (steps(), None, EntryStatus.DONE, False, (10_000.0, EntryStatus.DONE)),
        # A parent's explicit decision wins over the arithmetic.
        (steps(), 8_000.0, EntryStatus.DONE, False, (8_000.0, EntryStatus.DONE)),
        (steps(), None, EntryStatus.SKIPPED, False, (0.0, EntryStatus.SKIPPED)),
    ],
)
def test_resolve_entry(
    rules: Rules,
    value: float | None,
    status: EntryStatus | None,
    skip: bool,
    expected: tuple[float, EntryStatus],
) -> None:
    assert habit_rules.resolve_entry(rules, value, status, skip) == expected


@pytest.mark.parametrize(
    ("rules", "value", "message"),
    [
        (Rules(), 2.0, "Value: a yes/no habit takes 1 (done) or 0 (not done), not 2."),
        (Rules(), None, "Value: choose done (1), not done (0) or skip."),
        (steps(), None, "Value: enter the number of steps for this day, or skip it."),
    ],
)
def test_resolve_entry_refuses_what_cannot_be_judged(
    rules: Rules, value: float | None, message: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        habit_rules.resolve_entry(rules, value, None, False)
    assert caught.value.message == message
