"""Aggregating the indicator tree for one unit: sums, means, min, max, formulas.

Children left out (a missing value declared ``exclude``) drop out of their parent: means
renormalise over the children that remain (the Yale EPI convention); a sum adds what
remains, and with ``rescale_excluded`` scales it up to the node's points (缺项按比例折算).

The trace: a unit's ``TraceStep`` list adds up exactly to its total. Sums are decomposed
into their children's steps; any other node (a mean, a min, a formula) is one step with
its value, since its children do not add up to it; each rounding is a step of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ecoscore.expr import EvaluationFailure
from ecoscore.model import TOTAL, Criteria, Node
from ecoscore.numbers import CONTEXT
from ecoscore.results import IndicatorResult, NodeResult, TraceStep

__all__ = ["aggregate_tree"]


def aggregate_tree(
    criteria: Criteria, indicators: Mapping[str, IndicatorResult], env: Mapping[str, Any]
) -> tuple[dict[str, NodeResult], tuple[TraceStep, ...], str | None]:
    """Every node's result, the additive trace of the total, and a problem (or ``None``)."""
    nodes: dict[str, NodeResult] = {}
    steps: dict[str, list[TraceStep]] = {}
    problems: list[str] = []

    def visit(node: Node) -> None:
        values: list[tuple[str, Decimal, Decimal]] = []  # (child, value, weight)
        excluded: list[str] = []
        child_steps: list[TraceStep] = []
        excluded_points = Decimal(0)
        for kid in node.children:
            if kid in indicators:
                res = indicators[kid]
                ind = criteria.indicators[kid]
                if res.contribution is None:
                    if res.status == "excluded" or res.points is None:
                        excluded.append(kid)
                        if ind.effect == "score" and ind.points is not None:
                            excluded_points += ind.points
                    continue
                values.append((kid, res.contribution, ind.weight or Decimal(1)))
                kind = "points" if ind.effect == "score" else ind.effect
                child_steps.append(TraceStep(kid, kind, res.contribution))
            else:
                visit(criteria.nodes[kid])
                sub = nodes[kid]
                if sub.value is None:
                    excluded.append(kid)
                    child_node = criteria.nodes[kid]
                    if child_node.points is not None:
                        excluded_points += child_node.points
                    continue
                values.append((kid, sub.value, criteria.nodes[kid].weight or Decimal(1)))
                child_steps.extend(steps[kid])
        raw, argmax, note = _combine(node, values, env, problems)
        own: list[TraceStep]
        if raw is not None and node.aggregate == "sum" and node.rescale_excluded and excluded \
                and node.points is not None:
            present = node.points - excluded_points
            if present > 0:
                scaled = CONTEXT.divide(CONTEXT.multiply(raw, node.points), present)
                child_steps.append(TraceStep(node.id, "rescale", scaled - raw))
                note = f"rescaled × {node.points}/{present} for {', '.join(excluded)}"
                raw = scaled
        own = child_steps if node.aggregate == "sum" else (
            [] if raw is None else [TraceStep(node.id, "node", raw)])
        rounding = node.rounding
        if rounding is None:
            rounding = criteria.total_rounding if node.id == TOTAL else criteria.node_rounding
        value = raw if raw is None or rounding is None else rounding(raw)
        if raw is not None and value is not None and value != raw:
            own.append(TraceStep(node.id, "rounding", value - raw))
        nodes[node.id] = NodeResult(node.id, node.aggregate, raw, value,
                                    rounding if raw is not None else None, tuple(excluded),
                                    argmax, note)
        steps[node.id] = own

    visit(criteria.total)
    return nodes, tuple(steps[TOTAL]), "; ".join(problems) or None


def _combine(
    node: Node, values: list[tuple[str, Decimal, Decimal]], env: Mapping[str, Any],
    problems: list[str],
) -> tuple[Decimal | None, tuple[str, ...], str | None]:
    if node.aggregate == "formula":
        assert node.formula is not None
        scope = dict(env)
        scope.update({kid: v for kid, v, _ in values})
        missing = [n for n in node.formula.needs if scope.get(n) is None]
        if missing:
            problems.append(f"node {node.id}: {node.formula.source}: no value for {', '.join(missing)}")
            return None, (), None
        try:
            result = node.formula.evaluate(scope)
        except EvaluationFailure as exc:
            problems.append(f"node {node.id}: {node.formula.source}: {exc.message}")
            return None, (), None
        if not isinstance(result, Decimal):
            problems.append(f"node {node.id}: {node.formula.source} is not a number")
            return None, (), None
        return result, (), None
    if not values:
        return None, (), "every child left out"
    if node.aggregate == "sum":
        return sum((v for _, v, _ in values), Decimal(0)), (), None
    if node.aggregate == "mean":
        return CONTEXT.divide(sum((v for _, v, _ in values), Decimal(0)), Decimal(len(values))), (), None
    if node.aggregate == "weighted-mean":
        weights = sum((w for _, _, w in values), Decimal(0))
        total = sum((CONTEXT.multiply(v, w) for _, v, w in values), Decimal(0))
        return CONTEXT.divide(total, weights), (), None
    if node.aggregate == "geometric-mean":
        if any(v < 0 for _, v, _ in values):
            problems.append(f"node {node.id}: a geometric mean of a negative value")
            return None, (), None
        if any(v == 0 for _, v, _ in values):
            return Decimal(0), (), None
        weights = sum((w for _, _, w in values), Decimal(0))
        logs = sum((CONTEXT.multiply(w, v.ln(CONTEXT)) for _, v, w in values), Decimal(0))
        return CONTEXT.divide(logs, weights).exp(CONTEXT), (), None
    if node.aggregate == "min":
        return min(v for _, v, _ in values), (), None
    # max, with the arg-max reported (the AQI's primary pollutant: every tie listed).
    top = max(v for _, v, _ in values)
    argmax: tuple[str, ...] = ()
    if node.argmax is not None and (node.argmax.above is None or top > node.argmax.above):
        argmax = tuple(kid for kid, v, _ in values if v == top)
    return top, argmax, None
