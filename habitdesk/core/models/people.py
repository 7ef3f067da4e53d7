"""Users, families and who belongs where."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from habitdesk.core.models.base import Entity, SoftDeleteMixin, VersionedMixin
from habitdesk.core.models.enums import Role, WeekStart, db_enum


class User(SoftDeleteMixin, VersionedMixin, Entity):
    __tablename__ = "users"

    full_name: Mapped[str] = mapped_column(String(100))
    # Stored lower-cased by the schemas, so a plain unique constraint is case-insensitive.
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    colour: Mapped[str] = mapped_column(String(7), default="#4C7BD9")
    avatar_emoji: Mapped[str | None] = mapped_column(String(16))
    birth_date: Mapped[date | None] = mapped_column(index=True)
    notification_enabled: Mapped[bool] = mapped_column(default=True)
    time_zone: Mapped[str | None] = mapped_column(String(64))

    family_memberships: Mapped[list[FamilyMembership]] = relationship(
        back_populates="user", lazy="raise"
    )


class Family(SoftDeleteMixin, VersionedMixin, Entity):
    __tablename__ = "families"
    __table_args__ = (
        CheckConstraint("day_start_hour >= 0 AND day_start_hour <= 4", name="day_start_hour"),
    )

    name: Mapped[str] = mapped_column(String(100))
    time_zone: Mapped[str] = mapped_column(String(64))
    week_start: Mapped[WeekStart] = mapped_column(
        db_enum(WeekStart, "week_start"), default=WeekStart.MONDAY
    )
    day_start_hour: Mapped[int] = mapped_column(default=0)

    memberships: Mapped[list[FamilyMembership]] = relationship(
        back_populates="family", lazy="raise"
    )


class FamilyMembership(SoftDeleteMixin, VersionedMixin, Entity):
    __tablename__ = "family_memberships"
    __table_args__ = (UniqueConstraint("user_id", "family_id"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("families.id"), index=True)
    role: Mapped[Role] = mapped_column(db_enum(Role, "role"))
    position: Mapped[int] = mapped_column(default=0)

    user: Mapped[User] = relationship(back_populates="family_memberships", lazy="raise")
    family: Mapped[Family] = relationship(back_populates="memberships", lazy="raise")
