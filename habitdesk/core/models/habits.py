"""Habits, the versions of their rules, and one entry per habit per day."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from habitdesk.core.models.base import Entity, SoftDeleteMixin, VersionedMixin
from habitdesk.core.models.enums import Direction, EntryStatus, HabitKind, db_enum


class Habit(SoftDeleteMixin, VersionedMixin, Entity):
    __tablename__ = "habits"

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("families.id"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str | None] = mapped_column(Text)
    colour: Mapped[str] = mapped_column(String(7), default="#4C7BD9")
    points: Mapped[int] = mapped_column(default=0)
    archived: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)

    versions: Mapped[list[HabitVersion]] = relationship(
        back_populates="habit", lazy="raise", order_by="HabitVersion.number"
    )


class HabitVersion(Entity):
    """The rules of a habit from `effective_from` on: a past day is judged by the rules of its day."""

    __tablename__ = "habit_versions"
    __table_args__ = (
        UniqueConstraint("habit_id", "number"),
        CheckConstraint(
            "(weekdays IS NULL AND freq_num >= 1 AND freq_num <= freq_den AND freq_den <= 365)"
            " OR (weekdays IS NOT NULL AND weekdays > 0 AND weekdays < 128)",
            name="frequency",
        ),
        CheckConstraint(
            "kind = 'boolean' OR (target_value > 0 AND unit IS NOT NULL)", name="numeric_target"
        ),
    )

    habit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("habits.id"), index=True)
    number: Mapped[int]
    effective_from: Mapped[date] = mapped_column(index=True)
    kind: Mapped[HabitKind] = mapped_column(db_enum(HabitKind, "habit_kind"))
    target_value: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(30))
    direction: Mapped[Direction] = mapped_column(
        db_enum(Direction, "direction"), default=Direction.AT_LEAST
    )
    # Either "freq_num times per freq_den days" (Loop's model) or chosen weekdays
    # (bit 0 = Monday … bit 6 = Sunday); with weekdays set, freq_num/freq_den are 1/1.
    freq_num: Mapped[int] = mapped_column(default=1)
    freq_den: Mapped[int] = mapped_column(default=1)
    weekdays: Mapped[int | None]

    habit: Mapped[Habit] = relationship(back_populates="versions", lazy="raise")


class HabitEntry(SoftDeleteMixin, VersionedMixin, Entity):
    __tablename__ = "habit_entries"
    __table_args__ = (
        UniqueConstraint("habit_id", "day"),
        # The Habits screen reads every habit's live done and skipped days, years of them, to
        # judge streaks: this index holds all it reads, in the order it looks them up
        # (services/habit_overview.py; on SQLite ≈6 ms instead of ≈17 ms for the demo family).
        Index("ix_habit_entries_streak_days", "habit_id", "deleted_at", "status", "day"),
    )

    habit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("habits.id"), index=True)
    day: Mapped[date] = mapped_column(index=True)
    value: Mapped[float] = mapped_column(Float, default=0.0)
    status: Mapped[EntryStatus] = mapped_column(db_enum(EntryStatus, "entry_status"))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
