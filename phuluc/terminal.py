"""The command line's two consoles (stdout for results, stderr for errors and progress), made when first
printed to: rich costs 30 ms to import, which `--help` and a command that fails early need not pay."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress, TaskID


@functools.cache
def out() -> Console:
    from rich.console import Console

    return Console(emoji=False)


@functools.cache
def err() -> Console:
    from rich.console import Console

    return Console(stderr=True, emoji=False)


def escape(text: str) -> str:
    """`text` with rich markup escaped, so that it prints as it is."""
    from rich.markup import escape

    return escape(text)


class PagesBar:
    """The pages bar of the file being extracted, drawn from the first page a scan reports how far it is:
    a text file reports none, and loads no progress bar."""

    def __init__(self, reading: str) -> None:
        self._reading = reading
        self._bar: tuple[Progress, TaskID] | None = None

    def __enter__(self) -> PagesBar:
        return self

    def __exit__(self, *_: object) -> None:
        if self._bar is not None:
            self._bar[0].stop()

    def update(self, done: int, total: int) -> None:
        if self._bar is None:
            from phuluc import bars

            progress = bars.pages(err(), self._reading)
            progress.start()
            self._bar = progress, progress.add_task("", total=total)
        self._bar[0].update(self._bar[1], completed=done, total=total)
