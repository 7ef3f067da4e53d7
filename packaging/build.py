"""Build the installable HabitDesk app from habitdesk.spec, and on Linux the archive users unpack.

    .venv/bin/python packaging/build.py [--clean] [--distpath DIR] [--workpath DIR] [--no-archive]

(`./dev bundle` runs this after installing PyInstaller.) It writes

    dist/habitdesk/                                  the one-folder app: `habitdesk` + _internal/
    dist/habitdesk-VERSION-linux-x86_64.tar.gz       Linux: the app + install-desktop-entry.sh
    dist/habitdesk-VERSION-linux-x86_64.tar.gz.sha256

and prints the build time and the size on disk. Run it with the Python of the environment the
app runs from (.venv): PyInstaller bundles that interpreter and its packages.

This folder is deliberately not a Python package: a `packaging` package would shadow the PyPI
library of that name. Tests and benchmarks load this file by path (see load_build_module in
tests/packaging/conftest.py).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import re
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "habitdesk.spec"
PACKAGING = ROOT / "packaging"
APP_DIR_NAME = "habitdesk"
# Files of packaging/ that travel in the Linux archive, next to the app.
ARCHIVE_EXTRAS = ("install-desktop-entry.sh", "habitdesk.desktop")


@dataclass(frozen=True)
class BuildResult:
    bundle_dir: Path
    executable: Path
    seconds: float


def app_version() -> str:
    """The version in habitdesk/__init__.py, read without importing the app."""
    text = (ROOT / "habitdesk" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.M)
    if not match:
        raise RuntimeError("no __version__ in habitdesk/__init__.py")
    return match.group(1)


def executable_name() -> str:
    return "habitdesk.exe" if sys.platform == "win32" else "habitdesk"


def disk_usage(path: Path) -> int:
    """Bytes the folder takes on disk (like `du -s`): allocated blocks, hard links once."""
    seen: set[tuple[int, int]] = set()
    total = 0
    for folder, dirs, files in os.walk(path):
        for name in dirs + files:
            st = os.lstat(os.path.join(folder, name))
            if (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            blocks = getattr(st, "st_blocks", None)
            total += blocks * 512 if blocks is not None else st.st_size
    return total


def file_count(path: Path) -> int:
    return sum(len(files) for _, _, files in os.walk(path))


def ensure_icons() -> None:
    """The rendered icons are committed; re-render them only if someone deleted them."""
    icons = ROOT / "resources" / "icons"
    wanted = [icons / f"habitdesk-{size}.png" for size in (16, 32, 48, 64, 128, 256)]
    wanted += [icons / "habitdesk.ico", icons / "habitdesk.icns"]
    if all(path.is_file() for path in wanted):
        return
    print("==> rendering the app icon (resources/make_icons.py)", flush=True)
    subprocess.run([sys.executable, str(ROOT / "resources" / "make_icons.py")], check=True)


def build(distpath: Path, workpath: Path, *, clean: bool = False) -> BuildResult:
    """Run PyInstaller on habitdesk.spec; returns where the app is and how long it took."""
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise SystemExit(
            "PyInstaller is not installed in this Python; run ./dev bundle, or "
            f"{sys.executable} -m pip install -e '.[build]'"
        ) from None
    ensure_icons()
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        "--noconfirm",
        "--log-level",
        "WARN",
        "--distpath",
        str(distpath),
        "--workpath",
        str(workpath),
    ]
    if clean:
        command.append("--clean")
    command.append(str(SPEC))
    started = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True)
    seconds = time.perf_counter() - started
    bundle_dir = distpath / APP_DIR_NAME
    executable = bundle_dir / executable_name()
    if not executable.is_file():
        raise RuntimeError(f"PyInstaller finished but {executable} is missing")
    return BuildResult(bundle_dir, executable, seconds)


def archive_name(version: str) -> str:
    machine = platform.machine().lower() or "unknown"
    return f"habitdesk-{version}-linux-{machine}.tar.gz"


def make_archive(bundle_dir: Path, out_dir: Path, version: str | None = None) -> Path:
    """habitdesk-VERSION-linux-ARCH.tar.gz: one folder holding the app and its installer.

    A user unpacks it anywhere and runs ./habitdesk, or ./install-desktop-entry.sh to get the
    menu entry, the icon and the `habitdesk` command.
    """
    version = version or app_version()
    top = f"habitdesk-{version}"
    target = out_dir / archive_name(version)
    tmp = target.with_suffix(".part")

    def owned_by_root(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        return info

    with tarfile.open(tmp, "w:gz", compresslevel=6) as tar:
        tar.add(bundle_dir, arcname=top, filter=owned_by_root)  # symlinks stay symlinks
        for name in ARCHIVE_EXTRAS:
            tar.add(PACKAGING / name, arcname=f"{top}/{name}", filter=owned_by_root)
    tmp.replace(target)
    digest = hashlib.sha256(target.read_bytes()).hexdigest()
    Path(f"{target}.sha256").write_text(f"{digest}  {target.name}\n", encoding="utf-8")
    return target


def _mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--distpath", type=Path, default=ROOT / "dist")
    parser.add_argument("--workpath", type=Path, default=ROOT / "build")
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    parser.add_argument("--no-archive", action="store_true", help="skip the Linux .tar.gz")
    args = parser.parse_args(argv)

    version = app_version()
    print(f"==> building HabitDesk {version} with PyInstaller ({SPEC.name})", flush=True)
    result = build(args.distpath.resolve(), args.workpath.resolve(), clean=args.clean)
    print(f"Built {result.bundle_dir} in {result.seconds:.1f} s")
    print(
        f"Size on disk: {_mib(disk_usage(result.bundle_dir))} "
        f"({file_count(result.bundle_dir):,} files)"
    )
    if sys.platform.startswith("linux") and not args.no_archive:
        started = time.perf_counter()
        archive = make_archive(result.bundle_dir, args.distpath.resolve(), version)
        print(
            f"Archive: {archive} ({_mib(archive.stat().st_size)}, "
            f"{time.perf_counter() - started:.1f} s)"
        )
    print(f"Run it: {result.executable} --version")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
