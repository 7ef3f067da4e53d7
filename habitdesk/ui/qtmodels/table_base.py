"""`TableModel`: what the app's table models have in common, so that each keeps only what differs.

A table here holds a list of read-models (or drafts), one per row, in the order shown; names its
columns with one header text each; aligns some columns other than Qt's way; and lets its cells be
selected, not edited. A model changes any of that by overriding the one method.

`data()` is not here on purpose: it runs for every visible cell on every paint and on every
screen switch, so each model keeps its own, reading `_rows` directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
READ_ONLY = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class TableModel(QAbstractTableModel, Generic[Row]):
    # One text per column, in column order; their number is the number of columns.
    HEADERS: ClassVar[Sequence[str]] = ()
    # A header's tooltip by column; a column not listed has none.
    HEADER_TIPS: ClassVar[Mapping[int, str]] = {}
    # How a column's header and cells are aligned (RIGHT for numbers); a column not listed is
    # left to Qt (header centred, cells left). A model's `data()` answers for its cells.
    ALIGNMENT: ClassVar[Mapping[int, Qt.AlignmentFlag]] = {}

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []

    # --- the rows ----------------------------------------------------------------------------

    @property
    def rows(self) -> list[Row]:
        """The rows held, in the order shown (a copy: the model's own list changes only with
        the signals views need)."""
        return list(self._rows)

    def row_at(self, row: int) -> Row | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def _set_rows(self, rows: Iterable[Row]) -> None:
        """Hold `rows` instead of what was held (views start over: selection and scrolling)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    # --- QAbstractTableModel -----------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.HEADER_TIPS.get(section)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.ALIGNMENT.get(section)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return READ_ONLY


class ShortFormTableModel(TableModel[Row]):
    """A table model with a shorter text in its `short_columns`, for a table too narrow for the
    long one (`widgets.rows_table.RowsTable` switches it as it is resized). The tooltip and
    what a screen reader hears keep the long text whatever the width."""

    # Each short column's header, as short as its cells.
    SHORT_HEADERS: ClassVar[Mapping[int, str]] = {}

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._short = False

    @property
    def short_columns(self) -> tuple[int, ...]:
        return tuple(self.SHORT_HEADERS)

    def header_text(self, section: int) -> str:
        if self._short and section in self.SHORT_HEADERS:
            return self.SHORT_HEADERS[section]
        return self.HEADERS[section]

    @property
    def short(self) -> bool:
        return self._short

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        # Only the text has a short form; the alignment (and anything else) is the base's.
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.HEADERS)
        ):
            return self.header_text(section)
        return super().headerData(section, orientation, role)

    def set_short(self, short: bool) -> None:
        if short == self._short:
            return
        self._short = short
        rows = self.rowCount()
        for column in self.short_columns:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, column, column)
            if rows:
                self.dataChanged.emit(
                    self.index(0, column),
                    self.index(rows - 1, column),
                    [Qt.ItemDataRole.DisplayRole],
                )


__all__ = ["LEFT", "READ_ONLY", "RIGHT", "Index", "Row", "ShortFormTableModel", "TableModel"]
