"""The weekly family report as a printable PDF (A4 portrait), drawn with QPdfWriter.

Print colours whatever the app's theme: black text on white, each member's block edged and
lightly tinted in the member's colour. A page holds a header (family, week, dates), then one
block per member: a grid of days × routines and habits with a symbol per day (and the value of
numeric habits), the week's rate, points, rewards, streaks and notes, and a small chart of
the share done each day (the app's bar chart, in print colours). Blocks go on the page in
order; a block that does not fit what is left of a page starts the next one, and only a block
taller than a whole page is continued across pages (its name and day header repeated).

Geometry is in points (1/72 inch): the painter is scaled from the writer's resolution, and text
is measured against the writer itself (`QFontMetricsF(font, writer)`) so what is measured is
what is drawn. The chart measures its text without a device, so it is drawn in screen-like
pixels (96 per inch) with a font sized in pixels, which measures the same on any device.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPdfWriter,
    QPen,
)

from habitdesk.core.enums import Direction, HabitKind
from habitdesk.core.schemas.report import (
    MemberWeekRead,
    ReportCell,
    ReportHabitRow,
    ReportRoutineRow,
    ReportStatus,
    WeekReportRead,
)
from habitdesk.ui.widgets.charts import Series, paint_bar_chart

RESOLUTION = 300  # dots per inch: crisp text and lines on any printer
MARGIN = 28.0  # points: 10 mm all round, inside what any printer can print
EMOJI_FAMILY = "Noto Color Emoji"

SYMBOLS = {
    ReportStatus.DONE: "✓",
    ReportStatus.PARTIAL: "◐",
    ReportStatus.SKIPPED: "–",
    ReportStatus.MISSED: "✗",
    ReportStatus.NOT_DUE: "·",
    ReportStatus.UPCOMING: "",
}
LEGEND = (
    (ReportStatus.DONE, "done"),
    (ReportStatus.PARTIAL, "partly done"),
    (ReportStatus.SKIPPED, "skipped"),
    (ReportStatus.MISSED, "missed"),
    (ReportStatus.NOT_DUE, "not due"),
)

_INK = QColor("#000000")
_MUTED = QColor("#555555")
_RULE = QColor("#BBBBBB")
_PAPER = QColor("#FFFFFF")

# Sizes in points.
_ROW = 10.5
_HEAD = 22.0
_GROUP = 11.0
_GAP = 10.0
_NOTE_LINES = 4  # more notes than this are summed up as "and N more"
_TEXT_TOP = 3.0  # between the grid and the text under it
_CHART_WIDTH = 168.0
_CHART_HEIGHT = 41.0
_CHART_GAP = 14.0  # between the text under the grid and the chart beside it
_CHART_PIXELS = 96.0 / 72.0  # screen-like pixels per point, for the chart
_CHART_FONT_PIXELS = 8  # 6 points, for its title and axis labels alike
# A little over 100 %, so the axis has three ticks (0, 50, 100 %), which a small chart has room
# for, and a full day's bar still stops below the top.
_CHART_TOP = 110.0


def _tint(colour: str, amount: float) -> QColor:
    """`colour` faded towards white: 0 = the colour, 1 = white."""
    base = QColor(colour)
    return QColor.fromRgbF(
        base.redF() + (1 - base.redF()) * amount,
        base.greenF() + (1 - base.greenF()) * amount,
        base.blueF() + (1 - base.blueF()) * amount,
    )


def _number(value: float) -> str:
    if abs(value) >= 10_000:
        return f"{value / 1000:.1f}k".replace(".0k", "k")
    return f"{value:.4g}"


def _percent(done: int, due: int) -> str:
    return f"{done} of {due} ({round(100 * done / due)} %)" if due else "nothing due"


def _target_text(row: ReportHabitRow) -> str:
    target = next((c.target for c in reversed(row.days) if c.target is not None), None)
    if row.kind is not HabitKind.NUMERIC or target is None:
        return ""
    sign = "≤" if row.direction is Direction.AT_MOST else "≥"
    unit = f" {row.unit}" if row.unit else ""
    return f"{sign} {_number(target)}{unit}"


def _cell_text(cell: ReportCell, row_target: float | None) -> tuple[str, str]:
    """(symbol, small text under or beside it)."""
    symbol = SYMBOLS[cell.status]
    if cell.steps_total and cell.status is ReportStatus.PARTIAL:
        return symbol, f"{cell.steps_done}/{cell.steps_total}"
    if (
        cell.value is not None
        and cell.target is not None
        and cell.status is not ReportStatus.SKIPPED
    ):
        if row_target is not None and cell.target != row_target:
            return symbol, f"{_number(cell.value)}/{_number(cell.target)}"
        return symbol, _number(cell.value)
    return symbol, ""


def _pixel_font(family: str, pixels: int) -> QFont:
    made = QFont(family)
    made.setPixelSize(pixels)
    return made


def _print_palette() -> QPalette:
    """The chart's colours on paper: black text, white ground, light grey grid lines."""
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Text, _INK),
        (QPalette.ColorRole.WindowText, _INK),
        (QPalette.ColorRole.Base, _PAPER),
        (QPalette.ColorRole.Window, _PAPER),
        (QPalette.ColorRole.Mid, _RULE),
    ):
        palette.setColor(role, colour)
    return palette


