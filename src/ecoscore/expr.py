"""Safe expressions: parsed and checked once when criteria load, evaluated many times.

An expression is a short formula in a criteria file: ``"rectified / found * 100"``,
``"safe_use == 100 and survey == 100"``, ``"min(5, honours * 1.5)"``. It is Python
expression syntax, restricted to:

- numbers (read as exact ``Decimal`` from their text: ``0.1`` is ``Decimal("0.1")``),
  strings in quotes, ``true``/``false`` (lower case, as in TOML);
- names of inputs, derived values, indicators, nodes and unit attributes;
- ``previous(name)`` and ``previous(name, k)``: the value ``k`` periods back (default 1);
- ``+ - * / % **``, comparisons (chained too), ``and or not``, ``x if c else y``;
- the functions in ``FUNCTIONS``: ``min max abs round ceil floor ln exp sqrt
  clamp``.

Anything else — assignment, attribute access, subscripts, comprehensions, lambdas, calls
to other names, exponents above ``MAX_EXPONENT`` — is refused at load with the column
where it stands. Evaluation runs on simpleeval, which interprets the checked tree.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Callable, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

import attrs
import simpleeval

from ecoscore import numbers
from ecoscore.numbers import CONTEXT

__all__ = ["FUNCTIONS", "MAX_EXPONENT", "Expression", "ExpressionError", "compile_expression"]

#: The largest literal exponent ``**`` may have; larger powers are refused at load, and a
#: computed exponent above it is refused when evaluated.
MAX_EXPONENT = 100

Value = Decimal | bool | str


class ExpressionError(ValueError):
    """An expression that cannot be accepted, with the 1-based column where it goes wrong."""

    def __init__(self, message: str, column: int | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.column = column
        self.hint = hint


class EvaluationFailure(ArithmeticError):
    """An expression that failed on one unit's figures (division by zero, say)."""

    def __init__(self, message: str, *, zero_division: bool = False):
        super().__init__(message)
        self.message = message
        self.zero_division = zero_division


def _number(x: Any, what: str) -> Decimal:
    if isinstance(x, bool) or not isinstance(x, Decimal):
        raise EvaluationFailure(f"{what} needs a number, got {x!r}")
    return x


def _min(*args: Any) -> Decimal:
    return min(_number(a, "min") for a in args)


def _max(*args: Any) -> Decimal:
    return max(_number(a, "max") for a in args)


def _round(x: Any, places: Any = Decimal(0)) -> Decimal:
    # Half-up, as 四舍五入; other modes belong in a declared rounding, not a formula.
    return numbers.Rounding(int(_number(places, "round")), "half-up")(_number(x, "round"))


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


def _order(op: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def call(a: Any, b: Any) -> bool:
        if type(a) is not type(b) and not (isinstance(a, Decimal) and isinstance(b, Decimal)):
            raise EvaluationFailure(f"cannot compare {a!r} with {b!r}")
        return bool(op(a, b))

    return call


_OPERATORS: dict[type, Callable[..., Any]] = {
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
}

_ALLOWED_NODES = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.IfExp,
    ast.Call,
    ast.Name,
    ast.Constant,
    ast.Load,
    ast.And,
    ast.Or,
    *_OPERATORS,
)

_FORBIDDEN_WHY = {
    ast.Attribute: "attribute access (a.b) is not allowed",
    ast.Subscript: "subscripts (a[b]) are not allowed",
    ast.NamedExpr: "assignment (:=) is not allowed",
    ast.Lambda: "lambda is not allowed",
    ast.ListComp: "comprehensions are not allowed",
    ast.SetComp: "comprehensions are not allowed",
    ast.DictComp: "comprehensions are not allowed",
    ast.GeneratorExp: "comprehensions are not allowed",
    ast.JoinedStr: "f-strings are not allowed",
    ast.List: "lists are not allowed",
    ast.Tuple: "tuples are not allowed",
    ast.Dict: "dicts are not allowed",
    ast.Set: "sets are not allowed",
    ast.Starred: "* arguments are not allowed",
    ast.Await: "await is not allowed",
}

