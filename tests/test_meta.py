"""Report metadata from the body text (phuluc.normalize.meta.read_heading) and the issuer in the register.

Snippets follow the seeds (shared/seeds) and the document conventions of Nghị định 30/2020/NĐ-CP.
"""

from __future__ import annotations

import pytest

from phuluc.normalize.meta import read_heading
from phuluc.normalize.report import resolve_issuer
from phuluc.normalize.units import Register, era_for

MUONG_NHE = """Số: 128 /BC-UBND

Mường Nhé, ngày 08 tháng 3 năm 2024

## BÁO CÁO

### Kết quả đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực hiện thủ tục hành chính, dịch vụ công theo thời gian thực trên môi trường điện tử tỉnh Điện Biên, Tháng 02 năm 2024

Căn cứ Quyết định số 459/QĐ-UBND, ngày 24/3/2023 của UBND tỉnh ban hành Bộ chỉ số đánh giá chất lượng phục vụ người dân, doanh nghiệp.
"""

TUAN_GIAO = """
ỦY BAN NHÂN DÂN 

HUYỆN TUẦN GIÁO 

Số:            /BC-UBND 

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM 

Độc lập - Tự do - Hạnh phúc 
 

Tuần Giáo, ngày       tháng 8 năm 2023 

BÁO CÁO 

Kết quả đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực 

hiện TTHC, DVC theo thời gian thực trên môi trường điện tử,  

tháng 7 năm 2023 

 Thực hiện Quyết định số 459/QĐ-UBND ngày 24/3/2023 của UBND tỉnh 

ban hành Bộ chỉ số đánh giá chất lượng phục vụ người dân, doanh nghiệp.

 UBND huyện Tuần Giáo tổng hợp báo cáo kết quả đánh giá chất lượng 

 1. Kết quả đánh giá, xếp loại 

 Bộ phận Tiếp nhận và trả kết quả cấp huyện đạt 90,8 điểm, xếp loại xuất sắc. 

(Biểu số 01 kèm theo) 
"""

MY_THANH = """Số: /BC-UBND

Mỹ Thanh, ngày tháng 6 năm 2024

BÁO CÁO

Kết quả chỉ số chỉ đạo, điều hành và đánh giá chất lượng phục vụ người dân, doanh nghiệp trong thực hiện thủ tục hành chính, dịch vụ công theo thời gian thực trên môi trường điện tử tháng 05 năm 2024

Căn cứ kết quả công bố trên Cổng Dịch vụ công quốc gia. UBND xã Mỹ Thanh báo cáo kết quả chỉ số chỉ đạo, điều hành tháng 05 năm 2024 như sau:

Tổng số điểm xã Mỹ Thanh đạt 82,1/100 điểm, xếp hạng 10/14 xã, thị trấn.
"""

QUY_II = """BÁO CÁO

Kết quả chấm điểm đánh giá việc giải quyết TTHC Quý II năm 2021 trên địa bàn huyện Tuần Giáo

Thực hiện Văn bản số 291/NPUB-KSTT ngày 04/6/2021 của Văn phòng UBND tỉnh về việc chấm điểm đánh giá việc giải quyết thủ tục hành chính Quý II năm 2021.

Các xã, thị trấn: 11 Đơn vị đạt xuất sắc, 08 đơn vị đạt kết quả tốt.

(Có biểu chấm điểm, đánh giá việc giải quyết TTHC kèm theo)
"""  # seed 004 as the extractor hands it on (markdown markup stripped)

CAPTION = "(Kèm theo Báo cáo số 22/BC-UBND ngày 05 tháng 12 năm 2024 của UBND huyện Mường Ảng)"


@pytest.fixture(scope="module")
def register() -> Register:
    return Register.load()


# ---------------------------------------------------------------- number and signing date


def test_number_and_date_of_a_signed_report() -> None:
    h = read_heading(MUONG_NHE)
    assert (h.number, h.date, h.period) == ("128/BC-UBND", "2024-03-08", "2024-02")


def test_blank_number_and_day_stay_none() -> None:
    h = read_heading(TUAN_GIAO)
    assert (h.number, h.date, h.period) == (None, None, "2023-07")


