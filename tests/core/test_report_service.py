"""The weekly family report through WeekReportService, on every backend."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest

from habitdesk.core.db.database import Database
from habitdesk.core.domain.days import family_today
from habitdesk.core.domain.iso_week import IsoWeek
from habitdesk.core.enums import Role
from habitdesk.core.errors import InvalidInputError, PermissionDeniedError
from habitdesk.core.models import RoutineRun
from habitdesk.core.schemas.habits import HabitRead
from habitdesk.core.schemas.report import MemberWeekRead, ReportStatus, WeekReportRead
from habitdesk.core.schemas.routines import RoutineRead
from habitdesk.core.services.base import Actor
from habitdesk.core.services.habits import HabitService
from habitdesk.core.services.people import FamilyService
from habitdesk.core.services.points import PointsService
from habitdesk.core.services.report import WeekReportService, short_note
from habitdesk.core.services.routines import RoutineService
from tests.core.factories import FamilyFixture, make_family
from tests.core.test_stats_service import count_selects
from tests.core.test_stats_service import fam as fam  # the same family fixture
from tests.core.test_stats_service import new_habit as child_habit

DONE, PARTIAL, SKIPPED = ReportStatus.DONE, ReportStatus.PARTIAL, ReportStatus.SKIPPED
MISSED, NOT_DUE, UPCOMING = ReportStatus.MISSED, ReportStatus.NOT_DUE, ReportStatus.UPCOMING
ADMIN = Actor.local_admin()


def today() -> date:
    # The factory family lives in Europe/Paris with the day starting at midnight.
    return family_today("Europe/Paris", 0)


THIS_WEEK = IsoWeek.of(today())
LAST_WEEK = THIS_WEEK.shifted(-1)
HISTORY_START = LAST_WEEK.monday - timedelta(days=14)


async def new_habit(db: Database, fam: FamilyFixture, **fields: Any) -> HabitRead:
    """The child's daily habit, begun two weeks before last week (unless told otherwise)."""
    return await child_habit(db, fam, **{"effective_from": HISTORY_START, **fields})


async def new_routine(db: Database, fam: FamilyFixture, **fields: Any) -> RoutineRead:
    """The child's daily "Morning" routine of one step, begun with the history (unless told
    otherwise)."""
    data: dict[str, Any] = {
        "family_id": fam.family.id,
        "user_id": fam.child.user_id,
        "name": "Morning",
        "weekdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
        "steps": [{"title": "Wake up"}],
        "effective_from": HISTORY_START,
        **fields,
    }
    return (await RoutineService(db).create_routine(ADMIN, data)).value


async def mark(db: Database, habit: HabitRead, day: date, **data: Any) -> None:
    await HabitService(db).set_entry(ADMIN, habit.id, day, data)


def member(report: WeekReportRead, user_id: Any) -> MemberWeekRead:
    return next(m for m in report.members if m.user_id == user_id)


async def test_each_day_is_judged_by_the_rules_in_force_that_day(
    database: Database, fam: FamilyFixture
) -> None:
    habit = await new_habit(database, fam)
    mon, tue, _wed, thu, _fri, sat, _sun = LAST_WEEK.days
    # From Thursday on, only Saturdays are asked for.
    await HabitService(database).update_habit(
        ADMIN, habit.id, {"weekdays": ["sat"], "effective_from": thu}
    )
    await mark(database, habit, mon, status="done", note="  Finished   the book!  ")
    await mark(database, habit, tue, skip=True)
    await mark(database, habit, sat, status="done")
    report = await WeekReportService(database).week_report(
        fam.actor(fam.owner), fam.family.id, LAST_WEEK
    )
    (row,) = member(report, fam.child.user_id).habits
    assert [c.status for c in row.days] == [
        DONE, SKIPPED, MISSED, NOT_DUE, NOT_DUE, DONE, NOT_DUE,
    ]  # fmt: skip
    assert (row.done, row.due) == (2, 3)
    assert row.streak.current == 1  # Saturday, after Wednesday's miss
    child = member(report, fam.child.user_id)
    assert (child.done, child.due, child.rate) == (2, 3, pytest.approx(2 / 3))
    # Day by day, for the chart: a skip and the days not asked for count in nothing.
    assert child.day_rates == (1.0, None, 0.0, None, None, 1.0, None)
    assert report.day_rates == child.day_rates
    (note,) = child.notes
    assert (note.day, note.item, note.text) == (mon, "Read 20 minutes", "Finished the book!")
    assert (report.label, report.days) == (LAST_WEEK.label, LAST_WEEK.days)
    assert report.heading == LAST_WEEK.heading
    assert report.upcoming_days == 0


