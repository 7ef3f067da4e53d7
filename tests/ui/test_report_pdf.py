"""The weekly report drawn as a PDF, and `habitdesk report` run as a user runs it.

pypdf reads the files back (page count, text): what a printer or a viewer would get.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pypdf
import pytest

from habitdesk.core.appcore import AppCore
from habitdesk.core.demo import generate_demo
from habitdesk.core.domain.iso_week import IsoWeek
from habitdesk.core.enums import Role
from habitdesk.core.schemas.report import (
    MemberWeekRead,
    ReportCell,
    ReportHabitRow,
    ReportStatus,
    ReportStreak,
    WeekReportRead,
)
from habitdesk.core.services.base import Actor
from habitdesk.ui.report_pdf import render_pdf, save_pdf

ADMIN = Actor.local_admin()


def text_of(path: Path) -> list[str]:
    """Each page's text with runs of white space as one space (and ligatures such as "ﬀ" as
    their letters)."""
    reader = pypdf.PdfReader(path)
    return [
        re.sub(r"\s+", " ", unicodedata.normalize("NFKC", page.extract_text()))
        for page in reader.pages
    ]


@pytest.fixture
def demo_report(core: AppCore, run: Any) -> WeekReportRead:
    """Four members with four habits and two routines each, 60 days of history."""
    demo = run(generate_demo(core._db, members=4, habits=4, routines=2, days=60, seed=3))
    week = IsoWeek.of(demo.last_day).shifted(-1)
    report: WeekReportRead = run(core.reports.week_report(ADMIN, demo.family_id, week))
    return report


def test_a_demo_familys_week_fits_one_page_with_everyone_on_it(
    demo_report: WeekReportRead, tmp_path: Path
) -> None:
    path = tmp_path / "week.pdf"
    pages = save_pdf(demo_report, path)
    assert path.read_bytes().startswith(b"%PDF")
    texts = text_of(path)
    assert pages == len(texts) == 1
    assert demo_report.family_name in texts[0] and demo_report.heading in texts[0]
    for member in demo_report.members:
        assert member.full_name in texts[0]
        for row in (*member.routines, *member.habits):
            assert row.name[:12] in texts[0]
    assert "Page 1 of 1" in texts[0]
    # Each member with something due has a chart of the share done each day.
    charted = [m for m in demo_report.members if any(r is not None for r in m.day_rates)]
    assert charted and texts[0].count("Done each day") == len(charted)
    assert "Mo Tu We Th Fr Sa Su" in texts[0] and "100 %" in texts[0]
    assert list(tmp_path.glob("*.pdf*")) == [path]  # no temporary file left behind


def test_the_day_chart_is_left_out_when_nothing_was_due(tmp_path: Path) -> None:
    counted = _member(1, 2)
    done = ReportCell(status=ReportStatus.DONE, due=True)
    counted = counted.model_copy(
        update={"habits": tuple(h.model_copy(update={"days": (done,) * 7}) for h in counted.habits)}
    )
    path = tmp_path / "chart.pdf"
    render_pdf(_report([counted, _member(2, 2)]), path)
    (text,) = text_of(path)
    # Only the member with days that counted: the other's cells were not due.
    assert text.count("Done each day") == 1
    assert text.index("Member 1") < text.index("Done each day") < text.index("Member 2")


def _member(n: int, rows: int) -> MemberWeekRead:
    cells = tuple(ReportCell(status=s) for s in (*ReportStatus, ReportStatus.DONE))
    return MemberWeekRead(
        user_id=f"00000000-0000-0000-0000-{n:012d}",
        full_name=f"Member {n}",
        role=Role.CHILD,
        colour="#4C7BD9",
        avatar_emoji=None,
        routines=(),
        habits=tuple(
            ReportHabitRow(
                habit_id=f"00000000-0000-0000-0001-{n * 1000 + k:012d}",
                name=f"Habit {n}.{k}",
                colour="#4C7BD9",
                kind="boolean",
                unit=None,
                direction="at_least",
                days=cells[:7],
                done=2,
                due=3,
                streak=ReportStreak(current=1, best=4),
            )
            for k in range(rows)
        ),
        done=2 * rows,
        due=3 * rows,
        points_earned=0,
        rewards=(),
        notes=(),
    )


def _report(members: list[MemberWeekRead]) -> WeekReportRead:
    week = IsoWeek(2026, 47)
    return WeekReportRead(
        family_id="00000000-0000-0000-0002-000000000000",
        family_name="Large family",
        week_start="monday",
        label=week.label,
        heading=week.heading,
        days=week.days,
        today=date(2026, 11, 26),
        members=tuple(members),
        done=sum(m.done for m in members),
        due=sum(m.due for m in members),
    )


def test_a_large_family_continues_on_the_next_page_without_cutting_a_member(
    tmp_path: Path,
) -> None:
    path = tmp_path / "large.pdf"
    members = [_member(n, 14) for n in range(1, 8)]
    pages = render_pdf(_report(members), path)
    texts = text_of(path)
    assert pages == len(texts) > 1
    for member in members:
        holding = [i for i, text in enumerate(texts) if f"{member.full_name} " in text]
        assert len(holding) == 1, f"{member.full_name} is split over pages {holding}"
        page = texts[holding[0]]
        assert all(f"{row.name} " in page for row in member.habits)
    assert f"Page {pages} of {pages}" in texts[-1]
    assert "(continued)" in texts[1]


def test_a_member_taller_than_a_page_goes_on_with_the_name_and_days_repeated(
    tmp_path: Path,
) -> None:
    path = tmp_path / "tall.pdf"
    member = _member(1, 90)
    pages = render_pdf(_report([member]), path)
    texts = text_of(path)
    assert pages == len(texts) >= 2
    assert "Member 1 (continued)" in texts[1] and "Mon 16" in texts[1]
    assert "Habit 1.89 " in texts[-1]


# --- the command line ----------------------------------------------------------------------------


def _habitdesk(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)  # the command must pick off-screen itself
    env["HABITDESK_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "habitdesk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_habitdesk_report_writes_the_pdf_and_says_how_many_pages(tmp_path: Path) -> None:
    data = tmp_path / "data"
    made = _habitdesk(
        "demo", "--members", "2", "--habits", "2", "--routines", "1", "--days", "30",
        data_dir=data,
    )  # fmt: skip
    assert made.returncode == 0, made.stderr
    week = IsoWeek.of(date.today()).shifted(-1)
    out = tmp_path / "week.pdf"
    done = _habitdesk("report", "--week", week.label, "--out", str(out), data_dir=data)
    assert done.returncode == 0, done.stderr
    assert f"to {out}: 1 page" in done.stdout
    assert week.heading in text_of(out)[0]

    later = IsoWeek.of(date.today()).shifted(2)
    refused = _habitdesk(
        "report", "--week", later.label, "--out", str(tmp_path / "no.pdf"), data_dir=data
    )
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1 and "has not begun yet" in refused.stderr
    bad = _habitdesk("report", "--week", "47", "--out", str(tmp_path / "no.pdf"), data_dir=data)
    assert bad.returncode == 2 and "use the form 2026-W47" in bad.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "week.pdf"]


def test_the_other_commands_do_not_load_qt() -> None:
    code = (
        "import sys; from habitdesk.cli import build_parser; build_parser(); "
        "print(any(m.startswith('PySide6') for m in sys.modules))"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert found.stdout.strip() == "False"
