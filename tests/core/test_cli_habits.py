"""`habitdesk habit add` and `habitdesk checkin`, as a script would use them."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest

from habitdesk.cli import main
from habitdesk.core.appcore import AppCore
from habitdesk.core.config import load_settings


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def family(capsys):  # type: ignore[no-untyped-def]
    assert (
        run(
            capsys, "family", "create", "Martin", "--owner", "Claire", "--timezone", "Europe/Paris"
        )[0]
        == 0
    )
    assert run(capsys, "member", "add", "Émilie", "--role", "child")[0] == 0


def habits(capsys) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    code, out, _ = run(capsys, "list", "habits", "--json")
    assert code == 0
    return json.loads(out)  # type: ignore[no-any-return]


def test_boolean_and_numeric_habits_with_frequencies(capsys, family) -> None:  # type: ignore[no-untyped-def]
    assert (
        run(
            capsys,
            "habit",
            "add",
            "--member",
            "ÉMILIE",
            "Read 20 minutes",
            "--weekdays",
            "mon,wed,fri",
        )[0]
        == 0
    )
    assert (
        run(
            capsys,
            "habit",
            "add",
            "--member",
            "Émilie",
            "Walk",
            "--numeric",
            "--target",
            "8000",
            "--unit",
            "steps",
            "--every",
            "5/7",
        )[0]
        == 0
    )
    assert (
        run(
            capsys,
            "habit",
            "add",
            "--member",
            "Émilie",
            "Screen time",
            "--numeric",
            "--target",
            "60",
            "--unit",
            "min",
            "--at-most",
        )[0]
        == 0
    )
    by_name = {h["name"]: h for h in habits(capsys)}
    assert set(by_name) == {"Read 20 minutes", "Walk", "Screen time"}
    assert by_name["Read 20 minutes"]["kind"] == "boolean"
    assert sorted(by_name["Read 20 minutes"]["weekdays"]) == ["fri", "mon", "wed"]
    assert (by_name["Walk"]["freq_num"], by_name["Walk"]["freq_den"]) == (5, 7)
    assert by_name["Walk"]["target_value"] == 8000 and by_name["Walk"]["unit"] == "steps"
    assert by_name["Screen time"]["direction"] == "at_most"


def test_checkins(capsys, family) -> None:  # type: ignore[no-untyped-def]
    run(capsys, "habit", "add", "--member", "Émilie", "Read")
    run(
        capsys,
        "habit",
        "add",
        "--member",
        "Émilie",
        "Walk",
        "--numeric",
        "--target",
        "8000",
        "--unit",
        "steps",
    )
    code, out, _ = run(
        capsys, "checkin", "--member", "émilie", "--habit", "read", "--date", "2026-01-05", "--json"
    )
    assert code == 0
    entry = json.loads(out)
    assert (entry["day"], entry["status"], entry["value"]) == ("2026-01-05", "done", 1.0)
    code, out, _ = run(
        capsys,
        "checkin",
        "--member",
        "Émilie",
        "--habit",
        "Read",
        "--date",
        "2026-01-05",
        "--no",
        "--json",
    )
    assert json.loads(out)["status"] == "missed"
    code, out, _ = run(
        capsys,
        "checkin",
        "--member",
        "Émilie",
        "--habit",
        "Read",
        "--date",
        "2026-01-06",
        "--skip",
        "--json",
    )
    assert json.loads(out)["status"] == "skipped"
    code, out, _ = run(
        capsys,
        "checkin",
        "--member",
        "Émilie",
        "--habit",
        "Walk",
        "--date",
        "2026-01-05",
        "--value",
        "9500",
        "--note",
        "park",
        "--json",
    )
    entry = json.loads(out)
    assert (entry["status"], entry["value"], entry["note"]) == ("done", 9500.0, "park")
    code, out, _ = run(
        capsys,
        "checkin",
        "--member",
        "Émilie",
        "--habit",
        "Walk",
        "--date",
        "2026-01-06",
        "--value",
        "4000",
        "--json",
    )
    assert json.loads(out)["status"] == "missed"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["habit", "add", "--member", "Nobody", "X"], "No member is called 'Nobody'."),
        (
            ["habit", "add", "--member", "Émilie", "X", "--every", "8/7"],
            "8 times per 7 days is impossible",
        ),
        (["habit", "add", "--member", "Émilie", "X", "--every", "1/400"], "Days"),
        (["habit", "add", "--member", "Émilie", "X", "--every", "three"], "is not a frequency"),
        (
            [
                "habit",
                "add",
                "--member",
                "Émilie",
                "X",
                "--numeric",
                "--target",
                "0",
                "--unit",
                "u",
            ],
            "Target: must be greater than zero",
        ),
        (
            [
                "habit",
                "add",
                "--member",
                "Émilie",
                "X",
                "--numeric",
                "--target",
                "nan",
                "--unit",
                "u",
            ],
            "is not a finite number",
        ),
        (
            ["habit", "add", "--member", "Émilie", "X", "--numeric", "--target", "5"],
            "Unit: a numeric habit needs a unit",
        ),
        (
            ["habit", "add", "--member", "Émilie", "X", "--target", "5"],
            "--target, --unit and --at-most go with --numeric",
        ),
        (
            ["habit", "add", "--member", "Émilie", "X", "--weekdays", "mon,funday"],
            "'funday' is not a weekday",
        ),
        (
            ["habit", "add", "--member", "Émilie", "X", "--weekdays", "mon", "--every", "1/2"],
            "not allowed with argument",
        ),
        (["habit", "add", "--member", "Émilie", "  "], "Name: must not be empty"),
    ],
)
def test_bad_habit_input_is_one_line_exit_2_and_writes_nothing(
    capsys, family, argv: list[str], message: str
) -> None:  # type: ignore[no-untyped-def]
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert habits(capsys) == []


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--habit", "Nope"], "Émilie has no habit called 'Nope'."),
        (["--habit", "Walk"], "'Walk' is numeric: give --value (in steps), --no or --skip."),
        (["--habit", "Walk", "--value", "abc"], "'abc' is not a number"),
        (["--habit", "Read", "--date", "2026-02-30"], "'2026-02-30' is not a date"),
        (["--habit", "Read", "--date", "2999-01-01"], "is in the future"),
        (["--habit", "Read", "--no", "--skip"], "not allowed with argument"),
    ],
)
def test_bad_checkins_are_refused_and_write_nothing(
    capsys, family, argv: list[str], message: str
) -> None:  # type: ignore[no-untyped-def]
    run(capsys, "habit", "add", "--member", "Émilie", "Read")
    run(
        capsys,
        "habit",
        "add",
        "--member",
        "Émilie",
        "Walk",
        "--numeric",
        "--target",
        "8000",
        "--unit",
        "steps",
    )
    code, _, err = run(capsys, "checkin", "--member", "Émilie", *argv)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    code, out, _ = run(capsys, "list", "habits", "--json")
    habit_ids = [uuid.UUID(h["id"]) for h in json.loads(out)]
    assert len(habit_ids) == 2

    async def count() -> int:
        core = await AppCore.open(load_settings())
        try:
            return sum([await core.habits.count_entries(habit_id) for habit_id in habit_ids])
        finally:
            await core.close()

    assert asyncio.run(count()) == 0
