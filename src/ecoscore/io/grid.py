"""Cells and tables: what a submission file is read into, whatever its format.

A ``Cell`` keeps its text, not a number, and its exact location; a ``Table`` is a header
row and the data rows under it. The helpers here are shared by the CSV/XLSX reader
(``ecoscore.io.tables``) and the JSON reader (``ecoscore.io.json_table``).
"""

from __future__ import annotations

import attrs

from ecoscore.errors import DataError, Location, Problem
from ecoscore.io.cells import clean_text, is_missing
from ecoscore.limits import Limits

__all__ = [
    "ERROR_HINT",
    "EXCEL_ERRORS",
    "Cell",
    "Table",
    "build_table",
    "check_size",
    "data_cell",
    "file_error",
    "text_cell",
]


@attrs.frozen
class Cell:
    """One cell's text (``None`` when empty or a missing marker) and where it is."""

    text: str | None
    location: Location


@attrs.frozen
class Table:
    """The cells of one file: a header row of column names, and the data rows under it.

    Every header cell has a name, no two the same; every row has one cell per header cell.
    ``problems`` holds what is wrong with the file's cells and rows when it was read with
    ``keep_going`` (otherwise they are raised): whoever reads the table reports them.
    """

    source: str
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    problems: tuple[Problem, ...] = ()


# Excel's error values, as Excel writes them into CSV and some programs into XLSX text.
EXCEL_ERRORS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
    }
)
ERROR_HINT = "fix the formula, or leave the cell empty if the figure is missing"


def file_error(message: str, location: Location, hint: str | None = None) -> DataError:
    """A DataError with a single problem."""
    return DataError((Problem(message, location, hint),))


def text_cell(value: str, location: Location, problems: list[Problem]) -> Cell:
    """A cell from text as found in the file: stripped, ``None`` when blank."""
    text = clean_text(value)
    if text in EXCEL_ERRORS:
        problems.append(Problem(f"Excel error value {text} in a cell", location, ERROR_HINT))
        return Cell(None, location)
    return Cell(text or None, location)


def data_cell(cell: Cell) -> Cell:
    return Cell(None, cell.location) if is_missing(cell.text) else cell


def check_size(rows: int, cells: int, where: Location, limits: Limits) -> None:
    """Stop reading a table past the row or cell limit, at the row where it is passed."""
    if rows > limits.rows:
        raise file_error(
            f"more than {limits.rows:,} rows, the limit",
            where,
            hint="see docs/limits.md: Limits(rows=…) raises it",
        )
    if cells > limits.cells:
        raise file_error(
            f"more than {limits.cells:,} cells, the limit",
            where,
            hint="see docs/limits.md: Limits(cells=…) raises it",
        )


def build_table(source: str, grid: list[list[Cell]], problems: list[Problem]) -> Table:
    """Find the header in a rectangular grid of cells, check it, and make the table."""
    lines = [row for row in grid if any(cell.text is not None for cell in row)]
    if not lines:
        if not problems:
            problems.append(Problem("the file is empty: no header row", Location(file=source)))
        raise DataError(problems)
    header, *data = lines
    kept: list[int] = []
    first: dict[str, Cell] = {}
    for column, head in enumerate(header):
        if head.text is None:
            # A nameless column between named ones is fine as a spacer, not with values.
            stray = next((row[column] for row in data if row[column].text is not None), None)
            if stray is not None:
                problems.append(
                    Problem(
                        "a value in a column with no name in the header",
                        stray.location,
                        hint=f"name the column at {_where(head.location)}, or delete the value",
                    )
                )
            continue
        if head.text in first:
            problems.append(
                Problem(
                    f"column {head.text!r} is in the header twice",
                    head.location,
                    hint=f"also at {_where(first[head.text].location)}",
                )
            )
            continue
        first[head.text] = head
        kept.append(column)
    return Table(
        source=source,
        header=tuple(header[column] for column in kept),
        rows=tuple(tuple(data_cell(row[column]) for column in kept) for row in data),
        problems=tuple(problems),
    )


def _where(location: Location) -> str:
    """A location within its file, for a hint: ``D1``, ``column 4`` or a key path."""
    if location.cell is not None:
        return location.cell
    if location.column is not None:
        return f"column {location.column}"
    return location.key or str(location)
