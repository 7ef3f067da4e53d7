"""Members side by side on the History screen: one card per member with their completion, days
done, best and hardest weekday, their longest streak and a sparkline of their trend.

Cards are kept and refilled (`MemberCard.show_member`) rather than rebuilt on every load, so
switching ranges does not create widgets on the UI thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from uuid import UUID

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from habitdesk.core.schemas.people import MemberRead
from habitdesk.core.schemas.stats import HistoryMemberRead
from habitdesk.ui.qtmodels.members_model import avatar_pixmap
from habitdesk.ui.widgets.flow_layout import ColumnsLayout

WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{round(rate * 100)} %"


def weekday_words(days: Sequence[int], rates: Sequence[float | None]) -> str:
    """'Saturday (92 %)', or 'Saturday and Sunday (92 %)' for a tie."""
    if not days:
        return "—"
    names = [WEEKDAY_NAMES[d] for d in days]
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"{joined} ({percent(rates[days[0]])})"


class Sparkline(QWidget):
    """A member's trend as a thin line (rates 0 … 1; None is a gap), in their colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values: list[float | None] = []
        self._colour = QColor("#3D7BE0")
        self.setMinimumHeight(34)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_values(self, values: Sequence[float | None], colour: str) -> None:
        self._values = list(values)
        self._colour = QColor(colour)
        shown = [v for v in values if v is not None]
        if shown:
            self.setAccessibleDescription(
                f"Trend of {len(values)} periods, from {percent(min(shown))} "
                f"to {percent(max(shown))}, last {percent(shown[-1])}"
            )
        else:
            self.setAccessibleDescription("No trend: nothing was due")
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(160, 34)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(3, 4, -4, -4)
        baseline = QColor(self.palette().color(QPalette.ColorRole.PlaceholderText))
        baseline.setAlpha(90)
        painter.setPen(QPen(baseline, 1, Qt.PenStyle.DotLine))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        n = len(self._values)
        if n == 0:
            return
        step = rect.width() / max(1, n - 1)
        path = QPainterPath()
        drawing = False
        for i, value in enumerate(self._values):
            if value is None:
                drawing = False
                continue
            point = QPointF(rect.left() + i * step, rect.bottom() - value * rect.height())
            if drawing:
                path.lineTo(point)
            else:
                path.moveTo(point)
                drawing = True
        painter.setPen(QPen(self._colour, 1.8))
        painter.drawPath(path)
        last = next((i for i in range(n - 1, -1, -1) if self._values[i] is not None), None)
        if last is not None:
            value = self._values[last]
            assert value is not None
            painter.setBrush(self._colour)
            painter.setPen(Qt.PenStyle.NoPen)
            centre = QPointF(rect.left() + last * step, rect.bottom() - value * rect.height())
            painter.drawEllipse(centre, 2.8, 2.8)


