"""Legacy Vietnamese font encodings (TCVN3/ABC, VNI) decode to Unicode NFC."""

from __future__ import annotations

import json
import re
import string
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phuluc.vi.legacy import decode, decode_font_text, decode_plain, font_encoding, looks_legacy

SHARED = Path(__file__).resolve().parents[2] / "shared"
XK02 = SHARED / "fixtures" / "xk02-1.pdf"

# Expected codes written out from the TCVN3 (TCVN 5712:1993 VN3) and VNI Windows charts.
# Tones in Vietnamese dictionary order: none, sắc, huyền, hỏi, ngã, nặng.
LOWER = [
    # Unicode           TCVN3 (.VnTime)   VNI
    ("a á à ả ã ạ", "a ¸ µ ¶ · ¹", "a aù aø aû aõ aï"),
    ("ă ắ ằ ẳ ẵ ặ", "¨ ¾ » ¼ ½ Æ", "aê aé aè aú aü aë"),
    ("â ấ ầ ẩ ẫ ậ", "© Ê Ç È É Ë", "aâ aá aà aå aã aä"),
    ("e é è ẻ ẽ ẹ", "e Ð Ì Î Ï Ñ", "e eù eø eû eõ eï"),
    ("ê ế ề ể ễ ệ", "ª Õ Ò Ó Ô Ö", "eâ eá eà eå eã eä"),
    ("i í ì ỉ ĩ ị", "i Ý × Ø Ü Þ", "i í ì æ ó ò"),
    ("o ó ò ỏ õ ọ", "o ã ß á â ä", "o où oø oû oõ oï"),
    ("ô ố ồ ổ ỗ ộ", "« è å æ ç é", "oâ oá oà oå oã oä"),
    ("ơ ớ ờ ở ỡ ợ", "¬ í ê ë ì î", "ô ôù ôø ôû ôõ ôï"),
    ("u ú ù ủ ũ ụ", "u ó ï ñ ò ô", "u uù uø uû uõ uï"),
    ("ư ứ ừ ử ữ ự", "\xad ø õ ö ÷ ù", "ö öù öø öû öõ öï"),
    ("y ý ỳ ỷ ỹ ỵ", "y ý ú û ü þ", "y yù yø yû yõ î"),
    ("đ", "®", "ñ"),
]
# Capitals: a .VnTime font has only the toneless ones; a .VnTimeH font draws the
# lowercase codes of LOWER as capitals. VNI writes capitals with capital marks.
UPPER = [
    # Unicode           .VnTime       VNI
    ("A Á À Ả Ã Ạ", "A", "A AÙ AØ AÛ AÕ AÏ"),
    ("Ă Ắ Ằ Ẳ Ẵ Ặ", "¡", "AÊ AÉ AÈ AÚ AÜ AË"),
    ("Â Ấ Ầ Ẩ Ẫ Ậ", "¢", "AÂ AÁ AÀ AÅ AÃ AÄ"),
    ("E É È Ẻ Ẽ Ẹ", "E", "E EÙ EØ EÛ EÕ EÏ"),
    ("Ê Ế Ề Ể Ễ Ệ", "£", "EÂ EÁ EÀ EÅ EÃ EÄ"),
    ("I Í Ì Ỉ Ĩ Ị", "I", "I Í Ì Æ Ó Ò"),
    ("O Ó Ò Ỏ Õ Ọ", "O", "O OÙ OØ OÛ OÕ OÏ"),
    ("Ô Ố Ồ Ổ Ỗ Ộ", "¤", "OÂ OÁ OÀ OÅ OÃ OÄ"),
    ("Ơ Ớ Ờ Ở Ỡ Ợ", "¥", "Ô ÔÙ ÔØ ÔÛ ÔÕ ÔÏ"),
    ("U Ú Ù Ủ Ũ Ụ", "U", "U UÙ UØ UÛ UÕ UÏ"),
    ("Ư Ứ Ừ Ử Ữ Ự", "¦", "Ö ÖÙ ÖØ ÖÛ ÖÕ ÖÏ"),
    ("Y Ý Ỳ Ỷ Ỹ Ỵ", "Y", "Y YÙ YØ YÛ YÕ Î"),
    ("Đ", "§", "Ñ"),
]


def _table(rows, column):
    return {letter: code for row in rows for letter, code in zip(row[0].split(), row[column].split(), strict=True)}


