"""How `phuluc report` over the whole fixtures database opens in a browser (issue 12: under 5 s).

    python bench/report.py [--db sqlite:///fx.db] [--keep DIR]

Ingests every report of ../shared/fixtures into a temporary SQLite database (or reads the one given with
--db, ingested from this folder so that its file names find their sources), writes the HTML report, and
loads it in Debian's headless Chromium (playwright, /usr/bin/chromium): prints the seconds to write
it, its size, its cards and crops, and the seconds from navigation to the `load` event, the median of
five loads; then the same with every report opened and every crop decoded, the worst an auditor does.
--keep saves the report and a screenshot there.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT.parent / "shared" / "fixtures"
CHROMIUM = "/usr/bin/chromium"
LOADS = 5
OPEN_ALL = """async () => {
  document.querySelectorAll('details').forEach(d => d.open = true);
  const images = [...document.images];
  images.forEach(i => i.loading = 'eager');
  await Promise.all(images.map(i => i.decode()));
  return images.length;
}"""


def _phuluc(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "phuluc.pipeline", *args], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)


def _load(page, url: str) -> float:
    """Seconds from the start of navigation to the load event, as the page's own clock says."""
    page.goto(url, wait_until="load")
    return page.evaluate("performance.getEntriesByType('navigation')[0].loadEventEnd") / 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db")
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        work = args.keep or Path(folder)
        db = args.db or f"sqlite:///{Path(folder) / 'fx.db'}"
        if args.db is None:
            started = time.perf_counter()
            _phuluc("ingest", str(FIXTURES), "--db", db, "--workers", "2")
            print(f"ingest: {time.perf_counter() - started:.1f} s")
        output = work / "audit.html"
        started = time.perf_counter()
        _phuluc("report", "--db", db, "-o", str(output))
        written = time.perf_counter() - started
        html = output.read_text(encoding="utf-8")
        cards, crops = html.count('<article class="card'), html.count('<img class="crop"')
        print(f"report: written in {written:.1f} s, {output.stat().st_size / 1e6:.2f} MB, {cards} cards, {crops} crops")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            loads = [_load(page, output.as_uri()) for _ in range(LOADS)]
            print(f"chromium: load event after {statistics.median(loads):.2f} s (median of {LOADS}: "
                  + ", ".join(f"{s:.2f}" for s in loads) + ")")
            started = time.perf_counter()
            images = page.evaluate(OPEN_ALL)
            print(f"chromium: every report opened and {images} images decoded in {time.perf_counter() - started:.2f} s")
            if args.keep:
                page.screenshot(path=str(work / "audit.png"))
            browser.close()


if __name__ == "__main__":
    main()
