"""The rows of a member's day on the Today screen: a routine as a checklist of step chips, and a
habit as one row (a big toggle or a number, skip, note).

Rows never write: they emit what the person asked for and the Today view sends it through the
task bridge. `set_item` refreshes a row in place (after every write the screen reloads), so the
focus stays where the person left it and the next check-in is one key away.
"""

from __future__ import annotations

import math
from datetime import date
from functools import lru_cache

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from habitdesk.core.enums import Direction, EntryStatus, HabitKind, RunStatus
from habitdesk.core.schemas.habits import HabitDueRead, HabitRead
from habitdesk.core.schemas.routines import RunStepRead
from habitdesk.core.schemas.today import RoutineDayRead
from habitdesk.ui.widgets.flow_layout import FlowLayout

DONE_COLOUR = "#3FA66B"
MISSED_COLOUR = "#D08A00"
SKIPPED_COLOUR = "#8A9099"
# The spin box shows this (as "–") when nothing is recorded for the day.
NOTHING = -1.0
MAX_VALUE = 1_000_000.0


# --- formatting ---------------------------------------------------------------------------------


def number(value: float) -> str:
    """8000 → "8,000"; 7.5 → "7.5"."""
    if math.isclose(value, round(value)):
        return f"{round(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def target_hint(habit: HabitRead) -> str:
    """ "target ≥ 8,000 steps" / "≤ 60 min"."""
    if habit.kind is not HabitKind.NUMERIC or habit.target_value is None:
        return ""
    sign = "≤" if habit.direction is Direction.AT_MOST else "≥"
    unit = f" {habit.unit}" if habit.unit else ""
    prefix = "" if habit.direction is Direction.AT_MOST else "target "
    return f"{prefix}{sign} {number(habit.target_value)}{unit}"


_DAY_NAMES = {
    "mon": "Mon",
    "tue": "Tue",
    "wed": "Wed",
    "thu": "Thu",
    "fri": "Fri",
    "sat": "Sat",
    "sun": "Sun",
}


def frequency_text(item: HabitDueRead) -> str:
    habit = item.habit
    if habit.weekdays is not None:
        if len(habit.weekdays) == 7:
            return ""
        return ", ".join(_DAY_NAMES.get(d, d) for d in habit.weekdays)
    if habit.freq_num == habit.freq_den == 1:
        return ""
    if habit.freq_den == 7:
        period = "a week"
    elif habit.freq_den == 1:
        period = "a day"
    else:
        period = f"in {habit.freq_den} days"
    done = f" · {item.completions_in_window} done" if item.completions_in_window else ""
    return f"{habit.freq_num}× {period}{done}"


def points_text(points: int) -> str:
    return f"+{points} ⭐" if points else ""


def readable_on(colour: str) -> str:
    """Black or white, whichever reads better on `colour`."""
    c = QColor(colour)
    luminance = 0.299 * c.red() + 0.587 * c.green() + 0.114 * c.blue()
    return "#1F2328" if luminance > 165 else "#FFFFFF"


def tint(colour: str, alpha: int) -> str:
    c = QColor(colour)
    return f"rgba({c.red()}, {c.green()}, {c.blue()}, {alpha})"


def repolish(widget: QWidget) -> None:
    """Apply the style rules again after a property they select on changed."""
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def set_status(label: QLabel, status: str) -> None:
    """A status chip: "done", "missed", "skipped" or "" (nothing to say)."""
    label.setText(status.capitalize())
    label.setVisible(bool(status))
    if label.property("status") != status:
        label.setProperty("status", status)
        repolish(label)


