"""RawDocument → Report: metadata, the issuer in the register, typed tables, the body's statements."""

from __future__ import annotations

from collections.abc import Sequence

from phuluc.model import RawDocument, Report, ReportMeta, ScoreTable
from phuluc.normalize import frameworks as fw
from phuluc.normalize.meta import Heading, read_heading
from phuluc.normalize.prose import read_prose
from phuluc.normalize.summary import read_statements
from phuluc.normalize.tables import read_table
from phuluc.normalize.units import Matcher, Register, Unit, era_for
from phuluc.settings import DEFAULT, Settings

_PROVINCE_PREFIXES = ("Tỉnh ", "Thành phố ", "Thành Phố ")


def build_report(doc: RawDocument, register: Register | None = None, *, settings: Settings = DEFAULT) -> Report:
    register = register or Register.load()
    body = "\n".join(b.text for b in doc.blocks)
    titles = "\n".join(t.title or "" for t in doc.tables)
    heading = read_heading(body, titles)
    era = era_for(heading.period, heading.date)
    issuer = resolve_issuer(heading, register, era)
    matcher = Matcher(register, issuer=issuer, era=era)
    named = fw.named_in(body + "\n" + titles)
    tables = [read_table(t, frameworks=named, match=matcher.match, low_confidence=settings.ocr.low_confidence)
              for t in doc.tables]
    if not any(t.kind == "scores" for t in tables):
        prose = read_prose(body, named or fw.frameworks(), matcher.match, issuer.name if issuer else None)
        tables += [prose] if prose else []
    meta = ReportMeta(issuer=issuer.name if issuer else None, issuer_code=issuer.code if issuer else None,
                      province=_province(register, issuer), number=heading.number, date=heading.date,
                      period=heading.period, framework=_framework(tables, named))
    children = register.children(issuer.code, era) if issuer else ()
    return Report(source=doc.source, sha256=doc.sha256, format=doc.format, meta=meta, tables=tuple(tables),
                  summary=read_statements(body, matcher.match), refers_to_appendix=heading.refers_to_appendix,
                  issuer_children=tuple((u.code, u.name) for u in children if u.code))


def resolve_issuer(heading: Heading, register: Register, era: str) -> Unit | None:
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


def _province(register: Register, issuer: Unit | None) -> str | None:
    province = register.province_of(issuer) if issuer else None
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
