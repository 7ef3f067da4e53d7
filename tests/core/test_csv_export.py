"""The CSV export: file layout, contents, safe names, and all-or-nothing writing."""

from __future__ import annotations

import csv
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest

from habitdesk.core.db.database import Database
from habitdesk.core.domain.days import family_today
from habitdesk.core.domain.history_days import DayStatus
from habitdesk.core.enums import Direction, HabitKind, Role
from habitdesk.core.errors import InvalidInputError
from habitdesk.core.io import csv_export
from habitdesk.core.io.csv_export import NAME_BYTES, export_csv, safe_name, write_csv_export
from habitdesk.core.schemas.stats import FamilyHistoryRead, HabitHistoryRead, MemberHistoryRead
from habitdesk.core.services.base import Actor
from habitdesk.core.services.habits import HabitService
from habitdesk.core.services.stats import StatsService
from tests.core.factories import make_family

DONE, MISSED, SKIPPED, NONE = DayStatus.DONE, DayStatus.MISSED, DayStatus.SKIPPED, DayStatus.NONE
END = date(2026, 3, 4)


def habit(
    name: str,
    start: date,
    statuses: list[DayStatus],
    values: list[float | None],
    *,
    kind: HabitKind = HabitKind.BOOLEAN,
    notes: list[str | None] | None = None,
) -> HabitHistoryRead:
    n = len(statuses)
    return HabitHistoryRead(
        habit_id=uuid.uuid4(),
        user_id=uuid.uuid4(),
        name=name,
        kind=kind,
        unit="steps" if kind is HabitKind.NUMERIC else None,
        direction=Direction.AT_LEAST,
        archived=False,
        start=start,
        statuses=tuple(statuses),
        values=tuple(values),
        notes=tuple(notes or [None] * n),
        scores=tuple(round(0.1 * (i + 1), 6) for i in range(n)),
    )


def member(name: str, *habits: HabitHistoryRead, role: Role = Role.CHILD) -> MemberHistoryRead:
    return MemberHistoryRead(user_id=uuid.uuid4(), full_name=name, role=role, habits=habits)


def history(*members: MemberHistoryRead) -> FamilyHistoryRead:
    return FamilyHistoryRead(family_id=uuid.uuid4(), family_name="Martin", end=END, members=members)


def read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def sample() -> FamilyHistoryRead:
    read_habit = habit(
        "Read 📚",
        END - timedelta(days=2),
        [DONE, SKIPPED, MISSED],
        [1.0, 0.0, 0.0],
        notes=[None, 'at "grandma\'s", all day', None],
    )
    walk = habit(
        "Walk",
        END - timedelta(days=1),
        [DONE, NONE],
        [8000.5, None],
        kind=HabitKind.NUMERIC,
    )
    return history(
        member("Léa 🦄", read_habit, walk),
        member("小明", habit("Read 📚", END, [NONE], [None]), role=Role.PARENT),
    )


def test_layout_and_contents(tmp_path: Path) -> None:
    report = write_csv_export(sample(), tmp_path / "out")
    root = tmp_path / "out"
    assert sorted(str(p.relative_to(root)) for p in root.rglob("*.csv")) == [
        "Léa 🦄/habits/Read 📚.csv",
        "Léa 🦄/habits/Walk.csv",
        "Léa 🦄/history.csv",
        "Léa 🦄/scores.csv",
        "habits.csv",
        "members.csv",
        "小明/habits/Read 📚.csv",
        "小明/history.csv",
        "小明/scores.csv",
    ]
    assert (report.members, report.habits, len(report.files)) == (2, 3, 9)
    assert read(root / "members.csv") == [
        ["member", "role", "folder", "habits"],
        ["Léa 🦄", "child", "Léa 🦄", "2"],
        ["小明", "parent", "小明", "1"],
    ]
    assert read(root / "habits.csv")[1:3] == [
        ["Léa 🦄", "Read 📚", "boolean", "", "", "no", "2026-03-02", "Léa 🦄/habits/Read 📚.csv"],
        [
            "Léa 🦄",
            "Walk",
            "numeric",
            "steps",
            "at_least",
            "no",
            "2026-03-03",
            "Léa 🦄/habits/Walk.csv",
        ],
    ]
    assert read(root / "Léa 🦄" / "habits" / "Read 📚.csv") == [
        ["date", "status", "value", "note", "score"],
        ["2026-03-02", "done", "1", "", "0.1000"],
        ["2026-03-03", "skipped", "0", 'at "grandma\'s", all day', "0.2000"],
        ["2026-03-04", "missed", "0", "", "0.3000"],
    ]
    assert read(root / "Léa 🦄" / "habits" / "Walk.csv")[1:] == [
        ["2026-03-03", "done", "8000.5", "", "0.1000"],
        ["2026-03-04", "none", "", "", "0.2000"],
    ]
    assert read(root / "Léa 🦄" / "history.csv") == [
        ["date", "Read 📚", "Walk"],
        ["2026-03-02", "done", ""],
        ["2026-03-03", "skipped", "8000.5"],
        ["2026-03-04", "missed", ""],
    ]
    assert read(root / "Léa 🦄" / "scores.csv")[1:] == [
        ["2026-03-02", "0.1000", ""],
        ["2026-03-03", "0.2000", "0.1000"],
        ["2026-03-04", "0.3000", "0.2000"],
    ]
    raw = (root / "Léa 🦄" / "history.csv").read_bytes()
    assert raw.startswith(b"date,Read \xf0\x9f\x93\x9a,Walk\n")  # UTF-8, no BOM, \n lines


