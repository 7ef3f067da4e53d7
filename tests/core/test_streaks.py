"""Streaks: current and best runs of a habit, each day judged by the rules in force on it."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest

from habitdesk.core.domain import habit_rules
from habitdesk.core.domain.habit_rules import Rules
from habitdesk.core.domain.streaks import (
    DayVerdicts,
    HabitStreaks,
    RuledVersion,
    Streak,
    Verdict,
    habit_streaks,
    judge_days,
)
from habitdesk.core.domain.weekdays import includes, mask_from_names

# A Friday. MONDAY is the Monday of the week before, so the weeks read naturally below.
TODAY = date(2024, 5, 17)
MONDAY = date(2024, 5, 6)


@dataclass(frozen=True)
class V:
    effective_from: date
    rules_: Rules = field(default_factory=Rules)
    number: int = 1

    def rules(self) -> Rules:
        return self.rules_


def judge(
    versions: Sequence[RuledVersion], done: Iterable[date], skipped: Iterable[date], today: date
) -> DayVerdicts:
    return judge_days(
        versions, {d.toordinal() for d in done}, {d.toordinal() for d in skipped}, today
    )


def daily() -> Rules:
    return Rules()


def per(times: int, days: int) -> Rules:
    return Rules(freq_num=times, freq_den=days)


def on(*names: str) -> Rules:
    return Rules(weekdays=mask_from_names(names))


def ago(n: int) -> date:
    return TODAY - timedelta(days=n)


def span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def run(start: date, end: date, length: int) -> Streak:
    return Streak(start, end, length)


def compute(
    versions: Sequence[V],
    done: Iterable[date],
    skipped: Iterable[date] = (),
    today: date = TODAY,
) -> HabitStreaks:
    return habit_streaks(versions, list(done), list(skipped), today)


# --- daily rules --------------------------------------------------------------------------------


def test_days_done_in_a_row_up_to_today_are_the_current_and_best_streak() -> None:
    result = compute([V(ago(30))], span(ago(4), TODAY))
    assert result.current == run(ago(4), TODAY, 5)
    assert result.best == (run(ago(4), TODAY, 5),)
    assert (result.current_length, result.best_length) == (5, 5)


def test_today_not_done_yet_breaks_nothing() -> None:
    result = compute([V(ago(30))], span(ago(4), ago(1)))
    assert result.current == run(ago(4), ago(1), 4)
    assert judge([V(ago(30))], span(ago(4), ago(1)), [], TODAY).verdict(TODAY) is Verdict.NEUTRAL


def test_a_missed_day_ends_the_streak_and_the_longer_past_one_stays_best() -> None:
    done = span(ago(20), ago(11)) + span(ago(9), TODAY)  # ten days, a miss, ten days
    done.remove(ago(5))  # … and another miss
    result = compute([V(ago(30))], done)
    assert result.current == run(ago(4), TODAY, 5)
    assert result.best == (
        run(ago(20), ago(11), 10),
        run(ago(4), TODAY, 5),
        run(ago(9), ago(6), 4),
    )


def test_yesterday_missed_means_no_current_streak() -> None:
    result = compute([V(ago(30))], span(ago(10), ago(2)))
    assert result.current is None
    assert result.current_length == 0
    assert result.best_length == 9


def test_skipped_days_neither_break_nor_extend_a_streak() -> None:
    done = [ago(6), ago(5), ago(2), ago(1), TODAY]
    result = compute([V(ago(30))], done, skipped=[ago(4), ago(3)])
    assert result.current == run(ago(6), TODAY, 5)
    judged = judge([V(ago(30))], done, [ago(4), ago(3)], TODAY)
    assert judged.verdict(ago(4)) is Verdict.NEUTRAL
    assert judged.verdict(ago(7)) is Verdict.BROKEN


def test_a_streak_of_only_skipped_days_is_no_streak() -> None:
    assert compute([V(ago(3))], [], skipped=span(ago(3), TODAY)) == HabitStreaks(None, ())


def test_nothing_recorded_means_no_streaks() -> None:
    assert compute([V(ago(10))], []) == HabitStreaks(None, ())
    assert compute([V(TODAY)], []) == HabitStreaks(None, ())


def test_days_before_the_habit_existed_do_not_count_unless_recorded() -> None:
    # Created three days ago and done each day since: the 27 days before are not misses.
    assert compute([V(ago(3))], span(ago(3), TODAY)).current == run(ago(3), TODAY, 4)
    # A parent back-filled the week before the habit was set up: those days count.
    back_filled = span(ago(10), TODAY)
    assert compute([V(ago(3))], back_filled).current == run(ago(10), TODAY, 11)


def test_future_versions_and_entries_are_ignored() -> None:
    versions = [V(ago(10)), V(TODAY + timedelta(days=3), on("sun"), 2)]
    result = compute(versions, [*span(ago(2), TODAY), TODAY + timedelta(days=1)])
    assert result.current == run(ago(2), TODAY, 3)


def test_a_habit_that_starts_in_the_future_has_no_streak_yet() -> None:
    assert compute([V(TODAY + timedelta(days=1))], []) == HabitStreaks(None, ())


def test_best_streaks_are_longest_first_then_most_recent() -> None:
    done = [*span(ago(20), ago(18)), *span(ago(16), ago(14)), ago(12), *span(ago(1), TODAY)]
    result = habit_streaks([V(ago(30))], done, [], TODAY, count=2)
    assert result.best == (run(ago(16), ago(14), 3), run(ago(20), ago(18), 3))
    assert habit_streaks([V(ago(30))], done, [], TODAY, count=0).best == ()


# --- weekday rules ------------------------------------------------------------------------------


def test_weekday_rules_count_due_days_and_ignore_the_others() -> None:
    mon_wed_fri = [MONDAY, MONDAY + timedelta(2), MONDAY + timedelta(4)]
    done = mon_wed_fri + [d + timedelta(7) for d in mon_wed_fri]  # two full weeks, to today
    result = compute([V(MONDAY - timedelta(7), on("mon", "wed", "fri"))], done)
    # The week before was due too and nothing was done: the streak starts on MONDAY.
    assert result.current == run(MONDAY, TODAY, 6)
    judged = judge([V(MONDAY, on("mon", "wed", "fri"))], done, [], TODAY)
    assert judged.verdict(MONDAY + timedelta(1)) is Verdict.NEUTRAL  # a Tuesday


def test_a_due_weekday_missed_breaks_the_streak() -> None:
    rules = on("mon", "wed", "fri")
    done = [MONDAY, MONDAY + timedelta(4), MONDAY + timedelta(7), MONDAY + timedelta(9), TODAY]
    result = compute([V(MONDAY, rules)], done)  # the first Wednesday was missed
    assert result.current == run(MONDAY + timedelta(4), TODAY, 4)
    assert result.best_length == 4


def test_done_on_a_day_that_is_not_due_counts_for_nothing() -> None:
    done = [MONDAY, MONDAY + timedelta(1), MONDAY + timedelta(2)]  # Mon, Tue, Wed
    result = compute([V(MONDAY, on("mon", "wed"))], done, today=MONDAY + timedelta(2))
    assert result.current == run(MONDAY, MONDAY + timedelta(2), 2)


def test_a_skipped_due_weekday_is_neutral() -> None:
    rules = on("mon", "wed", "fri")
    done = [MONDAY, MONDAY + timedelta(4)]
    result = compute([V(MONDAY, rules)], done, [MONDAY + timedelta(2)], MONDAY + timedelta(4))
    assert result.current == run(MONDAY, MONDAY + timedelta(4), 2)


def test_today_due_and_not_done_waits() -> None:
    rules = on("mon", "fri")  # TODAY is a Friday
    result = compute([V(MONDAY, rules)], [MONDAY, MONDAY + timedelta(4), MONDAY + timedelta(7)])
    assert result.current == run(MONDAY, MONDAY + timedelta(7), 3)


# --- rules changing mid-streak ------------------------------------------------------------------


def test_each_day_is_judged_by_the_rules_in_force_that_day() -> None:
    # Daily until MONDAY + 7, then Mon/Wed/Fri. The old days were due every day; the new ones
    # only on their weekdays, so the Tuesday and Thursday after the change are not misses.
    change = MONDAY + timedelta(7)
    versions = [V(MONDAY, daily()), V(change, on("mon", "wed", "fri"), 2)]
    done = [*span(MONDAY, change - timedelta(1)), change, change + timedelta(2), TODAY]
    result = compute(versions, done)
    assert result.current == run(MONDAY, TODAY, 10)
    judged = judge(versions, done, [], TODAY)
    assert judged.verdict(change + timedelta(1)) is Verdict.NEUTRAL
    # Under the old rules a Tuesday was due: missing it breaks.
    without_tuesday = [d for d in done if d != MONDAY + timedelta(1)]
    assert compute(versions, without_tuesday).current == run(MONDAY + timedelta(2), TODAY, 8)


def test_a_day_rule_after_weekday_rules_makes_every_day_due_again() -> None:
    change = MONDAY + timedelta(7)
    versions = [V(MONDAY, on("mon")), V(change, daily(), 2)]
    done = [MONDAY, *span(change, TODAY)]
    assert compute(versions, done).current == run(MONDAY, TODAY, 6)
    # With the rules the other way round, the Tuesday to Sunday of the first week break it.
    versions = [V(MONDAY, daily()), V(change, on("mon"), 2)]
    assert compute(versions, done).current == run(change, change, 1)


def test_two_versions_on_the_same_day_the_later_number_wins() -> None:
    versions = [V(MONDAY, daily(), 1), V(MONDAY, on("mon", "fri"), 2)]
    done = [MONDAY, MONDAY + timedelta(4), MONDAY + timedelta(7), TODAY]
    assert compute(versions, done).current == run(MONDAY, TODAY, 4)


def test_back_filled_days_before_the_first_version_use_its_rules() -> None:
    versions = [V(MONDAY + timedelta(7), on("mon", "fri"))]
    done = [MONDAY, MONDAY + timedelta(4), MONDAY + timedelta(7), TODAY]
    assert compute(versions, done).current == run(MONDAY, TODAY, 4)


# --- X times per Y days -------------------------------------------------------------------------


def test_three_times_a_week_done_every_week_holds_every_day() -> None:
    first = MONDAY - timedelta(7)
    done = [first + timedelta(days=w * 7 + d) for w in range(3) for d in (0, 1, 2)]
    done = [d for d in done if d <= TODAY]
    # Weeks of MONDAY - 7, MONDAY and MONDAY + 7 (Mon–Wed each): every day from the first
    # check on is covered; TODAY (Friday) is covered by the window that began on Monday.
    result = compute([V(first, per(3, 7))], done)
    assert result.current == run(first, TODAY, (TODAY - first).days + 1)
    judged = judge([V(first, per(3, 7))], done, [], TODAY)
    assert judged.verdict(first + timedelta(5)) is Verdict.HELD  # a Saturday, covered


def test_a_lone_check_waits_for_the_rest_of_its_window() -> None:
    rules = per(3, 7)
    # Created on MONDAY + 7; done Monday and Tuesday; today is Wednesday: still possible.
    start = MONDAY + timedelta(7)
    wednesday = start + timedelta(2)
    pending = compute([V(start, rules)], [start, start + timedelta(1)], today=wednesday)
    assert pending == HabitStreaks(None, ())
    judged = judge([V(start, rules)], [start, start + timedelta(1)], [], wednesday)
    assert judged.verdict(start) is Verdict.NEUTRAL
    # Done on Wednesday too: all three days hold at once.
    done = [start, start + timedelta(1), wednesday]
    assert compute([V(start, rules)], done, today=wednesday).current == run(start, wednesday, 3)


def test_a_window_that_can_no_longer_be_met_breaks() -> None:
    rules = per(3, 7)
    start = MONDAY
    # Mon and Tue of the first week, then nothing: by the Saturday only one open day is left
    # in each window from a check, and no window holds three.
    done = [start, start + timedelta(1)]
    saturday = start + timedelta(5)
    judged = judge([V(start, rules)], done, [], saturday)
    assert judged.verdict(start) is Verdict.NEUTRAL  # Sunday could still make it
    sunday = start + timedelta(6)
    judged = judge([V(start, rules)], done, [], sunday)
    assert judged.verdict(start) is Verdict.NEUTRAL
    judged = judge([V(start, rules)], done, [], start + timedelta(7))
    assert judged.verdict(start) is Verdict.BROKEN
    assert judged.verdict(start + timedelta(1)) is Verdict.BROKEN


def test_once_a_week_a_check_covers_the_seven_days_from_it() -> None:
    rules = per(1, 7)
    done = [MONDAY - timedelta(7), MONDAY + timedelta(5), TODAY]  # a 12-day gap, then 6 days
    result = compute([V(MONDAY - timedelta(7), rules)], done)
    assert result.current == run(MONDAY + timedelta(5), TODAY, 7)
    assert result.best == (
        run(MONDAY + timedelta(5), TODAY, 7),
        run(MONDAY - timedelta(7), MONDAY - timedelta(1), 7),
    )
    judged = judge([V(MONDAY - timedelta(7), rules)], done, [], TODAY)
    assert judged.verdict(MONDAY + timedelta(2)) is Verdict.BROKEN


def test_skipped_days_are_taken_out_of_the_window() -> None:
    rules = per(3, 7)
    # Mon, Tue done; Wed–Sun skipped (a holiday); next Monday done: the three checks fall
    # within seven days that were not skipped.
    done = [MONDAY, MONDAY + timedelta(1), MONDAY + timedelta(7)]
    skipped = span(MONDAY + timedelta(2), MONDAY + timedelta(6))
    today = MONDAY + timedelta(7)
    result = compute([V(MONDAY, rules)], done, skipped, today)
    assert result.current == run(MONDAY, today, 3)
    # Without the skips the same checks are too far apart: the days wait no longer.
    result = compute([V(MONDAY, rules)], done, (), MONDAY + timedelta(9))
    assert result.current is None


def test_two_in_three_days_like_loop() -> None:
    # Loop's test pattern oldest → newest: done, done, -, -, done, done, done, -, -, done.
    start = TODAY - timedelta(9)
    marks = "YY..YYY..Y"
    done = [start + timedelta(i) for i, m in enumerate(marks) if m == "Y"]
    judged = judge([V(start, per(2, 3))], done, [], TODAY)
    verdicts = "".join(judged.verdict(start + timedelta(i)).value[0] for i in range(10))
    # Windows [0..2] and [4..6] and [5..7] hold; day 3 and day 8 break; today (day 9) waits.
    assert verdicts == "hhhbhhhhbn"
    assert judged.streaks().best == (
        run(start + timedelta(4), start + timedelta(7), 4),
        run(start, start + timedelta(2), 3),
    )


def test_switching_from_weekdays_to_times_per_week_mid_streak() -> None:
    change = MONDAY + timedelta(7)
    versions = [V(MONDAY, on("mon", "wed", "fri")), V(change, per(2, 7), 2)]
    done = [MONDAY, MONDAY + timedelta(2), MONDAY + timedelta(4), change, change + timedelta(3)]
    # The first week by its weekdays (3 held); from the change, Mon and Thu cover the week.
    result = compute(versions, done)
    assert result.current == run(MONDAY, TODAY, 3 + 5)


def test_a_times_per_week_window_may_count_checks_from_before_the_change() -> None:
    change = MONDAY + timedelta(7)
    versions = [V(MONDAY, daily()), V(change, per(2, 7), 2)]
    done = [*span(MONDAY, MONDAY + timedelta(6)), MONDAY + timedelta(6 + 3)]
    # Under 2 per 7 from the change: the window from last Sunday holds Sunday and Wednesday.
    result = compute(versions, done)
    assert result.current == run(MONDAY, TODAY, 7 + 5)


# --- the optimised judgement equals the definition read literally -------------------------------


def _reference(
    versions: Sequence[V], done: set[date], skipped: set[date], today: date
) -> dict[date, Verdict]:
    """Each day judged one at a time, straight from the module's definitions."""
    done = {d for d in done if d <= today}
    skipped = {d for d in skipped if d <= today} - done
    first = min([min(versions, key=lambda v: v.effective_from).effective_from, *done, *skipped])
    out: dict[date, Verdict] = {}
    longest = max(v.rules().period_days for v in versions)
    calendar = [d for d in span(first, today + timedelta(longest)) if d not in skipped]
    for day in span(first, today):
        rules = habit_rules.version_for_day(versions, day).rules()
        if day in skipped:
            out[day] = Verdict.NEUTRAL
        elif rules.weekdays is not None or rules.period_days == 1:
            due = rules.weekdays is None or includes(rules.weekdays, day)
            if not due:
                out[day] = Verdict.NEUTRAL
            elif day in done:
                out[day] = Verdict.HELD
            else:
                out[day] = Verdict.NEUTRAL if day == today else Verdict.BROKEN
        else:
            x, y = rules.freq_num, rules.period_days
            i = calendar.index(day)
            anchors = range(max(0, i - y + 1), i + 1)

            def fits(j: int, could: bool, x: int = x, y: int = y) -> bool:
                window = calendar[j : j + y]
                good = [d in done or (could and d >= today) for d in window]
                return good[0] and sum(good) >= x

            if any(fits(j, could=False) for j in anchors):
                out[day] = Verdict.HELD
            elif any(fits(j, could=True) for j in anchors):
                out[day] = Verdict.NEUTRAL
            else:
                out[day] = Verdict.BROKEN
    return out


