"""Which column of a table is what: decided from the header words and the arithmetic together.

Header words give a first reading: "TỔNG ĐIỂM QUY ĐỔI" is the converted score, "XẾP LOẠI" the rating,
"(5đ)" or "Chỉ số 2" a criterion, a heading naming the total is the total even when it prints its
maximum ("TỔNG ĐIỂM (100đ)"), and the figures between the unit names and the first summary column
are criteria. A published ranking adds columns that are no scores: the rank ("06/63") and the
change against the previous period ("Tăng/giảm", "So với kỳ trước"), in points or in places; they
are never criteria, totals or converted scores, whatever their figures. Words are often split,
garbled or missing (a positioned header, an OCR'd one), so the figures have a say: where no heading
names the total, the column that the criteria add up to on most rows is the total; where none names
the converted score, the column equal to total ÷ maximum × 100; where the criteria do not add up to
the named total on most rows, the reading that makes them add up (a column the header counted among
the criteria that the sums leave out, an unlabeled one they need) replaces the words' reading; and a
column of signed figures ("+2,5", "▲ 2") is a change whatever its heading kept. A reading is only
replaced when the figures clearly say so.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from phuluc.extract.tables import Column
from phuluc.model import Number, RawRow
from phuluc.vi import ratings
from phuluc.vi.numbers import RISES, NotANumber, is_number, parse_change, parse_max, parse_number
from phuluc.vi.text import clean, fold, strip_marks

Role = Literal["total", "converted", "rating", "rank", "avg_staff", "note", "change", "rank_change"]
_ROLE_WORDS: tuple[tuple[Role, tuple[str, ...]], ...] = (  # first hit wins
    ("converted", ("quy đổi",)),
    ("rating", ("xếp loại",)),
    ("rank", ("xếp hạng", "thứ hạng")),
    ("avg_staff", ("đtb", "ccvc", "cbcc", "điểm trung bình")),
    ("note", ("ghi chú",)),
    ("total", ("tổng điểm", "điểm đạt", "đạt được", "tổng số điểm", "tổng cộng điểm", "điểm tổng")),
)
# a change against the previous period, named before any other role: "Tổng điểm tăng/giảm" is a change
# ("so với … trước": "so với kỳ/tháng/quý trước", and a positioned header that lost the "kỳ")
_CHANGE_WORDS = re.compile(r"\btăng\s+(?:\S+\s+)?giảm\b|\bso\s+với\s+(?:\S+\s+){0,3}?trước\b|\bso\s+với\s+cùng\s+kỳ\b"
                           r"|\bbiến\s+động\b|\bthay\s+đổi\b")
_RISE = (*RISES, "=", "tăng")  # how a change that is no negative number shows its sign
_PLACES, _POINTS = frozenset({"bậc", "hạng", "vị trí"}), frozenset({"điểm", "đ"})
_Counts = Literal["places", "points"]  # what a change counts
_CHANGE_ROLE: dict[_Counts, Role] = {"places": "rank_change", "points": "change"}
_SPACED = re.compile(r"[()\[\]/,;:+\-−–]")  # "tăng (+)/giảm (-)" says "tăng giảm"
SUMMARY_ROLES: tuple[Role, ...] = ("total", "converted", "rating", "avg_staff", "rank", "change", "rank_change")
CRITERION = re.compile(r"(?:tiêu chí|chỉ số|tc)\s*(?:số\s*)?\d", re.IGNORECASE)
_STT = {"stt", "tt", "số tt", "số thứ tự", "st t"}
_PIECES = 3  # a heading word broken over lines in a narrow column comes in at most this many pieces
_HOLDS = 0.5  # the words' reading stands while the sums hold on at least half the rows judged
_CLEARLY = 0.8  # another reading replaces it only where its sums hold on this share of the rows


@dataclass
class Layout:
    """Column indices by role; `total_max` is a maximum the total's own heading prints."""

    stt: int | None = None
    unit: int | None = None
    criteria: list[int] = field(default_factory=list)
    unlabeled: list[int] = field(default_factory=list)
    roles: dict[Role, int] = field(default_factory=dict)
    labels: dict[int, str] = field(default_factory=dict)
    total_max: float | None = None


