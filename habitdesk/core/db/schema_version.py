"""The Alembic revision this build expects, known without importing Alembic (≈0.25 s).

tests/core/test_migrations.py checks these against migrations/versions.
"""

HEAD = "0003_points_family_created_index"
KNOWN_REVISIONS = frozenset(
    {"0001_initial", "0002_streak_days_index", "0003_points_family_created_index"}
)
