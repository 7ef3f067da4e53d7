"""The Settings screen: light/dark, where the data lives (and a check that it is reachable),
the app's folders, keyboard shortcuts, and the version.

The theme is a per-computer preference, so anyone at the keyboard may change it, a child too.
The rest is for parents.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

import habitdesk
from habitdesk.core import paths
from habitdesk.core.appcore import ConnectionInfo
from habitdesk.ui.context import AppContext
from habitdesk.ui.qtmodels.members_model import ROLE_LABELS
from habitdesk.ui.theme import THEMES, apply_theme, save_theme, saved_theme
from habitdesk.ui.views.base import View
from habitdesk.ui.views.registry import SCREENS
from habitdesk.ui.widgets.labels import heading, muted_label

THEME_LABELS = {"system": "Follow the system", "light": "Light", "dark": "Dark"}
OK_COLOUR = "#3FA66B"
PROBLEM_COLOUR = "#D64545"

# Keys the Family screen and every dialog share; other screens' shortcuts are collected from
# the window (QShortcut.whatsThis / QAction.text), so the list stays true as screens add keys.
FAMILY_SCREEN = "Family screen"
FAMILY_SHORTCUTS = (
    ("Ctrl+N", "Add a family member"),
    ("Enter", "Edit the selected member"),
    ("Delete", "Remove the selected member"),
    ("Ctrl+S", "Save the family settings"),
)
# Keys the Habits and Routines lists handle themselves (key events, not QShortcuts, so the
# window cannot be asked for them).
LIST_KEYS = {
    "Habits screen": (
        ("Enter", "Edit the selected habit"),
        ("Delete", "Remove the selected habit"),
        ("Ctrl+Up / Ctrl+Down", "Move the selected habit up or down"),
    ),
    "Routines screen": (
        ("Enter", "Edit the selected routine (a child: run it)"),
        ("Delete", "Remove the selected routine"),
    ),
}
# "Add a habit (Habits screen)": what a screen's shortcut says it does, and on which screen.
_SCREEN_SUFFIX = re.compile(r"(.+) \((\w[\w ]* screen)\)")
# Qt's short key names, spelt out as on the keyboard (and as the Family screen's list has them).
_KEY_NAMES = {"Del": "Delete", "Ins": "Insert", "PgUp": "Page Up", "PgDown": "Page Down"}
EVERYWHERE_SHORTCUTS = (
    ("Enter / Esc", "In a dialog: save / close without saving"),
    ("Tab, Shift+Tab", "Move between fields and buttons"),
    ("Space", "Press the focused button, tick the focused box"),
    ("Alt+letter", "Jump to the field whose label has that letter underlined"),
)


def _card(title: str) -> tuple[QFrame, QVBoxLayout]:
    card = QFrame()
    card.setProperty("card", True)
    layout = QVBoxLayout(card)
    layout.setContentsMargins(18, 16, 18, 18)
    layout.setSpacing(10)
    layout.addWidget(heading(title))
    return card, layout


def _value(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def describe_connection(info: ConnectionInfo | None) -> list[tuple[str, str]]:
    """(label, value) lines about where the data lives. Never the password."""
    if info is None:
        return [("Database", "Not connected")]
    if info.kind == "local":
        _, _, path = info.display.partition(":///")
        return [
            ("Database", "A local file on this computer"),
            ("File", path or info.display),
        ]
    parts = urlsplit(info.display)
    host = parts.hostname or "?"
    if parts.port:
        host = f"{host}:{parts.port}"
    lines = [("Database", "Shared PostgreSQL"), ("Host", host)]
    name = parts.path.lstrip("/")
    if name:
        lines.append(("Database name", unquote(name)))
    if parts.username:
        lines.append(("User", unquote(parts.username)))
    lines.append(
        (
            "Pooled",
            "Yes — through a transaction pooler (PgBouncer)"
            if info.pooler
            else "No — a direct connection",
        )
    )
    return lines


class SettingsView(View):
    screen_id = "settings"
    title = "Settings"
    watches = frozenset()  # no family data here: only the acting member matters

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._listening_for_screens = False
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        page = QWidget()
        scroll.setWidget(page)

        root = QVBoxLayout(page)
        root.setContentsMargins(28, 20, 28, 24)
        root.setSpacing(12)
        title = QLabel(self.title)
        title.setObjectName("screenTitle")
        root.addWidget(title)
        root.addWidget(
            muted_label(
                "How HabitDesk looks on this computer, where the family's data lives, and the keys that make it quick."
            )
        )
        self.read_only_note = muted_label()
        self.read_only_note.setAccessibleName("Read-only note")
        self.read_only_note.hide()
        root.addWidget(self.read_only_note)

        columns = QHBoxLayout()
        columns.setSpacing(18)
        left = QVBoxLayout()
        left.setSpacing(18)
        left.addWidget(self._build_appearance())
        left.addWidget(self._build_connection())
        left.addWidget(self._build_files())
        left.addStretch(1)
        right = QVBoxLayout()
        right.setSpacing(18)
        right.addWidget(self._build_shortcuts())
        right.addWidget(self._build_about())
        right.addStretch(1)
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        root.addLayout(columns)
        root.addStretch(1)

        context.actor_changed.connect(self._update_enabled)
        self._fill()

    # --- building -----------------------------------------------------------------------------

    def _build_appearance(self) -> QWidget:
        card, layout = _card("Appearance")
        row = QHBoxLayout()
        row.setSpacing(18)
        self.theme_group = QButtonGroup(self)
        self.theme_buttons: dict[str, QRadioButton] = {}
        current = saved_theme()
        for index, theme in enumerate(THEMES):
            button = QRadioButton(THEME_LABELS[theme])
            button.setAccessibleName(f"Theme: {THEME_LABELS[theme]}")
            button.setChecked(theme == current)
            self.theme_group.addButton(button, index)
            self.theme_buttons[theme] = button
            row.addWidget(button)
        row.addStretch(1)
        self.theme_group.idToggled.connect(self._theme_toggled)
        layout.addLayout(row)
        layout.addWidget(
            muted_label("Applies at once and is remembered on this computer. Anyone may change it.")
        )
        return card

    def _build_connection(self) -> QWidget:
        card, layout = _card("Connection")
        self.connection_grid = QGridLayout()
        self.connection_grid.setHorizontalSpacing(14)
        self.connection_grid.setVerticalSpacing(6)
        self.connection_grid.setColumnStretch(1, 1)
        layout.addLayout(self.connection_grid)
        self._connection_labels: list[QWidget] = []

        row = QHBoxLayout()
        self.check_button = QPushButton("Check connection")
        self.check_button.setAccessibleName("Check connection")
        self.check_button.setToolTip(
            "Check the configuration, the connection, the server, the pooler, the database "
            "version and the pool — like “habitdesk doctor”"
        )
        self.check_button.clicked.connect(self.check_connection)
        row.addWidget(self.check_button)
        self.check_summary = QLabel()
        self.check_summary.setAccessibleName("Connection check result")
        self.check_summary.setWordWrap(True)
        row.addWidget(self.check_summary, 1)
        layout.addLayout(row)

        self.check_results = QFrame()
        self.check_results.setObjectName("checkResults")
        self.results_grid = QGridLayout(self.check_results)
        self.results_grid.setContentsMargins(0, 4, 0, 0)
        self.results_grid.setHorizontalSpacing(10)
        self.results_grid.setVerticalSpacing(6)
        self.results_grid.setColumnStretch(2, 1)
        self.check_results.hide()
        layout.addWidget(self.check_results)
        self.check_lines: list[str] = []
        return card

    def _build_files(self) -> QWidget:
        card, layout = _card("Files")
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(8)
        grid.setColumnStretch(1, 1)
        data_dir = paths.user_data_dir()
        log_file = paths.user_log_dir() / "habitdesk.log"
        self.data_dir_label = _value(str(data_dir))
        self.data_dir_label.setAccessibleName("Data folder")
        self.log_file_label = _value(str(log_file))
        self.log_file_label.setAccessibleName("Log file")
        self.open_data_button = QPushButton("Open")
        self.open_data_button.setAccessibleName("Open the data folder")
        self.open_data_button.clicked.connect(lambda: self._open_folder(data_dir))
        self.open_log_button = QPushButton("Open")
        self.open_log_button.setAccessibleName("Open the log folder")
        self.open_log_button.clicked.connect(lambda: self._open_folder(log_file.parent))
        grid.addWidget(QLabel("Data folder"), 0, 0)
        grid.addWidget(self.data_dir_label, 0, 1)
        grid.addWidget(self.open_data_button, 0, 2)
        grid.addWidget(QLabel("Log file"), 1, 0)
        grid.addWidget(self.log_file_label, 1, 1)
        grid.addWidget(self.open_log_button, 1, 2)
        layout.addLayout(grid)
        return card

    def _build_shortcuts(self) -> QWidget:
        card, layout = _card("Keyboard shortcuts")
        self.shortcuts_grid = QGridLayout()
        self.shortcuts_grid.setHorizontalSpacing(18)
        self.shortcuts_grid.setVerticalSpacing(5)
        self.shortcuts_grid.setColumnStretch(1, 1)
        layout.addLayout(self.shortcuts_grid)
        self._fill_shortcuts()
        return card

    def _build_about(self) -> QWidget:
        card, layout = _card("About")
        self.version_label = _value(f"HabitDesk {habitdesk.__version__}")
        self.version_label.setAccessibleName("Version")
        layout.addWidget(self.version_label)
        layout.addWidget(
            muted_label(
                "Family routines and habits on the desktop, on your own computer or your family's own database."
            )
        )
        return card

    # --- refresh ------------------------------------------------------------------------------

    def refresh(self) -> Any:
        """Nothing to load: what is shown comes from the context and this computer."""
        self.stale = False
        self._fill()
        return None

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fill_shortcuts()
        # Screens made later (in the background after start-up) bring their own keys: list
        # them as they come, or a Settings screen opened at once would miss them.
        made = getattr(self.window(), "screen_made", None)
        if made is not None and not self._listening_for_screens:
            made.connect(self._screen_made)
            self._listening_for_screens = True

    def _screen_made(self, _screen_id: str) -> None:
        if self.isVisible():
            self._fill_shortcuts()

    def _fill(self) -> None:
        core = self.context.core
        self._fill_connection(core.connection if core is not None else None)
        current = saved_theme()
        button = self.theme_buttons[current]
        if not button.isChecked():
            button.setChecked(True)
        self._update_enabled()

    def _fill_connection(self, info: ConnectionInfo | None) -> None:
        for widget in self._connection_labels:
            self.connection_grid.removeWidget(widget)
            widget.deleteLater()
        self._connection_labels = []
        for row, (label, value) in enumerate(describe_connection(info)):
            name = QLabel(label)
            text = _value(value)
            text.setAccessibleName(label)
            self.connection_grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
            self.connection_grid.addWidget(text, row, 1)
            self._connection_labels += [name, text]

    def _fill_shortcuts(self) -> None:
        while self.shortcuts_grid.count():
            item = self.shortcuts_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        screens = [(f"Ctrl+{n}", f"Go to {info.title}") for n, info in enumerate(SCREENS, start=1)]
        # One section per screen, in the navigation's order, from the "(Habits screen)" each
        # shortcut's description ends with.
        by_screen: dict[str, list[tuple[str, str]]] = {f"{i.title} screen": [] for i in SCREENS}
        by_screen[FAMILY_SCREEN] = list(FAMILY_SHORTCUTS)
        for screen, handled in LIST_KEYS.items():
            by_screen[screen] = list(handled)
        others: list[tuple[str, str]] = []
        for keys, action in self._window_shortcuts():
            match = _SCREEN_SUFFIX.fullmatch(action)
            rows = by_screen.get(match.group(2)) if match else None
            if rows is None or match is None:
                others.append((keys, action))
            elif (keys, match.group(1)) not in rows:
                rows.append((keys, match.group(1)))
        sections = [
            ("Screens", screens),
            *by_screen.items(),
            ("Other", others),
            ("Everywhere", list(EVERYWHERE_SHORTCUTS)),
        ]
        self.shortcut_rows = [row for _title, rows in sections for row in rows]
        line = 0
        for title, rows in sections:
            if not rows:
                continue
            section = QLabel(title)
            section.setStyleSheet("font-weight: 600;")
            section.setContentsMargins(0, 6 if line else 0, 0, 0)
            self.shortcuts_grid.addWidget(section, line, 0, 1, 2)
            line += 1
            for keys, action in rows:
                key_label = muted_label(keys)
                key_label.setWordWrap(False)
                key_label.setStyleSheet("font-family: monospace; font-weight: 600;")
                self.shortcuts_grid.addWidget(key_label, line, 0, Qt.AlignmentFlag.AlignTop)
                self.shortcuts_grid.addWidget(_value(action), line, 1)
                line += 1

    def _window_shortcuts(self) -> list[tuple[str, str]]:
        window = self.window()
        if window is self:
            return []
        found: list[tuple[str, str]] = []
        for shortcut in window.findChildren(QShortcut):
            keys = _KEY_NAMES.get(shortcut.key().toString(), shortcut.key().toString())
            if keys and shortcut.whatsThis():
                found.append((keys, shortcut.whatsThis()))
        for action in window.findChildren(QAction):
            keys = action.shortcut().toString()
            if keys and action.text():
                found.append((keys, action.text().replace("&", "")))
        return sorted(set(found))

    # --- actions ------------------------------------------------------------------------------

    def _theme_toggled(self, index: int, checked: bool) -> None:
        if not checked:
            return
        theme = THEMES[index]
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)
        save_theme(theme)

    def check_connection(self) -> Any:
        """Run the doctor's checks; returns the task (tests await it)."""
        if not self._may_administer():
            return None
        from habitdesk.core.doctor import run_doctor

        self.check_button.setEnabled(False)
        self.check_summary.setStyleSheet("")
        self.check_summary.setText("Checking…")
        return self.context.tasks.read(
            run_doctor(self.context.settings),
            self._show_report,
            on_error=self._check_failed,
            origin=self,
        )

    def _show_report(self, report: Any) -> None:
        self._clear_results()
        lines: list[str] = []
        for row, check in enumerate(report.checks):
            mark = QLabel("✓" if check.ok else "✕")
            mark.setStyleSheet(
                f"color: {OK_COLOUR if check.ok else PROBLEM_COLOUR}; font-weight: 700;"
            )
            mark.setAccessibleName("ok" if check.ok else "problem")
            name = QLabel(check.name)
            name.setStyleSheet("font-weight: 600;")
            detail = (
                check.detail if check.ok or not check.fix else f"{check.detail}\nFix: {check.fix}"
            )
            text = _value(detail)
            text.setAccessibleName(f"{check.name} check")
            self.results_grid.addWidget(mark, row, 0, Qt.AlignmentFlag.AlignTop)
            self.results_grid.addWidget(name, row, 1, Qt.AlignmentFlag.AlignTop)
            self.results_grid.addWidget(text, row, 2)
            status = "ok" if check.ok else "problem"
            line = f"{check.name}: {status} — {check.detail}"
            if check.fix:
                line += f" Fix: {check.fix}"
            lines.append(line)
        self.check_lines = lines
        self.check_results.show()
        problems = sum(not c.ok for c in report.checks)
        if problems == 0:
            self.check_summary.setText(f"Healthy — all {len(report.checks)} checks passed.")
            self.check_summary.setStyleSheet(f"color: {OK_COLOUR}; font-weight: 600;")
        else:
            word = "problem" if problems == 1 else "problems"
            self.check_summary.setText(f"{problems} {word} found — see what to do below.")
            self.check_summary.setStyleSheet(f"color: {PROBLEM_COLOUR}; font-weight: 600;")
        self._update_enabled()

    def _check_failed(self, message: str) -> None:
        self._clear_results()
        self.check_lines = [f"Check: problem — {message}"]
        self.check_summary.setText(message)
        self.check_summary.setStyleSheet(f"color: {PROBLEM_COLOUR}; font-weight: 600;")
        self._update_enabled()

    def _clear_results(self) -> None:
        while self.results_grid.count():
            item = self.results_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.check_results.hide()

    def _open_folder(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # --- who may do what ----------------------------------------------------------------------

    def _may_administer(self) -> bool:
        return self.context.can_edit

    def _update_enabled(self) -> None:
        may = self._may_administer()
        for button in (self.check_button, self.open_data_button, self.open_log_button):
            button.setEnabled(may)
        acting = self.context.acting
        if not may and acting is not None:
            self.read_only_note.setText(
                f"🔒  You are acting as {acting.full_name} ({ROLE_LABELS[acting.role].lower()}):"
                " you can change how HabitDesk looks; the rest is for parents."
            )
            self.read_only_note.show()
        else:
            self.read_only_note.hide()
