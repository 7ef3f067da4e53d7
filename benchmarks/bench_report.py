"""The weekly family report on the 5-year demo family: the read, and the PDF drawn from it.

    .venv/bin/python benchmarks/bench_report.py                 # 6 members × 10 habits × 2 routines × 1,825 days
    .venv/bin/python benchmarks/bench_report.py --quick         # one year
    .venv/bin/python benchmarks/bench_report.py --sqlite-only

Builds the demo family on a SQLite file (and on PostgreSQL through PgBouncer unless
--sqlite-only), then times `WeekReportService.week_report` for the last complete week (SQL
statements counted, the slowest three timed on their own) and `report_pdf.save_pdf` off-screen
(pages, file size). Best and median of several runs. Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from _servers import fresh_database, pg_servers, server_settings
from sqlalchemy import event

from habitdesk.core.db.database import Database
from habitdesk.core.db.migrate import upgrade
from habitdesk.core.demo import generate_demo
from habitdesk.core.domain.iso_week import IsoWeek
from habitdesk.core.schemas.report import WeekReportRead
from habitdesk.core.services.base import Actor
from habitdesk.core.services.report import WeekReportService

RUNS = 9


def line(label: str, times: list[float], extra: str = "") -> None:
    print(
        f"  {label:<22} best {min(times):6.1f} ms   median {statistics.median(times):6.1f} ms"
        f"{'   ' + extra if extra else ''}"
    )


async def timed_read(db: Database, family_id: Any, week: IsoWeek) -> WeekReportRead:
    service = WeekReportService(db)
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    async def read() -> WeekReportRead:
        return await service.week_report(Actor.local_admin(), family_id, week)

    report = await read()  # warm connections and caches
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        report = await read()
        times.append((time.perf_counter() - started) * 1000)
    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    try:
        await read()
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", count)
    rows = sum(len(m.habits) + len(m.routines) for m in report.members)
    line(
        "week_report",
        times,
        f"{len(statements)} SQL statements, {len(report.members)} members, {rows} rows",
    )
    for spent, statement in await slowest_statements(db, read):
        print(f"    {spent:6.1f} ms  {statement}")
    return report


async def slowest_statements(
    db: Database, read: Callable[[], Awaitable[Any]], count: int = 3
) -> list[tuple[float, str]]:
    """The `count` slowest statements of one more read, each with the tables it reads."""
    began: dict[int, float] = {}
    spent: list[tuple[float, str]] = []

    def before(_conn: Any, cursor: Any, *_args: Any) -> None:
        began[id(cursor)] = time.perf_counter()

    def after(_conn: Any, cursor: Any, statement: str, *_args: Any) -> None:
        took = (time.perf_counter() - began.pop(id(cursor))) * 1000
        tables = dict.fromkeys(re.findall(r"(?:FROM|JOIN) (\w+)", statement))
        spent.append((took, ", ".join(tables) or statement[:60]))

    engine = db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        await read()
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return sorted(spent, reverse=True)[:count]


def timed_pdf(report: WeekReportRead) -> None:
    from habitdesk.ui.report_pdf import save_pdf

    with tempfile.TemporaryDirectory(prefix="habitdesk-report-") as folder:
        path = Path(folder) / "week.pdf"
        save_pdf(report, path)
        times, pages = [], 0
        for _ in range(RUNS):
            started = time.perf_counter()
            pages = save_pdf(report, path)
            times.append((time.perf_counter() - started) * 1000)
        size = path.stat().st_size
    line("save_pdf (UI thread)", times, f"{pages} pages, {size / 1024:.0f} KiB")


async def on(db: Database, days: int, label: str, build: Callable[[], Awaitable[None]]) -> None:
    await build()
    demo = await generate_demo(db, days=days)
    week = IsoWeek.of(demo.last_day).shifted(-1)
    print(f"{label}: {week.heading}")
    report = await timed_read(db, demo.family_id, week)
    timed_pdf(report)


async def sqlite_run(days: int) -> None:
    with tempfile.TemporaryDirectory(prefix="habitdesk-bench-") as folder:
        db = Database.from_url(f"sqlite+aiosqlite:///{Path(folder) / 'demo.sqlite3'}")
        try:
            await on(db, days, "SQLite file", lambda: upgrade(db))
        finally:
            await db.dispose()


async def postgres_run(days: int) -> None:
    with pg_servers() as servers:
        if servers is None:
            return
        print(await server_settings(servers))
        async with fresh_database(servers, "bench_report") as urls:
            db = Database.from_url(urls.pooled_url)

            async def nothing() -> None:
                return None

            try:
                await on(db, days, "PostgreSQL via PgBouncer", nothing)
            finally:
                await db.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one year instead of five")
    parser.add_argument("--sqlite-only", action="store_true")
    args = parser.parse_args()
    days = 365 if args.quick else 1825
    await sqlite_run(days)
    if not args.sqlite_only:
        await postgres_run(days)


if __name__ == "__main__":
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication(["bench_report"])
    asyncio.run(main())
