"""`HabitsModel`: the Habits screen's list — members, each with their habits — as a two-level
tree of read-models the screen loaded in one call. `data()` only formats what it holds.

Member rows are headers: not enabled, so the arrow keys pass over them and only habits can be
selected. A member without habits gets one placeholder row saying so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol
from uuid import UUID

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from habitdesk.core.domain.weekdays import WEEKDAY_NAMES
from habitdesk.core.enums import Direction, HabitKind
from habitdesk.core.schemas.habit_overview import HabitOverviewRead
from habitdesk.core.schemas.people import MemberRead
from habitdesk.core.schemas.stats import StreakRead
from habitdesk.ui.widgets.day_strip import format_value, strip_summary
from habitdesk.ui.widgets.weekday_picker import LONG, SHORT

Index = QModelIndex | QPersistentModelIndex

HabitRole = Qt.ItemDataRole.UserRole + 1  # HabitOverviewRead (habit rows)
MemberRole = Qt.ItemDataRole.UserRole + 2  # MemberRead (member rows and habit rows)
RowKindRole = Qt.ItemDataRole.UserRole + 3  # "member", "habit" or "placeholder"

_TIMES = {1: "once", 2: "twice"}


def _number(value: float | None) -> str:
    return format_value(value, None) if value is not None else "?"


def weekdays_text(names: Sequence[str]) -> str:
    wanted = set(names)
    chosen = [n for n in WEEKDAY_NAMES if n in wanted]
    if len(chosen) == 7:
        return "every day"
    if chosen == list(WEEKDAY_NAMES[:5]):
        return "on weekdays"
    if chosen == list(WEEKDAY_NAMES[5:]):
        return "at weekends"
    if len(chosen) == 1:
        return f"every {LONG[chosen[0]]}"
    return ", ".join(SHORT[n] for n in chosen)


def frequency_text(times: int, days: int) -> str:
    """ "a day", "3 times a week", "once every 10 days", "every other day"."""
    if times == days:
        return "a day" if days == 1 else "every day"
    if times == 1 and days == 2:
        return "every other day"
    count = _TIMES.get(times, f"{times} times")
    if days == 7:
        return f"{count} a week"
    if days == 14:
        return f"{count} a fortnight"
    if times == 1:
        return f"once every {days} days"
    return f"{count} in {days} days"


class RulesLike(Protocol):
    """What a summary reads: a HabitRead, a HabitVersionRead, or the editor's preview."""

    @property
    def kind(self) -> HabitKind: ...
    @property
    def target_value(self) -> float | None: ...
    @property
    def unit(self) -> str | None: ...
    @property
    def direction(self) -> Direction: ...
    @property
    def freq_num(self) -> int: ...
    @property
    def freq_den(self) -> int: ...
    @property
    def weekdays(self) -> tuple[str, ...] | None: ...


def rules_summary(rules: RulesLike) -> str:
    """ "8,000 steps a day", "At most 60 min a day", "3 times a week", "Mon, Wed, Fri"."""
    numeric = rules.kind is HabitKind.NUMERIC
    amount = ""
    if numeric:
        amount = _number(rules.target_value)
        if rules.unit:
            amount += f" {rules.unit}"
        if rules.direction is Direction.AT_MOST:
            amount = f"at most {amount}"
    if rules.weekdays is not None:
        days = weekdays_text(rules.weekdays)
        if not numeric:
            text = days
        elif days.startswith(("every", "on ", "at ")):
            text = f"{amount} {days}"
        else:
            text = f"{amount} on {days}"
    else:
        often = frequency_text(rules.freq_num, rules.freq_den)
        if not numeric:
            text = "every day" if often == "a day" else often
        elif often == "a day":
            text = f"{amount} a day"
        else:
            text = f"{amount}, {often}"
    return text[:1].upper() + text[1:]


