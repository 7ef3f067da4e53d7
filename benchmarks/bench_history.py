"""One member's full history for all habits: through the service vs. the raw driver.

    .venv/bin/python benchmarks/bench_history.py            # the 5-year demo family
    .venv/bin/python benchmarks/bench_history.py --quick    # one year

Builds the demo family (6 members × 10 habits × 2 routines × 1,825 days) on a SQLite file and on
PostgreSQL through PgBouncer, then reads one child's every habit entry over the whole range with
`HabitService.entries_for_member` and with the bare driver (aiosqlite / asyncpg) running the
equivalent SQL and fetching the same columns. Prints the best and median of several runs and the
ratio (target ≤ 2). Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from uuid import UUID

from _servers import fresh_database, pg_servers, server_settings

from habitdesk.core.db.database import Database
from habitdesk.core.db.migrate import upgrade
from habitdesk.core.demo import generate_demo
from habitdesk.core.enums import Role
from habitdesk.core.services.base import Actor
from habitdesk.core.services.habits import HabitService
from habitdesk.core.services.people import FamilyService

RUNS = 9
RAW_SQL = """
SELECT e.habit_id, e.day, e.value, e.status, e.note, e.recorded_by, e.version
FROM habit_entries e JOIN habits h ON h.id = e.habit_id
WHERE h.user_id = {p1} AND h.deleted_at IS NULL AND e.deleted_at IS NULL
  AND e.day >= {p2} AND e.day <= {p3}
ORDER BY e.day, h.position, h.id
"""


async def timed(work: Callable[[], Awaitable[int]]) -> tuple[list[float], int]:
    await work()  # warm caches and connections
    times, rows = [], 0
    for _ in range(RUNS):
        started = time.perf_counter()
        rows = await work()
        times.append((time.perf_counter() - started) * 1000)
    return times, rows


def report(label: str, service: list[float], raw: list[float], rows: int) -> None:
    best_ratio = min(service) / min(raw)
    median_ratio = statistics.median(service) / statistics.median(raw)
    print(f"{label}: {rows:,} rows")
    print(f"  service  best {min(service):6.1f} ms   median {statistics.median(service):6.1f} ms")
    print(f"  raw      best {min(raw):6.1f} ms   median {statistics.median(raw):6.1f} ms")
    print(f"  ratio    best {best_ratio:.2f}   median {median_ratio:.2f}   (target ≤ 2)")


async def subject(db: Database, family_id: UUID) -> tuple[Actor, UUID]:
    members = await FamilyService(db).list_members(Actor.local_admin(), family_id)
    owner = next(m for m in members if m.role is Role.OWNER)
    child = next(m for m in members if m.role is Role.CHILD)
    return Actor.member(owner.user_id), child.user_id


async def sqlite_run(days: int) -> None:
    import aiosqlite

    with tempfile.TemporaryDirectory(prefix="habitdesk-bench-") as folder:
        path = Path(folder) / "demo.sqlite3"
        db = Database.from_url(f"sqlite+aiosqlite:///{path}")
        try:
            await upgrade(db)
            demo = await generate_demo(db, days=days)
            actor, user_id = await subject(db, demo.family_id)
            habits = HabitService(db)
            start, end = demo.first_day, demo.last_day

            async def through_service() -> int:
                return len(await habits.entries_for_member(actor, user_id, start, end))

            service_times, rows = await timed(through_service)
        finally:
            await db.dispose()
        async with aiosqlite.connect(path) as conn:
            sql = RAW_SQL.format(p1="?", p2="?", p3="?")
            params = (user_id.hex, start.isoformat(), end.isoformat())

            async def raw() -> int:
                async with conn.execute(sql, params) as cursor:
                    return len(await cursor.fetchall())

            raw_times, raw_rows = await timed(raw)
        assert raw_rows == rows, (raw_rows, rows)
        report("SQLite file", service_times, raw_times, rows)


async def postgres_run(days: int) -> None:
    import asyncpg

    with pg_servers() as servers:
        if servers is None:
            return
        print(await server_settings(servers))
        async with fresh_database(servers, "bench_history") as urls:
            db = Database.from_url(urls.pooled_url)
            try:
                demo = await generate_demo(db, days=days)
                actor, user_id = await subject(db, demo.family_id)
                habits = HabitService(db)
                start, end = demo.first_day, demo.last_day

                async def through_service() -> int:
                    return len(await habits.entries_for_member(actor, user_id, start, end))

                service_times, rows = await timed(through_service)
            finally:
                await db.dispose()
            dsn = servers.dsn_for("bench_history", pooled=True)
            conn = await asyncpg.connect(dsn, statement_cache_size=0)
            try:
                sql = RAW_SQL.format(p1="$1", p2="$2", p3="$3")

                async def raw() -> int:
                    return len(await conn.fetch(sql, user_id, start, end))

                raw_times, raw_rows = await timed(raw)
            finally:
                await conn.close()
            assert raw_rows == rows, (raw_rows, rows)
            report("PostgreSQL via PgBouncer", service_times, raw_times, rows)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one year instead of five")
    args = parser.parse_args()
    days = 365 if args.quick else 1825
    print(f"Demo family: 6 members × 10 habits × 2 routines × {days:,} days (to {date.today()})")
    await sqlite_run(days)
    await postgres_run(days)


if __name__ == "__main__":
    asyncio.run(main())
