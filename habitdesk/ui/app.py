"""Composition root: QApplication, one qasync loop, the core, the main window."""

from __future__ import annotations

import asyncio
import sys

from habitdesk.core.config import Settings


def create_application(argv: list[str] | None = None):  # type: ignore[no-untyped-def]
    # PySide6 before qasync: qasync picks the Qt binding that is already imported.
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("HabitDesk")
    app.setOrganizationName("HabitDesk")
    app.setApplicationDisplayName("HabitDesk")
    app.setQuitOnLastWindowClosed(False)
    # Wayland matches the window to the desktop entry (and its icon) by this name.
    app.setDesktopFileName("habitdesk")
    from PySide6.QtGui import QIcon

    from habitdesk.core.paths import resources_dir

    app.setWindowIcon(QIcon(str(resources_dir() / "habitdesk.svg")))
    from habitdesk.ui.theme import apply_theme

    apply_theme(app)
    return app


def run_app(settings: Settings) -> int:
    from habitdesk.ui.logging_setup import configure_logging

    configure_logging()
    app = create_application()
    import qasync

    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        return runner.run(_main(settings))


async def _main(settings: Settings) -> int:
    from habitdesk.ui.setup_flow import attach_setup_wizard
    from habitdesk.ui.shell import Shell

    shell = Shell(settings)
    attach_setup_wizard(shell)
    await shell.start()
    await shell.closed
    await shell.shutdown()
    return 0
