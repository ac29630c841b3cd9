"""Cells and tables: what a submission file is read into, whatever its format.

A ``Cell`` keeps its text, not a number, and its exact location; a ``Table`` is a header
row and the data rows under it. The helpers here are shared by the CSV/XLSX reader
(``ecoscore.io.tables``) and the JSON reader (``ecoscore.io.json_table``).
"""

from __future__ import annotations

import attrs

from ecoscore.errors import DataError, Location, Problem
from ecoscore.io.cells import clean_text, is_missing

__all__ = ["ERROR_HINT", "EXCEL_ERRORS", "Cell", "Table", "data_cell", "file_error", "text_cell"]


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
