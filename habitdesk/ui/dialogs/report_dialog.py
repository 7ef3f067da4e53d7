"""The weekly family report dialog: pick an ISO week, save it as a printable PDF, open it.

The week's data is read through the task bridge (async, off the UI's back); the PDF is then
drawn on the UI thread, which `save_pdf` keeps short (measured: the 5-year demo family's week,
six members and 72 rows over two pages, draws in ≈20 ms; see benchmarks/bench_report.py).
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from habitdesk.core.domain.iso_week import IsoWeek, parse_iso_week
from habitdesk.core.errors import InvalidInputError
from habitdesk.core.schemas.report import WeekReportRead
from habitdesk.ui.context import AppContext
from habitdesk.ui.report_pdf import save_pdf

log = logging.getLogger(__name__)


def default_file_name(family_name: str, week: IsoWeek) -> str:
    """ "Demo family – 2026-W47.pdf", without characters a file system refuses."""
    safe = "".join("-" if c in '/\\:*?"<>|' else c for c in family_name).strip() or "Family"
    return f"{safe} – {week.label}.pdf"


class WeeklyReportDialog(QDialog):
    def __init__(
        self,
        context: AppContext,
        parent: QWidget | None = None,
        *,
        week: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Weekly family report")
        self.setAccessibleName("Weekly family report")
        # The last complete week: the one a family sits down to look back on.
        self._latest = IsoWeek.of(context.today)
        self._week = IsoWeek(*week) if week else self._latest.shifted(-1)
        self._saved: Path | None = None
        self._build()
        self._show_week()

    # --- widgets --------------------------------------------------------------------------------

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 18, 18, 14)
        layout.setSpacing(12)
        intro = QLabel(
            "A printable page with every member's week: routines and habits day by day, "
            "the week's completion, streaks, points and notes."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        row = QHBoxLayout()
        self.previous_button = QPushButton("◀ &Previous week")
        self.previous_button.setAccessibleName("Previous week")
        self.previous_button.clicked.connect(lambda: self._step(-1))
        self.week_field = QLineEdit()
        self.week_field.setAccessibleName("Week (ISO, e.g. 2026-W47)")
        self.week_field.setPlaceholderText("2026-W47")
        self.week_field.setMaximumWidth(110)
        self.week_field.editingFinished.connect(self._typed)
        self.next_button = QPushButton("&Next week ▶")
        self.next_button.setAccessibleName("Next week")
        self.next_button.clicked.connect(lambda: self._step(1))
        week_label = QLabel("&Week:")
        week_label.setBuddy(self.week_field)
        row.addWidget(self.previous_button)
        row.addWidget(week_label)
        row.addWidget(self.week_field)
        row.addWidget(self.next_button)
        row.addStretch(1)
        layout.addLayout(row)

        self.dates_label = QLabel()
        self.dates_label.setAccessibleName("Dates of the week")
        font = self.dates_label.font()
        font.setBold(True)
        self.dates_label.setFont(font)
        layout.addWidget(self.dates_label)

        self.message = QLabel()
        self.message.setAccessibleName("Report status")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.message)
        layout.addStretch(1)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.open_button = QPushButton("&Open")
        self.open_button.setAccessibleName("Open the saved report")
        self.open_button.clicked.connect(self._open)
        self.open_button.hide()
        self.save_button = QPushButton("&Save PDF…")
        self.save_button.setAccessibleName("Save the report as a PDF file")
        self.save_button.clicked.connect(self._save)
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close")
        self.close_button.clicked.connect(self.reject)
        for button in (self.open_button, self.save_button, self.close_button):
            buttons.addWidget(button)
        # Enter in the week field applies the week; it must not also press a button and open
        # a file dialog. Saving is Alt+S (or Tab to it and Space).
        for button in self.findChildren(QPushButton):
            button.setAutoDefault(False)
            button.setDefault(False)
        layout.addLayout(buttons)
        self.setMinimumWidth(520)

    # --- the week -------------------------------------------------------------------------------

    @property
    def week(self) -> IsoWeek:
        return self._week

    def _show_week(self) -> None:
        self.week_field.setText(self._week.label)
        self.dates_label.setText(self._week.heading)
        self.next_button.setEnabled(self._week < self._latest)

    def _step(self, weeks: int) -> None:
        self._week = min(self._week.shifted(weeks), self._latest)
        self._set_message("")
        self._show_week()

    def _typed(self) -> bool:
        try:
            self._week = parse_iso_week(self.week_field.text())
        except InvalidInputError as exc:
            self._set_message(str(exc), error=True)
            return False
        self._set_message("")
        self._show_week()
        return True

    # --- saving ---------------------------------------------------------------------------------

    def _save(self) -> None:
        family = self.context.family
        if family is None or self.context.core is None:
            self._set_message("Open a family first.", error=True)
            return
        if self.week_field.text() != self._week.label and not self._typed():
            return
        documents = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )
        # A folder that is not there would leave its path in the file name field.
        folder = Path(documents) if documents and Path(documents).is_dir() else Path.home()
        # Window-modal with open(), as every dialog here: the app's other windows keep
        # answering. The platform's own dialog where there is one, as before; off-screen
        # (tests, screenshots) Qt's, which has no native helper there.
        chooser = QFileDialog(self, "Save weekly report")
        chooser.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        chooser.setNameFilter("PDF files (*.pdf)")
        chooser.setDefaultSuffix("pdf")
        chooser.setDirectory(str(folder))
        chooser.selectFile(default_file_name(family.name, self._week))
        chooser.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        chooser.fileSelected.connect(self._chosen)
        chooser.open()

    def _chosen(self, chosen: str) -> None:
        family, core = self.context.family, self.context.core
        if not chosen or family is None or core is None:
            return
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        self._busy(True)
        self._set_message(f"Preparing {self._week.label}…")
        work = core.reports.week_report(self.context.actor, family.id, self._week)
        self.context.tasks.read(
            work,
            lambda report: self._render(report, path),
            on_error=self._failed,
            origin=self,
        )

    def _render(self, report: WeekReportRead, path: Path) -> None:
        started = time.perf_counter()
        try:
            pages = save_pdf(report, path)
        except OSError as exc:
            self._failed(f"Could not save the report to {path}: {exc}")
            return
        finally:
            self._busy(False)
        log.info("weekly report drawn in %.0f ms", (time.perf_counter() - started) * 1000)
        self._saved = path
        noun = "page" if pages == 1 else "pages"
        self._set_message(f"Saved {report.heading} ({pages} {noun}) to {path}.")
        self.open_button.show()
        self.open_button.setFocus()

    def _failed(self, message: str) -> None:
        self._busy(False)
        self._set_message(message, error=True)

    def _open(self) -> None:
        if self._saved is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self._saved)))

    # --- state ----------------------------------------------------------------------------------

    def _busy(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)
        self.previous_button.setEnabled(not busy)
        self.next_button.setEnabled(not busy and self._week < self._latest)
        self.week_field.setEnabled(not busy)

    def _set_message(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        # The theme's style sheet colours field errors for light and dark (theme.py).
        self.message.setProperty("fieldError", error)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)


__all__ = ["WeeklyReportDialog", "default_file_name"]
