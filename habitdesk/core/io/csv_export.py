"""CSV export of the habits' history: per habit, per member, and an index of both.

Layout under the chosen folder (UTF-8, a header row in every file, one line per day, oldest
first, days as YYYY-MM-DD):

    members.csv                       member, role, folder, habits
    habits.csv                        member, habit, kind, unit, direction, archived,
                                      first_day, file
    <member>/history.csv              date, then one column per habit: done / missed /
                                      skipped for yes/no habits, the amount for numeric ones
                                      ("skipped" when skipped); empty when nothing was recorded
                                      or the habit had not started
    <member>/scores.csv               date, then each habit's strength score (0 … 1, 4 decimals)
    <member>/habits/<habit>.csv       date, status, value, note, score — every day from the
                                      habit's first day (status "none" and no value when
                                      nothing was recorded)

Folder and file names keep any script and emoji, but lose what a file system refuses
(path separators, control characters, Windows' reserved characters and names, trailing dots
and spaces) and are cut to a length every system accepts; two names that would collide
(even by case, as on Windows and macOS) are numbered.

The files are written into a temporary folder inside the target first and moved into place
only when all of them were written, so a failure leaves the target as it was.
"""

from __future__ import annotations

import asyncio
import csv
import os
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from uuid import UUID

from habitdesk.core.domain.history_days import DayStatus
from habitdesk.core.enums import HabitKind
from habitdesk.core.errors import InvalidInputError
from habitdesk.core.schemas.stats import FamilyHistoryRead, HabitHistoryRead, MemberHistoryRead
from habitdesk.core.services.base import Actor
from habitdesk.core.services.stats import StatsService

# Bytes, not characters: file systems count bytes (255 at most on most of them), and a folder
# name plus a file name must also fit Windows' 260-character paths in a typical folder.
NAME_BYTES = 80
_FORBIDDEN = set('<>:"/\\|?*')
# Bidirectional overrides can make a name display as something else ("gpj.exe").
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}
# A name cut in the middle of an emoji sequence must not end on its joiner or a selector.
_DANGLING = "\u200d\ufe0e\ufe0f"
_INDEX_FILES = frozenset({"members.csv", "habits.csv"})


@dataclass(frozen=True)
class CsvExportReport:
    folder: Path
    files: tuple[Path, ...]
    members: int
    habits: int


def safe_name(name: str, taken: set[str] | None = None, *, limit: int = NAME_BYTES) -> str:
    """`name` as a file or folder name on Windows, macOS and Linux alike.

    With `taken` (names already used in the same folder, compared without case), a colliding
    name gets " (2)", " (3)" …; the chosen name is added to `taken`.
    """
    text = unicodedata.normalize("NFC", name)
    kept = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in _FORBIDDEN or category in ("Cc", "Cs", "Zl", "Zp"):
            kept.append("_")
        elif ch in _BIDI_CONTROLS:
            continue
        elif category == "Zs":
            kept.append(" ")
        else:
            kept.append(ch)
    text = " ".join("".join(kept).split())
    text = _fit(text, limit).strip(" .") or "_"
    if text.split(".")[0].upper() in _RESERVED:
        text = f"{text}_"
    if taken is None:
        return text
    candidate, number = text, 1
    while _key(candidate) in taken:
        number += 1
        suffix = f" ({number})"
        candidate = _fit(text, limit - len(suffix.encode())).rstrip(" .") + suffix
    taken.add(_key(candidate))
    return candidate


