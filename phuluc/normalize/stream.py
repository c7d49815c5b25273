"""Tables whose columns the layout lost (plain PDF-to-text): rows of printed cells placed with the
framework and the header.

The header says which summary columns a row prints (total, converted score, ĐTB CCVC, rank, the
changes against the previous period) and on which side of the criteria each stands (after them, or
before them where the totals come first); a row's figures (a change's signed "+2,5" among them) fill
those columns from either end and the criteria between. Where the header names its summaries before
any heading over the criteria, that may be only the order of its lines: the figures
decide, by where the criteria add up to the total. The row's words are the rating, and a note after
it where the header has a note column; where the rating closes the row, a figure after it is no cell
(a page's number under the last row).

Where fewer scores than criteria are printed, the blank criteria are the ones that make the
applicable maximum agree with the printed total and converted score (ties: the blanks leftmost). Where
more are printed, the figures every row prints after the criteria form unlabeled columns when the
criteria add up without them; a row's other extra leading whole numbers end its unit's name ("UBND
phường 8", whose figures start on the next line). A table that is no score table keeps its figures in
numbered columns, a percentage among them read as the ratio it is.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from phuluc.model import Criterion, Number, RawRow, RawTable, Row, ScoreTable
from phuluc.normalize import roles
from phuluc.normalize.frameworks import Framework, choose, frameworks
from phuluc.normalize.roles import Layout, Role
from phuluc.normalize.rows import formulas, number, on_hundred, ratios, section_name, typed_row
from phuluc.normalize.units import Match
from phuluc.vi import ratings
from phuluc.vi.numbers import is_figure, is_number, parse_max
from phuluc.vi.text import clean, fold

_MAXIMUM = re.compile(r"\(\d+(?:[.,]\d+)?\s*đ\)")
_LABEL = re.compile(roles.CRITERION.pattern + r"\d*", re.IGNORECASE)  # "Tiêu chí 12" whole
_BLOCK = re.compile(r"\bcác\s+(?:nhóm\s+)?(?:chỉ số|tiêu chí)")  # "ĐIỂM CÁC CHỈ SỐ" over the criteria
Slot = Role | Literal["criteria"]  # a column a header names; "criteria" for their whole block
_CHANGES: tuple[Slot, ...] = ("change", "rank_change")
_NUMERIC: tuple[Slot, ...] = ("criteria", "total", "converted", "avg_staff", "rank", *_CHANGES)
_HEADING_END = re.compile("(?:" + "|".join(re.escape(p) for _, phrases in roles.role_phrases() for p in phrases)
                          + r")\s*$")


@dataclass(frozen=True, slots=True)
class _Plan:
    """The columns a header names, in printed order: what it says of a row's cells."""

    order: tuple[Slot, ...]

    @property
    def before(self) -> tuple[Slot, ...]:
        """The figure columns printed before the criteria."""
        return tuple(s for s in self.order[:self.order.index("criteria")] if s in _NUMERIC)

    @property
    def after(self) -> tuple[Slot, ...]:
        """The figure columns printed after the criteria."""
        return tuple(s for s in self.order[self.order.index("criteria") + 1:] if s in _NUMERIC)

    @property
    def note(self) -> bool:
        return "note" in self.order

    @property
    def words_last(self) -> bool:
        """Whether the rating (or note) closes the row: no figure column is printed after it."""
        words = [k for k, s in enumerate(self.order) if s not in _NUMERIC]
        return bool(words) and all(s not in _NUMERIC for s in self.order[words[0]:])


@dataclass(frozen=True, slots=True)
class _Cells:
    """One row's cells by role: the printed scores (criteria and unlabeled columns) and the summary
    cells (total, converted, rating …); `raw` with the name as the row prints it."""

    raw: RawRow
    scores: tuple[str, ...]
    summary: dict[str, str]


