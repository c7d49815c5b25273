"""Monotone assignments between rows of positions (extract/finders/align.py)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from phuluc.extract.finders.align import apply, assign, elastic, fit_affine, piecewise


def test_assign_pairs_in_order_and_leaves_out_what_has_no_partner() -> None:
    anchors = [10.0, 20.0, 30.0, 40.0]
    columns = [11.0, 21.0, 41.0]  # nothing printed under the third anchor
    assert assign(anchors, columns, lambda i: anchors[i], near=3.0) == [(0, 0), (1, 1), (3, 2)]


def test_assign_never_pairs_what_is_not_allowed() -> None:
    anchors, columns = [10.0, 20.0], [10.0, 20.0]
    allowed = [[False, True], [True, True]]
    assert assign(anchors, columns, lambda i: anchors[i], 3.0, allowed) == [(1, 1)]


def test_assign_follows_the_map() -> None:
    anchors, columns = [10.0, 20.0, 30.0], [25.0, 35.0, 45.0]
    assert assign(anchors, columns, lambda i: anchors[i] + 15, near=2.0) == [(0, 0), (1, 1), (2, 2)]


def test_fit_affine_recovers_a_stretch() -> None:
    xs = [10.0, 20.0, 30.0, 40.0]
    scale, offset = fit_affine(xs, [1.1 * x - 3 for x in xs])
    assert abs(scale - 1.1) < 1e-9 and abs(offset + 3) < 1e-9 and abs(apply((scale, offset), 50) - 52) < 1e-9


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(4.0, 12.0), min_size=3, max_size=16), st.floats(-20.0, 20.0),
       st.lists(st.floats(-0.8, 0.8), min_size=16, max_size=16))
def test_elastic_pairs_two_unevenly_packed_rows_one_to_one(gaps: list[float], shift: float,
                                                           jitter: list[float]) -> None:
    """Two pages of one table: the same columns, one page shifted and packed a little differently
    at every column; every column pairs with its own."""
    first = [sum(gaps[:k + 1]) for k in range(len(gaps))]
    second = [x + shift + j for x, j in zip(first, jitter)]
    assert elastic(second, first) == [(k, k) for k in range(len(first))]


def test_piecewise_interpolates_and_stops_where_told() -> None:
    drift = piecewise([(10.0, 2.0), (20.0, 4.0)], end=25.0)
    assert (drift(5.0), drift(15.0), drift(22.0), drift(30.0)) == (2.0, 3.0, 4.0, 0.0)
