"""Read-models of routines, built from rows already loaded: a version with what changed since
the one before it, a routine with its version in force, and a run with its step checks.

Shared by `RoutineService` and `TodayService` (which reads the same rows in fewer statements),
so both answer with the same read-models. Pure functions: no session, no I/O.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import date

from habitdesk.core.domain.habit_rules import version_in_force
from habitdesk.core.domain.routine_diff import (
    StepSpec,
    VersionSpec,
    describe_changes,
    describe_weekdays,
)
from habitdesk.core.domain.weekdays import includes, names_from_mask
from habitdesk.core.models import Routine, RoutineRun, RoutineStepCheck, RoutineVersion
from habitdesk.core.schemas.routines import (
    RoutineRead,
    RoutineRunRead,
    RoutineStepRead,
    RoutineVersionRead,
    RunStepRead,
)


def spec_of(version: RoutineVersion) -> VersionSpec:
    return VersionSpec(
        weekdays=version.weekdays,
        start_time=version.start_time,
        finish_by=version.finish_by,
        steps=tuple(
            StepSpec(s.title, s.duration_minutes, s.points)
            for s in sorted(version.steps, key=lambda s: s.position)
        ),
    )


def version_read(version: RoutineVersion, changes: list[str]) -> RoutineVersionRead:
    steps = sorted(version.steps, key=lambda s: s.position)
    return RoutineVersionRead(
        id=version.id,
        routine_id=version.routine_id,
        number=version.number,
        effective_from=version.effective_from,
        note=version.note,
        weekdays=names_from_mask(version.weekdays),
        weekdays_text=describe_weekdays(version.weekdays),
        start_time=version.start_time,
        finish_by=version.finish_by,
        steps=[RoutineStepRead.model_validate(s) for s in steps],
        total_minutes=sum(s.duration_minutes or 0 for s in steps),
        total_points=sum(s.points or 0 for s in steps),
        changes_from_previous=changes,
        created_at=version.created_at,
    )


def version_reads(versions: Sequence[RoutineVersion]) -> list[RoutineVersionRead]:
    """Oldest first, each with what changed since the one before it."""
    reads: list[RoutineVersionRead] = []
    previous: VersionSpec | None = None
    for version in sorted(versions, key=lambda v: v.number):
        spec = spec_of(version)
        reads.append(version_read(version, describe_changes(previous, spec) if previous else []))
        previous = spec
    return reads


def routine_read(
    routine: Routine,
    today: date,
    versions: list[RoutineVersionRead] | None = None,
    *,
    version_count: int | None = None,
) -> RoutineRead:
    """`versions` oldest first: all of them, or (with `version_count`) only the newest ones,
    as long as they include the one in force on `today`."""
    versions = versions if versions is not None else version_reads(routine.versions)
    return RoutineRead(
        id=routine.id,
        family_id=routine.family_id,
        user_id=routine.user_id,
        name=routine.name,
        position=routine.position,
        archived=routine.archived,
        version=routine.version,
        current_version=version_in_force(versions, today) or versions[0],
        latest_version=versions[-1],
        version_count=len(versions) if version_count is None else version_count,
        created_at=routine.created_at,
        updated_at=routine.updated_at,
    )


def run_read(
    routine: Routine,
    run: RoutineRun,
    version: RoutineVersion,
    checks: Mapping[uuid.UUID, RoutineStepCheck],
) -> RoutineRunRead:
    """A run with its version's steps and which of them are checked (checks by step id)."""
    steps = [
        RunStepRead(
            step_id=s.id,
            position=s.position,
            title=s.title,
            duration_minutes=s.duration_minutes,
            points=s.points,
            checked=s.id in checks,
            checked_at=checks[s.id].checked_at if s.id in checks else None,
            checked_by=checks[s.id].checked_by if s.id in checks else None,
        )
        for s in sorted(version.steps, key=lambda s: s.position)
    ]
    return RoutineRunRead(
        id=run.id,
        routine_id=routine.id,
        routine_name=routine.name,
        family_id=routine.family_id,
        user_id=run.user_id,
        day=run.day,
        status=run.status,
        started_at=run.started_at,
        finished_at=run.finished_at,
        version=run.version,
        version_id=version.id,
        version_number=version.number,
        scheduled=includes(version.weekdays, run.day),
        steps=steps,
        done=sum(1 for s in steps if s.checked),
        total=len(steps),
        points_earned=sum(s.points or 0 for s in steps if s.checked),
        points_possible=sum(s.points or 0 for s in steps),
        note=run.note,
    )


__all__ = ["routine_read", "run_read", "spec_of", "version_read", "version_reads"]
