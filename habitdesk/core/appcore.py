"""`AppCore`: the one object the desktop app holds to reach the core.

The UI never touches the database layer; it opens an AppCore and calls its services. Opening
checks the schema with one query (and migrates the embedded file on first use); closing disposes
the engine so the app shuts down without pending connections.
"""

from __future__ import annotations

from dataclasses import dataclass

from habitdesk.core.config import Settings
from habitdesk.core.db.database import Database
from habitdesk.core.db.urls import Backend
from habitdesk.core.services.activity import ExerciseService
from habitdesk.core.services.habit_insights import HabitInsightsService
from habitdesk.core.services.habit_overview import HabitOverviewService
from habitdesk.core.services.habits import HabitService
from habitdesk.core.services.lookup import LookupService
from habitdesk.core.services.people import FamilyService, UserService
from habitdesk.core.services.points import PointsService
from habitdesk.core.services.report import WeekReportService
from habitdesk.core.services.routines import RoutineService
from habitdesk.core.services.stats import StatsService
from habitdesk.core.services.today import TodayService


@dataclass(frozen=True)
class ConnectionInfo:
    """What the window shows about where the data lives (never the password)."""

    kind: str  # "local" or "shared"
    display: str
    pooler: bool


class AppCore:
    def __init__(self, database: Database) -> None:
        self._db = database
        self.users = UserService(database)
        self.families = FamilyService(database)
        self.routines = RoutineService(database)
        self.habits = HabitService(database)
        self.habit_overview = HabitOverviewService(database)
        self.exercise = ExerciseService(database)
        self.points = PointsService(database)
        self.lookup = LookupService(database)
        self.today = TodayService(database)
        self.stats = StatsService(database)
        self.reports = WeekReportService(database)
        self.habit_insights = HabitInsightsService(database)

    @classmethod
    async def open(cls, settings: Settings) -> AppCore:
        from habitdesk.core.db.connect import open_database

        return cls(await open_database(settings))

    @classmethod
    def from_url(cls, url: str) -> AppCore:
        """For tests and tools that already hold a migrated database URL."""
        return cls(Database.from_url(url))

    @property
    def connection(self) -> ConnectionInfo:
        target = self._db.target
        kind = "local" if target.backend is Backend.SQLITE else "shared"
        return ConnectionInfo(kind, target.display, target.pooler)

    async def close(self) -> None:
        await self._db.dispose()
