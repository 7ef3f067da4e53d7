"""`Shell`: opens the core, shows the window, loads the family, and shuts down in order.

Kept apart from app.py so tests and the screenshot command can drive the same start-up on their
own event loop.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from uuid import UUID

from PySide6.QtCore import QObject, QSettings, Signal

from habitdesk.core.appcore import AppCore
from habitdesk.core.config import Settings
from habitdesk.core.errors import DatabaseConnectionError, HabitDeskError, SchemaMismatchError
from habitdesk.ui import collector
from habitdesk.ui.context import AppContext
from habitdesk.ui.main_window import MainWindow

log = logging.getLogger(__name__)
_LAST_FAMILY = "session/familyId"


class Shell(QObject):
    # Emitted once the family (or the empty state) is on screen.
    ready = Signal()
    # The first-run wizard is wanted (no family yet).
    setup_needed = Signal()

    def __init__(self, settings: Settings) -> None:
        super().__init__()
        self.settings = settings
        self.context = AppContext(None, settings, self)
        self.window = MainWindow(self.context)
        self.window.close_requested.connect(self._close_requested)
        self.closed: asyncio.Future[None] = asyncio.get_event_loop().create_future()
        self.wizard: QObject | None = None
        # Set by the set-up flow: asks for a shared database's password when neither the
        # keyring nor this run knows it (open(), not exec()); False means "stay offline".
        self.before_connect: Callable[[], Awaitable[bool]] | None = None

    async def start(self, *, show: bool = True) -> None:
        try:
            await self._start(show)
        finally:
            self._when_first_screen_loaded(self._started)

    def _started(self) -> None:
        collector.start_up_over()
        self.window.prepare_screens()

    def _when_first_screen_loaded(self, then: Callable[[], None]) -> None:
        tasks = self.context.tasks
        if not tasks.pending:
            then()
            return

        def busy_changed(busy: bool) -> None:
            if not busy:
                tasks.busy_changed.disconnect(busy_changed)
                then()

        tasks.busy_changed.connect(busy_changed)

    async def _start(self, show: bool) -> None:
        self.window.restore_state()
        if show:
            self.window.show()
            # The window paints in a turn of its own, before the core opens (one long turn
            # of both kept the loop from answering for up to ≈70 ms).
            await asyncio.sleep(0)
        await self.open_database()

    async def open_database(self) -> None:
        """Open the database and load the family. When it cannot be opened the window says why,
        every screen says "Not connected", and the message offers Try again."""
        if self.before_connect is not None and not await self.before_connect():
            self._not_opened(
                "No database password given",
                "Not connected: the shared database needs its password. Try again to enter it.",
            )
            return
        try:
            core = await AppCore.open(self.settings)
        except SchemaMismatchError as exc:
            self._not_opened(exc.message, f"{exc.message} {exc.hint or ''}".strip())
            self.window.show_screen("settings")
            return
        except DatabaseConnectionError as exc:
            self._not_opened(exc.message, f"Offline: {exc}")
            return
        await self.attach(core)

    def _not_opened(self, reason: str, message: str) -> None:
        self.context.report_open_failure(reason)
        self.window.set_connection_state("offline", reason)
        self.window.show_message(message, error=True, action=("Try again", self.try_again))
        self.ready.emit()

    def try_again(self) -> asyncio.Task[None]:
        """Connect again: the server may be up now, the schema upgraded, a password at hand."""
        return self.context.tasks.run(self.open_database())

    async def attach(self, core: AppCore) -> None:
        """Use `core` from now on (start-up, or after the wizard connected somewhere else)."""
        previous = self.context.core
        self.context.core = core
        if previous is not None and previous is not core:
            await previous.close()
        info = core.connection
        self.window.set_connection_state(
            "local" if info.kind == "local" else "online", info.display
        )
        await self.load_family()

    async def load_family(self, family_id: UUID | None = None) -> None:
        core = self.context.core
        assert core is not None
        try:
            families = await core.families.list_families()
            if not families:
                self.context.set_family(None, [])
                self._refresh_visible()
                self.setup_needed.emit()
                self.ready.emit()
                return
            wanted = family_id or _saved_family_id()
            family = next((f for f in families if f.id == wanted), families[0])
            from habitdesk.core.services.base import Actor

            members = await core.families.list_members(Actor.local_admin(), family.id)
        except HabitDeskError as exc:
            self.window.show_message(str(exc), error=True)
            self.ready.emit()
            return
        QSettings().setValue(_LAST_FAMILY, str(family.id))
        self.context.set_family(family, members)
        self._refresh_visible()
        self.ready.emit()

    def _refresh_visible(self) -> None:
        view = self.window.view(self.window.current_screen)
        if view.stale and view.isVisible():
            view.refresh()

    def _close_requested(self) -> None:
        if not self.closed.done():
            self.closed.set_result(None)

    async def shutdown(self) -> None:
        """Pending work finishes, the engine is disposed, then the window goes."""
        await self.context.tasks.close()
        if self.context.core is not None:
            await self.context.core.close()
            self.context.core = None
        self.window.allow_close()
        self.window.close()


def _saved_family_id() -> UUID | None:
    value = QSettings().value(_LAST_FAMILY)
    try:
        return UUID(str(value)) if value else None
    except ValueError:
        return None