_ALIASES = {"true": True, "false": False, "True": True, "False": False}


def _previous_key(name: str, back: int) -> str:
    return f"previous({name})" if back == 1 else f"previous({name}, {back})"


@attrs.frozen
class Expression:
    """A checked expression: its source, the names it reads, and a tree ready to run.

    ``names`` are plain names; ``previous`` holds ``(name, k)`` for each
    ``previous(name, k)`` it reads. Evaluate with ``evaluate(values)``, where
    ``values`` maps each name (and each ``"previous(name)"`` key) to its value;
    ``needs`` lists those keys, sorted. ``plain`` is the name when the whole expression
    is one name (evaluated as a lookup, without the interpreter).
    """

    source: str
    names: frozenset[str]
    previous: frozenset[tuple[str, int]]
    needs: tuple[str, ...]
    plain: str | None
    _tree: ast.expr = attrs.field(repr=False, eq=False)
    _evaluator: Any = attrs.field(repr=False, eq=False)

    def evaluate(self, values: Mapping[str, Value | None]) -> Value:
        """The expression's value on ``values``; raises ``EvaluationFailure``."""
        if self.plain is not None:
            value = values.get(self.plain)
            if value is None:
                raise EvaluationFailure(f"{self.plain} has no value")
            return value
        ev = self._evaluator
        ev.names = values
        try:
            result = ev.eval(self.source, previously_parsed=self._tree)
        except EvaluationFailure:
            raise
        except simpleeval.NameNotDefined as exc:
            raise EvaluationFailure(f"{exc.name} has no value") from None
        except (ArithmeticError, TypeError, ValueError, simpleeval.InvalidExpression) as exc:
            raise EvaluationFailure(str(exc) or type(exc).__name__) from None
        finally:
            ev.names = {}
        if isinstance(result, int) and not isinstance(result, bool):
            result = Decimal(result)
        if result is None:
            raise EvaluationFailure("a value it needs is missing")
        return result  # type: ignore[no-any-return]


def _check(
    node: ast.AST,
    source: str,
    known: Callable[[str], bool],
    hint: Callable[[str], str | None],
    names: set[str],
    previous: set[tuple[str, int]],
) -> None:
    column = getattr(node, "col_offset", None)
    col = None if column is None else column + 1
    for kind, why in _FORBIDDEN_WHY.items():
        if isinstance(node, kind):
            raise ExpressionError(why, col)
    if not isinstance(node, _ALLOWED_NODES):
        raise ExpressionError(f"{type(node).__name__} is not allowed in an expression", col)
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or node.value is None:
            raise ExpressionError("write true or false in lower case, or a number", col)
        if isinstance(node.value, (int, float)):
            text = (ast.get_source_segment(source, node) or "").replace("_", "")
            try:
                # Exact from the literal's text, never through the float the parser made.
                node.value = numbers.parse_decimal(text)  # type: ignore[assignment]
            except ValueError:
                raise ExpressionError(f"unsupported number literal {text!r}", col) from None
        elif isinstance(node.value, complex):
            raise ExpressionError("complex numbers are not allowed", col)
        elif not isinstance(node.value, str):
            raise ExpressionError("bytes literals are not allowed", col)
        return
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        exponent = node.right
        if isinstance(exponent, ast.UnaryOp) and isinstance(exponent.operand, ast.Constant):
            exponent = exponent.operand
        if (
            isinstance(exponent, ast.Constant)
            and isinstance(exponent.value, (int, float))
            and (abs(exponent.value) > MAX_EXPONENT)
        ):
            raise ExpressionError(
                f"exponent {exponent.value} is too large (at most {MAX_EXPONENT})", col
            )
    if isinstance(node, ast.Name):
        if node.id in _ALIASES:
            return
        if node.id == "previous" or node.id in FUNCTIONS:
            raise ExpressionError(f"{node.id} is a function: call it, as {node.id}(…)", col)
        if not known(node.id):
            raise ExpressionError(f"unknown name {node.id!r}", col, hint(node.id))
        names.add(node.id)
        return
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            raise ExpressionError("only the listed functions may be called", col)
        if node.keywords:
            raise ExpressionError(f"{node.func.id}() takes no keyword arguments", col)
        if node.func.id == "previous":
            _check_previous(node, col, known, hint, previous)
            return
        if node.func.id not in FUNCTIONS:
            options = ", ".join(sorted((*FUNCTIONS, "previous")))
            raise ExpressionError(f"unknown function {node.func.id!r}; one of {options}", col)
        _, low, high = FUNCTIONS[node.func.id]
        if not low <= len(node.args) <= high:
            count = str(low) if low == high else f"{low} to {high}"
            raise ExpressionError(f"{node.func.id}() takes {count} arguments", col)
        for arg in node.args:
            _check(arg, source, known, hint, names, previous)
        return
    for child in ast.iter_child_nodes(node):
        _check(child, source, known, hint, names, previous)


