"""What the table models' cells share: a missing value shown as "—" in the muted colour and read
out as "none", and the dot in a habit's or routine's colour."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPalette, QPixmap
from PySide6.QtWidgets import QApplication

NO_VALUE = "—"


def muted() -> QColor:
    """The colour of what is missing or switched off (the palette's, so light and dark)."""
    return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)


def spoken(text: str) -> str:
    """A cell's text for a screen reader, which would read the dash as nothing at all."""
    return "none" if text == NO_VALUE else text


def muted_if_missing(text: str) -> QColor | None:
    """The foreground of a cell showing `text`: muted for a missing value, else the default."""
    return muted() if text == NO_VALUE else None


def colour_dot(colour: str, size: int, margin: float) -> QPixmap:
    """A filled circle in `colour`, `margin` px inside a `size` px square, sharp on HiDPI."""
    ratio = 2
    pixmap = QPixmap(size * ratio, size * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(colour))
    painter.drawEllipse(QRectF(margin, margin, size - 2 * margin, size - 2 * margin))
    painter.end()
    return pixmap


__all__ = ["NO_VALUE", "colour_dot", "muted", "muted_if_missing", "spoken"]
