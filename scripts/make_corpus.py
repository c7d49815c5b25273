"""Synthetic appendix reports in every format, each with its truth: the test bed of table reading.

    python scripts/make_corpus.py --out /tmp/corpus --count 20 --seed 1 --formats text,pdf,md,docx,xlsx
    python ../shared/tools/score.py /tmp/corpus --jobs 1

writes `count` reports, the formats in turn (default: all of FORMATS), each FILE with FILE.truth.json beside it.

A `Spec` describes one report: its issuer (a unit of the register shipped with phuluc — a district with its
communes, a province with its departments and districts, a post-2025 province with its current wards, or a
commune for a 766 prose report), period, number and date, framework (459/QĐ-UBND, 1187/QĐ-UBND, 766/QĐ-TTg),
its appendix tables with every printed figure, what the body states about the ratings, the layout, and the
findings planted in it. `draw_spec(seed, Options(...))` draws one from `random.Random`, the options fixing
what a caller wants and everything else drawn. `render(spec, fmt, folder)` writes it:

    pdf          reportlab + DejaVu: a portrait body, the appendix on landscape (or portrait) pages; rules as
                 a full grid, horizontal lines only, lines around the header only, or none
    text         `pdftotext -layout` of that PDF
    stream       line-broken text as converters give it (each printed line a paragraph, cells one after
                 another): a .txt file whose truth format is "text", like the `pdftotext -layout` one
    md           Markdown with tab-separated table rows, a merged header cell printed once
    docx         python-docx: merged header cells, a landscape (or portrait) section per appendix table
    xlsx         openpyxl: the appendix only, a caption row, merged header cells, numeric cells
    html         a page saved from a provincial portal: menus and the report in nested layout tables, the
                 appendix with rowspan/colspan, UTF-8 or windows-1258, sometimes the heading in the title only
    pdf-scanned  the PDF's pages as 200-dpi images, slightly skewed, blurred and noisy, one page maybe turned 90°

and `truth(spec, fmt, file)` is what `phuluc extract FILE --json` must print, in the shape of the fixtures'
truth files and by the conventions of shared/fixtures/README.md. The findings of the truth are computed from
the printed figures by those conventions (`findings`), and `draw_spec` checks that they are exactly the
planted ones, so a planted finding never hides another and a clean report raises none.
"""

from __future__ import annotations

import argparse
import datetime
import functools
import hashlib
import json
import random
import re
import shutil
import subprocess
import tempfile
import textwrap
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from importlib.resources import files
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from phuluc import periods
from phuluc.normalize.units import Register, Unit

LEGACY, CURRENT = "legacy", "current"
AGENCY = "cơ quan"
FORMATS = ("pdf", "text", "stream", "md", "docx", "xlsx", "html", "pdf-scanned")
TRUTH_FORMAT = {"stream": "text"}  # the format name a truth file gives; the others are their own
EXTENSION = {"pdf": ".pdf", "text": ".txt", "stream": ".txt", "md": ".md", "docx": ".docx", "xlsx": ".xlsx",
             "html": ".html",
             "pdf-scanned": "_scan.pdf"}
ISSUERS = ("district", "province", "province-2025", "commune")
FRAMEWORKS = {"district": ("459", "1187", "766"), "province": ("1187",), "province-2025": ("459", "766"),
              "commune": ("766",)}
RULES = ("grid", "horizontal", "header", "none")
EXTRAS = ("rank", "note", "totals_first", "numbering")
# a published ranking's columns, only where asked (never drawn, so that drawn reports stay as they were): the
# rank printed "k/N", the change in points and in places against the previous period
RANKING = ("rank_of", "change", "rank_change")
SEVERITY = {"MISSING_UNIT": "warning", "UNKNOWN_UNIT": "warning", "MISSING_APPENDIX": "warning",
            "UNLABELED_COLUMN": "warning", "ORDER_MISMATCH": "warning"}
# Findings a test or a corpus may ask to plant; UNLABELED_COLUMN and MISSING_APPENDIX come with their layouts.
PLANTS = ("SUM_MISMATCH", "CONVERTED_MISMATCH", "RATING_MISMATCH", "OVER_MAX", "MAX_MISMATCH", "MISSING_UNIT",
          "DUPLICATE_UNIT", "UNKNOWN_UNIT", "ORDER_MISMATCH", "SUMMARY_COUNT_MISMATCH", "SUMMARY_UNIT_MISMATCH",
          "FORMULA_MISMATCH", "TOTAL_ROW_MISMATCH")
FRAMEWORK_FILES = {"459": "459-qd-ubnd.yaml", "1187": "1187-qd-ubnd.yaml", "766": "766-qd-ttg.yaml"}
# 1187/QĐ-UBND publishes only "Xuất sắc from 15"; its reports print Tốt down to 12 and Đạt below (README).
PRINTED_BELOW = {"1187": ((12.0, "Tốt"), (0.0, "Đạt"))}
ABBREVIATIONS = {"Xuất sắc": "XS", "Trung bình": "TB"}
# agencies.yaml does not say which departments are scored: the provincial office scores, Sở Du lịch and
# Sở Quy hoạch - Kiến trúc exist in a few provinces, and NĐ 45/2025 created the last two after 1187's years.
NOT_SCORED = frozenset({"Văn phòng UBND tỉnh", "Sở Du lịch", "Sở Quy hoạch - Kiến trúc",
                        "Sở Nông nghiệp và Môi trường", "Sở Dân tộc và Tôn giáo"})
ROMAN = ("", "I", "II", "III", "IV", "V")
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Lò", "Giàng", "Hà", "Y")
MIDDLES = ("Văn", "Thị", "Minh", "Đức", "Quốc", "Thanh", "Hữu", "Ngọc", "Xuân", "A")
GIVENS = ("An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Hạnh", "Khoa", "Lan", "Long", "Nam", "Phong", "Quân",
          "Sơn", "Tâm", "Thắng", "Trung", "Tuấn", "Vinh", "Yến")


class Unplantable(Exception):
    """The drawn table has no row a planted finding can go to: draw another."""


# ---------------------------------------------------------------- small helpers


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Comparison key: NFC, case folded, whitespace collapsed."""
    return " ".join(nfc(text).split()).casefold()


def two(n: int) -> str:
    return f"{n:02d}"


def draw(rng: random.Random, weights: dict[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


# ---------------------------------------------------------------- numbers


@dataclass(frozen=True)
class Num:
    """A number as printed: the value shown and its decimals ("5,0" is 5.0 with one decimal)."""

    value: float
    decimals: int = 0

    @classmethod
    def exact(cls, x: float, most: int = 2) -> Num:
        """x with as few decimals as it needs; a value needing more than `most` keeps `most` (zeros too), so a
        rounded figure never reads as exact ("85,00" for 84,9962, not "85")."""
        r = round(x, most)
        if abs(x - r) > 1e-9:
            return cls(r, most)
        d = next(d for d in range(most + 1) if abs(r - round(r, d)) < 1e-9)
        return cls(round(r, d), d)

    @classmethod
    def fixed(cls, x: float, decimals: int) -> Num:
        return cls(round(x, decimals), decimals)

    @property
    def half(self) -> float:
        """Half a unit of the last printed digit; a number printed without decimals counts as exact."""
        return 0.5 * 10.0 ** -self.decimals if self.decimals else 0.0

    def text(self, thousands: bool = False) -> str:
        """Vietnamese print: decimal comma, thousands dots where asked ("1.527", "66,9")."""
        whole, _, frac = f"{self.value:.{self.decimals}f}".partition(".")
        if thousands:
            whole = f"{int(whole):,}".replace(",", ".")
        return whole + ("," + frac if frac else "")


def value(n: Num | None) -> float:
    return 0.0 if n is None else n.value


# ---------------------------------------------------------------- frameworks, register, departments


@dataclass(frozen=True)
class Criterion:
    """A scored column as the truth names it: the printed label, the framework's group, the maximum."""

    label: str
    group: str | None
    max: float | None


@dataclass(frozen=True)
class Framework:
    """A framework of config/frameworks: criteria by group, the published bands, what the rating is read on."""

    key: str
    code: str
    groups: tuple[tuple[str | None, tuple[tuple[str, float], ...]], ...]
    bands: tuple[tuple[float, str], ...]  # published lower bounds, best first
    on: str  # "converted" | "total"

    @property
    def maxima(self) -> tuple[float, ...]:
        return tuple(top for _, crits in self.groups for _, top in crits)

    def published(self, score: float) -> str | None:
        """The published band of a score; None below every published bound (1187 under 15)."""
        return next((rating for low, rating in self.bands if score >= low), None)

    def printed(self, score: float) -> str:
        """The rating a report prints for a score: the published bands, then what reports print below them."""
        return next(rating for low, rating in (*self.bands, *PRINTED_BELOW.get(self.key, ())) if score >= low)

    @property
    def ratings(self) -> tuple[str, ...]:
        return tuple(r for _, r in (*self.bands, *PRINTED_BELOW.get(self.key, ())))


@functools.cache
def framework(key: str) -> Framework:
    text = (files("phuluc.config") / "frameworks" / FRAMEWORK_FILES[key]).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    groups = tuple((g["name"], tuple((c["label"], float(c["max"])) for c in g["criteria"])) for g in data["groups"])
    bands = tuple((float(b["min"]), b["rating"]) for b in data["bands"] if b["min"] is not None)
    return Framework(key, data["code"], groups, bands, data["rating_on"])


def criteria(fw: Framework, prose: bool = False) -> tuple[Criterion, ...]:
    """The criteria as a table prints them: 459 "Chỉ số 1 (5đ)" in its group, a lone criterion with its maximum
    and no group ("Tiến độ, KQ giải quyết (30đ)"); 1187 "Tiêu chí 1"; 766 its groups flat ("Số hóa hồ sơ (22đ)");
    a prose report the framework's own labels."""
    out = []
    for group, crits in fw.groups:
        for label, top in crits:
            text = label if prose or fw.key == "1187" else f"{label} ({top:g}đ)"
            out.append(Criterion(text, group if fw.key == "459" and len(crits) > 1 else None, top))
    return tuple(out)


@functools.cache
def register() -> Register:
    return Register.load()


def provinces(era: str) -> tuple[Unit, ...]:
    return tuple(u for n in range(1, 100) if (u := register().get(two(n), era)))


def children(unit: Unit) -> tuple[Unit, ...]:
    return register().children(unit.code, unit.era)


def bare(unit: Unit) -> str:
    """The name without its kind ("Huyện Tủa Chùa" → "Tủa Chùa"); a department keeps its name."""
    if unit.level == "agency":
        return unit.name
    return " ".join(unit.name.split()[len(unit.kind.split()):])


def named(unit: Unit) -> str:
    """How sentences name a unit: "huyện Tủa Chùa", "thị trấn Tủa Chùa"."""
    return unit.name if unit.level == "agency" else f"{unit.kind} {bare(unit)}"


def ubnd(unit: Unit) -> str:
    """How tables name a People's Committee: "UBND thị trấn Tủa Chùa"; a department by its name."""
    return unit.name if unit.level == "agency" else f"UBND {named(unit)}"


def kinds_phrase(units: Iterable[Unit | None]) -> str:
    """ "xã, thị trấn" for the kinds present, in the order reports name them."""
    present = {u.kind for u in units if u is not None}
    order = ("xã", "phường", "thị trấn", "đặc khu", "quận", "huyện", "thị xã", "thành phố")
    return ", ".join(k for k in order if k in present)


@functools.cache
def registered_keys() -> frozenset[str]:
    """The folded bare name of every unit of both registers: a planted typo must not spell another unit."""
    keys: set[str] = set()
    for era in (LEGACY, CURRENT):
        todo = list(provinces(era))
        while todo:
            unit = todo.pop()
            keys.add(fold(bare(unit)))
            todo.extend(children(unit))
    return frozenset(keys)