@lru_cache(maxsize=64)
def card_style_sheet(colour: str) -> str:
    """Every colour rule of a member's card in one style sheet, set once on the card.

    One sheet per card rather than one per widget: building the day of six members with ninety
    rows took ≈0.5 s with per-widget sheets (each parsed and polished on its own).
    """
    fg = readable_on(colour)
    return f"""
    #memberBand {{ background: {colour}; border-radius: 2px; }}
    #memberAvatar {{ background: {tint(colour, 50)}; border: 2px solid {colour};
                     border-radius: 21px; font-size: 17pt; }}
    #memberName {{ font-size: 12.5pt; font-weight: 600; }}
    QLabel[small="true"] {{ font-size: 9pt; }}
    QLabel[strong="true"] {{ font-weight: 600; }}
    QLabel[note="true"] {{ font-size: 9pt; font-style: italic; }}
    QLabel[skipped="true"] {{ text-decoration: line-through; }}
    QLabel[heading="true"] {{ font-size: 8.5pt; font-weight: 600; letter-spacing: 1px; }}
    QLabel[status="done"], QLabel[status="missed"], QLabel[status="skipped"] {{
        border-radius: 11px; padding: 0 8px; font-weight: 600; font-size: 9pt; }}
    QLabel[status="done"] {{ color: {DONE_COLOUR}; background: {tint(DONE_COLOUR, 38)}; }}
    QLabel[status="missed"] {{ color: {MISSED_COLOUR}; background: {tint(MISSED_COLOUR, 38)}; }}
    QLabel[status="skipped"] {{ color: {SKIPPED_COLOUR};
        background: {tint(SKIPPED_COLOUR, 38)}; }}
    QProgressBar {{ border: none; border-radius: 3px; background: palette(mid); }}
    QProgressBar::chunk {{ background: {colour}; border-radius: 3px; }}
    QToolButton[more="true"]::menu-indicator {{ image: none; width: 0; }}
    #notDueToggle {{ padding: 3px 4px; }}
    QPushButton[todayChip="true"] {{ border: 1px solid palette(mid); border-radius: 13px;
        padding: 4px 12px; background: palette(base); }}
    QPushButton[todayChip="true"]:hover {{ border-color: {colour}; }}
    QPushButton[todayChip="true"]:focus {{ border: 2px solid {colour}; padding: 3px 11px; }}
    QPushButton[todayChip="true"]:checked {{ background: {colour}; color: {fg};
        border-color: {colour}; }}
    QPushButton[todayChip="true"]:disabled {{ color: palette(placeholder-text); }}
    QPushButton[todayChip="true"]:checked:disabled {{ background: {tint(colour, 110)};
        color: {fg}; }}
    QPushButton[habitToggle="true"] {{ border: 2px solid {colour}; border-radius: 16px;
        background: palette(base); font-size: 13pt; font-weight: 700; padding: 0; }}
    QPushButton[habitToggle="true"]:hover {{ background: {tint(colour, 40)}; }}
    QPushButton[habitToggle="true"]:focus {{ border: 3px solid {colour}; }}
    QPushButton[habitToggle="true"]:checked {{ background: {colour}; color: {fg}; }}
    QPushButton[habitToggle="true"]:disabled {{ border-color: palette(mid); }}
    QPushButton[habitToggle="true"]:checked:disabled {{ background: {tint(colour, 110)}; }}
    #habitIndicator {{ border: 2px solid {colour}; border-radius: 16px;
        background: palette(base); font-size: 13pt; font-weight: 700; }}
    #habitIndicator[done="true"] {{ background: {colour}; color: {fg}; }}
    #habitIndicator[missed="true"] {{ background: {tint(colour, 50)}; }}
    #habitIndicator:disabled {{ border-color: palette(mid); }}
    #habitIndicator[done="true"]:disabled {{ background: {tint(colour, 110)}; }}
    """


# --- a layout that wraps ----------------------------------------------------------------------


# --- routines -----------------------------------------------------------------------------------


