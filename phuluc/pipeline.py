"""The flow (extract → normalize → check → load) and the `phuluc` command line.

This module wires stages together; it parses and checks nothing itself. Errors are values until here:
a file that cannot be read becomes one sentence naming it, and a batch goes on.
"""

from __future__ import annotations

import contextlib
import getpass
import hashlib
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from phuluc import __version__, messages, periods, scratch
from phuluc.terminal import PagesBar, aligned, err, escape, out, painted
from phuluc.budget import DEFAULT as BUDGET
from phuluc.errors import PhulucError, reason
from phuluc.messages import Language
from phuluc.choices import Dialect, FailOn, Layout, Level, Series, SeriesValue, TableKind
from phuluc.settings import DEFAULT, Settings

if TYPE_CHECKING:
    from phuluc.extract.sources import Source
    from phuluc.model import Extraction, Report

DEFAULT_DB = "sqlite:///phuluc.db"
_STORE_ATTEMPTS = 3
_LISTED = 5  # skipped files listed by name before the summary (all with --verbose); the rest are counted



def _help_language(argv: list[str], environ: os._Environ | dict[str, str]) -> Language:
    """The language of --help: the --lang on the command line (click prints help before it reads any
    option), else PHULUC_LANG, else Vietnamese."""
    for k, arg in enumerate(argv):
        value = arg.partition("=")[2] if arg.startswith("--lang=") else argv[k + 1] if arg == "--lang" and k + 1 < len(argv) else None
        if value in messages.LANGS:
            return Language(value)
    return Language(environ["PHULUC_LANG"]) if environ.get("PHULUC_LANG") in messages.LANGS else Language.VI


_HELP_LANG = _help_language(sys.argv, os.environ)


def _h(key: str) -> str:
    return messages.text("help", key, _HELP_LANG)


# help as click prints it: rich's would show a flag as "--json <bool>"
app = typer.Typer(add_completion=False, no_args_is_help=True, rich_markup_mode=None, help=_h("app"))


def _as_url(value: str) -> str:
    """A database as given: a SQLAlchemy URL, or the path of a SQLite file ("phuluc.db")."""
    return value if "://" in value else f"sqlite:///{value}"


Lang = Annotated[Language, typer.Option("--lang", envvar="PHULUC_LANG", help=_h("lang"))]
Db = Annotated[str, typer.Option("--db", envvar="PHULUC_DB", callback=_as_url,
                                 help=_h("db"))]
CsvDialect = Annotated[Dialect, typer.Option(help=_h("dialect"))]
Period = Annotated[str | None, typer.Option(help=_h("period"))]


def _version(shown: bool) -> None:
    if shown:
        out().print(f"phuluc {__version__}", highlight=False)
        raise typer.Exit()


@app.callback()
def _main(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                                help=_h("version"))] = False) -> None:
    """The options of phuluc itself, before a command."""


# ---------------------------------------------------------------- the flow


def extract_file(path: Path, settings: Settings = DEFAULT) -> Extraction:
    """One file through extract, normalize and the checks; nothing is written."""
    from phuluc.extract import read_document
    from phuluc.load.checks import run_checks
    from phuluc.model import Extraction
    from phuluc.normalize.report import build_report

    report = build_report(read_document(path, settings), settings=settings)
    if not _is_report(report):
        raise PhulucError("no_report", file=str(path))
    return Extraction(report=report, findings=run_checks(report))


def _is_report(report: Report) -> bool:
    """A score report has a score table or a result statement, or is one whose appendix is missing: it
    says it has one under the heading of a report (an issuer, and its number or period). A README or a
    note that names the framework and a month is none."""
    meta = report.meta
    heading = meta.issuer and (meta.number or meta.period)
    return bool(report.score_tables or report.summary or (report.refers_to_appendix and heading))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _fail(e: PhulucError, lang: str, code: int = 1) -> typer.Exit:
    err().print(_shown(messages.error(e.key, lang, **e.params)), highlight=False, soft_wrap=True)
    return typer.Exit(code)


def _open_db(url: str, lang: str, *, create: bool = False):
    """The database at `url`; only a command that loads (`create`) may make a SQLite file that is not
    there, so that a misspelt name is no empty database that answers "no findings"."""
    from phuluc.load.db import Database

    if not create and (path := _sqlite_file(url)) is not None and not path.exists():
        raise _fail(PhulucError("no_database", url=url), lang, 2)
    try:
        return Database.open(url)
    except Exception as e:  # the driver's own exception types differ per database
        raise _fail(PhulucError("database", url=_safe_url(url), reason=_reason(e)), lang, 2) from None


