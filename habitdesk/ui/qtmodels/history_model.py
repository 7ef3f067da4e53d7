"""The History screen's numbers and its table.

`habit_counts` and `routine_counts` are plain functions (no Qt, no I/O): they judge every day of
a range by the rules that held on that day, from what the services returned. They take the days
as sorted lists per status (`HabitDays`, `RunDays`; a day → status mapping works too) and count
each stretch of one version by bisection plus a C-level weekday pass, so years of history cost a
few milliseconds. `HistoryTableModel` shows one row per habit or routine plus a total row that
stays at the bottom whatever the sort.

How a day counts
- A habit on chosen weekdays, or a daily one, is *due* on each scheduled day. A due day is
  *done*, *skipped*, or else *missed* (recorded as missed, or not recorded at all).
- A habit of "X times per Y days" is asked for X/Y of a time each day: over the range it is due
  that many times, rounded, and *missed* is what is left after its done and skipped days. (Judging
  such a habit day by day would call Monday-Wednesday-Friday of a "3 per week" habit four misses.)
- A routine is due on its scheduled days; a run is *completed*, *partial* (also a run started and
  never finished), or *skipped*; a scheduled day without a run is *missed*.
- Days before the habit or routine existed are not due; neither is today until something is
  recorded for it (the day is not over). Done days that were not due still count as done.
- Completion = the due days met ÷ the due days that were not skipped.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import IntEnum
from typing import Any, Literal
from uuid import UUID

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

from habitdesk.core.domain.habit_rules import Rules
from habitdesk.core.domain.weekdays import EVERY_DAY, includes
from habitdesk.core.enums import EntryStatus, RunStatus
from habitdesk.core.schemas.people import MemberRead
from habitdesk.ui.qtmodels.members_model import avatar_pixmap

Index = QModelIndex | QPersistentModelIndex
SortRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2

HABIT_GLYPH = "◎"
ROUTINE_GLYPH = "☑"


# --- counting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryCounts:
    due: int = 0
    done: int = 0
    # None for habits (they have no partial days).
    partial: int | None = None
    missed: int = 0
    skipped: int = 0
    # Due days met, and due days not skipped: completion = met / judged.
    met: int = 0
    judged: int = 0

    @property
    def completion(self) -> float | None:
        return self.met / self.judged if self.judged else None

    def __add__(self, other: HistoryCounts) -> HistoryCounts:
        partial = (
            None
            if self.partial is None and other.partial is None
            else (self.partial or 0) + (other.partial or 0)
        )
        return HistoryCounts(
            due=self.due + other.due,
            done=self.done + other.done,
            partial=partial,
            missed=self.missed + other.missed,
            skipped=self.skipped + other.skipped,
            met=self.met + other.met,
            judged=self.judged + other.judged,
        )


@dataclass(frozen=True)
class RulesFrom:
    """One version of a habit's rules: from which day, its number, the rules."""

    effective_from: date
    number: int
    rules: Rules


def count_weekdays(first: date, last: date, mask: int) -> int:
    """How many days from `first` to `last` (inclusive) fall on the weekdays of `mask`."""
    if last < first:
        return 0
    days = (last - first).days + 1
    weeks, rest = divmod(days, 7)
    total = weeks * bin(mask & EVERY_DAY).count("1")
    for offset in range(rest):
        if includes(mask, first + timedelta(days=weeks * 7 + offset)):
            total += 1
    return total


def _segments(
    starts: Sequence[tuple[date, Any]], first: date, last: date
) -> list[tuple[date, date, Any]]:
    """[(from, to, value)]: `starts` (sorted (day, value) pairs, each in force from its day until
    the next one's) clipped to first..last."""
    found: list[tuple[date, date, Any]] = []
    for i, (begin, value) in enumerate(starts):
        end = starts[i + 1][0] - timedelta(days=1) if i + 1 < len(starts) else last
        begin, end = max(begin, first), min(end, last)
        if begin <= end:
            found.append((begin, end, value))
    return found


def _judged_until(end: date, today: date, recorded_today: bool) -> date:
    """The last day to judge: today only once something is recorded for it."""
    if end < today:
        return end
    return today if recorded_today else today - timedelta(days=1)


