"""Tests for ecoscore.expr.expression: safe expressions, checked at load and evaluated exactly."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given

from ecoscore.expr.expression import (
    FUNCTIONS,
    MAX_EXPONENT,
    EvaluationFailure,
    Expression,
    ExpressionError,
    compile_expression,
)
from strategies import plain_decimals

_NAMES = {"a", "b", "flag", "kind", "found", "fixed"}


def _compile(source: str) -> Expression:
    return compile_expression(
        source, _NAMES.__contains__, lambda n: "did you mean 'a'?" if n == "aa" else None
    )


def _eval(source: str, **values: Any) -> Any:
    return _compile(source).evaluate(values)


def test_number_literals_are_exact_decimals() -> None:
    """Literals are read from their text, so 0.1 + 0.2 is exactly 0.3."""
    assert Decimal("0.3") == _eval("0.1 + 0.2")


def test_an_expression_lists_the_names_it_reads() -> None:
    """names, previous and needs say what an expression reads; needs is sorted."""
    e = _compile("fixed / found * 100 - previous(a) + previous(b, 2)")
    assert frozenset({"fixed", "found"}) == e.names
    assert frozenset({("a", 1), ("b", 2)}) == e.previous
    assert ("fixed", "found", "previous(a)", "previous(b, 2)") == e.needs


def test_a_single_name_is_a_plain_lookup() -> None:
    """An expression that is one name (or one previous value) is marked plain."""
    assert ("a", "previous(a)", None) == (
        _compile("a").plain,
        _compile("previous(a)").plain,
        _compile("a + 1").plain,
    )


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("fixed / found * 100", {"fixed": Decimal(3), "found": Decimal(4)}, Decimal(75)),
        (
            "a / b",
            {"a": Decimal(2), "b": Decimal(3)},
            Decimal("0.6666666666666666666666666666666667"),
        ),
        ("min(a, b)", {"a": Decimal(2), "b": Decimal(3)}, Decimal(2)),
        ("max(a, 1, 7)", {"a": Decimal(2)}, Decimal(7)),
        ("abs(a)", {"a": Decimal(-3)}, Decimal(3)),
        ("round(a, 1)", {"a": Decimal("2.25")}, Decimal("2.3")),  # half-up, 四舍五入
        ("round(a)", {"a": Decimal("2.5")}, Decimal(3)),
        ("ceil(a) + floor(a)", {"a": Decimal("2.5")}, Decimal(5)),
        ("clamp(a, 0, 10)", {"a": Decimal(12)}, Decimal(10)),
        ("sqrt(a)", {"a": Decimal(0)}, Decimal(0)),
        ("exp(a)", {"a": Decimal(1)}, Decimal("2.718281828459045235360287471352662")),
        ("ln(exp(a))", {"a": Decimal(2)}, Decimal("2.000000000000000000000000000000000")),
        ("2 ** 0.5", {}, Decimal("1.414213562373095048801688724209698")),
        ("a ** 100", {"a": Decimal(1)}, Decimal(1)),
        ("-7 % 3", {}, Decimal(-1)),  # the decimal remainder has the dividend's sign
        ("a if flag else b", {"a": Decimal(1), "b": Decimal(2), "flag": False}, Decimal(2)),
        ("1 < a < 3", {"a": Decimal(2)}, True),
        ("a > 1 and flag", {"a": Decimal(2), "flag": True}, True),
        ("not flag or false", {"flag": True}, False),
        ('kind == "县"', {"kind": "县"}, True),
        ("a == kind", {"a": Decimal(1), "kind": "1"}, False),
        ("previous(a) - a", {"a": Decimal(3), "previous(a)": Decimal(5)}, Decimal(2)),
        ("previous(a, 2)", {"previous(a, 2)": Decimal(9)}, Decimal(9)),
    ],
)
def test_expressions_evaluate_exactly(source: str, values: dict[str, Any], expected: Any) -> None:
    """Arithmetic, functions, comparisons, logic and previous values give exact results."""
    assert expected == _eval(source, **values)


@given(a=plain_decimals(), b=plain_decimals())
def test_addition_and_subtraction_are_exact(a: Decimal, b: Decimal) -> None:
    """Adding and then subtracting a value gives back the original, digit for digit."""
    assert a == _eval("a + b - b", a=a, b=b)


@pytest.mark.parametrize(
    ("source", "values", "message", "zero_division"),
    [
        ("a / b", {"a": Decimal(1), "b": Decimal(0)}, "division by zero", True),
        ("a % b", {"a": Decimal(1), "b": Decimal(0)}, "division by zero", True),
        ("a ** b", {"a": Decimal(0), "b": Decimal(-1)}, "division by zero", True),
        ("a ** b", {"a": Decimal(2), "b": Decimal(101)}, "exponent 101 is larger than 100", False),
        ("ln(a)", {"a": Decimal(0)}, "ln(0) is undefined", False),
        ("sqrt(a)", {"a": Decimal(-1)}, "sqrt(-1) is undefined", False),
        ("a < b", {"a": Decimal(2), "b": "x"}, "cannot compare Decimal('2') with 'x'", False),
        ("a + b", {"a": Decimal(2), "b": True}, "+ needs a number, got True", False),
        ("a + 1", {"a": None}, "a has no value", False),
        ("a", {"a": None}, "a has no value", False),
        ("min(a, kind)", {"a": Decimal(1), "kind": "x"}, "min needs a number, got 'x'", False),
    ],
)
def test_a_failure_on_one_units_figures_says_why(
    source: str, values: dict[str, Any], message: str, zero_division: bool
) -> None:
    """Division by zero, undefined functions and type mix-ups raise EvaluationFailure,
    which marks divisions by zero so that a declared policy can apply."""
    with pytest.raises(EvaluationFailure) as caught:
        _eval(source, **values)
    assert (message, zero_division) == (caught.value.message, caught.value.zero_division)


@pytest.mark.parametrize(
    ("source", "message", "column"),
    [
        ("a.b", "attribute access (a.b) is not allowed", 1),
        ("a.__class__", "attribute access (a.b) is not allowed", 1),
        ("a[0]", "subscripts (a[b]) are not allowed", 1),
        ("[x for x in a]", "comprehensions are not allowed", 1),
        (
            "1 + sum(x for x in a)",
            "unknown function 'sum'; one of abs, ceil, clamp, exp, floor, "
            "ln, max, min, previous, round, sqrt",
            5,
        ),
        ("{a: b}", "dicts are not allowed", 1),
        ("(a, b)", "tuples are not allowed", 1),
        ("[a]", "lists are not allowed", 1),
        ("lambda: a", "lambda is not allowed", 1),
        ('f"{a}"', "f-strings are not allowed", 1),
        ("a = 1", "assignment is not allowed (did you mean ==?)", 3),
        ("(b := a)", "assignment (:=) is not allowed", 2),
        ("a ** 101", "exponent 101 is too large (at most 100)", 1),
        ("1 + a ** -200", "exponent 200 is too large (at most 100)", 5),
        (
            "open(a)",
            "unknown function 'open'; one of abs, ceil, clamp, exp, floor, ln, max, "
            "min, previous, round, sqrt",
            1,
        ),
        ("a.real(1)", "only the listed functions may be called", 1),
        ("min", "min is a function: call it, as min(…)", 1),
        ("a + previous", "previous is a function: call it, as previous(…)", 5),
        ("previous(a, 0)", "previous(name, k): k is a whole number from 1 to 50", 1),
        ("previous(a, 51)", "previous(name, k): k is a whole number from 1 to 50", 1),
        ("previous(a + 1)", "previous() takes a name and, optionally, how many periods back", 1),
        ("round(a, places=2)", "round() takes no keyword arguments", 1),
        ("clamp(a, 1)", "clamp() takes 3 arguments", 1),
        ("round(a, 1, 2)", "round() takes 1 to 2 arguments", 1),
        ("True", "write true or false in lower case, or a number", 1),
        ("None", "write true or false in lower case, or a number", 1),
        ("1j", "complex numbers are not allowed", 1),
        ('b"x"', "bytes literals are not allowed", 1),
        ("a // b", "the operator // is not allowed", 1),
        ("1 + (a is b)", "the operator is is not allowed", 6),
        ("a in b", "the operator in needs a tuple of literals on its right", 6),
        ("~a", "the operator ~ is not allowed", 1),
        ("zz + 1", "unknown name 'zz'", 1),
        ("previous(zz)", "unknown name 'zz'", 1),
    ],
)
def test_refused_syntax_is_reported_with_its_column(source: str, message: str, column: int) -> None:
    """Anything outside the small language is refused at load, at the column where it is."""
    with pytest.raises(ExpressionError) as caught:
        _compile(source)
    assert (message, column) == (caught.value.message, caught.value.column)


def test_an_unknown_name_gets_a_hint() -> None:
    """An unknown name carries the hint the caller suggests for it."""
    with pytest.raises(ExpressionError) as caught:
        _compile("aa + 1")
    assert "did you mean 'a'?" == caught.value.hint


@pytest.mark.parametrize("source", ["", "   "])
def test_an_empty_expression_is_refused(source: str) -> None:
    """An empty or blank expression is refused."""
    with pytest.raises(ExpressionError, match="an expression cannot be empty"):
        _compile(source)


def test_a_syntax_error_is_refused() -> None:
    """Text that is not an expression at all is a syntax error."""
    with pytest.raises(ExpressionError, match="syntax error"):
        _compile("a +")


def test_the_largest_exponent_is_declared() -> None:
    """The exponent limit is 100, and every listed function can be called."""
    assert 100 == MAX_EXPONENT
    assert {"min", "max", "abs", "round", "ceil", "floor", "ln", "exp", "sqrt", "clamp"} == set(
        FUNCTIONS
    )


def test_an_expression_is_reusable() -> None:
    """One compiled expression evaluates many units' values, each independently."""
    e = _compile("a * 2")
    assert [Decimal(2), Decimal(4)] == [
        e.evaluate({"a": Decimal(1)}),
        e.evaluate({"a": Decimal(2)}),
    ]
