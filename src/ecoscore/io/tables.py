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
import io
import os
from pathlib import Path

from ecoscore.errors import DataError, Location, Problem
from ecoscore.io.grid import Cell, Table, build_table, check_size, file_error, text_cell
from ecoscore.io.json_table import read_json
from ecoscore.io.xlsx_table import read_xlsx
from ecoscore.limits import DEFAULT_LIMITS, Limits, size_text

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
        return _kept(read_xlsx(source, data, sheet, limits), keep_going)
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
            check_size(len(rows), cells, Location(file=source, line=end), limits)
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
    return build_table(source, grid, problems)


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
