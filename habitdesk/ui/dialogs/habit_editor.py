"""Add or edit a habit: name, yes/no or an amount (target, unit, at least / at most), how often
(X times per Y days, or on chosen weekdays), colour, points, description, archived.

Changing the rules of an existing habit makes a new version of them from a chosen day (today
unless changed); earlier days keep being judged by the old rules. The dialog writes through the
task bridge itself and stays open when the service refuses, with each message next to the field
it names. It opens with open(), never exec().
"""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from habitdesk.core.enums import Direction, HabitKind, WeekStart
from habitdesk.core.schemas.habits import HabitRead
from habitdesk.ui.context import AppContext
from habitdesk.ui.dialogs.sizing import fit_height
from habitdesk.ui.qtmodels.habits_model import rules_summary
from habitdesk.ui.qtmodels.members_model import avatar_pixmap
from habitdesk.ui.tasks import Conflict, or_conflict
from habitdesk.ui.widgets.colour_button import ColourPicker
from habitdesk.ui.widgets.conflict_notice import ConflictNotice
from habitdesk.ui.widgets.labels import dialog_title
from habitdesk.ui.widgets.weekday_picker import WeekdayPicker

# Message labels as the core writes them ("Unit: …") → the field they belong to.
_FIELD_OF = {
    "Member": "member",
    "Name": "name",
    "Target": "target",
    "Unit": "unit",
    "Direction": "target",
    "Times": "frequency",
    "Days": "frequency",
    "Frequency": "frequency",
    "Weekdays": "frequency",
    "Colour": "colour",
    "Points": "points",
    "Description": "description",
    "Effective from": "effective",
}
_LABELLED = re.compile(r"^([A-Z][a-z]+(?: [a-z]+)?):\s*")
FIELDS = (
    "member",
    "name",
    "kind",
    "target",
    "unit",
    "frequency",
    "colour",
    "points",
    "description",
    "effective",
    "general",
)


def split_messages(message: str) -> dict[str, str]:
    """ "Unit: …; Times: …" → {"unit": "…", "frequency": "…"}; unlabelled parts go on with the
    part before them (a message may contain "; " itself) or, first, to "general"."""
    found: dict[str, str] = {}
    last: str | None = None
    for piece in message.split("; "):
        match = _LABELLED.match(piece)
        key = _FIELD_OF.get(match.group(1)) if match else None
        if key is not None:
            text = piece[match.end() :] if match else piece
            text = text[:1].upper() + text[1:]
            found[key] = f"{found[key]} {text}" if key in found else text
            last = key
        elif last is not None:
            found[last] = f"{found[last]}; {piece}"
        else:
            found["general"] = f"{found['general']} {piece}" if "general" in found else piece
            last = "general"
    return found


@dataclass(frozen=True)
class RulesPreview:
    """The rules as the form states them, for the live summary."""

    kind: HabitKind
    target_value: float | None
    unit: str | None
    direction: Direction
    freq_num: int
    freq_den: int
    weekdays: tuple[str, ...] | None


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def parse_number(text: str) -> float | None:
    """ "8,000", "8 000", "7.5", "7,5" → a number; "" → None; anything else → ValueError."""
    cleaned = text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if not cleaned:
        return None
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", cleaned):
        cleaned = cleaned.replace(",", "")
    elif cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    return float(cleaned)


def number_text(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:g}"


