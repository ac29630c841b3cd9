"""The rule keys of an indicator table, read into rule values (``ecoscore.rules``).

An indicator names exactly one rule kind by its key (``target``, ``linear``, ``bands`` …);
this module knows each kind's keys and how to check them. The loader calls
``read_rule`` for every indicator.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from ecoscore import rules
from ecoscore.language.reader import Path, TableReader
from ecoscore.model import Input
from ecoscore.rules.classify import Limit
from ecoscore.rules.target import COMPARATORS

__all__ = ["COHORT_KINDS", "RULE_KEYS", "fixed_points", "read_bands", "read_rule"]

#: Each rule kind's key in an indicator table.
RULE_KEYS = (
    "target",
    "condition",
    "linear",
    "formula",
    "proximity",
    "deduct",
    "bands",
    "piecewise",
    "classify",
    "rank",
    "efficacy",
    "count",
)

#: Rule kinds whose points depend on every unit's value.
COHORT_KINDS = ("rank", "efficacy")


def fixed_points(rule: Any) -> list[tuple[tuple[str | int, ...], Decimal]]:
    """Every fixed number of points a rule can give, with its key path in the indicator:
    they must lie within the indicator's [0, points]."""
    if isinstance(rule, rules.Bands):
        return [(("bands", i), b.points) for i, b in enumerate(rule.bands) if b.points is not None]
    if isinstance(rule, (rules.Target, rules.Condition)):
        otherwise = rule.missed if isinstance(rule, rules.Target) else rule.otherwise
        return [(("else",), otherwise)]
    if isinstance(rule, rules.Classify) and rule.points is not None:
        return [(("classify", "points", k), v) for k, v in rule.points.items()]
    return []


