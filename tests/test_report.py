"""`phuluc report` (issue 12): the HTML audit report, opened in a real headless Chromium (Debian's, which
the README's test command installs), and the crops of the source pages it shows.

The batch: a two-page PDF drawn here with reportlab (its appendix on page 2 with a wrong total and a
value over its maximum, each row's box known from the drawing), a text report and a Word report of the
shared fixtures. The PDF's SUM_MISMATCH is given its row's box as the readers will record it; its
OVER_MAX has none and is found by its printed name.
"""

from __future__ import annotations

import base64
import io
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageStat
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import Table, TableStyle
from sqlalchemy import select
from typer.testing import CliRunner

from conftest import SHARED
from phuluc import messages
from phuluc.load.crops import MARGIN, Pages, Placement, pixel_box
from phuluc.load.db import Database, DbFinding, DbReport
from phuluc.pipeline import app

CHROMIUM = Path("/usr/bin/chromium")
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
COMMUNES = ["Sín Thầu", "Sen Thượng", "Leng Su Sìn", "Mường Nhé", "Nậm Vì", "Huổi Lếnh", "Pá Mỳ", "Mường Toong",
            "Quảng Lâm", "Chung Chải", "Nậm Kè"]
MAXIMA = [5, 5, 10, 30, 10, 10, 5, 10, 5, 5, 5]
BODY = ["ỦY BAN NHÂN DÂN", "HUYỆN MƯỜNG NHÉ", "Số: 128/BC-UBND", "Mường Nhé, ngày 08 tháng 3 năm 2024", "BÁO CÁO",
        "Kết quả đánh giá chất lượng phục vụ người dân, doanh nghiệp tháng 02 năm 2024",
        "Thực hiện Quyết định số 459/QĐ-UBND ngày 24/3/2023 của UBND tỉnh Điện Biên;",
        "UBND huyện Mường Nhé báo cáo kết quả như sau:", "(Chi tiết tại Phụ lục kèm theo)"]
WRONG_TOTAL, OVER_MAX = 2, 3  # the rows (1-based, as their STT) holding the planted errors
FIXTURES = ("d04_sin-ho_2024-08.txt", "t06-1.docx")
OPEN_ALL = """async () => {
  document.querySelectorAll('details').forEach(d => d.open = true);
  const images = [...document.images];
  images.forEach(i => i.loading = 'eager');
  await Promise.all(images.map(i => i.decode()));
}"""
runner = CliRunner()


def _row(k: int, name: str) -> list[str]:
    """Commune k's printed row: full marks where applicable, but the planted errors."""
    values = ["-", "-", "-", "30", "10", "-", "5", "10", "5", "5", "5"]
    if k == OVER_MAX:
        values[4], values[6] = "12", "3"  # 12 of 10, the sum kept
    total = 68 if k == WRONG_TOTAL else 70
    return [str(k), f"UBND xã {name}", *values, f"{total}/70", f"{total / 70 * 100:.2f}".replace(".", ","), "Xuất sắc"]


def build_pdf(path: Path) -> dict[int, tuple[float, float, float, float]]:
    """The report, its appendix on page 2; each row's box (fractions of page 2, top-left origin) by STT."""
    pdfmetrics.registerFont(TTFont("DejaVu", str(FONT)))
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont("DejaVu", 11)
    for k, line in enumerate(BODY):
        pdf.drawString(60, 780 - 18 * k, line)
    pdf.showPage()
    width, height = landscape(A4)
    pdf.setPageSize((width, height))
    pdf.setFont("DejaVu", 11)
    pdf.drawString(40, height - 40, "Phụ lục")
    pdf.drawString(40, height - 56, "KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI THÁNG 02 NĂM 2024")
    head = ["STT", "Tên đơn vị", *(f"Chỉ số {k + 1} ({m}đ)" for k, m in enumerate(MAXIMA)), "Tổng điểm",
            "Điểm quy đổi", "Xếp loại"]
    table = Table([head, *(_row(k, name) for k, name in enumerate(COMMUNES, 1))], colWidths=[24, 110] + [40] * 11 + [50] * 3)
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "DejaVu", 7), ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    table_width, table_height = table.wrapOn(pdf, width, height)
    x, y = 40, height - 80 - table_height
    table.drawOn(pdf, x, y)
    tops = table._rowpositions  # from the table's top down, in points above its bottom edge
    pdf.showPage()
    pdf.save()
    return {k: (x / width, (height - y - tops[k]) / height, (x + table_width) / width, (height - y - tops[k + 1]) / height)
            for k in range(1, len(COMMUNES) + 1)}


