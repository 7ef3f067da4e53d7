"""Domain errors. Each carries a message written for a person, not a developer."""

from __future__ import annotations


class HabitDeskError(Exception):
    """Base of every error the app shows to a user.

    `message` says what went wrong; `hint` (optional) says what to do about it.
    """

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}" if self.hint else self.message


class NotFoundError(HabitDeskError):
    """The thing asked for does not exist (or was removed)."""


class AmbiguousNameError(HabitDeskError):
    """A name matched more than one thing."""


class PermissionDeniedError(HabitDeskError):
    """The acting member's role does not allow this."""


class InvalidInputError(HabitDeskError):
    """Input that passed the schema but breaks a domain rule (or failed the schema)."""


class ConflictError(HabitDeskError):
    """Someone else changed the row since it was read (version counter mismatch)."""


class DatabaseConnectionError(HabitDeskError):
    """The database could not be reached or refused us; `hint` says what to do."""


class SchemaMismatchError(HabitDeskError):
    """The database schema is behind or ahead of this version of the app."""