def read(raw: RawTable, named: Sequence[Framework], match: Callable[[str], Match]) -> ScoreTable:
    """A stream table typed: a score table where its header names a framework's criteria and a
    summary column; `named` are the frameworks the document names, most likely first."""
    header = fold(" ".join(h.text for h in raw.header))
    framework = _framework(header, named)
    if framework is None or roles.role_of(header) is None:
        return _other(raw, header, match)
    criteria = tuple(Criterion(label=c.display, group=c.group, max=c.max, key=c.key) for c in framework.criteria)
    scored = [r for r in raw.rows if r.cells[2:]]
    plan = _changes_by_sums(_by_sums(_plan(header), scored, len(criteria)), scored, len(criteria))
    printed = [_closed(r) if plan.words_last else r for r in raw.rows]
    unlabeled = _unlabeled([r for r in printed if r.cells[2:]], plan, len(criteria))
    columns = len(plan.before) + len(criteria) + unlabeled + len(plan.after)
    rows, section = [], None
    for raw_row in printed:
        if not raw_row.cells[2:]:
            section = section_name(raw_row)
            continue
        cells = _cells(raw_row, plan, _name_figures(raw_row, columns))
        rows.append(_row(cells, criteria, unlabeled, section, framework, match))
    return ScoreTable(kind="scores", source="table", criteria=criteria, rows=tuple(rows), title=raw.title,
                      pages=raw.pages, unlabeled_columns=unlabeled, framework=framework.code, finder=raw.finder)


# ---------------------------------------------------------------- the header


def _framework(header: str, named: Sequence[Framework]) -> Framework | None:
    """The framework whose criteria maxima the header prints (in any order: a header broken over
    lines gives its rows one after another), or, where it prints none, whose count of criteria its
    labels number (chosen as for aligned tables); else the framework the text names when the header
    has criterion labels."""
    maxima = sorted(v for m in _criterion_maxima(header) if (v := parse_max(m.group(0))) is not None)
    labels = {m.group(0).split()[-1] for m in _LABEL.finditer(header)}
    fits = [f for f in frameworks() if sorted(f.maxima) == maxima] if maxima else \
        [f for f in frameworks() if labels and len(f.criteria) == len(labels)]
    return choose(fits, named, printed=bool(maxima)) or (named[0] if named and not maxima and labels else None)


def _criterion_maxima(header: str) -> list[re.Match[str]]:
    """The maxima the criteria headings print: "(5đ)", not the total's own "TỔNG ĐIỂM (100đ)"."""
    return [m for m in _MAXIMUM.finditer(header) if not _HEADING_END.search(header[:m.start()])]


def _plan(header: str) -> _Plan:
    """The columns in the order the header names them, the criteria where it begins naming them."""
    positions = _role_positions(header)
    headings: list[tuple[int, Slot]] = [(at, role) for role, at in positions.items()]
    headings += roles.change_headings(header, positions.values())
    return _Plan(tuple(slot for _, slot in sorted([*headings, (_criteria_start(header), "criteria")])))


def _by_sums(plan: _Plan, rows: Sequence[RawRow], width: int) -> _Plan:
    """The header's reading of the summary columns, unless the figures say otherwise: a header with
    no common heading over its criteria prints their labels on the line under the summary headings,
    so summaries named first may stand after the criteria; they do where the criteria add up to the
    total on more rows that way."""
    if not plan.before:
        return plan
    after = _Plan(("criteria", *(s for s in plan.order if s != "criteria")))
    return after if _adding_up(rows, after, width) > _adding_up(rows, plan, width) else plan


def _changes_by_sums(plan: _Plan, rows: Sequence[RawRow], width: int) -> _Plan:
    """The header's changes, unless the figures say it names one too many: where the words after a
    change heading name both points and places, a row prints both only if the criteria add up that way."""
    changes = [s for s in plan.order if s in _CHANGES]
    if len(changes) < 2:
        return plan
    fewer = [_Plan(tuple(s for s in plan.order if s != drop)) for drop in changes]
    return max([plan, *fewer], key=lambda p: _adding_up(rows, p, width))  # the header's reading on a tie


def _adding_up(rows: Sequence[RawRow], plan: _Plan, width: int, named: int = 0) -> int:
    """On how many rows the first `width` scores add up to the total, read by `plan` (after `named`
    figures that end the names)."""
    return sum(_adds_up(c.scores[:width], c.summary) for c in (_cells(r, plan, named) for r in rows))


def _criteria_start(header: str) -> int:
    """Where the header begins naming criteria: their common heading, a label, or a maximum; the
    start when it names none (criteria then come first)."""
    found = [m.start() for pattern in (_BLOCK, roles.CRITERION) if (m := pattern.search(header))]
    return min(found + [m.start() for m in _criterion_maxima(header)[:1]], default=-1)


