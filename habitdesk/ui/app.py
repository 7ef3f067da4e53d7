"""Composition root: QApplication, one qasync loop, the core, the main window."""

from __future__ import annotations

import asyncio
import sys
from typing import TYPE_CHECKING

from habitdesk.core.config import Settings

if TYPE_CHECKING:
    from habitdesk.ui.shell import Shell


def create_application(argv: list[str] | None = None):  # type: ignore[no-untyped-def]
    from habitdesk.ui import collector

    collector.pause_for_start_up()  # until the shell's first screen shows its data
    from habitdesk.core.appcore import import_for_first_screen

    import_for_first_screen()  # before PySide6 (see there why)
    # PySide6 before qasync: qasync picks the Qt binding that is already imported.
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    existing = QApplication.instance()
    # The tests make one QApplication for the whole session; it is always a QApplication.
    app = (
        existing
        if isinstance(existing, QApplication)
        else QApplication(argv if argv is not None else sys.argv)
    )
    QTimer.singleShot(collector.LONGEST_PAUSE_MS, collector.start_up_over)
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
    _close_on_ctrl_c(shell)
    await shell.start()
    await shell.closed
    await shell.shutdown()
    return 0


def _close_on_ctrl_c(shell: Shell) -> None:
    """Ctrl+C in the terminal closes the window in order, as the close button does.

    Python runs signal handlers only between bytecodes, and Qt's loop runs none while idle,
    so a slow no-op timer gives the handler a chance to run.
    """
    import signal

    from PySide6.QtCore import QTimer

    window = shell.window
    signal.signal(signal.SIGINT, lambda *_: QTimer.singleShot(0, window.close))
    wake = QTimer(window)
    wake.timeout.connect(lambda: None)
    wake.start(250)
