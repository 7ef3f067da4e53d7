"""The last 30 days of a habit as a strip of small squares.

done = the habit's colour; held = a lighter tint of it (an "X times per Y days" window covered
the day without a check); missed = faint; skipped = hatched; nothing recorded = an empty
outline; today has a ring. `paint_strip` draws it (the habit list's delegate uses it);
`DayStrip` is the widget, with a tooltip per day; `StripLegend` says what the squares mean.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QSizePolicy,
    QToolTip,
    QWidget,
)

from habitdesk.core.enums import EntryStatus
from habitdesk.core.schemas.habit_overview import StripDay
from habitdesk.ui.theme import is_dark

# What each square means, in the words the legend and the tooltips use.
_MARGIN = 3  # room for today's ring

LEGEND_TIPS = {
    "held": "Not done that day, but done often enough around it: an “X times per Y days” "
    "habit holds on every day of a period in which it was done enough times",
    "off": "The habit's weekdays did not include that day",
    "skipped": "Skipped days neither break nor extend a streak",
}

KIND_LABELS = {
    "done": "Done",
    "held": "Count met",
    "missed": "Missed",
    "skipped": "Skipped",
    "none": "Nothing recorded",
    "off": "Not due",
}


def square_kind(day: StripDay) -> str:
    if day.status is EntryStatus.DONE:
        return "done"
    if day.status is EntryStatus.SKIPPED:
        return "skipped"
    if day.held:
        return "held"
    if day.status is EntryStatus.MISSED:
        return "missed"
    return "none" if day.due else "off"


def strip_width(count: int, size: float, gap: float) -> float:
    return count * size + max(0, count - 1) * gap


def paint_square(
    painter: QPainter,
    rect: QRectF,
    kind: str,
    colour: QColor,
    palette: QPalette,
    *,
    today: bool = False,
) -> None:
    dark = is_dark(palette)
    radius = max(1.5, rect.width() * 0.22)
    outline = QColor(palette.color(QPalette.ColorRole.Mid))
    outline = outline.lighter(140) if dark else outline.darker(112)
    painter.setPen(Qt.PenStyle.NoPen)
    if kind == "done":
        painter.setBrush(colour)
        painter.drawRoundedRect(rect, radius, radius)
    elif kind == "held":
        tint = QColor(colour)
        tint.setAlpha(95 if dark else 80)
        painter.setBrush(tint)
        painter.setPen(QPen(colour, 1))
        painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
    elif kind == "missed":
        faint = QColor(palette.color(QPalette.ColorRole.Mid))
        if dark:
            faint = faint.lighter(115)
        painter.setBrush(faint)
        painter.drawRoundedRect(rect, radius, radius)
    elif kind == "skipped":
        hatch = QColor(palette.color(QPalette.ColorRole.PlaceholderText))
        painter.setBrush(QBrush(hatch, Qt.BrushStyle.BDiagPattern))
        painter.setPen(QPen(outline, 1))
        painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
    elif kind == "off":
        # Nothing was asked that day (weekday rules): a small dot keeps the rhythm visible.
        painter.setBrush(outline)
        dot = max(2.0, rect.width() * 0.28)
        painter.drawEllipse(rect.center(), dot / 2, dot / 2)
    else:
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(outline, 1))
        painter.drawRoundedRect(rect.adjusted(0.5, 0.5, -0.5, -0.5), radius, radius)
    if today:
        ring = QColor(palette.color(QPalette.ColorRole.Text))
        ring.setAlpha(200)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(QPen(ring, 1.2))
        grow = 1.8
        painter.drawRoundedRect(
            rect.adjusted(-grow, -grow, grow, grow), radius + grow, radius + grow
        )


def paint_strip(
    painter: QPainter,
    origin: QPointF,
    days: Sequence[StripDay],
    colour: QColor,
    palette: QPalette,
    *,
    size: float = 11,
    gap: float = 3,
    today: date | None = None,
) -> None:
    """Draw the squares left to right (oldest first) from `origin` (top-left)."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for i, day in enumerate(days):
        rect = QRectF(origin.x() + i * (size + gap), origin.y(), size, size)
        paint_square(painter, rect, square_kind(day), colour, palette, today=day.day == today)
    painter.restore()


def format_value(value: float | None, unit: str | None) -> str:
    if value is None:
        return ""
    number = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0")
    return f"{number} {unit}" if unit else number


def day_tooltip(day: StripDay, unit: str | None, numeric: bool) -> str:
    text = f"{day.day:%a} {day.day.day} {day.day:%b}: {KIND_LABELS[square_kind(day)].lower()}"
    if day.status is not None and numeric:
        text += f" — {format_value(day.value, unit)}"
    if day.held and day.status is not EntryStatus.DONE:
        text += " (enough days were done around it)"
    return text


def strip_summary(days: Sequence[StripDay]) -> str:
    """What the strip shows, for screen readers: "22 done, 3 missed, 1 skipped"."""
    kinds = [square_kind(d) for d in days]
    parts = [f"{kinds.count(k)} {KIND_LABELS[k].lower()}" for k in ("done", "missed", "skipped")]
    return f"Last {len(days)} days: " + ", ".join(parts)


