"""A file of sub-unit rows (sections, stations) → the ``SubunitRow`` values a roll-up reads.

``read_subunit_table(source, criteria, table)`` reads a ``Table`` (``io.tables.read_table``)
of one ``[subunits.<id>]`` table: a row per sub-unit (and per period, with a period
column). Columns are matched as a submission's are (``io.columns``: the id, a label,
``label (unit of measure)``, ``… [id]``, loosely compared): the key column by the name
the criteria give it, the unit column by its name or any unit column name (``单位``,
``county`` …), the period column by its name or any period column name (``年度`` …).
Units are named by id or label, as in a submission. Every problem is reported at once,
each at its cell; the figures' own checks (types, ranges, classes) come from the engine
(``engine.subunits``), at the same cells.

``workbook_sheets`` lists a workbook's sheets, and ``sheet_for`` finds the one named after
a table (its id, or a label), so that a data workbook may carry its sub-unit tables.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Sequence
from typing import Any

from ecoscore.engine.subunits import SubunitRow
from ecoscore.errors import DataError, Location, Problem
from ecoscore.io.cells import parse_number
from ecoscore.io.columns import (
    PERIOD_COLUMNS,
    ColumnIndex,
    UnitIndex,
    find_column,
    normalise,
    unit_column,
)
from ecoscore.io.tables import Cell, Table, read_table
from ecoscore.model import Criteria, SubunitTable

__all__ = ["read_subunit_table", "sheet_for", "workbook_sheets"]


def read_subunit_table(
    source: Table | str | os.PathLike[str],
    criteria: Criteria,
    table: str,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
) -> tuple[SubunitRow, ...]:
    """The rows of the sub-unit table ``table``; raise ``DataError`` listing every problem."""
    if not isinstance(source, Table):
        source = read_table(source, sheet=sheet, encoding=encoding)
    spec = criteria.subunits[table]
    problems: list[Problem] = []
    rows = _Reader(source, criteria, spec, problems).rows()
    if problems:
        raise DataError(problems)
    return rows


class _Reader:
    def __init__(
        self, table: Table, criteria: Criteria, spec: SubunitTable, problems: list[Problem]
    ) -> None:
        self.table = table
        self.criteria = criteria
        self.spec = spec
        self.problems = problems
        # The table's inputs are matched as a unit's inputs are, by their own criteria.
        self.columns = ColumnIndex(Criteria(id=spec.id, title=spec.label, inputs=spec.inputs))
        self.units = UnitIndex(criteria)
        self.unknown: set[str] = set()

    def rows(self) -> tuple[SubunitRow, ...]:
        t, spec = self.table, self.spec
        where = t.header[0].location if t.header else Location(t.source)
        matched = {i: self.columns.match(h.text or "") for i, h in enumerate(t.header)}
        taken = [i for i, ids in matched.items() if ids]
        key_names = [n for n in (spec.key, spec.key_label.zh, spec.key_label.en) if n]
        key = find_column(t, key_names, taken)
        unit = find_column(t, [spec.unit], taken)
        if unit is None:
            unit = unit_column(t, [*taken, *([key] if key is not None else [])])
        period = None
        if spec.period is not None:
            skip = [*taken, *(c for c in (key, unit) if c is not None)]
            period = find_column(t, [spec.period], skip)
            if period is None:
                period = find_column(t, PERIOD_COLUMNS, skip)
        for name, column in (
            (spec.key, key),
            (spec.unit, unit),
            *([(spec.period, period)] if spec.period else []),
        ):
            if column is None:
                self.problems.append(
                    Problem(
                        f"{spec.id}: no column {name!r} (缺少该列)", where, f"name a column {name}"
                    )
                )
        inputs: dict[str, int] = {}
        for i, ids in matched.items():
            if len(ids) == 1 and i not in (key, unit, period):
                (name,) = ids
                if name in inputs:
                    self.problems.append(
                        Problem(f"{spec.id}: a second column for {name!r}", t.header[i].location)
                    )
                inputs[name] = i
        for name in spec.inputs:
            if name not in inputs:
                self.problems.append(
                    Problem(f"{spec.id}: no column for {name!r} (缺少该列)", where)
                )
        if key is None or unit is None or (spec.period is not None and period is None):
            return ()
        out: list[SubunitRow] = []
        for row in t.rows:
            record = self._row(row, key, unit, period, inputs)
            if record is not None:
                out.append(record)
        return tuple(out)

    def _row(
        self,
        row: Sequence[Cell],
        key: int,
        unit: int,
        period: int | None,
        inputs: dict[str, int],
    ) -> SubunitRow | None:
        spec = self.spec
        if all(cell.text is None for cell in row):
            return None
        for name, column in ((spec.key, key), (spec.unit, unit), (spec.period, period)):
            if column is not None and row[column].text is None:
                self.problems.append(
                    Problem(f"{spec.id}: a row with no {name!r}", row[column].location)
                )
                return None
        found: list[Problem] = []
        cell = row[unit]
        unit_id = self.units.resolve(cell, found)
        if found and cell.text not in self.unknown:
            self.problems.extend(found)  # an unknown unit once, not on each of its rows
            self.unknown.add(str(cell.text))
        if unit_id is None:
            return None
        values: dict[str, Any] = {}
        locations: dict[str, Location] = {}
        for name, column in inputs.items():
            value = row[column]
            locations[name] = value.location
            values[name] = self._value(name, value, str(row[key].text))
        return SubunitRow(
            key=str(row[key].text),
            unit=unit_id,
            period=None if period is None else row[period].text,
            values=values,
            locations=locations,
            origin=row[key].location,
        )

    def _value(self, name: str, cell: Cell, key: str) -> Any:
        if cell.text is None or self.spec.inputs[name].type != "number":
            return cell.text
        try:
            return parse_number(cell.text)
        except ValueError as error:
            self.problems.append(Problem(f"{key}: {name}: {error}", cell.location))
            return None


def workbook_sheets(path: str | os.PathLike[str]) -> tuple[str, ...]:
    """The names of a workbook's sheets (none for a file that is not a readable .xlsx)."""
    if not os.fspath(path).lower().endswith(".xlsx"):
        return ()
    from ecoscore.io.workbook import load_workbook  # openpyxl only when a workbook is read

    try:
        workbook = load_workbook(path, read_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, SyntaxError):
        return ()  # reading the file as data reports what is wrong with it
    try:
        return tuple(workbook.sheetnames)
    finally:
        workbook.close()


def sheet_for(spec: SubunitTable, sheets: Sequence[str]) -> str | None:
    """The sheet named after the table (its id, or its Chinese or English label)."""
    names = {normalise(n) for n in (spec.id, spec.label.zh, spec.label.en) if n}
    return next((s for s in sheets if normalise(s) in names), None)
