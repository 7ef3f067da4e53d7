"""The weekly report dialog, driven with clicks and keys; the saved PDF is checked on disk."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QLineEdit

from habitdesk.core.appcore import AppCore
from habitdesk.core.domain.iso_week import IsoWeek
from habitdesk.core.services.base import Actor
from habitdesk.ui.context import AppContext
from habitdesk.ui.dialogs.report_dialog import WeeklyReportDialog, default_file_name

ADMIN = Actor.local_admin()


@pytest.fixture
def context(core: AppCore, run: Any) -> Iterator[AppContext]:
    async def arrange() -> AppContext:
        family = (
            await core.families.create_family(
                {"name": "Martin", "time_zone": "Europe/Paris"}, {"full_name": "Claire Martin"}
            )
        ).value
        members = await core.families.list_members(ADMIN, family.id)
        context = AppContext(core)
        context.set_family(family, members)
        start = IsoWeek.of(context.today).monday - timedelta(weeks=3)
        habit = (
            await core.habits.create_habit(
                ADMIN,
                {
                    "family_id": family.id,
                    "user_id": members[0].user_id,
                    "name": "Read 20 minutes",
                    "effective_from": start,
                },
            )
        ).value
        for n in range(0, 14, 2):
            await core.habits.set_entry(
                ADMIN, habit.id, start + timedelta(days=n), {"status": "done"}
            )
        return context

    context: AppContext = run(arrange())
    yield context
    run(context.tasks.drain())


@pytest.fixture
def dialog(context: AppContext, qtbot: Any) -> WeeklyReportDialog:
    dialog = WeeklyReportDialog(context)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def file_dialog(dialog: WeeklyReportDialog) -> QFileDialog:
    """The file dialog that "Save PDF…" opened over the report dialog."""
    chooser = dialog.findChild(QFileDialog)
    assert chooser is not None and chooser.isVisible()
    return chooser


def file_name_field(chooser: QFileDialog) -> QLineEdit:
    field = chooser.findChild(QLineEdit, "fileNameEdit")
    assert field is not None
    return field


def type_file_name(qtbot: Any, chooser: QFileDialog, path: Path) -> None:
    """In the file dialog: go to the file's folder, type its name over the one offered and
    press Enter."""
    chooser.setDirectory(str(path.parent))
    field = file_name_field(chooser)
    field.selectAll()
    qtbot.keyClicks(field, path.name)
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert not chooser.isVisible()


def save_as(qtbot: Any, dialog: WeeklyReportDialog, path: Path) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    type_file_name(qtbot, file_dialog(dialog), path)


def test_it_opens_on_the_last_complete_week(
    dialog: WeeklyReportDialog, context: AppContext
) -> None:
    last = IsoWeek.of(context.today).shifted(-1)
    assert dialog.week_field.text() == last.label
    assert dialog.dates_label.text() == last.heading
    assert dialog.next_button.isEnabled()
    for widget in (
        dialog.previous_button,
        dialog.next_button,
        dialog.week_field,
        dialog.save_button,
    ):
        assert widget.accessibleName()


def test_pick_a_week_and_save_it(
    dialog: WeeklyReportDialog,
    context: AppContext,
    qtbot: Any,
    run: Any,
    tmp_path: Path,
) -> None:
    qtbot.mouseClick(dialog.previous_button, Qt.MouseButton.LeftButton)
    wanted = IsoWeek.of(context.today).shifted(-2)
    assert dialog.week_field.text() == wanted.label

    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    chooser = file_dialog(dialog)
    # Over the report dialog only, saving a PDF, with the family's and week's name offered.
    assert chooser.windowModality() == Qt.WindowModality.WindowModal
    assert chooser.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert chooser.defaultSuffix() == "pdf"
    assert chooser.nameFilters() == ["PDF files (*.pdf)"]
    assert file_name_field(chooser).text() == f"Martin – {wanted.label}.pdf"
    assert dialog.message.text() == ""  # nothing happens before a file is chosen
    type_file_name(qtbot, chooser, tmp_path / "martins")
    run(context.tasks.drain())

    saved = tmp_path / "martins.pdf"
    assert saved.read_bytes().startswith(b"%PDF")
    assert "Saved" in dialog.message.text() and "1 page" in dialog.message.text()
    assert dialog.open_button.isVisible()
    assert dialog.save_button.isEnabled()


def test_cancelling_the_file_dialog_saves_nothing(
    dialog: WeeklyReportDialog, context: AppContext, qtbot: Any, run: Any
) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    chooser = file_dialog(dialog)
    qtbot.keyClick(file_name_field(chooser), Qt.Key.Key_Escape)
    assert not chooser.isVisible()
    assert context.tasks.pending == 0
    assert dialog.message.text() == ""
    assert not dialog.open_button.isVisible()
    assert dialog.save_button.isEnabled() and dialog.isVisible()


def test_the_week_can_be_typed_and_not_beyond_the_current_one(
    dialog: WeeklyReportDialog, context: AppContext, qtbot: Any
) -> None:
    current = IsoWeek.of(context.today)
    dialog.week_field.clear()
    qtbot.keyClicks(dialog.week_field, current.label)
    qtbot.keyClick(dialog.week_field, Qt.Key.Key_Return)
    assert dialog.week == current
    assert not dialog.next_button.isEnabled()
    dialog.week_field.clear()
    qtbot.keyClicks(dialog.week_field, "week 12")
    qtbot.keyClick(dialog.week_field, Qt.Key.Key_Return)
    assert "use the form 2026-W47" in dialog.message.text()
    assert dialog.week == current


def test_the_services_message_is_shown_when_there_is_no_report(
    dialog: WeeklyReportDialog,
    context: AppContext,
    qtbot: Any,
    run: Any,
    tmp_path: Path,
) -> None:
    dialog.week_field.setText("2001-W05")
    save_as(qtbot, dialog, tmp_path / "old.pdf")
    run(context.tasks.drain())
    assert "before Martin's history begins" in dialog.message.text()
    assert not (tmp_path / "old.pdf").exists()
    assert list(tmp_path.glob("*.part")) == []
    assert dialog.save_button.isEnabled()


def test_default_file_names_are_safe() -> None:
    assert default_file_name("Demo family", IsoWeek(2026, 47)) == "Demo family – 2026-W47.pdf"
    assert default_file_name("A/B: C", IsoWeek(2026, 1)) == "A-B- C – 2026-W01.pdf"
