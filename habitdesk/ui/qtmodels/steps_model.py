"""`StepsModel`: the editable, reorderable list of a routine's steps in the routine editor.

Rows are plain drafts (title, minutes, points) until the editor saves them through the service;
the row order is the step order. Reordering goes through `moveRows` whether it comes from the
move buttons, Ctrl+Up/Ctrl+Down or a drag inside the table, so a view keeps its selection on the
moved step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import Any, ClassVar

from PySide6.QtCore import QByteArray, QDataStream, QIODevice, QMimeData, QModelIndex, Qt

from habitdesk.core.schemas.routines import MAX_STEP_MINUTES, MAX_STEP_POINTS
from habitdesk.ui.qtmodels.table_base import READ_ONLY, RIGHT, Index, TableModel

MIME_TYPE = "application/x-habitdesk-step-rows"


@dataclass(frozen=True)
class StepDraft:
    title: str = ""
    duration_minutes: int | None = None
    points: int | None = None

    def as_input(self) -> dict[str, Any]:
        """What the routine service takes for one step."""
        return {
            "title": self.title,
            "duration_minutes": self.duration_minutes,
            "points": self.points,
        }


class Column(IntEnum):
    TITLE = 0
    MINUTES = 1
    POINTS = 2


# Upper bounds for the editors (the service checks them again).
LIMITS = {Column.MINUTES: MAX_STEP_MINUTES, Column.POINTS: MAX_STEP_POINTS}


def _number(value: Any) -> int | None:
    """Editor values → the stored number; 0 and empty mean "none" (no duration, no points)."""
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


class StepsModel(TableModel[StepDraft]):
    HEADERS = ("Step", "Minutes", "Points")  # in `Column` order
    # The headers over the numbers are aligned with them.
    ALIGNMENT: ClassVar[Mapping[int, Qt.AlignmentFlag]] = {
        Column.MINUTES: RIGHT,
        Column.POINTS: RIGHT,
    }

    def __init__(self, steps: Iterable[StepDraft] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._rows = list(steps)

    # --- reading --------------------------------------------------------------------------------

    def steps(self) -> list[StepDraft]:
        return self.rows

    def step(self, row: int) -> StepDraft:
        return self._rows[row]

    def total_minutes(self) -> int:
        return sum(s.duration_minutes or 0 for s in self._rows)

    def total_points(self) -> int:
        return sum(s.points or 0 for s in self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        step = self._rows[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            if column is Column.TITLE:
                return step.title
            value = step.duration_minutes if column is Column.MINUTES else step.points
            return "—" if value is None else str(value)
        if role == Qt.ItemDataRole.EditRole:
            if column is Column.TITLE:
                return step.title
            value = step.duration_minutes if column is Column.MINUTES else step.points
            return value or 0
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.ALIGNMENT:
            return int(self.ALIGNMENT[column])
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._spoken(index.row(), column)
        if role == Qt.ItemDataRole.ToolTipRole and column is Column.TITLE:
            return "Double-click or press F2 to rename; drag to reorder (or Ctrl+Up / Ctrl+Down)"
        return None

    def _spoken(self, row: int, column: Column) -> str:
        step = self._rows[row]
        if column is Column.TITLE:
            return f"Step {row + 1}: {step.title or 'untitled'}"
        if column is Column.MINUTES:
            return (
                "no duration"
                if step.duration_minutes is None
                else f"{step.duration_minutes} minutes"
            )
        return "no points" if step.points is None else f"{step.points} points"

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)  # the step's number
        return super().headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            # Dropping between rows (or below the last one) is allowed.
            return Qt.ItemFlag.ItemIsDropEnabled
        return READ_ONLY | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsDragEnabled

    # --- editing --------------------------------------------------------------------------------

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        row = index.row()
        step = self._rows[row]
        column = Column(index.column())
        if column is Column.TITLE:
            step = replace(step, title=str(value or "").strip())
        elif column is Column.MINUTES:
            step = replace(step, duration_minutes=_number(value))
        else:
            step = replace(step, points=_number(value))
        if step == self._rows[row]:
            return False
        self._rows[row] = step
        self.dataChanged.emit(index, index)
        return True

    def set_steps(self, steps: Iterable[StepDraft]) -> None:
        self._set_rows(steps)

    def add_step(self, step: StepDraft | None = None, row: int | None = None) -> int:
        """Insert `step` at `row` (default: the end); returns its row."""
        row = len(self._rows) if row is None else max(0, min(row, len(self._rows)))
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, step or StepDraft())
        self.endInsertRows()
        return row

    def removeRows(self, row: int, count: int, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or count <= 0 or row < 0 or row + count > len(self._rows):
            return False
        self.beginRemoveRows(QModelIndex(), row, row + count - 1)
        del self._rows[row : row + count]
        self.endRemoveRows()
        return True

    def moveRows(
        self,
        sourceParent: Index,
        sourceRow: int,
        count: int,
        destinationParent: Index,
        destinationChild: int,
    ) -> bool:
        """Move `count` rows starting at `sourceRow` to before row `destinationChild` (as
        counted before the move, Qt's convention: moving row 0 below row 1 means child 2)."""
        if sourceParent.isValid() or destinationParent.isValid() or count <= 0:
            return False
        if sourceRow < 0 or sourceRow + count > len(self._rows):
            return False
        if not 0 <= destinationChild <= len(self._rows):
            return False
        if sourceRow <= destinationChild <= sourceRow + count:
            return False  # onto itself: nothing moves
        if not self.beginMoveRows(
            QModelIndex(), sourceRow, sourceRow + count - 1, QModelIndex(), destinationChild
        ):
            return False
        moving = self._rows[sourceRow : sourceRow + count]
        del self._rows[sourceRow : sourceRow + count]
        target = destinationChild - count if destinationChild > sourceRow else destinationChild
        self._rows[target:target] = moving
        self.endMoveRows()
        return True

    def move_step(self, row: int, delta: int) -> int:
        """Move one step up (delta < 0) or down; returns its new row (unchanged at an end)."""
        target = max(0, min(len(self._rows) - 1, row + delta))
        if target == row or not 0 <= row < len(self._rows):
            return row
        destination = target if target < row else target + 1
        self.moveRows(QModelIndex(), row, 1, QModelIndex(), destination)
        return target

    # --- drag and drop inside the table ----------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        payload = QByteArray()
        stream = QDataStream(payload, QIODevice.OpenModeFlag.WriteOnly)
        stream.writeInt32(len(rows))
        for row in rows:
            stream.writeInt32(row)
        mime = QMimeData()
        mime.setData(MIME_TYPE, payload)
        return mime

    def canDropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: Index,
    ) -> bool:
        return action == Qt.DropAction.MoveAction and data.hasFormat(MIME_TYPE)

    def dropMimeData(
        self,
        data: QMimeData,
        action: Qt.DropAction,
        row: int,
        column: int,
        parent: Index,
    ) -> bool:
        """Move the dragged rows to the drop place with `moveRows`.

        Returns False on purpose: the move is already done, and a True would make the view
        delete the "source" rows of a copy that never happened (QTableView has no notion of
        an internal move for a custom model).
        """
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        rows = sorted({r for r in self._rows_from(data) if 0 <= r < len(self._rows)})
        if not rows:
            return False
        if row < 0:
            # Dropped onto a row: put the steps where that row is; onto empty space: the end.
            row = parent.row() if parent.isValid() else len(self._rows)
        others = [r for r in range(len(self._rows)) if r not in rows]
        before = sum(1 for r in others if r < row)
        self._reorder([*others[:before], *rows, *others[before:]])
        return False

    def _reorder(self, order: list[int]) -> None:
        """Bring the rows into `order` (old row numbers) with single-row moves, front to back:
        each move only shifts rows that are not placed yet, so the view follows every step."""
        current = list(range(len(self._rows)))
        for target, wanted in enumerate(order):
            source = current.index(wanted)
            if source != target:
                self.moveRows(QModelIndex(), source, 1, QModelIndex(), target)
                current.insert(target, current.pop(source))

    @staticmethod
    def _rows_from(data: QMimeData) -> list[int]:
        payload = data.data(MIME_TYPE)
        stream = QDataStream(payload, QIODevice.OpenModeFlag.ReadOnly)
        count = stream.readInt32()
        return [stream.readInt32() for _ in range(max(0, count))]
