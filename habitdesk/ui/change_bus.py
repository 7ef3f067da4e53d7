"""The one signal every screen listens to: some data changed, here is what kind."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal


class ChangeBus(QObject):
    # (Changes, initiator: the widget that asked for the write, or None)
    changes_applied = Signal(object, object)
