"""Painting the habit detail's charts off-screen: the 5-year year heat map, the score line chart
and the monthly bar chart.

    .venv/bin/python benchmarks/bench_heatmap.py            # 20 runs of each
    .venv/bin/python benchmarks/bench_heatmap.py --runs 50

Builds five years of realistic levels for one habit (mostly done, some missed, a few skipped
and unrecorded days, numeric partials), then times, best and median of the runs, in the light
and the dark theme:

- `YearHeatMap.set_data` (levels → cell positions and sprite codes);
- painting the whole heat map (every year) into a QImage, at 1× and 2× device pixel ratio
  (target of issue 4: ≤ 50 ms), and a scroll-area-sized part of it (what a paint event of
  the visible years costs);
- `paint_line_chart` with 260 weekly points × 3 series, and `paint_bar_chart` with 60 months
  (two series and a target line).

Asserts nothing: the machine is shared, so compare runs with each other, not with a fixed number.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QPoint, QRect, QRectF
from PySide6.QtGui import QImage, QPainter, QRegion
from PySide6.QtWidgets import QApplication

from habitdesk.ui.theme import apply_theme
from habitdesk.ui.widgets.charts import Series, paint_bar_chart, paint_line_chart
from habitdesk.ui.widgets.heatmap import YearHeatMap

TODAY = date(2026, 11, 26)
YEARS = 5
WIDTH = 900
VISIBLE_HEIGHT = 420  # a habit detail pane's scroll area
TARGET_MS = 50


def five_years(seed: int) -> tuple[date, list[float | None], list[bool]]:
    """A numeric habit's days: streaky done runs, missed spells, skips, gaps and partials."""
    rng = random.Random(seed)
    first = TODAY - timedelta(days=YEARS * 365 - 1)
    count = (TODAY - first).days + 1
    levels: list[float | None] = []
    skipped: list[bool] = []
    good = True
    for _ in range(count):
        if rng.random() < 0.08:
            good = not good  # habits come and go in spells
        roll = rng.random()
        skipped.append(roll < 0.03)
        if roll < 0.03:
            levels.append(None)
        elif roll < 0.07:
            levels.append(None)  # nothing recorded
        elif roll < (0.75 if good else 0.35):
            levels.append(1.0)
        elif roll < (0.88 if good else 0.6):
            levels.append(round(rng.uniform(0.1, 0.95), 2))  # part of the target
        else:
            levels.append(0.0)
    return first, levels, skipped


def timings(work: Callable[[], object], runs: int) -> tuple[float, float]:
    work()  # warm up: sprites, fonts and glyph caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times)


def render_into(
    widget: YearHeatMap, ratio: float, region: QRect | None = None
) -> Callable[[], object]:
    area = region or widget.rect()
    image = QImage(
        round(area.width() * ratio),
        round(area.height() * ratio),
        QImage.Format.Format_ARGB32_Premultiplied,
    )
    image.setDevicePixelRatio(ratio)

    def paint() -> None:
        image.fill(0)
        widget.render(image, QPoint(), QRegion(area))

    return paint


def paint_chart(
    paint: Callable[..., None], labels: list[str], series: list[Series], **options: object
) -> Callable[[], object]:
    image = QImage(800, 300, QImage.Format.Format_ARGB32_Premultiplied)
    palette = QApplication.palette()

    def draw() -> None:
        image.fill(palette.base().color())
        painter = QPainter(image)
        paint(painter, QRectF(0, 0, 800, 300), palette, labels, series, **options)
        painter.end()

    return draw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    first, levels, skipped = five_years(args.seed)
    rng = random.Random(args.seed)
    weeks = [f"W{(i % 52) + 1}" for i in range(260)]
    weekly = [
        Series(name, [None if rng.random() < 0.03 else rng.random() for _ in weeks], colour)
        for name, colour in (("Ann", "#E0773D"), ("Ben", "#3D7BE0"), ("Cy", "#9B59B6"))
    ]
    months = [f"{(i % 12) + 1:02d}/{21 + i // 12}" for i in range(60)]
    monthly = [
        Series(name, [rng.uniform(200, 700) for _ in months], colour)
        for name, colour in (("Minutes", "#2E9E6B"), ("Last year", "#8A9099"))
    ]
    print(
        f"{len(levels):,} days ({first} to {TODAY}), heat map {WIDTH} px wide; "
        f"best / median of {args.runs} runs, ms (target: whole map ≤ {TARGET_MS} ms)"
    )
    print(f"{'theme':<6} {'measure':<44} {'best':>8} {'median':>8}")
    for theme in ("light", "dark"):
        apply_theme(app, theme)
        heat = YearHeatMap()
        heat.setAccessibleName("Reading, every day")

        def set_data(heat: YearHeatMap = heat) -> None:
            heat.set_data(first, levels, today=TODAY, colour="#2E9E6B", skipped=skipped)

        set_data()
        heat.resize(WIDTH, heat.heightForWidth(WIDTH))
        rows = [
            ("set_data (5 years)", set_data),
            (f"paint whole map {heat.width()}×{heat.height()}, 1×", render_into(heat, 1.0)),
            ("paint whole map, 2× (high DPI)", render_into(heat, 2.0)),
            (
                f"paint visible part {WIDTH}×{VISIBLE_HEIGHT}, 1×",
                render_into(heat, 1.0, QRect(0, 0, WIDTH, VISIBLE_HEIGHT)),
            ),
            (
                "paint_line_chart 260 weeks × 3 series",
                paint_chart(paint_line_chart, weeks, weekly, y_max=1.0),
            ),
            (
                "paint_bar_chart 60 months × 2 series",
                paint_chart(paint_bar_chart, months, monthly, target=500.0),
            ),
        ]
        for name, work in rows:
            best, median = timings(work, args.runs)
            print(f"{theme:<6} {name:<44} {best:8.1f} {median:8.1f}")
        heat.deleteLater()


if __name__ == "__main__":
    main()
