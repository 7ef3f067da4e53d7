"""Routines: versioned definitions, and the day-by-day runs of them.

Every change of steps or schedule appends a RoutineVersion instead of editing one, so a run
recorded last month still shows the steps that were asked of the child then. The version in
force on a day is the habits' rule (`habit_rules.version_in_force`): the one started last by
that day, and of two started the same day the higher-numbered.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from habitdesk.core.changes import NO_CHANGES, Changes, Kind
from habitdesk.core.db.database import Database
from habitdesk.core.domain.days import family_today
from habitdesk.core.domain.habit_rules import version_in_force
from habitdesk.core.domain.routine_diff import (
    StepSpec,
    VersionSpec,
    describe_weekdays,
)
from habitdesk.core.domain.weekdays import mask_from_names, names_from_mask
from habitdesk.core.errors import ConflictError, InvalidInputError, NotFoundError
from habitdesk.core.models import (
    Family,
    FamilyMembership,
    Routine,
    RoutineRun,
    RoutineStep,
    RoutineStepCheck,
    RoutineVersion,
    User,
)
from habitdesk.core.models.base import utcnow
from habitdesk.core.models.enums import PointsSource, Role, RunStatus
from habitdesk.core.schemas.common import ReadModel
from habitdesk.core.schemas.routines import (
    FamilyRoutineRunsRead,
    RoutineCreate,
    RoutineRead,
    RoutineRunDaysRead,
    RoutineRunRead,
    RoutineRunsRead,
    RoutineScheduleRead,
    RoutineStepInput,
    RoutineUpdate,
    RoutineVersionRead,
    RunNoteSet,
    parse_routine_input,
    times_problem,
)
from habitdesk.core.services.base import (
    READERS,
    Actor,
    Result,
    Service,
    check_version,
    family_and_role,
    get_live,
    require_editor,
    require_role,
    require_self_or_editor,
)
from habitdesk.core.services.habit_queries import days_list, split_days
from habitdesk.core.services.habits import family_reader
from habitdesk.core.services.ledger import settle_points
from habitdesk.core.services.query_hints import Unindexed
from habitdesk.core.services.routine_reads import routine_read, run_read, spec_of, version_reads

T = TypeVar("T")


class RoutineHistoryRead(ReadModel):
    """A routine with every version of it, oldest first (what the routines screen shows)."""

    routine: RoutineRead
    versions: list[RoutineVersionRead]


# PointsEntry.reason holds 200 characters and the ledger prefixes "Undone: " to reversals.
_REASON_MAX = 190


def _step_specs(steps: Sequence[RoutineStepInput]) -> list[StepSpec]:
    return [StepSpec(s.title, s.duration_minutes, s.points) for s in steps]


def _new_version(
    number: int, effective_from: date, note: str | None, spec: VersionSpec
) -> RoutineVersion:
    return RoutineVersion(
        number=number,
        effective_from=effective_from,
        note=note,
        weekdays=spec.weekdays,
        start_time=spec.start_time,
        finish_by=spec.finish_by,
        steps=[
            RoutineStep(
                position=i, title=s.title, duration_minutes=s.duration_minutes, points=s.points
            )
            for i, s in enumerate(spec.steps)
        ],
    )


def _today(family: Family, now: datetime) -> date:
    return family_today(family.time_zone, family.day_start_hour, now)


def _reason(routine: Routine, step: RoutineStep) -> str:
    text = f"{routine.name}: {step.title}"
    return text if len(text) <= _REASON_MAX else text[: _REASON_MAX - 1] + "…"


def _with_versions() -> Any:
    return selectinload(Routine.versions).selectinload(RoutineVersion.steps)


class _RaceLostError(ConflictError):
    """Another computer inserted the same one-per-day row a moment before us."""


async def _flush_or_conflict(session: AsyncSession, what: str) -> None:
    """A unique constraint hit here means another computer wrote the same row a moment ago."""
    try:
        await session.flush()
    except IntegrityError:
        raise _RaceLostError(
            f"Someone else {what} at the same moment.", hint="Reload to see it, then try again."
        ) from None


async def _retry_race(attempt: Callable[[], Awaitable[T]]) -> T:
    """Run a one-per-day write again after losing the insert race: the retry then finds the
    row the other computer made, so two people pressing "start" at once both get the run."""
    try:
        return await attempt()
    except _RaceLostError:
        return await attempt()


async def _load_routine(session: AsyncSession, routine_id: uuid.UUID) -> Routine:
    routine = await session.scalar(
        select(Routine)
        .where(Routine.id == routine_id, Routine.deleted_at.is_(None))
        .options(_with_versions())
    )
    if routine is None:
        raise NotFoundError("That routine does not exist (it may have been removed).")
    return routine


async def _require_assignee(
    session: AsyncSession, family_id: uuid.UUID, user_id: uuid.UUID
) -> None:
    found = (
        await session.execute(
            select(FamilyMembership.role, User.full_name)
            .join(User, User.id == FamilyMembership.user_id)
            .where(
                FamilyMembership.family_id == family_id,
                FamilyMembership.user_id == user_id,
                FamilyMembership.deleted_at.is_(None),
                User.deleted_at.is_(None),
            )
        )
    ).first()
    if found is None:
        raise InvalidInputError(
            "Member: that person is not a member of this family; add them to the family first."
        )
    role, full_name = found
    if role is Role.VIEWER:
        raise InvalidInputError(
            f"Member: {full_name} is a viewer and viewers only read; "
            "give the routine to an owner, parent or child."
        )


async def _version_in_force(session: AsyncSession, routine: Routine, day: date) -> RoutineVersion:
    # `version_in_force` in SQL, so a run is written against the version every reader shows for
    # its day, in one statement instead of loading every version.
    version = await session.scalar(
        select(RoutineVersion)
        .where(RoutineVersion.routine_id == routine.id, RoutineVersion.effective_from <= day)
        .order_by(RoutineVersion.effective_from.desc(), RoutineVersion.number.desc())
        .limit(1)
    )
    if version is None:
        first = await session.scalar(
            select(func.min(RoutineVersion.effective_from)).where(
                RoutineVersion.routine_id == routine.id
            )
        )
        starts = first.isoformat() if first else "a later day"
        raise InvalidInputError(
            f"Day: '{routine.name}' starts on {starts}; pick that day or a later one."
        )
    return version


async def _run_reads(
    session: AsyncSession, *conditions: ColumnElement[bool]
) -> list[RoutineRunRead]:
    """Runs matching `conditions`, in four queries however many runs and days there are."""
    rows = (
        await session.execute(
            select(RoutineRun, Routine)
            .join(Routine, Routine.id == RoutineRun.routine_id)
            .where(RoutineRun.deleted_at.is_(None), Routine.deleted_at.is_(None), *conditions)
            .options(selectinload(RoutineRun.checks))
            .order_by(RoutineRun.day, Routine.position, Routine.created_at, RoutineRun.id)
            .execution_options(populate_existing=True)
        )
    ).all()
    version_ids = {run.version_id for run, _ in rows}
    versions: dict[uuid.UUID, RoutineVersion] = {}
    if version_ids:
        found = await session.scalars(
            select(RoutineVersion)
            .where(RoutineVersion.id.in_(version_ids))
            .options(selectinload(RoutineVersion.steps))
        )
        versions = {v.id: v for v in found}
    reads: list[RoutineRunRead] = []
    for run, routine in rows:
        version = versions[run.version_id]
        checks = {c.step_id: c for c in run.checks if c.deleted_at is None}
        reads.append(run_read(routine, run, version, checks))
    return reads


async def _run_read(session: AsyncSession, run_id: uuid.UUID) -> RoutineRunRead:
    return (await _run_reads(session, RoutineRun.id == run_id))[0]


class RoutineService(Service):
    def __init__(self, database: Database, *, clock: Callable[[], datetime] = utcnow) -> None:
        super().__init__(database)
        # Injected so tests can stand on either side of midnight or the day-start hour.
        self._clock = clock

    # ----------------------------------------------------------------- definitions

    async def create_routine(
        self, actor: Actor, data: RoutineCreate | dict[str, Any]
    ) -> Result[RoutineRead]:
        """A routine and its version 1. Owners and parents only."""
        data = parse_routine_input(RoutineCreate, data)
        async with self.db.transaction() as session:
            family = await get_live(session, Family, data.family_id, "family")
            await require_editor(session, actor, family.id, "create routines")
            await _require_assignee(session, family.id, data.user_id)
            position = await session.scalar(
                select(func.coalesce(func.max(Routine.position), -1) + 1).where(
                    Routine.family_id == family.id, Routine.deleted_at.is_(None)
                )
            )
            today = _today(family, self._clock())
            spec = VersionSpec(
                weekdays=mask_from_names(data.weekdays),
                start_time=data.start_time,
                finish_by=data.finish_by,
                steps=tuple(_step_specs(data.steps)),
            )
            routine = Routine(
                family_id=family.id,
                user_id=data.user_id,
                name=data.name,
                position=position or 0,
                versions=[_new_version(1, data.effective_from or today, data.note, spec)],
            )
            session.add(routine)
            await session.flush()
            return Result(
                routine_read(routine, today), Changes.of(Kind.ROUTINES, family_id=family.id)
            )

    async def update_routine(
        self, actor: Actor, routine_id: uuid.UUID, data: RoutineUpdate | dict[str, Any]
    ) -> Result[RoutineRead]:
        """Rename or move the routine; a change of steps or schedule adds version N+1.

        Nothing that differs from the latest version: no new version (and the note is unused).
        """
        return await self.edit_routine(actor, routine_id, data)

    async def edit_routine(
        self,
        actor: Actor,
        routine_id: uuid.UUID,
        data: RoutineUpdate | dict[str, Any],
        *,
        user_id: uuid.UUID | None = None,
    ) -> Result[RoutineRead]:
        """What the routine editor saves: `update_routine`, and with `user_id` the routine handed
        to another member (not a viewer), all in one transaction so a refused part writes nothing.

        The member is not part of a version: runs already made stay with whoever did them.
        """
        data = parse_routine_input(RoutineUpdate, data)
        given = data.model_fields_set
        async with self.db.transaction() as session:
            routine = await _load_routine(session, routine_id)
            await require_editor(session, actor, routine.family_id, "edit routines")
            check_version(routine, data.expected_version, "routine")
            family = await get_live(session, Family, routine.family_id, "family")
            today = _today(family, self._clock())
            for field, message in (
                ("name", "Name: must not be empty"),
                ("position", "Position: must not be empty"),
                ("weekdays", "Weekdays: choose at least one weekday"),
                ("steps", "Steps: add at least one step"),
            ):
                if field in given and getattr(data, field) is None:
                    raise InvalidInputError(message)

            changed = False
            if data.name is not None and data.name != routine.name:
                routine.name = data.name
                changed = True
            if data.position is not None and data.position != routine.position:
                routine.position = data.position
                changed = True
            if user_id is not None and user_id != routine.user_id:
                await _require_assignee(session, routine.family_id, user_id)
                routine.user_id = user_id
                changed = True

            latest = max(routine.versions, key=lambda v: v.number)
            old = spec_of(latest)
            new = VersionSpec(
                weekdays=(
                    mask_from_names(data.weekdays) if data.weekdays is not None else old.weekdays
                ),
                start_time=data.start_time if "start_time" in given else old.start_time,
                finish_by=data.finish_by if "finish_by" in given else old.finish_by,
                steps=tuple(_step_specs(data.steps)) if data.steps is not None else old.steps,
            )
            problem = times_problem(new.start_time, new.finish_by)
            if problem:
                raise InvalidInputError(problem)
            if new != old:
                effective_from = data.effective_from or max(today, latest.effective_from)
                if effective_from < latest.effective_from:
                    raise InvalidInputError(
                        f"Effective from: must be on or after {latest.effective_from.isoformat()}, "
                        f"when version {latest.number} took effect; pick that day or a later one."
                    )
                routine.versions.append(
                    _new_version(latest.number + 1, effective_from, data.note, new)
                )
                # Touch the routine row too, so its edit counter catches a second parent who
                # edited the steps from the same starting point.
                routine.updated_at = self._clock()
                changed = True
            if not changed:
                return Result(routine_read(routine, today), NO_CHANGES)
            await _flush_or_conflict(session, "changed this routine")
            return Result(
                routine_read(routine, today),
                Changes.of(Kind.ROUTINES, family_id=routine.family_id),
            )

    async def archive_routine(
        self,
        actor: Actor,
        routine_id: uuid.UUID,
        archived: bool = True,
        *,
        expected_version: int | None = None,
    ) -> Result[RoutineRead]:
        """Archive (hide from the day's list, keep its history) or, with False, restore."""
        async with self.db.transaction() as session:
            routine = await _load_routine(session, routine_id)
            doing = "archive routines" if archived else "restore routines"
            await require_editor(session, actor, routine.family_id, doing)
            check_version(routine, expected_version, "routine")
            family = await get_live(session, Family, routine.family_id, "family")
            today = _today(family, self._clock())
            if routine.archived == archived:
                return Result(routine_read(routine, today), NO_CHANGES)
            routine.archived = archived
            await session.flush()
            return Result(
                routine_read(routine, today),
                Changes.of(Kind.ROUTINES, family_id=routine.family_id),
            )

    async def remove_routine(
        self, actor: Actor, routine_id: uuid.UUID, *, expected_version: int | None = None
    ) -> Result[None]:
        """Soft delete: the routine leaves every list; points already earned stay earned."""
        async with self.db.transaction() as session:
            routine = await get_live(session, Routine, routine_id, "routine")
            await require_editor(session, actor, routine.family_id, "remove routines")
            check_version(routine, expected_version, "routine")
            routine.soft_delete()
            await session.flush()
            return Result(None, Changes.of(Kind.ROUTINES, Kind.RUNS, family_id=routine.family_id))

    async def reorder_routines(
        self, actor: Actor, family_id: uuid.UUID, ordered_ids: Sequence[uuid.UUID]
    ) -> Result[list[RoutineRead]]:
        """Give the listed routines positions 0, 1, 2… in that order (e.g. one member's list)."""
        ids = list(ordered_ids)
        async with self.db.transaction() as session:
            family = await get_live(session, Family, family_id, "family")
            await require_editor(session, actor, family_id, "reorder routines")
            if len(set(ids)) != len(ids):
                raise InvalidInputError("Order: each routine may appear only once.")
            found = await session.scalars(
                select(Routine)
                .where(
                    Routine.id.in_(ids),
                    Routine.family_id == family_id,
                    Routine.deleted_at.is_(None),
                )
                .options(_with_versions())
            )
            by_id = {r.id: r for r in found}
            missing = len(ids) - len(by_id)
            if missing:
                raise NotFoundError(
                    f"{missing} of the routines to order {'is' if missing == 1 else 'are'} not in "
                    "this family any more (removed by someone else?); reload and try again."
                )
            for position, routine_id in enumerate(ids):
                by_id[routine_id].position = position
            await session.flush()
            today = _today(family, self._clock())
            return Result(
                [routine_read(by_id[i], today) for i in ids],
                Changes.of(Kind.ROUTINES, family_id=family_id),
            )

    async def get_routine(self, routine_id: uuid.UUID) -> RoutineRead:
        async with self.db.read() as session:
            routine = await _load_routine(session, routine_id)
            family = await get_live(session, Family, routine.family_id, "family")
            return routine_read(routine, _today(family, self._clock()))

    async def list_routines(
        self,
        actor: Actor,
        family_id: uuid.UUID,
        user_id: uuid.UUID | None = None,
        include_archived: bool = False,
    ) -> list[RoutineRead]:
        """The family's routines (or one member's) in their order; five queries for any number."""
        async with self.db.read() as session:
            family = await get_live(session, Family, family_id, "family")
            await require_role(session, actor, family_id, READERS, "see this family's routines")
            query = (
                select(Routine)
                .where(Routine.family_id == family_id, Routine.deleted_at.is_(None))
                .options(_with_versions())
                .order_by(Routine.position, Routine.created_at, Routine.id)
            )
            if user_id is not None:
                query = query.where(Routine.user_id == user_id)
            if not include_archived:
                query = query.where(Routine.archived.is_(False))
            today = _today(family, self._clock())
            return [routine_read(r, today) for r in await session.scalars(query)]

    async def list_routines_with_history(
        self,
        actor: Actor,
        family_id: uuid.UUID,
        user_id: uuid.UUID | None = None,
        include_archived: bool = True,
    ) -> list[RoutineHistoryRead]:
        """Each routine with its whole version history (oldest first), in the same five queries
        as `list_routines` however many routines and versions there are: the routines screen
        shows the list and the selected routine's history from this one read."""
        async with self.db.read() as session:
            family = await get_live(session, Family, family_id, "family")
            await require_role(session, actor, family_id, READERS, "see this family's routines")
            query = (
                select(Routine)
                .where(Routine.family_id == family_id, Routine.deleted_at.is_(None))
                .options(_with_versions())
                .order_by(Routine.position, Routine.created_at, Routine.id)
            )
            if user_id is not None:
                query = query.where(Routine.user_id == user_id)
            if not include_archived:
                query = query.where(Routine.archived.is_(False))
            today = _today(family, self._clock())
            found: list[RoutineHistoryRead] = []
            for routine in await session.scalars(query):
                versions = version_reads(routine.versions)
                found.append(
                    RoutineHistoryRead(
                        routine=routine_read(routine, today, versions), versions=versions
                    )
                )
            return found

    async def list_versions(self, routine_id: uuid.UUID) -> list[RoutineVersionRead]:
        """The version history, oldest first, each with what changed since the previous one."""
        async with self.db.read() as session:
            return version_reads((await _load_routine(session, routine_id)).versions)

    async def version_on(self, routine_id: uuid.UUID, day: date) -> RoutineVersionRead | None:
        """The version in force on `day`; None before the routine's first version."""
        async with self.db.read() as session:
            versions = version_reads((await _load_routine(session, routine_id)).versions)
            return version_in_force(versions, day)

    # ----------------------------------------------------------------- runs

    async def start_run(
        self, actor: Actor, routine_id: uuid.UUID, day: date | None = None
    ) -> Result[RoutineRunRead]:
        """The member's run of the routine on `day` (default: the family's today).

        Starting twice returns the same run; starting a skipped run reopens it. A run follows
        the version in force on its day for good, even if the routine is edited afterwards.
        """
        return await _retry_race(lambda: self._start_run(actor, routine_id, day))

    async def _start_run(
        self, actor: Actor, routine_id: uuid.UUID, day: date | None
    ) -> Result[RoutineRunRead]:
        async with self.db.transaction() as session:
            routine = await get_live(session, Routine, routine_id, "routine")
            await require_self_or_editor(
                session, actor, routine.family_id, routine.user_id, "start a routine"
            )
            family = await get_live(session, Family, routine.family_id, "family")
            now = self._clock()
            day = day or _today(family, now)
            run = await session.scalar(
                select(RoutineRun).where(
                    RoutineRun.routine_id == routine.id,
                    RoutineRun.user_id == routine.user_id,
                    RoutineRun.day == day,
                )
            )
            if run is None:
                if routine.archived:
                    raise InvalidInputError(
                        f"'{routine.name}' is archived; restore it before starting it."
                    )
                version = await _version_in_force(session, routine, day)
                run = RoutineRun(
                    routine_id=routine.id,
                    version_id=version.id,
                    user_id=routine.user_id,
                    day=day,
                    status=RunStatus.IN_PROGRESS,
                    started_at=now,
                )
                session.add(run)
            elif run.deleted_at is not None or run.status is RunStatus.SKIPPED:
                run.restore()
                run.status = RunStatus.IN_PROGRESS
                run.started_at = now
                run.finished_at = None
            else:
                return Result(await _run_read(session, run.id), NO_CHANGES)
            await _flush_or_conflict(session, "started this routine for that day")
            return Result(
                await _run_read(session, run.id), Changes.of(Kind.RUNS, family_id=routine.family_id)
            )

    async def check_step(
        self, actor: Actor, run_id: uuid.UUID, step_id: uuid.UUID, checked: bool = True
    ) -> Result[RoutineRunRead]:
        """Check (or uncheck) one step; its points are earned (or given back) in the ledger.

        A run has at most one check row per step, restored rather than re-created, so the check's
        id is a stable ledger source: re-checking never earns the points twice.
        """
        async with self.db.transaction() as session:
            run = await get_live(session, RoutineRun, run_id, "routine run")
            routine = await get_live(session, Routine, run.routine_id, "routine")
            await require_self_or_editor(
                session, actor, routine.family_id, run.user_id, "check off routine steps"
            )
            step = await session.get(RoutineStep, step_id)
            if step is None or step.version_id != run.version_id:
                number = await session.scalar(
                    select(RoutineVersion.number).where(RoutineVersion.id == run.version_id)
                )
                raise InvalidInputError(
                    f"Step: that step is not part of this run, which follows version {number} of "
                    f"'{routine.name}'; reload the run and pick one of its steps."
                )
            if run.status is RunStatus.SKIPPED:
                raise InvalidInputError(
                    f"This run of '{routine.name}' was skipped; start it again to check steps."
                )
            check = await session.scalar(
                select(RoutineStepCheck).where(
                    RoutineStepCheck.run_id == run.id, RoutineStepCheck.step_id == step.id
                )
            )
            now = self._clock()
            if checked and check is None:
                check = RoutineStepCheck(
                    run_id=run.id, step_id=step.id, checked_at=now, checked_by=actor.user_id
                )
                session.add(check)
            elif checked and check is not None and check.deleted_at is not None:
                check.restore()
                check.checked_at = now
                check.checked_by = actor.user_id
            elif not checked and check is not None and check.deleted_at is None:
                check.soft_delete()
            else:
                return Result(await _run_read(session, run.id), NO_CHANGES)
            await _flush_or_conflict(session, "checked this step")
            if run.status in (RunStatus.COMPLETED, RunStatus.PARTIAL):
                # A finished run whose checks are corrected keeps an honest status.
                run.status = await self._finished_status(session, run)
            delta = await settle_points(
                session,
                family_id=routine.family_id,
                user_id=run.user_id,
                source=PointsSource.ROUTINE,
                source_id=check.id,
                should_have=(step.points or 0) if checked else 0,
                reason=_reason(routine, step),
                created_by=actor.user_id,
            )
            await session.flush()
            kinds = (Kind.RUNS, Kind.POINTS) if delta else (Kind.RUNS,)
            return Result(
                await _run_read(session, run.id), Changes.of(*kinds, family_id=routine.family_id)
            )

    async def finish_run(self, actor: Actor, run_id: uuid.UUID) -> Result[RoutineRunRead]:
        """Completed when every step is checked, otherwise partial."""
        async with self.db.transaction() as session:
            run = await get_live(session, RoutineRun, run_id, "routine run")
            routine = await get_live(session, Routine, run.routine_id, "routine")
            await require_self_or_editor(
                session, actor, routine.family_id, run.user_id, "finish a routine"
            )
            if run.status is RunStatus.SKIPPED:
                raise InvalidInputError(
                    f"This run of '{routine.name}' was skipped; start it again to finish it."
                )
            status = await self._finished_status(session, run)
            if status is run.status and run.finished_at is not None:
                return Result(await _run_read(session, run.id), NO_CHANGES)
            run.status = status
            run.finished_at = run.finished_at or self._clock()
            await session.flush()
            return Result(
                await _run_read(session, run.id), Changes.of(Kind.RUNS, family_id=routine.family_id)
            )

    async def skip_run(
        self,
        actor: Actor,
        routine_id: uuid.UUID,
        day: date | None = None,
        note: str | None = None,
    ) -> Result[RoutineRunRead]:
        """Mark the routine as not done on purpose that day (default: the family's today).

        `note` (why: "ill", "at grandma's") is written with the skip; None keeps the run's note
        as it is, empty text removes it. Skipping an already skipped day only changes its note.
        """
        parsed = None if note is None else parse_routine_input(RunNoteSet, {"note": note})
        return await _retry_race(lambda: self._skip_run(actor, routine_id, day, parsed))

    async def _skip_run(
        self,
        actor: Actor,
        routine_id: uuid.UUID,
        day: date | None,
        note: RunNoteSet | None,
    ) -> Result[RoutineRunRead]:
        async with self.db.transaction() as session:
            routine = await get_live(session, Routine, routine_id, "routine")
            await require_self_or_editor(
                session, actor, routine.family_id, routine.user_id, "skip a routine"
            )
            family = await get_live(session, Family, routine.family_id, "family")
            day = day or _today(family, self._clock())
            run = await session.scalar(
                select(RoutineRun).where(
                    RoutineRun.routine_id == routine.id,
                    RoutineRun.user_id == routine.user_id,
                    RoutineRun.day == day,
                )
            )
            if run is None:
                version = await _version_in_force(session, routine, day)
                run = RoutineRun(
                    routine_id=routine.id,
                    version_id=version.id,
                    user_id=routine.user_id,
                    day=day,
                    status=RunStatus.SKIPPED,
                    note=note.note if note else None,
                )
                session.add(run)
            else:
                if run.deleted_at is None and run.status is RunStatus.SKIPPED:
                    if note is None or note.note == run.note:
                        return Result(await _run_read(session, run.id), NO_CHANGES)
                    run.note = note.note
                    await session.flush()
                    return Result(
                        await _run_read(session, run.id),
                        Changes.of(Kind.RUNS, family_id=routine.family_id),
                    )
                done = await self._checked_count(session, run)
                if done:
                    steps = "1 step is" if done == 1 else f"{done} steps are"
                    raise InvalidInputError(
                        f"{steps} already checked in this run of '{routine.name}'; finish the run "
                        "instead (it counts as partly done), or uncheck them first."
                    )
                run.restore()
                run.status = RunStatus.SKIPPED
                run.finished_at = None
                if note is not None:
                    run.note = note.note
            await _flush_or_conflict(session, "recorded this routine for that day")
            return Result(
                await _run_read(session, run.id), Changes.of(Kind.RUNS, family_id=routine.family_id)
            )

    async def set_run_note(
        self, actor: Actor, routine_id: uuid.UUID, day: date, note: str | None
    ) -> Result[RoutineRunRead]:
        """Write why the member's run of the routine on `day` was skipped or left partial
        (trimmed, at most 500 characters; empty text or None removes it).

        Only a day with a run takes a note: the note explains a run, and writing one must not
        invent a status for a day nobody started or skipped, so such a day is refused with the
        way forward (a day before the routine began is refused with its first day, as
        `skip_run` does; a later day takes a note once it has been started or skipped ahead).
        """
        parsed = parse_routine_input(RunNoteSet, {"note": note})
        async with self.db.transaction() as session:
            routine = await get_live(session, Routine, routine_id, "routine")
            await require_self_or_editor(
                session, actor, routine.family_id, routine.user_id, "add notes to routines"
            )
            run = await session.scalar(
                select(RoutineRun).where(
                    RoutineRun.routine_id == routine.id,
                    RoutineRun.user_id == routine.user_id,
                    RoutineRun.day == day,
                    RoutineRun.deleted_at.is_(None),
                )
            )
            if run is None:
                # Before the routine began: say when it starts, as skip_run does.
                await _version_in_force(session, routine, day)
                raise InvalidInputError(
                    f"Note: '{routine.name}' has no run on {day.isoformat()} yet; "
                    "start or skip it first, then add a note."
                )
            if run.note == parsed.note:
                return Result(await _run_read(session, run.id), NO_CHANGES)
            run.note = parsed.note
            await session.flush()
            return Result(
                await _run_read(session, run.id), Changes.of(Kind.RUNS, family_id=routine.family_id)
            )

    async def get_run(self, run_id: uuid.UUID) -> RoutineRunRead:
        async with self.db.read() as session:
            run = await get_live(session, RoutineRun, run_id, "routine run")
            reads = await _run_reads(session, RoutineRun.id == run.id)
            if not reads:
                raise NotFoundError("That routine does not exist (it may have been removed).")
            return reads[0]

    async def runs_of_day(
        self, actor: Actor, family_id: uuid.UUID, day: date
    ) -> list[RoutineRunRead]:
        """Every run of the family's routines on `day`, in routine order."""
        async with self.db.read() as session:
            await get_live(session, Family, family_id, "family")
            await require_role(session, actor, family_id, READERS, "see this family's routines")
            return await _run_reads(session, Routine.family_id == family_id, RoutineRun.day == day)

    async def runs_in_range(
        self, routine_id: uuid.UUID, start: date, end: date
    ) -> list[RoutineRunRead]:
        """The routine's runs from `start` to `end` inclusive, oldest first (constant queries)."""
        if end < start:
            raise InvalidInputError("End: must be on or after the start day.")
        async with self.db.read() as session:
            await get_live(session, Routine, routine_id, "routine")
            return await _run_reads(
                session,
                RoutineRun.routine_id == routine_id,
                RoutineRun.day >= start,
                RoutineRun.day <= end,
            )

    async def family_runs(
        self,
        actor: Actor,
        family_id: uuid.UUID,
        start: date,
        end: date,
        user_id: uuid.UUID | None = None,
    ) -> FamilyRoutineRunsRead:
        """Every routine of the family (or of one member), archived ones included, with when
        each of its versions was due and its runs from `start` to `end` (inclusive), by member
        and status.

        Any member may read it. Two statements whatever the number of routines, versions and
        days: the routines with their versions' weekdays, the permission check riding along; then
        the run days, one text list per routine, member and status (see
        `habit_queries.days_list`) — or, when no routine came back, the family and the actor's
        role, to tell "none yet" from "not yours to see".
        """
        if end < start:
            raise InvalidInputError("End: must be on or after the start day.")
        async with self.db.read() as session:
            query = (
                select(
                    Routine,
                    RoutineVersion.number,
                    RoutineVersion.effective_from,
                    RoutineVersion.weekdays,
                    Family.time_zone,
                    Family.day_start_hour,
                )
                .join(RoutineVersion, RoutineVersion.routine_id == Routine.id)
                .join(Family, Family.id == Routine.family_id)
                .where(
                    Routine.family_id == family_id,
                    Routine.deleted_at.is_(None),
                    Family.deleted_at.is_(None),
                )
                .order_by(Routine.position, Routine.created_at, Routine.id, RoutineVersion.number)
            )
            if user_id is not None:
                query = query.where(Routine.user_id == user_id)
            if not actor.system:
                query = query.where(family_reader(actor, family_id))
            rows = (await session.execute(query)).all()
            if not rows:
                # No routines, or the actor may not look, or no such family: say which.
                family, _ = await family_and_role(
                    session, actor, family_id, READERS, "see this family's routines"
                )
                return FamilyRoutineRunsRead(
                    start=start, end=end, today=_today(family, self._clock()), routines=[]
                )
            today = family_today(rows[0].time_zone, rows[0].day_start_hour, self._clock())
            routines: dict[uuid.UUID, Routine] = {}
            schedules: dict[uuid.UUID, list[RoutineScheduleRead]] = {}
            # Years of weekly edits repeat a handful of weekday sets: describe each once.
            described: dict[int, tuple[list[str], str]] = {}
            for routine, number, effective_from, weekdays, _zone, _hour in rows:
                routines.setdefault(routine.id, routine)
                if weekdays not in described:
                    described[weekdays] = (names_from_mask(weekdays), describe_weekdays(weekdays))
                names, text = described[weekdays]
                schedules.setdefault(routine.id, []).append(
                    RoutineScheduleRead(
                        number=number,
                        effective_from=effective_from,
                        weekdays=names,
                        weekdays_text=text,
                    )
                )

            statuses = tuple(RunStatus)
            found = (
                await session.execute(
                    select(
                        RoutineRun.routine_id,
                        RoutineRun.user_id,
                        *(
                            days_list(case((RoutineRun.status == s, RoutineRun.day)))
                            for s in statuses
                        ),
                    )
                    .where(
                        RoutineRun.routine_id.in_(list(routines)),
                        Unindexed(RoutineRun.deleted_at).is_(None),
                        RoutineRun.day >= start,
                        RoutineRun.day <= end,
                    )
                    # By routine and member only: SQLite walks the (routine, member, day) key
                    # in order and needs no sort for the grouping.
                    .group_by(RoutineRun.routine_id, RoutineRun.user_id)
                )
            ).all()
            days = split_days(text for row in found for text in row[2:])
            runs: dict[uuid.UUID, list[RoutineRunDaysRead]] = {}
            for i, (routine_id, member_id, *_texts) in enumerate(found):
                by_status = dict(zip(statuses, days[i * len(statuses) :], strict=False))
                runs.setdefault(routine_id, []).append(
                    # Built as given: years of valid run days.
                    RoutineRunDaysRead.model_construct(
                        user_id=member_id,
                        completed=by_status[RunStatus.COMPLETED],
                        partial=by_status[RunStatus.PARTIAL],
                        skipped=by_status[RunStatus.SKIPPED],
                        in_progress=by_status[RunStatus.IN_PROGRESS],
                    )
                )
            reads = []
            for routine_id, routine in routines.items():
                history = schedules[routine_id]
                reads.append(
                    RoutineRunsRead(
                        id=routine.id,
                        family_id=routine.family_id,
                        user_id=routine.user_id,
                        name=routine.name,
                        position=routine.position,
                        archived=routine.archived,
                        schedules=history,
                        current=version_in_force(history, today) or history[0],
                        runs=runs.get(routine_id, []),
                    )
                )
            return FamilyRoutineRunsRead(start=start, end=end, today=today, routines=reads)

    # ----------------------------------------------------------------- helpers

    @staticmethod
    async def _checked_count(session: AsyncSession, run: RoutineRun) -> int:
        count = await session.scalar(
            select(func.count(RoutineStepCheck.id)).where(
                RoutineStepCheck.run_id == run.id, RoutineStepCheck.deleted_at.is_(None)
            )
        )
        return int(count or 0)

    async def _finished_status(self, session: AsyncSession, run: RoutineRun) -> RunStatus:
        total = await session.scalar(
            select(func.count(RoutineStep.id)).where(RoutineStep.version_id == run.version_id)
        )
        done = await self._checked_count(session, run)
        return RunStatus.COMPLETED if done >= int(total or 0) else RunStatus.PARTIAL
