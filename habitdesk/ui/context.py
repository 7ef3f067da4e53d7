"""`AppContext`: what every screen shares — the core, the task bridge, and the current selection.

Selection = the family shown, its members, who is acting (the parent at the keyboard or a child
in child view), the member filter, and the day being looked at.
"""

from __future__ import annotations

from datetime import date, timedelta
from uuid import UUID

from PySide6.QtCore import QObject, Signal

from habitdesk.core.appcore import AppCore
from habitdesk.core.config import Settings
from habitdesk.core.domain.days import family_today
from habitdesk.core.enums import Role
from habitdesk.core.schemas.people import FamilyRead, MemberRead
from habitdesk.core.services.base import Actor
from habitdesk.ui.change_bus import ChangeBus
from habitdesk.ui.tasks import TaskRunner

EDITING_ROLES = (Role.OWNER, Role.PARENT)


class AppContext(QObject):
    family_changed = Signal()
    members_changed = Signal()
    actor_changed = Signal()
    filter_changed = Signal()
    day_changed = Signal()
    # The database could not be opened (or the user chose to stay offline): the reason.
    open_failed = Signal(str)

    def __init__(
        self, core: AppCore | None, settings: Settings | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._core = core
        # Why the core could not be opened; None while it opens, is open or was closed.
        self.open_failure: str | None = None
        # Whether the open core was asked for its families (`set_family` since it opened):
        # before that, a missing family means "not looked yet", not "there is none".
        self.families_known = False
        # The settings the app was started with (flags included), for checks like "doctor".
        self.settings = settings
        self.bus = ChangeBus(self)
        self.tasks = TaskRunner(self.bus, self)
        self.family: FamilyRead | None = None
        self.members: list[MemberRead] = []
        self.acting: MemberRead | None = None
        self.member_filter: UUID | None = None
        self._day: date | None = None

    # --- the core ----------------------------------------------------------------------------

    @property
    def core(self) -> AppCore | None:
        return self._core

    @core.setter
    def core(self, core: AppCore | None) -> None:
        self._core = core
        self.open_failure = None
        self.families_known = False

    def report_open_failure(self, reason: str) -> None:
        """The database could not be opened: screens say so instead of "no family yet"."""
        self.open_failure = reason
        self.open_failed.emit(reason)

    # --- selection -------------------------------------------------------------------------

    def set_family(self, family: FamilyRead | None, members: list[MemberRead]) -> None:
        changed_family = (self.family.id if self.family else None) != (
            family.id if family else None
        )
        self.family = family
        self.members = members
        self.families_known = self._core is not None
        if self.acting is None or all(m.user_id != self.acting.user_id for m in members):
            self.acting = next((m for m in members if m.role is Role.OWNER), None) or (
                members[0] if members else None
            )
        if self.member_filter and all(m.user_id != self.member_filter for m in members):
            self.member_filter = None
        if changed_family:
            self._day = None
            self.family_changed.emit()
        self.members_changed.emit()

    def set_acting(self, user_id: UUID) -> None:
        member = self.member(user_id)
        if member is not None and member != self.acting:
            self.acting = member
            self.actor_changed.emit()

    def set_member_filter(self, user_id: UUID | None) -> None:
        if user_id != self.member_filter:
            self.member_filter = user_id
            self.filter_changed.emit()

    @property
    def today(self) -> date:
        if self.family is None:
            return date.today()
        return family_today(self.family.time_zone, self.family.day_start_hour)

    @property
    def day(self) -> date:
        return self._day or self.today

    def set_day(self, day: date) -> None:
        day = min(day, self.today)
        if day != self.day:
            self._day = day
            self.day_changed.emit()

    def shift_day(self, days: int) -> None:
        self.set_day(self.day + timedelta(days=days))

    # --- helpers for screens ------------------------------------------------------------------

    def member(self, user_id: UUID) -> MemberRead | None:
        return next((m for m in self.members if m.user_id == user_id), None)

    @property
    def actor(self) -> Actor:
        if self.acting is None:
            return Actor.local_admin()
        return Actor.member(self.acting.user_id)

    @property
    def can_edit(self) -> bool:
        """Owners and parents may change definitions; children and viewers may not."""
        return self.acting is None or self.acting.role in EDITING_ROLES

    def may_check_for(self, user_id: UUID) -> bool:
        if self.acting is None or self.acting.role in EDITING_ROLES:
            return True
        return self.acting.role is Role.CHILD and self.acting.user_id == user_id

    def visible_members(self) -> list[MemberRead]:
        if self.member_filter is None:
            return list(self.members)
        return [m for m in self.members if m.user_id == self.member_filter]
