"""Finding families, members and habits by name, as scripts and the command line name them.

Names match exactly but case-insensitively (and trimmed). Unknown and ambiguous names are
errors that say what was found.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar
from uuid import UUID

from sqlalchemy import select

from habitdesk.core.errors import AmbiguousNameError, NotFoundError
from habitdesk.core.models import Family, FamilyMembership, Habit, Routine, User
from habitdesk.core.schemas.people import FamilyRead, MemberRead
from habitdesk.core.services.base import Service
from habitdesk.core.services.people import member_read

T = TypeVar("T")


def _key(name: str) -> str:
    # casefold in Python: SQLite's lower() only folds ASCII, and names are in any script.
    return name.strip().casefold()


def _matching(rows: Sequence[T], name: str, key: Callable[[T], str]) -> list[T]:
    wanted = _key(name)
    return [row for row in rows if _key(key(row)) == wanted]


class LookupService(Service):
    async def family(self, name: str | None) -> FamilyRead:
        """The family called `name`; with no name, the only family there is."""
        async with self.db.read() as session:
            found = list(await session.scalars(select(Family).where(Family.deleted_at.is_(None))))
        if name is not None:
            found = _matching(found, name, lambda f: f.name)
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
                    User.deleted_at.is_(None),
                    FamilyMembership.deleted_at.is_(None),
                    Family.deleted_at.is_(None),
                )
            )
            if family_id is not None:
                query = query.where(FamilyMembership.family_id == family_id)
            rows = _matching((await session.execute(query)).all(), name, lambda r: r[0].full_name)
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
            rows = (
                await session.execute(
                    select(Habit.id, Habit.name).where(
                        Habit.user_id == member.user_id,
                        Habit.family_id == member.family_id,
                        Habit.deleted_at.is_(None),
                    )
                )
            ).all()
        ids: list[UUID] = [row.id for row in _matching(rows, name, lambda r: str(r.name))]
        if not ids:
            raise NotFoundError(f"{member.full_name} has no habit called '{name.strip()}'.")
        if len(ids) > 1:
            raise AmbiguousNameError(
                f"{member.full_name} has several habits called '{name.strip()}'."
            )
        return ids[0]

    async def routine_id(self, member: MemberRead, name: str) -> UUID:
        async with self.db.read() as session:
            rows = (
                await session.execute(
                    select(Routine.id, Routine.name).where(
                        Routine.user_id == member.user_id,
                        Routine.family_id == member.family_id,
                        Routine.deleted_at.is_(None),
                    )
                )
            ).all()
        ids: list[UUID] = [row.id for row in _matching(rows, name, lambda r: str(r.name))]
        if not ids:
            raise NotFoundError(f"{member.full_name} has no routine called '{name.strip()}'.")
        if len(ids) > 1:
            raise AmbiguousNameError(
                f"{member.full_name} has several routines called '{name.strip()}'."
            )
        return ids[0]
