"""`RowsTable`: a read-only list table that keeps room for a few rows and fits its columns to
its width by a `ColumnPlan` (short forms first, then cut text with the whole in a tooltip)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QAbstractItemView, QFrame, QTableView, QToolTip

from habitdesk.ui.qtmodels.table_base import ShortFormTableModel

# Each table keeps room for at least this many rows, however small the window: fewer, and a list
# reads as a slot. The page scrolls instead, when it must.
MIN_ROWS = 3


@dataclass(frozen=True)
class ColumnPlan:
    """How a table's columns share its width. Every column but `stretched` is as wide as its
    text; `stretched` takes the rest, at least `floor` average characters. When that does not
    fit, the model's short forms come first (`ShortFormTableModel`), then the columns of
    `give_way` shrink in turn, each down to its own floor in characters: their text is cut
    short with "…" and shows whole in its tooltip."""

    stretched: int
    floor: int
    give_way: tuple[tuple[int, int], ...] = ()


def give_way(
    ideal: Mapping[int, int], room: int, order: Sequence[tuple[int, int]]
) -> dict[int, int]:
    """The `ideal` widths, brought within `room` px by shrinking the columns of `order` in turn,
    each down to its floor (px) at most. What still does not fit scrolls sideways."""
    widths = dict(ideal)
    excess = sum(widths.values()) - room
    for column, floor in order:
        if excess <= 0:
            break
        cut = min(excess, max(0, widths[column] - floor))
        widths[column] -= cut
        excess -= cut
    return widths


class RowsTable(QTableView):
    """A list table: room for at least `MIN_ROWS` rows, columns fitted to its width by
    a `ColumnPlan` (again whenever it is resized), and the whole text of a cell cut short in a
    tooltip."""

    def __init__(self, name: str, plan: ColumnPlan | None = None) -> None:
        super().__init__()
        self.plan = plan
        # The measured widths: of the long texts (False) and with the model's short forms (True).
        self._ideal: dict[bool, dict[int, int]] = {}
        self.setAccessibleName(name)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setIconSize(QSize(20, 20))
        self.verticalHeader().hide()
        self.verticalHeader().setDefaultSectionSize(32)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    # --- height ---------------------------------------------------------------------------------

    def rows_height(self) -> int:
        """The height that shows the header and `MIN_ROWS` rows."""
        header = self.horizontalHeader()
        heading_height = 0 if header.isHidden() else header.sizeHint().height()
        rows = MIN_ROWS * self.verticalHeader().defaultSectionSize()
        return 2 * self.frameWidth() + heading_height + rows

    def minimumSizeHint(self) -> QSize:
        return QSize(super().minimumSizeHint().width(), self.rows_height())

    def sizeHint(self) -> QSize:
        # The least height is the preferred one too; the stretch factors hand out the room
        # beyond it. Why: the page's wrapping labels make its layout height-for-width, and
        # QScrollArea then makes the page heightForWidth(width) tall, which a box layout adds up
        # from its parts' *preferred* heights, not their least ones. With QAbstractScrollArea's
        # 192 px default here, the page asked for 831 px at 1280×800 (its least: 599) and
        # scrolled in a window that had room for everything.
        return QSize(super().sizeHint().width(), self.rows_height())

    # --- width ----------------------------------------------------------------------------------

    def measure(self, rows: Mapping[int, list[int]], *, grow: bool = False) -> None:
        """How wide the columns of `rows` want to be (their header and those rows, which the
        models pick to hold every form of text: `rows_to_measure`), measured by the table as
        "resize to contents" would without formatting every row of a long list; then `fit`.
        With `grow`, a column only widens (a page of older lines has just arrived)."""
        model = self.model()
        if isinstance(model, ShortFormTableModel):
            shown = model.short
            model.set_short(False)
            long = self._measured(rows)
            model.set_short(True)
            short = {c: r for c, r in rows.items() if c in model.short_columns}
            forms = {False: long, True: {**long, **self._measured(short)}}
            model.set_short(shown)
        else:
            forms = {False: self._measured(rows)}
        for form, widths in forms.items():
            before = self._ideal.get(form, {}) if grow else {}
            self._ideal[form] = {c: max(w, before.get(c, 0)) for c, w in widths.items()}
        self.fit()

    def _measured(self, rows: Mapping[int, list[int]]) -> dict[int, int]:
        header, model = self.horizontalHeader(), self.model()
        return {
            column: max(
                [
                    header.sectionSizeHint(column),
                    *(self.sizeHintForIndex(model.index(row, column)).width() for row in measured),
                ]
            )
            for column, measured in rows.items()
        }

    def fit(self) -> None:
        """Share the viewport's width out by the plan."""
        plan, long = self.plan, self._ideal.get(False)
        if plan is None or long is None:
            return
        char = self.fontMetrics().averageCharWidth()
        room = self.viewport().width() - plan.floor * char
        model, short = self.model(), False
        if isinstance(model, ShortFormTableModel):
            short = sum(long.values()) > room
            model.set_short(short)
        order = [(column, floor * char) for column, floor in plan.give_way]
        header = self.horizontalHeader()
        for column, width in give_way(self._ideal[short], room, order).items():
            header.resizeSection(column, width)

    # --- events ---------------------------------------------------------------------------------

    def viewportEvent(self, event: QEvent) -> bool:
        # The viewport, not the table: a vertical scroll bar coming or going changes its width.
        if event.type() == QEvent.Type.Resize:
            self.fit()
        elif event.type() == QEvent.Type.ToolTip and self._show_cut_text(event):
            return True
        return super().viewportEvent(event)

    def _show_cut_text(self, event: QEvent) -> bool:
        """A cell whose text is cut short ("Extra 30 minutes of s…") shows it whole on hover,
        unless the model has a tooltip of its own for it."""
        if not isinstance(event, QHelpEvent):
            return False
        index = self.indexAt(event.pos())
        if not index.isValid() or index.data(Qt.ItemDataRole.ToolTipRole):
            return False
        text = index.data(Qt.ItemDataRole.DisplayRole)
        cell = self.visualRect(index)
        if not text or self.sizeHintForIndex(index).width() <= cell.width():
            return False
        QToolTip.showText(event.globalPos(), str(text), self.viewport(), cell)
        return True


__all__ = ["MIN_ROWS", "ColumnPlan", "RowsTable", "give_way"]
