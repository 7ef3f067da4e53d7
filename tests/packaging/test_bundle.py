"""The built app works on a machine without Python, exactly as it does from source.

Every command runs the bundle's executable in a bare environment (see support.py).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from habitdesk import __version__

from .support import (
    DEMO_ARGS,
    FIGURES,
    PACKAGING,
    ROOT,
    SIZE_TARGET,
    BuiltApp,
    User,
    best_time,
    load_build_module,
    make_user,
    mib,
    run,
    run_ok,
    screenshot_choices_from_help,
    screenshot_choices_from_source,
    source_command,
    source_env,
)

pytestmark = PACKAGING

SCREENS = screenshot_choices_from_source()


def test_version_is_the_apps(built_app: BuiltApp, user: User) -> None:
    result = run_ok([built_app.executable, "--version"], user.env(), cwd=user.home)
    assert result.stdout.strip() == f"HabitDesk {__version__}"
    assert built_app.version == __version__


def test_bundle_holds_migrations_resources_and_only_the_qt_it_uses(built_app: BuiltApp) -> None:
    internal = built_app.internal
    # Alembic's folder, file for file.
    source_versions = {p.name for p in (ROOT / "migrations" / "versions").glob("*.py")}
    bundled_versions = {p.name for p in (internal / "migrations" / "versions").glob("*.py")}
    assert bundled_versions == source_versions
    assert (internal / "migrations" / "env.py").is_file()
    # The icon, and no developer tools from resources/.
    assert (internal / "resources" / "habitdesk.svg").is_file()
    for size in (16, 32, 48, 64, 128, 256):
        assert (internal / "resources" / "icons" / f"habitdesk-{size}.png").is_file()
    assert not (internal / "resources" / "make_icons.py").exists()
    # Time zones where the system has no database (Windows).
    assert (internal / "tzdata" / "zoneinfo" / "Europe" / "Paris").is_file()
    # One Qt binding, and none of the heavy Qt modules the app does not use.
    for other in ("PyQt5", "PyQt6", "PySide2"):
        assert not (internal / other).exists(), f"{other} was bundled"
    qt = internal / "PySide6" / "Qt"
    libs = {p.name for p in (qt / "lib").iterdir()}
    unwanted = re.compile(r"libQt6(WebEngine|Qml|Quick|3D|Multimedia|Designer|Network)")
    assert not [name for name in libs if unwanted.match(name)], sorted(libs)
    for needed in ("libQt6Core.so.6", "libQt6Gui.so.6", "libQt6Widgets.so.6", "libQt6Svg.so.6"):
        assert needed in libs
    plugins = qt / "plugins"
    for plugin in (
        "platforms/libqxcb.so",
        "platforms/libqwayland.so",
        "platforms/libqoffscreen.so",
        "iconengines/libqsvgicon.so",
        "imageformats/libqsvg.so",
    ):
        assert (plugins / plugin).is_file(), f"Qt plugin {plugin} missing"
    dangling = [
        str(p) for p in built_app.bundle_dir.rglob("*") if p.is_symlink() and not p.exists()
    ]
    assert not dangling, f"links to files that were left out: {dangling}"
    # What the xcb platform plugin needs beyond a desktop's basics: libxcb-cursor0 above all is
    # missing on many desktops (Qt ≥ 6.5 cannot show a window on X11 without it).
    for lib in ("libxcb-cursor.so.0", "libxkbcommon-x11.so.0", "libxcb-icccm.so.4"):
        assert (internal / lib).is_file(), f"{lib} was not bundled: install ./dev's QT_DESKTOP_DEBS"
    bindings = sorted(p.name.split(".")[0] for p in (internal / "PySide6").glob("Qt*.so"))
    FIGURES["Qt modules"] = ", ".join(bindings)


def test_bundle_size_on_disk(built_app: BuiltApp) -> None:
    build = load_build_module()
    size = build.disk_usage(built_app.bundle_dir)
    FIGURES["size on disk"] = (
        f"{mib(size)} ({size / 1e6:.0f} MB; target ≤ {SIZE_TARGET / 1e6:.0f} MB), "
        f"{build.file_count(built_app.bundle_dir):,} files"
    )
    assert size <= SIZE_TARGET, f"the bundle takes {mib(size)} on disk"


def test_first_run_creates_and_migrates_the_database(built_app: BuiltApp, user: User) -> None:
    app = [built_app.executable]
    env = user.env()
    doctor = run_ok([*app, "doctor"], env, cwd=user.home)
    assert "Healthy." in doctor.stdout
    demo = run_ok([*app, *DEMO_ARGS], env, cwd=user.home)
    assert "Demo family created" in demo.stdout
    assert (user.data_dir / "habitdesk.sqlite3").is_file()
    upgrade = run_ok([*app, "db", "upgrade"], env, cwd=user.home)
    assert "Already up to date" in upgrade.stdout
    current = run_ok([*app, "db", "current"], env, cwd=user.home)
    assert "up to date" in current.stdout
    listing = run_ok([*app, "list", "members", "--json"], env, cwd=user.home)
    assert len(json.loads(listing.stdout)) == 3
    paris = run_ok(
        [*app, "family", "create", "Paris", "--timezone", "Europe/Paris"], env, cwd=user.home
    )
    assert "Europe/Paris" in paris.stdout


def test_errors_are_one_line_with_status_2(built_app: BuiltApp, user: User) -> None:
    result = run([built_app.executable, "demo", "--members", "0"], user.env(), cwd=user.home)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_gui_starts_without_the_developers_python(built_app: BuiltApp, user: User) -> None:
    """The desktop app's first start creates and migrates the database, and every Python or Qt
    file it has loaded comes from the bundle -- not from the venv or the interpreter it was
    built with."""
    log = user.home / "gui-stderr.txt"
    with log.open("w") as stderr:  # a file, not a pipe: a full pipe would stall the app
        process = subprocess.Popen(
            [str(built_app.executable)],
            env=user.env(),
            cwd=user.home,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    maps = ""
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert process.poll() is None, f"the app exited: {log.read_text()[-3000:]}"
            maps = Path(f"/proc/{process.pid}/maps").read_text()
            if "libqoffscreen" in maps and (user.data_dir / "habitdesk.sqlite3").exists():
                break
            time.sleep(0.25)
        else:
            pytest.fail("the app did not open its window within 120 s")
        while "up to date" not in _db_current(built_app, user):  # the first start migrates
            assert time.monotonic() < deadline, "the app did not migrate its new database"
            assert process.poll() is None, f"the app exited: {log.read_text()[-3000:]}"
            time.sleep(0.5)
        maps = Path(f"/proc/{process.pid}/maps").read_text()
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    mapped = {line.split(maxsplit=5)[5] for line in maps.splitlines() if len(line.split()) >= 6}
    bundle = str(built_app.bundle_dir.resolve())
    python_like = re.compile(
        r"libpython|\.cpython-|\.abi3\.so|site-packages|/lib/python3|libQt6|libpyside|libshiboken"
    )
    foreign = sorted(
        path for path in mapped if python_like.search(path) and not path.startswith(bundle)
    )
    assert not foreign, f"loaded from outside the bundle: {foreign}"
    not_bundled = [path for path in mapped if not path.startswith(bundle + "/")]
    for outside in {sys.prefix, sys.base_prefix, str(ROOT)}:
        used = [path for path in not_bundled if path.startswith(outside + "/")]
        assert not used, f"the app used files under {outside}: {used}"
    assert any("libpython" in p for p in mapped)


def _db_current(built_app: BuiltApp, user: User) -> str:
    return run_ok([built_app.executable, "db", "current"], user.env(), cwd=user.home).stdout


def test_screenshot_choices_match_the_source(built_app: BuiltApp, user: User) -> None:
    result = run_ok([built_app.executable, "screenshot", "--help"], user.env(), cwd=user.home)
    assert screenshot_choices_from_help(result.stdout) == SCREENS


@pytest.mark.parametrize("screen", SCREENS)
def test_screenshot_of_every_screen(built_app: BuiltApp, demo_user: User, screen: str) -> None:
    out = demo_user.home / "shots" / f"{screen}.png"
    result = run(
        [built_app.executable, "screenshot", screen, "--out", out],
        demo_user.env(),
        cwd=demo_user.home,
    )
    if result.returncode != 0:
        view = ROOT / "habitdesk" / "ui" / "views" / f"{screen}.py"
        written = "" if screen == "setup" or view.exists() else f" ({view.name} is not written yet)"
        pytest.fail(
            f"screenshot {screen}{written} exited {result.returncode}:\n{result.stderr[-3000:]}",
            pytrace=False,
        )
    assert out.is_file() and out.stat().st_size > 0
    width, height, colours = _image_stats(out)
    assert width >= 320 and height >= 240
    assert colours >= 16, f"{screen}: only {colours} colours -- a blank or single-colour image"


def _image_stats(path: Path) -> tuple[int, int, int]:
    """Width, height and the number of distinct colours on a 4-pixel grid."""
    from PySide6.QtGui import QImage

    image = QImage(str(path))
    assert not image.isNull(), f"{path} is not an image Qt can read"
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 4) for y in range(0, image.height(), 4)
    }
    return image.width(), image.height(), len(colours)


def test_weekly_report_and_csv_export_from_the_bundle(built_app: BuiltApp, demo_user: User) -> None:
    """The report draws with the bundle's QtGui (QPdfWriter) off-screen, with no display."""
    from datetime import date, timedelta

    from pypdf import PdfReader

    year, week, _ = (date.today() - timedelta(days=7)).isocalendar()  # a finished week
    out = demo_user.home / "report" / "week.pdf"
    out.parent.mkdir(exist_ok=True)
    result = run_ok(
        [built_app.executable, "report", "--week", f"{year}-W{week:02d}", "--out", out],
        demo_user.env(),
        cwd=demo_user.home,
    )
    assert "page" in result.stdout
    # pypdf gives the gaps between words as tabs or newlines.
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(out).pages).split())
    assert "Demo family" in text and f"Week {week}" in text

    folder = demo_user.home / "export"
    run_ok(
        [built_app.executable, "export", "--format", "csv", "--out", folder],
        demo_user.env(),
        cwd=demo_user.home,
    )
    assert any(folder.rglob("*.csv"))


