"""Tab-separated rows (Markdown and text renderings of Word tables): a grid of cells whose merged
header cells are printed once, with empty cells where they extend; the spans are inferred."""

from __future__ import annotations

from phuluc.extract.finders.base import Region
from phuluc.extract.tables import header_from_grid
from phuluc.model import RawRow, RawTable
from phuluc.settings import Settings
from phuluc.vi.text import clean


def read(region: Region, settings: Settings) -> list[RawTable]:
    if not region.body:
        return []
    grid = [ln.text.split("\t") for ln in region.header]
    rows = tuple(RawRow(tuple(clean(c) for c in ln.text.split("\t")), ln.page, True, ln.no, bbox=ln.box) for ln in region.body)
    ncols = max(len(r) for r in grid + [list(r.cells) for r in rows])
    return [RawTable(header=header_from_grid(grid), rows=rows, ncols=ncols, title=region.title,
                     pages=tuple(sorted({ln.page for ln in region.body})), finder="tabbed")]