def count_between(days: Sequence[date], first: date, last: date, mask: int = EVERY_DAY) -> int:
    """How many of the sorted `days` fall from `first` to `last` (inclusive) on the weekdays of
    `mask`: two bisections, and for a weekday mask one C-level pass over that slice (five years
    of a family's history is tens of thousands of days)."""
    lo, hi = bisect_left(days, first), bisect_right(days, last)
    if hi <= lo:
        return 0
    if mask & EVERY_DAY == EVERY_DAY:
        return hi - lo
    weekdays = bytes(map(date.weekday, days[lo:hi]))
    return sum(weekdays.count(k) for k in range(7) if mask >> k & 1)


def _contains(days: Sequence[date], day: date) -> bool:
    i = bisect_left(days, day)
    return i < len(days) and days[i] == day


@dataclass(frozen=True)
class HabitDays:
    """A habit's recorded days by status, each sorted oldest first."""

    done: Sequence[date] = ()
    skipped: Sequence[date] = ()
    missed: Sequence[date] = ()

    @classmethod
    def of(cls, statuses: Mapping[date, EntryStatus]) -> HabitDays:
        return cls(
            done=sorted(d for d, s in statuses.items() if s is EntryStatus.DONE),
            skipped=sorted(d for d, s in statuses.items() if s is EntryStatus.SKIPPED),
            missed=sorted(d for d, s in statuses.items() if s is EntryStatus.MISSED),
        )

    def has(self, day: date) -> bool:
        return any(_contains(days, day) for days in (self.done, self.skipped, self.missed))


def habit_counts(
    versions: Sequence[RulesFrom],
    statuses: Mapping[date, EntryStatus] | HabitDays,
    start: date,
    end: date,
    today: date,
) -> HistoryCounts:
    """A habit's numbers over start..end (see the module text for what each means)."""
    days = statuses if isinstance(statuses, HabitDays) else HabitDays.of(statuses)
    last_recorded = min(end, today)
    done = count_between(days.done, start, last_recorded)
    skipped = count_between(days.skipped, start, last_recorded)
    if not versions:
        return HistoryCounts(done=done, skipped=skipped)

    # The version in force on a day: the latest start on or before it, the higher number on a tie.
    best: dict[date, RulesFrom] = {}
    for version in versions:
        held = best.get(version.effective_from)
        if held is None or version.number > held.number:
            best[version.effective_from] = version
    last = _judged_until(end, today, days.has(today))

    strict_due = strict_met = strict_skipped = 0
    flex_expected = 0.0
    flex_done = flex_skipped = 0
    for begin, finish, version in _segments(sorted(best.items()), start, last):
        rules: Rules = version.rules
        if rules.weekdays is not None or rules.freq_den == 1:
            mask = rules.weekdays if rules.weekdays is not None else EVERY_DAY
            strict_due += count_weekdays(begin, finish, mask)
            strict_met += count_between(days.done, begin, finish, mask)
            strict_skipped += count_between(days.skipped, begin, finish, mask)
        else:
            flex_expected += ((finish - begin).days + 1) * rules.freq_num / rules.freq_den
            flex_done += count_between(days.done, begin, finish)
            flex_skipped += count_between(days.skipped, begin, finish)

    flex_due = int(flex_expected + 0.5)
    flex_excused = min(flex_skipped, flex_due)
    flex_met = min(flex_done, flex_due - flex_excused)
    strict_missed = strict_due - strict_met - strict_skipped
    flex_missed = max(0, flex_due - flex_done - flex_skipped)
    return HistoryCounts(
        due=strict_due + flex_due,
        done=done,
        missed=strict_missed + flex_missed,
        skipped=skipped,
        met=strict_met + flex_met,
        judged=strict_due - strict_skipped + flex_due - flex_excused,
    )


@dataclass(frozen=True)
class ScheduleFrom:
    """One version of a routine's schedule: from which day, its number, its weekday mask."""

    effective_from: date
    number: int
    weekdays: int


@dataclass(frozen=True)
class RunDays:
    """A routine's run days by status, each sorted oldest first (one run a day)."""

    completed: Sequence[date] = ()
    partial: Sequence[date] = ()
    skipped: Sequence[date] = ()
    in_progress: Sequence[date] = ()

    @classmethod
    def of(cls, runs: Mapping[date, RunStatus]) -> RunDays:
        return cls(
            completed=sorted(d for d, s in runs.items() if s is RunStatus.COMPLETED),
            partial=sorted(d for d, s in runs.items() if s is RunStatus.PARTIAL),
            skipped=sorted(d for d, s in runs.items() if s is RunStatus.SKIPPED),
            in_progress=sorted(d for d, s in runs.items() if s is RunStatus.IN_PROGRESS),
        )

    def finished(self, day: date) -> bool:
        """Whether the day's run is over (completed, partial or skipped)."""
        return any(_contains(days, day) for days in (self.completed, self.partial, self.skipped))