@pytest.mark.postgres
def test_postgresql_url_from_the_bundle(built_app: BuiltApp, pg_servers, user: User) -> None:  # type: ignore[no-untyped-def]
    name = f"hd_bundle_{uuid.uuid4().hex[:10]}"
    pg_servers.create_database(name, owner="habitdesk")
    try:
        env = user.env(
            DATABASE_URL=pg_servers.url_for(name, pooled=True),
            DIRECT_URL=pg_servers.url_for(name),
        )
        app = [built_app.executable]
        upgrade = run_ok([*app, "db", "upgrade"], env, cwd=user.home)
        assert "Upgraded" in upgrade.stdout
        doctor = run_ok([*app, "doctor"], env, cwd=user.home)
        assert "Healthy." in doctor.stdout
        assert re.search(r"^ok\s+Pooler", doctor.stdout, re.M), doctor.stdout
        created = run_ok([*app, "family", "create", "Bundle family", "--json"], env, cwd=user.home)
        assert json.loads(created.stdout)["name"] == "Bundle family"
        listed = run_ok([*app, "list", "families", "--json"], env, cwd=user.home)
        assert [f["name"] for f in json.loads(listed.stdout)] == ["Bundle family"]
        outputs = [upgrade, doctor, created, listed]
        for result in outputs:
            assert pg_servers.password not in result.stdout + result.stderr
    finally:
        pg_servers.drop_database(name)


def test_start_up_bundle_vs_source(built_app: BuiltApp, tmp_path: Path) -> None:
    """Figures only (tests never assert timings): printed at the end of the session."""
    someone = make_user(tmp_path / "timing")
    bundle = [built_app.executable]
    source = source_command()
    run_ok([*bundle, "db", "upgrade"], someone.env(), cwd=someone.home)  # a migrated database
    for label, args, runs in (("--version", ["--version"], 7), ("doctor", ["doctor"], 5)):
        frozen = best_time([*bundle, *args], someone.env(), cwd=someone.home, runs=runs)
        from_source = best_time([*source, *args], source_env(someone), cwd=someone.home, runs=runs)
        FIGURES[f"start-up {label}"] = (
            f"bundle {frozen * 1000:.0f} ms, source {from_source * 1000:.0f} ms "
            f"= {frozen / from_source:.2f}× (target ≤ 1.5×; best of {runs})"
        )
