"""A realistic demo family with years of history, generated fast (used by `habitdesk demo` and
the benchmarks).

Speed: rows are built as plain dicts and written with Core `insert(table)` executemany batches in
one transaction, never one ORM object at a time (≈245,000 rows for the default size). Every
value is given explicitly — ids (client-side UUIDs), timestamps (UTC-aware), `version`,
`deleted_at` — so no per-row Python default runs and every dict of a batch has the same keys.
Rows are built and written one member at a time, so memory stays at one member's history.

Determinism: every random choice comes from `random.Random` streams seeded from `seed` and a
stable key (member, habit or routine name), and the ids from a stream of their own, so the same
seed and `today` give the same family, row for row. When `today` is the real today, its history
stops at the wall clock (no bedtime routine done at 10 am), so only that day depends on when
the demo was made.
"""

from __future__ import annotations

import random
import time as clock
import unicodedata
import uuid
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from types import MappingProxyType
from typing import Any, cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from habitdesk.core.db.database import Database
from habitdesk.core.db.urls import Backend
from habitdesk.core.domain.days import family_today
from habitdesk.core.domain.habit_rules import Rules, entry_status
from habitdesk.core.domain.weekdays import EVERY_DAY, includes, mask_from_names
from habitdesk.core.errors import ConflictError, InvalidInputError
from habitdesk.core.models import (
    ExerciseSession,
    Family,
    FamilyMembership,
    Habit,
    HabitEntry,
    HabitVersion,
    PointsEntry,
    Reward,
    RewardRedemption,
    Routine,
    RoutineRun,
    RoutineStep,
    RoutineStepCheck,
    RoutineVersion,
    User,
)
from habitdesk.core.models.enums import (
    Activity,
    Direction,
    EntryStatus,
    HabitKind,
    PointsSource,
    RedemptionStatus,
    Role,
    RunStatus,
    WeekStart,
)

Row = dict[str, Any]

# Rows per INSERT statement. SQLite: one executemany runs entirely in the driver's thread, so
# fewer, larger statements (a member's entries in one); PostgreSQL: asyncpg pipelines each
# executemany, and batches of 2,000-10,000 rows measured the same within noise (100,000: 40 %
# slower), so a moderate size that keeps memory low.
CHUNK_ROWS = {Backend.SQLITE: 50_000, Backend.POSTGRESQL: 5_000}

SQLITE_CACHE_KIB = 64 * 1024

LIMITS = {"members": (1, 30), "habits": (0, 50), "routines": (0, 10), "days": (1, 7300)}


def _table(model: type[Any]) -> Table:
    return cast(Table, model.__table__)


# FK order: a table's rows are written after the rows they point at.
TABLES: tuple[Table, ...] = tuple(
    _table(m)
    for m in (
        User,
        Family,
        FamilyMembership,
        Reward,
        Habit,
        HabitVersion,
        Routine,
        RoutineVersion,
        RoutineStep,
        HabitEntry,
        RoutineRun,
        RoutineStepCheck,
        ExerciseSession,
        RewardRedemption,
        PointsEntry,
    )
)


@dataclass(frozen=True)
class DemoReport:
    """What `generate_demo` wrote: the family, rows per table (FK order) and how long it took."""

    family_id: uuid.UUID
    owner_id: uuid.UUID
    first_day: date
    last_day: date
    rows: Mapping[str, int] = field(hash=False)
    elapsed_seconds: float
    # The part of elapsed_seconds spent awaiting the database (the rest is building rows).
    write_seconds: float

    @property
    def total_rows(self) -> int:
        return sum(self.rows.values())


# ---------------------------------------------------------------------------------- catalogue


@dataclass(frozen=True)
class _Rule:
    kind: HabitKind = HabitKind.BOOLEAN
    target: float | None = None
    unit: str | None = None
    direction: Direction = Direction.AT_LEAST
    freq: tuple[int, int] = (1, 1)
    weekdays: int | None = None

    def rules(self) -> Rules:
        return Rules.normalised(
            kind=self.kind,
            target_value=self.target,
            unit=self.unit,
            direction=self.direction,
            freq_num=self.freq[0],
            freq_den=self.freq[1],
            weekdays=self.weekdays,
        )


def _yes(per: tuple[int, int] = (1, 1), days: str | None = None) -> _Rule:
    mask = mask_from_names(days.split(",")) if days else None
    return _Rule(freq=(1, 1) if mask else per, weekdays=mask)


def _num(
    target: float,
    unit: str,
    direction: Direction = Direction.AT_LEAST,
    per: tuple[int, int] = (1, 1),
) -> _Rule:
    return _Rule(HabitKind.NUMERIC, target, unit, direction, per)


@dataclass(frozen=True)
class _HabitSpec:
    name: str
    # Oldest first; the last one is what the habit asks today. A demo habit starts at one of
    # them and moves through the later ones, so targets rise and frequencies change over time.
    rules: tuple[_Rule, ...]
    points: int = 0
    # Success odds at weekends relative to weekdays (< 1: weekends are worse for this habit).
    weekend: float = 1.0
    whole: bool = True
    description: str | None = None
    notes: tuple[str, ...] = ()
    # Its entries come from the member's exercise sessions, which then point at it.
    from_exercise: bool = False


_KID_HABITS: tuple[_HabitSpec, ...] = (
    _HabitSpec("Make the bed", (_yes(),), 1, 0.6, notes=("Made it before breakfast!",)),
    _HabitSpec(
        "Read 20 minutes",
        (_yes(per=(4, 7)), _yes()),
        2,
        1.15,
        description="Any book, comic or magazine counts.",
        notes=("Finished the whole book!", "Read with grandpa", "Library day"),
    ),
    _HabitSpec(
        "Practise piano",
        (_yes(per=(3, 7)), _yes(days="mon,wed,fri"), _yes(days="mon,tue,wed,thu,fri")),
        3,
        notes=("Learnt a new piece", "Teacher was pleased", "Scales only today"),
    ),
    _HabitSpec("Brush teeth twice", (_yes(),), 1, 0.85),
    _HabitSpec("Tidy my room", (_yes(per=(2, 7)), _yes(per=(3, 7))), 2, 1.3),
    _HabitSpec("Feed the cat", (_yes(),), 1, notes=("Cat got a treat too",)),
    _HabitSpec("Homework before dinner", (_yes(days="mon,tue,wed,thu"),), 2),
    _HabitSpec("Set the table", (_yes(per=(3, 7)), _yes(per=(4, 7))), 1, 1.1),
    _HabitSpec("Pack school bag", (_yes(days="sun,mon,tue,wed,thu"),), 1, 0.9),
    _HabitSpec("Take out the bins", (_yes(days="tue,fri"),), 2),
    _HabitSpec("Drawing or crafts", (_yes(per=(2, 7)),), 1, 1.4, notes=("Made a card for mum",)),
    _HabitSpec(
        "Screen time",
        (
            _num(90, "min", Direction.AT_MOST),
            _num(75, "min", Direction.AT_MOST),
            _num(60, "min", Direction.AT_MOST),
        ),
        2,
        0.55,
        description="Games, videos and TV together.",
        notes=("Film night with the family", "Rainy day"),
    ),
    _HabitSpec("Water", (_num(5, "glasses"), _num(6, "glasses")), 1),
    _HabitSpec("Outdoor play", (_num(30, "min"), _num(45, "min")), 1, 1.3, notes=("Park!",)),
    _HabitSpec("Reading", (_num(10, "pages"), _num(15, "pages"), _num(20, "pages")), 2, 1.2),
)

