"""The first-run wizard: where the data lives, the shared database's connection, the family, its
people, and a summary whose Finish button creates it all.

The wizard collects input, checks it with the core's own schemas (so a message appears next to
its field before anything is written), and does its work through the task bridge. Finishing
creates the family with its owner in one transaction, then adds the children one by one; when a
step fails the wizard stays open, shows why next to the field, and Finish retries only what is
still missing. `completed(core, family_id)` tells the set-up flow which database and family to
show.

Also here: the password prompt shown at start when a shared database's password is neither in
the system keyring nor known to this run.
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar
from uuid import UUID
from zoneinfo import available_timezones

from pydantic import ValidationError
from PySide6.QtCore import QEvent, QLocale, QObject, Qt, QTimer, QTimeZone, Signal
from PySide6.QtGui import QAction, QFont, QIcon, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLayout,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from habitdesk.core import secrets
from habitdesk.core.appcore import AppCore
from habitdesk.core.connection_setup import (
    ConnectionCheck,
    apply_migrations,
    check_connection,
    combine_password,
)
from habitdesk.core.enums import Role, WeekStart
from habitdesk.core.errors import DatabaseConnectionError, HabitDeskError
from habitdesk.core.schemas.common import describe_validation_error
from habitdesk.core.schemas.people import FamilyCreate, MemberRead, UserCreate
from habitdesk.core.services.base import Actor
from habitdesk.ui.tasks import TaskRunner
from habitdesk.ui.widgets.colour_button import ColourPicker
from habitdesk.ui.widgets.emoji_picker import FAMILY_EMOJI
from habitdesk.ui.widgets.labels import heading, muted_label

T = TypeVar("T")

WHERE, CONNECTION, FAMILY, PEOPLE, FINISH = range(5)
OK_COLOUR = "#3FA66B"
PROBLEM_COLOUR = "#D64545"
KEYRING_YES = "🔒 The password will be kept in your system keyring."
KEYRING_NO = (
    "⚠ No system keyring found: HabitDesk will ask for the password each time it starts "
    "(it is never written to a file)."
)
POOLED_PLACEHOLDER = (
    "postgresql://postgres.<ref>:[YOUR-PASSWORD]@aws-0-<region>.pooler.supabase.com:6543/"
    "postgres?pgbouncer=true"
)
DIRECT_PLACEHOLDER = "postgresql://postgres:[YOUR-PASSWORD]@db.<ref>.supabase.co:5432/postgres"
NO_AVATAR = "No avatar"


# --- small helpers ----------------------------------------------------------------------------


@lru_cache(maxsize=1)
def time_zone_names() -> tuple[str, ...]:
    """IANA zone names a person would pick (not the posix/ and right/ duplicates)."""
    skip = ("posix/", "right/", "SystemV/")
    names = {n for n in available_timezones() if not n.startswith(skip)}
    names -= {"localtime", "Factory", "posixrules"}
    return ("UTC", *sorted(names - {"UTC"}))


_UTC_ALIASES = frozenset({"Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu", "UCT", "Zulu"})


def system_time_zone() -> str:
    """The computer's IANA zone when Qt can tell and the core knows it; else UTC."""
    name = bytes(QTimeZone.systemTimeZoneId().data()).decode("ascii", "ignore").strip()
    if name in _UTC_ALIASES:
        return "UTC"
    return name if name in time_zone_names() else "UTC"


def default_week_start() -> WeekStart:
    if QLocale().firstDayOfWeek() == Qt.DayOfWeek.Sunday:
        return WeekStart.SUNDAY
    return WeekStart.MONDAY


