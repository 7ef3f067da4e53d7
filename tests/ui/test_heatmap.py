"""The year heat map: geometry, clicks, keyboard, colours, tooltips and its description."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtCore import QEvent, QLocale, QPoint, QRect, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage
from PySide6.QtWidgets import QPushButton, QScrollArea, QToolTip, QVBoxLayout, QWidget

from habitdesk.ui.widgets.charts import text_colour
from habitdesk.ui.widgets.heatmap import HeatLegend, YearHeatMap
from tests.ui.pixels import close, collect_qt_warnings, colour_at, count_near

TODAY = date(2026, 11, 26)  # a Thursday
FIRST = date(2024, 2, 10)
GREEN = "#2E9E6B"

DONE_DAY = date(2025, 3, 14)
MISSED_DAY = date(2025, 3, 15)
EMPTY_DAY = date(2025, 3, 16)
SKIPPED_DAY = date(2025, 3, 17)
PARTIAL_DAY = date(2025, 3, 18)


@pytest.fixture(autouse=True)
def no_qt_warnings() -> Iterator[None]:
    for messages in collect_qt_warnings():
        yield
        assert messages == []


def levels_and_skips() -> tuple[list[float | None], list[bool]]:
    count = (TODAY - FIRST).days + 1
    levels: list[float | None] = [1.0] * count
    skipped = [False] * count

    def at(day: date) -> int:
        return (day - FIRST).days

    levels[at(MISSED_DAY)] = 0.0
    levels[at(EMPTY_DAY)] = None
    levels[at(SKIPPED_DAY)] = None
    skipped[at(SKIPPED_DAY)] = True
    levels[at(PARTIAL_DAY)] = 0.5
    return levels, skipped


def filled_map(*, week_start: int = 0, tooltip=None) -> YearHeatMap:  # type: ignore[no-untyped-def]
    heat = YearHeatMap()
    heat.setLocale(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    levels, skipped = levels_and_skips()
    heat.set_data(
        FIRST,
        levels,
        today=TODAY,
        colour=GREEN,
        week_start=week_start,
        skipped=skipped,
        tooltip=tooltip,
    )
    return heat


def make_map(qtbot, *, week_start: int = 0, tooltip=None, width: int = 900) -> YearHeatMap:  # type: ignore[no-untyped-def]
    heat = filled_map(week_start=week_start, tooltip=tooltip)
    qtbot.addWidget(heat)
    heat.resize(width, heat.heightForWidth(width))
    show_active(qtbot, heat)
    return heat


def show_active(qtbot, window: QWidget) -> None:  # type: ignore[no-untyped-def]
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()


def grab(heat: YearHeatMap) -> QImage:
    return heat.grab().toImage()


def test_years_newest_on_top_and_every_day_has_a_cell(qtbot) -> None:  # type: ignore[no-untyped-def]
    heat = make_map(qtbot)
    tops = [heat.year_rect(year).top() for year in (2026, 2025, 2024)]
    assert tops == sorted(tops)
    assert heat.year_rect(2023).isNull()
    for day in (FIRST, date(2024, 12, 31), date(2025, 1, 1), TODAY):
        rect = heat.day_rect(day)
        assert heat.year_rect(day.year).contains(rect)
        assert heat.day_at(rect.center()) == day
    assert heat.day_rect(FIRST - timedelta(days=1)).isNull()
    assert heat.day_rect(TODAY + timedelta(days=1)).isNull()


def test_height_grows_with_the_years(qtbot) -> None:  # type: ignore[no-untyped-def]
    heat = YearHeatMap()
    qtbot.addWidget(heat)
    heat.set_data(date(2026, 1, 5), [1.0] * 30, today=TODAY, colour=GREEN)
    one_year = heat.heightForWidth(900)
    heat.set_data(date(2022, 1, 5), [1.0] * 30, today=TODAY, colour=GREEN)
    assert heat.heightForWidth(900) > 4 * one_year
    assert heat.minimumSizeHint().width() <= heat.sizeHint().width()


def rows_of_week(heat: YearHeatMap, days: list[date]) -> list[date]:
    """The days of one week column from the top row down."""
    assert len({heat.day_rect(d).x() for d in days}) == 1, "not one column"
    return sorted(days, key=lambda d: heat.day_rect(d).y())


def test_week_start_orders_the_rows(qtbot) -> None:  # type: ignore[no-untyped-def]
    monday_week = [date(2026, 11, 23) + timedelta(days=i) for i in range(4)]  # Mon..Thu
    heat = make_map(qtbot, week_start=0)
    assert rows_of_week(heat, monday_week)[0] == date(2026, 11, 23)
    # Sunday the 22nd ends the previous Monday-started week: one column to the left.
    assert heat.day_rect(date(2026, 11, 22)).x() < heat.day_rect(date(2026, 11, 23)).x()

    sunday_week = [date(2026, 11, 22) + timedelta(days=i) for i in range(5)]  # Sun..Thu
    heat.set_data(FIRST, levels_and_skips()[0], today=TODAY, colour=GREEN, week_start=6)
    ordered = rows_of_week(heat, sunday_week)
    assert ordered[0] == date(2026, 11, 22)
    assert ordered.index(TODAY) == 4  # Thursday is the fifth row when weeks start on Sunday
    assert heat.day_rect(date(2026, 11, 21)).x() < heat.day_rect(date(2026, 11, 22)).x()


def test_clicking_a_day_emits_it_and_selects_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    heat = make_map(qtbot)
    with qtbot.waitSignal(heat.dayActivated) as blocker:
        qtbot.mouseClick(heat, Qt.MouseButton.LeftButton, pos=heat.day_rect(DONE_DAY).center())
    assert blocker.args == [DONE_DAY]
    assert heat.selected_day() == DONE_DAY
    assert heat.hasFocus()
    assert "Selected" in heat.accessibleDescription()


def test_clicking_outside_the_days_emits_nothing(qtbot) -> None:  # type: ignore[no-untyped-def]
    heat = make_map(qtbot)
    step = heat.day_rect(date(2026, 11, 24)).y() - heat.day_rect(date(2026, 11, 23)).y()
    tomorrow_spot = heat.day_rect(TODAY).center() + QPoint(0, step)
    before_first = heat.day_rect(FIRST).center() - QPoint(0, step)
    emitted: list[object] = []
    heat.dayActivated.connect(emitted.append)
    for spot in (tomorrow_spot, before_first, QPoint(2, 2)):
        assert heat.day_at(spot) is None
        qtbot.mouseClick(heat, Qt.MouseButton.LeftButton, pos=spot)
    assert emitted == []


def test_keyboard_moves_by_day_week_month_year_and_activates(qtbot) -> None:  # type: ignore[no-untyped-def]
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    button = QPushButton("Before")
    heat = filled_map()
    layout.addWidget(button)
    layout.addWidget(heat)
    window.resize(900, 600)
    show_active(qtbot, window)
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Tab)
    assert heat.hasFocus()
    assert heat.selected_day() == TODAY  # the focus cell starts on today

    heat.select_day(DONE_DAY)
    expected = [
        (Qt.Key.Key_Down, Qt.KeyboardModifier.NoModifier, date(2025, 3, 15)),
        (Qt.Key.Key_Right, Qt.KeyboardModifier.NoModifier, date(2025, 3, 22)),
        (Qt.Key.Key_Up, Qt.KeyboardModifier.NoModifier, date(2025, 3, 21)),
        (Qt.Key.Key_Left, Qt.KeyboardModifier.NoModifier, date(2025, 3, 14)),
        (Qt.Key.Key_PageDown, Qt.KeyboardModifier.NoModifier, date(2025, 4, 14)),
        (Qt.Key.Key_PageUp, Qt.KeyboardModifier.ControlModifier, date(2024, 4, 14)),
        (Qt.Key.Key_Home, Qt.KeyboardModifier.NoModifier, FIRST),
        (Qt.Key.Key_Up, Qt.KeyboardModifier.NoModifier, FIRST),  # stays inside the data
        (Qt.Key.Key_End, Qt.KeyboardModifier.NoModifier, TODAY),
        (Qt.Key.Key_Right, Qt.KeyboardModifier.NoModifier, TODAY),
        (Qt.Key.Key_PageUp, Qt.KeyboardModifier.NoModifier, date(2026, 10, 26)),
    ]
    for key, modifier, day in expected:
        qtbot.keyClick(heat, key, modifier)
        assert heat.selected_day() == day, (key, modifier)

    for key in (Qt.Key.Key_Return, Qt.Key.Key_Space):
        with qtbot.waitSignal(heat.dayActivated) as blocker:
            qtbot.keyClick(heat, key)
        assert blocker.args == [date(2026, 10, 26)]


def test_select_day_scrolls_the_enclosing_scroll_area(qtbot) -> None:  # type: ignore[no-untyped-def]
    area = QScrollArea()
    qtbot.addWidget(area)
    heat = filled_map()
    area.setWidget(heat)
    area.setWidgetResizable(True)
    area.resize(900, 260)
    area.show()
    qtbot.waitExposed(area)
    assert heat.height() > area.viewport().height()  # the years do not fit: it scrolls
    scroll = area.verticalScrollBar()
    assert scroll.value() == 0
    heat.select_day(FIRST)
    assert scroll.value() > 0
    visible = area.viewport().rect().translated(0, scroll.value())
    assert visible.contains(heat.day_rect(FIRST))


def test_levels_are_drawn_distinctly(qtbot) -> None:  # type: ignore[no-untyped-def]
    heat = make_map(qtbot)
    image = grab(heat)

    def centre(day: date) -> QColor:
        return colour_at(image, heat.day_rect(day).center())

    background = colour_at(image, QPoint(heat.width() - 2, heat.height() - 2))
    done, missed, empty = centre(DONE_DAY), centre(MISSED_DAY), centre(EMPTY_DAY)
    partial = centre(PARTIAL_DAY)
    assert close(done, QColor(GREEN))
    assert close(empty, background)  # nothing recorded: an outline only
    assert not close(missed, background) and not close(missed, done)
    assert missed.hsvSaturation() < 40  # missed is a neutral pale fill, not the habit's colour
    # Partial sits between the pale tint and the full colour, in the habit's hue.
    assert not close(partial, done)
    assert partial.lightness() > done.lightness()
    assert abs(partial.hsvHue() - done.hsvHue()) < 12
    # The skipped cell is hatched: it mixes its hatch and the background.
    skipped_rect = heat.day_rect(SKIPPED_DAY).adjusted(2, 2, -2, -2)
    shades = {
        image.pixel(x, y)
        for x in range(skipped_rect.left(), skipped_rect.right() + 1)
        for y in range(skipped_rect.top(), skipped_rect.bottom() + 1)
    }
    assert len(shades) >= 2


def test_today_is_outlined_and_later_days_are_not_drawn(qtbot) -> None:  # type: ignore[no-untyped-def]
    heat = make_map(qtbot)
    image = grab(heat)
    background = colour_at(image, QPoint(heat.width() - 2, heat.height() - 2))
    today = heat.day_rect(TODAY)
    other = heat.day_rect(TODAY - timedelta(days=7))  # a done day in the previous column
    ring_offset = QPoint(today.width() // 2, -2)  # just above the cell, in the gap
    assert not close(colour_at(image, today.topLeft() + ring_offset), background)
    assert close(colour_at(image, other.topLeft() + ring_offset), background)
    tomorrow = today.translated(
        0, heat.day_rect(date(2026, 11, 24)).y() - heat.day_rect(date(2026, 11, 23)).y()
    )
    assert close(colour_at(image, tomorrow.center()), background)


def test_focused_day_has_a_focus_ring(qtbot) -> None:  # type: ignore[no-untyped-def]
    heat = make_map(qtbot)
    day = date(2025, 6, 4)
    spot = heat.day_rect(day).topLeft() + QPoint(heat.day_rect(day).width() // 2, -2)
    background = colour_at(grab(heat), QPoint(heat.width() - 2, heat.height() - 2))
    assert close(colour_at(grab(heat), spot), background)
    heat.setFocus()
    heat.select_day(day)
    ring = colour_at(grab(heat), spot)
    assert not close(ring, background)
    assert ring.hsvHue() == pytest.approx(heat.palette().highlight().color().hsvHue(), abs=15)


def test_the_day_under_the_mouse_is_outlined(qtbot) -> None:  # type: ignore[no-untyped-def]
    heat = make_map(qtbot)
    day = date(2025, 6, 4)
    rect = heat.day_rect(day)
    spot = rect.topLeft() + QPoint(rect.width() // 2, -2)
    background = colour_at(grab(heat), QPoint(heat.width() - 2, heat.height() - 2))
    qtbot.mouseMove(heat, rect.center())
    qtbot.waitUntil(lambda: heat.cursor().shape() == Qt.CursorShape.PointingHandCursor)
    assert not close(colour_at(grab(heat), spot), background)
    qtbot.mouseMove(heat, QPoint(2, 2))  # over the heading: no day, no outline
    qtbot.waitUntil(lambda: heat.cursor().shape() == Qt.CursorShape.ArrowCursor)
    assert close(colour_at(grab(heat), spot), background)


def test_set_day_changes_one_cell_and_the_counts(qtbot) -> None:  # type: ignore[no-untyped-def]
    heat = make_map(qtbot)
    before = heat.accessibleDescription()
    heat.set_day(MISSED_DAY, 1.0)
    assert close(colour_at(grab(heat), heat.day_rect(MISSED_DAY).center()), QColor(GREEN))
    assert heat.accessibleDescription() != before
    assert ", 0 missed," in heat.accessibleDescription()
    with pytest.raises(ValueError, match="not between"):
        heat.set_day(TODAY + timedelta(days=1), 1.0)


def test_description_summarises_the_years(qtbot) -> None:  # type: ignore[no-untyped-def]
    heat = make_map(qtbot)
    total = (TODAY - FIRST).days + 1
    summary = f"2024–2026, {total - 4:,} days done, 1 partly done, 1 missed, 1 skipped"
    # The map took the focus when shown, so its focus cell (today) is described too.
    assert heat.accessibleDescription() == f"{summary}. Selected Thu 26 Nov 2026: done"
    heat.select_day(MISSED_DAY)
    assert heat.accessibleDescription() == f"{summary}. Selected Sat 15 Mar 2025: missed"


def tooltip_at(heat: YearHeatMap, day: date) -> str:
    pos = heat.day_rect(day).center()
    event = QHelpEvent(QEvent.Type.ToolTip, pos, heat.mapToGlobal(pos))
    heat.event(event)
    return QToolTip.text()


def test_tooltips_describe_the_day(qtbot) -> None:  # type: ignore[no-untyped-def]
    heat = make_map(qtbot)
    assert tooltip_at(heat, DONE_DAY).endswith(": done")
    assert "2025" in tooltip_at(heat, DONE_DAY)
    assert tooltip_at(heat, MISSED_DAY).endswith(": missed")
    assert tooltip_at(heat, SKIPPED_DAY).endswith(": skipped")
    assert tooltip_at(heat, PARTIAL_DAY).endswith(": 50 % done")
    assert tooltip_at(heat, EMPTY_DAY).endswith(": nothing recorded")
    QToolTip.hideText()


def test_the_callers_tooltip_wins(qtbot) -> None:  # type: ignore[no-untyped-def]
    heat = make_map(qtbot, tooltip=lambda day: f"Reading on {day.isoformat()}: 20 pages")
    assert tooltip_at(heat, DONE_DAY) == "Reading on 2025-03-14: 20 pages"
    QToolTip.hideText()


def test_bad_input_is_refused(qtbot) -> None:  # type: ignore[no-untyped-def]
    heat = YearHeatMap()
    qtbot.addWidget(heat)
    with pytest.raises(ValueError, match="week_start"):
        heat.set_data(FIRST, [], today=TODAY, colour=GREEN, week_start=7)
    with pytest.raises(ValueError, match="not a colour"):
        heat.set_data(FIRST, [], today=TODAY, colour="greenish")


def test_short_levels_leave_the_rest_empty(qtbot) -> None:  # type: ignore[no-untyped-def]
    heat = YearHeatMap()
    qtbot.addWidget(heat)
    heat.set_data(date(2026, 11, 1), [1.0, 0.0], today=TODAY, colour=GREEN)
    assert heat.accessibleDescription() == "2026, 1 days done, 1 missed, 0 skipped"


def test_nothing_to_show_before_the_first_day(qtbot) -> None:  # type: ignore[no-untyped-def]
    heat = YearHeatMap()
    qtbot.addWidget(heat)
    heat.set_data(TODAY + timedelta(days=1), [1.0], today=TODAY, colour=GREEN)
    assert heat.accessibleDescription() == "No days yet"
    assert heat.day_at(QPoint(40, 40)) is None
    assert heat.year_rect(TODAY.year).isNull()
    heat.grab()


def test_a_level_that_is_not_a_number_counts_as_nothing(qtbot) -> None:  # type: ignore[no-untyped-def]
    heat = YearHeatMap()
    qtbot.addWidget(heat)
    heat.set_data(date(2026, 11, 25), [float("nan"), 1.0], today=TODAY, colour=GREEN)
    assert heat.accessibleDescription() == "2026, 1 days done, 0 missed, 0 skipped"


def test_legend_paints(qtbot) -> None:  # type: ignore[no-untyped-def]
    legend = HeatLegend(GREEN)
    qtbot.addWidget(legend)
    legend.resize(legend.sizeHint())
    image = legend.grab().toImage()
    greens = sum(
        1
        for x in range(image.width())
        for y in range(image.height())
        if close(image.pixelColor(x, y), QColor(GREEN), 4)
    )
    assert greens > 20


def test_a_whole_year_fits_the_detail_pane_of_a_small_window(qtbot) -> None:  # type: ignore[no-untyped-def]
    """At 1,180 × 760 the Habits screen's detail gives the calendar ≈490 px: every week of a
    year shows without scrolling sideways, the weekday labels at its left."""
    area = QScrollArea()
    qtbot.addWidget(area)
    area.setWidgetResizable(True)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    heat = filled_map()
    area.setWidget(heat)
    area.resize(500, 400)
    show_active(qtbot, area)
    qtbot.waitUntil(lambda: heat.width() > 0)
    assert area.horizontalScrollBar().maximum() == 0
    viewport = area.viewport().width()
    december = heat.day_rect(date(2025, 12, 31))
    january = heat.day_rect(date(2025, 1, 1))
    assert december.right() <= viewport and heat.day_rect(TODAY).right() <= viewport
    # Room for "Mon" at the left of the first column.
    label = heat.fontMetrics().horizontalAdvance("Mon")
    assert january.left() - label >= 0


def test_the_year_heading_stays_in_view_when_scrolled_to_the_newest_weeks(qtbot) -> None:  # type: ignore[no-untyped-def]
    area = QScrollArea()
    qtbot.addWidget(area)
    heat = filled_map()
    area.setWidget(heat)
    area.setWidgetResizable(True)
    area.resize(300, 260)  # narrower than a year: it scrolls sideways
    area.show()
    qtbot.waitExposed(area)
    # As the Habits screen does after each update (the pane repaints the map on scrolling).
    area.horizontalScrollBar().valueChanged.connect(lambda _x: heat.update())
    bar = area.horizontalScrollBar()
    assert bar.maximum() > 0
    bar.setValue(bar.maximum())
    qtbot.wait(20)
    shown = area.viewport().grab().toImage()
    text = text_colour(heat.palette())
    # "2026" is drawn at the left edge of what is visible, not where the map begins.
    assert count_near(shown, QRect(0, 0, 70, 24), text, tolerance=40, stop_at=20) >= 20