_ADULT_HABITS: tuple[_HabitSpec, ...] = (
    _HabitSpec(
        "Walk",
        (_num(6000, "steps"), _num(7000, "steps"), _num(8000, "steps")),
        weekend=1.2,
        notes=("Walked to work", "Hike with the kids", "Rainy, walked indoors"),
    ),
    _HabitSpec(
        "Screen time",
        (
            _num(120, "min", Direction.AT_MOST),
            _num(90, "min", Direction.AT_MOST),
            _num(60, "min", Direction.AT_MOST),
        ),
        weekend=0.7,
        description="Phone and TV, work excluded.",
    ),
    _HabitSpec("Water", (_num(6, "glasses"), _num(8, "glasses")), notes=("Hot day",)),
    _HabitSpec(
        "Sleep", (_num(7, "h"), _num(7.5, "h")), weekend=1.2, whole=False, notes=("Baby woke up",)
    ),
    _HabitSpec(
        "Exercise",
        (_num(30, "min", per=(2, 7)), _num(30, "min", per=(3, 7))),
        weekend=1.2,
        description="Counted from the exercise log.",
        from_exercise=True,
    ),
    _HabitSpec("Read 20 minutes", (_yes(),), weekend=1.2, notes=("Book club tonight",)),
    _HabitSpec("Meditate 10 minutes", (_yes(per=(3, 7)), _yes(per=(5, 7)), _yes()), weekend=0.9),
    _HabitSpec("Make the bed", (_yes(),), weekend=0.7),
    _HabitSpec("No phone at dinner", (_yes(),), weekend=1.1),
    _HabitSpec("Stretch", (_yes(days="mon,wed,fri"),), notes=("Back feels better",)),
    _HabitSpec("Call a friend", (_yes(per=(1, 7)),), weekend=1.5),
    _HabitSpec("Plan the week", (_yes(days="sun"),)),
    _HabitSpec("Floss", (_yes(),), weekend=0.9),
    _HabitSpec("Journal", (_yes(per=(3, 7)), _yes(per=(4, 7))), notes=("Long entry today",)),
    _HabitSpec("Coffee", (_num(3, "cups", Direction.AT_MOST), _num(2, "cups", Direction.AT_MOST))),
)

_DONE_NOTES = ("Great day!", "Did it together", "Done early", "Needed a reminder")
_MISSED_NOTES = ("Too tired", "Forgot", "Busy evening", "Not feeling well")
_SKIP_NOTES = ("Sick", "On holiday", "Away at grandma's", "Day off")


@dataclass(frozen=True)
class _RoutineSpec:
    name: str
    weekdays: int
    start: time | None
    finish_by: time | None
    # (title, minutes); the first `initial` are the first version's steps.
    steps: tuple[tuple[str, int], ...]
    initial: int
    extras: tuple[tuple[str, int], ...]
    renames: tuple[tuple[str, str], ...]
    # The schedule an edit may switch to.
    other_weekdays: int
    weekend: float = 1.0


def _days(names: str) -> int:
    return mask_from_names(names.split(","))


_WEEKDAYS = _days("mon,tue,wed,thu,fri")

_KID_ROUTINES: tuple[_RoutineSpec, ...] = (
    _RoutineSpec(
        "Morning routine",
        _WEEKDAYS,
        time(7, 0),
        time(7, 45),
        (
            ("Wake up", 2),
            ("Get dressed", 5),
            ("Breakfast", 15),
            ("Brush teeth", 3),
            ("Pack school bag", 5),
            ("Shoes and coat on", 3),
        ),
        4,
        (("Make the bed", 3), ("Feed the cat", 2), ("Take vitamins", 1), ("Check the weather", 1)),
        (
            ("Brush teeth", "Brush teeth (2 minutes)"),
            ("Get dressed", "Get dressed (clothes from last night)"),
            ("Breakfast", "Breakfast at the table"),
        ),
        EVERY_DAY,
    ),
    _RoutineSpec(
        "Bedtime routine",
        EVERY_DAY,
        time(19, 30),
        time(20, 15),
        (
            ("Tidy toys", 5),
            ("Bath or shower", 15),
            ("Pyjamas on", 3),
            ("Brush teeth", 3),
            ("Story time", 15),
            ("Lights out", 1),
        ),
        5,
        (("Lay out tomorrow's clothes", 3), ("Fill water bottle", 1), ("Three good things", 3)),
        (("Story time", "Reading together"), ("Tidy toys", "Tidy the room")),
        _days("sun,mon,tue,wed,thu"),
        0.8,
    ),
    _RoutineSpec(
        "Homework",
        _days("mon,tue,wed,thu"),
        time(16, 30),
        time(17, 30),
        (
            ("Snack", 10),
            ("Unpack school bag", 3),
            ("Homework", 30),
            ("Check the planner", 5),
            ("Pack bag for tomorrow", 5),
        ),
        3,
        (("Practise spelling", 10), ("Times tables", 10)),
        (("Homework", "Homework (phone in the kitchen)"), ("Snack", "Healthy snack")),
        _WEEKDAYS,
    ),
    _RoutineSpec(
        "Saturday chores",
        _days("sat"),
        time(10, 0),
        time(11, 0),
        (("Strip the bed", 5), ("Tidy the room", 20), ("Empty the bin", 3)),
        3,
        (("Help with laundry", 15), ("Water the plants", 5), ("Vacuum", 15)),
        (("Tidy the room", "Tidy and dust the room"),),
        _days("sat,sun"),
    ),
    _RoutineSpec(
        "Music practice",
        _days("mon,wed,fri"),
        time(17, 30),
        time(18, 0),
        (("Tune up", 3), ("Scales", 5), ("Today's piece", 15)),
        3,
        (("Ear training", 5), ("Sight reading", 5)),
        (("Today's piece", "Today's piece, slowly first"),),
        _days("mon,tue,wed,thu,fri"),
    ),
)

