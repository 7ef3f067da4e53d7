"""`BalanceCard`: one member's points on the Rewards screen (balance, held, available)."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout

from habitdesk.core.schemas.people import MemberRead
from habitdesk.core.schemas.points import PointsBalanceRead
from habitdesk.ui.qtmodels.members_model import avatar_pixmap
from habitdesk.ui.qtmodels.rewards_model import points_text

# A balance card's detail when none of the member's points are held: its usual text.
NONE_HELD = "points · none held"


class _BalanceDetail(QLabel):
    """The held and available points under a balance, wrapping. Never narrower than
    `NONE_HELD` on one line: narrower, "118 available · 200 held" breaks over three lines and
    the card reads as a column of fragments. The cards wrap into another row instead (their
    `ColumnsLayout` fits as many columns as their least width allows)."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(
            max(hint.width(), self.fontMetrics().horizontalAdvance(NONE_HELD)), hint.height()
        )


class BalanceCard(QFrame):
    """One member's points: balance, held by waiting requests, available."""

    def __init__(self, member: MemberRead, balance: PointsBalanceRead) -> None:
        super().__init__()
        self.member = member
        self.balance = balance
        self.setObjectName("balanceCard")
        self.setProperty("card", True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setMaximumWidth(280)
        self.setAccessibleName(f"Points of {member.full_name}")
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 12, 0)
        outer.setSpacing(10)
        stripe = QFrame()
        stripe.setFixedWidth(5)
        stripe.setStyleSheet(
            f"background: {member.colour}; border: none; "
            "border-top-left-radius: 9px; border-bottom-left-radius: 9px;"
        )
        outer.addWidget(stripe)
        body = QVBoxLayout()
        body.setContentsMargins(0, 8, 0, 8)
        body.setSpacing(0)
        top = QHBoxLayout()
        top.setSpacing(6)
        avatar = QLabel()
        avatar.setPixmap(avatar_pixmap(member.colour, member.avatar_emoji, member.full_name, 22))
        avatar.setFixedSize(22, 22)
        avatar.setStyleSheet("background: transparent; border: none;")
        top.addWidget(avatar)
        words = member.full_name.split()
        name = QLabel(words[0] if words else "?")
        name.setStyleSheet("font-weight: 600; background: transparent; border: none;")
        top.addWidget(name, 1)
        body.addLayout(top)
        self.amount = QLabel()
        self.amount.setObjectName("balanceAmount")
        self.amount.setAccessibleName(f"Balance of {member.full_name}")
        self.amount.setStyleSheet(
            "font-size: 16pt; font-weight: 600; background: transparent; border: none;"
        )
        body.addWidget(self.amount)
        self.detail = _BalanceDetail()
        self.detail.setObjectName("balanceDetail")
        self.detail.setProperty("muted", True)
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName(f"Held and available points of {member.full_name}")
        self.detail.setStyleSheet("background: transparent; border: none;")
        body.addWidget(self.detail)
        outer.addLayout(body, 1)
        self.show_balance(balance)

    def show_balance(self, balance: PointsBalanceRead) -> None:
        """New figures for the same member (a refresh keeps the cards: building them again, style
        sheets and all, costs more than the rest of the screen's update)."""
        self.balance = balance
        name = self.member.full_name
        self.setAccessibleDescription(
            f"{balance.balance} points, {balance.held} held, {balance.available} available"
        )
        self.setToolTip(
            f"{name}: {points_text(balance.balance)} points; "
            f"{points_text(balance.held)} held by requests waiting for a parent, "
            f"{points_text(balance.available)} available to ask for rewards"
        )
        self.amount.setText(points_text(balance.balance))
        if balance.held:
            detail = (
                f"{points_text(balance.available)} available · {points_text(balance.held)} held"
            )
        else:
            detail = NONE_HELD
        self.detail.setText(detail)


__all__ = ["NONE_HELD", "BalanceCard"]