@functools.cache
def departments(province: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(canonical name, printed aliases) of the departments a province scores, from config/agencies.yaml; the
    shortest aliases ("Sở TC") are left out: reports spell at least the field."""
    data = yaml.safe_load((files("phuluc.config") / "agencies.yaml").read_text(encoding="utf-8"))
    return tuple((a["name"], tuple(x for x in a.get("aliases") or () if len(x) >= 8))
                 for a in data["agencies"]
                 if a["name"] not in NOT_SCORED and province in a.get("provinces", [province]))


def agency(name: str, province: Unit) -> Unit:
    return Unit(None, name, AGENCY, "agency", province.code, province.era)


# ---------------------------------------------------------------- the spec


@dataclass(frozen=True)
class Period:
    year: int
    month: int | None = None
    quarter: int | None = None
    half: int | None = None
    week: int | None = None  # ISO week

    @property
    def code(self) -> str:
        if self.week:
            return f"{self.year}-W{two(self.week)}"
        if self.month:
            return f"{self.year}-{two(self.month)}"
        if self.quarter:
            return f"{self.year}-Q{self.quarter}"
        return f"{self.year}-H{self.half}" if self.half else str(self.year)

    @property
    def last_month(self) -> int:
        if self.week:
            return datetime.date.fromisocalendar(self.year, self.week, 7).month
        return self.month or (3 * self.quarter if self.quarter else 6 * self.half if self.half else 12)


@dataclass(frozen=True)
class Row:
    """One printed line of a table and what it stands for."""

    key: int  # identity while rows move (sorting, planting)
    printed: str  # unit_raw: the name as printed, NFC, on one line
    unit: Unit | None  # register unit or department; None for an office or a name outside the scope
    values: tuple[Num | None, ...]
    total: Num | None = None
    top: float | None = None  # the printed maximum of "55/70"
    converted: Num | None = None
    rating: str | None = None  # full name
    avg_staff: Num | None = None
    unlabeled: tuple[Num, ...] = ()
    noise: tuple[str, ...] = ()
    section: str | None = None
    stt: str | None = None
    rank: str | None = None
    change: Num | None = None  # points against the previous period
    rank_change: int | None = None  # places against the previous period
    note: str | None = None
    shown: tuple[tuple[int, str], ...] = ()  # value index → a print other than the number's ("64.27%")
    total_row: bool = False
    split: int | None = None  # docx, xlsx, stream: the name breaks after this many words


@dataclass(frozen=True)
class Column:
    """A printed column: its role, its header labels top to bottom, and how it prints."""

    role: str  # stt | name | value | unlabeled | total | converted | rating | avg_staff | rank | change | rank_change | note
    path: tuple[str, ...]
    index: int = 0  # value or unlabeled index
    stretch: float = 1.0  # PDF: width over the natural width
    money: bool = False  # thousands dots, "-" for zero
    additive: bool = False  # other tables: a total row sums it
    formula: str | None = None  # other tables: "(3)=(2)/(1)"


@dataclass(frozen=True)
class Table:
    kind: str  # "scores" | "other"
    label: str  # "Phụ lục", "Biểu số 01"
    title: str  # the bold heading under the label
    columns: tuple[Column, ...]
    criteria: tuple[Criterion, ...]
    rows: tuple[Row, ...]
    maxima: tuple[float, ...] = ()
    sections: tuple[tuple[str, str], ...] = ()  # (numeral or "", heading) in order
    sorted: bool = False
    abbreviate: bool = False
    note: str | None = None
    numbering: bool = False  # a "(1) (2) …" row under the header

    def applicable(self, row: Row) -> float:
        return sum(m for v, m in zip(row.values, self.maxima) if v is not None)

    def total_max(self, row: Row) -> float:
        """The printed maximum of "55/70", else the applicable maxima (README)."""
        return row.top if row.top is not None else self.applicable(row)

    @property
    def score_rows(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if not r.total_row)


@dataclass(frozen=True)
class Statement:
    """One sentence of results in the body: counts per rating, and the units it names under each."""

    scope: str  # who it covers, as printed ("UBND các xã, thị trấn")
    section: str | None  # the table section it counts; None: every row
    counts: tuple[tuple[str, int], ...]  # (rating, stated count) in printed order
    listed: tuple[tuple[str, tuple[Row, ...]], ...] = ()  # (rating, rows named under it): list style
    of: int | None = None  # "07/12 đơn vị"


@dataclass(frozen=True)
class Layout:
    """How the report is printed (PDF geometry, marks, scan defects)."""

    orientation: str = "landscape"
    rules: str = "grid"
    repeat_header: bool = True
    font_size: float = 8.0
    tight: bool = False  # columns as narrow as their text, the table not stretched to the page
    pad: float = 2.5  # horizontal cell padding
    row_pad: float = 2.0  # vertical cell padding
    align: str = "center"  # numbers
    na: str = "-"  # what a criterion that does not apply prints
    issuer_on_appendix: bool = False  # the issuer block above the appendix title
    fill: float = 1.0  # share of the page width a table may take
    md_bold: bool = False  # Markdown: <b> around section rows and totals
    turn: bool = False  # pdf-scanned: the first appendix page scanned sideways
    skew: float = 0.0  # pdf-scanned: degrees
    blur: bool = False
    grain: float = 5.0  # pdf-scanned: noise sigma


@dataclass(frozen=True)
class Spec:
    """One report: what it says (metadata, tables, body statements) and how it is printed."""

    seed: int
    issuer: Unit
    province: Unit
    kind: str  # one of ISSUERS
    framework: Framework
    period: Period
    period_words: str  # "tháng 4 năm 2023", as every title and sentence prints it
    number: int | None
    signed: tuple[int | None, int, int]  # (day or None when left blank, month, year)
    caption_blank: bool  # the appendix caption leaves number and day blank
    signer: str
    deputy: bool  # signed "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    tables: tuple[Table, ...]
    prose: Row | None  # a 766 commune report: the scores its sentences state
    statements: tuple[Statement, ...]
    appendix_missing: bool
    layout: Layout
    options: Options
    planted: tuple[tuple[str, str | None], ...]
    cites_766: bool  # a 459 report that also cites 766/QĐ-TTg

    @property
    def scores(self) -> Table | None:
        return next((t for t in self.tables if t.kind == "scores"), None)


@dataclass(frozen=True)
class Options:
    """What a caller fixes about a report; every field left None is drawn."""

    issuer: str | None = None  # district | province | province-2025 | commune (766 prose)
    framework: str | None = None  # 459 | 1187 | 766
    appendix: bool | None = None  # True: an appendix table; False: the body cites one the file does not hold
    orientation: str | None = None  # landscape | portrait (narrow wrapped columns)
    rules: str | None = None  # grid | horizontal | header | none
    long: bool | None = None  # enough rows, and tall enough, to run over pages
    repeat_header: bool | None = None  # header rows repeated on a continuation page
    sections: str | None = None  # none | heading (one "UBND CÁC XÃ" row) | numbered (I, II …)
    extras: tuple[str, ...] | None = None  # of EXTRAS: Xếp hạng, Ghi chú, totals before criteria, (1) (2) row;
    # and of RANKING (only where given): the rank "k/N", "So với kỳ trước" in points and in places
    weekly: bool | None = None  # a weekly report ("tuần 03/2024"), only where given
    avg_staff: bool | None = None  # 1187: the ĐTB CCVC column
    unlabeled: bool | None = None  # 459: one score column without a header
    other_tables: bool | None = None  # 459 district: fees and digitisation tables after the scores
    fraction: bool | None = None  # 459: totals printed "55/70"
    rounded: bool | None = None  # 459: fixed decimals, totals from unrounded values
    blank_na: bool | None = None  # 459: a criterion that does not apply left blank instead of "-"
    abbreviations: bool | None = None  # ratings XS / TB
    noise: bool | None = None  # noisy unit names: typos, capitals, old tones, no "UBND", abbreviations
    sorted: bool | None = None  # rows sorted by score
    summary: str | None = None  # list | count | none: how the body states the results
    tight: bool | None = None  # columns as narrow as their text: one-space gaps in `pdftotext -layout`
    turn: bool | None = None  # pdf-scanned: one appendix page scanned sideways
    plant: tuple[str, ...] | None = None  # findings to plant, of PLANTS; None: drawn
    unit: str | None = None  # the issuer's register code, in its kind's register ("096", Mường Nhé)
    period: str | None = None  # the period reported on ("2025-05"), as phuluc writes it


# ---------------------------------------------------------------- resolving the options


def _need(ok: bool, why: str) -> None:
    if not ok:
        raise ValueError(why)


def resolve(rng: random.Random, o: Options) -> Options:
    """Every option set: the given ones checked against each other, the others drawn where they fit."""
    _need(o.issuer in (None, *ISSUERS), f"unknown issuer kind {o.issuer!r}")
    fits = [k for k in ISSUERS if o.framework in (None, *FRAMEWORKS[k]) and (k != "commune" or o.appendix is None)]
    issuer = o.issuer or draw(rng, {k: w for k, w in zip(ISSUERS, (6, 2, 1.5, 1.2)) if k in fits})
    _need(o.framework in (None, *FRAMEWORKS[issuer]), f"a {issuer} report does not use {o.framework}")
    fw = o.framework or draw(rng, {k: {"459": 5, "1187": 2, "766": 1.5}[k] for k in FRAMEWORKS[issuer]})
    table = issuer != "commune"
    is459 = fw == "459"

    def flag(name: str, p: float, allowed: bool = True) -> bool:
        given = getattr(o, name)
        _need(not given or allowed, f"{name} is not possible in a {issuer} {fw} report")
        return given if given is not None else allowed and rng.random() < p

    def pick(name: str, weights: dict[str, float]) -> str:
        given = getattr(o, name)
        _need(given in (None, *weights), f"{name}={given!r} is not possible in a {issuer} {fw} report")
        return given or draw(rng, weights)

    _need(table or o.appendix is None, "a 766 commune report states its scores in prose: no appendix")
    needs_table = bool(o.other_tables or o.unlabeled or o.turn or o.plant)  # asked for what only a table has
    appendix = flag("appendix", 1.0 if needs_table else 0.93) if table else True
    extras = o.extras if o.extras is not None else tuple(e for e in EXTRAS if rng.random() < 0.06)
    _need(set(extras) <= set(EXTRAS + RANKING), f"unknown extras {extras}")
    _need("rank" in extras or not set(extras) & {"rank_of", "rank_change"}, "a rank's N and change need the rank")
    sections = pick("sections", {"none": 2, "heading": 1.5, "numbered": 1.5} if issuer != "province"
                    else {"numbered": 5, "none": 1})
    c = replace(
        o, issuer=issuer, framework=fw, appendix=appendix,
        orientation=pick("orientation", {"landscape": 4, "portrait": 1}),
        rules=pick("rules", dict(zip(RULES, (6, 1.5, 1.5, 1)))),
        long=flag("long", 0.25), repeat_header=flag("repeat_header", 0.6), sections=sections, extras=extras,
        avg_staff=flag("avg_staff", 0.85, fw == "1187"), unlabeled=flag("unlabeled", 0.1, is459),
        other_tables=flag("other_tables", 0.15, is459 and issuer == "district" and appendix),
        fraction=flag("fraction", 0.4, is459), rounded=flag("rounded", 0.3, is459),
        blank_na=flag("blank_na", 0.3, is459), abbreviations=flag("abbreviations", 0.25, table),
        noise=flag("noise", 0.6), sorted=flag("sorted", 0.7, table), tight=flag("tight", 0.3),
        turn=flag("turn", 0.3, table and appendix), weekly=bool(o.weekly),
    )
    return _resolve_findings(rng, o, c)


def _resolve_findings(rng: random.Random, o: Options, c: Options) -> Options:
    """The summary style and the plants, which constrain each other: a body that counts units cannot be read
    against a table with a duplicate or an unregistered row without guessing what it counted."""
    asked = set(o.plant or ())
    _need(asked <= set(PLANTS), f"unknown findings {asked - set(PLANTS)}")
    uncountable = asked & {"DUPLICATE_UNIT", "UNKNOWN_UNIT"}
    if c.issuer == "commune":
        summary = "none"
    elif o.summary is not None:
        summary = o.summary
    elif "SUMMARY_UNIT_MISMATCH" in asked:
        summary = "list"
    elif "SUMMARY_COUNT_MISMATCH" in asked or not c.appendix:
        summary = draw(rng, {"list": 1, "count": 1.5})
    else:
        summary = "none" if uncountable else draw(rng, {"list": 1, "count": 1.3, "none": 0.6})
    _need(summary in ("list", "count", "none"), f"unknown summary {summary!r}")
    _need(not (uncountable and summary != "none"), f"{sorted(uncountable)} need a body without counts")
    c = replace(c, summary=summary)
    possible = plantable(c)
    if o.plant is not None:
        _need(asked <= set(possible), f"cannot plant {sorted(asked - set(possible))} in {c}")
        return replace(c, plant=tuple(o.plant))
    if summary != "none":
        possible = tuple(p for p in possible if p not in ("DUPLICATE_UNIT", "UNKNOWN_UNIT"))
    k = min(len(possible), rng.choices((0, 1, 2, 3), (3, 3.5, 2.5, 1))[0])
    return replace(c, plant=tuple(rng.sample(possible, k)))


def plantable(c: Options) -> tuple[str, ...]:
    """The findings a report of these (resolved) options can carry."""
    if c.issuer == "commune":
        return ("SUM_MISMATCH", "RATING_MISMATCH")
    if not c.appendix:
        return ()
    rules = ["SUM_MISMATCH", "RATING_MISMATCH", "OVER_MAX", "MISSING_UNIT", "DUPLICATE_UNIT", "UNKNOWN_UNIT"]
    rules += ["CONVERTED_MISMATCH"] if c.framework == "459" else []
    rules += ["MAX_MISMATCH"] if c.fraction else []
    rules += ["ORDER_MISMATCH"] if c.sorted else []
    rules += ["SUMMARY_COUNT_MISMATCH"] if c.summary != "none" else []
    rules += ["SUMMARY_UNIT_MISMATCH"] if c.summary == "list" else []
    rules += ["FORMULA_MISMATCH", "TOTAL_ROW_MISMATCH"] if c.other_tables else []
    return tuple(rules)


# ---------------------------------------------------------------- drawing: issuer, period, names


def draw_issuer(rng: random.Random, kind: str, long: bool, code: str | None = None) -> Unit:
    """A register unit of this kind with a table of a fitting size (a long one runs over pages), or the
    one of that `code`."""
    if code is not None:
        unit = register().get(code, CURRENT if kind == "province-2025" else LEGACY)
        _need(unit is not None, f"no {kind} has the code {code!r}")
        return unit
    if kind == "province-2025":
        return rng.choice([p for p in provinces(CURRENT) if len(children(p)) <= (90 if long else 66)])
    if kind == "province":
        return rng.choice([p for p in provinces(LEGACY) if (7 if long else 5) <= len(children(p)) <= 13])
    low, high = (20, 32) if long else (5, 16)
    while True:
        districts = [d for d in children(rng.choice(provinces(LEGACY))) if low <= len(children(d)) <= high]
        if districts:
            district = rng.choice(districts)
            return rng.choice(children(district)) if kind == "commune" else district


def draw_period(rng: random.Random, fw: str, era: str, code: str | None = None,
                weekly: bool = False) -> tuple[Period, str]:
    """A period the framework and register were in force for, or the one `code` writes, and how the
    report words it; `weekly`: a week of the month drawn, as the provinces' weekly results number it
    ("tuần 03/2024")."""
    first, last = {"459": (2023 * 12 + 3, 2025 * 12 + 5), "766": (2022 * 12 + 7, 2025 * 12 + 5),
                   "1187": (2020 * 12, 2024 * 12 + 11)}[fw]
    if era == CURRENT:
        first, last = 2025 * 12 + 6, 2026 * 12 + 8
    weights = {"month": 8, "quarter": 1.5, "half": 1} if fw != "1187" else {"year": 3, "quarter": 2}
    while code is None:
        kind = draw(rng, weights)
        at = rng.randint(first, last)
        year, month = divmod(at, 12)
        month += 1
        span = {"month": (month, month), "quarter": (3 * ((month - 1) // 3) + 1, 3 * ((month - 1) // 3) + 3),
                "half": (1, 6) if month <= 6 else (7, 12), "year": (1, 12)}[kind]
        if first <= year * 12 + span[0] - 1 and year * 12 + span[1] - 1 <= last:
            break
    if code is not None:
        given = periods.Period.parse(code)
        _need(given.kind is not periods.Kind.WEEK, f"a week is drawn with weekly=True, not given ({code})")
        kind, year, month = given.kind.value, given.year, given.end.month
    if weekly:
        iso_year, week, _ = datetime.date(year, month, rng.randint(1, 28)).isocalendar()
        words = rng.choice((f"tuần {two(week)}/{iso_year}", f"tuần {week} năm {iso_year}", f"Tuần {two(week)} năm {iso_year}"))
        return Period(iso_year, week=week), words
    if kind == "month":
        return Period(year, month=month), f"tháng {two(month) if rng.random() < 0.4 else month} năm {year}"
    if kind == "quarter":
        q = (month - 1) // 3 + 1
        return Period(year, quarter=q), f"{rng.choice(('Quý', 'quý'))} {ROMAN[q]} năm {year}"
    if kind == "half":
        h = 1 if month <= 6 else 2
        return Period(year, half=h), f"6 tháng {'đầu' if h == 1 else 'cuối'} năm {year}"
    return Period(year), f"năm {year}"


OLD_TONES = {"òa": "oà", "óa": "oá", "ỏa": "oả", "õa": "oã", "ọa": "oạ", "òe": "oè", "óe": "oé", "ỏe": "oẻ",
             "õe": "oẽ", "ọe": "oẹ", "ùy": "uỳ", "úy": "uý", "ủy": "uỷ", "ũy": "uỹ", "ụy": "uỵ"}
_OPEN = re.compile(r"(?<![qQ])(" + "|".join(OLD_TONES) + r")(?=\s|$)")
TYPOS = {"h": "b", "g": "q", "n": "u", "m": "rn", "l": "I", "c": "e", "i": "l", "u": "n", "o": "ô", "y": "v"}
KIND_ABBREVIATIONS = {"thị trấn": "TT", "thành phố": "TP", "thị xã": "TX"}


def _no_ubnd(rng: random.Random, unit: Unit, base: str, siblings: Sequence[str]) -> str | None:
    if unit.level == "agency":
        return None
    return named(unit) if rng.random() < 0.6 else unit.name


def _caps(rng: random.Random, unit: Unit, base: str, siblings: Sequence[str]) -> str | None:
    return base.upper() if unit.level != "agency" or rng.random() < 0.5 else None


def _old_tone(rng: random.Random, unit: Unit, base: str, siblings: Sequence[str]) -> str | None:
    text = _OPEN.sub(lambda m: OLD_TONES[m.group(1)], base)
    return text if text != base else None


def _abbrev(rng: random.Random, unit: Unit, base: str, siblings: Sequence[str]) -> str | None:
    if unit.level == "agency":
        aliases = dict(departments(unit.parent)).get(unit.name, ())
        return rng.choice(aliases) if aliases else None
    short = KIND_ABBREVIATIONS.get(unit.kind)
    return f"{rng.choice(('', 'UBND '))}{short} {bare(unit)}" if short else None


def _typo(rng: random.Random, unit: Unit, base: str, siblings: Sequence[str]) -> str | None:
    """One OCR-like letter in the name, only where the name still clearly is this unit and no other."""
    name = bare(unit)
    spots = [i for i, ch in enumerate(name) if ch in TYPOS and i > 0 and name[i - 1] != " "]
    if unit.level == "agency" or not spots:
        return None
    i = rng.choice(spots)
    wrong = name[:i] + TYPOS[name[i]] + name[i + 1:]
    key, others = fold(wrong), [fold(s) for s in siblings if fold(s) != fold(name)]
    clear = fuzz.ratio(key, fold(name)) >= 85 and all(fuzz.ratio(key, k) <= fuzz.ratio(key, fold(name)) - 15
                                                    for k in others)
    return base[: len(base) - len(name)] + wrong if clear and key not in registered_keys() else None


NOISES: dict[str, Callable[[random.Random, Unit, str, Sequence[str]], str | None]] = {
    "no_ubnd": _no_ubnd, "caps": _caps, "old_tone": _old_tone, "typo": _typo, "abbrev": _abbrev}


def print_name(rng: random.Random, unit: Unit, siblings: Sequence[str], noisy: bool) -> tuple[str, tuple[str, ...]]:
    """The printed name of a unit and its noise (README: no_ubnd, caps, old_tone, typo, abbrev)."""
    base = ubnd(unit)
    if noisy and rng.random() < 0.3:
        for kind in rng.sample(list(NOISES), len(NOISES)):
            if (text := NOISES[kind](rng, unit, base, siblings)) is not None:
                return nfc(text), (kind,)
    return base, ()


def split_point(rng: random.Random, printed: str) -> int | None:
    """Where docx, xlsx and stream text break a long name over two lines, if they do."""
    words = printed.split()
    return rng.randint(2, len(words) - 1) if len(words) >= 4 and rng.random() < 0.25 else None


def signer(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLES)} {rng.choice(GIVENS)}"


# ---------------------------------------------------------------- drawing: scores


CAN_MISS_459 = frozenset({4, 5, 6, 7})  # online services and digitisation: the 459 criteria printed as 0
NA_459 = ((), (), (5,), (0, 1, 2), (0, 2), (0, 1, 2, 5))  # criteria no unit had to do in the period
OFFICE = "Bộ phận Tiếp nhận và Trả kết quả"  # an office with no register entry: unit null, never missing
BAND_MARGIN = 0.3  # no score this close to a band bound, so rounding never decides a rating
NOTES = ("Có hồ sơ quá hạn", "Chưa phát sinh thanh toán trực tuyến", "Đơn vị mới sáp nhập")


@dataclass(frozen=True)
class Style:
    """Table-wide print choices of the scores."""

    na: frozenset[int] = frozenset()  # 459 criteria that do not apply to any row
    rounded: bool = False  # fixed decimals per column, totals from the unrounded values
    decimals: tuple[int, ...] = ()  # rounded: decimals of each criterion
    conv_decimals: int = 2
    pad2: bool = False  # two decimals kept ("1,50")


def near_band(fw: Framework, *scores: float) -> bool:
    """Whether a score lies within BAND_MARGIN of a band bound without being on it."""
    bounds = [low for low, _ in (*fw.bands, *PRINTED_BELOW.get(fw.key, ())) if low > 0]
    return any(0 < abs(s - b) < BAND_MARGIN for s in scores for b in bounds)


def mark(rng: random.Random, top: float, quality: float, can_miss: bool) -> float:
    """One criterion: full marks most often, else a partial mark; some criteria drop to nothing."""
    draw_ = rng.random()
    if draw_ < quality:
        return top
    if can_miss and draw_ < quality + (1 - quality) / 3:
        return 0.0
    return top * rng.uniform(0.25, 0.97)


def sum_gap(values: Sequence[Num | None], total: Num) -> tuple[float, float]:
    """(|Σ values − total|, what the printed digits allow) — README's rounding rule."""
    present = [v for v in values if v is not None]
    return abs(sum(v.value for v in present) - total.value), sum(v.half for v in present) + total.half


def converted_gap(total: Num, top: float, converted: Num) -> tuple[float, float]:
    return abs(converted.value - total.value / top * 100), converted.half + total.half * 100 / top


def scores_459(rng: random.Random, fw: Framework, style: Style) -> dict:
    """A consistent 459 row: totals add up within the printed digits, converted = total ÷ applicable × 100."""
    while True:
        quality = rng.uniform(0.5, 0.97)
        skip = style.na | ({6} if rng.random() < 0.08 else set())  # a unit with no digitisation yet
        raws = [None if k in skip else mark(rng, m, quality, k in CAN_MISS_459) for k, m in enumerate(fw.maxima)]
        if style.rounded:
            raws = [None if r is None else round(r, 4) for r in raws]
            values = [None if r is None else Num(r, 0) if r.is_integer() and rng.random() < 0.5
                      else Num.fixed(r, style.decimals[k]) for k, r in enumerate(raws)]
            raw_total = sum(r for r in raws if r is not None)
            total = Num.fixed(raw_total, 2)
        else:
            values = [None if r is None else Num.exact(round(r, rng.choice((0, 1, 1, 2)))) for r in raws]
            raw_total = sum(value(v) for v in values)
            total = Num.exact(raw_total)
        top = sum(m for v, m in zip(values, fw.maxima) if v is not None)
        raw_conv = raw_total / top * 100
        converted = Num.fixed(raw_conv, style.conv_decimals) if style.rounded else Num.exact(raw_conv)
        gap, room = sum_gap(values, total)
        cgap, croom = converted_gap(total, top, converted)
        if gap <= room - 0.002 and cgap <= croom - 0.002 and not near_band(fw, converted.value,
                                                                            total.value / top * 100):
            return {"values": tuple(values), "total": total, "converted": converted,
                    "rating": fw.printed(converted.value)}


def scores_1187(rng: random.Random, fw: Framework, style: Style) -> dict:
    """Nine criteria of 2 points; the first two (and often the fifth) come from one data source."""
    quality = rng.uniform(0.55, 0.95)

    def one() -> float:
        return 2.0 if rng.random() < quality else rng.choice((1.5, 1.0, 0.0, round(rng.uniform(1.4, 1.99), 2)))

    first = one()
    raws = [first, first, one(), one(), first if rng.random() < 0.6 else one(), one(), one(), one(), one()]
    values = tuple(Num.fixed(r, 2) if style.pad2 and not r.is_integer() else Num.exact(r) for r in raws)
    total = Num.exact(sum(v.value for v in values))
    staff = 10.0 if rng.random() < 0.4 else round(rng.uniform(8.8, 9.99), 2)
    return {"values": values, "total": total, "rating": fw.printed(total.value),
            "avg_staff": Num.fixed(staff, 2) if style.pad2 and not staff.is_integer() else Num.exact(staff)}


def scores_766(rng: random.Random, fw: Framework, style: Style) -> dict:
    """Six group scores with one decimal; the total out of 100 is their sum."""
    while True:
        quality = rng.uniform(0.3, 0.9)
        values = tuple(Num.exact(top if rng.random() < quality else round(top * rng.uniform(0.25, 0.97), 1), 1)
                       for top in fw.maxima)
        total = Num.exact(sum(v.value for v in values), 1)
        if not near_band(fw, total.value):
            return {"values": values, "total": total, "rating": fw.printed(total.value)}


SCORES = {"459": scores_459, "1187": scores_1187, "766": scores_766}


def draw_style(rng: random.Random, c: Options, fw: Framework) -> Style:
    if fw.key != "459":
        return Style(pad2=rng.random() < 0.5)
    na = frozenset(rng.choice(NA_459))
    return Style(na=na, rounded=c.rounded, decimals=tuple(rng.choice((1, 2)) for _ in fw.maxima),
                 conv_decimals=rng.choice((1, 2)))


def sections_of(rng: random.Random, c: Options, issuer: Unit, province: Unit
                ) -> list[tuple[tuple[str, str] | None, list[Unit | str]]]:
    """The table's units grouped as printed: (numeral, heading) or None, and the units (an office by name)."""
    if c.issuer == "province":
        depts = [agency(name, province) for name, _ in departments(province.code)]
        depts = rng.sample(depts, rng.randint(min(10, len(depts)), len(depts)))
        districts = list(children(issuer))
        if c.sections == "none":
            return [(None, [*depts, *districts])]
        first = rng.choice(("CÁC SỞ, BAN, NGÀNH TỈNH", "CÁC CƠ QUAN CHUYÊN MÔN THUỘC UBND TỈNH"))
        return [(("I", first), depts), (("II", f"UBND CÁC {kinds_phrase(districts).upper()}"), districts)]
    wards = list(children(issuer))
    heading = f"UBND CÁC {kinds_phrase(wards).upper()}"
    if c.sections == "none":
        return [(None, wards)]
    if c.sections == "heading":
        return [(("", heading), wards)]
    if c.issuer == "district":
        return [(("I", f"CẤP {issuer.kind.upper()}"), [f"{OFFICE} {issuer.kind}"]), (("II", heading), wards)]
    kinds = ("phường", "xã", "đặc khu")
    return [((ROMAN[i + 1], f"UBND CÁC {kind.upper()}"), [w for w in wards if w.kind == kind])
            for i, kind in enumerate(k for k in kinds if any(w.kind == k for w in wards))]


def score_columns(rng: random.Random, c: Options, fw: Framework, crits: Sequence[Criterion]) -> tuple[Column, ...]:
    """Header paths of a score table; a lone criterion or a flat framework spans the rows under the top."""
    top = {"459": "ĐIỂM CÁC CHỈ SỐ", "1187": "ĐIỂM CÁC TIÊU CHÍ", "766": "ĐIỂM CÁC NHÓM CHỈ SỐ"}[fw.key]
    groups = {crit.group: rng.choice(group_names(crit.group)) for crit in crits if crit.group}
    values = [Column("value", (top, groups[crit.group], crit.label) if crit.group else (top, crit.label), k)
              for k, crit in enumerate(crits)]
    values += [Column("unlabeled", (top, ""))] if c.unlabeled else []
    total = {"459": ("ĐIỂM ĐẠT ĐƯỢC", "TỔNG ĐIỂM ĐẠT ĐƯỢC"), "1187": ("TỔNG ĐIỂM",),
             "766": ("TỔNG ĐIỂM (100đ)",)}[fw.key]
    results = [Column("total", (rng.choice(total),))]
    results += [Column("avg_staff", ("ĐTB CCVC",))] if c.avg_staff else []
    results += [Column("converted", (rng.choice(("TỔNG ĐIỂM QUY ĐỔI", "ĐIỂM QUY ĐỔI")),))] if fw.key == "459" else []
    results += [Column("rating", (rng.choice(("XẾP LOẠI", "KẾT QUẢ XẾP LOẠI")),))]
    extra = [Column("rank", ("XẾP HẠNG",))] if "rank" in c.extras else []
    extra += change_columns(rng, c)
    extra += [Column("note", ("GHI CHÚ",))] if "note" in c.extras else []
    head = [Column("stt", ("STT",)), Column("name", (rng.choice(("TÊN CƠ QUAN, ĐƠN VỊ", "Tên đơn vị", "ĐƠN VỊ")),))]
    order = [*head, *results, *values, *extra] if "totals_first" in c.extras else [*head, *values, *results, *extra]
    return tuple(replace(col, stretch=stretch(rng, c, i, col.role)) for i, col in enumerate(order))


def change_columns(rng: random.Random, c: Options) -> list[Column]:
    """A ranking's change against the previous period: under one "SO VỚI KỲ TRƯỚC" heading ("Điểm",
    "Thứ hạng"), or each headed on its own."""
    roles = [role for role in ("change", "rank_change") if role in c.extras]
    if not roles:
        return []
    if rng.random() < 0.5:
        return [Column(role, ("SO VỚI KỲ TRƯỚC", {"change": "Điểm", "rank_change": "Thứ hạng"}[role])) for role in roles]
    return [Column(role, ({"change": "Tăng/giảm điểm", "rank_change": "Tăng (+)/giảm (-) thứ hạng"}[role],))
            for role in roles]


def group_names(group: str) -> tuple[str, ...]:
    """Ways reports print a 459 group: "Nhóm chỉ số công khai, minh bạch", "Số hoá hồ sơ" …"""
    core = group.removeprefix("Nhóm ")
    core, low = core[0].upper() + core[1:], core[0].lower() + core[1:]
    names = (core, f"Nhóm {low}", f"Nhóm chỉ số {low}")
    return tuple(dict.fromkeys((*names, *(_OPEN.sub(lambda m: OLD_TONES[m.group(1)], n) for n in names))))


def stretch(rng: random.Random, c: Options, index: int, role: str) -> float:
    """Width over the natural width: a name or a rating may be narrower and wrap; a tight table keeps STT,
    the name and the first score at their text."""
    if c.tight and index < 3:
        return 1.0
    low = {"name": 0.45, "rating": 0.6}.get(role, 1.0)
    return round(rng.uniform(low, 1.5), 2)


@dataclass
class Build:
    """A table while it is drawn: rows and planted findings change in place (local to draw_spec)."""

    rng: random.Random
    fw: Framework
    table: Table  # columns, criteria, maxima and flags; the rows live in `rows` meanwhile
    rows: list[Row]
    required: tuple[Unit, ...] = ()  # the units MISSING_UNIT is judged against
    planted: list[tuple[str, str | None]] = field(default_factory=list)
    used: set[int] = field(default_factory=set)

    def free(self, keep: Callable[[Row], bool] = lambda r: True) -> list[Row]:
        """Rows with no planted finding yet (and a register unit), in a random order."""
        rows = [r for r in self.rows if r.key not in self.used and r.unit is not None and keep(r)]
        return self.rng.sample(rows, len(rows))

    def put(self, old: Row, new: Row, rule: str, unit: str | None = "row") -> None:
        self.rows[self.rows.index(old)] = new
        self.used.add(new.key)
        self.planted.append((rule, new.unit.name if unit == "row" else unit))

    def score(self, row: Row) -> float:
        """What the table is sorted by and the rating read on: converted, else total."""
        return row.converted.value if row.converted is not None else row.total.value

    def rescore(self, row: Row, values: tuple[Num | None, ...] | None = None, top: float | None = None) -> Row | None:
        """The row with total, converted and rating following new values or a new printed maximum; None when
        the new score sits on a band bound."""
        values = row.values if values is None else values
        delta = sum(value(v) for v in values) - sum(value(v) for v in row.values)
        total = Num.exact(row.total.value + delta, 2 if self.fw.key != "766" else 1)
        new = replace(row, values=values, total=total, top=row.top if top is None else top)
        if row.converted is not None:
            new = replace(new, converted=Num.exact(total.value / self.table.total_max(new) * 100))
        score = self.score(new)
        return None if near_band(self.fw, score) else replace(new, rating=self.fw.printed(score))


def draw_rows(rng: random.Random, c: Options, fw: Framework, style: Style, issuer: Unit, province: Unit
              ) -> tuple[list[Row], tuple[tuple[str, str], ...]]:
    """Clean rows in register order, and the section headings."""
    groups = sections_of(rng, c, issuer, province)
    siblings = [bare(u) for _, units in groups for u in units if isinstance(u, Unit) and u.level != "agency"]
    rows, sections = [], []
    for head, units in groups:
        sections += [head] if head else []
        for unit in units:
            printed, noise = (unit, ()) if isinstance(unit, str) else print_name(rng, unit, siblings, c.noise)
            scores = SCORES[fw.key](rng, fw, style)
            extra = {"unlabeled": (Num.exact(rng.choice((5, 5, 5, 0, 2.5))),)} if c.unlabeled else {}
            rows.append(Row(len(rows), printed, None if isinstance(unit, str) else unit, section=head and head[1],
                            noise=noise, split=split_point(rng, printed), **scores, **extra))
    return rows, tuple(sections)


def required_units(kind: str, issuer: Unit) -> tuple[Unit, ...]:
    """What MISSING_UNIT is judged against: a district's communes, a province's districts (departments never),
    a post-2025 province's current wards."""
    return children(issuer) if kind in ("district", "province", "province-2025") else ()


def arrange(b: Build, sorted_: bool) -> None:
    """Sort by score within each section, or leave the register order — made clearly unsorted, so that a
    reader cannot take it for a sorted table with slips."""
    out = []
    for section in dict.fromkeys(r.section for r in b.rows):
        rows = [r for r in b.rows if r.section == section]
        if sorted_:
            rows.sort(key=lambda r: -b.score(r))
        else:
            for _ in range(100):
                if len(rows) < 4 or inversions(b, rows) >= max(2, len(rows) // 4):
                    break
                rows = b.rng.sample(rows, len(rows))
        out += rows
    b.rows[:] = out


def inversions(b: Build, rows: Sequence[Row]) -> int:
    return sum(b.score(rows[i + 1]) > b.score(rows[i]) for i in range(len(rows) - 1))


def number_rows(b: Build, c: Options, numbered: bool) -> None:
    """STT (restarting in each numbered section), rank by score and blank or short notes."""
    stt: Counter[str | None] = Counter()
    scores = [b.score(r) for r in b.rows]
    for i, row in enumerate(b.rows):
        stt[row.section if numbered else None] += 1
        rank = str(1 + sum(s > scores[i] + 1e-9 for s in scores)) if "rank" in c.extras else None
        if rank is not None and "rank_of" in c.extras:
            rank = f"{two(int(rank))}/{two(len(scores))}"
        note = (b.rng.choice(NOTES) if b.rng.random() < 0.15 else "") if "note" in c.extras else None
        change = Num.exact(b.rng.randint(-600, 600) / 100) if "change" in c.extras else None
        moved = b.rng.randint(-3, 3) if "rank_change" in c.extras else None
        b.rows[i] = replace(row, stt=str(stt[row.section if numbered else None]), rank=rank, note=note, change=change,
                            rank_change=moved)


# ---------------------------------------------------------------- planting


def first(rows: Sequence[Row], rule: str) -> Row:
    if not rows:
        raise Unplantable(rule)
    return rows[0]


def plant_missing(b: Build) -> None:
    for row in b.free(lambda r: r.unit in b.required):
        if sum(r.section == row.section for r in b.rows) > 4:
            b.rows.remove(row)
            b.planted.append(("MISSING_UNIT", row.unit.name))
            return
    raise Unplantable("MISSING_UNIT")


def plant_unknown(b: Build) -> None:
    """A row printing a unit of another province: matched to nothing, and the unit it replaced is missing."""
    local = [fold(bare(u)) for u in b.required]
    for row in b.free(lambda r: r.unit in b.required):
        foreign = [u for u in foreign_units(b.rng, row.unit)
                   if u.kind == row.unit.kind and all(fuzz.ratio(fold(bare(u)), k) < 60 for k in local)]
        if foreign:
            b.put(row, replace(row, printed=ubnd(b.rng.choice(foreign)), unit=None, noise=()), "UNKNOWN_UNIT", None)
            b.planted.append(("MISSING_UNIT", row.unit.name))
            return
    raise Unplantable("UNKNOWN_UNIT")


def foreign_units(rng: random.Random, unit: Unit) -> tuple[Unit, ...]:
    """Units of the same level as `unit` in another province of its register."""
    home = register().province_of(unit)
    other = rng.choice([p for p in provinces(unit.era) if p.code != home.code])
    if unit.level == "ward" and unit.era == LEGACY:
        return tuple(w for d in children(other) for w in children(d))
    return children(other)


def plant_duplicate(b: Build) -> None:
    """A row copied twice, as a careless merge of two sheets leaves it."""
    row = first(b.free(), "DUPLICATE_UNIT")
    copy = replace(row, key=max(r.key for r in b.rows) + 1)
    b.rows.insert(b.rows.index(row) + 1, copy)
    b.used |= {row.key, copy.key}
    b.planted.append(("DUPLICATE_UNIT", row.unit.name))


def plant_over_max(b: Build) -> None:
    """A value above its criterion's maximum (a digit too many, a column shifted); the total follows it."""
    for row in b.free():
        for k in b.rng.sample(range(len(row.values)), len(row.values)):
            top = b.table.maxima[k]
            if row.values[k] is None:
                continue
            wrong = top + 1 if top <= 2 else b.rng.choice((top * 2, top + 1, top + 2))
            new = b.rescore(row, row.values[:k] + (Num.exact(wrong),) + row.values[k + 1:])
            if new is not None:
                b.put(row, new, "OVER_MAX")
                return
    raise Unplantable("OVER_MAX")


def plant_max(b: Build) -> None:
    """A printed maximum ("62/75") above the applicable one; converted and rating follow the printed one."""
    for row in b.free(lambda r: r.top is not None and r.top <= 90):
        new = b.rescore(row, top=row.top + b.rng.choice((5, 10)))
        if new is not None:
            b.put(row, new, "MAX_MISMATCH")
            return
    raise Unplantable("MAX_MISMATCH")


def plant_order(b: Build) -> None:
    """Two neighbours of a sorted section swapped: the lower one first."""
    for row in b.free():
        i = b.rows.index(row)
        section = [r for r in b.rows if r.section == row.section]
        if i + 1 >= len(b.rows) or len(section) < 6 or b.rows[i + 1].section != row.section:
            continue
        below = b.rows[i + 1]
        if below.key not in b.used and below.unit is not None and b.score(row) - b.score(below) >= 0.5:
            b.rows[i], b.rows[i + 1] = below, row
            b.used |= {row.key, below.key}
            b.planted.append(("ORDER_MISMATCH", row.unit.name))
            return
    raise Unplantable("ORDER_MISMATCH")


def plant_sum(b: Build) -> None:
    """One criterion mistyped: the total keeps the value meant, so the row no longer adds up."""
    for row in b.free(lambda r: sum(v is not None for v in r.values) >= 2):
        for k in b.rng.sample(range(len(row.values)), len(row.values)):
            v, top = row.values[k], b.table.maxima[k]
            if v is None:
                continue
            for delta in b.rng.sample((1, 2, 3, 5, 10), 5) if top > 2 else (1,):
                typed = v.value - delta if v.value - delta >= 0 else v.value + delta
                if not 0 <= typed <= top:
                    continue
                values = row.values[:k] + (Num.fixed(typed, v.decimals),) + row.values[k + 1:]
                gap, room = sum_gap(values, row.total)
                if gap > room + 0.25:
                    b.put(row, replace(row, values=values), "SUM_MISMATCH")
                    return
    raise Unplantable("SUM_MISMATCH")


def plant_converted(b: Build) -> None:
    """A converted score off by one to three points, in the same band and the same place of a sorted table."""
    for row in b.free(lambda r: r.converted is not None):
        i, top = b.rows.index(row), b.table.total_max(row)
        above = [b.score(r) for r in b.rows[i - 1:i] if r.section == row.section]
        below = [b.score(r) for r in b.rows[i + 1:i + 2] if r.section == row.section]
        for delta in b.rng.sample((-3.4, -2.7, -2.1, -1.6, -1.2, 1.2, 1.6, 2.1, 2.7, 3.4), 10):
            new = Num.fixed(row.converted.value + delta, max(row.converted.decimals, 1))
            gap, room = converted_gap(row.total, top, new)
            fits = not b.table.sorted or (all(new.value <= s for s in above) and all(new.value >= s for s in below))
            if (0 <= new.value <= 100 and fits and gap > room + 0.25 and b.fw.printed(new.value) == row.rating
                    and not near_band(b.fw, new.value)):
                b.put(row, replace(row, converted=new), "CONVERTED_MISMATCH")
                return
    raise Unplantable("CONVERTED_MISMATCH")


def plant_rating(b: Build) -> None:
    """A rating one band off; under 1187 only Xuất sắc is published, so it is Xuất sắc below 15 or the
    reverse."""
    row = first(b.free(), "RATING_MISMATCH")
    if b.fw.key == "1187":
        wrong = "Tốt" if row.total.value >= 15 else "Xuất sắc"
    else:
        names = b.fw.ratings
        i = names.index(row.rating)
        wrong = names[b.rng.choice([j for j in (i - 1, i + 1) if 0 <= j < len(names)])]
    b.put(row, replace(row, rating=wrong), "RATING_MISMATCH")


BEFORE_SORTING = {"MISSING_UNIT": plant_missing, "UNKNOWN_UNIT": plant_unknown, "DUPLICATE_UNIT": plant_duplicate,
                  "OVER_MAX": plant_over_max, "MAX_MISMATCH": plant_max}
AFTER_SORTING = {"ORDER_MISMATCH": plant_order, "SUM_MISMATCH": plant_sum, "CONVERTED_MISMATCH": plant_converted,
                 "RATING_MISMATCH": plant_rating}


# ---------------------------------------------------------------- the score table, statements, other tables


def score_table(rng: random.Random, c: Options, spec_words: tuple[str, str], issuer: Unit, province: Unit,
                label: str) -> tuple[Table, list[tuple[str, str | None]], set[int]]:
    """The appendix score table, the row-level findings planted in it and the rows carrying them."""
    fw = framework(c.framework)
    crits = criteria(fw)
    style = draw_style(rng, c, fw)
    rows, sections = draw_rows(rng, c, fw, style, issuer, province)
    if c.fraction:
        rows = [replace(r, top=sum(m for v, m in zip(r.values, fw.maxima) if v is not None)) for r in rows]
    table = Table("scores", label, score_title(rng, c, spec_words, rows), score_columns(rng, c, fw, crits), crits,
                  (), fw.maxima, sections, c.sorted, c.abbreviations, note_for(c, fw, style),
                  "numbering" in c.extras)
    b = Build(rng, fw, table, rows, required_units(c.issuer, issuer))
    for rule in (r for r in BEFORE_SORTING if r in c.plant):
        BEFORE_SORTING[rule](b)
    arrange(b, c.sorted)
    for rule in (r for r in AFTER_SORTING if r in c.plant):
        AFTER_SORTING[rule](b)
    number_rows(b, c, any(numeral for numeral, _ in sections))
    return replace(table, rows=tuple(b.rows)), b.planted, b.used


def score_title(rng: random.Random, c: Options, words: tuple[str, str], rows: Sequence[Row]) -> str:
    period, place = words
    kinds = kinds_phrase(r.unit for r in rows).upper()
    return {
        "459": rng.choice((f"KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CHẤT LƯỢNG PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP TRONG THỰC HIỆN "
                           f"THỦ TỤC HÀNH CHÍNH, DỊCH VỤ CÔNG {period} {place}",
                           f"BẢNG TỔNG HỢP ĐIỂM ĐÁNH GIÁ CHẤT LƯỢNG PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP CỦA UBND CÁC "
                           f"{kinds} {place} {period}")),
        "1187": f"KẾT QUẢ CHẤM ĐIỂM, XẾP LOẠI VIỆC GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH {period} {place}",
        "766": f"ĐIỂM CÁC NHÓM CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP THEO QUYẾT ĐỊNH SỐ 766/QĐ-TTg CỦA UBND CÁC "
               f"{kinds} {place} {period}",
    }[c.framework]


def note_for(c: Options, fw: Framework, style: Style) -> str | None:
    """The line under a table: what "-" means, the rating abbreviations."""
    dash = "Dấu (-): chỉ số đơn vị không phải thực hiện hoặc chưa phát sinh trong kỳ."
    parts = [dash] if style.na and not c.blank_na else []
    parts += ["Chữ viết tắt: XS - Xuất sắc; TB - Trung bình."] if c.abbreviations else []
    return f"Ghi chú: {' '.join(parts)}" if parts else None


def draw_statements(rng: random.Random, c: Options, table: Table, fw: Framework) -> tuple[Statement, ...]:
    """What the body states about the ratings: per section in a province's report, else for the whole table."""
    if c.summary == "none":
        return ()
    numbered = c.issuer == "province" and any(numeral for numeral, _ in table.sections)
    groups = [(head, [r for r in table.rows if r.section == head]) for _, head in table.sections] if numbered \
        else [(None, list(table.rows))]
    out = []
    for head, rows in groups:
        counts = Counter(r.rating for r in rows)
        order = [r for r in fw.ratings if counts[r]]
        listed = tuple((rt, tuple(r for r in rows if r.rating == rt)) for rt in order) if c.summary == "list" else ()
        agencies = all(r.unit is not None and r.unit.level == "agency" for r in rows)
        offices = any(r.unit is None for r in rows)  # then the sentence covers more than the communes
        scope = "các sở, ban, ngành tỉnh" if agencies else "các cơ quan, đơn vị" if offices else \
            f"UBND các {kinds_phrase(r.unit for r in rows)}"
        out.append(Statement(scope, head, tuple((rt, counts[rt]) for rt in order), listed, len(rows)))
    return tuple(out)


def plant_summary(rng: random.Random, plants: Sequence[str], statements: tuple[Statement, ...],
                  used: set[int]) -> tuple[tuple[Statement, ...], list[tuple[str, str | None]]]:
    """A count stated off by one; two units listed under each other's rating."""
    planted: list[tuple[str, str | None]] = []
    out = list(statements)
    if "SUMMARY_COUNT_MISMATCH" in plants:
        i = rng.randrange(len(out))
        counts = list(out[i].counts)
        j = rng.randrange(len(counts))
        rating, n = counts[j]
        counts[j] = (rating, n + 1 if n == 1 or rng.random() < 0.5 else n - 1)
        out[i] = replace(out[i], counts=tuple(counts))
        planted.append(("SUMMARY_COUNT_MISMATCH", None))
    if "SUMMARY_UNIT_MISMATCH" in plants:
        out, swapped = swap_listed(rng, out, used)
        planted += [("SUMMARY_UNIT_MISMATCH", r.unit.name) for r in swapped]
    return tuple(out), planted


def swap_listed(rng: random.Random, statements: list[Statement], used: set[int]
                ) -> tuple[list[Statement], tuple[Row, Row]]:
    for i in rng.sample(range(len(statements)), len(statements)):
        listed = [(rt, [r for r in rows if r.unit is not None and r.key not in used])
                  for rt, rows in statements[i].listed]
        listed = [(rt, rows) for rt, rows in listed if rows]
        if len(listed) >= 2:
            (ra, rows_a), (rb, rows_b) = rng.sample(listed, 2)
            a, b = rng.choice(rows_a), rng.choice(rows_b)
            swap = {a.key: b, b.key: a}
            new = tuple((rt, tuple(swap.get(r.key, r) for r in rows)) for rt, rows in statements[i].listed)
            statements[i] = replace(statements[i], listed=new)
            return statements, (a, b)
    raise Unplantable("SUMMARY_UNIT_MISMATCH")


FEES = (("Tổng số hồ sơ",), ("Nộp trực tiếp", "Số hồ sơ"), ("Nộp trực tiếp", "Phí, lệ phí (đồng)"),
        ("Nộp trực tuyến", "Số hồ sơ"), ("Nộp trực tuyến", "Phí, lệ phí (đồng)"), ("Tổng phí, lệ phí (đồng)",),
        ("Tỷ lệ hồ sơ thanh toán trực tuyến (%)",))
DIGITISATION = (("Tiếp nhận hồ sơ", "Số hồ sơ tiếp nhận", "(1)"), ("Tiếp nhận hồ sơ", "Số hồ sơ được số hóa", "(2)"),
                ("Tiếp nhận hồ sơ", "Tỷ lệ số hóa (%)", "(3)=(2)/(1)"),
                ("Tiếp nhận hồ sơ", "Số hồ sơ chưa số hóa", "(4)=(1)-(2)"),
                ("Giải quyết hồ sơ", "Số hồ sơ đã giải quyết", "(5)"),
                ("Giải quyết hồ sơ", "Số kết quả được số hóa", "(6)"),
                ("Giải quyết hồ sơ", "Tỷ lệ số hóa kết quả (%)", "(7)=(6)/(5)"))
_FORMULA = re.compile(r"\((\d+)\)=\((\d+)\)([-+/])\((\d+)\)")


def other_columns(paths: Sequence[tuple[str, ...]], money: frozenset[int], additive: frozenset[int]
                  ) -> tuple[Column, ...]:
    head = (Column("stt", ("STT",)), Column("name", ("Tên cơ quan, đơn vị",)))
    return head + tuple(Column("value", p, k, money=k in money, additive=k in additive,
                               formula=p[-1] if "=" in p[-1] else None) for k, p in enumerate(paths))


def fees_row(rng: random.Random, key: int, unit: Unit) -> Row:
    direct, online = rng.randint(0, 120), rng.randint(0, 90)
    direct += direct + online == 0
    fee_d, fee_o = (n * rng.choice((0, 2000, 5000, 10000, 20000)) for n in (direct, online))
    counts = (direct + online, direct, fee_d, online, fee_o, fee_d + fee_o)
    values = tuple(None if k in (2, 4, 5) and n == 0 else Num(float(n)) for k, n in enumerate(counts))
    return Row(key, ubnd(unit), unit, values + (Num.exact(online / (direct + online) * 100, 1),))


def digitisation_row(rng: random.Random, key: int, unit: Unit) -> Row:
    received = rng.randint(5, 400)
    scanned = rng.randint(0, received)
    solved = rng.randint(3, 400)
    results = rng.randint(0, solved)
    counts = (received, scanned, None, received - scanned, solved, results, None)
    row = Row(key, ubnd(unit), unit, tuple(None if n is None else Num(float(n)) for n in counts))
    return with_ratios(row)


def with_ratios(row: Row) -> Row:
    """The digitisation ratios (3) and (7) from their counts."""
    v = list(row.values)
    v[2] = Num.exact(v[1].value / v[0].value * 100)
    v[6] = Num.exact(v[5].value / v[4].value * 100)
    return replace(row, values=tuple(v))


def total_row(rows: Sequence[Row], additive: frozenset[int], money: frozenset[int], name: str) -> Row:
    """The "Tổng cộng" row: sums of the additive columns."""
    sums = [sum(value(r.values[k]) for r in rows) for k in range(len(rows[0].values))]
    values = tuple(None if k in money and s == 0 else Num(float(s)) if k in additive else None
                   for k, s in enumerate(sums))
    return Row(max(r.key for r in rows) + 1, name, None, values, total_row=True)


def other_tables(rng: random.Random, c: Options, issuer: Unit, period: str, labels: Sequence[str]
                 ) -> tuple[tuple[Table, ...], list[tuple[str, str | None]]]:
    """Biểu số 02 (fees, a "Tổng cộng" row) and mostly Biểu số 03 (digitisation, header formulas), with their
    plants."""
    units = (issuer, *children(issuer))
    planted: list[tuple[str, str | None]] = []
    money, additive = frozenset({2, 4, 5}), frozenset(range(6))
    fees = sorted((fees_row(rng, i, u) for i, u in enumerate(units)), key=lambda r: -r.values[6].value)
    total = total_row(fees, additive, money, "Tổng cộng")
    total = replace(total, values=total.values[:6] + (Num.exact(total.values[3].value / total.values[0].value * 100,
                                                                  1),))
    if "TOTAL_ROW_MISMATCH" in c.plant:
        k = rng.choice([k for k in (2, 4, 5) if total.values[k] is not None])
        wrong = Num(total.values[k].value + rng.choice((10000, 20000, 50000)))
        total = replace(total, values=total.values[:k] + (wrong,) + total.values[k + 1:])
        planted.append(("TOTAL_ROW_MISMATCH", None))
    fees_table = Table("other", labels[0], f"TÌNH HÌNH THU PHÍ, LỆ PHÍ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH {period}",
                       other_columns(FEES, money, additive), tuple(Criterion(" - ".join(p), None, None) for p in FEES),
                       (*number_plain(fees), total))
    if "FORMULA_MISMATCH" not in c.plant and rng.random() < 0.3:  # a report of two tables
        return (fees_table,), planted
    digit_additive = frozenset({0, 1, 3, 4, 5})
    digit = sorted((digitisation_row(rng, i, u) for i, u in enumerate(units)), key=lambda r: -r.values[2].value)
    if "FORMULA_MISMATCH" in c.plant:
        i = rng.randrange(len(digit))
        row = digit[i]
        p3 = row.values[2].value
        wrong = Num.exact(p3 + rng.uniform(6, 25) if p3 < 60 else p3 - rng.uniform(6, 25))
        digit[i] = replace(row, values=row.values[:2] + (wrong,) + row.values[3:])
        planted.append(("FORMULA_MISMATCH", row.unit.name))
    dtotal = with_ratios(total_row(digit, digit_additive, frozenset(), rng.choice(("TỔNG SỐ", "Tổng cộng"))))
    if rng.random() < 0.3:  # the sheet's own percent format, with a decimal point ("64.27%")
        dtotal = replace(dtotal, shown=tuple((k, f"{dtotal.values[k].value:.2f}%") for k in (2, 6)))
    digit_table = Table("other", labels[1], f"KẾT QUẢ SỐ HÓA HỒ SƠ, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH {period}",
                        other_columns(DIGITISATION, frozenset(), digit_additive),
                        tuple(Criterion(f"{p[1]} {p[2]}", None, None) for p in DIGITISATION),
                        (*number_plain(digit), dtotal))
    return (fees_table, digit_table), planted


def number_plain(rows: Sequence[Row]) -> list[Row]:
    return [replace(r, stt=str(i)) for i, r in enumerate(rows, 1)]


def prose_row(rng: random.Random, c: Options, commune: Unit) -> tuple[Row, list[tuple[str, str | None]]]:
    """The scores a 766 commune report states in sentences, with its rank among the district's communes."""
    fw = framework("766")
    peers = children(register().get(commune.parent, LEGACY))
    row = Row(0, named(commune), commune, rank=f"{rng.randint(1, len(peers))}/{len(peers)}",
              **scores_766(rng, fw, Style()))
    b = Build(rng, fw, Table("scores", "", "", (), criteria(fw, prose=True), (), fw.maxima), [row])
    for rule in c.plant:
        AFTER_SORTING[rule](b)
        b.used.clear()  # one row carries every finding of a prose report
    return b.rows[0], b.planted


# ---------------------------------------------------------------- the report


def draw_spec(seed: int, options: Options = Options()) -> Spec:
    """One report drawn from `random.Random` seeded with `seed`, `options` fixed; the same seed with the same
    options, or with the report's own resolved `spec.options`, gives the same report."""
    c = resolve(random.Random(f"make_corpus/{seed}/options"), options)
    rng = random.Random(f"make_corpus/{seed}/report")  # apart, so that the resolved options redraw this report
    for _ in range(40):
        try:
            spec = _build(rng, seed, c)
        except Unplantable:
            continue
        check(spec)
        return spec
    raise ValueError(f"no report could carry {c.plant} with {c}")


def _build(rng: random.Random, seed: int, c: Options) -> Spec:
    issuer = draw_issuer(rng, c.issuer, c.long, c.unit)
    province = register().province_of(issuer)
    fw = framework(c.framework)
    period, words = draw_period(rng, c.framework, issuer.era, c.period, c.weekly)
    number = None if rng.random() < 0.25 else rng.randint(12, 980)
    day = None if (number is None and rng.random() < 0.8) or rng.random() < 0.15 else rng.randint(1, 28)
    year, month = (period.year + 1, 1) if period.last_month == 12 else (period.year, period.last_month + 1)
    tables: tuple[Table, ...] = ()
    prose, statements, planted = None, (), []
    if c.issuer == "commune":
        prose, planted = prose_row(rng, c, issuer)
    else:
        labels = ("Biểu số 01", "Biểu số 02", "Biểu số 03") if c.other_tables else \
            (rng.choice(("Phụ lục", "PHỤ LỤC", "Phụ lục 01", "Biểu số 01")),)
        place = f"TRÊN ĐỊA BÀN {named(province).upper()}" if c.issuer != "district" else \
            f"TRÊN ĐỊA BÀN {named(issuer).upper()}, {named(province).upper()}"  # namesakes: the province names it
        scores, planted, used = score_table(rng, c, (words.upper(), place), issuer, province, labels[0])
        statements, more = plant_summary(rng, c.plant, draw_statements(rng, c, scores, fw), used)
        planted += more
        if c.appendix:
            tables = (scores,)
        if c.other_tables:
            others, more = other_tables(rng, c, issuer, words.upper(), labels[1:])
            tables, planted = tables + others, planted + more
    implied = [("UNLABELED_COLUMN", None)] if c.unlabeled and c.appendix else []
    implied += [] if c.appendix else [("MISSING_APPENDIX", None)]
    return Spec(seed=seed, issuer=issuer, province=province, kind=c.issuer, framework=fw, period=period,
                period_words=words, number=number, signed=(day, month, year),
                caption_blank=rng.random() < 0.3 and number is not None, signer=signer(rng),
                deputy=rng.random() < 0.3, tables=tables, prose=prose, statements=statements,
                appendix_missing=not c.appendix, layout=draw_layout(rng, c), options=c,
                planted=tuple(planted + implied), cites_766=fw.key == "459" and rng.random() < 0.2)


def draw_layout(rng: random.Random, c: Options) -> Layout:
    portrait = c.orientation == "portrait"
    return Layout(
        orientation=c.orientation, rules=c.rules, repeat_header=c.repeat_header,
        font_size=round(rng.uniform(6.2, 6.8) if portrait else rng.uniform(7.4, 8.6), 1),
        tight=c.tight, pad=1.6 if c.tight else round(rng.uniform(2.0, 4.0), 1),
        row_pad=round(rng.uniform(5.0, 7.5) if c.long else rng.uniform(1.4, 3.0), 1),
        align=rng.choice(("center", "center", "right")), na="" if c.blank_na else "-",
        issuer_on_appendix=rng.random() < 0.35, fill=round(rng.uniform(0.85, 1.0), 2),
        md_bold=rng.random() < 0.4, turn=c.turn, skew=round(rng.uniform(-0.6, 0.6), 2), blur=rng.random() < 0.5,
        grain=round(rng.uniform(3.0, 9.0), 1))


def check(spec: Spec) -> None:
    """The findings the conventions give are exactly the planted ones: a plant hides no other finding."""
    got = {(f.rule, f.unit) for f in findings(spec)}
    if got != set(spec.planted):
        raise AssertionError(f"generator bug: seed {spec.seed} raises {sorted(got, key=str)}, "
                             f"planted {sorted(set(spec.planted), key=str)}")


# ---------------------------------------------------------------- findings, by the README's conventions


@dataclass(frozen=True)
class Finding:
    rule: str
    unit: str | None
    unit_raw: str | None = None
    expected: float | str | None = None
    actual: float | str | None = None


def findings(spec: Spec) -> list[Finding]:
    """What a correct reader reports on this spec, one per (rule, unit)."""
    if spec.appendix_missing:
        return [Finding("MISSING_APPENDIX", None)]
    out = []
    if spec.prose is not None:
        fw = spec.framework
        out += row_findings(fw, Table("scores", "", "", (), (), (spec.prose,), fw.maxima), spec.prose)
    for table in spec.tables:
        out += score_findings(spec, table) if table.kind == "scores" else other_findings(table)
    out += summary_findings(spec)
    seen: set[tuple[str, str | None]] = set()
    return [f for f in out if (f.rule, f.unit) not in seen and not seen.add((f.rule, f.unit))]


def unit_name(row: Row) -> str | None:
    return row.unit.name if row.unit is not None else None


def row_findings(fw: Framework, table: Table, row: Row) -> list[Finding]:
    out = []
    name = unit_name(row)
    gap, room = sum_gap(row.values, row.total)
    if gap > room + 1e-9:
        out.append(Finding("SUM_MISMATCH", name, row.printed, round(sum(value(v) for v in row.values), 2),
                           row.total.value))
    top = table.total_max(row)
    if row.converted is not None:
        cgap, croom = converted_gap(row.total, top, row.converted)
        if cgap > croom + 1e-9:
            out.append(Finding("CONVERTED_MISMATCH", name, row.printed, round(row.total.value / top * 100, 2),
                               row.converted.value))
    score = row.converted.value if row.converted is not None else row.total.value
    if fw.key == "1187":
        wrong, due = (row.rating == "Xuất sắc") != (score >= 15), "Xuất sắc" if score >= 15 else None
    else:
        due = fw.published(score)
        wrong = due != row.rating
    if wrong:
        out.append(Finding("RATING_MISMATCH", name, row.printed, due, row.rating))
    if any(v is not None and v.value > m + 1e-9 for v, m in zip(row.values, table.maxima)) or row.total.value > top:
        out.append(Finding("OVER_MAX", name, row.printed))
    if row.top is not None and abs(row.top - table.applicable(row)) > 1e-9:
        out.append(Finding("MAX_MISMATCH", name, row.printed, table.applicable(row), row.top))
    return out


def score_findings(spec: Spec, table: Table) -> list[Finding]:
    rows = table.score_rows
    out = [f for r in rows for f in row_findings(spec.framework, table, r)]
    counts = Counter(unit_name(r) for r in rows if r.unit is not None)
    out += [Finding("DUPLICATE_UNIT", name) for name, n in counts.items() if n > 1]
    present = {r.unit for r in rows}
    out += [Finding("MISSING_UNIT", u.name) for u in required_units(spec.kind, spec.issuer) if u not in present]
    out += [Finding("UNKNOWN_UNIT", None, r.printed) for r in rows
            if r.unit is None and not r.printed.startswith(OFFICE)]
    if table.sorted:
        for section in dict.fromkeys(r.section for r in rows):
            scores = [(r, r.converted.value if r.converted else r.total.value) for r in rows if r.section == section]
            out += [Finding("ORDER_MISMATCH", unit_name(r), r.printed, above, s)
                    for (_, above), (r, s) in zip(scores, scores[1:]) if s > above + 1e-9][:1]
    out += [Finding("UNLABELED_COLUMN", None)] if any(c.role == "unlabeled" for c in table.columns) else []
    return out


def formula_columns(table: Table) -> list[tuple[Column, int, str, int]]:
    """(column, operand a, operator, operand b) for each header formula "(3)=(2)/(1)", operands as value indices."""
    numbers = {m.group(1): c.index for c in table.columns if c.role == "value"
               and (m := re.match(r"\((\d+)\)", c.path[-1]))}
    out = []
    for col in table.columns:
        if col.formula:
            _, a, op, b = _FORMULA.fullmatch(col.formula).groups()
            out.append((col, numbers[a], op, numbers[b]))
    return out


def other_findings(table: Table) -> list[Finding]:
    out = []
    for row in table.rows:
        for col, a, op, b in formula_columns(table):
            x, y = value(row.values[a]), value(row.values[b])
            due = x / y * 100 if op == "/" else x - y if op == "-" else x + y
            shown = row.values[col.index]
            if abs(shown.value - due) > shown.half + 1e-9:
                out.append(Finding("FORMULA_MISMATCH", unit_name(row), row.printed, round(due, 2), shown.value))
    total = next((r for r in table.rows if r.total_row), None)
    for col in (c for c in table.columns if c.additive and total is not None):
        due = sum(value(r.values[col.index]) for r in table.score_rows)
        if abs(due - value(total.values[col.index])) > 1e-6:
            out.append(Finding("TOTAL_ROW_MISMATCH", None, total.printed, due, value(total.values[col.index])))
    return out


def summary_findings(spec: Spec) -> list[Finding]:
    """Counts the body states against the table (one finding per document), units listed under a rating they
    do not have."""
    table = spec.scores
    if table is None:
        return []
    out: list[Finding] = []
    for s in spec.statements:
        rows = [r for r in table.score_rows if s.section in (None, r.section)]
        have, said = Counter(r.rating for r in rows), dict(s.counts)
        off = [rt for rt in dict.fromkeys([*have, *said]) if have[rt] != said.get(rt, 0)]
        if off and not any(f.rule == "SUMMARY_COUNT_MISMATCH" for f in out):
            out.append(Finding("SUMMARY_COUNT_MISMATCH", None, None, have[off[0]], said.get(off[0], 0)))
        out += [Finding("SUMMARY_UNIT_MISMATCH", unit_name(r), r.printed, r.rating, rating)
                for rating, listed in s.listed for r in listed if r.rating != rating]
    return out


# ---------------------------------------------------------------- truth


BODY_RULES = frozenset({"SUMMARY_COUNT_MISMATCH", "SUMMARY_UNIT_MISMATCH", "MISSING_APPENDIX"})
MESSAGES = {
    "SUM_MISMATCH": "Tổng các chỉ số của {raw} là {expected}, khác tổng điểm ghi {actual}",
    "CONVERTED_MISMATCH": "Điểm quy đổi của {raw} phải là {expected}, ghi {actual}",
    "RATING_MISMATCH": "Xếp loại của {raw} phải là {expected}, ghi {actual}",
    "OVER_MAX": "Điểm của {raw} vượt điểm tối đa",
    "MAX_MISMATCH": "Điểm tối đa của {raw} phải là {expected}, ghi {actual}",
    "DUPLICATE_UNIT": "{unit} có hai dòng trong bảng",
    "MISSING_UNIT": "{unit} không có trong bảng",
    "UNKNOWN_UNIT": "Không xác định được đơn vị {raw}",
    "ORDER_MISMATCH": "{raw} có điểm cao hơn dòng trên trong bảng xếp theo điểm",
    "UNLABELED_COLUMN": "Bảng có một cột điểm không có tiêu đề; không tính vào tổng",
    "SUMMARY_COUNT_MISMATCH": "Số đơn vị theo xếp loại trong báo cáo ({actual}) khác trong bảng ({expected})",
    "SUMMARY_UNIT_MISMATCH": "Báo cáo nêu {raw} xếp loại {actual}, bảng ghi {expected}",
    "FORMULA_MISMATCH": "Công thức cột không đúng ở dòng {raw}: phải là {expected}, ghi {actual}",
    "TOTAL_ROW_MISMATCH": "Dòng tổng khác tổng các dòng: phải là {expected}, ghi {actual}",
    "MISSING_APPENDIX": "Báo cáo nêu phụ lục kèm theo nhưng không có phụ lục",
}


def truth(spec: Spec, fmt: str, file: Path | None = None) -> dict:
    """The JSON `phuluc extract FILE --json` must print for this report written as `fmt` (fixtures README)."""
    paged = fmt in ("pdf", "text", "pdf-scanned")
    laid = layout_pdf(spec)
    xlsx = fmt == "xlsx"
    day, month, year = spec.signed
    blank = xlsx and spec.caption_blank
    report = {"issuer": spec.issuer.name, "issuer_code": spec.issuer.code, "province": bare(spec.province),
              "number": None if spec.number is None or blank else f"{spec.number}/BC-UBND",
              "date": None if day is None or blank else f"{year}-{two(month)}-{two(day)}",
              "period": spec.period.code, "framework": spec.framework.code}
    tables = [table_truth(spec, i, t, fmt, laid if paged else None) for i, t in enumerate(spec.tables)]
    tables += [prose_truth(spec)] if spec.prose is not None else []
    return {
        "source_file": file.name if file else None,
        "sha256": hashlib.sha256(file.read_bytes()).hexdigest() if file else None,
        "format": TRUTH_FORMAT.get(fmt, fmt), "variant": variant(spec, laid), "framework": spec.framework.code,
        "report": report, "tables": tables, "summary": [] if xlsx else summary_truth(spec),
        "findings": [finding_truth(f) for f in findings(spec) if not (xlsx and f.rule in BODY_RULES)],
        "generator": generator_truth(spec, laid),
    }


def number_json(n: Num | None) -> float | None:
    return None if n is None else float(n.value)


def whole(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


def table_truth(spec: Spec, index: int, table: Table, fmt: str, laid: Laid | None) -> dict:
    """A table as read; `laid` (the PDF's layout) gives pages for the formats that have them."""
    rows = [row_truth(spec, table, r, laid and laid.rows.get((index, i)), wrapped(fmt, index, i, r, layout_pdf(spec)))
            for i, r in enumerate(table.rows)]
    return {"title": f"{table.label} {table.title}", "kind": table.kind, "source": "table",
            "pages": sorted({r["page"] for r in rows if r["page"]}),
            "criteria": [{"label": c.label, "group": c.group, "max": c.max and whole(c.max)} for c in table.criteria],
            "rows": rows}


def wrapped(fmt: str, index: int, i: int, row: Row, laid: Laid) -> bool:
    """Whether the printed name runs over two lines in this format (README noise "wrap")."""
    if fmt in ("pdf", "text", "pdf-scanned"):
        return (index, i) in laid.wrapped
    return fmt in ("docx", "xlsx", "html", "stream") and row.split is not None


def row_truth(spec: Spec, table: Table, row: Row, page: int | None, wrap: bool) -> dict:
    unit = row.unit
    out = {"stt": row.stt, "section": row.section, "unit_raw": row.printed, "unit": unit and unit.name,
           "unit_code": unit and unit.code, "values": [number_json(v) for v in row.values]}
    if table.kind == "scores":
        fw = spec.framework
        out |= {"total": row.total.value, "total_max": whole(table.total_max(row)),
                "converted": number_json(row.converted) if fw.key == "459" else
                None if fw.key == "1187" else row.total.value, "rating": row.rating}
        out |= {"avg_staff": row.avg_staff.value} if any(c.role == "avg_staff" for c in table.columns) else {}
        out |= {"rank": row.rank} if row.rank is not None else {}
        out |= {"rank_of": int(row.rank.split("/")[1])} if row.rank is not None and "/" in row.rank else {}
        out |= {"change": row.change.value} if row.change is not None else {}
        out |= {"rank_change": row.rank_change} if row.rank_change is not None else {}
        out |= {"note": row.note} if row.note is not None else {}
        out |= {"unlabeled": [u.value for u in row.unlabeled]} if row.unlabeled else {}
    else:
        out |= {"total": None, "total_max": None, "converted": None, "rating": None}
    out["page"] = page
    if row.total_row:
        return out | {"is_total_row": True}
    return out | {"noise": [*row.noise, *(["wrap"] if wrap else [])]}


def prose_truth(spec: Spec) -> dict:
    row = spec.prose
    return {"title": None, "kind": "scores", "source": "prose", "pages": [],
            "criteria": [{"label": c.label, "group": None, "max": whole(c.max)}
                         for c in criteria(spec.framework, prose=True)],
            "rows": [{"stt": None, "section": None, "unit_raw": row.printed, "unit": row.unit.name,
                      "unit_code": row.unit.code, "values": [v.value for v in row.values], "total": row.total.value,
                      "total_max": 100, "converted": row.total.value, "rating": row.rating, "rank": row.rank,
                      "page": None, "noise": []}]}


def summary_truth(spec: Spec) -> list[dict]:
    """One entry per rating the body states, counts added over its sentences (README)."""
    merged: dict[str, dict] = {}
    for s in spec.statements:
        listed = dict(s.listed)
        for rating, n in s.counts:
            entry = merged.setdefault(rating, {"scope": None, "rating": rating, "count": 0, "units": []})
            entry["count"] += n
            entry["units"] += [r.unit.name for r in listed.get(rating, ()) if r.unit is not None]
    return list(merged.values())


def finding_truth(f: Finding) -> dict:
    raw = f.unit_raw or f.unit
    message = MESSAGES[f.rule].format(raw=raw, unit=f.unit, expected=f.expected, actual=f.actual)
    return {"rule": f.rule, "severity": SEVERITY.get(f.rule, "error"), "unit": f.unit, "unit_raw": f.unit_raw,
            "expected": f.expected, "actual": f.actual, "message": message}


def variant(spec: Spec, laid: Laid) -> str:
    """The layout the report shows (fixtures README: L1–L8, P, prose, no-appendix)."""
    o = spec.options
    if spec.prose is not None:
        return "prose"
    if spec.appendix_missing:
        return "no-appendix"
    if spec.issuer.era == CURRENT:
        return "P"
    if len(spec.tables) > 1:
        return "L8"
    if o.unlabeled:
        return "L7"
    if o.extras:
        return "L6"
    if o.orientation == "portrait":
        return "L5"
    if len({page for (table, _), page in laid.rows.items() if table == 0}) > 1:
        return "L3" if o.repeat_header else "L4"
    return "L1" if spec.framework.key == "459" else "L2"


def generator_truth(spec: Spec, laid: Laid) -> dict:
    o = spec.options
    return {"set": "make_corpus", "seed": spec.seed, "layout": variant(spec, laid), "issuer_kind": spec.kind,
            "pdf_pages": len(laid.pages), "orientation": o.orientation, "rules": o.rules,
            "numstyle": "rounded" if o.rounded else "exact", "fraction": o.fraction, "sorted": o.sorted,
            "sections": o.sections, "extras": list(o.extras), "summary": o.summary, "tight": o.tight,
            "turned_page": o.turn,
            "planted": [list(p) for p in spec.planted]}


# ---------------------------------------------------------------- the body text


MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
CITE_766 = ("Căn cứ Quyết định số 766/QĐ-TTg ngày 23/6/2022 của Thủ tướng Chính phủ phê duyệt Bộ chỉ số chỉ đạo, "
            "điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực hiện thủ tục hành chính, "
            "dịch vụ công theo thời gian thực trên môi trường điện tử;")
GOOD = ("Các đơn vị đã quan tâm công khai thủ tục hành chính, tiếp nhận và giải quyết hồ sơ đúng quy trình; "
        "số hồ sơ nộp trực tuyến tiếp tục tăng so với kỳ trước.",
        "Nhìn chung, việc tiếp nhận, giải quyết thủ tục hành chính tại Bộ phận Một cửa các cấp được duy trì nền "
        "nếp; người dân, doanh nghiệp đánh giá cao thái độ phục vụ của công chức.")
WEAK = ("Tuy nhiên, một số đơn vị còn để hồ sơ giải quyết quá hạn; tỷ lệ số hóa hồ sơ, kết quả giải quyết và "
        "thanh toán trực tuyến chưa đạt chỉ tiêu đề ra.",
        "Bên cạnh đó, việc cập nhật hồ sơ lên hệ thống ở một số nơi còn chậm, chưa đồng bộ trạng thái xử lý; "
        "chức năng đánh giá sự hài lòng chưa được người dân sử dụng nhiều.")
TASKS = ("Đề nghị Chủ tịch UBND các đơn vị chỉ đạo khắc phục ngay các chỉ số chưa đạt, tăng cường hướng dẫn người "
         "dân nộp hồ sơ và thanh toán phí, lệ phí trực tuyến.",
         "Các đơn vị có kết quả thấp rà soát nguyên nhân, có giải pháp cụ thể để cải thiện điểm số trong kỳ tới.")


@dataclass(frozen=True)
class Para:
    text: str
    style: str = "p"  # p | h (heading) | li (list item) | note (centred, italic)


@dataclass(frozen=True)
class Body:
    """The signed report around the appendix."""

    authority: tuple[str, str]  # ("ỦY BAN NHÂN DÂN", "HUYỆN TỦA CHÙA")
    number: str  # "Số: 128/BC-UBND"
    place_date: str  # "Tủa Chùa, ngày 08 tháng 3 năm 2024"
    title: str
    paras: tuple[Para, ...]
    recipients: tuple[str, ...]
    sign: tuple[str, ...]
    signer: str


def month_words(m: int) -> str:
    """NĐ 30/2020 writes months 1 and 2 with a leading zero, the others without."""
    return two(m) if m < 3 else str(m)


def number_words(spec: Spec, blank: bool = False) -> str:
    return f"{spec.number if spec.number and not blank else ' ' * 8}/BC-UBND"


def date_words(spec: Spec, blank: bool = False) -> str:
    day, month, year = spec.signed
    return f"ngày {two(day) if day and not blank else ' ' * 6} tháng {month_words(month)} năm {year}"


def caption(spec: Spec) -> str:
    return (f"(Kèm theo Báo cáo số {number_words(spec, spec.caption_blank)} {date_words(spec, spec.caption_blank)} "
            f"của UBND {named(spec.issuer)})")


def authority(spec: Spec) -> tuple[str, str]:
    return ("ỦY BAN NHÂN DÂN", named(spec.issuer).upper())


@functools.lru_cache(maxsize=64)
def body_of(spec: Spec) -> Body:
    rng = random.Random(f"make_corpus/body/{spec.seed}")
    who = f"UBND {named(spec.issuer)}"
    kind = "prose" if spec.prose is not None else spec.framework.key
    title, paras = {"459": paras_459, "1187": paras_1187, "766": paras_766, "prose": paras_prose}[kind](spec, rng, who)
    place = bare(spec.issuer if spec.kind in ("district", "commune") else spec.province)
    closing = Para(f"Trên đây là báo cáo {title[0].lower()}{title[1:]} của {who}./.")
    sign = ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH") if spec.deputy else ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    return Body(authority(spec), f"Số: {number_words(spec)}", f"{place}, {date_words(spec)}", title,
                tuple(paras) + (closing,), recipients(spec), sign, spec.signer)


def refer(spec: Spec, index: int) -> Para:
    label = spec.tables[index].label if index < len(spec.tables) else "Phụ lục"
    return Para(f"(Chi tiết tại {label} kèm theo)" if spec.seed % 2 else f"(Có {label} kèm theo)", "note")


def statement_paras(spec: Spec) -> list[Para]:
    """The rating sentences: a list per rating, a count sentence, or counts per section of a province."""
    ratings = spec.framework.ratings if spec.framework.key != "1187" else ()
    out = []
    for s in spec.statements:
        scope = s.scope[0].upper() + s.scope[1:]
        if s.listed:
            listed = dict(s.listed)
            out.append(Para(f"{scope} được chấm điểm {two(s.of)}/{two(s.of)} đơn vị, trong đó:"))
            out += [Para(f"{two(n)} đơn vị xếp loại {rating}: {', '.join(map(body_name, listed[rating]))}.", "li")
                    for rating, n in s.counts]
            absent = [r for r in ratings if r not in dict(s.counts)]
            out += [Para(f"Không có đơn vị xếp loại {', '.join(absent)}.", "li")] if absent else []
        elif s.section is not None:
            out.append(Para(f"+ {scope}: " + ", ".join(f"{two(n)}/{two(s.of)} đơn vị đạt loại {rating}"
                                                     for rating, n in s.counts) + "."))
        else:
            out.append(Para(f"{scope} thực hiện chấm điểm {two(s.of)}/{two(s.of)} đơn vị, trong đó "
                            + ", ".join(f"{two(n)} đơn vị xếp loại {rating.lower()}" for rating, n in s.counts)
                            + "."))
    return out or [Para("Kết quả chấm điểm, xếp loại của từng đơn vị như sau:")]


def body_name(row: Row) -> str:
    """How the body names a unit: its committee, typed afresh (not the table's print)."""
    return ubnd(row.unit) if row.unit is not None else row.printed


def paras_459(spec: Spec, rng: random.Random, who: str) -> tuple[str, list[Para]]:
    words = spec.period_words
    title = ("Kết quả đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực hiện thủ tục hành chính, "
             f"dịch vụ công theo thời gian thực trên môi trường điện tử {words}")
    cites = [Para(CITE_766)] if spec.cites_766 else []
    cites.append(Para(f"Căn cứ Quyết định số 459/QĐ-UBND ngày 24/3/2023 của UBND {named(spec.province)} ban hành Bộ "
                      "chỉ số đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực hiện thủ tục hành chính, "
                      "dịch vụ công theo thời gian thực trên môi trường điện tử;"))
    intro = rng.choice((f"Trên cơ sở số liệu trên Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh và Cổng "
                        f"Dịch vụ công quốc gia, {who} báo cáo kết quả đánh giá {words} như sau:",
                        f"Căn cứ kết quả theo dõi, tổng hợp số liệu trên Cổng Dịch vụ công quốc gia, {who} báo cáo "
                        f"kết quả đánh giá chất lượng phục vụ người dân, doanh nghiệp {words} như sau:"))
    paras = [*cites, Para(intro), Para("1. Kết quả đánh giá, xếp loại", "h"), *statement_paras(spec), refer(spec, 0),
             Para("2. Nhận xét, đánh giá", "h"), Para(rng.choice(GOOD)), Para(rng.choice(WEAK))]
    if len(spec.tables) > 1:
        paras += [Para("Số hồ sơ có thu phí, lệ phí được thanh toán trực tuyến ở nhiều đơn vị còn thấp so với chỉ "
                       "tiêu kế hoạch."), refer(spec, 1)]
    if len(spec.tables) > 2:
        paras += [Para("Việc số hóa thành phần hồ sơ và cấp kết quả giải quyết điện tử chưa đồng đều giữa các đơn "
                       "vị."), refer(spec, 2)]
    return title, paras + [Para("3. Nhiệm vụ thời gian tới", "h"), Para(rng.choice(TASKS))]


def paras_1187(spec: Spec, rng: random.Random, who: str) -> tuple[str, list[Para]]:
    words = spec.period_words
    title = f"Kết quả chấm điểm đánh giá việc giải quyết thủ tục hành chính {words} trên địa bàn {named(spec.issuer)}"
    return title, [
        Para(f"Thực hiện Quyết định số 1187/QĐ-UBND ngày 13/11/2019 của UBND {named(spec.province)} ban hành nội "
             "dung, phương thức chấm điểm đánh giá việc giải quyết thủ tục hành chính; trên cơ sở kết quả tự chấm "
             f"điểm của các cơ quan, đơn vị, {who} tổng hợp kết quả chấm điểm {words} như sau:"),
        Para("1. Kết quả chấm điểm, xếp loại", "h"), *statement_paras(spec), refer(spec, 0),
        Para("2. Tồn tại, hạn chế", "h"), Para(rng.choice(WEAK)),
        Para("3. Giải pháp trong thời gian tới", "h"), Para(rng.choice(TASKS))]


def paras_766(spec: Spec, rng: random.Random, who: str) -> tuple[str, list[Para]]:
    words = spec.period_words
    title = ("Kết quả chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực "
             f"hiện thủ tục hành chính, dịch vụ công {words}")
    return title, [
        Para(CITE_766), plan_766(spec),
        Para(f"Căn cứ kết quả đánh giá công bố trên Cổng Dịch vụ công quốc gia, {who} báo cáo kết quả {words} như "
             "sau:"),
        Para("1. Kết quả đánh giá, xếp loại", "h"), *statement_paras(spec), refer(spec, 0),
        Para("2. Tồn tại, hạn chế", "h"), Para(rng.choice(WEAK)),
        Para("3. Nhiệm vụ thời gian tới", "h"), Para(rng.choice(TASKS))]


def plan_766(spec: Spec) -> Para:
    return Para(f"Căn cứ Kế hoạch của UBND {named(spec.province)} triển khai thực hiện Bộ chỉ số trên địa bàn tỉnh;")


PROSE_GROUPS = ("1. Điểm đánh giá nhóm chỉ số về công khai, minh bạch",
                "2. Điểm đánh giá nhóm chỉ số về tiến độ, kết quả giải quyết hồ sơ",
                "3.1. Điểm đánh giá chỉ số về cung cấp dịch vụ công trực tuyến",
                "3.2. Điểm đánh giá chỉ số về thanh toán trực tuyến",
                "4. Điểm đánh giá nhóm chỉ số về mức độ hài lòng",
                "5. Điểm đánh giá nhóm chỉ số về số hóa hồ sơ")


def paras_prose(spec: Spec, rng: random.Random, who: str) -> tuple[str, list[Para]]:
    """A commune's 766 report: the group scores and the total in sentences, no table."""
    row, words = spec.prose, spec.period_words
    district = register().get(spec.issuer.parent, LEGACY)
    peers = kinds_phrase(children(district))
    title = ("Kết quả chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực "
             f"hiện thủ tục hành chính, dịch vụ công {words}")
    paras = [Para(CITE_766), plan_766(spec),
             Para(f"Căn cứ kết quả công bố trên Cổng Dịch vụ công quốc gia, {who} báo cáo kết quả {words} như sau:"),
             Para("I. Điểm số theo thời gian thực", "h"),
             Para(f"Tổng số điểm {row.printed} đạt {row.total.text()}/100 điểm, xếp hạng {row.rank} {peers} của "
                  f"{named(district)}. Điểm các nhóm chỉ số cụ thể như sau:")]
    for k, (head, v, top) in enumerate(zip(PROSE_GROUPS, row.values, spec.framework.maxima)):
        if k == 2:
            paras.append(Para("3. Điểm đánh giá nhóm chỉ số về dịch vụ trực tuyến:"))
        paras.append(Para(f"{head}: {v.text()}/{top:g} điểm."))
        paras.append(Para(f"Tỷ lệ đạt của nhóm chỉ số: {Num.exact(v.value / top * 100).text()}%.", "li"))
    return title, paras + [Para("II. Kết quả xếp loại", "h"),
                           Para(f"Tổng điểm: {row.total.text()}/100 điểm, xếp loại {row.rating}."),
                           Para("III. Kiến nghị, đề xuất", "h"), Para("Không.")]


def recipients(spec: Spec) -> tuple[str, ...]:
    if spec.kind == "commune":
        return (f"UBND {named(register().get(spec.issuer.parent, LEGACY))} (b/c);", "Đảng ủy, HĐND xã;", "Lưu: VP.")
    if spec.kind == "district":
        return (f"Văn phòng UBND {named(spec.province)};", f"Thường trực HĐND {spec.issuer.kind};",
                f"Chủ tịch, các PCT UBND {spec.issuer.kind};", f"UBND các {kinds_phrase(children(spec.issuer))};",
                "Lưu: VT.")
    lower = "UBND các xã, phường" if spec.kind == "province-2025" else \
        f"UBND các {kinds_phrase(children(spec.issuer))}"
    return ("Văn phòng Chính phủ (Cục Kiểm soát TTHC);", "TT Tỉnh ủy, TT HĐND tỉnh;", "Chủ tịch, các PCT UBND tỉnh;",
            "Các sở, ban, ngành tỉnh;", f"{lower};", "Lưu: VT, KSTT.")


# ---------------------------------------------------------------- cells, shared by every renderer


@dataclass(frozen=True)
class HeaderCell:
    row: int
    col: int
    rows: int
    cols: int
    text: str


def header_cells(table: Table) -> tuple[HeaderCell, ...]:
    """The merged header from the columns' paths: equal labels side by side merge, a path's last label spans
    down to the bottom header row; an empty label (the unlabeled column) merges with nothing."""
    cols = table.columns
    depth = max(len(c.path) for c in cols)
    out = []
    for level in range(depth):
        i = 0
        while i < len(cols):
            path = cols[i].path
            if level >= len(path):
                i += 1
                continue
            last = level == len(path) - 1
            span = 1
            while path[level] and i + span < len(cols) and cols[i + span].path[:level + 1] == path[:level + 1] \
                    and (len(cols[i + span].path) - 1 == level) == last and not last:
                span += 1
            out.append(HeaderCell(level, i, depth - level if last else 1, span, path[level]))
            i += span
    return tuple(out)


def header_grid(table: Table) -> list[list[str]]:
    """The header as rows of cells, a merged cell's text in its first cell and the others empty."""
    cells = header_cells(table)
    grid = [[""] * len(table.columns) for _ in range(max(c.row + c.rows for c in cells))]
    for c in cells:
        grid[c.row][c.col] = c.text
    return grid


def cell_text(table: Table, row: Row, col: Column, na: str) -> str:
    """A cell as printed: "-" or blank for a criterion that does not apply, "-" for no money, "55/70"."""
    role = col.role
    if role == "value":
        shown = dict(row.shown)
        if col.index in shown:
            return shown[col.index]
        v = row.values[col.index]
        if v is None:
            return "-" if col.money or table.kind == "other" else na
        return v.text(col.money or v.value >= 1000)
    if role == "total":
        total = row.total.text()
        return f"{total}/{row.top:g}" if row.top is not None else total
    if role == "rating":
        return ABBREVIATIONS.get(row.rating, row.rating) if table.abbreviate else row.rating
    return {"stt": row.stt or "", "name": row.printed, "unlabeled": row.unlabeled and row.unlabeled[0].text(),
            "converted": row.converted and row.converted.text(), "avg_staff": row.avg_staff and row.avg_staff.text(),
            "rank": row.rank or "", "note": row.note or "", "change": row.change and signed(row.change),
            "rank_change": row.rank_change is not None and moved(row.rank_change)}[role] or ""


def signed(change: Num) -> str:
    """A change in points as rankings print it: "+2,5", "-1,25", "0"."""
    return ("+" if change.value > 0 else "") + change.text()


def moved(places: int) -> str:
    """A change in places as rankings print it: "▲ 2", "▼ 1", "0"."""
    return f"▲ {places}" if places > 0 else f"▼ {-places}" if places < 0 else "0"


def cell_texts(table: Table, row: Row, na: str) -> list[str]:
    return [cell_text(table, row, col, na) for col in table.columns]


def section_line(table: Table, section: str) -> tuple[str, str]:
    """(numeral, heading) of a section row."""
    return next((numeral, head) for numeral, head in table.sections if head == section)


def printed_rows(table: Table) -> list[tuple[str, Row | tuple[str, str]]]:
    """The table body in print order: ("section", (numeral, heading)) rows before each section, ("row", row)."""
    out: list[tuple[str, Row | tuple[str, str]]] = []
    current = None
    for row in table.rows:
        if row.section != current and row.section is not None:
            out.append(("section", section_line(table, row.section)))
        current = row.section
        out.append(("row", row))
    return out


# ---------------------------------------------------------------- PDF layout


REGULAR, BOLD, ITALIC, BOLD_ITALIC = "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique"
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
PORTRAIT, LANDSCAPE = (595.28, 841.89), (841.89, 595.28)


@functools.cache
def fonts() -> None:
    """DejaVu for reportlab: Debian's fonts-dejavu-core draws every Vietnamese letter."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    for name in (REGULAR, BOLD, ITALIC, BOLD_ITALIC):
        path = FONT_DIR / f"{name}.ttf"
        if not path.is_file():
            raise RuntimeError(f"{path} is missing: the PDF formats need fonts-dejavu-core")
        pdfmetrics.registerFont(TTFont(name, str(path)))


def width(text: str, font: str, size: float) -> float:
    from reportlab.pdfbase import pdfmetrics

    fonts()
    return pdfmetrics.stringWidth(text, font, size)


def wrap(text: str, room: float, font: str, size: float, break_words: bool = False) -> list[str]:
    """Lines of `text` within `room` points, at spaces; a word too long is cut only where asked ("ST" / "T")."""
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}" if line else word
        if width(trial, font, size) <= room or not line and not break_words:
            line = trial
            continue
        if line:
            lines.append(line)
        line = word
        while break_words and len(line) > 1 and width(line, font, size) > room:
            cut = max((k for k in range(1, len(line)) if width(line[:k], font, size) <= room), default=1)
            lines.append(line[:cut])
            line = line[cut:]
    return [*lines, line] if line or not lines else lines


@dataclass(frozen=True)
class Op:
    """One drawing instruction: a string at (x, y), or a line to (x2, y2)."""

    x: float
    y: float
    text: str = ""
    font: str = REGULAR
    size: float = 10.0
    align: str = "left"
    x2: float | None = None
    y2: float | None = None


@dataclass(frozen=True)
class Laid:
    """The PDF as laid out: pages of drawing instructions, and where every table row went."""

    pages: tuple[tuple[tuple[float, float], tuple[Op, ...]], ...]
    rows: dict[tuple[int, int], int]  # (table, row) → 1-based page
    wrapped: frozenset[tuple[int, int]]  # rows whose name runs over two lines
    breaks: frozenset[tuple[int, int]]  # (table, row) starting a continuation page
    appendix: int  # 0-based index of the first appendix page


class Sheet:
    """Pages filled from the top, the current one last (a builder, local to one layout)."""

    def __init__(self) -> None:
        self.pages: list[tuple[tuple[float, float], list[Op]]] = []
        self.y = self.top = self.bottom = 0.0

    def page(self, size: tuple[float, float], margin: float) -> None:
        self.pages.append((size, []))
        self.top, self.bottom = size[1] - margin, margin
        self.y = self.top

    def text(self, x: float, y: float, text: str, font: str = REGULAR, size: float = 10.0, align: str = "left"):
        self.pages[-1][1].append(Op(x, y, text, font, size, align))

    def line(self, x: float, y: float, x2: float, y2: float) -> None:
        self.pages[-1][1].append(Op(x, y, x2=x2, y2=y2))

    def fits(self, height: float) -> bool:
        return self.y - height >= self.bottom

    @property
    def number(self) -> int:
        return len(self.pages)


@functools.lru_cache(maxsize=64)
def layout_pdf(spec: Spec) -> Laid:
    """The body on portrait pages, then each appendix table from a new page in its orientation."""
    sheet = Sheet()
    lay_body(sheet, body_of(spec))
    first = len(sheet.pages)
    rows: dict[tuple[int, int], int] = {}
    wrapped_rows: set[tuple[int, int]] = set()
    breaks: set[tuple[int, int]] = set()
    for i, table in enumerate(spec.tables):
        lay_table(sheet, spec, i, table, rows, wrapped_rows, breaks)
    return Laid(tuple((size, tuple(ops)) for size, ops in sheet.pages), rows, frozenset(wrapped_rows),
                frozenset(breaks), first)


BODY_LEFT, BODY_WIDTH, BODY_SIZE, BODY_LEAD = 70.0, 470.0, 11.5, 15.5


def lay_lines(sheet: Sheet, lines: Sequence[tuple[float, str]], font: str, size: float, lead: float,
              align: str = "left", portrait_margin: float = 56) -> None:
    for x, line in lines:
        if not sheet.fits(lead):
            sheet.page(PORTRAIT, portrait_margin)
        sheet.y -= lead
        sheet.text(x, sheet.y + lead - size, line, font, size, align)


def lay_body(sheet: Sheet, body: Body) -> None:
    sheet.page(PORTRAIT, 56)
    lc, rc = BODY_LEFT + 92, BODY_LEFT + 330
    y = sheet.y - 11
    for (left, lfont), motto in zip(((body.authority[0], REGULAR), (body.authority[1], BOLD)), MOTTO):
        sheet.text(lc, y, left, lfont, 10.5, "center")
        sheet.text(rc, y, motto, BOLD, 10.5, "center")
        y -= 14
    y -= 16
    sheet.text(lc, y, body.number, REGULAR, 11, "center")
    sheet.text(rc, y, body.place_date, ITALIC, 11, "center")
    sheet.y = y - 22
    centre = BODY_LEFT + BODY_WIDTH / 2
    lay_lines(sheet, [(centre, "BÁO CÁO")], BOLD, 12.5, 17, "center")
    lay_lines(sheet, [(centre, t) for t in wrap(body.title, 410, BOLD, 11.5)], BOLD, 11.5, 15, "center")
    sheet.y -= 6
    for para in body.paras:
        lay_para(sheet, para)
    lay_signature(sheet, body)


def lay_para(sheet: Sheet, para: Para) -> None:
    if para.style == "note":
        centre = BODY_LEFT + BODY_WIDTH / 2
        lay_lines(sheet, [(centre, t) for t in wrap(para.text, BODY_WIDTH, ITALIC, BODY_SIZE)], ITALIC, BODY_SIZE,
                  BODY_LEAD, "center")
        return
    font = BOLD if para.style == "h" else REGULAR
    text = f"- {para.text}" if para.style == "li" else para.text
    indent = 28.0
    head = wrap(text, BODY_WIDTH - indent, font, BODY_SIZE)[0]
    rest = text[len(head):].strip()
    lines = [(BODY_LEFT + indent, head)] + [(BODY_LEFT, t) for t in (wrap(rest, BODY_WIDTH, font, BODY_SIZE)
                                                                   if rest else [])]
    lay_lines(sheet, lines, font, BODY_SIZE, BODY_LEAD)
    sheet.y -= 2


def lay_signature(sheet: Sheet, body: Body) -> None:
    """Recipients on the left, the signature on the right, kept on one page."""
    height = max(14 + 12 * len(body.recipients), 16 * len(body.sign) + 70)
    if not sheet.fits(height + 20):
        sheet.page(PORTRAIT, 56)
    y = sheet.y - 24
    sheet.text(BODY_LEFT, y, "Nơi nhận:", BOLD_ITALIC, 10.5)
    for i, item in enumerate(body.recipients, 1):
        sheet.text(BODY_LEFT, y - 2 - 12 * i, f"- {item}", REGULAR, 9.5)
    rc = BODY_LEFT + 330
    for i, line in enumerate(body.sign):
        sheet.text(rc, y - 16 * i, line, BOLD, 11, "center")
    sheet.text(rc, y - 16 * len(body.sign) - 60, body.signer, BOLD, 11, "center")
    sheet.y = y - height


@dataclass(frozen=True)
class Grid:
    """A table's geometry on its pages."""

    x0: float
    widths: tuple[float, ...]
    size: float
    lead: float
    pad: float
    row_pad: float

    def x(self, col: int) -> float:
        return self.x0 + sum(self.widths[:col])

    def span(self, col: int, cols: int) -> float:
        return sum(self.widths[col:col + cols])


def natural_widths(table: Table, lay: Layout, size: float) -> tuple[list[float], list[float]]:
    """(natural, least) width of each column: its longest text, or for wrapping cells its longest word; a
    header label that is the column's own must fit word by word."""
    texts = [cell_texts(table, r, lay.na) for r in table.rows]
    natural, least = [], []
    for i, col in enumerate(table.columns):
        data = [t[i] for t in texts] or [""]
        own = col.path[-1].split() if col.role != "stt" else ["ST"]  # a narrow STT breaks to "ST" / "T"
        head = max((width(w, BOLD, size) for w in own), default=0.0)
        longest = max(width(d, REGULAR, size) for d in data)
        words = max((width(w, REGULAR, size) for d in data for w in d.split()), default=0.0)
        shortest = {"name": max(words, 0.4 * longest), "rating": words, "note": words}.get(col.role, longest)
        natural.append(max(longest, head) + 2 * lay.pad)
        least.append(max(shortest, head) + 2 * lay.pad)
    return natural, least


def geometry(table: Table, lay: Layout, x0: float, room: float) -> Grid:
    """Column widths: natural × the column's stretch, shrunk to the page (notes, names and ratings first, which
    wrap), the font made smaller if even that does not fit; a table that is not tight fills its share of it."""
    size = lay.font_size
    while True:
        natural, least = natural_widths(table, lay, size)
        widths = [max(lo, n * c.stretch) for n, lo, c in zip(natural, least, table.columns)]
        over = sum(widths) - room * lay.fill
        for role in ("note", "name", "rating", "value", "total", "converted"):
            for i, col in enumerate(table.columns):
                if over > 0 and col.role == role:
                    cut = min(over, widths[i] - least[i])
                    widths[i] -= cut
                    over -= cut
        if sum(widths) <= room + 0.01:
            break
        size -= 0.3
    if not lay.tight and sum(widths) < room * lay.fill:
        widths = [w * room * lay.fill / sum(widths) for w in widths]
    return Grid(x0, tuple(widths), size, size * 1.22, lay.pad, lay.row_pad)


def lay_table(sheet: Sheet, spec: Spec, index: int, table: Table, rows: dict, wrapped_rows: set, breaks: set) -> None:
    lay = spec.layout
    size = LANDSCAPE if lay.orientation == "landscape" else PORTRAIT
    margin = 28.0 if size == LANDSCAPE else 30.0
    sheet.page(size, margin)
    room = size[0] - 2 * margin
    lay_caption(sheet, spec, table, margin, room)
    grid = geometry(table, lay, margin, room)
    cells = header_cells(table)
    heights = header_heights(grid, cells)
    head = sum(heights) + (grid.lead + 2 * grid.row_pad if table.numbering else 0)
    body = printed_rows(table)
    kind, item = body[0]
    if not sheet.fits(head + row_height(grid, table, item if kind == "row" else None, lay)):
        sheet.page(size, margin)
    lay_header(sheet, grid, cells, heights, table, lay.rules)
    for kind, item in body:
        height = row_height(grid, table, item if kind == "row" else None, lay)
        if not sheet.fits(height):
            sheet.page(size, margin)
            if kind == "row":
                breaks.add((index, table.rows.index(item)))
            if lay.repeat_header:
                lay_header(sheet, grid, cells, heights, table, lay.rules)
        if kind == "section":
            lay_section(sheet, grid, item, lay.rules)
            continue
        i = table.rows.index(item)
        rows[index, i] = sheet.number
        if lay_row(sheet, grid, table, item, height, lay):
            wrapped_rows.add((index, i))
    if table.note:
        lines = wrap(table.note, room, ITALIC, grid.size + 0.5)
        lay_lines(sheet, [(margin, t) for t in lines], ITALIC, grid.size + 0.5, grid.lead + 1)


def lay_caption(sheet: Sheet, spec: Spec, table: Table, x0: float, room: float) -> None:
    """The label ("Phụ lục", "Biểu số 01"), the title and the "(Kèm theo …)" line; maybe the issuer above."""
    centre = x0 + room / 2
    if spec.layout.issuer_on_appendix:
        y = sheet.y - 10
        for line, font in zip(authority(spec), (REGULAR, BOLD)):
            sheet.text(x0 + 95, y, line, font, 10, "center")
            y -= 13
        sheet.text(x0 + room, sheet.y - 10, table.label, BOLD, 11, "right")
        sheet.y = y - 4
    else:
        lay_lines(sheet, [(centre, table.label)], BOLD, 11.5, 16, "center")
    lay_lines(sheet, [(centre, t) for t in wrap(table.title, room * 0.92, BOLD, 10.5)], BOLD, 10.5, 14, "center")
    lay_lines(sheet, [(centre, t) for t in wrap(caption(spec), room, ITALIC, 10)], ITALIC, 10, 14, "center")
    sheet.y -= 6


def header_heights(grid: Grid, cells: Sequence[HeaderCell]) -> list[float]:
    """Row heights of the header: each cell's wrapped label fits the rows it spans (the last one grows)."""
    depth = max(c.row + c.rows for c in cells)
    heights = [grid.lead + 4.0] * depth
    need = {c: len(header_lines(grid, c)) * grid.lead + 4.0 for c in cells}
    for c in sorted(cells, key=lambda c: c.rows):
        have = sum(heights[c.row:c.row + c.rows])
        if need[c] > have:
            heights[c.row + c.rows - 1] += need[c] - have
    return heights


def header_lines(grid: Grid, c: HeaderCell) -> list[str]:
    return wrap(c.text, grid.span(c.col, c.cols) - 2 * grid.pad, BOLD, grid.size, break_words=True) if c.text else []


def lay_header(sheet: Sheet, grid: Grid, cells: Sequence[HeaderCell], heights: Sequence[float], table: Table,
               rules: str) -> None:
    top = sheet.y
    for c in cells:
        y = top - sum(heights[:c.row])
        h = sum(heights[c.row:c.row + c.rows])
        x, w = grid.x(c.col), grid.span(c.col, c.cols)
        lay_cell(sheet, grid, x, y, w, h, header_lines(grid, c), BOLD, "center")
        rule_cell(sheet, x, y, w, h, rules, header=True)
    sheet.y = top - sum(heights)
    if table.numbering:
        h = grid.lead + 2 * grid.row_pad
        for i in range(len(table.columns)):
            x, w = grid.x(i), grid.widths[i]
            lay_cell(sheet, grid, x, sheet.y, w, h, [f"({i + 1})"], ITALIC, "center")
            rule_cell(sheet, x, sheet.y, w, h, rules, header=True)
        sheet.y -= h


def row_lines(grid: Grid, table: Table, row: Row, lay: Layout) -> list[list[str]]:
    out = []
    for i, (col, text) in enumerate(zip(table.columns, cell_texts(table, row, lay.na))):
        wraps = col.role in ("name", "rating", "note")
        out.append(wrap(text, grid.widths[i] - 2 * grid.pad, REGULAR, grid.size) if wraps and text else [text])
    return out


def row_height(grid: Grid, table: Table, row: Row | None, lay: Layout) -> float:
    if row is None:
        return grid.lead + 2 * grid.row_pad
    return max(len(lines) for lines in row_lines(grid, table, row, lay)) * grid.lead + 2 * grid.row_pad


def lay_row(sheet: Sheet, grid: Grid, table: Table, row: Row, height: float, lay: Layout) -> bool:
    """One data row; True when its name wrapped."""
    lines = row_lines(grid, table, row, lay)
    for i, (col, cell) in enumerate(zip(table.columns, lines)):
        align = "left" if col.role in ("name", "note") else "center" if col.role in ("stt", "rating") else lay.align
        x, w = grid.x(i), grid.widths[i]
        lay_cell(sheet, grid, x, sheet.y, w, height, cell, BOLD if row.total_row else REGULAR, align)
        rule_cell(sheet, x, sheet.y, w, height, lay.rules, header=False)
    sheet.y -= height
    return any(len(cell) > 1 for col, cell in zip(table.columns, lines) if col.role == "name")


def lay_section(sheet: Sheet, grid: Grid, section: tuple[str, str], rules: str) -> None:
    numeral, heading = section
    h = grid.lead + 2 * grid.row_pad
    spans = [(0, 1, numeral), (1, len(grid.widths) - 1, heading)] if numeral else [(0, len(grid.widths), heading)]
    for col, cols, text in spans:
        x, w = grid.x(col), grid.span(col, cols)
        lay_cell(sheet, grid, x, sheet.y, w, h, [text], BOLD, "center" if text == numeral else "left")
        rule_cell(sheet, x, sheet.y, w, h, rules, header=False)
    sheet.y -= h


def lay_cell(sheet: Sheet, grid: Grid, x: float, top: float, w: float, h: float, lines: Sequence[str], font: str,
             align: str) -> None:
    """Lines centred vertically in the cell, aligned left, centre or right within its padding."""
    block = len(lines) * grid.lead
    first = top - (h - block) / 2
    tx = x + grid.pad if align == "left" else x + w / 2 if align == "center" else x + w - grid.pad
    for k, line in enumerate(lines):
        if line:
            sheet.text(tx, first - k * grid.lead - grid.lead / 2 - grid.size * 0.35, line, font, grid.size, align)


def rule_cell(sheet: Sheet, x: float, top: float, w: float, h: float, rules: str, header: bool) -> None:
    """The cell's rules: a full grid; horizontal lines only; the header boxed and the body bare; none."""
    if rules == "none" or rules == "header" and not header:
        return
    sheet.line(x, top, x + w, top)
    sheet.line(x, top - h, x + w, top - h)
    if rules in ("grid", "header"):
        sheet.line(x, top, x, top - h)
        sheet.line(x + w, top, x + w, top - h)


# ---------------------------------------------------------------- renderers


def render(spec: Spec, fmt: str, folder: Path, name: str | None = None) -> Path:
    """Write the report as `fmt` into `folder`; the file's path."""
    _need(fmt in FORMATS, f"unknown format {fmt!r}")
    _need(fmt != "xlsx" or bool(spec.tables), "an xlsx file holds the appendix only: this report has none")
    path = Path(folder) / f"{name or stem(spec)}{EXTENSION[fmt]}"
    path.parent.mkdir(parents=True, exist_ok=True)
    RENDERERS[fmt](spec, path)
    return path


def stem(spec: Spec) -> str:
    """An ASCII file name: issuer, period, seed ("tua-chua_2023-04_17")."""
    letters = unicodedata.normalize("NFD", bare(spec.issuer).replace("đ", "d").replace("Đ", "D"))
    ascii_ = "".join(c for c in letters if not unicodedata.combining(c)).lower()
    return f"{'-'.join(re.sub(r'[^0-9a-z]+', ' ', ascii_).split())}_{spec.period.code}_{spec.seed}"


def render_pdf(spec: Spec, path: Path) -> None:
    from reportlab.pdfgen import canvas

    laid = layout_pdf(spec)
    pdf = canvas.Canvas(str(path), pagesize=laid.pages[0][0], invariant=1)
    pdf.setTitle(f"Báo cáo {number_words(spec).strip()} {spec.issuer.name}")
    for size, ops in laid.pages:
        pdf.setPageSize(size)
        pdf.setLineWidth(0.6)
        for op in ops:
            if op.x2 is not None:
                pdf.line(op.x, op.y, op.x2, op.y2)
                continue
            pdf.setFont(op.font, op.size)
            draw_ = {"left": pdf.drawString, "center": pdf.drawCentredString, "right": pdf.drawRightString}
            draw_[op.align](op.x, op.y, op.text)
        pdf.showPage()
    pdf.save()


def render_text(spec: Spec, path: Path) -> None:
    """`pdftotext -layout` of the PDF, as offices' converters and the seeds have it."""
    program = shutil.which("pdftotext")
    if program is None:
        raise RuntimeError("the text format is `pdftotext -layout` of the PDF: install poppler-utils")
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "report.pdf"
        render_pdf(spec, pdf)
        subprocess.run([program, "-layout", "-enc", "UTF-8", str(pdf), str(path)], check=True)


def md_row(cells: Sequence[str]) -> str:
    return "\t".join(cells)


def render_md(spec: Spec, path: Path) -> None:
    """Markdown like the real renderings: the body as paragraphs, each table as tab-separated rows, a merged
    header cell once; where the PDF starts a new page the header comes again after a blank line (if it does)."""
    body = body_of(spec)
    parts = [body.authority[0], f"**{body.authority[1]}**", MOTTO[0], f"**{MOTTO[1]}**", body.number,
             body.place_date, "## BÁO CÁO", f"### {body.title}"]
    parts += [{"h": f"#### {p.text}", "li": f"- {p.text}", "note": f"*{p.text}*"}.get(p.style, p.text)
              for p in body.paras]
    parts += ["**Nơi nhận:**", "\n".join(f"- {r}" for r in body.recipients), *(f"**{s}**" for s in body.sign),
              f"**{body.signer}**"]
    laid = layout_pdf(spec)
    for index, table in enumerate(spec.tables):
        parts += [f"## {table.label}", f"**{table.title}**", caption(spec), md_table(spec, index, table, laid)]
        parts += [table.note] if table.note else []
    path.write_text(nfc("\n\n".join(parts) + "\n"), encoding="utf-8")


def md_table(spec: Spec, index: int, table: Table, laid: Laid) -> str:
    lay = spec.layout
    bold = (lambda t: f"<b>{t}</b>" if t else t) if lay.md_bold else (lambda t: t)
    header = [md_row(r) for r in header_grid(table)]
    header += [md_row(f"({i + 1})" for i in range(len(table.columns)))] if table.numbering else []
    lines = list(header)
    width_ = len(table.columns)
    for kind, item in printed_rows(table):
        if kind == "section":
            numeral, heading = item
            lines.append(md_row([bold(numeral), bold(heading)] + [""] * (width_ - 2) if numeral
                                else [bold(heading)] + [""] * (width_ - 1)))
            continue
        if (index, table.rows.index(item)) in laid.breaks:
            lines += ["", ""] + (header if lay.repeat_header else [])
        cells = cell_texts(table, item, lay.na)
        lines.append(md_row(bold(c) if col.role == "total" or item.total_row else c
                            for c, col in zip(cells, table.columns)))
    return "\n".join(lines)


def stream_lines(text: str, rng: random.Random) -> list[str]:
    """A paragraph as converters break it: printed lines, each followed by an empty one."""
    out = []
    for line in textwrap.wrap(text, rng.randint(70, 84)):
        out += [f"{line} ", ""]
    return out


def render_stream(spec: Spec, path: Path) -> None:
    """Line-broken text: every printed line its own paragraph, header labels word by word, a row's cells one
    after another on lines of a few; "-" marks a criterion that does not apply, as a blank would be lost."""
    rng = random.Random(f"make_corpus/stream/{spec.seed}")
    body = body_of(spec)
    lines = [f"{body.authority[0]} ", "", f"{body.authority[1]} ", "", *(f"{m} " for m in MOTTO), "",
             f"{body.number} ", f"{body.place_date} ", "", "BÁO CÁO ", "", *stream_lines(body.title, rng)]
    for p in body.paras:
        lines += stream_lines({"li": f"- {p.text}"}.get(p.style, p.text), rng)
    lines += ["Nơi nhận: ", "", *(f"- {r} " for r in body.recipients), "", *(f"{s} " for s in body.sign), "",
              "", f"{body.signer} "]
    for table in spec.tables:
        lines += [f"{table.label} ", "", *stream_lines(table.title, rng), *stream_lines(caption(spec), rng)]
        lines += [f"{w} " if w else "" for c in header_cells(table) for w in stream_words(c.text, rng)] + [""]
        lines += [f"({i + 1}) " for i in range(len(table.columns))] if table.numbering else []
        for kind, item in printed_rows(table):
            lines += stream_row(table, item, rng) if kind == "row" else [f"{' '.join(t for t in item if t)} ", ""]
        lines += stream_lines(table.note, rng) if table.note else []
    path.write_text(nfc("\n".join(lines) + "\n"), encoding="utf-8")


def stream_words(text: str, rng: random.Random) -> list[str]:
    """A header label broken into fragments of one to three words, empty lines between."""
    words, out = text.split(), []
    while words:
        k = rng.randint(1, 3)
        out += [" ".join(words[:k]), ""]
        words = words[k:]
    return out


def stream_row(table: Table, row: Row, rng: random.Random) -> list[str]:
    cells = cell_texts(table, row, "-")
    words = row.printed.split()
    name = [" ".join(words[:row.split]), " ".join(words[row.split:])] if row.split else [row.printed]
    out = [f"{cells[0]} {name[0]} ".lstrip(), *(f"{n} " for n in name[1:]), ""]
    rest = [c for c, col in zip(cells, table.columns) if col.role not in ("stt", "name") and c]
    while rest:
        k = rng.randint(1, 6)
        out += [" ".join(rest[:k]) + " ", ""]
        rest = rest[k:]
    return out


def render_docx(spec: Spec, path: Path) -> None:
    """Word: the heading block and the signature as borderless two-cell tables, the appendix tables in their
    own sections with merged header cells (repeated on new pages when the layout repeats them)."""

    import docx
    from docx.enum.section import WD_ORIENT, WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    body = body_of(spec)
    doc = docx.Document()
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(13)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    head = doc.add_table(rows=1, cols=2)
    head.cell(0, 0).text = f"{body.authority[0]}\n{body.authority[1]}\n\n{body.number}"
    head.cell(0, 1).text = f"{MOTTO[0]}\n{MOTTO[1]}\n\n{body.place_date}"
    for text, bold in (("BÁO CÁO", True), (body.title, True)):
        p = doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.add_run(text).bold = bold
    for para in body.paras:
        p = doc.add_paragraph()
        run = p.add_run(f"- {para.text}" if para.style == "li" else para.text)
        run.bold, run.italic = para.style == "h", para.style == "note"
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER if para.style == "note" else WD_ALIGN_PARAGRAPH.JUSTIFY
    sign = doc.add_table(rows=1, cols=2)
    sign.cell(0, 0).text = "Nơi nhận:\n" + "\n".join(f"- {r}" for r in body.recipients)
    sign.cell(0, 1).text = "\n".join(body.sign) + "\n\n\n\n\n" + body.signer
    for table in spec.tables:
        section = doc.add_section(WD_SECTION.NEW_PAGE)
        landscape = spec.layout.orientation == "landscape"
        section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
        lines = ((table.label, True, False), (table.title, True, False), (caption(spec), False, True))
        for text, bold, italic in lines:
            p = doc.add_paragraph()
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(text)
            run.bold, run.italic = bold, italic
        docx_table(doc, spec, table)
        if table.note:
            doc.add_paragraph().add_run(table.note).italic = True
    if doc.element.body[-2].tag.endswith("}tbl"):
        doc.add_paragraph()  # Word ends a body with a paragraph; a table last is lost when saved as .doc
    doc.core_properties.created = doc.core_properties.modified = datetime.datetime(2024, 1, 1)
    doc.core_properties.author = "UBND"
    doc.save(str(path))
    fix_zip(path)


def docx_table(doc, spec: Spec, table: Table) -> None:
    """The rows are filled cell by cell first (python-docx finds a cell by scanning the whole table), then the
    few merges are made."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.table import _Cell

    cells = header_cells(table)
    depth = max(c.row + c.rows for c in cells) + table.numbering
    body = printed_rows(table)
    grid = doc.add_table(rows=depth + len(body), cols=len(table.columns))
    grid.style = "Table Grid"
    numbering = [[f"({i + 1})" for i in range(len(table.columns))]] if table.numbering else []
    texts = [*numbering, *(docx_texts(spec, table, item) if kind == "row" else [item[0]] for kind, item in body)]
    for row, line in zip(grid.rows[depth - len(numbering):], texts):
        for tc, text in zip(row._tr.tc_lst, line):
            _Cell(tc, grid).text = text
    for c in cells:
        grid.cell(c.row, c.col).merge(grid.cell(c.row + c.rows - 1, c.col + c.cols - 1)).text = c.text
    for n, (kind, item) in enumerate(body, depth):
        if kind == "section":
            grid.cell(n, 1 if item[0] else 0).merge(grid.cell(n, len(table.columns) - 1)).text = item[1]
    if spec.layout.repeat_header:
        for r in range(depth):
            flag = OxmlElement("w:tblHeader")
            flag.set(qn("w:val"), "true")
            grid.rows[r]._tr.get_or_add_trPr().append(flag)


def docx_texts(spec: Spec, table: Table, row: Row) -> list[str]:
    """A row's cells, the name broken over two lines where the spec breaks it."""
    texts = cell_texts(table, row, spec.layout.na)
    if row.split:
        words = row.printed.split()
        texts[1] = f"{' '.join(words[:row.split])}\n{' '.join(words[row.split:])}"
    return texts


# a portal's menus: no period, number or unit in them, which the body's metadata would pick up
HTML_MENU = ("Trang chủ", "Giới thiệu", "Tin tức - Sự kiện", "Chỉ đạo điều hành", "Thủ tục hành chính",
             "Liên hệ")
HTML_SIDEBAR = ("Văn bản mới", "Lịch công tác", "Thông báo", "Hỏi đáp", "Dịch vụ công trực tuyến")
HTML_STYLE = "body{font-family:'Times New Roman'} td{vertical-align:top} .center{text-align:center}"
HTML_SCRIPT = 'document.write("<table><tr><td>Đang tải…</td></tr></table>"); var x = 1 < 2 && "</b>";'
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def render_html(spec: Spec, path: Path) -> None:
    """A page saved from a provincial portal: a style, scripts, a menu in a layout table and the report in
    nested layout tables, the appendix with rowspan/colspan header cells. Drawn per report: windows-1258
    (declared by a <meta>) or UTF-8; cells with Excel's x:num and mso-number-format, as a portal's "Excel"
    export writes them; and, where the appendix caption still gives number and date, no document header
    block, the page's <title> and <h1> naming report, period and issuer instead."""
    rng = random.Random(f"make_corpus/html/{spec.seed}")
    body = body_of(spec)
    legacy, excel = rng.random() < 0.4, rng.random() < 0.3
    headless = bool(spec.tables) and not spec.caption_blank and rng.random() < 0.35
    title = f"{body.title} của UBND {named(spec.issuer)}"
    head = [] if headless else [html_grid([[f"{body.authority[0]}\n{body.authority[1]}\n\n{body.number}",
                                             f"{MOTTO[0]}\n{MOTTO[1]}\n\n{body.place_date}"]])]
    report = [*head, f'<p class="center"><b>BÁO CÁO<br>{html_lines(body.title)}</b></p>',
              *(html_para(p) for p in body.paras),
              html_grid([["Nơi nhận:\n" + "\n".join(f"- {r}" for r in body.recipients),
                          "\n".join(body.sign) + "\n\n\n" + body.signer]])]
    for table in spec.tables:
        report += [f'<p class="center"><b>{html_lines(table.label)}</b></p>',
                   f'<p class="center"><b>{html_lines(table.title)}</b></p>',
                   f'<p class="center"><i>{html_lines(caption(spec))}</i></p>', html_table(spec, table, excel)]
        report += [f"<p><i>{html_lines(table.note)}</i></p>"] if table.note else []
    menu = "".join(f'<td><a href="/{i}">{html_lines(m)}</a></td>' for i, m in enumerate(HTML_MENU))
    side = "".join(f'<li><a href="/tin/{i}">{html_lines(m)}</a></li>' for i, m in enumerate(HTML_SIDEBAR))
    charset = ('<meta http-equiv="Content-Type" content="text/html; charset=windows-1258">' if legacy
               else '<meta charset="utf-8">')
    page = "\n".join([
        "<!DOCTYPE html>", '<html lang="vi" xmlns:x="urn:schemas-microsoft-com:office:excel">' if excel
        else '<html lang="vi">',
        f"<head>{charset}<title>{html_lines(title)}</title><style>{HTML_STYLE}</style>",
        f"<script>{HTML_SCRIPT}</script></head><body>", "<!-- header --><noscript>Hãy bật JavaScript</noscript>",
        '<table width="100%" class="layout"><tr><td>', f'<table class="menu"><tr>{menu}</tr></table>',
        '</td></tr><tr><td><table width="100%"><tr>', f'<td class="sidebar"><ul>{side}</ul></td><td class="content">',
        f"<h1>{html_lines(title)}</h1>", *report, '<div style="display:none">Lượt xem: 0</div>',
        "</td></tr></table></td></tr>",
        f"<tr><td>Cổng thông tin điện tử {html_lines(named(spec.province))}</td></tr>",
        "</table><script>var counter = 0;</script></body></html>", ""])
    path.write_bytes(windows_1258(page) if legacy else page.encode("utf-8"))


def html_lines(text: str) -> str:
    """Text for a page: escaped, a line break as <br>."""
    from html import escape

    return "<br>".join(escape(line, quote=False) for line in text.split("\n"))


def html_para(para: Para) -> str:
    text = html_lines(para.text)
    return {"h": f"<h3>{text}</h3>", "li": f"<ul><li>{text}</li></ul>",
            "note": f'<p class="center"><i>{text}</i></p>'}.get(para.style, f"<p>{text}</p>")


def html_grid(rows: Sequence[Sequence[str]]) -> str:
    """A borderless layout table of text cells (the heading and signature blocks)."""
    return "<table>" + "".join("<tr>" + "".join(f"<td>{html_lines(c)}</td>" for c in row) + "</tr>"
                               for row in rows) + "</table>"


def html_table(spec: Spec, table: Table, excel: bool) -> str:
    """The appendix: the merged header in <thead>, the body with section rows across the table."""
    n = len(table.columns)
    cells = header_cells(table)
    head = ["<tr>" + "".join(f'<th rowspan="{c.rows}" colspan="{c.cols}">{html_lines(c.text)}</th>'
                             for c in sorted(cells, key=lambda c: c.col) if c.row == level) + "</tr>"
            for level in range(max(c.row + c.rows for c in cells))]
    head += ["<tr>" + "".join(f"<td>({i + 1})</td>" for i in range(n)) + "</tr>"] if table.numbering else []
    rows = []
    for kind, item in printed_rows(table):
        if kind == "section":
            numeral, heading = item
            rows.append(f'<tr><td>{numeral}</td><td colspan="{n - 1}">{html_lines(heading)}</td></tr>' if numeral
                        else f'<tr><td colspan="{n}">{html_lines(heading)}</td></tr>')
        else:
            rows.append("<tr>" + "".join(html_cell(item, col, text, excel) for col, text in
                                         zip(table.columns, docx_texts(spec, table, item))) + "</tr>")
    return (f'<table border="1" cellspacing="0" style="border-collapse:collapse"><thead>{"".join(head)}</thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')


def html_cell(row: Row, col: Column, text: str, excel: bool) -> str:
    """A body cell; in an Excel export a number also as x:num with its mso-number-format."""
    number = xlsx_number(row, col) if excel and col.index not in dict(row.shown) else None
    if number is None:
        return f"<td>{html_lines(text)}</td>"
    shown = "0" if number.decimals == 0 else "0\\." + "0" * number.decimals
    return f'<td x:num="{number.value}" style="mso-number-format:\'{shown}\'">{html_lines(text)}</td>'


def windows_1258(text: str) -> bytes:
    """A page in Vietnamese Windows' code page: a letter's tone mark as a combining character after the base
    letter it has (ế is ê + U+0301), anything else the code page lacks as a character reference."""
    letters = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in TONE_MARKS)
        letters.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS)) + tones)
    return "".join(letters).encode("cp1258", "xmlcharrefreplace")