async def test_a_finished_weeks_sunday_counts_for_its_streaks(
    database: Database, fam: FamilyFixture
) -> None:
    habit = await new_habit(database, fam)
    for day in LAST_WEEK.days[:6]:
        await mark(database, habit, day, status="done")
    report = await WeekReportService(database).week_report(ADMIN, fam.family.id, LAST_WEEK)
    (row,) = member(report, fam.child.user_id).habits
    assert row.days[-1].status is MISSED
    # Sunday is over: the six days in a row are no longer the current streak.
    assert (row.streak.current, row.streak.best) == (0, 6)


async def test_a_sunday_week_family_still_gets_the_iso_week_it_asked_for(
    database: Database, fam: FamilyFixture
) -> None:
    await new_habit(database, fam)
    await FamilyService(database).update_family(ADMIN, fam.family.id, {"week_start": "sunday"})
    report = await WeekReportService(database).week_report(ADMIN, fam.family.id, LAST_WEEK.label)
    assert report.days == LAST_WEEK.days and report.days[0].weekday() == 0
    assert (report.week_start.value, report.heading) == ("sunday", LAST_WEEK.heading)


async def test_numeric_habits_carry_value_and_target(
    database: Database, fam: FamilyFixture
) -> None:
    habit = await new_habit(
        database, fam, name="Walk", kind="numeric", target_value=8000, unit="steps"
    )
    mon, tue, wed, *_ = LAST_WEEK.days
    await HabitService(database).update_habit(
        ADMIN, habit.id, {"target_value": 5000, "effective_from": wed}
    )
    await mark(database, habit, mon, value=9000)
    await mark(database, habit, tue, value=6000)
    await mark(database, habit, wed, value=6000)
    report = await WeekReportService(database).week_report(ADMIN, fam.family.id, LAST_WEEK)
    (row,) = member(report, fam.child.user_id).habits
    assert [(c.status, c.value, c.target) for c in row.days[:3]] == [
        (DONE, 9000, 8000),
        (MISSED, 6000, 8000),
        (DONE, 6000, 5000),
    ]
    assert (row.unit, row.kind.value) == ("steps", "numeric")


async def test_routine_days_show_partial_runs_skips_and_misses(
    database: Database, fam: FamilyFixture
) -> None:
    routines = RoutineService(database)
    routine = await new_routine(
        database,
        fam,
        steps=[{"title": "Wake up"}, {"title": "Brush teeth"}],
        effective_from=LAST_WEEK.monday - timedelta(days=7),
    )
    mon, tue, wed, *_ = LAST_WEEK.days
    for day, steps in ((mon, 2), (tue, 1)):
        run = (await routines.start_run(ADMIN, routine.id, day)).value
        for step in run.steps[:steps]:
            await routines.check_step(ADMIN, run.id, step.step_id)
        await routines.finish_run(ADMIN, run.id)
    await routines.skip_run(ADMIN, routine.id, wed)
    report = await WeekReportService(database).week_report(ADMIN, fam.family.id, LAST_WEEK)
    (row,) = member(report, fam.child.user_id).routines
    assert [c.status for c in row.days] == [DONE, PARTIAL, SKIPPED, *[MISSED] * 4]
    assert [(c.steps_done, c.steps_total) for c in row.days[:2]] == [(2, 2), (1, 2)]
    # Partial counts as due and not done; the skipped day in neither.
    assert (row.done, row.due) == (1, 6)
    assert [c.due for c in row.days] == [True, True, False, *[True] * 4]


