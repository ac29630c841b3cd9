"""Safe expressions: parsed and checked once when criteria load, evaluated many times.

An expression is a short formula in a criteria file: ``"rectified / found * 100"``,
``"safe_use == 100 and survey == 100"``, ``"min(5, honours * 1.5)"``. It is Python
expression syntax, restricted to:

- numbers (read as exact ``Decimal`` from their text: ``0.1`` is ``Decimal("0.1")``),
  strings in quotes, ``true``/``false`` (lower case, as in TOML);
- names of inputs, derived values, indicators, nodes and unit attributes;
- ``previous(name)`` and ``previous(name, k)``: the value ``k`` periods back (default 1);
- ``+ - * / % **``, comparisons (chained too), ``and or not``, ``x if c else y``;
- membership in a set of literals: ``x in ('Ⅰ', 'Ⅱ', 'Ⅲ')``, ``x not in (1, 2)``. The
  right side is always a parenthesised tuple of literals, all texts or all numbers
  (``('Ⅰ',)`` for one); the left side must be of the same kind when evaluated (a number
  is never silently "not in" a tuple of texts). A tuple anywhere else, or ``in`` with
  any other right side (a name, a text: no substring tests), is refused;
- the functions in ``FUNCTIONS``: ``min max abs round ceil floor ln exp sqrt
  clamp``;
- ``class_of(indicator)``: the class label an indicator gave (a water class), only where
  the caller allows it (summaries, read after scoring; see ``compile_expression``).

Anything else — assignment, attribute access, subscripts, comprehensions, lambdas, calls
to other names, exponents above ``MAX_EXPONENT`` — is refused at load with the column
where it stands. Evaluation runs on simpleeval, which interprets the checked tree.
"""

from __future__ import annotations

import ast
import operator
import threading
from collections.abc import Callable, Mapping
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from typing import Any

import attrs
import simpleeval

from ecoscore import numbers
from ecoscore.numbers import CONTEXT

__all__ = [
    "FUNCTIONS",
    "MAX_EXPONENT",
    "Expression",
    "ExpressionError",
    "class_key",
    "compile_expression",
]

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
    ast.In: lambda a, b: _member(a, b, negate=False),
    ast.NotIn: lambda a, b: _member(a, b, negate=True),
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

_OPERATOR_SYMBOLS = {
    ast.FloorDiv: "//",
    ast.MatMult: "@",
    ast.LShift: "<<",
    ast.RShift: ">>",
    ast.BitAnd: "&",
    ast.BitOr: "|",
    ast.BitXor: "^",
    ast.Invert: "~",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}

_IN_HINT = "write x in ('Ⅰ', 'Ⅱ'): a parenthesised tuple of literals"
_TUPLE_HINT = "a tuple goes only after in or not in: x in ('Ⅰ', 'Ⅱ')"

#: The special forms rewritten into name lookups, besides the functions.
_FORMS = ("previous", "class_of")

_ALIASES = {"true": True, "false": False, "True": True, "False": False}


def _previous_key(name: str, back: int) -> str:
    return f"previous({name})" if back == 1 else f"previous({name}, {back})"


def class_key(name: str) -> str:
    """The key under which ``class_of(name)`` reads its value."""
    return f"class_of({name})"


@attrs.frozen
class Expression:
    """A checked expression: its source, the names it reads, and a tree ready to run.

    ``names`` are plain names; ``previous`` holds ``(name, k)`` for each
    ``previous(name, k)`` it reads; ``classes`` the names it reads with
    ``class_of(name)``. Evaluate with ``evaluate(values)``, where ``values`` maps each
    name (and each ``"previous(name)"`` and ``"class_of(name)"`` key) to its value;
    ``needs`` lists those keys, sorted. ``plain`` is the name when the whole expression
    is one name (evaluated as a lookup, without the interpreter).
    """

    source: str
    names: frozenset[str]
    previous: frozenset[tuple[str, int]]
    needs: tuple[str, ...]
    plain: str | None
    _tree: ast.expr = attrs.field(repr=False, eq=False)
    classes: frozenset[str] = frozenset()

    def evaluate(self, values: Mapping[str, Value | None]) -> Value:
        """The expression's value on ``values``; raises ``EvaluationFailure``."""
        if self.plain is not None:
            value = values.get(self.plain)
            if value is None:
                raise EvaluationFailure(f"{self.plain} has no value")
            return value
        ev = _evaluator()
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


