"""The History screen on the 5-year demo family: from refresh to the data applied, per range.

    .venv/bin/python benchmarks/bench_history_screen.py                  # 5-year demo (≈10 s to build)
    .venv/bin/python benchmarks/bench_history_screen.py --quick          # one year
    .venv/bin/python benchmarks/bench_history_screen.py --data-dir DIR   # an existing data folder

Off-screen (QT_QPA_PLATFORM=offscreen), in the app as it runs: the main window on the History
screen, the whole family shown. For each range preset ("All" first), over several runs:
- the time from the preset's click (the screen's refresh) until the data is applied and the
  screen repainted — best and median;
- of that, `apply` alone (filling the table, the charts and the member cards);
- the SQL statements the load ran (SQLAlchemy `before_cursor_execute` events);
- the longest event-loop stall while it loaded: a 5 ms heartbeat QTimer, the largest gap
  between two beats minus 5 ms.
Targets (issue 4): "All" shows its data in ≤ 200 ms with ≤ 6 statements; no stall over 50 ms.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PRESETS = ("all", "year", "90", "30", "7")
RUNS = 7


class Heartbeat:
    """A 5 ms timer on the Qt event loop: the worst gap between two beats is the longest stall."""

    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.last = time.perf_counter()
        self.worst = 0.0
        self.timer = QTimer()
        self.timer.setInterval(5)
        self.timer.timeout.connect(self.beat)
        self.timer.start()

    def beat(self) -> None:
        now = time.perf_counter()
        self.worst = max(self.worst, now - self.last - 0.005)
        self.last = now

    def reset(self) -> float:
        self.last = time.perf_counter()
        worst, self.worst = self.worst, 0.0
        return worst


async def measure() -> None:
    from PySide6.QtWidgets import QApplication
    from sqlalchemy import event

    from habitdesk.core.config import load_settings
    from habitdesk.ui.shell import Shell

    shell = Shell(load_settings())
    shell.window.resize(1280, 800)
    await shell.start(show=True)
    shell.window.show_screen("history")
    await shell.context.tasks.drain()
    view: Any = shell.window.view("history")
    statements: list[str] = []
    engine = shell.context.core._db.engine.sync_engine  # type: ignore[union-attr]
    event.listen(engine, "before_cursor_execute", lambda *a, **_k: statements.append(a[2]))
    applied: list[float] = []
    apply = view.apply

    def timed_apply(data: Any) -> None:
        started = time.perf_counter()
        apply(data)
        applied.append((time.perf_counter() - started) * 1000)

    view.apply = timed_apply
    beat = Heartbeat()
    print(f"{'range':<6} {'best':>8} {'median':>8} {'apply':>7} {'stmts':>6} {'stall':>7}")
    for key in PRESETS:
        times: list[float] = []
        stalls: list[float] = []
        for _ in range(RUNS):
            # From another range, so that every click is a real change.
            view.choose_preset("7" if key != "7" else "30")
            await shell.context.tasks.drain()
            QApplication.processEvents()
            statements.clear()
            applied.clear()
            beat.reset()
            started = time.perf_counter()
            view.choose_preset(key)
            await shell.context.tasks.drain()
            QApplication.processEvents()
            view.repaint()
            times.append((time.perf_counter() - started) * 1000)
            # Let a late beat land before reading the stall.
            await asyncio.sleep(0.012)
            stalls.append(beat.reset() * 1000)
        rows = len(view.model.rows)
        print(
            f"{key:<6} {min(times):6.1f}ms {statistics.median(times):6.1f}ms "
            f"{min(applied or [0.0]):5.1f}ms {len(statements):>6} {max(stalls):5.1f}ms"
            f"   ({rows} rows, {view.detail.text()})"
        )
    print("Targets: All ≤ 200 ms with ≤ 6 statements; stall ≤ 50 ms (worst of the runs).")
    await shell.shutdown()


def run_app() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import qasync

    from habitdesk.ui.app import create_application

    app = create_application(["bench-history"])
    with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
        runner.run(measure())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one year of history")
    parser.add_argument("--data-dir", type=Path, help="use this data folder's family as it is")
    args = parser.parse_args()
    os.environ.pop("DATABASE_URL", None)
    if args.data_dir is not None:
        os.environ["HABITDESK_DATA_DIR"] = str(args.data_dir)
        run_app()
        return
    days = 365 if args.quick else 1825
    with tempfile.TemporaryDirectory(prefix="habitdesk-bench-history-") as folder:
        os.environ["HABITDESK_DATA_DIR"] = folder
        print(f"Building the demo family: 6 members × 10 habits × 2 routines × {days:,} days …")
        subprocess.run(
            [sys.executable, "-m", "habitdesk", "demo", "--days", str(days)],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        run_app()


if __name__ == "__main__":
    main()
