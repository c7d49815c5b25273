"""Settings of a run, as typed records built once by the command line and passed down every stage.

Like pdfplumber's table settings or camelot's parser arguments, each stage reads the part it owns; no
stage reads environment variables or module-level switches. The defaults are what `phuluc` uses when no
option says otherwise, and every value is documented where it is defined.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace

from phuluc.budget import Budget
from phuluc.normalize.decisions import Decisions


@dataclass(frozen=True, slots=True)
class OcrSettings:
    """How scanned pages are read."""

    dpi: int = 300  # pages are rendered at this resolution; printed figures are 30–40 px high at 8 pt
    workers: int = 0  # processes that read one document's pages; 0 = one per CPU
    low_confidence: float = 0.6  # a cell read with less confidence (0–1) is doubtful

    @property
    def processes(self) -> int:
        return self.workers or os.cpu_count() or 1


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a run can change. Frozen and picklable: worker processes get a copy."""

    ocr: OcrSettings = field(default_factory=OcrSettings)
    budget: Budget = field(default_factory=Budget)
    decisions: Decisions = field(default_factory=Decisions)  # people's rulings on printed unit names

    def with_decisions(self, decisions: Decisions) -> Settings:
        return replace(self, decisions=decisions)

    def with_ocr_workers(self, workers: int) -> Settings:
        return replace(self, ocr=replace(self.ocr, workers=workers))

    def with_budget(self, **limits: float) -> Settings:
        return replace(self, budget=replace(self.budget, **limits))


DEFAULT = Settings()
