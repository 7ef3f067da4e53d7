"""Users, families and memberships."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from habitdesk.core.changes import Changes, Kind
from habitdesk.core.errors import InvalidInputError, NotFoundError, PermissionDeniedError
from habitdesk.core.models import Family, FamilyMembership, User
from habitdesk.core.models.base import utcnow
from habitdesk.core.models.enums import Role
from habitdesk.core.schemas.people import (
    FamilyCreate,
    FamilyRead,
    FamilyUpdate,
    MemberAdd,
    MemberRead,
    MemberUpdate,
    UserCreate,
    UserFamilyRead,
    UserRead,
    UserUpdate,
)
from habitdesk.core.services.base import (
    READERS,
    Actor,
    Result,
    Service,
    check_version,
    get_live,
    parse,
    require_editor,
    require_role,
)

# Distinct, readable member colours, used in order when a new member has none of their own.
MEMBER_PALETTE = (
    "#4C7BD9",
    "#E0674B",
    "#3FA66B",
    "#9B59B6",
    "#E6A23C",
    "#1ABC9C",
    "#D9487D",
    "#7F8C8D",
)


def member_read(user: User, membership: FamilyMembership) -> MemberRead:
    return MemberRead(
        membership_id=membership.id,
        user_id=user.id,
        family_id=membership.family_id,
        full_name=user.full_name,
        email=user.email,
        colour=user.colour,
        avatar_emoji=user.avatar_emoji,
        birth_date=user.birth_date,
        role=membership.role,
        position=membership.position,
        version=membership.version,
    )


def live_members(family_id: UUID, *columns: Any) -> Select[Any]:
    """`columns` of the family's live members (neither the membership nor the person deleted),
    in the family's order; callers add their own filters and columns to the one statement."""
    return (
        select(*columns)
        .select_from(FamilyMembership)
        .join(User, User.id == FamilyMembership.user_id)
        .where(
            FamilyMembership.family_id == family_id,
            FamilyMembership.deleted_at.is_(None),
            User.deleted_at.is_(None),
        )
        .order_by(FamilyMembership.position, FamilyMembership.created_at)
    )


async def family_member_reads(session: AsyncSession, family_id: UUID) -> list[MemberRead]:
    """The family's live members in the family's order: one statement."""
    rows = await session.execute(live_members(family_id, User, FamilyMembership))
    return [member_read(user, membership) for user, membership in rows.all()]


async def _ensure_email_free(
    session: AsyncSession, email: str | None, except_id: UUID | None = None
) -> None:
    if email is None:
        return
    query = select(User.id).where(User.email == email)
    if except_id is not None:
        query = query.where(User.id != except_id)
    if await session.scalar(query) is not None:
        raise InvalidInputError(f"E-mail: {email} is already used by another person.")


class UserService(Service):
    async def create_user(self, data: UserCreate | dict[str, object]) -> Result[UserRead]:
        data = parse(UserCreate, data)
        async with self.db.transaction() as session:
            await _ensure_email_free(session, data.email)
            user = User(**data.model_dump())
            session.add(user)
            await session.flush()
            return Result(UserRead.model_validate(user), Changes.of(Kind.USERS))

    async def get_user(self, user_id: UUID) -> UserRead:
        async with self.db.read() as session:
            return UserRead.model_validate(await get_live(session, User, user_id, "person"))

    async def update_user(
        self, actor: Actor, user_id: UUID, data: UserUpdate | dict[str, object]
    ) -> Result[UserRead]:
        data = parse(UserUpdate, data)
        async with self.db.transaction() as session:
            user = await get_live(session, User, user_id, "person")
            await self._require_may_edit_user(session, actor, user)
            check_version(user, data.expected_version, "person")
            values = data.model_dump(exclude_unset=True, exclude={"expected_version"})
            if "full_name" in values and values["full_name"] is None:
                raise InvalidInputError("Name: must not be empty")
            if values.get("email"):
                await _ensure_email_free(session, values["email"], except_id=user.id)
            for key, value in values.items():
                setattr(user, key, value)
            await session.flush()
            return Result(UserRead.model_validate(user), Changes.of(Kind.USERS, Kind.MEMBERS))

    async def get_user_families(self, user_id: UUID) -> list[UserFamilyRead]:
        """Every family the user belongs to, with their role (memberships eager-loaded)."""
        async with self.db.read() as session:
            user = await session.scalar(
                select(User)
                .where(User.id == user_id, User.deleted_at.is_(None))
                .options(
                    selectinload(User.family_memberships).selectinload(FamilyMembership.family)
                )
            )
            if user is None:
                raise NotFoundError("That person does not exist (they may have been removed).")
            return [
                UserFamilyRead(family=FamilyRead.model_validate(m.family), role=m.role)
                for m in sorted(user.family_memberships, key=lambda m: m.family.name.lower())
                if m.deleted_at is None and m.family.deleted_at is None
            ]

    async def _require_may_edit_user(self, session: AsyncSession, actor: Actor, user: User) -> None:
        """A person may edit themselves; owners and parents may edit members of their families."""
        if actor.system or actor.user_id == user.id:
            return
        families = await session.scalars(
            select(FamilyMembership.family_id).where(
                FamilyMembership.user_id == user.id, FamilyMembership.deleted_at.is_(None)
            )
        )
        for family_id in families:
            try:
                await require_editor(session, actor, family_id, "edit this person")
                return
            except PermissionDeniedError:
                continue
        raise PermissionDeniedError("Only the person themselves or their parents can edit them.")


