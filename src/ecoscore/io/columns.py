"""How a column header or a cell names an input, an attribute or a unit of the criteria.

Submissions (``ecoscore.io.submissions``), published tables (``ecoscore.audit.verify``) and
blank forms (``ecoscore.report.template``) name things the same way, defined here once.

Names are compared loosely (``normalise``): case, spaces and full-width forms (``（）``,
``ＰＭ``) do not matter. The unit column is the first one named like ``UNIT_COLUMNS``
(``unit``, ``单位``, ``地区``, ``县(市、区)``, ``name`` …). An input's or attribute's
column is named by its id, its Chinese or English label, either followed by anything in
brackets (``PM2.5 年均浓度 (µg/m³)`` as ``column_headers`` writes it, or
``PM2.5年均浓度(μg/m3)``), or ends in the id in square brackets (``PM2.5 [pm25]``). A unit
is named by its id or a label from ``[units]``.

``tolerates_missing`` says which columns a current-period file may leave out: an input
whose every reading indicator (directly, or through derived values) declares a
``missing`` policy, when no node formula, grade rule or ranking reads it; an attribute
that ``[units]`` gives for every unit.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from typing import Any

from ecoscore.errors import Problem
from ecoscore.io.tables import Cell, Table
from ecoscore.model import Attribute, Criteria, Input, Label

__all__ = [
    "INPUT_COLUMNS",
    "PERIOD_COLUMNS",
    "UNIT_COLUMNS",
    "VALUE_COLUMNS",
    "ColumnIndex",
    "UnitIndex",
    "column_headers",
    "data_label",
    "find_column",
    "normalise",
    "tolerates_missing",
    "unit_column",
    "unit_header",
    "unit_hint",
]

#: Header names of the unit column (compared after ``normalise``).
UNIT_COLUMNS = (
    "unit",
    "units",
    "unit name",
    "name",
    "id",
    "city",
    "county",
    "district",
    "region",
    "单位",
    "单位名称",
    "被考核单位",
    "考核单位",
    "考核对象",
    "地区",
    "区域",
    "名称",
    "县(市、区)",
    "县(市,区)",
    "县市区",
    "县(区)",
    "区县",
    "县区",
    "城市",
    "县",
    "市",
)
#: Header names of the input column of a long-form table.
INPUT_COLUMNS = ("input", "indicator", "item", "variable", "指标", "指标名称", "项目", "输入")
#: Header names of the value column of a long-form table.
VALUE_COLUMNS = ("value", "figure", "数值", "值", "数据", "填报值", "指标值")
#: Header names of a period column.
PERIOD_COLUMNS = ("period", "year", "年度", "年份", "考核年度", "时期", "期间", "期")

# The full-width block U+FF01–U+FF5E mirrors ASCII; the ideographic space is a space.
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
_SPACES = re.compile(r"\s+")
_BRACKETED = re.compile(r"^(.+?)\s*[(\[][^()\[\]]*[)\]]$")
_ID_SUFFIX = re.compile(r"\[([^\[\]]+)\]$")


def normalise(name: str) -> str:
    """A name as compared: ASCII for full-width forms, case folded, without spaces."""
    return _SPACES.sub("", name.translate(_FULL_WIDTH)).casefold()


def unit_header(lang: str) -> str:
    """The unit column's header as ``ecoscore template`` writes it."""
    return "单位" if lang == "zh" else "unit"


def column_headers(criteria: Criteria, lang: str) -> dict[str, str]:
    """The header of each input's and attribute's column, as the template writes it:
    ``label (unit of measure)``, or with ``[id]`` added where a label is not unique."""
    names = ColumnIndex(criteria)
    headers: dict[str, str] = {}
    for spec in _specs(criteria):
        label = spec.label.text(lang, spec.id)
        measure = getattr(spec, "unit", None)
        header = f"{label} ({measure})" if measure else label
        if names.match(header) != {spec.id} or normalise(header) in _UNIT_KEYS:
            header = f"{header} [{spec.id}]"
        headers[spec.id] = header
    return headers


def _specs(criteria: Criteria) -> list[Input | Attribute]:
    return [*criteria.inputs.values(), *criteria.attributes.values()]


_UNIT_KEYS = frozenset(normalise(n) for n in UNIT_COLUMNS)


