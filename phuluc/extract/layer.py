"""What a PDF reader takes from each page of a text-layer PDF, whichever library read it, and the one
clustering rule pdfplumber measures words and ruling lines by."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

Cell = tuple[float, float, float, float]  # x0, top, x1, bottom in points from the page's top-left corner
T = TypeVar("T")

Y_TOLERANCE = 1.0  # pt: characters whose tops differ more are on two lines (pdfplumber chains 3 pt, which
# runs the stacked lines of a dense header into one and interleaves their letters)
X_TOLERANCE_RATIO = 0.12  # of the font size: letters of a word touch (a word space is ~0.3), while a figure
# set flush right in its cell can end a fifth of a size before the text flush left in the next (pdfplumber's
# default, 3 pt, glues them: "1UBND", "100,0XS")


@dataclass(frozen=True, slots=True)
class TextLayer:
    """A page's words as pdfplumber's `extract_words` gives them with the tolerances above (dicts of text,
    x0, x1, top, bottom, fontname, size; the text as the font encodes it), the cells of each table its
    ruling lines bound, whether anything at all is drawn on it, and its (width, height) in points."""

    words: list[dict]
    tables: Sequence[Sequence[Cell]]
    drawn: bool
    size: tuple[float, float]


class Document(ABC):
    """A PDF open in one library, its pages read one at a time; closed when its `with` ends."""

    @abstractmethod
    def __len__(self) -> int: ...

    @abstractmethod
    def layer(self, index: int) -> TextLayer: ...

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> Document:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def clusters(items: Sequence[T], key: Callable[[T], float], tolerance: float) -> list[list[T]]:
    """Items grouped by `key` values that chain within `tolerance` (pdfplumber's `cluster_objects`):
    groups in order of their values, each keeping its items' order."""
    cluster_of: dict[float, int] = {}
    index, last = -1, None
    for value in sorted(set(map(key, items))):
        if last is None or value > last + tolerance:
            index += 1
        cluster_of[value], last = index, value
    groups: dict[int, list[T]] = defaultdict(list)
    for item in items:
        groups[cluster_of[key(item)]].append(item)
    return [groups[k] for k in sorted(groups)]