_ADULT_ROUTINES: tuple[_RoutineSpec, ...] = (
    _RoutineSpec(
        "Morning routine",
        EVERY_DAY,
        time(6, 30),
        time(7, 15),
        (
            ("Glass of water", 1),
            ("Stretch", 10),
            ("Shower", 10),
            ("Coffee and news", 15),
            ("Make lunches", 10),
            ("Plan the day", 5),
        ),
        4,
        (("Meditate", 10), ("Empty the dishwasher", 5)),
        (("Coffee and news", "Coffee, no phone"), ("Stretch", "Stretch and breathe")),
        _WEEKDAYS,
        0.85,
    ),
    _RoutineSpec(
        "Evening wind-down",
        EVERY_DAY,
        time(21, 30),
        time(22, 15),
        (
            ("Tidy the kitchen", 15),
            ("Lay out clothes", 3),
            ("Phone on charger", 1),
            ("Read", 20),
            ("Lights out", 1),
        ),
        4,
        (("Check tomorrow's calendar", 5), ("Herbal tea", 5)),
        (("Read", "Read (paper book)"), ("Phone on charger", "Phone on charger, outside bedroom")),
        _days("sun,mon,tue,wed,thu"),
    ),
    _RoutineSpec(
        "Weekly planning",
        _days("sun"),
        time(18, 0),
        time(18, 45),
        (("Review the calendar", 10), ("Plan meals", 15), ("Shopping list", 10)),
        3,
        (("Check school e-mails", 10), ("Pay bills", 10)),
        (("Plan meals", "Plan meals with the kids"),),
        _days("sat,sun"),
    ),
    _RoutineSpec(
        "Meal prep",
        _days("sun"),
        time(15, 0),
        time(16, 30),
        (("Wash vegetables", 15), ("Cook grains", 20), ("Portion lunches", 15)),
        3,
        (("Bake muffins", 30), ("Clean the fridge", 10)),
        (("Cook grains", "Cook rice and lentils"),),
        _days("sat,sun"),
    ),
)

_SURNAMES = (
    "Martin",
    "Okafor",
    "Nakamura",
    "García",
    "Kowalski",
    "Haddad",
    "Lindqvist",
    "Dubois",
    "Rossi",
    "Novak",
)
_ADULT_NAMES = ("Claire", "Paul", "Amira", "Kenji", "Sofía", "Jonas", "Ingrid", "Tomás", "Ravi")
# A mix of scripts on purpose: the screens must lay them all out.
_KID_NAMES = (
    "Léa",
    "Noé",
    "Zoë",
    "Mateo",
    "Yuki 雪",
    "Søren",
    "Aïcha",
    "Мила",
    "さくら",
    "Νίκος",
    "Oisín",
    "Kofi",
    "Priya",
    "Ümit",
    "Chloé",
    "Amir أمير",
)
_KID_AVATARS = ("🦊", "🐼", "🦄", "🐸", "🐯", "🐙", "🦖", "🐝", "🦉", "🐬", "🚀", "⚽")
_ADULT_AVATARS = ("🌻", "🎸", "☕", "📚", "🚲", "🌿", "🧭", "🎨")
_COLOURS = (
    "#4C7BD9",
    "#E0645C",
    "#F2A541",
    "#59B36B",
    "#8E6CCF",
    "#3BB3C3",
    "#D9569E",
    "#7A8B99",
    "#C7A23A",
    "#2F8F83",
)
_TIME_ZONES = ("Europe/Paris", "Europe/Berlin", "Europe/London", "America/Toronto", "Europe/Madrid")

_REWARDS = (
    ("Extra 30 minutes of screen time", 40),
    ("Stay up 30 minutes later", 50),
    ("Choose Friday's dinner", 60),
    ("Trip to the ice-cream shop", 120),
    ("New book", 150),
    ("Pocket money €5", 200),
    ("Cinema with a parent", 300),
    ("Sleepover with a friend", 400),
)

# Children's routine steps: most earn a point or two, some nothing.
_STEP_POINTS = (None, 1, 1, 1, 2)

_ADULT_SPORTS = (Activity.WALK, Activity.RUN, Activity.BIKE, Activity.SWIM, Activity.STRENGTH)
_KID_SPORTS = (Activity.SPORT, Activity.SWIM, Activity.BIKE, Activity.OTHER)
_SPEED_KMH = {Activity.WALK: 5.0, Activity.RUN: 10.0, Activity.BIKE: 18.0, Activity.SWIM: 2.2}
_MINUTES = {
    Activity.WALK: (25, 70),
    Activity.RUN: (20, 55),
    Activity.BIKE: (30, 100),
    Activity.SWIM: (25, 60),
    Activity.STRENGTH: (20, 50),
    Activity.SPORT: (45, 90),
    Activity.OTHER: (30, 60),
}
_SESSION_NOTES = ("New personal best", "With a friend", "Windy", "Felt heavy today", "Match won!")


# ---------------------------------------------------------------------------------- the builder


class _Timeline:
    """The demo's days and fast local-time → UTC conversion."""

    def __init__(self, first: date, days: int, zone: ZoneInfo, cutoff: datetime | None) -> None:
        self.n = days
        self.dates = [first + timedelta(days=i) for i in range(days)]
        self.weekend = [d.weekday() >= 5 for d in self.dates]
        # Local midnight in UTC, using the offset at noon: exact for any time after 3 am, when
        # every DST change has happened; the demo puts nothing between midnight and 3 am.
        self.base = [
            datetime(d.year, d.month, d.day, tzinfo=UTC)
            - cast(timedelta, zone.utcoffset(datetime(d.year, d.month, d.day, 12)))
            for d in self.dates
        ]
        self.cutoff = cutoff
        self.last = days - 1

    def at(self, i: int, minutes: float) -> datetime:
        return self.base[i] + timedelta(minutes=minutes)

    def future(self, i: int, moment: datetime) -> bool:
        """True for a moment on the last day that is still ahead of the wall clock."""
        return i == self.last and self.cutoff is not None and moment > self.cutoff


@dataclass
class _Member:
    index: int
    id: uuid.UUID
    first_name: str
    role: Role
    age: int
    exercises: bool
    # Per day: away (holiday, sick: things are skipped) and in a slump (everything a bit worse).
    away: list[bool]
    slump: list[bool]
    earned: list[int]

    @property
    def adult(self) -> bool:
        return self.role in (Role.OWNER, Role.PARENT)


# A routine version as the runs need it: first day, weekdays, steps (id, title, minutes,
# points), version id.
_Version = tuple[int, int, list[tuple[uuid.UUID, str, int, int | None]], uuid.UUID]


@dataclass
class _Batch:
    tables: dict[str, list[Row]] = field(default_factory=lambda: {t.name: [] for t in TABLES})

    def add(self, table: Table, row: Row) -> None:
        self.tables[table.name].append(row)