def layout(cols: Sequence[Column], rows: Sequence[RawRow]) -> Layout:
    """The roles of a table's columns: the header words' reading, corrected by the arithmetic."""
    found = by_words(cols, rows)
    figures = _Figures(rows, len(cols))
    return _by_arithmetic(found, figures)


def role_of(text: str) -> Role | None:
    """The summary role a (folded) heading names."""
    return next(iter(roles_of(text)), None)


def roles_of(text: str) -> list[Role]:
    """Every summary role a (folded) heading names, first hit first: a header packed tight may give
    one column the words of two ("ĐTB XẾP CCVC LOẠI"). A change heading that names neither points nor
    places is read as points here; `by_words` settles it from its neighbour and figures."""
    spaced = _SPACED.sub(" ", text)
    change = [_CHANGE_ROLE[_unit(spaced) or "points"]] if _CHANGE_WORDS.search(spaced) else []
    return change + [role for role, phrases in _ROLE_WORDS if any(_says(spaced, p) for p in phrases)]


def _unit(spaced: str) -> _Counts | None:
    """What a change heading (its marks spaced out) counts, by the last word that says: "So với kỳ trước
    / Thứ hạng" is places, "Tăng/giảm điểm" points; None where it says neither."""
    return next(iter(_units(reversed(spaced.split()))), None)


def _units(words: Iterable[str]) -> list[_Counts]:
    """The units that words name, in their order, each once."""
    found: list[_Counts] = []
    for word in words:
        unit: _Counts | None = "places" if word in _PLACES else "points" if word in _POINTS else None
        if unit is not None and unit not in found:
            found.append(unit)
    return found


def change_headings(header: str, headings: Iterable[int]) -> list[tuple[int, Role]]:
    """Where a (folded) header printed as one run of words names changes, and which: one for each of
    points and places that the words after the change heading name before the next of the other
    `headings` (their positions), in their order (a group heading's "Điểm", "Thứ hạng" print under
    it, so later in the run); points where they name neither."""
    spaced = _SPACED.sub(" ", header)  # one space for one mark: positions stay those of `header`
    m = _CHANGE_WORDS.search(spaced)
    if m is None:
        return []
    end = min((at for at in headings if at > m.start()), default=len(header))
    units = _units(spaced[m.end():end].split()) or ["points"]
    return [(m.start() + k, _CHANGE_ROLE[unit]) for k, unit in enumerate(units)]


def role_phrases() -> tuple[tuple[Role, tuple[str, ...]], ...]:
    return _ROLE_WORDS


# ---------------------------------------------------------------- the words' reading


def _header_text(col: Column) -> str:
    return fold(" ".join(col.path) or col.label)


def _says(text: str, phrase: str) -> bool:
    """Whether a heading says `phrase`, its words in order though other words may come between (a
    positioned header interleaves the words of neighbouring headings: "TỔNG Tiêu chí ĐIỂM") and a
    word may be broken over lines where its column is narrow ("XẾP LOẠ" / "I")."""
    words, at = text.split(), 0
    for p in phrase.split():
        at = _word_end(words, at, p)
        if at < 0:
            return False
    return True


def _word_end(words: Sequence[str], start: int, word: str) -> int:
    """Where the first printing of `word` at or after `start` ends (whole, or in up to three pieces
    one after another, their letters alike); -1 where it is not printed."""
    bare = strip_marks(word)
    for i in range(start, len(words)):
        if words[i] == word:
            return i + 1
        joined = strip_marks(words[i])  # a piece's marks may have moved ("loạ" folds as "lọa")
        for j in range(i + 1, min(i + _PIECES, len(words))):
            joined += strip_marks(words[j])
            if joined == bare:
                return j + 1
            if not bare.startswith(joined):
                break
    return -1


