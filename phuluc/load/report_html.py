"""`phuluc report`: the audit as one HTML file that needs no network and opens by double-click.

An overview (findings per rule and issuer, ratings per issuer, each unit's scores over the periods),
an index of the reports, then each report in a collapsed <details>: its metadata, its findings as cards
(the sentence, expected against printed, the row as printed with the cell marked, and the source: a
crop of the page for a PDF or a scan, the printed lines for a text report; a Word or Excel row is its
cells), and its tables as read. Crops and charts are lazy images (base64 JPEG, SVG): a closed report
costs the browser its markup only, so a province's year opens without freezing. The file is written as
it is built, one report at a time. Every word comes from messages.yaml in the report's language.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import html
import importlib.resources
import json
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TextIO

from phuluc import messages
from phuluc.load import charts, report
from phuluc.load.crops import Crop, Pages
from phuluc.load.db import Database, FindingRecord, number_or_text
from phuluc.load.excerpts import Excerpt, excerpt
from phuluc.load.originals import Unavailable, original
from phuluc.load.report import PrintedRow, Scope, StoredReport, TableRecord
from phuluc.choices import TableKind
from phuluc.vi import ratings

CROPPED = frozenset(("pdf", "pdf-scanned", "image"))  # formats shown as a crop of their page
LINED = frozenset(("text", "md"))  # formats shown as their printed lines


class Markup(str):
    """Text that is HTML already, never escaped again."""


def el(tag: str, *children: object, **attrs: object) -> Markup:
    """An element: `children` escaped unless Markup, `attrs` escaped (class_ for class; None or False
    leaves an attribute out, True writes it bare)."""
    names = "".join(f' {k.rstrip("_").replace("_", "-")}' if v is True else
                    f' {k.rstrip("_").replace("_", "-")}="{html.escape(str(v))}"'
                    for k, v in attrs.items() if v is not None and v is not False)
    return Markup(f"<{tag}{names}>{join(children)}</{tag}>")


def join(children: Iterable[object]) -> Markup:
    return Markup("".join(c if isinstance(c, Markup) else html.escape(str(c)) for c in children if c is not None))


@functools.cache
def _asset(name: str) -> str:
    return (importlib.resources.files("phuluc.config") / name).read_text(encoding="utf-8")


class Writer:
    """Writes one audit report in one language."""

    def __init__(self, out: TextIO, lang: str) -> None:
        self.out, self.lang = out, lang

    def t(self, key: str, **params: object) -> str:
        return messages.text("report", key, self.lang, **params)

    def write(self, db: Database, scope: Scope, source: str) -> tuple[int, int]:
        """The whole page; (reports, findings) written."""
        reports = report.stored_reports(db, scope)
        by_report = report.findings(db, scope, reports, lambda f: messages.finding(f, self.lang))
        found = [f for records in by_report.values() for f in records]
        self.out.write(self._head())
        self.out.write(self._heading(scope, source, len(reports), found))
        if reports:
            self.out.write(self._overview(report.overview(db, scope, reports, by_report)))
            self.out.write(self._index(reports, by_report))
            self.out.write(f'<section id="reports"><h2>{html.escape(self.t("reports"))}</h2>')
            for stored in reports:
                self.out.write(self._report(stored, report.tables(db, stored.id), by_report[stored.id]))
            self.out.write("</section>")
        self.out.write(f"<script>{_asset('report.js')}</script></body></html>\n")
        return len(reports), len(found)

    # ------------------------------------------------------------ the top of the page

    def _head(self) -> str:
        return (f'<!doctype html><html lang="{self.lang}"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                f'<title>{html.escape(self.t("title"))}</title><style>{_asset("report.css")}</style></head><body>')

    def _heading(self, scope: Scope, source: str, count: int, found: list[FindingRecord]) -> Markup:
        severities = Counter(f.severity for f in found)
        when = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
        lines = [self.t("generated", when=when, db=source)]
        if scope.period:
            lines.append(self.t("scope_period", period=scope.period))
        if scope.issuer:
            lines.append(self.t("scope_issuer", issuer=scope.issuer))
        lines.append(self.t("totals", reports=count, findings=len(found), errors=severities["error"],
                            warnings=severities["warning"]) if count else self.t("nothing"))
        return el("header", el("h1", self.t("title")), *(el("p", line) for line in lines), id="top")

    def _overview(self, seen: report.Overview) -> Markup:
        return el("section", el("h2", self.t("overview")), self._per_rule(seen.findings),
                  self._ratings(seen.ratings), self._scores(seen.scores), id="overview")

    def _issuer(self, issuer: str | None) -> str:
        return issuer or self.t("unknown")

    def _rule(self, rule: str) -> str:
        return messages.text("rules", rule, self.lang)

    def _per_rule(self, counts: dict[tuple[str | None, str], int]) -> Markup:
        """Findings per rule (named), then per issuer and rule (by code, named in a tooltip)."""
        rules = sorted({rule for _, rule in counts})
        issuers = sorted({issuer for issuer, _ in counts}, key=lambda i: (i is None, i or ""))
        per_rule = Counter()
        for (_, rule), n in counts.items():
            per_rule[rule] += n
        named = el("table", el("tr", el("th", self.t("findings")), el("th", "")),
                   *(el("tr", el("td", self._rule(rule), " ", el("code", rule)), el("td", per_rule[rule], class_="n"))
                     for rule in rules), class_="counts")
        head = el("tr", el("th", self.t("issuer")), *(el("th", el("abbr", rule, title=self._rule(rule))) for rule in rules),
                  el("th", self.t("all")))
        lines = (el("tr", el("th", self._issuer(issuer)), *(el("td", counts.get((issuer, rule), ""), class_="n") for rule in rules),
                    el("td", sum(counts.get((issuer, rule), 0) for rule in rules), class_="n"))
                 for issuer in issuers)
        matrix = el("div", el("table", head, *lines, class_="counts matrix"), class_="wide")
        return el("div", el("h3", self.t("per_rule")), named if rules else el("p", self.t("no_findings")),
                  matrix if rules else "")

    def _ratings(self, counts: dict[tuple[str | None, str | None], int]) -> Markup:
        if not counts:
            return Markup("")
        issuers = sorted({issuer for issuer, _ in counts}, key=lambda i: (i is None, i or ""))
        named = {(self._issuer(i), r or self.t("unknown")): n for (i, r), n in counts.items()}
        known = ratings.names()
        bands = [*known, *sorted({r for _, r in named} - set(known))]
        svg = charts.ratings([self._issuer(i) for i in issuers], bands, named, self.t("units_axis"))
        return el("div", el("h3", self.t("ratings")), _svg_image(svg, self.t("ratings")))

    def _scores(self, scores: dict[str | None, dict[str, dict[str, float]]]) -> Markup:
        """The spread of the scores per period, then each issuer's units (a table of their scores per
        period, and their lines where it has several periods), collapsed under its name."""
        if not scores:
            return Markup("")
        by_period: dict[str, list[float]] = {}
        for units in scores.values():
            for by_unit in units.values():
                for period, score in by_unit.items():
                    by_period.setdefault(period, []).append(score)
        axis = self.t("score_axis")
        issuers = [el("details", el("summary", self._issuer(i), " ", el("span", f"({len(scores[i])})", class_="dim")),
                      self._unit_scores(scores[i], axis))
                   for i in sorted(scores, key=lambda i: (i is None, i or ""))]
        return el("div", el("h3", self.t("scores")), _svg_image(charts.spread(by_period, axis), self.t("scores")),
                  *issuers)

    def _unit_scores(self, units: dict[str, dict[str, float]], axis: str) -> Markup:
        periods = sorted({p for by_period in units.values() for p in by_period})
        head = el("tr", el("th", self.t("unit")), *(el("th", p) for p in periods))
        lines = (el("tr", el("td", unit), *(el("td", _score(by_period.get(p), self.lang), class_="n") for p in periods))
                 for unit, by_period in sorted(units.items()))
        chart = _svg_image(charts.scores(units, periods, axis, self.t("median")), axis) if len(periods) > 1 else ""
        return join((chart, el("div", el("table", head, *lines, class_="grid"), class_="wide")))

    def _index(self, reports: list[StoredReport], by_report: dict[int, list[FindingRecord]]) -> Markup:
        head = el("tr", *(el("th", self.t(k)) for k in ("issuer", "period", "file", "format", "errors", "warnings")))
        lines = []
        for r in reports:
            severities = Counter(f.severity for f in by_report[r.id])
            lines.append(el("tr", el("td", self._issuer(r.issuer)), el("td", r.period or "—"),
                            el("td", el("a", Path(r.file_name).name, href=f"#r{r.id}", title=r.file_name)),
                            el("td", r.format), el("td", severities["error"] or "", class_="n bad"),
                            el("td", severities["warning"] or "", class_="n warn")))
        return el("nav", el("h2", self.t("index")), el("div", el("table", head, *lines, class_="index"), class_="wide"),
                  id="index")

    # ------------------------------------------------------------ a report

    def _report(self, stored: StoredReport, tables: tuple[TableRecord, ...], found: list[FindingRecord]) -> Markup:
        severities = Counter(f.severity for f in found)
        summary = el("summary", el("b", self._issuer(stored.issuer)), " · ", stored.period or "—", " · ",
                     Path(stored.file_name).name, " ",
                     el("span", severities["error"], class_="badge bad") if severities["error"] else "",
                     el("span", severities["warning"], class_="badge warn") if severities["warning"] else "")
        source = original(stored.file_name, stored.sha256) if any(_sourced(stored, f) for f in found) else None
        pages = Pages(source, image=stored.format == "image") if isinstance(source, bytes) and \
            stored.format in CROPPED else None
        try:
            cards = [self._card(stored, tables, f, k, source, pages) for k, f in enumerate(found)]
        finally:
            if pages is not None:
                pages.close()
        return el("details", summary, self._metadata(stored),
                  el("div", *cards, class_="cards") if cards else el("p", self.t("no_findings")),
                  self._tables(tables, found), el("p", el("a", self.t("top"), href="#top")),
                  class_="report", id=f"r{stored.id}")

    def _metadata(self, r: StoredReport) -> Markup:
        fields = [("file", r.file_name), ("format", r.format), ("issuer", self._issuer(r.issuer)),
                  ("province", r.province), ("number", r.number), ("date", r.date and r.date.isoformat()),
                  ("period", r.period), ("framework", r.framework),
                  ("corrects", self.t("corrects") if r.corrects else None), ("sha256", r.sha256)]
        return el("dl", *(join((el("dt", self.t(k)), el("dd", v))) for k, v in fields if v))

    # ------------------------------------------------------------ a finding

    def _card(self, stored: StoredReport, tables: tuple[TableRecord, ...], f: FindingRecord, k: int,
              source: bytes | Unavailable | None, pages: Pages | None) -> Markup:
        table = next((t for t in tables if t.position == f.table), None)
        row = table.row(f.row) if table is not None else None
        figures = [self.t(key, value=number_or_text(value)) for key, value in
                   (("expected", f.expected), ("actual", f.actual)) if value is not None]
        return el("article",
                  el("header", el("span", messages.text("cli", f.severity, self.lang), class_="sev"), " ",
                     el("b", self._rule(f.rule)), " ", el("code", f.rule), " ", el("span", self._where(f), class_="dim")),
                  el("p", f.message, class_="message"),
                  el("p", " · ".join(figures), class_="figures") if figures else "",
                  self._printed(table, row, f) if row is not None else "",
                  self._source(stored, row, f, source, pages),
                  class_=f"card {f.severity}", id=f"f{stored.id}-{k}", data_rule=f.rule,
                  data_page=f.page if stored.format in CROPPED and f.page is not None else None)

    def _where(self, f: FindingRecord) -> str:
        where = [self.t("page", page=f.page)] if f.page is not None else []
        if f.table_title:
            where.append(f.table_title)
        if f.row is not None:
            where.append(self.t("row", row=f.stt or f"#{f.row + 1}"))
        if about := messages.criterion(f.criterion, f.about, self.lang):
            where.append(self.t("about", about=about))
        return ", ".join(where)

    def _printed(self, table: TableRecord, row: PrintedRow, f: FindingRecord) -> Markup:
        """The finding's row under its table's headings, the cell it is about marked."""
        return el("div", el("div", self.t("printed_row"), class_="label"),
                  el("div", el("table", self._headings(table), self._row(table, row, {f.about}), class_="grid"),
                     class_="wide"), class_="printed")

    def _source(self, stored: StoredReport, row: PrintedRow | None, f: FindingRecord,
                source: bytes | Unavailable | None, pages: Pages | None) -> Markup:
        """Where the finding is in the source file, or why that cannot be shown."""
        if not _sourced(stored, f):
            return Markup("")
        if isinstance(source, Unavailable):
            return el("p", self.t(source.value, file=stored.file_name), class_="note")
        name = row.unit_raw if row is not None else f.unit_raw
        cell = (row.cell(f.about) if row is not None else None) or (f.cells[0] if f.cells else None)
        if stored.format in LINED:
            found = excerpt(source, name or "", row.texts() if row is not None else f.cells)
            return self._lines(found, cell) if found else el("p", self.t("line_not_found"), class_="note")
        page = f.page if f.page is not None else row.page
        crop = pages.crop(page, f.bbox, name, cell, row.figures() if row is not None else ()) if page is not None else None
        if crop is None:
            return el("p", self.t("no_page"), class_="note")
        return self._crop(crop, page, stored.file_name)

    def _crop(self, crop: Crop, page: int, file_name: str) -> Markup:
        image = Markup(f'<img class="crop" loading="lazy" decoding="async" width="{crop.width}" '
                       f'height="{crop.height}" alt="{html.escape(self.t("crop_alt", page=page, file=Path(file_name).name))}" '
                       f'src="{crop.uri}">')
        return el("figure", el("div", self.t("source"), class_="label"), image,
                  el("figcaption", self.t(crop.placement.value)), class_=f"source {crop.placement.name.lower()}")

    def _lines(self, found: Excerpt, cell: str | None) -> Markup:
        lines = []
        for k, line in enumerate(found.lines):
            number = el("span", found.first + k, class_="ln")
            text = _marked(line, cell) if k == found.row else join([line])
            lines.append(el("span", number, text, class_="row" if k == found.row else None))
        return el("figure", el("div", self.t("lines", first=found.first, last=found.first + len(found.lines) - 1),
                               class_="label"), el("pre", *(join((line, "\n")) for line in lines)), class_="source lines")

    # ------------------------------------------------------------ the tables as read

    def _tables(self, tables: tuple[TableRecord, ...], found: list[FindingRecord]) -> Markup:
        if not tables:
            return Markup("")
        marked: dict[tuple[int, int], set[str | None]] = {}
        for f in found:
            if f.table is not None and f.row is not None:
                marked.setdefault((f.table, f.row), set()).add(f.about)
        shown = [el("details", el("summary", self._table_title(t)),
                    el("div", el("table", self._headings(t), class_="grid"), class_="wide"), _rows(t, marked),
                    class_="table")
                 for t in tables]
        return el("div", el("h3", self.t("tables")), *shown, class_="tables")

    def _table_title(self, t: TableRecord) -> str:
        kind = self.t("kind_scores" if t.kind is TableKind.SCORES else "kind_other")
        parts = [self.t("table", n=t.position + 1), t.title, kind, self.t("pages", pages=t.pages) if t.pages else None]
        return " · ".join(p for p in parts if p)

    def _headings(self, t: TableRecord) -> Markup:
        columns = [el("th", c.label, Markup("<br>") if c.group else "", el("small", c.group) if c.group else "",
                      title=None if c.max is None else f"max {c.max:g}") for c in t.columns]
        return el("tr", el("th", self.t("stt")), el("th", self.t("unit")), *columns,
                  *(el("th", self.t(k)) for k in ("total", "converted", "rating")))

    def _row(self, t: TableRecord, r: PrintedRow, about: set[str | None]) -> Markup:
        """A printed row's cells, the one the finding is `about` marked."""
        fields = _fields(t)
        marks = _marks(fields, about)
        return el("tr", *(el("td", r.cell(name) or "", class_="mark" if name in marks else None) for name in fields),
                  class_="total" if r.is_total_row else None)