def _chart_tick(value: float) -> str:
    return f"{value:.0f} %"


@dataclass
class _Fonts:
    title: QFont
    heading: QFont
    name: QFont
    body: QFont
    small: QFont
    bold_small: QFont
    symbol: QFont
    chart: QFont
    emoji: QFont | None


class _Typesetter:
    """Fonts at point sizes, measured against the PDF device."""

    def __init__(self, writer: QPdfWriter) -> None:
        self.writer = writer
        family = QGuiApplication.font().family()
        # Point sizes are relative to the device's resolution, and the painter is scaled from
        # points to dots: a font of s × 72 / dpi points is drawn s points tall.
        ratio = 72.0 / RESOLUTION

        def font(size: float, weight: QFont.Weight = QFont.Weight.Normal) -> QFont:
            made = QFont(family)
            made.setPointSizeF(size * ratio)
            made.setWeight(weight)
            return made

        emoji = None
        if EMOJI_FAMILY in QFontDatabase.families():
            emoji = QFont(EMOJI_FAMILY)
            emoji.setPointSizeF(11 * ratio)
        self.fonts = _Fonts(
            title=font(17, QFont.Weight.Bold),
            heading=font(11.5, QFont.Weight.DemiBold),
            name=font(11, QFont.Weight.Bold),
            body=font(8),
            small=font(7),
            bold_small=font(7, QFont.Weight.DemiBold),
            symbol=font(9, QFont.Weight.Bold),
            chart=_pixel_font(family, _CHART_FONT_PIXELS),
            emoji=emoji,
        )

    def width(self, font: QFont, text: str) -> float:
        return QFontMetricsF(font, self.writer).horizontalAdvance(text)

    def elide(self, font: QFont, text: str, width: float) -> str:
        return QFontMetricsF(font, self.writer).elidedText(text, Qt.TextElideMode.ElideRight, width)

    def wrap(self, font: QFont, text: str, width: float) -> list[str]:
        """Greedy word wrap (notes are short; no hyphenation needed)."""
        lines: list[str] = []
        current = ""
        for word in text.split(" "):
            trial = f"{current} {word}" if current else word
            if current and self.width(font, trial) > width:
                lines.append(current)
                current = word
            else:
                current = trial
        if current:
            lines.append(current)
        return lines


# --- the pieces of a page --------------------------------------------------------------------

Paint = Callable[[QPainter, float], None]  # draws at the given top y, across the content width


@dataclass
class _Piece:
    height: float
    paint: Paint


@dataclass
class _Block:
    """One member: pieces kept together when they fit a page. `repeat` starts a continuation."""

    pieces: list[_Piece]
    repeat: list[_Piece]

    @property
    def height(self) -> float:
        return sum(p.height for p in self.pieces)


