"""Exercise sessions; they may count toward a numeric habit."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import CheckConstraint, Float, ForeignKey, SmallInteger, Text
from sqlalchemy.orm import Mapped, mapped_column

from habitdesk.core.models.base import Entity, SoftDeleteMixin, VersionedMixin
from habitdesk.core.models.enums import Activity, db_enum


class ExerciseSession(SoftDeleteMixin, VersionedMixin, Entity):
    __tablename__ = "exercise_sessions"
    __table_args__ = (
        CheckConstraint("minutes > 0", name="minutes_positive"),
        CheckConstraint(
            "intensity IS NULL OR (intensity >= 1 AND intensity <= 5)", name="intensity"
        ),
    )

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("families.id"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    habit_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("habits.id"), index=True)
    activity: Mapped[Activity] = mapped_column(db_enum(Activity, "activity"))
    day: Mapped[date] = mapped_column(index=True)
    minutes: Mapped[int]
    distance_km: Mapped[float | None] = mapped_column(Float)
    intensity: Mapped[int | None] = mapped_column(SmallInteger)
    note: Mapped[str | None] = mapped_column(Text)
