"""The indicator tree as evaluation walks it, and the additive trace of a unit's total.

``plan_tree`` orders the tree once per evaluation (children before parents, each node's
children with their weights and rounding). ``trace_steps`` turns one unit's indicator
and node results into ``TraceStep`` values that add up exactly to its total: sums are
decomposed into their children's steps; any other node (a mean, a min, a formula) is one
step with its value, since its children do not add up to it; each rounding and each
rescaling is a step of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import attrs

from ecoscore.model import TOTAL, Criteria, Node
from ecoscore.numbers import EXACT_SUM, Rounding
from ecoscore.results.scores import IndicatorResult, NodeResult, contribution_of

__all__ = ["TraceStep", "TreePlan", "plan_tree", "trace_steps"]

_ZERO = Decimal(0)
_ONE = Decimal(1)


@attrs.frozen
class TraceStep:
    """One additive step of a score card: the steps of a card add up to its total."""

    path: str
    kind: str  # "points", "bonus", "deduction", "node", "rescale", "cap", "rounding"
    amount: Decimal


@attrs.frozen
class _Child:
    id: str
    is_indicator: bool
    weight: Decimal
    points: Decimal | None  # counted when the child is left out (for rescaling)
    kind: str  # "points", "bonus", "deduction" or "node"


@attrs.frozen
class _Step:
    node: Node
    children: tuple[_Child, ...]
    rounding: Rounding | None


@attrs.frozen
class TreePlan:
    """The tree in evaluation order (children before parents), worked out once."""

    steps: tuple[_Step, ...]


def plan_tree(criteria: Criteria) -> TreePlan:
    """Post-order the tree and resolve each node's children, weights and rounding."""
    order: list[_Step] = []

    def visit(node: Node) -> None:
        children = []
        for kid in node.children:
            if kid in criteria.indicators:
                ind = criteria.indicators[kid]
                kind = "points" if ind.effect == "score" else ind.effect
                counted = ind.points if ind.effect == "score" else None
                children.append(_Child(kid, True, ind.weight or _ONE, counted, kind))
            else:
                sub = criteria.nodes[kid]
                visit(sub)
                children.append(_Child(kid, False, sub.weight or _ONE, sub.points, "node"))
        rounding = node.rounding
        if rounding is None:
            rounding = criteria.total_rounding if node.id == TOTAL else criteria.node_rounding
        order.append(_Step(node, tuple(children), rounding))

    visit(criteria.total)
    return TreePlan(tuple(order))


def trace_steps(
    plan: TreePlan, indicators: Mapping[str, IndicatorResult], nodes: Mapping[str, NodeResult]
) -> tuple[TraceStep, ...]:
    """The additive steps of a unit's total: they add up to it exactly."""
    steps_of: dict[str, list[TraceStep]] = {}
    for step in plan.steps:
        node = step.node
        result = nodes[node.id]
        own: list[TraceStep] = []
        if node.aggregate == "sum":
            plain = _ZERO
            for child in step.children:
                if child.is_indicator:
                    contribution = contribution_of(indicators, child.id)[1]
                    if contribution is not None:
                        own.append(TraceStep(child.id, child.kind, contribution))
                        plain = EXACT_SUM.add(plain, contribution)
                elif nodes[child.id].value is not None:
                    own.extend(steps_of[child.id])
                    plain = EXACT_SUM.add(plain, nodes[child.id].value)  # type: ignore[arg-type]
            before_cap = result.raw if result.capped_from is None else result.capped_from
            if before_cap is not None and before_cap != plain:
                own.append(TraceStep(node.id, "rescale", EXACT_SUM.subtract(before_cap, plain)))
            if result.capped_from is not None and result.raw is not None:
                own.append(
                    TraceStep(node.id, "cap", EXACT_SUM.subtract(result.raw, result.capped_from))
                )
        elif result.raw is not None:
            own.append(TraceStep(node.id, "node", result.raw))
        if result.raw is not None and result.value is not None and result.value != result.raw:
            own.append(TraceStep(node.id, "rounding", EXACT_SUM.subtract(result.value, result.raw)))
        steps_of[node.id] = own
    return tuple(steps_of[TOTAL])
