"""Options shared by migrations/env.py and the schema comparison used in tests and doctor."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from habitdesk.core.models.base import UTCDateTime


def render_item(type_: str, obj: Any, autogen_context: Any) -> str | bool:
    # Migration files must not import app code: UTCDateTime is a timezone-aware DateTime.
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def migration_options(connection: Connection) -> dict[str, Any]:
    return {
        "render_as_batch": connection.dialect.name == "sqlite",
        "compare_type": True,
        "render_item": render_item,
    }
