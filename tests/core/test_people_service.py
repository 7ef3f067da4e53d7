"""Users, families and memberships, on every backend."""

from __future__ import annotations

import uuid

import pytest

from habitdesk.core.changes import Kind
from habitdesk.core.db.database import Database
from habitdesk.core.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from habitdesk.core.models.enums import Role
from habitdesk.core.services.base import Actor
from habitdesk.core.services.people import FamilyService, UserService
from tests.core.factories import make_family


async def test_create_user_trims_name_and_lowercases_email(database: Database) -> None:
    result = await UserService(database).create_user(
        {"full_name": "  Zoë 🦄 Dupont ", "email": "Zoe@Example.COM"}
    )
    assert result.value.full_name == "Zoë 🦄 Dupont"
    assert result.value.email == "zoe@example.com"
    assert Kind.USERS in result.changes.kinds
    again = await UserService(database).get_user(result.value.id)
    assert again == result.value


async def test_email_is_unique_case_insensitively(database: Database) -> None:
    users = UserService(database)
    await users.create_user({"full_name": "A", "email": "a@example.com"})
    with pytest.raises(InvalidInputError, match=r"E-mail: a@example.com is already used"):
        await users.create_user({"full_name": "B", "email": "A@EXAMPLE.com"})


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"full_name": "   "}, "Name: must not be empty"),
        ({"full_name": "x" * 101}, "Name: must be at most 100 characters (it has 101)"),
        ({"full_name": "Bob", "email": "bob@"}, "E-mail: value is not a valid email address"),
        ({"full_name": "Bob", "colour": "red"}, "Colour: must be a colour like #4C7BD9"),
        (
            {"full_name": "Bob", "time_zone": "Europe/Atlantis"},
            "Time zone: 'Europe/Atlantis' is not a known time zone",
        ),
    ],
)
async def test_bad_user_input_is_refused_with_field_and_reason(
    database: Database, data: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidInputError) as caught:
        await UserService(database).create_user(data)
    assert message in caught.value.message


async def test_family_is_created_with_its_owner_atomically(database: Database) -> None:
    families = FamilyService(database)
    result = await families.create_family(
        {"name": " Martin ", "time_zone": "Europe/Paris", "day_start_hour": 3},
        {"full_name": "Claire"},
    )
    assert result.value.name == "Martin"
    assert result.value.day_start_hour == 3
    members = await families.list_members(Actor.local_admin(), result.value.id)
    assert [(m.full_name, m.role) for m in members] == [("Claire", Role.OWNER)]
    user_families = await UserService(database).get_user_families(members[0].user_id)
    assert [(f.family.name, f.role) for f in user_families] == [("Martin", Role.OWNER)]


async def test_failed_family_creation_leaves_nothing_behind(database: Database) -> None:
    users = UserService(database)
    await users.create_user({"full_name": "Taken", "email": "taken@example.com"})
    families = FamilyService(database)
    with pytest.raises(InvalidInputError):
        await families.create_family(
            {"name": "Martin"}, {"full_name": "Claire", "email": "taken@example.com"}
        )
    assert await families.list_families() == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"name": "M", "day_start_hour": 5},
            "Day-start hour: Input should be less than or equal to 4",
        ),
        ({"name": "M", "time_zone": "Nowhere"}, "Time zone: 'Nowhere' is not a known time zone"),
        ({"name": ""}, "Name: must not be empty"),
    ],
)
async def test_bad_family_input_changes_nothing(
    database: Database, data: dict[str, object], message: str
) -> None:
    families = FamilyService(database)
    with pytest.raises(InvalidInputError) as caught:
        await families.create_family(data, {"full_name": "Claire"})
    assert message in caught.value.message
    assert await families.list_families() == []


async def test_a_user_may_belong_to_several_families(database: Database) -> None:
    families = FamilyService(database)
    first = (await families.create_family({"name": "Martin"}, {"full_name": "Claire"})).value
    owner = (await families.list_members(Actor.local_admin(), first.id))[0]
    second = (await families.create_family({"name": "Dupont"}, owner.user_id)).value
    names = [f.family.name for f in await UserService(database).get_user_families(owner.user_id)]
    assert names == ["Dupont", "Martin"]
    assert second.id != first.id


