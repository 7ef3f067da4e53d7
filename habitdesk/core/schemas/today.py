"""The Today screen's read-model: everything one family day shows, per member, in one answer."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from habitdesk.core.enums import EntryStatus, RunStatus
from habitdesk.core.schemas.common import ReadModel
from habitdesk.core.schemas.habits import HabitDueRead
from habitdesk.core.schemas.people import FamilyRead, MemberRead
from habitdesk.core.schemas.routines import (
    RoutineRead,
    RoutineRunRead,
    RoutineVersionRead,
    RunStepRead,
)


class RoutineDayRead(ReadModel):
    """One routine on one day: the steps asked that day and how far the member got.

    `steps` are the run's steps (with their checks) once a run exists — the version the run
    follows, even if the routine was edited since — and otherwise the steps of the version in
    force that day, none checked.
    """

    routine: RoutineRead
    # The version in force on the day (its schedule decides `due`).
    version: RoutineVersionRead
    # Scheduled on the day's weekday.
    due: bool
    run: RoutineRunRead | None
    steps: list[RunStepRead]
    done: int
    total: int
    points_earned: int
    points_possible: int

    @property
    def skipped(self) -> bool:
        return self.run is not None and self.run.status is RunStatus.SKIPPED

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total


class MemberDayRead(ReadModel):
    """A member's day: what is due (in their order), what is not, and the points it earned.

    `done` of `total` counts the due items; a skipped item counts in neither (skipping is a
    decision, not a failure). `points_earned` is what the day's checked items are worth: done
    habits and checked routine steps, due or not.
    """

    member: MemberRead
    routines: list[RoutineDayRead]
    habits: list[HabitDueRead]
    not_due_routines: list[RoutineDayRead]
    not_due_habits: list[HabitDueRead]
    done: int
    total: int
    points_earned: int
    points_possible: int

    @property
    def not_due_count(self) -> int:
        return len(self.not_due_routines) + len(self.not_due_habits)


class DayOverview(ReadModel):
    family: FamilyRead
    day: date
    # The family's today when the overview was read (the day may be earlier, never later).
    today: date
    # Owners, parents and children in the family's order; viewers have nothing to do.
    members: list[MemberDayRead]

    def member(self, user_id: UUID) -> MemberDayRead | None:
        return next((m for m in self.members if m.member.user_id == user_id), None)


def habit_is_done(item: HabitDueRead) -> bool:
    return item.entry is not None and item.entry.status is EntryStatus.DONE


def habit_is_skipped(item: HabitDueRead) -> bool:
    return item.entry is not None and item.entry.status is EntryStatus.SKIPPED
