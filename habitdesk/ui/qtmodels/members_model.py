"""`MembersTableModel`: a family's members (service read-models) as a table.

A family has a handful of members, so the model holds them all; `data()` only formats what it
holds and never waits.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from typing import Any
from uuid import UUID

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication

from habitdesk.core.enums import Role
from habitdesk.core.schemas.people import MemberRead
from habitdesk.ui.qtmodels.cells import muted_if_missing, spoken
from habitdesk.ui.qtmodels.table_base import Index, TableModel

MemberRole = Qt.ItemDataRole.UserRole + 1

ROLE_LABELS = {
    Role.OWNER: "Owner",
    Role.PARENT: "Parent",
    Role.CHILD: "Child",
    Role.VIEWER: "Viewer",
}
ROLE_HELP = {
    Role.OWNER: "Runs the family: may change everything, including who the owners are",
    Role.PARENT: "May change routines, habits, rewards and members, and check off for anyone",
    Role.CHILD: "Checks off their own routines and habits; cannot change definitions",
    Role.VIEWER: "Sees everything, changes nothing (a grandparent, a second household)",
}


def initials(name: str) -> str:
    parts = [p for p in name.split() if p]
    if not parts:
        return "?"
    if len(parts) == 1:
        return parts[0][:1].upper()
    return (parts[0][:1] + parts[-1][:1]).upper()


@lru_cache(maxsize=256)
def avatar_pixmap(colour: str, emoji: str | None, name: str, size: int = 28) -> QPixmap:
    """A round badge in the member's colour with their emoji (or initials)."""
    ratio = 2.0
    pixmap = QPixmap(int(size * ratio), int(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    base = QColor(colour)
    rect = QRectF(1, 1, size - 2, size - 2)
    if emoji:
        tint = QColor(base)
        tint.setAlpha(60)
        painter.setBrush(tint)
        painter.setPen(base)
        painter.drawEllipse(rect)
        font = QFont(QApplication.font())
        font.setPixelSize(int(size * 0.58))
        painter.setFont(font)
        painter.setPen(QColor("#000000"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, emoji)
    else:
        painter.setBrush(base)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(rect)
        font = QFont(QApplication.font())
        font.setPixelSize(int(size * 0.4))
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(QColor("#FFFFFF"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, initials(name))
    painter.end()
    return pixmap


def age_text(birth: date, today: date) -> str:
    years = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    if years >= 2:
        return f"{years} years"
    months = (today.year - birth.year) * 12 + today.month - birth.month - (today.day < birth.day)
    months = max(0, months)
    return f"{months} month" + ("" if months == 1 else "s")


def birth_text(birth: date | None, today: date) -> str:
    if birth is None:
        return "—"
    return f"{birth.day} {birth.strftime('%b %Y')}  ·  {age_text(birth, today)}"


class MembersTableModel(TableModel[MemberRead]):
    MEMBER, ROLE, EMAIL, BIRTH = range(4)
    HEADERS = ("Member", "Role", "E-mail", "Birth date / age")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._today = date.today()

    # --- filling -----------------------------------------------------------------------------

    def set_members(self, members: list[MemberRead], today: date | None = None) -> None:
        self.beginResetModel()
        self._rows = list(members)
        self._today = today or date.today()
        self.endResetModel()

    @property
    def members(self) -> list[MemberRead]:
        return self.rows

    def member_at(self, row: int) -> MemberRead | None:
        return self.row_at(row)

    def row_of(self, membership_id: UUID) -> int:
        return next((i for i, m in enumerate(self._rows) if m.membership_id == membership_id), -1)

    # --- cells -------------------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        member = self.row_at(index.row()) if index.isValid() else None
        if member is None:
            return None
        column = index.column()
        if role == MemberRole:
            return member
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(member, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return spoken(self._display(member, column))
        if role == Qt.ItemDataRole.DecorationRole and column == self.MEMBER:
            return QIcon(avatar_pixmap(member.colour, member.avatar_emoji, member.full_name))
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == self.MEMBER:
                return QColor(member.colour)
            return muted_if_missing(self._display(member, column))
        if role == Qt.ItemDataRole.FontRole and column == self.MEMBER:
            font = QFont(QApplication.font())
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole and column == self.ROLE:
            return ROLE_HELP[member.role]
        return None

    def _display(self, member: MemberRead, column: int) -> str:
        if column == self.MEMBER:
            return member.full_name
        if column == self.ROLE:
            return ROLE_LABELS[member.role]
        if column == self.EMAIL:
            return member.email or "—"
        return birth_text(member.birth_date, self._today)
