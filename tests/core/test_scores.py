"""Habit strength scores: Loop Habit Tracker's formula, checked against Loop's own numbers."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from habitdesk.core.domain.habit_rules import Rules
from habitdesk.core.domain.history_days import (
    DayStatus,
    HabitDays,
    Span,
    habit_days,
    history_start,
    rule_spans,
)
from habitdesk.core.domain.scores import (
    ScoreParams,
    habit_scores,
    initial_score,
    multiplier,
    next_score,
)
from habitdesk.core.domain.weekdays import mask_from_names
from habitdesk.core.enums import Direction, EntryStatus, HabitKind

DONE, MISSED, SKIPPED, NONE = DayStatus.DONE, DayStatus.MISSED, DayStatus.SKIPPED, DayStatus.NONE
START = date(2026, 1, 5)  # a Monday
LOOP_FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "fixtures" / "loop"


def boolean(num: int = 1, den: int = 1, weekdays: str | None = None) -> Rules:
    mask = mask_from_names(weekdays.split(",")) if weekdays else None
    return Rules.normalised(
        kind=HabitKind.BOOLEAN,
        target_value=None,
        unit=None,
        direction=Direction.AT_LEAST,
        freq_num=num,
        freq_den=den,
        weekdays=mask,
    )


def numeric(
    target: float, direction: Direction = Direction.AT_LEAST, num: int = 1, den: int = 1
) -> Rules:
    return Rules.normalised(
        kind=HabitKind.NUMERIC,
        target_value=target,
        unit="min",
        direction=direction,
        freq_num=num,
        freq_den=den,
        weekdays=None,
    )


def days_of(
    statuses: list[DayStatus],
    rules: Rules | list[tuple[int, Rules]],
    values: list[float | None] | None = None,
) -> HabitDays:
    spans = (Span(0, rules),) if isinstance(rules, Rules) else tuple(Span(f, r) for f, r in rules)
    n = len(statuses)
    return HabitDays(START, statuses, values or [None] * n, [None] * n, spans)


def scores_4(days: HabitDays) -> list[str]:
    return [f"{s:.4f}" for s in habit_scores(days)]


# --- the reference: Loop's loop, day by day, as ScoreList.recompute writes it ------------------


def reference_scores(days: HabitDays) -> list[float]:
    """The plain recurrence, one day at a time, rules looked up for each day."""
    rules_of = []
    for first, stop, rules in days.span_bounds():
        rules_of += [rules] * (stop - first)
    score = initial_score(rules_of[0]) if rules_of else 0.0
    out = []
    for i, status in enumerate(days.statuses):
        p = ScoreParams.of(rules_of[i])
        window = range(max(0, i - p.den + 1), i + 1)
        if status is not SKIPPED:
            if p.numeric:
                total = sum(
                    (days.values[k] or 0.0) for k in window if days.statuses[k] is not SKIPPED
                )
                if p.at_most:
                    c = min(1.0, max(0.0, 1 - (total - p.target) / p.target))
                else:
                    c = min(1.0, total / p.target)
            else:
                c = min(1.0, sum(1 for k in window if days.statuses[k] is DONE) / p.num)
            score = next_score(p.frequency, score, c)
        out.append(score)
    return out


# --- the golden vectors ------------------------------------------------------------------------


def test_golden_vector_two_per_three_days() -> None:
    """ARCHITECTURE.md: 2 per 3 days, Y Y a a Y Y Y a N Y (a = Loop's automatic check, which
    HabitDesk does not have and which adds nothing to the score)."""
    marks = {"Y": DONE, "a": NONE, "N": MISSED}
    days = days_of([marks[c] for c in "YYaaYYYaNY"], boolean(2, 3))
    assert scores_4(days) == [
        "0.0107",
        "0.0315",
        "0.0515",
        "0.0706",
        "0.0995",
        "0.1379",
        "0.1746",
        "0.1991",
        "0.2226",
        "0.2557",
    ]


def test_a_daily_habit_done_once_from_zero() -> None:
    assert habit_scores(days_of([DONE], boolean()))[0] == pytest.approx(0.051922, abs=5e-7)
    assert multiplier(1.0) == pytest.approx(0.5 ** (1 / 13))


def test_half_strength_after_thirteen_days_of_a_daily_habit_from_full() -> None:
    days = days_of([DONE] * 400 + [MISSED] * 13, boolean())
    scores = habit_scores(days)
    assert scores[399] == pytest.approx(1.0, abs=1e-6)
    assert scores[-1] == pytest.approx(0.5, abs=1e-6)


# --- Loop's own export ---------------------------------------------------------------------------

LOOP_VALUES = {
    "YES_MANUAL": DONE,
    # Loop's automatic checks never add to a score; HabitDesk has nothing like them.
    "YES_AUTO": NONE,
    "NO": MISSED,
    "SKIP": SKIPPED,
    "UNKNOWN": NONE,
    # Before v2.3 the values were numbers.
    "2": DONE,
    "1": NONE,
    "0": MISSED,
    "3": SKIPPED,
    "-1": NONE,
}


@dataclass
class LoopHabit:
    name: str
    folder: str
    rules: Rules


def loop_habits(root: Path) -> list[LoopHabit]:
    with (root / "Habits.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    found = []
    for row in rows:
        assert row["Type"] == "YES_NO", "the fixtures only hold yes/no habits"
        rules = boolean(int(row["FrequencyNumerator"]), int(row["FrequencyDenominator"]))
        found.append(LoopHabit(row["Name"], f"{row['Position']} {row['Name']}", rules))
    return found


def read_wide(path: Path) -> dict[str, dict[date, str]]:
    """Loop's wide files: `Date,<habit>,…,` with a trailing comma, newest day first."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    names = [n for n in rows[0][1:] if n]
    table: dict[str, dict[date, str]] = {n: {} for n in names}
    for row in rows[1:]:
        for name, cell in zip(names, row[1:], strict=False):
            table[name][date.fromisoformat(row[0])] = cell
    return table


