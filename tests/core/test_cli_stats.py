"""`habitdesk stats` and `habitdesk export`, as a script would use them."""

from __future__ import annotations

import csv
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from habitdesk.cli import main
from habitdesk.core.domain.days import family_today


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def today() -> date:
    return family_today("Europe/Paris", 0)


def ago(n: int) -> str:
    return (today() - timedelta(days=n)).isoformat()


@pytest.fixture
def family(capsys):  # type: ignore[no-untyped-def]
    assert (
        run(
            capsys, "family", "create", "Martin", "--owner", "Claire", "--timezone", "Europe/Paris"
        )[0]
        == 0
    )
    assert run(capsys, "member", "add", "Émilie 🦄", "--role", "child")[0] == 0
    assert run(capsys, "habit", "add", "--member", "Émilie 🦄", "Read")[0] == 0
    assert (
        run(
            capsys,
            "habit",
            "add",
            "--member",
            "Émilie 🦄",
            "Walk/Run",
            "--numeric",
            "--target",
            "8000",
            "--unit",
            "steps",
        )[0]
        == 0
    )
    for n in (4, 3, 1):
        assert (
            run(capsys, "checkin", "--member", "Émilie 🦄", "--habit", "Read", "--date", ago(n))[0]
            == 0
        )
    assert (
        run(
            capsys,
            "checkin",
            "--member",
            "Émilie 🦄",
            "--habit",
            "Read",
            "--date",
            ago(2),
            "--skip",
            "--note",
            "ill, in bed",
        )[0]
        == 0
    )
    assert (
        run(
            capsys,
            "checkin",
            "--member",
            "Émilie 🦄",
            "--habit",
            "walk/run",
            "--date",
            ago(1),
            "--value",
            "9500",
        )[0]
        == 0
    )


def test_stats_json_has_every_day_of_the_range(capsys, family) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(
        capsys,
        "stats",
        "--member",
        "émilie 🦄",
        "--habit",
        "READ",
        "--from",
        ago(5),
        "--to",
        ago(1),
        "--json",
    )
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert set(data) == {"habit", "current_streak", "best_streak", "days"}
    assert data["habit"] == "Read"
    assert (data["current_streak"], data["best_streak"]) == (3, 3)  # skipped day 2 is neutral
    assert [d["date"] for d in data["days"]] == [ago(n) for n in (5, 4, 3, 2, 1)]
    assert [d["status"] for d in data["days"]] == ["none", "done", "done", "skipped", "done"]
    assert [d["value"] for d in data["days"]] == [None, 1.0, 1.0, 0.0, 1.0]
    scores = [d["score"] for d in data["days"]]
    assert scores[0] == 0.0 and scores[1] == 0.0519 and scores[3] == scores[2] < scores[4]
    assert all(set(d) == {"date", "status", "value", "score"} for d in data["days"])


def test_stats_range_defaults_to_the_habits_first_day_and_today(capsys, family) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "stats", "--member", "Émilie 🦄", "--habit", "Read", "--json")
    assert code == 0
    days = json.loads(out)["days"]
    # The check-ins were back-filled before the habit was added today: they come first.
    assert (days[0]["date"], days[-1]["date"]) == (ago(4), today().isoformat())
    assert days[-1]["status"] == "none"
    code, out, _ = run(capsys, "stats", "--member", "Émilie 🦄", "--habit", "Walk/Run", "--json")
    walk = json.loads(out)["days"]
    assert (walk[0]["date"], walk[0]["value"], walk[0]["status"]) == (ago(1), 9500.0, "done")


