"""A table of cells → each unit's ``Submission``, matched against the criteria.

``read_periods(table, criteria)`` reads a ``Table`` (``ecoscore.io.tables.read_table``)
into submissions, one period at a time, and reports every problem it finds at once, each
at its cell (``data.xlsx:Sheet1!D7``, ``data.csv:7:4``).

Two shapes are read, and told apart by the header:

wide
    a row per unit and a column per input (or attribute). This is the default.
long
    a row per figure: a unit column, an input column (``input``, ``指标``, ``项目`` …)
    and a value column (``value``, ``数值``, ``值`` …), when no column is named after an
    input.

Either shape may have a period column (``period``, ``年度``, ``年份``, ``year`` …); its
periods are sorted most recent first (numbers inside the text compared as numbers, so
``2023`` < ``2024`` and ``2024-2`` < ``2024-10``), and the first one is the current period.

Columns and units are matched by name as ``ecoscore.io.columns`` describes (id or
label, loosely compared). A column that names no input is ignored, unless its name is
close to an input (or attribute) that has no column of its own: then it is an error with a
did-you-mean, since it is almost surely that input misspelt. Notes, sequence numbers,
totals and the like are thus ignored without a word. A missing input column is an error
at the header unless ``columns.tolerates_missing`` allows it; files of earlier periods
(``strict=False``) may leave out any column.

Cells are read with ``ecoscore.io.cells``: numbers exactly as typed (``95%`` is 95,
``１,２３４`` is 1234), text as text, yes/no as the core reads it (是/否, true/false). The
submissions are then checked as ``ecoscore.engine.submission.read_period`` checks them (ranges,
whole numbers, allowed values), so those problems come in the same report.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ecoscore.engine.submission import Period, Submission, read_period
from ecoscore.errors import DataError, Location, Problem
from ecoscore.io.cells import parse_number
from ecoscore.io.columns import (
    INPUT_COLUMNS,
    PERIOD_COLUMNS,
    VALUE_COLUMNS,
    ColumnIndex,
    UnitIndex,
    data_label,
    find_column,
    tolerates_missing,
    unit_column,
)
from ecoscore.io.tables import Cell, Table, read_table
from ecoscore.model import Criteria

__all__ = ["Period", "read_periods", "read_submissions"]

_DIGITS = re.compile(r"(\d+)", re.ASCII)


def read_submissions(
    source: Table | str | os.PathLike[str],
    criteria: Criteria,
    *,
    strict: bool = True,
    sheet: str | None = None,
    encoding: str | None = None,
) -> tuple[Submission, ...]:
    """The submissions of a one-period file or table; raise ``DataError`` listing every
    problem. ``source`` is a path (read with ``read_table``, ``sheet`` and ``encoding``
    as there) or a ``Table`` already read; ``strict`` as for ``read_periods``."""
    table = _table(source, sheet, encoding)
    periods = read_periods(table, criteria, strict=strict)
    if len(periods) > 1:
        where = Location(file=table.source)
        names = ", ".join(str(p.name) for p in periods)
        raise DataError((Problem(f"the table holds several periods ({names})", where),))
    return periods[0].submissions


def read_periods(
    source: Table | str | os.PathLike[str],
    criteria: Criteria,
    *,
    strict: bool = True,
    sheet: str | None = None,
    encoding: str | None = None,
) -> tuple[Period, ...]:
    """Every period's submissions, the most recent first; raise ``DataError`` listing
    every problem. ``source`` as for ``read_submissions``. ``strict`` (for the current
    period's file) requires each input's column unless the figure may be missing, and
    every unit ``[units]`` lists."""
    return _Reader(_table(source, sheet, encoding), criteria, strict).read()


def _table(
    source: Table | str | os.PathLike[str], sheet: str | None, encoding: str | None
) -> Table:
    if isinstance(source, Table):
        return source
    return read_table(source, sheet=sheet, encoding=encoding)


class _Reader:
    def __init__(self, table: Table, criteria: Criteria, strict: bool) -> None:
        self.table = table
        self.criteria = criteria
        self.strict = strict
        # A table read with keep_going carries its cells' and rows' problems.
        self.problems: list[Problem] = list(table.problems)
        self.columns = ColumnIndex(criteria)
        self.units = UnitIndex(criteria)
        self.unknown: set[str] = set()
        # period → unit → (values, locations, origin)
        self.records: dict[
            str | None, dict[str, tuple[dict[str, Any], dict[str, Location], Location]]
        ] = {}

    def read(self) -> tuple[Period, ...]:
        table = self.table
        where = _row_location(table.header[0].location) if table.header else Location(table.source)
        matched = {i: self.columns.match(h.text or "") for i, h in enumerate(table.header)}
        unit_col = unit_column(table, skip=[i for i, ids in matched.items() if ids])
        if unit_col is None:
            self.problems.append(
                Problem("no unit column (没有单位列)", where, _unit_column_hint(table))
            )
            raise DataError(self.problems)
        if self.strict and not any(c.text is not None for row in table.rows for c in row):
            # Scored, it would be an empty result, written without a word.
            self.problems.append(
                Problem(
                    "the file has a header and no rows under it: no unit to score (没有数据行)",
                    where,
                )
            )
            raise DataError(self.problems)
        skip = {unit_col, *(i for i, ids in matched.items() if ids)}
        period_col = find_column(table, PERIOD_COLUMNS, skip)
        if period_col is not None:
            skip.add(period_col)
        input_col = find_column(table, INPUT_COLUMNS, skip)
        value_col = find_column(table, VALUE_COLUMNS, skip)
        if not any(matched.values()) and input_col is not None and value_col is not None:
            given = self._long(unit_col, input_col, value_col, period_col)
        else:
            given = self._wide(unit_col, period_col, matched)
        self._check_columns(given, where)
        periods = self._periods()
        if self.problems:
            raise DataError(self.problems)
        return periods

    # -- the two shapes --------------------------------------------------------------
    def _wide(
        self, unit_col: int, period_col: int | None, matched: Mapping[int, set[str]]
    ) -> set[str]:
        columns: dict[str, int] = {}
        for i, ids in matched.items():
            head = self.table.header[i]
            if len(ids) > 1:
                self.problems.append(
                    Problem(
                        f"column {head.text!r} could be any of {', '.join(sorted(ids))}",
                        head.location,
                        "add the id in square brackets, like 'name [id]'",
                    )
                )
            elif ids:
                (name,) = ids
                if name in columns:
                    first = self.table.header[columns[name]].location
                    self.problems.append(
                        Problem(f"a second column for {name!r} (first at {first})", head.location)
                    )
                else:
                    columns[name] = i
        for i, head in enumerate(self.table.header):
            if matched.get(i) or i in (unit_col, period_col) or head.text is None:
                continue
            near = self.columns.near(head.text)
            if near is not None and near not in columns:
                label = data_label(self.criteria, near)
                self.problems.append(
                    Problem(
                        f"column {head.text!r} names no input (不是已知的填报项)",
                        head.location,
                        f"did you mean {near!r} ({label})?",
                    )
                )
                columns[near] = -1  # reported here, not again as a missing column
        for row in self.table.rows:
            unit = self._unit(row[unit_col], row)
            if unit is None:
                continue
            period = self._period(row, period_col)
            values, locations, _ = self._record(period, unit, row[unit_col])
            for name, i in columns.items():
                if i >= 0:
                    self._put(values, locations, unit, name, row[i])
        return set(columns)

    def _long(
        self, unit_col: int, input_col: int, value_col: int, period_col: int | None
    ) -> set[str]:
        given: set[str] = set()
        for row in self.table.rows:
            unit = self._unit(row[unit_col], row)
            if unit is None:
                continue
            what = row[input_col]
            if what.text is None:
                if row[value_col].text is not None:
                    self.problems.append(
                        Problem("a value with no input named (没有指标名称)", what.location)
                    )
                continue
            ids = self.columns.match(what.text)
            if len(ids) != 1:
                message = (
                    f"{what.text!r} could be any of {', '.join(sorted(ids))}"
                    if ids
                    else f"unknown input {what.text!r} (未知填报项)"
                )
                near = self.columns.near(what.text) if not ids else None
                self.problems.append(
                    Problem(message, what.location, f"did you mean {near!r}?" if near else None)
                )
                continue
            (name,) = ids
            given.add(name)
            period = self._period(row, period_col)
            values, locations, _ = self._record(period, unit, row[unit_col], repeats=True)
            if name in locations:
                self.problems.append(
                    Problem(
                        f"{unit}: {name} is given twice (first at {locations[name]})", what.location
                    )
                )
                continue
            self._put(values, locations, unit, name, row[value_col])
        return given

    # -- pieces ----------------------------------------------------------------------
    def _unit(self, cell: Cell, row: tuple[Cell, ...]) -> str | None:
        if cell.text is None:
            if any(c.text is not None for c in row):
                self.problems.append(
                    Problem("a row with no unit name (缺少单位名称)", _row_location(cell.location))
                )
            return None
        found: list[Problem] = []
        unit = self.units.resolve(cell, found)
        if found and cell.text not in self.unknown:
            # An unknown unit is reported once, not on each of its rows in a long table.
            self.problems.extend(found)
            self.unknown.add(cell.text)
        return unit

    def _period(self, row: tuple[Cell, ...], period_col: int | None) -> str | None:
        if period_col is None:
            return None
        cell = row[period_col]
        if cell.text is None:
            self.problems.append(Problem("no period given (缺少期别)", cell.location))
        return cell.text

    def _record(
        self, period: str | None, unit: str, cell: Cell, *, repeats: bool = False
    ) -> tuple[dict[str, Any], dict[str, Location], Location]:
        units = self.records.setdefault(period, {})
        if unit not in units:
            units[unit] = ({}, {}, cell.location)
            return units[unit]
        if repeats:
            # In a long table a unit has a row per figure.
            return units[unit]
        first = units[unit][2]
        what = unit if period is None else f"{unit} ({period})"
        self.problems.append(
            Problem(f"unit {what} is listed twice (first at {first}) (单位重复)", cell.location)
        )
        # The repeated row is read into a throwaway record, so its cells are still checked.
        return ({}, {}, cell.location)

    def _put(
        self,
        values: dict[str, Any],
        locations: dict[str, Location],
        unit: str,
        name: str,
        cell: Cell,
    ) -> None:
        locations[name] = cell.location
        if cell.text is None:
            values[name] = None
            return
        spec: Any = self.criteria.inputs.get(name) or self.criteria.attributes[name]
        if spec.type != "number":
            values[name] = cell.text
            return
        try:
            values[name] = parse_number(cell.text)
        except ValueError as error:
            values[name] = None
            label = data_label(self.criteria, name)
            self.problems.append(Problem(f"{unit}: {name} ({label}): {error}", cell.location))

    def _check_columns(self, given: set[str], where: Location) -> None:
        if not self.strict:
            return
        optional = tolerates_missing(self.criteria)
        for name in (*self.criteria.inputs, *self.criteria.attributes):
            if name in given or name in optional:
                continue
            label = data_label(self.criteria, name)
            self.problems.append(
                Problem(
                    f"no column for {name!r} ({label}) (缺少该列)",
                    where,
                    "add the column, or declare a missing policy on every indicator that reads it",
                )
            )

    def _periods(self) -> tuple[Period, ...]:
        names = sorted(self.records, key=_natural, reverse=True)
        periods: list[Period] = []
        for k, name in enumerate(names):
            subs = tuple(
                Submission(unit, values, locations, self.units.label(unit), origin)
                for unit, (values, locations, origin) in self.records[name].items()
            )
            # The core's own checks (types, ranges, whole numbers), in the same report;
            # the typed values go with the submissions, so evaluate does not check again
            # (the periods are returned only when no problem was found).
            checked = read_period(
                self.criteria,
                subs,
                self.problems,
                source=self.table.source,
                check_units=self.strict and k == 0,
            )
            periods.append(
                Period(
                    name,
                    tuple(
                        attrs.evolve(sub, checked=(self.criteria, checked[sub.unit][1]))
                        if sub.unit in checked and checked[sub.unit][0] is sub
                        else sub
                        for sub in subs
                    ),
                )
            )
        if not periods:
            periods.append(Period(None, ()))
        return tuple(periods)


def _unit_column_hint(table: Table) -> str:
    """Advice for a table with no unit column; it names the delimiter when the header is
    one cell holding another delimiter (a file split on ';' or tabs, read as one column)."""
    if len(table.header) == 1:
        text = table.header[0].text or ""
        for delimiter, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "bars")):
            if delimiter in text:
                return (
                    f"the header is one cell, {text[:40]!r}: the file seems split by {name}, "
                    "not commas; save it as CSV with commas"
                )
    return "name one column unit or 单位 (or 地区, 县(市、区), name)"


def _natural(name: str | None) -> tuple[tuple[int, Decimal | str], ...]:
    """A sort key that compares the digit runs of a period's name as numbers."""
    if name is None:
        return ()
    parts = _DIGITS.split(name)
    return tuple((0, Decimal(p)) if p.isascii() and p.isdigit() else (1, p) for p in parts if p)


def _row_location(location: Location) -> Location:
    """A cell's location without its column (the whole row), where the file has lines."""
    if location.line is not None:
        return attrs.evolve(location, column=None)
    return location
