"""What the command modules share: opening the core from the parsed flags, printing JSON."""

from __future__ import annotations

import argparse
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # importing the core costs ≈0.2 s, which --version and --help must not pay
    from habitdesk.core.appcore import AppCore


def settings_from(args: argparse.Namespace) -> Any:
    from habitdesk.core.config import load_settings

    return load_settings(database_url=getattr(args, "database_url", None))


@asynccontextmanager
async def open_core(args: argparse.Namespace) -> AsyncIterator[AppCore]:
    from habitdesk.core.appcore import AppCore

    core = await AppCore.open(settings_from(args))
    try:
        yield core
    finally:
        await core.close()


def print_json(value: Any) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False, default=str))