def test_repeated_habit_names_get_their_own_file_and_column(tmp_path: Path) -> None:
    twins = member(
        "Léa",
        habit("Read", END, [DONE], [1.0]),
        habit("read", END, [MISSED], [0.0]),
        habit("Read", END, [SKIPPED], [0.0]),
    )
    write_csv_export(history(twins), tmp_path)
    files = sorted(p.name for p in (tmp_path / "Léa" / "habits").iterdir())
    assert files == ["Read (3).csv", "Read.csv", "read (2).csv"]
    assert read(tmp_path / "Léa" / "history.csv")[0] == ["date", "Read", "read (2)", "Read (3)"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Léa 🦄", "Léa 🦄"),
        ("Walk/Run", "Walk_Run"),
        ('a<b>c:d"e\\f|g?h*i', "a_b_c_d_e_f_g_h_i"),
        ("  spaced   out  ", "spaced out"),
        ("line\nbreak\ttab", "line_break_tab"),
        ("..", "_"),
        ("", "_"),
        ("trailing dot.", "trailing dot"),
        ("CON", "CON_"),
        ("lpt1.txt", "lpt1.txt_"),
        ("con artist", "con artist"),
        ("\u202egnp.exe", "gnp.exe"),  # no right-to-left override tricks
        ("👨‍👩‍👧 family", "👨‍👩‍👧 family"),
        ("e\u0301cole", "école"),  # composed, as macOS and Windows agree
    ],
)
def test_safe_names(name: str, expected: str) -> None:
    assert safe_name(name) == expected


def test_long_names_are_cut_to_a_size_every_file_system_accepts() -> None:
    long = "🦄" * 100
    cut = safe_name(long)
    assert len(cut.encode()) <= NAME_BYTES and cut == "🦄" * (NAME_BYTES // 4)
    # An emoji sequence cut in two does not end on its joiner.
    family = "👨‍👩‍👧" * 30
    assert not safe_name(family).endswith("\u200d")
    taken: set[str] = set()
    first, second = safe_name("x" * 200, taken), safe_name("X" * 200, taken)
    assert second.endswith(" (2)") and len(second.encode()) <= NAME_BYTES
    assert first != second


def test_the_index_files_cannot_be_taken_by_a_member_folder(tmp_path: Path) -> None:
    write_csv_export(history(member("members.csv"), member("Habits.CSV")), tmp_path)
    assert read(tmp_path / "members.csv")[1:] == [
        ["members.csv", "child", "members.csv (2)", "0"],
        ["Habits.CSV", "child", "Habits.CSV (2)", "0"],
    ]


def test_a_failed_export_leaves_the_folder_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "members.csv").write_text("an earlier export", encoding="utf-8")
    calls = 0
    original = csv_export._write_rows

    def fail_midway(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal calls
        calls += 1
        if calls == 4:
            raise OSError(28, "No space left on device")
        original(*args, **kwargs)

    monkeypatch.setattr(csv_export, "_write_rows", fail_midway)
    with pytest.raises(InvalidInputError, match=r"No space left on device.*nothing was changed"):
        write_csv_export(sample(), tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == ["members.csv"]
    assert (tmp_path / "members.csv").read_text(encoding="utf-8") == "an earlier export"


def test_exporting_again_replaces_the_files_and_keeps_others(tmp_path: Path) -> None:
    write_csv_export(sample(), tmp_path)
    (tmp_path / "notes.txt").write_text("mine", encoding="utf-8")
    write_csv_export(
        history(member("Léa 🦄", habit("Walk", END, [DONE], [9.0], kind=HabitKind.NUMERIC))),
        tmp_path,
    )
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert read(tmp_path / "Léa 🦄" / "habits" / "Walk.csv")[1] == [
        "2026-03-04",
        "done",
        "9",
        "",
        "0.1000",
    ]
    assert not list(tmp_path.glob(".habitdesk-export-*"))


def test_a_file_where_the_folder_should_be_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(InvalidInputError, match="is a file; give a folder"):
        write_csv_export(sample(), target)


async def test_export_through_the_service(database: Database, tmp_path: Path) -> None:
    fam = await make_family(database)
    habits = HabitService(database)
    day = family_today("Europe/Paris", 0) - timedelta(days=1)
    created = await habits.create_habit(
        Actor.local_admin(),
        {
            "family_id": fam.family.id,
            "user_id": fam.child.user_id,
            "name": "Brush teeth",
            "effective_from": day,
        },
    )
    await habits.set_entry(
        Actor.local_admin(), created.value.id, day, {"status": "done", "note": "twice!"}
    )
    report = await export_csv(
        StatsService(database), fam.actor(fam.viewer), fam.family.id, tmp_path / "e"
    )
    assert report.habits == 1 and report.members == 4
    rows = read(tmp_path / "e" / "Léa Martin" / "habits" / "Brush teeth.csv")
    assert rows[1] == [day.isoformat(), "done", "1", "twice!", "0.0519"]
    assert rows[2][:2] == [(day + timedelta(days=1)).isoformat(), "none"]
