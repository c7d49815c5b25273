"""Decode text drawn in the legacy Vietnamese 8-bit fonts TCVN3 (ABC) and VNI.

Many government PDFs were typed in fonts such as ".VnTime" (TCVN3) or "VNI-Times"
(VNI): the font draws Vietnamese letters at Latin-1 code points, so the text layer
reads as mojibake ("CéNG HßA X· HéI" for "CỘNG HÒA XÃ HỘI"). The PDF reader calls
`decode_font_text` for every run of characters of one font before anything else
reads the text; `looks_legacy` guesses the encoding when font names are missing.

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
_MIN_WORDS, _MIN_SHARE = 2, 0.2


def font_encoding(fontname: str) -> str | None:
    """"tcvn3" for ABC fonts (".Vn…"), "vni" for VNI fonts ("VNI-…"), None for Unicode fonts."""
    name = _SUBSET.sub("", fontname)
    if name.startswith(".Vn"):
        return "tcvn3"
    if _VNI_FONT.match(name):
        return "vni"
    return None


def decode(text: str, encoding: str) -> str:
    """Legacy `text` in "tcvn3", "tcvn3-caps" (the capital "H" fonts) or "vni" → Unicode NFC."""
    try:
        table = _TABLES[encoding]
    except KeyError:
        raise ValueError(f"unknown legacy encoding {encoding!r}") from None
    return unicodedata.normalize("NFC", text.translate(table))


def decode_font_text(text: str, fontname: str) -> str:
    """Decode `text` drawn in `fontname`; Unicode fonts return `text` unchanged."""
    encoding = font_encoding(fontname)
    if encoding is None:
        return text
    if encoding == "tcvn3" and _STYLE.sub("", _SUBSET.sub("", fontname)).rstrip().endswith("H"):
        encoding = "tcvn3-caps"
    return decode(text, encoding)


def looks_legacy(text: str) -> str | None:
    """"vni" or "tcvn3" when many words of `text` read as that mojibake, else None."""
    words = [word for word in text.split() if re.search("[A-Za-z]", word)]
    floor = max(_MIN_WORDS, _MIN_SHARE * len(words))
    for encoding, mark in (("vni", _VNI_MARK), ("tcvn3", _TCVN3_MARK)):
        if sum(bool(mark.search(word)) for word in words) >= floor:
            return encoding
    return None
