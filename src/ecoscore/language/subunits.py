"""The loader's part for sub-units and roll-ups: ``[subunits.<id>]`` and ``[rollup.<id>]``.

A sub-unit table declares the rows that belong to each unit (a county's water sections,
its air stations): the column of a sub-unit's id (``key``), the column naming its unit
(``belongs_to``), optionally the column of its period (``period``), and its inputs with
their types, ranges and, for ordered categories (``type = "class"``), the classes best
first. A roll-up is a unit's figure aggregated from one such table; to every rule that
reads it, it is a unit input like any other.

Checks, each reported at its key: the table and the columns a roll-up names, the keys
each aggregate takes (``when`` for a count or a share, ``value`` for the others; a
``worst`` or ``best`` reads one class input), the expressions (names of the table's
inputs only, with a "did you mean"), the classes written in them (``'III'`` for ``'Ⅲ'``
is refused, and so is ordering classes with ``<``: their order is declared for
``worst``/``best``), and the policies.
"""

from __future__ import annotations

import ast
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ecoscore import expr
from ecoscore.language.reader import Path, TableReader, did_you_mean
from ecoscore.model import ROLLUP_AGGREGATES, Input, Label, Rollup, SubunitTable

__all__ = ["ROLLUP_KEYS", "SUBUNIT_KEYS", "Subunits", "read_subunits"]

#: The keys of a ``[subunits.<id>]`` table.
SUBUNIT_KEYS = ("zh", "en", "key", "belongs_to", "period", "inputs", "file", "note")
#: The keys of a ``[rollup.<id>]`` table.
ROLLUP_KEYS = (
    "zh",
    "en",
    "unit",
    "from",
    "aggregate",
    "when",
    "value",
    "where",
    "round",
    "if_missing",
    "if_empty",
    "note",
)
_INPUT_KEYS = ("zh", "en", "unit", "type", "min", "max", "integer", "values", "note")
_TYPES = ("number", "text", "bool", "class")
_IF_MISSING = ("leave-out", "not-met", "error")
_IF_EMPTY = ("missing", "error")
#: Which expression keys each aggregate takes: (required, allowed).
_EXPRESSION_KEYS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "count": ((), ("when", "where")),
    "share": (("when",), ("when", "where")),
    **dict.fromkeys(
        ("sum", "mean", "min", "max", "worst", "best"), (("value",), ("value", "where"))
    ),
}
_ORDERING = (ast.Lt, ast.LtE, ast.Gt, ast.GtE)


@attrs.frozen
class Subunits:
    """What the loader needs of the sub-units: the tables, the roll-ups, and for each
    roll-up the range its figure lies in (bands on it are checked over that range)."""

    tables: Mapping[str, SubunitTable]
    rollups: Mapping[str, Rollup]
    domains: Mapping[str, Input]

    def text_rollups(self) -> dict[str, str]:
        """The roll-ups whose figure is a class (a text), not a number."""
        return {r.id: "texts" for r in self.rollups.values() if r.aggregate in ("worst", "best")}


def read_subunits(r: TableReader, doc: Mapping[str, Any]) -> Subunits:
    """Every ``[subunits.<id>]`` and ``[rollup.<id>]`` of the document, in file order."""
    tables = {
        str(ident): _table(r, str(ident), spec)
        for ident, spec in r.table(doc.get("subunits", {}), ("subunits",)).items()
    }
    rollups: dict[str, Rollup] = {}
    domains: dict[str, Input] = {}
    for ident, spec in r.table(doc.get("rollup", {}), ("rollup",)).items():
        rollup = _rollup(r, str(ident), spec, tables)
        if rollup is not None:
            rollups[rollup.id] = rollup
            domain = _domain(rollup, tables[rollup.table])
            if domain is not None:
                domains[rollup.id] = domain
    return Subunits(tables, rollups, domains)


# -- tables ------------------------------------------------------------------------------


def _table(r: TableReader, ident: str, spec: Any) -> SubunitTable:
    p: Path = ("subunits", ident)
    t = r.table(spec, p, SUBUNIT_KEYS)
    raw_key = r.required(t, "key", p)
    key_label = Label()
    if isinstance(raw_key, dict):
        # key = { id = "section", zh = "断面名称", en = "Section" }: the names of the column.
        k = r.table(raw_key, (*p, "key"), ("id", "zh", "en"))
        key_label = r.label(k, (*p, "key"))
        raw_key = r.required(k, "id", (*p, "key"))
    key = r.string(raw_key, (*p, "key")) or "key"
    unit = r.string(t.get("belongs_to", "unit"), (*p, "belongs_to")) or "unit"
    period = r.string(t["period"], (*p, "period")) if "period" in t else None
    file = r.string(t["file"], (*p, "file")) if "file" in t else None
    if "inputs" not in t:
        r.problem(p, "missing required key 'inputs'", "declare the sub-units' figures")
    inputs = _inputs(r, r.table(t.get("inputs", {}), (*p, "inputs")), (*p, "inputs"))
    columns = [("key", key), ("belongs_to", unit)] + ([("period", period)] if period else [])
    seen: dict[str, str] = {}
    for what, column in columns:
        if column in inputs:
            r.problem((*p, what), f"{column!r} is also an input of the table")
        elif column in seen:
            r.problem((*p, what), f"{column!r} is already the {seen[column]} column")
        seen[column] = what
    return SubunitTable(ident, key, unit, period, r.label(t, p), inputs, key_label, file)


