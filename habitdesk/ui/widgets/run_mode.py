"""`RunModeWidget`: "Run routine" — one big step at a time, for a child at the family computer.

Each check is saved the moment it is made (start_run, check_step, finish_run through the task
bridge), so closing the window halfway loses nothing: starting again picks up the same run at
the first step not done yet.

Keys: Space / Enter = next (checks the step), Backspace = back, P = pause the timer,
Esc = leave (the run stays as it is). The "done" screen offers a note on the run (why it was
left partial), opened and saved as the Today screen's notes are (`NoteEditing`).
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from habitdesk.core.enums import RunStatus
from habitdesk.core.schemas.people import MemberRead
from habitdesk.core.schemas.routines import RoutineRead, RoutineRunRead, RunStepRead
from habitdesk.ui.context import AppContext
from habitdesk.ui.theme import ACCENT
from habitdesk.ui.widgets.note_editing import NoteEditing
from habitdesk.ui.widgets.today_cards import NoteEditor
from habitdesk.ui.widgets.today_rows import when_text

_STYLE = """
#runStepTitle { font-size: 30pt; font-weight: 700; }
#runTimer { font-size: 44pt; font-weight: 600;
            font-family: "DejaVu Sans Mono", "Menlo", "Consolas", monospace; }
#runTimer[over="true"] { color: #D08A00; }
#runCounter { font-size: 12pt; }
#runRoutineName { font-size: 15pt; font-weight: 600; }
#runAvatar { font-size: 26pt; }
#runCheckedBadge { color: #3FA66B; font-weight: 600; font-size: 12pt; }
#runCelebrate { font-size: 54pt; }
#runDoneTitle { font-size: 24pt; font-weight: 700; }
#runNote { font-style: italic; }
#runLeave, #runSmall { padding: 6px 14px; }
QPushButton[big="true"] { font-size: 13pt; padding: 10px 22px; min-width: 120px; }
QProgressBar { min-height: 12px; max-height: 12px; border-radius: 6px; border: none;
               background: palette(mid); text-align: center; }