def day_text(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def days_text(count: int) -> str:
    return f"{count:,} day" if count == 1 else f"{count:,} days"


def streak_text(streak: StreakRead | None) -> str:
    """ "🔥 12 days", or a dash when there is no current streak."""
    return f"🔥 {days_text(streak.length)}" if streak is not None else "—"


def best_text(streak: StreakRead | None) -> str:
    return f"Best {days_text(streak.length)}" if streak is not None else "No streak yet"


def spoken(item: HabitOverviewRead) -> str:
    habit = item.habit
    parts = [habit.name, rules_summary(habit)]
    if habit.archived:
        parts.append("archived")
    current, best = item.current_streak, item.best_streak
    parts.append(
        f"current streak {days_text(current.length)}"
        if current is not None
        else "no current streak"
    )
    parts.append(f"best {days_text(best.length if best is not None else 0)}")
    parts.append(strip_summary(item.days))
    return ", ".join(parts)


@dataclass
class _Group:
    member: MemberRead
    habits: list[HabitOverviewRead] = field(default_factory=list)

    @property
    def child_count(self) -> int:
        return len(self.habits) or 1  # a placeholder row when there are none


class HabitsModel(QAbstractItemModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[_Group] = []
        self.placeholder_text = "No habits yet"

    # --- content --------------------------------------------------------------------------------

    def set_groups(self, groups: Sequence[tuple[MemberRead, Sequence[HabitOverviewRead]]]) -> None:
        self.beginResetModel()
        self._groups = [_Group(member, list(habits)) for member, habits in groups]
        self.endResetModel()

    def habits(self) -> list[HabitOverviewRead]:
        return [h for g in self._groups for h in g.habits]

    def member_habits(self, user_id: UUID) -> list[HabitOverviewRead]:
        return next((list(g.habits) for g in self._groups if g.member.user_id == user_id), [])

    def members(self) -> list[MemberRead]:
        return [g.member for g in self._groups]

    def habit_index(self, habit_id: UUID | None) -> QModelIndex:
        for g, group in enumerate(self._groups):
            for row, item in enumerate(group.habits):
                if item.habit.id == habit_id:
                    return self.createIndex(row, 0, g + 1)
        return QModelIndex()

    def habit_at(self, index: Index) -> HabitOverviewRead | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        group = self._groups[index.internalId() - 1]
        return group.habits[index.row()] if index.row() < len(group.habits) else None

    # --- QAbstractItemModel ---------------------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, 0, 0) if row < len(self._groups) else QModelIndex()
        if parent.internalId() != 0:
            return QModelIndex()
        group = parent.row()
        if group >= len(self._groups) or row >= self._groups[group].child_count:
            return QModelIndex()
        return self.createIndex(row, 0, group + 1)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() != 0 or parent.column() != 0:
            return 0
        return self._groups[parent.row()].child_count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def flags(self, index: Index) -> Qt.ItemFlag:
        if self.habit_at(index) is not None:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.NoItemFlags

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            group = self._groups[index.row()]
            count = len(group.habits)
            if role == RowKindRole:
                return "member"
            if role == MemberRole:
                return group.member
            if role == Qt.ItemDataRole.DisplayRole:
                return group.member.full_name
            if role in (Qt.ItemDataRole.AccessibleTextRole, Qt.ItemDataRole.ToolTipRole):
                noun = "habit" if count == 1 else "habits"
                return f"{group.member.full_name}: {count} {noun}"
            return None
        group = self._groups[index.internalId() - 1]
        item = self.habit_at(index)
        if item is None:
            if role == RowKindRole:
                return "placeholder"
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
                first = group.member.full_name.split()[0] if group.member.full_name else ""
                return f"{self.placeholder_text} for {first}".strip()
            return None
        if role == RowKindRole:
            return "habit"
        if role == HabitRole:
            return item
        if role == MemberRole:
            return group.member
        if role == Qt.ItemDataRole.DisplayRole:
            return item.habit.name
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return spoken(item)
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{item.habit.name} — {rules_summary(item.habit)}"
            if item.habit.description:
                tip += f"\n{item.habit.description}"
            return tip
        return None