def _reference_streaks(verdicts: dict[date, Verdict]) -> tuple[Streak | None, list[Streak]]:
    runs: list[Streak] = []
    current: list[date] = []
    for day in sorted(verdicts):
        if verdicts[day] is Verdict.HELD:
            current.append(day)
        elif verdicts[day] is Verdict.BROKEN:
            if current:
                runs.append(Streak(current[0], current[-1], len(current)))
            current = []
    now = Streak(current[0], current[-1], len(current)) if current else None
    return now, runs + ([now] if now else [])


RULE_CHOICES = (
    daily(),
    per(1, 2),
    per(2, 3),
    per(3, 7),
    per(1, 7),
    per(5, 7),
    per(2, 2),
    on("mon", "wed", "fri"),
    on("sat", "sun"),
    on("tue"),
)


@pytest.mark.parametrize("seed", range(60))
def test_random_histories_match_the_literal_definition(seed: int) -> None:
    rng = random.Random(seed)
    today = TODAY - timedelta(days=rng.randrange(7))
    first = today - timedelta(days=rng.randrange(20, 90))
    versions = [V(first, rng.choice(RULE_CHOICES), 1)]
    for number in range(2, 2 + rng.randrange(4)):
        when = first + timedelta(days=rng.randrange(-5, (today - first).days + 10))
        versions.append(V(when, rng.choice(RULE_CHOICES), number))
    p_done, p_skip = rng.uniform(0.3, 0.95), rng.choice((0.0, 0.05, 0.2))
    done: set[date] = set()
    skipped: set[date] = set()
    for day in span(first - timedelta(days=rng.randrange(0, 8)), today + timedelta(2)):
        roll = rng.random()
        if roll < p_done:
            done.add(day)
        elif roll < p_done + p_skip:
            skipped.add(day)
    judged = judge(versions, done, skipped, today)
    expected = _reference(versions, done, skipped, today)
    got = {day: judged.verdict(day) for day in expected}
    assert got == expected
    current, runs = _reference_streaks(expected)
    result = judged.streaks(count=len(runs) + 1)
    assert result.current == current
    assert sorted(result.best, key=lambda s: s.start) == sorted(runs, key=lambda s: s.start)