class _Layout:
    def __init__(self, report: WeekReportRead, type_: _Typesetter, width: float) -> None:
        self.report = report
        self.type = type_
        self.width = width
        self.fonts = type_.fonts
        self.palette = _print_palette()
        # Columns: item name | seven days | week | streak.
        self.week_width = 40.0
        self.streak_width = 66.0
        self.day_width = 36.0
        self.name_width = width - 7 * self.day_width - self.week_width - self.streak_width
        self.day_x = [self.name_width + i * self.day_width for i in range(7)]

    # --- page header and footer -------------------------------------------------------------

    def header(self) -> _Piece:
        report, fonts = self.report, self.fonts

        def paint(p: QPainter, y: float) -> None:
            p.setPen(_INK)
            p.setFont(fonts.title)
            p.drawText(QRectF(0, y, self.width, 24), Qt.AlignmentFlag.AlignLeft, report.family_name)
            p.setFont(fonts.heading)
            p.drawText(
                QRectF(0, y + 24, self.width, 16), Qt.AlignmentFlag.AlignLeft, report.heading
            )
            p.setFont(fonts.body)
            summary = f"Family: {_percent(report.done, report.due)}"
            p.drawText(QRectF(0, y + 4, self.width, 16), Qt.AlignmentFlag.AlignRight, summary)
            p.setPen(_MUTED)
            if report.upcoming_days:
                days = "day" if report.upcoming_days == 1 else "days"
                note = (
                    f"As of {_day_text(report.today)}: {report.upcoming_days} {days} still to come"
                )
                p.drawText(QRectF(0, y + 27, self.width, 14), Qt.AlignmentFlag.AlignRight, note)
            self._legend(p, y + 43)
            p.setPen(QPen(_INK, 0.8))
            p.drawLine(QPointF(0, y + 56), QPointF(self.width, y + 56))

        return _Piece(62.0, paint)

    def _legend(self, p: QPainter, y: float) -> None:
        x = 0.0
        for status, label in LEGEND:
            p.setFont(self.fonts.symbol)
            p.setPen(_INK)
            p.drawText(QRectF(x, y, 10, 11), Qt.AlignmentFlag.AlignCenter, SYMBOLS[status])
            x += 11
            p.setFont(self.fonts.small)
            p.setPen(_MUTED)
            p.drawText(QRectF(x, y, 80, 11), Qt.AlignmentFlag.AlignVCenter, label)
            x += self.type.width(self.fonts.small, label) + 12
        p.drawText(QRectF(x, y, 160, 11), Qt.AlignmentFlag.AlignVCenter, "blank: still to come")

    def continued(self) -> _Piece:
        text = f"{self.report.family_name} · {self.report.heading} (continued)"

        def paint(p: QPainter, y: float) -> None:
            p.setPen(_MUTED)
            p.setFont(self.fonts.body)
            p.drawText(QRectF(0, y, self.width, 12), Qt.AlignmentFlag.AlignLeft, text)
            p.setPen(QPen(_RULE, 0.5))
            p.drawLine(QPointF(0, y + 15), QPointF(self.width, y + 15))

        return _Piece(22.0, paint)

    # --- a member's block -------------------------------------------------------------------

    def block(self, member: MemberWeekRead) -> _Block:
        title = self._member_title(member, continued=False)
        days = self._day_header()
        pieces = [title, days]
        if member.routines:
            pieces.append(self._group("Routines"))
            pieces += [self._row(member, r) for r in member.routines]
        if member.habits:
            pieces.append(self._group("Habits"))
            pieces += [self._row(member, h) for h in member.habits]
        if not member.routines and not member.habits:
            pieces.append(self._line("No routines or habits this week.", _MUTED))
        pieces += self._extras(member)
        pieces.append(_Piece(_GAP, lambda p, y: None))
        return _Block(pieces, [self._member_title(member, continued=True), days])

    def _member_title(self, member: MemberWeekRead, *, continued: bool) -> _Piece:
        fonts = self.fonts

        def paint(p: QPainter, y: float) -> None:
            band = QRectF(0, y, self.width, _HEAD - 4)
            p.fillRect(band, _tint(member.colour, 0.8))
            p.fillRect(QRectF(0, y, 4, _HEAD - 4), QColor(member.colour))
            x = 10.0
            if member.avatar_emoji and fonts.emoji is not None:
                p.setFont(fonts.emoji)
                p.setPen(_INK)
                p.drawText(
                    QRectF(x, y, 18, _HEAD - 4), Qt.AlignmentFlag.AlignVCenter, member.avatar_emoji
                )
                x += 20
            p.setFont(fonts.name)
            p.setPen(_INK)
            name = member.full_name + (" (continued)" if continued else "")
            p.drawText(QRectF(x, y, self.width / 2, _HEAD - 4), Qt.AlignmentFlag.AlignVCenter, name)
            x += self.type.width(fonts.name, name) + 8
            p.setFont(fonts.small)
            p.setPen(_MUTED)
            p.drawText(
                QRectF(x, y, 80, _HEAD - 4), Qt.AlignmentFlag.AlignVCenter, member.role.value
            )
            p.setFont(fonts.body)
            p.setPen(_INK)
            p.drawText(
                QRectF(0, y, self.width - 6, _HEAD - 4),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                self._member_summary(member),
            )

        return _Piece(_HEAD, paint)

    @staticmethod
    def _member_summary(member: MemberWeekRead) -> str:
        parts = [f"Week: {_percent(member.done, member.due)}"]
        if member.points_earned is not None:
            parts.append(f"{member.points_earned} points")
        return "   ·   ".join(parts)

    def _day_header(self) -> _Piece:
        labels = [f"{d:%a} {d.day}" for d in self.report.days]

        def paint(p: QPainter, y: float) -> None:
            p.setFont(self.fonts.bold_small)
            p.setPen(_MUTED)
            for x, label, day in zip(self.day_x, labels, self.report.days, strict=True):
                if day == self.report.today:
                    p.fillRect(QRectF(x + 1, y, self.day_width - 2, 11), QColor("#EEEEEE"))
                p.drawText(QRectF(x, y, self.day_width, 11), Qt.AlignmentFlag.AlignCenter, label)
            right = self.name_width + 7 * self.day_width
            p.drawText(QRectF(right, y, self.week_width, 11), Qt.AlignmentFlag.AlignCenter, "Week")
            p.drawText(
                QRectF(right + self.week_width, y, self.streak_width, 11),
                Qt.AlignmentFlag.AlignCenter,
                "Streak",
            )

        return _Piece(12.0, paint)

    def _group(self, title: str) -> _Piece:
        def paint(p: QPainter, y: float) -> None:
            p.setFont(self.fonts.bold_small)
            p.setPen(_INK)
            p.drawText(
                QRectF(4, y + 1, self.name_width, _GROUP - 1),
                Qt.AlignmentFlag.AlignBottom,
                title.upper(),
            )
            p.setPen(QPen(_RULE, 0.5))
            p.drawLine(QPointF(0, y + _GROUP), QPointF(self.width, y + _GROUP))

        return _Piece(_GROUP + 1, paint)

    def _row(self, member: MemberWeekRead, row: ReportRoutineRow | ReportHabitRow) -> _Piece:
        fonts = self.fonts
        target = _target_text(row) if isinstance(row, ReportHabitRow) else ""
        row_target = next((c.target for c in reversed(row.days) if c.target is not None), None)
        done_fill, partial_fill = _tint(member.colour, 0.72), _tint(member.colour, 0.88)

        def paint(p: QPainter, y: float) -> None:
            p.setFont(fonts.body)
            p.setPen(_INK)
            name_room = self.name_width - 8
            if target:
                target_width = min(self.type.width(fonts.small, target) + 4, name_room / 2)
                name_room -= target_width
                p.setFont(fonts.small)
                p.setPen(_MUTED)
                p.drawText(
                    QRectF(4 + name_room, y, target_width, _ROW),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                    self.type.elide(fonts.small, target, target_width),
                )
                p.setFont(fonts.body)
                p.setPen(_INK)
            p.drawText(
                QRectF(4, y, name_room, _ROW),
                Qt.AlignmentFlag.AlignVCenter,
                self.type.elide(fonts.body, row.name, name_room),
            )
            for x, cell in zip(self.day_x, row.days, strict=True):
                box = QRectF(x + 1, y + 1, self.day_width - 2, _ROW - 2)
                if cell.status is ReportStatus.DONE:
                    p.fillRect(box, done_fill)
                elif cell.status is ReportStatus.PARTIAL:
                    p.fillRect(box, partial_fill)
                symbol, extra = _cell_text(cell, row_target)
                p.setPen(_INK)
                if extra:
                    p.setFont(fonts.symbol)
                    p.drawText(QRectF(x + 2, y, 10, _ROW), Qt.AlignmentFlag.AlignCenter, symbol)
                    p.setFont(fonts.small)
                    p.drawText(
                        QRectF(x + 11, y, self.day_width - 12, _ROW),
                        Qt.AlignmentFlag.AlignCenter,
                        self.type.elide(fonts.small, extra, self.day_width - 12),
                    )
                else:
                    p.setFont(fonts.symbol)
                    p.setPen(_MUTED if cell.status is ReportStatus.NOT_DUE else _INK)
                    p.drawText(
                        QRectF(x, y, self.day_width, _ROW), Qt.AlignmentFlag.AlignCenter, symbol
                    )
            right = self.name_width + 7 * self.day_width
            p.setFont(fonts.small)
            p.setPen(_INK)
            week = f"{row.done}/{row.due}" if row.due else "–"
            p.drawText(QRectF(right, y, self.week_width, _ROW), Qt.AlignmentFlag.AlignCenter, week)
            streak = row.streak
            long_run = streak.current >= 7 and streak.current == streak.best
            p.setFont(fonts.bold_small if long_run else fonts.small)
            text = f"{streak.current} (best {streak.best})" if streak.best else "–"
            p.drawText(
                QRectF(right + self.week_width, y, self.streak_width, _ROW),
                Qt.AlignmentFlag.AlignCenter,
                ("★ " if long_run else "") + text,
            )
            p.setPen(QPen(_RULE, 0.3))
            p.drawLine(QPointF(0, y + _ROW), QPointF(self.width, y + _ROW))

        return _Piece(_ROW, paint)

    def _line(self, text: str, colour: QColor) -> _Piece:
        font = self.fonts.body

        def paint(p: QPainter, y: float) -> None:
            p.setFont(font)
            p.setPen(colour)
            p.drawText(QRectF(4, y, self.width - 4, 11), Qt.AlignmentFlag.AlignVCenter, text)

        return _Piece(11.0, paint)

    def _extras(self, member: MemberWeekRead) -> list[_Piece]:
        """Streak highlights, rewards and notes under the grid, the day-by-day chart beside
        them."""
        rates = member.day_rates
        charted = any(rate is not None for rate in rates)
        room = self.width - 8 - ((_CHART_WIDTH + _CHART_GAP) if charted else 0)
        lines = [(line, _INK, 4.0) for line in self._facts(member, room)]
        notes = member.notes
        shown = notes[:_NOTE_LINES]
        for note in shown:
            text = f"{note.day:%a} {note.day.day} · {note.item}: {note.text}"
            lines += [
                (line, _MUTED, 8.0) for line in self.type.wrap(self.fonts.small, text, room - 8)[:2]
            ]
        if len(notes) > len(shown):
            lines.append((f"and {len(notes) - len(shown)} more notes", _MUTED, 8.0))
        # The text keeps a little room under the grid; the chart's title has its own.
        height = max(_TEXT_TOP + 11.0 * len(lines), _CHART_HEIGHT if charted else 0.0)

        def paint(p: QPainter, y: float) -> None:
            p.setFont(self.fonts.small)
            for k, (text, colour, indent) in enumerate(lines):
                p.setPen(colour)
                p.drawText(
                    QRectF(indent, y + _TEXT_TOP + 11 * k, room - indent + 4, 11),
                    Qt.AlignmentFlag.AlignVCenter,
                    text,
                )
            if charted:
                box = QRectF(self.width - _CHART_WIDTH, y, _CHART_WIDTH, _CHART_HEIGHT)
                self._chart(p, box, member.colour, rates)

        return [_Piece(height, paint)]

    def _facts(self, member: MemberWeekRead, room: float) -> list[str]:
        rows: list[ReportRoutineRow | ReportHabitRow] = [*member.routines, *member.habits]
        best = max(rows, key=lambda r: r.streak.current, default=None)
        facts: list[str] = []
        if best is not None and best.streak.current >= 3:
            facts.append(f"Longest streak now: {best.name}, {best.streak.current} days")
        if member.rewards:
            got = ", ".join(f"{r.reward_name} ({r.cost} points)" for r in member.rewards)
            facts.append(f"Rewards: {got}")
        return [line for fact in facts for line in self.type.wrap(self.fonts.small, fact, room)]

    def _chart(self, p: QPainter, box: QRectF, colour: str, rates: Sequence[float | None]) -> None:
        """The share of what was due that was done, each day (no bar: nothing was due)."""
        labels = [f"{day:%a}"[:2] for day in self.report.days]
        values = [None if rate is None else 100 * rate for rate in rates]
        p.save()
        p.translate(box.topLeft())
        p.scale(1 / _CHART_PIXELS, 1 / _CHART_PIXELS)
        p.setFont(self.fonts.chart)
        paint_bar_chart(
            p,
            QRectF(0, 0, box.width() * _CHART_PIXELS, box.height() * _CHART_PIXELS),
            self.palette,
            labels,
            [Series("Done", values, colour)],
            y_max=_CHART_TOP,
            value_text=_chart_tick,
            title="Done each day",
        )
        p.restore()


