"""Line and grouped-bar charts painted with QPainter (QtCharts is not in our bundle).

`paint_line_chart` / `paint_bar_chart` draw into any painter and rectangle with a given palette,
so the widgets (`LineChart`, `BarChart`) and the printed weekly report share one drawing. The
widgets add what only a screen has: hover and keyboard focus on a label (Left/Right, Home/End,
Enter/Space activates), tooltips with each series' value, and an accessible description that
summarises the data.

Coordinates are device-independent (logical pixels); Qt scales them on high-DPI screens. The
paint functions take their text size from the painter's font, and measure text with font
metrics at screen resolution. On a printer or PDF writer, whose dots are far smaller, scale the
painter so that one unit is one screen-like pixel and give it a font sized in pixels
(`QFont.setPixelSize`), as ui/report_pdf.py's `_chart` does: a point-sized font there is
measured ≈3.5× smaller than it prints, and the axis labels overlap.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QKeyEvent,
    QLinearGradient,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

ValueText = Callable[[float], str]


def default_value_text(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # one per label; None = no value (a gap, not zero)
    colour: str  # "#RRGGBB"


def finite_series(series: Sequence[Series]) -> list[Series]:
    """The series with NaN and infinite values turned into gaps, which is what they are."""
    cleaned = []
    for item in series:
        if all(v is None or math.isfinite(v) for v in item.values):
            cleaned.append(item)
        else:
            values = [v if v is not None and math.isfinite(v) else None for v in item.values]
            cleaned.append(Series(item.name, values, item.colour))
    return cleaned


# --- colours shared with the heat map -------------------------------------------------------


def mix(a: QColor, b: QColor, t: float) -> QColor:
    """`a` moved a fraction `t` (0..1) of the way towards `b`."""
    return QColor.fromRgbF(
        a.redF() + (b.redF() - a.redF()) * t,
        a.greenF() + (b.greenF() - a.greenF()) * t,
        a.blueF() + (b.blueF() - a.blueF()) * t,
        1.0,
    )


def text_colour(palette: QPalette) -> QColor:
    return palette.color(QPalette.ColorRole.Text)


def muted_colour(palette: QPalette) -> QColor:
    # Half-way to the background reads as "secondary" on both the light and the dark theme.
    return mix(text_colour(palette), palette.color(QPalette.ColorRole.Base), 0.42)


def grid_colour(palette: QPalette) -> QColor:
    return palette.color(QPalette.ColorRole.Mid)


def small_font(font: QFont) -> QFont:
    small = QFont(font)
    if font.pointSizeF() > 0:
        small.setPointSizeF(font.pointSizeF() * 0.88)
    else:
        small.setPixelSize(max(8, round(font.pixelSize() * 0.88)))
    return small


# --- axis -----------------------------------------------------------------------------------

_NICE_STEPS = (1.0, 2.0, 2.5, 5.0)
_MAX_INTERVALS = 4  # at most 5 ticks; the rule below guarantees at least 3


def nice_step(span: float) -> float:
    """The smallest 1/2/2.5/5 × 10^k step that divides `span` into at most 4 intervals."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    magnitude = 10.0 ** math.floor(math.log10(span / _MAX_INTERVALS))
    for factor in (*_NICE_STEPS, 10.0):
        step = factor * magnitude
        if math.ceil(span / step - 1e-9) <= _MAX_INTERVALS:
            return step
    return 10.0 * magnitude


def axis_range(
    y_min: float, y_max: float | None, values: Sequence[float]
) -> tuple[float, float, list[float]]:
    """(low, high, ticks) for the y axis: `y_max` as given, or the data's maximum rounded up
    to a nice step. Ticks are 3 to 5 multiples of that step from `y_min`."""
    if y_max is None:
        top = max((v for v in values if v is not None), default=y_min)
        if top <= y_min:
            top = y_min + 1.0
        step = nice_step(top - y_min)
        high = round(y_min + math.ceil((top - y_min) / step - 1e-9) * step, 10)
    else:
        high = y_max if y_max > y_min else y_min + 1.0
        step = nice_step(high - y_min)
    count = math.floor((high - y_min) / step + 1e-9)
    ticks = [round(y_min + k * step, 10) for k in range(count + 1)]
    return float(y_min), float(high), ticks


