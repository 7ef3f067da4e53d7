"""Points ledger lines, balances, rewards and requests to redeem them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BeforeValidator, Field

from habitdesk.core.enums import PointsSource, RedemptionStatus
from habitdesk.core.schemas.common import Name, ReadModel, Schema

MAX_AWARD = 10_000
MAX_COST = 1_000_000
MAX_REASON = 200


def _trim(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _reason(value: str) -> str:
    if not value:
        raise ValueError("must not be empty; say what the points are for")
    if len(value) > MAX_REASON:
        raise ValueError(f"must be at most {MAX_REASON} characters (it has {len(value)})")
    return value


def _optional_reason(value: str | None) -> str | None:
    return _reason(value) if value else None


def _amount(value: int) -> int:
    if value == 0:
        raise ValueError("must not be zero (use a negative number to take points away)")
    if abs(value) > MAX_AWARD:
        raise ValueError(f"must be between -{MAX_AWARD} and {MAX_AWARD}; it was {value}")
    return value


def _cost(value: int) -> int:
    if value <= 0:
        raise ValueError(f"must be a whole number of points greater than zero; it was {value}")
    if value > MAX_COST:
        raise ValueError(f"must be at most {MAX_COST} points; it was {value}")
    return value


Reason = Annotated[str, BeforeValidator(_trim), AfterValidator(_reason)]
OptionalReason = Annotated[str | None, BeforeValidator(_trim), AfterValidator(_optional_reason)]
Amount = Annotated[int, AfterValidator(_amount)]
Cost = Annotated[int, AfterValidator(_cost)]


class PointsAward(Schema):
    amount: Amount
    reason: Reason


class RedemptionDecision(Schema):
    reason: OptionalReason = None


class PageRequest(Schema):
    limit: int = Field(default=50, ge=1, le=500)
    offset: int = Field(default=0, ge=0)


class PointsEntryRead(ReadModel):
    id: UUID
    family_id: UUID
    user_id: UUID
    amount: int
    reason: str
    source: PointsSource
    source_id: UUID | None
    created_by: UUID | None
    created_at: datetime


class PointsBalanceRead(ReadModel):
    family_id: UUID
    user_id: UUID
    # Everything the ledger says the member has.
    balance: int
    # Points promised to rewards still waiting for a parent's decision.
    held: int
    # What the member can still ask a reward for: balance minus held.
    available: int


class RewardCreate(Schema):
    name: Name
    cost: Cost
    active: bool = True


class RewardUpdate(Schema):
    name: Name | None = None
    cost: Cost | None = None
    active: bool | None = None
    expected_version: int | None = None


class RewardRead(ReadModel):
    id: UUID
    family_id: UUID
    name: str
    cost: int
    active: bool
    version: int
    created_at: datetime
    updated_at: datetime


class RedemptionRead(ReadModel):
    id: UUID
    family_id: UUID
    reward_id: UUID
    reward_name: str
    user_id: UUID
    member_name: str
    # The cost when requested; a later price change does not alter it.
    cost: int
    status: RedemptionStatus
    requested_at: datetime
    decided_at: datetime | None
    decided_by: UUID | None
    decision_note: str | None = None
    version: int


class PointsOverviewRead(ReadModel):
    """What the rewards screen shows, read at once: balances, rewards, requests and the newest
    ledger lines."""

    family_id: UUID
    # Whose balances, requests and ledger lines these are (None: everyone's). A child always
    # gets only its own.
    user_id: UUID | None
    # One per member of the family (or the one asked for), in member order.
    balances: list[PointsBalanceRead]
    # Every reward, switched-off ones included, cheapest first.
    rewards: list[RewardRead]
    # Newest first.
    requests: list[RedemptionRead]
    # The first page of the ledger, newest first.
    ledger: list[PointsEntryRead]
