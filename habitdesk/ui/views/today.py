"""The Today screen: each member's routines and habits of the chosen day, checked off with one
click or key.

One read per refresh (`TodayService.day_overview`, six statements whatever the history), and
every check-in is a write through the task bridge; the change bus then brings the reload. When
the reload finds the same items, the rows are updated in place, so the focus stays put and the
next check-in is one key away (Tab, Space).
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from habitdesk.core.changes import Kind
from habitdesk.core.enums import EntryStatus, Role
from habitdesk.core.schemas.habits import HabitDueRead
from habitdesk.core.schemas.routines import RunStepRead
from habitdesk.core.schemas.today import DayOverview, MemberDayRead, RoutineDayRead
from habitdesk.core.services.base import Result
from habitdesk.ui.context import AppContext
from habitdesk.ui.views.base import View
from habitdesk.ui.widgets.note_editing import NoteEditing
from habitdesk.ui.widgets.today_cards import MemberCard, NoteEditor, card_shape
from habitdesk.ui.widgets.today_daybar import DayBar
from habitdesk.ui.widgets.today_rows import ValueBox, when_text

if TYPE_CHECKING:
    from habitdesk.ui.widgets.run_mode import RunModeWidget

# Two columns of cards from this width of the scroll area on (and where two cards fit side by
# side); one below it.
TWO_COLUMNS_FROM = 900
# A card wider than this reads badly (one member shown on a wide window): it is centred.
CARD_MAX_WIDTH = 780


class TodayView(View):
    screen_id = "today"
    title = "Today"
    watches = frozenset(
        {Kind.ENTRIES, Kind.RUNS, Kind.HABITS, Kind.ROUTINES, Kind.POINTS, Kind.MEMBERS}
    )
    no_family_hint = "set one up with the set-up wizard, then add its members, routines and habits."

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.overview: DayOverview | None = None
        self.cards: dict[UUID, MemberCard] = {}
        self.notes = NoteEditing(self, context)
        self.run_mode: RunModeWidget | None = None
        self._shape: Any = None
        self._columns = 0
        self._columns_made: list[QVBoxLayout] = []
        self._heights: list[int] = []
        # Cards are made one per turn of the loop (see `_rebuild`): how many are coming, which
        # build is current, and its task (tests and the benchmark await it).
        self._coming = 0
        self._building = 0
        self.build_task: asyncio.Task[None] | None = None
        self._generation = 0
        # The refresh task not yet reading (see `refresh`).
        self._waiting: asyncio.Task[None] | None = None
        self._open_folds: set[UUID] = set()
        # The last refusal per member, kept across the reload that follows it (which may
        # rebuild the card) until that member's next check-in.
        self._errors: dict[UUID, str] = {}

        root = QVBoxLayout(self)
        root.setContentsMargins(28, 18, 28, 12)
        root.setSpacing(10)

        top = QHBoxLayout()
        top.setSpacing(12)
        title = QLabel(self.title)
        title.setObjectName("screenTitle")
        top.addWidget(title)
        top.addStretch(1)
        self.day_bar = DayBar()
        self.day_bar.previous_requested.connect(self.previous_day)
        self.day_bar.next_requested.connect(self.next_day)
        self.day_bar.today_requested.connect(self.go_today)
        top.addWidget(self.day_bar)
        root.addLayout(top)

        self.acting_note = QLabel()
        self.acting_note.setObjectName("actingNote")
        self.acting_note.setProperty("muted", True)
        self.acting_note.setWordWrap(True)
        self.acting_note.setAccessibleName("Who is checking off")
        self.acting_note.hide()
        root.addWidget(self.acting_note)

        self.message = QLabel()
        self.message.setObjectName("todayMessage")
        self.message.setProperty("fieldError", True)
        self.message.setWordWrap(True)
        self.message.setAccessibleName("Today message")
        self.message.hide()
        root.addWidget(self.message)

        self.pages = QStackedWidget()
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("todayScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.content = QWidget()
        self.content.setObjectName("todayContent")
        self.columns_layout = QHBoxLayout(self.content)
        self.columns_layout.setContentsMargins(0, 4, 4, 12)
        self.columns_layout.setSpacing(16)
        self.scroll_area.setWidget(self.content)
        self.scroll_area.viewport().setAutoFillBackground(False)
        self.pages.addWidget(self.scroll_area)

        self.empty_label = QLabel()
        self.empty_label.setObjectName("todayEmpty")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setProperty("muted", True)
        self.empty_label.setStyleSheet("font-size: 12pt;")
        self.empty_label.setAccessibleName("Nothing to show")
        self.pages.addWidget(self.empty_label)
        root.addWidget(self.pages, 1)

        for keys, what, slot in (
            ("Alt+Left", "Previous day (Today screen)", self.previous_day),
            ("Alt+Right", "Next day (Today screen)", self.next_day),
            ("Ctrl+T", "Back to today (Today screen)", self.go_today),
            ("Ctrl+Y", "Yesterday (Today screen)", self.go_yesterday),
        ):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.setWhatsThis(what)
            shortcut.activated.connect(slot)
        self.show_empty()

    # --- loading ------------------------------------------------------------------------------

    def refresh(self) -> Any:
        """Reload; only the newest load is shown (a slow old read never overwrites a newer).

        Refreshes asked for before the last one has begun to read are that same refresh: it
        reads the selection as it is when it begins. (Opening a family changes the family and
        its members in one turn; two reads of the day cost ≈80 ms of start-up.)
        """
        self.stale = False
        core, family = self.context.core, self.context.family
        if core is None or family is None:
            self._waiting = None
            self.show_empty()
            return None
        if self._waiting is not None and not self._waiting.done():
            return self._waiting
        self._generation += 1
        generation = self._generation

        def apply(data: DayOverview) -> None:
            if generation == self._generation:
                self.apply(data)

        task = self.context.tasks.read(self._begin_load(), apply, on_error=self.show_error)
        self._waiting = task
        return task

    async def _begin_load(self) -> DayOverview:
        self._waiting = None  # from now on a refresh needs a read of its own
        return await self.load()

    async def load(self) -> DayOverview:
        core, family = self.context.core, self.context.family
        assert core is not None and family is not None
        return await core.today.day_overview(self.context.actor, family.id, self.context.day)

    def show_empty(self) -> None:
        self.overview = None
        self._clear_cards()
        self.empty_label.setText(self.absence().text)
        self.pages.setCurrentWidget(self.empty_label)
        self.day_bar.set_day(self.context.day, self.context.today)

    def show_error(self, message: str) -> None:
        """A failed load: said at the top of the screen, which keeps what it showed."""
        self.message.setText(message)
        self.message.show()

    def apply(self, data: DayOverview) -> None:
        new_day = self.overview is not None and self.overview.day != data.day
        if new_day:
            self._errors.clear()  # a refusal on another day is no news here
            for card in self.cards.values():
                card.clear_error()
        self.overview = data
        self.message.hide()
        self.day_bar.set_day(data.day, data.today)
        self._show_acting_note()
        visible = {m.user_id for m in self.context.visible_members()}
        days = [d for d in data.members if d.member.user_id in visible]
        acting = self.context.acting
        if acting is not None and acting.role is Role.CHILD:
            # In child view the child's own day comes first; the others are for looking.
            days.sort(key=lambda d: d.member.user_id != acting.user_id)
        if self.run_mode is not None and self.pages.currentWidget() is self.run_mode:
            self._update_cards(days, data)  # run mode stays; the day behind it is kept fresh
            return
        if not days:
            self._clear_cards()
            self.empty_label.setText(self._nobody_text())
            self.pages.setCurrentWidget(self.empty_label)
            return
        self.pages.setCurrentWidget(self.scroll_area)
        shape = tuple(card_shape(d) for d in days)
        if shape != self._shape:
            self._rebuild(days)
            self._shape = shape
        else:
            self._update_cards(days, data)
            if new_day:  # other rows are due: balance the columns again
                self._place_cards(force=True)

    def _nobody_text(self) -> str:
        chosen = (
            self.context.member(self.context.member_filter) if self.context.member_filter else None
        )
        if chosen is not None and chosen.role is Role.VIEWER:
            return f"{chosen.full_name} is a viewer — viewers have nothing to check off."
        return "No one to show yet — add family members on the Family screen."

    def _show_acting_note(self) -> None:
        acting = self.context.acting
        text = ""
        if acting is not None and acting.role is Role.VIEWER:
            text = f"👀  Viewing as {acting.full_name}: viewers can look, not check things off."
        elif acting is not None and acting.role is Role.CHILD:
            first = acting.full_name.split()[0]
            text = f"🧒  Child view: {first} can check off their own routines and habits."
        self.acting_note.setText(text)
        self.acting_note.setVisible(bool(text))

    # --- cards --------------------------------------------------------------------------------

    def _clear_cards(self) -> None:
        self._building += 1  # a build still under way stops
        self.build_task = None
        for card in self.cards.values():
            # Hidden and deleted later, not unparented: making six cards top-level windows
            # first cost ≈90 ms.
            card.hide()
            card.deleteLater()
        self.cards = {}
        self._shape = None
        self._coming = 0
        while self.columns_layout.count():
            item = self.columns_layout.takeAt(0)
            layout = item.layout() if item is not None else None
            if layout is not None:
                layout.deleteLater()
        self._columns_made = []
        self._heights = []

    def _rebuild(self, days: list[MemberDayRead]) -> None:
        """New cards, one per turn of the event loop.

        A card of fifteen rows takes ≈20 ms to make and lay out; six at once kept the window
        from answering for ≈150 ms (at start-up and after changes of the family). Each card
        shows as soon as it is made; the first one in the first turn.
        """
        focused = self.focusWidget()
        key = focused.property("todayKey") if focused is not None else None
        scrolled = self.scroll_area.verticalScrollBar().value()
        self._clear_cards()
        self._coming = len(days)
        self._place_cards(force=True)
        building = self._building
        self._add_card(days[0])
        if len(days) > 1:
            self.build_task = self.context.tasks.run(
                self._add_cards_later(days[1:], building, key, scrolled),
                on_error=self.show_error,
            )
        else:
            self._built(key, scrolled)

    async def _add_cards_later(
        self, days: list[MemberDayRead], building: int, key: Any, scrolled: int
    ) -> None:
        for day in days:
            await asyncio.sleep(0)  # paint and answer input between two cards
            if building != self._building:
                return  # cleared or rebuilt meanwhile
            self._add_card(day)
        self.build_task = None
        self._built(key, scrolled)

    def _add_card(self, day: MemberDayRead) -> None:
        """Make the member's card and fill it from the newest overview (a reload may have
        come in while the cards were being made)."""
        user_id = day.member.user_id
        card = MemberCard(day, self.content)
        card.setMaximumWidth(CARD_MAX_WIDTH)
        self._wire(card)
        if user_id in self._open_folds:
            card.not_due_button.setChecked(True)
        if user_id in self._errors:
            card.show_error(self._errors[user_id])
        self.cards[user_id] = card
        if self.overview is not None:
            newest = next((d for d in self.overview.members if d.member.user_id == user_id), day)
            self._update_cards([newest], self.overview)
        self._put_in_column(card)
        self._place_cards()  # one column after all, if this card is too wide for two

    def _built(self, key: Any, scrolled: int) -> None:
        """Every card is there: the focus and the scroll position go back where they were."""
        if key:
            for widget in self.content.findChildren(QWidget):
                if widget.property("todayKey") == key and widget.isEnabled():
                    widget.setFocus(Qt.FocusReason.OtherFocusReason)
                    break
        bar = self.scroll_area.verticalScrollBar()
        QTimer.singleShot(0, bar, lambda: bar.setValue(scrolled))

    def _update_cards(self, days: list[MemberDayRead], data: DayOverview) -> None:
        is_today = data.day == data.today
        for day in days:
            card = self.cards.get(day.member.user_id)
            if card is None or card.shape != card_shape(day):
                continue
            allowed = self.context.may_check_for(day.member.user_id)
            card.update_day(
                day,
                enabled=allowed,
                can_run=allowed,
                is_today=is_today,
                lock=self._lock_text(day, allowed),
            )

    def _lock_text(self, day: MemberDayRead, allowed: bool) -> str:
        acting = self.context.acting
        if allowed or acting is None:
            return ""
        if acting.role is Role.VIEWER:
            return "🔒  Read only — a viewer can't check things off."
        first = day.member.full_name.split()[0]
        return f"🔒  Only {first} or a parent can check these off."

    def _column_count(self) -> int:
        width = self.scroll_area.viewport().width() or self.width()
        cards = max(len(self.cards), self._coming)
        if cards < 2:
            return 1
        # Two columns only where two cards fit side by side: a card's rows (a numeric field,
        # Skip, the note button) set its minimum width, and a narrower column cut them off.
        widest = max((c.minimumSizeHint().width() for c in self.cards.values()), default=0)
        margins = self.columns_layout.contentsMargins()
        side_by_side = 2 * widest + self.columns_layout.spacing() + margins.left() + margins.right()
        return 2 if width >= max(TWO_COLUMNS_FROM, side_by_side) else 1

    def _place_cards(self, *, force: bool = False) -> None:
        """Cards into columns, each to the shortest column so far (by rows), keeping order."""
        count = self._column_count()
        if not force and count == self._columns:
            return
        self._columns = count
        while self.columns_layout.count():
            item = self.columns_layout.takeAt(0)
            layout = item.layout() if item is not None else None
            if layout is not None:
                while layout.count():
                    layout.takeAt(0)
                layout.deleteLater()
        self._columns_made = []
        for _ in range(count):
            column = QVBoxLayout()
            column.setSpacing(16)
            column.addStretch(1)
            self.columns_layout.addLayout(column, 1)
            self._columns_made.append(column)
        self._heights = [0] * count
        for card in self.cards.values():
            self._put_in_column(card)

    def _put_in_column(self, card: MemberCard) -> None:
        index = self._heights.index(min(self._heights))
        column = self._columns_made[index]
        column.insertWidget(column.count() - 1, card)  # above the stretch
        self._heights[index] += _estimated_height(card)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.cards:
            self._place_cards()

    def _wire(self, card: MemberCard) -> None:
        for block in card.routine_blocks:
            block.step_toggled.connect(self.check_step)
            block.run_requested.connect(self.open_run_mode)
            block.skip_requested.connect(self.skip_routine)
            block.restart_requested.connect(self.restart_routine)
            block.note_clicked.connect(self.edit_routine_note)
            block.skip_with_note_requested.connect(self.skip_routine_with_note)
        for row in card.habit_rows:
            row.toggled.connect(self.toggle_habit)
            row.value_entered.connect(self.enter_value)
            row.skip_clicked.connect(self.skip_habit)
            row.note_clicked.connect(self.edit_note)
        card.not_due_button.toggled.connect(
            lambda open_, uid=card.user_id: self._fold_changed(uid, open_)
        )

    def _fold_changed(self, user_id: UUID, open_: bool) -> None:
        if open_:
            self._open_folds.add(user_id)
        else:
            self._open_folds.discard(user_id)

    # --- days ---------------------------------------------------------------------------------

    def _in_run_mode(self) -> bool:
        return self.run_mode is not None and self.pages.currentWidget() is self.run_mode

    def _leave_day(self) -> bool:
        """Whether the day may change now; a number being typed is saved for its own day first."""
        if self._in_run_mode():
            return False
        focused = QApplication.focusWidget()
        if isinstance(focused, ValueBox) and self.isAncestorOf(focused):
            focused.clearFocus()  # editingFinished: saved with the day it was typed for
        return True

    def previous_day(self) -> None:
        if self._leave_day():
            self.context.shift_day(-1)

    def next_day(self) -> None:
        if self._leave_day():
            self.context.shift_day(1)

    def go_today(self) -> None:
        if self._leave_day():
            self.context.set_day(self.context.today)

    def go_yesterday(self) -> None:
        if self._leave_day():
            self.context.set_day(self.context.today - timedelta(days=1))

    @property
    def day(self) -> date:
        return self.overview.day if self.overview is not None else self.context.day

    # --- check-ins ------------------------------------------------------------------------------

    def _card_of(self, user_id: UUID) -> MemberCard | None:
        return self.cards.get(user_id)

    def _write(self, user_id: UUID, work: Coroutine[Any, Any, Any]) -> asyncio.Task[None] | None:
        """Send a check-in; a refusal shows on the member's card and the rows are reloaded."""
        card = self._card_of(user_id)
        if not self.context.may_check_for(user_id):
            work.close()
            self._errors[user_id] = "You can't check this off for someone else."
            if card is not None:
                card.show_error(self._errors[user_id])
            return None
        self._errors.pop(user_id, None)
        if card is not None:
            card.clear_error()

        def failed(message: str) -> None:
            self._errors[user_id] = message
            target = self._card_of(user_id)
            if target is not None:
                target.show_error(message)
            else:
                self.show_error(message)
            self.refresh()  # undo what the row showed ahead of the write

        return self.context.tasks.write(work, on_error=failed, origin=self)

    def toggle_habit(self, item: HabitDueRead, done: bool) -> asyncio.Task[None] | None:
        core = self.context.core
        if core is None:
            return None
        habit, actor = item.habit, self.context.actor
        work: Coroutine[Any, Any, Any]
        if done:
            work = core.habits.set_entry(actor, habit.id, self.day, {"status": EntryStatus.DONE})
        else:
            work = core.habits.clear_entry(actor, habit.id, self.day)
        return self._write(habit.user_id, work)

    def enter_value(self, item: HabitDueRead, value: float | None) -> asyncio.Task[None] | None:
        core = self.context.core
        if core is None:
            return None
        habit, actor = item.habit, self.context.actor
        work: Coroutine[Any, Any, Any]
        if value is None:
            work = core.habits.clear_entry(actor, habit.id, self.day)
        else:
            work = core.habits.set_entry(actor, habit.id, self.day, {"value": value})
        return self._write(habit.user_id, work)

    def skip_habit(self, item: HabitDueRead) -> asyncio.Task[None] | None:
        core = self.context.core
        if core is None:
            return None
        habit, actor = item.habit, self.context.actor
        work: Coroutine[Any, Any, Any]
        if item.entry is not None and item.entry.status is EntryStatus.SKIPPED:
            work = core.habits.clear_entry(actor, habit.id, self.day)
        else:
            work = core.habits.set_entry(actor, habit.id, self.day, {"skip": True})
        return self._write(habit.user_id, work)

    @property
    def note_editor(self) -> NoteEditor | None:
        """The note editor open on this screen, if any."""
        return self.notes.editor

    def edit_note(self, item: HabitDueRead, anchor: QWidget) -> NoteEditor | None:
        if self.overview is None or item.entry is None:
            return None
        habit, actor, day = item.habit, self.context.actor, self.day
        return self.notes.open(
            f"Note — {habit.name}, {when_text(day, self.overview.today)}",
            item.entry.note,
            anchor,
            lambda core, text: core.habits.set_note(actor, habit.id, day, text),
            member=habit.user_id,
        )

    def edit_routine_note(self, item: RoutineDayRead, anchor: QWidget) -> NoteEditor | None:
        if self.overview is None or item.run is None:
            return None
        routine, actor, day = item.routine, self.context.actor, self.day
        return self.notes.open(
            f"Note — {routine.name}, {when_text(day, self.overview.today)}",
            item.run.note,
            anchor,
            lambda core, text: core.routines.set_run_note(actor, routine.id, day, text),
            member=routine.user_id,
        )

    def skip_routine_with_note(self, item: RoutineDayRead, anchor: QWidget) -> NoteEditor | None:
        """The skip and its reason in one write (an empty note skips without one)."""
        if self.overview is None:
            return None
        routine, actor, day = item.routine, self.context.actor, self.day
        return self.notes.open(
            f"Skip {routine.name} {when_text(day, self.overview.today)} — why?",
            None,
            anchor,
            lambda core, text: core.routines.skip_run(actor, routine.id, day, note=text),
            skip=True,
            member=routine.user_id,
        )

    def check_step(
        self, item: RoutineDayRead, step: RunStepRead, checked: bool
    ) -> asyncio.Task[None] | None:
        core = self.context.core
        if core is None:
            return None
        actor, day, routine_id = self.context.actor, self.day, item.routine.id
        run_id = item.run.id if item.run is not None else None

        async def work() -> Result[Any]:
            changes = None
            run = run_id
            if run is None:
                started = await core.routines.start_run(actor, routine_id, day)
                run, changes = started.value.id, started.changes
            result = await core.routines.check_step(actor, run, step.step_id, checked)
            if changes:
                return Result(result.value, changes | result.changes)
            return result

        return self._write(item.routine.user_id, work())

    def skip_routine(self, item: RoutineDayRead) -> asyncio.Task[None] | None:
        core = self.context.core
        if core is None:
            return None
        work = core.routines.skip_run(self.context.actor, item.routine.id, self.day)
        return self._write(item.routine.user_id, work)

    def restart_routine(self, item: RoutineDayRead) -> asyncio.Task[None] | None:
        core = self.context.core
        if core is None:
            return None
        work = core.routines.start_run(self.context.actor, item.routine.id, self.day)
        return self._write(item.routine.user_id, work)

    # --- run mode -------------------------------------------------------------------------------

    def open_run_mode(self, item: RoutineDayRead) -> asyncio.Task[None] | None:
        """Step-by-step run of a routine, recorded for the day shown (yesterday's routine,
        forgotten in the evening, can be run the next morning)."""
        if self.overview is None:
            return None
        if not self.context.may_check_for(item.routine.user_id):
            return None
        if self.run_mode is None:
            # Imported on first use: start-up does not need it.
            from habitdesk.ui.widgets.run_mode import RunModeWidget

            self.run_mode = RunModeWidget(self.context)
            self.run_mode.left.connect(self.close_run_mode)
            self.pages.addWidget(self.run_mode)
        self.pages.setCurrentWidget(self.run_mode)
        self.day_bar.setEnabled(False)  # run mode is about its day; leave it to change the day
        member = self.context.member(item.routine.user_id)
        return self.run_mode.start(item.routine, member, self.overview.day)

    def close_run_mode(self) -> None:
        self.day_bar.setEnabled(True)
        self.pages.setCurrentWidget(self.scroll_area)
        self.refresh()


def _estimated_height(card: MemberCard) -> int:
    """Rows a card shows unfolded (balances the columns without waiting for the layout)."""
    rows = 4
    for block in card.routine_blocks:
        if card.is_due(block):
            rows += 2 + (len(block.chips) + 2) // 3
    rows += sum(1 for row in card.habit_rows if card.is_due(row))
    return rows


__all__ = ["TodayView"]
