"""The label styles every screen and dialog uses: a dialog's title, a section heading and muted
help text."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel


def heading(text: str, size: float = 12.5) -> QLabel:
    label = QLabel(text)
    # A style sheet, not setFont: the theme's `QWidget { font-size }` rule would win over it.
    label.setStyleSheet(f"font-size: {size}pt; font-weight: 600;")
    return label


def dialog_title(text: str) -> QLabel:
    """A dialog's big title (the theme styles `screenTitle`). It wraps: it often holds a name of
    up to 100 characters, which a fixed-width dialog would otherwise cut off."""
    label = QLabel(text)
    label.setObjectName("screenTitle")
    label.setWordWrap(True)
    return label


def muted_label(text: str = "", *, wrap: bool = True) -> QLabel:
    """Secondary text in the theme's muted colour (`muted` property, light and dark)."""
    label = QLabel(text)
    label.setProperty("muted", True)
    label.setWordWrap(wrap)
    return label


__all__ = ["dialog_title", "heading", "muted_label"]
