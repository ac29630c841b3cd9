"""Reading a submission file into a table of text cells, each with its exact location.

``read_table`` reads CSV, XLSX and JSON into the same shape, a ``Table`` of ``Cell``
values, and knows nothing of criteria. A cell keeps its text, not a number: what the text
means is the caller's business (``ecoscore.io.cells.parse_number``), so a bad figure is
reported with the criterion it belongs to, at the place it was typed.

Cell text is stripped of surrounding spaces (``cells.clean_text``). A data cell whose text
is blank or a missing marker (``cells.MISSING_MARKERS``) has text ``None``. The first
non-blank row is the header, and a column with no name there is dropped (it must have no
values either). Blank rows are skipped, but locations stay true to the file.

Every problem in a file is collected before one ``DataError`` is raised with all of them:
Excel error values (``#DIV/0!``, ``#N/A`` …) in any cell, a column name twice, a value
under a column with no name. The input file is only ever read.

CSV
    Decoded as UTF-8 with or without a BOM, else GB18030 (a superset of GBK, in which
    Excel on a Chinese Windows saves CSV), unless ``encoding`` is given. A cell's location
    is the physical line where its row starts (a quoted cell may span lines) and the
    1-based column: ``data.csv:7:4``.
XLSX
    Read with openpyxl, values rather than formulas: a formula cell gives the value Excel
    cached when it last saved the file. A formula that was never calculated (a workbook
    written by a program and never opened in Excel) has no cached value and reads as
    empty. Numbers are written as the shortest text that reads back as the same double
    (``0.1`` stays ``0.1``), integral ones without ``.0`` and never in exponent form;
    ``true``/``false``; dates in ISO 8601. A typed number comes back as shown, since
    Excel keeps 15 significant digits; a formula's result keeps its binary noise
    (``=0.1+0.7`` is ``0.7999999999999999``, which Excel shows as 0.8). A number in a
    percentage format is read as shown: Excel stores a typed ``95.5%`` as 0.955, which
    reads as ``95.5%`` (95.5 to ``parse_number``), as the same cell saved to CSV would.
    Locations are sheet cells: ``data.xlsx:Sheet1!D7``.
JSON
    A list of objects, one a row, or ``{"units": [...]}``; the header is every key in the
    order first seen. Numbers keep the text they were written with (``0.1`` is ``"0.1"``).
    Locations are key paths: ``[3].pm25``, or ``units[3].pm25``.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import difflib
import io
import math
import os
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from ecoscore.errors import DataError, Location, Problem
from ecoscore.io.grid import ERROR_HINT, Cell, Table, data_cell, file_error, text_cell
from ecoscore.io.json_table import read_json

if TYPE_CHECKING:  # openpyxl is imported when a workbook is read, not at start-up
    from ecoscore.io.workbook import ReadOnlyWorksheet, Workbook

__all__ = ["Cell", "Table", "read_table"]


_ZIP_MAGIC = b"PK\x03\x04"


def read_table(
    path: str | os.PathLike[str], *, sheet: str | None = None, encoding: str | None = None
) -> Table:
    """Read a ``.csv``, ``.xlsx`` or ``.json`` file into a ``Table``; raise ``DataError``.

    ``sheet`` names the XLSX worksheet to read (default: the first); ``encoding`` is the
    text encoding of a CSV or JSON file (default: detected). Each is ignored for the other
    kinds of file.
    """
    source = os.fspath(path)
    suffix = Path(source).suffix.lower()
    if suffix == ".xls":
        raise file_error(
            "an old Excel .xls workbook cannot be read",
            Location(file=source),
            hint="open it in Excel or WPS and save it as .xlsx",
        )
    if suffix not in (".csv", ".xlsx", ".json"):
        kind = suffix or "(no extension)"
        raise file_error(
            f"unsupported file type {kind}; use .csv, .xlsx or .json", Location(file=source)
        )
    data = _read_bytes(source)
    if suffix == ".xlsx":
        return _read_xlsx(source, data, sheet)
    if data.startswith(_ZIP_MAGIC):
        raise file_error(
            f"this is a workbook or another zip file, not {suffix} text",
            Location(file=source),
            hint="give an .xlsx workbook an .xlsx name",
        )
    text = _decode(source, data, encoding)
    if suffix == ".csv":
        return _read_csv(source, text)
    return read_json(source, text)


def _read_bytes(source: str) -> bytes:
    # The whole file is read at once: submissions are small, and openpyxl then holds no
    # handle on the file, so nothing can keep it open or write to it.
    try:
        return Path(source).read_bytes()
    except FileNotFoundError:
        message = "no such file"
    except IsADirectoryError:
        message = "is a directory, not a file"
    except OSError as error:
        message = f"cannot read the file: {error.strerror or error}"
    raise file_error(message, Location(file=source))


def _decode(source: str, data: bytes, encoding: str | None) -> str:
    if encoding is not None:
        candidates: tuple[str, ...] = (encoding,)
        described = encoding
    elif data.startswith(codecs.BOM_UTF8):
        candidates, described = ("utf-8",), "UTF-8"
    else:
        # Valid UTF-8 is almost never meaningful GBK, so UTF-8 goes first.
        candidates, described = ("utf-8", "gb18030"), "UTF-8 or GB18030 (GBK)"
    failure: UnicodeDecodeError | None = None
    for candidate in candidates:
        try:
            # The BOM is dropped whatever the encoding, so that it never joins a name.
            return data.decode(candidate).removeprefix("\ufeff")
        except LookupError:
            raise file_error(
                f"unknown text encoding {candidate!r}", Location(file=source)
            ) from None
        except UnicodeDecodeError as error:
            failure = error
    assert failure is not None  # there is always a candidate
    raise file_error(
        f"cannot be read as {described} text (byte {data[failure.start]:#04x})",
        Location(file=source, line=data.count(b"\n", 0, failure.start) + 1),
        hint="save it as UTF-8, or give its encoding",
    )


def _read_csv(source: str, text: str) -> Table:
    problems: list[Problem] = []
    # newline="" lets the csv module see the line ends itself, as it requires; strict
    # mode turns an unclosed quote into an error instead of swallowing the rest of the file.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    end = 0
    try:
        for fields in reader:
            # line_num counts the lines read so far, so a row that a quoted newline
            # spreads over several lines starts just after where the last row ended.
            rows.append((end + 1, fields))
            end = reader.line_num
    except csv.Error as error:
        raise file_error(
            f"not valid CSV: {error}", Location(file=source, line=reader.line_num)
        ) from None
    width = max((len(fields) for _, fields in rows), default=0)
    grid = [
        [
            text_cell(field, Location(file=source, line=line, column=column), problems)
            for column, field in enumerate(fields + [""] * (width - len(fields)), start=1)
        ]
        for line, fields in rows
    ]
    return _build(source, grid, problems)


def _read_xlsx(source: str, data: bytes, sheet: str | None) -> Table:
    from ecoscore.io.workbook import InvalidFileException, get_column_letter, load_workbook

    # The corrupt files seen in the wild fail with any of these.
    unreadable = (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, SyntaxError)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except unreadable as error:
        raise _unreadable_workbook(source, error) from None
    try:
        worksheet = _pick_sheet(source, workbook, sheet)
        # Some programs write a wrong <dimension> element; without this a read-only sheet
        # trusts it and silently drops the cells outside it.
        worksheet.reset_dimensions()
        try:
            values = [
                [(cell.value, _kind_of(cell.data_type, cell.number_format)) for cell in row]
                for row in worksheet.rows
            ]
        except unreadable as error:
            raise _unreadable_workbook(source, error) from None
    finally:
        # read_only mode keeps the archive open until the workbook is closed.
        workbook.close()
    problems: list[Problem] = []
    width = max((len(row) for row in values), default=0)
    letters = [get_column_letter(column) for column in range(1, width + 1)]
    grid: list[list[Cell]] = []
    # openpyxl yields every row from the first, empty ones too, so the count is the row.
    for number, row in enumerate(values, start=1):
        cells: list[Cell] = []
        for column, letter in enumerate(letters):
            value, data_type = row[column] if column < len(row) else (None, "n")
            location = Location(file=source, sheet=worksheet.title, cell=f"{letter}{number}")
            cells.append(_xlsx_cell(value, data_type, location, problems))
        grid.append(cells)
    return _build(source, grid, problems)


def _unreadable_workbook(source: str, error: Exception) -> DataError:
    return file_error("not a readable .xlsx workbook", Location(file=source), hint=str(error))


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


def _build(source: str, grid: list[list[Cell]], problems: list[Problem]) -> Table:
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
    if problems:
        raise DataError(problems)
    return Table(
        source=source,
        header=tuple(header[column] for column in kept),
        rows=tuple(tuple(data_cell(row[column]) for column in kept) for row in data),
    )


def _where(location: Location) -> str:
    """A location within its file, for a hint: ``D1``, ``column 4`` or a key path."""
    if location.cell is not None:
        return location.cell
    if location.column is not None:
        return f"column {location.column}"
    return location.key or str(location)
