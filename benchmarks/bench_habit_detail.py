"""A habit's detail on the 5-year demo family: the read, its statements, showing it, painting it.

    .venv/bin/python benchmarks/bench_habit_detail.py                 # 5 years (1,825 days)
    .venv/bin/python benchmarks/bench_habit_detail.py --quick         # one year
    .venv/bin/python benchmarks/bench_habit_detail.py --sqlite-only   # skip PostgreSQL

Builds the demo family (6 members × 10 habits × 2 routines) on a SQLite file (and, for the read
alone, on PostgreSQL through PgBouncer), picks the habit with the most entries, and times, best
and median of the runs, on the qasync loop the app uses:

- `HabitInsightsService.habit_detail` (every day with its score, streaks, figures, weekdays,
  week and month totals), and the SQL statements it runs (SQLAlchemy `before_cursor_execute`);
  also its judging and building of the read-model alone (`habit_detail_read`, in a worker
  thread);
- the Habits screen's read when its Insights tab needs the selected habit: the overview and
  then `habit_detail` (two transactions, as before) next to `overview_with_detail` (one);
- `HabitInsightsPane.set_detail` (what the Habits screen's apply does with it);
- painting the pane's year heat map, every year, into a QImage at 1× and 2× (issue 4 target:
  ≤ 50 ms), in the light and the dark theme;
- the longest event-loop stall (a 5 ms heartbeat QTimer: the largest gap between two beats,
  minus 5 ms) while the detail is read, shown and painted (target ≤ 50 ms).

Asserts nothing: the machine is shared, so compare runs with each other.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _servers import fresh_database, pg_servers, server_settings
from bench_heatmap import render_into, timings
from bench_history_screen import Heartbeat
from PySide6.QtWidgets import QApplication
from sqlalchemy import event, func, select

from habitdesk.core.db.database import Database
from habitdesk.core.db.migrate import upgrade
from habitdesk.core.demo import generate_demo
from habitdesk.core.models import Habit, HabitEntry
from habitdesk.core.schemas.habit_overview import DetailPick
from habitdesk.core.services import habit_insights
from habitdesk.core.services.base import Actor
from habitdesk.core.services.habit_insights import HabitInsightsService
from habitdesk.core.services.habit_overview import HabitOverviewService
from habitdesk.ui.theme import apply_theme
from habitdesk.ui.widgets.habit_insights_pane import HabitInsightsPane

TARGET_MS = 50


async def async_timings(work: Callable[[], Awaitable[Any]], runs: int) -> tuple[float, float]:
    await work()  # warm caches and connections
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        await work()
        times.append((time.perf_counter() - started) * 1000)
    return min(times), statistics.median(times)


def line(label: str, best: float, median: float, target: int | None = None) -> None:
    goal = f"   (target ≤ {target} ms)" if target else ""
    print(f"  {label:<44} best {best:7.1f} ms   median {median:7.1f} ms{goal}")


async def busiest_habit(db: Database) -> Any:
    async with db.read() as session:
        return await session.scalar(
            select(HabitEntry.habit_id)
            .where(HabitEntry.deleted_at.is_(None))
            .group_by(HabitEntry.habit_id)
            .order_by(func.count().desc())
            .limit(1)
        )


async def measure_read(db: Database, owner_id: Any, runs: int) -> tuple[Any, Any]:
    """The read: its statements, its time and its synchronous part. Returns a function that
    reads the detail again, and the detail."""
    actor = Actor.member(owner_id)
    service = HabitInsightsService(db)
    habit_id = await busiest_habit(db)
    detail = await service.habit_detail(actor, habit_id)
    print(
        f"Habit “{detail.name}” ({detail.kind.value}): {len(detail):,} days from "
        f"{detail.first_day}, {detail.total_completions:,} done"
    )

    print(
        f"  statements per read: {await count_statements(db, service.habit_detail(actor, habit_id))}"
    )
    line(
        "HabitInsightsService.habit_detail",
        *await async_timings(lambda: service.habit_detail(actor, habit_id), runs),
    )

    # Judging and building the read-model, alone (a worker thread does it).
    compute = habit_insights.habit_detail_read
    held: list[float] = []

    def timed_compute(*args: Any) -> Any:
        started = time.perf_counter()
        try:
            return compute(*args)
        finally:
            held.append((time.perf_counter() - started) * 1000)

    habit_insights.habit_detail_read = timed_compute
    try:
        for _ in range(runs):
            await service.habit_detail(actor, habit_id)
    finally:
        habit_insights.habit_detail_read = compute
    line("  of which judging + read-model (thread)", min(held), statistics.median(held))
    return (lambda: service.habit_detail(actor, habit_id)), detail


async def count_statements(db: Database, work: Awaitable[Any]) -> int:
    statements: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", note)
    try:
        await work
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", note)
    return len(statements)


async def measure_screen_read(db: Database, owner_id: Any, runs: int) -> None:
    """The Habits screen's read with the Insights tab in view: the list, then the first habit's
    detail in a transaction of its own, next to both in one (`overview_with_detail`)."""
    actor = Actor.member(owner_id)
    overview = HabitOverviewService(db)
    insights = HabitInsightsService(db)
    async with db.read() as session:
        family_id = await session.scalar(select(Habit.family_id).limit(1))

    async def apart() -> Any:
        habits = await overview.overview(actor, family_id)
        return await insights.habit_detail(actor, habits[0].habit.id)

    async def together() -> Any:
        return await overview.overview_with_detail(actor, family_id, DetailPick())

    for label, work in (("overview, then habit_detail", apart), ("overview_with_detail", together)):
        count = await count_statements(db, work())
        line(f"{label} ({count} statements)", *await async_timings(work, runs))


async def measure_ui(read: Callable[[], Awaitable[Any]], detail: Any, runs: int) -> None:
    """Showing and painting it (on the backend of `read`), and the loop stall meanwhile."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    for theme in ("light", "dark"):
        apply_theme(app, theme)
        pane = HabitInsightsPane()
        pane.resize(640, 900)
        pane.show()
        line(f"set_detail (apply), {theme}", *timings(lambda p=pane: p.set_detail(detail), runs))
        heat = pane.heat_map
        QApplication.processEvents()
        size = f"{heat.width()}×{heat.height()}"
        line(
            f"paint heat map {size}, 1×, {theme}", *timings(render_into(heat, 1.0), runs), TARGET_MS
        )
        line(
            f"paint heat map, 2× (high DPI), {theme}",
            *timings(render_into(heat, 2.0), runs),
            TARGET_MS,
        )
        pane.close()

    # A habit picked on a fresh pane: read, shown and painted while the loop keeps beating.
    pane = HabitInsightsPane()
    pane.resize(640, 900)
    pane.show()
    QApplication.processEvents()
    beat = Heartbeat()
    stalls = []
    for _ in range(runs):
        await asyncio.sleep(0.02)
        beat.reset()
        pane.set_detail(await read())
        pane.repaint()
        await asyncio.sleep(0.02)  # let the heartbeat notice the end of the stretch
        stalls.append(beat.reset() * 1000)
    print(
        f"  {'longest loop stall: read + apply + paint':<44} "
        f"median {statistics.median(stalls):5.1f} ms   worst {max(stalls):5.1f} ms"
        f"   (target ≤ {TARGET_MS} ms)"
    )
    print("    every run: " + " ".join(f"{ms:.0f}" for ms in stalls))