async def test_days_after_today_are_upcoming_not_missed(
    database: Database, fam: FamilyFixture
) -> None:
    await new_habit(database, fam)
    report = await WeekReportService(database).week_report(ADMIN, fam.family.id, THIS_WEEK)
    (row,) = member(report, fam.child.user_id).habits
    now = today()
    # Today is not over either: nothing recorded yet is still to come.
    expected = [UPCOMING if day >= now else MISSED for day in THIS_WEEK.days]
    assert [c.status for c in row.days] == expected
    assert row.due == sum(1 for day in THIS_WEEK.days if day < now)
    assert report.today == now
    assert report.upcoming_days == sum(1 for day in THIS_WEEK.days if day > now)


async def test_members_viewers_points_and_what_a_child_may_see(
    database: Database, fam: FamilyFixture
) -> None:
    habit = await new_habit(database, fam, points=5)
    await mark(database, habit, today(), status="done")
    service = WeekReportService(database)
    report = await service.week_report(fam.actor(fam.parent), fam.family.id, THIS_WEEK)
    # Viewers only read; the others are listed, with or without items.
    assert [m.role for m in report.members] == [Role.OWNER, Role.PARENT, Role.CHILD]
    assert member(report, fam.child.user_id).points_earned == 5
    assert member(report, fam.owner.user_id).points_earned == 0
    assert member(report, fam.owner.user_id).rewards == ()
    as_child = await service.week_report(fam.actor(fam.child), fam.family.id, THIS_WEEK)
    assert member(as_child, fam.child.user_id).points_earned == 5
    assert member(as_child, fam.owner.user_id).points_earned is None
    assert member(as_child, fam.owner.user_id).rewards is None
    # Points are counted for the week of the day they were earned for: none last week.
    earlier = await service.week_report(ADMIN, fam.family.id, LAST_WEEK)
    assert member(earlier, fam.child.user_id).points_earned == 0


async def test_points_count_in_the_week_of_the_day_they_were_earned_for(
    database: Database, fam: FamilyFixture
) -> None:
    habit = await new_habit(database, fam, points=5)
    routines = RoutineService(database)
    routine = await new_routine(
        database,
        fam,
        steps=[{"title": "Wake up", "points": 2}, {"title": "Brush teeth", "points": 3}],
    )
    # Both recorded today, back-filled for last week's Monday and Sunday.
    await mark(database, habit, LAST_WEEK.monday, status="done")
    run = (await routines.start_run(ADMIN, routine.id, LAST_WEEK.sunday)).value
    for step in run.steps:
        await routines.check_step(ADMIN, run.id, step.step_id)
    # Given today, with no day but today's.
    await PointsService(database).award(ADMIN, fam.family.id, fam.child.user_id, 4, "Helped")
    service = WeekReportService(database)

    async def points(week: IsoWeek) -> int | None:
        found = await service.week_report(ADMIN, fam.family.id, week)
        return member(found, fam.child.user_id).points_earned

    assert (await points(LAST_WEEK), await points(THIS_WEEK)) == (5 + 2 + 3, 4)
    # Undone now, taken back from the week it was earned for.
    await HabitService(database).clear_entry(ADMIN, habit.id, LAST_WEEK.monday)
    await routines.check_step(ADMIN, run.id, run.steps[0].step_id, checked=False)
    assert (await points(LAST_WEEK), await points(THIS_WEEK)) == (3, 4)


async def test_notes_on_routine_runs_are_listed_with_the_habits_notes(
    database: Database, fam: FamilyFixture
) -> None:
    habit = await new_habit(database, fam)
    routines = RoutineService(database)
    routine = await new_routine(database, fam)
    mon, tue, *_ = LAST_WEEK.days
    skipped = (await routines.skip_run(ADMIN, routine.id, tue)).value
    done = (await routines.start_run(ADMIN, routine.id, mon)).value
    await mark(database, habit, tue, status="done", note="Read in the car")
    # No screen writes a run's note yet; the column is filled here as a sync or import would.
    async with database.transaction() as session:
        for run_id, text in ((skipped.id, "  Ill\n at home "), (done.id, "   ")):
            found = await session.get(RoutineRun, run_id)
            assert found is not None
            found.note = text
    report = await WeekReportService(database).week_report(ADMIN, fam.family.id, LAST_WEEK)
    notes = member(report, fam.child.user_id).notes
    assert [(n.day, n.item, n.text) for n in notes] == [
        (tue, "Morning", "Ill at home"),
        (tue, "Read 20 minutes", "Read in the car"),
    ]


