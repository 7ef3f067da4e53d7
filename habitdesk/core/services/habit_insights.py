"""A habit's detail: its every day with scores, streaks, overview figures, frequency by weekday
and totals per week and month, in one read transaction of four statements however long its
history (the habit; the family with the reader's role; the versions; the entries).

The reading and laying out are StatsService's (`habit_stats` reads one habit the same way);
the judging is the domain's: `history_days`, `scores`, `streaks` and `habit_insights`, each
day by the rules in force on it. `detail_entries` and `habit_detail_read` are public so the
Habits screen's overview can read the selected habit's detail in its own transaction (one
statement more there instead of a second transaction of four).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from habitdesk.core.db.database import Database
from habitdesk.core.domain import habit_insights as insights
from habitdesk.core.domain.completion import Period
from habitdesk.core.domain.days import family_today
from habitdesk.core.domain.habit_rules import version_for_day
from habitdesk.core.domain.history_days import HabitDays, history_start
from habitdesk.core.domain.scores import habit_scores, initial_score
from habitdesk.core.enums import WeekStart
from habitdesk.core.models import Habit
from habitdesk.core.models.base import utcnow
from habitdesk.core.schemas.habit_insights import HabitDetailRead, PeriodSeriesRead
from habitdesk.core.schemas.habits import HabitEntryRead, HabitVersionRead
from habitdesk.core.services.base import READERS, Actor, Service, family_and_role, get_live
from habitdesk.core.services.habit_queries import (
    ENTRY,
    RAW_ENTRY_COLUMNS,
    collector_paused,
    fetch_entries,
    versions_of,
)
from habitdesk.core.services.history_reads import habit_days_of, habit_streaks, streak_read


def _series(
    days: HabitDays,
    scores: Sequence[float],
    period: Period,
    detail_rules: HabitVersionRead,
    week_start: WeekStart,
) -> PeriodSeriesRead:
    found = insights.period_totals(days, scores, period, week_start)
    return PeriodSeriesRead(
        period=period,
        labels=tuple(p.label for p in found),
        starts=tuple(p.start for p in found),
        ends=tuple(p.end for p in found),
        done=tuple(p.done for p in found),
        amounts=tuple(p.amount for p in found),
        scores=tuple(p.score for p in found),
        target=insights.period_target(detail_rules.rules(), period),
    )


class HabitInsightsService(Service):
    def __init__(self, database: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        super().__init__(database)
        # Injected so tests can stand on either side of midnight or the day-start hour.
        self._clock = clock

    async def habit_detail(self, actor: Actor, habit_id: UUID) -> HabitDetailRead:
        """Everything the habit's detail shows, from its first day to the family's today.

        Any member of the family may read it (a viewer too: reading is all they do).
        """
        async with self.db.read() as session:
            habit = await get_live(session, Habit, habit_id, "habit")
            family, _role = await family_and_role(
                session, actor, habit.family_id, READERS, "see habit statistics"
            )
            today = family_today(family.time_zone, family.day_start_hour, self._clock())
            versions = await versions_of(session, habit.id)
            entries = await detail_entries(session, habit.id, today)
        # Judging five years of days takes milliseconds: a worker thread does it, so the
        # caller's event loop (the app's UI) keeps answering meanwhile.
        with collector_paused():
            return await asyncio.to_thread(
                habit_detail_read, habit, family.week_start, today, versions, entries
            )


async def detail_entries(
    session: AsyncSession, habit_id: UUID, today: date
) -> list[HabitEntryRead]:
    """The habit's live entries up to `today`, oldest first: what its detail judges."""
    return await fetch_entries(
        session,
        select(*RAW_ENTRY_COLUMNS)
        .where(ENTRY.habit_id == habit_id, ENTRY.day <= today, ENTRY.deleted_at.is_(None))
        .order_by(ENTRY.day),
    )


def habit_detail_read(
    habit: Habit,
    week_start: WeekStart,
    today: date,
    versions: Sequence[HabitVersionRead],
    entries: Sequence[HabitEntryRead],
) -> HabitDetailRead:
    """The habit's detail from rows already read (pure: no session, no I/O)."""
    first_day = history_start(versions, entries[0].day if entries else None)
    # A habit whose rules start after today has no days yet: it starts today, empty.
    first_day = min(first_day, today)
    days = habit_days_of(versions, entries, first_day, today)
    scores = habit_scores(days)
    initial = initial_score(days.spans[0].rules)
    changes = insights.score_changes(first_day, scores, initial, today)
    found = habit_streaks(versions, days, today)
    frequency = insights.weekday_frequency(days, today)
    # Today's rules: rules set for a later day are not in force yet.
    latest = version_for_day(versions, today)
    return HabitDetailRead(
        habit_id=habit.id,
        family_id=habit.family_id,
        user_id=habit.user_id,
        name=habit.name,
        colour=habit.colour,
        archived=habit.archived,
        kind=latest.kind,
        unit=latest.unit,
        direction=latest.direction,
        target_value=latest.target_value,
        versions=tuple(versions),
        week_start=week_start,
        first_day=first_day,
        today=today,
        statuses=tuple(days.statuses),
        values=tuple(days.values),
        notes=tuple(days.notes),
        scores=tuple(scores),
        progress=tuple(insights.day_progress(days)),
        score=changes.today,
        score_month_ago=changes.month_ago,
        score_year_ago=changes.year_ago,
        total_completions=insights.total_completions(days),
        current_streak=found.current_length,
        current=streak_read(found.current) if found.current else None,
        best_streaks=tuple(streak_read(s) for s in found.best),
        weekday_done=frequency.done,
        weekday_due=frequency.due,
        weeks=_series(days, scores, Period.WEEK, latest, week_start),
        months=_series(days, scores, Period.MONTH, latest, week_start),
    )


__all__ = ["HabitInsightsService", "detail_entries", "habit_detail_read"]
