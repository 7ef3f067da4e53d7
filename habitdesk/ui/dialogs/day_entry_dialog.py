"""Change one day of a habit from its calendar: done, missed, skipped or nothing recorded (an
amount for a numeric habit), and the day's note.

The day is judged by the rules in force on it (a habit that became numeric asks for an amount
only from then on). The dialog writes through the task bridge with HabitService's own write
methods (`set_entry`, `clear_entry`), so the screens refresh on `changes_applied` as after any
other check-in. Who may change what is the service's rule, said up front here too: a child
changes only their own days and a viewer none; days after today, or before the habit's history
begins, are refused with the reason and nothing to press but Close. Opened with `open()`.
"""

from __future__ import annotations

import asyncio
import html
from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from habitdesk.core.domain.habit_rules import version_for_day
from habitdesk.core.domain.history_days import DayStatus
from habitdesk.core.enums import Direction, HabitKind, Role
from habitdesk.core.schemas.habit_insights import HabitDetailRead
from habitdesk.core.schemas.habits import NOTE_MAX
from habitdesk.ui.context import AppContext
from habitdesk.ui.qtmodels.habits_model import day_text, rules_summary
from habitdesk.ui.widgets.day_strip import format_value

# The choices, in the order shown; "none" clears what was recorded.
DONE, MISSED, SKIPPED, NONE = "done", "missed", "skipped", "none"
_LABELS = {
    DONE: "✓  Done",
    MISSED: "✗  Not done",
    SKIPPED: "↷  Skipped — does not count either way",
    NONE: "Nothing recorded",
}
_AMOUNT_MAX = 1e9


def refusal(detail: HabitDetailRead, day: date) -> str | None:
    """Why `day` cannot be changed at all (None when it can, permissions aside)."""
    if day > detail.today:
        return (
            f"{day_text(day)} is still to come: days can be recorded up to today "
            f"({day_text(detail.today)})."
        )
    if day < detail.first_day:
        return (
            f"Nothing to record before {day_text(detail.first_day)}: that is the first day "
            f"of “{detail.name}”."
        )
    return None


def not_allowed(context: AppContext, detail: HabitDetailRead) -> str | None:
    """Why the acting member may not change this habit's days (None when they may)."""
    acting = context.acting
    if acting is None or context.may_check_for(detail.user_id):
        return None
    if acting.role is Role.VIEWER:
        return f"You are acting as {acting.full_name}, a viewer: viewers only read."
    return f"You are acting as {acting.full_name}: a child changes only their own days."


class AmountBox(QDoubleSpinBox):
    """An amount without trailing zeros: "10,416 steps", "7.5 h" (two decimals at most)."""

    def textFromValue(self, value: float) -> str:
        locale = self.locale()
        text = locale.toString(value, "f", self.decimals())
        if not self.isGroupSeparatorShown():
            text = text.replace(locale.groupSeparator(), "")
        point = locale.decimalPoint()
        if point in text:
            text = text.rstrip("0").rstrip(point)
        return text


