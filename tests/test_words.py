"""Characters → words as pdfplumber's `extract_words` makes them with phuluc's tolerances."""

from __future__ import annotations

from phuluc.extract.words import words


def _char(text: str, x0: float, top: float = 100.0, width: float = 5.0, size: float = 10.0,
          font: str = "Times") -> dict:
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + size, "fontname": font,
            "size": size, "upright": True}


def _texts(chars: list[dict]) -> list[str]:
    return [w["text"] for w in words(chars)]


def test_touching_letters_are_one_word_and_a_gap_over_the_tolerance_parts_them() -> None:
    # 0.12 of a 10 pt size: a gap of 1.1 pt joins, one of 1.3 pt parts
    assert _texts([_char("1", 0), _char("0", 6.1), _char("X", 12.4)]) == ["10", "X"]


def test_whitespace_and_a_font_change_part_words_and_a_line_reads_left_to_right() -> None:
    assert _texts([_char("a", 0), _char(" ", 5), _char("b", 8)]) == ["a", "b"]
    assert _texts([_char("a", 0), _char("b", 5, font="Times-Bold")]) == ["a", "b"]
    assert _texts([_char("a", 5), _char("b", 0, top=100.5)]) == ["ba"]  # one line, read left to right


def test_lines_chain_within_a_point_and_a_word_keeps_its_box() -> None:
    chars = [_char("a", 0), _char("b", 5, top=100.9), _char("c", 10, top=102.5)]
    found = words(chars)
    assert [w["text"] for w in found] == ["ab", "c"]
    assert (found[0]["x0"], found[0]["x1"], found[0]["top"], found[0]["bottom"]) == (0, 10, 100.0, 110.9)


def test_ligatures_are_spelt_out() -> None:
    assert _texts([_char("ﬁ", 0), _char("n", 5)]) == ["fin"]


def test_turned_text_runs_top_to_bottom() -> None:
    turned = [{**_char(t, 50, top=k * 5.0), "upright": False, "bottom": k * 5.0 + 5} for k, t in enumerate("STT")]
    assert _texts(turned) == ["STT"]
