"""What every service shares: who is acting, role checks, lookups that raise domain errors."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from uuid import UUID

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from habitdesk.core.changes import Changes
from habitdesk.core.db.database import Database
from habitdesk.core.errors import ConflictError, NotFoundError, PermissionDeniedError
from habitdesk.core.models import Family, FamilyMembership
from habitdesk.core.models.base import Entity
from habitdesk.core.models.enums import Role
from habitdesk.core.schemas.common import Schema, invalid_input

T = TypeVar("T")
S = TypeVar("S", bound=Schema)
E = TypeVar("E", bound=Entity)

EDITORS = frozenset({Role.OWNER, Role.PARENT})
READERS = frozenset(Role)


@dataclass(frozen=True)
class Actor:
    """Who performs an operation.

    `user_id` is a family member acting through the app. `system` is the local administrator
    (command-line automation run by whoever holds the database credentials): it may do
    everything an owner may.
    """

    user_id: UUID | None = None
    system: bool = False

    @classmethod
    def member(cls, user_id: UUID) -> Actor:
        return cls(user_id=user_id)

    @classmethod
    def local_admin(cls) -> Actor:
        return cls(system=True)


@dataclass(frozen=True)
class Result(Generic[T]):
    """A service's answer: the read-model and which kinds of data changed."""

    value: T
    changes: Changes


class Service:
    def __init__(self, database: Database) -> None:
        self.db = database


def parse(schema: type[S], data: S | dict[str, Any]) -> S:
    """Accept a schema instance or plain data; invalid data becomes an InvalidInputError."""
    if isinstance(data, schema):
        return data
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        raise invalid_input(exc) from None


async def role_in(session: AsyncSession, actor: Actor, family_id: UUID) -> Role | None:
    if actor.system:
        return Role.OWNER
    if actor.user_id is None:
        return None
    return await session.scalar(
        select(FamilyMembership.role).where(
            FamilyMembership.family_id == family_id,
            FamilyMembership.user_id == actor.user_id,
            FamilyMembership.deleted_at.is_(None),
        )
    )


async def require_role(
    session: AsyncSession, actor: Actor, family_id: UUID, allowed: Iterable[Role], doing: str
) -> Role:
    role = await role_in(session, actor, family_id)
    if role is None:
        raise PermissionDeniedError(f"Only members of this family can {doing}.")
    if role not in set(allowed):
        names = " or ".join(sorted(r.value for r in allowed))
        raise PermissionDeniedError(f"A {role.value} cannot {doing}; ask a {names}.")
    return role


async def family_and_role(
    session: AsyncSession, actor: Actor, family_id: UUID, allowed: Iterable[Role], doing: str
) -> tuple[Family, Role]:
    """`get_live(…, Family, …)` then `require_role(…)` in one statement: the family, and the
    actor's role in it, which must be one of `allowed`.

    For reads that must show their data with a handful of statements (a screen switch); the
    errors and messages are those of the two calls, in the same order.
    """
    if actor.system:
        return await get_live(session, Family, family_id, "family"), Role.OWNER
    role_query = (
        select(FamilyMembership.role)
        .where(
            FamilyMembership.family_id == family_id,
            FamilyMembership.user_id == actor.user_id,
            FamilyMembership.deleted_at.is_(None),
        )
        .scalar_subquery()
    )
    row = (await session.execute(select(Family, role_query).where(Family.id == family_id))).first()
    if row is None or row[0].deleted_at is not None:
        raise NotFoundError("That family does not exist (it may have been removed).")
    family, role = row
    # No user means no membership: the subquery finds nothing, as `role_in` would say.
    if actor.user_id is None or role is None:
        raise PermissionDeniedError(f"Only members of this family can {doing}.")
    if role not in set(allowed):
        names = " or ".join(sorted(r.value for r in allowed))
        raise PermissionDeniedError(f"A {role.value} cannot {doing}; ask a {names}.")
    return family, role


async def require_editor(session: AsyncSession, actor: Actor, family_id: UUID, doing: str) -> Role:
    return await require_role(session, actor, family_id, EDITORS, doing)


async def require_self_or_editor(
    session: AsyncSession, actor: Actor, family_id: UUID, member_user_id: UUID, doing: str
) -> Role:
    """Owners and parents may act for anyone; a child only for itself; a viewer never."""
    role = await require_role(session, actor, family_id, READERS, doing)
    if role in EDITORS:
        return role
    if role is Role.CHILD and actor.user_id == member_user_id:
        return role
    if role is Role.CHILD:
        raise PermissionDeniedError(f"A child can only {doing} for themselves.")
    raise PermissionDeniedError(f"A viewer cannot {doing}; viewers only read.")


async def get_live(session: AsyncSession, model: type[E], id_: UUID, what: str) -> E:
    """A row that exists and is not soft-deleted, else NotFoundError naming `what`."""
    row = await session.get(model, id_)
    if row is None or getattr(row, "deleted_at", None) is not None:
        raise NotFoundError(f"That {what} does not exist (it may have been removed).")
    return row


def check_version(row: Any, expected: int | None, what: str) -> None:
    """Optimistic concurrency: the caller read version N; refuse if the row moved on."""
    if expected is not None and row.version != expected:
        raise ConflictError(
            f"Someone else changed this {what} while you were editing it.",
            hint="Reload to see their change, then apply yours again.",
        )