def _words_column(rows: Sequence[RawRow], j: int) -> bool:
    """A column of words, however its heading reads: a positioned header gives the names' column the
    words of the criterion beside it ("TÊN ĐƠN VỊ Chỉ số 1") where the columns stand close."""
    numbers, filled = numeric_share(rows, j)
    return filled >= 2 and numbers < filled / 2


def numeric_share(rows: Sequence[RawRow], j: int) -> tuple[int, int]:
    filled = [r.cells[j] for r in rows if j < len(r.cells) and r.cells[j].strip()]
    return sum(1 for c in filled if is_number(c)), len(filled)


def by_words(cols: Sequence[Column], rows: Sequence[RawRow]) -> Layout:
    found = Layout()
    texts = [_header_text(c) for c in cols]
    for j, text in enumerate(texts):
        role = role_of(text)
        if role in ("change", "rank_change"):
            if (change := _change_role(found, text, j, rows)) is not None:
                found.roles[change] = j
        elif (parse_max(text) is not None or CRITERION.search(text) and role is None) and not _words_column(rows, j):
            found.criteria.append(j)
        elif role is not None and role not in found.roles:
            found.roles[role] = j
    for j, text in enumerate(texts):  # a change column whose heading lost its words: its figures are signed
        if j not in found.criteria and j not in found.roles.values() and _signed(rows, j):
            if (change := _change_role(found, text, j, rows)) is not None:
                found.roles[change] = j
    _rating_by_cells(found, texts, rows, len(cols))
    taken = set(found.criteria) | set(found.roles.values())
    found.unit = _unit_column(cols, rows, taken)
    stt = next((j for j, t in enumerate(texts) if t in _STT), None)
    found.stt = stt if stt is not None and stt != found.unit else (0 if found.unit and 0 not in taken else None)
    taken |= {found.unit, found.stt}
    first_summary = min((found.roles[r] for r in SUMMARY_ROLES if r in found.roles), default=len(cols))
    start = (found.unit if found.unit is not None else -1) + 1
    for j in range(start, len(cols)):
        if j in taken:
            continue
        numbers, filled = numeric_share(rows, j)
        if not filled or numbers < filled / 2:
            continue
        if not cols[j].label:
            found.unlabeled.append(j)
        elif j < first_summary:
            found.criteria.append(j)
    found.criteria.sort()
    found.labels = {j: clean(cols[j].label or " ".join(cols[j].path)) for j in range(len(cols))}
    return found


def _change_role(found: Layout, text: str, j: int, rows: Sequence[RawRow]) -> Role | None:
    """Whether a change column counts places or points: its heading's word, else the column it stands
    after ("Xếp hạng | Tăng/giảm" is the rank's change, "Tổng điểm | Tăng/giảm" the score's), else its
    figures: a change printed with decimals is in points, one in whole numbers in places (ranks are
    whole, scores seldom move by whole points alone). Where that role is taken, the other; None where
    both are."""
    unit = _unit(_SPACED.sub(" ", text))
    before = next((role for role, k in found.roles.items() if k == j - 1), None)
    if unit is None and before in ("rank", "total", "converted"):
        unit = "places" if before == "rank" else "points"
    if unit is None:
        printed = [n for r in rows if j < len(r.cells) and (n := parse_change(r.cells[j])) is not None]
        unit = "points" if any(n.decimals for n in printed) else "places"
    free = [role for role in dict.fromkeys((_CHANGE_ROLE[unit], "change", "rank_change")) if role not in found.roles]
    return free[0] if free else None


def _signed(rows: Sequence[RawRow], j: int) -> bool:
    """Whether column `j` holds changes, signed as no score is: every filled cell a change, one at least
    negative or marked as a rise ("+2,5", "▲ 2")."""
    filled = [c for r in rows if j < len(r.cells) and (c := clean(r.cells[j])) and c not in ("-", "–", "—")]
    changes = [parse_change(c) for c in filled]
    return bool(filled) and None not in changes and any(
        (n.value or 0) < 0 or c.casefold().startswith(_RISE) for n, c in zip(changes, filled))


