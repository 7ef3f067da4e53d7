"""`Changes`: which kinds of data an operation touched, so screens know what to refresh."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from uuid import UUID


class Kind(StrEnum):
    USERS = "users"
    FAMILIES = "families"
    MEMBERS = "members"
    ROUTINES = "routines"
    RUNS = "runs"
    HABITS = "habits"
    ENTRIES = "entries"
    EXERCISE = "exercise"
    POINTS = "points"
    REWARDS = "rewards"


@dataclass(frozen=True)
class Changes:
    kinds: frozenset[Kind] = field(default_factory=frozenset)
    family_ids: frozenset[UUID] = field(default_factory=frozenset)

    @classmethod
    def of(cls, *kinds: Kind, family_id: UUID | None = None) -> Changes:
        return cls(frozenset(kinds), frozenset({family_id}) if family_id else frozenset())

    def __or__(self, other: Changes) -> Changes:
        return Changes(self.kinds | other.kinds, self.family_ids | other.family_ids)

    def __bool__(self) -> bool:
        return bool(self.kinds)

    def touches(self, *kinds: Kind) -> bool:
        return any(k in self.kinds for k in kinds)


NO_CHANGES = Changes()
