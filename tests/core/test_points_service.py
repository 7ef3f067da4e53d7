"""Points, rewards and redemptions, on every backend."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from habitdesk.core.changes import Kind
from habitdesk.core.db.database import Database
from habitdesk.core.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from habitdesk.core.models.enums import PointsSource, RedemptionStatus, Role
from habitdesk.core.schemas.people import MemberRead
from habitdesk.core.schemas.points import PointsBalanceRead, PointsEntryRead, RewardRead
from habitdesk.core.services.base import Actor
from habitdesk.core.services.people import FamilyService, UserService
from habitdesk.core.services.points import PointsService
from tests.core.factories import FamilyFixture, make_family

ADMIN = Actor.local_admin()


async def everything(db: Database, fam: FamilyFixture) -> list[PointsEntryRead]:
    return await PointsService(db).ledger(ADMIN, fam.family.id, limit=500)


async def balance_of(db: Database, fam: FamilyFixture, who: MemberRead) -> int:
    return (await PointsService(db).balance(ADMIN, fam.family.id, who.user_id)).balance


async def give(db: Database, fam: FamilyFixture, who: MemberRead, amount: int) -> None:
    await PointsService(db).award(
        fam.actor(fam.parent), fam.family.id, who.user_id, amount, "Helped"
    )


async def ice_cream(db: Database, fam: FamilyFixture, cost: int = 50) -> RewardRead:
    created = await PointsService(db).create_reward(
        fam.actor(fam.parent), fam.family.id, {"name": "Ice cream", "cost": cost}
    )
    return created.value


async def second_child(db: Database, fam: FamilyFixture) -> MemberRead:
    added = await FamilyService(db).add_member(
        ADMIN, fam.family.id, {"user": {"full_name": "Hugo Martin"}, "role": Role.CHILD}
    )
    return added.value


# ---- awarding and reading the ledger --------------------------------------------------------


async def test_a_parent_awards_points_by_hand(database: Database) -> None:
    fam = await make_family(database)
    result = await PointsService(database).award(
        fam.actor(fam.parent), fam.family.id, fam.child.user_id, 15, "  Tidied the room  "
    )
    entry = result.value
    assert (entry.amount, entry.reason, entry.source) == (15, "Tidied the room", "manual")
    assert (entry.user_id, entry.created_by, entry.source_id) == (
        fam.child.user_id,
        fam.parent.user_id,
        None,
    )
    assert result.changes.kinds == {Kind.POINTS}
    assert result.changes.family_ids == {fam.family.id}
    assert await balance_of(database, fam, fam.child) == 15


async def test_a_negative_award_takes_points_away_with_a_new_line(database: Database) -> None:
    fam = await make_family(database)
    await give(database, fam, fam.child, 20)
    await PointsService(database).award(
        fam.actor(fam.owner), fam.family.id, fam.child.user_id, -5, "Counted twice"
    )
    assert await balance_of(database, fam, fam.child) == 15
    assert [e.amount for e in await everything(database, fam)] == [-5, 20]


@pytest.mark.parametrize(
    ("amount", "reason", "message"),
    [
        (0, "Helped", "Amount: must not be zero (use a negative number to take points away)"),
        (10_001, "Helped", "Amount: must be between -10000 and 10000; it was 10001"),
        (-10_001, "Helped", "Amount: must be between -10000 and 10000; it was -10001"),
        (2.5, "Helped", "Amount: Input should be a valid integer"),
        (5, "   ", "Reason: must not be empty; say what the points are for"),
        (5, "x" * 201, "Reason: must be at most 200 characters (it has 201)"),
    ],
)
async def test_bad_award_is_refused_and_the_ledger_is_unchanged(
    database: Database, amount: int, reason: str, message: str
) -> None:
    fam = await make_family(database)
    await give(database, fam, fam.child, 10)
    before = await everything(database, fam)
    with pytest.raises(InvalidInputError) as caught:
        await PointsService(database).award(
            fam.actor(fam.parent), fam.family.id, fam.child.user_id, amount, reason
        )
    assert message in caught.value.message
    assert await everything(database, fam) == before


async def test_award_limits_are_accepted(database: Database) -> None:
    fam = await make_family(database)
    await give(database, fam, fam.child, 10_000)
    await give(database, fam, fam.child, -10_000)
    assert await balance_of(database, fam, fam.child) == 0


@pytest.mark.parametrize("who", ["child", "viewer"])
async def test_only_parents_award_points(database: Database, who: str) -> None:
    fam = await make_family(database)
    member = getattr(fam, who)
    with pytest.raises(PermissionDeniedError, match=f"A {who} cannot award points"):
        await PointsService(database).award(
            fam.actor(member), fam.family.id, fam.child.user_id, 100, "I deserve it"
        )
    assert await everything(database, fam) == []


async def test_points_go_only_to_members_who_collect_them(database: Database) -> None:
    fam = await make_family(database)
    stranger = (await UserService(database).create_user({"full_name": "Stranger"})).value
    service = PointsService(database)
    with pytest.raises(InvalidInputError, match="Grand-mère is a viewer"):
        await service.award(fam.actor(fam.parent), fam.family.id, fam.viewer.user_id, 5, "Hi")
    with pytest.raises(NotFoundError, match="not a member of this family"):
        await service.award(fam.actor(fam.parent), fam.family.id, stranger.id, 5, "Hi")
    assert await everything(database, fam) == []


async def test_who_may_read_a_balance(database: Database) -> None:
    fam = await make_family(database)
    hugo = await second_child(database, fam)
    await give(database, fam, fam.child, 30)
    service = PointsService(database)
    own = await service.balance(fam.actor(fam.child), fam.family.id, fam.child.user_id)
    assert (own.balance, own.held, own.available) == (30, 0, 30)
    by_viewer = await service.balance(fam.actor(fam.viewer), fam.family.id, fam.child.user_id)
    assert by_viewer == own
    with pytest.raises(PermissionDeniedError, match="A child can only see their own points"):
        await service.balance(Actor.member(hugo.user_id), fam.family.id, fam.child.user_id)
    stranger = (await UserService(database).create_user({"full_name": "Stranger"})).value
    with pytest.raises(PermissionDeniedError, match="Only members of this family"):
        await service.balance(Actor.member(stranger.id), fam.family.id, fam.child.user_id)


async def test_ledger_is_newest_first_and_pages(database: Database) -> None:
    fam = await make_family(database)
    for amount in (1, 2, 3, 4, 5):
        await give(database, fam, fam.child, amount)
    await give(database, fam, fam.parent, 100)
    service = PointsService(database)
    page = await service.ledger(
        fam.actor(fam.parent), fam.family.id, fam.child.user_id, limit=2, offset=1
    )
    assert [e.amount for e in page] == [4, 3]
    # A child asking for "everyone" gets its own lines only.
    own = await service.ledger(fam.actor(fam.child), fam.family.id)
    assert [e.amount for e in own] == [5, 4, 3, 2, 1]
    with pytest.raises(PermissionDeniedError, match="A child can only see their own points"):
        await service.ledger(fam.actor(fam.child), fam.family.id, fam.parent.user_id)
    with pytest.raises(InvalidInputError, match="Limit: Input should be greater than or equal"):
        await service.ledger(fam.actor(fam.parent), fam.family.id, limit=0)


# ---- rewards --------------------------------------------------------------------------------


async def test_rewards_are_created_listed_and_changed(database: Database) -> None:
    fam = await make_family(database)
    service = PointsService(database)
    created = await service.create_reward(
        fam.actor(fam.owner), fam.family.id, {"name": " Cinema ", "cost": 200}
    )
    assert (created.value.name, created.value.cost, created.value.active) == ("Cinema", 200, True)
    assert created.changes.kinds == {Kind.REWARDS}
    cheap = await ice_cream(database, fam)
    listed = await service.list_rewards(fam.actor(fam.child), fam.family.id)
    assert [r.name for r in listed] == ["Ice cream", "Cinema"]
    updated = await service.update_reward(
        fam.actor(fam.parent), cheap.id, {"cost": 40, "expected_version": cheap.version}
    )
    assert (updated.value.cost, updated.value.version) == (40, cheap.version + 1)
    with pytest.raises(ConflictError, match="Someone else changed this reward"):
        await service.update_reward(
            fam.actor(fam.owner), cheap.id, {"name": "Gelato", "expected_version": cheap.version}
        )


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "Toy", "cost": 0}, "Cost: must be a whole number of points greater than zero"),
        ({"name": "Toy", "cost": -5}, "Cost: must be a whole number of points greater than zero"),
        ({"name": "Toy", "cost": 1.5}, "Cost: Input should be a valid integer"),
        ({"name": "  ", "cost": 5}, "Name: must not be empty"),
        ({"name": "Toy"}, "Cost: Field required"),
    ],
)
async def test_bad_reward_is_refused_and_changes_nothing(
    database: Database, data: dict[str, object], message: str
) -> None:
    fam = await make_family(database)
    service = PointsService(database)
    with pytest.raises(InvalidInputError) as caught:
        await service.create_reward(fam.actor(fam.parent), fam.family.id, data)
    assert message in caught.value.message
    assert await service.list_rewards(ADMIN, fam.family.id, include_inactive=True) == []


async def test_bad_reward_update_changes_nothing(database: Database) -> None:
    fam = await make_family(database)
    service = PointsService(database)
    reward = await ice_cream(database, fam)
    for change, message in [
        ({"cost": 0}, "Cost: must be a whole number"),
        ({"cost": None}, "Cost: must not be empty"),
        ({"name": None}, "Name: must not be empty"),
    ]:
        with pytest.raises(InvalidInputError, match=message):
            await service.update_reward(fam.actor(fam.parent), reward.id, change)
    assert await service.list_rewards(ADMIN, fam.family.id) == [reward]


async def test_a_child_cannot_set_up_or_change_rewards(database: Database) -> None:
    fam = await make_family(database)
    service = PointsService(database)
    with pytest.raises(PermissionDeniedError, match="A child cannot set up rewards"):
        await service.create_reward(fam.actor(fam.child), fam.family.id, {"name": "X", "cost": 1})
    reward = await ice_cream(database, fam)
    with pytest.raises(PermissionDeniedError, match="A child cannot change rewards"):
        await service.update_reward(fam.actor(fam.child), reward.id, {"cost": 1})
    with pytest.raises(PermissionDeniedError, match="A viewer cannot change rewards"):
        await service.deactivate_reward(fam.actor(fam.viewer), reward.id)
    with pytest.raises(PermissionDeniedError, match="A child cannot remove rewards"):
        await service.remove_reward(fam.actor(fam.child), reward.id)
    assert await service.list_rewards(ADMIN, fam.family.id) == [reward]


async def test_deactivated_rewards_are_hidden_and_cannot_be_requested(
    database: Database,
) -> None:
    fam = await make_family(database)
    service = PointsService(database)
    reward = await ice_cream(database, fam)
    await give(database, fam, fam.child, 100)
    off = await service.deactivate_reward(fam.actor(fam.parent), reward.id)
    assert off.value.active is False
    assert await service.list_rewards(fam.actor(fam.child), fam.family.id) == []
    assert await service.list_rewards(
        fam.actor(fam.child), fam.family.id, include_inactive=True
    ) == [off.value]
    with pytest.raises(InvalidInputError, match="“Ice cream” is not available right now"):
        await service.request_reward(fam.actor(fam.child), reward.id, fam.child.user_id)
    await service.reactivate_reward(fam.actor(fam.parent), reward.id)
    requested = await service.request_reward(fam.actor(fam.child), reward.id, fam.child.user_id)
    assert requested.value.status is RedemptionStatus.REQUESTED


async def test_removed_reward_is_gone_but_its_pending_request_can_still_be_decided(
    database: Database,
) -> None:
    fam = await make_family(database)
    service = PointsService(database)
    reward = await ice_cream(database, fam)
    await give(database, fam, fam.child, 60)
    pending = (
        await service.request_reward(fam.actor(fam.child), reward.id, fam.child.user_id)
    ).value
    removed = await service.remove_reward(fam.actor(fam.parent), reward.id)
    assert removed.changes.kinds == {Kind.REWARDS}
    assert await service.list_rewards(ADMIN, fam.family.id, include_inactive=True) == []
    with pytest.raises(NotFoundError, match="That reward does not exist"):
        await service.request_reward(fam.actor(fam.child), reward.id, fam.child.user_id)
    approved = await service.approve_redemption(fam.actor(fam.parent), pending.id)
    assert approved.value.status is RedemptionStatus.APPROVED
    assert await balance_of(database, fam, fam.child) == 10


# ---- redemptions ----------------------------------------------------------------------------


async def test_a_request_without_enough_points_says_how_many_are_missing(
    database: Database,
) -> None:
    fam = await make_family(database)
    reward = await ice_cream(database, fam)
    await give(database, fam, fam.child, 30)
    before = await everything(database, fam)
    with pytest.raises(InvalidInputError) as caught:
        await PointsService(database).request_reward(
            fam.actor(fam.child), reward.id, fam.child.user_id
        )
    assert caught.value.message == (
        "Not enough points for “Ice cream”: it costs 50 points and Léa Martin has 30 points "
        "available; 20 points missing."
    )
    assert await everything(database, fam) == before
    assert await PointsService(database).list_redemptions(ADMIN, fam.family.id) == []


async def test_pending_requests_hold_their_points(database: Database) -> None:
    fam = await make_family(database)
    service = PointsService(database)
    reward = await ice_cream(database, fam)
    await give(database, fam, fam.child, 60)
    first = await service.request_reward(fam.actor(fam.child), reward.id, fam.child.user_id)
    assert first.value.cost == 50
    assert first.changes.kinds == {Kind.REWARDS, Kind.POINTS}
    held = await service.balance(fam.actor(fam.child), fam.family.id, fam.child.user_id)
    assert (held.balance, held.held, held.available) == (60, 50, 10)
    with pytest.raises(InvalidInputError) as caught:
        await service.request_reward(fam.actor(fam.child), reward.id, fam.child.user_id)
    assert caught.value.message == (
        "Not enough points for “Ice cream”: it costs 50 points and Léa Martin has 10 points "
        "available (60 points in all, 50 held by requests waiting for a parent); "
        "40 points missing."
    )
    assert len(await service.list_redemptions(ADMIN, fam.family.id)) == 1


async def test_approval_spends_the_points_with_one_ledger_line(database: Database) -> None:
    fam = await make_family(database)
    service = PointsService(database)
    reward = await ice_cream(database, fam)
    await give(database, fam, fam.child, 60)
    pending = (
        await service.request_reward(fam.actor(fam.child), reward.id, fam.child.user_id)
    ).value
    result = await service.approve_redemption(fam.actor(fam.owner), pending.id)
    approved = result.value
    assert approved.status is RedemptionStatus.APPROVED
    assert (approved.decided_by, approved.decided_at is not None) == (fam.owner.user_id, True)
    assert result.changes.kinds == {Kind.REWARDS, Kind.POINTS}
    after = await service.balance(ADMIN, fam.family.id, fam.child.user_id)
    assert (after.balance, after.held, after.available) == (10, 0, 10)
    spent = (await everything(database, fam))[0]
    assert (spent.amount, spent.source, spent.source_id, spent.reason) == (
        -50,
        PointsSource.REWARD,
        pending.id,
        "Reward: Ice cream",
    )
    assert spent.created_by == fam.owner.user_id


async def test_rejection_releases_the_held_points_and_spends_nothing(database: Database) -> None:
    fam = await make_family(database)
    service = PointsService(database)
    reward = await ice_cream(database, fam)
    await give(database, fam, fam.child, 60)
    pending = (
        await service.request_reward(fam.actor(fam.child), reward.id, fam.child.user_id)
    ).value
    before = await everything(database, fam)
    rejected = await service.reject_redemption(fam.actor(fam.parent), pending.id, "Not today")
    assert rejected.value.status is RedemptionStatus.REJECTED
    assert rejected.value.decided_by == fam.parent.user_id
    assert rejected.value.decision_note == "Not today"
    listed = await service.list_redemptions(fam.actor(fam.child), fam.family.id)
    assert [r.decision_note for r in listed] == ["Not today"]
    assert await everything(database, fam) == before
    after = await service.balance(ADMIN, fam.family.id, fam.child.user_id)
    assert (after.balance, after.held, after.available) == (60, 0, 60)


async def test_a_request_is_decided_only_once(database: Database) -> None:
    fam = await make_family(database)
    service = PointsService(database)
    reward = await ice_cream(database, fam)
    await give(database, fam, fam.child, 200)
    first = (await service.request_reward(fam.actor(fam.child), reward.id, fam.child.user_id)).value
    second = (
        await service.request_reward(fam.actor(fam.child), reward.id, fam.child.user_id)
    ).value
    await service.approve_redemption(fam.actor(fam.parent), first.id)
    await service.reject_redemption(fam.actor(fam.parent), second.id)
    before = await everything(database, fam)
    with pytest.raises(ConflictError, match="This request for “Ice cream” was already approved"):
        await service.approve_redemption(fam.actor(fam.owner), first.id)
    with pytest.raises(ConflictError, match="was already approved"):
        await service.reject_redemption(fam.actor(fam.owner), first.id)
    with pytest.raises(ConflictError, match="was already rejected"):
        await service.approve_redemption(fam.actor(fam.owner), second.id)
    assert await everything(database, fam) == before
    assert await balance_of(database, fam, fam.child) == 150


@pytest.mark.parametrize("who", ["child", "viewer"])
async def test_only_parents_decide_requests(database: Database, who: str) -> None:
    fam = await make_family(database)
    service = PointsService(database)
    reward = await ice_cream(database, fam)
    await give(database, fam, fam.child, 60)
    pending = (
        await service.request_reward(fam.actor(fam.child), reward.id, fam.child.user_id)
    ).value
    before = await everything(database, fam)
    with pytest.raises(PermissionDeniedError, match=f"A {who} cannot approve rewards"):
        await service.approve_redemption(fam.actor(getattr(fam, who)), pending.id)
    with pytest.raises(PermissionDeniedError, match=f"A {who} cannot reject rewards"):
        await service.reject_redemption(fam.actor(getattr(fam, who)), pending.id)
    assert await everything(database, fam) == before
    [still] = await service.list_redemptions(ADMIN, fam.family.id)
    assert still.status is RedemptionStatus.REQUESTED


async def test_approval_rechecks_the_balance(database: Database) -> None:
    fam = await make_family(database)
    service = PointsService(database)
    reward = await ice_cream(database, fam)
    await give(database, fam, fam.child, 60)
    pending = (
        await service.request_reward(fam.actor(fam.child), reward.id, fam.child.user_id)
    ).value
    await give(database, fam, fam.child, -30)
    before = await everything(database, fam)
    with pytest.raises(InvalidInputError) as caught:
        await service.approve_redemption(fam.actor(fam.parent), pending.id)
    assert caught.value.message.startswith(
        "Not enough points to approve “Ice cream”: it costs 50 points and Léa Martin has "
        "30 points; 20 points missing."
    )
    assert await everything(database, fam) == before
    [still] = await service.list_redemptions(ADMIN, fam.family.id)
    assert still.status is RedemptionStatus.REQUESTED


async def test_the_cost_is_fixed_when_requested(database: Database) -> None:
    fam = await make_family(database)
    service = PointsService(database)
    reward = await ice_cream(database, fam)
    await give(database, fam, fam.child, 100)
    pending = (
        await service.request_reward(fam.actor(fam.child), reward.id, fam.child.user_id)
    ).value
    await service.update_reward(fam.actor(fam.parent), reward.id, {"cost": 80})
    approved = await service.approve_redemption(fam.actor(fam.parent), pending.id)
    assert approved.value.cost == 50
    assert await balance_of(database, fam, fam.child) == 50


async def test_who_may_ask_for_a_reward(database: Database) -> None:
    fam = await make_family(database)
    hugo = await second_child(database, fam)
    service = PointsService(database)
    reward = await ice_cream(database, fam)
    await give(database, fam, fam.child, 100)
    on_behalf = await service.request_reward(fam.actor(fam.parent), reward.id, fam.child.user_id)
    assert (on_behalf.value.user_id, on_behalf.value.member_name) == (
        fam.child.user_id,
        "Léa Martin",
    )
    with pytest.raises(
        PermissionDeniedError, match="A child can only ask for rewards for themselves"
    ):
        await service.request_reward(Actor.member(hugo.user_id), reward.id, fam.child.user_id)
    with pytest.raises(PermissionDeniedError, match="A viewer cannot ask for rewards"):
        await service.request_reward(fam.actor(fam.viewer), reward.id, fam.viewer.user_id)
    with pytest.raises(InvalidInputError, match="Grand-mère is a viewer"):
        await service.request_reward(fam.actor(fam.parent), reward.id, fam.viewer.user_id)
    assert len(await service.list_redemptions(ADMIN, fam.family.id)) == 1


async def test_listing_requests_by_status_and_member(database: Database) -> None:
    fam = await make_family(database)
    hugo = await second_child(database, fam)
    service = PointsService(database)
    reward = await ice_cream(database, fam, cost=10)
    await give(database, fam, fam.child, 100)
    await give(database, fam, hugo, 100)
    first = (await service.request_reward(fam.actor(fam.child), reward.id, fam.child.user_id)).value
    await service.request_reward(fam.actor(fam.child), reward.id, fam.child.user_id)
    await service.request_reward(Actor.member(hugo.user_id), reward.id, hugo.user_id)
    await service.approve_redemption(fam.actor(fam.parent), first.id)
    everyone = await service.list_redemptions(fam.actor(fam.viewer), fam.family.id)
    assert len(everyone) == 3
    assert {r.reward_name for r in everyone} == {"Ice cream"}
    pending = await service.list_redemptions(
        fam.actor(fam.parent), fam.family.id, RedemptionStatus.REQUESTED
    )
    assert {r.member_name for r in pending} == {"Léa Martin", "Hugo Martin"}
    # A child sees only its own requests.
    own = await service.list_redemptions(Actor.member(hugo.user_id), fam.family.id)
    assert [r.user_id for r in own] == [hugo.user_id]


async def test_unknown_request_and_overlong_rejection_reason(database: Database) -> None:
    fam = await make_family(database)
    service = PointsService(database)
    with pytest.raises(NotFoundError, match="That reward request does not exist"):
        await service.approve_redemption(fam.actor(fam.parent), uuid.uuid4())
    reward = await ice_cream(database, fam)
    await give(database, fam, fam.child, 60)
    pending = (
        await service.request_reward(fam.actor(fam.child), reward.id, fam.child.user_id)
    ).value
    with pytest.raises(InvalidInputError, match="Reason: must be at most 200 characters"):
        await service.reject_redemption(fam.actor(fam.parent), pending.id, "x" * 201)
    [still] = await service.list_redemptions(ADMIN, fam.family.id)
    assert still.status is RedemptionStatus.REQUESTED


async def test_points_are_kept_per_family(database: Database) -> None:
    fam = await make_family(database)
    other = await make_family(database, "Dupont")
    await FamilyService(database).add_existing_user(
        ADMIN, other.family.id, fam.child.user_id, Role.CHILD
    )
    await give(database, fam, fam.child, 40)
    in_other = await PointsService(database).balance(ADMIN, other.family.id, fam.child.user_id)
    assert in_other.balance == 0


# ---- the rewards screen's reads ---------------------------------------------------------------


@contextmanager
def every_statement(db: Database) -> Iterator[list[str]]:
    """Every statement sent, whatever it is (a screen may spend six in all)."""
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


async def one_by_one(
    db: Database, fam: FamilyFixture, members: list[MemberRead]
) -> list[PointsBalanceRead]:
    return [await PointsService(db).balance(ADMIN, fam.family.id, m.user_id) for m in members]


async def test_balances_of_every_member_in_two_statements(database: Database) -> None:
    fam = await make_family(database)
    service = PointsService(database)
    reward = await ice_cream(database, fam, cost=30)
    await give(database, fam, fam.child, 100)
    await service.balances(ADMIN, fam.family.id)  # warm up
    with every_statement(database) as few:
        balances = await service.balances(fam.actor(fam.viewer), fam.family.id)
    members = [fam.owner, fam.parent, fam.child, fam.viewer]
    assert balances == await one_by_one(database, fam, members)
    assert [(b.user_id, b.balance) for b in balances] == [
        (fam.owner.user_id, 0),
        (fam.parent.user_id, 0),
        (fam.child.user_id, 100),
        (fam.viewer.user_id, 0),
    ]

    hugo = await second_child(database, fam)
    for n in range(1, 31):
        await give(database, fam, fam.parent if n % 3 else hugo, n)
    await service.request_reward(fam.actor(fam.child), reward.id, fam.child.user_id)
    await service.request_reward(fam.actor(fam.child), reward.id, fam.child.user_id)
    with every_statement(database) as many:
        balances = await service.balances(fam.actor(fam.owner), fam.family.id)
    assert balances == await one_by_one(database, fam, [*members, hugo])
    child = balances[2]
    assert (child.balance, child.held, child.available) == (100, 60, 40)
    assert len(few) == len(many) == 2

    assert await service.balances(fam.actor(fam.parent), fam.family.id, hugo.user_id) == [
        balances[-1]
    ]
    # A child sees its own points only.
    assert await service.balances(fam.actor(fam.child), fam.family.id) == [child]
    with pytest.raises(PermissionDeniedError, match="A child can only see their own points"):
        await service.balances(fam.actor(fam.child), fam.family.id, hugo.user_id)


async def test_balances_are_for_members_of_a_live_family(database: Database) -> None:
    fam = await make_family(database)
    stranger = (await UserService(database).create_user({"full_name": "Stranger"})).value
    service = PointsService(database)
    with pytest.raises(PermissionDeniedError, match="Only members of this family"):
        await service.balances(Actor.member(stranger.id), fam.family.id)
    with pytest.raises(NotFoundError, match="family does not exist"):
        await service.balances(fam.actor(fam.owner), uuid.uuid4())
    with pytest.raises(NotFoundError, match="family does not exist"):
        await service.overview(ADMIN, uuid.uuid4())
    # Points are kept per family: a member of two sees each family's own.
    other = await make_family(database, "Dupont")
    await FamilyService(database).add_existing_user(
        ADMIN, other.family.id, fam.child.user_id, Role.CHILD
    )
    await give(database, fam, fam.child, 40)
    in_other = await service.balances(ADMIN, other.family.id, fam.child.user_id)
    assert [b.balance for b in in_other] == [0]


async def test_overview_reads_the_rewards_screen_in_five_statements(database: Database) -> None:
    fam = await make_family(database)
    service = PointsService(database)
    parent = fam.actor(fam.parent)
    book = await ice_cream(database, fam, cost=20)
    await give(database, fam, fam.child, 50)
    await service.overview(ADMIN, fam.family.id)  # warm up
    with every_statement(database) as few:
        await service.overview(fam.actor(fam.owner), fam.family.id)

    hugo = await second_child(database, fam)
    cinema = (
        await service.create_reward(parent, fam.family.id, {"name": "Cinema", "cost": 90})
    ).value
    await service.deactivate_reward(parent, cinema.id)
    for n in range(1, 13):
        await give(database, fam, hugo if n % 2 else fam.child, n)
    mine = (await service.request_reward(fam.actor(fam.child), book.id, fam.child.user_id)).value
    await service.approve_redemption(parent, mine.id)
    await service.request_reward(Actor.member(hugo.user_id), book.id, hugo.user_id)

    with every_statement(database) as many:
        seen = await service.overview(fam.actor(fam.owner), fam.family.id, ledger_limit=5)
    assert len(few) == len(many) == 5
    assert seen.user_id is None
    assert seen.rewards == await service.list_rewards(ADMIN, fam.family.id, include_inactive=True)
    assert [r.name for r in seen.rewards] == ["Ice cream", "Cinema"]
    assert seen.requests == await service.list_redemptions(ADMIN, fam.family.id)
    assert seen.ledger == await service.ledger(ADMIN, fam.family.id, limit=5)
    assert seen.balances == await service.balances(ADMIN, fam.family.id)

    # One member (the header's filter), and a child who only ever sees its own.
    for actor, asked in ((parent, fam.child.user_id), (fam.actor(fam.child), None)):
        own = await service.overview(actor, fam.family.id, asked)
        assert own.user_id == fam.child.user_id
        assert [b.user_id for b in own.balances] == [fam.child.user_id]
        assert own.requests == [r for r in seen.requests if r.user_id == fam.child.user_id]
        assert own.ledger == await service.ledger(ADMIN, fam.family.id, fam.child.user_id)
        assert own.rewards == seen.rewards
    with pytest.raises(PermissionDeniedError, match="A child can only see their own points"):
        await service.overview(fam.actor(fam.child), fam.family.id, hugo.user_id)
    with pytest.raises(InvalidInputError, match="Limit"):
        await service.overview(ADMIN, fam.family.id, ledger_limit=0)
