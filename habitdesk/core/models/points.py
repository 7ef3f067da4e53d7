"""Points ledger (append-only), rewards, and requests to redeem them."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from habitdesk.core.models.base import Entity, SoftDeleteMixin, VersionedMixin
from habitdesk.core.models.enums import PointsSource, RedemptionStatus, db_enum


class PointsEntry(Entity):
    """One line of the ledger. Never updated or deleted: corrections are new, opposite lines."""

    __tablename__ = "points_entries"
    __table_args__ = (
        # The weekly report sums the parents' awards given in one week: with this index it reads
        # that week's lines only, instead of the family's whole ledger (services/report.py).
        Index("ix_points_entries_family_id_created_at", "family_id", "created_at"),
    )

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("families.id"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    amount: Mapped[int]
    reason: Mapped[str] = mapped_column(String(200))
    source: Mapped[PointsSource] = mapped_column(db_enum(PointsSource, "points_source"))
    # The habit entry, run or redemption that earned or spent the points, when there is one.
    source_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    created_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)


class Reward(SoftDeleteMixin, VersionedMixin, Entity):
    __tablename__ = "rewards"
    __table_args__ = (CheckConstraint("cost > 0", name="cost_positive"),)

    family_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("families.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    cost: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)


class RewardRedemption(VersionedMixin, Entity):
    __tablename__ = "reward_redemptions"

    reward_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("rewards.id"), index=True)
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"), index=True)
    # The cost when requested: a later price change does not alter a pending request.
    cost: Mapped[int]
    status: Mapped[RedemptionStatus] = mapped_column(
        db_enum(RedemptionStatus, "redemption_status"), default=RedemptionStatus.REQUESTED
    )
    requested_at: Mapped[datetime] = mapped_column(index=True)
    decided_at: Mapped[datetime | None] = mapped_column(index=True)
    decided_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    # The parent's reason, mostly for a rejection ("not before the weekend").
    decision_note: Mapped[str | None] = mapped_column(String(200))
