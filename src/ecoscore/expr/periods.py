"""The period forms of the expression language, and its exact trend functions.

Rules of one period read earlier periods through forms the checker rewrites at load
into plain lookups (``Checker`` in ``ecoscore.expr.check``):

=================================  ===============================================
``previous(x)``, ``previous(x, k)``  x one period back, or ``k`` periods back
``at(x, "2021")``                  x in the period named ``2021`` (a base year)
``periods_since("2021")``          how many periods this one is after ``2021`` (years)
``each_previous(k, test)``         ``test`` held in each of the ``k`` previous periods
``count_previous(k, test)``        in how many of the ``k`` previous periods it held
``compound_change(x, "2021")``     x's compound change per period since ``2021``, in %
``average_change(x, "2021")``      x's change since ``2021`` divided by the periods, in %
=================================  ===============================================

``x`` may be a figure (an input, a derived value, an attribute) or, for periods that were
themselves assessed, a result: ``total``, ``grade``, a ranking's id (the unit's rank), an
indicator's or node's id (its points or value), a flag's id (true or false), ``units``
(how many units were assessed).

``compound_change`` is exact where it can be: the n-th root of ``x / base`` is the
correctly rounded 34-digit value, except that a root that is a decimal of fewer digits
(``0.95`` for a ratio of ``0.857375`` over three periods) is found and returned exactly,
so that a band at −5 % decides the boundary case exactly. A test "changed by at most −5 %
a year" can also be written without a root: ``x <= at(x, "2021") * 0.95 **
periods_since("2021")``.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from ecoscore.expr.ops import EvaluationFailure
from ecoscore.numbers import CONTEXT

__all__ = ["PERIOD_FORMS", "TREND_FUNCTIONS", "at_key", "since_key"]

#: The forms, with how many arguments each takes.
PERIOD_FORMS: Mapping[str, int] = {
    "at": 2,
    "periods_since": 1,
    "each_previous": 2,
    "count_previous": 2,
    "compound_change": 2,
    "average_change": 2,
}

_HUNDRED = Decimal(100)
_ONE = Decimal(1)
# Wide enough that a power of a short decimal is exact: used only to confirm a root.
_WIDE = decimal.Context(prec=999, traps=[decimal.InvalidOperation, decimal.Overflow])


def at_key(name: str, period: str) -> str:
    """The key under which ``at(name, "period")`` reads its value."""
    return f"at({name}, {period})"


def since_key(period: str) -> str:
    """The key under which ``periods_since("period")`` reads its value."""
    return f"periods_since({period})"


def _numbers(x: Any, base: Any, periods: Any, what: str) -> tuple[Decimal, Decimal, Decimal]:
    for value in (x, base, periods):
        if not isinstance(value, Decimal):
            raise EvaluationFailure(f"{what}() reads numbers, not {value!r}")
    if periods <= 0:
        raise EvaluationFailure(f"{what}(): no period since the base", zero_division=True)
    if base <= 0 or x < 0:
        raise EvaluationFailure(f"{what}() of a value at or below zero (base {base}, now {x})")
    return x, base, periods


def root(ratio: Decimal, n: Decimal) -> Decimal:
    """The n-th root of ``ratio`` (> 0): exact when it is a decimal of at most 33
    significant digits, else correctly rounded to 34."""
    if ratio == 0:
        return Decimal(0)
    approx = CONTEXT.power(ratio, CONTEXT.divide(_ONE, n))
    for digits in range(1, CONTEXT.prec):
        candidate = decimal.Context(prec=digits).plus(approx)
        if _WIDE.power(candidate, n) == ratio:
            return candidate
    return approx


def compound_change(x: Any, base: Any, periods: Any) -> Decimal:
    """((x / base) ^ (1 / periods) − 1) × 100: the compound change per period, in %."""
    x, base, periods = _numbers(x, base, periods, "compound_change")
    ratio = CONTEXT.divide(x, base)
    return CONTEXT.multiply(CONTEXT.subtract(root(ratio, periods), _ONE), _HUNDRED)


def average_change(x: Any, base: Any, periods: Any) -> Decimal:
    """(x / base − 1) × 100 / periods: the change since the base per period, in %."""
    x, base, periods = _numbers(x, base, periods, "average_change")
    change = CONTEXT.multiply(CONTEXT.subtract(CONTEXT.divide(x, base), _ONE), _HUNDRED)
    return CONTEXT.divide(change, periods)


#: The functions the trend forms are rewritten into: (x, its value at the base, periods).
TREND_FUNCTIONS: Mapping[str, Callable[..., Decimal]] = {
    "compound_change": compound_change,
    "average_change": average_change,
}