def _fields(t: TableRecord) -> list[str]:
    """The fields of a table's rows, in the order of its printed columns."""
    return ["stt", "unit_raw", *(f"values[{k}]" for k in range(len(t.columns))), "total", "converted", "rating"]


def _marks(fields: list[str], about: set[str | None]) -> set[str]:
    """The cells findings are `about`; a finding on no cell of the table (a duplicate unit) marks the name."""
    return {a if a in fields else "unit_raw" for a in about}


def _rows(t: TableRecord, marked: dict[tuple[int, int], set[str | None]]) -> Markup:
    """A table's rows as JSON, which report.js turns into rows when the table is opened: a province's
    year of rows parsed as HTML would hold the page up for seconds before anyone opens one.
    ("<" is written \\u003c, so that no cell can close the script.)"""
    fields = _fields(t)
    rows = [[r.cell(name) or "" for name in fields] for r in t.rows]
    marks = [[n, k] for n, r in enumerate(t.rows) if (about := marked.get((t.position, r.position)))
             for k, name in enumerate(fields) if name in _marks(fields, about)]
    totals = [n for n, r in enumerate(t.rows) if r.is_total_row]
    data = json.dumps({"rows": rows, "marks": marks, "totals": totals}, ensure_ascii=False, separators=(",", ":"))
    return Markup('<script type="application/json">' + data.replace("<", "\\u003c") + "</script>")