class ElidedLabel(QLabel):
    """One line of text cut with "…" when the card is narrow (the full text is its tooltip)."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:
        return QSize(24, super().minimumSizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setFont(self.font())
        painter.setPen(self.palette().color(self.foregroundRole()))
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, self.width())
        painter.drawText(
            self.rect(), int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text
        )


class MemberCard(QFrame):
    """One member's figures. It takes keyboard focus (Tab) so that its accessible name and
    description, the figures in words, are read out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("card", True)
        self.setObjectName("memberCard")
        self.setMinimumWidth(140)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        self.user_id: UUID | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(11, 10, 10, 10)
        layout.setSpacing(3)

        top = QHBoxLayout()
        top.setSpacing(8)
        self.avatar = QLabel()
        self.avatar.setFixedSize(26, 26)
        top.addWidget(self.avatar)
        self.name = ElidedLabel()
        self.name.setStyleSheet("font-weight: 600;")
        top.addWidget(self.name, 1)
        layout.addLayout(top)

        figures = QHBoxLayout()
        figures.setSpacing(8)
        self.rate = QLabel()
        self.rate.setObjectName("memberRate")
        self.rate.setStyleSheet("font-size: 17pt; font-weight: 600;")
        figures.addWidget(self.rate)
        self.sparkline = Sparkline()
        figures.addWidget(self.sparkline, 1)
        layout.addLayout(figures)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(False)
        self.bar.setFixedHeight(5)
        layout.addWidget(self.bar)
        self.days = ElidedLabel()
        self.days.setProperty("muted", True)
        layout.addWidget(self.days)
        self.weekdays = ElidedLabel()
        layout.addWidget(self.weekdays)
        self.streak = ElidedLabel()
        self.streak.setProperty("muted", True)
        layout.addWidget(self.streak)

    def show_member(
        self, member: MemberRead, read: HistoryMemberRead, trend: Sequence[float | None]
    ) -> None:
        self.user_id = member.user_id
        self.avatar.setPixmap(
            avatar_pixmap(member.colour, member.avatar_emoji, member.full_name, 26)
        )
        self.name.setText(member.full_name)
        counts = read.totals.counts
        self.rate.setText(percent(counts.rate))
        self.bar.setValue(round((counts.rate or 0.0) * 1000))
        self.bar.setStyleSheet(
            f"QProgressBar {{ border: none; border-radius: 2px; background: palette(mid); }}"
            f"QProgressBar::chunk {{ border-radius: 2px; background: {member.colour}; }}"
        )
        self.days.setText(
            f"{counts.done:,} of {counts.due:,} days" if counts.due else "Nothing due yet"
        )
        weekdays = read.totals.weekdays
        rates = weekdays.rates()
        parts = [f"Best {WEEKDAY_NAMES[weekdays.best[0]][:3]}"] if weekdays.best else []
        if weekdays.worst:
            parts.append(f"worst {WEEKDAY_NAMES[weekdays.worst[0]][:3]}")
        self.weekdays.setText(" · ".join(parts) if parts else "No weekday stands out yet")
        words = [f"Best day: {weekday_words(weekdays.best, rates)}"] if weekdays.best else []
        if weekdays.worst:
            words.append(f"Hardest: {weekday_words(weekdays.worst, rates)}")
        self.weekdays.setToolTip("\n".join(words))
        best = read.best_streak
        self.streak.setText(
            f"Best streak {best.length} days" if best else "No streak in this range"
        )
        self.streak.setToolTip(self.streak.text())
        if best:
            self.streak.setToolTip(
                f"Longest streak in the range: {best.length} days of {best.habit_name}, "
                f"{best.start:%-d %b %Y} – {best.end:%-d %b %Y}"
            )
        self.sparkline.set_values(trend, member.colour)
        self.sparkline.setAccessibleName(f"{member.full_name}'s trend")
        self.setAccessibleName(f"{member.full_name}: {percent(counts.rate)}")
        self.setAccessibleDescription(
            " · ".join([f"{self.days.text()} done", *words, self.streak.toolTip()])
        )


class MemberComparison(QWidget):
    """The cards side by side in the family's order: in one row, or balanced over two or more
    in a narrow window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("memberComparison")
        self.setAccessibleName("Members side by side")
        self._layout = ColumnsLayout(self, spacing=10)
        self.cards: list[MemberCard] = []

    def show_members(
        self, shown: Sequence[tuple[MemberRead, HistoryMemberRead, Sequence[float | None]]]
    ) -> None:
        while len(self.cards) < len(shown):
            card = MemberCard()
            self.cards.append(card)
            self._layout.addWidget(card)
        for card, (member, read, trend) in zip(self.cards, shown, strict=False):
            card.show_member(member, read, trend)
            card.show()
        for card in self.cards[len(shown) :]:
            card.hide()

    def visible_cards(self) -> list[MemberCard]:
        return [c for c in self.cards if not c.isHidden()]
