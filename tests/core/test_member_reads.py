"""Every reader of "the family's live members" (members list, Today, History, points) answers
with the same people in the same order, on every backend."""

from __future__ import annotations

from habitdesk.core.db.database import Database
from habitdesk.core.services.history_reads import read_members
from habitdesk.core.services.people import FamilyService
from habitdesk.core.services.points import PointsService
from habitdesk.core.services.today import DOERS, TodayService
from tests.core.factories import make_family


async def test_every_member_reader_agrees_on_who_and_in_what_order(database: Database) -> None:
    fam = await make_family(database)
    families = FamilyService(database)
    owner = fam.actor(fam.owner)
    await families.remove_member(owner, fam.parent.membership_id)
    late = (
        await families.add_member(
            owner, fam.family.id, {"user": {"full_name": "Tom"}, "role": "child"}
        )
    ).value

    listed = await families.list_members(owner, fam.family.id)
    expected = [fam.owner.user_id, fam.child.user_id, fam.viewer.user_id, late.user_id]
    assert [m.user_id for m in listed] == expected

    balances = await PointsService(database).balances(owner, fam.family.id)
    assert [b.user_id for b in balances] == expected

    async with database.read() as session:
        history_members = await read_members(session, fam.family.id, None)
        one = await read_members(session, fam.family.id, fam.child.user_id)
    assert list(history_members) == expected
    assert list(one) == [fam.child.user_id]

    day = await TodayService(database).day_overview(owner, fam.family.id)
    doers = [m.user_id for m in listed if m.role in DOERS]
    assert [m.member.user_id for m in day.members] == doers