def _sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for another database or one in memory)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _check_period(period: str | None, lang: str) -> None:
    if period is not None:
        _period(period, lang)


def _period(text: str, lang: str) -> periods.Period:
    """The period the user wrote; a usage error for anything else."""
    try:
        return periods.Period.parse(text)
    except ValueError:
        raise _fail(PhulucError("bad_period", value=text), lang, 2) from None


def _check_output(output: Path, lang: str) -> None:
    """An output file goes into a folder that is there ("-" is standard output)."""
    if str(output) != "-" and not output.parent.is_dir():
        raise _fail(PhulucError("no_folder", folder=str(output.parent), file=output.name), lang, 2)


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}:***@{host}"
    return url


def _shown(value: object) -> str:
    """Text from a document or a file name as the terminal may show it, on one line: rich markup escaped
    ("[/red]" in a unit name, "[/]notes.txt" as a file name), control characters (an escape sequence,
    a line break in a file name, a right-to-left override) written out as "\\x1b", "\\u202e"; emoji
    codes (":warning:") are never rendered, as no console of this module renders them."""
    return escape(messages.printable(str(value)))


def _named(e: PhulucError, source: Source) -> PhulucError:
    """The error naming the file as the user sees it ("batch.zip:2024/a.pdf"), not the path a worker
    read (an unpacked copy), nor none (a limit found deep in a reader)."""
    return PhulucError(e.key, **{**e.params, "file": source.name})


def _reason(e: Exception) -> str:
    """An error in one line; a database error by what the driver said."""
    return reason(getattr(e, "orig", None) or e)


# ---------------------------------------------------------------- commands


Workers = Annotated[int, typer.Option(help=_h("workers"))]
FileTimeout = Annotated[float, typer.Option("--file-timeout", min=1, help=_h("file_timeout"))]
FileMemory = Annotated[int, typer.Option("--file-memory", min=256, help=_h("file_memory"))]


def _settings(ocr_workers: int, file_timeout: float, file_memory: int) -> Settings:
    settings = DEFAULT.with_ocr_workers(ocr_workers) if ocr_workers else DEFAULT
    return settings.with_budget(seconds=file_timeout, memory_mb=file_memory)


