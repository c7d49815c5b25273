"""Tesseract inside this process: one engine per model, kept for every page the process reads.

A `tesseract` command loads its model anew each time (0.15 s of CPU; a table page ran it 7–11 times)
and pytesseract hands it every image as a file. Here Debian's libtesseract, the library that command
of tesseract-ocr runs (so the readings are the command's, word for word), is called through its C
API and fed the pixels where they lie. A model's dictionaries load when its engine starts, so a model
with and without them are two engines; the characters allowed, the page layout and the resolution
are set on every call. Engines start on first use and serve every later call of the process; a call
holds the engines' lock, so threads take turns and a fork never copies an engine in mid-call: a
forked worker goes on with the engines its parent had started (their memory shared until written).

Tesseract runs single-threaded (unless OMP_THREAD_LIMIT says otherwise, before the library loads):
its OpenMP threads spin against each other on a small machine (a table page took 14 s with them, 3 s
without), and pages are read in parallel processes instead.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import enum
import functools
import os
import threading
from typing import NamedTuple

import numpy as np

_DEFAULT_ENGINE = 3  # OEM_DEFAULT: the LSTM model where the traineddata has one, as the command chooses
_QUIET = {"debug_file": os.devnull}  # Tesseract's warnings ("Empty page!!") are no message of phuluc's
_NO_DICTIONARY = {"load_system_dawg": "0", "load_freq_dawg": "0"}
_LEPTONICA_SILENT = 6  # L_SEVERITY_NONE: nor are Leptonica's, which it prints for boxes outside an image
_LOCK = threading.Lock()
_ENGINES: dict[tuple[str, bool], int | None] = {}  # (model, with its dictionaries) → its engine
os.register_at_fork(before=_LOCK.acquire, after_in_parent=_LOCK.release, after_in_child=_LOCK.release)


class Layout(enum.IntEnum):
    """How Tesseract segments an image (its page segmentation modes, `--psm`)."""

    COLUMN = 4  # one column of text of varied sizes: a page's text around its tables
    BLOCK = 6  # one uniform block of lines: a montage of cells, one a line


class Level(enum.IntEnum):
    """What a row of Tesseract's results stands for."""

    PAGE = 1
    BLOCK = 2
    PARAGRAPH = 3
    LINE = 4
    WORD = 5


class Box(NamedTuple):
    """A row of Tesseract's results (its TSV): a word, or a line or block holding words; in pixels,
    with the confidence 0–1 (0 for a row that is no word) and the text stripped."""

    level: Level
    block: int
    paragraph: int
    line: int
    left: int
    top: int
    width: int
    height: int
    conf: float
    text: str


@functools.cache
def _library() -> ctypes.CDLL | None:
    """libtesseract with the C functions used here typed; None where it is not installed."""
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # read once, when OpenMP loads with the library
    name = ctypes.util.find_library("tesseract")
    if name is None:
        return None
    lib = ctypes.CDLL(name)
    leptonica = ctypes.util.find_library("lept")
    if leptonica is not None:
        ctypes.CDLL(leptonica).setMsgSeverity(_LEPTONICA_SILENT)
    handle, text = ctypes.c_void_p, ctypes.c_char_p
    strings = ctypes.POINTER(ctypes.c_char_p)
    for function, argtypes, restype in (
            ("TessBaseAPICreate", [], handle),
            ("TessBaseAPIInit4", [handle, text, text, ctypes.c_int, strings, ctypes.c_int, strings, strings,
                                  ctypes.c_size_t, ctypes.c_int], ctypes.c_int),
            ("TessBaseAPISetVariable", [handle, text, text], ctypes.c_int),
            ("TessBaseAPISetPageSegMode", [handle, ctypes.c_int], None),
            ("TessBaseAPISetImage", [handle, ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                     ctypes.c_int], None),
            ("TessBaseAPIRecognize", [handle, ctypes.c_void_p], ctypes.c_int),
            ("TessBaseAPIGetTsvText", [handle, ctypes.c_int], ctypes.c_void_p),
            ("TessDeleteText", [ctypes.c_void_p], None),
            ("TessBaseAPIClear", [handle], None),
            ("TessBaseAPIDelete", [handle], None)):
        getattr(lib, function).argtypes, getattr(lib, function).restype = argtypes, restype
    return lib