class StepChip(QPushButton):
    """One step of a routine: click or Space checks it (and unchecks it again)."""

    def __init__(self, step: RunStepRead, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step = step
        self.setCheckable(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setProperty("todayChip", True)
        self.set_step(step)

    def set_step(self, step: RunStepRead) -> None:
        self.step = step
        self.blockSignals(True)
        self.setChecked(step.checked)
        self.blockSignals(False)
        self.show_state()

    def show_state(self) -> None:
        step = self.step
        extra = []
        if step.duration_minutes:
            extra.append(f"{step.duration_minutes} min")
        if step.points:
            extra.append(f"+{step.points} ⭐")
        mark = "✓ " if self.isChecked() else ""
        self.setText(f"{mark}{step.title}")
        self.setAccessibleName(f"Step {step.title}")
        state = "done" if self.isChecked() else "not done"
        self.setAccessibleDescription(state)
        tip = f"{step.title}: {state}"
        if extra:
            tip += f" ({', '.join(extra)})"
        self.setToolTip(tip + " — click or press Space")


class OneLineWhenRoom(QLabel):
    """A label on one line while its row has room, wrapping only when the row has not.

    A plain wrapping label asks for less than one line's width and wraps even in a wide row;
    a plain label makes the card as wide as its row, which pushed the second column of cards
    off a 1280 px window once a routine's row had its note button.
    """

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setWordWrap(True)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        margins = self.contentsMargins()
        one_line = (
            self.fontMetrics().horizontalAdvance(self.text())
            + margins.left()
            + margins.right()
            + 2 * self.margin()
            + 2  # rounding of the bold font's advance
        )
        return QSize(max(hint.width(), one_line), hint.height())


class RoutineBlock(QWidget):
    """A routine of the day: name, progress, its steps as chips, and the run's note."""

    step_toggled = Signal(object, object, bool)  # RoutineDayRead, RunStepRead, checked
    run_requested = Signal(object)  # RoutineDayRead
    skip_requested = Signal(object)
    restart_requested = Signal(object)
    # RoutineDayRead, the button to place the note editor by.
    note_clicked = Signal(object, object)
    skip_with_note_requested = Signal(object, object)

    def __init__(self, item: RoutineDayRead, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        self.setObjectName(f"routine-{item.routine.id}")
        self.setAccessibleName(f"Routine {item.routine.name}")
        root = QVBoxLayout(self)
        root.setContentsMargins(0, 2, 0, 6)
        root.setSpacing(6)

        head = QHBoxLayout()
        head.setSpacing(8)
        self.name = OneLineWhenRoom(item.routine.name)
        self.name.setProperty("strong", True)
        self.name.setAccessibleName("Routine name")
        self.times = QLabel()
        self.times.setProperty("muted", True)
        self.count = QLabel()
        self.count.setAccessibleName(f"{item.routine.name} progress")
        self.status = QLabel()
        self.status.setProperty("status", "")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setMinimumWidth(62)
        self.status.setFixedHeight(22)
        self.status.hide()
        self.run_button = QToolButton()
        self.run_button.setText("▶ Run")
        self.run_button.setAccessibleName(f"Run {item.routine.name}")
        self.run_button.setToolTip("Do the routine step by step, full screen")
        self.run_button.setAutoRaise(True)
        self.run_button.clicked.connect(lambda: self.run_requested.emit(self.item))
        self.more_button = QToolButton()
        self.more_button.setText("⋯")
        self.more_button.setAccessibleName(f"More for {item.routine.name}")
        self.more_button.setToolTip("Skip this day, or start again")
        self.more_button.setAutoRaise(True)
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_button.setProperty("more", True)
        self.menu = QMenu(self.more_button)
        self.skip_action = self.menu.addAction("Skip this day")
        self.skip_action.triggered.connect(lambda: self.skip_requested.emit(self.item))
        self.skip_note_action = self.menu.addAction("Skip with a note…")
        self.skip_note_action.triggered.connect(
            lambda: self.skip_with_note_requested.emit(self.item, self.more_button)
        )
        self.restart_action = self.menu.addAction("Start again")
        self.restart_action.triggered.connect(lambda: self.restart_requested.emit(self.item))
        self.more_button.setMenu(self.menu)
        self.note_button = QToolButton()
        self.note_button.setText("✎")
        self.note_button.setAutoRaise(True)
        self.note_button.setProperty("todayKey", f"routine-note:{item.routine.id}")
        self.note_button.setAccessibleName(f"Note for {item.routine.name}")
        self.note_button.clicked.connect(
            lambda: self.note_clicked.emit(self.item, self.note_button)
        )
        head.addWidget(self.name)
        head.addWidget(self.times)
        head.addStretch(1)
        head.addWidget(self.status)
        head.addWidget(self.count)
        head.addWidget(self.run_button)
        head.addWidget(self.note_button)
        head.addWidget(self.more_button)
        root.addLayout(head)

        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(6)
        self.progress.setAccessibleName(f"{item.routine.name} steps done")
        root.addWidget(self.progress)

        chips = QWidget()
        self.flow = FlowLayout(chips, spacing=6)
        self.chips: list[StepChip] = []
        for step in item.steps:
            chip = StepChip(step)
            chip.setProperty("todayKey", f"step:{item.routine.id}:{step.step_id}")
            chip.toggled.connect(lambda checked, c=chip: self._chip_toggled(c, checked))
            self.flow.addWidget(chip)
            self.chips.append(chip)
        root.addWidget(chips)
        self.note_label = QLabel()
        self.note_label.setProperty("muted", True)
        self.note_label.setProperty("note", True)
        self.note_label.setWordWrap(True)
        self.note_label.setAccessibleName(f"{item.routine.name} note")
        self.note_label.hide()
        root.addWidget(self.note_label)
        self.set_item(item, enabled=True, can_run=False)

    def _chip_toggled(self, chip: StepChip, checked: bool) -> None:
        chip.show_state()  # at once; the reload that follows the write confirms it
        self.step_toggled.emit(self.item, chip.step, checked)

    def set_item(self, item: RoutineDayRead, *, enabled: bool, can_run: bool) -> None:
        self.item = item
        for chip, step in zip(self.chips, item.steps, strict=False):
            chip.set_step(step)
        version = item.version
        if version.start_time and version.finish_by:
            self.times.setText(f"{version.start_time:%H:%M}–{version.finish_by:%H:%M}")
        elif version.start_time:
            self.times.setText(f"from {version.start_time:%H:%M}")
        elif version.finish_by:
            self.times.setText(f"by {version.finish_by:%H:%M}")
        else:
            self.times.setText("")
        self.progress.setMaximum(max(1, item.total))
        self.progress.setValue(item.done)
        points = (
            f" · {item.points_earned}/{item.points_possible} ⭐" if item.points_possible else ""
        )
        self.count.setText(f"{item.done}/{item.total}{points}")
        skipped = item.skipped
        set_status(self.status, "skipped" if skipped else "done" if item.complete else "")
        # Never squeezed below its text in a tight row ("Skipped" was cut to "kippe").
        self.status.setMinimumWidth(max(62, self.status.sizeHint().width()))
        for chip in self.chips:
            chip.setEnabled(enabled and not skipped)
        started = item.run is not None and item.run.status is not RunStatus.SKIPPED
        self.skip_action.setEnabled(enabled and not skipped and item.done == 0)
        self.skip_action.setVisible(not skipped)
        self.skip_note_action.setEnabled(self.skip_action.isEnabled())
        self.skip_note_action.setVisible(not skipped)
        self.restart_action.setVisible(skipped)
        self.restart_action.setEnabled(enabled and skipped)
        self.more_button.setEnabled(enabled and (skipped or item.done == 0))
        self.run_button.setVisible(can_run)
        self.run_button.setEnabled(enabled and can_run)
        self.run_button.setText("▶ Resume" if started and not item.complete else "▶ Run")
        note = item.run.note if item.run is not None else None
        self.note_label.setText(f"“{note}”" if note else "")
        self.note_label.setVisible(bool(note))
        # A note explains a run: a day nobody started or skipped has nothing to explain yet.
        self.note_button.setEnabled(enabled and item.run is not None)
        if item.run is None:
            self.note_button.setToolTip("Start or skip the routine first, then add a note")
        else:
            self.note_button.setToolTip(
                "Edit the note" if note else "Add a note: why it was skipped or left partial"
            )
        self.setAccessibleDescription(
            f"{item.done} of {item.total} steps done" + (", skipped" if skipped else "")
        )


# --- habits -------------------------------------------------------------------------------------


class ValueBox(QDoubleSpinBox):
    """A number for the day; "–" (the minimum) means nothing recorded."""

    def __init__(self, habit: HabitRead, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        target = habit.target_value or 1.0
        fractional = not math.isclose(target, round(target))
        self.setDecimals(_decimals(target))
        self.setRange(NOTHING, MAX_VALUE)
        self.setSpecialValueText(f"– {habit.unit}" if habit.unit else "–")
        self.setKeyboardTracking(False)
        self.setSuffix(f" {habit.unit}" if habit.unit else "")
        self.setSingleStep(_step_for(target, fractional))
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.UpDownArrows)
        self.setCorrectionMode(QAbstractSpinBox.CorrectionMode.CorrectToNearestValue)
        self.setFixedWidth(108)
        self.setAccessibleName(f"{habit.name} amount")
        # Typed but not yet saved: a reload must not overwrite it (and after a refusal it
        # must, so the box shows what is really recorded).
        self.editing = False
        self.lineEdit().textEdited.connect(self._edited)

    def _edited(self, _text: str) -> None:
        self.editing = True

    def stepBy(self, steps: int) -> None:
        self.editing = True
        # From "nothing recorded" the first step up lands on 0, not on the minimum plus a step.
        if self.value() == NOTHING and steps > 0:
            self.setValue(0.0)
            steps -= 1
        super().stepBy(steps)

    def set_recorded(self, value: float | None) -> None:
        self.editing = False
        self.blockSignals(True)
        if value is not None and _decimals(value) > self.decimals():
            self.setDecimals(_decimals(value))
        self.setValue(NOTHING if value is None else value)
        self.blockSignals(False)

    @property
    def recorded(self) -> float | None:
        value = self.value()
        return None if value <= NOTHING else value


def _decimals(value: float) -> int:
    """Places a number needs (at most two: 7.5 h, 0.25 km)."""
    for places in (0, 1):
        if math.isclose(value, round(value, places), abs_tol=1e-9):
            return places
    return 2


def _step_for(target: float, fractional: bool) -> float:
    if fractional:
        return 0.5
    if target <= 30:
        return 1
    if target <= 150:
        return 5
    if target <= 1500:
        return 10
    return 500


class HabitRow(QWidget):
    """One habit on one day: done toggle (yes/no habits) or amount (numeric), skip, note."""

    toggled = Signal(object, bool)  # HabitDueRead, done
    value_entered = Signal(object, object)  # HabitDueRead, float | None (None: clear the day)
    skip_clicked = Signal(object)  # HabitDueRead
    note_clicked = Signal(object, object)  # HabitDueRead, the note button (to place the editor)

    def __init__(self, item: HabitDueRead, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.item = item
        habit = item.habit
        self.numeric = habit.kind is HabitKind.NUMERIC
        self.setObjectName(f"habit-{habit.id}")
        self.setAccessibleName(f"Habit {habit.name}")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 3, 0, 3)
        row.setSpacing(8)

        self.toggle: QPushButton | None = None
        self.value_box: ValueBox | None = None
        self.indicator: QLabel | None = None
        if self.numeric:
            # A number is typed, not toggled: the circle only shows how the day went.
            indicator = QLabel()
            indicator.setFixedSize(32, 32)
            indicator.setAlignment(Qt.AlignmentFlag.AlignCenter)
            indicator.setObjectName("habitIndicator")
            self.indicator = indicator
            row.addWidget(indicator)
        else:
            toggle = QPushButton()
            toggle.setCheckable(True)
            toggle.setFixedSize(32, 32)
            toggle.setCursor(Qt.CursorShape.PointingHandCursor)
            toggle.setProperty("todayKey", f"toggle:{habit.id}")
            toggle.setAccessibleName(f"{habit.name} done")
            toggle.setToolTip(f"{habit.name}: done? (click or Space)")
            toggle.setProperty("habitToggle", True)
            toggle.clicked.connect(self._toggle_clicked)
            self.toggle = toggle
            row.addWidget(toggle)

        texts = QVBoxLayout()
        texts.setSpacing(0)
        texts.setContentsMargins(0, 1, 0, 1)
        self.name = QLabel(habit.name)
        self.name.setAccessibleName("Habit name")
        self.name.setWordWrap(True)
        self.meta = QLabel()
        self.meta.setProperty("muted", True)
        self.meta.setProperty("small", True)
        self.meta.setWordWrap(True)
        self.note_label = QLabel()
        self.note_label.setProperty("muted", True)
        self.note_label.setProperty("note", True)
        self.note_label.setWordWrap(True)
        self.note_label.setAccessibleName(f"{habit.name} note")
        texts.addWidget(self.name)
        texts.addWidget(self.meta)
        texts.addWidget(self.note_label)
        row.addLayout(texts, 1)

        if self.numeric:
            self.value_box = ValueBox(habit)
            self.value_box.setProperty("todayKey", f"value:{habit.id}")
            self.value_box.editingFinished.connect(self._value_finished)
            self.value_box.setToolTip(
                f"How much ({target_hint(habit)}); Enter saves, ↑/↓ step, “–” = nothing recorded"
            )
            row.addWidget(self.value_box)

        self.status = QLabel()
        self.status.setProperty("status", "")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status.setAccessibleName(f"{habit.name} status")
        self.status.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        # Hidden but still taking its place, so the buttons line up from row to row.
        policy = self.status.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.status.setSizePolicy(policy)
        self.status.setMinimumWidth(62)
        self.status.setFixedHeight(22)
        row.addWidget(self.status)

        self.skip_button = QToolButton()
        self.skip_button.setAutoRaise(True)
        self.skip_button.setProperty("todayKey", f"skip:{habit.id}")
        self.skip_button.clicked.connect(lambda: self.skip_clicked.emit(self.item))
        self.note_button = QToolButton()
        self.note_button.setText("✎")
        self.note_button.setAutoRaise(True)
        self.note_button.setProperty("todayKey", f"note:{habit.id}")
        self.note_button.setAccessibleName(f"Note for {habit.name}")
        self.note_button.clicked.connect(
            lambda: self.note_clicked.emit(self.item, self.note_button)
        )
        row.addWidget(self.skip_button)
        row.addWidget(self.note_button)
        self.set_item(item, enabled=True)

    # --- state --------------------------------------------------------------------------------

    def set_item(self, item: HabitDueRead, *, enabled: bool) -> None:
        self.item = item
        habit, entry = item.habit, item.entry
        status = entry.status if entry is not None else None
        if self.toggle is not None:
            self.toggle.blockSignals(True)
            self.toggle.setChecked(status is EntryStatus.DONE)
            self.toggle.blockSignals(False)
            self.toggle.setText("✓" if status is EntryStatus.DONE else "")
            self.toggle.setAccessibleDescription(
                "done" if status is EntryStatus.DONE else "not done"
            )
            self.toggle.setEnabled(enabled)
        if self.indicator is not None:
            self.indicator.setText("✓" if status is EntryStatus.DONE else "")
            self.indicator.setProperty("done", status is EntryStatus.DONE)
            self.indicator.setProperty("missed", status is EntryStatus.MISSED)
            self.indicator.setEnabled(enabled)  # looks like the toggles of its card
            repolish(self.indicator)
        if self.value_box is not None:
            if not self.value_box.editing:
                self.value_box.set_recorded(entry.value if entry is not None else None)
            self.value_box.setEnabled(enabled)

        meta = [target_hint(habit), frequency_text(item), points_text(habit.points)]
        if not item.started:
            meta.insert(0, f"starts {habit.effective_from:%d %b}")
        self.meta.setText(" · ".join(part for part in meta if part))
        self.meta.setVisible(bool(self.meta.text()))

        set_status(self.status, status.value if status is not None else "")

        skipped = status is EntryStatus.SKIPPED
        self.skip_button.setText("Unskip" if skipped else "Skip")
        self.skip_button.setAccessibleName(
            f"Unskip {habit.name}" if skipped else f"Skip {habit.name}"
        )
        self.skip_button.setToolTip(
            "Forget the skip (nothing recorded for the day)"
            if skipped
            else "Not today, on purpose (does not break the streak)"
        )
        self.skip_button.setEnabled(enabled)

        note = entry.note if entry is not None else None
        self.note_label.setText(f"“{note}”" if note else "")
        self.note_label.setVisible(bool(note))
        self.note_button.setEnabled(enabled and entry is not None)
        if entry is None:
            self.note_button.setToolTip("Check in or skip first, then add a note")
        else:
            self.note_button.setToolTip("Edit the note" if note else "Add a note for the day")
        if bool(self.name.property("skipped")) != skipped:
            self.name.setProperty("skipped", skipped)
            repolish(self.name)

    # --- input --------------------------------------------------------------------------------

    def _toggle_clicked(self, checked: bool) -> None:
        if self.toggle is not None:
            self.toggle.setText("✓" if checked else "")
        self.toggled.emit(self.item, checked)

    def _value_finished(self) -> None:
        box = self.value_box
        if box is None:
            return
        box.editing = False
        value = box.recorded
        entry = self.item.entry
        before = entry.value if entry is not None else None
        unchanged = (value is None and before is None) or (
            value is not None and before is not None and math.isclose(value, before)
        )
        if unchanged:
            return
        self.value_entered.emit(self.item, value)


def when_text(day: date, today: date) -> str:
    if day == today:
        return "today"
    if (today - day).days == 1:
        return "yesterday"
    return f"on {day:%a %d %b}"