async def run(days: int, runs: int) -> None:
    with tempfile.TemporaryDirectory(prefix="habitdesk-bench-") as folder:
        db = Database.from_url(f"sqlite+aiosqlite:///{Path(folder) / 'demo.sqlite3'}")
        try:
            await upgrade(db)
            demo = await generate_demo(db, days=days)
            # As the app does once started (ui/collector.py): what lives on is frozen out of
            # later collections, so the demo's leftovers do not make them long.
            gc.collect()
            gc.freeze()
            print(f"SQLite file, demo family to {date.today()}")
            read, detail = await measure_read(db, demo.owner_id, runs)
            await measure_screen_read(db, demo.owner_id, runs)
            await measure_ui(read, detail, runs)
        finally:
            await db.dispose()


async def postgres_run(days: int, runs: int) -> None:
    with pg_servers() as servers:
        if servers is None:
            return
        print(await server_settings(servers))
        async with fresh_database(servers, "bench_habit_detail") as urls:
            db = Database.from_url(urls.pooled_url)
            try:
                demo = await generate_demo(db, days=days)
                gc.collect()
                gc.freeze()
                print("PostgreSQL via PgBouncer")
                await measure_read(db, demo.owner_id, runs)
                await measure_screen_read(db, demo.owner_id, runs)
            finally:
                await db.dispose()


async def run_all(days: int, runs: int, postgres: bool) -> None:
    await run(days, runs)
    if postgres:
        await postgres_run(days, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one year instead of five")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    app.setQuitOnLastWindowClosed(False)  # the panes come and go
    import qasync  # after PySide6

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(
            run_all(365 if args.quick else 1825, args.runs, not args.sqlite_only)
        )


if __name__ == "__main__":
    main()
