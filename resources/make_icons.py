"""Render the app icon (resources/habitdesk.svg) to the files the platforms want.

    .venv/bin/python resources/make_icons.py

writes, next to the SVG:

- icons/habitdesk-{16,32,48,64,128,256}.png  the window icon sizes and the Linux hicolor theme
                                             sizes (packaging/install-desktop-entry.sh)
- icons/habitdesk.ico                        Windows (habitdesk.spec: the .exe's icon)
- icons/habitdesk.icns                       macOS (habitdesk.spec: the .app's icon)

Everything is drawn by Qt's QSvgRenderer, so the icon looks the same as the SVG the app loads
at run time. The generated files are committed: building the app does not need this script.

Why the .ico and .icns containers are assembled here: Qt's ico and icns image writers store one
picture per file, but Windows and macOS pick the best of several sizes from one file (a 16 px
taskbar icon drawn from a 256 px picture looks blurred). So each picture is encoded by Qt --
BMP via Qt's own ico writer for the small sizes, which every Windows version reads, and PNG for
the large ones, as Windows Vista+ and macOS 10.7+ expect -- and only the directory around them
is written by this script (both formats are a short header plus a table of entries).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageReader, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "habitdesk.svg"
OUT = HERE / "icons"
PNG_SIZES = (16, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICO_BMP_UP_TO = 64  # larger entries are PNG-compressed (a 256 px BMP would be 256 KiB)
# ICNS element types holding PNG data, by pixel size (Apple's "ic07".. "ic10", "icp4".. "icp6").
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),  # 16 pt @2x
    (b"ic12", 64),  # 32 pt @2x
    (b"ic13", 256),  # 128 pt @2x
    (b"ic14", 512),  # 256 pt @2x
)


def render(renderer: QSvgRenderer, size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image.convertToFormat(QImage.Format.Format_ARGB32)


def encode(image: QImage, fmt: str) -> bytes:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, fmt):
        raise RuntimeError(f"Qt could not encode a {image.width()} px image as {fmt}")
    buffer.close()
    return bytes(data.data())


def ico_entry_payload(image: QImage) -> tuple[bytes, int]:
    """(image data, bits per pixel) of one ICO entry."""
    if image.width() > ICO_BMP_UP_TO:
        return encode(image, "PNG"), 32
    # Qt writes a complete one-picture .ico; its picture data starts after the 6-byte header
    # and the single 16-byte directory entry.
    single = encode(image, "ICO")
    _reserved, _kind, count = struct.unpack_from("<HHH", single, 0)
    if count != 1:
        raise RuntimeError("Qt's ico writer wrote more than one picture")
    _w, _h, _colours, _res, _planes, bpp, size, offset = struct.unpack_from("<BBBBHHII", single, 6)
    return single[offset : offset + size], bpp


def write_ico(renderer: QSvgRenderer, path: Path) -> None:
    payloads = [(size, *ico_entry_payload(render(renderer, size))) for size in ICO_SIZES]
    header = struct.pack("<HHH", 0, 1, len(payloads))
    offset = 6 + 16 * len(payloads)
    directory = b""
    for size, data, bpp in payloads:
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICO directory
        directory += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, bpp, len(data), offset)
        offset += len(data)
    path.write_bytes(header + directory + b"".join(data for _, data, _ in payloads))


def write_icns(renderer: QSvgRenderer, path: Path) -> None:
    pngs: dict[int, bytes] = {}
    body = b""
    for kind, size in ICNS_TYPES:
        if size not in pngs:
            pngs[size] = encode(render(renderer, size), "PNG")
        body += kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size]
    path.write_bytes(b"icns" + struct.pack(">I", 8 + len(body)) + body)


def check_ico(path: Path) -> None:
    reader = QImageReader(str(path), b"ico")
    sizes = set()
    for _ in range(reader.imageCount()):
        image = reader.read()
        if image.isNull():
            raise RuntimeError(f"Qt cannot read back {path.name}: {reader.errorString()}")
        sizes.add(image.width())
        reader.jumpToNextImage()
    if sizes != set(ICO_SIZES):
        raise RuntimeError(f"{path.name} holds sizes {sorted(sizes)}, expected {ICO_SIZES}")


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"error: Qt cannot render {SOURCE}", file=sys.stderr)
        return 1
    OUT.mkdir(exist_ok=True)
    for size in PNG_SIZES:
        target = OUT / f"habitdesk-{size}.png"
        target.write_bytes(encode(render(renderer, size), "PNG"))
        print(f"wrote {target.relative_to(HERE.parent)}")
    write_ico(renderer, OUT / "habitdesk.ico")
    check_ico(OUT / "habitdesk.ico")
    print(f"wrote {(OUT / 'habitdesk.ico').relative_to(HERE.parent)} ({len(ICO_SIZES)} sizes)")
    write_icns(renderer, OUT / "habitdesk.icns")
    print(f"wrote {(OUT / 'habitdesk.icns').relative_to(HERE.parent)}")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
