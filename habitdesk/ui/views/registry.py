"""The screens, in navigation order (Ctrl+1 … Ctrl+7)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from habitdesk.ui.context import AppContext
from habitdesk.ui.views.base import View


@dataclass(frozen=True)
class ScreenInfo:
    screen_id: str
    title: str
    icon: str
    module: str
    class_name: str

    def create(self, context: AppContext, parent: QWidget | None = None) -> View:
        cls = getattr(importlib.import_module(self.module), self.class_name)
        view: View = cls(context, parent)
        return view


SCREENS = (
    ScreenInfo("today", "Today", "☀", "habitdesk.ui.views.today", "TodayView"),
    ScreenInfo("family", "Family", "👪", "habitdesk.ui.views.family", "FamilyView"),
    ScreenInfo("routines", "Routines", "☑", "habitdesk.ui.views.routines", "RoutinesView"),
    ScreenInfo("habits", "Habits", "◎", "habitdesk.ui.views.habits", "HabitsView"),
    ScreenInfo("history", "History", "📈", "habitdesk.ui.views.history", "HistoryView"),
    ScreenInfo("rewards", "Rewards", "🎁", "habitdesk.ui.views.rewards", "RewardsView"),
    ScreenInfo("settings", "Settings", "⚙", "habitdesk.ui.views.settings", "SettingsView"),
)
SCREEN_IDS = tuple(s.screen_id for s in SCREENS)
