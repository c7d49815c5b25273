"""Vietnamese text: NFC, whitespace, tone-mark placement and comparison keys.

Reports mix the old and new tone placement ("Toả"/"Tỏa", "Thuỷ"/"Thủy", "hoá"/"hóa") and arrive in
NFC or NFD depending on the tool that made them. Everything phuluc stores is NFC with collapsed
whitespace; everything it compares goes through `fold`, which also puts the tone mark in one place
and prints every apostrophe alike.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_SPACE = re.compile(r"\s+")
_APOSTROPHE = re.compile("[\u2018\u2019\u02bc\u02b9\u2032`´]")  # the marks printed for the apostrophe of "Đắk R’Lấp"
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng
# In NFD, an open syllable "oa", "oe" or "uy" with the tone on its second vowel (old style) …
_OLD_TONE = re.compile(
    r"(?<![qQ])(?:([oO])([aAeE])|([uU])([yY]))([" + _TONES + r"])(?![\w\u0300-\u036f])"
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC with whitespace (including non-breaking spaces and line breaks) collapsed."""
    return _SPACE.sub(" ", nfc(text).replace("\u00a0", " ")).strip()


def _move_tone(m: re.Match[str]) -> str:
    first, second = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    return first + m.group(5) + second


def canonical_tones(text: str) -> str:
    """Put the tone mark of open "oa", "oe", "uy" syllables on the first vowel ("Toả" → "Tỏa")."""
    return nfc(_OLD_TONE.sub(_move_tone, unicodedata.normalize("NFD", text)))


def fold(text: str) -> str:
    """Comparison key: clean, one tone placement, one apostrophe ("R’Lấp", "R'Lấp", "Rʼlấp"),
    case-folded."""
    return _APOSTROPHE.sub("'", canonical_tones(clean(text))).casefold()


@functools.lru_cache(maxsize=1 << 14)
def strip_marks(text: str) -> str:
    """Drop every diacritic ("Mường Nhé" → "Muong Nhe"); for fuzzy keys, never for display. Kept for
    the words seen last: a heading's words and the units' names are stripped again for every phrase
    and candidate they are compared with."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))
