"""How fast a batch of text reports is ingested, audited and exported, into SQLite and PostgreSQL.

    python bench/ingest_speed.py [--reports 3100] [--rows 30] [--runs 5] [--before ../main] [--no-pg]

Generates N synthetic 459/QĐ-UBND reports (Markdown with a tab-separated appendix of `--rows` real
communes of a random province, consistent figures), a quarter of them sent twice (the same figures,
another file) and a tenth corrected ("BÁO CÁO ĐIỀU CHỈNH", one commune's score lowered), as a
province's inbox has them, and prints one table: reports/s and rows/s of
`phuluc ingest` with 1 and 2 workers, seconds of `phuluc audit` and `phuluc export` over everything
stored (3,100 reports of 30 rows hold over 1,000,000 values, and audit finds the corrections among the
copies), and the peak RSS of each command (the command and its worker processes). Audit and export are
medians of `--runs` runs; `--before` names another source tree (a checkout of main) whose audit runs
over the same database in turns with this one's, so that a busy machine slows both alike, and the
median of the pairs' ratios says how much faster this tree is. PostgreSQL is a throwaway server started
from Debian's packages, as the tests start it.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from phuluc.normalize.units import Register

ROOT = Path(__file__).resolve().parents[1]
MAXIMA = (5, 5, 10, 30, 10, 10, 5, 10, 5, 5, 5)
HEADER = ("STT\tTÊN CƠ QUAN, ĐƠN VỊ\tĐIỂM CÁC CHỈ SỐ" + "\t" * 11 + "ĐIỂM ĐẠT ĐƯỢC\tTỔNG ĐIỂM QUY ĐỔI\tXẾP LOẠI\n"
          "\t\tNhóm công khai, minh bạch\t\t\tTiến độ, KQ giải quyết (30đ)\tCung cấp DVTT\t\tSố hóa hồ sơ\t\t"
          "Mức độ hài lòng\t\t\t\t\t\n"
          "\t\t" + "\t".join(f"Chỉ số {n} ({m}đ)" if k != 3 else "" for k, (n, m) in
                             enumerate(zip((1, 2, 3, 0, 1, 2, 1, 2, 1, 2, 3), MAXIMA))) + "\t\t\t\n")
# Runs a command and prints the peak RSS (MB) of it and the processes it waited for.
MEASURE = ("import resource, subprocess, sys, time; t = time.perf_counter(); "
           "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
           "print(code, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)")


def _vi(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def _rating(score: float) -> str:
    return next(r for floor, r in ((90, "Xuất sắc"), (80, "Tốt"), (70, "Khá"), (50, "Trung bình"), (0, "Yếu"))
                if score >= floor)


RESENT, CORRECTED = 0.25, 0.1  # shares of the reports sent again unchanged, and corrected


def report(rng: random.Random, number: int, period: int, province, wards, rows: int,
           corrected: bool = False) -> str:
    """One report of `rows` communes of a province for the `period`-th month since 2015, figures that
    add up; `corrected`, the correction of the report `rng` would otherwise make, its first commune's
    first score a point lower."""
    year, month = 2015 + period // 12, 1 + period % 12
    lines = []
    for k, ward in enumerate(rng.sample(wards, rows), start=1):
        values = [m if rng.random() < 0.7 else round(rng.uniform(0, m), 1) for m in MAXIMA]
        if corrected and k == 1:
            values[0] = max(0, values[0] - 1)
        total = round(sum(values), 1)
        converted = round(total, 2)
        lines.append("\t".join([str(k), f"UBND {ward.name[:1].lower()}{ward.name[1:]}", *map(_vi, values),
                                f"{_vi(total)}/100", _vi(converted), _rating(converted)]))
    title = "BÁO CÁO ĐIỀU CHỈNH" if corrected else "BÁO CÁO"
    return (f"Số: {number}/BC-UBND\n\n{province.name[5:]}, ngày 05 tháng {month} năm {year}\n\n## {title}\n\n"
            f"Kết quả đánh giá chất lượng phục vụ người dân, doanh nghiệp tháng {month} năm {year}\n\n"
            "Thực hiện Quyết định số 459/QĐ-UBND ngày 24/3/2023 của UBND tỉnh; "
            f"UBND {province.name[:1].lower()}{province.name[1:]} báo cáo như sau.\n\n## Phụ lục\n\n"
            + HEADER + "\n".join(lines) + "\n")


def generate(folder: Path, count: int, rows: int) -> None:
    """`count` files: reports, their copies sent again and their corrections."""
    register, rng, chance = Register.load(), random.Random(1), random.Random(2)
    provinces = [u for u in register.units() if u.era == "legacy" and u.level == "province"]
    n = files = 0
    while files < count:  # each province reports once a month, as a real batch has it
        province = provinces[n % len(provinces)]
        wards = [w for d in register.children(province.code, "legacy")
                 for w in register.children(d.code, "legacy")]
        state = rng.getstate()
        text = report(rng, n + 1, n // len(provinces), province, wards, rows)
        copies = {f"{n:05d}.md": text}
        if chance.random() < RESENT:
            copies[f"{n:05d}-gui-lai.md"] = text + "\n"  # another file, the same figures
        if chance.random() < CORRECTED:
            again = random.Random()
            again.setstate(state)
            copies[f"{n:05d}-dieu-chinh.md"] = report(again, n + 1, n // len(provinces), province, wards, rows,
                                                      corrected=True)
        for name, content in list(copies.items())[:count - files]:
            (folder / name).write_text(content, encoding="utf-8")
            files += 1
        n += 1


def run(*args: str, tree: Path | None = None) -> tuple[float, float]:
    """Seconds and peak MB of one `phuluc` command, of the installed phuluc or of the source `tree`'s."""
    env = tree and {**os.environ, "PYTHONPATH": str(tree.resolve())}
    out = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "phuluc.pipeline", *args],
                         check=True, capture_output=True, text=True, cwd=tree, env=env).stdout.split()
    code, seconds, mb = int(out[0]), float(out[1]), float(out[2])
    if code not in (0, 1):
        raise SystemExit(f"phuluc {' '.join(args)} exited {code}")
    return seconds, mb


