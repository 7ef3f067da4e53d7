"""Table models of the Rewards screen: the rewards, the requests to redeem them, and the points
ledger (paged through the service as the table scrolls).

All of them hold service read-models only; `data()` formats what is held and never waits.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from enum import IntEnum
from typing import Any, ClassVar
from uuid import UUID
from zoneinfo import ZoneInfo

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QFont, QIcon
from PySide6.QtWidgets import QApplication

from habitdesk.core.enums import PointsSource, RedemptionStatus
from habitdesk.core.schemas.people import MemberRead
from habitdesk.core.schemas.points import PointsEntryRead, RedemptionRead, RewardRead
from habitdesk.ui.qtmodels.cells import muted, muted_if_missing, spoken
from habitdesk.ui.qtmodels.members_model import avatar_pixmap
from habitdesk.ui.qtmodels.table_base import LEFT, RIGHT, Index, ShortFormTableModel, TableModel
from habitdesk.ui.theme import is_dark

ItemRole = Qt.ItemDataRole.UserRole + 1

POSITIVE = {"light": "#23834F", "dark": "#6FD39B"}
NEGATIVE = {"light": "#B3261E", "dark": "#FF9C9C"}
PENDING = {"light": "#9A6200", "dark": "#FFC766"}

STATUS_TEXT = {
    RedemptionStatus.REQUESTED: "Waiting",
    RedemptionStatus.APPROVED: "Approved",
    RedemptionStatus.REJECTED: "Rejected",
}
SOURCE_TEXT = {
    PointsSource.HABIT: "Habit",
    PointsSource.ROUTINE: "Routine",
    PointsSource.REWARD: "Reward",
    PointsSource.MANUAL: "By hand",
}


def points_text(n: int, *, signed: bool = False) -> str:
    sign = "+" if signed and n > 0 else ""
    return f"{sign}{n:,}".replace(",", " ")


def _tone(colours: Mapping[str, str]) -> QColor:
    return QColor(colours["dark" if is_dark() else "light"])


def moment_text(moment: datetime | None, zone: ZoneInfo | None, *, year: bool = False) -> str:
    """ "3 Aug 18:20" in the family's time zone ("3 Aug 2025 18:20" for another year)."""
    if moment is None:
        return "—"
    local = moment.astimezone(zone) if zone is not None else moment
    if year or local.year != datetime.now(local.tzinfo).year:
        return f"{local.day} {local:%b %Y %H:%M}"
    return f"{local.day} {local:%b %H:%M}"


def moment_form(moment: datetime | None, zone: ZoneInfo | None, this_year: int) -> object:
    """What decides the width of `moment_text`: the month, whether the year shows, and one or
    two digits of day (digits are equally wide)."""
    if moment is None:
        return None
    local = moment.astimezone(zone) if zone is not None else moment
    return (local.month, local.year != this_year, local.day >= 10)


def _member_icon(member: MemberRead | None) -> QIcon | None:
    if member is None:
        return None
    return QIcon(avatar_pixmap(member.colour, member.avatar_emoji, member.full_name, 22))


def _bold() -> QFont:
    font = QFont(QApplication.font())
    font.setBold(True)
    return font


def _left_but(columns: type[IntEnum], number: int) -> dict[int, Qt.AlignmentFlag]:
    """An `ALIGNMENT` with every column left-aligned, its header too (these tables' headers
    stand over the start of their text, not centred), but the `number` column's: right."""
    return {column: RIGHT if column == number else LEFT for column in columns}


# --- rewards ------------------------------------------------------------------------------------


class RewardColumn(IntEnum):
    NAME = 0
    COST = 1
    ACTIVE = 2


