"""What "a day" is for a family: its time zone, shifted by the day-start hour."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


def family_day(moment: datetime, time_zone: str, day_start_hour: int) -> date:
    """The family's calendar day at `moment`: before `day_start_hour` it is still yesterday."""
    if moment.tzinfo is None:
        raise ValueError("moment must be time-zone aware")
    local = moment.astimezone(ZoneInfo(time_zone))
    return (local - timedelta(hours=day_start_hour)).date()


def family_today(time_zone: str, day_start_hour: int, now: datetime | None = None) -> date:
    return family_day(now or datetime.now(UTC), time_zone, day_start_hour)
