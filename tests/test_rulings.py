"""Ruled tables from ruling lines, as pdfplumber's "lines" strategy finds them."""

from __future__ import annotations

from phuluc.extract.rulings import Edge, tables


def _rules(xs: list[float], ys: list[float]) -> tuple[list[Edge], list[Edge]]:
    """Full-length rules at `ys` (horizontal) and `xs` (vertical)."""
    return ([Edge(xs[0], y, xs[-1], y) for y in ys], [Edge(x, ys[0], x, ys[-1]) for x in xs])


def test_crossing_rules_bound_cells_row_by_row() -> None:
    (cells,) = tables(*_rules([10, 60, 110], [20, 40, 60]))
    assert sorted(cells) == [(10, 20, 60, 40), (10, 40, 60, 60), (60, 20, 110, 40), (60, 40, 110, 60)]


def test_rules_a_little_apart_are_one_and_a_broken_rule_is_joined() -> None:
    horizontal, vertical = _rules([10, 60, 110], [20, 40])
    horizontal[1] = Edge(10, 41.5, 50, 41.5)  # drawn 1.5 pt low, and broken short of the middle rule…
    horizontal.append(Edge(52, 40, 110, 40))  # …then carried on
    (cells,) = tables(horizontal, vertical)
    assert sorted(cells) == [(10, 20, 60, 40.75), (60, 20, 110, 40.75)]


def test_one_box_is_no_table_and_short_strokes_are_no_rules() -> None:
    assert tables(*_rules([10, 60], [20, 40])) == []
    horizontal, vertical = _rules([10, 60, 110], [20, 40])
    assert tables(horizontal, [Edge(x, 20, x, 22) for x in (10, 60, 110)]) == []
    assert len(tables(horizontal, vertical)[0]) == 2
