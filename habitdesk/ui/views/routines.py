"""The Routines screen: each member's routines, their steps and version history, the editor,
and "Run routine" mode for a child at the keyboard.

Everything on the screen comes from one service read (`list_routines_with_history`, five SQL
statements however long the history), so switching to the screen or picking another routine
never waits on the database.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import time
from typing import TYPE_CHECKING, ClassVar
from uuid import UUID

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from habitdesk.core.changes import Kind
from habitdesk.core.enums import Role
from habitdesk.core.schemas.people import MemberRead
from habitdesk.core.schemas.routines import RoutineRead, RoutineVersionRead
from habitdesk.ui.context import AppContext
from habitdesk.ui.dialogs.routine_editor import RoutineEditor, format_day
from habitdesk.ui.removal import Removal
from habitdesk.ui.theme import ACCENT
from habitdesk.ui.views.base import View
from habitdesk.ui.widgets.actions import action_button, error_line, screen_key
from habitdesk.ui.widgets.run_mode import RunModeWidget

if TYPE_CHECKING:
    # Only the read-model's shape; the screen reaches the service through the task bridge.
    from habitdesk.core.services.routines import RoutineHistoryRead

KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
PAYLOAD_ROLE = Qt.ItemDataRole.UserRole + 3

BROWSE_PAGE, EMPTY_PAGE, RUN_PAGE = 0, 1, 2

_STYLE = """
#routineList { border: none; }
#routineName { font-size: 17pt; font-weight: 700; }
#routineAvatar { font-size: 26pt; }
#sectionTitle { font-size: 12pt; font-weight: 600; }
#archivedTag { border-radius: 8px; padding: 1px 8px; background: palette(mid); }
#emptyTitle { font-size: 15pt; font-weight: 600; }
#emptyIcon { font-size: 40pt; }
#versionTitle { font-weight: 600; }
#stepsTable { border: none; }
"""


# --- texts ------------------------------------------------------------------------------------


def times_text(start: time | None, finish: time | None) -> str:
    if start and finish:
        return f"{start:%H:%M} → {finish:%H:%M}"
    if start:
        return f"from {start:%H:%M}"
    if finish:
        return f"finish by {finish:%H:%M}"
    return "any time"


def schedule_text(version: RoutineVersionRead) -> str:
    return f"{version.weekdays_text} · {times_text(version.start_time, version.finish_by)}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def size_text(version: RoutineVersionRead) -> str:
    parts = [_plural(len(version.steps), "step")]
    if version.total_minutes:
        parts.append(f"{version.total_minutes} min")
    if version.total_points:
        parts.append(_plural(version.total_points, "point"))
    return " · ".join(parts)


def version_text(routine: RoutineRead) -> str:
    current = routine.current_version
    return f"version {current.number}, since {format_day(current.effective_from)}"


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:]


def upcoming_text(routine: RoutineRead) -> str:
    """A version saved for a later day ("" when none)."""
    latest, current = routine.latest_version, routine.current_version
    if latest.number == current.number:
        return ""
    return f"Version {latest.number} takes effect on {format_day(latest.effective_from)}"


# --- the list ----------------------------------------------------------------------------------


def _active() -> QPalette:
    """The theme's colours, always the active group: headers are disabled items (so the
    keyboard skips them) but must not look disabled, and the list's own palette has a
    transparent base (the cards sit on the window colour)."""
    active = QPalette(QApplication.palette())
    active.setCurrentColorGroup(QPalette.ColorGroup.Active)
    return active


def _muted(palette: QPalette, selected: bool) -> QColor:
    text = palette.color(
        QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
    )
    base = palette.color(QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base)
    return QColor(
        (text.red() * 62 + base.red() * 38) // 100,
        (text.green() * 62 + base.green() * 38) // 100,
        (text.blue() * 62 + base.blue() * 38) // 100,
    )


class RoutineListDelegate(QStyledItemDelegate):
    """Member headers (avatar, name, colour) and routine cards (name, schedule, size, version)."""

    HEIGHTS: ClassVar[dict[str, int]] = {"member": 48, "routine": 100, "empty": 34}

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        kind = index.data(KIND_ROLE) or "routine"
        return QSize(max(200, option.rect.width()), self.HEIGHTS.get(kind, 40))

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        kind = index.data(KIND_ROLE)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        try:
            if kind == "member":
                self._paint_member(painter, option, index.data(PAYLOAD_ROLE))
            elif kind == "routine":
                routine, member = index.data(PAYLOAD_ROLE)
                self._paint_routine(painter, option, routine, member)
            else:
                self._paint_empty(painter, option, str(index.data()))
        finally:
            painter.restore()

    def _paint_member(
        self, painter: QPainter, option: QStyleOptionViewItem, member: MemberRead | None
    ) -> None:
        palette = _active()
        rect = option.rect.adjusted(10, 12, -10, -4)
        colour = QColor(member.colour if member else "#8A9099")
        circle = QRectF(rect.left(), rect.top(), 30, 30)
        fill = QColor(colour)
        fill.setAlpha(60)
        painter.setPen(QPen(colour, 2))
        painter.setBrush(fill)
        painter.drawEllipse(circle)
        emoji_font = QFont(option.font)
        emoji_font.setPointSizeF(option.font.pointSizeF() * 1.3)
        painter.setFont(emoji_font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        avatar = (member.avatar_emoji if member else None) or (
            member.full_name[:1].upper() if member else "?"
        )
        painter.drawText(circle, Qt.AlignmentFlag.AlignCenter, avatar)
        name_font = QFont(option.font)
        name_font.setBold(True)
        name_font.setPointSizeF(option.font.pointSizeF() * 1.15)
        painter.setFont(name_font)
        text_rect = QRectF(circle.right() + 10, rect.top(), rect.width() - 50, 30)
        painter.drawText(
            text_rect,
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            member.full_name if member else "Former members",
        )

    def _paint_routine(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        routine: RoutineRead,
        member: MemberRead | None,
    ) -> None:
        palette = _active()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus)
        card = QRectF(option.rect.adjusted(10, 4, -10, -4))
        background = palette.color(
            QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Base
        )
        if hovered and not selected:
            background = palette.color(QPalette.ColorRole.AlternateBase)
        border = QColor(ACCENT) if selected and focused else palette.color(QPalette.ColorRole.Mid)
        painter.setPen(QPen(border, 2 if selected and focused else 1))
        painter.setBrush(background)
        painter.drawRoundedRect(card, 9, 9)
        colour = QColor(member.colour if member else "#8A9099")
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(
            QRectF(card.left() + 6, card.top() + 10, 5, card.height() - 20), 2, 2
        )

        text = palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        )
        muted = _muted(palette, selected)
        if routine.archived:
            text = muted
        left = card.left() + 22
        width = card.width() - 34
        version = routine.current_version

        name_font = QFont(option.font)
        name_font.setBold(True)
        name_font.setPointSizeF(option.font.pointSizeF() * 1.1)
        painter.setFont(name_font)
        painter.setPen(text)
        name_rect = QRectF(left, card.top() + 8, width, 22)
        name = routine.name + ("  · archived" if routine.archived else "")
        painter.drawText(
            name_rect,
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            painter.fontMetrics().elidedText(name, Qt.TextElideMode.ElideRight, int(width)),
        )
        small = QFont(option.font)
        small.setPointSizeF(option.font.pointSizeF() * 0.92)
        painter.setFont(small)
        painter.setPen(muted)
        metrics = painter.fontMetrics()
        for offset, line in (
            (31, schedule_text(version)),
            (50, size_text(version)),
            (69, version_text(routine)),
        ):
            painter.drawText(
                QRectF(left, card.top() + offset, width, 18),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(line, Qt.TextElideMode.ElideRight, int(width)),
            )

    def _paint_empty(self, painter: QPainter, option: QStyleOptionViewItem, text: str) -> None:
        font = QFont(option.font)
        font.setItalic(True)
        painter.setFont(font)
        painter.setPen(_muted(_active(), False))
        painter.drawText(
            QRectF(option.rect.adjusted(24, 0, -10, 0)),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            text,
        )


# --- the screen --------------------------------------------------------------------------------


class RoutinesView(View):
    screen_id = "routines"
    title = "Routines"
    watches = frozenset({Kind.ROUTINES, Kind.MEMBERS, Kind.USERS, Kind.FAMILIES})
    no_family_hint = "create or open a family first; its routines will show here."

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.setStyleSheet(_STYLE)
        self.histories: list[RoutineHistoryRead] = []
        self._by_id: dict[UUID, RoutineHistoryRead] = {}
        self._selected_id: UUID | None = None
        self.editor: RoutineEditor | None = None
        self.removal = Removal(self, on_error=self._show_action_error)

        root = QVBoxLayout(self)
        root.setContentsMargins(24, 18, 24, 18)
        root.setSpacing(10)

        self.header_bar = QWidget()
        header = QHBoxLayout(self.header_bar)
        header.setContentsMargins(0, 0, 0, 0)
        header.setSpacing(12)
        title = QLabel("Routines")
        title.setObjectName("screenTitle")
        header.addWidget(title)
        header.addStretch(1)
        self.show_archived = QCheckBox("Show archived")
        self.show_archived.setAccessibleName("Show archived routines")
        self.show_archived.toggled.connect(self._rebuild)
        header.addWidget(self.show_archived)
        self.new_button = action_button(
            "+  New routine",
            "New routine",
            self.new_routine,
            tip="New routine (Ctrl+N)",
            primary=True,
        )
        header.addWidget(self.new_button)
        root.addWidget(self.header_bar)

        self.subtitle = QLabel()
        self.subtitle.setProperty("muted", True)
        self.subtitle.setWordWrap(True)
        self.subtitle.setAccessibleName("About this screen")
        root.addWidget(self.subtitle)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_browse_page())
        self.pages.addWidget(self._build_empty_page())
        self.run_mode = RunModeWidget(context)
        self.run_mode.left.connect(self.leave_run_mode)
        self.pages.addWidget(self.run_mode)
        root.addWidget(self.pages, 1)

        for keys, slot, listed_as in (
            (QKeySequence.StandardKey.New, self.new_routine, "Add a routine"),
            (QKeySequence("Ctrl+E"), self.edit_selected, "Edit the selected routine"),
            (QKeySequence("Ctrl+R"), self.run_selected, "Run the selected routine"),
        ):
            screen_key(keys, self, slot, f"{listed_as} (Routines screen)")
        # Delete on the list removes (after asking); a key event, not a QShortcut, so it works
        # whichever window Qt thinks is active after a dialog closed.
        self.tree.installEventFilter(self)
        context.actor_changed.connect(self._actor_changed)
        context.family_changed.connect(self.leave_run_mode)
        self._update_permissions()
        self.show_detail(None)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.tree
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Delete
            and self.selected is not None
        ):
            self.remove_selected()
            return True
        return super().eventFilter(watched, event)

    # --- building -------------------------------------------------------------------------------

    def _build_browse_page(self) -> QWidget:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setChildrenCollapsible(False)
        splitter.setHandleWidth(12)

        self.tree = QTreeWidget()
        self.tree.setObjectName("routineList")
        self.tree.setAccessibleName("Routines by member")
        self.tree.setHeaderHidden(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(0)
        self.tree.setItemsExpandable(False)
        self.tree.setUniformRowHeights(False)
        self.tree.setMouseTracking(True)
        self.tree.setFrameShape(QFrame.Shape.NoFrame)
        # The cards sit on the window colour. A style-sheet `background: transparent` on the
        # list did that too, but left its scroll bar's groove unpainted (black).
        self.tree.viewport().setBackgroundRole(QPalette.ColorRole.Window)
        self.tree.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.tree.setItemDelegate(RoutineListDelegate(self.tree))
        self.tree.setMinimumWidth(300)
        self.tree.currentItemChanged.connect(self._current_changed)
        self.tree.itemActivated.connect(self._activated)
        splitter.addWidget(self.tree)

        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setAccessibleName("Routine details")
        scroll.setWidget(self._build_detail())
        splitter.addWidget(scroll)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([380, 560])
        return splitter

    def _build_detail(self) -> QWidget:
        detail = QWidget()
        detail.setObjectName("routineDetail")
        layout = QVBoxLayout(detail)
        layout.setContentsMargins(4, 0, 8, 8)
        layout.setSpacing(12)

        self.detail_card = QFrame()
        self.detail_card.setProperty("card", True)
        card = QVBoxLayout(self.detail_card)
        card.setContentsMargins(18, 16, 18, 16)
        card.setSpacing(6)
        top = QHBoxLayout()
        top.setSpacing(12)
        self.detail_avatar = QLabel()
        self.detail_avatar.setObjectName("routineAvatar")
        top.addWidget(self.detail_avatar, 0, Qt.AlignmentFlag.AlignTop)
        names = QVBoxLayout()
        names.setSpacing(2)
        name_row = QHBoxLayout()
        self.detail_name = QLabel()
        self.detail_name.setObjectName("routineName")
        self.detail_name.setAccessibleName("Routine name")
        self.detail_name.setWordWrap(True)
        name_row.addWidget(self.detail_name, 1)
        self.archived_tag = QLabel("Archived")
        self.archived_tag.setObjectName("archivedTag")
        name_row.addWidget(self.archived_tag, 0, Qt.AlignmentFlag.AlignVCenter)
        names.addLayout(name_row)
        self.detail_schedule = QLabel()
        self.detail_schedule.setAccessibleName("Member and schedule")
        self.detail_schedule.setWordWrap(True)
        names.addWidget(self.detail_schedule)
        self.detail_version = QLabel()
        self.detail_version.setProperty("muted", True)
        self.detail_version.setAccessibleName("Version")
        names.addWidget(self.detail_version)
        top.addLayout(names, 1)
        card.addLayout(top)

        actions = QHBoxLayout()
        actions.setSpacing(8)
        self.run_button = action_button(
            "▶  Run routine", "Run routine", self.run_selected, primary=True
        )
        self.edit_button = action_button("Edit…", "Edit routine", self.edit_selected)
        self.archive_button = action_button("Archive", "Archive routine", self.toggle_archived)
        self.remove_button = action_button("Remove…", "Remove routine", self.remove_selected)
        actions.addWidget(self.run_button)
        actions.addWidget(self.edit_button)
        actions.addStretch(1)
        actions.addWidget(self.archive_button)
        actions.addWidget(self.remove_button)
        card.addSpacing(6)
        card.addLayout(actions)
        self.action_error = error_line("Routine action problem")
        card.addWidget(self.action_error)
        layout.addWidget(self.detail_card)

        steps_title = QHBoxLayout()
        label = QLabel("Steps")
        label.setObjectName("sectionTitle")
        steps_title.addWidget(label)
        self.steps_total = QLabel()
        self.steps_total.setProperty("muted", True)
        steps_title.addWidget(self.steps_total)
        steps_title.addStretch(1)
        layout.addLayout(steps_title)

        self.steps_table = QTableWidget(0, 3)
        self.steps_table.setObjectName("stepsTable")
        self.steps_table.setAccessibleName("Steps of the routine")
        self.steps_table.setHorizontalHeaderLabels(["Step", "Minutes", "Points"])
        self.steps_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.steps_table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.steps_table.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.steps_table.setAlternatingRowColors(True)
        self.steps_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.steps_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.steps_table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        header = self.steps_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(1, 80)
        header.resizeSection(2, 70)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.steps_table.verticalHeader().setDefaultSectionSize(28)
        self.steps_table.verticalHeader().hide()
        for column in (1, 2):
            heading = self.steps_table.horizontalHeaderItem(column)
            if heading is not None:
                heading.setTextAlignment(
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                )
        layout.addWidget(self.steps_table)

        history_title = QLabel("History")
        history_title.setObjectName("sectionTitle")
        layout.addWidget(history_title)
        self.history_box = QVBoxLayout()
        self.history_box.setSpacing(8)
        layout.addLayout(self.history_box)
        layout.addStretch(1)

        self.detail_placeholder = QLabel("Pick a routine on the left to see its steps and history.")
        self.detail_placeholder.setProperty("muted", True)
        self.detail_placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.detail_placeholder.setWordWrap(True)
        layout.insertWidget(0, self.detail_placeholder)
        self._detail_parts: list[QWidget] = [
            self.detail_card,
            label,
            self.steps_total,
            self.steps_table,
            history_title,
        ]
        return detail

    def _build_empty_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        icon = QLabel("☑")
        icon.setObjectName("emptyIcon")
        icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(icon)
        self.empty_title = QLabel()
        self.empty_title.setObjectName("emptyTitle")
        self.empty_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_title.setWordWrap(True)
        self.empty_title.setAccessibleName("No routines")
        layout.addWidget(self.empty_title)
        self.empty_hint = QLabel()
        self.empty_hint.setProperty("muted", True)
        self.empty_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_hint.setWordWrap(True)
        layout.addWidget(self.empty_hint)
        row = QHBoxLayout()
        row.addStretch(1)
        self.empty_button = action_button(
            "+  Add the first routine", "Add the first routine", self.new_routine, primary=True
        )
        row.addWidget(self.empty_button)
        row.addStretch(1)
        layout.addSpacing(8)
        layout.addLayout(row)
        layout.addStretch(2)
        return page

    # --- loading --------------------------------------------------------------------------------

    async def load(self) -> list[RoutineHistoryRead]:
        core, family = self.context.core, self.context.family
        assert core is not None and family is not None
        return await core.routines.list_routines_with_history(self.context.actor, family.id)

    def apply(self, data: Sequence[RoutineHistoryRead]) -> None:
        self.histories = list(data)
        self._by_id = {h.routine.id: h for h in self.histories}
        self._rebuild()

    def show_empty(self) -> None:
        self.histories = []
        self._by_id = {}
        self._rebuild()

    def show_error(self, message: str) -> None:
        super().show_error(message)
        self._show_action_error(message)

    # --- the list -------------------------------------------------------------------------------

    def _visible_histories(self) -> list[RoutineHistoryRead]:
        show_archived = self.show_archived.isChecked()
        return [h for h in self.histories if show_archived or not h.routine.archived]

    def _rebuild(self) -> None:
        self._update_permissions()
        visible_members = self.context.visible_members()
        known_ids = {m.user_id for m in self.context.members}
        histories = self._visible_histories()
        keep = self._selected_id

        self.tree.blockSignals(True)
        self.tree.clear()
        first_routine: QTreeWidgetItem | None = None
        wanted: QTreeWidgetItem | None = None
        acting_first: QTreeWidgetItem | None = None
        shown = 0
        groups: list[tuple[MemberRead | None, list[RoutineHistoryRead]]] = []
        for visible in visible_members:
            mine = [h for h in histories if h.routine.user_id == visible.user_id]
            if mine or visible.role is not Role.VIEWER:
                groups.append((visible, mine))
        if self.context.member_filter is None:
            orphans = [h for h in histories if h.routine.user_id not in known_ids]
            if orphans:
                groups.append((None, orphans))
        for member, mine in groups:
            header = QTreeWidgetItem(self.tree)
            header.setData(0, KIND_ROLE, "member")
            header.setData(0, PAYLOAD_ROLE, member)
            count = _plural(len(mine), "routine")
            header.setText(0, f"{member.full_name if member else 'Former members'}, {count}")
            header.setFlags(Qt.ItemFlag.NoItemFlags)
            if not mine:
                empty = QTreeWidgetItem(self.tree)
                empty.setData(0, KIND_ROLE, "empty")
                empty.setText(0, "No routines yet")
                empty.setFlags(Qt.ItemFlag.NoItemFlags)
            for history in mine:
                routine = history.routine
                item = QTreeWidgetItem(self.tree)
                item.setData(0, KIND_ROLE, "routine")
                item.setData(0, ID_ROLE, routine.id)
                item.setData(0, PAYLOAD_ROLE, (routine, member))
                item.setText(0, self._spoken(routine))
                item.setToolTip(0, f"{routine.name} — {version_text(routine)}")
                shown += 1
                first_routine = first_routine or item
                if routine.id == keep:
                    wanted = item
                acting = self.context.acting
                if (
                    acting_first is None
                    and acting is not None
                    and routine.user_id == acting.user_id
                ):
                    acting_first = item
        current = wanted or acting_first or first_routine
        if current is not None:
            self.tree.setCurrentItem(current)
        self.tree.blockSignals(False)
        self._selected_id = current.data(0, ID_ROLE) if current is not None else None
        self.show_detail(self.selected)
        if shown == 0:
            self._show_empty_state()
        elif self.pages.currentIndex() != RUN_PAGE:
            self.pages.setCurrentIndex(BROWSE_PAGE)

    @staticmethod
    def _spoken(routine: RoutineRead) -> str:
        version = routine.current_version
        archived = ", archived" if routine.archived else ""
        return (
            f"{routine.name}{archived}: {schedule_text(version)}, {size_text(version)}, "
            f"{version_text(routine)}"
        )

    def _show_empty_state(self) -> None:
        if self.pages.currentIndex() == RUN_PAGE:
            return
        self.pages.setCurrentIndex(EMPTY_PAGE)
        filtered = (
            self.context.member(self.context.member_filter) if self.context.member_filter else None
        )
        who = f" for {filtered.full_name}" if filtered else ""
        archived = sum(1 for h in self.histories if h.routine.archived)
        if filtered is not None and filtered.role is Role.VIEWER:
            self.empty_title.setText(f"{filtered.full_name} is a viewer")
            self.empty_hint.setText(
                "Viewers follow along and have no routines of their own; pick another member "
                "in “Show”."
            )
        elif self.context.family is None:
            absence = self.absence()
            self.empty_title.setText(absence.title)
            self.empty_hint.setText(absence.hint[:1].upper() + absence.hint[1:])
        elif self.context.can_edit:
            self.empty_title.setText(f"No routines{who} yet — add the first one")
            self.empty_hint.setText(
                "A routine is a list of steps for one member, on the days you choose: "
                "wake up, brush teeth, get dressed…"
            )
        else:
            self.empty_title.setText(f"No routines{who} yet")
            self.empty_hint.setText("A parent can add routines; they will show here.")
        if archived and not self.show_archived.isChecked():
            self.empty_hint.setText(
                self.empty_hint.text()
                + f"\n{_plural(archived, 'archived routine')} hidden — tick “Show archived”."
            )
        self.empty_button.setVisible(
            self.context.can_edit
            and self.context.family is not None
            and not (filtered is not None and filtered.role is Role.VIEWER)
        )

    def _current_changed(
        self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None
    ) -> None:
        routine_id = current.data(0, ID_ROLE) if current is not None else None
        self._selected_id = routine_id if isinstance(routine_id, UUID) else None
        self._hide_action_error()
        self.show_detail(self._by_id.get(self._selected_id) if self._selected_id else None)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.data(0, KIND_ROLE) != "routine":
            return
        if self.context.can_edit:
            self.edit_selected()
        else:
            self.run_selected()

    # --- detail ---------------------------------------------------------------------------------

    @property
    def selected(self) -> RoutineHistoryRead | None:
        return self._by_id.get(self._selected_id) if self._selected_id else None

    def show_detail(self, history: RoutineHistoryRead | None) -> None:
        for part in self._detail_parts:
            part.setVisible(history is not None)
        self.detail_placeholder.setVisible(history is None)
        self._clear_history()
        if history is None:
            self.steps_table.setRowCount(0)
            self._update_permissions()
            return
        routine = history.routine
        version = routine.current_version
        member = self.context.member(routine.user_id)
        self.detail_avatar.setText((member.avatar_emoji if member else None) or "🙂")
        self.detail_name.setText(routine.name)
        self.archived_tag.setVisible(routine.archived)
        who = member.full_name if member else "a former member"
        colour = member.colour if member else "#8A9099"
        self.detail_schedule.setText(
            f"<span style='color:{colour}; font-weight:600'>●</span> {who} · "
            f"{schedule_text(version)}"
        )
        upcoming = upcoming_text(routine)
        self.detail_version.setText(
            _sentence(version_text(routine)) + (f" · {upcoming}" if upcoming else "")
        )
        self.steps_total.setText(size_text(version))
        self._fill_steps(version)
        for version_read in reversed(history.versions):
            self.history_box.addWidget(self._version_card(routine, version_read))
        self._update_permissions()

    def _fill_steps(self, version: RoutineVersionRead) -> None:
        table = self.steps_table
        table.setRowCount(len(version.steps))
        for row, step in enumerate(version.steps):
            cells = (
                f"{row + 1}.  {step.title}",
                f"{step.duration_minutes} min" if step.duration_minutes else "—",
                str(step.points) if step.points else "—",
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                table.setItem(row, column, item)
        height = table.horizontalHeader().height() + 4
        height += sum(table.rowHeight(r) for r in range(table.rowCount()))
        table.setFixedHeight(max(height, 60))

    def _version_card(self, routine: RoutineRead, version: RoutineVersionRead) -> QWidget:
        card = QFrame()
        card.setProperty("card", True)
        card.setObjectName(f"version-{version.number}")
        layout = QVBoxLayout(card)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(4)
        if version.number == routine.current_version.number:
            state = " · in force"
        elif version.number > routine.current_version.number:
            state = " · upcoming"
        else:
            state = ""
        title = QLabel(
            f"Version {version.number} — since {format_day(version.effective_from)}{state}"
        )
        title.setObjectName("versionTitle")
        layout.addWidget(title)
        if version.note:
            note = QLabel(f"“{version.note}”")
            note.setWordWrap(True)
            note.setStyleSheet("font-style: italic;")
            layout.addWidget(note)
        if version.changes_from_previous:
            lines = version.changes_from_previous
        else:
            lines = [f"First version: {size_text(version)}, {schedule_text(version)}"]
        changes = QLabel("\n".join(f"•  {line}" for line in lines))
        changes.setWordWrap(True)
        changes.setProperty("muted", True)
        changes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        changes.setAccessibleName(f"Changes in version {version.number}")
        layout.addWidget(changes)
        return card

    def _clear_history(self) -> None:
        while self.history_box.count():
            item = self.history_box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()

    def history_texts(self) -> list[str]:
        """Every line of the shown history, newest version first (tests, screen readers)."""
        texts: list[str] = []
        for i in range(self.history_box.count()):
            item = self.history_box.itemAt(i)
            widget = item.widget() if item is not None else None
            if widget is not None:
                texts.extend(label.text() for label in widget.findChildren(QLabel))
        return texts

    # --- permissions ----------------------------------------------------------------------------

    def _update_permissions(self) -> None:
        context = self.context
        can_edit = context.can_edit and context.family is not None
        history = self.selected
        self.new_button.setEnabled(can_edit)
        self.new_button.setToolTip(
            "New routine (Ctrl+N)" if can_edit else "Only an owner or parent can add routines"
        )
        for button in (self.edit_button, self.archive_button, self.remove_button):
            button.setEnabled(can_edit and history is not None)
            if not context.can_edit:
                button.setToolTip("Only an owner or parent can change routines")
        if context.can_edit:
            self.edit_button.setToolTip("Edit steps and schedule (Ctrl+E)")
            self.remove_button.setToolTip("Remove the routine (Delete)")
        archived = history is not None and history.routine.archived
        self.archive_button.setText("Restore" if archived else "Archive")
        self.archive_button.setAccessibleName("Restore routine" if archived else "Archive routine")
        if context.can_edit:
            self.archive_button.setToolTip(
                "Bring the routine back to the daily lists"
                if archived
                else "Hide it from the daily lists; its history stays"
            )
        may_run = (
            history is not None
            and not archived
            and context.acting is not None
            and context.may_check_for(history.routine.user_id)
        ) or (history is not None and not archived and context.acting is None)
        self.run_button.setEnabled(bool(may_run))
        if history is None or may_run:
            self.run_button.setToolTip("One big step at a time, with a timer (Ctrl+R)")
        elif archived:
            self.run_button.setToolTip("Restore the routine to run it")
        elif context.acting is not None and context.acting.role is Role.VIEWER:
            self.run_button.setToolTip("Viewers only read; they cannot run routines")
        else:
            owner = context.member(history.routine.user_id)
            name = owner.full_name if owner else "its member"
            self.run_button.setToolTip(f"Only {name} or a parent can run this routine")
        self.subtitle.setText(self._subtitle())

    def _subtitle(self) -> str:
        acting = self.context.acting
        if acting is not None and acting.role is Role.CHILD:
            return (
                f"Acting as {acting.full_name} (child): you can run your own routines; "
                "only a parent can change them."
            )
        if acting is not None and acting.role is Role.VIEWER:
            return f"Acting as {acting.full_name} (viewer): routines are read-only here."
        return (
            "Step-by-step routines for each member. Every change of steps or schedule is kept "
            "as a new version, so past days keep the steps they had."
        )

    def _actor_changed(self) -> None:
        running = self.run_mode.routine if self.in_run_mode else None
        if running is not None and not self.context.may_check_for(running.user_id):
            self.leave_run_mode()
        self._update_permissions()

    # --- actions --------------------------------------------------------------------------------

    def new_routine(self) -> RoutineEditor | None:
        if not self.context.can_edit or self.context.family is None:
            return None
        member_id = self.context.member_filter
        history = self.selected
        if member_id is None and history is not None:
            member_id = history.routine.user_id
        return self._open_editor(None, member_id)

    def edit_selected(self) -> RoutineEditor | None:
        history = self.selected
        if history is None or not self.context.can_edit:
            return None
        return self._open_editor(history.routine, None)

    def _open_editor(self, routine: RoutineRead | None, member_id: UUID | None) -> RoutineEditor:
        if self.editor is not None:
            self.editor.close()
        editor = RoutineEditor(self.context, routine, self, member_id=member_id)
        editor.saved.connect(self._editor_saved)
        editor.finished.connect(lambda _result, e=editor: self._editor_closed(e))
        self.editor = editor
        editor.open()
        return editor

    def _editor_saved(self, routine: RoutineRead) -> None:
        self._selected_id = routine.id
        self._hide_action_error()

    def _editor_closed(self, editor: RoutineEditor) -> None:
        if self.editor is editor:
            self.editor = None
        editor.deleteLater()

    def toggle_archived(self) -> asyncio.Task[None] | None:
        history, core = self.selected, self.context.core
        if history is None or core is None or not self.context.can_edit:
            return None
        routine = history.routine
        self._hide_action_error()
        return self.context.tasks.write(
            core.routines.archive_routine(
                self.context.actor,
                routine.id,
                not routine.archived,
                expected_version=routine.version,
            ),
            on_error=self._show_action_error,
            origin=self,
        )

    @property
    def confirm_box(self) -> QMessageBox | None:
        """The "Remove …?" box while it is open."""
        return self.removal.box

    def remove_selected(self) -> QMessageBox | None:
        history = self.selected
        if history is None or not self.context.can_edit:
            return None
        routine = history.routine

        def forget_selection() -> None:
            self._hide_action_error()
            if self._selected_id == routine.id:
                self._selected_id = None

        return self.removal.ask(
            title="Remove routine",
            text=f"Remove “{routine.name}”?",
            details="It disappears from every list, together with its runs; points already "
            "earned stay earned. To keep its history, archive it instead.",
            remove=lambda core: core.routines.remove_routine(
                self.context.actor, routine.id, expected_version=routine.version
            ),
            before_write=forget_selection,
            confirm_name="Remove routine",
            icon=QMessageBox.Icon.Warning,
        )

    def run_selected(self) -> asyncio.Task[None] | None:
        history = self.selected
        if history is None or not self.run_button.isEnabled():
            return None
        routine = history.routine
        self.pages.setCurrentIndex(RUN_PAGE)
        self._set_run_chrome(True)
        return self.run_mode.start(routine, self.context.member(routine.user_id))

    def _set_run_chrome(self, running: bool) -> None:
        """Run mode takes the whole screen: no list controls to distract a child."""
        self.header_bar.setVisible(not running)
        self.subtitle.setVisible(not running)

    def leave_run_mode(self) -> None:
        self.run_mode.timer.stop()
        if self.pages.currentIndex() != RUN_PAGE:
            return
        self._set_run_chrome(False)
        self.pages.setCurrentIndex(BROWSE_PAGE)
        self._rebuild()
        self.tree.setFocus()

    @property
    def in_run_mode(self) -> bool:
        return self.pages.currentIndex() == RUN_PAGE

    def _show_action_error(self, message: str) -> None:
        self.action_error.setText(message)
        self.action_error.setVisible(bool(message))

    def _hide_action_error(self) -> None:
        self.action_error.clear()
        self.action_error.hide()


__all__ = ["RoutinesView"]
