"""Add or edit a family member: name, role, colour, avatar emoji, e-mail, birth date.

The dialog only collects input and shows messages; the Family screen does the write through
the task bridge and tells the dialog how it went (`finish_saving`, `show_errors`,
`show_conflict`). The service validates; its message lands next to the field it names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from habitdesk.core.enums import Role
from habitdesk.core.schemas.people import MemberRead
from habitdesk.ui.dialogs.sizing import fit_height
from habitdesk.ui.qtmodels.members_model import ROLE_HELP, ROLE_LABELS, avatar_pixmap
from habitdesk.ui.widgets.colour_button import ColourPicker
from habitdesk.ui.widgets.emoji_picker import EmojiPicker
from habitdesk.ui.widgets.labels import dialog_title


@dataclass(frozen=True)
class MemberForm:
    """What the dialog collected, in the shape the services take."""

    person: dict[str, Any] = field(default_factory=dict)
    role: Role = Role.CHILD


# Message prefixes (as the core's validation writes them) → the field they belong to.
_FIELD_OF_PREFIX = {
    "Name": "name",
    "Full name": "name",
    "E-mail": "email",
    "Colour": "colour",
    "Avatar emoji": "avatar",
    "Birth date": "birth",
    "Role": "role",
}


class MemberDialog(QDialog):
    submitted = Signal(object)  # MemberForm
    reload_requested = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        member: MemberRead | None = None,
        default_colour: str = "#4C7BD9",
        allow_owner: bool = True,
    ) -> None:
        super().__init__(parent)
        self.member = member
        self.busy = False
        self.setObjectName("memberDialog")
        self.setWindowTitle("Edit member" if member else "Add a family member")
        self.setAccessibleName(self.windowTitle())
        self.setModal(True)
        self.setMinimumWidth(640)

        root = QVBoxLayout(self)
        root.setContentsMargins(22, 20, 22, 16)
        root.setSpacing(14)
        root.addLayout(self._build_header())

        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        self.errors: dict[str, QLabel] = {}
        self._row = 0

        self.name = QLineEdit()
        self.name.setAccessibleName("Name")
        self.name.setPlaceholderText("e.g. Léa Martin")
        self.name.setMaxLength(100)
        self._add_row(grid, "&Name", self.name, "name")

        self.role = QComboBox()
        self.role.setAccessibleName("Role")
        for role in Role:
            self.role.addItem(ROLE_LABELS[role], role.value)
            self.role.setItemData(
                self.role.count() - 1, ROLE_HELP[role], Qt.ItemDataRole.ToolTipRole
            )
        self.role_help = QLabel()
        self.role_help.setProperty("muted", True)
        self.role_help.setWordWrap(True)
        role_box = QWidget()
        role_layout = QVBoxLayout(role_box)
        role_layout.setContentsMargins(0, 0, 0, 0)
        role_layout.setSpacing(3)
        role_layout.addWidget(self.role)
        role_layout.addWidget(self.role_help)
        self._add_row(grid, "&Role", role_box, "role", buddy=self.role)
        self.role.currentIndexChanged.connect(self._role_picked)

        self.colour = ColourPicker(default_colour)
        self._add_row(grid, "&Colour", self.colour, "colour", buddy=self.colour.other)

        self.avatar = EmojiPicker()
        self._add_row(grid, "&Avatar", self.avatar, "avatar", buddy=self.avatar.edit)

        self.email = QLineEdit()
        self.email.setAccessibleName("E-mail")
        self.email.setPlaceholderText("Optional — children usually have none")
        self._add_row(grid, "&E-mail", self.email, "email")

        birth_box = QWidget()
        birth_layout = QHBoxLayout(birth_box)
        birth_layout.setContentsMargins(0, 0, 0, 0)
        self.has_birth = QCheckBox("Known")
        self.has_birth.setAccessibleName("Birth date known")
        self.birth = QDateEdit()
        self.birth.setAccessibleName("Birth date")
        self.birth.setCalendarPopup(True)
        self.birth.setDisplayFormat("d MMM yyyy")
        self.birth.setMinimumDate(QDate(1900, 1, 1))
        self.birth.setMaximumDate(QDate.currentDate())
        self.birth.setDate(QDate.currentDate().addYears(-8))
        self.birth.setEnabled(False)
        self.has_birth.toggled.connect(self.birth.setEnabled)
        birth_layout.addWidget(self.has_birth)
        birth_layout.addWidget(self.birth)
        birth_layout.addStretch(1)
        self._add_row(grid, "&Birth date", birth_box, "birth", buddy=self.has_birth)
        root.addLayout(grid)

        self.conflict = QFrame()
        self.conflict.setObjectName("memberConflict")
        self.conflict.setProperty("card", True)
        conflict_layout = QHBoxLayout(self.conflict)
        conflict_layout.setContentsMargins(10, 6, 6, 6)
        self.conflict_text = QLabel()
        self.conflict_text.setWordWrap(True)
        self.conflict_text.setProperty("fieldError", True)
        self.reload_button = QPushButton("Reload")
        self.reload_button.setAccessibleName("Reload member")
        self.reload_button.clicked.connect(self.reload_requested)
        conflict_layout.addWidget(self.conflict_text, 1)
        conflict_layout.addWidget(self.reload_button)
        self.conflict.hide()
        root.addWidget(self.conflict)

        self.general_error = self._error_label("general")
        root.addWidget(self.general_error)

        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(
            "Save" if member else "Add member", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setProperty("primary", True)
        self.save_button.setAccessibleName(self.save_button.text())
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        root.addWidget(buttons)
        # Only once the button is inside the dialog: Enter in any field then saves.
        self.save_button.setDefault(True)

        self.name.textChanged.connect(self._update_preview)
        self.colour.colour_changed.connect(self._update_preview)
        self.avatar.emoji_changed.connect(self._update_preview)

        if not allow_owner:
            model = self.role.model()
            assert isinstance(model, QStandardItemModel)
            owner_item = model.item(self.role.findData(Role.OWNER.value))
            owner_item.setEnabled(False)
            owner_item.setToolTip("Only an owner can make someone an owner")
        if member is not None:
            self.load_member(member)
            if member.role is Role.OWNER and not allow_owner:
                self.role.setEnabled(False)
                self.role_help.setText("Only an owner can change an owner's role.")
        else:
            self.role.setCurrentIndex(self.role.findData(Role.CHILD.value))
        self._role_picked()
        self._update_preview()
        self.name.setFocus()
        fit_height(self)

    # --- building -----------------------------------------------------------------------------

    def _build_header(self) -> QHBoxLayout:
        header = QHBoxLayout()
        header.setSpacing(12)
        self.preview = QLabel()
        self.preview.setFixedSize(52, 52)
        self.preview.setAccessibleName("Avatar preview")
        header.addWidget(self.preview)
        texts = QVBoxLayout()
        texts.setSpacing(2)
        self.heading = dialog_title(self.windowTitle())
        texts.addWidget(self.heading)
        subtitle = QLabel(
            "Only the name is required. Everyone gets a colour and an emoji so the family can "
            "tell their routines apart at a glance."
        )
        subtitle.setProperty("muted", True)
        subtitle.setWordWrap(True)
        texts.addWidget(subtitle)
        header.addLayout(texts, 1)
        return header

    def _error_label(self, key: str) -> QLabel:
        label = QLabel()
        label.setProperty("fieldError", True)
        label.setWordWrap(True)
        label.setAccessibleName(f"{key} error")
        label.hide()
        self.errors[key] = label
        return label

    def _add_row(
        self,
        grid: QGridLayout,
        text: str,
        widget: QWidget,
        key: str,
        *,
        buddy: QWidget | None = None,
    ) -> None:
        label = QLabel(text)
        label.setBuddy(buddy or widget)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        label.setContentsMargins(0, 5, 0, 0)
        grid.addWidget(label, self._row, 0)
        grid.addWidget(widget, self._row, 1)
        grid.addWidget(self._error_label(key), self._row + 1, 1)
        grid.setRowMinimumHeight(self._row + 1, 6)
        self._row += 2

    # --- values -------------------------------------------------------------------------------

    def load_member(self, member: MemberRead) -> None:
        """Show `member` (on open, and again after "Reload" following a conflict)."""
        self.member = member
        self.heading.setText(f"Edit {member.full_name}")
        self.name.setText(member.full_name)
        self.role.setCurrentIndex(max(0, self.role.findData(member.role.value)))
        self.colour.set_colour(member.colour)
        self.avatar.set_emoji(member.avatar_emoji)
        self.email.setText(member.email or "")
        self.has_birth.setChecked(member.birth_date is not None)
        if member.birth_date is not None:
            born = member.birth_date
            self.birth.setDate(QDate(born.year, born.month, born.day))
        self.conflict.hide()
        self.clear_errors()

    def form(self) -> MemberForm:
        birth: date | None = None
        if self.has_birth.isChecked():
            qdate = self.birth.date()
            birth = date(qdate.year(), qdate.month(), qdate.day())
        person = {
            "full_name": self.name.text(),
            "email": self.email.text().strip() or None,
            "colour": self.colour.colour(),
            "avatar_emoji": self.avatar.emoji() or None,
            "birth_date": birth,
        }
        return MemberForm(person=person, role=self.current_role())

    def current_role(self) -> Role:
        # Qt hands enum data back as plain strings.
        return Role(str(self.role.currentData()))

    # --- talking to the screen ----------------------------------------------------------------

    def submit(self) -> None:
        if not self.save_button.isEnabled():
            return
        self.clear_errors()
        self.set_busy(True)
        self.submitted.emit(self.form())

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.cancel_button.setEnabled(not busy)
        self.save_button.setEnabled(not busy)
        self.save_button.setText("Saving…" if busy else ("Save" if self.member else "Add member"))

    def reject(self) -> None:
        # While a save runs the dialog stays: its answer (done, or a message) comes back here.
        if not self.busy:
            super().reject()

    def finish_saving(self) -> None:
        self.set_busy(False)
        self.accept()

    def clear_errors(self) -> None:
        for label in self.errors.values():
            label.clear()
            label.hide()

    def show_errors(self, message: str) -> None:
        """Put each "<Field>: why" part next to its field; anything else under the form."""
        self.set_busy(False)
        first: str | None = None
        general: list[str] = []
        for part in (p.strip() for p in message.split("; ")):
            prefix, _, rest = part.partition(":")
            key = _FIELD_OF_PREFIX.get(prefix.strip())
            if key is None or not rest:
                general.append(part)
                continue
            label = self.errors[key]
            text = rest.strip()
            text = text[:1].upper() + text[1:]
            label.setText(f"{label.text()} {text}".strip() if label.text() else text)
            label.show()
            first = first or key
        if general:
            self.errors["general"].setText(" ".join(general))
            self.errors["general"].show()
        focus = {
            "name": self.name,
            "email": self.email,
            "colour": self.colour.other,
            "avatar": self.avatar.edit,
            "birth": self.birth,
            "role": self.role,
        }
        if first is not None:
            focus[first].setFocus()

    def show_conflict(self, message: str) -> None:
        self.set_busy(False)
        self.conflict_text.setText(message)
        self.conflict.show()
        self.reload_button.setFocus()

    # --- live feedback ------------------------------------------------------------------------

    def _role_picked(self) -> None:
        if self.role.isEnabled():
            self.role_help.setText(ROLE_HELP[self.current_role()] + ".")

    def _update_preview(self) -> None:
        pixmap = avatar_pixmap(
            self.colour.colour(), self.avatar.emoji() or None, self.name.text() or "?", 52
        )
        self.preview.setPixmap(pixmap)
