"""Exercise sessions: what a member did, on which day, for how long."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator

from habitdesk.core.enums import Activity
from habitdesk.core.schemas.common import OptionalText, ReadModel, Schema

MAX_MINUTES = 24 * 60
MAX_DISTANCE_KM = 1000.0
MAX_NOTE = 2000


def _minutes(value: int) -> int:
    if not 1 <= value <= MAX_MINUTES:
        raise ValueError(f"must be between 1 and {MAX_MINUTES} (a whole day); it was {value}")
    return value


def _intensity(value: int | None) -> int | None:
    if value is not None and not 1 <= value <= 5:
        raise ValueError(f"must be between 1 (easy) and 5 (all-out); it was {value}")
    return value


def _distance(value: float | None) -> float | None:
    if value is None:
        return None
    if not math.isfinite(value):
        raise ValueError("must be a finite number of kilometres")
    if value <= 0:
        raise ValueError("must be greater than zero (leave it empty when not measured)")
    if value > MAX_DISTANCE_KM:
        raise ValueError(f"must be at most {MAX_DISTANCE_KM:g} km")
    return value


def _note(value: str | None) -> str | None:
    if value is not None and len(value) > MAX_NOTE:
        raise ValueError(f"must be at most {MAX_NOTE} characters (it has {len(value)})")
    return value


Minutes = Annotated[int, AfterValidator(_minutes)]
Intensity = Annotated[int | None, AfterValidator(_intensity)]
DistanceKm = Annotated[float | None, AfterValidator(_distance)]
Note = Annotated[OptionalText, AfterValidator(_note)]


class ExerciseCreate(Schema):
    family_id: UUID
    user_id: UUID
    activity: Activity
    day: date
    minutes: Minutes
    distance_km: DistanceKm = None
    intensity: Intensity = None
    note: Note = None
    # A live numeric habit of the same member the minutes count toward ("150 min a week").
    habit_id: UUID | None = None


class ExerciseUpdate(Schema):
    """Only the fields given change; `None` clears the optional ones (distance, intensity, note,
    habit) and is refused for the required ones."""

    activity: Activity | None = None
    day: date | None = None
    minutes: Minutes | None = None
    distance_km: DistanceKm = None
    intensity: Intensity = None
    note: Note = None
    habit_id: UUID | None = None
    expected_version: int | None = None


class ExerciseRead(ReadModel):
    id: UUID
    family_id: UUID
    user_id: UUID
    habit_id: UUID | None
    activity: Activity
    day: date
    minutes: int
    distance_km: float | None
    intensity: int | None
    note: str | None
    version: int
    created_at: datetime
    updated_at: datetime
