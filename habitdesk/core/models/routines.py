"""Routines: ordered steps for one member, versioned on every edit; and the runs of them."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from habitdesk.core.models.base import Entity, SoftDeleteMixin, VersionedMixin
from habitdesk.core.models.enums import RunStatus, db_enum


class Routine(SoftDeleteMixin, VersionedMixin, Entity):
    __tablename__ = "routines"

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("families.id"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)
    archived: Mapped[bool] = mapped_column(default=False)

    versions: Mapped[list[RoutineVersion]] = relationship(
        back_populates="routine", lazy="raise", order_by="RoutineVersion.number"
    )


class RoutineVersion(Entity):
    """Steps and schedule of a routine from `effective_from` on. Never edited after creation."""

    __tablename__ = "routine_versions"
    __table_args__ = (
        UniqueConstraint("routine_id", "number"),
        CheckConstraint("weekdays > 0 AND weekdays < 128", name="weekdays"),
    )

    routine_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("routines.id"), index=True)
    number: Mapped[int]
    effective_from: Mapped[date] = mapped_column(index=True)
    note: Mapped[str | None] = mapped_column(String(500))
    # Bit 0 = Monday … bit 6 = Sunday.
    weekdays: Mapped[int]
    start_time: Mapped[time | None]
    finish_by: Mapped[time | None]

    routine: Mapped[Routine] = relationship(back_populates="versions", lazy="raise")
    steps: Mapped[list[RoutineStep]] = relationship(
        back_populates="version", lazy="raise", order_by="RoutineStep.position"
    )


class RoutineStep(Entity):
    __tablename__ = "routine_steps"
    __table_args__ = (UniqueConstraint("version_id", "position"),)

    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("routine_versions.id"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(100))
    duration_minutes: Mapped[int | None]
    points: Mapped[int | None]

    version: Mapped[RoutineVersion] = relationship(back_populates="steps", lazy="raise")


class RoutineRun(SoftDeleteMixin, VersionedMixin, Entity):
    __tablename__ = "routine_runs"
    __table_args__ = (UniqueConstraint("routine_id", "user_id", "day"),)

    routine_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("routines.id"), index=True)
    version_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("routine_versions.id"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    day: Mapped[date] = mapped_column(index=True)
    status: Mapped[RunStatus] = mapped_column(
        db_enum(RunStatus, "run_status"), default=RunStatus.IN_PROGRESS
    )
    started_at: Mapped[datetime | None] = mapped_column(index=True)
    finished_at: Mapped[datetime | None] = mapped_column(index=True)
    # Why a run was skipped or left partial ("ill", "at grandma's").
    note: Mapped[str | None] = mapped_column(String(500))

    checks: Mapped[list[RoutineStepCheck]] = relationship(back_populates="run", lazy="raise")


class RoutineStepCheck(SoftDeleteMixin, Entity):
    __tablename__ = "routine_step_checks"
    __table_args__ = (UniqueConstraint("run_id", "step_id"),)

    run_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("routine_runs.id"), index=True)
    step_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("routine_steps.id"), index=True)
    checked_at: Mapped[datetime] = mapped_column(index=True)
    checked_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)

    run: Mapped[RoutineRun] = relationship(back_populates="checks", lazy="raise")