_T_USERS, _T_FAMILIES, _T_MEMBERSHIPS, _T_REWARDS = TABLES[0:4]
_T_HABITS, _T_HABIT_VERSIONS, _T_ROUTINES, _T_ROUTINE_VERSIONS, _T_STEPS = TABLES[4:9]
_T_ENTRIES, _T_RUNS, _T_CHECKS, _T_SESSIONS, _T_REDEMPTIONS, _T_POINTS = TABLES[9:15]


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def _change_days(rng: random.Random, start: int, end: int, count: int, gap: int) -> list[int]:
    """`count` sorted days in (start, end], at least `gap` apart (fewer when there is no room)."""
    count = min(count, max(0, (end - start) // gap - 1))
    if count <= 0:
        return []
    slack = (end - start) - gap * (count + 1)
    cuts = sorted(rng.randint(0, slack) for _ in range(count))
    return [start + gap * (k + 1) + cut for k, cut in enumerate(cuts)]


class _Builder:
    def __init__(
        self,
        *,
        members: int,
        habits: int,
        routines: int,
        days: int,
        seed: int,
        today: date | None,
        family_name: str,
    ) -> None:
        self.seed = seed
        self.habits_each = habits
        self.routines_each = routines
        self.family_name = family_name
        self._ids = random.Random(f"{seed}:ids")
        setup = self.rng("family")
        self.time_zone = setup.choice(_TIME_ZONES)
        now = datetime.now(UTC)
        real_today = family_today(self.time_zone, 0, now)
        last = today or real_today
        # Today's history stops at the wall clock: a bedtime routine is not done at 10 am.
        cutoff = now if last == real_today else None
        self.t = _Timeline(last - timedelta(days=days - 1), days, ZoneInfo(self.time_zone), cutoff)
        self.family_id = self.uid()
        self.surname = setup.choice(_SURNAMES)
        self.members = self._people(setup, members)
        self.parents = [m for m in self.members if m.adult]
        self.rewards: list[tuple[uuid.UUID, str, int, int]] = []  # id, name, cost, retired day
        self._versions: dict[uuid.UUID, list[tuple[int, _Rule]]] = {}

    def rng(self, *parts: object) -> random.Random:
        return random.Random(":".join(str(p) for p in (self.seed, *parts)))

    def uid(self) -> uuid.UUID:
        return uuid.UUID(int=self._ids.getrandbits(128), version=4)

    # ---- people ---------------------------------------------------------------------------

    def _people(self, rng: random.Random, count: int) -> list[_Member]:
        t = self.t
        adults = rng.sample(_ADULT_NAMES, 2)
        kids = rng.sample(_KID_NAMES, len(_KID_NAMES))
        owner_age = rng.randint(36, 46)
        # Children were at least three when the history starts.
        youngest = min(12, 3 + t.n // 365)
        eldest = max(youngest, min(17, owner_age - 22))
        roles = [Role.OWNER, Role.PARENT][:count] + [Role.CHILD] * max(0, count - 2)
        members: list[_Member] = []
        for index, role in enumerate(roles):
            adult = role is not Role.CHILD
            if adult:
                name, age = adults[index], owner_age + (0 if index == 0 else rng.randint(-4, 3))
            else:
                kid = index - 2
                name = kids[kid % len(kids)] + (
                    "" if kid < len(kids) else f" {kid // len(kids) + 1}"
                )
                age = rng.randint(youngest, eldest)
            exercises = adult or (age >= 7 and rng.random() < 0.6)
            members.append(
                _Member(
                    index,
                    self.uid(),
                    name,
                    role,
                    age,
                    exercises,
                    [False] * t.n,
                    [False] * t.n,
                    [0] * t.n,
                )
            )
        members.sort(key=lambda m: (m.adult is False, -m.age if not m.adult else m.index))
        self._mark_away_and_slumps(members)
        return members

    def _mark_away_and_slumps(self, members: list[_Member]) -> None:
        t = self.t
        rng = self.rng("away")
        i = 0
        while i < t.n:  # family holidays, everyone away
            if rng.random() < 2 / 365:
                length = rng.randint(5, 12)
                for m in members:
                    for d in range(i, min(t.n, i + length)):
                        m.away[d] = True
                i += length
            i += 1
        for m in members:
            mr = self.rng("mood", m.index)
            slump = False
            for d in range(t.n):
                if mr.random() < 4 / 365:  # a cold, a sick day or two
                    for s in range(d, min(t.n, d + mr.randint(1, 3))):
                        m.away[s] = True
                # Slumps start rarely and last a week or so.
                slump = mr.random() >= 0.15 if slump else mr.random() < 0.015
                m.slump[d] = slump

    def family_rows(self) -> _Batch:
        t = self.t
        batch = _Batch()
        founded = t.at(0, 9 * 60) - timedelta(days=1)
        tag = self.family_id.hex[:6]
        batch.add(
            _T_FAMILIES,
            {
                "id": self.family_id,
                "name": self.family_name,
                "time_zone": self.time_zone,
                "week_start": WeekStart.SUNDAY
                if self.time_zone.startswith("America")
                else WeekStart.MONDAY,
                "day_start_hour": 0,
                "created_at": founded,
                "updated_at": founded,
                "deleted_at": None,
                "version": 1,
            },
        )
        rng = self.rng("looks")
        colours = rng.sample(_COLOURS, len(_COLOURS))
        kid_avatars = rng.sample(_KID_AVATARS, len(_KID_AVATARS))
        adult_avatars = rng.sample(_ADULT_AVATARS, len(_ADULT_AVATARS))
        last_day = t.dates[-1]
        for position, m in enumerate(self.members):
            first = m.first_name
            email = f"{_ascii(first)}.{_ascii(self.surname)}.{tag}@example.com" if m.adult else None
            birth = last_day - timedelta(days=round(m.age * 365.25) + rng.randint(1, 364))
            avatars = adult_avatars if m.adult else kid_avatars
            batch.add(
                _T_USERS,
                {
                    "id": m.id,
                    "full_name": f"{first} {self.surname}",
                    "email": email,
                    "colour": colours[position % len(colours)],
                    "avatar_emoji": avatars[position % len(avatars)],
                    "birth_date": birth,
                    "notification_enabled": m.adult,
                    "time_zone": None,
                    "created_at": founded,
                    "updated_at": founded,
                    "deleted_at": None,
                    "version": 1,
                },
            )
            batch.add(
                _T_MEMBERSHIPS,
                {
                    "id": self.uid(),
                    "user_id": m.id,
                    "family_id": self.family_id,
                    "role": m.role,
                    "position": position,
                    "created_at": founded,
                    "updated_at": founded,
                    "deleted_at": None,
                    "version": 1,
                },
            )
        if any(not m.adult for m in self.members):
            chosen = sorted(rng.sample(_REWARDS, 6), key=lambda r: r[1])
            retired = rng.randrange(len(chosen))
            for k, (name, cost) in enumerate(chosen):
                retired_day = rng.randint(t.n // 3, max(t.n // 3, 2 * t.n // 3))
                off = k == retired
                reward_id = self.uid()
                self.rewards.append((reward_id, name, cost, retired_day if off else t.n))
                batch.add(
                    _T_REWARDS,
                    {
                        "id": reward_id,
                        "family_id": self.family_id,
                        "name": name,
                        "cost": cost,
                        "active": not off,
                        "created_at": founded,
                        "updated_at": t.at(retired_day, 20 * 60) if off else founded,
                        "deleted_at": None,
                        "version": 2 if off else 1,
                    },
                )
        return batch

    def recorder(self, rng: random.Random, m: _Member) -> uuid.UUID:
        """Who ticks a member's things off: adults themselves, children often a parent."""
        if m.adult or not self.parents or rng.random() < 0.4:
            return m.id
        return self.parents[0 if rng.random() < 0.55 else -1].id

    # ---- one member's history -------------------------------------------------------------

    def member_rows(self, m: _Member) -> _Batch:
        batch = _Batch()
        catalogue = _ADULT_HABITS if m.adult else _KID_HABITS
        rng = self.rng("picks", m.index)
        picks = [
            (catalogue[k % len(catalogue)], k // len(catalogue))
            for k in rng.sample(range(len(catalogue)), min(self.habits_each, len(catalogue)))
            + list(range(len(catalogue), self.habits_each))
        ]
        exercise_habit: tuple[uuid.UUID, int] | None = None
        habit_plans = []
        for position, (spec, repeat) in enumerate(picks):
            habit_id, start, name = self._habit(batch, m, spec, repeat, position)
            habit_plans.append((habit_id, start, name, spec))
            if spec.from_exercise and exercise_habit is None:
                exercise_habit = (habit_id, start)
        minutes_by_day = self._exercise(batch, m, exercise_habit)
        for habit_id, start, name, spec in habit_plans:
            self._entries(batch, m, habit_id, start, name, spec, minutes_by_day)
        pool = _ADULT_ROUTINES if m.adult else _KID_ROUTINES
        order = [0, 1, *rng.sample(range(2, len(pool)), len(pool) - 2)]
        for position in range(self.routines_each):
            routine = pool[order[position % len(pool)]]
            self._routine(batch, m, routine, position // len(pool), position)
        return batch

    def _habit(
        self, batch: _Batch, m: _Member, spec: _HabitSpec, repeat: int, position: int
    ) -> tuple[uuid.UUID, int, str]:
        t = self.t
        rng = self.rng("habit", m.index, spec.name, repeat)
        # Most habits were there from the start; some were added later on.
        start = 0 if rng.random() < 0.8 or t.n < 30 else rng.randint(1, int(t.n * 0.4))
        rules = spec.rules[-rng.randint(1, len(spec.rules)) :]
        changes = _change_days(rng, start, t.last, len(rules) - 1, 45)
        rules = rules[len(rules) - 1 - len(changes) :]
        habit_id = self.uid()
        created = t.at(start, 7 * 60 + rng.randint(0, 60))
        name = spec.name if repeat == 0 else f"{spec.name} ({repeat + 1})"
        batch.add(
            _T_HABITS,
            {
                "id": habit_id,
                "family_id": self.family_id,
                "user_id": m.id,
                "name": name,
                "description": spec.description,
                "colour": _COLOURS[rng.randrange(len(_COLOURS))],
                "points": 0 if m.adult else spec.points,
                "archived": False,
                "position": position,
                "created_at": created,
                "updated_at": created,
                "deleted_at": None,
                "version": 1,
            },
        )
        for number, (rule, day) in enumerate(zip(rules, [start, *changes], strict=True), 1):
            made = t.at(day, 7 * 60 + rng.randint(0, 60))
            batch.add(
                _T_HABIT_VERSIONS,
                {
                    "id": self.uid(),
                    "habit_id": habit_id,
                    "number": number,
                    "effective_from": t.dates[day],
                    "kind": rule.kind,
                    "target_value": rule.target,
                    "unit": rule.unit,
                    "direction": rule.direction,
                    "freq_num": rule.freq[0],
                    "freq_den": rule.freq[1],
                    "weekdays": rule.weekdays,
                    "created_at": made,
                    "updated_at": made,
                },
            )
        self._versions[habit_id] = list(zip([start, *changes], rules, strict=True))
        return habit_id, start, name

    def _entries(
        self,
        batch: _Batch,
        m: _Member,
        habit_id: uuid.UUID,
        start: int,
        name: str,
        spec: _HabitSpec,
        minutes_by_day: dict[int, int],
    ) -> None:
        t = self.t
        rng = self.rng("entries", m.index, name)
        random_ = rng.random
        uniform = rng.uniform
        versions = self._versions[habit_id]
        points = 0 if m.adult else spec.points
        entries = batch.tables[_T_ENTRIES.name]
        ledger = batch.tables[_T_POINTS.name]
        family_id, user_id, earned = self.family_id, m.id, m.earned
        # Motivation: on a streak or in a lapse (a two-state Markov chain), with a slow drift.
        p_lapse, p_recover = uniform(0.01, 0.04), uniform(0.15, 0.35)
        rate_on, rate_off = uniform(0.9, 0.985), uniform(0.05, 0.25)
        on, level = True, 1.0
        recent: deque[int] = deque()
        evening = rng.randint(17 * 60, 20 * 60)
        v = 0
        rule = versions[0][1]
        rules = rule.rules()
        for i in range(start, t.n):
            while v + 1 < len(versions) and versions[v + 1][0] <= i:
                v += 1
                rule = versions[v][1]
                rules = rule.rules()
            on = (random_() >= p_lapse) if on else (random_() < p_recover)
            level = min(1.0, max(0.85, level + uniform(-0.01, 0.01)))
            rate = rate_on * level if on else rate_off
            if t.weekend[i]:
                rate *= spec.weekend
            if m.slump[i]:
                rate *= 0.8
            rate = min(rate, 0.995)
            while recent and recent[0] <= i - rule.freq[1]:
                recent.popleft()

            if spec.from_exercise:
                if i not in minutes_by_day:
                    continue
                value: float = minutes_by_day[i]
                status = entry_status(rules, value)
            elif m.away[i]:
                due = rule.weekdays is None or includes(rule.weekdays, t.dates[i])
                if not due or random_() >= 0.35:
                    continue
                value, status = 0.0, EntryStatus.SKIPPED
            elif rule.kind is HabitKind.NUMERIC:
                if random_() >= (0.95 if on else 0.6):
                    continue  # not logged that day
                target = cast(float, rule.target)
                success = random_() < rate
                if rule.direction is Direction.AT_LEAST:
                    value = target * (uniform(1.0, 1.35) if success else uniform(0.3, 0.97))
                else:
                    value = target * (uniform(0.3, 1.0) if success else uniform(1.05, 2.0))
                value = float(round(value)) if spec.whole else round(value * 4) / 4
                status = entry_status(rules, value)
            else:
                if rule.weekdays is not None:
                    if not includes(rule.weekdays, t.dates[i]):
                        continue
                    chance = rate
                elif rule.freq[0] == rule.freq[1]:
                    chance = rate
                elif len(recent) >= rule.freq[0]:
                    chance = 0.04  # target reached for this window: an extra, rarely
                else:
                    chance = rate * min(1.0, 1.5 * rule.freq[0] / rule.freq[1] + 0.1)
                if random_() < chance:
                    value, status = 1.0, EntryStatus.DONE
                elif rule.freq[0] == rule.freq[1] and random_() < 0.12:
                    value, status = 0.0, EntryStatus.MISSED  # an explicit "no"
                else:
                    continue

            note = None
            roll = random_()
            if status is EntryStatus.DONE:
                recent.append(i)
                if roll < 0.015:
                    note = rng.choice(spec.notes or _DONE_NOTES)
            elif roll < 0.15:
                note = rng.choice(_SKIP_NOTES if status is EntryStatus.SKIPPED else _MISSED_NOTES)
            moment = t.at(i, evening + rng.randint(-90, 90))
            if t.future(i, moment):
                continue
            who = self.recorder(rng, m)
            entry_id = self.uid()
            entries.append(
                {
                    "id": entry_id,
                    "habit_id": habit_id,
                    "day": t.dates[i],
                    "value": value,
                    "status": status,
                    "note": note,
                    "recorded_by": who,
                    "created_at": moment,
                    "updated_at": moment,
                    "deleted_at": None,
                    "version": 1,
                }
            )
            if points and status is EntryStatus.DONE:
                earned[i] += points
                ledger.append(
                    {
                        "id": self.uid(),
                        "family_id": family_id,
                        "user_id": user_id,
                        "amount": points,
                        "reason": f"{name} on {t.dates[i].isoformat()}",
                        "source": PointsSource.HABIT,
                        "source_id": entry_id,
                        "created_by": who,
                        "created_at": moment,
                        "updated_at": moment,
                    }
                )

    def _exercise(
        self, batch: _Batch, m: _Member, habit: tuple[uuid.UUID, int] | None
    ) -> dict[int, int]:
        """Exercise sessions a few times a week; minutes per day for an exercise habit."""
        minutes_by_day: dict[int, int] = {}
        if not m.exercises:
            return minutes_by_day
        t = self.t
        rng = self.rng("exercise", m.index)
        sports = _ADULT_SPORTS if m.adult else _KID_SPORTS
        favourites = rng.sample(sports, 3)
        weights = (6, 3, 1)
        per_week = rng.uniform(2.0, 4.0) if m.adult else rng.uniform(1.5, 3.0)
        usual = rng.choice((6 * 60 + 30, 18 * 60 + 30)) if m.adult else 16 * 60 + 30
        rows = batch.tables[_T_SESSIONS.name]
        for i in range(t.n):
            if m.away[i]:
                continue
            chance = per_week / 7 * (1.3 if t.weekend[i] else 1.0) * (0.6 if m.slump[i] else 1.0)
            if rng.random() >= chance:
                continue
            activity = rng.choices(favourites, weights)[0]
            low, high = _MINUTES[activity]
            minutes = rng.randint(low, high)
            speed = _SPEED_KMH.get(activity)
            distance = round(minutes / 60 * speed * rng.uniform(0.8, 1.2), 1) if speed else None
            begin = (10 * 60 if t.weekend[i] else usual) + rng.randint(-30, 30)
            moment = t.at(i, begin + minutes)
            if t.future(i, moment):
                continue
            linked = habit is not None and i >= habit[1]
            if linked:
                minutes_by_day[i] = minutes_by_day.get(i, 0) + minutes
            rows.append(
                {
                    "id": self.uid(),
                    "family_id": self.family_id,
                    "user_id": m.id,
                    "habit_id": habit[0] if linked and habit is not None else None,
                    "activity": activity,
                    "day": t.dates[i],
                    "minutes": minutes,
                    "distance_km": distance,
                    "intensity": rng.randint(1, 5) if rng.random() < 0.7 else None,
                    "note": rng.choice(_SESSION_NOTES) if rng.random() < 0.05 else None,
                    "created_at": moment,
                    "updated_at": moment,
                    "deleted_at": None,
                    "version": 1,
                }
            )
        return minutes_by_day

    # ---- routines -------------------------------------------------------------------------

    def _routine(
        self, batch: _Batch, m: _Member, spec: _RoutineSpec, repeat: int, position: int
    ) -> None:
        t = self.t
        rng = self.rng("routine", m.index, position)
        routine_id = self.uid()
        name = spec.name if repeat == 0 else f"{spec.name} ({repeat + 1})"
        created = t.at(0, 6 * 60)
        batch.add(
            _T_ROUTINES,
            {
                "id": routine_id,
                "family_id": self.family_id,
                "user_id": m.id,
                "name": name,
                "position": position,
                "archived": False,
                "created_at": created,
                "updated_at": created,
                "deleted_at": None,
                "version": 1,
            },
        )
        # Versions: (first day, weekdays, start minute, finish-by, steps as (id, title, min, pts)).
        steps = [
            (title, minutes, None if m.adult else rng.choice(_STEP_POINTS))
            for title, minutes in spec.steps[: spec.initial]
        ]
        weekdays, finish_by = spec.weekdays, spec.finish_by
        versions: list[_Version] = []
        day, note = 0, "First version"
        renames = dict(spec.renames)
        while True:
            version_id = self.uid()
            made = t.at(day, 6 * 60)
            batch.add(
                _T_ROUTINE_VERSIONS,
                {
                    "id": version_id,
                    "routine_id": routine_id,
                    "number": len(versions) + 1,
                    "effective_from": t.dates[day],
                    "note": note,
                    "weekdays": weekdays,
                    "start_time": spec.start,
                    "finish_by": finish_by,
                    "created_at": made,
                    "updated_at": made,
                },
            )
            rows = []
            for pos, (title, minutes, pts) in enumerate(steps):
                step_id = self.uid()
                rows.append((step_id, title, minutes, pts))
                batch.add(
                    _T_STEPS,
                    {
                        "id": step_id,
                        "version_id": version_id,
                        "position": pos,
                        "title": title,
                        "duration_minutes": minutes,
                        "points": pts,
                        "created_at": made,
                        "updated_at": made,
                    },
                )
            versions.append((day, weekdays, rows, version_id))
            day += rng.randint(60, 150)  # an edit every few months
            if day > t.last:
                break
            steps, weekdays, finish_by, note = self._edit(
                rng, spec, m, steps, weekdays, finish_by, renames
            )
        self._runs(batch, m, spec, routine_id, name, versions)

    @staticmethod
    def _edit(
        rng: random.Random,
        spec: _RoutineSpec,
        m: _Member,
        steps: list[tuple[str, int, int | None]],
        weekdays: int,
        finish_by: time | None,
        renames: dict[str, str],
    ) -> tuple[list[tuple[str, int, int | None]], int, time | None, str]:
        """One parent's edit: a step added, renamed, removed or moved, or the schedule changed."""
        steps = list(steps)
        titles = [s[0] for s in steps]
        # A renamed step is the same step: its old title is not added back beside the new one
        # ("Read" next to "Read (paper book)").
        renamed_away = {old for old, new in spec.renames if new in titles}
        addable = [
            e
            for e in (*spec.steps, *spec.extras)
            if e[0] not in titles and e[0] not in renamed_away
        ]
        renamable = [k for k, title in enumerate(titles) if title in renames]
        roll = rng.random()
        if roll < 0.4 and addable and len(steps) < 7:
            title, minutes = rng.choice(addable)
            where = rng.randint(1, len(steps))
            steps.insert(where, (title, minutes, None if m.adult else rng.choice(_STEP_POINTS)))
            return steps, weekdays, finish_by, f"Added a step: {title}"
        if roll < 0.65 and renamable:
            k = rng.choice(renamable)
            old, new = titles[k], renames.pop(titles[k])
            steps[k] = (new, steps[k][1], steps[k][2])
            return steps, weekdays, finish_by, f"Renamed a step: {old} → {new}"
        if roll < 0.8 and len(steps) > 3:
            k = rng.randrange(1, len(steps))
            removed = steps.pop(k)
            return steps, weekdays, finish_by, f"Removed a step: {removed[0]}"
        if roll < 0.9 and len(steps) >= 3:
            k = rng.randrange(1, len(steps) - 1)
            steps[k], steps[k + 1] = steps[k + 1], steps[k]
            return steps, weekdays, finish_by, f"Moved up: {steps[k][0]}"
        if weekdays != spec.other_weekdays and rng.random() < 0.5:
            return steps, spec.other_weekdays, finish_by, "New schedule"
        if finish_by is not None:
            moved = (finish_by.hour * 60 + finish_by.minute + rng.choice((-15, 15))) % (24 * 60)
            new_finish = time(moved // 60, moved % 60)
            return steps, weekdays, new_finish, f"Finish by {new_finish:%H:%M}"
        return steps, spec.weekdays, finish_by, "Back to the usual schedule"

    def _runs(
        self,
        batch: _Batch,
        m: _Member,
        spec: _RoutineSpec,
        routine_id: uuid.UUID,
        name: str,
        versions: Sequence[_Version],
    ) -> None:
        t = self.t
        rng = self.rng("runs", m.index, name)
        random_ = rng.random
        runs = batch.tables[_T_RUNS.name]
        checks = batch.tables[_T_CHECKS.name]
        ledger = batch.tables[_T_POINTS.name]
        p_lapse, p_recover = rng.uniform(0.01, 0.03), rng.uniform(0.2, 0.4)
        rate_on, rate_off = rng.uniform(0.8, 0.93), rng.uniform(0.2, 0.45)
        on = True
        start_minute = spec.start.hour * 60 + spec.start.minute if spec.start else 8 * 60
        v = 0
        for i in range(t.n):
            while v + 1 < len(versions) and versions[v + 1][0] <= i:
                v += 1
            _, weekdays, steps, version_id = versions[v]
            on = (random_() >= p_lapse) if on else (random_() < p_recover)
            if not includes(weekdays, t.dates[i]):
                continue
            if m.away[i]:
                if random_() >= 0.3:
                    continue
                status, done = RunStatus.SKIPPED, []
            else:
                rate = (rate_on if on else rate_off) * (spec.weekend if t.weekend[i] else 1.0)
                if m.slump[i]:
                    rate *= 0.85
                roll = random_()
                if roll < rate:
                    status, done = RunStatus.COMPLETED, steps
                elif roll < rate + (1 - rate) * 0.6 and len(steps) > 1:
                    keep = [s for s in steps if random_() < 0.6] or [steps[0]]
                    if len(keep) == len(steps):
                        keep = keep[:-1]
                    status, done = RunStatus.PARTIAL, keep
                elif roll < rate + (1 - rate) * 0.8:
                    status, done = RunStatus.SKIPPED, []
                else:
                    continue  # forgotten: no run at all
            run_id = self.uid()
            who = self.recorder(rng, m)
            started = t.at(i, start_minute + rng.randint(-10, 15)) if done else None
            if started is not None and t.future(i, started):
                continue
            speed = rng.uniform(0.8, 1.3)
            elapsed = 0.0
            last_check = started
            for step_id, title, minutes, pts in done:
                elapsed += minutes * speed
                checked = cast(datetime, started) + timedelta(minutes=elapsed)
                if t.future(i, checked):
                    status = RunStatus.IN_PROGRESS
                    break
                last_check = checked
                check_id = self.uid()
                if pts:
                    # As the routines service does: one ledger line per checked step, so
                    # unchecking a demo step gives back exactly its points.
                    m.earned[i] += pts
                    ledger.append(
                        {
                            "id": self.uid(),
                            "family_id": self.family_id,
                            "user_id": m.id,
                            "amount": pts,
                            "reason": f"{name}: {title}",
                            "source": PointsSource.ROUTINE,
                            "source_id": check_id,
                            "created_by": who,
                            "created_at": checked,
                            "updated_at": checked,
                        }
                    )
                checks.append(
                    {
                        "id": check_id,
                        "run_id": run_id,
                        "step_id": step_id,
                        "checked_at": checked,
                        "checked_by": who,
                        "created_at": checked,
                        "updated_at": checked,
                        "deleted_at": None,
                    }
                )
            finished = last_check if status is not RunStatus.IN_PROGRESS and done else None
            created = started or t.at(i, start_minute + 30)
            if t.future(i, created):
                continue
            runs.append(
                {
                    "id": run_id,
                    "routine_id": routine_id,
                    "version_id": version_id,
                    "user_id": m.id,
                    "day": t.dates[i],
                    "status": status,
                    "started_at": started,
                    "finished_at": finished,
                    "created_at": created,
                    "updated_at": last_check or created,
                    "deleted_at": None,
                    "version": 1,
                }
            )

    # ---- rewards --------------------------------------------------------------------------

    def redemption_rows(self) -> _Batch:
        """Children ask for rewards they can afford; parents approve most, reject some.

        Approval spends the cost as one negative ledger line; the newest request stays pending.
        """
        batch = _Batch()
        kids = [m for m in self.members if not m.adult]
        if not self.rewards or not kids or not self.parents:
            return batch
        t = self.t
        rng = self.rng("rewards")
        balances: dict[uuid.UUID, int] = {}
        for m in kids:
            balance = 0
            for i in range(t.n):
                before = balance  # what was there before the day's points: safe to spend
                balance += m.earned[i]
                # Now and then, and more often with points piling up.
                if rng.random() >= 1 / 30 + min(0.08, before / 8000):
                    continue
                affordable = [r for r in self.rewards if r[2] <= before and i < r[3]]
                if not affordable:
                    continue
                reward_id, name, cost, _ = rng.choice(affordable)
                requested = t.at(i, rng.randint(17 * 60, 20 * 60))
                decided = requested + timedelta(minutes=rng.randint(5, 600))
                if t.future(i, decided):
                    continue
                approved = rng.random() < 0.8
                redemption_id = self.uid()
                parent = rng.choice(self.parents).id
                batch.add(
                    _T_REDEMPTIONS,
                    self._redemption(
                        redemption_id,
                        reward_id,
                        m,
                        cost,
                        RedemptionStatus.APPROVED if approved else RedemptionStatus.REJECTED,
                        requested,
                        decided,
                        parent,
                    ),
                )
                if approved:
                    balance -= cost
                    batch.add(
                        _T_POINTS,
                        {
                            "id": self.uid(),
                            "family_id": self.family_id,
                            "user_id": m.id,
                            "amount": -cost,
                            "reason": f"Reward: {name}",
                            "source": PointsSource.REWARD,
                            "source_id": redemption_id,
                            "created_by": parent,
                            "created_at": decided,
                            "updated_at": decided,
                        },
                    )
            balances[m.id] = balance
        # One request waiting for a parent, from the child with the most points.
        richest = max(kids, key=lambda k: (balances[k.id], -k.index))
        active = [r for r in self.rewards if r[3] >= t.n and r[2] <= balances[richest.id]]
        if active:
            reward_id, _name, cost, _ = max(active, key=lambda r: r[2])
            requested = t.at(t.last, 7 * 60 + 30)
            if t.cutoff is not None and requested > t.cutoff:
                requested = t.cutoff - timedelta(minutes=1)
            batch.add(
                _T_REDEMPTIONS,
                self._redemption(
                    self.uid(),
                    reward_id,
                    richest,
                    cost,
                    RedemptionStatus.REQUESTED,
                    requested,
                    None,
                    None,
                ),
            )
        return batch

    @staticmethod
    def _redemption(
        redemption_id: uuid.UUID,
        reward_id: uuid.UUID,
        m: _Member,
        cost: int,
        status: RedemptionStatus,
        requested: datetime,
        decided: datetime | None,
        decided_by: uuid.UUID | None,
    ) -> Row:
        return {
            "id": redemption_id,
            "reward_id": reward_id,
            "user_id": m.id,
            "cost": cost,
            "status": status,
            "requested_at": requested,
            "decided_at": decided,
            "decided_by": decided_by,
            "created_at": requested,
            "updated_at": decided or requested,
            "version": 2 if decided else 1,
        }

    def batches(self) -> Iterator[_Batch]:
        """All rows, family first, then one member at a time, then the rewards asked for."""
        yield self.family_rows()
        for m in self.members:
            yield self.member_rows(m)
        yield self.redemption_rows()


# ---------------------------------------------------------------------------------- entry point


def _check_size(name: str, value: int) -> None:
    low, high = LIMITS[name]
    if not low <= value <= high:
        raise InvalidInputError(
            f"{name.capitalize()}: must be between {low} and {high} (it is {value})"
        )


async def _write(session: AsyncSession, batch: _Batch, chunk: int, counts: dict[str, int]) -> None:
    for table in TABLES:
        rows = batch.tables[table.name]
        for start in range(0, len(rows), chunk):
            await session.execute(insert(table), rows[start : start + chunk])
        counts[table.name] += len(rows)


async def generate_demo(
    db: Database,
    *,
    members: int = 6,
    habits: int = 10,
    routines: int = 2,
    days: int = 1825,
    seed: int = 1,
    today: date | None = None,
    family_name: str = "Demo family",
) -> DemoReport:
    """Fill `db` (migrated) with a demo family: an owner, a parent, children; `habits` habits and
    `routines` routines each, with `days` days of history ending `today` (the family's today by
    default), all in one transaction.

    Raises InvalidInputError for sizes out of range and ConflictError when the family this seed
    makes is already in the database (run it with another seed).
    """
    for name, value in (("members", members), ("habits", habits), ("routines", routines)):
        _check_size(name, value)
    _check_size("days", days)
    family_name = family_name.strip()
    if not 1 <= len(family_name) <= 100:
        raise InvalidInputError("Family name: must be between 1 and 100 characters")

    started = clock.perf_counter()
    builder = _Builder(
        members=members,
        habits=habits,
        routines=routines,
        days=days,
        seed=seed,
        today=today,
        family_name=family_name,
    )
    chunk = CHUNK_ROWS[db.backend]
    counts = {t.name: 0 for t in TABLES}
    waited = 0.0
    async with db.transaction() as session:
        taken = await session.scalar(select(Family.id).where(Family.id == builder.family_id))
        if taken is not None:
            raise ConflictError(
                f"The demo family for seed {seed} is already in this database.",
                hint="Use another seed (e.g. --seed 2) or a fresh database.",
            )
        sqlite = db.backend is Backend.SQLITE
        if sqlite:
            # Random UUID keys land all over each index: with SQLite's default 2 MB page cache
            # the inserts keep evicting pages they need again (measured: 7.6 s instead of 9.5 s).
            cache = await session.scalar(text("PRAGMA cache_size"))
            await session.execute(text(f"PRAGMA cache_size = {-SQLITE_CACHE_KIB}"))
        for batch in builder.batches():
            before = clock.perf_counter()
            await _write(session, batch, chunk, counts)
            waited += clock.perf_counter() - before
        if sqlite:
            await session.execute(text(f"PRAGMA cache_size = {int(cache)}"))
        before = clock.perf_counter()
    waited += clock.perf_counter() - before  # the commit
    if db.backend is not Backend.SQLITE:
        # After a bulk load PostgreSQL plans with no statistics until autovacuum's next pass
        # (within about a minute); the family-wide reads then pick slower plans (measured with
        # benchmarks/bench_analytics.py: 165 ms before, 121-125 ms after). A bulk import
        # analyses what it wrote, as any loader should.
        async with db.transaction() as session:
            names = ", ".join(f'"{table.name}"' for table in TABLES)
            await session.execute(text(f"ANALYZE {names}"))
    owner = next(m for m in builder.members if m.role is Role.OWNER)
    return DemoReport(
        family_id=builder.family_id,
        owner_id=owner.id,
        first_day=builder.t.dates[0],
        last_day=builder.t.dates[-1],
        rows=MappingProxyType(counts),
        elapsed_seconds=clock.perf_counter() - started,
        write_seconds=waited,
    )
