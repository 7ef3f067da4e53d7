"""Routines, their versions and steps, and the runs of them."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any, TypeVar
from uuid import UUID

from pydantic import AfterValidator, ValidationError, field_validator, model_validator

from habitdesk.core.enums import RunStatus
from habitdesk.core.errors import InvalidInputError
from habitdesk.core.schemas.common import Name, OptionalText, ReadModel, Schema, Weekdays

MAX_STEPS = 50
MAX_STEP_MINUTES = 600
MAX_STEP_POINTS = 1000


def _duration(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= MAX_STEP_MINUTES:
        raise ValueError(
            f"must be between 1 and {MAX_STEP_MINUTES} minutes (leave it empty for no duration)"
        )
    return value


def _points(value: int | None) -> int | None:
    if value is not None and not 0 <= value <= MAX_STEP_POINTS:
        raise ValueError(f"must be between 0 and {MAX_STEP_POINTS}")
    return value


def _note(value: str | None) -> str | None:
    if value is not None and len(value) > 500:
        raise ValueError(f"must be at most 500 characters (it has {len(value)})")
    return value


def _steps(value: list[RoutineStepInput] | None) -> list[RoutineStepInput] | None:
    if value is not None and not value:
        raise ValueError("add at least one step")
    if value is not None and len(value) > MAX_STEPS:
        raise ValueError(f"a routine can have at most {MAX_STEPS} steps (it has {len(value)})")
    return value


def times_problem(start_time: time | None, finish_by: time | None) -> str | None:
    """Why this start/finish pair is refused, or None when it is fine."""
    if start_time is not None and finish_by is not None and finish_by <= start_time:
        return (
            f"Finish by: must be after the start time ({start_time:%H:%M}); "
            "change one of them or leave finish by empty."
        )
    return None


StepMinutes = Annotated[int | None, AfterValidator(_duration)]
StepPoints = Annotated[int | None, AfterValidator(_points)]
Note = Annotated[OptionalText, AfterValidator(_note)]


class RoutineStepInput(Schema):
    """One step as the editor sends it; its position is its place in the list."""

    title: Name
    duration_minutes: StepMinutes = None
    points: StepPoints = None


Steps = Annotated[list[RoutineStepInput], AfterValidator(_steps)]


class RoutineCreate(Schema):
    family_id: UUID
    # The member who does the routine.
    user_id: UUID
    name: Name
    weekdays: Weekdays
    start_time: time | None = None
    finish_by: time | None = None
    steps: Steps
    # None: the family's today.
    effective_from: date | None = None
    note: Note = None

    @model_validator(mode="after")
    def _finish_after_start(self) -> RoutineCreate:
        problem = times_problem(self.start_time, self.finish_by)
        if problem:
            raise ValueError(problem)
        return self


class RoutineUpdate(Schema):
    """Only the fields given change. `start_time=None` / `finish_by=None` given explicitly clear
    them. Steps or schedule that differ from the latest version make a new version."""

    name: Name | None = None
    position: int | None = None
    weekdays: Weekdays | None = None
    start_time: time | None = None
    finish_by: time | None = None
    steps: Annotated[list[RoutineStepInput] | None, AfterValidator(_steps)] = None
    # None: the family's today (or the latest version's day, if that is later).
    effective_from: date | None = None
    note: Note = None
    expected_version: int | None = None

    @field_validator("position")
    @classmethod
    def _position_not_negative(cls, value: int | None) -> int | None:
        if value is not None and value < 0:
            raise ValueError("must be zero or more")
        return value

    @model_validator(mode="after")
    def _finish_after_start(self) -> RoutineUpdate:
        problem = times_problem(self.start_time, self.finish_by)
        if problem:
            raise ValueError(problem)
        return self

    @property
    def touches_schedule_or_steps(self) -> bool:
        return bool(self.model_fields_set & {"weekdays", "start_time", "finish_by", "steps"})


class RunNoteSet(Schema):
    """A run's note: why it was skipped or left partial. Empty text removes it."""

    note: Note = None


class RoutineStepRead(ReadModel):
    id: UUID
    # 0 = the first step (as every position in HabitDesk); show position + 1.
    position: int
    title: str
    duration_minutes: int | None
    points: int | None


class RoutineVersionRead(ReadModel):
    id: UUID
    routine_id: UUID
    number: int
    effective_from: date
    note: str | None
    weekdays: list[str]
    # "Mon–Fri", "every day": ready to show.
    weekdays_text: str
    start_time: time | None
    finish_by: time | None
    steps: list[RoutineStepRead]
    total_minutes: int
    total_points: int
    # Sentences for the version history; empty for version 1.
    changes_from_previous: list[str]
    created_at: datetime