def _role_positions(header: str) -> dict[Role, int]:
    """Where the header first names each summary role."""
    out: dict[Role, int] = {}
    for role, phrases in roles.role_phrases():
        hits = [at for p in phrases if (at := header.find(p)) >= 0]
        if hits:
            out[role] = min(hits)
    return out


# ---------------------------------------------------------------- one row's cells


def _closed(raw_row: RawRow) -> RawRow:
    """The row without the figures printed after its words, where the header puts no figure column
    after the rating: a page's number or a heading's figure caught under the last row."""
    tokens = raw_row.cells[2:]
    words = next((k for k, t in enumerate(tokens) if not is_figure(t)), len(tokens))
    return replace(raw_row, cells=(*raw_row.cells[:2 + words], *(t for t in tokens[words:] if not is_figure(t))))


def _cells(raw_row: RawRow, plan: _Plan, named: int = 0) -> _Cells:
    """A row's figures split into the summary columns at either end and the scores between (after the
    first `named` figures, which end the unit's name); its words into the rating and the note."""
    raw_row = _named(raw_row, named) if named else raw_row
    figures = _figures(raw_row)
    lead, rest = figures[:len(plan.before)], figures[len(plan.before):]
    cut = max(len(rest) - len(plan.after), 0)
    summary = dict(zip(plan.before, lead)) | dict(zip(plan.after, rest[cut:]))
    words = " ".join(t for t in raw_row.cells[2:] if not is_figure(t))
    return _Cells(raw_row, tuple(rest[:cut]), summary | _words(words, plan.note))


def _named(raw_row: RawRow, named: int) -> RawRow:
    """The row with its first `named` figures moved to the end of its name."""
    tokens = raw_row.cells[2:]
    moved = [k for k, t in enumerate(tokens) if is_number(t)][:named]
    name = clean(" ".join([raw_row.cells[1], *(tokens[k] for k in moved)]))
    return replace(raw_row, cells=(raw_row.cells[0], name, *(t for k, t in enumerate(tokens) if k not in moved)))


def _figures(raw_row: RawRow) -> list[str]:
    """A row's figures in print order ("-" among them: a criterion that does not apply)."""
    return [t for t in raw_row.cells[2:] if is_figure(t)]


def _words(words: str, note: bool) -> dict[str, str]:
    """A row's words: the rating (as printed, where no rating name opens them) and, where the header
    has a note column, the note after it."""
    parts = words.split()
    rated = max((k for k in range(1, len(parts) + 1) if ratings.canonical(" ".join(parts[:k]))), default=0)
    rating, rest = " ".join(parts[:rated]), " ".join(parts[rated:])
    if not note:
        return {"rating": rating or rest}
    return {"rating": rating, "note": rest}


def _unlabeled(rows: Sequence[RawRow], plan: _Plan, width: int) -> int:
    """The score columns past the criteria that every row prints and the sums leave out. Of the
    figures every row prints beyond its columns, some may end the names ("Phường 6") and the others
    stand after the criteria: the split whose criteria add up to the total on the most rows (the
    fewest unlabeled columns on a tie, none where no split adds up)."""
    extra = min((len(_figures(r)) - len(plan.before) - len(plan.after) - width for r in rows), default=0)
    if extra <= 0:
        return 0
    holds = {named: _adding_up(rows, plan, width, named) for named in range(extra + 1)}
    best = max(holds, key=lambda named: (holds[named], named))
    return extra - best if holds[best] else 0


def _adds_up(scores: Sequence[str], summary: dict[str, str]) -> bool:
    """Whether printed scores add up to the printed total, within the rounding of their digits."""
    values = [n for s in scores if (n := number(s)) is not None and n.value is not None]
    total = number(summary.get("total", ""))
    if total is None or total.value is None or not values:
        return False
    slack = sum(v.half_unit for v in values) + total.half_unit + 1e-9
    return abs(sum(v.value for v in values) - total.value) <= slack