def routine_counts(
    versions: Sequence[ScheduleFrom],
    runs: Mapping[date, RunStatus] | RunDays,
    start: date,
    end: date,
    today: date,
) -> HistoryCounts:
    """A routine's numbers over start..end: runs completed / partial / skipped, and missed days.

    A run started and never finished counts as partial."""
    days = runs if isinstance(runs, RunDays) else RunDays.of(runs)
    last = _judged_until(end, today, days.finished(today))
    done = count_between(days.completed, start, last)
    skipped = count_between(days.skipped, start, last)
    partial = count_between(days.partial, start, last) + count_between(
        days.in_progress, start, last
    )
    if not versions:
        return HistoryCounts(done=done, partial=partial, skipped=skipped)

    # A routine's version on a day is the highest-numbered one that had started by then.
    starts: list[tuple[date, ScheduleFrom]] = []
    for boundary in sorted({v.effective_from for v in versions}):
        started = [v for v in versions if v.effective_from <= boundary]
        starts.append((boundary, max(started, key=lambda v: v.number)))
    due = met = skipped_due = partial_due = 0
    for begin, finish, version in _segments(starts, start, last):
        mask = version.weekdays
        due += count_weekdays(begin, finish, mask)
        met += count_between(days.completed, begin, finish, mask)
        skipped_due += count_between(days.skipped, begin, finish, mask)
        partial_due += count_between(days.partial, begin, finish, mask)
        partial_due += count_between(days.in_progress, begin, finish, mask)
    return HistoryCounts(
        due=due,
        done=done,
        partial=partial,
        missed=due - met - skipped_due - partial_due,
        skipped=skipped,
        met=met,
        judged=due - skipped_due,
    )


# --- rows -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    member: MemberRead
    kind: Literal["habit", "routine"]
    item_id: UUID
    name: str
    colour: str
    archived: bool
    # How it is scheduled now ("every day", "3 times in 7 days", "Mon–Fri"), for the tooltip.
    schedule: str
    counts: HistoryCounts


def completion_text(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100)}%"


class Column(IntEnum):
    MEMBER = 0
    ITEM = 1
    DUE = 2
    DONE = 3
    PARTIAL = 4
    MISSED = 5
    SKIPPED = 6
    COMPLETION = 7


HEADERS = {
    Column.MEMBER: "Member",
    Column.ITEM: "Habit or routine",
    Column.DUE: "Due",
    Column.DONE: "Done",
    Column.PARTIAL: "Partial",
    Column.MISSED: "Missed",
    Column.SKIPPED: "Skipped",
    Column.COMPLETION: "Completion",
}
HEADER_TIPS = {
    Column.DUE: "Days it was due in the range (times asked for, for “X times per Y days”)",
    Column.DONE: "Days done (routines: runs completed)",
    Column.PARTIAL: "Routine runs with some steps left unchecked",
    Column.MISSED: "Due days neither done nor skipped",
    Column.SKIPPED: "Days skipped on purpose",
    Column.COMPLETION: "Due days met, out of the due days not skipped",
}
_COUNT_FIELD = {
    Column.DUE: "due",
    Column.DONE: "done",
    Column.PARTIAL: "partial",
    Column.MISSED: "missed",
    Column.SKIPPED: "skipped",
}


def _dot(colour: str, size: int = 12) -> QIcon:
    ratio = 2.0
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(2, 2, size - 4, size - 4)
    painter.end()
    return QIcon(pixmap)


