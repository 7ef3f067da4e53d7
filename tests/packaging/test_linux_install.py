"""Linux: the archive a user unpacks and runs, and the desktop entry + icons its script installs."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from .support import FIGURES, PACKAGING, ROOT, BuiltApp, load_build_module, make_user, mib, run_ok

pytestmark = PACKAGING

ICON_SIZES = (16, 32, 48, 64, 128, 256)


@pytest.fixture(scope="module")
def unpacked(built_app: BuiltApp, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The release archive, made from the built app and unpacked like a user would (tar -xzf)."""
    build = load_build_module()
    out = tmp_path_factory.mktemp("archive")
    archive = build.make_archive(built_app.bundle_dir, out, built_app.version)
    assert archive.name == build.archive_name(built_app.version)
    assert archive.name.startswith(f"habitdesk-{built_app.version}-linux-")
    assert archive.name.endswith(".tar.gz")
    FIGURES["archive"] = f"{archive.name}, {mib(archive.stat().st_size)}"
    top = f"habitdesk-{built_app.version}"
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
    for member in ("habitdesk", "_internal", "install-desktop-entry.sh", "habitdesk.desktop"):
        assert f"{top}/{member}" in names, f"{member} is not in the archive"
    assert Path(f"{archive}.sha256").read_text().split()[1] == archive.name
    target = tmp_path_factory.mktemp("unpacked")
    subprocess.run(["tar", "-xzf", str(archive), "-C", str(target)], check=True)
    return target / top


def test_unpacked_archive_runs(unpacked: Path, tmp_path: Path) -> None:
    someone = make_user(tmp_path)
    result = run_ok([unpacked / "habitdesk", "--version"], someone.env(), cwd=someone.home)
    assert result.stdout.startswith("HabitDesk ")
    run_ok([unpacked / "habitdesk", "doctor"], someone.env(), cwd=someone.home)


def _desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_desktop_entry_template_is_valid() -> None:
    entry = _desktop_entry(ROOT / "packaging" / "habitdesk.desktop")
    assert entry["Type"] == "Application"
    assert entry["Name"] == "HabitDesk"
    assert entry["Icon"] == "habitdesk"
    assert entry["Exec"] == "habitdesk"
    assert entry["Terminal"] == "false"
    validator = shutil.which("desktop-file-validate")
    if validator:
        subprocess.run([validator, str(ROOT / "packaging" / "habitdesk.desktop")], check=True)


def test_install_for_the_user_from_the_archive(unpacked: Path, tmp_path: Path) -> None:
    someone = make_user(tmp_path)
    env = someone.env()
    run_ok([unpacked / "install-desktop-entry.sh"], env, cwd=someone.home)

    local = someone.home / ".local"
    app = local / "lib" / "habitdesk" / "habitdesk"
    command = local / "bin" / "habitdesk"
    desktop = local / "share" / "applications" / "habitdesk.desktop"
    assert app.is_file() and command.is_symlink() and desktop.is_file()
    entry = _desktop_entry(desktop)
    assert entry["Exec"] == str(app)  # absolute: ~/.local/bin is often not on a session's PATH
    assert entry["TryExec"] == str(app)
    assert entry["Icon"] == "habitdesk"
    validator = shutil.which("desktop-file-validate")
    if validator:
        subprocess.run([validator, str(desktop)], check=True)
    icons = local / "share" / "icons" / "hicolor"
    for size in ICON_SIZES:
        assert (icons / f"{size}x{size}" / "apps" / "habitdesk.png").is_file()
    assert (icons / "scalable" / "apps" / "habitdesk.svg").is_file()

    # The installed copy runs on its own: the unpacked folder can go.
    away = unpacked.with_name(unpacked.name + "-moved")
    unpacked.rename(away)
    try:
        result = run_ok([command, "--version"], env, cwd=someone.home)
    finally:
        away.rename(unpacked)
    assert result.stdout.startswith("HabitDesk ")

    # The user's data survives an uninstall.
    run_ok([command, "db", "upgrade"], env, cwd=someone.home)
    run_ok([unpacked / "install-desktop-entry.sh", "--uninstall"], env, cwd=someone.home)
    assert not command.exists() and not command.is_symlink()
    assert not desktop.exists()
    assert not (local / "lib" / "habitdesk").exists()
    assert not (icons / "48x48" / "apps" / "habitdesk.png").exists()
    assert (someone.data_dir / "habitdesk.sqlite3").is_file()


def test_system_layout_with_a_prefix(built_app: BuiltApp, tmp_path: Path) -> None:
    """--system installs under /usr/local; --prefix lets the test check that layout elsewhere.
    Run from the checkout, the script takes the app folder it is given."""
    someone = make_user(tmp_path)
    prefix = tmp_path / "usr-local"
    script = ROOT / "packaging" / "install-desktop-entry.sh"
    run_ok(
        [script, "--system", "--prefix", prefix, "--bundle", built_app.bundle_dir],
        someone.env(),
        cwd=someone.home,
    )
    assert (prefix / "bin" / "habitdesk").is_symlink()
    desktop = prefix / "share" / "applications" / "habitdesk.desktop"
    assert _desktop_entry(desktop)["Exec"] == str(prefix / "lib" / "habitdesk" / "habitdesk")
    assert (prefix / "share" / "icons" / "hicolor" / "256x256" / "apps" / "habitdesk.png").is_file()
    assert not (someone.home / ".local").exists()
    run_ok([script, "--uninstall", "--prefix", prefix], someone.env(), cwd=someone.home)
    assert not desktop.exists()