@pytest.mark.parametrize(("line", "number"), [
    ("Số: 128 /BC-UBND", "128/BC-UBND"),
    ("Số: 401/BC-UBND", "401/BC-UBND"),
    ("Số:   /BC-UBND", None),
    ("Số: /BC-UBND", None),
    ("Số:            /BC-UBND ", None),
])
def test_number(line: str, number: str | None) -> None:
    assert read_heading(line + "\nĐiện Biên, ngày 28 tháng 12 năm 2022").number == number


@pytest.mark.parametrize(("line", "date"), [
    ("Mường Nhé, ngày 08 tháng 3 năm 2024", "2024-03-08"),
    ("Điện Biên, ngày 28 tháng 12 năm 2022", "2022-12-28"),
    ("Tuần Giáo, ngày       tháng 8 năm 2023", None),
    ("Mỹ Thanh, ngày tháng 6 năm 2024", None),
    ("Sìn Hồ, ngày 15 tháng     năm 2024", None),
])
def test_signing_date(line: str, date: str | None) -> None:
    assert read_heading("Số: 12/BC-UBND\n" + line).date == date



@pytest.mark.parametrize("line", [
    "Điện Biên, ngày — tháng 7 năm 2024",
    "Điện Biên, ngày ... tháng 7 năm 2024",
    "Điện Biên, ngày …… tháng 7 năm 2024",
    "Điện Biên, ngày __ tháng 7 năm 2024",
    "Điện Biên, ngày -- tháng - năm 2024",
    "Điện Biên, ngày 15 tháng … năm 2024",
])
def test_dashes_or_dots_for_a_blank_day_or_month(line: str) -> None:
    """A blank written on leaves the date unknown, and the signing month is not the period."""
    h = read_heading("Số: 12/BC-UBND\n" + line + "\nBÁO CÁO\nKết quả chấm điểm Quý II năm 2024")
    assert (h.date, h.period) == (None, "2024-Q2")
    assert read_heading(line).period is None


@pytest.mark.parametrize("line", ["Số: …/BC-UBND", "Số: .../BC-UBND", "Số: ___/BC-UBND", "Số: — /BC-UBND"])
def test_dots_or_dashes_for_a_blank_number(line: str) -> None:
    assert read_heading(line + "\nĐiện Biên, ngày 28 tháng 12 năm 2022").number is None


# ---------------------------------------------------------------- period


@pytest.mark.parametrize(("title", "period"), [
    ("Kết quả đánh giá … trên môi trường điện tử tháng 02 năm 2024", "2024-02"),
    ("Kết quả đánh giá … trên môi trường điện tử, Tháng 02 năm 2024", "2024-02"),
    ("I. Kết quả công bố điểm số … trên môi trường điện tử tháng 05/2024", "2024-05"),
    ("Kết quả chấm điểm đánh giá việc giải quyết TTHC Quý II năm 2021 trên địa bàn huyện Tuần Giáo", "2021-Q2"),
    ("Kết quả chấm điểm Quý IV năm 2023", "2023-Q4"),
    ("Kết quả chấm điểm quý I/2024", "2024-Q1"),
    ("Báo cáo kết quả 6 tháng đầu năm 2024", "2024-H1"),
    ("Báo cáo kết quả 6 tháng cuối năm 2023", "2023-H2"),
    ("Kết quả chấm điểm đánh giá việc giải quyết thủ tục hành chính năm 2022 trên địa bàn tỉnh Điện Biên", "2022"),
])
def test_period(title: str, period: str) -> None:
    assert read_heading(title).period == period


@pytest.mark.parametrize(("title", "period"), [
    ("KẾT QUẢ ĐÁNH GIÁ CHẤT LƯỢNG PHỤC VỤ … tuần 03/2024", "2024-W03"),
    ("Kết quả chấm điểm Bộ chỉ số tuần 3 năm 2024", "2024-W03"),
    ("BÁO CÁO KẾT QUẢ TUẦN 03 NĂM 2024", "2024-W03"),
    ("Kết quả Bộ chỉ số phục vụ người dân, doanh nghiệp Tuần 12 (từ 18/3 đến 24/3/2024)", "2024-W12"),
    ("Tuần 12 (từ ngày 18/3/2024 đến ngày 24/3/2024)", "2024-W12"),
    ("Kết quả tuần 01 (từ 30/12/2024 đến 05/01/2025)", "2025-W01"),  # the ISO year of its days
    ("Kết quả tuần 53 (từ 28/12/2020 đến 03/01/2021)", "2020-W53"),
    ("Kết quả tuần 53/2020", "2020-W53"),
    ("Kết quả tuần 2 tháng 3 năm 2024 (từ 11/3 đến 17/3/2024)", "2024-W11"),
])
def test_weekly_period(title: str, period: str) -> None:
    assert read_heading(title).period == period


