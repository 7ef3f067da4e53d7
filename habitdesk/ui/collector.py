"""Python's cyclic garbage collector during start-up.

Start-up makes about a million objects that live as long as the app (modules, SQLAlchemy's
mappers and compiled statements, pydantic's validators, the window's wrappers). The collector
walks all of them again and again while they are being made: ≈110 ms of a start of ≈0.9 s,
one pass of ≈55 ms falling in the middle of building the Today screen. So it is paused while
the app starts, and once the first screen shows its data everything alive is frozen out of
later collections (`gc.freeze`), which also keeps later passes short (no long stalls while
switching screens).
"""

from __future__ import annotations

import gc

# A safety net: should start-up never report back (a test that makes the application but no
# shell, a start that fails early), collection resumes after this long anyway.
LONGEST_PAUSE_MS = 3000

_paused = False


def pause_for_start_up() -> None:
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def start_up_over() -> None:
    """Freeze what start-up made and let the collector run again (once; later calls do
    nothing)."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def paused() -> bool:
    return _paused
