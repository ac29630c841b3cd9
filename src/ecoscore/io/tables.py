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
import html
import io
import math
import os
import re
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import attrs

from ecoscore.errors import DataError, Location, Problem
from ecoscore.io.grid import ERROR_HINT, Cell, Table, data_cell, file_error, text_cell
from ecoscore.io.json_table import read_json
from ecoscore.limits import DEFAULT_LIMITS, Limits, size_text

if TYPE_CHECKING:  # openpyxl is imported when a workbook is read, not at start-up
    from ecoscore.io.workbook import ReadOnlyWorksheet, Workbook

__all__ = ["Cell", "Table", "read_table"]


_ZIP_MAGIC = b"PK\x03\x04"


def read_table(
    path: str | os.PathLike[str],
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    limits: Limits = DEFAULT_LIMITS,
    keep_going: bool = False,
) -> Table:
    """Read a ``.csv``, ``.xlsx`` or ``.json`` file into a ``Table``; raise ``DataError``.

    ``sheet`` names the XLSX worksheet to read (default: the first); ``encoding`` is the
    text encoding of a CSV or JSON file (default: detected). Each is ignored for the other
    kinds of file. ``limits`` bounds the file's size, a workbook's uncompressed size, and
    the rows and cells read (``ecoscore.limits``, docs/limits.md). ``keep_going`` returns
    the problems of cells and rows (a bad cell, a ragged row) on ``Table.problems`` instead
    of raising them, so that a caller may leave those rows out; those of the whole file
    (unreadable, too large, empty) are raised whatever it says.
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
    data = _read_bytes(source, limits)
    if suffix == ".xlsx":
        return _kept(_read_xlsx(source, data, sheet, limits), keep_going)
    if data.startswith(_ZIP_MAGIC):
        raise file_error(
            f"this is a workbook or another zip file, not {suffix} text",
            Location(file=source),
            hint="give an .xlsx workbook an .xlsx name",
        )
    text = _decode(source, data, encoding)
    if suffix == ".csv":
        return _kept(_read_csv(source, text, limits), keep_going)
    return _kept(read_json(source, text), keep_going)


def _kept(table: Table, keep_going: bool) -> Table:
    """The table, or its problems raised when the caller does not keep going."""
    if table.problems and not keep_going:
        raise DataError(table.problems)
    return table


def _read_bytes(source: str, limits: Limits) -> bytes:
    # The whole file is read at once: submissions are small, and openpyxl then holds no
    # handle on the file, so nothing can keep it open or write to it. At most one byte
    # past the limit is read, so a device or a pipe named .csv cannot fill the memory.
    try:
        with Path(source).open("rb") as f:
            data = f.read(limits.table_bytes + 1)
            size = max(len(data), os.fstat(f.fileno()).st_size)
    except FileNotFoundError:
        message = "no such file"
    except IsADirectoryError:
        message = "is a directory, not a file"
    except OSError as error:
        message = f"cannot read the file: {error.strerror or error}"
    else:
        if size > limits.table_bytes:
            raise file_error(
                f"the file is {size_text(size)}, more than the limit of "
                f"{size_text(limits.table_bytes)}",
                Location(file=source),
                hint="see docs/limits.md: Limits(table_bytes=…) raises it",
            )
        return data
    raise file_error(message, Location(file=source))


def _decode(source: str, data: bytes, encoding: str | None) -> str:
    if encoding is not None:
        candidates: tuple[str, ...] = (encoding,)
        described = encoding
    elif data.startswith(codecs.BOM_UTF8):
        candidates, described = ("utf-8",), "UTF-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" is UTF-16, with a BOM.
        candidates, described = ("utf-16",), "UTF-16"
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


def _read_csv(source: str, text: str, limits: Limits) -> Table:
    problems: list[Problem] = []
    delimiter = _delimiter(text)
    # newline="" lets the csv module see the line ends itself, as it requires; strict
    # mode turns an unclosed quote into an error instead of swallowing the rest of the file.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    end = 0
    cells = 0
    try:
        for fields in reader:
            # line_num counts the lines read so far, so a row that a quoted newline
            # spreads over several lines starts just after where the last row ended.
            rows.append((end + 1, fields))
            end = reader.line_num
            cells += len(fields)
            _check_size(len(rows), cells, Location(file=source, line=end), limits)
    except csv.Error as error:
        raise file_error(
            f"not valid CSV: {error}", Location(file=source, line=reader.line_num)
        ) from None
    rows = _even_rows(source, rows, problems)
    width = max((len(fields) for _, fields in rows), default=0)
    grid = [
        [
            text_cell(field, Location(file=source, line=line, column=column), problems)
            for column, field in enumerate(fields + [""] * (width - len(fields)), start=1)
        ]
        for line, fields in rows
    ]
    return _build(source, grid, problems)


#: The delimiters a CSV file may use, besides the comma: Excel in a locale whose decimal
#: mark is a comma writes ";", and "Unicode text" uses tabs.
_DELIMITERS = ",;\t|"


def _delimiter(text: str) -> str:
    """The delimiter of a CSV text, judged on its header (the first non-blank line): a
    comma unless another of ``_DELIMITERS`` splits the header into more cells."""
    header = next((line for line in text.splitlines() if line.strip(" ,;\t|")), "")
    try:
        found = csv.Sniffer().sniff(header, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        return ","
    return found if header.count(found) > header.count(",") else ","


def _even_rows(
    source: str, rows: list[tuple[int, list[str]]], problems: list[Problem]
) -> list[tuple[int, list[str]]]:
    """The rows, each with a cell per header cell; a row with fewer cells than the header
    names, or with values past its last cell, is a problem at its line. (A short row
    would otherwise read as figures left empty, which a missing-data policy scores.)"""
    blank = [all(not field.strip() for field in fields) for _, fields in rows]
    start = next((k for k, is_blank in enumerate(blank) if not is_blank), None)
    if start is None:
        return rows
    header = rows[start][1]
    named = max(k for k, field in enumerate(header) if field.strip()) + 1
    even: list[tuple[int, list[str]]] = rows[: start + 1]
    for (line, fields), is_blank in zip(rows[start + 1 :], blank[start + 1 :], strict=True):
        extra = any(field.strip() for field in fields[len(header) :])
        if not is_blank and (len(fields) < named or extra):
            problems.append(
                Problem(
                    f"line {line} has {_cells(len(fields))}, the header has {len(header)}",
                    Location(file=source, line=line),
                    "a cell holding a comma goes in double quotes"
                    if extra
                    else "every row has a cell per column; leave a missing figure's cell empty",
                )
            )
        even.append((line, fields[: len(header)]))
    return even


def _cells(count: int) -> str:
    return "1 cell" if count == 1 else f"{count} cells"


def _check_size(rows: int, cells: int, where: Location, limits: Limits) -> None:
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


def _read_xlsx(source: str, data: bytes, sheet: str | None, limits: Limits) -> Table:
    from ecoscore.io.workbook import InvalidFileException, get_column_letter, load_workbook

    # The corrupt files seen in the wild fail with any of these.
    unreadable = (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, SyntaxError)
    # The zip directory says what the parts hold once uncompressed: a workbook of a few
    # megabytes can hold gigabytes of XML, so this is judged before openpyxl reads a byte.
    # openpyxl then parses every sheet that declares no <dimension> when it opens the
    # workbook, some ten thousand cells a second: each sheet's rows and cells are counted
    # first, by a byte scan far faster than that, and a sheet past the limits is refused.
    scans = _check_archive(source, data, limits)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except unreadable as error:
        raise _unreadable_workbook(source, error) from None
    try:
        worksheet = _pick_sheet(source, workbook, sheet)
        member = str(getattr(worksheet, "_worksheet_path", "")).lstrip("/")
        scan = scans.get(member, _SheetScan(formulas=True))
        # Some programs write a wrong <dimension> element; without this a read-only sheet
        # trusts it and silently drops the cells outside it.
        worksheet.reset_dimensions()
        try:
            values = _sheet_values(source, worksheet, limits)
        except DataError:
            raise
        except unreadable as error:
            raise _unreadable_workbook(source, error) from None
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
    return _build(source, grid, problems)


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
            _check_size(len(values), cells, where, limits)
    return values


def _check_archive(source: str, data: bytes, limits: Limits) -> dict[str, _SheetScan]:
    """Refuse a workbook whose parts, uncompressed, would exceed ``limits.workbook_bytes``,
    or with a sheet past the row or cell limits; the scan of each sheet, by part name."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
            total = sum(part.file_size for part in parts)
            if total > limits.workbook_bytes:
                largest = max(parts, key=lambda part: part.file_size)
                raise file_error(
                    f"the workbook holds {size_text(total)} once uncompressed "
                    f"({largest.filename}: {size_text(largest.file_size)}), more than the "
                    f"limit of {size_text(limits.workbook_bytes)}",
                    Location(file=source),
                    hint="see docs/limits.md: Limits(workbook_bytes=…) raises it",
                )
            titles = _sheet_titles(archive)
            return {
                part.filename: _scan_sheet(
                    source, archive, part.filename, titles.get(part.filename), limits
                )
                for part in parts
                if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml")
            }
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError) as error:
        if isinstance(error, DataError):
            raise
        raise _unreadable_workbook(source, error) from None


