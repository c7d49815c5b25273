"""User-facing sentences from config/messages.yaml, in Vietnamese or English."""

from __future__ import annotations

import enum
import functools
import importlib.resources
import re
from typing import TYPE_CHECKING

from phuluc import yamlfile

if TYPE_CHECKING:
    from phuluc.model import Finding


class Language(enum.StrEnum):
    """The languages of the messages (`--lang`, PHULUC_LANG)."""

    VI = "vi"
    EN = "en"


LANGS = tuple(Language)


@functools.cache
def _catalogue() -> dict:
    path = importlib.resources.files("phuluc.config") / "messages.yaml"
    return yamlfile.load(path)


def _figure(value: object, lang: str) -> str:
    from phuluc.vi.numbers import format_vi  # with the number patterns, which `--help` does not need

    if isinstance(value, float):
        decimals = len(f"{value:.4f}".rstrip("0").split(".")[1])
        return format_vi(value, decimals) if lang == "vi" else f"{value:.{decimals}f}"
    return "" if value is None else str(value)


def number(value: float, lang: str = "vi") -> str:
    """A figure as the language prints it ("82,25", "82.25")."""
    return _figure(float(value), lang if lang in LANGS else "vi")


def text(section: str, key: str, lang: str = "vi", **params: object) -> str:
    """The sentence `section.key` in `lang`, filled with `params`."""
    entry = _catalogue()[section][key]
    return entry[lang if lang in LANGS else "vi"].format(**{k: _figure(v, lang) for k, v in params.items()})


def error(key: str, lang: str = "vi", **params: object) -> str:
    """The sentence of an error; a file given up on names the limit it passed (budget.Limit)."""
    if key == "gave_up":
        params["why"] = text("limits", str(params["budget"]), lang, **params)
    return text("errors", key, lang, **params)


# control characters, and the bidirectional marks and overrides that make a name read backwards
# ("ghi-chu\u202etxt.md" shown as "ghi-chudm.txt")
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """Text as a terminal shows it on one line, doing nothing else: control characters (an escape
    sequence, a line break or tab in a file name) and bidirectional overrides written out ("\\x1b",
    "\\u202e")."""
    return _CONTROL.sub(_written_out, text)


def _written_out(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def finding(f: Finding, lang: str = "vi") -> str:
    """The message of a finding in `lang`, its figures named."""
    lang = lang if lang in LANGS else "vi"
    params = {"unit": f.unit or f.unit_raw or "", "unit_raw": f.unit_raw or "", "expected": f.expected,
              "actual": f.actual, "detail": "", "rating": "", "period": "", "other_file": "", "figure": ""}
    params.update(dict(f.params))
    if params["figure"]:
        params["figure"] = figure(params["figure"], lang)
    return text("findings", f.rule, lang, **params)


def figure(name: str, lang: str = "vi") -> str:
    """A field of a row named in `lang` ("total" → "tổng điểm", "unlabeled[1]" → "cột không tiêu đề");
    anything else (a criterion's printed label) as it is."""
    entry = _catalogue()["figures"].get(name.split("[", 1)[0])
    return entry[lang if lang in LANGS else "vi"] if entry else name


def criterion(label: str | None, about: str | None, lang: str = "vi") -> str:
    """What a finding is about, for a reader: the criterion's `label` as printed, or the name of the
    field it is `about`."""
    return label or (figure(about, lang) if about else "")
