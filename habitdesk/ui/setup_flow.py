"""First run and start-up glue between the shell and the set-up dialogs.

- With no family yet the shell emits `setup_needed`; the set-up wizard opens (window-modal, with
  open()). When it completes, the shell switches to the database the family was created in
  (`shell.attach(core)`) and shows that family (`shell.load_family(family_id)`), all through the
  task bridge. A shared connection is saved only then: the URLs without their password in the
  saved settings, the password in the system keyring (habitdesk.core.connection_setup).
- At start, a shared database whose password neither the keyring nor this run knows gets a
  password prompt before the shell connects (`shell.before_connect`). The password is checked
  with one login, kept in the keyring when there is one, otherwise for this run only.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING
from uuid import UUID

from pydantic import SecretStr
from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog

from habitdesk.core import connection_setup, secrets
from habitdesk.core.appcore import AppCore
from habitdesk.core.config import Settings

if TYPE_CHECKING:
    from habitdesk.ui.dialogs.setup_wizard import PasswordPromptDialog, SetupWizard, Target
    from habitdesk.ui.shell import Shell

# The dialogs (≈12 ms of imports) are imported when one is opened: most starts need neither.

log = logging.getLogger(__name__)


class SetupFlow(QObject):
    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.shell = shell
        self.wizard: SetupWizard | None = None
        self.prompt: PasswordPromptDialog | None = None
        # Where each core the wizard opened points (by id: AppCore is not hashable by value).
        self._targets: dict[int, Target] = {}

    # --- the wizard ------------------------------------------------------------------------------

    def open_wizard(self) -> SetupWizard:
        if self.wizard is not None:
            self.wizard.raise_()
            self.wizard.activateWindow()
            return self.wizard
        from habitdesk.ui.dialogs.setup_wizard import SetupWizard

        shell = self.shell
        core = shell.context.core
        shared_now = core is not None and core.connection.kind == "shared"
        prefill: dict[str, str] = {}
        if shared_now:
            # Already on a shared database (e.g. DATABASE_URL): offer it, password masked.
            pooled = shell.settings.runtime_url()
            direct = shell.settings.direct_url
            prefill = {
                "pooled_url": secrets.without_password(pooled),
                "direct_url": secrets.without_password(direct.get_secret_value()) if direct else "",
                "password": secrets.url_password(pooled) or "",
            }
        wizard = SetupWizard(
            shell.context.tasks,
            self._open_target,
            self._release,
            shell.window,
            shared_default=shared_now,
            **prefill,
        )
        wizard.setWindowModality(Qt.WindowModality.WindowModal)
        wizard.completed.connect(self._completed)
        wizard.abandoned.connect(self._abandoned)
        wizard.finished.connect(self._wizard_closed)
        self.wizard = wizard
        shell.wizard = wizard
        wizard.open()
        return wizard

    async def _open_target(self, target: Target) -> AppCore:
        """The database the family will be created in (the settings are saved only at the end)."""
        shell = self.shell
        current = shell.context.core
        if not target.shared:
            if current is not None and current.connection.kind == "local":
                core = current
            else:
                local = shell.settings.model_copy(update={"database_url": None, "direct_url": None})
                # Set up the embedded file off the Qt loop first (see apply_migrations), so
                # that opening it finds it current.
                await connection_setup.apply_migrations(local.runtime_url())
                core = await AppCore.open(local)
        else:
            settings = shell.settings.model_copy(
                update={
                    "database_url": SecretStr(target.pooled_url or ""),
                    "direct_url": SecretStr(target.direct_url) if target.direct_url else None,
                    "pooler": None,
                }
            )
            core = await AppCore.open(settings)
        self._targets[id(core)] = target
        return core

    async def _release(self, core: AppCore) -> None:
        self._targets.pop(id(core), None)
        if core is not self.shell.context.core:
            await core.close()

    def _abandoned(self, core: object) -> None:
        if isinstance(core, AppCore) and core is not self.shell.context.core:
            self.shell.context.tasks.run(self._release(core))

    def _completed(self, core: object, family_id: object) -> None:
        assert isinstance(core, AppCore) and isinstance(family_id, UUID)
        from habitdesk.ui.dialogs.setup_wizard import Target

        target = self._targets.pop(id(core), Target(False))
        self.shell.context.tasks.run(
            self._switch(core, family_id, target),
            on_error=lambda message: self.shell.window.show_message(message, error=True),
        )

    async def _switch(self, core: AppCore, family_id: UUID, target: Target) -> None:
        shell = self.shell
        note = ""
        if target.shared:
            saved = connection_setup.save_connection(target.pooled_url or "", target.direct_url)
            shell.settings = _with_urls(shell.settings, saved.database_url, saved.direct_url)
            if not saved.password_in_keyring:
                note = " No system keyring was found: HabitDesk will ask for the password at each start."
        elif shell.context.core is not core:
            connection_setup.save_local()
            shell.settings = _with_urls(shell.settings, None, None)
        await shell.attach(core)
        await shell.load_family(family_id)
        family = shell.context.family
        if family is not None:
            shell.window.show_message(
                f"Welcome, {family.name}! Add routines and habits next.{note}", timeout_ms=12000
            )

    def _wizard_closed(self, _result: int) -> None:
        wizard = self.wizard
        self.wizard = None
        if self.shell.wizard is wizard:
            self.shell.wizard = None
        if wizard is not None:
            wizard.deleteLater()

    # --- the password prompt at start ---------------------------------------------------------------

    async def ensure_password(self) -> bool:
        """Before connecting: ask for a shared database's password if nobody knows it."""
        shell = self.shell
        url = connection_setup.missing_password(shell.settings)
        if url is None:
            return True
        from habitdesk.ui.dialogs.setup_wizard import PasswordPromptDialog, quietly

        done: asyncio.Future[bool] = asyncio.get_event_loop().create_future()
        dialog = PasswordPromptDialog(
            url, keyring_ok=secrets.keyring_available(), parent=shell.window
        )
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.prompt = dialog

        def accepted(password: str) -> None:
            if password:
                connection_setup.remember_start_password(shell.settings, password)
            dialog.accept()

        def submitted(password: str) -> None:
            attempt = secrets.with_password(url, password) if password else url
            shell.context.tasks.read(
                quietly(connection_setup.verify_login(attempt)),
                lambda _none: accepted(password),
                on_error=dialog.show_error,
                origin=dialog,
            )

        def finished(result: int) -> None:
            if not done.done():
                done.set_result(result == QDialog.DialogCode.Accepted)

        dialog.submitted.connect(submitted)
        dialog.finished.connect(finished)
        dialog.open()
        try:
            ok = await done
        finally:
            self.prompt = None
            dialog.deleteLater()
        # Declined: the shell says so (offline, every screen "Not connected", Try again).
        return ok


def _with_urls(settings: Settings, pooled: str | None, direct: str | None) -> Settings:
    return settings.model_copy(
        update={
            "database_url": SecretStr(pooled) if pooled else None,
            "direct_url": SecretStr(direct) if direct else None,
        }
    )


def _flow(shell: Shell) -> SetupFlow:
    flow = getattr(shell, "setup_flow", None)
    if not isinstance(flow, SetupFlow):
        flow = SetupFlow(shell)
        shell.setup_flow = flow  # type: ignore[attr-defined]
    return flow


def attach_setup_wizard(shell: Shell) -> None:
    """Open the wizard whenever the shell finds no family; ask for a missing password at start."""
    flow = _flow(shell)
    shell.setup_needed.connect(flow.open_wizard)
    shell.before_connect = flow.ensure_password


def open_setup_wizard(shell: Shell) -> SetupWizard:
    """Open (or raise) the wizard now, e.g. from a menu or the screenshot command."""
    return _flow(shell).open_wizard()
