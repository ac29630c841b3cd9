"""Checking an expression once, at load: what is refused, what it reads, and rewrites.

``Checker`` walks the parsed tree: it refuses what the language does not allow (with the
column), records the names, ``previous(…)`` and ``class_of(…)`` it reads, reads number
literals exactly from their text, and rewrites ``previous(x)``, ``class_of(x)`` and the
tuples of ``in`` into plain lookups and constants for the evaluator.
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ecoscore import numbers
from ecoscore.expr.ops import FUNCTIONS, MAX_EXPONENT, OPERATORS
from ecoscore.expr.periods import PERIOD_FORMS, TREND_FUNCTIONS, at_key, since_key

__all__ = [
    "AliasNames",
    "Checker",
    "ExpressionError",
    "check_nesting",
    "check_size",
    "class_key",
    "previous_key",
]


class ExpressionError(ValueError):
    """An expression that cannot be accepted, with the 1-based column where it goes wrong."""

    def __init__(self, message: str, column: int | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.column = column
        self.hint = hint


def check_size(text: str, length: int, depth: int) -> None:
    """Refuse, before parsing, a text longer than ``length`` characters or with brackets
    nested deeper than ``depth``: Python's parser needs memory and stack in proportion to
    both, and fails with MemoryError or RecursionError on a few kilobytes of ``-`` or ``(``."""
    if len(text) > length:
        raise ExpressionError(
            f"an expression of {len(text):,} characters is too long (at most {length:,})",
            hint="split it into derived values",
        )
    level = 0
    quote = ""
    for column, char in enumerate(text, start=1):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            level += 1
            if level > depth:
                raise ExpressionError(
                    f"brackets nested more than {depth} deep",
                    column,
                    "split it into derived values",
                )
        elif char in ")]}":
            level -= 1


def check_nesting(tree: ast.AST, depth: int) -> None:
    """Refuse a parsed tree deeper than ``depth`` (``a + b + c`` is 3 deep), so that the
    checks and the evaluation, which recurse, never run out of stack. The walk is a loop."""
    stack: list[tuple[ast.AST, int]] = [(tree, 1)]
    while stack:
        node, level = stack.pop()
        if level > depth:
            column = getattr(node, "col_offset", None)
            raise ExpressionError(
                f"the expression nests more than {depth} operations deep",
                None if column is None else column + 1,
                "split it into derived values, or sum the items in a node",
            )
        stack.extend(
            (child, level + 1)
            for child in ast.iter_child_nodes(node)
            if isinstance(child, ast.expr)
        )


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
    *OPERATORS,
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
_FORMS = ("previous", "class_of", *PERIOD_FORMS)

_ALIASES = {"true": True, "false": False, "True": True, "False": False}


def previous_key(name: str, back: int) -> str:
    return f"previous({name})" if back == 1 else f"previous({name}, {back})"


def class_key(name: str) -> str:
    """The key under which ``class_of(name)`` reads its value."""
    return f"class_of({name})"


class Checker:
    """One walk over a parsed expression: refuses what is not allowed, records what it
    reads, and rewrites literals, ``previous(…)``, ``class_of(…)`` and the tuples of
    ``in`` into the forms evaluation expects."""

    def __init__(
        self,
        source: str,
        known: Callable[[str], bool],
        hint: Callable[[str], str | None],
        classes: Callable[[str], bool] | None,
        earlier: Callable[[str], bool] | None = None,
    ) -> None:
        self.source = source
        self.known = known
        self.hint = hint
        self.classes = classes
        # What previous(…) and the other period forms may read besides the data names:
        # the results of an earlier assessed period (total, grade, ranks, flags …).
        self.earlier = earlier
        self.names: set[str] = set()
        self.previous: set[tuple[str, int]] = set()
        self.class_reads: set[str] = set()
        # Keys of at(…) and periods_since(…) lookups: (name or "", period).
        self.periods: set[tuple[str, str]] = set()

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
        if node.func.id in PERIOD_FORMS:
            self._period_form(node, col)
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
        self._check_earlier(name, col)
        self.previous.add((name, back))
        _as_lookup(node, previous_key(name, back))

    def _check_earlier(self, name: str, col: int | None) -> None:
        """``name`` may be read in an earlier period: a figure, or an earlier result."""
        if not (self.known(name) or (self.earlier is not None and self.earlier(name))):
            raise ExpressionError(f"unknown name {name!r}", col, self.hint(name))

    def _period_form(self, node: ast.Call, col: int | None) -> None:
        form, args = node.func.id, node.args  # type: ignore[attr-defined]
        if len(args) != PERIOD_FORMS[form]:
            raise ExpressionError(f"{form}() takes {PERIOD_FORMS[form]} arguments", col)
        if form in ("each_previous", "count_previous"):
            self._over_previous(node, form, col)
            return
        period = args[-1]
        if not (isinstance(period, ast.Constant) and isinstance(period.value, str)):
            raise ExpressionError(
                f'{form}(): the period is a name in quotes, as {form}(…, "2021")', col
            )
        if form == "periods_since":
            self.periods.add(("", period.value))
            _as_lookup(node, since_key(period.value))
            return
        if not isinstance(args[0], ast.Name):
            raise ExpressionError(f"{form}() takes a name first, then a period", col)
        name = args[0].id
        self._check_earlier(name, col)
        self.periods.add((name, period.value))
        if form == "at":
            _as_lookup(node, at_key(name, period.value))
            return
        # A trend: (x now, x at the base, periods since) into the exact trend function.
        if not self.known(name):
            raise ExpressionError(f"unknown name {name!r}", col, self.hint(name))
        self.names.add(name)
        self.periods.add(("", period.value))
        lookups = [name, at_key(name, period.value), since_key(period.value)]
        node.args = [ast.copy_location(ast.Name(id=k, ctx=ast.Load()), node) for k in lookups]
        assert form in TREND_FUNCTIONS

    def _over_previous(self, node: ast.Call, form: str, col: int | None) -> None:
        k, test = node.args
        if not (isinstance(k, ast.Constant) and type(k.value) is int and 1 <= k.value <= 50):
            raise ExpressionError(f"{form}(k, test): k is a whole number from 1 to 50", col)
        # The test is checked as if in the earlier period, then copied once per period
        # back with its names read there: each_previous(2, grade == "优秀") is
        # previous(grade) == "优秀" and previous(grade, 2) == "优秀".
        inner = Checker(self.source, self._earlier_known, self.hint, None)
        inner.check(test)
        if inner.previous or inner.class_reads or inner.periods or _calls(test):
            raise ExpressionError(f"{form}(): the test reads plain names only", col)
        copies: list[ast.expr] = []
        for back in range(1, k.value + 1):
            copied = copy.deepcopy(test)
            for sub in ast.walk(copied):
                if isinstance(sub, ast.Name) and sub.id not in _ALIASES:
                    self.previous.add((sub.id, back))
                    sub.id = previous_key(sub.id, back)
            copies.append(copied)
        if form == "each_previous":
            new: ast.expr = copies[0] if len(copies) == 1 else ast.BoolOp(ast.And(), copies)
        else:
            # Decimal constants, as the checker makes of every number literal.
            one = ast.Constant(Decimal(1))  # type: ignore[arg-type]
            zero = ast.Constant(Decimal(0))  # type: ignore[arg-type]
            counted = [ast.IfExp(c, one, zero) for c in copies]
            new = counted[0]
            for more in counted[1:]:
                new = ast.BinOp(new, ast.Add(), more)
        _replace(ast.copy_location(new, node), node)

    def _earlier_known(self, name: str) -> bool:
        return self.known(name) or (self.earlier is not None and self.earlier(name))

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


def _calls(node: ast.AST) -> bool:
    return any(isinstance(sub, ast.Call) for sub in ast.walk(node))


def _replace(new: ast.expr, node: ast.AST) -> None:
    # Turn ``node`` into ``new`` in place: the parent keeps its reference.
    for field in list(node.__dict__):
        delattr(node, field)
    node.__class__ = new.__class__
    node.__dict__.update(new.__dict__)
    ast.fix_missing_locations(node)


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


class AliasNames(ast.NodeTransformer):
    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id in _ALIASES:
            return ast.copy_location(ast.Constant(value=_ALIASES[node.id]), node)
        return node
