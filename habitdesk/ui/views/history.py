"""The History screen: for a range of days and the members shown (the top bar's filter), how the
habits and routines went.

- Overview: the completion in figures; a trend line (the family and each member, in their
  colours; weekly up to half a year, monthly beyond); a "by weekday" bar chart with the best and
  hardest weekday in words; and, for the whole family, the members side by side.
- Habits and routines: one sortable row per habit and routine with its due, done, partial,
  missed and skipped days and its completion, and a total row.

Everything comes judged from one core call, `StatsService.history` (six statements whatever the
history's length; its judging runs off the event loop), so `apply` only fills widgets:
"All" on the five-year demo family shows in about the time of that call.
"""

from __future__ import annotations

from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from PySide6.QtCore import QDate, QSize, Qt, QTimer
from PySide6.QtGui import QKeySequence, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from habitdesk.core.changes import Kind
from habitdesk.core.domain.completion import Period
from habitdesk.core.schemas.people import MemberRead
from habitdesk.core.schemas.stats import CountsRead, HistoryMemberRead, HistoryRead
from habitdesk.ui.context import AppContext
from habitdesk.ui.qtmodels.history_model import (
    Column,
    HistoryRow,
    HistoryTableModel,
)
from habitdesk.ui.theme import ACCENT
from habitdesk.ui.views.base import View
from habitdesk.ui.widgets.charts import BarChart, LineChart, Series
from habitdesk.ui.widgets.flow_layout import FlowLayout
from habitdesk.ui.widgets.habit_insights_pane import weekday_order
from habitdesk.ui.widgets.labels import heading
from habitdesk.ui.widgets.member_compare import (
    WEEKDAY_NAMES,
    MemberComparison,
    percent,
    weekday_words,
)

# (key, button text, tooltip); the number keys are days counted back from today, inclusive.
PRESETS = (
    ("7", "Last &7 days", "The last 7 days, today included (Alt+7)"),
    ("30", "Last &30 days", "The last 30 days, today included (Alt+3)"),
    ("90", "Last &90 days", "The last 90 days, today included (Alt+9)"),
    ("year", "This &year", "From 1 January to today (Alt+Y)"),
    ("all", "&All", "Everything recorded (Alt+A)"),
)
CUSTOM = "custom"
# The earliest day the date fields accept.
_EARLIEST = date(1900, 1, 1)
_EDIT_DELAY_MS = 450


@dataclass(frozen=True)
class HistoryQuery:
    generation: int
    preset: str
    start: date
    end: date
    today: date
    members: tuple[MemberRead, ...]
    member_filter: UUID | None


