"""The Family screen: who is in the family (add, edit, remove) and how the family's days work
(name, time zone, week start, the hour a day ends).

Writes go through the task bridge. Edits carry the version they started from, so when another
parent changed the same thing meanwhile the screen shows a conflict prompt with a Reload action
instead of overwriting their change.
"""

from __future__ import annotations

from collections.abc import Awaitable
from functools import lru_cache
from typing import Any
from uuid import UUID
from zoneinfo import available_timezones

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QSize, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from habitdesk.core.changes import Kind
from habitdesk.core.enums import Role, WeekStart
from habitdesk.core.schemas.people import FamilyRead, MemberRead
from habitdesk.ui.context import AppContext
from habitdesk.ui.dialogs.member_dialog import MemberDialog, MemberForm
from habitdesk.ui.qtmodels.members_model import ROLE_LABELS, MembersTableModel
from habitdesk.ui.removal import Removal
from habitdesk.ui.tasks import Conflict, or_conflict
from habitdesk.ui.views.base import View
from habitdesk.ui.widgets.actions import action_button, error_line, screen_key
from habitdesk.ui.widgets.colour_button import SWATCHES
from habitdesk.ui.widgets.conflict_notice import ConflictNotice
from habitdesk.ui.widgets.labels import heading

DAY_END_CHOICES = (
    (0, "Midnight"),
    (1, "1 am"),
    (2, "2 am"),
    (3, "3 am"),
    (4, "4 am"),
)
WEEK_START_CHOICES = ((WeekStart.MONDAY, "Monday"), (WeekStart.SUNDAY, "Sunday"))
_SETTINGS_FIELDS = {
    "Name": "name",
    "Time zone": "time_zone",
    "Week start": "week_start",
    "Day-start hour": "day_start_hour",
}


@lru_cache(maxsize=1)
def time_zone_names() -> tuple[str, ...]:
    return tuple(sorted(available_timezones() | {"UTC"}))


