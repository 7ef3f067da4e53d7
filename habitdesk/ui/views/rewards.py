"""The Rewards screen (plain but usable): each member's points, the rewards they can ask for,
the requests waiting for a parent, and the points history.

- Owners and parents add, edit, switch off and remove rewards, approve or reject requests (with
  an optional reason the child sees), and ask for a reward on a child's behalf.
- A child acting asks for rewards for itself and sees its own points and requests.
- A viewer reads.
The services refuse what a role may not do anyway; the screen disables it first.

What it reads, in one task: `PointsService.overview` — every member's balance, the rewards, the
requests and the first ledger page in five statements, however many members and years of points
there are. The rest of the ledger is paged in as the table scrolls.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from PySide6.QtCore import QItemSelectionModel, QSize, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from habitdesk.core.changes import Kind
from habitdesk.core.enums import RedemptionStatus, Role
from habitdesk.core.schemas.people import MemberRead
from habitdesk.core.schemas.points import (
    PointsBalanceRead,
    PointsEntryRead,
    RedemptionRead,
    RewardRead,
)
from habitdesk.core.services.base import Actor
from habitdesk.ui.context import AppContext
from habitdesk.ui.dialogs.reward_dialog import RewardDialog
from habitdesk.ui.qtmodels.members_model import avatar_pixmap
from habitdesk.ui.qtmodels.rewards_model import (
    LedgerColumn,
    LedgerTableModel,
    RequestColumn,
    RequestsTableModel,
    RewardColumn,
    RewardsTableModel,
    points_text,
)
from habitdesk.ui.removal import Removal
from habitdesk.ui.views.base import View
from habitdesk.ui.widgets.actions import action_button, error_line, screen_key
from habitdesk.ui.widgets.balance_card import BalanceCard
from habitdesk.ui.widgets.flow_layout import ColumnsLayout, FlowLayout
from habitdesk.ui.widgets.labels import heading, muted_label
from habitdesk.ui.widgets.rows_table import ColumnPlan, RowsTable


@dataclass(frozen=True)
class RewardsData:
    generation: int
    actor: Actor
    family_id: UUID
    # Whose requests and ledger lines are shown (None: everyone's).
    member_filter: UUID | None
    balances: list[tuple[MemberRead, PointsBalanceRead]]
    rewards: list[RewardRead]
    requests: list[RedemptionRead]
    ledger: list[PointsEntryRead]


def _no_points(family_id: UUID, member: MemberRead) -> PointsBalanceRead:
    """A member the service did not list (removed from the family meanwhile): nothing to spend."""
    return PointsBalanceRead(
        family_id=family_id, user_id=member.user_id, balance=0, held=0, available=0
    )


def _card(name: str) -> tuple[QFrame, QVBoxLayout]:
    card = QFrame()
    card.setObjectName(name)
    card.setProperty("card", True)
    layout = QVBoxLayout(card)
    layout.setContentsMargins(16, 14, 16, 14)
    layout.setSpacing(8)
    return card, layout


def _find(combo: QComboBox, value: object) -> int:
    """The row holding `value` (QComboBox.findData cannot compare Python objects like UUIDs)."""
    return next((i for i in range(combo.count()) if combo.itemData(i) == value), -1)


def _labelled(text: str, combo: QComboBox, *, widest: int) -> QWidget:
    """`combo` after its label, kept together on one line of a flow; as wide as its longest
    item, up to `widest` px (a longer one is cut short)."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    combo.setMinimumContentsLength(8)
    combo.setMaximumWidth(widest)
    label = QLabel(text)
    label.setBuddy(combo)
    pair = QWidget()
    layout = QHBoxLayout(pair)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(6)
    layout.addWidget(label)
    layout.addWidget(combo)
    return pair


def _stack(table: QTableView, empty: QLabel) -> QStackedWidget:
    # The stack is at least as tall as its tallest page, the table: the card keeps its height
    # when the list empties.
    empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
    stack = QStackedWidget()
    stack.addWidget(table)
    stack.addWidget(empty)
    return stack


