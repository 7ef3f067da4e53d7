"""Alembic environment. Runs on a connection handed in by habitdesk.core.db.migrate.

`alembic` on the command line is not the supported entry point; use `habitdesk db upgrade`,
which picks DIRECT_URL, handles the pooler and reports in plain words.
"""

from __future__ import annotations

from alembic import context

from habitdesk.core.db.migration_options import migration_options
from habitdesk.core.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("Run migrations with `habitdesk db upgrade`.")

context.configure(
    connection=connection, target_metadata=Base.metadata, **migration_options(connection)
)
with context.begin_transaction():
    context.run_migrations()