"""


def mm_ss(seconds: int) -> str:
    seconds = max(0, seconds)
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def _points(value: int) -> str:
    return "1 point" if value == 1 else f"{value} points"


def _page(spacing: int) -> tuple[QFrame, QVBoxLayout]:
    """A page of run mode (the step, the done screen): a card with wide margins."""
    card = QFrame()
    card.setProperty("card", True)
    layout = QVBoxLayout(card)
    layout.setContentsMargins(36, 28, 36, 28)
    layout.setSpacing(spacing)
    return card, layout


def _end_page(layout: QVBoxLayout, *buttons: QPushButton) -> None:
    """The page's buttons, centred in a row; below them twice the stretch above the content
    (which sits a little above the middle)."""
    row = QHBoxLayout()
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    layout.addLayout(row)
    layout.addStretch(2)


class RunModeWidget(QWidget):
    """Shows one run; `left` fires when the person leaves (Esc or the Leave button)."""

    left = Signal()
    finished = Signal(object)  # the finished RoutineRunRead

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("runMode")
        self.setAccessibleName("Run routine")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setStyleSheet(_STYLE)
        self.routine: RoutineRead | None = None
        self.member: MemberRead | None = None
        self.run: RoutineRunRead | None = None
        # The day the run is recorded for.
        self.day: date | None = None
        self.index = 0
        self.remaining = 0
        self.paused = False
        self._busy = False
        self.notes = NoteEditing(self, context)

        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)

        root = QVBoxLayout(self)
        root.setContentsMargins(28, 20, 28, 24)
        root.setSpacing(14)

        # Top: who and what, and the way out.
        top = QHBoxLayout()
        top.setSpacing(12)
        self.avatar = QLabel()
        self.avatar.setObjectName("runAvatar")
        self.avatar.setAccessibleName("Member")
        top.addWidget(self.avatar)
        names = QVBoxLayout()
        names.setSpacing(0)
        self.routine_label = QLabel()
        self.routine_label.setObjectName("runRoutineName")
        self.routine_label.setAccessibleName("Routine")
        self.member_label = QLabel()
        self.member_label.setProperty("muted", True)
        names.addWidget(self.routine_label)
        names.addWidget(self.member_label)
        top.addLayout(names, 1)
        self.leave_button = self._button("✕  Leave  (Esc)", "Leave run mode", self.leave)
        self.leave_button.setObjectName("runLeave")
        self.leave_button.setToolTip("Back to the routines; what is checked stays checked")
        top.addWidget(self.leave_button, 0, Qt.AlignmentFlag.AlignTop)
        root.addLayout(top)

        self.progress = QProgressBar()
        self.progress.setAccessibleName("Steps done")
        self.progress.setTextVisible(False)
        root.addWidget(self.progress)
        self.progress_label = QLabel()
        self.progress_label.setProperty("muted", True)
        root.addWidget(self.progress_label)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_step_page())
        self.pages.addWidget(self._build_done_page())
        self.pages.addWidget(self._build_loading_page())
        root.addWidget(self.pages, 1)

        self.error_label = QLabel()
        self.error_label.setProperty("fieldError", True)
        self.error_label.setWordWrap(True)
        self.error_label.setAccessibleName("Run mode message")
        self.error_label.hide()
        root.addWidget(self.error_label)

        buttons = QHBoxLayout()
        buttons.setSpacing(12)
        self.back_button = self._button("←  Back", "Previous step", self.go_back, big=True)
        self.back_button.setToolTip("Previous step (Backspace)")
        self.next_button = self._button(
            "✓  Next", "Check this step and go on", self.go_next, big=True
        )
        self.next_button.setProperty("primary", True)
        self.next_button.setToolTip("Check this step and go to the next one (Space or Enter)")
        self.done_button = self._button("Done", "Finish the routine", self.finish, big=True)
        self.done_button.setToolTip("Finish the routine now (steps not checked count as not done)")
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        buttons.addWidget(self.next_button)
        self.button_row = QWidget()
        self.button_row.setLayout(buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        root.addWidget(self.button_row)

    # --- building -------------------------------------------------------------------------------

    def _button(self, text: str, name: str, slot: Any, *, big: bool = False) -> QPushButton:
        button = QPushButton(text)
        button.setAccessibleName(name)
        # Reachable with Tab, but a click leaves the keys (Space, Backspace) to run mode.
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        if big:
            button.setProperty("big", True)
        button.clicked.connect(slot)
        return button

    def _build_step_page(self) -> QWidget:
        card, layout = _page(12)
        self.counter_label = QLabel()
        self.counter_label.setObjectName("runCounter")
        self.counter_label.setProperty("muted", True)
        self.counter_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.counter_label)
        layout.addStretch(1)
        self.title_label = QLabel()
        self.title_label.setObjectName("runStepTitle")
        self.title_label.setAccessibleName("Step")
        self.title_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title_label.setWordWrap(True)
        self.title_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout.addWidget(self.title_label)
        self.details_label = QLabel()
        self.details_label.setProperty("muted", True)
        self.details_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.details_label)
        self.checked_badge = QLabel()
        self.checked_badge.setObjectName("runCheckedBadge")
        self.checked_badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.checked_badge)
        layout.addSpacing(8)
        self.timer_label = QLabel()
        self.timer_label.setObjectName("runTimer")
        self.timer_label.setAccessibleName("Time left")
        self.timer_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.timer_label)
        self.timer_note = QLabel()
        self.timer_note.setProperty("muted", True)
        self.timer_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.timer_note)
        self.pause_button = self._button("Pause  (P)", "Pause the timer", self.toggle_pause)
        self.pause_button.setObjectName("runSmall")
        self.uncheck_button = self._button(
            "↺  Not done yet", "Uncheck this step", self.uncheck_current
        )
        self.uncheck_button.setToolTip("Take the check off this step")
        self.uncheck_button.setObjectName("runSmall")
        _end_page(layout, self.pause_button, self.uncheck_button)
        return card

    def _build_done_page(self) -> QWidget:
        card, layout = _page(10)
        layout.addStretch(1)
        self.celebrate = QLabel("🎉")
        self.celebrate.setObjectName("runCelebrate")
        self.celebrate.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.celebrate)
        self.done_title = QLabel()
        self.done_title.setObjectName("runDoneTitle")
        self.done_title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_title.setWordWrap(True)
        layout.addWidget(self.done_title)
        self.done_summary = QLabel()
        self.done_summary.setProperty("muted", True)
        self.done_summary.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_summary.setWordWrap(True)
        layout.addWidget(self.done_summary)
        self.done_note = QLabel()
        self.done_note.setObjectName("runNote")
        self.done_note.setProperty("muted", True)
        self.done_note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.done_note.setWordWrap(True)
        self.done_note.setAccessibleName("Note on this run")
        self.done_note.hide()
        layout.addWidget(self.done_note)
        layout.addSpacing(12)
        self.note_button = self._button(
            "✎  Add a note", "Note on this run", self.edit_note, big=True
        )
        self.note_button.setToolTip("Why it was left partial, or how it went")
        self.close_button = self._button(
            "Back to routines", "Back to the routines", self.leave, big=True
        )
        self.close_button.setProperty("primary", True)
        _end_page(layout, self.note_button, self.close_button)
        return card

    def _build_loading_page(self) -> QWidget:
        label = QLabel("Getting the routine ready…")
        label.setProperty("muted", True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    # --- starting -------------------------------------------------------------------------------

    def start(
        self, routine: RoutineRead, member: MemberRead | None, day: date | None = None
    ) -> asyncio.Task[None] | None:
        """Show `routine` for its member and start (or resume) its run of `day` (default: the
        family's today; yesterday's forgotten routine can be done afterwards too)."""
        self.routine, self.member, self.run = routine, member, None
        self.day = day or self.context.today
        when = self._day_words()
        self.index = 0
        self._busy = True
        self.timer.stop()
        self._hide_error()
        self.routine_label.setText(routine.name)
        if member is not None:
            self.avatar.setText(member.avatar_emoji or "🙂")
            self.member_label.setText(f"{member.full_name} · {when}")
            self.progress.setStyleSheet(
                f"QProgressBar::chunk {{ background: {member.colour}; border-radius: 6px; }}"
            )
        else:
            self.avatar.setText("🙂")
            self.member_label.setText(when)
            self.progress.setStyleSheet(
                f"QProgressBar::chunk {{ background: {ACCENT}; border-radius: 6px; }}"
            )
        self.pages.setCurrentIndex(2)
        self.button_row.show()
        self.button_row.setEnabled(False)
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        core = self.context.core
        if core is None:
            return None
        return self.context.tasks.write(
            core.routines.start_run(self.context.actor, routine.id, self.day),
            on_done=self._started,
            on_error=self._start_failed,
            origin=self,
        )

    def _day_words(self) -> str:
        """ "today", "yesterday", "Tue 24 Nov"."""
        return when_text(self.day or self.context.today, self.context.today).removeprefix("on ")

    def _started(self, result: Any) -> None:
        self._busy = False
        run: RoutineRunRead = result.value
        self.run = run
        self.button_row.setEnabled(True)
        unchecked = [i for i, step in enumerate(run.steps) if not step.checked]
        self.index = unchecked[0] if unchecked else max(0, len(run.steps) - 1)
        self._show_step(reset_timer=True)

    def _start_failed(self, message: str) -> None:
        self._busy = False
        self.pages.setCurrentIndex(0)
        self.title_label.setText("This routine could not be started")
        for label in (self.counter_label, self.details_label, self.checked_badge):
            label.clear()
        self.timer_label.clear()
        self.timer_note.clear()
        self.pause_button.hide()
        self.uncheck_button.hide()
        self.button_row.setEnabled(False)
        self._show_error(message)

    # --- the current step -----------------------------------------------------------------------

    @property
    def steps(self) -> list[RunStepRead]:
        return self.run.steps if self.run else []

    @property
    def current(self) -> RunStepRead | None:
        steps = self.steps
        return steps[self.index] if 0 <= self.index < len(steps) else None

    @property
    def all_checked(self) -> bool:
        return bool(self.steps) and all(s.checked for s in self.steps)

    def _show_step(self, *, reset_timer: bool) -> None:
        run, step = self.run, self.current
        if run is None or step is None:
            return
        self.pages.setCurrentIndex(0)
        total = len(run.steps)
        self.progress.setMaximum(total)
        self.progress.setValue(run.done)
        self.progress_label.setText(
            f"{run.done} of {total} steps done"
            + (f" · {_points(run.points_earned)} earned" if run.points_possible else "")
        )
        self.counter_label.setText(f"Step {self.index + 1} of {total}")
        self.title_label.setText(step.title)
        details = []
        if step.duration_minutes:
            details.append(f"{step.duration_minutes} min")
        if step.points:
            details.append(_points(step.points))
        self.details_label.setText(" · ".join(details))
        self.details_label.setVisible(bool(details))
        self.checked_badge.setText("✓  Done" if step.checked else "")
        self.uncheck_button.setVisible(step.checked)
        self.setAccessibleDescription(f"Step {self.index + 1} of {total}: {step.title}")

        if reset_timer:
            self.remaining = (step.duration_minutes or 0) * 60
            self.paused = False
            if self.remaining and not step.checked:
                self.timer.start()
            else:
                self.timer.stop()
        self._show_timer()

        last = self.index == total - 1
        self.back_button.setEnabled(self.index > 0)
        if self.all_checked:
            self.next_button.setText("Finish  ✓")
            self.next_button.setAccessibleName("Finish the routine")
        elif last and not step.checked:
            self.next_button.setText("✓  Last step done")
            self.next_button.setAccessibleName("Check the last step")
        else:
            self.next_button.setText("✓  Next")
            self.next_button.setAccessibleName("Check this step and go on")
        self.done_button.setVisible(not self.all_checked)
        self.next_button.show()

    def _show_timer(self) -> None:
        step = self.current
        if step is None or not step.duration_minutes:
            self.timer_label.setText("")
            self.timer_label.hide()
            self.timer_note.setText("No timer for this step — take your time.")
            self.pause_button.hide()
            return
        self.timer_label.show()
        self.pause_button.setVisible(not step.checked)
        over = self.remaining <= 0
        self.timer_label.setText(mm_ss(self.remaining))
        self.timer_label.setProperty("over", over)
        self.timer_label.style().unpolish(self.timer_label)
        self.timer_label.style().polish(self.timer_label)
        if step.checked:
            self.timer_note.setText("")
        elif over:
            self.timer_note.setText("Time's up! Finish this step and press Next.")
        elif self.paused:
            self.timer_note.setText("Paused — press P or Resume to go on.")
        else:
            self.timer_note.setText(f"{step.duration_minutes} min for this step")
        self.pause_button.setText("Resume  (P)" if self.paused else "Pause  (P)")
        self.pause_button.setAccessibleName(
            "Resume the timer" if self.paused else "Pause the timer"
        )
        self.pause_button.setEnabled(not over)

    def _tick(self) -> None:
        if self.paused or self.remaining <= 0:
            return
        self.remaining -= 1
        if self.remaining <= 0:
            self.timer.stop()
        self._show_timer()

    def toggle_pause(self) -> None:
        step = self.current
        if step is None or not step.duration_minutes or self.remaining <= 0 or step.checked:
            return
        self.paused = not self.paused
        if self.paused:
            self.timer.stop()
        else:
            self.timer.start()
        self._show_timer()

    # --- moving and checking ----------------------------------------------------------------------

    def go_next(self) -> asyncio.Task[None] | None:
        """Check the step (saved at once) and go on; once all are checked, finish."""
        if self._busy or self.run is None or self.current is None:
            return None
        if self.all_checked:
            return self.finish()
        step = self.current
        if step.checked:
            self._advance()
            return None
        return self._check(step, True, advance=True)

    def go_back(self) -> None:
        if self._busy or self.run is None or self.index == 0:
            return
        self.index -= 1
        self._show_step(reset_timer=True)

    def uncheck_current(self) -> asyncio.Task[None] | None:
        step = self.current
        if self._busy or step is None or not step.checked:
            return None
        return self._check(step, False, advance=False)

    def _check(
        self, step: RunStepRead, checked: bool, *, advance: bool
    ) -> asyncio.Task[None] | None:
        core, run = self.context.core, self.run
        if core is None or run is None:
            return None
        self._busy = True
        self._hide_error()

        def done(result: Any) -> None:
            self._busy = False
            self.run = result.value
            if advance:
                self._advance()
            else:
                self._show_step(reset_timer=True)

        return self.context.tasks.write(
            core.routines.check_step(self.context.actor, run.id, step.step_id, checked),
            on_done=done,
            on_error=self._write_failed,
            origin=self,
        )

    def _advance(self) -> None:
        total = len(self.steps)
        if self.index < total - 1:
            self.index += 1
            self._show_step(reset_timer=True)
            return
        # The last step: if an earlier one is still open, go there; otherwise offer Finish.
        unchecked = [i for i, s in enumerate(self.steps) if not s.checked]
        if unchecked:
            self.index = unchecked[0]
        self._show_step(reset_timer=True)

    def finish(self) -> asyncio.Task[None] | None:
        core, run = self.context.core, self.run
        if self._busy or core is None or run is None:
            return None
        self._busy = True
        self._hide_error()
        self.timer.stop()
        return self.context.tasks.write(
            core.routines.finish_run(self.context.actor, run.id),
            on_done=self._finished,
            on_error=self._write_failed,
            origin=self,
        )

    def _finished(self, result: Any) -> None:
        self._busy = False
        run: RoutineRunRead = result.value
        self.run = run
        self.progress.setMaximum(max(1, run.total))
        self.progress.setValue(run.done)
        self.progress_label.setText(f"{run.done} of {run.total} steps done")
        who = self.member.full_name.split()[0] if self.member else ""
        if run.status is RunStatus.COMPLETED:
            self.celebrate.setText("🎉")
            self.done_title.setText(f"Well done{', ' + who if who else ''}!")
        else:
            self.celebrate.setText("👍")
            self.done_title.setText(f"Finished for {self._day_words()}{', ' + who if who else ''}.")
        summary = f"{run.routine_name}: {run.done} of {run.total} steps done"
        if run.points_possible:
            summary += f" · {_points(run.points_earned)} earned"
        self.done_summary.setText(summary)
        self._show_note()
        self.pages.setCurrentIndex(1)
        self.button_row.hide()
        self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.finished.emit(run)

    # --- the run's note -----------------------------------------------------------------------

    def _show_note(self) -> None:
        note = self.run.note if self.run is not None else None
        self.done_note.setText(f"“{note}”" if note else "")
        self.done_note.setVisible(bool(note))
        self.note_button.setText("✎  Edit the note" if note else "✎  Add a note")

    @property
    def note_editor(self) -> NoteEditor | None:
        """The note editor open on the done screen, if any."""
        return self.notes.editor

    def edit_note(self) -> NoteEditor | None:
        run = self.run
        if run is None or not self.is_finished:
            return None
        return self.notes.open(
            f"Note — {run.routine_name}, {self._day_words()}",
            run.note,
            self.note_button,
            lambda core, text: core.routines.set_run_note(
                self.context.actor, run.routine_id, run.day, text
            ),
            on_saved=self._note_saved,
        )

    def _note_saved(self, result: Any) -> None:
        self.run = result.value
        self._show_note()
        # Back on the way out: Space or Enter then leaves, as before the note.
        self.close_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _write_failed(self, message: str) -> None:
        self._busy = False
        self._show_error(message)

    def _show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()

    def _hide_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()

    # --- leaving --------------------------------------------------------------------------------

    def leave(self) -> None:
        self.timer.stop()
        self.notes.close()
        self.left.emit()

    @property
    def is_finished(self) -> bool:
        return self.pages.currentIndex() == 1

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        focused = self.focusWidget()
        confirm = key in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)
        if key == Qt.Key.Key_Escape:
            self.leave()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and isinstance(focused, QPushButton):
            # Enter on a button reached with Tab presses that button, as anywhere else (on the
            # done screen: "Add a note" as well as "Back to routines").
            focused.click()
        elif self.is_finished and confirm:
            self.leave()
        elif confirm:
            self.go_next()
        elif key == Qt.Key.Key_Backspace:
            self.go_back()
        elif key == Qt.Key.Key_P:
            self.toggle_pause()
        else:
            super().keyPressEvent(event)
            return
        event.accept()
