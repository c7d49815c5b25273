import datetime as dt

import pytest

from phuluc.normalize.units import era_for
from phuluc.periods import Kind, Period


@pytest.mark.parametrize("text, kind, start, end", [
    ("2024", Kind.YEAR, dt.date(2024, 1, 1), dt.date(2024, 12, 31)),
    ("2024-H2", Kind.HALF, dt.date(2024, 7, 1), dt.date(2024, 12, 31)),
    ("2021-Q1", Kind.QUARTER, dt.date(2021, 1, 1), dt.date(2021, 3, 31)),
    ("2024-02", Kind.MONTH, dt.date(2024, 2, 1), dt.date(2024, 2, 29)),
    ("2024-12", Kind.MONTH, dt.date(2024, 12, 1), dt.date(2024, 12, 31)),
    ("2024-W03", Kind.WEEK, dt.date(2024, 1, 15), dt.date(2024, 1, 21)),
    ("2025-W01", Kind.WEEK, dt.date(2024, 12, 30), dt.date(2025, 1, 5)),
])
def test_a_period_knows_its_kind_and_days(text, kind, start, end):
    period = Period.parse(text)
    assert (period.kind, period.start, period.end) == (kind, start, end)
    assert str(period) == text


@pytest.mark.parametrize("text", ["2024-13", "2024-Q5", "2024-W54", "2023-W53", "24-07", "2024-7", "tháng 7"])
def test_anything_else_is_no_period(text):
    with pytest.raises(ValueError):
        Period.parse(text)


def test_periods_order_by_their_days_the_shorter_first():
    texts = ["2024", "2024-Q1", "2024-02", "2024-W01", "2023-12", "2024-01", "2024-H1"]
    ordered = sorted(texts, key=lambda t: Period.parse(t).order)
    assert ordered == ["2023-12", "2024-W01", "2024-01", "2024-Q1", "2024-H1", "2024", "2024-02"]


@pytest.mark.parametrize("text, before", [
    ("2024-03", "2024-02"), ("2024-01", "2023-12"), ("2024-Q1", "2023-Q4"), ("2024-H2", "2024-H1"),
    ("2024", "2023"), ("2024-W01", "2023-W52"), ("2021-W01", "2020-W53"), ("2024-W10", "2024-W09"),
])
def test_the_period_before(text, before):
    assert str(Period.parse(text).previous()) == before


def test_a_week_is_read_against_the_register_of_its_days():
    assert era_for("2025-W26", None) == "legacy"  # 23–29 June 2025
    assert era_for("2025-W27", "2025-07-03") == "current"  # 30 June – 6 July straddles: the date settles it
    assert era_for("2025-W28", None) == "current"