class DayStrip(QWidget):
    """The strip as a widget, with each day's tooltip (date, status, amount)."""

    def __init__(self, parent: QWidget | None = None, *, size: float = 12, gap: float = 3) -> None:
        super().__init__(parent)
        self._size, self._gap = size, gap
        self._days: tuple[StripDay, ...] = ()
        self._colour = QColor("#4C7BD9")
        self._unit: str | None = None
        self._numeric = False
        self._today: date | None = None
        self.setAccessibleName("Last 30 days")
        # Squares shrink (down to a third) rather than clip when the pane is narrow.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)

    def set_days(
        self,
        days: Sequence[StripDay],
        colour: str,
        *,
        unit: str | None = None,
        numeric: bool = False,
        today: date | None = None,
    ) -> None:
        self._days = tuple(days)
        self._colour = QColor(colour)
        self._unit, self._numeric = unit, numeric
        self._today = today if today is not None else (days[-1].day if days else None)
        self.setAccessibleDescription(strip_summary(self._days))
        self.updateGeometry()
        self.update()

    @property
    def days(self) -> tuple[StripDay, ...]:
        return self._days

    def sizeHint(self) -> QSize:
        width = strip_width(max(len(self._days), 1), self._size, self._gap) + 2 * _MARGIN
        return QSize(int(width + 1), int(self._size + 2 * _MARGIN + 1))

    def minimumSizeHint(self) -> QSize:
        count = max(len(self._days), 1)
        small = self._size / 3
        width = strip_width(count, small, max(1.0, self._gap / 3)) + 2 * _MARGIN
        return QSize(int(width + 1), int(self._size + 2 * _MARGIN + 1))

    def metrics(self) -> tuple[float, float]:
        """Square size and gap that fit the current width."""
        count = max(len(self._days), 1)
        room = self.width() - 2 * _MARGIN
        if strip_width(count, self._size, self._gap) <= room:
            return self._size, self._gap
        scale = max(room, 1) / strip_width(count, self._size, self._gap)
        return self._size * scale, self._gap * scale

    def square_at(self, x: float) -> int | None:
        size, gap = self.metrics()
        index = int((x - _MARGIN) // (size + gap))
        return index if 0 <= index < len(self._days) else None

    def paintEvent(self, event: QPaintEvent) -> None:
        size, gap = self.metrics()
        painter = QPainter(self)
        paint_strip(
            painter,
            QPointF(_MARGIN, _MARGIN + (self._size - size) / 2),
            self._days,
            self._colour,
            self.palette(),
            size=size,
            gap=gap,
            today=self._today,
        )
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.square_at(event.pos().x())
            if index is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(
                    event.globalPos(),
                    day_tooltip(self._days[index], self._unit, self._numeric),
                    self,
                )
            return True
        return super().event(event)


def legend_pixmap(kind: str, colour: str, palette: QPalette, size: int = 12) -> QPixmap:
    ratio = 2
    pad = 3
    pixmap = QPixmap((size + 2 * pad) * ratio, (size + 2 * pad) * ratio)
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    paint_square(
        painter,
        QRectF(pad, pad, size, size),
        "none" if kind == "today" else kind,
        QColor(colour),
        palette,
        today=kind == "today",
    )
    painter.end()
    return pixmap


class StripLegend(QWidget):
    """One line: what each kind of square on screen means."""

    KINDS = ("done", "held", "missed", "skipped", "none", "off", "today")
    ALWAYS = frozenset({"done", "missed", "none", "today"})

    def __init__(self, parent: QWidget | None = None, colour: str = "#4C7BD9") -> None:
        super().__init__(parent)
        self.setAccessibleName("Legend of the day squares")
        self._grid = QGridLayout(self)
        # The legend wraps to fit rather than making the pane wider.
        self._grid.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(4)
        self._grid.setVerticalSpacing(2)
        self._icons: dict[str, QLabel] = {}
        self.items: dict[str, QWidget] = {}
        self._colour = colour
        for kind in self.KINDS:
            item = QWidget(self)
            row = QHBoxLayout(item)
            row.setContentsMargins(0, 0, 8, 0)
            row.setSpacing(3)
            icon = QLabel()
            text = QLabel(
                "Today" if kind == "today" else KIND_LABELS[kind].replace(" recorded", "")
            )
            text.setProperty("muted", True)
            row.addWidget(icon)
            row.addWidget(text)
            row.addStretch(1)
            item.setToolTip(LEGEND_TIPS.get(kind, ""))
            self._icons[kind] = icon
            self.items[kind] = item
        self._columns = 0
        self._repaint_icons()
        self._relayout()

    def set_kinds(self, kinds: set[str]) -> None:
        """Show the kinds that appear on screen (and the common ones always)."""
        for kind, item in self.items.items():
            item.setVisible(kind in kinds or kind in self.ALWAYS)
        self._columns = 0
        self._relayout()

    def _shown(self) -> list[QWidget]:
        return [item for item in self.items.values() if not item.isHidden()]

    def _relayout(self) -> None:
        """As many items on a line as fit; the rest wrap onto a second line."""
        shown = self._shown()
        widths = [item.sizeHint().width() + 4 for item in shown]
        room = max(self.width(), 1)
        columns = len(shown)
        while (
            columns > 1 and sum(max(widths[i::columns], default=0) for i in range(columns)) > room
        ):
            columns -= 1
        if columns == self._columns:
            return
        self._columns = columns
        for item in self.items.values():
            self._grid.removeWidget(item)
        for i, item in enumerate(shown):
            self._grid.addWidget(item, i // max(columns, 1), i % max(columns, 1))
        self._grid.setColumnStretch(max(columns, 1), 1)
        self.updateGeometry()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._relayout()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(min(hint.width(), 300), hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(120, super().minimumSizeHint().height())

    def set_colour(self, colour: str) -> None:
        self._colour = colour
        self._repaint_icons()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._repaint_icons()

    def _repaint_icons(self) -> None:
        for kind, label in self._icons.items():
            label.setPixmap(legend_pixmap(kind, self._colour, self.palette()))
