"""`NoteEditing`: a screen's one note editor, from opening to the saved write.

The Today screen (a habit's day, a routine's run, a skip and its reason) and run mode's done
screen (the run's note) open the same `NoteEditor` pop-up the same way: any editor already open
closes, the new one opens under the button that asked for it, Save writes through the task
bridge, and the editor closes once the write is done or stays open with the refusal.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any
from uuid import UUID

from PySide6.QtWidgets import QWidget

from habitdesk.ui.context import AppContext
from habitdesk.ui.widgets.today_cards import NoteEditor

if TYPE_CHECKING:
    from habitdesk.core.appcore import AppCore

# What Save sends: the write, given the core and the text (None: no note).
NoteWrite = Callable[["AppCore", str | None], Coroutine[Any, Any, Any]]


class NoteEditing:
    """The note editor of `host` (its parent, and the origin of its writes); one at a time."""

    def __init__(self, host: QWidget, context: AppContext) -> None:
        self.host = host
        self.context = context
        self.editor: NoteEditor | None = None

    def open(
        self,
        title: str,
        text: str | None,
        anchor: QWidget,
        write: NoteWrite,
        *,
        skip: bool = False,
        member: UUID | None = None,
        on_saved: Callable[[Any], None] | None = None,
    ) -> NoteEditor:
        """Open an editor showing `text` under `anchor`; Save sends `write`.

        `member`: whose note it is, when the acting member may change while the editor is open
        (Save is then refused in the editor for someone they may not check off for).
        `on_saved`: given the write's result, after the editor has closed.
        """
        self.close()
        editor = NoteEditor(title, text, self.host, skip=skip)
        editor.save_requested.connect(
            lambda written: self._save(editor, written, write, member, on_saved)
        )
        editor.destroyed.connect(lambda *_: self._gone(editor))
        self.editor = editor
        editor.open_at(anchor)
        return editor

    def close(self) -> None:
        if self.editor is not None:
            self.editor.close()

    def _gone(self, editor: NoteEditor) -> None:
        if self.editor is editor:
            self.editor = None

    def _save(
        self,
        editor: NoteEditor,
        text: str,
        write: NoteWrite,
        member: UUID | None,
        on_saved: Callable[[Any], None] | None,
    ) -> asyncio.Task[None] | None:
        core = self.context.core
        if core is None:
            return None
        if member is not None and not self.context.may_check_for(member):
            editor.show_error("You can't add notes for someone else.")
            return None

        def saved(result: Any) -> None:
            editor.close()
            if on_saved is not None:
                on_saved(result)

        return self.context.tasks.write(
            write(core, text or None),
            on_done=saved,
            on_error=editor.show_error,
            origin=self.host,
        )


__all__ = ["NoteEditing", "NoteWrite"]
