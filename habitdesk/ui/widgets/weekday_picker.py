"""`WeekdayPicker`: a row of seven toggles (Mon … Sun) with quick choices, for routines and habits.

Values are the core's weekday names ("mon" … "sun"), whatever order the row shows them in: a
family whose week starts on Sunday sees Sun first, the data stays the same.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from habitdesk.core.domain.weekdays import WEEKDAY_NAMES
from habitdesk.core.enums import WeekStart
from habitdesk.ui.theme import ACCENT

SHORT = {
    "mon": "Mon",
    "tue": "Tue",
    "wed": "Wed",
    "thu": "Thu",
    "fri": "Fri",
    "sat": "Sat",
    "sun": "Sun",
}
LONG = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
PRESETS = (
    ("Every day", WEEKDAY_NAMES),
    ("Weekdays", WEEKDAY_NAMES[:5]),
    ("Weekend", WEEKDAY_NAMES[5:]),
)

_STYLE = f"""
QPushButton[weekday="true"] {{
    padding: 0px; border-radius: 16px;
    border: 1px solid palette(mid); background: palette(base); color: palette(text);
}}
QPushButton[weekday="true"]:checked {{
    background: {ACCENT}; border-color: {ACCENT}; color: white; font-weight: 600;
}}
QPushButton[weekday="true"]:focus {{ border: 2px solid {ACCENT}; }}
QPushButton[weekday="true"]:checked:focus {{ border: 2px solid palette(text); }}
QPushButton[weekday="true"]:disabled {{ color: palette(mid); }}
QPushButton[preset="true"] {{
    border: none; background: transparent; color: palette(link); padding: 2px 4px;
    text-decoration: underline;
}}
QPushButton[preset="true"]:focus {{ border: 1px dotted palette(link); }}
QPushButton[preset="true"]:disabled {{ color: palette(mid); }}
"""


class WeekdayPicker(QWidget):
    """Seven toggles; `changed` fires with the chosen names whenever one is toggled."""

    changed = Signal(list)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        week_start: WeekStart = WeekStart.MONDAY,
        presets: bool = True,
    ) -> None:
        super().__init__(parent)
        self.setAccessibleName("Weekdays")
        self.setStyleSheet(_STYLE)
        self.buttons: dict[str, QPushButton] = {}
        for name in WEEKDAY_NAMES:
            button = QPushButton(SHORT[name])
            button.setCheckable(True)
            button.setProperty("weekday", True)
            button.setAccessibleName(LONG[name])
            button.setToolTip(LONG[name])
            button.setObjectName(f"weekday-{name}")
            button.setFixedSize(44, 32)
            button.toggled.connect(self._toggled)
            button.installEventFilter(self)
            self.buttons[name] = button

        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(4)
        self._row = QHBoxLayout()
        self._row.setSpacing(6)
        outer.addLayout(self._row)
        self._week_start = week_start
        self._lay_out_days()

        self.preset_buttons: dict[str, QPushButton] = {}
        if presets:
            row = QHBoxLayout()
            row.setSpacing(8)
            for label, names in PRESETS:
                button = QPushButton(label)
                button.setProperty("preset", True)
                button.setCursor(Qt.CursorShape.PointingHandCursor)
                button.setAccessibleName(f"Choose {label.lower()}")
                button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
                button.clicked.connect(lambda _=False, names=names: self.set_weekdays(names))
                self.preset_buttons[label] = button
                row.addWidget(button)
            row.addStretch(1)
            outer.addLayout(row)

    # --- value ----------------------------------------------------------------------------------

    def weekdays(self) -> list[str]:
        """The chosen days in Monday-first order (the core's order)."""
        return [name for name in WEEKDAY_NAMES if self.buttons[name].isChecked()]

    def set_weekdays(self, names: Iterable[str]) -> None:
        wanted = {n.strip().lower()[:3] for n in names}
        before = self.weekdays()
        for name, button in self.buttons.items():
            button.blockSignals(True)
            button.setChecked(name in wanted)
            button.blockSignals(False)
        if self.weekdays() != before:
            self.changed.emit(self.weekdays())

    def set_week_start(self, week_start: WeekStart) -> None:
        if week_start != self._week_start:
            self._week_start = week_start
            self._lay_out_days()

    def ordered_names(self) -> list[str]:
        """The days in the order shown (Sunday first for a Sunday-start family)."""
        if self._week_start is WeekStart.SUNDAY:
            return ["sun", *WEEKDAY_NAMES[:6]]
        return list(WEEKDAY_NAMES)

    # --- internals ------------------------------------------------------------------------------

    def _lay_out_days(self) -> None:
        while self._row.count():
            self._row.takeAt(0)
        previous: QWidget | None = None
        for name in self.ordered_names():
            self._row.addWidget(self.buttons[name])
            if previous is not None:
                QWidget.setTabOrder(previous, self.buttons[name])
            previous = self.buttons[name]
        self._row.addStretch(1)

    def _toggled(self, _checked: bool) -> None:
        self.changed.emit(self.weekdays())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Left/Right move between the days (round the week), as in any row of toggles; the
        buttons would otherwise move on to whatever widget comes next."""
        order = [self.buttons[n] for n in self.ordered_names()]
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and watched in order
            and event.key() in (Qt.Key.Key_Left, Qt.Key.Key_Right)
            and not event.modifiers()
        ):
            step = -1 if event.key() == Qt.Key.Key_Left else 1
            index = order.index(watched)
            order[(index + step) % len(order)].setFocus(Qt.FocusReason.TabFocusReason)
            return True
        return super().eventFilter(watched, event)
