"""Excel reports (.xlsx) → RawDocument, through extract/parts.py.

Excel keeps merged ranges and numbers as numbers: a numeric cell becomes the Vietnamese print of exactly
its value as its number format shows it ("1,527", "78,13%", "5,00").
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path

from phuluc.errors import PhulucError
from phuluc.extract import parts
from phuluc.extract.page import Grid
from phuluc.extract.parts import Part, number_text
from phuluc.model import RawDocument
from phuluc.settings import DEFAULT, Settings
from phuluc.vi.text import nfc


def read_xlsx(path: Path, settings: Settings = DEFAULT) -> RawDocument:
    """Read a .xlsx report: each visible sheet, in order, from the cached values of its cells."""
    import openpyxl

    data = parts.read_bytes(path)
    try:
        values = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path, data_only=False)
    except Exception as e:  # zip, XML and workbook errors of a damaged file
        raise parts.unreadable(path, e) from None
    sheets: list[Part] = []
    for ws in values.worksheets:
        if ws.sheet_state == "visible":
            _check_cached(path, ws, formulas[ws.title])
            sheets.append(_xlsx_grid(ws))
    return parts.document(path, data, "xlsx", sheets, settings)


# ---------------------------------------------------------------- xlsx → parts


def _xlsx_grid(ws) -> Grid:
    """A sheet as one grid from A1 to its last filled cell; merged ranges become spans."""
    cells = [[_xlsx_text(c) for c in row] for row in ws.iter_rows()]
    height = max((r + 1 for r, row in enumerate(cells) if any(row)), default=0)
    width = max((c + 1 for row in cells for c, t in enumerate(row) if t), default=0)
    spans = {}
    for rng in ws.merged_cells.ranges:
        if rng.min_row <= height and rng.min_col <= width:
            spans[(rng.min_row - 1, rng.min_col - 1)] = (min(rng.max_row, height) - rng.min_row + 1,
                                                         min(rng.max_col, width) - rng.min_col + 1)
    texts = tuple(tuple(row[:width] + [""] * (width - len(row))) for row in cells[:height])
    return Grid(texts, spans, lines=tuple(range(1, height + 1)))


def _xlsx_text(cell) -> str:
    """A cell as printed text; numbers in the Vietnamese print that reads back to their value."""
    value = cell.value
    if value is None or isinstance(value, (datetime, date, time, timedelta)):
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, (int, float)):
        return number_text(value, cell.number_format or "General")
    return nfc(str(value))


def _check_cached(path: Path, ws, formulas_ws) -> None:
    """A workbook saved by a program that computes nothing (openpyxl, scripts) stores formulas
    without their results: reading it as empty cells would silently lose figures, so say so."""
    filled = any(c.value is not None for row in ws.iter_rows() for c in row)
    for row in formulas_ws.iter_rows():
        for c in row:
            if c.data_type != "f":
                continue
            cached = ws[c.coordinate]
            if filled and cached.value is None and cached.data_type != "str":  # "str": an empty result
                raise PhulucError("no_cached_values", file=str(path), sheet=ws.title, cell=c.coordinate)