def read_rule(
    r: TableReader,
    kind: str | None,
    spec: Any,
    table: Mapping[str, Any],
    path: Path,
    points: Decimal | None,
    value_input: Input | None,
) -> Any:
    """The rule value for ``kind`` (``None``: points are the value itself)."""
    if kind is None:
        # Points are the value itself; declared points are its bounds, [0, points].
        return rules.Formula(low=None if points is None else Decimal(0), high=points)
    where = (*path, kind)

    def need_points() -> Decimal:
        if points is None:
            if "points" not in table:  # else a bad value, already reported
                r.problem(path, f"a {kind} rule needs the indicator's points")
            return Decimal(0)
        return points

    otherwise = r.number(table["else"], (*path, "else")) if "else" in table else None

    if kind == "target":
        t = r.table(spec, where, tuple(COMPARATORS))
        comparisons = [k for k in t if k in COMPARATORS]
        if len(comparisons) != 1:
            r.problem(where, "a target has exactly one of at_most, below, at_least, above, equal")
            return None
        threshold = r.number(t[comparisons[0]], (*where, comparisons[0]))
        if threshold is None:
            return None
        return rules.Target(comparisons[0], threshold, need_points(), otherwise or Decimal(0))

    if kind == "condition":
        return rules.Condition(need_points(), otherwise or Decimal(0))

    if kind == "formula":
        low = Decimal(0) if "floor" not in table else r.number(table["floor"], (*path, "floor"))
        return rules.Formula(low=low, high=points)

    if kind == "linear":
        t = r.table(spec, where, ("zero_at", "full_at"))
        zero_at = r.number(r.required(t, "zero_at", where), (*where, "zero_at"))
        full_at = r.number(r.required(t, "full_at", where), (*where, "full_at"))
        if zero_at is None or full_at is None:
            return None
        if zero_at == full_at:
            r.problem(where, "zero_at and full_at must differ")
            return None
        return rules.Linear(zero_at, full_at, need_points())

    if kind == "proximity":
        t = r.table(spec, where, ("best", "worst", "transform", "alpha"))
        best = r.number(r.required(t, "best", where), (*where, "best"))
        worst = r.number(r.required(t, "worst", where), (*where, "worst"))
        transform = r.string(
            t.get("transform", "identity"), (*where, "transform"), ("identity", "ln")
        )
        alpha = r.number(t.get("alpha", 0), (*where, "alpha")) or Decimal(0)
        if best is None or worst is None or transform is None:
            return None
        if best == worst:
            r.problem(where, "best and worst must differ")
            return None
        if transform == "ln" and min(best, worst) + alpha <= 0:
            r.problem(where, 'with transform = "ln", best + alpha and worst + alpha must be > 0')
            return None
        return rules.Proximity(best, worst, transform, alpha, points)

    if kind == "deduct":
        t = r.table(spec, where, ("below", "above", "each", "per", "whole_units"))
        sides = [k for k in ("below", "above") if k in t]
        if len(sides) != 1:
            r.problem(where, "a deduction has exactly one of below (higher is better) or above")
            return None
        target = r.number(t[sides[0]], (*where, sides[0]))
        each = r.number(r.required(t, "each", where), (*where, "each"), positive=True)
        per = r.number(t.get("per", 1), (*where, "per"), positive=True)
        whole = r.boolean(t.get("whole_units", False), (*where, "whole_units"))
        if target is None or each is None or per is None or whole is None:
            return None
        return rules.Deduct(target, sides[0] == "below", each, need_points(), per, whole)

    if kind == "bands":
        return read_bands(r, spec, where, value_input)

    if kind == "piecewise":
        t = r.table(spec, where, ("breakpoints", "values", "beyond"))
        if any(r.too_many(t.get(key), (*where, key), key) for key in ("breakpoints", "values")):
            return None
        bps = [
            r.number(v, (*where, "breakpoints", i))
            for i, v in enumerate(
                r.array(r.required(t, "breakpoints", where), (*where, "breakpoints"))
            )
        ]
        vals = [
            r.number(v, (*where, "values", i))
            for i, v in enumerate(r.array(r.required(t, "values", where), (*where, "values")))
        ]
        beyond = r.number(t["beyond"], (*where, "beyond")) if "beyond" in t else None
        if None in bps or None in vals:
            return None
        if len(bps) != len(vals) or len(bps) < 2:
            r.problem(
                where,
                f"needs as many values as breakpoints, at least 2 "
                f"(got {len(bps)} breakpoints and {len(vals)} values)",
            )
            return None
        if any(b >= a for b, a in itertools.pairwise(bps) if b is not None and a is not None):
            r.problem((*where, "breakpoints"), "breakpoints must increase strictly")
            return None
        return rules.Piecewise(tuple(bps), tuple(vals), beyond)  # type: ignore[arg-type]

    if kind == "classify":
        return _classify(r, spec, where)

    if kind == "rank":
        t = r.table(spec, where, ("better", "first", "step", "floor", "ties"))
        better = r.string(t.get("better", "higher"), (*where, "better"), ("higher", "lower"))
        first = r.number(t["first"], (*where, "first")) if "first" in t else need_points()
        step = r.number(r.required(t, "step", where), (*where, "step"))
        floor = r.number(t.get("floor", 0), (*where, "floor"))
        ties = r.string(t.get("ties", "competition"), (*where, "ties"), ("competition", "dense"))
        if None in (better, first, step, floor, ties):
            return None
        return rules.RankPoints(better == "higher", first, step, floor, ties == "dense")  # type: ignore[arg-type]

    if kind == "efficacy":
        t = r.table(spec, where, ("better", "base", "span", "when_all_equal"))
        better = r.string(t.get("better", "higher"), (*where, "better"), ("higher", "lower"))
        base = r.number(t.get("base", 60), (*where, "base"))
        span = r.number(t.get("span", 40), (*where, "span"))
        equal = (
            r.number(t["when_all_equal"], (*where, "when_all_equal"))
            if "when_all_equal" in t
            else None
        )
        if better is None or base is None or span is None:
            return None
        return rules.Efficacy(better == "higher", base, span, equal, points)

    if kind == "count":
        items = []
        if r.too_many(spec, where, "items"):
            return None
        for i, item in enumerate(r.array(spec, where)):
            t = r.table(item, (*where, i), ("of", "each", "at_most"))
            name = r.string(r.required(t, "of", (*where, i)), (*where, i, "of"))
            each = r.number(r.required(t, "each", (*where, i)), (*where, i, "each"))
            cap = r.number(t["at_most"], (*where, i, "at_most")) if "at_most" in t else None
            if name is not None and each is not None:
                items.append(rules.CountItem(name, each, cap))
        if not items:
            r.problem(where, "a count needs at least one item")
            return None
        return rules.Count(tuple(items), points)

    raise AssertionError(kind)


