"""RawDocument → Report: metadata, the issuer in the register, typed tables, the body's statements."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from phuluc.model import RawDocument, RawTable, Report, ReportMeta, Row, ScoreTable
from phuluc.normalize import frameworks as fw
from phuluc.normalize.meta import Heading, read_heading
from phuluc.normalize.prose import read_prose
from phuluc.normalize.summary import read_statements
from phuluc.normalize.tables import read_table
from phuluc.normalize.decisions import Decisions
from phuluc.normalize.units import Era, Matcher, Register, Unit, eras_for, matched
from phuluc.settings import DEFAULT, Settings

_PROVINCE_PREFIXES = ("Tỉnh ", "Thành phố ", "Thành Phố ")


@dataclass(frozen=True, slots=True)
class _Reading:
    """The tables as typed in one register scope, and the units that scope expects a row for."""

    matcher: Matcher
    issuer: Unit | None
    children: tuple[Unit, ...]
    tables: tuple[ScoreTable, ...] = ()


def build_report(doc: RawDocument, register: Register | None = None, *, settings: Settings = DEFAULT) -> Report:
    """The typed report of a document. Its rows are read in the register that explains them, which for a
    late report printing the former units is not its period's: `Report.era` says which, as unit codes
    are reused across registers."""
    register = register or Register.load()
    body = "\n".join(b.text for b in doc.blocks)
    titles = "\n".join(t.title or "" for t in doc.tables)
    heading = read_heading(body, titles)
    named = fw.named_in(body + "\n" + titles)
    scopes = (scope for era in eras_for(heading.period, heading.date)
              for scope in _scopes(register, resolve_issuer(heading, register, era), era, settings.decisions))
    reading = _best_reading(scopes, doc.tables, named, settings)
    matcher, tables, issuer = reading.matcher, list(reading.tables), reading.issuer
    if not any(t.kind == "scores" for t in tables):
        prose = read_prose(body, named or fw.frameworks(), matcher.match, issuer.name if issuer else None)
        tables += [prose] if prose else []
    province = register.province_of(issuer) if issuer else None
    meta = ReportMeta(issuer=issuer.name if issuer else None, issuer_code=issuer.code if issuer else None,
                      province=province_name(province), province_code=province and province.code,
                      number=heading.number, date=heading.date,
                      period=heading.period, framework=_framework(tables, named), corrects=heading.corrects)
    return Report(source=doc.source, sha256=doc.sha256, format=doc.format, meta=meta, tables=tuple(tables),
                  summary=read_statements(body, matcher.match), refers_to_appendix=heading.refers_to_appendix,
                  issuer_children=tuple((u.code, u.name) for u in reading.children if u.code), era=matcher.era)


def _scopes(register: Register, issuer: Unit | None, era: Era, decisions: Decisions) -> Iterator[_Reading]:
    """The register scopes a report's names may be read in: its era's own; after the reform, also the
    legacy units its issuer was formed from, for a late report that still prints the former units (whose
    MISSING_UNIT is judged against the former wards, never the current ones)."""
    yield _Reading(Matcher(register, issuer=issuer, era=era, decisions=decisions), issuer,
                   register.children(issuer.code, era) if issuer else ())
    former = register.predecessors(issuer) if issuer and era == "current" else ()
    if former:
        wards = {w.code: w for c in register.children(issuer.code, era) for w in register.predecessors(c)}
        yield _Reading(Matcher(register, issuer=issuer, era="legacy", scope=former, decisions=decisions), issuer,
                       tuple(sorted(wards.values(), key=lambda w: w.code)))


def _best_reading(scopes: Iterator[_Reading], raws: Sequence[RawTable], named: Sequence[fw.Framework],
                  settings: Settings) -> _Reading:
    """The reading that explains the most rows, the era's own (the first) on a tie; the other scopes are
    read only while a row is left unexplained."""
    best = _read(raws, next(scopes), named, settings)
    for scope in scopes:
        if _explained(best) == _named_rows(best):
            break
        other = _read(raws, scope, named, settings)
        best = other if _explained(other) > _explained(best) else best
    return best


def _read(raws: Sequence[RawTable], scope: _Reading, named: Sequence[fw.Framework], settings: Settings) -> _Reading:
    """The tables typed in one scope, rows under a district's heading matched within that district."""
    tables = (read_table(t, frameworks=named, match=scope.matcher.match, low_confidence=settings.ocr.low_confidence)
              for t in raws)
    return replace(scope, tables=tuple(_by_section(t, scope.matcher) for t in tables))


def _by_section(table: ScoreTable, matcher: Matcher) -> ScoreTable:
    return replace(table, rows=tuple(_in_section(r, matcher) for r in table.rows))


def _in_section(row: Row, matcher: Matcher) -> Row:
    """A row matched again within the district its section heading names, if it names one of the scope."""
    narrow = matcher.within(row.section)
    if narrow is matcher or row.is_total_row or not row.unit_raw:
        return row
    return matched(row, narrow.match(row.unit_raw))


def _explained(reading: _Reading) -> int:
    """How many distinct units the score rows resolve to: a reading that leaves names unmatched, or sends
    several rows to one unit (former communes onto their merged successor), explains fewer."""
    return sum(len({(r.unit, r.unit_code) for r in t.rows if r.unit}) for t in reading.tables if t.kind == "scores")


def _named_rows(reading: _Reading) -> int:
    """How many score rows name a unit: the most a reading can explain."""
    return sum(1 for t in reading.tables if t.kind == "scores" for r in t.rows if r.unit_raw and not r.is_total_row)


def resolve_issuer(heading: Heading, register: Register, era: Era) -> Unit | None:
    """The first issuer candidate the register knows; a candidate's name may run on into the next
    words ("Tuần Giáo Thực hiện"), so shorter prefixes are tried too."""
    hints = _hints(heading.places)
    for kind, name in heading.issuers:
        words = name.split()
        for n in range(min(len(words), 5), 0, -1):
            unit = register.locate(kind, " ".join(words[:n]), era=era, hints=hints)
            if unit is not None:
                return unit
    return None


def _hints(places: Sequence[tuple[str, str]]) -> list[str]:
    """Hints with their kind ("tỉnh Long An" tells a province from "xã Long An"); a name that runs on
    into the next words gives its shorter prefixes too."""
    out: list[str] = []
    for kind, name in places:
        words = name.split()
        for n in range(1, min(len(words), 4) + 1):
            hint = f"{kind} " + " ".join(w[:1] + w[1:].lower() if w.isupper() else w for w in words[:n])
            if hint not in out:
                out.append(hint)
    return out


def province_name(province: Unit | None) -> str | None:
    """A province's name as a report's heading gives it: "Điện Biên" for "Tỉnh Điện Biên"."""
    if province is None:
        return None
    name = province.name
    for prefix in _PROVINCE_PREFIXES:
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _framework(tables: Sequence[ScoreTable], named: Sequence[fw.Framework]) -> str | None:
    """The framework of the score tables, else the one the text names."""
    for t in tables:
        if t.kind == "scores" and t.framework:
            return t.framework
    return named[0].code if named else None
