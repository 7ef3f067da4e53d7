"""Domain enums stored as short strings (CHECK-constrained): the column type lives here."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import Enum as SAEnum

from habitdesk.core.enums import (
    Activity,
    Direction,
    EntryStatus,
    HabitKind,
    PointsSource,
    RedemptionStatus,
    Role,
    RunStatus,
    WeekStart,
)

__all__ = [
    "Activity",
    "Direction",
    "EntryStatus",
    "HabitKind",
    "PointsSource",
    "RedemptionStatus",
    "Role",
    "RunStatus",
    "WeekStart",
    "db_enum",
]


def db_enum(enum_cls: type[StrEnum], name: str) -> SAEnum:
    """A portable enum column: VARCHAR plus a named CHECK constraint on both engines."""
    return SAEnum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )
