"""The Alembic revision this build expects, known without importing Alembic (≈0.25 s).

tests/core/test_migrations.py checks these against migrations/versions.
"""

HEAD = "0001_initial"
KNOWN_REVISIONS = frozenset({"0001_initial"})