class HabitEditor(QDialog):
    """`saved` fires with the HabitRead the service returned, after the dialog closed."""

    saved = Signal(object)

    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        habit: HabitRead | None = None,
        member_id: Any = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.habit = habit
        self.save_task: asyncio.Task[None] | None = None
        self._editable_flag = True
        self.setObjectName("habitEditor")
        self.setWindowTitle(f"Edit “{habit.name}”" if habit else "New habit")
        self.setAccessibleName("Edit habit" if habit else "New habit")
        self.setModal(True)
        self.setMinimumWidth(660)
        self.errors: dict[str, QLabel] = {}

        root = QVBoxLayout(self)
        root.setContentsMargins(22, 20, 22, 16)
        root.setSpacing(12)
        self.heading = dialog_title(self.windowTitle())
        root.addWidget(self.heading)
        intro = QLabel(
            "Changing what the habit asks for (type, target, how often) starts new rules from a "
            "day you choose; the days before keep being judged by the old ones."
            if habit
            else "A yes/no habit is simply done or not; an amount habit records a number "
            "against a target, such as 8,000 steps or at most 60 minutes of screen time."
        )
        intro.setProperty("muted", True)
        intro.setWordWrap(True)
        root.addWidget(intro)

        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(3)
        grid.setColumnStretch(1, 1)
        self._grid = grid
        self._row = 0

        # Who
        self.member_combo = QComboBox()
        self.member_combo.setAccessibleName("Member")
        self.member_combo.setIconSize(QSize(20, 20))
        for member in context.members:
            # The avatar as an icon, so typing a name's first letters finds it.
            icon = QIcon(avatar_pixmap(member.colour, member.avatar_emoji, member.full_name, 20))
            self.member_combo.addItem(icon, member.full_name, member.user_id)
        wanted = habit.user_id if habit else member_id
        if wanted is None and context.member_filter is not None:
            wanted = context.member_filter
        if wanted is not None:
            self.member_combo.setCurrentIndex(max(0, self.member_combo.findData(wanted)))
        if habit is not None:
            self.member_combo.setEnabled(False)
            self.member_combo.setToolTip("A habit stays with its member; make a new one instead.")
        self._add_row("&For", self.member_combo, "member")

        self.name_edit = QLineEdit()
        self.name_edit.setAccessibleName("Name")
        self.name_edit.setPlaceholderText("e.g. Read 20 minutes, Walk, Screen time")
        self.name_edit.setMaxLength(100)
        self._add_row("&Name", self.name_edit, "name")

        # What it asks for
        kind_box = QWidget()
        kind_layout = QHBoxLayout(kind_box)
        kind_layout.setContentsMargins(0, 0, 0, 0)
        kind_layout.setSpacing(16)
        self.boolean_radio = QRadioButton("Yes / no")
        self.boolean_radio.setAccessibleName("Type yes or no")
        self.boolean_radio.setToolTip("Done or not done, once per day")
        self.numeric_radio = QRadioButton("An amount")
        self.numeric_radio.setAccessibleName("Type amount")
        self.numeric_radio.setToolTip("A number each day against a target: steps, minutes, pages")
        self.kind_group = QButtonGroup(self)
        self.kind_group.addButton(self.boolean_radio)
        self.kind_group.addButton(self.numeric_radio)
        self.boolean_radio.setChecked(True)
        kind_layout.addWidget(self.boolean_radio)
        kind_layout.addWidget(self.numeric_radio)
        kind_layout.addStretch(1)
        self._add_row("&Type", kind_box, "kind", buddy=self.boolean_radio)

        target_box = QWidget()
        target_layout = QHBoxLayout(target_box)
        target_layout.setContentsMargins(0, 0, 0, 0)
        target_layout.setSpacing(8)
        self.direction_combo = QComboBox()
        self.direction_combo.setAccessibleName("Direction")
        self.direction_combo.addItem("At least", Direction.AT_LEAST.value)
        self.direction_combo.addItem("At most", Direction.AT_MOST.value)
        self.target_edit = QLineEdit()
        self.target_edit.setAccessibleName("Target")
        self.target_edit.setPlaceholderText("e.g. 8000")
        self.target_edit.setMaximumWidth(140)
        self.unit_edit = QLineEdit()
        self.unit_edit.setAccessibleName("Unit")
        self.unit_edit.setPlaceholderText("steps, minutes, pages…")
        self.unit_edit.setMaxLength(30)
        self.unit_edit.setMaximumWidth(180)
        unit_label = QLabel("&unit")
        unit_label.setBuddy(self.unit_edit)
        target_layout.addWidget(self.direction_combo)
        target_layout.addWidget(self.target_edit)
        target_layout.addWidget(unit_label)
        target_layout.addWidget(self.unit_edit)
        target_layout.addStretch(1)
        self.target_label = self._add_row(
            "Tar&get", target_box, "target", buddy=self.direction_combo
        )
        # The unit's message sits on its own line under the target row.
        self._add_error_row("unit")

        # How often
        often = QWidget()
        often_layout = QVBoxLayout(often)
        often_layout.setContentsMargins(0, 0, 0, 0)
        often_layout.setSpacing(6)
        per_row = QHBoxLayout()
        per_row.setSpacing(8)
        self.per_radio = QRadioButton("")
        self.per_radio.setAccessibleName("Times per days")
        self.times_spin = QSpinBox()
        self.times_spin.setAccessibleName("Times")
        self.times_spin.setRange(1, 365)
        self.times_spin.setValue(1)
        self.days_spin = QSpinBox()
        self.days_spin.setAccessibleName("Days")
        self.days_spin.setRange(1, 365)
        self.days_spin.setValue(1)
        per_row.addWidget(self.per_radio)
        per_row.addWidget(self.times_spin)
        self.times_label = QLabel("time per")
        per_row.addWidget(self.times_label)
        per_row.addWidget(self.days_spin)
        self.days_label = QLabel("day")
        per_row.addWidget(self.days_label)
        per_row.addStretch(1)
        often_layout.addLayout(per_row)
        week_row = QHBoxLayout()
        week_row.setSpacing(8)
        self.weekdays_radio = QRadioButton("On")
        self.weekdays_radio.setAccessibleName("On weekdays")
        family = context.family
        self.weekday_picker = WeekdayPicker(
            week_start=family.week_start if family else WeekStart.MONDAY
        )
        week_row.addWidget(self.weekdays_radio, 0, Qt.AlignmentFlag.AlignTop)
        week_row.addWidget(self.weekday_picker, 1)
        often_layout.addLayout(week_row)
        self.frequency_group = QButtonGroup(self)
        self.frequency_group.addButton(self.per_radio)
        self.frequency_group.addButton(self.weekdays_radio)
        self.per_radio.setChecked(True)
        self.summary_label = QLabel()
        self.summary_label.setProperty("muted", True)
        self.summary_label.setAccessibleName("Rules summary")
        often_layout.addWidget(self.summary_label)
        self._add_row("How &often", often, "frequency", buddy=self.per_radio)

        # Looks and reward
        self.colour_picker = ColourPicker(habit.colour if habit else "#4C7BD9")
        self._add_row("&Colour", self.colour_picker, "colour", buddy=self.colour_picker.other)

        self.points_spin = QSpinBox()
        self.points_spin.setAccessibleName("Points per completion")
        self.points_spin.setRange(0, 1000)
        self.points_spin.setSuffix(" points each day it is done")
        self.points_spin.setSpecialValueText("No points")
        self.points_spin.setMinimumWidth(230)
        points_box = QWidget()
        points_layout = QHBoxLayout(points_box)
        points_layout.setContentsMargins(0, 0, 0, 0)
        points_layout.addWidget(self.points_spin)
        points_layout.addStretch(1)
        self._add_row("&Points", points_box, "points", buddy=self.points_spin)

        self.description_edit = QPlainTextEdit()
        self.description_edit.setAccessibleName("Description")
        self.description_edit.setPlaceholderText(
            "Optional: why, or how (shown on the Habits screen)"
        )
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(58)
        self._add_row("&Description", self.description_edit, "description")

        # Editing only: when new rules start, and archiving
        self.effective_edit = QDateEdit()
        self.effective_edit.setAccessibleName("Rules change takes effect from")
        self.effective_edit.setCalendarPopup(True)
        self.effective_edit.setDisplayFormat("ddd d MMM yyyy")
        self.effective_hint = QLabel(
            "The new rules apply from this day on; the days before keep the old ones."
        )
        self.effective_hint.setProperty("muted", True)
        self.effective_hint.setWordWrap(True)
        effective_box = QWidget()
        effective_layout = QVBoxLayout(effective_box)
        effective_layout.setContentsMargins(0, 0, 0, 0)
        effective_layout.setSpacing(2)
        effective_row = QHBoxLayout()
        effective_row.addWidget(self.effective_edit)
        effective_row.addStretch(1)
        effective_layout.addLayout(effective_row)
        effective_layout.addWidget(self.effective_hint)
        self.effective_label = self._add_row(
            "New rules &from", effective_box, "effective", buddy=self.effective_edit
        )
        self.effective_box = effective_box

        self.archived_check = QCheckBox("Archived — off the daily lists; its history stays")
        self.archived_check.setAccessibleName("Archived")
        self.archived_label = self._add_row("&Archive", self.archived_check, "archived")
        root.addLayout(grid)

        self.general_error = self._error_label("general")
        root.addWidget(self.general_error)
        # Someone else saved the habit while this dialog was open: their change is offered
        # rather than overwritten (as the family screen does).
        self.conflict = ConflictNotice("Reload habit", card=True)
        self.conflict.setObjectName("habitConflict")
        self.conflict.reload_button.setToolTip(
            "Show the habit as it is saved now; your edits are lost"
        )
        self.conflict.reload_requested.connect(self.reload)
        root.addWidget(self.conflict)
        self.reload_task: asyncio.Task[None] | None = None
        self.read_only_note = QLabel("🔒  Only a parent can change habits.")
        self.read_only_note.setProperty("muted", True)
        self.read_only_note.hide()
        root.addWidget(self.read_only_note)

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(
            "Save" if habit else "Add habit", QDialogButtonBox.ButtonRole.AcceptRole
        )
        assert isinstance(self.save_button, QPushButton)
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        self.save_button.setAccessibleName("Save habit")
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        root.addWidget(buttons)
        save_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        save_shortcut.activated.connect(self.save)
        # Enter in a field saves; Enter on a day toggles that day, not the dialog.
        for button in (
            *self.weekday_picker.buttons.values(),
            *self.weekday_picker.preset_buttons.values(),
        ):
            button.setAutoDefault(False)

        self._fill()
        self.frequency_group.buttonToggled.connect(self._frequency_picked)
        for signal in (
            self.kind_group.buttonToggled,
            self.frequency_group.buttonToggled,
            self.direction_combo.currentIndexChanged,
            self.target_edit.textChanged,
            self.unit_edit.textChanged,
            self.times_spin.valueChanged,
            self.days_spin.valueChanged,
            self.weekday_picker.changed,
        ):
            signal.connect(self._rules_edited)
        self.name_edit.textChanged.connect(lambda _t: self._clear_error("name"))
        self._rules_edited()
        self._set_tab_order()
        self.name_edit.setFocus()
        fit_height(self)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter saves from any one-line field, as in any dialog."""
        plain = not (event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and plain:
            self.save()
            event.accept()
            return
        super().keyPressEvent(event)

    # --- building -----------------------------------------------------------------------------

    def _error_label(self, key: str) -> QLabel:
        label = QLabel()
        label.setProperty("fieldError", True)
        label.setWordWrap(True)
        label.setAccessibleName(f"{key.capitalize()} error")
        label.setObjectName(f"error-{key}")
        label.hide()
        self.errors[key] = label
        return label

    def _add_row(
        self, text: str, widget: QWidget, key: str, *, buddy: QWidget | None = None
    ) -> QLabel:
        label = QLabel(text)
        label.setBuddy(buddy or widget)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        label.setContentsMargins(0, 5, 0, 0)
        self._grid.addWidget(label, self._row, 0)
        self._grid.addWidget(widget, self._row, 1)
        self._row += 1
        self._add_error_row(key)
        return label

    def _add_error_row(self, key: str) -> None:
        self._grid.addWidget(self._error_label(key), self._row, 1)
        self._grid.setRowMinimumHeight(self._row, 5)
        self._row += 1

    def _set_tab_order(self) -> None:
        chain = [
            self.member_combo,
            self.name_edit,
            self.boolean_radio,
            self.numeric_radio,
            self.direction_combo,
            self.target_edit,
            self.unit_edit,
            self.per_radio,
            self.times_spin,
            self.days_spin,
            self.weekdays_radio,
            *(self.weekday_picker.buttons[n] for n in self.weekday_picker.ordered_names()),
            self.colour_picker.other,
            self.points_spin,
            self.description_edit,
            self.effective_edit,
            self.archived_check,
            self.save_button,
            self.cancel_button,
        ]
        for before, after in itertools.pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _fill(self) -> None:
        habit = self.habit
        today = self.context.today
        self.effective_edit.setDate(_qdate(today))
        if habit is None:
            self.effective_box.hide()
            self.effective_label.hide()
            self.archived_check.hide()
            self.archived_label.hide()
            return
        self.name_edit.setText(habit.name)
        numeric = habit.kind is HabitKind.NUMERIC
        (self.numeric_radio if numeric else self.boolean_radio).setChecked(True)
        self.target_edit.setText(number_text(habit.target_value))
        self.unit_edit.setText(habit.unit or "")
        self.direction_combo.setCurrentIndex(
            max(0, self.direction_combo.findData(habit.direction.value))
        )
        if habit.weekdays is not None:
            self.weekdays_radio.setChecked(True)
            self.weekday_picker.set_weekdays(habit.weekdays)
        else:
            self.per_radio.setChecked(True)
            self.times_spin.setValue(habit.freq_num)
            self.days_spin.setValue(habit.freq_den)
        self.points_spin.setValue(habit.points)
        self.description_edit.setPlainText(habit.description or "")
        self.archived_check.setChecked(habit.archived)
        self.effective_edit.setMinimumDate(_qdate(min(habit.effective_from, today)))

    # --- live feedback ------------------------------------------------------------------------

    def _frequency_picked(self, button: Any, checked: bool) -> None:
        # Days appear ticked only once weekdays are chosen: a disabled row of ticked days
        # would read as part of the rules.
        if button is self.weekdays_radio and checked and not self.weekday_picker.weekdays():
            self.weekday_picker.set_weekdays(["mon", "wed", "fri"])

    def _rules_edited(self, *_args: Any) -> None:
        numeric = self.numeric_radio.isChecked()
        for widget in (self.direction_combo, self.target_edit, self.unit_edit):
            widget.setEnabled(numeric and self._editable)
        per = self.per_radio.isChecked()
        self.times_spin.setEnabled(per and self._editable)
        self.days_spin.setEnabled(per and self._editable)
        self.weekday_picker.setEnabled(not per and self._editable)
        self.times_label.setText("time per" if self.times_spin.value() == 1 else "times per")
        self.days_label.setText("day" if self.days_spin.value() == 1 else "days")
        for key in ("target", "unit", "frequency", "kind"):
            self._clear_error(key)
        self.summary_label.setText(f"Shown as: {self._summary()}")
        changed = self.rules_changed()
        if self.habit is not None:
            self.effective_label.setVisible(changed)
            self.effective_box.setVisible(changed)
        self._fit()

    def _fit(self) -> None:
        """Grow when a row or a message appears, rather than squeezing the rows together."""
        if not self.isVisible():
            return
        layout = self.layout()
        if layout is not None:
            layout.activate()
        hint = self.sizeHint()
        if hint.height() > self.height() or hint.width() > self.width():
            self.resize(max(self.width(), hint.width()), max(self.height(), hint.height()))

    @property
    def _editable(self) -> bool:
        return self._editable_flag

    def _summary(self) -> str:
        try:
            target = parse_number(self.target_edit.text())
        except ValueError:
            target = None
        preview = RulesPreview(
            kind=HabitKind.NUMERIC if self.numeric_radio.isChecked() else HabitKind.BOOLEAN,
            target_value=target,
            unit=self.unit_edit.text().strip() or None,
            direction=Direction(str(self.direction_combo.currentData())),
            freq_num=self.times_spin.value(),
            freq_den=self.days_spin.value(),
            weekdays=tuple(self.weekday_picker.weekdays())
            if self.weekdays_radio.isChecked()
            else None,
        )
        if preview.weekdays == ():
            return "choose at least one day"
        return rules_summary(preview)

    def set_editable(self, editable: bool) -> None:
        """A child or a viewer took the keyboard: look, but change nothing."""
        self._editable_flag = editable
        for widget in (
            self.name_edit,
            self.boolean_radio,
            self.numeric_radio,
            self.per_radio,
            self.weekdays_radio,
            self.colour_picker,
            self.points_spin,
            self.description_edit,
            self.effective_edit,
            self.archived_check,
            self.save_button,
        ):
            widget.setEnabled(editable)
        self.member_combo.setEnabled(editable and self.habit is None)
        self.read_only_note.setVisible(not editable)
        self._rules_edited()

    # --- values -------------------------------------------------------------------------------

    def _rules_payload(self) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if self.numeric_radio.isChecked():
            data["kind"] = HabitKind.NUMERIC.value
            data["target_value"] = parse_number(self.target_edit.text())
            data["unit"] = self.unit_edit.text().strip() or None
            data["direction"] = str(self.direction_combo.currentData())
        else:
            data["kind"] = HabitKind.BOOLEAN.value
        if self.weekdays_radio.isChecked():
            data["weekdays"] = self.weekday_picker.weekdays()
        else:
            data["freq_num"] = self.times_spin.value()
            data["freq_den"] = self.days_spin.value()
        return data

    def rules_changed(self) -> bool:
        """Whether the form's rules differ from the habit's current ones (editing only)."""
        habit = self.habit
        if habit is None:
            return False
        numeric = self.numeric_radio.isChecked()
        if numeric != (habit.kind is HabitKind.NUMERIC):
            return True
        if numeric:
            try:
                target = parse_number(self.target_edit.text())
            except ValueError:
                return True
            if target != habit.target_value:
                return True
            if (self.unit_edit.text().strip() or None) != habit.unit:
                return True
            if str(self.direction_combo.currentData()) != habit.direction.value:
                return True
        if self.weekdays_radio.isChecked():
            return habit.weekdays is None or set(self.weekday_picker.weekdays()) != set(
                habit.weekdays
            )
        return habit.weekdays is not None or (self.times_spin.value(), self.days_spin.value()) != (
            habit.freq_num,
            habit.freq_den,
        )

    def payload(self) -> dict[str, Any]:
        """What the form says, in the shape HabitCreate / HabitUpdate take.

        Raises ValueError (with a "Target: …" message) when the target is not a number.
        """
        try:
            rules = self._rules_payload()
        except ValueError:
            raise ValueError("Target: enter a number, such as 8000 or 7.5") from None
        data: dict[str, Any] = {
            "name": self.name_edit.text(),
            "description": self.description_edit.toPlainText().strip() or None,
            "colour": self.colour_picker.colour(),
            "points": self.points_spin.value(),
        }
        if self.habit is None:
            family = self.context.family
            data["family_id"] = family.id if family else None
            data["user_id"] = self.member_combo.currentData()
            data.update(rules)
        else:
            data["expected_version"] = self.habit.version
            if self.rules_changed():
                data.update(rules)
                data["effective_from"] = self.effective_edit.date().toPython()
        return data

    # --- saving -------------------------------------------------------------------------------

    def save(self) -> asyncio.Task[None] | None:
        core = self.context.core
        if core is None or not self.save_button.isEnabled() or self.save_task is not None:
            return None
        self._clear_errors()
        try:
            data = self.payload()
        except ValueError as exc:
            self.show_errors(str(exc))
            return None
        actor = self.context.actor
        habit = self.habit
        archived = self.archived_check.isChecked()

        async def work() -> Any:
            if habit is None:
                return await core.habits.create_habit(actor, data)
            result = await core.habits.update_habit(actor, habit.id, data)
            if archived != habit.archived:
                moved = await core.habits.archive_habit(actor, habit.id, archived)
                return dataclasses.replace(moved, changes=result.changes | moved.changes)
            return result

        self.save_button.setEnabled(False)
        self.save_button.setText("Saving…")
        self.save_task = self.context.tasks.write(
            or_conflict(work()), on_done=self._saved, on_error=self._refused, origin=self.parent()
        )
        return self.save_task

    def _saved(self, result: Any) -> None:
        if isinstance(result, Conflict):
            self._saving_over()
            self.show_conflict(result.message)
            return
        self.save_task = None
        self.accept()
        self.saved.emit(result.value)

    def show_conflict(self, message: str) -> None:
        self.save_button.setEnabled(False)  # reload first: saving again would conflict again
        self.conflict.show_message(message)
        self._fit()

    def reload(self) -> asyncio.Task[None] | None:
        """Read the habit as it is saved now into the form (the dialog stays open)."""
        core, habit = self.context.core, self.habit
        if core is None or habit is None or self.reload_task is not None:
            return None
        self.conflict.reload_button.setEnabled(False)

        def failed(message: str) -> None:
            self.reload_task = None
            self.conflict.reload_button.setEnabled(True)
            self.show_errors(message)

        self.reload_task = self.context.tasks.read(
            core.habits.get_habit(habit.id), self.load_habit, on_error=failed, origin=self
        )
        return self.reload_task

    def load_habit(self, habit: HabitRead) -> None:
        """Show `habit` as saved now (after "Reload" following a conflict)."""
        self.reload_task = None
        self.habit = habit
        self.setWindowTitle(f"Edit “{habit.name}”")
        self.heading.setText(self.windowTitle())
        self.colour_picker.set_colour(habit.colour)
        self._fill()
        self.conflict.hide()
        self.conflict.reload_button.setEnabled(True)
        self._clear_errors()
        self.save_button.setEnabled(self._editable)
        self._rules_edited()
        self.name_edit.setFocus()

    def _refused(self, message: str) -> None:
        self._saving_over()
        self.show_errors(message)

    def _saving_over(self) -> None:
        self.save_task = None
        self.save_button.setEnabled(self._editable)
        self.save_button.setText("Save" if self.habit else "Add habit")

    def show_errors(self, message: str) -> None:
        found = split_messages(message)
        for key, text in found.items():
            label = self.errors.get(key, self.errors["general"])
            label.setText(text)
            label.show()
        focus = {
            "member": self.member_combo,
            "name": self.name_edit,
            "target": self.target_edit,
            "unit": self.unit_edit,
            "frequency": self.times_spin if self.per_radio.isChecked() else self.weekdays_radio,
            "colour": self.colour_picker.other,
            "points": self.points_spin,
            "description": self.description_edit,
            "effective": self.effective_edit,
        }
        first = next((key for key in FIELDS if key in found and key in focus), None)
        if first is not None:
            focus[first].setFocus()
        self._fit()

    def error_text(self, key: str) -> str:
        label = self.errors[key]
        return label.text() if not label.isHidden() else ""

    def _clear_error(self, key: str) -> None:
        label = self.errors.get(key)
        if label is not None:
            label.clear()
            label.hide()

    def _clear_errors(self) -> None:
        for key in self.errors:
            self._clear_error(key)
