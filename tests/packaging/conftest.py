"""The installable app, built ONCE per test session with PyInstaller from habitdesk.spec.

Opt-in (building takes minutes): HABITDESK_TEST_PACKAGING=1. ./dev test sets it when CI is set.
With HABITDESK_TEST_BUNDLE=dist/habitdesk the tests use that bundle instead of building one
(handy after ./dev bundle; the build time is then not reported).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from .support import (
    DEMO_ARGS,
    ENABLED,
    ENV_PREBUILT,
    FIGURES,
    BuiltApp,
    User,
    load_build_module,
    make_user,
    run_ok,
)


@pytest.fixture(scope="session")
def built_app(tmp_path_factory: pytest.TempPathFactory) -> BuiltApp:
    if not ENABLED:  # the marks skip first; this guards direct fixture use
        pytest.skip("packaging tests are opt-in")
    build = load_build_module()
    prebuilt = os.environ.get(ENV_PREBUILT, "").strip()
    if prebuilt:
        bundle_dir = Path(prebuilt).resolve()
        executable = bundle_dir / build.executable_name()
        if not executable.is_file():
            pytest.fail(f"{ENV_PREBUILT}={prebuilt}: no {executable.name} in it", pytrace=False)
        app = BuiltApp(bundle_dir, executable, None, build.app_version())
        FIGURES["build"] = f"prebuilt bundle {bundle_dir} (not built by this run)"
    else:
        out = tmp_path_factory.mktemp("pyinstaller")
        result = build.build(out / "dist", out / "work")
        app = BuiltApp(result.bundle_dir, result.executable, result.seconds, build.app_version())
        FIGURES["build"] = f"{result.seconds:.0f} s (PyInstaller, habitdesk.spec)"
    return app


@pytest.fixture
def user(tmp_path: Path) -> User:
    """A fresh home and HabitDesk data folder."""
    return make_user(tmp_path / "user")


@pytest.fixture(scope="module")
def demo_user(built_app: BuiltApp, tmp_path_factory: pytest.TempPathFactory) -> Iterator[User]:
    """A data folder holding a small demo family, made by the bundle."""
    someone = make_user(tmp_path_factory.mktemp("demo-user"))
    run_ok(
        [built_app.executable, *DEMO_ARGS],
        someone.env(),
        cwd=someone.home,
    )
    yield someone


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not FIGURES:
        return
    terminalreporter.section("HabitDesk bundle figures")
    for name, value in FIGURES.items():
        terminalreporter.write_line(f"{name:>24}: {value}")