def test_stats_for_a_person(capsys, family) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(
        capsys, "stats", "--member", "Émilie 🦄", "--habit", "Read", "--from", ago(2)
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith(
        f"Read (Émilie 🦄), {ago(2)} to {today().isoformat()}: current streak"
    )
    assert len(lines) == 1 + 3
    assert "skipped" in lines[1]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--member", "Nobody", "--habit", "Read"], "No member is called 'Nobody'."),
        (["--member", "Émilie 🦄", "--habit", "Nope"], "Émilie 🦄 has no habit called 'Nope'."),
        (
            ["--member", "Émilie 🦄", "--habit", "Read", "--from", "2026-02-30"],
            "'2026-02-30' is not a date",
        ),
        (["--member", "Émilie 🦄", "--habit", "Read", "--to", "soon"], "'soon' is not a date"),
        (
            ["--member", "Émilie 🦄", "--habit", "Read", "--from", ago(1), "--to", ago(3)],
            f"Dates: the start ({ago(1)}) is after the end ({ago(3)}).",
        ),
        (
            ["--member", "Émilie 🦄", "--habit", "Read", "--to", "2999-01-01"],
            "statistics stop at today",
        ),
        (
            ["--member", "Émilie 🦄", "--habit", "Read", "--family", "Smith"],
            "No family is called 'Smith'.",
        ),
        (["--member", "Émilie 🦄"], "the following arguments are required: --habit"),
    ],
)
def test_bad_stats_requests_are_one_line_exit_2(
    capsys, family, argv: list[str], message: str
) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(capsys, "stats", *argv)
    assert code == 2
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1


def read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def test_export_writes_csv_per_habit_and_per_member(capsys, family, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out_dir = tmp_path / "export"
    code, out, err = run(capsys, "export", "--format", "csv", "--out", str(out_dir))
    assert (code, err) == (0, "")
    assert out.startswith("Exported 2 habits of 2 members to ")
    assert read_csv(out_dir / "members.csv") == [
        ["member", "role", "folder", "habits"],
        ["Claire", "owner", "Claire", "0"],
        ["Émilie 🦄", "child", "Émilie 🦄", "2"],
    ]
    habits = read_csv(out_dir / "habits.csv")
    assert [row[1] for row in habits[1:]] == ["Read", "Walk/Run"]
    assert habits[2][-1] == "Émilie 🦄/habits/Walk_Run.csv"
    read = read_csv(out_dir / "Émilie 🦄" / "habits" / "Read.csv")
    assert read[0] == ["date", "status", "value", "note", "score"]
    assert read[1] == [ago(4), "done", "1", "", "0.0519"]
    assert read[3][:4] == [ago(2), "skipped", "0", "ill, in bed"]
    wide = read_csv(out_dir / "Émilie 🦄" / "history.csv")
    assert wide[0] == ["date", "Read", "Walk/Run"]
    assert wide[4] == [ago(1), "done", "9500"]
    scores = read_csv(out_dir / "Émilie 🦄" / "scores.csv")
    assert scores[1] == [ago(4), "0.0519", ""]


def test_export_of_one_member(capsys, family, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(
        capsys, "export", "--format", "csv", "--out", str(tmp_path / "x"), "--member", "claire"
    )
    assert code == 0 and "0 habits of 1 member " in out
    assert [p.name for p in sorted((tmp_path / "x").iterdir())] == [
        "Claire",
        "habits.csv",
        "members.csv",
    ]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--format", "json", "--out", "OUT"], "invalid choice: 'json'"),
        (["--out", "OUT"], "the following arguments are required: --format"),
        (["--format", "csv"], "the following arguments are required: --out"),
        (["--format", "csv", "--out", "OUT", "--member", "Nobody"], "No member is called 'Nobody'"),
        (["--format", "csv", "--out", "OUT", "--family", "Smith"], "No family is called 'Smith'."),
        (["--format", "csv", "--out", "FILE"], "is a file; give a folder to export into"),
    ],
)
def test_bad_exports_are_one_line_exit_2_and_write_nothing(
    capsys, family, tmp_path: Path, argv: list[str], message: str
) -> None:  # type: ignore[no-untyped-def]
    a_file = tmp_path / "file.txt"
    a_file.write_text("keep me", encoding="utf-8")
    target = tmp_path / "out"
    argv = [str(target) if a == "OUT" else str(a_file) if a == "FILE" else a for a in argv]
    code, out, err = run(capsys, "export", *argv)
    assert code == 2
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert not target.exists()
    assert a_file.read_text(encoding="utf-8") == "keep me"
