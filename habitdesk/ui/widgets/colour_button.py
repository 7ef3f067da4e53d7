"""Picking a member's colour: a row of swatches that read well in light and dark themes, plus
"Other…" for any colour (QColorDialog, opened with open(), never exec())."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import QEvent, QObject, QSize, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeyEvent, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QColorDialog,
    QHBoxLayout,
    QToolButton,
    QWidget,
)

from habitdesk.ui.qtmodels.cells import colour_dot

# Mid-tone colours: legible as text on white and on the dark theme's #272B31.
SWATCHES: tuple[tuple[str, str], ...] = (
    ("#4C7BD9", "Blue"),
    ("#E0674B", "Coral"),
    ("#3FA66B", "Green"),
    ("#9B59B6", "Purple"),
    ("#E6A23C", "Amber"),
    ("#1ABC9C", "Teal"),
    ("#D9487D", "Pink"),
    ("#7F8C8D", "Grey"),
    ("#5C6BC0", "Indigo"),
    ("#C0392B", "Red"),
    ("#8D6E63", "Brown"),
    ("#00A0B0", "Cyan"),
)
_SWATCH_SIZE = 22


def swatch_icon(colour: str, size: int = _SWATCH_SIZE, *, ring: bool = False) -> QIcon:
    """A filled circle; `ring` adds an outer ring that marks the chosen swatch."""
    if not ring:
        return QIcon(colour_dot(colour, size, 3))
    ratio = 2
    pixmap = QPixmap(size * ratio, size * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(0, 0, size, size)
    painter.setBrush(QColor("#FFFFFF"))
    painter.drawEllipse(2, 2, size - 4, size - 4)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(4, 4, size - 8, size - 8)
    painter.end()
    return QIcon(pixmap)


class ArrowKeyGrid(QObject):
    """One Tab stop for a grid of buttons: arrow keys move inside it, Space or Enter presses.

    Only the current button takes Tab focus (the others take focus by click), so a keyboard
    user does not have to Tab through every swatch or emoji to reach the next field.
    """

    _MOVES: ClassVar[dict[Qt.Key, tuple[int, int]]] = {
        Qt.Key.Key_Left: (0, -1),
        Qt.Key.Key_Right: (0, 1),
        Qt.Key.Key_Up: (-1, 0),
        Qt.Key.Key_Down: (1, 0),
    }

    def __init__(self, buttons: list[QAbstractButton], columns: int, parent: QObject) -> None:
        super().__init__(parent)
        self.buttons = buttons
        self.columns = max(1, columns)
        for button in buttons:
            button.installEventFilter(self)
        self.set_current(0)

    def set_current(self, index: int) -> None:
        for i, button in enumerate(self.buttons):
            button.setFocusPolicy(
                Qt.FocusPolicy.StrongFocus if i == index else Qt.FocusPolicy.ClickFocus
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(watched, QAbstractButton) or watched not in self.buttons:
            return False
        index = self.buttons.index(watched)
        if event.type() == QEvent.Type.FocusIn:
            self.set_current(index)
        elif event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            key = event.key()
            if key in self._MOVES:
                rows, cols = self._MOVES[Qt.Key(key)]
                target = index + rows * self.columns + cols
                if 0 <= target < len(self.buttons):
                    self.set_current(target)
                    self.buttons[target].setFocus(Qt.FocusReason.TabFocusReason)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.buttons[index].click()
                return True
        return False


class ColourPicker(QWidget):
    """Swatches + "Other…". `colour()` is always an upper-case #RRGGBB."""

    colour_changed = Signal(str)

    def __init__(self, colour: str = SWATCHES[0][0], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Colour")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._buttons: dict[str, QToolButton] = {}
        for value, name in SWATCHES:
            button = self._make_button(value, name)
            self._buttons[value] = button
            layout.addWidget(button)
        self.keys = ArrowKeyGrid(list(self._buttons.values()), len(SWATCHES), self)
        self.other = QToolButton()
        self.other.setText("Other…")
        self.other.setCheckable(True)
        self.other.setAccessibleName("Other colour")
        self.other.setToolTip("Choose any colour")
        self.other.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.other.setIconSize(QSize(_SWATCH_SIZE, _SWATCH_SIZE))
        self._group.addButton(self.other)
        self.other.clicked.connect(self._choose_other)
        layout.addSpacing(6)
        layout.addWidget(self.other)
        layout.addStretch(1)
        self._colour = ""
        self._dialog: QColorDialog | None = None
        self.set_colour(colour)

    def _make_button(self, value: str, name: str) -> QToolButton:
        button = QToolButton()
        button.setCheckable(True)
        button.setAutoRaise(True)
        button.setIcon(swatch_icon(value))
        button.setIconSize(QSize(_SWATCH_SIZE, _SWATCH_SIZE))
        button.setAccessibleName(f"Colour {name}")
        button.setToolTip(name)
        button.toggled.connect(lambda on, v=value: self.set_colour(v) if on else None)
        self._group.addButton(button)
        return button

    def colour(self) -> str:
        return self._colour

    def set_colour(self, colour: str) -> None:
        value = QColor(colour).name().upper() if QColor(colour).isValid() else colour
        if value == self._colour:
            return
        self._colour = value
        for index, (swatch, button) in enumerate(self._buttons.items()):
            button.setIcon(swatch_icon(swatch, ring=swatch == value))
            if swatch == value:
                self.keys.set_current(index)
                if not button.isChecked():
                    button.setChecked(True)
        custom = value not in self._buttons
        self.other.setIcon(swatch_icon(value, ring=True) if custom else QIcon())
        if custom:
            self.other.setChecked(True)
        self.colour_changed.emit(value)

    def _choose_other(self) -> None:
        # Keep the current choice checked until a colour is actually picked.
        self.other.setChecked(self._colour not in self._buttons)
        if self._colour in self._buttons:
            self._buttons[self._colour].setChecked(True)
        if self._dialog is None:
            self._dialog = QColorDialog(QColor(self._colour), self)
            self._dialog.setWindowTitle("Choose a colour")
            self._dialog.colorSelected.connect(lambda c: self.set_colour(c.name()))
        self._dialog.setCurrentColor(QColor(self._colour))
        self._dialog.open()