def render_xlsx(spec: Spec, path: Path) -> None:
    """Excel: the appendix only, one sheet per table: caption rows, the merged header, numeric cells with the
    printed decimals as their format, "-" as text."""

    import openpyxl
    from openpyxl.styles import Alignment, Font

    book = openpyxl.Workbook()
    book.remove(book.active)
    for table in spec.tables:
        sheet = book.create_sheet(table.label.replace("Biểu số", "Biểu") if "Biểu" in table.label else "Phụ lục")
        n = len(table.columns)
        r = 1
        if spec.layout.issuer_on_appendix:
            for line in authority(spec):
                sheet.cell(r, 1, line)
                sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=3)
                r += 1
        for text in (table.label, table.title, caption(spec)):
            sheet.cell(r, 1, text).alignment = Alignment(horizontal="center", wrap_text=True)
            sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=n)
            r += 1
        r += 1
        for c in header_cells(table):
            cell = sheet.cell(r + c.row, c.col + 1, c.text or None)
            cell.font, cell.alignment = Font(bold=True), Alignment(horizontal="center", vertical="center",
                                                                   wrap_text=True)
            if c.rows > 1 or c.cols > 1:
                sheet.merge_cells(start_row=r + c.row, start_column=c.col + 1, end_row=r + c.row + c.rows - 1,
                                  end_column=c.col + c.cols)
        r += max(c.row + c.rows for c in header_cells(table))
        if table.numbering:
            for i in range(n):
                sheet.cell(r, i + 1, f"({i + 1})")
            r += 1
        for kind, item in printed_rows(table):
            if kind == "section":
                numeral, heading = item
                sheet.cell(r, 1, numeral or heading)
                if numeral:
                    sheet.cell(r, 2, heading)
                sheet.merge_cells(start_row=r, start_column=2 if numeral else 1, end_row=r, end_column=n)
            else:
                xlsx_row(sheet, r, spec, table, item)
            r += 1
        if table.note:
            sheet.cell(r, 1, table.note)
        sheet.column_dimensions["B"].width = 34
    book.properties.created = book.properties.modified = datetime.datetime(2024, 1, 1)
    book.save(str(path))
    fix_zip(path)


