"""SQLAlchemy models of the whole domain. Importing this package registers every table."""

from habitdesk.core.models.activity import ExerciseSession
from habitdesk.core.models.base import Base
from habitdesk.core.models.habits import Habit, HabitEntry, HabitVersion
from habitdesk.core.models.people import Family, FamilyMembership, User
from habitdesk.core.models.points import PointsEntry, Reward, RewardRedemption
from habitdesk.core.models.routines import (
    Routine,
    RoutineRun,
    RoutineStep,
    RoutineStepCheck,
    RoutineVersion,
)

__all__ = [
    "Base",
    "ExerciseSession",
    "Family",
    "FamilyMembership",
    "Habit",
    "HabitEntry",
    "HabitVersion",
    "PointsEntry",
    "Reward",
    "RewardRedemption",
    "Routine",
    "RoutineRun",
    "RoutineStep",
    "RoutineStepCheck",
    "RoutineVersion",
    "User",
]