class FamilyService(Service):
    async def create_family(
        self, data: FamilyCreate | dict[str, object], owner: UserCreate | dict[str, object] | UUID
    ) -> Result[FamilyRead]:
        """A family and its owner's membership, atomically. `owner` is a new person or a user id."""
        data = parse(FamilyCreate, data)
        async with self.db.transaction() as session:
            if isinstance(owner, UUID):
                owner_user = await get_live(session, User, owner, "person")
            else:
                owner_data = parse(UserCreate, owner)
                await _ensure_email_free(session, owner_data.email)
                owner_user = User(**owner_data.model_dump())
                session.add(owner_user)
            family = Family(**data.model_dump())
            session.add(family)
            await session.flush()
            session.add(
                FamilyMembership(user_id=owner_user.id, family_id=family.id, role=Role.OWNER)
            )
            await session.flush()
            return Result(
                FamilyRead.model_validate(family),
                Changes.of(Kind.FAMILIES, Kind.MEMBERS, Kind.USERS, family_id=family.id),
            )

    async def create_empty_family(
        self, data: FamilyCreate | dict[str, object]
    ) -> Result[FamilyRead]:
        """A family with no members yet, for command-line set-up by the local administrator."""
        data = parse(FamilyCreate, data)
        async with self.db.transaction() as session:
            family = Family(**data.model_dump())
            session.add(family)
            await session.flush()
            return Result(
                FamilyRead.model_validate(family), Changes.of(Kind.FAMILIES, family_id=family.id)
            )

    async def list_families(self) -> list[FamilyRead]:
        async with self.db.read() as session:
            rows = await session.scalars(
                select(Family)
                .where(Family.deleted_at.is_(None))
                .order_by(func.lower(Family.name), Family.created_at)
            )
            return [FamilyRead.model_validate(f) for f in rows]

    async def get_family(self, family_id: UUID) -> FamilyRead:
        async with self.db.read() as session:
            return FamilyRead.model_validate(await get_live(session, Family, family_id, "family"))

    async def update_family(
        self, actor: Actor, family_id: UUID, data: FamilyUpdate | dict[str, object]
    ) -> Result[FamilyRead]:
        data = parse(FamilyUpdate, data)
        async with self.db.transaction() as session:
            family = await get_live(session, Family, family_id, "family")
            await require_editor(session, actor, family_id, "change the family's settings")
            check_version(family, data.expected_version, "family")
            for key, value in data.model_dump(
                exclude_unset=True, exclude={"expected_version"}
            ).items():
                if value is None:
                    raise InvalidInputError(
                        f"{key.replace('_', ' ').capitalize()}: must not be empty"
                    )
                setattr(family, key, value)
            await session.flush()
            return Result(
                FamilyRead.model_validate(family), Changes.of(Kind.FAMILIES, family_id=family_id)
            )

    async def list_members(self, actor: Actor, family_id: UUID) -> list[MemberRead]:
        async with self.db.read() as session:
            await get_live(session, Family, family_id, "family")
            await require_role(session, actor, family_id, READERS, "see this family")
            return await family_member_reads(session, family_id)

    async def add_member(
        self, actor: Actor, family_id: UUID, data: MemberAdd | dict[str, object]
    ) -> Result[MemberRead]:
        data = parse(MemberAdd, data)
        async with self.db.transaction() as session:
            await get_live(session, Family, family_id, "family")
            role = await require_editor(session, actor, family_id, "add members")
            if data.role is Role.OWNER and role is not Role.OWNER:
                raise PermissionDeniedError("Only an owner can add another owner.")
            await _ensure_email_free(session, data.user.email)
            user = User(**data.user.model_dump())
            position = await session.scalar(
                select(func.coalesce(func.max(FamilyMembership.position), -1) + 1).where(
                    FamilyMembership.family_id == family_id
                )
            )
            if "colour" not in data.user.model_fields_set:
                user.colour = MEMBER_PALETTE[(position or 0) % len(MEMBER_PALETTE)]
            session.add(user)
            membership = FamilyMembership(
                user=user, family_id=family_id, role=data.role, position=position or 0
            )
            session.add(membership)
            await session.flush()
            return Result(
                member_read(user, membership),
                Changes.of(Kind.MEMBERS, Kind.USERS, family_id=family_id),
            )

    async def add_existing_user(
        self, actor: Actor, family_id: UUID, user_id: UUID, role: Role
    ) -> Result[MemberRead]:
        """A person already known (e.g. a grandparent in another family) joins this one."""
        async with self.db.transaction() as session:
            await get_live(session, Family, family_id, "family")
            actor_role = await require_editor(session, actor, family_id, "add members")
            if role is Role.OWNER and actor_role is not Role.OWNER:
                raise PermissionDeniedError("Only an owner can add another owner.")
            user = await get_live(session, User, user_id, "person")
            membership = await session.scalar(
                select(FamilyMembership).where(
                    FamilyMembership.family_id == family_id, FamilyMembership.user_id == user_id
                )
            )
            if membership is not None and membership.deleted_at is None:
                raise InvalidInputError(f"{user.full_name} is already a member of this family.")
            if membership is None:
                membership = FamilyMembership(user_id=user_id, family_id=family_id, role=role)
                session.add(membership)
            else:
                membership.restore()
                membership.role = role
            await session.flush()
            return Result(
                member_read(user, membership), Changes.of(Kind.MEMBERS, family_id=family_id)
            )

    async def update_member(
        self, actor: Actor, membership_id: UUID, data: MemberUpdate | dict[str, object]
    ) -> Result[MemberRead]:
        data = parse(MemberUpdate, data)
        async with self.db.transaction() as session:
            membership = await get_live(session, FamilyMembership, membership_id, "member")
            actor_role = await require_editor(session, actor, membership.family_id, "change roles")
            check_version(membership, data.expected_version, "member")
            if data.role is not None and data.role != membership.role:
                await self._change_role(session, membership, data.role, actor_role)
            user = await get_live(session, User, membership.user_id, "person")
            await session.flush()
            return Result(
                member_read(user, membership),
                Changes.of(Kind.MEMBERS, family_id=membership.family_id),
            )

    async def update_member_details(
        self,
        actor: Actor,
        membership_id: UUID,
        person: UserUpdate | dict[str, object],
        member: MemberUpdate | dict[str, object] | None = None,
    ) -> Result[MemberRead]:
        """Edit a member as the family screen does: person fields and role in one transaction.

        Owners and parents of the membership's family may do it (a child editing themselves
        goes through `UserService.update_user`). `member.expected_version` is the version of
        the membership (`MemberRead.version`); every change here bumps it, even one that only
        touches the person, so a second parent saving from a stale copy gets a ConflictError
        instead of overwriting. `person.expected_version`, when given, is checked against the
        person's own version too.
        """
        person = parse(UserUpdate, person)
        member = parse(MemberUpdate, member or {})
        async with self.db.transaction() as session:
            membership = await get_live(session, FamilyMembership, membership_id, "member")
            actor_role = await require_editor(session, actor, membership.family_id, "edit members")
            check_version(membership, member.expected_version, "member")
            user = await get_live(session, User, membership.user_id, "person")
            check_version(user, person.expected_version, "person")
            values = person.model_dump(exclude_unset=True, exclude={"expected_version"})
            for key, label in (("full_name", "Name"), ("colour", "Colour")):
                if key in values and values[key] is None:
                    raise InvalidInputError(f"{label}: must not be empty")
            born = values.get("birth_date")
            if born is not None and born > date.today():
                raise InvalidInputError("Birth date: cannot be in the future")
            if values.get("email"):
                await _ensure_email_free(session, values["email"], except_id=user.id)
            changed = False
            for key, value in values.items():
                if getattr(user, key) != value:
                    setattr(user, key, value)
                    changed = True
            if member.role is not None and member.role != membership.role:
                await self._change_role(session, membership, member.role, actor_role)
                changed = True
            if changed:
                # Touching the membership bumps its version: MemberRead.version covers both rows.
                membership.updated_at = utcnow()
            await session.flush()
            return Result(
                member_read(user, membership),
                Changes.of(Kind.MEMBERS, Kind.USERS, family_id=membership.family_id)
                if changed
                else Changes(),
            )

    async def _change_role(
        self, session: AsyncSession, membership: FamilyMembership, role: Role, actor_role: Role
    ) -> None:
        if Role.OWNER in (role, membership.role) and actor_role is not Role.OWNER:
            raise PermissionDeniedError("Only an owner can make or unmake an owner.")
        if membership.role is Role.OWNER:
            await self._ensure_another_owner(session, membership)
        membership.role = role

    async def remove_member(self, actor: Actor, membership_id: UUID) -> Result[None]:
        async with self.db.transaction() as session:
            membership = await get_live(session, FamilyMembership, membership_id, "member")
            actor_role = await require_editor(
                session, actor, membership.family_id, "remove members"
            )
            if membership.role is Role.OWNER:
                if actor_role is not Role.OWNER:
                    raise PermissionDeniedError("Only an owner can remove an owner.")
                await self._ensure_another_owner(session, membership)
            membership.soft_delete()
            await session.flush()
            return Result(None, Changes.of(Kind.MEMBERS, family_id=membership.family_id))

    @staticmethod
    async def _ensure_another_owner(session: AsyncSession, membership: FamilyMembership) -> None:
        others = await session.scalar(
            select(func.count()).where(
                FamilyMembership.family_id == membership.family_id,
                FamilyMembership.role == Role.OWNER,
                FamilyMembership.deleted_at.is_(None),
                FamilyMembership.id != membership.id,
            )
        )
        if not others:
            raise InvalidInputError(
                "A family needs at least one owner; make someone else owner first."
            )
