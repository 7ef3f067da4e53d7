"""`habitdesk report`: the weekly family report as a PDF file.

Drawing a PDF needs Qt (QPdfWriter), which the other commands never load: it is imported only
here, when the command runs. Without a display (over SSH, in CI) Qt is told to draw off-screen.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from habitdesk.cli_support import open_core


def _week(text: str) -> Any:
    from habitdesk.core.domain.iso_week import parse_iso_week
    from habitdesk.core.errors import InvalidInputError

    try:
        return parse_iso_week(text)
    except InvalidInputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


async def _read(args: argparse.Namespace) -> Any:
    from habitdesk.core.services.base import Actor

    async with open_core(args) as core:
        family = await core.lookup.family(args.family)
        return await core.reports.week_report(Actor.local_admin(), family.id, args.week)


def _gui_application() -> Any:
    """The running QGuiApplication, or a new one (off-screen when there is no display)."""
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    return QGuiApplication.instance() or QGuiApplication(["habitdesk"])


def cmd_report(args: argparse.Namespace) -> int:
    """Reads the week, then draws it; returns before Qt is loaded when the read fails."""
    from habitdesk.cli import _fail
    from habitdesk.core.errors import HabitDeskError

    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        return _fail(f"--out: '{args.out}' should end in .pdf")
    if not out.parent.is_dir():
        return _fail(f"--out: the folder '{out.parent}' does not exist")
    try:
        report = asyncio.run(_read(args))
    except HabitDeskError as exc:
        return _fail(str(exc))
    try:
        app = _gui_application()
        from habitdesk.ui.report_pdf import save_pdf
    except ImportError as exc:
        return _fail(
            f"the report needs the GUI libraries ({exc}); install them: pip install 'habitdesk[gui]'"
        )
    try:
        pages = save_pdf(report, out)
    except OSError as exc:
        return _fail(f"could not write {out}: {exc}")
    del app
    members = len(report.members)
    print(
        f"Saved {report.family_name}, {report.heading} ({members} "
        f"{'member' if members == 1 else 'members'}) to {out}: "
        f"{pages} {'page' if pages == 1 else 'pages'}"
    )
    return 0


def add_commands(command: Callable[..., Any]) -> None:
    report = command(
        "report", cmd_report, "the weekly family report as a printable PDF (one ISO week)"
    )
    report.add_argument(
        "--week", required=True, type=_week, metavar="YYYY-Www", help="ISO week, e.g. 2026-W47"
    )
    report.add_argument("--family", help="family name (optional when there is only one)")
    report.add_argument("--out", required=True, metavar="FILE.pdf", help="the PDF file to write")
