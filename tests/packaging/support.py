"""Helpers for the packaging tests and benchmarks/bench_bundle.py: build the app, run it clean.

"Clean" means the way a user's machine runs it: a bare environment (PATH=/usr/bin:/bin, HOME,
QT_QPA_PLATFORM=offscreen, HABITDESK_DATA_DIR and nothing else), so the bundle cannot lean on
the venv's Python, its PYTHONPATH or a developer's DATABASE_URL.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENV_ENABLE = "HABITDESK_TEST_PACKAGING"
ENV_PREBUILT = "HABITDESK_TEST_BUNDLE"
ENABLED = os.environ.get(ENV_ENABLE, "").strip() == "1"
# Mark every packaging test module with this (pytestmark = PACKAGING).
PACKAGING = [
    pytest.mark.packaging,
    pytest.mark.skipif(
        not ENABLED,
        reason=f"builds the app with PyInstaller (minutes): opt in with {ENV_ENABLE}=1 "
        "(./dev test does when CI is set)",
    ),
    # The bare environment, /proc and the archive are Linux's; Windows and macOS builds use the
    # same spec but are not tested here (README: Building the installable app).
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="packaging tests run on Linux"),
]
SIZE_TARGET = 200 * 10**6  # bytes on disk (issue 5)
# The small demo family of issue 5's checks.
DEMO_ARGS = ("demo", "--members", "3", "--habits", "3", "--routines", "1", "--days", "30")
TIMEOUT = 300  # seconds for one command; generous for a busy 2-core CI machine

# Figures the tests measured, printed at the end of the session (conftest.py).
FIGURES: dict[str, str] = {}


def load_build_module() -> ModuleType:
    """packaging/build.py, loaded by path (packaging/ is not a package, see its docstring)."""
    spec = importlib.util.spec_from_file_location(
        "habitdesk_build", ROOT / "packaging" / "build.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class BuiltApp:
    bundle_dir: Path
    executable: Path
    build_seconds: float | None  # None: a prebuilt bundle was given
    version: str

    @property
    def internal(self) -> Path:
        return self.bundle_dir / "_internal"


@dataclass
class User:
    """A user's home and HabitDesk data folder, both fresh."""

    home: Path
    data_dir: Path
    extra_env: dict[str, str] = field(default_factory=dict)

    def env(self, **extra: str) -> dict[str, str]:
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(self.home),
            "QT_QPA_PLATFORM": "offscreen",
            "HABITDESK_DATA_DIR": str(self.data_dir),
        }
        env.update(self.extra_env)
        env.update(extra)
        return env


def make_user(base: Path) -> User:
    home = base / "home"
    home.mkdir(parents=True, exist_ok=True)
    return User(home=home, data_dir=base / "data")


def source_command() -> list[str]:
    """The app run from the checkout, as a developer does: python -m habitdesk."""
    return [sys.executable, "-m", "habitdesk"]


def source_env(user: User, **extra: str) -> dict[str, str]:
    # The clean environment plus where the checkout is (the venv's editable install would find
    # it too; this keeps the comparison honest if the venv has a non-editable copy).
    return user.env(PYTHONPATH=str(ROOT), **extra)


def run(
    command: Sequence[str | os.PathLike[str]],
    env: dict[str, str],
    *,
    cwd: Path,
    timeout: float = TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(part) for part in command],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
        check=False,
    )


def run_ok(
    command: Sequence[str | os.PathLike[str]], env: dict[str, str], *, cwd: Path
) -> subprocess.CompletedProcess[str]:
    result = run(command, env, cwd=cwd)
    assert result.returncode == 0, (
        f"{' '.join(str(c) for c in command)} exited {result.returncode}\n"
        f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
    )
    return result


def best_time(
    command: Sequence[str | os.PathLike[str]], env: dict[str, str], *, cwd: Path, runs: int
) -> float:
    """Best wall time of `runs` runs after one warm-up (the OS file cache is then warm for
    both the bundle and the source: what a user sees from the second start on)."""
    run_ok(command, env, cwd=cwd)
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        run_ok(command, env, cwd=cwd)
        best = min(best, time.perf_counter() - started)
    return best


def screenshot_choices_from_source() -> list[str]:
    """The screens `habitdesk screenshot` accepts, from the parser in the checkout."""
    from habitdesk.cli import build_parser

    parser = build_parser()
    for action in parser._subparsers._group_actions:  # type: ignore[union-attr]
        choices: Any = getattr(action, "choices", None)
        if choices and "screenshot" in choices:
            for sub_action in choices["screenshot"]._actions:
                if sub_action.dest == "screen":
                    return list(sub_action.choices)
    raise AssertionError("habitdesk screenshot has no SCREEN choices")


def screenshot_choices_from_help(help_text: str) -> list[str]:
    """The SCREEN choices listed under "positional arguments" (options have {choices} too)."""
    positional = help_text.split("positional arguments:", 1)[-1]
    match = re.search(r"\{([a-z_,]+)\}", positional)
    assert match, f"no {{choices}} in:\n{help_text}"
    return match.group(1).split(",")


def mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"