# --- layout shared by both charts -----------------------------------------------------------

_ZERO_BAR = 2.0  # height of a bar whose value is zero
_LINE_INSET = 8.0  # keeps the first and last point (and their focus ring) off the edges


@dataclass
class ChartFrame:
    """Where everything goes for one chart in one rectangle; also used for hit-testing."""

    plot: QRectF
    low: float
    high: float
    ticks: list[float]
    xs: list[float]  # centre of each label along x
    slot: float  # distance between two labels
    label_every: int  # draw every n-th x label so they never overlap
    title_y: float
    legend_y: float

    def y_of(self, value: float) -> float:
        fraction = (value - self.low) / (self.high - self.low)
        fraction = min(1.0, max(0.0, fraction))
        return self.plot.bottom() - fraction * self.plot.height()

    def index_at(self, x: float) -> int | None:
        if not self.xs or x < self.plot.left() - _LINE_INSET or x > self.plot.right() + 8:
            return None
        nearest = round((x - self.xs[0]) / self.slot) if self.slot > 0 else 0
        return min(len(self.xs) - 1, max(0, nearest))


def chart_frame(
    rect: QRectF,
    font: QFont,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    y_min: float,
    y_max: float | None,
    value_text: ValueText,
    title: str,
    bars: bool,
    extra_values: Sequence[float] = (),
) -> ChartFrame:
    metrics = QFontMetricsF(small_font(font))
    title_metrics = QFontMetricsF(_title_font(font))
    values = [v for s in finite_series(series) for v in s.values if v is not None]
    low, high, ticks = axis_range(y_min, y_max, [*values, *extra_values])

    top = rect.top()
    title_y = top
    if title:
        top += title_metrics.height() + 6
    legend_y = top
    if len(series) > 1:
        rows = 1 + max(y for _, y, _ in legend_places(metrics, series, rect.width()))
        top += rows * (metrics.height() + 2) + 6
    top += metrics.height() / 2  # room for the top tick label's upper half

    tick_width = max((metrics.horizontalAdvance(value_text(t)) for t in ticks), default=0.0)
    left = rect.left() + tick_width + 8
    bottom = rect.bottom() - metrics.height() - 6
    right = rect.right() - 4
    plot = QRectF(left, top, max(1.0, right - left), max(1.0, bottom - top))

    count = len(labels)
    if bars:
        slot = plot.width() / max(1, count)
        xs = [plot.left() + (i + 0.5) * slot for i in range(count)]
    else:
        inner = plot.width() - 2 * _LINE_INSET
        slot = inner / (count - 1) if count > 1 else inner
        start = plot.left() + _LINE_INSET
        xs = [start + i * slot for i in range(count)] if count > 1 else [plot.center().x()]
    widest = max((metrics.horizontalAdvance(label) for label in labels), default=0.0)
    label_every = max(1, math.ceil((widest + 10) / slot)) if slot > 0 else 1
    return ChartFrame(plot, low, high, ticks, xs, slot, label_every, title_y, legend_y)


def shown_labels(count: int, every: int) -> range:
    """Which x labels are drawn: every n-th, counted back from the newest (last) one, which is
    the one people look for."""
    return range((count - 1) % every, count, every) if count else range(0)


def _title_font(font: QFont) -> QFont:
    bold = QFont(font)
    bold.setWeight(QFont.Weight.DemiBold)
    return bold


