"""The History screen (plain first form): for a range of days, how each habit and routine of the
members shown went — days due, done, partial, missed and skipped, and the completion rate —
with a total row. Charts and calendars come with a later issue.

What it reads, in one task, four statements whatever the family and the range:
- `HabitService.family_days` (2): every habit of the members shown with every version of its
  rules, and the days recorded in the range by status;
- `RoutineService.family_runs` (2): every routine with its versions' weekdays, and the run days
  in the range by status.
The days come as sorted day lists, so the counting (history_model) bisects and counts weekdays
instead of walking entries one by one: "All" on the five-year demo family (65,000 entries,
17,000 runs) loads in ≈75 ms.
"""

from __future__ import annotations

from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from PySide6.QtCore import QDate, QSize, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDateEdit,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from habitdesk.core.changes import Kind
from habitdesk.core.domain.routine_diff import describe_weekdays
from habitdesk.core.domain.weekdays import mask_from_names
from habitdesk.core.enums import Direction, HabitKind, RunStatus
from habitdesk.core.schemas.habits import HabitRead, HabitStatusDaysRead
from habitdesk.core.schemas.people import MemberRead
from habitdesk.core.schemas.routines import RoutineRunsRead
from habitdesk.ui.context import AppContext
from habitdesk.ui.qtmodels.history_model import (
    Column,
    HabitDays,
    HistoryRow,
    HistoryTableModel,
    RulesFrom,
    RunDays,
    ScheduleFrom,
    completion_text,
    habit_counts,
    routine_counts,
)
from habitdesk.ui.theme import ACCENT
from habitdesk.ui.views.base import View

# (key, button text, tooltip); the number keys are days counted back from today, inclusive.
PRESETS = (
    ("7", "Last &7 days", "The last 7 days, today included (Alt+7)"),
    ("30", "Last &30 days", "The last 30 days, today included (Alt+3)"),
    ("90", "Last &90 days", "The last 90 days, today included (Alt+9)"),
    ("year", "This &year", "From 1 January to today (Alt+Y)"),
    ("all", "&All", "Everything recorded (Alt+A)"),
)
CUSTOM = "custom"
# "All" asks the services for everything since this day; the range shown starts at the first day
# anything existed or was recorded.
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
    rows: list[HistoryRow]
    # The range actually shown ("All" starts at the first day with anything in it).
    start: date
    end: date


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


def _number(value: float) -> str:
    return f"{value:g}" if value < 1e6 else f"{value:,.0f}"


def habit_schedule(habit: HabitRead) -> str:
    if habit.weekdays is not None:
        when = describe_weekdays(mask_from_names(habit.weekdays))
    elif habit.freq_den == 1:
        when = "every day"
    else:
        when = f"{habit.freq_num} times in {habit.freq_den} days"
    if habit.kind is HabitKind.NUMERIC and habit.target_value is not None:
        bound = "at most" if habit.direction is Direction.AT_MOST else "at least"
        return f"{bound} {_number(habit.target_value)} {habit.unit or ''}".rstrip() + f", {when}"
    return when


def _run_days(routine: RoutineRunsRead) -> RunDays:
    """A routine's runs as one day list per status: usually its member's alone. A routine handed
    over keeps the runs its earlier member made; on a day both made one, its member's counts."""
    if not routine.runs:
        return RunDays()
    if len(routine.runs) == 1:
        only = routine.runs[0]
        return RunDays(only.completed, only.partial, only.skipped, only.in_progress)
    by_day: dict[date, RunStatus] = {}
    for member in sorted(routine.runs, key=lambda m: m.user_id == routine.user_id):
        for status in RunStatus:
            by_day.update(dict.fromkeys(getattr(member, status.value), status))
    return RunDays.of(by_day)