def xlsx_row(sheet, r: int, spec: Spec, table: Table, row: Row) -> None:
    from openpyxl.styles import Alignment

    texts = cell_texts(table, row, spec.layout.na)
    for i, (col, text) in enumerate(zip(table.columns, texts), 1):
        number = xlsx_number(row, col)
        if number is not None and col.index not in dict(row.shown):
            cell = sheet.cell(r, i, int(number.value) if number.decimals == 0 else number.value)
            cell.number_format = "#,##0" if col.money else "0" if number.decimals == 0 else "0." + "0" * number.decimals
        elif col.role == "stt" and text.isdigit():
            sheet.cell(r, i, int(text))
        elif col.role == "name" and row.split:
            words = text.split()
            cell = sheet.cell(r, i, f"{' '.join(words[:row.split])}\n{' '.join(words[row.split:])}")
            cell.alignment = Alignment(wrap_text=True)
        else:
            sheet.cell(r, i, text or None)


def xlsx_number(row: Row, col: Column) -> Num | None:
    """The number a cell holds as a number: values, totals without a printed maximum, the other scores."""
    if col.role == "value":
        return row.values[col.index]
    if col.role == "total" and row.top is None:
        return row.total
    return {"converted": row.converted, "avg_staff": row.avg_staff, "change": row.change,
            "unlabeled": row.unlabeled[0] if row.unlabeled else None}.get(col.role)


