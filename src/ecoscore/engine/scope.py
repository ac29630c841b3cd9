"""What rules read after scoring: a unit's values by name, for rankings, grade rules and
summaries.

A name reads, in this order: a data value (an input, a derived value, an attribute,
``previous(x)``) — so an indicator named after its input reads the input —, an
indicator that gives a class and no points as its class, then a node's value or an
indicator's points, published (rounded) or exact as the caller asks, and ``total``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ecoscore.expr.expression import EvaluationFailure, Expression
from ecoscore.model import TOTAL
from ecoscore.results.card import ScoreCard
from ecoscore.results.scores import points_of

__all__ = ["condition", "ranked_value", "scope_value"]


def ranked_value(card: ScoreCard, env: Mapping[str, Any], name: str, basis: str) -> Any:
    """The value a ranking or tie-break reads for ``name``: the total, a node, an
    indicator's points, or a data value (inputs, derived values, attributes)."""
    if name == TOTAL:
        return card.total if basis == "published" else card.total_exact
    if name in env:
        # Data names win: an indicator named after its input ranks on the input.
        return env[name]
    if name in card.nodes:
        node = card.nodes[name]
        return node.value if basis == "published" else node.raw
    if name in card.indicators:
        points, raw = points_of(card.indicators, name)
        return points if basis == "published" else raw
    return None


def scope_value(card: ScoreCard, env: Mapping[str, Any], name: str) -> Any:
    """The value a grade rule, an exclusion or a summary reads for ``name``."""
    if name.startswith("previous(") or name in env:
        return env.get(name)
    result = card.indicators.get(name)
    if result is not None and result.points is None and result.label is not None:
        return result.label  # an indicator that gives a class and no points reads as its class
    return ranked_value(card, env, name, "published")


def condition(
    when: Expression, card: ScoreCard, env: Mapping[str, Any]
) -> tuple[bool | None, tuple[str, ...]]:
    """Whether ``when`` holds for the unit, and the names it lacks (then ``None``).

    Raises ``EvaluationFailure`` when it cannot be evaluated (a division by zero) or does
    not give true or false: a condition is never taken from a number's truthiness.
    """
    scope = {n: scope_value(card, env, n) for n in when.needs}
    missing = tuple(n for n, v in scope.items() if v is None)
    if missing:
        return None, missing
    result = when.evaluate(scope)
    if not isinstance(result, bool):
        raise EvaluationFailure(f"{when.source} gives {result!r}, not true or false")
    return result, ()
