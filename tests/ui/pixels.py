"""Reading colours back from grabbed widgets, and catching Qt warnings, for widget tests."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QMessageLogContext, QPoint, QRect, QtMsgType, qInstallMessageHandler
from PySide6.QtGui import QColor, QImage


def colour_at(image: QImage, point: QPoint) -> QColor:
    return image.pixelColor(point)


def close(a: QColor, b: QColor, tolerance: int = 6) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a.getRgb()[:3], b.getRgb()[:3], strict=True))


def count_near(
    image: QImage, rect: QRect, colour: QColor, tolerance: int = 12, stop_at: int | None = None
) -> int:
    """How many pixels inside `rect` are within `tolerance` of `colour` (per channel); stops
    counting at `stop_at` when given (enough to show something is drawn)."""
    area = rect.intersected(image.rect())
    target = colour.getRgb()[:3]
    count = 0
    for y in range(area.top(), area.bottom() + 1):
        for x in range(area.left(), area.right() + 1):
            rgb = image.pixel(x, y)
            pixel = ((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF)
            if all(abs(p - t) <= tolerance for p, t in zip(pixel, target, strict=True)):
                count += 1
                if count == stop_at:
                    return count
    return count


# The off-screen platform plugin itself warns about window hints it cannot honour.
_PLATFORM_NOISE = ("This plugin does not support",)


def collect_qt_warnings() -> Iterator[list[str]]:
    """Generator for a fixture: yields the list of Qt warnings logged while the test ran."""
    messages: list[str] = []

    def handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if kind != QtMsgType.QtDebugMsg and not any(n in message for n in _PLATFORM_NOISE):
            messages.append(message)

    previous = qInstallMessageHandler(handler)
    try:
        yield messages
    finally:
        qInstallMessageHandler(previous)