_SHEET = re.compile(rb"<(?:\w+:)?sheet\s([^>]*)>")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\s([^>]*)>")


def _sheet_titles(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each worksheet part's title, from the workbook's own list of its sheets (read with
    patterns, not an XML parser: these two small parts are all that is needed of them)."""
    try:
        book = archive.read("xl/workbook.xml")
        links = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets: dict[bytes, str] = {}
    for link in _RELATIONSHIP.finditer(links):
        ident, target = _attribute(link.group(1), b"Id"), _attribute(link.group(1), b"Target")
        if ident is not None and target is not None:
            targets[ident.encode()] = (
                target.lstrip("/") if target.startswith("/") else "xl/" + target
            )
    titles: dict[str, str] = {}
    for sheet in _SHEET.finditer(book):
        name, ident = _attribute(sheet.group(1), b"name"), _attribute(sheet.group(1), b"r:id")
        if name is not None and ident is not None and ident.encode() in targets:
            titles[targets[ident.encode()]] = name
    return titles


def _attribute(attributes: bytes, name: bytes) -> str | None:
    found = re.search(rb"(?:^|\s)" + re.escape(name) + rb'\s*=\s*"([^"]*)"', attributes)
    return None if found is None else html.unescape(found.group(1).decode("utf-8", "replace"))


@attrs.frozen
class _SheetScan:
    """What a byte scan of a sheet's XML found: its rows and cells, and any formula."""

    rows: int = 0
    cells: int = 0
    formulas: bool = False


_ROW_TAGS = (b"<row", b":row ", b":row>")
_CELL_TAGS = (b"<c ", b"<c>", b":c ", b":c>")
_FORMULA_TAGS = (b"<f>", b"<f ", b":f>", b":f ")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*:?([A-Z]+)(\d+)"')


def _scan_sheet(
    source: str, archive: zipfile.ZipFile, member: str, title: str | None, limits: Limits
) -> _SheetScan:
    """Count the row and cell elements of a sheet's XML, in chunks, and refuse a sheet
    that declares (in its <dimension>) or holds more than the limits; the count stops as
    soon as one is passed."""
    rows = cells = 0
    formulas = False
    where = Location(file=source, sheet=title or member)
    with archive.open(member) as xml:
        tail = b""
        first = True
        while chunk := xml.read(1 << 20):
            if first:
                _check_declared(chunk, where, limits)
                first = False
            text = tail + chunk
            rows += sum(text.count(tag) for tag in _ROW_TAGS)
            cells += sum(text.count(tag) for tag in _CELL_TAGS)
            formulas = formulas or any(tag in text for tag in _FORMULA_TAGS)
            # No tag fits in the 4 bytes kept, so none is counted twice.
            tail = text[-4:]
            if rows > limits.rows or cells > limits.cells:
                _check_size(rows, cells, where, limits)
    return _SheetScan(rows, cells, formulas)


def _check_declared(head: bytes, where: Location, limits: Limits) -> None:
    """Refuse a sheet whose <dimension> declares more rows or cells than the limits."""
    from ecoscore.io.workbook import column_index_from_string

    found = _DIMENSION.search(head)
    if found is None:
        return
    columns = column_index_from_string(found.group(1).decode("ascii"))
    rows = int(found.group(2))
    if rows > limits.rows or rows * columns > limits.cells:
        corner = found.group(1).decode("ascii") + found.group(2).decode("ascii")
        raise file_error(
            f"the sheet declares {rows:,} rows × {columns:,} columns (to {corner}), more than "
            f"the limit of {limits.rows:,} rows or {limits.cells:,} cells",
            where,
            hint="see docs/limits.md: Limits(rows=…, cells=…) raises them",
        )


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
