"""How long `generate_demo` takes at full size: SQLite file, and PostgreSQL through PgBouncer.

    .venv/bin/python benchmarks/bench_demo.py            # 6 members × 10 habits × 2 routines × 1,825 days
    .venv/bin/python benchmarks/bench_demo.py --quick    # 4 × 5 × 2 × 365

Each run writes into a fresh database migrated with `habitdesk.core.db.migrate.upgrade`. The
PostgreSQL part uses the app's engine on the pooled URL (`?pgbouncer=true`: transaction pooler,
asyncpg statement caches off) and, for comparison, on the direct URL. It is skipped, with the
reason, when no servers can be started. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from _servers import fresh_database, pg_servers, server_settings

from habitdesk.core.db.database import Database
from habitdesk.core.db.migrate import upgrade
from habitdesk.core.demo import TABLES, DemoReport, generate_demo


@dataclass(frozen=True)
class Size:
    members: int
    habits: int
    routines: int
    days: int

    def __str__(self) -> str:
        return (
            f"{self.members} members × {self.habits} habits × {self.routines} routines × "
            f"{self.days:,} days"
        )


FULL = Size(members=6, habits=10, routines=2, days=1825)
QUICK = Size(members=4, habits=5, routines=2, days=365)
TARGETS = {"SQLite file": 30.0, "PostgreSQL via PgBouncer": 60.0}


async def on_sqlite(size: Size, seed: int) -> DemoReport:
    with tempfile.TemporaryDirectory(prefix="habitdesk-bench-") as folder:
        path = Path(folder) / "demo.sqlite3"
        db = Database.from_url(f"sqlite+aiosqlite:///{path}")
        try:
            await upgrade(db)
            report = await generate_demo(db, seed=seed, **asdict(size))
        finally:
            await db.dispose()
        megabytes = sum(p.stat().st_size for p in Path(folder).iterdir()) / 1e6
        print(f"  SQLite file size after the demo: {megabytes:.0f} MB (with WAL)")
        return report


async def on_postgres(size: Size, seed: int) -> dict[str, DemoReport]:
    reports: dict[str, DemoReport] = {}
    with pg_servers() as servers:
        if servers is None:
            return reports
        print(f"  {await server_settings(servers)}")
        for label, pooled in (("PostgreSQL via PgBouncer", True), ("PostgreSQL direct", False)):
            async with fresh_database(servers, f"bench_demo_{os.getpid()}") as urls:
                db = Database.from_url(urls.pooled_url if pooled else urls.direct_url)
                try:
                    reports[label] = await generate_demo(db, seed=seed, **asdict(size))
                finally:
                    await db.dispose()
    return reports


def show(reports: dict[str, DemoReport]) -> None:
    labels = list(reports)
    width = max(len(t.name) for t in TABLES)
    print()
    print(f"{'rows':<{width}}  " + "  ".join(f"{label:>24}" for label in labels))
    for table in TABLES:
        counts = "  ".join(f"{reports[label].rows[table.name]:>24,}" for label in labels)
        print(f"{table.name:<{width}}  {counts}")
    print(f"{'total':<{width}}  " + "  ".join(f"{reports[x].total_rows:>24,}" for x in labels))
    print()
    for label, report in reports.items():
        target = TARGETS.get(label)
        goal = f" (target < {target:.0f} s)" if target else ""
        print(
            f"{label:<26} {report.elapsed_seconds:6.1f} s{goal}: "
            f"{report.total_rows / report.elapsed_seconds:,.0f} rows/s; "
            f"building rows {report.elapsed_seconds - report.write_seconds:.1f} s, "
            f"writing {report.write_seconds:.1f} s"
        )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller family (one year)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sqlite-only", action="store_true", help="skip PostgreSQL")
    args = parser.parse_args()
    size = QUICK if args.quick else FULL
    print(f"generate_demo: {size}")
    reports = {"SQLite file": await on_sqlite(size, args.seed)}
    if not args.sqlite_only:
        reports.update(await on_postgres(size, args.seed))
    show(reports)


if __name__ == "__main__":
    asyncio.run(main())