def _paint_axes(
    painter: QPainter,
    frame: ChartFrame,
    rect: QRectF,
    palette: QPalette,
    labels: Sequence[str],
    series: Sequence[Series],
    value_text: ValueText,
    title: str,
) -> None:
    font = painter.font()
    small = small_font(font)
    metrics = QFontMetricsF(small)
    muted = muted_colour(palette)
    if title:
        painter.setFont(_title_font(font))
        painter.setPen(text_colour(palette))
        title_rect = QRectF(
            rect.left(), frame.title_y, rect.width(), QFontMetricsF(_title_font(font)).height()
        )
        painter.drawText(
            title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title
        )
    painter.setFont(small)
    if len(series) > 1:
        _paint_legend(
            painter, QPointF(rect.left(), frame.legend_y), rect.width(), metrics, series, palette
        )

    plot = frame.plot
    grid = grid_colour(palette)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    for tick in frame.ticks:
        y = round(frame.y_of(tick)) + 0.5
        painter.setPen(QPen(grid, 1))
        painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        painter.setPen(muted)
        text_rect = QRectF(
            rect.left(), y - metrics.height() / 2, plot.left() - rect.left() - 6, metrics.height()
        )
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, value_text(tick)
        )

    painter.setPen(muted)
    label_top = plot.bottom() + 4
    last_right = -math.inf
    for i in shown_labels(len(labels), frame.label_every):
        width = metrics.horizontalAdvance(labels[i]) + 2
        x = frame.xs[i] - width / 2
        # The first and last labels would stick out of the chart: slide them in, and leave
        # out one that a slid neighbour would then overlap.
        x = min(max(x, rect.left()), rect.right() - width)
        if x < last_right + 4:
            continue
        last_right = x + width
        painter.drawText(
            QRectF(x, label_top, width, metrics.height()), Qt.AlignmentFlag.AlignCenter, labels[i]
        )
    painter.setFont(font)


_SWATCH = 0.6  # legend swatch size, in line heights
_LEGEND_GAP = 14.0


def legend_places(
    metrics: QFontMetricsF, series: Sequence[Series], width: float
) -> list[tuple[float, int, Series]]:
    """(x offset, row, series) of each legend entry, wrapped onto more rows when one row is
    not wide enough."""
    places: list[tuple[float, int, Series]] = []
    x, row = 0.0, 0
    for item in series:
        entry = metrics.height() * _SWATCH + 5 + metrics.horizontalAdvance(item.name) + 2
        if x > 0 and x + entry > width:
            x, row = 0.0, row + 1
        places.append((x, row, item))
        x += entry + _LEGEND_GAP
    return places


def _paint_legend(
    painter: QPainter,
    origin: QPointF,
    width: float,
    metrics: QFontMetricsF,
    series: Sequence[Series],
    palette: QPalette,
) -> None:
    swatch = metrics.height() * _SWATCH
    line = metrics.height() + 2
    for offset, row, item in legend_places(metrics, series, width):
        x = origin.x() + offset
        y = origin.y() + row * line
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(item.colour))
        painter.drawRoundedRect(
            QRectF(x, y + (metrics.height() - swatch) / 2, swatch, swatch), 2, 2
        )
        painter.setPen(text_colour(palette))
        painter.drawText(
            QRectF(x + swatch + 5, y, metrics.horizontalAdvance(item.name) + 2, metrics.height()),
            Qt.AlignmentFlag.AlignVCenter,
            item.name,
        )


def _paint_guide(painter: QPainter, frame: ChartFrame, index: int | None, colour: QColor) -> None:
    if index is None or not 0 <= index < len(frame.xs):
        return
    x = frame.xs[index]
    band = QColor(colour)
    band.setAlpha(36)
    half = max(3.0, min(frame.slot / 2, 18.0))
    column = QRectF(x - half, frame.plot.top(), 2 * half, frame.plot.height())
    painter.fillRect(column.intersected(frame.plot), band)


def _focus_colour(palette: QPalette) -> QColor:
    return palette.color(QPalette.ColorRole.Highlight)


# --- line chart -----------------------------------------------------------------------------


