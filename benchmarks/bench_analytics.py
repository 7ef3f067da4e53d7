"""History and insights on the 5-year demo family: every habit's streaks, scores and completion.

    .venv/bin/python benchmarks/bench_analytics.py                # 5 years, SQLite and PostgreSQL
    .venv/bin/python benchmarks/bench_analytics.py --quick        # one year
    .venv/bin/python benchmarks/bench_analytics.py --sqlite-only

Builds the demo family (6 members × 10 habits × 2 routines × 1,825 days) on a SQLite file (and
on PostgreSQL through PgBouncer), then times, best and median of several runs:

- `StatsService.family_analytics(..., routines=False)`: all 60 habits, each with its current
  and best streaks, its score today and its completion per week, month and year, plus the
  member and family totals (target ≤ 150 ms);
- the same with the 12 routines' completion as well;
- `StatsService.history` over the whole history (what the History screen's "All" reads:
  per item and member counts, trends, weekdays, streak highlights);
- `StatsService.habit_stats` for one habit over its whole history (what `habitdesk stats`
  prints);
- `StatsService.family_history` (what the CSV export reads).

On PostgreSQL the demo analyses the tables it bulk-loaded (as autovacuum would within a minute),
so the figures are the steady state a family's database runs in.

Also prints where the family analytics' time goes (reading, laying out, scores, streaks, …) for
the best run. Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any
from uuid import UUID

from _servers import fresh_database, pg_servers, server_settings

from habitdesk.core.db.database import Database
from habitdesk.core.db.migrate import upgrade
from habitdesk.core.demo import generate_demo
from habitdesk.core.services import stats as stats_module
from habitdesk.core.services.base import Actor
from habitdesk.core.services.habits import HabitService
from habitdesk.core.services.stats import StatsService

RUNS = 9
TARGET_MS = 150
# The steps of family_analytics timed separately (names in services/stats.py's namespace; the
# readers come from services/history_reads.py).
PHASES = (
    "read_habit_defs",
    "read_entry_groups",
    "read_routine_defs",
    "lay_out_groups",
    "habit_outcomes",
    "habit_scores",
    "habit_streaks",
)


async def timed(work: Callable[[], Awaitable[Any]]) -> list[float]:
    await work()  # warm caches and connections
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        await work()
        times.append((time.perf_counter() - started) * 1000)
    return times


def line(label: str, times: list[float], target: int | None = None) -> None:
    goal = f"   (target ≤ {target} ms)" if target else ""
    print(
        f"  {label:<38} best {min(times):7.1f} ms   median {statistics.median(times):7.1f} ms{goal}"
    )


def phase_timer() -> tuple[dict[str, float], Callable[[], None]]:
    """Wrap the phases to add up their time; returns the totals and an undo."""
    spent: dict[str, float] = defaultdict(float)
    originals = {name: getattr(stats_module, name) for name in PHASES}

    def wrap(name: str, function: Any) -> Any:
        if asyncio.iscoroutinefunction(function):

            async def timed_async(*args: Any, **kwargs: Any) -> Any:
                started = time.perf_counter()
                try:
                    return await function(*args, **kwargs)
                finally:
                    spent[name] += time.perf_counter() - started

            return timed_async

        def timed_sync(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started

        return timed_sync

    for name, function in originals.items():
        setattr(stats_module, name, wrap(name, function))

    def undo() -> None:
        for name, function in originals.items():
            setattr(stats_module, name, function)

    return spent, undo


async def breakdown(service: StatsService, actor: Actor, family_id: UUID) -> None:
    spent, undo = phase_timer()
    best: tuple[float, dict[str, float]] | None = None
    try:
        for _ in range(RUNS):
            spent.clear()
            started = time.perf_counter()
            await service.family_analytics(actor, family_id, routines=False)
            total = (time.perf_counter() - started) * 1000
            if best is None or total < best[0]:
                best = (total, dict(spent))
    finally:
        undo()
    assert best is not None
    total, parts = best
    print(f"  where the habits' analytics go (best run, {total:.1f} ms):")
    for name in PHASES:
        if name in parts:
            print(f"    {name:<18} {parts[name] * 1000:6.1f} ms")
    rest = total - sum(parts.values()) * 1000
    print(f"    {'the rest':<18} {rest:6.1f} ms  (checks, tallies, read-models)")


async def measure(label: str, db: Database, family_id: UUID, owner_id: UUID) -> None:
    actor = Actor.member(owner_id)
    service = StatsService(db)
    habits = await HabitService(db).list_habits(actor, family_id, include_archived=True)
    first = habits[0]
    found = await service.family_analytics(actor, family_id)
    habit_count = sum(len(m.habits) for m in found.members)
    routine_count = sum(len(m.routines) for m in found.members)
    days = (found.end - found.start).days + 1
    print(f"{label}: {habit_count} habits, {routine_count} routines, {days:,} days")
    line(
        f"analytics, {habit_count} habits",
        await timed(lambda: service.family_analytics(actor, family_id, routines=False)),
        TARGET_MS,
    )
    line(
        f"analytics, habits + {routine_count} routines",
        await timed(lambda: service.family_analytics(actor, family_id)),
    )
    line(
        "History screen read, everything (≤ 6 SQL)",
        await timed(lambda: service.history(actor, family_id)),
    )
    line(
        f"stats of one habit ({first.name})",
        await timed(lambda: service.habit_stats(actor, first.id)),
    )
    line(
        "every habit's history (CSV export)",
        await timed(lambda: service.family_history(actor, family_id)),
    )
    await breakdown(service, actor, family_id)


async def sqlite_run(days: int) -> None:
    with tempfile.TemporaryDirectory(prefix="habitdesk-bench-") as folder:
        path = Path(folder) / "demo.sqlite3"
        db = Database.from_url(f"sqlite+aiosqlite:///{path}")
        try:
            await upgrade(db)
            demo = await generate_demo(db, days=days)
            await measure("SQLite file", db, demo.family_id, demo.owner_id)
        finally:
            await db.dispose()


async def postgres_run(days: int) -> None:
    with pg_servers() as servers:
        if servers is None:
            return
        print(await server_settings(servers))
        async with fresh_database(servers, "bench_analytics") as urls:
            db = Database.from_url(urls.pooled_url)
            try:
                demo = await generate_demo(db, days=days)
                await measure("PostgreSQL via PgBouncer", db, demo.family_id, demo.owner_id)
            finally:
                await db.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one year instead of five")
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    args = parser.parse_args()
    days = 365 if args.quick else 1825
    print(f"Demo family: 6 members × 10 habits × 2 routines × {days:,} days (to {date.today()})")
    await sqlite_run(days)
    if not args.sqlite_only:
        await postgres_run(days)


if __name__ == "__main__":
    asyncio.run(main())