_LOCAL = threading.local()


def _evaluator() -> Any:
    """This thread's interpreter: one per thread, so that evaluations on several threads
    at once never see each other's names."""
    ev = getattr(_LOCAL, "evaluator", None)
    if ev is None:
        ev = simpleeval.SimpleEval(
            operators=dict(_OPERATORS),
            functions={name: fn for name, (fn, _, _) in FUNCTIONS.items()},
            names={},
        )
        _LOCAL.evaluator = ev
    return ev


class _Checker:
    """One walk over a parsed expression: refuses what is not allowed, records what it
    reads, and rewrites literals, ``previous(…)``, ``class_of(…)`` and the tuples of
    ``in`` into the forms evaluation expects."""

    def __init__(
        self,
        source: str,
        known: Callable[[str], bool],
        hint: Callable[[str], str | None],
        classes: Callable[[str], bool] | None,
    ) -> None:
        self.source = source
        self.known = known
        self.hint = hint
        self.classes = classes
        self.names: set[str] = set()
        self.previous: set[tuple[str, int]] = set()
        self.class_reads: set[str] = set()

    def check(self, node: ast.AST) -> None:
        column = getattr(node, "col_offset", None)
        col = None if column is None else column + 1
        for kind, why in _FORBIDDEN_WHY.items():
            if isinstance(node, kind):
                raise ExpressionError(why, col, _TUPLE_HINT if kind is ast.Tuple else None)
        if not isinstance(node, _ALLOWED_NODES):
            raise ExpressionError(f"{type(node).__name__} is not allowed in an expression", col)
        # Operators carry no position: judge them here, at their expression's column.
        ops = getattr(node, "ops", None) or [getattr(node, "op", None)]
        for op in ops:
            if op is not None and not isinstance(op, _ALLOWED_NODES):
                symbol = _OPERATOR_SYMBOLS.get(type(op), type(op).__name__)
                raise ExpressionError(f"the operator {symbol} is not allowed", col)
        if isinstance(node, ast.Constant):
            node.value = self._constant(node, col)
            return
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            _check_exponent(node.right, col)
        if isinstance(node, ast.Name):
            self._name(node, col)
            return
        if isinstance(node, ast.Call):
            self._call(node, col)
            return
        if isinstance(node, ast.Compare):
            self._compare(node)
            return
        for child in ast.iter_child_nodes(node):
            self.check(child)

    def _constant(self, node: ast.Constant, col: int | None) -> Any:
        if isinstance(node.value, bool) or node.value is None:
            raise ExpressionError("write true or false in lower case, or a number", col)
        if isinstance(node.value, (int, float)):
            text = (ast.get_source_segment(self.source, node) or "").replace("_", "")
            try:
                # Exact from the literal's text, never through the float the parser made.
                return numbers.parse_decimal(text)
            except ValueError:
                raise ExpressionError(f"unsupported number literal {text!r}", col) from None
        if isinstance(node.value, complex):
            raise ExpressionError("complex numbers are not allowed", col)
        if not isinstance(node.value, str):
            raise ExpressionError("bytes literals are not allowed", col)
        return node.value

    def _name(self, node: ast.Name, col: int | None) -> None:
        if node.id in _ALIASES:
            return
        if node.id in _FORMS or node.id in FUNCTIONS:
            raise ExpressionError(f"{node.id} is a function: call it, as {node.id}(…)", col)
        if not self.known(node.id):
            raise ExpressionError(f"unknown name {node.id!r}", col, self.hint(node.id))
        self.names.add(node.id)

    def _call(self, node: ast.Call, col: int | None) -> None:
        if not isinstance(node.func, ast.Name):
            raise ExpressionError("only the listed functions may be called", col)
        if node.keywords:
            raise ExpressionError(f"{node.func.id}() takes no keyword arguments", col)
        if node.func.id == "previous":
            self._previous(node, col)
            return
        if node.func.id == "class_of" and self.classes is not None:
            self._class_of(node, col, self.classes)
            return
        if node.func.id not in FUNCTIONS:
            forms = _FORMS if self.classes is not None else ("previous",)
            options = ", ".join(sorted((*FUNCTIONS, *forms)))
            hint = None
            if node.func.id == "class_of":
                hint = "class_of() is read after scoring, in a [summary]"
            raise ExpressionError(f"unknown function {node.func.id!r}; one of {options}", col, hint)
        _, low, high = FUNCTIONS[node.func.id]
        if not low <= len(node.args) <= high:
            count = str(low) if low == high else f"{low} to {high}"
            raise ExpressionError(f"{node.func.id}() takes {count} arguments", col)
        for arg in node.args:
            self.check(arg)

    def _compare(self, node: ast.Compare) -> None:
        self.check(node.left)
        for k, (op, right) in enumerate(zip(node.ops, node.comparators, strict=True)):
            if isinstance(op, (ast.In, ast.NotIn)):
                if k < len(node.ops) - 1:
                    # `x in ('a',) == y` would compare the tuple itself with y.
                    raise ExpressionError(
                        "a comparison ends after in (…): write (x in (…)) == y",
                        right.col_offset + 1,
                    )
                literals = _literal_tuple(
                    right, self.source, "in" if isinstance(op, ast.In) else "not in"
                )
                # A constant tuple: simpleeval returns it as it is, for _member to search.
                constant = ast.Constant(value=literals)  # type: ignore[arg-type]
                node.comparators[k] = ast.copy_location(constant, right)
            else:
                self.check(right)

    def _previous(self, node: ast.Call, col: int | None) -> None:
        args = node.args
        if not 1 <= len(args) <= 2 or not isinstance(args[0], ast.Name):
            raise ExpressionError(
                "previous() takes a name and, optionally, how many periods back", col
            )
        back = 1
        if len(args) == 2:
            k = args[1]
            if not (isinstance(k, ast.Constant) and type(k.value) is int and 1 <= k.value <= 50):
                raise ExpressionError("previous(name, k): k is a whole number from 1 to 50", col)
            back = k.value
        name = args[0].id
        if not self.known(name):
            raise ExpressionError(f"unknown name {name!r}", col, self.hint(name))
        self.previous.add((name, back))
        _as_lookup(node, _previous_key(name, back))

    def _class_of(self, node: ast.Call, col: int | None, classes: Callable[[str], bool]) -> None:
        args = node.args
        if len(args) != 1 or not isinstance(args[0], ast.Name):
            raise ExpressionError("class_of() takes the id of an indicator", col)
        name = args[0].id
        if not self.known(name):
            raise ExpressionError(f"unknown name {name!r}", col, self.hint(name))
        if not classes(name):
            raise ExpressionError(
                f"{name} gives no class",
                col,
                'a classify rule, or bands with class = "…", give a class',
            )
        self.class_reads.add(name)
        _as_lookup(node, class_key(name))