def _batch_settings(workers: int, file_timeout: float, file_memory: int) -> Settings:
    """Split the CPUs between the files extracted at once and the scanned pages of each file."""
    return _settings(max(1, (os.cpu_count() or 1) // max(1, workers)), file_timeout, file_memory)


@app.command(help=_h("extract"))
def extract(file: Path, json_out: Annotated[bool, typer.Option("--json", help=_h("json"))] = False,
            workers: Workers = 0, file_timeout: FileTimeout = BUDGET.seconds, file_memory: FileMemory = BUDGET.memory_mb,
            lang: Lang = Language.VI) -> None:
    from phuluc import batch
    from phuluc.contract import to_json
    from phuluc.extract.sources import Source

    source = Source(str(file), file)
    with PagesBar(messages.text("cli", "reading", lang)) as bar:

        def on_pages(_: Source, done: int, total: int) -> None:
            bar.update(done, total)

        _, extraction = next(batch.extracted(iter([source]), extract_file, 1,
                                             _settings(workers, file_timeout, file_memory), on_pages))
    if isinstance(extraction, PhulucError):
        raise _fail(_named(extraction, source), lang) from None
    data = to_json(extraction, lang=lang)
    if json_out:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=1)  # in pieces
        sys.stdout.write("\n")
    else:
        _print_extraction(data)


_ROW_FIELDS = ("stt", "unit_raw", "unit", "values", "total", "converted", "rating")


def _print_extraction(data: dict) -> None:
    """The report as `extract --json` gives it, as text: metadata, tables, statements and findings, in
    plain aligned columns (a long row runs on, as the terminal wraps it)."""
    lines = [painted(f"{messages.printable(data['source_file'])} ({data['format']})", "bold")]
    lines += aligned([("  " + key, _plain(value) if value is not None else "—") for key, value in data["report"].items()])
    for t in data["tables"]:
        lines += ["", painted(f"{_plain(t['title'] or '')} [{t['kind']}, {t['source']}]", "bold")]
        lines += aligned([_ROW_FIELDS, *([_plain(r[k]) if r.get(k) is not None else "" for k in _ROW_FIELDS]
                                         for r in t["rows"])])
    if data["summary"]:
        lines.append("")
    lines += [_plain(f"• {s['scope'] or ''} {s['rating']}: {s['count']}  {', '.join(s['units'])}") for s in data["summary"]]
    if data["findings"]:
        lines.append("")
    lines += [f"{painted(f['rule'], 'red' if f['severity'] == 'error' else 'yellow')} {_plain(f['message'])}"
              for f in data["findings"]]
    sys.stdout.write("\n".join(lines) + "\n")


def _plain(value: object) -> str:
    """Text from a document on one line, for a view printed without rich (no markup to escape)."""
    return messages.printable(str(value))


@dataclass
class _Tally:
    files: int = 0
    reports: int = 0
    rows: int = 0
    rules: Counter = field(default_factory=Counter)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    interrupted: bool = False


@app.command(help=_h("ingest"))
def ingest(paths: list[Path], db: Db = DEFAULT_DB,
           force: Annotated[bool, typer.Option("--force", help=_h("force"))] = False,
           workers: Workers = 1, file_timeout: FileTimeout = BUDGET.seconds, file_memory: FileMemory = BUDGET.memory_mb,
           verbose: Annotated[bool, typer.Option("-v", "--verbose", help=_h("verbose"))] = False,
           lang: Lang = Language.VI) -> None:
    from phuluc import bars, batch
    from phuluc.extract import sources
    from phuluc.load.review import decisions

    database = _open_db(db, lang, create=True)
    settings = _batch_settings(workers, file_timeout, file_memory).with_decisions(decisions(database))
    scratch.sweep()  # what an ingest killed before left in the temp folder
    tally = _Tally(files=sources.count(paths))
    progress = bars.files(err(), messages.text("cli", "reading", lang), messages.text("cli", "per_second", lang))
    try:
        with progress:
            task = progress.add_task("", total=tally.files)

            def on_pages(source: Source, done: int, total: int) -> None:
                page = messages.text("cli", "pages", lang, done=done, total=total)
                progress.update(task, description=f"{_shown(_relative(source.name, paths))} · {page}")

            def todo() -> Iterator[Source]:
                for source in sources.walk(paths):
                    progress.update(task, description=_shown(_relative(source.name, paths)))
                    if (failure := _failure(source)) is not None:
                        tally.failed.append((source.name, messages.error(failure.key, lang, **failure.params)))
                    elif (why := _skip_reason(source, database, force, lang)) is None:
                        yield source
                        continue
                    else:
                        tally.skipped.append((source.name, why))
                    source.release()
                    progress.advance(task)

            for source, outcome in batch.extracted(todo(), extract_file, max(1, workers), settings, on_pages):
                _load(source, outcome, database, force, lang, tally)
                source.release()
                progress.advance(task)
    except KeyboardInterrupt:  # the workers are killed; a report being stored is stored whole first
        tally.interrupted = True
    _print_tally(tally, lang, verbose)
    raise typer.Exit(130 if tally.interrupted else 1 if tally.failed else 0)


def _relative(name: str, paths: list[Path]) -> str:
    """A source's name inside the folder it was found in ("huyen-a/bao-cao.pdf"), so that files of the
    same name in twenty folders are told apart."""
    for path in paths:
        folder = str(path).rstrip("/") + "/"
        if path.is_dir() and name.startswith(folder):
            return name[len(folder):]
    return name


def _failure(source: Source) -> PhulucError | None:
    """A source that fails before it is read: a path that is not there, an archive that will not open."""
    if source.skip == "bad_archive":
        return PhulucError("bad_archive", file=source.name)
    if source.skip is None and not source.path.exists():
        return PhulucError("not_found", file=source.name)
    return None


def _skip_reason(source: Source, database, force: bool, lang: str) -> str | None:
    """Why a source is not extracted: refused from an archive, not a report format, already loaded."""
    if source.skip is not None:
        return messages.text("cli", f"skipped_{source.skip}", lang)
    from phuluc.extract import supported

    if not supported(source.path):
        return messages.text("cli", "skipped_not_report", lang, suffix=source.path.suffix or source.path.name)
    if not force and database.has_report(_sha256(source.path)):
        return messages.text("cli", "skipped_loaded", lang)
    return None


def _load(source: Source, outcome: Extraction | PhulucError, database, force: bool, lang: str, tally: _Tally) -> None:
    """Store one extraction in one transaction, retrying a writer that lost a race for a lock, and count
    it; a Ctrl-C meanwhile stops the batch once the report is stored and counted."""
    if isinstance(outcome, PhulucError):
        target = tally.skipped if outcome.key == "no_report" else tally.failed
        named = _named(outcome, source)
        target.append((source.name, messages.error(named.key, lang, **named.params)))
        return
    from phuluc import processes

    with processes.interrupt_after():
        _store(source, outcome, database, force, lang, tally)


def _store(source: Source, outcome: Extraction, database, force: bool, lang: str, tally: _Tally) -> None:
    from sqlalchemy.exc import OperationalError

    from phuluc.load.db import AlreadyLoaded

    for attempt in range(_STORE_ATTEMPTS):
        try:
            database.store(outcome, file_name=source.name, replace=force, messages=lambda f: messages.finding(f, lang))
            break
        except AlreadyLoaded:  # another process loaded the same file first
            tally.skipped.append((source.name, messages.text("cli", "skipped_loaded", lang)))
            return
        except OperationalError as e:  # a lock held by a concurrent writer
            if attempt + 1 == _STORE_ATTEMPTS:
                tally.failed.append((source.name, messages.error("unreadable", lang, file=source.name,
                                                                 reason=_reason(e))))
                return
            time.sleep(0.2 * (attempt + 1))
        except Exception as e:  # nothing of this report was written (one transaction); the batch goes on
            tally.failed.append((source.name, messages.error("unreadable", lang, file=source.name, reason=_reason(e))))
            return
    tally.reports += 1
    tally.rows += sum(1 for t in outcome.report.score_tables for r in t.rows if not r.is_total_row)
    tally.rules.update(f.rule for f in outcome.findings)


def _print_tally(tally: _Tally, lang: str, verbose: bool) -> None:
    """The files failed and skipped (a few of the skipped unless `verbose`), then the summary, last,
    so that it is what the screen ends on."""
    from rich.table import Table

    t = lambda key, **kw: messages.text("cli", key, lang, **kw)  # noqa: E731
    listed = tally.skipped if verbose else tally.skipped[:_LISTED]
    for name, why in listed:
        out().print(f"  [dim]{t('skipped')}[/dim] {_shown(name)}: {_shown(why)}", highlight=False, soft_wrap=True)
    if len(tally.skipped) > len(listed):
        out().print(f"  … {t('more', count=len(tally.skipped) - len(listed))}", highlight=False)
    for name, why in tally.failed:
        out().print(f"  [red]{t('failed')}[/red] {_shown(name)}: {_shown(why)}", highlight=False, soft_wrap=True)
    table = Table(title=t("summary_title"), show_header=False, title_justify="left")
    table.add_row(t("files"), str(tally.files))
    table.add_row(t("reports"), str(tally.reports))
    table.add_row(t("rows"), str(tally.rows))
    table.add_row(t("findings"), ", ".join(f"{rule} {n}" for rule, n in sorted(tally.rules.items())) or "0")
    table.add_row(t("skipped"), str(len(tally.skipped)))
    table.add_row(t("failures"), str(len(tally.failed)))
    table.add_row(t("elapsed"), t("seconds", seconds=round(time.monotonic() - tally.started, 1)))
    out().print(table)
    if tally.interrupted:
        out().print(t("interrupted"), highlight=False)
    elif not tally.reports:
        out().print(t("nothing_loaded"))


@app.command(help=_h("audit"))
def audit(db: Db = DEFAULT_DB, period: Period = None,
          rule: Annotated[str | None, typer.Option(help=_h("rule"))] = None,
          output: Annotated[Path | None, typer.Option("-o", "--output", help=_h("audit_output"))] = None,
          fail_on: Annotated[FailOn, typer.Option("--fail-on", help=_h("fail_on"))] = FailOn.ERROR,
          dialect: CsvDialect = Dialect.TOOLS, lang: Lang = Language.VI) -> None:
    from phuluc.load.checks import SEVERITY

    _check_period(period, lang)
    if rule is not None and rule not in SEVERITY:
        raise _fail(PhulucError("unknown_rule", value=rule, rules=", ".join(SEVERITY)), lang, 2)
    if output is not None:
        _check_output(output, lang)
    database = _open_db(db, lang)
    records = database.findings(period=period, rule=rule, messages=lambda f: messages.finding(f, lang))
    counts: Counter = Counter()
    if output is not None:
        from phuluc.load.export import FINDING_COLUMNS, finding_line, writing

        target, console = _destination(output)
        with writing(target, title="findings", dialect=dialect, bom=target is not sys.stdout) as writer:
            writer.writerow(FINDING_COLUMNS)
            for r in records:
                writer.writerow(finding_line(r))
                counts[r.rule, r.severity] += 1
        console.print(_shown(messages.text("cli", "audit_written", lang, count=counts.total(), file=str(output))))
    else:
        for r in records:
            out().print(_finding_line(r, lang), highlight=False, soft_wrap=True)
            counts[r.rule, r.severity] += 1
        _print_counts(counts, lang)
    raise typer.Exit(1 if any(severity in _FAILING[fail_on] for _, severity in counts) else 0)


_FAILING = {FailOn.ERROR: {"error"}, FailOn.WARNING: {"error", "warning"}, FailOn.NEVER: set()}


def _finding_line(r, lang: str) -> str:
    """One finding: its rule and severity, the file, period, page and row it is in, the field it is
    about with its cell as printed, its sentence."""
    colour = "red" if r.severity == "error" else "yellow"
    where = [f"{Path(r.file_name).name} ({r.period or '—'})"]
    if r.page is not None:
        where.append(messages.text("cli", "page", lang, page=r.page))
    if r.row is not None:
        where.append(messages.text("cli", "row", lang, row=r.stt or f"#{r.row + 1}"))
    if about := messages.criterion(r.criterion, r.about, lang):
        where.append(f"{about} \"{r.cells[0]}\"" if r.cells else about)
    severity = messages.text("cli", r.severity, lang)
    return f"[{colour}]{r.rule} {severity}[/{colour}] {_shown(', '.join(where))}: {_shown(r.message)}"


def _print_counts(counts: Counter, lang: str) -> None:
    """The closing line: how many findings, of which errors and warnings, per rule."""
    if not counts:
        out().print(messages.text("cli", "audit_none", lang))
        return
    by_severity = Counter()
    for (_, severity), n in counts.items():
        by_severity[severity] += n
    rules = ", ".join(f"{rule} {n}" for (rule, _), n in sorted(counts.items()))
    out().print(messages.text("cli", "audit_counts", lang, count=counts.total(), errors=by_severity["error"],
                            warnings=by_severity["warning"], rules=rules), highlight=False, soft_wrap=True)


@app.command(help=_h("export"))
def export(output: Annotated[Path, typer.Option("-o", "--output", help=_h("export_output"))],
           db: Db = DEFAULT_DB, period: Period = None,
           layout: Annotated[Layout, typer.Option(help=_h("layout"))] = Layout.WIDE,
           bom: Annotated[bool, typer.Option("--bom/--no-bom", help=_h("bom"))] = True,
           all_submissions: Annotated[bool, typer.Option("--all-submissions", help=_h("all_submissions"))] = False,
           tables: Annotated[TableKind, typer.Option(help=_h("tables"))] = TableKind.SCORES,
           dialect: CsvDialect = Dialect.TOOLS,
           value: Annotated[SeriesValue | None, typer.Option(help=_h("series_value"))] = None,
           merge_2025: Annotated[bool, typer.Option("--merge-2025", help=_h("merge_2025"))] = False,
           lang: Lang = Language.VI) -> None:
    from phuluc.load.export import export_scores

    _check_period(period, lang)
    _check_series(layout, value, merge_2025, lang)
    _check_output(output, lang)
    database = _open_db(db, lang)
    target, console = _destination(output)
    count = export_scores(database, target, layout=layout, period=period, every=all_submissions, tables=tables,
                          bom=bom and target is not sys.stdout, dialect=dialect,
                          messages=lambda f: messages.finding(f, lang),
                          series=Series(value or SeriesValue.CONVERTED, merge_2025))
    console.print(_shown(messages.text("cli", "exported", lang, count=count, file=str(output))))


@app.command(help=_h("report"))
def report(output: Annotated[Path, typer.Option("-o", "--output", help=_h("report_output"))],
           db: Db = DEFAULT_DB, period: Period = None,
           issuer: Annotated[str | None, typer.Option(help=_h("issuer"))] = None,
           lang: Lang = Language.VI) -> None:
    from phuluc.load.report import Scope
    from phuluc.load.report_html import write_report

    _check_period(period, lang)
    _check_output(output, lang)
    database = _open_db(db, lang)
    target, console = _destination(output)
    try:
        with contextlib.nullcontext(target) if target is sys.stdout else open(target, "w", encoding="utf-8") as stream:
            reports, findings = write_report(database, stream, scope=Scope(period, issuer), lang=lang,
                                             source=_safe_url(db))
    except OSError as e:
        raise _fail(PhulucError("unwritable", file=str(output), reason=_reason(e)), lang, 2) from None
    console.print(_shown(messages.text("cli", "report_written", lang, file=str(output), reports=reports,
                                       findings=findings)))


def _check_series(layout: Layout, value: SeriesValue | None, merge_2025: bool, lang: str) -> None:
    """--value and --merge-2025 shape a series: with another layout they are a mistake, not ignored."""
    for option, given in (("--value", value is not None), ("--merge-2025", merge_2025)):
        if given and layout is not Layout.SERIES:
            raise _fail(PhulucError("series_only", option=option, layout=layout.value), lang, 2)


def _destination(output: Path):
    """Where a table goes and where its closing line is said: `-` is stdout, so the line goes to stderr."""
    return (sys.stdout, err()) if str(output) == "-" else (output, out())


db_app = typer.Typer(no_args_is_help=True, help=_h("db_app"))
app.add_typer(db_app, name="db")


@db_app.command("upgrade", help=_h("db_upgrade"))
def db_upgrade(db: Db = DEFAULT_DB, revision: Annotated[str, typer.Argument(help=_h("revision"))] = "head",
               lang: Lang = Language.VI) -> None:
    from phuluc.load.db import upgrade

    try:
        now = upgrade(db, revision)
    except Exception as e:  # the driver's own exception types differ per database
        raise _fail(PhulucError("database", url=_safe_url(db), reason=_reason(e)), lang, 2) from None
    out().print(messages.text("cli", "upgraded", lang, url=_safe_url(db), revision=now or "—"), highlight=False)


units_app = typer.Typer(no_args_is_help=True, help=_h("units_app"))
app.add_typer(units_app, name="units")
Output = Annotated[Path | None, typer.Option("-o", "--output", help=_h("audit_output"))]
Printed = Annotated[str, typer.Argument(help=_h("printed"))]
Province = Annotated[str | None, typer.Option(help=_h("province"))]
By = Annotated[str | None, typer.Option(help=_h("by"))]


@units_app.command("review", help=_h("units_review"))
def units_review(db: Db = DEFAULT_DB, output: Output = None, dialect: CsvDialect = Dialect.TOOLS,
                 lang: Lang = Language.VI) -> None:
    from phuluc.load import review

    entries = review.review(_opened_for(output, db, lang))
    _list(entries, output, "units", review.REVIEW_COLUMNS, review.entry_row, review.entry_line, dialect, lang)
    if output is None:
        out().print(messages.text("cli", "review_count", lang, count=len(entries)) if entries
                  else messages.text("cli", "review_none", lang), highlight=False)


@units_app.command("decisions", help=_h("units_decisions"))
def units_decisions(db: Db = DEFAULT_DB, output: Output = None, dialect: CsvDialect = Dialect.TOOLS,
                    lang: Lang = Language.VI) -> None:
    from phuluc.load import review

    rulings = review.rulings(_opened_for(output, db, lang))
    _list(rulings, output, "decisions", review.RULING_COLUMNS, review.ruling_row, review.ruling_line, dialect, lang)
    if output is None and not rulings:
        out().print(messages.text("cli", "rulings_none", lang), highlight=False)


@units_app.command("accept", help=_h("units_accept"))
def units_accept(printed: Printed, target: Annotated[str, typer.Argument(help=_h("target"))], db: Db = DEFAULT_DB,
                 province: Province = None, by: By = None, lang: Lang = Language.VI) -> None:
    from phuluc.load import review

    database = _open_db(db, lang)
    done = _ruled(lambda: review.accept(database, printed, target, by=by or getpass.getuser(), province=province,
                                        messages=lambda f: messages.finding(f, lang)), lang)
    units = ", ".join(f"{u.name} ({u.code})" for u in done.units)
    out().print(_shown(messages.text("cli", "accepted", lang, printed=done.printed, province=done.province,
                                   units=units, rows=done.rows, reports=done.reports)), highlight=False)


@units_app.command("reject", help=_h("units_reject"))
def units_reject(printed: Printed, db: Db = DEFAULT_DB, province: Province = None, by: By = None,
                 lang: Lang = Language.VI) -> None:
    from phuluc.load import review

    database = _open_db(db, lang)
    done = _ruled(lambda: review.reject(database, printed, by=by or getpass.getuser(), province=province,
                                        messages=lambda f: messages.finding(f, lang)), lang)
    out().print(_shown(messages.text("cli", "rejected", lang, printed=done.printed, province=done.province,
                                   rows=done.rows, reports=done.reports)), highlight=False)


def _opened_for(output: Path | None, db: str, lang: str):
    """The database a listing reads, once its output file's folder is known to be there."""
    if output is not None:
        _check_output(output, lang)
    return _open_db(db, lang)


def _ruled(rule, lang: str):
    """A ruling made, or the sentence saying why it cannot be (a name not stored, a unit unknown or
    ambiguous)."""
    try:
        return rule()
    except PhulucError as e:
        raise _fail(e, lang, 2) from None


def _list(items, output: Path | None, title: str, columns, row, line, dialect: Dialect, lang: str) -> None:
    """Items as lines on the terminal, or as rows of `columns` in a CSV or workbook (`-o`)."""
    if output is None:
        for item in items:
            out().print(_shown(line(item, lang)), highlight=False, soft_wrap=True)
        return
    from phuluc.load.export import writing

    target, console = _destination(output)
    with writing(target, title=title, dialect=dialect, bom=target is not sys.stdout) as writer:
        writer.writerow(columns)
        writer.writerows(row(item) for item in items)
    console.print(_shown(messages.text("cli", "review_written", lang, count=len(items), file=str(output))))


# ---------------------------------------------------------------- the province's view: status, rank

PeriodRequired = Annotated[str, typer.Option(help=_h("period"))]
AskedProvince = Annotated[str | None, typer.Option(help=_h("status_province"))]
FrameworkCode = Annotated[str | None, typer.Option(help=_h("framework"))]
TableOutput = Annotated[Path | None, typer.Option("-o", "--output", help=_h("status_output"))]


@app.command(help=_h("status"))
def status(period: PeriodRequired, db: Db = DEFAULT_DB, province: AskedProvince = None,
           level: Annotated[list[Level] | None, typer.Option(help=_h("level"))] = None,
           framework: FrameworkCode = None, output: TableOutput = None, dialect: CsvDialect = Dialect.TOOLS,
           lang: Lang = Language.VI) -> None:
    from phuluc.load import status as state

    code = _framework(framework, lang)
    database, unit, asked = _province_scope(period, province, output, db, lang)
    seen = _ruled(lambda: state.overview(database, unit, asked, levels=level or (), framework=code), lang)
    if output is not None:
        _list(seen.lines, output, "status", state.COLUMNS, state.line_row, None, dialect, lang)
    else:
        _print_status(seen, lang)
    raise typer.Exit(1 if seen.missing else 0)


def _province_scope(period: str, province: str | None, output: Path | None, db: str, lang: str):
    """The database, the province and the period a command of the province's view reads."""
    from phuluc.load.province import province as resolve

    asked = _period(period, lang)
    database = _opened_for(output, db, lang)
    return database, _ruled(lambda: resolve(database, province, asked), lang), asked


def _framework(code: str | None, lang: str) -> str | None:
    """The framework's code as stored ("459/QĐ-UBND" for "459/qđ-ubnd"); a usage error for an unknown one."""
    if code is None:
        return None
    from phuluc.normalize.frameworks import by_code, frameworks

    found = by_code(code)
    if found is None:
        raise _fail(PhulucError("unknown_framework", value=code,
                                frameworks=", ".join(f.code for f in frameworks())), lang, 2)
    return found.code


def _print_status(seen, lang: str) -> None:
    """A line per expected issuer, level by level: what came from it (and when, against the deadline), or
    that nothing did; then the counts."""
    from phuluc.load.status import Status, Timeliness

    t = lambda key, **kw: messages.text("status", key, lang, **kw)  # noqa: E731
    colour = {Status.MISSING: "red", Status.DUPLICATE: "yellow", Timeliness.LATE: "magenta"}
    word = lambda s: f"[{colour[s]}]{t(s.value)}[/]" if s in colour else t(s.value)  # noqa: E731
    out().print(f"[bold]{_shown(t('title', province=seen.province.name, period=str(seen.period)))}[/bold]")
    for level in seen.levels:
        out().print(t(level.value), highlight=False)
        for line in seen.of(level):
            parts = [word(line.status)]
            if line.status is not Status.MISSING:
                parts += [_shown(line.framework or "—"), t("sent", date=_day(line.sent, lang)),
                          t("due", date=_day(line.due, lang)), word(line.timeliness)]
            if line.status is Status.DUPLICATE:
                parts.append(t("counted", copies=len(line.copies), file=_shown(Path(line.counted.file_name).name)))
            head = _shown(" ".join(filter(None, (line.issuer.code, line.issuer.name))))
            out().print(f"  {head}: {', '.join(parts)}", highlight=False, soft_wrap=True)
    for line in seen.of(None):
        out().print(f"  [yellow]{t('unattributed', file=_shown(line.copies[0].file_name))}[/]", highlight=False,
                    soft_wrap=True)
    out().print(t("counts", expected=seen.issuers, received=seen.count(Status.RECEIVED),
                  duplicate=seen.count(Status.DUPLICATE), missing=seen.count(Status.MISSING),
                  late=seen.count(Timeliness.LATE), undated=seen.count(Timeliness.UNDATED)),
                highlight=False, soft_wrap=True)


def _day(day, lang: str) -> str:
    """A date as the language writes it: "05/04/2024", "2024-04-05"; "—" for none."""
    return "—" if day is None else day.strftime("%d/%m/%Y") if lang == Language.VI else day.isoformat()


@app.command(help=_h("rank"))
def rank(period: PeriodRequired, db: Db = DEFAULT_DB, province: AskedProvince = None,
         framework: FrameworkCode = None, output: TableOutput = None, dialect: CsvDialect = Dialect.TOOLS,
         lang: Lang = Language.VI) -> None:
    from phuluc.load import rank as ranking

    code = _framework(framework, lang)
    database, unit, asked = _province_scope(period, province, output, db, lang)
    table = _ruled(lambda: ranking.consolidated(database, unit, asked, code), lang)
    sections = {level: messages.text("rank", level.value, lang) for level in Level}
    if output is None:
        _print_rank(table, sections, lang)
        return
    from phuluc.load.export import writing

    target, console = _destination(output)
    with writing(target, title=table.framework.code, dialect=dialect, bom=target is not sys.stdout) as writer:
        writer.writerow(ranking.columns(table))
        writer.writerows(ranking.rows(table, sections))
    console.print(_shown(messages.text("cli", "review_written", lang, count=len(table.lines), file=str(output))))


def _print_rank(table, sections: dict[Level, str], lang: str) -> None:
    """A table per section, as the appendix prints it, each followed by its counts per rating: plain
    aligned columns, each row on one line, as wide as its criteria make it."""
    t = lambda key, **kw: messages.text("rank", key, lang, **kw)  # noqa: E731
    figure = lambda v: "-" if v is None else messages.number(v, lang)  # noqa: E731  # "-": not applicable
    criteria = [c.key for c in table.framework.criteria]  # short: ck1, td
    head = (t("stt"), t("unit"), *criteria, t("total"), t("converted"), t("rating"), t("rank"))
    right = {0, *range(2, len(head) - 2), len(head) - 1}
    lines: list[str] = []
    for level in table.levels:
        title = t("title", part=sections[level], province=table.province.name, period=str(table.period),
                  framework=table.framework.code)
        body = [(str(r.stt), _plain(r.unit), *map(figure, r.values), figure(r.total), figure(r.converted),
                 _plain(r.rating or ""), "" if r.rank is None else str(r.rank))
                for r in table.lines if r.level is level]
        counts = " · ".join(f"{_plain(rating)} {count}" for rating, count in table.counts(level))
        lines += [*([""] if lines else []), painted(_plain(title), "bold"), *aligned([head, *body], right=right),
                  _plain(t("counts", counts=counts))]
    sys.stdout.write("\n".join(lines) + "\n")


def main() -> None:
    os.environ.setdefault("PYTHONIOENCODING", "utf-8")
    app()


if __name__ == "__main__":
    main()
