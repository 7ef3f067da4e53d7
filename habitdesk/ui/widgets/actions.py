"""What a screen's actions are made of: a named button, a key on the screen, and the line that
says why an action was refused."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QPushButton, QWidget


def action_button(
    text: str,
    name: str,
    slot: Callable[[], object],
    *,
    tip: str = "",
    primary: bool = False,
) -> QPushButton:
    """A button with its accessible name (what screen readers and the tests find it by)."""
    button = QPushButton(text)
    if primary:
        button.setProperty("primary", True)
    button.setAccessibleName(name)
    if tip:
        button.setToolTip(tip)
    button.clicked.connect(slot)
    return button


def screen_key(
    keys: QKeySequence | QKeySequence.StandardKey,
    parent: QWidget,
    slot: Callable[[], object],
    listed_as: str = "",
) -> QShortcut:
    """A key that works anywhere inside `parent`. `listed_as` is what the Settings screen's
    list of shortcuts says it does (it reads every shortcut's whatsThis)."""
    shortcut = QShortcut(keys, parent)
    shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    if listed_as:
        shortcut.setWhatsThis(listed_as)
    shortcut.activated.connect(slot)
    return shortcut


def error_line(name: str, *, selectable: bool = False) -> QLabel:
    """A hidden line in the theme's error colour (`fieldError`), shown next to what failed."""
    label = QLabel()
    label.setProperty("fieldError", True)
    label.setWordWrap(True)
    label.setAccessibleName(name)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


__all__ = ["action_button", "error_line", "screen_key"]
