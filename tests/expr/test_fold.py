"""Constant folding: constant parts are worked out at load, and a bomb is a load error."""

from __future__ import annotations

import ast
from decimal import Decimal

import pytest

from ecoscore.expr import ExpressionError, compile_expression


def compiled(source: str) -> object:
    """An expression over x, compiled."""
    return compile_expression(source, lambda name: name == "x")


@pytest.mark.parametrize(
    ("source", "message", "column"),
    [
        ("9 ** 9 ** 9", "exponent 387420489 is larger than 100", 1),
        ("x + 'a' * 10**9", "* needs a number, got 'a'", 5),
        ("x * 2 ** 100 ** 100", "is larger than 100", 5),
        ("exp(10 ** 100) + x", "a result too large to hold exactly", 1),
        ("x + 1 / 0", "division by zero", 5),
        ("x + ln(0)", "ln(0) is undefined", 5),
    ],
)
def test_a_constant_bomb_is_refused_at_load(source: str, message: str, column: int) -> None:
    """A constant part that cannot be worked out is refused when compiled, at its column."""
    with pytest.raises(ExpressionError) as caught:
        compiled(source)
    assert message in caught.value.message
    assert "cannot be worked out" in caught.value.message
    assert column == caught.value.column


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("round(x, 10 ** 100)", "places is a whole number from -6 to 12"),
        ("round(x, 13)", "places is a whole number from -6 to 12"),
        ("round(x, 1.5)", "places is a whole number from -6 to 12, not 1.5"),
    ],
)
def test_round_places_are_judged_at_load(source: str, message: str) -> None:
    """Constant places of round() outside the rounding range are refused at load."""
    with pytest.raises(ExpressionError, match=message):
        compiled(source)


def test_computed_places_are_judged_at_score_time() -> None:
    """Places read from a value are checked when evaluated, as an evaluation failure."""
    expression = compile_expression("round(2.5, x)", lambda name: name == "x")
    with pytest.raises(ArithmeticError, match="places is a whole number"):
        expression.evaluate({"x": Decimal(100)})
    assert Decimal("2.5") == expression.evaluate({"x": Decimal(1)})


def test_constant_parts_become_their_values() -> None:
    """A constant part is replaced by its exact value; the rest is left to evaluation."""
    expression = compile_expression("x * (1 / 3 + 2 ** 2)", lambda name: name == "x")
    tree = expression._tree
    assert isinstance(tree, ast.BinOp)
    assert isinstance(tree.right, ast.Constant)
    assert Decimal("4.333333333333333333333333333333333") == tree.right.value
    assert Decimal(13) == expression.evaluate({"x": Decimal(3)})


def test_tests_and_choices_are_not_folded() -> None:
    """A constant test of x if c else y stays for the evaluation (a choice, not a sum)."""
    expression = compile_expression("x if 1 > 2 else 2 * 3", lambda name: name == "x")
    assert Decimal(6) == expression.evaluate({"x": Decimal(1)})
