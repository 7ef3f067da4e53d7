"""The desktop app's start-up, screen switches, stalls and memory on the 5-year demo family.

    .venv/bin/python benchmarks/bench_ui.py            # demo: 6 members × 10 habits × 2 routines × 1,825 days
    .venv/bin/python benchmarks/bench_ui.py --quick    # one year of history
    .venv/bin/python benchmarks/bench_ui.py --postgres # PostgreSQL through PgBouncer instead

Off-screen (QT_QPA_PLATFORM=offscreen), on the embedded SQLite file; with `--postgres` on a fresh
PostgreSQL database through PgBouncer in transaction mode instead, as a family sharing a record on
Supabase runs it (benchmarks/_servers.py: the HABITDESK_TEST_* servers, or a private pair). There
the database is migrated through the direct URL, the demo is built by `habitdesk demo` (which
analyses what it loaded), and the children run with DATABASE_URL set to the pooled URL and
DIRECT_URL to the direct one. Measures, each in a fresh process:
- a bare PySide6 window: process start → first paint;
- the stack floor: the libraries HabitDesk must import before it reads anything (pydantic,
  pydantic-settings, SQLAlchemy's asyncio engine and ORM, the driver — aiosqlite, or asyncpg
  through the pooler — and PySide6), one query and a label painted, so the app's own share of
  its start-up can be told from the stack's;
- HabitDesk: process start → main window painted with Today's data (the Today screen's load
  finished and the window repainted), and that divided by the bare window;
- every screen switch: time until the screen shows its data, and the SQL statements it ran
  (SQLAlchemy `before_cursor_execute` events; on asyncpg one per statement the driver binds and
  executes, checked against the driver's calls — not counted are the round trips around them:
  each statement's prepare, BEGIN/COMMIT, and the pool's pre-ping of each checkout);
- the longest event-loop stall during start-up (with the screens made in the background after
  it), each switch, and a series of check-ins (a 5 ms heartbeat QTimer: the largest gap between
  two beats, minus 5 ms);
- the peak resident memory of the app process.
Targets (issue 3): start ≤ 0.6 s and ≤ 5× bare; switch ≤ 100 ms with ≤ 6 statements; stall ≤ 50 ms;
peak memory ≤ 250 MB. Prints figures; asserts nothing.

Every child runs from bytecode, as a user's second start does (pip compiles it on install; the
bundle ships it): kept in the run's own folder, written by one unmeasured start first. A shell
with PYTHONDONTWRITEBYTECODE set otherwise made each child compile HabitDesk's ≈60 modules from
source again (≈0.1 s of every start). `--compile-each-start` measures that way instead.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

BARE_WINDOW = r"""
import sys, time
t0 = float(sys.argv[1])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
w = QLabel("HabitDesk"); w.resize(1280, 800); w.show()
def painted():
    print(time.time() - t0); app.quit()
QTimer.singleShot(0, painted)
app.exec()
"""

# The chosen stack alone, with none of HabitDesk's own code: the libraries the app must import
# before it can read anything (pydantic and pydantic-settings for settings and read-models,
# SQLAlchemy's asyncio engine and ORM, the driver, PySide6), one query on the demo's database
# (FLOOR_URL, with FLOOR_CONNECT_ARGS: the pooler's settings the app would use), and a label
# painted. What the app does beyond this floor is its own cost.
STACK_FLOOR = r"""
import asyncio, json, os, sys, time
t0 = float(sys.argv[1])
import pydantic, pydantic_settings
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.orm import DeclarativeBase
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
async def count_habits():
    engine = create_async_engine(
        os.environ["FLOOR_URL"], connect_args=json.loads(os.environ["FLOOR_CONNECT_ARGS"])
    )
    async with engine.connect() as connection:
        found = (await connection.execute(text("SELECT count(*) FROM habits"))).scalar()
    await engine.dispose()
    return found
