"""Habits, the versions of their rules, and one entry per habit per day."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    case,
    exists,
    func,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.orm.attributes import set_committed_value

from habitdesk.core.changes import Changes, Kind
from habitdesk.core.domain import habit_rules
from habitdesk.core.domain.days import family_today
from habitdesk.core.domain.habit_rules import Rules
from habitdesk.core.errors import (
    ConflictError,
    InvalidInputError,
    NotFoundError,
    PermissionDeniedError,
)
from habitdesk.core.models import Family, FamilyMembership, Habit, HabitEntry, HabitVersion
from habitdesk.core.models.base import utcnow
from habitdesk.core.models.enums import EntryStatus, PointsSource
from habitdesk.core.schemas.habits import (
    PLAIN_FIELDS,
    EntryHistoryRead,
    EntrySet,
    FamilyHabitDaysRead,
    HabitCreate,
    HabitDueRead,
    HabitEntryRead,
    HabitRead,
    HabitRules,
    HabitStatusDaysRead,
    HabitUpdate,
    HabitVersionRead,
    NoteSet,
)
from habitdesk.core.services.base import (
    READERS,
    Actor,
    Result,
    Service,
    check_version,
    family_and_role,
    get_live,
    parse,
    require_editor,
    require_role,
    require_self_or_editor,
)

# The shared building blocks, under the names this module's queries were written with.
from habitdesk.core.services.habit_queries import ENTRY as _E
from habitdesk.core.services.habit_queries import HABIT as _H
from habitdesk.core.services.habit_queries import HABIT_TABLE as _HABITS
from habitdesk.core.services.habit_queries import HISTORY_COLUMNS as _HISTORY_COLUMNS
from habitdesk.core.services.habit_queries import RAW_ENTRY_COLUMNS as _RAW_ENTRY_COLUMNS
from habitdesk.core.services.habit_queries import collector_paused as _collector_paused
from habitdesk.core.services.habit_queries import (
    days_list,
    due_window_start,
    entries_with_total,
    entry_read,
    family_entries_between,
    first_entries_with_total,
    habit_read,
    habits_due,
    split_days,
    version_read,
)
from habitdesk.core.services.habit_queries import family_habits as _family_habits
from habitdesk.core.services.habit_queries import fetch_entries as _fetch_entries
from habitdesk.core.services.habit_queries import history_read as _history
from habitdesk.core.services.habit_queries import versions_by_habit as _versions_by_habit
from habitdesk.core.services.habit_queries import versions_of as _versions_of
from habitdesk.core.services.ledger import settle_points
from habitdesk.core.services.query_hints import Unindexed

MAX_PAGE = 1000


def family_reader(actor: Actor, family_id: UUID) -> ColumnElement[bool]:
    """A condition that holds when the actor is a member of the family (any role may read):
    the permission check rides along with a query instead of costing a statement of its own."""
    reader = aliased(FamilyMembership, name="reader")
    return exists().where(
        reader.family_id == family_id,
        reader.user_id == actor.user_id,
        reader.deleted_at.is_(None),
    )


def _rules_columns(rules: Rules) -> dict[str, Any]:
    return {
        "kind": rules.kind,
        "target_value": rules.target_value,
        "unit": rules.unit,
        "direction": rules.direction,
        "freq_num": rules.freq_num,
        "freq_den": rules.freq_den,
        "weekdays": rules.weekdays,
    }


def _rules_input(version: HabitVersionRead) -> dict[str, Any]:
    """The rules of a version as HabitRules input, for merging a partial update into."""
    data: dict[str, Any] = {
        "kind": version.kind,
        "target_value": version.target_value,
        "unit": version.unit,
        "direction": version.direction,
    }
    if version.weekdays is not None:
        data["weekdays"] = frozenset(version.weekdays)
    else:
        data["freq_num"] = version.freq_num
        data["freq_den"] = version.freq_den
    return data


def _merge_rules(current: HabitVersionRead, changes: dict[str, Any]) -> dict[str, Any]:
    merged = _rules_input(current)
    if "weekdays" in changes:
        merged.pop("freq_num", None)
        merged.pop("freq_den", None)
    elif "freq_num" in changes or "freq_den" in changes:
        merged.pop("weekdays", None)
        # Switching from weekdays to "X per Y": the side not given starts at 1.
        merged.setdefault("freq_num", 1)
        merged.setdefault("freq_den", 1)
    merged.update(changes)
    return merged


def _today(family: Family) -> date:
    return family_today(family.time_zone, family.day_start_hour)


def _check_range(start: date, end: date) -> None:
    if start > end:
        raise InvalidInputError(
            f"Dates: the start ({start.isoformat()}) is after the end ({end.isoformat()})."
        )


# --- queries shared by several calls ----------------------------------------------------------


async def _require_member(session: AsyncSession, family_id: UUID, user_id: UUID) -> None:
    found = await session.scalar(
        select(FamilyMembership.id).where(
            FamilyMembership.family_id == family_id,
            FamilyMembership.user_id == user_id,
            FamilyMembership.deleted_at.is_(None),
        )
    )
    if found is None:
        raise InvalidInputError(
            "Member: that person is not a member of this family; add them to the family first."
        )


async def _find_entry(session: AsyncSession, habit_id: UUID, day: date) -> HabitEntry | None:
    """The row for this habit and day, removed or not: clearing and setting again reuses it."""
    return await session.scalar(
        select(HabitEntry).where(HabitEntry.habit_id == habit_id, HabitEntry.day == day)
    )


async def _settle(
    session: AsyncSession, actor: Actor, habit: Habit, entry: HabitEntry, *, live: bool
) -> int:
    earned = habit.points if live and entry.status is EntryStatus.DONE else 0
    return await settle_points(
        session,
        family_id=habit.family_id,
        user_id=habit.user_id,
        source=PointsSource.HABIT,
        source_id=entry.id,
        should_have=earned,
        reason=f"{habit.name} on {entry.day.isoformat()}",
        created_by=actor.user_id,
    )


def _entry_changes(family_id: UUID, points_moved: bool) -> Changes:
    kinds = (Kind.ENTRIES, Kind.POINTS) if points_moved else (Kind.ENTRIES,)
    return Changes.of(*kinds, family_id=family_id)


def _shared_families_query(actor: Actor, user_id: UUID) -> Select[UUID]:
    mine = select(FamilyMembership.family_id).where(
        FamilyMembership.user_id == actor.user_id, FamilyMembership.deleted_at.is_(None)
    )
    return select(FamilyMembership.family_id).where(
        FamilyMembership.user_id == user_id,
        FamilyMembership.deleted_at.is_(None),
        FamilyMembership.family_id.in_(mine),
    )


class HabitService(Service):
    # --- definitions ------------------------------------------------------------------------

    async def create_habit(
        self, actor: Actor, data: HabitCreate | dict[str, Any]
    ) -> Result[HabitRead]:
        """A habit for one member and version 1 of its rules. Owners and parents only."""
        data = parse(HabitCreate, data)
        async with self.db.transaction() as session:
            family = await get_live(session, Family, data.family_id, "family")
            await require_editor(session, actor, family.id, "create habits")
            await _require_member(session, family.id, data.user_id)
            position = await session.scalar(
                select(func.coalesce(func.max(Habit.position), -1) + 1).where(
                    Habit.family_id == family.id,
                    Habit.user_id == data.user_id,
                    Habit.deleted_at.is_(None),
                )
            )
            habit = Habit(
                id=uuid.uuid4(),
                family_id=family.id,
                user_id=data.user_id,
                name=data.name,
                description=data.description,
                colour=data.colour,
                points=data.points,
                archived=False,
                position=position or 0,
            )
            session.add(habit)
            await session.flush()
            version = HabitVersion(
                habit_id=habit.id,
                number=1,
                effective_from=data.effective_from or _today(family),
                **_rules_columns(data.to_rules()),
            )
            session.add(version)
            await session.flush()
            return Result(
                habit_read(habit, version_read(version)),
                Changes.of(Kind.HABITS, family_id=family.id),
            )

    async def update_habit(
        self, actor: Actor, habit_id: UUID, data: HabitUpdate | dict[str, Any]
    ) -> Result[HabitRead]:
        """Plain fields change the habit; changed rules become a new version from a date on.

        Entries already recorded on or after that date are judged again by the new rules (and
        their points settled), so every day stays judged by the rules of its day.
        """
        data = parse(HabitUpdate, data)
        async with self.db.transaction() as session:
            habit = await get_live(session, Habit, habit_id, "habit")
            await require_editor(session, actor, habit.family_id, "change habits")
            check_version(habit, data.expected_version, "habit")
            plain = data.model_dump(include=set(PLAIN_FIELDS), exclude_unset=True)
            for key in ("name", "colour", "points"):
                if key in plain and plain[key] is None:
                    raise InvalidInputError(f"{key.capitalize()}: must not be empty")
            for key, value in plain.items():
                setattr(habit, key, value)
            family = await get_live(session, Family, habit.family_id, "family")
            versions = await _versions_of(session, habit.id)
            latest = max(versions, key=lambda v: v.number)
            changes = Changes.of(Kind.HABITS, family_id=habit.family_id)

            new_version: HabitVersion | None = None
            rule_changes = data.rule_changes()
            if rule_changes:
                merged = parse(HabitRules, _merge_rules(latest, rule_changes)).to_rules()
                if merged != latest.rules():
                    effective = data.effective_from or _today(family)
                    if effective < latest.effective_from:
                        raise InvalidInputError(
                            f"Effective from: the new rules must start on or after "
                            f"{latest.effective_from.isoformat()}, when the current rules started."
                        )
                    new_version = HabitVersion(
                        habit_id=habit.id,
                        number=latest.number + 1,
                        effective_from=effective,
                        **_rules_columns(merged),
                    )
                    session.add(new_version)
                    # The row's version moves too, so a parent editing the old rules conflicts.
                    habit.updated_at = utcnow()
                    if _judging_changed(latest.rules(), merged):
                        changes |= await self._judge_again(session, actor, habit, merged, effective)
            await session.flush()
            if new_version is not None:
                versions.append(version_read(new_version))
            return Result(
                habit_read(habit, habit_rules.version_for_day(versions, _today(family))), changes
            )

    async def _judge_again(
        self, session: AsyncSession, actor: Actor, habit: Habit, rules: Rules, since: date
    ) -> Changes:
        entries = await session.scalars(
            select(HabitEntry).where(
                HabitEntry.habit_id == habit.id,
                HabitEntry.day >= since,
                HabitEntry.deleted_at.is_(None),
                HabitEntry.status != EntryStatus.SKIPPED,
            )
        )
        touched = points_moved = False
        for entry in entries:
            status = habit_rules.entry_status(rules, entry.value)
            if status is entry.status:
                continue
            entry.status = status
            touched = True
            points_moved |= bool(await _settle(session, actor, habit, entry, live=True))
        if not touched:
            return Changes()
        return _entry_changes(habit.family_id, points_moved)

    async def archive_habit(
        self, actor: Actor, habit_id: UUID, archived: bool = True
    ) -> Result[HabitRead]:
        """Archived habits leave the daily lists; their history stays."""
        async with self.db.transaction() as session:
            habit = await get_live(session, Habit, habit_id, "habit")
            doing = "archive habits" if archived else "restore archived habits"
            await require_editor(session, actor, habit.family_id, doing)
            habit.archived = archived
            await session.flush()
            return Result(
                await self._read(session, habit), Changes.of(Kind.HABITS, family_id=habit.family_id)
            )

    async def remove_habit(self, actor: Actor, habit_id: UUID) -> Result[None]:
        """Soft delete: the habit and its entries disappear; points already earned stay."""
        async with self.db.transaction() as session:
            habit = await get_live(session, Habit, habit_id, "habit")
            await require_editor(session, actor, habit.family_id, "remove habits")
            habit.soft_delete()
            await session.flush()
            return Result(None, Changes.of(Kind.HABITS, Kind.ENTRIES, family_id=habit.family_id))

    async def reorder_habits(
        self,
        actor: Actor,
        family_id: UUID,
        ordered_ids: Sequence[UUID],
        user_id: UUID | None = None,
    ) -> Result[list[HabitRead]]:
        """Put habits in the given order: the family's, or one member's when `user_id` is given.

        `ordered_ids` may be a part of the list (e.g. without the archived ones): those habits
        take the places they held between them, in the new order; the others keep theirs.
        Positions are written without bumping row versions, so a reorder never makes another
        parent's open edit of a habit's name or rules conflict.
        """
        async with self.db.transaction() as session:
            family = await get_live(session, Family, family_id, "family")
            await require_editor(session, actor, family_id, "reorder habits")
            if len(set(ordered_ids)) != len(ordered_ids):
                raise InvalidInputError("Order: a habit appears twice in the new order.")
            query = select(Habit).where(Habit.family_id == family_id, Habit.deleted_at.is_(None))
            if user_id is not None:
                query = query.where(Habit.user_id == user_id)
            habits = list(
                await session.scalars(query.order_by(Habit.position, Habit.created_at, Habit.id))
            )
            by_id = {h.id: h for h in habits}
            if any(i not in by_id for i in ordered_ids):
                raise ConflictError(
                    "The list of habits changed while you were reordering it.",
                    hint="Reload the list, then reorder again.",
                )
            moved = iter(by_id[i] for i in ordered_ids)
            wanted = set(ordered_ids)
            new_order = [next(moved) if h.id in wanted else h for h in habits]
            params = [{"b_id": h.id, "b_position": p} for p, h in enumerate(new_order)]
            if params:
                await session.execute(
                    update(_HABITS)
                    .where(_H.id == bindparam("b_id"))
                    .values(position=bindparam("b_position"), updated_at=utcnow()),
                    params,
                )
            for position, habit in enumerate(new_order):
                set_committed_value(habit, "position", position)
            versions = await _versions_by_habit(session, [h.id for h in new_order])
            today = _today(family)
            reads = [
                habit_read(h, habit_rules.version_for_day(versions[h.id], today)) for h in new_order
            ]
            return Result(reads, Changes.of(Kind.HABITS, family_id=family_id))

    # --- reading definitions ----------------------------------------------------------------

    async def get_habit(self, habit_id: UUID) -> HabitRead:
        async with self.db.read() as session:
            habit = await get_live(session, Habit, habit_id, "habit")
            return await self._read(session, habit)

    async def list_habits(
        self,
        actor: Actor,
        family_id: UUID,
        user_id: UUID | None = None,
        include_archived: bool = False,
    ) -> list[HabitRead]:
        """The family's habits (or one member's) with today's rules; four queries, however many."""
        async with self.db.read() as session:
            family = await get_live(session, Family, family_id, "family")
            await require_role(session, actor, family_id, READERS, "see habits")
            query = _family_habits(family_id)
            if user_id is not None:
                query = query.where(Habit.user_id == user_id)
            if not include_archived:
                query = query.where(Habit.archived.is_(False))
            habits = list(await session.scalars(query))
            versions = await _versions_by_habit(session, [h.id for h in habits])
            today = _today(family)
            return [
                habit_read(h, habit_rules.version_for_day(versions[h.id], today)) for h in habits
            ]

    async def list_versions(self, habit_id: UUID) -> list[HabitVersionRead]:
        """Every version of the habit's rules, oldest first."""
        async with self.db.read() as session:
            await get_live(session, Habit, habit_id, "habit")
            return await _versions_of(session, habit_id)

    async def _read(self, session: AsyncSession, habit: Habit) -> HabitRead:
        family = await get_live(session, Family, habit.family_id, "family")
        versions = await _versions_of(session, habit.id)
        return habit_read(habit, habit_rules.version_for_day(versions, _today(family)))

    # --- entries ----------------------------------------------------------------------------

    async def set_entry(
        self, actor: Actor, habit_id: UUID, day: date, data: EntrySet | dict[str, Any]
    ) -> Result[HabitEntryRead]:
        """Record a day, judged by the rules in force that day; the habit's points follow."""
        data = parse(EntrySet, data)
        async with self.db.transaction() as session:
            habit = await get_live(session, Habit, habit_id, "habit")
            await require_self_or_editor(
                session, actor, habit.family_id, habit.user_id, "check off habits"
            )
            family = await get_live(session, Family, habit.family_id, "family")
            _refuse_future(day, _today(family))
            versions = await _versions_of(session, habit.id)
            rules = habit_rules.version_for_day(versions, day).rules()
            value, status = habit_rules.resolve_entry(rules, data.value, data.status, data.skip)
            entry = await _find_entry(session, habit.id, day)
            if entry is None:
                if data.expected_version is not None:
                    raise ConflictError(
                        f"Someone else cleared this day of {habit.name} while you were editing it.",
                        hint="Reload to see the day as it is now, then record it again.",
                    )
                entry = HabitEntry(id=uuid.uuid4(), habit_id=habit.id, day=day)
                session.add(entry)
            else:
                check_version(entry, data.expected_version, "entry")
            # Ticking a day again keeps its note unless a note is given; a cleared day that is
            # recorded again starts afresh.
            if entry.deleted_at is not None or "note" in data.model_fields_set:
                entry.note = data.note
            entry.restore()
            entry.value = value
            entry.status = status
            entry.recorded_by = actor.user_id
            await _flush_entry(session, habit, day)
            moved = await _settle(session, actor, habit, entry, live=True)
            await session.flush()
            return Result(entry_read(entry), _entry_changes(habit.family_id, bool(moved)))

    async def clear_entry(self, actor: Actor, habit_id: UUID, day: date) -> Result[None]:
        """Forget what was recorded for the day (the row is kept as removed); points are undone.

        Clearing a day that has nothing recorded changes nothing.
        """
        async with self.db.transaction() as session:
            habit = await get_live(session, Habit, habit_id, "habit")
            await require_self_or_editor(
                session, actor, habit.family_id, habit.user_id, "check off habits"
            )
            entry = await _find_entry(session, habit.id, day)
            if entry is None or entry.deleted_at is not None:
                return Result(None, Changes())
            entry.soft_delete()
            entry.recorded_by = actor.user_id
            moved = await _settle(session, actor, habit, entry, live=False)
            await session.flush()
            return Result(None, _entry_changes(habit.family_id, bool(moved)))

    async def set_note(
        self, actor: Actor, habit_id: UUID, day: date, note: str | None
    ) -> Result[HabitEntryRead]:
        """Change the note of a recorded day (empty text removes it)."""
        parsed = parse(NoteSet, {"note": note})
        async with self.db.transaction() as session:
            habit = await get_live(session, Habit, habit_id, "habit")
            await require_self_or_editor(
                session, actor, habit.family_id, habit.user_id, "add notes to habits"
            )
            entry = await _find_entry(session, habit.id, day)
            if entry is None or entry.deleted_at is not None:
                raise InvalidInputError(
                    f"Note: nothing is recorded for {habit.name} on {day.isoformat()} yet; "
                    "record the day first, then add a note."
                )
            entry.note = parsed.note
            await session.flush()
            return Result(entry_read(entry), Changes.of(Kind.ENTRIES, family_id=habit.family_id))

    async def entries_in_range(
        self, habit_id: UUID, start: date, end: date
    ) -> list[HabitEntryRead]:
        """The habit's recorded days from `start` to `end` (inclusive), oldest first."""
        _check_range(start, end)
        async with self.db.read() as session:
            await get_live(session, Habit, habit_id, "habit")
            return await _fetch_entries(
                session,
                select(*_RAW_ENTRY_COLUMNS)
                .where(
                    _E.habit_id == habit_id,
                    _E.day >= start,
                    _E.day <= end,
                    _E.deleted_at.is_(None),
                )
                .order_by(_E.day),
            )

    async def entries_for_member(
        self, actor: Actor, user_id: UUID, start: date, end: date
    ) -> EntryHistoryRead:
        """Every recorded day of the member's habits in the range, by day then habit order.

        Only the habits of families the actor belongs to; archived habits included (it is
        history), removed ones not. Two queries, whatever the range; the result is column-wise
        (see EntryHistoryRead) because the history screens read years of it.
        """
        _check_range(start, end)
        async with self.db.read() as session:
            query = (
                select(*_HISTORY_COLUMNS)
                .join(_HABITS, _H.id == _E.habit_id)
                .where(
                    _H.user_id == user_id,
                    _H.deleted_at.is_(None),
                    _E.day >= start,
                    _E.day <= end,
                    _E.deleted_at.is_(None),
                )
                .order_by(_E.day, _H.position, _H.id)
            )
            if not actor.system:
                # The permission check rides along as a subquery: one round trip, not two.
                query = query.where(_H.family_id.in_(_shared_families_query(actor, user_id)))
            connection = await session.connection()
            with _collector_paused():
                history = _history((await connection.execute(query)).all())
            if not history.days and not actor.system:
                # Nothing came back: either nothing was recorded, or the actor may not look.
                await self._shared_families(session, actor, user_id)
            return history

    async def family_days(
        self,
        actor: Actor,
        family_id: UUID,
        start: date,
        end: date,
        user_id: UUID | None = None,
    ) -> FamilyHabitDaysRead:
        """Every habit of the family (or of one member), archived ones included, with every
        version of its rules and the days recorded from `start` to `end` (inclusive), by status.

        Any member may read it. Two statements whatever the number of members, habits and days:
        the habits with their versions, the permission check riding along; then the days, one
        text list per habit and status (see `days_list`) — or, when no habit came back, the
        family and the actor's role, to tell "none yet" from "not yours to see".
        """
        _check_range(start, end)
        async with self.db.read() as session:
            query = (
                _family_habits(family_id)
                .add_columns(HabitVersion, Family.time_zone, Family.day_start_hour)
                .join(HabitVersion, HabitVersion.habit_id == Habit.id)
                .join(Family, Family.id == Habit.family_id)
                .where(Family.deleted_at.is_(None))
                .order_by(HabitVersion.number)
            )
            if user_id is not None:
                query = query.where(Habit.user_id == user_id)
            if not actor.system:
                query = query.where(family_reader(actor, family_id))
            rows = (await session.execute(query)).all()
            if not rows:
                # No habits, or the actor may not look, or no such family: say which.
                family, _ = await family_and_role(session, actor, family_id, READERS, "see habits")
                return FamilyHabitDaysRead(start=start, end=end, today=_today(family), habits=[])
            today = family_today(rows[0].time_zone, rows[0].day_start_hour)
            habits: dict[UUID, Habit] = {}
            versions: dict[UUID, list[HabitVersionRead]] = defaultdict(list)
            for habit, version, _zone, _hour in rows:
                habits.setdefault(habit.id, habit)
                versions[habit.id].append(version_read(version))

            statuses = (EntryStatus.DONE, EntryStatus.SKIPPED, EntryStatus.MISSED)
            found = (
                await session.execute(
                    select(
                        _E.habit_id,
                        *(days_list(case((_E.status == s, _E.day))) for s in statuses),
                    )
                    .where(
                        _E.habit_id.in_(list(habits)),
                        Unindexed(_E.deleted_at).is_(None),
                        _E.day >= start,
                        _E.day <= end,
                    )
                    # By habit only: SQLite walks the (habit, day) key once, in order, and
                    # needs no sort for the grouping.
                    .group_by(_E.habit_id)
                )
            ).all()
            days = split_days(text for row in found for text in row[1:])
            by_habit = {
                row[0]: days[i * len(statuses) : (i + 1) * len(statuses)]
                for i, row in enumerate(found)
            }
            reads = []
            for habit_id, habit in habits.items():
                done, skipped, missed = by_habit.get(habit_id) or ((), (), ())
                history = versions[habit_id]
                reads.append(
                    # Built as given: the day tuples are tens of thousands of valid dates.
                    HabitStatusDaysRead.model_construct(
                        habit=habit_read(habit, habit_rules.version_for_day(history, today)),
                        versions=history,
                        done=done,
                        skipped=skipped,
                        missed=missed,
                    )
                )
            return FamilyHabitDaysRead(start=start, end=end, today=today, habits=reads)

    @staticmethod
    async def _shared_families(session: AsyncSession, actor: Actor, user_id: UUID) -> list[UUID]:
        """Families both the actor and the member belong to; none is a refusal."""
        shared = list(await session.scalars(_shared_families_query(actor, user_id)))
        if not shared:
            raise PermissionDeniedError(
                "Only members of this person's family can see their habits."
            )
        return shared

    async def entries_page(
        self, habit_id: UUID, offset: int, limit: int, newest_first: bool = True
    ) -> list[HabitEntryRead]:
        """One page of the habit's recorded days, for tables that fetch more as they scroll."""
        if offset < 0:
            raise InvalidInputError("Offset: must not be negative.")
        if not 1 <= limit <= MAX_PAGE:
            raise InvalidInputError(f"Limit: must be between 1 and {MAX_PAGE} (it is {limit}).")
        async with self.db.read() as session:
            await get_live(session, Habit, habit_id, "habit")
            order = _E.day.desc() if newest_first else _E.day.asc()
            return await _fetch_entries(
                session,
                select(*_RAW_ENTRY_COLUMNS)
                .where(_E.habit_id == habit_id, _E.deleted_at.is_(None))
                .order_by(order)
                .offset(offset)
                .limit(limit),
            )

    async def entries_first_page(
        self, habit_id: UUID, limit: int, newest_first: bool = True
    ) -> tuple[int, list[HabitEntryRead]]:
        """How many days the habit has recorded, and the first page of them: what a table
        opening on a habit shows, in one statement (`entries_page` reads the next pages)."""
        if not 1 <= limit <= MAX_PAGE:
            raise InvalidInputError(f"Limit: must be between 1 and {MAX_PAGE} (it is {limit}).")
        async with self.db.read() as session:
            connection = await session.connection()
            query = first_entries_with_total(habit_id, limit, newest_first)
            rows = (await connection.execute(query)).all()
        if not rows:
            # The message `get_live` gives for a habit that is gone.
            raise NotFoundError("That habit does not exist (it may have been removed).")
        return entries_with_total(rows)

    async def count_entries(self, habit_id: UUID) -> int:
        async with self.db.read() as session:
            await get_live(session, Habit, habit_id, "habit")
            count = await session.scalar(
                select(func.count())
                .select_from(HabitEntry)
                .where(HabitEntry.habit_id == habit_id, HabitEntry.deleted_at.is_(None))
            )
            return int(count or 0)

    async def habits_due_on(self, actor: Actor, family_id: UUID, day: date) -> list[HabitDueRead]:
        """Each live, non-archived habit of the family on `day`: its rules that day, whether it is
        due, and what was recorded. Five queries, however many habits."""
        async with self.db.read() as session:
            await get_live(session, Family, family_id, "family")
            await require_role(session, actor, family_id, READERS, "see habits")
            habits = list(await session.scalars(_family_habits(family_id).where(~Habit.archived)))
            versions = await _versions_by_habit(session, [h.id for h in habits])
            found: list[HabitEntryRead] = []
            if habits:
                start = due_window_start(versions.values(), day)
                found = await _fetch_entries(session, family_entries_between(family_id, start, day))
            return habits_due(habits, versions, found, day)


def _judging_changed(old: Rules, new: Rules) -> bool:
    """Whether a recorded value could now mean something else (frequency does not matter)."""
    return (old.kind, old.target_value, old.direction) != (
        new.kind,
        new.target_value,
        new.direction,
    )


def _refuse_future(day: date, today: date) -> None:
    if day > today:
        raise InvalidInputError(
            f"Day: {day.isoformat()} is in the future; you can record days up to today "
            f"({today.isoformat()})."
        )


async def _flush_entry(session: AsyncSession, habit: Habit, day: date) -> None:
    """Two people recording the same new day at once meet on the unique (habit, day) key."""
    try:
        await session.flush()
    except IntegrityError:
        raise ConflictError(
            f"Someone else recorded {habit.name} on {day.isoformat()} at the same moment.",
            hint="Reload to see what they recorded, then change it if needed.",
        ) from None


__all__ = ["HabitService", "Unindexed", "family_reader"]
