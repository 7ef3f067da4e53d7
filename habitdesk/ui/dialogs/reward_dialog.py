"""Add or edit a reward: its name, what it costs in points, and whether it can be asked for.

The dialog only collects input and shows messages; the Rewards screen writes through the task
bridge and tells the dialog how it went (`finish_saving`, `show_errors`). The service validates;
its message ("Cost: must be a whole number of points greater than zero …") lands next to the field
it names. Opened with `open()`, never `exec()`.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from habitdesk.core.schemas.points import MAX_COST, RewardRead
from habitdesk.ui.dialogs.sizing import fit_height
from habitdesk.ui.widgets.labels import dialog_title

# Message prefixes (as the core's validation writes them) → the field they belong to.
_FIELD_OF_PREFIX = {"Name": "name", "Cost": "cost", "Active": "active"}


class RewardDialog(QDialog):
    # The values, in the shape PointsService.create_reward / update_reward take.
    submitted = Signal(dict)

    def __init__(self, parent: QWidget | None = None, *, reward: RewardRead | None = None) -> None:
        super().__init__(parent)
        self.reward = reward
        self.setObjectName("rewardDialog")
        self.setWindowTitle(f"Edit “{reward.name}”" if reward else "Add a reward")
        self.setAccessibleName("Edit reward" if reward else "Add a reward")
        self.setModal(True)
        self.setMinimumWidth(480)

        root = QVBoxLayout(self)
        root.setContentsMargins(22, 20, 22, 16)
        root.setSpacing(12)
        root.addWidget(dialog_title(self.windowTitle()))
        intro = QLabel(
            "Something a child can ask for with the points they earned. A parent approves "
            "each request; the points leave the balance then."
        )
        intro.setProperty("muted", True)
        intro.setWordWrap(True)
        root.addWidget(intro)

        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        self.errors: dict[str, QLabel] = {}
        self._row = 0

        self.name = QLineEdit()
        self.name.setAccessibleName("Reward name")
        self.name.setPlaceholderText("e.g. Choose Friday's dinner")
        self.name.setMaxLength(100)
        self._add_row(grid, "&Name", self.name, "name")

        self.cost = QSpinBox()
        self.cost.setAccessibleName("Cost in points")
        self.cost.setRange(0, MAX_COST)
        self.cost.setSingleStep(10)
        self.cost.setSuffix(" points")
        self.cost.setGroupSeparatorShown(True)
        self.cost.setValue(50)
        self.cost.setMinimumWidth(160)
        self._add_row(grid, "&Cost", self.cost, "cost", stretch=False)

        self.active = QCheckBox("Children can ask for it now")
        self.active.setAccessibleName("Reward available")
        self.active.setToolTip("Switched off, it stays in the list but nobody can ask for it")
        self.active.setChecked(True)
        self._add_row(grid, "", self.active, "active")
        root.addLayout(grid)

        self.general_error = QLabel()
        self.general_error.setProperty("fieldError", True)
        self.general_error.setWordWrap(True)
        self.general_error.setAccessibleName("general error")
        self.general_error.hide()
        self.errors["general"] = self.general_error
        root.addWidget(self.general_error)

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(
            "Save" if reward else "Add reward", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setProperty("primary", True)
        self.save_button.setDefault(True)
        self.save_button.setAccessibleName(self.save_button.text())
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        root.addWidget(buttons)

        if reward is not None:
            self.name.setText(reward.name)
            self.cost.setValue(reward.cost)
            self.active.setChecked(reward.active)
        self.name.returnPressed.connect(self.submit)
        self.name.setFocus()
        self.name.selectAll()
        fit_height(self)

    def _add_row(
        self, grid: QGridLayout, text: str, widget: QWidget, key: str, *, stretch: bool = True
    ) -> None:
        label = QLabel(text)
        if text:
            label.setBuddy(widget)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(label, self._row, 0)
        if stretch:
            grid.addWidget(widget, self._row, 1)
        else:
            grid.addWidget(widget, self._row, 1, Qt.AlignmentFlag.AlignLeft)
        error = QLabel()
        error.setProperty("fieldError", True)
        error.setWordWrap(True)
        error.setAccessibleName(f"{key} error")
        error.hide()
        self.errors[key] = error
        grid.addWidget(error, self._row + 1, 1)
        grid.setRowMinimumHeight(self._row + 1, 6)
        self._row += 2

    # --- values -------------------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        return {
            "name": self.name.text(),
            "cost": self.cost.value(),
            "active": self.active.isChecked(),
        }

    # --- talking to the screen ----------------------------------------------------------------

    def submit(self) -> None:
        if not self.save_button.isEnabled():
            return
        self.clear_errors()
        self.set_busy(True)
        self.submitted.emit(self.values())

    def set_busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)
        idle = "Save" if self.reward else "Add reward"
        self.save_button.setText("Saving…" if busy else idle)

    def finish_saving(self) -> None:
        self.set_busy(False)
        self.accept()

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()

    def show_errors(self, message: str) -> None:
        """Each "<Field>: why" part next to its field; anything else under the form."""
        self.set_busy(False)
        first: str | None = None
        general: list[str] = []
        # "; " separates the problems, but a problem's own text may contain one too ("Cost: must
        # be … greater than zero; it was 0"): a part without a field prefix continues the last.
        last: str | None = None
        for part in (p.strip() for p in message.split("; ")):
            prefix, _, rest = part.partition(":")
            key = _FIELD_OF_PREFIX.get(prefix.strip())
            if key is None or not rest.strip():
                if last is not None:
                    label = self.errors[last]
                    label.setText(f"{label.text()}; {part}")
                else:
                    general.append(part)
                continue
            label = self.errors[key]
            text = rest.strip()
            text = text[:1].upper() + text[1:]
            label.setText(f"{label.text()} {text}".strip() if label.text() else text)
            label.show()
            first = first or key
            last = key
        if general:
            self.general_error.setText(" ".join(general))
            self.general_error.show()
        focus = {"name": self.name, "cost": self.cost, "active": self.active}
        if first is not None:
            focus[first].setFocus()
        # Messages make the form taller: grow rather than squeeze the fields.
        wanted = self.sizeHint().height()
        if self.height() < wanted:
            self.resize(self.width(), wanted)