TCVN3 = _table(LOWER, 1)
TCVN3_PLAIN_CAPS = {row[0].split()[0]: row[1] for row in UPPER}
TCVN3_CAPS = {letter.upper(): code for letter, code in TCVN3.items()}
VNI = _table(LOWER, 2) | _table(UPPER, 2)
LOWER_LETTERS = sorted(TCVN3)
UPPER_LETTERS = sorted(letter.upper() for letter in LOWER_LETTERS)


def encode(text: str, table: dict[str, str]) -> str:
    return "".join(table.get(char, char) for char in text)


def test_tables_cover_every_vietnamese_letter():
    tones = ["", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323"]
    vowels = ["a", "a\u0306", "a\u0302", "e", "e\u0302", "i", "o", "o\u0302", "o\u031b", "u", "u\u031b", "y"]
    letters = {unicodedata.normalize("NFC", vowel + tone) for vowel in vowels for tone in tones} | {"đ"}
    assert len(letters) == 73
    assert set(TCVN3) == letters
    assert set(VNI) == letters | {letter.upper() for letter in letters}
    assert len(set(TCVN3.values())) == 73 and len(set(VNI.values())) == 146


@pytest.mark.parametrize("letter", LOWER_LETTERS)
def test_every_letter_decodes(letter):
    capital = letter.upper()
    assert decode(TCVN3[letter], "tcvn3") == letter
    assert decode(TCVN3[letter], "tcvn3-caps") == capital
    assert decode(VNI[letter], "vni") == letter
    assert decode(VNI[capital], "vni") == capital


def test_tcvn3_toneless_capitals():
    for capital, code in TCVN3_PLAIN_CAPS.items():
        assert decode(code, "tcvn3") == capital
        assert decode(code, "tcvn3-caps") == capital
    assert decode("¡¢£¤¥¦§", "tcvn3") == "ĂÂÊÔƠƯĐ"


def test_tcvn3_full_lowercase_rows():
    assert decode("aµ¶·¸¹ ¨»¼½¾Æ ©ÇÈÉÊË", "tcvn3") == "aàảãáạ ăằẳẵắặ âầẩẫấậ"
    assert decode("eÌÎÏÐÑ ªÒÓÔÕÖ i×ØÜÝÞ", "tcvn3") == "eèẻẽéẹ êềểễếệ iìỉĩíị"
    assert decode("oßáâãä «åæçèé ¬êëìíî", "tcvn3") == "oòỏõóọ ôồổỗốộ ơờởỡớợ"
    assert decode("uïñòóô \xadõö÷øù yúûüýþ ®", "tcvn3") == "uùủũúụ ưừửữứự yỳỷỹýỵ đ"


def test_caps_font_draws_ascii_lowercase_as_capitals():
    # A .VnTimeH glyph for "a" is "A": text typed in lowercase shows in capitals.
    assert decode("Céng hßa", "tcvn3-caps") == "CỘNG HÒA"


def test_output_is_nfc_and_unknown_encoding_fails():
    assert decode("Vieät", "vni") == unicodedata.normalize("NFC", "Việt")
    assert decode("Thöïc hieän", "vni") == "Thực hiện"
    with pytest.raises(ValueError):
        decode("abc", "cp1258")


ASCII = string.ascii_letters + string.digits + string.punctuation + " "


@given(st.text(alphabet=LOWER_LETTERS + list("ĂÂÊÔƠƯĐ") + list(ASCII)))
def test_tcvn3_round_trip(text):
    assert decode(encode(text, TCVN3 | TCVN3_PLAIN_CAPS), "tcvn3") == text


@given(st.text(alphabet=UPPER_LETTERS + list(string.ascii_uppercase + string.digits + string.punctuation + " ")))
def test_tcvn3_caps_round_trip(text):
    assert decode(encode(text, TCVN3_CAPS), "tcvn3-caps") == text


@given(st.text(alphabet=LOWER_LETTERS + UPPER_LETTERS + list(ASCII)))
def test_vni_round_trip(text):
    assert decode(encode(text, VNI), "vni") == text


# Words as pdfplumber reads them from xk02-1.pdf, and the text the page shows.
XK02_VNTIMEH = [
    ("ñY BAN NH¢N D¢N", "ỦY BAN NHÂN DÂN"),
    ("CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
    ("HUYÖN THANH THUû", "HUYỆN THANH THUỶ"),
    ("KT. CHñ TÞCH", "KT. CHỦ TỊCH"),
    ("PHã CHñ TÞCH", "PHÓ CHỦ TỊCH"),
    (
        "B¶NG TæNG HîP KÕT QU¶ CHÊM §IÓM §¸NH GI¸ VIÖC GI¶I QUYÕT TTHC N¡M 2020 "
        "CñA UBND C¸C X·, THÞ TRÊN TR£N §ÞA BµN HUYÖN THANH THUû",
        "BẢNG TỔNG HỢP KẾT QUẢ CHẤM ĐIỂM ĐÁNH GIÁ VIỆC GIẢI QUYẾT TTHC NĂM 2020 "
        "CỦA UBND CÁC XÃ, THỊ TRẤN TRÊN ĐỊA BÀN HUYỆN THANH THUỶ",
    ),
    ("XÕP LO¹I", "XẾP LOẠI"),
]
XK02_VNTIME = [
    ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
    ("X· §µo X¸", "Xã Đào Xá"),
    ("UBND x· Th¹ch §ång", "UBND xã Thạch Đồng"),
    ("UBND x· T©n Ph\xad¬ng", "UBND xã Tân Phương"),
    ("UBND thÞ trÊn Thanh Thuû", "UBND thị trấn Thanh Thuỷ"),
    ("UBND x· S¬n Thøy", "UBND xã Sơn Thứy"),
    ("Tu Vò", "Tu Vũ"),
    ("1187/Q§-UBND", "1187/QĐ-UBND"),
    ("Trªn c¬ së kÕt qu¶ chÊm ®iÓm ®¸nh gi¸ ®èi víi c¸n bé c«ng chøc", "Trên cơ sở kết quả chấm điểm đánh giá đối với cán bộ công chức"),
    ("L\xadu ý: C¸c ch÷ viÕt t¾t: XS - XuÊt s¾c, TB - Trung b×nh./.", "Lưu ý: Các chữ viết tắt: XS - Xuất sắc, TB - Trung bình./."),
    ("cßn nhiÒu ®¬n vÞ ch\xada ®¹t ®iÓm tèi ®a", "còn nhiều đơn vị chưa đạt điểm tối đa"),
]


@pytest.mark.parametrize(("mojibake", "truth"), XK02_VNTIMEH)
def test_xk02_capital_font(mojibake, truth):
    assert decode(mojibake, "tcvn3-caps") == truth
    assert decode_font_text(mojibake, "AAAAAA+.VnTimeH,Bold") == truth


@pytest.mark.parametrize(("mojibake", "truth"), XK02_VNTIME)
def test_xk02_text_font(mojibake, truth):
    assert decode(mojibake, "tcvn3") == truth
    assert decode_font_text(mojibake, "AAAAAA+.VnTime") == truth


def _xk02_text(decoded: bool) -> str:
    pdfplumber = pytest.importorskip("pdfplumber")
    pages = []
    with pdfplumber.open(XK02) as pdf:
        for page in pdf.pages:
            if decoded:
                for char in page.chars:
                    char["text"] = decode_font_text(char["text"], char["fontname"])
            pages.append(page.extract_text())
    return "\n".join(pages)


def test_xk02_pdf_matches_truth():
    raw, text = _xk02_text(decoded=False), _xk02_text(decoded=True)
    truth = json.loads(XK02.with_name(XK02.name + ".truth.json").read_text(encoding="utf-8"))
    assert looks_legacy(raw) == "tcvn3"
    assert looks_legacy(text) is None
    vietnamese = set(TCVN3) | set(VNI) | set(ASCII) | {"\n"}
    assert set(text) <= vietnamese
    report = truth["report"]
    for wanted in (report["issuer"].upper(), "h" + report["issuer"][1:], report["number"], report["framework"]):
        assert wanted in text
    for table in truth["tables"]:
        assert table["title"].split(" ", 2)[2] in text.replace("\n", " ")
        for row in table["rows"]:  # "UBND xã Tu Vũ" wraps around its row's figures
            assert set(row["unit_raw"].split()) <= set(text.split())
    assert "Tu Vũ" in text and "Sơn Thứy" in text and "Xuất sắc" in text


@pytest.mark.parametrize(
    ("fontname", "encoding", "text", "decoded"),
    [
        ("AAAAAA+.VnTime", "tcvn3", "x· §µo X¸", "xã Đào Xá"),
        ("AAAAAA+.VnTime,Italic", "tcvn3", "thÞ trÊn", "thị trấn"),
        ("AAAAAA+.VnTimeH,Bold", "tcvn3", "X· HéI", "XÃ HỘI"),
        (".VnTimeH", "tcvn3", "VIÖT NAM", "VIỆT NAM"),
        ("BCDEEE+.VnArialH-Bold", "tcvn3", "§IÓM", "ĐIỂM"),
        (".VnArial", "tcvn3", "®iÓm", "điểm"),
        ("ABCDEF+VNI-Times", "vni", "Vieät Nam", "Việt Nam"),
        ("BCDEEE+VNI-Helve-Bold", "vni", "COÄNG HOØA", "CỘNG HÒA"),
        ("TimesNewRomanPSMT", None, "x· §µo", "x· §µo"),
        ("ABCDEF+Arial-BoldMT", None, "Việt Nam", "Việt Nam"),
        ("DejaVuSans", None, "Vieät", "Vieät"),
    ],
)
def test_font_names(fontname, encoding, text, decoded):
    assert font_encoding(fontname) == encoding
    assert decode_font_text(text, fontname) == decoded


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM", "tcvn3"),
        ("UBND x· §µo X¸", "tcvn3"),
        ("UBND thÞ trÊn Thanh Thuû", "tcvn3"),
        ("KÕt qu¶ chÊm ®iÓm ®¸nh gi¸ viÖc gi¶i quyÕt TTHC n¨m 2020", "tcvn3"),
        ("COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM", "vni"),
        ("Ñoäc laäp - Töï do - Haïnh phuùc", "vni"),
        ("Keát quaû chaám ñieåm ñaùnh giaù vieäc giaûi quyeát thuû tuïc haønh chính", "vni"),
    ],
)
def test_looks_legacy_finds_mojibake(text, encoding):
    assert looks_legacy(text) == encoding


