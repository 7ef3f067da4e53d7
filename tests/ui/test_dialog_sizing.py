"""Dialogs open showing their whole title, at the height their rows need: a long name wraps the
title onto more lines instead of being cut off, and no blank gaps open between the rows."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from uuid import uuid4

from PySide6.QtWidgets import QLabel

from habitdesk.core.schemas.points import RewardRead
from habitdesk.ui.dialogs.reward_dialog import RewardDialog

LONG_NAME = "Extra 30 minutes of screen time"


def test_a_long_name_wraps_the_title_and_the_dialog_fits_its_rows(qtbot: Any) -> None:
    now = datetime.now(UTC)
    reward = RewardRead(
        id=uuid4(),
        family_id=uuid4(),
        name=LONG_NAME,
        cost=500,
        active=True,
        version=1,
        created_at=now,
        updated_at=now,
    )
    dialog = RewardDialog(None, reward=reward)
    qtbot.addWidget(dialog)
    dialog.open()
    qtbot.waitExposed(dialog)
    title = dialog.findChild(QLabel, "screenTitle")
    assert title is not None and title.text() == f"Edit “{LONG_NAME}”"
    # Every line of the title fits inside the dialog: wider than the dialog on one line, so
    # it is shown on several, each within the label's width.
    one_line = title.fontMetrics().height()
    assert title.fontMetrics().horizontalAdvance(title.text()) > dialog.width()
    assert title.height() >= title.heightForWidth(title.width()) >= 2 * one_line
    assert title.geometry().right() <= dialog.width()
    # The dialog is as tall as its rows need at its width: no blank gaps between them.
    layout = dialog.layout()
    assert dialog.height() == max(
        layout.totalHeightForWidth(dialog.width()), dialog.minimumHeight()
    )
    dialog.reject()