class FieldError(QLabel):
    """A message next to a field; hidden while there is none."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setProperty("fieldError", True)
        self.setWordWrap(True)
        self.setAccessibleName(f"{name} error")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_error(self, message: str | None) -> None:
        self.setText(message or "")
        self.setVisible(bool(message))


class _Gate(QLineEdit):
    """An invisible mandatory wizard field: the page's Next/Finish is enabled while it is open.

    Stands in for overriding QWizardPage.isComplete: with PySide6 6.12 every call of a Python
    isComplete override that returns True drops a reference to True, and Qt calls it on every
    keystroke, so the interpreter soon aborts ("bool_dealloc: deallocating True").
    """

    def __init__(self, page: QWizardPage, name: str) -> None:
        super().__init__(page)
        self.setVisible(False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        page.registerField(f"{name}*", self)

    def set_open(self, is_open: bool) -> None:
        text = "open" if is_open else ""
        if self.text() != text:
            self.setText(text)


def _with_error(widget: QWidget, error: FieldError, note: str | None = None) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(3)
    layout.addWidget(widget)
    if note:
        layout.addWidget(muted_label(note))
    layout.addWidget(error)
    return box


class _Form(QGridLayout):
    """Labels on the right of their column, each at the top of its row (a field that grows a
    message underneath keeps its label beside the field, not beside the message)."""

    def __init__(self) -> None:
        super().__init__()
        self.setHorizontalSpacing(14)
        self.setVerticalSpacing(10)
        self.setColumnStretch(1, 1)

    def addRow(self, label: QLabel, field: QWidget | QLayout) -> None:
        row = self.rowCount()
        self.addWidget(label, row, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        if isinstance(field, QLayout):
            self.addLayout(field, row, 1)
        else:
            self.addWidget(field, row, 1)


def _form() -> _Form:
    return _Form()


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    # Line the label up with the field's text, not the top of its box.
    label.setContentsMargins(0, 5, 0, 0)
    return label


def _split_message(message: str) -> tuple[str | None, str]:
    """ "E-mail: is already used" → ("E-mail", "is already used"); no label → (None, message)."""
    label, sep, rest = message.partition(": ")
    if sep and label and len(label) <= 20 and label[0].isupper():
        first = rest.split(" ", 1)[0]
        # "must not be empty" → "Must not be empty"; an e-mail or a quoted value stays as it is.
        if first.isalpha() and first.islower():
            rest = rest[:1].upper() + rest[1:]
        return label, rest
    return None, message


def _errors_by_label(exc: ValidationError) -> list[tuple[str | None, str]]:
    return [_split_message(part) for part in describe_validation_error(exc).split("; ")]


def _password_field(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setAccessibleName(name)
    edit.setClearButtonEnabled(True)
    show = QAction("Show", edit)
    show.setCheckable(True)
    show.setToolTip("Show the password")
    show.setIcon(QIcon.fromTheme("view-reveal-symbolic"))
    if show.icon().isNull():
        show.setText("👁")
    show.toggled.connect(
        lambda on: edit.setEchoMode(
            QLineEdit.EchoMode.Normal if on else QLineEdit.EchoMode.Password
        )
    )
    edit.addAction(show, QLineEdit.ActionPosition.TrailingPosition)
    return edit


def _emoji_combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    combo.addItem(NO_AVATAR, "")
    for emoji, label in FAMILY_EMOJI:
        combo.addItem(f"{emoji}  {label}", emoji)
    combo.setMaxVisibleItems(12)
    return combo


async def quietly(work: Coroutine[Any, Any, T]) -> T:
    """Run a set-up step whose failure belongs in the wizard, not in the main window.

    A DatabaseConnectionError would make the window show "Offline" although the database it
    shows is fine; the failing one is the database being set up, and the wizard says so.
    """
    try:
        return await work
    except DatabaseConnectionError as exc:
        raise HabitDeskError(exc.message, hint=exc.hint) from None


# --- what the wizard asks the set-up flow for -------------------------------------------------


@dataclass(frozen=True)
class Target:
    """Where the family goes: the file on this computer, or a shared PostgreSQL.

    The URLs carry the password (memory only); the set-up flow saves them without it.
    """

    shared: bool
    pooled_url: str | None = None
    direct_url: str | None = None

    def describe(self) -> str:
        if not self.shared:
            return "On this computer"
        account = secrets.account_for(self.pooled_url or "") or "a PostgreSQL database"
        return f"Shared PostgreSQL: {account}"


OpenTarget = Callable[[Target], Coroutine[Any, Any, AppCore]]
ReleaseTarget = Callable[[AppCore], Coroutine[Any, Any, None]]


@dataclass
class ChildRow:
    key: str
    name: str
    avatar: str
    member: MemberRead | None = None
    error: str | None = None


@dataclass
class Progress:
    """What Finish has created so far, so that a retry does only what is missing."""

    core: AppCore | None = None
    target: Target | None = None
    family_id: UUID | None = None
    family_name: str = ""
    owner_id: UUID | None = None
    children_added: dict[str, MemberRead] = field(default_factory=dict)


# --- pages ------------------------------------------------------------------------------------


class _OptionCard(QFrame):
    """A card holding one choice: clicking anywhere on it picks the radio button."""

    def __init__(self, button: QRadioButton, icon: str, note: str) -> None:
        super().__init__()
        self.button = button
        self.setProperty("card", True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 14)
        layout.setSpacing(14)
        badge = QLabel(icon)
        badge.setStyleSheet("font-size: 22pt;")
        badge.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout.addWidget(badge)
        text = QVBoxLayout()
        text.setSpacing(4)
        button.setStyleSheet("font-weight: 600;")
        text.addWidget(button)
        text.addWidget(muted_label(note))
        layout.addLayout(text, 1)

    def mousePressEvent(self, event: Any) -> None:
        self.button.setChecked(True)
        self.button.setFocus()
        super().mousePressEvent(event)


def _title(text: str) -> str:
    return f"<span style='font-size:14pt; font-weight:600'>{html.escape(text)}</span>"


class WherePage(QWizardPage):
    def __init__(self, shared_default: bool) -> None:
        super().__init__()
        self.setTitle(_title("Welcome to HabitDesk"))
        self.setSubTitle(
            "Setting up takes a minute: where the data lives, your family, and its people."
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(12)
        layout.addWidget(heading("Where should your family's record live?", 11.5))
        self.group = QButtonGroup(self)

        self.local = QRadioButton("&Keep data on this computer (recommended)")
        self.local.setAccessibleName("Keep data on this computer")
        self.shared = QRadioButton("&Connect to a shared PostgreSQL / Supabase")
        self.shared.setAccessibleName("Connect to a shared PostgreSQL or Supabase")
        cards = (
            (
                self.local,
                "💻",
                "A file in your user folder. Works offline and needs nothing else; you can "
                "move to a shared database later.",
            ),
            (
                self.shared,
                "☁",
                "Several computers share one record — both parents' laptops, the family PC. "
                "You need the connection string your database provider (e.g. Supabase) shows.",
            ),
        )
        for button, icon, note in cards:
            self.group.addButton(button)
            layout.addWidget(_OptionCard(button, icon, note))
        layout.addStretch(1)
        layout.addWidget(
            muted_label(
                "The database password, if any, goes to your system keyring — never a file."
            )
        )
        (self.shared if shared_default else self.local).setChecked(True)

    @property
    def wants_shared(self) -> bool:
        return self.shared.isChecked()

    def nextId(self) -> int:
        return CONNECTION if self.wants_shared else FAMILY


class ConnectionPage(QWizardPage):
    def __init__(self, tasks: TaskRunner) -> None:
        super().__init__()
        self.tasks = tasks
        self.setTitle(_title("Connect to your shared database"))
        self.setSubTitle(
            "Paste the connection strings as your provider shows them, then test the connection."
        )
        self._check: ConnectionCheck | None = None
        self._checked_inputs: tuple[str, str | None] | None = None
        self._busy = False
        self.locked = False
        self.gate = _Gate(self, "connectionReady")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(10)
        form = _form()

        self.pooled = QLineEdit()
        self.pooled.setAccessibleName("Pooled URL")
        self.pooled.setPlaceholderText(POOLED_PLACEHOLDER)
        self.pooled.setClearButtonEnabled(True)
        form.addRow(
            _label("&Pooled URL:", self.pooled),
            _with_error(
                self.pooled,
                FieldError("Pooled URL"),
                "Supabase: Connect → Transaction pooler (port 6543, ?pgbouncer=true).",
            ),
        )
        self.direct = QLineEdit()
        self.direct.setAccessibleName("Direct URL")
        self.direct.setPlaceholderText(DIRECT_PLACEHOLDER)
        self.direct.setClearButtonEnabled(True)
        form.addRow(
            _label("&Direct URL:", self.direct),
            _with_error(
                self.direct,
                FieldError("Direct URL"),
                "Optional (port 5432): used to set up and upgrade the tables.",
            ),
        )
        self.password = _password_field("Database password")
        self.password.setPlaceholderText("Only if the URL has no password, or to replace it")
        form.addRow(_label("Pass&word:", self.password), self.password)
        layout.addLayout(form)

        self.keyring_label = muted_label()
        self.keyring_label.setAccessibleName("Keyring status")
        layout.addWidget(self.keyring_label)

        buttons = QHBoxLayout()
        self.test_button = QPushButton("&Test connection")
        self.test_button.setAccessibleName("Test connection")
        self.test_button.setProperty("primary", True)
        self.test_button.setAutoDefault(False)
        self.migrate_button = QPushButton("&Apply migrations")
        self.migrate_button.setAccessibleName("Apply migrations")
        self.migrate_button.setToolTip("Create or upgrade HabitDesk's tables in this database")
        self.migrate_button.setAutoDefault(False)
        self.migrate_button.setEnabled(False)
        self.status = QLabel("")
        self.status.setAccessibleName("Connection test status")
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.migrate_button)
        buttons.addSpacing(8)
        buttons.addWidget(self.status, 1)
        layout.addLayout(buttons)

        self.results = QFrame()
        self.results.setProperty("card", True)
        results_layout = QVBoxLayout(self.results)
        results_layout.setContentsMargins(14, 10, 14, 12)
        self.result_text = QLabel()
        self.result_text.setAccessibleName("Connection test result")
        self.result_text.setWordWrap(True)
        self.result_text.setTextFormat(Qt.TextFormat.RichText)
        self.result_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        results_layout.addWidget(self.result_text)
        self.results.hide()
        layout.addWidget(self.results)
        layout.addStretch(1)

        self.test_button.clicked.connect(self.test_connection)
        self.migrate_button.clicked.connect(self.migrate)
        for edit in (self.pooled, self.direct, self.password):
            edit.textChanged.connect(self._inputs_changed)

    # --- state -------------------------------------------------------------------------------

    def initializePage(self) -> None:
        self.keyring_label.setText(KEYRING_YES if secrets.keyring_available() else KEYRING_NO)

    def inputs(self) -> tuple[str, str | None]:
        return combine_password(self.pooled.text(), self.direct.text(), self.password.text())

    def target(self) -> Target:
        pooled, direct = self.inputs()
        return Target(True, pooled, direct)

    @property
    def check(self) -> ConnectionCheck | None:
        return self._check if self._checked_inputs == self.inputs() else None

    def _inputs_changed(self) -> None:
        self._update_buttons()

    def _update_buttons(self) -> None:
        check = self.check
        # Next only once the connection works and the schema is current, for these very inputs.
        self.gate.set_open(not self._busy and check is not None and check.ok)
        editable = not self._busy and not self.locked
        self.test_button.setEnabled(editable and bool(self.pooled.text().strip()))
        self.migrate_button.setEnabled(editable and check is not None and check.can_migrate)
        for edit in (self.pooled, self.direct, self.password):
            edit.setReadOnly(self.locked)

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        self.status.setText(text)
        self._update_buttons()

    def lock(self) -> None:
        """The family now lives in this database: its connection is settled."""
        self.locked = True
        self._update_buttons()

    # --- actions -----------------------------------------------------------------------------

    def test_connection(self) -> Any:
        if self._busy or not self.pooled.text().strip():
            return None
        pooled, direct = inputs = self.inputs()
        self._set_busy(True, "Testing the connection…")
        return self.tasks.read(
            check_connection(pooled, direct),
            lambda check: self._show(check, inputs),
            on_error=self._failed,
            origin=self,
        )

    def migrate(self) -> Any:
        check = self.check
        if self._busy or check is None or not check.can_migrate:
            return None
        pooled, direct = inputs = self.inputs()
        self._set_busy(True, "Applying migrations…")
        return self.tasks.run(
            self._migrate_then_check(pooled, direct),
            on_done=lambda outcome: self._show(outcome[1], inputs, outcome[0]),
            on_error=self._failed,
            origin=self,
        )

    @staticmethod
    async def _migrate_then_check(
        pooled: str, direct: str | None
    ) -> tuple[str | None, ConnectionCheck]:
        error: str | None = None
        try:
            await apply_migrations(direct or pooled)
        except HabitDeskError as exc:
            error = str(exc)
        return error, await check_connection(pooled, direct)

    def _show(
        self, check: ConnectionCheck, inputs: tuple[str, str | None], error: str | None = None
    ) -> None:
        self._check = check
        self._checked_inputs = inputs
        rows = []
        if error:
            rows.append(self._row(False, "Apply migrations", error, None))
        rows += [self._row(line.ok, line.name, line.detail, line.fix) for line in check.lines]
        self.result_text.setText("<br>".join(rows))
        self.results.show()
        if check.ok:
            status = f"<span style='color:{OK_COLOUR}'>✓ Ready to use.</span>"
        elif check.can_migrate:
            status = "Tables missing or old: apply the migrations."
        else:
            status = f"<span style='color:{PROBLEM_COLOUR}'>✗ Not usable yet.</span>"
        self._set_busy(False, status)

    @staticmethod
    def _row(ok: bool, name: str, detail: str, fix: str | None) -> str:
        colour = OK_COLOUR if ok else PROBLEM_COLOUR
        mark = "✓" if ok else "✗"
        text = (
            f"<span style='color:{colour}; font-weight:600'>{mark}</span>&nbsp; "
            f"<b>{html.escape(name)}</b>: {html.escape(detail)}"
        )
        if fix:
            text += f"<br>&nbsp;&nbsp;&nbsp;&nbsp;<i>{html.escape(fix)}</i>"
        return text

    def _failed(self, message: str) -> None:
        self._check = None
        self.result_text.setText(self._row(False, "Test", message, None))
        self.results.show()
        self._set_busy(False, "")


class FamilyPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_title("Your family"))
        self.setSubTitle("The family's name and how its days and weeks run.")
        self.errors: dict[str, FieldError] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        form = _form()

        self.name = QLineEdit()
        self.name.setAccessibleName("Family name")
        self.name.setPlaceholderText("e.g. The Millers")
        self.name.setMaxLength(100)
        form.addRow(_label("Family &name:", self.name), self._field("name", self.name))

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
        self.time_zone.setCurrentText(system_time_zone())
        form.addRow(
            _label("&Time zone:", self.time_zone),
            self._field("time_zone", self.time_zone, "Type a city to search, e.g. Paris."),
        )

        self.week_start = QComboBox()
        self.week_start.setAccessibleName("Week starts on")
        self.week_start.addItem("Monday", WeekStart.MONDAY.value)
        self.week_start.addItem("Sunday", WeekStart.SUNDAY.value)
        self.week_start.setCurrentIndex(self.week_start.findData(default_week_start().value))
        form.addRow(
            _label("&Week starts on:", self.week_start),
            self._field("week_start", self.week_start),
        )

        self.day_start = QSpinBox()
        self.day_start.setAccessibleName("Day starts at")
        self.day_start.setRange(0, 4)
        self.day_start.setSuffix(":00")
        self.day_start.setSpecialValueText("Midnight")
        self.day_start.setMaximumWidth(140)
        self.day_start_note = muted_label()
        box = QWidget()
        box_layout = QVBoxLayout(box)
        box_layout.setContentsMargins(0, 0, 0, 0)
        box_layout.setSpacing(3)
        box_layout.addWidget(self.day_start)
        box_layout.addWidget(self.day_start_note)
        self.errors["day_start_hour"] = FieldError("Day starts at")
        box_layout.addWidget(self.errors["day_start_hour"])
        form.addRow(_label("&Day starts at:", self.day_start), box)
        self.day_start.valueChanged.connect(self._explain_day_start)
        self._explain_day_start(0)

        layout.addLayout(form)
        layout.addStretch(1)
        self.registerField("familyName*", self.name)

    def _field(self, key: str, widget: QWidget, note: str | None = None) -> QWidget:
        self.errors[key] = FieldError(widget.accessibleName())
        return _with_error(widget, self.errors[key], note)

    def _explain_day_start(self, hour: int) -> None:
        if hour == 0:
            text = "Each day ends at midnight. Late nights? Let the day end at 1–4 am instead."
        else:
            text = (
                f"A check-in at {hour - 1}:30 at night still counts for the day before — the "
                f"family's day ends at {hour}:00."
            )
        self.day_start_note.setText(text)

    def data(self) -> dict[str, Any]:
        return {
            "name": self.name.text(),
            "time_zone": self.time_zone.currentText().strip(),
            "week_start": WeekStart(self.week_start.currentData()),
            "day_start_hour": self.day_start.value(),
        }

    def show_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.show_error(errors.get(key))

    def validatePage(self) -> bool:
        try:
            FamilyCreate.model_validate(self.data())
        except ValidationError as exc:
            self.show_errors(_family_field_errors(exc))
            return False
        self.show_errors({})
        return True

    def lock(self) -> None:
        for widget in (self.name, self.time_zone, self.week_start, self.day_start):
            widget.setEnabled(False)


_FAMILY_LABELS = {
    "Name": "name",
    "Time zone": "time_zone",
    "Week start": "week_start",
    "Day-start hour": "day_start_hour",
}
_PERSON_LABELS = {"Name": "name", "E-mail": "email", "Colour": "colour", "Avatar emoji": "avatar"}


def _family_field_errors(exc: ValidationError) -> dict[str, str]:
    found: dict[str, str] = {}
    for label, message in _errors_by_label(exc):
        found.setdefault(_FAMILY_LABELS.get(label or "", "name"), message)
    return found


class _ReturnAdds(QObject):
    """Enter in the child's name box adds the child instead of pressing the wizard's Next."""

    def __init__(self, parent: QObject, action: Callable[[], None]) -> None:
        super().__init__(parent)
        self.action = action

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.action()
            return True
        return False


class PeoplePage(QWizardPage):
    NAME, AVATAR, STATUS = range(3)

    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_title("The people"))
        self.setSubTitle(
            "You first, then the children. Others can join later on the Family screen."
        )
        self.errors: dict[str, FieldError] = {}
        self.locked = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 0, 8, 0)
        layout.setSpacing(8)

        parent_heading = QHBoxLayout()
        parent_heading.addWidget(heading("You (the first parent)", 11.5))
        self.parent_done = QLabel("✓ In the family — change these later on the Family screen")
        self.parent_done.setStyleSheet(f"color: {OK_COLOUR};")
        self.parent_done.hide()
        parent_heading.addWidget(self.parent_done)
        parent_heading.addStretch(1)
        layout.addLayout(parent_heading)
        form = _form()
        self.parent_name = QLineEdit()
        self.parent_name.setAccessibleName("Your name")
        self.parent_name.setPlaceholderText("e.g. Anna Miller")
        self.parent_name.setMaxLength(100)
        form.addRow(_label("Your &name:", self.parent_name), self._field("name", self.parent_name))
        self.parent_email = QLineEdit()
        self.parent_email.setAccessibleName("Your e-mail")
        self.parent_email.setPlaceholderText("optional")
        form.addRow(_label("&E-mail:", self.parent_email), self._field("email", self.parent_email))
        self.parent_colour = ColourPicker()
        self.parent_colour.setAccessibleName("Your colour")
        form.addRow(_label("&Colour:", self.parent_colour), self.parent_colour)
        self.parent_avatar = _emoji_combo("Your avatar")
        avatar_row = QHBoxLayout()
        avatar_row.setContentsMargins(0, 0, 0, 0)
        avatar_row.setSpacing(10)
        avatar_row.addWidget(self.parent_avatar)
        avatar_row.addWidget(muted_label("optional"))
        avatar_row.addStretch(1)
        form.addRow(_label("A&vatar:", self.parent_avatar), avatar_row)
        layout.addLayout(form)

        layout.addSpacing(6)
        layout.addWidget(heading("Children", 11.5))
        entry = QHBoxLayout()
        self.child_name = QLineEdit()
        self.child_name.setAccessibleName("Child's name")
        self.child_name.setPlaceholderText("A child's name, then Enter")
        self.child_name.setMaxLength(100)
        self.child_avatar = _emoji_combo("Child's avatar")
        self.add_child_button = QPushButton("&Add child")
        self.add_child_button.setAccessibleName("Add child")
        self.add_child_button.setAutoDefault(False)
        entry.addWidget(self.child_name, 1)
        entry.addWidget(self.child_avatar)
        entry.addWidget(self.add_child_button)
        layout.addLayout(entry)
        self.child_error = FieldError("Children")
        layout.addWidget(self.child_error)

        self.table = QTableWidget(0, 3)
        self.table.setAccessibleName("Children")
        self.table.setHorizontalHeaderLabels(["Name", "Avatar", ""])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(self.NAME, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(self.AVATAR, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.STATUS, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setMinimumHeight(110)
        self.table.verticalHeader().setDefaultSectionSize(34)
        self._emoji_font = QFont(self.table.font())
        self._emoji_font.setPointSizeF(max(self._emoji_font.pointSizeF(), 10) * 1.5)
        self.table.setAlternatingRowColors(True)
        self.empty_note = muted_label("No children yet — type a name above and press Enter.")
        row = QHBoxLayout()
        row.addWidget(self.empty_note, 1)
        self.remove_button = QPushButton("&Remove")
        self.remove_button.setAccessibleName("Remove child")
        self.remove_button.setAutoDefault(False)
        self.remove_button.setEnabled(False)
        row.addWidget(self.remove_button)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)

        self._return_adds = _ReturnAdds(self, self.add_child)
        self.child_name.installEventFilter(self._return_adds)
        self.add_child_button.clicked.connect(self.add_child)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        remove = QAction(self.table)
        remove.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        remove.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        remove.triggered.connect(self.remove_selected)
        self.table.addAction(remove)
        self.registerField("parentName*", self.parent_name)
        self._update_empty()

    def _field(self, key: str, widget: QWidget) -> QWidget:
        self.errors[key] = FieldError(widget.accessibleName())
        return _with_error(widget, self.errors[key])

    # --- children ----------------------------------------------------------------------------

    def add_child(self) -> None:
        name = self.child_name.text().strip()
        if not name:
            self.child_error.show_error("Type the child's name first.")
            self.child_name.setFocus()
            return
        self.child_error.show_error(None)
        row = self.table.rowCount()
        self.table.insertRow(row)
        name_item = QTableWidgetItem(name)
        name_item.setData(Qt.ItemDataRole.UserRole, uuid.uuid4().hex)
        self.table.setItem(row, self.NAME, name_item)
        avatar = QTableWidgetItem(self.child_avatar.currentData())
        avatar.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        avatar.setFont(self._emoji_font)
        self.table.setItem(row, self.AVATAR, avatar)
        status = QTableWidgetItem("")
        status.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.table.setItem(row, self.STATUS, status)
        self.child_name.clear()
        self.child_avatar.setCurrentIndex(0)
        self.child_name.setFocus()
        self._update_empty()

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if row < 0 or self._row_added(row):
            return
        self.table.removeRow(row)
        self._update_empty()

    def _row_added(self, row: int) -> bool:
        item = self.table.item(row, self.STATUS)
        return bool(item and item.data(Qt.ItemDataRole.UserRole))

    def _selection_changed(self) -> None:
        row = self.table.currentRow()
        self.remove_button.setEnabled(row >= 0 and not self._row_added(row))

    def _update_empty(self) -> None:
        self.empty_note.setText(
            "No children yet — type a name above and press Enter."
            if self.table.rowCount() == 0
            else "Double-click a name or avatar to change it."
        )

    def _item(self, row: int, column: int) -> QTableWidgetItem:
        item = self.table.item(row, column)
        if item is None:  # every row gets all three items in add_child
            item = QTableWidgetItem("")
            self.table.setItem(row, column, item)
        return item

    def child_rows(self) -> list[ChildRow]:
        return [
            ChildRow(
                key=str(self._item(row, self.NAME).data(Qt.ItemDataRole.UserRole)),
                name=self._item(row, self.NAME).text(),
                avatar=self._item(row, self.AVATAR).text().strip(),
            )
            for row in range(self.table.rowCount())
        ]

    def mark_child(self, key: str, *, added: MemberRead | None, error: str | None) -> None:
        for row in range(self.table.rowCount()):
            if self._item(row, self.NAME).data(Qt.ItemDataRole.UserRole) != key:
                continue
            status = self._item(row, self.STATUS)
            if added is not None:
                status.setText("✓ added")
                status.setData(Qt.ItemDataRole.UserRole, str(added.user_id))
                status.setToolTip("Already in the family; change it on the Family screen.")
                for column in (self.NAME, self.AVATAR):
                    item = self._item(row, column)
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
            else:
                status.setText("✗ not added" if error else "")
                status.setToolTip(error or "")
        self._selection_changed()

    # --- the whole page ----------------------------------------------------------------------

    def parent_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "full_name": self.parent_name.text(),
            "email": self.parent_email.text(),
            "colour": self.parent_colour.colour(),
        }
        if self.parent_avatar.currentData():
            data["avatar_emoji"] = self.parent_avatar.currentData()
        return data

    @staticmethod
    def child_data(child: ChildRow) -> dict[str, Any]:
        data: dict[str, Any] = {"full_name": child.name}
        if child.avatar:
            data["avatar_emoji"] = child.avatar
        return data

    def show_parent_errors(self, errors: dict[str, str]) -> None:
        for key, label in self.errors.items():
            label.show_error(errors.get(key))

    def show_child_error(self, child: ChildRow | None, message: str | None) -> None:
        if child is None or message is None:
            self.child_error.show_error(message)
            return
        self.child_error.show_error(f"{child.name or 'A child'}: {message}")
        self.mark_child(child.key, added=None, error=message)

    def validatePage(self) -> bool:
        ok = True
        if not self.locked:
            try:
                UserCreate.model_validate(self.parent_data())
                self.show_parent_errors({})
            except ValidationError as exc:
                errors: dict[str, str] = {}
                for label, message in _errors_by_label(exc):
                    errors.setdefault(_PERSON_LABELS.get(label or "", "name"), message)
                self.show_parent_errors(errors)
                ok = False
        self.child_error.show_error(None)
        for row, child in enumerate(self.child_rows()):
            if self._row_added(row):
                continue
            try:
                UserCreate.model_validate(self.child_data(child))
            except ValidationError as exc:
                self.show_child_error(child, describe_validation_error(exc))
                self.table.selectRow(row)
                return False
            self.mark_child(child.key, added=None, error=None)
        return ok

    def lock_parent(self) -> None:
        self.locked = True
        self.parent_done.show()
        for widget in (self.parent_name, self.parent_email, self.parent_colour, self.parent_avatar):
            widget.setEnabled(False)


class FinishPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle(_title("Ready"))
        self.setSubTitle("Check the summary, then create your family.")
        self.busy = False
        # Opened in initializePage: a field's value when the page joins the wizard counts as
        # "not filled in".
        self.gate = _Gate(self, "notBusy")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(12)
        card = QFrame()
        card.setProperty("card", True)
        card_layout = QVBoxLayout(card)
        card_layout.setContentsMargins(16, 12, 16, 14)
        self.summary = QLabel()
        self.summary.setAccessibleName("Summary")
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setWordWrap(True)
        card_layout.addWidget(self.summary)
        layout.addWidget(card)
        self.progress = QLabel()
        self.progress.setAccessibleName("Progress")
        self.progress.setTextFormat(Qt.TextFormat.RichText)
        self.progress.setWordWrap(True)
        layout.addWidget(self.progress)
        self.error = FieldError("Set-up")
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(
            muted_label(
                "Next: add routines and habits for each of you. Everything here can be "
                "changed later on the Family screen."
            )
        )

    def initializePage(self) -> None:
        self.gate.set_open(not self.busy)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.gate.set_open(not busy)


# --- the wizard -------------------------------------------------------------------------------


class SetupWizard(QWizard):
    """Emits `completed(core, family_id)` once the family and everyone in it exist."""

    completed = Signal(object, object)
    # The wizard closed without a family; carries the core it opened (or None) to release.
    abandoned = Signal(object)

    def __init__(
        self,
        tasks: TaskRunner,
        open_target: OpenTarget,
        release_target: ReleaseTarget,
        parent: QWidget | None = None,
        *,
        shared_default: bool = False,
        pooled_url: str = "",
        direct_url: str = "",
        password: str = "",
    ) -> None:
        super().__init__(parent)
        self.tasks = tasks
        self.open_target = open_target
        self.release_target = release_target
        self.progress = Progress()
        self._result_sent = False
        self.setObjectName("setupWizard")
        self.setWindowTitle("Set up HabitDesk")
        self.setAccessibleName("Set up HabitDesk")
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setTitleFormat(Qt.TextFormat.RichText)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setOption(QWizard.WizardOption.NoCancelButtonOnLastPage, False)
        self.setMinimumSize(720, 600)
        self.setButtonText(QWizard.WizardButton.FinishButton, "&Create family")
        self.setButtonText(QWizard.WizardButton.CancelButton, "Not now")

        self.where = WherePage(shared_default)
        self.connection = ConnectionPage(tasks)
        self.connection.pooled.setText(pooled_url)
        self.connection.direct.setText(direct_url)
        self.connection.password.setText(password)
        self.family = FamilyPage()
        self.people = PeoplePage()
        self.finish = FinishPage()
        for page_id, page in (
            (WHERE, self.where),
            (CONNECTION, self.connection),
            (FAMILY, self.family),
            (PEOPLE, self.people),
            (FINISH, self.finish),
        ):
            self.setPage(page_id, page)
        self.setStartId(WHERE)
        self.currentIdChanged.connect(self._page_changed)

    # --- navigation ----------------------------------------------------------------------------

    def target(self) -> Target:
        return self.connection.target() if self.where.wants_shared else Target(False)

    def _page_changed(self, page_id: int) -> None:
        if page_id == FINISH:
            self._fill_summary()
        if page_id == PEOPLE and not self.people.locked:
            self.people.parent_name.setFocus()
        if page_id == FAMILY and self.family.name.isEnabled():
            self.family.name.setFocus()

    def _fill_summary(self) -> None:
        family = self.family.data()
        week = "Monday" if family["week_start"] is WeekStart.MONDAY else "Sunday"
        hour = family["day_start_hour"]
        day = "midnight" if hour == 0 else f"{hour}:00 at night"
        target = self.target()
        where = target.describe()
        if target.shared:
            where += (
                " — password in your system keyring"
                if secrets.keyring_available()
                else " — HabitDesk will ask for the password at each start"
            )
        parent = self.people.parent_data()
        parent_text = html.escape(parent["full_name"].strip())
        if parent.get("avatar_emoji"):
            parent_text = f"{parent['avatar_emoji']} {parent_text}"
        if parent["email"].strip():
            parent_text += f" ({html.escape(parent['email'].strip())})"
        children = [
            html.escape(f"{c.avatar} {c.name}".strip()) for c in self.people.child_rows()
        ] or ["none yet"]
        rows = [
            ("Data", html.escape(where)),
            ("Family", html.escape(family["name"].strip())),
            ("Time zone", html.escape(family["time_zone"])),
            ("Weeks", f"start on {week}; each day ends at {day}"),
            ("Parent", parent_text + " — owner"),
            ("Children", ", ".join(children)),
        ]
        self.finish.summary.setText(
            "<table cellspacing='0' cellpadding='3'>"
            + "".join(
                f"<tr><td style='padding-right:14px'><b>{name}</b></td><td>{value}</td></tr>"
                for name, value in rows
            )
            + "</table>"
        )

    # --- finishing -----------------------------------------------------------------------------

    def validateCurrentPage(self) -> bool:
        if self.currentId() != FINISH:
            return super().validateCurrentPage()
        if self._result_sent:
            return True
        if not self.finish.busy:
            self._run_next_step()
        return False

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.finish.set_busy(busy)
        self.button(QWizard.WizardButton.BackButton).setEnabled(not busy)
        self.button(QWizard.WizardButton.CancelButton).setEnabled(not busy)
        if text:
            self.finish.progress.setText(text)

    def _step_text(self, current: str) -> str:
        done = []
        if self.progress.family_id is not None:
            done.append(f"✓ Family “{html.escape(self.progress.family_name)}” created")
        for member in self.progress.children_added.values():
            done.append(f"✓ {html.escape(member.full_name)} added")
        lines = [f"<span style='color:{OK_COLOUR}'>{line}</span>" for line in done]
        if current:
            lines.append(current)
        return "<br>".join(lines)

    def _run_next_step(self) -> None:
        """One step per task; each success starts the next, each failure stops and says why."""
        self.finish.error.show_error(None)
        progress = self.progress
        target = self.target()
        if progress.core is None or (progress.family_id is None and progress.target != target):
            self._set_busy(True, self._step_text("Opening the database…"))
            self.tasks.read(
                quietly(self._open(target)),
                self._opened,
                on_error=self._step_failed,
                origin=self,
            )
            return
        core = progress.core
        if progress.family_id is None:
            self._set_busy(True, self._step_text("Creating the family…"))
            self.tasks.write(
                quietly(core.families.create_family(self.family.data(), self.people.parent_data())),
                on_done=self._family_created,
                on_error=self._family_failed,
                origin=self,
            )
            return
        if progress.owner_id is None:
            self._set_busy(True, self._step_text("Creating the family…"))
            self.tasks.read(
                quietly(core.families.list_members(Actor.local_admin(), progress.family_id)),
                self._members_read,
                on_error=self._step_failed,
                origin=self,
            )
            return
        for child in self.people.child_rows():
            if child.key in progress.children_added:
                continue
            self._set_busy(True, self._step_text(f"Adding {html.escape(child.name)}…"))
            self._add_child(core, progress.owner_id, progress.family_id, child)
            return
        self._set_busy(False, self._step_text("<b>All set.</b>"))
        self._send_result()
        self.accept()

    def _add_child(self, core: AppCore, owner_id: UUID, family_id: UUID, child: ChildRow) -> None:
        def added(result: Any) -> None:
            self._child_added(child, result.value)

        def failed(message: str) -> None:
            self._child_failed(child, message)

        # The service validates again; its message lands beside the child like any other.
        data: dict[str, object] = {"user": self.people.child_data(child), "role": Role.CHILD}
        self.tasks.write(
            quietly(core.families.add_member(Actor.member(owner_id), family_id, data)),
            on_done=added,
            on_error=failed,
            origin=self,
        )

    async def _open(self, target: Target) -> AppCore:
        previous = self.progress.core
        core = await self.open_target(target)
        if previous is not None and previous is not core:
            await self.release_target(previous)
        return core

    def _opened(self, core: AppCore) -> None:
        self.progress.core = core
        self.progress.target = self.target()
        self._run_next_step()

    def _family_created(self, result: Any) -> None:
        family = result.value
        self.progress.family_id = family.id
        self.progress.family_name = family.name
        # The family and its owner exist now: their pages (and the database) are settled.
        self.family.lock()
        self.people.lock_parent()
        self.connection.lock()
        self.where.setEnabled(False)
        self._run_next_step()

    def _members_read(self, members: list[MemberRead]) -> None:
        owner = next((m for m in members if m.role is Role.OWNER), None)
        if owner is None:
            self._step_failed("The new family has no owner; try again.")
            return
        self.progress.owner_id = owner.user_id
        self._run_next_step()

    def _child_added(self, child: ChildRow, member: MemberRead) -> None:
        self.progress.children_added[child.key] = member
        self.people.mark_child(child.key, added=member, error=None)
        self._run_next_step()

    def _child_failed(self, child: ChildRow, message: str) -> None:
        self.people.show_child_error(child, message)
        self._stop(
            f"{child.name} could not be added: {message} The family exists; fix this (Back) "
            "and press Create family again to add who is missing."
        )

    def _family_failed(self, message: str) -> None:
        label, text = _split_message(message)
        key = _PERSON_LABELS.get(label or "")
        family_key = _FAMILY_LABELS.get(label or "")
        if key == "email":
            self.people.show_parent_errors({"email": text})
        elif family_key in ("time_zone", "day_start_hour", "week_start"):
            self.family.show_errors({family_key: text})
        self._stop(f"The family was not created: {message} Nothing was saved.")

    def _step_failed(self, message: str) -> None:
        self._stop(message)

    def _stop(self, message: str) -> None:
        self._set_busy(False, self._step_text(""))
        self.finish.error.show_error(message)

    def _send_result(self) -> None:
        if not self._result_sent and self.progress.core is not None and self.progress.family_id:
            self._result_sent = True
            self.completed.emit(self.progress.core, self.progress.family_id)

    # --- closing -------------------------------------------------------------------------------

    def reject(self) -> None:
        if self.finish.busy:
            return  # a write is running; it ends in a moment
        if self.progress.family_id is not None:
            # The family exists: show it even if some children are still missing.
            self._send_result()
        elif not self._result_sent:
            self.abandoned.emit(self.progress.core)
            self.progress.core = None
        super().reject()


# --- the password prompt at start -------------------------------------------------------------


class PasswordPromptDialog(QDialog):
    """Asks for a shared database's password; `submitted(password)` → the flow checks it and
    either calls `accept()` or `show_error(message)`."""

    submitted = Signal(str)

    def __init__(self, url: str, *, keyring_ok: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("passwordPrompt")
        self.setWindowTitle("Database password")
        self.setAccessibleName("Database password")
        self.setModal(True)
        # Fixed width: word-wrapped labels then get the height they need, also after an error.
        self.setFixedWidth(580)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 16)
        layout.setSpacing(10)
        title = QLabel("HabitDesk needs your database password")
        title.setStyleSheet("font-size: 13pt; font-weight: 600;")
        layout.addWidget(title)
        where_box = QVBoxLayout()
        where_box.setSpacing(2)
        where_box.addWidget(QLabel("To connect to the shared database"))
        account = secrets.account_for(url) or secrets.without_password(url)
        where = QLabel(account)
        where.setAccessibleName("Database")
        where.setStyleSheet("font-weight: 600;")
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        where_box.addWidget(where)
        layout.addLayout(where_box)
        layout.addWidget(
            muted_label(
                "It will be kept in your system keyring."
                if keyring_ok
                else "No system keyring was found, so HabitDesk asks for it each time it "
                "starts. It is never written to a file."
            )
        )
        self.password = _password_field("Database password")
        layout.addWidget(self.password)
        self.error = FieldError("Password")
        layout.addWidget(self.error)
        layout.addStretch(1)
        self.buttons = QDialogButtonBox()
        self.connect_button = self.buttons.addButton(
            "&Connect", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.connect_button.setProperty("primary", True)
        self.connect_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(
            "Not now", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.password.setFocus()

    def _submit(self) -> None:
        self.error.show_error(None)
        self.set_busy(True)
        self.submitted.emit(self.password.text())

    def set_busy(self, busy: bool) -> None:
        self.connect_button.setEnabled(not busy)
        self.connect_button.setText("Connecting…" if busy else "&Connect")

    def show_error(self, message: str) -> None:
        self.set_busy(False)
        self.error.show_error(message)
        self.password.selectAll()
        self.password.setFocus()
        # After the event loop has laid the wrapped message out: then the height is known.
        QTimer.singleShot(0, self.adjustSize)
