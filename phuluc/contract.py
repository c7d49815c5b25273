"""The JSON of `phuluc extract --json` (shared/CONTRACT.md): one function over Report and findings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from phuluc import messages
from phuluc.model import Extraction, Finding, Number, Row, ScoreTable, Statement


def _value(n: Number | None) -> float | int | None:
    if n is None or n.value is None:
        return None
    return int(n.value) if n.value.is_integer() and not n.decimals else n.value


def _row(row: Row) -> dict[str, Any]:
    out: dict[str, Any] = {
        "stt": row.stt, "section": row.section, "unit_raw": row.unit_raw, "unit": row.unit,
        "unit_code": row.unit_code, "values": [_value(v) for v in row.values], "total": _value(row.total),
        "total_max": row.total_max, "converted": _value(row.converted), "rating": row.rating, "page": row.page,
    }
    if row.avg_staff is not None:
        out["avg_staff"] = _value(row.avg_staff)
    if row.rank is not None:
        out["rank"] = row.rank
    if row.rank_of is not None:
        out["rank_of"] = row.rank_of
    if row.change is not None:
        out["change"] = _value(row.change)
    if row.rank_change is not None:
        out["rank_change"] = row.rank_change
    if row.note is not None:
        out["note"] = row.note
    if row.unlabeled:
        out["unlabeled"] = [_value(v) for v in row.unlabeled]
    if row.is_total_row:
        out["is_total_row"] = True
    if row.uncertain:
        out["doubtful"] = list(row.uncertain)  # fields OCR read with low confidence, e.g. "values[3]"
    return out


def _table(table: ScoreTable) -> dict[str, Any]:
    return {
        "title": table.title, "kind": table.kind, "source": table.source, "finder": table.finder,
        "framework": table.framework,
        "pages": list(table.pages),
        "criteria": [{"label": c.label, "group": c.group, "max": c.max} for c in table.criteria],
        "rows": [_row(r) for r in table.rows],
    }


def _statement(s: Statement) -> dict[str, Any]:
    out: dict[str, Any] = {"scope": s.scope, "rating": s.rating, "count": s.count, "units": list(s.units)}
    if s.of is not None:
        out["of"] = s.of
    if s.score is not None:
        out["score"] = s.score
    return out


def to_json(extraction: Extraction, *, lang: str = "vi") -> dict[str, Any]:
    report = extraction.report
    meta = report.meta
    return {
        "source_file": report.source,
        "file_name": Path(report.source).name,
        "sha256": report.sha256,
        "format": report.format,
        "report": {"issuer": meta.issuer, "issuer_code": meta.issuer_code, "province": meta.province,
                   "number": meta.number, "date": meta.date, "period": meta.period, "framework": meta.framework},
        "tables": [_table(t) for t in report.tables],
        "summary": [_statement(s) for s in report.summary],
        "findings": [{"rule": f.rule, "severity": f.severity, "unit": f.unit, "unit_raw": f.unit_raw,
                      "expected": f.expected, "actual": f.actual, "message": messages.finding(f, lang),
                      "page": f.page, **_place(f)} for f in extraction.findings],
    }


def _place(f: Finding) -> dict[str, Any]:
    """Where a finding is, beyond the contract's page: table, row, field, criterion and cells as printed,
    and the row's box on its page (fractions x0, top, x1, bottom) where it was read from one."""
    if f.row is None:
        return {"table": f.table} if f.table is not None else {}
    return {"table": f.table, "row": f.row, "stt": f.stt, "about": f.about, "criterion": f.criterion,
            "cells": list(f.cells), "bbox": list(f.bbox) if f.bbox else None}
