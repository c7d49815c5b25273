"""The report generator (scripts/make_corpus.py) as a module for the tests, the page images of a scan it
made, and the view of an extraction that every format of one report must give alike."""

from __future__ import annotations

import importlib.util
import json
import sys
import unicodedata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _load():
    spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "scripts" / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_corpus"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


corpus = sys.modules.get("make_corpus") or _load()


def scanned_pages(pdf: Path) -> list:
    """The page images of an image-only PDF as the scanner gave them (200 dpi greys), taken out of it."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return [_image_of(page) for page in document]
    finally:
        document.close()


def _image_of(page):
    """The one image a scanned PDF page holds, at its own resolution."""
    import pypdfium2 as pdfium

    bitmap = next(page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE])).get_bitmap(render=False)
    return bitmap.to_pil().copy()  # not a view of pdfium's buffer, which goes with the document


def same(a, b) -> bool:
    """Numbers within 0.005 (score.py's tolerance), strings after NFC and whitespace collapsing, lists by item."""
    if isinstance(a, list):
        return isinstance(b, list) and len(a) == len(b) and all(map(same, a, b))
    if isinstance(a, (int, float)) and not isinstance(a, bool):
        return isinstance(b, (int, float)) and not isinstance(b, bool) and abs(a - b) <= 0.005
    if isinstance(a, str):
        return isinstance(b, str) and _text(a) == _text(b)
    return a == b


def _text(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).split())


def same_view(extracted: dict[str, Any]) -> dict[str, Any]:
    """What must not depend on the format of a file (`phuluc extract --json`): the report's metadata,
    every table's criteria and rows field by field, the summary, the findings — not the file's name,
    hash and format, pages, the finder that read a table, or messages (which name pages)."""
    finding = ("rule", "severity", "unit", "unit_raw", "expected", "actual")
    return {
        "report": extracted["report"], "summary": extracted["summary"],
        "tables": [{"title": t["title"], "kind": t["kind"], "source": t["source"], "criteria": t["criteria"],
                    "rows": [{k: v for k, v in r.items() if k != "page"} for r in t["rows"]]}
                   for t in extracted["tables"]],
        "findings": sorted(json.dumps({k: f[k] for k in finding}, ensure_ascii=False, sort_keys=True)
                           for f in extracted["findings"]),
    }