w = QLabel(f"{asyncio.run(count_habits())} habits"); w.resize(1280, 800); w.show()
def painted():
    print(time.time() - t0); app.quit()
QTimer.singleShot(0, painted)
app.exec()
"""

APP_RUN = r"""
import asyncio, json, resource, sys, time
t0 = float(sys.argv[1]); screens = sys.argv[2].split(",")
from habitdesk.core.config import load_settings
from habitdesk.ui.app import create_application
app = create_application(["bench"])
import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

class Heartbeat:
    def __init__(self):
        self.last = time.perf_counter(); self.worst = 0.0
        self.timer = QTimer(); self.timer.setInterval(5); self.timer.timeout.connect(self.beat)
        self.timer.start()
    def beat(self):
        now = time.perf_counter(); self.worst = max(self.worst, now - self.last - 0.005); self.last = now
    def reset(self):
        self.last = time.perf_counter(); w = self.worst; self.worst = 0.0; return w

async def main():
    from habitdesk.ui.shell import Shell
    beat = Heartbeat()
    shell = Shell(load_settings())
    await shell.start(show=True)
    await shell.context.tasks.drain()
    QApplication.processEvents()
    shell.window.repaint()
    started = time.time() - t0
    # The other screens are made in the background after start-up (MainWindow.prepare_screens):
    # wait for that before the switches, counting its stalls with start-up's.
    waited = time.perf_counter()
    while not shell.window.prepared and time.perf_counter() - waited < 10:
        await asyncio.sleep(0.01)
    result = {"start_s": started, "start_stall_ms": beat.reset() * 1000}
    info = shell.context.core.connection  # which database was measured (password hidden)
    result["connection"] = {"kind": info.kind, "display": info.display, "pooler": info.pooler}
    engine = shell.context.core._db.engine.sync_engine
    from sqlalchemy import event
    statements = []
    event.listen(engine, "before_cursor_execute", lambda *a, **k: statements.append(a[2]))
    switches = {}
    switch_stalls = {}
    between = 0.0
    for _round in range(3):
        for screen in screens:
            # Start from another screen, so every measurement is a real switch.
            shell.window.show_screen("settings" if screen != "settings" else "family")
            await shell.context.tasks.drain()
            view = shell.window.view(screen)
            view.stale = True
            statements.clear()
            between = max(between, beat.reset() * 1000)  # the switch to the starting screen
            t = time.perf_counter()
            shell.window.show_screen(screen)
            if shell.window.current_screen == screen and not view.stale:
                await shell.context.tasks.drain()
            QApplication.processEvents()
            view.repaint()
            ms = (time.perf_counter() - t) * 1000
            await asyncio.sleep(0.02)  # a few beats after it, so a stall at its end counts
            stall = beat.reset() * 1000
            switch_stalls[screen] = max(switch_stalls.get(screen, 0.0), stall)
            best = switches.get(screen)
            if best is None or ms < best[0]:
                switches[screen] = (ms, len(statements))
        shell.window.show_screen("habits")
        await shell.context.tasks.drain()
    result["switches"] = switches
    result["switch_stalls_ms"] = switch_stalls
    result["switch_stall_ms"] = max(*switch_stalls.values(), between, beat.reset() * 1000)
    # Check-ins: record a week of yesterday-and-today entries through the task bridge, as a
    # click does, letting the visible Today screen refresh after each.
    shell.window.show_screen("today")
    await shell.context.tasks.drain()
    core = shell.context.core; ctx = shell.context
    from habitdesk.core.enums import HabitKind
    habits = await core.habits.list_habits(ctx.actor, ctx.family.id)
    t = time.perf_counter(); count = 0
    for habit in habits[:20]:
        data = {"status": "done"} if habit.kind is HabitKind.BOOLEAN else {"value": habit.target_value}
        task = ctx.tasks.write(core.habits.set_entry(ctx.actor, habit.id, ctx.today, data))
        await task
        await ctx.tasks.drain()
        QApplication.processEvents()
        count += 1
    result["checkins"] = count
    result["checkin_ms"] = (time.perf_counter() - t) * 1000 / max(count, 1)
    result["checkin_stall_ms"] = beat.reset() * 1000
    await shell.shutdown()
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result))