class RewardsTableModel(TableModel[RewardRead]):
    HEADERS = ("Reward", "Cost", "Available")
    ALIGNMENT: ClassVar[Mapping[int, Qt.AlignmentFlag]] = _left_but(RewardColumn, RewardColumn.COST)

    def set_rewards(self, rewards: Sequence[RewardRead]) -> None:
        self._set_rows(rewards)

    @property
    def rewards(self) -> list[RewardRead]:
        return self.rows

    def reward_at(self, row: int) -> RewardRead | None:
        return self.row_at(row)

    def row_of(self, reward_id: UUID) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == reward_id), -1)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        reward = self.row_at(index.row()) if index.isValid() else None
        if reward is None:
            return None
        column = index.column()
        if role == ItemRole:
            return reward
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == RewardColumn.NAME:
                return reward.name
            if column == RewardColumn.COST:
                return f"{points_text(reward.cost)} pts"
            return "Yes" if reward.active else "Switched off"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.ALIGNMENT[column]
        if role == Qt.ItemDataRole.ForegroundRole and not reward.active:
            return muted()
        if role == Qt.ItemDataRole.ToolTipRole and not reward.active:
            return "Switched off: nobody can ask for it until a parent switches it back on"
        return None


# --- requests -----------------------------------------------------------------------------------


class RequestColumn(IntEnum):
    MEMBER = 0
    REWARD = 1
    COST = 2
    STATUS = 3
    WHEN = 4
    NOTE = 5


# In this order: `RequestsTableModel.rows_to_measure` fills them so.
_SIZED_REQUEST_COLUMNS = (
    RequestColumn.MEMBER,
    RequestColumn.REWARD,
    RequestColumn.COST,
    RequestColumn.STATUS,
    RequestColumn.WHEN,
)