async def test_items_beginning_later_in_the_current_week_are_listed_not_due_before(
    database: Database, fam: FamilyFixture
) -> None:
    mon, tue, _wed, _thu, fri, _sat, _sun = LAST_WEEK.days
    await new_habit(database, fam, name="Floss", effective_from=mon - timedelta(days=7))
    await new_habit(database, fam, name="Stretch", effective_from=fri)
    await new_routine(database, fam, name="Evening", effective_from=fri)
    # Standing on that week's Tuesday afternoon (Paris): Friday is still to come.
    tuesday = datetime.combine(tue, time(15), tzinfo=UTC)
    service = WeekReportService(database, clock=lambda: tuesday)
    report = await service.week_report(ADMIN, fam.family.id, LAST_WEEK)
    child = member(report, fam.child.user_id)
    floss, stretch = child.habits
    (evening,) = child.routines
    assert [c.status for c in floss.days] == [MISSED, UPCOMING, *[UPCOMING] * 5]
    for later in (stretch, evening):
        assert [c.status for c in later.days] == [*[NOT_DUE] * 4, *[UPCOMING] * 3]
        assert (later.done, later.due, later.streak.current, later.streak.best) == (0, 0, 0, 0)
    assert stretch.name == "Stretch" and (child.done, child.due) == (0, 1)


async def test_every_member_may_read_it_and_nobody_else(
    database: Database, fam: FamilyFixture
) -> None:
    service = WeekReportService(database)
    for who in (fam.owner, fam.parent, fam.child, fam.viewer):
        found = await service.week_report(fam.actor(who), fam.family.id, THIS_WEEK)
        assert found.family_name == fam.family.name
    other = await make_family(database, "Dupont")
    with pytest.raises(PermissionDeniedError, match="Only members of this family"):
        await service.week_report(other.actor(other.owner), fam.family.id, THIS_WEEK)


async def test_weeks_without_a_report_are_refused_with_a_clear_message(
    database: Database, fam: FamilyFixture
) -> None:
    await new_habit(database, fam)
    service = WeekReportService(database)
    with pytest.raises(InvalidInputError, match="Week: use the form 2026-W47"):
        await service.week_report(ADMIN, fam.family.id, "last week")
    following = THIS_WEEK.shifted(1)
    with pytest.raises(InvalidInputError, match=f"{following.label} .* has not begun yet"):
        await service.week_report(ADMIN, fam.family.id, following)
    long_ago = LAST_WEEK.shifted(-10)
    first = HISTORY_START
    with pytest.raises(
        InvalidInputError, match=f"history begins .*choose {IsoWeek.of(first).label} or later"
    ):
        await service.week_report(ADMIN, fam.family.id, long_ago.label)
    # The week the history begins in has a report.
    found = await service.week_report(ADMIN, fam.family.id, IsoWeek.of(first).label)
    assert found.label == IsoWeek.of(first).label


async def test_the_report_reads_a_fixed_number_of_statements(
    database: Database, fam: FamilyFixture
) -> None:
    service = WeekReportService(database)
    routines = RoutineService(database)

    async def statements() -> int:
        with count_selects(database) as seen:
            await service.week_report(fam.actor(fam.owner), fam.family.id, LAST_WEEK)
        return len(seen)

    routine = await new_routine(
        database, fam, weekdays=["mon", "wed"], effective_from=LAST_WEEK.monday - timedelta(days=7)
    )
    await routines.skip_run(ADMIN, routine.id, LAST_WEEK.monday)
    first = await new_habit(database, fam)
    await mark(database, first, LAST_WEEK.monday, status="done")
    few = await statements()
    for name in ("Walk", "Floss", "Stretch"):
        habit = await new_habit(database, fam, name=name, user_id=fam.parent.user_id)
        for day in LAST_WEEK.days[::2]:
            await mark(database, habit, day, status="done", note="ok")
    await routines.skip_run(ADMIN, routine.id, LAST_WEEK.days[2])
    assert await statements() == few


def test_long_notes_are_shortened_to_one_line() -> None:
    assert short_note("a\n  b") == "a b"
    long = short_note("word " * 100)
    assert len(long) <= 140 and long.endswith("…")