def _name_figures(raw_row: RawRow, columns: int) -> int:
    """How many figures a row prints beyond the table's `columns` before its own, as whole numbers:
    the end of its unit's name."""
    figures = _figures(raw_row)
    extra = max(len(figures) - columns, 0)
    return next((k for k in range(extra) if not figures[k].isdigit()), extra)


def _row(cells: _Cells, criteria: Sequence[Criterion], unlabeled: int, section: str | None, framework: Framework,
         match: Callable[[str], Match]) -> Row:
    scores = cells.scores[:len(cells.scores) - unlabeled] if unlabeled else cells.scores
    values = _place(scores, criteria, cells.summary)
    row = typed_row(cells.raw, Layout(stt=0, unit=1), values, criteria, section, framework.total_max, match,
                    cells.summary, on_hundred=on_hundred(framework))
    extra = tuple(n for s in cells.scores[len(scores):] if (n := number(s)) is not None)
    return replace(row, unlabeled=extra) if extra else row


def _place(tokens: Sequence[str], criteria: Sequence[Criterion], summary: dict[str, str]) -> tuple[Number, ...]:
    """The printed scores in the criteria: in order when each criterion has one; else in the criteria
    whose maxima add up to the row's applicable maximum (the printed one, else total ÷ converted ×
    100), each score within its criterion's maximum."""
    if len(tokens) >= len(criteria):
        return tuple(number(t, c.max) or Number(None, t) for t, c in zip(tokens, criteria))
    target = _applicable_max(summary)
    maxima = [c.max or 0.0 for c in criteria]
    choices = []
    for filled in itertools.combinations(range(len(criteria)), len(tokens)):
        nums = [number(t, maxima[k]) for t, k in zip(tokens, filled)]
        if any(n is None or (n.value is not None and n.value > maxima[k] + 1e-9) for n, k in zip(nums, filled)):
            continue
        miss = abs(sum(maxima[k] for k in filled) - target) if target else 0.0
        blanks = tuple(k for k in range(len(criteria)) if k not in filled)
        choices.append((round(miss, 6), blanks, filled))
    filled = min(choices)[2] if choices else tuple(range(len(tokens)))
    placed = dict(zip(filled, tokens))
    return tuple(number(placed[k], maxima[k]) or Number(None, placed[k]) if k in placed else Number(None, "")
                 for k in range(len(criteria)))


def _applicable_max(summary: dict[str, str]) -> float | None:
    """The maximum of the criteria that apply to a row: the printed "55/70", else total ÷ converted × 100."""
    total = number(summary.get("total", ""))
    converted = number(summary.get("converted", ""), 100.0)
    if total and total.denominator:
        return total.denominator
    if total and converted and total.value and converted.value:
        return total.value / converted.value * 100
    return None


# ---------------------------------------------------------------- tables that are not score tables


def _other(raw: RawTable, header: str, match: Callable[[str], Match]) -> ScoreTable:
    """Any other table: its figures in columns "Cột 1" … (the header's numbering "(1) (2) (3)=(2)/(1)"
    where it numbers every column), a row's figures from the first column on."""
    numbering = re.findall(r"\(\d+\)(?:\s*=\s*\(\d+\)\s*[+\-/:x×*]\s*\(\d+\)(?:\s*[+\-]\s*\(\d+\))*)?", header)
    printed = Counter(len(r.cells) - 2 for r in raw.rows if r.cells[2:])
    common = printed.most_common(1)[0][0] if printed else 0
    named = [_named(r, _name_figures(r, common)) for r in raw.rows if r.cells[2:]]
    width = max((len(r.cells) - 2 for r in named), default=0)
    labels = [clean(n) for n in numbering] if len(numbering) == width else [f"Cột {k + 1}" for k in range(width)]
    criteria = tuple(Criterion(label=label) for label in labels)
    layout = Layout(stt=0, unit=1)
    rows = []
    for raw_row in named:
        tokens = raw_row.cells[2:]
        values = tuple(number(t) or Number(None, t) for t in tokens) + tuple(
            Number(None, "") for _ in range(width - len(tokens)))
        rows.append(typed_row(raw_row, layout, values, criteria, None, None, match, {}))
    return ScoreTable(kind="other", source="table", criteria=criteria, rows=tuple(rows), title=raw.title,
                      pages=raw.pages, formulas=formulas(labels) or ratios(rows, width), finder=raw.finder)