class RequestsTableModel(ShortFormTableModel[RedemptionRead]):
    HEADERS = ("Member", "Reward", "Cost", "Status", "Requested → decided", "Note")
    ALIGNMENT: ClassVar[Mapping[int, Qt.AlignmentFlag]] = _left_but(
        RequestColumn, RequestColumn.COST
    )
    # Short, "When" holds only the latest moment: the request's while it waits, the decision's
    # after (the Status beside it says which); its tooltip keeps both, with the year.
    SHORT_HEADERS: ClassVar[Mapping[int, str]] = {RequestColumn.WHEN: "When"}

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._members: dict[UUID, MemberRead] = {}
        self._zone: ZoneInfo | None = None

    def set_requests(
        self,
        requests: Sequence[RedemptionRead],
        members: Sequence[MemberRead],
        zone: ZoneInfo | None,
    ) -> None:
        """Waiting requests first (oldest first: first come, first served), then the decided
        ones, newest first."""
        waiting = sorted(
            (r for r in requests if r.status is RedemptionStatus.REQUESTED),
            key=lambda r: r.requested_at,
        )
        decided = sorted(
            (r for r in requests if r.status is not RedemptionStatus.REQUESTED),
            key=lambda r: r.decided_at or r.requested_at,
            reverse=True,
        )
        self.beginResetModel()
        self._rows = waiting + decided
        self._members = {m.user_id: m for m in members}
        self._zone = zone
        self.endResetModel()

    @property
    def requests(self) -> list[RedemptionRead]:
        return self.rows

    def request_at(self, row: int) -> RedemptionRead | None:
        return self.row_at(row)

    def row_of(self, redemption_id: UUID) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == redemption_id), -1)

    def rows_to_measure(self) -> dict[int, list[int]]:
        """For each column sized to its contents, rows that between them hold every form of
        text it shows: measuring these, not every one of years of requests, finds its width.
        Names, rewards, costs and statuses repeat, so each distinct one counts once; dates go by
        `moment_form` (the pairs hold every form of the short "When" too: it shows one of the
        pair). One pass over the requests."""
        this_year = datetime.now(self._zone).year
        zone = self._zone
        forms: dict[int, dict[object, int]] = {column: {} for column in _SIZED_REQUEST_COLUMNS}
        members, rewards, costs, statuses, moments = forms.values()
        for row, request in enumerate(self._rows):
            members.setdefault(request.user_id, row)
            rewards.setdefault(request.reward_name, row)
            costs.setdefault(request.cost, row)
            statuses.setdefault(request.status, row)
            moments.setdefault(
                (
                    moment_form(request.requested_at, zone, this_year),
                    moment_form(request.decided_at, zone, this_year),
                ),
                row,
            )
        return {column: list(rows.values()) for column, rows in forms.items()}

    def _text(self, request: RedemptionRead, column: int, *, short: bool = False) -> str:
        if column == RequestColumn.MEMBER:
            return request.member_name
        if column == RequestColumn.REWARD:
            return request.reward_name
        if column == RequestColumn.COST:
            return f"{points_text(request.cost)} pts"
        if column == RequestColumn.STATUS:
            return STATUS_TEXT[request.status]
        if column == RequestColumn.WHEN:
            if short:
                return moment_text(request.decided_at or request.requested_at, self._zone)
            asked = moment_text(request.requested_at, self._zone)
            if request.decided_at is None:
                return asked
            return f"{asked}  →  {moment_text(request.decided_at, self._zone)}"
        return request.decision_note or "—"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        request = self.row_at(index.row()) if index.isValid() else None
        if request is None:
            return None
        column = index.column()
        if role == ItemRole:
            return request
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(request, column, short=self._short)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return spoken(self._text(request, column))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.ALIGNMENT[column]
        if role == Qt.ItemDataRole.DecorationRole and column == RequestColumn.MEMBER:
            return _member_icon(self._members.get(request.user_id))
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == RequestColumn.STATUS:
                return _tone(
                    {
                        RedemptionStatus.REQUESTED: PENDING,
                        RedemptionStatus.APPROVED: POSITIVE,
                        RedemptionStatus.REJECTED: NEGATIVE,
                    }[request.status]
                )
            return muted_if_missing(self._text(request, column))
        if role == Qt.ItemDataRole.FontRole and (
            column == RequestColumn.STATUS and request.status is RedemptionStatus.REQUESTED
        ):
            return _bold()
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == RequestColumn.NOTE:
                return request.decision_note
            if column == RequestColumn.WHEN:
                asked = moment_text(request.requested_at, self._zone, year=True)
                if request.decided_at is None:
                    return f"Requested {asked}; waiting for a parent"
                decided = moment_text(request.decided_at, self._zone, year=True)
                return f"Requested {asked}; {STATUS_TEXT[request.status].lower()} {decided}"
        return None


# --- the ledger, paged --------------------------------------------------------------------------


class LedgerColumn(IntEnum):
    WHEN = 0
    MEMBER = 1
    AMOUNT = 2
    REASON = 3


# fetch(offset, limit, on_done) starts reading one page (through the task bridge) and calls
# on_done(lines) when it arrives; it returns the task, or None when it cannot start.
PageFetcher = Callable[[int, int, Callable[[list[PointsEntryRead]], None]], Any]


