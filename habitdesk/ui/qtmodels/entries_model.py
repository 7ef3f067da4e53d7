"""`EntriesModel`: the recorded days of one habit, newest first, fetched a page at a time.

Years of history are thousands of rows, so the model holds only what was scrolled to: the view
asks `canFetchMore`/`fetchMore` as it nears the end, and `fetchMore` starts a read through the
task bridge (`HabitService.entries_page`, 100 rows) and inserts the rows when they arrive. The
first page comes with the total in one statement (`HabitService.entries_first_page`): it is part
of a Habits screen switch, which must stay within a handful of statements.
`data()` only formats what is held and never waits. The note column is editable in place when
the acting member may record this habit (the same permission as checking it off); the note is
saved through the task bridge and the row shows what the service stored.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any, ClassVar
from uuid import UUID

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QColor

from habitdesk.core.enums import EntryStatus
from habitdesk.core.schemas.habits import HabitEntryRead, HabitRead
from habitdesk.ui.context import AppContext
from habitdesk.ui.qtmodels.table_base import READ_ONLY, RIGHT, Index, TableModel
from habitdesk.ui.widgets.day_strip import format_value

PAGE_SIZE = 100

STATUS_LABELS = {
    EntryStatus.DONE: "✓  Done",
    EntryStatus.MISSED: "✗  Missed",
    EntryStatus.SKIPPED: "↷  Skipped",
}
_STATUS_COLOURS = {
    EntryStatus.DONE: "#2E9A5B",
    EntryStatus.MISSED: "#C2453A",
    EntryStatus.SKIPPED: "#8A9099",
}


def entry_day_text(day: date, this_year: int | None = None) -> str:
    """ "Tue 24 Nov", with the year when it is not this year's."""
    year = f" {day.year}" if day.year != (this_year or date.today().year) else ""
    return f"{day:%a} {day.day} {day:%b}{year}"


