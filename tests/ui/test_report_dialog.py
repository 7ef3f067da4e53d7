"""The weekly report dialog, driven with clicks and keys; the saved PDF is checked on disk."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

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


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path, seen: list[str]) -> None:
    def fake(_parent: Any, _title: str, suggested: str, _filter: str) -> tuple[str, str]:
        seen.append(suggested)
        return str(path), "PDF files (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))


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
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    qtbot.mouseClick(dialog.previous_button, Qt.MouseButton.LeftButton)
    wanted = IsoWeek.of(context.today).shifted(-2)
    assert dialog.week_field.text() == wanted.label
    seen: list[str] = []
    choose_file(monkeypatch, tmp_path / "martins", seen)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    run(context.tasks.drain())
    saved = tmp_path / "martins.pdf"
    assert saved.read_bytes().startswith(b"%PDF")
    assert seen[0].endswith(f"Martin – {wanted.label}.pdf")
    assert "Saved" in dialog.message.text() and "1 page" in dialog.message.text()
    assert dialog.open_button.isVisible()
    assert dialog.save_button.isEnabled()


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
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog.week_field.setText("2001-W05")
    choose_file(monkeypatch, tmp_path / "old.pdf", [])
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    run(context.tasks.drain())
    assert "before Martin's history begins" in dialog.message.text()
    assert not (tmp_path / "old.pdf").exists()
    assert list(tmp_path.glob("*.part")) == []
    assert dialog.save_button.isEnabled()


def test_default_file_names_are_safe() -> None:
    assert default_file_name("Demo family", IsoWeek(2026, 47)) == "Demo family – 2026-W47.pdf"
    assert default_file_name("A/B: C", IsoWeek(2026, 1)) == "A-B- C – 2026-W01.pdf"
