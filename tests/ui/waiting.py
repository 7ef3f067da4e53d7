"""Waiting in UI tests without sleeping a fixed time: the app's loop runs until a condition holds."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def until(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    """Let the app's loop run (Qt timers and tasks included) until `condition()` holds; fail
    after `timeout` seconds of loop time."""
    loop = asyncio.get_event_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "the condition never held"
        await asyncio.sleep(0.02)