def _as_lookup(node: ast.Call, key: str) -> None:
    # Rewrite a special form into a plain name lookup, so evaluation is a dict access.
    node.__class__ = ast.Name  # type: ignore[assignment]
    node.id = key  # type: ignore[attr-defined]
    node.ctx = ast.Load()  # type: ignore[attr-defined]


def _check_exponent(exponent: ast.expr, col: int | None) -> None:
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


def _literal_tuple(node: ast.expr, source: str, symbol: str) -> tuple[Decimal | str, ...]:
    """The literals of the tuple on the right of ``in``: all texts or all numbers."""
    col = node.col_offset + 1
    if not isinstance(node, ast.Tuple):
        raise ExpressionError(
            f"the operator {symbol} needs a tuple of literals on its right", col, _IN_HINT
        )
    if not node.elts:
        raise ExpressionError(
            f"the operator {symbol} needs at least one literal in its tuple", col, _IN_HINT
        )
    values: list[Decimal | str] = []
    for elt in node.elts:
        sign = ""
        item = elt
        if isinstance(item, ast.UnaryOp) and isinstance(item.op, (ast.USub, ast.UAdd)):
            sign = "-" if isinstance(item.op, ast.USub) else ""
            item = item.operand
            if not isinstance(item, ast.Constant) or isinstance(item.value, str):
                item = elt  # only a number takes a sign
        ok = isinstance(item, ast.Constant) and (
            isinstance(item.value, str)
            or (isinstance(item.value, (int, float)) and not isinstance(item.value, bool))
        )
        if not ok:
            raise ExpressionError(
                f"the tuple after {symbol} holds literals only (texts or numbers)",
                elt.col_offset + 1,
                _IN_HINT,
            )
        assert isinstance(item, ast.Constant)
        if isinstance(item.value, str):
            values.append(item.value)
        else:
            text = (ast.get_source_segment(source, item) or "").replace("_", "")
            try:
                values.append(numbers.parse_decimal(sign + text))
            except ValueError:
                raise ExpressionError(
                    f"unsupported number literal {text!r}", elt.col_offset + 1
                ) from None
    if len({type(v) for v in values}) > 1:
        raise ExpressionError(
            f"the tuple after {symbol} mixes texts and numbers", col, "all texts or all numbers"
        )
    return tuple(values)


