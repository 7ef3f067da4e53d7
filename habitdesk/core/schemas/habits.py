"""Habits, the versions of their rules, and their daily entries."""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated, Any, NamedTuple
from uuid import UUID

from pydantic import AfterValidator, BeforeValidator, model_validator

from habitdesk.core.domain.habit_rules import MAX_PERIOD_DAYS, Rules
from habitdesk.core.domain.weekdays import mask_from_names
from habitdesk.core.enums import Direction, EntryStatus, HabitKind
from habitdesk.core.schemas.common import (
    Colour,
    Name,
    OptionalText,
    PositiveNumber,
    ReadModel,
    Schema,
    Weekdays,
)

DESCRIPTION_MAX = 2000
NOTE_MAX = 2000
UNIT_MAX = 30
POINTS_MAX = 1000


def _max_length(limit: int) -> AfterValidator:
    def check(value: str | None) -> str | None:
        if value is not None and len(value) > limit:
            raise ValueError(f"must be at most {limit} characters (it has {len(value)})")
        return value

    return AfterValidator(check)


def _in_range(low: int, high: int) -> AfterValidator:
    def check(value: int | None) -> int | None:
        if value is not None and not low <= value <= high:
            raise ValueError(f"must be between {low} and {high} (it is {value})")
        return value

    return AfterValidator(check)


