"""Balances are summed through the ledger's member index, never through the family's: in a
one-family file "the family's lines" is the whole ledger, once per member (the Rewards screen's
read went from ≈27 to ≈140 ms on the 5-year demo when SQLite took the (family_id, created_at)
index added for the weekly report).

SQLite only: without statistics its planner chooses by the query's shape alone, which is what
this guards; PostgreSQL chooses by the tables' sizes.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import event

from habitdesk.core.db.database import Database
from habitdesk.core.services.base import Actor
from habitdesk.core.services.points import PointsService
from tests.core.factories import FamilyFixture
from tests.core.test_stats_service import fam as fam  # the same family fixture

ADMIN = Actor.local_admin()


async def ledger_plans(db: Database, read: Callable[[], Awaitable[Any]]) -> list[str]:
    """The plan steps on points_entries of every statement `read` runs."""
    seen: list[tuple[str, Any]] = []

    def note(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if "points_entries" in statement and "sum(" in statement.lower():
            seen.append((statement, parameters))

    event.listen(db.engine.sync_engine, "before_cursor_execute", note)
    try:
        await read()
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", note)
    assert seen, "no balance was summed"
    steps = []
    async with db.engine.connect() as conn:
        for statement, parameters in seen:
            plan = await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
            steps += [row[3] for row in plan.all() if "points_entries" in row[3]]
    return steps


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_balances_are_summed_through_the_member_index(
    database: Database, fam: FamilyFixture
) -> None:
    points = PointsService(database)
    await points.award(ADMIN, fam.family.id, fam.child.user_id, 4, "Helped")

    overview_steps = await ledger_plans(database, lambda: points.overview(ADMIN, fam.family.id))
    balance_steps = await ledger_plans(
        database, lambda: points.balance(ADMIN, fam.family.id, fam.child.user_id)
    )
    for steps in (overview_steps, balance_steps):
        assert steps and all("ix_points_entries_user_id (user_id=?)" in s for s in steps), steps
