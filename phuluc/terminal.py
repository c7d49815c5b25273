"""The command line's two consoles (stdout for results, stderr for errors and progress), made when first
printed to: rich costs 30 ms to import, which `--help` and a command that fails early need not pay; and
plain aligned columns for a view that needs no more (`extract`'s, which rich would double in cost)."""

from __future__ import annotations

import functools
import os
import sys
import unicodedata
from collections.abc import Collection, Sequence
from typing import TYPE_CHECKING, Literal

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


Colour = Literal["bold", "red", "yellow"]
_SGR: dict[Colour, str] = {"bold": "1", "red": "31", "yellow": "33"}


def painted(text: str, colour: Colour) -> str:
    """`text` in `colour` where standard output is a terminal that may show colours (no NO_COLOR, no
    dumb terminal, as rich decides), else as it is: a file or a pipe gets no escape sequences."""
    if not _colours():
        return text
    return f"\x1b[{_SGR[colour]}m{text}\x1b[0m"


@functools.cache
def _colours() -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def aligned(rows: Sequence[Sequence[str]], gap: int = 2, right: Collection[int] = ()) -> list[str]:
    """Rows of cells as lines, each column as wide as its widest cell on the terminal (a wide character
    counts two, a combining mark none), `gap` spaces between columns; the columns `right` (figures)
    flush right."""
    widths = [max(map(width, column), default=0) for column in zip(*rows)]

    def padded(j: int, cell: str) -> str:
        fill = " " * (widths[j] - width(cell))
        return (fill + cell if j in right else cell + fill) + " " * gap

    return ["".join(padded(j, cell) for j, cell in enumerate(row)).rstrip() for row in rows]


def width(text: str) -> int:
    """The terminal cells `text` takes."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