@pytest.mark.parametrize("title", [
    "Kết quả tuần 53/2023",  # 2023 has 52 ISO weeks
    "Kết quả tuần 54 năm 2024",
    "Kết quả tuần 00/2024",
    "Kết quả tuần 2 tháng 3/2024",  # a week of a month names no ISO week without its days, nor the month
])
def test_a_week_the_calendar_lacks_is_no_period(title: str) -> None:
    assert read_heading(title).period is None


def test_a_period_broken_over_lines_is_one_period() -> None:
    """Plain PDF-to-text breaks a title's line between the period's word and its number."""
    assert read_heading("trên môi trường điện tử Tuần \n\n39 năm 2024 \n").period == "2024-W39"
    assert read_heading("trên môi trường điện tử tháng\n4 năm 2024").period == "2024-04"
    assert read_heading("việc giải quyết TTHC Quý\nII năm 2021").period == "2021-Q2"


def test_a_week_is_neither_a_date_nor_a_month() -> None:
    """"03/2024" after "tuần" is no month; the signing date after it is when, not what; "Tuần Giáo" is a
    district's name, no week."""
    body = "Tuần Giáo, ngày 25 tháng 01 năm 2024\nBÁO CÁO\nKết quả tuần 03/2024 trên địa bàn huyện Tuần Giáo"
    h = read_heading(body)
    assert (h.date, h.period) == ("2024-01-25", "2024-W03")
    assert read_heading("UBND huyện Tuần Giáo báo cáo kết quả tháng 7 năm 2023").period == "2023-07"


def test_the_first_period_named_wins_over_a_week_named_later() -> None:
    assert read_heading("Kết quả quý I năm 2024, trong đó tuần 03/2024 cao nhất").period == "2024-Q1"
    assert read_heading("Kết quả tuần 03/2024 (lũy kế quý I năm 2024)").period == "2024-W03"


def test_dated_reference_does_not_set_the_period() -> None:
    body = "Căn cứ Quyết định số 459/QĐ-UBND ngày 24/3/2023 của UBND tỉnh ban hành Bộ chỉ số."
    assert read_heading(body).period is None
    dated = "Thực hiện Kế hoạch số 10/KH-UBND ngày 15 tháng 01 năm 2023 của UBND tỉnh về triển khai Bộ chỉ số."
    assert read_heading(dated).period is None


def test_signing_date_line_does_not_set_the_period() -> None:
    assert read_heading("Số: 128/BC-UBND\nMường Nhé, ngày 08 tháng 3 năm 2024").period is None
    assert read_heading("Tuần Giáo, ngày       tháng 8 năm 2023").period is None


def test_period_comes_from_the_title_after_a_dated_reference() -> None:
    body = ("Căn cứ Quyết định số 459/QĐ-UBND ngày 24/3/2023 của UBND tỉnh\n"
            "Mường Nhé, ngày 08 tháng 3 năm 2024\nBÁO CÁO kết quả tháng 02 năm 2024")
    h = read_heading(body)
    assert (h.date, h.period) == ("2024-03-08", "2024-02")


# ---------------------------------------------------------------- caption fallback


def test_caption_fallback_for_an_appendix_sent_alone() -> None:
    h = read_heading("BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM", CAPTION)
    assert (h.number, h.date) == ("22/BC-UBND", "2024-12-05")
    assert h.issuers[0] == ("huyện", "Mường Ảng")
    assert h.period is None  # a caption's date says when, not what


def test_caption_with_blank_number_and_day() -> None:
    h = read_heading("", "(Kèm theo Báo cáo số     /BC-UBND ngày    tháng 12 năm 2024 của UBND huyện Mường Ảng)")
    assert (h.number, h.date) == (None, None)
    assert ("huyện", "Mường Ảng") in h.issuers



