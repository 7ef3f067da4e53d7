"""The main window: navigation, header (family, member filter, acting member, connection state),
message bar, and the stacked screens."""

from __future__ import annotations

import importlib
import importlib.util
import re
import sys
from collections.abc import Callable
from functools import partial
from uuid import UUID

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from habitdesk.ui.context import AppContext
from habitdesk.ui.views.base import View
from habitdesk.ui.views.registry import SCREEN_IDS, SCREENS
from habitdesk.ui.widgets.message_bar import Action, MessageBar

_GEOMETRY = "window/geometry"
# How long after start-up the other screens begin to be made in the background.
PREPARE_AFTER_MS = 250
_LAST_SCREEN = "window/lastScreen"


def _ui_imports_of(module: str) -> list[str]:
    """The `habitdesk.ui` modules that `module` imports at its top, not imported yet (read
    from its source; none when the source is not at hand, as in a bundle)."""
    if module in sys.modules:
        return []
    spec = importlib.util.find_spec(module)
    loader = spec.loader if spec is not None else None
    get_source = getattr(loader, "get_source", None)
    source = get_source(module) if get_source is not None else None
    if not source:
        return []
    found = re.findall(r"^from (habitdesk\.ui\.[\w.]+) import", source, re.MULTILINE)
    return [name for name in dict.fromkeys(found) if name not in sys.modules]