def _day_text(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


# --- pagination and drawing ------------------------------------------------------------------


def paginate(
    blocks: Sequence[_Block], first: _Piece, continued: _Piece, height: float
) -> list[list[_Piece]]:
    """Pages of pieces: a block stays whole when it fits a fresh page; only a taller one is
    continued, its `repeat` pieces opening the next page."""
    pages: list[list[_Piece]] = [[first]]
    used = first.height

    def new_page() -> None:
        nonlocal used
        pages.append([continued])
        used = continued.height

    for block in blocks:
        fresh = height - continued.height
        if used + block.height > height and block.height <= fresh:
            new_page()
        if used + block.height <= height:
            pages[-1].extend(block.pieces)
            used += block.height
            continue
        # Taller than a page: row by row, repeating the member's title and days.
        for k, piece in enumerate(block.pieces):
            if used + piece.height > height:
                new_page()
                if k >= len(block.repeat):
                    pages[-1].extend(block.repeat)
                    used += sum(p.height for p in block.repeat)
            pages[-1].append(piece)
            used += piece.height
    return pages


def _writer(path: str) -> QPdfWriter:
    writer = QPdfWriter(path)
    writer.setResolution(RESOLUTION)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN, MARGIN, MARGIN, MARGIN),
            QPageLayout.Unit.Point,
        )
    )
    writer.setCreator("HabitDesk")
    return writer


