"""Writing to the append-only points ledger from inside another service's transaction."""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from habitdesk.core.models import PointsEntry
from habitdesk.core.models.enums import PointsSource
from habitdesk.core.services.query_hints import Unindexed


async def balance(session: AsyncSession, family_id: UUID, user_id: UUID) -> int:
    # Through the member's index: SQLite would take the family's (every line of a one-family
    # file) for an equally good one.
    total = await session.scalar(
        select(func.coalesce(func.sum(PointsEntry.amount), 0)).where(
            Unindexed(PointsEntry.family_id) == family_id, PointsEntry.user_id == user_id
        )
    )
    return int(total or 0)


async def net_points_for(session: AsyncSession, source: PointsSource, source_id: UUID) -> int:
    """What a habit entry, run or redemption has earned so far (after any reversals)."""
    total = await session.scalar(
        select(func.coalesce(func.sum(PointsEntry.amount), 0)).where(
            PointsEntry.source == source, PointsEntry.source_id == source_id
        )
    )
    return int(total or 0)


async def settle_points(
    session: AsyncSession,
    *,
    family_id: UUID,
    user_id: UUID,
    source: PointsSource,
    source_id: UUID,
    should_have: int,
    reason: str,
    created_by: UUID | None,
) -> int:
    """Make the ledger show `should_have` points for this source, by appending the difference.

    Checking a habit off earns its points; unchecking it appends the opposite line, so the
    ledger stays append-only and the balance stays right. Returns the amount appended (0: none).
    """
    delta = should_have - await net_points_for(session, source, source_id)
    if delta:
        session.add(
            PointsEntry(
                family_id=family_id,
                user_id=user_id,
                amount=delta,
                reason=reason if delta > 0 else f"Undone: {reason}",
                source=source,
                source_id=source_id,
                created_by=created_by,
            )
        )
    return delta
