"""A page's characters → its words, exactly as pdfplumber's `extract_words` makes them with
extra_attrs=["fontname", "size"] and the tolerances of extract/layer.py.

Runs of characters of one font and size, in the order the page draws them, are each laid into lines
(tops chaining within the y tolerance; for text not upright, x positions within 3 pt) and each line is
cut into words at whitespace, at a step back, at a gap over the x tolerance ratio of the size and at a
change of line. Characters are dicts of text, x0, x1, top, bottom, fontname, size and upright.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from operator import itemgetter

from phuluc.extract.layer import X_TOLERANCE_RATIO, Y_TOLERANCE, clusters

_ROTATED_LINE_TOLERANCE = 3.0  # pt: pdfplumber's default x tolerance, which lines of rotated text cluster by
LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}


def words(chars: Iterable[dict]) -> list[dict]:
    out = []
    for (upright, _, _), run in itertools.groupby(chars, key=itemgetter("upright", "fontname", "size")):
        for line in _lines(list(run), upright):
            out += [_merged(word) for word in _split(line, upright)]
    return out


def _lines(chars: list[dict], upright: bool) -> Iterator[list[dict]]:
    """Upright text: lines top to bottom, each left to right; rotated text: lines left to right, each
    top to bottom."""
    if upright:
        for line in clusters(chars, itemgetter("top"), Y_TOLERANCE):
            yield sorted(line, key=itemgetter("x0"))
    else:
        for line in clusters(chars, itemgetter("x0"), _ROTATED_LINE_TOLERANCE):
            yield sorted(line, key=itemgetter("top", "bottom"))


def _split(line: list[dict], upright: bool) -> Iterator[list[dict]]:
    word: list[dict] = []
    for char in line:
        if char["text"].isspace():
            if word:
                yield word
            word = []
        elif word and _parts(word[-1], char, upright):
            yield word
            word = [char]
        else:
            word.append(char)
    if word:
        yield word


def _parts(before: dict, char: dict, upright: bool) -> bool:
    """Whether `char` begins a new word after `before`: it steps back, leaves a gap, or leaves the line."""
    along, start, end, across = ("x0", "x0", "x1", "top") if upright else ("top", "top", "bottom", "x0")
    gap, drift = (X_TOLERANCE_RATIO * before["size"], Y_TOLERANCE) if upright else \
        (Y_TOLERANCE, X_TOLERANCE_RATIO * before["size"])
    return (char[along] < before[start] or char[along] > before[end] + gap
            or abs(char[across] - before[across]) > drift)


def _merged(chars: list[dict]) -> dict:
    first = chars[0]
    return {"text": "".join(LIGATURES.get(c["text"], c["text"]) for c in chars),
            "x0": min(c["x0"] for c in chars), "x1": max(c["x1"] for c in chars),
            "top": min(c["top"] for c in chars), "bottom": max(c["bottom"] for c in chars),
            "fontname": first["fontname"], "size": first["size"], "upright": first["upright"]}
