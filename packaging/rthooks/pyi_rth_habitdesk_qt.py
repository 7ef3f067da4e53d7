"""Run-time hook (habitdesk.spec): replaces PyInstaller's pyi_rth_pyside6.

PyInstaller's hook imports PySide6.QtCore at start-up to embed a qt.conf -- ≈45 ms spent before
every command, `habitdesk --version` and `habitdesk doctor` included, which import no Qt at all.
PySide6 embeds a correct qt.conf itself (its prefix is the bundle's PySide6/Qt folder), so only
the cheap part is kept: Qt loads plugins from the bundle alone, never from a QT_PLUGIN_PATH set
by the desktop session (plugins built for another Qt version crash the app).
"""

import os
import sys

if sys.platform == "win32":
    os.environ["QT_PLUGIN_PATH"] = os.path.join(sys._MEIPASS, "PySide6", "plugins")
else:
    os.environ["QT_PLUGIN_PATH"] = os.path.join(sys._MEIPASS, "PySide6", "Qt", "plugins")