def _finite_not_negative(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    if value < 0:
        raise ValueError("must not be negative")
    return value


Description = Annotated[OptionalText, _max_length(DESCRIPTION_MAX)]
Note = Annotated[OptionalText, _max_length(NOTE_MAX)]
Unit = Annotated[OptionalText, _max_length(UNIT_MAX)]
Points = Annotated[int, _in_range(0, POINTS_MAX)]
Times = Annotated[int, _in_range(1, MAX_PERIOD_DAYS)]
EntryValue = Annotated[float, AfterValidator(_finite_not_negative)]


def _none_if_blank(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


OptionalDate = Annotated[date | None, BeforeValidator(_none_if_blank)]


class HabitRules(Schema):
    """What a habit asks for. A boolean habit ignores target, unit and direction.

    Frequency is either `freq_num` times per `freq_den` days (each defaults to 1: daily) or a
    set of weekdays, not both.
    """

    kind: HabitKind = HabitKind.BOOLEAN
    target_value: PositiveNumber | None = None
    unit: Unit = None
    direction: Direction = Direction.AT_LEAST
    freq_num: Times | None = None
    freq_den: Times | None = None
    weekdays: Weekdays | None = None

    @model_validator(mode="after")
    def _consistent(self) -> HabitRules:
        if self.kind is HabitKind.NUMERIC:
            if self.target_value is None:
                raise ValueError("Target: a numeric habit needs a target (e.g. 10000)")
            if self.unit is None:
                raise ValueError("Unit: a numeric habit needs a unit (e.g. steps, minutes)")
        if self.weekdays is not None and (self.freq_num is not None or self.freq_den is not None):
            raise ValueError(
                "Frequency: choose either weekdays or a number of times per period, not both"
            )
        times, days = self.freq_num or 1, self.freq_den or 1
        if times > days:
            period = "day" if days == 1 else f"{days} days"
            raise ValueError(
                f"Times: {times} times per {period} is impossible; "
                "the times must not exceed the days"
            )
        return self

    def to_rules(self) -> Rules:
        return Rules.normalised(
            kind=self.kind,
            target_value=self.target_value,
            unit=self.unit,
            direction=self.direction,
            freq_num=self.freq_num or 1,
            freq_den=self.freq_den or 1,
            weekdays=None if self.weekdays is None else mask_from_names(self.weekdays),
        )


class HabitCreate(HabitRules):
    family_id: UUID
    user_id: UUID
    name: Name
    description: Description = None
    colour: Colour = "#4C7BD9"
    points: Points = 0
    # The family's today when not given.
    effective_from: OptionalDate = None


RULE_FIELDS = ("kind", "target_value", "unit", "direction", "freq_num", "freq_den", "weekdays")
PLAIN_FIELDS = ("name", "description", "colour", "points")


class HabitUpdate(Schema):
    """Fields left out stay as they are. Changing any rule field makes a new version of the rules,
    effective from `effective_from` (the family's today when not given)."""

    name: Name | None = None
    description: Description = None
    colour: Colour | None = None
    points: Points | None = None
    kind: HabitKind | None = None
    target_value: PositiveNumber | None = None
    unit: Unit = None
    direction: Direction | None = None
    freq_num: Times | None = None
    freq_den: Times | None = None
    weekdays: Weekdays | None = None
    effective_from: OptionalDate = None
    expected_version: int | None = None

    @model_validator(mode="after")
    def _one_frequency(self) -> HabitUpdate:
        if self.weekdays is not None and (self.freq_num is not None or self.freq_den is not None):
            raise ValueError(
                "Frequency: choose either weekdays or a number of times per period, not both"
            )
        return self

    def rule_changes(self) -> dict[str, Any]:
        """The rule fields the caller gave a value for."""
        given = self.model_dump(include=set(RULE_FIELDS), exclude_unset=True)
        return {key: value for key, value in given.items() if value is not None}


class EntrySet(Schema):
    """What a person records for a habit on a day.

    Give a status, a value, or both (see `habit_rules.resolve_entry`): a boolean habit takes a
    status or 1/0; a numeric habit takes the amount and its status follows from the rules of the
    day; `skip` marks the day skipped.
    """

    value: EntryValue | None = None
    status: EntryStatus | None = None
    skip: bool = False
    note: Note = None
    expected_version: int | None = None

    @model_validator(mode="after")
    def _skip_is_a_status(self) -> EntrySet:
        if self.skip and self.status not in (None, EntryStatus.SKIPPED):
            raise ValueError(f"Status: a skipped day cannot also be {self.status}")
        return self


class NoteSet(Schema):
    note: Note = None


class HabitRead(ReadModel):
    """A habit with the rules in force on the day it was read for (today, unless stated)."""

    id: UUID
    family_id: UUID
    user_id: UUID
    name: str
    description: str | None
    colour: str
    points: int
    archived: bool
    position: int
    version: int
    created_at: datetime
    updated_at: datetime
    kind: HabitKind
    target_value: float | None
    unit: str | None
    direction: Direction
    freq_num: int
    freq_den: int
    weekdays: tuple[str, ...] | None
    rules_version: int
    effective_from: date

    def rules(self) -> Rules:
        return _rules_of(self)


class HabitVersionRead(ReadModel):
    id: UUID
    habit_id: UUID
    number: int
    effective_from: date
    kind: HabitKind
    target_value: float | None
    unit: str | None
    direction: Direction
    freq_num: int
    freq_den: int
    weekdays: tuple[str, ...] | None
    created_at: datetime

    def rules(self) -> Rules:
        return _rules_of(self)


class HabitEntryRead(ReadModel):
    id: UUID
    habit_id: UUID
    day: date
    value: float
    status: EntryStatus
    note: str | None
    recorded_by: UUID | None
    version: int


class EntryHistoryRead(ReadModel):
    """Recorded days of several habits over a range, column by column: entry i is
    (habit_ids[i], days[i], values[i], statuses[i], notes[i], recorded_by[i], versions[i]).

    Five years of ten habits is 18,000 entries; one object per entry costs as much again as
    fetching them, while history screens and statistics mostly scan a column or two. Ordered by
    day, then habit order. `versions[i]` is the entry's version, for `EntrySet.expected_version`.
    """

    habit_ids: tuple[UUID, ...] = ()
    days: tuple[date, ...] = ()
    values: tuple[float, ...] = ()
    statuses: tuple[EntryStatus, ...] = ()
    notes: tuple[str | None, ...] = ()
    recorded_by: tuple[UUID | None, ...] = ()
    versions: tuple[int, ...] = ()

    def __len__(self) -> int:
        return len(self.days)

    def rows(self) -> Iterator[HistoryRow]:
        """The entries one by one (cheap named tuples)."""
        return map(
            HistoryRow._make,
            zip(
                self.habit_ids,
                self.days,
                self.values,
                self.statuses,
                self.notes,
                self.recorded_by,
                self.versions,
                strict=True,
            ),
        )

    def for_habit(self, habit_id: UUID) -> EntryHistoryRead:
        """The entries of one habit, still ordered by day."""
        keep = [i for i, h in enumerate(self.habit_ids) if h == habit_id]
        return EntryHistoryRead(
            habit_ids=tuple(self.habit_ids[i] for i in keep),
            days=tuple(self.days[i] for i in keep),
            values=tuple(self.values[i] for i in keep),
            statuses=tuple(self.statuses[i] for i in keep),
            notes=tuple(self.notes[i] for i in keep),
            recorded_by=tuple(self.recorded_by[i] for i in keep),
            versions=tuple(self.versions[i] for i in keep),
        )


class HistoryRow(NamedTuple):
    habit_id: UUID
    day: date
    value: float
    status: EntryStatus
    note: str | None
    recorded_by: UUID | None
    version: int


class HabitStatusDaysRead(ReadModel):
    """One habit over a range of days: every version of its rules and the days recorded, by status.

    A day is judged by the version in force on it (`habit_rules.version_in_force`); `habit`
    carries the rules in force on the family's today. The day tuples are oldest first.
    """

    habit: HabitRead
    # Oldest first.
    versions: list[HabitVersionRead]
    done: tuple[date, ...] = ()
    skipped: tuple[date, ...] = ()
    missed: tuple[date, ...] = ()

    @property
    def recorded(self) -> int:
        return len(self.done) + len(self.skipped) + len(self.missed)


class FamilyHabitDaysRead(ReadModel):
    """Every habit of a family (or of one member) over `start`..`end`, archived ones included,
    in member then habit order: what the history screens judge a range by.

    Days grouped by status rather than one object per entry: five years of sixty habits is
    65,000 entries, and the screens only count them.
    """

    start: date
    end: date
    # The family's today: each `habit` shows the rules in force on it.
    today: date
    habits: list[HabitStatusDaysRead]


class HabitDueRead(ReadModel):
    """One habit on one day: the rules of that day, whether it is due, and what was recorded."""

    habit: HabitRead
    due: bool
    # Whether the habit existed yet (its first rules start on or before the day).
    started: bool
    entry: HabitEntryRead | None
    # Days done in the frequency window ending on the day (for weekday rules: the day itself).
    completions_in_window: int


def _rules_of(read: HabitRead | HabitVersionRead) -> Rules:
    return Rules.normalised(
        kind=read.kind,
        target_value=read.target_value,
        unit=read.unit,
        direction=read.direction,
        freq_num=read.freq_num,
        freq_den=read.freq_den,
        weekdays=None if read.weekdays is None else mask_from_names(read.weekdays),
    )
