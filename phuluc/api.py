"""phuluc from Python, for analysts: the records of one file, and what a database holds as pandas
DataFrames.

    import phuluc

    extraction = phuluc.read("bao-cao-thang-07.pdf")        # Extraction: report, tables, findings
    with phuluc.connect("sqlite:///phuluc.db") as db:
        scores = db.scores(period="2024-07")                # a row per unit, a column per criterion
        errors = db.findings(rule="SUM_MISMATCH")

The tables are the command line's: `scores` is `phuluc export` (the latest submission of each report
unless `every`), `findings` is `phuluc audit`. Codes, STT and periods are strings (pandas' "string"
dtype), so "03154" keeps its zero; figures are floats. pandas is imported when a table is asked for.
"""

from __future__ import annotations

import os
from dataclasses import fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from phuluc.choices import Layout, Series
from phuluc.model import Extraction
from phuluc.settings import DEFAULT, Settings

if TYPE_CHECKING:
    import pandas as pd

    from phuluc.load.db import Database


def read(path: str | os.PathLike[str], settings: Settings = DEFAULT) -> Extraction:
    """The report of one file and its findings, as `phuluc extract` reads it; nothing is written.
    A file that is no report, or cannot be read, raises PhulucError (its `key` and `params` say why)."""
    from phuluc.pipeline import extract_file

    return extract_file(Path(path), settings)


def connect(url: str = "sqlite:///phuluc.db") -> Store:
    """The database at a SQLAlchemy URL (or the path of a SQLite file), migrated if it is older."""
    from phuluc.load.db import Database

    return Store(Database.open(url if "://" in url else f"sqlite:///{url}"))


class _Rows:
    """A writer for export.py that keeps the rows it is given, the first being the header."""

    def __init__(self) -> None:
        self.rows: list[tuple] = []

    def writerow(self, row) -> None:
        self.rows.append(tuple(row))

    def writerows(self, rows) -> None:
        self.rows.extend(map(tuple, rows))


class Store:
    """A loaded database, read as DataFrames; close it (or use it in a `with`) when done."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.database.close()

    def scores(self, *, period: str | None = None, layout: Layout | str = Layout.WIDE,
               every: bool = False, series: Series = Series()) -> pd.DataFrame:
        """The unit rows of the score tables (never total rows), as `phuluc export` writes them: wide (a
        column per criterion, headed "group / label"), long (a row per criterion) or a series (a column
        per period, of the figure `series` names)."""
        from phuluc.load.export import Scope, text_only, write_scores

        rows = _Rows()
        write_scores(self.database, rows, layout=Layout(layout), scope=Scope(period, every), series=series)
        return _frame(list(rows.rows[0]), rows.rows[1:], text_only=text_only(layout, series))

    def findings(self, *, period: str | None = None, rule: str | None = None, lang: str = "vi") -> pd.DataFrame:
        """Every finding stored, then the conflicts between reports, as `phuluc audit` lists them (a
        conflict's message in `lang`)."""
        from phuluc import messages
        from phuluc.load.db import FindingRecord

        records = self.database.findings(period=period, rule=rule, messages=lambda f: messages.finding(f, lang))
        columns = [f.name for f in fields(FindingRecord)]
        return _frame(columns, [tuple(getattr(r, c) for c in columns) for r in records])

    def reports(self, *, period: str | None = None) -> pd.DataFrame:
        """A row per loaded report: its file, what its heading says, and when it was loaded."""
        from sqlalchemy import select

        from phuluc.load.db import DbReport

        columns = ("id", "file_name", "sha256", "format", "issuer", "issuer_code", "province", "number", "date",
                   "period", "framework", "corrects", "era", "ingested_at")
        query = select(*(getattr(DbReport, c) for c in columns)).order_by(DbReport.id)
        if period is not None:
            query = query.where(DbReport.period == period)
        with self.database.session() as session:
            return _frame(list(columns), [tuple(line) for line in session.execute(query)])


def _frame(columns: list[str], rows: list[tuple[Any, ...]], *, text_only: bool = False) -> pd.DataFrame:
    """A DataFrame whose text columns (every one if `text_only`) are strings (a code is never a number)
    and figures floats."""
    import pandas as pd

    from phuluc.load.export import TEXT_COLUMNS

    frame = pd.DataFrame.from_records(rows, columns=columns)
    for column in columns:
        if text_only or column in TEXT_COLUMNS:
            frame[column] = frame[column].astype("string")
        elif column in (kinds := _kinds()):
            frame[column] = kinds[column](frame[column])
        else:  # a figure, or a criterion of the wide layout
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("Float64")
    return frame


def _kinds() -> dict[str, Any]:
    import pandas as pd

    return {"id": lambda c: c.astype("Int64"), "page": lambda c: c.astype("Int64"),
            "corrects": lambda c: c.astype("boolean"), "date": pd.to_datetime,
            "ingested_at": lambda c: pd.to_datetime(c, utc=True)}
