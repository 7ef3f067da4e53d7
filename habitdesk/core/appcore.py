"""`AppCore`: the one object the desktop app holds to reach the core.

The UI never touches the database layer; it opens an AppCore and calls its services. Opening
checks the schema with one query (and migrates the embedded file on first use); closing disposes
the engine so the app shuts down without pending connections.

Each service is made (and its module imported) on first use: importing every service with the
read-models of every screen cost ≈60 ms of the desktop app's start, where the Today screen needs
two of them. `SERVICES` names them all, for a caller that wants them ready ahead of use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from habitdesk.core.config import Settings
from habitdesk.core.db.database import Database
from habitdesk.core.db.urls import Backend

if TYPE_CHECKING:
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
    SERVICES = (
        "users",
        "families",
        "routines",
        "habits",
        "habit_overview",
        "exercise",
        "points",
        "lookup",
        "today",
        "stats",
        "reports",
        "habit_insights",
    )

    def __init__(self, database: Database) -> None:
        self._db = database

    @cached_property
    def users(self) -> UserService:
        from habitdesk.core.services.people import UserService

        return UserService(self._db)

    @cached_property
    def families(self) -> FamilyService:
        from habitdesk.core.services.people import FamilyService

        return FamilyService(self._db)

    @cached_property
    def routines(self) -> RoutineService:
        from habitdesk.core.services.routines import RoutineService

        return RoutineService(self._db)

    @cached_property
    def habits(self) -> HabitService:
        from habitdesk.core.services.habits import HabitService

        return HabitService(self._db)

    @cached_property
    def habit_overview(self) -> HabitOverviewService:
        from habitdesk.core.services.habit_overview import HabitOverviewService

        return HabitOverviewService(self._db)

    @cached_property
    def exercise(self) -> ExerciseService:
        from habitdesk.core.services.activity import ExerciseService

        return ExerciseService(self._db)

    @cached_property
    def points(self) -> PointsService:
        from habitdesk.core.services.points import PointsService

        return PointsService(self._db)

    @cached_property
    def lookup(self) -> LookupService:
        from habitdesk.core.services.lookup import LookupService

        return LookupService(self._db)

    @cached_property
    def today(self) -> TodayService:
        from habitdesk.core.services.today import TodayService

        return TodayService(self._db)

    @cached_property
    def stats(self) -> StatsService:
        from habitdesk.core.services.stats import StatsService

        return StatsService(self._db)

    @cached_property
    def reports(self) -> WeekReportService:
        from habitdesk.core.services.report import WeekReportService

        return WeekReportService(self._db)

    @cached_property
    def habit_insights(self) -> HabitInsightsService:
        from habitdesk.core.services.habit_insights import HabitInsightsService

        return HabitInsightsService(self._db)

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


def import_for_first_screen() -> None:
    """Import what opening the core and showing the Today screen need from it, ahead of use.

    The desktop app calls this before it imports PySide6: from then on PySide6 reads the source
    of every module imported (looking for its own name, for its `__feature__` switches), which
    made the same imports ≈60 ms slower. SQLAlchemy's mappers are set up here too (≈15 ms,
    otherwise done by the first query, importing as it goes).
    """
    from sqlalchemy.orm import configure_mappers

    import habitdesk.core.db.connect
    import habitdesk.core.services.people
    import habitdesk.core.services.today  # noqa: F401

    configure_mappers()
