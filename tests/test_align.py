"""Monotone assignments between rows of positions (extract/finders/align.py). The properties are drawn
derandomized, as the other property tests are: a run is the same everywhere (a jitter that flips sign at
every column of near-even gaps can make a pairing shifted by one column bend less than the true one)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from phuluc.extract.finders.align import apply, assign, elastic, fit_affine, near_counts, piecewise


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


def test_elastic_prefers_more_pairs_where_two_chains_count_the_same() -> None:
    """Four pairs bending by a character each count as much as three shifted by a column, unbent."""
    assert elastic([3.5, 11.5, 18.5, 26.5], [4.0, 11.0, 19.0, 26.0]) == [(0, 0), (1, 1), (2, 2), (3, 3)]


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.lists(st.floats(4.0, 12.0), min_size=3, max_size=16), st.floats(-20.0, 20.0),
       st.lists(st.floats(-0.8, 0.8), min_size=16, max_size=16))
def test_elastic_pairs_two_unevenly_packed_rows_one_to_one(gaps: list[float], shift: float,
                                                           jitter: list[float]) -> None:
    """Two pages of one table: the same columns, one page shifted and packed a little differently
    at every column; every column pairs with its own."""
    first = [sum(gaps[:k + 1]) for k in range(len(gaps))]
    second = [x + shift + j for x, j in zip(first, jitter)]
    assert elastic(second, first) == [(k, k) for k in range(len(first))]


def test_near_counts_scores_every_map_at_once_in_order() -> None:
    anchors, columns = [10.0, 20.0, 30.0], [15.0, 25.0, 35.0]
    allowed = [[True] * 3, [True] * 3, [False, True, False]]  # the third anchor fits the middle column only
    shift, none, stretch = (1.0, 5.0), (1.0, 100.0), (1.0, 0.0)
    counts = near_counts(anchors, columns, [shift, none, stretch], allowed, near=4.0)
    # under the shift: 10→15 and 20→25 land exactly; 30→35 is not allowed, and 25 is taken already
    assert list(counts) == [4.0, 0.0, 0.0]
    # a partner is taken only right of the one before: both anchors near 15 pair once
    assert list(near_counts([14.0, 16.0], [15.0], [(1.0, 0.0)], [[True], [True]], near=2.0)) == [1.5]


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(st.lists(st.floats(0.0, 80.0), min_size=1, max_size=8), st.lists(st.floats(0.0, 80.0), min_size=1, max_size=8),
       st.floats(-10.0, 10.0))
def test_near_counts_never_counts_more_than_the_best_assignment(a: list[float], b: list[float], shift: float) -> None:
    """The greedy in-order count is a lower bound of the assignment it stands in for."""
    a, b = sorted(a), sorted(b)
    pairs = assign(a, b, lambda i: a[i] + shift, near=3.0)
    best = sum(1 + (3.0 - abs(a[i] + shift - b[j])) / 3.0 for i, j in pairs)
    allowed = [[True] * len(b) for _ in a]
    assert near_counts(a, b, [(1.0, shift)], allowed, near=3.0)[0] <= best + 1e-9


def test_piecewise_interpolates_and_stops_where_told() -> None:
    drift = piecewise([(10.0, 2.0), (20.0, 4.0)], end=25.0)
    assert (drift(5.0), drift(15.0), drift(22.0), drift(30.0)) == (2.0, 3.0, 4.0, 0.0)