def paint_line_chart(
    painter: QPainter,
    rect: QRectF,
    palette: QPalette,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    y_min: float = 0.0,
    y_max: float | None = None,
    value_text: ValueText = default_value_text,
    title: str = "",
    hover_index: int | None = None,
    focus_index: int | None = None,
    frame: ChartFrame | None = None,
) -> None:
    """Lines (broken where a value is None) over a grid with nice y ticks and thinned x labels.
    A single series gets a soft area fill; several get a legend. `hover_index` / `focus_index`
    highlight one label (the widget passes them; a printout leaves them out)."""
    series = finite_series(series)
    painter.save()
    frame = frame or chart_frame(
        rect,
        painter.font(),
        labels,
        series,
        y_min=y_min,
        y_max=y_max,
        value_text=value_text,
        title=title,
        bars=False,
    )
    _paint_axes(painter, frame, rect, palette, labels, series, value_text, title)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    _paint_guide(painter, frame, hover_index, muted_colour(palette))
    _paint_guide(painter, frame, focus_index, _focus_colour(palette))
    show_points = frame.slot >= 9
    background = palette.color(QPalette.ColorRole.Base)
    for item in series:
        colour = QColor(item.colour)
        segments = _segments(frame, item.values)
        if len(series) == 1:
            _fill_under(painter, frame, segments, colour)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(
            QPen(
                colour, 2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
            )
        )
        for points in segments:
            # One line per step with round caps looks like a round-joined polyline, and is
            # ~15× faster: Qt's stroker is slow on long zig-zag paths (260 weeks: 35 → 2 ms).
            for start, end in itertools.pairwise(points):
                painter.drawLine(start, end)
        painter.setPen(QPen(colour, 1.6))
        painter.setBrush(background)
        for points in segments:
            # A lone value between gaps has no line, so it always gets its dot.
            if show_points or len(points) == 1:
                for point in points:
                    painter.drawEllipse(point, 2.6, 2.6)
    for index, ring in ((hover_index, None), (focus_index, _focus_colour(palette))):
        _paint_markers(painter, frame, series, index, background, ring)
    painter.restore()


def _segments(frame: ChartFrame, values: Sequence[float | None]) -> list[list[QPointF]]:
    segments: list[list[QPointF]] = []
    current: list[QPointF] = []
    for x, value in zip(frame.xs, values, strict=False):
        if value is None:
            if current:
                segments.append(current)
                current = []
            continue
        current.append(QPointF(x, frame.y_of(value)))
    if current:
        segments.append(current)
    return segments


def _fill_under(
    painter: QPainter, frame: ChartFrame, segments: list[list[QPointF]], colour: QColor
) -> None:
    gradient = QLinearGradient(0, frame.plot.top(), 0, frame.plot.bottom())
    top, bottom = QColor(colour), QColor(colour)
    top.setAlpha(70)
    bottom.setAlpha(6)
    gradient.setColorAt(0, top)
    gradient.setColorAt(1, bottom)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(gradient))
    base = frame.plot.bottom()
    for points in segments:
        if len(points) < 2:
            continue
        path = QPainterPath(QPointF(points[0].x(), base))
        for point in points:
            path.lineTo(point)
        path.lineTo(QPointF(points[-1].x(), base))
        path.closeSubpath()
        painter.drawPath(path)