class ColumnIndex:
    """The criteria's inputs and attributes by every name a column may have."""

    def __init__(self, criteria: Criteria) -> None:
        self.ids = {*criteria.inputs, *criteria.attributes}
        self.keys: dict[str, set[str]] = {}
        for spec in _specs(criteria):
            for name in (spec.id, spec.label.zh, spec.label.en):
                if name:
                    self.keys.setdefault(normalise(name), set()).add(spec.id)

    def match(self, header: str) -> set[str]:
        """The ids a header may name (none, one, or several when labels clash)."""
        suffix = _ID_SUFFIX.search(header.strip().translate(_FULL_WIDTH))
        if suffix and suffix.group(1).strip() in self.ids:
            return {suffix.group(1).strip()}
        key = normalise(header)
        if key in self.keys:
            return self.keys[key]
        bare = _BRACKETED.match(header.translate(_FULL_WIDTH).strip())
        if bare:
            return self.keys.get(normalise(bare.group(1)), set())
        return set()

    def near(self, header: str) -> str | None:
        """The id of the input or attribute whose name ``header`` nearly is, if any."""
        bare = _BRACKETED.match(header.translate(_FULL_WIDTH).strip())
        text = normalise(bare.group(1) if bare else header)
        close = difflib.get_close_matches(text, list(self.keys), n=1, cutoff=0.6)
        return min(self.keys[close[0]]) if close else None


class UnitIndex:
    """The units of the criteria by id and label; any name when the criteria list none."""

    def __init__(self, criteria: Criteria) -> None:
        self.units = criteria.units
        self.keys: dict[str, str] = {}
        for unit in criteria.units.values():
            for name in (unit.label.zh, unit.label.en, unit.id):
                if name:
                    self.keys[normalise(name)] = unit.id

    def resolve(self, cell: Cell, problems: list[Problem]) -> str | None:
        """The unit id a cell names; an unknown unit is a problem (and ``None``)."""
        text = cell.text
        if text is None:
            return None
        if not self.units:
            return text
        found = self.keys.get(normalise(text))
        if found is None:
            options = [n for u in self.units.values() for n in (u.id, u.label.zh, u.label.en) if n]
            problems.append(
                Problem(
                    f"unknown unit {text!r} (未知单位)", cell.location, unit_hint(text, options)
                )
            )
        return found

    def label(self, unit: str) -> Label:
        """The unit's label from ``[units]``."""
        known = self.units.get(unit)
        return known.label if known is not None else Label()


def unit_hint(name: str, options: Iterable[str]) -> str | None:
    """``"did you mean '丙县'?"`` for the closest unit name, or ``None``.

    Unit names are short (two or three characters in Chinese), where one character in
    three is already a large difference, so the bar is lower than for keys."""
    close = difflib.get_close_matches(name, list(options), n=1, cutoff=0.5)
    return f"did you mean {close[0]!r}?" if close else None


def data_label(criteria: Criteria, name: str, lang: str = "zh") -> str:
    """The label of an input or attribute (not of an indicator of the same name)."""
    spec = criteria.inputs.get(name) or criteria.attributes.get(name)
    return name if spec is None else spec.label.text(lang, name)


def find_column(table: Table, names: Iterable[str], skip: Iterable[int] = ()) -> int | None:
    """The index of the first header named one of ``names`` (as ``normalise`` compares),
    leaving out the columns in ``skip``; ``None`` if there is none."""
    keys = {normalise(n) for n in names}
    taken = set(skip)
    for i, head in enumerate(table.header):
        if i not in taken and head.text is not None and normalise(head.text) in keys:
            return i
    return None


def unit_column(table: Table, skip: Iterable[int] = ()) -> int | None:
    """The index of the unit column, if any (``UNIT_COLUMNS``)."""
    return find_column(table, UNIT_COLUMNS, skip)


def tolerates_missing(criteria: Criteria) -> frozenset[str]:
    """The inputs and attributes whose column may be left out of a current-period file."""
    expand = _Expansion(criteria)
    readers: dict[str, list[Any]] = {}
    for ind in criteria.indicators.values():
        names = set(ind.reads) | (set(ind.value.names) if ind.value is not None else set())
        for name in expand(names):
            readers.setdefault(name, []).append(ind)
    strict: set[str] = set()
    for node in criteria.nodes.values():
        if node.formula is not None:
            strict |= expand(node.formula.names)
    if criteria.grades is not None:
        for rule in criteria.grades.rules:
            strict |= expand(rule.when.names)
    for spec in criteria.rankings:
        strict |= expand({spec.by, *(b.by for b in spec.tie_break)})
        if spec.exclude is not None:
            strict |= expand(spec.exclude.names)
        if spec.group_by is not None:
            strict.add(spec.group_by)
    given = {
        a
        for a in criteria.attributes
        if criteria.units and all(a in u.attributes for u in criteria.units.values())
    }
    return frozenset(
        name
        for name in (*criteria.inputs, *criteria.attributes)
        if name in given
        or (name not in strict and all(ind.missing != "error" for ind in readers.get(name, ())))
    )


class _Expansion:
    """Names as the inputs and attributes they come from (derived values expanded)."""

    def __init__(self, criteria: Criteria) -> None:
        self.derived = {d.id: set(d.expression.names) for d in criteria.derived}

    def __call__(self, names: Iterable[str]) -> set[str]:
        out: set[str] = set()
        todo = list(names)
        seen: set[str] = set()
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            if name in self.derived:
                todo.extend(self.derived[name])
            else:
                out.add(name)
        return out