def _inputs(r: TableReader, raw: Mapping[str, Any], p: Path) -> dict[str, Input]:
    """A table's inputs, read as ``[inputs]`` is, with ``type = "class"`` besides."""
    out: dict[str, Input] = {}
    for name, spec in raw.items():
        q: Path = (*p, name)
        if isinstance(spec, str):
            spec = {"zh": spec}  # noqa: PLW2901 (a bare label is shorthand)
        t = r.table(spec, q, _INPUT_KEYS)
        kind = r.string(t.get("type", "number"), (*q, "type"), _TYPES) or "number"
        values = tuple(str(v) for v in r.array(t.get("values", []), (*q, "values")))
        if kind == "class" and not values:
            r.problem(q, "a class input lists its classes, best first", 'values = ["Ⅰ", "Ⅱ", …]')
        if len(set(values)) != len(values):
            r.problem((*q, "values"), "a value is listed twice")
        bounds: list[Decimal | str | None] = []
        for key in ("min", "max"):
            v = t.get(key)
            if isinstance(v, str) and v in raw:
                bounds.append(v)  # bounded by another input of the same row
            else:
                bounds.append(None if v is None else r.number(v, (*q, key)))
        integer = r.boolean(t.get("integer", False), (*q, "integer"))
        unit = r.string(t["unit"], (*q, "unit")) if "unit" in t else None
        out[str(name)] = Input(
            str(name), r.label(t, q), unit, kind, bounds[0], bounds[1], bool(integer), values
        )
    return out


# -- roll-ups ----------------------------------------------------------------------------


def _rollup(
    r: TableReader, ident: str, spec: Any, tables: Mapping[str, SubunitTable]
) -> Rollup | None:
    p: Path = ("rollup", ident)
    t = r.table(spec, p, ROLLUP_KEYS)
    source = r.string(r.required(t, "from", p), (*p, "from"))
    aggregate = r.string(r.required(t, "aggregate", p), (*p, "aggregate"), ROLLUP_AGGREGATES)
    table = tables.get(source) if source is not None else None
    if source is not None and table is None:
        r.problem((*p, "from"), f"no sub-unit table named {source!r}", did_you_mean(source, tables))
    if aggregate is None or table is None:
        return None
    required, allowed = _EXPRESSION_KEYS[aggregate]
    for key in ("when", "value", "where"):
        if key in t and key not in allowed:
            r.problem((*p, key), f"a {aggregate} roll-up takes no {key}")
    for key in required:
        r.required(t, key, p)
    exprs = {
        key: _expression(r, t[key], (*p, key), table)
        for key in ("when", "value", "where")
        if key in t and key in allowed
    }
    classes: tuple[str, ...] = ()
    value = exprs.get("value")
    if value is not None and aggregate in ("worst", "best"):
        spec_in = table.inputs.get(value.plain or "")
        if spec_in is None or spec_in.type != "class":
            r.problem(
                (*p, "value"),
                f"a {aggregate} reads one class input of {table.id!r}, not {value.source!r}",
                _class_inputs(table),
            )
        else:
            classes = spec_in.values
    elif value is not None and value.plain is not None and value.plain in table.inputs:
        kind = table.inputs[value.plain].type
        if kind != "number":
            r.problem((*p, "value"), f"a {aggregate} adds up numbers; {value.plain} is a {kind}")
    if_missing = r.string(t.get("if_missing", "leave-out"), (*p, "if_missing"), _IF_MISSING)
    if if_missing == "not-met" and aggregate not in ("count", "share"):
        r.problem(
            (*p, "if_missing"),
            f'"not-met" keeps a sub-unit in a count or share as not counted; a {aggregate} has'
            " nothing to keep it in",
        )
    if_empty: str | Decimal | None = "missing"
    if "if_empty" in t:
        v = t["if_empty"]
        if isinstance(v, str) and not _numeric(v):
            if_empty = r.string(v, (*p, "if_empty"), _IF_EMPTY)
        else:
            if_empty = r.number(v, (*p, "if_empty"))
            if if_empty is not None and aggregate in ("worst", "best"):
                r.problem((*p, "if_empty"), f"a {aggregate} gives a class, not the number {v}")
    rounding = r.rounding(t["round"], (*p, "round")) if "round" in t else None
    if rounding is not None and aggregate in ("worst", "best"):
        r.problem((*p, "round"), f"a {aggregate} gives a class: there is nothing to round")
    unit = r.string(t["unit"], (*p, "unit")) if "unit" in t else None
    if any(e is None for e in exprs.values()):
        return None
    return Rollup(
        id=ident,
        table=table.id,
        aggregate=aggregate,
        label=r.label(t, p),
        when=exprs.get("when"),
        value=value,
        where=exprs.get("where"),
        rounding=rounding,
        if_missing=if_missing or "leave-out",
        if_empty=if_empty if if_empty is not None else "missing",
        classes=classes,
        unit=unit,
    )