@pytest.mark.parametrize("caption", [
    "(Kèm theo Báo cáo số …/BC-UBND ngày — tháng … của UBND huyện Tuần Giáo)",
    "(Kèm theo Báo cáo số .../BC-UBND ngày ... tháng 7 năm 2024 của UBND huyện Tuần Giáo)",
    "(Kèm theo Báo cáo số ___/BC-UBND ngày __ tháng __ năm 2024 của UBND huyện Tuần Giáo)",
])
def test_caption_with_dots_or_dashes_for_blanks(caption: str) -> None:
    h = read_heading("BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM", caption)
    assert (h.number, h.date, h.period) == (None, None, None)
    assert h.issuers[0] == ("huyện", "Tuần Giáo")


def test_caption_number_after_blank_dots_is_read() -> None:
    h = read_heading("", "(Kèm theo Báo cáo số 35/BC-UBND ngày … tháng 7 năm 2024 của UBND huyện Tuần Giáo)")
    assert (h.number, h.date) == ("35/BC-UBND", None)

def test_body_number_wins_over_the_caption() -> None:
    h = read_heading(MUONG_NHE, CAPTION)
    assert (h.number, h.date) == ("128/BC-UBND", "2024-03-08")


# Seed 003 (a prose report: no table, so no caption) with a parenthetical reference to another document.
MY_THANH_REF = MY_THANH.replace(
    "Căn cứ kết quả công bố",
    "Thực hiện Kế hoạch số 572/KH-UBND ngày 08/9/2022 của UBND tỉnh Bắc Kạn (biểu mẫu kèm theo Công văn số "
    "1510/UBND-VP ngày 07 tháng 12 năm 2022 của UBND huyện Bạch Thông).\nCăn cứ kết quả công bố")


def test_a_referenced_document_is_not_the_blank_report_number() -> None:
    assert "Số: /BC-UBND" in MY_THANH_REF and "1510/UBND-VP" in MY_THANH_REF
    h = read_heading(MY_THANH_REF)
    assert (h.number, h.date) == (None, None)


# ---------------------------------------------------------------- issuer candidates


def test_issuer_from_the_issuer_block() -> None:
    h = read_heading(TUAN_GIAO)
    assert h.issuers[0] == ("huyện", "Tuần Giáo")


def test_issuer_from_the_sentence_where_the_report_names_itself() -> None:
    h = read_heading(MY_THANH)
    assert h.issuers[0] == ("xã", "Mỹ Thanh")
    assert ("xã", "Mỹ Thanh") in h.places


def test_issuer_from_a_title_on_the_territory() -> None:
    kind, name = read_heading(QUY_II).issuers[0]
    # the name may run on into the next line ("Tuần Giáo Thực"); resolve_issuer tries shorter prefixes
    assert kind == "huyện" and name.startswith("Tuần Giáo")


def test_no_issuer_in_a_text_without_one() -> None:
    assert read_heading("Nhìn chung các UBND các xã đã quan tâm triển khai thực hiện.").issuers == ()


# ---------------------------------------------------------------- reference to an appendix


@pytest.mark.parametrize("text", [
    "(Biểu số 01 kèm theo)",
    "*(Có biểu chấm điểm, đánh giá việc giải quyết TTHC kèm theo)*",
    "(Chi tiết tại Phụ lục kèm theo)",
])
def test_refers_to_appendix(text: str) -> None:
    assert read_heading("Các xã, thị trấn: 11 đơn vị đạt xuất sắc.\n" + text).refers_to_appendix is True


@pytest.mark.parametrize("text", [
    MY_THANH,
    "Nhìn chung các UBND các xã đã quan tâm triển khai thực hiện các nhiệm vụ công tác kiểm soát TTHC.",
    "Tỷ lệ hồ sơ thanh toán trực tuyến tăng; chất lượng cung cấp dịch vụ công trực tuyến được nâng cao.",
])
def test_does_not_refer_to_appendix(text: str) -> None:
    assert read_heading(text).refers_to_appendix is False


def test_bieu_hien_is_not_a_table() -> None:
    text = "Một số công chức có biểu hiện chậm trễ trong tiếp nhận hồ sơ, kèm theo đó là tỷ lệ hồ sơ quá hạn còn cao."
    assert read_heading(text).refers_to_appendix is False


def test_seed_texts_refer_to_their_appendix() -> None:
    assert read_heading(TUAN_GIAO).refers_to_appendix is True
    assert read_heading(QUY_II).refers_to_appendix is True
    assert read_heading(MUONG_NHE).refers_to_appendix is False


