"""Excel reports (.xlsx, .xls; XML Spreadsheet 2003 through LibreOffice) → RawDocument, through
extract/parts.py.

Excel keeps merged ranges and numbers as numbers: a numeric cell becomes the Vietnamese print of exactly
its value as its number format shows it ("1,527", "78,13%", "5,00").
"""

from __future__ import annotations

import functools
import io
import os
import re
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

from phuluc.errors import PhulucError
from phuluc.extract import libreoffice, parts
from phuluc.extract.page import Grid
from phuluc.extract.parts import Part, number_text
from phuluc.model import RawDocument
from phuluc.settings import DEFAULT, Settings
from phuluc.vi.text import nfc


def read_xlsx(path: Path, settings: Settings = DEFAULT) -> RawDocument:
    """Read a .xlsx report: each visible sheet, in order, from the cached values of its cells."""
    data = parts.read_bytes(path)
    return parts.document(path, data, "xlsx", _xlsx_sheets(path, data), settings)


def read_spreadsheetml(path: Path, settings: Settings = DEFAULT) -> RawDocument:
    """Read an XML Spreadsheet 2003 file (a portal's "Excel" export, often named .xls) through
    LibreOffice's conversion to .xlsx; the records name the file as sent and its own sha256."""
    data = parts.read_bytes(path)
    return parts.document(path, data, "spreadsheetml", _xlsx_sheets(path, libreoffice.converted(path, "xlsx")),
                          settings)


def _xlsx_sheets(path: Path, data: bytes) -> list[Part]:
    """The visible sheets of the workbook `data` as grids; errors name `path`, the file as sent."""
    import openpyxl

    try:
        _check_merges(data)
        # from the bytes: openpyxl refuses a workbook by its name ("bao-cao.xls" holding a .xlsx)
        values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), data_only=False)
    except PhulucError:
        raise
    except Exception as e:  # zip, XML and workbook errors of a damaged file
        raise parts.unreadable(path, e) from None
    sheets: list[Part] = []
    for ws in values.worksheets:
        if ws.sheet_state == "visible":
            parts.check_size(ws.max_row, ws.max_column)  # a cell at XFD1048576
            _check_cached(path, ws, formulas[ws.title])
            sheets.append(_xlsx_grid(ws))
    return sheets


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=[\"']([A-Z]{1,3})(\d{1,7}):([A-Z]{1,3})(\d{1,7})")


def _check_merges(data: bytes) -> None:
    """Give up on a merged range too large to hold before openpyxl loads the workbook: it makes a cell
    for every cell of a range as it reads the sheet, so A1:XFD1048576 would be 1.7·10^10 of them."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        for name in book.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                for left, top, right, bottom in _MERGE.findall(book.read(name)):
                    parts.check_size(abs(int(bottom) - int(top)) + 1, abs(_column(right) - _column(left)) + 1)


def _column(letters: bytes) -> int:
    """The 1-based number of a column named by its letters ("A" 1, "XFD" 16384)."""
    return functools.reduce(lambda n, c: n * 26 + c - 64, letters, 0)


def read_xls(path: Path, settings: Settings = DEFAULT) -> RawDocument:
    """Read an Excel 97–2003 (.xls) report as a .xlsx is read. xlrd, the reference reader of the BIFF
    format, gives merged ranges and each cell's number format (which decides the printed decimals)."""
    import xlrd

    data = parts.read_bytes(path)
    try:
        with open(os.devnull, "w") as quiet:  # xlrd prints its warnings on a damaged file to stdout
            book = xlrd.open_workbook(file_contents=data, formatting_info=True, logfile=quiet)
        sheets: list[Part] = [_xls_grid(book, ws) for ws in book.sheets() if ws.visibility == 0]
    except Exception as e:  # xlrd raises its own and struct errors on a damaged file
        raise parts.unreadable(path, e) from None
    return parts.document(path, data, "xls", sheets, settings)


# ---------------------------------------------------------------- xlsx → parts


def _xlsx_grid(ws) -> Grid:
    cells = [[_xlsx_text(c) for c in row] for row in ws.iter_rows()]
    merges = [(m.min_row - 1, m.min_col - 1, m.max_row - 1, m.max_col - 1) for m in ws.merged_cells.ranges]
    return parts.sheet_grid(cells, merges)


def _xls_grid(book, ws) -> Grid:
    cells = [[_xls_text(book, ws.cell(r, c)) for c in range(ws.ncols)] for r in range(ws.nrows)]
    return parts.sheet_grid(cells, [(r0, c0, r1 - 1, c1 - 1) for r0, r1, c0, c1 in ws.merged_cells])


def _xls_text(book, cell) -> str:
    """A BIFF cell as `_xlsx_text` prints the same cell of a workbook."""
    import xlrd

    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return number_text(cell.value, book.format_map[book.xf_list[cell.xf_index].format_key].format_str)
    if cell.ctype == xlrd.XL_CELL_TEXT:
        return nfc(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return str(bool(cell.value)).upper()
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return xlrd.error_text_from_code.get(cell.value, "")
    return ""  # empty, blank and dates


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