async def test_members_added_in_order_with_roles(database: Database) -> None:
    fam = await make_family(database)
    members = await FamilyService(database).list_members(fam.actor(fam.viewer), fam.family.id)
    assert [(m.full_name, m.role) for m in members] == [
        ("Claire Martin", Role.OWNER),
        ("Paul Martin", Role.PARENT),
        ("Léa Martin", Role.CHILD),
        ("Grand-mère", Role.VIEWER),
    ]


@pytest.mark.parametrize("who", ["child", "viewer"])
async def test_children_and_viewers_cannot_add_members(database: Database, who: str) -> None:
    fam = await make_family(database)
    with pytest.raises(PermissionDeniedError, match=f"A {who} cannot add members"):
        await FamilyService(database).add_member(
            fam.actor(getattr(fam, who)),
            fam.family.id,
            {"user": {"full_name": "Intruder"}, "role": Role.CHILD},
        )
    assert len(await FamilyService(database).list_members(Actor.local_admin(), fam.family.id)) == 4


async def test_outsider_cannot_see_a_family(database: Database) -> None:
    fam = await make_family(database)
    outsider = (await UserService(database).create_user({"full_name": "Stranger"})).value
    with pytest.raises(PermissionDeniedError, match="Only members of this family"):
        await FamilyService(database).list_members(Actor.member(outsider.id), fam.family.id)


async def test_parent_cannot_make_an_owner_but_owner_can(database: Database) -> None:
    fam = await make_family(database)
    families = FamilyService(database)
    with pytest.raises(PermissionDeniedError, match="Only an owner"):
        await families.update_member(
            fam.actor(fam.parent), fam.child.membership_id, {"role": "owner"}
        )
    updated = await families.update_member(
        fam.actor(fam.owner), fam.parent.membership_id, {"role": "owner"}
    )
    assert updated.value.role is Role.OWNER


async def test_last_owner_cannot_be_removed_or_demoted(database: Database) -> None:
    fam = await make_family(database)
    families = FamilyService(database)
    with pytest.raises(InvalidInputError, match="at least one owner"):
        await families.remove_member(fam.actor(fam.owner), fam.owner.membership_id)
    with pytest.raises(InvalidInputError, match="at least one owner"):
        await families.update_member(
            fam.actor(fam.owner), fam.owner.membership_id, {"role": "parent"}
        )


async def test_removed_member_is_soft_deleted_and_can_rejoin(database: Database) -> None:
    fam = await make_family(database)
    families = FamilyService(database)
    await families.remove_member(fam.actor(fam.parent), fam.child.membership_id)
    names = [m.full_name for m in await families.list_members(Actor.local_admin(), fam.family.id)]
    assert "Léa Martin" not in names
    with pytest.raises(NotFoundError):
        await families.remove_member(fam.actor(fam.parent), fam.child.membership_id)
    back = await families.add_existing_user(
        fam.actor(fam.owner), fam.family.id, fam.child.user_id, Role.CHILD
    )
    assert back.value.membership_id == fam.child.membership_id


async def test_concurrent_edit_is_a_conflict_not_an_overwrite(database: Database) -> None:
    fam = await make_family(database)
    families = FamilyService(database)
    first = await families.update_family(
        fam.actor(fam.owner),
        fam.family.id,
        {"name": "Martin-Durand", "expected_version": fam.family.version},
    )
    assert first.value.version == fam.family.version + 1
    with pytest.raises(ConflictError, match="Someone else changed this family"):
        await families.update_family(
            fam.actor(fam.parent),
            fam.family.id,
            {"name": "Durand", "expected_version": fam.family.version},
        )
    assert (await families.get_family(fam.family.id)).name == "Martin-Durand"


async def test_unknown_ids_are_not_found(database: Database) -> None:
    with pytest.raises(NotFoundError, match="That person does not exist"):
        await UserService(database).get_user(uuid.uuid4())
    with pytest.raises(NotFoundError, match="That family does not exist"):
        await FamilyService(database).get_family(uuid.uuid4())