with asyncio.Runner(loop_factory=lambda: qasync.QEventLoop(app)) as runner:
    runner.run(main())
"""

SCREENS = ("today", "family", "routines", "habits", "history", "rewards", "settings")


def child_env(data_dir: Path, *, bytecode: bool = True) -> dict[str, str]:
    env = dict(os.environ)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(data_dir / "bytecode")
    # QSettings of their own: every start opens on Today at the default size, whatever screen
    # the user's own HabitDesk (or another benchmark) was left on.
    env.update(
        QT_QPA_PLATFORM="offscreen",
        HABITDESK_DATA_DIR=str(data_dir),
        PYTHONPATH=str(ROOT),
        XDG_CONFIG_HOME=str(data_dir / "config"),
        FLOOR_URL="sqlite+aiosqlite:///" + str(data_dir / "habitdesk.sqlite3"),
        FLOOR_CONNECT_ARGS="{}",
    )
    # The embedded file unless the caller names a database: not the shell's own.
    for name in ("DATABASE_URL", "DIRECT_URL", "HABITDESK_POOLER"):
        env.pop(name, None)
    return env


def run_child(code: str, env: dict[str, str], *args: str) -> str:
    t0 = time.time()
    # In ROOT: `python -c` puts the working folder first on sys.path, ahead of PYTHONPATH.
    done = subprocess.run(
        [PYTHON, "-c", code, repr(t0), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise SystemExit(f"child failed:\n{done.stderr[-3000:]}")
    return done.stdout


def build_demo(env: dict[str, str], days: int) -> None:
    """`habitdesk demo` into the database the children will open (it analyses it on PostgreSQL)."""
    print(f"Building the demo family: 6 members × 10 habits × 2 routines × {days:,} days …")
    done = subprocess.run(
        [PYTHON, "-m", "habitdesk", "demo", "--days", str(days)],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    if done.returncode != 0:
        raise SystemExit(f"habitdesk demo failed:\n{done.stderr[-3000:]}")


@dataclass(frozen=True)
class Figures:
    bare_s: float
    floor_s: float
    runs: list[dict[str, Any]]


def measure(env: dict[str, str], runs: int) -> Figures:
    # Warm the OS file cache (and write the bytecode) for both, as a user's second start
    # would find them.
    run_child(BARE_WINDOW, env)
    run_child(STACK_FLOOR, env)
    run_child(APP_RUN, env, "today")
    bare = min(float(run_child(BARE_WINDOW, env).strip()) for _ in range(runs))
    floor = min(float(run_child(STACK_FLOOR, env).strip()) for _ in range(runs))
    results = []
    for _ in range(runs):
        out = run_child(APP_RUN, env, ",".join(SCREENS))
        line = next(x for x in out.splitlines() if x.startswith("RESULT "))
        results.append(json.loads(line[len("RESULT ") :]))
    return Figures(bare, floor, results)


def report(figures: Figures) -> None:
    bare, floor, results = figures.bare_s, figures.floor_s, figures.runs
    best = min(results, key=lambda r: r["start_s"])
    print(f"Bare PySide6 window, start → painted:     {bare * 1000:7.0f} ms")
    print(
        f"Stack floor (libraries, one query, label): {floor * 1000:7.0f} ms"
        f"   ({floor / bare:.1f}× bare)"
    )
    print(
        f"HabitDesk, start → Today painted:         {best['start_s'] * 1000:7.0f} ms"
        f"   ({best['start_s'] / bare:.1f}× bare; targets ≤ 600 ms and ≤ 5×)"
    )
    print("Screen switch (best of 3), statements, longest stall of the switch (all runs):")
    print("                                           (targets ≤ 100 ms, ≤ 6, ≤ 50 ms)")
    for screen in SCREENS:
        ms, count = min(r["switches"][screen] for r in results)
        stall = max(r["switch_stalls_ms"][screen] for r in results)
        print(f"  {screen:10} {ms:7.1f} ms   {count} SQL statements   stall {stall:5.1f} ms")
    print(
        f"Check-ins through the bridge:              {best['checkin_ms']:7.1f} ms each "
        f"({best['checkins']} with Today refreshing)"
    )
    worst = max(
        max(r["start_stall_ms"], r["switch_stall_ms"], r["checkin_stall_ms"]) for r in results
    )
    print(
        f"Longest event-loop stall:                  {worst:7.1f} ms   (target ≤ 50 ms; "
        f"start and screens made after it {best['start_stall_ms']:.0f}, "
        f"switches {best['switch_stall_ms']:.0f}, "
        f"check-ins {best['checkin_stall_ms']:.0f})"
    )
    peak = max(r["peak_rss_mb"] for r in results)
    print(f"Peak resident memory:                      {peak:7.0f} MB   (target ≤ 250 MB)")


def sqlite_run(args: argparse.Namespace, days: int) -> None:
    with tempfile.TemporaryDirectory(prefix="habitdesk-bench-ui-") as folder:
        data_dir = Path(folder)
        env = child_env(data_dir, bytecode=not args.compile_each_start)
        build_demo(env, days)
        figures = measure(env, args.runs)
    report(figures)


def floor_settings(pooled_url: str) -> dict[str, str]:
    """The stack floor's URL and driver arguments: the app's (a pooler's caches off), plain."""
    from habitdesk.core.db.urls import parse_database_url

    target = parse_database_url(pooled_url)
    connect_args = {k: v for k, v in target.connect_args.items() if k != "ssl"}
    if target.ssl_mode is not None:
        connect_args["ssl"] = target.ssl_mode  # asyncpg takes libpq's modes by name
    return {
        "FLOOR_URL": target.url.render_as_string(hide_password=False),
        "FLOOR_CONNECT_ARGS": json.dumps(connect_args),
    }


async def postgres_run(args: argparse.Namespace, days: int) -> None:
    from _servers import fresh_database, pg_servers, server_settings

    with pg_servers() as servers:
        if servers is None:
            return
        settings = await server_settings(servers)
        async with fresh_database(servers, "bench_ui") as urls:
            with tempfile.TemporaryDirectory(prefix="habitdesk-bench-ui-") as folder:
                data_dir = Path(folder)
                env = child_env(data_dir, bytecode=not args.compile_each_start)
                env.update(DATABASE_URL=urls.pooled_url, DIRECT_URL=urls.direct_url)
                env.update(floor_settings(urls.pooled_url))
                build_demo(env, days)
                # Blocking here is fine: nothing else runs on this loop.
                figures = measure(env, args.runs)
    opened = {json.dumps(r["connection"], sort_keys=True) for r in figures.runs}
    connection = figures.runs[0]["connection"]
    if len(opened) != 1 or connection["kind"] != "shared" or not connection["pooler"]:
        raise SystemExit(f"the app did not open the pooled database: {sorted(opened)}")
    print(f"PostgreSQL through PgBouncer ({connection['display']}) — {settings}")
    report(figures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--runs", type=int, default=3, help="start-up runs (best is reported)")
    parser.add_argument(
        "--compile-each-start",
        action="store_true",
        help="no bytecode kept between runs when the shell forbids writing it",
    )
    parser.add_argument(
        "--postgres",
        action="store_true",
        help="on PostgreSQL through PgBouncer (a fresh database) instead of the SQLite file",
    )
    args = parser.parse_args()
    days = 365 if args.quick else 1825
    if args.postgres:
        asyncio.run(postgres_run(args, days))
    else:
        sqlite_run(args, days)


if __name__ == "__main__":
    main()
