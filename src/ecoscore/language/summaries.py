"""The loader's part for summaries over units: ``[summary.<id>]`` → ``SummarySpec``.

Checks, each reported at its key: the aggregate and the keys it takes (``when`` for a
count or a share, ``value`` for a sum, mean, minimum or maximum, ``formula`` for a
formula), the expressions (unknown names get a "did you mean"), ``group_by`` (an
attribute), bands (overlaps and gaps, as an indicator's; every band gives a class), and
formulas: they read other summaries of the same ``group_by``, and never form a cycle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from ecoscore import expr, rules
from ecoscore.language.bounds import id_problem
from ecoscore.language.reader import Path, TableReader, topological
from ecoscore.language.rulebook import read_bands
from ecoscore.model import SUMMARY_AGGREGATES, Attribute, Indicator, Input, SummarySpec

__all__ = ["SUMMARY_KEYS", "read_summaries"]

#: The keys of a ``[summary.<id>]`` table.
SUMMARY_KEYS = (
    "zh",
    "en",
    "aggregate",
    "when",
    "value",
    "where",
    "formula",
    "group_by",
    "round",
    "bands",
    "note",
)

#: Which expression keys each aggregate takes: (required, allowed).
_EXPRESSION_KEYS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "count": ((), ("when", "where")),
    "share": (("when",), ("when", "where")),
    "sum": (("value",), ("value", "where")),
    "mean": (("value",), ("value", "where")),
    "min": (("value",), ("value", "where")),
    "max": (("value",), ("value", "where")),
    "formula": (("formula",), ("formula",)),
}

_WHY_NOT = {
    "when": "when chooses the units a count or a share counts; use where to choose units",
    "value": "value is the per-unit figure of a sum, mean, min or max",
    "where": "a formula combines other summaries; their where chooses the units",
    "formula": 'a formula goes with aggregate = "formula"',
}

#: The range of a share and of a count, within which their bands must leave no gap.
_DOMAINS = {
    "share": Input("share", minimum=Decimal(0), maximum=Decimal(100)),
    "count": Input("count", minimum=Decimal(0)),
}


def read_summaries(
    r: TableReader,
    doc: Mapping[str, Any],
    known: Callable[[str], bool],
    names: Iterable[str],
    attributes: Mapping[str, Attribute],
    indicators: Mapping[str, Indicator],
) -> tuple[SummarySpec, ...]:
    """Every ``[summary.<id>]``, in the order of the file.

    ``known``/``names`` are the names read after scoring (as in grade rules);
    ``indicators`` say which ids ``class_of(…)`` may read.
    """
    raw = r.table(doc.get("summary", {}), ("summary",))
    options = list(names)

    def gives_class(name: str) -> bool:
        ind = indicators.get(name)
        if ind is None:
            return False
        if isinstance(ind.rule, rules.Classify):
            return True
        return isinstance(ind.rule, rules.Bands) and any(b.label for b in ind.rule.bands)

    out: dict[str, SummarySpec] = {}
    for ident, spec in raw.items():
        p: Path = ("summary", ident)
        wrong = id_problem(ident)
        if wrong is not None:
            # A summary's formula reads other summaries by id: an id, as an input's is.
            r.problem(p, *wrong)
            continue
        t = r.table(spec, p, SUMMARY_KEYS)
        aggregate = r.string(r.required(t, "aggregate", p), (*p, "aggregate"), SUMMARY_AGGREGATES)
        if aggregate is None:
            continue
        required, allowed = _EXPRESSION_KEYS[aggregate]
        for key in ("when", "value", "where", "formula"):
            if key in t and key not in allowed:
                r.problem((*p, key), f"a {aggregate} summary takes no {key}", _WHY_NOT[key])
        for key in required:
            r.required(t, key, p)
        exprs: dict[str, expr.Expression | None] = {}
        for key in ("when", "value", "where"):
            if key in t and key in allowed:
                exprs[key] = _expression(r, t[key], (*p, key), known, options, gives_class)
        formula = None
        if "formula" in t and aggregate == "formula":
            formula = _expression(r, t["formula"], (*p, "formula"), raw.__contains__, list(raw))
            if formula is not None and formula.previous:
                r.problem((*p, "formula"), "previous() reads a unit's figures, not a summary's")
                formula = None
        group_by = r.attribute(t, "group_by", p, attributes)
        rounding = r.rounding(t["round"], (*p, "round")) if "round" in t else None
        bands = _summary_bands(r, t, p, aggregate) if "bands" in t else None
        out[ident] = SummarySpec(
            id=ident,
            aggregate=aggregate,
            label=r.label(t, p),
            when=exprs.get("when"),
            value=exprs.get("value"),
            where=exprs.get("where"),
            formula=formula,
            group_by=group_by,
            rounding=rounding,
            bands=bands,
            reads=tuple(sorted(formula.names)) if formula is not None else (),
        )
    _check_formulas(r, out)
    return tuple(out.values())


def _expression(
    r: TableReader,
    value: Any,
    path: Path,
    known: Callable[[str], bool],
    options: list[str],
    classes: Callable[[str], bool] | None = None,
) -> expr.Expression | None:
    """``TableReader.expression``, with ``class_of(…)`` allowed when ``classes`` is given."""
    return r.expression(value, path, known, options, classes)


def _summary_bands(
    r: TableReader, t: Mapping[str, Any], p: Path, aggregate: str
) -> rules.Bands | None:
    """An indicator's band syntax and checks; each band gives the figure a class."""
    where = (*p, "bands")
    bands = read_bands(r, t["bands"], where, _DOMAINS.get(aggregate))
    if not isinstance(bands, rules.Bands):
        return None
    for i, band in enumerate(bands.bands):
        # A band with neither points nor a class is already reported by read_bands.
        if band.points is not None:
            r.problem((*where, i), "a summary's band gives a class, not points", 'class = "…"')
    return bands


def _check_formulas(r: TableReader, specs: Mapping[str, SummarySpec]) -> None:
    """Formulas read summaries of the same groups, and never themselves."""
    for spec in specs.values():
        for name in spec.reads:
            other = specs.get(name)
            if other is None or other.group_by == spec.group_by or name == spec.id:
                continue
            r.problem(
                ("summary", spec.id, "formula"),
                f"{name} is grouped by {_grouping(other.group_by)},"
                f" {spec.id} by {_grouping(spec.group_by)}",
                "a formula combines figures of the same groups: give both the same group_by",
            )

    cycles: list[str] = []

    def cycle(name: str, path: list[str]) -> None:
        cycles.append(name)
        r.problem(("summary", name, "formula"), "summaries form a cycle: " + " → ".join(path))

    order = topological({name: spec.reads for name, spec in specs.items()}, cycle)
    if cycles:
        return
    # The engine works a summary out after those it reads, recursively: a chain of them is
    # bounded as the tree is (Limits.tree_depth).
    depth: dict[str, int] = {}
    for name in order:
        depth[name] = 1 + max((depth[d] for d in specs[name].reads if d in depth), default=0)
        if depth[name] > r.limits.tree_depth:
            r.problem(
                ("summary", name, "formula"),
                f"summaries read one another more than {r.limits.tree_depth} deep here",
                "see docs/limits.md: Limits(tree_depth=…) raises it",
            )
            return


def _grouping(group_by: str | None) -> str:
    return "nothing" if group_by is None else repr(group_by)
