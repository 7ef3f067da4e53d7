"""The headers and flags the table models take from `TableModel`: each header text stands over
the column its model's enum names (History's and Steps' texts are kept in enum order), numbers'
headers are aligned with their cells, and read-only tables stay read-only. The Rewards screen's
models also keep their short headers and the ledger's paging on the base's rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from enum import IntEnum
from typing import Any
from uuid import uuid4

import pytest
from PySide6.QtCore import QModelIndex, Qt

from habitdesk.core.enums import PointsSource, RedemptionStatus, Role
from habitdesk.core.schemas.people import MemberRead
from habitdesk.core.schemas.points import PointsEntryRead, RedemptionRead, RewardRead
from habitdesk.ui.qtmodels.history_model import Column, HistoryTableModel
from habitdesk.ui.qtmodels.members_model import MembersTableModel
from habitdesk.ui.qtmodels.rewards_model import (
    LedgerColumn,
    LedgerTableModel,
    RequestColumn,
    RequestsTableModel,
    RewardColumn,
    RewardsTableModel,
)
from habitdesk.ui.qtmodels.steps_model import Column as StepColumn
from habitdesk.ui.qtmodels.steps_model import StepDraft, StepsModel
from habitdesk.ui.qtmodels.table_base import LEFT, READ_ONLY, RIGHT, TableModel

H = Qt.Orientation.Horizontal
V = Qt.Orientation.Vertical
DISPLAY = Qt.ItemDataRole.DisplayRole
ALIGN = Qt.ItemDataRole.TextAlignmentRole
TIP = Qt.ItemDataRole.ToolTipRole
FAMILY = uuid4()
NOON = datetime(2025, 6, 1, 12, tzinfo=UTC)


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


# --- the Rewards screen's models ---------------------------------------------------------------


def reward(name: str = "New book", cost: int = 80) -> RewardRead:
    return RewardRead(
        id=uuid4(),
        family_id=FAMILY,
        name=name,
        cost=cost,
        active=True,
        version=1,
        created_at=NOON,
        updated_at=NOON,
    )


def request(status: RedemptionStatus = RedemptionStatus.REQUESTED) -> RedemptionRead:
    decided = None if status is RedemptionStatus.REQUESTED else NOON + timedelta(hours=1)
    return RedemptionRead(
        id=uuid4(),
        family_id=FAMILY,
        reward_id=uuid4(),
        reward_name="New book",
        user_id=uuid4(),
        member_name="Léa Martin",
        cost=80,
        status=status,
        requested_at=NOON,
        decided_at=decided,
        decided_by=None if decided is None else uuid4(),
        version=1,
    )


def line(n: int) -> PointsEntryRead:
    """The `n`th line of a ledger, newest first: line 0 is the latest."""
    return PointsEntryRead(
        id=uuid4(),
        family_id=FAMILY,
        user_id=uuid4(),
        amount=n + 1,
        reason=f"Star {n}",
        source=PointsSource.MANUAL,
        source_id=None,
        created_by=None,
        created_at=NOON - timedelta(minutes=n),
    )


def filled_rewards() -> RewardsTableModel:
    model = RewardsTableModel()
    model.set_rewards([reward(), reward("Cinema", 200)])
    return model


def filled_requests() -> RequestsTableModel:
    model = RequestsTableModel()
    model.set_requests([request(), request(RedemptionStatus.APPROVED)], [], None)
    return model


def filled_ledger() -> LedgerTableModel:
    model = LedgerTableModel()
    model.reset([line(0), line(1)], [], None, None)
    return model


REWARDS_MODELS = [
    (filled_rewards, RewardColumn, RewardColumn.COST, ["Reward", "Cost", "Available"]),
    (
        filled_requests,
        RequestColumn,
        RequestColumn.COST,
        ["Member", "Reward", "Cost", "Status", "Requested → decided", "Note"],
    ),
    (filled_ledger, LedgerColumn, LedgerColumn.AMOUNT, ["When", "Member", "Points", "Reason"]),
]


@pytest.mark.parametrize(("make", "columns", "number", "headers"), REWARDS_MODELS)
def test_rewards_models_headers_stand_over_their_columns_and_cells_are_read_only(
    qtbot: Any,
    make: Callable[[], TableModel[Any]],
    columns: type[IntEnum],
    number: int,
    headers: list[str],
) -> None:
    model = make()
    assert model.rowCount() == 2 and model.columnCount() == len(columns)
    assert [model.headerData(c, H) for c in columns] == headers
    for column in columns:
        # The points are right-aligned, header and cells alike; the rest stand at the left.
        side = RIGHT if column == number else LEFT
        assert model.headerData(column, H, ALIGN) == side
        assert all(model.data(model.index(row, column), ALIGN) == side for row in range(2))
        assert model.headerData(column, H, TIP) is None
        assert model.flags(model.index(1, column)) == READ_ONLY
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags
    assert model.rowCount(model.index(0, 0)) == 0  # a table: no rows under a cell
    assert model.headerData(0, V) is None
    # Past either end there is no column: nothing, where a wrong section used to raise (or,
    # for -1, give the last header).
    for section in (-1, len(columns)):
        assert model.headerData(section, H) is None
        assert model.headerData(section, H, ALIGN) is None


@pytest.mark.parametrize(
    ("make", "column", "short", "long"),
    [
        (filled_requests, RequestColumn.WHEN, "When", "Requested → decided"),
        (filled_ledger, LedgerColumn.MEMBER, "Who", "Member"),
    ],
)
def test_short_form_changes_the_short_columns_header_only(
    qtbot: Any,
    make: Callable[[], RequestsTableModel | LedgerTableModel],
    column: int,
    short: str,
    long: str,
) -> None:
    model = make()
    others = [model.headerData(c, H) for c in range(model.columnCount()) if c != column]
    changed: list[tuple[int, int]] = []
    model.headerDataChanged.connect(lambda _orientation, a, b: changed.append((a, b)))

    model.set_short(True)
    assert changed == [(column, column)]
    assert model.headerData(column, H) == short
    assert [model.headerData(c, H) for c in range(model.columnCount()) if c != column] == others
    assert model.headerData(column, H, ALIGN) == LEFT  # only the text is short
    model.set_short(True)  # no change: no signal
    assert changed == [(column, column)]

    model.set_short(False)
    assert model.headerData(column, H) == long
    assert changed == [(column, column)] * 2


def test_ledger_pages_land_in_the_base_rows(qtbot: Any) -> None:
    """Lines fetched as the table scrolls are the model's rows (counted, copied, looked up as
    the base does); lines shown already are skipped; a page asked for before a reset is
    dropped when it comes."""
    ledger = [line(n) for n in range(LedgerTableModel.PAGE + 10)]
    waiting: list[Callable[[list[PointsEntryRead]], None]] = []

    def fetch(offset: int, limit: int, done: Callable[[list[PointsEntryRead]], None]) -> object:
        waiting.append(done)
        return object()

    model = LedgerTableModel()
    first = ledger[: LedgerTableModel.PAGE]
    model.reset(first, [], None, fetch)
    assert model.rows == model.lines == first and model.canFetchMore()
    model.rows.clear()  # a copy
    assert model.rowCount() == LedgerTableModel.PAGE

    model.fetchMore()
    assert not model.canFetchMore()  # one page at a time
    # A line earned meanwhile shifts the offsets: the page repeats the last line shown.
    waiting.pop()(ledger[LedgerTableModel.PAGE - 1 :])
    assert model.rowCount() == len(ledger) and model.lines == ledger
    assert model.row_at(len(ledger) - 1) == ledger[-1] and model.row_at(len(ledger)) is None
    assert model.exhausted and not model.canFetchMore()

    model.reset(first, [], None, fetch)
    model.fetchMore()
    model.reset(first[:5], [], None, fetch)  # a short first page: nothing more to fetch
    waiting.pop()(ledger[LedgerTableModel.PAGE :])
    assert model.rows == first[:5] and not model.canFetchMore()