def read_per_habit(path: Path) -> dict[date, str]:
    """A habit folder's `Date,Value,…` or `Date,Score` file (header optional before v2.3)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.reader(handle) if r]
    if rows and rows[0][0] == "Date":
        rows = rows[1:]
    return {date.fromisoformat(r[0]): r[1] for r in rows}


def loop_days(checkmarks: dict[date, str], rules: Rules) -> HabitDays:
    first, last = min(checkmarks), max(checkmarks)
    statuses = [
        LOOP_VALUES[checkmarks.get(first + timedelta(days=i), "UNKNOWN")]
        for i in range((last - first).days + 1)
    ]
    return HabitDays(
        first, statuses, [None] * len(statuses), [None] * len(statuses), (Span(0, rules),)
    )


# Loop prints each score with "%.4f" of its double. Ours is computed in the same order of
# operations, so it prints the same digits; the numeric check allows half a unit of the last
# printed place (5e-5), the most that printing can round away, so a value sitting exactly on a
# rounding boundary (Java rounds half up, Python to even) could not fail the test.
LOOP_TOLERANCE = 5e-5


@pytest.mark.skipif(
    not LOOP_FIXTURES.is_dir(), reason="Loop's sample files are not beside the repo"
)
def test_scores_match_loops_own_wide_export() -> None:
    root = LOOP_FIXTURES / "csv_export"
    checkmarks = read_wide(root / "Checkmarks.csv")
    expected = read_wide(root / "Scores.csv")
    compared = 0
    for habit in loop_habits(root):
        marks = checkmarks[habit.name]
        days = loop_days(marks, habit.rules)
        ours = dict(
            zip(
                (days.start + timedelta(days=i) for i in range(len(days))),
                habit_scores(days),
                strict=True,
            )
        )
        for day, text in expected[habit.name].items():
            assert f"{ours[day]:.4f}" == text, (habit.name, day)
            assert abs(ours[day] - float(text)) <= LOOP_TOLERANCE
            compared += 1
    assert compared == 20


@pytest.mark.skipif(
    not LOOP_FIXTURES.is_dir(), reason="Loop's sample files are not beside the repo"
)
def test_scores_match_loops_own_per_habit_files() -> None:
    root = LOOP_FIXTURES / "csv_export"
    compared = 0
    for habit in loop_habits(root):
        folder = root / habit.folder
        marks = read_per_habit(folder / "Checkmarks.csv")
        expected = read_per_habit(folder / "Scores.csv")
        if not marks:
            # Nothing recorded: Loop prints the score it starts from.
            assert set(expected.values()) == {f"{initial_score(habit.rules):.4f}"}
            compared += len(expected)
            continue
        days = loop_days(marks, habit.rules)
        ours = habit_scores(days)
        for day, text in expected.items():
            assert f"{ours[(day - days.start).days]:.4f}" == text, (habit.name, day)
            compared += 1
    assert compared == 11


# --- the rules, one by one -------------------------------------------------------------------


def test_a_skipped_day_leaves_the_score_as_it_was() -> None:
    scores = habit_scores(days_of([DONE, DONE, SKIPPED, SKIPPED, DONE], boolean()))
    assert scores[2] == scores[1] == scores[3]
    assert scores[4] == pytest.approx(next_score(1.0, scores[3], 1.0))


def test_a_skipped_day_is_no_check_in_the_window_of_the_days_after_it() -> None:
    # 1 per 2 days (doubled: 2 per 4): a skipped day does not count as one of the checks.
    days = days_of([DONE, SKIPPED, NONE], boolean(1, 2))
    p = ScoreParams.of(boolean(1, 2))
    assert (p.num, p.den) == (2, 4)
    first = next_score(0.5, 0.0, 0.5)
    assert habit_scores(days) == pytest.approx([first, first, next_score(0.5, first, 0.5)])


def test_weekday_rules_score_like_that_many_times_a_week() -> None:
    rng = random.Random(7)
    statuses = [rng.choice([DONE, DONE, MISSED, NONE, SKIPPED]) for _ in range(120)]
    weekdays = habit_scores(days_of(statuses, boolean(weekdays="mon,wed,fri")))
    per_week = habit_scores(days_of(statuses, boolean(3, 7)))
    assert weekdays == pytest.approx(per_week, abs=1e-12)
    assert ScoreParams.of(boolean(weekdays="mon,wed,fri")).frequency == pytest.approx(3 / 7)


def test_rare_yes_no_habits_look_at_a_doubled_window() -> None:
    # Once a week, done ten days ago: still inside the 14-day window, so still counted.
    statuses = [DONE] + [NONE] * 10
    scores = habit_scores(days_of(statuses, boolean(1, 7)))
    m = multiplier(1 / 7)
    expected = [0.0]
    for _ in range(11):
        expected.append(expected[-1] * m + 0.5 * (1 - m))
    assert scores == pytest.approx(expected[1:])


def test_at_most_habits_start_full_and_lose_strength_only_when_over_the_limit() -> None:
    rules = numeric(60, Direction.AT_MOST)
    assert initial_score(rules) == 1.0
    values: list[float | None] = [None, 30.0, 60.0, 90.0, 120.0, 200.0]
    statuses = [NONE, DONE, DONE, MISSED, MISSED, MISSED]
    scores = habit_scores(days_of(statuses, rules, values))
    assert scores[:3] == [1.0, 1.0, 1.0]
    m = multiplier(1.0)
    assert scores[3] == pytest.approx(m + 0.5 * (1 - m))  # 90 of 60: c = 1 − 30/60
    assert scores[4] == pytest.approx(scores[3] * m)  # twice the limit: c = 0
    assert scores[5] == pytest.approx(scores[4] * m)  # far over: c stays 0


def test_at_least_habits_count_the_share_of_the_target() -> None:
    values: list[float | None] = [5000.0, 10000.0, 15000.0]
    scores = habit_scores(days_of([MISSED, DONE, DONE], numeric(10000), values))
    m = multiplier(1.0)
    assert scores[0] == pytest.approx(0.5 * (1 - m))
    assert scores[1] == pytest.approx(scores[0] * m + (1 - m))
    assert scores[2] == pytest.approx(scores[1] * m + (1 - m))  # more than the target: c = 1


def test_numeric_windows_ask_for_the_target_times_the_number_of_times() -> None:
    # 30 minutes, 2 times a week: the week's window asks for 60 minutes; never doubled.
    rules = numeric(30, num=2, den=7)
    p = ScoreParams.of(rules)
    assert (p.num, p.den, p.target) == (2, 7, 60.0)
    values: list[float | None] = [30.0] + [None] * 6
    scores = habit_scores(days_of([DONE] + [NONE] * 6, rules, values))
    m = multiplier(2 / 7)
    assert scores[0] == pytest.approx(0.5 * (1 - m))
    assert scores[6] == pytest.approx(next_score(2 / 7, scores[5], 0.5))


def test_skipped_amounts_do_not_count() -> None:
    values: list[float | None] = [50.0, 50.0]
    scores = habit_scores(days_of([SKIPPED, DONE], numeric(100, num=1, den=2), values))
    assert scores[0] == 0.0
    assert scores[1] == pytest.approx(next_score(0.5, 0.0, 0.5))


def test_each_day_is_scored_by_the_rules_of_its_day() -> None:
    # Every day for 10 days, then from day 10 on only 3 times a week.
    statuses = [DONE] * 20
    days = days_of(statuses, [(0, boolean()), (10, boolean(3, 7))])
    scores = habit_scores(days)
    daily = habit_scores(days_of([DONE] * 10, boolean()))
    assert scores[:10] == daily
    # From day 10 the multiplier of 3/7 applies, and the window (6 checks in 14 days) is full.
    assert scores[10] == pytest.approx(next_score(3 / 7, scores[9], 1.0))
    assert scores == pytest.approx(reference_scores(days), abs=1e-12)


def test_a_change_to_at_most_keeps_the_score_it_had() -> None:
    days = days_of(
        [DONE, DONE, DONE, NONE],
        [(0, boolean()), (2, numeric(60, Direction.AT_MOST))],
        [1.0, 1.0, 40.0, None],
    )
    scores = habit_scores(days)
    m = multiplier(1.0)
    assert scores[2] == pytest.approx(scores[1] * m + (1 - m))
    assert scores[3] == pytest.approx(scores[2] * m + (1 - m))


@pytest.mark.parametrize("seed", range(8))
def test_fast_scores_equal_the_day_by_day_recurrence(seed: int) -> None:
    rng = random.Random(seed)
    n = rng.randint(1, 900)
    choices = [DONE, DONE, DONE, MISSED, NONE, NONE, SKIPPED]
    statuses = [rng.choice(choices) for _ in range(n)]
    values: list[float | None] = [
        None if s is NONE else round(rng.uniform(0, 150), 1) for s in statuses
    ]
    candidates = [
        boolean(),
        boolean(3, 7),
        boolean(1, 30),
        boolean(weekdays="tue,sat"),
        numeric(60),
        numeric(90, Direction.AT_MOST),
        numeric(30, num=3, den=7),
    ]
    cuts = sorted(rng.sample(range(1, n + 1), k=min(3, n)))
    spans = [(0, rng.choice(candidates))] + [(c, rng.choice(candidates)) for c in cuts if c < n]
    days = days_of(statuses, spans, values)
    assert habit_scores(days) == pytest.approx(reference_scores(days), abs=1e-12)


def test_no_days_no_scores() -> None:
    assert habit_scores(days_of([], boolean())) == []


# --- laying the days out ---------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    number: int
    effective_from: date
    ruled: Rules

    def rules(self) -> Rules:
        return self.ruled


def test_history_starts_at_the_first_rules_or_an_earlier_recorded_day() -> None:
    versions = [Version(1, date(2026, 3, 1), boolean())]
    assert history_start(versions, None) == date(2026, 3, 1)
    assert history_start(versions, date(2026, 3, 5)) == date(2026, 3, 1)
    assert history_start(versions, date(2026, 2, 20)) == date(2026, 2, 20)


def test_back_filled_days_are_judged_by_the_first_rules() -> None:
    versions = [
        Version(1, date(2026, 3, 1), boolean(2, 7)),
        Version(2, date(2026, 3, 10), boolean()),
    ]
    entries = [(date(2026, 2, 25), EntryStatus.DONE, 1.0, "early")]
    days = habit_days(versions, entries, date(2026, 3, 12))
    assert days.start == date(2026, 2, 25)
    assert days.statuses[0] is DONE and days.notes[0] == "early"
    assert [(s.first, s.rules) for s in days.spans] == [(0, boolean(2, 7)), (13, boolean())]
    assert len(habit_scores(days)) == len(days) == 16


def test_two_versions_from_the_same_day_the_later_one_wins() -> None:
    versions = [
        Version(1, date(2026, 3, 1), boolean()),
        Version(3, date(2026, 3, 5), boolean(1, 7)),
        Version(2, date(2026, 3, 5), boolean(3, 7)),
    ]
    spans = rule_spans(versions, date(2026, 3, 1))
    assert [(s.first, s.rules) for s in spans] == [(0, boolean()), (4, boolean(1, 7))]


def test_entries_outside_the_range_are_left_out() -> None:
    versions = [Version(1, date(2026, 3, 1), boolean())]
    entries = [
        (date(2026, 3, 2), EntryStatus.SKIPPED, 0.0, None),
        (date(2026, 3, 9), EntryStatus.DONE, 1.0, None),
    ]
    days = habit_days(versions, entries, date(2026, 3, 5))
    assert list(days.statuses) == [NONE, SKIPPED, NONE, NONE, NONE]
    assert days.end == date(2026, 3, 5)