def _paint_markers(
    painter: QPainter,
    frame: ChartFrame,
    series: Sequence[Series],
    index: int | None,
    background: QColor,
    ring: QColor | None,
) -> None:
    if index is None or not 0 <= index < len(frame.xs):
        return
    for item in series:
        value = item.values[index] if index < len(item.values) else None
        if value is None:
            continue
        point = QPointF(frame.xs[index], frame.y_of(value))
        painter.setPen(QPen(QColor(item.colour), 2))
        painter.setBrush(background)
        painter.drawEllipse(point, 4, 4)
        if ring is not None:
            painter.setPen(QPen(ring, 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(point, 7, 7)


# --- bar chart ------------------------------------------------------------------------------


def paint_bar_chart(
    painter: QPainter,
    rect: QRectF,
    palette: QPalette,
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    y_max: float | None = None,
    target: float | None = None,
    value_text: ValueText = default_value_text,
    title: str = "",
    hover_index: int | None = None,
    focus_index: int | None = None,
    frame: ChartFrame | None = None,
) -> None:
    """Grouped bars from zero (one per series per label; None draws no bar), and a dashed
    target line with its value when `target` is given."""
    series = finite_series(series)
    painter.save()
    frame = frame or _bar_frame(
        rect, painter.font(), labels, series, y_max, target, value_text, title
    )
    _paint_axes(painter, frame, rect, palette, labels, series, value_text, title)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    _paint_guide(painter, frame, hover_index, muted_colour(palette))
    _paint_guide(painter, frame, focus_index, _focus_colour(palette))
    groups = max(1, len(series))
    group_width = frame.slot * (0.72 if frame.slot > 6 else 0.9)
    gap = 1.0 if group_width / groups > 4 else 0.0
    bar_width = max(1.0, (group_width - gap * (groups - 1)) / groups)
    base = frame.plot.bottom()
    painter.setPen(Qt.PenStyle.NoPen)
    radius = min(3.0, bar_width / 3)
    for position, item in enumerate(series):
        colour = QColor(item.colour)
        painter.setBrush(colour)
        offset = -group_width / 2 + position * (bar_width + gap)
        for x, value in zip(frame.xs, item.values, strict=False):
            if value is None:
                continue  # no value: a gap
            # A zero still gets a sliver on the baseline, so it reads as "0", not as a gap.
            top = min(frame.y_of(value), base - _ZERO_BAR)
            bar = QRectF(x + offset, top, bar_width, base - top)
            if bar.height() > 2 * radius:
                # Rounded top, square foot: the corner overlap below the radius is covered.
                painter.drawRoundedRect(bar, radius, radius)
                painter.drawRect(bar.adjusted(0, radius, 0, 0))
            else:
                painter.drawRect(bar)
    if target is not None:
        _paint_target(painter, frame, palette, target, value_text)
    if focus_index is not None and 0 <= focus_index < len(frame.xs):
        x = frame.xs[focus_index]
        painter.setPen(QPen(_focus_colour(palette), 2))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(
            QRectF(
                x - group_width / 2 - 3, frame.plot.top(), group_width + 6, frame.plot.height() + 2
            ),
            3,
            3,
        )
    painter.restore()


def _bar_frame(
    rect: QRectF,
    font: QFont,
    labels: Sequence[str],
    series: Sequence[Series],
    y_max: float | None,
    target: float | None,
    value_text: ValueText,
    title: str,
) -> ChartFrame:
    return chart_frame(
        rect,
        font,
        labels,
        series,
        y_min=0.0,
        y_max=y_max,
        value_text=value_text,
        title=title,
        bars=True,
        extra_values=() if target is None else (target,),
    )


def _paint_target(
    painter: QPainter, frame: ChartFrame, palette: QPalette, target: float, value_text: ValueText
) -> None:
    y = frame.y_of(target)
    colour = text_colour(palette)
    colour.setAlpha(170)
    painter.setPen(QPen(colour, 1.3, Qt.PenStyle.DashLine))
    painter.drawLine(QPointF(frame.plot.left(), y), QPointF(frame.plot.right(), y))
    small = small_font(painter.font())
    metrics = QFontMetricsF(small)
    text = f"Target {value_text(target)}"
    width = metrics.horizontalAdvance(text) + 8
    box = QRectF(frame.plot.right() - width, y - metrics.height() - 2, width, metrics.height())
    if box.top() < frame.plot.top() - metrics.height() / 2:
        box.moveTop(y + 2)  # no room above the line: label it below
    background = palette.color(QPalette.ColorRole.Base)
    background.setAlpha(220)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(background)
    painter.drawRoundedRect(box, 3, 3)
    painter.setFont(small)
    painter.setPen(colour)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)


# --- widgets --------------------------------------------------------------------------------


class _ChartWidget(QWidget):
    """Data, message mode, hover, keyboard focus and tooltips common to both charts."""

    _kind = "Chart"
    _unit = "points"
    _bars = False

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._labels: list[str] = []
        self._series: list[Series] = []
        self._value_text: ValueText = default_value_text
        self._title = ""
        self._message = ""
        self._hover: int | None = None
        self._focus: int | None = None
        self._frame: ChartFrame | None = None
        self._summary = ""
        self._y_min = 0.0
        self._y_max: float | None = None
        self._target: float | None = None  # bar charts only

    def _activate(self, index: int) -> None:
        raise NotImplementedError  # each chart emits its own signal

    def axis(self) -> tuple[float, float, list[float]]:
        """The y axis as drawn: (low, high, ticks); a bar chart's target counts as data."""
        values = [v for s in self._series for v in s.values if v is not None]
        if self._target is not None:
            values.append(self._target)
        return axis_range(self._y_min, self._y_max, values)

    def _make_frame(self, rect: QRectF) -> ChartFrame:
        return chart_frame(
            rect,
            self.font(),
            self._labels,
            self._series,
            y_min=self._y_min,
            y_max=self._y_max,
            value_text=self._value_text,
            title=self._title,
            bars=self._bars,
            extra_values=() if self._target is None else (self._target,),
        )

    def _paint_chart(self, painter: QPainter, rect: QRectF, frame: ChartFrame) -> None:
        common: dict[str, Any] = {
            "value_text": self._value_text,
            "title": self._title,
            "hover_index": self._hover,
            "focus_index": self._focus if self.hasFocus() else None,
            "frame": frame,
        }
        if self._bars:
            paint_bar_chart(
                painter,
                rect,
                self.palette(),
                self._labels,
                self._series,
                target=self._target,
                **common,
            )
        else:
            paint_line_chart(painter, rect, self.palette(), self._labels, self._series, **common)

    def show_message(self, text: str) -> None:
        self._labels, self._series = [], []
        self._message = text
        self._hover = self._focus = None
        self._frame = None
        self._summary = text
        self.setAccessibleDescription(f"{self._kind}: {text}")
        self.update()

    def focused_index(self) -> int | None:
        """The label the keyboard focus is on (Left/Right move it), or None."""
        return self._focus

    def index_at(self, pos: QPoint) -> int | None:
        """The label under `pos` (widget coordinates), or None outside the plot."""
        return self._index_at(QPointF(pos))

    def label_rect(self, index: int) -> QRect:
        """The plot column of one label (clicking inside it activates that label)."""
        frame = self._current_frame()
        if frame is None or not 0 <= index < len(frame.xs):
            return QRect()
        half = max(1.0, frame.slot / 2)
        x = frame.xs[index]
        return QRectF(x - half, frame.plot.top(), 2 * half, frame.plot.height()).toAlignedRect()

    def _store(
        self, labels: Sequence[str], series: Sequence[Series], value_text: ValueText, title: str
    ) -> None:
        self._labels = list(labels)
        self._series = finite_series(series)
        self._value_text = value_text
        self._title = title
        self._message = ""
        self._hover = None
        if self._focus is not None and self._focus >= len(self._labels):
            self._focus = None
        self._frame = None
        values = [v for s in self._series for v in s.values if v is not None]
        parts = [self._kind]
        if len(self._series) > 1:
            parts.append(f"{len(self._series)} series")
        parts.append(f"{len(self._labels)} {self._unit}")
        if values:
            parts.append(f"from {value_text(min(values))} to {value_text(max(values))}")
        else:
            parts.append("no values")
        self._summary = ", ".join(parts)
        self._describe()
        self.update()

    def _describe(self) -> None:
        text = self._summary
        if self._focus is not None and self._labels:
            text += f". Selected {self._point_text(self._focus, '; ')}"
        self.setAccessibleDescription(text)

    def _point_text(self, index: int, separator: str = "\n") -> str:
        lines = [self._labels[index]]
        for item in self._series:
            value = item.values[index] if index < len(item.values) else None
            shown = "no value" if value is None else self._value_text(value)
            lines.append(f"{item.name}: {shown}" if item.name else shown)
        return separator.join(lines)

    def _current_frame(self) -> ChartFrame | None:
        if not self._labels:
            return None
        if self._frame is None:
            self._frame = self._make_frame(QRectF(self.rect()).adjusted(6, 6, -6, -4))
        return self._frame

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._frame = None
        super().resizeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.FontChange:
            self._frame = None
        super().changeEvent(event)

    def sizeHint(self) -> QSize:
        return QSize(480, 220)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 120)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = QRectF(self.rect())
        if self._message or not self._labels:
            painter.setPen(muted_colour(self.palette()))
            painter.drawText(
                rect, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._message
            )
        else:
            frame = self._current_frame()
            assert frame is not None
            self._paint_chart(painter, rect.adjusted(6, 6, -6, -4), frame)
        if self.hasFocus() and (self._message or not self._labels):
            self._paint_focus_frame(painter)
        painter.end()

    def _paint_focus_frame(self, painter: QPainter) -> None:
        painter.setPen(QPen(_focus_colour(self.palette()), 1.5))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 4, 4)

    def _index_at(self, pos: QPointF) -> int | None:
        frame = self._current_frame()
        if frame is None or not frame.plot.adjusted(-_LINE_INSET, -8, 8, 24).contains(pos):
            return None
        return frame.index_at(pos.x())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self._index_at(event.position())
        if index != self._hover:
            self._hover = index
            self.update()
        super().mouseMoveEvent(event)

    def leaveEvent(self, event: QEvent) -> None:
        if self._hover is not None:
            self._hover = None
            self.update()
        super().leaveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self._index_at(event.position())
        if event.button() == Qt.MouseButton.LeftButton and index is not None:
            self._set_focus_index(index)
            self._activate(index)
            event.accept()
            return
        super().mousePressEvent(event)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self._index_at(QPointF(event.pos()))
            if index is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self._point_text(index), self)
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        count = len(self._labels)
        key = Qt.Key(event.key())
        if not count:
            super().keyPressEvent(event)
            return
        current = self._focus if self._focus is not None else count - 1
        moves = {
            Qt.Key.Key_Left: current - 1,
            Qt.Key.Key_Right: current + 1,
            Qt.Key.Key_Home: 0,
            Qt.Key.Key_End: count - 1,
        }
        if key in moves:
            self._set_focus_index(min(count - 1, max(0, moves[key])), show_tip=True)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self._set_focus_index(current)
            self._activate(current)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusInEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if self._focus is None and self._labels:
            self._focus = len(self._labels) - 1
            self._describe()
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.update()
        super().focusOutEvent(event)

    def _set_focus_index(self, index: int, *, show_tip: bool = False) -> None:
        self._focus = index
        self._describe()
        self.update()
        frame = self._current_frame()
        if show_tip and frame is not None:
            # Keyboard users cannot hover: show the values the mouse would.
            anchor = QPoint(round(frame.xs[index]), round(frame.plot.top()))
            QToolTip.showText(self.mapToGlobal(anchor), self._point_text(index), self)


