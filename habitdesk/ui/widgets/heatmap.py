"""A habit's every day as year calendars (GitHub / Loop style), newest year on top.

Each year is a grid of week columns × 7 weekday rows (ordered by the family's week start),
with month labels above, weekday labels at the left and the year as a heading with its
counts. The widget's height grows with the years (height-for-width), so it lives in a
QScrollArea; `select_day` scrolls the enclosing scroll area to the day.

Painting is the hot path (a 5-year map must paint in well under 50 ms): set_data and resizes
compute every cell's position and its sprite (one small pre-rendered pixmap per kind of cell:
empty, missed, partial steps, done, skipped), and paintEvent only blits the sprites of the
years the exposed rectangle touches.

Keyboard: Up/Down = previous/next day (rows are weekdays), Left/Right = previous/next week,
PageUp/PageDown = previous/next month, Ctrl+PageUp/PageDown = previous/next year, Home/End =
first day / today, Enter/Space = activate the focused day.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from PySide6.QtCore import QDate, QEvent, QLocale, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QScrollArea, QSizePolicy, QToolTip, QWidget

from habitdesk.ui.widgets.charts import mix, muted_colour, small_font, text_colour
from habitdesk.ui.widgets.day_strip import paint_square

Tooltip = Callable[[date], str]

_COLUMNS = 54  # a leap year starting on the last weekday row spans 54 week columns
_MIN_STEP = 8  # cell + gap, logical pixels: a whole year fits the detail pane of a 1,180 px window
_MAX_STEP = 17
_PARTIAL_STEPS = 6  # partial levels are drawn in this many intensities
_PAD = 6  # room around the content so headings and rings do not touch the frame

# Sprite codes: one pre-rendered pixmap each.
_EMPTY = 0
_MISSED = 1
_PARTIAL = 2  # _PARTIAL .. _PARTIAL + _PARTIAL_STEPS - 1
_DONE = _PARTIAL + _PARTIAL_STEPS
_SKIPPED = _DONE + 1


def level_code(level: float | None, skipped: bool) -> int:
    if skipped:
        return _SKIPPED
    if level is None or math.isnan(level):
        return _EMPTY
    if level <= 0:
        return _MISSED
    if level >= 1:
        return _DONE
    return _PARTIAL + min(_PARTIAL_STEPS - 1, math.floor(level * _PARTIAL_STEPS))


def _code_colour(code: int, colour: QColor, palette: QPalette) -> QColor:
    """The fill of a partial step: from a pale tint of the colour towards the full colour."""
    step = code - _PARTIAL
    return mix(
        palette.color(QPalette.ColorRole.Base), colour, 0.22 + 0.6 * (step + 0.5) / _PARTIAL_STEPS
    )


def paint_cell(
    painter: QPainter, rect: QRectF, code: int, colour: QColor, palette: QPalette
) -> None:
    kinds = {_EMPTY: "none", _MISSED: "missed", _DONE: "done", _SKIPPED: "skipped"}
    if code in kinds:
        paint_square(painter, rect, kinds[code], colour, palette)
    else:
        paint_square(painter, rect, "done", _code_colour(code, colour, palette), palette)


def paint_heat_legend(
    painter: QPainter,
    origin: QPointF,
    palette: QPalette,
    colour: QColor,
) -> float:
    """ "Less ▢▢▢▢▢ More · ▨ Skipped" from `origin` (top-left) in the painter's font; returns
    the width drawn."""
    cell = 11.0
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    metrics = QFontMetricsF(painter.font())
    height = max(cell, metrics.height())
    muted = muted_colour(palette)
    x = origin.x()

    def text(label: str) -> None:
        nonlocal x
        width = metrics.horizontalAdvance(label) + 1
        painter.setPen(muted)
        painter.drawText(QRectF(x, origin.y(), width, height), Qt.AlignmentFlag.AlignVCenter, label)
        x += width + 5

    def square(code: int) -> None:
        nonlocal x
        paint_cell(
            painter, QRectF(x, origin.y() + (height - cell) / 2, cell, cell), code, colour, palette
        )
        x += cell + 3

    text("Less")
    for code in (
        _MISSED,
        _PARTIAL,
        _PARTIAL + _PARTIAL_STEPS // 2,
        _PARTIAL + _PARTIAL_STEPS - 1,
        _DONE,
    ):
        square(code)
    x += 2
    text("More")
    x += 8
    square(_SKIPPED)
    text("Skipped")
    painter.restore()
    return x - origin.x()


class HeatLegend(QWidget):
    """The legend as a small widget, to place under a YearHeatMap's scroll area."""

    def __init__(self, colour: str = "#3D7BE0", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._colour = QColor(colour)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAccessibleName("Heat map legend")
        self.setAccessibleDescription(
            "Paler squares mean less done, full colour means done; hatched squares were skipped"
        )

    def set_colour(self, colour: str) -> None:
        self._colour = QColor(colour)
        self.update()

    def sizeHint(self) -> QSize:
        metrics = QFontMetricsF(small_font(self.font()))
        width = sum(metrics.horizontalAdvance(t) for t in ("Less", "More", "Skipped")) + 6 * 14 + 40
        return QSize(math.ceil(width), math.ceil(max(14.0, metrics.height()) + 4))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setFont(small_font(self.font()))
        paint_heat_legend(painter, QPointF(0, 2), self.palette(), self._colour)
        painter.end()


@dataclass
class _YearBlock:
    year: int
    top: int
    height: int
    first_index: int  # index into the day lists (day = first + index)
    last_index: int
    months: list[tuple[int, str]] = field(default_factory=list)  # (x, short name)
    heading: str = ""


class YearHeatMap(QWidget):
    """Year calendar heat map: every year from the first day's year to today's, newest on top,
    each a grid of week columns x 7 weekday rows, month labels above, weekday labels at the
    left, the year as a heading. Its height grows with the years, so it is placed in a
    QScrollArea to scroll back through every year."""

    dayActivated = Signal(object)  # datetime.date: clicked, or Enter/Space on the focused day
    currentDayChanged = Signal(object)  # datetime.date: the focus cell moved (keys or click)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)  # the day under the mouse is outlined: it can be clicked
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self._first = date.today()
        self._today = self._first
        self._count = 0  # days from first to today
        self._levels: list[float | None] = []
        self._skipped: list[bool] = []
        self._codes: list[int] = []
        self._colour = QColor("#3D7BE0")
        self._week_start = 0
        self._tooltip: Tooltip | None = None
        self._selected: date | None = None
        self._hovered: date | None = None
        self._years: list[int] = []
        # Geometry, rebuilt by _relayout for the current width and font.
        self._layout_width = -1
        self._step = 14
        self._cell = 11
        self._grid_left = 30
        self._heading_height = 24
        self._month_height = 16
        self._block_height = 0
        self._blocks: list[_YearBlock] = []
        self._xs: list[int] = []
        self._ys: list[int] = []
        self._weekday_labels: list[tuple[int, str]] = []  # (row, short name)
        self._sprites: list[QPixmap] = []
        self._sprite_key: tuple[float, int] | None = None

    # --- data -----------------------------------------------------------------------------

    def set_data(
        self,
        first: date,
        levels: Sequence[float | None],
        *,
        today: date,
        colour: str,
        week_start: int = 0,
        skipped: Sequence[bool] | None = None,
        tooltip: Tooltip | None = None,
    ) -> None:
        """levels[i] is day first+i: None = nothing (empty outline), 0.0 = missed (pale fill),
        0 < x < 1 = partial (intensity), 1.0 = done (full colour). Entries after `today` are
        not drawn. `week_start` orders the weekday rows (0 = Monday … 6 = Sunday)."""
        if not 0 <= week_start <= 6:
            raise ValueError(f"week_start must be 0 (Monday) to 6 (Sunday), not {week_start}")
        if not QColor.isValidColorName(colour):
            raise ValueError(f"not a colour: {colour!r}")
        self._first, self._today = first, today
        self._count = max(0, (today - first).days + 1)
        self._levels = [levels[i] if i < len(levels) else None for i in range(self._count)]
        flags = skipped or ()
        self._skipped = [bool(flags[i]) if i < len(flags) else False for i in range(self._count)]
        self._codes = [
            level_code(lv, sk) for lv, sk in zip(self._levels, self._skipped, strict=True)
        ]
        self._colour = QColor(colour)
        self._week_start = week_start
        self._tooltip = tooltip
        self._years = list(range(today.year, first.year - 1, -1)) if self._count else []
        if self._selected is not None and not self._in_range(self._selected):
            self._selected = None
        self._hovered = None
        self._sprite_key = None
        self._layout_width = -1
        self._relayout()
        self._describe()
        self.updateGeometry()
        self.update()

    def set_day(self, day: date, level: float | None, skipped: bool = False) -> None:
        """Change one day (after an edit) without rebuilding the map."""
        if not self._in_range(day):
            raise ValueError(f"{day} is not between {self._first} and {self._today}")
        index = (day - self._first).days
        self._levels[index] = level
        self._skipped[index] = skipped
        self._codes[index] = level_code(level, skipped)
        self._update_headings()
        self._describe()
        block = self._block_of(day)
        self.update(self.day_rect(day).adjusted(-3, -3, 3, 3))
        if block is not None:
            self.update(QRect(0, block.top, self.width(), self._heading_height))

    def selected_day(self) -> date | None:
        return self._selected

    def select_day(self, day: date) -> None:
        """Move the focus cell to `day` (clamped to first..today) and scroll it into view."""
        if not self._count:
            return
        day = min(self._today, max(self._first, day))
        previous = self._selected
        self._selected = day
        if previous is not None:
            self.update(self.day_rect(previous).adjusted(-4, -4, 4, 4))
        self.update(self.day_rect(day).adjusted(-4, -4, 4, 4))
        self._describe()
        self._scroll_to(day)
        if previous != day:
            self.currentDayChanged.emit(day)

    # --- geometry -------------------------------------------------------------------------

    def year_rect(self, year: int) -> QRect:
        self._ensure_layout()
        for block in self._blocks:
            if block.year == year:
                return QRect(0, block.top, max(self.width(), self._content_width()), block.height)
        return QRect()

    def day_rect(self, day: date) -> QRect:
        self._ensure_layout()
        if not self._in_range(day):
            return QRect()
        index = (day - self._first).days
        return QRect(self._xs[index], self._ys[index], self._cell, self._cell)

    def day_at(self, pos: QPoint) -> date | None:
        self._ensure_layout()
        for block in self._blocks:
            if not block.top <= pos.y() < block.top + block.height:
                continue
            grid_top = block.top + self._heading_height + self._month_height
            col = (pos.x() - self._grid_left) // self._step
            row = (pos.y() - grid_top) // self._step
            if not (0 <= col < _COLUMNS and 0 <= row < 7):
                return None
            jan1 = date(block.year, 1, 1)
            day = jan1 + timedelta(days=col * 7 + row - self._row_of(jan1))
            if day.year != block.year or not self._in_range(day):
                return None
            return day
        return None

    def heightForWidth(self, width: int) -> int:
        return self._height_for(self._step_for(width))

    def hasHeightForWidth(self) -> bool:
        return True

    def sizeHint(self) -> QSize:
        step = 15
        return QSize(self._width_for(step), self._height_for(step))

    def minimumSizeHint(self) -> QSize:
        return QSize(self._width_for(_MIN_STEP), self._height_for(_MIN_STEP))

    def _in_range(self, day: date) -> bool:
        return self._count > 0 and self._first <= day <= self._today

    def _row_of(self, day: date) -> int:
        return (day.weekday() - self._week_start) % 7

    def _label_width(self) -> int:
        metrics = QFontMetricsF(small_font(self.font()))
        names = [self._weekday_name(d) for d in range(7)]
        return _PAD + math.ceil(max(metrics.horizontalAdvance(n) for n in names)) + 8

    def _step_for(self, width: int) -> int:
        room = width - self._label_width() - 4
        return max(_MIN_STEP, min(_MAX_STEP, room // _COLUMNS))

    def _width_for(self, step: int) -> int:
        return self._label_width() + _COLUMNS * step + 4

    def _height_for(self, step: int) -> int:
        heading, months = self._text_heights()
        return _PAD + len(self._years) * (heading + months + 7 * step + self._year_gap(step))

    def _content_width(self) -> int:
        return self._grid_left + _COLUMNS * self._step + 4

    def _text_heights(self) -> tuple[int, int]:
        heading = math.ceil(QFontMetricsF(self._heading_font()).height()) + 8
        months = math.ceil(QFontMetricsF(small_font(self.font())).height()) + 4
        return heading, months

    @staticmethod
    def _year_gap(step: int) -> int:
        return step + 6

    def _heading_font(self) -> QFont:
        font = QFont(self.font())
        font.setWeight(QFont.Weight.DemiBold)
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * 1.1)
        return font

    def _weekday_name(self, row: int) -> str:
        weekday = (row + self._week_start) % 7
        return self.locale().dayName(weekday + 1, QLocale.FormatType.ShortFormat)

    def _ensure_layout(self) -> None:
        if self._layout_width != self.width():
            self._relayout()

    def _relayout(self) -> None:
        """Every cell's position for the current width; also month and weekday labels."""
        self._layout_width = self.width()
        step = self._step_for(self.width())
        if step != self._step:
            self._sprite_key = None
        self._step = step
        self._cell = step - (3 if step >= 13 else 2)
        self._grid_left = self._label_width()
        self._heading_height, self._month_height = self._text_heights()
        self._block_height = (
            self._heading_height + self._month_height + 7 * step + self._year_gap(step)
        )
        self._xs = [0] * self._count
        self._ys = [0] * self._count
        self._blocks = []
        locale = self.locale()
        month_room = math.ceil(QFontMetricsF(small_font(self.font())).horizontalAdvance("May") + 6)
        for position, year in enumerate(self._years):
            top = _PAD + position * self._block_height
            start = max(self._first, date(year, 1, 1))
            end = min(self._today, date(year, 12, 31))
            first_index = (start - self._first).days
            last_index = (end - self._first).days
            block = _YearBlock(year, top, self._block_height, first_index, last_index)
            grid_top = top + self._heading_height + self._month_height
            offset = self._row_of(date(year, 1, 1))
            doy = (start - date(year, 1, 1)).days + offset
            for index in range(first_index, last_index + 1):
                col, row = divmod(doy, 7)
                self._xs[index] = self._grid_left + col * step
                self._ys[index] = grid_top + row * step
                doy += 1
            for month in range(1, 13):
                day1 = date(year, month, 1)
                month_end = date(year, month, calendar.monthrange(year, month)[1])
                if day1 > self._today or month_end < self._first:
                    continue
                shown = max(day1, self._first)  # the first year may start mid-month
                col = ((shown - date(year, 1, 1)).days + offset) // 7
                name = locale.monthName(month, QLocale.FormatType.ShortFormat)
                x = self._grid_left + col * step
                if block.months and x - block.months[-1][0] < month_room:
                    block.months.pop()  # a month cut short by `first` gives way to the next
                block.months.append((x, name))
            self._blocks.append(block)
        self._update_headings()
        font_height = QFontMetricsF(small_font(self.font())).height()
        rows = range(7) if step >= font_height else range(0, 7, 2)
        self._weekday_labels = [(row, self._weekday_name(row)) for row in rows]

    def _update_headings(self) -> None:
        for block in self._blocks:
            codes = self._codes[block.first_index : block.last_index + 1]
            block.heading = _counts_text(codes)

    def _block_of(self, day: date) -> _YearBlock | None:
        return next((b for b in self._blocks if b.year == day.year), None)

    def _build_sprites(self, ratio: float) -> None:
        size = self._cell
        self._sprites = []
        palette = self.palette()
        for code in range(_SKIPPED + 1):
            pixmap = QPixmap(round(size * ratio), round(size * ratio))
            pixmap.setDevicePixelRatio(ratio)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            paint_cell(painter, QRectF(0, 0, size, size), code, self._colour, palette)
            painter.end()
            self._sprites.append(pixmap)
        self._sprite_key = (ratio, size)

    # --- painting -------------------------------------------------------------------------

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._relayout()
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.StyleChange):
            self._sprite_key = None
            self.update()
        elif event.type() in (QEvent.Type.FontChange, QEvent.Type.LocaleChange):
            self._layout_width = -1
            self._sprite_key = None
            self.updateGeometry()
            self.update()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._ensure_layout()
        painter = QPainter(self)
        ratio = painter.device().devicePixelRatioF()
        if self._sprite_key != (ratio, self._cell):
            self._build_sprites(ratio)
        exposed = event.rect()
        palette = self.palette()
        small = small_font(self.font())
        muted = muted_colour(palette)
        for block in self._blocks:
            if block.top > exposed.bottom() or block.top + block.height < exposed.top():
                continue
            self._paint_labels(painter, block, small, muted, palette)
            sprites = self._sprites
            codes, xs, ys = self._codes, self._xs, self._ys
            for index in range(block.first_index, block.last_index + 1):
                painter.drawPixmap(xs[index], ys[index], sprites[codes[index]])
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._paint_ring(painter, self._today, text_colour(palette), 1.2, 1.8, alpha=200)
        if self._hovered is not None and self._hovered != self._selected:
            self._paint_ring(painter, self._hovered, muted_colour(palette), 1.2, 1.8)
        if self._selected is not None:
            focused = self.hasFocus()
            self._paint_ring(
                painter,
                self._selected,
                palette.color(QPalette.ColorRole.Highlight),
                2.2 if focused else 1.4,
                2.2 if focused else 1.8,
            )
        painter.end()

    def _paint_labels(
        self, painter: QPainter, block: _YearBlock, small: QFont, muted: QColor, palette: QPalette
    ) -> None:
        heading_font = self._heading_font()
        painter.setFont(heading_font)
        painter.setPen(text_colour(palette))
        year_text = str(block.year)
        # Pinned to the visible left edge: a narrow pane scrolls sideways to the newest weeks,
        # and the year with its figures must stay readable (the pane repaints on scrolling).
        left = _PAD + max(0, self.visibleRegion().boundingRect().left())
        year_rect = QRectF(left, block.top, self._content_width(), self._heading_height - 4)
        painter.drawText(
            year_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, year_text
        )
        year_width = QFontMetricsF(heading_font).horizontalAdvance(year_text)
        painter.setFont(small)
        painter.setPen(muted)
        painter.drawText(
            year_rect.adjusted(year_width + 12, 0, 0, 0),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            block.heading,
        )
        month_top = block.top + self._heading_height
        for x, name in block.months:
            painter.drawText(
                QRectF(x, month_top, 4 * self._step + 8, self._month_height - 2),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                name,
            )
        grid_top = month_top + self._month_height
        # Centred on its row and as tall as the text: a row of small cells is shorter than a
        # line, and drawText clips to its rectangle (labels skip rows when they would touch).
        height = QFontMetricsF(small).height()
        for row, name in self._weekday_labels:
            middle = grid_top + row * self._step + self._cell / 2
            painter.drawText(
                QRectF(_PAD, middle - height / 2, self._grid_left - _PAD - 6, height),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                name,
            )

    def _paint_ring(
        self,
        painter: QPainter,
        day: date,
        colour: QColor,
        width: float,
        grow: float,
        alpha: int = 255,
    ) -> None:
        if not self._in_range(day):
            return
        ring = QColor(colour)
        ring.setAlpha(alpha)
        painter.setPen(QPen(ring, width))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        radius = max(1.5, self._cell * 0.22) + grow
        rect = QRectF(self.day_rect(day)).adjusted(-grow, -grow, grow, grow)
        painter.drawRoundedRect(rect, radius, radius)

    # --- interaction ----------------------------------------------------------------------

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        self._set_hovered(self.day_at(event.position().toPoint()))
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        self._set_hovered(None)
        super().leaveEvent(event)

    def _set_hovered(self, day: date | None) -> None:
        if day == self._hovered:
            return
        for old_or_new in (self._hovered, day):
            if old_or_new is not None:
                self.update(self.day_rect(old_or_new).adjusted(-4, -4, 4, 4))
        self._hovered = day
        if day is None:
            self.unsetCursor()
        else:
            self.setCursor(Qt.CursorShape.PointingHandCursor)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        day = self.day_at(event.position().toPoint())
        if event.button() == Qt.MouseButton.LeftButton and day is not None:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self.select_day(day)
            self.dayActivated.emit(day)
            event.accept()
            return
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._count:
            super().keyPressEvent(event)
            return
        current = self._selected or self._today
        target = self._key_target(event, current)
        if target is not None:
            self.select_day(target)
            self._show_tip(self._selected or target)
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.select_day(current)
            self.dayActivated.emit(current)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def _key_target(self, event: QKeyEvent, current: date) -> date | None:
        key = Qt.Key(event.key())
        years = 12 if event.modifiers() & Qt.KeyboardModifier.ControlModifier else 1
        steps = {
            Qt.Key.Key_Up: -1,
            Qt.Key.Key_Down: 1,
            Qt.Key.Key_Left: -7,
            Qt.Key.Key_Right: 7,
        }
        if key in steps:
            return current + timedelta(days=steps[key])
        if key == Qt.Key.Key_PageUp:
            return _add_months(current, -years)
        if key == Qt.Key.Key_PageDown:
            return _add_months(current, years)
        if key == Qt.Key.Key_Home:
            return self._first
        if key == Qt.Key.Key_End:
            return self._today
        return None

    def focusInEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self._selected is None and self._count:
            self.select_day(self._today)
        elif self._selected is not None:
            self.update(self.day_rect(self._selected).adjusted(-4, -4, 4, 4))
            if event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason):
                self._scroll_to(self._selected)  # the focus ring must be where one can see it
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self._selected is not None:
            self.update(self.day_rect(self._selected).adjusted(-4, -4, 4, 4))
        super().focusOutEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            day = self.day_at(event.pos())
            if day is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(
                    event.globalPos(), self.tooltip_text(day), self, self.day_rect(day)
                )
            return True
        return super().event(event)

    def tooltip_text(self, day: date) -> str:
        """What hovering `day` shows: the caller's tooltip, or the date and what happened."""
        if self._tooltip is not None:
            return self._tooltip(day)
        return f"{self._date_text(day)}: {self._status_text(day)}"

    def _date_text(self, day: date) -> str:
        return self.locale().toString(QDate(day.year, day.month, day.day), "ddd d MMM yyyy")

    def _status_text(self, day: date) -> str:
        index = (day - self._first).days
        code = self._codes[index]
        if code == _SKIPPED:
            return "skipped"
        if code == _DONE:
            return "done"
        if code == _MISSED:
            return "missed"
        if code == _EMPTY:
            return "nothing recorded"
        level = self._levels[index] or 0.0
        return f"{round(level * 100)} % done"

    def _show_tip(self, day: date) -> None:
        # Keyboard users cannot hover: show what the mouse would.
        rect = self.day_rect(day)
        QToolTip.showText(self.mapToGlobal(rect.bottomRight()), self.tooltip_text(day), self, rect)

    def _scroll_to(self, day: date) -> None:
        area, content = self._scroll_area()
        if area is None or content is None:
            return
        centre = self.mapTo(content, self.day_rect(day).center())
        area.ensureVisible(centre.x(), centre.y(), self._step * 2, self._step * 3)

    def _scroll_area(self) -> tuple[QScrollArea | None, QWidget | None]:
        """The scroll area showing this map (directly or inside a container), and its widget."""
        child: QWidget | None = self
        while child is not None:
            viewport = child.parentWidget()
            area = viewport.parentWidget() if viewport is not None else None
            if isinstance(area, QScrollArea) and area.widget() is child:
                return area, child
            child = viewport
        return None, None

    def _describe(self) -> None:
        if not self._count:
            self.setAccessibleDescription("No days yet")
            return
        years = str(self._today.year)
        if self._first.year < self._today.year:
            years = f"{self._first.year}–{self._today.year}"
        text = f"{years}, {_counts_text(self._codes, long=True)}"
        if self._selected is not None:
            text += (
                f". Selected {self._date_text(self._selected)}: {self._status_text(self._selected)}"
            )
        self.setAccessibleDescription(text)


def _counts_text(codes: Sequence[int], *, long: bool = False) -> str:
    done = sum(1 for c in codes if c == _DONE)
    missed = sum(1 for c in codes if c == _MISSED)
    skipped = sum(1 for c in codes if c == _SKIPPED)
    partial = sum(1 for c in codes if _PARTIAL <= c < _DONE)
    parts = [f"{done:,} days done" if long else f"{done:,} done"]
    if partial:
        parts.append(f"{partial:,} partly done")
    parts.append(f"{missed:,} missed")
    parts.append(f"{skipped:,} skipped")
    return ", ".join(parts) if long else " · ".join(parts)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if year < 1:
        return date(1, 1, 1)
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
