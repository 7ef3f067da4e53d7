"""Light and dark: follow the system, or the user's choice saved in QSettings."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from habitdesk.core.paths import resources_dir

THEMES = ("system", "light", "dark")
_SETTING = "appearance/theme"

# Accent used for selection and primary buttons in both themes.
ACCENT = "#3D7BE0"


def saved_theme() -> str:
    value = QSettings().value(_SETTING, "system")
    return value if value in THEMES else "system"


def save_theme(theme: str) -> None:
    QSettings().setValue(_SETTING, theme)


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether `palette` (the application's by default) is the dark theme's."""
    palette = palette if palette is not None else QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def apply_theme(app: QApplication, theme: str | None = None) -> None:
    theme = theme or saved_theme()
    app.setStyle("Fusion")
    hints = app.styleHints()
    scheme = {
        "light": Qt.ColorScheme.Light,
        "dark": Qt.ColorScheme.Dark,
        "system": Qt.ColorScheme.Unknown,
    }[theme]
    hints.setColorScheme(scheme)
    dark = scheme == Qt.ColorScheme.Dark or (
        scheme == Qt.ColorScheme.Unknown and hints.colorScheme() == Qt.ColorScheme.Dark
    )
    app.setPalette(_palette(dark))
    app.setStyleSheet(_style_sheet(dark))


def _palette(dark: bool) -> QPalette:
    palette = QPalette()
    if dark:
        colours = {
            QPalette.ColorRole.Window: "#1F2227",
            QPalette.ColorRole.WindowText: "#E6E8EB",
            QPalette.ColorRole.Base: "#272B31",
            QPalette.ColorRole.AlternateBase: "#2E333A",
            QPalette.ColorRole.Text: "#E6E8EB",
            QPalette.ColorRole.Button: "#2E333A",
            QPalette.ColorRole.ButtonText: "#E6E8EB",
            QPalette.ColorRole.ToolTipBase: "#2E333A",
            QPalette.ColorRole.ToolTipText: "#E6E8EB",
            QPalette.ColorRole.PlaceholderText: "#8A9099",
            QPalette.ColorRole.Highlight: ACCENT,
            QPalette.ColorRole.HighlightedText: "#FFFFFF",
            QPalette.ColorRole.Link: "#7FB0FF",
            QPalette.ColorRole.Mid: "#3A4048",
        }
    else:
        colours = {
            QPalette.ColorRole.Window: "#F5F6F8",
            QPalette.ColorRole.WindowText: "#1F2328",
            QPalette.ColorRole.Base: "#FFFFFF",
            QPalette.ColorRole.AlternateBase: "#F0F2F5",
            QPalette.ColorRole.Text: "#1F2328",
            QPalette.ColorRole.Button: "#FFFFFF",
            QPalette.ColorRole.ButtonText: "#1F2328",
            QPalette.ColorRole.ToolTipBase: "#FFFFFF",
            QPalette.ColorRole.ToolTipText: "#1F2328",
            QPalette.ColorRole.PlaceholderText: "#8A9099",
            QPalette.ColorRole.Highlight: ACCENT,
            QPalette.ColorRole.HighlightedText: "#FFFFFF",
            QPalette.ColorRole.Link: "#2F6BD0",
            QPalette.ColorRole.Mid: "#D5D9DF",
        }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    disabled = QColor("#6B717A") if dark else QColor("#A0A6AE")
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
        QPalette.ColorRole.WindowText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return palette


def _style_sheet(dark: bool) -> str:
    border = "#3A4048" if dark else "#D5D9DF"
    card = "#272B31" if dark else "#FFFFFF"
    muted = "#9AA1AB" if dark else "#5F6670"
    nav = "#181B1F" if dark else "#EBEDF1"
    return f"""
    QWidget {{ font-size: 10pt; }}
    #navigation {{ background: {nav}; border: none; padding-top: 8px; outline: 0; }}
    #navigation::item {{ padding: 9px 14px; border-radius: 6px; margin: 1px 8px; }}
    #navigation::item:selected {{ background: {ACCENT}; color: white; border: none; }}
    #navigation::item:hover:!selected {{ background: {border}; }}
    #header {{ border-bottom: 1px solid {border}; }}
    #familyName {{ font-size: 15pt; font-weight: 600; }}
    #screenTitle {{ font-size: 17pt; font-weight: 600; }}
    .muted, QLabel[muted="true"] {{ color: {muted}; }}
    QFrame[card="true"] {{ background: {card}; border: 1px solid {border}; border-radius: 10px; }}
    #messageBar {{ border-radius: 6px; padding: 6px 10px; }}
    #messageBar[kind="error"] {{ background: {"#5A2A2A" if dark else "#FDECEC"}; color: {"#FFD6D6" if dark else "#8A1F1F"}; }}
    #messageBar[kind="info"] {{ background: {"#233A5A" if dark else "#EAF2FE"}; color: {"#D6E6FF" if dark else "#1F3F73"}; }}
    #messageBar[kind="offline"] {{ background: {"#5A4A23" if dark else "#FFF4D6"}; color: {"#FFEBB3" if dark else "#6B4E00"}; }}
    QPushButton[primary="true"] {{ background: {ACCENT}; color: white; border: none; border-radius: 6px; padding: 6px 14px; }}
    QPushButton[primary="true"]:disabled {{ background: {border}; color: {muted}; }}
    QLabel[fieldError="true"] {{ color: {"#FF9C9C" if dark else "#B3261E"}; }}
    {_indicators(dark)}
    """


def _indicators(dark: bool) -> str:
    """Radio buttons and check boxes drawn by us: Fusion outlines them in the window colour made
    darker, which on the dark theme left them all but invisible."""
    outline = "#8A939E" if dark else "#8C939C"
    base = "#272B31" if dark else "#FFFFFF"
    disabled = "#4A5058" if dark else "#C9CDD3"
    tick = (resources_dir() / "check.svg").as_posix()
    dot = (
        "qradialgradient(cx:0.5, cy:0.5, radius:0.5, fx:0.5, fy:0.5, "
        f"stop:0 {ACCENT}, stop:0.42 {ACCENT}, stop:0.5 {base}, stop:1 {base})"
    )
    return f"""
    QRadioButton::indicator, QCheckBox::indicator {{ width: 14px; height: 14px;
        border: 2px solid {outline}; background: {base}; }}
    QRadioButton::indicator {{ border-radius: 9px; }}
    QCheckBox::indicator {{ border-radius: 4px; }}
    QRadioButton::indicator:hover, QCheckBox::indicator:hover,
    QRadioButton::indicator:focus, QCheckBox::indicator:focus {{ border-color: {ACCENT}; }}
    QRadioButton::indicator:checked {{ border-color: {ACCENT}; background: {dot}; }}
    QCheckBox::indicator:checked {{ border-color: {ACCENT}; background: {ACCENT};
        image: url({tick}); }}
    QCheckBox::indicator:indeterminate {{ border-color: {ACCENT}; background: {ACCENT}; }}
    QRadioButton::indicator:disabled, QCheckBox::indicator:disabled {{
        border-color: {disabled}; }}
    QCheckBox::indicator:checked:disabled {{ background: {disabled}; }}
    """
