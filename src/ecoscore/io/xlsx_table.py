"""Reading an XLSX workbook into a table of located text cells.

Values, not formulas: a formula cell gives the value Excel cached when it last saved the
file, and a formula that was never calculated (a workbook written by a program and never
opened in Excel) is a problem at its cell. Numbers are written as the shortest text that
reads back as the same double; ``true``/``false``; dates in ISO 8601; a number in a
percentage format as shown (``95.5%``). Locations are sheet cells: ``data.xlsx:Sheet1!D7``.
The workbook's zip directory and sheets are judged first (``ecoscore.io.archive``).
"""

from __future__ import annotations

import datetime
import difflib
import io
import math
import zipfile
from decimal import Decimal
from typing import TYPE_CHECKING

from ecoscore.errors import DataError, Location, Problem
from ecoscore.io.archive import SheetScan, check_archive, unreadable_workbook
from ecoscore.io.grid import ERROR_HINT, Cell, Table, build_table, check_size, file_error, text_cell
from ecoscore.limits import Limits

if TYPE_CHECKING:  # openpyxl is imported when a workbook is read, not at start-up
    from ecoscore.io.workbook import ReadOnlyWorksheet, Workbook

__all__ = ["read_xlsx"]

# The compound-file format of an old .xls, and of an encrypted .xlsx.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_xlsx(source: str, data: bytes, sheet: str | None, limits: Limits) -> Table:
    """The table of a workbook's bytes (``sheet``: the worksheet, default the first);
    raise ``DataError`` for the workbook as a whole, and return the problems of its cells
    on ``Table.problems``."""
    from ecoscore.io.workbook import InvalidFileException, get_column_letter, load_workbook

    # The corrupt files seen in the wild fail with any of these.
    unreadable = (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, SyntaxError)
    # The zip directory says what the parts hold once uncompressed: a workbook of a few
    # megabytes can hold gigabytes of XML, so this is judged before openpyxl reads a byte.
    # openpyxl then parses every sheet that declares no <dimension> when it opens the
    # workbook, some ten thousand cells a second: each sheet's rows and cells are counted
    # first, by a byte scan far faster than that, and a sheet past the limits is refused.
    if data.startswith(_OLE_MAGIC):
        raise file_error(
            "a password-protected workbook, or an old .xls under an .xlsx name: it cannot be read",
            Location(file=source),
            hint="open it in Excel or WPS and save it as .xlsx, without a password",
        )
    scans = check_archive(source, data, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except unreadable as error:
        raise unreadable_workbook(source, error) from None
    try:
        worksheet = _pick_sheet(source, workbook, sheet)
        member = str(getattr(worksheet, "_worksheet_path", "")).lstrip("/")
        scan = scans.get(member, SheetScan(formulas=True))
        # Some programs write a wrong <dimension> element; without this a read-only sheet
        # trusts it and silently drops the cells outside it.
        worksheet.reset_dimensions()
        try:
            values = _sheet_values(source, worksheet, limits)
        except DataError:
            raise
        except unreadable as error:
            raise unreadable_workbook(source, error) from None
        title = worksheet.title
    finally:
        # read_only mode keeps the archive open until the workbook is closed.
        workbook.close()
    problems: list[Problem] = []
    if scan.formulas:
        problems.extend(_uncalculated(source, data, title, values))
    width = max((len(row) for row in values), default=0)
    letters = [get_column_letter(column) for column in range(1, width + 1)]
    grid: list[list[Cell]] = []
    # openpyxl yields every row from the first, empty ones too, so the count is the row.
    for number, row in enumerate(values, start=1):
        cells: list[Cell] = []
        for column, letter in enumerate(letters):
            value, data_type = row[column] if column < len(row) else (None, "n")
            location = Location(file=source, sheet=title, cell=f"{letter}{number}")
            cells.append(_xlsx_cell(value, data_type, location, problems))
        grid.append(cells)
    return build_table(source, grid, problems)


def _sheet_values(
    source: str, worksheet: ReadOnlyWorksheet, limits: Limits
) -> list[list[tuple[object, str]]]:
    """Each row's (value, kind) pairs, read as a stream and stopped at the limits."""
    values: list[list[tuple[object, str]]] = []
    cells = 0
    for row in worksheet.rows:
        values.append([(cell.value, _kind_of(cell.data_type, cell.number_format)) for cell in row])
        cells += len(row)
        if len(values) > limits.rows or cells > limits.cells:
            where = Location(file=source, sheet=worksheet.title, cell=f"A{len(values)}")
            check_size(len(values), cells, where, limits)
    return values


def _uncalculated(
    source: str, data: bytes, title: str, values: list[list[tuple[object, str]]]
) -> list[Problem]:
    """A problem at each formula cell with no saved value: a workbook written by a program
    and never opened in Excel holds formulas that nothing has calculated."""
    from ecoscore.io.workbook import get_column_letter, load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    problems: list[Problem] = []
    try:
        worksheet = workbook[title]
        worksheet.reset_dimensions()
        for number, row in enumerate(worksheet.rows, start=1):
            if number > len(values):
                break
            saved = values[number - 1]
            for column, cell in enumerate(row):
                if cell.data_type != "f":
                    continue
                value = saved[column][0] if column < len(saved) else None
                if value is None:
                    problems.append(
                        Problem(
                            f"this cell is a formula ({cell.value}) that was never calculated "
                            "(公式未计算)",
                            Location(
                                file=source,
                                sheet=title,
                                cell=f"{get_column_letter(column + 1)}{number}",
                            ),
                            "open the workbook in Excel or WPS and save it, so that its "
                            "formulas have values",
                        )
                    )
    finally:
        workbook.close()
    return problems


def _pick_sheet(source: str, workbook: Workbook, wanted: str | None) -> ReadOnlyWorksheet:
    from ecoscore.io.workbook import ReadOnlyWorksheet

    names = workbook.sheetnames
    if wanted is None:
        for name in names:
            found = workbook[name]
            if isinstance(found, ReadOnlyWorksheet):
                return found
        raise file_error("the workbook has no worksheet", Location(file=source))
    if wanted not in names:
        close = difflib.get_close_matches(wanted, names, n=1)
        listed = ", ".join(repr(name) for name in names)
        raise file_error(
            f"no sheet named {wanted!r}; the sheets are {listed}",
            Location(file=source),
            hint=f"did you mean {close[0]!r}?" if close else None,
        )
    found = workbook[wanted]
    if not isinstance(found, ReadOnlyWorksheet):
        raise file_error(f"sheet {wanted!r} is a chart, not a worksheet", Location(file=source))
    return found


def _kind_of(data_type: str, number_format: str | None) -> str:
    # A number shown as a percentage holds the fraction: Excel stores a typed "95%" as
    # 0.95. It is read as shown ("95%"), as a CSV saved from the sheet would have it.
    if data_type == "n" and number_format is not None and "%" in number_format:
        return "%"
    return data_type


def _xlsx_cell(value: object, data_type: str, location: Location, problems: list[Problem]) -> Cell:
    if data_type == "e":
        problems.append(Problem(f"Excel error value {value} in a cell", location, ERROR_HINT))
        return Cell(None, location)
    if value is None or isinstance(value, str):
        return text_cell(value or "", location, problems)
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float):
        if not math.isfinite(value):
            problems.append(Problem(f"{value} is not a number a cell can hold", location))
            return Cell(None, location)
        text = _float_text(value)
    elif isinstance(value, (datetime.date, datetime.time)):
        text = value.isoformat()
    else:
        # int, Decimal, and a timedelta (a cell formatted as a duration) read as str().
        text = str(value)
    if data_type == "%" and isinstance(value, (int, float)) and not isinstance(value, bool):
        text = format((Decimal(text) * 100).normalize(), "f") + "%"
    return Cell(text, location)


def _float_text(value: float) -> str:
    """The shortest text that reads back as ``value``, in positional notation."""
    if value.is_integer():
        return str(int(value))
    text = repr(value)
    # repr switches to exponent form below 1e-4; the value is the same written out.
    return format(Decimal(text), "f") if "e" in text else text