def _engine(lang: str, dictionary: bool) -> int | None:
    """The engine of model `lang`, with or without its dictionaries (word lists that pull a reading
    towards words: wrong for figures), started once per process; None when the library or the model
    is missing."""
    if (lang, dictionary) not in _ENGINES:
        _ENGINES[lang, dictionary] = _start(lang, dictionary)
    return _ENGINES[lang, dictionary]


def _start(lang: str, dictionary: bool) -> int | None:
    """A new engine of model `lang`, with or without its dictionaries; None when it cannot start."""
    lib = _library()
    if lib is None:
        return None
    names, values = zip(*(_QUIET | ({} if dictionary else _NO_DICTIONARY)).items())
    strings = ctypes.c_char_p * len(names)
    api = lib.TessBaseAPICreate()
    if lib.TessBaseAPIInit4(api, None, lang.encode(), _DEFAULT_ENGINE, None, 0,
                            strings(*(n.encode() for n in names)), strings(*(v.encode() for v in values)),
                            len(names), 0) != 0:
        lib.TessBaseAPIDelete(api)
        return None
    return api


@atexit.register
def _end() -> None:
    """Free the engines as the process ends: Tesseract warns of every model still held then."""
    for api in filter(None, _ENGINES.values()):
        _library().TessBaseAPIDelete(api)
    _ENGINES.clear()


def installed(lang: str) -> bool:
    """Whether libtesseract and model `lang` are installed (its engine starts)."""
    with _LOCK:
        return _engine(lang, True) is not None


def read(image: np.ndarray, lang: str, layout: Layout, dpi: int, chars: str = "") -> list[Box]:
    """What Tesseract reads in a grey image (one 8-bit channel) printed at `dpi`, as model `lang` reads
    it with its dictionaries or, with `chars`, only those characters and no dictionary: the rows of
    `tesseract IMAGE - -l LANG --psm LAYOUT --dpi DPI tsv`."""
    pixels = np.ascontiguousarray(image, dtype=np.uint8)
    lib = _library()
    with _LOCK:
        api = _engine(lang, not chars)
        if api is None:
            raise RuntimeError(f"Tesseract's model {lang!r} did not load")
        lib.TessBaseAPISetVariable(api, b"tessedit_char_whitelist", chars.encode())
        lib.TessBaseAPISetVariable(api, b"user_defined_dpi", str(dpi).encode())
        lib.TessBaseAPISetPageSegMode(api, layout)
        lib.TessBaseAPISetImage(api, pixels.ctypes.data, pixels.shape[1], pixels.shape[0], 1, pixels.strides[0])
        lib.TessBaseAPIRecognize(api, None)
        tsv = lib.TessBaseAPIGetTsvText(api, 0)
        try:
            rows = ctypes.string_at(tsv).decode() if tsv else ""
        finally:
            lib.TessDeleteText(tsv)
            lib.TessBaseAPIClear(api)
    return [_box(line.split("\t")) for line in rows.splitlines() if line]


def _box(fields: list[str]) -> Box:
    """A TSV row (level, page, block, paragraph, line, word, left, top, width, height, conf, text); the
    confidence in whole percents, as ocr.py's thresholds and tie-breaks were set on."""
    level, _, block, paragraph, line, _, left, top, width, height = map(int, fields[:10])
    return Box(Level(level), block, paragraph, line, left, top, width, height,
               max(int(float(fields[10])), 0) / 100, fields[11].strip() if len(fields) > 11 else "")
