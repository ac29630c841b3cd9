"""Reading a table that keeps going: rows that cannot be read are left out, with why.

``read_periods_keeping_going`` reads a table (best read with ``read_table(…,
keep_going=True)``, which returns the problems of its cells and rows instead of raising
them) as ``ecoscore.io.submissions.read_periods`` does;
when that fails, it finds the row of each problem (the line of a CSV, the row of a sheet
cell, the ``[k]`` of a JSON row), drops those rows and reads the rest again. A problem at
no row (a missing column, a unit ``[units]`` lists with no row, an unreadable header)
stops the run as it would a strict one. Each dropped row is listed under the unit its
unit cell names (or, without one, under its location).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import attrs

from ecoscore.engine.partial import without_units
from ecoscore.errors import DataError, Location, Problem
from ecoscore.io.columns import ColumnIndex, UnitIndex, unit_column
from ecoscore.io.grid import Table
from ecoscore.io.submissions import Period, read_periods
from ecoscore.model import Criteria
from ecoscore.results.left_out import LeftOut, merge_left_out

__all__ = ["read_periods_keeping_going"]

_ROW_NUMBER = re.compile(r"\d+$")


def read_periods_keeping_going(
    table: Table, criteria: Criteria, *, strict: bool = True
) -> tuple[tuple[Period, ...], tuple[LeftOut, ...]]:
    """The periods of the rows that can be read, and the units of the rows left out."""
    dropped: list[LeftOut] = []
    while True:
        try:
            # A unit of [units] whose rows were left out is not asked for again.
            kept = without_units(criteria, {entry.unit for entry in dropped})
            return read_periods(table, kept, strict=strict), merge_left_out(dropped)
        except DataError as error:
            rows = _rows_at(table, error.problems)
            if rows is None or len(rows) == len(table.rows):
                raise type(error)(
                    [p for entry in dropped for p in entry.problems] + list(error.problems)
                ) from None
            names = _unit_names(table, criteria)
            for index, found in sorted(rows.items()):
                dropped.append(LeftOut(names(index), tuple(found)))
            table = attrs.evolve(
                table,
                rows=tuple(row for k, row in enumerate(table.rows) if k not in rows),
                problems=(),  # each was a dropped row's
            )


def _row_key(location: Location) -> tuple[object, ...] | None:
    """What a location shares with every cell of its row, or ``None`` (a whole file)."""
    if location.line is not None:
        return ("line", location.file, location.line)
    if location.cell is not None:
        number = _ROW_NUMBER.search(location.cell)
        return None if number is None else ("cell", location.file, location.sheet, number.group())
    if location.key is not None and location.key.removeprefix("units").startswith("["):
        return ("key", location.file, location.key.split(".")[0])
    return None


def _rows_at(table: Table, problems: tuple[Problem, ...]) -> dict[int, list[Problem]] | None:
    """Each row's problems, by row index; ``None`` when a problem is at no row."""
    index: dict[tuple[object, ...], int] = {}
    for k, row in enumerate(table.rows):
        for cell in row:
            key = _row_key(cell.location)
            if key is not None:
                index.setdefault(key, k)
    found: dict[int, list[Problem]] = {}
    for problem in problems:
        key = _row_key(problem.location)
        if key is None or key not in index:
            return None
        found.setdefault(index[key], []).append(problem)
    return found


def _unit_names(table: Table, criteria: Criteria) -> Callable[[int], str]:
    """The name a row is listed under: its unit cell's text, else where the row is."""
    columns = ColumnIndex(criteria)
    skip = [i for i, head in enumerate(table.header) if columns.match(head.text or "")]
    unit = unit_column(table, skip=skip)
    units = UnitIndex(criteria)

    def name(index: int) -> str:
        row = table.rows[index]
        cell = row[unit] if unit is not None else None
        if cell is not None and cell.text is not None:
            # The unit's id when the criteria list it (a label or alias typed), else the text.
            return units.resolve(cell, []) or cell.text
        return str(attrs.evolve(row[0].location, column=None)) if row else "?"

    return name
