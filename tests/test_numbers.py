"""Tests for ecoscore.numbers: exact numbers from text and declared rounding."""

from __future__ import annotations

import decimal
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecoscore import numbers
from ecoscore.numbers import CONTEXT, EXACT_SUM, MODES, Rounding, parse_decimal, parse_rounding
from strategies import plain_decimals, roundings


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("95", "95"),
        (" 4 ", "4"),
        ("+3", "3"),
        ("-0.25", "-0.25"),
        (".5", "0.5"),
        ("5.", "5"),
        ("1e3", "1000"),
        ("0.1", "0.1"),
        ("007", "7"),
    ],
)
def test_plain_numbers_are_read_exactly(text: str, expected: str) -> None:
    """Ordinary decimal notation is read into the exact Decimal it writes."""
    assert Decimal(expected) == parse_decimal(text)


def test_a_tenth_and_two_tenths_make_three_tenths() -> None:
    """Numbers read from text add up exactly: 0.1 + 0.2 == 0.3."""
    assert Decimal("0.3") == parse_decimal("0.1") + parse_decimal("0.2")


@pytest.mark.parametrize(
    "text",
    ["NaN", "nan", "inf", "-Infinity", "1_000", "", "  ", "0x10", "１", "1,5", "5%", "e3", "--1"],
)
def test_anything_but_plain_notation_is_refused(text: str) -> None:
    """NaN, infinity, underscores, full-width digits and other notations raise ValueError."""
    with pytest.raises(ValueError, match="not a number"):
        parse_decimal(text)


@pytest.mark.parametrize(
    ("places", "mode", "value", "expected"),
    [
        (2, "half-up", "2.345", "2.35"),
        (2, "half-even", "2.345", "2.34"),  # GB/T 8170: ties to even
        (2, "half-even", "2.355", "2.36"),
        (0, "ceiling", "86.25", "87"),  # the IAQI rounds up
        (0, "floor", "-2.5", "-3"),
        (1, "down", "-2.39", "-2.3"),  # truncation
        (2, "half-up", "-2.345", "-2.35"),  # ties away from zero
        (1, "float", "72.25", "72.2"),  # as binary floats round it
        (1, "float", "96.65", "96.7"),
        (-1, "half-up", "125", "130"),
        (3, "half-up", "1", "1.000"),
    ],
)
def test_each_mode_rounds_as_declared(places: int, mode: str, value: str, expected: str) -> None:
    """Each rounding mode gives its documented result, to the declared places."""
    result = Rounding(places, mode)(Decimal(value))
    assert Decimal(expected) == result
    if places >= 0 and mode != "float":
        assert -places == result.as_tuple().exponent


@given(rounding=roundings(), value=plain_decimals())
def test_a_rounding_moves_a_value_by_less_than_one_step(
    rounding: tuple[int, str], value: Decimal
) -> None:
    """A rounded value is within one unit of the last place of the original, on the side
    its mode says."""
    places, mode = rounding
    result = Rounding(places, mode)(value)
    step = Decimal(1).scaleb(-places)
    assert abs(result - value) < step
    if mode == "ceiling":
        assert result >= value
    if mode == "floor":
        assert result <= value
    if mode == "down":
        assert abs(result) <= abs(value)
    if mode in ("half-up", "half-even"):
        assert abs(result - value) * 2 <= step


@given(rounding=roundings(), value=plain_decimals())
def test_rounding_twice_is_rounding_once(rounding: tuple[int, str], value: Decimal) -> None:
    """A rounded value does not move when rounded again the same way."""
    once = Rounding(*rounding)(value)
    assert once == Rounding(*rounding)(once)


@given(places=st.integers(0, 4), a=plain_decimals(), b=plain_decimals())
def test_rounding_keeps_order(places: int, a: Decimal, b: Decimal) -> None:
    """Rounding never reverses the order of two values, in any mode."""
    low, high = sorted((a, b))
    for mode in MODES:
        assert Rounding(places, mode)(low) <= Rounding(places, mode)(high)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 half-up", Rounding(2, "half-up")),
        ("0 ceiling", Rounding(0, "ceiling")),
        (" 1   float ", Rounding(1, "float")),
        ("-6 floor", Rounding(-6, "floor")),
    ],
)
def test_a_rounding_is_read_from_places_and_mode(text: str, expected: Rounding) -> None:
    """`"<places> <mode>"` reads into a Rounding, and prints back the same way."""
    assert expected == parse_rounding(text)
    assert " ".join(text.split()) == str(parse_rounding(text))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2", 'like "2 half-up"'),
        ("two half-up", 'like "2 half-up"'),
        ("2 half-up extra", 'like "2 half-up"'),
        ("2 sideways", "unknown rounding mode 'sideways'; one of half-up, half-even, ceiling"),
        ("13 half-up", "13 places is out of range (-6 to 12)"),
        ("-7 floor", "-7 places is out of range (-6 to 12)"),
    ],
)
def test_a_bad_rounding_says_what_is_wrong(text: str, message: str) -> None:
    """A malformed rounding raises ValueError naming the problem."""
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_rounding(text)


def test_an_unknown_mode_cannot_be_built() -> None:
    """Building a Rounding with an unknown mode in code is refused."""
    with pytest.raises(ValueError, match="unknown rounding mode"):
        Rounding(2, "up")


def test_the_scoring_context_traps_instead_of_making_nan() -> None:
    """Division by zero and invalid operations raise, never give NaN or infinity."""
    with pytest.raises(decimal.DivisionByZero):
        CONTEXT.divide(Decimal(1), Decimal(0))
    with pytest.raises(decimal.InvalidOperation):
        CONTEXT.sqrt(Decimal(-1))


def test_the_scoring_context_has_34_digits() -> None:
    """Scores are computed to 34 significant digits (IEEE decimal128)."""
    assert Decimal("0.6666666666666666666666666666666667") == CONTEXT.divide(Decimal(2), Decimal(3))


def test_sums_in_the_tree_are_exact() -> None:
    """The sum context adds long decimals without rounding them."""
    third = CONTEXT.divide(Decimal(1), Decimal(3))
    total = EXACT_SUM.add(Decimal("100.5"), third)
    assert Decimal("100.8333333333333333333333333333333333") == total


def test_functions_are_computed_in_the_scoring_context() -> None:
    """ln, exp, sqrt and power give the scoring context's 34 digits."""
    assert Decimal(0) == numbers.ln(Decimal(1))
    assert Decimal(1) == numbers.exp(Decimal(0))
    assert Decimal("1.414213562373095048801688724209698") == numbers.sqrt(Decimal(2))
    assert Decimal(1024) == numbers.power(Decimal(2), Decimal(10))
    assert numbers.is_finite(Decimal("1e999"))
