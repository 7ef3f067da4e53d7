"""The Insights tab of a habit's detail: overview figures, the year calendar, the strength line,
totals per week or month, the frequency by weekday and the best streaks.

Everything is worked out by the core (`HabitInsightsService.habit_detail`, in the async task);
`set_detail` only hands the prepared arrays to the widgets and formats a few labels, so showing
five years stays cheap on the UI thread. Clicking (or Enter on) a calendar day emits
`dayActivated(date)`; the screen opens the day's dialog.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from habitdesk.core.domain.habit_rules import version_for_day
from habitdesk.core.domain.history_days import DayStatus
from habitdesk.core.domain.range_summary import WeekdayCounts
from habitdesk.core.enums import HabitKind, WeekStart
from habitdesk.core.schemas.habit_insights import HabitDetailRead, PeriodSeriesRead
from habitdesk.core.schemas.stats import StreakRead
from habitdesk.ui.qtmodels.habits_model import day_text, days_text
from habitdesk.ui.theme import ACCENT
from habitdesk.ui.widgets.charts import BarChart, LineChart, Series
from habitdesk.ui.widgets.day_strip import format_value
from habitdesk.ui.widgets.heatmap import HeatLegend, YearHeatMap
from habitdesk.ui.widgets.labels import heading, muted_label

WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_LONG_WEEKDAYS = (
    "Mondays",
    "Tuesdays",
    "Wednesdays",
    "Thursdays",
    "Fridays",
    "Saturdays",
    "Sundays",
)
_DUE_COLOUR = "#9AA1AB"
# Weeks | Months as one segmented control: the chosen one in the accent colour in both themes.
_PERIOD_STYLE = f"""
QPushButton[period="true"] {{
    padding: 4px 14px; border: 1px solid palette(mid); background: palette(base);
    color: palette(text); border-radius: 0px;
}}
QPushButton[period="true"]:checked {{
    background: {ACCENT}; border-color: {ACCENT}; color: white; font-weight: 600;
}}
QPushButton[period="true"]:focus {{ border: 2px solid {ACCENT}; }}
QPushButton[period="true"]:checked:focus {{ border: 2px solid palette(text); }}
QPushButton#periodWeeks {{ border-top-left-radius: 6px; border-bottom-left-radius: 6px; }}
QPushButton#periodMonths {{ border-top-right-radius: 6px; border-bottom-right-radius: 6px; }}
"""
# More weeks than a year's and the charts start by month (a year of weeks still reads well).
_WEEKS_BY_DEFAULT = 53
_STATUS_TEXT = {
    DayStatus.DONE: "done",
    DayStatus.MISSED: "not done",
    DayStatus.SKIPPED: "skipped",
    DayStatus.NONE: "nothing recorded",
}


# --- text ------------------------------------------------------------------------------------------


def percent(score: float) -> str:
    return f"{round(score * 100)} %"


def change_text(delta: float) -> str:
    """ "+5 %", "−12 %" (a real minus sign), "±0 %"."""
    points = round(delta * 100)
    if points == 0:
        return "±0 %"
    return f"+{points} %" if points > 0 else f"−{-points} %"


def period_labels(series: PeriodSeriesRead) -> list[str]:
    """ "12 Jan 2026" for a week (its first day), "Jan 2026" for a month."""
    if series.period == "week":
        return [f"{d.day} {d:%b %Y}" for d in series.starts]
    return [f"{d:%b %Y}" for d in series.starts]


def weekday_order(week_start: WeekStart) -> list[int]:
    """Weekday indexes (0 = Monday) in the order the family's week runs."""
    first = 0 if week_start is WeekStart.MONDAY else 6
    return [(first + k) % 7 for k in range(7)]


def weekday_summary(done: Sequence[int], due: Sequence[int]) -> str:
    """ "Best on Saturdays (92 %), hardest on Mondays (61 %)." from done / due per weekday."""
    counts = WeekdayCounts(tuple(done), tuple(due))
    best, worst = counts.extremes()
    if not best:
        return "Nothing was due yet."
    rates = counts.rates()
    # A tie names its first weekday (Monday first).
    text = f"Best on {_LONG_WEEKDAYS[best[0]]} ({percent(rates[best[0]] or 0.0)})"
    if worst:
        text += f", hardest on {_LONG_WEEKDAYS[worst[0]]} ({percent(rates[worst[0]] or 0.0)})"
    return text + "."


