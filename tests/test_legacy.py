"""Legacy Vietnamese font encodings (TCVN3/ABC, VNI) decode to Unicode NFC."""

from __future__ import annotations

import json
import string
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phuluc.vi.legacy import decode, decode_font_text, font_encoding, looks_legacy

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
