"""Administrative units: the register (before and after the 2025 reform) and the matcher for printed names.

Reports print unit names loosely ("UBND xã Huổi Léch", "TT Tuần Giáo", "Sở LĐ-TB&XH"). The matcher resolves
them against the register in force for the report's period, and only within the issuer's own scope: nation-wide,
distinct communes of one district can be 95 % alike, so no similarity threshold is safe without scope
(DOMAIN.md §5). Anything not resolved with confidence stays unmatched — never a guess.
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date as Date
from importlib.resources import files
from pathlib import Path
from typing import TypeVar

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from phuluc import cache, yamlfile
from phuluc.model import Era, Row, Via
from phuluc.periods import Period
from phuluc.normalize.decisions import Decisions
from phuluc.vi.text import clean, fold, strip_marks

REFORM = Date(2025, 7, 1)  # the two-level register (no districts) is in force from this day
DEPARTMENT_MERGER = Date(2025, 3, 1)  # the merged departments of NĐ 45/2025/NĐ-CP take over from this day
AGENCY = "cơ quan"
ERAS: tuple[Era, ...] = ("legacy", "current")
_T = TypeVar("_T")

_SPLIT = re.compile(
    r"(?P<ubnd>(?:UBND|(?:Ủy|Uỷ) ban nhân dân)(?:\s+|$))?"
    r"(?:(?P<kind>thành phố|thị trấn|thị xã|đặc khu|phường|huyện|quận|tỉnh|xã)(?:\s+|$)"
    r"|(?P<abbr>TT|TP|TX)(?:\.\s*|\s+))?"
    r"(?P<name>.*)",
    re.IGNORECASE,
)
# An office of a district or town ("Thanh tra huyện", "Văn phòng HĐND và UBND thị xã Hòa Thành"): words
# that are no unit name, then the kind of a district-level unit, with or without its place name.
_DISTRICT_OFFICE = re.compile(
    r"(?P<office>.+?)\s+(?:(?P<kind>thành phố|thị xã|huyện|quận)(?:\s+|$)|(?P<abbr>TP|TX)(?:\.\s*|\s+|$))"
    r"(?P<place>.*)",
    re.IGNORECASE,
)
_CITY = "thành phố"  # the kind of the provinces that are cities, whose departments may end "… thành phố"
_DEPARTMENT = "sở"  # a Sở is a province's by definition: "Sở Y tế thành phố" is never a district's office
_MISREAD_PAIRS = (("rn", "m"), ("cl", "d"))  # no register name holds these pairs; print and OCR make them
_ABBREVIATIONS = {"tt": "thị trấn", "tp": "thành phố", "tx": "thị xã"}
_PROVINCE_WORD = "tinh"  # "tỉnh" without its marks
_AGENCY_PREFIXES = ("sở ", "ban ", "thanh tra", "văn phòng ubnd", "văn phòng ủy ban")
_NUMBERING = re.compile(r"^(?:[IVXLC]+|\d+|[A-Z](?=[.)]))[.)]?\s+")  # "II. ", "3) ", "A. " before a heading

# Thresholds measured on real pairs (DOMAIN.md §5).
UNIT_RATIO, UNIT_MARGIN = 85.0, 10.0
AGENCY_RATIO, AGENCY_MARGIN = 90.0, 8.0


@dataclass(frozen=True, slots=True)
class Unit:
    code: str | None  # zero-padded GSO code; None for agencies
    name: str  # register spelling, or the agency's canonical name
    kind: str  # tỉnh, thành phố, huyện, quận, thị xã, xã, phường, thị trấn, đặc khu, or "cơ quan"
    level: str  # "province" | "district" | "ward" | "agency"
    parent: str | None  # parent code (an agency's is its province)
    era: Era  # "legacy" (in force before 2025-07-01) | "current"


@dataclass(frozen=True, slots=True)
class Match:
    unit: Unit | None
    score: float  # 0–100: 100 for an exact name, else the fuzz.ratio that decided; 0 without a match
    claims: bool  # the printed name claims a registered unit or a department
    via: Via  # how it was found; "office": an office with no register entry ("Phòng Tư pháp huyện"), no
    # unit and nothing claimed, yet a whole name, which a reader of listings tells from a fragment
    margin: float | None = None  # the lead of `score` over the runner-up's where a ranking chose the unit
    # (a fuzzy step); None where nothing was ranked (an exact name, an alias): a review weighs a close race


def matched(row: Row, m: Match) -> Row:
    """The row with the unit `m` found for its printed name, and how it was found."""
    return replace(row, unit=m.unit.name if m.unit else None, unit_code=m.unit.code if m.unit else None,
                   claims_unit=m.claims, match_via=m.via, match_score=m.score, match_margin=m.margin)


def split_name(raw: str) -> tuple[str | None, str]:
    """Split "UBND xã Sín Thầu" into its kind ("xã") and name ("Sín Thầu"); (None, raw) when no kind is printed."""
    _, kind, name = _parse(raw)
    return kind, name


def _parse(raw: str) -> tuple[bool, str | None, str]:
    """(printed "UBND", kind, name) — the name keeps its printed spelling, cleaned."""
    text = clean(raw)
    m = _SPLIT.fullmatch(text)
    word = m["kind"] or m["abbr"]
    if not (m["ubnd"] or word):
        return False, None, text
    return bool(m["ubnd"]), word and _kind(word), m["name"]


def _kind(word: str) -> str:
    """The kind a printed kind word or abbreviation stands for: "XÃ" → "xã", "TP" → "thành phố"."""
    return _ABBREVIATIONS.get(fold(word), fold(word))


def _key(name: str) -> str:
    """Comparison key of a unit name without its kind: "Xã Tỏa Tình" → "tỏa tình"."""
    return fold(split_name(name)[1])


def era_for(period: str | None, date: str | None = None) -> Era:
    """The register a report is read against.

    A period that ends before 2025-07-01 is "legacy", one that starts on or after it "current". For the year
    2025, which straddles the reform, and for a missing period the report date (ISO) decides; without a date it
    is "legacy": the year began under the legacy register, and a report issued by a post-reform unit carries a
    date that says so.
    """
    return _period_era(period) or ("current" if date and Date.fromisoformat(date) >= REFORM else "legacy")


def eras_for(period: str | None, date: str | None = None) -> tuple[Era, ...]:
    """The registers a report may be read against, the likelier first: `era_for`'s alone, unless neither
    the period nor a date settles it (the year 2025 undated, no period): then the other one too, for the
    rows to tell."""
    era = era_for(period, date)
    if _period_era(period) or date:
        return (era,)
    return (era, "current" if era == "legacy" else "legacy")


def _period_era(period: str | None) -> Era | None:
    """The register of a period wholly before or after the reform; None for one that straddles it."""
    if not period:
        return None
    span = Period.parse(period)
    if span.end < REFORM:
        return "legacy"
    if span.start >= REFORM:
        return "current"
    return None


class Register:
    """Both registers (legacy: province → district → ward; current: province → ward) and the 2025 merger map.

    They are read from an SQLite index of the shipped register (`index_register`), built once into the
    cache folder and looked up as a report asks: a command opens it in a millisecond instead of parsing
    and folding 14,000 names (0.2 s), and a forked worker reopens it on its first question."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._connection: sqlite3.Connection | None = None
        self._pid = 0
        self._made: dict[tuple[str, str], Unit] = {}
        self._keys: dict[Unit, tuple[str, str]] = {}
        self._families: dict[tuple[str, str], tuple[Unit, ...]] = {}

    @classmethod
    @functools.cache
    def load(cls) -> Register:
        """The register shipped in phuluc.data (built by scripts/build_register.py), through its index."""
        folder = files("phuluc.data") / "register"
        units_tsv, merger_tsv = (folder / "units.tsv").read_bytes(), (folder / "merger_2025.tsv").read_bytes()
        made_from = cache.digest([units_tsv, merger_tsv, *(code.read_bytes() for code in _KEYS_CODE)])
        return cls(cache.cached_file("register", made_from, ".sqlite",
                                     lambda path: index_register(path, units_tsv, merger_tsv)))

    def get(self, code: str, era: Era) -> Unit | None:
        if (era, code) not in self._made:
            self._units(f"SELECT {_UNIT_COLUMNS} FROM units WHERE era = ? AND code = ?", (era, code))
        return self._made.get((era, code))

    def units(self) -> tuple[Unit, ...]:
        """Every unit of both registers, in the register's order."""
        return self._units(f"SELECT {_UNIT_COLUMNS} FROM units ORDER BY rowid", ())

    def children(self, code: str, era: Era) -> tuple[Unit, ...]:
        """Direct children: province → districts (legacy) or wards (current); district → wards."""
        if (era, code) not in self._families:
            self._families[era, code] = self._units(
                f"SELECT {_UNIT_COLUMNS} FROM units WHERE era = ? AND parent = ? ORDER BY rowid", (era, code))
        return self._families[era, code]

    def keys(self, unit: Unit) -> tuple[str, str]:
        """The unit's name key and that key without marks (`name_keys`)."""
        return self._keys[unit]

    def province_of(self, unit: Unit) -> Unit | None:
        while unit.level != "province":
            if unit.parent is None or (unit := self.get(unit.parent, unit.era)) is None:
                return None
        return unit

    def successors(self, unit: Unit) -> tuple[Unit, ...]:
        """The current units a legacy ward, district (through its wards) or province became; () for others."""
        if unit.era != "legacy":
            return ()
        olds = [w.code for w in self.children(unit.code, "legacy")] if unit.level == "district" else [unit.code]
        codes = [c for old in olds for (c,) in self._query(
            "SELECT new FROM merger WHERE old = ? ORDER BY rank, new", (old,))]
        return tuple(u for c in dict.fromkeys(codes) if (u := self.get(c, "current")) is not None)

    def predecessors(self, unit: Unit) -> tuple[Unit, ...]:
        """The legacy units of its level a current province or ward was formed from, wholly or in part."""
        if unit.era != "current" or not unit.code:
            return ()
        olds = self._query("SELECT old FROM merger WHERE new = ? GROUP BY old ORDER BY min(rowid)", (unit.code,))
        return tuple(u for (old,) in olds if (u := self.get(old, "legacy")) is not None)

    def keyed(self, key: str, era: Era, *, ascii_: bool = False) -> tuple[Unit, ...]:
        """The units of an era registered under a name key (`name_keys`), or under that key without marks."""
        column = "ascii" if ascii_ else "key"
        return self._units(f"SELECT {_UNIT_COLUMNS} FROM units WHERE era = ? AND {column} = ? ORDER BY rowid",
                           (era, key))

    def locate(self, kind: str | None, name: str, *, era: Era, hints: Sequence[str] = ()) -> Unit | None:
        """The unit a report names ("huyện", "Mường Nhé"), told apart from namesakes by place names in `hints`.

        Exact folded name, else diacritic-free name; several candidates go to the one whose ancestors match
        the most hints; a tie, or no hint matching, is None.
        """
        if kind is None:
            _, kind, name = _parse(name)
        else:
            kind = _kind(kind)
        key = fold(name)
        for k, ascii_ in ((key, False), (strip_marks(key), True)):
            found = [u for u in self.keyed(k, era, ascii_=ascii_) if kind in (None, u.kind)]
            if found:
                return found[0] if len(found) == 1 else self._disambiguate(found, hints)
        return None

    def named(self, name: str, *, era: Era, province: str) -> tuple[Unit, ...]:
        """The units of a province (itself among them) registered under a name, its kind printed or not
        ("Xã Huổi Lếnh", "Huổi Lếnh"): what a person who names a unit by hand means."""
        _, kind, bare = _parse(name)
        return tuple(u for u in self.keyed(fold(bare), era) if kind in (None, u.kind)
                     and (p := self.province_of(u)) is not None and p.code == province)

    def registered(self, key: str, eras: Iterable[Era]) -> bool:
        """Whether a unit of these eras, of any kind, is registered under exactly this name key."""
        return any(self._query("SELECT 1 FROM units WHERE era = ? AND key = ? LIMIT 1", (era, key))
                   for era in eras)

    def _disambiguate(self, units: list[Unit], hints: Sequence[str]) -> Unit | None:
        """The unit whose ancestors answer to more hints (bare names or with their kind) than any other."""
        wanted = [(kind, strip_marks(fold(name))) for _, kind, name in map(_parse, hints)]

        def fit(unit: Unit) -> int:
            ancestors = [(a.kind, strip_marks(_key(a.name))) for a in self._ancestors(unit)]
            return sum(any(kind in (None, k) and name == n for k, n in ancestors) for kind, name in wanted)

        won = _clear_winner([(u, fit(u)) for u in units], ratio=1, margin=1)
        return won and won[0]

    def _ancestors(self, unit: Unit) -> Iterable[Unit]:
        while unit.parent and (unit := self.get(unit.parent, unit.era)) is not None:
            yield unit

    def _units(self, sql: str, args: tuple[str, ...]) -> tuple[Unit, ...]:
        """The units a query selects (`_UNIT_COLUMNS`), one object per unit however often asked for."""
        out = []
        for era, code, name, kind, level, parent, key, ascii_ in self._query(sql, args):
            unit = self._made.get((era, code))
            if unit is None:
                unit = self._made[era, code] = Unit(code, name, kind, level, parent or None, era)
                self._keys[unit] = (key, ascii_)
            out.append(unit)
        return tuple(out)

    def _query(self, sql: str, args: tuple[str, ...]) -> list[tuple[str, ...]]:
        """Rows of the index, through a connection of this process (a forked worker opens its own)."""
        if self._pid != os.getpid():
            self._connection = sqlite3.connect(f"file:{self._path}?mode=ro", uri=True, check_same_thread=False)
            self._pid = os.getpid()
        return self._connection.execute(sql, args).fetchall()


