"""`View`: a screen. It loads through the task bridge, refreshes in `on_changes`, and when hidden
only marks itself stale (and refreshes when shown again)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget

from habitdesk.core.changes import Changes, Kind
from habitdesk.ui.context import AppContext

NOT_OPEN_TITLE = "Not connected"
NOT_OPEN_HINT = (
    "the family's data could not be opened, so there is nothing to show here (nothing is "
    "lost). The message above says why; Settings → Check connection looks into it. Once the "
    "database can be reached, press Try again."
)


@dataclass(frozen=True)
class Absence:
    """Why a screen shows no family: a title and what to do. Both empty while nothing is known
    yet (the database is still opening, or its families are still being read)."""

    title: str = ""
    hint: str = ""

    @property
    def text(self) -> str:
        return f"{self.title} — {self.hint}" if self.title else ""


class View(QWidget):
    screen_id: ClassVar[str] = ""
    title: ClassVar[str] = ""
    # Kinds of data this screen shows; other changes leave it alone.
    watches: ClassVar[frozenset[Kind]] = frozenset(Kind)
    # After "No family yet —": what to do, in this screen's words.
    no_family_hint: ClassVar[str] = (
        "create one with the set-up wizard, or on the command line with “habitdesk family create”."
    )

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.stale = True
        self.setObjectName(f"view-{self.screen_id}")
        self.setAccessibleName(f"{self.title} screen")
        context.bus.changes_applied.connect(self.on_changes)
        context.family_changed.connect(self._selection_changed)
        context.members_changed.connect(self._selection_changed)
        context.filter_changed.connect(self._selection_changed)
        context.actor_changed.connect(self._selection_changed)
        context.day_changed.connect(self._selection_changed)
        context.open_failed.connect(self._selection_changed)

    # --- refresh protocol -------------------------------------------------------------------

    def on_changes(self, changes: Changes, initiator: Any) -> None:
        if not changes.touches(*self.watches):
            return
        self._selection_changed()

    def _selection_changed(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self.stale = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale:
            self.refresh()

    def refresh(self) -> Any:
        """Reload this screen's data; returns the task (tests await it)."""
        self.stale = False
        if self.context.core is None or self.context.family is None:
            self.show_empty()
            return None
        return self.context.tasks.read(self.load(), self.apply, on_error=self.show_error)

    # --- to implement -----------------------------------------------------------------------

    async def load(self) -> Any:
        """Fetch everything the screen shows, in as few service calls as possible."""
        raise NotImplementedError

    def apply(self, data: Any) -> None:
        """Fill the widgets from what `load` returned (runs on the UI thread, never waits)."""
        raise NotImplementedError

    def show_empty(self) -> None:
        """No family to show; `absence` says why, in words for the screen's empty state."""

    def absence(self) -> Absence:
        """Why there is no family to show. "No family yet" only when the open database was
        asked and has none: saying it while the database could not be reached would send a
        parent off to create a second family."""
        context = self.context
        if context.core is not None:
            if context.families_known and context.family is None:
                return Absence("No family yet", self.no_family_hint)
            return Absence()
        if context.open_failure is not None:
            return Absence(NOT_OPEN_TITLE, NOT_OPEN_HINT)
        return Absence()

    def show_error(self, message: str) -> None:
        window = self.window()
        show = getattr(window, "show_message", None)
        if show is not None:
            show(message, error=True)

    def _flash(self, message: str) -> None:
        """A short confirmation ("Saved …") in the window's status line, gone after 4 s."""
        window = self.window()
        show = getattr(window, "show_message", None)
        if show is not None and window is not self:
            show(message, timeout_ms=4000)
