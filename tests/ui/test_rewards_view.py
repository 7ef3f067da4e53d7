"""The Rewards screen, driven as a parent, a child and a viewer would: clicks and keys on real
widgets, results checked in the database through the `core` fixture."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QEvent, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QHelpEvent, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QMessageBox,
    QPushButton,
    QStyle,
    QStyleOptionComboBox,
    QTableView,
    QToolTip,
    QWidget,
)
from sqlalchemy import event

from habitdesk.core.appcore import AppCore
from habitdesk.core.demo import generate_demo
from habitdesk.core.enums import RedemptionStatus, Role
from habitdesk.core.schemas.people import FamilyRead, MemberRead
from habitdesk.core.schemas.points import RewardRead
from habitdesk.core.services.base import Actor
from habitdesk.ui.context import AppContext
from habitdesk.ui.dialogs.reward_dialog import RewardDialog
from habitdesk.ui.main_window import MainWindow
from habitdesk.ui.qtmodels.rewards_model import (
    LedgerColumn,
    LedgerTableModel,
    RequestColumn,
    moment_text,
)
from habitdesk.ui.views.rewards import RewardsView
from habitdesk.ui.widgets.balance_card import BalanceCard

W = TypeVar("W", bound=QWidget)
ADMIN = Actor.local_admin()


@dataclass
class Family:
    family: FamilyRead
    owner: MemberRead
    parent: MemberRead
    child: MemberRead
    viewer: MemberRead
    book: RewardRead

    @property
    def members(self) -> list[MemberRead]:
        return [self.owner, self.parent, self.child, self.viewer]


async def make_family(core: AppCore) -> Family:
    family = (
        await core.families.create_family(
            {"name": "Martin", "time_zone": "Europe/Paris"},
            {"full_name": "Claire Martin", "avatar_emoji": "🦊"},
        )
    ).value
    owner = (await core.families.list_members(ADMIN, family.id))[0]
    added = []
    for name, role, emoji in (
        ("Paul Martin", Role.PARENT, None),
        ("Léa Martin", Role.CHILD, "🦄"),
        ("Grand-mère", Role.VIEWER, None),
    ):
        result = await core.families.add_member(
            ADMIN,
            family.id,
            {"user": {"full_name": name, "avatar_emoji": emoji}, "role": role},
        )
        added.append(result.value)
    book = (
        await core.points.create_reward(ADMIN, family.id, {"name": "New book", "cost": 80})
    ).value
    parent, child, viewer = added
    return Family(family, owner, parent, child, viewer, book)


@pytest.fixture
def martins(core: AppCore, run: Any) -> Family:
    family: Family = run(make_family(core))
    return family


@pytest.fixture
def context(db_url: str, run: Any, martins: Family) -> Iterator[AppContext]:
    """The app's own core; `core` plays the other parent and the checker."""
    app_core = AppCore.from_url(db_url)
    context = AppContext(app_core)
    context.set_family(martins.family, martins.members)
    yield context
    run(context.tasks.drain())
    run(app_core.close())


@pytest.fixture
def view(context: AppContext, qtbot: Any, run: Any) -> RewardsView:
    view = RewardsView(context)
    qtbot.addWidget(view)
    view.resize(1100, 760)
    view.show()
    run(context.tasks.drain())
    return view


def act_as(context: AppContext, member: MemberRead, run: Any) -> None:
    context.set_acting(member.user_id)
    run(context.tasks.drain())