def _check_previous(
    node: ast.Call,
    col: int | None,
    known: Callable[[str], bool],
    hint: Callable[[str], str | None],
    previous: set[tuple[str, int]],
) -> None:
    args = node.args
    if not 1 <= len(args) <= 2 or not isinstance(args[0], ast.Name):
        raise ExpressionError("previous() takes a name and, optionally, how many periods back", col)
    back = 1
    if len(args) == 2:
        k = args[1]
        if not (isinstance(k, ast.Constant) and type(k.value) is int and 1 <= k.value <= 50):
            raise ExpressionError("previous(name, k): k is a whole number from 1 to 50", col)
        back = k.value
    name = args[0].id
    if not known(name):
        raise ExpressionError(f"unknown name {name!r}", col, hint(name))
    previous.add((name, back))
    # Rewrite the call into a plain name lookup, so evaluation is a dict access.
    key = _previous_key(name, back)
    node.__class__ = ast.Name  # type: ignore[assignment]
    node.id = key  # type: ignore[attr-defined]
    node.ctx = ast.Load()  # type: ignore[attr-defined]


def compile_expression(
    source: str,
    known: Callable[[str], bool],
    hint: Callable[[str], str | None] = lambda name: None,
) -> Expression:
    """Parse and check ``source``; raise ``ExpressionError`` with a column if it is refused.

    ``known(name)`` says whether a name may be read; ``hint(name)`` may suggest a
    near miss ("did you mean …?") for an unknown one.
    """
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("an expression cannot be empty")
    text = source.strip()
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError as exc:
        if "=" in text and "==" not in text and "<=" not in text and ">=" not in text:
            raise ExpressionError(
                "assignment is not allowed (did you mean ==?)", exc.offset
            ) from None
        raise ExpressionError(f"syntax error: {exc.msg}", exc.offset) from None
    names: set[str] = set()
    previous: set[tuple[str, int]] = set()
    _check(tree.body, text, known, hint, names, previous)
    evaluator = simpleeval.SimpleEval(
        operators=dict(_OPERATORS),
        functions={name: fn for name, (fn, _, _) in FUNCTIONS.items()},
        names={},
    )
    # ``true``/``false`` are plain names, answered by a fallback after the unit's values.
    body = _AliasNames().visit(tree.body)
    needs = tuple(sorted(names | {_previous_key(n, k) for n, k in previous}))
    plain = body.id if isinstance(body, ast.Name) else None
    return Expression(text, frozenset(names), frozenset(previous), needs, plain, body, evaluator)


class _AliasNames(ast.NodeTransformer):
    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in _ALIASES:
            return ast.copy_location(ast.Constant(value=_ALIASES[node.id]), node)
        return node