def fix_zip(path: Path) -> None:
    """Rewrite an Office file's zip with fixed entry times and modification date (openpyxl stamps the time of
    saving): the same report gives the same bytes."""
    with zipfile.ZipFile(path) as src:
        entries = [(i.filename, src.read(i)) for i in src.infolist()]
    entries = [(name, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", data)
                if name == "docProps/core.xml" else data) for name, data in entries]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in entries:
            out.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED)


def render_scan(spec: Spec, path: Path) -> None:
    """The PDF's pages as a scanner gives them: 200 dpi grey images, a slight skew, blur and grain, the first
    appendix page maybe fed sideways; an image-only PDF."""
    import cv2
    import numpy as np
    import pypdfium2
    from PIL import Image

    lay, noise = spec.layout, np.random.default_rng(spec.seed)
    turned = layout_pdf(spec).appendix if lay.turn and spec.tables else None
    with tempfile.TemporaryDirectory() as tmp:
        pdf_path = Path(tmp) / "report.pdf"
        render_pdf(spec, pdf_path)
        pdf = pypdfium2.PdfDocument(str(pdf_path))
        images = []
        for i in range(len(pdf)):
            grey = np.asarray(pdf[i].render(scale=200 / 72).to_pil().convert("L"), dtype=np.float32)
            h, w = grey.shape
            turn = cv2.getRotationMatrix2D((w / 2, h / 2), lay.skew, 1.0)
            grey = cv2.warpAffine(grey, turn, (w, h), borderValue=255.0)
            grey = cv2.GaussianBlur(grey, (3, 3), 0.7) if lay.blur else grey
            grey = np.clip(grey + noise.normal(0.0, lay.grain, grey.shape), 0, 255).astype(np.uint8)
            images.append(Image.fromarray(np.rot90(grey) if i == turned else grey))
        pdf.close()
    images[0].save(str(path), "PDF", save_all=True, append_images=images[1:], resolution=200.0)