_UNIT_COLUMNS = "era, code, name, kind, level, parent, key, ascii"


def index_register(path: Path, units_tsv: bytes, merger_tsv: bytes) -> None:
    """The register's SQLite index at `path`: its units with their name keys, looked up by code, parent and
    key, and the merger map both ways."""
    rows = _rows(units_tsv)
    units = [Unit(code, name, kind, level, parent or None, era) for era, code, level, kind, name, parent in rows]
    keys = name_keys(units)
    with contextlib.closing(sqlite3.connect(path)) as db, db:
        db.executescript(
            "CREATE TABLE units (era TEXT, code TEXT, name TEXT, kind TEXT, level TEXT, parent TEXT, key TEXT,"
            " ascii TEXT, PRIMARY KEY (era, code));"
            "CREATE TABLE merger (old TEXT, rank INTEGER, new TEXT);"
        )
        db.executemany("INSERT INTO units VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                       [(u.era, u.code, u.name, u.kind, u.level, u.parent, *keys[u.era, u.code]) for u in units])
        db.executemany("INSERT INTO merger VALUES (?, ?, ?)",
                       [(old, int(rank), new) for _, old, rank, new, _ in _rows(merger_tsv)])
        db.executescript(
            "CREATE INDEX units_parent ON units (era, parent); CREATE INDEX units_key ON units (era, key);"
            "CREATE INDEX units_ascii ON units (era, ascii); CREATE INDEX merger_old ON merger (old);"
            "CREATE INDEX merger_new ON merger (new);"
        )


def _ascii_key(key: str) -> str:
    """The diacritic-free key of a printed name, with the letter pairs Vietnamese never spells read as the
    letter they are misread for ("narn hồng" → "nam hong")."""
    ascii_ = strip_marks(key)
    for pair, letter in _MISREAD_PAIRS:
        ascii_ = ascii_.replace(pair, letter)
    return ascii_


_KEYS_CODE = (Path(__file__), Path(fold.__code__.co_filename))  # what the name keys are made by


def name_keys(units: Iterable[Unit]) -> dict[tuple[str, str], tuple[str, str]]:
    """Each unit's name key and that key without marks, by (era, code): the register spells the kind
    first ("Xã Sín Thầu"), so it is cut off by word count."""
    out = {}
    for u in units:
        key = fold(" ".join(u.name.split()[len(u.kind.split()):]))
        out[u.era, u.code] = (key, strip_marks(key))
    return out


def _rows(data: bytes) -> list[list[str]]:
    lines = data.decode("utf-8").splitlines()
    return [line.split("\t") for line in lines[1:]]


# --- agencies -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Agency:
    name: str
    names: tuple[str, ...]  # canonical name and aliases
    successor: str | None
    provinces: frozenset[str]  # empty: every province
    optional: bool = False  # only some provinces have it: those `provinces` lists
    since: Date | None = None  # the day it was set up; one with a successor ends where it takes over

    def in_force(self, province: str, on: Date) -> bool:
        """Whether the province has it on that day, for certain (an optional one only where listed)."""
        listed = province in self.provinces or not (self.optional or self.provinces)
        return listed and (self.since or on) <= on and (self.successor is None or on < DEPARTMENT_MERGER)


def _agency_key(text: str, province: str = "") -> str:
    """fold, without the spacing around "-", "&", "," ("Sở LĐ - TB & XH" = "Sở LĐ-TB&XH") and without a trailing
    "tỉnh" or "tỉnh <province>" ("Sở Y tế tỉnh Điện Biên" = "Sở Y tế"; "Thanh tra tỉnh" is keyed "thanh tra").
    """
    key = re.sub(r"\s*([-&,])\s*", r"\1", re.sub(r"[–—]", "-", fold(text)))
    place = rf"(?:\s+{re.escape(province)})?" if province else ""
    return re.sub(rf"\s+(?:tỉnh|thành phố|tp\.?){place}$", "", key) or key


def _prefix_edits(key: str) -> int:
    """Edits between the opening of a key and the nearest agency word ("sổ y tế": 1); spelt right, 0."""
    return min(Levenshtein.distance(key[:n], prefix)
               for prefix in _AGENCY_PREFIXES for n in (len(prefix) - 1, len(prefix), len(prefix) + 1))


def _without_province_word(key: str) -> str:
    """The key without a last word one letter from "tỉnh" ("thanh tra tỉnb" → "thanh tra"), which
    `_agency_key` strips only when spelt right; the key itself otherwise."""
    head, _, last = key.rpartition(" ")
    return head if head and Levenshtein.distance(strip_marks(last), _PROVINCE_WORD) <= 1 else key


@functools.cache
def _agency_keys(province: str | None, place: str) -> dict[_Agency, tuple[str, ...]]:
    """The keys of every agency a province has, computed once per province (a batch reuses them)."""
    return {a: tuple(dict.fromkeys(_agency_key(n, place) for n in a.names))
            for a in _agencies() if not a.provinces or province in a.provinces}


@functools.cache
def _agencies() -> tuple[_Agency, ...]:
    data = yamlfile.load(files("phuluc.config") / "agencies.yaml")
    return tuple(
        _Agency(
            name=clean(a["name"]),
            names=(clean(a["name"]), *map(clean, a.get("aliases", ()))),
            successor=a.get("successor") and clean(a["successor"]),
            provinces=frozenset(a.get("provinces", ())),
            optional=bool(a.get("optional")),
            since=a.get("since") and Date.fromisoformat(a["since"]),
        )
        for a in data["agencies"]
    )


def departments(province: str, on: Date) -> tuple[str, ...]:
    """The canonical names of the departments a province has on a day (the ones whose report it expects),
    in the order of config/agencies.yaml."""
    return tuple(a.name for a in _agencies() if a.in_force(province, on))


def agency_successor(name: str) -> str | None:
    """Canonical name of the department that carries a department's work from 01/3/2025 (NĐ 45/2025/NĐ-CP).

    The department's own canonical name if it went on unchanged; None if the name is not a known department.
    """
    key = _agency_key(name)
    agency = next((a for a in _agencies() if key in map(_agency_key, a.names)), None)
    return agency and (agency.successor or agency.name)


# --- matcher ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Candidate:
    unit: Unit  # the unit whose name is compared
    result: Unit  # the unit returned (a legacy ward's successor for the merger tier)
    key: str
    ascii: str
    via: Via  # "" or "merger"


class Matcher:
    """Resolves the unit names printed in one report, within its issuer's scope and its era's register."""

    def __init__(self, register: Register, *, issuer: Unit | None, era: Era,
                 scope: Sequence[Unit] | None = None, decisions: Decisions = Decisions()) -> None:
        """`scope`: the units whose names, and their children's, the report may print; the issuer by default.
        A report issued after the reform that still prints the former units is read within the legacy units
        its current issuer was formed from (`Register.predecessors`); its departments stay the issuer's.
        `decisions`: what people ruled about printed names, of which those of the issuer's province count."""
        roots = tuple(scope) if scope is not None else (issuer,) if issuer else ()
        if any(u.era != era for u in roots):
            raise ValueError(f"the scope of a {era} report holds units of the other register")
        self._register, self._issuer, self._era = register, issuer, era
        self._tiers = self._scope(roots)
        province = issuer and register.province_of(issuer)
        self._province = province.code if province else None
        self._place = _key(province.name) if province else ""
        self._city = province is not None and province.kind == _CITY
        self._agencies = _agency_keys(self._province, self._place)
        self._agency_index = {k: a for a, keys in self._agencies.items() for k in keys}
        self._by_section: dict[str, Matcher] = {}
        self._decisions = decisions
        self._decided = decisions.within(self._province, era)

    def _scope(self, roots: Sequence[Unit]) -> tuple[tuple[_Candidate, ...], ...]:
        """Candidate tiers, tried in order: the roots and their children; the wards of those children that are
        districts; in the current era, the legacy wards merged into the scope (matched by their old name,
        returning the successor)."""
        children = [c for r in roots for c in self._register.children(r.code, r.era)]
        wards = [w for d in children if d.level == "district" for w in self._register.children(d.code, d.era)]
        tiers = [tier for tier in ([*roots, *children], wards) if tier]
        out = [tuple(self._candidate(u, u, "") for u in tier) for tier in tiers]
        if self._era == "current" and tiers:
            scope = {u.code: u for u in tiers[0]}
            merged = dict.fromkeys(w for u in tiers[0] if u.level == "ward" for w in self._register.predecessors(u))
            out.append(tuple(
                self._candidate(w, next(scope[s.code] for s in self._register.successors(w) if s.code in scope),
                                "merger")
                for w in merged
            ))
        return tuple(out)

    @property
    def era(self) -> Era:
        """The register the matched units belong to."""
        return self._era

    def within(self, section: str | None) -> Matcher:
        """The matcher for the rows under a table heading: a heading that names a district of the scope
        ("II. HUYỆN CAM LÂM" over a province's communes) narrows them to that district, where its
        namesakes in other districts no longer compete; any other heading keeps this matcher."""
        if not section or not self._tiers:
            return self
        if section not in self._by_section:
            unit = self.match(_NUMBERING.sub("", section)).unit
            district = unit is not None and unit.level == "district" and unit != self._issuer
            self._by_section[section] = (Matcher(self._register, issuer=unit, era=self._era, decisions=self._decisions)
                                         if district else self)
        return self._by_section[section]

    def _candidate(self, unit: Unit, result: Unit, via: Via) -> _Candidate:
        """A scope unit with its name keys, taken from the register's index rather than computed again."""
        return _Candidate(unit, result, *self._register.keys(unit), via)

    def match(self, raw: str) -> Match:
        text = clean(raw)
        if (decided := self._decided_match(text)) is not None:
            return decided
        if self._district_office(text):
            return Match(None, 0.0, False, "office")
        if (agency := self._match_agency(text)) is not None:
            return agency
        ubnd, kind, name = _parse(text)
        claims = ubnd or kind is not None
        key = fold(name)
        if not key:
            return Match(None, 0.0, claims, "")
        if self._issuer is None:
            return self._match_nationwide(kind, key, claims)
        tiers = [[c for c in tier if kind in (None, c.unit.kind)] for tier in self._tiers]
        # A bare place name (no kind, no "UBND") is only taken on an exact key: it may be a total row or a heading.
        steps = _STEPS if claims else _STEPS[:2]
        eras = ("legacy",) if self._era == "legacy" else ERAS
        for via, step in steps:
            # A name registered exactly elsewhere (even under another kind: "xã Mường Thanh" for the phường) is
            # that unit, not a misspelling of one in scope.
            if via != "exact" and self._register.registered(key, eras):
                break
            for tier in tiers:
                hits = step(tier, key, _ascii_key(key))
                if len(hits) == 1:
                    hit = hits[0]
                    return Match(hit.candidate.result, hit.score, claims, hit.candidate.via or via, hit.margin)
                if hits:  # several units, equally good: no guess
                    return Match(None, 0.0, claims, "")
        return Match(None, 0.0, claims, "")

    def _decided_match(self, text: str) -> Match | None:
        """What a person ruled the printed name stands for, before any step of ours: the unit of an accepted
        alias, or none for a rejected name, which claims a unit so that it stays UNKNOWN_UNIT even bare; None
        where nobody ruled (or the unit ruled for is no longer registered)."""
        if not self._decided or (key := fold(text)) not in self._decided:
            return None
        code = self._decided[key]
        if code is None:
            return Match(None, 0.0, True, "rejected")
        unit = self._register.get(code, self._era)
        return Match(unit, 100.0, True, "alias") if unit else None

    def _district_office(self, text: str) -> bool:
        """Whether `text` names an office of a district or town, which claims no registered unit: its
        rows keep `unit` null without a finding, as the register has no entry for them.

        "Thanh tra huyện", "Văn phòng UBND thị xã", "Phòng Tư pháp TP. Biên Hòa" are offices; "UBND
        huyện X" and "Xã A huyện B" open with a unit's name, and "Sở Y tế thành phố" with a province's
        department word, so they are not; nor, in a province that is a city, "Thanh tra thành phố" (or
        "… thành phố <province>"), the province's own.
        """
        m = _DISTRICT_OFFICE.fullmatch(text)
        if m is None or _parse(m["office"])[:2] != (False, None) or fold(m["office"]).split()[0] == _DEPARTMENT:
            return False
        city = _kind(m["kind"] or m["abbr"]) == _CITY
        return not (city and self._city and fold(m["place"]) in ("", self._place))

    def _match_nationwide(self, kind: str | None, key: str, claims: bool) -> Match:
        """Without an issuer, only a unique exact name among the era's districts and wards."""
        found = [u for u in self._register.keyed(key, self._era)
                 if u.level in ("district", "ward") and kind in (None, u.kind)]
        if len(found) == 1:
            return Match(found[0], 100.0, claims, "exact")
        return Match(None, 0.0, claims, "")

    def _match_agency(self, text: str) -> Match | None:
        """A department row: exact alias, else a misspelt one; None when the text is no department.

        A name that opens with an agency word ("Sở", "Ban", "Thanh tra") claims a department even when
        none matches; one whose agency word is misread itself ("Sổ Y tế") only if it then matches one.
        """
        key = _agency_key(text, self._place)
        if (agency := self._agency_index.get(key)) is not None:
            return Match(self._agency_unit(agency), 100.0, True, "agency")
        edits = _prefix_edits(key)
        if edits > 1:
            return None
        if (agency := self._misspelt_agency(key)) is not None:
            score = max(fuzz.ratio(key, k) for k in self._agencies[agency])
            return Match(self._agency_unit(agency), score, True, "agency")
        return Match(None, 0.0, True, "") if edits == 0 else None

    def _misspelt_agency(self, key: str) -> _Agency | None:
        """The department a key printed as none of its aliases stands for, with or without a misread
        trailing "tỉnh": a clear winner on fuzz.ratio, else the only one a single letter away."""
        for query in dict.fromkeys((key, _without_province_word(key))):
            scored = [(a, max(fuzz.ratio(query, k) for k in keys)) for a, keys in self._agencies.items()]
            if (won := _clear_winner(scored, AGENCY_RATIO, AGENCY_MARGIN)) is not None:
                return won[0]
            ascii_ = strip_marks(query)
            distances = [(a, min(Levenshtein.distance(ascii_, strip_marks(k)) for k in keys))
                         for a, keys in self._agencies.items()]
            if (near := _lone_near(distances)) is not None:
                return near[0]
        return None

    def _agency_unit(self, agency: _Agency) -> Unit:
        return Unit(None, agency.name, AGENCY, "agency", self._province, self._era)




@dataclass(frozen=True, slots=True)
class _Hit:
    """A candidate a step found, its score, and its lead over the runner-up where the step ranked them."""

    candidate: _Candidate
    score: float
    margin: float | None = None


# A step returns its hits, one per distinct result: none, a match, or several equally good units.
_Hits = list[_Hit]


def _distinct(hits: Iterable[tuple[_Candidate, float]]) -> list[tuple[_Candidate, float]]:
    found: dict[Unit, tuple[_Candidate, float]] = {}
    for candidate, score in hits:
        found.setdefault(candidate.result, (candidate, score))
    return list(found.values())


def _unranked(hits: Iterable[tuple[_Candidate, float]]) -> _Hits:
    """The distinct hits of a step that compares each candidate alone, ranking none against another."""
    return [_Hit(candidate, score) for candidate, score in _distinct(hits)]


def _exact(tier: Sequence[_Candidate], key: str, ascii_: str) -> _Hits:
    return _unranked((c, 100.0) for c in tier if c.key == key)


def _ascii(tier: Sequence[_Candidate], key: str, ascii_: str) -> _Hits:
    """Same letters without diacritics ("Nà Tông" = "Nà Tòng"); the score shows the folded distance."""
    return _unranked((c, fuzz.ratio(key, c.key)) for c in tier if c.ascii == ascii_)


def _fuzzy(tier: Sequence[_Candidate], key: str, ascii_: str) -> _Hits:
    """A clear winner on fuzz.ratio, on the folded names or else on the diacritic-free ones."""
    for query, attr in ((key, "key"), (ascii_, "ascii")):
        scored = sorted(((c, fuzz.ratio(query, getattr(c, attr))) for c in tier), key=_score, reverse=True)
        if (won := _clear_winner(_distinct(scored), UNIT_RATIO, UNIT_MARGIN)) is not None:
            return [_Hit(*won)]
    return []


def _one_edit(tier: Sequence[_Candidate], key: str, ascii_: str) -> _Hits:
    """One misread letter in a short name ("Củ Chl", "An Pbú", "Bắc Sơu"), which fuzz.ratio scores
    below its bar: on the names with their marks (which keep a neighbour that differs only by its
    marks further off), else on the diacritic-free ones."""
    for query, attr in ((key, "key"), (ascii_, "ascii")):
        distances = sorted(((c, Levenshtein.distance(query, getattr(c, attr))) for c in tier), key=_score)
        if (near := _lone_near(_distinct(distances))) is not None:
            candidate, distance, runner_up = near
            score = _edit_score(distance, query)
            return [_Hit(candidate, score, score - _edit_score(runner_up, query))]
    return []


def _edit_score(distance: float, query: str) -> float:
    """An edit distance as a score out of 100, as fuzz.ratio scores: 0 for one as long as the query."""
    return max(0.0, 100.0 - 100.0 * distance / max(len(query), 1))


def _lone_near(distances: Sequence[tuple[_T, float]]) -> tuple[_T, float, float] | None:
    """The item (of distinct ones, each with its edit distance) at most one edit away, when every other is
    at least two edits further: one misread letter, never a choice between neighbours. With its distance
    and the runner-up's (infinite when it is alone)."""
    ranked = sorted(distances, key=_score)
    runner_up = ranked[1][1] if len(ranked) > 1 else math.inf
    if not ranked or ranked[0][1] > 1 or runner_up < ranked[0][1] + 2:
        return None
    return ranked[0][0], ranked[0][1], runner_up


def _score(scored: tuple[object, float]) -> float:
    return scored[1]


def _clear_winner(scored: Sequence[tuple[_T, float]], ratio: float,
                  margin: float) -> tuple[_T, float, float] | None:
    """The best-scored item if it reaches `ratio` and leads the runner-up (another unit) by `margin`:
    (item, score, its lead)."""
    ranked = sorted(scored, key=_score, reverse=True)
    if not ranked:
        return None
    best, score = ranked[0]
    lead = score - (ranked[1][1] if len(ranked) > 1 else 0.0)
    return (best, score, lead) if score >= ratio and lead >= margin else None


_STEPS = (("exact", _exact), ("ascii", _ascii), ("fuzzy", _fuzzy), ("fuzzy", _one_edit))