class LedgerTableModel(ShortFormTableModel[PointsEntryRead]):
    """Ledger lines, newest first. The screen loads the first page with its other data; the
    table asks for more (`canFetchMore` / `fetchMore`) as it is scrolled to the end."""

    HEADERS = ("When", "Member", "Points", "Reason")
    ALIGNMENT: ClassVar[Mapping[int, Qt.AlignmentFlag]] = _left_but(
        LedgerColumn, LedgerColumn.AMOUNT
    )
    # Short, a member is their avatar alone (the name in its tooltip): the reason gets the room.
    SHORT_HEADERS: ClassVar[Mapping[int, str]] = {LedgerColumn.MEMBER: "Who"}
    PAGE = 50

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._members: dict[UUID, MemberRead] = {}
        self._zone: ZoneInfo | None = None
        self._fetch: PageFetcher | None = None
        self._exhausted = True
        self._fetching = False
        # Pages asked for before the last reset are dropped when they arrive.
        self._generation = 0
        self.last_fetch: Any = None

    def reset(
        self,
        first_page: Sequence[PointsEntryRead],
        members: Sequence[MemberRead],
        zone: ZoneInfo | None,
        fetch: PageFetcher | None,
    ) -> None:
        self.beginResetModel()
        self._generation += 1
        self._rows = list(first_page)
        self._members = {m.user_id: m for m in members}
        self._zone = zone
        self._fetch = fetch
        self._exhausted = fetch is None or len(first_page) < self.PAGE
        self._fetching = False
        self.endResetModel()

    @property
    def lines(self) -> list[PointsEntryRead]:
        return self.rows

    @property
    def exhausted(self) -> bool:
        return self._exhausted

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and not self._fetching

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent) or self._fetch is None:
            return
        self._fetching = True
        generation = self._generation

        def arrived(lines: list[PointsEntryRead]) -> None:
            if generation != self._generation:
                return
            self._fetching = False
            known = {line.id for line in self._rows}
            # Lines added since the first page shift the offsets: skip what is already shown.
            fresh = [line for line in lines if line.id not in known]
            if len(lines) < self.PAGE:
                self._exhausted = True
            if fresh:
                first = len(self._rows)
                self.beginInsertRows(QModelIndex(), first, first + len(fresh) - 1)
                self._rows.extend(fresh)
                self.endInsertRows()

        self.last_fetch = self._fetch(len(self._rows), self.PAGE, arrived)
        if self.last_fetch is None:
            self._fetching = False

    def fetch_failed(self) -> None:
        """The page did not come: allow asking again."""
        self._fetching = False

    def rows_to_measure(self, first: int = 0) -> dict[int, list[int]]:
        """Like `RequestsTableModel.rows_to_measure`, for the lines from row `first` on (a page
        that has just arrived)."""
        this_year = datetime.now(self._zone).year
        moments: dict[object, int] = {}
        members: dict[object, int] = {}
        amounts: dict[object, int] = {}
        for row in range(first, len(self._rows)):
            line = self._rows[row]
            moments.setdefault(moment_form(line.created_at, self._zone, this_year), row)
            members.setdefault(line.user_id, row)
            amounts.setdefault(len(points_text(line.amount, signed=True)), row)
        return {
            LedgerColumn.WHEN: list(moments.values()),
            LedgerColumn.MEMBER: list(members.values()),
            LedgerColumn.AMOUNT: list(amounts.values()),
        }

    def _member_name(self, line: PointsEntryRead) -> str:
        member = self._members.get(line.user_id)
        return member.full_name if member else "(former member)"

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        line = self._rows[index.row()]
        column = index.column()
        if role == ItemRole:
            return line
        if role == Qt.ItemDataRole.DisplayRole and column == LedgerColumn.MEMBER and self._short:
            return ""
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == LedgerColumn.WHEN:
                return moment_text(line.created_at, self._zone)
            if column == LedgerColumn.MEMBER:
                return self._member_name(line)
            if column == LedgerColumn.AMOUNT:
                return points_text(line.amount, signed=True)
            return line.reason
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.ALIGNMENT[column]
        if role == Qt.ItemDataRole.DecorationRole and column == LedgerColumn.MEMBER:
            return _member_icon(self._members.get(line.user_id))
        if role == Qt.ItemDataRole.ForegroundRole and column == LedgerColumn.AMOUNT:
            return _tone(POSITIVE if line.amount > 0 else NEGATIVE)
        if role == Qt.ItemDataRole.FontRole and column == LedgerColumn.AMOUNT:
            return _bold()
        if role == Qt.ItemDataRole.ToolTipRole and column == LedgerColumn.REASON:
            return f"{line.reason} ({SOURCE_TEXT[line.source]})"
        if role == Qt.ItemDataRole.ToolTipRole and column == LedgerColumn.MEMBER and self._short:
            return self._member_name(line)
        return None
