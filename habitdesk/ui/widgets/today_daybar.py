"""`DayBar`: which day the Today screen shows — ‹ previous, the date with a Today/Yesterday tag,
next ›, and a button back to today."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QToolButton, QWidget


def day_title(day: date, today: date) -> str:
    """ "Thursday 26 November" (with the year when it is not this year's)."""
    text = f"{day:%A} {day.day} {day:%B}"
    return text if day.year == today.year else f"{text} {day.year}"


def day_tag(day: date, today: date) -> str:
    """Today, Yesterday, "3 days ago" … (empty far back, where the date says enough)."""
    delta = (today - day).days
    if delta == 0:
        return "Today"
    if delta == 1:
        return "Yesterday"
    if 1 < delta < 7:
        return f"{delta} days ago"
    return ""


_STYLE = """
#dayTitle { font-size: 14pt; font-weight: 600; }
#dayTag { border-radius: 9px; padding: 2px 10px; font-weight: 600; font-size: 9pt;
          background: palette(mid); }
#dayTag[today="true"] { background: #3D7BE0; color: white; }
#dayPrevious, #dayNext { font-size: 16pt; font-weight: 600; min-width: 30px; min-height: 30px;
                         border-radius: 6px; }
"""


class DayBar(QWidget):
    previous_requested = Signal()
    next_requested = Signal()
    today_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dayBar")
        self.setStyleSheet(_STYLE)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)

        self.previous_button = QToolButton()
        self.previous_button.setObjectName("dayPrevious")
        self.previous_button.setText("‹")
        self.previous_button.setAccessibleName("Previous day")
        self.previous_button.setToolTip("Previous day (Alt+Left)")
        self.previous_button.clicked.connect(self.previous_requested)

        self.title = QLabel()
        self.title.setObjectName("dayTitle")
        self.title.setAccessibleName("Day shown")
        self.title.setMinimumWidth(230)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.tag = QLabel()
        self.tag.setObjectName("dayTag")
        self.tag.setAccessibleName("Day tag")

        self.next_button = QToolButton()
        self.next_button.setObjectName("dayNext")
        self.next_button.setText("›")
        self.next_button.setAccessibleName("Next day")
        self.next_button.setToolTip("Next day (Alt+Right)")
        self.next_button.clicked.connect(self.next_requested)

        self.today_button = QPushButton("Today")
        self.today_button.setObjectName("dayToday")
        self.today_button.setAccessibleName("Go to today")
        self.today_button.setToolTip("Back to today (Ctrl+T); yesterday is Ctrl+Y")
        self.today_button.clicked.connect(self.today_requested)

        layout.addWidget(self.today_button)
        layout.addSpacing(6)
        layout.addWidget(self.previous_button)
        layout.addWidget(self.title)
        layout.addWidget(self.next_button)
        layout.addSpacing(4)
        layout.addWidget(self.tag)

    def set_day(self, day: date, today: date) -> None:
        self.title.setText(day_title(day, today))
        tag = day_tag(day, today)
        self.tag.setText(tag)
        self.tag.setVisible(bool(tag))
        self.tag.setProperty("today", day == today)
        self.tag.style().unpolish(self.tag)
        self.tag.style().polish(self.tag)
        self.next_button.setEnabled(day < today)
        # On today the tag says so; elsewhere the button brings you back.
        self.today_button.setVisible(day != today)
        self.setAccessibleDescription(f"{day_title(day, today)} {tag}".strip())
