"""The functions and operators of the expression language, on exact ``Decimal`` values.

Every operation runs in the scoring context (``ecoscore.numbers.CONTEXT``) and refuses
what would be a silent guess: a text where a number belongs, a comparison of a number with
a text, a division by zero (raised as a failure that a declared policy may catch), an
exponent above ``MAX_EXPONENT``. Decimal's remainder keeps the sign of the dividend:
``-7 % 3`` is ``-1``, as in GB/T and spreadsheet arithmetic, not Python's ``2``.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

from ecoscore import numbers
from ecoscore.numbers import CONTEXT

__all__ = [
    "FUNCTIONS",
    "MAX_EXPONENT",
    "OPERATORS",
    "EvaluationFailure",
    "MissingValue",
    "check_places",
]

#: The largest literal exponent ``**`` may have; larger powers are refused at load, and a
#: computed exponent above it is refused when evaluated.
MAX_EXPONENT = 100


class EvaluationFailure(ArithmeticError):
    """An expression that failed on one unit's figures (division by zero, say)."""

    def __init__(self, message: str, *, zero_division: bool = False):
        super().__init__(message)
        self.message = message
        self.zero_division = zero_division


class MissingValue(EvaluationFailure):
    """A name the evaluation reached has no value for this unit (``name`` says which).

    Raised only for the names actually read: in ``a if c else b`` a missing ``b`` does not
    matter when ``c`` holds.
    """

    def __init__(self, name: str) -> None:
        super().__init__(f"{name} has no value")
        self.name = name


def _number(x: Any, what: str) -> Decimal:
    if isinstance(x, bool) or not isinstance(x, Decimal):
        raise EvaluationFailure(f"{what} needs a number, got {x!r}")
    return x


def _min(*args: Any) -> Decimal:
    return min(_number(a, "min") for a in args)


def _max(*args: Any) -> Decimal:
    return max(_number(a, "max") for a in args)


def check_places(places: Any) -> int:
    """The places of ``round(x, places)``: a whole number in the range a declared rounding
    takes (``numbers.MIN_PLACES`` to ``numbers.MAX_PLACES``); else ``EvaluationFailure``."""
    value = _number(places, "round")
    if value != value.to_integral_value() or not (
        numbers.MIN_PLACES <= value <= numbers.MAX_PLACES
    ):
        raise EvaluationFailure(
            f"round(x, places): places is a whole number from {numbers.MIN_PLACES} "
            f"to {numbers.MAX_PLACES}, not {value}"
        )
    return int(value)


def _round(x: Any, places: Any = Decimal(0)) -> Decimal:
    # Half-up, as 四舍五入; other modes belong in a declared rounding, not a formula.
    try:
        return numbers.Rounding(check_places(places), "half-up")(_number(x, "round"))
    except numbers.RoundingError as error:
        raise EvaluationFailure(str(error)) from None


def _ceil(x: Any) -> Decimal:
    return _number(x, "ceil").to_integral_value(rounding=ROUND_CEILING)


def _floor(x: Any) -> Decimal:
    return _number(x, "floor").to_integral_value(rounding=ROUND_FLOOR)


def _clamp(x: Any, low: Any, high: Any) -> Decimal:
    return max(_number(low, "clamp"), min(_number(high, "clamp"), _number(x, "clamp")))


def _checked(fn: Callable[[Decimal], Decimal], name: str) -> Callable[[Any], Decimal]:
    def call(x: Any) -> Decimal:
        value = _number(x, name)
        if name in ("ln", "sqrt") and value <= 0 and not (name == "sqrt" and value == 0):
            raise EvaluationFailure(f"{name}({value}) is undefined")
        return fn(value)

    return call


#: The functions an expression may call, with their number of arguments (min, max).
FUNCTIONS: Mapping[str, tuple[Callable[..., Any], int, int]] = {
    "min": (_min, 1, 64),
    "max": (_max, 1, 64),
    "abs": (lambda x: abs(_number(x, "abs")), 1, 1),
    "round": (_round, 1, 2),
    "ceil": (_ceil, 1, 1),
    "floor": (_floor, 1, 1),
    "ln": (_checked(numbers.ln, "ln"), 1, 1),
    "exp": (_checked(numbers.exp, "exp"), 1, 1),
    "sqrt": (_checked(numbers.sqrt, "sqrt"), 1, 1),
    "clamp": (_clamp, 3, 3),
}


def _div(a: Any, b: Any) -> Decimal:
    b = _number(b, "/")
    if b == 0:
        raise EvaluationFailure("division by zero", zero_division=True)
    return CONTEXT.divide(_number(a, "/"), b)


def _mod(a: Any, b: Any) -> Decimal:
    b = _number(b, "%")
    if b == 0:
        raise EvaluationFailure("division by zero", zero_division=True)
    return CONTEXT.remainder(_number(a, "%"), b)


def _pow(a: Any, b: Any) -> Decimal:
    b = _number(b, "**")
    if abs(b) > MAX_EXPONENT:
        raise EvaluationFailure(f"exponent {b} is larger than {MAX_EXPONENT}")
    a = _number(a, "**")
    if a == 0 and b < 0:
        raise EvaluationFailure("division by zero", zero_division=True)
    return CONTEXT.power(a, b)


def _arith(op: Callable[[Decimal, Decimal], Decimal], sym: str) -> Callable[[Any, Any], Decimal]:
    def call(a: Any, b: Any) -> Decimal:
        return op(_number(a, sym), _number(b, sym))

    return call


def _member(value: Any, options: tuple[Decimal | str, ...], negate: bool) -> bool:
    # The literals are all texts or all numbers (checked at load); the value must match,
    # so a number is never quietly "not in" a tuple of texts.
    kind = str if isinstance(options[0], str) else Decimal
    if value.__class__ is not kind:
        shown = ", ".join(repr(o) if isinstance(o, str) else str(o) for o in options)
        what = "texts" if kind is str else "numbers"
        raise EvaluationFailure(f"cannot look for {_shown(value)} among the {what} ({shown})")
    return (value in options) != negate


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Decimal):
        return f"the number {value}"
    return f"the text {value!r}" if isinstance(value, str) else repr(value)


def _order(op: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def call(a: Any, b: Any) -> bool:
        if type(a) is not type(b) and not (isinstance(a, Decimal) and isinstance(b, Decimal)):
            raise EvaluationFailure(f"cannot compare {a!r} with {b!r}")
        return bool(op(a, b))

    return call


OPERATORS: dict[type, Callable[..., Any]] = {
    ast.Add: _arith(CONTEXT.add, "+"),
    ast.Sub: _arith(CONTEXT.subtract, "-"),
    ast.Mult: _arith(CONTEXT.multiply, "*"),
    ast.Div: _div,
    ast.Mod: _mod,
    ast.Pow: _pow,
    ast.USub: lambda a: CONTEXT.minus(_number(a, "-")),
    ast.UAdd: lambda a: CONTEXT.plus(_number(a, "+")),
    ast.Not: operator.not_,
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: _order(operator.lt),
    ast.LtE: _order(operator.le),
    ast.Gt: _order(operator.gt),
    ast.GtE: _order(operator.ge),
    ast.In: lambda a, b: _member(a, b, negate=False),
    ast.NotIn: lambda a, b: _member(a, b, negate=True),
}
