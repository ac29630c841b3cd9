"""Constant folding: the constant parts of an expression, worked out once at load.

A part of an expression that reads no name (``9 ** 9 ** 9``, ``'a' * 10 ** 9``,
``exp(10 ** 100)``) has the same value for every unit, so it is worked out when the
criteria load, with the same operators and functions, in the same decimal context, and
under the same bounds as at score time. A part that cannot be worked out is refused at
load, at its column, instead of failing on every unit at score time; a part that can is
replaced by its value.

Only arithmetic and the listed functions are folded: comparisons, ``and``/``or`` and
``x if c else y`` are left to the evaluation, since a constant test there is a choice
the author made, not a computation.
"""

from __future__ import annotations

import ast
import decimal
from decimal import Decimal
from typing import Any

from ecoscore import numbers
from ecoscore.expr.check import ExpressionError
from ecoscore.expr.ops import FUNCTIONS, OPERATORS, EvaluationFailure, check_places

__all__ = ["fold_constants"]


def fold_constants(node: ast.expr, source: str) -> ast.expr:
    """``node`` with every constant arithmetic part replaced by its value; raise
    ``ExpressionError`` at the column of a part that cannot be worked out.

    The tree has been checked (``Checker``) and its depth bounded, so this recursion is
    bounded too.
    """
    with decimal.localcontext(numbers.CONTEXT):
        return _fold(node, source)


def _fold(node: ast.expr, source: str) -> ast.expr:
    if isinstance(node, ast.BinOp):
        node.left = _fold(node.left, source)
        node.right = _fold(node.right, source)
        if _is_constant(node.left) and _is_constant(node.right):
            fn = OPERATORS[type(node.op)]
            return _value(node, source, fn, node.left.value, node.right.value)  # type: ignore[attr-defined]
        return node
    if isinstance(node, ast.UnaryOp):
        node.operand = _fold(node.operand, source)
        if isinstance(node.op, (ast.USub, ast.UAdd)) and _is_constant(node.operand):
            fn = OPERATORS[type(node.op)]
            return _value(node, source, fn, node.operand.value)  # type: ignore[attr-defined]
        return node
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        node.args = [_fold(arg, source) for arg in node.args]
        name = node.func.id
        if name == "round" and len(node.args) == 2 and _is_constant(node.args[1]):
            # round(x, places) with constant places: the places are judged now, x or no x.
            try:
                check_places(node.args[1].value)  # type: ignore[attr-defined]
            except EvaluationFailure as failure:
                raise ExpressionError(failure.message, node.col_offset + 1) from None
        if name in FUNCTIONS and all(_is_constant(arg) for arg in node.args):
            fn = FUNCTIONS[name][0]
            return _value(node, source, fn, *(arg.value for arg in node.args))  # type: ignore[attr-defined]
        return node
    for field, value in ast.iter_fields(node):
        if isinstance(value, ast.expr):
            setattr(node, field, _fold(value, source))
        elif isinstance(value, list):
            setattr(
                node, field, [_fold(v, source) if isinstance(v, ast.expr) else v for v in value]
            )
    return node


def _is_constant(node: ast.expr) -> bool:
    # A number or a text; the tuples of `in` are constants too, but never operands.
    return isinstance(node, ast.Constant) and isinstance(node.value, (Decimal, str, bool))


def _value(node: ast.expr, source: str, fn: Any, *args: Any) -> ast.expr:
    part = ast.get_source_segment(source, node) or ""
    column = node.col_offset + 1
    try:
        value = fn(*args)
    except EvaluationFailure as failure:
        message = failure.message
    except decimal.DivisionByZero:
        message = "division by zero"
    except decimal.Overflow:
        message = "a result too large to hold exactly"
    except decimal.InvalidOperation:
        message = "an operation with no exact result (an invalid operation)"
    except (ArithmeticError, TypeError, ValueError) as error:
        message = str(error) or type(error).__name__
    else:
        if isinstance(value, int) and not isinstance(value, bool):
            value = Decimal(value)
        return ast.copy_location(ast.Constant(value=value), node)
    shown = part if len(part) <= 60 else part[:57] + "…"
    raise ExpressionError(f"the constant part {shown} cannot be worked out: {message}", column)
