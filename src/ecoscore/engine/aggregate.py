"""Aggregating the indicator tree for one unit: sums, means, min, max, formulas.

Children left out (a missing value declared ``exclude``) drop out of their parent: means
renormalise over the children that remain (the Yale EPI convention); a sum adds what
remains, and with ``rescale_excluded`` scales it up to the node's points (缺项按比例折算).

Sums are exact. ``arithmetic="float"`` adds them up in binary doubles instead, as a
spreadsheet or a Python script would, each sum's value being the double's exact value:
only to check a table someone computed that way (``ecoscore.audit.hypotheses``).
The additive trace of the result is ``ecoscore.results.trace.trace_steps``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ecoscore.expr.expression import EvaluationFailure
from ecoscore.model import Label, Node
from ecoscore.numbers import CONTEXT, EXACT_SUM
from ecoscore.results.scores import NodeResult
from ecoscore.results.trace import TreePlan

__all__ = ["ARITHMETICS", "aggregate_tree"]

#: How the tree's sums are added up: exactly, or in binary doubles.
ARITHMETICS = ("exact", "float")

_ZERO = Decimal(0)
_NO_POINTS: Any = object()
_ALL_LEFT_OUT = Label("所有子项均不参与计分", "every child left out")


def aggregate_tree(
    plan: TreePlan,
    contributions: Mapping[str, Decimal | None],
    env: Mapping[str, Any],
    *,
    arithmetic: str = "exact",
) -> tuple[dict[str, NodeResult], str | None]:
    """Every node's result for one unit, and a problem (or ``None``).

    ``contributions`` holds what each indicator adds to its parent's sum (``None``: left
    out); an indicator that gives no points at all (a class alone) has no entry.
    ``arithmetic`` is one of ``ARITHMETICS`` (see the module docstring).
    """
    nodes: dict[str, NodeResult] = {}
    problems: list[str] = []
    get = contributions.get
    add = EXACT_SUM.add if arithmetic == "exact" else _float_add
    for step in plan.steps:
        node = step.node
        values: list[tuple[str, Decimal, Decimal]] = []  # (child, value, weight)
        excluded: list[str] = []
        excluded_points = _ZERO
        summed = _ZERO if node.aggregate == "sum" else None
        added = 0
        for child in step.children:
            if child.is_indicator:
                value = get(child.id, _NO_POINTS)
                if value is _NO_POINTS:
                    continue  # a class only (a water class): it gives no points to add
            else:
                value = nodes[child.id].value
            if value is None:
                excluded.append(child.id)
                if child.points is not None:
                    excluded_points += child.points
            elif summed is not None:
                # A sum, the common node, is added up as it goes (exactly: EXACT_SUM).
                summed = add(summed, value)
                added += 1
            else:
                values.append((child.id, value, child.weight))
        argmax: tuple[str, ...] = ()
        if summed is not None:
            raw, note = (summed, None) if added else (None, _ALL_LEFT_OUT)
        else:
            raw, argmax, note = _combine(node, values, env, problems)
        if (
            raw is not None
            and excluded
            and node.aggregate == "sum"
            and node.rescale_excluded
            and node.points is not None
            and node.points > excluded_points
        ):
            raw = CONTEXT.divide(CONTEXT.multiply(raw, node.points), node.points - excluded_points)
            present = node.points - excluded_points
            note = Label(
                f"缺项按比例折算：× {node.points}/{present}（{'、'.join(excluded)}）",
                f"rescaled × {node.points}/{present} for {', '.join(excluded)}",
            )
        capped_from = None
        if raw is not None and node.at_most is not None and raw > node.at_most:
            capped_from, raw = raw, node.at_most
            note = Label(
                f"{capped_from} 超过上限，按 {node.at_most} 计",
                f"{capped_from} capped at {node.at_most}",
            )
        rounding = step.rounding
        value = raw if raw is None or rounding is None else rounding(raw)
        nodes[node.id] = NodeResult(
            node.id,
            node.aggregate,
            raw,
            value,
            rounding if raw is not None else None,
            tuple(excluded),
            argmax,
            note,
            capped_from,
        )
    return nodes, "; ".join(problems) or None


def _float_add(left: Decimal, right: Decimal) -> Decimal:
    """``left + right`` in binary doubles, as the double's exact decimal value."""
    return Decimal(float(left) + float(right))


def _combine(
    node: Node,
    values: list[tuple[str, Decimal, Decimal]],
    env: Mapping[str, Any],
    problems: list[str],
) -> tuple[Decimal | None, tuple[str, ...], Label | None]:
    aggregate = node.aggregate  # not "sum": aggregate_tree adds those up itself
    if aggregate == "formula":
        return _formula(node, values, env, problems), (), None
    if not values:
        return None, (), _ALL_LEFT_OUT
    if aggregate == "mean":
        return CONTEXT.divide(sum((v for _, v, _ in values), _ZERO), Decimal(len(values))), (), None
    if aggregate == "weighted-mean":
        weights = sum((w for _, _, w in values), _ZERO)
        total = sum((CONTEXT.multiply(v, w) for _, v, w in values), _ZERO)
        return CONTEXT.divide(total, weights), (), None
    if aggregate == "geometric-mean":
        if any(v < 0 for _, v, _ in values):
            problems.append(f"node {node.id}: a geometric mean of a negative value")
            return None, (), None
        if any(v == 0 for _, v, _ in values):
            return _ZERO, (), None
        weights = sum((w for _, _, w in values), _ZERO)
        logs = sum((CONTEXT.multiply(w, v.ln(CONTEXT)) for _, v, w in values), _ZERO)
        return CONTEXT.divide(logs, weights).exp(CONTEXT), (), None
    if aggregate == "min":
        return min(v for _, v, _ in values), (), None
    # max, with the arg-max reported (the AQI's primary pollutant: every tie listed).
    top = max(v for _, v, _ in values)
    argmax: tuple[str, ...] = ()
    if node.argmax is not None and (node.argmax.above is None or top > node.argmax.above):
        argmax = tuple(kid for kid, v, _ in values if v == top)
    return top, argmax, None


def _formula(
    node: Node,
    values: list[tuple[str, Decimal, Decimal]],
    env: Mapping[str, Any],
    problems: list[str],
) -> Decimal | None:
    assert node.formula is not None
    scope = dict(env)
    scope.update({kid: v for kid, v, _ in values})
    missing = [n for n in node.formula.needs if scope.get(n) is None]
    if missing:
        problems.append(f"node {node.id}: {node.formula.source}: no value for {', '.join(missing)}")
        return None
    try:
        result = node.formula.evaluate(scope)
    except EvaluationFailure as exc:
        problems.append(f"node {node.id}: {node.formula.source}: {exc.message}")
        return None
    if not isinstance(result, Decimal):
        problems.append(f"node {node.id}: {node.formula.source} is not a number")
        return None
    return result