def compile_expression(
    source: str,
    known: Callable[[str], bool],
    hint: Callable[[str], str | None] = lambda name: None,
    classes: Callable[[str], bool] | None = None,
) -> Expression:
    """Parse and check ``source``; raise ``ExpressionError`` with a column if it is refused.

    ``known(name)`` says whether a name may be read; ``hint(name)`` may suggest a
    near miss ("did you mean …?") for an unknown one. ``classes`` allows
    ``class_of(name)`` and says which names give a class; without it ``class_of`` is
    refused (its value exists only after scoring).
    """
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("an expression cannot be empty")
    text = original = source.strip()
    try:
        # A formula written over several lines (a TOML multi-line string) reads as one.
        tree = ast.parse(f"(\n{text}\n)" if "\n" in text else text, mode="eval")
        if "\n" in text:
            text = f"(\n{text}\n)"
    except SyntaxError as exc:
        if "=" in text and "==" not in text and "<=" not in text and ">=" not in text:
            raise ExpressionError(
                "assignment is not allowed (did you mean ==?)", exc.offset
            ) from None
        raise ExpressionError(f"syntax error: {exc.msg}", exc.offset) from None
    checker = _Checker(text, known, hint, classes)
    checker.check(tree.body)
    # ``true``/``false`` are plain names, answered by a fallback after the unit's values.
    body = _AliasNames().visit(tree.body)
    needs = tuple(
        sorted(
            checker.names
            | {_previous_key(n, k) for n, k in checker.previous}
            | {class_key(n) for n in checker.class_reads}
        )
    )
    plain = body.id if isinstance(body, ast.Name) else None
    return Expression(
        " ".join(original.split()) if "\n" in original else original,
        frozenset(checker.names),
        frozenset(checker.previous),
        needs,
        plain,
        body,
        frozenset(checker.class_reads),
    )


class _AliasNames(ast.NodeTransformer):
    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in _ALIASES:
            return ast.copy_location(ast.Constant(value=_ALIASES[node.id]), node)
        return node