def _expression(
    r: TableReader, value: Any, path: Path, table: SubunitTable
) -> expr.Expression | None:
    """An expression over the table's inputs; classes written in it must be declared."""
    names = list(table.inputs)
    e = r.expression(value, path, table.inputs.__contains__, names)
    if e is None:
        return None
    if e.previous:
        r.problem(path, "previous() reads a unit's figures; a roll-up reads its sub-units' rows")
        return None
    tree = ast.parse(f"(\n{e.source}\n)", mode="eval")
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            _check_classes(r, path, table, e.source, [node.left, *node.comparators], node.ops)
    return e


def _check_classes(
    r: TableReader,
    path: Path,
    table: SubunitTable,
    source: str,
    operands: list[ast.expr],
    ops: list[ast.cmpop],
) -> None:
    """A class compared with literals: each literal a declared class, no ``<``."""
    classes = {
        n.id: table.inputs[n.id]
        for n in operands
        if isinstance(n, ast.Name) and n.id in table.inputs and table.inputs[n.id].type == "class"
    }
    if not classes:
        return
    if any(isinstance(op, _ORDERING) for op in ops):
        r.problem(
            path,
            f"classes are not ordered by <, <=, > or >= in an expression: {source!r}",
            "name the classes: water_class in ('Ⅰ', 'Ⅱ', 'Ⅲ')",
        )
        return
    allowed = {v for spec in classes.values() for v in spec.values}
    for operand in operands:
        literals = operand.elts if isinstance(operand, ast.Tuple) else [operand]
        for literal in literals:
            if (
                isinstance(literal, ast.Constant)
                and isinstance(literal.value, str)
                and literal.value not in allowed
            ):
                names = ", ".join(classes)
                order = ", ".join(next(iter(classes.values())).values)
                roman = _roman(literal.value)
                r.problem(
                    path,
                    f"{literal.value!r} is not a class of {names} ({order})",
                    f"did you mean {roman!r}?"
                    if roman in allowed
                    else did_you_mean(literal.value, allowed),
                )


#: Roman numerals typed in ASCII, as the Unicode numerals water classes are written in.
_ROMAN = (("IV", "Ⅳ"), ("III", "Ⅲ"), ("II", "Ⅱ"), ("I", "Ⅰ"), ("V", "Ⅴ"))


def _roman(text: str) -> str:
    """``'III'`` → ``'Ⅲ'``, ``'劣V'`` → ``'劣Ⅴ'``: the class a person probably meant."""
    for ascii_, numeral in _ROMAN:
        text = text.replace(ascii_, numeral)
    return text


def _class_inputs(table: SubunitTable) -> str | None:
    names = [n for n, spec in table.inputs.items() if spec.type == "class"]
    return f"the class inputs: {', '.join(names)}" if names else 'declare a type = "class" input'


def _domain(rollup: Rollup, table: SubunitTable) -> Input | None:
    """The range a roll-up's figure lies in, for checking bands on it; ``None``: any."""
    if isinstance(rollup.if_empty, Decimal):
        return None  # the declared figure for no sub-unit may lie anywhere
    if rollup.aggregate == "share":
        return Input(rollup.id, Label(), minimum=Decimal(0), maximum=Decimal(100))
    if rollup.aggregate == "count":
        return Input(rollup.id, Label(), minimum=Decimal(0), integer=True)
    source = rollup.value.plain if rollup.value is not None else None
    spec = table.inputs.get(source or "")
    if rollup.aggregate in ("mean", "min", "max") and spec is not None and spec.type == "number":
        low = spec.minimum if isinstance(spec.minimum, Decimal) else None
        high = spec.maximum if isinstance(spec.maximum, Decimal) else None
        return Input(rollup.id, Label(), minimum=low, maximum=high)
    return None


def _numeric(text: str) -> bool:
    try:
        Decimal(text)
    except ArithmeticError:
        return False
    return True
