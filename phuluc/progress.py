"""How far the reading of a file is, for a person watching a long scan: OCR says when it finishes a
page, and whoever listens in this process (the worker reading the file, which tells the command) hears
it. Nothing listens unless told, so a reader called from Python pays nothing."""

from __future__ import annotations

from collections.abc import Callable

PageListener = Callable[[int, int], None]  # (pages done, pages to do)
_listener: PageListener | None = None


def listen(listener: PageListener | None) -> None:
    """Hear each page this process finishes (None: stop listening)."""
    global _listener
    _listener = listener


def page_done(done: int, total: int) -> None:
    if _listener is not None:
        _listener(done, total)