RENDERERS: dict[str, Callable[[Spec, Path], None]] = {
    "pdf": render_pdf, "text": render_text, "stream": render_stream, "md": render_md, "docx": render_docx,
    "xlsx": render_xlsx, "html": render_html, "pdf-scanned": render_scan}


# ---------------------------------------------------------------- command line


def write_report(spec: Spec, fmt: str, folder: Path, name: str) -> Path:
    """The report and its FILE.truth.json beside it."""
    path = render(spec, fmt, folder, name)
    data = truth(spec, fmt, path)
    Path(f"{path}.truth.json").write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return path


def corpus(out: Path, count: int, seed: int, formats: Sequence[str]) -> Counter[str]:
    """`count` reports, the formats taken in turn; report i depends only on (seed, i)."""
    written: Counter[str] = Counter()
    for i in range(count):
        fmt = formats[i % len(formats)]
        report_seed = random.Random(f"make_corpus/corpus/{seed}/{i}").getrandbits(31)
        spec = draw_spec(report_seed, Options(appendix=True) if fmt == "xlsx" else Options())
        write_report(spec, fmt, out, f"{i + 1:03d}_{stem(spec)}")
        written[fmt] += 1
    return written


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write the reports and truths into")
    parser.add_argument("--count", type=int, default=20, help="number of reports")
    parser.add_argument("--seed", type=int, default=0, help="seed of the corpus")
    parser.add_argument("--formats", default=",".join(FORMATS), help=f"comma list of {', '.join(FORMATS)}")
    args = parser.parse_args(argv)
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    unknown = set(formats) - set(FORMATS)
    if unknown:
        parser.error(f"unknown formats {sorted(unknown)}; known: {', '.join(FORMATS)}")
    written = corpus(args.out, args.count, args.seed, formats)
    print(f"{sum(written.values())} reports written to {args.out}: "
          + ", ".join(f"{n} {fmt}" for fmt, n in sorted(written.items())))


if __name__ == "__main__":
    main()
