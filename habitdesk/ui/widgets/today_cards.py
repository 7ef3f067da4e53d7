"""A member's card on the Today screen, and the small note editor that pops up from a habit row.

The card shows the member's colour, avatar and name, "n of m done" and the points of the day,
the due routines and habits, and — folded away — what is not due that day.
"""

from __future__ import annotations

from collections.abc import Hashable
from uuid import UUID

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from habitdesk.core.enums import Role
from habitdesk.core.schemas.habits import NOTE_MAX, HabitDueRead
from habitdesk.core.schemas.today import MemberDayRead, RoutineDayRead
from habitdesk.ui.widgets.today_rows import HabitRow, RoutineBlock, card_style_sheet

ROLE_WORDS = {Role.OWNER: "parent", Role.PARENT: "parent", Role.CHILD: "child", Role.VIEWER: ""}


def card_shape(day: MemberDayRead) -> Hashable:
    """What decides the card's widgets (not their state, nor which section a row is in): the
    same shape on another day, or after a check-in, and the card is updated in place."""
    member = day.member

    def routine(r: RoutineDayRead) -> Hashable:
        return (r.routine.id, r.routine.name, tuple(s.step_id for s in r.steps))

    def habit(h: HabitDueRead) -> Hashable:
        return (h.habit.id, h.habit.name, h.habit.kind, h.habit.unit, h.habit.target_value)

    return (
        member.user_id,
        member.full_name,
        member.colour,
        member.avatar_emoji,
        member.role,
        frozenset(map(routine, day.routines + day.not_due_routines)),
        frozenset(map(habit, day.habits + day.not_due_habits)),
    )


def _column() -> tuple[QWidget, QVBoxLayout]:
    widget = QWidget()
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(6)
    return widget, layout


def _section_heading(text: str) -> QLabel:
    label = QLabel(text.upper())
    label.setProperty("muted", True)
    label.setProperty("heading", True)
    return label


