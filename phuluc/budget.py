"""What reading one file may cost, and the error of a file past it.

A province's inbox holds damaged scans, half-downloaded PDFs and files made by odd software; one of them
must not hold up or sink the batch. Each file is read in a worker process under a time and a memory
limit (phuluc/batch.py); the readers check the sizes a file states before they build anything from them
(pages and text here; the cells of a table, which no setting changes, in extract/parts.py), and the rows
of the tables read before they are normalized, checked and sent back. A file past a limit fails with
"gave up" and the limit it passed, and the batch goes on with the next.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from phuluc.errors import PhulucError


class Limit(enum.StrEnum):
    """Which budget a file went past; names the message in config/messages.yaml (section limits)."""

    TIME = "time"
    MEMORY = "memory"
    PAGES = "pages"
    CELLS = "cells"
    TEXT = "text"
    ROWS = "rows"


@dataclass(frozen=True, slots=True)
class Budget:
    """Limits for one file. A report is a few pages and a few thousand cells, read in seconds; the
    limits are an order of magnitude or two above the largest real one (a province's year compiled into
    one scan of a hundred pages), so that only a broken or hostile file reaches them."""

    seconds: float = 120.0  # wall time of the worker reading it, OCR included
    memory_mb: int = 1536  # address space of that worker (and of each process it starts)
    pages: int = 500
    text_mb: int = 20  # a text or web-page file; a report's text is well under 1 MB
    rows: int = 20_000  # in a file's tables: the country had some 10,600 communes before the 2025 merger

    def check_pages(self, count: int) -> None:
        if count > self.pages:
            raise GaveUp(Limit.PAGES, count=count, limit=self.pages)

    def check_rows(self, count: int) -> None:
        if count > self.rows:
            raise GaveUp(Limit.ROWS, count=count, limit=self.rows)

    def check_text(self, size: int) -> None:
        if size > self.text_mb << 20:
            raise GaveUp(Limit.TEXT, size=round(size / (1 << 20)), limit=self.text_mb)


class GaveUp(PhulucError):
    """A file past one of its limits: the message names the limit and what the file needed."""

    def __init__(self, budget: Limit, file: str = "", **params: object) -> None:
        super().__init__("gave_up", file=file, budget=budget.value, **params)


DEFAULT = Budget()