class MainWindow(QMainWindow):
    close_requested = Signal()
    screen_changed = Signal(str)
    # A screen was made (on first visit or in the background): its keyboard shortcuts exist now.
    screen_made = Signal(str)

    def __init__(self, context: AppContext) -> None:
        super().__init__()
        self.context = context
        self.setWindowTitle("HabitDesk")
        self.setMinimumSize(960, 620)
        self.views: dict[str, View] = {}
        # Every screen made (see `prepare_screens`).
        self.prepared = False
        self._closing_allowed = False

        central = QWidget()
        root = QHBoxLayout(central)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName("Screens")
        self.navigation.setFixedWidth(184)
        self.navigation.setFrameShape(QFrame.Shape.NoFrame)
        for number, info in enumerate(SCREENS, start=1):
            item = QListWidgetItem(f"{info.icon}   {info.title}")
            item.setData(Qt.ItemDataRole.UserRole, info.screen_id)
            item.setToolTip(f"{info.title} (Ctrl+{number})")
            self.navigation.addItem(item)
        root.addWidget(self.navigation)

        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        right.addWidget(self._build_header())
        self.message_bar = MessageBar()
        bar_holder = QHBoxLayout()
        bar_holder.setContentsMargins(16, 8, 16, 0)
        bar_holder.addWidget(self.message_bar)
        right.addLayout(bar_holder)
        # Screens are built when first shown: start-up pays only for the first one.
        self.stack = QStackedWidget()
        right.addWidget(self.stack, 1)
        root.addLayout(right, 1)
        self.setCentralWidget(central)

        self.navigation.currentRowChanged.connect(self._show_row)
        for number, info in enumerate(SCREENS, start=1):
            shortcut = QShortcut(QKeySequence(f"Ctrl+{number}"), self)
            shortcut.activated.connect(lambda sid=info.screen_id: self.show_screen(sid))

        context.tasks.failed.connect(
            lambda message, _origin: self.show_message(message, error=True)
        )
        context.tasks.connection_lost.connect(self._went_offline)
        context.tasks.connection_ok.connect(self._came_online)
        context.tasks.busy_changed.connect(self._busy)
        context.family_changed.connect(self._family_changed)
        context.members_changed.connect(self._members_changed)
        context.actor_changed.connect(self._members_changed)

    # --- header ---------------------------------------------------------------------------------

    def _build_header(self) -> QWidget:
        header = QFrame()
        header.setObjectName("header")
        layout = QHBoxLayout(header)
        layout.setContentsMargins(16, 10, 16, 10)
        self.family_label = QLabel("HabitDesk")
        self.family_label.setObjectName("familyName")
        self.family_label.setAccessibleName("Family name")
        layout.addWidget(self.family_label)
        layout.addStretch(1)

        layout.addWidget(QLabel("Show:"))
        self.member_filter = QComboBox()
        self.member_filter.setAccessibleName("Member filter")
        self.member_filter.setMinimumWidth(150)
        self.member_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.member_filter.currentIndexChanged.connect(self._filter_picked)
        layout.addWidget(self.member_filter)

        acting_label = QLabel("Acting as:")
        layout.addSpacing(12)
        layout.addWidget(acting_label)
        self.acting = QComboBox()
        self.acting.setAccessibleName("Acting as")
        self.acting.setToolTip("Who is using HabitDesk now: a parent, or a child in child view")
        self.acting.setMinimumWidth(230)
        self.acting.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.acting.currentIndexChanged.connect(self._acting_picked)
        layout.addWidget(self.acting)

        layout.addSpacing(12)
        self.busy_label = QLabel("")
        self.busy_label.setAccessibleName("Busy")
        self.busy_label.setFixedWidth(18)
        layout.addWidget(self.busy_label)
        self.connection_label = QLabel("")
        self.connection_label.setAccessibleName("Connection state")
        layout.addWidget(self.connection_label)
        return header

    def set_connection_state(self, state: str, detail: str = "") -> None:
        """state: local, online or offline."""
        text = {"local": "● Local file", "online": "● Online", "offline": "● Offline"}[state]
        colour = {"local": "#3FA66B", "online": "#3FA66B", "offline": "#D08A00"}[state]
        self.connection_label.setText(text)
        self.connection_label.setStyleSheet(f"color: {colour}; font-weight: 600;")
        self.connection_label.setToolTip(detail)
        self.connection_label.setProperty("state", state)

    def _family_changed(self) -> None:
        family = self.context.family
        self.family_label.setText(family.name if family else "HabitDesk")
        self.setWindowTitle(f"{family.name} — HabitDesk" if family else "HabitDesk")

    def _members_changed(self) -> None:
        members = self.context.members
        for combo in (self.member_filter, self.acting):
            combo.blockSignals(True)
            combo.clear()
        self.member_filter.addItem("Everyone", None)
        for m in members:
            label = f"{m.avatar_emoji} {m.full_name}" if m.avatar_emoji else m.full_name
            self.member_filter.addItem(label, m.user_id)
            self.acting.addItem(f"{label} ({m.role.value})", m.user_id)
        self.member_filter.setCurrentIndex(
            max(0, self.member_filter.findData(self.context.member_filter))
        )
        if self.context.acting is not None:
            self.acting.setCurrentIndex(max(0, self.acting.findData(self.context.acting.user_id)))
        for combo in (self.member_filter, self.acting):
            combo.blockSignals(False)

    def _filter_picked(self, index: int) -> None:
        value = self.member_filter.itemData(index)
        self.context.set_member_filter(value if isinstance(value, UUID) else None)

    def _acting_picked(self, index: int) -> None:
        value = self.acting.itemData(index)
        if isinstance(value, UUID):
            self.context.set_acting(value)

    # --- screens --------------------------------------------------------------------------------

    @property
    def current_screen(self) -> str:
        return SCREEN_IDS[max(0, self.navigation.currentRow())]

    def view(self, screen_id: str) -> View:
        """The screen's view, built on first use."""
        view = self.views.get(screen_id)
        if view is None:
            # Made inside the stack: moving a finished screen into it cost ≈7 ms more.
            view = SCREENS[SCREEN_IDS.index(screen_id)].create(self.context, self.stack)
            self.views[screen_id] = view
            self.stack.addWidget(view)
            self.screen_made.emit(screen_id)
        return view

    def prepare_screens(self) -> None:
        """Make the screens not shown yet in the background, one step per turn of the event
        loop: a first visit then costs what any later one does.

        Importing a screen's module and making its widgets took up to ≈75 ms on first visit
        (the Habits screen), all of it in one turn; here each step is one module (the screen's
        own widgets and dialogs first) or one screen, and none loads data (hidden screens load
        when shown).
        """
        steps: list[Callable[[], object]] = []
        core = self.context.core
        if core is not None:
            # The core makes its services on first use; the screens' first loads find them.
            steps.extend(partial(getattr, core, name) for name in core.SERVICES)
        for info in SCREENS:
            if info.screen_id not in self.views:
                for module in (*_ui_imports_of(info.module), info.module):
                    steps.append(partial(importlib.import_module, module))
                steps.append(partial(self.view, info.screen_id))
        # Not at once: the first screen has just been painted, and a first click is likelier
        # in the next moments than a screen switch.
        self._prepare_next(steps, PREPARE_AFTER_MS)

    def _prepare_next(self, steps: list[Callable[[], object]], delay_ms: int = 0) -> None:
        if not steps or not self._may_prepare():
            self.prepared = not steps
            return
        step = steps.pop(0)

        def run() -> None:
            if self._may_prepare():
                step()
                self._prepare_next(steps)

        QTimer.singleShot(delay_ms, self, run)

    def _may_prepare(self) -> bool:
        """Only for a window on screen and not closing (a hidden one may never be shown)."""
        return self.isVisible() and not self._closing_allowed

    def show_screen(self, screen_id: str) -> None:
        self.navigation.setCurrentRow(SCREEN_IDS.index(screen_id))

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        screen_id = SCREEN_IDS[row]
        self.stack.setCurrentWidget(self.view(screen_id))
        QSettings().setValue(_LAST_SCREEN, screen_id)
        self.screen_changed.emit(screen_id)

    def restore_state(self) -> None:
        geometry = QSettings().value(_GEOMETRY)
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1180, 760)
        last = QSettings().value(_LAST_SCREEN, "today")
        self.show_screen(last if last in SCREEN_IDS else "today")

    # --- messages and state -------------------------------------------------------------------

    def show_message(
        self,
        text: str,
        *,
        error: bool = False,
        timeout_ms: int = 0,
        action: Action | None = None,
    ) -> None:
        self.message_bar.show_message(text, "error" if error else "info", timeout_ms, action)

    def _went_offline(self, message: str) -> None:
        self.set_connection_state("offline", message)
        self.message_bar.show_message(f"Offline: {message}", "offline")

    def _came_online(self) -> None:
        if self.connection_label.property("state") == "offline":
            self.set_connection_state("online")
            if self.message_bar.kind == "offline":
                self.message_bar.hide()

    def _busy(self, busy: bool) -> None:
        self.busy_label.setText("⏳" if busy else "")

    # --- closing --------------------------------------------------------------------------------

    def allow_close(self) -> None:
        self._closing_allowed = True

    def closeEvent(self, event: QCloseEvent) -> None:
        QSettings().setValue(_GEOMETRY, self.saveGeometry())
        if self._closing_allowed:
            event.accept()
            return
        # Shut down in order (pending writes, engine) first; the shell closes us afterwards.
        event.ignore()
        self.close_requested.emit()
