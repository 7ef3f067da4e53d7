"""The Habits screen: each member's habits with their colour, rules, the last 30 days as a strip
and their streaks; the editor; and a detail pane with the habit's rules over time and two tabs:
Insights (figures, every day as year calendars — click a day to change it —, strength, totals,
weekdays and best streaks) and Entries (fetched a page at a time, notes editable in place).

The list comes from one service read (`HabitOverviewService.overview`: five SQL statements
whatever the length of the history), so picking another habit or showing the archived ones
never waits on the database. The detail's tabs read only when shown. When the Insights tab is
in view and has nothing current to show, the screen's own read brings the selected habit's
detail with the list (`overview_with_detail`: one statement more, in the same transaction);
picking another habit reads its detail alone (`HabitInsightsService.habit_detail`). The Entries
tab reads its first page with the total in one statement (`HabitService.entries_first_page`),
then a page at a time as it is scrolled. A screen switch therefore costs 6 statements at most
(5 + 1 on either tab); a switch back with nothing changed, 5.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any, ClassVar
from uuid import UUID

from PySide6.QtCore import (
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from habitdesk.core.changes import Changes, Kind
from habitdesk.core.enums import HabitKind, Role
from habitdesk.core.schemas.habit_insights import HabitDetailRead
from habitdesk.core.schemas.habit_overview import (
    DetailPick,
    HabitOverviewRead,
    HabitsWithDetailRead,
)
from habitdesk.core.schemas.people import MemberRead
from habitdesk.ui.context import AppContext
from habitdesk.ui.dialogs.day_entry_dialog import DayEntryDialog
from habitdesk.ui.dialogs.habit_editor import HabitEditor
from habitdesk.ui.qtmodels.cells import colour_dot
from habitdesk.ui.qtmodels.entries_model import EntriesModel
from habitdesk.ui.qtmodels.habits_model import (
    HabitRole,
    HabitsModel,
    MemberRole,
    RowKindRole,
    best_text,
    day_text,
    days_text,
    rules_summary,
    streak_text,
)
from habitdesk.ui.qtmodels.members_model import avatar_pixmap
from habitdesk.ui.removal import Removal
from habitdesk.ui.theme import is_dark
from habitdesk.ui.views.base import View
from habitdesk.ui.widgets.actions import action_button, error_line, screen_key
from habitdesk.ui.widgets.day_strip import DayStrip, StripLegend, paint_strip, square_kind
from habitdesk.ui.widgets.habit_insights_pane import HabitInsightsPane
from habitdesk.ui.widgets.labels import heading, muted_label

Index = QModelIndex | QPersistentModelIndex

_MEMBER_HEIGHT = 46
_PLACEHOLDER_HEIGHT = 34
_HABIT_HEIGHT = 78
_STREAK_WIDTH = 118


def _muted(palette: QPalette) -> QColor:
    return QColor("#9AA1AB" if is_dark(palette) else "#5F6670")


class HabitDelegate(QStyledItemDelegate):
    """Paints member headers, habit rows (dot, name, rules, strip, streaks) and placeholders."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        kind = index.data(RowKindRole)
        height = {"member": _MEMBER_HEIGHT, "placeholder": _PLACEHOLDER_HEIGHT}.get(
            kind, _HABIT_HEIGHT
        )
        return QSize(option.rect.width() or 400, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        kind = index.data(RowKindRole)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        try:
            if kind == "member":
                self._paint_member(painter, option, index)
            elif kind == "placeholder":
                self._paint_placeholder(painter, option, index)
            else:
                self._paint_habit(painter, option, index)
        finally:
            painter.restore()

    def _paint_member(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        member: MemberRead = index.data(MemberRole)
        palette = option.palette
        rect = option.rect
        if index.row() > 0:
            painter.setPen(
                QPen(palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Mid), 1)
            )
            painter.drawLine(rect.left() + 8, rect.top() + 2, rect.right() - 8, rect.top() + 2)
        avatar = avatar_pixmap(member.colour, member.avatar_emoji, member.full_name, 28)
        painter.drawPixmap(rect.left() + 10, rect.top() + 11, avatar)
        font = QFont(option.font)
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.08)
        painter.setFont(font)
        # The row is disabled (so the arrow keys pass over it), not greyed out.
        painter.setPen(palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Text))
        text_rect = QRectF(rect.left() + 48, rect.top() + 6, rect.width() - 60, rect.height() - 6)
        painter.drawText(
            text_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, member.full_name
        )
        name_width = QFontMetrics(font).horizontalAdvance(member.full_name)
        count = index.model().rowCount(index)
        habits = 0 if index.model().index(0, 0, index).data(RowKindRole) != "habit" else count
        painter.setFont(option.font)
        painter.setPen(_muted(palette))
        painter.drawText(
            text_rect.adjusted(name_width + 10, 0, 0, 0),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            "· no habits" if habits == 0 else f"· {habits} habit{'s' if habits != 1 else ''}",
        )

    def _paint_placeholder(
        self, painter: QPainter, option: QStyleOptionViewItem, index: Index
    ) -> None:
        rect = option.rect
        font = QFont(option.font)
        font.setItalic(True)
        painter.setFont(font)
        painter.setPen(_muted(option.palette))
        painter.drawText(
            QRectF(rect.left() + 48, rect.top(), rect.width() - 56, rect.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            str(index.data(Qt.ItemDataRole.DisplayRole)),
        )

    def _paint_habit(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        item: HabitOverviewRead = index.data(HabitRole)
        habit = item.habit
        palette: QPalette = option.palette
        state = option.state
        rect = QRectF(option.rect).adjusted(6, 2, -6, -2)
        dark = is_dark(palette)
        selected = bool(state & QStyle.StateFlag.State_Selected)
        if selected:
            fill = QColor(palette.color(QPalette.ColorRole.Highlight))
            fill.setAlpha(70 if dark else 34)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 8, 8)
        elif state & QStyle.StateFlag.State_MouseOver:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(palette.color(QPalette.ColorRole.AlternateBase))
            painter.drawRoundedRect(rect, 8, 8)
        if state & QStyle.StateFlag.State_HasFocus:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 1.5))
            painter.drawRoundedRect(rect.adjusted(0.75, 0.75, -0.75, -0.75), 8, 8)

        text_colour = palette.color(QPalette.ColorRole.Text)
        muted = _muted(palette)
        archived = habit.archived
        left = rect.left() + 16
        top = rect.top()
        colour = QColor(habit.colour)
        if archived:
            colour.setAlpha(120)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawEllipse(QRectF(left, top + 12, 12, 12))

        content_left = left + 24
        streak_left = rect.right() - _STREAK_WIDTH
        base_font = QFont(option.font)
        bold = QFont(base_font)
        bold.setBold(True)
        bold.setPointSizeF(base_font.pointSizeF() * 1.05)
        name_width = streak_left - content_left - 12
        painter.setFont(bold)
        painter.setPen(muted if archived else text_colour)
        metrics = QFontMetrics(bold)
        name = metrics.elidedText(habit.name, Qt.TextElideMode.ElideRight, int(name_width))
        painter.drawText(
            QRectF(content_left, top + 6, name_width, 22),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            name,
        )
        small = QFont(base_font)
        small.setPointSizeF(base_font.pointSizeF() * 0.92)
        painter.setFont(small)
        painter.setPen(muted)
        summary = rules_summary(habit)
        if archived:
            summary = f"Archived · {summary}"
        if habit.points:
            summary += f" · {habit.points} pt{'s' if habit.points != 1 else ''}"
        painter.drawText(
            QRectF(content_left, top + 27, name_width, 18),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            QFontMetrics(small).elidedText(summary, Qt.TextElideMode.ElideRight, int(name_width)),
        )

        # The strip: squares shrink rather than clip when the list is narrow.
        available = rect.right() - 12 - content_left
        count = max(len(item.days), 1)
        gap = 3.0
        size = min(11.0, max(5.0, (available + gap) / count - gap))
        paint_strip(
            painter,
            QPointF(content_left, top + 52),
            item.days,
            QColor(habit.colour),
            palette,
            size=size,
            gap=gap if size >= 8 else 2.0,
            today=item.days[-1].day if item.days else None,
        )

        streak = item.current_streak
        painter.setFont(bold)
        painter.setPen(text_colour if streak is not None else muted)
        right = QRectF(streak_left, top + 6, _STREAK_WIDTH - 12, 22)
        painter.drawText(
            right, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, streak_text(streak)
        )
        painter.setFont(small)
        painter.setPen(muted)
        painter.drawText(
            right.translated(0, 21),
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            best_text(item.best_streak),
        )