# ---------------------------------------------------------------- issuer in the register


def resolved(body: str, register: Register, captions: str = "") -> tuple[str, str] | None:
    h = read_heading(body, captions)
    unit = resolve_issuer(h, register, era_for(h.period, h.date))
    return (unit.code, unit.name) if unit else None


def test_tuan_giao_resolves_to_its_code(register: Register) -> None:
    assert resolved(TUAN_GIAO, register) == ("099", "Huyện Tuần Giáo")


def test_tuan_giao_from_the_territory_of_a_prose_report(register: Register) -> None:
    assert resolved(QUY_II, register) == ("099", "Huyện Tuần Giáo")


def test_commune_issuer_resolves(register: Register) -> None:
    assert resolved(MY_THANH, register) == ("02011", "Xã Mỹ Thanh")


def test_caption_issuer_resolves(register: Register) -> None:
    code, name = resolved("", register, CAPTION)
    assert name == "Huyện Mường Ảng" and len(code) == 3


def test_issuer_after_a_reference_to_the_superior_body(register: Register) -> None:
    body = ("Số: /BC-UBND\nMỹ Thanh, ngày tháng 6 năm 2024\nBÁO CÁO\nKết quả tháng 05 năm 2024\n"
            "Thực hiện Công văn số 125/UBND-VP ngày 02/5/2024 của UBND huyện Bạch Thông, "
            "UBND xã Mỹ Thanh báo cáo kết quả như sau:")
    assert ("xã", "Mỹ Thanh") in read_heading(body).issuers
    assert resolved(body, register) == ("02011", "Xã Mỹ Thanh")


def test_issuer_is_not_taken_from_a_referenced_document(register: Register) -> None:
    assert resolved(MY_THANH_REF, register) == ("02011", "Xã Mỹ Thanh")


PAGE_TITLE = "Kết quả đánh giá Bộ chỉ số phục vụ người dân, doanh nghiệp tháng 10/2024 của UBND huyện Mường Chà"


def test_a_title_ending_on_its_issuer_names_it(register: Register) -> None:
    """A web page's <title> may be all that names the issuer: the line ends on "của UBND huyện …"."""
    h = read_heading(PAGE_TITLE + "\nTrang chủ Tin tức")
    assert h.issuers == (("huyện", "Mường Chà"),) and h.period == "2024-10"
    assert resolved(PAGE_TITLE, register) == ("097", "Huyện Mường Chà")


def test_a_unit_named_mid_sentence_is_no_title_issuer() -> None:
    body = ("Căn cứ Quyết định số 459/QĐ-UBND ngày 24/3/2023 của UBND tỉnh Điện Biên ban hành Bộ chỉ số đánh giá "
            "chất lượng phục vụ người dân\nKết quả tháng 10 năm 2024 của Ủy ban nhân dân thành phố Điện Biên Phủ")
    assert read_heading(body).issuers == (("thành phố", "Điện Biên Phủ"),)


@pytest.mark.parametrize(("heading", "corrects"), [
    ("BÁO CÁO ĐIỀU CHỈNH\nKết quả đánh giá … tháng 3 năm 2024", True),
    ("BÁO CÁO\nKết quả đánh giá … tháng 3 năm 2024 (Bản điều chỉnh)", True),
    ("Báo cáo này thay thế Báo cáo số 53/BC-UBND ngày 12/4/2024.", True),
    ("ĐÍNH CHÍNH BÁO CÁO SỐ 53/BC-UBND", True),
    ("BÁO CÁO\nKết quả đánh giá … tháng 3 năm 2024\nĐề nghị điều chỉnh quy trình tiếp nhận hồ sơ.", False),
    ("BÁO CÁO\nKết quả đánh giá … tháng 3 năm 2024", False),
])
def test_a_correction_says_so_in_its_heading(heading: str, corrects: bool) -> None:
    assert read_heading(f"ỦY BAN NHÂN DÂN\nHUYỆN ĐIỆN BIÊN ĐÔNG\nSố: 61/BC-UBND\n{heading}").corrects is corrects


def test_a_correction_named_deep_in_the_body_is_no_heading() -> None:
    body = "BÁO CÁO\nKết quả đánh giá tháng 3 năm 2024\n" + "Nội dung. " * 400 + "Báo cáo điều chỉnh sẽ gửi sau."
    assert not read_heading(body).corrects
