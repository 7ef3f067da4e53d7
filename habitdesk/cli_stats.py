"""`habitdesk stats` and `habitdesk export`: a habit's history for scripts, and CSV files."""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from habitdesk.cli_support import print_json, settings_from

if TYPE_CHECKING:  # the core is imported by the commands that run, not by --help
    from habitdesk.core.services.lookup import LookupService
    from habitdesk.core.services.stats import StatsService

# The JSON's scores are rounded like Loop Habit Tracker's CSV: plenty for charts and checks.
SCORE_DECIMALS = 4


@asynccontextmanager
async def _services(args: argparse.Namespace) -> AsyncIterator[tuple[LookupService, StatsService]]:
    from habitdesk.core.db.connect import open_database
    from habitdesk.core.services.lookup import LookupService
    from habitdesk.core.services.stats import StatsService

    db = await open_database(settings_from(args))
    try:
        yield LookupService(db), StatsService(db)
    finally:
        await db.dispose()


async def cmd_stats(args: argparse.Namespace) -> int:
    from habitdesk.core.services.base import Actor

    async with _services(args) as (lookup, service):
        family_id = (await lookup.family(args.family)).id if args.family else None
        member = await lookup.member(args.member, family_id)
        habit_id = await lookup.habit_id(member, args.habit)
        stats = await service.habit_stats(Actor.local_admin(), habit_id, args.start, args.end)
    days = [
        {
            "date": day.day.isoformat(),
            "status": day.status.value,
            "value": day.value,
            "score": round(day.score, SCORE_DECIMALS),
        }
        for day in stats.days
    ]
    if args.json:
        print_json(
            {
                "habit": stats.name,
                "current_streak": stats.current_streak,
                "best_streak": stats.best_streak,
                "days": days,
            }
        )
        return 0
    print(
        f"{stats.name} ({member.full_name}), {stats.start.isoformat()} to {stats.end.isoformat()}: "
        f"current streak {stats.current_streak}, best {stats.best_streak}, "
        f"score {stats.score:.0%}"
    )
    for day in days:
        value = "" if day["value"] is None else f"{day['value']:g}"
        print(f"  {day['date']}  {day['status']:<7}  {value:>8}  {day['score']:.4f}")
    return 0


async def cmd_export(args: argparse.Namespace) -> int:
    from habitdesk.core.io.csv_export import export_csv
    from habitdesk.core.services.base import Actor

    async with _services(args) as (lookup, service):
        family = await lookup.family(args.family)
        user_id = None
        if args.member is not None:
            user_id = (await lookup.member(args.member, family.id)).user_id
        report = await export_csv(service, Actor.local_admin(), family.id, Path(args.out), user_id)
    members = "1 member" if report.members == 1 else f"{report.members} members"
    habits = "1 habit" if report.habits == 1 else f"{report.habits} habits"
    print(f"Exported {habits} of {members} to {report.folder} ({len(report.files)} files)")
    return 0


def add_commands(command: Callable[..., Any], parse_date: Callable[[str], date]) -> None:
    stats = command("stats", cmd_stats, "a habit's days, streaks and scores")
    stats.add_argument("--member", required=True)
    stats.add_argument("--habit", required=True)
    stats.add_argument("--family")
    stats.add_argument(
        "--from",
        dest="start",
        type=parse_date,
        metavar="YYYY-MM-DD",
        help="first day shown (default: the habit's first day)",
    )
    stats.add_argument(
        "--to",
        dest="end",
        type=parse_date,
        metavar="YYYY-MM-DD",
        help="last day shown (default: today)",
    )
    stats.add_argument("--json", action="store_true")

    export = command("export", cmd_export, "write the habits' history as files")
    export.add_argument("--format", required=True, choices=["csv"])
    export.add_argument("--out", required=True, metavar="DIR", help="folder to write into")
    export.add_argument("--family", help="family name (optional when there is only one)")
    export.add_argument("--member", help="only this member's habits")
