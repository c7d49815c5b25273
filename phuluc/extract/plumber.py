"""Text-layer PDF pages as pdfplumber reads them: for the damaged files pdfium cannot open, or whose
pages it cannot load (a page tree that holds itself, a /Count that lies), which pdfminer walks.

pdfminer follows a reference to a reference until it reaches a value, for ever when the chain returns on
itself ("6 0 obj 6 0 R endobj"); its one resolving step is made to follow the chain itself here, up to a
depth no real file reaches, and to call a longer one the syntax error it is.
"""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
from pdfminer.pdfdocument import PDFPasswordIncorrect
from pdfminer.pdftypes import PDFObjRef
from pdfminer.psparser import PSSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from phuluc.errors import PhulucError, reason
from phuluc.extract import layer
from phuluc.extract.layer import X_TOLERANCE_RATIO, Y_TOLERANCE, TextLayer

_RULED = {"vertical_strategy": "lines", "horizontal_strategy": "lines"}
_MAX_INDIRECTION = 32  # references to references a real file never chains this far


def _resolve_without_cycles() -> None:
    resolve = PDFObjRef.resolve

    def resolve_chain(ref: PDFObjRef, default: object = None) -> object:
        value = resolve(ref, default)
        for _ in range(_MAX_INDIRECTION):
            if not isinstance(value, PDFObjRef):
                return value
            value = resolve(value, default)
        raise PSSyntaxError(f"object {ref.objid} refers to itself")

    PDFObjRef.resolve = resolve_chain


_resolve_without_cycles()


class Document(layer.Document):
    """A PDF open in pdfplumber; a file it cannot open, or whose page tree it cannot walk, is unreadable
    (and closed here: pdfplumber's own close walks the pages again)."""

    def __init__(self, path: Path, data: bytes | None = None) -> None:
        """The file at `path`, or its bytes where the caller has read them already."""
        try:
            self._pdf = pdfplumber.open(path if data is None else io.BytesIO(data))
        except Exception as e:  # pdfminer raises several unrelated types for a damaged file
            cause = e.args[0] if isinstance(e, PdfminerException) and e.args else e
            if isinstance(cause, PDFPasswordIncorrect):
                raise PhulucError("encrypted_pdf", file=str(path)) from None
            raise PhulucError("unreadable", file=str(path), reason=reason(cause)) from None
        try:
            self._pages = self._pdf.pages
        except Exception as e:
            self._pdf.stream.close()
            raise PhulucError("unreadable", file=str(path), reason=reason(e)) from None

    def __len__(self) -> int:
        return len(self._pages)

    def close(self) -> None:
        self._pdf.close()

    def layer(self, index: int) -> TextLayer:
        page = self._pages[index]
        words = page.extract_words(extra_attrs=["fontname", "size"], y_tolerance=Y_TOLERANCE,
                                   x_tolerance_ratio=X_TOLERANCE_RATIO)
        return TextLayer(words, [table.cells for table in page.find_tables(_RULED)], any(page.objects.values()),
                         (float(page.width), float(page.height)))
