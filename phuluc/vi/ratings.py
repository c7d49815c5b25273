"""Rating names: what reports print ("XS", "xếp loại tốt", "Trung bình") → the canonical band name."""

from __future__ import annotations

import functools
import importlib.resources
import re

from phuluc import yamlfile
from phuluc.vi.text import fold


@functools.cache
def _table() -> dict[str, list[str]]:
    path = importlib.resources.files("phuluc.config") / "ratings.yaml"
    return yamlfile.load(path)


@functools.cache
def _aliases() -> dict[str, str]:
    return {fold(alias): name for name, aliases in _table().items() for alias in [name, *aliases]}


def names() -> tuple[str, ...]:
    """The canonical rating names, best first, as ratings.yaml lists them."""
    return tuple(_table())


def canonical(text: str | None) -> str | None:
    """The canonical rating a printed cell or phrase names, or None when it names none."""
    if not text:
        return None
    return _aliases().get(fold(text.strip(" .:;,")))


@functools.cache
def words() -> frozenset[str]:
    """Every word of every rating name (folded): a rating printed over two tokens is read word by word."""
    return frozenset(w for alias in _aliases() for w in alias.split())


def all_rating_words(text: str) -> bool:
    """Whether every word of `text` belongs to a rating name: a piece of a rating printed over lines."""
    folded = fold(text).split()
    return bool(folded) and all(w in words() for w in folded)


def leading(text: str) -> int | None:
    """Where a rating name that opens `text` ends ("Xuất sắc Mới sáp nhập" → 8), if one does."""
    m = _leading().match(fold(text))
    return m.end() if m else None


@functools.cache
def _leading() -> re.Pattern[str]:
    return re.compile(r"(?:" + alternation() + r")(?=\s|$)")


@functools.cache
def alternation() -> str:
    """Regex alternation of every rating name (folded), longest first: "không đạt" before "đạt"."""
    names = sorted({a for a in _aliases() if len(a) > 2}, key=len, reverse=True)
    return "|".join(re.escape(n) for n in names)


@functools.cache
def pattern() -> re.Pattern[str]:
    """Finds a rating name in folded prose."""
    return re.compile(r"(?<!\w)(" + alternation() + r")(?!\w)")
