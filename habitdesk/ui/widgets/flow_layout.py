"""Layouts that wrap onto more lines when the window is narrow (the app's minimum is 960 px)."""

from __future__ import annotations

import math

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class _ItemLayout(QLayout):
    """The item bookkeeping every custom QLayout needs."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _shown(self) -> list[QLayoutItem]:
        shown = []
        for item in self._items:
            widget = item.widget()
            if widget is None or not widget.isHidden():
                shown.append(item)
        return shown

    def _area(self, rect: QRect) -> QRect:
        margins = self.contentsMargins()
        return rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        raise NotImplementedError


class FlowLayout(_ItemLayout):
    """Widgets left to right at their preferred sizes, wrapping onto the next line (Qt's flow
    layout example)."""

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        area = self._area(rect)
        lines: list[list[tuple[QLayoutItem, QSize]]] = [[]]
        x = area.x()
        for item in self._shown():
            hint = item.sizeHint()
            if lines[-1] and x + hint.width() > area.right() + 1:
                lines.append([])
                x = area.x()
            lines[-1].append((item, hint))
            x += hint.width() + self._gap
        y = area.y()
        for line in lines:
            height = max((hint.height() for _item, hint in line), default=0)
            x = area.x()
            for item, hint in line:
                if move:  # centred in its line: a date field beside taller buttons
                    top = y + (height - hint.height()) // 2
                    item.setGeometry(QRect(QPoint(x, top), hint))
                x += hint.width() + self._gap
            y += height + self._gap
        return y - self._gap - rect.y() + self.contentsMargins().bottom()


class ColumnsLayout(_ItemLayout):
    """Equal columns, as many as fit at the items' minimum width, balanced over the rows
    (six cards where five fit: two rows of three, not five and one). The columns share the
    width, up to the items' maximum width: what is left over stays empty at the end of the row."""

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        area = self._area(rect)
        items = self._shown()
        if not items:
            return 0
        widest = max(item.minimumSize().width() for item in items)
        fit = max(1, (area.width() + self._gap) // (widest + self._gap))
        rows = math.ceil(len(items) / fit)
        columns = math.ceil(len(items) / rows)
        width = (area.width() - self._gap * (columns - 1)) // columns
        # A column no wider than its narrowest item may be: a wider one would leave that item
        # centred in its slot, out of line with the others.
        width = min(width, min(item.maximumSize().width() for item in items))
        y = area.y()
        for row in range(rows):
            line = items[row * columns : (row + 1) * columns]
            height = max(_height_at(item, width) for item in line)
            for n, item in enumerate(line):
                if move:
                    x = area.x() + n * (width + self._gap)
                    item.setGeometry(QRect(x, y, width, height))
            y += height + self._gap
        margins = self.contentsMargins()
        return y - self._gap - rect.y() + margins.bottom()


def _height_at(item: QLayoutItem, width: int) -> int:
    return item.heightForWidth(width) if item.hasHeightForWidth() else item.sizeHint().height()


__all__ = ["ColumnsLayout", "FlowLayout"]