async def test_member_details_and_role_change_in_one_transaction(database: Database) -> None:
    fam = await make_family(database)
    families = FamilyService(database)
    result = await families.update_member_details(
        fam.actor(fam.parent),
        fam.child.membership_id,
        {"full_name": "Léa M.", "colour": "#e0674b", "avatar_emoji": "🦄", "email": None},
        {"role": "viewer", "expected_version": fam.child.version},
    )
    assert (result.value.full_name, result.value.colour, result.value.avatar_emoji) == (
        "Léa M.",
        "#E0674B",
        "🦄",
    )
    assert result.value.role is Role.VIEWER
    assert result.value.version == fam.child.version + 1
    assert {Kind.MEMBERS, Kind.USERS} <= result.changes.kinds
    members = await families.list_members(Actor.local_admin(), fam.family.id)
    assert result.value in members


async def test_member_details_edit_of_person_only_still_bumps_the_member_version(
    database: Database,
) -> None:
    fam = await make_family(database)
    families = FamilyService(database)
    first = await families.update_member_details(
        fam.actor(fam.owner),
        fam.child.membership_id,
        {"avatar_emoji": "🐢"},
        {"expected_version": fam.child.version},
    )
    assert first.value.version == fam.child.version + 1
    with pytest.raises(ConflictError, match="Someone else changed this member"):
        await families.update_member_details(
            fam.actor(fam.parent),
            fam.child.membership_id,
            {"avatar_emoji": "🦊"},
            {"expected_version": fam.child.version},
        )
    members = await families.list_members(Actor.local_admin(), fam.family.id)
    assert next(m for m in members if m.user_id == fam.child.user_id).avatar_emoji == "🐢"


async def test_member_details_unchanged_reports_no_changes(database: Database) -> None:
    fam = await make_family(database)
    result = await FamilyService(database).update_member_details(
        fam.actor(fam.owner), fam.child.membership_id, {"full_name": "Léa Martin"}
    )
    assert not result.changes
    assert result.value.version == fam.child.version


@pytest.mark.parametrize("who", ["child", "viewer"])
async def test_children_and_viewers_cannot_edit_member_details(
    database: Database, who: str
) -> None:
    fam = await make_family(database)
    with pytest.raises(PermissionDeniedError, match=f"A {who} cannot edit members"):
        await FamilyService(database).update_member_details(
            fam.actor(getattr(fam, who)), fam.child.membership_id, {"avatar_emoji": "💩"}
        )


async def test_bad_member_details_change_nothing(database: Database) -> None:
    fam = await make_family(database)
    families = FamilyService(database)
    await UserService(database).create_user({"full_name": "Other", "email": "taken@example.com"})
    cases = [
        ({"email": "lea@"}, None, "E-mail: value is not a valid email address"),
        ({"email": "Taken@example.com"}, None, "E-mail: taken@example.com is already used"),
        ({"full_name": None}, None, "Name: must not be empty"),
        ({"birth_date": "2999-01-01"}, None, "Birth date: cannot be in the future"),
        ({"full_name": "X"}, {"role": "owner"}, "Only an owner can make or unmake an owner"),
    ]
    for person, member, message in cases:
        with pytest.raises((InvalidInputError, PermissionDeniedError)) as caught:
            await families.update_member_details(
                fam.actor(fam.parent), fam.child.membership_id, person, member
            )
        assert message in caught.value.message
    members = await families.list_members(Actor.local_admin(), fam.family.id)
    assert fam.child in members


async def test_member_details_cannot_demote_the_last_owner(database: Database) -> None:
    fam = await make_family(database)
    with pytest.raises(InvalidInputError, match="at least one owner"):
        await FamilyService(database).update_member_details(
            fam.actor(fam.owner),
            fam.owner.membership_id,
            {"full_name": "Claire"},
            {"role": "parent"},
        )
    members = await FamilyService(database).list_members(Actor.local_admin(), fam.family.id)
    assert fam.owner in members