class RewardsView(View):
    screen_id = "rewards"
    title = "Rewards"
    watches = frozenset({Kind.POINTS, Kind.REWARDS, Kind.MEMBERS, Kind.FAMILIES})
    no_family_hint = "create one with the set-up wizard."

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self._generation = 0
        self.data: RewardsData | None = None
        self.reward_dialog: RewardDialog | None = None
        self.removal = Removal(self, on_error=self._show_rewards_error)
        self.balance_cards: list[BalanceCard] = []
        self._rejecting: RedemptionRead | None = None

        # The page scrolls when the least it needs (every table `MIN_ROWS` rows tall) is more
        # than the window has, and only then: see `RowsTable.sizeHint`.
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("rewardsScroll")
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.page = QWidget()
        self.page.setObjectName("rewardsPage")
        self.scroll_area.setWidget(self.page)
        self.page.setAutoFillBackground(False)  # setWidget switched it on
        self.scroll_area.viewport().setAutoFillBackground(False)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area)

        root = QVBoxLayout(self.page)
        root.setContentsMargins(28, 20, 28, 20)
        root.setSpacing(12)
        title = QLabel(self.title)
        title.setObjectName("screenTitle")
        root.addWidget(title)
        root.addWidget(
            muted_label(
                "Points earned by habits and routines, the rewards they buy, and the requests "
                "waiting for a parent."
            )
        )
        self.read_only_note = muted_label()
        self.read_only_note.setObjectName("readOnlyNote")
        self.read_only_note.setAccessibleName("Read-only note")
        self.read_only_note.hide()
        root.addWidget(self.read_only_note)

        self.no_balances = muted_label(
            "No one to collect points yet — add members on the Family screen."
        )
        root.addWidget(self.no_balances)
        # One row of cards where they fit; in a narrow window or a large family, balanced rows
        # of equal columns (never wider than the page: it would scroll sideways).
        self.balances = QWidget()
        self.balances.setObjectName("balances")
        self.balances.setAccessibleName("Points of each member")
        self.balances_layout = ColumnsLayout(self.balances, spacing=10)
        self.balances.hide()
        root.addWidget(self.balances)

        self.content = QWidget()
        content = QVBoxLayout(self.content)
        content.setContentsMargins(0, 4, 0, 0)
        content.setSpacing(16)
        content.addWidget(self._build_requests_card(), 1)
        columns = QHBoxLayout()
        columns.setSpacing(16)
        columns.addWidget(self._build_rewards_card(), 1)
        columns.addWidget(self._build_ledger_card(), 1)
        content.addLayout(columns, 1)
        root.addWidget(self.content, 1)

        self.no_family = muted_label()
        self.no_family.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.no_family.hide()
        root.addWidget(self.no_family, 1)

        context.actor_changed.connect(self._update_enabled)
        self._update_enabled()

    # --- building -----------------------------------------------------------------------------

    def _build_rewards_card(self) -> QWidget:
        card, layout = _card("rewardsCard")
        header = QHBoxLayout()
        header.addWidget(heading("Rewards"))
        header.addStretch(1)
        self.add_button = action_button(
            "&Add reward",
            "Add reward",
            self.add_reward,
            tip="Add a reward children can ask for (Ctrl+N)",
            primary=True,
        )
        header.addWidget(self.add_button)
        layout.addLayout(header)

        self.rewards_model = RewardsTableModel(self)
        self.rewards_table = RowsTable("Rewards")
        self.rewards_table.setObjectName("rewardsTable")
        self.rewards_table.setModel(self.rewards_model)
        rheader = self.rewards_table.horizontalHeader()
        rheader.setSectionResizeMode(RewardColumn.NAME, QHeaderView.ResizeMode.Stretch)
        rheader.setSectionResizeMode(RewardColumn.COST, QHeaderView.ResizeMode.ResizeToContents)
        rheader.setSectionResizeMode(RewardColumn.ACTIVE, QHeaderView.ResizeMode.ResizeToContents)
        self.rewards_table.activated.connect(lambda _index: self.edit_reward())
        self.rewards_table.selectionModel().selectionChanged.connect(self._update_enabled)
        self.no_rewards = muted_label()
        self.rewards_stack = _stack(self.rewards_table, self.no_rewards)
        layout.addWidget(self.rewards_stack, 1)

        buttons = QHBoxLayout()
        self.edit_button = action_button(
            "&Edit…", "Edit reward", self.edit_reward, tip="Edit the selected reward (Enter)"
        )
        self.toggle_button = action_button(
            "Swi&tch off",
            "Switch reward off",
            self.toggle_reward,
            tip="A reward switched off stays in the list, but nobody can ask for it",
        )
        self.remove_button = action_button(
            "Re&move…",
            "Remove reward",
            self.remove_reward,
            tip="Remove the selected reward (Delete)",
        )
        for button in (self.edit_button, self.toggle_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.rewards_error = error_line("Rewards error", selectable=True)
        layout.addWidget(self.rewards_error)

        screen_key(
            QKeySequence.StandardKey.New, self, self.add_reward, "Add a reward (Rewards screen)"
        )
        remove = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.rewards_table)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove.setWhatsThis("Remove the selected reward (Rewards screen)")
        remove.activated.connect(self.remove_reward)
        return card

    def _build_requests_card(self) -> QWidget:
        card, layout = _card("requestsCard")
        header = QHBoxLayout()
        header.addWidget(heading("Requests"))
        self.waiting_label = muted_label()
        self.waiting_label.setAccessibleName("Requests waiting")
        header.addWidget(self.waiting_label)
        header.addStretch(1)
        self.approve_button = action_button(
            "Appro&ve",
            "Approve request",
            self.approve_request,
            tip="Grant the selected request: its cost leaves the balance",
            primary=True,
        )
        self.reject_button = action_button(
            "&Reject…",
            "Reject request",
            self.start_reject,
            tip="Decline the selected request, with a reason if you like",
        )
        header.addWidget(self.reject_button)
        header.addWidget(self.approve_button)
        layout.addLayout(header)

        self.requests_model = RequestsTableModel(self)
        # In a narrow window "When" shows only the latest moment, then the note, the reward
        # and the member are cut short: the table never scrolls sideways at the app's 960 px.
        plan = ColumnPlan(
            stretched=RequestColumn.NOTE,
            floor=8,
            give_way=((RequestColumn.REWARD, 16), (RequestColumn.MEMBER, 12)),
        )
        self.requests_table = RowsTable("Reward requests", plan)
        self.requests_table.setObjectName("requestsTable")
        self.requests_table.setModel(self.requests_model)
        qheader = self.requests_table.horizontalHeader()
        # Measured from the few rows that bound each column (`RowsTable.measure`): "resize to
        # contents" formats every row on every refresh (≈150 ms for five years of requests).
        for column in RequestColumn:
            qheader.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        qheader.setSectionResizeMode(RequestColumn.NOTE, QHeaderView.ResizeMode.Stretch)
        self.requests_table.selectionModel().selectionChanged.connect(self._update_enabled)
        self.no_requests = muted_label()
        self.requests_stack = _stack(self.requests_table, self.no_requests)
        layout.addWidget(self.requests_stack, 1)

        self.reject_panel = QFrame()
        self.reject_panel.setObjectName("rejectPanel")
        reject_layout = QHBoxLayout(self.reject_panel)
        reject_layout.setContentsMargins(0, 0, 0, 0)
        reason_label = QLabel("Rea&son")
        self.reject_reason = QLineEdit()
        self.reject_reason.setAccessibleName("Reason for rejecting")
        self.reject_reason.setPlaceholderText("Optional — the child sees it")
        self.reject_reason.setMaxLength(200)
        self.reject_reason.returnPressed.connect(self.confirm_reject)
        reason_label.setBuddy(self.reject_reason)
        self.confirm_reject_button = action_button(
            "Reject request", "Confirm reject", self.confirm_reject
        )
        self.cancel_reject_button = action_button("Cancel", "Cancel reject", self.cancel_reject)
        reject_layout.addWidget(reason_label)
        reject_layout.addWidget(self.reject_reason, 1)
        reject_layout.addWidget(self.confirm_reject_button)
        reject_layout.addWidget(self.cancel_reject_button)
        screen_key(QKeySequence(Qt.Key.Key_Escape), self.reject_panel, self.cancel_reject)
        self.reject_panel.hide()
        layout.addWidget(self.reject_panel)
        self.requests_error = error_line("Requests error", selectable=True)
        layout.addWidget(self.requests_error)
        self._build_ask_section(layout)
        return card

    def _build_ask_section(self, layout: QVBoxLayout) -> None:
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Plain)
        line.setStyleSheet("color: palette(mid);")
        layout.addWidget(line)
        # A narrow window wraps the row onto a second line rather than squeezing its lists.
        row = FlowLayout(spacing=12)
        title = QLabel("Ask for a reward")
        title.setStyleSheet("font-weight: 600;")
        row.addWidget(title)
        self.ask_member = QComboBox()
        self.ask_member.setAccessibleName("Ask for member")
        self.ask_member.setToolTip("Who asks (Alt+F)")
        self.ask_member.setIconSize(QSize(20, 20))
        self.ask_member.currentIndexChanged.connect(self._ask_member_changed)
        row.addWidget(_labelled("&For", self.ask_member, widest=280))
        self.ask_reward = QComboBox()
        self.ask_reward.setAccessibleName("Reward to ask for")
        self.ask_reward.setToolTip("The reward to ask for (Alt+W)")
        self.ask_reward.currentIndexChanged.connect(self._clear_ask_messages)
        row.addWidget(_labelled("Re&ward", self.ask_reward, widest=400))
        self.ask_button = action_button(
            "Re&quest",
            "Request reward",
            self.request_reward,
            tip="Ask for the reward; a parent approves or rejects it (Alt+Q)",
            primary=True,
        )
        row.addWidget(self.ask_button)
        self.ask_available = muted_label(wrap=False)
        self.ask_available.setAccessibleName("Points available")
        row.addWidget(self.ask_available)
        layout.addLayout(row)
        self.ask_help = muted_label()
        self.ask_help.setAccessibleName("Ask for a reward help")
        layout.addWidget(self.ask_help)
        self.ask_error = error_line("Request error", selectable=True)
        layout.addWidget(self.ask_error)
        self.ask_status = QLabel()
        self.ask_status.setWordWrap(True)
        self.ask_status.setAccessibleName("Request status")
        self.ask_status.hide()
        layout.addWidget(self.ask_status)

    def _build_ledger_card(self) -> QWidget:
        card, layout = _card("ledgerCard")
        layout.addWidget(heading("Points history"))
        self.ledger_model = LedgerTableModel(self)
        plan = ColumnPlan(stretched=LedgerColumn.REASON, floor=16)
        self.ledger_table = RowsTable("Points history", plan)
        self.ledger_table.setObjectName("ledgerTable")
        self.ledger_table.setModel(self.ledger_model)
        lheader = self.ledger_table.horizontalHeader()
        # Measured as lines arrive (see the requests table).
        for column in (LedgerColumn.WHEN, LedgerColumn.MEMBER, LedgerColumn.AMOUNT):
            lheader.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        lheader.setSectionResizeMode(LedgerColumn.REASON, QHeaderView.ResizeMode.Stretch)
        self.ledger_model.rowsInserted.connect(
            lambda _parent, first, _last: self.ledger_table.measure(
                self.ledger_model.rows_to_measure(first), grow=True
            )
        )
        self.no_ledger = muted_label()
        self.ledger_stack = _stack(self.ledger_table, self.no_ledger)
        layout.addWidget(self.ledger_stack, 1)
        return card

    # --- who may do what ----------------------------------------------------------------------

    def _role(self) -> Role | None:
        acting = self.context.acting
        return acting.role if acting is not None else None

    def _may_edit(self) -> bool:
        return self.context.can_edit

    def _is_child(self) -> bool:
        return self._role() is Role.CHILD

    def _askers(self) -> list[MemberRead]:
        """Whom the acting member may ask a reward for."""
        role = self._role()
        acting = self.context.acting
        if role is Role.CHILD and acting is not None:
            return [acting]
        if role is Role.VIEWER:
            return []
        return [m for m in self.context.members if m.role is not Role.VIEWER]

    def _update_enabled(self) -> None:
        may_edit = self._may_edit()
        reward = self.selected_reward()
        has_family = self.data is not None
        self.add_button.setEnabled(may_edit and has_family)
        self.edit_button.setEnabled(may_edit and reward is not None)
        self.toggle_button.setEnabled(may_edit and reward is not None)
        self.remove_button.setEnabled(may_edit and reward is not None)
        if reward is not None and not reward.active:
            self.toggle_button.setText("Swi&tch on")
            self.toggle_button.setAccessibleName("Switch reward on")
        else:
            self.toggle_button.setText("Swi&tch off")
            self.toggle_button.setAccessibleName("Switch reward off")
        request = self.selected_request()
        pending = request is not None and request.status is RedemptionStatus.REQUESTED
        self.approve_button.setEnabled(may_edit and pending and self._rejecting is None)
        self.reject_button.setEnabled(may_edit and pending and self._rejecting is None)
        askers = self._askers()
        can_ask = has_family and bool(askers) and self.ask_reward.count() > 0
        self.ask_member.setEnabled(has_family and len(askers) > 1)
        self.ask_reward.setEnabled(can_ask)
        self.ask_button.setEnabled(can_ask and self.ask_reward.currentData() is not None)

        role = self._role()
        if role is Role.VIEWER:
            note = "You are looking as a viewer: you can see points and rewards, not change them."
        elif role is Role.CHILD:
            note = (
                "You can ask for rewards for yourself; a parent sets up the rewards and decides "
                "on requests."
            )
        else:
            note = ""
        self.read_only_note.setText(note)
        self.read_only_note.setVisible(bool(note))
        if role is Role.VIEWER:
            self.ask_help.setText("Viewers only look; a child or a parent asks for rewards.")
        elif role is Role.CHILD:
            self.ask_help.setText("Pick a reward; a parent approves it and the points are spent.")
        else:
            self.ask_help.setText("")
        self.ask_help.setVisible(bool(self.ask_help.text()))

    # --- loading ------------------------------------------------------------------------------

    def refresh(self) -> Any:
        self._generation += 1
        return super().refresh()

    def load(self) -> Coroutine[Any, Any, RewardsData]:
        # Whose data to show is taken now, not when the task starts: a later change wins.
        context = self.context
        acting = context.acting
        child = acting is not None and acting.role is Role.CHILD
        if child and acting is not None:
            # A child sees only its own points and requests (the service insists too).
            members = [acting]
            member_filter: UUID | None = acting.user_id
        else:
            members = [m for m in context.visible_members() if m.role is not Role.VIEWER]
            member_filter = context.member_filter
        family = context.family
        assert family is not None
        return self._load(self._generation, context.actor, family.id, members, member_filter)

    async def _load(
        self,
        generation: int,
        actor: Actor,
        family_id: UUID,
        members: list[MemberRead],
        member_filter: UUID | None,
    ) -> RewardsData:
        core = self.context.core
        assert core is not None
        overview = await core.points.overview(
            actor, family_id, member_filter, ledger_limit=LedgerTableModel.PAGE
        )
        found = {b.user_id: b for b in overview.balances}
        balances = [(m, found.get(m.user_id) or _no_points(family_id, m)) for m in members]
        return RewardsData(
            generation=generation,
            actor=actor,
            family_id=family_id,
            member_filter=member_filter,
            balances=balances,
            rewards=overview.rewards,
            requests=overview.requests,
            ledger=overview.ledger,
        )

    def _zone(self) -> ZoneInfo | None:
        family = self.context.family
        try:
            return ZoneInfo(family.time_zone) if family is not None else None
        except (KeyError, ValueError):
            return None

    def apply(self, data: RewardsData) -> None:
        if data.generation != self._generation:
            return  # a newer load was asked for meanwhile
        keep_reward = self.selected_reward()
        keep_request = self.selected_request()
        self.data = data
        self.content.show()
        self.no_family.hide()
        zone = self._zone()
        self._show_balances(data.balances)

        self.rewards_model.set_rewards(data.rewards)
        self.rewards_stack.setCurrentIndex(0 if data.rewards else 1)
        self.no_rewards.setText(
            "No rewards yet — add the first one with “Add reward”."
            if self._may_edit()
            else "No rewards yet — a parent adds them here."
        )
        self._reselect(
            self.rewards_table, self.rewards_model.row_of(keep_reward.id) if keep_reward else -1
        )

        self.requests_model.set_requests(data.requests, self.context.members, zone)
        self.requests_table.measure(self.requests_model.rows_to_measure())
        self.requests_stack.setCurrentIndex(0 if data.requests else 1)
        self.no_requests.setText(
            "No requests yet — when someone asks for a reward, it waits here for a parent."
        )
        waiting = sum(1 for r in data.requests if r.status is RedemptionStatus.REQUESTED)
        self.waiting_label.setText(f"{waiting} waiting" if waiting else "none waiting")
        self._reselect(
            self.requests_table,
            self.requests_model.row_of(keep_request.id) if keep_request else -1,
        )
        if self._rejecting is not None and self.requests_model.row_of(self._rejecting.id) < 0:
            self.cancel_reject()

        self.ledger_model.reset(
            data.ledger,
            self.context.members,
            zone,
            self._ledger_fetcher(data.actor, data.family_id, data.member_filter),
        )
        self.ledger_table.measure(self.ledger_model.rows_to_measure())
        self.ledger_stack.setCurrentIndex(0 if data.ledger else 1)
        self.no_ledger.setText(
            "No points yet — they arrive as habits and routine steps with points are checked off."
        )
        self._fill_ask(data)
        self._update_enabled()

    def show_empty(self) -> None:
        self.data = None
        self._show_balances([])
        self.rewards_model.set_rewards([])
        self.requests_model.set_requests([], [], None)
        self.ledger_model.reset([], [], None, None)
        self.content.hide()
        self.no_family.setText(self.absence().text)
        self.no_family.show()
        self._update_enabled()

    def show_error(self, message: str) -> None:
        self.requests_error.setText(message)
        self.requests_error.show()
        super().show_error(message)

    def _show_balances(self, balances: list[tuple[MemberRead, PointsBalanceRead]]) -> None:
        if [c.member for c in self.balance_cards] == [m for m, _ in balances]:
            for card, (_member, balance) in zip(self.balance_cards, balances, strict=True):
                card.show_balance(balance)
            self.no_balances.setVisible(not balances and self.data is not None)
            return
        for card in self.balance_cards:
            self.balances_layout.removeWidget(card)
            card.deleteLater()
        self.balance_cards = []
        for member, balance in balances:
            card = BalanceCard(member, balance)
            self.balances_layout.addWidget(card)
            self.balance_cards.append(card)
        self.balances.setVisible(bool(balances))
        self.no_balances.setVisible(not balances and self.data is not None)

    @staticmethod
    def _reselect(table: QTableView, row: int) -> None:
        model = table.model()
        if model.rowCount() == 0:
            return
        row = row if row >= 0 else 0
        table.selectionModel().setCurrentIndex(
            model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )

    def _ledger_fetcher(
        self, actor: Actor, family_id: UUID, member_filter: UUID | None
    ) -> Callable[[int, int, Callable[[list[PointsEntryRead]], None]], Any]:
        def fetch(offset: int, limit: int, on_done: Callable[[list[PointsEntryRead]], None]) -> Any:
            core = self.context.core
            if core is None:
                return None

            def failed(message: str) -> None:
                self.ledger_model.fetch_failed()
                View.show_error(self, message)

            return self.context.tasks.read(
                core.points.ledger(actor, family_id, member_filter, limit=limit, offset=offset),
                on_done,
                on_error=failed,
                origin=self,
            )

        return fetch

    # --- the "ask for a reward" panel -----------------------------------------------------------

    def _fill_ask(self, data: RewardsData) -> None:
        wanted_member = self.ask_member.currentData()
        wanted_reward = self.ask_reward.currentData()
        askers = self._askers()
        self.ask_member.blockSignals(True)
        self.ask_reward.blockSignals(True)
        try:
            self.ask_member.clear()
            for member in askers:
                icon = avatar_pixmap(member.colour, member.avatar_emoji, member.full_name, 20)
                self.ask_member.addItem(icon, member.full_name, member.user_id)
            if wanted_member is None:
                # The member shown in the header, else the first child.
                wanted_member = self.context.member_filter or next(
                    (m.user_id for m in askers if m.role is Role.CHILD), None
                )
            self.ask_member.setPlaceholderText("No one")
            self.ask_member.setCurrentIndex(
                max(0, _find(self.ask_member, wanted_member)) if askers else -1
            )
            self.ask_reward.clear()
            for reward in (r for r in data.rewards if r.active):
                self.ask_reward.addItem(
                    f"{reward.name}  ·  {points_text(reward.cost)} points", reward.id
                )
            if self.ask_reward.count() == 0:
                self.ask_reward.setPlaceholderText("No rewards to ask for yet")
            self.ask_reward.setCurrentIndex(
                max(0, _find(self.ask_reward, wanted_reward)) if self.ask_reward.count() else -1
            )
        finally:
            self.ask_member.blockSignals(False)
            self.ask_reward.blockSignals(False)
        self._show_available()

    def _ask_member_changed(self) -> None:
        self._clear_ask_messages()
        self._show_available()

    def _show_available(self) -> None:
        user_id = self.ask_member.currentData()
        balance = next(
            (b for m, b in (self.data.balances if self.data else []) if m.user_id == user_id),
            None,
        )
        if balance is None:
            self.ask_available.clear()
            return
        name = self.ask_member.currentText().split()[0] if self.ask_member.currentText() else ""
        self.ask_available.setText(f"{name} has {points_text(balance.available)} points available")

    def _clear_ask_messages(self) -> None:
        self.ask_error.hide()
        self.ask_status.hide()
        self._update_enabled()

    def request_reward(self) -> Any:
        core = self.context.core
        reward_id = self.ask_reward.currentData()
        user_id = self.ask_member.currentData()
        if core is None or not isinstance(reward_id, UUID) or not isinstance(user_id, UUID):
            return None
        if not self.ask_button.isEnabled():
            return None
        self.ask_error.hide()
        self.ask_status.hide()
        self.ask_button.setEnabled(False)

        def done(result: Any) -> None:
            request: RedemptionRead = result.value
            self.ask_status.setText(
                f"✓ Asked for “{request.reward_name}” for {request.member_name} — "
                "it waits for a parent now."
            )
            self.ask_status.show()
            self._update_enabled()

        def failed(message: str) -> None:
            self.ask_error.setText(message)
            self.ask_error.show()
            self._update_enabled()

        return self.context.tasks.write(
            core.points.request_reward(self.context.actor, reward_id, user_id),
            on_done=done,
            on_error=failed,
            origin=self,
        )

    # --- rewards --------------------------------------------------------------------------------

    def selected_reward(self) -> RewardRead | None:
        rows = self.rewards_table.selectionModel().selectedRows()
        return self.rewards_model.reward_at(rows[0].row()) if rows else None

    def add_reward(self) -> None:
        if not self._may_edit() or self.data is None or self.reward_dialog is not None:
            return
        self._open_dialog(RewardDialog(self))

    def edit_reward(self) -> None:
        reward = self.selected_reward()
        if reward is None or not self._may_edit() or self.reward_dialog is not None:
            return
        self._open_dialog(RewardDialog(self, reward=reward))

    def _open_dialog(self, dialog: RewardDialog) -> None:
        self._show_rewards_error("")
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.submitted.connect(lambda values: self._save_reward(dialog, values))
        dialog.finished.connect(lambda _result: self._dialog_closed(dialog))
        self.reward_dialog = dialog
        dialog.open()

    def _dialog_closed(self, dialog: RewardDialog) -> None:
        if self.reward_dialog is dialog:
            self.reward_dialog = None
            self.rewards_table.setFocus()

    def _save_reward(self, dialog: RewardDialog, values: dict[str, Any]) -> Any:
        core, data = self.context.core, self.data
        if core is None or data is None:
            dialog.show_errors("Not connected to a family.")
            return None
        actor = self.context.actor
        editing = dialog.reward
        if editing is None:
            work = core.points.create_reward(actor, data.family_id, values)
        else:
            work = core.points.update_reward(
                actor, editing.id, {**values, "expected_version": editing.version}
            )

        def done(result: Any) -> None:
            dialog.finish_saving()
            verb = "Added" if editing is None else "Saved"
            self._flash(f"{verb} “{result.value.name}”.")

        return self.context.tasks.write(
            work, on_done=done, on_error=dialog.show_errors, origin=self
        )

    def toggle_reward(self) -> Any:
        reward = self.selected_reward()
        core = self.context.core
        if reward is None or core is None or not self._may_edit():
            return None
        self._show_rewards_error("")
        actor = self.context.actor
        if reward.active:
            work = core.points.deactivate_reward(actor, reward.id, reward.version)
            message = f"“{reward.name}” is switched off: nobody can ask for it now."
        else:
            work = core.points.reactivate_reward(actor, reward.id, reward.version)
            message = f"“{reward.name}” can be asked for again."
        return self.context.tasks.write(
            work,
            on_done=lambda _result: self._flash(message),
            on_error=self._show_rewards_error,
            origin=self,
        )

    @property
    def confirm_box(self) -> QMessageBox | None:
        """The "Remove …?" box while it is open."""
        return self.removal.box

    def remove_reward(self) -> QMessageBox | None:
        reward = self.selected_reward()
        if reward is None or not self._may_edit():
            return None
        self._show_rewards_error("")
        return self.removal.ask(
            title="Remove reward",
            text=f"Remove “{reward.name}”?",
            details="It disappears from the list. Requests already made keep it, and waiting "
            "ones can still be decided. To hide it for a while instead, switch it off.",
            remove=lambda core: core.points.remove_reward(
                self.context.actor, reward.id, reward.version
            ),
            done=f"Removed “{reward.name}”.",
        )

    def _show_rewards_error(self, message: str) -> None:
        self.rewards_error.setText(message)
        self.rewards_error.setVisible(bool(message))

    # --- requests -------------------------------------------------------------------------------

    def selected_request(self) -> RedemptionRead | None:
        rows = self.requests_table.selectionModel().selectedRows()
        return self.requests_model.request_at(rows[0].row()) if rows else None

    def approve_request(self) -> Any:
        request = self.selected_request()
        core = self.context.core
        if request is None or core is None or not self.approve_button.isEnabled():
            return None
        self._show_requests_error("")
        return self.context.tasks.write(
            core.points.approve_redemption(self.context.actor, request.id),
            on_done=lambda _result: self._flash(
                f"Approved “{request.reward_name}” for {request.member_name}: "
                f"{points_text(request.cost)} points spent."
            ),
            on_error=self._show_requests_error,
            origin=self,
        )

    def start_reject(self) -> None:
        request = self.selected_request()
        if request is None or not self.reject_button.isEnabled():
            return
        self._show_requests_error("")
        self._rejecting = request
        self.reject_reason.clear()
        self.confirm_reject_button.setText(f"Reject “{request.reward_name}”")
        self.reject_panel.show()
        self.reject_reason.setFocus()
        self._update_enabled()

    def cancel_reject(self) -> None:
        was_open = self._rejecting is not None
        self._rejecting = None
        self.reject_panel.hide()
        self._update_enabled()
        if was_open:
            self.requests_table.setFocus()

    def confirm_reject(self) -> Any:
        request = self._rejecting
        core = self.context.core
        if request is None or core is None or not self._may_edit():
            return None
        reason = self.reject_reason.text().strip() or None

        def done(_result: Any) -> None:
            self.cancel_reject()
            self._flash(f"Rejected “{request.reward_name}” for {request.member_name}.")

        return self.context.tasks.write(
            core.points.reject_redemption(self.context.actor, request.id, reason),
            on_done=done,
            on_error=self._show_requests_error,
            origin=self,
        )

    def _show_requests_error(self, message: str) -> None:
        self.requests_error.setText(message)
        self.requests_error.setVisible(bool(message))
