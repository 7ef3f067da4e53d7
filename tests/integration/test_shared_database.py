"""A shared PostgreSQL is never migrated behind the user's back."""

from __future__ import annotations

import uuid

import pytest

from habitdesk.cli import main
from habitdesk.core.db.schema_version import HEAD


@pytest.fixture
def empty_pg_url(pg_servers):  # type: ignore[no-untyped-def]
    name = f"empty_{uuid.uuid4().hex[:10]}"
    pg_servers.create_database(name, owner="habitdesk")
    yield pg_servers.url_for(name), pg_servers.url_for(name, pooled=True)
    pg_servers.drop_database(name)


def test_commands_refuse_an_unmigrated_shared_database(capsys, empty_pg_url) -> None:  # type: ignore[no-untyped-def]
    _, pooled = empty_pg_url
    code = main(["family", "create", "Martin", "--database-url", pooled])
    err = capsys.readouterr().err
    assert code == 2
    assert "has no HabitDesk tables yet" in err and "habitdesk db upgrade" in err


def test_doctor_says_run_upgrade_then_upgrade_fixes_it(capsys, empty_pg_url, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    direct, pooled = empty_pg_url
    monkeypatch.setenv("DATABASE_URL", pooled)
    monkeypatch.setenv("DIRECT_URL", direct)
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "!! Migrations" in out and "Run: habitdesk db upgrade" in out
    assert "transaction pooler" in out
    assert "ok Direct URL" in out
    assert main(["db", "upgrade"]) == 0
    assert f"empty → {HEAD}" in capsys.readouterr().out
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "Healthy." in out and "PostgreSQL 1" in out
    assert "Pool size: 5" in out
    assert main(["family", "create", "Martin"]) == 0
    assert main(["db", "upgrade"]) == 0
    assert "Already up to date" in capsys.readouterr().out