class FamilyView(View):
    screen_id = "family"
    title = "Family"
    watches = frozenset({Kind.FAMILIES, Kind.MEMBERS, Kind.USERS})

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.family: FamilyRead | None = None
        self.member_dialog: MemberDialog | None = None
        self.removal = Removal(self, on_error=self._show_member_error)
        self._select_after: UUID | None = None
        self._filling = False

        root = QVBoxLayout(self)
        root.setContentsMargins(28, 20, 28, 20)
        root.setSpacing(12)
        title = QLabel(self.title)
        title.setObjectName("screenTitle")
        root.addWidget(title)
        self.subtitle = QLabel("Who is in the family, and how the family's days work.")
        self.subtitle.setProperty("muted", True)
        root.addWidget(self.subtitle)
        self.read_only_note = QLabel()
        self.read_only_note.setObjectName("readOnlyNote")
        self.read_only_note.setProperty("muted", True)
        self.read_only_note.setWordWrap(True)
        self.read_only_note.setAccessibleName("Read-only note")
        self.read_only_note.hide()
        root.addWidget(self.read_only_note)

        # Containers first, then what goes in them: each widget is made inside its parent,
        # not moved into a finished tree (moving subtrees re-resolves their style each time).
        self.pages = QStackedWidget()
        root.addWidget(self.pages, 1)
        content = QWidget()
        self.pages.addWidget(content)
        columns = QHBoxLayout(content)
        columns.setContentsMargins(0, 4, 0, 0)
        columns.setSpacing(18)
        columns.addWidget(self._build_members_card(), 3)
        columns.addWidget(self._build_settings_card(), 2, Qt.AlignmentFlag.AlignTop)
        self.no_family = QLabel()
        self.no_family.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_family.setWordWrap(True)
        self.no_family.setProperty("muted", True)
        self.pages.addWidget(self.no_family)

        context.actor_changed.connect(self._update_enabled)
        self._update_enabled()

    # --- building -----------------------------------------------------------------------------

    def _build_members_card(self) -> QWidget:
        card = QFrame()
        card.setProperty("card", True)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(18, 16, 18, 18)
        layout.setSpacing(10)

        header = QHBoxLayout()
        header.addWidget(heading("Members"))
        header.addStretch(1)
        self.add_button = action_button(
            "+  Add member",
            "Add member",
            self.add_member,
            tip="Add a family member (Ctrl+N)",
            primary=True,
        )
        self.edit_button = action_button(
            "Edit…", "Edit member", self.edit_member, tip="Edit the selected member (Enter)"
        )
        self.remove_button = action_button(
            "Remove…",
            "Remove member",
            self.remove_member,
            tip="Remove the selected member (Delete)",
        )
        for button in (self.edit_button, self.remove_button, self.add_button):
            header.addWidget(button)
        layout.addLayout(header)

        self.members_error = error_line("Members error", selectable=True)
        layout.addWidget(self.members_error)

        self.model = MembersTableModel(self)
        self.table = QTableView()
        self.table.setObjectName("membersTable")
        self.table.setAccessibleName("Family members")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setFrameShape(QFrame.Shape.NoFrame)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(42)
        self.table.setIconSize(QSize(28, 28))
        header_view = self.table.horizontalHeader()
        header_view.setHighlightSections(False)
        header_view.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # Names must always show in full; the e-mail column gives way when space is short.
        header_view.setSectionResizeMode(MembersTableModel.EMAIL, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda _index: self.edit_member())
        self.table.selectionModel().selectionChanged.connect(self._update_enabled)
        self.members_stack = QStackedWidget()
        self.members_stack.addWidget(self.table)
        self.no_members = QLabel("No members yet — add the first one with “Add member”.")
        self.no_members.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_members.setProperty("muted", True)
        self.members_stack.addWidget(self.no_members)
        layout.addWidget(self.members_stack, 1)

        screen_key(
            QKeySequence.StandardKey.New,
            self,
            self.add_member,
            "Add a family member (Family screen)",
        )
        # Delete on the table removes (with confirmation), as Enter on it edits.
        self.table.installEventFilter(self)
        return card

    def _build_settings_card(self) -> QWidget:
        card = QFrame()
        card.setObjectName("familySettings")
        card.setProperty("card", True)
        card.setMinimumWidth(330)
        card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(18, 16, 18, 18)
        layout.setSpacing(10)
        layout.addWidget(heading("Family settings"))

        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)
        self.settings_errors: dict[str, QLabel] = {}
        row = 0

        def add_row(text: str, widget: QWidget, key: str, hint: str | None = None) -> None:
            nonlocal row
            label = QLabel(text)
            label.setBuddy(widget)
            grid.addWidget(label, row, 0)
            grid.addWidget(widget, row, 1)
            row += 1
            if hint:
                hint_label = QLabel(hint)
                hint_label.setProperty("muted", True)
                hint_label.setWordWrap(True)
                grid.addWidget(hint_label, row, 1)
                row += 1
            error = error_line(f"{text.replace('&', '')} error")
            self.settings_errors[key] = error
            grid.addWidget(error, row, 1)
            grid.setRowMinimumHeight(row, 8)
            row += 1

        self.family_name = QLineEdit()
        self.family_name.setAccessibleName("Family name")
        self.family_name.setMaxLength(100)
        self.family_name.returnPressed.connect(self.save_settings)
        add_row("Na&me", self.family_name, "name")

        self.time_zone = QComboBox()
        self.time_zone.setAccessibleName("Time zone")
        self.time_zone.setEditable(True)
        self.time_zone.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.time_zone.addItems(list(time_zone_names()))
        self.time_zone.setMaxVisibleItems(14)
        completer = QCompleter(list(time_zone_names()), self.time_zone)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.time_zone.setCompleter(completer)
        line = self.time_zone.lineEdit()
        assert line is not None  # an editable combo has one
        line.setPlaceholderText("e.g. Europe/Paris")
        line.returnPressed.connect(self.save_settings)
        add_row("&Time zone", self.time_zone, "time_zone", "Type a city to search.")

        self.week_start = QComboBox()
        self.week_start.setAccessibleName("Week starts on")
        for value, text in WEEK_START_CHOICES:
            self.week_start.addItem(text, value.value)
        add_row("&Week starts on", self.week_start, "week_start")

        self.day_end = QComboBox()
        self.day_end.setAccessibleName("My day ends at")
        for hour, text in DAY_END_CHOICES:
            self.day_end.addItem(text, hour)
        add_row(
            "My day &ends at",
            self.day_end,
            "day_start_hour",
            "Check-ins made before this hour count for the day before — for late evenings.",
        )
        layout.addLayout(grid)

        self.settings_conflict = ConflictNotice("Reload family settings")
        self.settings_conflict.setObjectName("settingsConflict")
        self.settings_conflict.reload_requested.connect(self.reload_settings)
        self.conflict_text = self.settings_conflict.text
        self.reload_button = self.settings_conflict.reload_button
        layout.addWidget(self.settings_conflict)
        self.settings_general_error = error_line("Family settings error")
        layout.addWidget(self.settings_general_error)

        buttons = QHBoxLayout()
        self.settings_status = QLabel()
        self.settings_status.setProperty("muted", True)
        self.settings_status.setAccessibleName("Family settings status")
        buttons.addWidget(self.settings_status, 1)
        self.revert_button = action_button("Revert", "Revert family settings", self.revert_settings)
        self.save_settings_button = action_button(
            "Save changes",
            "Save family settings",
            self.save_settings,
            tip="Save the family settings (Ctrl+S)",
            primary=True,
        )
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_settings_button)
        layout.addLayout(buttons)

        screen_key(
            QKeySequence.StandardKey.Save,
            card,
            self.save_settings,
            "Save the family settings (Family screen)",
        )

        self.family_name.textChanged.connect(self._settings_edited)
        self.time_zone.editTextChanged.connect(self._settings_edited)
        self.week_start.currentIndexChanged.connect(self._settings_edited)
        self.day_end.currentIndexChanged.connect(self._settings_edited)
        return card

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
            and not event.modifiers()
        ):
            self.remove_member()
            return True
        return super().eventFilter(watched, event)

    # --- loading ------------------------------------------------------------------------------

    async def load(self) -> tuple[FamilyRead, list[MemberRead]]:
        core = self.context.core
        family = self.context.family
        assert core is not None and family is not None
        fresh = await core.families.get_family(family.id)
        members = await core.families.list_members(self.context.actor, family.id)
        return fresh, members

    def apply(self, data: tuple[FamilyRead, list[MemberRead]]) -> None:
        family, members = data
        self.pages.setCurrentIndex(0)
        keep = self._select_after or self._selected_membership_id()
        self._select_after = None
        self.model.set_members(members, self.context.today)
        self.members_stack.setCurrentIndex(0 if members else 1)
        for column in (MembersTableModel.MEMBER, MembersTableModel.ROLE, MembersTableModel.BIRTH):
            # Fit the text, plus breathing room between columns.
            self.table.resizeColumnToContents(column)
            self.table.setColumnWidth(column, self.table.columnWidth(column) + 28)
        row = self.model.row_of(keep) if keep else -1
        if row < 0 and members:
            row = 0
        if row >= 0:
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._show_family(family)
        self._update_enabled()
        self._sync_context(family, members)

    def show_empty(self) -> None:
        self.family = None
        self.model.set_members([])
        self.no_family.setText(self.absence().text)
        self.pages.setCurrentIndex(1)
        self._update_enabled()

    def show_error(self, message: str) -> None:
        self._show_member_error(message)
        super().show_error(message)

    def _sync_context(self, family: FamilyRead, members: list[MemberRead]) -> None:
        """Keep the shared selection (header lists, acting member) in step with what we loaded."""
        context = self.context
        if context.family is None or context.family.id != family.id:
            return  # the user switched families meanwhile; the next refresh catches up
        if context.family == family and context.members == members:
            return
        # set_family announces renames and role changes of the acting member itself.
        context.set_family(family, members)

    # --- members ------------------------------------------------------------------------------

    def selected_member(self) -> MemberRead | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.member_at(rows[0].row()) if rows else None

    def _selected_membership_id(self) -> UUID | None:
        member = self.selected_member()
        return member.membership_id if member else None

    def add_member(self) -> None:
        if not self._may_edit() or self.member_dialog is not None:
            return
        colours = [value for value, _name in SWATCHES]
        used = {m.colour for m in self.model.members}
        colour = next((c for c in colours if c not in used), colours[len(used) % len(colours)])
        self._open_member_dialog(
            MemberDialog(self, default_colour=colour, allow_owner=self._is_owner())
        )

    def edit_member(self) -> None:
        member = self.selected_member()
        if member is None or not self._may_edit() or self.member_dialog is not None:
            return
        self._open_member_dialog(MemberDialog(self, member=member, allow_owner=self._is_owner()))

    def _open_member_dialog(self, dialog: MemberDialog) -> None:
        self._show_member_error("")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.submitted.connect(lambda form: self._write_member(dialog, form))
        dialog.reload_requested.connect(lambda: self._reload_member(dialog))
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.member_dialog = dialog
        dialog.open()

    def _dialog_closed(self, dialog: MemberDialog) -> None:
        if self.member_dialog is dialog:
            self.member_dialog = None
            self.table.setFocus()

    def _write_member(self, dialog: MemberDialog, form: MemberForm) -> Any:
        core, family = self.context.core, self.context.family
        if core is None or family is None:
            dialog.show_errors("Not connected to a family.")
            return None
        actor = self.context.actor
        editing = dialog.member
        work: Awaitable[Any]
        if editing is None:
            work = core.families.add_member(
                actor, family.id, {"user": form.person, "role": form.role}
            )
        else:
            work = or_conflict(
                core.families.update_member_details(
                    actor,
                    editing.membership_id,
                    form.person,
                    {"role": form.role, "expected_version": editing.version},
                )
            )

        def done(result: Any) -> None:
            if isinstance(result, Conflict):
                dialog.show_conflict(result.message)
                return
            self._select_after = result.value.membership_id
            dialog.finish_saving()
            if not result.changes:
                return
            verb = "Added" if editing is None else "Saved"
            self._flash(f"{verb} {result.value.full_name}.")

        return self.context.tasks.write(
            work, on_done=done, on_error=dialog.show_errors, origin=self
        )

    def _reload_member(self, dialog: MemberDialog) -> Any:
        core, family, editing = self.context.core, self.context.family, dialog.member
        if core is None or family is None or editing is None:
            return None

        def done(members: list[MemberRead]) -> None:
            fresh = next((m for m in members if m.membership_id == editing.membership_id), None)
            if fresh is None:
                dialog.show_errors("That member was removed meanwhile.")
            else:
                dialog.load_member(fresh)

        return self.context.tasks.read(
            core.families.list_members(self.context.actor, family.id),
            done,
            on_error=dialog.show_errors,
            origin=self,
        )

    @property
    def confirm_box(self) -> QMessageBox | None:
        """The "Remove …?" box while it is open."""
        return self.removal.box

    def remove_member(self) -> QMessageBox | None:
        member = self.selected_member()
        if member is None or not self._may_edit():
            return None
        return self.removal.ask(
            title="Remove member",
            text=f"Remove {member.full_name} from the family?",
            details="They disappear from the family's screens. Their history is kept, and they "
            "can be added back later.",
            remove=lambda core: core.families.remove_member(
                self.context.actor, member.membership_id
            ),
            done=f"Removed {member.full_name}.",
        )

    def _show_member_error(self, message: str) -> None:
        self.members_error.setText(message)
        self.members_error.setVisible(bool(message))

    # --- family settings ----------------------------------------------------------------------

    def _settings_values(self) -> dict[str, Any]:
        return {
            "name": self.family_name.text().strip(),
            "time_zone": self.time_zone.currentText().strip(),
            "week_start": WeekStart(str(self.week_start.currentData())),
            "day_start_hour": self.day_end.currentData(),
        }

    def _settings_changes(self) -> dict[str, Any]:
        if self.family is None:
            return {}
        return {
            key: value
            for key, value in self._settings_values().items()
            if value != getattr(self.family, key)
        }

    def _show_family(self, family: FamilyRead) -> None:
        same = self.family is not None and self.family.id == family.id
        if same and self._settings_changes():
            # Keep what is being typed, and the version it started from: if someone else
            # saved meanwhile, say so now; saving would meet a conflict, not overwrite them.
            assert self.family is not None
            if family.version != self.family.version:
                self._show_conflict(
                    "Someone else changed the family settings while you were editing them."
                    " Reload to see their change, then apply yours again."
                )
            return
        self._fill_settings(family)

    def _fill_settings(self, family: FamilyRead) -> None:
        self.family = family
        self._filling = True
        try:
            self.family_name.setText(family.name)
            self.time_zone.setCurrentText(family.time_zone)
            self.week_start.setCurrentIndex(
                max(0, self.week_start.findData(family.week_start.value))
            )
            self.day_end.setCurrentIndex(max(0, self.day_end.findData(family.day_start_hour)))
        finally:
            self._filling = False
        self.settings_conflict.hide()
        self._clear_settings_errors()
        self.subtitle.setText(f"Who is in {family.name}, and how its days work.")
        self._update_enabled()

    def _settings_edited(self) -> None:
        if self._filling:
            return
        self.settings_status.clear()
        self._update_enabled()

    def _clear_settings_errors(self) -> None:
        for label in (*self.settings_errors.values(), self.settings_general_error):
            label.clear()
            label.hide()

    def save_settings(self) -> Any:
        core, family = self.context.core, self.family
        changes = self._settings_changes()
        if core is None or family is None or not self._may_edit() or not changes:
            return None
        if not self.settings_conflict.isHidden():
            return None  # reload first
        self._clear_settings_errors()
        self.save_settings_button.setEnabled(False)
        self.settings_status.setText("Saving…")
        data = {**changes, "expected_version": family.version}
        return self.context.tasks.write(
            or_conflict(core.families.update_family(self.context.actor, family.id, data)),
            on_done=self._settings_saved,
            on_error=self._settings_failed,
            origin=self,
        )

    def _settings_saved(self, result: Any) -> None:
        if isinstance(result, Conflict):
            self.settings_status.clear()
            self._show_conflict(
                "Someone else changed the family settings while you were editing them."
                " Reload to see their change, then apply yours again."
            )
            return
        self._fill_settings(result.value)
        self.settings_status.setText("Saved.")

    def _settings_failed(self, message: str) -> None:
        self.settings_status.clear()
        general: list[str] = []
        for part in (p.strip() for p in message.split("; ")):
            prefix, _, rest = part.partition(":")
            key = _SETTINGS_FIELDS.get(prefix.strip())
            if key is None or not rest:
                general.append(part)
                continue
            self.settings_errors[key].setText(rest.strip())
            self.settings_errors[key].show()
        if general:
            self.settings_general_error.setText(" ".join(general))
            self.settings_general_error.show()
        self._update_enabled()

    def _show_conflict(self, message: str) -> None:
        self.settings_conflict.show_message(message)
        self._update_enabled()

    def reload_settings(self) -> Any:
        """Drop the edits and show the family as it is now (after a conflict)."""
        self.family = None  # the next load refills the form whatever was typed
        self.settings_conflict.hide()
        self.settings_status.clear()
        return self.refresh()

    def revert_settings(self) -> None:
        if self.family is not None:
            self._fill_settings(self.family)
            self.settings_status.clear()

    # --- who may do what ----------------------------------------------------------------------

    def _may_edit(self) -> bool:
        return (
            self.context.core is not None
            and self.context.family is not None
            and (self.context.can_edit)
        )

    def _is_owner(self) -> bool:
        acting = self.context.acting
        return acting is None or acting.role is Role.OWNER

    def _update_enabled(self) -> None:
        may = self._may_edit()
        selected = self.selected_member() is not None
        self.add_button.setEnabled(may)
        self.edit_button.setEnabled(may and selected)
        self.remove_button.setEnabled(may and selected)
        has_family = self.family is not None
        for widget in (self.family_name, self.time_zone, self.week_start, self.day_end):
            widget.setEnabled(may and has_family)
        dirty = bool(self._settings_changes())
        conflict = not self.settings_conflict.isHidden()
        self.save_settings_button.setEnabled(may and dirty and not conflict)
        self.revert_button.setEnabled(may and dirty)
        acting = self.context.acting
        if acting is not None and not may and self.context.family is not None:
            self.read_only_note.setText(
                f"🔒  You are acting as {acting.full_name} ({ROLE_LABELS[acting.role].lower()}):"
                " you can look, but only a parent can change the family."
            )
            self.read_only_note.show()
        else:
            self.read_only_note.hide()