def _rating_by_cells(found: Layout, texts: Sequence[str], rows: Sequence[RawRow], ncols: int) -> None:
    """The rating is the column of rating names: where the column headed for it holds figures and a
    column no heading took holds ratings, that one is the rating, and the heading's column takes the
    other role its words name."""
    headed = found.roles.get("rating")
    if headed is None or _rated(rows, headed):
        return
    taken = set(found.criteria) | set(found.roles.values())
    rated = next((j for j in range(ncols) if j not in taken and _rated(rows, j)), None)
    if rated is None:
        return
    found.roles["rating"] = rated
    other = next((r for r in roles_of(texts[headed]) if r != "rating" and r not in found.roles), None)
    if other is not None:
        found.roles[other] = headed


def _rated(rows: Sequence[RawRow], j: int) -> bool:
    """Whether most filled cells of column `j` are rating names."""
    filled = [r.cells[j] for r in rows if j < len(r.cells) and r.cells[j].strip()]
    return bool(filled) and sum(ratings.canonical(c) is not None for c in filled) > len(filled) / 2


def _unit_column(cols: Sequence[Column], rows: Sequence[RawRow], taken: set[int]) -> int | None:
    """The column of unit names: mostly words; headed "Tên …/Đơn vị" where a heading says so."""
    def words(j: int) -> int:
        return sum(1 for r in rows if j < len(r.cells) and r.cells[j] and not is_number(r.cells[j])
                   and ratings.canonical(r.cells[j]) is None)
    candidates = [j for j in range(len(cols)) if j not in taken]
    if not candidates:
        return None
    best = max(candidates, key=lambda j: (words(j), -j))
    return best if words(best) else None


# ---------------------------------------------------------------- the figures' say


