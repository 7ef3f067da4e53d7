"""Finding families, members and habits by name, as scripts and the command line name them.

Names match exactly but case-insensitively (and trimmed). Unknown and ambiguous names are
errors that say what was found.
"""

from __future__ import annotations

from uuid import UUID

from sqlalchemy import func, select

from habitdesk.core.errors import AmbiguousNameError, NotFoundError
from habitdesk.core.models import Family, FamilyMembership, Habit, Routine, User
from habitdesk.core.schemas.people import FamilyRead, MemberRead
from habitdesk.core.services.base import Service
from habitdesk.core.services.people import member_read


def _key(name: str) -> str:
    return name.strip().lower()


class LookupService(Service):
    async def family(self, name: str | None) -> FamilyRead:
        """The family called `name`; with no name, the only family there is."""
        async with self.db.read() as session:
            query = select(Family).where(Family.deleted_at.is_(None))
            if name is not None:
                query = query.where(func.lower(Family.name) == _key(name))
            found = list(await session.scalars(query.limit(3)))
        if not found:
            if name is None:
                raise NotFoundError(
                    "There is no family yet.", hint="Create one: habitdesk family create NAME"
                )
            raise NotFoundError(f"No family is called '{name.strip()}'.")
        if len(found) > 1:
            if name is None:
                raise AmbiguousNameError("There are several families; choose one with --family.")
            raise AmbiguousNameError(f"Several families are called '{name.strip()}'.")
        return FamilyRead.model_validate(found[0])

    async def member(self, name: str, family_id: UUID | None = None) -> MemberRead:
        """The member called `name` (in `family_id` when given, else in any family)."""
        async with self.db.read() as session:
            query = (
                select(User, FamilyMembership)
                .join(FamilyMembership, FamilyMembership.user_id == User.id)
                .join(Family, Family.id == FamilyMembership.family_id)
                .where(
                    func.lower(User.full_name) == _key(name),
                    User.deleted_at.is_(None),
                    FamilyMembership.deleted_at.is_(None),
                    Family.deleted_at.is_(None),
                )
                .limit(3)
            )
            if family_id is not None:
                query = query.where(FamilyMembership.family_id == family_id)
            rows = (await session.execute(query)).all()
        if not rows:
            where = " in this family" if family_id is not None else ""
            raise NotFoundError(f"No member is called '{name.strip()}'{where}.")
        if len(rows) > 1:
            raise AmbiguousNameError(
                f"Several members are called '{name.strip()}'; choose the family with --family."
            )
        user, membership = rows[0]
        return member_read(user, membership)

    async def habit_id(self, member: MemberRead, name: str) -> UUID:
        async with self.db.read() as session:
            ids = list(
                await session.scalars(
                    select(Habit.id)
                    .where(
                        Habit.user_id == member.user_id,
                        Habit.family_id == member.family_id,
                        func.lower(Habit.name) == _key(name),
                        Habit.deleted_at.is_(None),
                    )
                    .limit(3)
                )
            )
        if not ids:
            raise NotFoundError(f"{member.full_name} has no habit called '{name.strip()}'.")
        if len(ids) > 1:
            raise AmbiguousNameError(
                f"{member.full_name} has several habits called '{name.strip()}'."
            )
        return ids[0]

    async def routine_id(self, member: MemberRead, name: str) -> UUID:
        async with self.db.read() as session:
            ids = list(
                await session.scalars(
                    select(Routine.id)
                    .where(
                        Routine.user_id == member.user_id,
                        Routine.family_id == member.family_id,
                        func.lower(Routine.name) == _key(name),
                        Routine.deleted_at.is_(None),
                    )
                    .limit(3)
                )
            )
        if not ids:
            raise NotFoundError(f"{member.full_name} has no routine called '{name.strip()}'.")
        if len(ids) > 1:
            raise AmbiguousNameError(
                f"{member.full_name} has several routines called '{name.strip()}'."
            )
        return ids[0]
