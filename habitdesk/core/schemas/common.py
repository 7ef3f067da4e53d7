"""Field types shared by the schemas, with messages a parent understands."""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, ValidationError

from habitdesk.core.domain.weekdays import mask_from_names, names_from_mask
from habitdesk.core.errors import InvalidInputError

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _trim(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _name(value: str) -> str:
    if not value:
        raise ValueError("must not be empty")
    if len(value) > 100:
        raise ValueError(f"must be at most 100 characters (it has {len(value)})")
    return value


def _optional_text(value: object) -> object:
    value = _trim(value)
    return None if value == "" else value


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones()) | {"UTC"}


def _time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"'{value}' is not a known time zone (use a name like Europe/Paris or America/New_York)"
        ) from None
    if value not in _zone_names():
        raise ValueError(f"'{value}' is not a known time zone (use a name like Europe/Paris)")
    return value


def _colour(value: str) -> str:
    if not _COLOUR.match(value):
        raise ValueError("must be a colour like #4C7BD9")
    return value.upper()


def _finite_positive(value: float) -> float:
    if not math.isfinite(value):
        raise ValueError("must be a finite number")
    if value <= 0:
        raise ValueError("must be greater than zero")
    return value


def _weekdays(value: object) -> object:
    if isinstance(value, str):
        value = [part for part in value.split(",") if part.strip()]
    if isinstance(value, (list, tuple, set, frozenset)):
        names = [str(v) for v in value]
        if not names:
            raise ValueError("choose at least one weekday")
        return frozenset(names_from_mask(mask_from_names(names)))
    return value


Name = Annotated[str, BeforeValidator(_trim), AfterValidator(_name)]
OptionalText = Annotated[str | None, BeforeValidator(_optional_text)]
TimeZoneName = Annotated[str, BeforeValidator(_trim), AfterValidator(_time_zone)]
Colour = Annotated[str, BeforeValidator(_trim), AfterValidator(_colour)]
PositiveNumber = Annotated[float, AfterValidator(_finite_positive)]
Weekdays = Annotated[frozenset[str], BeforeValidator(_weekdays)]


class Schema(BaseModel):
    """What a caller sends in. Built on first use (`defer_build`): the app starts by reading,
    and building every input model at import cost ≈20 ms of its start (with the e-mail
    validator, whose import alone is ≈10 ms)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class ReadModel(BaseModel):
    """Read-models are plain immutable data: safe to hand to Qt, never lazy."""

    model_config = ConfigDict(from_attributes=True, frozen=True)


_FIELD_LABELS = {
    "full_name": "Name",
    "name": "Name",
    "email": "E-mail",
    "time_zone": "Time zone",
    "day_start_hour": "Day-start hour",
    "target_value": "Target",
    "unit": "Unit",
    "freq_num": "Times",
    "freq_den": "Days",
    "weekdays": "Weekdays",
    "colour": "Colour",
    "title": "Step title",
    "distance_km": "Distance (km)",
}


def describe_validation_error(exc: ValidationError) -> str:
    """One line per problem: "<Field>: <why>"."""
    lines = []
    for error in exc.errors():
        loc = [str(p) for p in error["loc"] if not isinstance(p, int)]
        field = loc[-1] if loc else ""
        label = _FIELD_LABELS.get(field, field.replace("_", " ").capitalize())
        message = error["msg"]
        for prefix in ("Value error, ", "Assertion failed, "):
            message = message.removeprefix(prefix)
        lines.append(f"{label}: {message}" if label else message)
    return "; ".join(lines)


def invalid_input(exc: ValidationError) -> InvalidInputError:
    return InvalidInputError(describe_validation_error(exc))
