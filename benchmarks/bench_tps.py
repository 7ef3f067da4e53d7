"""Small write transactions per second: through PgBouncer, and straight to PostgreSQL.

    .venv/bin/python benchmarks/bench_tps.py             # 20 clients × 100 transactions, 3 rounds
    .venv/bin/python benchmarks/bench_tps.py --quick     # 20 clients × 20 transactions, 1 round
    .venv/bin/python benchmarks/bench_tps.py --durable   # with fsync and synchronous_commit on

Both sides use the app's engine exactly as the app builds it (`Database.from_url`): the pooled
URL carries `?pgbouncer=true`, so asyncpg's statement caches are off; the direct URL keeps them.
Each transaction is one service-style unit of work: `db.transaction()` adding one PointsEntry.
Before timing, every client runs one transaction so the pool's connections are open. Failures
are counted, with their messages (there must be none). Prints figures; asserts nothing.

The private test servers run with fsync and synchronous_commit off (fast tests); --durable turns
them on, which is what a real server (Supabase) does.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from uuid import UUID

from _servers import fresh_database, make_durable, pg_servers, server_settings
from sqlalchemy import func, select

from habitdesk.core.db.database import Database
from habitdesk.core.models import PointsEntry
from habitdesk.core.models.enums import PointsSource
from habitdesk.core.services.base import Actor
from habitdesk.core.services.people import FamilyService


@dataclass
class Round:
    label: str
    transactions: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    failures: Counter[str] = field(default_factory=Counter)

    @property
    def tps(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000


async def client(db: Database, family_id: UUID, user_id: UUID, count: int, out: Round) -> None:
    for k in range(count):
        started = time.perf_counter()
        try:
            async with db.transaction() as session:
                session.add(
                    PointsEntry(
                        family_id=family_id,
                        user_id=user_id,
                        amount=1,
                        reason=f"Benchmark {k}",
                        source=PointsSource.MANUAL,
                        created_by=user_id,
                    )
                )
        except Exception as exc:  # every failure is a finding: count it with its message
            out.failures[f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"] += 1
        else:
            out.latencies.append(time.perf_counter() - started)


async def run_round(
    label: str, url: str, family_id: UUID, user_id: UUID, clients: int, per_client: int
) -> tuple[Round, Counter[str]]:
    db = Database.from_url(url)
    try:
        warm = Round("warm-up")
        await asyncio.gather(*(client(db, family_id, user_id, 1, warm) for _ in range(clients)))
        result = Round(label, transactions=clients * per_client)
        started = time.perf_counter()
        await asyncio.gather(
            *(client(db, family_id, user_id, per_client, result) for _ in range(clients))
        )
        result.seconds = time.perf_counter() - started
        return result, warm.failures
    finally:
        await db.dispose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 × 20 transactions, one round")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--transactions", type=int, help="per client (default 100; quick 20)")
    parser.add_argument("--rounds", type=int, help="rounds per target (default 3; quick 1)")
    parser.add_argument("--durable", action="store_true", help="fsync/synchronous_commit on")
    args = parser.parse_args()
    per_client = args.transactions or (20 if args.quick else 100)
    rounds = args.rounds or (1 if args.quick else 3)

    with pg_servers() as servers:
        if servers is None:
            return
        if args.durable:
            await make_durable(servers)
        print(await server_settings(servers))
        print(
            f"{args.clients} concurrent clients × {per_client} transactions "
            f"(one PointsEntry insert each), {rounds} round(s) per target; app engine pool: "
            "QueuePool 5 + overflow 10\n"
        )
        async with fresh_database(servers, f"bench_tps_{os.getpid()}") as urls:
            setup = Database.from_url(urls.direct_url)
            try:
                family = await FamilyService(setup).create_family(
                    {"name": "Benchmark"}, {"full_name": "Bench Owner"}
                )
                family_id = family.value.id
                members = await FamilyService(setup).list_members(Actor.local_admin(), family_id)
                user_id = members[0].user_id
            finally:
                await setup.dispose()

            targets = (
                ("PgBouncer (pooled URL)", urls.pooled_url),
                ("PostgreSQL direct", urls.direct_url),
            )
            results: dict[str, list[Round]] = {label: [] for label, _ in targets}
            warm_failures: Counter[str] = Counter()
            for _ in range(rounds):
                for label, url in targets:  # alternate, so drift hits both alike
                    result, warm = await run_round(
                        label, url, family_id, user_id, args.clients, per_client
                    )
                    results[label].append(result)
                    warm_failures += warm
                    print(
                        f"  {label:<24} {result.tps:8,.0f} tx/s   "
                        f"p50 {result.percentile(0.5):6.1f} ms   p95 {result.percentile(0.95):6.1f} ms   "
                        f"failures {sum(result.failures.values())}"
                    )

            check = Database.from_url(urls.direct_url)
            try:
                async with check.read() as session:
                    stored = await session.scalar(select(func.count()).select_from(PointsEntry))
            finally:
                await check.dispose()

    print()
    for label, runs in results.items():
        ok = sum(len(r.latencies) for r in runs)
        failed = sum(sum(r.failures.values()) for r in runs)
        print(
            f"{label:<24} median {statistics.median(r.tps for r in runs):8,.0f} tx/s "
            f"(best {max(r.tps for r in runs):,.0f}); {ok:,} committed, {failed} failed"
        )
        for message, count in sum((r.failures for r in runs), Counter()).most_common(5):
            print(f"    {count} × {message}")
    if warm_failures:
        print(f"warm-up failures: {dict(warm_failures)}")
    committed = sum(len(r.latencies) for runs in results.values() for r in runs)
    warm_ok = 2 * rounds * args.clients - sum(warm_failures.values())
    print(f"rows in points_entries: {stored:,} (committed: {committed + warm_ok:,})")


if __name__ == "__main__":
    asyncio.run(main())