def runs(count: int, *args: str, trees: tuple[Path | None, ...]) -> list[list[tuple[float, float]]]:
    """`count` runs of one command by each tree in turns (None: the installed phuluc), so that a busy
    machine slows them alike: the (seconds, peak MB) of each run, tree by tree."""
    measured = [[] for _ in trees]
    for _ in range(count):
        for tree, its in zip(trees, measured):
            its.append(run(*args, tree=tree))
    return measured


def summary(measured: list[tuple[float, float]]) -> tuple[float, float]:
    """The median seconds and the peak MB of all the runs."""
    return statistics.median(t for t, _ in measured), max(mb for _, mb in measured)


def pg_server():
    """The throwaway server the tests use (tests/pg.py), started from Debian's packages."""
    spec = importlib.util.spec_from_file_location("pg", ROOT / "tests" / "pg.py")
    pg = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pg)
    programs = pg.binaries()
    if programs is None:
        raise SystemExit(pg.MISSING)
    return pg.Server(programs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=3100)
    parser.add_argument("--rows", type=int, default=30)
    parser.add_argument("--runs", type=int, default=5, help="runs of audit and export, whose median is shown")
    parser.add_argument("--before", type=Path, help="a source tree whose audit is timed beside this one's")
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="phuluc-bench-"))
    folder = work / "reports"
    folder.mkdir()
    generate(folder, args.reports, args.rows)
    server = None if args.no_pg else pg_server()
    databases = {"SQLite": lambda tag: f"sqlite:///{work / tag}.db"}
    if server:
        databases["PostgreSQL"] = lambda tag: server.url(server.create_database())
    compared = (None, args.before) if args.before else (None,)  # the trees whose audit is timed
    results = []
    try:
        for name, url_for in databases.items():
            for workers in (1, 2):
                url = url_for(f"w{workers}")
                seconds, mb = run("ingest", str(folder), "--db", url, "--workers", str(workers))
                results.append((name, f"ingest, {workers} worker{'s' * (workers > 1)}",
                                f"{args.reports / seconds:.1f} reports/s, {args.reports * args.rows / seconds:,.0f} rows/s",
                                seconds, mb))
            values = json.loads(subprocess.run([sys.executable, "-c", "import json, sys; from phuluc.load.db import "
                                                "Database; print(json.dumps(Database(sys.argv[1]).counts()))", url],
                                               check=True, capture_output=True, text=True).stdout)["values"]
            for command, extra, trees in (("audit", ["-o", str(work / "audit.csv")], compared),
                                          ("export", ["--layout", "long", "-o", str(work / "export.csv")], (None,))):
                now, *then = runs(args.runs, command, "--db", url, *extra, trees=trees)
                results.append((name, f"{command} over {values:,} values", "", *summary(now)))
                for before in then:
                    ratio = statistics.median(b / a for (a, _), (b, _) in zip(now, before))
                    results.append((name, f"{command}, {args.before}", f"{ratio:.2f} × the seconds of this tree",
                                    *summary(before)))
    finally:
        if server:
            server.stop()
    print(f"{args.reports} reports of {args.rows} rows, {os.cpu_count()} cores; audit and export: medians of "
          f"{args.runs} runs, peak MB of all\n")
    print(f"{'database':<11} {'step':<32} {'throughput':<38} {'seconds':>8} {'peak MB':>8}")
    for database, step, throughput, seconds, mb in results:
        print(f"{database:<11} {step:<32} {throughput:<38} {seconds:8.2f} {mb:8.0f}")


if __name__ == "__main__":
    main()