class _Figures:
    """The table's cells read as numbers, column by column (None where a cell is no figure)."""

    def __init__(self, rows: Sequence[RawRow], ncols: int) -> None:
        self.rows = len(rows)
        self.columns = [[_number(r.cells[j]) if j < len(r.cells) else None for r in rows] for j in range(ncols)]

    def numeric(self, j: int) -> bool:
        """A column of figures: most of its filled cells are numbers."""
        cells = [n for n in self.columns[j] if n is not None]
        return len(cells) >= max(2, self.rows // 3) and any(n.value is not None for n in cells)


def _number(text: str) -> Number | None:
    try:
        return parse_number(text)
    except NotANumber:
        return None


def _sum_holds(figures: _Figures, criteria: Sequence[int], total: int) -> tuple[int, int]:
    """On how many rows the criteria add up to the total (within the rounding of the printed
    digits), of the rows that print a total and a criterion."""
    holds = judged = 0
    for i in range(figures.rows):
        t = figures.columns[total][i]
        values = [n for j in criteria if (n := figures.columns[j][i]) is not None and n.value is not None]
        if t is None or t.value is None or not values:
            continue
        judged += 1
        slack = sum(v.half_unit for v in values) + t.half_unit + 1e-9
        holds += abs(sum(v.value for v in values) - t.value) <= slack
    return holds, judged


def _converted_holds(figures: _Figures, found: Layout, column: int) -> tuple[int, int]:
    """On how many rows a column equals the total ÷ its maximum × 100: a fraction's denominator, else
    the maxima of the criteria that apply to the row, else the maximum the total's heading prints."""
    holds = judged = 0
    maxima = {j: parse_max(found.labels.get(j, "")) for j in found.criteria}
    for i in range(figures.rows):
        t, c = figures.columns[found.roles["total"]][i], figures.columns[column][i]
        applicable = [maxima[j] for j in found.criteria if (n := figures.columns[j][i]) is not None
                      and n.value is not None]
        top = (t.denominator if t is not None and t.denominator else
               sum(applicable) if applicable and None not in applicable else found.total_max)
        if t is None or c is None or t.value is None or c.value is None or not top:
            continue
        judged += 1
        holds += abs(t.value / top * 100 - c.value) <= c.half_unit + t.half_unit * 100 / top + 1e-9
    return holds, judged


def _by_arithmetic(found: Layout, figures: _Figures) -> Layout:
    if not found.criteria:
        return found
    free = [j for j in range(len(figures.columns)) if figures.numeric(j) and j not in found.criteria
            and j not in found.roles.values() and j not in (found.stt, found.unit)]
    if "total" not in found.roles:
        found = _total_by_sums(found, figures, free)
    elif not _share_at_least(_sum_holds(figures, found.criteria, found.roles["total"]), _HOLDS):
        found = _criteria_by_sums(found, figures, free)
    if "total" in found.roles and "converted" not in found.roles:
        found = _converted_by_ratio(found, figures, [j for j in free if j not in found.roles.values()])
    return found


def _share_at_least(counts: tuple[int, int], share: float) -> bool:
    holds, judged = counts
    return judged > 0 and holds >= share * judged


def _total_by_sums(found: Layout, figures: _Figures, free: Sequence[int]) -> Layout:
    """No heading names the total apart: a heading counted among the criteria whose printed maximum
    is the sum of the others' ("TỔNG ĐIỂM (100đ)" over groups of 18, 20, 12, 10, 18, 22), named the
    total or standing after them, where the sums hold on most rows; else the free column (or the
    last criterion) that the criteria add up to on nearly every row."""
    for j in _summing_maximum(found):
        criteria = [c for c in found.criteria if c != j]
        holds, judged = _sum_holds(figures, criteria, j)
        if not judged or holds >= _HOLDS * judged:
            return replace(found, criteria=criteria, roles={**found.roles, "total": j},
                           total_max=parse_max(found.labels[j]))
    candidates = [(j, found.criteria) for j in free] + [(j, [c for c in found.criteria if c != j])
                                                       for j in found.criteria[-1:]]
    for j, criteria in candidates:
        if criteria and _share_at_least(_sum_holds(figures, criteria, j), _CLEARLY):
            return replace(found, criteria=list(criteria), roles={**found.roles, "total": j},
                           unlabeled=[u for u in found.unlabeled if u != j])
    return found


def _summing_maximum(found: Layout) -> list[int]:
    """Criteria whose printed maximum is the sum of the other criteria's (at least three of them),
    and whose heading names the total or which stand after every other criterion."""
    maxima = {j: parse_max(found.labels[j]) for j in found.criteria}
    out = []
    for j, top in maxima.items():
        others = [m for k, m in maxima.items() if k != j]
        if top is None or len(others) < 3 or None in others or abs(sum(others) - top) > 1e-6:
            continue
        if role_of(fold(found.labels[j])) == "total" or j == max(maxima):
            out.append(j)
    return out


def _criteria_by_sums(found: Layout, figures: _Figures, free: Sequence[int]) -> Layout:
    """The named total is not the sum of the criteria on most rows: the criteria with one column
    left out, or one unlabeled column taken in, where that makes the sums hold."""
    total = found.roles["total"]
    variants = [([c for c in found.criteria if c != j], found.unlabeled + [j]) for j in found.criteria]
    variants += [(sorted(found.criteria + [j]), [u for u in found.unlabeled if u != j]) for j in free]
    for criteria, unlabeled in variants:
        if criteria and _share_at_least(_sum_holds(figures, criteria, total), _CLEARLY):
            return replace(found, criteria=criteria, unlabeled=sorted(unlabeled))
    return found


def _converted_by_ratio(found: Layout, figures: _Figures, free: Sequence[int]) -> Layout:
    """No heading names the converted score: a free column equal to total ÷ maximum × 100 on most rows."""
    for j in free:
        if _share_at_least(_converted_holds(figures, found, j), _CLEARLY):
            return replace(found, roles={**found.roles, "converted": j}, unlabeled=[u for u in found.unlabeled if u != j])
    return found