def _count_text(value: float) -> str:
    """Counts of days; an axis over few days may tick at halves."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:.1f}"


def day_tooltip(detail: HabitDetailRead, day: date) -> str:
    """What hovering a calendar day says: the date, what was recorded, the note, the score."""
    i = detail.index(day)
    if not 0 <= i < len(detail):
        return f"{day:%a} {day_text(day)}"
    status = detail.statuses[i]
    text = f"{day:%a} {day_text(day)}: {_STATUS_TEXT[status]}"
    value = detail.values[i]
    if value is not None and status in (DayStatus.DONE, DayStatus.MISSED):
        rules = version_for_day(detail.versions, day)  # a habit may have become numeric
        if rules.kind is HabitKind.NUMERIC:
            text += f" — {format_value(value, rules.unit)}"
    text += f"\nStrength {percent(detail.scores[i])}"
    note = detail.notes[i]
    if note:
        text += f"\n“{note}”"
    return text


def _shown_target(target: float | None, by_month: bool) -> float | None:
    """A month's target is the weekly one spread over an average month (8,000 steps a day is
    243,495 a month): shown to three figures (243,000), as exact as such an average can be."""
    if target is None or not by_month or target <= 0:
        return target
    return round(target, 2 - math.floor(math.log10(target)))


# --- the figures -----------------------------------------------------------------------------------


class OverviewFigures(QWidget):
    """Score today and its change since last month and last year; done days; current and
    best streak (the streak figures come from the list's read, the scores from the detail)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(22)
        grid.setVerticalSpacing(0)
        self.values: dict[str, QLabel] = {}
        captions = (
            ("score", "Strength today"),
            ("month", "Since last month"),
            ("year", "Since last year"),
            ("done", "Days done"),
            ("current", "Current streak"),
            ("best", "Best streak"),
        )
        for k, (key, caption) in enumerate(captions):
            value = QLabel("—")
            value.setStyleSheet("font-size: 13pt; font-weight: 600;")
            value.setAccessibleName(caption)
            row, column = divmod(k, 3)
            grid.addWidget(value, row * 3, column)
            caption_label = muted_label(caption)
            caption_label.setWordWrap(False)
            grid.addWidget(caption_label, row * 3 + 1, column)
            self.values[key] = value
        grid.setRowMinimumHeight(2, 10)  # between the strength figures and the day counts
        grid.setColumnStretch(3, 1)
        self.score, self.month, self.year = (
            self.values["score"],
            self.values["month"],
            self.values["year"],
        )
        self.done, self.current, self.best = (
            self.values["done"],
            self.values["current"],
            self.values["best"],
        )
        self.score.setToolTip(
            "Habit strength, as Loop Habit Tracker computes it: it grows with each day done "
            "and fades slowly when days are missed"
        )
        self.month.setToolTip("Strength today minus strength 30 days ago")
        self.year.setToolTip("Strength today minus strength 365 days ago")

    def clear_scores(self) -> None:
        for label in (self.score, self.month, self.year):
            label.setText("—")

    def set_detail(self, detail: HabitDetailRead) -> None:
        self.score.setText(percent(detail.score))
        self.month.setText(change_text(detail.score_since_month))
        self.year.setText(change_text(detail.score_since_year))


# --- the best streaks ------------------------------------------------------------------------------


class BestStreaks(QWidget):
    """The longest runs, longest first: a bar in the habit's colour, the length and the dates."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Best streaks")
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(6)
        self.rows: list[tuple[QFrame, QLabel, QLabel]] = []
        self.empty = muted_label("No streak yet — a streak starts with the first day done.")
        self.grid.addWidget(self.empty, 0, 0, 1, 3)

    def set_streaks(self, streaks: Sequence[StreakRead], colour: str) -> None:
        while len(self.rows) < len(streaks):
            bar = QFrame()
            bar.setFixedHeight(10)
            length = QLabel()
            length.setStyleSheet("font-weight: 600;")
            dates = muted_label()
            dates.setWordWrap(False)
            row = len(self.rows) + 1
            self.grid.addWidget(bar, row, 0, Qt.AlignmentFlag.AlignLeft)
            self.grid.addWidget(length, row, 1)
            self.grid.addWidget(dates, row, 2)
            self.rows.append((bar, length, dates))
        longest = max((s.length for s in streaks), default=1)
        for k, (bar, length, dates) in enumerate(self.rows):
            shown = k < len(streaks)
            for widget in (bar, length, dates):
                widget.setVisible(shown)
            if not shown:
                continue
            streak = streaks[k]
            bar.setFixedWidth(max(6, round(140 * streak.length / longest)))
            bar.setStyleSheet(f"background: {colour}; border-radius: 4px;")
            length.setText(days_text(streak.length))
            dates.setText(f"{day_text(streak.start)} – {day_text(streak.end)}")
            length.setAccessibleName(f"Streak {k + 1}")
            length.setAccessibleDescription(dates.text())
        self.grid.setColumnStretch(2, 1)
        self.empty.setVisible(not streaks)


# --- the pane --------------------------------------------------------------------------------------


class HabitInsightsPane(QScrollArea):
    dayActivated = Signal(object)  # datetime.date

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("habitInsights")
        self.setAccessibleName("Habit insights")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.detail: HabitDetailRead | None = None
        self.by_month = False
        self._chosen_period = False  # the person picked weeks or months: keep it

        content = QWidget()
        content.setObjectName("habitInsightsContent")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 6, 2, 8)
        layout.setSpacing(8)

        self.figures = OverviewFigures()
        layout.addWidget(self.figures)
        self.best_dates = muted_label()
        self.best_dates.setAccessibleName("Best streak dates")
        layout.addWidget(self.best_dates)
        self.status = QLabel()
        self.status.setProperty("fieldError", True)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Insights error")
        self.status.hide()
        layout.addWidget(self.status)

        calendar_head = QHBoxLayout()
        calendar_head.addWidget(heading("Calendar", 11.5))
        calendar_head.addStretch(1)
        self.legend = HeatLegend()
        calendar_head.addWidget(self.legend)
        layout.addSpacing(4)
        layout.addLayout(calendar_head)
        self.heat_map = YearHeatMap()
        self.heat_map.setAccessibleName("Calendar of every day")
        self.heat_map.dayActivated.connect(self.dayActivated.emit)
        self.calendar = QScrollArea()
        self.calendar.setObjectName("habitCalendar")
        self.calendar.setAccessibleName("Calendar, newest year first")
        self.calendar.setWidgetResizable(True)
        self.calendar.setFrameShape(QFrame.Shape.NoFrame)
        # Narrower than a year's 54 weeks at the smallest cells: scroll sideways, never clip.
        self.calendar.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.calendar.setWidget(self.heat_map)
        # Whole repaints when scrolled sideways: the year headings stay pinned to the left edge.
        self.calendar.horizontalScrollBar().valueChanged.connect(lambda _x: self.heat_map.update())
        self.calendar.setMinimumHeight(190)
        self.calendar.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        layout.addWidget(self.calendar)
        self.calendar_hint = muted_label("Click a day, or press Enter on it, to change it.")
        self.calendar_hint.setAccessibleName("How to change a day")
        layout.addWidget(self.calendar_hint)

        period_row = QHBoxLayout()
        period_row.setSpacing(0)
        self.periods = QButtonGroup(self)
        self.periods.setExclusive(True)
        self.week_button = QPushButton("Weeks")
        self.month_button = QPushButton("Months")
        for button, name in ((self.week_button, "By week"), (self.month_button, "By month")):
            button.setCheckable(True)
            button.setProperty("period", True)
            button.setObjectName("periodWeeks" if button is self.week_button else "periodMonths")
            button.setStyleSheet(_PERIOD_STYLE)
            # Room for the label in bold (the chosen one is), so choosing does not clip it.
            bold = QFont(button.font())
            bold.setBold(True)
            button.setMinimumWidth(QFontMetrics(bold).horizontalAdvance(button.text()) + 34)
            button.setAccessibleName(name)
            button.setToolTip(f"Charts {name.lower()}")
            self.periods.addButton(button)
            period_row.addWidget(button)
        self.week_button.setChecked(True)
        self.periods.buttonClicked.connect(self._period_clicked)
        period_row.addStretch(1)
        layout.addSpacing(6)
        strength_head = QHBoxLayout()
        strength_head.addWidget(heading("Strength", 11.5))
        strength_head.addStretch(1)
        strength_head.addLayout(period_row)
        layout.addLayout(strength_head)
        self.score_chart = LineChart()
        self.score_chart.setAccessibleName("Strength over time")
        self.score_chart.setMinimumHeight(170)
        layout.addWidget(self.score_chart)

        self.totals_title = heading("Days done", 11.5)
        layout.addSpacing(6)
        layout.addWidget(self.totals_title)
        self.totals_chart = BarChart()
        self.totals_chart.setAccessibleName("Totals over time")
        self.totals_chart.setMinimumHeight(170)
        layout.addWidget(self.totals_chart)

        layout.addSpacing(6)
        layout.addWidget(heading("Days done and due, by weekday", 11.5))
        self.weekday_chart = BarChart()
        self.weekday_chart.setAccessibleName("Days done by weekday")
        self.weekday_chart.setMinimumHeight(160)
        layout.addWidget(self.weekday_chart)
        self.weekday_text = muted_label()
        self.weekday_text.setAccessibleName("Best and hardest weekday")
        layout.addWidget(self.weekday_text)

        layout.addSpacing(6)
        layout.addWidget(heading("Best streaks", 11.5))
        self.best_streaks = BestStreaks()
        layout.addWidget(self.best_streaks)
        layout.addStretch(1)
        self.setWidget(content)

    # --- showing ---------------------------------------------------------------------------------

    def set_editable(self, editable: bool) -> None:
        """Whether the person acting may change this habit's days (the hint says how, or who)."""
        self.calendar_hint.setText(
            "Click a day, or press Enter on it, to change it."
            if editable
            else "Click a day to see it; only a parent, or the child whose habit it is, changes it."
        )

    def show_loading(self) -> None:
        """Another habit was picked: its figures are on their way."""
        self.figures.clear_scores()

    def show_error(self, message: str) -> None:
        self.status.setText(message)
        self.status.show()

    def set_detail(self, detail: HabitDetailRead) -> None:
        same_habit = self.detail is not None and self.detail.habit_id == detail.habit_id
        self.detail = detail
        self.status.hide()
        self.figures.set_detail(detail)
        self.legend.set_colour(detail.colour)
        week_start = weekday_order(detail.week_start)[0]
        selected = self.heat_map.selected_day() if same_habit else None
        self.heat_map.set_data(
            detail.first_day,
            detail.progress,
            today=detail.today,
            colour=detail.colour,
            week_start=week_start,
            skipped=[s is DayStatus.SKIPPED for s in detail.statuses],
            tooltip=lambda day: day_tooltip(detail, day),
        )
        if selected is not None:
            self.heat_map.select_day(selected)
        elif not same_habit:
            # Another habit: this year on top and, when the pane is too narrow for a whole
            # year, its latest weeks in view (once the scroll area has taken the new size).
            self.calendar.verticalScrollBar().setValue(0)
            QTimer.singleShot(0, self, self._show_latest_weeks)  # dropped if the pane is gone
        if not same_habit and not self._chosen_period:
            self.by_month = len(detail.weeks) > _WEEKS_BY_DEFAULT
            (self.month_button if self.by_month else self.week_button).setChecked(True)
        self._fill_period_charts()
        self._fill_weekdays(detail)
        self.best_streaks.set_streaks(detail.best_streaks, detail.colour)

    def _show_latest_weeks(self) -> None:
        bar = self.calendar.horizontalScrollBar()
        bar.setValue(bar.maximum())

    def _period_clicked(self) -> None:
        self._chosen_period = True
        self.by_month = self.month_button.isChecked()
        self._fill_period_charts()

    def _fill_period_charts(self) -> None:
        detail = self.detail
        if detail is None:
            return
        series = detail.months if self.by_month else detail.weeks
        labels = period_labels(series)
        per = "month" if self.by_month else "week"
        self.score_chart.set_data(
            labels,
            [Series("Strength", [s * 100 for s in series.scores], detail.colour)],
            y_min=0.0,
            y_max=100.0,
            value_text=lambda v: f"{v:.0f} %",
        )
        if detail.numeric:
            unit = detail.unit
            self.totals_title.setText(f"Total per {per} ({unit})" if unit else f"Total per {per}")
            if not any(series.amounts):
                self.totals_chart.show_message("Nothing recorded yet")
                return
            self.totals_chart.set_data(
                labels,
                [Series(unit or "Amount", list(series.amounts), detail.colour)],
                target=_shown_target(series.target, self.by_month),
                value_text=lambda v: format_value(v, unit),
            )
        else:
            self.totals_title.setText(f"Days done per {per}")
            if not any(series.done):
                self.totals_chart.show_message("No day done yet")
                return
            self.totals_chart.set_data(
                labels,
                [Series("Days done", [float(d) for d in series.done], detail.colour)],
                value_text=_count_text,
            )

    def _fill_weekdays(self, detail: HabitDetailRead) -> None:
        self.weekday_text.setText(weekday_summary(detail.weekday_done, detail.weekday_due))
        self.weekday_text.setVisible(any(detail.weekday_due))
        if not any(detail.weekday_due):
            self.weekday_chart.show_message("Nothing was due yet")
            return
        order = weekday_order(detail.week_start)
        self.weekday_chart.set_data(
            [WEEKDAY_NAMES[k] for k in order],
            [
                Series("Done", [float(detail.weekday_done[k]) for k in order], detail.colour),
                Series("Due", [float(detail.weekday_due[k]) for k in order], _DUE_COLOUR),
            ],
            value_text=_count_text,
        )


__all__ = [
    "BestStreaks",
    "HabitInsightsPane",
    "OverviewFigures",
    "change_text",
    "day_tooltip",
    "percent",
    "period_labels",
    "weekday_order",
    "weekday_summary",
]
