"""The headers and flags the table models take from `TableModel`: each header text stands over
the column its model's enum names (History's and Steps' texts are kept in enum order), numbers'
headers are aligned with their cells, and read-only tables stay read-only."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import uuid4

from PySide6.QtCore import QModelIndex, Qt

from habitdesk.core.enums import Role
from habitdesk.core.schemas.people import MemberRead
from habitdesk.ui.qtmodels.history_model import Column, HistoryTableModel
from habitdesk.ui.qtmodels.members_model import MembersTableModel
from habitdesk.ui.qtmodels.steps_model import Column as StepColumn
from habitdesk.ui.qtmodels.steps_model import StepDraft, StepsModel
from habitdesk.ui.qtmodels.table_base import RIGHT

H = Qt.Orientation.Horizontal
V = Qt.Orientation.Vertical
DISPLAY = Qt.ItemDataRole.DisplayRole


def test_history_headers_name_align_and_explain_their_columns(qtbot: Any) -> None:
    model = HistoryTableModel()
    assert model.columnCount() == len(Column)
    assert model.headerData(Column.MEMBER, H) == "Member"
    assert model.headerData(Column.ITEM, H) == "Habit or routine"
    assert model.headerData(Column.PARTIAL, H) == "Partial"
    assert model.headerData(Column.COMPLETION, H) == "Completion"
    align = Qt.ItemDataRole.TextAlignmentRole
    assert model.headerData(Column.ITEM, H, align) is None  # Qt's centred header
    assert model.headerData(Column.DUE, H, align) == RIGHT
    tip = Qt.ItemDataRole.ToolTipRole
    assert model.headerData(Column.SKIPPED, H, tip).startswith("Days skipped on purpose")
    assert model.headerData(Column.MEMBER, H, tip) is None
    assert model.headerData(Column.DUE, V) is None
    assert model.headerData(len(Column), H) is None  # past the last column: nothing


def test_steps_headers_and_flags(qtbot: Any) -> None:
    model = StepsModel([StepDraft("Wake up"), StepDraft("Dress")])
    assert [model.headerData(c, H) for c in StepColumn] == ["Step", "Minutes", "Points"]
    assert model.headerData(1, V) == "2"  # the step's number
    assert model.headerData(1, V, Qt.ItemDataRole.ToolTipRole) is None
    assert model.flags(model.index(0, StepColumn.TITLE)) & Qt.ItemFlag.ItemIsEditable
    align = Qt.ItemDataRole.TextAlignmentRole
    for column in (StepColumn.MINUTES, StepColumn.POINTS):  # numbers and their header agree
        assert model.headerData(column, H, align) == RIGHT
        assert model.data(model.index(0, column), align) == int(RIGHT)
    assert model.headerData(StepColumn.TITLE, H, align) is None


def test_members_table_is_read_only(qtbot: Any) -> None:
    model = MembersTableModel()
    assert model.rowCount() == 0 and model.member_at(0) is None
    member = MemberRead(
        membership_id=uuid4(),
        user_id=uuid4(),
        family_id=uuid4(),
        full_name="Anna Martin",
        email=None,
        colour="#336699",
        avatar_emoji=None,
        birth_date=None,
        role=Role.PARENT,
        position=0,
        version=1,
    )
    model.set_members([member], date(2025, 6, 1))
    assert model.rowCount() == 1 and model.members == [member]
    assert model.headerData(MembersTableModel.EMAIL, H, DISPLAY) == "E-mail"
    cell = model.index(0, MembersTableModel.EMAIL)
    assert model.flags(cell) == Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags
    assert model.data(cell) == "—"
