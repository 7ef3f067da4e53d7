from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from pydantic import EmailStr, Field, field_validator

from habitdesk.core.enums import Role, WeekStart
from habitdesk.core.schemas.common import Colour, Name, ReadModel, Schema, TimeZoneName


class UserCreate(Schema):
    full_name: Name
    email: EmailStr | None = None
    colour: Colour = "#4C7BD9"
    avatar_emoji: str | None = Field(default=None, max_length=16)
    birth_date: date | None = None
    notification_enabled: bool = True
    time_zone: TimeZoneName | None = None

    @field_validator("email", mode="before")
    @classmethod
    def _blank_email_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("email")
    @classmethod
    def _lower_email(cls, value: str | None) -> str | None:
        # E-mail uniqueness is case-insensitive: store one spelling.
        return value.lower() if value else value

    @field_validator("birth_date")
    @classmethod
    def _not_in_future(cls, value: date | None) -> date | None:
        if value is not None and value > date.today():
            raise ValueError("cannot be in the future")
        return value


class UserUpdate(Schema):
    full_name: Name | None = None
    email: EmailStr | None = None
    colour: Colour | None = None
    avatar_emoji: str | None = Field(default=None, max_length=16)
    birth_date: date | None = None
    notification_enabled: bool | None = None
    time_zone: TimeZoneName | None = None
    expected_version: int | None = None

    _lower_email = field_validator("email")(UserCreate._lower_email.__func__)  # type: ignore[attr-defined]


class UserRead(ReadModel):
    id: UUID
    full_name: str
    email: str | None
    colour: str
    avatar_emoji: str | None
    birth_date: date | None
    notification_enabled: bool
    time_zone: str | None
    version: int
    created_at: datetime
    updated_at: datetime


# A user response as the seed's API called it.
UserResponse = UserRead


class FamilyCreate(Schema):
    name: Name
    time_zone: TimeZoneName = "UTC"
    week_start: WeekStart = WeekStart.MONDAY
    day_start_hour: int = Field(default=0, ge=0, le=4)


class FamilyUpdate(Schema):
    name: Name | None = None
    time_zone: TimeZoneName | None = None
    week_start: WeekStart | None = None
    day_start_hour: int | None = Field(default=None, ge=0, le=4)
    expected_version: int | None = None


class FamilyRead(ReadModel):
    id: UUID
    name: str
    time_zone: str
    week_start: WeekStart
    day_start_hour: int
    version: int


class MemberAdd(Schema):
    """A new person joining a family (a user is created for them)."""

    user: UserCreate
    role: Role


class MemberUpdate(Schema):
    role: Role | None = None
    expected_version: int | None = None


class MemberRead(ReadModel):
    """A family member: the user and the membership in one flat read-model."""

    membership_id: UUID
    user_id: UUID
    family_id: UUID
    full_name: str
    email: str | None
    colour: str
    avatar_emoji: str | None
    birth_date: date | None
    role: Role
    position: int
    version: int


class UserFamilyRead(ReadModel):
    """One family a user belongs to, with the user's role there."""

    family: FamilyRead
    role: Role
