"""The `habitdesk` command line. With no command it opens the desktop app.

Errors are one line on stderr with exit status 2, and nothing is written. Every command accepts
--database-url and honours HABITDESK_DATA_DIR. Imports are deferred to the command that needs
them, so `habitdesk --version` and the GUI start pay only for what they use.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from typing import Any, NoReturn

from habitdesk import __version__
from habitdesk.cli_support import print_json as _print_json
from habitdesk.cli_support import settings_from as _settings

EXIT_USAGE = 2
# Most commands are coroutines run on one event loop; the GUI and screenshot commands run their own
# (Qt's) and return the exit status directly.
Handler = Callable[[argparse.Namespace], Awaitable[int] | int]


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error in one line."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see {self.prog} --help)\n")


def _fail(message: str) -> int:
    print(f"habitdesk: {message}", file=sys.stderr)
    return EXIT_USAGE


def _parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; use YYYY-MM-DD") from None


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"'{text}' must be at least 1")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"'{text}' must not be negative")
    return value


def _finite_float(text: str) -> float:
    import math

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"'{text}' is not a finite number")
    return value


def _frequency(text: str) -> tuple[int, int]:
    parts = text.split("/")
    if len(parts) != 2 or not all(p.strip().isdigit() for p in parts):
        raise argparse.ArgumentTypeError(f"'{text}' is not a frequency; use X/Y, e.g. 3/7")
    return int(parts[0]), int(parts[1])


# --- settings and database --------------------------------------------------------------------


async def _open(args: argparse.Namespace) -> Any:
    from habitdesk.core.db.connect import open_database

    return await open_database(_settings(args))


def _dump(model: Any) -> dict[str, Any]:
    data: dict[str, Any] = model.model_dump(mode="json")
    return data


# --- commands ---------------------------------------------------------------------------------


async def cmd_db_upgrade(args: argparse.Namespace) -> int:
    from habitdesk.core.db.connect import database_for
    from habitdesk.core.db.migrate import upgrade

    db = database_for(_settings(args), for_migrations=True)
    try:
        before = await db.schema_state()
        if before.is_ahead:
            from habitdesk.core.db.database import schema_problem

            raise schema_problem(before)
        after = await upgrade(db)
    finally:
        await db.dispose()
    if before.current == after.current:
        print(f"Already up to date ({after.current}) on {db.target.display}")
    else:
        print(f"Upgraded {db.target.display}: {before.current or 'empty'} → {after.current}")
    return 0


async def cmd_db_current(args: argparse.Namespace) -> int:
    from habitdesk.core.db.connect import database_for

    db = database_for(_settings(args), for_migrations=True)
    try:
        state = await db.schema_state()
    finally:
        await db.dispose()
    if state.is_current:
        status = "up to date"
    elif state.is_empty and db.backend.value == "sqlite":
        status = "a new embedded file: set up on first use (or run habitdesk db upgrade now)"
    elif state.is_ahead:
        status = "ahead of this app: update HabitDesk"
    else:
        status = f"behind (head is {state.head}): run habitdesk db upgrade"
    print(f"{state.current or 'empty (no HabitDesk tables)'} — {status}")
    return 0


async def cmd_doctor(args: argparse.Namespace) -> int:
    from habitdesk.core.doctor import run_doctor

    report = await run_doctor(database_url=args.database_url)
    width = max(len(c.name) for c in report.checks)
    for check in report.checks:
        mark = "ok " if check.ok else "!! "
        line = f"{mark}{check.name.ljust(width)}  {check.detail}"
        if check.fix:
            line += f" — {check.fix}"
        print(line)
    print("Healthy." if report.healthy else "Problems found: see the lines marked !!")
    return 0 if report.healthy else 1


async def cmd_demo(args: argparse.Namespace) -> int:
    from habitdesk.core.demo import generate_demo

    db = await _open(args)
    try:
        report = await generate_demo(
            db,
            members=args.members,
            habits=args.habits,
            routines=args.routines,
            days=args.days,
            seed=args.seed,
        )
    finally:
        await db.dispose()
    total = sum(report.rows.values())
    print(f"Demo family created in {report.elapsed_seconds:.1f} s: {total:,} rows")
    for table, count in sorted(report.rows.items()):
        print(f"  {table:24} {count:>9,}")
    return 0


async def cmd_family_create(args: argparse.Namespace) -> int:
    from habitdesk.core.services.people import FamilyService

    db = await _open(args)
    try:
        data: dict[str, Any] = {"name": args.name}
        if args.timezone:
            data["time_zone"] = args.timezone
        if args.week_start:
            data["week_start"] = args.week_start
        if args.day_start_hour is not None:
            data["day_start_hour"] = args.day_start_hour
        families = FamilyService(db)
        if args.owner:
            result = await families.create_family(
                data, {"full_name": args.owner, "email": args.owner_email}
            )
        else:
            result = await families.create_empty_family(data)
    finally:
        await db.dispose()
    if args.json:
        _print_json(_dump(result.value))
    else:
        print(f"Created family '{result.value.name}' ({result.value.time_zone})")
    return 0


async def cmd_member_add(args: argparse.Namespace) -> int:
    from habitdesk.core.services.base import Actor
    from habitdesk.core.services.lookup import LookupService
    from habitdesk.core.services.people import FamilyService

    db = await _open(args)
    try:
        family = await LookupService(db).family(args.family)
        user: dict[str, Any] = {"full_name": args.name}
        if args.email is not None:
            user["email"] = args.email
        if args.colour is not None:
            user["colour"] = args.colour
        if args.emoji is not None:
            user["avatar_emoji"] = args.emoji
        if args.birth_date is not None:
            user["birth_date"] = args.birth_date
        result = await FamilyService(db).add_member(
            Actor.local_admin(), family.id, {"user": user, "role": args.role}
        )
    finally:
        await db.dispose()
    if args.json:
        _print_json(_dump(result.value))
    else:
        print(f"Added {result.value.full_name} to '{family.name}' as {result.value.role.value}")
    return 0


async def cmd_list(args: argparse.Namespace) -> int:
    from habitdesk.core.services.base import Actor
    from habitdesk.core.services.lookup import LookupService
    from habitdesk.core.services.people import FamilyService

    admin = Actor.local_admin()
    db = await _open(args)
    try:
        lookup = LookupService(db)
        rows: list[dict[str, Any]]
        if args.what == "families":
            rows = [_dump(f) for f in await FamilyService(db).list_families()]
        else:
            family = await lookup.family(args.family) if args.family or not args.member else None
            member = (
                await lookup.member(args.member, family.id if family else None)
                if args.member
                else None
            )
            family_id = member.family_id if member else family.id  # type: ignore[union-attr]
            if args.what == "members":
                members = await FamilyService(db).list_members(admin, family_id)
                rows = [_dump(m) for m in members if member is None or m.user_id == member.user_id]
            elif args.what == "habits":
                from habitdesk.core.services.habits import HabitService

                habits = await HabitService(db).list_habits(
                    admin,
                    family_id,
                    user_id=member.user_id if member else None,
                    include_archived=args.all,
                )
                rows = [_dump(h) for h in habits]
            else:
                from habitdesk.core.services.routines import RoutineService

                routines = await RoutineService(db).list_routines(
                    admin,
                    family_id,
                    user_id=member.user_id if member else None,
                    include_archived=args.all,
                )
                rows = [_dump(r) for r in routines]
    finally:
        await db.dispose()
    if args.json:
        _print_json(rows)
    else:
        _print_table(args.what, rows)
    return 0


_TABLE_COLUMNS = {
    "families": ("name", "time_zone", "week_start", "day_start_hour"),
    "members": ("full_name", "role", "email", "colour"),
    "habits": ("name", "kind", "target_value", "unit", "archived"),
    "routines": ("name", "weekdays", "archived"),
}


def _print_table(what: str, rows: list[dict[str, Any]]) -> None:
    if not rows:
        print(f"No {what}.")
        return
    columns = [c for c in _TABLE_COLUMNS[what] if c in rows[0]]
    cells = [[_cell(row.get(c)) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns)]
    print("  ".join(c.replace("_", " ").ljust(w) for c, w in zip(columns, widths, strict=True)))
    for row in cells:
        print("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)))


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def cmd_gui(args: argparse.Namespace) -> int:
    """Runs the Qt event loop itself (qasync), so it is not wrapped in asyncio.run."""
    try:
        from habitdesk.ui.app import run_app
    except ImportError as exc:
        return _fail(
            f"the desktop app cannot start ({exc}); install it with: pip install 'habitdesk[gui]'"
        )
    result: int = run_app(_settings(args))
    return result


def cmd_screenshot(args: argparse.Namespace) -> int:
    """Runs its own Qt event loop, so it is not wrapped in asyncio.run."""
    from pathlib import Path

    from habitdesk.core.errors import HabitDeskError

    try:
        from habitdesk.ui.screenshot import take_screenshot
    except ImportError as exc:
        return _fail(
            f"screenshots need the GUI ({exc}); install it with: pip install 'habitdesk[gui]'"
        )
    try:
        path = take_screenshot(
            _settings(args), args.screen, Path(args.out), size=args.size, theme=args.theme
        )
    except HabitDeskError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(str(exc))
    print(f"Saved {args.screen} to {path}")
    return 0


def _size(text: str) -> tuple[int, int]:
    parts = text.lower().split("x")
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise argparse.ArgumentTypeError(f"'{text}' is not a size; use WIDTHxHEIGHT, e.g. 1280x800")
    width, height = int(parts[0]), int(parts[1])
    if not (320 <= width <= 7680 and 240 <= height <= 4320):
        raise argparse.ArgumentTypeError(f"'{text}' is out of range (320x240 to 7680x4320)")
    return width, height


# --- parser -----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--database-url",
        default=argparse.SUPPRESS,
        help="PostgreSQL URL (pooled, as Supabase shows it) or sqlite URL; overrides DATABASE_URL",
    )

    parser = _Parser(
        prog="habitdesk",
        description="Family routines and habits. With no command, opens the desktop app.",
    )
    parser.add_argument("--database-url", default=None, help=argparse.SUPPRESS)
    parser.add_argument("--version", action="version", version=f"HabitDesk {__version__}")
    parser.set_defaults(handler=cmd_gui)
    commands = parser.add_subparsers(title="commands", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, handler: Handler | None, help_: str, parent: Any = commands) -> Any:
        sub = parent.add_parser(name, help=help_, description=help_, parents=[common])
        if handler is not None:
            sub.set_defaults(handler=handler)
        return sub

    db = command("db", None, "database migrations (uses DIRECT_URL when set)")
    db_commands = db.add_subparsers(metavar="ACTION", required=True, parser_class=_Parser)
    command("upgrade", cmd_db_upgrade, "apply all migrations", db_commands)
    command("current", cmd_db_current, "show the database's migration state", db_commands)

    command("doctor", cmd_doctor, "check configuration, connection, migrations and pool")
    command("gui", cmd_gui, "open the desktop app (the default)")

    demo = command("demo", cmd_demo, "fill the database with a realistic demo family")
    demo.add_argument("--members", type=_positive_int, default=6)
    demo.add_argument("--habits", type=_non_negative_int, default=10, help="habits per member")
    demo.add_argument("--routines", type=_non_negative_int, default=2, help="routines per member")
    demo.add_argument("--days", type=_positive_int, default=365, help="days of history")
    demo.add_argument("--seed", type=int, default=1)

    family = command("family", None, "families")
    family_commands = family.add_subparsers(metavar="ACTION", required=True, parser_class=_Parser)
    create = command("create", cmd_family_create, "create a family", family_commands)
    create.add_argument("name", metavar="NAME")
    create.add_argument("--timezone", help="IANA time zone, e.g. Europe/Paris (default UTC)")
    create.add_argument("--week-start", choices=["monday", "sunday"])
    create.add_argument("--day-start-hour", type=int, help="0–4: the hour a new day begins")
    create.add_argument("--owner", help="create the owner too, with this name")
    create.add_argument("--owner-email")
    create.add_argument("--json", action="store_true")

    member = command("member", None, "family members")
    member_commands = member.add_subparsers(metavar="ACTION", required=True, parser_class=_Parser)
    add = command("add", cmd_member_add, "add a member to a family", member_commands)
    add.add_argument("name", metavar="NAME")
    add.add_argument("--family", help="family name (optional when there is only one)")
    add.add_argument("--role", required=True, choices=["owner", "parent", "child", "viewer"])
    add.add_argument("--email")
    add.add_argument("--colour", help="#RRGGBB")
    add.add_argument("--emoji", help="avatar emoji")
    add.add_argument("--birth-date", type=_parse_date)
    add.add_argument("--json", action="store_true")

    listing = command("list", cmd_list, "list families, members, habits or routines")
    listing.add_argument("what", choices=["families", "members", "habits", "routines"])
    listing.add_argument("--family")
    listing.add_argument("--member")
    listing.add_argument("--all", action="store_true", help="include archived habits/routines")
    listing.add_argument("--json", action="store_true")

    shot = command("screenshot", cmd_screenshot, "render a screen off-screen to a PNG file")
    shot.add_argument(
        "screen",
        choices=[
            "today",
            "family",
            "routines",
            "habits",
            "history",
            "rewards",
            "settings",
            "setup",
        ],
    )
    shot.add_argument("--out", required=True, help="the PNG file to write")
    shot.add_argument("--size", type=_size, default=(1280, 800), help="WIDTHxHEIGHT (1280x800)")
    shot.add_argument("--theme", choices=["light", "dark"])

    _add_habit_commands(command)
    return parser


def _add_habit_commands(command: Callable[..., Any]) -> None:
    """Habit and check-in commands (defined in cli_habits to keep this file readable)."""
    from habitdesk import cli_habits, cli_report, cli_stats

    cli_habits.add_commands(command, _parse_date, _finite_float, _frequency)
    cli_stats.add_commands(command, _parse_date)
    cli_report.add_commands(command)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as done:  # --help, --version and usage errors
        return done.code if isinstance(done.code, int) else EXIT_USAGE
    if not hasattr(args, "database_url"):
        args.database_url = None
    outcome = args.handler(args)
    if isinstance(outcome, int):
        return outcome
    return run(outcome)


def run(coroutine: Awaitable[int]) -> int:
    from habitdesk.core.errors import HabitDeskError

    try:
        return asyncio.run(_checked(coroutine))
    except HabitDeskError as exc:
        return _fail(str(exc))
    except KeyboardInterrupt:
        return 130


async def _checked(coroutine: Awaitable[int]) -> int:
    return await coroutine
