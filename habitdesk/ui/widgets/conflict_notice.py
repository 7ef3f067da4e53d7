"""`ConflictNotice`: "Someone else changed … while you were editing it." with a Reload button.

Shown where a save met a newer version of what was being edited (a ConflictError, see
`ui.tasks.or_conflict`): reloading brings the other person's change in instead of overwriting
it. Hidden until `show_message`.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget


class ConflictNotice(QFrame):
    reload_requested = Signal()

    def __init__(
        self, reload_name: str, parent: QWidget | None = None, *, card: bool = False
    ) -> None:
        super().__init__(parent)
        if card:
            self.setProperty("card", True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(*((10, 6, 6, 6) if card else (0, 0, 0, 0)))
        self.text = QLabel()
        self.text.setProperty("fieldError", True)
        self.text.setWordWrap(True)
        self.text.setAccessibleName("Conflict")
        self.reload_button = QPushButton("Reload")
        self.reload_button.setAccessibleName(reload_name)
        self.reload_button.setAutoDefault(False)
        self.reload_button.clicked.connect(self.reload_requested)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.reload_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_message(self, message: str) -> None:
        self.text.setText(message)
        self.show()
        self.reload_button.setFocus()
