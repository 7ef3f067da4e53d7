"""The single bridge from widgets to async services.

Widgets never call services or asyncio.create_task directly; they call `TaskRunner.run`, which
- keeps a strong reference to every task until it ends (qasync's asyncSlot does not),
- routes every exception to one error path: a message near the action (the `on_error` callback
  or the window's message bar) and the traceback in the log file,
- serialises writes, so two quick clicks cannot interleave their transactions,
- shows busy state while work runs,
- emits `changes_applied(changes, initiator)` after every successful write.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from habitdesk.core.errors import ConflictError, DatabaseConnectionError, HabitDeskError
from habitdesk.ui.change_bus import ChangeBus

log = logging.getLogger(__name__)
T = TypeVar("T")

ErrorHandler = Callable[[str], None]


def message_for(exc: BaseException) -> str:
    """What a person reads when something fails."""
    if isinstance(exc, HabitDeskError):
        return str(exc)
    return f"Something went wrong ({type(exc).__name__}). Details are in the log file."


@dataclass(frozen=True)
class Conflict:
    """A write refused because someone else changed the row first (a ConflictError)."""

    message: str


async def or_conflict(work: Awaitable[T]) -> T | Conflict:
    """Turn a ConflictError into a value, so the screen can offer "Reload" rather than just
    showing an error; every other failure still takes the task bridge's error path."""
    try:
        return await work
    except ConflictError as exc:
        return Conflict(str(exc))


class TaskRunner(QObject):
    busy_changed = Signal(bool)
    # (message, origin widget or None) for failures that no on_error callback took.
    failed = Signal(str, object)
    # A connection-level failure: the window shows an offline banner.
    connection_lost = Signal(str)
    connection_ok = Signal()

    def __init__(self, bus: ChangeBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.bus = bus
        self._tasks: set[asyncio.Task[Any]] = set()
        self._write_lock = asyncio.Lock()
        self._closing = False

    @property
    def pending(self) -> int:
        return len(self._tasks)

    def run(
        self,
        work: Coroutine[Any, Any, T],
        *,
        on_done: Callable[[T], None] | None = None,
        on_error: ErrorHandler | None = None,
        origin: QObject | None = None,
        write: bool = False,
    ) -> asyncio.Task[None]:
        """Start `work`; return its task so a test can await it instead of sleeping.

        With `write=True` the work runs under the write lock and its result's `.changes`
        (a service Result) is announced on the change bus.
        """
        if self._closing:
            work.close()
            raise RuntimeError("the app is shutting down")
        task = asyncio.get_event_loop().create_task(
            self._guarded(work, on_done, on_error, origin, write)
        )
        self._tasks.add(task)
        if len(self._tasks) == 1:
            self.busy_changed.emit(True)
        task.add_done_callback(self._forget)
        return task

    def read(
        self,
        work: Coroutine[Any, Any, T],
        on_done: Callable[[T], None],
        *,
        on_error: ErrorHandler | None = None,
        origin: QObject | None = None,
    ) -> asyncio.Task[None]:
        return self.run(work, on_done=on_done, on_error=on_error, origin=origin)

    def write(
        self,
        work: Coroutine[Any, Any, T],
        *,
        on_done: Callable[[T], None] | None = None,
        on_error: ErrorHandler | None = None,
        origin: QObject | None = None,
    ) -> asyncio.Task[None]:
        return self.run(work, on_done=on_done, on_error=on_error, origin=origin, write=True)

    async def _guarded(
        self,
        work: Awaitable[T],
        on_done: Callable[[T], None] | None,
        on_error: ErrorHandler | None,
        origin: QObject | None,
        write: bool,
    ) -> None:
        try:
            if write:
                async with self._write_lock:
                    result = await work
            else:
                result = await work
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # one error path for everything a service can raise
            self._report(exc, on_error, origin)
            return
        self.connection_ok.emit()
        if write:
            changes = getattr(result, "changes", None)
            if changes:
                self.bus.changes_applied.emit(changes, origin)
        if on_done is not None:
            try:
                on_done(result)
            except Exception as exc:
                self._report(exc, on_error, origin)

    def _report(
        self, exc: Exception, on_error: ErrorHandler | None, origin: QObject | None
    ) -> None:
        message = message_for(exc)
        if isinstance(exc, HabitDeskError):
            log.info("refused: %s", message)
        else:
            log.error("task failed", exc_info=exc)
        if isinstance(exc, DatabaseConnectionError):
            self.connection_lost.emit(message)
        if on_error is not None:
            on_error(message)
        else:
            self.failed.emit(message, origin)

    def _forget(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not self._tasks:
            self.busy_changed.emit(False)

    async def drain(self) -> None:
        """Wait for every running task (tests; orderly shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def close(self) -> None:
        """Refuse new work, let running writes finish, cancel reads still waiting."""
        self._closing = True
        await self.drain()
