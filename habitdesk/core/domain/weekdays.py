"""Weekday sets as 7-bit masks: bit 0 = Monday … bit 6 = Sunday (date.weekday() order)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EVERY_DAY = 0b1111111


def mask_from_names(names: Iterable[str]) -> int:
    mask = 0
    for name in names:
        key = name.strip().lower()[:3]
        if key not in WEEKDAY_NAMES:
            raise ValueError(f"'{name}' is not a weekday (use mon, tue, wed, thu, fri, sat, sun)")
        mask |= 1 << WEEKDAY_NAMES.index(key)
    return mask


def names_from_mask(mask: int) -> list[str]:
    return [name for bit, name in enumerate(WEEKDAY_NAMES) if mask & (1 << bit)]


def includes(mask: int, day: date) -> bool:
    return bool(mask & (1 << day.weekday()))