def read_bands(r: TableReader, spec: Any, where: Path, value_input: Input | None) -> Any:
    """Bands, checked for overlaps and for gaps within the value's declared range."""
    bounds = ("at_least", "above", "at_most", "below")
    bands: list[rules.Band] = []
    if r.too_many(spec, where, "bands"):
        return None
    for i, item in enumerate(r.array(spec, where)):
        p = (*where, i)
        t = r.table(item, p, (*bounds, "points", "class", "otherwise"))
        pts = r.number(t["points"], (*p, "points")) if "points" in t else None
        label = r.string(t["class"], (*p, "class")) if "class" in t else None
        if "otherwise" in t:
            other = t["otherwise"]
            if any(k in t for k in bounds):
                r.problem(p, "an otherwise band has no bounds")
            if not isinstance(other, bool):
                # `{ otherwise = 0 }` is shorthand for `{ otherwise = true, points = 0 }`.
                pts = r.number(other, (*p, "otherwise"))
            elif "points" not in t and "class" not in t:
                r.problem(p, "a band needs points or a class")
            bands.append(rules.Band(points=pts, label=label, otherwise=True))
            continue
        if "points" not in t and "class" not in t:
            r.problem(p, "a band needs points or a class")
        if "at_least" in t and "above" in t:
            r.problem(p, "a band has at_least or above, not both")
        if "at_most" in t and "below" in t:
            r.problem(p, "a band has at_most or below, not both")
        low_key = "at_least" if "at_least" in t else "above" if "above" in t else None
        high_key = "at_most" if "at_most" in t else "below" if "below" in t else None
        if low_key is None and high_key is None:
            r.problem(p, "a band needs a bound (at_least, above, at_most, below) or otherwise")
            continue
        low = r.number(t[low_key], (*p, low_key)) if low_key else None
        high = r.number(t[high_key], (*p, high_key)) if high_key else None
        if (
            low is not None
            and high is not None
            and (
                low > high
                or (low == high and not (low_key == "at_least" and high_key == "at_most"))
            )
        ):
            r.problem(p, f"the band is empty: {low_key} {low}, {high_key} {high}")
        bands.append(rules.Band(low, low_key != "above", high, high_key == "at_most", pts, label))
    if not bands:
        r.problem(where, "bands need at least one band")
        return None
    if sum(b.otherwise for b in bands) > 1:
        r.problem(where, "only one band may be otherwise")
    others = [i for i, b in enumerate(bands) if b.otherwise]
    if others and others[0] != len(bands) - 1:
        r.problem((*where, others[0]), "the otherwise band comes last")
    low = high = None
    if value_input is not None:
        low = value_input.minimum if isinstance(value_input.minimum, Decimal) else None
        high = value_input.maximum if isinstance(value_input.maximum, Decimal) else None
    overlaps, gaps = rules.band_coverage(bands, low, high)
    for i, j, overlap in overlaps:
        r.problem((*where, j), f"band {j} {bands[j]} overlaps band {i} {bands[i]} on {overlap}")
    if gaps:
        r.problem(
            where,
            "no band covers " + ", ".join(gaps),
            "add a band for it, or an { otherwise = … } band",
        )
    return rules.Bands(tuple(bands))


def _classify(r: TableReader, spec: Any, where: Path) -> Any:
    t = r.table(spec, where, ("classes", "worse", "at_most", "at_least", "within", "points"))
    if r.too_many(t.get("classes"), (*where, "classes"), "classes"):
        return None
    classes = [
        r.string(c, (*where, "classes", i))
        for i, c in enumerate(r.array(r.required(t, "classes", where), (*where, "classes")))
    ]
    worse = r.string(r.required(t, "worse", where), (*where, "worse"))
    limits: list[Limit] = []
    for direction in ("at_most", "at_least", "within"):
        for name, values in r.table(t.get(direction, {}), (*where, direction)).items():
            p = (*where, direction, name)
            nums = [r.number(v, (*p, i)) for i, v in enumerate(r.array(values, p))]
            want = 2 if direction == "within" else len(classes)
            if len(nums) != want:
                r.problem(p, f"needs {want} limits, got {len(nums)}")
            elif None not in nums:
                limits.append(Limit(name, direction, tuple(nums)))  # type: ignore[arg-type]
    points = None
    if "points" in t:
        points = {}
        for label, value in r.table(t["points"], (*where, "points")).items():
            if label not in (*classes, worse):
                r.problem((*where, "points", label), f"{label!r} is not one of the classes")
            n = r.number(value, (*where, "points", label))
            if n is not None:
                points[label] = n
    if not limits:
        r.problem(where, "a classification needs limits (at_most, at_least or within)")
        return None
    if None in classes or worse is None or not classes:
        return None
    return rules.Classify(tuple(classes), worse, tuple(limits), points)  # type: ignore[arg-type]
