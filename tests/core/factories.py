"""Small builders for tests: a family with an owner, a parent, a child and a viewer."""

from __future__ import annotations

from dataclasses import dataclass

from habitdesk.core.db.database import Database
from habitdesk.core.models.enums import Role
from habitdesk.core.schemas.people import FamilyRead, MemberRead
from habitdesk.core.services.base import Actor
from habitdesk.core.services.people import FamilyService


@dataclass
class FamilyFixture:
    family: FamilyRead
    owner: MemberRead
    parent: MemberRead
    child: MemberRead
    viewer: MemberRead

    def actor(self, who: MemberRead) -> Actor:
        return Actor.member(who.user_id)


async def make_family(db: Database, name: str = "Martin") -> FamilyFixture:
    families = FamilyService(db)
    created = await families.create_family(
        {"name": name, "time_zone": "Europe/Paris"}, {"full_name": "Claire Martin"}
    )
    family = created.value
    admin = Actor.local_admin()
    owner = (await families.list_members(admin, family.id))[0]
    parent = (
        await families.add_member(
            admin, family.id, {"user": {"full_name": "Paul Martin"}, "role": Role.PARENT}
        )
    ).value
    child = (
        await families.add_member(
            admin, family.id, {"user": {"full_name": "Léa Martin"}, "role": Role.CHILD}
        )
    ).value
    viewer = (
        await families.add_member(
            admin, family.id, {"user": {"full_name": "Grand-mère"}, "role": Role.VIEWER}
        )
    ).value
    return FamilyFixture(family, owner, parent, child, viewer)