def _sourced(stored: StoredReport, f: FindingRecord) -> bool:
    """Whether a finding's card shows its source (a crop, printed lines): its format has one to show,
    and the finding a place in it (a page or a row)."""
    return stored.format in CROPPED | LINED and (f.page is not None or f.row is not None)


def _marked(line: str, cell: str | None) -> Markup:
    """A printed line, the cell's text marked where it stands as a cell of its own, if it does once
    (a "6" printed in three columns, or inside "4,68", leaves the cell unknown)."""
    found = list(re.finditer(rf"(?<![^\s|]){re.escape(cell)}(?![^\s|])", line)) if cell else []
    if len(found) != 1:
        return join([line])
    at = found[0]
    return join((line[:at.start()], el("mark", cell), line[at.end():]))


def _score(value: float | None, lang: str) -> str:
    return "" if value is None else messages.number(round(value, 2), lang)


def _svg_image(svg: str, alt: str) -> Markup:
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return Markup(f'<img class="chart" loading="lazy" alt="{html.escape(alt)}" src="{uri}">')


def write_report(db: Database, out: TextIO, *, scope: Scope = Scope(), lang: str = "vi", source: str = "") -> tuple[int, int]:
    """Write the audit report of the reports in `scope` into `out`; (reports, findings) written."""
    return Writer(out, lang).write(db, scope, source)