@pytest.mark.parametrize("seed", sorted((SHARED / "seeds").glob("*.txt")), ids=lambda path: path.name[:3])
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_looks_legacy_ignores_unicode_vietnamese(seed, form):
    text = unicodedata.normalize(form, seed.read_text(encoding="utf-8"))
    assert looks_legacy(text) is None
    for line in text.splitlines():
        assert looks_legacy(line) is None


@pytest.mark.parametrize(
    "text",
    [
        "Cộng hòa xã hội chủ nghĩa Việt Nam. Độc lập - Tự do - Hạnh phúc",
        "UBND xã Đào Xá, UBND thị trấn Thanh Thuỷ",
        "The quick brown fox jumps over the lazy dog.",
        "Microsoft® Windows® and Office® are trademarks © 2020; 5 × 3 = 15 ± 0.5 °C",
        "",
    ],
)
def test_looks_legacy_ignores_other_text(text):
    assert looks_legacy(text) is None


# --- plain text: the encoding told by the text itself ----------------------------------------------------------

# Enough TCVN3 words to make a file legacy, then lines whose capitals the decoder must work out.
TCVN3_BODY = "KÕt qu¶ chÊm ®iÓm ®¸nh gi¸ viÖc gi¶i quyÕt thñ tôc hµnh chÝnh n¨m 2020 cña UBND c¸c x·"


