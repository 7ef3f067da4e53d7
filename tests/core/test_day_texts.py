"""Days folded into one text by the database (`days_list`) read back as the same days on every
backend, whatever PostgreSQL's DateStyle, and oldest first where asked."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select, text

from habitdesk.core.db.database import Database
from habitdesk.core.models import HabitEntry
from habitdesk.core.models.enums import EntryStatus
from habitdesk.core.services.habit_queries import ENTRY, DayOrdinals, days_list, split_days
from habitdesk.core.services.habits import HabitService
from tests.core.factories import make_family

# Across the epoch, a leap day, and 1997-05-18/19 (days 9,999 and 10,000 since 1970: in text
# order "10000" comes before "9999").
DAYS = [
    date(1969, 12, 31),
    date(1970, 1, 1),
    date(1997, 5, 18),
    date(1997, 5, 19),
    date(2000, 2, 29),
    date(2026, 1, 1),
]


def test_a_day_reads_back_from_iso_text_and_from_days_since_1970() -> None:
    ordinals = DayOrdinals()
    assert ordinals.split("1969-12-31,2000-02-29") == [
        date(1969, 12, 31).toordinal(),
        date(2000, 2, 29).toordinal(),
    ]
    assert ordinals.split("-1,0,10957") == [
        date(1969, 12, 31).toordinal(),
        date(1970, 1, 1).toordinal(),
        date(2000, 1, 1).toordinal(),
    ]
    assert ordinals.split(None) == []
    assert ordinals.split("") == []


def test_split_days_puts_each_list_oldest_first_whatever_the_text_order() -> None:
    assert split_days(["9999,10000,-1", None, "1997-05-19,1997-05-18"]) == [
        (date(1969, 12, 31), date(1997, 5, 18), date(1997, 5, 19)),
        (),
        (date(1997, 5, 18), date(1997, 5, 19)),
    ]


async def test_folded_days_are_the_days_recorded(database: Database, backend: str) -> None:
    fam = await make_family(database)
    habit = (
        await HabitService(database).create_habit(
            fam.actor(fam.parent),
            {
                "family_id": fam.family.id,
                "user_id": fam.child.user_id,
                "name": "Read",
                "effective_from": DAYS[0],
            },
        )
    ).value
    async with database.transaction() as session:
        session.add_all(
            HabitEntry(id=uuid.uuid4(), habit_id=habit.id, day=d, status=EntryStatus.DONE)
            for d in DAYS
        )
    async with database.transaction() as session:
        if backend != "sqlite":
            # A server whose dates print day-first: the days must not depend on it.
            await session.execute(text("SET LOCAL DateStyle = 'SQL, DMY'"))
        folded = await session.scalar(
            select(days_list(ENTRY.day)).where(ENTRY.habit_id == habit.id)
        )
    assert sorted(DayOrdinals().split(folded)) == [d.toordinal() for d in DAYS]
    assert split_days([folded]) == [tuple(DAYS)]
