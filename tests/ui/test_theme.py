"""Radio buttons and check boxes stand out from the window in both themes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QRadioButton, QVBoxLayout, QWidget

from habitdesk.ui.theme import ACCENT, apply_theme
from tests.ui.pixels import count_near


@pytest.fixture(params=["light", "dark"])
def theme(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    apply_theme(qapp, request.param)
    yield request.param
    apply_theme(qapp, "system")  # the palette is application-wide: leave it as found


def standing_out(image: QImage, rect: QRect, background: QColor, difference: int = 70) -> int:
    """Pixels inside `rect` whose lightness is at least `difference` away from the background."""
    area = rect.intersected(image.rect())
    count = 0
    for y in range(area.top(), area.bottom() + 1):
        for x in range(area.left(), area.right() + 1):
            if abs(image.pixelColor(x, y).lightness() - background.lightness()) >= difference:
                count += 1
    return count


def grab_indicators(qapp: QApplication) -> tuple[QImage, dict[str, QRect], QColor]:
    """The four states side by side, and where each one's indicator is drawn."""
    holder = QWidget()
    layout = QVBoxLayout(holder)
    buttons: dict[str, QWidget] = {}
    for name, button in (
        ("radio", QRadioButton("Missed")),
        ("radio checked", QRadioButton("Done")),
        ("box", QCheckBox("Remind me")),
        ("box checked", QCheckBox("Every day")),
    ):
        if name.endswith("checked"):
            button.setChecked(True)
        button.setAutoExclusive(False)  # two radio buttons in one holder: both states shown
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # a focused one is outlined in the accent
        layout.addWidget(button)
        buttons[name] = button
    holder.resize(240, 160)
    holder.show()
    qapp.processEvents()
    image = holder.grab().toImage()
    # The indicator sits at the button's left edge, as high as the button.
    rects = {
        name: QRect(b.x(), b.y(), min(22, b.height()), b.height()) for name, b in buttons.items()
    }
    background = holder.palette().color(QPalette.ColorRole.Window)
    holder.deleteLater()
    return image, rects, background


def test_every_indicator_is_outlined_clearly(theme: str, qapp: QApplication) -> None:
    image, rects, background = grab_indicators(qapp)
    for name, rect in rects.items():
        # A ring of 14 px across is ≈40 px of outline; Fusion's dark outline gave almost none.
        assert standing_out(image, rect, background) >= 30, (theme, name)


def test_checked_ones_are_marked_in_the_accent_colour(theme: str, qapp: QApplication) -> None:
    image, rects, _background = grab_indicators(qapp)
    accent = QColor(ACCENT)
    assert count_near(image, rects["radio checked"], accent, tolerance=30) >= 20
    assert count_near(image, rects["radio"], accent, tolerance=30) == 0
    assert count_near(image, rects["box checked"], accent, tolerance=30) >= 60
    # The tick (resources/check.svg) drawn white on the accent.
    assert count_near(image, rects["box checked"], QColor("#FFFFFF"), tolerance=40) >= 8
    assert count_near(image, rects["box"], accent, tolerance=30) == 0