@dataclass(frozen=True)
class Batch:
    url: str
    pdf: Path
    boxes: dict[int, tuple[float, float, float, float]]
    folder: Path


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    """The three reports ingested with the CLI; the PDF's SUM_MISMATCH stored with the box its row is drawn in."""
    folder = tmp_path_factory.mktemp("report")
    sources = folder / "in"
    sources.mkdir()
    boxes = build_pdf(sources / "muong-nhe.pdf")
    for name in FIXTURES:
        shutil.copy(SHARED / "fixtures" / name, sources / name)
    url = f"sqlite:///{folder / 'audit.db'}"
    result = runner.invoke(app, ["ingest", str(sources), "--db", url])
    assert result.exit_code == 0, result.output
    database = Database.open(url)
    with database.session() as session:
        pdf_report = session.scalar(select(DbReport.id).where(DbReport.format == "pdf"))
        stored = session.scalar(select(DbFinding.bbox).where(DbFinding.report_id == pdf_report,
                                                             DbFinding.rule == "SUM_MISMATCH"))
    database.close()
    assert json.loads(stored) == pytest.approx(boxes[WRONG_TOTAL], abs=0.01)  # the reader's box is the drawn row
    return Batch(url, sources / "muong-nhe.pdf", boxes, folder)


def _report(batch: Batch, lang: str) -> Path:
    output = batch.folder / f"audit-{lang}.html"
    result = runner.invoke(app, ["report", "--db", batch.url, "--lang", lang, "-o", str(output)])
    assert result.exit_code == 0, result.output
    return output


def _findings(batch: Batch, lang: str = "vi") -> list:
    """The stored findings, each rendered anew in `lang`."""
    database = Database.open(batch.url)
    try:
        return list(database.findings(messages=lambda f: messages.finding(f, lang)))
    finally:
        database.close()


# ---------------------------------------------------------------- crops, without a browser


def test_a_box_becomes_pixels_grown_by_its_margin_and_clamped_to_the_page() -> None:
    assert pixel_box((0.25, 0.5, 0.75, 0.6), (1000, 800)) == (250, 400, 750, 480)
    assert pixel_box((0.25, 0.5, 0.75, 0.6), (1000, 800), (0.05, 0.1)) == (200, 320, 800, 560)
    assert pixel_box((0.0, 0.95, 1.0, 1.0), (1000, 800), (0.05, 0.1)) == (0, 680, 1000, 800)
    assert pixel_box((-0.2, -0.1, 1.3, 1.2), (1000, 800)) == (0, 0, 1000, 800)


def test_a_box_inside_out_or_of_no_area_still_names_pixels() -> None:
    assert pixel_box((0.75, 0.6, 0.25, 0.5), (1000, 800)) == (250, 400, 750, 480)
    assert pixel_box((0.5, 0.5, 0.5, 0.5), (1000, 800)) == (500, 400, 501, 401)
    assert pixel_box((1.0, 1.0, 1.0, 1.0), (1000, 800)) == (999, 799, 1000, 800)


def _decoded(uri: str) -> Image.Image:
    return Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB")


def _red(image: Image.Image) -> list[tuple[int, int]]:
    return [(x, y) for x in range(image.width) for y in range(image.height)
            if (p := image.getpixel((x, y)))[0] > 180 and p[1] < 90 and p[2] < 90]


def test_a_crop_is_the_row_with_its_margin_and_frames_the_row(tmp_path: Path) -> None:
    boxes = build_pdf(tmp_path / "r.pdf")
    pages = Pages((tmp_path / "r.pdf").read_bytes())
    try:
        crop = pages.crop(2, boxes[WRONG_TOTAL], "UBND xã Sen Thượng", "68/70")
        assert crop is not None and crop.placement is Placement.BBOX
        rendered = pages._render(2).size
        left, top, right, bottom = pixel_box(boxes[WRONG_TOTAL], rendered, MARGIN)
        assert (crop.width, crop.height) == (right - left, bottom - top)
        red = _red(_decoded(crop.uri))
        row_top = pixel_box(boxes[WRONG_TOTAL], rendered)[1] - top
        row_bottom = pixel_box(boxes[WRONG_TOTAL], rendered)[3] - top
        assert red and min(y for _, y in red) >= row_top - 6 and max(y for _, y in red) <= row_bottom + 6
        assert max(x for x, _ in red) > 0.9 * crop.width  # the frame spans the row; the total's cell is thicker
        assert pages.crop(3, boxes[WRONG_TOTAL], None, None) is None
    finally:
        pages.close()