class HistoryTableModel(QAbstractTableModel):
    """Rows of habits and routines with their counts, and a total row kept last."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[HistoryRow] = []
        # The rows in the order the screen gave them (member, then habits, then routines).
        self._natural: list[HistoryRow] = []
        self._total = HistoryCounts()
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)

    # --- filling -----------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[HistoryRow]) -> None:
        self.beginResetModel()
        self._natural = list(rows)
        self._rows = list(rows)
        total = HistoryCounts()
        for row in rows:
            total = total + row.counts
        self._total = total
        self._apply_sort()
        self.endResetModel()

    @property
    def rows(self) -> list[HistoryRow]:
        return list(self._rows)

    @property
    def total(self) -> HistoryCounts:
        return self._total

    def row_at(self, row: int) -> HistoryRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def is_total(self, row: int) -> bool:
        return bool(self._rows) and row == len(self._rows)

    # --- sorting -----------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._apply_sort()
        self.layoutChanged.emit()

    def _apply_sort(self) -> None:
        column, order = self._sort
        rows = list(self._natural)
        if column >= 0:
            # Rows without a value ("—") go last whichever way the column is sorted.
            present = [r for r in rows if self._sort_key(r, column) is not None]
            absent = [r for r in rows if self._sort_key(r, column) is None]
            present.sort(
                key=lambda r: self._sort_key(r, column),
                reverse=order == Qt.SortOrder.DescendingOrder,
            )
            rows = present + absent
        self._rows = rows

    @staticmethod
    def _sort_key(row: HistoryRow, column: int) -> Any:
        if column == Column.MEMBER:
            return (row.member.position, row.member.full_name.casefold())
        if column == Column.ITEM:
            return row.name.casefold()
        if column == Column.COMPLETION:
            return row.counts.completion
        return getattr(row.counts, _COUNT_FIELD[Column(column)])

    # --- QAbstractTableModel -----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or not self._rows:
            return 0
        return len(self._rows) + 1

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(column)
        if role == Qt.ItemDataRole.InitialSortOrderRole:
            # Worst completion first, fewest first: what a parent looks for.
            return Qt.SortOrder.AscendingOrder.value
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= Column.DUE:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        column = Column(index.column())
        if self.is_total(index.row()):
            return self._total_data(column, role)
        row = self.row_at(index.row())
        if row is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(row, index.row(), column, role)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = self._text(row, index.row(), column, role)
            return "none" if text == "—" else text
        if role == SortRole:
            return self._sort_key(row, column)
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= Column.DUE:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.DecorationRole:
            if column == Column.MEMBER and not self._continues_member(index.row()):
                m = row.member
                return QIcon(avatar_pixmap(m.colour, m.avatar_emoji, m.full_name, 24))
            if column == Column.ITEM:
                return _dot(row.colour)
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == Column.ITEM and row.archived:
                return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
            if self._text(row, index.row(), column, Qt.ItemDataRole.DisplayRole) == "—":
                return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        return None

    def _text(self, row: HistoryRow, number: int, column: Column, role: int) -> str:
        counts = row.counts
        if column == Column.MEMBER:
            if role == Qt.ItemDataRole.DisplayRole and self._continues_member(number):
                return ""
            return row.member.full_name
        if column == Column.ITEM:
            glyph = HABIT_GLYPH if row.kind == "habit" else ROUTINE_GLYPH
            suffix = "  (archived)" if row.archived else ""
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return f"{row.kind.capitalize()} {row.name}{suffix}"
            return f"{glyph}  {row.name}{suffix}"
        if column == Column.COMPLETION:
            return completion_text(counts.completion)
        value = getattr(counts, _COUNT_FIELD[column])
        return "—" if value is None else str(value)

    def _continues_member(self, i: int) -> bool:
        """In member order a member's name and avatar show once, on their first row."""
        if self._sort[0] not in (-1, Column.MEMBER) or not 0 < i < len(self._rows):
            return False
        return self._rows[i - 1].member.user_id == self._rows[i].member.user_id

    def _tooltip(self, row: HistoryRow, column: Column) -> str | None:
        if column == Column.ITEM:
            kind = "Habit" if row.kind == "habit" else "Routine"
            extra = " · archived" if row.archived else ""
            return f"{kind} of {row.member.full_name}: {row.schedule}{extra}"
        if column == Column.COMPLETION and row.counts.judged:
            return f"{row.counts.met} of {row.counts.judged} due days met"
        return HEADER_TIPS.get(column)

    def _total_data(self, column: Column, role: int) -> Any:
        total = self._total
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == Column.MEMBER:
                return "Total"
            if column == Column.ITEM:
                habits = sum(1 for r in self._rows if r.kind == "habit")
                routines = len(self._rows) - habits
                parts = []
                if habits:
                    parts.append(f"{habits} habit" + ("" if habits == 1 else "s"))
                if routines:
                    parts.append(f"{routines} routine" + ("" if routines == 1 else "s"))
                return " · ".join(parts)
            if column == Column.COMPLETION:
                return completion_text(total.completion)
            value = getattr(total, _COUNT_FIELD[column])
            return "—" if value is None else str(value)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont(QApplication.font())
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return QApplication.palette().color(QPalette.ColorRole.AlternateBase)
        if role == Qt.ItemDataRole.TextAlignmentRole and column >= Column.DUE:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.COMPLETION and total.judged:
            return f"{total.met} of {total.judged} due days met"
        return None
