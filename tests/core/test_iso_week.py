"""ISO weeks as the weekly report names them."""

from __future__ import annotations

from datetime import date

import pytest

from habitdesk.core.domain.iso_week import IsoWeek, parse_iso_week, weeks_in_year
from habitdesk.core.errors import InvalidInputError


def test_a_week_runs_monday_to_sunday_and_reads_well() -> None:
    week = parse_iso_week("2026-W47")
    assert (week.year, week.week, week.label) == (2026, 47, "2026-W47")
    assert (week.monday, week.sunday) == (date(2026, 11, 16), date(2026, 11, 22))
    assert week.days[0].weekday() == 0 and len(week.days) == 7
    assert week.heading == "Week 47, 16–22 Nov 2026"


@pytest.mark.parametrize(
    ("text", "dates"),
    [
        ("2026-W49", "30 Nov – 6 Dec 2026"),
        ("2026-W01", "29 Dec 2025 – 4 Jan 2026"),
        ("2026-W53", "28 Dec 2026 – 3 Jan 2027"),
    ],
)
def test_weeks_across_months_and_years_name_both_ends(text: str, dates: str) -> None:
    assert parse_iso_week(text).dates_text == dates


def test_lenient_spellings_are_accepted() -> None:
    assert parse_iso_week(" 2026w5 ") == IsoWeek(2026, 5)
    assert parse_iso_week("2026W47") == IsoWeek(2026, 47)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("47", "Week: use the form 2026-W47"),
        ("2026-47", "Week: use the form 2026-W47"),
        ("W47-2026", "Week: use the form 2026-W47"),
        ("", "Week: use the form 2026-W47"),
        ("2025-W53", "Week: 2025 has weeks 1 to 52, not 53"),
        ("2026-W00", "Week: 2026 has weeks 1 to 53, not 0"),
        ("0000-W01", "out of range"),
    ],
)
def test_bad_weeks_say_what_to_type(text: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        parse_iso_week(text)


def test_the_week_of_a_day_and_its_neighbours() -> None:
    # 1 January 2027 is a Friday: still in 2026's week 53.
    assert IsoWeek.of(date(2027, 1, 1)) == IsoWeek(2026, 53)
    assert IsoWeek(2026, 53).shifted(1) == IsoWeek(2027, 1)
    assert IsoWeek(2027, 1).shifted(-1) == IsoWeek(2026, 53)
    assert [weeks_in_year(y) for y in (2020, 2021, 2026)] == [53, 52, 53]
    assert IsoWeek(2026, 1) < IsoWeek(2026, 2) < IsoWeek(2027, 1)
