"""Remove… on a screen: ask "Remove …?" first, then remove through the task bridge and say so.

Family, Habits, Rewards and Routines remove this one way. What differs between them (the words,
the service call, where the selection goes next, which label shows a refusal) is passed in.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMessageBox

from habitdesk.ui.dialogs.confirm import confirm_removal

if TYPE_CHECKING:
    from habitdesk.core.appcore import AppCore
    from habitdesk.ui.views.base import View

Remove = Callable[["AppCore"], Coroutine[Any, Any, object]]


class Removal:
    """One screen's "Remove …?" flow; at most one box is open at a time (`box`)."""

    def __init__(self, view: View, *, on_error: Callable[[str], None]) -> None:
        """`on_error(message)` shows a refusal next to the list; an empty message hides it."""
        self._view = view
        self._on_error = on_error
        self.box: QMessageBox | None = None

    def ask(
        self,
        *,
        title: str,
        text: str,
        details: str,
        remove: Remove,
        done: str | None = None,
        before_write: Callable[[], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
        confirm_name: str = "Confirm remove",
        icon: QMessageBox.Icon = QMessageBox.Icon.Question,
    ) -> QMessageBox | None:
        """Open the box (None when one is open already); once confirmed, `before_write` runs,
        then `remove(core)` goes through the task bridge and `done` is flashed when it is
        through. `on_cancel` runs when the box closes without a removal: Cancel, Esc, or no
        database any more to remove from.

        `remove` is called only once confirmed, so no coroutine is made for a cancelled box and
        the actor is the one acting when Remove is pressed.
        """
        if self.box is not None:
            return None
        # A refusal from an earlier try is old news once the parent asks again.
        self._on_error("")

        def answered(box: QMessageBox, confirmed: bool) -> None:
            if self.box is box:
                self.box = None
            core = self._view.context.core
            if not confirmed or core is None:
                if on_cancel is not None:
                    on_cancel()
                return
            if before_write is not None:
                before_write()
            self._view.context.tasks.write(
                remove(core),
                on_done=None if done is None else lambda _result: self._view._flash(done),
                on_error=self._on_error,
                origin=self._view,
            )

        self.box = confirm_removal(
            self._view,
            title=title,
            text=text,
            details=details,
            on_answer=answered,
            confirm_name=confirm_name,
            icon=icon,
        )
        return self.box


__all__ = ["Removal"]
