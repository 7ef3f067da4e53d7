"""`RoutineEditor`: create a routine, or edit one (a change of steps or schedule saves version N+1).

Opened with `open()` (never `exec()`): saving runs through the task bridge and the dialog closes
itself when the service accepted the routine. What the service refuses is shown next to the
field it is about, and nothing is written.
"""

from __future__ import annotations

import asyncio
import itertools
import re
from datetime import date, time
from typing import Any

from PySide6.QtCore import (
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QKeySequence, QPainter, QPaintEvent, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from habitdesk.core.enums import Role
from habitdesk.core.schemas.people import MemberRead
from habitdesk.core.schemas.routines import MAX_STEP_MINUTES, MAX_STEP_POINTS, RoutineRead
from habitdesk.ui.context import AppContext
from habitdesk.ui.qtmodels.steps_model import LIMITS, Column, StepDraft, StepsModel
from habitdesk.ui.widgets.labels import dialog_title
from habitdesk.ui.widgets.weekday_picker import WeekdayPicker

# Where a service message goes: its "Label:" prefix → the field's key.
_FIELD_OF = {
    "Name": "name",
    "Member": "member",
    "Weekdays": "weekdays",
    "Start time": "start",
    "Finish by": "finish",
    "Steps": "steps",
    "Effective from": "effective",
    "Note": "note",
}
_LABELLED = re.compile(r"^(Step \d+ [a-z]+|[A-Z][a-z]+(?: [a-z]+)?):\s")
FIELDS = ("name", "member", "weekdays", "start", "finish", "steps", "effective", "note", "general")


def split_messages(message: str) -> dict[str, str]:
    """A service message ("Name: …; Steps: …") → {field key: text}. Parts that do not start
    with a known label continue the previous part (messages may contain "; " themselves)."""
    parts: list[tuple[str, str]] = []
    for piece in message.split("; "):
        match = _LABELLED.match(piece)
        label = match.group(1) if match else None
        if label is not None and label.startswith("Step "):
            parts.append(("steps", piece))
        elif label in _FIELD_OF:
            parts.append((_FIELD_OF[label], piece))
        elif parts:
            key, text = parts[-1]
            parts[-1] = (key, f"{text}; {piece}")
        else:
            parts.append(("general", piece))
    found: dict[str, str] = {}
    for key, text in parts:
        found[key] = f"{found[key]}\n{text}" if key in found else text
    return found


def member_label(member: MemberRead) -> str:
    avatar = f"{member.avatar_emoji} " if member.avatar_emoji else ""
    return f"{avatar}{member.full_name} ({member.role.value})"


def combo_index(combo: QComboBox, value: Any) -> int:
    """The row whose data equals `value` (-1 if none): `findData` cannot compare Python
    objects such as UUIDs."""
    if value is None:
        return -1
    return next((i for i in range(combo.count()) if combo.itemData(i) == value), -1)


def format_day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class _NumberDelegate(QStyledItemDelegate):
    """Minutes and points: a spin box where 0 shows as "—" (none)."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        if index.column() == Column.TITLE:
            editor = super().createEditor(parent, option, index)
            editor.setAccessibleName("Step title")
            return editor
        column = Column(index.column())
        box = QSpinBox(parent)
        box.setRange(0, LIMITS[column])
        box.setSpecialValueText("—")
        box.setAccessibleName("Minutes" if column is Column.MINUTES else "Points")
        box.setFrame(False)
        return box


class StepsTable(QTableView):
    """The steps table: Ctrl+Up / Ctrl+Down move the selected step, Delete removes it,
    Enter edits the current cell, and rows can be dragged to a new place."""

    move_requested = Signal(int)
    remove_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Steps")
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDragDropOverwriteMode(False)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.SelectedClicked
        )
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setItemDelegate(_NumberDelegate(self))
        self.verticalHeader().setDefaultSectionSize(30)
        self.verticalHeader().setToolTip("Drag a row to move the step")

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.viewport().rect().adjusted(16, 16, -16, -16),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                "No steps yet — type the first one below and press Enter",
            )
            painter.end()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        editing = self.state() == QAbstractItemView.State.EditingState
        if not editing and mods & Qt.KeyboardModifier.ControlModifier and key == Qt.Key.Key_Up:
            self.move_requested.emit(-1)
        elif not editing and mods & Qt.KeyboardModifier.ControlModifier and key == Qt.Key.Key_Down:
            self.move_requested.emit(1)
        elif not editing and key == Qt.Key.Key_Delete:
            self.remove_requested.emit()
        elif not editing and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # Enter edits the cell (and does not press the dialog's Save button).
            if self.currentIndex().isValid():
                self.edit(self.currentIndex())
        else:
            super().keyPressEvent(event)
            return
        event.accept()


class _EnterAddsStep(QObject):
    """Enter in the "new step" fields adds the step instead of saving the dialog."""

    def __init__(self, editor: RoutineEditor) -> None:
        super().__init__(editor)
        self._editor = editor

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._editor.add_step_from_fields()
            return True
        return False


class RoutineEditor(QDialog):
    """`saved` carries the RoutineRead the service returned."""

    saved = Signal(object)

    def __init__(
        self,
        context: AppContext,
        routine: RoutineRead | None = None,
        parent: QWidget | None = None,
        *,
        member_id: Any = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.routine = routine
        self.save_task: asyncio.Task[None] | None = None
        self.setObjectName("routineEditor")
        editing = routine is not None
        self.setWindowTitle(f"Edit routine — {routine.name}" if routine else "New routine")
        self.setAccessibleName("Routine editor")
        self.setMinimumSize(900, 600)

        root = QVBoxLayout(self)
        root.setContentsMargins(22, 18, 22, 16)
        root.setSpacing(12)

        root.addWidget(dialog_title(f"Edit “{routine.name}”" if routine else "New routine"))
        intro = QLabel(self._intro_text())
        intro.setProperty("muted", True)
        intro.setWordWrap(True)
        root.addWidget(intro)

        body = QHBoxLayout()
        body.setSpacing(24)
        root.addLayout(body, 1)

        self.errors: dict[str, QLabel] = {}
        form = QGridLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(4)
        form.setColumnStretch(1, 1)
        self._form_row = 0
        left = QVBoxLayout()
        left.addLayout(form)
        left.addStretch(1)
        body.addLayout(left, 4)

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("e.g. Morning routine")
        self.name_edit.setAccessibleName("Name")
        self.name_edit.setMaxLength(100)
        self._add_field(form, "&Name", self.name_edit, "name")

        self.member_combo = QComboBox()
        self.member_combo.setAccessibleName("Member")
        for member in context.members:
            if member.role is not Role.VIEWER:
                self.member_combo.addItem(member_label(member), member.user_id)
        self._add_field(form, "&Member", self.member_combo, "member")

        week_start = context.family.week_start if context.family else None
        self.weekday_picker = WeekdayPicker()
        if week_start is not None:
            self.weekday_picker.set_week_start(week_start)
        self._add_field(form, "&Weekdays", self.weekday_picker, "weekdays")

        self.start_edit, self.start_none = self._time_row(
            form, "&Start at", "start", "No start time"
        )
        self.finish_edit, self.finish_none = self._time_row(
            form, "&Finish by", "finish", "No finish-by time"
        )

        self.effective_edit = QDateEdit()
        self.effective_edit.setCalendarPopup(True)
        self.effective_edit.setDisplayFormat("d MMM yyyy")
        self.effective_edit.setAccessibleName("Effective from")
        self.effective_edit.setToolTip(
            "The first day this version counts; runs before it keep the steps they had."
        )
        self._add_field(form, "Effective &from", self.effective_edit, "effective")

        self.note_edit = QLineEdit()
        self.note_edit.setAccessibleName("What changed")
        self.note_edit.setMaxLength(500)
        self.note_edit.setPlaceholderText(
            "Optional, e.g. Added feeding the cat" if editing else "Optional note"
        )
        self._add_field(form, "What c&hanged" if editing else "N&ote", self.note_edit, "note")

        body.addLayout(self._build_steps_panel(), 6)

        self.errors["general"] = self._error_label("general")
        root.addWidget(self.errors["general"])

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.save_button = QPushButton("Save changes" if editing else "Create routine")
        self.save_button.setAccessibleName("Save routine")
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Save (Ctrl+S)")
        self.save_button.clicked.connect(self.save)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        root.addLayout(buttons)
        save_shortcut = QShortcut(QKeySequence.StandardKey.Save, self)
        save_shortcut.activated.connect(self.save)

        self._fill(member_id)
        self._set_tab_order()
        self.name_edit.setFocus()

    # --- building -------------------------------------------------------------------------------

    def _intro_text(self) -> str:
        if self.routine is None:
            return (
                "Give the routine a name, pick who does it and on which days, then list its "
                "steps in order."
            )
        latest = self.routine.latest_version
        return (
            f"A change of steps or schedule is saved as version {latest.number + 1}; version "
            f"{latest.number} and the runs made with it stay in the history."
        )

    def _error_label(self, key: str) -> QLabel:
        label = QLabel()
        label.setProperty("fieldError", True)
        label.setWordWrap(True)
        label.setObjectName(f"error-{key}")
        label.setAccessibleName(f"{key.capitalize()} problem")
        label.hide()
        return label

    def _add_field(self, form: QGridLayout, text: str, widget: QWidget, key: str) -> None:
        label = QLabel(text)
        label.setBuddy(widget)
        row = self._form_row
        form.addWidget(label, row, 0, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        form.addWidget(widget, row, 1)
        self.errors[key] = self._error_label(key)
        form.addWidget(self.errors[key], row + 1, 1)
        form.setRowMinimumHeight(row + 1, 6)
        self._form_row += 2

    def _time_row(
        self, form: QGridLayout, text: str, key: str, none_text: str
    ) -> tuple[QTimeEdit, QCheckBox]:
        holder = QWidget()
        row = QHBoxLayout(holder)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        edit = QTimeEdit()
        edit.setDisplayFormat("HH:mm")
        edit.setAccessibleName(text.replace("&", ""))
        edit.setMinimumWidth(90)
        none = QCheckBox(none_text)
        none.setAccessibleName(none_text)
        none.toggled.connect(lambda checked: edit.setEnabled(not checked))
        row.addWidget(edit)
        row.addWidget(none)
        row.addStretch(1)
        self._add_field(form, text, holder, key)
        # The label's mnemonic should land in the time field, not on the holder.
        return edit, none

    def _build_steps_panel(self) -> QVBoxLayout:
        panel = QVBoxLayout()
        panel.setSpacing(6)
        title = QLabel("&Steps")
        title.setStyleSheet("font-weight: 600;")
        panel.addWidget(title)

        self.steps_model = StepsModel(parent=self)
        self.steps_table = StepsTable()
        self.steps_table.setModel(self.steps_model)
        title.setBuddy(self.steps_table)
        header = self.steps_table.horizontalHeader()
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.MINUTES, QHeaderView.ResizeMode.Fixed)
        header.setSectionResizeMode(Column.POINTS, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(Column.MINUTES, 86)
        header.resizeSection(Column.POINTS, 76)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.steps_table.move_requested.connect(self.move_selected)
        self.steps_table.remove_requested.connect(self.remove_selected)
        panel.addWidget(self.steps_table, 1)

        add_row = QHBoxLayout()
        add_row.setSpacing(6)
        self.new_step_edit = QLineEdit()
        self.new_step_edit.setPlaceholderText("Add a step…")
        self.new_step_edit.setToolTip("Type the step and press Enter to add it")
        self.new_step_edit.setAccessibleName("New step title")
        self.new_step_edit.setMaxLength(100)
        self.new_step_minutes = QSpinBox()
        self.new_step_minutes.setRange(0, MAX_STEP_MINUTES)
        self.new_step_minutes.setSpecialValueText("— min")
        self.new_step_minutes.setSuffix(" min")
        self.new_step_minutes.setAccessibleName("New step minutes")
        self.new_step_minutes.setToolTip("How long the step takes (optional): the run timer")
        self.new_step_points = QSpinBox()
        self.new_step_points.setRange(0, MAX_STEP_POINTS)
        self.new_step_points.setSpecialValueText("— pts")
        self.new_step_points.setSuffix(" pts")
        self.new_step_points.setAccessibleName("New step points")
        self.new_step_points.setToolTip("Points earned for the step (optional)")
        self.add_button = QPushButton("Add")
        self.add_button.setAccessibleName("Add step")
        self.add_button.setAutoDefault(False)
        self.add_button.setToolTip("Add the step (Enter in the step field)")
        self.add_button.clicked.connect(self.add_step_from_fields)
        enter_adds = _EnterAddsStep(self)
        for widget in (self.new_step_edit, self.new_step_minutes, self.new_step_points):
            widget.installEventFilter(enter_adds)
        add_row.addWidget(self.new_step_edit, 1)
        add_row.addWidget(self.new_step_minutes)
        add_row.addWidget(self.new_step_points)
        add_row.addWidget(self.add_button)
        panel.addLayout(add_row)

        tools = QHBoxLayout()
        tools.setSpacing(6)
        self.up_button = self._tool_button("↑ Up", "Move step up", "Move up (Ctrl+Up)")
        self.up_button.clicked.connect(lambda: self.move_selected(-1))
        self.down_button = self._tool_button("↓ Down", "Move step down", "Move down (Ctrl+Down)")
        self.down_button.clicked.connect(lambda: self.move_selected(1))
        self.remove_button = self._tool_button("Remove", "Remove step", "Remove the step (Delete)")
        self.remove_button.clicked.connect(self.remove_selected)
        tools.addWidget(self.up_button)
        tools.addWidget(self.down_button)
        tools.addWidget(self.remove_button)
        tools.addStretch(1)
        self.totals_label = QLabel()
        self.totals_label.setProperty("muted", True)
        self.totals_label.setAccessibleName("Steps total")
        tools.addWidget(self.totals_label)
        panel.addLayout(tools)

        self.errors["steps"] = self._error_label("steps")
        panel.addWidget(self.errors["steps"])

        hint = QLabel("Drag or Ctrl+Up / Ctrl+Down to reorder · F2 to edit a cell")
        hint.setProperty("muted", True)
        hint.setWordWrap(True)
        panel.addWidget(hint)

        for signal in (
            self.steps_model.rowsInserted,
            self.steps_model.rowsRemoved,
            self.steps_model.rowsMoved,
            self.steps_model.dataChanged,
            self.steps_model.modelReset,
        ):
            signal.connect(self._steps_changed)
        selection = self.steps_table.selectionModel()
        selection.selectionChanged.connect(self._update_step_buttons)
        return panel

    def _tool_button(self, text: str, name: str, tip: str) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        button.setToolTip(tip)
        button.setAutoDefault(False)
        return button

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.name_edit,
            self.member_combo,
            *(self.weekday_picker.buttons[n] for n in self.weekday_picker.ordered_names()),
            *self.weekday_picker.preset_buttons.values(),
            self.start_edit,
            self.start_none,
            self.finish_edit,
            self.finish_none,
            self.effective_edit,
            self.note_edit,
            self.steps_table,
            self.new_step_edit,
            self.new_step_minutes,
            self.new_step_points,
            self.add_button,
            self.up_button,
            self.down_button,
            self.remove_button,
            self.cancel_button,
            self.save_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # --- filling --------------------------------------------------------------------------------

    def _fill(self, member_id: Any) -> None:
        today = self.context.today
        routine = self.routine
        if routine is None:
            self.weekday_picker.set_weekdays(["mon", "tue", "wed", "thu", "fri"])
            self._set_time(self.start_edit, self.start_none, None, time(7, 0))
            self._set_time(self.finish_edit, self.finish_none, None, time(8, 0))
            self.effective_edit.setDate(_qdate(today))
            wanted = member_id
        else:
            latest = routine.latest_version
            self.name_edit.setText(routine.name)
            self.weekday_picker.set_weekdays(latest.weekdays)
            self._set_time(self.start_edit, self.start_none, latest.start_time, time(7, 0))
            self._set_time(self.finish_edit, self.finish_none, latest.finish_by, time(8, 0))
            self.effective_edit.setDate(_qdate(max(today, latest.effective_from)))
            self.steps_model.set_steps(
                StepDraft(s.title, s.duration_minutes, s.points) for s in latest.steps
            )
            wanted = routine.user_id
        index = combo_index(self.member_combo, wanted)
        if index < 0 and routine is not None:
            # The member left the family or became a viewer: say so rather than pick someone.
            self.member_combo.insertItem(0, "(no longer a member who can do routines)", None)
            index = 0
        self.member_combo.setCurrentIndex(max(0, index))
        if self.member_combo.count() == 0:
            self._show_errors(
                {"member": "Member: add a child or parent to the family first (Family screen)."}
            )
        self._steps_changed()

    @staticmethod
    def _set_time(edit: QTimeEdit, none: QCheckBox, value: time | None, fallback: time) -> None:
        shown = value or fallback
        edit.setTime(QTime(shown.hour, shown.minute))
        none.setChecked(value is None)
        edit.setEnabled(value is not None)

    # --- steps ----------------------------------------------------------------------------------

    def add_step_from_fields(self) -> None:
        title = self.new_step_edit.text().strip()
        if not title:
            self._show_errors({"steps": "Step title: type the step first, then press Enter."})
            self.new_step_edit.setFocus()
            return
        self._clear_error("steps")
        row = self.steps_model.add_step(
            StepDraft(
                title,
                self.new_step_minutes.value() or None,
                self.new_step_points.value() or None,
            )
        )
        self.steps_table.selectRow(row)
        self.steps_table.scrollTo(self.steps_model.index(row, 0))
        self.new_step_edit.clear()
        self.new_step_minutes.setValue(0)
        self.new_step_points.setValue(0)
        self.new_step_edit.setFocus()

    def selected_row(self) -> int:
        rows = self.steps_table.selectionModel().selectedRows()
        if rows:
            return rows[0].row()
        current = self.steps_table.currentIndex()
        return current.row() if current.isValid() else -1

    def move_selected(self, delta: int) -> None:
        row = self.selected_row()
        if row < 0:
            return
        new_row = self.steps_model.move_step(row, delta)
        column = max(0, self.steps_table.currentIndex().column())
        self.steps_table.setCurrentIndex(self.steps_model.index(new_row, column))
        self.steps_table.selectRow(new_row)

    def remove_selected(self) -> None:
        row = self.selected_row()
        if row < 0:
            return
        self.steps_model.removeRows(row, 1)
        if self.steps_model.rowCount():
            self.steps_table.selectRow(min(row, self.steps_model.rowCount() - 1))
        self.steps_table.setFocus()

    def _steps_changed(self, *_args: Any) -> None:
        count = self.steps_model.rowCount()
        parts = [f"{count} step" + ("" if count == 1 else "s")]
        minutes, points = self.steps_model.total_minutes(), self.steps_model.total_points()
        if minutes:
            parts.append(f"{minutes} min")
        if points:
            parts.append("1 point" if points == 1 else f"{points} points")
        self.totals_label.setText(" · ".join(parts) if count else "No steps yet")
        self._update_step_buttons()

    def _update_step_buttons(self, *_args: Any) -> None:
        row = self.selected_row()
        count = self.steps_model.rowCount()
        self.up_button.setEnabled(row > 0)
        self.down_button.setEnabled(0 <= row < count - 1)
        self.remove_button.setEnabled(0 <= row < count)

    # --- saving ---------------------------------------------------------------------------------

    def payload(self) -> dict[str, Any]:
        """What the form says, as the routine service takes it."""
        data: dict[str, Any] = {
            "name": self.name_edit.text(),
            "weekdays": self.weekday_picker.weekdays(),
            "start_time": self._time_of(self.start_edit, self.start_none),
            "finish_by": self._time_of(self.finish_edit, self.finish_none),
            "steps": [s.as_input() for s in self.steps_model.steps()],
            "effective_from": _pydate(self.effective_edit.date()),
            "note": self.note_edit.text(),
        }
        return data

    @staticmethod
    def _time_of(edit: QTimeEdit, none: QCheckBox) -> time | None:
        if none.isChecked():
            return None
        value = edit.time()
        return time(value.hour(), value.minute())

    def save(self) -> asyncio.Task[None] | None:
        core, family = self.context.core, self.context.family
        if self.save_task is not None and not self.save_task.done():
            return self.save_task
        if core is None or family is None:
            return None
        if self.new_step_edit.text().strip():
            # A step typed but not yet added is surely meant to be part of the routine.
            self.add_step_from_fields()
        self._clear_errors()
        member_id = self.member_combo.currentData()
        if member_id is None:
            self._show_errors({"member": "Member: choose who does this routine."})
            return None
        data = self.payload()
        actor = self.context.actor
        if self.routine is None:
            work = core.routines.create_routine(
                actor, {**data, "family_id": family.id, "user_id": member_id}
            )
        else:
            data["expected_version"] = self.routine.version
            work = core.routines.edit_routine(actor, self.routine.id, data, user_id=member_id)
        self.save_button.setEnabled(False)
        self.save_task = self.context.tasks.write(
            work, on_done=self._saved, on_error=self._refused, origin=self
        )
        return self.save_task

    def _saved(self, result: Any) -> None:
        self.save_button.setEnabled(True)
        self.saved.emit(result.value)
        self.accept()

    def _refused(self, message: str) -> None:
        self.save_button.setEnabled(True)
        self._show_errors(split_messages(message))

    # --- messages -------------------------------------------------------------------------------

    def _show_errors(self, messages: dict[str, str]) -> None:
        for key, text in messages.items():
            label = self.errors.get(key) or self.errors["general"]
            label.setText(text)
            label.show()
        first = next((k for k in FIELDS if k in messages), None)
        focus = {
            "name": self.name_edit,
            "member": self.member_combo,
            "weekdays": self.weekday_picker.buttons["mon"],
            "start": self.start_edit,
            "finish": self.finish_edit,
            "steps": self.new_step_edit,
            "effective": self.effective_edit,
            "note": self.note_edit,
        }.get(first or "")
        if focus is not None and focus.isEnabled():
            focus.setFocus()

    def _clear_error(self, key: str) -> None:
        self.errors[key].clear()
        self.errors[key].hide()

    def _clear_errors(self) -> None:
        for key in self.errors:
            self._clear_error(key)

    def error_text(self, key: str) -> str:
        """The message shown next to a field ("" when none): for tests and screen readers."""
        label = self.errors[key]
        return label.text() if not label.isHidden() else ""


__all__ = [
    "RoutineEditor",
    "StepsTable",
    "combo_index",
    "format_day",
    "member_label",
    "split_messages",
]