def test_without_a_box_the_row_is_found_by_its_name_else_the_page_is_shown_whole(tmp_path: Path) -> None:
    boxes = build_pdf(tmp_path / "r.pdf")
    pages = Pages((tmp_path / "r.pdf").read_bytes())
    try:
        by_name = pages.crop(2, None, "UBND xã Leng Su Sìn", None)
        assert by_name is not None and by_name.placement is Placement.TEXT
        row = pixel_box(boxes[OVER_MAX], pages._render(2).size, MARGIN)
        assert abs(by_name.height - (row[3] - row[1])) < 0.5 * (row[3] - row[1])
        by_figures = pages.crop(2, None, "UBND xã Leng Xu Sìn", None, ("70/70", "100,00", "12"))
        assert by_figures is not None and by_figures.placement is Placement.TEXT
        whole = pages.crop(2, None, "UBND xã Không Có", None)
        assert whole is not None and whole.placement is Placement.PAGE and not _red(_decoded(whole.uri))
    finally:
        pages.close()


# ---------------------------------------------------------------- the page in Chromium


@pytest.fixture(scope="module")
def browser():
    """Debian's chromium through playwright (no browser is downloaded); missing, it skips the test on
    a developer's machine and fails it in CI, whose command installs it."""
    missing = None if CHROMIUM.exists() else f"{CHROMIUM} is missing: apt-get install -y chromium (the README's test command does)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "playwright is missing: pip install -e '.[test]'"
    if missing and os.environ.get("CI") == "true":
        pytest.fail(missing, pytrace=False)
    if missing:
        pytest.skip(missing)
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM))
        yield launched
        launched.close()


@dataclass
class Opened:
    page: object
    errors: list[str]
    requests: list[str]