class RoutineRead(ReadModel):
    id: UUID
    family_id: UUID
    user_id: UUID
    name: str
    position: int
    archived: bool
    # The row's edit counter: send it back as `expected_version`.
    version: int
    # In force on the family's today (the first version, if the routine has not started yet).
    current_version: RoutineVersionRead
    # The newest version: what an editor starts from. Later than current when an edit is
    # effective from a future day.
    latest_version: RoutineVersionRead
    version_count: int
    created_at: datetime
    updated_at: datetime


class RunStepRead(ReadModel):
    step_id: UUID
    position: int
    title: str
    duration_minutes: int | None
    points: int | None
    checked: bool
    checked_at: datetime | None
    checked_by: UUID | None


class RoutineRunRead(ReadModel):
    id: UUID
    routine_id: UUID
    routine_name: str
    family_id: UUID
    user_id: UUID
    day: date
    status: RunStatus
    started_at: datetime | None
    finished_at: datetime | None
    # The row's edit counter.
    version: int
    # The routine version this run follows (the one in force on `day` when it was started).
    version_id: UUID
    version_number: int
    # False when the routine is done on a day its schedule does not list.
    scheduled: bool
    steps: list[RunStepRead]
    done: int
    total: int
    points_earned: int
    points_possible: int
    # Why the run was skipped or left partial ("ill", "at grandma's"); None when there is none.
    note: str | None


class RoutineScheduleRead(ReadModel):
    """When one version of a routine is due (its steps left out)."""

    number: int
    effective_from: date
    weekdays: list[str]
    # "Mon–Fri", "every day": ready to show.
    weekdays_text: str


class RoutineRunDaysRead(ReadModel):
    """One member's runs of a routine over a range of days, by status; each oldest first."""

    user_id: UUID
    completed: tuple[date, ...] = ()
    partial: tuple[date, ...] = ()
    skipped: tuple[date, ...] = ()
    in_progress: tuple[date, ...] = ()


class RoutineRunsRead(ReadModel):
    """A routine over a range of days: when each of its versions was due, and its runs."""

    id: UUID
    family_id: UUID
    user_id: UUID
    name: str
    position: int
    archived: bool
    # Every version's schedule, oldest first. A day is judged by the highest-numbered version
    # that had started by then.
    schedules: list[RoutineScheduleRead]
    # In force on the family's today (the first one, if the routine has not started yet).
    current: RoutineScheduleRead
    # By member: the routine's member, and anyone it was handed over from (their runs stay
    # theirs).
    runs: list[RoutineRunDaysRead]


class FamilyRoutineRunsRead(ReadModel):
    """Every routine of a family (or of one member) over `start`..`end`, archived ones
    included, in routine order: what the history screens judge a range by."""

    start: date
    end: date
    today: date
    routines: list[RoutineRunsRead]


_LABELS = {
    "name": "Name",
    "user_id": "Member",
    "family_id": "Family",
    "weekdays": "Weekdays",
    "start_time": "Start time",
    "finish_by": "Finish by",
    "steps": "Steps",
    "effective_from": "Effective from",
    "note": "Note",
    "position": "Position",
    "expected_version": "Expected version",
}
_STEP_LABELS = {"title": "title", "duration_minutes": "duration", "points": "points"}


def describe_routine_error(exc: ValidationError) -> str:
    """One part per problem, naming the step by its number: "Step 2 title: must not be empty"."""
    parts: list[str] = []
    for error in exc.errors():
        loc = error["loc"]
        message = error["msg"]
        for prefix in ("Value error, ", "Assertion failed, "):
            message = message.removeprefix(prefix)
        if error["type"] == "missing":
            message = "is required"
        if len(loc) >= 3 and loc[0] == "steps" and isinstance(loc[1], int):
            label = f"Step {loc[1] + 1} {_STEP_LABELS.get(str(loc[2]), str(loc[2]))}"
        elif loc:
            field = str(loc[0])
            label = _LABELS.get(field, field.replace("_", " ").capitalize())
        else:
            label = ""
        parts.append(f"{label}: {message}" if label else message)
    return "; ".join(parts)


S = TypeVar("S", bound=Schema)


def parse_routine_input(schema: type[S], data: S | dict[str, Any]) -> S:
    """Like services.base.parse, with step-numbered messages."""
    if isinstance(data, schema):
        return data
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise InvalidInputError(describe_routine_error(exc)) from None
