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
import decimal
import threading
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

import attrs
import simpleeval

from ecoscore.expr.check import (
    AliasNames,
    Checker,
    ExpressionError,
    check_nesting,
    check_size,
    class_key,
    previous_key,
)
from ecoscore.expr.fold import fold_constants
from ecoscore.expr.ops import (
    FUNCTIONS,
    MAX_EXPONENT,
    OPERATORS,
    EvaluationFailure,
    MissingValue,
)
from ecoscore.expr.periods import TREND_FUNCTIONS, at_key, since_key
from ecoscore.limits import DEFAULT_LIMITS, Limits

__all__ = [
    "FUNCTIONS",
    "MAX_EXPONENT",
    "EvaluationFailure",
    "Expression",
    "ExpressionError",
    "MissingValue",
    "class_key",
    "compile_expression",
]

Value = Decimal | bool | str


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
    #: The ``at(x, "P")`` lookups it makes, as ``(x, P)``, and its ``periods_since("P")``
    #: ones, as ``("", P)``.
    periods: frozenset[tuple[str, str]] = frozenset()

    def evaluate(self, values: Mapping[str, Value | None]) -> Value:
        """The expression's value on ``values``; raises ``EvaluationFailure``."""
        if self.plain is not None:
            value = values.get(self.plain)
            if value is None:
                raise MissingValue(self.plain)
            return value
        ev = _evaluator()
        ev.names = values
        try:
            result = ev.eval(self.source, previously_parsed=self._tree)
        except EvaluationFailure:
            raise
        except simpleeval.NameNotDefined as exc:
            raise EvaluationFailure(f"{exc.name} has no value") from None
        except decimal.DivisionByZero:
            raise EvaluationFailure("division by zero", zero_division=True) from None
        except decimal.Overflow:
            raise EvaluationFailure("a result too large to hold exactly") from None
        except decimal.InvalidOperation:
            raise EvaluationFailure(
                "an operation with no exact result (an invalid operation)"
            ) from None
        except (ArithmeticError, TypeError, ValueError, simpleeval.InvalidExpression) as exc:
            raise EvaluationFailure(str(exc) or type(exc).__name__) from None
        finally:
            ev.names = {}
        if isinstance(result, int) and not isinstance(result, bool):
            result = Decimal(result)
        if result is None:
            raise EvaluationFailure("a value it needs is missing")
        return result  # type: ignore[no-any-return]


class _Interpreter(simpleeval.SimpleEval):  # type: ignore[misc]
    """simpleeval, with names that may be missing and tests that must be true or false."""

    def _eval_name(self, node: ast.Name) -> Any:
        value = self.names.get(node.id)
        if value is None:
            # Only a name the evaluation actually reaches can be missing.
            raise MissingValue(node.id)
        return value

    def _eval_ifexp(self, node: ast.IfExp) -> Any:
        test = self._eval(node.test)
        if not isinstance(test, bool):
            raise EvaluationFailure(f"the test of x if … else y gives {test!r}, not true or false")
        return self._eval(node.body) if test else self._eval(node.orelse)


_LOCAL = threading.local()


def _evaluator() -> Any:
    """This thread's interpreter: one per thread, so that evaluations on several threads
    at once never see each other's names."""
    ev = getattr(_LOCAL, "evaluator", None)
    if ev is None:
        ev = _Interpreter(
            operators=dict(OPERATORS),
            functions={
                **{name: fn for name, (fn, _, _) in FUNCTIONS.items()},
                **TREND_FUNCTIONS,
            },
            names={},
        )
        _LOCAL.evaluator = ev
    return ev


def compile_expression(
    source: str,
    known: Callable[[str], bool],
    hint: Callable[[str], str | None] = lambda name: None,
    classes: Callable[[str], bool] | None = None,
    earlier: Callable[[str], bool] | None = None,
    *,
    limits: Limits = DEFAULT_LIMITS,
) -> Expression:
    """Parse and check ``source``; raise ``ExpressionError`` with a column if it is refused.

    ``known(name)`` says whether a name may be read; ``hint(name)`` may suggest a
    near miss ("did you mean …?") for an unknown one. ``classes`` allows
    ``class_of(name)`` and says which names give a class; without it ``class_of`` is
    refused (its value exists only after scoring). ``earlier(name)`` says which names
    ``previous(…)`` and the other period forms may read besides the known ones (the
    results of an earlier assessed period); without it they read known names only.
    ``limits`` bounds the length and the
    nesting (``Limits.expression_length``, ``Limits.expression_depth``), checked before the
    text is parsed. Constant parts are worked out now (``ecoscore.expr.fold``), so one that
    cannot be (``9 ** 9 ** 9``) is refused here.
    """
    if not isinstance(source, str) or not source.strip():
        raise ExpressionError("an expression cannot be empty")
    text = original = source.strip()
    check_size(text, limits.expression_length, limits.expression_depth)
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
    except (MemoryError, RecursionError):
        # Within the bounds above the parser does not fail so; this guards a change of Python.
        raise ExpressionError("the expression is too complex to read") from None
    check_nesting(tree.body, limits.expression_depth)
    checker = Checker(text, known, hint, classes, earlier)
    checker.check(tree.body)
    # ``true``/``false`` are plain names, answered by a fallback after the unit's values.
    body = fold_constants(AliasNames().visit(tree.body), text)
    needs = tuple(
        sorted(
            checker.names
            | {previous_key(n, k) for n, k in checker.previous}
            | {class_key(n) for n in checker.class_reads}
            | {at_key(n, p) if n else since_key(p) for n, p in checker.periods}
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
        frozenset(checker.periods),
    )