class MemberCard(QFrame):
    """One member's day. Rows are exposed (`routine_blocks`, `habit_rows`) for the view to wire."""

    def __init__(self, day: MemberDayRead, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        member = day.member
        colour = member.colour
        self.user_id = member.user_id
        self.shape = card_shape(day)
        self.setProperty("card", True)
        # First, before any row: each widget is then styled once as it is made. Set last (a
        # second pass over the finished tree) it took ≈25 % longer to make a card and show it.
        self.setStyleSheet(card_style_sheet(colour))
        self.setObjectName(f"memberCard-{member.user_id}")
        self.setAccessibleName(f"{member.full_name}'s day")

        outer = QHBoxLayout(self)
        outer.setContentsMargins(8, 12, 14, 12)
        outer.setSpacing(12)
        band = QFrame()
        band.setObjectName("memberBand")
        band.setFixedWidth(5)
        outer.addWidget(band)
        root = QVBoxLayout()
        root.setSpacing(8)
        outer.addLayout(root, 1)

        # --- header: avatar, name, how the day goes ---------------------------------------
        header = QHBoxLayout()
        header.setSpacing(10)
        avatar = QLabel(member.avatar_emoji or member.full_name[:1].upper())
        avatar.setObjectName("memberAvatar")
        avatar.setAccessibleName(f"{member.full_name}'s avatar")
        avatar.setFixedSize(42, 42)
        avatar.setAlignment(Qt.AlignmentFlag.AlignCenter)
        header.addWidget(avatar)
        names = QVBoxLayout()
        names.setSpacing(0)
        name = QLabel(member.full_name)
        name.setObjectName("memberName")
        role = QLabel(ROLE_WORDS.get(member.role, ""))
        role.setProperty("muted", True)
        role.setProperty("small", True)
        names.addWidget(name)
        names.addWidget(role)
        header.addLayout(names, 1)
        score = QVBoxLayout()
        score.setSpacing(0)
        self.done_label = QLabel()
        self.done_label.setObjectName("memberDone")
        self.done_label.setAccessibleName(f"{member.full_name} done")
        self.done_label.setProperty("strong", True)
        self.done_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.points_label = QLabel()
        self.points_label.setObjectName("memberPoints")
        self.points_label.setAccessibleName(f"{member.full_name} points")
        self.points_label.setProperty("muted", True)
        self.points_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        score.addWidget(self.done_label)
        score.addWidget(self.points_label)
        header.addLayout(score)
        root.addLayout(header)

        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setFixedHeight(8)
        self.progress.setAccessibleName(f"{member.full_name}'s progress")
        root.addWidget(self.progress)

        self.lock_note = QLabel()
        self.lock_note.setProperty("muted", True)
        self.lock_note.setProperty("small", True)
        self.lock_note.setWordWrap(True)
        self.lock_note.hide()
        root.addWidget(self.lock_note)

        self.error_label = QLabel()
        self.error_label.setObjectName("memberError")
        self.error_label.setProperty("fieldError", True)
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName(f"{member.full_name} message")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()
        root.addWidget(self.error_label)

        # --- rows: made once per item, moved between "due" and "not due" as days change ----
        self.routine_blocks: list[RoutineBlock] = []
        self.habit_rows: list[HabitRow] = []
        self._blocks: dict[UUID, RoutineBlock] = {}
        self._rows: dict[UUID, HabitRow] = {}
        for item in day.routines + day.not_due_routines:
            block = RoutineBlock(item, self)
            self.routine_blocks.append(block)
            self._blocks[item.routine.id] = block
        for habit in day.habits + day.not_due_habits:
            row = HabitRow(habit, self)
            self.habit_rows.append(row)
            self._rows[habit.habit.id] = row

        self.routines_heading = _section_heading("Routines")
        self.due_routines, self._due_routines = _column()
        self.habits_heading = _section_heading("Habits")
        self.due_habits, self._due_habits = _column()
        for widget in (
            self.routines_heading,
            self.due_routines,
            self.habits_heading,
            self.due_habits,
        ):
            root.addWidget(widget)
        self.empty_label = QLabel()
        self.empty_label.setProperty("muted", True)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAccessibleName(f"{member.full_name} nothing due")
        root.addWidget(self.empty_label)

        # --- what is not due, folded away -------------------------------------------------
        self.not_due_button = QToolButton()
        self.not_due_button.setObjectName("notDueToggle")
        self.not_due_button.setCheckable(True)
        self.not_due_button.setAutoRaise(True)
        self.not_due_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.not_due_button.setProperty("todayKey", f"notdue:{member.user_id}")
        self.not_due_box, self._not_due = _column()
        self.not_due_box.setObjectName("notDueBox")
        self.not_due_box.hide()
        self.not_due_button.toggled.connect(self._fold)
        root.addWidget(self.not_due_button, 0, Qt.AlignmentFlag.AlignLeft)
        root.addWidget(self.not_due_box)
        self.not_due_count = 0
        self._arranged: Hashable = None
        self._arrange(day)
        self._fold(False)

    def _arrange(self, day: MemberDayRead) -> None:
        """Rows into their sections, in the day's order (moving only what must move)."""
        wanted = (
            tuple(r.routine.id for r in day.routines),
            tuple(h.habit.id for h in day.habits),
            tuple(r.routine.id for r in day.not_due_routines),
            tuple(h.habit.id for h in day.not_due_habits),
        )
        if wanted == self._arranged:
            return
        self._arranged = wanted
        due_routines, due_habits, later_routines, later_habits = wanted
        sections: list[tuple[QVBoxLayout, list[QWidget]]] = [
            (self._due_routines, [self._blocks[i] for i in due_routines]),
            (self._due_habits, [self._rows[i] for i in due_habits]),
            (
                self._not_due,
                [self._blocks[i] for i in later_routines] + [self._rows[i] for i in later_habits],
            ),
        ]
        for layout, _widgets in sections:
            while layout.count():
                layout.takeAt(0)
        for layout, widgets in sections:
            for widget in widgets:
                layout.addWidget(widget)
        self.routines_heading.setVisible(bool(due_routines))
        self.due_routines.setVisible(bool(due_routines))
        self.habits_heading.setVisible(bool(due_habits))
        self.due_habits.setVisible(bool(due_habits))
        self.not_due_count = len(later_routines) + len(later_habits)
        self.not_due_button.setVisible(self.not_due_count > 0)
        first = day.member.full_name.split()[0]
        if not (self._blocks or self._rows):
            self.empty_label.setText(
                f"Nothing planned for {first} yet — add a routine or a habit on the Routines "
                "or Habits screen."
            )
        elif not (due_routines or due_habits):
            self.empty_label.setText("Nothing due 🎉")
        else:
            self.empty_label.setText("")
        self.empty_label.setVisible(bool(self.empty_label.text()))

    def is_due(self, row: QWidget) -> bool:
        return row.parent() is not self.not_due_box

    def _fold(self, open_: bool) -> None:
        self.not_due_box.setVisible(open_)
        arrow = "▾" if open_ else "▸"
        self.not_due_button.setText(f"{arrow}  {self._not_due_title} ({self.not_due_count})")
        self.not_due_button.setAccessibleName(f"{self._not_due_title} ({self.not_due_count})")
        self.not_due_button.setToolTip("Show what is not due" if not open_ else "Fold away")

    _not_due_title = "Not due today"

    # --- state ------------------------------------------------------------------------------

    def update_day(
        self, day: MemberDayRead, *, enabled: bool, can_run: bool, is_today: bool, lock: str
    ) -> None:
        """Fill the state of a card of the same shape (see `card_shape`)."""
        self._arrange(day)
        self._not_due_title = "Not due today" if is_today else "Not due that day"
        self._fold(self.not_due_button.isChecked())
        self.done_label.setText(f"{day.done} of {day.total} done" if day.total else "")
        when = "today" if is_today else "that day"
        points = day.points_earned
        self.points_label.setText(
            f"⭐ {points} point{'s' if points != 1 else ''} {when}"
            if points or day.points_possible
            else ""
        )
        self.progress.setMaximum(max(1, day.total))
        self.progress.setValue(day.done)
        self.progress.setVisible(day.total > 0)
        for item in day.routines + day.not_due_routines:
            self._blocks[item.routine.id].set_item(item, enabled=enabled, can_run=can_run)
        for habit in day.habits + day.not_due_habits:
            self._rows[habit.habit.id].set_item(habit, enabled=enabled)
        self.lock_note.setText(lock)
        self.lock_note.setVisible(bool(lock))
        self.setAccessibleDescription(f"{day.done} of {day.total} done, {points} points {when}")

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()


class NoteEditor(QFrame):
    """A small pop-up to write the note of a habit's day or a routine's run (or, with `skip`,
    the reason a routine is skipped: its button then skips). Ctrl+Enter saves, Esc closes."""

    save_requested = Signal(str)

    def __init__(
        self,
        title: str,
        text: str | None,
        parent: QWidget | None = None,
        *,
        skip: bool = False,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.setObjectName("noteEditor")
        self.setAccessibleName("Note editor")
        self.setProperty("card", True)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(320)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 12, 14, 12)
        layout.setSpacing(8)
        heading = QLabel(title)
        heading.setStyleSheet("font-weight: 600;")
        heading.setWordWrap(True)
        layout.addWidget(heading)
        self.text = QPlainTextEdit()
        self.text.setAccessibleName("Note")
        self.text.setPlaceholderText(
            f"{'Why not?' if skip else 'How did it go?'} (“had a cold”, “at grandma's”)"
        )
        self.text.setPlainText(text or "")
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(84)
        layout.addWidget(self.text)
        self.error_label = QLabel()
        self.error_label.setProperty("fieldError", True)
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Note error")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        buttons = QHBoxLayout()
        hint = QLabel(
            "Ctrl+Enter: skip · the note is optional"
            if skip
            else "Ctrl+Enter saves · empty removes it"
        )
        hint.setProperty("muted", True)
        hint.setStyleSheet("font-size: 8.5pt;")
        buttons.addWidget(hint, 1)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel note")
        self.cancel_button.clicked.connect(self.close)
        self.save_button = QPushButton("Skip" if skip else "Save")
        self.save_button.setAccessibleName("Skip with this note" if skip else "Save note")
        self.save_button.setProperty("primary", True)
        self.save_button.clicked.connect(self._save)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(self._save)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def open_at(self, anchor: QWidget) -> None:
        self.adjustSize()
        below = anchor.mapToGlobal(QPoint(anchor.width() - self.width(), anchor.height() + 2))
        self.move(below)
        self.show()
        self.text.setFocus(Qt.FocusReason.PopupFocusReason)
        self.text.moveCursor(self.text.textCursor().MoveOperation.End)

    def _save(self) -> None:
        text = self.text.toPlainText().strip()
        if len(text) > NOTE_MAX:
            self.show_error(f"Note: at most {NOTE_MAX} characters (it has {len(text)}).")
            return
        self.error_label.hide()
        self.save_button.setEnabled(False)
        self.save_requested.emit(text)

    def show_error(self, message: str) -> None:
        self.save_button.setEnabled(True)
        self.error_label.setText(message)
        self.error_label.show()
        self.adjustSize()