class EntriesModel(TableModel[HabitEntryRead]):
    DATE, STATUS, VALUE, NOTE = range(4)
    HEADERS = ("Date", "Status", "Value", "Note")
    ALIGNMENT: ClassVar[Mapping[int, Qt.AlignmentFlag]] = {VALUE: RIGHT}  # header too

    # The total is known (or changed): the screen shows "N recorded days".
    total_changed = Signal(int)
    # A note was saved (the entry as stored) or refused (the message).
    note_saved = Signal(object)
    note_failed = Signal(str)

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.habit: HabitRead | None = None
        self.total: int | None = None
        self.notes_editable = False
        self._loading: asyncio.Task[None] | None = None
        self._generation = 0

    # --- which habit ------------------------------------------------------------------------------

    def set_habit(self, habit: HabitRead | None, *, notes_editable: bool = False) -> Any:
        """Show `habit`'s entries from the newest (None: nothing). Returns the first read's
        task, so a test can await it."""
        self.beginResetModel()
        self._generation += 1
        self.habit = habit
        self._rows = []
        self.total = None
        self.notes_editable = notes_editable
        self._loading = None
        self.endResetModel()
        if habit is None or self.context.core is None:
            self.total_changed.emit(0)
            return None
        return self._read_page(first=True)

    def reload(self) -> Any:
        return self.set_habit(self.habit, notes_editable=self.notes_editable)

    def set_notes_editable(self, editable: bool) -> None:
        if editable != self.notes_editable:
            self.notes_editable = editable
            if self._rows:
                self.dataChanged.emit(
                    self.index(0, self.NOTE), self.index(len(self._rows) - 1, self.NOTE)
                )

    @property
    def loading(self) -> bool:
        return self._loading is not None

    # --- paging -----------------------------------------------------------------------------------

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid() or self.habit is None or self.total is None:
            return False
        return len(self._rows) < self.total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent) and self._loading is None:
            self._read_page(first=False)

    def _read_page(self, *, first: bool) -> asyncio.Task[None] | None:
        core, habit = self.context.core, self.habit
        if core is None or habit is None:
            return None
        generation, offset = self._generation, len(self._rows)

        async def work() -> tuple[int | None, list[HabitEntryRead]]:
            if first:
                return await core.habits.entries_first_page(habit.id, PAGE_SIZE)
            return None, await core.habits.entries_page(habit.id, offset, PAGE_SIZE)

        def done(result: tuple[int | None, list[HabitEntryRead]]) -> None:
            if generation != self._generation:
                return  # another habit was picked meanwhile
            self._loading = None
            total, page = result
            if total is not None:
                self.total = total
            self._append(page)
            if len(page) < PAGE_SIZE:  # the end, whatever the count said a moment before
                self.total = len(self._rows)
            self.total_changed.emit(self.total or 0)

        def failed(message: str) -> None:
            if generation == self._generation:
                self._loading = None
                self.note_failed.emit(message)

        task = self.context.tasks.read(work(), done, on_error=failed, origin=self)
        self._loading = task
        return task

    def _append(self, page: list[HabitEntryRead]) -> None:
        known = {e.day for e in self._rows}
        fresh = [e for e in page if e.day not in known]
        if not fresh:
            return
        start = len(self._rows)
        self.beginInsertRows(QModelIndex(), start, start + len(fresh) - 1)
        self._rows.extend(fresh)
        self.endInsertRows()

    @property
    def pending_task(self) -> asyncio.Task[None] | None:
        """The read running now, if any (tests await it)."""
        return self._loading

    # --- table --------------------------------------------------------------------------------------

    def flags(self, index: Index) -> Qt.ItemFlag:
        if index.isValid() and index.column() == self.NOTE and self.notes_editable:
            return READ_ONLY | Qt.ItemFlag.ItemIsEditable
        return READ_ONLY

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        entry = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(entry, column)
        if role == Qt.ItemDataRole.EditRole:
            return entry.note or "" if column == self.NOTE else self._text(entry, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == self.STATUS:
            return QColor(_STATUS_COLOURS[entry.status])
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.NOTE:
                if entry.note:
                    return entry.note
                return "Double-click or press F2 to add a note" if self.notes_editable else None
            return None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.HEADERS[column]}: {self._text(entry, column) or 'none'}"
        if role == Qt.ItemDataRole.TextAlignmentRole and column in self.ALIGNMENT:
            return int(self.ALIGNMENT[column])
        return None

    def _text(self, entry: HabitEntryRead, column: int) -> str:
        if column == self.DATE:
            return entry_day_text(entry.day, self.context.today.year)
        if column == self.STATUS:
            return STATUS_LABELS[entry.status]
        if column == self.VALUE:
            habit = self.habit
            if habit is None or habit.unit is None:
                return ""
            return format_value(entry.value, habit.unit)
        return entry.note or ""

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.EditRole
            or not index.isValid()
            or index.column() != self.NOTE
            or not self.notes_editable
        ):
            return False
        entry = self._rows[index.row()]
        text = str(value or "").strip()
        if text == (entry.note or ""):
            return False
        self.save_note(entry, text or None)
        return True

    # --- notes --------------------------------------------------------------------------------------

    def save_note(
        self, entry: HabitEntryRead, note: str | None, *, on_saved: Callable[[], None] | None = None
    ) -> asyncio.Task[None] | None:
        core, habit = self.context.core, self.habit
        if core is None or habit is None:
            return None
        generation = self._generation

        def saved(result: Any) -> None:
            stored: HabitEntryRead = result.value
            if generation == self._generation:
                self._replace(stored)
            self.note_saved.emit(stored)
            if on_saved is not None:
                on_saved()

        return self.context.tasks.write(
            core.habits.set_note(self.context.actor, habit.id, entry.day, note),
            on_done=saved,
            on_error=self.note_failed.emit,
            origin=self,
        )

    def _replace(self, entry: HabitEntryRead) -> None:
        for row, held in enumerate(self._rows):
            if held.day == entry.day:
                self._rows[row] = entry
                self.dataChanged.emit(self.index(row, 0), self.index(row, self.NOTE))
                return

    def row_of(self, day: date) -> int | None:
        return next((i for i, e in enumerate(self._rows) if e.day == day), None)

    def habit_id(self) -> UUID | None:
        return self.habit.id if self.habit else None