class DayEntryDialog(QDialog):
    # The day, once the change is stored (the screen refreshes through changes_applied).
    saved = Signal(object)

    def __init__(
        self,
        context: AppContext,
        detail: HabitDetailRead,
        day: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.detail = detail
        self.day = day
        self.task: asyncio.Task[None] | None = None
        self.setObjectName("dayEntryDialog")
        self.setWindowTitle(f"{detail.name} — {day:%a} {day_text(day)}")
        self.setAccessibleName("Change a day")
        self.setModal(True)
        self.setMinimumWidth(440)

        i = detail.index(day)
        inside = 0 <= i < len(detail)
        self.status = detail.statuses[i] if inside else DayStatus.NONE
        self.value = detail.values[i] if inside else None
        self.note_text = (detail.notes[i] if inside else None) or ""
        rules = version_for_day(detail.versions, day)
        self.numeric = rules.kind is HabitKind.NUMERIC
        self.unit = rules.unit

        root = QVBoxLayout(self)
        root.setContentsMargins(22, 20, 22, 16)
        root.setSpacing(10)
        heading = QLabel(f"{day:%A} {day_text(day)}")
        heading.setObjectName("screenTitle")
        heading.setAccessibleName("Day")
        root.addWidget(heading)
        about = QLabel(f"<b>{html.escape(detail.name)}</b> · {html.escape(rules_summary(rules))}")
        about.setAccessibleName("Habit and its rules that day")
        about.setWordWrap(True)
        root.addWidget(about)
        self.recorded = QLabel(self._recorded_text())
        self.recorded.setProperty("muted", True)
        self.recorded.setAccessibleName("Recorded now")
        root.addWidget(self.recorded)

        self.reason = QLabel()
        self.reason.setObjectName("dayEntryReason")
        self.reason.setProperty("fieldError", True)
        self.reason.setWordWrap(True)
        self.reason.setAccessibleName("Why the day cannot be changed")
        self.reason.hide()
        root.addWidget(self.reason)

        self.form = QWidget()
        form = QVBoxLayout(self.form)
        form.setContentsMargins(0, 4, 0, 0)
        form.setSpacing(6)
        self.choices = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        # A numeric day is done or not by its amount (below the target is "not done").
        for key in (DONE, SKIPPED, NONE) if self.numeric else (DONE, MISSED, SKIPPED, NONE):
            text = "Amount" if self.numeric and key == DONE else _LABELS[key]
            button = QRadioButton(text)
            button.setAccessibleName(text.split("—")[0].strip("✓✗↷ "))
            self.choices.addButton(button)
            self.buttons[key] = button
            if self.numeric and key == DONE:
                form.addLayout(self._amount_row(button, rules.target_value, rules.direction))
            else:
                form.addWidget(button)
        note_row = QHBoxLayout()
        note_row.setSpacing(12)
        note_label = QLabel("&Note")
        self.note = QLineEdit(self.note_text)
        self.note.setAccessibleName("Note")
        self.note.setMaxLength(NOTE_MAX)
        self.note.setPlaceholderText("Optional — what happened that day")
        note_label.setBuddy(self.note)
        note_row.addWidget(note_label)
        note_row.addWidget(self.note, 1)
        form.addSpacing(4)
        form.addLayout(note_row)
        root.addWidget(self.form)
        self.clear_hint = QLabel("Clearing the day forgets its note too.")
        self.clear_hint.setProperty("muted", True)
        self.clear_hint.setAccessibleName("About clearing")
        root.addWidget(self.clear_hint)

        self.error = QLabel()
        self.error.setProperty("fieldError", True)
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Error")
        self.error.hide()
        root.addWidget(self.error)

        box = QDialogButtonBox()
        self.save_button = box.addButton("Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        self.save_button.setAccessibleName("Save the day")
        self.cancel_button = box.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setAccessibleName("Cancel")
        box.accepted.connect(self.submit)
        box.rejected.connect(self.reject)
        root.addWidget(box)

        self._select_recorded()
        self.choices.buttonToggled.connect(self._choice_toggled)
        self._choice_changed()
        why = refusal(detail, day) or not_allowed(context, detail)
        if why is not None:
            self._refuse(why)

    def _amount_row(
        self, button: QRadioButton, target: float | None, direction: Direction
    ) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(10)
        row.addWidget(button)
        self.amount = AmountBox()
        self.amount.setAccessibleName(f"Amount in {self.unit}" if self.unit else "Amount")
        self.amount.setRange(0, _AMOUNT_MAX)
        self.amount.setDecimals(2)
        self.amount.setGroupSeparatorShown(True)
        if self.unit:
            self.amount.setSuffix(f" {self.unit}")
        self.amount.setValue(self.value if self.value is not None else (target or 0.0))
        self.amount.setMinimumWidth(160)
        row.addWidget(self.amount)
        goal = "at most" if direction is Direction.AT_MOST else "target"
        hint = QLabel(f"{goal} {format_value(target, self.unit)}")
        hint.setProperty("muted", True)
        row.addWidget(hint, 1)
        return row

    # --- state ----------------------------------------------------------------------------------

    def _recorded_text(self) -> str:
        if self.status is DayStatus.NONE:
            return "Nothing recorded for this day."
        text = {
            DayStatus.DONE: "Recorded: done",
            DayStatus.MISSED: "Recorded: not done",
            DayStatus.SKIPPED: "Recorded: skipped",
        }[self.status]
        if self.numeric and self.status is not DayStatus.SKIPPED and self.value is not None:
            text += f" ({format_value(self.value, self.unit)})"
        return text + "."

    def _select_recorded(self) -> None:
        key = {
            DayStatus.DONE: DONE,
            DayStatus.MISSED: DONE if self.numeric else MISSED,
            DayStatus.SKIPPED: SKIPPED,
            DayStatus.NONE: NONE,
        }[self.status]
        if self.status is DayStatus.NONE:
            key = DONE  # what a click on an empty day most often means
        self.buttons[key].setChecked(True)

    def choice(self) -> str:
        return next(k for k, b in self.buttons.items() if b.isChecked())

    def _choice_toggled(self, _button: QAbstractButton, on: bool) -> None:
        if on:  # only the newly chosen button: mid-switch, none is checked
            self._choice_changed()

    def _choice_changed(self) -> None:
        clearing = self.choice() == NONE
        self.note.setEnabled(not clearing and self.form.isEnabled())
        self.clear_hint.setVisible(clearing and self.status is not DayStatus.NONE)
        if self.numeric:
            self.amount.setEnabled(self.choice() == DONE)

    def _refuse(self, why: str) -> None:
        self.reason.setText(why)
        self.reason.show()
        self.form.setEnabled(False)
        self.clear_hint.hide()
        self.save_button.hide()
        self.cancel_button.setText("Close")
        self.cancel_button.setAccessibleName("Close")
        self.cancel_button.setFocus()

    @property
    def refused(self) -> bool:
        return not self.form.isEnabled()

    # --- saving -----------------------------------------------------------------------------------

    def entry(self) -> dict[str, Any] | None:
        """What `HabitService.set_entry` takes for the choice (None: clear the day)."""
        choice = self.choice()
        if choice == NONE:
            return None
        note = self.note.text().strip() or None
        if choice == SKIPPED:
            return {"skip": True, "note": note}
        if self.numeric:
            return {"value": self.amount.value(), "note": note}
        return {"status": choice, "note": note}

    def submit(self) -> asyncio.Task[None] | None:
        core = self.context.core
        if core is None or self.refused or self.task is not None:
            return None
        data = self.entry()
        if data is None and self.status is DayStatus.NONE:
            self.accept()  # nothing recorded, nothing to clear
            return None
        actor, habit_id = self.context.actor, self.detail.habit_id
        work = (
            core.habits.clear_entry(actor, habit_id, self.day)
            if data is None
            else core.habits.set_entry(actor, habit_id, self.day, data)
        )
        self.error.hide()
        self.save_button.setEnabled(False)
        self.save_button.setText("Saving…")
        self.task = self.context.tasks.write(
            work, on_done=self._stored, on_error=self._failed, origin=self
        )
        return self.task

    def _stored(self, _result: Any) -> None:
        self.task = None
        self.saved.emit(self.day)
        self.accept()

    def _failed(self, message: str) -> None:
        self.task = None
        self.save_button.setEnabled(True)
        self.save_button.setText("Save")
        self.error.setText(message)
        self.error.show()


__all__ = ["DayEntryDialog", "not_allowed", "refusal"]