class HabitTree(QTreeView):
    """The habit list; Ctrl+Up/Down move the selected habit, Enter edits, Delete removes."""

    move_requested = Signal(int)
    edit_requested = Signal()
    remove_requested = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if ctrl and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.move_requested.emit(-1 if key == Qt.Key.Key_Up else 1)
            event.accept()
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not mods:
            self.edit_requested.emit()
            event.accept()
            return
        if key == Qt.Key.Key_Delete and not mods:
            self.remove_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class HabitsView(View):
    screen_id = "habits"
    title = "Habits"
    watches: ClassVar[frozenset[Kind]] = frozenset(
        {Kind.HABITS, Kind.ENTRIES, Kind.MEMBERS, Kind.USERS, Kind.FAMILIES}
    )

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.overview: list[HabitOverviewRead] = []
        self.editor: HabitEditor | None = None
        self.removal = Removal(self, on_error=self._show_action_error)
        self._selected_id: UUID | None = None
        self._entries_stale = True
        self._shown_entries_for: UUID | None = None
        self._insights_stale = True
        # Counts what made the insights stale: a detail read with the list is shown only if
        # nothing did while it was read.
        self._insights_marks = 0
        self._shown_insights_for: UUID | None = None
        self._insights_generation = 0
        # The running read of the insights of the habit shown, if any (tests await it).
        self.insights_task: asyncio.Task[None] | None = None
        self.day_dialog: DayEntryDialog | None = None

        root = QVBoxLayout(self)
        root.setContentsMargins(28, 20, 28, 20)
        root.setSpacing(10)
        title = QLabel(self.title)
        title.setObjectName("screenTitle")
        root.addWidget(title)
        self.subtitle = muted_label(
            "Each member's habits, the last 30 days at a glance, and their streaks."
        )
        root.addWidget(self.subtitle)
        self.read_only_note = muted_label()
        self.read_only_note.setObjectName("readOnlyNote")
        self.read_only_note.setAccessibleName("Read-only note")
        self.read_only_note.hide()
        root.addWidget(self.read_only_note)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_browse_page())
        self.pages.addWidget(self._build_empty_page())
        self.no_family = QLabel()
        self.no_family.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_family.setWordWrap(True)
        self.no_family.setProperty("muted", True)
        self.pages.addWidget(self.no_family)
        root.addWidget(self.pages, 1)

        screen_key(
            QKeySequence.StandardKey.New, self, self.add_habit, "Add a habit (Habits screen)"
        )

        context.actor_changed.connect(self._actor_changed)
        # A new day moves every figure of the detail (today's score, the streaks, the calendar).
        context.day_changed.connect(self._mark_insights_stale)
        self._update_actions()

    # --- building -----------------------------------------------------------------------------

    def _build_browse_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.setSpacing(10)

        toolbar = QHBoxLayout()
        toolbar.setSpacing(8)
        self.add_button = action_button(
            "+  Add habit", "Add habit", self.add_habit, tip="Add a habit (Ctrl+N)", primary=True
        )
        self.edit_button = action_button(
            "Edit…", "Edit habit", self.edit_selected, tip="Edit the selected habit (Enter)"
        )
        # Styled arrows (not ▲▼ glyphs, which some fonts draw in colour even when disabled).
        self.up_button = QToolButton()
        self.up_button.setArrowType(Qt.ArrowType.UpArrow)
        self.up_button.setAccessibleName("Move habit up")
        self.up_button.setToolTip("Move up (Ctrl+Up)")
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button = QToolButton()
        self.down_button.setArrowType(Qt.ArrowType.DownArrow)
        self.down_button.setAccessibleName("Move habit down")
        self.down_button.setToolTip("Move down (Ctrl+Down)")
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        for button in (self.up_button, self.down_button):
            button.setFixedSize(34, 30)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.archive_button = action_button(
            "Archive",
            "Archive habit",
            self.toggle_archived,
            tip="Take the habit off the daily lists; its history stays",
        )
        self.remove_button = action_button(
            "Remove…",
            "Remove habit",
            self.remove_selected,
            tip="Remove the selected habit and its entries (Delete)",
        )
        self.show_archived = QCheckBox("Show archived")
        self.show_archived.setAccessibleName("Show archived habits")
        self.show_archived.toggled.connect(lambda _on: self._rebuild())
        for widget in (
            self.add_button,
            self.edit_button,
            self.up_button,
            self.down_button,
            self.archive_button,
            self.remove_button,
        ):
            toolbar.addWidget(widget)
        toolbar.addStretch(1)
        toolbar.addWidget(self.show_archived)
        layout.addLayout(toolbar)

        self.action_error = error_line("Habits error")
        layout.addWidget(self.action_error)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self._build_list_card())
        self.splitter.addWidget(self._build_detail_card())
        # The detail's year calendars want ≈620 px; the list reads well narrower.
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([360, 640])
        self.splitter.setHandleWidth(14)
        layout.addWidget(self.splitter, 1)
        return page

    def _build_list_card(self) -> QWidget:
        card = QFrame()
        card.setProperty("card", True)
        card.setMinimumWidth(370)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(6, 8, 6, 10)
        layout.setSpacing(6)
        self.model = HabitsModel(self)
        self.tree = HabitTree()
        self.tree.setObjectName("habitsTree")
        self.tree.setAccessibleName("Habits")
        self.tree.setModel(self.model)
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setItemsExpandable(False)
        self.tree.setIndentation(0)
        self.tree.setUniformRowHeights(False)
        self.tree.setFrameShape(QFrame.Shape.NoFrame)
        self.tree.setMouseTracking(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.tree.setItemDelegate(HabitDelegate(self.tree))
        self.tree.selectionModel().selectionChanged.connect(self._selection_moved)
        self.tree.doubleClicked.connect(lambda _index: self.edit_selected())
        self.tree.move_requested.connect(self.move_selected)
        self.tree.edit_requested.connect(self.edit_selected)
        self.tree.remove_requested.connect(self.remove_selected)
        layout.addWidget(self.tree, 1)
        self.legend = StripLegend()
        legend_row = QHBoxLayout()
        legend_row.setContentsMargins(14, 0, 8, 0)
        legend_row.addWidget(self.legend)
        layout.addLayout(legend_row)
        return card

    def _build_detail_card(self) -> QWidget:
        card = QFrame()
        card.setObjectName("habitDetail")
        card.setProperty("card", True)
        card.setMinimumWidth(340)
        outer = QVBoxLayout(card)
        outer.setContentsMargins(16, 16, 10, 14)
        outer.setSpacing(8)
        self.detail_stack = QStackedWidget()
        outer.addWidget(self.detail_stack)

        self.detail_empty = muted_label(
            "Pick a habit to see its days, its rules over time and its notes."
        )
        self.detail_empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail_stack.addWidget(self.detail_empty)

        detail = QWidget()
        layout = QVBoxLayout(detail)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        header = QHBoxLayout()
        header.setSpacing(10)
        self.detail_dot = QLabel()
        self.detail_dot.setFixedSize(16, 16)
        self.detail_title = heading("", 14)
        self.detail_title.setObjectName("habitDetailTitle")
        self.detail_title.setAccessibleName("Habit name")
        self.detail_title.setWordWrap(True)
        header.addWidget(self.detail_dot, 0, Qt.AlignmentFlag.AlignVCenter)
        header.addWidget(self.detail_title, 1)
        layout.addLayout(header)
        member_row = QHBoxLayout()
        member_row.setSpacing(6)
        self.detail_member_avatar = QLabel()
        self.detail_member = muted_label(wrap=False)
        self.detail_member.setAccessibleName("Member")
        member_row.addWidget(self.detail_member_avatar)
        member_row.addWidget(self.detail_member, 1)
        layout.addLayout(member_row)

        self.detail_rules = QLabel()
        self.detail_rules.setAccessibleName("Rules")
        self.detail_rules.setWordWrap(True)
        layout.addSpacing(2)
        layout.addWidget(self.detail_rules)
        self.detail_versions = muted_label()
        self.detail_versions.setAccessibleName("Rules over time")
        self.detail_versions.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.detail_versions)
        self.detail_description = muted_label()
        self.detail_description.setAccessibleName("Description")
        layout.addWidget(self.detail_description)

        layout.addSpacing(2)
        self.day_strip = DayStrip(size=11, gap=3)
        layout.addWidget(self.day_strip)

        # Insights first: what a parent opens the detail for. Each tab reads its data only
        # when it is shown (a screen switch reads the list and the tab in view).
        self.detail_tabs = QTabWidget()
        self.detail_tabs.setObjectName("habitDetailTabs")
        self.detail_tabs.setAccessibleName("Habit detail")
        self.detail_tabs.setDocumentMode(True)
        self.insights = HabitInsightsPane()
        self.insights.dayActivated.connect(self.open_day)
        figures = self.insights.figures
        self.current_label, self.best_label, self.done_label = (
            figures.current,
            figures.best,
            figures.done,
        )
        self.best_dates = self.insights.best_dates
        self.heat_map = self.insights.heat_map
        self.detail_tabs.addTab(self.insights, "Insights")
        self.detail_tabs.addTab(self._build_entries_tab(), "Entries")
        self.detail_tabs.currentChanged.connect(lambda _index: self._sync_tab())
        layout.addSpacing(4)
        layout.addWidget(self.detail_tabs, 1)
        self.detail_stack.addWidget(detail)
        outer.setStretch(0, 1)
        return card

    def _build_entries_tab(self) -> QWidget:
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.setSpacing(6)
        entries_header = QHBoxLayout()
        entries_header.setSpacing(8)
        entries_header.addWidget(heading("Entries", 11.5))
        self.entries_count = muted_label(wrap=False)
        self.entries_count.setAccessibleName("Number of entries")
        entries_header.addWidget(self.entries_count, 1)
        layout.addLayout(entries_header)
        self.note_error = error_line("Note error")
        layout.addWidget(self.note_error)

        self.entries_model = EntriesModel(self.context, self)
        self.entries_model.total_changed.connect(self._entries_total)
        self.entries_model.note_failed.connect(self._note_failed)
        self.entries_model.note_saved.connect(lambda _entry: self.note_error.hide())
        self.entries_table = QTableView()
        self.entries_table.setObjectName("entriesTable")
        self.entries_table.setAccessibleName("Entries of the habit")
        self.entries_table.setModel(self.entries_model)
        self.entries_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.entries_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.entries_table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.entries_table.setAlternatingRowColors(True)
        self.entries_table.setShowGrid(False)
        self.entries_table.setWordWrap(False)
        self.entries_table.setFrameShape(QFrame.Shape.NoFrame)
        self.entries_table.setMinimumHeight(150)
        self.entries_table.verticalHeader().hide()
        self.entries_table.verticalHeader().setDefaultSectionSize(28)
        header_view = self.entries_table.horizontalHeader()
        header_view.setHighlightSections(False)
        header_view.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        for column in (EntriesModel.DATE, EntriesModel.STATUS, EntriesModel.VALUE):
            header_view.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header_view.setSectionResizeMode(EntriesModel.NOTE, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.entries_table, 1)
        self.notes_hint = muted_label("Double-click a note, or press F2, to write one.")
        self.notes_hint.setAccessibleName("How to edit notes")
        layout.addWidget(self.notes_hint)
        return tab

    def _build_empty_page(self) -> QWidget:
        page = QFrame()
        page.setProperty("card", True)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(40, 40, 40, 40)
        layout.addStretch(1)
        icon = QLabel("◎")
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        icon.setStyleSheet("font-size: 34pt;")
        icon.setProperty("muted", True)
        layout.addWidget(icon)
        self.empty_title = heading("No habits yet — add the first one", 14)
        self.empty_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_title.setObjectName("habitsEmptyTitle")
        layout.addWidget(self.empty_title)
        self.empty_text = muted_label(
            "A habit is something done on most days — reading, a walk, no phone at dinner. "
            "Give it a target and a colour, and its days and streaks appear here."
        )
        self.empty_text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_text.setFixedWidth(480)
        text_row = QHBoxLayout()
        text_row.addStretch(1)
        text_row.addWidget(self.empty_text)
        text_row.addStretch(1)
        layout.addLayout(text_row)
        layout.addSpacing(10)
        self.empty_add = action_button(
            "+  Add the first habit", "Add the first habit", self.add_habit, primary=True
        )
        button_row = QHBoxLayout()
        button_row.addStretch(1)
        button_row.addWidget(self.empty_add)
        button_row.addStretch(1)
        layout.addLayout(button_row)
        layout.addStretch(2)
        return page

    # --- loading ------------------------------------------------------------------------------

    async def load(self) -> tuple[HabitsWithDetailRead, int]:
        core, family = self.context.core, self.context.family
        assert core is not None and family is not None
        marks = self._insights_marks
        if self._insights_wanted():
            pick = DetailPick(self._selected_id, skip_archived=not self.show_archived.isChecked())
            read = await core.habit_overview.overview_with_detail(
                self.context.actor, family.id, pick, self.context.member_filter
            )
        else:
            habits = await core.habit_overview.overview(
                self.context.actor,
                family.id,
                self.context.member_filter,
                today=self.context.today,
            )
            read = HabitsWithDetailRead(habits=tuple(habits))
        return read, marks

    def _insights_wanted(self) -> bool:
        """Whether the Insights tab will need the selected habit's detail read again."""
        if self.detail_tabs.currentWidget() is not self.insights:
            return False
        selected = self._selected_id
        return selected is None or self._shown_insights_for != selected or self._insights_stale

    def apply(self, data: tuple[HabitsWithDetailRead, int]) -> None:
        read, marks = data
        self.overview = list(read.habits)
        detail = read.detail
        if detail is not None and marks == self._insights_marks:
            # Shown now, so selecting its habit below finds it current and reads nothing.
            self._insights_generation += 1  # a read for another habit no longer lands
            self.insights_task = None
            self._shown_insights_for = detail.habit_id
            self._insights_stale = False
            self.insights.set_detail(detail)
        self._rebuild()

    def show_empty(self) -> None:
        self.overview = []
        self.model.set_groups([])
        self.no_family.setText(self.absence().text)
        self.pages.setCurrentWidget(self.no_family)
        self._show_detail(None)
        self._update_actions()

    def on_changes(self, changes: Changes, initiator: Any) -> None:
        if initiator is self.entries_model:
            # A note: nothing on the list changes, and the table shows it already; the
            # calendar's tooltips read it again when the Insights tab is next shown.
            self._mark_insights_stale()
            return
        if changes.touches(Kind.ENTRIES, Kind.HABITS):
            self._entries_stale = True
            self._mark_insights_stale()
        super().on_changes(changes, initiator)

    def _visible_groups(self) -> list[tuple[MemberRead, list[HabitOverviewRead]]]:
        show_archived = self.show_archived.isChecked()
        groups = []
        for member in self.context.visible_members():
            habits = [
                item
                for item in self.overview
                if item.habit.user_id == member.user_id
                and (show_archived or not item.habit.archived)
            ]
            groups.append((member, habits))
        return groups

    def _rebuild(self) -> None:
        groups = self._visible_groups()
        keep = self._selected_id
        self.model.set_groups(groups)
        self.tree.expandAll()
        any_habits = any(habits for _member, habits in groups)
        self.legend.set_kinds(
            {square_kind(d) for _m, habits in groups for item in habits for d in item.days}
        )
        any_at_all = bool(self.overview)
        if not any_at_all and self.context.family is not None:
            self.pages.setCurrentIndex(1)
        else:
            self.pages.setCurrentIndex(0)
        index = self.model.habit_index(keep)
        if not index.isValid() and any_habits:
            index = self._first_habit_index()
        if index.isValid():
            self.tree.setCurrentIndex(index)
            self.tree.scrollTo(index)
        else:
            self._selected_id = None
            self._show_detail(None)
        self._update_actions()
        self._update_subtitle()

    def _first_habit_index(self) -> QModelIndex:
        for group in range(self.model.rowCount()):
            child = self.model.index(0, 0, self.model.index(group, 0))
            if child.data(RowKindRole) == "habit":
                return child
        return QModelIndex()

    def _update_subtitle(self) -> None:
        visible = [h for _m, habits in self._visible_groups() for h in habits]
        archived = sum(1 for h in self.overview if h.habit.archived)
        text = "Each member's habits, the last 30 days at a glance, and their streaks."
        if archived and not self.show_archived.isChecked():
            text += f" {archived} archived habit{'s' if archived != 1 else ''} hidden."
        self.subtitle.setText(text)
        self.tree.setAccessibleDescription(f"{len(visible)} habits")

    # --- selection and detail -----------------------------------------------------------------

    def selected(self) -> HabitOverviewRead | None:
        return self.model.habit_at(self.tree.currentIndex())

    def _selection_moved(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        item = self.selected()
        if item is None and selected.indexes():
            item = self.model.habit_at(selected.indexes()[0])
        self._selected_id = item.habit.id if item else None
        self._show_detail(item)
        self._update_actions()

    def _show_detail(self, item: HabitOverviewRead | None) -> None:
        if item is None:
            self.detail_stack.setCurrentWidget(self.detail_empty)
            self._shown_insights_for = None
            self._insights_generation += 1
            if self._shown_entries_for is not None:
                self._shown_entries_for = None
                self.entries_model.set_habit(None)
            return
        habit = item.habit
        self.detail_stack.setCurrentIndex(1)
        self.detail_dot.setPixmap(colour_dot(habit.colour, 16, 1))
        self.detail_title.setText(habit.name + ("  (archived)" if habit.archived else ""))
        member = self.context.member(habit.user_id)
        if member is not None:
            self.detail_member_avatar.setPixmap(
                avatar_pixmap(member.colour, member.avatar_emoji, member.full_name, 22)
            )
            self.detail_member.setText(f"{member.full_name}'s habit")
        self.detail_rules.setText(
            f"<b>{rules_summary(habit)}</b>"
            + (
                f" · {habit.points} point{'s' if habit.points != 1 else ''} for each day done"
                if habit.points
                else ""
            )
        )
        self.detail_versions.setText(self.versions_text(item))
        self.detail_description.setText(habit.description or "")
        self.detail_description.setVisible(bool(habit.description))
        current, best = item.current_streak, item.best_streak
        self.current_label.setText(days_text(current.length) if current is not None else "—")
        self.current_label.setToolTip(
            f"{day_text(current.start)} – {day_text(current.end)}"
            if current is not None
            else "No streak running: the last due day was not done."
        )
        self.best_label.setText(days_text(best.length) if best is not None else "—")
        self.best_dates.setText(
            f"Best streak: {day_text(best.start)} – {day_text(best.end)}"
            if best is not None
            else ""
        )
        self.best_dates.setVisible(best is not None)
        self.done_label.setText(f"{item.total_done:,}")
        self.day_strip.set_days(
            item.days,
            habit.colour,
            unit=habit.unit,
            numeric=habit.kind is HabitKind.NUMERIC,
            today=self.context.today,
        )
        self.legend.set_colour(habit.colour)
        editable = self.context.may_check_for(habit.user_id)
        self.notes_hint.setVisible(editable)
        self.entries_table.setColumnHidden(EntriesModel.VALUE, habit.kind is not HabitKind.NUMERIC)
        self.insights.set_editable(editable)
        self._sync_tab()

    def _sync_tab(self) -> Any:
        """Read what the tab in view shows for the selected habit, if it is not shown yet (or
        changed since). Returns the read's task, if one started (tests await it)."""
        item = self.selected()
        if item is None:
            return None
        if self.detail_tabs.currentWidget() is self.insights:
            return self._sync_insights(item.habit.id)
        return self._sync_entries(item)

    def _sync_entries(self, item: HabitOverviewRead) -> Any:
        habit = item.habit
        editable = self.context.may_check_for(habit.user_id)
        if self._shown_entries_for != habit.id or self._entries_stale:
            self._shown_entries_for = habit.id
            self._entries_stale = False
            self.note_error.hide()
            return self.entries_model.set_habit(habit, notes_editable=editable)
        self.entries_model.habit = habit
        self.entries_model.set_notes_editable(editable)
        return None

    def _mark_insights_stale(self) -> None:
        self._insights_stale = True
        self._insights_marks += 1

    def _sync_insights(self, habit_id: UUID) -> Any:
        core = self.context.core
        if core is None:
            return None
        if self._shown_insights_for == habit_id and not self._insights_stale:
            return self.insights_task
        if self._shown_insights_for != habit_id:
            self.insights.show_loading()
        self._shown_insights_for = habit_id
        self._insights_stale = False
        self._insights_generation += 1
        generation = self._insights_generation

        def done(detail: HabitDetailRead) -> None:
            if generation == self._insights_generation:
                self.insights_task = None
                self.insights.set_detail(detail)

        def failed(message: str) -> None:
            if generation == self._insights_generation:
                self.insights_task = None
                self._insights_stale = True  # try again next time it is shown
                self.insights.show_error(message)

        self.insights_task = self.context.tasks.read(
            core.habit_insights.habit_detail(self.context.actor, habit_id),
            done,
            on_error=failed,
            origin=self.insights,
        )
        return self.insights_task

    # --- changing a day -----------------------------------------------------------------------

    def open_day(self, day: date) -> DayEntryDialog | None:
        """The dialog that changes `day` of the habit shown (clicked, or Enter, on its calendar)."""
        detail = self.insights.detail
        if detail is None or self.day_dialog is not None:
            return None
        dialog = DayEntryDialog(self.context, detail, day, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.finished.connect(lambda _result: self._day_dialog_closed(dialog))
        self.day_dialog = dialog
        dialog.open()
        return dialog

    def _day_dialog_closed(self, dialog: DayEntryDialog) -> None:
        if self.day_dialog is dialog:
            self.day_dialog = None
            self.heat_map.setFocus()

    @staticmethod
    def versions_text(item: HabitOverviewRead) -> str:
        """ "Rules since 3 Mar 2025", then each older version with its dates, newest first
        (and rules already set for a later day)."""
        versions = sorted(item.versions, key=lambda v: (v.effective_from, v.number))
        now = next(
            (k for k, v in enumerate(versions) if v.number == item.habit.rules_version), None
        )
        if now is None:
            return ""
        lines = [f"Rules since {day_text(versions[now].effective_from)}"]
        for k in range(now + 1, len(versions)):
            lines.append(
                f"From {day_text(versions[k].effective_from)}: {rules_summary(versions[k])}"
            )
        for k in range(now - 1, -1, -1):
            start, end = versions[k].effective_from, versions[k + 1].effective_from
            if end <= start:
                continue  # corrected on the day it started
            last = date.fromordinal(end.toordinal() - 1)
            lines.append(f"{day_text(start)} – {day_text(last)}: {rules_summary(versions[k])}")
        return "\n".join(lines)

    def _entries_total(self, total: int) -> None:
        self.entries_count.setText(
            "· none recorded yet" if total == 0 else f"· {days_text(total)} recorded"
        )

    def _note_failed(self, message: str) -> None:
        self.note_error.setText(message)
        self.note_error.show()

    # --- actions ------------------------------------------------------------------------------

    def add_habit(self) -> HabitEditor | None:
        if not self._may_edit() or self.editor is not None:
            return None
        selected = self.selected()
        member_id = selected.habit.user_id if selected else self.context.member_filter
        if member_id is None:
            member_id = next(
                (m.user_id for m in self.context.visible_members() if m.role is Role.CHILD), None
            )
        return self._open_editor(HabitEditor(self.context, self, member_id=member_id))

    def edit_selected(self) -> HabitEditor | None:
        item = self.selected()
        if item is None or not self._may_edit() or self.editor is not None:
            return None
        return self._open_editor(HabitEditor(self.context, self, habit=item.habit))

    def _open_editor(self, editor: HabitEditor) -> HabitEditor:
        self._show_action_error("")
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        editor.saved.connect(self._editor_saved)
        editor.finished.connect(lambda _result: self._editor_closed(editor))
        self.editor = editor
        editor.open()
        return editor

    def _editor_saved(self, habit: Any) -> None:
        self._selected_id = habit.id
        self._flash(f"Saved “{habit.name}”.")

    def _editor_closed(self, editor: HabitEditor) -> None:
        if self.editor is editor:
            self.editor = None
            self.tree.setFocus()

    def move_selected(self, delta: int) -> asyncio.Task[None] | None:
        item = self.selected()
        core, family = self.context.core, self.context.family
        if item is None or core is None or family is None or not self._may_edit():
            return None
        siblings = self.model.member_habits(item.habit.user_id)
        ids = [s.habit.id for s in siblings]
        row = ids.index(item.habit.id)
        target = row + delta
        if not 0 <= target < len(ids):
            return None
        ids[row], ids[target] = ids[target], ids[row]
        self._selected_id = item.habit.id
        # Show the new order at once; the refresh after the write confirms it.
        queue = iter(sorted(siblings, key=lambda s: ids.index(s.habit.id)))
        shown = set(ids)
        self.overview = [next(queue) if h.habit.id in shown else h for h in self.overview]
        self._rebuild()
        return self.context.tasks.write(
            core.habits.reorder_habits(
                self.context.actor, family.id, ids, user_id=item.habit.user_id
            ),
            on_error=self._move_failed,
            origin=self,
        )

    def _move_failed(self, message: str) -> None:
        self._show_action_error(message)
        self.refresh()

    def toggle_archived(self) -> asyncio.Task[None] | None:
        item = self.selected()
        core = self.context.core
        if item is None or core is None or not self._may_edit():
            return None
        habit = item.habit
        archive = not habit.archived
        if archive and not self.show_archived.isChecked():
            # It leaves the list: select a neighbour instead.
            siblings = self.model.member_habits(habit.user_id)
            row = [s.habit.id for s in siblings].index(habit.id)
            rest = siblings[row + 1 :] + siblings[:row][::-1]
            self._selected_id = rest[0].habit.id if rest else None

        def done(_result: Any) -> None:
            if archive:
                hint = "" if self.show_archived.isChecked() else " Tick “Show archived” to find it."
                self._flash(f"Archived “{habit.name}”.{hint}")
            else:
                self._flash(f"“{habit.name}” is back on the daily lists.")

        return self.context.tasks.write(
            core.habits.archive_habit(self.context.actor, habit.id, archive),
            on_done=done,
            on_error=self._show_action_error,
            origin=self,
        )

    @property
    def confirm_box(self) -> QMessageBox | None:
        """The "Remove …?" box while it is open."""
        return self.removal.box

    def remove_selected(self) -> QMessageBox | None:
        item = self.selected()
        if item is None or not self._may_edit():
            return None
        habit = item.habit

        def select_a_sibling() -> None:
            siblings = self.model.member_habits(habit.user_id)
            rest = [s for s in siblings if s.habit.id != habit.id]
            self._selected_id = rest[0].habit.id if rest else None

        return self.removal.ask(
            title="Remove habit",
            text=f"Remove “{habit.name}”?",
            details=f"It disappears with its {days_text(item.total_done)} done and every note. "
            "Points already earned stay. To keep its history, archive it instead.",
            remove=lambda core: core.habits.remove_habit(self.context.actor, habit.id),
            done=f"Removed “{habit.name}”.",
            before_write=select_a_sibling,
            on_cancel=self.tree.setFocus,
        )

    def _show_action_error(self, message: str) -> None:
        self.action_error.setText(message)
        self.action_error.setVisible(bool(message))

    # --- who may do what ----------------------------------------------------------------------

    def _may_edit(self) -> bool:
        return (
            self.context.core is not None
            and self.context.family is not None
            and self.context.can_edit
        )

    def _actor_changed(self) -> None:
        self._update_actions()
        if self.editor is not None:
            self.editor.set_editable(self._may_edit())
        item = self.selected()
        if item is not None:
            self.entries_model.set_notes_editable(self.context.may_check_for(item.habit.user_id))
            self.notes_hint.setVisible(self.context.may_check_for(item.habit.user_id))

    def _update_actions(self) -> None:
        may = self._may_edit()
        item = self.selected()
        self.add_button.setEnabled(may)
        self.empty_add.setEnabled(may)
        for button in (self.edit_button, self.archive_button, self.remove_button):
            button.setEnabled(may and item is not None)
        siblings = self.model.member_habits(item.habit.user_id) if item else []
        row = next((i for i, s in enumerate(siblings) if item and s.habit.id == item.habit.id), -1)
        self.up_button.setEnabled(may and row > 0)
        self.down_button.setEnabled(may and 0 <= row < len(siblings) - 1)
        archived = bool(item and item.habit.archived)
        self.archive_button.setText("Unarchive" if archived else "Archive")
        self.archive_button.setAccessibleName("Unarchive habit" if archived else "Archive habit")
        self.empty_title.setText("No habits yet — add the first one" if may else "No habits yet")
        acting = self.context.acting
        if acting is not None and not may and self.context.family is not None:
            if acting.role is Role.CHILD:
                why = "you can look and add notes to your own days, but only a parent can change habits."
            else:
                why = "you can look, but only a parent can change habits."
            self.read_only_note.setText(f"🔒  You are acting as {acting.full_name}: {why}")
            self.read_only_note.show()
        else:
            self.read_only_note.hide()
