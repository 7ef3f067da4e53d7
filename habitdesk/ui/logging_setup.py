"""The app's log file in the user log folder (tracebacks of failed tasks land here)."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from habitdesk.core import paths


def configure_logging() -> Path:
    folder = paths.user_log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    log_file = folder / "habitdesk.log"
    root = logging.getLogger()
    if not any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        handler = RotatingFileHandler(log_file, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
    return log_file
