"""Decode text drawn in the legacy Vietnamese 8-bit fonts TCVN3 (ABC) and VNI.

Many government PDFs were typed in fonts such as ".VnTime" (TCVN3) or "VNI-Times"
(VNI): the font draws Vietnamese letters at Latin-1 code points, so the text layer
reads as mojibake ("CéNG HßA X· HéI" for "CỘNG HÒA XÃ HỘI"). The PDF reader calls
`decode_font_text` for every run of characters of one font before anything else
reads the text. Plain text (a `pdftotext` rendering) has no font names: the text
reader calls `decode_plain`, which asks `looks_legacy` for the encoding.

TCVN3 (TCVN 5712:1993, VN3) is one code per letter: lowercase letters with
diacritics sit in ¨–® and µ–þ, the capitals Ă Â Ê Ô Ơ Ư Đ in ¡–§, other capitals are
ASCII. Capitals with tones exist only in the "H" fonts (".VnTimeH", ".VnArialH"),
whose glyphs are all capitals: they draw the lowercase codes *and* the ASCII
letters a–z as capitals, so "tcvn3-caps" uppercases every letter it decodes.

VNI writes a base letter followed by one or two mark characters ("Vieät" = Việt);
ơ ư đ and the i-with-tone letters have codes of their own. Each VNI character is
replaced by its Unicode letter or combining marks, and NFC composes the result.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Sequence
from typing import Literal

Family = Literal["tcvn3", "vni"]  # a legacy encoding as fonts and plain text tell it
Encoding = Literal["tcvn3", "tcvn3-caps", "vni"]  # a decoding table ("tcvn3-caps": the "H" fonts)

# TCVN3: Unicode letters and their codes, row by row (tones: none, huyền, hỏi, ngã, sắc, nặng).
_TCVN3_ROWS = (
    ("aàảãáạ", "aµ¶·¸¹"),
    ("ăằẳẵắặ", "¨»¼½¾Æ"),
    ("âầẩẫấậ", "©ÇÈÉÊË"),
    ("eèẻẽéẹ", "eÌÎÏÐÑ"),
    ("êềểễếệ", "ªÒÓÔÕÖ"),
    ("iìỉĩíị", "i×ØÜÝÞ"),
    ("oòỏõóọ", "oßáâãä"),
    ("ôồổỗốộ", "«åæçèé"),
    ("ơờởỡớợ", "¬êëìíî"),
    ("uùủũúụ", "uïñòóô"),
    ("ưừửữứự", "\xadõö÷øù"),  # ư is the soft hyphen U+00AD
    ("yỳỷỹýỵ", "yúûüýþ"),
    ("đ", "®"),
    ("ĂÂÊÔƠƯĐ", "¡¢£¤¥¦§"),
)
_TCVN3 = {code: letter for letters, codes in _TCVN3_ROWS for letter, code in zip(letters, codes, strict=True)}
_TCVN3_CAPS = {code: letter.upper() for code, letter in _TCVN3.items()}
_TCVN3_CAPS.update(zip(string.ascii_lowercase, string.ascii_uppercase))

# VNI: mark characters (after a base letter) and letters with a code of their own.
_GRAVE, _ACUTE, _HOOK, _TILDE, _DOT = "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"
_CIRCUMFLEX, _BREVE = "\u0302", "\u0306"
_VNI_LOWER = {
    # tone marks: huyền sắc hỏi ngã nặng
    "ø": _GRAVE, "ù": _ACUTE, "û": _HOOK, "õ": _TILDE, "ï": _DOT,
    # circumflex (â ê ô), bare and with each tone
    "â": _CIRCUMFLEX, "à": _CIRCUMFLEX + _GRAVE, "á": _CIRCUMFLEX + _ACUTE,
    "å": _CIRCUMFLEX + _HOOK, "ã": _CIRCUMFLEX + _TILDE, "ä": _CIRCUMFLEX + _DOT,
    # breve (ă), bare and with each tone
    "ê": _BREVE, "è": _BREVE + _GRAVE, "é": _BREVE + _ACUTE,
    "ú": _BREVE + _HOOK, "ü": _BREVE + _TILDE, "ë": _BREVE + _DOT,
    # letters of their own (ì and í are themselves)
    "ô": "ơ", "ö": "ư", "ñ": "đ", "æ": "ỉ", "ó": "ĩ", "ò": "ị", "î": "ỵ",
}
_VNI = _VNI_LOWER | {code.upper(): value.upper() for code, value in _VNI_LOWER.items()}

_TABLES = {
    "tcvn3": str.maketrans(_TCVN3),
    "tcvn3-caps": str.maketrans(_TCVN3_CAPS),
    "vni": str.maketrans(_VNI),
}

_SUBSET = re.compile(r"^[A-Z]{6}\+")  # "AAAAAA+" before an embedded subset's name
_STYLE = re.compile(r"[,-].*")  # ",Bold", "-BoldItalic" after a TCVN3 family name
_VNI_FONT = re.compile(r"VNI[-_ ]", re.IGNORECASE)

# looks_legacy counts words (runs holding an ASCII letter) with a TCVN3 code that
# Vietnamese Unicode text never uses, or with a VNI mark after a vowel that neither
# Unicode nor TCVN3 text writes. Left out to stay conservative: the soft hyphen (ư),
# ® and © (đ, â) unless a letter follows ("Windows®"), and u + û (TCVN3 "uû" = uỷ).
_UNICODE_VIETNAMESE_LATIN1 = "àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ"
_TCVN3_ONLY = set(_TCVN3) - set(string.ascii_letters + _UNICODE_VIETNAMESE_LATIN1 + "\xad")
_TCVN3_SURE = re.escape("".join(sorted(_TCVN3_ONLY - {"®", "©"})))
_TCVN3_MARK = re.compile(f"[{_TCVN3_SURE}]|[®©](?=[A-Za-z{_TCVN3_SURE}])")
_VNI_MARK = re.compile(r"[aeoAEO][äåÄÅ]|[aA][ëüËÜ]|[aeiouyôöAEIOUYÔÖ][øïØÏ]|[aeioyôöAEIOYÔÖ][ûÛ]")
_MARKS: tuple[tuple[Family, re.Pattern[str]], ...] = (("vni", _VNI_MARK), ("tcvn3", _TCVN3_MARK))
_MIN_WORDS, _MIN_SHARE = 2, 0.2
_MIN_FILE_WORDS = 10  # a whole file: a few foreign words ("Müller", "µm", "«…»") never make it legacy

# decode_plain: a line holding a Vietnamese letter beyond Latin-1 (or a combining mark) is Unicode
# already, as no legacy code is such a character; TCVN3 words are runs of ASCII letters and codes.
_UNICODE_ONLY = re.compile("[{}\u0300-\u036f]".format(
    "".join(sorted({c for letter in _TCVN3.values() for c in (letter, letter.upper()) if ord(c) > 0xFF}))))
_TCVN3_WORD = re.compile("[A-Za-z{}]+".format(re.escape("".join(sorted(set(_TCVN3) - set(string.ascii_letters))))))
_CAPITALS = frozenset(string.ascii_uppercase) | {code for code, letter in _TCVN3.items() if letter.isupper()}
_WORD_LETTERS = frozenset(_TCVN3) - frozenset(string.ascii_letters + "§")  # all codes but Đ, an initial
_COLUMN_GAP = re.compile(r"(\s{2,}|\t)")  # between the columns of a `pdftotext -layout` or tabbed line


def font_encoding(fontname: str) -> Family | None:
    """"tcvn3" for ABC fonts (".Vn…"), "vni" for VNI fonts ("VNI-…"), None for Unicode fonts."""
    name = _SUBSET.sub("", fontname)
    if name.startswith(".Vn"):
        return "tcvn3"
    if _VNI_FONT.match(name):
        return "vni"
    return None


def decode(text: str, encoding: Encoding) -> str:
    """Legacy `text` in "tcvn3", "tcvn3-caps" (the capital "H" fonts) or "vni" → Unicode NFC."""
    try:
        table = _TABLES[encoding]
    except KeyError:
        raise ValueError(f"unknown legacy encoding {encoding!r}") from None
    return unicodedata.normalize("NFC", text.translate(table))


def decode_font_text(text: str, fontname: str) -> str:
    """Decode `text` drawn in `fontname`; Unicode fonts return `text` unchanged."""
    family = font_encoding(fontname)
    if family is None:
        return text
    caps = family == "tcvn3" and _STYLE.sub("", _SUBSET.sub("", fontname)).rstrip().endswith("H")
    return decode(text, "tcvn3-caps" if caps else family)


def looks_legacy(text: str, *, min_words: int = _MIN_WORDS) -> Family | None:
    """"vni" or "tcvn3" when many words of `text` (a fifth, and `min_words` at least) read as that
    mojibake, else None."""
    words = [word for word in text.split() if re.search("[A-Za-z]", word)]
    floor = max(min_words, _MIN_SHARE * len(words))
    for family, mark in _MARKS:
        if sum(bool(mark.search(word)) for word in words) >= floor:
            return family
    return None


def decode_plain(text: str) -> str:
    """Plain text of unknown encoding (a `pdftotext` rendering of a legacy-font PDF) → Unicode.

    Without font names the text itself tells: the lines that may be legacy (no letter a legacy code
    cannot be) are decoded when, together, they read as TCVN3 or VNI mojibake; Unicode lines, and any
    text that does not read so, come back unchanged. A Unicode body around a legacy appendix thus
    still gets its appendix decoded.
    """
    lines = text.split("\n")
    legacy = [i for i, line in enumerate(lines) if not _UNICODE_ONLY.search(line)]
    family = looks_legacy("\n".join(lines[i] for i in legacy), min_words=_MIN_FILE_WORDS)
    if family is None:
        return text
    for i in legacy:
        lines[i] = _decode_line(lines[i], family)
    return "\n".join(lines)


def _decode_line(line: str, family: Family) -> str:
    """A legacy line column by column (the runs between gaps): a heading drawn in an "H" font beside
    body text keeps its case, and every column starts where it did, though a VNI letter of two codes
    decodes to one character (`pdftotext -layout` places columns by character)."""
    parts = _COLUMN_GAP.split(line)
    out = [part if i % 2 else _decode_run(part, family) for i, part in enumerate(parts)]
    return "".join(text.ljust(len(part)) for text, part in zip(out[:-1], parts, strict=False)) + out[-1]


def _decode_run(run: str, family: Family) -> str:
    return _decode_tcvn3_run(run) if family == "tcvn3" else decode(run, family)


def _decode_tcvn3_run(run: str) -> str:
    """TCVN3 words, each in capitals where the run says an "H" font drew it.

    An "H" font draws its lowercase codes as capitals, so plain text of "CỘNG HÒA" reads "CéNG HßA":
    a lowercase code in a word of capitals was drawn as a capital. A word that does not tell ("X·",
    "UBND") follows the nearest word of its run that does, else reads in lowercase, as typed: "Së KH§T"
    stays "Sở KHĐT", "Uû BAN NH¢N D¢N" reads "UỶ BAN NHÂN DÂN".
    """
    words = list(_TCVN3_WORD.finditer(run))
    capitals = _spread([_drawn_in_capitals(m.group()) for m in words])
    out, end = [], 0
    for m, caps in zip(words, capitals, strict=True):
        out += [run[end:m.start()], decode(m.group(), "tcvn3-caps" if caps else "tcvn3")]
        end = m.end()
    return "".join(out) + run[end:]


def _drawn_in_capitals(word: str) -> bool | None:
    """True for "HéI", "ñY" and "NH¢N", False for "Th¹ch" (a lowercase ASCII letter), None when the word
    does not tell: no capital but the first ("Sè", "X·", "Uû", as title case writes them), or no letter
    that only a word, never an acronym, holds ("UBND", "KH§T": a lowercase code, or Ă Â Ê Ô Ơ Ư)."""
    if any(c in string.ascii_lowercase for c in word):
        return False
    if any(c in _CAPITALS for c in word[1:]) and any(c in _WORD_LETTERS for c in word):
        return True
    return None


def _spread(cases: Sequence[bool | None]) -> list[bool]:
    """Each undecided entry takes the nearest decided one (the left on a tie); False when none is."""
    decided = [i for i, case in enumerate(cases) if case is not None]

    def nearest(i: int) -> bool:
        return bool(decided) and bool(cases[min(decided, key=lambda j: (abs(j - i), j))])

    return [nearest(i) if case is None else case for i, case in enumerate(cases)]
