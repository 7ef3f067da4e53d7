"""`habitdesk screenshot SCREEN --out FILE.png`: render one screen off-screen, for the README,
for checks, and for looking at the app on a machine without a display."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from habitdesk.core.config import Settings

if TYPE_CHECKING:
    from habitdesk.ui.shell import Shell


def take_screenshot(
    settings: Settings, screen: str, out: Path, *, size: tuple[int, int], theme: str | None
) -> Path:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings

    from habitdesk.ui.app import create_application

    app = create_application(["habitdesk-screenshot"])
    # Rendering must not move the user's window or change their last screen.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp(prefix="hd-shot-")
    )
    if theme is not None:
        from habitdesk.ui.theme import apply_theme

        apply_theme(app, theme)
    import qasync

    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        return runner.run(_render(settings, screen, out, size))


async def _render(settings: Settings, screen: str, out: Path, size: tuple[int, int]) -> Path:
    from PySide6.QtWidgets import QApplication, QWidget

    from habitdesk.ui.shell import Shell

    shell = Shell(settings)
    target: QWidget = shell.window
    try:
        shell.window.resize(*size)
        await shell.start(show=True)
        shell.window.resize(*size)
        if screen == "setup":
            from habitdesk.ui.setup_flow import open_setup_wizard

            target = open_setup_wizard(shell)
            target.resize(min(size[0], 760), min(size[1], 560))
        else:
            shell.window.show_screen(screen)
        await shell.context.tasks.drain()
        if screen == "settings":
            # Its list of shortcuts grows as the other screens are made in the background.
            await _screens_prepared(shell)
        # Two passes of the event loop let layouts settle after the data arrived.
        for _ in range(2):
            QApplication.processEvents()
            await asyncio.sleep(0)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not target.grab().save(str(out)):
            raise OSError(f"could not write {out}")
        return out
    finally:
        if target is not shell.window:
            target.close()
        await shell.shutdown()


async def _screens_prepared(shell: Shell, timeout_s: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not shell.window.prepared and loop.time() < deadline:
        await asyncio.sleep(0.02)
