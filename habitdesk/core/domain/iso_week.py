"""ISO weeks ("2026-W47"): Monday to Sunday, week 1 being the week with the year's first Thursday.

The weekly report names its week this way whatever day the family's week starts on, so a
printed page and a command line agree on which seven days "week 47" is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from habitdesk.core.errors import InvalidInputError

_FORM = re.compile(r"^\s*(\d{4})-?[Ww](\d{1,2})\s*$")
_HINT = "Week: use the form 2026-W47"


def weeks_in_year(year: int) -> int:
    """52 or 53: 28 December is always in the year's last ISO week."""
    return date(year, 12, 28).isocalendar().week


def _month_day(day: date) -> str:
    return f"{day.day} {day:%b}"


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    def __post_init__(self) -> None:
        if not 1 <= self.year <= 9998:
            raise ValueError(f"{self.year} is out of range")
        if not 1 <= self.week <= weeks_in_year(self.year):
            raise ValueError(f"{self.year} has no week {self.week}")

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        """The ISO week that holds `day`."""
        found = day.isocalendar()
        return cls(found.year, found.week)

    @property
    def monday(self) -> date:
        return date.fromisocalendar(self.year, self.week, 1)

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def days(self) -> tuple[date, ...]:
        first = self.monday
        return tuple(first + timedelta(days=i) for i in range(7))

    @property
    def label(self) -> str:
        """The machine form: "2026-W47"."""
        return f"{self.year}-W{self.week:02d}"

    @property
    def dates_text(self) -> str:
        """ "16–22 Nov 2026", "30 Nov – 6 Dec 2026" or "29 Dec 2025 – 4 Jan 2026"."""
        first, last = self.monday, self.sunday
        if first.year != last.year:
            return f"{_month_day(first)} {first.year} – {_month_day(last)} {last.year}"
        if first.month != last.month:
            return f"{_month_day(first)} – {_month_day(last)} {last.year}"
        return f"{first.day}–{last.day} {last:%b} {last.year}"

    @property
    def heading(self) -> str:
        """What a person reads: "Week 47, 16–22 Nov 2026"."""
        return f"Week {self.week}, {self.dates_text}"

    def shifted(self, weeks: int) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(weeks=weeks))

    def __str__(self) -> str:
        return self.label


def parse_iso_week(text: str) -> IsoWeek:
    """ "2026-W47" (also "2026w47", "2026-W5") as an IsoWeek; InvalidInputError says what to type."""
    match = _FORM.match(text)
    if match is None:
        raise InvalidInputError(f"{_HINT} ('{text.strip()}' is not a week).")
    year, week = int(match.group(1)), int(match.group(2))
    if not 1 <= year <= 9998:
        raise InvalidInputError(f"{_HINT} (the year {year} is out of range).")
    last = weeks_in_year(year)
    if not 1 <= week <= last:
        raise InvalidInputError(f"Week: {year} has weeks 1 to {last}, not {week}.")
    return IsoWeek(year, week)


__all__ = ["IsoWeek", "parse_iso_week", "weeks_in_year"]