def _open(browser, path: Path) -> Opened:
    """The report loaded, every section opened and every image decoded; console errors, failed
    requests and requests for anything but the file itself recorded."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    opened = Opened(page, [], [])
    page.on("console", lambda m: opened.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: opened.errors.append(str(e)))
    page.on("requestfailed", lambda r: opened.errors.append(f"failed: {r.url}"))
    page.on("request", lambda r: None if r.url.startswith(("data:", path.as_uri())) else opened.requests.append(r.url))
    page.goto(path.as_uri(), wait_until="load")
    page.evaluate(OPEN_ALL)
    return opened


def test_the_report_opens_in_chromium_with_a_card_and_a_crop_for_every_finding(batch: Batch, browser) -> None:
    opened = _open(browser, _report(batch, "vi"))
    page = opened.page
    assert opened.errors == [] and opened.requests == []
    assert page.locator("article.card").count() == len(_findings(batch))
    pdf_cards = page.locator("article.card[data-page]")
    assert pdf_cards.count() >= 2  # SUM_MISMATCH and OVER_MAX of the PDF at least
    for k in range(pdf_cards.count()):
        assert pdf_cards.nth(k).locator("img.crop").evaluate("i => i.complete && i.naturalWidth") > 0
    assert page.locator("article[data-rule=SUM_MISMATCH] figure.bbox").count() == 1
    assert page.locator("article[data-rule=OVER_MAX] figure.bbox").count() == 1
    table = page.locator("details.report", has_text="muong-nhe.pdf").locator("details.table table").first
    assert table.locator("tr").count() == 1 + len(COMMUNES)  # the JSON rows, made rows when opened
    assert table.locator("tr").nth(WRONG_TOTAL).locator("td.mark").inner_text() == "68/70"
    shot = batch.folder / "audit.png"
    page.screenshot(path=str(shot), full_page=False)
    assert max(ImageStat.Stat(Image.open(shot).convert("L")).stddev) > 10
    page.close()


def test_a_text_report_shows_its_printed_line_and_a_word_report_its_cells(batch: Batch, browser) -> None:
    page = _open(browser, _report(batch, "vi")).page
    text = page.locator("details.report", has_text="d04_sin-ho_2024-08.txt").locator("article[data-rule=OVER_MAX]")
    assert text.locator("figure.lines pre .row mark").count() == 1
    word = page.locator("details.report", has_text="t06-1.docx").locator("article.card")
    assert word.count() >= 1 and word.first.locator(".printed td.mark").count() == 1
    page.close()


def test_one_stored_finding_in_vietnamese_and_in_english(batch: Batch, browser) -> None:
    sentences = {lang: next(f.message for f in _findings(batch, lang) if f.rule == "SUM_MISMATCH"
                            and f.file_name.endswith("muong-nhe.pdf")) for lang in ("vi", "en")}
    assert sentences["en"] == "The criteria of Xã Sen Thượng add up to 70, but the printed total is 68"
    assert sentences["vi"] == "Tổng các chỉ số của Xã Sen Thượng là 70, khác tổng điểm ghi 68"
    for lang, title, rule in (("vi", "Báo cáo kiểm tra số liệu", "Tổng điểm không khớp"),
                              ("en", "Audit report", "Total does not add up")):
        page = _open(browser, _report(batch, lang)).page
        card = page.locator("details.report", has_text="muong-nhe.pdf").locator("article[data-rule=SUM_MISMATCH]")
        assert card.locator(".message").inner_text() == sentences[lang]
        assert page.locator("h1").inner_text() == title and rule in card.locator("header").inner_text()
        assert page.locator("html").get_attribute("lang") == lang
        page.close()


# ---------------------------------------------------------------- sources and the command line


def test_a_changed_or_missing_source_is_said_and_the_row_still_shown(tmp_path: Path) -> None:
    sources = tmp_path / "in"
    sources.mkdir()
    shutil.copy(SHARED / "fixtures" / FIXTURES[0], sources / FIXTURES[0])
    url = f"sqlite:///{tmp_path / 'a.db'}"
    assert runner.invoke(app, ["ingest", str(sources), "--db", url]).exit_code == 0
    with (sources / FIXTURES[0]).open("a", encoding="utf-8") as changed:
        changed.write("\n")
    for lang, said in (("en", "has changed since it was loaded"), ("vi", "đã thay đổi sau khi nạp")):
        output = tmp_path / f"{lang}.html"
        assert runner.invoke(app, ["report", "--db", url, "--lang", lang, "-o", str(output)]).exit_code == 0
        assert said in output.read_text(encoding="utf-8")
    (sources / FIXTURES[0]).unlink()
    result = runner.invoke(app, ["report", "--db", url, "--lang", "en", "-o", str(tmp_path / "gone.html")])
    shown = (tmp_path / "gone.html").read_text(encoding="utf-8")
    assert "was not found: only the row as read is shown" in shown and 'class="printed"' in shown
    assert " ".join(result.output.split()) == f"Wrote the audit report {tmp_path / 'gone.html'}: 1 reports, 2 findings."


def test_an_issuer_or_period_narrows_the_report(batch: Batch) -> None:
    output = batch.folder / "one.html"
    result = runner.invoke(app, ["report", "--db", batch.url, "--issuer", "huyện mường nhé", "-o", str(output)])
    assert result.exit_code == 0 and ": 1 báo cáo," in " ".join(result.output.split())
    assert output.read_text(encoding="utf-8").count('<details class="report"') == 1
    result = runner.invoke(app, ["report", "--db", batch.url, "--period", "1999", "-o", str(output), "--lang", "en"])
    assert result.exit_code == 0 and "No report in this scope." in output.read_text(encoding="utf-8")


@pytest.mark.parametrize(("args", "said"), [
    (("--period", "2024/07"), "Invalid period: 2024/07"),
    (("-o", "missing/audit.html"), "There is no folder missing to write audit.html in."),
])
def test_a_wrong_option_is_one_sentence(batch: Batch, args: tuple[str, ...], said: str) -> None:
    arguments = ["report", "--db", batch.url, "--lang", "en", *args]
    result = runner.invoke(app, arguments if "-o" in args else [*arguments, "-o", str(batch.folder / "x.html")])
    assert result.exit_code == 2 and said in " ".join(result.output.split())


def test_a_database_that_is_not_there_is_not_made(tmp_path: Path) -> None:
    missing = tmp_path / "typo.db"
    result = runner.invoke(app, ["report", "--db", f"sqlite:///{missing}", "-o", str(tmp_path / "a.html")])
    assert result.exit_code == 2 and not missing.exists() and not (tmp_path / "a.html").exists()
