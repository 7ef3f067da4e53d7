"""The History screen's table: one row per habit or routine with its days over the range, and a
total row that stays at the bottom whatever the sort.

The numbers come judged from the core (`StatsService.history`: each day by the rules in force
on it, skipped days in no rate, today open until something is recorded); the model only shows
and sorts them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum
from typing import Any, ClassVar, Literal
from uuid import UUID

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QFont, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from habitdesk.core.schemas.people import MemberRead
from habitdesk.core.schemas.stats import RangeCountsRead
from habitdesk.ui.qtmodels.cells import colour_dot, muted, muted_if_missing, spoken
from habitdesk.ui.qtmodels.members_model import avatar_pixmap
from habitdesk.ui.qtmodels.table_base import RIGHT, Index, TableModel

SortRole = Qt.ItemDataRole.UserRole + 1
RowRole = Qt.ItemDataRole.UserRole + 2

HABIT_GLYPH = "◎"
ROUTINE_GLYPH = "☑"

NO_COUNTS = RangeCountsRead(done=0, partial=None, missed=0, skipped=0, due=0, rate=None)


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
    counts: RangeCountsRead


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


_COUNT_FIELD = {
    Column.DUE: "due",
    Column.DONE: "done",
    Column.PARTIAL: "partial",
    Column.MISSED: "missed",
    Column.SKIPPED: "skipped",
}


class HistoryTableModel(TableModel[HistoryRow]):
    """Rows of habits and routines with their counts, and a total row kept last."""

    # In `Column` order.
    HEADERS = (
        "Member",
        "Habit or routine",
        "Due",
        "Done",
        "Partial",
        "Missed",
        "Skipped",
        "Completion",
    )
    HEADER_TIPS: ClassVar[Mapping[int, str]] = {
        Column.DUE: "Days that counted: done, partial or missed (skipped days do not count)",
        Column.DONE: "Days done (routines: every step checked)",
        Column.PARTIAL: "Routine days with some steps left unchecked",
        Column.MISSED: "Due days neither done nor skipped",
        Column.SKIPPED: "Days skipped on purpose: they count in no rate",
        Column.COMPLETION: "Done days out of the days that counted",
    }
    # The counts and the completion: numbers.
    ALIGNMENT: ClassVar[Mapping[int, Qt.AlignmentFlag]] = {
        column: RIGHT for column in Column if column >= Column.DUE
    }

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        # The rows in the order the screen gave them (member, then habits, then routines).
        self._natural: list[HistoryRow] = []
        self._total = NO_COUNTS
        self._sort: tuple[int, Qt.SortOrder] = (-1, Qt.SortOrder.AscendingOrder)

    # --- filling -----------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[HistoryRow], total: RangeCountsRead = NO_COUNTS) -> None:
        """The rows, and their days together for the total row (as the core added them up)."""
        self.beginResetModel()
        self._natural = list(rows)
        self._rows = list(rows)
        self._total = total
        self._apply_sort()
        self.endResetModel()

    @property
    def total(self) -> RangeCountsRead:
        return self._total

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
            return row.counts.rate
        return getattr(row.counts, _COUNT_FIELD[Column(column)])

    # --- QAbstractTableModel -----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or not self._rows:
            return 0
        return len(self._rows) + 1

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.InitialSortOrderRole
            and orientation == Qt.Orientation.Horizontal
        ):
            # Worst completion first, fewest first: what a parent looks for.
            return Qt.SortOrder.AscendingOrder.value
        return super().headerData(section, orientation, role)

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
            return spoken(self._text(row, index.row(), column, role))
        if role == SortRole:
            return self._sort_key(row, column)
        if role == RowRole:
            return row
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.ALIGNMENT.get(column)
        if role == Qt.ItemDataRole.DecorationRole:
            if column == Column.MEMBER and not self._continues_member(index.row()):
                m = row.member
                return QIcon(avatar_pixmap(m.colour, m.avatar_emoji, m.full_name, 24))
            if column == Column.ITEM:
                return QIcon(colour_dot(row.colour, 12, 2))
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == Column.ITEM and row.archived:
                return muted()
            return muted_if_missing(
                self._text(row, index.row(), column, Qt.ItemDataRole.DisplayRole)
            )
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
            return completion_text(counts.rate)
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
        if column == Column.COMPLETION and row.counts.due:
            return f"{row.counts.done} of {row.counts.due} days done"
        return self.HEADER_TIPS.get(column)

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
                return completion_text(total.rate)
            value = getattr(total, _COUNT_FIELD[column])
            return "—" if value is None else str(value)
        if role == Qt.ItemDataRole.FontRole:
            font = QFont(QApplication.font())
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.BackgroundRole:
            return QApplication.palette().color(QPalette.ColorRole.AlternateBase)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.ALIGNMENT.get(column)
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.COMPLETION and total.due:
            return f"{total.done} of {total.due} days done"
        return None
