"""Warnings about criteria that load but are probably not what their author meant.

``lint(criteria)`` never refuses a file (that is the loader's job); it points at things
worth a second look, each a ``Problem`` at its key:

- an input, attribute, roll-up or derived value that nothing reads (no indicator,
  derived value, node formula, grade rule, ranking, summary or input bound), and a
  sub-unit table that no roll-up reads;
- an indicator or node with no label in either language, which every report then shows
  by its id;
- two inputs or attributes with the same label, so that a data column named by that
  label cannot be told apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ecoscore.errors import Location, Problem
from ecoscore.expr.expression import Expression
from ecoscore.language.sourcemap import path_text
from ecoscore.model import Attribute, Criteria, Input

__all__ = ["lint", "names_read"]


def _expression_names(expression: Expression | None) -> set[str]:
    if expression is None:
        return set()
    return set(expression.names) | {name for name, _ in expression.previous}


def names_read(criteria: Criteria) -> frozenset[str]:
    """Every input, attribute or derived name that something in the criteria reads."""
    read: set[str] = set()
    for ind in criteria.indicators.values():
        read |= set(ind.reads) | _expression_names(ind.value)
    for derived in criteria.derived:
        read |= _expression_names(derived.expression)
    for node in criteria.nodes.values():
        read |= _expression_names(node.formula)
    if criteria.grades is not None:
        for rule in criteria.grades.rules:
            read |= _expression_names(rule.when)
    for spec in criteria.rankings:
        read |= {spec.by, *(b.by for b in spec.tie_break)} | _expression_names(spec.exclude)
        if spec.group_by is not None:
            read.add(spec.group_by)
    for figure in criteria.inputs.values():
        read |= {b for b in (figure.minimum, figure.maximum) if isinstance(b, str)}
    for summary in criteria.summaries:
        for e in (summary.when, summary.value, summary.where):
            read |= _expression_names(e)
        if summary.group_by is not None:
            read.add(summary.group_by)
    return frozenset(read)


def lint(
    criteria: Criteria, positions: Mapping[str, tuple[int, int]] | None = None
) -> tuple[Problem, ...]:
    """Warnings about ``criteria``, in the order of its tables.

    ``positions`` maps key paths to (line, column) (``ecoscore.language.sourcemap.key_positions``
    of the file's text) to locate each warning at its line.
    """
    where = _Locator(criteria.path, positions or {})
    warnings: list[Problem] = []
    read = names_read(criteria)
    tables: tuple[tuple[str, Iterable[str], str], ...] = (
        ("inputs", criteria.inputs, "input"),
        ("attributes", criteria.attributes, "attribute"),
        ("derived", (d.id for d in criteria.derived), "derived value"),
        ("rollup", criteria.rollups, "roll-up"),
    )
    for table, names, what in tables:
        for name in names:
            if name not in read:
                warnings.append(
                    Problem(
                        f"{what} {name!r} is read by nothing (未被使用)",
                        where(table, name),
                        "use it in a rule, or delete it",
                    )
                )
    rolled = {r.table for r in criteria.rollups.values()}
    for name in criteria.subunits:
        if name not in rolled:
            warnings.append(
                Problem(
                    f"sub-unit table {name!r} is read by no roll-up (未被使用)",
                    where("subunits", name),
                    "roll it up in a [rollup.…], or delete it",
                )
            )
    seen: dict[str, str] = {}
    specs: list[Input | Attribute] = [*criteria.inputs.values(), *criteria.attributes.values()]
    for spec in specs:
        table = "inputs" if spec.id in criteria.inputs else "attributes"
        for text in dict.fromkeys(t for t in (spec.label.zh, spec.label.en) if t):
            if text in seen and seen[text] != spec.id:
                warnings.append(
                    Problem(
                        f"{spec.id!r} has the label {text!r}, as {seen[text]!r} has (名称重复)",
                        where(table, spec.id),
                        "a data column with this name could be either; give each its own label",
                    )
                )
            seen.setdefault(text, spec.id)
    for ind in criteria.indicators.values():
        named = ind.id in criteria.inputs or ind.id in criteria.rollups
        if not (ind.label.zh or ind.label.en) and not named:
            warnings.append(
                Problem(
                    f"indicator {ind.id!r} has no label (缺少名称)",
                    where("indicator", ind.id),
                    'add zh = "…" and en = "…"',
                )
            )
    for node in criteria.nodes.values():
        if node.parent is not None and not (node.label.zh or node.label.en):
            warnings.append(
                Problem(
                    f"node {node.id!r} has no label (缺少名称)",
                    where("node", node.id),
                    'add zh = "…" and en = "…"',
                )
            )
    return tuple(warnings)


class _Locator:
    """Locations of criteria keys, with their line where the file's text gave one."""

    def __init__(self, path: str | None, positions: Mapping[str, tuple[int, int]]) -> None:
        self.path = path
        self.positions = positions

    def __call__(self, *parts: str) -> Location:
        key = path_text(parts)
        for n in range(len(parts), 0, -1):
            found = self.positions.get(path_text(parts[:n]))
            if found is not None:
                return Location(self.path, found[0], found[1], key)
        return Location(self.path, key=key)