class LineChart(_ChartWidget):
    """Lines over labels (e.g. a habit's score by week). Click a point or press Enter on the
    focused one to emit `pointActivated(index)`."""

    pointActivated = Signal(int)
    _kind = "Line chart"
    _unit = "points"

    def set_data(
        self,
        labels: Sequence[str],
        series: Sequence[Series],
        *,
        y_min: float = 0.0,
        y_max: float | None = None,
        value_text: ValueText = default_value_text,
        title: str = "",
    ) -> None:
        self._y_min, self._y_max = y_min, y_max
        self._store(labels, series, value_text, title)

    def _activate(self, index: int) -> None:
        self.pointActivated.emit(index)


class BarChart(_ChartWidget):
    """Grouped bars (one per series per label), e.g. a numeric habit's total per week, with an
    optional dashed target line. Click a group or press Enter to emit `barActivated(index)`."""

    barActivated = Signal(int)
    _kind = "Bar chart"
    _unit = "bars"
    _bars = True

    def set_data(
        self,
        labels: Sequence[str],
        series: Sequence[Series],
        *,
        y_max: float | None = None,
        target: float | None = None,
        value_text: ValueText = default_value_text,
        title: str = "",
    ) -> None:
        self._y_max, self._target = y_max, target
        self._unit = "groups" if len(series) > 1 else "bars"
        self._store(labels, series, value_text, title)
        if target is not None:
            self._summary += f", target {value_text(target)}"
            self._describe()

    def _activate(self, index: int) -> None:
        self.barActivated.emit(index)