def click(qtbot: Any, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_row(qtbot: Any, table: Any, row: int) -> None:
    centre = table.visualRect(table.model().index(row, 1)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def dialog_of(view: RewardsView) -> RewardDialog:
    dialog = view.reward_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def pick(combo: Any, text: str) -> None:
    """Choose an item the way the keyboard does: focus, then type its first letters."""
    index = next(i for i in range(combo.count()) if combo.itemText(i).startswith(text))
    combo.setFocus()
    combo.setCurrentIndex(index)


def rewards_in_db(core: AppCore, run: Any, martins: Family) -> dict[str, RewardRead]:
    found = run(core.points.list_rewards(ADMIN, martins.family.id, include_inactive=True))
    return {r.name: r for r in found}


def balance(core: AppCore, run: Any, martins: Family, member: MemberRead) -> Any:
    return run(core.points.balance(ADMIN, martins.family.id, member.user_id))


def card_of(view: RewardsView, member: MemberRead) -> Any:
    return next(c for c in view.balance_cards if c.member.user_id == member.user_id)


def assert_columns_fit(table: Any, stretched: int) -> None:
    """Every row's text fits its column (the stretched last one aside): none is cut short."""
    model, header = table.model(), table.horizontalHeader()
    for column in range(model.columnCount()):
        if column != stretched and model.rowCount():
            widest = max(
                table.sizeHintForIndex(model.index(row, column)).width()
                for row in range(model.rowCount())
            )
            assert header.sectionSize(column) >= widest, (column, header.sectionSize(column))


# --- rewards --------------------------------------------------------------------------------------


def test_add_a_reward_through_the_dialog_with_keys(
    view: RewardsView, context: AppContext, core: AppCore, martins: Family, qtbot: Any, run: Any
) -> None:
    click(qtbot, view.add_button)
    dialog = dialog_of(view)
    assert dialog.focusWidget() is dialog.name
    qtbot.keyClicks(dialog.name, "Ice cream at the park")
    dialog.cost.setFocus()
    dialog.cost.selectAll()
    qtbot.keyClicks(dialog.cost, "120")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    run(context.tasks.drain())

    assert view.reward_dialog is None
    stored = rewards_in_db(core, run, martins)["Ice cream at the park"]
    assert (stored.cost, stored.active) == (120, True)
    names = [r.name for r in view.rewards_model.rewards]
    assert names == ["New book", "Ice cream at the park"]  # cheapest first
    offered = [view.ask_reward.itemData(i) for i in range(view.ask_reward.count())]
    assert stored.id in offered


def test_bad_reward_input_shows_the_service_message_next_to_the_field(
    view: RewardsView, context: AppContext, core: AppCore, martins: Family, qtbot: Any, run: Any
) -> None:
    click(qtbot, view.add_button)
    dialog = dialog_of(view)
    dialog.cost.setFocus()
    dialog.cost.selectAll()
    qtbot.keyClicks(dialog.cost, "0")
    click(qtbot, dialog.save_button)
    run(context.tasks.drain())

    assert dialog.isVisible()
    assert dialog.errors["name"].isVisible()
    assert dialog.errors["name"].text() == "Must not be empty"
    cost_error = dialog.errors["cost"].text()
    assert cost_error == "Must be a whole number of points greater than zero; it was 0"
    assert not dialog.errors["general"].isVisible()
    assert dialog.save_button.isEnabled()
    assert list(rewards_in_db(core, run, martins)) == ["New book"]
    click(qtbot, dialog.cancel_button)
    assert view.reward_dialog is None


def test_edit_switch_off_and_remove_a_reward(
    view: RewardsView, context: AppContext, core: AppCore, martins: Family, qtbot: Any, run: Any
) -> None:
    click_row(qtbot, view.rewards_table, 0)
    qtbot.keyClick(view.rewards_table, Qt.Key.Key_Return)
    dialog = dialog_of(view)
    dialog.name.selectAll()
    qtbot.keyClicks(dialog.name, "Comic book")
    click(qtbot, dialog.save_button)
    run(context.tasks.drain())
    assert rewards_in_db(core, run, martins)["Comic book"].cost == 80

    click(qtbot, view.toggle_button)
    run(context.tasks.drain())
    assert not rewards_in_db(core, run, martins)["Comic book"].active
    assert view.toggle_button.accessibleName() == "Switch reward on"
    assert view.ask_reward.count() == 0  # nobody can ask for a switched-off reward
    assert not view.ask_button.isEnabled()

    # The window manager gives the window back its focus when a dialog closes; off-screen
    # nothing does, and shortcuts only reach the active window.
    view.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is view, timeout=2000)
    click_row(qtbot, view.rewards_table, 0)
    qtbot.keyClick(view.rewards_table, Qt.Key.Key_Delete)
    box = view.confirm_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    confirm = next(b for b in box.findChildren(QPushButton) if b.text() == "Remove")
    click(qtbot, confirm)
    run(context.tasks.drain())
    assert rewards_in_db(core, run, martins) == {}
    assert view.rewards_stack.currentWidget() is view.no_rewards
    assert "add the first one" in view.no_rewards.text()


# --- asking, approving, rejecting -------------------------------------------------------------------


def test_a_child_with_too_few_points_is_told_how_many_are_missing(
    view: RewardsView, context: AppContext, core: AppCore, martins: Family, qtbot: Any, run: Any
) -> None:
    act_as(context, martins.child, run)
    # A child asks only for itself.
    assert view.ask_member.count() == 1
    assert view.ask_member.currentData() == martins.child.user_id
    assert not view.ask_member.isEnabled()
    pick(view.ask_reward, "New book")
    click(qtbot, view.ask_button)
    run(context.tasks.drain())

    assert view.ask_error.isVisible()
    text = view.ask_error.text()
    assert text.startswith("Not enough points for “New book”: it costs 80 points")
    assert text.endswith("80 points missing.")
    assert run(core.points.list_redemptions(ADMIN, martins.family.id)) == []


def test_child_asks_then_a_parent_approves_and_the_balance_drops(
    view: RewardsView, context: AppContext, core: AppCore, martins: Family, qtbot: Any, run: Any
) -> None:
    run(core.points.award(ADMIN, martins.family.id, martins.child.user_id, 100, "Good week"))
    act_as(context, martins.child, run)
    assert card_of(view, martins.child).amount.text() == "100"

    pick(view.ask_reward, "New book")
    click(qtbot, view.ask_button)
    run(context.tasks.drain())
    assert not view.ask_error.isVisible()
    assert "it waits for a parent" in view.ask_status.text()
    (request,) = run(core.points.list_redemptions(ADMIN, martins.family.id))
    assert (request.status, request.cost) == (RedemptionStatus.REQUESTED, 80)
    # Held, not spent yet.
    assert card_of(view, martins.child).detail.text() == "20 available · 80 held"
    # A child cannot decide on its own request.
    assert not view.approve_button.isEnabled()
    assert not view.reject_button.isEnabled()

    act_as(context, martins.parent, run)
    model = view.requests_model
    assert model.data(model.index(0, RequestColumn.STATUS)) == "Waiting"
    click_row(qtbot, view.requests_table, 0)
    click(qtbot, view.approve_button)
    run(context.tasks.drain())

    after = balance(core, run, martins, martins.child)
    assert (after.balance, after.held, after.available) == (20, 0, 20)
    (decided,) = run(core.points.list_redemptions(ADMIN, martins.family.id))
    assert decided.status is RedemptionStatus.APPROVED
    assert card_of(view, martins.child).amount.text() == "20"
    assert model.data(model.index(0, RequestColumn.STATUS)) == "Approved"
    ledger = view.ledger_model.lines
    assert (ledger[0].amount, ledger[0].reason) == (-80, "Reward: New book")


def test_a_request_without_a_note_shows_a_muted_dash_read_out_as_none(
    view: RewardsView, context: AppContext, core: AppCore, martins: Family, run: Any
) -> None:
    run(core.points.award(ADMIN, martins.family.id, martins.child.user_id, 100, "Good week"))
    run(core.points.request_reward(ADMIN, martins.book.id, martins.child.user_id))
    run(view.refresh())

    model = view.requests_model
    note = model.index(0, RequestColumn.NOTE)
    assert model.data(note) == "—"
    assert model.data(note, Qt.ItemDataRole.AccessibleTextRole) == "none"
    muted = QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
    assert model.data(note, Qt.ItemDataRole.ForegroundRole) == muted
    reward = model.index(0, RequestColumn.REWARD)
    assert model.data(reward, Qt.ItemDataRole.AccessibleTextRole) == "New book"
    assert model.data(reward, Qt.ItemDataRole.ForegroundRole) is None


def test_a_parent_asks_on_a_childs_behalf_and_rejects_with_a_reason(
    view: RewardsView, context: AppContext, core: AppCore, martins: Family, qtbot: Any, run: Any
) -> None:
    run(core.points.award(ADMIN, martins.family.id, martins.child.user_id, 100, "Good week"))
    run(view.refresh())
    assert view.ask_member.currentData() == martins.child.user_id  # the first child
    assert view.ask_member.isEnabled()
    pick(view.ask_reward, "New book")
    click(qtbot, view.ask_button)
    run(context.tasks.drain())

    click_row(qtbot, view.requests_table, 0)
    click(qtbot, view.reject_button)
    assert view.reject_panel.isVisible()
    assert view.focusWidget() is view.reject_reason
    qtbot.keyClicks(view.reject_reason, "Not before the holidays")
    qtbot.keyClick(view.reject_reason, Qt.Key.Key_Return)
    run(context.tasks.drain())

    (request,) = run(core.points.list_redemptions(ADMIN, martins.family.id))
    assert request.status is RedemptionStatus.REJECTED
    assert request.decision_note == "Not before the holidays"
    assert not view.reject_panel.isVisible()
    model = view.requests_model
    assert model.data(model.index(0, RequestColumn.STATUS)) == "Rejected"
    assert model.data(model.index(0, RequestColumn.NOTE)) == "Not before the holidays"
    assert "→" in model.data(model.index(0, RequestColumn.WHEN))
    # Rejected: the held points are free again.
    assert balance(core, run, martins, martins.child).available == 100


def test_escape_cancels_a_reject_and_nothing_changes(
    view: RewardsView, context: AppContext, core: AppCore, martins: Family, qtbot: Any, run: Any
) -> None:
    run(core.points.award(ADMIN, martins.family.id, martins.child.user_id, 100, "Good week"))
    run(core.points.request_reward(ADMIN, martins.book.id, martins.child.user_id))
    run(view.refresh())
    click_row(qtbot, view.requests_table, 0)
    click(qtbot, view.reject_button)
    qtbot.keyClicks(view.reject_reason, "Hmm")
    qtbot.keyClick(view.reject_reason, Qt.Key.Key_Escape)
    assert not view.reject_panel.isVisible()
    assert view.approve_button.isEnabled()
    (request,) = run(core.points.list_redemptions(ADMIN, martins.family.id))
    assert request.status is RedemptionStatus.REQUESTED


# --- who may do what ----------------------------------------------------------------------------


def test_a_viewer_reads_but_every_control_is_disabled(
    view: RewardsView, context: AppContext, core: AppCore, martins: Family, qtbot: Any, run: Any
) -> None:
    run(core.points.award(ADMIN, martins.family.id, martins.child.user_id, 100, "Good week"))
    run(core.points.request_reward(ADMIN, martins.book.id, martins.child.user_id))
    act_as(context, martins.viewer, run)
    click_row(qtbot, view.rewards_table, 0)
    click_row(qtbot, view.requests_table, 0)
    for button in (
        view.add_button,
        view.edit_button,
        view.toggle_button,
        view.remove_button,
        view.approve_button,
        view.reject_button,
        view.ask_button,
    ):
        assert not button.isEnabled(), button.accessibleName()
    assert not view.ask_member.isEnabled()
    assert view.read_only_note.isVisible()
    assert "viewer" in view.read_only_note.text()
    # Keys do nothing either.
    qtbot.keyClick(view.rewards_table, Qt.Key.Key_Return)
    qtbot.keyClick(view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert view.reward_dialog is None
    # The viewer still sees the points of every member who collects them.
    assert {c.member.full_name for c in view.balance_cards} == {
        "Claire Martin",
        "Paul Martin",
        "Léa Martin",
    }


def test_a_child_sees_only_its_own_points_and_requests(
    view: RewardsView, context: AppContext, core: AppCore, martins: Family, run: Any
) -> None:
    run(core.points.award(ADMIN, martins.family.id, martins.parent.user_id, 300, "Chores"))
    run(core.points.request_reward(ADMIN, martins.book.id, martins.parent.user_id))
    act_as(context, martins.child, run)
    assert [c.member.full_name for c in view.balance_cards] == ["Léa Martin"]
    assert view.requests_model.requests == []
    assert view.ledger_model.lines == []
    assert not view.add_button.isEnabled()


def test_the_member_filter_narrows_points_requests_and_ledger(
    view: RewardsView, context: AppContext, core: AppCore, martins: Family, run: Any
) -> None:
    run(core.points.award(ADMIN, martins.family.id, martins.child.user_id, 100, "Good week"))
    run(core.points.award(ADMIN, martins.family.id, martins.parent.user_id, 300, "Chores"))
    run(core.points.request_reward(ADMIN, martins.book.id, martins.parent.user_id))
    context.set_member_filter(martins.child.user_id)
    run(context.tasks.drain())
    assert [c.member.full_name for c in view.balance_cards] == ["Léa Martin"]
    assert view.requests_model.requests == []
    assert [line.reason for line in view.ledger_model.lines] == ["Good week"]
    assert view.ask_member.currentData() == martins.child.user_id
    assert view.ask_available.text() == "Léa has 100 points available"


def test_points_earned_on_another_screen_show_up_here(
    view: RewardsView, context: AppContext, martins: Family, run: Any
) -> None:
    assert card_of(view, martins.child).amount.text() == "0"
    # Another screen awards points through the task bridge: Rewards listens for POINTS.
    assert context.core is not None
    run(
        context.tasks.write(
            context.core.points.award(
                context.actor, martins.family.id, martins.child.user_id, 15, "Helped cook"
            )
        )
    )
    run(context.tasks.drain())
    assert card_of(view, martins.child).amount.text() == "15"
    assert view.ledger_model.lines[0].reason == "Helped cook"


# --- the ledger, paged --------------------------------------------------------------------------


def test_the_ledger_pages_in_as_the_table_is_scrolled_to_the_end(
    view: RewardsView, context: AppContext, core: AppCore, martins: Family, qtbot: Any, run: Any
) -> None:
    for n in range(1, 66):
        run(core.points.award(ADMIN, martins.family.id, martins.child.user_id, n, f"Star {n}"))
    run(view.refresh())
    model = view.ledger_model
    assert len(model.lines) == LedgerTableModel.PAGE
    assert model.lines[0].reason == "Star 65"  # newest first
    assert model.canFetchMore()

    view.ledger_table.setFocus()
    view.ledger_table.setCurrentIndex(model.index(0, 0))
    qtbot.keyClick(view.ledger_table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    QApplication.processEvents()
    run(context.tasks.drain())
    assert len(model.lines) == 65
    assert model.lines[-1].reason == "Star 1"
    assert not model.canFetchMore()
    assert len({line.id for line in model.lines}) == 65
    assert_columns_fit(view.ledger_table, LedgerColumn.REASON)


# --- a demo family: years of points -------------------------------------------------------------


@contextmanager
def statements_of(app_core: AppCore) -> Iterator[list[str]]:
    """Every SQL statement the app's core sends meanwhile (counting them, not querying)."""
    statements: list[str] = []

    def record(*args: Any) -> None:
        statements.append(args[2])

    engine = app_core._db.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def test_a_full_load_as_owner_takes_at_most_six_statements(
    db_url: str, core: AppCore, qtbot: Any, run: Any
) -> None:
    report = run(generate_demo(core._db, members=5, habits=3, routines=1, days=400, seed=5))
    family = run(core.families.get_family(report.family_id))
    members = run(core.families.list_members(ADMIN, family.id))
    app_core = AppCore.from_url(db_url)
    try:
        context = AppContext(app_core)
        context.set_family(family, members)
        assert context.acting is not None and context.acting.role is Role.OWNER
        view = RewardsView(context)
        qtbot.addWidget(view)
        view.resize(1100, 760)
        view.show()
        run(context.tasks.drain())

        with statements_of(app_core) as statements:
            run(view.refresh())
            run(context.tasks.drain())
        assert len(statements) <= 6

        # What it shows is what the one-at-a-time readers say.
        shown = [m for m in members if m.role is not Role.VIEWER]
        assert [c.member.user_id for c in view.balance_cards] == [m.user_id for m in shown]
        for card in view.balance_cards:
            assert card.balance == run(core.points.balance(ADMIN, family.id, card.member.user_id))
        requests = run(core.points.list_redemptions(ADMIN, family.id))
        assert requests and view.data is not None and view.data.requests == requests
        assert sorted(r.id for r in view.requests_model.requests) == sorted(r.id for r in requests)
        # Sized from a few rows, yet every row's text fits its column (none is cut short).
        assert_columns_fit(view.requests_table, RequestColumn.NOTE)
        assert_columns_fit(view.ledger_table, LedgerColumn.REASON)
        assert view.rewards_model.rewards == run(
            core.points.list_rewards(ADMIN, family.id, include_inactive=True)
        )
        assert view.ledger_model.lines == run(
            core.points.ledger(ADMIN, family.id, limit=LedgerTableModel.PAGE)
        )
    finally:
        run(context.tasks.drain())
        run(app_core.close())


# --- small and normal windows --------------------------------------------------------------------

LONG_REWARD = "A whole afternoon at the climbing hall with two friends, and pizza afterwards"


OpenWindow = Callable[[FamilyRead, list[MemberRead]], MainWindow]


@pytest.fixture
def open_rewards(db_url: str, qtbot: Any, run: Any) -> Iterator[OpenWindow]:
    """Opens the app's real window at 1280×800 on a family's Rewards screen, as its owner."""
    contexts: list[AppContext] = []

    def open_window(family: FamilyRead, members: list[MemberRead]) -> MainWindow:
        context = AppContext(AppCore.from_url(db_url))
        contexts.append(context)
        context.set_family(family, members)
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.resize(1280, 800)
        window.show()
        window.show_screen("rewards")
        run(context.tasks.drain())
        return window

    yield open_window
    for context in contexts:
        run(context.tasks.drain())
        assert context.core is not None
        run(context.core.close())


@pytest.fixture
def demo_window(core: AppCore, run: Any, open_rewards: OpenWindow) -> MainWindow:
    """The app's real window on a demo family (a year of requests and points), showing the
    Rewards screen as the owner."""
    report = run(generate_demo(core._db, members=5, habits=3, routines=1, days=400, seed=5))
    family = run(core.families.get_family(report.family_id))
    members = run(core.families.list_members(ADMIN, family.id))
    return open_rewards(family, members)


def rewards_at(window: MainWindow, width: int, height: int) -> RewardsView:
    """The Rewards screen once the window is `width`×`height` and its layouts have settled."""
    window.resize(width, height)
    for _ in range(3):
        QApplication.processEvents()
    assert window.size() == QSize(width, height)
    view = window.view("rewards")
    assert isinstance(view, RewardsView)
    return view


def whole_rows(table: QTableView) -> int:
    """How many rows the table shows whole."""
    model, area = table.model(), table.viewport().rect()
    return sum(
        area.contains(table.visualRect(model.index(row, 0))) for row in range(model.rowCount())
    )


def cut_short(combo: QComboBox) -> list[str]:
    """The items whose text the closed combo box cannot show whole."""
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    field = combo.style().subControlRect(
        QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, combo
    )
    metrics = combo.fontMetrics()
    cut = []
    for i in range(combo.count()):
        icon = combo.iconSize().width() + 4 if not combo.itemIcon(i).isNull() else 0
        if icon + metrics.horizontalAdvance(combo.itemText(i)) > field.width():
            cut.append(combo.itemText(i))
    return cut


def within(widget: QWidget, outer: QWidget) -> bool:
    """`widget` lies wholly inside `outer` (both shown)."""
    corner = widget.mapTo(outer, widget.rect().topLeft())
    return outer.rect().contains(QRect(corner, widget.size()))


def middle_of(widget: QWidget, outer: QWidget) -> int:
    """How far down `outer` the middle of `widget` is."""
    return widget.mapTo(outer, widget.rect().center()).y()


def tooltip_of(table: QTableView, row: int, column: int) -> str:
    """The tooltip a user sees resting the pointer on the cell."""
    QToolTip.hideText()
    cell = table.visualRect(table.model().index(row, column))
    hover = QHelpEvent(
        QEvent.Type.ToolTip, cell.center(), table.viewport().mapToGlobal(cell.center())
    )
    QApplication.sendEvent(table.viewport(), hover)
    text = QToolTip.text()
    QToolTip.hideText()
    return text


@pytest.mark.parametrize("size", [(960, 620), (1024, 700)])
def test_a_small_window_scrolls_the_page_and_keeps_every_table_readable(
    demo_window: MainWindow, core: AppCore, run: Any, size: tuple[int, int]
) -> None:
    context = demo_window.context
    family = context.family
    assert family is not None
    child = next(m for m in context.members if m.role is Role.CHILD)
    climbing = run(
        core.points.create_reward(ADMIN, family.id, {"name": LONG_REWARD, "cost": 50})
    ).value
    run(core.points.request_reward(ADMIN, climbing.id, child.user_id))
    view = rewards_at(demo_window, *size)
    run(view.refresh())
    run(context.tasks.drain())
    QApplication.processEvents()

    # The page scrolls up and down, never sideways, and scrolled to the end shows the last cards.
    page = view.scroll_area
    assert page.horizontalScrollBar().maximum() == 0
    assert page.verticalScrollBar().maximum() > 0
    page.verticalScrollBar().setValue(page.verticalScrollBar().maximum())
    QApplication.processEvents()
    for table in (view.rewards_table, view.ledger_table):
        assert within(table, page.viewport()), table.accessibleName()

    # No table is squeezed to a slot: three whole rows at least.
    for table in (view.requests_table, view.rewards_table, view.ledger_table):
        assert whole_rows(table) >= 3, (table.accessibleName(), whole_rows(table))

    # The requests fit the width: "When" holds the latest moment only, the long reward is cut
    # short (its tooltip tells it whole), and nothing scrolls sideways.
    requests = view.requests_table
    header = requests.horizontalHeader()
    assert requests.horizontalScrollBar().maximum() == 0
    assert header.length() <= requests.viewport().width()
    model = view.requests_model
    assert model.headerData(RequestColumn.WHEN, Qt.Orientation.Horizontal) == "When"
    zone = ZoneInfo(family.time_zone)
    decided = next(i for i, r in enumerate(model.requests) if r.decided_at is not None)
    request = model.requests[decided]
    when = model.index(decided, RequestColumn.WHEN)
    assert when.data() == moment_text(request.decided_at, zone)
    assert when.data(Qt.ItemDataRole.ToolTipRole).startswith("Requested ")
    row = next(i for i, r in enumerate(model.requests) if r.reward_name == LONG_REWARD)
    reward = model.index(row, RequestColumn.REWARD)
    assert requests.sizeHintForIndex(reward).width() > header.sectionSize(RequestColumn.REWARD)
    assert tooltip_of(requests, row, RequestColumn.REWARD) == LONG_REWARD

    # The points history shows each member by their avatar, so the reason keeps some room.
    ledger = view.ledger_table
    assert ledger.horizontalScrollBar().maximum() == 0
    assert view.ledger_model.headerData(LedgerColumn.MEMBER, Qt.Orientation.Horizontal) == "Who"
    line = view.ledger_model.lines[0]
    assert view.ledger_model.index(0, LedgerColumn.MEMBER).data() == ""
    assert tooltip_of(ledger, 0, LedgerColumn.MEMBER) == next(
        m.full_name for m in context.members if m.user_id == line.user_id
    )
    assert ledger.horizontalHeader().sectionSize(LedgerColumn.REASON) >= 100

    # "Ask for a reward" wraps onto a second line rather than squeezing its lists.
    card = view.requests_stack.parentWidget()
    button_top = view.ask_button.mapTo(card, view.ask_button.rect().topLeft()).y()
    assert button_top > view.ask_member.mapTo(card, view.ask_member.rect().bottomLeft()).y()
    for widget in (view.ask_member, view.ask_reward, view.ask_button, view.ask_available):
        assert within(widget, card), widget.accessibleName()
    # Every name shows whole (none is "Yuki 雪 Nov…") but the one too long for a line of the card.
    assert view.ask_member.count() >= 4
    assert cut_short(view.ask_member) == []
    assert [text.split("  ·  ")[0] for text in cut_short(view.ask_reward)] == [LONG_REWARD]


def test_at_1280_by_800_nothing_scrolls_and_every_text_shows_whole(
    demo_window: MainWindow,
) -> None:
    rewards_at(demo_window, 960, 620)
    view = rewards_at(demo_window, 1280, 800)  # back from a small window, as a user resizes
    page = view.scroll_area
    assert page.verticalScrollBar().maximum() == 0
    assert page.horizontalScrollBar().maximum() == 0
    for table in (view.requests_table, view.rewards_table, view.ledger_table):
        assert whole_rows(table) >= 3, (table.accessibleName(), whole_rows(table))
        assert table.horizontalScrollBar().maximum() == 0, table.accessibleName()
    # The long forms are back: both moments of a request, every member's name.
    header = view.requests_model.headerData(RequestColumn.WHEN, Qt.Orientation.Horizontal)
    assert header == "Requested → decided"
    assert view.ledger_model.index(0, LedgerColumn.MEMBER).data()
    assert_columns_fit(view.requests_table, RequestColumn.NOTE)
    assert_columns_fit(view.ledger_table, LedgerColumn.REASON)
    # "Ask for a reward" is one line, its lists showing their items whole.
    card = view.requests_stack.parentWidget()
    line = middle_of(view.ask_member, card)
    for widget in (view.ask_reward, view.ask_button, view.ask_available):
        assert abs(middle_of(widget, card) - line) <= 3, widget.accessibleName()
    for combo in (view.ask_member, view.ask_reward):
        assert cut_short(combo) == [], combo.accessibleName()


# --- the members' points in a large family --------------------------------------------------------

MORE_CHILDREN = (
    "Maximilian Oberhauser",
    "Noor Martin",
    "Ole Martin",
    "Zoë Martin",
    "Yuki Martin",
    "Mila Martin",
    "Sakura Martin",
)


def martins_with(
    core: AppCore, run: Any, martins: Family, children: tuple[str, ...]
) -> list[MemberRead]:
    """The Martins and more `children`: every member of the family afterwards."""
    for name in children:
        run(
            core.families.add_member(
                ADMIN, martins.family.id, {"user": {"full_name": name}, "role": Role.CHILD}
            )
        )
    members: list[MemberRead] = run(core.families.list_members(ADMIN, martins.family.id))
    return members


def card_rows(view: RewardsView) -> list[list[BalanceCard]]:
    """The balance cards as the user sees them: rows top to bottom, each left to right."""
    rows: dict[int, list[BalanceCard]] = {}
    for card in view.balance_cards:
        assert card.isVisible(), card.accessibleName()
        rows.setdefault(card.mapTo(view.page, QPoint(0, 0)).y(), []).append(card)
    return [sorted(rows[top], key=lambda card: card.x()) for top in sorted(rows)]


def assert_inside_the_width(view: RewardsView) -> None:
    """Every card lies within the screen's width: the page never scrolls sideways."""
    page = view.scroll_area
    assert page.horizontalScrollBar().maximum() == 0
    for card in view.balance_cards:
        left = card.mapTo(page.viewport(), QPoint(0, 0)).x()
        assert left >= 0, card.accessibleName()
        assert left + card.width() <= page.viewport().width(), card.accessibleName()


def assert_a_grid(rows: list[list[BalanceCard]]) -> None:
    """Equal columns, the same in every row; the cards of a row equally tall; each row below
    the one before it; every card at least as wide as its least width."""
    width = rows[0][0].width()
    lefts = [card.x() for card in rows[0]]
    for n, row in enumerate(rows):
        assert [card.x() for card in row] == lefts[: len(row)]
        assert {card.width() for card in row} == {width}
        assert len({card.height() for card in row}) == 1, [c.accessibleName() for c in row]
        if n:
            above = rows[n - 1][0]
            assert row[0].y() >= above.y() + above.height()
    assert width >= max(card.minimumSizeHint().width() for row in rows for card in row)


def test_a_large_family_s_points_wrap_into_balanced_rows_in_a_small_window(
    martins: Family, core: AppCore, run: Any, open_rewards: OpenWindow
) -> None:
    run(core.points.award(ADMIN, martins.family.id, martins.child.user_id, 300, "Chores"))
    run(core.points.request_reward(ADMIN, martins.book.id, martins.child.user_id))
    window = open_rewards(martins.family, martins_with(core, run, martins, MORE_CHILDREN))

    for size in ((960, 620), (1280, 800)):
        view = rewards_at(window, *size)
        assert len(view.balance_cards) == 10  # the viewer collects no points
        assert_inside_the_width(view)
        rows = card_rows(view)
        # Balanced: as few rows as the columns need, all full but the last, and no more
        # columns than that many rows need (ten in four columns: 4, 4, 2; never 4, 4, 1, 1).
        columns = len(rows[0])
        assert len(rows) > 1, size
        assert len(rows) == math.ceil(10 / columns)
        assert columns == math.ceil(10 / len(rows))
        assert [len(row) for row in rows[:-1]] == [columns] * (len(rows) - 1)
        assert [card for row in rows for card in row] == view.balance_cards  # family order
        assert_a_grid(rows)
        # Léa's points held by her request read in two lines at most, everyone else's in one.
        for card in view.balance_cards:
            detail = card.detail
            lines = detail.heightForWidth(detail.width()) // detail.fontMetrics().lineSpacing()
            assert lines <= (2 if card.member == martins.child else 1), (
                card.accessibleName(),
                lines,
            )
        assert card_of(view, martins.child).detail.text() == "220 available · 80 held"

    # In a wide window they fit in one row again.
    view = rewards_at(window, 1920, 1080)
    assert_inside_the_width(view)
    rows = card_rows(view)
    assert [len(row) for row in rows] == [10]
    assert rows[0] == view.balance_cards
    assert_a_grid(rows)


def test_six_members_keep_their_one_row_across_the_window_at_1280_by_800(
    martins: Family, core: AppCore, run: Any, open_rewards: OpenWindow
) -> None:
    window = open_rewards(martins.family, martins_with(core, run, martins, MORE_CHILDREN[:3]))
    rewards_at(window, 960, 620)
    view = rewards_at(window, 1280, 800)  # back from a small window, as a user resizes
    assert view.scroll_area.verticalScrollBar().maximum() == 0
    assert_inside_the_width(view)
    rows = card_rows(view)
    assert [len(row) for row in rows] == [6]
    assert_a_grid(rows)
    # The row spans the page: the columns share its width (up to a few px left by rounding).
    last = rows[0][-1]
    assert rows[0][0].x() == 0
    assert view.balances.width() - 6 < last.x() + last.width() <= view.balances.width()


def test_a_small_family_s_cards_keep_their_width_from_the_left(view: RewardsView) -> None:
    # Three cards in a wide screen: each as wide as a card may be, side by side from the left,
    # the rest of the row left empty (not three wide slots with a card centred in each).
    rows = card_rows(view)
    assert [len(row) for row in rows] == [3]
    card = rows[0][0]
    assert card.width() == card.maximumWidth() < view.balances.width() // 3
    assert [c.x() for c in rows[0]] == [0, card.width() + 10, 2 * (card.width() + 10)]
    assert_a_grid(rows)


def test_no_one_to_collect_points_says_so_instead_of_the_cards(
    view: RewardsView, context: AppContext, martins: Family, run: Any
) -> None:
    # Showing only the viewer, who collects no points: the screen says so.
    context.set_member_filter(martins.viewer.user_id)
    run(context.tasks.drain())
    assert view.balance_cards == []
    assert view.no_balances.isVisible()
    assert not view.balances.isVisible()

    context.set_member_filter(None)
    run(context.tasks.drain())
    assert [len(row) for row in card_rows(view)] == [3]
    assert not view.no_balances.isVisible()
