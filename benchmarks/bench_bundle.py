"""The installable app (PyInstaller, habitdesk.spec): size on disk, build time, and start-up of
the bundle next to running from source.

    .venv/bin/python benchmarks/bench_bundle.py            # reuses dist/habitdesk if it is there
    .venv/bin/python benchmarks/bench_bundle.py --build    # builds dist/habitdesk first (timed)
    .venv/bin/python benchmarks/bench_bundle.py --runs 9   # more runs per figure

Both sides run in the same bare environment a user's machine gives (PATH=/usr/bin:/bin, HOME,
QT_QPA_PLATFORM=offscreen, HABITDESK_DATA_DIR; source adds PYTHONPATH=checkout), on the same
data folder, one warm-up run each, then the best of N:
- `habitdesk --version`: the floor (interpreter + argparse; imports no Qt, no database);
- `habitdesk doctor`: the command line's typical path (config, SQLAlchemy, SQLite, schema check);
- `habitdesk screenshot today`: GUI start to the first screen painted with its data, saved
  and shut down -- time-to-window, off-screen (small demo family).
Targets (issue 5): size on disk ≤ 200 MB; bundle start-up ≤ 1.5× source. Asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as `python benchmarks/x.py`: make `tests` importable
    sys.path.insert(0, str(ROOT))

from tests.packaging.support import (  # noqa: E402
    DEMO_ARGS,
    SIZE_TARGET,
    load_build_module,
    make_user,
    mib,
    run_ok,
    source_command,
    source_env,
)


def timed_runs(command: list[str], env: dict[str, str], cwd: Path, runs: int) -> list[float]:
    run_ok(command, env, cwd=cwd)  # warm-up: OS file cache, Python's .pyc files
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run_ok(command, env, cwd=cwd)
        times.append(time.perf_counter() - started)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", action="store_true", help="build dist/habitdesk first")
    parser.add_argument("--runs", type=int, default=7, help="timed runs per figure (7)")
    args = parser.parse_args()

    build = load_build_module()
    dist = ROOT / "dist"
    bundle_dir = dist / "habitdesk"
    executable = bundle_dir / build.executable_name()
    build_seconds: float | None = None
    if args.build or not executable.is_file():
        print("Building dist/habitdesk (PyInstaller, habitdesk.spec) ...", flush=True)
        result = build.build(dist, ROOT / "build")
        build_seconds = result.seconds

    size = build.disk_usage(bundle_dir)
    print(f"HabitDesk {build.app_version()} bundle: {bundle_dir}")
    verdict = "ok" if size <= SIZE_TARGET else "OVER TARGET"
    print(
        f"  size on disk     {mib(size)} = {size / 1e6:.0f} MB "
        f"(target ≤ {SIZE_TARGET / 1e6:.0f} MB: {verdict}), "
        f"{build.file_count(bundle_dir):,} files"
    )
    internal = bundle_dir / "_internal"
    parts = [  # symbolic links (PyInstaller links Qt libraries next to the app) count as 0
        (
            build.disk_usage(p) if p.is_dir() and not p.is_symlink() else p.lstat().st_blocks * 512,
            p.name,
        )
        for p in internal.iterdir()
    ]
    biggest = sorted(parts, reverse=True)[:5]
    print("  largest parts    " + ", ".join(f"{name} {mib(n)}" for n, name in biggest))
    if build_seconds is None:
        print("  build time       (reused an existing build; --build to time one)")
    else:
        print(f"  build time       {build_seconds:.1f} s")

    with tempfile.TemporaryDirectory(prefix="hd-bench-bundle-") as tmp:
        someone = make_user(Path(tmp))
        bundle = [str(executable)]
        run_ok([*bundle, *DEMO_ARGS], someone.env(), cwd=someone.home)
        shot = str(Path(tmp) / "today.png")
        cases = (
            ("--version", ["--version"]),
            ("doctor", ["doctor"]),
            ("screenshot today", ["screenshot", "today", "--out", shot]),
        )
        print(f"\nStart-up, best of {args.runs} (median in brackets), same machine, same data:")
        print(f"  {'command':18} {'bundle':>16} {'source':>16} {'ratio':>7}   target ≤ 1.5×")
        for label, command_args in cases:
            frozen = timed_runs([*bundle, *command_args], someone.env(), someone.home, args.runs)
            source = timed_runs(
                [*source_command(), *command_args], source_env(someone), someone.home, args.runs
            )
            ratio = min(frozen) / min(source)
            print(
                f"  {label:18} {min(frozen) * 1000:6.0f} ms ({statistics.median(frozen) * 1000:4.0f})"
                f" {min(source) * 1000:6.0f} ms ({statistics.median(source) * 1000:4.0f})"
                f" {ratio:6.2f}×   {'ok' if ratio <= 1.5 else 'OVER TARGET'}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
