"""The printed lines around a row of a text or Markdown report, found again in its source text.

Rows keep no line number, so the row's line is the one that names its unit and holds most of its
printed cells (the body text may name the unit too, without its figures).
"""

from __future__ import annotations

from dataclasses import dataclass

from phuluc.vi.text import fold, nfc

AROUND = 2  # lines shown above and below the row's


@dataclass(frozen=True, slots=True)
class Excerpt:
    lines: tuple[str, ...]
    first: int  # the 1-based line number of lines[0]
    row: int  # the index in `lines` of the row's line


def excerpt(data: bytes, name: str, cells: tuple[str, ...]) -> Excerpt | None:
    """The lines around the row of the unit printed `name` with `cells`; None if no line names it."""
    lines = nfc(data.decode("utf-8-sig", errors="replace")).splitlines()
    wanted = fold(name)
    scored = [(sum(c in line for c in cells), k) for k, line in enumerate(lines) if wanted and wanted in fold(line)]
    if not scored:
        return None
    _, row = max(scored, key=lambda s: (s[0], -s[1]))
    start = max(0, row - AROUND)
    return Excerpt(tuple(lines[start:row + AROUND + 1]), start + 1, row - start)
