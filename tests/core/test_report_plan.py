"""The weekly report finds the parents' awards through the ledger's (family_id, created_at)
index, so it reads one week of the ledger instead of all its years.

SQLite only: without statistics its planner chooses by the query's shape alone, which is what
this guards. PostgreSQL chooses by the tables' sizes, so a test family's few rows say nothing
about the 5-year demo's plan (checked with EXPLAIN there: the same index).
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import event

from habitdesk.core.db.database import Database
from habitdesk.core.domain.iso_week import IsoWeek
from habitdesk.core.services.base import Actor
from habitdesk.core.services.points import PointsService
from habitdesk.core.services.report import WeekReportService
from tests.core.factories import FamilyFixture
from tests.core.test_report_service import THIS_WEEK, member
from tests.core.test_stats_service import fam as fam  # the same family fixture

ADMIN = Actor.local_admin()
INDEX_RANGE = (
    "USING INDEX ix_points_entries_family_id_created_at "
    "(family_id=? AND created_at>? AND created_at<?)"
)


async def ledger_reads(
    db: Database, fam: FamilyFixture, week: IsoWeek
) -> tuple[int | None, list[tuple[str, Any]]]:
    """The child's points in the week's report, and the report's statements on the ledger."""
    seen: list[tuple[str, Any]] = []

    def note(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if "points_entries" in statement:
            seen.append((statement, parameters))

    event.listen(db.engine.sync_engine, "before_cursor_execute", note)
    try:
        report = await WeekReportService(db).week_report(ADMIN, fam.family.id, week)
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", note)
    return member(report, fam.child.user_id).points_earned, seen


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_awards_are_read_through_the_family_and_time_index(
    database: Database, fam: FamilyFixture
) -> None:
    await PointsService(database).award(ADMIN, fam.family.id, fam.child.user_id, 4, "Helped")
    earned, seen = await ledger_reads(database, fam, THIS_WEEK)
    # The statement examined is the one that counted the award.
    assert earned == 4
    [(statement, parameters)] = seen
    async with database.engine.connect() as conn:
        plan = await conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        details = [row[3] for row in plan.all()]
    ledger_steps = [d for d in details if "points_entries" in d]
    assert any(d.endswith(INDEX_RANGE) for d in ledger_steps), details
    # Nothing walks the whole ledger (nor all of a family's lines).
    assert not any(d.startswith("SCAN points_entries") for d in ledger_steps), details
    assert not any("ix_points_entries_family_id (" in d for d in ledger_steps), details