@pytest.mark.parametrize(
    ("line", "decoded"),
    [
        ("CéNG HßA X· HéI CHñ NGHÜA VIÖT NAM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),  # an "H" font
        ("ñY BAN NH¢N D¢N", "ỦY BAN NHÂN DÂN"),
        ("Uû BAN NH¢N D¢N", "UỶ BAN NHÂN DÂN"),  # "Uû" follows its run: "NH¢N" is a word of capitals
        ("STT   T£N §¥N VÞ    TæNG §IÓM   XÕP LO¹I", "STT   TÊN ĐƠN VỊ    TỔNG ĐIỂM   XẾP LOẠI"),
        ("Sè: 12/Q§-UBND", "Số: 12/QĐ-UBND"),  # an acronym tells nothing: "Sè" keeps its title case
        ("Së KH§T", "Sở KHĐT"),
        ("UBND C¸C X·, THÞ TRÊN", "UBND CÁC XÃ, THỊ TRẤN"),
        ("1   UBND x· T©n B×nh   16   XuÊt s¾c", "1   UBND xã Tân Bình   16   Xuất sắc"),
        ("TæNG §IÓM      X· §µo X¸", "TỔNG ĐIỂM      Xã Đào Xá"),  # each column its own case
        ("§éc lËp - Tù do - H¹nh phóc", "Độc lập - Tự do - Hạnh phúc"),
        ("chÊt l\xadîng phôc vô ng\xadêi d©n", "chất lượng phục vụ người dân"),
    ],
)
def test_plain_tcvn3_lines_decode_with_their_capitals(line, decoded):
    assert decode_plain(f"{TCVN3_BODY}\n{line}\n").split("\n")[1] == decoded


def tcvn3_rendering(text: str) -> str:
    """`text` as pdftotext gives it from TCVN3 fonts: words in capitals drawn by a ".VnTimeH" font
    (lowercase codes, ASCII capitals), the others by ".VnTime" (toneless capitals only)."""
    capitals = {letter.upper(): code for letter, code in TCVN3.items() if not letter.isascii()}

    def word(m):
        table = capitals if m.group().isupper() and len(m.group()) > 1 else TCVN3 | TCVN3_PLAIN_CAPS
        return encode(m.group(), table)

    return re.sub(r"\w+", word, text)


REPORT = """\
ỦY BAN NHÂN DÂN                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
HUYỆN THANH THUỶ                      Độc lập - Tự do - Hạnh phúc
Số: 303/BC-UBND                 Thanh Thuỷ, ngày 10 tháng 1 năm 2021
                              BÁO CÁO
Kết quả chấm điểm đánh giá việc giải quyết thủ tục hành chính năm 2020
STT    TÊN ĐƠN VỊ           TỔNG ĐIỂM    XẾP LOẠI
1      UBND xã Đào Xá          16        Xuất sắc
2      UBND thị trấn Thanh Thuỷ 14,5     Tốt
"""


def test_a_tcvn3_rendering_decodes_to_the_report():
    assert decode_plain(tcvn3_rendering(REPORT)) == REPORT


def column_starts(text: str) -> list[list[int]]:
    """Where each column (a run after a gap of two spaces) of each line starts."""
    return [[m.end() for m in re.finditer(r"(?:^|\s{2,})(?=\S)", line)] for line in text.splitlines()]


def test_a_vni_rendering_decodes_to_the_report_with_its_columns_in_place():
    """A VNI letter takes two codes, so the rendering's columns sit further right than the report's:
    decoded, every column still starts where the rendering put it."""
    rendering = encode(REPORT, VNI)
    decoded = decode_plain(rendering)
    assert [line.split() for line in decoded.splitlines()] == [line.split() for line in REPORT.splitlines()]
    assert column_starts(decoded) == column_starts(rendering) != column_starts(REPORT)


def test_a_legacy_appendix_in_a_unicode_body_is_decoded():
    """A Unicode report with an appendix pasted from an old file: its lines are decoded, the
    Unicode ones (which no legacy code can hold) are left alone."""
    body = "Cộng hòa xã hội chủ nghĩa Việt Nam\nUBND huyện Thanh Thuỷ báo cáo kết quả năm 2020 như sau:\n"
    appendix = REPORT.split("\n", 5)[5]
    assert decode_plain(body + tcvn3_rendering(appendix)) == body + appendix


@pytest.mark.parametrize("seed", sorted((SHARED / "seeds").glob("*.txt")), ids=lambda path: path.name[:3])
def test_plain_unicode_reports_are_unchanged(seed):
    text = seed.read_text(encoding="utf-8")
    assert decode_plain(text) == text
    assert decode_plain(REPORT) == REPORT


@pytest.mark.parametrize(
    "extra",
    [
        "Müller, Jürgen; Ñuñez; François; Øre; Straße",
        "Kích thước 210×297 mm, 5 µm; «Một cửa» và «một cửa liên thông»",
        "Windows® Office® © 2020 · 1½ · 3¼ · 10 ÷ 2",
        "Xã An Bình\nSTT\nLai Châu\nÝ kiến\nCà Mau",  # Unicode lines of Latin-1 letters only
    ],
)
def test_a_few_latin1_letters_leave_unicode_text_unchanged(extra):
    text = f"{REPORT}{extra}\n"
    assert decode_plain(text) == text
