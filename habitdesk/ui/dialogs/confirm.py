"""The one "Remove …?" confirmation every screen uses: opened with open(), never exec()."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def confirm_removal(
    parent: QWidget,
    *,
    title: str,
    text: str,
    details: str,
    on_answer: Callable[[QMessageBox, bool], None],
    confirm_name: str = "Confirm remove",
    icon: QMessageBox.Icon = QMessageBox.Icon.Question,
) -> QMessageBox:
    """Ask before removing something; Cancel is the default and Esc answers it.

    `on_answer(box, confirmed)` runs when the box closes; the box deletes itself afterwards.
    """
    box = QMessageBox(parent)
    box.setIcon(icon)
    box.setWindowTitle(title)
    box.setText(text)
    box.setInformativeText(details)
    remove = box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
    remove.setAccessibleName(confirm_name)
    cancel = box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(cancel)
    box.setEscapeButton(cancel)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.finished.connect(lambda _result: on_answer(box, box.clickedButton() is remove))
    box.open()
    return box
