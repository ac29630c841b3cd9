"""The loader's part for the indicator tree: indicators with their rules, nodes, the total.

``TreeParts`` is mixed into the loader's document walk (``ecoscore.language.loader._Document``),
which provides what it reads: ``r`` (the ``TableReader``), ``doc``, ``inputs``,
``attributes``, ``derived_ids``, ``indicators_raw``, ``nodes_raw``, ``unloaded_parents``
and ``known_data(name)``. It checks what only the tree can: one rule per indicator,
parents that exist, no cycles, weights only where they count, and the children's points
adding up to their parent's.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ecoscore.language import rulebook
from ecoscore.language.reader import Path, TableReader, did_you_mean
from ecoscore.model import TOTAL, ArgMax, Attribute, Indicator, Input, Node

__all__ = ["AGGREGATES", "LABEL_KEYS", "MISSING_POLICIES", "ZERO_DIVISION_POLICIES", "TreeParts"]

LABEL_KEYS = ("zh", "en")
_INDICATOR_KEYS = (
    *LABEL_KEYS,
    "parent",
    "points",
    "weight",
    "effect",
    "value",
    "round_value",
    "round_points",
    "missing",
    "on_zero_division",
    "else",
    "floor",
    "zero_if",
    "note",
    "source",
    *rulebook.RULE_KEYS,
)
_NODE_KEYS = (
    *LABEL_KEYS,
    "parent",
    "points",
    "weight",
    "aggregate",
    "formula",
    "round",
    "argmax",
    "rescale_excluded",
    "at_most",
    "note",
)
AGGREGATES = ("sum", "mean", "weighted-mean", "geometric-mean", "min", "max", "formula")
MISSING_POLICIES = ("error", "zero", "exclude", "previous")
ZERO_DIVISION_POLICIES = ("error", "zero", "full", "exclude", "missing")


class TreeParts:
    """The tree-reading methods of the loader's document walk."""

    r: TableReader
    doc: dict[str, Any]
    inputs: dict[str, Input]
    attributes: dict[str, Attribute]
    derived_ids: set[str]
    indicators_raw: dict[str, Any]
    nodes_raw: dict[str, Any]
    unloaded_parents: set[str]
    rollup_ids: set[str]
    rollup_domains: Mapping[str, Input]

    def known_data(self, name: str) -> bool:
        return (
            name in self.inputs
            or name in self.attributes
            or name in self.derived_ids
            or name in self.rollup_ids
        )

    def _zero_policy(
        self, t: Mapping[str, Any], p: Path, choices: tuple[str, ...]
    ) -> str | Decimal:
        if "on_zero_division" not in t:
            return "error"
        v = t["on_zero_division"]
        if isinstance(v, str):
            return self.r.string(v, (*p, "on_zero_division"), choices) or "error"
        return self.r.number(v, (*p, "on_zero_division")) or Decimal(0)

    # -- the tree --------------------------------------------------------------------
    def _indicators(self) -> dict[str, Indicator]:
        r = self.r
        out: dict[str, Indicator] = {}
        options = [*self.inputs, *self.attributes, *self.rollup_ids, *self.derived_ids]
        for name, spec in self.indicators_raw.items():
            p: Path = ("indicator", name)
            t = r.table(spec, p, _INDICATOR_KEYS)
            kinds = [k for k in rulebook.RULE_KEYS if k in t]
            if len(kinds) > 1:
                r.problem(p, "an indicator has one rule; found " + ", ".join(kinds))
                continue
            kind = kinds[0] if kinds else None
            points = r.number(t["points"], (*p, "points")) if "points" in t else None
            weight = r.number(t["weight"], (*p, "weight"), positive=True) if "weight" in t else None
            effect = r.string(
                t.get("effect", "score"), (*p, "effect"), ("score", "bonus", "deduction")
            )
            parent = r.string(t.get("parent", TOTAL), (*p, "parent"))
            value = None
            reads: tuple[str, ...] = ()
            if kind in ("condition", "formula"):
                if "value" in t:
                    r.problem((*p, "value"), f"a {kind} is its own value; drop value")
                value = r.expression(t[kind], (*p, kind), self.known_data, options)
            elif kind in ("count", "classify"):
                if "value" in t:
                    r.problem((*p, "value"), f"a {kind} reads its inputs itself; drop value")
            else:
                source = t.get("value", name)
                if "value" not in t and not self.known_data(name):
                    r.problem(
                        p,
                        'no value: add value = "…", or name the indicator after an input',
                        did_you_mean(name, options),
                    )
                else:
                    value = r.expression(source, (*p, "value"), self.known_data, options)
            value_input = None
            if value is not None and value.source in self.inputs:
                value_input = self.inputs[value.source]
            elif value is not None and value.source in self.rollup_domains:
                value_input = self.rollup_domains[value.source]  # a share lies in [0, 100]
            reported = len(r.problems)
            rule = rulebook.read_rule(
                r, kind, t.get(kind) if kind else None, t, p, points, value_input
            )
            if rule is None and len(r.problems) == reported:
                # Never drop an indicator silently.
                r.problem((*p, str(kind)), f"this {kind} rule cannot be read")
            if kind in ("count", "classify") and rule is not None:
                reads = tuple(rule.reads)
                for n in reads:
                    if not self.known_data(n):
                        r.problem((*p, kind), f"unknown input {n!r}", did_you_mean(n, options))
            missing = t.get("missing", "error")
            if not isinstance(missing, str):
                missing = r.number(missing, (*p, "missing")) or Decimal(0)
            else:
                missing = r.string(missing, (*p, "missing"), MISSING_POLICIES) or "error"
            zero = self._zero_policy(t, p, ZERO_DIVISION_POLICIES)
            if zero == "full" and points is None:
                r.problem((*p, "on_zero_division"), '"full" gives the points: declare points')
            vr = r.rounding(t["round_value"], (*p, "round_value")) if "round_value" in t else None
            pr = (
                r.rounding(t["round_points"], (*p, "round_points")) if "round_points" in t else None
            )
            if rule is None or effect is None or parent is None:
                continue
            if effect != "score" and points is None and kind not in ("count",):
                r.problem(p, f"a {effect} needs points (its most)")
            if effect == "deduction" and kind == "deduct":
                # A deduct rule gives the points left; as a deduction those would be taken off.
                r.problem(
                    (*p, "effect"),
                    "a deduct rule gives the points left after its deductions, so as a "
                    "deduction it would take off the points kept",
                    'for "each … deducts …, at most …" use count with effect = "deduction"',
                )
            if points is not None and points < 0:
                r.problem((*p, "points"), f"points are the most an item gives: {points} < 0")
            for where, amount in rulebook.fixed_points(rule):
                if points is not None and points >= 0 and not 0 <= amount <= points:
                    r.problem((*p, *where), f"{amount} points is outside [0, {points}]")
            # "If the concentration rose, this item scores 0": a gate over any rule.
            zero_if = (
                r.expression(t["zero_if"], (*p, "zero_if"), self.known_data, options)
                if "zero_if" in t
                else None
            )
            out[name] = Indicator(
                id=name,
                parent=parent,
                rule=rule,
                label=r.label(t, p),
                points=points,
                weight=weight,
                effect=effect,
                value=value,
                value_rounding=vr,
                points_rounding=pr,
                missing=missing,
                on_zero_division=zero,
                reads=reads,
                cohort=kind in rulebook.COHORT_KINDS,
                zero_if=zero_if,
            )
        return out

    def _nodes(self, indicators: Mapping[str, Indicator]) -> dict[str, Node]:
        r = self.r
        specs: dict[str, tuple[Path, dict[str, Any]]] = {}
        for name, spec in self.nodes_raw.items():
            specs[name] = (("node", name), r.table(spec, ("node", name), _NODE_KEYS))
        total = r.table(
            self.doc.get("total", {}),
            ("total",),
            [k for k in _NODE_KEYS if k not in ("parent", "weight")],
        )
        specs[TOTAL] = (("total",), total)
        children: dict[str, list[str]] = {n: [] for n in specs}
        parents: dict[str, str | None] = {TOTAL: None}
        for name, (p, t) in specs.items():
            if name == TOTAL:
                continue
            parent = r.string(t.get("parent", TOTAL), (*p, "parent"))
            if parent is not None and parent not in specs:
                r.problem((*p, "parent"), f"no node named {parent!r}", did_you_mean(parent, specs))
            elif parent is not None:
                children[parent].append(name)
                parents[name] = parent
        for ind in indicators.values():
            if ind.parent not in specs:
                r.problem(
                    ("indicator", ind.id, "parent"),
                    f"no node named {ind.parent!r}",
                    did_you_mean(ind.parent, specs),
                )
            else:
                children[ind.parent].append(ind.id)
        self._check_node_cycles(parents)
        nodes: dict[str, Node] = {}
        for name, (p, t) in specs.items():
            nodes[name] = self._node(
                name, p, t, parents.get(name), tuple(children[name]), indicators, specs
            )
        self._check_points(nodes, indicators)
        return nodes

    def _node(
        self,
        name: str,
        p: Path,
        t: dict[str, Any],
        parent: str | None,
        kids: tuple[str, ...],
        indicators: Mapping[str, Indicator],
        specs: Mapping[str, tuple[Path, dict[str, Any]]],
    ) -> Node:
        r = self.r
        aggregate = (
            r.string(
                t.get("aggregate", "formula" if "formula" in t else "sum"),
                (*p, "aggregate"),
                AGGREGATES,
            )
            or "sum"
        )
        formula = None
        if aggregate == "formula":
            options = [*kids, *self.inputs, *self.attributes, *self.derived_ids]
            formula = r.expression(
                r.required(t, "formula", p),
                (*p, "formula"),
                lambda n: n in kids or self.known_data(n),
                options,
            )
        elif "formula" in t:
            r.problem((*p, "formula"), f'a formula needs aggregate = "formula", not {aggregate!r}')
        if not kids and name not in self.unloaded_parents:
            r.problem(
                p,
                "this node has no children" if name != TOTAL else "the criteria have no indicators",
            )
        if aggregate in ("weighted-mean", "geometric-mean"):
            for kid in kids:
                weight = (
                    indicators[kid].weight if kid in indicators else specs[kid][1].get("weight")
                )
                if weight is None and aggregate == "weighted-mean":
                    where = ("indicator", kid) if kid in indicators else ("node", kid)
                    r.problem(where, f"a child of the weighted mean {name!r} needs a weight")
        else:
            for kid in kids:
                has_weight = (
                    indicators[kid].weight is not None
                    if kid in indicators
                    else "weight" in specs[kid][1]
                )
                if has_weight:
                    where = ("indicator", kid) if kid in indicators else ("node", kid)
                    r.problem(
                        (*where, "weight"),
                        f"a weight does nothing in {name!r}, a {aggregate}",
                        'weights count in aggregate = "weighted-mean" or "geometric-mean"',
                    )
        if aggregate != "sum":
            for kid in kids:
                if kid in indicators and indicators[kid].effect != "score":
                    r.problem(
                        ("indicator", kid, "effect"),
                        f"bonuses and deductions go in a sum; {name!r} is a {aggregate}",
                    )
        argmax = None
        if "argmax" in t:
            a = r.table(t["argmax"], (*p, "argmax"), (*LABEL_KEYS, "above"))
            if aggregate != "max":
                r.problem((*p, "argmax"), 'argmax goes with aggregate = "max"')
            above = r.number(a["above"], (*p, "argmax", "above")) if "above" in a else None
            argmax = ArgMax(r.label(a, (*p, "argmax")), above)
        points = r.number(t["points"], (*p, "points")) if "points" in t else None
        weight = r.number(t["weight"], (*p, "weight"), positive=True) if "weight" in t else None
        rounding = r.rounding(t["round"], (*p, "round")) if "round" in t else None
        rescale = r.boolean(t.get("rescale_excluded", False), (*p, "rescale_excluded"))
        # "加分合计不超过5分", "总分不超过100分": a cap on what the children add up to.
        at_most = r.number(t["at_most"], (*p, "at_most")) if "at_most" in t else None
        return Node(
            name,
            parent,
            aggregate,
            r.label(t, p),
            points,
            weight,
            formula,
            rounding,
            argmax,
            bool(rescale),
            kids,
            at_most,
        )

    def _check_node_cycles(self, parents: Mapping[str, str | None]) -> None:
        """Report the first cycle among the nodes, then how deep the tree goes.

        Each node's depth is worked out once (a loop, remembered as it goes), so a tree
        of thousands of levels costs as much as a wide one, and a tree deeper than
        ``limits.tree_depth`` is refused here, before anything walks it.
        """
        depth: dict[str, int] = {}
        limit = self.r.limits.tree_depth
        cycle_found = False
        for start in parents:
            path: list[str] = []
            on_path: set[str] = set()
            node: str | None = start
            while node is not None and node not in depth:
                if node in on_path:
                    if not cycle_found:
                        self.r.problem(
                            ("node", start, "parent"),
                            "nodes form a cycle: " + " → ".join([*path, node]),
                        )
                        cycle_found = True
                    for member in path:
                        depth[member] = -1  # in or above a cycle: no depth
                    break
                path.append(node)
                on_path.add(node)
                node = parents.get(node)
            else:
                # The root, a node with no known parent, or one already worked out.
                level = 0 if node is None else depth[node]
                for member in reversed(path):
                    level = -1 if level < 0 else level + 1
                    depth[member] = level
        if cycle_found:
            return
        # The total is level 1 of these counts, so a node is `level - 1` below it, and an
        # indicator as many levels as its node's count.
        too_deep = [name for name, level in depth.items() if level - 1 > limit]
        for name, raw in self.indicators_raw.items():
            parent = raw.get("parent", TOTAL) if isinstance(raw, dict) else TOTAL
            if isinstance(parent, str) and depth.get(parent, 0) > limit:
                too_deep.append(name)
                break
        if too_deep:
            name = too_deep[0]
            deepest = max(depth.values(), default=1) - 1
            where = ("indicator", name) if name in self.indicators_raw else ("node", name)
            self.r.problem(
                (*where, "parent"),
                f"the indicator tree is more than {limit} levels deep here "
                f"({deepest} levels of nodes in all)",
                "see docs/limits.md: Limits(tree_depth=…) raises it",
            )

    def _check_points(self, nodes: Mapping[str, Node], indicators: Mapping[str, Indicator]) -> None:
        for node in nodes.values():
            if node.aggregate != "sum" or node.points is None or node.id in self.unloaded_parents:
                continue
            total = Decimal(0)
            for kid in node.children:
                item: Any = indicators.get(kid) or nodes.get(kid)
                if item is None:
                    return
                if isinstance(item, Indicator) and item.effect != "score":
                    continue
                if item.points is None:
                    break
                total += item.points
            else:
                if total != node.points:
                    where = ("total",) if node.id == TOTAL else ("node", node.id)
                    self.r.problem(
                        (*where, "points"),
                        f"the children's points add up to {total}, not {node.points}",
                    )