def render_pdf(report: WeekReportRead, path: str | os.PathLike[str]) -> int:
    """Draw the report into the PDF file `path` (replaced if it exists); the number of pages."""
    writer = _writer(os.fspath(path))
    writer.setTitle(f"{report.family_name} – {report.label}")
    area = writer.pageLayout().paintRect(QPageLayout.Unit.Point)
    size = QSizeF(area.width(), area.height())
    typesetter = _Typesetter(writer)
    layout = _Layout(report, typesetter, size.width())
    footer_room = 16.0
    pages = paginate(
        [layout.block(m) for m in report.members],
        layout.header(),
        layout.continued(),
        size.height() - footer_room,
    )
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"Cannot write {os.fspath(path)}")
    try:
        scale = RESOLUTION / 72.0
        painter.scale(scale, scale)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        for number, pieces in enumerate(pages, start=1):
            if number > 1:
                writer.newPage()
            painter.fillRect(QRectF(0, 0, size.width(), size.height()), _PAPER)
            y = 0.0
            for piece in pieces:
                piece.paint(painter, y)
                y += piece.height
            _footer(painter, typesetter, report, size, number, len(pages))
    finally:
        painter.end()
    return len(pages)


def _footer(
    p: QPainter, type_: _Typesetter, report: WeekReportRead, size: QSizeF, page: int, pages: int
) -> None:
    p.setFont(type_.fonts.small)
    p.setPen(_MUTED)
    box = QRectF(0, size.height() - 10, size.width(), 10)
    p.drawText(
        box, Qt.AlignmentFlag.AlignLeft, f"HabitDesk · {report.family_name} · {report.label}"
    )
    p.drawText(box, Qt.AlignmentFlag.AlignRight, f"Page {page} of {pages}")


def save_pdf(report: WeekReportRead, path: str | os.PathLike[str]) -> int:
    """`render_pdf` into a temporary file beside `path`, then renamed over it: a failure leaves
    no half-written report (and an existing file untouched). The number of pages."""
    target = Path(path)
    folder = target.parent if str(target.parent) else Path(".")
    if not folder.is_dir():
        raise FileNotFoundError(f"No folder {folder} to save the report in.")
    # Named here rather than made by mkstemp, so the PDF gets the usual file permissions.
    temporary = folder / f".{target.name}.{uuid.uuid4().hex[:8]}.part"
    try:
        pages = render_pdf(report, temporary)
        if os.path.getsize(temporary) == 0:
            raise OSError(f"Could not write the report to {target}.")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return pages


__all__ = ["LEGEND", "RESOLUTION", "SYMBOLS", "paginate", "render_pdf", "save_pdf"]
