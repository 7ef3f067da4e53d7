"""Closed vocabularies of the domain. Pure Python: the UI may use them, unlike the models."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    PARENT = "parent"
    CHILD = "child"
    VIEWER = "viewer"


class WeekStart(StrEnum):
    MONDAY = "monday"
    SUNDAY = "sunday"


class RunStatus(StrEnum):
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    PARTIAL = "partial"
    SKIPPED = "skipped"


class HabitKind(StrEnum):
    BOOLEAN = "boolean"
    NUMERIC = "numeric"


class Direction(StrEnum):
    AT_LEAST = "at_least"
    AT_MOST = "at_most"


class EntryStatus(StrEnum):
    DONE = "done"
    SKIPPED = "skipped"
    MISSED = "missed"


class Activity(StrEnum):
    WALK = "walk"
    RUN = "run"
    BIKE = "bike"
    SWIM = "swim"
    STRENGTH = "strength"
    SPORT = "sport"
    OTHER = "other"


class PointsSource(StrEnum):
    HABIT = "habit"
    ROUTINE = "routine"
    REWARD = "reward"
    MANUAL = "manual"


class RedemptionStatus(StrEnum):
    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
