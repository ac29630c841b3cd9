"""Tests for ecoscore.expr.periods: the period forms and the exact trend functions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoscore.expr.expression import EvaluationFailure, ExpressionError, compile_expression
from ecoscore.expr.periods import average_change, compound_change, root

KNOWN = {"pm25", "score"}.__contains__
EARLIER = {"grade", "total", "overall"}.__contains__


def _compile(source: str):  # type: ignore[no-untyped-def]
    return compile_expression(source, KNOWN, earlier=EARLIER)


@given(
    st.decimals(min_value=Decimal("0.5"), max_value=Decimal("1.5"), places=2),
    st.integers(1, 10),
    st.integers(1, 1000),
)
def test_a_short_root_is_found_exactly(rate: Decimal, n: int, base: int) -> None:
    """x = base × rateⁿ gives a compound change of exactly (rate − 1) × 100."""
    x = Decimal(base) * rate**n
    assert (rate - 1) * 100 == compound_change(x, Decimal(base), Decimal(n))


def test_a_root_with_no_short_form_is_rounded_to_34_digits() -> None:
    """The cube root of 2 is correctly rounded, not cut short."""
    assert Decimal("1.259921049894873164767210607278228") == root(Decimal(2), Decimal(3))


def test_average_change_is_the_change_per_period() -> None:
    """(34 / 40 − 1) × 100 / 3 = −5 %."""
    assert Decimal(-5) == average_change(Decimal(34), Decimal(40), Decimal(3))


@pytest.mark.parametrize(
    ("x", "base", "periods", "message"),
    [
        ("30", "0", "3", "at or below zero"),
        ("30", "40", "0", "no period since the base"),
    ],
)
def test_trends_refuse_what_has_no_meaning(x: str, base: str, periods: str, message: str) -> None:
    """A base at zero, or no period since it, is a failure in words."""
    with pytest.raises(EvaluationFailure, match=message):
        compound_change(Decimal(x), Decimal(base), Decimal(periods))


def test_each_previous_reads_each_period_back() -> None:
    """each_previous(2, test) is the test one and two periods back, joined by and."""
    e = _compile('each_previous(2, grade == "优秀")')
    assert ("previous(grade)", "previous(grade, 2)") == e.needs
    assert True is e.evaluate({"previous(grade)": "优秀", "previous(grade, 2)": "优秀"})
    assert False is e.evaluate({"previous(grade)": "良好"})  # stops at the first false


def test_count_previous_counts_the_periods_where_the_test_held() -> None:
    """count_previous(3, total >= 90) adds 1 for each period back where it held."""
    e = _compile("count_previous(3, total >= 90)")
    values = {"previous(total)": Decimal(91), "previous(total, 2)": Decimal(80)}
    assert Decimal(2) == e.evaluate({**values, "previous(total, 3)": Decimal(95)})


def test_at_and_periods_since_are_lookups() -> None:
    """at(x, "2021") and periods_since("2021") read keys the engine fills."""
    e = _compile('pm25 <= at(pm25, "2021") * 0.95 ** periods_since("2021")')
    assert ("at(pm25, 2021)", "periods_since(2021)", "pm25") == e.needs
    values = {"pm25": Decimal("34.295"), "at(pm25, 2021)": Decimal(40)}
    assert True is e.evaluate({**values, "periods_since(2021)": Decimal(3)})


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("previous(grad)", "unknown name 'grad'"),
        ("grade == 1", "unknown name 'grade'"),
        ("at(pm25, 2021)", "the period is a name in quotes"),
        ("each_previous(0, score > 1)", "k is a whole number from 1 to 50"),
        ("each_previous(2, previous(score) > 1)", "the test reads plain names only"),
        ('compound_change(grade, "2021")', "unknown name 'grade'"),
        ('periods_since("2021", 2)', "periods_since() takes 1 arguments"),
    ],
)
def test_forms_are_checked_at_load(source: str, message: str) -> None:
    """A misused form is refused when the criteria load, with what is wrong."""
    with pytest.raises(ExpressionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        _compile(source)
