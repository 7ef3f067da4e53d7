"""An avatar emoji: a grid of family-friendly choices, or anything typed in the box."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from habitdesk.ui.widgets.colour_button import ArrowKeyGrid

FAMILY_EMOJI: tuple[tuple[str, str], ...] = (
    ("🦄", "unicorn"),
    ("🐻", "bear"),
    ("🐼", "panda"),
    ("🦊", "fox"),
    ("🐯", "tiger"),
    ("🦁", "lion"),
    ("🐸", "frog"),
    ("🐢", "turtle"),
    ("🐙", "octopus"),
    ("🐬", "dolphin"),
    ("🦋", "butterfly"),
    ("🐝", "bee"),
    ("🐧", "penguin"),
    ("🐰", "rabbit"),
    ("🐱", "cat"),
    ("🐶", "dog"),
    ("🦉", "owl"),
    ("🐨", "koala"),
    ("🌟", "star"),
    ("🌈", "rainbow"),
    ("🌻", "sunflower"),
    ("🍀", "clover"),
    ("🍓", "strawberry"),
    ("🍉", "watermelon"),
    ("⚽", "football"),
    ("🎸", "guitar"),
    ("🚀", "rocket"),
    ("🎨", "palette"),
    ("📚", "books"),
    ("🧩", "puzzle"),
    ("👩", "woman"),
    ("👨", "man"),
    ("👧", "girl"),
    ("👦", "boy"),
    ("👵", "grandmother"),
    ("👴", "grandfather"),
)
_COLUMNS = 12
MAX_LENGTH = 16  # the core stores at most 16 characters


class EmojiPicker(QWidget):
    emoji_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Avatar emoji")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(6)

        row = QHBoxLayout()
        self.edit = QLineEdit()
        self.edit.setAccessibleName("Avatar emoji")
        self.edit.setPlaceholderText("Type one, or pick below")
        self.edit.setMaxLength(MAX_LENGTH)
        self.edit.setClearButtonEnabled(True)
        self.edit.setMinimumWidth(200)
        self.edit.setMaximumWidth(240)
        self.edit.textChanged.connect(self._typed)
        row.addWidget(self.edit)
        hint = QLabel("optional")
        hint.setProperty("muted", True)
        row.addWidget(hint)
        row.addStretch(1)
        outer.addLayout(row)

        grid = QGridLayout()
        grid.setSpacing(2)
        self._group = QButtonGroup(self)
        self._group.setExclusive(False)
        self.buttons: dict[str, QToolButton] = {}
        for index, (emoji, name) in enumerate(FAMILY_EMOJI):
            button = QToolButton()
            button.setText(emoji)
            # A style sheet, not setFont: the theme's `QWidget { font-size }` rule wins over it.
            button.setStyleSheet("font-size: 15pt;")
            button.setCheckable(True)
            button.setAutoRaise(True)
            button.setFixedSize(34, 32)
            button.setAccessibleName(f"Emoji {name}")
            button.setToolTip(name)
            button.clicked.connect(lambda _=False, e=emoji: self.set_emoji(e))
            self._group.addButton(button)
            self.buttons[emoji] = button
            grid.addWidget(button, index // _COLUMNS, index % _COLUMNS)
        outer.addLayout(grid)
        self.keys = ArrowKeyGrid(list(self.buttons.values()), _COLUMNS, self)

    def emoji(self) -> str:
        return self.edit.text().strip()

    def set_emoji(self, emoji: str | None) -> None:
        self.edit.setText(emoji or "")

    def _typed(self, text: str) -> None:
        value = text.strip()
        for index, (emoji, button) in enumerate(self.buttons.items()):
            button.setChecked(emoji == value)
            if emoji == value:
                self.keys.set_current(index)
        self.emoji_changed.emit(value)