class HistoryView(View):
    screen_id = "history"
    title = "History"
    watches = frozenset(
        {Kind.HABITS, Kind.ENTRIES, Kind.ROUTINES, Kind.RUNS, Kind.MEMBERS, Kind.FAMILIES}
    )

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
            "How each habit and routine went over a range of days: what was due, done, missed "
            "or skipped."
        )
        subtitle.setProperty("muted", True)
        subtitle.setWordWrap(True)
        root.addWidget(subtitle)
        root.addLayout(self._build_range_bar())

        self.range_error = QLabel()
        self.range_error.setProperty("fieldError", True)
        self.range_error.setAccessibleName("Range error")
        self.range_error.hide()
        root.addWidget(self.range_error)

        card = QFrame()
        card.setProperty("card", True)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(18, 14, 18, 16)
        card_layout.setSpacing(8)
        self.summary = QLabel()
        self.summary.setObjectName("historySummary")
        self.summary.setAccessibleName("History summary")
        self.summary.setStyleSheet("font-size: 11.5pt; font-weight: 600;")
        card_layout.addWidget(self.summary)
        self.detail = QLabel()
        self.detail.setProperty("muted", True)
        self.detail.setAccessibleName("History range")
        card_layout.addWidget(self.detail)

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

        self.pages = QStackedWidget()
        self.pages.addWidget(self.table)
        self.empty = QLabel()
        self.empty.setObjectName("historyEmpty")
        self.empty.setAccessibleName("No history")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setProperty("muted", True)
        self.pages.addWidget(self.empty)
        card_layout.addWidget(self.pages, 1)
        root.addWidget(card, 1)

        self._edit_timer = QTimer(self)
        self._edit_timer.setSingleShot(True)
        self._edit_timer.setInterval(_EDIT_DELAY_MS)
        self._edit_timer.timeout.connect(self._dates_settled)
        self._set_preset_dates("30")
        self.show_empty()

    # --- building -----------------------------------------------------------------------------

    def _build_range_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
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
        bar.addSpacing(18)
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
            """
        )

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
        bar.addStretch(1)
        return bar

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
        if self.preset != CUSTOM:
            self.preset = CUSTOM
            # An exclusive group keeps one button checked; lift that to show "no preset".
            self.preset_group.setExclusive(False)
            for button in self.preset_buttons.values():
                button.setChecked(False)
            self.preset_group.setExclusive(True)
        self._edit_timer.start()

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
            start=_EARLIEST if self.preset == "all" else start,
            end=end,
            today=self.context.today,
            members=tuple(self.context.visible_members()),
            member_filter=self.context.member_filter,
        )
        return self._load(query)

    async def _load(self, query: HistoryQuery) -> HistoryData:
        core, family = self.context.core, self.context.family
        assert core is not None and family is not None
        actor = self.context.actor
        start, end = query.start, query.end
        shown = {m.user_id for m in query.members}
        habits = [
            h
            for h in (
                await core.habits.family_days(
                    actor, family.id, start, end, user_id=query.member_filter
                )
            ).habits
            if h.habit.user_id in shown
        ]
        routines = [
            r
            for r in (
                await core.routines.family_runs(
                    actor, family.id, start, end, user_id=query.member_filter
                )
            ).routines
            if r.user_id in shown
        ]
        return self._count(query, habits, routines)

    def _count(
        self,
        query: HistoryQuery,
        habits: list[HabitStatusDaysRead],
        routines: list[RoutineRunsRead],
    ) -> HistoryData:
        start, end, today = query.start, query.end, query.today
        runs = {r.id: _run_days(r) for r in routines}
        if query.preset == "all":
            # The range starts at the first day anything existed or was recorded.
            first_seen = [d[0] for h in habits for d in (h.done, h.skipped, h.missed) if d]
            first_seen.extend(min(v.effective_from for v in h.versions) for h in habits)
            first_seen.extend(min(v.effective_from for v in r.schedules) for r in routines)
            first_seen.extend(
                d[0]
                for days in runs.values()
                for d in (days.completed, days.partial, days.skipped, days.in_progress)
                if d
            )
            start = min((d for d in first_seen if d <= end), default=end)

        rows: list[HistoryRow] = []
        for member in query.members:
            for item in (h for h in habits if h.habit.user_id == member.user_id):
                habit = item.habit
                counts = habit_counts(
                    [RulesFrom(v.effective_from, v.number, v.rules()) for v in item.versions],
                    HabitDays(done=item.done, skipped=item.skipped, missed=item.missed),
                    start,
                    end,
                    today,
                )
                rows.append(
                    HistoryRow(
                        member=member,
                        kind="habit",
                        item_id=habit.id,
                        name=habit.name,
                        colour=habit.colour,
                        archived=habit.archived,
                        schedule=habit_schedule(habit),
                        counts=counts,
                    )
                )
            for routine in (r for r in routines if r.user_id == member.user_id):
                schedule = [
                    ScheduleFrom(v.effective_from, v.number, mask_from_names(v.weekdays))
                    for v in routine.schedules
                ]
                begins = min(v.effective_from for v in routine.schedules)
                # Set up after the range: nothing to count (runs before it are not kept).
                days = RunDays() if begins > end and query.preset != "all" else runs[routine.id]
                rows.append(
                    HistoryRow(
                        member=member,
                        kind="routine",
                        item_id=routine.id,
                        name=routine.name,
                        colour=member.colour,
                        archived=routine.archived,
                        schedule=routine.current.weekdays_text,
                        counts=routine_counts(schedule, days, start, end, today),
                    )
                )
        return HistoryData(query=query, rows=rows, start=start, end=end)

    # --- showing ------------------------------------------------------------------------------

    def apply(self, data: HistoryData) -> None:
        if data.query.generation != self._generation:
            return  # a newer range or filter was asked for meanwhile
        self.shown = data
        if data.query.preset == "all":
            self._set_dates(data.start, data.end)
        self.model.set_rows(data.rows)
        who = self._who(data.query)
        total = self.model.total
        if data.rows:
            self.pages.setCurrentIndex(0)
            rate = completion_text(total.completion)
            met = (
                f"{rate} of due days met ({total.met} of {total.judged})"
                if total.judged
                else "nothing was due yet"
            )
            self.summary.setText(f"{who}: {met}")
        else:
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
        self.detail.setText(range_text(data.start, data.end))

    def show_empty(self) -> None:
        self.shown = None
        self.model.set_rows([])
        self.pages.setCurrentIndex(1)
        self.summary.setText("History")
        self.detail.setText("")
        self.empty.setText(
            "No family yet — create one with the set-up wizard, and its history shows here."
        )

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
