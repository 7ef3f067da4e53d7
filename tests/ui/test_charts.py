"""Line and bar charts: axis rounding, drawing (with gaps), message mode, hover, keys, clicks."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QHelpEvent, QImage, QPainter, QPalette
from PySide6.QtWidgets import QToolTip, QWidget

from habitdesk.ui.widgets.charts import (
    BarChart,
    LineChart,
    Series,
    axis_range,
    chart_frame,
    default_value_text,
    legend_places,
    paint_bar_chart,
    paint_line_chart,
    shown_labels,
    small_font,
)
from tests.ui.pixels import collect_qt_warnings, count_near

BLUE = "#1F77B4"
ORANGE = "#E0773D"
WEEKS = [f"W{i + 1}" for i in range(12)]
SCORES: list[float | None] = [0.12, 0.2, None, None, 0.35, 0.4, 0.52, None, 0.6, 0.7, 0.8, 0.87]


@pytest.fixture(autouse=True)
def no_qt_warnings() -> Iterator[None]:
    for messages in collect_qt_warnings():
        yield
        assert messages == []


def show_active(qtbot, widget: QWidget, width: int = 600, height: int = 260) -> None:  # type: ignore[no-untyped-def]
    widget.resize(width, height)
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()


def line_chart(qtbot, series: list[Series] | None = None) -> LineChart:  # type: ignore[no-untyped-def]
    chart = LineChart()
    qtbot.addWidget(chart)
    chart.set_data(
        WEEKS,
        series or [Series("Score", SCORES, BLUE)],
        y_max=1.0,
        value_text=lambda v: f"{v:.0%}",
    )
    show_active(qtbot, chart)
    return chart


def bar_chart(qtbot, target: float | None = None) -> BarChart:  # type: ignore[no-untyped-def]
    chart = BarChart()
    qtbot.addWidget(chart)
    chart.set_data(
        ["Mon", "Tue", "Wed", "Thu", "Fri"],
        [Series("Ann", [3, 5, None, 2, 4], ORANGE), Series("Ben", [1, 2, 6, 0, 4], BLUE)],
        target=target,
    )
    show_active(qtbot, chart)
    return chart


def pixels_of(widget: QWidget, colour: str, rect: QRect | None = None) -> int:
    image = widget.grab().toImage()
    return count_near(image, rect or image.rect(), QColor(colour))


# --- axis -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data_max", "high", "ticks"),
    [
        (0.87, 1.0, [0.0, 0.25, 0.5, 0.75, 1.0]),
        (7, 8.0, [0.0, 2.0, 4.0, 6.0, 8.0]),
        (3, 3.0, [0.0, 1.0, 2.0, 3.0]),
        (12, 15.0, [0.0, 5.0, 10.0, 15.0]),
        (37.5, 40.0, [0.0, 10.0, 20.0, 30.0, 40.0]),
        (0.3, 0.3, [0.0, 0.1, 0.2, 0.3]),
        (1234, 1500.0, [0.0, 500.0, 1000.0, 1500.0]),
    ],
)
def test_axis_rounds_up_to_nice_ticks(data_max: float, high: float, ticks: list[float]) -> None:
    low, top, marks = axis_range(0.0, None, [data_max / 2, data_max])
    assert (low, top) == (0.0, high)
    assert marks == pytest.approx(ticks)


def test_axis_has_three_to_five_ticks_covering_the_data() -> None:
    for data_max in [0.01 * k for k in range(1, 400, 7)] + [k * 13.7 for k in range(1, 80)]:
        low, high, ticks = axis_range(0.0, None, [data_max])
        assert 3 <= len(ticks) <= 5, data_max
        assert high >= data_max
        assert ticks[0] == low
        assert ticks[-1] == pytest.approx(high)


def test_axis_with_a_given_range_or_no_data() -> None:
    assert axis_range(0.0, 100.0, [5.0])[1] == 100.0
    assert axis_range(0.0, None, []) == (0.0, 1.0, [0.0, 0.25, 0.5, 0.75, 1.0])
    low, high, ticks = axis_range(50.0, None, [49.0, 80.0])
    assert (low, high) == (50.0, 80.0)
    assert ticks[0] == 50.0


def test_x_labels_are_thinned_so_they_never_overlap() -> None:
    labels = [f"2026-W{i:02d}" for i in range(260)]
    font = QFont()
    frame = chart_frame(
        QRectF(0, 0, 600, 240),
        font,
        labels,
        [Series("a", [1.0] * 260, BLUE)],
        y_min=0.0,
        y_max=None,
        value_text=default_value_text,
        title="",
        bars=False,
    )
    widest = max(QFontMetricsF(small_font(font)).horizontalAdvance(label) for label in labels)
    assert frame.label_every > 1
    assert frame.label_every * frame.slot > widest
    shown = list(shown_labels(len(labels), frame.label_every))
    assert shown[-1] == 259  # the newest label is always among them
    assert all(b - a == frame.label_every for a, b in itertools.pairwise(shown))
    assert list(shown_labels(0, 3)) == []


# --- line chart -----------------------------------------------------------------------------


def test_line_chart_draws_its_series_with_gaps(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = line_chart(qtbot)
    assert pixels_of(chart, BLUE) > 50
    # In the gap (W3-W4) there is no line: that column holds no series pixels.
    gap = chart.label_rect(2).united(chart.label_rect(3))
    line_part = chart.label_rect(9).united(chart.label_rect(10))
    assert pixels_of(chart, BLUE, gap) == 0
    assert pixels_of(chart, BLUE, line_part) > 5


def test_line_chart_survives_empty_and_lone_values(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = line_chart(qtbot)
    chart.set_data(WEEKS, [Series("Score", [None] * len(WEEKS), BLUE)])
    assert pixels_of(chart, BLUE) == 0
    assert "no values" in chart.accessibleDescription()
    lone: list[float | None] = [None] * len(WEEKS)
    lone[5] = 3.0
    chart.set_data(WEEKS, [Series("Score", lone, BLUE)])
    assert pixels_of(chart, BLUE, chart.label_rect(5)) > 5  # a lone value still shows a dot
    chart.set_data(["Only"], [Series("Score", [2.0], BLUE)])
    assert pixels_of(chart, BLUE) > 5
    chart.set_data([], [])
    chart.grab()
    # Not-a-number is no value: a gap, left out of the range.
    chart.set_data(["a", "b", "c"], [Series("Score", [1.0, float("nan"), 2.0], BLUE)])
    assert chart.accessibleDescription().startswith("Line chart, 3 points, from 1 to 2")
    assert pixels_of(chart, BLUE, chart.label_rect(1)) == 0


def test_message_mode_replaces_the_chart(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = line_chart(qtbot)
    chart.show_message("No entries yet")
    assert pixels_of(chart, BLUE) == 0
    assert chart.accessibleDescription() == "Line chart: No entries yet"
    image = chart.grab().toImage()
    centre = QRect(chart.width() // 2 - 60, chart.height() // 2 - 10, 120, 20)
    background = image.pixelColor(2, 2)
    assert count_near(image, centre, background, 30) < centre.width() * centre.height()
    chart.set_data(WEEKS, [Series("Score", SCORES, BLUE)])
    assert pixels_of(chart, BLUE) > 50


def test_line_chart_description(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = LineChart()
    qtbot.addWidget(chart)
    chart.set_data(WEEKS, [Series("Score", SCORES, BLUE)], value_text=lambda v: f"{v:.2f}")
    assert chart.accessibleDescription() == "Line chart, 12 points, from 0.12 to 0.87"
    chart.set_data(WEEKS, [Series("A", SCORES, BLUE), Series("B", [1.0] * 12, ORANGE)])
    assert chart.accessibleDescription() == "Line chart, 2 series, 12 points, from 0.12 to 1"


def test_several_series_get_a_legend(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = line_chart(qtbot, [Series("Ann", SCORES, BLUE), Series("Ben", [0.5] * 12, ORANGE)])
    legend_row = QRect(0, 0, chart.width(), chart.label_rect(0).top())
    assert pixels_of(chart, BLUE, legend_row) > 10
    assert pixels_of(chart, ORANGE, legend_row) > 10


def test_a_long_legend_wraps_onto_more_rows() -> None:
    names = ["Everyone", "Amira", "Paul", "Yuki", "Chloé", "Zoë", "Kofi"]
    series = [Series(name, [0.5, 0.6], BLUE) for name in names]

    def plot_top(width: float) -> float:
        frame = chart_frame(
            QRectF(0, 0, width, 300),
            QFont(),
            ["a", "b"],
            series,
            y_min=0.0,
            y_max=1.0,
            value_text=default_value_text,
            title="Trend",
            bars=False,
        )
        return frame.plot.top()

    metrics = QFontMetricsF(small_font(QFont()))
    rows = {row for _, row, _ in legend_places(metrics, series, 220)}
    assert len(rows) > 1
    assert all(x + 10 < 220 for x, _, _ in legend_places(metrics, series, 220))
    assert plot_top(220) > plot_top(1200)


def test_clicking_a_point_activates_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = line_chart(qtbot)
    with qtbot.waitSignal(chart.pointActivated) as blocker:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.label_rect(6).center())
    assert blocker.args == [6]
    assert chart.focused_index() == 6
    emitted: list[int] = []
    chart.pointActivated.connect(emitted.append)
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=QPoint(1, 1))
    assert emitted == []


def test_keyboard_moves_the_focused_point_and_activates(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = line_chart(qtbot)
    chart.setFocus()
    assert chart.focused_index() == len(WEEKS) - 1  # focus starts on the newest point
    qtbot.keyClick(chart, Qt.Key.Key_Left)
    qtbot.keyClick(chart, Qt.Key.Key_Left)
    assert chart.focused_index() == len(WEEKS) - 3
    assert chart.accessibleDescription().endswith("Selected W10; Score: 70%")
    with qtbot.waitSignal(chart.pointActivated) as blocker:
        qtbot.keyClick(chart, Qt.Key.Key_Return)
    assert blocker.args == [len(WEEKS) - 3]
    qtbot.keyClick(chart, Qt.Key.Key_Home)
    qtbot.keyClick(chart, Qt.Key.Key_Left)  # stays on the first point
    with qtbot.waitSignal(chart.pointActivated) as blocker:
        qtbot.keyClick(chart, Qt.Key.Key_Space)
    assert blocker.args == [0]
    qtbot.keyClick(chart, Qt.Key.Key_End)
    assert chart.focused_index() == len(WEEKS) - 1
    QToolTip.hideText()


def tooltip_at(chart: QWidget, pos: QPoint) -> str:
    chart.event(QHelpEvent(QEvent.Type.ToolTip, pos, chart.mapToGlobal(pos)))
    return QToolTip.text()


def test_hover_tooltip_lists_each_series(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = line_chart(qtbot, [Series("Ann", SCORES, BLUE), Series("Ben", [0.5] * 12, ORANGE)])
    assert tooltip_at(chart, chart.label_rect(1).center()) == "W2\nAnn: 20%\nBen: 50%"
    assert tooltip_at(chart, chart.label_rect(2).center()) == "W3\nAnn: no value\nBen: 50%"
    assert chart.index_at(QPoint(1, 1)) is None  # outside the plot: no tooltip
    QToolTip.hideText()


# --- bar chart ------------------------------------------------------------------------------


def test_bar_chart_draws_grouped_bars_and_skips_gaps(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = bar_chart(qtbot)
    assert pixels_of(chart, ORANGE, chart.label_rect(0)) > 20
    assert pixels_of(chart, BLUE, chart.label_rect(0)) > 5
    assert pixels_of(chart, ORANGE, chart.label_rect(2)) == 0  # Ann has no value on Wed
    # Ben's zero is a sliver on the baseline (a gap would show nothing).
    zero = pixels_of(chart, BLUE, chart.label_rect(3))
    assert 0 < zero < pixels_of(chart, BLUE, chart.label_rect(0)) / 3
    # In each group Ann's bar is left of Ben's.
    image = chart.grab().toImage()
    column = chart.label_rect(1)
    ann = [
        x
        for x in range(column.left(), column.right())
        if count_near(image, QRect(x, column.top(), 1, column.height()), QColor(ORANGE))
    ]
    ben = [
        x
        for x in range(column.left(), column.right())
        if count_near(image, QRect(x, column.top(), 1, column.height()), QColor(BLUE))
    ]
    assert ann and ben and max(ann) < min(ben)
    assert chart.accessibleDescription().startswith("Bar chart, 2 series, 5 groups, from 0 to 6")


def test_bar_chart_target_line_stretches_the_axis(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = bar_chart(qtbot, target=12)
    assert chart.axis()[1] >= 12
    assert chart.accessibleDescription().startswith(
        "Bar chart, 2 series, 5 groups, from 0 to 6, target 12"
    )
    assert bar_chart(qtbot).axis()[1] < 12


def test_bar_chart_draws_the_target_as_a_dashed_line(qtbot) -> None:  # type: ignore[no-untyped-def]
    # A target inside the data's range leaves the axis as it is: the pictures differ only by
    # the target line (and its label).
    with_target = bar_chart(qtbot, target=4).grab().toImage()
    without = bar_chart(qtbot).grab().toImage()
    width = with_target.width()
    changed_rows = [
        y
        for y in range(with_target.height())
        if sum(with_target.pixel(x, y) != without.pixel(x, y) for x in range(width)) > width * 0.3
    ]
    assert changed_rows  # a line across the plot
    dashed_row = changed_rows[0]
    changed = [
        with_target.pixel(x, dashed_row) != without.pixel(x, dashed_row) for x in range(width)
    ]
    assert sum(1 for a, b in itertools.pairwise(changed) if a and not b) > 10  # dashes, not solid


def test_bar_activation_by_click_and_keys(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = bar_chart(qtbot)
    with qtbot.waitSignal(chart.barActivated) as blocker:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.label_rect(3).center())
    assert blocker.args == [3]
    qtbot.keyClick(chart, Qt.Key.Key_Right)
    with qtbot.waitSignal(chart.barActivated) as blocker:
        qtbot.keyClick(chart, Qt.Key.Key_Enter)
    assert blocker.args == [4]
    QToolTip.hideText()


def test_bar_message_mode(qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = bar_chart(qtbot)
    chart.show_message("Not a numeric habit")
    assert pixels_of(chart, ORANGE) == pixels_of(chart, BLUE) == 0
    qtbot.keyClick(chart, Qt.Key.Key_Return)  # nothing to activate, nothing breaks


# --- painting for print ---------------------------------------------------------------------


def print_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Base, "#FFFFFF"),
        (QPalette.ColorRole.Text, "#000000"),
        (QPalette.ColorRole.Mid, "#CCCCCC"),
        (QPalette.ColorRole.Highlight, "#3D7BE0"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


def test_paint_functions_draw_into_any_device() -> None:
    image = QImage(800, 300, QImage.Format.Format_RGB32)
    labels = [f"W{i % 52 + 1}" for i in range(260)]
    series = [
        Series("Ann", [(i % 7) / 7 for i in range(260)], ORANGE),
        Series("Ben", [None if i % 30 == 0 else 0.5 for i in range(260)], BLUE),
        Series("Cy", [0.9] * 260, "#9B59B6"),
    ]
    for paint, kwargs in ((paint_line_chart, {"y_min": 0.0}), (paint_bar_chart, {"target": 0.75})):
        image.fill(QColor("#FFFFFF"))
        painter = QPainter(image)
        paint(
            painter,
            QRectF(0, 0, 800, 300),
            print_palette(),
            labels,
            series,
            title="Weekly",
            **kwargs,
        )
        painter.end()
        for item in series:
            assert count_near(image, image.rect(), QColor(item.colour), stop_at=21) > 20, (
                paint,
                item.name,
            )
