"""A picture of `phuluc report`'s page for the README: the report opened in Debian's headless Chromium
at its overview, or with one stored report unfolded at its first finding card.

    python scripts/screenshot_report.py audit.html docs/report.png [--open FILE_NAME] [--width 1280 --height 900]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", type=Path)
    parser.add_argument("image", type=Path)
    parser.add_argument("--open", dest="file_name", help="unfold this report and show its first finding card")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        page.goto(args.report.resolve().as_uri(), wait_until="load")
        if args.file_name:
            report = page.locator("details.report", has_text=args.file_name).first
            report.evaluate("d => d.open = true")
            report.locator("article.card").first.scroll_into_view_if_needed()
            page.wait_for_timeout(300)  # the lazy crop decodes
        args.image.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(args.image))
        browser.close()


if __name__ == "__main__":
    main()
