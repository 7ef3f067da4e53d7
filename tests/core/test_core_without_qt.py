"""The core must import and work where PySide6 is not installed (e.g. a server or CI runner)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_core_imports_with_qt_blocked() -> None:
    script = textwrap.dedent(
        """
        import importlib, pkgutil, sys
        class Block:
            def find_spec(self, name, path, target=None):
                if name.split('.')[0] in ('PySide6', 'shiboken6', 'qasync'):
                    raise ModuleNotFoundError(name)
        sys.meta_path.insert(0, Block())
        import habitdesk.core
        for info in pkgutil.walk_packages(habitdesk.core.__path__, 'habitdesk.core.'):
            importlib.import_module(info.name)
        loaded = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'qasync')]
        assert not loaded, loaded
        print('ok')
        """
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