def _fit(text: str, limit: int) -> str:
    if len(text.encode()) <= limit:
        return text
    cut = text
    while cut and len(cut.encode()) > limit:
        cut = cut[:-1]
    # Drop a trailing combining mark or joiner left from a sequence cut in two.
    while cut and (cut[-1] in _DANGLING or unicodedata.combining(cut[-1])):
        cut = cut[:-1]
    return cut


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def _number(value: float | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _score(value: float) -> str:
    return f"{value:.4f}"


def _cell(habit: HabitHistoryRead, i: int) -> str:
    status = habit.statuses[i]
    if status is DayStatus.NONE:
        return ""
    if habit.kind is HabitKind.NUMERIC and status is not DayStatus.SKIPPED:
        return _number(habit.values[i])
    return status.value


def _headers(names: Iterable[str]) -> list[str]:
    """Column titles: a repeated name is numbered, so every column can be told apart."""
    seen: dict[str, int] = {}
    titles = []
    for name in names:
        key = _key(name)
        seen[key] = seen.get(key, 0) + 1
        titles.append(name if seen[key] == 1 else f"{name} ({seen[key]})")
    return titles


def _write_rows(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(header)
        out.writerows(rows)


def _habit_rows(habit: HabitHistoryRead) -> Iterable[list[str]]:
    for day, status, value, note, score in habit.rows():
        yield [
            day.isoformat(),
            status.value,
            "" if status is DayStatus.NONE else _number(value),
            note or "",
            _score(score),
        ]


def _wide_rows(habits: Sequence[HabitHistoryRead], end: date, scores: bool) -> Iterable[list[str]]:
    if not habits:
        return
    first = min(h.start for h in habits)
    for offset in range((end - first).days + 1):
        day = first + timedelta(days=offset)
        row = [day.isoformat()]
        for habit in habits:
            i = (day - habit.start).days
            if not 0 <= i < len(habit):
                row.append("")
            elif scores:
                row.append(_score(habit.scores[i]))
            else:
                row.append(_cell(habit, i))
        yield row


def _write_member(
    root: Path, folder: str, member: MemberHistoryRead, end: date
) -> list[tuple[HabitHistoryRead, str]]:
    base = root / folder
    habits = list(member.habits)
    titles = ["date", *_headers(h.name for h in habits)]
    _write_rows(base / "history.csv", titles, _wide_rows(habits, end, scores=False))
    _write_rows(base / "scores.csv", titles, _wide_rows(habits, end, scores=True))
    taken: set[str] = set()
    files = []
    for habit in habits:
        name = safe_name(habit.name, taken, limit=NAME_BYTES - len(b".csv")) + ".csv"
        _write_rows(
            base / "habits" / name,
            ["date", "status", "value", "note", "score"],
            _habit_rows(habit),
        )
        files.append((habit, f"{folder}/habits/{name}"))
    return files


def write_csv_export(history: FamilyHistoryRead, folder: Path) -> CsvExportReport:
    """Write `history` under `folder` (created if needed; files of an earlier export with the
    same names are replaced, other files are left alone)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InvalidInputError(f"Out: {folder} is a file; give a folder to export into.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".habitdesk-export-", dir=folder))
    except OSError as exc:
        raise InvalidInputError(f"Out: cannot create {folder} ({exc.strerror or exc}).") from None
    try:
        written = _write_all(history, staging)
        moved = _move_into_place(staging, folder, written)
    except OSError as exc:
        raise InvalidInputError(
            f"Out: cannot write the export into {folder} ({exc.strerror or exc}); "
            "nothing was changed there."
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return CsvExportReport(
        folder=folder,
        files=tuple(moved),
        members=len(history.members),
        habits=sum(len(m.habits) for m in history.members),
    )


def _write_all(history: FamilyHistoryRead, root: Path) -> list[Path]:
    taken = set(_INDEX_FILES)
    member_rows = []
    habit_rows = []
    for member in history.members:
        folder = safe_name(member.full_name, taken)
        member_rows.append([member.full_name, member.role.value, folder, str(len(member.habits))])
        for habit, file in _write_member(root, folder, member, history.end):
            habit_rows.append(
                [
                    member.full_name,
                    habit.name,
                    habit.kind.value,
                    habit.unit or "",
                    habit.direction.value if habit.kind is HabitKind.NUMERIC else "",
                    "yes" if habit.archived else "no",
                    habit.start.isoformat(),
                    file,
                ]
            )
    _write_rows(root / "members.csv", ["member", "role", "folder", "habits"], member_rows)
    _write_rows(
        root / "habits.csv",
        ["member", "habit", "kind", "unit", "direction", "archived", "first_day", "file"],
        habit_rows,
    )
    return sorted(p for p in root.rglob("*") if p.is_file())


def _move_into_place(staging: Path, folder: Path, written: Sequence[Path]) -> list[Path]:
    moved = []
    for path in written:
        target = folder / path.relative_to(staging)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(path, target)
        moved.append(target)
    return moved


async def export_csv(
    stats: StatsService,
    actor: Actor,
    family_id: UUID,
    folder: Path,
    user_id: UUID | None = None,
) -> CsvExportReport:
    """Read the family's (or one member's) history and write it as CSV under `folder`.

    The files are written in a worker thread, so an app's event loop stays responsive.
    """
    history = await stats.family_history(actor, family_id, user_id)
    return await asyncio.to_thread(write_csv_export, history, folder)


__all__ = ["NAME_BYTES", "CsvExportReport", "export_csv", "safe_name", "write_csv_export"]
