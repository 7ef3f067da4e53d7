"""`habitdesk habit add` and `habitdesk checkin`: the habit commands of the command line."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import Any

from habitdesk.cli_support import open_core, print_json


async def cmd_habit_add(args: argparse.Namespace) -> int:
    from habitdesk.core.errors import InvalidInputError
    from habitdesk.core.services.base import Actor

    numeric_flags = args.target is not None or args.unit is not None or args.at_most
    if numeric_flags and not args.numeric:
        raise InvalidInputError("--target, --unit and --at-most go with --numeric.")
    async with open_core(args) as core:
        family_id = (await core.lookup.family(args.family)).id if args.family else None
        member = await core.lookup.member(args.member, family_id)
        data: dict[str, Any] = {
            "family_id": member.family_id,
            "user_id": member.user_id,
            "name": args.name,
            "kind": "numeric" if args.numeric else "boolean",
            "points": args.points,
        }
        if args.numeric:
            data |= {
                "target_value": args.target,
                "unit": args.unit,
                "direction": "at_most" if args.at_most else "at_least",
            }
        if args.every is not None:
            data["freq_num"], data["freq_den"] = args.every
        elif args.weekdays is not None:
            data["weekdays"] = args.weekdays
        else:
            data["freq_num"], data["freq_den"] = 1, 1
        result = await core.habits.create_habit(Actor.local_admin(), data)
    habit = result.value
    if args.json:
        print_json(habit.model_dump(mode="json"))
    else:
        print(f"Added habit '{habit.name}' for {member.full_name}")
    return 0


async def cmd_checkin(args: argparse.Namespace) -> int:
    from habitdesk.core.domain.days import family_today
    from habitdesk.core.errors import InvalidInputError
    from habitdesk.core.models.enums import EntryStatus, HabitKind
    from habitdesk.core.services.base import Actor

    async with open_core(args) as core:
        family_id = (await core.lookup.family(args.family)).id if args.family else None
        member = await core.lookup.member(args.member, family_id)
        habit_id = await core.lookup.habit_id(member, args.habit)
        habit = await core.habits.get_habit(habit_id)
        family = await core.families.get_family(member.family_id)
        day: date = args.date or family_today(family.time_zone, family.day_start_hour)
        data: dict[str, Any] = {"note": args.note} if args.note is not None else {}
        if args.skip:
            data["skip"] = True
        elif args.no:
            data |= {"status": EntryStatus.MISSED, "value": 0}
        elif args.value is not None:
            data["value"] = args.value
        elif habit.kind is HabitKind.NUMERIC:
            raise InvalidInputError(
                f"'{habit.name}' is numeric: give --value (in {habit.unit}), --no or --skip."
            )
        else:
            data |= {"status": EntryStatus.DONE, "value": 1}
        result = await core.habits.set_entry(Actor.local_admin(), habit_id, day, data)
    entry = result.value
    if args.json:
        print_json(entry.model_dump(mode="json"))
    else:
        print(f"{habit.name} on {day.isoformat()}: {entry.status.value} ({entry.value:g})")
    return 0


def _weekday_list(text: str) -> list[str]:
    from habitdesk.core.domain.weekdays import mask_from_names, names_from_mask

    try:
        names = names_from_mask(mask_from_names(p for p in text.split(",") if p.strip()))
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    if not names:
        raise argparse.ArgumentTypeError("choose at least one weekday, e.g. mon,wed,fri")
    return names


def add_commands(
    command: Callable[..., Any],
    parse_date: Callable[[str], date],
    finite_float: Callable[[str], float],
    frequency: Callable[[str], tuple[int, int]],
) -> None:
    habit = command("habit", None, "habits")
    habit_commands = habit.add_subparsers(metavar="ACTION", required=True, parser_class=type(habit))
    add = command("add", cmd_habit_add, "add a habit for a member", habit_commands)
    add.add_argument("name", metavar="NAME")
    add.add_argument("--member", required=True)
    add.add_argument("--family")
    add.add_argument("--numeric", action="store_true", help="a number per day instead of done/not")
    add.add_argument("--target", type=finite_float, help="numeric target per day")
    add.add_argument("--unit", help="unit of the numeric value, e.g. steps")
    add.add_argument("--at-most", action="store_true", help="the target is a maximum")
    how_often = add.add_mutually_exclusive_group()
    how_often.add_argument("--every", type=frequency, metavar="X/Y", help="X times per Y days")
    how_often.add_argument("--weekdays", type=_weekday_list, metavar="mon,wed,fri")
    add.add_argument("--points", type=int, default=0, help="points per completion")
    add.add_argument("--json", action="store_true")

    checkin = command("checkin", cmd_checkin, "record a habit for a day")
    checkin.add_argument("--member", required=True)
    checkin.add_argument("--habit", required=True)
    checkin.add_argument("--family")
    checkin.add_argument("--date", type=parse_date, help="YYYY-MM-DD (default: today)")
    what = checkin.add_mutually_exclusive_group()
    what.add_argument("--value", type=finite_float, help="the amount (numeric) or 1/0")
    what.add_argument("--no", action="store_true", help="not done")
    what.add_argument("--skip", action="store_true", help="skipped (does not break a streak)")
    checkin.add_argument("--note")
    checkin.add_argument("--json", action="store_true")
