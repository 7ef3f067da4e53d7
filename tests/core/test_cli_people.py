"""The scripting commands for families and members, as a script would call them."""

from __future__ import annotations

import json

import pytest

from habitdesk.cli import main
from habitdesk.core.db.schema_version import HEAD


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_embedded_database_is_created_and_migrated_on_first_use(capsys, tmp_path) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "family", "create", "Martin", "--timezone", "Europe/Paris")
    assert code == 0
    assert "Created family 'Martin' (Europe/Paris)" in out
    assert (tmp_path / "userdata" / "habitdesk.sqlite3").exists()
    code, out, _ = run(capsys, "db", "current")
    assert f"{HEAD} — up to date" in out


def test_family_member_and_list_round_trip(capsys) -> None:  # type: ignore[no-untyped-def]
    assert run(capsys, "family", "create", "Martin", "--owner", "Claire")[0] == 0
    assert run(capsys, "member", "add", "Léa 🦄", "--role", "child")[0] == 0
    assert (
        run(capsys, "member", "add", "Mamie", "--role", "viewer", "--email", "Mamie@Example.org")[0]
        == 0
    )
    code, out, _ = run(capsys, "list", "members", "--family", "martin", "--json")
    assert code == 0
    members = json.loads(out)
    assert [(m["full_name"], m["role"]) for m in members] == [
        ("Claire", "owner"),
        ("Léa 🦄", "child"),
        ("Mamie", "viewer"),
    ]
    assert members[2]["email"] == "mamie@example.org"
    assert len({m["colour"] for m in members}) == 3  # each member gets a colour of their own
    code, out, _ = run(capsys, "list", "families", "--json")
    assert [f["name"] for f in json.loads(out)] == ["Martin"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["member", "add", "Bob", "--role", "child", "--family", "Nope"],
            "No family is called 'Nope'.",
        ),
        (["member", "add", "  ", "--role", "child"], "Name: must not be empty"),
        (
            ["member", "add", "Bob", "--role", "child", "--email", "bob@"],
            "E-mail: value is not a valid email",
        ),
        (["member", "add", "Bob", "--role", "king"], "invalid choice: 'king'"),
        (
            ["member", "add", "Bob", "--role", "child", "--birth-date", "2020-13-01"],
            "'2020-13-01' is not a date",
        ),
        (["list", "members", "--member", "Nobody"], "No member is called 'Nobody'."),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    capsys, argv: list[str], message: str
) -> None:  # type: ignore[no-untyped-def]
    assert run(capsys, "family", "create", "Martin")[0] == 0
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    _, out, _ = run(capsys, "list", "members", "--json")
    assert json.loads(out) == []


def test_ambiguous_family_name_is_refused(capsys) -> None:  # type: ignore[no-untyped-def]
    run(capsys, "family", "create", "Martin")
    run(capsys, "family", "create", "MARTIN")
    code, _, err = run(capsys, "member", "add", "Bob", "--role", "child", "--family", "martin")
    assert code == 2
    assert "Several families are called 'martin'" in err
    code, _, err = run(capsys, "member", "add", "Bob", "--role", "child")
    assert code == 2
    assert "There are several families; choose one with --family." in err


def test_doctor_is_healthy_on_the_embedded_default(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(capsys, "doctor")
    assert code == 0
    assert "SQLite" in out and "Healthy." in out


def test_doctor_reports_an_unreachable_server_with_what_to_do(capsys) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = run(
        capsys, "doctor", "--database-url", "postgresql://u:topsecret@127.0.0.1:9/db"
    )
    assert code == 1
    assert "!! Connection" in out and "refused the connection" in out and "Check the port" in out
    assert "topsecret" not in out


def test_version(capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--version"]) == 0
    assert "HabitDesk 0.1.0" in capsys.readouterr().out