@dataclass(frozen=True)
class HistoryData:
    query: HistoryQuery
    read: HistoryRead

    # The range shown ("All" starts at the first day with anything in it).
    @property
    def start(self) -> date:
        return self.read.start

    @property
    def end(self) -> date:
        return self.read.end


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _day_text(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def range_text(start: date, end: date) -> str:
    days = (end - start).days + 1
    if start.year == end.year:
        first = f"{start.day} {start:%b}" if start.month != end.month else f"{start.day}"
        span = _day_text(end) if start == end else f"{first} – {_day_text(end)}"
    else:
        span = f"{_day_text(start)} – {_day_text(end)}"
    return f"{span}  ·  {days} day" + ("" if days == 1 else "s")


def rates_of(counts: CountsRead) -> list[float | None]:
    return list(counts.rates())


def period_labels(read: HistoryRead) -> list[str]:
    """Short x labels: a week by its first day ("12 Jan"), a month by name ("Jan 2026")."""
    periods = read.trend_periods
    if periods.period is Period.WEEK:
        return [f"{d.day} {d:%b}" for d in periods.starts]
    return [f"{d:%b %Y}" for d in periods.starts]


def _streak_words(member: HistoryMemberRead) -> list[str]:
    """A member's streak highlights as of the range's end, for the figures line."""
    words = []
    if member.best_streak is not None:
        best = member.best_streak
        words.append(f"best streak in this range: {best.length} days ({best.habit_name})")
    if member.current_streak is not None:
        now = member.current_streak
        words.append(f"still running: {now.length} days ({now.habit_name})")
    return words


def _card(spacing: int = 8) -> tuple[QFrame, QVBoxLayout]:
    card = QFrame()
    card.setProperty("card", True)
    layout = QVBoxLayout(card)
    layout.setContentsMargins(18, 14, 18, 16)
    layout.setSpacing(spacing)
    return card, layout


class HistoryView(View):
    screen_id = "history"
    title = "History"
    watches = frozenset(
        {Kind.HABITS, Kind.ENTRIES, Kind.ROUTINES, Kind.RUNS, Kind.MEMBERS, Kind.FAMILIES}
    )
    no_family_hint = "create one with the set-up wizard, and its history shows here."

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.preset = "30"
        self._generation = 0
        self._setting_dates = False
        self.shown: HistoryData | None = None

        root = QVBoxLayout(self)
        root.setContentsMargins(28, 20, 28, 20)
        root.setSpacing(12)
        title = QLabel(self.title)
        title.setObjectName("screenTitle")
        root.addWidget(title)
        subtitle = QLabel(
            "How the habits and routines went over a range of days: completion, trends, the "
            "best and hardest weekdays, and everyone side by side."
        )
        subtitle.setProperty("muted", True)
        subtitle.setWordWrap(True)
        root.addWidget(subtitle)
        root.addWidget(self._build_range_bar())

        self.range_error = QLabel()
        self.range_error.setProperty("fieldError", True)
        self.range_error.setAccessibleName("Range error")
        self.range_error.hide()
        root.addWidget(self.range_error)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("historyTabs")
        self.tabs.setAccessibleName("History views")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._build_overview(), "&Overview")
        self.tabs.addTab(self._build_table(), "&Habits and routines")
        self.pages = QStackedWidget()
        self.pages.addWidget(self.tabs)
        self.empty = QLabel()
        self.empty.setObjectName("historyEmpty")
        self.empty.setAccessibleName("No history")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setProperty("muted", True)
        self.pages.addWidget(self.empty)
        root.addWidget(self.pages, 1)

        self._edit_timer = QTimer(self)
        self._edit_timer.setSingleShot(True)
        self._edit_timer.setInterval(_EDIT_DELAY_MS)
        self._edit_timer.timeout.connect(self._dates_settled)
        self._set_preset_dates("30")
        self.show_empty()

    def _build_overview(self) -> QWidget:
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 10, 4, 4)
        layout.setSpacing(12)

        card, inner = _card(4)
        top = QHBoxLayout()
        top.setSpacing(16)
        self.summary = QLabel()
        self.summary.setObjectName("historySummary")
        self.summary.setAccessibleName("History summary")
        self.summary.setWordWrap(True)  # narrow: it wraps rather than scroll sideways
        self.summary.setStyleSheet("font-size: 13pt; font-weight: 600;")
        top.addWidget(self.summary, 1)
        self.detail = QLabel()
        self.detail.setProperty("muted", True)
        self.detail.setAccessibleName("History range")
        top.addWidget(self.detail, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        inner.addLayout(top)
        self.figures = QLabel()
        self.figures.setObjectName("historyFigures")
        self.figures.setAccessibleName("Days by outcome")
        self.figures.setWordWrap(True)  # narrow: it wraps rather than scroll sideways
        inner.addWidget(self.figures)
        layout.addWidget(card)

        charts = QHBoxLayout()
        charts.setSpacing(12)
        card, inner = _card()
        self.trend_title = heading("Trend", 11)
        inner.addWidget(self.trend_title)
        self.trend_chart = LineChart()
        self.trend_chart.setObjectName("historyTrend")
        self.trend_chart.setAccessibleName("Completion trend")
        self.trend_chart.setMinimumHeight(150)
        self.trend_chart.setToolTip("Click a week or month (or press Enter on it) to look at it")
        self.trend_chart.pointActivated.connect(self.show_period)
        inner.addWidget(self.trend_chart, 1)
        charts.addWidget(card, 5)
        card, inner = _card()
        inner.addWidget(heading("By weekday", 11))
        self.weekday_chart = BarChart()
        self.weekday_chart.setObjectName("historyWeekdays")
        self.weekday_chart.setAccessibleName("Completion by weekday")
        self.weekday_chart.setMinimumHeight(130)
        inner.addWidget(self.weekday_chart, 1)
        self.weekday_words = QLabel()
        self.weekday_words.setObjectName("historyWeekdayWords")
        self.weekday_words.setAccessibleName("Best and hardest weekdays")
        self.weekday_words.setWordWrap(True)  # narrow: it wraps rather than scroll sideways
        inner.addWidget(self.weekday_words)
        charts.addWidget(card, 3)
        layout.addLayout(charts, 1)

        self.members_title = heading("Side by side", 11)
        layout.addWidget(self.members_title)
        self.comparison = MemberComparison()
        layout.addWidget(self.comparison)

        scroll = QScrollArea()
        scroll.setObjectName("historyOverview")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(content)
        return scroll

    def _build_table(self) -> QWidget:
        page = QWidget()
        outer = QVBoxLayout(page)
        outer.setContentsMargins(0, 10, 0, 0)
        card, card_layout = _card()
        self.model = HistoryTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("historyTable")
        self.table.setAccessibleName("History by habit and routine")
        self.table.setAccessibleDescription(
            "Click a column header, or press Ctrl+Shift+S on a cell, to sort by that column."
        )
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setFrameShape(QFrame.Shape.NoFrame)
        self.table.setIconSize(QSize(22, 22))
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(36)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setSectionResizeMode(Column.ITEM, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.MEMBER, QHeaderView.ResizeMode.Interactive)
        for column in Column:
            if column >= Column.DUE:
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
                self.table.setColumnWidth(column, 92 if column == Column.COMPLETION else 76)
        self.table.setColumnWidth(Column.MEMBER, 190)
        self.table.setSortingEnabled(True)
        sort = QShortcut(QKeySequence("Ctrl+Shift+S"), self.table)
        sort.setContext(Qt.ShortcutContext.WidgetShortcut)
        sort.activated.connect(self.sort_by_current_column)
        card_layout.addWidget(self.table, 1)
        outer.addWidget(card, 1)
        return page

    # --- building -----------------------------------------------------------------------------

    def _build_range_bar(self) -> QWidget:
        """The presets, then the dates and the report: one line, or two in a narrow window."""
        range_bar = QWidget()
        wrapping = FlowLayout(range_bar, spacing=8)
        presets, dates = QWidget(), QWidget()
        wrapping.addWidget(presets)
        wrapping.addWidget(dates)
        bar = QHBoxLayout(presets)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(6)
        self.preset_group = QButtonGroup(self)
        self.preset_buttons: dict[str, QPushButton] = {}
        for key, text, tip in PRESETS:
            button = QPushButton(text)
            button.setCheckable(True)
            button.setToolTip(tip)
            button.setAccessibleName(text.replace("&", ""))
            button.setObjectName("rangePreset")
            button.setProperty("preset", key)
            self.preset_group.addButton(button)
            self.preset_buttons[key] = button
            button.clicked.connect(lambda _checked=False, k=key: self.choose_preset(k))
            bar.addWidget(button)
        self.preset_buttons["30"].setChecked(True)
        # A segmented look: the chosen range stands out in the accent colour in both themes.
        self.setStyleSheet(
            f"""
            QPushButton#rangePreset {{
                padding: 5px 12px; border: 1px solid palette(mid); border-radius: 6px;
                background: palette(button); color: palette(button-text);
            }}
            QPushButton#rangePreset:hover {{ border-color: {ACCENT}; }}
            QPushButton#rangePreset:focus {{ border: 1px dashed {ACCENT}; }}
            QPushButton#rangePreset:checked:focus {{ border: 1px dashed white; }}
            QPushButton#rangePreset:checked {{
                background: {ACCENT}; color: white; border-color: {ACCENT};
            }}
            QFrame#memberCard:focus {{ border: 2px solid {ACCENT}; }}
            """
        )

        bar = QHBoxLayout(dates)
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(6)
        self.from_edit = self._date_edit("From")
        self.to_edit = self._date_edit("To")
        for text, edit in (("&From", self.from_edit), ("&To", self.to_edit)):
            label = QLabel(text)
            label.setBuddy(edit)
            # The underlined mnemonic letter is drawn apart from the rest, without kerning, so
            # "To" comes out wider than its measured width: leave it room.
            plain = text.replace("&", "")
            label.setMinimumWidth(int(label.fontMetrics().horizontalAdvance(plain) * 1.3) + 4)
            bar.addSpacing(10)
            bar.addWidget(label)
            bar.addSpacing(2)
            bar.addWidget(edit)
        bar.addSpacing(18)
        self.report_button = QPushButton("&Weekly report…")
        self.report_button.setAccessibleName("Weekly report")
        self.report_button.setToolTip(
            "A printable page with every member's week: the week of the range's last day (Alt+W)"
        )
        self.report_button.clicked.connect(self.open_weekly_report)
        bar.addWidget(self.report_button)
        return range_bar

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setAccessibleName(f"{name} date")
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("d MMM yyyy")
        edit.setMinimumDate(_qdate(_EARLIEST))
        edit.setMinimumWidth(128)
        edit.setToolTip(f"{name} this day (inclusive); type or pick from the calendar")
        edit.dateChanged.connect(self._date_edited)
        edit.editingFinished.connect(self._dates_finished)
        return edit

    # --- the range ----------------------------------------------------------------------------

    def preset_range(self, key: str) -> tuple[date, date]:
        today = self.context.today
        if key == "year":
            return date(today.year, 1, 1), today
        if key == "all":
            start = self.shown.start if self.shown and self.shown.query.preset == "all" else today
            return start, today
        return today - timedelta(days=int(key) - 1), today

    def current_range(self) -> tuple[date, date]:
        start, end = self.from_edit.date().toPython(), self.to_edit.date().toPython()
        assert isinstance(start, date) and isinstance(end, date)
        return start, end

    def choose_preset(self, key: str) -> Any:
        """Show a preset range (the buttons, Alt+7 / 3 / 9 / Y / A)."""
        self.preset = key
        self.preset_buttons[key].setChecked(True)
        self._set_preset_dates(key)
        return self._range_changed()

    def _set_preset_dates(self, key: str) -> None:
        start, end = self.preset_range(key)
        self._set_dates(start, end)

    def _set_dates(self, start: date, end: date) -> None:
        self._setting_dates = True
        try:
            today = _qdate(self.context.today)
            for edit in (self.from_edit, self.to_edit):
                edit.setMaximumDate(today)
            self.from_edit.setDate(_qdate(start))
            self.to_edit.setDate(_qdate(end))
        finally:
            self._setting_dates = False

    def _date_edited(self) -> None:
        if self._setting_dates:
            return
        self._to_custom()
        self._edit_timer.start()

    def _to_custom(self) -> None:
        if self.preset != CUSTOM:
            self.preset = CUSTOM
            # An exclusive group keeps one button checked; lift that to show "no preset".
            self.preset_group.setExclusive(False)
            for button in self.preset_buttons.values():
                button.setChecked(False)
            self.preset_group.setExclusive(True)

    def _dates_finished(self) -> None:
        if self._edit_timer.isActive():
            self._edit_timer.stop()
            self._dates_settled()

    def _dates_settled(self) -> None:
        self._range_changed()

    def _range_changed(self) -> Any:
        if self.isVisible():
            return self.refresh()
        self.stale = True
        return None

    def _range_problem(self) -> str | None:
        start, end = self.current_range()
        if start > end:
            return (
                f"The start ({_day_text(start)}) is after the end ({_day_text(end)}); "
                "pick an earlier start or a later end."
            )
        return None

    # --- loading ------------------------------------------------------------------------------

    def refresh(self) -> Any:
        problem = self._range_problem()
        self.range_error.setText(problem or "")
        self.range_error.setVisible(bool(problem))
        if problem:
            self.stale = False
            return None
        if self.preset not in (CUSTOM, "all"):
            # "Last 7 days" follows the calendar: after midnight it is a different week.
            self._set_preset_dates(self.preset)
        self._generation += 1
        return super().refresh()

    def load(self) -> Coroutine[Any, Any, HistoryData]:
        # What to show is taken now, not when the task starts: a later click wins.
        start, end = self.current_range()
        query = HistoryQuery(
            generation=self._generation,
            preset=self.preset,
            start=start,
            end=end,
            today=self.context.today,
            members=tuple(self.context.visible_members()),
            member_filter=self.context.member_filter,
        )
        return self._load(query)

    async def _load(self, query: HistoryQuery) -> HistoryData:
        core, family = self.context.core, self.context.family
        assert core is not None and family is not None
        read = await core.stats.history(
            self.context.actor,
            family.id,
            # "All" starts at the first day anything existed or was recorded.
            None if query.preset == "all" else query.start,
            query.end,
            user_id=query.member_filter,
        )
        return HistoryData(query=query, read=read)

    # --- showing ------------------------------------------------------------------------------

    def apply(self, data: HistoryData) -> None:
        if data.query.generation != self._generation:
            return  # a newer range or filter was asked for meanwhile
        self.shown = data
        read = data.read
        if data.query.preset == "all":
            self._set_dates(read.start, read.end)
        members = {m.user_id: m for m in data.query.members}
        rows = [
            HistoryRow(
                member=members[item.user_id],
                kind=item.kind,
                item_id=item.item_id,
                name=item.name,
                colour=item.colour or members[item.user_id].colour,
                archived=item.archived,
                schedule=item.schedule,
                counts=item.counts,
            )
            for item in read.items
            if item.user_id in members
        ]
        self.model.set_rows(rows, read.family.counts)
        self.detail.setText(range_text(read.start, read.end))
        who = self._who(data.query)
        if not rows:
            self.pages.setCurrentIndex(1)
            self.summary.setText(who)
            if data.query.member_filter is not None and data.query.members:
                name = data.query.members[0].full_name
                self.empty.setText(
                    f"{name} has no habits or routines yet — add them on the Habits and "
                    "Routines screens, and their history shows here."
                )
            else:
                self.empty.setText(
                    "No habits or routines yet — add the first ones on the Habits and Routines "
                    "screens, and their history shows here."
                )
            return
        self.pages.setCurrentIndex(0)
        counts = read.family.counts
        if counts.due:
            self.summary.setText(
                f"{who}: {percent(counts.rate)} of the days that counted were done "
                f"({counts.done:,} of {counts.due:,})"
            )
        else:
            self.summary.setText(f"{who}: nothing was due in this range yet")
        parts = [f"{counts.done:,} done"]
        if counts.partial:
            parts.append(f"{counts.partial:,} partial")
        parts += [f"{counts.missed:,} missed", f"{counts.skipped:,} skipped"]
        if data.query.member_filter is not None and read.members:
            parts += _streak_words(read.members[0])
        self.figures.setText("  ·  ".join(parts))
        self._show_trend(read, members)
        colour = members[read.members[0].user_id].colour if len(read.members) == 1 else ACCENT
        self._show_weekdays(read, colour)
        self._show_members(read, members, data.query.member_filter is None)

    def _show_trend(self, read: HistoryRead, members: dict[UUID, MemberRead]) -> None:
        by_week = read.trend_periods.period is Period.WEEK
        self.trend_title.setText("Trend by week" if by_week else "Trend by month")
        if not any(read.family.trend.due):
            self.trend_chart.show_message("Nothing was due in this range yet")
            return
        series: list[Series] = []
        shown = [m for m in read.members if m.user_id in members]
        if len(shown) > 1:
            # The theme's text colour: the family's line stands apart from any member's colour.
            everyone = self.palette().color(QPalette.ColorRole.Text).name()
            series.append(Series("Everyone", rates_of(read.family.trend), everyone))
        for m in shown:
            if any(m.totals.trend.due):
                member = members[m.user_id]
                # First names: a family's members mostly share the last one.
                name = member.full_name.split()[0] if member.full_name.strip() else "?"
                series.append(Series(name, rates_of(m.totals.trend), member.colour))
        self.trend_chart.set_data(
            period_labels(read), series, y_min=0.0, y_max=1.0, value_text=percent
        )

    def _show_weekdays(self, read: HistoryRead, colour: str) -> None:
        weekdays = read.family.weekdays
        if not any(weekdays.due):
            self.weekday_chart.show_message("Nothing was due in this range yet")
            self.weekday_words.setText("")
            return
        order = weekday_order(read.week_start)
        rates = weekdays.rates()
        self.weekday_chart.set_data(
            [WEEKDAY_NAMES[d][:3] for d in order],
            [Series("Done", [rates[d] for d in order], colour)],
            y_max=1.0,
            value_text=percent,
        )
        words = [f"Best: {weekday_words(weekdays.best, rates)}"]
        if weekdays.worst:
            words.append(f"Hardest: {weekday_words(weekdays.worst, rates)}")
        else:
            words.append("Every weekday went alike.")
        self.weekday_words.setText("  ·  ".join(words))

    def _show_members(
        self, read: HistoryRead, members: dict[UUID, MemberRead], whole_family: bool
    ) -> None:
        shown = [
            (members[m.user_id], m, rates_of(m.totals.trend))
            for m in read.members
            if m.user_id in members
        ]
        side_by_side = whole_family and len(shown) > 1
        self.members_title.setVisible(side_by_side)
        self.comparison.setVisible(side_by_side)
        if side_by_side:
            self.comparison.show_members(shown)

    def show_period(self, index: int) -> Any:
        """Narrow the range to one week or month of the trend (a click or Enter on its point)."""
        if self.shown is None:
            return None
        periods = self.shown.read.trend_periods
        if not 0 <= index < len(periods):
            return None
        start = max(periods.starts[index], self.shown.read.start)
        end = min(periods.ends[index], self.shown.read.end)
        self._to_custom()
        self._set_dates(start, end)
        return self._range_changed()

    def open_weekly_report(self) -> None:
        """The weekly report dialog, on the ISO week of the range's last day."""
        # Imported on first use: printing and PDF support are not needed to show the screen.
        from habitdesk.ui.dialogs.report_dialog import WeeklyReportDialog

        year, week, _ = self.current_range()[1].isocalendar()
        self.report_dialog = WeeklyReportDialog(self.context, parent=self, week=(year, week))
        self.report_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.report_dialog.open()

    def show_empty(self) -> None:
        self.shown = None
        self.model.set_rows([])
        self.pages.setCurrentIndex(1)
        self.summary.setText("History")
        self.detail.setText("")
        self.empty.setText(self.absence().text)

    def show_error(self, message: str) -> None:
        self.range_error.setText(message)
        self.range_error.show()
        super().show_error(message)

    def _who(self, query: HistoryQuery) -> str:
        if query.member_filter is not None and query.members:
            member = query.members[0]
            emoji = f"{member.avatar_emoji} " if member.avatar_emoji else ""
            return f"{emoji}{member.full_name}"
        return "Everyone"

    # --- keyboard -----------------------------------------------------------------------------

    def sort_by_current_column(self) -> None:
        column = self.table.currentIndex().column()
        if column < 0:
            return
        header = self.table.horizontalHeader()
        ascending = Qt.SortOrder.AscendingOrder
        order = (
            Qt.SortOrder.DescendingOrder
            if header.sortIndicatorSection() == column and header.sortIndicatorOrder() == ascending
            else ascending
        )
        self.table.sortByColumn(column, order)
