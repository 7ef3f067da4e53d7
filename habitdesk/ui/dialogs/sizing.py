"""Opening a dialog at the height its rows need for the width it has."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog


def fit_height(dialog: QDialog) -> None:
    """Size `dialog` to the height its layout needs at the width it opens with.

    Qt's size hint measures word-wrapped labels (a title holding a long name, the help texts) at a
    narrow width, so a dialog kept wider by its minimum width opened too tall, with blank gaps
    between its rows. Polished first, so the style sheet's fonts are the ones measured.
    """
    dialog.ensurePolished()
    layout = dialog.layout()
    if layout is None or not layout.hasHeightForWidth():
        return
    width = max(dialog.minimumWidth(), dialog.sizeHint().width())
    dialog.resize(width, max(layout.totalHeightForWidth(width), dialog.minimumHeight()))
